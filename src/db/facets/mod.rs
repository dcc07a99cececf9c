//! Facet counts for the browser: the in-memory `FacetIndex` over every event, read with the
//! search corpus in one pass (`Db::browse_index`, whose positions it shares) and counted in
//! `domain::facets`. The SQL count (`sql.rs`,
//! GROUP BY over the one WHERE clause) is kept for the tests, as the reference the index is
//! held to.

#[cfg(test)]
mod sql;

pub use crate::domain::facets::Facets;

#[cfg(test)]
mod tests {
    use crate::db::Db;
    use crate::domain::{Catalog, ChannelFilter, Filter, Kind, PartialDate, Valence};

    fn seeded() -> (Db, Catalog) {
        let db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        (db, catalog)
    }

    fn count(db: &Db, c: &Catalog, f: &Filter) -> usize {
        db.search(f, c).unwrap().len()
    }

    /// The worker's in-memory count agrees with the SQL count under every kind of filter,
    /// row ids with gaps included (an event deleted in the middle).
    #[test]
    fn the_index_counts_what_sql_counts() {
        let (db, c) = seeded();
        db.conn
            .execute(
                "DELETE FROM event WHERE rowid = (SELECT rowid FROM event ORDER BY rowid \
                 LIMIT 1 OFFSET 40)",
                [],
            )
            .unwrap();
        let (corpus, ix) = db.browse_index(&c, false).unwrap();
        let filters = [
            Filter::default(),
            Filter {
                programmes: vec!["ILRS".into()],
                ..Filter::default()
            },
            Filter {
                channels: vec![ChannelFilter::Multilateral],
                kinds: vec![Kind::Mou, Kind::Agreement],
                ..Filter::default()
            },
            Filter {
                actors: vec!["russia".into(), "CHN".into()],
                ..Filter::default()
            },
            Filter {
                since: Some("2019".parse().unwrap()),
                until: Some("2024-06".parse().unwrap()),
                valences: vec![Valence::Cooperation],
                ..Filter::default()
            },
            Filter {
                search: Some("lunar".into()),
                programmes: vec!["CSS".into()],
                ..Filter::default()
            },
        ];
        for f in filters {
            let searched = db.searched_keys(&f, &c).unwrap();
            let among = searched.map(|keys| corpus.positions(&keys));
            let counted = ix.count(&f, &c, among.as_deref(), &|| false).unwrap();
            assert_eq!(counted, db.facets(&f, &c).unwrap(), "{f:?}");
        }
    }

    /// A search hit the index does not hold (an event added after it was built) is left
    /// out of the count, not counted as another event.
    #[test]
    fn a_hit_the_index_lacks_is_not_counted() {
        let (db, c) = seeded();
        let (corpus, ix) = db.browse_index(&c, false).unwrap();
        let lunar = Filter {
            search: Some("lunar".into()),
            ..Filter::default()
        };
        let before = {
            let keys = db.searched_keys(&lunar, &c).unwrap().unwrap();
            ix.count(&lunar, &c, Some(&corpus.positions(&keys)), &|| false)
                .unwrap()
        };
        assert_eq!(before, db.facets(&lunar, &c).unwrap());
        let columns = crate::db::rows::EVENT_COLUMNS;
        let copied = columns.replacen("e.id", "e.id || '-copy'", 1);
        db.conn
            .execute(
                &format!(
                    "INSERT INTO event ({}) SELECT {copied} FROM event e \
                     WHERE e.title LIKE '%lunar%' LIMIT 1",
                    columns.replace("e.", "")
                ),
                [],
            )
            .unwrap();
        let keys = db.searched_keys(&lunar, &c).unwrap().unwrap();
        let after = ix
            .count(&lunar, &c, Some(&corpus.positions(&keys)), &|| false)
            .unwrap();
        assert_eq!(after, before, "the new event is not the index's to count");
    }

    #[test]
    fn each_count_is_what_picking_the_value_selects() {
        let (db, c) = seeded();
        let base = Filter {
            since: Some(PartialDate::year(2016)),
            ..Filter::default()
        };
        let f = db.facets(&base, &c).unwrap();
        assert!(!f.programmes.is_empty() && !f.partners.is_empty() && !f.years.is_empty());
        for (p, n) in &f.programmes {
            let pick = Filter {
                programmes: vec![p.clone()],
                ..base.clone()
            };
            assert_eq!(count(&db, &c, &pick), *n, "programme {p}");
        }
        for (cut, n) in &f.channels {
            let pick = Filter {
                channels: vec![*cut],
                ..base.clone()
            };
            assert_eq!(count(&db, &c, &pick), *n, "channel {cut}");
        }
        for (k, n) in &f.kinds {
            let pick = Filter {
                kinds: vec![*k],
                ..base.clone()
            };
            assert_eq!(count(&db, &c, &pick), *n, "kind {k}");
        }
        for (a, n) in &f.partners {
            let pick = Filter {
                actors: vec![a.clone()],
                ..base.clone()
            };
            assert_eq!(count(&db, &c, &pick), *n, "partner {a}");
        }
        for (y, n) in &f.years {
            let pick = Filter {
                since: Some(PartialDate::year(*y)),
                until: Some(PartialDate::year(*y)),
                ..base.clone()
            };
            assert_eq!(count(&db, &c, &pick), *n, "year {y}");
        }
    }

    #[test]
    fn a_field_is_counted_without_its_own_selection_and_search_applies() {
        let (db, c) = seeded();
        let all = db.facets(&Filter::default(), &c).unwrap();
        let bilateral = Filter {
            channels: vec![ChannelFilter::Bilateral],
            ..Filter::default()
        };
        let f = db.facets(&bilateral, &c).unwrap();
        // The channel facet still shows every channel, as without the channel filter ...
        assert_eq!(f.channels, all.channels);
        // ... while the other fields count bilateral events only.
        let programme_total: usize = f.programmes.iter().map(|(_, n)| n).sum();
        assert_eq!(programme_total, count(&db, &c, &bilateral));

        let searched = Filter {
            search: Some("pakistan".into()),
            ..Filter::default()
        };
        let f = db.facets(&searched, &c).unwrap();
        let programme_total: usize = f.programmes.iter().map(|(_, n)| n).sum();
        assert_eq!(programme_total, count(&db, &c, &searched));
        assert!(f.partners.iter().any(|(a, _)| a == "PAK"));
    }
}
