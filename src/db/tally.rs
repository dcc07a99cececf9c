//! The running sums of events that the whole-record measures read (see `domain::tally` and
//! the `tally_*` tables of schema.sql): changed by every write of events in its own
//! transaction, read by `stats`, and compared with a count from the events by `check`.

use std::cmp::Ordering;

use rusqlite::types::Value;
use rusqlite::{params_from_iter, Transaction};

use super::rows::parse_vocab;
use super::Db;
use crate::domain::links::Numbering;
use crate::domain::tally::{
    ChannelKey, Counts, Flags, NumberedTies, PartyKey, ProgrammeTally, Required, TieKey,
};
use crate::domain::{Catalog, Filter, Record, Tally};
use crate::error::{Error, Result};

/// One tally table: its name and key columns.
struct Table {
    name: &'static str,
    key: &'static [&'static str],
}

const CHANNELS: Table = Table {
    name: "tally_channel",
    key: &["programme_id", "year", "channel", "cooperation", "formal"],
};
const PARTIES: Table = Table {
    name: "tally_party",
    key: &[
        "programme_id",
        "actor_id",
        "cooperation",
        "formal",
        "claimed",
    ],
};
const TIES: Table = Table {
    name: "tally_tie",
    key: &["programme_id", "a", "b", "cooperation", "formal", "claimed"],
};

/// The statements that change the counts of one tally table, made once per write.
struct Changes {
    table: &'static str,
    raise: String,
    lower: String,
    drop_zero: String,
}

impl Table {
    fn changes(&self) -> Changes {
        let columns = self.key.join(", ");
        let at: Vec<String> = (1..=self.key.len()).map(|i| format!("?{i}")).collect();
        let matching: Vec<String> = self
            .key
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = ?{}", i + 1))
            .collect();
        let (table, n_at, matching) = (self.name, self.key.len() + 1, matching.join(" AND "));
        Changes {
            table,
            raise: format!(
                "INSERT INTO {table} ({columns}, n) VALUES ({}, ?{n_at})
                 ON CONFLICT DO UPDATE SET n = n + excluded.n",
                at.join(", ")
            ),
            // The count may not fall below zero, checked here rather than by the table's
            // CHECK, which a bulk import does not read again.
            lower: format!(
                "UPDATE {table} SET n = n + ?{n_at} WHERE {matching} AND n + ?{n_at} >= 0"
            ),
            drop_zero: format!("DELETE FROM {table} WHERE {matching} AND n = 0"),
        }
    }
}

impl Changes {
    /// Adds `n` (non-zero) to the count of `key`: a new key is created, and a key counted
    /// down to zero is deleted. Counting down a key that is not stored, or below zero, is
    /// refused: it would take away an event that was never counted.
    fn add(&self, tx: &Transaction<'_>, key: Vec<Value>, n: i64) -> Result<()> {
        let table = self.table;
        let mut values = key;
        values.push(Value::Integer(n));
        if n > 0 {
            tx.prepare_cached(&self.raise)?
                .execute(params_from_iter(&values))?;
            return Ok(());
        }
        // A count that is missing or too small means the events were changed outside
        // spacedip since the tally was counted: the write is refused, whole, with the way out.
        let out_of_step = || {
            Error::Refused(format!(
                "the running tally ({table}) does not match the events, which another program \
                 must have changed; nothing was written (run `spacedip check --recount`, then \
                 try again)"
            ))
        };
        let lowered = tx
            .prepare_cached(&self.lower)?
            .execute(params_from_iter(&values))
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::ConstraintViolation) => out_of_step(),
                _ => Error::from(e),
            })?;
        if lowered != 1 {
            return Err(out_of_step());
        }
        values.pop();
        tx.prepare_cached(&self.drop_zero)?
            .execute(params_from_iter(&values))?;
        Ok(())
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn flag(b: bool) -> Value {
    Value::Integer(i64::from(b))
}

