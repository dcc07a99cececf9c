//! The browser's state and `App::update`, the one place it changes. Queries leave as
//! [`Request`]s (taken by the loop and sent to the worker) and come back through
//! [`App::apply`], so tests drive the app synchronously with no terminal and no thread.

pub(crate) mod columns_picker;
mod compare;
pub(crate) mod edit;
pub(crate) mod export_dialog;
mod export_update;
pub(crate) mod form;
mod mouse;
mod update;
pub(crate) mod views_picker;

pub use compare::CompareState;

use ratatui::layout::Rect;

use super::cards::ProgrammeCard;
use super::facet::{self, FacetRow};
use super::input::Mode;
use super::layout::{self, Areas, Drawn, Focus, View};
use super::text_input::TextInput;
use super::views::theme::Theme;
use super::worker::{Anchor, Job, Request, Response, Summaries, Wants, Window};
use crate::db::{Facets, Found};
use crate::domain::{Catalog, Event, Filter, Source};

/// What a browser says when asked for a source before its worker has read them (the first
/// frame is drawn without them; see `worker::Worker::spawn`).
const SOURCES_PENDING: &str = "the sources are still being read: try again in a moment";

/// A message in the status bar until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// Everything the views draw.
#[derive(Debug)]
pub struct App {
    /// Shared with the worker: a catalog can hold a million sources.
    pub(in crate::tui) catalog: std::sync::Arc<Catalog>,
    pub(in crate::tui) theme: Theme,
    /// The active filter: what the next answer is for.
    pub(in crate::tui) filter: Filter,
    pub(in crate::tui) view: View,
    pub(in crate::tui) focus: Focus,
    /// The search box while it has the keyboard (the filter's search follows it).
    pub(in crate::tui) search: TextInput,
    /// The facet panel opened (true) or closed (false) with `F`; `None` leaves it to the
    /// terminal's width.
    pub(in crate::tui) facet_panel: Option<bool>,
    /// Source URLs are drawn as clickable links (OSC 8); off with `SPACEDIP_NO_LINKS`.
    pub(in crate::tui) links: bool,
    /// The table's columns in the order chosen (`o`, or a saved view); empty leaves them to
    /// the width.
    pub(in crate::tui) columns: Vec<crate::domain::Column>,
    pub(in crate::tui) help: bool,
    /// How many events the filter selects (the rows of the table).
    pub(in crate::tui) count: usize,
    /// The rows the worker sent: those on screen and a margin around them.
    pub(in crate::tui) rows: Window,
    /// Every event in the database.
    pub(in crate::tui) total: usize,
    pub(in crate::tui) facets: Facets,
    pub(in crate::tui) facet_rows: Vec<FacetRow>,
    pub(in crate::tui) cards: Vec<ProgrammeCard>,
    /// True once the first answer arrived.
    pub(in crate::tui) loaded: bool,
    /// Selected row of `found`, and the first row drawn.
    pub(in crate::tui) selected: usize,
    pub(in crate::tui) offset: usize,
    /// First line of the detail drawn, and the chosen source there.
    pub(in crate::tui) detail_scroll: usize,
    pub(in crate::tui) source: usize,
    /// Facet row under the cursor, and the first panel line drawn.
    pub(in crate::tui) facet_cursor: usize,
    pub(in crate::tui) facet_offset: usize,
    /// Selected programme card, and the first card row drawn.
    pub(in crate::tui) card: usize,
    pub(in crate::tui) card_offset: usize,
    /// The Compare view's pair and data, and the formula overlay.
    pub(in crate::tui) compare: CompareState,
    /// Terminal size (columns, rows).
    pub(in crate::tui) size: (u16, u16),
    /// What the last frame drew of the scrollable parts: their pages and scroll limits.
    drawn: Drawn,
    pub(in crate::tui) status: Option<Status>,
    /// A jump to the top (true) or bottom of the table asked for while an answer was pending.
    jump: Option<bool>,
    /// How a pasted command calls spacedip on this database (`spacedip --db PATH`).
    pub(in crate::tui) program: String,
    /// The database file, which exports read on a connection of their own.
    pub(in crate::tui) database: Option<std::path::PathBuf>,
    /// The last text copied, printed again on exit for terminals without OSC 52.
    pub(in crate::tui) last_copied: Option<String>,
    /// The export dialog and what it needs from the environment.
    pub(in crate::tui) export: export_dialog::ExportState,
    /// Dialogs, writes and the session's undo stack (`app/edit.rs`).
    pub(in crate::tui) edit: edit::EditState,
    generation: u64,
    answered: u64,
    pending: Option<Request>,
    /// Row and seek jobs for the worker, and the rows of the last one asked for.
    moves: Vec<Job>,
    asked: Option<(usize, usize)>,
    /// The generation whose summaries arrived, and which views' data they held.
    summarised: u64,
    /// The generation whose answer or summaries failed (the status line says why).
    failed: u64,
    have: Wants,
    clipboard: Option<String>,
    /// The rank (best first) of the search hit `n`/`N` went to last.
    match_cursor: Option<usize>,
    quit: bool,
    /// Ctrl-Z was pressed: the loop stops the process once the terminal is restored.
    suspend: bool,
}

