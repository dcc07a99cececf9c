//! Stopping a query another thread runs: SQLite's interrupt, wrapped so that the browser can
//! stop a query a newer keystroke has made useless, and gated so that it can never stop a
//! write (a write interrupted half-way would be rolled back and lost); and stopping an import
//! on a signal, so that the process ends after SQLite has rolled it back.

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

/// The imports under way in this process, and whether a signal has asked them to stop.
struct Imports {
    /// Set once a signal has asked the imports to stop: the process is about to end.
    stopping: bool,
    /// Each import by guard, with its connection's interrupt while its transaction is open
    /// (`None` after: it is finishing, waited for but never interrupted).
    running: Vec<(u64, Option<rusqlite::InterruptHandle>)>,
    next: u64,
}

static IMPORTS: Mutex<Imports> = Mutex::new(Imports {
    stopping: false,
    running: Vec::new(),
    next: 0,
});
/// Signalled when an import's guard is dropped.
static ENDED: Condvar = Condvar::new();

fn imports() -> MutexGuard<'static, Imports> {
    IMPORTS.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The process is ending by a signal (whose thread exits it): this thread must not go on, to
/// write or to report an error and exit with another status.
fn wait_for_the_end() -> ! {
    loop {
        std::thread::park();
    }
}

/// Marks an import under way until it is dropped: its write, then what it resets.
pub(super) struct ImportGuard(u64);

impl Db {
    /// Marks an import under way on this connection: [`stop_import`] interrupts its
    /// transaction, then waits for the guard. Once a signal has stopped the imports, none
    /// starts: the thread waits for the process to end.
    pub(super) fn guard_import(&self) -> ImportGuard {
        let mut imports = imports();
        if imports.stopping {
            drop(imports);
            wait_for_the_end();
        }
        let id = imports.next;
        imports.next += 1;
        imports
            .running
            .push((id, Some(self.conn.get_interrupt_handle())));
        ImportGuard(id)
    }
}

impl ImportGuard {
    /// The import's transaction has ended (committed or rolled back): what follows (ending
    /// a rollback an interrupt cut short, turning the log back on) must run whole, so it is
    /// never interrupted.
    pub(super) fn transaction_ended(&self) {
        for entry in imports().running.iter_mut().filter(|(id, _)| *id == self.0) {
            entry.1 = None;
        }
    }
}

impl Drop for ImportGuard {
    fn drop(&mut self) {
        let mut imports = imports();
        imports.running.retain(|(id, _)| *id != self.0);
        ENDED.notify_all();
        if imports.stopping {
            drop(imports);
            wait_for_the_end();
        }
    }
}

/// For a process about to end on a signal: stops the imports under way, if any, and waits (at
/// most `patience`) until each has finished, so that the file is left as it was, or whole if
/// the signal came during the commit, with the log back on and no journal for the next
/// connection to replay. Interrupts reach only an open transaction; an import then finishing
/// is waited for. Afterwards no import starts in this process.
pub fn stop_import(patience: Duration) {
    let deadline = Instant::now() + patience;
    let mut imports = imports();
    imports.stopping = true;
    // An interrupt reaches only the statement running at that moment: repeat it until every
    // transaction has ended.
    while !imports.running.is_empty() {
        for handle in imports.running.iter().filter_map(|(_, h)| h.as_ref()) {
            handle.interrupt();
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        imports = ENDED
            .wait_timeout(imports, left.min(Duration::from_millis(10)))
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
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
