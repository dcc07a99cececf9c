//! Fuzzy search over events: case- and accent-folded, typo-tolerant, with `field:` scopes.
//!
//! A query is a list of terms; an event matches when every term matches one of its fields.
//! A term matches a field by substring (terms under four characters only at a word start), by
//! acronym (the initials of consecutive words of one name: `uae`, `unoosa`), by abbreviation
//! (fuzzy-matcher's skim subsequence inside one word, from its first letter: `stmt`), or by
//! being within a small edit distance of one of the field's words (`venezuala`). Acronyms and
//! abbreviations apply to short fields only, where they still mean something. Match positions
//! in the title are returned for highlighting.
//!
//! Unscoped terms search what an event is: its id, title, summary, partners, institutions,
//! source titles, kind, programme and channel. Notes and the rest of a citation (author,
//! publisher, URL) are searched only when asked for with `notes:` or `source:`.

pub mod corpus;

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use unicode_width::UnicodeWidthChar;

use crate::text::fold;

/// The fields a term can be scoped to with `field:term`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Id,
    Title,
    Summary,
    Notes,
    Partner,
    Institution,
    /// A source's title.
    Source,
    /// The rest of a citation: source id, author, container, publisher, URL.
    SourceDetail,
    Kind,
    Programme,
    Channel,
    /// A valence other than cooperation (refusal, withdrawal, obstacle).
    Valence,
    /// Every name of a state the title or summary names (unscoped terms only).
    Mention,
}

impl Field {
    /// The scope prefixes users type, with their synonyms.
    fn from_prefix(s: &str) -> Option<Field> {
        Some(match s {
            "id" => Field::Id,
            "title" => Field::Title,
            "summary" => Field::Summary,
            "notes" | "note" => Field::Notes,
            "partner" | "party" | "actor" => Field::Partner,
            "institution" | "inst" | "venue" => Field::Institution,
            "source" | "src" => Field::Source,
            "kind" => Field::Kind,
            "programme" | "program" | "prog" => Field::Programme,
            "channel" => Field::Channel,
            "valence" => Field::Valence,
            _ => return None,
        })
    }

    /// Short names allow acronyms and abbreviations; long prose does not, and neither do the
    /// coded fields (ids, kinds, programmes, channels), where `programme:css` means CSS and
    /// not any id with a c, an s and an s in it.
    fn fuzzy(self) -> bool {
        !matches!(
            self,
            Field::Summary
                | Field::Notes
                | Field::Source
                | Field::SourceDetail
                | Field::Id
                | Field::Kind
                | Field::Programme
                | Field::Channel
                | Field::Valence
        )
    }

    /// Whether a term with `scope` (none: unscoped) looks at this field.
    fn in_scope(self, scope: Option<Field>) -> bool {
        match scope {
            None => !matches!(self, Field::Notes | Field::SourceDetail),
            Some(Field::Source) => matches!(self, Field::Source | Field::SourceDetail),
            Some(_) if self == Field::Mention => false,
            Some(s) => s == self,
        }
    }

    /// A lower-case name for messages ("matched in partner").
    pub fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Title => "title",
            Field::Summary => "summary",
            Field::Notes => "notes",
            Field::Partner => "partner",
            Field::Institution => "institution",
            Field::Source | Field::SourceDetail => "source",
            Field::Kind => "kind",
            Field::Programme => "programme",
            Field::Channel => "channel",
            Field::Valence => "valence",
            Field::Mention => "a state named in the text",
        }
    }
}

/// One searchable text of an event.
#[derive(Debug, Clone)]
pub struct DocField {
    pub field: Field,
    pub text: String,
}

/// The searchable texts of one event.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub fields: Vec<DocField>,
}

impl Doc {
    pub fn push(&mut self, field: Field, text: impl Into<String>) {
        let text = text.into();
        if !text.is_empty() {
            self.fields.push(DocField { field, text });
        }
    }

