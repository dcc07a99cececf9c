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
pub mod index;
mod matching;

use fuzzy_matcher::skim::SkimMatcherV2;

use crate::text::fold;

/// The fields a term can be scoped to with `field:term`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

    /// How many terms the query has (a repeated one counted each time).
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    /// Whether a term looks at the notes (`notes:`): a corpus must hold them to answer.
    pub fn needs_notes(&self) -> bool {
        self.terms.iter().any(|t| Field::Notes.in_scope(t.scope))
    }

    /// The chars of `title` that the terms in `title_terms` (a [`Matched`]'s) matched, as
    /// char indices into `title`, for highlighting.
    pub fn title_positions(&self, title: &str, title_terms: u64) -> Vec<usize> {
        if title_terms == 0 {
            return Vec::new();
        }
        let (folded, map) = fold(title);
        let mut out: Vec<usize> = Vec::new();
        for (i, term) in self.terms.iter().enumerate().take(64) {
            if title_terms & (1 << i) == 0 {
                continue;
            }
            if let Some((_, pos)) = self.match_term(term, &folded, Field::Title) {
                out.extend(pos.iter().filter_map(|&p| map.get(p).copied()));
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
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
}
