//! The CLI through the real binary: exit codes, stdout, and stderr on bad input.

use assert_cmd::cargo::cargo_bin_cmd;
use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

/// A command on a fresh database inside its own temp dir.
fn spacedip(dir: &TempDir) -> Command {
    crate::common::spacedip_on(&dir.path().join("test.db"))
}

fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

/// Rows of a CSV listing as (id, date, end_date, programme, kind, channel).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    r.records()
        .map(|row| row.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// `list --db path` is refused with exit 1 and one line containing `message`, and the file
/// keeps every byte.
fn assert_refused_untouched(path: &std::path::Path, message: &str) {
    let before = std::fs::read(path).unwrap();
    cargo_bin_cmd!("spacedip")
        .arg("--db")
        .arg(path)
        .arg("list")
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains(message).and(predicate::str::is_match("^[^\n]*\n$").unwrap()),
        );
    assert_eq!(
        std::fs::read(path).unwrap(),
        before,
        "{} was modified",
        path.display()
    );
}

#[test]
fn list_on_a_fresh_database_shows_the_seed() {
    let dir = TempDir::new().unwrap();
    let out = stdout_of(spacedip(&dir).arg("list"));
    assert!(out.starts_with("ID "), "{out}");
    assert!(out.contains("ILRS-03") && out.contains("CSS-06"), "{out}");
    assert!(dir.path().join("test.db").exists());
}

#[test]
fn csv_listing_has_the_interchange_header() {
    let dir = TempDir::new().unwrap();
    let out = stdout_of(spacedip(&dir).args(["list", "--format", "csv"]));
    assert_eq!(
        out.lines().next().unwrap(),
        "id,date,end_date,programme,kind,channel,valence,venue,follows,title,summary,notes,parties,institutions,sources"
    );
}

#[test]
fn channel_filters_cut_as_documented() {
    let dir = TempDir::new().unwrap();
    let un = csv_rows(&stdout_of(
        spacedip(&dir).args(["list", "-c", "un", "--format", "csv"]),
    ));
    assert!(!un.is_empty());
    assert!(un.iter().all(|r| r[5] == "un_multilateral"));
    let multi = csv_rows(&stdout_of(spacedip(&dir).args([
        "list",
        "-c",
        "multilateral",
        "--format",
        "csv",
    ])));
    assert!(multi.len() > un.len());
    assert!(multi
        .iter()
        .all(|r| r[5] == "un_multilateral" || r[5] == "multilateral"));
    let bi = csv_rows(&stdout_of(spacedip(&dir).args([
        "list",
        "--programme",
        "ilrs",
        "--channel",
        "bilateral",
        "--format",
        "csv",
    ])));
    assert!(bi.iter().all(|r| r[3] == "ILRS" && r[5] == "bilateral"));
    assert!(bi.iter().any(|r| r[0] == "ILRS-03"));
}

#[test]
fn date_filters_select_overlapping_spans() {
    let dir = TempDir::new().unwrap();
    let rows = csv_rows(&stdout_of(spacedip(&dir).args([
        "list", "--since", "2021", "--until", "2021-06", "--format", "csv",
    ])));
    assert!(!rows.is_empty());
    for r in &rows {
        // A year-precision date "2021" overlaps; anything else must start in Jan-Jun 2021.
        let d = &r[1];
        assert!(
            d.starts_with("2021") && (d.len() == 4 || &d[5..7] <= "06"),
            "{d}"
        );
    }
}

#[test]
fn actor_filter_matches_names_and_aliases() {
    let dir = TempDir::new().unwrap();
    let by_name = stdout_of(spacedip(&dir).args(["list", "--actor", "Russia", "--format", "csv"]));
    let by_id = stdout_of(spacedip(&dir).args(["list", "--actor", "rus", "--format", "csv"]));
    assert_eq!(by_name, by_id);
    assert!(by_name.contains("ILRS-03"));
}

