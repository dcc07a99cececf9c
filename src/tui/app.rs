//! The browser's state and `App::update`, the one place it changes. Queries leave as
//! [`Request`]s (taken by the loop and sent to the worker) and come back through
//! [`App::apply`], so tests drive the app synchronously with no terminal and no thread.

mod compare;
pub mod edit;
pub mod export_dialog;
mod export_update;
pub mod form;
mod mouse;
pub mod text_input;
mod update;
pub mod views_picker;

pub use compare::CompareState;

use ratatui::layout::Rect;

use super::cards::ProgrammeCard;
use super::facet::{self, FacetRow};
use super::input::Mode;
use super::views::layout::{self, Areas};
use super::views::theme::Theme;
use super::worker::{Request, Response};
use crate::db::{Facets, Found};
use crate::domain::{Catalog, Event, Filter};

/// The views, cycled with Tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Events,
    Programmes,
    Compare,
}

/// What has the keyboard in the events view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Table,
    Search,
    Facets,
    Detail,
}

/// A message in the status bar until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// Everything the views draw.
#[derive(Debug)]
pub struct App {
    pub catalog: Catalog,
    pub theme: Theme,
    /// The active filter: what the next answer is for.
    pub filter: Filter,
    pub view: View,
    pub focus: Focus,
    pub help: bool,
    /// The events shown: the last answer.
    pub found: Vec<Found>,
    /// Every event in the database.
    pub total: usize,
    pub facets: Facets,
    pub facet_rows: Vec<FacetRow>,
    pub cards: Vec<ProgrammeCard>,
    /// True once the first answer arrived.
    pub loaded: bool,
    /// Selected row of `found`, and the first row drawn.
    pub selected: usize,
    pub offset: usize,
    /// First line of the detail drawn, and the chosen source there.
    pub detail_scroll: usize,
    pub source: usize,
    /// Facet row under the cursor, and the first panel line drawn.
    pub facet_cursor: usize,
    pub facet_offset: usize,
    /// Selected programme card, and the first card row drawn.
    pub card: usize,
    pub card_offset: usize,
    /// The Compare view's pair and data, and the formula overlay.
    pub compare: CompareState,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    pub status: Option<Status>,
    /// A jump to the top (true) or bottom of the table asked for while an answer was pending.
    jump: Option<bool>,
    /// How a pasted command calls spacedip on this database (`spacedip --db PATH`).
    pub program: String,
    /// The last text copied, printed again on exit for terminals without OSC 52.
    pub last_copied: Option<String>,
    /// The export dialog and what it needs from the environment.
    pub export: export_dialog::ExportState,
    /// Dialogs, writes and the session's undo stack (`app/edit.rs`).
    pub edit: edit::EditState,
    generation: u64,
    answered: u64,
    pending: Option<Request>,
    clipboard: Option<String>,
    match_order: Vec<usize>,
    match_cursor: Option<usize>,
    quit: bool,
    /// Ctrl-Z was pressed: the loop stops the process once the terminal is restored.
    suspend: bool,
}

impl App {
    /// A new app over `catalog`; its first request (every event) is ready to be taken.
    pub fn new(catalog: Catalog, theme: Theme) -> App {
        let compare = CompareState::new(&catalog);
        let mut app = App {
            catalog,
            theme,
            filter: Filter::default(),
            view: View::Events,
            focus: Focus::Table,
            help: false,
            found: Vec::new(),
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
            status: None,
            jump: None,
            program: "spacedip".to_string(),
            last_copied: None,
            export: export_dialog::ExportState::default(),
            edit: edit::EditState::default(),
            generation: 0,
            answered: 0,
            pending: None,
            clipboard: None,
            match_order: Vec::new(),
            match_cursor: None,
            quit: false,
            suspend: false,
        };
        app.request();
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

    /// Text to put on the clipboard, once.
    pub fn take_clipboard(&mut self) -> Option<String> {
        self.clipboard.take()
    }

    /// The screen's areas for the current state.
    pub fn areas(&self) -> Areas {
        layout::areas(Rect::new(0, 0, self.size.0, self.size.1), self)
    }

    /// The selected event, if any.
    pub fn selected_event(&self) -> Option<&Found> {
        self.found.get(self.selected)
    }

    /// Whether the detail pane is on screen.
    pub fn detail_visible(&self) -> bool {
        self.areas().detail.is_some()
    }

    /// Takes an answer from the worker; answers to an older filter than the current one
    /// are dropped.
    pub fn apply(&mut self, response: Response) {
        if response.generation != self.generation {
            return;
        }
        self.answered = response.generation;
        let answer = match response.outcome {
            Ok(a) => a,
            Err(e) => {
                self.set_error(format!("query failed: {e}"));
                return;
            }
        };
        let keep: Option<String> = self.selected_event().map(|f| f.event.id.clone());
        self.found = answer.found;
        self.total = answer.total;
        self.facets = answer.facets;
        self.cards = answer.cards;
        self.compare.data = answer.compare;
        self.loaded = true;
        self.refresh_facet_rows();
        self.card = self.card.min(self.cards.len().saturating_sub(1));
        let mut order: Vec<usize> = (0..self.found.len())
            .filter(|&i| self.found[i].hit.is_some())
            .collect();
        order.sort_by_key(|&i| {
            let score = self.found[i].hit.as_ref().map_or(0, |h| h.score);
            (std::cmp::Reverse(score), i)
        });
        self.match_order = order;
        self.match_cursor = None;
        let index = match self.jump.take() {
            Some(true) => 0,
            Some(false) => self.found.len().saturating_sub(1),
            None => keep
                .and_then(|id| self.found.iter().position(|f| f.event.id == id))
                .unwrap_or(0),
        };
        self.offset = self.offset.min(self.found.len().saturating_sub(1));
        self.select(index);
    }

    /// Queues a query for the current filter.
    fn request(&mut self) {
        self.generation += 1;
        self.pending = Some(Request {
            generation: self.generation,
            filter: self.filter.clone(),
        });
        self.refresh_facet_rows();
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
        let last = self.found.len().saturating_sub(1);
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
        self.offset = self.offset.min(self.found.len().saturating_sub(page));
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
