//! Changing data from the browser: the dialogs (`Modal`), the write jobs they queue for the
//! worker, the replies, and the session's undo stack.
//!
//! `App::update` stays synchronous: a change leaves as a [`WriteJob`] (taken by the loop with
//! [`App::take_writes`] and sent to the worker, which owns the connection), and its outcome
//! comes back through [`App::receive`], followed by a fresh answer to the current filter.
//! Tests run the same jobs with `worker::serve`, with no thread.
//!
//! Undo follows the library: `u` reverts the newest batch this session recorded and has not
//! undone (`Db::undo`), never someone else's; it is refused when the event changed again
//! since (the batch then leaves the stack, with the reason in the status bar). Undos are not
//! put on the stack and the library refuses a batch twice, so there is no redo; `spacedip
//! restore` reaches any earlier state.

use super::form::Form;
use super::text_input::TextInput;
use super::views_picker::{Picker, Prompt};
use super::App;
use crate::db::{Batch, SavedView};
use crate::domain::Filter;
use crate::tui::action::Edit;
use crate::tui::input::Mode;
use crate::tui::worker::{Reply, WriteFailure, WriteJob, WriteReply, Written};

/// A dialog over the screen; it has the keyboard until it closes.
#[derive(Debug, Clone)]
pub enum Modal {
    Form(Box<Form>),
    Confirm(Box<Confirm>),
    Prompt(Prompt),
    Picker(Picker),
}

/// A yes/no question, and what yes does.
#[derive(Debug, Clone)]
pub struct Confirm {
    pub title: String,
    pub question: String,
    /// A second line: what the answer means.
    pub note: String,
    pub(super) on_yes: OnYes,
    /// The dialog to return to on no (the form, the prompt or the picker), drawn under it.
    pub back: Option<Box<Modal>>,
}

/// What a confirmed question does.
#[derive(Debug, Clone)]
pub(super) enum OnYes {
    DeleteEvent(String),
    DiscardForm,
    SaveView { name: String, filter: Filter },
    DeleteView(String),
}

/// A change this session made, as history recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    pub batch: Batch,
    /// The event changed.
    pub id: String,
    /// "added ILRS-20", "edited ILRS-03", "deleted ILRS-03".
    pub what: String,
    /// Whether the event exists again once the change is undone (not for an addition).
    pub exists_after_undo: bool,
}

/// The editing side of the app's state.
#[derive(Debug, Clone, Default)]
pub struct EditState {
    pub modal: Option<Modal>,
    /// The history batches this session made and has not undone, oldest first.
    pub undo: Vec<Done>,
    /// The saved views, from the last answer.
    pub views: Vec<SavedView>,
    jobs: Vec<WriteJob>,
    in_flight: usize,
    undoing: Vec<Done>,
    pub(super) select_after: Option<(String, bool)>,
    /// A query was sent to find `select_after` beyond the rows at hand.
    locating: bool,
}

impl EditState {
    /// The key bindings of the open dialog, if any.
    pub fn mode(&self) -> Option<Mode> {
        Some(match self.modal.as_ref()? {
            Modal::Form(_) => Mode::Form,
            Modal::Confirm(_) => Mode::Confirm,
            Modal::Prompt(_) => Mode::Prompt,
            Modal::Picker(_) => Mode::Picker,
        })
    }

    /// True while writes are queued or awaited.
    pub fn busy(&self) -> bool {
        !self.jobs.is_empty() || self.in_flight > 0
    }
}

impl App {
    /// The writes to send to the worker, in order.
    pub fn take_writes(&mut self) -> Vec<WriteJob> {
        std::mem::take(&mut self.edit.jobs)
    }

    /// Takes a reply from the worker: an answer to a query or the outcome of a write.
    pub fn receive(&mut self, reply: Reply) {
        self.receive_reply(reply);
        // The view may have changed while the answer was on its way: ask for what it needs.
        self.follow_up();
    }

    fn receive_reply(&mut self, reply: Reply) {
        match reply {
            Reply::Answer(mut response) => {
                let fresh = response.generation == self.generation;
                // A failed query leaves the rows of the previous filter: no export on them.
                if fresh && response.outcome.is_err() {
                    self.export.queued = false;
                }
                // The views do not depend on the filter: a stale answer's are news too.
                if let Some(views) = response.outcome.as_mut().ok().and_then(|a| a.views.take()) {
                    self.edit.views = views;
                }
                self.apply(response);
                if fresh {
                    self.after_refresh();
                    self.open_queued_export();
                }
            }
            Reply::Summaries {
                generation,
                outcome,
            } => match outcome {
                Ok(summaries) => self.apply_summaries(generation, summaries),
                Err(e) if generation == self.generation => {
                    self.set_error(format!("query failed: {e}"));
                }
                Err(_) => {}
            },
            Reply::Rows {
                generation,
                window,
                select,
            } => self.apply_rows(generation, window, select),
            Reply::Written(w) => self.written(w),
        }
    }

