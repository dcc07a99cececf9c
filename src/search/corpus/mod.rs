//! The search corpus: every event's own text (id, title, summary, notes) folded once, with a
//! bitmask of the chars each field holds, so that a keystroke scores folded text instead of
//! folding a million documents again, and skips most of them on the masks alone.
//!
//! The texts events share (partners, institutions, sources, kinds, programmes, channels,
//! valences, the states a text names) are not copied per event: a term is scored once
//! against each catalog entry, and the events linked to the entries it matched are looked up
//! through [`Links`] (the database's indexes). A term's hits over the whole corpus are kept,
//! so that a query that grows by a term only scores the new term over what the others
//! matched. The result is what [`Query::score`] gives on `Doc::of`: the same
//! events, scores and fields (a test holds the two together).

pub use crate::domain::LinkList;
use std::ops::ControlFlow;
use std::sync::Arc;

mod hits;
mod narrow;
mod prefilter;
mod shared;
mod store;

pub use hits::Matched;
use hits::{intersect, keep_within, pack, TermHit};
pub use narrow::{candidates, Remembered, WordIndex};
pub use shared::SourceScore;

use prefilter::{mask_of, Prefilter};
use shared::{LinkTable, Shared};
use store::{RowText, Store};

use super::{Field, Query, Term};
use crate::domain::links::Numbering;
use crate::domain::{Catalog, Channel, Kind, Source, Valence};
use crate::error::Result;

/// The kinds of link between an event and a catalog entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Link {
    Party,
    Institution,
    Source,
}

/// Where the links between events and catalog entries are read (the database).
pub trait Links {
    /// `(event key, linked id)` for every link of kind `link` to one of `ids`.
    fn linked(&self, link: Link, ids: &[&str]) -> Result<Vec<(i64, String)>>;

    /// Hands every source to `visit`, for a catalog read without them
    /// ([`Catalog::has_sources`]), until it says to stop.
    fn sources(&self, visit: &mut dyn FnMut(&Source) -> ControlFlow<()>) -> Result<()>;

    /// The sources a term (scope and folded text) was found to match before, when these
    /// links remember it ([`Remembered`]): a scan of a million sources is made once a term.
    fn remembered_sources(&self, _scope: Option<Field>, _text: &str) -> Option<Vec<SourceScore>> {
        None
    }

    /// Keeps what a scan of the sources found for a term, for [`Links::remembered_sources`].
    fn remember_sources(&self, _scope: Option<Field>, _text: &str, _found: &[SourceScore]) {}
}

/// One event as the corpus takes it: a key the caller finds it again by (the row id), its
/// own texts and its coded fields.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub key: i64,
    pub id: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub notes: &'a str,
    pub programme: &'a str,
    pub kind: Kind,
    pub channel: Channel,
    pub valence: Valence,
    pub venue: Option<&'a str>,
}

/// The own fields, in the order `Doc::of` gives them.
const OWN: [Field; 4] = [Field::Id, Field::Title, Field::Summary, Field::Notes];

/// One event, in 40 bytes: a million of them are held at once.
#[derive(Debug, Clone)]
struct Row {
    /// Byte offsets into `text` of the four own fields; the last ends where the next row
    /// starts ([`Corpus::cuts`]).
    cuts: [u32; 4],
    /// The chars of the title and the summary (ids and notes are short or rarely searched:
    /// their masks are made when needed).
    masks: [u64; 2],
    programme: u16,
    /// The interned venue, or `NO_VENUE`.
    venue: u16,
    kind: Kind,
    channel: Channel,
    valence: Valence,
}

const NO_VENUE: u16 = u16::MAX;

