//! The inputs of the whole-record measures read out of a [`Tally`] under a coding rule: the
//! channel mix, the actors taking part and the ties between them, each for one programme.
//! `Summary::from_tally` turns them into the same figures `Summary::compute_with` gives over
//! the events.

use std::collections::{HashMap, HashSet};

use super::channels::{counts_with, ChannelCounts, ChannelMix};
use super::rules::Rules;
use crate::domain::tally::{NumberedTies, ProgrammeTally};
use crate::domain::{Catalog, Tally};

/// The channel mix of `programme`'s events that `rules` count.
pub fn mix(tally: &Tally, programme: &str, rules: &Rules) -> ChannelMix {
    let mut mix = ChannelMix::default();
    for (k, &n) in &tally.channels {
        if n > 0 && k.programme == programme && rules.required().admits(k.flags) {
            mix.count(k.channel, n as usize);
        }
    }
    mix
}

/// The actors that take part in `programme`'s events as `rules` count them.
pub fn actors<'a>(
    tally: &'a Tally,
    programme: &'a str,
    rules: &'a Rules,
) -> impl Iterator<Item = &'a str> + 'a {
    tally
        .parties
        .iter()
        .filter(move |(k, &n)| {
            n > 0 && k.programme == programme && rules.required().admits(k.flags)
        })
        .map(|(k, _)| k.actor.as_str())
}

/// The ties between actors of `programme`'s events as `rules` count them.
pub fn tied<'a>(
    tally: &'a Tally,
    programme: &'a str,
    rules: &'a Rules,
) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
    tally
        .ties
        .iter()
        .filter(move |(k, &n)| {
            n > 0 && k.programme == programme && rules.required().admits(k.flags)
        })
        .map(|(k, _)| (k.a.as_str(), k.b.as_str()))
}

/// [`tied`], each actor numbered once.
pub fn numbered(tally: &Tally, programme: &str, rules: &Rules) -> NumberedTies {
    NumberedTies::of_pairs(tied(tally, programme, rules))
}

/// `programme`'s parties and ties in `tally` as `rules` count them, in the shape the database
/// gives them ([`ProgrammeTally`], without channel entries): the ties numbered, and every
/// actor taking part a position among the ties' names (appended when it has no tie), each
/// once however many sets of flags the rule reads it under.
pub fn programme_tally(tally: &Tally, programme: &str, rules: &Rules) -> ProgrammeTally {
    let mut ties = numbered(tally, programme, rules);
    let mut named: HashMap<String, u32> = ties
        .actors
        .iter()
        .enumerate()
        .map(|(i, a)| (a.to_string(), i as u32))
        .collect();
    let mut parties = Vec::new();
    let mut taken = HashSet::new();
    for actor in actors(tally, programme, rules) {
        let at = match named.get(actor) {
            Some(&at) => Some(at),
            None => ties.actors.push(actor),
        };
        if let Some(at) = at {
            named.insert(actor.to_string(), at);
            if taken.insert(at) {
                parties.push(at);
            }
        }
    }
    ProgrammeTally {
        tally: Tally::default(),
        parties,
        ties,
    }
}

