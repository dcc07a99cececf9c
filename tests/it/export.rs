//! Every export format on the fixture, the seed and hostile data: golden files, structural
//! checks that parse each output back, and the CSV round trip through import.

use std::collections::{BTreeSet, HashSet};

use chrono::{DateTime, Utc};
use spacedip::db::Db;
use spacedip::domain::{Catalog, Event, Filter, KnownIds, Precision};
use spacedip::export::{self, Format, Options, Selection};
use spacedip::import::{read_tables, TableKind};

use crate::common;

pub fn options() -> Options {
    let now: DateTime<Utc> = "2025-01-31T12:00:00Z".parse().unwrap();
    Options::new(now)
}

pub fn load(db: &Db) -> (Vec<Event>, Catalog) {
    let catalog = db.catalog().unwrap();
    let events = db.events(&Filter::default(), &catalog).unwrap();
    (events, catalog)
}

fn run(format: Format, events: &[Event], catalog: &Catalog, options: &Options) -> String {
    let mut out = Vec::new();
    export::write(format, Selection { events, catalog }, options, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Hostile data through the real import: markup, quotes, `]]>`, control characters, line
/// breaks, formula-like cells, TeX and Mermaid syntax, wide characters.
pub fn hostile_db() -> Db {
    let programmes = "id,name,issue_area,lead_agency,lead_state,description\n\
        EVIL,\"Evil <b>\"\"programme\"\"</b> & co: #1; 50% [x] {y} ]]>\",lunar,,,A hostile name.\n\
        PLAIN,Plain programme,leo_human_spaceflight,,,Plain.\n";
    let actors = "id,name,kind,iso3,country,aliases\n\
        -ACT,\"=Actor \"\"Quote\"\" <i>x</i> & \\ back\",state,,,\n\
        AG1,\"Agency; with, punctuation: and #hash\",space_agency,,-ACT,\n";
    let institutions = "id,name,kind,in_force,ended,issue_areas,url,description\n\
        INST,\"Inst ]]> <script>alert(1)</script>\",treaty,2000,,lunar,https://ex.org/i?a=1&b=2,d\n";
    let members = "institution,actor,joined,left\n";
    let sources = "id,type,author,title,container,publisher,issued,url,doi,language,accessed\n\
        src-1,webpage,\"Doe, Jane;Evil Org & Co {x}\",\"]]> <script>alert(\"\"x\"\")</script> {\\}% $ # _ ^ ~ & \\end\",Con <tainer>,Pub & Co,2021-03,\"https://ex.org/a b\"\"<script>\",10.1000/{x},en,2024-05-01\n\
        src2,report,,\"=SUM(A1) title, with comma; and semicolon\",,,2020,https://ex.org/report,,,\n";
    let events = "id,date,end_date,programme,kind,channel,title,summary,notes,parties,institutions,sources\n\
        -1,2021-03,,EVIL,mou,bilateral,\"=HYPERLINK(\"\"http://evil\"\")\x07 <script>alert('x')</script> ]]> \"\"quoted\"\"\",\"-2+3 @SUM(A1)\r\nsecond line\twith tab; semi: colon # hash % [brackets] {braces} \\ backslash\x1b[31m\",+notes,-ACT:signatory;AG1,INST,src-1:p. 5 <b>;src2\n\
        E2,2020,2022-06,PLAIN,workshop,un_multilateral,\"@mention – 中文标题 with 🚀 and a very long title that goes on and on, to fold calendar lines and labels\",,,AG1:host,,src2\n\
        E3,2022-09-16,,EVIL,statement,national,\"'Oumuamua-like \"\"apostrophe\"\" title\",\"Line one\nline two\",,-ACT,,src-1\n\
        E4,2022-09-16,,PLAIN,agreement,multilateral,Same day as E3 ]]>,%% not a comment,,AG1,,src2\n";
    let files: Vec<(&str, &[u8], TableKind)> = vec![
        (
            "programmes.csv",
            programmes.as_bytes(),
            TableKind::Programmes,
        ),
        ("actors.csv", actors.as_bytes(), TableKind::Actors),
        (
            "institutions.csv",
            institutions.as_bytes(),
            TableKind::Institutions,
        ),
        (
            "institution_members.csv",
            members.as_bytes(),
            TableKind::Memberships,
        ),
        ("sources.csv", sources.as_bytes(), TableKind::Sources),
        ("events.csv", events.as_bytes(), TableKind::Events),
    ];
    let data = read_tables(&files, &KnownIds::default()).unwrap();
    let mut db = Db::open_in_memory().unwrap();
    db.insert_dataset(&data).unwrap();
    db
}

/// The three datasets every check runs on.
fn datasets() -> Vec<(&'static str, Db)> {
    vec![
        ("mini", common::mini_db()),
        ("seed", Db::open_seeded_in_memory().unwrap()),
        ("hostile", hostile_db()),
    ]
}

// ---------- golden files ----------

/// The ICS golden is stored with LF line ends; CRLF is checked separately.
fn golden_text(format: Format, s: &str) -> String {
    if format == Format::Ics {
        s.replace("\r\n", "\n")
    } else {
        s.to_string()
    }
}

#[test]
fn golden_files_for_every_format() {
    for (name, db) in datasets() {
        let (events, catalog) = load(&db);
        for &f in Format::ALL.iter().filter(|f| !f.is_binary()) {
            let out = run(f, &events, &catalog, &options());
            insta::assert_snapshot!(format!("{name}_{}", f.as_str()), golden_text(f, &out));
        }
    }
}

#[test]
fn golden_empty_selection_for_every_format() {
    let db = common::mini_db();
    let (_, catalog) = load(&db);
    for &f in Format::ALL.iter().filter(|f| !f.is_binary()) {
        let out = run(f, &[], &catalog, &options());
        insta::assert_snapshot!(format!("empty_{}", f.as_str()), golden_text(f, &out));
    }
}

#[test]
fn output_is_deterministic() {
    let db = Db::open_seeded_in_memory().unwrap();
    let (events, catalog) = load(&db);
    for &f in Format::ALL.iter().filter(|f| !f.is_binary()) {
        let a = run(f, &events, &catalog, &options());
        let b = run(f, &events, &catalog, &options());
        assert_eq!(a, b, "{f}");
    }
}

/// Every format that can be written from a stream of events writes, from one, the bytes it
/// writes from the events held: on each dataset and on an empty selection.
#[test]
fn streamed_formats_write_the_bytes_of_held_events() {
    for (name, db) in datasets() {
        let (events, catalog) = load(&db);
        for &f in Format::ALL.iter().filter(|f| f.streams()) {
            for (selection, held) in [(&events[..], "all"), (&[][..], "none")] {
                let mut stream = selection.iter().cloned().map(Ok);
                let mut out = Vec::new();
                export::write_stream(
                    f,
                    &mut stream,
                    selection.len(),
                    &catalog,
                    &options(),
                    &spacedip::progress::Silent,
                    &mut out,
                )
                .unwrap();
                let streamed = String::from_utf8(out).unwrap();
                assert_eq!(
                    streamed,
                    run(f, selection, &catalog, &options()),
                    "{name} {f} {held}"
                );
            }
        }
    }
}

/// An event that cannot be read ends a streamed export with that error, not a message of the
/// writer's own.
#[test]
fn a_streamed_export_fails_with_the_error_of_the_event_it_could_not_read() {
    let db = Db::open_seeded_in_memory().unwrap();
    let (events, catalog) = load(&db);
    for &f in Format::ALL.iter().filter(|f| f.streams()) {
        let mut stream = events[..3]
            .iter()
            .cloned()
            .map(Ok)
            .chain(std::iter::once(Err(spacedip::error::Error::Internal(
                "the disk went away".into(),
            ))));
        let mut out = Vec::new();
        let err = export::write_stream(
            f,
            &mut stream,
            4,
            &catalog,
            &options(),
            &spacedip::progress::Silent,
            &mut out,
        )
        .unwrap_err();
        assert!(err.to_string().contains("the disk went away"), "{f}: {err}");
    }
}

// ---------- structural checks ----------

fn check_json(events: &[Event], catalog: &Catalog, json: &str, ndjson: &str) {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), events.len());
    for (r, e) in arr.iter().zip(events) {
        assert_eq!(r["id"], e.id.as_str());
        assert_eq!(r["title"], e.title.as_str());
        assert_eq!(r["parties"].as_array().unwrap().len(), e.parties.len());
        for (p, party) in r["parties"].as_array().unwrap().iter().zip(&e.parties) {
            assert_eq!(p["role"], party.role.as_str());
            assert!(p["name"].is_string());
        }
        assert_eq!(
            r["institutions"].as_array().unwrap().len(),
            e.institutions.len()
        );
        for (s, sref) in r["sources"].as_array().unwrap().iter().zip(&e.sources) {
            let full = catalog.source(&sref.source).unwrap();
            assert_eq!(s["title"], full.title.as_str());
            assert_eq!(s["url"].as_str(), full.url.as_deref());
        }
    }
    let lines: Vec<&str> = ndjson.lines().collect();
    assert_eq!(lines.len(), events.len());
    for (line, r) in lines.iter().zip(arr) {
        let one: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(&one, r);
    }
}

