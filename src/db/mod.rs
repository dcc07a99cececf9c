//! The data layer: the only module that touches SQLite.
//!
//! `Db` opens or creates a database, refuses files that are not spacedip's (leaving them
//! untouched), migrates older schemas forward, loads datasets in one transaction and answers
//! every query through one `Filter`. Every change after the seed (import, edit, delete,
//! restore, undo) writes its history in the same transaction as the change.

mod check;
mod copy;
mod corpus;
mod edit;
mod facets;
mod history;
mod import;
mod interrupt;
mod landmarks;
mod link_list;
mod load;
mod migrate;
mod query;
mod record;
mod rows;
mod search_index;
mod spill;
mod stream;
mod tally;
mod views;
mod write;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

pub use check::Finding;
pub use facets::Facets;
pub use history::{timestamp, Batch, Change, Operation};
pub use import::{ImportEntry, ImportOptions, ImportReport, OnConflict, Outcome};
pub use interrupt::{stop_import, Interrupt, QueryGate};
pub use migrate::{schema_version, SCHEMA_SQL};
pub use query::Found;
pub use stream::EventStream;
pub use tally::StoredTies;
pub use views::{check_view_name, SavedView};

use crate::error::{DatabaseKind, Error, Result};

/// `PRAGMA application_id` of spacedip databases ("SPDP"), so that another application's
/// SQLite file is recognised and left alone.
pub const APPLICATION_ID: i64 = 0x5350_4450;

/// An open spacedip database.
pub struct Db {
    conn: Connection,
    path: Option<PathBuf>,
    /// Why the database is open read-only (a read-only file, directory or file system).
    read_only: Option<String>,
    /// Whether `PRAGMA quick_check` passed on this connection (checked before the first write).
    checked: bool,
}

impl From<rusqlite::Error> for Error {
    /// SQLite's messages can span lines (a failed CHECK quotes its whole expression): they are
    /// folded onto one line, and cut, so that every error stays one line. The error itself
    /// stays the source, and its code tells a busy database from a refused constraint.
    fn from(e: rusqlite::Error) -> Self {
        let text = e
            .to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let kind = match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                DatabaseKind::Busy
            }
            Some(rusqlite::ErrorCode::ConstraintViolation) => DatabaseKind::Constraint,
            Some(rusqlite::ErrorCode::OperationInterrupted) => DatabaseKind::Interrupted,
            _ => DatabaseKind::Other,
        };
        Error::Database {
            kind,
            message: crate::text::truncate(&text, 240),
            source: e,
        }
    }
}

