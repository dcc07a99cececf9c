//! The editing dialogs over the screen: the event form, a yes/no question (drawn over the
//! dialog it came from), the view-name prompt and the saved-view picker.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::fit::{cut, with_caret, wrap};
use super::theme::Theme;
use crate::domain::Column;
use crate::text::{inert, width};
use crate::tui::app::columns_picker::ColumnsPicker;
use crate::tui::app::edit::{Confirm, Modal};
use crate::tui::app::views_picker::{Picker, Prompt};
use crate::tui::app::App;

/// Draws the open dialog, if any.
pub fn render(frame: &mut Frame, screen: Rect, app: &App) {
    if let Some(modal) = &app.edit.modal {
        modal_view(frame, screen, modal, app);
    }
}

fn modal_view(frame: &mut Frame, screen: Rect, modal: &Modal, app: &App) {
    let t = app.theme;
    match modal {
        Modal::Form(form) => super::form::render(frame, screen, form, &app.catalog, t),
        Modal::Confirm(c) => {
            if let Some(back) = &c.back {
                modal_view(frame, screen, back, app);
            }
            confirm(frame, screen, c, t);
        }
        Modal::Prompt(p) => prompt(frame, screen, p, app),
        Modal::Picker(p) => picker(frame, screen, *p, app),
        Modal::Columns(c) => columns(frame, screen, c, t),
    }
}

/// What each column of the events table shows, for the chooser.
fn column_meaning(c: Column) -> &'static str {
    match c {
        Column::Id => "the event's id (what `spacedip show` takes)",
        Column::Date => "the date, at its precision",
        Column::Programme => "the programme",
        Column::Channel => "the channel, as a glyph and a short name",
        Column::Kind => "the kind of act",
        Column::Valence => "cooperation, refusal, withdrawal or obstacle",
        Column::Title => "the title, search matches highlighted",
        Column::Partners => "the parties' ids",
    }
}

