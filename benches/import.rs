//! Import speed: generates N events (default 100,000; `cargo bench --bench import -- N`) that
//! reference the seed's programmes, actors and sources, then times reading, validating and
//! writing them in one transaction into a fresh on-disk database, a dry-run re-import (every
//! record compared, all unchanged) and a CSV export. Prints figures; asserts nothing timed.

use std::time::Instant;

use spacedip::db::{Db, ImportOptions};
use spacedip::domain::{Channel, Event, Filter, Kind, PartialDate, Party, Role, SourceRef};
use spacedip::import::Bundle;
use spacedip::progress::Silent;

fn main() -> spacedip::Result<()> {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().map_err(spacedip::Error::Write)?;
    let path = dir.path().join("bench.db");
    let mut db = Db::open(&path)?;
    let catalog = db.catalog()?;
    let programmes: Vec<&str> = catalog.programmes.iter().map(|p| p.id.as_str()).collect();
    let actors: Vec<&str> = catalog.actors.iter().map(|a| a.id.as_str()).collect();
    let sources: Vec<&str> = catalog.sources.iter().map(|s| s.id.as_str()).collect();

    let t = Instant::now();
    let events: Vec<Event> = (0..n)
        .map(|i| Event {
            id: format!("BENCH-{i:06}"),
            date: PartialDate::day(
                1990 + (i % 35) as i32,
                1 + (i % 12) as u32,
                1 + (i % 28) as u32,
            )
            .unwrap_or(PartialDate::year(2000)),
            end_date: None,
            programme: programmes[i % programmes.len()].to_string(),
            kind: Kind::ALL[i % Kind::ALL.len()],
            channel: Channel::ALL[i % Channel::ALL.len()],
            valence: Default::default(),
            venue: None,
            follows: None,
            title: format!("Generated event {i}, with \"quotes\" and a comma"),
            summary: format!("Line one of {i}\nline two; with a semicolon and 中文"),
            notes: String::new(),
            parties: (0..3)
                .map(|k| Party {
                    actor: actors[(i * 7 + k * 13) % actors.len()].to_string(),
                    role: Role::ALL[k % Role::ALL.len()],
                    certainty: Default::default(),
                })
                .collect::<Vec<_>>()
                .into_iter()
                .fold(Vec::new(), |mut v: Vec<Party>, p| {
                    if !v.iter().any(|q| q.actor == p.actor) {
                        v.push(p);
                    }
                    v
                }),
            institutions: Vec::new(),
            sources: vec![SourceRef {
                source: sources[i % sources.len()].to_string(),
                locator: Some(format!("p. {}", i % 300)),
            }],
        })
        .collect();
    let mut csv = Vec::new();
    spacedip::export::csv::write_events(&events, true, &mut csv)?;
    println!(
        "generated {n} events: {:.2} MB of CSV in {:.2?}",
        csv.len() as f64 / 1e6,
        t.elapsed()
    );

    let t = Instant::now();
    let mut bundle = Bundle::default();
    let mut problems = Vec::new();
    bundle.read_file("bench.csv", &csv, &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    let read = t.elapsed();
    println!("read and parse:                {read:.2?}");

    let t = Instant::now();
    let report = db.import(
        bundle.clone(),
        Vec::new(),
        ImportOptions::default(),
        &Silent,
    )?;
    let write = t.elapsed();
    assert_eq!(report.entries.len(), n);
    println!(
        "validate and write (1 transaction, with history): {write:.2?} ({:.0} events/s including reading)",
        n as f64 / (read + write).as_secs_f64()
    );

    let t = Instant::now();
    let dry = ImportOptions {
        dry_run: true,
        ..ImportOptions::default()
    };
    let report = db.import(bundle, Vec::new(), dry, &Silent)?;
    println!(
        "dry-run re-import (all {} unchanged): {:.2?}",
        report.entries.len(),
        t.elapsed()
    );

    let t = Instant::now();
    let catalog = db.catalog()?;
    let all = db.events(&Filter::default(), &catalog)?;
    let mut out = Vec::new();
    spacedip::export::csv::write_events(&all, true, &mut out)?;
    println!(
        "query and export {} events as CSV: {:.2?}",
        all.len(),
        t.elapsed()
    );
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "database: {:.1} MB, {} history rows",
        size as f64 / 1e6,
        db.count_history()?
    );
    Ok(())
}
