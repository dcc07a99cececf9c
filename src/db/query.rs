//! Reading: the catalog, and events through the one `Filter` query path.

use std::collections::HashMap;
use std::ops::ControlFlow;

use rusqlite::params_from_iter;
use rusqlite::types::Value;

use super::link_list::link_table;
use super::rows::{by_keys, opt_date, parse_date, parse_vocab, Parts, Where};
use super::Db;
use crate::domain::{
    Actor, Catalog, Event, Filter, Institution, Membership, Programme, SortKey, SortOrder, Source,
};
use crate::error::{Error, Result};
use crate::search::corpus::{Matched, Remembered};
use crate::search::{Hit, Query};

/// An event selected by a filter, with its search hit when the filter searched.
#[derive(Debug, Clone)]
pub struct Found {
    pub event: Event,
    pub hit: Option<Hit>,
}

impl Db {
    /// The reference tables.
    pub fn catalog(&self) -> Result<Catalog> {
        self.read_catalog(true)
    }

    /// The reference tables without the sources, for the measures, which never read a
    /// citation: a corpus coded from news wires can cite a source of its own per event, a
    /// million rows that `stats` would otherwise read to count nothing.
    pub fn catalog_without_sources(&self) -> Result<Catalog> {
        self.read_catalog(false)
    }

