//! Writing and reading single records of any table, for imports, edits, restores and undo.

use rusqlite::{params, Transaction};

use super::Db;
use crate::domain::{
    membership_key, Actor, Catalog, Entity, Event, Institution, Membership, Programme, Record,
    Source,
};
use crate::error::{Error, Result};

fn opt_date(d: Option<crate::domain::PartialDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// Writes `record`, inserting it or replacing the stored one with the same key.
pub(super) fn put(tx: &Transaction<'_>, record: &Record, exists: bool) -> Result<()> {
    match record {
        Record::Event(e) => {
            if exists {
                delete_event_tx(tx, &e.id)?;
            }
            insert_event_tx(tx, e)
        }
        Record::Actor(a) => put_actor(tx, a),
        Record::Programme(p) => put_programme(tx, p),
        Record::Institution(i) => put_institution(tx, i),
        Record::Membership(m) => put_membership(tx, m),
        Record::Source(s) => put_source(tx, s),
    }
}

/// Deletes a stored event; its links go with the row (ON DELETE CASCADE), and nothing else
/// references events.
pub(super) fn delete_event_tx(tx: &Transaction<'_>, id: &str) -> Result<()> {
    tx.prepare_cached("DELETE FROM event WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// The parts of an event that lie in tables of their own: its row, then its links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EventPart {
    Row,
    Parties,
    Institutions,
    Sources,
}

impl EventPart {
    /// Every part, in the order a write inserts them (the row before the links to it).
    pub(super) const ALL: [EventPart; 4] = [
        EventPart::Row,
        EventPart::Parties,
        EventPart::Institutions,
        EventPart::Sources,
    ];
}

/// Inserts one event and its links.
pub(super) fn insert_event_tx(tx: &Transaction<'_>, e: &Event) -> Result<()> {
    for part in EventPart::ALL {
        insert_event_part(tx, e, part)?;
    }
    Ok(())
}

/// Inserts one part of an event: its row, or one kind of its links.
pub(super) fn insert_event_part(tx: &Transaction<'_>, e: &Event, part: EventPart) -> Result<()> {
    match part {
        EventPart::Row => {
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
        }
        EventPart::Parties => {
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
        }
        EventPart::Institutions => {
            let mut st = tx.prepare_cached(
                "INSERT INTO event_institution (event_id, institution_id, position)
                 VALUES (?1, ?2, ?3)",
            )?;
            for (i, inst) in e.institutions.iter().enumerate() {
                st.execute(params![e.id, inst, i as i64])?;
            }
        }
        EventPart::Sources => {
            let mut st = tx.prepare_cached(
                "INSERT INTO event_source (event_id, source_id, locator, position)
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (i, s) in e.sources.iter().enumerate() {
                st.execute(params![e.id, s.source, s.locator, i as i64])?;
            }
        }
    }
    Ok(())
}

/// Inserts or replaces one actor.
pub(super) fn put_actor(tx: &Transaction<'_>, a: &Actor) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO actor (id, name, kind, iso3, country, aliases)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind,
             iso3 = excluded.iso3, country = excluded.country, aliases = excluded.aliases",
    )?
    .execute(params![
        a.id,
        a.name,
        a.kind.as_str(),
        a.iso3,
        a.country,
        a.aliases_cell()
    ])?;
    Ok(())
}

/// Inserts or replaces one programme.
pub(super) fn put_programme(tx: &Transaction<'_>, p: &Programme) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO programme (id, name, issue_area, lead_agency, lead_state, decision_year,
                                description)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name,
             issue_area = excluded.issue_area, lead_agency = excluded.lead_agency,
             lead_state = excluded.lead_state, decision_year = excluded.decision_year,
             description = excluded.description",
    )?
    .execute(params![
        p.id,
        p.name,
        p.issue_area.as_str(),
        p.lead_agency,
        p.lead_state,
        p.decision_year,
        p.description
    ])?;
    Ok(())
}

/// Inserts or replaces one institution.
pub(super) fn put_institution(tx: &Transaction<'_>, i: &Institution) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO institution (id, name, kind, in_force, ended, scope, open, legalisation,
                                  programme_id, url, description)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind,
             in_force = excluded.in_force, ended = excluded.ended, scope = excluded.scope,
             open = excluded.open, legalisation = excluded.legalisation,
             programme_id = excluded.programme_id, url = excluded.url,
             description = excluded.description",
    )?
    .execute(params![
        i.id,
        i.name,
        i.kind.as_str(),
        i.in_force.to_string(),
        opt_date(i.ended),
        i.scope.as_str(),
        i.open,
        i.legalisation.map(crate::domain::Weight::value),
        i.programme,
        i.url,
        i.description
    ])?;
    tx.prepare_cached("DELETE FROM institution_area WHERE institution_id = ?1")?
        .execute([&i.id])?;
    let mut st = tx.prepare_cached(
        "INSERT INTO institution_area (institution_id, issue_area) VALUES (?1, ?2)",
    )?;
    for a in &i.issue_areas {
        st.execute(params![i.id, a.as_str()])?;
    }
    Ok(())
}