fn check_timelinejs(events: &[Event], catalog: &Catalog, json: &str, csv_text: &str) {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    assert!(v["title"]["text"]["headline"].is_string());
    let slides = v["events"].as_array().unwrap();
    assert_eq!(slides.len(), events.len());
    let mut ids = HashSet::new();
    for (s, e) in slides.iter().zip(events) {
        assert_eq!(s["unique_id"], e.id.as_str());
        assert!(ids.insert(e.id.clone()));
        let start = &s["start_date"];
        assert_eq!(start["year"], e.date.year_value());
        match e.date.precision() {
            Precision::Year => assert!(start.get("month").is_none() && start.get("day").is_none()),
            Precision::Month => assert!(start["month"].is_number() && start.get("day").is_none()),
            Precision::Day => assert!(start["day"].is_number()),
        }
        let programme = catalog.programme(&e.programme).unwrap();
        let group = s["group"].as_str().unwrap();
        assert!(!group.contains('<') && !group.contains('>'), "{group}");
        if !programme.name.contains(['<', '>', '&']) {
            assert_eq!(group, programme.name, "group is the programme");
        }
        let text = s["text"]["text"].as_str().unwrap();
        assert!(!text.contains("<script"), "{text}");
        assert!(text.contains(e.channel.label()));
    }
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, export::timelinejs_csv::COLUMNS);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), events.len() + 1);
    assert_eq!(&rows[0][15], "title");
    for (row, e) in rows[1..].iter().zip(events) {
        assert_eq!(&row[0], e.date.year_value().to_string().as_str());
        assert_eq!(row[2].is_empty(), e.date.day_value().is_none());
    }
}

