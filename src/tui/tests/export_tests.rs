//! The export dialog: keys, `App::update` without a terminal, the job run synchronously
//! (it writes exactly the table's events, in the table's order, all pages of them), and
//! snapshots at 80×24 and 160×48.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{ids, Kit};
use crate::domain::SortKey;
use crate::export::Format;
use crate::tui::action::TextEdit;
use crate::tui::app::export_dialog::{Clock, Field, Stage};
use crate::tui::export_job::{ExportDone, Failure};
use crate::tui::input::{bindings, map_key, Mode};
use crate::tui::Action::{self, *};

const NOW: &str = "2026-11-25T09:30:00Z";

/// The kit with a pinned clock and made-up directories, so that names and screens are stable.
fn pinned(mut kit: Kit) -> Kit {
    let e = &mut kit.app.export;
    e.clock = Clock::Fixed(NOW.parse().unwrap());
    e.cwd = Some("/home/analyst/papers".into());
    e.home = Some("/home/analyst".into());
    kit
}

fn mini(w: u16, h: u16) -> Kit {
    pinned(Kit::mini(w, h))
}

fn seed(w: u16, h: u16) -> Kit {
    pinned(Kit::with(&crate::seed::dataset().unwrap(), w, h))
}

fn dialog(kit: &Kit) -> &crate::tui::app::export_dialog::ExportDialog {
    kit.app.export.dialog.as_ref().expect("the dialog is open")
}

/// Types `path` into the emptied file name.
fn set_path(kit: &mut Kit, path: &str) {
    kit.act(&[ExportSwitchField, Text(TextEdit::Clear)]);
    for c in path.chars() {
        kit.app.update(Text(TextEdit::Input(c)));
    }
    assert_eq!(dialog(kit).path.text(), path);
}

/// Runs the queued job as the loop's thread would, and hands its result back.
fn run_job(kit: &mut Kit) -> ExportDone {
    let mut job = kit.app.take_export_job().expect("Enter queued a job");
    job.read_from(&kit.db).unwrap();
    assert!(kit.app.take_export_job().is_none(), "taken once");
    let done = job.run();
    kit.app.export_finished(done.clone());
    done
}

fn key(code: KeyCode, m: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, m)
}

#[test]
fn keys_of_the_dialog() {
    let none = KeyModifiers::NONE;
    let ctrl = KeyModifiers::CONTROL;
    let ch = |c| key(KeyCode::Char(c), none);
    use Mode::*;
    let cases: Vec<(Mode, KeyEvent, Option<Action>)> = vec![
        (Browse, ch('e'), Some(OpenExport)),
        (Facets, ch('e'), Some(OpenExport)),
        (Detail, ch('e'), Some(OpenExport)),
        (Search, ch('e'), Some(Text(TextEdit::Input('e')))),
        (Programmes, ch('e'), None),
        (ExportFormat, ch('j'), Some(ExportNextFormat)),
        (
            ExportFormat,
            key(KeyCode::Down, none),
            Some(ExportNextFormat),
        ),
        (ExportFormat, ch('k'), Some(ExportPrevFormat)),
        (ExportFormat, key(KeyCode::Up, none), Some(ExportPrevFormat)),
        (ExportFormat, ch('n'), Some(ExportToggleNeutralise)),
        (ExportFormat, ch(' '), Some(ExportToggleNeutralise)),
        (
            ExportFormat,
            key(KeyCode::Tab, none),
            Some(ExportSwitchField),
        ),
        (ExportFormat, key(KeyCode::Enter, none), Some(ExportWrite)),
        (ExportFormat, key(KeyCode::Esc, none), Some(ExportCancel)),
        (ExportFormat, ch('?'), Some(ToggleHelp)),
        (ExportFormat, ch('q'), None),
        (ExportFormat, ch('x'), None),
        (ExportPath, ch('j'), Some(Text(TextEdit::Input('j')))),
        (ExportPath, ch('q'), Some(Text(TextEdit::Input('q')))),
        (ExportPath, ch('?'), Some(Text(TextEdit::Input('?')))),
        (ExportPath, ch('~'), Some(Text(TextEdit::Input('~')))),
        (ExportPath, ch('é'), Some(Text(TextEdit::Input('é')))),
        (ExportPath, key(KeyCode::Down, none), Some(ExportNextFormat)),
        (ExportPath, key(KeyCode::Up, none), Some(ExportPrevFormat)),
        (
            ExportPath,
            key(KeyCode::Backspace, none),
            Some(Text(TextEdit::Backspace)),
        ),
        (
            ExportPath,
            key(KeyCode::Char('w'), ctrl),
            Some(Text(TextEdit::DeleteWord)),
        ),
        (
            ExportPath,
            key(KeyCode::Char('u'), ctrl),
            Some(Text(TextEdit::Clear)),
        ),
        (ExportPath, key(KeyCode::Tab, none), Some(ExportSwitchField)),
        (ExportPath, key(KeyCode::Enter, none), Some(ExportWrite)),
        (ExportPath, key(KeyCode::Esc, none), Some(ExportCancel)),
        (ExportPath, key(KeyCode::F(1), none), Some(ToggleHelp)),
        (ExportConfirm, ch('y'), Some(ExportReplace)),
        (ExportConfirm, ch('n'), Some(ExportKeep)),
        (ExportConfirm, key(KeyCode::Esc, none), Some(ExportKeep)),
        (ExportConfirm, ch('j'), None),
        (ExportBusy, key(KeyCode::Enter, none), None),
        (ExportBusy, key(KeyCode::Esc, none), None),
        (ExportBusy, key(KeyCode::Char('c'), ctrl), Some(Quit)),
        (ExportPath, key(KeyCode::Char('c'), ctrl), Some(Quit)),
        (ExportFormat, key(KeyCode::Char('c'), ctrl), Some(Quit)),
    ];
    for (mode, k, want) in cases {
        assert_eq!(map_key(mode, k), want, "{mode:?} {k:?}");
    }
}

