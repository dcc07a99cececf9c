//! The institutions overlay (`i` on a programme card or in the Compare view): what the
//! programme's density counts at its decision year t*, institution by institution, with the
//! specifications that count each and why the others leave it out. Built from the catalog and
//! the worker's decision year with `metrics::decision`, as `spacedip institutions -p P` is.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use super::fit::cut;
use super::overlay::{self, Overlay};
use super::theme::Theme;
use crate::metrics::decision::{standing, Decision, Reason, Spec, YearSource};
use crate::text::{pad, width};
use crate::tui::app::App;
use crate::tui::layout::{popup_inner, Extent, View};

/// The widest the overlay gets.
const MAX_WIDTH: u16 = 110;

/// The decision densities the worker computed for `id`, under the filter of the view the list
/// was opened from: the Compare view's pair (the filter without its programme choice), else
/// the programme cards (the filter as it is).
fn decision_of<'a>(app: &'a App, id: &str) -> Option<&'a Decision> {
    let compare = || {
        let c = &app.compare;
        let pair = c.data.pair(&c.left, &c.right)?;
        pair.sides
            .iter()
            .find(|s| s.programme.id == id)
            .and_then(|s| s.claims)
            .map(|i| &i.decision)
    };
    let card = || app.cards.iter().find(|c| c.id == id).map(|c| &c.decision);
    if app.view == View::Compare {
        compare().or_else(card)
    } else {
        card().or_else(compare)
    }
}

fn reason_label(r: Reason) -> &'static str {
    match r {
        Reason::NotInForce => "not in force",
        Reason::OtherArea => "other area",
        Reason::Universal => "universal (apart)",
        Reason::Own => "own",
        Reason::PostDecision => "after t*",
        Reason::Closed => "closed to the lead",
    }
}

/// Every line of the overlay at text width `w`.
fn lines(app: &App, w: usize, t: Theme) -> Vec<Line<'static>> {
    let Some(id) = app.compare.institutions.as_deref() else {
        return Vec::new();
    };
    let c = &app.catalog;
    let Some(p) = c.programme(id) else {
        return vec![Line::styled(format!("Unknown programme {id}."), t.dim())];
    };
    let decision = decision_of(app, id);
    let Some(t_star) = decision.and_then(|d| d.decision_year) else {
        return vec![Line::styled(
            cut(
                &format!(
                    "{id} has no decision year: none of its selected events is a formal, \
                     non-national cooperation instrument (the rule of Methods; x clears a \
                     filter that hides them)."
                ),
                w,
            ),
            t.dim(),
        )];
    };
    let d = decision.cloned().unwrap_or_default();
    let source = match d.decision_year_source {
        YearSource::Rule => match &d.decision_instrument {
            Some(e) => format!("the year before {e}"),
            None => "the rule".to_string(),
        },
        YearSource::Data => "set in the data".to_string(),
        YearSource::Flag => "--decision-year".to_string(),
    };
    let value = |spec: Spec| {
        d.value(spec, t_star).map_or("–".to_string(), |v| {
            format!("{v:.1}").trim_end_matches(".0").to_string()
        })
    };
    let mut out = vec![
        Line::styled(
            cut(
                &format!(
                    "{id} · {} · decision year t* {t_star} ({source})",
                    p.issue_area
                ),
                w,
            ),
            t.heading(),
        ),
        Line::raw(cut(
            &format!(
                "at t*: count {} · exogenous {} · open {} · legalised {} · universal apart {}",
                value(Spec::Count),
                value(Spec::Exogenous),
                value(Spec::Open),
                value(Spec::Legalised),
                d.density_universal
                    .iter()
                    .find(|u| u.year == t_star)
                    .map_or(0, |u| u.value)
            ),
            w,
        )),
    ];
    let standings: Vec<_> = c
        .institutions
        .iter()
        .map(|i| (i, standing(c, p, i, t_star, Some(t_star))))
        .collect();
    let id_w = standings
        .iter()
        .map(|(i, _)| width(&i.id))
        .max()
        .unwrap_or(2)
        .min(20);
    let row = |i: &crate::domain::Institution, tail: String| -> Line<'static> {
        let head = format!(
            "  {} {} {:<11} ",
            pad(&cut(&i.id, id_w), id_w),
            pad(&i.in_force.to_string(), 10),
            i.kind.as_str()
        );
        let rest = w.saturating_sub(width(&head));
        Line::from(vec![Span::raw(head), Span::raw(cut(&tail, rest))])
    };
    out.push(Line::raw(""));
    out.push(Line::styled(
        "Counted (exogenous; L = legalisation weight)",
        t.heading(),
    ));
    let mut any = false;
    for (i, s) in standings
        .iter()
        .filter(|(_, s)| s.counted_in.contains(&Spec::Exogenous))
    {
        any = true;
        let open = if s.counted_in.contains(&Spec::Open) {
            "open"
        } else {
            "closed to the lead"
        };
        out.push(row(
            i,
            format!("L {} · {open} · {}", s.legalisation, i.name),
        ));
    }
    if !any {
        out.push(Line::styled("  none", t.dim()));
    }
    out.push(Line::raw(""));
    out.push(Line::styled("Left out, and why", t.heading()));
    for (i, s) in standings
        .iter()
        .filter(|(_, s)| !s.counted_in.contains(&Spec::Exogenous))
    {
        let why: Vec<&str> = s.reasons.iter().map(|r| reason_label(*r)).collect();
        out.push(row(i, format!("{} · {}", why.join(", "), i.name)));
    }
    out
}

/// Draws the overlay; returns how far it scrolls.
pub fn render(frame: &mut Frame, area: Rect, app: &App) -> Option<Extent> {
    let t = app.theme;
    let body = popup_inner((area.width, area.height), MAX_WIDTH);
    let command = format!(
        "Institutions behind the density · {} institutions -p {}",
        app.program,
        app.compare.institutions.as_deref().unwrap_or_default()
    );
    let o = Overlay {
        title: &command,
        closes: "i or Esc",
        max_width: MAX_WIDTH,
        lines: lines(app, usize::from(body.width), t),
        scroll: app.compare.institution_scroll,
    };
    overlay::render(frame, area, o, t)
}
