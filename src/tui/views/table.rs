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
use crate::domain::{SortKey, SortOrder};
use crate::tui::app::{App, Focus};

/// A table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Marker,
    Id,
    Date,
    Programme,
    Channel,
    Kind,
    Title,
    Partners,
}

impl Col {
    fn heading(self, wide: bool) -> &'static str {
        match self {
            Col::Marker => "",
            Col::Id => "ID",
            Col::Date => "Date",
            Col::Programme if wide => "Programme",
            Col::Programme => "Prog",
            Col::Channel => "Channel",
            Col::Kind => "Kind",
            Col::Title => "Title",
            Col::Partners => "Partners",
        }
    }

    fn sort_key(self) -> Option<SortKey> {
        match self {
            Col::Id => Some(SortKey::Id),
            Col::Date => Some(SortKey::Date),
            Col::Programme => Some(SortKey::Programme),
            Col::Channel => Some(SortKey::Channel),
            Col::Kind => Some(SortKey::Kind),
            Col::Title => Some(SortKey::Title),
            Col::Marker | Col::Partners => None,
        }
    }
}

/// From this table width the ID column shows and columns widen.
const WIDE: u16 = 110;

/// The columns and their widths for a table `width` columns wide (one space between).
pub fn columns(width: u16) -> Vec<(Col, u16)> {
    let wide = width >= WIDE;
    let mut cols: Vec<(Col, u16)> = if wide {
        vec![
            (Col::Marker, 1),
            (Col::Id, 8),
            (Col::Date, 10),
            (Col::Programme, 14),
            (Col::Channel, 7),
            (Col::Kind, 15),
        ]
    } else {
        vec![
            (Col::Marker, 1),
            (Col::Date, 10),
            (Col::Programme, 8),
            (Col::Channel, 7),
            (Col::Kind, 9),
        ]
    };
    let fixed = |cols: &[(Col, u16)], extra: u16| -> u16 {
        cols.iter().map(|c| c.1).sum::<u16>() + cols.len() as u16 + extra
    };
    // Title and partners share the rest; partners go first when space is short, then kind.
    let mut rest = width.saturating_sub(fixed(&cols, 1));
    if rest < 28 {
        cols.retain(|c| c.0 != Col::Kind || rest + 10 >= 28);
        rest = width.saturating_sub(fixed(&cols, 0));
        cols.push((Col::Title, rest));
        return cols;
    }
    let partners = (rest / 3).clamp(8, 40);
    cols.push((Col::Title, rest - partners));
    cols.push((Col::Partners, partners));
    cols
}

/// The sort key of the column heading at column `x` of the table `area`.
pub fn column_at(area: Rect, x: u16) -> Option<SortKey> {
    let mut left = area.x;
    for (col, w) in columns(area.width) {
        if (left..left + w + 1).contains(&x) {
            return col.sort_key();
        }
        left += w + 1;
    }
    None
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = app.theme;
    let cols = columns(area.width);
    let wide = area.width >= WIDE;
    let arrow = match app.filter.order {
        SortOrder::Asc => "▲",
        SortOrder::Desc => "▼",
    };
    let header = Row::new(cols.iter().map(|(c, _)| {
        let mut h = c.heading(wide).to_string();
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
                    Col::Id => Cell::from(cut(&e.id, w)),
                    Col::Date => Cell::from(e.date.human()),
                    Col::Programme => Cell::from(cut(&e.programme, w)),
                    Col::Channel => Cell::from(Line::from(vec![
                        Span::styled(e.channel.glyph().to_string(), t.channel(e.channel)),
                        Span::raw(" "),
                        Span::raw(channel_short(e.channel)),
                    ])),
                    Col::Kind => Cell::from(cut(e.kind.label(), w)),
                    Col::Title => {
                        let positions = f.hit.as_ref().map_or(&[][..], |h| &h.title_positions);
                        Cell::from(highlighted(
                            &e.title,
                            positions,
                            w,
                            Style::new(),
                            t.matched(),
                        ))
                    }
                    Col::Partners => {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fill_the_width_and_drop_when_narrow() {
        for w in [50u16, 52, 60, 80, 100, 109, 110, 126, 160] {
            let cols = columns(w);
            let used: u16 = cols.iter().map(|c| c.1).sum::<u16>() + cols.len() as u16 - 1;
            assert!(used <= w, "{w}: {used}");
            let title = cols.iter().find(|c| c.0 == Col::Title).unwrap().1;
            assert!(title >= 16, "{w}: title {title}");
        }
        assert!(columns(80).iter().any(|c| c.0 == Col::Partners));
        assert!(!columns(50).iter().any(|c| c.0 == Col::Partners));
        assert!(columns(126).iter().any(|c| c.0 == Col::Id));
    }

    #[test]
    fn headings_sort_by_their_column() {
        let area = Rect::new(0, 0, 80, 10);
        assert_eq!(column_at(area, 0), None);
        assert_eq!(column_at(area, 3), Some(SortKey::Date));
        assert_eq!(column_at(area, 14), Some(SortKey::Programme));
    }
}
