//! `spacedip export` through the real binary: formats, files, exit codes and messages.

use std::fs;
use std::path::Path;

use predicates::prelude::*;
use tempfile::TempDir;

/// A command on a fresh database (created and seeded on first use) in `dir`.
fn spacedip(dir: &Path) -> assert_cmd::Command {
    crate::common::spacedip_in(dir)
}

const FORMATS: [&str; 12] = [
    "csv",
    "json",
    "ndjson",
    "markdown",
    "timelinejs",
    "timelinejs-csv",
    "mermaid",
    "ics",
    "csl-json",
    "bibtex",
    "svg",
    "case-table",
];

#[test]
fn writes_every_format_to_stdout() {
    let dir = TempDir::new().unwrap();
    for f in FORMATS {
        let out = spacedip(dir.path())
            .args(["export", "--format", f, "-p", "ILRS", "--now", "2025-01-31"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        assert!(!out.is_empty(), "{f}");
    }
}

#[test]
fn refuses_to_replace_a_file_without_force() {
    let dir = TempDir::new().unwrap();
    let target = dir.path().join("out.ics");
    fs::write(&target, "precious").unwrap();
    spacedip(dir.path())
        .args(["export", "--format", "ics", "-o"])
        .arg(&target)
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains("already exists").and(predicate::str::contains("--force")),
        );
    assert_eq!(fs::read_to_string(&target).unwrap(), "precious");
    spacedip(dir.path())
        .args(["export", "--format", "ics", "--force", "-o"])
        .arg(&target)
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("wrote"));
    let written = fs::read_to_string(&target).unwrap();
    assert!(written.starts_with("BEGIN:VCALENDAR\r\n"));
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn writes_a_new_file_and_dash_means_stdout() {
    let dir = TempDir::new().unwrap();
    spacedip(dir.path())
        .args(["export", "--format", "csv", "-o", "events.csv"])
        .assert()
        .success()
        .stdout("");
    let csv = fs::read_to_string(dir.path().join("events.csv")).unwrap();
    assert!(csv.starts_with(
        "id,date,end_date,programme,kind,channel,valence,venue,follows,title,summary,notes,parties,institutions,sources\n"
    ));
    spacedip(dir.path())
        .args(["export", "--format", "csv", "-o", "-"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("id,date,"));
}

#[test]
fn unknown_format_names_the_valid_ones() {
    let dir = TempDir::new().unwrap();
    spacedip(dir.path())
        .args(["export", "--format", "pdf"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("pdf")
                .and(predicate::str::contains("timelinejs-csv"))
                .and(predicate::str::contains("csl-json"))
                .and(predicate::str::contains("bibtex")),
        );
}

#[test]
fn bad_filters_and_times_are_usage_errors() {
    let dir = TempDir::new().unwrap();
    spacedip(dir.path())
        .args(["export", "--format", "json", "--programme", "NOPE"])
        .assert()
        .code(2);
    spacedip(dir.path())
        .args(["export", "--format", "ics", "--now", "yesterday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--now"));
    spacedip(dir.path())
        .env("SOURCE_DATE_EPOCH", "soon")
        .args(["export", "--format", "ics"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("SOURCE_DATE_EPOCH"));
}

#[test]
fn timestamps_come_from_now_or_source_date_epoch() {
    let dir = TempDir::new().unwrap();
    let run = |cmd: &mut assert_cmd::Command| {
        String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
    };
    let a = run(spacedip(dir.path())
        .env("SOURCE_DATE_EPOCH", "1738324800")
        .args(["export", "--format", "ics", "-p", "CSS"]));
    let b = run(spacedip(dir.path())
        .env("SOURCE_DATE_EPOCH", "1738324800")
        .args(["export", "--format", "ics", "-p", "CSS"]));
    assert_eq!(a, b, "same database, filter and epoch give the same bytes");
    assert!(a.contains("DTSTAMP:20250131T120000Z\r\n"));
    let c = run(spacedip(dir.path()).env("SOURCE_DATE_EPOCH", "1").args([
        "export",
        "--format",
        "ics",
        "-p",
        "CSS",
        "--now",
        "2025-01-31T12:00:00Z",
    ]));
    assert_eq!(a, c, "--now wins over SOURCE_DATE_EPOCH");
}

#[test]
fn an_empty_selection_gives_a_valid_empty_document() {
    let dir = TempDir::new().unwrap();
    for f in FORMATS {
        let out = spacedip(dir.path())
            .args([
                "export",
                "--format",
                f,
                "--since",
                "2999",
                "--now",
                "2025-01-31",
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        match f {
            "json" | "csl-json" => {
                assert_eq!(
                    serde_json::from_str::<serde_json::Value>(&text).unwrap(),
                    serde_json::json!([])
                )
            }
            "ndjson" => assert_eq!(text, ""),
            "timelinejs" => {
                let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                assert_eq!(v["events"], serde_json::json!([]));
                assert!(v["title"]["text"]["headline"].is_string());
            }
            "csv" => assert_eq!(text.lines().count(), 1),
            "timelinejs-csv" => assert_eq!(text.lines().count(), 2, "header and title row"),
            "ics" => {
                let unfolded = icalendar::parser::unfold(&text);
                let cal = icalendar::parser::read_calendar(&unfolded).unwrap();
                assert!(cal.components.iter().all(|c| c.name.as_str() != "VEVENT"));
            }
            "svg" => {
                let doc = roxmltree::Document::parse(&text).unwrap();
                assert!(!doc
                    .descendants()
                    .any(|n| n.attribute("class") == Some("mark")));
            }
            "markdown" => assert!(text.contains("No events matched")),
            "mermaid" => assert!(text.starts_with("timeline\n")),
            "bibtex" => assert!(!text.contains('@')),
            "case-table" => {
                assert_eq!(text.lines().count(), 1, "header only");
                assert!(text.starts_with("programme,"));
            }
            other => panic!("untested format {other}"),
        }
    }
}

#[test]
fn neutralisation_can_be_turned_off() {
    let dir = TempDir::new().unwrap();
    spacedip(dir.path())
        .args(["export", "--format", "csv", "--no-neutralise", "-p", "CSS"])
        .assert()
        .success();
    spacedip(dir.path())
        .args([
            "export",
            "--format",
            "timelinejs-csv",
            "--no-neutralize",
            "-p",
            "CSS",
        ])
        .assert()
        .success();
    spacedip(dir.path())
        .args(["export", "--help"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("--no-neutralise").and(predicate::str::contains("formulas")),
        );
}

/// Generated events, enough for the progress bar to be wanted (more than `BAR_FROM`).
fn many_events_csv(n: usize) -> String {
    // The previous release's header: such files still import.
    let mut csv = String::from(
        "id,date,end_date,programme,kind,channel,title,summary,notes,parties,institutions,sources\n",
    );
    for i in 0..n {
        csv.push_str(&format!(
            "GEN-{i:05},{}-{:02}-01,,CSS,statement,national,Generated event {i},A generated summary.,,CMSA:lead,,unoosa2018a\n",
            2000 + i % 25,
            1 + i % 12
        ));
    }
    csv
}

#[test]
fn large_exports_print_no_progress_when_stderr_is_not_a_terminal() {
    let n = spacedip::progress::EXPORT_BAR_FROM + 500;
    let dir = TempDir::new().unwrap();
    fs::write(dir.path().join("many.csv"), many_events_csv(n)).unwrap();
    spacedip(dir.path())
        .args(["import", "--quiet", "many.csv"])
        .assert()
        .success();
    let total = n + 130;
    // To stdout: the export and nothing else, stderr silent (no bar, no escape codes).
    let out = spacedip(dir.path())
        .args(["export", "--format", "ndjson", "--now", "2025-01-31"])
        .assert()
        .success()
        .stderr("")
        .get_output()
        .stdout
        .clone();
    assert_eq!(String::from_utf8(out).unwrap().lines().count(), total);
    // To a file: one summary line, and nothing at all with --quiet.
    spacedip(dir.path())
        .args([
            "export",
            "--format",
            "ics",
            "-o",
            "all.ics",
            "--now",
            "2025-01-31",
        ])
        .assert()
        .success()
        .stdout("")
        .stderr(format!("spacedip: wrote all.ics ({total} events, ics)\n"));
    spacedip(dir.path())
        .args(["export", "--format", "csv", "-q", "-o", "all.csv"])
        .assert()
        .success()
        .stdout("")
        .stderr("");
    let csv = fs::read_to_string(dir.path().join("all.csv")).unwrap();
    assert_eq!(csv.lines().count(), total + 1);
    let ics = fs::read_to_string(dir.path().join("all.ics")).unwrap();
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), total);
}

#[test]
fn the_written_line_counts_in_the_formats_unit_and_captions_read_as_words() {
    let dir = TempDir::new().unwrap();
    spacedip(dir.path())
        .args(["export", "--format", "bibtex", "-p", "CSS", "-o", "css.bib"])
        .assert()
        .success()
        .stderr(
            predicate::str::is_match(r"^spacedip: wrote css\.bib \(\d+ sources, bibtex\)\n")
                .unwrap(),
        );
    let out = spacedip(dir.path())
        .args([
            "export",
            "--format",
            "mermaid",
            "-p",
            "ILRS",
            "-c",
            "bilateral",
            "--since",
            "2023",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("· ILRS, bilateral channel, from 2023"),
        "{text}"
    );
    assert!(!text.contains("--programme"), "{text}");
    let out = spacedip(dir.path())
        .args([
            "export",
            "--format",
            "svg",
            "-p",
            "CSS",
            "--title",
            "Figure 2: the CSS",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out)
        .unwrap()
        .contains("Figure 2: the CSS"));
}

#[test]
fn the_network_exports_are_the_stats_graph_and_parse() {
    let dir = TempDir::new().unwrap();
    let stats = spacedip(dir.path())
        .args(["stats", "-p", "ILRS", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let stats: serde_json::Value = serde_json::from_slice(&stats).unwrap();
    let (n, m) = (
        stats[0]["n"].as_u64().unwrap() as usize,
        stats[0]["m"].as_u64().unwrap() as usize,
    );
    let graphml = spacedip(dir.path())
        .args(["export", "--format", "graphml", "-p", "ILRS"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let graphml = String::from_utf8(graphml).unwrap();
    let doc = roxmltree::Document::parse(&graphml).unwrap();
    let count = |tag: &str| doc.descendants().filter(|d| d.has_tag_name(tag)).count();
    assert_eq!((count("node"), count("edge")), (n, m));
    assert!(graphml.contains(r#"<node id="CHN">"#));
    let gexf = spacedip(dir.path())
        .args(["export", "--format", "gexf", "-p", "ILRS"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let gexf = String::from_utf8(gexf).unwrap();
    let doc = roxmltree::Document::parse(&gexf).unwrap();
    let nodes: Vec<_> = doc
        .descendants()
        .filter(|d| d.has_tag_name("node"))
        .collect();
    assert_eq!(nodes.len(), n);
    assert!(nodes
        .iter()
        .all(|x| x.attribute("start").is_some() && x.attribute("end").is_some()));
    let edges = doc.descendants().filter(|d| d.has_tag_name("edge")).count();
    assert_eq!(edges, m);
}

#[test]
fn long_tables_and_ris_carry_one_row_per_party_pair_and_source() {
    let dir = TempDir::new().unwrap();
    let out = |args: &[&str]| {
        let bytes = spacedip(dir.path())
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(bytes).unwrap()
    };
    let events = out(&["list", "-p", "ILRS", "--format", "json"]);
    let events: Vec<serde_json::Value> = serde_json::from_str(&events).unwrap();
    let parties: usize = events
        .iter()
        .map(|e| e["parties"].as_array().unwrap().len())
        .sum();
    let pairs: usize = events
        .iter()
        .map(|e| {
            let k = e["parties"].as_array().unwrap().len();
            k * k.saturating_sub(1) / 2
        })
        .sum();
    let ea = out(&["export", "--format", "event-actors", "-p", "ILRS"]);
    let mut r = csv::Reader::from_reader(ea.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(&header[..4], ["event_id", "date", "precision", "programme"]);
    assert!(header.contains(&"certainty".to_string()) && header.contains(&"iso3".to_string()));
    assert_eq!(r.records().count(), parties);
    let dyads = out(&["export", "--format", "dyads", "-p", "ILRS"]);
    let mut r = csv::Reader::from_reader(dyads.as_bytes());
    assert_eq!(r.records().count(), pairs);
    let ris = out(&["export", "--format", "ris", "-p", "ILRS"]);
    let csl = out(&["export", "--format", "csl-json", "-p", "ILRS"]);
    let csl: Vec<serde_json::Value> = serde_json::from_str(&csl).unwrap();
    assert_eq!(
        ris.matches("\nER  - ").count() + usize::from(ris.starts_with("ER")),
        csl.len()
    );
    assert!(ris.starts_with("TY  - "), "{ris}");
}

#[test]
fn the_two_mode_network_has_actors_and_events_as_its_two_kinds_of_node() {
    let dir = TempDir::new().unwrap();
    let out = spacedip(dir.path())
        .args([
            "export",
            "--format",
            "graphml",
            "--network",
            "two-mode",
            "-p",
            "CSS",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let kind = |n: &roxmltree::Node| {
        n.children()
            .find(|d| d.attribute("key") == Some("node_type"))
            .and_then(|d| d.text())
            .unwrap_or("")
            .to_string()
    };
    let nodes: Vec<_> = doc
        .descendants()
        .filter(|d| d.has_tag_name("node"))
        .collect();
    let events = nodes.iter().filter(|n| kind(n) == "true").count();
    let actors = nodes.iter().filter(|n| kind(n) == "false").count();
    assert_eq!(events, 25, "the CSS's cooperation events");
    assert_eq!(actors + events, nodes.len());
    let ids: std::collections::HashSet<_> =
        nodes.iter().filter_map(|n| n.attribute("id")).collect();
    let edges: Vec<_> = doc
        .descendants()
        .filter(|d| d.has_tag_name("edge"))
        .collect();
    assert!(edges.len() >= events);
    for e in &edges {
        // Every edge joins an actor to an event, both of them drawn.
        let (s, t) = (
            e.attribute("source").unwrap(),
            e.attribute("target").unwrap(),
        );
        assert!(ids.contains(s) && ids.contains(t), "{s} -> {t}");
        assert!(!s.starts_with("event:") && t.starts_with("event:"));
        assert!(e
            .children()
            .any(|d| d.attribute("key") == Some("edge_roles")));
    }
    // The written line counts the two-mode graph, not the partner network.
    let file = dir.path().join("two-mode.graphml");
    spacedip(dir.path())
        .args([
            "export",
            "--format",
            "graphml",
            "--network",
            "two-mode",
            "-p",
            "CSS",
            "-o",
        ])
        .arg(&file)
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "({} nodes, {} edges, graphml)",
            nodes.len(),
            edges.len()
        )));
    spacedip(dir.path())
        .args(["export", "--format", "gexf", "--network", "two-mode"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("add --format graphml"));
    spacedip(dir.path())
        .args(["export", "--format", "graphml", "--network", "bogus"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "possible values: partners, two-mode",
        ));
}

#[test]
fn dyad_years_are_state_pairs_keyed_by_cow_codes_and_add_up() {
    let dir = TempDir::new().unwrap();
    let run = |args: &[&str]| {
        let o = spacedip(dir.path()).args(args).assert().success();
        let o = o.get_output();
        (
            String::from_utf8(o.stdout.clone()).unwrap(),
            String::from_utf8(o.stderr.clone()).unwrap(),
        )
    };
    let (text, stderr) = run(&["export", "--format", "dyad-years"]);
    // Every state of the seed has a COW code: no warning.
    assert!(!stderr.contains("no COW code"), "{stderr}");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        &header[..8],
        ["ccode1", "ccode2", "iso3_1", "iso3_2", "year", "state1", "state2", "events"]
    );
    let channels = 8..12;
    assert_eq!(
        &header[channels.clone()],
        [
            "un_multilateral",
            "other_multilateral",
            "bilateral",
            "national"
        ]
    );
    let programmes = 12..header.len();
    assert!(header[programmes.clone()]
        .iter()
        .all(|h| h.starts_with("programme_")));
    let mut seen = std::collections::HashSet::new();
    let mut rows = 0;
    for row in r.records() {
        let row = row.unwrap();
        rows += 1;
        let n = |i: usize| row[i].parse::<u32>().unwrap();
        let (c1, c2) = (n(0), n(1));
        assert!(c1 < c2, "ccode1 < ccode2 in an undirected dyad: {row:?}");
        assert!(seen.insert((c1, c2, n(4))), "one row per dyad and year");
        let events = n(7);
        assert!(events >= 1);
        assert_eq!(channels.clone().map(n).sum::<u32>(), events, "{row:?}");
        assert_eq!(programmes.clone().map(n).sum::<u32>(), events, "{row:?}");
    }
    let (_, stderr) = run(&["export", "--format", "dyad-years", "-o", "dy.csv"]);
    assert!(
        stderr.contains(&format!("({rows} dyad-years, dyad-years)")),
        "{stderr}"
    );
    // The China–Russia ILRS declaration of 2021 (ILRS-03) ties 710 and 365 that year.
    let (ilrs, _) = run(&["export", "--format", "dyad-years", "-p", "ILRS"]);
    assert!(
        ilrs.lines()
            .any(|l| l.starts_with("365,710,RUS,CHN,2021,RUS,CHN,")),
        "{ilrs}"
    );
    // A university or an NGO does not make its state a party: ILOA (a US NGO) signed with
    // CNSA, yet no US–China ILRS dyad follows.
    assert!(!ilrs.lines().any(|l| l.starts_with("2,710,")), "{ilrs}");
    // The state parties of event-actors carry their COW code.
    let (ea, _) = run(&["export", "--format", "event-actors"]);
    let mut r = csv::Reader::from_reader(ea.as_bytes());
    let h = r.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (kind, ccode) = (col("actor_kind"), col("ccode"));
    for row in r.records() {
        let row = row.unwrap();
        assert_eq!(row[kind] == *"state", !row[ccode].is_empty(), "{row:?}");
    }
}

#[test]
fn a_state_without_a_cow_code_is_named_on_import_and_export() {
    let dir = TempDir::new().unwrap();
    fs::write(
        dir.path().join("actors.csv"),
        "id,name,kind,iso3,country,aliases\nPSE,Palestine,state,PSE,,\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("events.csv"),
        "id,date,end_date,programme,kind,channel,valence,venue,follows,title,summary,notes,parties,institutions,sources\n\
         X-1,2024-05,,ILRS,agreement,bilateral,cooperation,,,A test agreement,,,CHN:signatory;PSE:signatory,,spacenews2024nic\n",
    )
    .unwrap();
    spacedip(dir.path())
        .args(["import", "actors.csv", "events.csv"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "actors.csv:2: no COW code for the state Palestine (PSE)",
        ));
    let o = spacedip(dir.path())
        .args(["export", "--format", "dyad-years", "-p", "ILRS", "--quiet"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "no COW code for the state Palestine (PSE)",
        ));
    let text = String::from_utf8(o.get_output().stdout.clone()).unwrap();
    // The row is kept, its code left empty, and sorted after the coded ones.
    assert!(
        text.lines()
            .any(|l| l.starts_with("710,,CHN,PSE,2024,CHN,PSE,1,")),
        "{text}"
    );
}

#[test]
fn two_actors_of_one_cow_state_are_one_side_of_a_dyad() {
    // The Soviet Union and Russia share COW code 365: together in one event they are no dyad,
    // and their ties to the United States in one year are one row.
    let dir = TempDir::new().unwrap();
    fs::write(
        dir.path().join("events.csv"),
        "id,date,end_date,programme,kind,channel,valence,venue,follows,title,summary,notes,parties,institutions,sources\n\
         X-1,1991-03,,OST,agreement,bilateral,cooperation,,,A test agreement,,,SUN:signatory;RUS:signatory,,unoosa1966\n\
         X-2,1991-05,,OST,agreement,bilateral,cooperation,,,A second one,,,USA:signatory;SUN:signatory,,unoosa1966\n\
         X-3,1991-09,,OST,agreement,bilateral,cooperation,,,A third one,,,USA:signatory;RUS:signatory,,unoosa1966\n",
    )
    .unwrap();
    spacedip(dir.path())
        .args(["import", "events.csv"])
        .assert()
        .success();
    let o = spacedip(dir.path())
        .args([
            "export",
            "--format",
            "dyad-years",
            "--since",
            "1991",
            "--until",
            "1991",
            "-p",
            "OST",
        ])
        .assert()
        .success();
    let text = String::from_utf8(o.get_output().stdout.clone()).unwrap();
    let rows: Vec<&str> = text.lines().skip(1).collect();
    assert!(!rows.iter().any(|l| l.starts_with("365,365,")), "{text}");
    let us: Vec<_> = rows.iter().filter(|l| l.starts_with("2,365,")).collect();
    assert_eq!(us.len(), 1, "{text}");
    // Written as Russia (it has an ISO3), counting both events.
    assert!(us[0].starts_with("2,365,USA,RUS,1991,USA,RUS,2,"), "{text}");
}

#[test]
fn the_svg_width_is_settable_and_lane_names_wrap_instead_of_being_cut() {
    let dir = TempDir::new().unwrap();
    let o = spacedip(dir.path())
        .args(["export", "--format", "svg", "--width", "800"])
        .assert()
        .success();
    let svg = String::from_utf8(o.get_output().stdout.clone()).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let root = doc.root_element();
    assert_eq!(root.attribute("width"), Some("800"));
    assert!(root.attribute("viewBox").unwrap().starts_with("0 0 800 "));
    // "US space policy towards China" is longer than the margin's line: wrapped, not cut.
    let names: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("font-size") == Some("10") && n.attribute("fill") == Some("#444"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        names.contains(&"US space policy towards") && names.contains(&"China"),
        "{names:?}"
    );
    assert!(names.iter().all(|n| !n.ends_with('…')), "{names:?}");
    spacedip(dir.path())
        .args(["export", "--format", "csv", "--width", "800"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("add --format svg"));
    spacedip(dir.path())
        .args(["export", "--format", "svg", "--width", "100"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("600..=10000"));
}

#[test]
fn streamed_exports_match_the_listed_events_byte_for_byte() {
    // `export` and `list` write CSV from the same stream, read a chunk at a time: the bytes
    // must agree, whatever the filter. NDJSON (streamed) must hold what JSON (written from
    // the selection held whole) holds; the stream against the held events is also checked
    // in `db::stream`'s tests.
    let dir = TempDir::new().unwrap();
    for flags in [
        vec![],
        vec!["-c", "bilateral", "--sort", "title", "--desc"],
        vec!["--search", "lunar"],
        vec!["-p", "NOPE_NOT_THERE_IS_REFUSED"],
    ] {
        let run = |cmd: &[&str]| {
            let mut args: Vec<&str> = cmd.to_vec();
            args.extend(&flags);
            spacedip(dir.path()).args(&args).output().unwrap()
        };
        let listed = run(&["list", "--format", "csv"]);
        let exported = run(&["export", "--format", "csv"]);
        assert_eq!(listed.status.code(), exported.status.code(), "{flags:?}");
        assert_eq!(listed.stdout, exported.stdout, "{flags:?}");
        let ndjson = run(&["export", "--format", "ndjson"]);
        let json = run(&["export", "--format", "json"]);
        if json.status.success() {
            let array: Vec<serde_json::Value> = serde_json::from_slice(&json.stdout).unwrap();
            let lines: Vec<serde_json::Value> = String::from_utf8(ndjson.stdout)
                .unwrap()
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            assert_eq!(lines, array, "{flags:?}");
        }
    }
}
