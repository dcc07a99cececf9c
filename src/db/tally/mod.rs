//! The running sums of events that the whole-record measures read (see `domain::tally` and
//! the `tally_*` tables of schema.sql): changed by every write of events in its own
//! transaction, read by `stats`, and compared with a count from the events by `check`.
//! Channels are a row per key; each programme's parties and ties are packed into a row per
//! set of flags ([`web`]).

mod web;
mod write;

use std::collections::HashMap;

use super::rows::parse_vocab;
use super::Db;
use crate::domain::tally::{ChannelKey, Counts, Flags, PartyKey, ProgrammeTally, Required, TieKey};
use crate::domain::{Catalog, Filter, Tally};
use crate::error::{Error, Result};

pub(super) use write::{carry_over, count_change, write_tally, TALLY_PART};

/// The refusal of a change that would take away what the tally never counted: the events were
/// changed outside spacedip since the tally was counted, and the way out.
fn out_of_step(table: &str) -> Error {
    Error::Refused(format!(
        "the running tally ({table}) does not match the events, which another program \
         must have changed; nothing was written (run `spacedip check --recount`, then \
         try again)"
    ))
}

/// The packed parties and ties of one row (`actors, parties, ties` from column `at`),
/// checked.
fn unpacked<'r>(programme: &str, r: &'r rusqlite::Row<'_>, at: usize) -> Result<web::Packed<'r>> {
    let damaged = |why: &dyn std::fmt::Display| {
        Error::DamagedTally(format!(
            "the running tally of programme '{programme}' is damaged ({why}); \
             `spacedip check --recount` counts it again"
        ))
    };
    // Another program may have written any value of the declared type, text that is not
    // UTF-8 included: each is the tally's damage, not a failure to read the file.
    let text = r.get_ref(at)?.as_str().map_err(|e| damaged(&e))?;
    let parties = r.get_ref(at + 1)?.as_blob().map_err(|e| damaged(&e))?;
    let ties = r.get_ref(at + 2)?.as_blob().map_err(|e| damaged(&e))?;
    web::Packed::new(text, parties, ties).map_err(|e| damaged(&e))
}

/// One channel entry of `programme` (`year, channel, cooperation, formal, n` from column 1).
fn channel_entry(r: &rusqlite::Row<'_>, programme: String) -> Result<(ChannelKey, i64)> {
    let key = ChannelKey {
        programme,
        year: r.get(1)?,
        channel: parse_vocab(r.get(2)?)?,
        flags: Flags {
            cooperation: r.get(3)?,
            formal: r.get(4)?,
            claimed: false,
        },
    };
    Ok((key, r.get(5)?))
}

/// Adds the channel entries of `rows` (`programme_id, year, channel, cooperation, formal, n`)
/// whose programme is `chosen` to `t`.
fn read_channels(
    mut rows: rusqlite::Rows<'_>,
    chosen: &dyn Fn(&str) -> bool,
    t: &mut Tally,
) -> Result<()> {
    while let Some(r) = rows.next()? {
        let programme: String = r.get(0)?;
        if chosen(&programme) {
            let (key, n) = channel_entry(r, programme)?;
            t.channels.insert(key, n);
        }
    }
    Ok(())
}

/// One programme's stored parties and ties under the flags a rule reads, as read from the
/// database ([`Db::stored_ties`]).
#[derive(Debug, Default)]
pub struct StoredTies(Vec<web::Owned>);

impl StoredTies {
    /// The parties and ties as the measures read them, each actor numbered once, with
    /// `tally` (the programme's channel entries) beside them.
    pub fn numbered(&self, tally: Tally) -> ProgrammeTally {
        web::numbered(&self.0, tally)
    }
}

