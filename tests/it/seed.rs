//! The embedded seed: it loads through the import code, every reference resolves, every event
//! is sourced with a URL, and the schema's CHECK lists agree with the Rust vocabularies.

use std::collections::HashSet;

use spacedip::db::{Db, SCHEMA_SQL};
use spacedip::domain::{
    ActorKind, Channel, Filter, InstitutionKind, IssueArea, Kind, Role, SourceType,
};

#[test]
fn seed_loads_and_every_reference_resolves() {
    let data = spacedip::seed::dataset().unwrap_or_else(|e| panic!("seed is invalid: {e}"));
    let actors: HashSet<&str> = data.actors.iter().map(|a| a.id.as_str()).collect();
    let sources: HashSet<&str> = data.sources.iter().map(|s| s.id.as_str()).collect();
    let institutions: HashSet<&str> = data.institutions.iter().map(|i| i.id.as_str()).collect();
    let programmes: HashSet<&str> = data.programmes.iter().map(|p| p.id.as_str()).collect();
    for e in &data.events {
        assert!(
            programmes.contains(e.programme.as_str()),
            "{}: programme {}",
            e.id,
            e.programme
        );
        for p in &e.parties {
            assert!(
                actors.contains(p.actor.as_str()),
                "{}: actor {}",
                e.id,
                p.actor
            );
        }
        for i in &e.institutions {
            assert!(
                institutions.contains(i.as_str()),
                "{}: institution {i}",
                e.id
            );
        }
        assert!(!e.sources.is_empty(), "{} has no source", e.id);
        for s in &e.sources {
            assert!(
                sources.contains(s.source.as_str()),
                "{}: source {}",
                e.id,
                s.source
            );
        }
    }
}

#[test]
fn every_event_has_a_source_with_a_url() {
    let data = spacedip::seed::dataset().unwrap();
    for e in &data.events {
        let with_url = e.sources.iter().filter(|r| {
            data.sources.iter().any(|s| {
                s.id == r.source && s.url.as_deref().is_some_and(|u| u.starts_with("http"))
            })
        });
        assert!(with_url.count() > 0, "{} has no source with a URL", e.id);
    }
}

#[test]
fn seed_database_passes_sqlite_integrity_and_foreign_key_checks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seed.db");
    let db = Db::open(&path).unwrap();
    let catalog = db.catalog().unwrap();
    let all = db.events(&Filter::default(), &catalog).unwrap();
    assert_eq!(all.len(), spacedip::seed::dataset().unwrap().events.len());
    assert_eq!(db.integrity().unwrap(), ("ok".to_string(), 0));
}

#[test]
fn dates_keep_the_precision_written_in_the_seed() {
    let data = spacedip::seed::dataset().unwrap();
    let mut reader = csv::Reader::from_reader(include_str!("../../seed/events.csv").as_bytes());
    let mut seen = 0;
    for row in reader.records() {
        let row = row.unwrap();
        let event = data.events.iter().find(|e| e.id == row[0]).unwrap();
        assert_eq!(event.date.to_string(), &row[1], "{}", event.id);
        assert_eq!(
            event.end_date.map(|d| d.to_string()).unwrap_or_default(),
            &row[2]
        );
        seen += 1;
    }
    assert_eq!(seen, data.events.len());
}

/// The values listed in `column IN (...)` in schema.sql, for every occurrence of the column.
fn check_list(column: &str) -> Vec<HashSet<String>> {
    let needle = format!("{column} IN");
    let mut lists = Vec::new();
    let mut rest = SCHEMA_SQL;
    while let Some(i) = rest.find(&needle) {
        let after = &rest[i + needle.len()..];
        let open = after.find('(').unwrap();
        let close = after.find(')').unwrap();
        let inner = &after[open + 1..close];
        lists.push(
            inner
                .split(',')
                .map(|v| v.trim().trim_matches('\'').to_string())
                .filter(|v| !v.is_empty())
                .collect(),
        );
        rest = &after[close..];
    }
    assert!(!lists.is_empty(), "no CHECK list for {column}");
    lists
}

fn names(v: Vec<&'static str>) -> HashSet<String> {
    v.into_iter().map(str::to_string).collect()
}

#[test]
fn schema_check_lists_agree_with_the_vocabularies() {
    for list in check_list("channel") {
        assert_eq!(list, names(Channel::names()));
    }
    for list in check_list("issue_area") {
        assert_eq!(list, names(IssueArea::names()));
    }
    for list in check_list("role") {
        assert_eq!(list, names(Role::names()));
    }
    for list in check_list("type") {
        assert_eq!(list, names(SourceType::names()));
    }
    // `kind` is used by three tables; each list must be one of the three vocabularies.
    let kinds = [
        names(Kind::names()),
        names(ActorKind::names()),
        names(InstitutionKind::names()),
    ];
    let lists = check_list("kind");
    for k in &kinds {
        assert!(lists.contains(k), "no CHECK list matches {k:?}");
    }
    // The other lists are the tally's formal instruments (counted in SQL by the migration
    // that creates the tally, in Rust by every later write): they must be the same kinds.
    let formal = names(Kind::FORMAL.iter().map(|k| k.as_str()).collect());
    let others: Vec<_> = lists.iter().filter(|l| !kinds.contains(l)).collect();
    assert_eq!(others.len(), 3, "{others:?}");
    assert!(others.iter().all(|l| **l == formal), "{others:?}");
}
