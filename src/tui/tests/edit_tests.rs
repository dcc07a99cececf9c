//! Editing through `App::update` with no terminal and no thread: the form, delete, undo and
//! saved views, their writes run by `worker::serve` as the worker thread runs them.

use super::{ids, mini_dataset, Kit};
use crate::db::{Db, Operation};
use crate::domain::{ChannelFilter, Filter};
use crate::domain::{KnownIds, Record};
use crate::import::{read_tables, TableKind};
use crate::tui::action::Edit::{self, *};
use crate::tui::action::TextEdit;
use crate::tui::app::edit::Modal;
use crate::tui::app::form::{self, DATE, FIELDS};
use crate::tui::input::Mode;
use crate::tui::worker::WriteJob;
use crate::tui::Action;

fn selected(kit: &Kit) -> String {
    kit.app.selected_event().unwrap().event.id.clone()
}

fn status(kit: &Kit) -> String {
    kit.app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn edit(kit: &mut Kit, actions: &[Edit]) {
    let actions: Vec<Action> = actions.iter().map(|a| Action::Edit(*a)).collect();
    kit.act(&actions);
}

fn type_in(kit: &mut Kit, text: &str) {
    for c in text.chars() {
        kit.app.update(Action::Text(TextEdit::Input(c)));
    }
    kit.pump();
}

fn form(kit: &Kit) -> &form::Form {
    match &kit.app.edit.modal {
        Some(Modal::Form(f)) => f,
        other => panic!("no form open: {other:?}"),
    }
}

fn select(kit: &mut Kit, id: &str) {
    let i = ids(kit).iter().position(|x| x == id).unwrap();
    kit.app.update(Action::Top);
    for _ in 0..i {
        kit.app.update(Action::Down);
    }
    assert_eq!(selected(kit), id);
}

/// Fills a new form field by field (Tab between them) and saves with Enter on the last one.
fn fill(kit: &mut Kit, cells: [&str; FIELDS]) {
    edit(kit, &[AddEvent]);
    assert_eq!(kit.app.mode(), Mode::Form);
    for (i, cell) in cells.iter().enumerate() {
        kit.act(&[Action::Text(TextEdit::Clear)]);
        type_in(kit, cell);
        if i + 1 < FIELDS {
            edit(kit, &[NextField]);
        }
    }
}

const NEW: [&str; FIELDS] = [
    "ILRS-20",
    "2023-04-25",
    "",
    "ILRS",
    "mou",
    "bilateral",
    "",
    "",
    "",
    "A test partner joins the ILRS",
    "",
    "",
    "CHN:signatory;RUS",
    "",
    "govcn2021:p. 2",
];

#[test]
fn an_event_added_through_the_form_is_shown_selected_and_in_history() {
    let mut kit = Kit::mini(80, 24);
    fill(&mut kit, NEW);
    assert!(form(&kit).checked.problems.is_empty());
    edit(&mut kit, &[Accept]);
    assert!(kit.app.edit.modal.is_none(), "the form closes once saved");
    assert!(ids(&kit).contains(&"ILRS-20".to_string()));
    assert_eq!(kit.app.total, 5);
    assert_eq!(selected(&kit), "ILRS-20");
    assert_eq!(status(&kit), "added ILRS-20; u undoes");
    let e = kit.db.event("ILRS-20").unwrap().unwrap();
    assert_eq!(e.title, "A test partner joins the ILRS");
    assert_eq!(e.sources[0].locator.as_deref(), Some("p. 2"));
    let h = kit.db.history(Some("ILRS-20")).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].operation, Operation::Insert);
    assert_eq!(h[0].after, Some(Record::Event(e)));
}

