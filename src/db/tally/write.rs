//! Writing the running tally: a signed [`Tally`] of changed events added to the stored
//! counts in the write's own transaction (channel rows one by one, each programme's web read,
//! changed and written back once), and migration 8's move of the old party and tie rows.

use std::collections::BTreeMap;

use rusqlite::{params, Transaction};

use super::{add_count, out_of_step, unpacked, web};
use crate::domain::tally::{ChannelKey, Flags, PartyKey, TieKey};
use crate::domain::{Record, Tally};
use crate::error::{Error, Result};

/// Adds `n` (non-zero) to the count of the channel entry `key`: a new key is created, and a
/// key counted down to zero is deleted. Counting down a key that is not stored, or below
/// zero, is refused: it would take away an event that was never counted.
fn add_channel(tx: &Transaction<'_>, key: ChannelRow<'_>, n: i64) -> Result<()> {
    if n > 0 {
        tx.prepare_cached(
            "INSERT INTO tally_channel (programme_id, year, channel, cooperation, formal, n)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO UPDATE SET n = n + excluded.n",
        )?
        .execute(params![key.0, key.1, key.2, key.3, key.4, n])?;
        return Ok(());
    }
    // A count that is missing or too small means the events were changed outside spacedip
    // since the tally was counted: the write is refused, whole, with the way out. The count
    // may not fall below zero, checked here rather than by the table's CHECK, which a bulk
    // import does not read again.
    let lowered = tx
        .prepare_cached(
            "UPDATE tally_channel SET n = n + ?6 WHERE programme_id = ?1 AND year = ?2
             AND channel = ?3 AND cooperation = ?4 AND formal = ?5 AND n + ?6 >= 0",
        )?
        .execute(params![key.0, key.1, key.2, key.3, key.4, n])
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => out_of_step("tally_channel"),
            _ => Error::from(e),
        })?;
    if lowered != 1 {
        return Err(out_of_step("tally_channel"));
    }
    tx.prepare_cached(
        "DELETE FROM tally_channel WHERE programme_id = ?1 AND year = ?2 AND channel = ?3
         AND cooperation = ?4 AND formal = ?5 AND n = 0",
    )?
    .execute(key)?;
    Ok(())
}

/// Counts one change of a record into `delta`: an event replaced or deleted is taken away,
/// an event written is added (other records change no tally).
pub(in crate::db) fn count_change(
    delta: &mut Tally,
    before: Option<&Record>,
    after: Option<&Record>,
) {
    if let Some(Record::Event(e)) = before {
        delta.add(e, -1);
    }
    if let Some(Record::Event(e)) = after {
        delta.add(e, 1);
    }
}

/// Tally entries (channels, parties and ties) a large change writes at a time (an import, an
/// undo): some 200 MB, where the events of many parties among many actors make tens of
/// millions. The unit tests write a seed-sized change in many parts.
pub(in crate::db) const TALLY_PART: usize = if cfg!(test) { 50 } else { 1_000_000 };

/// A channel entry's primary key, in its column order.
type ChannelRow<'a> = (&'a str, i32, &'a str, bool, bool);

fn channel_row(k: &ChannelKey) -> ChannelRow<'_> {
    let f = k.flags;
    (
        &k.programme,
        k.year,
        k.channel.as_str(),
        f.cooperation,
        f.formal,
    )
}

/// Adds a signed tally of changed events to the stored one (see [`add_channel`] and
/// [`write_webs`]). The channel entries go in the order of the primary key, and the webs in
/// that of theirs: a bulk load then appends to each table's B-tree instead of landing on a
/// page at random each time (the random order took half of a large import).
pub(in crate::db) fn write_tally(tx: &Transaction<'_>, delta: &Tally) -> Result<()> {
    let mut channels: Vec<(ChannelRow<'_>, i64)> = delta
        .channels
        .iter()
        .filter(|(_, &n)| n != 0)
        .map(|(k, &n)| (channel_row(k), n))
        .collect();
    channels.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (row, n) in channels {
        add_channel(tx, row, n)?;
    }
    write_webs(tx, delta)
}

/// The party and tie entries of `delta`, by the row of `tally_web` they change.
type Changed<'a> = BTreeMap<(&'a str, Flags), web::Delta<'a>>;

