//! The events table: date at its precision, programme, channel (glyph and colour), kind,
//! title with search matches highlighted, and partners. Columns narrow, then drop, as the
//! terminal narrows.

use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};
use ratatui::Frame;

use super::fit::{cut, highlighted};
use super::theme::channel_short;
use crate::domain::Column;
use crate::domain::SortOrder;
use crate::tui::app::App;
use crate::tui::layout::{columns, Col, Focus, WIDE_TABLE};

/// A column's heading; short names when the table is narrow.
fn heading(col: Col, wide: bool) -> &'static str {
    match col {
        Col::Marker => "",
        Col::Data(Column::Id) => "ID",
        Col::Data(Column::Date) => "Date",
        Col::Data(Column::Programme) if wide => "Programme",
        Col::Data(Column::Programme) => "Prog",
        Col::Data(Column::Channel) => "Channel",
        Col::Data(Column::Kind) => "Kind",
        Col::Data(Column::Valence) => "Valence",
        Col::Data(Column::Title) => "Title",
        Col::Data(Column::Partners) => "Partners",
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = app.theme;
    let cols = columns(area.width, &app.columns);
    let wide = area.width >= WIDE_TABLE;
    let arrow = match app.filter.order {
        SortOrder::Asc => "▲",
        SortOrder::Desc => "▼",
    };
    let header = Row::new(cols.iter().map(|(c, _)| {
        let mut h = heading(*c, wide).to_string();
        if c.sort_key() == Some(app.filter.sort) {
            h.push_str(arrow);
        }
        Cell::from(h)
    }))
    .style(t.heading());
    if app.count == 0 {
        let text = if !app.loaded {
            "Loading…"
        } else {
            "No event matches. Esc clears the search, x clears every filter."
        };
        let msg = Paragraph::new(vec![Line::from(""), Line::styled(text, t.dim())]);
        frame.render_widget(
            Table::new(
                Vec::<Row>::new(),
                cols.iter().map(|c| Constraint::Length(c.1)),
            )
            .header(header),
            area,
        );
        let below = Rect {
            y: area.y + 1,
            height: area.height.saturating_sub(1),
            ..area
        };
        frame.render_widget(msg, below);
        return;
    }
    let page = usize::from(area.height.saturating_sub(1));
    let last = app.count.min(app.offset + page);
    let rows = (app.offset..last).map(|i| {
        // A row the worker has not sent yet (a jump far down) shows as pending.
        let Some(f) = app.row(i) else {
            return Row::new([Cell::from(""), Cell::from(Span::styled("…", t.dim()))]);
        };
        {
            let e = &f.event;
            let selected = i == app.selected;
            let cells = cols.iter().map(|&(col, w)| {
                let w = usize::from(w);
                match col {
                    Col::Marker => Cell::from(if selected { "▶" } else { " " }),
                    Col::Data(Column::Id) => Cell::from(cut(&e.id, w)),
                    Col::Data(Column::Date) => Cell::from(e.date.human()),
                    Col::Data(Column::Programme) => Cell::from(cut(&e.programme, w)),
                    Col::Data(Column::Channel) => Cell::from(Line::from(vec![
                        Span::styled(e.channel.glyph().to_string(), t.channel(e.channel)),
                        Span::raw(" "),
                        Span::raw(channel_short(e.channel)),
                    ])),
                    Col::Data(Column::Kind) => Cell::from(cut(e.kind.label(), w)),
                    Col::Data(Column::Valence) => Cell::from(cut(e.valence.as_str(), w)),
                    Col::Data(Column::Title) => {
                        let positions = f.hit.as_ref().map_or(&[][..], |h| &h.title_positions);
                        Cell::from(highlighted(
                            &e.title,
                            positions,
                            w,
                            Style::new(),
                            t.matched(),
                        ))
                    }
                    Col::Data(Column::Partners) => {
                        let ids: Vec<&str> = e.parties.iter().map(|p| p.actor.as_str()).collect();
                        Cell::from(cut(&ids.join(", "), w))
                    }
                }
            });
            let style = if selected && app.focus != Focus::Facets {
                t.selected()
            } else {
                Style::new()
            };
            Row::new(cells).style(style)
        }
    });
    let table = Table::new(rows, cols.iter().map(|c| Constraint::Length(c.1)))
        .header(header)
        .column_spacing(1);
    frame.render_widget(table, area);
}
