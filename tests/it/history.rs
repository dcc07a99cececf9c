//! The library's edit API, history, restore, undo and saved views, on in-memory databases
//! holding the mini fixtures.

use spacedip::db::{Db, ImportOptions, Operation};
use spacedip::domain::{Event, Filter, Record, SortKey, SortOrder};
use spacedip::import::Bundle;
use spacedip::progress::Silent;
use spacedip::Error;

use crate::common;

fn event(db: &Db, id: &str) -> Event {
    db.event(id).unwrap().unwrap()
}

fn import_str(db: &mut Db, name: &str, text: &str) -> spacedip::Result<spacedip::db::ImportReport> {
    let mut bundle = Bundle::default();
    let mut problems = Vec::new();
    bundle.read_file(name, text.as_bytes(), &mut problems);
    db.import(bundle, problems, ImportOptions::default(), &Silent)
}

#[test]
fn delete_then_restore_brings_the_event_back_and_records_both() {
    let mut db = common::mini_db();
    let original = event(&db, "ILRS-03");
    db.delete_event("ILRS-03").unwrap();
    assert!(db.event("ILRS-03").unwrap().is_none());
    db.restore("ILRS-03", None).unwrap();
    assert_eq!(event(&db, "ILRS-03"), original);
    let h = db.history(Some("ILRS-03")).unwrap();
    let ops: Vec<Operation> = h.iter().map(|c| c.operation).collect();
    assert_eq!(ops, [Operation::Delete, Operation::Restore]);
    assert_eq!(h[0].before, Some(Record::Event(original.clone())));
    assert_eq!(h[0].after, None);
    assert_eq!(h[1].after, Some(Record::Event(original)));
    // Restoring again: the restore replaced nothing, so the latest replaced state is the one
    // the deletion removed, which is current: nothing to do.
    let err = db.restore("ILRS-03", None).unwrap_err().to_string();
    assert_eq!(err, "event 'ILRS-03' is already in that state");
}

#[test]
fn update_then_restore_at_a_time_brings_back_that_state() {
    let mut db = common::mini_db();
    let original = event(&db, "ILRS-03");
    let mut v2 = original.clone();
    v2.title = "Second title".into();
    db.update_event(&v2).unwrap().unwrap();
    let mut v3 = v2.clone();
    v3.summary = "Third summary".into();
    v3.notes = "Edited".into();
    db.update_event(&v3).unwrap().unwrap();
    // An identical update changes nothing and records nothing.
    assert_eq!(db.update_event(&v3).unwrap(), None);
    let h = db.history(Some("ILRS-03")).unwrap();
    assert_eq!(h.len(), 2);
    // As of the first update: v2.
    let at = chrono::DateTime::parse_from_rfc3339(&h[0].at)
        .unwrap()
        .to_utc();
    db.restore("ILRS-03", Some(at)).unwrap();
    assert_eq!(event(&db, "ILRS-03"), v2);
    // As of before any change: the original.
    let before = at - chrono::Duration::seconds(1);
    db.restore("ILRS-03", Some(before)).unwrap();
    assert_eq!(event(&db, "ILRS-03"), original);
    // Without a time: the state the latest change (that restore) replaced, v2.
    db.restore("ILRS-03", None).unwrap();
    assert_eq!(event(&db, "ILRS-03"), v2);
    // Restore a given change: the state before change h[1] (the second update) is v2 too.
    db.update_event(&v3).unwrap();
    db.restore_change(h[1].id).unwrap();
    assert_eq!(event(&db, "ILRS-03"), v2);
}

#[test]
fn restore_fails_clearly_when_references_are_gone() {
    let mut db = common::mini_db();
    let report = import_str(
        &mut db,
        "actors.csv",
        "id,name,kind,iso3,country,aliases\nTESTAG,Test Agency,space_agency,,CHN,\n",
    )
    .unwrap();
    let actor_batch = report.batch.unwrap();
    let mut e = event(&db, "ILRS-03");
    e.id = "NEW-1".into();
    e.parties.push(spacedip::domain::Party {
        actor: "TESTAG".into(),
        role: spacedip::domain::Role::Partner,
        certainty: Default::default(),
    });
    db.insert_event(&e).unwrap();
    db.delete_event("NEW-1").unwrap();
    // Undoing the import removes the actor (no event uses it any more).
    db.undo(actor_batch).unwrap();
    let err = db.restore("NEW-1", None).unwrap_err().to_string();
    assert_eq!(
        err,
        "cannot restore event 'NEW-1': parties: unknown actor 'TESTAG' (restore or import them first)"
    );
    assert!(db.event("NEW-1").unwrap().is_none());
}

