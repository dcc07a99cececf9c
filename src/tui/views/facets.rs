//! The facet panel: per programme, channel, kind, partner and year, how many events each
//! value selects; ✓ marks the values the filter holds.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::fit::cut;
use super::theme::cut_glyph;
use crate::text::width;
use crate::tui::app::App;
use crate::tui::facet::{lines, FacetLine, FacetValue, Section};
use crate::tui::layout::Focus;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = app.theme;
    let focused = app.focus == Focus::Facets;
    let block = Block::new()
        .borders(Borders::RIGHT)
        .border_style(if focused { t.focus() } else { t.dim() });
    let inner = block.inner(area);
    let w = usize::from(inner.width);
    let all = lines(&app.facet_rows);
    let offset = app
        .facet_offset
        .min(all.len().saturating_sub(usize::from(inner.height)));
    let shown = all
        .iter()
        .skip(offset)
        .take(usize::from(inner.height))
        .map(|line| match *line {
            FacetLine::Header(section) => {
                let mut title = section.title().to_string();
                if section == Section::Year && focused {
                    title.push_str(" ([ from, ] to)");
                }
                Line::styled(cut(&title, w), t.heading())
            }
            FacetLine::Row(i) => {
                let row = &app.facet_rows[i];
                let count = format!(" {:>3}", row.count);
                let cursor = focused && i == app.facet_cursor;
                let mark = format!(
                    "{}{}",
                    if cursor { '▶' } else { ' ' },
                    if row.active { '✓' } else { ' ' }
                );
                let mut spans = vec![Span::styled(mark, t.active())];
                let mut used = 2 + width(&count);
                if let FacetValue::Channel(c) = row.value {
                    spans.push(Span::styled(format!("{} ", cut_glyph(c)), t.cut(c)));
                    used += 2;
                }
                let label = cut(&row.label, w.saturating_sub(used));
                let gap = w.saturating_sub(used + width(&label));
                let label_style = if row.active { t.active() } else { Style::new() };
                spans.push(Span::styled(label, label_style));
                spans.push(Span::raw(" ".repeat(gap)));
                spans.push(Span::styled(count, t.dim()));
                let line = Line::from(spans);
                if cursor {
                    line.style(t.selected())
                } else {
                    line
                }
            }
        })
        .collect::<Vec<_>>();
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(shown), inner);
}