    /// Queues a write for the worker.
    pub(super) fn queue(&mut self, job: WriteJob) {
        self.edit.jobs.push(job);
        self.edit.in_flight += 1;
    }

    /// Applies one editing action.
    pub(super) fn update_edit(&mut self, action: Edit) {
        let Some(modal) = self.edit.modal.take() else {
            self.start_edit(action);
            return;
        };
        match modal {
            Modal::Form(form) => self.update_form(*form, action),
            Modal::Prompt(mut prompt) => match action {
                Edit::Accept => self.accept_prompt(prompt),
                Edit::Cancel => self.set_status("view not saved"),
                _ => {
                    if let Some(edit) = text_edit(action) {
                        edit(&mut prompt.input);
                        prompt.error = None;
                    }
                    self.edit.modal = Some(Modal::Prompt(prompt));
                }
            },
            Modal::Picker(picker) => match action {
                Edit::Up | Edit::Down => self.move_picker(picker, action == Edit::Down),
                Edit::Accept => self.apply_view(picker),
                Edit::DeleteView => self.ask_delete_view(picker),
                Edit::Cancel => {}
                _ => self.edit.modal = Some(Modal::Picker(picker)),
            },
            Modal::Confirm(confirm) => match action {
                Edit::Yes => self.confirmed(*confirm),
                Edit::No => {
                    self.edit.modal = confirm.back.map(|b| *b);
                    if matches!(confirm.on_yes, OnYes::DeleteEvent(_)) {
                        self.set_status("nothing deleted");
                    }
                }
                _ => self.edit.modal = Some(Modal::Confirm(confirm)),
            },
        }
    }

    /// The keys that open a dialog or act at once.
    fn start_edit(&mut self, action: Edit) {
        match action {
            Edit::AddEvent => {
                let programme = match self.filter.programmes.as_slice() {
                    [one] => Some(one.as_str()),
                    _ => None,
                };
                let form = Form::new(&self.catalog, programme);
                self.edit.modal = Some(Modal::Form(Box::new(form)));
            }
            Edit::EditEvent => match self.event() {
                Some(e) => {
                    let form = Form::edit(e, &self.catalog);
                    self.edit.modal = Some(Modal::Form(Box::new(form)));
                }
                None => self.set_status("no event selected to edit"),
            },
            Edit::DeleteEvent => match self.event() {
                Some(e) => {
                    let (id, title) = (e.id.clone(), e.title.clone());
                    self.edit.modal = Some(Modal::Confirm(Box::new(Confirm {
                        title: "Delete event".into(),
                        question: format!("Delete {id} '{title}'?"),
                        note: format!(
                            "History keeps it: u brings it back, or later `spacedip restore {id}`."
                        ),
                        on_yes: OnYes::DeleteEvent(id),
                        back: None,
                    })));
                }
                None => self.set_status("no event selected to delete"),
            },
            Edit::Undo => self.undo(),
            Edit::SaveView => self.open_save_prompt(),
            Edit::OpenViews => self.open_picker(),
            _ => {}
        }
    }

    fn update_form(&mut self, mut form: Form, action: Edit) {
        if form.saving {
            self.edit.modal = Some(Modal::Form(Box::new(form)));
            self.set_status("saving…");
            return;
        }
        match action {
            Edit::NextField => form.step(true),
            Edit::PrevField => form.step(false),
            Edit::Accept if !form.on_last_field() => form.step(true),
            Edit::Accept | Edit::Save => return self.save_form(form),
            Edit::Cancel => {
                if form.changed() {
                    self.edit.modal = Some(Modal::Confirm(Box::new(Confirm {
                        title: "Discard changes".into(),
                        question: "Discard the changes to this event?".into(),
                        note: "y discards them; n goes back to the form.".into(),
                        on_yes: OnYes::DiscardForm,
                        back: Some(Box::new(Modal::Form(Box::new(form)))),
                    })));
                } else {
                    self.set_status("cancelled");
                }
                return;
            }
            Edit::NextValue | Edit::PrevValue => {
                if !form.cycle_value(action == Edit::NextValue, &self.catalog) {
                    self.set_status("no values to choose from in this field");
                }
            }
            Edit::CaretLeft | Edit::CaretRight | Edit::CaretHome | Edit::CaretEnd => {
                if let Some(mv) = text_edit(action) {
                    form.move_caret(mv);
                }
            }
            _ => {
                if let Some(edit) = text_edit(action) {
                    if !form.edit_text(edit) {
                        self.set_status(
                            "the id of a stored event cannot change; add a new event instead",
                        );
                    }
                }
            }
        }
        self.edit.modal = Some(Modal::Form(Box::new(form)));
    }

