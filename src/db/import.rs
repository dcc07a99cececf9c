//! Applying an import: compare every record with the database, refuse or resolve conflicts,
//! then write everything, with its history, in one transaction.

use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

use serde::Serialize;

mod bulk;

use super::history::{Batch, Entry, Journal, Operation};
use super::record::{check_links, delete_event_tx, insert_event_part, load, put, EventPart};
use super::search_index::{index_pending, store};
use super::tally::{count_change, write_tally, TALLY_PART};
use super::Db;
use crate::domain::{Entity, Event, Filter, Problem, Record, Tally};
use crate::error::{Error, Result};
use crate::import::Bundle;
use crate::progress::Progress;
use crate::search::index::Builder;
use bulk::set_aside_indexes;

/// Above this many stored events in an import, they are loaded in one query.
const BULK: usize = 200;

/// The helper threads SQLite may sort with, beside the connection's own, while a bulk load
/// builds its indexes (two measured best on two cores).
const SORT_THREADS: i64 = 2;

/// What to do with a record whose id exists in the database with different content.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OnConflict {
    /// Refuse the whole import, naming each conflicting record.
    #[default]
    Fail,
    /// Keep the stored record, ignore the imported one.
    Skip,
    /// Replace the stored record (its old state stays in history).
    Replace,
}

impl FromStr for OnConflict {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s {
            "fail" => Ok(OnConflict::Fail),
            "skip" => Ok(OnConflict::Skip),
            "replace" => Ok(OnConflict::Replace),
            _ => Err(Error::Usage(format!(
                "unknown conflict policy '{s}' (valid: fail, skip, replace)"
            ))),
        }
    }
}

/// How to import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    pub on_conflict: OnConflict,
    /// Create actors and sources that events reference but nothing defines, from the records
    /// a JSON export embeds.
    pub create_missing: bool,
    /// Check and report, write nothing.
    pub dry_run: bool,
}

/// What happened (or, in a dry run, would happen) to one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Added,
    /// Made by `--create-missing`.
    Created,
    Updated,
    /// Identical to the stored record: nothing to write.
    Unchanged,
    /// Different from the stored record, kept as stored (`--on-conflict skip`).
    Skipped,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::Added,
        Outcome::Created,
        Outcome::Updated,
        Outcome::Unchanged,
        Outcome::Skipped,
    ];
}

/// One record of an import and its outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportEntry {
    pub entity: Entity,
    pub id: String,
    pub outcome: Outcome,
    pub file: String,
    pub line: u64,
}

/// The result of an import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub dry_run: bool,
    /// The history batch of the import (`None` in a dry run or when nothing was written).
    pub batch: Option<Batch>,
    pub entries: Vec<ImportEntry>,
}

impl ImportReport {
    /// How many records of each table had each outcome.
    pub fn counts(&self) -> BTreeMap<(Outcome, Entity), usize> {
        let mut m = BTreeMap::new();
        for e in &self.entries {
            *m.entry((e.outcome, e.entity)).or_insert(0) += 1;
        }
        m
    }

    /// The entries with one outcome.
    pub fn with(&self, outcome: Outcome) -> impl Iterator<Item = &ImportEntry> {
        self.entries.iter().filter(move |e| e.outcome == outcome)
    }
}

