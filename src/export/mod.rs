//! Exports: events and their sources written to any `impl Write`, with no I/O of their own.
//!
//! Every format is deterministic: the same events in the same order give the same bytes.

pub mod case_table;
pub mod cite;
pub mod csv;
pub mod json;

use std::io::Write;

use crate::domain::{Catalog, Event};
use crate::error::Result;

/// What an export writes: the selected events, in order, and the catalog that names their ids.
#[derive(Debug, Clone, Copy)]
pub struct Selection<'a> {
    pub events: &'a [Event],
    pub catalog: &'a Catalog,
}

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    Ndjson,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Csv, Format::Json, Format::Ndjson];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Ndjson => "ndjson",
        }
    }
}

/// Writes `selection` in `format` to `out`.
pub fn write(format: Format, selection: Selection<'_>, out: &mut dyn Write) -> Result<()> {
    match format {
        Format::Csv => csv::write_events(selection.events, out),
        Format::Json => json::write_events(selection, out),
        Format::Ndjson => json::write_ndjson(selection, out),
    }
}
