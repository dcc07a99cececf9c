//! The programme cards: per programme, its events under the active filter, the channel mix
//! as a bar of channel glyphs, first and last event, and the measures of `metrics` (shares,
//! partners, Δ with n, C, D with D_w, E with coverage) at the selection's reference year, with
//! per-year sparklines of events and of D. CSS and ILRS come first, side by side.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::figures::{self, bar, first_fitting, plural, ranged_bar, ratio, short_ratio, UNDEFINED};
use super::fit::cut;
use super::theme::{channel_short, Theme};
use crate::metrics::Summary;
use crate::metrics::{Decision, Spec};
use crate::text::width;
use crate::tui::app::App;
use crate::tui::cards::ProgrammeCard;
use crate::tui::layout::{card_columns, card_height, card_rect, card_rows};

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let cols = card_columns(app.size.0);
    if app.cards.is_empty() {
        // A corpus of hundreds of programmes takes seconds to count: say so meanwhile.
        let text = if app.summaries_failed() {
            "The programmes could not be counted (the status line says why)."
        } else if !app.loaded {
            "Loading…"
        } else if app.cards_pending() {
            "Counting the programmes…"
        } else {
            "No programme."
        };
        frame.render_widget(Paragraph::new(text), area);
        return;
    }
    let rows = card_rows(area.height);
    for slot_row in 0..rows {
        for col in 0..cols {
            let i = (app.card_offset + slot_row) * cols + col;
            let Some(card) = app.cards.get(i) else {
                return;
            };
            let rect = card_rect(area, cols, slot_row, col);
            render_card(frame, rect, card, i == app.card, app.theme);
        }
    }
    // Under the last row, say that more cards follow (they scroll into view with j/↓).
    let below = (app.card_offset + rows) * cols;
    let used = card_height(area.height) * rows as u16;
    let free = area.height.saturating_sub(used);
    if below < app.cards.len() && free > 0 {
        let more = app.cards.len() - below;
        let cards = if more == 1 { "card" } else { "cards" };
        let note = format!(" ↓ {more} more {cards}: j/↓ · m formulas ");
        let line = Rect {
            y: area.y + used,
            height: 1,
            ..area
        };
        frame.render_widget(Paragraph::new(Line::styled(note, app.theme.dim())), line);
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
            // The measures count cooperation only: say so when refusals or obstacles are shown.
            let counted = card
                .summary
                .as_ref()
                .filter(|s| s.events != card.events)
                .map_or(String::new(), |s| format!(" ({} cooperation)", s.events));
            lines.push(Line::from(vec![
                Span::styled(format!("{} {noun}", card.events), t.heading()),
                Span::styled(format!("{counted}{years}"), t.dim()),
            ]));
            lines.push(mix_bar(card, w, t));
            lines.push(mix_legend(card, t));
            if let Some(s) = &card.summary {
                lines.push(shares(s, w, t));
            }
            for (label, mark) in [("first ", first), ("last  ", last)] {
                let date = mark.date.human();
                let rest = w.saturating_sub(width(label) + width(&date) + 1);
                lines.push(Line::from(vec![
                    Span::styled(label, t.dim()),
                    Span::raw(format!("{date} ")),
                    Span::raw(cut(&mark.title, rest)),
                ]));
            }
        }
        _ => {
            lines.push(Line::styled("no events under this filter", t.dim()));
            if let Some(s) = &card.summary {
                lines.push(shares(s, w, t));
            }
        }
    }
    let rest = |name_lines: usize| {
        let mut more: Vec<Line> = Vec::new();
        if let Some(s) = &card.summary {
            more.extend(measures(s, w, name_lines, t));
        }
        more.extend(decision_lines(&card.decision, w, t));
        more.extend(sparklines(card, w, t));
        more
    };
    // A card taller than its figures gives the room to the partner list.
    let mut more = rest(1);
    let room = usize::from(inner.height).saturating_sub(lines.len() + more.len());
    if room > 0 {
        more = rest(1 + room);
    }
    lines.extend(more);
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A dim label and its value.
fn labelled(label: &str, value: String, t: Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label} "), t.dim()),
        Span::raw(value),
    ])
}

