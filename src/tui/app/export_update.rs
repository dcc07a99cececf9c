//! The export dialog's part of `App::update`: opening it on the table's filtered, sorted
//! set, choosing the format and file name, and turning Enter into an [`ExportJob`] for the
//! loop (taken with [`App::take_export_job`]); the job's result comes back through
//! [`App::export_finished`].

use super::export_dialog::{default_name, neutralisable, ExportDialog, ExportEffect, Field, Stage};
use super::App;
use super::SOURCES_PENDING;
use crate::export::{Format, Options};
use crate::tui::action::Action;
use crate::tui::export_job::{ExportDone, ExportJob, Failure};
use crate::tui::layout::View;
use crate::tui::text_input::TextInput;

impl App {
    /// Applies an action while the dialog is open, or `OpenExport`.
    pub(super) fn update_export(&mut self, action: Action) {
        if action == Action::OpenExport {
            return self.open_export();
        }
        if action == Action::ToggleHelp {
            self.help = !self.help;
            return;
        }
        if self.help {
            // A click closes the help, as elsewhere; other actions wait for it to close.
            if matches!(action, Action::Click(..)) {
                self.help = false;
            }
            return;
        }
        let Some(d) = self.export.dialog.as_mut() else {
            return;
        };
        match d.update(action) {
            ExportEffect::Stay => {}
            ExportEffect::Cancelled => {
                self.export.dialog = None;
                self.set_status("export cancelled: nothing written");
            }
            ExportEffect::Write { force } => self.write_export(force),
        }
    }

    /// Opens the dialog that `e` asked for while the table was catching up, now that it has.
    pub(super) fn open_queued_export(&mut self) {
        if self.export.queued && self.loaded && !self.is_loading() {
            // Once, and only where it was asked for: a view left meanwhile drops it.
            self.export.queued = false;
            // The "opens when the table is up to date" note has come true.
            if self
                .status
                .as_ref()
                .is_some_and(|s| s.text.starts_with("searching: the export"))
            {
                self.status = None;
            }
            self.open_export();
        }
    }

    /// Opens the dialog on the events in the table, once they answer the current filter.
    fn open_export(&mut self) {
        if self.view != View::Events {
            self.export.queued = false;
            return;
        }
        if !self.loaded || self.is_loading() {
            self.export.queued = true;
            self.set_status("searching: the export dialog opens when the table is up to date");
            return;
        }
        self.export.queued = false;
        let (format, neutralise) = self.export.last.unwrap_or((Format::Csv, true));
        let now = self.export.clock.now();
        self.export.dialog = Some(ExportDialog {
            format,
            path: TextInput::new(&default_name(&self.filter, format, now)),
            neutralise,
            field: Field::Format,
            stage: Stage::Editing,
            count: self.count,
            args: self.filter.to_args(),
            caption: self.filter.caption(),
            program: self.program.clone(),
            error: None,
            note: None,
            written: 0,
        });
    }

    /// Queues the job that writes the table's events, in the table's order.
    fn write_export(&mut self, force: bool) {
        let pending = self.sources_pending();
        let Some(d) = self.export.dialog.as_mut() else {
            return;
        };
        let typed = d.path.text().trim().to_string();
        if pending {
            // A bibliography or an embedded citation would come out empty.
            d.stage = Stage::Editing;
            d.error = Some(SOURCES_PENDING.into());
            return;
        }
        if typed.is_empty() {
            d.stage = Stage::Editing;
            d.field = Field::Path;
            d.error = Some("type a file name first".into());
            return;
        }
        d.stage = Stage::Writing;
        d.error = None;
        d.note = None;
        d.written = 0;
        let options = Options {
            now: self.export.clock.now(),
            neutralise: d.neutralise || !neutralisable(d.format),
            scope: d.caption.clone(),
            two_mode: false,
            svg_width: crate::export::svg::DEFAULT_WIDTH,
        };
        self.export.last = Some((d.format, d.neutralise));
        let job = ExportJob {
            format: d.format,
            path: self.export.resolve(&typed),
            shown: typed,
            force,
            options,
            rows: crate::tui::export_job::Rows::Query {
                database: self.database.clone(),
                filter: self.filter.clone(),
            },
            catalog: std::sync::Arc::clone(&self.catalog),
        };
        self.export.job = Some(job);
    }

    /// The file to write, once; the loop runs it off the UI thread.
    pub fn take_export_job(&mut self) -> Option<ExportJob> {
        self.export.job.take()
    }

    /// How far the running job is; true when the dialog's percentage changed (worth a redraw).
    pub fn export_progress(&mut self, written: u64) -> bool {
        let Some(d) = self.export.dialog.as_mut() else {
            return false;
        };
        let percent = |n: u64| n * 100 / (d.count.max(1) as u64);
        let changed = percent(written) != percent(d.written);
        d.written = written;
        changed
    }

    /// Takes a job's result: success closes the dialog with a message, an existing file asks
    /// whether to replace it, any other failure is shown in the dialog and the status bar.
    pub fn export_finished(&mut self, done: ExportDone) {
        let Some(d) = self.export.dialog.as_mut() else {
            return;
        };
        match done.outcome {
            Ok(()) => {
                self.export.dialog = None;
                self.set_status(format!(
                    "wrote {} to {} ({})",
                    done.written, done.shown, done.format
                ));
            }
            Err(Failure::Exists) => {
                d.stage = Stage::Confirm;
            }
            Err(Failure::Failed(msg)) => {
                d.stage = Stage::Editing;
                d.field = Field::Path;
                d.error = Some(msg.clone());
                self.set_error(format!("export failed: {msg}"));
            }
        }
    }
}
