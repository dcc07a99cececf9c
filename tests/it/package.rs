//! `spacedip package` through the real binary: what a release holds, that it is written whole
//! or not at all, and its refusals (exit 2, nothing touched).

use std::fs;
use std::path::Path;

use predicates::prelude::*;
use tempfile::TempDir;

fn spacedip(dir: &Path) -> assert_cmd::Command {
    crate::common::spacedip_in(dir)
}

/// The data rows of a CSV file.
fn rows(path: &Path) -> usize {
    fs::read_to_string(path).unwrap().lines().count() - 1
}

const FILES: [&str; 6] = [
    "datapackage.json",
    "codebook.md",
    "CITATION.cff",
    "metadata.json",
    "spacedip.db",
    "data/event.csv",
];

#[test]
fn a_release_holds_the_tables_their_descriptions_and_a_database_copy() {
    let dir = TempDir::new().unwrap();
    spacedip(dir.path())
        .args([
            "package",
            "rel",
            "--now",
            "2026-11-30",
            "--author",
            "A. Analyst",
        ])
        .assert()
        .success()
        .stdout(
            predicate::str::starts_with("wrote rel: 130 events")
                .and(predicate::str::contains("content hash sha256:")),
        );
    let rel = dir.path().join("rel");
    for f in FILES {
        assert!(rel.join(f).is_file(), "{f}");
    }
    assert_eq!(rows(&rel.join("data/event.csv")), 130);
    let descriptor: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(rel.join("datapackage.json")).unwrap()).unwrap();
    assert_eq!(descriptor["resources"].as_array().unwrap().len(), 10);
    // The copy is a spacedip database of its own, with the same events.
    spacedip(dir.path())
        .args(["--db", "rel/spacedip.db", "programmes", "--format", "csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains("ILRS"));
    // The same data and date give the same files (the database copy aside).
    spacedip(dir.path())
        .args([
            "package",
            "again",
            "--now",
            "2026-11-30",
            "--author",
            "A. Analyst",
        ])
        .assert()
        .success();
    for f in FILES.iter().filter(|f| !f.ends_with(".db")) {
        assert_eq!(
            fs::read(rel.join(f)).unwrap(),
            fs::read(dir.path().join("again").join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn a_filtered_release_keeps_the_reference_tables_and_the_selected_events() {
    let dir = TempDir::new().unwrap();
    spacedip(dir.path())
        .args(["package", "ilrs", "-p", "ILRS", "--name", "ilrs-2026"])
        .assert()
        .success();
    let rel = dir.path().join("ilrs");
    let ilrs = rows(&rel.join("data/event.csv"));
    let all_actors = rows(&rel.join("data/actor.csv"));
    assert!(ilrs > 10 && ilrs < 130, "{ilrs}");
    assert!(all_actors >= 150);
    assert!(rel.join("ilrs-2026.db").is_file());
    let events = fs::read_to_string(rel.join("data/event.csv")).unwrap();
    assert!(events.lines().skip(1).all(|l| l.contains(",ILRS,")));
    let codebook = fs::read_to_string(rel.join("codebook.md")).unwrap();
    assert!(
        codebook.contains("--programme ILRS"),
        "the selection is recorded"
    );
}

#[test]
fn a_directory_that_is_not_empty_is_replaced_only_with_force() {
    let dir = TempDir::new().unwrap();
    let rel = dir.path().join("rel");
    fs::create_dir(&rel).unwrap();
    fs::write(rel.join("notes.txt"), "mine").unwrap();
    spacedip(dir.path())
        .args(["package", "rel"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("not empty").and(predicate::str::contains("--force")));
    assert_eq!(fs::read_to_string(rel.join("notes.txt")).unwrap(), "mine");
    assert_eq!(fs::read_dir(&rel).unwrap().count(), 1);
    spacedip(dir.path())
        .args(["package", "rel", "--force", "--quiet"])
        .assert()
        .success()
        .stdout("");
    assert!(!rel.join("notes.txt").exists());
    assert!(rel.join("datapackage.json").is_file());
    // Nothing temporary is left beside it.
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "db.sqlite")
        .collect();
    assert_eq!(names, ["rel"]);
}

#[test]
fn bad_names_licences_and_targets_are_refused_before_anything_is_written() {
    let dir = TempDir::new().unwrap();
    fs::write(dir.path().join("file"), "x").unwrap();
    for (args, says) in [
        (vec!["package", "p", "--name", "My Data"], "--name"),
        (vec!["package", "p", "--license", "CC BY"], "--license"),
        (vec!["package", "p", "--title", " "], "--title"),
        (vec!["package", "p", "--now", "soon"], "--now"),
        (vec!["package", "p", "-p", "NOPE"], "NOPE"),
        (vec!["package", "file"], "not a directory"),
    ] {
        spacedip(dir.path())
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
        assert!(!dir.path().join("p").exists(), "{args:?}");
    }
    assert_eq!(fs::read_to_string(dir.path().join("file")).unwrap(), "x");
}
