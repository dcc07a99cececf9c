//! Clicks and the wheel, resolved against the same layout the views draw.

use ratatui::layout::{Position, Rect};

use super::App;
use crate::domain::SortOrder;
use crate::tui::action::Action;
use crate::tui::facet::{self, FacetLine};
use crate::tui::layout::{self, Focus, View};

fn inside(area: Option<Rect>, x: u16, y: u16) -> Option<Rect> {
    area.filter(|r| r.contains(Position::new(x, y)))
}

impl App {
    /// A left click: tabs switch views, a header sorts, a row selects (a second click on
    /// the selected row opens it), a facet value toggles, a card selects (then opens).
    pub(super) fn click(&mut self, x: u16, y: u16) {
        if self.help {
            self.help = false;
            return;
        }
        let areas = self.areas();
        if y == areas.header.y {
            if let Some(view) = layout::tab_at(x) {
                self.view = view;
                self.focus = Focus::Table;
            } else if x >= layout::search_start() {
                self.update(Action::StartSearch);
            }
            return;
        }
        if let Some(area) = inside(areas.table, x, y) {
            if self.focus == Focus::Search {
                self.focus = Focus::Table;
            }
            if y == area.y {
                if let Some(key) = layout::column_at(area, x, &self.columns) {
                    if self.filter.sort == key {
                        self.update(Action::ReverseSort);
                    } else {
                        self.filter.sort = key;
                        self.filter.order = SortOrder::Asc;
                        self.request();
                    }
                }
                return;
            }
            let row = self.offset + usize::from(y - area.y - 1);
            if row < self.count {
                if row == self.selected && self.focus == Focus::Table {
                    self.focus = Focus::Detail;
                } else {
                    self.focus = Focus::Table;
                    self.select(row);
                }
            }
        } else if let Some(area) = inside(areas.facets, x, y) {
            self.focus = Focus::Facets;
            let line = self.facet_offset + usize::from(y - area.y);
            if let Some(FacetLine::Row(i)) = facet::lines(&self.facet_rows).get(line) {
                self.facet_cursor = *i;
                self.update(Action::Activate);
            }
        } else if inside(areas.detail, x, y).is_some() {
            self.focus = Focus::Detail;
        } else if let Some(area) = inside(areas.cards, x, y) {
            if let Some(i) = layout::card_at(
                area,
                self.size.0,
                self.card_offset,
                self.cards.len(),
                (x, y),
            ) {
                if i == self.card {
                    self.update(Action::Activate);
                } else {
                    self.card = i;
                }
            }
        }
    }

    /// The wheel moves whatever is under the pointer by `delta` rows.
    pub(super) fn wheel(&mut self, x: u16, y: u16, delta: isize) {
        if self.help {
            return;
        }
        let areas = self.areas();
        let down = delta > 0;
        if inside(areas.table, x, y).is_some() {
            let target = if down {
                self.selected + delta.unsigned_abs()
            } else {
                self.selected.saturating_sub(delta.unsigned_abs())
            };
            self.select(target);
        } else if inside(areas.facets, x, y).is_some() {
            let last = self.facet_rows.len().saturating_sub(1);
            self.facet_cursor = if down {
                (self.facet_cursor + delta.unsigned_abs()).min(last)
            } else {
                self.facet_cursor.saturating_sub(delta.unsigned_abs())
            };
            self.show_facet_cursor();
        } else if inside(areas.detail, x, y).is_some() {
            self.detail_scroll = if down {
                (self.detail_scroll + delta.unsigned_abs()).min(self.detail_extent().max)
            } else {
                self.detail_scroll.saturating_sub(delta.unsigned_abs())
            };
        } else if inside(areas.cards, x, y).is_some() && self.view == View::Programmes {
            let cols = layout::card_columns(self.size.0) as isize;
            self.move_card(if down { cols } else { -cols });
        }
    }
}
