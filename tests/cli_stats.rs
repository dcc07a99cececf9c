//! `stats` and `compare` through the real binary: JSON keys, formats, and usage errors.

use assert_cmd::cargo::cargo_bin_cmd;
use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

fn spacedip(dir: &TempDir) -> Command {
    let mut cmd = cargo_bin_cmd!("spacedip");
    cmd.env_remove("SPACEDIP_DB")
        .arg("--db")
        .arg(dir.path().join("test.db"));
    cmd
}

fn json_of(cmd: &mut Command) -> Vec<Value> {
    let out = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice::<Vec<Value>>(&out).unwrap()
}

const KEYS: [&str; 14] = [
    "programme",
    "events",
    "un_share",
    "multilateral_share",
    "bilateral_share",
    "national_share",
    "partners",
    "network_density",
    "centralisation",
    "issue_area_density",
    "embeddedness",
    "n",
    "m",
    "coverage",
];

#[test]
fn stats_json_has_every_measure_for_every_programme() {
    let dir = TempDir::new().unwrap();
    let rows = json_of(spacedip(&dir).args(["stats", "--format", "json"]));
    let ids: Vec<&str> = rows
        .iter()
        .map(|r| r["programme"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"CSS") && ids.contains(&"ILRS"), "{ids:?}");
    for r in &rows {
        for k in KEYS {
            assert!(r.get(k).is_some(), "{k} missing in {r}");
        }
        assert!(r["year"].is_i64());
    }
    let css = rows.iter().find(|r| r["programme"] == "CSS").unwrap();
    // Shares of one programme: multilateral + bilateral + national = 1.
    let sum: f64 = ["multilateral_share", "bilateral_share", "national_share"]
        .iter()
        .map(|k| css[k].as_f64().unwrap())
        .sum();
    assert!((sum - 1.0).abs() < 1e-9);
}

#[test]
fn stats_by_year_gives_one_row_per_year() {
    let dir = TempDir::new().unwrap();
    let rows =
        json_of(spacedip(&dir).args(["stats", "-p", "ilrs", "--by-year", "--format", "json"]));
    let years: Vec<i64> = rows.iter().map(|r| r["year"].as_i64().unwrap()).collect();
    assert!(rows.iter().all(|r| r["programme"] == "ILRS"));
    assert_eq!(years.first(), Some(&2017));
    assert!(years.windows(2).all(|w| w[1] == w[0] + 1), "{years:?}");
    // Cumulative: event counts never fall.
    let events: Vec<i64> = rows.iter().map(|r| r["events"].as_i64().unwrap()).collect();
    assert!(events.windows(2).all(|w| w[1] >= w[0]), "{events:?}");
}

#[test]
fn stats_filters_apply_and_csv_has_the_json_keys() {
    let dir = TempDir::new().unwrap();
    let out = spacedip(&dir)
        .args(["stats", "-p", "CSS", "-c", "un", "--format", "csv"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mut r = csv::Reader::from_reader(out.as_slice());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    for k in KEYS {
        assert!(header.iter().any(|h| h == k), "{k} missing from {header:?}");
    }
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    let col = |k: &str| header.iter().position(|h| h == k).unwrap();
    assert_eq!(&rows[0][col("programme")], "CSS");
    assert_eq!(&rows[0][col("un_share")], "1");
}

#[test]
fn stats_table_names_the_columns() {
    let dir = TempDir::new().unwrap();
    spacedip(&dir)
        .arg("stats")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("PROGRAMME").and(predicate::str::contains("ILRS")));
}

#[test]
fn stats_with_an_unknown_programme_exits_2_naming_the_valid_ones() {
    let dir = TempDir::new().unwrap();
    spacedip(&dir)
        .args(["stats", "-p", "MARS"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains("unknown programme 'MARS'")
                .and(predicate::str::contains("CSS"))
                .and(predicate::str::contains("ILRS")),
        );
}

#[test]
fn compare_shows_two_programmes_side_by_side() {
    let dir = TempDir::new().unwrap();
    spacedip(&dir)
        .args(["compare", "CSS", "ILRS"])
        .assert()
        .success()
        .stdout(
            predicate::str::is_match(r"^MEASURE\s+CSS\s+ILRS\n")
                .unwrap()
                .and(predicate::str::contains("centralisation"))
                .and(predicate::str::contains("embeddedness")),
        );
    let rows = json_of(spacedip(&dir).args(["compare", "css", "ilrs", "--format", "json"]));
    let ids: Vec<&str> = rows
        .iter()
        .map(|r| r["programme"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["CSS", "ILRS"]);
    for r in &rows {
        for k in KEYS {
            assert!(r.get(k).is_some(), "{k} missing");
        }
    }
}

#[test]
fn compare_by_year_puts_both_on_one_axis() {
    let dir = TempDir::new().unwrap();
    let rows =
        json_of(spacedip(&dir).args(["compare", "CSS", "ILRS", "--by-year", "--format", "json"]));
    let years = |p: &str| -> Vec<i64> {
        rows.iter()
            .filter(|r| r["programme"] == p)
            .map(|r| r["year"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(years("CSS"), years("ILRS"));
    assert_eq!(years("CSS").first(), Some(&2011));
    spacedip(&dir)
        .args(["compare", "CSS", "ILRS", "--by-year"])
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"^MEASURE\s+PROGRAMME\s+2011\s").unwrap());
}

#[test]
fn compare_with_an_unknown_programme_exits_2() {
    let dir = TempDir::new().unwrap();
    spacedip(&dir)
        .args(["compare", "CSS", "VOYAGER"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains("unknown programme 'VOYAGER'")
                .and(predicate::str::contains("valid: ")),
        );
}

#[test]
fn compare_refuses_the_same_programme_twice_and_a_programme_flag() {
    let dir = TempDir::new().unwrap();
    spacedip(&dir)
        .args(["compare", "CSS", "css"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("two different programmes"));
    spacedip(&dir)
        .args(["compare", "CSS", "ILRS", "-p", "CSS"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("drop --programme"));
    spacedip(&dir).args(["compare", "CSS"]).assert().code(2);
}
