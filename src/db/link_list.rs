//! Every link of one table (an event's parties, institutions or sources) by event row id, as
//! the browser keeps them: the linked ids interned as they are read, so that a million events
//! hold no string per link.
//!
//! Links come back as they were written: an event's together, the events in row-id order.
//! They then go straight into the list, with no sort of millions of rows; links edited out of
//! that order are read again and sorted. Links name their event by id: given the events' ids
//! in row-id order ([`EventIds`], read beside the search corpus), both are walked in step,
//! instead of looking each link's event up in the id index (a million look-ups).

use rusqlite::types::ValueRef;

use super::Db;
use crate::domain::links::Interner;
use crate::error::{Error, Result};
use crate::search::corpus::{Link, LinkList};

/// The table of a kind of link, and its column naming the linked catalog entry.
pub(super) fn link_table(link: Link) -> (&'static str, &'static str) {
    match link {
        Link::Party => ("event_actor", "actor_id"),
        Link::Institution => ("event_institution", "institution_id"),
        Link::Source => ("event_source", "source_id"),
    }
}

/// Every event's id, in row-id order, end to end in one string.
#[derive(Debug, Default)]
pub(super) struct EventIds {
    text: String,
    ends: Vec<u32>,
    keys: Vec<i64>,
}

impl EventIds {
    /// Appends the event `key` (larger than any before) with its id.
    pub(super) fn push(&mut self, key: i64, id: &str) -> Result<()> {
        let end = u32::try_from(self.text.len() + id.len())
            .map_err(|_| Error::Internal("more event ids than the browser can hold".into()))?;
        self.text.push_str(id);
        self.ends.push(end);
        self.keys.push(key);
        Ok(())
    }

    fn len(&self) -> usize {
        self.keys.len()
    }

    fn id(&self, i: usize) -> &str {
        let start = i.checked_sub(1).map_or(0, |p| self.ends[p] as usize);
        self.text
            .get(start..self.ends[i] as usize)
            .unwrap_or_default()
    }

    /// The index of the event `id` at or after `from`.
    fn find_from(&self, from: usize, id: &str) -> Option<usize> {
        (from..self.len()).find(|&i| self.id(i) == id)
    }
}

/// A link list being gathered from rows that come an event at a time, in row-id order.
struct Gather<'t> {
    table: &'t str,
    dict: Interner,
    list: LinkList,
    /// The current event's key and its `(position, id code)` links.
    current: Option<i64>,
    run: Vec<(i64, u32)>,
    /// One buffer for every event's codes, not an allocation each.
    codes: Vec<u32>,
}

impl<'t> Gather<'t> {
    fn new(table: &'t str) -> Gather<'t> {
        Gather {
            table,
            dict: Interner::default(),
            list: LinkList::default(),
            current: None,
            run: Vec::new(),
            codes: Vec::new(),
        }
    }

    /// Adds one link; `None` when its event came before (the links are out of order).
    fn add(&mut self, key: i64, position: i64, id: &str) -> Result<Option<()>> {
        if self.current.is_some_and(|k| k != key) && self.flush().is_none() {
            return Ok(None);
        }
        self.current = Some(key);
        let code = self.dict.code(id).ok_or_else(|| too_many(self.table))?;
        self.run.push((position, code));
        Ok(Some(()))
    }

    fn flush(&mut self) -> Option<()> {
        let key = self.current?;
        self.run.sort_by_key(|&(position, _)| position);
        self.codes.clear();
        self.codes.extend(self.run.drain(..).map(|(_, code)| code));
        self.list.push(key, &self.codes)
    }

    fn finish(mut self) -> Option<LinkList> {
        if self.current.is_some() {
            self.flush()?;
        }
        Some(self.list.with_dict(self.dict.into_ids()))
    }
}

impl Db {
    /// Every link of `table` (whose linked id is `column`), by event row id: walked in step
    /// with `ids` when given, else through a join on the events' id index.
    pub(super) fn link_list(
        &self,
        table: &str,
        column: &str,
        ids: Option<&EventIds>,
    ) -> Result<LinkList> {
        let stored = match ids {
            Some(ids) => self.links_beside(table, column, ids)?,
            None => self.links_as_stored(table, column)?,
        };
        match stored {
            Some(list) => Ok(list),
            None => self.links_sorted(table, column),
        }
    }

