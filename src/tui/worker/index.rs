//! The worker's in-memory index (the search corpus and the facet index): built in the
//! worker when a search needs it at once, or on a thread of its own with its own read
//! connection after a browser starts, so that rows keep coming while it is built.

use std::sync::mpsc::{self, Receiver, TryRecvError};

use super::{summaries, Cancel, Reply, State};
use crate::db::Db;
use crate::domain::facets::FacetIndex;
use crate::domain::Catalog;
use crate::error::{Error, Result};
use crate::search::corpus::Corpus;

/// An index being built beside the worker.
#[derive(Debug)]
pub(super) struct Building {
    rx: Receiver<Result<(Corpus, FacetIndex)>>,
    /// The writes made when it began.
    writes: u64,
}

impl State {
    /// Makes sure the corpus and the facet index are there, waiting for one being built or
    /// building them here; and that the corpus holds the notes when `with_notes` (kept
    /// from then on).
    pub(super) fn index(&mut self, db: &Db, catalog: &Catalog, with_notes: bool) -> Result<()> {
        if let Some(building) = self.building.take() {
            let built = building
                .rx
                .recv()
                .map_err(|_| Error::WorkerGone { thread: "index" })?;
            self.install(built?, building.writes);
        }
        let lacks_notes = with_notes && !self.corpus.as_ref().is_some_and(Corpus::has_notes);
        if self.corpus.is_none() || self.facets.is_none() || lacks_notes {
            let keep_notes = with_notes || self.corpus.as_ref().is_some_and(Corpus::has_notes);
            let (corpus, facets) = db.browse_index(catalog, keep_notes)?;
            self.corpus = Some(corpus);
            self.facets = Some(facets);
            self.positions = None;
        }
        Ok(())
    }

    /// Starts building the index on a thread with its own connection (with a small page
    /// cache: it reads each table once through), unless one is being built or the database
    /// has no file (then the worker builds it when needed).
    pub(super) fn start_index(&mut self, db: &Db, catalog: &Catalog) {
        let Some(path) = db.path().map(std::path::Path::to_path_buf) else {
            return;
        };
        if self.building.is_some() {
            return;
        }
        let (tx, rx) = mpsc::channel();
        // The index reads no source: a copy without them (a catalog can hold a million).
        let catalog = catalog.without_sources_copy();
        let started = std::thread::Builder::new()
            .name("spacedip-index".into())
            .spawn(move || {
                let built = Db::open(&path).and_then(|db| {
                    db.cache_only(SCAN_CACHE_MIB)?;
                    db.browse_index(&catalog, false)
                });
                let _ = tx.send(built);
            });
        if started.is_ok() {
            self.building = Some(Building {
                rx,
                writes: self.writes,
            });
        }
    }

    fn install(&mut self, (corpus, facets): (Corpus, FacetIndex), writes: u64) {
        // An index read before a later write would show the data as it was.
        if writes == self.writes {
            self.corpus = Some(corpus);
            self.facets = Some(facets);
            self.positions = None;
        }
    }
}

/// Installs the index once its thread is done, and sends the summaries the newest query
/// was waiting for.
pub(super) fn hand_over(
    db: &Db,
    catalog: &Catalog,
    state: &mut State,
    newer: Cancel<'_>,
    send: &mut dyn FnMut(Reply),
) {
    let Some(building) = &state.building else {
        return;
    };
    let built = match building.rx.try_recv() {
        Ok(built) => built,
        Err(TryRecvError::Empty) => return,
        Err(TryRecvError::Disconnected) => Err(Error::WorkerGone { thread: "index" }),
    };
    let writes = building.writes;
    state.building = None;
    let built = match built {
        Ok(built) => built,
        Err(e) => {
            if let Some(last) = &state.last {
                send(Reply::Summaries {
                    generation: last.generation,
                    outcome: Err(e.into()),
                });
            }
            return;
        }
    };
    state.install(built, writes);
    let Some(request) = state.last.clone().filter(|_| state.owed) else {
        return;
    };
    match summaries(db, catalog, state, &request, newer) {
        Ok(None) => {}
        Ok(Some(s)) => send(Reply::Summaries {
            generation: request.generation,
            outcome: Ok(s),
        }),
        Err(e) => send(Reply::Summaries {
            generation: request.generation,
            outcome: Err(e.into()),
        }),
    }
}

/// The page cache of the connection that builds the index, in MiB.
const SCAN_CACHE_MIB: i64 = 4;
