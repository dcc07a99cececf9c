//! The top bar: the view tabs and the search box.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::text::width;
use crate::tui::app::App;
use crate::tui::layout::{Focus, BRAND, TABS};

const HINT: &str = " ?:help  q:quit ";
const SEARCH_HINT: &str = " F1:help  Enter:keep  Esc:clear ";

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = app.theme;
    let mut spans = vec![
        Span::styled(BRAND, t.bar_strong()),
        Span::styled("│", t.bar()),
    ];
    for (view, label) in TABS {
        // The active tab is bracketed as well as highlighted, for monochrome terminals.
        if view == app.view {
            let name = label.trim();
            spans.push(Span::styled(format!("[{name}]"), t.bar_active()));
        } else {
            spans.push(Span::styled(label, t.bar()));
        }
    }
    spans.push(Span::styled("│ ", t.bar()));
    let searching = app.focus == Focus::Search;
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let mut hint = if searching { SEARCH_HINT } else { HINT };
    // What is typed matters more than the hint (F1 still opens the help): the hint gives way
    // when the query would not fit beside it.
    let typed = app.filter.search.as_deref().map_or(0, width) + 2;
    if searching && usize::from(area.width) < used + width(hint) + typed {
        hint = "";
    }
    let room = usize::from(area.width)
        .saturating_sub(used + width(hint))
        .max(1);
    match app.filter.search.as_deref() {
        Some(s) => {
            let prompt = "/";
            // While typing, the end of the query (where the caret is) stays in view.
            let shown = if searching {
                tail(s, room.saturating_sub(2))
            } else {
                super::fit::cut(s, room.saturating_sub(2))
            };
            spans.push(Span::styled(prompt, t.bar_strong()));
            spans.push(Span::styled(shown, t.bar_strong()));
            if searching {
                spans.push(Span::styled("▏", t.bar_strong()));
            }
        }
        None if searching => {
            spans.push(Span::styled("/", t.bar_strong()));
            spans.push(Span::styled("▏", t.bar_strong()));
        }
        None => spans.push(Span::styled("/ to search", t.bar())),
    }
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let gap = usize::from(area.width).saturating_sub(used + width(hint));
    spans.push(Span::styled(" ".repeat(gap), t.bar()));
    spans.push(Span::styled(hint, t.bar()));
    frame.render_widget(Paragraph::new(Line::from(spans)).style(t.bar()), area);
}

/// The end of `s` in at most `max` columns, led by `…` when cut.
fn tail(s: &str, max: usize) -> String {
    let s = crate::text::inert(s);
    if width(&s) <= max {
        return s;
    }
    let mut kept: Vec<char> = Vec::new();
    let mut used = 1;
    for c in s.chars().rev() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max {
            break;
        }
        used += w;
        kept.push(c);
    }
    kept.push('…');
    kept.into_iter().rev().collect()
}
