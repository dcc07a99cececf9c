//! The integration tests, in one binary: each file of `tests/` used to be a test binary of its
//! own, each linking the whole library; one binary links it once. Each module says what it
//! checks; the fixtures stay in `tests/fixtures/`, the golden files of `export` sit in
//! `tests/it/snapshots/`.

mod common;

mod case_table;
mod cli;
mod cli_stats;
mod db;
mod export;
mod export_cli;
mod findings;
mod fuzz;
// Symbolic links, permission bits, device files and signals: Unix only.
#[cfg(unix)]
mod hardening;
mod history;
mod import_cli;
mod import_props;
mod layers;
mod package;
mod readme;
mod seed;
mod tally;
mod tui;
mod xlsx;