#[test]
fn no_key_is_bound_twice_in_the_dialog() {
    use Mode::*;
    for mode in [ExportFormat, ExportPath, ExportConfirm, ExportBusy] {
        let mut seen: Vec<String> = Vec::new();
        for b in bindings(mode) {
            for k in b.keys {
                let label = format!("{k:?}");
                assert!(!seen.contains(&label), "{mode:?}: {label} bound twice");
                seen.push(label);
            }
        }
    }
}

#[test]
fn e_opens_the_dialog_on_the_whole_filtered_set() {
    let mut kit = mini(80, 24);
    kit.act(&[CycleProgramme, CycleProgramme]);
    assert_eq!(kit.app.filter.to_args(), "--programme ILRS");
    kit.act(&[OpenExport]);
    let d = dialog(&kit);
    assert_eq!(d.count, 2);
    assert_eq!(d.args, "--programme ILRS");
    assert_eq!(d.format, Format::Csv);
    assert!(d.neutralise);
    assert_eq!(d.path.text(), "spacedip-ilrs-20261125.csv");
    assert_eq!(kit.app.mode(), Mode::ExportFormat);
    assert_eq!(
        d.command(),
        "spacedip export --format csv -o spacedip-ilrs-20261125.csv --programme ILRS"
    );
}

#[test]
fn e_typed_ahead_of_a_pending_query_opens_the_dialog_once_it_is_answered() {
    let mut kit = mini(80, 24);
    kit.app.update(CycleChannel);
    kit.app.update(OpenExport);
    // Not on the stale rows of the previous filter.
    assert!(kit.app.export.dialog.is_none());
    assert!(kit
        .app
        .status
        .as_ref()
        .unwrap()
        .text
        .contains("the export dialog opens when the table is up to date"));
    kit.pump();
    let d = kit
        .app
        .export
        .dialog
        .as_ref()
        .expect("opened without a second e");
    assert_eq!(d.count, kit.app.count);
    assert!(!kit.app.export.queued);
    assert!(
        kit.app.status.is_none(),
        "the waiting note goes once the dialog is open"
    );
}

#[test]
fn picking_a_format_keeps_the_extension_in_step() {
    let mut kit = mini(80, 24);
    kit.act(&[OpenExport]);
    let ics = Format::ALL.iter().position(|f| *f == Format::Ics).unwrap();
    for _ in 0..ics {
        kit.act(&[ExportNextFormat]);
    }
    assert_eq!(dialog(&kit).format, Format::Ics);
    assert_eq!(dialog(&kit).path.text(), "spacedip-all-20261125.ics");
    // Neutralisation belongs to the CSV formats only.
    kit.act(&[ExportToggleNeutralise]);
    assert!(dialog(&kit).neutralise);
    kit.act(&[ExportPrevFormat]);
    assert_eq!(dialog(&kit).format, Format::Mermaid);
    assert_eq!(dialog(&kit).path.text(), "spacedip-all-20261125.mmd");
    // The list stops at its ends.
    for _ in 0..20 {
        kit.act(&[ExportPrevFormat]);
    }
    assert_eq!(dialog(&kit).format, Format::Csv);
    kit.act(&[ExportToggleNeutralise]);
    assert!(!dialog(&kit).neutralise);
    assert!(dialog(&kit).command().contains("--no-neutralise"));
    for _ in 0..20 {
        kit.act(&[ExportNextFormat]);
    }
    assert_eq!(dialog(&kit).format, Format::Xlsx);
    assert_eq!(dialog(&kit).path.text(), "spacedip-all-20261125.xlsx");
    assert!(!dialog(&kit).command().contains("--no-neutralise"));
}