    fn link_rows(table: &str, column: &str) -> String {
        format!(
            "SELECT e.rowid, l.position, l.{column} FROM {table} l JOIN event e ON e.id = l.event_id"
        )
    }

    /// The links read in storage order, or `None` when an event's links are not together
    /// or the events not in row-id order.
    pub(super) fn links_as_stored(&self, table: &str, column: &str) -> Result<Option<LinkList>> {
        let mut st = self.conn.prepare(&Db::link_rows(table, column))?;
        let mut rows = st.query([])?;
        let mut gather = Gather::new(table);
        while let Some(r) = rows.next()? {
            let id = r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
            if gather.add(r.get(0)?, r.get(1)?, id)?.is_none() {
                return Ok(None);
            }
        }
        Ok(gather.finish())
    }

    /// [`Db::links_as_stored`] without the join: each link's event is found by moving on
    /// through `ids` from the last one's. A link whose event is not ahead (links out of
    /// order, or of no event at all) gives `None`, as out of order.
    fn links_beside(&self, table: &str, column: &str, ids: &EventIds) -> Result<Option<LinkList>> {
        let mut st = self
            .conn
            .prepare(&format!("SELECT event_id, position, {column} FROM {table}"))?;
        let mut rows = st.query([])?;
        let mut gather = Gather::new(table);
        let mut at: Option<usize> = None;
        while let Some(r) = rows.next()? {
            // No event has a null id to join: such a link is left out, as the join leaves it.
            let ValueRef::Text(event) = r.get_ref(0)? else {
                continue;
            };
            let event = std::str::from_utf8(event).map_err(rusqlite::Error::Utf8Error)?;
            let i = match at {
                Some(i) if ids.id(i) == event => i,
                _ => match ids.find_from(at.map_or(0, |i| i + 1), event) {
                    Some(i) => i,
                    None => return Ok(None),
                },
            };
            at = Some(i);
            let id = r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
            if gather.add(ids.keys[i], r.get(1)?, id)?.is_none() {
                return Ok(None);
            }
        }
        Ok(gather.finish())
    }

