//! Human output of the CLI: aligned tables and the text form of one event.

use std::io::Write;

use crate::domain::{Catalog, Column, Event};
use crate::error::Result;
use crate::export::cite::citation;
use crate::metrics::ChannelCounts;
use crate::text::{inert, pad, truncate, width};

/// The narrowest the flexible column (a title, a name) may get before columns are hidden.
const MIN_FLEX: usize = 24;

/// Writes a table that fits `width` columns (a terminal's), hiding the columns of `droppable`
/// (indices, least needed first) until it does; returns the names of those hidden, for a
/// hint. Without a width (piped output, `--wide`) every column is written.
pub fn write_table_fitted(
    out: &mut dyn Write,
    header: &[&str],
    rows: &[Vec<String>],
    flex: usize,
    width: Option<usize>,
    droppable: &[usize],
) -> Result<Vec<String>> {
    let Some(max) = width else {
        write_table(out, header, rows, flex, None)?;
        return Ok(Vec::new());
    };
    let natural = |i: usize| -> usize {
        rows.iter()
            .map(|r| crate::text::width(&r[i]))
            .chain([crate::text::width(header[i])])
            .max()
            .unwrap_or(0)
    };
    let mut keep: Vec<usize> = (0..header.len()).collect();
    let needed = |keep: &[usize]| -> usize {
        keep.iter()
            .map(|&i| if i == flex { natural(i).min(MIN_FLEX) } else { natural(i) } + 2)
            .sum::<usize>()
            .saturating_sub(2)
    };
    let mut hidden = Vec::new();
    for &d in droppable {
        if needed(&keep) <= max {
            break;
        }
        keep.retain(|&i| i != d);
        hidden.push(header[d].to_string());
    }
    let pick = |cells: &[String]| keep.iter().map(|&i| cells[i].clone()).collect::<Vec<_>>();
    let head: Vec<&str> = keep.iter().map(|&i| header[i]).collect();
    let body: Vec<Vec<String>> = rows.iter().map(|r| pick(r)).collect();
    let flex_at = keep.iter().position(|&i| i == flex).unwrap_or(0);
    write_table(out, &head, &body, flex_at, Some(max))?;
    Ok(hidden)
}

/// One line on stderr, after the table, about columns hidden to fit the terminal.
pub fn hidden_hint(out: &mut dyn Write, hidden: &[String], width: Option<usize>) -> Result<()> {
    let (false, Some(w)) = (hidden.is_empty(), width) else {
        return Ok(());
    };
    out.flush()?;
    eprintln!("{}", hidden_line(hidden, w));
    Ok(())
}

/// The line that names the hidden columns: all of them when they fit in `w` columns, else as
/// many as fit and how many more.
fn hidden_line(hidden: &[String], w: usize) -> String {
    let line =
        |names: &str| format!("spacedip: {names} hidden to fit {w} columns (--wide shows all)");
    let all = line(&hidden.join(", "));
    if crate::text::width(&all) <= w {
        return all;
    }
    for shown in (1..hidden.len()).rev() {
        let more = hidden.len() - shown;
        let candidate = line(&format!("{} and {more} more", hidden[..shown].join(", ")));
        if crate::text::width(&candidate) <= w {
            return candidate;
        }
    }
    let n = hidden.len();
    let noun = if n == 1 { "column" } else { "columns" };
    line(&format!("{n} {noun}"))
}

/// The widest the flexible column of a table gets, terminal or not.
const MAX_FLEX: usize = 200;

/// Writes rows as aligned columns; the column marked `flex` is cut to fit `max_width`.
pub fn write_table(
    out: &mut dyn Write,
    header: &[&str],
    rows: &[Vec<String>],
    flex: usize,
    max_width: Option<usize>,
) -> Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(width(c));
        }
    }
    // Off a terminal nothing sets a width, but one 60,000-character title should not pad every
    // row to it: the table format caps its flexible column (CSV and JSON stay complete).
    let max = max_width.unwrap_or(usize::MAX);
    let others: usize = widths
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != flex)
        .map(|(_, w)| w + 2)
        .sum();
    widths[flex] = widths[flex]
        .min(max.saturating_sub(others).max(12))
        .min(MAX_FLEX);
    let line = |cells: Vec<String>| -> String {
        let last = cells.len() - 1;
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let c = truncate(c, widths[i]);
                if i == last {
                    c
                } else {
                    pad(&c, widths[i])
                }
            })
            .collect();
        parts.join("  ").trim_end().to_string()
    };
    writeln!(
        out,
        "{}",
        line(header.iter().map(|h| h.to_string()).collect())
    )?;
    for r in rows {
        writeln!(out, "{}", line(r.iter().map(|c| inert(c)).collect()))?;
    }
    Ok(())
}

