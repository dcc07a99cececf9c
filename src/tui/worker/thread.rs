//! The worker thread: it owns the database, takes jobs from one channel and puts replies on
//! the other; the UI raises the newest generation it sent, which the thread's scoring reads
//! to give up on a query that was outrun.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::sync::Arc;
use std::thread::JoinHandle;

use super::{index, serve_into, Job, QueryFailure, Reply, Request, Response, State};
use crate::db::{Db, QueryGate};
use crate::domain::Catalog;
use crate::error::{Error, Result};

/// The running worker thread and its two channels.
pub struct Worker {
    requests: Option<Sender<Job>>,
    responses: Receiver<Reply>,
    /// The generation of the newest query sent, which the thread's scoring checks against.
    newest: Arc<AtomicU64>,
    /// Interrupts the SQL of a query a newer one has made useless.
    gate: QueryGate,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    /// Starts the thread; it owns `db` from now on. A `catalog` read without its sources is
    /// completed by the thread after its first answer (or before any job that needs them),
    /// and sent on as [`Reply::Catalog`].
    pub fn spawn(mut db: Db, catalog: impl Into<Arc<Catalog>>) -> Result<Worker> {
        let mut catalog: Arc<Catalog> = catalog.into();
        let gate = QueryGate::new(&db);
        let stopper = gate.clone();
        let (request_tx, request_rx) = mpsc::channel::<Job>();
        let (response_tx, response_rx) = mpsc::channel::<Reply>();
        let newest = Arc::new(AtomicU64::new(0));
        let seen = Arc::clone(&newest);
        let thread = std::thread::Builder::new()
            .name("spacedip-query".into())
            .spawn(move || {
                let mut state = State::running(gate);
                let newer = move |generation: u64| seen.load(Ordering::Relaxed) > generation;
                loop {
                    // While the index is built beside, wake up to hand over its summaries.
                    let job = if state.building.is_some() {
                        match request_rx.recv_timeout(std::time::Duration::from_millis(40)) {
                            Ok(job) => Some(job),
                            Err(mpsc::RecvTimeoutError::Timeout) => None,
                            Err(mpsc::RecvTimeoutError::Disconnected) => return,
                        }
                    } else {
                        match request_rx.recv() {
                            Ok(job) => Some(job),
                            Err(_) => return,
                        }
                    };
                    let mut gone = false;
                    let mut send = |reply| gone |= response_tx.send(reply).is_err();
                    match job {
                        Some(job) => {
                            // Typing queues a request per key; `serve` answers only the newest.
                            let mut jobs = vec![job];
                            jobs.extend(request_rx.try_iter());
                            if jobs.iter().any(needs_sources) {
                                let read = complete_catalog(&db, &mut catalog, &mut send, HELD);
                                if let Err(e) = read {
                                    // A search without the sources would miss their titles
                                    // without a word: it fails, saying why, instead.
                                    jobs = refuse_searches(jobs, &e, &mut send);
                                }
                            }
                            serve_into(&mut db, &catalog, &mut state, jobs, &newer, &mut send);
                            // Reported by the app when it fails (and tried again next time).
                            let _ = complete_catalog(&db, &mut catalog, &mut send, HELD);
                        }
                        None => index::hand_over(&db, &catalog, &mut state, &newer, &mut send),
                    }
                    if gone {
                        return;
                    }
                }
            })
            .map_err(Error::Thread)?;
        Ok(Worker {
            requests: Some(request_tx),
            responses: response_rx,
            newest,
            gate: stopper,
            thread: Some(thread),
        })
    }

    /// Queues a request; the one in flight, if older, stops scoring.
    pub fn send(&self, request: Request) -> Result<()> {
        self.submit(Job::Query(request))
    }

    /// Queues a job; it runs after the jobs queued before it.
    pub fn submit(&self, job: Job) -> Result<()> {
        if let Job::Query(r) = &job {
            self.newest.fetch_max(r.generation, Ordering::Relaxed);
            self.gate.cancel_older_than(r.generation);
        }
        self.requests
            .as_ref()
            .and_then(|tx| tx.send(job).ok())
            .ok_or_else(stopped)
    }