#[test]
fn a_new_event_takes_the_filtered_programme_and_may_be_hidden_by_the_filter() {
    let mut kit = Kit::mini(80, 24);
    kit.act(&[Action::CycleProgramme]);
    assert_eq!(kit.app.filter.programmes, ["CSS"]);
    edit(&mut kit, &[AddEvent]);
    assert_eq!(form(&kit).inputs[form::PROGRAMME].text(), "CSS");
    edit(&mut kit, &[Cancel]);
    let mut cells = NEW;
    cells[3] = "ILRS";
    fill(&mut kit, cells);
    edit(&mut kit, &[Save]);
    assert_eq!(kit.app.total, 5);
    assert_eq!(
        status(&kit),
        "added ILRS-20; u undoes; ILRS-20 is hidden by the current filter"
    );
}

#[test]
fn editing_a_title_updates_the_event_and_records_the_before_image() {
    let mut kit = Kit::mini(80, 24);
    select(&mut kit, "ILRS-03");
    let before = kit.db.event("ILRS-03").unwrap().unwrap();
    edit(&mut kit, &[EditEvent]);
    assert_eq!(
        form(&kit).field,
        DATE,
        "the id is fixed: the form starts on the date"
    );
    edit(
        &mut kit,
        &[
            NextField, NextField, NextField, NextField, NextField, NextField, NextField, NextField,
        ],
    );
    assert_eq!(form(&kit).field, 9, "the title");
    kit.act(&[Action::Text(TextEdit::Clear)]);
    type_in(&mut kit, "China and Russia agree on the ILRS");
    edit(&mut kit, &[Save]);
    assert!(kit.app.edit.modal.is_none());
    assert_eq!(status(&kit), "saved ILRS-03; u undoes");
    assert_eq!(selected(&kit), "ILRS-03");
    let shown = &kit.app.selected_event().unwrap().event;
    assert_eq!(shown.title, "China and Russia agree on the ILRS");
    let h = kit.db.history(Some("ILRS-03")).unwrap();
    assert_eq!(h.last().unwrap().operation, Operation::Update);
    assert_eq!(
        h.last().unwrap().before,
        Some(Record::Event(before.clone()))
    );

    // Undo puts the old title back.
    edit(&mut kit, &[Undo]);
    assert_eq!(status(&kit), "undone: edited ILRS-03");
    assert_eq!(kit.db.event("ILRS-03").unwrap().unwrap(), before);
    assert_eq!(kit.app.selected_event().unwrap().event, before);
}

#[test]
fn an_edit_that_changes_nothing_writes_nothing() {
    let mut kit = Kit::mini(80, 24);
    select(&mut kit, "CSS-06");
    edit(&mut kit, &[EditEvent, Save]);
    assert!(kit.app.edit.modal.is_none());
    assert_eq!(status(&kit), "nothing changed");
    assert_eq!(kit.db.count_history().unwrap(), 0);
    edit(&mut kit, &[Undo]);
    assert_eq!(status(&kit), "nothing to undo in this session");
}

#[test]
fn a_bad_date_is_refused_with_the_imports_message() {
    let mut kit = Kit::mini(80, 24);
    let mut cells = NEW;
    cells[1] = "2021-02-30";
    fill(&mut kit, cells);
    edit(&mut kit, &[Save]);
    assert_eq!(kit.app.mode(), Mode::Form, "the form stays open");
    assert!(kit.app.take_writes().is_empty());
    assert_eq!(kit.app.total, 4);
    assert_eq!(status(&kit), "not saved: fix the problem first (date)");
    let f = form(&kit);
    assert_eq!(f.field, DATE, "the focus goes to the problem");
    let shown: Vec<String> = f.problems_of(DATE).map(|p| p.message.clone()).collect();

    // The import says the same about the same cell.
    let mut csv = String::from(
        "id,date,end_date,programme,kind,channel,valence,venue,follows,title,summary,notes,parties,institutions,sources\n",
    );
    csv.push_str(&cells.join(","));
    csv.push('\n');
    let data = mini_dataset();
    let known = KnownIds {
        programmes: data.programmes.iter().map(|p| p.id.clone()).collect(),
        actors: data.actors.iter().map(|a| a.id.clone()).collect(),
        institutions: data.institutions.iter().map(|i| i.id.clone()).collect(),
        sources: data.sources.iter().map(|s| s.id.clone()).collect(),
        ..KnownIds::default()
    };
    let files: Vec<(&str, &[u8], TableKind)> = vec![("new.csv", csv.as_bytes(), TableKind::Events)];
    let err = read_tables(&files, &known).unwrap_err();
    let crate::Error::Invalid(problems) = err else {
        panic!("{err}")
    };
    let imported: Vec<String> = problems.iter().map(|p| p.message.clone()).collect();
    assert_eq!(imported, ["'2021-02-30' is not a real calendar date"]);
    assert_eq!(shown, imported);
}

