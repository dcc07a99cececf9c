//! Fuzzy search over events: case- and accent-folded, typo-tolerant, with `field:` scopes.
//!
//! A query is a list of terms; an event matches when every term matches one of its fields.
//! A term matches a field by substring, by fuzzy subsequence (fuzzy-matcher's skim algorithm,
//! on short fields only, where a scattered subsequence still means something), or by being
//! within a small edit distance of one of the field's words. Match positions in the title
//! are returned for highlighting.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The fields a term can be scoped to with `field:term`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Id,
    Title,
    Summary,
    Notes,
    Partner,
    Institution,
    Source,
    Kind,
    Programme,
    Channel,
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
            "institution" | "inst" => Field::Institution,
            "source" | "src" => Field::Source,
            "kind" => Field::Kind,
            "programme" | "program" | "prog" => Field::Programme,
            "channel" => Field::Channel,
            _ => return None,
        })
    }

    /// Short fields allow scattered fuzzy matches; long prose does not.
    fn fuzzy(self) -> bool {
        !matches!(self, Field::Summary | Field::Notes | Field::Source)
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
}

/// A match: its score (higher is better) and the matched char positions in the title.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hit {
    pub score: i64,
    pub title_positions: Vec<usize>,
}

#[derive(Debug, Clone)]
struct Term {
    scope: Option<Field>,
    text: String,
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
                terms.push(Term { scope, text });
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
                if term.scope.is_some_and(|s| s != *field) {
                    continue;
                }
                if let Some((score, pos)) = self.match_term(&term.text, text, *field) {
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
        }
        hit.title_positions.sort_unstable();
        hit.title_positions.dedup();
        Some(hit)
    }

    /// Matches one folded term against one folded text: (score, char positions in `text`).
    fn match_term(&self, term: &str, text: &str, field: Field) -> Option<(i64, Vec<usize>)> {
        let term_len = term.chars().count();
        if let Some(byte) = text.find(term) {
            let start = text[..byte].chars().count();
            let at_word = text[..byte]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let score = 100 + 10 * term_len as i64 + if at_word { 50 } else { 0 };
            return Some((score, (start..start + term_len).collect()));
        }
        if field.fuzzy() && term_len >= 2 {
            if let Some((score, pos)) = self.matcher.fuzzy_indices(text, term) {
                // A tight subsequence scores about 16 a char; scattered ones much less.
                if score >= 12 * term_len as i64 {
                    return Some((score, pos));
                }
            }
        }
        typo_match(term, text)
    }
}

/// Word-level typo tolerance: a word within edit distance 1 (terms of 4 to 7 chars) or 2
/// (longer terms) of the term.
fn typo_match(term: &str, text: &str) -> Option<(i64, Vec<usize>)> {
    let term: Vec<char> = term.chars().collect();
    let max = match term.len() {
        0..=3 => return None,
        4..=7 => 1,
        _ => 2,
    };
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_alphanumeric() {
            i += 1;
        }
        let word = &chars[start..i];
        if word.len().abs_diff(term.len()) <= max {
            let d = edit_distance(&term, word);
            if d <= max {
                return Some((60 - 10 * d as i64, (start..i).collect()));
            }
        }
    }
    None
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions).
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[n][m]
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

/// Folds case and accents ("Türkiye" → "turkiye"), returning the folded text and, for each
/// folded char, the index of the original char it came from.
pub fn fold(s: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(s.len());
    let mut map = Vec::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        for d in c.to_string().nfkd().filter(|d| !is_combining_mark(*d)) {
            for l in d.to_lowercase() {
                out.push(l);
                map.push(i);
            }
        }
    }
    (out, map)
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
    fn edit_distance_counts_transpositions_once() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(edit_distance(&c("senegal"), &c("senagal")), 1);
        assert_eq!(edit_distance(&c("ab"), &c("ba")), 1);
        assert_eq!(edit_distance(&c("kitten"), &c("sitting")), 3);
    }
}
