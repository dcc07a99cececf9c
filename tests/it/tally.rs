//! The running tally `stats` reads: kept equal to a count from the events by every write,
//! counted by the migration that creates it, giving the figures of the events under every
//! coding rule, and checked and counted again by `check` after another program's writes.

use assert_cmd::Command;
use tempfile::TempDir;

use spacedip::db::{Db, ImportOptions};
use spacedip::domain::{Certainty, Filter, Instrument, Kind, Party, Role, Tally, Valence};
use spacedip::import::Bundle;
use spacedip::metrics::decision::channel_defining;
use spacedip::metrics::{Rules, Summary};
use spacedip::progress::Silent;

fn counted(db: &Db) -> Tally {
    let catalog = db.catalog().unwrap();
    Tally::of(&db.coded_events(&Filter::default(), &catalog).unwrap())
}

fn assert_agrees(db: &Db, after: &str) {
    let stored = db.stored_tally().unwrap();
    assert_eq!(stored, counted(db), "after {after}");
    assert!(db.tally_agrees().unwrap(), "after {after}");
}

/// Asserts that each programme's first instrument read from the database is the one the
/// rule finds over the events; returns how many programmes have one.
fn assert_first_instruments(db: &Db) -> usize {
    let catalog = db.catalog().unwrap();
    let events = db.coded_events(&Filter::default(), &catalog).unwrap();
    let mut found = 0;
    for p in &catalog.programmes {
        let expected = channel_defining(&catalog, &events, &p.id).map(Instrument::of);
        let read = db.first_instrument(&catalog, &p.id).unwrap();
        assert_eq!(read, expected, "{}", p.id);
        found += usize::from(expected.is_some());
    }
    found
}

#[test]
fn every_write_keeps_the_tally_equal_to_a_count_of_the_events() {
    let mut db = Db::open_seeded_in_memory().unwrap();
    assert_agrees(&db, "seeding");
    let catalog = db.catalog().unwrap();
    let events = db.coded_events(&Filter::default(), &catalog).unwrap();
    // One that no event follows, so that it can be deleted.
    let first = events
        .iter()
        .find(|e| db.followers(&e.id).unwrap().is_empty())
        .unwrap();
    let mut e = db.event(&first.id).unwrap().unwrap();
    e.valence = Valence::Refusal;
    e.kind = Kind::Mou;
    e.parties.push(Party {
        actor: "RUS".into(),
        role: Role::Selected,
        certainty: Certainty::Claimed,
    });
    db.update_event(&e).unwrap();
    assert_agrees(&db, "an update");
    let undo = db.last_undoable().unwrap().unwrap();
    db.undo(undo).unwrap();
    assert_agrees(&db, "an undo");
    db.delete_event(&e.id).unwrap();
    assert_agrees(&db, "a deletion");
    db.restore(&e.id, None).unwrap();
    assert_agrees(&db, "a restore");
    let mut copy = db.event(&e.id).unwrap().unwrap();
    copy.id = "COPY-1".into();
    db.insert_event(&copy).unwrap();
    assert_agrees(&db, "an insertion");
    let csv = format!(
        "id,date,end_date,programme,kind,channel,valence,venue,follows,title,summary,notes,\
         parties,institutions,sources\n\
         NEW-1,2024-05,,ILRS,agreement,bilateral,,,,A new agreement,,,\
         CHN;RUS:signatory:claimed,,{}\n",
        copy.sources[0].source
    );
    let mut bundle = Bundle::default();
    let mut problems = Vec::new();
    bundle.read_file("new.csv", csv.as_bytes(), &mut problems);
    db.import(bundle, problems, ImportOptions::default(), &Silent)
        .unwrap();
    assert_agrees(&db, "an import");
    assert!(db.event("NEW-1").unwrap().is_some());
}

