//! The headless CLI: parses flags into the shared `Filter`, opens the database and prints.

mod args;
mod claims;
mod command;
mod export;
mod history;
mod import;
mod institutions;
mod output;
mod package;
mod progress;
mod select;
mod stats;
mod tallied;
mod views;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use args::{OutputFormat, ShowFormat};
pub use command::{Cli, Command};

use crate::db::Db;
use crate::error::{Error, Result};
use crate::export::{csv, Format, Options};
use crate::metrics;

/// The database path the user asked for, or the default.
pub fn db_path(cli: &Cli) -> Result<PathBuf> {
    match &cli.db {
        Some(p) if p.as_os_str().is_empty() => Err(Error::Usage("--db: empty path".into())),
        Some(p) => Ok(p.clone()),
        None => crate::location::default_db_path(),
    }
}

/// Runs a subcommand, writing results to `out`.
pub fn run(cli: &Cli, command: &Command, out: &mut dyn Write) -> Result<()> {
    let path = db_path(cli)?;
    WIDE.store(cli.wide, std::sync::atomic::Ordering::Relaxed);
    // A first run makes the database: say so once, and where (`init` says it itself).
    let fresh =
        !matches!(command, Command::Init { .. }) && std::fs::symlink_metadata(&path).is_err();
    let result = run_command(&path, command, out);
    if fresh && result.is_ok() && path.exists() {
        eprintln!("{}", first_run_note(&path));
    }
    result
}

/// The one line a first run prints about the database it created.
pub fn first_run_note(path: &std::path::Path) -> String {
    format!(
        "spacedip: created {} and loaded the embedded seed (first run; --db PATH works on another file)",
        crate::text::inert(&path.display().to_string())
    )
}

/// `spacedip list`'s output: a table fitted to the terminal (which keeps the cells of its
/// columns), or the interchange CSV or JSON (written event by event, as `export` writes
/// them), from a stream of the selection, so that listing a million events never holds them
/// all.
fn list(
    sel: &select::Selected,
    format: OutputFormat,
    columns: &[crate::domain::Column],
    out: &mut dyn Write,
) -> Result<()> {
    let mut events = sel.db.stream_events(&sel.filter, &sel.catalog)?;
    if events.is_empty() {
        no_match_hint();
    }
    let format = match format {
        OutputFormat::Table => {
            return output::write_events(out, events, columns, terminal_width());
        }
        OutputFormat::Json => Format::Json,
        OutputFormat::Csv => Format::Csv,
    };
    let options = Options::new(chrono::Utc::now());
    let n = events.len();
    let silent = &crate::progress::Silent;
    crate::export::write_stream(format, &mut events, n, &sel.catalog, &options, silent, out)
}

/// On a terminal, an empty listing says how to widen it.
fn no_match_hint() {
    if std::io::stdout().is_terminal() {
        eprintln!("spacedip: 0 events match (x clears filters in the browser; `spacedip list` with no flags lists all)");
    }
}

fn run_command(path: &std::path::Path, command: &Command, out: &mut dyn Write) -> Result<()> {
    let path = path.to_path_buf();
    match command {
        Command::Init { force } => init(&path, *force, out),
        Command::Export(args) => export::run(&path, args, out),
        Command::List {
            filter,
            format,
            save_view,
            columns,
        } => {
            if columns.is_some() && *format != OutputFormat::Table {
                return Err(Error::Usage(
                    "--columns shapes the table: CSV and JSON keep every field".into(),
                ));
            }
            // Only JSON writes a source's record; the table and CSV write its id.
            let mut sel = match format {
                OutputFormat::Json => select::Selected::open(&path, filter)?,
                _ => select::Selected::open_without_sources(&path, filter)?,
            };
            let columns = match columns {
                Some(c) => c.0.clone(),
                None => views::columns(&sel.db, filter)?,
            };
            if let Some(name) = save_view {
                views::save(&mut sel.db, name, &sel.filter, &columns)?;
            }
            list(&sel, *format, &columns, out)
        }
        Command::Show { id, format } => {
            let db = Db::open(&path)?;
            let catalog = db.catalog()?;
            let id = db.resolve_event_id(id)?;
            let event = db.event(&id)?.ok_or_else(|| Error::NotFound {
                what: "event",
                id: id.clone(),
            })?;
            match format {
                ShowFormat::Text => {
                    let followers = db.followers(&event.id)?;
                    output::write_event(out, &event, &catalog, &followers)
                }
                ShowFormat::Json => {
                    let record = crate::export::json::EventRecord::new(&event, &catalog);
                    crate::export::json_out::pretty(&mut *out, &record)?;
                    Ok(())
                }
            }
        }
        Command::Programmes { filter, format } => {
            let sel = select::Selected::open_without_sources(&path, filter)?;
            let counts = match tallied::programmes(&sel)? {
                Some(counts) => counts,
                None => metrics::channel_counts(&sel.coded_events()?, &sel.catalog),
            };
            match format {
                OutputFormat::Table => output::write_counts(out, &counts, terminal_width()),
                OutputFormat::Json => {
                    crate::export::json_out::pretty(&mut *out, &counts)?;
                    Ok(())
                }
                OutputFormat::Csv => csv::write_rows(
                    out,
                    &output::COUNT_COLUMNS,
                    counts.iter().map(output::count_row),
                    true,
                ),
            }
        }
        Command::Import(args) => import::run(&path, args, out),
        Command::History(args) => history::history(&path, args, out),
        Command::Restore(args) => history::restore(&path, args, out),
        Command::Delete { id } => history::delete(&path, id, out),
        Command::Undo(args) => history::undo(&path, args, out),
        Command::Views(args) => views::views(&path, args, out),
        Command::Stats(args) => stats::run_stats(&path, args, out),
        Command::Compare(args) => stats::run_compare(&path, args, out),
        Command::Institutions(args) => institutions::run(&path, args, out),
        Command::Package(args) => package::run(&path, args, out),
        Command::Check { format, recount } => check(&path, *format, *recount, out),
        Command::Actors { format } => {
            let db = Db::open(&path)?;
            let catalog = db.catalog()?;
            match format {
                OutputFormat::Json => {
                    crate::export::json_out::pretty(&mut *out, &catalog.actors)?;
                    Ok(())
                }
                OutputFormat::Csv => {
                    let rows: Vec<[String; 6]> = catalog
                        .actors
                        .iter()
                        .map(|a| {
                            [
                                a.id.clone(),
                                a.name.clone(),
                                a.kind.to_string(),
                                a.iso3.clone().unwrap_or_default(),
                                a.country.clone().unwrap_or_default(),
                                a.aliases.join(";"),
                            ]
                        })
                        .collect();
                    csv::write_rows(out, crate::import::ACTOR_COLUMNS, rows, true)
                }
                OutputFormat::Table => {
                    let rows: Vec<Vec<String>> = catalog
                        .actors
                        .iter()
                        .map(|a| {
                            vec![
                                a.id.clone(),
                                a.kind.to_string(),
                                a.country.clone().unwrap_or_default(),
                                a.name.clone(),
                                a.aliases.join("; "),
                            ]
                        })
                        .collect();
                    output::write_table(
                        out,
                        &["ID", "KIND", "COUNTRY", "NAME", "ALIASES"],
                        &rows,
                        4,
                        terminal_width(),
                    )
                }
            }
        }
    }
}

