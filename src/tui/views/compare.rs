//! The Compare view: two programmes on one year axis. Events per year by channel as stacked
//! glyph bars (the left programme above the axis, the right one below it; a glyph per event,
//! its channel told by the glyph ◆ ■ ▲ ● and by colour), issue-area density D and D_w per
//! year on the same columns, and the measures of `spacedip compare` side by side. Everything
//! comes from the worker's [`CompareData`](crate::tui::compare::CompareData); nothing is
//! computed here but layout.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::claims;
use super::figures::{self, ratio, UNDEFINED};
use super::fit::cut;
use super::theme::{channel_short, Theme};
use crate::domain::{Channel, Filter};
use crate::metrics::channels::ChannelMix;
use crate::metrics::Summary;
use crate::text::{inert, pad, width};
use crate::tui::app::App;
use crate::tui::compare::{filter_for, Pair, Side, YearDensity};
use crate::tui::layout::Extent;

/// The narrowest column a year (or a bucket of years) gets: a glyph bar and a 2-digit D.
const MIN_COLUMN: usize = 4;
/// The widest: more spreads the bars thin.
const MAX_COLUMN: usize = 8;
/// The most rows a programme's bars take; beyond, a glyph stands for several events.
const MAX_BAR_ROWS: usize = 6;

/// Draws the view; returns how far it scrolls.
pub fn render(frame: &mut Frame, area: Rect, app: &App) -> Extent {
    let all = lines(app, usize::from(area.width));
    let page = usize::from(area.height);
    let scroll = app.compare.scroll.min(all.len().saturating_sub(page));
    let mut shown: Vec<Line> = all.iter().skip(scroll).take(page).cloned().collect();
    // Say so when more lies below, on the last line's right.
    if scroll + page < all.len() {
        if let Some(last) = shown.last_mut() {
            let note = " ↓ more: j/k, PgDn ";
            let used = last.width();
            let room = usize::from(area.width).saturating_sub(used + width(note));
            last.spans.push(Span::raw(" ".repeat(room)));
            last.spans.push(Span::styled(note, app.theme.bar()));
        }
    }
    frame.render_widget(Paragraph::new(shown), area);
    Extent::of(all.len(), page)
}

/// Every line of the view at `w` columns.
fn lines(app: &App, w: usize) -> Vec<Line<'static>> {
    let t = app.theme;
    let c = &app.compare;
    if !app.loaded {
        return vec![Line::raw("Loading…")];
    }
    if c.left.is_empty() || c.right.is_empty() || c.left == c.right {
        return vec![Line::styled(
            "Compare needs two programmes, and the catalog has fewer.",
            t.dim(),
        )];
    }
    let mut out = title(app, w);
    match c.data.pair(&c.left, &c.right) {
        None => {
            let (l, r) = (&c.left, &c.right);
            let note = if app.summaries_failed() {
                format!("{l} and {r} could not be compared (the status line says why).")
            } else if app.compare_pending() {
                format!("Counting {l} and {r}…")
            } else {
                format!("Neither {l} nor {r} has an event under this filter (x clears it).")
            };
            out.extend([Line::raw(""), Line::styled(cut(&note, w), t.dim())]);
        }
        Some(pair) => {
            let axis = Axis::new(&pair, w, label_width(&pair));
            out.push(Line::raw(""));
            out.extend(channel_chart(&pair, &axis, w, t));
            out.push(Line::raw(""));
            out.extend(density_rows(&pair, &axis, w, t));
            out.push(Line::raw(""));
            out.extend(measures(&pair, w, t));
            out.push(Line::raw(""));
            out.extend(claims::lines(&pair, w, t));
        }
    }
    out
}

/// The pair's names, the keys that change it, and the filter that applies.
fn title(app: &App, w: usize) -> Vec<Line<'static>> {
    let t = app.theme;
    let c = &app.compare;
    let name = |id: &str| {
        app.catalog
            .programme(id)
            .map_or(String::new(), |p| p.name.clone())
    };
    let side = (w.saturating_sub(6) / 2).max(8);
    let half = |id: &str| -> Vec<Span<'static>> {
        let id_cut = cut(id, side);
        let rest = side.saturating_sub(width(&id_cut) + 1);
        vec![
            Span::styled(id_cut, t.heading()),
            Span::raw(" "),
            Span::raw(cut(&name(id), rest)),
        ]
    };
    let mut first: Vec<Span<'static>> = half(&c.left);
    first.push(Span::styled("  vs  ", t.dim()));
    first.extend(half(&c.right));
    let args = Filter {
        sort: Filter::default().sort,
        order: Filter::default().order,
        ..filter_for(&app.filter)
    }
    .to_args();
    let mut under = if args.is_empty() && app.filter.programmes.is_empty() {
        "every event (no filter)".to_string()
    } else if args.is_empty() {
        "every event of the pair".to_string()
    } else {
        args
    };
    if !app.filter.programmes.is_empty() {
        under.push_str("; the pair replaces the programme filter");
    }
    vec![
        Line::from(first),
        Line::styled(
            cut(
                "[ ] left programme · { } right · s swap · m formulas · C copies the command",
                w,
            ),
            t.dim(),
        ),
        Line::from(vec![
            Span::styled("under ", t.dim()),
            Span::raw(cut(&under, w.saturating_sub(6))),
        ]),
    ]
}

