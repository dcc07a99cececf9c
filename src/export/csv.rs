//! The events CSV interchange format: what `list --format csv` and `export --format csv` write
//! and `import` reads back.
//!
//! With neutralisation on (the default), cells that a spreadsheet would run as a formula get
//! an apostrophe in front (see [`super::formula`]); `import` removes it, so the file still
//! round-trips byte for byte.

use std::io::Write;

use crate::domain::{Certainty, Event, Role};
use crate::error::Result;
use crate::interchange::formula::neutralise;
use crate::interchange::EVENT_COLUMNS;
use crate::progress::{Progress, Silent};

/// The `parties` cell: `ACTOR[:role[:claimed]]` joined by `;`, the default role `partner`
/// left implicit unless a claimed certainty follows it.
pub fn parties_cell(e: &Event) -> String {
    e.parties
        .iter()
        .map(|p| match (p.role, p.certainty) {
            (_, Certainty::Claimed) => format!("{}:{}:{}", p.actor, p.role, p.certainty),
            (Role::Partner, Certainty::Confirmed) => p.actor.clone(),
            (role, Certainty::Confirmed) => format!("{}:{role}", p.actor),
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
pub fn event_row(e: &Event) -> [String; 15] {
    [
        e.id.clone(),
        e.date.to_string(),
        e.end_date.map(|d| d.to_string()).unwrap_or_default(),
        e.programme.clone(),
        e.kind.to_string(),
        e.channel.to_string(),
        e.valence.to_string(),
        e.venue.clone().unwrap_or_default(),
        e.follows.clone().unwrap_or_default(),
        e.title.clone(),
        e.summary.clone(),
        e.notes.clone(),
        parties_cell(e),
        e.institutions.join(";"),
        sources_cell(e),
    ]
}

/// A CSV writer with the conventions of every spacedip CSV: RFC 4180 quoting, LF line endings.
pub(crate) fn writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out)
}

/// Writes one record, neutralising formula cells when asked.
pub(crate) fn write_record<I, S>(
    w: &mut csv::Writer<&mut dyn Write>,
    cells: I,
    neutralised: bool,
) -> Result<()>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let cells: Vec<String> = cells
        .into_iter()
        .map(|c| {
            // Control characters (ESC, BEL, …) would reach a terminal or spreadsheet raw; line
            // breaks and tabs are data and CSV quoting carries them.
            let c = &*inert_cell(c.as_ref());
            if neutralised {
                neutralise(c).into_owned()
            } else {
                c.to_string()
            }
        })
        .collect();
    Ok(w.write_record(&cells)?)
}

/// A cell with every control character but tab, CR and LF replaced by U+FFFD.
fn inert_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| c.is_control() && !matches!(c, '\t' | '\r' | '\n');
    if cell.chars().any(bad) {
        std::borrow::Cow::Owned(
            cell.chars()
                .map(|c| if bad(c) { '\u{fffd}' } else { c })
                .collect(),
        )
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// Writes a plain table as CSV with the conventions of every spacedip CSV (header first, LF
/// line endings, control characters made inert, formula cells neutralised when asked).
pub fn write_rows<R, S>(
    out: &mut dyn Write,
    header: &[&str],
    rows: impl IntoIterator<Item = R>,
    neutralised: bool,
) -> Result<()>
where
    R: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut w = writer(out);
    w.write_record(header)?;
    for row in rows {
        write_record(&mut w, row, neutralised)?;
    }
    w.flush()?;
    Ok(())
}

/// Writes events as the interchange CSV (RFC 4180, LF line endings, header first).
pub fn write_events(events: &[Event], neutralised: bool, out: &mut dyn Write) -> Result<()> {
    write_events_reporting(events, neutralised, &Silent, out)
}

/// The interchange CSV of events that come one at a time (a stream read in chunks): the
/// same bytes as [`write_events`] on the same events; the first error stops it.
pub fn write_event_stream(
    events: &mut dyn Iterator<Item = Result<Event>>,
    neutralised: bool,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<()> {
    write_each(events, neutralised, progress, out)
}

/// [`write_events`], advancing `progress` by one per event written.
pub fn write_events_reporting(
    events: &[Event],
    neutralised: bool,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<()> {
    write_each(events.iter().map(Ok), neutralised, progress, out)
}

/// The header, then a row per event as each comes (held or streamed alike).
fn write_each<E: std::borrow::Borrow<Event>>(
    events: impl Iterator<Item = Result<E>>,
    neutralised: bool,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<()> {
    let mut w = writer(out);
    w.write_record(EVENT_COLUMNS)?;
    for e in events {
        write_record(&mut w, event_row(e?.borrow()), neutralised)?;
        progress.advance(1);
    }
    w.flush()?;
    Ok(())
}
