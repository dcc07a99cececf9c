//! iCalendar (RFC 5545): one all-day `VEVENT` per event, for calendar programs.
//!
//! `DTSTART;VALUE=DATE` and an exclusive `DTEND;VALUE=DATE`. A month- or year-precision event
//! spans its whole month or year, and says so in `DESCRIPTION` and `X-SPACEDIP-PRECISION`.
//! Lines end in CRLF and are folded at 75 octets without splitting a UTF-8 sequence; TEXT
//! values are escaped. `DTSTAMP` is [`Options::now`].
//!
//! RFC 5545's grammar wants at least one component in a calendar, so an empty selection
//! gives a calendar holding a single `X-SPACEDIP-EMPTY` component, which calendar programs
//! ignore.

use std::io::Write;

use chrono::NaiveDate;

use super::cite::citation;
use super::escape::{clean, one_line, safe_url};
use super::prose::{institutions, long_date, partners, precision_note, programme_name, span};
use super::{Options, Selection};
use crate::domain::{Catalog, Event};
use crate::error::Result;
use crate::progress::Progress;

/// The most octets on one line, CRLF excluded (RFC 5545 §3.1).
const FOLD_AT: usize = 75;

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks.
pub fn text(s: &str) -> String {
    let cleaned = clean(s);
    let mut out = String::with_capacity(cleaned.len() + 8);
    for c in cleaned.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// A content line folded at 75 octets: continuation lines start with one space. Splits
/// only between characters, so a multi-byte UTF-8 sequence is never cut.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / FOLD_AT * 3 + 2);
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > FOLD_AT {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
    out
}

struct Lines<'w> {
    out: &'w mut dyn Write,
}

impl Lines<'_> {
    /// Writes `NAME:VALUE` (the value already escaped for its type), folded.
    fn put(&mut self, name: &str, value: &str) -> Result<()> {
        self.out
            .write_all(fold(&format!("{name}:{value}")).as_bytes())?;
        Ok(())
    }
}

fn date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

fn description(e: &Event, c: &Catalog) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !e.summary.is_empty() {
        parts.push(e.summary.clone());
    }
    let mut facts = vec![
        format!("Date: {} (precision: {})", span(e), precision_note(e)),
        format!("Programme: {} ({})", e.programme, programme_name(e, c)),
        format!("Channel: {}", e.channel.label()),
        format!("Kind: {}", e.kind),
    ];
    let p = partners(e, c);
    if !p.is_empty() {
        facts.push(format!("Partners: {}", p.join(", ")));
    }
    let i = institutions(e, c);
    if !i.is_empty() {
        facts.push(format!("Institutions: {}", i.join(", ")));
    }
    parts.push(facts.join("\n"));
    if !e.sources.is_empty() {
        let lines: Vec<String> = e
            .sources
            .iter()
            .map(|r| {
                let cite = c.source(&r.source).map_or(r.source.clone(), citation);
                match &r.locator {
                    Some(l) => format!("- {cite} [{l}]"),
                    None => format!("- {cite}"),
                }
            })
            .collect();
        parts.push(format!("Sources:\n{}", lines.join("\n")));
    }
    if !e.notes.is_empty() {
        parts.push(format!("Notes: {}", e.notes));
    }
    parts.join("\n\n")
}

fn write_event(l: &mut Lines<'_>, e: &Event, c: &Catalog, stamp: &str) -> Result<()> {
    let start = e.date.first_day();
    let last = e.last_date().last_day().max(start);
    let end = last.succ_opt().unwrap_or(last);
    l.put("BEGIN", "VEVENT")?;
    l.put("UID", &text(&format!("{}@spacedip", e.id)))?;
    l.put("DTSTAMP", stamp)?;
    l.put("DTSTART;VALUE=DATE", &date(start))?;
    l.put("DTEND;VALUE=DATE", &date(end))?;
    l.put("SUMMARY", &text(&one_line(&e.title)))?;
    l.put("DESCRIPTION", &text(&description(e, c)))?;
    let categories = [e.programme.as_str(), e.channel.as_str(), e.kind.as_str()]
        .map(text)
        .join(",");
    l.put("CATEGORIES", &categories)?;
    let url = e
        .sources
        .iter()
        .filter_map(|r| c.source(&r.source)?.url.as_deref())
        .find_map(safe_url);
    if let Some(u) = url {
        l.put("URL", &u)?;
    }
    l.put("TRANSP", "TRANSPARENT")?;
    l.put("X-SPACEDIP-PRECISION", e.date.precision().as_str())?;
    l.put("X-SPACEDIP-DATE", &text(&long_date(e.date)))?;
    l.put("END", "VEVENT")
}

/// Writes the selection as a calendar; `progress` advances by one per `VEVENT`.
pub fn write(
    sel: Selection<'_>,
    options: &Options,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<()> {
    let stamp = options.now.format("%Y%m%dT%H%M%SZ").to_string();
    let mut l = Lines { out };
    l.put("BEGIN", "VCALENDAR")?;
    l.put("VERSION", "2.0")?;
    l.put("PRODID", "-//spacedip//spacedip events//EN")?;
    l.put("CALSCALE", "GREGORIAN")?;
    let name = if options.scope.is_empty() {
        "spacedip: space-cooperation events".to_string()
    } else {
        format!("spacedip: {}", options.scope)
    };
    l.put("X-WR-CALNAME", &text(&name))?;
    for e in sel.events {
        write_event(&mut l, e, sel.catalog, &stamp)?;
        progress.advance(1);
    }
    if sel.events.is_empty() {
        l.put("BEGIN", "X-SPACEDIP-EMPTY")?;
        l.put("X-SPACEDIP-NOTE", "No events matched the selection.")?;
        l.put("END", "X-SPACEDIP-EMPTY")?;
    }
    l.put("END", "VCALENDAR")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(text("a;b,c\\d\r\ne\x07"), "a\\;b\\,c\\\\d\\ne\u{fffd}");
    }

    #[test]
    fn folding_keeps_utf8_whole_and_lines_short() {
        let line = format!("SUMMARY:{}", "中国航天局".repeat(12));
        let folded = fold(&line);
        assert!(folded.ends_with("\r\n"));
        for l in folded.trim_end_matches("\r\n").split("\r\n") {
            assert!(l.len() <= FOLD_AT, "{} octets: {l}", l.len());
        }
        let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
        assert_eq!(fold("SHORT:x"), "SHORT:x\r\n");
        let exact = "X".repeat(75);
        assert_eq!(fold(&exact), format!("{exact}\r\n"));
        assert_eq!(
            fold(&"X".repeat(76)),
            format!("{}\r\n X\r\n", "X".repeat(75))
        );
    }
}
