//! Stopping a query another thread runs: SQLite's interrupt, wrapped so that the browser can
//! stop a query a newer keystroke has made useless, and gated so that it can never stop a
//! write (a write interrupted half-way would be rolled back and lost); and stopping an import
//! on a signal, so that the process ends after SQLite has rolled it back.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::Db;

/// A handle that interrupts whatever statement the connection runs when it is called.
pub struct Interrupt(rusqlite::InterruptHandle);

impl Interrupt {
    /// Stops the statements running now on the connection (they fail as interrupted); a
    /// connection running nothing is not affected.
    pub fn interrupt(&self) {
        self.0.interrupt();
    }
}

impl std::fmt::Debug for Interrupt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Interrupt")
    }
}

impl Db {
    /// A handle another thread can interrupt this connection's queries with.
    pub fn interrupt_handle(&self) -> Interrupt {
        Interrupt(self.conn.get_interrupt_handle())
    }
}

/// Which query (by generation) the connection runs, shared by the thread that runs it and the
/// one that may stop it. The runner marks a query before it starts and clears the mark before
/// anything else (a write) runs; the stopper interrupts only a marked query older than its
/// own, holding the lock, so that the runner cannot move on to a write in between.
#[derive(Debug, Clone)]
pub struct QueryGate {
    running: Arc<Mutex<Option<u64>>>,
    handle: Arc<Interrupt>,
}

impl QueryGate {
    /// A gate over the connection of `db`.
    pub fn new(db: &Db) -> QueryGate {
        QueryGate {
            running: Arc::new(Mutex::new(None)),
            handle: Arc::new(db.interrupt_handle()),
        }
    }

    fn set(&self, value: Option<u64>) {
        *self.running.lock().unwrap_or_else(PoisonError::into_inner) = value;
    }

    /// The query of `generation` starts.
    pub fn enter(&self, generation: u64) {
        self.set(Some(generation));
    }

    /// The query is done (or something else runs next).
    pub fn leave(&self) {
        self.set(None);
    }

    /// Interrupts the query running, if it is older than `generation`; returns whether it did.
    pub fn cancel_older_than(&self, generation: u64) -> bool {
        let running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        match *running {
            Some(g) if g < generation => {
                self.handle.interrupt();
                true
            }
            _ => false,
        }
    }
}

/// The connections imports are writing through now, by guard: what a signal stops.
static IMPORTING: Mutex<Vec<(u64, rusqlite::InterruptHandle)>> = Mutex::new(Vec::new());
/// Numbers the guards.
static NEXT_GUARD: AtomicU64 = AtomicU64::new(0);
/// Signalled when an import's transaction has ended (committed or rolled back).
static ENDED: Condvar = Condvar::new();
/// Set once a signal has asked the imports to stop: the process is about to end.
static STOPPING: AtomicBool = AtomicBool::new(false);

fn importing() -> MutexGuard<'static, Vec<(u64, rusqlite::InterruptHandle)>> {
    IMPORTING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Marks an import writing through a connection until it is dropped, after the transaction.
pub(super) struct ImportGuard(u64);

impl Db {
    /// Marks this connection as one an import writes through: [`stop_import`] interrupts it.
    pub(super) fn guard_import(&self) -> ImportGuard {
        let id = NEXT_GUARD.fetch_add(1, Ordering::SeqCst);
        importing().push((id, self.conn.get_interrupt_handle()));
        ImportGuard(id)
    }
}

impl Drop for ImportGuard {
    fn drop(&mut self) {
        importing().retain(|(id, _)| *id != self.0);
        ENDED.notify_all();
        // A signal stopped the import and its thread is ending the process: this thread must
        // not go on to report the interruption as an error and exit with another status.
        if STOPPING.load(Ordering::SeqCst) {
            loop {
                std::thread::park();
            }
        }
    }
}

/// Stops the imports writing now, if any, and waits (at most `patience`) until SQLite has
/// rolled their transactions back, so that a process ending on a signal leaves the file as it
/// was, with no journal for the next connection to replay. Returns whether an import was
/// stopped.
pub fn stop_import(patience: Duration) -> bool {
    STOPPING.store(true, Ordering::SeqCst);
    let deadline = Instant::now() + patience;
    let mut running = importing();
    if running.is_empty() {
        return false;
    }
    // An interrupt reaches only the statement running at that moment: repeat it until every
    // transaction has ended.
    while !running.is_empty() {
        for (_, handle) in running.iter() {
            handle.interrupt();
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        running = ENDED
            .wait_timeout(running, left.min(Duration::from_millis(10)))
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
    true
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    /// A query that would never end by itself.
    const ENDLESS: &str =
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";

    #[test]
    fn a_running_query_is_stopped_and_reported_as_interrupted() {
        let db = Db::open_in_memory().unwrap();
        let gate = QueryGate::new(&db);
        gate.enter(1);
        let runner = std::thread::spawn(move || {
            let result: rusqlite::Result<i64> = db.conn.query_row(ENDLESS, [], |r| r.get(0));
            (db, result)
        });
        // Interrupt until the query gives up (an interrupt before it starts does nothing).
        let deadline = Instant::now() + Duration::from_secs(20);
        while !runner.is_finished() && Instant::now() < deadline {
            assert!(gate.cancel_older_than(2));
            std::thread::sleep(Duration::from_millis(20));
        }
        let (db, result) = runner.join().unwrap();
        gate.leave();
        let err = crate::error::Error::from(result.unwrap_err());
        assert!(err.is_interrupted(), "{err}");
        // The connection works again at once.
        let one: i64 = db.conn.query_row("SELECT 1", [], |r| r.get(0)).unwrap();
        assert_eq!(one, 1);
    }

    #[test]
    fn only_an_older_marked_query_is_stopped() {
        let db = Db::open_in_memory().unwrap();
        let gate = QueryGate::new(&db);
        assert!(!gate.cancel_older_than(5), "nothing runs");
        gate.enter(5);
        assert!(
            !gate.cancel_older_than(5),
            "the same generation keeps running"
        );
        assert!(gate.cancel_older_than(6));
        gate.leave();
        assert!(
            !gate.cancel_older_than(9),
            "a write may run now: never interrupted"
        );
        // An interrupt while nothing ran leaves the next statement alone.
        let one: i64 = db.conn.query_row("SELECT 1", [], |r| r.get(0)).unwrap();
        assert_eq!(one, 1);
    }
}