fn prop<'a>(c: &'a icalendar::parser::Component<'a>, name: &str) -> &'a str {
    c.find_prop(name)
        .unwrap_or_else(|| panic!("no {name}"))
        .val
        .as_str()
}

fn check_ics(events: &[Event], ics: &str) {
    assert!(ics.ends_with("\r\n"));
    for line in ics.split("\r\n") {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare line break: {line:?}"
        );
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    let unfolded = icalendar::parser::unfold(ics);
    let cal = icalendar::parser::read_calendar(&unfolded).unwrap();
    let vevents: Vec<_> = cal
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .collect();
    assert_eq!(vevents.len(), events.len());
    for (v, e) in vevents.iter().zip(events) {
        assert_eq!(prop(v, "UID"), format!("{}@spacedip", e.id));
        assert_eq!(prop(v, "DTSTAMP"), "20250131T120000Z");
        let start = v.find_prop("DTSTART").unwrap();
        assert!(start.params.iter().any(
            |p| p.key.as_str() == "VALUE" && p.val.as_ref().map(|v| v.as_str()) == Some("DATE")
        ));
        assert_eq!(
            prop(v, "DTSTART"),
            e.date.first_day().format("%Y%m%d").to_string()
        );
        let end = e.last_date().last_day().succ_opt().unwrap();
        assert_eq!(prop(v, "DTEND"), end.format("%Y%m%d").to_string());
        assert_eq!(prop(v, "X-SPACEDIP-PRECISION"), e.date.precision().as_str());
        let description = v
            .find_prop("DESCRIPTION")
            .unwrap()
            .val
            .clone()
            .unescape_text();
        assert!(description
            .as_str()
            .contains(&format!("precision: {}", e.date.precision())));
    }
}

const CSL_TYPES: [&str; 10] = [
    "article-journal",
    "article-newspaper",
    "webpage",
    "report",
    "legislation",
    "treaty",
    "speech",
    "book",
    "chapter",
    "post-weblog",
];

