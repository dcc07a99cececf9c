//! The word index: which events hold each token of their own texts, so that a search over a
//! large corpus scores only the events that can match instead of every one.
//!
//! A token is a folded word (a run of letters and digits) of an event's id, title or summary,
//! or a pair of initials that follow each other in an acronym of its title (see
//! `matching::acronym_pairs`), marked by a leading [`PAIR`] so that it never equals a word.
//! Every way a term matches a text but two stays inside one word (a substring of a term
//! without spaces, an abbreviation, a typo), so the events a term can match in their own
//! texts hold a token that the term matches on its own; an acronym holds each pair of its
//! neighbouring letters; a term with spaces or punctuation holds its longest word inside a
//! token. [`Query::index_lookup`] turns a term into those tokens; the caller matches every
//! event they give in full, so the index may hold more than the truth but never less.
//!
//! Posting lists are row ids in increasing order, each stored as its distance from the one
//! before in LEB128 (one byte for most, as a term's events lie close together).

use std::collections::HashMap;

use super::matching::acronym_pairs;
use super::{Field, Query, Term};
use crate::text::{fold_into, is_word_char};

/// The mark that starts a pair-of-initials token.
pub const PAIR: char = '\u{1}';

/// The events that hold one token: increasing keys, delta-coded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Postings {
    last: i64,
    bytes: Vec<u8>,
}

impl Postings {
    /// Adds `key`, which must be greater than every key added before (others are ignored:
    /// a token is held once per event).
    pub fn push(&mut self, key: i64) {
        if key <= self.last && !self.bytes.is_empty() {
            return;
        }
        let mut delta = key.wrapping_sub(self.last) as u64;
        self.last = key;
        loop {
            let byte = (delta & 0x7f) as u8;
            delta >>= 7;
            if delta == 0 {
                self.bytes.push(byte);
                return;
            }
            self.bytes.push(byte | 0x80);
        }
    }

    /// The coded keys, as stored.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// Appends the keys coded in `bytes` (as [`Postings::bytes`] gives them) to `out`; `None`
/// when they are not such a list (a value cut short or overflowing), with `out` as it was.
pub fn decode_into(bytes: &[u8], out: &mut Vec<i64>) -> Option<()> {
    let before = out.len();
    let (mut key, mut delta, mut shift) = (0i64, 0u64, 0u32);
    for &b in bytes {
        if shift > 63 {
            out.truncate(before);
            return None;
        }
        delta |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            key = key.wrapping_add(delta as i64);
            out.push(key);
            (delta, shift) = (0, 0);
        } else {
            shift += 7;
        }
    }
    if shift != 0 {
        out.truncate(before);
        return None;
    }
    Some(())
}

/// Gathers the tokens of events given in increasing key order.
#[derive(Debug, Default)]
pub struct Builder {
    /// foldhash, not SipHash: a million events' words are looked up here, none chosen to
    /// collide (SipHash took a fifth of building the index of a million events).
    tokens: HashMap<Box<str>, Postings, foldhash::fast::RandomState>,
    /// The folded texts of the event being added, and its tokens' places in them.
    folded: String,
    words: Vec<(usize, usize)>,
    pairs: Vec<String>,
}

impl Builder {
    /// Adds the tokens of one event's own texts; `key` must be greater than the last one.
    pub fn add(&mut self, key: i64, id: &str, title: &str, summary: &str) {
        self.folded.clear();
        self.words.clear();
        self.pairs.clear();
        let mut title_at = (0, 0);
        for (i, text) in [id, title, summary].into_iter().enumerate() {
            let start = self.folded.len();
            fold_into(text, &mut self.folded);
            if i == 1 {
                title_at = (start, self.folded.len());
            }
            self.folded.push(' ');
        }
        let mut start = None;
        let bytes = self.folded.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            // ASCII (most of a corpus) is told byte by byte; other chars are decoded.
            let (word, len) = match bytes[at] {
                b if b.is_ascii() => (b.is_ascii_alphanumeric(), 1),
                _ => match self.folded[at..].chars().next() {
                    Some(c) => (is_word_char(c), c.len_utf8()),
                    None => break,
                },
            };
            match (word, start) {
                (true, None) => start = Some(at),
                (false, Some(s)) => {
                    self.words.push((s, at));
                    start = None;
                }
                _ => {}
            }
            at += len;
        }
        let pairs = &mut self.pairs;
        acronym_pairs(&self.folded[title_at.0..title_at.1], |a, b| {
            pairs.push([PAIR, a, b].iter().collect());
        });
        let folded = &self.folded;
        // A word met again in the same event is added again and ignored ([`Postings::push`]
        // takes a key once): cheaper than sorting the event's words to drop it first.
        let found = self
            .words
            .iter()
            .map(|&(s, e)| &folded[s..e])
            .chain(self.pairs.iter().map(String::as_str));
        for token in found {
            match self.tokens.get_mut(token) {
                Some(postings) => postings.push(key),
                None => {
                    let mut postings = Postings::default();
                    postings.push(key);
                    self.tokens.insert(token.into(), postings);
                }
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// Every token with its events, in token order.
    pub fn finish(self) -> Vec<(Box<str>, Postings)> {
        let mut all: Vec<(Box<str>, Postings)> = self.tokens.into_iter().collect();
        all.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        all
    }
}

/// Every word token of the index once (pair tokens are looked up directly), in byte order,
/// as stored: each followed by a line feed, which no token holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary {
    text: String,
}

impl Vocabulary {
    /// The vocabulary stored as `bytes`; `None` when they are not one (not UTF-8, not ended
    /// by a line feed, or not in order).
    pub fn from_bytes(bytes: &[u8]) -> Option<Vocabulary> {
        let text = std::str::from_utf8(bytes).ok()?;
        if !text.is_empty() && !text.ends_with('\n') {
            return None;
        }
        let v = Vocabulary {
            text: text.to_string(),
        };
        let mut last: Option<&str> = None;
        for t in v.iter() {
            if t.is_empty() || last.is_some_and(|l| l >= t) {
                return None;
            }
            last = Some(t);
        }
        Some(v)
    }