#[test]
fn edits_are_validated_with_the_import_rules() {
    let mut db = common::mini_db();
    let mut e = event(&db, "ILRS-03");
    e.id = "NEW-2".into();
    e.end_date = Some("2020".parse().unwrap());
    e.sources.clear();
    e.institutions.push("NOWHERE".into());
    let problems = db.check_event(&e).unwrap();
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["end_date", "institutions", "sources"]);
    let err = db.insert_event(&e).unwrap_err();
    assert!(matches!(err, Error::InvalidEvent { .. }));
    assert_eq!(
        err.to_string(),
        "event 'NEW-2' is invalid: end_date: 2020 is before the date 2021-03-09; \
         institutions: unknown institution 'NOWHERE'; sources: every event needs at least one source"
    );
    let taken = event(&db, "ILRS-03");
    assert_eq!(
        db.insert_event(&taken).unwrap_err().to_string(),
        "an event with id 'ILRS-03' already exists"
    );
    assert_eq!(db.count_history().unwrap(), 0);
}

#[test]
fn undo_reverts_a_batch_and_never_overwrites_later_work() {
    let mut db = common::mini_db();
    let original = event(&db, "CSS-06");
    let mut edited = original.clone();
    edited.title = "Edited".into();
    let b1 = db.update_event(&edited).unwrap().unwrap();
    let mut again = edited.clone();
    again.notes = "Later".into();
    db.update_event(&again).unwrap();
    let err = db.undo(b1).unwrap_err().to_string();
    assert!(
        err.starts_with("cannot undo batch 1: event 'CSS-06' has changed since"),
        "{err}"
    );
    // The latest first: back to `edited`, then to the original.
    db.undo(db.last_undoable().unwrap().unwrap()).unwrap();
    assert_eq!(event(&db, "CSS-06"), edited);
    db.undo(db.last_undoable().unwrap().unwrap()).unwrap();
    assert_eq!(event(&db, "CSS-06"), original);
    assert_eq!(db.last_undoable().unwrap(), None);
    assert!(db
        .undo(b1)
        .unwrap_err()
        .to_string()
        .starts_with("change batch 1 was already undone"));
    let undos = db
        .history(None)
        .unwrap()
        .into_iter()
        .filter(|c| c.operation == Operation::Undo)
        .count();
    assert_eq!(undos, 2);
}

#[test]
fn undo_of_an_import_removes_everything_it_added() {
    let mut db = common::mini_db();
    let before_events = db.count_events().unwrap();
    let before_actors = db.catalog().unwrap().actors.len();
    let text = r#"{"actors": [{"id": "NEWAG", "name": "New Agency", "kind": "space_agency"}],
 "sources": [{"id": "new2024", "type": "webpage", "title": "New", "url": "https://example.org"}],
 "events": [{"id": "NEW-9", "date": "2024", "programme": "ILRS", "kind": "mou",
             "channel": "bilateral", "title": "New", "parties": [{"actor": "NEWAG"}],
             "sources": [{"id": "new2024"}]}]}"#;
    let report = import_str(&mut db, "b.json", text).unwrap();
    assert_eq!(report.entries.len(), 3);
    assert_eq!(db.count_events().unwrap(), before_events + 1);
    db.undo(report.batch.unwrap()).unwrap();
    assert_eq!(db.count_events().unwrap(), before_events);
    assert_eq!(db.catalog().unwrap().actors.len(), before_actors);
    assert!(db.catalog().unwrap().source("new2024").is_none());
}