fn init(path: &Path, force: bool, out: &mut dyn Write) -> Result<()> {
    let (db, backup) = Db::init(path, force)?;
    let n = db.count_events()?;
    if let Some(backup) = backup {
        writeln!(out, "kept the previous database as {}", backup.display())?;
    }
    writeln!(
        out,
        "created {} with {n} events from the embedded seed",
        path.display()
    )?;
    Ok(())
}

/// The terminal's width when stdout is one, so tables fit; `None` when piped.
/// Set by `--wide`: tables ignore the terminal's width.
static WIDE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The width tables fit: the terminal's, unless `--wide` or stdout is not a terminal.
pub(crate) fn terminal_width() -> Option<usize> {
    if WIDE.load(std::sync::atomic::Ordering::Relaxed) {
        return None;
    }
    if std::io::stdout().is_terminal() {
        // A terminal that reports no size (0×0, as some pseudo-terminals do) is no limit.
        crossterm::terminal::size()
            .ok()
            .map(|(w, _)| w as usize)
            .filter(|w| *w > 0)
    } else {
        None
    }
}

/// Runs `check`: every finding on stdout, and a refusal (exit 1) when there is any.
fn check(
    path: &std::path::Path,
    format: args::ShowFormat,
    recount: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let mut db = Db::open(path)?;
    let mut findings = db.check()?;
    if recount {
        // Only a sound database is counted again: any other finding is mended first.
        if findings
            .iter()
            .all(|f| f.table == "tally" || f.table == "search_token")
        {
            db.retally()?;
            db.rebuild_search_index()?;
            eprintln!(
                "counted the tally and built the search index again from {} events",
                db.count_events()?
            );
            findings = db.check()?;
        } else {
            eprintln!("the tally was not counted again: mend the problems below first");
        }
    }
    match format {
        args::ShowFormat::Json => crate::export::json_out::pretty(&mut *out, &findings)?,
        args::ShowFormat::Text if findings.is_empty() => writeln!(
            out,
            "{}: no problems (integrity, foreign keys, vocabularies, dates, follows links, \
             membership bounds, sources, tally, search index)",
            crate::text::inert(&path.display().to_string())
        )?,
        args::ShowFormat::Text => {
            for f in &findings {
                writeln!(out, "{}", crate::text::inert(&f.to_string()))?;
            }
        }
    }
    if findings.is_empty() {
        Ok(())
    } else {
        out.flush()?;
        Err(Error::Refused(format!(
            "{} problem(s) found",
            findings.len()
        )))
    }
}

/// Ends a headless command cleanly on SIGINT, SIGTERM or SIGHUP: the temporary file of an
/// export being written is removed, and an import's open transaction is interrupted and rolled
/// back (one caught in its commit lands whole) before the process ends, so an interruption
/// leaves the database and the target as they were, with no journal left to replay. Exits
/// with 128 + the signal's number, as shells expect.
#[cfg(unix)]
pub fn clean_up_on_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            crate::outfile::remove_pending();
            crate::db::stop_import(std::time::Duration::from_secs(30));
            // Die by the signal, as the shell expects (a loop of imports stops on Ctrl-C).
            let _ = signal_hook::low_level::emulate_default_handler(signal);
            std::process::exit(128 + signal);
        }
    });
}

/// Elsewhere the default handlers apply.
#[cfg(not(unix))]
pub fn clean_up_on_signals() {}
