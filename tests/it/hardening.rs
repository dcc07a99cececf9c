//! Hostile conditions through the real binary: a database another process is writing, links
//! that lead nowhere, read-only files and directories, a damaged database. Each must be
//! survived or refused with a clear message, and nothing lost.

use std::os::unix::fs::{symlink, FileTypeExt, PermissionsExt};
use std::path::Path;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;

fn spacedip(db: &Path) -> Command {
    crate::common::spacedip_on(db)
}

fn seeded(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("x.db");
    spacedip(&db).arg("init").assert().success();
    db
}

fn ids(db: &Path) -> String {
    let out = spacedip(db)
        .args(["list", "--format", "csv"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn a_write_waits_for_another_process_holding_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path());
    let holder = rusqlite::Connection::open(&db).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let released = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(1500));
        holder.execute_batch("COMMIT").unwrap();
    });
    let start = Instant::now();
    spacedip(&db)
        .args(["delete", "CSS-21"])
        .assert()
        .success()
        .stderr("");
    assert!(
        start.elapsed() >= Duration::from_millis(1000),
        "it waited for the lock"
    );
    released.join().unwrap();
    assert!(!ids(&db).contains("\nCSS-21,"));
}

#[test]
fn dangling_and_looping_links_are_refused_and_nothing_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("link.db");
    symlink(dir.path().join("unmounted/drive.db"), &link).unwrap();
    spacedip(&link)
        .arg("list")
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            predicate::str::contains("a symbolic link to")
                .and(predicate::str::contains("which does not exist")),
        );
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    symlink(&b, &a).unwrap();
    symlink(&a, &b).unwrap();
    spacedip(&a)
        .arg("list")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("loops back on itself"));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        3,
        "nothing was created"
    );
}

#[test]
fn a_link_to_a_database_is_followed_and_stays_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path());
    let link = dir.path().join("link.db");
    symlink(&db, &link).unwrap();
    spacedip(&link)
        .args(["delete", "CSS-21"])
        .assert()
        .success();
    assert!(!ids(&db).contains("\nCSS-21,"), "the target changed");
    spacedip(&link).args(["init", "--force"]).assert().success();
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(ids(&db).contains("\nCSS-21,"), "the target was re-seeded");
}

#[test]
fn a_read_only_file_or_directory_is_read_and_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path());
    let before = ids(&db);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    spacedip(&db)
        .args(["show", "ILRS-03"])
        .assert()
        .success()
        .stdout(predicate::str::contains("ILRS-03"));
    spacedip(&db)
        .args(["delete", "ILRS-03"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "opened read-only (the file is read-only)",
        ));
    // A bulk import cut off by `kill -9` leaves its rollback journal: only a writable open
    // can undo it, so a read-only one refuses rather than show the half-written file.
    let journal = dir.path().join(format!(
        "{}-journal",
        db.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&journal, b"a journal to replay").unwrap();
    spacedip(&db)
        .args(["show", "ILRS-03"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "a write that was cut off left its journal beside it",
        ));
    std::fs::remove_file(&journal).unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let listed: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    spacedip(&db)
        .args(["export", "--format", "json"])
        .assert()
        .success();
    spacedip(&db).args(["import", "/dev/null"]).assert().code(1);
    spacedip(&db)
        .args(["delete", "ILRS-03"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is read-only): it can be listed"));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        listed.len(),
        "no log or lock file was made beside it"
    );
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(ids(&db), before);
}

#[test]
fn nothing_is_written_into_a_damaged_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path());
    // A page in the middle overwritten: the schema still reads, the tables do not.
    let mut bytes = std::fs::read(&db).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid..mid + 8192].fill(0xff);
    std::fs::write(&db, &bytes).unwrap();
    let after = std::fs::read(&db).unwrap();
    spacedip(&db)
        .args(["delete", "CSS-21"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("the database is damaged")
                .and(predicate::str::contains("nothing was written"))
                .and(predicate::str::contains("\n").count(1)),
        );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        after,
        "the file was not touched"
    );
}