#[test]
fn editing_the_file_name() {
    let mut kit = mini(80, 24);
    kit.act(&[OpenExport, ExportSwitchField]);
    assert_eq!(kit.app.mode(), Mode::ExportPath);
    kit.act(&[Text(TextEdit::DeleteWord)]);
    assert_eq!(dialog(&kit).path.text(), "spacedip-all-20261125.");
    kit.act(&[Text(TextEdit::DeleteWord), Text(TextEdit::Backspace)]);
    assert_eq!(dialog(&kit).path.text(), "spacedip-all");
    for c in "-x.csv".chars() {
        kit.act(&[Text(TextEdit::Input(c))]);
    }
    assert_eq!(dialog(&kit).path.text(), "spacedip-all-x.csv");
    // A name of the user's own keeps its extension when the format changes.
    kit.act(&[Text(TextEdit::Clear)]);
    assert_eq!(dialog(&kit).path.text(), "");
    for c in "notes.txt".chars() {
        kit.act(&[Text(TextEdit::Input(c))]);
    }
    kit.act(&[ExportNextFormat]);
    assert_eq!(dialog(&kit).path.text(), "notes.txt");
    assert_eq!(dialog(&kit).format, Format::Json);
    kit.act(&[ExportSwitchField]);
    assert_eq!(dialog(&kit).field, Field::Format);
    // An empty name is refused in the dialog, not written.
    kit.act(&[ExportSwitchField, Text(TextEdit::Clear), ExportWrite]);
    assert!(kit.app.take_export_job().is_none());
    assert_eq!(dialog(&kit).stage, Stage::Editing);
    assert_eq!(
        dialog(&kit).error.as_deref(),
        Some("type a file name first")
    );
}

#[test]
fn esc_cancels_and_the_table_keys_work_again() {
    let mut kit = mini(80, 24);
    kit.act(&[OpenExport, ExportNextFormat, ExportCancel]);
    assert!(kit.app.export.dialog.is_none());
    assert!(kit.app.take_export_job().is_none());
    assert_eq!(kit.app.mode(), Mode::Browse);
    assert_eq!(
        kit.app.status.as_ref().unwrap().text,
        "export cancelled: nothing written"
    );
    kit.act(&[Down]);
    assert_eq!(kit.app.selected, 1);
}

#[test]
fn the_dialog_is_modal() {
    let mut kit = mini(80, 24);
    kit.act(&[OpenExport]);
    let before = kit.app.filter.clone();
    // Table actions do nothing while the dialog is open; help opens over it.
    kit.act(&[Down, CycleChannel, ClearFilters, SwitchView, Click(5, 5)]);
    assert_eq!(kit.app.filter, before);
    assert_eq!(kit.app.selected, 0);
    assert!(kit.app.export.dialog.is_some());
    kit.act(&[ToggleHelp]);
    assert_eq!(kit.app.mode(), Mode::Help);
    assert_eq!(kit.app.mode_under_help(), Mode::ExportFormat);
    kit.act(&[ExportNextFormat]);
    assert_eq!(dialog(&kit).format, Format::Csv, "keys wait for the help");
    kit.act(&[ToggleHelp, Resize(100, 30)]);
    assert_eq!(kit.app.mode(), Mode::ExportFormat);
    kit.act(&[Quit]);
    assert!(kit.app.should_quit());
}