/// Counts one change of a record into `delta`: an event replaced or deleted is taken away,
/// an event written is added (other records change no tally).
pub(super) fn count_change(delta: &mut Tally, before: Option<&Record>, after: Option<&Record>) {
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
pub(super) const TALLY_PART: usize = if cfg!(test) { 50 } else { 1_000_000 };

/// The entries of `map` that change a count, in the order `order` gives.
fn changed<K>(map: &Counts<K>, order: impl Fn(&K, &K) -> Ordering) -> Vec<(&K, i64)> {
    let mut entries: Vec<(&K, i64)> = map
        .iter()
        .filter(|(_, &n)| n != 0)
        .map(|(k, &n)| (k, n))
        .collect();
    entries.sort_unstable_by(|(a, _), (b, _)| order(a, b));
    entries
}

// Each table's primary key, in its column order.
fn channel_order(k: &ChannelKey) -> (&str, i32, &str, bool, bool) {
    let f = k.flags;
    let channel = k.channel.as_str();
    (&k.programme, k.year, channel, f.cooperation, f.formal)
}

fn party_order(k: &PartyKey) -> (&str, bool, bool, &str, bool) {
    let f = k.flags;
    (&k.programme, f.cooperation, f.claimed, &k.actor, f.formal)
}

fn tie_order(k: &TieKey) -> (&str, bool, bool, &str, &str, bool) {
    let f = k.flags;
    (&k.programme, f.cooperation, f.claimed, &k.a, &k.b, f.formal)
}

/// Adds a signed tally of changed events to the stored one (see [`Changes::add`]). Each
/// table's entries go in the order of its primary key: a bulk load of millions of ties then
/// appends to the table's B-tree instead of landing on a page at random each time (the
/// random order took half of a large import).
pub(super) fn write_tally(tx: &Transaction<'_>, delta: &Tally) -> Result<()> {
    let channels = CHANNELS.changes();
    for (k, n) in changed(&delta.channels, |a, b| {
        channel_order(a).cmp(&channel_order(b))
    }) {
        let f = k.flags;
        let key = vec![
            text(&k.programme),
            Value::Integer(k.year.into()),
            text(k.channel.as_str()),
            flag(f.cooperation),
            flag(f.formal),
        ];
        channels.add(tx, key, n)?;
    }
    let parties = PARTIES.changes();
    for (k, n) in changed(&delta.parties, |a, b| party_order(a).cmp(&party_order(b))) {
        let f = k.flags;
        let key = vec![
            text(&k.programme),
            text(&k.actor),
            flag(f.cooperation),
            flag(f.formal),
            flag(f.claimed),
        ];
        parties.add(tx, key, n)?;
    }
    let ties = TIES.changes();
    for (k, n) in changed(&delta.ties, |a, b| tie_order(a).cmp(&tie_order(b))) {
        let f = k.flags;
        let key = vec![
            text(&k.programme),
            text(&k.a),
            text(&k.b),
            flag(f.cooperation),
            flag(f.formal),
            flag(f.claimed),
        ];
        ties.add(tx, key, n)?;
    }
    Ok(())
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
            t.channels.insert(key, r.get(5)?);
        }
    }
    Ok(())
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

    /// The stored tally of one programme as a rule requiring `required` sees it (see
    /// [`Db::tally`]). Measures of many programmes read one at a time, so that each holds
    /// one programme's partners and ties and never looks through all the others': with
    /// hundreds of programmes and millions of ties, filtering the whole tally once per
    /// programme took minutes.
    ///
    /// Its ties come numbered ([`NumberedTies`]): a programme among many actors has hundreds
    /// of thousands, and a key of three strings for each took most of the time of `stats`.
    pub fn programme_tally(&self, programme: &str, required: Required) -> Result<ProgrammeTally> {
        let mut tally = Tally::default();
        self.read_channels_and_parties(programme, Some(required), &mut tally)?;
        Ok(ProgrammeTally {
            tally,
            ties: self.numbered_ties(programme, required)?,
        })
    }

    /// The ties of `programme` that a rule requiring `required` counts, numbered. Entries
    /// that differ only in flags the rule does not look at give one pair each (the network
    /// counts a pair once however often it comes).
    fn numbered_ties(&self, programme: &str, required: Required) -> Result<NumberedTies> {
        let read = Reading::of(Some(required), &["a", "b"]);
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT a, b FROM tally_tie WHERE {} AND n > 0",
            read.conditions.join(" AND ")
        ))?;
        let mut rows = st.query([programme])?;
        let mut numbering = Numbering::default();
        let mut pairs = Vec::new();
        while let Some(r) = rows.next()? {
            let name = |i: usize| -> Result<&str> {
                Ok(r.get_ref(i)?.as_str().map_err(rusqlite::Error::from)?)
            };
            pairs.push((numbering.of(name(0)?), numbering.of(name(1)?)));
        }
        Ok(NumberedTies {
            actors: numbering.into_names(),
            pairs,
        })
    }

    /// Adds one programme's stored tally to `t`, as a rule requiring `required` sees it, or
    /// every entry as stored (`None`).
    fn read_programme_tally(
        &self,
        programme: &str,
        required: Option<Required>,
        t: &mut Tally,
    ) -> Result<()> {
        self.read_channels_and_parties(programme, required, t)?;
        self.read_ties(programme, required, t)
    }

    /// Adds one programme's channel and party entries to `t` (see
    /// [`Db::read_programme_tally`]).
    fn read_channels_and_parties(
        &self,
        programme: &str,
        required: Option<Required>,
        t: &mut Tally,
    ) -> Result<()> {
        let mut st = self.conn.prepare_cached(
            "SELECT programme_id, year, channel, cooperation, formal, n FROM tally_channel
             WHERE programme_id = ?1",
        )?;
        read_channels(st.query([programme])?, &|_| true, t)?;
        self.read_parties(programme, required, t)
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

    fn read_parties(
        &self,
        programme: &str,
        required: Option<Required>,
        t: &mut Tally,
    ) -> Result<()> {
        let read = Reading::of(required, &["actor_id"]);
        let mut st = self.conn.prepare_cached(&read.sql("tally_party"))?;
        let mut rows = st.query([programme])?;
        while let Some(r) = rows.next()? {
            let key = PartyKey {
                programme: programme.to_string(),
                actor: r.get(0)?,
                flags: flags(r, 1)?,
            };
            add_count(&mut t.parties, key, r.get(4)?);
        }
        Ok(())
    }

    fn read_ties(&self, programme: &str, required: Option<Required>, t: &mut Tally) -> Result<()> {
        let read = Reading::of(required, &["a", "b"]);
        let mut st = self.conn.prepare_cached(&read.sql("tally_tie"))?;
        let mut rows = st.query([programme])?;
        while let Some(r) = rows.next()? {
            let key = TieKey {
                programme: programme.to_string(),
                a: r.get(0)?,
                b: r.get(1)?,
                flags: flags(r, 2)?,
            };
            add_count(&mut t.ties, key, r.get(5)?);
        }
        Ok(())
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
        let catalog = self.catalog()?;
        let mut events = self.coded_events(&Filter::default(), &catalog)?;
        events.sort_by(|a, b| a.programme.cmp(&b.programme));
        let mut counted: Vec<&str> = Vec::new();
        for own in events.chunk_by(|a, b| a.programme == b.programme) {
            let programme = own[0].programme.as_str();
            let mut stored = Tally::default();
            self.read_programme_tally(programme, None, &mut stored)?;
            if stored != Tally::of(own) {
                return Ok(false);
            }
            counted.push(programme);
        }
        // And no entries for a programme without events.
        let mut st = self.conn.prepare(
            "SELECT programme_id FROM tally_channel UNION SELECT programme_id FROM tally_party
             UNION SELECT programme_id FROM tally_tie ORDER BY 1",
        )?;
        let stored: Vec<String> = st
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(stored == counted)
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
        tx.execute_batch(
            "DELETE FROM tally_channel; DELETE FROM tally_party; DELETE FROM tally_tie;",
        )?;
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

/// How one programme's party or tie entries are read under a rule: the flags it requires are
/// matched (the same on every entry read), the others are read as the value every rule
/// admits, so that entries differing only there are summed into one. A million events' ties
/// are mostly the same pairs under other flags; the tables are keyed by programme, then the
/// default rule's flags, so that the default reads one range of the key.
struct Reading {
    actors: &'static [&'static str],
    conditions: Vec<&'static str>,
    flag_columns: String,
}

impl Reading {
    fn of(required: Option<Required>, actors: &'static [&'static str]) -> Reading {
        let Some(required) = required else {
            // As stored: every flag, so every entry is read as it is.
            return Reading {
                actors,
                conditions: vec!["programme_id = ?1"],
                flag_columns: "cooperation, formal, claimed".into(),
            };
        };
        let mut conditions = vec!["programme_id = ?1"];
        if required.cooperation {
            conditions.push("cooperation = 1");
        }
        if required.confirmed {
            conditions.push("claimed = 0");
        }
        if required.formal {
            conditions.push("formal = 1");
        }
        let flag_columns = format!(
            "{}, {}, 0",
            if required.cooperation {
                "cooperation"
            } else {
                "0"
            },
            if required.formal { "formal" } else { "0" },
        );
        Reading {
            actors,
            conditions,
            flag_columns,
        }
    }

    /// The actor columns, the three flags as the rule sees them and the count of each of one
    /// programme's entries. Entries that differ only in flags the rule does not look at are
    /// summed by the reader ([`add_count`]), which hashes every key anyway: summing in SQL
    /// (`GROUP BY`) compared every key with the one before, and sorted for a rule whose
    /// flags are not a prefix of the table's key.
    fn sql(&self, table: &str) -> String {
        format!(
            "SELECT {}, {}, n FROM {table} WHERE {}",
            self.actors.join(", "),
            self.flag_columns,
            self.conditions.join(" AND "),
        )
    }
}

/// Adds `n` to the count of `key` (entries a rule reads as one come one after another).
fn add_count<K: std::hash::Hash + Eq>(counts: &mut Counts<K>, key: K, n: i64) {
    *counts.entry(key).or_insert(0) += n;
}

fn flags(r: &rusqlite::Row<'_>, from: usize) -> rusqlite::Result<Flags> {
    Ok(Flags {
        cooperation: r.get(from)?,
        formal: r.get(from + 1)?,
        claimed: r.get(from + 2)?,
    })
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
                share.parties.retain(|k, _| k.programme == p.id);
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
        // One count of a busy programme off by one.
        db.conn
            .execute_batch(
                "UPDATE tally_party SET n = n + 1 WHERE programme_id = 'ILRS'
                 AND actor_id = (SELECT min(actor_id) FROM tally_party
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
