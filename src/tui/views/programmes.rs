//! The programme cards: per programme, its events under the active filter, the channel mix
//! as a bar of channel glyphs, partners, first and last event, a per-year sparkline, and
//! the slot for institutional-density figures. CSS and ILRS come first, side by side.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::fit::cut;
use super::theme::{channel_short, Theme};
use crate::text::width;
use crate::tui::app::App;
use crate::tui::cards::{DensityFigures, ProgrammeCard};

/// Rows a card takes, borders included.
pub const CARD_HEIGHT: u16 = 11;

/// Cards per row at a terminal `width`: two (CSS beside ILRS), three when wide.
pub fn columns(width: u16) -> usize {
    if width >= 150 {
        3
    } else {
        2
    }
}

/// Card rows that fit in `height`.
pub fn rows_visible(height: u16) -> usize {
    usize::from(height / CARD_HEIGHT).max(1)
}

fn card_rect(area: Rect, cols: usize, slot_row: usize, col: usize) -> Rect {
    let w = area.width / cols as u16;
    let x = area.x + w * col as u16;
    let width = if col + 1 == cols { area.right() - x } else { w };
    Rect {
        x,
        y: area.y + CARD_HEIGHT * slot_row as u16,
        width,
        height: CARD_HEIGHT.min(area.height),
    }
}

/// The card at (x, y) of the grid `area`, if any.
pub fn card_at(area: Rect, app: &App, x: u16, y: u16) -> Option<usize> {
    let cols = columns(app.size.0);
    let w = (area.width / cols as u16).max(1);
    let col = (usize::from((x - area.x) / w)).min(cols - 1);
    let row = usize::from((y - area.y) / CARD_HEIGHT);
    let i = (app.card_offset + row) * cols + col;
    (row < rows_visible(area.height) && i < app.cards.len()).then_some(i)
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let cols = columns(app.size.0);
    if app.cards.is_empty() {
        let text = if app.loaded {
            "No programme."
        } else {
            "Loading…"
        };
        frame.render_widget(Paragraph::new(text), area);
        return;
    }
    for slot_row in 0..rows_visible(area.height) {
        for col in 0..cols {
            let i = (app.card_offset + slot_row) * cols + col;
            let Some(card) = app.cards.get(i) else {
                return;
            };
            let rect = card_rect(area, cols, slot_row, col);
            render_card(frame, rect, card, i == app.card, app.theme);
        }
    }
}

fn render_card(frame: &mut Frame, area: Rect, card: &ProgrammeCard, selected: bool, t: Theme) {
    let title = format!(" {} · {} ", card.id, card.name);
    let title = cut(&title, usize::from(area.width.saturating_sub(4)));
    let (border, title_style) = if selected {
        (t.focus(), t.selected())
    } else {
        (t.dim(), t.heading())
    };
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(border)
        .title(Line::styled(title, title_style));
    let inner = block.inner(area);
    let w = usize::from(inner.width);
    let mut lines: Vec<Line> = Vec::new();
    match (&card.first, &card.last) {
        (Some(first), Some(last)) => {
            let (y0, y1) = (first.date.year_value(), last.date.year_value());
            let years = if y0 == y1 {
                format!(" · {y0}")
            } else {
                format!(" · {y0}–{y1}")
            };
            let noun = if card.events == 1 { "event" } else { "events" };
            lines.push(Line::from(vec![
                Span::styled(format!("{} {noun}", card.events), t.heading()),
                Span::styled(years, t.dim()),
            ]));
            lines.push(mix_bar(card, w, t));
            lines.push(mix_legend(card, t));
            for (label, mark) in [("first ", first), ("last  ", last)] {
                let date = mark.date.human();
                let rest = w.saturating_sub(width(label) + width(&date) + 1);
                lines.push(Line::from(vec![
                    Span::styled(label, t.dim()),
                    Span::raw(format!("{date} ")),
                    Span::raw(cut(&mark.title, rest)),
                ]));
            }
            lines.extend(partners(card, w, t));
            lines.push(sparkline(card, w, t));
        }
        _ => lines.push(Line::styled("no events under this filter", t.dim())),
    }
    while lines.len() + 1 < usize::from(inner.height) {
        lines.push(Line::raw(""));
    }
    lines.extend(density(card.density.as_ref(), w, t));
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The channel mix: one glyph per share of the width, in each channel's colour.
fn mix_bar(card: &ProgrammeCard, w: usize, t: Theme) -> Line<'static> {
    let total = card.events.max(1);
    let mut cells: Vec<(usize, usize)> = card
        .channels
        .iter()
        .enumerate()
        .map(|(i, (_, n))| (i, n * w / total))
        .collect();
    // Largest remainders get the columns that rounding down left over.
    let used: usize = cells.iter().map(|c| c.1).sum();
    let mut order: Vec<usize> = (0..cells.len())
        .filter(|&i| card.channels[i].1 > 0)
        .collect();
    order.sort_by_key(|&i| std::cmp::Reverse(card.channels[i].1 * w % total));
    for &i in order.iter().take(w.saturating_sub(used)) {
        cells[i].1 += 1;
    }
    Line::from(
        cells
            .into_iter()
            .filter(|c| c.1 > 0)
            .map(|(i, n)| {
                let ch = card.channels[i].0;
                Span::styled(ch.glyph().to_string().repeat(n), t.channel(ch))
            })
            .collect::<Vec<_>>(),
    )
}

