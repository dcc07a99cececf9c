//! A large selection made ready for a stream in one pass over each table: the events' columns
//! into a scratch file, read in storage order and filed in buckets by their rank in the
//! filter's order, and their links into memory (four bytes a link once read; sixteen while a
//! table is being read). The stream then reads the file a bucket at a time and hands the
//! events out in the filter's order.
//!
//! Reading a million events whole in date order would jump all over the database, and looking
//! up each event's links by its id costs an index search a link. Here the event table is read
//! in row-id order, and each link table straight through, its rows matched to the events by
//! id in a hash table. All of it is read in one read transaction, so that a write committed
//! meanwhile cannot give an event the links of another version. The scratch file is unlinked
//! as soon as it is made, so that nothing is left behind even when the process is killed.

mod file;

use std::fs::File;
use std::sync::mpsc::{sync_channel, Receiver};

use rusqlite::Row;

use super::rows::{
    event_from_texts, event_texts, parse_vocab_ref, EVENT_COLUMNS, EVENT_COLUMN_COUNT,
};
use super::Db;
use crate::domain::links::{Ids, Interner};
use crate::domain::{Event, Party, SourceRef};
use crate::error::{Error, Result};
use file::{BucketReader, Buckets, Filling};

/// How many events one read of the event table asks for.
const CHUNK: usize = 16_384;
/// The length written for a NULL column.
const NULL: u32 = u32::MAX;
/// What comes before each part of a link's value after its id (see [`push_value`]).
const JOIN: char = '\0';

/// Where one selected event lies in its bucket (the bytes of the bucket's blocks end to
/// end), and its index in storage order (which its links are filed under).
#[derive(Debug, Clone, Copy)]
struct Place {
    offset: u64,
    len: u32,
    row: u32,
}

impl Place {
    /// The place of an event gone since it was selected.
    const GONE: Place = Place {
        offset: 0,
        len: 0,
        row: 0,
    };
}

/// One link table's values for every spilled event, by its index in storage order: the
/// values of event `r` are `codes[starts[r]..starts[r + 1]]`, each an index into `values`.
#[derive(Default)]
struct Runs {
    starts: Vec<u32>,
    codes: Vec<u32>,
    values: Ids,
}

impl Runs {
    fn of(&self, row: u32) -> impl Iterator<Item = &str> + '_ {
        let row = row as usize;
        let (start, end) = match (self.starts.get(row), self.starts.get(row + 1)) {
            (Some(&s), Some(&e)) => (s as usize, e as usize),
            _ => (0, 0),
        };
        self.codes[start..end]
            .iter()
            .map(|&c| self.values.get(c as usize).unwrap_or_default())
    }
}

/// A selection spilled: where each event lies, in the filter's order, and the links of all.
/// [`Spill::into_reader`] hands the events out.
///
/// The events are filed by their rank in the filter's order into buckets of consecutive
/// ranks, each written a block at a time as it fills (`file.rs`). Reading a bucket's blocks
/// (a few large reads) then gives its events in any order: a read per event, as in date
/// order after a read in row-id order, cost a system call each (2.5 s of system time for an
/// export of a million events, against 0.9 s).
pub(super) struct Spill {
    file: File,
    /// Each selected event's place, in the filter's order.
    places: Vec<Place>,
    buckets: Buckets,
    links: Links,
}

/// The three kinds of link of every spilled event.
struct Links {
    parties: Runs,
    institutions: Runs,
    sources: Runs,
}

