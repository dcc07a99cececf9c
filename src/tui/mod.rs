//! The terminal browser: key → [`Action`] (the pure [`input::map_key`]) → [`App::update`] →
//! [`views::render`]. Queries run in a [`worker::Worker`] thread that owns the database, so
//! that searching never blocks drawing; views read the app's state, never the database.
//! Export files are written by an [`export_job::Exporter`] thread, for the same reason.

pub mod action;
pub(crate) mod app;
pub(crate) mod cards;
pub mod compare;
pub(crate) mod export_job;
pub(crate) mod facet;
pub(crate) mod input;
pub mod layout;
pub(crate) mod terminal;
pub(crate) mod text_input;
pub mod views;
pub mod worker;

#[cfg(test)]
mod tests;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{self, Event};

pub use action::Action;
pub use app::App;

use crate::db::Db;
use crate::domain::Catalog;
use crate::error::{Error, Result};

/// How long to wait for input until the first rows arrive, when an answer to a query or a
/// write is awaited, when the sources or an export are, and when nothing is. An answer is
/// drawn when the wait ends (the worker cannot wake the terminal's poll). The first rows are
/// drawn within two milliseconds of their arrival; after that, waking this often while the
/// worker's threads search on every core made keystrokes slower to echo (a thread that wakes
/// less is scheduled sooner when a key comes).
const FIRST_ROWS_POLL: Duration = Duration::from_millis(2);
const BUSY_POLL: Duration = Duration::from_millis(10);
const IDLE_POLL: Duration = Duration::from_millis(250);
/// At most this many terminal events are taken between two frames, so that a flood of
/// them (a key held down over a slow link) still shows progress.
const EVENTS_PER_FRAME: usize = 1024;
/// The page cache of the browser's connection, in MiB.
const BROWSER_CACHE_MIB: i64 = 16;

/// Opens the browser on the database at `db_path` (created and seeded if missing), on the
/// saved view `view` if given, and runs it until the user quits. The terminal is restored on
/// every way out; the last text copied is printed afterwards, for terminals that ignore
/// OSC 52.
pub fn run(db_path: &Path, view: Option<&str>) -> Result<()> {
    // A terminal that cannot move the cursor or draw (TERM=dumb, an editor's shell buffer)
    // would be filled with escape sequences: point to the CLI instead.
    let term = std::env::var("TERM").unwrap_or_default();
    if term.is_empty() || term == "dumb" {
        return Err(Error::Usage(format!(
            "the terminal browser needs a terminal that can draw, and TERM is {}; use `spacedip \
             list`, `stats` or `compare` (same filters), or set TERM (e.g. xterm-256color)",
            if term.is_empty() {
                "unset".to_string()
            } else {
                format!("'{term}'")
            }
        )));
    }
    if !std::io::stdout().is_terminal() {
        return Err(Error::Usage(
            "the terminal browser needs a terminal, and stdout is not one; use `spacedip list` (or another subcommand) for plain output".into(),
        ));
    }
    let db = Db::open(db_path)?;
    // The browser reads windows and index ranges, not whole tables: a smaller page cache
    // than a command's keeps it lean for as long as it runs.
    db.cache_only(BROWSER_CACHE_MIB)?;
    // Without the sources: a corpus coded from news wires can cite one per event, and the
    // first frame needs none. The worker reads them after its first answer.
    let catalog = std::sync::Arc::new(db.catalog_without_sources()?);
    let start = view
        .map(|name| saved_view(&db, name, &catalog))
        .transpose()?;
    let worker = worker::Worker::spawn(db, std::sync::Arc::clone(&catalog))?;
    let mut app = App::new(catalog, views::theme::Theme::from_env());
    app.program = crate::location::program_for(db_path);
    app.database = Some(db_path.to_path_buf());
    app.export = app::export_dialog::ExportState::for_process();
    // Terminals without hyperlinks ignore the sequence; SPACEDIP_NO_LINKS is for those that
    // show it anyway.
    app.links = std::env::var_os("SPACEDIP_NO_LINKS").is_none_or(|v| v.is_empty());
    if let Some(v) = start {
        app.open_on_view(v);
    }
    let stop = stop_on_signals()?;
    let outcome = {
        let mut guard = terminal::Guard::enter().map_err(Error::Terminal)?;
        event_loop(&mut guard, &mut app, &worker, &stop)
    };
    if let Some(text) = &app.last_copied {
        let mut out = std::io::stdout();
        writeln!(out, "Last copied (also sent to the clipboard):\n{text}")?;
    }
    outcome
}

