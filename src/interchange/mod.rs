//! The interchange CSV, which `spacedip export --format csv` writes and `spacedip import`
//! reads back: the events file's header, and the reversible neutralisation of spreadsheet
//! formulas that the writer applies and the reader undoes. A leaf, so that `export` and
//! `import` share it without importing each other.

pub mod formula;

/// The header of `events.csv`, the interchange format.
pub const EVENT_COLUMNS: &[&str] = &[
    "id",
    "date",
    "end_date",
    "programme",
    "kind",
    "channel",
    "valence",
    "venue",
    "follows",
    "title",
    "summary",
    "notes",
    "parties",
    "institutions",
    "sources",
];
