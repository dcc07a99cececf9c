//! The worker: a thread that owns the database connection and the result of the current
//! filter, answers the browser with the rows it shows, and makes the browser's changes, so
//! that neither searching nor saving blocks drawing.
//!
//! The worker keeps the result set (the row ids the filter selects, in order, with their
//! search hits) and the search corpus; the app holds the count and a window of rows, and asks
//! for others as it scrolls ([`Job::Rows`]) or jumps to a hit ([`Job::Seek`]). An answer
//! comes in two parts: the rows first, then the summaries (facet counts, and the programme
//! cards and Compare data only while their view is on screen), skipped when a newer query
//! is already waiting. Queries carry a generation; the scoring loop gives up when a newer
//! one was sent, only the newest of those queued is answered, and the app drops answers it
//! has outrun. Writes are never dropped: they run in the order sent, each is answered, and a
//! fresh answer to the newest query follows them.

use std::sync::Arc;

use super::cards;
use super::compare::{self, CompareData};
use crate::db::{Db, QueryGate, SavedView};
use crate::domain::facets::FacetIndex;
use crate::domain::{Catalog, Filter};
use crate::error::Result;
use crate::search::corpus::{Corpus, Matched};
use crate::search::Query;

mod index;
mod messages;
mod rows;
mod tallied;
mod thread;
mod write;

use rows::{rows_for, window};

pub use messages::{
    Anchor, Answer, Job, QueryFailure, Reply, Request, Response, Summaries, Wants, Window,
};
pub use thread::Worker;
pub use write::{write, WriteFailure, WriteJob, WriteReply, Written};

/// The result of the current query.
#[derive(Debug, Default)]
struct Current {
    generation: u64,
    /// The search, when the filter has one (for the title positions of the rows sent).
    search: Option<String>,
    /// The structured part of the filter (what `keys` are ordered by).
    filter: Filter,
    /// Row ids in the filter's order: all of them, or only the first rows while
    /// `complete` is false (the first answer after a start or a new filter).
    keys: Arc<Vec<i64>>,
    complete: bool,
    /// The rows of the result.
    count: usize,
    /// With a search: each row's hit (aligned with `keys`).
    hits: Vec<Matched>,
    /// With a search: the row ids it matches among all events (what the facets count).
    searched: Option<Vec<i64>>,
    /// Row indices, best hit first (made on the first seek).
    best: Option<Vec<u32>>,
}

/// What the worker keeps between jobs: the corpus, the ordered row ids of the last
/// structured filter, and the current result. Writes invalidate the first two.
#[derive(Debug, Default)]
pub struct State {
    corpus: Option<Corpus>,
    facets: Option<FacetIndex>,
    ordered: Option<(Filter, Arc<Vec<i64>>)>,
    /// The corpus positions of `ordered`'s row ids (found once per filter and corpus).
    positions: Option<Arc<Vec<u32>>>,
    total: Option<usize>,
    current: Current,
    /// The newest query seen (answered again after a write when no newer one is queued).
    last: Option<Request>,
    /// Build the index on a thread of its own (the running browser), not in the worker.
    background: bool,
    /// The index being built, and the number of writes made so far (a build begun before a
    /// write is stale).
    building: Option<index::Building>,
    writes: u64,
    /// The summaries of `last` wait for the index being built.
    owed: bool,
    /// The saved views went out with an answer since the last write.
    views_sent: bool,
    /// Marks the query running, so that the UI can interrupt its SQL when a newer one comes
    /// (the running browser's; tests run without).
    gate: Option<QueryGate>,
}

impl State {
    /// The state of the running browser's worker: the index built beside, queries gated.
    pub(super) fn running(gate: QueryGate) -> State {
        State {
            background: true,
            gate: Some(gate),
            ..State::default()
        }
    }

    fn invalidate(&mut self) {
        self.writes += 1;
        self.building = None;
        self.positions = None;
        self.corpus = None;
        self.facets = None;
        self.ordered = None;
        self.total = None;
        self.views_sent = false;
    }

