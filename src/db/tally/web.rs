//! The parties and ties of one programme's events under one set of flags, as one row of
//! `tally_web` stores them (schema.sql, migration 8): the actors, named once each, how many
//! events each is a party to, and every tie between two of them with its count, packed.
//!
//! A programme among thousands of actors has tens of thousands of ties. Stored a row each,
//! `stats` over hundreds of such programmes stepped through millions of rows and hashed two
//! names for each; packed, it reads a few values per programme and numbers each actor once.
//! The packing is plain Rust over bytes; `db::tally` reads and writes the rows.
//!
//! Layout: `actors` is the actor ids in byte order, separated by one space (ids never hold
//! one); `parties` is a little-endian `u32` per actor, in the same order (0 for an actor only
//! tied under these flags); `ties` is `(a, b, n)` as three little-endian `u32`s per tie, `a`
//! and `b` positions in `actors` with `a < b`, in order of `(a, b)`, `n > 0`.

use std::fmt;

use crate::domain::links::Ids;
use crate::domain::tally::{NumberedTies, ProgrammeTally};
use crate::domain::Tally;

/// Bytes of one tie: two positions and a count.
const TIE: usize = 12;

/// One row's content, unpacked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Web {
    /// Actor ids, each once, in byte order.
    pub actors: Vec<String>,
    /// For each actor, the events it is a party to (0: only tied).
    pub parties: Vec<u32>,
    /// `(a, b, n)`: positions in `actors`, `a < b`, in order, `n > 0`.
    pub ties: Vec<(u32, u32, u32)>,
}

/// The signed changes of one row: parties and ties by name (`a < b`), each key once.
#[derive(Debug, Default)]
pub(crate) struct Delta<'a> {
    pub parties: Vec<(&'a str, i64)>,
    pub ties: Vec<(&'a str, &'a str, i64)>,
}

/// Why a change cannot be applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    /// A count would fall below zero, or a missing entry be counted down: the stored tally
    /// is not that of the events.
    BelowZero,
    /// A count past what four bytes hold (four billion events).
    TooLarge,
}

/// A row that does not follow the layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Damaged(pub &'static str);

impl fmt::Display for Damaged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// One row as read, borrowed from the database's values and checked.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Packed<'a> {
    actors: &'a str,
    parties: &'a [u8],
    ties: &'a [u8],
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    let mut b = [0u8; 4];
    b.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(b)
}

impl<'a> Packed<'a> {
    /// The row's three values, checked against the layout: whatever a damaged or foreign
    /// file holds, reading it gives an error, never a panic or a wrong position.
    pub(crate) fn new(actors: &'a str, parties: &'a [u8], ties: &'a [u8]) -> Result<Self, Damaged> {
        // One walk along the names: each one non-empty and after the one before.
        let mut len = 0;
        if !actors.is_empty() {
            let mut last: Option<&str> = None;
            for name in actors.split(' ') {
                if name.is_empty() {
                    return Err(Damaged("an empty actor id"));
                }
                if last.is_some_and(|l| l >= name) {
                    return Err(Damaged("actors out of order"));
                }
                last = Some(name);
                len += 1;
            }
        }
        let packed = Packed {
            actors,
            parties,
            ties,
        };
        if parties.len() != 4 * len {
            return Err(Damaged("a count of parties per actor expected"));
        }
        if !ties.len().is_multiple_of(TIE) {
            return Err(Damaged("a tie cut short"));
        }
        let mut last = None;
        for (a, b, n) in packed.ties() {
            if a >= b || b as usize >= len || n == 0 || last.is_some_and(|l| l >= (a, b)) {
                return Err(Damaged("a tie out of range or out of order"));
            }
            last = Some((a, b));
        }
        Ok(packed)
    }

    /// The actor ids, in order.
    pub(crate) fn names(&self) -> impl Iterator<Item = &'a str> + 'a {
        let actors = self.actors;
        actors.split(' ').filter(|s| !s.is_empty())
    }

    /// Each actor's count as a party, in the order of [`Packed::names`].
    pub(crate) fn parties(&self) -> impl Iterator<Item = u32> + 'a {
        let parties = self.parties;
        (0..parties.len() / 4).map(move |i| u32_at(parties, 4 * i))
    }

    /// The ties, `(a, b, n)`.
    pub(crate) fn ties(&self) -> impl Iterator<Item = (u32, u32, u32)> + 'a {
        let ties = self.ties;
        (0..ties.len() / TIE).map(move |i| {
            let at = TIE * i;
            (u32_at(ties, at), u32_at(ties, at + 4), u32_at(ties, at + 8))
        })
    }

    /// The row's values copied, as read.
    pub(crate) fn copied(self) -> Owned {
        Owned {
            actors: self.actors.to_string(),
            parties: self.parties.to_vec(),
            ties: self.ties.to_vec(),
        }
    }

    /// The row, owned.
    pub(crate) fn unpack(&self) -> Web {
        Web {
            actors: self.names().map(str::to_string).collect(),
            parties: self.parties().collect(),
            ties: self.ties().collect(),
        }
    }
}