#[test]
fn search_is_fuzzy_and_scoped() {
    let dir = TempDir::new().unwrap();
    let out = stdout_of(spacedip(&dir).args([
        "list",
        "--search",
        "partner:roscosmos",
        "--format",
        "csv",
    ]));
    assert!(out.contains("ILRS-03"), "{out}");
    assert!(!out.contains("CSS-06"), "{out}");
}

#[test]
fn show_prints_partners_and_full_sources() {
    let dir = TempDir::new().unwrap();
    let out = stdout_of(spacedip(&dir).args(["show", "ILRS-03"]));
    assert!(out.starts_with("ILRS-03"), "{out}");
    assert!(
        out.contains("Partners:") && out.contains("Sources:") && out.contains("http"),
        "{out}"
    );
    spacedip(&dir)
        .args(["show", "NOPE-1"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no event with id 'NOPE-1'"));
}

#[test]
fn programmes_counts_every_channel() {
    let dir = TempDir::new().unwrap();
    let out = stdout_of(spacedip(&dir).args(["programmes"]));
    assert!(
        out.contains("TOTAL") && out.contains("ILRS") && out.contains("CSS"),
        "{out}"
    );
    let json = stdout_of(spacedip(&dir).args(["programmes", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rows = v.as_array().unwrap();
    for r in rows {
        let sum: u64 = [
            "un_multilateral",
            "other_multilateral",
            "bilateral",
            "national",
        ]
        .iter()
        .map(|k| r[k].as_u64().unwrap())
        .sum();
        assert_eq!(sum, r["events"].as_u64().unwrap());
    }
}

#[test]
fn unknown_vocabulary_values_exit_2_and_name_the_valid_ones() {
    let dir = TempDir::new().unwrap();
    spacedip(&dir)
        .args(["list", "--programme", "MARS"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("unknown programme 'MARS' (valid:")
                .and(predicate::str::contains("ILRS")),
        );
    spacedip(&dir)
        .args(["list", "--channel", "unilateral"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "valid: multilateral, un, bilateral, national",
        ));
    spacedip(&dir)
        .args(["list", "--kind", "treaty"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("unknown kind 'treaty'")
                .and(predicate::str::contains("joint_statement")),
        );
    spacedip(&dir)
        .args(["list", "--since", "2021-02-30"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a real calendar date"));
    spacedip(&dir)
        .args(["list", "--actor", "Atlantis"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no actor matches 'Atlantis'"));
    spacedip(&dir)
        .args(["list", "--since", "2024", "--until", "2023"])
        .assert()
        .code(2);
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_untouched() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "these are my notes\n").unwrap();
    assert_refused_untouched(&path, "not a SQLite database");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no side files were created"
    );
}

#[test]
fn another_applications_database_is_refused_and_left_untouched() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("other.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('x');")
            .unwrap();
    }
    assert_refused_untouched(&path, "another application");
}

#[test]
fn a_database_from_a_newer_spacedip_is_refused() {
    let dir = TempDir::new().unwrap();
    stdout_of(spacedip(&dir).arg("init"));
    {
        let conn = rusqlite::Connection::open(dir.path().join("test.db")).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    spacedip(&dir)
        .arg("list")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "newer spacedip (schema version 999",
        ));
}

#[test]
fn a_database_that_cannot_be_created_gives_one_line() {
    let dir = TempDir::new().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "").unwrap();
    cargo_bin_cmd!("spacedip")
        .arg("--db")
        .arg(blocker.join("sub/x.db"))
        .arg("list")
        .assert()
        .code(1)
        .stderr(
            predicate::str::starts_with("spacedip: cannot open database")
                .and(predicate::str::is_match("^[^\n]*\n$").unwrap()),
        );
}

#[test]
fn init_refuses_to_overwrite_without_force() {
    let dir = TempDir::new().unwrap();
    spacedip(&dir)
        .arg("init")
        .assert()
        .success()
        .stdout(predicate::str::contains("events from the embedded seed"));
    spacedip(&dir)
        .arg("init")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    spacedip(&dir).args(["init", "--force"]).assert().success();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "keep me").unwrap();
    cargo_bin_cmd!("spacedip")
        .arg("--db")
        .arg(&notes)
        .args(["init", "--force"])
        .assert()
        .code(1);
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "keep me");
}

#[test]
fn the_database_can_be_given_by_environment() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("env.db");
    cargo_bin_cmd!("spacedip")
        .env("SPACEDIP_DB", &path)
        .arg("programmes")
        .assert()
        .success();
    assert!(path.exists());
}

#[test]
fn help_documents_exit_codes() {
    cargo_bin_cmd!("spacedip")
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Exit codes: 0 ok, 1 runtime error",
        ));
}