/// The label column's width: the longest row label ("ILRS D_w "), within reason.
fn label_width(pair: &Pair) -> usize {
    let id = pair
        .sides
        .iter()
        .map(|s| width(&s.programme.id))
        .max()
        .unwrap_or(0);
    (id + 5).clamp(6, 16)
}

/// The shared year axis: a column per year, or per bucket of years when the span is too
/// long for the width.
struct Axis {
    first: i32,
    last: i32,
    /// Years per column.
    years: usize,
    columns: usize,
    /// Columns a year (bucket) takes, its gap included.
    width: usize,
    /// The label column's width.
    label: usize,
}

impl Axis {
    fn new(pair: &Pair, w: usize, label: usize) -> Axis {
        let span = usize::try_from(pair.last - pair.first + 1)
            .unwrap_or(1)
            .max(1);
        let room = w.saturating_sub(label).max(MIN_COLUMN);
        let fit = (room / MIN_COLUMN).max(1);
        let years = span.div_ceil(fit);
        let columns = span.div_ceil(years);
        let width = (room / columns).clamp(MIN_COLUMN, MAX_COLUMN);
        Axis {
            first: pair.first,
            last: pair.last,
            years,
            columns,
            width,
            label,
        }
    }

    /// Indices into a side's per-year data of the years in column `j`.
    fn span(&self, j: usize) -> std::ops::Range<usize> {
        let total = usize::try_from(self.last - self.first + 1).unwrap_or(0);
        (j * self.years).min(total)..((j + 1) * self.years).min(total)
    }

    /// The first year of column `j`.
    fn year(&self, j: usize) -> i32 {
        self.first + i32::try_from(j * self.years).unwrap_or(0)
    }

    fn label_cell(&self, text: &str) -> String {
        pad(&cut(text, self.label.saturating_sub(1)), self.label)
    }

    /// A programme id and a measure's name ("ILRS D_w"), the id cut to keep the name.
    fn measure_cell(&self, id: &str, measure: &str) -> String {
        let room = self.label.saturating_sub(width(measure) + 2);
        pad(&format!("{} {measure}", cut(id, room)), self.label)
    }

    /// The year labels, as many as fit with a space between them.
    fn years_line(&self, t: Theme) -> Line<'static> {
        let labels: Vec<String> = (0..self.columns)
            .map(|j| self.year(j).to_string())
            .collect();
        let longest = labels.iter().map(|l| width(l)).max().unwrap_or(4);
        let every = (longest + 1).div_ceil(self.width).max(1);
        let mut text = String::new();
        for (j, l) in labels.iter().enumerate() {
            let cell = if j % every == 0 { l.as_str() } else { "" };
            if j % every == 0 {
                text.push_str(&pad(cell, self.width * every.min(self.columns - j)));
            }
        }
        Line::from(vec![
            Span::styled(self.label_cell("year"), t.dim()),
            Span::styled(text.trim_end().to_string(), t.dim()),
        ])
    }
}

/// The channels of a year's events, one entry per glyph, in channel order.
fn glyphs(mix: &ChannelMix, unit: usize) -> Vec<Channel> {
    let glyphs = |n: usize| if unit == 1 { n } else { n.div_ceil(unit) };
    [
        (Channel::UnMultilateral, mix.un_multilateral),
        (Channel::Multilateral, mix.multilateral),
        (Channel::Bilateral, mix.bilateral),
        (Channel::National, mix.national),
    ]
    .into_iter()
    .flat_map(|(c, n)| std::iter::repeat_n(c, glyphs(n)))
    .collect()
}

/// A side's channel counts per column.
fn column_mixes(side: &Side, axis: &Axis) -> Vec<ChannelMix> {
    (0..axis.columns)
        .map(|j| {
            let mut sum = ChannelMix::default();
            for (_, m) in side.per_year.get(axis.span(j)).unwrap_or(&[]) {
                sum.events += m.events;
                sum.un_multilateral += m.un_multilateral;
                sum.multilateral += m.multilateral;
                sum.bilateral += m.bilateral;
                sum.national += m.national;
            }
            sum
        })
        .collect()
}

