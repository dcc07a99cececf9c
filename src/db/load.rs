//! Reading whole events (with their parties, institutions and sources) in a given order: by
//! index look-ups when they are few, by one pass over each table when they are many, so that
//! a million events cost three table scans rather than three million look-ups and sorts.

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::Row;

use super::rows::{by_keys, parse_vocab, Parts, Where};
use super::Db;
use crate::domain::{Event, IdMap, Party, SourceRef};
use crate::error::Result;

/// A selection of at least this share of all events reads the link tables whole.
pub(super) const SCAN_SHARE: usize = 8;

/// Fewer events than this are always read by row id (no count of all events needed).
const FEW: usize = 4096;

impl Db {
    /// The events `w` selects whose row ids are in `keys`, in the order of `keys`. A few are
    /// read by row id; many through `w` and whole link tables.
    pub(super) fn read_events(&self, w: &Where, keys: &[i64], parts: Parts) -> Result<Vec<Event>> {
        Ok(self
            .read_keyed(w, keys, parts)?
            .into_iter()
            .map(|(_, e)| e)
            .collect())
    }

    /// The events with these ids, whole, by id (ids that do not exist are left out).
    pub(super) fn events_by_ids(&self, ids: &[&str]) -> Result<HashMap<String, Event>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let w = Where {
            sql: "e.id IN (SELECT value FROM json_each(?))".to_string(),
            params: vec![Value::Text(serde_json::to_string(ids)?)],
        };
        self.snapshot(|| {
            let mut events: Vec<Event> = self
                .select_events(&w, Parts::Whole, |_| true)?
                .into_iter()
                .map(|(_, e)| e)
                .collect();
            self.attach_links(&mut events, Parts::Whole, false)?;
            Ok(events.into_iter().map(|e| (e.id.clone(), e)).collect())
        })
    }

    /// [`Db::read_events`] with each event's row id, so that a caller can tell which keys
    /// no longer exist (another process may have deleted them).
    pub(super) fn read_keyed(
        &self,
        w: &Where,
        keys: &[i64],
        parts: Parts,
    ) -> Result<Vec<(i64, Event)>> {
        // A few are read by row id; many through `w` and whole link tables.
        let many = keys.len() >= FEW && keys.len() * SCAN_SHARE >= self.count_events()?;
        self.read_keyed_as(w, keys, parts, many)
    }

    /// [`Db::read_keyed`] with the way chosen: by row id, or (`many`) through `w` and whole
    /// link tables. A stream reads its chunks by row id without counting the table for each.
    pub(super) fn read_keyed_as(
        &self,
        w: &Where,
        keys: &[i64],
        parts: Parts,
        many: bool,
    ) -> Result<Vec<(i64, Event)>> {
        let by_key;
        let w = if many {
            w
        } else {
            by_key = by_keys(keys)?;
            &by_key
        };
        // foldhash, not SipHash: a million row ids and ids are hashed here, none chosen by
        // an attacker in a way that matters for one local read.
        // The events and their links from one snapshot: a write committed between the reads
        // cannot give an event another version's links.
        self.snapshot(|| {
            let rank: HashMap<i64, usize, foldhash::fast::RandomState> =
                keys.iter().enumerate().map(|(i, &k)| (k, i)).collect();
            let mut slots: Vec<Option<(i64, Event)>> = (0..keys.len()).map(|_| None).collect();
            for (key, event) in self.select_events(w, parts, |k| rank.contains_key(&k))? {
                if let Some(&i) = rank.get(&key) {
                    slots[i] = Some((key, event));
                }
            }
            let (keys, mut events): (Vec<i64>, Vec<Event>) = slots.into_iter().flatten().unzip();
            self.attach_links(&mut events, parts, many)?;
            Ok(keys.into_iter().zip(events).collect())
        })
    }

    /// Loads the parties, institutions and sources (with `Parts::Whole`) of `events`: each
    /// link table read whole when `scan` (many events), else by the events' ids.
    pub(super) fn attach_links(
        &self,
        events: &mut [Event],
        parts: Parts,
        scan: bool,
    ) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        let index: IdMap<usize> = events
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        let links = Links {
            db: self,
            index: &index,
            scan,
        };
        links.each(
            "event_actor",
            "actor_id, role, certainty",
            events,
            |e| &mut e.parties,
            |r| {
                Ok(Party {
                    actor: r.get(2)?,
                    role: parse_vocab(r.get(3)?)?,
                    certainty: parse_vocab(r.get(4)?)?,
                })
            },
        )?;
        links.each(
            "event_institution",
            "institution_id",
            events,
            |e| &mut e.institutions,
            |r| Ok(r.get(2)?),
        )?;
        if parts == Parts::Coded {
            return Ok(());
        }
        links.each(
            "event_source",
            "source_id, locator",
            events,
            |e| &mut e.sources,
            |r| {
                Ok(SourceRef {
                    source: r.get(2)?,
                    locator: r.get(3)?,
                })
            },
        )?;
        Ok(())
    }
}