impl Links {
    /// The event spilled as `record`, the `row`th in storage order, with its links.
    fn event(&self, row: u32, record: &[u8]) -> Result<Event> {
        let texts = decode(record).ok_or_else(|| {
            Error::Internal("the stream's scratch file does not read back".into())
        })?;
        let mut event = event_from_texts(&texts)?;
        let garbled = || Error::Internal("the stream's links do not read back".into());
        for value in self.parties.of(row) {
            let (actor, rest) = split_value(value).ok_or_else(garbled)?;
            let (role, certainty) = rest
                .strip_prefix(JOIN)
                .and_then(|r| r.split_once(JOIN))
                .ok_or_else(garbled)?;
            event.parties.push(Party {
                actor: actor.to_string(),
                role: parse_vocab_ref(role)?,
                certainty: parse_vocab_ref(certainty)?,
            });
        }
        event.institutions = self.institutions.of(row).map(String::from).collect();
        for value in self.sources.of(row) {
            let (source, rest) = split_value(value).ok_or_else(garbled)?;
            let locator = match rest {
                "" => None,
                _ => Some(rest.strip_prefix(JOIN).ok_or_else(garbled)?.to_string()),
            };
            event.sources.push(SourceRef {
                source: source.to_string(),
                locator,
            });
        }
        Ok(event)
    }
}

/// How many events the reading thread sends at once.
const BATCH: usize = 256;

/// The records of a run of events in the filter's order, end to end, each with its index in
/// storage order and where it ends in `bytes`.
#[derive(Default)]
struct Batch {
    bytes: Vec<u8>,
    records: Vec<(u32, usize)>,
}

/// The reading thread's side: the scratch file read a bucket at a time.
struct Fetcher {
    file: BucketReader,
    places: Vec<Place>,
    next: usize,
}

impl Fetcher {
    /// The next records in the filter's order, skipping the events gone since they were
    /// selected; `None` after the last.
    fn batch(&mut self) -> Result<Option<Batch>> {
        let mut batch = Batch::default();
        while batch.records.len() < BATCH {
            let Some(&place) = self.places.get(self.next) else {
                break;
            };
            self.next += 1;
            if place.len == 0 {
                continue;
            }
            let record = self.file.record(self.next - 1, place)?;
            batch.bytes.extend_from_slice(record);
            batch.records.push((place.row, batch.bytes.len()));
        }
        Ok((!batch.records.is_empty()).then_some(batch))
    }
}

/// The events of a spill in the filter's order. A thread of its own reads their records
/// from the scratch file, a batch ahead, while this side makes them events (so that every
/// event is made and dropped on the same thread: freeing memory another thread allocated
/// costs a lock each time).
pub(super) struct SpillReader {
    /// Batches of records, then `None` after the last (or an error).
    batches: Receiver<Result<Option<Batch>>>,
    current: Batch,
    /// The next record of `current`.
    at: usize,
    links: Links,
    /// The last batch or an error has come: nothing more will.
    done: bool,
}

impl Spill {
    /// The events, read on a thread that ends after the last record or the first error, or
    /// as soon as the reader is dropped.
    pub(super) fn into_reader(self) -> Result<SpillReader> {
        let Spill {
            file,
            places,
            buckets,
            links,
        } = self;
        let mut fetcher = Fetcher {
            file: BucketReader::new(file, buckets),
            places,
            next: 0,
        };
        let (send, batches) = sync_channel::<Result<Option<Batch>>>(4);
        std::thread::Builder::new()
            .name("spacedip-spill".into())
            .spawn(move || loop {
                let read = fetcher.batch();
                // After the last batch comes `None`, after an error nothing more.
                let more = matches!(read, Ok(Some(_)));
                if send.send(read).is_err() || !more {
                    return;
                }
            })
            .map_err(Error::Thread)?;
        Ok(SpillReader {
            batches,
            current: Batch::default(),
            at: 0,
            links,
            done: false,
        })
    }
}

impl Iterator for SpillReader {
    type Item = Result<Event>;

    fn next(&mut self) -> Option<Result<Event>> {
        loop {
            if let Some(&(row, end)) = self.current.records.get(self.at) {
                let start = match self.at {
                    0 => 0,
                    i => self.current.records[i - 1].1,
                };
                self.at += 1;
                return Some(self.links.event(row, &self.current.bytes[start..end]));
            }
            if self.done {
                return None;
            }
            let received = self.batches.recv();
            self.done = !matches!(received, Ok(Ok(Some(_))));
            match received {
                Ok(Ok(Some(batch))) => {
                    self.current = batch;
                    self.at = 0;
                }
                Ok(Ok(None)) => return None,
                Ok(Err(e)) => return Some(Err(e)),
                // Gone without saying it was done: it failed, and the stream is not whole.
                Err(_) => {
                    return Some(Err(Error::Internal(
                        "the stream's reading thread stopped before the end".into(),
                    )))
                }
            }
        }
    }
}

