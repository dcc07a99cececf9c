//! The events CSV interchange format: what `list --format csv` and `export --format csv` write
//! and `import` reads back.
//!
//! With neutralisation on (the default), cells that a spreadsheet would run as a formula get
//! an apostrophe in front (see [`super::formula`]); `import` removes it, so the file still
//! round-trips byte for byte.

use std::borrow::Cow;
use std::io::Write;

use crate::domain::{Certainty, Event, Role};
use crate::error::Result;
use crate::interchange::formula::neutralise;
use crate::interchange::EVENT_COLUMNS;
use crate::progress::{Progress, Silent};

/// The `parties` cell: `ACTOR[:role[:claimed]]` joined by `;`, the default role `partner`
/// left implicit unless a claimed certainty follows it.
pub fn parties_cell(e: &Event) -> String {
    // Into one string: a writer of a million rows made a string a party, then joined them.
    let mut cell = String::new();
    for (i, p) in e.parties.iter().enumerate() {
        if i > 0 {
            cell.push(';');
        }
        cell.push_str(&p.actor);
        match (p.role, p.certainty) {
            (_, Certainty::Claimed) => {
                for part in [p.role.as_str(), p.certainty.as_str()] {
                    cell.push(':');
                    cell.push_str(part);
                }
            }
            (Role::Partner, Certainty::Confirmed) => {}
            (role, Certainty::Confirmed) => {
                cell.push(':');
                cell.push_str(role.as_str());
            }
        }
    }
    cell
}

/// The `sources` cell: `SOURCE[:locator]` joined by `;`.
pub fn sources_cell(e: &Event) -> String {
    let mut cell = String::new();
    for (i, s) in e.sources.iter().enumerate() {
        if i > 0 {
            cell.push(';');
        }
        cell.push_str(&s.source);
        if let Some(l) = &s.locator {
            cell.push(':');
            cell.push_str(l);
        }
    }
    cell
}

/// One event as the interchange row, in `EVENT_COLUMNS` order.
pub fn event_row(e: &Event) -> [String; 15] {
    event_cells(e).map(Cow::into_owned)
}

/// [`event_row`] with the texts borrowed from the event: what a writer of a million rows
/// uses, as it copies nothing it need not.
fn event_cells(e: &Event) -> [Cow<'_, str>; 15] {
    fn text(s: &str) -> Cow<'_, str> {
        Cow::Borrowed(s)
    }
    fn or_empty(s: &Option<String>) -> Cow<'_, str> {
        Cow::Borrowed(s.as_deref().unwrap_or_default())
    }
    [
        text(&e.id),
        Cow::Owned(e.date.to_string()),
        e.end_date
            .map_or(Cow::Borrowed(""), |d| Cow::Owned(d.to_string())),
        text(&e.programme),
        Cow::Borrowed(e.kind.as_str()),
        Cow::Borrowed(e.channel.as_str()),
        Cow::Borrowed(e.valence.as_str()),
        or_empty(&e.venue),
        or_empty(&e.follows),
        text(&e.title),
        text(&e.summary),
        text(&e.notes),
        Cow::Owned(parties_cell(e)),
        Cow::Owned(e.institutions.join(";")),
        Cow::Owned(sources_cell(e)),
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
    for cell in cells {
        // Control characters (ESC, BEL, …) would reach a terminal or spreadsheet raw; line
        // breaks and tabs are data and CSV quoting carries them.
        let inert = inert_cell(cell.as_ref());
        if neutralised {
            w.write_field(neutralise(&inert).as_bytes())?;
        } else {
            w.write_field(inert.as_bytes())?;
        }
    }
    // No field left: this ends the record.
    Ok(w.write_record(None::<&[u8]>)?)
}

/// A cell with every control character but tab, CR and LF replaced by U+FFFD.
fn inert_cell(cell: &str) -> Cow<'_, str> {
    let bad = |c: char| c.is_control() && !matches!(c, '\t' | '\r' | '\n');
    // Every control character is a byte below 0x20, DEL, or (U+0080 to U+009F) a pair
    // starting 0xC2: a cell without those bytes, nearly every one, is checked bytewise.
    let suspect =
        |b: &u8| (*b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n')) || matches!(b, 0x7f | 0xc2);
    // A fold, not `any`: it reads every byte, and so runs many at a time.
    if cell
        .as_bytes()
        .iter()
        .fold(false, |seen, b| seen | suspect(b))
        && cell.chars().any(bad)
    {
        Cow::Owned(
            cell.chars()
                .map(|c| if bad(c) { '\u{fffd}' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(cell)
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
        write_record(&mut w, event_cells(e?.borrow()), neutralised)?;
        progress.advance(1);
    }
    w.flush()?;
    Ok(())
}
