use chrono::TimeZone;

use super::*;

fn release(dataset: &Dataset) -> Release<'_> {
    Release {
        dataset,
        name: "spacedip".into(),
        title: "Test release".into(),
        scope: "all events".into(),
        args: String::new(),
        authors: vec!["A. Analyst".into()],
        licence: Some("CC-BY-4.0".into()),
        now: Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap(),
    }
}

fn file<'a>(p: &'a Package, path: &str) -> &'a [u8] {
    &p.files.iter().find(|f| f.path == path).unwrap().bytes
}

#[test]
fn every_row_has_a_cell_per_column_and_the_tables_count_the_records() {
    let data = crate::seed::dataset().unwrap();
    for t in TABLES.iter() {
        for row in (t.rows)(&data) {
            assert_eq!(row.len(), t.fields.len(), "{}", t.name);
        }
        for key in t.primary_key {
            assert!(t.fields.iter().any(|f| f.name == *key), "{}.{key}", t.name);
        }
        for k in t.foreign_keys {
            assert!(TABLES.iter().any(|o| o.name == k.table), "{}", k.table);
        }
    }
    let rows = |name: &str| (TABLES.iter().find(|t| t.name == name).unwrap().rows)(&data).len();
    let parties: usize = data.events.iter().map(|e| e.parties.len()).sum();
    assert_eq!(rows("event"), data.events.len());
    assert_eq!(rows("event_actor"), parties);
    assert_eq!(rows("actor"), data.actors.len());
}

#[test]
fn the_descriptor_describes_every_table_with_keys_sizes_and_hashes() {
    let data = crate::seed::dataset().unwrap();
    let p = build(&release(&data)).unwrap();
    let d: Value = serde_json::from_slice(file(&p, "datapackage.json")).unwrap();
    assert_eq!(d["profile"], "tabular-data-package");
    assert_eq!(d["spacedip:content_hash"], p.content_hash.as_str());
    let resources = d["resources"].as_array().unwrap();
    assert_eq!(resources.len(), TABLES.len());
    let event = resources.iter().find(|r| r["name"] == "event").unwrap();
    assert_eq!(event["path"], "data/event.csv");
    assert_eq!(event["schema"]["primaryKey"], json!(["id"]));
    let bytes = file(&p, "data/event.csv");
    assert_eq!(event["bytes"], bytes.len());
    assert_eq!(
        event["hash"],
        format!("sha256:{}", hex(&Sha256::digest(bytes)))
    );
    let channel = event["schema"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "channel")
        .unwrap();
    assert_eq!(
        channel["constraints"]["enum"],
        json!(["un_multilateral", "multilateral", "bilateral", "national"])
    );
    // A reference to the same table names no resource.
    let follows = event["schema"]["foreignKeys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["fields"] == json!(["follows"]))
        .unwrap();
    assert_eq!(follows["reference"]["resource"], "");
    // The header row is the schema's field names, in order.
    let header = std::str::from_utf8(bytes).unwrap().lines().next().unwrap();
    let names: Vec<&str> = event["schema"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(header, names.join(","));
}

#[test]
fn the_content_hash_follows_the_data_not_the_release_date() {
    let mut data = crate::seed::dataset().unwrap();
    let first = build(&release(&data)).unwrap();
    let mut later = release(&data);
    later.now = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
    later.title = "Another title".into();
    assert_eq!(build(&later).unwrap().content_hash, first.content_hash);
    assert_eq!(build(&release(&data)).unwrap(), first, "deterministic");
    data.events[0].title.push('!');
    assert_ne!(
        build(&release(&data)).unwrap().content_hash,
        first.content_hash
    );
    assert!(first.content_hash.starts_with("sha256:") && first.content_hash.len() == 71);
}

#[test]
fn the_citation_and_the_datasette_metadata_carry_what_their_readers_need() {
    let data = crate::seed::dataset().unwrap();
    let mut r = release(&data);
    r.title = "Quotes \" and\\ back".into();
    let p = build(&r).unwrap();
    let cff = std::str::from_utf8(file(&p, "CITATION.cff")).unwrap();
    for key in [
        "cff-version: 1.2.0\n",
        "type: dataset\n",
        "title: \"Quotes \\\" and\\\\ back\"\n",
        "authors:\n  - name: \"A. Analyst\"\n",
        "date-released: \"2026-11-30\"\n",
        "license: \"CC-BY-4.0\"\n",
    ] {
        assert!(cff.contains(key), "{key:?} in\n{cff}");
    }
    assert!(cff.contains(&p.content_hash));
    let meta: Value = serde_json::from_slice(file(&p, "metadata.json")).unwrap();
    let tables = &meta["databases"]["spacedip"]["tables"];
    assert_eq!(tables["event"]["facets"][0], "programme_id");
    assert!(tables["event"]["columns"]["channel"].is_string());
    assert_eq!(tables["history"]["hidden"], true);
    assert_eq!(meta["license"], "CC-BY-4.0");
    // Without authors, the title's contributors are credited as a group.
    r.authors.clear();
    let cff = String::from_utf8(file(&build(&r).unwrap(), "CITATION.cff").to_vec()).unwrap();
    assert!(cff.contains("contributors\"\n"), "{cff}");
}

#[test]
fn the_codebook_lists_every_column_and_the_coding_rules() {
    let data = crate::seed::dataset().unwrap();
    let p = build(&release(&data)).unwrap();
    let book = std::str::from_utf8(file(&p, "codebook.md")).unwrap();
    for t in TABLES.iter() {
        assert!(book.contains(&format!("### `{}`", t.name)), "{}", t.name);
        for f in t.fields {
            assert!(book.contains(&format!("| `{}` |", f.name)), "{}", f.name);
        }
    }
    assert!(book.contains("**Channel: one rule for every event"));
    assert!(book.contains(&format!("| `data/event.csv` | {} |", data.events.len())));
    assert!(book.contains("`formal_only`"));
}