impl Db {
    /// Opens the database at `path`, creating and seeding it when it does not exist.
    ///
    /// A file that is not a SQLite database, belongs to another application or was made by a
    /// newer spacedip is refused before anything is written to it.
    pub fn open(path: &Path) -> Result<Db> {
        let resolved = resolve_links(path)?;
        let path = resolved.as_path();
        // An empty file (from `touch` or `mktemp`) holds nothing to lose: it is built like a
        // new one, beside its path and renamed over it.
        let empty = std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0);
        if path.exists() && !empty {
            Self::open_existing(path)
        } else {
            Self::create(path)
        }
    }

    /// Creates the database at `path` from the embedded seed. An existing spacedip database is
    /// replaced only with `force`, and then kept as a backup beside it (its path is returned),
    /// so that imported data and history are never lost; any other existing file is never
    /// replaced.
    pub fn init(path: &Path, force: bool) -> Result<(Db, Option<PathBuf>)> {
        let resolved = resolve_links(path)?;
        let path = resolved.as_path();
        let mut backup = None;
        if path.exists() {
            if !force {
                return Err(Error::Usage(format!(
                    "{} already exists; pass --force to replace it with a fresh copy of the seed",
                    path.display()
                )));
            }
            let old = Self::open_existing(path)?;
            if let Some(reason) = &old.read_only {
                return Err(Error::ReadOnly {
                    path: path.to_path_buf(),
                    reason: reason.clone(),
                });
            }
            // Fold the write-ahead log into the old file so that no stale log is left to be
            // replayed onto the new one.
            old.conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            old.conn.pragma_update(None, "journal_mode", "DELETE")?;
            drop(old);
            let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let copy = path.with_file_name(format!("{name}.{stamp}.bak"));
            std::fs::copy(path, &copy).map_err(|e| Error::Io {
                path: copy.clone(),
                source: e,
            })?;
            backup = Some(copy);
        }
        Ok((Self::create(path)?, backup))
    }

    /// A new, empty, migrated in-memory database (for tests and scratch work).
    pub fn open_in_memory() -> Result<Db> {
        let conn = Connection::open_in_memory()?;
        let mut db = Db {
            conn,
            path: None,
            read_only: None,
            checked: false,
        };
        db.configure()?;
        migrate::migrate(&mut db.conn, Path::new(":memory:"))?;
        Ok(db)
    }

    /// An in-memory database loaded with the embedded seed.
    pub fn open_seeded_in_memory() -> Result<Db> {
        let mut db = Self::open_in_memory()?;
        db.insert_dataset(&crate::seed::dataset()?)?;
        Ok(db)
    }

    /// Where the database lives, if on disk.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn open_existing(path: &Path) -> Result<Db> {
        check_sqlite_header(path)?;
        if let Some(reason) = not_writable(path) {
            return Self::open_read_only(path, reason);
        }
        match Self::open_read_write(path) {
            // A read-only file system shows only when SQLite tries to write (the log, WAL
            // mode): read it without writing anything beside it. Any other failure to open
            // stays what it is.
            Err(Error::Open { reason, .. })
            | Err(Error::Database {
                message: reason, ..
            }) if (reason.contains("readonly") || reason.contains("unable to open"))
                && read_only_file_system(path) =>
            {
                Self::open_read_only(path, "the file or its file system is read-only".into())
            }
            // SQLite opened it read-only on its own (a file this user may not write).
            Ok(db) if db.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) => {
                drop(db);
                Self::open_read_only(path, "this user may not write the file".into())
            }
            other => other,
        }
    }

    /// Opens a database that cannot be written: immutable, so that SQLite creates no log or
    /// shared-memory file beside it. Reads work; every write is refused with the reason.
    fn open_read_only(path: &Path, reason: String) -> Result<Db> {
        // An immutable open would not see changes still in the write-ahead log, nor undo a
        // bulk import cut off in the middle (its rollback journal): refuse rather than show
        // stale or half-written data.
        let beside = |suffix: &str| {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            std::fs::metadata(PathBuf::from(name)).is_ok_and(|m| m.len() > 0)
        };
        let pending = if beside("-wal") {
            Some("its write-ahead log holds changes not yet in the file")
        } else if beside("-journal") {
            Some("a write that was cut off left its journal beside it, to be undone")
        } else {
            None
        };
        if let Some(pending) = pending {
            return Err(Error::ReadOnly {
                path: path.to_path_buf(),
                reason: format!(
                    "{reason}; {pending}, which a read-only open cannot see: open it once \
                     where it can be written"
                ),
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn =
            Connection::open_with_flags(immutable_uri(path), flags).map_err(|e| Error::Open {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
        let db = Self::recognise(conn, path)?;
        migrate::check_version(&db.conn, path)?;
        let found: i64 = db
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        if found < schema_version() {
            return Err(Error::ReadOnly {
                path: path.to_path_buf(),
                reason: format!(
                    "{reason}; it was made by an earlier spacedip and needs an upgrade, which \
                     writes: open it once where it can be written"
                ),
            });
        }
        db.conn.pragma_update(None, "foreign_keys", true)?;
        Ok(Db {
            read_only: Some(reason),
            ..db
        })
    }

    fn open_read_write(path: &Path) -> Result<Db> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| Error::Open {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        let mut db = Self::recognise(conn, path)?;
        migrate::check_version(&db.conn, path)?;
        db.configure()?;
        migrate::migrate(&mut db.conn, path)?;
        Ok(db)
    }

    /// Checks that `conn` is a readable spacedip database, leaving it untouched otherwise.
    fn recognise(conn: Connection, path: &Path) -> Result<Db> {
        let not_db = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => Error::NotADatabase(path.to_path_buf()),
            _ => Error::Open {
                path: path.to_path_buf(),
                reason: e.to_string(),
            },
        };
        let app_id: i64 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(not_db)?;
        // Reading the schema is what makes SQLite notice a corrupt or encrypted file.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(not_db)?;
        // spacedip always creates its files complete (see `create`), so a file without our
        // application id, even one with no tables yet, belongs to someone else.
        if app_id != APPLICATION_ID {
            return Err(Error::ForeignDatabase(path.to_path_buf()));
        }
        Ok(Db {
            conn,
            path: Some(path.to_path_buf()),
            read_only: None,
            checked: false,
        })
    }

    /// Shrinks this connection's page cache to `mib` MiB: for a connection that reads its
    /// tables once through (a scan keeps nothing worth caching) or a few pages at a time, and
    /// would otherwise hold the full cache as long as the process runs.
    pub fn cache_only(&self, mib: i64) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -1024 * mib)?;
        Ok(())
    }

    /// Runs `read` on one snapshot of the database: reads made in several statements see the
    /// same data even while another connection writes. Inside a transaction already open
    /// (an undo reads its batch under the write lock) that transaction is the snapshot.
    pub fn snapshot<T>(&self, read: impl FnOnce() -> Result<T>) -> Result<T> {
        if !self.conn.is_autocommit() {
            return read();
        }
        // Ended by dropping it: a read has nothing to commit.
        let _snapshot = self.conn.unchecked_transaction()?;
        read()
    }

    /// Makes ready for a write: refused on a read-only database, and on a damaged one (checked
    /// once per connection with `PRAGMA quick_check`, so that nothing is written into a file
    /// that is already broken).
    fn ready_to_write(&mut self) -> Result<()> {
        let path = || {
            self.path
                .clone()
                .unwrap_or_else(|| PathBuf::from(":memory:"))
        };
        if let Some(reason) = &self.read_only {
            return Err(Error::ReadOnly {
                path: path(),
                reason: reason.clone(),
            });
        }
        if !self.checked {
            let verdict: String = self
                .conn
                .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
                .map_err(|e| Error::Damaged {
                    path: path(),
                    verdict: e.to_string(),
                })?;
            if verdict != "ok" {
                let verdict = verdict.split_whitespace().collect::<Vec<_>>().join(" ");
                return Err(Error::Damaged {
                    path: path(),
                    verdict: crate::text::truncate(&verdict, 120),
                });
            }
            self.checked = true;
        }
        Ok(())
    }

    /// Begins a write transaction, after [`Db::ready_to_write`]. IMMEDIATE, so that a database
    /// another process is writing is waited for (the busy timeout) rather than failing at once,
    /// as a deferred transaction that reads first and then writes would.
    pub(crate) fn begin_write(&mut self) -> Result<Transaction<'_>> {
        self.ready_to_write()?;
        Ok(self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?)
    }

    /// Begins an EXCLUSIVE write transaction, after [`Db::ready_to_write`]: in the rollback
    /// journal no other connection reads until it ends, so none can make it wait part-way.
    pub(crate) fn begin_exclusive(&mut self) -> Result<Transaction<'_>> {
        self.ready_to_write()?;
        Ok(self
            .conn
            .transaction_with_behavior(TransactionBehavior::Exclusive)?)
    }

    /// Creates a new database next to its final path, then renames it into place, so that a
    /// failed creation never leaves a half-made file.
    fn create(path: &Path) -> Result<Db> {
        let cannot = |reason: String| Error::Open {
            path: path.to_path_buf(),
            reason,
        };
        // A mistyped --db should fail, not grow a directory tree: only the default location's
        // directory is created (by the CLI).
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !dir.is_dir() {
                return Err(cannot(format!(
                    "the directory {} does not exist",
                    dir.display()
                )));
            }
        }
        let file_name = path
            .file_name()
            .ok_or_else(|| cannot("not a file path".into()))?;
        let tmp = path.with_file_name(format!(
            ".{}.tmp-{}",
            file_name.to_string_lossy(),
            std::process::id()
        ));
        let built = (|| -> Result<()> {
            let conn = Connection::open(&tmp).map_err(|e| cannot(e.to_string()))?;
            conn.pragma_update(None, "foreign_keys", true)?;
            let mut db = Db {
                conn,
                path: Some(tmp.clone()),
                read_only: None,
                checked: true,
            };
            migrate::migrate(&mut db.conn, path)?;
            db.insert_dataset(&crate::seed::dataset()?)?;
            db.conn.close().map_err(|(_, e)| Error::from(e))?;
            Ok(())
        })();
        if let Err(e) = built {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        // A write-ahead log beside a missing (or empty) database belongs to a deleted one:
        // SQLite would replay it onto the new file.
        for suffix in ["-wal", "-shm"] {
            let mut stale = path.as_os_str().to_owned();
            stale.push(suffix);
            let stale = PathBuf::from(stale);
            if stale.exists() {
                std::fs::remove_file(&stale).map_err(|e| {
                    let _ = std::fs::remove_file(&tmp);
                    cannot(format!("cannot remove the stale {}: {e}", stale.display()))
                })?;
            }
        }
        std::fs::rename(&tmp, path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            cannot(e.to_string())
        })?;
        Self::open_existing(path)
    }

    /// Reads the file through a memory map rather than copying each page into the connection's
    /// cache, for a command that reads much of a large database once and ends: a search whose
    /// hits are read by row id all over the file took 1.0 s instead of 0.64 s at a million
    /// events, most of the difference the copies. The mapped pages are the system's file
    /// cache, which a process's resident size counts once touched; the browser, which keeps
    /// running and whose resident size is its budget, reads through the page cache instead.
    /// A speed-up only: should SQLite refuse it, the command reads as before.
    pub fn map_pages(&self) {
        let _ = self.conn.pragma_update(None, "mmap_size", MAP_SIZE);
    }

    /// Settings for every connection: foreign keys on, WAL so readers never block the writer,
    /// a busy timeout so that concurrent writers wait rather than fail at once, and a page
    /// cache and in-memory sorting sized for a million events (the defaults re-read pages
    /// through a 2 MB cache and sort through temporary files).
    fn configure(&mut self) -> Result<()> {
        self.conn.pragma_update(None, "foreign_keys", true)?;
        self.conn.busy_timeout(std::time::Duration::from_secs(5))?;
        self.conn.pragma_update(None, "cache_size", CACHE_SIZE)?;
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        if self.path.is_some() {
            self.conn.pragma_update(None, "journal_mode", "WAL")?;
            self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        }
        Ok(())
    }
}