/// The saved view `name`, its filter checked against the catalog, or a usage error naming
/// the views there are.
fn saved_view(db: &Db, name: &str, catalog: &Catalog) -> Result<crate::db::SavedView> {
    let mut v = db.saved_view(name)?;
    v.filter = v.filter.checked(catalog)?;
    Ok(v)
}

/// A flag raised by SIGTERM, SIGHUP, SIGINT or SIGQUIT, so that a killed or hung-up browser
/// still leaves through the same door as `q`: the terminal restored, writes finished, the
/// database closed (and its write-ahead log folded in).
fn stop_on_signals() -> Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    for signal in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGQUIT,
    ] {
        signal_hook::flag::register(signal, Arc::clone(&stop)).map_err(Error::Terminal)?;
    }
    Ok(stop)
}

/// The actions a terminal event asks for in `mode`.
fn actions_of(event: Event, mode: input::Mode) -> Vec<Action> {
    match event {
        Event::Key(key) => input::map_key(mode, key).into_iter().collect(),
        Event::Mouse(m) => input::map_mouse(m).into_iter().collect(),
        Event::Resize(w, h) => vec![Action::Resize(w, h)],
        Event::Paste(text) => input::map_paste(mode, &text),
        Event::FocusGained | Event::FocusLost => Vec::new(),
    }
}

fn event_loop(
    guard: &mut terminal::Guard,
    app: &mut App,
    worker: &worker::Worker,
    stop: &AtomicBool,
) -> Result<()> {
    let term = &mut guard.terminal;
    let size = term.size().map_err(Error::Terminal)?;
    app.update(Action::Resize(size.width, size.height));
    let mut dirty = true;
    let mut exporter = export_job::Exporter::default();
    loop {
        for job in app.take_writes() {
            worker.submit(worker::Job::Write(job))?;
        }
        if let Some(request) = app.take_request() {
            worker.send(request)?;
        }
        for job in app.take_moves() {
            worker.submit(job)?;
        }
        if let Some(job) = app.take_export_job() {
            exporter.start(job)?;
        }
        if dirty {
            let mut drawn = layout::Drawn::default();
            term.draw(|frame| drawn = views::render(frame, app))
                .map_err(Error::Terminal)?;
            app.drawn(drawn);
            dirty = false;
        }
        if let Some(text) = app.take_clipboard() {
            terminal::write_clipboard(term.backend_mut(), &text).map_err(Error::Terminal)?;
        }
        if app.should_quit() || stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        if app.take_suspend() {
            terminal::suspend(term).map_err(Error::Terminal)?;
            dirty = true;
            continue;
        }
        // A closed terminal (a killed tmux pane, a dropped SSH session) does not always bring
        // a SIGHUP: leave when stdout stops being a terminal.
        if !std::io::stdout().is_terminal() {
            return Ok(());
        }
        // Short waits too until the sources arrive, so that they are taken in at once.
        let wait = if !app.loaded {
            FIRST_ROWS_POLL
        } else if app.is_loading() || app.sources_pending() || exporter.busy() {
            BUSY_POLL
        } else {
            IDLE_POLL
        };
        if event::poll(wait).map_err(Error::Terminal)? {
            // What the worker sent while the loop waited comes first: a key pressed just after
            // the first frame acts on the catalog the worker has completed meanwhile.
            while let Some(reply) = worker.try_recv()? {
                app.receive(reply);
                dirty = true;
            }
            // Every event already waiting is taken before the next frame and request: keys
            // typed faster than a frame is drawn (a paste into a terminal without bracketed
            // paste is thousands) make one search and one frame, not one each.
            let mut taken = 0;
            loop {
                let mut suspend = false;
                for action in actions_of(event::read().map_err(Error::Terminal)?, app.mode()) {
                    suspend |= action == Action::Suspend;
                    app.update(action);
                    dirty = true;
                }
                taken += 1;
                if taken == EVENTS_PER_FRAME
                    || suspend
                    || app.should_quit()
                    || !event::poll(Duration::ZERO).map_err(Error::Terminal)?
                {
                    break;
                }
            }
        }
        while let Some(reply) = worker.try_recv()? {
            app.receive(reply);
            dirty = true;
        }
        if let Some(written) = exporter.written() {
            dirty |= app.export_progress(written);
        }
        if let Some(done) = exporter.try_recv() {
            app.export_finished(done);
            dirty = true;
        }
    }
}
