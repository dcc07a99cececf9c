//! The bottom bar: "shown / total", the active filter in the CLI's flag grammar (so that it
//! can be pasted after `spacedip list`), and a message or a hint.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::text::{inert, truncate, width};
use crate::tui::app::App;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = app.theme;
    // While the answer for the filter shown is on its way, the old count would describe
    // another filter: show that it is pending instead.
    let count = if !app.loaded {
        " loading… ".to_string()
    } else if app.is_loading() {
        format!(" … / {} ", app.total)
    } else {
        format!(" {} / {} ", app.count, app.total)
    };
    let args = app.filter.to_args();
    let filter = if args.is_empty() {
        "all events (no filter)".to_string()
    } else {
        inert(&args)
    };
    // Messages can quote data (ids, the typed search), so they are made inert too.
    let (right, right_style) = match &app.status {
        Some(s) if s.error => (format!(" {} ", inert(&s.text)), t.error()),
        Some(s) => (format!(" {} ", inert(&s.text)), t.bar_strong()),
        None if app.is_loading() && app.loaded => (" searching… ".to_string(), t.bar()),
        None => (String::new(), t.bar()),
    };
    let total = usize::from(area.width);
    let fixed = width(&count) + 1;
    // A message wins over the filter when both do not fit, but the filter keeps 20 columns.
    let right = truncate(&right, total.saturating_sub(fixed + 20).max(10));
    let room = total.saturating_sub(fixed + width(&right) + 1);
    let filter = truncate(&filter, room);
    let gap = total.saturating_sub(fixed + width(&filter) + width(&right) + 1);
    let line = Line::from(vec![
        Span::styled(count, t.bar_strong()),
        Span::styled("│ ", t.bar()),
        Span::styled(filter, t.bar()),
        Span::styled(" ".repeat(gap), t.bar()),
        Span::styled(right, right_style),
    ]);
    frame.render_widget(Paragraph::new(line).style(t.bar()), area);
}
