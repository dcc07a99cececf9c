//! The events CSV interchange format: what `list --format csv` and `export --format csv` write
//! and `import` reads back.

use std::io::Write;

use crate::domain::{Event, Role};
use crate::error::{Error, Result};
use crate::import::EVENT_COLUMNS;

/// The `parties` cell: `ACTOR[:role]` joined by `;`, the default role `partner` left implicit.
pub fn parties_cell(e: &Event) -> String {
    e.parties
        .iter()
        .map(|p| {
            if p.role == Role::Partner {
                p.actor.clone()
            } else {
                format!("{}:{}", p.actor, p.role)
            }
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// The `sources` cell: `SOURCE[:locator]` joined by `;`.
pub fn sources_cell(e: &Event) -> String {
    e.sources
        .iter()
        .map(|s| match &s.locator {
            Some(l) => format!("{}:{l}", s.source),
            None => s.source.clone(),
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// One event as the interchange row, in `EVENT_COLUMNS` order.
pub fn event_row(e: &Event) -> [String; 12] {
    [
        e.id.clone(),
        e.date.to_string(),
        e.end_date.map(|d| d.to_string()).unwrap_or_default(),
        e.programme.clone(),
        e.kind.to_string(),
        e.channel.to_string(),
        e.title.clone(),
        e.summary.clone(),
        e.notes.clone(),
        parties_cell(e),
        e.institutions.join(";"),
        sources_cell(e),
    ]
}

/// Writes events as the interchange CSV (RFC 4180, LF line endings, header first).
pub fn write_events(events: &[Event], out: &mut dyn Write) -> Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    let csv_err = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::Write(io),
        other => Error::Csv(format!("{other:?}")),
    };
    w.write_record(EVENT_COLUMNS).map_err(csv_err)?;
    for e in events {
        w.write_record(event_row(e)).map_err(csv_err)?;
    }
    w.flush()?;
    Ok(())
}
