//! The search corpus read from the event table, and the link look-ups through which it finds
//! the events of the partners, institutions and sources a term matched (by their indexes,
//! instead of copying every event's shared texts into memory).

use std::collections::HashMap;

use rusqlite::params_from_iter;
use rusqlite::types::Value;

use super::rows::{parse_vocab, Where};
use super::Db;

use crate::domain::facets::FacetIndex;
use crate::domain::Catalog;
use crate::error::Result;
use crate::search::corpus::{Corpus, Entry, Link, LinkList, Links};

impl Db {
    /// The corpus of the events `w` selects, in row-id order (a table scan, no sort of
    /// whole rows); each event's key is its row id. Notes are read only `with_notes` (for a
    /// query that has a `notes:` term): they are searched for nothing else.
    pub(super) fn corpus_of(&self, w: &Where, with_notes: bool) -> Result<Corpus> {
        self.corpus_into(Corpus::new(with_notes), w)
    }

    /// The corpus of `w`'s events pushed into `corpus` (in memory or in a scratch file).
    fn corpus_into(&self, mut corpus: Corpus, w: &Where) -> Result<Corpus> {
        let with_notes = corpus.has_notes();
        let notes = if with_notes { "e.notes" } else { "''" };
        let sql = format!(
            "SELECT e.rowid, e.id, e.title, e.summary, {notes}, e.programme_id, e.kind, \
             e.channel, e.valence, e.venue FROM event e WHERE {} ORDER BY e.rowid",
            w.sql
        );
        let mut st = self.conn.prepare(&sql)?;
        let mut rows = st.query(params_from_iter(w.params.iter()))?;
        while let Some(r) = rows.next()? {
            let text = |i: usize| r.get_ref(i).map(|v| v.as_str().unwrap_or(""));
            let venue = r.get_ref(9)?.as_str_or_null().ok().flatten();
            corpus.push(Entry {
                key: r.get(0)?,
                id: text(1)?,
                title: text(2)?,
                summary: text(3)?,
                notes: text(4)?,
                programme: text(5)?,
                kind: parse_vocab(r.get(6)?)?,
                channel: parse_vocab(r.get(7)?)?,
                valence: parse_vocab(r.get(8)?)?,
                venue,
            })?;
        }
        corpus.finish()?;
        Ok(corpus)
    }

    /// The corpus of every event, in row-id order (notes `with_notes`).
    pub fn corpus(&self, with_notes: bool) -> Result<Corpus> {
        let all = Where {
            sql: "1".to_string(),
            params: Vec::new(),
        };
        self.corpus_of(&all, with_notes)
    }

    /// What the browser's worker keeps in memory: the corpus of every event with its links,
    /// and the facet index (which shares the reading of the parties).
    pub fn browse_index(
        &self,
        catalog: &Catalog,
        with_notes: bool,
    ) -> Result<(Corpus, FacetIndex)> {
        // Held as long as the browser runs: its folded texts (most of its memory at scale)
        // go to a scratch file, or stay in memory where none can be made.
        let all = Where {
            sql: "1".to_string(),
            params: Vec::new(),
        };
        let corpus =
            Corpus::in_scratch_file(with_notes).unwrap_or_else(|_| Corpus::new(with_notes));
        let mut corpus = self.corpus_into(corpus, &all)?;
        let parties = self.link_list("event_actor", "actor_id")?;
        let facets = self.facet_index_with(catalog, &parties)?;
        let institutions = self.link_list("event_institution", "institution_id")?;
        let sources = self.link_list("event_source", "source_id")?;
        corpus.set_links([&parties, &institutions, &sources]);
        Ok((corpus, facets))
    }

