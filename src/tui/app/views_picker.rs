//! Saved views in the browser: the prompt that names the current filter, sort and search (`S`)
//! and the picker that lists, applies and deletes saved views (`v`). Each updates itself and
//! says what it asks of the app (save, ask first, apply); `edit.rs` opens them and acts on
//! that. The views live in the database, so the CLI's `--view`, `--save-view` and `views` see
//! the same ones.

use crate::db::{check_view_name, SavedView};
use crate::tui::action::{Action, Edit};
use crate::tui::text_input::TextInput;

/// The name prompt of `S`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prompt {
    pub input: TextInput,
    /// Why the last Enter was refused.
    pub error: Option<String>,
}

/// What an action in the prompt asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptEffect {
    /// The prompt stays open.
    Stay,
    /// Esc: nothing saved.
    Cancelled,
    /// Save the current filter under `name`.
    Save { name: String },
    /// A view of that name exists: ask before replacing it (`selects` is its filter as flags).
    AskReplace { name: String, selects: String },
}

impl Prompt {
    /// The problem with the name as typed (none while it is empty).
    pub fn problem(&self) -> Option<String> {
        let name = self.input.text();
        if name.is_empty() {
            return None;
        }
        check_view_name(name).err().map(|e| e.to_string())
    }

    /// Applies `action`; `views` are the saved views, to tell a new name from a replacement.
    pub fn update(&mut self, action: Action, views: &[SavedView]) -> PromptEffect {
        match action {
            Action::Text(edit) => {
                if self.input.apply(edit) {
                    self.error = None;
                }
                PromptEffect::Stay
            }
            Action::Edit(Edit::Cancel) => PromptEffect::Cancelled,
            Action::Edit(Edit::Accept) => {
                let name = self.input.text().to_string();
                if name.is_empty() {
                    self.error = Some("type a name for the view".into());
                    return PromptEffect::Stay;
                }
                if let Err(e) = check_view_name(&name) {
                    self.error = Some(e.to_string());
                    return PromptEffect::Stay;
                }
                match views.iter().find(|v| v.name == name) {
                    Some(old) => PromptEffect::AskReplace {
                        name,
                        selects: old.filter.to_args(),
                    },
                    None => PromptEffect::Save { name },
                }
            }
            _ => PromptEffect::Stay,
        }
    }
}

/// The list of saved views of `v`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Picker {
    pub cursor: usize,
}

/// What an action in the picker asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerEffect {
    /// The picker stays open.
    Stay,
    /// Esc or `v`: the picker closes.
    Closed,
    /// Enter: the view's filter replaces the current one.
    Apply(Box<SavedView>),
    /// Enter on an empty list: nothing to apply.
    NoViews,
    /// `d`: ask before deleting the named view.
    AskDelete(String),
}

impl Picker {
    /// The picker over `views`, its cursor on the one `current` equals, if any.
    pub fn on(views: &[SavedView], current: &crate::domain::Filter) -> Picker {
        Picker {
            cursor: views.iter().position(|v| v.filter == *current).unwrap_or(0),
        }
    }

    /// Applies `action` to the picker over `views`.
    pub fn update(&mut self, action: Action, views: &[SavedView]) -> PickerEffect {
        let last = views.len().saturating_sub(1);
        match action {
            Action::Edit(Edit::Down) => self.cursor = (self.cursor + 1).min(last),
            Action::Edit(Edit::Up) => self.cursor = self.cursor.saturating_sub(1),
            Action::Edit(Edit::Accept) => {
                return views
                    .get(self.cursor)
                    .cloned()
                    .map_or(PickerEffect::NoViews, |v| PickerEffect::Apply(Box::new(v)))
            }
            Action::Edit(Edit::DeleteView) => {
                if let Some(view) = views.get(self.cursor) {
                    return PickerEffect::AskDelete(view.name.clone());
                }
            }
            Action::Edit(Edit::Cancel) => return PickerEffect::Closed,
            _ => {}
        }
        PickerEffect::Stay
    }

    /// Keeps the cursor on a view after the list changed.
    pub fn clamp(&mut self, views: &[SavedView]) {
        self.cursor = self.cursor.min(views.len().saturating_sub(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Filter;
    use crate::tui::action::TextEdit;

    fn view(name: &str, search: &str) -> SavedView {
        SavedView {
            name: name.into(),
            filter: Filter {
                search: Some(search.into()),
                ..Filter::default()
            },
            columns: Vec::new(),
            created: "2026-11-30T00:00:00Z".into(),
            updated: "2026-11-30T00:00:00Z".into(),
        }
    }

    #[test]
    fn the_prompt_saves_new_names_and_asks_before_replacing() {
        let views = [view("moons", "lunar")];
        let mut p = Prompt::default();
        let accept = Action::Edit(Edit::Accept);
        assert_eq!(p.update(accept, &views), PromptEffect::Stay);
        assert_eq!(p.error.as_deref(), Some("type a name for the view"));
        for c in "moons".chars() {
            p.update(Action::Text(TextEdit::Input(c)), &views);
        }
        assert_eq!(p.error, None, "typing clears the refusal");
        assert_eq!(
            p.update(accept, &views),
            PromptEffect::AskReplace {
                name: "moons".into(),
                selects: "--search lunar".into()
            }
        );
        p.update(Action::Text(TextEdit::Input('2')), &views);
        assert_eq!(
            p.update(accept, &views),
            PromptEffect::Save {
                name: "moons2".into()
            }
        );
        assert_eq!(
            p.update(Action::Edit(Edit::Cancel), &views),
            PromptEffect::Cancelled
        );
    }

    #[test]
    fn the_picker_moves_applies_and_asks_before_deleting() {
        let views = [view("a", "x"), view("b", "y")];
        let mut p = Picker::on(&views, &views[1].filter);
        assert_eq!(p.cursor, 1);
        p.update(Action::Edit(Edit::Down), &views);
        assert_eq!(p.cursor, 1, "stops at the last view");
        p.update(Action::Edit(Edit::Up), &views);
        assert_eq!(
            p.update(Action::Edit(Edit::Accept), &views),
            PickerEffect::Apply(Box::new(views[0].clone()))
        );
        assert_eq!(
            p.update(Action::Edit(Edit::DeleteView), &views),
            PickerEffect::AskDelete("a".into())
        );
        assert_eq!(
            Picker::default().update(Action::Edit(Edit::Accept), &[]),
            PickerEffect::NoViews
        );
        p.cursor = 5;
        p.clamp(&views);
        assert_eq!(p.cursor, 1);
    }
}
