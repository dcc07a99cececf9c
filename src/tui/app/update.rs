//! `App::update`: every action's effect on the state.

use super::App;
use super::SOURCES_PENDING;
use crate::domain::{ChannelFilter, SortKey, SortOrder};
use crate::export::cite::citation;
use crate::text::inert;
use crate::tui::action::Action;
use crate::tui::cards::programme_order;
use crate::tui::facet::{self, channel_label, FacetLine, FacetValue};
use crate::tui::input::Mode;
use crate::tui::layout::{self, Extent, Focus, View};
use crate::tui::text_input::TextInput;

impl App {
    /// Applies one action, then asks the worker for what the screen now needs.
    pub fn update(&mut self, action: Action) {
        let view = self.view;
        self.update_action(action);
        // A view moved to after a failed query asks again (the failure may have passed);
        // only a move does, so that a failing database is not asked in a loop.
        if self.view != view && self.summaries_failed() && self.pending.is_none() {
            self.request();
        }
        self.follow_up();
    }

    fn update_action(&mut self, action: Action) {
        if !matches!(action, Action::Resize(..)) {
            self.status = None;
        }
        // The export dialog is modal: it takes every action but resizing and quitting.
        if self.export.dialog.is_some() && !matches!(action, Action::Resize(..) | Action::Quit) {
            return self.update_export(action);
        }
        if self.update_compare(action) {
            return;
        }
        match action {
            // A dialog has the screen: clicks and the wheel do not reach what is under it.
            Action::Click(..) | Action::ScrollUp(..) | Action::ScrollDown(..)
                if self.edit.modal.is_some() => {}
            Action::Quit => self.quit = true,
            Action::Suspend => self.suspend = true,
            Action::ToggleHelp => self.help = !self.help,
            Action::Resize(w, h) => {
                self.size = (w, h);
                self.select(self.selected);
                self.show_facet_cursor();
                self.show_card();
            }
            Action::Click(x, y) => self.click(x, y),
            Action::ScrollUp(x, y) => self.wheel(x, y, -3),
            Action::ScrollDown(x, y) => self.wheel(x, y, 3),
            Action::SwitchView => {
                self.view = match self.view {
                    View::Events => View::Programmes,
                    View::Programmes => View::Compare,
                    View::Compare => View::Events,
                };
                self.focus = Focus::Table;
            }
            Action::StartSearch => {
                self.view = View::Events;
                self.focus = Focus::Search;
                // The box opens on the search in force, the caret at its end.
                self.search = TextInput::new(self.filter.search.as_deref().unwrap_or_default());
            }
            Action::Text(edit) => match self.mode() {
                Mode::Search if self.search.apply(edit) => {
                    self.set_search(self.search.text().to_string());
                }
                Mode::Form | Mode::Prompt => self.update_edit(action),
                _ => {}
            },
            Action::SearchKeep => self.focus = Focus::Table,
            Action::SearchCancel => {
                self.focus = Focus::Table;
                self.clear_search();
            }
            Action::NextMatch => self.step_match(true),
            Action::PrevMatch => self.step_match(false),
            Action::CycleChannel => self.cycle_channel(),
            Action::CycleProgramme => self.cycle_programme(),
            Action::FocusFacets => {
                self.focus = Focus::Facets;
                self.show_facet_cursor();
            }
            Action::ToggleFacetPanel => {
                let shown = self.areas().facets.is_none();
                self.facet_panel = Some(shown);
                if !shown && self.focus == Focus::Facets {
                    self.focus = Focus::Table;
                }
                // The table's page changed: keep the selected row on screen.
                self.select(self.selected);
                self.set_status(if shown {
                    "facet panel shown (F hides it)"
                } else {
                    "facet panel hidden (F shows it)"
                });
            }
            Action::CycleSort => {
                let i = SortKey::ALL.iter().position(|k| *k == self.filter.sort);
                let next = i.map_or(0, |i| (i + 1) % SortKey::ALL.len());
                self.filter.sort = SortKey::ALL[next];
                self.sorted();
            }
            Action::ReverseSort => {
                self.filter.order = match self.filter.order {
                    SortOrder::Asc => SortOrder::Desc,
                    SortOrder::Desc => SortOrder::Asc,
                };
                self.sorted();
            }
            Action::ClearFilters => {
                let (sort, order) = (self.filter.sort, self.filter.order);
                self.filter = crate::domain::Filter {
                    sort,
                    order,
                    ..Default::default()
                };
                self.request();
                self.set_status("filters cleared: all events");
            }
            Action::SinceYear | Action::UntilYear => {
                if let Some(FacetValue::Year(y)) = self.facet_value() {
                    facet::set_year_bound(&mut self.filter, y, action == Action::SinceYear);
                    self.request();
                } else {
                    self.set_status("[ and ] set the year range: move to a year first");
                }
            }
            Action::PrevEvent => self.select(self.selected.saturating_sub(1)),
            Action::NextEvent => self.select(self.selected + 1),
            Action::CopyCitation | Action::CopyUrl => self.copy_source(action == Action::CopyUrl),
            Action::CopyCommand => {
                let mut args = self.filter.to_args();
                if !self.columns.is_empty() {
                    let names: Vec<&str> = self.columns.iter().map(|c| c.as_str()).collect();
                    args = format!("{args} --columns {}", names.join(","));
                }
                let command = format!("{} list {}", self.program, args.trim_start())
                    .trim_end()
                    .to_string();
                self.copy(command, "the list command".to_string());
            }
            Action::Up => self.step(-1),
            Action::Down => self.step(1),
            Action::PageUp => self.step(-(self.page() as isize)),
            Action::PageDown => self.step(self.page() as isize),
            Action::Top | Action::Bottom if self.mode() == Mode::Programmes => {
                let last = self.cards.len().saturating_sub(1);
                self.card = if action == Action::Top { 0 } else { last };
                self.show_card();
            }
            Action::Top | Action::Bottom => {
                let top = action == Action::Top;
                // Against a list that is about to be replaced, remember the intent: the answer
                // would otherwise put the cursor back on the previously selected event.
                if self.is_loading() && self.focus == Focus::Table {
                    self.jump = Some(top);
                }
                self.step(if top { isize::MIN / 2 } else { isize::MAX / 2 });
            }
            Action::Left => self.sideways(-1),
            Action::Right => self.sideways(1),
            Action::Activate => self.activate(),
            Action::Back => self.back(),
            Action::OpenExport
            | Action::ExportNextFormat
            | Action::ExportPrevFormat
            | Action::ExportSwitchField
            | Action::ExportToggleNeutralise
            | Action::ExportWrite
            | Action::ExportCancel
            | Action::ExportReplace
            | Action::ExportKeep => self.update_export(action),
            Action::Edit(_) => self.update_edit(action),
            // Taken by `update_compare` above.
            Action::ToggleFormulas
            | Action::ToggleInstitutions
            | Action::PairLeftPrev
            | Action::PairLeftNext
            | Action::PairRightPrev
            | Action::PairRightNext
            | Action::PairSwap => {}
        }
    }

