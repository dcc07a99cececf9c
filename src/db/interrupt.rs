//! Stopping a query another thread runs: SQLite's interrupt, wrapped so that the browser can
//! stop a query a newer keystroke has made useless, and gated so that it can never stop a
//! write (a write interrupted half-way would be rolled back and lost).

use std::sync::{Arc, Mutex, PoisonError};

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