impl App {
    /// A new app over `catalog`; its first request (every event) is ready to be taken.
    pub fn new(catalog: impl Into<std::sync::Arc<Catalog>>, theme: Theme) -> App {
        let catalog = catalog.into();
        let compare = CompareState::new(&catalog);
        let mut app = App {
            catalog,
            theme,
            filter: Filter::default(),
            view: View::Events,
            focus: Focus::Table,
            search: TextInput::default(),
            facet_panel: None,
            links: false,
            columns: Vec::new(),
            help: false,
            count: 0,
            rows: Window::default(),
            total: 0,
            facets: Facets::default(),
            facet_rows: Vec::new(),
            cards: Vec::new(),
            loaded: false,
            selected: 0,
            offset: 0,
            detail_scroll: 0,
            source: 0,
            facet_cursor: 0,
            facet_offset: 0,
            card: 0,
            card_offset: 0,
            compare,
            size: (80, 24),
            drawn: Drawn::default(),
            status: None,
            jump: None,
            program: "spacedip".to_string(),
            database: None,
            last_copied: None,
            export: export_dialog::ExportState::default(),
            edit: edit::EditState::default(),
            generation: 0,
            answered: 0,
            pending: None,
            moves: Vec::new(),
            asked: None,
            summarised: 0,
            failed: 0,
            have: Wants::default(),
            clipboard: None,
            match_cursor: None,
            quit: false,
            suspend: false,
        };
        app.request_anchored(Anchor::Top);
        app
    }

    /// Which key bindings apply now.
    pub fn mode(&self) -> Mode {
        if self.help {
            return Mode::Help;
        }
        self.mode_under_help()
    }

    /// The mode the help overlay describes (the one under it).
    pub fn mode_under_help(&self) -> Mode {
        if let Some(mode) = self.export.mode().or_else(|| self.edit.mode()) {
            return mode;
        }
        if self.compare.formulas {
            return Mode::Formulas;
        }
        if self.compare.institutions.is_some() {
            return Mode::Institutions;
        }
        match (self.view, self.focus) {
            (View::Programmes, _) => Mode::Programmes,
            (View::Compare, _) => Mode::Compare,
            (_, Focus::Search) => Mode::Search,
            (_, Focus::Facets) => Mode::Facets,
            (_, Focus::Detail) => Mode::Detail,
            (_, Focus::Table) => Mode::Browse,
        }
    }

    /// True once the user asked to quit.
    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// Whether the user asked to suspend (once).
    pub fn take_suspend(&mut self) -> bool {
        std::mem::take(&mut self.suspend)
    }

    /// True while an answer for the current filter is awaited.
    pub fn is_loading(&self) -> bool {
        self.pending.is_some() || self.answered < self.generation || self.edit.busy()
    }

    /// The query to send to the worker, if the filter changed since the last one.
    pub fn take_request(&mut self) -> Option<Request> {
        self.pending.take()
    }

    /// Row and seek jobs to send to the worker (after the request, if any).
    pub fn take_moves(&mut self) -> Vec<Job> {
        std::mem::take(&mut self.moves)
    }

    /// Text to put on the clipboard, once.
    pub fn take_clipboard(&mut self) -> Option<String> {
        self.clipboard.take()
    }

    /// The screen's areas for the current state.
    pub fn areas(&self) -> Areas {
        self.areas_in(Rect::new(0, 0, self.size.0, self.size.1))
    }

    /// The areas of a screen `area` large for the current state: the one split the views
    /// draw into and the app reads page sizes and mouse hits from.
    pub fn areas_in(&self, area: Rect) -> Areas {
        layout::areas(area, self.view, self.focus, self.facet_panel)
    }

