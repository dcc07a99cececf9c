//! The column chooser (`o`): every column of the events table, those shown first in their
//! order; the user ticks, unticks and moves them, and Enter applies the choice (which `S`
//! then saves with the view). Updates itself and says what it asks of the app.

use crate::domain::Column;
use crate::tui::action::{Action, Edit};

/// The chooser's rows (a column and whether it shows) and its cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnsPicker {
    pub rows: Vec<(Column, bool)>,
    pub cursor: usize,
}

/// What an action in the chooser asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnsEffect {
    /// The chooser stays open.
    Stay,
    /// Esc: nothing changes.
    Cancelled,
    /// Enter: these columns, in this order.
    Apply(Vec<Column>),
    /// Enter with none ticked, or `r`: the columns follow the terminal's width again.
    Automatic,
}

impl ColumnsPicker {
    /// The chooser over the columns shown now (`shown`, in order; empty for the automatic
    /// set, which the chooser starts from), the others after them, unticked.
    pub fn new(shown: &[Column]) -> ColumnsPicker {
        let mut rows: Vec<(Column, bool)> = shown.iter().map(|c| (*c, true)).collect();
        rows.extend(
            Column::ALL
                .iter()
                .filter(|c| !shown.contains(c))
                .map(|c| (*c, false)),
        );
        ColumnsPicker { rows, cursor: 0 }
    }

    /// The ticked columns, in order.
    pub fn chosen(&self) -> Vec<Column> {
        self.rows.iter().filter(|r| r.1).map(|r| r.0).collect()
    }

    /// Applies `action`.
    pub fn update(&mut self, action: Action) -> ColumnsEffect {
        let last = self.rows.len().saturating_sub(1);
        match action {
            Action::Edit(Edit::Down) => self.cursor = (self.cursor + 1).min(last),
            Action::Edit(Edit::Up) => self.cursor = self.cursor.saturating_sub(1),
            Action::Edit(Edit::Toggle) => {
                if let Some(row) = self.rows.get_mut(self.cursor) {
                    row.1 = !row.1;
                }
            }
            Action::Edit(Edit::MoveDown) if self.cursor < last => {
                self.rows.swap(self.cursor, self.cursor + 1);
                self.cursor += 1;
            }
            Action::Edit(Edit::MoveUp) if self.cursor > 0 => {
                self.rows.swap(self.cursor, self.cursor - 1);
                self.cursor -= 1;
            }
            Action::Edit(Edit::Reset) => return ColumnsEffect::Automatic,
            Action::Edit(Edit::Accept) => {
                let chosen = self.chosen();
                return if chosen.is_empty() {
                    ColumnsEffect::Automatic
                } else {
                    ColumnsEffect::Apply(chosen)
                };
            }
            Action::Edit(Edit::Cancel) => return ColumnsEffect::Cancelled,
            _ => {}
        }
        ColumnsEffect::Stay
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn act(p: &mut ColumnsPicker, edits: &[Edit]) -> ColumnsEffect {
        let mut last = ColumnsEffect::Stay;
        for e in edits {
            last = p.update(Action::Edit(*e));
        }
        last
    }

    #[test]
    fn tick_move_and_apply() {
        let mut p = ColumnsPicker::new(&[Column::Date, Column::Title]);
        assert_eq!(p.rows[0], (Column::Date, true));
        assert_eq!(p.rows[2], (Column::Id, false));
        // Tick the id and move it to the top.
        let effect = act(
            &mut p,
            &[
                Edit::Down,
                Edit::Down,
                Edit::Toggle,
                Edit::MoveUp,
                Edit::MoveUp,
                Edit::MoveUp,
            ],
        );
        assert_eq!(effect, ColumnsEffect::Stay);
        assert_eq!(p.cursor, 0);
        assert_eq!(
            act(&mut p, &[Edit::Accept]),
            ColumnsEffect::Apply(vec![Column::Id, Column::Date, Column::Title])
        );
        // Untick everything: back to the automatic set.
        let mut p = ColumnsPicker::new(&[Column::Title]);
        assert_eq!(
            act(&mut p, &[Edit::Toggle, Edit::Accept]),
            ColumnsEffect::Automatic
        );
        assert_eq!(act(&mut p, &[Edit::Reset]), ColumnsEffect::Automatic);
        assert_eq!(act(&mut p, &[Edit::Cancel]), ColumnsEffect::Cancelled);
        // The ends hold.
        let mut p = ColumnsPicker::new(&[]);
        act(&mut p, &[Edit::MoveUp, Edit::Up]);
        assert_eq!(p.cursor, 0);
        assert_eq!(p.rows.len(), Column::ALL.len());
    }
}