/// The page cache of a connection, in KiB when negative (SQLite's convention): 64 MiB.
const CACHE_SIZE: i64 = -65_536;

/// The most of the file [`Db::map_pages`] asks to map, in bytes: more than any database, so
/// that the limit SQLite was built with (2 GiB unless built otherwise) is the one that holds;
/// the part of a larger file beyond it is read as before.
const MAP_SIZE: i64 = 1 << 40;

/// The path a database path stands for: a symbolic link is followed to its target, and a
/// dangling or looping link is refused, so that a link to an unmounted drive never grows a
/// fresh local database in its place.
fn resolve_links(path: &Path) -> Result<PathBuf> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(path.to_path_buf());
    }
    let target = std::fs::read_link(path)
        .map(|t| t.display().to_string())
        .unwrap_or_default();
    match std::fs::canonicalize(path) {
        Ok(real) => Ok(real),
        Err(e) if e.raw_os_error() == Some(40) => Err(Error::Open {
            path: path.to_path_buf(),
            reason: "a symbolic link that loops back on itself; nothing was created".into(),
        }),
        Err(_) => Err(Error::Open {
            path: path.to_path_buf(),
            reason: format!(
                "a symbolic link to {}, which does not exist (an unmounted drive or a moved \
                 file?); nothing was created in its place",
                crate::text::inert(&target)
            ),
        }),
    }
}