#[test]
fn exports_replace_only_regular_files_and_follow_links() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path());
    let fifo = dir.path().join("pipe");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    for force in [false, true] {
        let mut cmd = spacedip(&db);
        cmd.args(["export", "--format", "csv", "-o"]).arg(&fifo);
        if force {
            cmd.arg("--force");
        }
        cmd.assert().code(2).stderr(
            predicate::str::contains("not a regular file")
                .and(predicate::str::contains("--force or not")),
        );
    }
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    // A link to a file: the file is replaced, the link stays.
    let real = dir.path().join("real.csv");
    std::fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.csv");
    symlink(&real, &link).unwrap();
    spacedip(&db)
        .args(["export", "--format", "csv", "--force", "-o"])
        .arg(&link)
        .assert()
        .success();
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(&real)
        .unwrap()
        .starts_with("id,date,"));
    // A link that leads nowhere is refused.
    let dangling = dir.path().join("gone.csv");
    symlink(dir.path().join("missing/x.csv"), &dangling).unwrap();
    spacedip(&db)
        .args(["export", "--format", "csv", "--force", "-o"])
        .arg(&dangling)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not exist"));
}

#[test]
fn an_interrupted_export_leaves_no_temporary_file_and_old_ones_are_swept() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path());
    // A leftover of a process killed with -9 (a pid that cannot be running).
    let stale = dir.path().join(".out.ndjson.4194305.0.tmp");
    std::fs::write(&stale, "half").unwrap();
    let two_hours_ago = std::time::SystemTime::now() - Duration::from_secs(7200);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(two_hours_ago)
        .unwrap();
    // A file of another export whose name has dots of its own is not taken for ours.
    let other = dir.path().join(".out.ndjson.2024.csv.4194305.0.tmp");
    std::fs::write(&other, "theirs").unwrap();
    spacedip(&db)
        .args(["export", "--format", "ndjson", "-o"])
        .arg(dir.path().join("out.ndjson"))
        .assert()
        .success();
    assert!(!stale.exists(), "the stale temporary file was removed");
    assert!(other.exists(), "another name's file was left alone");
    std::fs::remove_file(&other).unwrap();
    // SIGTERM while writing: whatever moment it lands, no temporary file is left, and the
    // target is either absent or complete.
    for delay in [0u64, 5, 20] {
        let target = dir.path().join(format!("t{delay}.json"));
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("spacedip"))
            .arg("--db")
            .arg(&db)
            .args(["export", "--format", "json", "--quiet", "-o"])
            .arg(&target)
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let _ = child.wait().unwrap();
        let leftovers: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        if target.exists() {
            let text = std::fs::read_to_string(&target).unwrap();
            assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok());
        }
    }
}