    /// The links of the events `keys` only, for a search narrowed to a few thousand: its
    /// terms then look their partners, institutions and sources up in memory, where each
    /// asked SQLite for every event linked to what it matched (a common word matches many
    /// names, and a pasted sentence has thirty words).
    pub(super) fn links_of_keys(
        &self,
        table: &str,
        column: &str,
        keys: &[i64],
    ) -> Result<LinkList> {
        let sql = format!(
            "{} WHERE e.rowid IN (SELECT value FROM json_each(?1)) ORDER BY e.rowid",
            Db::link_rows(table, column)
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut rows = st.query([serde_json::to_string(keys)?])?;
        let mut gather = Gather::new(table);
        while let Some(r) = rows.next()? {
            let id = r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
            gather
                .add(r.get(0)?, r.get(1)?, id)?
                .ok_or_else(|| Error::Internal(format!("{table}: links read out of order")))?;
        }
        gather
            .finish()
            .ok_or_else(|| Error::Internal(format!("{table}: links read out of order")))
    }

    /// The links read whole and sorted by row id and link order.
    fn links_sorted(&self, table: &str, column: &str) -> Result<LinkList> {
        let mut st = self.conn.prepare(&Db::link_rows(table, column))?;
        let mut rows = st.query([])?;
        let mut dict = Interner::default();
        let mut found: Vec<(i64, i64, u32)> = Vec::new();
        while let Some(r) = rows.next()? {
            let id = r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
            let code = dict.code(id).ok_or_else(|| too_many(table))?;
            found.push((r.get(0)?, r.get(1)?, code));
        }
        found.sort_unstable_by_key(|&(key, position, _)| (key, position));
        let mut list = LinkList::default();
        for group in found.chunk_by(|a, b| a.0 == b.0) {
            let codes: Vec<u32> = group.iter().map(|&(_, _, code)| code).collect();
            list.push(group[0].0, &codes)
                .ok_or_else(|| too_many(table))?;
        }
        Ok(list.with_dict(dict.into_ids()))
    }
}

fn too_many(table: &str) -> Error {
    Error::Internal(format!("{table}: more links than the browser can hold"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every event's id by row id, as the corpus reads them.
    fn event_ids(db: &Db) -> EventIds {
        let mut ids = EventIds::default();
        let mut st = db
            .conn
            .prepare("SELECT rowid, id FROM event ORDER BY rowid")
            .unwrap();
        let mut rows = st.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            ids.push(r.get(0).unwrap(), r.get_ref(1).unwrap().as_str().unwrap())
                .unwrap();
        }
        ids
    }

    /// The list as (key, linked ids) runs, whatever codes each read gave the ids.
    fn runs(l: &LinkList) -> Vec<(i64, Vec<String>)> {
        l.runs()
            .map(|(k, c)| {
                let ids = c
                    .iter()
                    .map(|&c| l.dict().get(c as usize).unwrap().to_string());
                (k, ids.collect())
            })
            .collect()
    }

    /// Links stored out of event order (written back in reverse here) are read sorted, to the
    /// very list read from links stored in order, with or without the events' ids.
    #[test]
    fn links_out_of_storage_order_are_sorted_to_the_same_list() {
        let db = Db::open_seeded_in_memory().unwrap();
        let in_order = db
            .links_as_stored("event_actor", "actor_id")
            .unwrap()
            .unwrap();
        assert!(in_order.runs().count() > 50);
        let ids = event_ids(&db);
        let beside = db.links_beside("event_actor", "actor_id", &ids).unwrap();
        assert_eq!(beside.as_ref().map(runs), Some(runs(&in_order)));
        db.conn
            .execute_batch(
                "CREATE TEMP TABLE kept AS SELECT * FROM event_actor;
                 DELETE FROM event_actor;
                 INSERT INTO event_actor SELECT * FROM kept ORDER BY rowid DESC;",
            )
            .unwrap();
        assert_eq!(db.links_as_stored("event_actor", "actor_id").unwrap(), None);
        assert_eq!(
            db.links_beside("event_actor", "actor_id", &ids).unwrap(),
            None
        );
        for sorted in [
            db.link_list("event_actor", "actor_id", None).unwrap(),
            db.link_list("event_actor", "actor_id", Some(&ids)).unwrap(),
        ] {
            assert_eq!(runs(&sorted), runs(&in_order));
        }
    }

    /// A link whose event does not exist (a database written without its foreign keys) is
    /// left out by the join; walking the ids finds no such event and falls back to the join.
    #[test]
    fn a_link_to_no_event_is_left_out_either_way() {
        let db = Db::open_seeded_in_memory().unwrap();
        let ids = event_ids(&db);
        let before = db.link_list("event_source", "source_id", None).unwrap();
        db.conn
            .execute_batch(
                "PRAGMA foreign_keys = OFF;
                 INSERT INTO event_source (event_id, source_id, position)
                 SELECT 'NO-SUCH-EVENT', source_id, 0 FROM event_source LIMIT 1;",
            )
            .unwrap();
        assert_eq!(
            db.links_beside("event_source", "source_id", &ids).unwrap(),
            None
        );
        let after = db
            .link_list("event_source", "source_id", Some(&ids))
            .unwrap();
        assert_eq!(runs(&after), runs(&before));
    }
}
