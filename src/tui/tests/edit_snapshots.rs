//! Snapshots of the editing dialogs at 80×24 and 160×48 on the fixture data: the event form
//! (new and edit, with problems shown), the delete question, the save-view prompt and the
//! view picker.

use super::{mini_dataset, Kit};
use crate::db::Db;
use crate::domain::{ChannelFilter, Filter, SortKey, SortOrder};
use crate::tui::action::Edit::{self, *};
use crate::tui::action::TextEdit;
use crate::tui::Action;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

/// A step of a scenario: an action, or text typed into the open dialog.
enum Step<'a> {
    Do(Action),
    Ed(Edit),
    Type(&'a str),
}

use Step::{Do, Ed, Type};

fn run(kit: &mut Kit, steps: &[Step]) {
    for s in steps {
        match s {
            Do(a) => {
                kit.act(&[*a]);
            }
            Ed(e) => {
                kit.act(&[Action::Edit(*e)]);
            }
            Type(text) => {
                for c in text.chars() {
                    kit.app.update(Action::Text(TextEdit::Input(c)));
                }
                kit.pump();
            }
        }
    }
}

fn snap_on(name: &str, make: impl Fn(u16, u16) -> Kit, steps: &[Step]) {
    for (w, h) in SIZES {
        let mut kit = make(w, h);
        run(&mut kit, steps);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), kit.draw().backend());
    }
}

fn snap(name: &str, steps: &[Step]) {
    snap_on(name, Kit::mini, steps);
}

/// The fixture with two saved views.
fn with_views(w: u16, h: u16) -> Kit {
    let mut db = Db::open_in_memory().unwrap();
    db.insert_dataset(&mini_dataset()).unwrap();
    let lunar = Filter {
        programmes: vec!["ILRS".into()],
        channels: vec![ChannelFilter::Bilateral],
        search: Some("moon base".into()),
        sort: SortKey::Title,
        order: SortOrder::Desc,
        ..Filter::default()
    };
    db.save_view("ILRS bilateral", &lunar).unwrap();
    db.save_view("everything", &Filter::default()).unwrap();
    Kit::on(db, w, h)
}

#[test]
fn new_event_form_with_a_bad_date() {
    snap(
        "form_new",
        &[
            Ed(AddEvent),
            Type("ILRS-20"),
            Ed(NextField),
            Type("2021-02-30"),
            Ed(NextField),
        ],
    );
}

#[test]
fn edit_form_with_an_unknown_partner_and_suggestions() {
    snap(
        "form_edit",
        &[
            Do(Action::Down),
            Do(Action::Down),
            Ed(EditEvent),
            Ed(PrevField),
            Ed(PrevField),
            Ed(PrevField),
            Type(";M"),
        ],
    );
}

#[test]
fn form_cycling_kinds() {
    snap(
        "form_kinds",
        &[
            Ed(AddEvent),
            Ed(NextField),
            Ed(NextField),
            Ed(NextField),
            Ed(NextField),
            Ed(NextValue),
            Ed(NextValue),
        ],
    );
}

#[test]
fn delete_confirmation() {
    snap(
        "delete_confirm",
        &[Do(Action::Down), Do(Action::Down), Ed(DeleteEvent)],
    );
}

#[test]
fn save_view_prompt() {
    snap_on(
        "save_view_prompt",
        with_views,
        &[
            Do(Action::CycleChannel),
            Do(Action::CycleChannel),
            Do(Action::CycleChannel),
            Ed(SaveView),
            Type("bilateral only"),
        ],
    );
}

#[test]
fn view_picker() {
    snap_on("view_picker", with_views, &[Ed(OpenViews), Ed(Down)]);
}

#[test]
fn view_picker_empty() {
    snap("view_picker_empty", &[Ed(OpenViews)]);
}