impl Db {
    /// The stored tally of the `programmes` (all for none) as a rule requiring `required`
    /// sees it: every channel entry as stored, and the party and tie entries the rule counts,
    /// each key's flags lowered to what the rule requires and their counts summed (a rule
    /// that takes formal and other instruments alike reads one entry where two are stored).
    pub fn tally(&self, programmes: &[String], required: Required) -> Result<Tally> {
        self.read_tally(programmes, Some(required))
    }

    /// The stored tally, every entry as stored.
    pub fn stored_tally(&self) -> Result<Tally> {
        self.read_tally(&[], None)
    }

    /// The stored channel entries of the `programmes` (all for none), and no parties or
    /// ties: what counting events per channel needs.
    pub fn channel_tally(&self, programmes: &[String]) -> Result<Tally> {
        let chosen = |p: &str| programmes.is_empty() || programmes.iter().any(|q| q == p);
        let mut t = Tally::default();
        let mut st = self.conn.prepare(
            "SELECT programme_id, year, channel, cooperation, formal, n FROM tally_channel",
        )?;
        read_channels(st.query([])?, &chosen, &mut t)?;
        Ok(t)
    }

    /// [`Db::channel_tally`] split by programme (those with events among `programmes`, all
    /// for none), read in the table's order so that each programme's entries come together.
    pub fn channel_tallies(&self, programmes: &[String]) -> Result<HashMap<String, Tally>> {
        let chosen = |p: &str| programmes.is_empty() || programmes.iter().any(|q| q == p);
        let mut out: HashMap<String, Tally> = HashMap::new();
        let mut st = self.conn.prepare(
            "SELECT programme_id, year, channel, cooperation, formal, n FROM tally_channel
             ORDER BY programme_id",
        )?;
        let mut rows = st.query([])?;
        let mut current: Option<(String, Tally)> = None;
        while let Some(r) = rows.next()? {
            let programme = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
            if !chosen(programme) {
                continue;
            }
            if current.as_ref().is_none_or(|(p, _)| p != programme) {
                out.extend(current.take());
                current = Some((programme.to_string(), Tally::default()));
            }
            if let Some((p, t)) = current.as_mut() {
                let (key, n) = channel_entry(r, p.clone())?;
                t.channels.insert(key, n);
            }
        }
        out.extend(current);
        Ok(out)
    }

    /// The stored tally of one programme as a rule requiring `required` sees it (see
    /// [`Db::tally`]). Measures of many programmes read one at a time, so that each holds
    /// one programme's partners and ties and never looks through all the others': with
    /// hundreds of programmes and millions of ties, filtering the whole tally once per
    /// programme took minutes.
    ///
    /// Its ties come numbered ([`NumberedTies`]): a programme among many actors has hundreds
    /// of thousands, and a key of three strings for each took most of the time of `stats`.
    /// Ties stored under flags the rule does not look at give one pair each (the network
    /// counts a pair once however often it comes).
    pub fn programme_tally(&self, programme: &str, required: Required) -> Result<ProgrammeTally> {
        let mut channels = Tally::default();
        self.read_channels_of(programme, &mut channels)?;
        Ok(self.stored_ties(programme, required)?.numbered(channels))
    }

    /// One programme's parties and ties as a rule requiring `required` reads them, checked
    /// but not yet numbered ([`StoredTies::numbered`]): a caller reading programme after
    /// programme on this connection numbers each on another thread.
    pub fn stored_ties(&self, programme: &str, required: Required) -> Result<StoredTies> {
        // The rows the rule counts (one per set of flags, so a handful), copied out of the
        // statement so that their names can be merged.
        let mut rows: Vec<web::Owned> = Vec::new();
        self.read_webs(programme, Some(required), &mut |_, packed| {
            rows.push(packed.copied());
        })?;
        Ok(StoredTies(rows))
    }

