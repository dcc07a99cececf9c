//! The formula overlay (`m`): each measure's formula, the data it reads, what it means and its
//! limits, rendered from `metrics::FORMULAS`, the same text as the README's Methods table.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use super::fit::wrap;
use super::overlay::{self, Overlay};
use super::theme::Theme;
use crate::metrics::formulas::{FORMULAS, YEARS};
use crate::text::width;
use crate::tui::app::App;

/// The widest the overlay gets: longer lines read badly.
const MAX_WIDTH: u16 = 104;

fn inner(size: (u16, u16)) -> Rect {
    overlay::inner(size, MAX_WIDTH)
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
    let body = inner((area.width, area.height));
    let o = Overlay {
        title: "Formulas of the measures · README: Methods",
        closes: "m or Esc",
        max_width: MAX_WIDTH,
        lines: lines(usize::from(body.width), t),
        scroll: app.compare.formula_scroll,
    };
    overlay::render(frame, area, o, t);
}