/// The column chooser: ticked columns show, in the list's order.
fn columns(frame: &mut Frame, screen: Rect, c: &ColumnsPicker, t: Theme) {
    let w = 64usize.min(usize::from(screen.width.saturating_sub(4)));
    let text_w = w.saturating_sub(2);
    let keys = "space show · J/K move · r auto · Enter apply";
    let area = centred(screen, w, c.rows.len() + 2);
    let inner = framed(frame, area, "Table columns", keys, t);
    let lines: Vec<Line> = c
        .rows
        .iter()
        .enumerate()
        .map(|(i, (col, shown))| {
            let mark = if *shown { "[x]" } else { "[ ]" };
            let name = format!("{:<10}", col.as_str());
            let rest = text_w.saturating_sub(4 + 4 + 10);
            let mut spans = vec![
                Span::raw(if i == c.cursor { "▶ " } else { "  " }),
                Span::raw(format!("{mark} ")),
                Span::styled(name, t.heading()),
                Span::styled(cut(column_meaning(*col), rest), t.dim()),
            ];
            if i == c.cursor {
                for s in &mut spans {
                    s.style = s.style.patch(t.selected());
                }
            }
            Line::from(spans)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A box of `w`×`h` (clamped to the screen between the bars), centred.
fn centred(screen: Rect, w: usize, h: usize) -> Rect {
    let width = u16::try_from(w)
        .unwrap_or(u16::MAX)
        .min(screen.width.saturating_sub(4));
    let height = u16::try_from(h)
        .unwrap_or(u16::MAX)
        .min(screen.height.saturating_sub(2));
    Rect {
        x: screen.x + (screen.width - width) / 2,
        y: screen.y + (screen.height - height) / 2,
        width,
        height,
    }
}

fn framed(frame: &mut Frame, area: Rect, title: &str, keys: &str, t: Theme) -> Rect {
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(t.focus())
        .title(Line::styled(format!(" {} ", inert(title)), t.heading()))
        .title_bottom(Line::styled(format!(" {keys} "), t.dim()));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    inner
}

fn confirm(frame: &mut Frame, screen: Rect, c: &Confirm, t: Theme) {
    let w = 64usize.min(usize::from(screen.width.saturating_sub(4)));
    let text_w = w.saturating_sub(4);
    let question = wrap(&c.question, text_w);
    let note = wrap(&c.note, text_w);
    let mut lines: Vec<Line> = question
        .into_iter()
        .map(|l| Line::styled(format!(" {l}"), t.heading()))
        .collect();
    lines.push(Line::raw(""));
    lines.extend(
        note.into_iter()
            .map(|l| Line::styled(format!(" {l}"), t.dim())),
    );
    let area = centred(screen, w, lines.len() + 2);
    let inner = framed(frame, area, &c.title, "y yes · n/Esc no", t);
    frame.render_widget(Paragraph::new(lines), inner);
}

fn prompt(frame: &mut Frame, screen: Rect, p: &Prompt, app: &App) {
    let t = app.theme;
    let w = 72usize.min(usize::from(screen.width.saturating_sub(4)));
    let text_w = w.saturating_sub(4);
    let label = " Name  ";
    let field_w = text_w.saturating_sub(width(label));
    let mut lines = Vec::new();
    let mut name = vec![Span::styled(label, t.heading())];
    name.extend(with_caret(&p.input, field_w, Style::new(), t.selected()));
    lines.push(Line::from(name));
    let existing = app.edit.views.iter().any(|v| v.name == p.input.text());
    match (p.error.clone(), p.problem()) {
        (Some(e), _) | (None, Some(e)) => {
            for l in wrap(&e, text_w) {
                lines.push(Line::styled(format!(" {l}"), t.error()));
            }
        }
        (None, None) if existing => lines.push(Line::styled(
            " a view of this name exists: Enter asks before replacing it",
            t.dim(),
        )),
        (None, None) => lines.push(Line::styled(
            " 1 to 64 characters; the CLI applies it with --view NAME",
            t.dim(),
        )),
    }
    lines.push(Line::raw(""));
    let args = app.filter.to_args();
    let what = if args.is_empty() {
        "all events (no filter)".to_string()
    } else {
        args
    };
    for (i, l) in wrap(&what, text_w.saturating_sub(7))
        .into_iter()
        .enumerate()
    {
        let head = if i == 0 { " Saves " } else { "       " };
        lines.push(Line::from(vec![
            Span::styled(head, t.heading()),
            Span::raw(l),
        ]));
    }
    let names: Vec<String> = app.edit.views.iter().map(|v| inert(&v.name)).collect();
    let saved = if names.is_empty() {
        "none yet".to_string()
    } else {
        names.join(" · ")
    };
    lines.push(Line::from(vec![
        Span::styled(" Saved ", t.heading()),
        Span::styled(cut(&saved, text_w.saturating_sub(7)), t.dim()),
    ]));
    let area = centred(screen, w, lines.len() + 2);
    let inner = framed(frame, area, "Save view", "Enter save · Esc cancel", t);
    frame.render_widget(Paragraph::new(lines), inner);
}

fn picker(frame: &mut Frame, screen: Rect, p: Picker, app: &App) {
    let t = app.theme;
    let views = &app.edit.views;
    let w = 100usize.min(usize::from(screen.width.saturating_sub(4)));
    let text_w = w.saturating_sub(2);
    let title = format!("Saved views ({})", views.len());
    let keys = "Enter apply · d delete · Esc close";
    if views.is_empty() {
        let lines: Vec<Line> = wrap(
            "No saved views yet. S saves the current filter, sort and search as one; \
             so does `spacedip list … --save-view NAME`.",
            text_w.saturating_sub(2),
        )
        .into_iter()
        .map(|l| Line::styled(format!(" {l}"), t.dim()))
        .collect();
        let area = centred(screen, w, lines.len() + 2);
        let inner = framed(frame, area, &title, keys, t);
        frame.render_widget(Paragraph::new(lines), inner);
        return;
    }
    let name_w = views
        .iter()
        .map(|v| width(&inert(&v.name)))
        .max()
        .unwrap_or(0)
        .min(28);
    let area = centred(screen, w, views.len() + 2);
    let inner = framed(frame, area, &title, keys, t);
    let height = usize::from(inner.height).max(1);
    let offset = (p.cursor + 1).saturating_sub(height);
    let lines: Vec<Line> = views
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, v)| {
            let args = v.filter.to_args();
            let args = if args.is_empty() {
                "(all events)".to_string()
            } else {
                args
            };
            let current = if v.filter == app.filter {
                " = current"
            } else {
                ""
            };
            let name = cut(&v.name, name_w);
            let pad = name_w.saturating_sub(width(&name));
            let rest = text_w.saturating_sub(name_w + 4 + width(current));
            let mut spans = vec![
                Span::raw(if i == p.cursor { "▶ " } else { "  " }),
                Span::styled(format!("{name}{}  ", " ".repeat(pad)), t.heading()),
                Span::raw(cut(&args, rest)),
                Span::styled(current, t.dim()),
            ];
            if i == p.cursor {
                for s in &mut spans {
                    s.style = s.style.patch(t.selected());
                }
            }
            Line::from(spans)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
