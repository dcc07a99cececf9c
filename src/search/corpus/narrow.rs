//! The events a query can match, found through the word index and the links before any
//! text is read: a search of a million events for a name scores the few thousand that hold
//! it. A term can match an event in its own texts (found through the index, see
//! [`crate::search::index`]), in a partner, institution, venue or source (found through the
//! links of what it matched in the catalog) or in a coded field (a kind, programme, channel
//! or valence), which many events share: a term that matches one narrows nothing. An event
//! can match only where every term can, and every event found is matched again in full, so
//! what is found here may be more than the matches but never fewer.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::ControlFlow;

use super::shared::{
    institution_scores, mentioned_states, partner_scores, programme_score, source_scores,
    CodedScores, SourceScore,
};
use super::{Link, Links, TermKey};
use crate::domain::{Catalog, Source};
use crate::error::Result;
use crate::search::index::{Lookup, Vocabulary};
use crate::search::{Field, Query, Term};

/// Narrowing stops once this few events are left: the corpus scores them against every
/// term in a few milliseconds, where one more term could read the links of hundreds of
/// thousands (a word as short and common as "on" matches many names: two and a half
/// seconds at a million events). Two in tests, so that the seed's few events are narrowed
/// term after term, as a large corpus is.
const FEW_ENOUGH: usize = if cfg!(test) { 2 } else { 2_000 };

/// A term that matches at least this many partners, institutions or sources (a short or
/// common word: "a" matches most names) narrows nothing: asking for the events linked to
/// each name cost more than it saved (26 one-letter terms scoped to partners: 10 s at a
/// million events, 5 s without).
const MANY_NAMES: usize = 32;

/// [`Links`] that answer each question once: a search narrowed first asks for the events
/// linked to what a term matched, and scans the sources, to narrow and again to score.
pub struct Remembered<'a> {
    links: &'a dyn Links,
    linked: RefCell<LinkedAnswers>,
    sources: RefCell<HashMap<TermKey, Vec<SourceScore>>>,
}

/// The answers of [`Links::linked`], by kind of link and ids (sorted).
type LinkedAnswers = HashMap<(Link, Vec<String>), Vec<(i64, String)>>;

impl<'a> Remembered<'a> {
    pub fn new(links: &'a dyn Links) -> Remembered<'a> {
        Remembered {
            links,
            linked: RefCell::default(),
            sources: RefCell::default(),
        }
    }
}

impl Links for Remembered<'_> {
    fn linked(&self, link: Link, ids: &[&str]) -> Result<Vec<(i64, String)>> {
        let mut key: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
        key.sort_unstable();
        let key = (link, key);
        if let Some(found) = self.linked.borrow().get(&key) {
            return Ok(found.clone());
        }
        let found = self.links.linked(link, ids)?;
        self.linked.borrow_mut().insert(key, found.clone());
        Ok(found)
    }

    fn sources(&self, visit: &mut dyn FnMut(&Source) -> ControlFlow<()>) -> Result<()> {
        self.links.sources(visit)
    }

    fn remembered_sources(&self, scope: Option<Field>, text: &str) -> Option<Vec<SourceScore>> {
        self.sources
            .borrow()
            .get(&(scope, text.to_string()))
            .cloned()
    }

    fn remember_sources(&self, scope: Option<Field>, text: &str, found: &[SourceScore]) {
        self.sources
            .borrow_mut()
            .insert((scope, text.to_string()), found.to_vec());
    }
}

/// The word index, as the database keeps it.
pub trait WordIndex {
    /// Every word token the index holds; `None` when the index cannot say (it is damaged).
    fn vocabulary(&self) -> Result<Option<Vocabulary>>;

    /// The keys of the events that hold any of `tokens`, in order, each once; `None` when
    /// the index cannot say (it is damaged).
    fn holding(&self, tokens: &[String]) -> Result<Option<Vec<i64>>>;

    /// The keys of the events held at one of the venues `ids`, in order.
    fn at_venues(&self, ids: &[&str]) -> Result<Vec<i64>>;
}

/// The keys of the events `query` can match, in order; `None` when some term could match
/// too many to narrow anything (or the index cannot tell), so that every event is scored.
/// The events the index does not hold yet are the caller's to add.
pub fn candidates(
    query: &Query,
    catalog: &Catalog,
    links: &dyn Links,
    index: &dyn WordIndex,
) -> Result<Option<Vec<i64>>> {
    let Some(vocabulary) = index.vocabulary()? else {
        return Ok(None);
    };
    let mut found: Option<Vec<i64>> = None;
    let mut terms: Vec<&Term> = Vec::new();
    // The longest terms first: they match fewer words and fewer catalog names (each name's
    // links are read), so that the candidates are few before the short words come, which
    // then narrow no further (see FEW_ENOUGH).
    let mut order: Vec<usize> = (0..query.terms.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(query.terms[i].text.chars().count()));
    for i in order {
        if found.as_ref().is_some_and(|keys| keys.len() <= FEW_ENOUGH) {
            break;
        }
        let term = &query.terms[i];
        if terms
            .iter()
            .any(|t| t.scope == term.scope && t.text == term.text)
        {
            continue;
        }
        terms.push(term);
        let Some(keys) = term_candidates(query, i, catalog, links, index, &vocabulary)? else {
            continue;
        };
        found = Some(match found {
            None => keys,
            Some(before) => both(&before, &keys),
        });
    }
    Ok(found)
}