/// A row's values copied out of the statement that read them, already checked.
#[derive(Debug, Clone)]
pub(crate) struct Owned {
    actors: String,
    parties: Vec<u8>,
    ties: Vec<u8>,
}

impl Owned {
    fn packed(&self) -> Packed<'_> {
        Packed {
            actors: &self.actors,
            parties: &self.parties,
            ties: &self.ties,
        }
    }
}

/// The parties and ties of one programme's rows (those a rule counts) as the measures read
/// them: every actor of any row named once, in byte order, the parties as positions among
/// them, and every tie as a pair of positions. The rows' names are already sorted, so each
/// row's positions are found by one walk along the merged names, without hashing a name.
pub(crate) fn numbered(rows: &[Owned], tally: Tally) -> ProgrammeTally {
    let lists: Vec<Vec<&str>> = rows.iter().map(|r| r.packed().names().collect()).collect();
    let mut merged: Vec<&str> = Vec::new();
    for list in &lists {
        merged = union(&merged, list);
    }
    let mut actors = Ids::default();
    for name in &merged {
        actors.push(name);
    }
    let mut party = vec![false; merged.len()];
    let mut pairs = Vec::with_capacity(rows.iter().map(|r| r.ties.len() / TIE).sum());
    for (row, names) in rows.iter().zip(&lists) {
        let at = positions(names, &merged);
        let packed = row.packed();
        for (i, n) in packed.parties().enumerate() {
            if n > 0 {
                party[at[i] as usize] = true;
            }
        }
        pairs.extend(
            packed
                .ties()
                .map(|(a, b, _)| (at[a as usize], at[b as usize])),
        );
    }
    let parties = (0..merged.len() as u32)
        .filter(|&i| party[i as usize])
        .collect();
    ProgrammeTally {
        tally,
        parties,
        ties: NumberedTies { actors, pairs },
    }
}

/// The sorted union of two sorted lists without repeats.
fn union<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<&'a str> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// The position in `all` of each of `names` (both sorted, `names` within `all`).
fn positions(names: &[&str], all: &[&str]) -> Vec<u32> {
    let mut out = Vec::with_capacity(names.len());
    let mut at = 0;
    for name in names {
        while at < all.len() && all[at] < *name {
            at += 1;
        }
        out.push(at as u32);
    }
    out
}

impl Web {
    /// Whether the row would hold nothing (it is then deleted, as a count of zero is).
    pub(crate) fn is_empty(&self) -> bool {
        self.ties.is_empty() && self.parties.iter().all(|&n| n == 0)
    }

    /// The three values of the row.
    pub(crate) fn pack(&self) -> (String, Vec<u8>, Vec<u8>) {
        let parties = self.parties.iter().flat_map(|n| n.to_le_bytes()).collect();
        let mut ties = Vec::with_capacity(self.ties.len() * TIE);
        for &(a, b, n) in &self.ties {
            ties.extend_from_slice(&a.to_le_bytes());
            ties.extend_from_slice(&b.to_le_bytes());
            ties.extend_from_slice(&n.to_le_bytes());
        }
        (self.actors.join(" "), parties, ties)
    }