    /// Adds one programme's stored tally to `t`, as a rule requiring `required` sees it, or
    /// every entry as stored (`None`).
    fn read_programme_tally(
        &self,
        programme: &str,
        required: Option<Required>,
        t: &mut Tally,
    ) -> Result<()> {
        self.read_channels_of(programme, t)?;
        self.read_webs(programme, required, &mut |flags, packed| {
            let names: Vec<&str> = packed.names().collect();
            for (name, n) in names.iter().zip(packed.parties()) {
                if n > 0 {
                    let key = PartyKey {
                        programme: programme.to_string(),
                        actor: (*name).to_string(),
                        flags,
                    };
                    add_count(&mut t.parties, key, n.into());
                }
            }
            for (a, b, n) in packed.ties() {
                let key = TieKey {
                    programme: programme.to_string(),
                    a: names[a as usize].to_string(),
                    b: names[b as usize].to_string(),
                    flags,
                };
                add_count(&mut t.ties, key, n.into());
            }
        })
    }

    /// Adds one programme's channel entries to `t`.
    fn read_channels_of(&self, programme: &str, t: &mut Tally) -> Result<()> {
        let mut st = self.conn.prepare_cached(
            "SELECT programme_id, year, channel, cooperation, formal, n FROM tally_channel
             WHERE programme_id = ?1",
        )?;
        read_channels(st.query([programme])?, &|_| true, t)?;
        Ok(())
    }

    /// Gives `each` the packed parties and ties of every row of `programme` that a rule
    /// requiring `required` counts, with the flags it reads them under: those it requires as
    /// stored, the others as the value every rule admits, so that rows differing only there
    /// are summed into the same keys (a rule that takes formal and other instruments alike
    /// reads one entry where two are stored). `None` reads every row as stored.
    fn read_webs(
        &self,
        programme: &str,
        required: Option<Required>,
        each: &mut dyn FnMut(Flags, web::Packed<'_>),
    ) -> Result<()> {
        // Only the rows the rule counts, each flag it requires a term on the primary key
        // (`programme_id, cooperation, claimed, formal`): SQLite then reads no other row's
        // packed values, which a claimed or non-cooperation row of a large programme makes
        // long.
        let mut sql = String::from(
            "SELECT cooperation, formal, claimed, actors, parties, ties FROM tally_web
             WHERE programme_id = ?1",
        );
        if let Some(required) = required {
            for (term, on) in [
                (" AND cooperation = 1", required.cooperation),
                (" AND claimed = 0", required.confirmed),
                (" AND formal = 1", required.formal),
            ] {
                if on {
                    sql.push_str(term);
                }
            }
        }
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut rows = st.query([programme])?;
        while let Some(r) = rows.next()? {
            let stored = Flags {
                cooperation: r.get(0)?,
                formal: r.get(1)?,
                claimed: r.get(2)?,
            };
            // The WHERE clause admits only the rows the rule counts.
            let flags = match required {
                None => stored,
                Some(required) => Flags {
                    cooperation: required.cooperation,
                    formal: required.formal,
                    claimed: false,
                },
            };
            each(flags, unpacked(programme, r, 3)?);
        }
        Ok(())
    }

    fn read_tally(&self, programmes: &[String], required: Option<Required>) -> Result<Tally> {
        let mut t = Tally::default();
        for programme in self.tallied_programmes(programmes)? {
            self.read_programme_tally(&programme, required, &mut t)?;
        }
        Ok(t)
    }

    /// The `programmes` that have a tally (all of those for none).
    fn tallied_programmes(&self, programmes: &[String]) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare("SELECT DISTINCT programme_id FROM tally_channel ORDER BY 1")?;
        let all = st.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for p in all {
            let p = p?;
            if programmes.is_empty() || programmes.contains(&p) {
                out.push(p);
            }
        }
        Ok(out)
    }

