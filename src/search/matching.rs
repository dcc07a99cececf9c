//! How one folded term matches one folded text: as a substring, an acronym, an abbreviation
//! or a typo of one of its words (the rules are in the parent module's documentation). These
//! run for every field of a million events, so they allocate nothing for a text they pass
//! over (only for a word that is a candidate abbreviation, and for a match's positions).

use fuzzy_matcher::FuzzyMatcher;
use unicode_width::UnicodeWidthChar;

use super::{Field, Query, Term};
use crate::text::is_word_char;

impl Query {
    /// Matches one folded term against one folded text: (score, char positions in `text`).
    pub(super) fn match_term(
        &self,
        term: &Term,
        text: &str,
        field: Field,
    ) -> Option<(i64, Vec<usize>)> {
        let (term_len, finder, term) = (term.chars, &term.finder, term.text.as_str());
        // Every way of matching needs a text at least as long as the term, give or take the
        // two edits of a typo (a pasted page against a million titles costs nothing).
        if term_len > text.len() + 2 {
            return None;
        }
        // Scripts written without spaces (CJK, wide in a terminal) have no word starts.
        let spaced = !term.chars().any(|c| c.width() == Some(2));
        if let Some((start, at_word)) = find_substring(text, finder, spaced && term_len < 4) {
            let score = 100 + 10 * term_len as i64 + if at_word { 50 } else { 0 };
            return Some((score, (start..start + term_len).collect()));
        }
        // Acronyms, abbreviations and typos all need a word that starts with the term's
        // first char: one pass without allocating rules most texts out.
        let first = term.chars().next()?;
        if !starts_a_word(text, first) {
            return None;
        }
        if field.fuzzy() && term_len >= 2 && !term.contains(char::is_whitespace) {
            let found = SCRATCH.with(|scratch| {
                // A buffer already borrowed (never, as nothing here re-enters) gets a fresh one.
                let mut fresh = Scratch::default();
                let mut held = scratch.try_borrow_mut();
                let s = match held.as_deref_mut() {
                    Ok(s) => s,
                    Err(_) => &mut fresh,
                };
                s.fill(term, text);
                if let Some(pos) = acronym(&s.term, &s.chars, &s.words) {
                    return Some((90 + 10 * term_len as i64, pos));
                }
                if term_len >= 3 {
                    return self.abbreviation(&s.term, term, &s.chars, &s.words);
                }
                None
            });
            if found.is_some() {
                return found;
            }
        }
        typo_match(term, text)
    }

    /// The best word that `term` abbreviates: a skim subsequence of one word that starts at
    /// the word's first letter (`stmt` in "statement", `pakistn` in "pakistan").
    fn abbreviation(
        &self,
        term: &[char],
        needle: &str,
        chars: &[char],
        words: &[Word],
    ) -> Option<(i64, Vec<usize>)> {
        let mut best: Option<(i64, Vec<usize>)> = None;
        for w in words {
            let word = &chars[w.start..w.end];
            if word.len() < term.len() || word[0] != term[0] || !is_subsequence(term, word) {
                continue;
            }
            let hay: String = word.iter().collect();
            if let Some((score, pos)) = self.matcher.fuzzy_indices(&hay, needle) {
                if pos.first() == Some(&0) && best.as_ref().is_none_or(|b| score > b.0) {
                    best = Some((score, pos.into_iter().map(|p| w.start + p).collect()));
                }
            }
        }
        best
    }
}

/// The byte offsets in `text` of the words that start with `c`. The searcher jumps between
/// the occurrences of `c` instead of decoding every char: a million long summaries are mostly
/// words that start with another letter.
fn word_starts(text: &str, c: char) -> impl Iterator<Item = usize> + '_ {
    let mut encoded = [0u8; 4];
    let len = c.encode_utf8(&mut encoded).len();
    let bytes = text.as_bytes();
    // It jumps by the char's last byte: a first byte is shared by a whole script (every
    // Cyrillic letter starts with 0xD0 or 0xD1), a last byte by few chars. Matching the
    // whole char there makes `at` a char's first byte, so a boundary.
    memchr::memchr_iter(encoded[len - 1], bytes)
        .filter_map(move |end| {
            let at = (end + 1).checked_sub(len)?;
            // A char is one to four bytes: compared in place, not by a call to memcmp.
            bytes[at..=end].iter().eq(&encoded[..len]).then_some(at)
        })
        .filter(move |&at| {
            text[..at]
                .chars()
                .next_back()
                .is_none_or(|p| !is_word_char(p))
        })
}

/// Whether a word of `text` starts with `c`.
fn starts_a_word(text: &str, c: char) -> bool {
    word_starts(text, c).next().is_some()
}

/// A run of alphanumeric chars in a text, and the name (`;`-separated part) it belongs to.
#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
    segment: usize,
}

/// The chars and words of the text being matched, reused from one text to the next: a
/// million titles scored on every core would otherwise allocate (and contend for the
/// allocator's lock) three times each.
#[derive(Default)]
struct Scratch {
    term: Vec<char>,
    chars: Vec<char>,
    words: Vec<Word>,
}

