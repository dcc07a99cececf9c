//! Where a programme's record begins and ends, read from the date index of its events: its
//! first channel-defining instrument (its decision year, `metrics::decision`) and its first
//! and last events (the programme cards). A few rows each, whatever the number of events.

use rusqlite::params_from_iter;
use rusqlite::types::Value;

use super::Db;
use crate::domain::{Catalog, Instrument, Kind, PartialDate};
use crate::error::{Error, Result};

/// Links to a programme's own institutions up to which [`Db::first_instrument`] reads them
/// and their events, rather than walk the programme's dates.
/// The unit tests walk the dates for the seed's programmes (tests/it looks their links up).
const LINKS_LOOKED_UP: i64 = if cfg!(test) { 2 } else { 4096 };

impl Db {
    /// The first event of `programme` that can define its channel (counted by the default
    /// rules, a formal instrument, not `national`: `metrics::decision`), by first day then
    /// id, among those that run through one of its own institutions when any does, else
    /// among all. Read from the programme's date index, which puts the first candidates
    /// first, or, when its institutions have few links, from those links.
    pub fn first_instrument(
        &self,
        catalog: &Catalog,
        programme: &str,
    ) -> Result<Option<Instrument>> {
        let own = catalog.own_institutions(programme);
        let formal: Vec<String> = Kind::FORMAL
            .iter()
            .map(|k| format!("'{}'", k.as_str()))
            .collect();
        let candidate = format!(
            "e.programme_id = ?1 AND e.valence = 'cooperation' AND e.channel <> 'national'
             AND e.kind IN ({})",
            formal.join(", ")
        );
        let first = |sql: &str, values: &[Value]| -> Result<Option<Instrument>> {
            let mut st = self.conn.prepare_cached(sql)?;
            let mut rows = st.query(params_from_iter(values))?;
            let Some(r) = rows.next()? else {
                return Ok(None);
            };
            let date: String = r.get(1)?;
            let year = date
                .get(..4)
                .and_then(|y| y.parse().ok())
                .ok_or_else(|| Error::BadData(format!("event date '{date}' has no year")))?;
            Ok(Some(Instrument {
                id: r.get(0)?,
                year,
            }))
        };
        // The date index gives the days in order; SQLite sorts only the first day's events
        // by id, and stops there.
        let by_date = |extra: &str| {
            format!(
                "SELECT e.id, e.date_start FROM event e WHERE {candidate}{extra}
                 ORDER BY e.day_lo, e.id LIMIT 1"
            )
        };
        let mut values = vec![Value::Text(programme.to_string())];
        if !own.is_empty() {
            let at: Vec<String> = (2..=own.len() + 1).map(|i| format!("?{i}")).collect();
            let at = at.join(", ");
            values.extend(own.iter().map(|i| Value::Text(i.to_string())));
            let counted: Vec<String> = (1..=own.len()).map(|i| format!("?{i}")).collect();
            let linked: i64 = self.conn.query_row(
                &format!(
                    "SELECT count(*) FROM event_institution WHERE institution_id IN ({})",
                    counted.join(", ")
                ),
                params_from_iter(&values[1..]),
                |r| r.get(0),
            )?;
            // Walking the dates until an event runs through one of the institutions reads
            // every event of the programme when none or few do (a million events with three
            // such links took 0.44 s a programme); a few links are read instead, each event
            // looked up once. Many links come soon on the walk, and each look-up costs a
            // read at random (22,000 of them took 0.9 s where the walk took 0.02 s).
            let sql = if linked <= LINKS_LOOKED_UP {
                format!(
                    "SELECT e.id, e.date_start FROM event_institution i
                     CROSS JOIN event e ON e.id = i.event_id
                     WHERE i.institution_id IN ({at}) AND {candidate}
                     ORDER BY e.day_lo, e.id LIMIT 1"
                )
            } else {
                by_date(&format!(
                    " AND EXISTS (SELECT 1 FROM event_institution i WHERE i.event_id = e.id
                       AND i.institution_id IN ({at}))"
                ))
            };
            if let Some(found) = first(&sql, &values)? {
                return Ok(Some(found));
            }
            values.truncate(1);
        }
        first(&by_date(""), &values)
    }

    /// The first and the last event of `programme` by date (a year before its months, a
    /// month before its days, as dates sort) then id: id, date and title of each; `None`
    /// when it has none. Read from the programme's date index.
    pub fn first_and_last(
        &self,
        programme: &str,
    ) -> Result<Option<[(String, PartialDate, String); 2]>> {
        let one = |order: &str| -> Result<Option<(String, PartialDate, String)>> {
            let sql = format!(
                "SELECT id, date_start, title FROM event WHERE programme_id = ?1
                 ORDER BY day_lo {order}, date_start {order}, id {order} LIMIT 1"
            );
            let mut st = self.conn.prepare_cached(&sql)?;
            let mut rows = st.query([programme])?;
            let Some(r) = rows.next()? else {
                return Ok(None);
            };
            let date: String = r.get(1)?;
            let date = date
                .parse()
                .map_err(|e| Error::BadData(format!("event date '{date}': {e}")))?;
            Ok(Some((r.get(0)?, date, r.get(2)?)))
        };
        Ok(match (one("ASC")?, one("DESC")?) {
            (Some(first), Some(last)) => Some([first, last]),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::db::Db;
    use crate::domain::{Filter, Instrument};
    use crate::metrics::decision::channel_defining;

    /// Two instruments on the programme's first day (one dated to the year only, which starts
    /// that day): the first by id, whatever the order they were stored in; a national one
    /// earlier still does not count.
    #[test]
    fn the_first_instrument_of_a_day_is_the_first_by_id() {
        let db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        db.conn
            .execute_batch(
                "INSERT INTO programme (id, name, issue_area) VALUES ('NEWP', 'New', 'lunar');
                 INSERT INTO event (id, date_start, programme_id, kind, channel, title) VALUES
                   ('Z-SAME-DAY', '1990-01-01', 'NEWP', 'mou', 'bilateral', 'z'),
                   ('C-LATER', '1991', 'NEWP', 'mou', 'bilateral', 'c'),
                   ('A-SAME-DAY', '1990', 'NEWP', 'agreement', 'multilateral', 'a'),
                   ('B-NATIONAL', '1989', 'NEWP', 'mou', 'national', 'b');",
            )
            .unwrap();
        assert_eq!(
            db.first_instrument(&catalog, "NEWP").unwrap(),
            Some(Instrument {
                id: "A-SAME-DAY".into(),
                year: 1990
            })
        );
        assert_eq!(db.first_instrument(&catalog, "NOPE").unwrap(), None);
    }

    /// Read by walking the dates (more links than the tests' bound), each seed programme's
    /// first instrument is the one the rule finds over its events.
    #[test]
    fn the_walk_along_the_dates_finds_the_rule_s_instrument() {
        let db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let events = db.coded_events(&Filter::default(), &catalog).unwrap();
        let mut walked = 0;
        for p in &catalog.programmes {
            let expected = channel_defining(&catalog, &events, &p.id).map(Instrument::of);
            assert_eq!(
                db.first_instrument(&catalog, &p.id).unwrap(),
                expected,
                "{}",
                p.id
            );
            walked +=
                usize::from(expected.is_some() && !catalog.own_institutions(&p.id).is_empty());
        }
        assert!(walked >= 2, "CSS and ILRS have institutions of their own");
    }
}