    /// The row with `delta` added: new keys appear, keys counted down to zero go, and an
    /// actor neither a party nor tied any more is dropped. Every list stays sorted, so that
    /// positions are mapped, never hashed.
    pub(crate) fn apply(&self, delta: &Delta<'_>) -> Result<Web, Fault> {
        let mut names: Vec<&str> = self.actors.iter().map(String::as_str).collect();
        names.extend(delta.parties.iter().map(|&(a, _)| a));
        names.extend(delta.ties.iter().flat_map(|&(a, b, _)| [a, b]));
        names.sort_unstable();
        names.dedup();
        let at = |name: &str| -> u32 {
            match names.binary_search(&name) {
                Ok(i) | Err(i) => i as u32,
            }
        };
        let old: Vec<u32> = self.actors.iter().map(|a| at(a)).collect();
        let moved = |i: u32| old.get(i as usize).copied().unwrap_or(u32::MAX);

        let mut parties = vec![0i64; names.len()];
        for (i, &n) in self.parties.iter().enumerate() {
            if let Some(p) = old.get(i).and_then(|&j| parties.get_mut(j as usize)) {
                *p += i64::from(n);
            }
        }
        for &(a, n) in &delta.parties {
            if let Some(p) = parties.get_mut(at(a) as usize) {
                *p += n;
            }
        }
        if parties.iter().any(|&n| n < 0) {
            return Err(Fault::BelowZero);
        }

        // Positions only grow from the old list to the new one: the stored ties stay sorted.
        let stored = self
            .ties
            .iter()
            .map(|&(a, b, n)| (moved(a), moved(b), i64::from(n)));
        let mut changed: Vec<(u32, u32, i64)> = delta
            .ties
            .iter()
            .map(|&(a, b, n)| {
                let (a, b) = (at(a), at(b));
                (a.min(b), a.max(b), n)
            })
            .collect();
        changed.sort_unstable();
        let ties = merge(stored, changed)?;

        let mut used = vec![false; names.len()];
        for (u, &n) in used.iter_mut().zip(&parties) {
            *u = n > 0;
        }
        for &(a, b, _) in &ties {
            used[a as usize] = true;
            used[b as usize] = true;
        }
        let mut kept = vec![0u32; names.len()];
        let mut web = Web::default();
        for (i, name) in names.iter().enumerate() {
            if used[i] {
                kept[i] = web.actors.len() as u32;
                web.actors.push((*name).to_string());
                web.parties
                    .push(u32::try_from(parties[i]).map_err(|_| Fault::TooLarge)?);
            }
        }
        web.ties = ties
            .into_iter()
            .map(|(a, b, n)| {
                let n = u32::try_from(n).map_err(|_| Fault::TooLarge)?;
                Ok((kept[a as usize], kept[b as usize], n))
            })
            .collect::<Result<_, Fault>>()?;
        Ok(web)
    }
}

