//! The case table for qualitative comparative analysis: one row per programme, calibrated
//! conditions as columns and the outcome last, as a CSV that R's `QCA::truthTable()` reads.
//!
//! Read it in R with
//! `tt <- QCA::truthTable(read.csv("cases.csv", row.names = 1), outcome = "MULTI")`: the
//! first column (`programme`) holds the row names, every other column is a set membership
//! score in [0, 1] with no missing value, and the header is made of syntactically valid R names.
//!
//! **Cases.** Every programme with at least one selected cooperation event, in the catalog's
//! order (a programme whose only event is an obstacle or a refusal is not a case).
//!
//! **Conditions** (fuzzy sets, Ragin's direct method with the logistic function; the anchors
//! map to 0.05, 0.5 and 0.95, as `QCA::calibrate(x, type = "fuzzy", thresholds =
//! c(e = ., c = ., i = .), logistic = TRUE, idm = 0.95)` does):
//!
//! - `DENSE`, a dense issue area: the *exogenous* density of the programme's issue area at its
//!   decision year t* (`metrics::decision`: the year before its first channel-defining
//!   instrument, or the year set in the data): the area-scoped institutions in force then,
//!   without the programme's own and anything founded after t*, universal ones (the UN
//!   treaties, COPUOS, UNOOSA) left apart since every area shares them. The condition must
//!   precede the channel choice it should explain. A programme without a decision year takes
//!   the year of its first selected event. Anchors e = 1 (the universal regime and at most one
//!   body of its own), i = 8 (a crowded area: eight or more bodies of its own, as neither area
//!   had at its decision year in the seed), c = 4.5 (halfway, off the integers so that no count
//!   sits on it).
//! - `EMBED`, partners embedded with the lead state: embeddedness E(p, T) at the reference year T.
//!   Anchors e = 0.5 (partners share on average less than one institution with the lead),
//!   c = 1.5 (between one shared institution, usually just COPUOS, and two), i = 3 (a UN body,
//!   a treaty and a regional or club organisation on average). Where E is undefined (no lead
//!   state, or no partner with membership data) the score is 0: the data give no evidence of
//!   embeddedness. Drop those rows in R if you read missing data differently.
//! - `BROAD`, a broad partnership: partners (foreign states + international organisations) up
//!   to T. Anchors e = 1 (a single dyad), i = 15 (the ISS partnership: 14 foreign states and
//!   ESA), c = 7.5 (halfway, off the integers).
//!
//! A score that would be exactly 0.5 after rounding to three decimals is written 0.501
//! (adding 0.001, the usual practice): `truthTable()` cannot place a case that sits on the
//! crossover in any row.
//!
//! **Outcome** (crisp): `MULTI` = 1 when the programme's multilateral events (UN and other)
//! outnumber its bilateral events up to T, else 0; national events are not a channel choice
//! and are left out. A programme with neither is 0.
//!
//! The network measures are deliberately not conditions: a multilateral event adds a clique and
//! a bilateral one a spoke, so density and centralisation are produced by the outcome.

use std::io::Write;

use super::Selection;
use crate::error::Result;
use crate::metrics::decision::{decision_year, density, Spec};
use crate::metrics::summary::{first_year, reference_year};
use crate::metrics::Summary;

/// A fuzzy condition: its column name and its anchors (full non-membership, crossover, full
/// membership).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Anchors {
    pub name: &'static str,
    pub exclusion: f64,
    pub crossover: f64,
    pub inclusion: f64,
}

/// The conditions, in column order (see the module doc for why these anchors).
pub const CONDITIONS: [Anchors; 3] = [
    Anchors {
        name: "DENSE",
        exclusion: 1.0,
        crossover: 4.5,
        inclusion: 8.0,
    },
    Anchors {
        name: "EMBED",
        exclusion: 0.5,
        crossover: 1.5,
        inclusion: 3.0,
    },
    Anchors {
        name: "BROAD",
        exclusion: 1.0,
        crossover: 7.5,
        inclusion: 15.0,
    },
];

/// The outcome's column name.
pub const OUTCOME: &str = "MULTI";

/// The header's first column: the row names.
pub const CASE_COLUMN: &str = "programme";

/// Ragin's direct calibration with the logistic function: x at the anchors maps to 0.05, 0.5
/// and 0.95 (log odds ∓ln 19), linearly in log odds on each side of the crossover.
pub fn calibrate(x: f64, a: &Anchors) -> f64 {
    let log_odds_full = (0.95_f64 / 0.05).ln();
    let scale = if x >= a.crossover {
        log_odds_full / (a.inclusion - a.crossover)
    } else {
        log_odds_full / (a.crossover - a.exclusion)
    };
    let s = (x - a.crossover) * scale;
    1.0 / (1.0 + (-s).exp())
}

/// A membership score as written: three decimals, never exactly 0.5 (see the module doc).
pub fn score(m: f64) -> f64 {
    let r = (m * 1000.0).round() / 1000.0;
    if r == 0.5 {
        0.501
    } else {
        r
    }
}

/// One case: a programme with its membership in each condition and the outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub programme: String,
    /// Scores in the order of [`CONDITIONS`].
    pub conditions: [f64; 3],
    /// 0 or 1.
    pub outcome: u8,
}