#[test]
fn writing_then_replacing_only_after_yes() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("events.csv");
    std::fs::write(&target, "keep me").unwrap();
    let mut kit = mini(80, 24);
    kit.act(&[OpenExport]);
    set_path(&mut kit, target.to_str().unwrap());
    kit.act(&[ExportWrite]);
    assert_eq!(dialog(&kit).stage, Stage::Writing);
    assert_eq!(kit.app.mode(), Mode::ExportBusy);
    // While the thread writes, the dialog says so and follows its count.
    assert!(kit.screen().contains("writing 4 events to "));
    assert!(kit.app.export_progress(2));
    assert!(!kit.app.export_progress(2));
    assert!(kit.screen().contains("writing 4 events (50%) to "));
    kit.act(&[ExportCancel, Down]);
    assert_eq!(kit.app.selected, 0, "keys wait for the file");
    let done = run_job(&mut kit);
    assert_eq!(done.outcome, Err(Failure::Exists));
    assert_eq!(dialog(&kit).stage, Stage::Confirm);
    assert_eq!(kit.app.mode(), Mode::ExportConfirm);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    // No: back to the file name, the file untouched.
    kit.act(&[ExportKeep]);
    assert_eq!(kit.app.mode(), Mode::ExportPath);
    assert_eq!(
        dialog(&kit).note.as_deref(),
        Some("kept the existing file: choose another name")
    );
    assert!(kit.screen().contains("kept the existing file"));
    assert!(kit.app.take_export_job().is_none());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    // Yes: replaced.
    kit.act(&[ExportWrite]);
    run_job(&mut kit);
    kit.act(&[ExportReplace]);
    let done = run_job(&mut kit);
    assert_eq!(done.outcome, Ok(()));
    assert!(kit.app.export.dialog.is_none());
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.starts_with("id,date,"), "{text}");
    assert_eq!(text.lines().count(), 5);
    let status = kit.app.status.as_ref().unwrap();
    assert!(!status.error);
    assert_eq!(
        status.text,
        format!("wrote 4 events to {} (csv)", target.display())
    );
    // The choice is proposed again next time.
    kit.act(&[OpenExport]);
    assert_eq!(dialog(&kit).format, Format::Csv);
}

#[test]
fn failures_show_in_one_line_and_leave_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("no such dir").join("x.ics");
    let mut kit = mini(80, 24);
    kit.act(&[OpenExport]);
    set_path(&mut kit, target.to_str().unwrap());
    kit.act(&[ExportWrite]);
    let done = run_job(&mut kit);
    assert!(matches!(done.outcome, Err(Failure::Failed(_))));
    let d = dialog(&kit);
    assert_eq!(d.stage, Stage::Editing);
    assert_eq!(d.field, Field::Path);
    let msg = d.error.clone().unwrap();
    assert!(msg.contains("no such dir") && !msg.contains('\n'), "{msg}");
    let status = kit.app.status.clone().unwrap();
    assert!(status.error && status.text.starts_with("export failed: "));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    // The screen shows the error on one line, and survives every size.
    assert!(kit.screen().contains("✗ "));
    for (w, h) in [(60, 15), (59, 14), (1, 1), (200, 60)] {
        kit.act(&[Resize(w, h)]);
        let _ = kit.draw();
    }
}

#[test]
fn a_home_relative_name_is_written_under_home() {
    let home = tempfile::tempdir().unwrap();
    let mut kit = mini(80, 24);
    kit.app.export.home = Some(home.path().to_path_buf());
    kit.act(&[OpenExport]);
    set_path(&mut kit, "~/out.csv");
    kit.act(&[ExportWrite]);
    assert_eq!(run_job(&mut kit).outcome, Ok(()));
    assert!(home.path().join("out.csv").is_file());
    assert_eq!(
        kit.app.status.as_ref().unwrap().text,
        "wrote 4 events to ~/out.csv (csv)"
    );
}

/// The seed, filtered to more events than a page holds and sorted by title, descending.
fn many_rows_sorted() -> Kit {
    let mut kit = seed(80, 24);
    kit.act(&[CycleProgramme, CycleProgramme]);
    while kit.app.filter.sort != SortKey::Title {
        kit.act(&[CycleSort]);
    }
    kit.act(&[ReverseSort]);
    assert_eq!(
        kit.app.filter.to_args(),
        "--programme ILRS --sort title --desc"
    );
    let page = kit.app.table_page();
    assert!(kit.app.count > page, "{} rows, page {page}", kit.app.count);
    kit
}