    /// Every event in the database, from the tally the first time: the first frame should not
    /// wait for a count of every row. Reading the whole unfiltered order corrects it should a
    /// program outside spacedip have added or deleted events (see `ordered`).
    fn total(&mut self, db: &Db) -> Result<usize> {
        let n = match self.total {
            Some(n) => n,
            None => db.tallied_count()?,
        };
        self.total = Some(n);
        Ok(n)
    }

    /// The row ids the structured part of `filter` selects, in order (kept while only the
    /// search changes, as it does while typing).
    fn ordered(&mut self, db: &Db, catalog: &Catalog, filter: &Filter) -> Result<Arc<Vec<i64>>> {
        let structured = Filter {
            search: None,
            ..filter.clone()
        };
        if let Some((f, keys)) = &self.ordered {
            if *f == structured {
                return Ok(Arc::clone(keys));
            }
        }
        let keys = Arc::new(db.ordered_keys(&structured, catalog)?);
        // Every row counted: the total the first answer took from the tally is corrected
        // here, however the unfiltered order comes to be read (see `complete`).
        if structured == Filter::default() {
            self.total = Some(keys.len());
        }
        self.ordered = Some((structured, Arc::clone(&keys)));
        self.positions = None;
        Ok(keys)
    }
}

/// Whether a newer query than `generation` was sent.
pub type Cancel<'a> = &'a (dyn Fn(u64) -> bool + Sync);

/// [`serve_into`], collecting the replies (tests call this).
pub fn serve(
    db: &mut Db,
    catalog: &Catalog,
    state: &mut State,
    jobs: Vec<Job>,
    newer: Cancel<'_>,
) -> Vec<Reply> {
    let mut replies = Vec::new();
    serve_into(db, catalog, state, jobs, newer, &mut |r| replies.push(r));
    replies
}

/// Runs the jobs that queued up, in order: every write, each answered; then the newest
/// query, or, when there was none but something was written, the last query again, so that
/// the app sees its change; row requests are answered from the current result when no query
/// replaces it. Each reply goes to `send` as soon as it is ready: the rows of an answer are
/// drawn while its summaries are computed.
pub fn serve_into(
    db: &mut Db,
    catalog: &Catalog,
    state: &mut State,
    jobs: Vec<Job>,
    newer: Cancel<'_>,
    send: &mut dyn FnMut(Reply),
) {
    let mut newest = None;
    let mut wrote = false;
    let mut moves = Vec::new();
    for job in jobs {
        match job {
            Job::Query(request) => newest = Some(request),
            Job::Write(w) => {
                let reply = write(db, w);
                wrote |= reply.outcome.is_ok();
                send(Reply::Written(reply));
            }
            other => moves.push(other),
        }
    }
    if wrote {
        state.invalidate();
    }
    if newest.is_none() && !wrote {
        for m in moves {
            if let Some(reply) = rows_for(db, catalog, state, m) {
                send(reply);
            }
        }
        return;
    }
    if let Some(request) = newest {
        state.last = Some(request);
    }
    if let Some(request) = state.last.clone() {
        let generation = request.generation;
        if let Some(gate) = &state.gate {
            gate.enter(generation);
        }
        // An interrupt meant for an older query can land on this one (it arrives as the older
        // one's SQL ends): what is still the newest query runs again.
        let outrun = |e: Option<&crate::error::Error>| {
            e.is_some_and(crate::error::Error::is_interrupted) && !newer(generation)
        };
        let mut answered = answer(db, catalog, state, &request, newer);
        if outrun(answered.as_ref().err()) {
            answered = answer(db, catalog, state, &request, newer);
        }
        // The rows go out at once; the summaries follow when counted.
        let summed = match answered {
            Ok(None) => None,
            // A newer query interrupted this one's SQL: nothing to say about it.
            Err(e) if e.is_interrupted() => None,
            Err(e) => {
                send(Reply::Answer(Response {
                    generation,
                    outcome: Err(e.into()),
                }));
                None
            }
            Ok(Some(a)) => {
                send(Reply::Answer(Response {
                    generation,
                    outcome: Ok(a),
                }));
                let mut s = summaries(db, catalog, state, &request, newer);
                if outrun(s.as_ref().err()) {
                    s = summaries(db, catalog, state, &request, newer);
                }
                Some(s)
            }
        };
        // From here on nothing of this query runs: a write may follow, never interrupted.
        if let Some(gate) = &state.gate {
            gate.leave();
        }
        match summed {
            None | Some(Ok(None)) => {}
            Some(Err(e)) if e.is_interrupted() => {}
            Some(Ok(Some(s))) => send(Reply::Summaries {
                generation,
                outcome: Ok(s),
            }),
            Some(Err(e)) => send(Reply::Summaries {
                generation,
                outcome: Err(e.into()),
            }),
        }
    }
}

