//! Plain-text pieces that several exports share: precision-aware dates, partner lists with
//! roles, programme names and the sources behind an event. Unescaped: each format escapes.

use crate::domain::{Catalog, Event, PartialDate, Precision};

use super::escape::safe_url;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date at its own precision: `9 March 2021`, `March 2021` or `2021`; never an invented day.
pub fn long_date(d: PartialDate) -> String {
    let month = d
        .month_value()
        .and_then(|m| MONTHS.get(m as usize - 1).copied());
    match (month, d.day_value()) {
        (Some(m), Some(day)) => format!("{day} {m} {}", d.year_value()),
        (Some(m), None) => format!("{m} {}", d.year_value()),
        _ => d.year_value().to_string(),
    }
}

/// The event's date, or its span when it has an end: `March 2021 – June 2022`.
pub fn span(e: &Event) -> String {
    match e.end_date {
        Some(end) if end != e.date => format!("{} – {}", long_date(e.date), long_date(end)),
        _ => long_date(e.date),
    }
}

/// How precisely the event is dated, in words for descriptions.
pub fn precision_note(e: &Event) -> String {
    let p = e.date.precision();
    match p {
        Precision::Day => "day".to_string(),
        Precision::Month | Precision::Year => format!(
            "{} (the exact day is not known; calendar entries span the whole {})",
            p.as_str(),
            p.as_str()
        ),
    }
}

/// The programme's name, or its id when the catalog lacks it.
pub fn programme_name<'a>(e: &'a Event, c: &'a Catalog) -> &'a str {
    c.programme(&e.programme)
        .map_or(e.programme.as_str(), |p| p.name.as_str())
}

/// Each party as `Name (role)`, in the event's order.
pub fn partners(e: &Event, c: &Catalog) -> Vec<String> {
    e.parties
        .iter()
        .map(|p| {
            let name = c
                .actor(&p.actor)
                .map_or(p.actor.as_str(), |a| a.name.as_str());
            if p.is_claimed() {
                format!("{name} ({}, claimed)", p.role)
            } else {
                format!("{name} ({})", p.role)
            }
        })
        .collect()
}

/// The names of the institutions the event runs through.
pub fn institutions(e: &Event, c: &Catalog) -> Vec<String> {
    e.institutions
        .iter()
        .map(|i| c.institution(i).map_or(i.clone(), |i| i.name.clone()))
        .collect()
}

/// One source behind an event, ready for a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLink {
    /// The source id.
    pub id: String,
    /// The source's title (its id when the catalog lacks it), with the locator if any.
    pub label: String,
    /// A safe `http(s)` URL, when the source has one.
    pub url: Option<String>,
}

/// The sources of an event, in the event's order.
pub fn source_links(e: &Event, c: &Catalog) -> Vec<SourceLink> {
    e.sources
        .iter()
        .map(|r| {
            let s = c.source(&r.source);
            let title = s.map_or(r.source.as_str(), |s| s.title.as_str());
            let label = match &r.locator {
                Some(l) => format!("{title}, {l}"),
                None => title.to_string(),
            };
            SourceLink {
                id: r.source.clone(),
                label,
                url: s.and_then(|s| s.url.as_deref()).and_then(safe_url),
            }
        })
        .collect()
}

/// The first date and the last date the events stand for.
pub fn date_range(events: &[Event]) -> Option<(PartialDate, PartialDate)> {
    let first = events.iter().map(|e| e.date).min()?;
    let last = events
        .iter()
        .map(Event::last_date)
        .max_by_key(|d| d.last_day())?;
    Some((first, last))
}

/// A one-line summary of a selection: `4 events, March 2021 – September 2022`.
pub fn selection_summary(events: &[Event]) -> String {
    let n = events.len();
    let noun = if n == 1 { "event" } else { "events" };
    match date_range(events) {
        Some((a, b)) if a == b => format!("{n} {noun}, {}", long_date(a)),
        Some((a, b)) => format!("{n} {noun}, {} – {}", long_date(a), long_date(b)),
        None => format!("{n} {noun}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        s.parse().unwrap()
    }

    #[test]
    fn dates_keep_their_precision() {
        assert_eq!(long_date(d("2021-03-09")), "9 March 2021");
        assert_eq!(long_date(d("2021-03")), "March 2021");
        assert_eq!(long_date(d("2021")), "2021");
    }
}