    /// Every link of one table as `(row id, code)` pairs in row-id and link order, the ids
    /// interned as they are read (a million events hold no string per link).
    pub(super) fn link_list(&self, table: &str, column: &str) -> Result<LinkList> {
        let sql = format!(
            "SELECT e.rowid, l.position, l.{column} FROM {table} l JOIN event e ON e.id = l.event_id"
        );
        let mut st = self.conn.prepare(&sql)?;
        let mut rows = st.query([])?;
        let mut codes: HashMap<String, u32> = HashMap::new();
        let mut dict: Vec<String> = Vec::new();
        let mut found: Vec<(i64, i64, u32)> = Vec::new();
        while let Some(r) = rows.next()? {
            let id = r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
            let code = match codes.get(id) {
                Some(&c) => c,
                None => {
                    let c = dict.len() as u32;
                    codes.insert(id.to_string(), c);
                    dict.push(id.to_string());
                    c
                }
            };
            found.push((r.get(0)?, r.get(1)?, code));
        }
        // Sorting in memory is cheaper than an ORDER BY over millions of joined rows.
        found.sort_unstable_by_key(|&(key, position, _)| (key, position));
        Ok(LinkList {
            pairs: found
                .into_iter()
                .map(|(key, _, code)| (key, code))
                .collect(),
            dict,
        })
    }
}

impl Links for Db {
    /// In each event's own order of links, which decides between equal scores as a whole
    /// document would.
    fn linked(&self, link: Link, ids: &[&str]) -> Result<Vec<(i64, String)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let (table, column) = match link {
            Link::Party => ("event_actor", "actor_id"),
            Link::Institution => ("event_institution", "institution_id"),
            Link::Source => ("event_source", "source_id"),
        };
        let sql = format!(
            "SELECT e.rowid, l.{column} FROM {table} l JOIN event e ON e.id = l.event_id \
             WHERE l.{column} IN (SELECT value FROM json_each(?1)) ORDER BY e.rowid, l.position"
        );
        let json = serde_json::to_string(ids)?;
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map([Value::Text(json)], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use crate::db::Db;
    use crate::domain::Filter;
    use crate::search::Query;

    /// The corpus finds what scoring each event's whole document finds: the same events,
    /// scores, fields and title positions.
    #[test]
    fn the_corpus_agrees_with_scoring_whole_documents() {
        let db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let all = db.events(&Filter::default(), &catalog).unwrap();
        let (mut browse, _) = db.browse_index(&catalog, true).unwrap();
        let long = "lunar ".repeat(400);
        let pasted = "x".repeat(5000);
        let queries = [
            "lunar",
            "turkey",
            "pakistn",
            "unoosa",
            "uae",
            "stmt",
            "source:nasa",
            "notes:audit",
            "partner:russia",
            "kind:mou",
            "programme:css",
            "channel:bilateral",
            "valence:refusal",
            "venezuala",
            "ilrs-03",
            "id:css",
            "\"space station\"",
            "moon sample",
            "a",
            "zz",
            "institution:copuos",
            "venue:un",
            "src:unoosa",
            "russia china",
            "memorandm",
            "月球",
            "Türkiye",
            "côte",
            "apsco",
            "moon agreement",
            long.as_str(),
            pasted.as_str(),
        ];
        for q in queries {
            let filter = Filter {
                search: Some(q.to_string()),
                ..Filter::default()
            };
            let found = db.search(&filter, &catalog).unwrap();
            let query = Query::parse(q).unwrap();
            let expected: Vec<_> = all
                .iter()
                .filter_map(|e| {
                    Some((
                        e.id.clone(),
                        query.score(&crate::search::Doc::of(e, &catalog))?,
                    ))
                })
                .collect();
            let got: Vec<_> = found
                .into_iter()
                .map(|f| (f.event.id, f.hit.unwrap()))
                .collect();
            assert_eq!(got, expected, "query {q:?}");
            // The browser's corpus, links in memory, finds the same.
            let hits = |corpus: &mut crate::search::corpus::Corpus| -> Vec<_> {
                let found = corpus.search(&query, &catalog, &db, None, &|| false);
                let found = found.unwrap().unwrap().into_iter();
                found.map(|m| (m.key, m.hit())).collect()
            };
            let by_links = hits(&mut db.corpus(true).unwrap());
            assert_eq!(hits(&mut browse), by_links, "query {q:?}");
        }
    }
}
