//! `spacedip import`, `history`, `restore`, `delete`, `undo` and saved views through the real
//! binary: exit codes, stdout, stderr, and a database left exactly as it was after a failure.

use std::path::{Path, PathBuf};

use predicates::prelude::*;

const BAD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bad");
const GOOD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/good");
const MINI: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mini");

/// A database made from the seed plus the mini fixtures (so that the ids the fixture files
/// reference exist whatever the seed holds), in a temporary folder.
fn fresh_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    spacedip(&db)
        .args(["import", "--quiet", "--on-conflict", "skip", MINI])
        .assert()
        .success();
    (dir, db)
}

fn spacedip(db: &Path) -> assert_cmd::Command {
    let mut cmd = crate::common::spacedip_on(db);
    cmd.env("USER", "tester");
    cmd
}

/// Every row of every table, history and views included, as text.
fn dump(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let mut out = String::new();
    for t in tables {
        let mut st = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = st.column_count();
        let mut rows: Vec<String> = st
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        rows.sort();
        out.push_str(&format!("## {t}\n{}\n", rows.join("\n")));
    }
    out
}

fn stdout_of(cmd: &mut assert_cmd::Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

#[test]
fn bad_files_are_refused_with_exact_messages_and_the_database_is_unchanged() {
    let (_dir, db) = fresh_db();
    // A first good import, so that history is not empty and must stay as it is.
    spacedip(&db)
        .args(["import", &format!("{GOOD}/bundle.json")])
        .assert()
        .success();
    let table: &[(&str, &[&str])] = &[
        ("bad_date.csv", &["bad_date.csv:2:2 date: '2021-02-30' is not a real calendar date"]),
        ("end_before_date.csv", &["end_before_date.csv:2:3 end_date: 2020-12 is before the date 2021-03-09"]),
        (
            "unknown_refs.csv",
            &[
                "unknown_refs.csv:2:4 programme: unknown programme 'MARS'",
                "unknown_refs.csv:2:10 parties: unknown actor 'ATLANTIS'",
                "unknown_refs.csv:2:11 institutions: unknown institution 'NOWHERE'",
                "unknown_refs.csv:2:12 sources: unknown source 'ghost2020'",
            ],
        ),
        (
            "mixed_endings.csv",
            &["mixed_endings.csv:3 row: mixed line endings: this line ends with LF but line 1 ends with CRLF (usually files joined together); convert the file to one line ending and import again"],
        ),
        (
            "every_problem_at_once.csv",
            &[
                "every_problem_at_once.csv:2:2 date: '2023-02-29' is not a real calendar date",
                "every_problem_at_once.csv:3:3 end_date: 2022 is before the date 2023",
                "every_problem_at_once.csv:3:10 parties: unknown actor 'NOBODY'",
                "every_problem_at_once.csv:3:12 sources: unknown source 'nosrc'",
            ],
        ),
        ("invalid_utf8.csv", &["invalid_utf8.csv:2:7 title: invalid UTF-8 at byte 3 of the field"]),
        (
            "empty.csv",
            &["empty.csv:1 header: empty file: expected a CSV table with a header (such as the events header id,date,end_date,…) or JSON"],
        ),
        ("huge_field.csv", &["huge_field.csv:2:8 summary: field of 70000 bytes is over the limit of 65536"]),
        ("not_csv.png", &["not_csv.png:1 header: not a spacedip file: it holds binary data, not CSV or JSON text"]),
        (
            "wrong_header.csv",
            &["wrong_header.csv:1 header: not a spacedip file: the first line 'id,date,title' is not the header of a spacedip table (events: id,date,end_date,programme,kind,channel,valence,venue,follows,title,summary,notes,parties,institutions,sources; see seed/README.md for the others) and the file is not JSON"],
        ),
        ("duplicate_ids.csv", &["duplicate_ids.csv:3:1 id: duplicate id 'BAD-1' (first at duplicate_ids.csv:2)"]),
        ("no_source.csv", &["no_source.csv:2:12 sources: every event needs at least one source"]),
        (
            "unbalanced_quote.csv",
            &["unbalanced_quote.csv:2 row: expected 12 fields but found 7; a quoted field that starts on this line runs over several lines: is a closing quote missing?"],
        ),
        (
            "bad_vocab.csv",
            &[
                "bad_vocab.csv:2:6 channel: unknown channel 'unilateral' (valid: un_multilateral, multilateral, bilateral, national)",
                "bad_vocab.csv:2:10 parties: unknown role 'boss' (valid: lead, signatory, partner, host, organiser, participant, selected, observer, depositary, witness, subject)",
            ],
        ),
        (
            "release3_events.csv",
            &[
                "release3_events.csv:2:7 valence: unknown valence 'friendly' (valid: cooperation, refusal, withdrawal, obstacle)",
                "release3_events.csv:3:13 parties: unknown certainty 'rumoured' (valid: confirmed, claimed); write a party as ACTOR[:ROLE[:claimed]]",
                "release3_events.csv:4:8 venue: unknown institution 'NOWHERE'",
                "release3_events.csv:4:9 follows: unknown event 'NOPE-1' (follows names the earlier event of the same instrument)",
                "release3_events.csv:5:9 follows: event 'R3-4' cannot follow itself",
                "release3_events.csv:6:9 follows: 'R3-6' leads back to 'R3-5': the links form a cycle",
                "release3_events.csv:7:9 follows: 'R3-5' leads back to 'R3-6': the links form a cycle",
                "release3_events.csv:8:9 follows: 'ILRS-32' is dated 2024-07-18, after this event (2021): an event follows an earlier one",
            ],
        ),
        (
            "release3_institutions.csv",
            &[
                "release3_institutions.csv:2:7 scope: unknown scope 'global' (valid: universal, area)",
                "release3_institutions.csv:3:8 open: unknown open 'maybe' (valid: true, false)",
                "release3_institutions.csv:4:9 legalisation: -1 is not a weight (a number of 0 or more)",
            ],
        ),
        (
            "release3_members.csv",
            &[
                "release3_members.csv:2:4 joined_latest: the latest bound 2023-10 is before the earliest bound 2025-04",
                "release3_members.csv:3:3 joined: is required when joined_latest is set (joined is the earliest bound)",
            ],
        ),
        (
            "cut_in_quote.csv",
            &["cut_in_quote.csv:2 row: a quoted field that starts on this line is never closed: the file ends inside it (was it cut off?)"],
        ),
        ("malformed.json", &["malformed.json:3:24 json: malformed JSON: expected `,` or `}`"]),
        (
            "unknown_key.json",
            &["unknown_key.json:3 record: unknown field `sumary`, expected one of `id`, `date`, `end_date`, `precision`, `programme`, `programme_name`, `kind`, `channel`, `valence`, `venue`, `follows`, `title`, `summary`, `notes`, `parties`, `institutions`, `sources`"],
        ),
        (
            "bundle_bad.json",
            &[
                "bundle_bad.json:3 institution: unknown institution 'NO_SUCH_TREATY'",
                "bundle_bad.json:6 date: '2021-13' is not a real calendar date",
            ],
        ),
        (
            "no_tables",
            &["no_tables: no CSV tables in this folder (expected files such as programmes.csv, actors.csv, institutions.csv, institution_members.csv, sources.csv and events.csv, with the headers of seed/)"],
        ),
    ];
    let listed: Vec<String> = std::fs::read_dir(BAD)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    for f in &listed {
        assert!(
            table.iter().any(|(n, _)| n == f),
            "{f} has no expected error in the table"
        );
    }
    let before = dump(&db);
    for (file, expected) in table {
        let out = spacedip(&db)
            .current_dir(BAD)
            .args(["import", file])
            .assert()
            .code(1)
            .get_output()
            .clone();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        let mut want = format!(
            "spacedip: {} problem(s) found, nothing was written:\n",
            expected.len()
        );
        for line in *expected {
            want.push_str(&format!("  {line}\n"));
        }
        assert_eq!(stderr, want, "{file}");
        assert!(out.stdout.is_empty(), "{file}");
        assert_eq!(dump(&db), before, "{file} changed the database");
    }
    // All at once: every problem of every file, in the order the files were given.
    let out = spacedip(&db)
        .current_dir(BAD)
        .args(["import", "bad_date.csv", "no_source.csv", "--dry-run"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stderr).starts_with(
        "spacedip: 2 problem(s) found, nothing was written:\n  bad_date.csv:2:2 date:"
    ));
    assert_eq!(dump(&db), before);
}

#[test]
fn good_files_land_with_a_report_and_history() {
    let (_dir, db) = fresh_db();
    let before = dump(&db);
    let dry = stdout_of(spacedip(&db).args([
        "import",
        "--dry-run",
        &format!("{GOOD}/quoted_bom_crlf.csv"),
    ]));
    assert_eq!(
        dry,
        "dry run: nothing was written\n2 records read\nwould add: 2 events\n"
    );
    assert_eq!(dump(&db), before, "a dry run wrote");

    let out = stdout_of(spacedip(&db).args(["import", &format!("{GOOD}/quoted_bom_crlf.csv")]));
    assert!(
        out.starts_with("2 records read\nadded: 2 events\nrecorded in history as batch"),
        "{out}"
    );
    let json = stdout_of(spacedip(&db).args(["show", "GOOD-1", "--format", "json"]));
    assert!(
        json.contains(r#""title": "China and Russia, again: the \"ILRS\" memo""#),
        "{json}"
    );
    assert!(json.contains(r#""summary": "A summary over\nseveral lines, with 中国 and Россия.""#));
    let json = stdout_of(spacedip(&db).args(["show", "GOOD-2", "--format", "json"]));
    assert!(
        json.contains(r#""summary": "Windows line break\r\ninside quotes""#),
        "{json}"
    );

    // The same file again: everything unchanged, nothing written.
    let again = stdout_of(spacedip(&db).args(["import", &format!("{GOOD}/quoted_bom_crlf.csv")]));
    assert_eq!(
        again,
        "2 records read\nunchanged: 2 events\nnothing to write\n"
    );

    let out = stdout_of(spacedip(&db).args([
        "import",
        &format!("{GOOD}/bundle.json"),
        &format!("{GOOD}/tables"),
    ]));
    assert!(
        out.contains("added: 2 actors, 2 sources, 2 events"),
        "{out}"
    );
    let history = stdout_of(spacedip(&db).args(["history", "--format", "csv"]));
    assert!(
        history.contains(",tester,import,actor,BUNDLEAG,added"),
        "{history}"
    );
    assert!(
        history.contains(",tester,import,event,GOOD-T1,added"),
        "{history}"
    );
}

#[test]
fn conflicts_fail_by_default_and_can_be_skipped_or_replaced() {
    let (dir, db) = fresh_db();
    spacedip(&db)
        .args(["import", &format!("{GOOD}/quoted_bom_crlf.csv")])
        .assert()
        .success();
    let changed = dir.path().join("changed.csv");
    let csv = stdout_of(spacedip(&db).args(["list", "--search", "id:GOOD", "--format", "csv"]));
    std::fs::write(&changed, csv.replace("Second call", "Second call renamed")).unwrap();
    let before = dump(&db);
    spacedip(&db)
        .arg("import")
        .arg(&changed)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            ":1 id: event 'GOOD-2' already exists in the database with different content (pass --on-conflict skip or --on-conflict replace)",
        ));
    assert_eq!(dump(&db), before);
    let out = stdout_of(
        spacedip(&db)
            .arg("import")
            .arg(&changed)
            .args(["--on-conflict", "skip"]),
    );
    assert!(out.contains("unchanged: 1 event\nskipped (kept as stored, --on-conflict skip): 1 event: event GOOD-2"), "{out}");
    assert_eq!(dump(&db), before);
    let out = stdout_of(
        spacedip(&db)
            .arg("import")
            .arg(&changed)
            .args(["--on-conflict", "replace"]),
    );
    assert!(out.contains("updated: 1 event: event GOOD-2"), "{out}");
    let history = stdout_of(spacedip(&db).args(["history", "GOOD-2", "--format", "csv"]));
    assert!(
        history.ends_with(",tester,import,event,GOOD-2,changed title\n"),
        "{history}"
    );
}

#[test]
fn create_missing_uses_embedded_records_and_lists_them() {
    let (_dir, db) = fresh_db();
    let file = format!("{GOOD}/export.json");
    let before = dump(&db);
    spacedip(&db)
        .args(["import", &file])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("export.json:2 parties: unknown actor 'TESTAG'\n").and(
                predicate::str::contains("export.json:2 sources: unknown source 'test2023'\n"),
            ),
        );
    assert_eq!(dump(&db), before);
    let out = stdout_of(spacedip(&db).args(["import", "--create-missing", &file]));
    assert!(
        out.contains("created (--create-missing): 1 actor, 1 source: actor TESTAG ("),
        "{out}"
    );
    let actors = stdout_of(spacedip(&db).args(["actors", "--format", "csv"]));
    assert!(
        actors.contains("TESTAG,Test Space Agency,space_agency,,CHN,\n"),
        "{actors}"
    );
    // A CSV gives only ids: nothing can be created, and the message says why.
    spacedip(&db)
        .current_dir(BAD)
        .args(["import", "--create-missing", "unknown_refs.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "unknown actor 'ATLANTIS' (--create-missing cannot create it: an actor needs a name and a kind",
        ));
}

#[test]
fn csv_and_json_exports_round_trip_through_import() {
    let (dir, db) = fresh_db();
    spacedip(&db)
        .args([
            "import",
            &format!("{GOOD}/quoted_bom_crlf.csv"),
            &format!("{GOOD}/bundle.json"),
        ])
        .assert()
        .success();
    let csv = stdout_of(spacedip(&db).args(["list", "--format", "csv"]));
    let json = stdout_of(spacedip(&db).args(["list", "--format", "json"]));
    let csv_file = dir.path().join("all.csv");
    let json_file = dir.path().join("all.json");
    std::fs::write(&csv_file, &csv).unwrap();
    std::fs::write(&json_file, &json).unwrap();
    // Into a database that lacks the bundle's actor and source: the JSON carries them.
    let (_dir2, other) = fresh_db();
    spacedip(&other)
        .args(["import", "--on-conflict", "replace", "--create-missing"])
        .arg(&json_file)
        .assert()
        .success();
    assert_eq!(
        stdout_of(spacedip(&other).args(["list", "--format", "csv"])),
        csv
    );
    assert_eq!(
        stdout_of(spacedip(&other).args(["list", "--format", "json"])),
        json
    );
    // And the CSV back into the first one: identical, so nothing changes.
    let out = stdout_of(spacedip(&db).arg("import").arg(&csv_file));
    assert!(out.ends_with("nothing to write\n"), "{out}");
}

#[test]
fn delete_restore_and_undo_on_the_command_line() {
    let (_dir, db) = fresh_db();
    spacedip(&db)
        .args(["import", &format!("{GOOD}/quoted_bom_crlf.csv")])
        .assert()
        .success();
    let shown = stdout_of(spacedip(&db).args(["show", "GOOD-1"]));
    spacedip(&db)
        .args(["delete", "GOOD-1"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("deleted event GOOD-1"));
    spacedip(&db)
        .args(["show", "GOOD-1"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "spacedip: no event with id 'GOOD-1'",
        ));
    spacedip(&db)
        .args(["restore", "GOOD-1"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "restored event GOOD-1 to its state before the latest deletion or overwrite",
        ));
    assert_eq!(stdout_of(spacedip(&db).args(["show", "GOOD-1"])), shown);
    let history = stdout_of(spacedip(&db).args(["history", "GOOD-1"]));
    let ops: Vec<&str> = history
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().nth(4).unwrap())
        .collect();
    assert_eq!(ops, ["import", "delete", "restore"]);
    // As of a time before the import, the event did not exist.
    spacedip(&db)
        .args(["restore", "GOOD-1", "--at", "2000-01-01"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "event 'GOOD-1' did not exist at 2000-01-01T23:59:59.999999Z",
        ));
    spacedip(&db)
        .args(["restore", "GOOD-1", "--at", "yesterday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("'yesterday' is not a time"));
    // Undo the restore: deleted again; undo the deletion: back.
    spacedip(&db).arg("undo").assert().success();
    spacedip(&db).args(["show", "GOOD-1"]).assert().code(1);
    spacedip(&db).arg("undo").assert().success();
    assert_eq!(stdout_of(spacedip(&db).args(["show", "GOOD-1"])), shown);
    spacedip(&db)
        .args(["delete", "NO-SUCH"])
        .assert()
        .code(1)
        .stderr("spacedip: no event with id 'NO-SUCH'\n");
}

#[test]
fn saved_views_apply_with_flags_on_top() {
    let (_dir, db) = fresh_db();
    spacedip(&db)
        .args([
            "list",
            "-p",
            "ILRS",
            "--save-view",
            "ilrs",
            "--format",
            "csv",
        ])
        .assert()
        .success()
        .stderr("spacedip: saved view 'ilrs': --programme ILRS\n");
    let direct =
        stdout_of(spacedip(&db).args(["list", "-p", "ILRS", "-p", "CSS", "--format", "csv"]));
    let via_view =
        stdout_of(spacedip(&db).args(["list", "--view", "ilrs", "-p", "CSS", "--format", "csv"]));
    assert_eq!(direct, via_view);
    let views = stdout_of(spacedip(&db).args(["views", "--format", "csv"]));
    assert!(
        views.starts_with("name,flags,created,updated\nilrs,'--programme ILRS,"),
        "{views}"
    );
    spacedip(&db)
        .args(["list", "--view", "nope"])
        .assert()
        .code(2)
        .stderr("spacedip: unknown view 'nope' (saved views: ilrs)\n");
    spacedip(&db)
        .args(["programmes", "--view", "ilrs", "--format", "csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "\nCSS,China Space Station (Tiangong),0,0,0,0,0\n",
        ));
    spacedip(&db)
        .args(["views", "--delete", "ilrs"])
        .assert()
        .success();
    spacedip(&db)
        .args(["list", "--view", "ilrs"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no views are saved yet"));
}

#[test]
fn import_usage_errors_exit_2() {
    let (_dir, db) = fresh_db();
    spacedip(&db).arg("import").assert().code(2);
    spacedip(&db)
        .args(["import", "--on-conflict", "merge", "x.csv"])
        .assert()
        .code(2);
    spacedip(&db)
        .args(["import", "/no/such/file.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("/no/such/file.csv: cannot read:"));
}

/// The schema's indexes, as SQLite stores them.
fn indexes(db: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut st = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name")
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

/// An events CSV of `n` generated events, enough for a bulk load from 20,000; the row of
/// `bad_at` (line `bad_at + 2`) has a date that does not exist.
fn bulk_csv(prefix: &str, n: usize, bad_at: Option<usize>) -> String {
    let mut csv = String::from(
        "id,date,end_date,programme,kind,channel,valence,venue,follows,title,summary,notes,parties,institutions,sources\n",
    );
    for i in 0..n {
        let date = if Some(i) == bad_at {
            "2021-02-30"
        } else {
            "2021-03-04"
        };
        csv.push_str(&format!(
            "{prefix}-{i:05},{date},,ILRS,mou,bilateral,cooperation,,,{prefix} event {i},A generated event,,CHN:signatory;RUS:signatory,,li2023\n"
        ));
    }
    csv
}

/// A load large enough to set the indexes aside while it writes gets them back, every row
/// in them, and a bad row in the middle of such a file still writes nothing.
#[test]
fn a_bulk_import_rebuilds_its_indexes_and_stays_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bulk.db");
    spacedip(&db).arg("check").assert().success();
    let before = indexes(&db);
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, bulk_csv("BULK", 20_500, Some(10_000))).unwrap();
    let dumped = dump(&db);
    spacedip(&db)
        .args(["import", "--quiet"])
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bad.csv:10002:2"));
    assert_eq!(dump(&db), dumped, "nothing written");

    let good = dir.path().join("good.csv");
    std::fs::write(&good, bulk_csv("BULK", 20_500, None)).unwrap();
    spacedip(&db)
        .args(["import", "--quiet"])
        .arg(&good)
        .assert()
        .success();
    assert_eq!(indexes(&db), before);
    let conn = rusqlite::Connection::open(&db).unwrap();
    // The load went through the rollback journal and left the write-ahead log on again.
    assert_eq!(journal_mode(&conn), "wal");
    assert!(!dir.path().join("bulk.db-journal").exists());
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let indexed: i64 = conn
        .query_row(
            "SELECT count(*) FROM event INDEXED BY event_programme WHERE programme_id = 'ILRS'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(indexed >= 20_500, "{indexed}");
    // The CHECK constraints hold for the next writer.
    let refused = conn.execute(
        "UPDATE event SET kind = 'nonsense' WHERE id = 'BULK-00001'",
        [],
    );
    assert!(refused.is_err());
    spacedip(&db).arg("check").assert().success();
    // The load indexed its own events for search (its triggers set aside, and back above):
    // none waits in `search_pending`, and a search of one of them goes through the index.
    let pending: i64 = conn
        .query_row("SELECT count(*) FROM search_pending", [], |r| r.get(0))
        .unwrap();
    assert_eq!(pending, 0);
    let found = spacedip(&db)
        .args(["list", "--search", "BULK-20499", "--format", "csv"])
        .assert()
        .success();
    let out = String::from_utf8(found.get_output().stdout.clone()).unwrap();
    assert!(out.contains("BULK-20499,"), "{out}");
    let mut opened = spacedip::db::Db::open(&db).unwrap();
    let catalog = opened.catalog().unwrap();
    let filter = spacedip::domain::Filter {
        search: Some("BULK-20499".into()),
        ..Default::default()
    };
    assert!(opened.search_is_narrowed(&filter, &catalog).unwrap());
    assert_eq!(opened.events(&filter, &catalog).unwrap().len(), 1);
    // And the next writer's events go through the triggers again.
    let mut event = opened.events(&filter, &catalog).unwrap().remove(0);
    event.title = "Quokka accord".into();
    opened.update_event(&event).unwrap();
    let filter = spacedip::domain::Filter {
        search: Some("quokka".into()),
        ..Default::default()
    };
    assert_eq!(opened.events(&filter, &catalog).unwrap().len(), 1);
}

fn journal_mode(conn: &rusqlite::Connection) -> String {
    conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap()
}

/// A bulk load writes through the rollback journal only when no other connection has the
/// file open; with one reading (a browser, say), it goes through the log, and the reader
/// keeps reading what was there before until its transaction ends.
#[test]
fn a_bulk_import_beside_an_open_reader_goes_through_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared.db");
    spacedip(&db).arg("check").assert().success();
    let file = dir.path().join("open.csv");
    std::fs::write(&file, bulk_csv("OPEN", 20_100, None)).unwrap();
    let reader = rusqlite::Connection::open(&db).unwrap();
    let count = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row("SELECT count(*) FROM event", [], |r| r.get(0))
            .unwrap()
    };
    // A read transaction open across the whole import, as a browser's query would be.
    reader.execute_batch("BEGIN").unwrap();
    let seeded = count(&reader);
    spacedip(&db)
        .args(["import", "--quiet"])
        .arg(&file)
        .assert()
        .success();
    assert_eq!(count(&reader), seeded, "the reader kept its snapshot");
    reader.execute_batch("COMMIT").unwrap();
    assert_eq!(journal_mode(&reader), "wal");
    assert_eq!(count(&reader), seeded + 20_100);
    drop(reader);
    spacedip(&db).arg("check").assert().success();
}

/// SIGTERM at any moment of a bulk import leaves the database as it was or with the whole
/// file in it, its indexes in place, the log on, and no temporary file or journal: the signal
/// rolls the transaction back before the process ends.
#[test]
fn a_signal_during_a_bulk_import_leaves_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sig.db");
    spacedip(&db).arg("check").assert().success();
    let before_indexes = indexes(&db);
    let file = dir.path().join("sig.csv");
    std::fs::write(&file, bulk_csv("SIG", 20_500, None)).unwrap();
    let count = |db: &Path| -> i64 {
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.query_row("SELECT count(*) FROM event", [], |r| r.get(0))
            .unwrap()
    };
    let seeded = count(&db);
    for delay in [300u64, 900, 1800] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("spacedip"))
            .arg("--db")
            .arg(&db)
            .args(["import", "--quiet", "--on-conflict", "skip"])
            .arg(&file)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let status = child.wait().unwrap();
        {
            use std::os::unix::process::ExitStatusExt;
            assert!(
                status.success() || status.signal() == Some(15),
                "{status:?} at {delay} ms"
            );
        }
        assert!(
            !dir.path().join("sig.db-journal").exists(),
            "a journal left at {delay} ms"
        );
        let n = count(&db);
        assert!(
            n == seeded || n == seeded + 20_500,
            "{n} events after a signal at {delay} ms"
        );
        assert_eq!(indexes(&db), before_indexes, "at {delay} ms");
        let conn = rusqlite::Connection::open(&db).unwrap();
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
        assert_eq!(journal_mode(&conn), "wal", "at {delay} ms");
        let leftovers: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}

/// A selection large enough to be read through a scratch file is read by row id instead
/// where the temporary directory takes no file: `list` and `export` write the same bytes.
#[test]
fn a_large_listing_without_a_temporary_directory_reads_by_row_id() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("large.db");
    let file = dir.path().join("large.csv");
    std::fs::write(&file, bulk_csv("LARGE", 50_000, None)).unwrap();
    spacedip(&db)
        .args(["import", "--quiet"])
        .arg(&file)
        .assert()
        .success();
    let listed = |tmp: Option<&Path>, args: &[&str]| {
        let mut cmd = spacedip(&db);
        if let Some(tmp) = tmp {
            cmd.env("TMPDIR", tmp);
        }
        cmd.args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let missing = dir.path().join("no-such-directory");
    for args in [
        &["list", "--format", "csv"][..],
        &["list", "--format", "json", "--programme", "ILRS"][..],
        &["export", "--format", "ndjson"][..],
    ] {
        let spilled = listed(None, args);
        assert!(spilled.len() > 50_000 * 60, "{args:?}");
        assert_eq!(listed(Some(&missing), args), spilled, "{args:?}");
    }
}