#[test]
fn the_tally_as_each_rule_reads_it_gives_the_figures_of_the_events() {
    let db = Db::open_seeded_in_memory().unwrap();
    let catalog = db.catalog().unwrap();
    let events = db.coded_events(&Filter::default(), &catalog).unwrap();
    let t = spacedip::metrics::reference_year(&events);
    for (name, rules) in Rules::NAMED {
        let tally = db.tally(&[], rules.required()).unwrap();
        for p in &catalog.programmes {
            assert_eq!(
                Summary::from_tally(&tally, &catalog, p, t, &rules),
                Summary::compute_with(&events, &catalog, p, t, &rules),
                "{} under {name}",
                p.id
            );
        }
    }
}

#[test]
fn the_first_instrument_read_from_the_database_is_the_rule_s() {
    let db = Db::open_seeded_in_memory().unwrap();
    let found = assert_first_instruments(&db);
    assert!(found >= 4, "the seed's main programmes have instruments");
}

fn spacedip(dir: &TempDir) -> Command {
    crate::common::spacedip_on(&dir.path().join("t.db"))
}

fn stats(dir: &TempDir, extra: &[&str]) -> String {
    let out = spacedip(dir)
        .args(["stats", "--format", "json"])
        .args(extra)
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// Every valence named: the same events as no filter, but not a whole-programme selection,
/// so `stats` counts over the events.
const OVER_EVENTS: [&str; 8] = [
    "--valence",
    "cooperation",
    "--valence",
    "refusal",
    "--valence",
    "withdrawal",
    "--valence",
    "obstacle",
];

#[test]
fn stats_from_the_tally_equals_stats_over_the_events() {
    let dir = TempDir::new().unwrap();
    assert_eq!(stats(&dir, &[]), stats(&dir, &OVER_EVENTS));
    let two = ["-p", "ILRS", "-p", "css", "--decision-year", "ILRS=2019"];
    let over: Vec<&str> = two.iter().chain(OVER_EVENTS.iter()).copied().collect();
    assert_eq!(stats(&dir, &two), stats(&dir, &over));
}

fn run(dir: &TempDir, args: &[&str]) -> String {
    let out = spacedip(dir).args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn compare_from_the_tally_equals_compare_over_the_events() {
    let dir = TempDir::new().unwrap();
    for format in ["json", "table", "csv"] {
        let pair = ["compare", "CSS", "ILRS", "--format", format];
        let over: Vec<&str> = pair.iter().chain(OVER_EVENTS.iter()).copied().collect();
        assert_eq!(run(&dir, &pair), run(&dir, &over), "{format}");
    }
    let set = [
        "compare",
        "ARTEMIS",
        "ILRS",
        "--decision-year",
        "ILRS=2018",
        "--format",
        "json",
    ];
    let over: Vec<&str> = set.iter().chain(OVER_EVENTS.iter()).copied().collect();
    let json = run(&dir, &set);
    assert_eq!(json, run(&dir, &over));
    assert!(
        json.contains("\"claims\"") && json.contains("2018"),
        "{json}"
    );
}

#[test]
fn writes_by_another_program_are_caught_and_counted_again() {
    let dir = TempDir::new().unwrap();
    let whole = stats(&dir, &[]);
    let path = dir.path().join("t.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    // An update in place keeps the number of events: only `check` sees it.
    conn.execute(
        "UPDATE event SET valence = 'refusal' WHERE id = (SELECT min(id) FROM event WHERE valence = 'cooperation')",
        [],
    )
    .unwrap();
    let out = spacedip(&dir).arg("check").assert().code(1);
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        text.contains("tally") && text.contains("--recount"),
        "{text}"
    );
    // An event moved to a year the tally never counted: an edit that moves it again cannot
    // take its old state away, so it is refused, whole, naming the way out.
    let moved: String = conn
        .query_row(
            "UPDATE event SET date_start = '1901', date_end = NULL
             WHERE id = (SELECT min(id) FROM event WHERE follows IS NULL
                         AND id NOT IN (SELECT follows FROM event WHERE follows IS NOT NULL))
             RETURNING id",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut db = Db::open(&path).unwrap();
    let mut e = db.event(&moved).unwrap().unwrap();
    e.title.push_str(" (edited)");
    // A title alone changes no count; a date does.
    assert!(db.update_event(&e).is_ok());
    e.date = "2020".parse().unwrap();
    let err = db.update_event(&e).unwrap_err().to_string();
    assert!(err.contains("check --recount"), "{err}");
    assert_eq!(db.event(&moved).unwrap().unwrap().date.year_value(), 1901);
    spacedip(&dir)
        .args(["check", "--recount"])
        .assert()
        .success();
    db.update_event(&e).unwrap();
    drop(db);
    assert_eq!(stats(&dir, &[]), stats(&dir, &OVER_EVENTS));
    assert_ne!(stats(&dir, &[]), whole);
    // A deletion changes the number of events: `stats` sees it, counts over the events and
    // says so, with the way out.
    conn.execute(
        "DELETE FROM event WHERE id = (SELECT max(id) FROM event)",
        [],
    )
    .unwrap();
    drop(conn);
    assert_eq!(stats(&dir, &[]), stats(&dir, &OVER_EVENTS));
    spacedip(&dir)
        .arg("stats")
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "does not count the events stored",
        ))
        .stderr(predicates::str::contains("check --recount"));
}

/// Makes the database at `path` one of schema 5, the last without a tally: its next opening
/// counts the tally in SQL (migration 6).
fn as_of_schema_5(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "DROP TABLE tally_channel; DROP TABLE tally_web;
         DROP TRIGGER search_pending_insert; DROP TRIGGER search_pending_update;
         DROP TABLE search_token; DROP TABLE search_vocabulary; DROP TABLE search_pending;
         PRAGMA user_version = 5;",
    )
    .unwrap();
}