#[test]
fn a_closed_pipe_ends_quietly_in_every_output_format() {
    use std::io::Read;
    use std::process::{Command as Std, Stdio};
    let dir = TempDir::new().unwrap();
    stdout_of(spacedip(&dir).arg("init"));
    for format in ["table", "csv", "json"] {
        let mut child = Std::new(assert_cmd::cargo::cargo_bin!("spacedip"))
            .arg("--db")
            .arg(dir.path().join("test.db"))
            .args(["list", "--format", format])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 16];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // The read end is dropped here: the rest of the output meets a closed pipe.
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{format}: {:?}", out.status);
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{format}");
    }
}

#[test]
fn control_characters_in_data_never_reach_csv_output_raw() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("evil.csv");
    std::fs::write(
        &file,
        "id,date,end_date,programme,kind,channel,title,summary,notes,parties,institutions,sources\n\
         EVIL-1,2024,,ILRS,statement,national,\"\x1b[31mred\x07 \x1b]52;c;aGk=\x07\",,,CNSA:lead,,li2023\n",
    )
    .unwrap();
    spacedip(&dir).arg("import").arg(&file).assert().success();
    for format in ["csv", "table", "json"] {
        let out =
            stdout_of(spacedip(&dir).args(["list", "--format", format, "--search", "id:EVIL-1"]));
        assert!(out.contains("red"), "{format}: {out}");
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}'),
            "{format} leaked a control character: {out:?}"
        );
    }
}

#[test]
fn a_mistyped_directory_is_not_created() {
    let dir = TempDir::new().unwrap();
    let missing = dir.path().join("no/such/dir/x.db");
    cargo_bin_cmd!("spacedip")
        .arg("--db")
        .arg(&missing)
        .arg("list")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("does not exist"));
    assert!(!dir.path().join("no").exists());
}

#[test]
fn an_empty_file_becomes_a_database_and_a_tableless_foreign_one_is_refused() {
    let dir = TempDir::new().unwrap();
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, "").unwrap();
    cargo_bin_cmd!("spacedip")
        .arg("--db")
        .arg(&empty)
        .arg("programmes")
        .assert()
        .success();
    assert!(std::fs::metadata(&empty).unwrap().len() > 0);
    let bare = dir.path().join("bare.db");
    {
        let conn = rusqlite::Connection::open(&bare).unwrap();
        conn.pragma_update(None, "user_version", 7).unwrap();
    }
    assert_refused_untouched(&bare, "another application");
}

#[test]
fn init_force_keeps_the_previous_database_as_a_backup() {
    let dir = TempDir::new().unwrap();
    stdout_of(spacedip(&dir).arg("init"));
    stdout_of(spacedip(&dir).args(["delete", "ILRS-03"]));
    let out = stdout_of(spacedip(&dir).args(["init", "--force"]));
    let backup = out
        .lines()
        .find_map(|l| l.strip_prefix("kept the previous database as "))
        .expect("the backup is named");
    assert!(std::path::Path::new(backup).exists());
    // The backup still holds the deletion; the fresh database has the event again.
    let history = stdout_of(cargo_bin_cmd!("spacedip").args(["--db", backup, "history"]));
    assert!(history.contains("ILRS-03"), "{history}");
    stdout_of(spacedip(&dir).args(["show", "ILRS-03"]));
}