    /// The number of events the stored tally counts: at a million events, a read of a few
    /// rows instead of an index's thousands of pages. It is the number stored unless a process
    /// outside spacedip added or deleted events ([`Db::tally_counts_every_event`]).
    pub fn tallied_count(&self) -> Result<usize> {
        let n: i64 =
            self.conn
                .query_row("SELECT coalesce(sum(n), 0) FROM tally_channel", [], |r| {
                    r.get(0)
                })?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Whether the stored tally counts as many events as are stored: a cheap sign that no
    /// process outside spacedip added or deleted events. It cannot see an event changed in
    /// place by another program; [`Db::tally_agrees`] (`spacedip check`) sees everything.
    pub fn tally_counts_every_event(&self) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT (SELECT coalesce(sum(n), 0) FROM tally_channel) = (SELECT count(*) FROM event)",
            [],
            |r| r.get(0),
        )?)
    }

    /// Whether the stored tally is the tally of the stored events, counted again from them
    /// (what `spacedip check` asks; a write made outside spacedip would break it). Compared
    /// one programme at a time, so that neither side is ever held whole (millions of pairs of
    /// partners over hundreds of programmes took gigabytes).
    pub fn tally_agrees(&self) -> Result<bool> {
        Ok(self.tally_problem()?.is_none())
    }

    /// What is wrong with the stored tally, if anything: it counts other events than are
    /// stored, or a row of it is damaged (which `check` reports as it does the former, so
    /// that `check --recount` can count it again).
    pub fn tally_problem(&self) -> Result<Option<String>> {
        const DIFFERS: &str = "the running tally that `stats` reads does not match the \
             events (were they changed by another program?); `spacedip check --recount` counts \
             it again";
        let catalog = self.catalog()?;
        let mut events = self.coded_events(&Filter::default(), &catalog)?;
        events.sort_by(|a, b| a.programme.cmp(&b.programme));
        let mut counted: Vec<&str> = Vec::new();
        for own in events.chunk_by(|a, b| a.programme == b.programme) {
            let programme = own[0].programme.as_str();
            let mut stored = Tally::default();
            match self.read_programme_tally(programme, None, &mut stored) {
                Ok(()) => {}
                // The events were read whole above: what cannot be read is the tally's own.
                Err(Error::DamagedTally(damaged)) => return Ok(Some(damaged)),
                Err(e) => return Err(e),
            }
            if stored != Tally::of(own) {
                return Ok(Some(DIFFERS.into()));
            }
            counted.push(programme);
        }
        // And no entries for a programme without events.
        let mut st = self.conn.prepare(
            "SELECT programme_id FROM tally_channel UNION SELECT programme_id FROM tally_web
             ORDER BY 1",
        )?;
        let stored: Vec<String> = st
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok((stored != counted).then(|| DIFFERS.into()))
    }

    /// Counts the stored tally again from the stored events, replacing it; the events are
    /// read inside the write, so that no other write falls in between.
    pub fn retally(&mut self) -> Result<()> {
        self.ready_to_write()?;
        let tx = rusqlite::Transaction::new_unchecked(
            &self.conn,
            rusqlite::TransactionBehavior::Immediate,
        )?;
        let catalog: Catalog = self.catalog()?;
        let events = self.coded_events(&Filter::default(), &catalog)?;
        tx.execute_batch("DELETE FROM tally_channel; DELETE FROM tally_web;")?;
        // A programme at a time: no two programmes share a key, and the whole tally is never
        // held.
        let mut events = events;
        events.sort_by(|a, b| a.programme.cmp(&b.programme));
        for own in events.chunk_by(|a, b| a.programme == b.programme) {
            write_tally(&tx, &Tally::of(own))?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// Adds `n` to the count of `key` (entries a rule reads as one come one after another).
fn add_count<K: std::hash::Hash + Eq>(counts: &mut Counts<K>, key: K, n: i64) {
    *counts.entry(key).or_insert(0) += n;
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use crate::db::Db;
    use crate::domain::Filter;
    use crate::metrics::Rules;

    /// A programme's own tally is its share of the tally of all programmes, under every
    /// coding rule's requirements.
    #[test]
    fn a_programmes_tally_is_its_share_of_the_whole() {
        let db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        for (_, rules) in Rules::NAMED {
            let required = rules.required();
            let whole = db.tally(&[], required).unwrap();
            let mut seen = 0;
            for p in &catalog.programmes {
                let own = db.programme_tally(&p.id, required).unwrap();
                let mut share = whole.clone();
                share.channels.retain(|k, _| k.programme == p.id);
                // The parties come apart too: each actor taking part, once.
                let parties: BTreeSet<String> = std::mem::take(&mut share.parties)
                    .into_iter()
                    .filter(|(k, n)| k.programme == p.id && *n > 0)
                    .map(|(k, _)| k.actor)
                    .collect();
                let named: BTreeSet<String> = own.party_names().map(str::to_string).collect();
                assert_eq!(named, parties, "{}", p.id);
                assert_eq!(named.len(), own.parties.len());
                // The ties come apart, numbered: the same pairs, each once.
                let tied: BTreeSet<(String, String)> = std::mem::take(&mut share.ties)
                    .into_iter()
                    .filter(|(k, n)| k.programme == p.id && *n > 0)
                    .map(|(k, _)| (k.a, k.b))
                    .collect();
                assert_eq!(own.tally, share, "{}", p.id);
                let numbered: BTreeSet<(String, String)> = own
                    .ties
                    .named()
                    .map(|(a, b)| (a.to_string(), b.to_string()))
                    .collect();
                assert_eq!(numbered, tied, "{}", p.id);
                seen += tied.len();
            }
            assert_eq!(seen, whole.ties.len());
            assert!(seen > 0);
        }
    }

    /// The tally agrees with the events programme by programme, and not when a programme
    /// is counted wrong or has entries without events.
    #[test]
    fn the_tally_is_compared_programme_by_programme() {
        let mut db = Db::open_seeded_in_memory().unwrap();
        assert!(db.tally_agrees().unwrap());
        // A programme with no events, given an entry.
        db.conn
            .execute_batch(
                "INSERT INTO programme (id, name, issue_area) VALUES ('IDLE', 'Idle', 'lunar');
                 INSERT INTO tally_channel VALUES ('IDLE', 2000, 'bilateral', 1, 1, 1);",
            )
            .unwrap();
        assert!(!db.tally_agrees().unwrap());
        db.retally().unwrap();
        assert!(db.tally_agrees().unwrap());
        // The parties and ties of a busy programme under one set of flags gone.
        db.conn
            .execute_batch(
                "DELETE FROM tally_web WHERE rowid = (SELECT min(rowid) FROM tally_web
                                                      WHERE programme_id = 'ILRS')",
            )
            .unwrap();
        assert!(!db.tally_agrees().unwrap());
        db.retally().unwrap();
        assert!(db.tally_agrees().unwrap());
    }

    /// A count that would fall below zero is refused, and nothing is written, even where the
    /// table's CHECK is not read (a bulk import turns the CHECKs off).
    #[test]
    fn a_count_below_zero_is_refused_without_the_check() {
        let mut db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let event = db.events(&Filter::default(), &catalog).unwrap()[0].clone();
        // Counted as none by another program: taking the event away would go below zero.
        db.conn
            .execute(
                "UPDATE tally_channel SET n = 0 WHERE programme_id = ?1
                 AND year = CAST(substr(?2, 1, 4) AS INTEGER) AND channel = ?3",
                [
                    &event.programme,
                    &event.date.to_string(),
                    &event.channel.as_str().to_string(),
                ],
            )
            .unwrap();
        db.conn
            .pragma_update(None, "ignore_check_constraints", true)
            .unwrap();
        let err = db.delete_event(&event.id).unwrap_err().to_string();
        assert!(err.contains("does not match the events"), "{err}");
        assert!(db.event(&event.id).unwrap().is_some());
        let negative: i64 = db
            .conn
            .query_row("SELECT count(*) FROM tally_channel WHERE n < 0", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(negative, 0);
    }
}