/// The folded own texts of a set of events; see the module's documentation.
#[derive(Debug, Default)]
pub struct Corpus {
    with_notes: bool,
    rows: Vec<Row>,
    /// Each row's key.
    keys: Vec<i64>,
    text: Store,
    /// `(key, position)` sorted by key, when the rows are not in key order (they usually
    /// are: both the browser and the CLI read them by row id).
    index: Option<Vec<(i64, u32)>>,
    /// Interned programme ids and venue ids.
    programmes: Numbering,
    venues: Numbering,
    /// Each event's parties, institutions and sources, when loaded (the browser keeps them;
    /// otherwise [`Links`] finds the events of what a term matched).
    links: Option<Box<[LinkTable; 3]>>,
    /// Full-corpus hits of the terms scored last, newest last.
    cache: Vec<(TermKey, Arc<Vec<TermHit>>)>,
}

/// A term as the cache knows it: its scope and folded text.
type TermKey = (Option<Field>, String);

/// How many terms' hits are kept, at most...
const CACHED_TERMS: usize = 4;
/// ... and how many hits they may hold together (12 bytes each: some 25 MB), the newest
/// term's always. Typing a word scores each prefix over the whole corpus; at a million
/// events, four short prefixes each matching most of it held 45 MB for nothing.
const CACHED_HITS: usize = 2 << 20;

impl Corpus {
    /// An empty corpus; [`Corpus::push`] adds events, in the order results are wanted.
    /// Without notes (`with_notes` false) it holds none of their text and cannot answer a
    /// `notes:` term ([`Query::needs_notes`] tells; [`Corpus::search`] refuses it).
    pub fn new(with_notes: bool) -> Corpus {
        Corpus {
            with_notes,
            ..Corpus::default()
        }
    }

    /// An empty corpus that keeps its folded texts in a scratch file instead of in memory
    /// (see `store`): for a browser holding a large corpus for as long as it runs.
    pub fn in_scratch_file(with_notes: bool) -> Result<Corpus> {
        Ok(Corpus {
            with_notes,
            text: Store::file()?,
            ..Corpus::default()
        })
    }

    /// Whether the notes were taken in.
    pub fn has_notes(&self) -> bool {
        self.with_notes
    }

    /// The number of events.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Adds one event. A corpus that failed to take one (its texts past 4 GiB, a scratch
    /// file that could not be written) is left unusable: its last event's texts end where
    /// the failed one's began.
    pub fn push(&mut self, e: Entry<'_>) -> Result<()> {
        self.text.flush_if_full()?;
        let mut cuts = [0u32; 4];
        let mut masks = [0u64; 2];
        for (i, text) in [e.id, e.title, e.summary, e.notes].into_iter().enumerate() {
            cuts[i] = offset(self.text.len())?;
            let folded = self.text.push(text)?;
            if let Some(m) = masks.get_mut(i.wrapping_sub(1)) {
                *m = mask_of(folded);
            }
        }
        // The last field's end is the next event's start (or the text's end): it too must
        // be an offset.
        offset(self.text.len())?;
        // More than 65,535 programmes or venues would share the last code; no dataset has
        // a thousandth of that.
        let programme = self.programmes.of(e.programme).min(u32::from(u16::MAX - 1)) as u16;
        let venue = e.venue.map_or(NO_VENUE, |v| {
            self.venues.of(v).min(u32::from(NO_VENUE - 1)) as u16
        });
        self.keys.push(e.key);
        self.rows.push(Row {
            cuts,
            masks,
            programme,
            venue,
            kind: e.kind,
            channel: e.channel,
            valence: e.valence,
        });
        self.cache.clear();
        Ok(())
    }

    /// Makes room for `n` more events at once, where their number is known: a million rows
    /// grown by doubling would briefly hold half as many again while they are copied.
    pub fn reserve(&mut self, n: usize) {
        self.rows.reserve_exact(n);
        self.keys.reserve_exact(n);
    }

    /// Makes the key index; call once every event is pushed.
    pub fn finish(&mut self) -> Result<()> {
        if !self.keys.is_sorted() {
            let mut index: Vec<(i64, u32)> = self
                .keys
                .iter()
                .enumerate()
                .map(|(i, &k)| (k, i as u32))
                .collect();
            index.sort_unstable();
            self.index = Some(index);
        }
        self.text.flush()?;
        self.rows.shrink_to_fit();
        self.keys.shrink_to_fit();
        Ok(())
    }

