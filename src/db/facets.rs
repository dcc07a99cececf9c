//! Facet counts: how many events each programme, channel, kind, partner and year would
//! select, computed with GROUP BY over the same WHERE clause as the one event query path.

use std::collections::BTreeMap;

use rusqlite::params_from_iter;
use rusqlite::types::Value;

use super::query::{parse_vocab, where_clause, Where};
use super::Db;
pub use crate::domain::facets::Facets;
use crate::domain::facets::{sort_by_count, FacetIndex, IndexEntry};
use crate::domain::{Catalog, Channel, ChannelFilter, Filter, Kind, Valence};
use crate::error::Result;
use crate::search::corpus::LinkList;
use crate::search::Query;

impl Db {
    /// Counts the events of each facet value under `filter` (see [`Facets`]).
    pub fn facets(&self, filter: &Filter, catalog: &Catalog) -> Result<Facets> {
        let searched = self.searched_keys(filter, catalog)?;
        self.facets_among(filter, catalog, searched.as_deref())
    }

    /// [`Db::facets`], given the row ids of the events the filter's search matches among
    /// all events (`None`: no search).
    fn facets_among(
        &self,
        filter: &Filter,
        catalog: &Catalog,
        searched: Option<&[i64]>,
    ) -> Result<Facets> {
        let matched = searched.map(serde_json::to_string).transpose()?;
        let scoped = |f: &Filter| -> Where {
            let mut w = where_clause(f, catalog);
            if let Some(json) = &matched {
                w.sql
                    .push_str(" AND e.rowid IN (SELECT value FROM json_each(?))");
                w.params.push(Value::Text(json.clone()));
            }
            w
        };

        let mut programmes = self.group_counts(
            "e.programme_id",
            &scoped(&Filter {
                programmes: Vec::new(),
                ..filter.clone()
            }),
        )?;
        sort_by_count(&mut programmes);

        let per_channel = self.group_counts(
            "e.channel",
            &scoped(&Filter {
                channels: Vec::new(),
                ..filter.clone()
            }),
        )?;
        let stored = |c: Channel| -> usize {
            per_channel
                .iter()
                .find(|(name, _)| name == c.as_str())
                .map_or(0, |(_, n)| *n)
        };
        let channels = ChannelFilter::ALL
            .iter()
            .map(|&cut| (cut, cut.channels().iter().map(|&c| stored(c)).sum()))
            .filter(|(_, n)| *n > 0)
            .collect();

        let mut kinds: Vec<(Kind, usize)> = self
            .group_counts(
                "e.kind",
                &scoped(&Filter {
                    kinds: Vec::new(),
                    ..filter.clone()
                }),
            )?
            .into_iter()
            .filter_map(|(k, n)| k.parse().ok().map(|k| (k, n)))
            .collect();
        kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));

        let mut valences: Vec<(Valence, usize)> = self
            .group_counts(
                "e.valence",
                &scoped(&Filter {
                    valences: Vec::new(),
                    ..filter.clone()
                }),
            )?
            .into_iter()
            .filter_map(|(v, n)| v.parse().ok().map(|v| (v, n)))
            .collect();
        valences.sort();

        let partners = self.partner_counts(&scoped(filter))?;
        let years = self.year_counts(&scoped(&Filter {
            since: None,
            until: None,
            ..filter.clone()
        }))?;
        Ok(Facets {
            programmes,
            channels,
            kinds,
            valences,
            partners,
            years,
        })
    }

    /// The row ids a filter's search matches over all events, or `None` when there is no
    /// search.
    fn searched_keys(&self, filter: &Filter, catalog: &Catalog) -> Result<Option<Vec<i64>>> {
        let Some(query) = filter.search.as_deref().and_then(Query::parse) else {
            return Ok(None);
        };
        let mut corpus = self.corpus(query.needs_notes())?;
        let matched = corpus
            .search(&query, catalog, self, None, &|| false)?
            .unwrap_or_default();
        Ok(Some(matched.into_iter().map(|m| m.key).collect()))
    }

    /// The in-memory index the browser's worker counts facets with (see
    /// [`FacetIndex::count`]), over every event.
    pub fn facet_index(&self, catalog: &Catalog) -> Result<FacetIndex> {
        let parties = self.link_list("event_actor", "actor_id")?;
        self.facet_index_with(catalog, &parties)
    }

    /// [`Db::facet_index`] with the parties read already.
    pub(super) fn facet_index_with(
        &self,
        catalog: &Catalog,
        parties: &LinkList,
    ) -> Result<FacetIndex> {
        let mut ix = FacetIndex::new();
        let mut st = self.conn.prepare(
            "SELECT rowid, programme_id, channel, kind, valence, day_lo, day_hi FROM event ORDER BY rowid",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let text = |i: usize| -> rusqlite::Result<&str> { Ok(r.get_ref(i)?.as_str()?) };
            ix.push(IndexEntry {
                key: r.get(0)?,
                programme: text(1)?,
                channel: parse_vocab(r.get(2)?)?,
                kind: parse_vocab(r.get(3)?)?,
                valence: parse_vocab(r.get(4)?)?,
                day_lo: text(5)?,
                day_hi: text(6)?,
            });
        }
        ix.link(&parties.pairs, &parties.dict, catalog);
        Ok(ix)
    }

    /// Runs a `SELECT key, count(*)` query with the filter's parameters.
    fn key_counts(&self, sql: &str, w: &Where) -> Result<Vec<(String, usize)>> {
        let mut st = self.conn.prepare(sql)?;
        let rows = st.query_map(params_from_iter(w.params.iter()), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize))
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn group_counts(&self, column: &str, w: &Where) -> Result<Vec<(String, usize)>> {
        let sql = format!(
            "SELECT {column}, count(*) FROM event e WHERE {} GROUP BY 1",
            w.sql
        );
        self.key_counts(&sql, w)
    }

    /// Events per actor across the event_actor link; a state also counts the events of the
    /// actors whose country it is.
    fn partner_counts(&self, w: &Where) -> Result<Vec<(String, usize)>> {
        let sql = format!(
            "SELECT k, count(*) FROM (
                 SELECT ea.event_id AS ev, ea.actor_id AS k FROM event_actor ea
                 UNION
                 SELECT ea.event_id, a.country FROM event_actor ea
                 JOIN actor a ON a.id = ea.actor_id WHERE a.country IS NOT NULL
             ) WHERE ev IN (SELECT e.id FROM event e WHERE {})
             GROUP BY k ORDER BY 2 DESC, k",
            w.sql
        );
        self.key_counts(&sql, w)
    }

    /// Events per year, an event counting in every year its span touches, as the date
    /// filters select them.
    fn year_counts(&self, w: &Where) -> Result<Vec<(i32, usize)>> {
        let sql = format!(
            "SELECT CAST(substr(e.day_lo, 1, 4) AS INTEGER), CAST(substr(e.day_hi, 1, 4) AS INTEGER),
                    count(*)
             FROM event e WHERE {} GROUP BY 1, 2",
            w.sql
        );
        let mut st = self.conn.prepare(&sql)?;
        let mut years: BTreeMap<i32, usize> = BTreeMap::new();
        let mut rows = st.query(params_from_iter(w.params.iter()))?;
        while let Some(r) = rows.next()? {
            let (lo, hi, n): (i32, i32, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
            for y in lo..=hi.max(lo) {
                *years.entry(y).or_default() += n as usize;
            }
        }
        Ok(years.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PartialDate;

    fn seeded() -> (Db, Catalog) {
        let db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        (db, catalog)
    }

    fn count(db: &Db, c: &Catalog, f: &Filter) -> usize {
        db.search(f, c).unwrap().len()
    }

    /// The worker's in-memory count agrees with the SQL count under every kind of filter.
    #[test]
    fn the_index_counts_what_sql_counts() {
        let (db, c) = seeded();
        let ix = db.facet_index(&c).unwrap();
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
            let counted = ix.count(&f, &c, searched.as_deref(), &|| false).unwrap();
            assert_eq!(counted, db.facets(&f, &c).unwrap(), "{f:?}");
        }
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
