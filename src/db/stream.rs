//! The events a filter selects, one at a time, for writers that go event by event, so that an
//! export of a million events never holds them all.
//!
//! The filter's order (by date, say) is not the order rows are stored in, and reading a
//! million rows in date order jumps all over the file. So a small selection is read a chunk
//! at a time in the filter's order, and a large one is read in storage order (row id, the
//! order pages lie in) into a spill file beside nothing (created in the temporary directory
//! and unlinked at once, so that nothing is left behind even when the process is killed),
//! then handed out in the filter's order from there.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};

use super::rows::{by_keys, Parts};
use super::Db;
use crate::domain::{Catalog, Event, Filter};
use crate::error::{Error, Result};

/// How many events a chunk reads at once.
const CHUNK: usize = 4096;
/// From this many events a stream reads in storage order through a spill file.
pub const SPILL_FROM: usize = 50_000;

/// Where the events come from.
enum Source {
    /// Row ids in the filter's order, read a chunk at a time.
    Keys {
        keys: Vec<i64>,
        next: usize,
        buffer: VecDeque<Event>,
    },
    /// The events spilled in storage order, with each one's place (offset, length) in the
    /// filter's order; a length of 0 marks an event gone meanwhile.
    Spilled {
        file: File,
        places: Vec<(u64, u32)>,
        next: usize,
    },
}

/// An iterator over the selected events, in the filter's order; an error ends it.
pub struct EventStream<'a> {
    db: &'a Db,
    source: Source,
    len: usize,
    failed: bool,
}

impl EventStream<'_> {
    /// How many events the stream yields in all.
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
            Source::Spilled { file, places, next } => loop {
                let &(offset, len) = places.get(*next)?;
                *next += 1;
                if len == 0 {
                    continue;
                }
                return Some(read_spilled(file, offset, len));
            },
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

fn spill_error(e: std::io::Error) -> Error {
    Error::Io {
        path: std::env::temp_dir(),
        source: e,
    }
}

fn read_spilled(file: &mut File, offset: u64, len: u32) -> Result<Event> {
    let mut bytes = vec![0; len as usize];
    file.seek(SeekFrom::Start(offset)).map_err(spill_error)?;
    file.read_exact(&mut bytes).map_err(spill_error)?;
    Ok(serde_json::from_slice(&bytes)?)
}

impl Db {
    /// The events `filter` selects, in its order, as a stream (see the module).
    pub fn stream_events<'a>(
        &'a self,
        filter: &Filter,
        catalog: &Catalog,
    ) -> Result<EventStream<'a>> {
        self.stream_events_spilling(filter, catalog, SPILL_FROM)
    }

    /// [`Db::stream_events`], spilling from `spill_from` events.
    pub(crate) fn stream_events_spilling<'a>(
        &'a self,
        filter: &Filter,
        catalog: &Catalog,
        spill_from: usize,
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
        if n < spill_from {
            let source = Source::Keys {
                keys,
                next: 0,
                buffer: VecDeque::new(),
            };
            return Ok(stream(source, n));
        }
        let (file, places) = self.spill(&keys)?;
        Ok(stream(
            Source::Spilled {
                file,
                places,
                next: 0,
            },
            n,
        ))
    }

    /// Reads the events of `keys` in row-id order into a spill file; returns it with each
    /// event's place, in the order of `keys`.
    fn spill(&self, keys: &[i64]) -> Result<(File, Vec<(u64, u32)>)> {
        let mut by_row: Vec<(i64, usize)> = keys.iter().copied().zip(0..).collect();
        by_row.sort_unstable();
        let mut places = vec![(0u64, 0u32); keys.len()];
        let mut file = crate::outfile::scratch_file("stream")?;
        let mut out = BufWriter::new(&mut file);
        let mut offset = 0u64;
        for chunk in by_row.chunks(CHUNK) {
            let rows: Vec<i64> = chunk.iter().map(|(k, _)| *k).collect();
            let events = self.read_keyed_as(&by_keys(&rows)?, &rows, Parts::Whole, false)?;
            for (key, event) in events {
                let Ok(i) = chunk.binary_search_by_key(&key, |(k, _)| *k) else {
                    continue;
                };
                let bytes = serde_json::to_vec(&event)?;
                out.write_all(&bytes).map_err(spill_error)?;
                places[chunk[i].1] = (offset, bytes.len() as u32);
                offset += bytes.len() as u64;
            }
        }
        out.flush().map_err(spill_error)?;
        drop(out);
        Ok((file, places))
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
            for spill_from in [usize::MAX, 0] {
                let stream = db
                    .stream_events_spilling(&filter, &catalog, spill_from)
                    .unwrap();
                assert_eq!(stream.len(), whole.len());
                let streamed: Vec<Event> = stream.map(|e| e.unwrap()).collect();
                assert_eq!(streamed, whole, "{filter:?} spilling from {spill_from}");
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
            .stream_events_spilling(&Filter::default(), &catalog, 0)
            .unwrap();
        assert_eq!(leftovers(), 0, "unlinked while open");
        assert_eq!(stream.count(), 130);
    }
}
