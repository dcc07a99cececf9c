//! The history of changes: written in the same transaction as each change, read back for
//! `history`, `restore` and undo.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

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

const COLUMNS: &str = "id, batch, at, os_user, operation, entity, entity_id, before, after, undoes";

fn change_from_row(r: &Row<'_>) -> rusqlite::Result<(Change, Option<String>, Option<String>)> {
    let conv = |e: Error| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            Box::new(std::io::Error::other(e.to_string())),
        )
    };
    let operation: String = r.get(4)?;
    let entity: String = r.get(5)?;
    Ok((
        Change {
            id: r.get(0)?,
            batch: r.get(1)?,
            at: r.get(2)?,
            user: r.get(3)?,
            operation: operation.parse().map_err(conv)?,
            entity: entity
                .parse()
                .map_err(|e| conv(Error::BadData(format!("{e} in history"))))?,
            entity_id: r.get(6)?,
            before: None,
            after: None,
            undoes: r.get(9)?,
        },
        r.get(7)?,
        r.get(8)?,
    ))
}

fn with_records(
    (mut c, before, after): (Change, Option<String>, Option<String>),
) -> Result<Change> {
    c.before = before
        .map(|j| Record::from_json(c.entity, &j))
        .transpose()?;
    c.after = after.map(|j| Record::from_json(c.entity, &j)).transpose()?;
    Ok(c)
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
        let rows = match event_id {
            Some(id) => self
                .conn
                .prepare(&format!(
                    "SELECT {COLUMNS} FROM (SELECT * FROM history
                     WHERE entity = 'event' AND entity_id = ?1 ORDER BY id DESC LIMIT ?2)
                     ORDER BY id"
                ))?
                .query_map(params![id, limit], change_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
            None => self
                .conn
                .prepare(&format!(
                    "SELECT {COLUMNS} FROM (SELECT * FROM history ORDER BY id DESC LIMIT ?1)
                     ORDER BY id"
                ))?
                .query_map(params![limit], change_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        };
        rows.into_iter().map(with_records).collect()
    }

    /// One change by its id.
    pub fn change(&self, id: i64) -> Result<Option<Change>> {
        let row = self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM history WHERE id = ?1"),
                [id],
                change_from_row,
            )
            .optional()?;
        row.map(with_records).transpose()
    }

    /// The changes of one batch, in the order they were made.
    pub fn batch(&self, batch: Batch) -> Result<Vec<Change>> {
        self.conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM history WHERE batch = ?1 ORDER BY id"
            ))?
            .query_map([batch], change_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .map(with_records)
            .collect()
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