    fn set_search(&mut self, s: String) {
        self.filter.search = Some(s).filter(|s| !s.is_empty());
        self.request();
    }

    fn clear_search(&mut self) {
        if self.filter.search.take().is_some() {
            self.request();
        }
    }

    fn sorted(&mut self) {
        let arrow = match self.filter.order {
            SortOrder::Asc => "ascending",
            SortOrder::Desc => "descending",
        };
        self.set_status(format!("sorted by {}, {arrow}", self.filter.sort.as_str()));
        self.request();
    }

    fn cycle_channel(&mut self) {
        use ChannelFilter::*;
        let next = match self.filter.channels.as_slice() {
            [] => Some(Multilateral),
            [Multilateral] => Some(Un),
            [Un] => Some(Bilateral),
            [Bilateral] => Some(National),
            _ => None,
        };
        self.filter.channels = next.into_iter().collect();
        self.set_status(format!("channel: {}", next.map_or("all", channel_label)));
        self.request();
    }

    fn cycle_programme(&mut self) {
        let order = programme_order(&self.catalog);
        let next = match self.filter.programmes.as_slice() {
            [] => order.first().cloned(),
            [one] => order
                .iter()
                .position(|p| p == one)
                .and_then(|i| order.get(i + 1).cloned()),
            _ => None,
        };
        self.set_status(format!("programme: {}", next.as_deref().unwrap_or("all")));
        self.filter.programmes = next.into_iter().collect();
        self.request();
    }

