//! Markdown (CommonMark with GitHub tables): a timeline table for a paper or a README, with a
//! link to every source, then the full citations.
//!
//! Data is escaped so that it renders as text: Markdown punctuation and HTML are
//! backslash-escaped, pipes cannot split a cell, line breaks cannot end a row, and only
//! `http(s)` URLs become links.

use std::io::Write;

use super::cite::citation;
use super::escape::one_line;
use super::prose::{partners, selection_summary, source_links, span};
use super::sources::cited;
use super::{Options, Selection};
use crate::error::Result;
use crate::progress::Progress;

/// Text that renders as itself in a paragraph or a table cell.
pub fn md(s: &str) -> String {
    let line = one_line(s);
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '$' | '#' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A link `[text](<url>)`, or the text alone when there is no safe URL. The angle-bracket
/// form lets parentheses in URLs through; `safe_url` has encoded `<`, `>` and spaces.
fn link(text: &str, url: Option<&str>) -> String {
    match url {
        Some(u) => format!("[{}](<{u}>)", md(text)),
        None => md(text),
    }
}

/// Writes the selection as a Markdown document; `progress` advances by one per table row.
pub fn write(
    sel: Selection<'_>,
    options: &Options,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<()> {
    writeln!(out, "# Space-cooperation events")?;
    writeln!(out)?;
    let mut intro = format!("{}.", md(&selection_summary(sel.events)));
    if !options.scope.is_empty() {
        intro.push_str(&format!(" Selection: {}.", md(&options.scope)));
    }
    intro.push_str(" Exported from spacedip; cite each event's own sources.");
    writeln!(out, "{intro}")?;
    writeln!(out)?;
    if sel.events.is_empty() {
        writeln!(out, "No events matched the selection.")?;
        return Ok(());
    }
    writeln!(
        out,
        "| Date | Event | Programme | Channel | Partners | Sources |"
    )?;
    writeln!(out, "| --- | --- | --- | --- | --- | --- |")?;
    for e in sel.events {
        let sources: Vec<String> = source_links(e, sel.catalog)
            .iter()
            .map(|s| link(&s.id, s.url.as_deref()))
            .collect();
        writeln!(
            out,
            "| {} | **{}** ({}) | {} | {} {}{} | {} | {} |",
            md(&span(e)),
            md(&e.title),
            md(&e.id),
            md(&e.programme),
            e.channel.glyph(),
            e.channel.label(),
            // Not cooperation: said beside the channel, where a reader of the timeline looks.
            if e.valence == crate::domain::Valence::Cooperation {
                String::new()
            } else {
                format!(" · {}", e.valence)
            },
            md(&partners(e, sel.catalog).join(", ")),
            sources.join(", ")
        )?;
        progress.advance(1);
    }
    let cited = cited(sel);
    if !cited.is_empty() {
        writeln!(out)?;
        writeln!(out, "## Sources")?;
        writeln!(out)?;
        for s in cited {
            let url = s.url.as_deref().and_then(super::escape::safe_url);
            let mut cite = s.clone();
            cite.url = None;
            let tail = url.map_or(String::new(), |u| format!(" <{u}>"));
            writeln!(out, "- **{}**: {}{tail}", md(&s.id), md(&citation(&cite)))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_data_renders_as_text() {
        assert_eq!(
            md("<script>x</script> | *a* [b](c) `d`\nnext"),
            "\\<script\\>x\\</script\\> \\| \\*a\\* \\[b\\](c) \\`d\\` next"
        );
        assert_eq!(link("t", None), "t");
        assert_eq!(
            link("t", Some("https://e.org/a_(b)")),
            "[t](<https://e.org/a_(b)>)"
        );
    }
}