#[test]
fn a_database_of_the_last_release_gets_its_tally_counted() {
    let dir = TempDir::new().unwrap();
    spacedip(&dir).arg("init").assert().success();
    let path = dir.path().join("t.db");
    as_of_schema_5(&path);
    let db = Db::open(&path).unwrap();
    assert!(db.tally_agrees().unwrap());
    assert!(!db.stored_tally().unwrap().ties.is_empty());
    // The search index is made by the same migrations, and a search goes through it.
    assert_eq!(db.check().unwrap(), Vec::new());
    let catalog = db.catalog().unwrap();
    let filter = Filter {
        search: Some("roscosmos".into()),
        ..Filter::default()
    };
    assert!(db.search_is_narrowed(&filter, &catalog).unwrap());
    assert!(!db.events(&filter, &catalog).unwrap().is_empty());
}

#[test]
fn programmes_from_the_tally_equals_programmes_over_the_events() {
    let dir = TempDir::new().unwrap();
    for format in ["json", "table", "csv"] {
        for chosen in [&[][..], &["-p", "ILRS", "-p", "CSS"][..]] {
            let args: Vec<&str> = ["programmes", "--format", format]
                .iter()
                .chain(chosen)
                .copied()
                .collect();
            let over: Vec<&str> = args.iter().chain(OVER_EVENTS.iter()).copied().collect();
            assert_eq!(run(&dir, &args), run(&dir, &over), "{format} {chosen:?}");
        }
    }
}

