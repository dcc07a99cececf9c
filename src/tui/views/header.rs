//! The top bar: the view tabs and the search box.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::fit::{cut, with_caret};
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
    if searching {
        // While typing, the caret stays in view (the box scrolls sideways around it).
        spans.push(Span::styled("/", t.bar_strong()));
        spans.extend(with_caret(
            &app.search,
            room.saturating_sub(1),
            t.bar_strong(),
            t.selected(),
        ));
    } else {
        match app.filter.search.as_deref() {
            Some(s) => {
                spans.push(Span::styled("/", t.bar_strong()));
                spans.push(Span::styled(cut(s, room.saturating_sub(2)), t.bar_strong()));
            }
            None => spans.push(Span::styled("/ to search", t.bar())),
        }
    }
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let gap = usize::from(area.width).saturating_sub(used + width(hint));
    spans.push(Span::styled(" ".repeat(gap), t.bar()));
    spans.push(Span::styled(hint, t.bar()));
    frame.render_widget(Paragraph::new(Line::from(spans)).style(t.bar()), area);
}
