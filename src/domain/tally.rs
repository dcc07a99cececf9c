//! What the whole-record measures read from events, summed per programme, so that `stats`
//! costs per programme instead of per event.
//!
//! Every measure of `metrics::Summary` over a programme's whole record depends on its events
//! only through three sums:
//! - **channels**: how many events there are per (year, channel), apart by whether they are
//!   cooperation and whether they are formal instruments (the two event tests of `metrics::Rules`);
//! - **parties**: which actors take part (any role but `subject`), apart by the same two event
//!   tests and by whether the party is only claimed;
//! - **ties**: which pairs of actors take part in one event, not both only `selected` there,
//!   apart by the two event tests and by whether either party is only claimed.
//!
//! Actors are kept as coded, not as the partner nodes they stand for: which node an actor is
//! depends on the catalog (a country, a lead state), which can change without any event
//! changing. Mapping ties to nodes gives the partner network's edges exactly: two nodes are
//! linked in an event unless every party of both is only selected there, which is to say
//! unless no pair of their parties is a tie.
//!
//! The counts are signed, so that an edit is the old event taken away and the new one added;
//! an entry whose count reaches zero is gone. The database keeps one tally current with every
//! write (`db::tally`); [`Tally::of`] counts one from events, which tests compare it with;
//! `metrics::tally` reads the measures' inputs out of it under a coding rule.

use std::collections::HashMap;

use super::links::{Ids, Numbering};
use super::{Channel, Event, Role, Valence};

/// The two event tests of the coding rules (`metrics::Rules`), and the party one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Flags {
    /// The event is cooperation (not a refusal, withdrawal or obstacle).
    pub cooperation: bool,
    /// The event is a formal instrument.
    pub formal: bool,
    /// The party (for a tie: either party) is only claimed.
    pub claimed: bool,
}

/// The flags a coding rule requires of what it counts (`metrics::Rules::required`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Required {
    /// Cooperation events only.
    pub cooperation: bool,
    /// Formal instruments only.
    pub formal: bool,
    /// Confirmed parties only.
    pub confirmed: bool,
}

impl Required {
    /// Whether an entry with `flags` is counted.
    pub fn admits(self, flags: Flags) -> bool {
        (!self.cooperation || flags.cooperation)
            && (!self.formal || flags.formal)
            && (!self.confirmed || !flags.claimed)
    }
}

/// Events of one programme, year and channel with the same flags (`claimed` unused).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChannelKey {
    pub programme: String,
    pub year: i32,
    pub channel: Channel,
    pub flags: Flags,
}

/// An actor taking part in events of one programme with the same flags.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartyKey {
    pub programme: String,
    pub actor: String,
    pub flags: Flags,
}

/// Two actors (`a` < `b`) taking part in one event of a programme, with the same flags.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TieKey {
    pub programme: String,
    pub a: String,
    pub b: String,
    pub flags: Flags,
}

/// The three sums, each a count per key (see the module).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub channels: Counts<ChannelKey>,
    pub parties: Counts<PartyKey>,
    pub ties: Counts<TieKey>,
}

/// One programme's ties as one coding rule counts them, each actor named once and each tie a
/// pair of positions in `actors` (a pair may repeat). What the partner network is built from:
/// a corpus of many actors holds millions of ties, which are read and mapped to nodes this way
/// without a string or a hashed name for each (the names themselves end to end in one
/// string).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NumberedTies {
    pub actors: Ids,
    pub pairs: Vec<(u32, u32)>,
}

impl NumberedTies {
    /// The ties `pairs` of actors named in full.
    pub fn of_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> NumberedTies {
        let mut numbering = Numbering::default();
        let pairs = pairs
            .into_iter()
            .map(|(a, b)| (numbering.of(a), numbering.of(b)))
            .collect();
        let mut actors = Ids::default();
        for name in numbering.names() {
            actors.push(name);
        }
        NumberedTies { actors, pairs }
    }