    /// Keeps every event's links in memory: the parties, institutions and sources of each
    /// event. Call after [`Corpus::finish`]. `list_of` reads each kind in turn, and each list
    /// is let go once it is a table: a list takes four bytes a link and twelve an event (the
    /// parties of a million events some 23 MB), and the browser should never hold all three
    /// beside the tables.
    pub fn set_links(&mut self, mut list_of: impl FnMut(Link) -> Result<LinkList>) -> Result<()> {
        let mut table =
            |link: Link| -> Result<LinkTable> { Ok(LinkTable::new(self, list_of(link)?)) };
        let tables = [
            table(Link::Party)?,
            table(Link::Institution)?,
            table(Link::Source)?,
        ];
        self.links = Some(Box::new(tables));
        self.cache.clear();
        Ok(())
    }

    /// The position of the event with `key`.
    pub fn position(&self, key: i64) -> Option<u32> {
        match &self.index {
            None => {
                // Row ids with no gap before `key` (a table never deleted from) put it at
                // its distance from the first: one look instead of twenty a binary search
                // makes over a million keys.
                let guess = key.wrapping_sub(*self.keys.first()?);
                if let Some(i) = usize::try_from(guess)
                    .ok()
                    .filter(|&i| self.keys.get(i) == Some(&key))
                {
                    return Some(i as u32);
                }
                self.keys.binary_search(&key).ok().map(|i| i as u32)
            }
            Some(index) => index
                .binary_search_by_key(&key, |&(k, _)| k)
                .ok()
                .map(|i| index[i].1),
        }
    }

    /// The byte offsets of the four own fields of the event at `pos`, and the end of the
    /// last: where the next event starts, or the end of the text.
    fn cuts(&self, pos: u32) -> Result<[u32; 5]> {
        let pos = pos as usize;
        let [id, title, summary, notes] = self.rows[pos].cuts;
        let end = match self.rows.get(pos + 1) {
            Some(next) => next.cuts[0],
            None => offset(self.text.len())?,
        };
        Ok([id, title, summary, notes, end])
    }

    /// The key of the event at `pos`.
    pub fn key(&self, pos: u32) -> i64 {
        self.keys[pos as usize]
    }

    /// The events of `matched` (in corpus order) in the order of `keys` (row ids in a
    /// filter's order); keys it does not hold are left out.
    pub fn in_order(&self, keys: &[i64], matched: Vec<Matched>) -> Vec<Matched> {
        self.in_order_at(&self.positions(keys), matched)
    }

    /// The positions of `keys` (`u32::MAX` for a key the corpus lacks), for
    /// [`Corpus::in_order_at`]: a caller that orders many searches by one filter finds
    /// them once.
    pub fn positions(&self, keys: &[i64]) -> Vec<u32> {
        keys.iter()
            .map(|&k| self.position(k).unwrap_or(u32::MAX))
            .collect()
    }

    /// [`Corpus::in_order`], given the keys' positions.
    pub fn in_order_at(&self, positions: &[u32], matched: Vec<Matched>) -> Vec<Matched> {
        let mut slot = vec![u32::MAX; self.rows.len()];
        for (i, m) in matched.iter().enumerate() {
            slot[m.pos as usize] = i as u32;
        }
        positions
            .iter()
            .filter_map(|&p| matched.get(*slot.get(p as usize)? as usize).copied())
            .collect()
    }

