//! Facet counts, and the in-memory index that counts them for a million events in one pass:
//! each event's coded fields, its date span and its parties, kept by the browser's worker so
//! that a keystroke counts the very set it shows without asking the database again.

use std::collections::{BTreeMap, HashMap};

use super::links::Numbering;
use super::{Catalog, Channel, ChannelFilter, Filter, Kind, LinkList, Valence};

/// Event counts per value of each filterable field.
///
/// A single-valued field (programme, channel, kind, year) is counted under the filter *without
/// its own selection*, so the panel shows the alternatives one could add and how many events
/// each brings (values of one field are alternatives). Partners must all take part, so they
/// are counted under the whole filter: each count is what adding that partner leaves. A state
/// counts its own events and those of its agencies and institutes, as `--actor` selects them.
/// A fuzzy search term always applies. Zero counts are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    /// Programme id → events, most events first.
    pub programmes: Vec<(String, usize)>,
    /// The four channel cuts, in [`ChannelFilter::ALL`] order (`multilateral` includes `un`).
    pub channels: Vec<(ChannelFilter, usize)>,
    /// Event kinds, most events first.
    pub kinds: Vec<(Kind, usize)>,
    /// Valences, in [`Valence::ALL`] order (cooperation first).
    pub valences: Vec<(Valence, usize)>,
    /// Actor id → events, most events first.
    pub partners: Vec<(String, usize)>,
    /// Year → events whose span touches it, in calendar order.
    pub years: Vec<(i32, usize)>,
}

/// One event as the index takes it.
#[derive(Debug, Clone, Copy)]
pub struct IndexEntry<'a> {
    pub programme: &'a str,
    pub channel: Channel,
    pub kind: Kind,
    pub valence: Valence,
    /// The first and last calendar day the event can stand for (`YYYY-MM-DD`).
    pub day_lo: &'a str,
    pub day_hi: &'a str,
}

/// The fields facets count, per event, by position: the order the events were pushed in,
/// which the browser's search corpus, read in the same pass, shares (so that a search's hits
/// are counted by their corpus positions, and no key is held twice).
#[derive(Debug, Default)]
pub struct FacetIndex {
    programme: Vec<u32>,
    /// Each event's programme is its number here: a corpus may hold hundreds of programmes.
    programmes: Numbering,
    channel: Vec<Channel>,
    kind: Vec<Kind>,
    valence: Vec<Valence>,
    /// Days as `yyyymmdd` numbers, which order as the dates do.
    lo: Vec<u32>,
    hi: Vec<u32>,
    /// Each event's parties (indices into the catalog's actors), as offsets into `parties`.
    party_start: Vec<u32>,
    parties: Vec<u32>,
}

impl FacetIndex {
    /// An empty index; [`FacetIndex::push`] adds events, then [`FacetIndex::link`] their
    /// parties.
    pub fn new() -> FacetIndex {
        FacetIndex::default()
    }

    /// Adds one event, at the next position.
    pub fn push(&mut self, e: IndexEntry<'_>) {
        let p = self.programmes.of(e.programme);
        self.programme.push(p);
        self.channel.push(e.channel);
        self.kind.push(e.kind);
        self.valence.push(e.valence);
        self.lo.push(day_number(e.day_lo));
        self.hi.push(day_number(e.day_hi));
    }

    /// The number of events.
    pub fn len(&self) -> usize {
        self.programme.len()
    }

    pub fn is_empty(&self) -> bool {
        self.programme.is_empty()
    }

    /// Sets the events' parties from their links, each event found by `position` of its
    /// key; actors the catalog lacks are left out.
    pub fn link(
        &mut self,
        links: &LinkList,
        catalog: &Catalog,
        position: impl Fn(i64) -> Option<u32>,
    ) {
        let by_code: Vec<Option<u32>> = links
            .dict()
            .iter()
            .map(|id| catalog.actor_position(id).map(|i| i as u32))
            .collect();
        let (start, parties) = links.by_position(self.len(), position, |code| {
            by_code.get(code as usize).copied().flatten()
        });
        self.party_start = start;
        self.parties = parties;
    }