/// The partners of an event as a short list of ids.
pub fn partners(e: &Event) -> String {
    e.parties
        .iter()
        .map(|p| p.actor.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Events as a table; on a terminal, channels read short (`◆ UN`) and the least needed
/// columns give way to the title. The events may come one at a time: only the cells of the
/// columns are kept, as the columns' widths are known after the last (a million events in a few
/// hundred megabytes, not whole events in gigabytes); an error ends the table unwritten.
pub fn write_events<E: std::borrow::Borrow<Event>>(
    out: &mut dyn Write,
    events: impl Iterator<Item = Result<E>>,
    chosen: &[Column],
    max_width: Option<usize>,
) -> Result<()> {
    const DEFAULT: [Column; 7] = [
        Column::Id,
        Column::Date,
        Column::Programme,
        Column::Channel,
        Column::Kind,
        Column::Title,
        Column::Partners,
    ];
    let columns: &[Column] = if chosen.is_empty() { &DEFAULT } else { chosen };
    let cell = |e: &Event, c: Column| match c {
        Column::Id => e.id.clone(),
        Column::Date => e.date.human(),
        Column::Programme => e.programme.clone(),
        Column::Channel if max_width.is_some() => {
            format!("{} {}", e.channel.glyph(), e.channel.short())
        }
        Column::Channel => format!("{} {}", e.channel.glyph(), e.channel.as_str()),
        Column::Kind => e.kind.label().to_string(),
        Column::Valence => e.valence.to_string(),
        Column::Title => e.title.clone(),
        Column::Partners => truncate(&partners(e), 40),
    };
    let rows: Vec<Vec<String>> = events
        .map(|e| e.map(|e| columns.iter().map(|&c| cell(e.borrow(), c)).collect()))
        .collect::<Result<_>>()?;
    let names: Vec<String> = columns
        .iter()
        .map(|c| c.as_str().to_ascii_uppercase())
        .collect();
    let header: Vec<&str> = names.iter().map(String::as_str).collect();
    // The title takes the room left (else the last column); partners, then the kind give way
    // first on a narrow terminal, then the other chosen columns from the right, never the
    // first.
    let at = |c: Column| columns.iter().position(|x| *x == c);
    let flex = at(Column::Title).unwrap_or(columns.len() - 1);
    let mut droppable: Vec<usize> = [Column::Partners, Column::Kind, Column::Programme]
        .into_iter()
        .filter_map(at)
        .collect();
    if !chosen.is_empty() {
        let rest: Vec<usize> = (1..columns.len())
            .rev()
            .filter(|i| *i != flex && !droppable.contains(i))
            .collect();
        droppable.extend(rest);
    }
    let hidden = write_table_fitted(out, &header, &rows, flex, max_width, &droppable)?;
    hidden_hint(out, &hidden, max_width)
}

/// The columns of the per-programme channel counts (lower case in CSV, upper in tables).
pub const COUNT_COLUMNS: [&str; 7] = [
    "programme",
    "name",
    "events",
    "un_multilateral",
    "other_multilateral",
    "bilateral",
    "national",
];

/// One programme's counts, in `COUNT_COLUMNS` order.
pub fn count_row(c: &ChannelCounts) -> Vec<String> {
    vec![
        c.programme.clone(),
        c.name.clone(),
        c.events.to_string(),
        c.un_multilateral.to_string(),
        c.other_multilateral.to_string(),
        c.bilateral.to_string(),
        c.national.to_string(),
    ]
}

/// Counts per programme and channel as a table, with a total row.
pub fn write_counts(
    out: &mut dyn Write,
    counts: &[ChannelCounts],
    max_width: Option<usize>,
) -> Result<()> {
    let mut rows: Vec<Vec<String>> = counts.iter().map(count_row).collect();
    let sum = |f: fn(&ChannelCounts) -> usize| counts.iter().map(f).sum::<usize>().to_string();
    rows.push(vec![
        "TOTAL".into(),
        String::new(),
        sum(|c| c.events),
        sum(|c| c.un_multilateral),
        sum(|c| c.other_multilateral),
        sum(|c| c.bilateral),
        sum(|c| c.national),
    ]);
    let header: Vec<String> = COUNT_COLUMNS.iter().map(|c| c.to_uppercase()).collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let hidden = write_table_fitted(out, &header, &rows, 1, max_width, &[1])?;
    hidden_hint(out, &hidden, max_width)
}

/// One event in full, as text; `followers` are the later acts of the same instrument.
pub fn write_event(
    out: &mut dyn Write,
    e: &Event,
    c: &Catalog,
    followers: &[String],
) -> Result<()> {
    let programme = c
        .programme(&e.programme)
        .map_or(String::new(), |p| format!(" ({})", p.name));
    writeln!(out, "{}  {}", e.id, inert(&e.title))?;
    let date = match e.end_date {
        Some(end) => format!("{} to {} ({} precision)", e.date, end, e.date.precision()),
        None => format!("{} ({} precision)", e.date, e.date.precision()),
    };
    writeln!(out, "Date:         {date}")?;
    writeln!(out, "Programme:    {}{}", e.programme, inert(&programme))?;
    writeln!(
        out,
        "Channel:      {} {}",
        e.channel.glyph(),
        e.channel.label()
    )?;
    writeln!(out, "Kind:         {} ({})", e.kind.label(), e.kind)?;
    if e.valence != crate::domain::Valence::Cooperation {
        writeln!(
            out,
            "Valence:      {} (not counted as cooperation by the measures)",
            e.valence
        )?;
    }
    if let Some(v) = &e.venue {
        let name = c.institution(v).map_or("?", |i| i.name.as_str());
        writeln!(out, "Venue:        {v} ({})", inert(name))?;
    }
    if let Some(f) = &e.follows {
        writeln!(
            out,
            "Follows:      {f} (earlier act of the same instrument)"
        )?;
    }
    if !followers.is_empty() {
        writeln!(out, "Followed by:  {}", inert(&followers.join(", ")))?;
    }
    if !e.summary.is_empty() {
        writeln!(out, "Summary:      {}", inert(&e.summary))?;
    }
    if !e.notes.is_empty() {
        writeln!(out, "Notes:        {}", inert(&e.notes))?;
    }
    writeln!(out, "Partners:")?;
    for p in &e.parties {
        let a = c.actor(&p.actor);
        let name = a.map_or("?", |a| a.name.as_str());
        let country = match (a.map(|a| a.kind), c.state_of(&p.actor)) {
            (Some(crate::domain::ActorKind::State), _) | (_, None) => String::new(),
            (_, Some(s)) => format!(", {s}"),
        };
        let claimed = if p.is_claimed() {
            " [claimed: named only by others; not counted]"
        } else {
            ""
        };
        writeln!(
            out,
            "  - {} ({}{}) as {}{claimed}",
            p.actor,
            inert(name),
            country,
            p.role
        )?;
    }
    if !e.institutions.is_empty() {
        writeln!(out, "Institutions:")?;
        for i in &e.institutions {
            let name = c.institution(i).map_or("?", |i| i.name.as_str());
            writeln!(out, "  - {i} ({})", inert(name))?;
        }
    }
    writeln!(out, "Sources:")?;
    for s in &e.sources {
        let cite = c
            .source(&s.source)
            .map_or_else(|| s.source.clone(), citation);
        let locator = s
            .locator
            .as_ref()
            .map_or(String::new(), |l| format!(" [{l}]"));
        writeln!(
            out,
            "  - [{}] {}{}",
            s.source,
            inert(&cite),
            inert(&locator)
        )?;
    }
    Ok(())
}

/// A ratio for reading: `decimals` places, `-` when undefined.
pub(super) fn fixed(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{v:.decimals$}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_columns_are_named_as_far_as_the_line_allows() {
        let hidden: Vec<String> = ["UN_SHARE", "ML_SHARE", "BI_SHARE", "NAT_SHARE"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            hidden_line(&hidden, 120),
            "spacedip: UN_SHARE, ML_SHARE, BI_SHARE, NAT_SHARE hidden to fit 120 columns (--wide shows all)"
        );
        assert_eq!(
            hidden_line(&hidden, 84),
            "spacedip: UN_SHARE, ML_SHARE and 2 more hidden to fit 84 columns (--wide shows all)"
        );
        assert_eq!(
            hidden_line(&hidden, 80),
            "spacedip: UN_SHARE and 3 more hidden to fit 80 columns (--wide shows all)"
        );
        assert_eq!(
            hidden_line(&hidden, 40),
            "spacedip: 4 columns hidden to fit 40 columns (--wide shows all)"
        );
    }

    /// A table of events that come one at a time is the table of the events held; an event
    /// that cannot be read fails it before a line is written.
    #[test]
    fn a_table_of_streamed_events_is_the_table_of_held_ones_or_nothing() {
        let db = crate::db::Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let events = db
            .events(&crate::domain::Filter::default(), &catalog)
            .unwrap();
        let table = |events: &mut dyn Iterator<Item = Result<Event>>| {
            let mut out = Vec::new();
            let written = write_events(&mut out, events, &[], Some(100));
            (written.map_err(|e| e.to_string()), out)
        };
        let mut held_out = Vec::new();
        write_events(&mut held_out, events.iter().map(Ok), &[], Some(100)).unwrap();
        let (written, streamed) = table(&mut events.iter().cloned().map(Ok));
        assert_eq!(written, Ok(()));
        assert_eq!(streamed, held_out);
        assert!(String::from_utf8(streamed).unwrap().lines().count() > events.len());
        let mut failing = events
            .iter()
            .cloned()
            .map(Ok)
            .take(5)
            .chain(std::iter::once(Err(crate::error::Error::Internal(
                "the disk went away".into(),
            ))));
        let (written, out) = table(&mut failing);
        assert!(written.unwrap_err().contains("the disk went away"));
        assert!(out.is_empty());
    }
}
