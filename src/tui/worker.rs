//! The worker: a thread that owns the database connection, answers filter requests and makes
//! the browser's changes, so that neither searching nor saving blocks drawing.
//!
//! Queries carry a generation; when several queue up while one runs, only the newest is
//! answered, and the app drops answers it has outrun. Writes are never dropped: they run in
//! the order sent, each is answered, and a fresh answer to the newest query follows them.

use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::thread::JoinHandle;

use super::cards::{self, ProgrammeCard};
use super::compare::{self, CompareData};
use crate::db::{Db, Facets, Found, SavedView};
use crate::domain::{Catalog, Filter};
use crate::error::{Error, Result};

mod write;

pub use write::{write, WriteFailure, WriteJob, WriteReply, Written};

/// A filter to run, numbered so that stale answers can be recognised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub generation: u64,
    pub filter: Filter,
}

/// Everything the views need for one filter.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The selected events, in the filter's order, with their search hits.
    pub found: Vec<Found>,
    /// Every event in the database.
    pub total: usize,
    pub facets: Facets,
    pub cards: Vec<ProgrammeCard>,
    /// The saved views, by name (for the view picker and the save prompt).
    pub views: Vec<SavedView>,
    /// Every programme on one year axis, under the filter without its programme choice.
    pub compare: CompareData,
}

/// The answer to one request, or the one-line reason it failed.
#[derive(Debug, Clone)]
pub struct Response {
    pub generation: u64,
    pub outcome: std::result::Result<Answer, String>,
}

/// Runs one request on `db`. The thread calls this; tests call it directly.
pub fn respond(db: &Db, catalog: &Catalog, request: Request) -> Response {
    let outcome = answer(db, catalog, &request.filter).map_err(|e| e.to_string());
    Response {
        generation: request.generation,
        outcome,
    }
}

fn answer(db: &Db, catalog: &Catalog, filter: &Filter) -> Result<Answer> {
    let found = db.search(filter, catalog)?;
    let facets = db.facets(filter, catalog)?;
    let cards = cards::summarise(found.iter().map(|f| &f.event), catalog);
    let compare = if filter.programmes.is_empty() {
        CompareData::compute(found.iter().map(|f| &f.event), catalog)
    } else {
        CompareData::compute(&db.events(&compare::filter_for(filter), catalog)?, catalog)
    };
    Ok(Answer {
        compare,
        total: db.count_events()?,
        found,
        facets,
        cards,
        // A view this version cannot read must not stop browsing; `spacedip views` names it.
        views: db.views().unwrap_or_default(),
    })
}

/// One unit of work for the worker.
#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    /// Answer a filter (only the newest of those queued is answered).
    Query(Request),
    /// Make a change (always made, in order, and answered).
    Write(WriteJob),
}

/// What the worker sends back.
#[derive(Debug, Clone)]
pub enum Reply {
    /// The answer to a query.
    Answer(Response),
    /// The outcome of a write.
    Written(WriteReply),
}

/// Runs the jobs that queued up, in order: every write, each answered; then the newest query,
/// or, when there was none but something was written, the last query again, so that the app
/// sees its change. `last` is the newest query seen so far (the thread keeps it between
/// calls). The thread calls this; tests call it directly.
pub fn serve(
    db: &mut Db,
    catalog: &Catalog,
    last: &mut Option<Request>,
    jobs: Vec<Job>,
) -> Vec<Reply> {
    let mut replies = Vec::new();
    let mut newest = None;
    let mut wrote = false;
    for job in jobs {
        match job {
            Job::Query(request) => newest = Some(request),
            Job::Write(w) => {
                replies.push(Reply::Written(write(db, w)));
                wrote = true;
            }
        }
    }
    if let Some(request) = newest {
        *last = Some(request);
    } else if !wrote {
        return replies;
    }
    if let Some(request) = last.clone() {
        replies.push(Reply::Answer(respond(db, catalog, request)));
    }
    replies
}

/// The running worker thread and its two channels.
pub struct Worker {
    requests: Option<Sender<Job>>,
    responses: Receiver<Reply>,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    /// Starts the thread; it owns `db` from now on.
    pub fn spawn(mut db: Db, catalog: Catalog) -> Result<Worker> {
        let (request_tx, request_rx) = mpsc::channel::<Job>();
        let (response_tx, response_rx) = mpsc::channel::<Reply>();
        let thread = std::thread::Builder::new()
            .name("spacedip-query".into())
            .spawn(move || {
                let mut last = None;
                while let Ok(job) = request_rx.recv() {
                    // Typing queues a request per key; `serve` answers only the newest.
                    let mut jobs = vec![job];
                    jobs.extend(request_rx.try_iter());
                    for reply in serve(&mut db, &catalog, &mut last, jobs) {
                        if response_tx.send(reply).is_err() {
                            return;
                        }
                    }
                }
            })
            .map_err(Error::Write)?;
        Ok(Worker {
            requests: Some(request_tx),
            responses: response_rx,
            thread: Some(thread),
        })
    }

    /// Queues a request.
    pub fn send(&self, request: Request) -> Result<()> {
        self.submit(Job::Query(request))
    }

