//! A Mermaid `timeline` diagram: a section per programme (in order of first appearance),
//! its events by date, events of the same date on one period line.
//!
//! Mermaid's timeline grammar splits events at `: `, starts comments at `#` and `%%`, ends
//! statements at line breaks, and renders HTML in labels. Every character that could do any
//! of that is written as a Mermaid entity code (`#58;` for `:`), which Mermaid turns back
//! into the character after parsing, so titles keep their punctuation and stay text.

use std::io::Write;

use super::escape::one_line;
use super::prose::{programme_name, selection_summary};
use super::{Options, Selection};
use crate::domain::Event;
use crate::error::Result;

/// Text that Mermaid parses as plain label text: one line, with `: # ; % " ' < > & [ ] { }`
/// and backslash and backtick written as entity codes.
pub fn text(s: &str) -> String {
    let line = one_line(s);
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        match c {
            ':' | '#' | ';' | '%' | '"' | '\'' | '<' | '>' | '&' | '[' | ']' | '{' | '}' | '\\'
            | '`' => out.push_str(&format!("#{};", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The sections: programme id and its events in date order (stable for equal dates).
fn sections(events: &[Event]) -> Vec<(&str, Vec<&Event>)> {
    let mut out: Vec<(&str, Vec<&Event>)> = Vec::new();
    for e in events {
        match out.iter_mut().find(|(p, _)| *p == e.programme) {
            Some((_, list)) => list.push(e),
            None => out.push((&e.programme, vec![e])),
        }
    }
    for (_, list) in &mut out {
        list.sort_by_key(|e| e.date);
    }
    out
}

/// Writes the selection as a Mermaid timeline.
pub fn write(sel: Selection<'_>, options: &Options, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "timeline")?;
    let mut title = format!(
        "Space-cooperation events ({})",
        selection_summary(sel.events)
    );
    if !options.scope.is_empty() {
        title.push_str(&format!(" · {}", options.scope));
    }
    writeln!(out, "    title {}", text(&title))?;
    for (programme, events) in sections(sel.events) {
        let first = events[0];
        writeln!(
            out,
            "    section {}",
            text(&format!(
                "{programme} {}",
                programme_name(first, sel.catalog)
            ))
        )?;
        let mut i = 0;
        while i < events.len() {
            let date = events[i].date;
            let mut line = format!("        {}", text(&date.to_string()));
            while i < events.len() && events[i].date == date {
                let e = events[i];
                line.push_str(&format!(" : {}", text(&format!("{} {}", e.id, e.title))));
                i += 1;
            }
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_characters_become_entity_codes() {
        assert_eq!(
            text("Note: #1; 100% \"q\" <b>[x]</b>\nnext"),
            "Note#58; #35;1#59; 100#37; #34;q#34; #60;b#62;#91;x#93;#60;/b#62; next"
        );
    }
}
