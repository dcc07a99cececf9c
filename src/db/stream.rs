//! The events a filter selects, read a chunk at a time for writers that go event by event, so
//! that an export of a million events never holds them all: the row ids in the filter's order
//! first (eight bytes each), then each chunk read whole by row id.

use std::collections::VecDeque;

use super::rows::{by_keys, Parts};
use super::Db;
use crate::domain::{Catalog, Event, Filter};
use crate::error::Result;
use crate::search::Query;

/// How many events a chunk reads at once.
const CHUNK: usize = 4096;

/// An iterator over the selected events, in order; an error ends it.
pub struct EventStream<'a> {
    db: &'a Db,
    keys: Vec<i64>,
    next: usize,
    buffer: VecDeque<Event>,
    /// A search is ranked over every event: its results are read whole, here.
    whole: Option<std::vec::IntoIter<Event>>,
    failed: bool,
}

impl EventStream<'_> {
    /// How many events the stream yields in all.
    pub fn len(&self) -> usize {
        match &self.whole {
            Some(events) => events.len(),
            None => self.keys.len(),
        }
    }

    /// True when the filter selects nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Iterator for EventStream<'_> {
    type Item = Result<Event>;

    fn next(&mut self) -> Option<Result<Event>> {
        if self.failed {
            return None;
        }
        if let Some(events) = &mut self.whole {
            return events.next().map(Ok);
        }
        if self.buffer.is_empty() && self.next < self.keys.len() {
            let end = (self.next + CHUNK).min(self.keys.len());
            let chunk = &self.keys[self.next..end];
            let read =
                by_keys(chunk).and_then(|w| self.db.read_keyed_as(&w, chunk, Parts::Whole, false));
            match read {
                Ok(events) => self.buffer.extend(events.into_iter().map(|(_, e)| e)),
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
            self.next = end;
        }
        self.buffer.pop_front().map(Ok)
    }
}

impl Db {
    /// The events `filter` selects, in its order, as a stream (see the module).
    pub fn stream_events<'a>(
        &'a self,
        filter: &Filter,
        catalog: &Catalog,
    ) -> Result<EventStream<'a>> {
        let searching = filter.search.as_deref().and_then(Query::parse).is_some();
        let (keys, whole) = if searching {
            (Vec::new(), Some(self.events(filter, catalog)?.into_iter()))
        } else {
            (self.ordered_keys(filter, catalog)?, None)
        };
        Ok(EventStream {
            db: self,
            keys,
            next: 0,
            buffer: VecDeque::new(),
            whole,
            failed: false,
        })
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
            let stream = db.stream_events(&filter, &catalog).unwrap();
            assert_eq!(stream.len(), whole.len());
            let streamed: Vec<Event> = stream.map(|e| e.unwrap()).collect();
            assert_eq!(streamed, whole, "{filter:?}");
        }
    }
}