/// The channel shares (`multilateral` includes the UN share, as in `stats`), in the longest
/// wording that fits.
fn shares(s: &Summary, w: usize, t: Theme) -> Line<'static> {
    let v = [
        s.un_share,
        s.multilateral_share,
        s.bilateral_share,
        s.national_share,
    ];
    let [un, ml, bi, na] = v.map(|x| ratio(x, 3));
    let [un2, ml2, bi2, na2] = v.map(|x| ratio(x, 2));
    let [un1, ml1, bi1, na1] = v.map(short_ratio);
    let line = first_fitting(
        w,
        &[
            format!("share UN {un} · UN+multi {ml} · bilat {bi} · natl {na}"),
            format!("share UN {un} UN+multi {ml} bilat {bi} natl {na}"),
            format!("share UN {un2} UN+ml {ml2} bi {bi2} nat {na2}"),
            format!("share UN {un1} UN+ml {ml1} bi {bi1} nat {na1}"),
            format!("UN {un1} UN+ml {ml1} bi {bi1} nat {na1}"),
        ],
    );
    match line.strip_prefix("share ") {
        Some(rest) => labelled("share", rest.to_string(), t),
        None => Line::raw(line),
    }
}

/// Partners, their names (in up to `name_lines` lines), the network, D and E: the `stats`
/// figures at the reference year.
fn measures(s: &Summary, w: usize, name_lines: usize, t: Theme) -> Vec<Line<'static>> {
    let (states, orgs, insts) = (
        s.partner_states.len(),
        s.partner_organisations.len(),
        s.partner_institutions.len(),
    );
    let (st, org) = (
        plural(states, "state", "states"),
        plural(orgs, "org", "orgs"),
    );
    let partners = first_fitting(
        w.saturating_sub(9),
        &[
            format!(
                "{} = {st} + {org} · {}",
                s.partners,
                plural(insts, "institution apart", "institutions apart")
            ),
            format!("{} = {st} + {org} · +{insts} inst.", s.partners),
            format!("{} = {st} + {org}", s.partners),
            format!("{} = {states} st + {orgs} org", s.partners),
        ],
    );
    let names: Vec<&str> = s
        .partner_states
        .iter()
        .chain(&s.partner_organisations)
        .map(String::as_str)
        .collect();
    let names = if names.is_empty() {
        vec![UNDEFINED.to_string()]
    } else {
        name_rows(&names, w.saturating_sub(2), name_lines)
    };
    let (d, c) = (ratio(s.network_density, 3), ratio(s.centralisation, 3));
    let (d2, c2) = (ratio(s.network_density, 2), ratio(s.centralisation, 2));
    // n and m always stand beside Δ (density falls as n grows): narrow cards cut digits instead.
    let network = first_fitting(
        w.saturating_sub(8),
        &[
            format!("n {} · m {} · Δ {d} · C {c}", s.n, s.m),
            format!("n {} m {} Δ {d} C {c}", s.n, s.m),
            format!("n {} m {} Δ {d2} C {c2}", s.n, s.m),
        ],
    );
    let (e, cov) = (ratio(s.embeddedness, 2), figures::coverage(s));
    let (long, short) = if s.partners == 0 {
        ("no partners".to_string(), "no partners".to_string())
    } else {
        (format!("{cov} covered"), cov)
    };
    let embedded = first_fitting(
        w.saturating_sub(9),
        &[format!("E {e} ({long})"), format!("E {e} ({short})")],
    );
    let mut out = vec![labelled("partners", partners, t)];
    out.extend(
        names
            .into_iter()
            .map(|n| Line::from(vec![Span::raw("  "), Span::raw(n)])),
    );
    out.push(labelled("network", network, t));
    out.push(labelled("embedded", embedded, t));
    out
}

/// Partner ids joined by ` · ` in at most `lines` lines of `w` columns; the last line ends in
/// `… +N` when names are left out.
fn name_rows(names: &[&str], w: usize, lines: usize) -> Vec<String> {
    let mut rows: Vec<String> = Vec::new();
    let mut row = String::new();
    for (i, name) in names.iter().enumerate() {
        let piece = if row.is_empty() {
            name.to_string()
        } else {
            format!(" · {name}")
        };
        if width(&row) + width(&piece) <= w {
            row.push_str(&piece);
            continue;
        }
        if rows.len() + 1 == lines {
            // The last line: say how many are left out.
            let left = names.len() - i;
            let tail = format!(" … +{left}");
            row = cut(&row, w.saturating_sub(width(&tail)));
            row.push_str(&tail);
            rows.push(row);
            return rows;
        }
        rows.push(std::mem::replace(&mut row, cut(name, w)));
    }
    rows.push(row);
    rows
}