/// The rows part of the answer to `request` (tests and benchmarks call this).
pub fn respond(db: &Db, catalog: &Catalog, state: &mut State, request: Request) -> Response {
    let outcome = match answer(db, catalog, state, &request, &|_| false) {
        Ok(Some(a)) => Ok(a),
        Ok(None) => Err(QueryFailure::Cancelled),
        Err(e) => Err(e.into()),
    };
    Response {
        generation: request.generation,
        outcome,
    }
}

/// The rows of one request; `None` when a newer request made it moot.
fn answer(
    db: &Db,
    catalog: &Catalog,
    state: &mut State,
    request: &Request,
    newer: Cancel<'_>,
) -> Result<Option<Answer>> {
    let generation = request.generation;
    let search = request.filter.search.as_deref().and_then(Query::parse);
    let structured = Filter {
        search: None,
        ..request.filter.clone()
    };
    let head = search.is_none()
        && matches!(request.anchor, Anchor::Top | Anchor::Keep(None))
        && !state
            .ordered
            .as_ref()
            .is_some_and(|(f, _)| *f == structured);
    if head {
        // The first page comes straight from the index; the whole order follows with the
        // summaries, before anything needs it.
        let keys = db.first_keys(&structured, catalog, Some(request.rows))?;
        let count = if structured == Filter::default() {
            state.total(db)?
        } else {
            db.count_selected(&structured, catalog)?
        };
        let result = Selected {
            keys: Arc::new(keys),
            count,
            complete: false,
            hits: Vec::new(),
            searched: None,
        };
        return finish(db, catalog, state, request, structured, result);
    }
    let ordered = state.ordered(db, catalog, &request.filter)?;
    let (keys, hits, searched) = match &search {
        None => (ordered, Vec::new(), None),
        Some(query) => {
            state.index(db, catalog, query.needs_notes())?;
            let Some(corpus) = state.corpus.as_mut() else {
                return Ok(None);
            };
            let cancelled = || newer(generation);
            let Some(matched) = corpus.search(query, catalog, db, None, &cancelled)? else {
                // Only a newer query stops a search; it will be answered instead.
                return Ok(None);
            };
            let searched = matched.iter().map(|m| corpus.key(m.pos)).collect();
            let positions = match &state.positions {
                Some(p) => Arc::clone(p),
                None => Arc::new(corpus.positions(&ordered)),
            };
            state.positions = Some(Arc::clone(&positions));
            let hits = corpus.in_order_at(&positions, matched);
            (
                Arc::new(hits.iter().map(|m| corpus.key(m.pos)).collect()),
                hits,
                Some(searched),
            )
        }
    };
    let result = Selected {
        count: keys.len(),
        keys,
        complete: true,
        hits,
        searched,
    };
    finish(db, catalog, state, request, structured, result)
}

/// What a query found, before it becomes the current result.
struct Selected {
    keys: Arc<Vec<i64>>,
    count: usize,
    complete: bool,
    hits: Vec<Matched>,
    searched: Option<Vec<i64>>,
}

