//! `--format xlsx` read back as a spreadsheet program would: the workbook's sheets, their rows,
//! and cells as values (never formulas, even for hostile text).

use std::io::Read;

use spacedip::db::Db;
use spacedip::export::{self, Format, Selection};

use crate::export::{hostile_db, load, options};

/// The workbook's parts by name: the XML of each sheet, the shared strings, the workbook.
fn parts(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip container");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut text = String::new();
            f.read_to_string(&mut text).unwrap();
            (f.name().to_string(), text)
        })
        .collect()
}

fn part<'a>(parts: &'a [(String, String)], name: &str) -> &'a str {
    &parts.iter().find(|(n, _)| n == name).unwrap().1
}

fn workbook(db: &Db) -> (Vec<u8>, usize, usize) {
    let (events, catalog) = load(db);
    let mut out = Vec::new();
    export::write(
        Format::Xlsx,
        Selection {
            events: &events,
            catalog: &catalog,
        },
        &options(),
        &mut out,
    )
    .unwrap();
    let parties = events.iter().map(|e| e.parties.len()).sum();
    (out, events.len(), parties)
}

#[test]
fn the_workbook_has_a_sheet_per_table_and_a_row_per_record() {
    let db = Db::open_seeded_in_memory().unwrap();
    let (bytes, events, parties) = workbook(&db);
    let parts = parts(&bytes);
    let book = part(&parts, "xl/workbook.xml");
    for name in ["events", "parties", "sources", "codebook"] {
        assert!(book.contains(&format!("name=\"{name}\"")), "{name}");
    }
    let rows = |sheet: &str| part(&parts, sheet).matches("<row ").count();
    assert_eq!(rows("xl/worksheets/sheet1.xml"), events + 1);
    assert_eq!(rows("xl/worksheets/sheet2.xml"), parties + 1);
    // Dates are real dates, styled as such (a number with a date format).
    let events_sheet = part(&parts, "xl/worksheets/sheet1.xml");
    assert!(events_sheet.contains("<autoFilter"));
    assert!(part(&parts, "xl/styles.xml").contains("yyyy-mm-dd"));
    assert!(
        parts.iter().all(|(_, xml)| !xml.contains("<f>")),
        "no formulas"
    );
}

#[test]
fn hostile_text_stays_text() {
    let (bytes, _, _) = workbook(&hostile_db());
    let parts = parts(&bytes);
    let strings = part(&parts, "xl/sharedStrings.xml");
    assert!(
        strings.contains("=Actor"),
        "a formula-like name is a string"
    );
    assert!(
        parts.iter().all(|(_, xml)| !xml.contains("<f>")),
        "no formulas"
    );
    // Every part is well-formed XML, whatever the data held.
    for (name, xml) in &parts {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}

#[test]
fn the_cli_writes_the_workbook_to_a_file() {
    let dir = tempfile::TempDir::new().unwrap();
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("spacedip");
    cmd.env("SPACEDIP_DB", dir.path().join("db.sqlite"))
        .current_dir(dir.path())
        .args([
            "export",
            "--format",
            "xlsx",
            "-p",
            "ILRS",
            "-o",
            "ilrs.xlsx",
        ])
        .assert()
        .success()
        .stderr(predicates::str::contains("wrote ilrs.xlsx"));
    let bytes = std::fs::read(dir.path().join("ilrs.xlsx")).unwrap();
    assert!(part(&parts(&bytes), "xl/workbook.xml").contains("name=\"events\""));
}