    /// The searchable texts of an event: its own fields and the names behind its ids. The
    /// whole-document reference the corpus is held to: [`Query::score`] on it gives what the
    /// corpus finds.
    #[cfg(test)]
    pub(crate) fn of(e: &crate::domain::Event, catalog: &crate::domain::Catalog) -> Doc {
        use crate::domain::catalog::{channel_text, kind_text};
        let mut doc = Doc::default();
        doc.push(Field::Id, e.id.clone());
        doc.push(Field::Title, e.title.clone());
        doc.push(Field::Summary, e.summary.clone());
        doc.push(Field::Notes, e.notes.clone());
        // A party's state counts as a partner too, as `--actor` selects: `partner:uae` finds
        // the events of Emirati agencies and companies.
        let mut partners: Vec<&str> = e.parties.iter().map(|p| p.actor.as_str()).collect();
        for p in &e.parties {
            let country = catalog.actor(&p.actor).and_then(|a| a.country.as_deref());
            if let Some(c) = country.filter(|c| !partners.contains(c)) {
                partners.push(c);
            }
        }
        for id in partners {
            doc.push(Field::Partner, catalog.partner_text(id));
        }
        for i in e.institutions.iter().chain(e.venue.iter()) {
            doc.push(Field::Institution, catalog.institution_text(i));
        }
        // Only the exceptions: every other event is cooperation (`--valence` selects those).
        if e.valence != crate::domain::Valence::Cooperation {
            doc.push(Field::Valence, e.valence.as_str());
        }
        for s in &e.sources {
            let (title, detail) = catalog.source_texts(&s.source);
            if let Some(title) = title {
                doc.push(Field::Source, title);
            }
            doc.push(Field::SourceDetail, detail);
        }
        doc.push(Field::Kind, kind_text(e.kind));
        doc.push(Field::Programme, catalog.programme_text(&e.programme));
        doc.push(Field::Channel, channel_text(e.channel));
        // A state named only in the text is found by its other names too (`turkey` finds the
        // event whose summary says Türkiye).
        for i in catalog.states_named_in(&format!("{} {}", e.title, e.summary)) {
            doc.push(Field::Mention, catalog.mention_text(i));
        }
        doc
    }
}

/// A match: its score (higher is better), the matched char positions in the title and the
/// fields the terms matched in (each once, in query order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hit {
    pub score: i64,
    pub title_positions: Vec<usize>,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone)]
struct Term {
    scope: Option<Field>,
    text: String,
    /// A searcher for `text`, built once for the million fields it is looked for in.
    finder: memchr::memmem::Finder<'static>,
    /// `text`'s length in chars.
    chars: usize,
}

impl Term {
    fn new(scope: Option<Field>, text: String) -> Term {
        Term {
            scope,
            finder: memchr::memmem::Finder::new(text.as_bytes()).into_owned(),
            chars: text.chars().count(),
            text,
        }
    }
}

/// A compiled query.
pub struct Query {
    terms: Vec<Term>,
    matcher: SkimMatcherV2,
}

impl std::fmt::Debug for Query {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Query").field("terms", &self.terms).finish()
    }
}

impl Query {
    /// Parses a query. Terms are separated by spaces; `"..."` keeps a phrase together;
    /// `field:term` scopes a term. Returns `None` for a blank query.
    pub fn parse(input: &str) -> Option<Query> {
        let mut terms = Vec::new();
        for raw in split_terms(input) {
            let (scope, text) = match raw.split_once(':') {
                Some((prefix, rest)) => match Field::from_prefix(&fold(prefix).0) {
                    Some(f) => (Some(f), rest.to_string()),
                    None => (None, raw.clone()),
                },
                None => (None, raw.clone()),
            };
            let text = fold(text.trim_matches('"')).0;
            if !text.trim().is_empty() {
                terms.push(Term::new(scope, text));
            }
        }
        (!terms.is_empty()).then(|| Query {
            terms,
            matcher: SkimMatcherV2::default().ignore_case(),
        })
    }