/// Makes `keys` the current result and answers with the rows around the anchor.
fn finish(
    db: &Db,
    catalog: &Catalog,
    state: &mut State,
    request: &Request,
    structured: Filter,
    result: Selected,
) -> Result<Option<Answer>> {
    let total = state.total(db)?;
    let count = result.count;
    state.current = Current {
        generation: request.generation,
        search: request.filter.search.clone(),
        filter: structured,
        keys: result.keys,
        complete: result.complete,
        count,
        hits: result.hits,
        searched: result.searched,
        best: None,
    };
    let selected = match &request.anchor {
        Anchor::Top | Anchor::Keep(None) => 0,
        Anchor::Bottom => count.saturating_sub(1),
        Anchor::Keep(Some(id)) => match db.key_of(id)? {
            Some(key) => state
                .current
                .keys
                .iter()
                .position(|&k| k == key)
                .unwrap_or(0),
            None => 0,
        },
    };
    let start = selected.saturating_sub(request.rows / 2);
    let window = window(db, catalog, &state.current, start, request.rows)?;
    Ok(Some(Answer {
        count,
        total,
        selected,
        window,
        views: saved_views(db, state, request.wants.views),
    }))
}

/// The saved views, when the app has not had them since the last write or asks again;
/// read once, not with every keystroke's answer.
fn saved_views(db: &Db, state: &mut State, asked: bool) -> Option<Vec<SavedView>> {
    if state.views_sent && !asked {
        return None;
    }
    state.views_sent = true;
    // A view this version cannot read must not stop browsing; `spacedip views` names it.
    let views = db.views().unwrap_or_default();
    Some(
        views
            .into_iter()
            .filter_map(std::result::Result::ok)
            .collect(),
    )
}

/// Reads the whole order of the current result if only its first rows were read.
fn complete(db: &Db, catalog: &Catalog, state: &mut State) -> Result<()> {
    if !state.current.complete {
        let filter = state.current.filter.clone();
        state.current.keys = state.ordered(db, catalog, &filter)?;
        state.current.complete = true;
        // The first answer's count (from the tally, or a count that another process's write
        // may have overtaken) gives way to the keys read; the summaries carry it to the app.
        state.current.count = state.current.keys.len();
    }
    Ok(())
}

