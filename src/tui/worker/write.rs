//! The changes the browser makes, run by the worker on the connection it owns: events through
//! the library's edit API (validated with the import rules and recorded in history by the
//! database layer), undo of one of the session's batches, and saved views.

use crate::db::{Batch, Db};
use crate::domain::{Column, Event, FieldProblem, Filter};
use crate::error::Error;

/// One change to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteJob {
    /// Add a new event (refused when invalid or when its id is taken).
    InsertEvent(Event),
    /// Replace the stored event of the same id.
    UpdateEvent(Event),
    /// Delete the event of this id; history keeps its last state.
    DeleteEvent(String),
    /// Revert a batch of changes (see `Db::undo`).
    Undo(Batch),
    /// Save a filter under a name, replacing a view of that name.
    SaveView {
        name: String,
        filter: Filter,
        /// The table's columns (empty: left to the width).
        columns: Vec<Column>,
    },
    /// Delete the saved view of this name.
    DeleteView(String),
}

/// What a write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// The change was recorded in history as this batch.
    Batch(Batch),
    /// An update that changed nothing: nothing was written.
    Unchanged,
    /// The view was saved; `replaced` when one of that name existed.
    ViewSaved { replaced: bool },
    /// The view was deleted; `existed` is false when there was none of that name.
    ViewDeleted { existed: bool },
}

/// Why a write was refused: the one-line message, and the field problems when the event was
/// invalid (so that a form can show them next to their fields).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteFailure {
    pub message: String,
    pub problems: Vec<FieldProblem>,
}

/// The outcome of one write, with the job it answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteReply {
    pub job: WriteJob,
    pub outcome: Result<Written, WriteFailure>,
}

/// Makes one change on `db`. Nothing is half-written: each call is one transaction of the
/// database layer, which also writes the history rows.
pub fn write(db: &mut Db, job: WriteJob) -> WriteReply {
    let outcome = match &job {
        WriteJob::InsertEvent(e) => db.insert_event(e).map(Written::Batch),
        WriteJob::UpdateEvent(e) => db
            .update_event(e)
            .map(|b| b.map_or(Written::Unchanged, Written::Batch)),
        WriteJob::DeleteEvent(id) => db.delete_event(id).map(Written::Batch),
        WriteJob::Undo(batch) => db.undo(*batch).map(Written::Batch),
        WriteJob::SaveView {
            name,
            filter,
            columns,
        } => db
            .save_view_with(name, filter, columns)
            .map(|replaced| Written::ViewSaved { replaced }),
        WriteJob::DeleteView(name) => db
            .delete_view(name)
            .map(|existed| Written::ViewDeleted { existed }),
    }
    .map_err(|e| {
        let problems = match &e {
            Error::InvalidEvent { problems, .. } => problems.clone(),
            _ => Vec::new(),
        };
        WriteFailure {
            message: e.to_string(),
            problems,
        }
    });
    WriteReply { job, outcome }
}
