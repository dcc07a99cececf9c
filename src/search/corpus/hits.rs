//! What a search finds: one term's hits (`TermHit`), an event a query matched (`Matched`,
//! its fields packed four bits each), and the helpers that combine and keep them.

use std::sync::Arc;

use super::super::{Field, Hit};

/// One term's best match in one event, in 12 bytes: the last terms' hits over a million
/// events are kept.
#[derive(Debug, Clone, Copy)]
pub(super) struct TermHit {
    pub(super) pos: u32,
    /// Scores are hundreds; a wider one would be held at the bound.
    pub(super) score: i32,
    pub(super) field: Field,
}

/// An event a query matched, in 24 bytes (a million are held at once): its position in the
/// corpus (the order events were pushed; [`Corpus::key`](super::Corpus::key) gives its key)
/// and its hit. The hit's title positions are filled by
/// [`Query::title_positions`](super::super::Query::title_positions) for the events that are
/// shown.
#[derive(Debug, Clone, Copy)]
pub struct Matched {
    pub pos: u32,
    /// Scores are hundreds per term; a sum past the bound is held at it.
    pub score: i32,
    /// The fields the terms matched in, in query order, four bits each (a million hits
    /// hold no allocation each).
    pub(super) fields: u64,
    /// Which terms (by index, up to 64) matched best in the title.
    pub title_terms: u64,
}

/// The fields in the order their four-bit codes count from (code 0: none).
const FIELDS: [Field; 13] = [
    Field::Id,
    Field::Title,
    Field::Summary,
    Field::Notes,
    Field::Partner,
    Field::Institution,
    Field::Source,
    Field::SourceDetail,
    Field::Kind,
    Field::Programme,
    Field::Channel,
    Field::Valence,
    Field::Mention,
];

impl Matched {
    /// The hit, without title positions ([`Query::title_positions`](super::super::Query::title_positions)
    /// gives those).
    pub fn hit(&self) -> Hit {
        let mut fields = Vec::new();
        let mut packed = self.fields;
        while packed & 0xF != 0 {
            fields.push(FIELDS[(packed & 0xF) as usize - 1]);
            packed >>= 4;
        }
        Hit {
            score: i64::from(self.score),
            title_positions: Vec::new(),
            fields,
        }
    }
}

/// Drops the oldest of `cache` (oldest first) until it holds at most `terms` terms and
/// `hits` hits, keeping the newest whatever its size.
pub(super) fn keep_within<K, T>(cache: &mut Vec<(K, Arc<Vec<T>>)>, terms: usize, hits: usize) {
    let mut held: usize = cache.iter().map(|(_, h)| h.len()).sum();
    let mut drop = 0;
    while cache.len() - drop > terms.max(1) || (cache.len() - drop > 1 && held > hits) {
        held -= cache[drop].1.len();
        drop += 1;
    }
    cache.drain(..drop);
}

/// `fields` with `field` appended unless it holds it already.
pub(super) fn pack(fields: u64, field: Field) -> u64 {
    let code = FIELDS
        .iter()
        .position(|&f| f == field)
        .map_or(0, |i| i as u64 + 1);
    let mut n = 0;
    let mut rest = fields;
    while rest & 0xF != 0 {
        if rest & 0xF == code {
            return fields;
        }
        rest >>= 4;
        n += 1;
    }
    fields | code << (4 * n)
}

/// The positions of `a` that `hits` also holds; both in increasing order.
pub(super) fn intersect(a: &[u32], hits: &[TermHit]) -> Vec<u32> {
    let mut out = Vec::new();
    let mut j = 0;
    for &p in a {
        while j < hits.len() && hits[j].pos < p {
            j += 1;
        }
        if j < hits.len() && hits[j].pos == p {
            out.push(p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_term_cache_keeps_the_newest_within_its_bounds() {
        let cache_of = |sizes: &[usize]| -> Vec<(usize, Arc<Vec<u8>>)> {
            sizes
                .iter()
                .enumerate()
                .map(|(i, &n)| (i, Arc::new(vec![0; n])))
                .collect()
        };
        let kept = |sizes: &[usize], terms: usize, hits: usize| -> Vec<usize> {
            let mut cache = cache_of(sizes);
            keep_within(&mut cache, terms, hits);
            cache.into_iter().map(|(i, _)| i).collect()
        };
        // Within both bounds: all kept, oldest first.
        assert_eq!(kept(&[1, 2, 3], 4, 100), [0, 1, 2]);
        // Too many terms: the oldest go.
        assert_eq!(kept(&[1, 2, 3, 4, 5], 4, 100), [1, 2, 3, 4]);
        // Too many hits: the oldest go until the rest fit.
        assert_eq!(kept(&[60, 30, 50], 4, 100), [1, 2]);
        assert_eq!(kept(&[60, 30, 80], 4, 100), [2]);
        // The newest stays even alone over the bound.
        assert_eq!(kept(&[10, 500], 4, 100), [1]);
        assert_eq!(kept(&[500], 4, 100), [0]);
        assert!(kept(&[], 4, 100).is_empty());
    }
}
