//! The export dialog's file writing, off the UI thread. `App::update` only emits an
//! [`ExportJob`] (the table's filter); the loop runs it in a short-lived thread through an
//! [`Exporter`], which reads the events on a connection of its own (the app holds only the
//! rows on screen), and hands the [`ExportDone`] back to `App::export_finished`. Tests read
//! the events from their database with [`ExportJob::read_from`] and run jobs synchronously
//! with [`ExportJob::run`].

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::sync::Arc;
use std::thread::JoinHandle;

use crate::db::Db;
use crate::domain::{Catalog, Event, Filter};
use crate::error::{Error, Result};
use crate::export::{self, Format, Options, Selection};
use crate::outfile::write_atomic;
use crate::progress::{Progress, Silent};

/// The events a job writes.
#[derive(Debug, Clone)]
pub enum Rows {
    /// Exactly these, in their order.
    Events(Vec<Event>),
    /// Those `filter` selects in the database file `database` (`None`: a database without a
    /// file, which [`ExportJob::read_from`] must read first).
    Query {
        database: Option<PathBuf>,
        filter: Filter,
    },
}

/// One file to write: the table's events, in its order.
#[derive(Debug, Clone)]
pub struct ExportJob {
    pub format: Format,
    /// The file name as the user typed it, for messages.
    pub shown: String,
    /// Where the file goes (`~/` expanded).
    pub path: PathBuf,
    /// Replace an existing file (the user said yes).
    pub force: bool,
    pub options: Options,
    pub rows: Rows,
    pub catalog: std::sync::Arc<Catalog>,
}

/// Why a job wrote nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The file exists and the job was not allowed to replace it: a cue to ask.
    Exists,
    /// Anything else, in one line.
    Failed(String),
}

/// What a job did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportDone {
    pub format: Format,
    pub shown: String,
    pub count: usize,
    /// What was written in the format's own unit ("29 sources").
    pub written: String,
    pub outcome: std::result::Result<(), Failure>,
}

impl ExportJob {
    /// Writes the file atomically (a temporary file, then a rename): a failure leaves no half
    /// file, and an existing file is replaced only with `force`.
    pub fn run(&self) -> ExportDone {
        self.run_reporting(&Silent, &AtomicBool::new(false))
    }

    /// Reads the events from `db` now (for a database without a file, as in tests).
    pub fn read_from(&mut self, db: &Db) -> Result<()> {
        if let Rows::Query { filter, .. } = &self.rows {
            self.rows = Rows::Events(db.events(filter, &self.catalog)?);
        }
        Ok(())
    }