/// The cases of a selection (see the module doc).
pub fn cases(selection: Selection<'_>) -> Vec<Case> {
    let Selection { events, catalog } = selection;
    let t = reference_year(events);
    catalog
        .programmes
        .iter()
        .filter_map(|p| {
            let start = first_year(events, &p.id)?;
            let s = Summary::compute(events, catalog, p, t);
            // A programme with no cooperation event (only an obstacle, say) is not a case.
            if s.events == 0 {
                return None;
            }
            let t_star = decision_year(catalog, events, p, None).year;
            let at = t_star.unwrap_or(start);
            let exogenous = density(catalog, p, Spec::Exogenous, at, Some(at)).value;
            let dense = calibrate(exogenous, &CONDITIONS[0]);
            let embed = s.embeddedness.map_or(0.0, |e| calibrate(e, &CONDITIONS[1]));
            let broad = calibrate(s.partners as f64, &CONDITIONS[2]);
            let conditions = [dense, embed, broad].map(score);
            let multilateral = s.un_multilateral_events + s.other_multilateral_events;
            Some(Case {
                programme: p.id.clone(),
                conditions,
                outcome: u8::from(multilateral > s.bilateral_events),
            })
        })
        .collect()
}

/// A score without trailing zeros: `0.95`, `1`, `0.731`.
fn number(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// Writes the case table of `selection` as CSV (header first, LF line endings).
pub fn write_case_table(selection: Selection<'_>, out: &mut dyn Write) -> Result<()> {
    let mut header = vec![CASE_COLUMN];
    header.extend(CONDITIONS.iter().map(|c| c.name));
    header.push(OUTCOME);
    let rows = cases(selection).into_iter().map(|c| {
        let mut row = vec![c.programme.clone()];
        row.extend(c.conditions.iter().map(|&x| number(x)));
        row.push(c.outcome.to_string());
        row
    });
    // Programme ids cannot start with a formula character, and R must read the numbers as is.
    super::csv::write_rows(out, &header, rows, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Channel, IssueArea::Lunar};
    use crate::metrics::fixtures::{catalog, event, institution, member, programme, world_actors};

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn anchors_map_to_005_05_095() {
        for a in &CONDITIONS {
            assert!(close(calibrate(a.exclusion, a), 0.05), "{}", a.name);
            assert!(close(calibrate(a.crossover, a), 0.5), "{}", a.name);
            assert!(close(calibrate(a.inclusion, a), 0.95), "{}", a.name);
        }
        // DENSE at 6: (6 − 4.5) · ln 19 / (8 − 4.5) = 1.2619 log odds → 1/(1 + e^−1.2619) = 0.779.
        assert_eq!(score(calibrate(6.0, &CONDITIONS[0])), 0.779);
        // DENSE at 4: (4 − 4.5) · ln 19 / (4.5 − 1) = −0.4206 → 0.396.
        assert_eq!(score(calibrate(4.0, &CONDITIONS[0])), 0.396);
    }

    #[test]
    fn scores_never_sit_on_the_crossover() {
        assert_eq!(score(0.5), 0.501);
        assert_eq!(score(0.49996), 0.501);
        assert_eq!(score(0.4994), 0.499);
        assert_eq!((score(0.0), score(1.0)), (0.0, 1.0));
        assert_eq!(
            (number(0.95), number(1.0), number(0.0)),
            ("0.95".into(), "1".into(), "0".into())
        );
    }

    #[test]
    fn a_hand_worked_case_table() {
        let cat = catalog(
            vec![
                programme("P", Lunar, Some("CHN")),
                programme("Q", Lunar, None),
                programme("Z", Lunar, None),
            ],
            world_actors(),
            vec![
                institution("I1", "1967", None, &[Lunar]),
                institution("I2", "2020", None, &[Lunar]),
            ],
            vec![
                member("I1", "CHN", Some("1983"), None),
                member("I1", "PAK", Some("1967"), None),
                member("I2", "CHN", Some("2020"), None),
                member("I2", "PAK", Some("2020"), None),
            ],
        );
        let events = vec![
            event("P1", "2019", "P", Channel::Bilateral, &["CNSA", "SUPARCO"]),
            event(
                "P2",
                "2021",
                "P",
                Channel::UnMultilateral,
                &["CNSA", "UNOOSA"],
            ),
            event("Q1", "2021", "Q", Channel::National, &["USA"]),
        ];
        let rows = cases(Selection {
            events: &events,
            catalog: &cat,
        });
        // Z has no event: no row.
        assert_eq!(
            rows.iter()
                .map(|c| c.programme.as_str())
                .collect::<Vec<_>>(),
            ["P", "Q"]
        );
        // P: no formal instrument, so no decision year: DENSE is taken in 2019 (its first
        // event): exogenous density 1 (I1; I2 is not yet in force) = the exclusion anchor → 0.05.
        // E at T = 2021: PAK covered, shares I1 and I2 = 2; UNOOSA uncovered; E = 2:
        //   (2 − 1.5)·ln19/1.5 = 0.9815 → 0.727.
        // Partners PAK, UNOOSA = 2: (2 − 7.5)·ln19/6.5 = −2.491 → 0.076.
        // Outcome: 1 multilateral vs 1 bilateral: not more, so MULTI = 0.
        assert_eq!(rows[0].conditions, [0.05, 0.727, 0.076]);
        assert_eq!(rows[0].outcome, 0);
        // Q: no lead, so E undefined → 0; partner USA = 1 → 0.05; national only → 0.
        // Q's DENSE, in 2021: I1 and I2 = 2: (2 − 4.5)·ln19/3.5 = −2.103 → 0.109.
        assert_eq!(rows[1].conditions, [0.109, 0.0, 0.05]);
        assert_eq!(rows[1].outcome, 0);
        let mut out = Vec::new();
        write_case_table(
            Selection {
                events: &events,
                catalog: &cat,
            },
            &mut out,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "programme,DENSE,EMBED,BROAD,MULTI\nP,0.05,0.727,0.076,0\nQ,0.109,0,0.05,0\n"
        );
    }
}
