//! Every event's links of one kind (its parties, institutions or sources), held compactly
//! for the in-memory indexes of the browser: the search corpus and the facet index; and the
//! two ways names are numbered as they are met ([`Interner`], [`Numbering`]).

use std::collections::HashMap;

/// One kind of link of every event: the events that have links, in key order (`keys`), each
/// with the end of its run in `codes` (`ends`), and the codes of each event in its link
/// order, each an index into `dict`, the ids linked. Four bytes a link and twelve an event
/// with links. Built with [`LinkList::push`].
#[derive(Debug, Default, PartialEq, Eq)]
pub struct LinkList {
    keys: Vec<i64>,
    ends: Vec<u32>,
    codes: Vec<u32>,
    dict: Ids,
}

/// Ids held end to end in one string, each known by its index: a million of them take their
/// bytes and four more each, where a `String` each took some fifty.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Ids {
    text: String,
    ends: Vec<u32>,
}

impl Ids {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The id at `i`.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1] as usize,
        };
        self.text.get(start..end)
    }

    /// Every id, by index.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        // One item for every index, so that whoever collects them indexes them by code.
        (0..self.len()).map(|i| self.get(i).unwrap_or_default())
    }

    /// Appends `id`; its index, or `None` past four gigabytes of ids.
    pub fn push(&mut self, id: &str) -> Option<u32> {
        let code = u32::try_from(self.ends.len()).ok()?;
        let end = u32::try_from(self.text.len() + id.len()).ok()?;
        self.text.push_str(id);
        self.ends.push(end);
        Some(code)
    }
}

/// Ids interned as they are met: each stored once in [`Ids`], and known by its index after.
#[derive(Default)]
pub struct Interner {
    ids: Ids,
    codes: hashbrown::HashTable<u32>,
    hasher: foldhash::fast::RandomState,
}

impl Interner {
    /// The index of `id`, stored now if it is new; `None` past four gigabytes of ids.
    pub fn code(&mut self, id: &str) -> Option<u32> {
        use std::hash::BuildHasher;
        let hash = self.hasher.hash_one(id);
        if let Some(code) = self.lookup(hash, id) {
            return Some(code);
        }
        let code = self.ids.push(id)?;
        let (ids, hasher) = (&self.ids, &self.hasher);
        self.codes.insert_unique(hash, code, |&c| {
            hasher.hash_one(ids.get(c as usize).unwrap_or_default())
        });
        Some(code)
    }

    /// The index of `id` if it has been met, storing nothing.
    pub fn find(&self, id: &str) -> Option<u32> {
        use std::hash::BuildHasher;
        self.lookup(self.hasher.hash_one(id), id)
    }

    fn lookup(&self, hash: u64, id: &str) -> Option<u32> {
        let ids = &self.ids;
        self.codes
            .find(hash, |&c| ids.get(c as usize) == Some(id))
            .copied()
    }

    /// The id at index `code`.
    pub fn get(&self, code: u32) -> Option<&str> {
        self.ids.get(code as usize)
    }

    /// How many ids have been met.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The ids met, by index.
    pub fn into_ids(mut self) -> Ids {
        self.ids.text.shrink_to_fit();
        self.ids.ends.shrink_to_fit();
        self.ids
    }
}

/// Names (of actors, nodes, programmes, venues) numbered in the order they are first met,
/// each kept as a `String`: for the few thousand names a measure or an index numbers, looked
/// up by millions of rows. [`Interner`] keeps a million ids in one string instead.
#[derive(Debug, Default)]
pub struct Numbering {
    names: Vec<String>,
    numbers: HashMap<String, u32, foldhash::fast::RandomState>,
}

impl Numbering {
    /// The number of `name` (a new one when it is new).
    pub fn of(&mut self, name: &str) -> u32 {
        if let Some(&n) = self.numbers.get(name) {
            return n;
        }
        let n = self.names.len() as u32;
        self.numbers.insert(name.to_string(), n);
        self.names.push(name.to_string());
        n
    }

    /// How many names have been numbered.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The names, each at its number.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    pub fn into_names(self) -> Vec<String> {
        self.names
    }
}

impl LinkList {
    /// The list with the ids its codes index.
    pub fn with_dict(self, dict: Ids) -> LinkList {
        LinkList { dict, ..self }
    }

    /// Appends the links (codes into the dict) of the event `key`, which must come after
    /// every key pushed before. `None`, pushing nothing, for a key out of order (or past
    /// four billion links).
    pub fn push(&mut self, key: i64, codes: &[u32]) -> Option<()> {
        if codes.is_empty() {
            return Some(());
        }
        if self.keys.last().is_some_and(|&last| last >= key) {
            return None;
        }
        let end = u32::try_from(self.codes.len() + codes.len()).ok()?;
        self.codes.extend_from_slice(codes);
        self.keys.push(key);
        self.ends.push(end);
        Some(())
    }

    /// The ids the codes index.
    pub fn dict(&self) -> &Ids {
        &self.dict
    }

    /// The ids the codes index, the links let go.
    pub fn into_dict(self) -> Ids {
        self.dict
    }