/// Institutional density at the decision year t* and at T: plain count, exogenous, open and
/// legalised (`i` lists the institutions behind them).
fn decision_lines(d: &Decision, w: usize, t: Theme) -> Vec<Line<'static>> {
    let Some(t_star) = d.decision_year else {
        return vec![labelled(
            "density",
            "no decision year (i lists why)".to_string(),
            t,
        )];
    };
    let v = |spec: Spec, y: i32| {
        d.value(spec, y).map_or(UNDEFINED.to_string(), |v| {
            if spec == Spec::Legalised {
                format!("{v:.1}")
            } else {
                format!("{v:.0}")
            }
        })
    };
    let mut years = vec![t_star];
    if let Some(last) = d.density.last().map(|x| x.year).filter(|y| *y != t_star) {
        years.push(last);
    }
    years
        .into_iter()
        .enumerate()
        .map(|(i, y)| {
            let (c, x, o, l) = (
                v(Spec::Count, y),
                v(Spec::Exogenous, y),
                v(Spec::Open, y),
                v(Spec::Legalised, y),
            );
            // Exogenous, open and legalised leave out what came after t*: at T they repeat
            // t*'s, so T shows the plain count only.
            let text = if i == 0 {
                first_fitting(
                    w.saturating_sub(9),
                    &[
                        format!("t*{y} D {c} · exo {x} · open {o} · L {l}"),
                        format!("t*{y} D {c} exo {x} open {o} L {l}"),
                        format!("t*{y} D{c} exo{x} op{o} L{l}"),
                    ],
                )
            } else {
                first_fitting(
                    w.saturating_sub(9),
                    &[
                        format!("T {y} D {c} (all in force)"),
                        format!("T {y} D {c}"),
                    ],
                )
            };
            labelled(if i == 0 { "density" } else { "       " }, text, t)
        })
        .collect()
}

/// The channel mix: one glyph per share of the width, in each channel's colour.
fn mix_bar(card: &ProgrammeCard, w: usize, t: Theme) -> Line<'static> {
    let total = card.cooperation.max(1);
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

/// Events per year and D per year, bar above bar, with the first and last year (events) and
/// the first and last value (D) around them. Years are bucketed when they do not fit; a
/// bucket shows its events summed and D at its last year.
fn sparklines(card: &ProgrammeCard, w: usize, t: Theme) -> Vec<Line<'static>> {
    let (Some(first), Some(last)) = (card.per_year.first(), card.per_year.last()) else {
        return Vec::new();
    };
    const LABEL: usize = 7;
    // "events 2011 " before the bars, " 2025" after them.
    let room = w.saturating_sub(LABEL + 5 + 5).max(1);
    let mut bucket = card.per_year.len().div_ceil(room);
    if bucket > 1 {
        // Leave room for the note that says how many years a bar holds.
        bucket = card.per_year.len().div_ceil(room.saturating_sub(9).max(1));
    }
    let events: Vec<usize> = card
        .per_year
        .chunks(bucket)
        .map(|c| c.iter().map(|(_, n)| n).sum())
        .collect();
    let density: Vec<usize> = card
        .density_per_year
        .chunks(bucket)
        .filter_map(|c| c.last().map(|(_, d)| *d))
        .collect();
    let max = events.iter().copied().max().unwrap_or(0);
    let event_bars: String = events.iter().map(|&v| bar(v, max)).collect();
    // D moves by steps of one institution: its bars span the lowest to the highest value.
    let range = (
        density.iter().copied().min().unwrap_or(0),
        density.iter().copied().max().unwrap_or(0),
    );
    let density_bars: String = density.iter().map(|&v| ranged_bar(v, range)).collect();
    let note = if bucket > 1 {
        format!(" ({bucket}y/bar)")
    } else {
        String::new()
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{:<LABEL$}", "events"), t.dim()),
        Span::raw(format!("{:>4} ", first.0)),
        Span::styled(event_bars, t.heading()),
        Span::raw(format!(" {}", last.0)),
        Span::styled(note, t.dim()),
    ])];
    if let (Some(d0), Some(d1)) = (card.density_per_year.first(), card.density_per_year.last()) {
        lines.push(Line::from(vec![
            Span::styled(format!("{:<LABEL$}", "D"), t.dim()),
            Span::raw(format!("{:>4} ", d0.1)),
            Span::styled(density_bars, t.heading()),
            Span::raw(format!(" {}", d1.1)),
        ]));
    }
    lines
}