    /// Scores `doc`, or `None` when some term matches none of its fields.
    pub fn score(&self, doc: &Doc) -> Option<Hit> {
        let folded: Vec<(Field, String, Vec<usize>)> = doc
            .fields
            .iter()
            .map(|f| {
                let (t, map) = fold(&f.text);
                (f.field, t, map)
            })
            .collect();
        let mut hit = Hit::default();
        for term in &self.terms {
            let mut best: Option<(i64, Vec<usize>, Field)> = None;
            for (field, text, map) in &folded {
                if !field.in_scope(term.scope) {
                    continue;
                }
                if let Some((score, pos)) = self.match_term(term, text, *field) {
                    // Prefer title matches at equal score: they are what gets highlighted.
                    let score = score + i64::from(*field == Field::Title);
                    if best.as_ref().is_none_or(|b| score > b.0) {
                        let orig = pos.iter().filter_map(|&p| map.get(p).copied()).collect();
                        best = Some((score, orig, *field));
                    }
                }
            }
            let (score, positions, field) = best?;
            hit.score += score;
            if field == Field::Title {
                hit.title_positions.extend(positions);
            }
            if !hit.fields.contains(&field) {
                hit.fields.push(field);
            }
        }
        hit.title_positions.sort_unstable();
        hit.title_positions.dedup();
        Some(hit)
    }

    /// Matches one folded term against one folded text: (score, char positions in `text`).
    fn match_term(&self, term: &Term, text: &str, field: Field) -> Option<(i64, Vec<usize>)> {
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
                    return self.abbreviation(&s.term, &s.chars, &s.words);
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
        chars: &[char],
        words: &[Word],
    ) -> Option<(i64, Vec<usize>)> {
        let needle: String = term.iter().collect();
        let mut best: Option<(i64, Vec<usize>)> = None;
        for w in words {
            let word = &chars[w.start..w.end];
            if word.len() < term.len() || word[0] != term[0] || !is_subsequence(term, word) {
                continue;
            }
            let hay: String = word.iter().collect();
            if let Some((score, pos)) = self.matcher.fuzzy_indices(&hay, &needle) {
                if pos.first() == Some(&0) && best.as_ref().is_none_or(|b| score > b.0) {
                    best = Some((score, pos.into_iter().map(|p| w.start + p).collect()));
                }
            }
        }
        best
    }
}