    /// The events `query` matches, in corpus order, among `candidates` (positions in
    /// increasing order) when given. `None` when `cancelled` said so before the end.
    pub fn search(
        &mut self,
        query: &Query,
        catalog: &Catalog,
        links: &dyn Links,
        candidates: Option<&[u32]>,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Result<Option<Vec<Matched>>> {
        if query.needs_notes() && !self.with_notes {
            return Err(crate::error::Error::Usage(
                "this search corpus was built without notes; a `notes:` term needs them".into(),
            ));
        }
        // A term typed twice is scored once: each distinct term, with where it occurs
        // (a pasted paragraph repeats its words).
        let mut distinct: Vec<(&Term, Vec<usize>)> = Vec::new();
        for (i, term) in query.terms.iter().enumerate() {
            match distinct
                .iter_mut()
                .find(|(t, _)| t.scope == term.scope && t.text == term.text)
            {
                Some((_, at)) => at.push(i),
                None => distinct.push((term, vec![i])),
            }
        }
        // Terms already scored over the whole corpus narrow the rest.
        let mut per_term: Vec<Option<Arc<Vec<TermHit>>>> =
            distinct.iter().map(|(t, _)| self.cached(t)).collect();
        let mut narrowed: Option<Vec<u32>> = candidates.map(<[u32]>::to_vec);
        for hits in per_term.iter().flatten() {
            narrowed = Some(match narrowed {
                None => hits.iter().map(|h| h.pos).collect(),
                Some(c) => intersect(&c, hits),
            });
        }
        // The longest terms first: they match fewer events, so that the short words, which
        // match most, are scored over the few left (a pasted sentence has many).
        let mut order: Vec<usize> = (0..distinct.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(distinct[i].0.text.chars().count()));
        for i in order {
            let term = distinct[i].0;
            if per_term[i].is_some() {
                continue;
            }
            // Every term must match: once none is left, the rest cannot bring one back, and
            // scoring them (each reads the events linked to the catalog entries it matches)
            // made a pasted paragraph that matched nothing take half a minute.
            if narrowed.as_ref().is_some_and(Vec::is_empty) || self.rows.is_empty() {
                return Ok(Some(Vec::new()));
            }
            let Some(hits) =
                self.score_term(query, term, catalog, links, narrowed.as_deref(), cancelled)?
            else {
                return Ok(None);
            };
            let hits = Arc::new(hits);
            if narrowed.is_none() {
                self.remember(term, Arc::clone(&hits));
            }
            narrowed = Some(match narrowed {
                None => hits.iter().map(|h| h.pos).collect(),
                Some(c) => intersect(&c, &hits),
            });
            per_term[i] = Some(hits);
        }
        let matched = narrowed.unwrap_or_default();
        let per_term: Vec<Arc<Vec<TermHit>>> = per_term.into_iter().flatten().collect();
        let mut cursors = vec![0usize; per_term.len()];
        let mut out = Vec::with_capacity(matched.len());
        for pos in matched {
            let (mut score, mut fields) = (0i64, 0u64);
            let mut title_terms = 0u64;
            for (t, hits) in per_term.iter().enumerate() {
                // Both lists are in position order: a cursor per term walks its hits once.
                let c = &mut cursors[t];
                while hits[*c].pos < pos {
                    *c += 1;
                }
                let h = hits[*c];
                let at = &distinct[t].1;
                score += i64::from(h.score) * at.len() as i64;
                if h.field == Field::Title {
                    for &i in at.iter().filter(|&&i| i < 64) {
                        title_terms |= 1 << i;
                    }
                }
                // Distinct terms in order of first appearance pack their fields as the
                // whole query would: a repeated term repeats a field already packed.
                fields = pack(fields, h.field);
            }
            out.push(Matched {
                pos,
                score: i32::try_from(score).unwrap_or(if score < 0 { i32::MIN } else { i32::MAX }),
                fields,
                title_terms,
            });
        }
        Ok(Some(out))
    }

    fn cached(&self, term: &Term) -> Option<Arc<Vec<TermHit>>> {
        self.cache
            .iter()
            .find(|((scope, text), _)| *scope == term.scope && *text == term.text)
            .map(|(_, hits)| Arc::clone(hits))
    }

    fn remember(&mut self, term: &Term, hits: Arc<Vec<TermHit>>) {
        self.cache.push(((term.scope, term.text.clone()), hits));
        keep_within(&mut self.cache, CACHED_TERMS, CACHED_HITS);
    }

    /// One term's best match in every event (of `candidates`) it matches.
    fn score_term(
        &self,
        query: &Query,
        term: &Term,
        catalog: &Catalog,
        links: &dyn Links,
        candidates: Option<&[u32]>,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Result<Option<Vec<TermHit>>> {
        let Some(shared) = Shared::score(self, query, term, catalog, links, cancelled)? else {
            return Ok(None);
        };
        let filter = Prefilter::new(&term.text);
        let all: Vec<u32>;
        let positions = match candidates {
            Some(c) => c,
            None => {
                all = (0..self.rows.len() as u32).collect();
                &all
            }
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        // Below this, starting threads costs more than it saves.
        let chunk = positions.len().div_ceil(threads).max(20_000);
        let parts: Vec<Option<Result<Option<Vec<TermHit>>>>> = std::thread::scope(|s| {
            let handles: Vec<_> = positions
                .chunks(chunk)
                .map(|part| {
                    let (shared, filter) = (&shared, &filter);
                    s.spawn(move || self.score_rows(query, term, shared, filter, part, cancelled))
                })
                .collect();
            handles.into_iter().map(|h| h.join().ok()).collect()
        });
        // One vector sized once for all parts, each part freed as it is copied: the cache
        // counts hits by their number, so none is kept with room to spare.
        let total = parts
            .iter()
            .map(|p| match p {
                Some(Ok(Some(part))) => part.len(),
                _ => 0,
            })
            .sum();
        let mut hits: Vec<TermHit> = Vec::with_capacity(total);
        for part in parts {
            match part {
                Some(Ok(Some(part))) => hits.extend(part),
                Some(Ok(None)) => return Ok(None),
                Some(Err(e)) => return Err(e),
                // A scoring thread that panicked is a bug, never a cancellation.
                None => {
                    return Err(crate::error::Error::Internal(
                        "a search thread failed; the search was not completed".into(),
                    ))
                }
            }
        }
        Ok(Some(hits))
    }

    fn score_rows(
        &self,
        query: &Query,
        term: &Term,
        shared: &Shared,
        filter: &Prefilter,
        positions: &[u32],
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Result<Option<Vec<TermHit>>> {
        let mut hits = Vec::new();
        let mut reader = self.text.reader();
        for (n, &pos) in positions.iter().enumerate() {
            if n % 1024 == 0 && cancelled() {
                return Ok(None);
            }
            let row = &self.rows[pos as usize];
            let own = RowText::read(&mut reader, self.cuts(pos)?)?;
            let mut best: Option<(i64, Field)> = None;
            let consider = |best: &mut Option<(i64, Field)>, score: i64, field: Field| {
                if best.is_none_or(|b| score > b.0) {
                    *best = Some((score, field));
                }
            };
            for (i, field) in OWN.into_iter().enumerate() {
                if !field.in_scope(term.scope) {
                    continue;
                }
                let text = own.field(i);
                let mask = row.masks.get(i.wrapping_sub(1)).copied();
                if !filter.passes(mask.unwrap_or_else(|| mask_of(text))) {
                    continue;
                }
                if let Some((score, _)) = query.match_term(term, text, field) {
                    // Prefer title matches at equal score: they are what gets highlighted.
                    consider(&mut best, score + i64::from(field == Field::Title), field);
                }
            }
            shared.consider(self, row, &own, pos, &mut best, consider);
            if let Some((score, field)) = best {
                let score = score.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
                hits.push(TermHit { pos, score, field });
            }
        }
        Ok(Some(hits))
    }
}

fn offset(n: u64) -> Result<u32> {
    // Offsets are 32 bits so that a million rows stay small: four gigabytes of folded text
    // (ten million long events) is refused rather than searched wrongly.
    u32::try_from(n).map_err(|_| {
        crate::error::Error::Refused(
            "the events' texts exceed the 4 GiB one search corpus can index".into(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_takes_forty_bytes() {
        assert_eq!(std::mem::size_of::<Row>(), 40);
    }
}
