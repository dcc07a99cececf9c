//! The QCA case table on the seed: a plain CSV, one row per programme, scores in [0, 1].

use spacedip::db::Db;
use spacedip::domain::Filter;
use spacedip::export::case_table::write_case_table;
use spacedip::export::Selection;

fn seed_table() -> (String, Vec<String>) {
    let db = Db::open_seeded_in_memory().unwrap();
    let catalog = db.catalog().unwrap();
    let events = db.events(&Filter::default(), &catalog).unwrap();
    let mut with_events: Vec<String> = catalog
        .programmes
        .iter()
        // A case is a programme with at least one cooperation event (US_POLICY has only an
        // obstacle).
        .filter(|p| {
            events
                .iter()
                .any(|e| e.programme == p.id && e.valence == spacedip::domain::Valence::Cooperation)
        })
        .map(|p| p.id.clone())
        .collect();
    with_events.sort();
    let mut out = Vec::new();
    write_case_table(
        Selection {
            events: &events,
            catalog: &catalog,
        },
        &mut out,
    )
    .unwrap();
    (String::from_utf8(out).unwrap(), with_events)
}

/// A syntactically valid R name: a letter (or a dot not followed by a digit), then letters,
/// digits, dots and underscores.
fn valid_r_name(s: &str) -> bool {
    let mut chars = s.chars();
    let first_ok = match chars.next() {
        Some(c) if c.is_ascii_alphabetic() => true,
        Some('.') => !s[1..].starts_with(|c: char| c.is_ascii_digit()),
        _ => false,
    };
    first_ok
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
}

#[test]
fn case_table_parses_with_one_row_per_programme_and_scores_in_unit_interval() {
    let (text, programmes) = seed_table();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header, ["programme", "DENSE", "EMBED", "BROAD", "MULTI"]);
    assert!(header.iter().all(|h| valid_r_name(h)), "{header:?}");
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let mut names: Vec<String> = rows.iter().map(|r| r[0].to_string()).collect();
    names.sort();
    assert_eq!(
        names, programmes,
        "one row per programme with cooperation events"
    );
    assert!(!names.contains(&"US_POLICY".to_string()));
    for row in &rows {
        assert_eq!(row.len(), header.len());
        for (i, cell) in row.iter().enumerate().skip(1) {
            let x: f64 = cell
                .parse()
                .unwrap_or_else(|_| panic!("{}: {cell:?} is not a number", header[i]));
            assert!((0.0..=1.0).contains(&x), "{}: {x}", header[i]);
            assert_ne!(x, 0.5, "a case on the crossover");
        }
        assert!(
            matches!(&row[4], "0" | "1"),
            "MULTI is crisp: {:?}",
            &row[4]
        );
    }
}

#[test]
fn case_table_codes_the_two_programmes_of_the_article() {
    let (text, _) = seed_table();
    let row = |p: &str| -> Vec<String> {
        text.lines()
            .find(|l| l.starts_with(&format!("{p},")))
            .unwrap()
            .split(',')
            .map(str::to_string)
            .collect()
    };
    // CSS: 9 multilateral events against 1 bilateral; ILRS: 2 against 30.
    assert_eq!(row("CSS")[4], "1");
    assert_eq!(row("ILRS")[4], "0");
}
