//! Problems found in input, as plain values: a field's problem before it is tied to a place
//! ([`FieldProblem`], what validation returns) and a problem located in a file ([`Problem`],
//! what an import reports). The importer makes them, the database layer and the errors carry
//! them.

use std::fmt;

use serde::Serialize;

/// One problem in an input file, located to the line and, where known, the column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub file: String,
    pub line: u64,
    pub column: Option<usize>,
    pub field: String,
    pub message: String,
}

impl Problem {
    pub fn new(
        file: &str,
        line: u64,
        column: Option<usize>,
        field: &str,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            file: file.to_string(),
            line,
            column,
            field: field.to_string(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A problem with a whole file or folder has no line.
        if self.line == 0 {
            return write!(f, "{}: {}", self.file, self.message);
        }
        write!(f, "{}:{}", self.file, self.line)?;
        if let Some(c) = self.column {
            write!(f, ":{c}")?;
        }
        write!(f, " {}: {}", self.field, self.message)
    }
}

/// A problem with one field of a record, before it is tied to a place in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    /// The field, named as in the CSV header (`date`, `parties`, `sources`, …).
    pub field: String,
    pub message: String,
    /// When the problem is a reference to a record that does not exist: which table.
    #[serde(skip)]
    pub unknown: Option<Unknown>,
}

/// The table an unknown reference points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unknown {
    Programme,
    Actor,
    Institution,
    Source,
}

impl FieldProblem {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        FieldProblem {
            field: field.to_string(),
            message: message.into(),
            unknown: None,
        }
    }

    pub fn unknown(field: &str, what: Unknown, id: &str) -> Self {
        let name = match what {
            Unknown::Programme => "programme",
            Unknown::Actor => "actor",
            Unknown::Institution => "institution",
            Unknown::Source => "source",
        };
        FieldProblem {
            field: field.to_string(),
            message: format!("unknown {name} '{id}'"),
            unknown: Some(what),
        }
    }
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}