    fn step_match(&mut self, forward: bool) {
        let searching = self
            .filter
            .search
            .as_deref()
            .is_some_and(|s| !s.trim().is_empty());
        let n = if searching { self.count } else { 0 };
        if n == 0 {
            self.set_status("no search: press / and type to search");
            return;
        }
        if self.is_loading() {
            self.set_status("searching…");
            return;
        }
        let cursor = match (self.match_cursor, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(c), true) => (c + 1) % n,
            (Some(c), false) => (c + n - 1) % n,
        };
        self.match_cursor = Some(cursor);
        // The worker holds the hits: it sends the rows around the one of this rank.
        self.moves.push(crate::tui::worker::Job::Seek {
            generation: self.generation,
            rank: cursor,
            len: self.window_len(),
        });
        self.set_status(format!("match {} of {n}, best first", cursor + 1));
    }

    /// Rows (or lines) a page moves in the focused list.
    fn page(&self) -> usize {
        let areas = self.areas();
        match self.mode() {
            Mode::Facets => areas.facets.map_or(1, |r| usize::from(r.height)),
            Mode::Detail => areas
                .detail
                .map_or(1, |r| usize::from(r.height.saturating_sub(1))),
            _ => self.table_page(),
        }
        .max(1)
    }

    /// Moves up or down in whatever has the focus.
    fn step(&mut self, delta: isize) {
        match self.mode() {
            Mode::Browse | Mode::Search => self.select(offset(self.selected, delta)),
            Mode::Facets => {
                let last = self.facet_rows.len().saturating_sub(1);
                self.facet_cursor = offset(self.facet_cursor, delta).min(last);
                self.show_facet_cursor();
            }
            Mode::Detail => {
                self.detail_scroll =
                    offset(self.detail_scroll, delta).min(self.detail_extent().max);
            }
            Mode::Programmes => {
                let cols = layout::card_columns(self.size.0) as isize;
                self.move_card(delta.signum() * cols);
            }
            // Dialogs move with their own actions (`Action::Export*`, `Action::Edit`).
            Mode::Help
            | Mode::ExportFormat
            | Mode::ExportPath
            | Mode::ExportConfirm
            | Mode::ExportBusy
            | Mode::Form
            | Mode::Confirm
            | Mode::Prompt
            | Mode::Picker
            | Mode::Columns
            | Mode::Compare
            | Mode::Formulas
            | Mode::Institutions => {}
        }
    }

    fn sideways(&mut self, delta: isize) {
        match self.mode() {
            Mode::Facets => {
                let section = self.facet_value().map(|v| v.section());
                let lines = facet::lines(&self.facet_rows);
                let starts: Vec<usize> = lines
                    .windows(2)
                    .filter_map(|w| match w {
                        [FacetLine::Header(_), FacetLine::Row(i)] => Some(*i),
                        _ => None,
                    })
                    .collect();
                let here = starts
                    .iter()
                    .rposition(|&i| {
                        Some(self.facet_rows[i].value.section()) == section
                            && i <= self.facet_cursor
                    })
                    .unwrap_or(0);
                let target = offset(here, delta).min(starts.len().saturating_sub(1));
                if let Some(&i) = starts.get(target) {
                    self.facet_cursor = i;
                    self.show_facet_cursor();
                }
            }
            Mode::Detail => {
                let n = self.event().map_or(0, |e| e.sources.len());
                self.source = offset(self.source, delta).min(n.saturating_sub(1));
            }
            Mode::Programmes => self.move_card(delta),
            _ => {}
        }
    }

    fn activate(&mut self) {
        match self.mode() {
            Mode::Browse if self.selected_event().is_some() => self.focus = Focus::Detail,
            Mode::Facets => {
                if let Some(value) = self.facet_value() {
                    facet::toggle(&mut self.filter, &value);
                    self.request();
                }
            }
            Mode::Programmes => {
                if let Some(card) = self.cards.get(self.card) {
                    self.filter.programmes = vec![card.id.clone()];
                    self.view = View::Events;
                    self.focus = Focus::Table;
                    self.request();
                }
            }
            _ => {}
        }
    }

    fn back(&mut self) {
        match self.mode() {
            Mode::Browse => {
                if self.filter.search.is_some() {
                    self.clear_search();
                    self.set_status("search cleared");
                }
            }
            Mode::Programmes => self.view = View::Events,
            _ => self.focus = Focus::Table,
        }
    }

    /// The facet value under the cursor.
    pub(super) fn facet_value(&self) -> Option<FacetValue> {
        self.facet_rows
            .get(self.facet_cursor)
            .map(|r| r.value.clone())
    }

    /// Scrolls the facet panel so that the cursor (and its section title, when it is the
    /// section's first row) shows.
    pub(super) fn show_facet_cursor(&mut self) {
        let Some(area) = self.areas().facets else {
            return;
        };
        let page = usize::from(area.height).max(1);
        let lines = facet::lines(&self.facet_rows);
        if let Some(line) = lines
            .iter()
            .position(|l| *l == FacetLine::Row(self.facet_cursor))
        {
            let top = match line.checked_sub(1).and_then(|i| lines.get(i)) {
                Some(FacetLine::Header(_)) => line - 1,
                _ => line,
            };
            if top < self.facet_offset {
                self.facet_offset = top;
            } else if line >= self.facet_offset + page {
                self.facet_offset = line + 1 - page;
            }
        }
        self.facet_offset = self.facet_offset.min(lines.len().saturating_sub(page));
    }

    pub(super) fn move_card(&mut self, delta: isize) {
        let last = self.cards.len().saturating_sub(1);
        self.card = offset(self.card, delta).min(last);
        self.show_card();
    }

    /// Scrolls the card grid so that the selected card's row shows.
    pub(super) fn show_card(&mut self) {
        let cols = layout::card_columns(self.size.0);
        let rows = self
            .areas()
            .cards
            .map_or(1, |r| layout::card_rows(r.height));
        let row = self.card / cols;
        if row < self.card_offset {
            self.card_offset = row;
        } else if row >= self.card_offset + rows {
            self.card_offset = row + 1 - rows;
        }
    }

    /// How far the detail pane scrolls, as last drawn.
    pub(super) fn detail_extent(&self) -> Extent {
        self.drawn.detail.unwrap_or_default()
    }

    fn copy_source(&mut self, url: bool) {
        let index = if self.focus == Focus::Detail {
            self.source
        } else {
            0
        };
        let Some(event) = self.event() else {
            self.set_status("no event selected");
            return;
        };
        let Some(r) = event.sources.get(index) else {
            self.set_status("this event has no source");
            return;
        };
        let id = r.source.clone();
        let locator = r.locator.clone();
        let Some(src) = self.source_record(&id).cloned() else {
            if self.sources_pending() {
                self.set_status(SOURCES_PENDING);
            } else {
                self.set_error(format!("source {id} is missing from the database"));
            }
            return;
        };
        if url {
            let link = src
                .url
                .clone()
                .or_else(|| src.doi.as_ref().map(|d| format!("https://doi.org/{d}")));
            match link {
                Some(u) => self.copy(u, format!("URL [{id}]")),
                None => self.set_status(format!("[{id}] has no URL or DOI")),
            }
        } else {
            let mut text = citation(&src);
            if let Some(l) = locator {
                text.push_str(&format!(" [{l}]"));
            }
            self.copy(text, format!("citation [{id}]"));
        }
    }

    /// Sends `text` to the clipboard (OSC 52, by the loop) and keeps it to print on exit.
    fn copy(&mut self, text: String, what: String) {
        let text = inert(&text);
        self.clipboard = Some(text.clone());
        self.last_copied = Some(text);
        self.set_status(format!("copied {what}; printed again on quit"));
    }
}

/// `base + delta`, clamped at zero.
fn offset(base: usize, delta: isize) -> usize {
    if delta < 0 {
        base.saturating_sub(delta.unsigned_abs())
    } else {
        base.saturating_add(delta as usize)
    }
}
