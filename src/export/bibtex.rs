//! BibTeX: the sources behind the exported events, each once, keyed by their stable source
//! ids, for Zotero, JabRef, BibTeX and biber.
//!
//! Text is UTF-8 with TeX's special characters escaped so that no value can unbalance braces
//! or start a command; corporate authors are braced whole so that BibTeX never splits them.

use std::collections::HashSet;
use std::io::Write;

use super::escape::{one_line, safe_url};
use super::sources::{authors, cited, Name};
use super::Selection;
use crate::domain::{Source, SourceType};
use crate::error::Result;

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// True when the braces of `s` pair up in order.
fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

/// Text for a braced BibTeX value: one line, TeX specials escaped. BibTeX counts even
/// escaped braces, so braces that pair up are written `\{ \}` and unpaired ones
/// `\textbraceleft{}`/`\textbraceright{}`, which can never unbalance an entry.
pub fn tex(s: &str) -> String {
    let line = one_line(s);
    let (open, close) = if balanced(&line) {
        ("\\{", "\\}")
    } else {
        ("\\textbraceleft{}", "\\textbraceright{}")
    };
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str(open),
            '}' => out.push_str(close),
            '$' | '&' | '%' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '^' => out.push_str("\\textasciicircum{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            c => out.push(c),
        }
    }
    out
}

/// A value that must stay verbatim (a DOI): one line, with only the characters that could
/// break the entry (braces, backslash) percent-encoded.
fn verbatim(s: &str) -> String {
    one_line(s)
        .replace('\\', "%5C")
        .replace('{', "%7B")
        .replace('}', "%7D")
}

/// A citation key from a source id: the id itself when it is a safe key (ids are letters,
/// digits, `_`, `.` and `-`), otherwise with the other characters replaced by `_`.
fn key_of(id: &str) -> String {
    let key: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | ':') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if key.is_empty() {
        "source".to_string()
    } else {
        key
    }
}

/// The entry type and the field the container goes in.
fn entry_type(t: SourceType) -> (&'static str, Option<&'static str>) {
    match t {
        SourceType::ArticleJournal | SourceType::ArticleNewspaper => ("article", Some("journal")),
        SourceType::Book => ("book", None),
        SourceType::Chapter => ("incollection", Some("booktitle")),
        SourceType::Report => ("techreport", None),
        _ => ("misc", Some("howpublished")),
    }
}

/// A field's value: braced text, or a bare macro name (the month).
enum Value {
    Braced(String),
    Bare(&'static str),
}

fn fields(s: &Source) -> Vec<(&'static str, Value)> {
    use Value::Braced;
    let (_, container_field) = entry_type(s.source_type);
    let mut fields: Vec<(&'static str, Value)> = Vec::new();
    let names: Vec<String> = authors(s)
        .into_iter()
        .map(|n| match n {
            Name::Person { family, given } => format!("{}, {}", tex(&family), tex(&given)),
            Name::Literal(l) => format!("{{{}}}", tex(&l)),
        })
        .collect();
    if !names.is_empty() {
        fields.push(("author", Braced(names.join(" and "))));
    }
    fields.push(("title", Braced(format!("{{{}}}", tex(&s.title)))));
    if let (Some(field), Some(c)) = (container_field, &s.container) {
        fields.push((field, Braced(tex(c))));
    }
    if let Some(p) = &s.publisher {
        let field = if s.source_type == SourceType::Report {
            "institution"
        } else {
            "publisher"
        };
        fields.push((field, Braced(tex(p))));
    }
    if let Some(d) = s.issued {
        fields.push(("year", Braced(d.year_value().to_string())));
        if let Some(m) = d.month_value().and_then(|m| MONTHS.get(m as usize - 1)) {
            fields.push(("month", Value::Bare(m)));
        }
        // biblatex and Zotero read the full partial date; classic BibTeX ignores it.
        fields.push(("date", Braced(d.to_string())));
    }
    // URLs stay verbatim (biblatex and the url package read them so); safe_url has already
    // percent-encoded spaces, braces and backslashes.
    if let Some(u) = s.url.as_deref().and_then(safe_url) {
        fields.push(("url", Braced(u)));
    }
    if let Some(d) = s.accessed {
        fields.push(("urldate", Braced(d.to_string())));
    }
    if let Some(d) = &s.doi {
        fields.push(("doi", Braced(verbatim(d))));
    }
    if let Some(l) = &s.language {
        fields.push(("language", Braced(tex(l))));
    }
    fields
}

/// Writes the cited sources as BibTeX entries, ordered by key; a comment alone when there
/// are none.
pub fn write(sel: Selection<'_>, out: &mut dyn Write) -> Result<()> {
    let sources = cited(sel);
    writeln!(
        out,
        "% Sources of {} exported event(s), written by spacedip (UTF-8).",
        sel.events.len()
    )?;
    let mut used = HashSet::new();
    for s in sources {
        let base = key_of(&s.id);
        let mut key = base.clone();
        let mut n = 2;
        while !used.insert(key.clone()) {
            key = format!("{base}-{n}");
            n += 1;
        }
        let (kind, _) = entry_type(s.source_type);
        writeln!(out)?;
        writeln!(out, "@{kind}{{{key},")?;
        for (name, value) in fields(s) {
            match value {
                Value::Bare(v) => writeln!(out, "  {name} = {v},")?,
                Value::Braced(v) => writeln!(out, "  {name} = {{{v}}},")?,
            }
        }
        writeln!(out, "}}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tex_specials_cannot_break_an_entry() {
        assert_eq!(
            tex("50% of {AT&T} $x_1^2 #1 ~ \\end\n}"),
            "50\\% of \\textbraceleft{}AT\\&T\\textbraceright{} \\$x\\_1\\textasciicircum{}2 \\#1 \\textasciitilde{} \\textbackslash{}end \\textbraceright{}"
        );
        assert_eq!(tex("a {b} c"), "a \\{b\\} c");
        assert_eq!(tex("}{"), "\\textbraceright{}\\textbraceleft{}");
        assert_eq!(key_of("li2023"), "li2023");
        assert_eq!(key_of("a b{c}"), "a_b_c_");
        assert_eq!(verbatim("10.1002/{x}\\"), "10.1002/%7Bx%7D%5C");
    }
}