    /// The pairs of actors named in full, in the order they were added.
    pub fn named(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        let name = |i: u32| self.actors.get(i as usize).unwrap_or_default();
        self.pairs.iter().map(move |&(a, b)| (name(a), name(b)))
    }
}

/// One programme's stored tally as one coding rule sees it, for the measures of its whole
/// record: its channel entries in `tally` (which holds no parties or ties), its ties numbered,
/// and the actors taking part, as positions in the ties' names (which name every actor of
/// the programme's parties and ties). A programme among thousands of actors would otherwise
/// give a key of two strings for each of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgrammeTally {
    pub tally: Tally,
    pub parties: Vec<u32>,
    pub ties: NumberedTies,
}

impl ProgrammeTally {
    /// The actors taking part, by name.
    pub fn party_names(&self) -> impl Iterator<Item = &str> + '_ {
        let names = &self.ties.actors;
        self.parties
            .iter()
            .filter_map(move |&i| names.get(i as usize))
    }
}

/// A count per key. foldhash, not SipHash: tens of millions of ties are hashed when a tally
/// is counted or read, none chosen by an attacker in a way that matters for local data.
pub type Counts<K> = HashMap<K, i64, foldhash::fast::RandomState>;

fn bump<K: std::hash::Hash + Eq>(map: &mut Counts<K>, key: K, by: i64) {
    let n = map.entry(key).or_insert(0);
    *n += by;
}