    /// The events to write, read on a connection of the job's own when needed.
    fn events(&self) -> Result<std::borrow::Cow<'_, [Event]>> {
        match &self.rows {
            Rows::Events(events) => Ok(std::borrow::Cow::Borrowed(events)),
            Rows::Query {
                database: Some(path),
                filter,
            } => Ok(std::borrow::Cow::Owned(
                Db::open(path)?.events(filter, &self.catalog)?,
            )),
            Rows::Query { database: None, .. } => Err(Error::Usage(
                "this database has no file to read the export from".into(),
            )),
        }
    }

    /// [`ExportJob::run`], reporting the events written to `progress`, and giving up (leaving
    /// the target as it was) once `cancel` is set.
    pub fn run_reporting(&self, progress: &dyn Progress, cancel: &AtomicBool) -> ExportDone {
        // A browser over more sources than it holds: a format that cites them reads, on the
        // job's own connection, the events and then the sources they cite; NDJSON, written
        // event by event, reads them all, as it cannot know them before it ends. JSON, which
        // streams too, is read whole here, as it was before it streamed: a selection of a few
        // events from a corpus citing a million sources reads a few sources, not a million.
        if let (
            false,
            true,
            Rows::Query {
                database: Some(path),
                filter,
            },
        ) = (
            self.catalog.has_sources(),
            self.format.cites_sources(),
            &self.rows,
        ) {
            let read = Db::open(path).and_then(|db| {
                if self.format.streams() && self.format != Format::Json {
                    return Ok((db.catalog()?, self.rows.clone()));
                }
                let events = db.events(filter, &self.catalog)?;
                let catalog = self
                    .catalog
                    .with_these_sources(db.sources_cited_by(&events)?);
                Ok((catalog, Rows::Events(events)))
            });
            return match read {
                Ok((catalog, rows)) => ExportJob {
                    catalog: Arc::new(catalog),
                    rows,
                    ..self.clone()
                }
                .run_reporting(progress, cancel),
                Err(e) => self.done(&[], Err(Failure::Failed(e.to_string()))),
            };
        }
        if let (
            true,
            Rows::Query {
                database: Some(path),
                filter,
            },
        ) = (self.format.streams(), &self.rows)
        {
            return self.stream(path, filter, progress, cancel);
        }
        let events = match self.events() {
            Ok(events) => events,
            Err(e) => return self.done(&[], Err(Failure::Failed(e.to_string()))),
        };
        let selection = Selection {
            events: &events,
            catalog: &self.catalog,
        };
        let result = write_atomic(&self.path, self.force, |w| {
            let mut w = Cancellable { inner: w, cancel };
            export::write_with_progress(self.format, selection, &self.options, progress, &mut w)
        });
        self.done(&events, outcome(result))
    }

    /// A format that goes event by event, written from a stream of the selection read on a
    /// connection of the job's own, so that a large export never holds every event.
    fn stream(
        &self,
        path: &std::path::Path,
        filter: &crate::domain::Filter,
        progress: &dyn Progress,
        cancel: &AtomicBool,
    ) -> ExportDone {
        let mut n = 0;
        let result = Db::open(path).and_then(|db| {
            let mut events = db.stream_events(filter, &self.catalog)?;
            n = events.len();
            write_atomic(&self.path, self.force, |w| {
                let mut w = Cancellable { inner: w, cancel };
                export::write_stream(
                    self.format,
                    &mut events,
                    n,
                    &self.catalog,
                    &self.options,
                    progress,
                    &mut w,
                )
            })
        });
        let noun = if n == 1 { "event" } else { "events" };
        ExportDone {
            format: self.format,
            shown: self.shown.clone(),
            count: n,
            written: format!("{n} {noun}"),
            outcome: outcome(result),
        }
    }

    fn done(&self, events: &[Event], outcome: std::result::Result<(), Failure>) -> ExportDone {
        ExportDone {
            format: self.format,
            shown: self.shown.clone(),
            count: events.len(),
            written: crate::export::written(
                self.format,
                &self.options,
                crate::export::Selection {
                    events,
                    catalog: &self.catalog,
                },
            ),
            outcome,
        }
    }
}

/// How a write ended, as the dialog tells it: an existing file is a question, anything else a
/// failure in one line.
fn outcome(result: Result<()>) -> std::result::Result<(), Failure> {
    match result {
        Ok(()) => Ok(()),
        Err(Error::OutputExists(_)) => Err(Failure::Exists),
        Err(e) => Err(Failure::Failed(e.to_string())),
    }
}

/// A writer that fails once `cancel` is set, so that a cancelled export stops at its next
/// write and `write_atomic` removes its temporary file.
struct Cancellable<'a> {
    inner: &'a mut dyn Write,
    cancel: &'a AtomicBool,
}

impl Write for Cancellable<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(std::io::Error::other("export cancelled"));
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The events a job has written so far, shared between its thread and the loop.
#[derive(Debug, Clone, Default)]
pub struct Counter(Arc<AtomicU64>);

