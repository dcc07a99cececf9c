//! The detail pane: everything about the selected event, and every source as a full
//! citation with its URL. Lines are built for a width, so the app can measure scrolling.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::fit::{cut, wrap};
use crate::domain::{ActorKind, Precision, Valence};
use crate::export::cite::citation;
use crate::tui::app::App;
use crate::tui::layout::{Extent, Focus};

/// Width of the label column.
const LABEL: usize = 13;

/// The pane's lines at `width` columns.
pub fn lines(app: &App, width: u16) -> Vec<Line<'static>> {
    let t = app.theme;
    let width = usize::from(width).max(LABEL + 10);
    let Some(found) = app.selected_event() else {
        return vec![Line::styled("No event selected.", t.dim())];
    };
    let e = &found.event;
    let c = &app.catalog;
    let mut out: Vec<Line<'static>> = Vec::new();
    let strong = t.heading();
    for l in wrap(&format!("{}  {}", e.id, e.title), width) {
        out.push(Line::styled(l, strong));
    }
    let field = |out: &mut Vec<Line<'static>>, label: &str, value: Vec<Span<'static>>| {
        let mut spans = vec![Span::styled(format!("{label:<LABEL$}"), t.dim())];
        spans.extend(value);
        out.push(Line::from(spans));
    };
    let precision = match e.date.precision() {
        Precision::Day => "known to the day",
        Precision::Month => "known to the month",
        Precision::Year => "known to the year",
    };
    let date = match e.end_date {
        Some(end) => format!("{} to {} ({precision})", e.date.human(), end.human()),
        None => format!("{} ({precision})", e.date.human()),
    };
    field(&mut out, "Date", vec![Span::raw(date)]);
    let programme = c
        .programme(&e.programme)
        .map_or(String::new(), |p| format!(" · {}", p.name));
    let room = width - LABEL;
    field(
        &mut out,
        "Programme",
        vec![Span::raw(cut(&format!("{}{programme}", e.programme), room))],
    );
    field(
        &mut out,
        "Channel",
        vec![
            Span::styled(e.channel.glyph().to_string(), t.channel(e.channel)),
            Span::raw(format!(" {}", e.channel.label())),
        ],
    );
    field(
        &mut out,
        "Kind",
        vec![Span::raw(e.kind.label().to_string())],
    );
    if e.valence != Valence::Cooperation {
        // Not counted by the measures: said where the reader looks first.
        field(
            &mut out,
            "Valence",
            vec![Span::styled(
                cut(&format!("{} (not counted as cooperation)", e.valence), room),
                t.error(),
            )],
        );
    }
    if let Some(v) = &e.venue {
        let name = c
            .institution(v)
            .map_or(String::new(), |i| format!(" · {}", i.name));
        field(
            &mut out,
            "Venue",
            vec![Span::raw(cut(&format!("{v}{name}"), room))],
        );
    }
    if let Some(f) = &e.follows {
        field(
            &mut out,
            "Follows",
            vec![Span::raw(cut(
                &format!("{f} (earlier act of the same instrument)"),
                room,
            ))],
        );
    }
    if let Some(hit) = &found.hit {
        let names: Vec<&str> = hit.fields.iter().map(|f| f.name()).collect();
        field(
            &mut out,
            "Matched in",
            vec![Span::styled(names.join(", "), t.matched())],
        );
    }
    let indent = " ".repeat(LABEL);
    let block = |out: &mut Vec<Line<'static>>, label: &str, items: Vec<String>| {
        for (i, item) in items.into_iter().enumerate() {
            for (j, l) in wrap(&item, room).into_iter().enumerate() {
                let head = if i == 0 && j == 0 {
                    Span::styled(format!("{label:<LABEL$}"), t.dim())
                } else {
                    Span::raw(indent.clone())
                };
                out.push(Line::from(vec![head, Span::raw(l)]));
            }
        }
    };
    let partners: Vec<String> = e
        .parties
        .iter()
        .map(|p| {
            let a = c.actor(&p.actor);
            let name = a.map_or("(unknown actor)", |a| a.name.as_str());
            let what = match a {
                Some(a) if a.kind == ActorKind::State => "state".to_string(),
                Some(a) => {
                    let kind = a.kind.as_str().replace('_', " ");
                    match &a.country {
                        Some(cn) => format!("{kind}, {cn}"),
                        None => kind,
                    }
                }
                None => String::new(),
            };
            let claimed = if p.is_claimed() {
                " · claimed, not counted"
            } else {
                ""
            };
            format!("{} {name} ({what}) as {}{claimed}", p.actor, p.role)
        })
        .collect();
    block(&mut out, "Partners", partners);
    let institutions: Vec<String> = e
        .institutions
        .iter()
        .map(|i| match c.institution(i) {
            Some(inst) => format!("{i} {}", inst.name),
            None => i.clone(),
        })
        .collect();
    if !institutions.is_empty() {
        block(&mut out, "Institutions", institutions);
    }
    if !e.summary.is_empty() {
        block(&mut out, "Summary", vec![e.summary.clone()]);
    }
    if !e.notes.is_empty() {
        block(&mut out, "Notes", vec![e.notes.clone()]);
    }
    out.push(Line::from(vec![
        Span::styled(format!("{:<LABEL$}", "Sources"), t.dim()),
        Span::styled(
            cut("←/→ choose · y copy citation · U copy URL", room),
            t.dim(),
        ),
    ]));
    for (i, r) in e.sources.iter().enumerate() {
        let mut text = match app.source_record(&r.source) {
            Some(s) => citation(s),
            None if app.sources_pending() => format!("{} (reading the sources…)", r.source),
            None => format!("{} (missing from the database)", r.source),
        };
        if let Some(l) = &r.locator {
            text.push_str(&format!(" [{l}]"));
        }
        let chosen = i == app.source;
        let mark = if chosen { "▶ " } else { "  " };
        let style = if chosen && app.focus == Focus::Detail {
            t.active()
        } else {
            Style::new()
        };
        for (j, l) in wrap(&format!("[{}] {text}", r.source), width - 2)
            .into_iter()
            .enumerate()
        {
            let head = if j == 0 { mark } else { "  " };
            out.push(Line::from(vec![
                Span::styled(head, style),
                Span::styled(l, style),
            ]));
        }
    }
    out
}