fn mix_legend(card: &ProgrammeCard, t: Theme) -> Line<'static> {
    let mut spans = Vec::new();
    for (ch, n) in &card.channels {
        spans.push(Span::styled(ch.glyph().to_string(), t.channel(*ch)));
        spans.push(Span::raw(format!(" {} {n} ", channel_short(*ch))));
    }
    Line::from(spans)
}

/// Partners (the lead agency and state left out), most events first, over two lines.
fn partners(card: &ProgrammeCard, w: usize, t: Theme) -> Vec<Line<'static>> {
    let n = card.partners.len();
    let label = format!("{n} partner{} ", if n == 1 { "" } else { "s" });
    let mut used = width(&label);
    let mut lines: Vec<Vec<Span<'static>>> = vec![vec![Span::styled(label, t.dim())]];
    let mut first_on_line = true;
    // Two columns stay free for the " …" that says more partners did not fit.
    let room = w.saturating_sub(2);
    for (actor, n) in &card.partners {
        let item = format!("{} {n}", cut(actor, 16));
        let sep = if first_on_line { "" } else { " · " };
        if used + width(sep) + width(&item) > room {
            if lines.len() == 2 || 2 + width(&item) > room {
                if let Some(last) = lines.last_mut() {
                    last.push(Span::styled(" …", t.dim()));
                }
                break;
            }
            lines.push(vec![Span::raw("  ")]);
            used = 2;
            first_on_line = true;
        }
        let sep = if first_on_line { "" } else { " · " };
        used += width(sep) + width(&item);
        if let Some(last) = lines.last_mut() {
            last.push(Span::raw(format!("{sep}{item}")));
        }
        first_on_line = false;
    }
    lines.into_iter().map(Line::from).collect()
}

/// Events per year as block heights, with the first and last year around them.
fn sparkline(card: &ProgrammeCard, w: usize, t: Theme) -> Line<'static> {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let (Some(first), Some(last)) = (card.per_year.first(), card.per_year.last()) else {
        return Line::raw("");
    };
    let label = "per year ";
    let room = w.saturating_sub(width(label) + 10).max(1);
    let mut bucket = card.per_year.len().div_ceil(room);
    if bucket > 1 {
        // Leave room for the note that says how many years a bar holds.
        bucket = card.per_year.len().div_ceil(room.saturating_sub(9).max(1));
    }
    let sums: Vec<usize> = card
        .per_year
        .chunks(bucket)
        .map(|c| c.iter().map(|(_, n)| n).sum())
        .collect();
    let max = sums.iter().copied().max().unwrap_or(0).max(1);
    let bars: String = sums
        .iter()
        .map(|&n| match n {
            0 => '·',
            n => BARS[((n * BARS.len()).div_ceil(max) - 1).min(BARS.len() - 1)],
        })
        .collect();
    let note = if bucket > 1 {
        format!(" ({bucket}y/bar)")
    } else {
        String::new()
    };
    Line::from(vec![
        Span::styled(label, t.dim()),
        Span::raw(format!("{} ", first.0)),
        Span::styled(bars, t.heading()),
        Span::raw(format!(" {}", last.0)),
        Span::styled(note, t.dim()),
    ])
}

/// Issue-area density (from `metrics`), or a dash when there is no year to measure at.
pub fn density(figures: Option<&DensityFigures>, w: usize, t: Theme) -> Vec<Line<'static>> {
    match figures {
        Some(f) => f
            .rows
            .iter()
            .map(|(label, value)| {
                let label = format!("{} ", cut(label, w / 2));
                let value = cut(value, w.saturating_sub(width(&label)));
                Line::from(vec![Span::styled(label, t.dim()), Span::raw(value)])
            })
            .collect(),
        None => vec![Line::from(vec![
            Span::styled("density ", t.dim()),
            Span::raw("—"),
        ])],
    }
}
