//! Import speed: generates N events (default 100,000; `cargo bench --bench import -- N`) that
//! reference the seed's programmes, actors and sources, then times reading, validating and
//! writing them in one transaction into a fresh on-disk database, a dry-run re-import (every
//! record compared, all unchanged) and a CSV export. Prints figures; asserts nothing timed.

use std::time::Instant;

#[path = "common/mod.rs"]
mod common;

use spacedip::db::{Db, ImportOptions};
use spacedip::domain::Filter;
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
    let t = Instant::now();
    let events = common::events(&catalog, n);
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