impl Counter {
    /// The count now.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

impl Progress for Counter {
    fn advance(&self, n: u64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }
}

/// Runs one job at a time in its own thread and collects the result.
pub struct Exporter {
    tx: Sender<ExportDone>,
    rx: Receiver<ExportDone>,
    running: Option<(JoinHandle<()>, ExportDone)>,
    written: Counter,
    cancel: Arc<AtomicBool>,
}

impl Default for Exporter {
    fn default() -> Self {
        let (tx, rx) = mpsc::channel();
        Exporter {
            tx,
            rx,
            running: None,
            written: Counter::default(),
            cancel: Arc::default(),
        }
    }
}

impl Exporter {
    /// Starts writing `job` in a new thread.
    pub fn start(&mut self, job: ExportJob) -> Result<()> {
        // The dialog waits for each job, so one runs at a time; wait for a stray one anyway.
        if let Some((thread, _)) = self.running.take() {
            let _ = thread.join();
        }
        let lost = job.done(
            &[],
            Err(Failure::Failed(
                "the export stopped unexpectedly; nothing was written".into(),
            )),
        );
        let tx = self.tx.clone();
        self.written = Counter::default();
        self.cancel = Arc::default();
        let written = self.written.clone();
        let cancel = Arc::clone(&self.cancel);
        let thread = std::thread::Builder::new()
            .name("spacedip-export".into())
            .spawn(move || {
                let _ = tx.send(job.run_reporting(&written, &cancel));
            })
            .map_err(Error::Thread)?;
        self.running = Some((thread, lost));
        Ok(())
    }

    /// True while a job runs.
    pub fn busy(&self) -> bool {
        self.running.is_some()
    }

    /// The events the running job has written so far.
    pub fn written(&self) -> Option<u64> {
        self.running.as_ref().map(|_| self.written.get())
    }

    /// The finished job's result, once.
    pub fn try_recv(&mut self) -> Option<ExportDone> {
        let finished = self.running.as_ref()?.0.is_finished();
        // Read `finished` first: a thread that finished has sent its result, if it could.
        let done = match self.rx.try_recv() {
            Ok(done) => done,
            Err(TryRecvError::Empty | TryRecvError::Disconnected) if finished => {
                self.running.as_ref()?.1.clone()
            }
            Err(_) => return None,
        };
        if let Some((thread, _)) = self.running.take() {
            let _ = thread.join();
        }
        Some(done)
    }
}

impl Drop for Exporter {
    fn drop(&mut self) {
        // Quitting while a file is written cancels it: the thread stops at its next write and
        // removes its temporary file, the target stays as it was.
        self.cancel.store(true, Ordering::Relaxed);
        if let Some((thread, _)) = self.running.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn job(dir: &std::path::Path, force: bool) -> ExportJob {
        let db = crate::db::Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let events = db
            .events(&crate::domain::Filter::default(), &catalog)
            .unwrap();
        ExportJob {
            format: Format::Ndjson,
            shown: "out.ndjson".into(),
            path: dir.join("out.ndjson"),
            force,
            options: Options::new("2026-01-01T00:00:00Z".parse().unwrap()),
            rows: Rows::Events(events),
            catalog: catalog.into(),
        }
    }

    /// A browser over more sources than it holds exports from a catalog without them: the job
    /// reads them itself, and writes what it writes from the whole catalog.
    #[test]
    fn a_job_without_the_sources_reads_them_on_its_own_connection() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let db = crate::db::Db::open(&path).unwrap();
        let whole = db.catalog().unwrap();
        let lean = db.catalog_without_sources().unwrap().with_sources_by_row();
        drop(db);
        let run = |catalog: Catalog, format: Format, name: &str| {
            let out = dir.path().join(name);
            let job = ExportJob {
                format,
                shown: name.into(),
                path: out.clone(),
                force: false,
                options: Options::new("2026-01-01T00:00:00Z".parse().unwrap()),
                rows: Rows::Query {
                    database: Some(path.clone()),
                    filter: Filter::default(),
                },
                catalog: Arc::new(catalog),
            };
            let done = job.run();
            assert_eq!(done.outcome, Ok(()), "{name}");
            (std::fs::read_to_string(out).unwrap(), done.written)
        };
        for (format, ext) in [
            (Format::Bibtex, "bib"),
            (Format::Csv, "csv"),
            (Format::Json, "json"),
            (Format::Ndjson, "ndjson"),
            (Format::Markdown, "md"),
        ] {
            let lean = run(lean.clone(), format, &format!("lean.{ext}"));
            assert!(!lean.0.is_empty());
            assert_eq!(lean, run(whole.clone(), format, &format!("whole.{ext}")));
        }
    }

