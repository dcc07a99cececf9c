//! The library's error type. Every message is one line a user can act on.

use std::path::PathBuf;

use crate::domain::{DateError, FieldProblem, FilterError, Problem, VocabError};
use crate::text::inert;

/// What kind of SQLite failure an [`Error::Database`] is, told by SQLite's error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseKind {
    /// Another connection holds a lock the busy timeout did not outlast (`SQLITE_BUSY`,
    /// `SQLITE_LOCKED`): the same operation may succeed later.
    Busy,
    /// A UNIQUE, CHECK, NOT NULL or foreign key constraint refused a write.
    Constraint,
    /// The query was interrupted ([`crate::db::Interrupt`]): a newer one replaced it.
    Interrupted,
    /// Anything else.
    Other,
}

/// A saved view this build cannot read, named (a view saved by a newer spacedip, or one
/// that does not parse).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ViewError {
    #[error("view '{}' was saved by a newer spacedip (format {found}; this one reads up to {known})", inert(.name))]
    TooNew {
        name: String,
        found: u32,
        known: u32,
    },
    #[error("view '{}' cannot be read: {reason}", inert(.name))]
    Unreadable { name: String, reason: String },
}

impl ViewError {
    /// The name of the view.
    pub fn name(&self) -> &str {
        match self {
            ViewError::TooNew { name, .. } | ViewError::Unreadable { name, .. } => name,
        }
    }
}

/// Everything that can go wrong in spacedip's library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: not a SQLite database (the file was left untouched)", .0.display())]
    NotADatabase(PathBuf),
    #[error("{}: a SQLite database of another application, not spacedip's (the file was left untouched)", .0.display())]
    ForeignDatabase(PathBuf),
    #[error("{}: made by a newer spacedip (schema version {found}; this binary knows up to {known}); upgrade spacedip to open it", .path.display())]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("cannot open database {}: {reason}", .path.display())]
    Open { path: PathBuf, reason: String },
    /// SQLite failed. The message is SQLite's on one line; `kind` tells a busy database from a
    /// refused constraint, and the error itself is kept as the source.
    #[error("database error: {message}")]
    Database {
        kind: DatabaseKind,
        message: String,
        #[source]
        source: rusqlite::Error,
    },
    /// The database holds something this spacedip cannot read (a malformed key or value).
    #[error("database error: {0}")]
    BadData(String),
    /// A row of the running tally (a cache of the events) cannot be read: the measures are
    /// counted over the events instead, and `check --recount` counts it again.
    #[error("database error: {0}")]
    DamagedTally(String),
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("write error: {0}")]
    Write(#[from] std::io::Error),
    /// The terminal could not be set up, drawn, read or watched for signals.
    #[error("terminal error: {0}")]
    Terminal(#[source] std::io::Error),
    /// The operating system would not start a thread.
    #[error("cannot start a thread: {0}")]
    Thread(#[source] std::io::Error),
    /// A thread spacedip started stopped before answering (it panicked or was cut off).
    #[error("internal error: the {thread} thread stopped unexpectedly")]
    WorkerGone { thread: &'static str },
    #[error(transparent)]
    Vocab(#[from] VocabError),
    #[error(transparent)]
    Date(#[from] DateError),
    #[error(transparent)]
    Filter(#[from] FilterError),
    #[error(transparent)]
    View(#[from] ViewError),
    #[error("{} problem(s) found, nothing was written:\n{}", .0.len(), format_problems(.0))]
    Invalid(Vec<Problem>),
    #[error("no {what} with id '{id}'")]
    NotFound { what: &'static str, id: String },
    #[error("no {what} with id '{id}'{hint}")]
    Unknown {
        what: &'static str,
        id: String,
        /// " (did you mean …?)", or empty.
        hint: String,
    },
    #[error("{0}")]
    Usage(String),
    #[error("JSON: {0}")]
    Json(serde_json::Error),
    #[error("CSV: {0}")]
    Csv(String),
    #[error("event '{id}' is invalid: {}", format_fields(.problems))]
    InvalidEvent {
        id: String,
        problems: Vec<FieldProblem>,
    },
    #[error("{0}")]
    Refused(String),
    /// A failure of spacedip itself (a worker thread that panicked), not of the data.
    #[error("internal error: {0}")]
    Internal(String),
    #[error("{}: already exists; pass --force to replace it (the file was left untouched)", .0.display())]
    OutputExists(PathBuf),
    #[error("{}: opened read-only ({reason}): it can be listed, shown and exported, not changed", .path.display())]
    ReadOnly { path: PathBuf, reason: String },
    /// The spreadsheet writer refused the workbook.
    #[error("XLSX: {0}")]
    Spreadsheet(String),
    #[error("{}: the database is damaged ({verdict}); nothing was written. Export what still reads (`spacedip export --format json`), then `spacedip init --force` keeps the damaged file as a backup and starts afresh", .path.display())]
    Damaged { path: PathBuf, verdict: String },
}

fn format_fields(problems: &[FieldProblem]) -> String {
    problems
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

impl From<serde_json::Error> for Error {
    /// A write failure inside serde_json (a closed pipe, a full disk) is an I/O error, so that
    /// callers treat it like any other write failure.
    fn from(e: serde_json::Error) -> Self {
        match e.io_error_kind() {
            Some(kind) => Error::Write(std::io::Error::new(kind, e.to_string())),
            None => Error::Json(e),
        }
    }
}

impl From<csv::Error> for Error {
    /// I/O failures stay write errors (a closed pipe is not a CSV problem).
    fn from(e: csv::Error) -> Self {
        if !e.is_io_error() {
            return Error::Csv(e.to_string());
        }
        match e.into_kind() {
            csv::ErrorKind::Io(io) => Error::Write(io),
            other => Error::Csv(format!("{other:?}")),
        }
    }
}

fn format_problems(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Error {
    /// True when another connection kept the database busy or locked past the busy timeout.
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            Error::Database {
                kind: DatabaseKind::Busy,
                ..
            }
        )
    }

    /// True when the query was interrupted because a newer one replaced it.
    pub fn is_interrupted(&self) -> bool {
        matches!(
            self,
            Error::Database {
                kind: DatabaseKind::Interrupted,
                ..
            }
        )
    }

    /// True when a constraint of the schema refused a write.
    pub fn is_constraint(&self) -> bool {
        matches!(
            self,
            Error::Database {
                kind: DatabaseKind::Constraint,
                ..
            }
        )
    }

    /// True for errors caused by how the user called spacedip (exit code 2).
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            Error::Usage(_)
                | Error::Vocab(_)
                | Error::Date(_)
                | Error::Filter(_)
                | Error::OutputExists(_)
        )
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
