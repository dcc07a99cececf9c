//! Forward migrations read from `schema.sql`, tracked with `PRAGMA user_version`.

use std::path::Path;

use rusqlite::Connection;

use super::APPLICATION_ID;
use crate::error::{Error, Result};

/// The DDL, embedded so that the binary needs no file at run time.
pub const SCHEMA_SQL: &str = include_str!("../../schema.sql");

const MARKER: &str = "-- migration: ";

/// The migrations of `schema.sql`, in order; migration `i` brings version `i` to `i + 1`.
pub fn migrations() -> Vec<&'static str> {
    let mut starts: Vec<usize> = SCHEMA_SQL
        .match_indices(MARKER)
        .map(|(i, _)| i)
        .filter(|&i| i == 0 || SCHEMA_SQL.as_bytes()[i - 1] == b'\n')
        .collect();
    starts.push(SCHEMA_SQL.len());
    starts.windows(2).map(|w| &SCHEMA_SQL[w[0]..w[1]]).collect()
}

/// The schema version this binary creates and understands.
pub fn schema_version() -> i64 {
    migrations().len() as i64
}

/// Refuses a database whose schema is newer than this binary.
pub fn check_version(conn: &Connection, path: &Path) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > schema_version() {
        return Err(Error::TooNew {
            path: path.to_path_buf(),
            found,
            known: schema_version(),
        });
    }
    Ok(())
}

/// Runs every migration the database lacks, each in its own transaction.
pub fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    check_version(conn, path)?;
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current >= schema_version() {
        return Ok(());
    }
    for (i, sql) in migrations().iter().enumerate() {
        // Under the write lock, the version read again: another process may have migrated
        // the file since it was first read.
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let now: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if now > i as i64 {
            continue;
        }
        if let Err(e) = tx.execute_batch(sql) {
            // A migration that edits `sqlite_master` turns this on for a moment.
            let _ = tx.pragma_update(None, "writable_schema", false);
            return Err(e.into());
        }
        check_migration(&tx, i + 1)?;
        if i + 1 == 8 {
            // What SQL cannot do: pack each programme's parties and ties (see schema.sql).
            super::tally::carry_over(&tx)?;
        }
        if i + 1 == 10 {
            // The events already stored, put in `search_pending` by the migration.
            super::search_index::index_pending(&tx)?;
        }
        // A migration may edit `sqlite_master` in place (7 relaxes a CHECK); SQLite then asks
        // for the schema cookie to move on, so that every connection reads the schema again.
        // After any other migration it is only one more change of schema.
        let cookie: i64 = tx.pragma_query_value(None, "schema_version", |r| r.get(0))?;
        tx.pragma_update(None, "schema_version", cookie + 1)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.commit()?;
    }
    Ok(())
}

/// Checks what a migration cannot check in SQL: 7 edits the text of a CHECK, and a text not
/// as migration 2 wrote it would leave the CHECK as it was without an error.
fn check_migration(conn: &Connection, version: usize) -> Result<()> {
    if version != 7 {
        return Ok(());
    }
    let relaxed: bool = conn.query_row(
        "SELECT sql LIKE '%OR operation = ''import'')%' FROM sqlite_master \
         WHERE type = 'table' AND name = 'history'",
        [],
        |r| r.get(0),
    )?;
    if relaxed {
        Ok(())
    } else {
        Err(Error::BadData(
            "migration 7 could not relax the history table's CHECK: its definition is not the \
             one spacedip made; the database was left at version 6"
                .into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_in_order() {
        let numbers: Vec<usize> = SCHEMA_SQL
            .lines()
            .filter_map(|l| l.strip_prefix(MARKER))
            .map(|n| n.trim().parse().unwrap())
            .collect();
        let expected: Vec<usize> = (1..=migrations().len()).collect();
        assert_eq!(
            numbers, expected,
            "schema.sql migrations and MIGRATIONS disagree"
        );
        for (i, m) in migrations().iter().enumerate() {
            assert!(
                m.starts_with(&format!("{MARKER}{}", i + 1)),
                "migration {} is misplaced",
                i + 1
            );
        }
    }

    #[test]
    fn fresh_database_reaches_the_current_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, Path::new(":memory:")).unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, schema_version());
        // Running again is a no-op.
        migrate(&mut conn, Path::new(":memory:")).unwrap();
    }

    #[test]
    fn every_older_version_upgrades_to_the_fresh_schema() {
        let schema = |conn: &Connection| -> Vec<String> {
            let mut st = conn
                .prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
                .unwrap();
            st.query_map([], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect()
        };
        let mut fresh = Connection::open_in_memory().unwrap();
        migrate(&mut fresh, Path::new(":memory:")).unwrap();
        for start in 0..schema_version() as usize {
            let mut old = Connection::open_in_memory().unwrap();
            for (i, sql) in migrations().iter().take(start).enumerate() {
                old.execute_batch(sql).unwrap();
                old.pragma_update(None, "user_version", i as i64 + 1)
                    .unwrap();
            }
            migrate(&mut old, Path::new(":memory:")).unwrap();
            assert_eq!(schema(&old), schema(&fresh), "upgrade from version {start}");
        }
    }

    #[test]
    fn an_import_may_leave_its_record_out_from_version_7_on_this_very_connection() {
        let mut conn = Connection::open_in_memory().unwrap();
        for (i, sql) in migrations().iter().take(6).enumerate() {
            conn.execute_batch(sql).unwrap();
            conn.pragma_update(None, "user_version", i as i64 + 1)
                .unwrap();
        }
        let row = |op: &str| {
            format!(
                "INSERT INTO history (batch, at, os_user, operation, entity, entity_id) \
                 VALUES (1, '2026-01-01T00:00:00.000000Z', 'u', '{op}', 'event', 'E')"
            )
        };
        assert!(conn.execute_batch(&row("import")).is_err());
        migrate(&mut conn, Path::new(":memory:")).unwrap();
        // The schema edited in place is the one this connection now checks against.
        conn.execute_batch(&row("import")).unwrap();
        assert!(conn.execute_batch(&row("insert")).is_err());
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
    }

    #[test]
    fn newer_databases_are_refused() {
        let conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", schema_version() + 1)
            .unwrap();
        let err = check_version(&conn, Path::new("x.db"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("newer spacedip"), "{err}");
    }
}