impl Db {
    /// Imports a bundle read by `import`: validates every record against the bundle and the
    /// database, compares each with what is stored, and — unless any problem was found (here
    /// or while reading: `read_problems`) or this is a dry run — writes every new or replaced
    /// record with its history in one transaction. On any problem nothing is written and every
    /// problem is returned at once.
    pub fn import(
        &mut self,
        mut bundle: Bundle,
        read_problems: Vec<Problem>,
        options: ImportOptions,
        progress: &dyn Progress,
    ) -> Result<ImportReport> {
        // The newest change when the plan is made: a change committed by another process
        // before the write begins would make the plan, and the history it writes, stale.
        let planned_after = last_change(&self.conn)?;
        let known = self.known_ids()?;
        if options.create_missing {
            bundle.create_missing(&known);
        }
        let mut problems = read_problems;
        problems.extend(bundle.validate(&known));
        let catalog = self.catalog()?;
        let items = bundle.take_items();
        progress.begin("checking", items.len() as u64);
        // Each record to write, with the stored one it replaces (boxed: most have none).
        let mut plan: Vec<(Record, Option<Box<Record>>)> = Vec::with_capacity(items.len());
        let mut report = ImportReport {
            dry_run: options.dry_run,
            batch: None,
            entries: Vec::with_capacity(items.len()),
        };
        // Re-importing many stored events: one query for all beats one query per event.
        let stored_events = items
            .iter()
            .filter(|i| matches!(&i.record, Record::Event(e) if known.events.contains(&e.id)))
            .count();
        let all_events: Option<HashMap<String, Event>> = if stored_events > BULK {
            let all = self.events(&Filter::default(), &catalog)?;
            Some(all.into_iter().map(|e| (e.id.clone(), e)).collect())
        } else {
            None
        };
        for item in items {
            progress.advance(1);
            let entity = item.record.entity();
            let id = item.record.id();
            let stored = match (entity, &all_events) {
                (Entity::Event, _) if !known.events.contains(&id) => None,
                (Entity::Event, Some(all)) => all.get(&id).cloned().map(Record::Event),
                _ => load(self, &catalog, entity, &id)?,
            };
            let outcome = match &stored {
                None if item.created => Outcome::Created,
                None => Outcome::Added,
                Some(s) if *s == item.record => Outcome::Unchanged,
                Some(_) => match options.on_conflict {
                    OnConflict::Skip => Outcome::Skipped,
                    OnConflict::Replace => Outcome::Updated,
                    OnConflict::Fail => {
                        let column = (!item.json).then_some(1);
                        let field = if entity == Entity::Membership {
                            "institution"
                        } else {
                            "id"
                        };
                        problems.push(Problem::new(
                            item.file,
                            item.line,
                            column,
                            field,
                            format!(
                                "{entity} '{id}' already exists in the database with different \
                                 content (pass --on-conflict skip or --on-conflict replace)"
                            ),
                        ));
                        continue;
                    }
                },
            };
            report.entries.push(ImportEntry {
                entity,
                id,
                outcome,
                file: item.file.to_string(),
                line: item.line,
            });
            if matches!(
                outcome,
                Outcome::Added | Outcome::Created | Outcome::Updated
            ) {
                plan.push((item.record, stored.map(Box::new)));
            }
        }
        progress.finish();
        if !problems.is_empty() {
            bundle.sort_problems(&mut problems);
            return Err(Error::Invalid(problems));
        }
        if options.dry_run || plan.is_empty() {
            return Ok(report);
        }
        // The history, then each part of the records (see `write_plan`).
        progress.begin("writing", ((EventPart::ALL.len() + 1) * plan.len()) as u64);
        let bulk = plan.len() >= BULK_LOAD;
        // From here until the journal mode is back, a signal waits for this import to end.
        let guard = self.guard_import();
        let rollback_journal = bulk && self.rollback_journal();
        let written = self.write_plan(&plan, planned_after, bulk, rollback_journal, progress);
        guard.transaction_ended();
        // A rollback that a signal's interrupt cut short leaves the transaction open: end it
        // now, when nothing interrupts any more.
        if !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        // Per connection: later writes (edits, small imports) check again, through the log.
        // All are reset whatever happened, and the import's own outcome is reported first.
        let checks = self
            .conn
            .pragma_update(None, "ignore_check_constraints", false);
        let cache = self
            .conn
            .pragma_update(None, "cache_size", super::CACHE_SIZE)
            .and_then(|()| self.conn.pragma_update(None, "threads", 0));
        if rollback_journal {
            // Should this fail, every spacedip connection turns the log on when it opens.
            let _ = self.conn.pragma_update(None, "journal_mode", "WAL");
            let _ = self.conn.pragma_update(None, "synchronous", "NORMAL");
        }
        drop(guard);
        progress.finish();
        if bulk {
            // A million records take a second or two to free, which the caller need not
            // wait for.
            let _ = std::thread::Builder::new()
                .name("import-free".into())
                .spawn(move || drop(plan));
        }
        report.batch = Some(written?);
        checks?;
        cache?;
        Ok(report)
    }

    /// Switches the connection to SQLite's rollback journal for a bulk load, and says whether it
    /// did. In the write-ahead log every page the load makes would be written twice, once to
    /// the log and once more when the log is copied into the file; a rollback journal keeps
    /// only the pages that existed before (new pages need no copy to be undone), so the load is
    /// written once. The switch needs the only connection to the file: while another program
    /// has it open the load goes through the log, as every other write does. Synchronous
    /// writes go to FULL meanwhile: NORMAL is safe against a power cut only with the log.
    fn rollback_journal(&self) -> bool {
        let switched = self
            .conn
            .query_row("PRAGMA journal_mode = DELETE", [], |r| {
                r.get::<_, String>(0)
            })
            .is_ok_and(|mode| mode.eq_ignore_ascii_case("delete"));
        if switched
            && self
                .conn
                .pragma_update(None, "synchronous", "FULL")
                .is_err()
        {
            let _ = self.conn.pragma_update(None, "journal_mode", "WAL");
            return false;
        }
        switched
    }