/// Why a database file cannot be written, judged by its permission bits and its directory's
/// (a database needs its directory for the write-ahead log), before SQLite tries.
fn not_writable(path: &Path) -> Option<String> {
    let readonly = |p: &Path| std::fs::metadata(p).is_ok_and(|m| m.permissions().readonly());
    if readonly(path) {
        return Some("the file is read-only".into());
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    readonly(dir).then(|| format!("its directory {} is read-only", dir.display()))
}

/// Whether the file system holding `path` refuses writes (a read-only mount): a file opened
/// for writing there fails with EROFS (30 on Linux).
fn read_only_file_system(path: &Path) -> bool {
    match std::fs::OpenOptions::new().append(true).open(path) {
        Err(e) => e.raw_os_error() == Some(30) || e.kind() == std::io::ErrorKind::PermissionDenied,
        Ok(_) => false,
    }
}

/// A SQLite URI that opens `path` immutable (no locks, no log files).
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()).to_vec();
    #[cfg(not(unix))]
    let bytes = path.as_os_str().to_string_lossy().as_bytes().to_vec();
    for b in bytes {
        match b {
            b'?' | b'#' | b'%' | 0x80.. => uri.push_str(&format!("%{b:02X}")),
            _ => uri.push(char::from(b)),
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// Refuses a non-empty file that does not start with SQLite's magic string, without opening it.
fn check_sqlite_header(path: &Path) -> Result<()> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(|e| Error::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    let mut magic = [0u8; 16];
    let mut read = 0;
    while read < magic.len() {
        match file.read(&mut magic[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) => {
                return Err(Error::Io {
                    path: path.to_path_buf(),
                    source: e,
                })
            }
        }
    }
    if read == 0 || &magic[..read] == b"SQLite format 3\0" {
        Ok(())
    } else {
        Err(Error::NotADatabase(path.to_path_buf()))
    }
}

#[cfg(test)]
impl Db {
    /// Runs `sql` as a program outside spacedip would: behind the history's and the tally's
    /// back.
    pub(crate) fn write_behind_our_back(&self, sql: &str) -> Result<()> {
        Ok(self.conn.execute_batch(sql)?)
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;
    use std::time::Duration;

    use super::*;

    /// The SQLite error an error keeps as its source.
    fn sqlite_source(e: &Error) -> &rusqlite::Error {
        e.source()
            .and_then(|s| s.downcast_ref::<rusqlite::Error>())
            .expect("a rusqlite::Error as the source")
    }

    #[test]
    fn a_connection_s_page_cache_can_be_made_smaller() {
        let db = Db::open_in_memory().unwrap();
        let size = |db: &Db| -> i64 {
            db.conn
                .pragma_query_value(None, "cache_size", |r| r.get(0))
                .unwrap()
        };
        assert_eq!(size(&db), CACHE_SIZE);
        db.cache_only(16).unwrap();
        assert_eq!(size(&db), -16 * 1024);
    }

    #[test]
    fn a_database_locked_by_another_connection_is_busy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("busy.db");
        let mut db = Db::open(&path).unwrap();
        db.conn.busy_timeout(Duration::from_millis(50)).unwrap();
        let holder = Connection::open(&path).unwrap();
        holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
        let err = db.delete_view("anything").unwrap_err();
        assert!(err.is_busy(), "{err:?}");
        assert!(!err.is_constraint());
        assert_eq!(
            sqlite_source(&err).sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy)
        );
        assert_eq!(err.to_string(), "database error: database is locked");
        holder.execute_batch("COMMIT").unwrap();
        assert!(!db.delete_view("anything").unwrap());
    }

    #[test]
    fn a_refused_constraint_is_told_apart_and_stays_on_one_line() {
        let db = Db::open_in_memory().unwrap();
        let insert = "INSERT INTO actor (id, name, kind) VALUES ('X', 'X', 'state')";
        db.conn.execute(insert, []).unwrap();
        let unique = Error::from(db.conn.execute(insert, []).unwrap_err());
        assert!(unique.is_constraint() && !unique.is_busy(), "{unique:?}");
        assert!(matches!(
            sqlite_source(&unique).sqlite_error_code(),
            Some(rusqlite::ErrorCode::ConstraintViolation)
        ));
        let check = Error::from(
            db.conn
                .execute(
                    "INSERT INTO actor (id, name, kind) VALUES ('Y', 'Y', 'planet')",
                    [],
                )
                .unwrap_err(),
        );
        assert!(check.is_constraint(), "{check:?}");
        let text = check.to_string();
        assert!(
            text.starts_with("database error: CHECK constraint failed"),
            "{text}"
        );
        assert!(!text.contains('\n'), "{text}");
        let other = Error::from(db.conn.execute("SELECT nonsense", []).unwrap_err());
        assert!(!other.is_busy() && !other.is_constraint(), "{other:?}");
    }
}
