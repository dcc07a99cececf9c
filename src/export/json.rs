//! JSON and NDJSON: full event records with partners and their roles, institutions and
//! full sources, resolved from the catalog.

use std::borrow::Borrow;
use std::cell::RefCell;
use std::io::Write;

use serde::ser::SerializeSeq;
use serde::Serialize;

use super::Selection;
use crate::domain::{Catalog, Event, Source};
use crate::error::{Error, Result};
use crate::progress::Progress;

#[derive(Serialize)]
struct PartyOut<'a> {
    actor: &'a str,
    name: Option<&'a str>,
    kind: Option<&'a str>,
    country: Option<&'a str>,
    role: &'a str,
    certainty: &'a str,
}

#[derive(Serialize)]
struct InstitutionOut<'a> {
    id: &'a str,
    name: Option<&'a str>,
    kind: Option<&'a str>,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct SourceOut<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    locator: Option<&'a str>,
    #[serde(rename = "type")]
    source_type: Option<&'a str>,
    author: Option<&'a str>,
    title: Option<&'a str>,
    container: Option<&'a str>,
    publisher: Option<&'a str>,
    issued: Option<String>,
    url: Option<&'a str>,
    doi: Option<&'a str>,
    language: Option<&'a str>,
    accessed: Option<String>,
}

impl<'a> SourceOut<'a> {
    fn new(id: &'a str, locator: Option<&'a str>, s: Option<&'a Source>) -> Self {
        SourceOut {
            id,
            locator,
            source_type: s.map(|s| s.source_type.as_str()),
            author: s.and_then(|s| s.author.as_deref()),
            title: s.map(|s| s.title.as_str()),
            container: s.and_then(|s| s.container.as_deref()),
            publisher: s.and_then(|s| s.publisher.as_deref()),
            issued: s.and_then(|s| s.issued).map(|d| d.to_string()),
            url: s.and_then(|s| s.url.as_deref()),
            doi: s.and_then(|s| s.doi.as_deref()),
            language: s.and_then(|s| s.language.as_deref()),
            accessed: s.and_then(|s| s.accessed).map(|d| d.to_string()),
        }
    }
}

/// One event as a full JSON record: partners with their names, kinds, states and roles,
/// institutions with their names, kinds and URLs, and every cited source in full.
#[derive(Serialize)]
pub struct EventRecord<'a> {
    id: &'a str,
    date: String,
    end_date: Option<String>,
    precision: &'a str,
    programme: &'a str,
    programme_name: Option<&'a str>,
    kind: &'a str,
    channel: &'a str,
    valence: &'a str,
    venue: Option<&'a str>,
    follows: Option<&'a str>,
    title: &'a str,
    summary: &'a str,
    notes: &'a str,
    parties: Vec<PartyOut<'a>>,
    institutions: Vec<InstitutionOut<'a>>,
    sources: Vec<SourceOut<'a>>,
}

impl<'a> EventRecord<'a> {
    /// The record of `e`, its ids resolved through `c` (`null` where `c` lacks one).
    pub fn new(e: &'a Event, c: &'a Catalog) -> Self {
        EventRecord {
            id: &e.id,
            date: e.date.to_string(),
            end_date: e.end_date.map(|d| d.to_string()),
            precision: e.date.precision().as_str(),
            programme: &e.programme,
            programme_name: c.programme(&e.programme).map(|p| p.name.as_str()),
            kind: e.kind.as_str(),
            channel: e.channel.as_str(),
            valence: e.valence.as_str(),
            venue: e.venue.as_deref(),
            follows: e.follows.as_deref(),
            title: &e.title,
            summary: &e.summary,
            notes: &e.notes,
            parties: e
                .parties
                .iter()
                .map(|p| {
                    let a = c.actor(&p.actor);
                    PartyOut {
                        actor: &p.actor,
                        name: a.map(|a| a.name.as_str()),
                        kind: a.map(|a| a.kind.as_str()),
                        country: c.state_of(&p.actor),
                        role: p.role.as_str(),
                        certainty: p.certainty.as_str(),
                    }
                })
                .collect(),
            institutions: e
                .institutions
                .iter()
                .map(|i| {
                    let inst = c.institution(i);
                    InstitutionOut {
                        id: i,
                        name: inst.map(|i| i.name.as_str()),
                        kind: inst.map(|i| i.kind.as_str()),
                        url: inst.and_then(|i| i.url.as_deref()),
                    }
                })
                .collect(),
            sources: e
                .sources
                .iter()
                .map(|s| SourceOut::new(&s.source, s.locator.as_deref(), c.source(&s.source)))
                .collect(),
        }
    }
}

/// The records of events held or coming one at a time, as a JSON array, each built as it is
/// written (and counted). An error reading an event ends the array there; it is kept to be
/// returned as itself rather than as the serializer's message.
struct Records<'a, I> {
    events: RefCell<I>,
    catalog: &'a Catalog,
    progress: &'a dyn Progress,
    failed: RefCell<Option<Error>>,
}

impl<I, E> Serialize for Records<'_, I>
where
    I: Iterator<Item = Result<E>>,
    E: Borrow<Event>,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for event in &mut *self.events.borrow_mut() {
            match event {
                Ok(e) => {
                    self.progress.advance(1);
                    seq.serialize_element(&EventRecord::new(e.borrow(), self.catalog))?;
                }
                Err(e) => {
                    *self.failed.borrow_mut() = Some(e);
                    return Err(serde::ser::Error::custom("reading the events failed"));
                }
            }
        }
        seq.end()
    }
}

/// A JSON array of full records, pretty-printed, ending with a newline, per event as each
/// comes (held or streamed alike); `progress` advances by one per record.
fn json_each<E: Borrow<Event>>(
    events: impl Iterator<Item = Result<E>>,
    catalog: &Catalog,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<()> {
    let records = Records {
        events: RefCell::new(events),
        catalog,
        progress,
        failed: RefCell::new(None),
    };
    let written = super::json_out::pretty(out, &records);
    match records.failed.into_inner() {
        Some(e) => Err(e),
        None => written,
    }
}

/// A JSON array of full records, pretty-printed, ending with a newline; `progress` advances
/// by one per record.
pub fn write_events(
    sel: Selection<'_>,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<()> {
    json_each(sel.events.iter().map(Ok), sel.catalog, progress, out)
}

/// The JSON array of events that come one at a time: the same bytes as [`write_events`],
/// without holding the events.
pub fn write_json_stream(
    events: &mut dyn Iterator<Item = Result<Event>>,
    catalog: &Catalog,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<()> {
    json_each(events, catalog, progress, out)
}

/// NDJSON of events that come one at a time: the same bytes as [`write_ndjson`].
pub fn write_ndjson_stream(
    events: &mut dyn Iterator<Item = Result<Event>>,
    catalog: &Catalog,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<()> {
    ndjson_each(events, catalog, progress, out)
}

/// One compact JSON record per line; `progress` advances by one per record.
pub fn write_ndjson(
    sel: Selection<'_>,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<()> {
    ndjson_each(sel.events.iter().map(Ok), sel.catalog, progress, out)
}

/// A JSON record per line, per event as each comes (held or streamed alike).
fn ndjson_each<E: Borrow<Event>>(
    events: impl Iterator<Item = Result<E>>,
    catalog: &Catalog,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<()> {
    for e in events {
        super::json_out::line(out, &EventRecord::new(e?.borrow(), catalog))?;
        out.write_all(b"\n")?;
        progress.advance(1);
    }
    Ok(())
}