impl Scratch {
    fn fill(&mut self, term: &str, text: &str) {
        self.term.clear();
        self.term.extend(term.chars());
        self.chars.clear();
        self.chars.extend(text.chars());
        words_into(&self.chars, &mut self.words);
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// The words of `chars` into `out` (cleared first).
fn words_into(chars: &[char], out: &mut Vec<Word>) {
    out.clear();
    let mut segment = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !is_word_char(c) {
            if matches!(c, ';' | '(' | ')' | ',') {
                segment += 1;
            }
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_word_char(chars[i]) {
            i += 1;
        }
        out.push(Word {
            start,
            end: i,
            segment,
        });
    }
}

/// The first occurrence of `term` in `text` as (char index, starts a word), preferring one at
/// a word start; with `word_start_only`, only those count.
fn find_substring(
    text: &str,
    term: &memchr::memmem::Finder<'_>,
    word_start_only: bool,
) -> Option<(usize, bool)> {
    let mut first: Option<usize> = None;
    // Non-overlapping, as `str::match_indices` would find them; a match of a whole term
    // starts and ends on char boundaries, so slicing at it is safe.
    let len = term.needle().len();
    let mut from = 0;
    while let Some(at) = term.find(&text.as_bytes()[from..]) {
        let byte = from + at;
        from = byte + len.max(1);
        let at_word = text[..byte]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word_char(c));
        if at_word {
            return Some((text[..byte].chars().count(), true));
        }
        first.get_or_insert(byte);
    }
    if word_start_only {
        return None;
    }
    first.map(|byte| (text[..byte].chars().count(), false))
}

/// Little words an acronym may skip ("United Nations Office for Outer Space Affairs").
const STOPWORDS: [&str; 20] = [
    "a", "an", "and", "at", "de", "del", "des", "du", "et", "for", "fur", "in", "la", "le", "of",
    "on", "the", "to", "und", "y",
];

/// Positions of the initials of consecutive words of one name that spell `term`, skipping
/// little words where needed (`unoosa`, `uae`, `cnsa`).
fn acronym(term: &[char], chars: &[char], words: &[Word]) -> Option<Vec<usize>> {
    fn from(
        term: &[char],
        chars: &[char],
        words: &[Word],
        wi: usize,
        used: &mut Vec<usize>,
    ) -> bool {
        if used.len() == term.len() {
            return true;
        }
        let Some(w) = words.get(wi) else {
            return false;
        };
        if words
            .get(wi.wrapping_sub(1))
            .is_some_and(|p| p.segment != w.segment)
        {
            return false;
        }
        if chars[w.start] == term[used.len()] {
            used.push(w.start);
            if from(term, chars, words, wi + 1, used) {
                return true;
            }
            used.pop();
        }
        let word = &chars[w.start..w.end];
        STOPWORDS.iter().any(|s| s.chars().eq(word.iter().copied()))
            && from(term, chars, words, wi + 1, used)
    }
    let mut used = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if chars[w.start] != term[0] {
            continue;
        }
        used.clear();
        used.push(w.start);
        if from(term, chars, words, i + 1, &mut used) {
            return Some(used);
        }
    }
    None
}

/// Hands `visit` each pair of initials that follow each other in an acronym of `text` (a
/// folded title): the initials of two words of one name with only little words between them.
/// An acronym's every two neighbouring letters are such a pair, which is what the word index
/// looks acronyms up by.
pub(super) fn acronym_pairs(text: &str, mut visit: impl FnMut(char, char)) {
    let chars: Vec<char> = text.chars().collect();
    let mut words = Vec::new();
    words_into(&chars, &mut words);
    // No little word is longer than three letters: most words are passed without a look.
    let stopword = |w: &Word| {
        w.end - w.start <= 3
            && STOPWORDS
                .iter()
                .any(|s| s.chars().eq(chars[w.start..w.end].iter().copied()))
    };
    for (i, w) in words.iter().enumerate() {
        for next in &words[i + 1..] {
            if next.segment != w.segment {
                break;
            }
            visit(chars[w.start], chars[next.start]);
            if !stopword(next) {
                break;
            }
        }
    }
}

fn is_subsequence(needle: &[char], hay: &[char]) -> bool {
    let mut it = hay.iter();
    needle.iter().all(|c| it.any(|h| h == c))
}

