//! The sources behind a selection, for the bibliographic exports: each cited source once, and
//! its `author` cell read as personal names or institutions.

use std::collections::BTreeMap;

use super::Selection;
use crate::domain::Source;

/// Every source the selected events cite, once each, ordered by id (so that the same set of
/// events gives the same bibliography whatever their order). References the catalog cannot
/// resolve are left out.
pub fn cited<'a>(sel: Selection<'a>) -> Vec<&'a Source> {
    let mut by_id: BTreeMap<&str, &Source> = BTreeMap::new();
    for e in sel.events {
        for r in &e.sources {
            if let Some(s) = sel.catalog.source(&r.source) {
                by_id.entry(s.id.as_str()).or_insert(s);
            }
        }
    }
    by_id.into_values().collect()
}

/// One author of a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Name {
    /// A person, written `Family, Given` in the data.
    Person { family: String, given: String },
    /// An institution or any name that is not clearly a person's, kept whole.
    Literal(String),
}

/// Words that mark an institution's name even when it contains a comma
/// (`Center for Space Utilization, Chinese Academy of Sciences`).
const INSTITUTION_WORDS: [&str; 10] = [
    "of", "for", "and", "the", "on", "in", "at", "agency", "office", "academy",
];

/// The authors of a source: the `author` cell split on `;`. An item with exactly one comma
/// whose two parts are short (up to three words each) and free of words that mark an
/// institution is read as `Family, Given`; anything else is kept whole as an institution.
pub fn authors(s: &Source) -> Vec<Name> {
    let Some(cell) = &s.author else {
        return Vec::new();
    };
    cell.split(';')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| {
            let parts: Vec<&str> = a.split(',').map(str::trim).collect();
            let short = |p: &str| {
                let words: Vec<&str> = p.split_whitespace().collect();
                !words.is_empty()
                    && words.len() <= 3
                    && !words
                        .iter()
                        .any(|w| INSTITUTION_WORDS.contains(&w.to_lowercase().as_str()))
            };
            match parts.as_slice() {
                [family, given] if short(family) && short(given) => Name::Person {
                    family: family.to_string(),
                    given: given.to_string(),
                },
                _ => Name::Literal(a.to_string()),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::SourceType;

    fn source(author: &str) -> Source {
        Source {
            id: "x".into(),
            source_type: SourceType::Webpage,
            author: Some(author.into()),
            title: "T".into(),
            container: None,
            publisher: None,
            issued: None,
            url: None,
            doi: None,
            language: None,
            accessed: None,
        }
    }

    #[test]
    fn people_and_institutions_are_told_apart() {
        let person = |f: &str, g: &str| Name::Person {
            family: f.into(),
            given: g.into(),
        };
        assert_eq!(
            authors(&source("Li, Kunhan;Mayer, Maximilian")),
            vec![person("Li", "Kunhan"), person("Mayer", "Maximilian")]
        );
        assert_eq!(
            authors(&source(
                "United Nations Office for Outer Space Affairs;China Manned Space Engineering Office"
            )),
            vec![
                Name::Literal("United Nations Office for Outer Space Affairs".into()),
                Name::Literal("China Manned Space Engineering Office".into())
            ]
        );
        assert_eq!(
            authors(&source(
                "Center for Space Utilization, Chinese Academy of Sciences"
            )),
            vec![Name::Literal(
                "Center for Space Utilization, Chinese Academy of Sciences".into()
            )]
        );
        assert_eq!(
            authors(&source("Xinhua")),
            vec![Name::Literal("Xinhua".into())]
        );
        assert!(authors(&source(" ; ")).is_empty());
    }
}
