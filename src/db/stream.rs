//! The events a filter selects, one at a time, for writers that go event by event, so that an
//! export of a million events never holds them all.
//!
//! A small selection is read a chunk at a time in the filter's order. A large one is read
//! first in storage order, in one pass over each table (see [`super::spill`]), then handed
//! out in the filter's order: reading a million rows in date order would jump all over the
//! file.

use std::collections::VecDeque;

use super::rows::{by_keys, Parts};
use super::spill::SpillReader;
use super::Db;
use crate::domain::{Catalog, Event, Filter};
use crate::error::Result;

/// How many events a chunk reads at once.
const CHUNK: usize = 4096;
/// From this many events a stream reads in storage order through a spill, if they are also
/// a fair share of all (the spill reads every link table whole).
pub const SPILL_FROM: usize = 50_000;

/// Where the events come from.
enum Source {
    /// Row ids in the filter's order, read a chunk at a time.
    Keys {
        keys: Vec<i64>,
        next: usize,
        buffer: VecDeque<Event>,
    },
    /// The events spilled (read in storage order, filed by rank), read back on a thread of
    /// their own.
    Spilled(Box<SpillReader>),
}

/// An iterator over the selected events, in the filter's order; an error ends it.
pub struct EventStream<'a> {
    db: &'a Db,
    source: Source,
    len: usize,
    failed: bool,
}

impl EventStream<'_> {
    /// How many events the stream yields in all: at most, as an event deleted since it was
    /// selected is skipped.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the filter selects nothing.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn advance(&mut self) -> Option<Result<Event>> {
        match &mut self.source {
            Source::Keys { keys, next, buffer } => {
                if buffer.is_empty() && *next < keys.len() {
                    let end = (*next + CHUNK).min(keys.len());
                    let chunk = &keys[*next..end];
                    *next = end;
                    let read = by_keys(chunk)
                        .and_then(|w| self.db.read_keyed_as(&w, chunk, Parts::Whole, false));
                    match read {
                        Ok(events) => buffer.extend(events.into_iter().map(|(_, e)| e)),
                        Err(e) => return Some(Err(e)),
                    }
                }
                buffer.pop_front().map(Ok)
            }
            Source::Spilled(reader) => reader.next(),
        }
    }
}

impl Iterator for EventStream<'_> {
    type Item = Result<Event>;

    fn next(&mut self) -> Option<Result<Event>> {
        if self.failed {
            return None;
        }
        let item = self.advance();
        self.failed = matches!(item, Some(Err(_)));
        item
    }
}

impl Db {
    /// The events `filter` selects, in its order, as a stream (see the module).
    pub fn stream_events<'a>(
        &'a self,
        filter: &Filter,
        catalog: &Catalog,
    ) -> Result<EventStream<'a>> {
        self.stream_events_spilling(filter, catalog, None)
    }

    /// [`Db::stream_events`], through a spill or not as `spill` says (`None`: as the size of
    /// the selection says).
    pub(crate) fn stream_events_spilling<'a>(
        &'a self,
        filter: &Filter,
        catalog: &Catalog,
        spill: Option<bool>,
    ) -> Result<EventStream<'a>> {
        let stream = |source, len| EventStream {
            db: self,
            source,
            len,
            failed: false,
        };
        // A search ranks over every event first; its hits are then read like any selection.
        let keys = self.selected_keys(filter, catalog)?;
        let n = keys.len();
        let spill = match spill {
            Some(chosen) => chosen,
            // Chunks read by row id cost a few look-ups an event; a spill costs the link
            // tables whole, which pays only for a good share of them.
            None => n >= SPILL_FROM && n * super::load::SCAN_SHARE >= self.count_events()?,
        };
        // A spill needs a scratch file: where the temporary directory takes none (read-only,
        // missing), the events are read by row id, slower but whole.
        let scratch = if spill {
            crate::outfile::scratch_file("stream").ok()
        } else {
            None
        };
        let Some(scratch) = scratch else {
            let source = Source::Keys {
                keys,
                next: 0,
                buffer: VecDeque::new(),
            };
            return Ok(stream(source, n));
        };
        let reader = self.spill_into(&keys, scratch)?.into_reader()?;
        Ok(stream(Source::Spilled(Box::new(reader)), n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ChannelFilter, SortKey, SortOrder};

    #[test]
    fn the_stream_yields_what_events_returns_in_the_same_order() {
        let db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        for filter in [
            Filter::default(),
            Filter {
                channels: vec![ChannelFilter::Bilateral],
                sort: SortKey::Title,
                order: SortOrder::Desc,
                ..Filter::default()
            },
            Filter {
                search: Some("lunar".into()),
                ..Filter::default()
            },
        ] {
            let whole = db.events(&filter, &catalog).unwrap();
            // Read in the filter's order, and through a spill file in storage order.
            for spill in [false, true] {
                let stream = db
                    .stream_events_spilling(&filter, &catalog, Some(spill))
                    .unwrap();
                assert_eq!(stream.len(), whole.len());
                let streamed: Vec<Event> = stream.map(|e| e.unwrap()).collect();
                assert_eq!(streamed, whole, "{filter:?} spilled: {spill}");
            }
        }
    }

    #[test]
    fn the_spill_file_leaves_nothing_behind() {
        let db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let prefix = format!(".spacedip-stream.{}.", std::process::id());
        let leftovers = || {
            std::fs::read_dir(std::env::temp_dir())
                .unwrap()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
                .count()
        };
        let stream = db
            .stream_events_spilling(&Filter::default(), &catalog, Some(true))
            .unwrap();
        assert_eq!(leftovers(), 0, "unlinked while open");
        assert_eq!(stream.count(), 130);
    }
}