    /// Writes the records of an import's plan, with their history and their share of the
    /// tally, in one transaction: EXCLUSIVE in the rollback journal, so that a reader that
    /// comes meanwhile waits for the load rather than making it fail, IMMEDIATE otherwise.
    /// The history's JSON and the tally are plain computation over the records: a second
    /// thread makes them while this one writes.
    ///
    /// Refused, writing nothing, when another process changed the data after the plan was
    /// made (`planned_after` is the newest change then): the records it replaces would be
    /// stale, and so would the history that reads a record back from the change after it.
    fn write_plan(
        &mut self,
        plan: &[(Record, Option<Box<Record>>)],
        planned_after: i64,
        bulk: bool,
        exclusive: bool,
        progress: &dyn Progress,
    ) -> Result<Batch> {
        let tx = if exclusive {
            self.begin_exclusive()?
        } else {
            self.begin_write()?
        };
        if last_change(&tx)? != planned_after {
            return Err(Error::Refused(
                "the database changed while this import was being checked (another import or \
                 edit); nothing was written: run the import again"
                    .into(),
            ));
        }
        // Actors may name countries further down, programmes name actors: check at commit.
        tx.pragma_update(None, "defer_foreign_keys", true)?;
        let journal = Journal::begin(&tx)?;
        // A bulk load writes faster without its secondary indexes, built again at the end
        // from sorted data; all of it in this transaction, so a failure keeps them. It also
        // skips SQLite's second reading of the CHECK constraints: every value written has
        // passed the import's validation and comes from the typed model (a vocabulary's own
        // string, a `PartialDate`'s), which is what the CHECKs restate.
        let rebuild = if bulk {
            tx.pragma_update(None, "ignore_check_constraints", true)?;
            tx.pragma_update(None, "cache_size", -262_144)?;
            set_aside_indexes(&tx, plan)?
        } else {
            Vec::new()
        };
        let gone = || Error::WorkerGone {
            thread: "import-history",
        };
        let ordered = in_id_order(plan);
        let words = std::thread::scope(|scope| -> Result<Option<Builder>> {
            // A bulk load has set the search index's triggers aside with the indexes: a third
            // thread takes the words of each event written apart while the writer goes on.
            let (send_words, words) = std::sync::mpsc::sync_channel::<Vec<(i64, &Event)>>(16);
            let indexer = if bulk {
                let spawned = std::thread::Builder::new()
                    .name("import-index".into())
                    .spawn_scoped(scope, move || {
                        let mut builder = Builder::default();
                        for chunk in words {
                            for (key, e) in chunk {
                                builder.add(key, &e.id, &e.title, &e.summary);
                            }
                        }
                        builder
                    })
                    .map_err(Error::Thread)?;
                Some((spawned, send_words))
            } else {
                None
            };
            // In chunks, so that the threads meet once per chunk, not once per record; and
            // bounded, so that the entries never run far ahead of the writes.
            let (send, chunks) = std::sync::mpsc::sync_channel::<Vec<Result<Entry>>>(64);
            // The tally in parts of about TALLY_PART entries (a part ends after the record
            // that fills it), handed over one at a time: at most two are held, the one being
            // written and the next, where events of many parties among many actors tally tens
            // of millions of ties, which held whole took gigabytes.
            let (send_tally, tally_parts) = std::sync::mpsc::sync_channel::<Tally>(0);
            let helper = std::thread::Builder::new()
                .name("import-history".into())
                .spawn_scoped(scope, move || {
                    for part in plan.chunks(CHUNK) {
                        let chunk = part
                            .iter()
                            .map(|(record, stored)| imported_entry(stored.as_deref(), record))
                            .collect();
                        // The writer stopped (it failed): nothing more is needed.
                        if send.send(chunk).is_err() {
                            return;
                        }
                    }
                    // While the writer goes on with the records themselves; the parts wait
                    // for it to finish them.
                    let mut tally = Tally::default();
                    for (record, stored) in plan {
                        count_change(&mut tally, stored.as_deref(), Some(record));
                        if tally.entries() >= TALLY_PART
                            && send_tally.send(std::mem::take(&mut tally)).is_err()
                        {
                            return;
                        }
                    }
                    let _ = send_tally.send(tally);
                })
                .map_err(Error::Thread)?;
            let written = (|| -> Result<()> {
                // The history first, as the helper makes it; then the records, one table at a
                // time, so that each table's pages lie together in the file: a scan of the
                // events (a search, an export, an index built below) reads them in order
                // instead of stepping over links and history.
                for part in plan.chunks(CHUNK) {
                    let chunk = chunks.recv().map_err(|_| gone())?;
                    for entry in chunk {
                        journal.write_entry(&tx, Operation::Import, &entry?, None)?;
                    }
                    progress.advance(part.len() as u64);
                }
                let mut last_key = i64::MIN;
                for part in EventPart::ALL {
                    for records in ordered.chunks(CHUNK) {
                        let mut to_index = Vec::new();
                        for &(record, stored) in records {
                            match (record, part) {
                                (Record::Event(e), EventPart::Row) => {
                                    if stored.is_some() {
                                        delete_event_tx(&tx, &e.id)?;
                                    }
                                    insert_event_part(&tx, e, part)?;
                                    if indexer.is_some() {
                                        // Row ids come in increasing order (SQLite gives the
                                        // largest plus one); one that would not is left to
                                        // `search_pending`, which takes any order.
                                        let key = tx.last_insert_rowid();
                                        if key > last_key {
                                            to_index.push((key, e));
                                            last_key = key;
                                        } else {
                                            tx.execute(
                                                "INSERT OR IGNORE INTO search_pending (event) \
                                                 VALUES (?1)",
                                                [key],
                                            )?;
                                        }
                                    }
                                }
                                (Record::Event(e), _) => insert_event_part(&tx, e, part)?,
                                (other, EventPart::Row) => put(&tx, other, stored.is_some())?,
                                _ => {}
                            }
                        }
                        if let Some((_, send_words)) = &indexer {
                            if !to_index.is_empty() && send_words.send(to_index).is_err() {
                                // The indexer stopped (it panicked): its join says so.
                                break;
                            }
                        }
                        progress.advance(records.len() as u64);
                    }
                }
                // The parts come until the helper ends; one that stopped early (it panicked)
                // is caught by the join below, before anything is committed.
                for part in tally_parts.iter() {
                    write_tally(&tx, &part)?;
                }
                Ok(())
            })();
            // The helper is always joined here, so that one that panicked is reported as an
            // error rather than the scope panicking in turn; the writer's own error first.
            drop(chunks);
            drop(tally_parts);
            let joined = helper.join().map_err(|_| gone());
            let indexed = match indexer {
                Some((spawned, send_words)) => {
                    drop(send_words);
                    let builder = spawned.join().map_err(|_| Error::WorkerGone {
                        thread: "import-index",
                    });
                    builder.map(Some)
                }
                None => Ok(None),
            };
            written.and(joined).and(indexed)
        })?;
        if !rebuild.is_empty() {
            // SQLite sorts an index's keys on helper threads only when they overflow the page
            // cache: a small cache lets the other cores sort (the writes are done by now).
            // Measured at a million events, when all eleven were set aside: 12.4 s, against
            // 13.2 s.
            tx.pragma_update(None, "threads", SORT_THREADS)?;
            tx.pragma_update(None, "cache_size", -16_384)?;
        }
        for sql in rebuild {
            tx.execute_batch(&sql)?;
        }
        check_links(&tx)?;
        if let Some(words) = words {
            store(&tx, words)?;
        }
        index_pending(&tx)?;
        tx.commit()?;
        Ok(journal.batch)
    }
}

