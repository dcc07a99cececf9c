//! The help overlay: every key of the current view, generated from the same table that
//! `map_key` reads, so the two never disagree.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::fit::cut;
use super::theme::Theme;
use crate::text::width;
use crate::tui::input::{bindings, Mode};

/// The (keys, help) rows for `mode`; bindings with the same action and text share a row.
pub fn entries(mode: Mode) -> Vec<(String, String)> {
    let mut out: Vec<(String, String, crate::tui::action::Action)> = Vec::new();
    for b in bindings(mode) {
        match out
            .iter_mut()
            .find(|(_, help, action)| *help == b.help && *action == b.action)
        {
            Some(row) => {
                row.0.push('/');
                row.0.push_str(&b.keys_label());
            }
            None => out.push((b.keys_label(), b.help.to_string(), b.action)),
        }
    }
    out.into_iter().map(|(k, h, _)| (k, h)).collect()
}

fn column(entries: &[(String, String)], w: u16, t: Theme) -> Vec<Line<'static>> {
    let key_w = entries.iter().map(|(k, _)| width(k)).max().unwrap_or(0);
    let help_w = usize::from(w).saturating_sub(key_w + 2);
    entries
        .iter()
        .map(|(k, h)| {
            Line::from(vec![
                Span::styled(format!("{k:>key_w$}  "), t.heading()),
                Span::raw(cut(h, help_w)),
            ])
        })
        .collect()
}

pub fn render(frame: &mut Frame, area: Rect, mode: Mode, t: Theme) {
    let entries = entries(mode);
    let max_h = area.height.saturating_sub(2);
    // Two columns when one does not fit the height.
    let two = entries.len() > usize::from(max_h.saturating_sub(2));
    let key_w = entries.iter().map(|(k, _)| width(k)).max().unwrap_or(0);
    let help_w = entries.iter().map(|(_, h)| width(h)).max().unwrap_or(0);
    let needed = (key_w + 2 + help_w) * if two { 2 } else { 1 } + if two { 3 } else { 2 };
    let popup_w = area
        .width
        .min(u16::try_from(needed).unwrap_or(u16::MAX).max(58));
    let per_col = if two {
        entries.len().div_ceil(2)
    } else {
        entries.len()
    };
    let height = (per_col as u16 + 2).min(max_h);
    let popup = Rect {
        x: area.x + (area.width - popup_w) / 2,
        y: area.y + (area.height.saturating_sub(height)) / 2,
        width: popup_w,
        height,
    };
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(t.focus())
        .title(Line::styled(
            format!(" Keys · {} ", mode.title()),
            t.heading(),
        ))
        .title_bottom(Line::styled(
            " ? or Esc closes · mouse: wheel scrolls, click picks ",
            t.dim(),
        ));
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    if two {
        let col_w = inner.width.saturating_sub(1) / 2;
        let left = Rect {
            width: col_w,
            ..inner
        };
        let right = Rect {
            x: inner.x + col_w + 1,
            width: inner.width.saturating_sub(col_w + 1),
            ..inner
        };
        frame.render_widget(Paragraph::new(column(&entries[..per_col], col_w, t)), left);
        frame.render_widget(
            Paragraph::new(column(&entries[per_col..], right.width, t)),
            right,
        );
    } else {
        frame.render_widget(Paragraph::new(column(&entries, inner.width, t)), inner);
    }
}