/// Word-level typo tolerance: a word that starts with the same letter and is within edit
/// distance 1 (terms of 5 to 7 chars) or 2 (longer terms) of the term. Shorter terms get no
/// typo tolerance: at four letters one edit turns an acronym into another (`cmsa`, `cnsa`),
/// and a different first letter is more often another name than a typo (`zhang`, `chang`).
fn typo_match(term: &str, text: &str) -> Option<(i64, Vec<usize>)> {
    // Terms and words are short: fixed buffers spare an allocation per text, which a
    // million texts scored on every core would otherwise contend for.
    const CAP: usize = 64;
    let mut t = ['\0'; CAP];
    let mut n = 0;
    for c in term.chars() {
        if n == CAP {
            return None; // No word is within two edits of a 65-char term.
        }
        t[n] = c;
        n += 1;
    }
    let term = &t[..n];
    let max = match term.len() {
        0..=4 => return None,
        5..=7 => 1,
        _ => 2,
    };
    let mut word = ['\0'; CAP];
    for at in word_starts(text, term[0]) {
        let mut len = 0;
        let mut long = false;
        for c in text[at..].chars().take_while(|&c| is_word_char(c)) {
            if len == CAP {
                long = true;
                break;
            }
            word[len] = c;
            len += 1;
        }
        if long || len.abs_diff(term.len()) > max {
            continue;
        }
        let d = edit_distance(term, &word[..len]);
        if d <= max {
            let start = text[..at].chars().count();
            return Some((60 - 10 * d as i64, (start..start + len).collect()));
        }
    }
    None
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), with three
/// rolling rows instead of a matrix: it runs for every candidate word of a million texts.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    const CAP: usize = 66;
    if b.len() >= CAP {
        return a.len().max(b.len());
    }
    let m = b.len();
    // Three rows reused in turn (i-2 for transpositions): no allocation per word pair.
    let mut rows = [[0usize; CAP]; 3];
    for (j, d) in rows[0].iter_mut().enumerate().take(m + 1) {
        *d = j;
    }
    for i in 1..=a.len() {
        let (cur, prev, before) = (i % 3, (i + 2) % 3, (i + 1) % 3);
        rows[cur][0] = i;
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[prev][j] + 1)
                .min(rows[cur][j - 1] + 1)
                .min(rows[prev][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[before][j - 2] + 1);
            }
            rows[cur][j] = d;
        }
    }
    rows[a.len() % 3][m]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The substring search as it was made with `str::match_indices`, before the searcher
    /// was built once per term: the reference the property below holds it to.
    fn find_substring_reference(
        text: &str,
        term: &str,
        word_start_only: bool,
    ) -> Option<(usize, bool)> {
        let mut first: Option<usize> = None;
        for (byte, _) in text.match_indices(term) {
            let at_word = text[..byte]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            if at_word {
                return Some((text[..byte].chars().count(), true));
            }
            first.get_or_insert(byte);
        }
        if word_start_only {
            return None;
        }
        first.map(|byte| (text[..byte].chars().count(), false))
    }

    /// Word starts as they were found, char by char: the reference for `word_starts`.
    fn starts_a_word_reference(text: &str, c: char) -> bool {
        let mut after_word = false;
        for t in text.chars() {
            if t == c && !after_word {
                return true;
            }
            after_word = t.is_alphanumeric();
        }
        false
    }

    /// The typo match as it was, char by char over the whole text: the reference the
    /// property below holds the jumping one to.
    fn typo_match_reference(term: &str, text: &str) -> Option<(i64, Vec<usize>)> {
        const CAP: usize = 64;
        let term: Vec<char> = term.chars().collect();
        if term.len() > CAP {
            return None;
        }
        let max = match term.len() {
            0..=4 => return None,
            5..=7 => 1,
            _ => 2,
        };
        let mut word = ['\0'; CAP];
        let (mut len, mut start, mut long) = (0usize, 0usize, false);
        for (i, c) in text.chars().chain(std::iter::once(' ')).enumerate() {
            if c.is_alphanumeric() {
                if len == 0 && !long {
                    start = i;
                }
                if len < CAP && !long {
                    word[len] = c;
                    len += 1;
                } else {
                    long = true;
                }
                continue;
            }
            let w = &word[..len];
            if !long && w.first() == Some(&term[0]) && len.abs_diff(term.len()) <= max {
                let d = edit_distance(&term, w);
                if d <= max {
                    return Some((60 - 10 * d as i64, (start..start + len).collect()));
                }
            }
            len = 0;
            long = false;
        }
        None
    }

    proptest! {
        #[test]
        fn typos_and_word_starts_are_found_as_char_by_char(
            text in "[mngoliaé月 ,-]{0,40}",
            term in "[mngoliaé月]{1,9}",
            long_word in 0usize..3,
        ) {
            // Now and then a word past the 64-char cap, which is never matched.
            let text = if long_word == 0 { format!("{text} m{}", "o".repeat(70)) } else { text };
            prop_assert_eq!(typo_match(&term, &text), typo_match_reference(&term, &text));
            for c in ['m', 'é', '月'] {
                prop_assert_eq!(starts_a_word(&text, c), starts_a_word_reference(&text, c));
            }
        }

        #[test]
        fn the_searcher_finds_what_match_indices_found(
            text in "[abé月 ,-]{0,24}",
            term in "[abé月-]{1,4}",
            word_start_only: bool,
        ) {
            let finder = memchr::memmem::Finder::new(term.as_bytes());
            prop_assert_eq!(
                find_substring(&text, &finder, word_start_only),
                find_substring_reference(&text, &term, word_start_only)
            );
        }
    }

    #[test]
    fn edit_distance_counts_transpositions_once() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(edit_distance(&c("senegal"), &c("senagal")), 1);
        assert_eq!(edit_distance(&c("ab"), &c("ba")), 1);
        assert_eq!(edit_distance(&c("kitten"), &c("sitting")), 3);
    }
}
