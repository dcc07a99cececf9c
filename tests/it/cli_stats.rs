//! `stats` and `compare` through the real binary: JSON keys, formats, and usage errors.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

fn spacedip(dir: &TempDir) -> Command {
    crate::common::spacedip_on(&dir.path().join("test.db"))
}

fn json_of(cmd: &mut Command) -> Vec<Value> {
    let out = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice::<Vec<Value>>(&out).unwrap()
}

/// `compare --format json`: the programmes' rows and the claims.
fn compare_json(cmd: &mut Command) -> (Vec<Value>, Vec<Value>) {
    let out = cmd.assert().success().get_output().stdout.clone();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    let list = |k: &str| doc[k].as_array().unwrap().clone();
    (list("programmes"), list("claims"))
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
    let (rows, claims) =
        compare_json(spacedip(&dir).args(["compare", "css", "ilrs", "--format", "json"]));
    assert_eq!(claims.len(), 3);
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
    let (rows, _) = compare_json(spacedip(&dir).args([
        "compare",
        "CSS",
        "ILRS",
        "--by-year",
        "--format",
        "json",
    ]));
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

#[test]
fn stats_json_gives_density_at_the_decision_year_under_every_specification() {
    let dir = TempDir::new().unwrap();
    let rows =
        json_of(spacedip(&dir).args(["stats", "-p", "CSS", "-p", "ILRS", "--format", "json"]));
    let institutions = json_of(spacedip(&dir).args(["institutions", "--format", "json"]));
    let inst = |id: &str| institutions.iter().find(|i| i["id"] == id).unwrap().clone();
    for r in &rows {
        let p = r["programme"].as_str().unwrap();
        let t_star = r["decision_year"].as_i64().unwrap();
        let t = r["year"].as_i64().unwrap();
        let density = r["density"].as_array().unwrap();
        for spec in ["count", "exogenous", "open", "legalised"] {
            for year in [t_star, t] {
                assert!(
                    density
                        .iter()
                        .any(|d| d["spec"] == spec && d["year"] == year),
                    "{p}: {spec} at {year} missing"
                );
            }
        }
        for d in density {
            let ids: Vec<&str> = d["institutions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i.as_str().unwrap())
                .collect();
            for id in ids {
                let i = inst(id);
                if d["spec"] != "count" {
                    // Never the programme's own, never founded after t*, never universal.
                    assert_ne!(
                        i["programme"], p,
                        "{p} counts its own {id} under {}",
                        d["spec"]
                    );
                    let founded: i64 = i["in_force"].as_str().unwrap()[..4].parse().unwrap();
                    assert!(founded <= t_star, "{p}: {id} ({founded}) after t* {t_star}");
                    assert_eq!(i["scope"], "area", "{id}");
                }
                if d["year"] == t_star {
                    let founded: i64 = i["in_force"].as_str().unwrap()[..4].parse().unwrap();
                    assert!(founded <= t_star, "{p}: {id} counted at t* {t_star}");
                }
            }
        }
        // Weighted density only at 90% membership coverage or more.
        let coverage = r["density_weighted_coverage"].as_f64().unwrap();
        assert_eq!(r["density_weighted"].is_null(), coverage < 0.9, "{p}");
        // The older keys stay.
        assert!(r["issue_area_density"].is_u64());
    }
    let year = |p: &str| {
        rows.iter().find(|r| r["programme"] == p).unwrap()["decision_year"]
            .as_i64()
            .unwrap()
    };
    // CSS: the CMSA–UNOOSA agreements of March 2016; ILRS: the China–Russia MoU of March 2021.
    assert_eq!((year("CSS"), year("ILRS")), (2015, 2020));
}

#[test]
fn a_decision_year_can_be_set_and_bad_ones_are_refused() {
    let dir = TempDir::new().unwrap();
    let rows = json_of(spacedip(&dir).args([
        "stats",
        "-p",
        "ILRS",
        "--decision-year",
        "ilrs=2017",
        "--format",
        "json",
    ]));
    assert_eq!(rows[0]["decision_year"], 2017);
    assert_eq!(rows[0]["decision_year_source"], "flag");
    for (arg, message) in [
        ("ILRS", "is not PROGRAMME=YEAR"),
        ("ILRS=soon", "is not PROGRAMME=YEAR"),
        ("MARS=2020", "unknown programme 'MARS'"),
        ("ILRS=1900", "outside ILRS's span"),
    ] {
        spacedip(&dir)
            .args(["stats", "--decision-year", arg])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(message));
    }
}

#[test]
fn compare_tests_the_articles_claims_with_verdicts() {
    let dir = TempDir::new().unwrap();
    let (_, claims) =
        compare_json(spacedip(&dir).args(["compare", "CSS", "ILRS", "--format", "json"]));
    let keys: Vec<&str> = claims
        .iter()
        .map(|c| c["claim"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["multilateral_share", "centralisation", "density"]);
    for c in &claims {
        let verdict = c["verdict"].as_str().unwrap();
        assert!(["supported", "tie", "contradicted", "mixed"].contains(&verdict));
        assert!(c["holds_in"].as_u64().unwrap() <= c["of"].as_u64().unwrap());
        assert!(c["tests"].as_array().unwrap().len() >= 4);
    }
    // What the shipped data show: the share claim holds, the centralisation claim does not.
    assert_eq!(claims[0]["verdict"], "supported");
    assert_eq!(claims[1]["verdict"], "contradicted");
    spacedip(&dir)
        .args(["compare", "CSS", "ILRS"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Claims of Li & Mayer (2023)")
                .and(predicate::str::contains("contradicted")),
        );
}

#[test]
fn institutions_lists_tags_urls_and_filters_by_year_and_programme() {
    let dir = TempDir::new().unwrap();
    let all = json_of(spacedip(&dir).args(["institutions", "--format", "json"]));
    assert!(all.len() >= 25, "{}", all.len());
    for i in &all {
        for k in [
            "id",
            "name",
            "kind",
            "in_force",
            "ended",
            "issue_areas",
            "url",
            "scope",
            "open",
            "legalisation",
            "members_known",
        ] {
            assert!(i.get(k).is_some(), "{k} missing in {i}");
        }
        assert!(
            i["url"].as_str().unwrap().starts_with("http"),
            "{}",
            i["id"]
        );
    }
    let in_2010 =
        json_of(spacedip(&dir).args(["institutions", "--year", "2010", "--format", "json"]));
    assert!(in_2010.len() < all.len());
    assert!(in_2010
        .iter()
        .all(|i| i["in_force"].as_str().unwrap()[..4] <= *"2010"));
    assert!(!in_2010.iter().any(|i| i["id"] == "ILRS"));
    let out = spacedip(&dir)
        .args(["institutions", "-p", "ILRS", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let view: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(view["decision_year"], 2020);
    let ilrs = view["institutions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "ILRS")
        .unwrap()
        .clone();
    let reasons: Vec<&str> = ilrs["left_out_because"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(
        reasons.contains(&"own") && reasons.contains(&"post_decision"),
        "{reasons:?}"
    );
    spacedip(&dir)
        .args(["institutions", "-p", "ILRS", "--spec", "dense"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "valid: count, exogenous, open, legalised",
        ));
    spacedip(&dir)
        .args(["institutions", "--spec", "open"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--spec needs --programme"));
}

#[test]
fn stats_csv_carries_the_decision_year_and_every_specification() {
    let dir = TempDir::new().unwrap();
    let out = spacedip(&dir)
        .args(["stats", "-p", "ILRS", "--format", "csv"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mut r = csv::Reader::from_reader(out.as_slice());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let row = r.records().next().unwrap().unwrap();
    let get = |k: &str| row[header.iter().position(|h| h == k).unwrap()].to_string();
    assert_eq!(get("decision_year"), "2020");
    assert_eq!(get("decision_instrument"), "ILRS-03");
    assert_eq!(get("exogenous_t_star"), "7");
    assert_eq!(get("density_weighted"), "", "withheld under 90% coverage");
    assert!(get("coding").starts_with("cooperation events"));
}

#[test]
fn stats_under_a_source_search_still_match_the_sources_titles() {
    // The measures read a catalog without its sources; under a search, `source:` terms
    // match the sources' titles all the same, read from the database as they are scored.
    let dir = TempDir::new().unwrap();
    let total =
        |rows: &[Value]| -> u64 { rows.iter().map(|r| r["events"].as_u64().unwrap()).sum() };
    let all = json_of(spacedip(&dir).args(["stats", "--format", "json"]));
    let cited =
        json_of(spacedip(&dir).args(["stats", "--format", "json", "--search", "source:treaty"]));
    assert!(total(&cited) > 0, "{cited:?}");
    assert!(total(&cited) < total(&all));
}
