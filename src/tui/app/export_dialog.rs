//! The export dialog's state: the chosen format, the file name being typed, formula
//! neutralisation, and where the dialog is in its flow (editing, asking to replace, writing).
//! [`ExportDialog::update`] applies the dialog's actions and says what it asks of the app
//! (write, cancel); `export_update.rs` opens it and runs the file writing, the view draws it.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::domain::{filter::shell_quote, Filter};
use crate::export::Format;
use crate::tui::action::Action;
use crate::tui::export_job::ExportJob;
use crate::tui::input::Mode;
use crate::tui::text_input::TextInput;

/// Where the export's timestamp (the file name's date, the iCalendar `DTSTAMP`) comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    /// `SOURCE_DATE_EPOCH` when set (as `spacedip export` reads it), else the system clock.
    #[default]
    System,
    /// A pinned moment, for tests.
    #[cfg(test)]
    Fixed(DateTime<Utc>),
}

impl Clock {
    /// The current moment by this clock.
    pub fn now(self) -> DateTime<Utc> {
        match self {
            #[cfg(test)]
            Clock::Fixed(t) => t,
            Clock::System => {
                let epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
                // A malformed SOURCE_DATE_EPOCH is the CLI's usage error; here the clock will do.
                crate::export::clock::now(None, epoch.as_deref()).unwrap_or_else(|_| Utc::now())
            }
        }
    }
}

/// Which field of the dialog has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Format,
    Path,
}

/// Where the dialog is in its flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// Choosing the format and the file name.
    Editing,
    /// The file exists: replace it?
    Confirm,
    /// The file is being written in the background.
    Writing,
}

/// The open dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportDialog {
    pub format: Format,
    /// The file name as typed; relative names are relative to the working directory.
    pub path: TextInput,
    /// Prefix spreadsheet formulas in CSV cells (on by default, as in the CLI).
    pub neutralise: bool,
    pub field: Field,
    pub stage: Stage,
    /// The events the file will hold: every row of the table, not only those on screen.
    pub count: usize,
    /// The filter as CLI flags, when the dialog opened.
    pub args: String,
    /// The same selection in words: the caption of the exports that have one.
    pub caption: String,
    /// How the shown command calls spacedip (`spacedip --db PATH`).
    pub program: String,
    /// The last failure, in one line.
    pub error: Option<String>,
    /// A word on what just happened that is not a failure.
    pub note: Option<String>,
    /// While writing: the events written so far.
    pub written: u64,
}

/// What an action in the dialog asks of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportEffect {
    /// The dialog stays as it is now.
    Stay,
    /// Esc: nothing is written.
    Cancelled,
    /// Enter (or `y` to replace): write the file, replacing one that exists with `force`.
    Write { force: bool },
}

impl ExportDialog {
    /// Applies `action` to the dialog.
    pub fn update(&mut self, action: Action) -> ExportEffect {
        match (&self.stage, action) {
            (Stage::Editing, Action::ExportNextFormat) => self.step_format(1),
            (Stage::Editing, Action::ExportPrevFormat) => self.step_format(-1),
            (Stage::Editing, Action::ExportSwitchField) => {
                self.field = match self.field {
                    Field::Format => Field::Path,
                    Field::Path => Field::Format,
                };
            }
            (Stage::Editing, Action::ExportToggleNeutralise) if self.neutralisable() => {
                self.neutralise = !self.neutralise;
            }
            // A changed name: an earlier message no longer applies.
            (Stage::Editing, Action::Text(edit))
                if self.field == Field::Path && self.path.apply(edit) =>
            {
                self.error = None;
                self.note = None;
            }
            (Stage::Editing, Action::ExportWrite) => return ExportEffect::Write { force: false },
            (Stage::Editing, Action::ExportCancel) => return ExportEffect::Cancelled,
            (Stage::Confirm, Action::ExportReplace) => return ExportEffect::Write { force: true },
            (Stage::Confirm, Action::ExportKeep) => {
                self.stage = Stage::Editing;
                self.field = Field::Path;
                self.note = Some("kept the existing file: choose another name".into());
            }
            _ => {}
        }
        ExportEffect::Stay
    }