/// Appends the texts, each as its length (`NULL` for none) and its bytes; `None` for a text
/// too long to say (SQLite caps a text at a gigabyte, well under `NULL`).
fn encode(texts: &[Option<&str>; EVENT_COLUMN_COUNT], out: &mut Vec<u8>) -> Option<()> {
    for text in texts {
        match text {
            Some(t) => {
                let len = u32::try_from(t.len()).ok().filter(|&len| len != NULL)?;
                out.extend_from_slice(&len.to_le_bytes());
                out.extend_from_slice(t.as_bytes());
            }
            None => out.extend_from_slice(&NULL.to_le_bytes()),
        }
    }
    Some(())
}

/// The texts [`encode`] wrote, or `None` if the bytes are not such a record.
fn decode(mut bytes: &[u8]) -> Option<[Option<&str>; EVENT_COLUMN_COUNT]> {
    let mut texts = [None; EVENT_COLUMN_COUNT];
    for text in &mut texts {
        let (len, rest) = bytes.split_first_chunk::<4>()?;
        let len = u32::from_le_bytes(*len);
        bytes = rest;
        if len != NULL {
            let (t, rest) = bytes.split_at_checked(len as usize)?;
            *text = Some(std::str::from_utf8(t).ok()?);
            bytes = rest;
        }
    }
    bytes.is_empty().then_some(texts)
}

/// Appends a link's value: its id, led by the id's length so that nothing in it (not even a
/// NUL, which SQLite's `GLOB` check stops at) is taken for its end, then each of `parts`
/// after a [`JOIN`].
fn push_value(v: &mut String, id: &str, parts: &[&str]) {
    use std::fmt::Write as _;
    // Into the buffer: a `to_string` here would allocate once a link. Writing to a `String`
    // cannot fail.
    let _ = write!(v, "{}:", id.len());
    v.push_str(id);
    for part in parts {
        v.push(JOIN);
        v.push_str(part);
    }
}

/// The id of a value [`push_value`] made, and what follows it.
fn split_value(value: &str) -> Option<(&str, &str)> {
    let (len, rest) = value.split_once(':')?;
    let len: usize = len.parse().ok()?;
    Some((rest.get(..len)?, rest.get(len..)?))
}

impl Db {
    /// [`Db::spill_into`] a scratch file of its own.
    #[cfg(test)]
    pub(super) fn spill(&self, keys: &[i64]) -> Result<Spill> {
        self.spill_into(keys, crate::outfile::scratch_file("stream")?)
    }

    /// Spills the events of `keys` (row ids in the filter's order) into `file`, a scratch file
    /// (see [`crate::outfile::scratch_file`]); see the module.
    pub(super) fn spill_into(&self, keys: &[i64], file: File) -> Result<Spill> {
        // One snapshot for the four reads.
        self.snapshot(|| self.spill_now(keys, Buckets::for_events(keys.len()), file))
    }