    /// Takes what a frame drew: scroll positions past a part's end (after a resize, or a
    /// shorter event) come back to its last page.
    pub fn drawn(&mut self, drawn: Drawn) {
        self.drawn = drawn;
        let clamp = |scroll: &mut usize, extent: Option<layout::Extent>| {
            if let Some(e) = extent {
                *scroll = (*scroll).min(e.max);
            }
        };
        clamp(&mut self.detail_scroll, drawn.detail);
        clamp(&mut self.compare.scroll, drawn.compare);
        clamp(&mut self.compare.formula_scroll, drawn.formulas);
        clamp(&mut self.compare.institution_scroll, drawn.institutions);
    }

    /// The source `id`: from the catalog, or, for a catalog without its sources, from those
    /// that came with the rows.
    pub fn source_record(&self, id: &str) -> Option<&Source> {
        self.catalog.source(id).or_else(|| self.rows.source(id))
    }

    /// Whether the sources are still being read: the browser starts without them, and holds
    /// them once the worker has read them, unless there are too many to hold
    /// ([`Catalog::sources_by_row`]).
    pub fn sources_pending(&self) -> bool {
        !self.catalog.has_sources() && !self.catalog.sources_by_row()
    }

    /// The selected event, if any (and once its row arrived).
    pub fn selected_event(&self) -> Option<&Found> {
        self.rows.get(self.selected)
    }

    /// Row `i` of the table, once it arrived.
    pub fn row(&self, i: usize) -> Option<&Found> {
        self.rows.get(i)
    }

    /// Whether the detail pane is on screen.
    pub fn detail_visible(&self) -> bool {
        self.areas().detail.is_some()
    }

    /// Takes an answer from the worker (through [`App::receive`]); answers to an older
    /// filter than the current one are dropped.
    fn apply(&mut self, response: Response) {
        if response.generation != self.generation {
            return;
        }
        // The same query answered again (after a write): the selection the user has moved
        // to since stays where it is, not where the query first put it.
        let again = (self.answered == response.generation && self.edit.select_after.is_none())
            .then(|| self.selected_event().map(|f| f.event.id.clone()))
            .flatten();
        self.answered = response.generation;
        let answer = match response.outcome {
            Ok(a) => a,
            Err(e) => {
                self.failed = response.generation;
                self.set_error(format!("query failed: {e}"));
                return;
            }
        };
        self.count = answer.count;
        self.total = answer.total;
        self.rows = answer.window;
        self.asked = None;
        self.loaded = true;
        self.match_cursor = None;
        let index = match (self.jump.take(), again) {
            (Some(true), _) => 0,
            (Some(false), _) => self.count.saturating_sub(1),
            (None, Some(id)) => match self.rows.position(&id) {
                Some(i) => i,
                None => {
                    // Beyond the rows sent: the worker finds it among all of them.
                    self.request_anchored(Anchor::Keep(Some(id)));
                    return;
                }
            },
            (None, None) => answer.selected,
        };
        self.offset = self.offset.min(self.count.saturating_sub(1));
        self.select(index);
    }

    /// Whether the current query's answer or summaries failed: nothing more will come for
    /// it, and the status line says why.
    pub fn summaries_failed(&self) -> bool {
        self.failed == self.generation
    }

    /// Whether the programme cards of the current query are still being counted (the
    /// cards on hand, if any, are those of an earlier answer).
    pub fn cards_pending(&self) -> bool {
        self.summaries_pending(self.have.cards)
    }

    /// Whether the Compare view's data for the current query is still being computed.
    pub fn compare_pending(&self) -> bool {
        self.summaries_pending(self.have.compare)
    }

    /// Whether summaries holding a view's data (`had` by the last ones) are still to come.
    fn summaries_pending(&self, had: bool) -> bool {
        !self.summaries_failed() && (!had || self.summarised != self.generation)
    }

    /// Takes the second part of an answer: facet counts and the other views' data.
    pub fn apply_summaries(&mut self, generation: u64, summaries: Summaries) {
        if generation != self.generation {
            return;
        }
        self.summarised = generation;
        self.have = Wants {
            cards: summaries.cards.is_some(),
            compare: summaries.compare.is_some(),
            views: false,
        };
        self.facets = summaries.facets;
        if let Some(cards) = summaries.cards {
            self.cards = cards;
        }
        if let Some(compare) = summaries.compare {
            self.compare.data = compare;
        }
        self.refresh_facet_rows();
        self.card = self.card.min(self.cards.len().saturating_sub(1));
        // Counted with every row: differs from the answer's only if a program outside
        // spacedip added or deleted events behind the tally's back, or wrote meanwhile. Last,
        // once these summaries are taken in, as selecting again may ask for rows.
        self.total = summaries.total;
        if summaries.count != self.count {
            self.count = summaries.count;
            self.select(self.selected);
        }
    }