#[test]
fn a_taken_id_is_refused_by_the_database_and_the_form_stays() {
    let mut kit = Kit::mini(80, 24);
    let mut cells = NEW;
    cells[0] = "ILRS-03";
    fill(&mut kit, cells);
    edit(&mut kit, &[Save]);
    let f = form(&kit);
    assert!(!f.saving);
    assert_eq!(
        f.refusal.as_deref(),
        Some("an event with id 'ILRS-03' already exists")
    );
    assert_eq!(
        status(&kit),
        "not saved: an event with id 'ILRS-03' already exists"
    );
    assert_eq!(kit.app.total, 4);
    assert!(kit.app.edit.undo.is_empty());
}

#[test]
fn esc_asks_before_dropping_changes() {
    let mut kit = Kit::mini(80, 24);
    edit(&mut kit, &[AddEvent, Cancel]);
    assert!(
        kit.app.edit.modal.is_none(),
        "nothing typed: closes at once"
    );
    edit(&mut kit, &[AddEvent]);
    type_in(&mut kit, "X-1");
    edit(&mut kit, &[Cancel]);
    assert_eq!(kit.app.mode(), Mode::Confirm);
    edit(&mut kit, &[No]);
    assert_eq!(kit.app.mode(), Mode::Form);
    assert_eq!(
        form(&kit).inputs[0].text(),
        "X-1",
        "back with what was typed"
    );
    edit(&mut kit, &[Cancel, Yes]);
    assert!(kit.app.edit.modal.is_none());
    assert_eq!(status(&kit), "changes discarded");
    assert_eq!(kit.app.mode(), Mode::Browse);
}

#[test]
fn delete_asks_then_undo_brings_the_event_back() {
    let mut kit = Kit::mini(80, 24);
    select(&mut kit, "ILRS-03");
    let before = kit.db.event("ILRS-03").unwrap().unwrap();
    edit(&mut kit, &[DeleteEvent]);
    assert_eq!(kit.app.mode(), Mode::Confirm);
    edit(&mut kit, &[No]);
    assert_eq!(status(&kit), "nothing deleted");
    assert_eq!(kit.app.total, 4);

    edit(&mut kit, &[DeleteEvent, Yes]);
    assert_eq!(ids(&kit), ["CSS-06", "CTX-08", "ILRS-11"]);
    assert_eq!(selected(&kit), "ILRS-11", "the next row takes its place");
    assert_eq!(status(&kit), "deleted ILRS-03; u brings it back");
    let h = kit.db.history(Some("ILRS-03")).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].operation, Operation::Delete);
    assert_eq!(
        h[0].before,
        Some(Record::Event(before.clone())),
        "the before-image"
    );
    assert_eq!(h[0].after, None);

    edit(&mut kit, &[Undo]);
    assert_eq!(status(&kit), "undone: deleted ILRS-03");
    assert_eq!(ids(&kit), ["CSS-06", "CTX-08", "ILRS-03", "ILRS-11"]);
    assert_eq!(selected(&kit), "ILRS-03");
    assert_eq!(kit.db.event("ILRS-03").unwrap().unwrap(), before);
    let h = kit.db.history(Some("ILRS-03")).unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[1].operation, Operation::Undo);
    assert_eq!(h[1].undoes, Some(h[0].batch));
    assert_eq!(h[1].after, Some(Record::Event(before)));

    // The undo itself is not on the session's stack, and the library refuses a batch twice.
    edit(&mut kit, &[Undo]);
    assert!(status(&kit).starts_with("nothing to undo in this session"));
    let again = kit.db.undo(h[0].batch).unwrap_err().to_string();
    assert!(again.contains("was already undone"), "{again}");
}

