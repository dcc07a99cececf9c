//! The Compare view's last part: each programme's institutional density at its own decision
//! year t* under every specification, then the article's claims tested on the pair with their
//! verdicts, as `spacedip compare A B` ends. Built from the worker's claim inputs
//! (`metrics::claims`); nothing but layout is computed here.

use ratatui::text::{Line, Span};

use super::figures::UNDEFINED;
use super::fit::cut;
use super::theme::Theme;
use crate::metrics::claims::claims_of;
use crate::metrics::decision::Decision;
use crate::metrics::Spec;
use crate::text::{pad, width};
use crate::tui::compare::Pair;

/// Density at each programme's decision year under every specification, then the article's
/// claims with their verdicts, as `spacedip compare A B` ends.
pub fn lines(pair: &Pair, w: usize, t: Theme) -> Vec<Line<'static>> {
    let [Some(a), Some(b)] = pair.sides.map(|s| s.claims) else {
        return Vec::new();
    };
    let (da, db) = (&a.decision, &b.decision);
    let at = |d: &Decision, spec: Spec| -> String {
        let v = d.decision_year.and_then(|y| d.value(spec, y));
        match (spec, v) {
            (Spec::Legalised, Some(v)) => format!("{v:.1}"),
            (_, Some(v)) => format!("{v:.0}"),
            (_, None) => UNDEFINED.to_string(),
        }
    };
    let year = |d: &Decision| {
        d.decision_year
            .map_or(UNDEFINED.to_string(), |y| y.to_string())
    };
    let universal = |d: &Decision| {
        d.density_universal
            .iter()
            .find(|u| Some(u.year) == d.decision_year)
            .map_or(UNDEFINED.to_string(), |u| u.value.to_string())
    };
    let mut rows: Vec<(String, String, String)> =
        vec![("decision year t*".to_string(), year(da), year(db))];
    for spec in Spec::ALL {
        rows.push((format!("{spec} at t*"), at(da, spec), at(db, spec)));
    }
    rows.push((
        "universal (apart)".to_string(),
        universal(da),
        universal(db),
    ));
    let ids = [&a.programme, &b.programme];
    let col = 3 + rows
        .iter()
        .map(|r| width(&r.1))
        .chain([width(ids[0])])
        .max()
        .unwrap_or(0);
    let label_w = rows
        .iter()
        .map(|r| width(&r.0))
        .max()
        .unwrap_or(0)
        .min(w / 2)
        + 2;
    let mut out = vec![
        Line::styled(
            cut(
                "Density at each decision year t* (i lists what it counts)",
                w,
            ),
            t.heading(),
        ),
        Line::from(vec![
            Span::raw(" ".repeat(label_w)),
            Span::styled(pad(&cut(ids[0], col - 3), col), t.heading()),
            Span::styled(cut(ids[1], col), t.heading()),
        ]),
    ];
    for (label, x, y) in rows {
        out.push(Line::from(vec![
            Span::styled(pad(&cut(&label, label_w - 2), label_w), t.dim()),
            Span::raw(pad(&x, col)),
            Span::raw(y),
        ]));
    }
    out.push(Line::raw(""));
    out.push(Line::styled(
        cut(
            "Claims of Li & Mayer (2023), each under several specifications",
            w,
        ),
        t.heading(),
    ));
    for c in claims_of(a, b) {
        let verdict = c.summary();
        let flips = if c.flips.is_empty() {
            String::new()
        } else {
            format!(" · flips under {}", c.flips.join(", "))
        };
        let room = w.saturating_sub(width(&verdict) + width(&flips) + 3);
        out.push(Line::from(vec![
            Span::raw(pad(&cut(&c.statement, room), room)),
            Span::raw("  "),
            Span::styled(verdict, t.heading()),
            Span::styled(flips, t.dim()),
        ]));
    }
    out
}