/// Events per year by channel: the left programme's bars grow up from the year axis, the
/// right one's down from it, on one scale.
fn channel_chart(pair: &Pair, axis: &Axis, w: usize, t: Theme) -> Vec<Line<'static>> {
    let per_row = axis.width - 1;
    let mixes: Vec<Vec<ChannelMix>> = pair.sides.iter().map(|s| column_mixes(s, axis)).collect();
    let busiest = mixes.iter().flatten().map(|m| m.events).max().unwrap_or(0);
    let unit = busiest.div_ceil(per_row * MAX_BAR_ROWS).max(1);
    let years = if axis.years > 1 {
        format!(", {} years a column", axis.years)
    } else {
        String::new()
    };
    let scale = if unit == 1 {
        "one glyph per event".to_string()
    } else {
        format!("a glyph per {unit} events or part of them")
    };
    let mut legend = vec![Span::styled(axis.label_cell(""), t.dim())];
    for &c in Channel::ALL {
        legend.push(Span::styled(c.glyph().to_string(), t.channel(c)));
        legend.push(Span::raw(format!(" {}  ", channel_short(c))));
    }
    legend.push(Span::styled(scale, t.dim()));
    let (a, b) = (axis.first, axis.last);
    let heading = figures::first_fitting(
        w,
        &[
            format!("Events per year by channel, {a}–{b}{years} (the year an event starts)"),
            format!("Events per year by channel, {a}–{b}{years}"),
        ],
    );
    let mut out = vec![Line::styled(heading, t.heading()), Line::from(legend)];
    for (i, side) in pair.sides.iter().enumerate() {
        let cells: Vec<Vec<Channel>> = mixes[i].iter().map(|m| glyphs(m, unit)).collect();
        let rows = cells
            .iter()
            .map(|g| g.len().div_ceil(per_row))
            .max()
            .unwrap_or(0);
        let mut block: Vec<Line<'static>> = if rows == 0 {
            vec![Line::from(vec![
                Span::styled(axis.label_cell(&side.programme.id), t.heading()),
                Span::styled("no events under this filter", t.dim()),
            ])]
        } else {
            (0..rows)
                .map(|r| bar_row(&side.programme.id, &cells, r, axis, t))
                .collect()
        };
        // Row 0 lies against the axis: above it for the left programme, below for the right.
        if i == 0 {
            block.reverse();
            out.extend(block);
            out.push(axis.years_line(t));
        } else {
            out.extend(block);
        }
    }
    out
}

/// Row `r` (0 = against the axis) of a side's stacked glyph bars.
fn bar_row(id: &str, cells: &[Vec<Channel>], r: usize, axis: &Axis, t: Theme) -> Line<'static> {
    let per_row = axis.width - 1;
    let label = if r == 0 { id } else { "" };
    let mut spans = vec![Span::styled(axis.label_cell(label), t.heading())];
    for g in cells {
        let part = g
            .get(r * per_row..((r + 1) * per_row).min(g.len()))
            .unwrap_or(&[]);
        let mut run: Vec<Span<'static>> = Vec::new();
        for &c in Channel::ALL {
            let n = part.iter().filter(|x| **x == c).count();
            if n > 0 {
                run.push(Span::styled(c.glyph().to_string().repeat(n), t.channel(c)));
            }
        }
        spans.extend(run);
        spans.push(Span::raw(" ".repeat(axis.width - part.len())));
    }
    Line::from(spans)
}

/// D and D_w per year on the chart's columns (a bucket shows its last year), D with a bar
/// scaled from the lowest to the highest D of either programme, so that its steps show.
fn density_rows(pair: &Pair, axis: &Axis, w: usize, t: Theme) -> Vec<Line<'static>> {
    let at_end = |side: &Side, j: usize, f: fn(&YearDensity) -> usize| -> Option<usize> {
        let span = axis.span(j);
        side.density.get(span.end.checked_sub(1)?).map(f)
    };
    let d = |y: &YearDensity| y.count;
    let dw = |y: &YearDensity| y.weighted;
    let values: Vec<usize> = pair
        .sides
        .iter()
        .flat_map(|s| (0..axis.columns).filter_map(move |j| at_end(s, j, d)))
        .collect();
    let range = (
        values.iter().copied().min().unwrap_or(0),
        values.iter().copied().max().unwrap_or(0),
    );
    // A column of several years shows the values of its last year.
    let per = if axis.years > 1 {
        "Issue-area density at each column's last year"
    } else {
        "Issue-area density per year"
    };
    let heading = figures::first_fitting(
        w,
        &[
            format!("{per}: D institutions in force in the issue area, D_w their members · bars from the lowest D to the highest"),
            format!("{per}: D institutions in force in the issue area, D_w their members"),
            format!("{per}: D institutions in force, D_w their members"),
            format!("{per}: D and D_w"),
        ],
    );
    let mut out = vec![Line::styled(heading, t.heading()), axis.years_line(t)];
    for (label, f, with_bar) in [("D", d as fn(&YearDensity) -> _, true), ("D_w", dw, false)] {
        for side in &pair.sides {
            let mut spans = vec![Span::styled(
                axis.measure_cell(&side.programme.id, label),
                t.heading(),
            )];
            for j in 0..axis.columns {
                spans.extend(value_cell(
                    at_end(side, j, f),
                    range,
                    with_bar,
                    axis.width,
                    t,
                ));
            }
            out.push(Line::from(spans));
        }
    }
    out
}

