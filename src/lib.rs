//! spacedip: a terminal browser and SQLite database of international space-cooperation events.
//!
//! Crate map (see ARCHITECTURE.md):
//! - [`domain`]: the records, vocabularies, partial dates and the one [`domain::Filter`].
//! - [`import`]: reading and validating CSV tables into records (no database).
//! - [`seed`]: the embedded curated dataset, read through `import`.
//! - [`db`]: the only module that touches SQLite: open, migrate, load, query.
//! - [`search`]: folded, typo-tolerant fuzzy search with field scopes.
//! - [`metrics`]: comparative measures over plain events.
//! - [`export`]: formats written to any `impl Write`.
//! - [`outfile`]: atomic file output (temporary file, fsync, rename; no clobbering).
//! - [`cli`]: the headless command line.
//! - [`text`]: terminal-safe text (inert control characters, display widths).
//! - [`progress`]: the progress hook long imports and exports report to.
//! - [`tui`]: the terminal browser (ratatui), over the same `Filter` and query path.

// No unwrap() outside tests: a failure is an error message, never a panic.
#![deny(clippy::unwrap_used)]
// The library is safe Rust throughout; the binary's one allocator setting is in main.rs.
#![forbid(unsafe_code)]

pub mod cli;
pub mod db;
pub mod domain;
pub mod error;
pub mod export;
pub mod import;
pub mod interchange;
pub mod location;
pub mod metrics;
pub mod outfile;
pub mod progress;
pub mod search;
pub mod seed;
pub mod text;
pub mod tui;

pub use error::{DatabaseKind, Error, Result, ViewError};