    /// The stored form.
    pub fn as_bytes(&self) -> &[u8] {
        self.text.as_bytes()
    }

    /// The tokens, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.text.split_terminator('\n')
    }

    /// The number of tokens.
    pub fn len(&self) -> usize {
        self.text.bytes().filter(|&b| b == b'\n').count()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Whether `token` is one of them.
    pub fn contains(&self, token: &str) -> bool {
        let line = format!("{token}\n");
        self.text.starts_with(&line) || self.text.contains(&format!("\n{line}"))
    }

    /// This vocabulary with the word tokens of `tokens` (in order) added.
    pub fn merged<'t>(&self, tokens: impl IntoIterator<Item = &'t str>) -> Vocabulary {
        let mut text = String::with_capacity(self.text.len());
        let mut old = self.iter().peekable();
        let mut new = tokens
            .into_iter()
            .filter(|t| !t.starts_with(PAIR) && !t.is_empty())
            .peekable();
        let mut push = |t: &str| {
            text.push_str(t);
            text.push('\n');
        };
        loop {
            match (old.peek(), new.peek()) {
                (Some(&a), Some(&b)) if a == b => {
                    push(a);
                    old.next();
                    new.next();
                }
                (Some(&a), Some(&b)) if a < b => {
                    push(a);
                    old.next();
                }
                (_, Some(&b)) => {
                    push(b);
                    new.next();
                }
                (Some(&a), None) => {
                    push(a);
                    old.next();
                }
                (None, None) => break,
            }
        }
        Vocabulary { text }
    }
}

/// The tokens the index is asked for to find the events whose own texts one term can match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lookup {
    /// Events holding any of these can match.
    pub any: Vec<String>,
    /// So can events holding all of these (an acronym's pairs of initials), when not empty.
    pub all: Vec<String>,
}

impl Query {
    /// The tokens of `vocabulary` (every word token the index holds) through which the index
    /// finds the events whose id, title or summary the query's term at `term` can match;
    /// `None` when it looks at the notes, which are not indexed. A state named in the text
    /// is found through the first word of each of its names, given in `state_words` (folded)
    /// by the caller for the states the term matched.
    pub fn index_lookup(
        &self,
        term: usize,
        vocabulary: &Vocabulary,
        state_words: &[String],
    ) -> Option<Lookup> {
        let term = self.terms.get(term)?;
        if Field::Notes.in_scope(term.scope) {
            return None;
        }
        let mut lookup = Lookup::default();
        let own = [Field::Id, Field::Title, Field::Summary];
        if own.iter().any(|f| f.in_scope(term.scope)) {
            let words: Vec<&str> = term
                .text
                .split(|c: char| !is_word_char(c))
                .filter(|w| !w.is_empty())
                .collect();
            let plain = words.len() == 1 && words[0].len() == term.text.len();
            let longest = words.iter().copied().max_by_key(|w| w.len());
            // Every way for a plain term to match a token needs the term's first char in it
            // (a substring holds it, abbreviations and typos start with it), and a typo of
            // any term starts with it: most tokens are passed over without matching.
            let first = term.text.chars().next()?;
            lookup.any = vocabulary
                .iter()
                .filter(|t| {
                    if plain {
                        // Title is the field every way of matching applies to.
                        t.contains(first) && self.match_term(term, t, Field::Title).is_some()
                    } else {
                        longest.is_some_and(|w| t.contains(w))
                            || (t.starts_with(first)
                                && self.match_term(term, t, Field::Summary).is_some())
                    }
                })
                .map(str::to_string)
                .collect();
            if plain && Field::Title.in_scope(term.scope) && term.chars >= 2 {
                lookup.all = acronym_lookup(term);
            }
        }
        if Field::Mention.in_scope(term.scope) {
            for w in state_words {
                if vocabulary.contains(w) {
                    lookup.any.push(w.clone());
                }
            }
            lookup.any.sort_unstable();
            lookup.any.dedup();
        }
        Some(lookup)
    }
}

