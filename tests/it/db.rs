//! The data layer on in-memory SQLite: the one Filter query path, loads, and refusals.

use spacedip::db::Db;
use spacedip::domain::{ChannelFilter, Dataset, Filter, Kind, SortKey, SortOrder};

use crate::common;

fn ids(db: &Db, f: &Filter) -> Vec<String> {
    let catalog = db.catalog().unwrap();
    let f = f.checked(&catalog).unwrap();
    db.events(&f, &catalog)
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect()
}

#[test]
fn default_filter_returns_everything_in_date_order() {
    let db = common::mini_db();
    assert_eq!(
        ids(&db, &Filter::default()),
        ["CSS-06", "CTX-08", "ILRS-03", "ILRS-11"]
    );
    let desc = Filter {
        order: SortOrder::Desc,
        ..Filter::default()
    };
    assert_eq!(ids(&db, &desc), ["ILRS-11", "ILRS-03", "CTX-08", "CSS-06"]);
    let by_title = Filter {
        sort: SortKey::Title,
        ..Filter::default()
    };
    assert_eq!(ids(&db, &by_title)[0], "ILRS-03"); // "China and Russia …"
}

#[test]
fn single_valued_fields_are_alternatives() {
    let db = common::mini_db();
    let f = Filter {
        programmes: vec!["css".into(), "ARTEMIS".into()],
        ..Filter::default()
    };
    assert_eq!(ids(&db, &f), ["CSS-06", "CTX-08"]);
    let f = Filter {
        channels: vec![ChannelFilter::Multilateral],
        ..Filter::default()
    };
    assert_eq!(ids(&db, &f), ["CSS-06", "CTX-08"]);
    let f = Filter {
        channels: vec![ChannelFilter::Un],
        ..Filter::default()
    };
    assert_eq!(ids(&db, &f), ["CSS-06"]);
    let f = Filter {
        kinds: vec![Kind::Mou, Kind::Agreement],
        ..Filter::default()
    };
    assert_eq!(ids(&db, &f), ["CTX-08", "ILRS-03", "ILRS-11"]);
}

#[test]
fn repeated_actors_must_all_take_part_and_states_include_their_agencies() {
    let db = common::mini_db();
    // ARE takes part in CTX-08 and ILRS-11; MBRSC (an Emirati agency) only in ILRS-11.
    let f = Filter {
        actors: vec!["United Arab Emirates".into()],
        ..Filter::default()
    };
    assert_eq!(ids(&db, &f), ["CTX-08", "ILRS-11"]);
    let f = Filter {
        actors: vec!["uae".into(), "China".into()],
        ..Filter::default()
    };
    assert_eq!(ids(&db, &f), ["ILRS-11"]);
    // Russia's agency Roscosmos by its native-script alias.
    let f = Filter {
        actors: vec!["Роскосмос".into()],
        ..Filter::default()
    };
    assert_eq!(ids(&db, &f), ["ILRS-03"]);
}

#[test]
fn date_bounds_are_taken_at_their_precision() {
    let db = common::mini_db();
    let f = Filter {
        since: Some("2021".parse().unwrap()),
        ..Filter::default()
    };
    assert_eq!(ids(&db, &f), ["ILRS-03", "ILRS-11"]);
    let f = Filter {
        until: Some("2020-10".parse().unwrap()),
        ..Filter::default()
    };
    assert_eq!(ids(&db, &f), ["CSS-06", "CTX-08"]);
    let f = Filter {
        since: Some("2021-03-09".parse().unwrap()),
        until: Some("2021-03-09".parse().unwrap()),
        ..Filter::default()
    };
    assert_eq!(ids(&db, &f), ["ILRS-03"]);
}

#[test]
fn search_ranks_within_the_structured_filter() {
    let db = common::mini_db();
    let catalog = db.catalog().unwrap();
    let f = Filter {
        search: Some("emirati rovr".into()),
        ..Filter::default()
    };
    let found = db.search(&f, &catalog).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].event.id, "ILRS-11");
    assert!(!found[0].hit.as_ref().unwrap().title_positions.is_empty());
    let f = Filter {
        search: Some("source:sciencetimes".into()),
        ..Filter::default()
    };
    assert_eq!(ids(&db, &f), ["CTX-08"]);
}

