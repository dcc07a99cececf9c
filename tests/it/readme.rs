//! The README's figures are the program's figures: the CSS/ILRS comparison table in "Methods"
//! is recomputed from the seed, so a change to the data or the measures cannot leave it stale.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

fn f3(v: &Value) -> String {
    v.as_f64().map_or("–".to_string(), |x| format!("{x:.3}"))
}

fn f2(v: &Value) -> String {
    v.as_f64().map_or("–".to_string(), |x| format!("{x:.2}"))
}

#[test]
fn the_methods_comparison_table_matches_compare_css_ilrs() {
    let dir = tempfile::tempdir().unwrap();
    let out = cargo_bin_cmd!("spacedip")
        .arg("--db")
        .arg(dir.path().join("x.db"))
        .args(["compare", "CSS", "ILRS", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    let rows = doc["programmes"].as_array().unwrap();
    let (css, ilrs) = (&rows[0], &rows[1]);
    let pair = |f: &dyn Fn(&Value) -> String| format!("| {} | {} |", f(css), f(ilrs));
    let expected = [
        format!("| events {}", pair(&|r| r["events"].to_string())),
        format!(
            "| UN share / multilateral share {}",
            pair(&|r| format!("{} / {}", f3(&r["un_share"]), f3(&r["multilateral_share"])))
        ),
        format!(
            "| bilateral / national share {}",
            pair(&|r| format!(
                "{} / {}",
                f3(&r["bilateral_share"]),
                f3(&r["national_share"])
            ))
        ),
        format!(
            "| network n, m, Δ, C {}",
            pair(&|r| format!(
                "{}, {}, {}, {}",
                r["n"],
                r["m"],
                f3(&r["network_density"]),
                f3(&r["centralisation"])
            ))
        ),
        format!(
            "| issue-area density D (D_w) in 2025 {}",
            pair(&|r| format!(
                "{} ({})",
                r["issue_area_density"], r["issue_area_density_weighted"]
            ))
        ),
        format!(
            "| embeddedness E (coverage) {}",
            pair(&|r| format!(
                "{} ({}/{})",
                f2(&r["embeddedness"]),
                r["covered_partners"],
                r["partners"]
            ))
        ),
    ];
    let at_t_star = |r: &Value| {
        let t = r["decision_year"].as_i64().unwrap();
        let v = |spec: &str| {
            r["density"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["spec"] == spec && d["year"] == t)
                .unwrap()["value"]
                .as_f64()
                .unwrap()
        };
        format!(
            "{:.0} / {:.0} / {:.0} / {:.1}",
            v("count"),
            v("exogenous"),
            v("open"),
            v("legalised")
        )
    };
    let mut expected = expected.to_vec();
    expected.push(format!(
        "| decision year t* (instrument) {}",
        pair(&|r| format!(
            "{} ({})",
            r["decision_year"],
            r["decision_instrument"].as_str().unwrap()
        ))
    ));
    expected.push(format!(
        "| density at t*: count / exogenous / open / legalised {}",
        pair(&at_t_star)
    ));
    for c in doc["claims"].as_array().unwrap() {
        let verdict = c["verdict"].as_str().unwrap();
        expected.push(format!(
            "| {} | {verdict}",
            c["statement"].as_str().unwrap()
        ));
    }
    let readme = include_str!("../../README.md");
    for line in expected {
        assert!(readme.contains(&line), "README.md lacks the row:\n{line}");
    }
}