/// The records of `plan` in the order they are written: events by id, after the rest (in
/// their own order). Each event table's primary key is an index on the event id: keys that
/// come in order are appended to it, where keys in random order (hashes, UUIDs) land all over
/// it, which made the import of a million such events 14 s slower (54.4 s against 40.6 s).
fn in_id_order(plan: &[(Record, Option<Box<Record>>)]) -> Vec<&(Record, Option<Box<Record>>)> {
    fn event_id(r: &(Record, Option<Box<Record>>)) -> Option<&str> {
        match &r.0 {
            Record::Event(e) => Some(e.id.as_str()),
            _ => None,
        }
    }
    let mut ordered: Vec<_> = plan.iter().collect();
    // Merge sort: a plan already in id order (most files are) costs one pass.
    ordered.sort_by(|a, b| event_id(a).cmp(&event_id(b)));
    ordered
}

/// The history entry of one imported record. Events and sources, the tables a large corpus
/// fills, leave the record out (see [`Entry::imported`]): nothing but a recorded change ever
/// alters or removes them. The catalog's other records keep their JSON: a membership can be
/// removed by a cascade (its institution's undo) that no history row records.
fn imported_entry(stored: Option<&Record>, record: &Record) -> Result<Entry> {
    match record {
        Record::Event(_) | Record::Source(_) => Entry::imported(stored, record),
        _ => Entry::of(stored, Some(record))?
            .ok_or_else(|| Error::Internal("an imported record made no history entry".into())),
    }
}

