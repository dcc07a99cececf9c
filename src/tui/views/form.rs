//! The event form: one line per field of the interchange format, the import's problems under
//! their field, and a hint line with the field's grammar and the values it accepts.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::fit::{cut, with_caret, wrap};
use super::theme::Theme;
use crate::domain::Catalog;
use crate::interchange::EVENT_COLUMNS;
use crate::text::{inert, width};
use crate::tui::app::form::{Form, Hint, FIELDS};

/// Label column: a focus mark, the widest label (`institutions`), a space.
const LABEL_W: usize = 14;
/// Lines under the fields: the database's refusal, then the hint.
const HINT_LINES: u16 = 4;

/// The form's box: between the top and bottom bars, at most 100 columns wide and tall enough
/// for every field, a few problem lines and the hint, centred.
pub fn area(screen: Rect) -> Rect {
    let width = screen.width.saturating_sub(4).min(100);
    let wanted = FIELDS as u16 + 8 + HINT_LINES + 2;
    let height = screen.height.saturating_sub(2).min(wanted);
    Rect {
        x: screen.x + (screen.width - width) / 2,
        y: screen.y + 1 + (screen.height.saturating_sub(2) - height) / 2,
        width,
        height,
    }
}

pub fn render(frame: &mut Frame, screen: Rect, form: &Form, catalog: &Catalog, t: Theme) {
    let popup = area(screen);
    let title = match &form.original {
        Some(e) => format!(" Edit {} ", inert(&e.id)),
        None => " New event ".to_string(),
    };
    let title = if form.saving {
        format!("{title}· saving… ")
    } else {
        title
    };
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(t.focus())
        .title(Line::styled(title, t.heading()))
        .title_bottom(Line::styled(
            " Tab/Shift-Tab move · Ctrl-N values · Ctrl-S save · Esc cancel · F1 keys ",
            t.dim(),
        ));
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    if inner.height <= HINT_LINES || inner.width as usize <= LABEL_W + 4 {
        return;
    }
    let fields_h = inner.height - HINT_LINES;
    let (lines, focus) = field_lines(form, usize::from(inner.width), t);
    // Scroll just enough to show the focused field with its problems.
    let height = usize::from(fields_h);
    let offset = focus
        .1
        .saturating_add(1)
        .saturating_sub(height)
        .min(focus.0);
    let shown: Vec<Line> = lines.into_iter().skip(offset).take(height).collect();
    frame.render_widget(
        Paragraph::new(shown),
        Rect {
            height: fields_h,
            ..inner
        },
    );
    let hint_area = Rect {
        y: inner.y + fields_h,
        height: HINT_LINES,
        ..inner
    };
    frame.render_widget(
        Paragraph::new(hint_lines(form, catalog, usize::from(inner.width), t)),
        hint_area,
    );
}

/// Every line of the fields, and the first and last line of the focused field.
fn field_lines(form: &Form, w: usize, t: Theme) -> (Vec<Line<'static>>, (usize, usize)) {
    let value_w = w.saturating_sub(LABEL_W);
    let mut lines = Vec::new();
    let mut focus = (0, 0);
    for (field, name) in EVENT_COLUMNS.iter().enumerate() {
        let focused = field == form.field;
        let problems: Vec<String> = form.problems_of(field).map(|p| p.message.clone()).collect();
        let label_style = if !problems.is_empty() {
            t.error()
        } else if focused {
            t.heading()
        } else {
            t.dim()
        };
        let mark = if focused { "▸" } else { " " };
        let mut spans = vec![
            Span::styled(mark, t.heading()),
            Span::styled(format!("{name:>w$} ", w = LABEL_W - 2), label_style),
        ];
        let input = &form.inputs[field];
        if !form.editable(field) {
            spans.push(Span::styled(
                cut(&format!("{} (fixed)", input.text()), value_w),
                t.dim(),
            ));
        } else if focused && !form.saving {
            spans.extend(with_caret(input, value_w, Style::new(), t.selected()));
        } else {
            spans.push(Span::raw(cut(input.text(), value_w)));
        }
        if focused {
            focus.0 = lines.len();
        }
        lines.push(Line::from(spans));
        for message in &problems {
            for (i, part) in wrap(message, value_w.saturating_sub(2))
                .into_iter()
                .enumerate()
            {
                let bullet = if i == 0 { "✗ " } else { "  " };
                lines.push(Line::from(vec![
                    Span::raw(" ".repeat(LABEL_W)),
                    Span::styled(format!("{bullet}{part}"), t.error()),
                ]));
            }
        }
        if focused {
            focus.1 = lines.len() - 1;
        }
    }
    (lines, focus)
}

/// The refusal (if any), the field's grammar and its suggestions, in `HINT_LINES` lines.
fn hint_lines(form: &Form, catalog: &Catalog, w: usize, t: Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled("─".repeat(w), t.dim())];
    if let Some(r) = &form.refusal {
        lines.push(Line::styled(cut(&format!("not saved: {r}"), w), t.error()));
    }
    let hint = form.hint(catalog);
    let room = usize::from(HINT_LINES) - lines.len() - usize::from(!hint.items.is_empty());
    let help = wrap(hint.help, w);
    let cut_help = help.len() > room;
    for (i, l) in help.into_iter().take(room).enumerate() {
        let l = if cut_help && i + 1 == room {
            cut(&format!("{l}…"), w)
        } else {
            l
        };
        lines.push(Line::styled(l, t.dim()));
    }
    if !hint.items.is_empty() {
        lines.push(suggestions(&hint, w, t));
    }
    lines
}

/// `label: ID name · ID name …`, from the current item when one was picked.
fn suggestions(hint: &Hint, w: usize, t: Theme) -> Line<'static> {
    let head = format!("{}: ", hint.label);
    let mut used = width(&head);
    let mut spans = vec![Span::styled(head, t.heading())];
    let first = hint.current.unwrap_or(0);
    let n = hint.items.len();
    for k in 0..n {
        let i = (first + k) % n;
        let (id, name) = &hint.items[i];
        let name = if name.is_empty() {
            String::new()
        } else {
            format!(" {}", cut(name, 24))
        };
        let sep = if k == 0 { "" } else { " · " };
        let piece = format!("{}{name}", inert(id));
        let need = width(sep) + width(&piece);
        if used + need > w.saturating_sub(2) {
            spans.push(Span::styled(" …", t.dim()));
            break;
        }
        used += need;
        spans.push(Span::styled(sep, t.dim()));
        let style = if hint.current == Some(i) {
            t.selected()
        } else {
            Style::new()
        };
        spans.push(Span::styled(piece, style));
    }
    Line::from(spans)
}