fn check_csl(events: &[Event], catalog: &Catalog, json: &str) {
    let cited: BTreeSet<&str> = events
        .iter()
        .flat_map(|e| e.sources.iter().map(|s| s.source.as_str()))
        .collect();
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), cited.len(), "one item per cited source");
    let ids: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids, cited.iter().copied().collect::<Vec<_>>());
    for item in items {
        assert!(
            CSL_TYPES.contains(&item["type"].as_str().unwrap()),
            "{item}"
        );
        assert!(!item["title"].as_str().unwrap().is_empty());
        let source = catalog.source(item["id"].as_str().unwrap()).unwrap();
        for field in ["issued", "accessed"] {
            if let Some(d) = item.get(field) {
                let parts = d["date-parts"].as_array().unwrap();
                assert_eq!(parts.len(), 1);
                let ymd = parts[0].as_array().unwrap();
                assert!((1..=3).contains(&ymd.len()), "{item}");
                assert!(ymd.iter().all(|n| n.is_i64()));
            }
        }
        match source.issued {
            Some(d) => assert_eq!(
                item["issued"]["date-parts"][0].as_array().unwrap().len(),
                1 + d.month_value().is_some() as usize + d.day_value().is_some() as usize
            ),
            None => assert!(item.get("issued").is_none()),
        }
        if let Some(u) = item.get("URL") {
            let u = u.as_str().unwrap();
            assert!(u.starts_with("http://") || u.starts_with("https://"));
            assert!(
                !u.contains(' ') && !u.contains('"') && !u.contains('<'),
                "{u}"
            );
        }
        for a in item
            .get("author")
            .and_then(|a| a.as_array())
            .into_iter()
            .flatten()
        {
            assert!(
                a.get("literal").is_some()
                    || (a.get("family").is_some() && a.get("given").is_some())
            );
        }
    }
}

/// Every entry opens with `@type{key,`, keys are unique, braces balance (BibTeX counts even
/// escaped ones), and no value line breaks an entry.
fn check_bibtex(events: &[Event], bib: &str) {
    let cited: BTreeSet<&str> = events
        .iter()
        .flat_map(|e| e.sources.iter().map(|s| s.source.as_str()))
        .collect();
    let entries: Vec<&str> = bib.split("\n@").skip(1).collect();
    assert_eq!(entries.len(), cited.len());
    let mut keys = HashSet::new();
    for entry in entries {
        let (head, _) = entry.split_once(',').unwrap();
        let (_, key) = head.split_once('{').unwrap();
        assert!(keys.insert(key.to_string()), "duplicate key {key}");
        let mut depth = 0i32;
        for c in entry.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            assert!(depth >= 0, "unbalanced: {entry}");
        }
        assert_eq!(depth, 0, "unbalanced: {entry}");
        for line in entry.lines().skip(1) {
            assert!(
                line == "}" || (line.starts_with("  ") && line.ends_with(',')),
                "{line:?}"
            );
        }
    }
}

fn check_svg(events: &[Event], svg: &str) {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("width"), Some("1200"));
    let marks: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("mark"))
        .collect();
    assert_eq!(marks.len(), events.len(), "one mark per event");
    let ids: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("event"))
        .filter_map(|n| n.attribute("data-id"))
        .collect();
    let expected: BTreeSet<&str> = events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.iter().copied().collect::<BTreeSet<_>>(), expected);
    assert!(!doc.descendants().any(|n| n.tag_name().name() == "script"));
}

fn check_markdown(events: &[Event], md: &str) {
    let rows: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Date") && !l.starts_with("| ---"))
        .collect();
    assert_eq!(rows.len(), events.len());
    for r in rows {
        let cells = r.replace("\\|", "").matches('|').count();
        assert_eq!(cells, 7, "{r}");
    }
    assert!(!md.replace("\\<", "").contains("<script"), "raw markup");
}

/// Each event appears once after a ` : `, and no raw syntax character survives.
fn check_mermaid(events: &[Event], mmd: &str) {
    let mut lines = mmd.lines();
    assert_eq!(lines.next(), Some("timeline"));
    let mut seen = 0;
    for l in lines {
        let t = l.trim_start();
        assert!(
            t.starts_with("title ") || t.starts_with("section ") || t.contains(" : "),
            "{l}"
        );
        let without_entities: String = {
            let mut s = t.to_string();
            while let Some(i) = s.find('#') {
                let end = s[i..].find(';').map(|j| i + j + 1).unwrap();
                assert!(s[i + 1..end - 1].chars().all(|c| c.is_ascii_digit()), "{t}");
                s.replace_range(i..end, "");
            }
            s
        };
        for bad in ['%', '<', '>', '"', '{', '}', '[', ']', ';'] {
            assert!(!without_entities.contains(bad), "{bad} in {t}");
        }
        if !t.starts_with("title ") && !t.starts_with("section ") {
            seen += t.matches(" : ").count();
        }
    }
    assert_eq!(seen, events.len());
}