#[test]
fn a_failed_import_changes_nothing() {
    let mut db = common::mini_db();
    let mut e = event(&db, "CSS-06");
    e.title = "Changed".into();
    db.update_event(&e).unwrap();
    let events = db
        .events(&Filter::default(), &db.catalog().unwrap())
        .unwrap();
    let history = db.history(None).unwrap();
    let text = "id,date,end_date,programme,kind,channel,title,summary,notes,parties,institutions,sources\n\
                OK-1,2021,,ILRS,mou,bilateral,Fine,,,CHN,,govcn2021\n\
                BAD-1,2021,,ILRS,mou,bilateral,Bad,,,GHOST,,govcn2021\n";
    let err = import_str(&mut db, "e.csv", text).unwrap_err().to_string();
    assert_eq!(
        err,
        "1 problem(s) found, nothing was written:\n  e.csv:3:10 parties: unknown actor 'GHOST'"
    );
    assert_eq!(
        db.events(&Filter::default(), &db.catalog().unwrap())
            .unwrap(),
        events
    );
    assert_eq!(db.history(None).unwrap(), history);
}

#[test]
fn views_are_saved_listed_applied_and_deleted() {
    let mut db = common::mini_db();
    let f = Filter {
        programmes: vec!["ILRS".into()],
        search: Some("moon".into()),
        sort: SortKey::Title,
        order: SortOrder::Desc,
        ..Filter::default()
    };
    assert!(!db.save_view("lunar", &f).unwrap());
    assert!(db.save_view("lunar", &f).unwrap());
    assert_eq!(db.view("lunar").unwrap().unwrap().filter, f);
    assert_eq!(db.views().unwrap().len(), 1);
    assert!(db.save_view(" padded", &f).is_err());
    assert!(db.delete_view("lunar").unwrap());
    assert!(!db.delete_view("lunar").unwrap());
}

#[test]
fn undo_refuses_clearly_when_later_records_depend_on_the_batch() {
    let mut db = common::mini_db();
    let bundle = r#"{"actors": [{"id": "NEWAG", "name": "New Agency", "kind": "space_agency"}],
 "sources": [{"id": "new2024", "type": "webpage", "title": "New", "url": "https://example.org"}]}"#;
    let first = import_str(&mut db, "refs.json", bundle)
        .unwrap()
        .batch
        .unwrap();
    let events = "id,date,end_date,programme,kind,channel,title,summary,notes,parties,institutions,sources\n\
                  USES-1,2024,,ILRS,mou,bilateral,Uses them,,,NEWAG,,new2024\n";
    import_str(&mut db, "e.csv", events).unwrap();
    let err = db.undo(first).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!("cannot undo batch {first}: records added later")),
        "{err}"
    );
    assert!(
        db.catalog().unwrap().actor("NEWAG").is_some(),
        "nothing was undone"
    );
}

#[test]
fn a_followed_event_cannot_be_deleted_nor_moved_after_its_follower() {
    let mut db = common::mini_db();
    let mut later = event(&db, "ILRS-03");
    later.id = "ILRS-03-R".into();
    later.date = "2022".parse().unwrap();
    later.follows = Some("ILRS-03".into());
    db.insert_event(&later).unwrap();
    let before = db.history(None).unwrap().len();
    let err = db.delete_event("ILRS-03").unwrap_err().to_string();
    assert_eq!(
        err,
        "refused, nothing was changed: ILRS-03-R follows ILRS-03, which would no longer exist \
         (change or clear those follows links first)"
    );
    let mut moved = event(&db, "ILRS-03");
    moved.date = "2024".parse().unwrap();
    let err = db.update_event(&moved).unwrap_err().to_string();
    assert!(
        err.contains("ILRS-03-R follows ILRS-03, which would be dated after it"),
        "{err}"
    );
    assert!(db.event("ILRS-03").unwrap().is_some());
    assert_eq!(db.history(None).unwrap().len(), before, "nothing recorded");
    // A follows link to a missing or later event is refused when it is written, too.
    let mut bad = later.clone();
    bad.id = "ILRS-03-S".into();
    bad.follows = Some("NOPE".into());
    let err = db.insert_event(&bad).unwrap_err().to_string();
    assert!(err.contains("unknown event 'NOPE'"), "{err}");
}

