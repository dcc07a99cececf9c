//! The curated seed dataset, embedded in the binary and read through the import code.

use crate::domain::Dataset;
use crate::domain::KnownIds;
use crate::error::Result;
use crate::import::{read_tables, TableKind};

/// The seed's files, in the order they are read.
pub const FILES: [(&str, &str, TableKind); 6] = [
    (
        "seed/programmes.csv",
        include_str!("../seed/programmes.csv"),
        TableKind::Programmes,
    ),
    (
        "seed/actors.csv",
        include_str!("../seed/actors.csv"),
        TableKind::Actors,
    ),
    (
        "seed/institutions.csv",
        include_str!("../seed/institutions.csv"),
        TableKind::Institutions,
    ),
    (
        "seed/institution_members.csv",
        include_str!("../seed/institution_members.csv"),
        TableKind::Memberships,
    ),
    (
        "seed/sources.csv",
        include_str!("../seed/sources.csv"),
        TableKind::Sources,
    ),
    (
        "seed/events.csv",
        include_str!("../seed/events.csv"),
        TableKind::Events,
    ),
];

/// Reads and validates the seed. The tests guarantee that this succeeds for the shipped
/// files; it still reports problems properly rather than panicking.
pub fn dataset() -> Result<Dataset> {
    let files: Vec<(&str, &[u8], TableKind)> = FILES
        .iter()
        .map(|(name, text, kind)| (*name, text.as_bytes(), *kind))
        .collect();
    read_tables(&files, &KnownIds::default())
}
