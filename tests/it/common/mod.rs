//! Helpers shared by the integration tests.

use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;
use assert_cmd::Command;
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

/// The binary on the database at `db`, whatever `SPACEDIP_DB` says outside the test.
pub fn spacedip_on(db: &Path) -> Command {
    let mut cmd = cargo_bin_cmd!("spacedip");
    cmd.env_remove("SPACEDIP_DB").arg("--db").arg(db);
    cmd
}

/// The binary working in `dir` on `dir/db.sqlite` (through `SPACEDIP_DB`, as a user's shell
/// would set it), with no reproducible-build clock, so that relative output paths land in
/// `dir`.
pub fn spacedip_in(dir: &Path) -> Command {
    let mut cmd = cargo_bin_cmd!("spacedip");
    cmd.env("SPACEDIP_DB", dir.join("db.sqlite"))
        .env_remove("SOURCE_DATE_EPOCH")
        .current_dir(dir);
    cmd
}