/// Whether a word of `text` starts with `c`.
fn starts_a_word(text: &str, c: char) -> bool {
    let mut after_word = false;
    for t in text.chars() {
        if t == c && !after_word {
            return true;
        }
        after_word = t.is_alphanumeric();
    }
    false
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
        if !c.is_alphanumeric() {
            if matches!(c, ';' | '(' | ')' | ',') {
                segment += 1;
            }
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_alphanumeric() {
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
            let d = edit_distance(term, w);
            if d <= max {
                return Some((60 - 10 * d as i64, (start..start + len).collect()));
            }
        }
        len = 0;
        long = false;
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

fn split_terms(input: &str) -> Vec<String> {
    let mut terms = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in input.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    terms.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        terms.push(current);
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str) -> Doc {
        let mut d = Doc::default();
        d.push(Field::Title, title);
        d.push(Field::Partner, "UAE; United Arab Emirates; الإمارات");
        d.push(
            Field::Summary,
            "The rover will fly on the Chang'e-7 lander in 2026.",
        );
        d.push(Field::Source, "Gulf News");
        d.push(Field::Kind, "mou");
        d
    }

    fn matches(q: &str, d: &Doc) -> bool {
        Query::parse(q).unwrap().score(d).is_some()
    }

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("Türkiye").0, "turkiye");
        assert_eq!(fold("Jiménez").0, "jimenez");
        let d = doc("Türkiye joins");
        assert!(matches("turkiye", &d));
        assert!(matches("TÜRKIYE", &d));
    }

    #[test]
    fn scopes_restrict_the_fields() {
        let d = doc("MBRSC and CNSA sign an MoU");
        assert!(matches("partner:uae", &d));
        assert!(!matches("title:uae", &d));
        assert!(matches("source:gulf", &d));
        assert!(matches("kind:mou", &d));
        assert!(!matches("kind:launch", &d));
    }

    #[test]
    fn tolerates_typos_and_fuzzy_abbreviations() {
        let d = doc("Venezuela signs a joint statement");
        assert!(matches("venezuala", &d));
        assert!(matches("statment", &d));
        assert!(matches("jnt stmt", &d));
        assert!(!matches("zzzz", &d));
    }

    #[test]
    fn every_term_must_match() {
        let d = doc("Venezuela signs a joint statement");
        assert!(matches("venezuela rover", &d));
        assert!(!matches("venezuela artemis", &d));
    }

    #[test]
    fn returns_title_positions_in_original_chars() {
        let d = doc("Türkiye joins");
        let hit = Query::parse("kiye").unwrap().score(&d).unwrap();
        assert_eq!(hit.title_positions, vec![3, 4, 5, 6]);
    }

    #[test]
    fn native_script_and_phrases() {
        let mut d = Doc::default();
        d.push(Field::Title, "CNSA and Roscosmos sign a joint statement");
        d.push(Field::Partner, "中国国家航天局; Роскосмос");
        assert!(matches("роскосмос", &d));
        assert!(matches("航天局", &d));
        assert!(matches("\"joint statement\"", &d));
        assert!(Query::parse("   ").is_none());
    }

    #[test]
    fn acronyms_match_initials_of_one_name_only() {
        let mut d = Doc::default();
        d.push(Field::Title, "A workshop in Beijing");
        d.push(
            Field::Partner,
            "UNOOSA; United Nations Office for Outer Space Affairs",
        );
        d.push(Field::Partner, "ARE; United Arab Emirates; UAE");
        assert!(matches("unoosa", &d));
        let mut usa = Doc::default();
        usa.push(
            Field::Partner,
            "USA; United States; United States of America; US",
        );
        usa.push(
            Field::Partner,
            "SUN; Soviet Union; USSR; Union of Soviet Socialist Republics",
        );
        // Scattered letters across several names are not an acronym.
        assert!(!matches("uae", &usa));
        assert!(!matches("unoosa", &usa));
        let mut arab = Doc::default();
        arab.push(Field::Partner, "ARE; United Arab Emirates");
        let hit = Query::parse("uae").unwrap().score(&arab).unwrap();
        assert_eq!(hit.fields, vec![Field::Partner]);
    }

    #[test]
    fn short_terms_match_at_word_starts_and_acronyms_need_no_typos() {
        let mut d = Doc::default();
        d.push(Field::Title, "Mesa workshop on desalination");
        d.push(Field::Partner, "CNSA; China National Space Administration");
        assert!(!matches("esa", &d));
        // One edit away from CNSA, but another agency.
        assert!(!matches("cmsa", &d));
        assert!(matches("cnsa", &d));
        let mut zhang = Doc::default();
        zhang.push(Field::Summary, "CNSA head Zhang Kejian signed");
        assert!(!matches("chang", &zhang));
        assert!(matches("zhnag", &zhang));
    }

    #[test]
    fn unscoped_terms_skip_notes_and_citation_details() {
        let mut d = Doc::default();
        d.push(Field::Title, "Outer Space Treaty enters into force");
        d.push(Field::Notes, "The UNOOSA treaty page gives another date.");
        d.push(
            Field::Source,
            "Treaty on Principles Governing the Activities of States",
        );
        d.push(
            Field::SourceDetail,
            "unoosa1966; United Nations Office for Outer Space Affairs; https://www.unoosa.org/",
        );
        assert!(!matches("unoosa", &d));
        assert!(matches("source:unoosa", &d));
        assert!(matches("notes:unoosa", &d));
        assert!(matches("principles", &d));
    }

    #[test]
    fn abbreviations_stay_inside_one_word() {
        let mut d = Doc::default();
        d.push(Field::Title, "China and Russia sign an MoU");
        d.push(Field::Partner, "PAK; Pakistan");
        assert!(matches("pakistn", &d));
        // c..h..a..n..g is spread over "China" and "sign": no word holds it.
        assert!(!matches("chang", &d));
    }

    #[test]
    fn edit_distance_counts_transpositions_once() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(edit_distance(&c("senegal"), &c("senagal")), 1);
        assert_eq!(edit_distance(&c("ab"), &c("ba")), 1);
        assert_eq!(edit_distance(&c("kitten"), &c("sitting")), 3);
    }
}