/// One event of every kind, valence and channel (with a claimed, a selected and a subject
/// party), written through spacedip, then counted again by the migration's SQL: both counts
/// agree with `Tally::of`, and the first instrument read from the database is the rule's.
#[test]
fn every_kind_valence_and_channel_counts_alike_in_sql_and_in_rust() {
    let dir = TempDir::new().unwrap();
    spacedip(&dir).arg("init").assert().success();
    let path = dir.path().join("t.db");
    let mut db = Db::open(&path).unwrap();
    let catalog = db.catalog().unwrap();
    let events = db.coded_events(&Filter::default(), &catalog).unwrap();
    let model = db.event(&events[0].id).unwrap().unwrap();
    for (k, kind) in Kind::ALL.iter().enumerate() {
        for (v, valence) in Valence::ALL.iter().enumerate() {
            for (c, channel) in spacedip::domain::Channel::ALL.iter().enumerate() {
                let mut e = model.clone();
                e.id = format!("GRID-{k}-{v}-{c}");
                e.kind = *kind;
                e.valence = *valence;
                e.channel = *channel;
                e.follows = None;
                e.date = format!("{}-0{}", 1990 + k, 1 + v).parse().unwrap();
                e.end_date = None;
                e.parties.retain(|p| p.actor != "RUS" && p.actor != "USA");
                e.parties.push(Party {
                    actor: "RUS".into(),
                    role: Role::Selected,
                    certainty: Certainty::Claimed,
                });
                e.parties.push(Party {
                    actor: "USA".into(),
                    role: Role::Subject,
                    certainty: Certainty::Confirmed,
                });
                db.insert_event(&e).unwrap();
            }
        }
    }
    assert!(db.tally_agrees().unwrap(), "counted in Rust");
    assert_first_instruments(&db);
    drop(db);
    as_of_schema_5(&path);
    assert!(
        Db::open(&path).unwrap().tally_agrees().unwrap(),
        "counted in SQL"
    );
}

/// A packed row of the tally that does not follow its layout (cut short by another program
/// here) is named as damaged, with the way out, and never read past: `stats` and `compare`
/// say so and count over the events (the same figures), `check` reports it, an edit that
/// would change it is refused whole, and `check --recount` counts the tally again.
#[test]
fn a_damaged_packed_tally_is_reported_and_counted_again() {
    let dir = TempDir::new().unwrap();
    let whole = stats(&dir, &[]);
    let pair = run(&dir, &["compare", "CSS", "ILRS", "--format", "json"]);
    let path = dir.path().join("t.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    // Text that is not UTF-8 where the actors are (CSS), a tie cut short (ILRS).
    conn.execute_batch(
        "UPDATE tally_web SET actors = CAST(x'ff' AS TEXT) WHERE programme_id = 'CSS';
         UPDATE tally_web SET ties = substr(ties, 1, length(ties) - 5)
         WHERE programme_id = 'ILRS' AND length(ties) > 12;",
    )
    .unwrap();
    for (args, expected) in [
        (&["stats", "--format", "json"][..], &whole),
        (&["compare", "CSS", "ILRS", "--format", "json"][..], &pair),
    ] {
        let out = spacedip(&dir).args(args).assert().success();
        let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(
            err.contains("programme 'CSS' is damaged")
                && err.contains("check --recount")
                && err.contains("counted over every event instead"),
            "{err}"
        );
        assert_eq!(
            &String::from_utf8(out.get_output().stdout.clone()).unwrap(),
            expected
        );
    }
    let out = spacedip(&dir).arg("check").assert().failure();
    let all = String::from_utf8(out.get_output().stdout.clone()).unwrap()
        + &String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(all.contains("damaged"), "{all}");
    // An edit of an ILRS event reads the damaged row to change it: refused, nothing written.
    let mut db = Db::open(&path).unwrap();
    let catalog = db.catalog().unwrap();
    let filter = Filter {
        programmes: vec!["ILRS".into()],
        ..Filter::default()
    };
    let id = db.coded_events(&filter, &catalog).unwrap()[0].id.clone();
    let mut e = db.event(&id).unwrap().unwrap();
    e.valence = Valence::Refusal;
    let err = db.update_event(&e).unwrap_err().to_string();
    assert!(err.contains("damaged"), "{err}");
    assert_ne!(db.event(&id).unwrap().unwrap().valence, Valence::Refusal);
    drop(db);
    spacedip(&dir)
        .args(["check", "--recount"])
        .assert()
        .success();
    spacedip(&dir).arg("check").assert().success();
    assert_eq!(stats(&dir, &[]), whole);
}