#[test]
fn escape_sequences_never_reach_the_terminal_raw() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path());
    let header = "id,date,end_date,programme,kind,channel,title,summary,notes,parties,institutions,sources\n";
    // A date cell that would set the window title, clear the screen and write the clipboard.
    let hostile = format!("{header}H-1,\x1b]0;pwned\x07\x1b[2J\x1b]52;c;SGVsbG8=\x07,,CSS,other,national,T,,,CMSA,,li2023\n");
    let bad = dir.path().join("bad\x1b[31m.csv");
    std::fs::write(&bad, hostile).unwrap();
    let out = spacedip(&db)
        .arg("import")
        .arg(&bad)
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(
        !out.stderr.contains(&0x1b),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("date:"));
    for args in [
        vec!["show", "X\x1b[2J"],
        vec!["list", "-a", "\x1b]0;t\x07"],
        vec!["list", "-p", "\x1b[31mCSS"],
        vec!["list", "--sort", "\x1b]0;t\x07"],
        vec!["list", "--format", "\x1b[2J"],
        vec!["list", "--since", "\x1b[2J"],
    ] {
        let out = spacedip(&db)
            .args(&args)
            .assert()
            .failure()
            .get_output()
            .clone();
        assert!(
            !out.stderr.contains(&0x1b),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // A 100 KiB argument (near the limit of one argument) is cut, not echoed whole.
    let long = "A".repeat(100 * 1024);
    let out = spacedip(&db)
        .args(["show", &long])
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(out.stderr.len() < 1000, "{} bytes", out.stderr.len());
}

#[test]
fn json_outputs_escape_c1_controls() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path());
    let header = "id,date,end_date,programme,kind,channel,title,summary,notes,parties,institutions,sources\n";
    let file = dir.path().join("c1.csv");
    std::fs::write(
        &file,
        format!("{header}C1-1,2020,,CSS,other,national,CSI \u{9b}31m here,,,CMSA,,li2023\n"),
    )
    .unwrap();
    spacedip(&db).arg("import").arg(&file).assert().success();
    for args in [
        vec!["list", "--format", "json", "-s", "id:C1-1"],
        vec!["show", "C1-1", "--format", "json"],
        vec!["export", "--format", "ndjson"],
        vec!["export", "--format", "timelinejs"],
        vec!["history", "--format", "json"],
    ] {
        let out = spacedip(&db)
            .args(&args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains('\u{9b}'), "{args:?}");
        if args[0] != "export" || args[2] != "timelinejs" {
            assert!(text.contains("\\u009b"), "{args:?}");
        }
    }
}

#[test]
fn an_endless_binary_stream_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path());
    let start = Instant::now();
    spacedip(&db)
        .args(["import", "/dev/zero"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("binary data"));
    assert!(start.elapsed() < Duration::from_secs(10));
}

#[test]
fn check_reports_every_problem_with_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path());
    spacedip(&db)
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains("no problems"));
    // Damage it from outside spacedip, as another tool could.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF;
         UPDATE event SET follows = 'GONE' WHERE id = 'CSS-21';
         DELETE FROM event_source WHERE event_id = 'CSS-20';
         INSERT INTO event_actor (event_id, actor_id, role, position) VALUES ('CSS-20', 'NOBODY', 'partner', 9);",
    )
    .unwrap();
    drop(conn);
    spacedip(&db)
        .arg("check")
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("event CSS-21: follows an event that does not exist")
                .and(predicate::str::contains("event CSS-20: has no source"))
                .and(predicate::str::contains("event_actor row")),
        )
        .stderr(predicate::str::contains("3 problem(s) found"));
    let out = spacedip(&db)
        .args(["check", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out).unwrap();
    assert_eq!(findings.len(), 3);
}

#[test]
fn a_huge_title_does_not_pad_every_row_of_a_table() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path());
    let header = "id,date,end_date,programme,kind,channel,title,summary,notes,parties,institutions,sources\n";
    let file = dir.path().join("long.csv");
    let title = "T".repeat(60_000);
    std::fs::write(
        &file,
        format!("{header}LONG-1,2020,,CSS,other,national,{title},,,CMSA,,li2023\n"),
    )
    .unwrap();
    spacedip(&db).arg("import").arg(&file).assert().success();
    let out = spacedip(&db)
        .args(["list", "--format", "table"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.lines().all(|l| l.chars().count() < 400),
        "a line is too long"
    );
    // CSV keeps it whole.
    let csv = spacedip(&db)
        .args(["list", "--format", "csv", "-s", "id:LONG-1"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(csv).unwrap().contains(&title));
}

#[test]
fn check_reports_the_damage_of_a_damaged_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path());
    let mut bytes = std::fs::read(&db).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid..mid + 8192].fill(0xff);
    std::fs::write(&db, &bytes).unwrap();
    let out = spacedip(&db)
        .arg("check")
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.lines().count() >= 1, "{stdout}");
    assert!(
        stdout
            .lines()
            .all(|l| l.starts_with("database: integrity: ") && l.len() < 300),
        "{stdout}"
    );
}