impl Tally {
    /// The tally of `events`.
    pub fn of<'a>(events: impl IntoIterator<Item = &'a Event>) -> Tally {
        let mut t = Tally::default();
        for e in events {
            t.add(e, 1);
        }
        t
    }

    /// Adds `e` once (`sign` 1) or takes it away (`sign` -1).
    pub fn add(&mut self, e: &Event, sign: i64) {
        let event = Flags {
            cooperation: e.valence == Valence::Cooperation,
            formal: e.kind.is_formal(),
            claimed: false,
        };
        bump(
            &mut self.channels,
            ChannelKey {
                programme: e.programme.clone(),
                year: e.date.year_value(),
                channel: e.channel,
                flags: event,
            },
            sign,
        );
        let parties: Vec<_> = e
            .parties
            .iter()
            .filter(|p| p.role != Role::Subject)
            .collect();
        for (i, p) in parties.iter().enumerate() {
            bump(
                &mut self.parties,
                PartyKey {
                    programme: e.programme.clone(),
                    actor: p.actor.clone(),
                    flags: Flags {
                        claimed: p.is_claimed(),
                        ..event
                    },
                },
                sign,
            );
            for q in &parties[i + 1..] {
                let selected = |r: Role| r == Role::Selected;
                if p.actor == q.actor || (selected(p.role) && selected(q.role)) {
                    continue;
                }
                let (a, b) = if p.actor < q.actor { (p, q) } else { (q, p) };
                bump(
                    &mut self.ties,
                    TieKey {
                        programme: e.programme.clone(),
                        a: a.actor.clone(),
                        b: b.actor.clone(),
                        flags: Flags {
                            claimed: p.is_claimed() || q.is_claimed(),
                            ..event
                        },
                    },
                    sign,
                );
            }
        }
    }

    /// The number of entries: channel, party and tie keys.
    pub fn entries(&self) -> usize {
        self.channels.len() + self.parties.len() + self.ties.len()
    }

    /// Drops the keys whose count is zero (an event added and taken away again).
    pub fn prune(&mut self) {
        self.channels.retain(|_, n| *n != 0);
        self.parties.retain(|_, n| *n != 0);
        self.ties.retain(|_, n| *n != 0);
    }

    /// The years of `programme`'s events, first and last, whatever their valence or kind.
    pub fn span(&self, programme: &str) -> Option<(i32, i32)> {
        let years = self
            .channels
            .iter()
            .filter(|(k, &n)| n > 0 && k.programme == programme)
            .map(|(k, _)| k.year);
        Some((years.clone().min()?, years.max()?))
    }

    /// The latest year any event of the `programmes` (all for none) starts in: the
    /// reference year T of a whole-record summary.
    pub fn reference_year(&self, programmes: &[String]) -> Option<i32> {
        self.channels
            .iter()
            .filter(|(k, &n)| n > 0 && (programmes.is_empty() || programmes.contains(&k.programme)))
            .map(|(k, _)| k.year)
            .max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Certainty, Kind, Party};

    fn party(actor: &str, role: Role, certainty: Certainty) -> Party {
        Party {
            actor: actor.into(),
            role,
            certainty,
        }
    }

    fn event(parties: Vec<Party>) -> Event {
        Event {
            id: "E".into(),
            date: "2021-03".parse().unwrap(),
            end_date: None,
            programme: "P".into(),
            kind: Kind::Mou,
            channel: Channel::Bilateral,
            valence: Valence::Cooperation,
            venue: None,
            follows: None,
            title: "E".into(),
            summary: String::new(),
            notes: String::new(),
            parties,
            institutions: vec![],
            sources: vec![],
        }
    }

    fn tie(a: &str, b: &str, claimed: bool) -> TieKey {
        TieKey {
            programme: "P".into(),
            a: a.into(),
            b: b.into(),
            flags: Flags {
                cooperation: true,
                formal: true,
                claimed,
            },
        }
    }

    #[test]
    fn ties_leave_out_subjects_and_pairs_only_selected() {
        use Certainty::{Claimed, Confirmed};
        let e = event(vec![
            party("CHN", Role::Lead, Confirmed),
            party("THA", Role::Selected, Confirmed),
            party("PAK", Role::Selected, Claimed),
            party("USA", Role::Subject, Confirmed),
            party("CHN", Role::Partner, Confirmed),
        ]);
        let t = Tally::of([&e]);
        let mut ties: Vec<_> = t.ties.keys().cloned().collect();
        ties.sort();
        // CHN twice is one actor (no loop); THA and PAK are both only selected (no tie);
        // the subject USA is no party at all. CHN–PAK is claimed, as PAK is.
        assert_eq!(ties, [tie("CHN", "PAK", true), tie("CHN", "THA", false)]);
        assert_eq!(
            t.ties[&tie("CHN", "THA", false)],
            2,
            "CHN counts as lead and partner"
        );
        let mut actors: Vec<_> = t
            .parties
            .iter()
            .map(|(k, n)| (k.actor.as_str(), *n))
            .collect();
        actors.sort();
        assert_eq!(actors, [("CHN", 2), ("PAK", 1), ("THA", 1)]);
        assert_eq!(t.span("P"), Some((2021, 2021)));
        assert_eq!(t.reference_year(&[]), Some(2021));
        assert_eq!(t.reference_year(&["Q".into()]), None);
    }

    #[test]
    fn an_event_taken_away_leaves_nothing() {
        let e = event(vec![
            party("CHN", Role::Lead, Certainty::Confirmed),
            party("RUS", Role::Partner, Certainty::Claimed),
        ]);
        let mut t = Tally::of([&e]);
        assert_eq!((t.channels.len(), t.parties.len(), t.ties.len()), (1, 2, 1));
        t.add(&e, -1);
        t.prune();
        assert_eq!(t, Tally::default());
        assert_eq!(t.span("P"), None);
    }

    #[test]
    fn required_flags_admit_what_a_rule_counts() {
        let all = Required::default();
        let strict = Required {
            cooperation: true,
            formal: true,
            confirmed: true,
        };
        let claimed = Flags {
            cooperation: true,
            formal: true,
            claimed: true,
        };
        assert!(all.admits(claimed) && !strict.admits(claimed));
        assert!(strict.admits(Flags {
            claimed: false,
            ..claimed
        }));
        assert!(!strict.admits(Flags::default()) && all.admits(Flags::default()));
    }
}