/// Draws the pane; returns how far it scrolls.
pub fn render(frame: &mut Frame, area: Rect, app: &App) -> Extent {
    let t = app.theme;
    let focused = app.focus == Focus::Detail;
    let title = match app.selected_event() {
        Some(f) => format!(
            " Detail · {} · {}/{} ",
            cut(&f.event.id, 20),
            app.selected + 1,
            app.count
        ),
        None => " Detail ".to_string(),
    };
    let hint = if focused {
        " [ ] event · Esc close "
    } else {
        " Enter to focus "
    };
    let block = Block::new()
        .borders(Borders::TOP)
        .border_style(if focused { t.focus() } else { t.dim() })
        .title(Line::styled(
            title,
            if focused { t.focus() } else { t.heading() },
        ))
        .title(Line::styled(hint, t.dim()).right_aligned());
    let inner = block.inner(area);
    let lines = lines(app, inner.width);
    let extent = Extent::of(lines.len(), usize::from(inner.height));
    let scroll = app.detail_scroll.min(extent.max);
    let shown: Vec<Line> = lines.into_iter().skip(scroll).collect();
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(shown), inner);
    if app.links {
        let urls = app.selected_event().into_iter().flat_map(|f| {
            f.event
                .sources
                .iter()
                .filter_map(|r| app.source_record(&r.source)?.url.as_deref())
        });
        for url in urls {
            super::links::link(frame.buffer_mut(), inner, url);
        }
    }
    extent
}
