//! What the app and the worker say to each other: the query ([`Request`], its [`Anchor`] and
//! what the screen [`Wants`]), the jobs ([`Job`]), and the replies ([`Reply`]: an [`Answer`]
//! with a [`Window`] of rows, the [`Summaries`], other rows, a write's outcome).

use std::sync::Arc;

use super::write::{WriteJob, WriteReply};
use crate::db::{Facets, Found, SavedView};
use crate::domain::{Filter, Source};
use crate::error::Error;
use crate::tui::cards::ProgrammeCard;
use crate::tui::compare::CompareData;

/// Where the selection lands in a new answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// On this event if the filter still selects it, else on the first row.
    Keep(Option<String>),
    Top,
    Bottom,
}

/// What the views on screen need beyond the rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Wants {
    /// The programme cards (the Programmes view).
    pub cards: bool,
    /// Every programme on one year axis (the Compare view).
    pub compare: bool,
    /// The saved views, read again (the view picker is open).
    pub views: bool,
}

/// A filter to run, numbered so that stale answers can be recognised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub generation: u64,
    pub filter: Filter,
    pub anchor: Anchor,
    /// How many rows to send around the selection.
    pub rows: usize,
    pub wants: Wants,
}

/// Consecutive rows of the result, from row `start`.
#[derive(Debug, Clone, Default)]
pub struct Window {
    pub start: usize,
    pub rows: Vec<Found>,
    /// The sources the rows cite, when the catalog was read without them (a browser starts
    /// so, and stays so over more sources than it should hold).
    pub sources: Vec<Source>,
}

impl Window {
    /// The row at index `i` of the whole result, if this window holds it.
    pub fn get(&self, i: usize) -> Option<&Found> {
        i.checked_sub(self.start).and_then(|j| self.rows.get(j))
    }

    /// Whether the rows `from..to` are all here (or beyond `count`).
    pub fn covers(&self, from: usize, to: usize, count: usize) -> bool {
        from >= self.start && to.min(count) <= self.start + self.rows.len()
    }

    /// The source `id`, if the rows came with it.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources
            .binary_search_by(|s| s.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.sources[i])
    }

    /// The row index of the event `id`, if this window holds it.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.rows
            .iter()
            .position(|f| f.event.id == id)
            .map(|j| self.start + j)
    }
}

/// The first part of the answer to a request: the rows around the selection.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The events the filter selects.
    pub count: usize,
    /// Every event in the database: the running tally's count in a first answer, which the
    /// summaries that follow correct should a program outside spacedip have added or deleted
    /// events.
    pub total: usize,
    /// The row to select.
    pub selected: usize,
    pub window: Window,
    /// The saved views this build can read, by name (for the view picker and the save
    /// prompt): in the first answer, after a write, and when [`Wants::views`] asks.
    pub views: Option<Vec<SavedView>>,
}

/// The second part: what the facets and the other views show.
#[derive(Debug, Clone, Default)]
pub struct Summaries {
    /// The number of events the result holds, and in the database, as counted with every
    /// row read (the first answer takes the total from the tally: see `worker::complete`).
    pub count: usize,
    pub total: usize,
    pub facets: Facets,
    pub cards: Option<Vec<ProgrammeCard>>,
    /// Every programme on one year axis, under the filter without its programme choice.
    pub compare: Option<CompareData>,
}

/// The answer to one request, or why it failed.
#[derive(Debug, Clone)]
pub struct Response {
    pub generation: u64,
    pub outcome: std::result::Result<Answer, QueryFailure>,
}

/// Why a query was not answered; the app shows its one-line message.
#[derive(Debug, Clone, thiserror::Error)]
pub enum QueryFailure {
    /// A newer query made it moot (only [`respond`] reports this; the thread answers the
    /// newer one instead).
    #[error("cancelled")]
    Cancelled,
    /// Reading or searching failed (shared, as replies are cloned).
    #[error(transparent)]
    Failed(Arc<Error>),
}

impl From<Error> for QueryFailure {
    fn from(e: Error) -> Self {
        QueryFailure::Failed(Arc::new(e))
    }
}

/// One unit of work for the worker.
#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    /// Answer a filter (only the newest of those queued is answered).
    Query(Request),
    /// Send `len` rows from `start` of the answer to `generation` (scrolling).
    Rows {
        generation: u64,
        start: usize,
        len: usize,
    },
    /// Send the hit of rank `rank` (best first, wrapping) of the answer to `generation`,
    /// with `len` rows around it.
    Seek {
        generation: u64,
        rank: usize,
        len: usize,
    },
    /// Make a change (always made, in order, and answered).
    Write(WriteJob),
}

/// What the worker sends back.
#[derive(Debug, Clone)]
pub enum Reply {
    /// The rows of the answer to a query.
    Answer(Response),
    /// The rest of the answer to a query.
    Summaries {
        generation: u64,
        outcome: std::result::Result<Summaries, QueryFailure>,
    },
    /// Rows asked for by [`Job::Rows`] or [`Job::Seek`]; `select` is the row a seek found.
    Rows {
        generation: u64,
        window: Window,
        select: Option<usize>,
    },
    /// The outcome of a write.
    Written(WriteReply),
    /// The whole catalog, sources included, once read (or why it could not be): a browser
    /// starts on one without its sources, so that its first frame never waits for them.
    Catalog(std::result::Result<std::sync::Arc<crate::domain::Catalog>, QueryFailure>),
}