/// The facet counts over the very set the rows come from (counted in one pass over the
/// worker's index), and the other views' data when they are on screen; `None` when a newer
/// query made them moot.
fn summaries(
    db: &Db,
    catalog: &Catalog,
    state: &mut State,
    request: &Request,
    newer: Cancel<'_>,
) -> Result<Option<Summaries>> {
    let generation = request.generation;
    if newer(generation) {
        return Ok(None);
    }
    let filter = &request.filter;
    complete(db, catalog, state)?;
    if state.background && state.facets.is_none() {
        // Built beside the worker, which meanwhile answers rows; the summaries follow
        // when it is done (`Worker` polls it). A database without a file is indexed here.
        state.start_index(db, catalog);
        if state.building.is_some() {
            state.owed = true;
            return Ok(None);
        }
    }
    state.index(db, catalog, false)?;
    state.owed = false;
    let (Some(index), Some(corpus)) = (&state.facets, &state.corpus) else {
        return Ok(None);
    };
    // The facet index counts by corpus position (the two are built in one pass); the hits
    // are kept by key, which stays true should the index be built again meanwhile.
    let searched = state
        .current
        .searched
        .as_deref()
        .map(|keys| corpus.positions(keys));
    let Some(facets) = index.count(filter, catalog, searched.as_deref(), &|| newer(generation))
    else {
        return Ok(None);
    };
    let cards = if !request.wants.cards {
        None
    } else {
        match tallied::cards(db, catalog, filter, &|| newer(generation))? {
            tallied::Cards::Tallied(cards) => Some(cards),
            tallied::Cards::Cancelled => return Ok(None),
            tallied::Cards::Untallied => {
                // Whole events: a card names its first and last events by their titles.
                let events = db.events_by_keys(&state.current.keys)?;
                Some(cards::summarise(&events, catalog))
            }
        }
    };
    let compare = if request.wants.compare {
        // The Compare view shows measures only: no texts need reading.
        let events = db.coded_events(&compare::filter_for(filter), catalog)?;
        Some(CompareData::compute(&events, catalog))
    } else {
        None
    };
    Ok(Some(Summaries {
        count: state.current.count,
        total: state.total.unwrap_or(0),
        facets,
        cards,
        compare,
    }))
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
            worker.send(request(generation, filter)).unwrap();
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
        assert!(answer.count > 0 && !answer.window.rows.is_empty());
        assert!(answer.total >= answer.count);
    }

    #[test]
    fn a_catalog_started_without_sources_is_completed_after_the_first_answer() {
        let db = Db::open_seeded_in_memory().unwrap();
        let whole = db.catalog().unwrap();
        let lean = db.catalog_without_sources().unwrap();
        let worker = Worker::spawn(db, lean).unwrap();
        worker.send(request(1, Filter::default())).unwrap();
        let mut replies = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            match worker.try_recv().unwrap() {
                Some(Reply::Catalog(Ok(c))) => {
                    replies.push("catalog");
                    assert!(c.has_sources());
                    assert_eq!(c.sources.len(), whole.sources.len());
                    break;
                }
                Some(Reply::Answer(_)) => replies.push("answer"),
                Some(_) => {}
                None => std::thread::sleep(Duration::from_millis(5)),
            }
        }
        // The first frame's rows never wait for the sources.
        assert_eq!(replies, ["answer", "catalog"]);
    }

    /// A catalog without its sources gets those the rows cite with the rows, whatever the
    /// order they come in.
    #[test]
    fn rows_come_with_their_sources_when_the_catalog_has_none() {
        let mut db = Db::open_seeded_in_memory().unwrap();
        let whole = db.catalog().unwrap();
        let lean = db.catalog_without_sources().unwrap().with_sources_by_row();
        let mut state = State::default();
        let replies = serve(&mut db, &lean, &mut state, vec![query(1)], &never);
        let Reply::Answer(Response {
            outcome: Ok(answer),
            ..
        }) = &replies[0]
        else {
            panic!("not an answer: {:?}", replies[0]);
        };
        let window = &answer.window;
        assert!(!window.rows.is_empty());
        for f in &window.rows {
            for r in &f.event.sources {
                assert_eq!(
                    window.source(&r.source),
                    whole.source(&r.source),
                    "{}",
                    r.source
                );
            }
        }
        // None but those cited.
        let cited: std::collections::BTreeSet<&str> = window
            .rows
            .iter()
            .flat_map(|f| f.event.sources.iter().map(|r| r.source.as_str()))
            .collect();
        assert_eq!(window.sources.len(), cited.len());
        // A catalog with its sources sends none with the rows.
        let replies = serve(
            &mut db,
            &whole,
            &mut State::default(),
            vec![query(2)],
            &never,
        );
        match &replies[0] {
            Reply::Answer(r) => assert!(r.outcome.as_ref().unwrap().window.sources.is_empty()),
            other => panic!("not an answer: {other:?}"),
        }
    }

    #[test]
    fn a_search_first_reads_the_sources_it_may_match() {
        let db = Db::open_seeded_in_memory().unwrap();
        let lean = db.catalog_without_sources().unwrap();
        let worker = Worker::spawn(db, lean).unwrap();
        let filter = Filter {
            search: Some("source:treaty".into()),
            ..Filter::default()
        };
        worker.send(request(1, filter)).unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut seen = Vec::new();
        while Instant::now() < deadline && !seen.contains(&"answer") {
            match worker.try_recv().unwrap() {
                Some(Reply::Catalog(_)) => seen.push("catalog"),
                Some(Reply::Answer(r)) => {
                    assert!(r.outcome.unwrap().count > 0);
                    seen.push("answer");
                }
                Some(_) => {}
                None => std::thread::sleep(Duration::from_millis(5)),
            }
        }
        assert_eq!(seen, ["catalog", "answer"]);
    }

    fn request(generation: u64, filter: Filter) -> Request {
        Request {
            generation,
            filter,
            anchor: Anchor::Top,
            rows: 64,
            wants: Wants::default(),
        }
    }

    fn query(generation: u64) -> Job {
        Job::Query(request(generation, Filter::default()))
    }

    fn answer_of(reply: &Reply) -> (u64, usize) {
        match reply {
            Reply::Answer(r) => (r.generation, r.outcome.as_ref().unwrap().total),
            other => panic!("not an answer: {other:?}"),
        }
    }

    fn never(_: u64) -> bool {
        false
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
    fn the_rows_go_out_before_the_summaries_are_counted() {
        // The first frame waits only for the rows: the answer must leave before the facet
        // pass (which asks whether a newer query came) begins.
        let mut db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let mut state = State::default();
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        let sent = AtomicUsize::new(0);
        let asked_after_rows = AtomicBool::new(false);
        let newer = |_: u64| {
            if sent.load(Ordering::Relaxed) > 0 {
                asked_after_rows.store(true, Ordering::Relaxed);
            }
            false
        };
        let mut replies = Vec::new();
        serve_into(
            &mut db,
            &catalog,
            &mut state,
            vec![query(1)],
            &newer,
            &mut |r| {
                sent.fetch_add(1, Ordering::Relaxed);
                replies.push(r);
            },
        );
        assert!(matches!(replies[0], Reply::Answer(_)));
        assert!(matches!(replies[1], Reply::Summaries { .. }));
        assert!(
            asked_after_rows.load(Ordering::Relaxed),
            "the summaries were counted after the rows went out"
        );
    }

    /// The first answer counts by the tally; the summaries count every row, and say so when
    /// a program outside spacedip left the tally behind.
    #[test]
    fn the_summaries_count_what_the_tally_missed() {
        let mut db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let total = db.count_events().unwrap();
        assert_eq!(db.tallied_count().unwrap(), total);
        db.write_behind_our_back(
            "DELETE FROM event WHERE rowid IN (SELECT rowid FROM event ORDER BY rowid LIMIT 3)",
        )
        .unwrap();
        let mut state = State::default();
        let replies = serve(&mut db, &catalog, &mut state, vec![query(1)], &never);
        assert_eq!(answer_of(&replies[0]), (1, total));
        match &replies[1] {
            Reply::Summaries {
                outcome: Ok(s),
                generation: 1,
            } => assert_eq!((s.count, s.total), (total - 3, total - 3)),
            other => panic!("not the summaries: {other:?}"),
        }
        // Started on a filter, then cleared: the total is corrected all the same.
        let mut state = State::default();
        let ilrs = Filter {
            programmes: vec!["ILRS".into()],
            ..Filter::default()
        };
        let jobs = vec![Job::Query(request(1, ilrs))];
        let replies = serve(&mut db, &catalog, &mut state, jobs, &never);
        assert_eq!(answer_of(&replies[0]), (1, total));
        let replies = serve(&mut db, &catalog, &mut state, vec![query(2)], &never);
        match &replies[1] {
            Reply::Summaries { outcome: Ok(s), .. } => {
                assert_eq!((s.count, s.total), (total - 3, total - 3))
            }
            other => panic!("not the summaries: {other:?}"),
        }
    }

    #[test]
    fn writes_run_in_order_and_the_newest_query_follows_them() {
        let mut db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let total = db.count_events().unwrap();
        let first = unfollowed(&db, &catalog);
        let mut state = State::default();
        let jobs = vec![
            query(1),
            Job::Write(WriteJob::DeleteEvent(first.id.clone())),
            query(2),
            Job::Write(WriteJob::DeleteEvent(first.id.clone())),
            Job::Write(WriteJob::InsertEvent(first.clone())),
        ];
        let replies = serve(&mut db, &catalog, &mut state, jobs, &never);
        assert_eq!(
            replies.len(),
            5,
            "three writes, one answer in two parts: {replies:?}"
        );
        assert!(matches!(outcome_of(&replies[0]), Ok(Written::Batch(_))));
        let second = outcome_of(&replies[1]).as_ref().unwrap_err();
        assert!(second.message.starts_with("no event with id"), "{second:?}");
        assert!(matches!(outcome_of(&replies[2]), Ok(Written::Batch(_))));
        // Only the newest query is answered, after every write.
        assert_eq!(answer_of(&replies[3]), (2, total));
        assert!(matches!(
            &replies[4],
            Reply::Summaries {
                generation: 2,
                outcome: Ok(_)
            }
        ));
        assert_eq!(state.last.as_ref().map(|r| r.generation), Some(2));

        // A write with no query queued is followed by the last query again.
        let jobs = vec![Job::Write(WriteJob::DeleteEvent(first.id.clone()))];
        let replies = serve(&mut db, &catalog, &mut state, jobs, &never);
        assert_eq!(replies.len(), 3);
        assert_eq!(answer_of(&replies[1]), (2, total - 1));
        // Nothing queued, nothing answered.
        assert!(serve(&mut db, &catalog, &mut state, Vec::new(), &never).is_empty());
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

    /// A browser's worker builds its index beside it: the rows come at once, the
    /// summaries once the index is built, and a search after that finds what the command
    /// line finds.
    #[test]
    fn a_newer_query_never_interrupts_a_write() {
        // Each write is followed at once by a newer query, which interrupts any query still
        // running: every write must still be made, in order, and answered.
        let db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let worker = Worker::spawn(db, catalog).unwrap();
        let mut generation = 1;
        worker.submit(query(generation)).unwrap();
        for name in ["a", "b", "c", "d", "e"] {
            let job = WriteJob::SaveView {
                name: name.into(),
                filter: Filter::default(),
                columns: Vec::new(),
            };
            worker.submit(Job::Write(job)).unwrap();
            generation += 1;
            worker.submit(query(generation)).unwrap();
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut saved = 0;
        let mut newest = 0;
        while Instant::now() < deadline && (saved < 5 || newest < generation) {
            match worker.try_recv().unwrap() {
                Some(Reply::Written(w)) => {
                    assert!(w.outcome.is_ok(), "{:?}", w.outcome);
                    saved += 1;
                }
                Some(Reply::Answer(a)) if a.outcome.is_ok() => newest = newest.max(a.generation),
                Some(_) => {}
                None => std::thread::sleep(Duration::from_millis(5)),
            }
        }
        assert_eq!((saved, newest), (5, generation));
    }

    #[test]
    fn the_thread_builds_its_index_beside_and_hands_over_the_summaries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.db");
        let db = Db::open(&path).unwrap();
        let catalog = db.catalog().unwrap();
        let expected = db
            .search(
                &Filter {
                    search: Some("pakistan".into()),
                    ..Filter::default()
                },
                &catalog,
            )
            .unwrap()
            .len();
        let worker = Worker::spawn(db, catalog).unwrap();
        worker.send(request(1, Filter::default())).unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        let (mut rows, mut summaries) = (false, false);
        while Instant::now() < deadline && !(rows && summaries) {
            match worker.try_recv().unwrap() {
                Some(Reply::Answer(a)) => rows |= a.outcome.is_ok(),
                Some(Reply::Summaries { outcome, .. }) => {
                    assert!(!outcome.unwrap().facets.programmes.is_empty());
                    summaries = true;
                }
                _ => std::thread::sleep(Duration::from_millis(5)),
            }
        }
        assert!(rows && summaries, "rows {rows}, summaries {summaries}");
        let filter = Filter {
            search: Some("pakistan".into()),
            ..Filter::default()
        };
        worker.send(request(2, filter)).unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            assert!(Instant::now() < deadline, "no answer to the search");
            if let Some(Reply::Answer(a)) = worker.try_recv().unwrap() {
                assert_eq!(a.outcome.unwrap().count, expected);
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}