    fn spill_now(&self, keys: &[i64], mut buckets: Buckets, mut file: File) -> Result<Spill> {
        let too_many = || Error::Internal("too many events for one stream".into());
        let n = u32::try_from(keys.len()).map_err(|_| too_many())?;
        let mut by_row: Vec<(i64, u32)> = keys.iter().copied().zip(0..n).collect();
        by_row.sort_unstable();
        let mut places = vec![Place::GONE; keys.len()];
        // Each event's index in storage order, by its id: what the link rows name.
        let mut events = Interner::default();
        {
            let mut filling = Filling::new(&mut file, buckets.blocks.len());
            let mut record = Vec::new();
            let mut st = self.conn.prepare(&format!(
                "SELECT e.rowid, {EVENT_COLUMNS} FROM event e \
                 WHERE e.rowid IN (SELECT value FROM json_each(?1))"
            ))?;
            for chunk in by_row.chunks(CHUNK) {
                let rows: Vec<i64> = chunk.iter().map(|&(k, _)| k).collect();
                let mut found = st.query([serde_json::to_string(&rows)?])?;
                while let Some(r) = found.next()? {
                    let key: i64 = r.get(0)?;
                    let Ok(i) = chunk.binary_search_by_key(&key, |&(k, _)| k) else {
                        continue;
                    };
                    let texts = event_texts(r, 1)?;
                    let row = events
                        .code(texts[0].unwrap_or_default())
                        .ok_or_else(too_many)?;
                    record.clear();
                    encode(&texts, &mut record).ok_or_else(too_many)?;
                    let rank = chunk[i].1 as usize;
                    let bucket = rank / buckets.size;
                    let offset = filling.add(&mut buckets, bucket, &record)?;
                    places[rank] = Place {
                        offset,
                        // SQLite caps a row at a gigabyte.
                        len: u32::try_from(record.len()).map_err(|_| too_many())?,
                        row,
                    };
                }
            }
            filling.finish(&mut buckets)?;
        }
        let mut value = String::new();
        let parties = self.spill_links(
            "event_actor",
            "actor_id, role, certainty",
            &events,
            |r, v| {
                let text = |i: usize| r.get_ref(i).and_then(|t| Ok(t.as_str()?));
                push_value(v, text(2)?, &[text(3)?, text(4)?]);
                Ok(())
            },
            &mut value,
        )?;
        let institutions = self.spill_links(
            "event_institution",
            "institution_id",
            &events,
            |r, v| {
                v.push_str(r.get_ref(2)?.as_str()?);
                Ok(())
            },
            &mut value,
        )?;
        let sources = self.spill_links(
            "event_source",
            "source_id, locator",
            &events,
            |r, v| {
                let source = r.get_ref(2)?.as_str()?;
                match r.get_ref(3)?.as_str_or_null()? {
                    Some(locator) => push_value(v, source, &[locator]),
                    None => push_value(v, source, &[]),
                }
                Ok(())
            },
            &mut value,
        )?;
        Ok(Spill {
            file,
            places,
            buckets,
            links: Links {
                parties,
                institutions,
                sources,
            },
        })
    }