/// Inserts or replaces one membership.
pub(super) fn put_membership(tx: &Transaction<'_>, m: &Membership) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO institution_member (institution_id, actor_id, joined, joined_latest,
                                         left_on)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (institution_id, actor_id) DO UPDATE SET joined = excluded.joined,
             joined_latest = excluded.joined_latest, left_on = excluded.left_on",
    )?
    .execute(params![
        m.institution,
        m.actor,
        opt_date(m.joined),
        opt_date(m.joined_latest),
        opt_date(m.left)
    ])?;
    Ok(())
}

/// Inserts or replaces one source.
pub(super) fn put_source(tx: &Transaction<'_>, s: &Source) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO source (id, type, author, title, container, publisher, issued, url,
                             doi, language, accessed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (id) DO UPDATE SET type = excluded.type, author = excluded.author,
             title = excluded.title, container = excluded.container,
             publisher = excluded.publisher, issued = excluded.issued, url = excluded.url,
             doi = excluded.doi, language = excluded.language,
             accessed = excluded.accessed",
    )?
    .execute(params![
        s.id,
        s.source_type.as_str(),
        s.author,
        s.title,
        s.container,
        s.publisher,
        opt_date(s.issued),
        s.url,
        s.doi,
        s.language,
        opt_date(s.accessed)
    ])?;
    Ok(())
}

/// Refuses a transaction that would leave an event's `follows` link dangling or pointing to
/// a later event: `follows` has no foreign key (replacing an event deletes and re-inserts its
/// row), so every write path checks the links here, before it commits. Compared over each
/// event's span at its precision, as the import compares them.
pub(super) fn check_links(tx: &Transaction<'_>) -> Result<()> {
    let mut st = tx.prepare_cached(
        "SELECT e.id, e.follows, f.id IS NULL
         FROM event e LEFT JOIN event f ON f.id = e.follows
         WHERE e.follows IS NOT NULL AND (f.id IS NULL OR e.day_hi < f.day_lo)
         ORDER BY e.id LIMIT 5",
    )?;
    let broken: Vec<String> = st
        .query_map([], |r| {
            let (id, follows, missing): (String, String, bool) = (r.get(0)?, r.get(1)?, r.get(2)?);
            Ok(if missing {
                format!("{id} follows {follows}, which would no longer exist")
            } else {
                format!("{id} follows {follows}, which would be dated after it")
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    if broken.is_empty() {
        return Ok(());
    }
    Err(Error::Refused(format!(
        "refused, nothing was changed: {} (change or clear those follows links first)",
        broken.join("; ")
    )))
}

/// Deletes the record of `entity` with key `id`.
pub(super) fn remove(tx: &Transaction<'_>, entity: Entity, id: &str) -> Result<()> {
    let n = match entity {
        Entity::Membership => {
            let (inst, actor) = id
                .split_once('/')
                .ok_or_else(|| Error::BadData(format!("bad membership key '{id}'")))?;
            tx.execute(
                "DELETE FROM institution_member WHERE institution_id = ?1 AND actor_id = ?2",
                [inst, actor],
            )?
        }
        _ => {
            let table = entity.as_str();
            tx.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [id])?
        }
    };
    if n == 0 {
        return Err(Error::NotFound {
            what: entity.as_str(),
            id: id.to_string(),
        });
    }
    Ok(())
}

/// The stored record of `entity` with key `id`; reference records come from `catalog`.
pub(super) fn load(db: &Db, catalog: &Catalog, entity: Entity, id: &str) -> Result<Option<Record>> {
    Ok(match entity {
        Entity::Event => db.event(id)?.map(Record::Event),
        Entity::Actor => catalog.actor(id).cloned().map(Record::Actor),
        Entity::Programme => catalog.programme(id).cloned().map(Record::Programme),
        Entity::Institution => catalog.institution(id).cloned().map(Record::Institution),
        Entity::Source => catalog.source(id).cloned().map(Record::Source),
        Entity::Membership => catalog
            .memberships
            .iter()
            .find(|m| membership_key(&m.institution, &m.actor) == id)
            .cloned()
            .map(Record::Membership),
    })
}
