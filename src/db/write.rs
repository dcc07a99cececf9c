//! Writing: whole datasets in one transaction, so that a failure writes nothing.

use rusqlite::Transaction;

use super::record::{
    insert_event_tx, put_actor, put_institution, put_membership, put_programme, put_source,
};
use super::tally::write_tally;
use super::Db;
use crate::domain::{Dataset, EventLink, IdMap, IdSet, KnownIds, Tally};
use crate::error::{Error, Result};

impl Db {
    /// Inserts every record of `dataset` in one transaction: all or nothing.
    pub fn insert_dataset(&mut self, dataset: &Dataset) -> Result<()> {
        let tx = self.begin_write()?;
        // Actors may name their country further down the file, and programmes name actors:
        // check foreign keys at commit rather than row by row.
        tx.pragma_update(None, "defer_foreign_keys", true)?;
        insert_dataset_tx(&tx, dataset)?;
        super::search_index::index_pending(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// The ids the database holds, for validating references of an import.
    pub fn known_ids(&self) -> Result<KnownIds> {
        let ids = |table: &str| -> Result<IdSet> {
            let mut st = self.conn.prepare(&format!("SELECT id FROM {table}"))?;
            let rows = st.query_map([], |r| r.get::<_, String>(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        Ok(KnownIds {
            programmes: ids("programme")?,
            actors: ids("actor")?,
            institutions: ids("institution")?,
            sources: ids("source")?,
            events: ids("event")?,
            event_links: self.event_links()?,
        })
    }

    /// Every stored event's date and `follows` link.
    pub(super) fn event_links(&self) -> Result<IdMap<EventLink>> {
        let mut st = self
            .conn
            .prepare("SELECT id, date_start, follows FROM event")?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?;
        let mut out = IdMap::default();
        for row in rows {
            let (id, date, follows) = row?;
            let date = date
                .parse()
                .map_err(|e: crate::domain::DateError| Error::BadData(e.to_string()))?;
            out.insert(id, (date, follows));
        }
        Ok(out)
    }
}

fn insert_dataset_tx(tx: &Transaction<'_>, d: &Dataset) -> Result<()> {
    for a in &d.actors {
        put_actor(tx, a)?;
    }
    for p in &d.programmes {
        put_programme(tx, p)?;
    }
    for i in &d.institutions {
        put_institution(tx, i)?;
    }
    for m in &d.memberships {
        put_membership(tx, m)?;
    }
    for s in &d.sources {
        put_source(tx, s)?;
    }
    for e in &d.events {
        insert_event_tx(tx, e)?;
    }
    write_tally(tx, &Tally::of(&d.events))
}