#[test]
fn an_imported_record_is_read_back_from_its_next_change_or_the_table() {
    // An import leaves the records it writes out of its history rows; `history`, `restore`
    // and undo read them back from the next change of each, or from the table.
    let mut db = common::mini_db();
    let original = event(&db, "ILRS-03");
    let header = "id,date,end_date,programme,kind,channel,title,summary,notes,parties,institutions,sources\n";
    let text = format!(
        "{header}NEW-1,2021,,ILRS,mou,bilateral,As imported,,,CHN,,govcn2021\n\
         ILRS-03,2021-03-09,,ILRS,mou,bilateral,Replaced by an import,,,CHN:signatory;RUS:signatory,,govcn2021\n"
    );
    let mut bundle = Bundle::default();
    let mut problems = Vec::new();
    bundle.read_file("e.csv", text.as_bytes(), &mut problems);
    let options = ImportOptions {
        on_conflict: spacedip::db::OnConflict::Replace,
        ..ImportOptions::default()
    };
    let report = db.import(bundle, problems, options, &Silent).unwrap();
    let imported = event(&db, "NEW-1");
    let replaced = event(&db, "ILRS-03");

    // Nothing changed since: the record as it is now.
    let h = db.history(Some("NEW-1")).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].operation, Operation::Import);
    assert_eq!(h[0].before, None);
    assert_eq!(h[0].after, Some(Record::Event(imported.clone())));
    let h = db.history(Some("ILRS-03")).unwrap();
    assert_eq!(h[0].before, Some(Record::Event(original.clone())));
    assert_eq!(h[0].after, Some(Record::Event(replaced.clone())));

    // Edited since: the edit's `before`, which is the record as imported.
    let mut edited = imported.clone();
    edited.title = "Edited after the import".into();
    db.update_event(&edited).unwrap().unwrap();
    let h = db.history(Some("NEW-1")).unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[0].after, Some(Record::Event(imported.clone())));
    assert_eq!(h[1].before, h[0].after);
    let import_change = db.change(h[0].id).unwrap().unwrap();
    assert_eq!(import_change.after, Some(Record::Event(imported.clone())));

    // Every version stays restorable: back to the state as imported.
    db.restore_change(h[1].id).unwrap();
    assert_eq!(event(&db, "NEW-1"), imported);

    // Deleted since: the deletion's `before`.
    db.delete_event("ILRS-03").unwrap();
    let h = db.history(Some("ILRS-03")).unwrap();
    assert_eq!(h[0].after, Some(Record::Event(replaced.clone())));
    db.restore("ILRS-03", None).unwrap();
    assert_eq!(event(&db, "ILRS-03"), replaced);

    // Both records are as the import wrote them again, so its undo would go through; an
    // edit kept since makes it refuse, as with any batch.
    let mut later = imported.clone();
    later.notes = "Kept".into();
    db.update_event(&later).unwrap().unwrap();
    let err = db.undo(report.batch.unwrap()).unwrap_err().to_string();
    assert!(err.contains("'NEW-1' has changed since"), "{err}");
    db.undo(db.last_undoable().unwrap().unwrap()).unwrap();
    assert_eq!(event(&db, "NEW-1"), imported);
    db.undo(report.batch.unwrap()).unwrap();
    assert!(db.event("NEW-1").unwrap().is_none());
    assert_eq!(event(&db, "ILRS-03"), original);
}

#[test]
fn a_membership_removed_with_its_institution_leaves_the_history_readable() {
    // Undoing an institution's import removes its memberships through the database's cascade,
    // which no history row records: memberships therefore keep their JSON in history, and
    // the listing stays readable.
    let mut db = common::mini_db();
    let institution = "id,name,kind,in_force,ended,issue_areas,url,description\n\
                       NEWFORUM,New Forum,forum,2020,,lunar,,A forum.\n";
    let first = import_str(&mut db, "institutions.csv", institution).unwrap();
    let membership = "institution,actor,joined,left\nNEWFORUM,CHN,2021,\n";
    let second = import_str(&mut db, "institution_members.csv", membership).unwrap();
    db.undo(first.batch.unwrap()).unwrap();
    let history = db.history(None).unwrap();
    let joined = history
        .iter()
        .find(|c| c.batch == second.batch.unwrap())
        .unwrap();
    assert!(matches!(joined.after, Some(Record::Membership(_))));
    assert!(db
        .catalog()
        .unwrap()
        .memberships
        .iter()
        .all(|m| m.institution != "NEWFORUM"));
}