/// How one call reads the link tables.
struct Links<'a> {
    db: &'a Db,
    index: &'a IdMap<usize>,
    /// Read each table whole (many events) rather than by the events' ids.
    scan: bool,
}

impl Links<'_> {
    /// Fills `field` of each of `events` with what `make` makes of each row of `table`
    /// (columns `event_id, position, {columns}`) that belongs to it, in position order.
    fn each<T>(
        &self,
        table: &str,
        columns: &str,
        events: &mut [Event],
        field: impl Fn(&mut Event) -> &mut Vec<T>,
        make: impl Fn(&Row<'_>) -> Result<T>,
    ) -> Result<()> {
        let conn = &self.db.conn;
        if !self.scan {
            // By the ids, in index order (an event's links by linked id), and put in position
            // order here: a few thousand rows sort in no time, where SQLite's `ORDER BY`
            // tripled the query. Links at one position (written by hand) go in row id order,
            // as a table scan reads them.
            let ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
            let mut st = conn.prepare_cached(&format!(
                "SELECT event_id, position, {columns}, rowid FROM {table} \
                 WHERE event_id IN (SELECT value FROM json_each(?1))"
            ))?;
            let rowid = st.column_count() - 1;
            let mut rows = st.query([serde_json::to_string(&ids)?])?;
            let mut found: Vec<(usize, i64, i64, T)> = Vec::new();
            while let Some(r) = rows.next()? {
                if let Some(&i) = self.index.get(link_event(r)?) {
                    found.push((i, r.get(1)?, r.get(rowid)?, make(r)?));
                }
            }
            found.sort_unstable_by_key(|&(i, position, rowid, _)| (i, position, rowid));
            for (i, _, _, link) in found {
                field(&mut events[i]).push(link);
            }
            return Ok(());
        }
        // Table order is almost always each event's position order (links are written in
        // it); an event whose rows come otherwise is read again, sorted.
        let mut last: Vec<i64> = vec![i64::MIN; events.len()];
        let mut unsorted: Vec<usize> = Vec::new();
        let mut marked = vec![false; events.len()];
        let mut st = conn.prepare(&format!(
            "SELECT event_id, position, {columns} FROM {table}"
        ))?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let Some(&i) = self.index.get(link_event(r)?) else {
                continue;
            };
            let position: i64 = r.get(1)?;
            if position < last[i] && !marked[i] {
                marked[i] = true;
                unsorted.push(i);
            }
            last[i] = position;
            field(&mut events[i]).push(make(r)?);
        }
        if unsorted.is_empty() {
            return Ok(());
        }
        let mut st = conn.prepare(&format!(
            "SELECT event_id, position, {columns} FROM {table} WHERE event_id = ?1 \
             ORDER BY position, rowid"
        ))?;
        for i in unsorted {
            field(&mut events[i]).clear();
            let mut rows = st.query([Value::Text(events[i].id.clone())])?;
            while let Some(r) = rows.next()? {
                field(&mut events[i]).push(make(r)?);
            }
        }
        Ok(())
    }
}

