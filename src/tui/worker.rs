//! The query worker: a thread that owns the database connection and answers filter requests,
//! so that searching never blocks drawing. Requests carry a generation; when several queue
//! up while one runs, only the newest is answered, and the app drops answers it has outrun.

use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::thread::JoinHandle;

use super::cards::{self, ProgrammeCard};
use super::compare::{self, CompareData};
use crate::db::{Db, Facets, Found};
use crate::domain::{Catalog, Filter};
use crate::error::{Error, Result};

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
    })
}

/// The running worker thread and its two channels.
pub struct Worker {
    requests: Option<Sender<Request>>,
    responses: Receiver<Response>,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    /// Starts the thread; it owns `db` from now on.
    pub fn spawn(db: Db, catalog: Catalog) -> Result<Worker> {
        let (request_tx, request_rx) = mpsc::channel::<Request>();
        let (response_tx, response_rx) = mpsc::channel::<Response>();
        let thread = std::thread::Builder::new()
            .name("spacedip-query".into())
            .spawn(move || {
                while let Ok(mut request) = request_rx.recv() {
                    // Typing queues a request per key; only the newest is worth answering.
                    while let Ok(newer) = request_rx.try_recv() {
                        request = newer;
                    }
                    if response_tx.send(respond(&db, &catalog, request)).is_err() {
                        break;
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
        self.requests
            .as_ref()
            .and_then(|tx| tx.send(request).ok())
            .ok_or_else(stopped)
    }

    /// An answer, if one is ready; an error if the thread is gone.
    pub fn try_recv(&self) -> Result<Option<Response>> {
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
        // Closing the request channel ends the thread's loop.
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
            if let Some(r) = worker.try_recv().unwrap() {
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
}
