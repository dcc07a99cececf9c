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

use super::columns_picker::{ColumnsEffect, ColumnsPicker};
use super::form::{Form, FormEffect};
use super::views_picker::{Picker, PickerEffect, Prompt, PromptEffect};
use super::App;
use super::SOURCES_PENDING;
use crate::db::{Batch, SavedView};
use crate::domain::{Column, Filter};
use crate::text::inert;
use crate::tui::action::{Action, Edit};
use crate::tui::input::Mode;
use crate::tui::layout::{Focus, View};
use crate::tui::worker::{Reply, WriteFailure, WriteJob, WriteReply, Written};

/// A dialog over the screen; it has the keyboard until it closes.
#[derive(Debug, Clone)]
pub enum Modal {
    Form(Box<Form>),
    Confirm(Box<Confirm>),
    Prompt(Prompt),
    Picker(Picker),
    Columns(ColumnsPicker),
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
    SaveView {
        name: String,
        filter: Box<Filter>,
        columns: Vec<Column>,
    },
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
            Modal::Columns(_) => Mode::Columns,
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
                    self.failed = generation;
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
            Reply::Catalog(Ok(whole)) => self.catalog = whole,
            Reply::Catalog(Err(e)) => {
                self.set_error(format!("the sources could not be read: {e}"));
            }
        }
    }

    /// Queues a write for the worker.
    pub(super) fn queue(&mut self, job: WriteJob) {
        self.edit.jobs.push(job);
        self.edit.in_flight += 1;
    }

    /// Applies an editing action (`Action::Edit`) or, in the form and the prompt, a text edit
    /// (`Action::Text`): the open dialog updates itself, and its effect is carried out here.
    pub(super) fn update_edit(&mut self, action: Action) {
        let Some(modal) = self.edit.modal.take() else {
            if let Action::Edit(edit) = action {
                self.start_edit(edit);
            }
            return;
        };
        match modal {
            Modal::Form(mut form) => {
                let effect = form.update(action, &self.catalog);
                self.form_effect(form, effect);
            }
            Modal::Prompt(mut prompt) => match prompt.update(action, &self.edit.views) {
                PromptEffect::Stay => self.edit.modal = Some(Modal::Prompt(prompt)),
                PromptEffect::Cancelled => self.set_status("view not saved"),
                PromptEffect::Save { name } => {
                    let (filter, columns) = (self.filter.clone(), self.columns.clone());
                    self.queue(WriteJob::SaveView {
                        name,
                        filter,
                        columns,
                    });
                }
                PromptEffect::AskReplace { name, selects } => {
                    let (filter, columns) = (self.filter.clone(), self.columns.clone());
                    self.ask(Confirm {
                        title: "Replace view".into(),
                        question: format!("Replace the saved view '{}'?", inert(&name)),
                        note: format!(
                            "It selects: {}",
                            if selects.is_empty() {
                                "all events".to_string()
                            } else {
                                inert(&selects)
                            }
                        ),
                        on_yes: OnYes::SaveView {
                            name,
                            filter: Box::new(filter),
                            columns,
                        },
                        back: Some(Box::new(Modal::Prompt(prompt))),
                    });
                }
            },
            Modal::Picker(mut picker) => match picker.update(action, &self.edit.views) {
                PickerEffect::Stay => self.edit.modal = Some(Modal::Picker(picker)),
                PickerEffect::Closed => {}
                PickerEffect::NoViews => {
                    self.edit.modal = Some(Modal::Picker(picker));
                    self.set_status("no saved views yet: S saves the current filter as one");
                }
                PickerEffect::Apply(view) => self.apply_view(*view),
                PickerEffect::AskDelete(name) => self.ask(Confirm {
                    title: "Delete view".into(),
                    question: format!("Delete the saved view '{}'?", inert(&name)),
                    note: "Saved views are not in the history: this cannot be undone.".into(),
                    on_yes: OnYes::DeleteView(name),
                    back: Some(Box::new(Modal::Picker(picker))),
                }),
            },
            Modal::Columns(mut chooser) => match chooser.update(action) {
                ColumnsEffect::Stay => self.edit.modal = Some(Modal::Columns(chooser)),
                ColumnsEffect::Cancelled => {}
                ColumnsEffect::Apply(columns) => {
                    let names: Vec<&str> = columns.iter().map(|c| c.as_str()).collect();
                    self.set_status(format!(
                        "columns: {} (S saves them with the view)",
                        names.join(", ")
                    ));
                    self.columns = columns;
                }
                ColumnsEffect::Automatic => {
                    self.columns.clear();
                    self.set_status("columns follow the terminal's width");
                }
            },
            Modal::Confirm(confirm) => match action {
                Action::Edit(Edit::Yes) => self.confirmed(*confirm),
                Action::Edit(Edit::No) => {
                    self.edit.modal = confirm.back.map(|b| *b);
                    if matches!(confirm.on_yes, OnYes::DeleteEvent(_)) {
                        self.set_status("nothing deleted");
                    }
                }
                _ => self.edit.modal = Some(Modal::Confirm(confirm)),
            },
        }
    }

    /// Opens a yes/no question over the screen.
    fn ask(&mut self, confirm: Confirm) {
        self.edit.modal = Some(Modal::Confirm(Box::new(confirm)));
    }

    /// Carries out what an action in the form asked for.
    fn form_effect(&mut self, form: Box<Form>, effect: FormEffect) {
        match effect {
            FormEffect::Stay => self.edit.modal = Some(Modal::Form(form)),
            FormEffect::Note(text) => {
                self.edit.modal = Some(Modal::Form(form));
                self.set_status(text);
            }
            FormEffect::Invalid(text) => {
                self.edit.modal = Some(Modal::Form(form));
                self.set_error(text);
            }
            FormEffect::Closed => self.set_status("cancelled"),
            FormEffect::Unchanged => self.set_status("nothing changed"),
            FormEffect::AskDiscard => self.ask(Confirm {
                title: "Discard changes".into(),
                question: "Discard the changes to this event?".into(),
                note: "y discards them; n goes back to the form.".into(),
                on_yes: OnYes::DiscardForm,
                back: Some(Box::new(Modal::Form(form))),
            }),
            FormEffect::Save { event, update } => {
                self.edit.modal = Some(Modal::Form(form));
                self.queue(if update {
                    WriteJob::UpdateEvent(*event)
                } else {
                    WriteJob::InsertEvent(*event)
                });
            }
        }
    }

    /// `S`: asks for a name for the current filter.
    fn open_save_prompt(&mut self) {
        self.edit.modal = Some(Modal::Prompt(Prompt::default()));
    }

    /// `v`: lists the saved views, the cursor on the one the filter equals, if any. The list
    /// is read again (the open picker asks for it), for views saved meanwhile elsewhere.
    fn open_picker(&mut self) {
        let picker = Picker::on(&self.edit.views, &self.filter);
        self.edit.modal = Some(Modal::Picker(picker));
        // Asked with the picker open, the answer carries the list again.
        self.request();
    }

    /// Starts on a saved view (`spacedip --view NAME`).
    pub fn open_on_view(&mut self, view: SavedView) {
        self.filter = view.filter;
        self.columns = view.columns;
        self.request();
        self.set_status(format!("view '{}' applied", view.name));
    }

    /// The picked view's filter replaces the current one.
    fn apply_view(&mut self, view: SavedView) {
        self.filter = view.filter;
        self.columns = view.columns;
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

    /// The keys that open a dialog or act at once.
    fn start_edit(&mut self, action: Edit) {
        // The form checks source ids against the catalog: not before the sources are read
        // (or known to be too many to hold, when the database checks them on saving).
        let form = matches!(action, Edit::AddEvent | Edit::EditEvent);
        if form && self.sources_pending() {
            self.set_status(SOURCES_PENDING);
            return;
        }
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
                    self.ask(Confirm {
                        title: "Delete event".into(),
                        question: format!("Delete {id} '{title}'?"),
                        note: format!(
                            "History keeps it: u brings it back, or later `spacedip restore {id}`."
                        ),
                        on_yes: OnYes::DeleteEvent(id),
                        back: None,
                    });
                }
                None => self.set_status("no event selected to delete"),
            },
            Edit::Undo => self.undo(),
            Edit::SaveView => self.open_save_prompt(),
            Edit::OpenViews => self.open_picker(),
            Edit::OpenColumns => {
                let chooser = ColumnsPicker::new(&self.columns);
                self.edit.modal = Some(Modal::Columns(chooser));
            }
            _ => {}
        }
    }

    fn confirmed(&mut self, confirm: Confirm) {
        match confirm.on_yes {
            OnYes::DeleteEvent(id) => self.queue(WriteJob::DeleteEvent(id)),
            OnYes::DiscardForm => self.set_status("changes discarded"),
            OnYes::SaveView {
                name,
                filter,
                columns,
            } => self.queue(WriteJob::SaveView {
                name,
                filter: *filter,
                columns,
            }),
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
        if let Some(Modal::Picker(p)) = &mut self.edit.modal {
            p.clamp(&self.edit.views);
        }
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