#[test]
fn a_stale_write_ahead_log_never_reaches_a_new_database() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("test.db");
    stdout_of(spacedip(&dir).arg("init"));
    // A process killed while holding the database leaves its log behind: simulate one that
    // holds a deletion, then delete the database file alone.
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
        conn.execute("DELETE FROM event WHERE id = 'ILRS-03'", [])
            .unwrap();
        let wal = std::path::PathBuf::from(format!("{}-wal", db.display()));
        std::fs::copy(&wal, dir.path().join("saved-wal")).unwrap();
    }
    std::fs::remove_file(&db).unwrap();
    std::fs::copy(
        dir.path().join("saved-wal"),
        format!("{}-wal", db.display()),
    )
    .unwrap();
    let out = stdout_of(spacedip(&dir).args(["show", "ILRS-03"]));
    assert!(
        out.starts_with("ILRS-03"),
        "the fresh database is the seed, whole"
    );
}

#[test]
fn commands_shown_by_the_browser_name_a_non_default_database() {
    use spacedip::location::{default_db_location, program_for};
    assert_eq!(
        program_for(std::path::Path::new("/tmp/x.db")),
        "spacedip --db /tmp/x.db"
    );
    assert_eq!(
        program_for(std::path::Path::new("/tmp/my data/x.db")),
        "spacedip --db '/tmp/my data/x.db'"
    );
    if let Some(default) = default_db_location() {
        assert_eq!(program_for(&default), "spacedip");
    }
}

#[test]
fn a_state_named_only_in_the_text_is_found_by_its_other_names() {
    let dir = TempDir::new().unwrap();
    // ILRS-43's summary names Türkiye; its parties are not Türkiye's own.
    let by_alias = stdout_of(spacedip(&dir).args(["list", "-s", "turkey", "--format", "csv"]));
    assert!(
        by_alias.lines().any(|l| l.starts_with("ILRS-43,")),
        "{by_alias}"
    );
    // A scoped term keeps its scope: the text's states are not partners.
    let scoped =
        stdout_of(spacedip(&dir).args(["list", "-s", "partner:turkey", "--format", "csv"]));
    assert!(
        scoped
            .lines()
            .all(|l| !l.starts_with("ILRS-43,") || l.contains("TUR")),
        "{scoped}"
    );
}

#[test]
fn list_columns_choose_and_order_the_table_and_a_view_keeps_them() {
    let dir = TempDir::new().unwrap();
    let out = spacedip(&dir)
        .args(["list", "-p", "ILRS", "--columns", "id,title,date"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(header, ["ID", "TITLE", "DATE"]);
    // An unknown column names the valid ones; CSV and JSON keep every field.
    spacedip(&dir)
        .args(["list", "--columns", "id,colour"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown column 'colour' (valid: id, date, programme, channel, kind, valence, title, partners)",
        ));
    spacedip(&dir)
        .args(["list", "--columns", "id", "--format", "csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--columns shapes the table"));
    // Saved with the view, and the view brings them back.
    spacedip(&dir)
        .args([
            "list",
            "-c",
            "un",
            "--columns",
            "date,id",
            "--save-view",
            "un-ids",
        ])
        .assert()
        .success();
    let out = spacedip(&dir)
        .args(["list", "--view", "un-ids"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(header, ["DATE", "ID"]);
}

#[test]
fn a_search_of_sources_lists_the_same_events_in_every_format() {
    // Table and CSV write source ids only and read no source into memory; a `source:` term
    // still matches the sources' titles, read from the database as they are scored.
    let dir = TempDir::new().unwrap();
    let search = ["list", "--search", "source:treaty", "--format"];
    let csv_ids: Vec<String> = csv_rows(&stdout_of(spacedip(&dir).args(search).arg("csv")))
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    assert!(!csv_ids.is_empty());
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(spacedip(&dir).args(search).arg("json"))).unwrap();
    let json_ids: Vec<String> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(csv_ids, json_ids);
    let table = stdout_of(spacedip(&dir).args(search).arg("table"));
    for id in &csv_ids {
        assert!(table.contains(id.as_str()), "{id} in {table}");
    }
}