    fn wait(exporter: &mut Exporter) -> ExportDone {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Some(done) = exporter.try_recv() {
                return done;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        panic!("no result before the deadline");
    }

    #[test]
    fn a_job_over_a_database_file_streams_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seed.db");
        drop(crate::db::Db::open(&path).unwrap());
        let db = crate::db::Db::open(&path).unwrap();
        let catalog = db.catalog().unwrap();
        let filter = crate::domain::Filter {
            channels: vec![crate::domain::ChannelFilter::Bilateral],
            ..crate::domain::Filter::default()
        };
        let events = db.events(&filter, &catalog).unwrap();
        let mut whole = Vec::new();
        crate::export::csv::write_events(&events, true, &mut whole).unwrap();
        let job = ExportJob {
            format: Format::Csv,
            shown: "out.csv".into(),
            path: dir.path().join("out.csv"),
            force: false,
            options: Options::new("2026-01-01T00:00:00Z".parse().unwrap()),
            rows: Rows::Query {
                database: Some(path),
                filter,
            },
            catalog: catalog.into(),
        };
        let done = job.run_reporting(&crate::progress::Silent, &AtomicBool::new(false));
        assert!(done.outcome.is_ok(), "{:?}", done.outcome);
        assert_eq!(done.count, events.len());
        assert_eq!(done.written, format!("{} events", events.len()));
        assert_eq!(std::fs::read(dir.path().join("out.csv")).unwrap(), whole);
    }

    #[test]
    fn the_thread_writes_and_reports_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut exporter = Exporter::default();
        assert!(!exporter.busy());
        exporter.start(job(dir.path(), false)).unwrap();
        let done = wait(&mut exporter);
        assert_eq!(done.outcome, Ok(()));
        assert_eq!(done.count, 130);
        assert!(!exporter.busy());
        assert!(exporter.try_recv().is_none());
        let text = std::fs::read_to_string(dir.path().join("out.ndjson")).unwrap();
        assert_eq!(text.lines().count(), 130);
        // A second run without force is refused, with force replaces.
        exporter.start(job(dir.path(), false)).unwrap();
        assert_eq!(wait(&mut exporter).outcome, Err(Failure::Exists));
        exporter.start(job(dir.path(), true)).unwrap();
        assert_eq!(wait(&mut exporter).outcome, Ok(()));
    }

    #[test]
    fn a_cancelled_job_leaves_the_target_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let j = job(dir.path(), true);
        std::fs::write(&j.path, "old").unwrap();
        let done = j.run_reporting(&Silent, &AtomicBool::new(true));
        assert!(
            matches!(done.outcome, Err(Failure::Failed(ref m)) if m.contains("export cancelled")),
            "{done:?}"
        );
        assert_eq!(std::fs::read_to_string(&j.path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        // Dropping the exporter while a job runs cancels it the same way, or waits for it to
        // finish: either way one whole file and no temporary one.
        let mut exporter = Exporter::default();
        exporter.start(job(dir.path(), true)).unwrap();
        drop(exporter);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let text = std::fs::read_to_string(&j.path).unwrap();
        assert!(text == "old" || text.lines().count() == 130);
    }

    #[test]
    fn failures_are_one_line_and_leave_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut j = job(dir.path(), false);
        j.path = dir.path().join("missing").join("out.ndjson");
        let done = j.run();
        let Err(Failure::Failed(msg)) = done.outcome else {
            panic!("{done:?}")
        };
        assert!(!msg.contains('\n') && msg.contains("missing"), "{msg}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
