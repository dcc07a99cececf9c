//! The history of changes: written in the same transaction as each change, read back for
//! `history`, `restore` and undo.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::record::load;
use super::Db;
use crate::domain::{Entity, Record};
use crate::error::{Error, Result};

/// A batch of changes made in one transaction: what undo reverts at once.
pub type Batch = i64;

/// What a change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    Insert,
    Update,
    Delete,
    Restore,
    Import,
    Undo,
}

impl Operation {
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Insert => "insert",
            Operation::Update => "update",
            Operation::Delete => "delete",
            Operation::Restore => "restore",
            Operation::Import => "import",
            Operation::Undo => "undo",
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Operation {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        [
            Operation::Insert,
            Operation::Update,
            Operation::Delete,
            Operation::Restore,
            Operation::Import,
            Operation::Undo,
        ]
        .into_iter()
        .find(|o| o.as_str() == s)
        .ok_or_else(|| Error::BadData(format!("unknown operation '{s}' in history")))
    }
}

/// One recorded change of one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub id: i64,
    pub batch: Batch,
    /// UTC, RFC 3339.
    pub at: String,
    pub user: String,
    pub operation: Operation,
    pub entity: Entity,
    pub entity_id: String,
    /// The record before the change; `None` when it did not exist.
    pub before: Option<Record>,
    /// The record after the change; `None` when it was deleted.
    pub after: Option<Record>,
    /// For an undo: the batch it reverted.
    pub undoes: Option<Batch>,
    /// `after` is the record as it is now: an import whose history row left the record out
    /// (see [`Entry::imported`]), and nothing has changed it since.
    #[serde(skip)]
    pub after_is_current: bool,
}

/// The time as history stores it: UTC, RFC 3339 with microseconds, so text order is time order.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The OS user: `$USER`, `$LOGNAME` or `$USERNAME`, else the name of the process's user id
/// in `/etc/passwd` (services and cron jobs often run without those variables), else "unknown".
fn os_user() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .map(|u| u.trim().to_string())
        .find(|u| !u.is_empty())
        .or_else(passwd_user)
        .unwrap_or_else(|| "unknown".to_string())
}

/// The login name of this process's real user id, read from `/proc` and `/etc/passwd`.
fn passwd_user() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let uid = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))?
        .split_whitespace()
        .next()?;
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        (fields.nth(1)? == uid).then(|| name.to_string())
    })
}

/// Writes the history rows of one transaction, all under one batch, time and user.
pub(super) struct Journal {
    pub batch: Batch,
    at: String,
    user: String,
}

impl Journal {
    /// Starts a batch; call inside the transaction that makes the change.
    pub(super) fn begin(conn: &Connection) -> Result<Journal> {
        let batch: i64 =
            conn.query_row("SELECT coalesce(max(batch), 0) + 1 FROM history", [], |r| {
                r.get(0)
            })?;
        Ok(Journal {
            batch,
            at: timestamp(Utc::now()),
            user: os_user(),
        })
    }

    /// Records one change of one record.
    pub(super) fn write(
        &self,
        conn: &Connection,
        operation: Operation,
        before: Option<&Record>,
        after: Option<&Record>,
        undoes: Option<Batch>,
    ) -> Result<()> {
        match Entry::of(before, after)? {
            Some(entry) => self.write_entry(conn, operation, &entry, undoes),
            None => Ok(()),
        }
    }

    /// Records one change made ready with [`Entry::of`].
    pub(super) fn write_entry(
        &self,
        conn: &Connection,
        operation: Operation,
        entry: &Entry,
        undoes: Option<Batch>,
    ) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO history (batch, at, os_user, operation, entity, entity_id, before, after,
                                  undoes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            self.batch,
            self.at,
            self.user,
            operation.as_str(),
            entry.entity.as_str(),
            entry.id,
            entry.before,
            entry.after,
            undoes
        ])?;
        Ok(())
    }
}

/// One history row's record part: which record, and its JSON before and after. Plain data, so
/// that a bulk write can serialise on one thread while another writes.
#[derive(Debug)]
pub(super) struct Entry {
    entity: Entity,
    id: String,
    before: Option<String>,
    after: Option<String>,
}

impl Entry {
    /// The entry of an import that writes `record` over `before` (`None`: a new record). The
    /// record itself is left out: it is in the tables, and the next change of it records it
    /// as its `before`, which is where [`Db::history`] and the rest read it back from. An
    /// import of a million events does not store each of them a second time.
    pub(super) fn imported(before: Option<&Record>, record: &Record) -> Result<Entry> {
        Ok(Entry {
            entity: record.entity(),
            id: record.id(),
            before: before.map(Record::to_json).transpose()?,
            after: None,
        })
    }