#[test]
fn undo_walks_back_through_the_session_newest_first() {
    let mut kit = Kit::mini(80, 24);
    fill(&mut kit, NEW);
    edit(&mut kit, &[Save]);
    select(&mut kit, "CSS-06");
    edit(&mut kit, &[DeleteEvent, Yes]);
    assert_eq!(kit.app.total, 4);
    edit(&mut kit, &[Undo]);
    assert_eq!(status(&kit), "undone: deleted CSS-06");
    assert_eq!(kit.app.total, 5);
    select(&mut kit, "ILRS-20");
    edit(&mut kit, &[Undo]);
    assert_eq!(status(&kit), "undone: added ILRS-20");
    assert_eq!(kit.app.total, 4);
    assert_eq!(kit.db.event("ILRS-20").unwrap(), None);
    assert_eq!(
        selected(&kit),
        "ILRS-11",
        "the cursor stays where the event was"
    );
}

#[test]
fn the_picker_reads_views_saved_meanwhile() {
    let mut kit = Kit::mini(80, 24);
    // Another process (the CLI) saves a view while the browser is open.
    kit.db.save_view("elsewhere", &bilateral()).unwrap();
    assert!(kit.app.edit.views.is_empty());
    edit(&mut kit, &[OpenViews]);
    let names: Vec<String> = kit.app.edit.views.iter().map(|v| v.name.clone()).collect();
    assert_eq!(names, ["elsewhere"]);
}

#[test]
fn undo_refuses_to_overwrite_a_later_change() {
    let mut kit = Kit::mini(80, 24);
    select(&mut kit, "ILRS-03");
    edit(
        &mut kit,
        &[
            EditEvent, NextField, NextField, NextField, NextField, NextField, NextField, NextField,
            NextField,
        ],
    );
    type_in(&mut kit, " (video link)");
    edit(&mut kit, &[Save]);
    // Someone else (the CLI, another terminal) changes the event again.
    let mut e = kit.db.event("ILRS-03").unwrap().unwrap();
    e.notes = "checked".into();
    kit.db.update_event(&e).unwrap();
    edit(&mut kit, &[Undo]);
    let s = kit.app.status.clone().unwrap();
    assert!(s.error);
    assert!(
        s.text.starts_with(
            "cannot undo edited ILRS-03: cannot undo batch 1: event 'ILRS-03' has changed since"
        ),
        "{}",
        s.text
    );
    assert_eq!(
        kit.db.event("ILRS-03").unwrap().unwrap(),
        e,
        "the later change is kept"
    );
}

#[test]
fn undo_waits_for_a_write_in_flight() {
    let mut kit = Kit::mini(80, 24);
    select(&mut kit, "CSS-06");
    kit.app.update(Action::Edit(DeleteEvent));
    kit.app.update(Action::Edit(Yes));
    assert!(kit.app.is_loading());
    kit.app.update(Action::Edit(Undo));
    assert_eq!(
        status(&kit),
        "a change is still being saved; press u again in a moment"
    );
    kit.pump();
    assert!(!kit.app.is_loading());
    edit(&mut kit, &[Undo]);
    assert_eq!(kit.app.total, 4);
}

fn bilateral() -> Filter {
    Filter {
        channels: vec![ChannelFilter::Bilateral],
        ..Filter::default()
    }
}

