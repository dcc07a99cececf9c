//! CSL-JSON (citation-style-language schema `csl-data.json` 1.0): the sources behind the
//! exported events, each once, for Zotero, pandoc `--citeproc` and other CSL processors.
//!
//! Source types are named as in CSL already; dates keep their precision as partial
//! `date-parts` (`[[2021, 3]]`); institutions are `{"literal": …}` authors.

use std::io::Write;

use serde::Serialize;

use super::escape::{one_line, safe_url};
use super::sources::{authors, cited, Name};
use super::Selection;
use crate::domain::{PartialDate, Source};
use crate::error::Result;

#[derive(Serialize)]
#[serde(untagged)]
enum CslName {
    Person { family: String, given: String },
    Literal { literal: String },
}

#[derive(Serialize)]
struct CslDate {
    #[serde(rename = "date-parts")]
    date_parts: [Vec<i32>; 1],
}

impl CslDate {
    fn new(d: PartialDate) -> Self {
        let mut parts = vec![d.year_value()];
        parts.extend(d.month_value().map(|m| m as i32));
        parts.extend(d.day_value().map(|d| d as i32));
        CslDate {
            date_parts: [parts],
        }
    }
}

/// One CSL item. Field names follow the schema (note `URL` and `DOI` in capitals).
#[derive(Serialize)]
struct Item {
    id: String,
    #[serde(rename = "type")]
    item_type: &'static str,
    title: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<CslName>,
    #[serde(rename = "container-title", skip_serializing_if = "Option::is_none")]
    container_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued: Option<CslDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    accessed: Option<CslDate>,
    #[serde(rename = "URL", skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(rename = "DOI", skip_serializing_if = "Option::is_none")]
    doi: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<String>,
}

fn opt(s: &Option<String>) -> Option<String> {
    s.as_deref().map(one_line).filter(|s| !s.is_empty())
}

fn item(s: &Source) -> Item {
    Item {
        id: one_line(&s.id),
        item_type: s.source_type.as_str(),
        title: one_line(&s.title),
        author: authors(s)
            .into_iter()
            .map(|n| match n {
                Name::Person { family, given } => CslName::Person {
                    family: one_line(&family),
                    given: one_line(&given),
                },
                Name::Literal(l) => CslName::Literal {
                    literal: one_line(&l),
                },
            })
            .collect(),
        container_title: opt(&s.container),
        publisher: opt(&s.publisher),
        issued: s.issued.map(CslDate::new),
        accessed: s.accessed.map(CslDate::new),
        url: s.url.as_deref().and_then(safe_url),
        doi: opt(&s.doi),
        language: opt(&s.language),
    }
}

/// Writes the cited sources as a pretty-printed CSL-JSON array (`[]` when there are none).
pub fn write(sel: Selection<'_>, out: &mut dyn Write) -> Result<()> {
    let items: Vec<Item> = cited(sel).into_iter().map(item).collect();
    super::json_out::pretty(out, &items)
}