    /// The entry of a change from `before` to `after`; `None` when neither exists.
    pub(super) fn of(before: Option<&Record>, after: Option<&Record>) -> Result<Option<Entry>> {
        let Some(any) = after.or(before) else {
            return Ok(None);
        };
        Ok(Some(Entry {
            entity: any.entity(),
            id: any.id(),
            before: before.map(Record::to_json).transpose()?,
            after: after.map(Record::to_json).transpose()?,
        }))
    }
}

/// The columns of a change read from `history h`, and, for an import that left its record out,
/// the next state of that record: the `before` of its next change ('' when that change has
/// none, which a consistent history never holds), NULL when nothing has changed it since.
const COLUMNS: &str = "h.id, h.batch, h.at, h.os_user, h.operation, h.entity, h.entity_id, \
     h.before, h.after, h.undoes, \
     CASE WHEN h.operation = 'import' AND h.after IS NULL THEN \
         (SELECT coalesce(n.before, '') FROM history n \
          WHERE n.entity = h.entity AND n.entity_id = h.entity_id AND n.id > h.id \
          ORDER BY n.id LIMIT 1) END";

/// A change as read, its records still JSON.
struct RawChange {
    change: Change,
    before: Option<String>,
    after: Option<String>,
    /// For an import that left `after` out: see [`COLUMNS`].
    next: Option<String>,
}

fn change_from_row(r: &Row<'_>) -> rusqlite::Result<RawChange> {
    let conv = |e: Error| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            Box::new(std::io::Error::other(e.to_string())),
        )
    };
    let operation: Operation = r.get::<_, String>(4)?.parse().map_err(conv)?;
    let entity: String = r.get(5)?;
    Ok(RawChange {
        change: Change {
            id: r.get(0)?,
            batch: r.get(1)?,
            at: r.get(2)?,
            user: r.get(3)?,
            operation,
            entity: entity
                .parse()
                .map_err(|e| conv(Error::BadData(format!("{e} in history"))))?,
            entity_id: r.get(6)?,
            before: None,
            after: None,
            undoes: r.get(9)?,
            after_is_current: false,
        },
        before: r.get(7)?,
        after: r.get(8)?,
        next: r.get(10)?,
    })
}

/// How many records left out of the history are read back at once.
const CURRENT_CHUNK: usize = 4096;

/// The refusal when an import's record, left out of its history row, is found neither in a
/// later change nor in the tables: only a change made outside spacedip does that.
fn missing_state(c: &Change) -> Error {
    Error::BadData(format!(
        "history change {} imported {} '{}' without storing it, and neither a later change \
         nor the database holds it (was the file changed outside spacedip?)",
        c.id, c.entity, c.entity_id
    ))
}

impl Db {
    /// The recorded changes, oldest first: of one event, or of everything.
    pub fn history(&self, event_id: Option<&str>) -> Result<Vec<Change>> {
        self.history_tail(event_id, None)
    }

    /// Like [`Db::history`], keeping only the latest `limit` changes (still oldest first).
    pub fn history_tail(
        &self,
        event_id: Option<&str>,
        limit: Option<usize>,
    ) -> Result<Vec<Change>> {
        let limit = limit.map_or(-1, |l| l as i64);
        self.snapshot(|| self.tail_rows(event_id, limit))
    }

    fn tail_rows(&self, event_id: Option<&str>, limit: i64) -> Result<Vec<Change>> {
        let rows = match event_id {
            Some(id) => self
                .conn
                .prepare(&format!(
                    "SELECT {COLUMNS} FROM (SELECT * FROM history
                     WHERE entity = 'event' AND entity_id = ?1 ORDER BY id DESC LIMIT ?2) h
                     ORDER BY h.id"
                ))?
                .query_map(params![id, limit], change_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
            None => self
                .conn
                .prepare(&format!(
                    "SELECT {COLUMNS} FROM (SELECT * FROM history ORDER BY id DESC LIMIT ?1) h
                     ORDER BY h.id"
                ))?
                .query_map(params![limit], change_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        };
        self.with_records(rows)
    }

    /// One change by its id.
    pub fn change(&self, id: i64) -> Result<Option<Change>> {
        self.snapshot(|| self.change_row(id))
    }

    fn change_row(&self, id: i64) -> Result<Option<Change>> {
        let row = self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM history h WHERE h.id = ?1"),
                [id],
                change_from_row,
            )
            .optional()?;
        Ok(self.with_records(row.into_iter().collect())?.pop())
    }

    /// The changes of one batch, in the order they were made.
    pub fn batch(&self, batch: Batch) -> Result<Vec<Change>> {
        self.snapshot(|| self.batch_rows(batch))
    }

