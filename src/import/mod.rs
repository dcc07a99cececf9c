//! Import: reading and validating CSV tables into domain records, with no database access.
//!
//! The seed and users' files go through the same code. Everything is validated before anything
//! is written, and every problem is reported at once as `FILE:LINE:COLUMN field: message`.

pub mod bundle;
pub mod cells;
pub mod events_csv;
pub mod json;
pub mod records;
pub mod table;
pub mod validate;

pub use bundle::{Bundle, Created, Part};
pub use records::{
    is_valid_id, Located, ACTOR_COLUMNS, INSTITUTION_COLUMNS, MEMBER_COLUMNS, PROGRAMME_COLUMNS,
    SOURCE_COLUMNS,
};
pub use validate::{normalise_event, validate_event};

use crate::interchange::EVENT_COLUMNS;

use crate::domain::{Dataset, KnownIds};

/// Which table a CSV file holds, told by its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    Programmes,
    Actors,
    Institutions,
    Memberships,
    Sources,
    Events,
}

impl TableKind {
    pub const ALL: [TableKind; 6] = [
        TableKind::Programmes,
        TableKind::Actors,
        TableKind::Institutions,
        TableKind::Memberships,
        TableKind::Sources,
        TableKind::Events,
    ];

    pub fn columns(self) -> &'static [&'static str] {
        match self {
            TableKind::Programmes => PROGRAMME_COLUMNS,
            TableKind::Actors => ACTOR_COLUMNS,
            TableKind::Institutions => INSTITUTION_COLUMNS,
            TableKind::Memberships => MEMBER_COLUMNS,
            TableKind::Sources => SOURCE_COLUMNS,
            TableKind::Events => EVENT_COLUMNS,
        }
    }

    /// The headers a file of this table may have: the current one, then earlier releases'.
    pub fn headers(self) -> &'static [&'static [&'static str]] {
        match self {
            TableKind::Programmes => &[PROGRAMME_COLUMNS, records::LEGACY_PROGRAMME_COLUMNS],
            TableKind::Actors => &[ACTOR_COLUMNS],
            TableKind::Institutions => &[INSTITUTION_COLUMNS, records::LEGACY_INSTITUTION_COLUMNS],
            TableKind::Memberships => &[MEMBER_COLUMNS, records::LEGACY_MEMBER_COLUMNS],
            TableKind::Sources => &[SOURCE_COLUMNS],
            TableKind::Events => &[EVENT_COLUMNS, records::LEGACY_EVENT_COLUMNS],
        }
    }

    /// The table whose header is the first line of `bytes`, if any.
    pub fn sniff(bytes: &[u8]) -> Option<TableKind> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let first = bytes.split(|b| *b == b'\n').next()?;
        let first = String::from_utf8_lossy(first);
        let cols: Vec<&str> = first
            .trim_end_matches('\r')
            .split(',')
            .map(str::trim)
            .collect();
        TableKind::ALL
            .into_iter()
            .find(|k| k.headers().contains(&cols.as_slice()))
    }
}

/// Reads and validates a set of CSV tables (each named, with its kind) into a dataset whose
/// references must resolve within itself or `known`. Every problem is reported at once.
pub fn read_tables(
    files: &[(&str, &[u8], TableKind)],
    known: &KnownIds,
) -> crate::error::Result<Dataset> {
    let mut problems = Vec::new();
    let mut bundle = Bundle::default();
    for (file, bytes, kind) in files {
        bundle.read_csv(file, bytes, *kind, &mut problems);
    }
    problems.extend(bundle.validate(known));
    bundle.sort_problems(&mut problems);
    if problems.is_empty() {
        Ok(bundle.into_dataset())
    } else {
        Err(crate::error::Error::Invalid(problems))
    }
}