/// [`super::channel_counts`] from a tally of the events (those of the `programmes` named, or all).
pub fn channel_counts_of_tally(
    tally: &Tally,
    catalog: &Catalog,
    programmes: &[String],
) -> Vec<ChannelCounts> {
    // Every event counts here, whatever its valence, kind or parties.
    let every = Rules {
        all_valences: true,
        ..Rules::DEFAULT
    };
    // Every programme's mix in one pass: hundreds of programmes each looking through the
    // channel entries of all took seconds.
    let mut mixes: HashMap<&str, ChannelMix> = HashMap::new();
    for (k, &n) in &tally.channels {
        if n > 0 && every.required().admits(k.flags) {
            mixes
                .entry(k.programme.as_str())
                .or_default()
                .count(k.channel, n as usize);
        }
    }
    counts_with(catalog, |p| {
        if programmes.is_empty() || programmes.iter().any(|q| q == p) {
            mixes.get(p).copied().unwrap_or_default()
        } else {
            ChannelMix::default()
        }
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::domain::{Certainty, Channel, Event, Kind, Party, Role, Tally, Valence};
    use crate::metrics::fixtures::{catalog, event, programme, world_actors};
    use crate::metrics::{Rules, Summary};

    const ACTORS: [&str; 12] = [
        "CHN", "CNSA", "DSEL", "PAK", "SUPARCO", "THA", "NARIT", "RUS", "UNOOSA", "FIRM", "CHE",
        "USA",
    ];

    /// One event of programme P or Q from drawn numbers: any year, channel, kind, valence,
    /// and up to six parties in any role and certainty (repeats allowed).
    fn drawn(
        i: usize,
        (p, year, c, k, v): (bool, i32, usize, usize, usize),
        parties: &[(usize, usize, bool)],
    ) -> Event {
        let mut e = event(
            &format!("E{i}"),
            &year.to_string(),
            if p { "P" } else { "Q" },
            Channel::ALL[c % Channel::ALL.len()],
            &[],
        );
        e.kind = Kind::ALL[k % Kind::ALL.len()];
        e.valence = Valence::ALL[v % Valence::ALL.len()];
        e.parties = parties
            .iter()
            .map(|&(a, r, claimed)| Party {
                actor: ACTORS[a % ACTORS.len()].into(),
                role: Role::ALL[r % Role::ALL.len()],
                certainty: if claimed {
                    Certainty::Claimed
                } else {
                    Certainty::Confirmed
                },
            })
            .collect();
        e
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Every whole-record figure from the tally is the figure over the events, under
        /// each named coding rule, with and without a lead state.
        #[test]
        fn the_tally_gives_the_figures_of_the_events(
            events in prop::collection::vec(
                ((any::<bool>(), 1990..2030i32, 0..4usize, 0..11usize, 0..4usize),
                 prop::collection::vec((0..12usize, 0..11usize, any::<bool>()), 0..6)),
                0..40),
        ) {
            let events: Vec<Event> = events
                .iter()
                .enumerate()
                .map(|(i, (head, parties))| drawn(i, *head, parties))
                .collect();
            let cat = catalog(
                vec![
                    programme("P", crate::domain::IssueArea::Lunar, Some("CHN")),
                    programme("Q", crate::domain::IssueArea::Lunar, None),
                ],
                world_actors(),
                vec![],
                vec![],
            );
            let tally = Tally::of(&events);
            let t = crate::metrics::reference_year(&events);
            prop_assert_eq!(tally.reference_year(&[]), t);
            for p in &cat.programmes {
                for (_, rules) in Rules::NAMED {
                    let over_events = Summary::compute_with(&events, &cat, p, t, &rules);
                    let over_tally = Summary::from_tally(&tally, &cat, p, t, &rules);
                    prop_assert_eq!(over_tally, over_events);
                }
            }
        }
    }

    /// An actor that takes part under two sets of flags the rule reads (claimed in one event,
    /// confirmed in another), with no tie, is one party, named once.
    #[test]
    fn a_party_under_two_sets_of_flags_is_named_once() {
        let claimed = drawn(0, (true, 2020, 0, 0, 0), &[(3, 2, true)]);
        let confirmed = drawn(1, (true, 2021, 0, 0, 0), &[(3, 2, false)]);
        let tally = Tally::of(&[claimed, confirmed]);
        let rules = Rules {
            with_claimed: true,
            ..Rules::DEFAULT
        };
        let own = super::programme_tally(&tally, "P", &rules);
        assert_eq!(own.party_names().collect::<Vec<_>>(), ["PAK"]);
        assert_eq!(own.ties.actors.len(), 1);
    }
}