#[test]
fn a_view_saved_in_the_browser_is_applied_from_the_picker() {
    let mut kit = Kit::mini(80, 24);
    kit.act(&[
        Action::CycleChannel,
        Action::CycleChannel,
        Action::CycleChannel,
    ]);
    assert_eq!(kit.app.filter, bilateral());
    edit(&mut kit, &[SaveView]);
    assert_eq!(kit.app.mode(), Mode::Prompt);
    type_in(&mut kit, "bilateral ILRS");
    edit(&mut kit, &[Accept]);
    assert!(kit.app.edit.modal.is_none());
    assert!(status(&kit).starts_with("view 'bilateral ILRS' saved"));
    assert_eq!(
        kit.db.view("bilateral ILRS").unwrap().unwrap().filter,
        bilateral()
    );
    assert_eq!(kit.app.edit.views.len(), 1);

    kit.act(&[Action::ClearFilters]);
    assert_eq!(kit.app.count, 4);
    edit(&mut kit, &[OpenViews]);
    assert_eq!(kit.app.mode(), Mode::Picker);
    edit(&mut kit, &[Accept]);
    assert!(kit.app.edit.modal.is_none());
    assert_eq!(kit.app.filter, bilateral());
    assert_eq!(ids(&kit), ["ILRS-03", "ILRS-11"]);
    assert_eq!(
        status(&kit),
        "view 'bilateral ILRS' applied: --channel bilateral"
    );
}

#[test]
fn the_prompt_checks_names_and_asks_before_replacing() {
    let mut db = Db::open_in_memory().unwrap();
    db.insert_dataset(&mini_dataset()).unwrap();
    db.save_view("mine", &bilateral()).unwrap();
    let mut kit = Kit::on(db, 80, 24);
    edit(&mut kit, &[SaveView]);
    type_in(&mut kit, " padded");
    let Some(Modal::Prompt(p)) = &kit.app.edit.modal else {
        panic!()
    };
    assert!(p.problem().unwrap().contains("is not a usable view name"));
    edit(&mut kit, &[Accept]);
    assert_eq!(kit.app.mode(), Mode::Prompt, "refused");
    kit.act(&[Action::Text(TextEdit::Clear)]);
    type_in(&mut kit, "mine");
    edit(&mut kit, &[Accept]);
    assert_eq!(kit.app.mode(), Mode::Confirm);
    edit(&mut kit, &[No]);
    assert_eq!(kit.app.mode(), Mode::Prompt, "back to the name");
    edit(&mut kit, &[Accept, Yes]);
    assert!(status(&kit).starts_with("view 'mine' replaced"));
    assert_eq!(
        kit.db.view("mine").unwrap().unwrap().filter,
        Filter::default()
    );
}

#[test]
fn the_picker_deletes_a_view_after_asking() {
    let mut db = Db::open_in_memory().unwrap();
    db.insert_dataset(&mini_dataset()).unwrap();
    db.save_view("a", &Filter::default()).unwrap();
    db.save_view("b", &bilateral()).unwrap();
    let mut kit = Kit::on(db, 80, 24);
    edit(&mut kit, &[OpenViews, Down]);
    edit(&mut kit, &[DeleteView]);
    assert_eq!(kit.app.mode(), Mode::Confirm);
    edit(&mut kit, &[Yes]);
    assert_eq!(kit.app.mode(), Mode::Picker, "back to the list");
    assert_eq!(status(&kit), "view 'b' deleted");
    let names: Vec<String> = kit.app.edit.views.iter().map(|v| v.name.clone()).collect();
    assert_eq!(names, ["a"]);
    assert_eq!(kit.db.view("b").unwrap(), None);
    let Some(Modal::Picker(p)) = &kit.app.edit.modal else {
        panic!()
    };
    assert_eq!(p.cursor, 0, "the cursor stays on a row");
    edit(&mut kit, &[Cancel]);
    assert_eq!(kit.app.mode(), Mode::Browse);
}