/// The pair tokens an acronym `term` needs: each two neighbouring letters.
fn acronym_lookup(term: &Term) -> Vec<String> {
    let chars: Vec<char> = term.text.chars().collect();
    let mut pairs: Vec<String> = chars
        .windows(2)
        .map(|w| [PAIR, w[0], w[1]].iter().collect())
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tokens_of(id: &str, title: &str, summary: &str) -> Vec<String> {
        let mut b = Builder::default();
        b.add(1, id, title, summary);
        b.finish().into_iter().map(|(t, _)| t.into()).collect()
    }

    #[test]
    fn an_event_gives_its_folded_words_and_its_titles_pairs_of_initials() {
        let t = tokens_of(
            "ilrs-01",
            "Roscosmos and CNSA: Lunar Station",
            "Türkiye's offer",
        );
        let words: Vec<&str> = t
            .iter()
            .filter(|t| !t.starts_with(PAIR))
            .map(String::as_str)
            .collect();
        assert_eq!(
            words,
            [
                "01",
                "and",
                "cnsa",
                "ilrs",
                "lunar",
                "offer",
                "roscosmos",
                "s",
                "station",
                "turkiye"
            ]
        );
        let pairs: Vec<String> = t
            .iter()
            .filter_map(|t| t.strip_prefix(PAIR))
            .map(str::to_string)
            .collect();
        // r-a, r-c (over the little word), a-c, c-l and l-s: a colon does not part a name.
        assert_eq!(pairs, ["ac", "cl", "ls", "ra", "rc"]);
    }

    #[test]
    fn lookups_find_typos_abbreviations_acronyms_and_phrases() {
        let vocabulary = Vocabulary::default().merged([
            "lunar",
            "memorandum",
            "research",
            "statement",
            "station",
        ]);
        let any = |q: &str| {
            Query::parse(q)
                .unwrap()
                .index_lookup(0, &vocabulary, &[])
                .unwrap()
        };
        assert_eq!(any("memorandm").any, ["memorandum"]);
        assert_eq!(any("stmt").any, ["statement"]);
        assert_eq!(any("sta").any, ["statement", "station"]);
        assert_eq!(any("lrs").all, [format!("{PAIR}lr"), format!("{PAIR}rs")]);
        assert_eq!(any("\"lunar research\"").any, ["research"]);
        assert!(any("\"lunar research\"").all.is_empty());
        assert!(Query::parse("notes:lunar")
            .unwrap()
            .index_lookup(0, &vocabulary, &[])
            .is_none());
        let turkiye = Vocabulary::default().merged(["turkiye"]);
        let mentioned = Query::parse("turkey")
            .unwrap()
            .index_lookup(0, &turkiye, &["turkiye".to_string()])
            .unwrap();
        assert_eq!(mentioned.any, ["turkiye"]);
    }

    #[test]
    fn a_vocabulary_merges_in_order_and_refuses_what_is_not_one() {
        let v = Vocabulary::default().merged(["b", "d"]);
        let w = v.merged(["a", "b", "c", &format!("{PAIR}ab"), "e"]);
        assert_eq!(w.iter().collect::<Vec<_>>(), ["a", "b", "c", "d", "e"]);
        assert_eq!(w.len(), 5);
        assert!(w.contains("a") && w.contains("c") && w.contains("e"));
        assert!(!w.contains("ab") && !w.contains(""));
        assert_eq!(Vocabulary::from_bytes(w.as_bytes()), Some(w));
        assert!(Vocabulary::from_bytes(b"b\na\n").is_none());
        assert!(Vocabulary::from_bytes(b"a\nb").is_none());
        assert!(Vocabulary::from_bytes(b"a\n\nb\n").is_none());
        assert!(Vocabulary::from_bytes(b"\xff\n").is_none());
        assert_eq!(Vocabulary::from_bytes(b""), Some(Vocabulary::default()));
    }

    proptest! {
        #[test]
        fn postings_decode_to_what_was_pushed(mut keys in proptest::collection::vec(any::<i64>(), 0..200)) {
            keys.sort_unstable();
            keys.dedup();
            let mut p = Postings::default();
            for &k in &keys {
                p.push(k);
            }
            let mut out = Vec::new();
            prop_assert!(decode_into(p.bytes(), &mut out).is_some());
            prop_assert_eq!(out, keys);
        }

        #[test]
        fn any_bytes_decode_or_are_refused_without_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let mut out = vec![7];
            if decode_into(&bytes, &mut out).is_none() {
                prop_assert_eq!(out, vec![7]);
            }
        }
    }
}
