//! The export dialog (`e`): how many events the file will hold and under which filter, the
//! formats with their descriptions, the file name, formula neutralisation, the equivalent
//! `spacedip export` command, and one line for a question, progress or an error.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::fit::{cut, with_caret, wrap};
use super::theme::Theme;
use crate::export::Format;
use crate::text::{inert, width};
use crate::tui::app::export_dialog::{ExportDialog, Field, Stage};
use crate::tui::app::App;

/// The widest the dialog gets.
const MAX_WIDTH: u16 = 96;
/// The label column.
const LABEL: usize = 9;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let Some(d) = app.export.dialog.as_ref() else {
        return;
    };
    let t = app.theme;
    // Leave the header and the status bar visible when there is room.
    let outer = if area.height > 6 {
        Rect {
            y: area.y + 1,
            height: area.height - 2,
            ..area
        }
    } else {
        area
    };
    let popup_w = outer
        .width
        .saturating_sub(4)
        .min(MAX_WIDTH)
        .max(20.min(outer.width));
    let inner_w = usize::from(popup_w.saturating_sub(2));

    let fixed_top = vec![count_line(d, t), filter_line(d, inner_w, t)];
    let command = command_lines(d, inner_w, t);
    let mut fixed_bottom = vec![path_line(d, inner_w, t), formulas_line(d, t)];
    fixed_bottom.extend(command);
    fixed_bottom.push(message_line(d, inner_w, t));
    let full_path = app
        .export
        .full_path(d.path.text().trim())
        .filter(|p| p.as_os_str() != d.path.text().trim());

    let max_inner_h = usize::from(outer.height.saturating_sub(2));
    // Title of the list + the list; then the optional lines while room remains.
    let fixed = fixed_top.len() + 1 + fixed_bottom.len();
    let formats = Format::ALL.len();
    let list_rows = max_inner_h.saturating_sub(fixed).clamp(1, formats);
    let mut spare = max_inner_h.saturating_sub(fixed + list_rows);
    let mut take = |n: usize| {
        let ok = spare >= n;
        if ok {
            spare -= n;
        }
        ok
    };
    let gap_after_filter = take(1);
    let gap_after_list = take(1);
    let show_full = full_path.is_some() && take(1);
    let gap_before_command = take(1);

    let mut lines: Vec<Line<'static>> = fixed_top;
    if gap_after_filter {
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(
        "Format",
        label_style(d.field == Field::Format, t),
    ));
    lines.extend(format_lines(d, list_rows, inner_w, t));
    if gap_after_list {
        lines.push(Line::raw(""));
    }
    let mut bottom = fixed_bottom.into_iter();
    lines.extend(bottom.next());
    if show_full {
        if let Some(p) = &full_path {
            let shown = tail(
                &inert(&p.display().to_string()),
                inner_w.saturating_sub(LABEL + 2),
            );
            lines.push(Line::styled(format!("{:LABEL$}→ {shown}", ""), t.dim()));
        }
    }
    lines.extend(bottom.next());
    if gap_before_command {
        lines.push(Line::raw(""));
    }
    lines.extend(bottom);

    let height = (lines.len() as u16 + 2).min(outer.height);
    let popup = Rect {
        x: outer.x + (outer.width - popup_w) / 2,
        y: outer.y + (outer.height - height) / 2,
        width: popup_w,
        height,
    };
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(t.focus())
        .title(Line::styled(" Export ", t.heading()))
        .title_bottom(Line::styled(
            crate::text::truncate(hint(d), inner_w),
            t.dim(),
        ));
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}

fn label_style(focused: bool, t: Theme) -> Style {
    if focused {
        t.heading()
    } else {
        t.dim()
    }
}

fn count_line(d: &ExportDialog, t: Theme) -> Line<'static> {
    let noun = if d.count == 1 { "event" } else { "events" };
    let rest = if d.count == 0 {
        " — the filter selects nothing: an empty document".to_string()
    } else {
        " — the whole filtered set, not just this page".to_string()
    };
    Line::from(vec![
        Span::styled(format!("{} {noun}", d.count), t.heading()),
        Span::raw(rest),
    ])
}

fn filter_line(d: &ExportDialog, w: usize, t: Theme) -> Line<'static> {
    let text = if d.args.is_empty() {
        "none: every event".to_string()
    } else {
        cut(&d.args, w.saturating_sub(LABEL))
    };
    Line::from(vec![
        Span::styled(format!("{:LABEL$}", "Filter"), t.dim()),
        Span::raw(text),
    ])
}