    /// Moves the format choice (stopping at either end), keeping a proposed extension in step.
    fn step_format(&mut self, delta: isize) {
        let last = Format::ALL.len() - 1;
        let i = self.format_index().saturating_add_signed(delta).min(last);
        let next = Format::ALL[i];
        let path = swap_extension(self.path.text(), self.format, next);
        if path != self.path.text() {
            self.path = TextInput::new(&path);
        }
        self.format = next;
    }

    /// The format's position in [`Format::ALL`].
    pub fn format_index(&self) -> usize {
        Format::ALL
            .iter()
            .position(|f| *f == self.format)
            .unwrap_or(0)
    }

    /// Whether neutralisation applies to the chosen format.
    pub fn neutralisable(&self) -> bool {
        neutralisable(self.format)
    }

    /// The `spacedip export` command that writes the same file headless.
    pub fn command(&self) -> String {
        let mut parts = vec![
            format!("{} export --format", self.program),
            self.format.as_str().to_string(),
            "-o".to_string(),
            quote_path(self.path.text()),
        ];
        if self.neutralisable() && !self.neutralise {
            parts.push("--no-neutralise".into());
        }
        if !self.args.is_empty() {
            parts.push(self.args.clone());
        }
        parts.join(" ")
    }
}

/// The dialog, the job waiting for the loop, and what the dialog needs from the process.
#[derive(Debug, Default)]
pub struct ExportState {
    pub dialog: Option<ExportDialog>,
    /// The format and neutralisation chosen last, proposed again.
    pub last: Option<(Format, bool)>,
    pub clock: Clock,
    /// The working directory, shown under relative file names.
    pub cwd: Option<PathBuf>,
    /// The home directory, for file names starting with `~/`.
    pub home: Option<PathBuf>,
    pub(super) job: Option<ExportJob>,
    /// `e` came while the table was still catching up with the filter: the dialog opens as
    /// soon as it has (a key typed ahead is never refused).
    pub queued: bool,
}

impl ExportState {
    /// The state for the running process: its working and home directories.
    pub fn for_process() -> ExportState {
        ExportState {
            cwd: std::env::current_dir().ok(),
            home: std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .map(PathBuf::from),
            ..ExportState::default()
        }
    }

    /// The key bindings while the dialog is open.
    pub fn mode(&self) -> Option<Mode> {
        let d = self.dialog.as_ref()?;
        Some(match (&d.stage, d.field) {
            (Stage::Writing, _) => Mode::ExportBusy,
            (Stage::Confirm, _) => Mode::ExportConfirm,
            (Stage::Editing, Field::Format) => Mode::ExportFormat,
            (Stage::Editing, Field::Path) => Mode::ExportPath,
        })
    }

    /// Where `typed` is written: `~/` is the home directory, anything else is taken as is
    /// (relative to the working directory).
    pub fn resolve(&self, typed: &str) -> PathBuf {
        match (typed.strip_prefix("~/"), &self.home) {
            (Some(rest), Some(home)) => home.join(rest),
            _ => PathBuf::from(typed),
        }
    }

    /// The full path `typed` stands for, when it can be told: for the dialog's "in …" line.
    pub fn full_path(&self, typed: &str) -> Option<PathBuf> {
        let p = self.resolve(typed);
        if p.is_absolute() {
            Some(p)
        } else {
            self.cwd.as_deref().map(|c| c.join(p))
        }
    }
}

/// Whether `format` is a CSV that spreadsheets open, where formula neutralisation applies.
pub fn neutralisable(format: Format) -> bool {
    matches!(format, Format::Csv | Format::TimelineJsCsv)
}

/// The proposed file name: `spacedip-<programmes, or all, or selection>-<YYYYMMDD>.<ext>`.
pub fn default_name(filter: &Filter, format: Format, now: DateTime<Utc>) -> String {
    let scope = if !filter.programmes.is_empty() {
        filter
            .programmes
            .iter()
            .map(|p| {
                p.chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect::<String>()
                    .to_ascii_lowercase()
            })
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("-")
    } else if filter.is_empty() {
        "all".to_string()
    } else {
        "selection".to_string()
    };
    let scope = if scope.is_empty() {
        "selection"
    } else {
        &scope
    };
    format!(
        "spacedip-{scope}-{}.{}",
        now.format("%Y%m%d"),
        format.extension()
    )
}

