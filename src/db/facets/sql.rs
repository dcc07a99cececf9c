//! The facet counts in SQL: GROUP BY over the same WHERE clause as the one event query
//! path. The browser counts with the in-memory index; this is what the tests hold it to.

use std::collections::BTreeMap;

use rusqlite::params_from_iter;
use rusqlite::types::Value;

use super::super::query::where_clause;
use super::super::rows::Where;
use super::super::Db;
use super::Facets;
use crate::domain::facets::sort_by_count;
use crate::domain::{Catalog, Channel, ChannelFilter, Filter, Kind, Valence};
use crate::error::Result;
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
    pub(in crate::db) fn searched_keys(
        &self,
        filter: &Filter,
        catalog: &Catalog,
    ) -> Result<Option<Vec<i64>>> {
        let Some(query) = filter.search.as_deref().and_then(Query::parse) else {
            return Ok(None);
        };
        let mut corpus = self.corpus(query.needs_notes())?;
        let matched = corpus
            .search(&query, catalog, self, None, &|| false)?
            .unwrap_or_default();
        Ok(Some(
            matched.into_iter().map(|m| corpus.key(m.pos)).collect(),
        ))
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
