//! TimelineJS3 JSON (timeline.knightlab.com `json-format`): a title slide and one slide per
//! event, grouped in rows by programme.
//!
//! `unique_id` is the event id; dates keep their precision (a month-precision event has
//! `year` and `month` and no invented `day`); `text` carries the summary, channel, partners
//! and source links as escaped HTML. The slides are shared with the spreadsheet CSV.

use std::io::Write;

use serde::Serialize;

use super::escape::html;
use super::prose::{partners, programme_name, selection_summary, source_links, span};
use super::{Options, Selection};
use crate::domain::{Catalog, Channel, Event, PartialDate, Precision};
use crate::error::Result;

/// A TimelineJS date object at the precision the data has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TlDate {
    pub year: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub month: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub day: Option<u32>,
}

impl From<PartialDate> for TlDate {
    fn from(d: PartialDate) -> Self {
        TlDate {
            year: d.year_value(),
            month: d.month_value(),
            day: d.day_value(),
        }
    }
}

/// A slide's text object; both fields are HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TlText {
    pub headline: String,
    pub text: String,
}

/// One event slide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Slide {
    pub start_date: TlDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<TlDate>,
    pub text: TlText,
    pub group: String,
    pub unique_id: String,
}

#[derive(Serialize)]
struct TitleSlide {
    text: TlText,
}

#[derive(Serialize)]
struct Timeline {
    title: TitleSlide,
    events: Vec<Slide>,
}

/// Text as HTML paragraphs-to-be: escaped, line breaks as `<br>`.
fn html_lines(s: &str) -> String {
    html(s.trim()).replace('\n', "<br>")
}

/// The slide body: summary, date precision, channel, partners and source links.
fn body(e: &Event, c: &Catalog) -> String {
    let mut out = String::new();
    if !e.summary.trim().is_empty() {
        out.push_str(&format!("<p>{}</p>", html_lines(&e.summary)));
    }
    let mut facts = format!(
        "<p><strong>Channel:</strong> {} {} · <strong>Kind:</strong> {} · <strong>Programme:</strong> {}",
        e.channel.glyph(),
        html(e.channel.label()),
        html(e.kind.as_str()),
        html(programme_name(e, c))
    );
    if e.date.precision() != Precision::Day {
        facts.push_str(&format!(
            " · <strong>Dated to the {}:</strong> {}",
            e.date.precision(),
            html(&span(e))
        ));
    }
    facts.push_str("</p>");
    out.push_str(&facts);
    let p = partners(e, c);
    if !p.is_empty() {
        out.push_str(&format!(
            "<p><strong>Partners:</strong> {}</p>",
            html(&p.join(", "))
        ));
    }
    let links: Vec<String> = source_links(e, c)
        .into_iter()
        .map(|s| match s.url {
            Some(u) => format!(
                "<a href=\"{}\" target=\"_blank\" rel=\"noopener noreferrer\">{}</a>",
                html(&u),
                html(&s.label)
            ),
            None => html(&s.label),
        })
        .collect();
    if !links.is_empty() {
        out.push_str(&format!(
            "<p><strong>Sources:</strong> {}</p>",
            links.join("; ")
        ));
    }
    out
}

/// A row label free of markup. TimelineJS 3.9 strips markup from `group` (HTML to text) and
/// then inserts the result as HTML, so an escaped `&lt;img …&gt;` would come back to life.
/// Angle brackets become lookalikes and an `&` that could start a character reference
/// becomes `＆`, which display the same in every TimelineJS version and never parse; a
/// lone `&` (`R & D`) is harmless and stays.
fn group_label(name: &str) -> String {
    let line = super::escape::one_line(name);
    let chars: Vec<char> = line.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| match c {
            '<' => '‹',
            '>' => '›',
            '&' if chars
                .get(i + 1)
                .is_some_and(|n| n.is_alphanumeric() || *n == '#') =>
            {
                '＆'
            }
            c => c,
        })
        .collect()
}

/// The event slides, in the selection's order (TimelineJS orders them by date itself).
pub fn slides(sel: Selection<'_>) -> Vec<Slide> {
    sel.events
        .iter()
        .map(|e| Slide {
            start_date: e.date.into(),
            end_date: e.end_date.filter(|d| *d != e.date).map(Into::into),
            text: TlText {
                headline: html(&super::escape::one_line(&e.title)),
                text: body(e, sel.catalog),
            },
            group: group_label(programme_name(e, sel.catalog)),
            unique_id: e.id.clone(),
        })
        .collect()
}

/// The title slide: what the timeline holds and how to read it.
pub fn title(sel: Selection<'_>, options: &Options) -> TlText {
    let mut text = format!("<p>{}.", html(&selection_summary(sel.events)));
    if !options.scope.is_empty() {
        text.push_str(&format!(
            " Selection: <code>{}</code>.",
            html(&options.scope)
        ));
    }
    text.push_str("</p>");
    let legend: Vec<String> = Channel::ALL
        .iter()
        .map(|c| format!("{} {}", c.glyph(), html(c.label())))
        .collect();
    text.push_str(&format!(
        "<p>One row per programme. Channels: {}.</p>",
        legend.join(", ")
    ));
    text.push_str("<p>Exported from spacedip; every slide links its sources.</p>");
    TlText {
        headline: "Space-cooperation events".to_string(),
        text,
    }
}

/// Writes the selection as a TimelineJS3 JSON document.
pub fn write(sel: Selection<'_>, options: &Options, out: &mut dyn Write) -> Result<()> {
    let doc = Timeline {
        title: TitleSlide {
            text: title(sel, options),
        },
        events: slides(sel),
    };
    super::json_out::pretty(out, &doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_labels_cannot_become_markup() {
        assert_eq!(group_label("R & D"), "R & D");
        assert_eq!(group_label("AT&T <b>x</b> &lt;"), "AT＆T ‹b›x‹/b› ＆lt;");
        assert_eq!(group_label("a\nb &#60;"), "a b ＆#60;");
    }
}