    /// The facet counts under `filter` (its search aside) among the events at the positions
    /// `among` (all when `None`; in any order); `None` when `cancelled` said so before the
    /// end.
    pub fn count(
        &self,
        filter: &Filter,
        catalog: &Catalog,
        among: Option<&[u32]>,
        cancelled: &dyn Fn() -> bool,
    ) -> Option<Facets> {
        let test = Tests::new(self, filter, catalog);
        let mut programmes = vec![0usize; self.programmes.len()];
        let mut channels: HashMap<Channel, usize> = HashMap::new();
        let mut kinds: HashMap<Kind, usize> = HashMap::new();
        let mut valences: HashMap<Valence, usize> = HashMap::new();
        let mut partners = vec![0usize; catalog.actors.len()];
        let mut years: BTreeMap<i32, usize> = BTreeMap::new();
        // An event's partners: its parties and their states, each once.
        let country: Vec<Option<u32>> = catalog
            .actors
            .iter()
            .map(|a| {
                let c = a.country.as_deref()?;
                catalog.actor_position(c).map(|i| i as u32)
            })
            .collect();
        let mut seen: Vec<u32> = Vec::new();
        let positions: Box<dyn Iterator<Item = u32>> = match among {
            None => Box::new(0..self.len() as u32),
            Some(positions) => Box::new(
                positions
                    .iter()
                    .copied()
                    .filter(|&p| (p as usize) < self.len()),
            ),
        };
        for (n, pos) in positions.enumerate() {
            if n % 65_536 == 0 && cancelled() {
                return None;
            }
            let i = pos as usize;
            let ok = test.each(self, i);
            let all = ok.iter().all(|&b| b);
            // Each single-valued field is counted without its own selection.
            let others = |skip: usize| ok.iter().enumerate().all(|(j, &b)| j == skip || b);
            if others(PROGRAMME) {
                programmes[self.programme[i] as usize] += 1;
            }
            if others(CHANNEL) {
                *channels.entry(self.channel[i]).or_default() += 1;
            }
            if others(KIND) {
                *kinds.entry(self.kind[i]).or_default() += 1;
            }
            if others(VALENCE) {
                *valences.entry(self.valence[i]).or_default() += 1;
            }
            if others(DATE) {
                let (lo, hi) = ((self.lo[i] / 10_000) as i32, (self.hi[i] / 10_000) as i32);
                for y in lo..=hi.max(lo) {
                    *years.entry(y).or_default() += 1;
                }
            }
            if all {
                seen.clear();
                for &a in self.parties_of(i) {
                    for p in std::iter::once(a).chain(country[a as usize]) {
                        if !seen.contains(&p) {
                            seen.push(p);
                            partners[p as usize] += 1;
                        }
                    }
                }
            }
        }
        let mut programmes: Vec<(String, usize)> = self
            .programmes
            .names()
            .iter()
            .cloned()
            .zip(programmes)
            .filter(|(_, n)| *n > 0)
            .collect();
        sort_by_count(&mut programmes);
        let channels = ChannelFilter::ALL
            .iter()
            .map(|&cut| {
                let n = cut
                    .channels()
                    .iter()
                    .map(|c| channels.get(c).copied().unwrap_or(0));
                (cut, n.sum())
            })
            .filter(|(_, n)| *n > 0)
            .collect();
        let mut kinds: Vec<(Kind, usize)> = kinds.into_iter().collect();
        kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut valences: Vec<(Valence, usize)> = valences.into_iter().collect();
        valences.sort();
        let mut partners: Vec<(String, usize)> = catalog
            .actors
            .iter()
            .map(|a| a.id.clone())
            .zip(partners)
            .filter(|(_, n)| *n > 0)
            .collect();
        sort_by_count(&mut partners);
        Some(Facets {
            programmes,
            channels,
            kinds,
            valences,
            partners,
            years: years.into_iter().collect(),
        })
    }

    fn parties_of(&self, i: usize) -> &[u32] {
        &self.parties[self.party_start[i] as usize..self.party_start[i + 1] as usize]
    }
}

/// Most events first, then by name.
pub fn sort_by_count(v: &mut [(String, usize)]) {
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
}

const PROGRAMME: usize = 0;
const CHANNEL: usize = 1;
const KIND: usize = 2;
const VALENCE: usize = 3;
const DATE: usize = 4;
const ACTORS: usize = 5;

/// A filter's conditions, compiled against the index.
struct Tests {
    programmes: Option<Vec<bool>>,
    channels: Option<Vec<Channel>>,
    kinds: Vec<Kind>,
    valences: Vec<Valence>,
    since: Option<u32>,
    until: Option<u32>,
    /// Per actor filter, which actors (by catalog index) satisfy it.
    actors: Vec<Vec<bool>>,
}

impl Tests {
    fn new(ix: &FacetIndex, f: &Filter, catalog: &Catalog) -> Tests {
        Tests {
            programmes: (!f.programmes.is_empty()).then(|| {
                ix.programmes
                    .names()
                    .iter()
                    .map(|p| f.programmes.contains(p))
                    .collect()
            }),
            channels: f.channel_set(),
            kinds: f.kinds.clone(),
            valences: f.valences.clone(),
            since: f.since.map(|s| date_number(s.first_day())),
            until: f.until.map(|u| date_number(u.last_day())),
            actors: f
                .actors
                .iter()
                .map(|a| {
                    let mut any = vec![false; catalog.actors.len()];
                    for id in catalog.match_actors(a) {
                        if let Some(i) = catalog.actor_position(&id) {
                            any[i] = true;
                        }
                    }
                    any
                })
                .collect(),
        }
    }

    /// Whether event `i` passes each condition, by the indices above.
    fn each(&self, ix: &FacetIndex, i: usize) -> [bool; 6] {
        let mut ok = [true; 6];
        if let Some(p) = &self.programmes {
            ok[PROGRAMME] = p[ix.programme[i] as usize];
        }
        if let Some(c) = &self.channels {
            ok[CHANNEL] = c.contains(&ix.channel[i]);
        }
        ok[KIND] = self.kinds.is_empty() || self.kinds.contains(&ix.kind[i]);
        ok[VALENCE] = self.valences.is_empty() || self.valences.contains(&ix.valence[i]);
        ok[DATE] =
            self.since.is_none_or(|s| ix.hi[i] >= s) && self.until.is_none_or(|u| ix.lo[i] <= u);
        ok[ACTORS] = self
            .actors
            .iter()
            .all(|any| ix.parties_of(i).iter().any(|&a| any[a as usize]));
        ok
    }
}

/// `YYYY-MM-DD` as the number `yyyymmdd`.
fn day_number(day: &str) -> u32 {
    day.bytes().filter(u8::is_ascii_digit).fold(0u32, |n, b| {
        n.saturating_mul(10).saturating_add(u32::from(b - b'0'))
    })
}

fn date_number(d: chrono::NaiveDate) -> u32 {
    use chrono::Datelike;
    d.year().max(0) as u32 * 10_000 + d.month() * 100 + d.day()
}
