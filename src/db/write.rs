//! Writing: whole datasets in one transaction, so that a failure writes nothing.

use rusqlite::{params, Transaction};

use super::record::{put_actor, put_institution, put_membership, put_programme, put_source};
use super::Db;
use crate::domain::{Dataset, Event};
use crate::error::{Error, Result};
use crate::import::KnownIds;

fn opt_date(d: Option<crate::domain::PartialDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

impl Db {
    /// Inserts every record of `dataset` in one transaction: all or nothing.
    pub fn insert_dataset(&mut self, dataset: &Dataset) -> Result<()> {
        let tx = self.begin_write()?;
        // Actors may name their country further down the file, and programmes name actors:
        // check foreign keys at commit rather than row by row.
        tx.pragma_update(None, "defer_foreign_keys", true)?;
        insert_dataset_tx(&tx, dataset)?;
        tx.commit()?;
        Ok(())
    }

    /// The ids the database holds, for validating references of an import.
    pub fn known_ids(&self) -> Result<KnownIds> {
        let ids = |table: &str| -> Result<std::collections::HashSet<String>> {
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
    pub(super) fn event_links(
        &self,
    ) -> Result<std::collections::HashMap<String, crate::import::validate::Link>> {
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
        let mut out = std::collections::HashMap::new();
        for row in rows {
            let (id, date, follows) = row?;
            let date = date
                .parse()
                .map_err(|e: crate::domain::DateError| Error::Sqlite(e.to_string()))?;
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
    Ok(())
}

/// Inserts one event and its links.
pub(super) fn insert_event_tx(tx: &Transaction<'_>, e: &Event) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO event (id, date_start, date_end, programme_id, kind, channel, valence,
                            venue, follows, title, summary, notes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        e.id,
        e.date.to_string(),
        opt_date(e.end_date),
        e.programme,
        e.kind.as_str(),
        e.channel.as_str(),
        e.valence.as_str(),
        e.venue,
        e.follows,
        e.title,
        e.summary,
        e.notes
    ])?;
    let mut st = tx.prepare_cached(
        "INSERT INTO event_actor (event_id, actor_id, role, certainty, position)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (i, p) in e.parties.iter().enumerate() {
        st.execute(params![
            e.id,
            p.actor,
            p.role.as_str(),
            p.certainty.as_str(),
            i as i64
        ])?;
    }
    let mut st = tx.prepare_cached(
        "INSERT INTO event_institution (event_id, institution_id, position) VALUES (?1, ?2, ?3)",
    )?;
    for (i, inst) in e.institutions.iter().enumerate() {
        st.execute(params![e.id, inst, i as i64])?;
    }
    let mut st = tx.prepare_cached(
        "INSERT INTO event_source (event_id, source_id, locator, position) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, s) in e.sources.iter().enumerate() {
        st.execute(params![e.id, s.source, s.locator, i as i64])?;
    }
    Ok(())
}
