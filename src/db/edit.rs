//! Editing events one at a time, restoring earlier states and undoing changes. Every change is
//! validated with the import rules and recorded in history in the same transaction.

use chrono::{DateTime, Utc};

use super::history::{timestamp, Batch, Journal, Operation};
use super::record::{check_links, load, put, remove};
use super::search_index::index_pending;
use super::tally::{count_change, write_tally, TALLY_PART};
use super::Db;
use crate::domain::{Catalog, Entity, Event, EventLink, FieldProblem, KnownIds, Record, Tally};
use crate::error::{Error, Result};
use crate::import::validate::follows_problems;
use crate::import::validate_event;

impl Db {
    /// The ids references may point at (events left out: an event references none).
    fn reference_ids(&self) -> Result<KnownIds> {
        let mut known = self.known_ids()?;
        known.events.clear();
        Ok(known)
    }

    /// Every problem with `event` against this database: the import rules, for a form's inline
    /// validation. Whether the id is already taken is not a problem here (see `insert_event`).
    pub fn check_event(&self, event: &Event) -> Result<Vec<FieldProblem>> {
        let mut problems = validate_event(event, &self.reference_ids()?);
        // The life cycle: one lookup per link of the chain, the edited event as it will be.
        let lookup = |id: &str| -> Option<EventLink> {
            if id == event.id {
                return Some((event.date, event.follows.clone()));
            }
            self.event_link(id).ok().flatten()
        };
        problems.extend(follows_problems(
            &event.id,
            event.date,
            event.follows.as_deref(),
            lookup,
        ));
        Ok(problems)
    }