/// `path` with the extension of `old` swapped for that of `new`; a name without `old`'s
/// extension (the user chose it) is kept.
pub fn swap_extension(path: &str, old: Format, new: Format) -> String {
    let old_ext = format!(".{}", old.extension());
    match path.strip_suffix(&old_ext) {
        Some(stem) if !stem.is_empty() && !stem.ends_with('/') => {
            format!("{stem}.{}", new.extension())
        }
        _ => path.to_string(),
    }
}

/// A file name as a shell word: `~/` stays unquoted so that the shell expands it.
fn quote_path(path: &str) -> String {
    match path.strip_prefix("~/") {
        Some(rest) => format!("~/{}", shell_quote(rest)),
        None => shell_quote(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ChannelFilter;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn default_names_say_what_and_when() {
        let now = at("2026-11-25T10:00:00Z");
        let mut f = Filter::default();
        assert_eq!(
            default_name(&f, Format::Ics, now),
            "spacedip-all-20261125.ics"
        );
        f.channels = vec![ChannelFilter::Bilateral];
        assert_eq!(
            default_name(&f, Format::CslJson, now),
            "spacedip-selection-20261125.csl.json"
        );
        f.programmes = vec!["ILRS".into(), "CSS".into()];
        assert_eq!(
            default_name(&f, Format::Csv, now),
            "spacedip-ilrs-css-20261125.csv"
        );
        f.programmes = vec!["../../etc".into()];
        assert_eq!(
            default_name(&f, Format::Svg, now),
            "spacedip-etc-20261125.svg"
        );
        f.programmes = vec!["///".into()];
        assert_eq!(
            default_name(&f, Format::Svg, now),
            "spacedip-selection-20261125.svg"
        );
    }

    #[test]
    fn extensions_follow_the_format_unless_the_user_chose_one() {
        assert_eq!(swap_extension("a.csv", Format::Csv, Format::Ics), "a.ics");
        assert_eq!(
            swap_extension("a.json", Format::Json, Format::CslJson),
            "a.csl.json"
        );
        assert_eq!(
            swap_extension("a.csl.json", Format::CslJson, Format::Json),
            "a.json"
        );
        assert_eq!(swap_extension("a.txt", Format::Csv, Format::Ics), "a.txt");
        assert_eq!(swap_extension(".csv", Format::Csv, Format::Ics), ".csv");
        assert_eq!(swap_extension("d/.csv", Format::Csv, Format::Ics), "d/.csv");
    }

    #[test]
    fn the_command_quotes_the_file_name_for_a_shell() {
        let d = ExportDialog {
            format: Format::Csv,
            path: TextInput::new("~/my exports/it's.csv"),
            neutralise: false,
            field: Field::Format,
            stage: Stage::Editing,
            count: 2,
            args: "--programme ILRS".into(),
            caption: "ILRS".into(),
            program: "spacedip".into(),
            error: None,
            note: None,
            written: 0,
        };
        assert_eq!(
            d.command(),
            "spacedip export --format csv -o ~/'my exports/it'\\''s.csv' --no-neutralise --programme ILRS"
        );
    }

    #[test]
    fn home_and_working_directory() {
        let s = ExportState {
            cwd: Some("/work".into()),
            home: Some("/home/a".into()),
            ..ExportState::default()
        };
        assert_eq!(s.resolve("~/x.csv"), PathBuf::from("/home/a/x.csv"));
        assert_eq!(s.resolve("x.csv"), PathBuf::from("x.csv"));
        assert_eq!(s.full_path("x.csv"), Some(PathBuf::from("/work/x.csv")));
        assert_eq!(s.full_path("/t/x.csv"), Some(PathBuf::from("/t/x.csv")));
        assert_eq!(ExportState::default().full_path("x.csv"), None);
    }
}