    /// Ctrl-S, or Enter on the last field: refuses while the import finds problems.
    fn save_form(&mut self, mut form: Form) {
        form.touch_all();
        let Some(event) = form.checked.event.clone() else {
            let n = form.checked.problems.len();
            let mut fields: Vec<&str> = Vec::new();
            for p in &form.checked.problems {
                if !fields.contains(&p.field.as_str()) {
                    fields.push(&p.field);
                }
            }
            self.set_error(format!(
                "not saved: fix {} first ({})",
                if n == 1 {
                    "the problem".to_string()
                } else {
                    format!("{n} problems")
                },
                fields.join(", ")
            ));
            if let Some(f) = form.first_problem() {
                form.focus(f);
            }
            self.edit.modal = Some(Modal::Form(Box::new(form)));
            return;
        };
        let job = match &form.original {
            Some(original) if *original == event => {
                self.set_status("nothing changed");
                return;
            }
            Some(_) => WriteJob::UpdateEvent(event),
            None => WriteJob::InsertEvent(event),
        };
        form.saving = true;
        form.refusal = None;
        self.edit.modal = Some(Modal::Form(Box::new(form)));
        self.queue(job);
    }

    fn confirmed(&mut self, confirm: Confirm) {
        match confirm.on_yes {
            OnYes::DeleteEvent(id) => self.queue(WriteJob::DeleteEvent(id)),
            OnYes::DiscardForm => self.set_status("changes discarded"),
            OnYes::SaveView { name, filter } => self.queue(WriteJob::SaveView { name, filter }),
            OnYes::DeleteView(name) => {
                self.edit.modal = confirm.back.map(|b| *b);
                self.queue(WriteJob::DeleteView(name));
            }
        }
    }

    /// `u`: undoes the newest change of this session that is not undone yet.
    fn undo(&mut self) {
        if self.edit.busy() {
            self.set_status("a change is still being saved; press u again in a moment");
            return;
        }
        let Some(done) = self.edit.undo.pop() else {
            self.set_status("nothing to undo in this session");
            return;
        };
        self.queue(WriteJob::Undo(done.batch));
        self.edit.undoing.push(done);
    }

    /// The outcome of a write.
    fn written(&mut self, reply: WriteReply) {
        self.edit.in_flight = self.edit.in_flight.saturating_sub(1);
        let failure = match reply.outcome {
            Ok(done) => return self.succeeded(reply.job, done),
            Err(f) => f,
        };
        let WriteFailure { message, problems } = failure;
        match reply.job {
            WriteJob::InsertEvent(_) | WriteJob::UpdateEvent(_) => {
                if let Some(Modal::Form(form)) = &mut self.edit.modal {
                    form.refused(message.clone(), problems);
                }
                self.set_error(format!("not saved: {message}"));
            }
            WriteJob::DeleteEvent(id) => self.set_error(format!("{id} not deleted: {message}")),
            WriteJob::Undo(batch) => {
                let what = self
                    .take_undoing(batch)
                    .map_or_else(|| format!("batch {batch}"), |d| d.what);
                self.set_error(format!("cannot undo {what}: {message}"));
            }
            WriteJob::SaveView { .. } => self.set_error(format!("view not saved: {message}")),
            WriteJob::DeleteView(_) => self.set_error(format!("view not deleted: {message}")),
        }
    }