fn by_web(delta: &Tally) -> Changed<'_> {
    let mut rows: Changed<'_> = BTreeMap::new();
    for (k, &n) in &delta.parties {
        if n != 0 {
            let row = rows.entry((k.programme.as_str(), k.flags)).or_default();
            row.parties.push((k.actor.as_str(), n));
        }
    }
    for (k, &n) in &delta.ties {
        if n != 0 {
            let row = rows.entry((k.programme.as_str(), k.flags)).or_default();
            row.ties.push((k.a.as_str(), k.b.as_str(), n));
        }
    }
    rows
}

/// Adds the party and tie entries of `delta` to the rows of `tally_web` they fall in: each
/// row read, changed and written back once (see [`web::Web::apply`]).
fn write_webs(tx: &Transaction<'_>, delta: &Tally) -> Result<()> {
    for ((programme, flags), change) in by_web(delta) {
        let key = (programme, flags.cooperation, flags.claimed, flags.formal);
        let stored = {
            let mut st = tx.prepare_cached(
                "SELECT actors, parties, ties FROM tally_web WHERE programme_id = ?1
                 AND cooperation = ?2 AND claimed = ?3 AND formal = ?4",
            )?;
            let mut rows = st.query(key)?;
            match rows.next()? {
                Some(r) => unpacked(programme, r, 0)?.unpack(),
                None => web::Web::default(),
            }
        };
        let changed = stored.apply(&change).map_err(|fault| match fault {
            web::Fault::BelowZero => out_of_step("tally_web"),
            web::Fault::TooLarge => Error::Refused(format!(
                "a count of the running tally of programme '{programme}' would pass 4,294,967,295; nothing was written"
            )),
        })?;
        if changed.is_empty() {
            tx.prepare_cached(
                "DELETE FROM tally_web WHERE programme_id = ?1
                 AND cooperation = ?2 AND claimed = ?3 AND formal = ?4",
            )?
            .execute(key)?;
        } else {
            let (actors, parties, ties) = changed.pack();
            tx.prepare_cached(
                "INSERT OR REPLACE INTO tally_web
                 (programme_id, cooperation, claimed, formal, actors, parties, ties)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(rusqlite::params![
                key.0, key.1, key.2, key.3, actors, parties, ties
            ])?;
        }
    }
    Ok(())
}

/// Migration 8: moves the rows of `tally_party` and `tally_tie` into `tally_web`, one
/// programme at a time, so that a database of millions of ties never holds them all
/// (migration 9 then drops the two tables).
pub(in crate::db) fn carry_over(tx: &Transaction<'_>) -> Result<()> {
    let programmes: Vec<String> = tx
        .prepare(
            "SELECT programme_id FROM tally_party UNION SELECT programme_id FROM tally_tie
             ORDER BY 1",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut parties = tx.prepare(
        "SELECT actor_id, cooperation, formal, claimed, n FROM tally_party
         WHERE programme_id = ?1",
    )?;
    let mut ties = tx.prepare(
        "SELECT a, b, cooperation, formal, claimed, n FROM tally_tie WHERE programme_id = ?1",
    )?;
    for programme in programmes {
        let mut t = Tally::default();
        let mut rows = parties.query([&programme])?;
        while let Some(r) = rows.next()? {
            let key = PartyKey {
                programme: programme.clone(),
                actor: r.get(0)?,
                flags: flags_at(r, 1)?,
            };
            add_count(&mut t.parties, key, r.get(4)?);
        }
        let mut rows = ties.query([&programme])?;
        while let Some(r) = rows.next()? {
            let key = TieKey {
                programme: programme.clone(),
                a: r.get(0)?,
                b: r.get(1)?,
                flags: flags_at(r, 2)?,
            };
            add_count(&mut t.ties, key, r.get(5)?);
        }
        write_webs(tx, &t)?;
    }
    Ok(())
}

/// The flags of an old party or tie row (`cooperation, formal, claimed` from column `at`).
fn flags_at(r: &rusqlite::Row<'_>, at: usize) -> Result<Flags> {
    Ok(Flags {
        cooperation: r.get(at)?,
        formal: r.get(at + 1)?,
        claimed: r.get(at + 2)?,
    })
}