    /// Takes rows asked for while scrolling or seeking a hit.
    pub fn apply_rows(&mut self, generation: u64, window: Window, select: Option<usize>) {
        if generation != self.generation || self.answered != generation {
            return;
        }
        self.rows = window;
        self.asked = None;
        if let Some(row) = select {
            self.select(row);
        }
    }

    /// Queues a query for the current filter, keeping the selected event where it can.
    fn request(&mut self) {
        let keep = self.selected_event().map(|f| f.event.id.clone());
        self.request_anchored(Anchor::Keep(keep));
    }

    fn request_anchored(&mut self, anchor: Anchor) {
        self.generation += 1;
        self.pending = Some(Request {
            generation: self.generation,
            filter: self.filter.clone(),
            anchor,
            rows: self.window_len(),
            wants: self.wants(),
        });
        self.moves.clear();
        self.asked = None;
        self.refresh_facet_rows();
    }

    /// Rows to hold around the table's page: a page above and one below, so that moving by
    /// a page does not wait for the worker.
    fn window_len(&self) -> usize {
        (self.table_page() * 3).max(64)
    }

    /// What the view on screen needs beyond the rows.
    fn wants(&self) -> Wants {
        Wants {
            cards: self.view == View::Programmes,
            compare: self.view == View::Compare,
            views: matches!(self.edit.modal, Some(edit::Modal::Picker(_))),
        }
    }

    /// After an action: asks again when the view on screen needs data the last answer did
    /// not carry, and asks for rows when the table's page is not all here.
    pub(super) fn follow_up(&mut self) {
        let wants = self.wants();
        let pending = self.pending.is_some() || self.answered < self.generation;
        if !pending
            && self.summarised == self.generation
            && ((wants.cards && !self.have.cards) || (wants.compare && !self.have.compare))
        {
            self.request();
            return;
        }
        if pending || !self.loaded {
            return;
        }
        let page = self.table_page();
        let (from, to) = (self.offset, self.offset + page);
        if self.rows.covers(from, to, self.count) || self.asked == Some((from, to)) {
            return;
        }
        let len = self.window_len();
        self.asked = Some((from, to));
        self.moves.push(Job::Rows {
            generation: self.generation,
            start: from.saturating_sub(page),
            len,
        });
    }

    /// Rebuilds the facet rows (active marks follow the filter at once), keeping the cursor
    /// on the same value.
    fn refresh_facet_rows(&mut self) {
        let current = self
            .facet_rows
            .get(self.facet_cursor)
            .map(|r| r.value.clone());
        self.facet_rows = facet::rows(&self.facets, &self.filter, &self.catalog);
        if self.focus != Focus::Facets {
            // An unfocused panel is an overview: it shows its sections from the top.
            self.facet_cursor = 0;
            self.facet_offset = 0;
            return;
        }
        self.facet_cursor = current
            .and_then(|v| self.facet_rows.iter().position(|r| r.value == v))
            .unwrap_or(self.facet_cursor)
            .min(self.facet_rows.len().saturating_sub(1));
        // The panel may have shrunk under its scroll position.
        self.show_facet_cursor();
    }

    /// Selects a row of the table, scrolling it into view.
    fn select(&mut self, index: usize) {
        let last = self.count.saturating_sub(1);
        let index = index.min(last);
        if index != self.selected {
            self.detail_scroll = 0;
            self.source = 0;
        }
        self.selected = index;
        let page = self.table_page();
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
        self.offset = self.offset.min(self.count.saturating_sub(page));
        self.follow_up();
    }

    /// Rows of events the table shows at once.
    pub fn table_page(&self) -> usize {
        self.areas()
            .table
            .map_or(1, |r| usize::from(r.height.saturating_sub(1)).max(1))
    }

    fn set_status(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    fn set_error(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: true,
        });
    }

    /// The event under the detail pane or the table cursor.
    fn event(&self) -> Option<&Event> {
        self.selected_event().map(|f| &f.event)
    }
}