    fn read_catalog(&self, with_sources: bool) -> Result<Catalog> {
        let c = &self.conn;
        let programmes = c
            .prepare("SELECT id, name, issue_area, lead_agency, lead_state, description, decision_year FROM programme ORDER BY id")?
            .query_map([], |r| {
                Ok(Programme {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    issue_area: parse_vocab(r.get(2)?)?,
                    lead_agency: r.get(3)?,
                    lead_state: r.get(4)?,
                    decision_year: r.get(6)?,
                    description: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let actors = c
            .prepare("SELECT id, name, kind, iso3, country, aliases FROM actor ORDER BY id")?
            .query_map([], |r| {
                let aliases: String = r.get(5)?;
                Ok(Actor {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    kind: parse_vocab(r.get(2)?)?,
                    iso3: r.get(3)?,
                    country: r.get(4)?,
                    aliases: Actor::aliases_from_cell(&aliases),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut areas: HashMap<String, Vec<crate::domain::IssueArea>> = HashMap::new();
        let mut st =
            c.prepare("SELECT institution_id, issue_area FROM institution_area ORDER BY rowid")?;
        for row in st.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, parse_vocab(r.get(1)?)?))
        })? {
            let (id, area) = row?;
            areas.entry(id).or_default().push(area);
        }
        let institutions = c
            .prepare("SELECT id, name, kind, in_force, ended, url, description, scope, open, legalisation, programme_id FROM institution ORDER BY in_force, id")?
            .query_map([], |r| {
                let id: String = r.get(0)?;
                Ok(Institution {
                    issue_areas: areas.get(&id).cloned().unwrap_or_default(),
                    id,
                    name: r.get(1)?,
                    kind: parse_vocab(r.get(2)?)?,
                    in_force: parse_date(r.get(3)?)?,
                    ended: opt_date(r.get(4)?)?,
                    scope: parse_vocab(r.get(7)?)?,
                    open: r.get(8)?,
                    legalisation: r
                        .get::<_, Option<f64>>(9)?
                        .and_then(crate::domain::Weight::new),
                    programme: r.get(10)?,
                    url: r.get(5)?,
                    description: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let memberships = c
            .prepare("SELECT institution_id, actor_id, joined, left_on, joined_latest FROM institution_member ORDER BY institution_id, actor_id")?
            .query_map([], |r| {
                Ok(Membership {
                    institution: r.get(0)?,
                    actor: r.get(1)?,
                    joined: opt_date(r.get(2)?)?,
                    joined_latest: opt_date(r.get(4)?)?,
                    left: opt_date(r.get(3)?)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let where_ = if with_sources { "" } else { " WHERE 0" };
        let sources = c
            .prepare(&format!(
                "SELECT {SOURCE_COLUMNS} FROM source{where_} ORDER BY id"
            ))?
            .query_map([], source_of_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let catalog = Catalog::new(programmes, actors, institutions, memberships, sources);
        Ok(if with_sources {
            catalog
        } else {
            catalog.without_sources()
        })
    }

    /// The number of sources.
    pub fn count_sources(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM source", [], |r| r.get(0))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// The sources with these ids, in id order (ids that do not exist are left out).
    pub fn sources_by_ids(&self, ids: &[&str]) -> Result<Vec<Source>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {SOURCE_COLUMNS} FROM source \
             WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id"
        ))?;
        let json = serde_json::to_string(ids)?;
        let rows = st.query_map([json], source_of_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The sources `events` cite, in id order.
    pub fn sources_cited_by<'e>(
        &self,
        events: impl IntoIterator<Item = &'e Event>,
    ) -> Result<Vec<Source>> {
        let mut cited: Vec<&str> = events
            .into_iter()
            .flat_map(|e| e.sources.iter().map(|r| r.source.as_str()))
            .collect();
        cited.sort_unstable();
        cited.dedup();
        self.sources_by_ids(&cited)
    }

    /// Hands every source to `visit`, one at a time, until it says to stop: a search over a
    /// million sources' titles that never holds them all. In table order (no index walked):
    /// the caller keys them by id.
    pub fn each_source(&self, visit: &mut dyn FnMut(&Source) -> ControlFlow<()>) -> Result<()> {
        let mut st = self
            .conn
            .prepare(&format!("SELECT {SOURCE_COLUMNS} FROM source"))?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            if visit(&source_of_row(r)?).is_break() {
                break;
            }
        }
        Ok(())
    }

    /// The events a filter selects, in its order. This is the one query path: the CLI, the
    /// TUI and the exports all select through it.
    pub fn search(&self, filter: &Filter, catalog: &Catalog) -> Result<Vec<Found>> {
        let w = where_clause(filter, catalog);
        let Some(query) = filter.search.as_deref().and_then(Query::parse) else {
            // The order from the index, the rows in table order: no sort of whole rows.
            let keys = self.ordered_keys(filter, catalog)?;
            let events = self.read_events(&w, &keys, Parts::Whole)?;
            return Ok(events
                .into_iter()
                .map(|event| Found { event, hit: None })
                .collect());
        };
        let ordered = self.matched_in_order(filter, catalog, &w, &query)?;
        let keys: Vec<i64> = ordered.iter().map(|&(key, _)| key).collect();
        let hits: HashMap<i64, Matched> = ordered.into_iter().collect();
        // Paired by row id: an event deleted meanwhile by another process drops out whole.
        Ok(self
            .keyed_events(&keys)?
            .into_iter()
            .filter_map(|(key, event)| {
                let m = hits.get(&key)?;
                let mut hit = m.hit();
                hit.title_positions = query.title_positions(&event.title, m.title_terms);
                Some(Found {
                    event,
                    hit: Some(hit),
                })
            })
            .collect())
    }

    /// The events `query` matches among those `w` selects, in `filter`'s order, with their
    /// keys.
    fn matched_in_order(
        &self,
        filter: &Filter,
        catalog: &Catalog,
        w: &Where,
        query: &Query,
    ) -> Result<Vec<(i64, Matched)>> {
        // The texts are read in table order (no sort of whole rows), only those of the events
        // that can match when the word index narrows them; the filter's order comes from the
        // index, and only the events the search matched are read whole.
        // Narrowing and scoring ask the same of the links: answered once.
        let links = Remembered::new(self);
        let narrowed = self.search_candidates(query, catalog, &links)?;
        let mut corpus = match &narrowed {
            Some(keys) => self.corpus_of(&w.and(by_keys(keys)?), query.needs_notes())?,
            None => self.corpus_of(w, query.needs_notes())?,
        };
        if narrowed.is_some() && corpus.len() <= LINKS_HELD && query.term_count() > 1 {
            let keys: Vec<i64> = (0..corpus.len() as u32).map(|p| corpus.key(p)).collect();
            corpus.set_links(|link| {
                let (table, column) = link_table(link);
                self.links_of_keys(table, column, &keys)
            })?;
        }
        let matched = corpus
            .search(query, catalog, &links, None, &|| false)?
            .unwrap_or_default();
        // A narrow search's hits are put in order by SQLite; a wide one's by the order of
        // every event, read from the index (sorting most of a million rows costs more).
        let order = if narrowed.is_some() || matched.len() * NARROW < corpus.len() {
            let hits: Vec<i64> = matched.iter().map(|m| corpus.key(m.pos)).collect();
            self.keys_where(&by_keys(&hits)?, filter, None)?
        } else {
            self.ordered_keys(filter, catalog)?
        };
        let ordered = corpus.in_order(&order, matched);
        Ok(ordered
            .into_iter()
            .map(|m| (corpus.key(m.pos), m))
            .collect())
    }

    /// The row ids of the events `filter` selects, its search included, in its order: what
    /// [`Db::search`] reads whole, for those that read them a chunk at a time.
    pub fn selected_keys(&self, filter: &Filter, catalog: &Catalog) -> Result<Vec<i64>> {
        match filter.search.as_deref().and_then(Query::parse) {
            None => self.ordered_keys(filter, catalog),
            Some(query) => {
                let w = where_clause(filter, catalog);
                let ordered = self.matched_in_order(filter, catalog, &w, &query)?;
                Ok(ordered.into_iter().map(|(key, _)| key).collect())
            }
        }
    }

    /// The row ids of the events the structured part of `filter` selects (its search
    /// aside), in the filter's order.
    pub fn ordered_keys(&self, filter: &Filter, catalog: &Catalog) -> Result<Vec<i64>> {
        self.first_keys(filter, catalog, None)
    }

    /// The first `limit` of [`Db::ordered_keys`] (all with `None`): the rows a browser
    /// shows first, read from the index without going through the rest.
    pub fn first_keys(
        &self,
        filter: &Filter,
        catalog: &Catalog,
        limit: Option<usize>,
    ) -> Result<Vec<i64>> {
        self.keys_where(&where_clause(filter, catalog), filter, limit)
    }

    /// The row ids of the events `w` selects, in `filter`'s order (the first `limit`).
    fn keys_where(&self, w: &Where, filter: &Filter, limit: Option<usize>) -> Result<Vec<i64>> {
        let limit = limit.map_or(String::new(), |n| format!(" LIMIT {n}"));
        let sql = format!(
            "SELECT e.rowid FROM event e WHERE {} ORDER BY {}{limit}",
            w.sql,
            order_by(filter)
        );
        let mut st = self.conn.prepare(&sql)?;
        let keys = st
            .query_map(params_from_iter(w.params.iter()), |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        Ok(keys)
    }

    /// The number of events the structured part of `filter` selects.
    pub fn count_selected(&self, filter: &Filter, catalog: &Catalog) -> Result<usize> {
        let w = where_clause(filter, catalog);
        let sql = format!("SELECT count(*) FROM event e WHERE {}", w.sql);
        let n: i64 = self
            .conn
            .query_row(&sql, params_from_iter(w.params.iter()), |r| r.get(0))?;
        Ok(n as usize)
    }

    /// The row id of the event `id`, if there is one.
    pub fn key_of(&self, id: &str) -> Result<Option<i64>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT rowid FROM event WHERE id = ?1")?;
        let mut rows = st.query([id])?;
        Ok(match rows.next()? {
            Some(r) => Some(r.get(0)?),
            None => None,
        })
    }

    /// The events with these row ids, whole, in the order given (ids that do not exist are
    /// left out).
    pub fn events_by_keys(&self, keys: &[i64]) -> Result<Vec<Event>> {
        Ok(self
            .keyed_events(keys)?
            .into_iter()
            .map(|(_, e)| e)
            .collect())
    }

    /// [`Db::events_by_keys`], each with its row id.
    pub fn keyed_events(&self, keys: &[i64]) -> Result<Vec<(i64, Event)>> {
        self.read_keyed(&by_keys(keys)?, keys, Parts::Whole)
    }

    /// The events a filter selects with only what the measures read (see
    /// [`Parts::Coded`]): `stats`, `compare` and `programmes` at a million events read a
    /// fraction of the bytes. A search is matched over the corpus first; only the coded
    /// parts of the events it matched are read.
    pub fn coded_events(&self, filter: &Filter, catalog: &Catalog) -> Result<Vec<Event>> {
        let w = where_clause(filter, catalog);
        self.read_events(&w, &self.selected_keys(filter, catalog)?, Parts::Coded)
    }

    /// The events a filter selects (see [`Db::search`]).
    pub fn events(&self, filter: &Filter, catalog: &Catalog) -> Result<Vec<Event>> {
        Ok(self
            .search(filter, catalog)?
            .into_iter()
            .map(|f| f.event)
            .collect())
    }

    /// The stored id an event id typed by a user stands for: itself, or the one id that
    /// matches it without regard to case (`ilrs-03`); otherwise an error suggesting the
    /// closest ids.
    pub fn resolve_event_id(&self, typed: &str) -> Result<String> {
        let mut st = self
            .conn
            .prepare_cached("SELECT id FROM event WHERE id = ?1 COLLATE NOCASE ORDER BY id")?;
        let found: Vec<String> = st
            .query_map([typed], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if found.iter().any(|id| id == typed) {
            return Ok(typed.to_string());
        }
        if let [one] = found.as_slice() {
            return Ok(one.clone());
        }
        let mut st = self.conn.prepare("SELECT id FROM event")?;
        let ids: Vec<String> = st
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let hint = if found.len() > 1 {
            format!(" (several differ only in case: {})", found.join(", "))
        } else {
            crate::text::did_you_mean(&crate::text::closest(typed, ids.iter().map(String::as_str)))
        };
        Err(Error::Unknown {
            what: "event",
            id: crate::text::inert(typed),
            hint,
        })
    }

    /// The events that follow `id` (the later acts of its instrument), by id.
    pub fn followers(&self, id: &str) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT id FROM event WHERE follows = ?1 ORDER BY day_lo, id")?;
        let ids = st
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// One event by id.
    pub fn event(&self, id: &str) -> Result<Option<Event>> {
        Ok(self.events_by_ids(&[id])?.remove(id))
    }

    /// SQLite's own checks: `PRAGMA integrity_check`'s verdict and the number of rows
    /// `PRAGMA foreign_key_check` reports.
    pub fn integrity(&self) -> Result<(String, usize)> {
        let verdict: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        let mut st = self.conn.prepare("PRAGMA foreign_key_check")?;
        let broken = st.query_map([], |_| Ok(()))?.count();
        Ok((verdict, broken))
    }

    /// The number of events in the database.
    pub fn count_events(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM event", [], |r| r.get(0))?;
        Ok(n as usize)
    }
}

/// The columns [`source_of_row`] reads, in its order.
const SOURCE_COLUMNS: &str =
    "id, type, author, title, container, publisher, issued, url, doi, language, accessed";

/// One source from a row of [`SOURCE_COLUMNS`].
fn source_of_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Source> {
    Ok(Source {
        id: r.get(0)?,
        source_type: parse_vocab(r.get(1)?)?,
        author: r.get(2)?,
        title: r.get(3)?,
        container: r.get(4)?,
        publisher: r.get(5)?,
        issued: opt_date(r.get(6)?)?,
        url: r.get(7)?,
        doi: r.get(8)?,
        language: r.get(9)?,
        accessed: opt_date(r.get(10)?)?,
    })
}

/// A search matching fewer than one event in this many has its hits sorted by SQLite.
const NARROW: usize = 8;

/// Up to this many events narrowed for a search of several terms, their links are read once
/// and held, for every term to look up (see [`Db::links_of_keys`]).
const LINKS_HELD: usize = 20_000;

/// The filter's order as SQL over `e`; the default (by date) reads the `event_span` index.
fn order_by(filter: &Filter) -> String {
    let dir = match filter.order {
        SortOrder::Asc => "ASC",
        SortOrder::Desc => "DESC",
    };
    match filter.sort {
        SortKey::Date => format!("e.day_lo {dir}, e.day_hi {dir}, e.id {dir}"),
        SortKey::Programme => format!("e.programme_id {dir}, e.day_lo, e.id"),
        SortKey::Channel => format!("e.channel {dir}, e.day_lo, e.id"),
        SortKey::Kind => format!("e.kind {dir}, e.day_lo, e.id"),
        SortKey::Title => format!("e.title COLLATE NOCASE {dir}, e.id"),
        SortKey::Id => format!("e.id {dir}"),
    }
}

/// The structured part of a filter as SQL; the text search runs over the result in Rust.
pub(super) fn where_clause(f: &Filter, catalog: &Catalog) -> Where {
    let mut conds: Vec<String> = vec!["1".to_string()];
    let mut params: Vec<Value> = Vec::new();
    fn any_of(column: &str, values: Vec<String>, conds: &mut Vec<String>, params: &mut Vec<Value>) {
        let marks = vec!["?"; values.len()].join(", ");
        conds.push(format!("{column} IN ({marks})"));
        params.extend(values.into_iter().map(Value::Text));
    }
    if !f.programmes.is_empty() {
        any_of(
            "e.programme_id",
            f.programmes.clone(),
            &mut conds,
            &mut params,
        );
    }
    if let Some(channels) = f.channel_set() {
        any_of(
            "e.channel",
            channels.iter().map(|c| c.as_str().to_string()).collect(),
            &mut conds,
            &mut params,
        );
    }
    if !f.kinds.is_empty() {
        any_of(
            "e.kind",
            f.kinds.iter().map(|k| k.as_str().to_string()).collect(),
            &mut conds,
            &mut params,
        );
    }
    if !f.valences.is_empty() {
        any_of(
            "e.valence",
            f.valences.iter().map(|v| v.as_str().to_string()).collect(),
            &mut conds,
            &mut params,
        );
    }
    for a in &f.actors {
        let ids = catalog.match_actors(a);
        let marks = vec!["?"; ids.len().max(1)].join(", ");
        conds.push(format!(
            "EXISTS (SELECT 1 FROM event_actor ea WHERE ea.event_id = e.id AND ea.actor_id IN ({marks}))"
        ));
        if ids.is_empty() {
            params.push(Value::Null);
        }
        params.extend(ids.into_iter().map(Value::Text));
    }
    if let Some(s) = f.since {
        conds.push("e.day_hi >= ?".to_string());
        params.push(Value::Text(s.first_day().to_string()));
    }
    if let Some(u) = f.until {
        conds.push("e.day_lo <= ?".to_string());
        params.push(Value::Text(u.last_day().to_string()));
    }
    Where {
        sql: conds.join(" AND "),
        params,
    }
}