#[test]
fn the_file_holds_exactly_the_table_in_its_order_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let mut kit = many_rows_sorted();
    // Scrolled somewhere in the middle: the export still takes every row.
    kit.act(&[PageDown]);
    assert!(kit.app.offset > 0);
    let shown = ids(&kit);

    // CSV.
    kit.act(&[OpenExport]);
    assert_eq!(dialog(&kit).count, shown.len());
    let csv_path = dir.path().join("ilrs.csv");
    set_path(&mut kit, csv_path.to_str().unwrap());
    kit.act(&[ExportWrite]);
    assert_eq!(run_job(&mut kit).outcome, Ok(()));
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let csv_ids: Vec<String> = reader
        .records()
        .map(|r| r.unwrap().get(0).unwrap().to_string())
        .collect();
    assert_eq!(csv_ids, shown);

    // JSON.
    kit.act(&[OpenExport, ExportNextFormat]);
    assert_eq!(dialog(&kit).format, Format::Json);
    let json_path = dir.path().join("ilrs.json");
    set_path(&mut kit, json_path.to_str().unwrap());
    kit.act(&[ExportWrite]);
    assert_eq!(run_job(&mut kit).outcome, Ok(()));
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    let json_ids: Vec<String> = value
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(json_ids, shown);
    assert_eq!(
        kit.app.status.as_ref().unwrap().text,
        format!(
            "wrote {} events to {} (json)",
            shown.len(),
            json_path.display()
        )
    );
}

#[test]
fn the_ics_has_one_vevent_per_row_and_the_pinned_stamp() {
    let dir = tempfile::tempdir().unwrap();
    let mut kit = many_rows_sorted();
    kit.act(&[OpenExport]);
    while dialog(&kit).format != Format::Ics {
        kit.act(&[ExportNextFormat]);
    }
    let path = dir.path().join("ilrs.ics");
    set_path(&mut kit, path.to_str().unwrap());
    kit.act(&[ExportWrite]);
    assert_eq!(run_job(&mut kit).outcome, Ok(()));
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches("BEGIN:VEVENT").count(), kit.app.count);
    assert!(text.contains("DTSTAMP:20261125T093000Z"));
}

fn snap(name: &str, setup: impl Fn(&mut Kit)) {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut kit = mini(w, h);
        setup(&mut kit);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), kit.draw().backend());
    }
}

#[test]
fn snapshot_dialog_open() {
    snap("export_dialog", |kit| {
        kit.act(&[CycleProgramme, CycleProgramme, OpenExport]);
    });
}

#[test]
fn snapshot_dialog_editing_the_name() {
    snap("export_dialog_path", |kit| {
        kit.act(&[OpenExport]);
        for _ in 0..7 {
            kit.act(&[ExportNextFormat]);
        }
        kit.act(&[ExportSwitchField, Text(TextEdit::DeleteWord)]);
        for c in "ics".chars() {
            kit.act(&[Text(TextEdit::Input(c))]);
        }
    });
}

#[test]
fn snapshot_dialog_asking_to_replace() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("events.csv"), "x").unwrap();
    snap("export_dialog_confirm", |kit| {
        kit.app.export.cwd = Some(dir.path().to_path_buf());
        kit.act(&[OpenExport]);
        set_path(kit, "events.csv");
        // The job runs in the temporary directory, as the loop's would in the working one.
        kit.app.update(ExportWrite);
        let mut job = kit.app.take_export_job().unwrap();
        job.read_from(&kit.db).unwrap();
        job.path = dir.path().join(&job.path);
        let done = job.run();
        kit.app.export_finished(done);
        kit.app.export.cwd = Some("/home/analyst/papers".into());
    });
}

#[test]
fn snapshot_help_over_the_dialog() {
    snap("export_dialog_help", |kit| {
        kit.act(&[OpenExport, ToggleHelp]);
    });
}

#[test]
fn the_smallest_terminal_scrolls_the_format_list() {
    let mut kit = mini(60, 15);
    kit.act(&[OpenExport]);
    for _ in 0..7 {
        kit.act(&[ExportNextFormat]);
    }
    let screen = kit.screen();
    assert!(screen.contains("› ics"), "{screen}");
    assert!(screen.contains("Enter writes 4 events as ics"), "{screen}");
    assert!(
        screen.contains("↑  mermaid") && screen.contains("↓  csl-json"),
        "{screen}"
    );
}

#[test]
fn no_colour_in_the_dialog_under_no_color() {
    let mut kit = mini(160, 48);
    kit.app.theme = crate::tui::views::theme::Theme::plain();
    kit.act(&[OpenExport]);
    for actions in [&[][..], &[ExportSwitchField][..], &[ToggleHelp][..]] {
        kit.act(actions);
        let t = kit.draw();
        for cell in t.backend().buffer().content() {
            assert_eq!(cell.fg, ratatui::style::Color::Reset, "{cell:?}");
            assert_eq!(cell.bg, ratatui::style::Color::Reset, "{cell:?}");
        }
    }
}
