//! The sources behind the selected events as RIS, for reference managers (Zotero, EndNote,
//! Mendeley): one entry per cited source, as `csl-json` has, keyed by the source id.

use std::io::Write;

use super::escape::one_line;
use super::sources::{authors, cited, Name};
use super::Selection;
use crate::domain::{PartialDate, Source, SourceType};
use crate::error::Result;

fn kind(t: SourceType) -> &'static str {
    match t {
        SourceType::ArticleJournal => "JOUR",
        SourceType::ArticleNewspaper => "NEWS",
        SourceType::Webpage => "ELEC",
        SourceType::Report => "RPRT",
        SourceType::Legislation | SourceType::Treaty => "LEGAL",
        SourceType::Speech => "GEN",
        SourceType::Book => "BOOK",
        SourceType::Chapter => "CHAP",
        SourceType::PostWeblog => "BLOG",
    }
}

/// RIS dates: `YYYY/MM/DD/`, the parts not known left empty.
fn date(d: PartialDate) -> String {
    let s = d.to_string();
    let mut parts = s.split('-');
    let y = parts.next().unwrap_or_default();
    let m = parts.next().unwrap_or_default();
    let day = parts.next().unwrap_or_default();
    format!("{y}/{m}/{day}/")
}

fn entry(out: &mut dyn Write, s: &Source) -> Result<()> {
    let mut tag = |t: &str, v: &str| -> std::io::Result<()> {
        let v = one_line(v);
        if v.is_empty() {
            Ok(())
        } else {
            writeln!(out, "{t}  - {v}")
        }
    };
    tag("TY", kind(s.source_type))?;
    tag("ID", &s.id)?;
    for a in authors(s) {
        match a {
            Name::Person { family, given } => tag("AU", &format!("{family}, {given}"))?,
            Name::Literal(l) => tag("AU", &l)?,
        }
    }
    tag("TI", &s.title)?;
    if let Some(c) = &s.container {
        tag("T2", c)?;
    }
    if let Some(p) = &s.publisher {
        tag("PB", p)?;
    }
    if let Some(d) = s.issued {
        tag("PY", &d.year_value().to_string())?;
        tag("DA", &date(d))?;
    }
    if let Some(u) = &s.url {
        tag("UR", u)?;
    }
    if let Some(d) = &s.doi {
        tag("DO", d)?;
    }
    if let Some(l) = &s.language {
        tag("LA", l)?;
    }
    if let Some(a) = s.accessed {
        tag("Y2", &date(a))?;
    }
    writeln!(out, "ER  - ")?;
    writeln!(out)?;
    Ok(())
}

/// Every source the selected events cite, once, by id.
pub fn write(sel: Selection<'_>, out: &mut dyn Write) -> Result<()> {
    for s in cited(sel) {
        entry(out, s)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_their_precision() {
        assert_eq!(date("2021".parse().unwrap()), "2021///");
        assert_eq!(date("2021-04".parse().unwrap()), "2021/04//");
        assert_eq!(date("2021-04-23".parse().unwrap()), "2021/04/23/");
    }
}
