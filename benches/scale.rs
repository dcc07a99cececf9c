//! The paths that must stay fast at scale, on N generated events (default 100,000;
//! `cargo bench --bench scale -- N`) in an on-disk database: the browser's first answer and a
//! window far down, search keystroke by keystroke through the worker (with its corpus and
//! facet index), facet counts, the programme summaries `stats` computes, and a CSV export.
//! Prints the median and the slowest of several rounds; asserts nothing timed (the
//! side-by-side ratios against sqlite3 and fzf are `bench/compare.sh`).

use std::time::{Duration, Instant};

use spacedip::db::{Db, ImportOptions};
use spacedip::domain::Filter;
use spacedip::import::Bundle;
use spacedip::progress::Silent;
use spacedip::tui::worker::{self, Anchor, Job, Reply, State};

#[path = "common/mod.rs"]
mod common;

fn main() -> spacedip::Result<()> {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().map_err(spacedip::Error::Write)?;
    let mut db = Db::open(&dir.path().join("scale.db"))?;
    let catalog = db.catalog()?;
    let mut csv = Vec::new();
    spacedip::export::csv::write_events(&common::events(&catalog, n), true, &mut csv)?;
    let mut bundle = Bundle::default();
    let mut problems = Vec::new();
    bundle.read_file("scale.csv", &csv, &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    let t = Instant::now();
    db.import(bundle, Vec::new(), ImportOptions::default(), &Silent)?;
    println!("import of {n} events: {:.2?}", t.elapsed());
    let catalog = db.catalog()?;
    let never = |_: u64| false;

    let mut generation = 0;
    let mut request = |search: &str, anchor: Anchor| {
        generation += 1;
        common::request(generation, search, anchor)
    };

    // A fresh worker per round: the first answer of a browser that just started.
    let first: Vec<Duration> = (0..5)
        .map(|_| {
            let mut state = State::default();
            let r = request("", Anchor::Top);
            let t = Instant::now();
            let _ = worker::respond(&db, &catalog, &mut state, r);
            t.elapsed()
        })
        .collect();
    report("first answer (rows of a new browser)", first);

    let mut state = State::default();
    let t = Instant::now();
    let replies = worker::serve(
        &mut db,
        &catalog,
        &mut state,
        vec![Job::Query(request("", Anchor::Top))],
        &never,
    );
    println!(
        "first answer and summaries (builds corpus and facet index): {:.2?}",
        t.elapsed()
    );
    let answered = replies.iter().find_map(|r| match r {
        Reply::Answer(a) => Some(a.generation),
        _ => None,
    });
    let windows: Vec<Duration> = (0..20)
        .map(|i| {
            let job = Job::Rows {
                generation: answered.unwrap_or(0),
                start: n * i / 20,
                len: 120,
            };
            let t = Instant::now();
            let _ = worker::serve(&mut db, &catalog, &mut state, vec![job], &never);
            t.elapsed()
        })
        .collect();
    report("window of 120 rows anywhere", windows);

    for round in 0..2 {
        let mut typed = String::new();
        let mut keys = Vec::new();
        for c in "lunar st".chars() {
            typed.push(c);
            let job = Job::Query(request(&typed, Anchor::Keep(None)));
            let t = Instant::now();
            let _ = worker::serve(&mut db, &catalog, &mut state, vec![job], &never);
            keys.push(t.elapsed());
        }
        report(
            &format!(
                "search keystroke, rows and facets (\"lunar st\", round {})",
                round + 1
            ),
            keys,
        );
    }

    let (_, index) = db.browse_index(&catalog, false)?;
    let facets: Vec<Duration> = (0..10)
        .map(|_| {
            let t = Instant::now();
            let _ = index.count(&Filter::default(), &catalog, None, &|| false);
            t.elapsed()
        })
        .collect();
    report("facet counts over every event (in memory)", facets);

    let t = Instant::now();
    let events = db.events(&Filter::default(), &catalog)?;
    let read = t.elapsed();
    let programmes: Vec<String> = catalog.programmes.iter().map(|p| p.id.clone()).collect();
    let t = Instant::now();
    let _ = spacedip::metrics::summary::summaries(&events, &catalog, &programmes);
    println!(
        "stats: read every event {read:.2?}, summaries {:.2?}",
        t.elapsed()
    );

    let t = Instant::now();
    let mut out = std::io::sink();
    spacedip::export::csv::write_events(&events, true, &mut out)?;
    println!(
        "CSV export of {} events (written to a sink): {:.2?} after the read",
        events.len(),
        t.elapsed()
    );
    Ok(())
}

/// Prints the median and the slowest of `times`.
fn report(what: &str, mut times: Vec<Duration>) {
    times.sort();
    let median = times[times.len() / 2];
    let max = times[times.len() - 1];
    println!(
        "{what}: median {median:.2?}, slowest {max:.2?} ({} rounds)",
        times.len()
    );
}
