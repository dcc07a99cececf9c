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
use crate::tui::layout::{popup_inner, Extent};

/// The widest the overlay gets: longer lines read badly.
const MAX_WIDTH: u16 = 104;

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
fn lines(w: usize, t: Theme) -> Vec<Line<'static>> {
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

/// Draws the overlay; returns how far it scrolls.
pub fn render(frame: &mut Frame, area: Rect, app: &App) -> Option<Extent> {
    let t = app.theme;
    let body = popup_inner((area.width, area.height), MAX_WIDTH);
    let o = Overlay {
        title: "Formulas of the measures · README: Methods",
        closes: "m or Esc",
        max_width: MAX_WIDTH,
        lines: lines(usize::from(body.width), t),
        scroll: app.compare.formula_scroll,
    };
    overlay::render(frame, area, o, t)
}