    /// The links in `table` (columns `event_id, position, {columns}`) of the events in
    /// `events`, each link's value made by `value` into the buffer `v`.
    fn spill_links(
        &self,
        table: &str,
        columns: &str,
        events: &Interner,
        value: impl Fn(&Row<'_>, &mut String) -> rusqlite::Result<()>,
        v: &mut String,
    ) -> Result<Runs> {
        let too_many = || Error::Internal(format!("{table}: too many links for one stream"));
        let mut values = Interner::default();
        // (event's index, position, value): in table order, which is almost always already
        // each event's position order, as links are written in it.
        let mut found: Vec<(u32, i64, u32)> = Vec::new();
        let mut sorted = true;
        let mut st = self.conn.prepare(&format!(
            "SELECT event_id, position, {columns} FROM {table}"
        ))?;
        let mut rows = st.query([])?;
        // Links lie in the order of their events, nearly always: the event of the last link,
        // or the next one, is tried before the hash table.
        let mut last = 0;
        while let Some(r) = rows.next()? {
            let id = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
            let guessed = [last, last + 1]
                .into_iter()
                .find(|&row| events.get(row) == Some(id));
            let Some(row) = guessed.or_else(|| events.find(id)) else {
                continue;
            };
            last = row;
            let position: i64 = r.get(1)?;
            v.clear();
            value(r, v)?;
            let code = values.code(v).ok_or_else(too_many)?;
            if let Some(&(last_row, last_position, _)) = found.last() {
                sorted &= (last_row, last_position) <= (row, position);
            }
            found.push((row, position, code));
        }
        if !sorted {
            // Stable: links at one position keep their table (row id) order, as everywhere.
            found.sort_by_key(|&(row, position, _)| (row, position));
        }
        let mut starts = vec![0u32; events.len() + 1];
        for &(row, _, _) in &found {
            starts[row as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] = starts[i].checked_add(starts[i - 1]).ok_or_else(too_many)?;
        }
        let codes = found.into_iter().map(|(_, _, code)| code).collect();
        Ok(Runs {
            starts,
            codes,
            values: values.into_ids(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Filter;
    use file::BLOCK;

    /// The events of `keys` spilled in buckets of `size` events, written `block` bytes at a
    /// time.
    fn in_buckets(db: &Db, keys: &[i64], size: usize, block: usize) -> Spill {
        let buckets = Buckets::of(keys.len(), size, block);
        let file = crate::outfile::scratch_file("stream").unwrap();
        db.spill_now(keys, buckets, file).unwrap()
    }

    /// The events of a filter, read through a spill.
    fn spilled(db: &Db, filter: &Filter) -> Vec<Event> {
        let catalog = db.catalog().unwrap();
        let keys = db.selected_keys(filter, &catalog).unwrap();
        let reader = db.spill(&keys).unwrap().into_reader().unwrap();
        reader.map(|e| e.unwrap()).collect()
    }

    /// However the events are bucketed (one bucket, a few events a bucket, many blocks a
    /// bucket), they come back in the filter's order, each whole.
    #[test]
    fn events_come_back_in_order_across_buckets_and_blocks() {
        let db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        for filter in [
            Filter::default(),
            Filter {
                sort: crate::domain::SortKey::Title,
                order: crate::domain::SortOrder::Desc,
                ..Filter::default()
            },
        ] {
            let whole = db.events(&filter, &catalog).unwrap();
            let keys = db.selected_keys(&filter, &catalog).unwrap();
            let n = keys.len();
            for (size, block) in [(n, BLOCK), (7, BLOCK), (7, 1), (1, 64), (n + 5, 300)] {
                let spill = in_buckets(&db, &keys, size, block);
                let blocks: usize = spill.buckets.blocks.iter().map(Vec::len).sum();
                if block == 1 {
                    assert_eq!(blocks, n, "a block a record");
                }
                let read: Vec<Event> = spill.into_reader().unwrap().map(|e| e.unwrap()).collect();
                assert_eq!(
                    read, whole,
                    "{filter:?}, buckets of {size}, blocks of {block}"
                );
            }
        }
    }

    /// Links stored out of their events' order (written back in reverse here) come out in
    /// each event's link order all the same, locators and all.
    #[test]
    fn links_out_of_storage_order_are_read_in_link_order() {
        let db = Db::open_seeded_in_memory().unwrap();
        // Locators, one holding the character that joins a link's parts.
        db.conn
            .execute(
                "UPDATE event_source SET locator = 'p. ' || rowid || ?1 WHERE rowid % 3 = 0",
                ["; \0 §2"],
            )
            .unwrap();
        let catalog = db.catalog().unwrap();
        let whole = db.events(&Filter::default(), &catalog).unwrap();
        assert!(whole
            .iter()
            .any(|e| e.sources.iter().any(|s| s.locator.is_some())));
        assert!(whole.iter().any(|e| e.parties.len() > 2));
        assert_eq!(spilled(&db, &Filter::default()), whole);
        for table in ["event_actor", "event_institution", "event_source"] {
            db.conn
                .execute_batch(&format!(
                    "CREATE TEMP TABLE kept AS SELECT * FROM {table};
                     DELETE FROM {table};
                     INSERT INTO {table} SELECT * FROM kept ORDER BY rowid DESC;
                     DROP TABLE kept;"
                ))
                .unwrap();
        }
        assert_eq!(spilled(&db, &Filter::default()), whole);
    }

    /// A reader dropped halfway, its thread blocked on a send, neither hangs nor takes
    /// anything with it (the send fails and the thread returns): a second reader of the same
    /// selection reads every event, and a reader read to the end stays ended.
    #[test]
    fn a_reader_dropped_halfway_leaves_the_next_one_whole() {
        let db = Db::open_seeded_in_memory().unwrap();
        // More events than the thread sends at once and the channel holds, so that it is
        // blocked on a send when the reader goes.
        let columns = EVENT_COLUMNS.replace("e.", "");
        db.conn
            .execute_batch(&format!(
                "CREATE TEMP TABLE copy AS SELECT {columns} FROM event;"
            ))
            .unwrap();
        for _ in 0..20 {
            db.conn
                .execute_batch(&format!(
                    "UPDATE copy SET id = id || 'x';
                     INSERT INTO event ({columns}) SELECT {columns} FROM copy;"
                ))
                .unwrap();
        }
        let catalog = db.catalog().unwrap();
        let keys = db.selected_keys(&Filter::default(), &catalog).unwrap();
        assert!(keys.len() > BATCH * 8, "{}", keys.len());
        let mut reader = db.spill(&keys).unwrap().into_reader().unwrap();
        assert!(reader.next().unwrap().is_ok());
        drop(reader);
        let mut whole = db.spill(&keys).unwrap().into_reader().unwrap();
        let read: Vec<Event> = whole.by_ref().map(|e| e.unwrap()).collect();
        assert_eq!(read.len(), keys.len());
        assert!(whole.next().is_none());
    }

    /// An event deleted between the selection and the spill is left out; the others keep
    /// their order.
    #[test]
    fn an_event_gone_since_the_selection_is_skipped() {
        let db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let filter = Filter::default();
        let keys = db.selected_keys(&filter, &catalog).unwrap();
        let mut whole = db.events(&filter, &catalog).unwrap();
        let gone = whole.remove(7);
        db.conn
            .execute("DELETE FROM event WHERE id = ?1", [&gone.id])
            .unwrap();
        let reader = db.spill(&keys).unwrap().into_reader().unwrap();
        let read: Vec<Event> = reader.map(|e| e.unwrap()).collect();
        assert_eq!(read, whole);
        // Its place is empty in whichever bucket it fell: no bucket is read for it.
        for (size, block) in [(1, 64), (7, 1), (8, 300)] {
            let spill = in_buckets(&db, &keys, size, block);
            let read: Vec<Event> = spill.into_reader().unwrap().map(|e| e.unwrap()).collect();
            assert_eq!(read, whole, "buckets of {size}, blocks of {block}");
        }
    }

    /// A link's id comes back whole whatever it holds, and so does what follows it.
    #[test]
    fn a_link_value_splits_into_what_made_it() {
        for (id, parts, rest) in [
            ("ESA", &["partner", "confirmed"][..], "\0partner\0confirmed"),
            ("src:12", &[][..], ""),
            ("a\0b", &["p. 3\0§2; x"][..], "\0p. 3\0§2; x"),
            ("", &[""][..], "\0"),
        ] {
            let mut v = String::new();
            push_value(&mut v, id, parts);
            assert_eq!(split_value(&v), Some((id, rest)), "{v:?}");
        }
        assert_eq!(split_value("9:short"), None);
        assert_eq!(split_value("x:y"), None);
    }

    #[test]
    fn a_record_decodes_to_the_texts_encoded() {
        let texts = [
            Some("E1"),
            Some("2021-03"),
            None,
            Some("ILRS"),
            Some("mou"),
            Some("bilateral"),
            Some("Title, with \"quotes\"\nand a line"),
            Some(""),
            Some("月球 notes"),
            Some("cooperation"),
            None,
            Some("E0"),
        ];
        let mut bytes = Vec::new();
        encode(&texts, &mut bytes).unwrap();
        assert_eq!(decode(&bytes), Some(texts));
        // A record cut short, or with bytes left over, is refused.
        assert_eq!(decode(&bytes[..bytes.len() - 1]), None);
        bytes.push(0);
        assert_eq!(decode(&bytes), None);
    }
}
