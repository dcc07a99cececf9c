//! Criterion benchmarks of the paths that must stay fast as a corpus grows, on one on-disk
//! database of N generated events (default 20,000; `SPACEDIP_BENCH_EVENTS=N cargo bench
//! --bench paths`): import, the browser's first window and a window far down, a search
//! keystroke through the worker, the CLI's search, facet counts, `stats` from the running
//! tally and over the events, and a streamed CSV export. Criterion keeps the history of each
//! figure under `target/criterion` and says when one moved. Nothing here asserts a time: the
//! side-by-side ratios against sqlite3 and fzf at a million events are `bench/compare.sh`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

use common::request;
use spacedip::db::{Db, ImportOptions};
use spacedip::domain::{Catalog, Filter};
use spacedip::import::Bundle;
use spacedip::metrics::{summaries, summaries_of_tallies, Rules};
use spacedip::progress::Silent;
use spacedip::tui::worker::{self, Anchor, Job, State};

#[path = "common/mod.rs"]
mod common;

/// The generated corpus as the interchange CSV, and the database it was imported into.
struct Corpus {
    _dir: tempfile::TempDir,
    csv: Vec<u8>,
    db: Db,
    catalog: Catalog,
    n: usize,
}

fn corpus() -> Corpus {
    let n: usize = std::env::var("SPACEDIP_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut db = Db::open(&dir.path().join("paths.db")).expect("a new database");
    let catalog = db.catalog().expect("the seed's catalog");
    let mut csv = Vec::new();
    spacedip::export::csv::write_events(&common::events(&catalog, n), true, &mut csv)
        .expect("generated events");
    db.import(bundle(&csv), Vec::new(), ImportOptions::default(), &Silent)
        .expect("the generated events import");
    let catalog = db.catalog().expect("the catalog");
    Corpus {
        _dir: dir,
        csv,
        db,
        catalog,
        n,
    }
}

fn bundle(csv: &[u8]) -> Bundle {
    let mut bundle = Bundle::default();
    let mut problems = Vec::new();
    bundle.read_file("bench.csv", csv, &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    bundle
}

fn paths(c: &mut Criterion) {
    let mut corpus = corpus();
    let n = corpus.n;
    let never = |_: u64| false;

    let mut group = c.benchmark_group(format!("{n} events"));
    group.sample_size(10);
    group.bench_function("import (one transaction, with history and tally)", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let db = Db::open(&dir.path().join("import.db")).expect("a new database");
                (dir, db, bundle(&corpus.csv))
            },
            |(dir, mut db, bundle)| {
                db.import(bundle, Vec::new(), ImportOptions::default(), &Silent)
                    .expect("the import");
                (dir, db)
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("stats over the events", |b| {
        let (db, catalog) = (&corpus.db, &corpus.catalog);
        b.iter(|| {
            let events = db
                .coded_events(&Filter::default(), catalog)
                .expect("events");
            black_box(summaries(&events, catalog, &[]))
        })
    });
    group.bench_function("CSV export, streamed", |b| {
        let (db, catalog) = (&corpus.db, &corpus.catalog);
        b.iter(|| {
            let mut events = db
                .stream_events(&Filter::default(), catalog)
                .expect("a stream");
            spacedip::export::csv::write_event_stream(
                &mut events,
                true,
                &Silent,
                &mut std::io::sink(),
            )
            .expect("the export")
        })
    });
    group.bench_function("CLI search 'lunar st' (whole events of the hits)", |b| {
        let (db, catalog) = (&corpus.db, &corpus.catalog);
        let filter = Filter {
            search: Some("lunar st".into()),
            ..Filter::default()
        };
        b.iter(|| black_box(db.search(&filter, catalog).expect("the search")))
    });
    group.sample_size(30);
    group.bench_function("stats from the running tally", |b| {
        let (db, catalog) = (&corpus.db, &corpus.catalog);
        b.iter(|| {
            // As `stats` reads it: every programme's channels at once, then each one's ties.
            let mut channels = db.channel_tallies(&[]).expect("the years");
            let t = channels
                .values()
                .filter_map(|c| c.reference_year(&[]))
                .max();
            black_box(
                summaries_of_tallies(
                    catalog,
                    &[],
                    t,
                    |p| {
                        let ties = db.stored_ties(&p.id, Rules::DEFAULT.required())?;
                        let own = channels.remove(&p.id).unwrap_or_default();
                        Ok::<_, spacedip::error::Error>((ties, own))
                    },
                    |(ties, own)| ties.numbered(own),
                )
                .expect("the tally"),
            )
        })
    });
    group.bench_function("first window of a new browser", |b| {
        let (db, catalog) = (&corpus.db, &corpus.catalog);
        b.iter(|| {
            let mut state = State::default();
            black_box(worker::respond(
                db,
                catalog,
                &mut state,
                request(1, "", Anchor::Top),
            ))
        })
    });

    // One browser, its corpus and facet index built, as after the first frame.
    let mut state = State::default();
    let catalog = corpus.catalog.clone();
    worker::serve(
        &mut corpus.db,
        &catalog,
        &mut state,
        vec![Job::Query(request(1, "", Anchor::Top))],
        &never,
    );
    let mut far = 0;
    group.bench_function("window of 120 rows far down", |b| {
        b.iter(|| {
            far = (far + n / 7) % n.max(1);
            let job = Job::Rows {
                generation: 1,
                start: far,
                len: 120,
            };
            black_box(worker::serve(
                &mut corpus.db,
                &catalog,
                &mut state,
                vec![job],
                &never,
            ))
        })
    });
    let mut generation = 1;
    group.bench_function(
        "search keystroke 'lunar s' → 'lunar st', rows and facets",
        |b| {
            b.iter(|| {
                let mut replies = Vec::new();
                for typed in ["lunar s", "lunar st"] {
                    generation += 1;
                    let job = Job::Query(request(generation, typed, Anchor::Keep(None)));
                    replies.extend(worker::serve(
                        &mut corpus.db,
                        &catalog,
                        &mut state,
                        vec![job],
                        &never,
                    ));
                }
                black_box(replies)
            })
        },
    );
    let (_, index) = corpus
        .db
        .browse_index(&catalog, false)
        .expect("the facet index");
    group.bench_function("facet counts over every event", |b| {
        b.iter(|| black_box(index.count(&Filter::default(), &catalog, None, &|| false)))
    });
    group.finish();
}

criterion_group!(benches, paths);
criterion_main!(benches);