    /// A reply, if one is ready; an error if the thread is gone.
    pub fn try_recv(&self) -> Result<Option<Reply>> {
        match self.responses.try_recv() {
            Ok(r) => Ok(Some(r)),
            Err(TryRecvError::Empty) => Ok(None),
            Err(TryRecvError::Disconnected) => Err(stopped()),
        }
    }
}

/// Whether a job reads the sources: a search matches their titles; the other jobs read
/// rows, or write through the database, which checks references itself.
fn needs_sources(job: &Job) -> bool {
    matches!(job, Job::Query(r) if r.filter.search.is_some())
}

/// The most sources a browser holds. Past it (a corpus coded from news wires can cite one per
/// event) the sources come with the rows that cite them, and a search reads their titles from
/// the database: a million of them would take some 600 MB.
const HELD: usize = 20_000;

/// Reads the sources a catalog was started without, once, and sends the whole catalog on;
/// or, when there are more than `held`, sends it on marked to stay without them
/// ([`Catalog::sources_by_row`]). A failure is sent on too (the app says the sources could not
/// be read) and leaves the catalog as it is, to be tried again after the next job.
fn complete_catalog(
    db: &Db,
    catalog: &mut Arc<Catalog>,
    send: &mut dyn FnMut(Reply),
    held: usize,
) -> std::result::Result<(), QueryFailure> {
    if catalog.has_sources() || catalog.sources_by_row() {
        return Ok(());
    }
    let whole = db.count_sources().and_then(|n| {
        if n > held {
            Ok(Catalog::clone(catalog).with_sources_by_row())
        } else {
            db.catalog()
        }
    });
    match whole {
        Ok(whole) => {
            let whole = Arc::new(whole);
            send(Reply::Catalog(Ok(Arc::clone(&whole))));
            *catalog = whole;
            Ok(())
        }
        Err(e) => {
            let failure = QueryFailure::from(e);
            send(Reply::Catalog(Err(failure.clone())));
            Err(failure)
        }
    }
}

/// Answers the searches among `jobs` with `failure` and gives back the other jobs.
fn refuse_searches(
    jobs: Vec<Job>,
    failure: &QueryFailure,
    send: &mut dyn FnMut(Reply),
) -> Vec<Job> {
    let (searches, rest): (Vec<Job>, Vec<Job>) = jobs.into_iter().partition(needs_sources);
    for job in searches {
        if let Job::Query(r) = job {
            send(Reply::Answer(Response {
                generation: r.generation,
                outcome: Err(failure.clone()),
            }));
        }
    }
    rest
}

fn stopped() -> Error {
    Error::WorkerGone { thread: "query" }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Closing the request channel ends the thread's loop once the jobs already queued
        // (writes included) are done.
        self.requests = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Past the sources a browser holds, the catalog is sent on marked to stay without them,
    /// and never read whole after.
    #[test]
    fn more_sources_than_held_are_left_to_the_rows() {
        let db = Db::open_seeded_in_memory().unwrap();
        let n = db.count_sources().unwrap();
        let mut catalog = Arc::new(db.catalog_without_sources().unwrap());
        let mut sent = Vec::new();
        complete_catalog(&db, &mut catalog, &mut |r| sent.push(r), n - 1).unwrap();
        assert!(catalog.sources_by_row() && !catalog.has_sources());
        assert!(matches!(&sent[..], [Reply::Catalog(Ok(c))] if c.sources_by_row()));
        complete_catalog(&db, &mut catalog, &mut |r| sent.push(r), n - 1).unwrap();
        assert_eq!(sent.len(), 1, "decided once");

        // At the limit, they are read.
        let mut catalog = Arc::new(db.catalog_without_sources().unwrap());
        complete_catalog(&db, &mut catalog, &mut |_| {}, n).unwrap();
        assert!(catalog.has_sources() && !catalog.sources_by_row());
        assert_eq!(catalog.sources.len(), n);
    }
}