#[test]
fn events_come_back_with_their_links_in_coded_order() {
    let db = common::mini_db();
    let e = db.event("ILRS-03").unwrap().unwrap();
    let parties: Vec<&str> = e.parties.iter().map(|p| p.actor.as_str()).collect();
    assert_eq!(parties, ["CHN", "RUS", "CNSA", "ROSCOSMOS"]);
    assert_eq!(e.sources[0].source, "govcn2021");
    assert_eq!(db.event("NOPE").unwrap(), None);
}

#[test]
fn a_failing_load_writes_nothing() {
    let mut db = common::mini_db();
    let mut bad = Dataset::default();
    let mut e = db.event("ILRS-03").unwrap().unwrap();
    e.id = "NEW-1".into();
    bad.events.push(e.clone());
    let mut dangling = e;
    dangling.id = "NEW-2".into();
    dangling.programme = "NOWHERE".into();
    bad.events.push(dangling);
    assert!(db.insert_dataset(&bad).is_err());
    assert_eq!(
        db.count_events().unwrap(),
        4,
        "the valid first event was rolled back too"
    );
}

#[test]
fn unknown_programme_in_a_filter_names_the_valid_ones() {
    let db = common::mini_db();
    let catalog = db.catalog().unwrap();
    let f = Filter {
        programmes: vec!["MARS".into()],
        ..Filter::default()
    };
    let err = spacedip::Error::from(f.checked(&catalog).unwrap_err());
    assert!(err.is_usage());
    assert_eq!(
        err.to_string(),
        "unknown programme 'MARS' (valid: ARTEMIS, CSS, ILRS)"
    );
}

#[test]
fn seeded_in_memory_database_matches_the_seed() {
    let db = Db::open_seeded_in_memory().unwrap();
    assert_eq!(
        db.count_events().unwrap(),
        spacedip::seed::dataset().unwrap().events.len()
    );
    assert_eq!(db.integrity().unwrap(), ("ok".to_string(), 0));
}

#[test]
fn the_measures_catalog_is_the_catalog_without_its_sources() {
    let db = spacedip::db::Db::open_seeded_in_memory().unwrap();
    let full = db.catalog().unwrap();
    let lean = db.catalog_without_sources().unwrap();
    assert!(!full.sources.is_empty());
    assert!(lean.sources.is_empty());
    assert_eq!(
        format!("{:?}", lean.programmes),
        format!("{:?}", full.programmes)
    );
    assert_eq!(format!("{:?}", lean.actors), format!("{:?}", full.actors));
    assert_eq!(
        format!("{:?}", lean.institutions),
        format!("{:?}", full.institutions)
    );
    assert_eq!(
        format!("{:?}", lean.memberships),
        format!("{:?}", full.memberships)
    );
}

/// A search's hits come in the filter's order whether they are few (sorted by SQLite) or
/// many (placed by the order of every event): the order of the same events without the
/// search, under every sort key and both directions.
#[test]
fn search_hits_keep_the_filters_order_few_or_many() {
    let db = Db::open_seeded_in_memory().unwrap();
    let catalog = db.catalog().unwrap();
    let all = db.count_events().unwrap();
    // "thailand" matches a few of the seed's events; "a" (any word starting with it) all.
    for (query, few) in [("thailand", true), ("a", false)] {
        for &sort in SortKey::ALL {
            for order in [SortOrder::Asc, SortOrder::Desc] {
                let f = Filter {
                    search: Some(query.into()),
                    sort,
                    order,
                    ..Filter::default()
                };
                let hits = db.selected_keys(&f, &catalog).unwrap();
                assert!(!hits.is_empty(), "{query}");
                assert_eq!(
                    hits.len() * 8 < all,
                    few,
                    "{query}: {} of {all}",
                    hits.len()
                );
                let unsearched = Filter {
                    search: None,
                    ..f.clone()
                };
                let in_order: Vec<i64> = db
                    .ordered_keys(&unsearched, &catalog)
                    .unwrap()
                    .into_iter()
                    .filter(|k| hits.contains(k))
                    .collect();
                assert_eq!(hits, in_order, "{query} by {sort:?} {order:?}");
            }
        }
    }
}