/// A value at the start of its column, after its bar when asked and when it fits.
fn value_cell(
    v: Option<usize>,
    range: (usize, usize),
    with_bar: bool,
    w: usize,
    t: Theme,
) -> Vec<Span<'static>> {
    let text = figures::count(v);
    let digits = width(&text);
    let glyph = v.map_or(' ', |v| figures::ranged_bar(v, range));
    if with_bar && digits + 3 <= w {
        vec![
            Span::styled(glyph.to_string(), t.heading()),
            Span::raw(pad(&format!(" {text}"), w - 1)),
        ]
    } else if with_bar && digits + 2 <= w {
        vec![
            Span::styled(glyph.to_string(), t.heading()),
            Span::raw(pad(&text, w - 1)),
        ]
    } else if digits < w {
        vec![Span::raw(pad(&text, w))]
    } else {
        vec![Span::raw(pad("…", w))]
    }
}

/// The measures at the pair's reference year, as `spacedip compare A B` prints them.
fn measures(pair: &Pair, w: usize, t: Theme) -> Vec<Line<'static>> {
    type Row = (&'static str, fn(&Summary) -> String);
    let rows: [Row; 14] = [
        ("issue area", |s| s.issue_area.to_string()),
        ("lead state", |s| {
            s.lead_state.as_deref().map_or(UNDEFINED.into(), inert)
        }),
        ("events", |s| s.events.to_string()),
        ("UN share", |s| ratio(s.un_share, 3)),
        ("multilateral share (incl. UN)", |s| {
            ratio(s.multilateral_share, 3)
        }),
        ("bilateral share", |s| ratio(s.bilateral_share, 3)),
        ("national share", |s| ratio(s.national_share, 3)),
        ("partners = states + orgs", |s| {
            format!(
                "{} = {} + {}",
                s.partners,
                s.partner_states.len(),
                s.partner_organisations.len()
            )
        }),
        ("institutions (apart)", |s| {
            s.partner_institutions.len().to_string()
        }),
        ("network n nodes, m edges", |s| format!("{}, {}", s.n, s.m)),
        ("network density Δ", |s| ratio(s.network_density, 3)),
        ("centralisation C", |s| ratio(s.centralisation, 3)),
        ("issue-area density D (D_w)", figures::density),
        ("embeddedness E (coverage)", |s| figures::embeddedness(s, 3)),
    ];
    let summaries: Vec<Option<&Summary>> = pair.sides.iter().map(|s| s.summary).collect();
    let cell = |s: Option<&Summary>, f: fn(&Summary) -> String| s.map_or(UNDEFINED.into(), f);
    let col = |i: usize| {
        rows.iter()
            .map(|(_, f)| width(&cell(summaries[i], *f)))
            .chain([width(&pair.sides[i].programme.id)])
            .max()
            .unwrap_or(0)
            + 3
    };
    let (wa, wb) = (col(0), col(1));
    let label_w = rows
        .iter()
        .map(|(l, _)| width(l))
        .max()
        .unwrap_or(0)
        .min(w.saturating_sub(wa + wb))
        + 2;
    let year = pair.last;
    let mut out = vec![
        Line::styled(
            cut(
                &format!("Measures up to {year}, cumulative (as `spacedip compare` gives them)"),
                w,
            ),
            t.heading(),
        ),
        Line::from(vec![
            Span::raw(" ".repeat(label_w)),
            Span::styled(
                pad(&cut(&pair.sides[0].programme.id, wa - 3), wa),
                t.heading(),
            ),
            Span::styled(cut(&pair.sides[1].programme.id, wb - 3), t.heading()),
        ]),
    ];
    for (label, f) in rows {
        out.push(Line::from(vec![
            Span::styled(pad(&cut(label, label_w - 2), label_w), t.dim()),
            Span::raw(pad(&cell(summaries[0], f), wa)),
            Span::raw(cell(summaries[1], f)),
        ]));
    }
    out
}