/// The sorted stored ties with the sorted changes summed in; a change to a tie not stored
/// must add to it, and a count may not fall below zero. Ties counted down to zero are gone.
fn merge(
    stored: impl Iterator<Item = (u32, u32, i64)>,
    changed: Vec<(u32, u32, i64)>,
) -> Result<Vec<(u32, u32, i64)>, Fault> {
    let mut out: Vec<(u32, u32, i64)> = Vec::new();
    let mut changes = changed.into_iter().peekable();
    let push = |out: &mut Vec<(u32, u32, i64)>, (a, b, n): (u32, u32, i64), known: bool| {
        match out.last_mut() {
            Some(last) if (last.0, last.1) == (a, b) => last.2 += n,
            _ if !known && n < 0 => return Err(Fault::BelowZero),
            _ => out.push((a, b, n)),
        }
        Ok(())
    };
    for tie in stored {
        while let Some(&c) = changes.peek() {
            if (c.0, c.1) >= (tie.0, tie.1) {
                break;
            }
            push(&mut out, c, false)?;
            changes.next();
        }
        push(&mut out, tie, true)?;
    }
    for c in changes {
        push(&mut out, c, false)?;
    }
    if out.iter().any(|&(_, _, n)| n < 0) {
        return Err(Fault::BelowZero);
    }
    out.retain(|&(_, _, n)| n != 0);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    fn web(parties: &[(&str, u32)], ties: &[(&str, &str, u32)]) -> Web {
        let d = Delta {
            parties: parties.iter().map(|&(a, n)| (a, i64::from(n))).collect(),
            ties: ties.iter().map(|&(a, b, n)| (a, b, i64::from(n))).collect(),
        };
        Web::default().apply(&d).unwrap()
    }

    fn roundtrip(w: &Web) -> Web {
        let (actors, parties, ties) = w.pack();
        Packed::new(&actors, &parties, &ties).unwrap().unpack()
    }

    #[test]
    fn a_web_packs_and_unpacks() {
        let w = web(
            &[("CHN", 3), ("RUS", 2)],
            &[("CHN", "RUS", 2), ("RUS", "UAE", 1)],
        );
        assert_eq!(w.actors, ["CHN", "RUS", "UAE"]);
        assert_eq!(w.parties, [3, 2, 0]);
        assert_eq!(w.ties, [(0, 1, 2), (1, 2, 1)]);
        assert_eq!(roundtrip(&w), w);
        let (actors, parties, ties) = w.pack();
        assert_eq!(actors, "CHN RUS UAE");
        assert_eq!(parties.len(), 12);
        assert_eq!(ties.len(), 24);
    }

    #[test]
    fn counting_down_drops_what_reaches_zero() {
        let w = web(&[("CHN", 1), ("RUS", 1)], &[("CHN", "RUS", 1)]);
        let d = Delta {
            parties: vec![("RUS", -1)],
            ties: vec![("CHN", "RUS", -1)],
        };
        let after = w.apply(&d).unwrap();
        assert_eq!(after.actors, ["CHN"]);
        assert_eq!(after.ties, []);
        let gone = after
            .apply(&Delta {
                parties: vec![("CHN", -1)],
                ties: vec![],
            })
            .unwrap();
        assert!(gone.is_empty());
        assert_eq!(gone.actors.len(), 0);
    }

    #[test]
    fn counting_down_what_is_not_there_is_refused() {
        let w = web(&[("CHN", 1)], &[]);
        let tie = Delta {
            parties: vec![],
            ties: vec![("CHN", "RUS", -1)],
        };
        assert_eq!(w.apply(&tie), Err(Fault::BelowZero));
        let party = Delta {
            parties: vec![("CHN", -2)],
            ties: vec![],
        };
        assert_eq!(w.apply(&party), Err(Fault::BelowZero));
        let big = Delta {
            parties: vec![("CHN", i64::from(u32::MAX))],
            ties: vec![],
        };
        assert_eq!(w.apply(&big), Err(Fault::TooLarge));
    }

    #[test]
    fn damaged_rows_are_errors() {
        let three = 1u32.to_le_bytes().repeat(3);
        for (actors, parties, ties) in [
            ("B A", &three[..8], &[][..]),
            ("A  B", &three[..], &[][..]),
            ("A B", &three[..], &[][..]),
            ("A B", &three[..8], &[0u8; 5][..]),
        ] {
            assert!(Packed::new(actors, parties, ties).is_err(), "{actors:?}");
        }
        let tie = |a: u32, b: u32, n: u32| -> Vec<u8> {
            [a, b, n].iter().flat_map(|v| v.to_le_bytes()).collect()
        };
        for bad in [
            tie(1, 0, 1),
            tie(0, 2, 1),
            tie(0, 1, 0),
            [tie(0, 1, 1), tie(0, 1, 1)].concat(),
        ] {
            assert!(Packed::new("A B", &three[..8], &bad).is_err());
        }
        assert!(Packed::new("A B", &three[..8], &tie(0, 1, 1)).is_ok());
        assert_eq!(Packed::new("", &[], &[]).unwrap().names().count(), 0);
    }

    fn name() -> impl Strategy<Value = String> {
        prop::sample::select(vec!["A", "B", "CHN", "ESA", "RUS", "UAE", "Z-1"])
            .prop_map(str::to_string)
    }

    proptest! {
        /// Any sequence of additions, packed and unpacked between them, counts what a map of
        /// the same additions counts.
        #[test]
        fn a_web_counts_as_a_map_does(
            steps in prop::collection::vec(
                (prop::collection::vec((name(), 1i64..4), 0..4),
                 prop::collection::vec((name(), name(), 1i64..4), 0..6)),
                1..5),
        ) {
            let mut w = Web::default();
            let mut parties: BTreeMap<String, i64> = BTreeMap::new();
            let mut ties: BTreeMap<(String, String), i64> = BTreeMap::new();
            for (ps, ts) in &steps {
                let mut p: BTreeMap<&str, i64> = BTreeMap::new();
                for (a, n) in ps {
                    *p.entry(a).or_default() += n;
                    *parties.entry(a.clone()).or_default() += n;
                }
                let mut t: BTreeMap<(&str, &str), i64> = BTreeMap::new();
                for (a, b, n) in ts {
                    if a == b {
                        continue;
                    }
                    let (a, b) = if a < b { (a, b) } else { (b, a) };
                    *t.entry((a, b)).or_default() += n;
                    *ties.entry((a.clone(), b.clone())).or_default() += n;
                }
                let d = Delta {
                    parties: p.into_iter().collect(),
                    ties: t.into_iter().map(|((a, b), n)| (a, b, n)).collect(),
                };
                w = roundtrip(&w.apply(&d).unwrap());
            }
            let got_parties: BTreeMap<String, i64> = w.actors.iter().cloned()
                .zip(w.parties.iter().map(|&n| i64::from(n)))
                .filter(|&(_, n)| n > 0)
                .collect();
            prop_assert_eq!(got_parties, parties.clone());
            let got_ties: BTreeMap<(String, String), i64> = w.ties.iter()
                .map(|&(a, b, n)| ((w.actors[a as usize].clone(), w.actors[b as usize].clone()), i64::from(n)))
                .collect();
            prop_assert_eq!(got_ties, ties.clone());
            // And taking everything away again leaves nothing.
            let d = Delta {
                parties: parties.iter().map(|(a, &n)| (a.as_str(), -n)).collect(),
                ties: ties.iter().map(|((a, b), &n)| (a.as_str(), b.as_str(), -n)).collect(),
            };
            prop_assert!(w.apply(&d).unwrap().is_empty());
        }
    }
}