    fn batch_rows(&self, batch: Batch) -> Result<Vec<Change>> {
        let rows = self
            .conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM history h WHERE h.batch = ?1 ORDER BY h.id"
            ))?
            .query_map([batch], change_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        self.with_records(rows)
    }

    /// The changes with their records read from JSON; an import's record left out of the
    /// history is its next change's `before`, or else the record as it is now (read a chunk
    /// at a time: undoing an import of a million events reads them all).
    fn with_records(&self, rows: Vec<RawChange>) -> Result<Vec<Change>> {
        let mut changes = Vec::with_capacity(rows.len());
        let mut current: Vec<usize> = Vec::new();
        for raw in rows {
            let mut c = raw.change;
            let entity = c.entity;
            let parse =
                |json: Option<String>| json.map(|j| Record::from_json(entity, &j)).transpose();
            c.before = parse(raw.before)?;
            // An import never deletes: no `after` means the record was left out.
            let left_out = c.operation == Operation::Import && raw.after.is_none();
            if !left_out {
                c.after = parse(raw.after)?;
            } else {
                match raw.next {
                    Some(next) if next.is_empty() => return Err(missing_state(&c)),
                    Some(next) => c.after = parse(Some(next))?,
                    None => {
                        c.after_is_current = true;
                        current.push(changes.len());
                    }
                }
            }
            changes.push(c);
        }
        if current.is_empty() {
            return Ok(changes);
        }
        let catalog = match current.iter().any(|&i| changes[i].entity != Entity::Event) {
            true => Some(self.catalog()?),
            false => None,
        };
        for chunk in current.chunks(CURRENT_CHUNK) {
            let ids: Vec<&str> = chunk
                .iter()
                .filter(|&&i| changes[i].entity == Entity::Event)
                .map(|&i| changes[i].entity_id.as_str())
                .collect();
            let mut events = self.events_by_ids(&ids)?;
            for &i in chunk {
                let c = &changes[i];
                let record = match (&catalog, c.entity) {
                    (_, Entity::Event) => events.remove(&c.entity_id).map(Record::Event),
                    (Some(catalog), entity) => load(self, catalog, entity, &c.entity_id)?,
                    (None, _) => None,
                };
                changes[i].after = Some(record.ok_or_else(|| missing_state(&changes[i]))?);
            }
        }
        Ok(changes)
    }

    /// The number of recorded changes.
    pub fn count_history(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM history", [], |r| r.get(0))?;
        Ok(n as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import_csv(db: &mut Db, text: &str) -> Batch {
        let mut bundle = crate::import::Bundle::default();
        let mut problems = Vec::new();
        bundle.read_file("e.csv", text.as_bytes(), &mut problems);
        let options = crate::db::ImportOptions::default();
        let report = db
            .import(bundle, problems, options, &crate::progress::Silent)
            .unwrap();
        report.batch.unwrap()
    }

    const HEADER: &str =
        "id,date,end_date,programme,kind,channel,title,summary,notes,parties,institutions,sources\n";

    #[test]
    fn an_import_stores_the_state_it_replaced_but_not_the_record_it_wrote() {
        let mut db = Db::open_seeded_in_memory().unwrap();
        let source = db.catalog().unwrap().sources[0].id.clone();
        let text = format!("{HEADER}NEW-1,2021,,ILRS,mou,bilateral,New,,,CHN,,{source}\n");
        let batch = import_csv(&mut db, &text);
        let (before, after): (Option<String>, Option<String>) = db
            .conn
            .query_row(
                "SELECT before, after FROM history WHERE batch = ?1",
                [batch],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((before, after), (None, None));
        // An edit stores both sides whole, as before.
        let mut e = db.event("NEW-1").unwrap().unwrap();
        e.title = "Edited".into();
        let edit = db.update_event(&e).unwrap().unwrap();
        let stored: (bool, bool) = db
            .conn
            .query_row(
                "SELECT before IS NOT NULL, after IS NOT NULL FROM history WHERE batch = ?1",
                [edit],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(stored, (true, true));
    }

    #[test]
    fn a_record_left_out_and_gone_from_the_table_is_reported_not_invented() {
        let mut db = Db::open_seeded_in_memory().unwrap();
        let source = db.catalog().unwrap().sources[0].id.clone();
        let text = format!("{HEADER}NEW-1,2021,,ILRS,mou,bilateral,New,,,CHN,,{source}\n");
        import_csv(&mut db, &text);
        // Removed behind spacedip's back: no change records it.
        db.conn
            .execute("DELETE FROM event WHERE id = 'NEW-1'", [])
            .unwrap();
        let err = db.history(Some("NEW-1")).unwrap_err().to_string();
        assert!(err.contains("changed outside spacedip"), "{err}");
    }

    #[test]
    fn the_user_is_found_without_environment_variables() {
        // On Linux the process's uid always has a passwd entry in the test environment.
        if std::path::Path::new("/proc/self/status").exists() {
            let name = passwd_user().expect("uid resolves through /etc/passwd");
            assert!(!name.is_empty() && !name.contains(':'));
        }
        assert!(!os_user().is_empty());
    }
}
