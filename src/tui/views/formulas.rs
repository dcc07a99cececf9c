//! The formula overlay (`m`): each measure's formula, the data it reads, what it means and its
//! limits, rendered from `metrics::FORMULAS`, the same text as the README's Methods table.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::fit::wrap;
use super::theme::Theme;
use crate::metrics::formulas::{FORMULAS, YEARS};
use crate::text::width;
use crate::tui::app::App;

/// The widest the overlay gets: longer lines read badly.
const MAX_WIDTH: u16 = 104;

/// The overlay's frame on a terminal of `size`.
fn popup(size: (u16, u16)) -> Rect {
    let w = size.0.min(MAX_WIDTH);
    let h = size.1.saturating_sub(2);
    Rect {
        x: size.0.saturating_sub(w) / 2,
        y: 1,
        width: w,
        height: h,
    }
}

/// The text area inside the frame.
fn inner(size: (u16, u16)) -> Rect {
    Block::new().borders(Borders::ALL).inner(popup(size))
}

/// `text` wrapped to `w` columns under a hanging `label`, indented.
fn hanging(label: &str, text: &str, w: usize, style: Style, t: Theme) -> Vec<Line<'static>> {
    const INDENT: usize = 2;
    let lead = INDENT + width(label);
    wrap(text, w.saturating_sub(lead).max(10))
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let head = if i == 0 {
                Span::styled(format!("{}{label}", " ".repeat(INDENT)), t.dim())
            } else {
                Span::raw(" ".repeat(lead))
            };
            Line::from(vec![head, Span::styled(part, style)])
        })
        .collect()
}

/// Every line of the overlay at text width `w`.
pub fn lines(w: usize, t: Theme) -> Vec<Line<'static>> {
    let mut out: Vec<Line<'static>> = wrap(YEARS, w)
        .into_iter()
        .map(|l| Line::styled(l, t.dim()))
        .collect();
    for f in FORMULAS {
        out.push(Line::raw(""));
        out.push(Line::styled(f.measure.to_string(), t.heading()));
        out.extend(hanging("formula ", f.formula, w, Style::new(), t));
        out.extend(hanging("means   ", f.meaning, w, Style::new(), t));
        out.extend(hanging("limits  ", f.limits, w, Style::new(), t));
        out.extend(hanging("data    ", f.data, w, t.dim(), t));
    }
    out
}

/// Lines the overlay shows at once on a terminal of `size`.
pub fn page(size: (u16, u16)) -> usize {
    usize::from(inner(size).height).max(1)
}

/// The last useful scroll position on a terminal of `size`.
pub fn max_scroll(size: (u16, u16)) -> usize {
    let area = inner(size);
    lines(usize::from(area.width), Theme::plain())
        .len()
        .saturating_sub(usize::from(area.height))
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = app.theme;
    let size = (area.width, area.height);
    let frame_area = popup(size);
    let body = inner(size);
    if body.width < 10 || body.height < 3 {
        return;
    }
    let scroll = app.compare.formula_scroll.min(max_scroll(size));
    let all = lines(usize::from(body.width), t);
    let more = if scroll + usize::from(body.height) < all.len() {
        " · j/k or ↓ for more"
    } else {
        ""
    };
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(t.focus())
        .title(Line::styled(
            " Formulas of the measures · README: Methods ",
            t.heading(),
        ))
        .title_bottom(Line::styled(format!(" m or Esc closes{more} "), t.dim()));
    frame.render_widget(Clear, frame_area);
    frame.render_widget(block, frame_area);
    let shown: Vec<Line> = all
        .into_iter()
        .skip(scroll)
        .take(usize::from(body.height))
        .collect();
    frame.render_widget(Paragraph::new(shown), body);
}