#[test]
fn every_format_parses_back() {
    for (name, db) in datasets() {
        let (events, catalog) = load(&db);
        for evs in [&events[..], &[]] {
            let o = options();
            let out = |f| run(f, evs, &catalog, &o);
            eprintln!("{name}: {} events", evs.len());
            check_json(evs, &catalog, &out(Format::Json), &out(Format::Ndjson));
            check_timelinejs(
                evs,
                &catalog,
                &out(Format::TimelineJs),
                &out(Format::TimelineJsCsv),
            );
            check_ics(evs, &out(Format::Ics));
            check_csl(evs, &catalog, &out(Format::CslJson));
            check_bibtex(evs, &out(Format::Bibtex));
            check_svg(evs, &out(Format::Svg));
            check_markdown(evs, &out(Format::Markdown));
            check_mermaid(evs, &out(Format::Mermaid));
        }
    }
}

// ---------- the CSV interchange round trip ----------

/// Exports the events CSV, imports it with the dataset's other tables into a fresh database,
/// and exports again.
fn round_trip(db: &Db, neutralise: bool) -> (String, String) {
    let (events, catalog) = load(db);
    let mut o = options();
    o.neutralise = neutralise;
    let first = run(Format::Csv, &events, &catalog, &o);
    let mut fresh = Db::open_in_memory().unwrap();
    let reference = spacedip::domain::Dataset {
        programmes: catalog.programmes.clone(),
        actors: catalog.actors.clone(),
        institutions: catalog.institutions.clone(),
        memberships: catalog.memberships.clone(),
        sources: catalog.sources.clone(),
        events: Vec::new(),
    };
    fresh.insert_dataset(&reference).unwrap();
    let known = fresh.known_ids().unwrap();
    let imported = read_tables(
        &[("events.csv", first.as_bytes(), TableKind::Events)],
        &known,
    )
    .unwrap();
    assert_eq!(imported.events.len(), events.len());
    fresh.insert_dataset(&imported).unwrap();
    let (events2, catalog2) = load(&fresh);
    let second = run(Format::Csv, &events2, &catalog2, &o);
    (first, second)
}

#[test]
fn csv_round_trips_byte_for_byte() {
    for (name, db) in datasets() {
        let (first, second) = round_trip(&db, true);
        assert_eq!(first, second, "{name}");
        let (raw_first, raw_second) = round_trip(&db, false);
        assert_eq!(raw_first, raw_second, "{name} without neutralisation");
    }
}

#[test]
fn csv_neutralises_formula_cells_and_import_restores_them() {
    let db = hostile_db();
    let (events, catalog) = load(&db);
    let out = run(Format::Csv, &events, &catalog, &options());
    let mut r = csv::Reader::from_reader(out.as_bytes());
    for row in r.records() {
        for cell in row.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "formula cell {cell:?}"
            );
        }
    }
    assert!(out.contains("'-1,2021-03"));
    assert!(out.contains("\"'=HYPERLINK"));
    assert!(out.contains("'Oumuamua"));
    let mut raw = options();
    raw.neutralise = false;
    let out = run(Format::Csv, &events, &catalog, &raw);
    assert!(out.contains("\n-1,2021-03,"));
    // The seed's events and the importer agree: the event ids survive the round trip.
    let (first, _) = round_trip(&db, true);
    let back = read_tables(
        &[("events.csv", first.as_bytes(), TableKind::Events)],
        &db.known_ids().unwrap(),
    )
    .unwrap();
    let ids: Vec<&str> = back.events.iter().map(|e| e.id.as_str()).collect();
    assert!(ids.contains(&"-1"));
    let e = back.events.iter().find(|e| e.id == "-1").unwrap();
    assert!(e.title.starts_with("=HYPERLINK"));
    assert_eq!(e.parties[0].actor, "-ACT");
}

#[test]
fn timelinejs_csv_neutralises_unless_asked_not_to() {
    let db = hostile_db();
    let (events, catalog) = load(&db);
    let out = run(Format::TimelineJsCsv, &events, &catalog, &options());
    assert!(out.contains("'=HYPERLINK"));
    assert!(out.contains("'@mention"));
    let mut raw = options();
    raw.neutralise = false;
    let out = run(Format::TimelineJsCsv, &events, &catalog, &raw);
    assert!(out.contains(",=HYPERLINK") && !out.contains("'=HYPERLINK"));
}
