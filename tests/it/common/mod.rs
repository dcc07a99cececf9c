//! Helpers shared by the integration tests.

use spacedip::db::Db;
use spacedip::domain::KnownIds;
use spacedip::import::{read_tables, TableKind};

/// The small, hand-checked fixture dataset of `tests/fixtures/mini`, as (file, bytes, table).
fn mini_files() -> Vec<(&'static str, &'static [u8], TableKind)> {
    vec![
        (
            "programmes.csv",
            include_bytes!("../../fixtures/mini/programmes.csv"),
            TableKind::Programmes,
        ),
        (
            "actors.csv",
            include_bytes!("../../fixtures/mini/actors.csv"),
            TableKind::Actors,
        ),
        (
            "institutions.csv",
            include_bytes!("../../fixtures/mini/institutions.csv"),
            TableKind::Institutions,
        ),
        (
            "institution_members.csv",
            include_bytes!("../../fixtures/mini/institution_members.csv"),
            TableKind::Memberships,
        ),
        (
            "sources.csv",
            include_bytes!("../../fixtures/mini/sources.csv"),
            TableKind::Sources,
        ),
        (
            "events.csv",
            include_bytes!("../../fixtures/mini/events.csv"),
            TableKind::Events,
        ),
    ]
}

/// An in-memory database holding the fixture dataset.
pub fn mini_db() -> Db {
    let mut db = Db::open_in_memory().expect("in-memory db");
    let data = read_tables(&mini_files(), &KnownIds::default()).expect("fixtures are valid");
    db.insert_dataset(&data).expect("fixtures load");
    db
}