/// The CLI and the browser share the views table: each sees what the other saved.
#[test]
fn views_travel_between_the_cli_and_the_browser() {
    use crate::cli::{self, Cli};
    use clap::Parser;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("views.db");
    let cli_run = |args: &[&str]| -> String {
        let mut argv = vec!["spacedip", "--db", path.to_str().unwrap()];
        argv.extend_from_slice(args);
        let parsed = Cli::try_parse_from(argv).unwrap();
        let mut out = Vec::new();
        cli::run(&parsed, parsed.command.as_ref().unwrap(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    cli_run(&["list", "--programme", "ILRS", "--save-view", "from-cli"]);

    let mut kit = Kit::on(Db::open(&path).unwrap(), 80, 24);
    edit(&mut kit, &[OpenViews]);
    let screen = kit.screen();
    assert!(
        screen.contains("from-cli") && screen.contains("--programme ILRS"),
        "{screen}"
    );
    edit(&mut kit, &[Cancel]);
    kit.act(&[Action::CycleChannel]);
    edit(&mut kit, &[SaveView]);
    type_in(&mut kit, "from-tui");
    edit(&mut kit, &[Accept]);
    drop(kit);

    let listed = cli_run(&["views"]);
    assert!(listed.contains("from-cli"), "{listed}");
    assert!(
        listed.contains("from-tui") && listed.contains("--channel multilateral"),
        "{listed}"
    );
    let applied = cli_run(&["list", "--view", "from-tui", "--format", "csv"]);
    assert!(applied.lines().count() > 1, "{applied}");
}

#[test]
fn dialogs_swallow_clicks_and_help_describes_them() {
    let mut kit = Kit::mini(80, 24);
    edit(&mut kit, &[AddEvent]);
    kit.act(&[Action::Click(10, 5)]);
    assert_eq!(kit.app.mode(), Mode::Form);
    kit.act(&[Action::ToggleHelp]);
    assert_eq!(kit.app.mode(), Mode::Help);
    assert_eq!(kit.app.mode_under_help(), Mode::Form);
    assert!(kit.screen().contains("Keys · Event form"));
    kit.act(&[Action::ToggleHelp]);
    assert_eq!(kit.app.mode(), Mode::Form);
}

#[test]
fn writes_go_to_the_worker_in_order() {
    let mut kit = Kit::mini(80, 24);
    select(&mut kit, "CSS-06");
    kit.app.update(Action::Edit(DeleteEvent));
    kit.app.update(Action::Edit(Yes));
    kit.app.update(Action::Down);
    kit.app.update(Action::Edit(DeleteEvent));
    kit.app.update(Action::Edit(Yes));
    assert_eq!(
        kit.app.take_writes(),
        [
            WriteJob::DeleteEvent("CSS-06".into()),
            WriteJob::DeleteEvent("CTX-08".into())
        ]
    );
}

/// `o` chooses the table's columns; `S` saves them with the view, and the view brings them
/// back.
#[test]
fn chosen_columns_show_and_travel_with_a_saved_view() {
    use crate::domain::Column;
    let mut kit = Kit::mini(100, 30);
    edit(&mut kit, &[OpenColumns]);
    assert_eq!(kit.app.mode(), Mode::Columns);
    // With none chosen the rows are the columns in vocabulary order, none ticked: tick the
    // title (row 6) and the id (row 0); moving an unticked row (date) changes nothing shown.
    edit(&mut kit, &[Down, Down, Down, Down, Down, Down, Toggle]);
    edit(&mut kit, &[Up, Up, Up, Up, Up, Up, Toggle, Down, MoveUp]);
    edit(&mut kit, &[Accept]);
    assert_eq!(kit.app.columns, [Column::Id, Column::Title]);
    let screen = kit.screen();
    let header = screen.lines().nth(1).unwrap();
    assert!(
        header.contains("ID") && header.contains("Title") && !header.contains("Date"),
        "{header}"
    );
    // Saved with the view, and applied again from the picker.
    edit(&mut kit, &[SaveView]);
    type_in(&mut kit, "ids");
    edit(&mut kit, &[Accept]);
    let saved = kit.db.view("ids").unwrap().unwrap();
    assert_eq!(saved.columns, [Column::Id, Column::Title]);
    edit(&mut kit, &[OpenColumns, Reset]);
    assert!(kit.app.columns.is_empty());
    edit(&mut kit, &[OpenViews, Accept]);
    assert_eq!(kit.app.columns, [Column::Id, Column::Title]);
    // The copied command says so too.
    kit.act(&[Action::CopyCommand]);
    assert!(
        kit.app
            .take_clipboard()
            .is_some_and(|c| c.ends_with("--columns id,title")),
        "the command names the columns"
    );
}

#[test]
fn a_browser_started_without_sources_waits_for_them_where_they_are_needed() {
    // The first frame is drawn on a catalog without its sources; the worker sends the whole
    // catalog after its first answer. Until then nothing that needs a source pretends it is
    // missing, writes an empty bibliography or checks a form against no sources.
    let mut kit = Kit::mini(160, 40);
    let whole = kit.app.catalog.clone();
    kit.app.catalog = kit.db.catalog_without_sources().unwrap().into();
    kit.frame();
    let screen = kit.screen();
    assert!(screen.contains("(reading the sources…)"), "{screen}");
    assert!(!screen.contains("missing from the database"), "{screen}");
    kit.act(&[Action::Edit(AddEvent)]);
    assert!(kit.app.edit.modal.is_none());
    assert_eq!(
        status(&kit),
        "the sources are still being read: try again in a moment"
    );

    kit.app
        .receive(crate::tui::worker::Reply::Catalog(Ok(whole)));
    kit.frame();
    let screen = kit.screen();
    assert!(!screen.contains("reading the sources"), "{screen}");
    kit.act(&[Action::Edit(AddEvent)]);
    assert!(matches!(kit.app.edit.modal, Some(Modal::Form(_))));
}

#[test]
fn a_browser_over_more_sources_than_it_holds_has_them_with_the_rows() {
    // Past the sources a browser holds, the worker sends the rows with the sources they cite:
    // the detail pane cites them, `y` copies a citation, and the form opens, its source ids
    // left to the database to check.
    let mut db = crate::db::Db::open_in_memory().unwrap();
    db.insert_dataset(&super::mini_dataset()).unwrap();
    let catalog = db.catalog_without_sources().unwrap().with_sources_by_row();
    let mut kit = Kit::on_catalog(db, catalog, 160, 40);
    assert!(!kit.app.sources_pending());
    kit.frame();
    let screen = kit.screen();
    assert!(!screen.contains("reading the sources"), "{screen}");
    assert!(!screen.contains("missing from the database"), "{screen}");
    let first = kit.app.selected_event().unwrap().event.sources[0]
        .source
        .clone();
    let whole = kit.db.catalog().unwrap();
    let title = &whole.source(&first).unwrap().title;
    // The citation's start (the pane wraps the rest).
    let start: String = title.chars().take(30).collect();
    assert!(screen.contains(start.as_str()), "{start} in {screen}");
    kit.act(&[Action::CopyCitation]);
    let cite = kit.app.take_clipboard().unwrap();
    assert!(cite.contains(title.as_str()), "{cite}");
    kit.act(&[Action::Edit(AddEvent)]);
    assert!(matches!(kit.app.edit.modal, Some(Modal::Form(_))));
    // A source id the browser has not read is left to the database, which refuses it on
    // saving should it not exist; with the sources held, the form refuses it at once.
    let mut e = kit.app.selected_event().unwrap().event.clone();
    e.sources[0].source = "not-read-here".into();
    let unknown_source = |f: &crate::tui::app::form::Form| {
        f.checked
            .problems
            .iter()
            .any(|p| p.unknown == Some(crate::domain::Unknown::Source))
    };
    assert!(!unknown_source(&crate::tui::app::form::Form::edit(
        &e,
        &kit.app.catalog
    )));
    assert!(unknown_source(&crate::tui::app::form::Form::edit(
        &e, &whole
    )));
}

#[test]
fn sources_that_cannot_be_read_are_reported_not_waited_for() {
    let mut kit = Kit::mini(160, 40);
    kit.app.catalog = kit.db.catalog_without_sources().unwrap().into();
    let failure = crate::tui::worker::QueryFailure::from(crate::Error::Internal("disk".into()));
    kit.app
        .receive(crate::tui::worker::Reply::Catalog(Err(failure)));
    let status = kit.app.status.clone().unwrap();
    assert!(status.error);
    assert!(
        status.text.starts_with("the sources could not be read"),
        "{}",
        status.text
    );
}
