//! Saved views in the browser: the prompt that saves the current filter, sort and search under
//! a name (`S`), and the picker that lists, applies and deletes saved views (`v`). The views
//! live in the database, so the CLI's `--view`, `--save-view` and `views` see the same ones.

use super::edit::{Confirm, Modal, OnYes};
use super::text_input::TextInput;
use super::{App, Focus, View};
use crate::db::{check_view_name, SavedView};
use crate::text::inert;
use crate::tui::worker::WriteJob;

/// The name prompt of `S`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prompt {
    pub input: TextInput,
    /// Why the last Enter was refused.
    pub error: Option<String>,
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
}

/// The list of saved views of `v`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Picker {
    pub cursor: usize,
}

impl App {
    /// `S`: asks for a name for the current filter.
    pub(super) fn open_save_prompt(&mut self) {
        self.edit.modal = Some(Modal::Prompt(Prompt::default()));
    }

    /// Enter in the prompt: saves, or asks first when a view of that name exists.
    pub(super) fn accept_prompt(&mut self, mut prompt: Prompt) {
        let name = prompt.input.text().to_string();
        if name.is_empty() {
            prompt.error = Some("type a name for the view".into());
            self.edit.modal = Some(Modal::Prompt(prompt));
            return;
        }
        if let Err(e) = check_view_name(&name) {
            prompt.error = Some(e.to_string());
            self.edit.modal = Some(Modal::Prompt(prompt));
            return;
        }
        let filter = self.filter.clone();
        if let Some(old) = self.edit.views.iter().find(|v| v.name == name) {
            let old_args = old.filter.to_args();
            self.edit.modal = Some(Modal::Confirm(Box::new(Confirm {
                title: "Replace view".into(),
                question: format!("Replace the saved view '{}'?", inert(&name)),
                note: format!(
                    "It selects: {}",
                    if old_args.is_empty() {
                        "all events".to_string()
                    } else {
                        inert(&old_args)
                    }
                ),
                on_yes: OnYes::SaveView { name, filter },
                back: Some(Box::new(Modal::Prompt(prompt))),
            })));
            return;
        }
        self.queue(WriteJob::SaveView { name, filter });
    }

    /// Starts on a saved view (`spacedip --view NAME`).
    pub fn open_on_view(&mut self, view: SavedView) {
        self.filter = view.filter;
        self.request();
        self.set_status(format!("view '{}' applied", view.name));
    }

    /// `v`: lists the saved views, the cursor on the one the filter equals, if any. The list
    /// is read again (the open picker asks for it), for views saved meanwhile elsewhere.
    pub(super) fn open_picker(&mut self) {
        let cursor = self
            .edit
            .views
            .iter()
            .position(|v| v.filter == self.filter)
            .unwrap_or(0);
        self.edit.modal = Some(Modal::Picker(Picker { cursor }));
        self.request();
    }

    /// Moves the picker's cursor.
    pub(super) fn move_picker(&mut self, mut picker: Picker, down: bool) {
        let last = self.edit.views.len().saturating_sub(1);
        picker.cursor = if down {
            (picker.cursor + 1).min(last)
        } else {
            picker.cursor.saturating_sub(1)
        };
        self.edit.modal = Some(Modal::Picker(picker));
    }

    /// Enter in the picker: the view's filter replaces the current one.
    pub(super) fn apply_view(&mut self, picker: Picker) {
        let Some(view) = self.edit.views.get(picker.cursor).cloned() else {
            self.edit.modal = Some(Modal::Picker(picker));
            self.set_status("no saved views yet: S saves the current filter as one");
            return;
        };
        self.filter = view.filter;
        self.view = View::Events;
        self.focus = Focus::Table;
        self.request();
        let args = self.filter.to_args();
        self.set_status(format!(
            "view '{}' applied: {}",
            view.name,
            if args.is_empty() { "all events" } else { &args }
        ));
    }

    /// `d` in the picker: asks before deleting the view under the cursor.
    pub(super) fn ask_delete_view(&mut self, picker: Picker) {
        let Some(view) = self.edit.views.get(picker.cursor) else {
            self.edit.modal = Some(Modal::Picker(picker));
            return;
        };
        let name = view.name.clone();
        self.edit.modal = Some(Modal::Confirm(Box::new(Confirm {
            title: "Delete view".into(),
            question: format!("Delete the saved view '{}'?", inert(&name)),
            note: "Saved views are not in the history: this cannot be undone.".into(),
            on_yes: OnYes::DeleteView(name),
            back: Some(Box::new(Modal::Picker(picker))),
        })));
    }

    /// Keeps the picker's cursor on a view after the list changed.
    pub(super) fn clamp_picker(&mut self) {
        let last = self.edit.views.len().saturating_sub(1);
        if let Some(Modal::Picker(p)) = &mut self.edit.modal {
            p.cursor = p.cursor.min(last);
        }
    }
}