/// The event id of a link row (its first column).
fn link_event<'r>(r: &'r Row<'_>) -> rusqlite::Result<&'r str> {
    Ok(r.get_ref(0)?.as_str()?)
}

#[cfg(test)]
mod tests {
    use super::{Parts, Where};
    use crate::db::Db;
    use crate::domain::Event;
    use crate::domain::Filter;
    use crate::metrics::summary::summaries;

    /// Links written at one position (by hand: spacedip writes 0, 1, 2, …) come in row id
    /// order whichever way they are read: by the events' ids, by scanning the table, or
    /// through a spill.
    #[test]
    fn links_at_one_position_come_in_row_order_every_way() {
        let db = Db::open_seeded_in_memory().unwrap();
        let id: String = db
            .conn
            .query_row(
                "SELECT event_id FROM event_actor GROUP BY event_id HAVING count(*) >= 3 \
                 ORDER BY event_id LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        // Rewritten in reverse id order, all at position 0.
        db.conn
            .execute_batch(&format!(
                "CREATE TEMP TABLE kept AS SELECT * FROM event_actor WHERE event_id = '{id}';
                 DELETE FROM event_actor WHERE event_id = '{id}';
                 INSERT INTO event_actor SELECT * FROM kept ORDER BY actor_id DESC;
                 UPDATE event_actor SET position = 0 WHERE event_id = '{id}';"
            ))
            .unwrap();
        let mut st = db
            .conn
            .prepare("SELECT actor_id FROM event_actor WHERE event_id = ?1 ORDER BY rowid")
            .unwrap();
        let in_rows: Vec<String> = st
            .query_map([&id], |r| r.get(0))
            .unwrap()
            .map(|a| a.unwrap())
            .collect();
        assert!(in_rows.windows(2).all(|w| w[0] > w[1]), "{in_rows:?}");
        let actors = |e: &Event| {
            e.parties
                .iter()
                .map(|p| p.actor.clone())
                .collect::<Vec<_>>()
        };
        let key = db.key_of(&id).unwrap().unwrap();
        let all = Where {
            sql: "1".into(),
            params: Vec::new(),
        };
        for many in [false, true] {
            let read = db.read_keyed_as(&all, &[key], Parts::Whole, many).unwrap();
            assert_eq!(actors(&read[0].1), in_rows, "many: {many}");
        }
        let catalog = db.catalog().unwrap();
        let spilled = db
            .stream_events_spilling(&Filter::default(), &catalog, Some(true))
            .unwrap()
            .map(|e| e.unwrap())
            .find(|e| e.id == id)
            .unwrap();
        assert_eq!(actors(&spilled), in_rows);
    }

    /// The measures computed from the coded parts of the events are those computed from
    /// the whole events.
    #[test]
    fn coded_events_measure_as_whole_ones() {
        let db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let programmes: Vec<String> = catalog.programmes.iter().map(|p| p.id.clone()).collect();
        for filter in [
            Filter::default(),
            Filter {
                since: Some("2015".parse().unwrap()),
                ..Filter::default()
            },
            Filter {
                search: Some("lunar".into()),
                ..Filter::default()
            },
            Filter {
                search: Some("partner:russia".into()),
                since: Some("2019".parse().unwrap()),
                ..Filter::default()
            },
        ] {
            let whole = db.events(&filter, &catalog).unwrap();
            let coded = db.coded_events(&filter, &catalog).unwrap();
            let ids =
                |v: &[crate::domain::Event]| v.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
            assert_eq!(ids(&coded), ids(&whole));
            assert!(coded
                .iter()
                .all(|e| e.title.is_empty() && e.sources.is_empty()));
            assert_eq!(
                format!("{:?}", summaries(&coded, &catalog, &programmes)),
                format!("{:?}", summaries(&whole, &catalog, &programmes))
            );
        }
    }
}