    /// One stored event's date and `follows` link.
    fn event_link(&self, id: &str) -> Result<Option<EventLink>> {
        use rusqlite::OptionalExtension;
        let row = self
            .conn
            .query_row(
                "SELECT date_start, follows FROM event WHERE id = ?1",
                [id],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)),
            )
            .optional()?;
        Ok(match row {
            Some((date, follows)) => date.parse().ok().map(|d| (d, follows)),
            None => None,
        })
    }

    fn refuse_invalid(&self, event: &Event) -> Result<()> {
        let problems = self.check_event(event)?;
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::InvalidEvent {
                id: event.id.clone(),
                problems,
            })
        }
    }

    /// Adds a new event. Refused when invalid or when the id is taken.
    pub fn insert_event(&mut self, event: &Event) -> Result<Batch> {
        self.refuse_invalid(event)?;
        if self.event(&event.id)?.is_some() {
            return Err(Error::Refused(format!(
                "an event with id '{}' already exists",
                event.id
            )));
        }
        let after = Record::Event(event.clone());
        self.commit_change(Operation::Insert, None, Some(&after))
    }

    /// Replaces a stored event with `event` (same id). Returns `None` when nothing changed.
    pub fn update_event(&mut self, event: &Event) -> Result<Option<Batch>> {
        let before = self.event(&event.id)?.ok_or_else(|| Error::NotFound {
            what: "event",
            id: event.id.clone(),
        })?;
        if before == *event {
            return Ok(None);
        }
        self.refuse_invalid(event)?;
        let before = Record::Event(before);
        let after = Record::Event(event.clone());
        self.commit_change(Operation::Update, Some(&before), Some(&after))
            .map(Some)
    }

    /// Deletes an event; its last state stays in history, so it can be restored.
    pub fn delete_event(&mut self, id: &str) -> Result<Batch> {
        let before = self.event(id)?.ok_or_else(|| Error::NotFound {
            what: "event",
            id: id.to_string(),
        })?;
        self.commit_change(Operation::Delete, Some(&Record::Event(before)), None)
    }

    /// Writes one change of one record and its history row in one transaction.
    fn commit_change(
        &mut self,
        operation: Operation,
        before: Option<&Record>,
        after: Option<&Record>,
    ) -> Result<Batch> {
        self.ready_to_write()?;
        let tx = rusqlite::Transaction::new_unchecked(
            &self.conn,
            rusqlite::TransactionBehavior::Immediate,
        )?;
        // Another process may have added, changed or deleted the event since it was read:
        // the write lock is ours now, so look again. The history's `before` and the tally
        // take the stored state away, so it must be the one read.
        if let Some(Record::Event(e)) = after.or(before) {
            let stored = self.event(&e.id)?.map(Record::Event);
            if stored.as_ref() != before {
                let what = match (&stored, before) {
                    (Some(_), None) => "added",
                    (None, Some(_)) => "deleted",
                    _ => "changed",
                };
                return Err(Error::Refused(format!(
                    "event '{}' was {what} by another process meanwhile; nothing was written \
                     (run the command again)",
                    e.id
                )));
            }
        }
        let journal = Journal::begin(&tx)?;
        match (before, after) {
            (_, Some(r)) => put(&tx, r, before.is_some())?,
            (Some(r), None) => remove(&tx, r.entity(), &r.id())?,
            (None, None) => return Ok(journal.batch),
        }
        journal.write(&tx, operation, before, after, None)?;
        let mut tally = Tally::default();
        count_change(&mut tally, before, after);
        write_tally(&tx, &tally)?;
        check_links(&tx)?;
        index_pending(&tx)?;
        tx.commit()?;
        Ok(journal.batch)
    }

    /// Brings an event back to an earlier state, recorded as a `restore` change.
    ///
    /// With no time, the state the latest change replaced: the event as it was before it was
    /// deleted or last overwritten. With `at`, the state as of that time. Refused when there
    /// is nothing to restore, when the event is already in that state, or when the state
    /// references actors, institutions, sources or a programme that no longer exist.
    pub fn restore(&mut self, event_id: &str, at: Option<DateTime<Utc>>) -> Result<Batch> {
        let changes = self.history(Some(event_id))?;
        if changes.is_empty() {
            return Err(Error::Refused(format!(
                "no recorded changes of event '{event_id}': nothing to restore"
            )));
        }
        let target = match at {
            None => changes
                .iter()
                .rev()
                .find_map(|c| c.before.clone())
                .ok_or_else(|| {
                    Error::Refused(format!(
                        "event '{event_id}' has no earlier state: it was created by change {} \
                         and never changed since",
                        changes[0].id
                    ))
                })?,
            Some(t) => {
                let t = timestamp(t);
                let state = match changes.iter().rev().find(|c| c.at <= t) {
                    Some(c) => c.after.clone(),
                    None => changes[0].before.clone(),
                };
                state.ok_or_else(|| {
                    Error::Refused(format!("event '{event_id}' did not exist at {t}"))
                })?
            }
        };
        self.restore_record(event_id, target)
    }

    /// Restores the state an event had before the change `change_id`.
    pub fn restore_change(&mut self, change_id: i64) -> Result<Batch> {
        let c = self.change(change_id)?.ok_or_else(|| Error::NotFound {
            what: "change",
            id: change_id.to_string(),
        })?;
        if c.entity != Entity::Event {
            return Err(Error::Refused(format!(
                "change {change_id} is of {} '{}': only events can be restored",
                c.entity, c.entity_id
            )));
        }
        let target = c.before.ok_or_else(|| {
            Error::Refused(format!(
                "change {change_id} created event '{}': there is no earlier state",
                c.entity_id
            ))
        })?;
        self.restore_record(&c.entity_id, target)
    }

    fn restore_record(&mut self, event_id: &str, target: Record) -> Result<Batch> {
        let Record::Event(event) = &target else {
            return Err(Error::Refused(format!(
                "history of '{event_id}' holds no event"
            )));
        };
        let current = self.event(event_id)?.map(Record::Event);
        if current.as_ref() == Some(&target) {
            return Err(Error::Refused(format!(
                "event '{event_id}' is already in that state"
            )));
        }
        let problems = self.check_event(event)?;
        if !problems.is_empty() {
            return Err(Error::Refused(format!(
                "cannot restore event '{event_id}': {} (restore or import them first)",
                problems
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            )));
        }
        self.commit_change(Operation::Restore, current.as_ref(), Some(&target))
    }

    /// Refuses a batch that does not exist or was undone already.
    fn undoable(&self, batch: Batch) -> Result<()> {
        let recorded: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM history WHERE batch = ?1)",
            [batch],
            |r| r.get(0),
        )?;
        if !recorded {
            return Err(Error::NotFound {
                what: "change batch",
                id: batch.to_string(),
            });
        }
        let undone: Option<i64> = self.conn.query_row(
            "SELECT min(batch) FROM history WHERE undoes = ?1",
            [batch],
            |r| r.get(0),
        )?;
        match undone {
            Some(by) => Err(Error::Refused(format!(
                "change batch {batch} was already undone by batch {by}"
            ))),
            None => Ok(()),
        }
    }

    /// The latest batch that can be undone: not an undo itself and not undone yet.
    pub fn last_undoable(&self) -> Result<Option<Batch>> {
        Ok(self.conn.query_row(
            "SELECT max(batch) FROM history WHERE operation <> 'undo'
             AND batch NOT IN (SELECT undoes FROM history WHERE undoes IS NOT NULL)",
            [],
            |r| r.get(0),
        )?)
    }

    /// Reverts every record a batch changed to its state before the batch, as a new `undo`
    /// batch. Refused when a record changed again since (undo never overwrites later work),
    /// or when the batch was already undone. A front end keeps the batches it made to undo
    /// exactly its own changes.
    pub fn undo(&mut self, batch: Batch) -> Result<Batch> {
        self.undoable(batch)?;
        self.ready_to_write()?;
        // The batch is read under the write lock: a record an import left out of its
        // history is read as it is now, which no other process may change before the undo.
        let tx = rusqlite::Transaction::new_unchecked(
            &self.conn,
            rusqlite::TransactionBehavior::Immediate,
        )?;
        // Again under the lock: another undo may have come in between.
        self.undoable(batch)?;
        let changes = self.batch(batch)?;
        tx.pragma_update(None, "defer_foreign_keys", true)?;
        // The reference tables only for what is compared through them, and the sources only
        // for a source: a browser's undo over a million sources need not hold them.
        let compared = |e: Entity| changes.iter().any(|c| !c.after_is_current && c.entity == e);
        let catalog = if compared(Entity::Source) {
            self.catalog()?
        } else if changes
            .iter()
            .any(|c| !c.after_is_current && c.entity != Entity::Event)
        {
            self.catalog_without_sources()?
        } else {
            Catalog::default()
        };
        let journal = Journal::begin(&tx)?;
        let known = self.reference_ids()?;
        // Every record must still be as the batch left it: undo never overwrites later work.
        // (A record an import left out of its history was just read as it is now.) What is
        // current is then the change's `after`, which the writes below use as it is.
        for c in changes.iter().rev().filter(|c| !c.after_is_current) {
            if load(self, &catalog, c.entity, &c.entity_id)? != c.after {
                return Err(Error::Refused(format!(
                    "cannot undo batch {batch}: {} '{}' has changed since (see `spacedip history`)",
                    c.entity, c.entity_id
                )));
            }
        }
        let mut tally = Tally::default();
        for c in changes.iter().rev() {
            let current = c.after.as_ref();
            count_change(&mut tally, current, c.before.as_ref());
            // In parts, as an import writes it: the undo of a large import takes away as many
            // entries as it added.
            if tally.entries() >= TALLY_PART {
                write_tally(&tx, &std::mem::take(&mut tally))?;
            }
            if let Some(Record::Event(e)) = &c.before {
                let problems = validate_event(e, &known);
                if !problems.is_empty() {
                    return Err(Error::InvalidEvent {
                        id: e.id.clone(),
                        problems,
                    });
                }
            }
            match &c.before {
                Some(r) => put(&tx, r, current.is_some())?,
                None => remove(&tx, c.entity, &c.entity_id)?,
            }
            journal.write(
                &tx,
                Operation::Undo,
                current,
                c.before.as_ref(),
                Some(batch),
            )?;
        }
        write_tally(&tx, &tally)?;
        check_links(&tx)?;
        index_pending(&tx)?;
        // Foreign keys are checked at commit: removing a record that a later change still uses
        // (an actor or source that an imported event cites) fails there.
        tx.commit().map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => Error::Refused(format!(
                "cannot undo batch {batch}: records added later still refer to what it added \
                 (e.g. events citing an actor or source it created); undo or change those first"
            )),
            _ => Error::from(e),
        })?;
        Ok(journal.batch)
    }
}