    /// Queues a change; it is made after the jobs queued before it.
    pub fn submit(&self, job: Job) -> Result<()> {
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

fn stopped() -> Error {
    Error::Sqlite("the query thread stopped unexpectedly".into())
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
    use std::time::{Duration, Instant};

    #[test]
    fn the_thread_answers_the_newest_request() {
        let db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let worker = Worker::spawn(db, catalog).unwrap();
        for (generation, term) in [(1, "p"), (2, "pa"), (3, "pakistan")] {
            let filter = Filter {
                search: Some(term.into()),
                ..Filter::default()
            };
            worker.send(Request { generation, filter }).unwrap();
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut last = None;
        while Instant::now() < deadline {
            if let Some(Reply::Answer(r)) = worker.try_recv().unwrap() {
                let done = r.generation == 3;
                last = Some(r);
                if done {
                    break;
                }
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let last = last.expect("an answer before the deadline");
        assert_eq!(last.generation, 3);
        let answer = last.outcome.unwrap();
        assert!(!answer.found.is_empty());
        assert!(answer.total >= answer.found.len());
    }

    fn query(generation: u64) -> Job {
        Job::Query(Request {
            generation,
            filter: Filter::default(),
        })
    }

    fn answer_of(reply: &Reply) -> (u64, usize) {
        match reply {
            Reply::Answer(r) => (r.generation, r.outcome.as_ref().unwrap().total),
            other => panic!("not an answer: {other:?}"),
        }
    }

    fn outcome_of(reply: &Reply) -> &Result<Written, WriteFailure> {
        match reply {
            Reply::Written(w) => &w.outcome,
            other => panic!("not a write: {other:?}"),
        }
    }

    /// The earliest event no other event follows (a followed one cannot be deleted).
    fn unfollowed(db: &Db, catalog: &crate::domain::Catalog) -> crate::domain::Event {
        let all = db.events(&Filter::default(), catalog).unwrap();
        all.iter()
            .find(|e| {
                !all.iter()
                    .any(|x| x.follows.as_deref() == Some(e.id.as_str()))
            })
            .unwrap()
            .clone()
    }

    #[test]
    fn writes_run_in_order_and_the_newest_query_follows_them() {
        let mut db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let total = db.count_events().unwrap();
        let first = unfollowed(&db, &catalog);
        let mut last = None;
        let jobs = vec![
            query(1),
            Job::Write(WriteJob::DeleteEvent(first.id.clone())),
            query(2),
            Job::Write(WriteJob::DeleteEvent(first.id.clone())),
            Job::Write(WriteJob::InsertEvent(first.clone())),
        ];
        let replies = serve(&mut db, &catalog, &mut last, jobs);
        assert_eq!(replies.len(), 4, "three writes, one answer: {replies:?}");
        assert!(matches!(outcome_of(&replies[0]), Ok(Written::Batch(_))));
        let second = outcome_of(&replies[1]).as_ref().unwrap_err();
        assert!(second.message.starts_with("no event with id"), "{second:?}");
        assert!(matches!(outcome_of(&replies[2]), Ok(Written::Batch(_))));
        // Only the newest query is answered, after every write.
        assert_eq!(answer_of(&replies[3]), (2, total));
        assert_eq!(last.as_ref().map(|r| r.generation), Some(2));

        // A write with no query queued is followed by the last query again.
        let jobs = vec![Job::Write(WriteJob::DeleteEvent(first.id.clone()))];
        let replies = serve(&mut db, &catalog, &mut last, jobs);
        assert_eq!(replies.len(), 2);
        assert_eq!(answer_of(&replies[1]), (2, total - 1));
        // Nothing queued, nothing answered.
        assert!(serve(&mut db, &catalog, &mut last, Vec::new()).is_empty());
    }

    #[test]
    fn an_invalid_event_is_refused_with_its_field_problems() {
        let mut db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let mut e = unfollowed(&db, &catalog);
        e.sources.clear();
        let reply = write(&mut db, WriteJob::UpdateEvent(e));
        let failure = reply.outcome.unwrap_err();
        let fields: Vec<&str> = failure.problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["sources"]);
    }

    #[test]
    fn the_thread_makes_writes_and_answers_again() {
        let db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let id = unfollowed(&db, &catalog).id;
        let total = db.count_events().unwrap();
        let worker = Worker::spawn(db, catalog).unwrap();
        worker.submit(query(1)).unwrap();
        worker
            .submit(Job::Write(WriteJob::DeleteEvent(id)))
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            if let Some(r) = worker.try_recv().unwrap() {
                let done =
                    matches!(&r, Reply::Answer(a) if a.outcome.as_ref().unwrap().total < total);
                seen.push(r);
                if done {
                    break;
                }
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let written = seen
            .iter()
            .position(|r| matches!(r, Reply::Written(_)))
            .expect("the write is answered");
        assert!(matches!(outcome_of(&seen[written]), Ok(Written::Batch(_))));
        assert_eq!(answer_of(seen.last().unwrap()), (1, total - 1));
        assert!(
            written < seen.len() - 1,
            "the fresh answer follows the write"
        );
    }
}