    /// Each event that has links, in key order, with its codes.
    pub fn runs(&self) -> impl Iterator<Item = (i64, &[u32])> + '_ {
        let mut start = 0;
        self.keys.iter().zip(&self.ends).map(move |(&key, &end)| {
            let codes = &self.codes[start as usize..end as usize];
            start = end;
            (key, codes)
        })
    }

    /// The links laid out by position (`position` gives an event's, below `n`; events it
    /// gives none are left out): the start of each position's codes (`n + 1` offsets), and the
    /// codes, each mapped by `code` (codes it maps to `None` are left out).
    pub fn by_position(
        &self,
        n: usize,
        position: impl Fn(i64) -> Option<u32>,
        code: impl Fn(u32) -> Option<u32>,
    ) -> (Vec<u32>, Vec<u32>) {
        let place = |key: i64| position(key).filter(|&p| (p as usize) < n);
        let mut start = Vec::with_capacity(n + 1);
        let mut ids = Vec::with_capacity(self.codes.len());
        // Positions follow keys, as they usually do: laid out as the runs come.
        let mut next = 0;
        for (key, codes) in self.runs() {
            let Some(pos) = place(key) else { continue };
            if pos < next {
                return self.by_sorted_position(n, place, code);
            }
            start.resize(pos as usize + 1, ids.len() as u32);
            ids.extend(codes.iter().filter_map(|&c| code(c)));
            next = pos + 1;
        }
        start.resize(n + 1, ids.len() as u32);
        (start, ids)
    }

    /// [`LinkList::by_position`] for positions in any order.
    fn by_sorted_position(
        &self,
        n: usize,
        place: impl Fn(i64) -> Option<u32>,
        code: impl Fn(u32) -> Option<u32>,
    ) -> (Vec<u32>, Vec<u32>) {
        let mut placed: Vec<(u32, &[u32])> = self
            .runs()
            .filter_map(|(key, codes)| Some((place(key)?, codes)))
            .collect();
        placed.sort_by_key(|&(pos, _)| pos);
        let mut start = Vec::with_capacity(n + 1);
        let mut ids = Vec::with_capacity(self.codes.len());
        for (pos, codes) in placed {
            start.resize(pos as usize + 1, ids.len() as u32);
            ids.extend(codes.iter().filter_map(|&c| code(c)));
        }
        start.resize(n + 1, ids.len() as u32);
        (start, ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(runs: &[(i64, &[u32])]) -> LinkList {
        let mut l = LinkList::default();
        for &(key, codes) in runs {
            l.push(key, codes).unwrap();
        }
        let mut ids = Interner::default();
        for id in ["a", "b", "c"] {
            ids.code(id);
        }
        l.with_dict(ids.into_ids())
    }

    #[test]
    fn runs_come_back_as_pushed_and_keys_must_grow() {
        let mut l = list(&[(3, &[0, 2]), (7, &[1]), (9, &[])]);
        let runs: Vec<(i64, Vec<u32>)> = l.runs().map(|(k, c)| (k, c.to_vec())).collect();
        // An event without links takes no run.
        assert_eq!(runs, [(3, vec![0, 2]), (7, vec![1])]);
        assert_eq!(l.push(7, &[0]), None);
        assert_eq!(l.push(5, &[0]), None);
        assert_eq!(l.runs().count(), 2, "a refused push adds nothing");
        assert_eq!(l.dict().iter().collect::<Vec<_>>(), ["a", "b", "c"]);
    }

    #[test]
    fn ids_are_interned_once_each_and_read_back_by_index() {
        let mut interner = Interner::default();
        let codes: Vec<u32> = ["CHN", "RUS", "", "CHN", "ARE", "RUS", "月球"]
            .into_iter()
            .map(|id| interner.code(id).unwrap())
            .collect();
        assert_eq!(codes, [0, 1, 2, 0, 3, 1, 4]);
        let ids = interner.into_ids();
        assert_eq!(ids.len(), 5);
        assert_eq!(
            ids.iter().collect::<Vec<_>>(),
            ["CHN", "RUS", "", "ARE", "月球"]
        );
        assert_eq!(ids.get(4), Some("月球"));
        assert_eq!(ids.get(5), None);
    }

    #[test]
    fn laid_out_by_position_in_key_order_or_not() {
        let l = list(&[(10, &[0, 1]), (20, &[2]), (30, &[1, 0]), (40, &[2])]);
        // Keys in order, one event (25) without links, one (40) outside the positions.
        let in_order = |k: i64| {
            [10, 20, 25, 30]
                .iter()
                .position(|&x| x == k)
                .map(|p| p as u32)
        };
        let (start, ids) = l.by_position(4, in_order, Some);
        assert_eq!(start, [0, 2, 3, 3, 5]);
        assert_eq!(ids, [0, 1, 2, 1, 0]);
        // Positions against the keys: each event keeps its own links in their order.
        let reversed = |k: i64| {
            [40, 30, 20, 10]
                .iter()
                .position(|&x| x == k)
                .map(|p| p as u32)
        };
        let (start, ids) = l.by_position(4, reversed, Some);
        assert_eq!(start, [0, 1, 3, 4, 6]);
        assert_eq!(ids, [2, 1, 0, 2, 0, 1]);
        // Codes mapped, and those mapped to nothing left out.
        let (start, ids) = l.by_position(4, in_order, |c| (c != 1).then_some(c + 10));
        assert_eq!(start, [0, 1, 2, 2, 3]);
        assert_eq!(ids, [10, 12, 10]);
    }
}