/// The events term `i` can match, or `None` when it can match a coded field, the notes or
/// more than the index tells.
fn term_candidates(
    query: &Query,
    i: usize,
    catalog: &Catalog,
    links: &dyn Links,
    index: &dyn WordIndex,
    vocabulary: &Vocabulary,
) -> Result<Option<Vec<i64>>> {
    let term = &query.terms[i];
    if matches_a_coded_field(query, term, catalog) {
        return Ok(None);
    }
    let state_words: Vec<String> = mentioned_states(query, term, catalog)
        .into_iter()
        .flat_map(|(_, names)| names)
        .filter_map(|n| n.split(' ').next().map(str::to_string))
        .collect();
    let Some(Lookup { any, all }) = query.index_lookup(i, vocabulary, &state_words) else {
        return Ok(None);
    };
    let Some(mut keys) = index.holding(&any)? else {
        return Ok(None);
    };
    if !all.is_empty() {
        let mut acronyms: Option<Vec<i64>> = None;
        for pair in all {
            let Some(held) = index.holding(&[pair])? else {
                return Ok(None);
            };
            acronyms = Some(match acronyms {
                None => held,
                Some(before) => both(&before, &held),
            });
        }
        keys.extend(acronyms.unwrap_or_default());
    }
    let linked = |link: Link, ids: Vec<&str>| -> Result<Vec<i64>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(links
            .linked(link, &ids)?
            .into_iter()
            .map(|(k, _)| k)
            .collect())
    };
    // A term that matches many names can match most events: it narrows nothing.
    if Field::Partner.in_scope(term.scope) {
        let ids: Vec<&str> = partner_scores(query, term, catalog).into_keys().collect();
        if ids.len() >= MANY_NAMES {
            return Ok(None);
        }
        keys.extend(linked(Link::Party, ids)?);
    }
    if Field::Institution.in_scope(term.scope) {
        let ids: Vec<&str> = institution_scores(query, term, catalog)
            .into_keys()
            .collect();
        if ids.len() >= MANY_NAMES {
            return Ok(None);
        }
        if !ids.is_empty() {
            keys.extend(index.at_venues(&ids)?);
        }
        keys.extend(linked(Link::Institution, ids)?);
    }
    if Field::Source.in_scope(term.scope) || Field::SourceDetail.in_scope(term.scope) {
        let Some(found) = source_scores(query, term, catalog, links, &|| false)? else {
            return Ok(None);
        };
        if found.len() >= MANY_NAMES {
            return Ok(None);
        }
        let ids = found.iter().map(|(id, _)| id.as_str()).collect();
        keys.extend(linked(Link::Source, ids)?);
    }
    keys.sort_unstable();
    keys.dedup();
    Ok(Some(keys))
}

/// Whether `term` matches a kind, programme, channel or valence in its scope: many events
/// share each, so the index would narrow nothing.
fn matches_a_coded_field(query: &Query, term: &Term, catalog: &Catalog) -> bool {
    !CodedScores::of(query, term).is_empty()
        || catalog
            .programmes
            .iter()
            .any(|p| programme_score(query, term, catalog, &p.id).is_some())
}

/// The keys in both of two increasing lists.
fn both(a: &[i64], b: &[i64]) -> Vec<i64> {
    let mut out = Vec::new();
    let mut j = 0;
    for &k in a {
        while j < b.len() && b[j] < k {
            j += 1;
        }
        if b.get(j) == Some(&k) {
            out.push(k);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// Links that count the questions put to them.
    #[derive(Default)]
    struct Counting {
        linked: Cell<usize>,
    }

    impl Links for Counting {
        fn linked(&self, _link: Link, ids: &[&str]) -> Result<Vec<(i64, String)>> {
            self.linked.set(self.linked.get() + 1);
            Ok(ids
                .iter()
                .enumerate()
                .map(|(i, id)| (i as i64, id.to_string()))
                .collect())
        }

        fn sources(&self, _visit: &mut dyn FnMut(&Source) -> ControlFlow<()>) -> Result<()> {
            Ok(())
        }
    }

    #[test]
    fn remembered_links_ask_each_question_once() {
        let counting = Counting::default();
        let links = Remembered::new(&counting);
        let first = links.linked(Link::Party, &["CHN", "RUS"]).unwrap();
        // The same ids in another order (a hash map's) are the same question.
        assert_eq!(links.linked(Link::Party, &["RUS", "CHN"]).unwrap(), first);
        assert_eq!(counting.linked.get(), 1);
        links.linked(Link::Institution, &["CHN", "RUS"]).unwrap();
        assert_eq!(counting.linked.get(), 2);

        assert_eq!(links.remembered_sources(None, "lunar"), None);
        let found = vec![("s1".to_string(), (120, Field::Source))];
        links.remember_sources(None, "lunar", &found);
        assert_eq!(links.remembered_sources(None, "lunar"), Some(found));
        assert_eq!(links.remembered_sources(Some(Field::Source), "lunar"), None);
        // Plain links remember nothing.
        counting.remember_sources(None, "lunar", &[]);
        assert_eq!(counting.remembered_sources(None, "lunar"), None);
    }
}