/// A window of `rows` formats around the chosen one.
fn format_lines(d: &ExportDialog, rows: usize, w: usize, t: Theme) -> Vec<Line<'static>> {
    let chosen = d.format_index();
    let first = chosen
        .saturating_sub(rows / 2)
        .min(Format::ALL.len().saturating_sub(rows));
    let name_w = Format::ALL
        .iter()
        .map(|f| f.as_str().len())
        .max()
        .unwrap_or(0);
    Format::ALL
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(i, f)| {
            let mark = if i == chosen { "›" } else { " " };
            let more = match i {
                _ if i == first && first > 0 => "↑",
                _ if i + 1 == first + rows && i + 1 < Format::ALL.len() => "↓",
                _ => " ",
            };
            let text = format!("{more}{mark} {:name_w$}  {}", f.as_str(), f.describe());
            let style = match (i == chosen, d.field) {
                (true, Field::Format) => t.selected(),
                (true, Field::Path) => t.active(),
                _ => Style::new(),
            };
            Line::styled(crate::text::pad(&cut(&text, w), w), style)
        })
        .collect()
}

fn path_line(d: &ExportDialog, w: usize, t: Theme) -> Line<'static> {
    let focused = d.field == Field::Path && d.stage == Stage::Editing;
    let room = w.saturating_sub(LABEL + 1);
    let mut spans = vec![Span::styled(
        format!("{:LABEL$}", "File"),
        label_style(focused, t),
    )];
    if focused {
        spans.extend(with_caret(&d.path, room, t.active(), t.selected()));
    } else {
        spans.push(Span::styled(tail(&inert(d.path.text()), room), t.active()));
        if d.stage == Stage::Editing {
            spans.push(Span::styled("  (Tab to edit)", t.dim()));
        }
    }
    Line::from(spans)
}

fn formulas_line(d: &ExportDialog, t: Theme) -> Line<'static> {
    let label = Span::styled(format!("{:LABEL$}", "Formulas"), t.dim());
    if d.neutralisable() {
        let mark = if d.neutralise { "[x]" } else { "[ ]" };
        Line::from(vec![
            label,
            Span::raw(format!("{mark} neutralise spreadsheet formulas (n)")),
        ])
    } else {
        Line::from(vec![
            label,
            Span::styled("only CSV formats have formulas to neutralise", t.dim()),
        ])
    }
}

fn command_lines(d: &ExportDialog, w: usize, t: Theme) -> Vec<Line<'static>> {
    wrap(&d.command(), w.saturating_sub(LABEL).max(1))
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let label = if i == 0 { "Shell" } else { "" };
            Line::from(vec![
                Span::styled(format!("{label:LABEL$}"), t.dim()),
                Span::styled(part, t.dim()),
            ])
        })
        .collect()
}

fn message_line(d: &ExportDialog, w: usize, t: Theme) -> Line<'static> {
    let noun = if d.count == 1 { "event" } else { "events" };
    let (text, style) = match (&d.stage, &d.error) {
        (Stage::Writing, _) => {
            let done = match (d.written as usize).min(d.count) {
                0 => String::new(),
                n => format!(" ({}%)", n * 100 / d.count.max(1)),
            };
            (
                format!(
                    "writing {} {noun}{done} to {}…",
                    d.count,
                    inert(d.path.text().trim())
                ),
                t.heading(),
            )
        }
        (Stage::Confirm, _) => (
            format!("{} exists. Replace it? y / n", inert(d.path.text().trim())),
            t.error(),
        ),
        (Stage::Editing, Some(e)) => (format!("✗ {}", inert(e)), t.error()),
        (Stage::Editing, None) => match &d.note {
            Some(note) => (note.clone(), t.heading()),
            None => (
                format!("Enter writes {} {noun} as {}", d.count, d.format),
                t.dim(),
            ),
        },
    };
    Line::styled(cut(&text, w), style)
}

/// The keys for the dialog's current step (F1 lists them all, from the key table).
fn hint(d: &ExportDialog) -> &'static str {
    match (&d.stage, d.field) {
        (Stage::Writing, _) => " writing… ",
        (Stage::Confirm, _) => " y replace · n/Esc keep it ",
        (Stage::Editing, Field::Format) => {
            " ↑↓/jk format · n formulas · Tab name · Enter write · Esc cancel · ? keys "
        }
        (Stage::Editing, Field::Path) => {
            " Ctrl-W word · Ctrl-U clear · ↑↓ format · Enter write · Esc cancel "
        }
    }
}

/// The end of `s`, cut to `max` columns from the left with `…`: the part being typed stays
/// visible.
fn tail(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut kept: Vec<char> = Vec::new();
    let mut used = 1;
    for c in s.chars().rev() {
        let w = width(c.encode_utf8(&mut [0; 4]));
        if used + w > max {
            break;
        }
        used += w;
        kept.push(c);
    }
    let mut out = String::from("…");
    out.extend(kept.into_iter().rev());
    out
}