/// The id of the newest recorded change (0 before any).
fn last_change(conn: &rusqlite::Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT coalesce(max(id), 0) FROM history", [], |r| r.get(0))?)
}

/// Records handed from the history thread to the writer at a time.
const CHUNK: usize = 256;

/// Records from which an import sets the secondary indexes aside while it writes.
const BULK_LOAD: usize = 20_000;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;

    #[test]
    fn a_plan_made_before_another_change_is_refused_and_nothing_is_written() {
        let mut db = Db::open_seeded_in_memory().unwrap();
        let mut event = db
            .events(&Filter::default(), &db.catalog().unwrap())
            .unwrap()[0]
            .clone();
        let planned_after = last_change(&db.conn).unwrap();
        // Another change lands between the plan and the write.
        let mut edited = event.clone();
        edited.title = "Edited meanwhile".into();
        db.update_event(&edited).unwrap().unwrap();
        let changes = db.count_history().unwrap();
        event.title = "Imported".into();
        let stored = Box::new(Record::Event(edited.clone()));
        let plan = vec![(Record::Event(event.clone()), Some(stored))];
        let err = db
            .write_plan(&plan, planned_after, false, false, &Silent)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("changed while this import was being checked"),
            "{err}"
        );
        assert_eq!(db.event(&event.id).unwrap().unwrap(), edited);
        assert_eq!(db.count_history().unwrap(), changes);
        // Planned again, it goes through.
        let now = last_change(&db.conn).unwrap();
        db.write_plan(&plan, now, false, false, &Silent).unwrap();
        assert_eq!(db.event(&event.id).unwrap().unwrap(), event);
    }

    /// Events are written in id order, after the other records in theirs, whatever order
    /// the file gave them.
    #[test]
    fn events_are_written_in_id_order_after_the_rest() {
        let db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let mut events = db.events(&Filter::default(), &catalog).unwrap();
        events.reverse();
        // Events and three actors interleaved, the actors in reverse id order.
        let actors: Vec<Record> = catalog.actors[..3]
            .iter()
            .rev()
            .map(|a| Record::Actor(a.clone()))
            .collect();
        let mut plan: Vec<(Record, Option<Box<Record>>)> = Vec::new();
        for (i, e) in events.iter().enumerate() {
            plan.push((Record::Event(e.clone()), None));
            if let Some(a) = actors.get(i) {
                plan.push((a.clone(), None));
            }
        }
        let written: Vec<String> = in_id_order(&plan).iter().map(|r| r.0.id()).collect();
        let actor_ids: Vec<String> = actors.iter().map(Record::id).collect();
        assert_eq!(written[..3], actor_ids[..]);
        let mut event_ids: Vec<String> = events.iter().map(|e| e.id.clone()).collect();
        event_ids.sort();
        assert_eq!(written[3..], event_ids[..]);
    }

    /// A tally written in many parts (fifty entries each in the unit tests), some taking away
    /// what an earlier part added, is the tally counted from the events; and so is the tally
    /// after the import is undone.
    #[test]
    fn a_tally_written_in_parts_is_the_tally_of_the_events() {
        let mut db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let events = db.events(&Filter::default(), &catalog).unwrap();
        assert!(Tally::of(&events).entries() > 10 * TALLY_PART);
        // Each event replaced by a version with another channel and its parties reversed,
        // and as many new events, in one plan.
        let mut plan = Vec::new();
        for e in &events {
            let mut changed = e.clone();
            changed.channel = match e.channel {
                crate::domain::Channel::Bilateral => crate::domain::Channel::Multilateral,
                _ => crate::domain::Channel::Bilateral,
            };
            changed.parties.reverse();
            plan.push((
                Record::Event(changed),
                Some(Box::new(Record::Event(e.clone()))),
            ));
        }
        for e in &events {
            let mut added = e.clone();
            added.id = format!("{}-AGAIN", e.id);
            added.follows = None;
            plan.push((Record::Event(added), None));
        }
        let now = last_change(&db.conn).unwrap();
        let batch = db.write_plan(&plan, now, false, false, &Silent).unwrap();
        assert!(db.tally_agrees().unwrap());
        assert_eq!(db.count_events().unwrap(), 2 * events.len());
        // Its undo takes the tally away in parts too.
        db.undo(batch).unwrap();
        assert!(db.tally_agrees().unwrap());
        assert_eq!(db.events(&Filter::default(), &catalog).unwrap(), events);
    }
}