    fn succeeded(&mut self, job: WriteJob, done: Written) {
        match (job, done) {
            (WriteJob::InsertEvent(e), Written::Batch(batch)) => {
                self.close_form();
                self.set_status(format!("added {}; u undoes", e.id));
                self.record(batch, &e.id, format!("added {}", e.id), false);
                self.edit.select_after = Some((e.id, true));
            }
            (WriteJob::UpdateEvent(e), Written::Batch(batch)) => {
                self.close_form();
                self.set_status(format!("saved {}; u undoes", e.id));
                self.record(batch, &e.id, format!("edited {}", e.id), true);
                self.edit.select_after = Some((e.id, true));
            }
            (WriteJob::UpdateEvent(_), _) => {
                self.close_form();
                self.set_status("nothing changed");
            }
            (WriteJob::DeleteEvent(id), Written::Batch(batch)) => {
                self.set_status(format!("deleted {id}; u brings it back"));
                self.record(batch, &id, format!("deleted {id}"), true);
                self.select_neighbour_of(&id);
            }
            (WriteJob::Undo(batch), Written::Batch(_)) => {
                let done = self.take_undoing(batch);
                let what = done
                    .as_ref()
                    .map_or_else(|| format!("batch {batch}"), |d| d.what.clone());
                self.set_status(format!("undone: {what}"));
                match done {
                    Some(d) if d.exists_after_undo => self.edit.select_after = Some((d.id, true)),
                    Some(d) => self.select_neighbour_of(&d.id),
                    None => {}
                }
            }
            (WriteJob::SaveView { name, .. }, Written::ViewSaved { replaced }) => {
                let verb = if replaced { "replaced" } else { "saved" };
                self.set_status(format!("view '{name}' {verb}; v picks views"));
            }
            (WriteJob::DeleteView(name), Written::ViewDeleted { existed }) => {
                if existed {
                    self.set_status(format!("view '{name}' deleted"));
                } else {
                    self.set_status(format!("view '{name}' was already gone"));
                }
            }
            (job, done) => self.set_error(format!("unexpected outcome {done:?} of {job:?}")),
        }
    }

    /// After the refresh, selects the row next to `id` (which is going away), so that the
    /// cursor stays where it was.
    fn select_neighbour_of(&mut self, id: &str) {
        let at = self.rows.position(id);
        let next = at.and_then(|i| {
            let row = |j: usize| self.rows.get(j);
            row(i + 1).or_else(|| i.checked_sub(1).and_then(row))
        });
        if let Some(n) = next {
            self.edit.select_after = Some((n.event.id.clone(), false));
        }
    }

    fn record(&mut self, batch: Batch, id: &str, what: String, exists_after_undo: bool) {
        self.edit.undo.push(Done {
            batch,
            id: id.to_string(),
            what,
            exists_after_undo,
        });
    }

    fn take_undoing(&mut self, batch: Batch) -> Option<Done> {
        let i = self.edit.undoing.iter().position(|d| d.batch == batch)?;
        Some(self.edit.undoing.remove(i))
    }

    fn close_form(&mut self) {
        if matches!(self.edit.modal, Some(Modal::Form(_))) {
            self.edit.modal = None;
        }
    }

    /// After a fresh answer: select the event a change was about, and keep the picker on a
    /// row.
    fn after_refresh(&mut self) {
        self.clamp_picker();
        let Some((id, tell)) = self.edit.select_after.take() else {
            return;
        };
        let located = std::mem::take(&mut self.edit.locating);
        match self.rows.position(&id) {
            Some(i) => self.select(i),
            // The rows sent are those around the old selection; the worker finds the event
            // among all of them.
            None if !located => {
                self.edit.locating = true;
                self.edit.select_after = Some((id.clone(), tell));
                self.request_anchored(crate::tui::worker::Anchor::Keep(Some(id)));
            }
            None if tell => {
                let text = match self.status.take() {
                    Some(s) => format!("{}; {id} is hidden by the current filter", s.text),
                    None => format!("{id} is hidden by the current filter"),
                };
                self.set_status(text);
            }
            None => {}
        }
    }
}

/// The text-editing actions, as an edit of a line of text; `None` for other actions.
fn text_edit(action: Edit) -> Option<impl FnOnce(&mut TextInput)> {
    let text = matches!(
        action,
        Edit::Input(_)
            | Edit::Backspace
            | Edit::DeleteChar
            | Edit::DeleteWord
            | Edit::ClearField
            | Edit::CaretLeft
            | Edit::CaretRight
            | Edit::CaretHome
            | Edit::CaretEnd
    );
    text.then_some(move |t: &mut TextInput| match action {
        Edit::Input(c) => t.insert(c),
        Edit::Backspace => t.backspace(),
        Edit::DeleteChar => t.delete(),
        Edit::DeleteWord => t.delete_word(),
        Edit::ClearField => t.clear(),
        Edit::CaretLeft => t.left(),
        Edit::CaretRight => t.right(),
        Edit::CaretHome => t.home(),
        _ => t.end(),
    })
}
