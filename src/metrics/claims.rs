//! The article's claims tested on a pair of programmes A and B, each under several
//! specifications, with a verdict that says so even when the data disagree with the article.
//!
//! 1. `multilateral_share`: A's share of UN or other multilateral events is above B's (at the
//!    reference year T), under the default coding rules and each documented alternative
//!    ([`Rules::NAMED`]).
//! 2. `centralisation`: B's partner network is more centralised than A's (Freeman C at T),
//!    under the same rules.
//! 3. `density`: A's issue area is denser than B's, each at its own decision year t\*, under
//!    every density specification ([`Spec::ALL`]).
//!
//! A specification *holds* when A's value beats B's strictly (B's for claim 2), *ties* when
//! they are equal, *fails* otherwise, and is *undefined* when either value is. The verdict:
//! `supported` when every defined specification holds, `contradicted` when every one fails,
//! `tie` when every one ties, `mixed` otherwise (or when none is defined). For the rules-based
//! claims, `flips` names the alternative rules whose outcome differs from the default's.

use serde::Serialize;

use super::decision::{decision, Decision, Spec};
use super::rules::Rules;
use super::summary::Summary;
use crate::domain::{Catalog, Event, Programme};

/// How one specification came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Holds,
    Tie,
    Fails,
    Undefined,
}

/// The verdict over every specification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Supported,
    Tie,
    Contradicted,
    Mixed,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::Tie => "tie",
            Verdict::Contradicted => "contradicted",
            Verdict::Mixed => "mixed",
        }
    }
}

/// One specification's values for A and B and its outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Test {
    /// A coding rule's name (claims 1–2) or a density specification's (claim 3).
    pub spec: String,
    pub a: Option<f64>,
    pub b: Option<f64>,
    /// The years the values are taken at (T, or each programme's t* for density).
    pub year_a: Option<i32>,
    pub year_b: Option<i32>,
    pub outcome: Outcome,
}

/// One claim tested on the pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claim {
    /// A stable key: `multilateral_share`, `centralisation` or `density`.
    pub claim: &'static str,
    /// The claim in words, with the programmes named.
    pub statement: String,
    pub holds_in: usize,
    /// The specifications with both values defined.
    pub of: usize,
    pub verdict: Verdict,
    pub tests: Vec<Test>,
    /// Alternative coding rules under which the outcome differs from the default's.
    pub flips: Vec<String>,
}

impl Claim {
    /// The verdict with its counts, the same words everywhere: "supported in 4 of 4",
    /// "contradicted in 4 of 4", "tie in 4 of 4", "mixed: holds in 2, ties in 2, fails in 0
    /// of 4".
    pub fn summary(&self) -> String {
        let count = |o: Outcome| self.tests.iter().filter(|t| t.outcome == o).count();
        let (holds, ties, fails) = (
            count(Outcome::Holds),
            count(Outcome::Tie),
            count(Outcome::Fails),
        );
        let of = self.of;
        match self.verdict {
            Verdict::Supported => format!("supported in {holds} of {of}"),
            Verdict::Contradicted => format!("contradicted in {fails} of {of}"),
            Verdict::Tie => format!("tie in {ties} of {of}"),
            Verdict::Mixed if of == 0 => "mixed: no specification can be computed".to_string(),
            Verdict::Mixed => {
                format!("mixed: holds in {holds}, ties in {ties}, fails in {fails} of {of}")
            }
        }
    }
}

/// Compares `a` against `b`: which wins, and whether the claim "a > b" holds.
fn outcome(a: Option<f64>, b: Option<f64>) -> Outcome {
    match (a, b) {
        (Some(a), Some(b)) if (a - b).abs() < 1e-9 => Outcome::Tie,
        (Some(a), Some(b)) if a > b => Outcome::Holds,
        (Some(_), Some(_)) => Outcome::Fails,
        _ => Outcome::Undefined,
    }
}

fn verdict(tests: &[Test]) -> (usize, usize, Verdict) {
    let defined: Vec<Outcome> = tests
        .iter()
        .map(|t| t.outcome)
        .filter(|o| *o != Outcome::Undefined)
        .collect();
    let holds = defined.iter().filter(|o| **o == Outcome::Holds).count();
    let all = |x: Outcome| !defined.is_empty() && defined.iter().all(|o| *o == x);
    let v = if all(Outcome::Holds) {
        Verdict::Supported
    } else if all(Outcome::Fails) {
        Verdict::Contradicted
    } else if all(Outcome::Tie) {
        Verdict::Tie
    } else {
        Verdict::Mixed
    };
    (holds, defined.len(), v)
}

fn claim(key: &'static str, statement: String, tests: Vec<Test>, by_rules: bool) -> Claim {
    let (holds_in, of, verdict) = verdict(&tests);
    let flips = if by_rules {
        let base = tests.first().map(|t| t.outcome);
        tests
            .iter()
            .skip(1)
            .filter(|t| Some(t.outcome) != base)
            .map(|t| t.spec.clone())
            .collect()
    } else {
        Vec::new()
    };
    Claim {
        claim: key,
        statement,
        holds_in,
        of,
        verdict,
        tests,
        flips,
    }
}

/// What the claims read of one programme: its shares and centralisation at T under each
/// coding rule, and its densities at its decision year. Computed once per programme, so that
/// any pair can be tested without the events.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Inputs {
    pub programme: String,
    pub year: Option<i32>,
    /// (rule name, multilateral share, centralisation), in [`Rules::NAMED`] order.
    pub by_rules: Vec<(&'static str, Option<f64>, Option<f64>)>,
    pub decision: Decision,
}

/// The claim inputs of `programme` over the selected `events` at reference year `t`.
pub fn inputs(
    events: &[Event],
    catalog: &Catalog,
    programme: &Programme,
    flag: Option<i32>,
    t: Option<i32>,
) -> Inputs {
    let by_rules: Vec<Summary> = Rules::NAMED
        .iter()
        .map(|(_, rules)| Summary::compute_with(events, catalog, programme, t, rules))
        .collect();
    let decision = decision(catalog, events, programme, flag, t);
    inputs_from(programme, t, &by_rules, decision)
}

/// The claim inputs of `programme` from its summaries at `t` under each of [`Rules::NAMED`],
/// in that order, and its decision, however they were computed.
pub fn inputs_from(
    programme: &Programme,
    t: Option<i32>,
    by_rules: &[Summary],
    decision: Decision,
) -> Inputs {
    Inputs {
        programme: programme.id.clone(),
        year: t,
        by_rules: Rules::NAMED
            .iter()
            .zip(by_rules)
            .map(|((name, _), s)| (*name, s.multilateral_share, s.centralisation))
            .collect(),
        decision,
    }
}

/// The three claims for A against B from their inputs.
pub fn claims_of(a: &Inputs, b: &Inputs) -> Vec<Claim> {
    let mut share = Vec::new();
    let mut central = Vec::new();
    for ((name, share_a, central_a), (_, share_b, central_b)) in a.by_rules.iter().zip(&b.by_rules)
    {
        let test = |x: Option<f64>, y: Option<f64>, o| Test {
            spec: name.to_string(),
            a: x,
            b: y,
            year_a: a.year,
            year_b: b.year,
            outcome: o,
        };
        share.push(test(*share_a, *share_b, outcome(*share_a, *share_b)));
        central.push(test(
            *central_a,
            *central_b,
            outcome(*central_b, *central_a),
        ));
    }
    let (da, db) = (&a.decision, &b.decision);
    let density = Spec::ALL
        .iter()
        .map(|&spec| {
            let x = da.decision_year.and_then(|y| da.value(spec, y));
            let y = db.decision_year.and_then(|y| db.value(spec, y));
            Test {
                spec: spec.as_str().to_string(),
                a: x,
                b: y,
                year_a: da.decision_year,
                year_b: db.decision_year,
                outcome: outcome(x, y),
            }
        })
        .collect();
    let (a, b) = (&a.programme, &b.programme);
    vec![
        claim(
            "multilateral_share",
            format!("{a}'s share of UN or other multilateral events is above {b}'s"),
            share,
            true,
        ),
        claim(
            "centralisation",
            format!("{b}'s partner network is more centralised than {a}'s"),
            central,
            true,
        ),
        claim(
            "density",
            format!("{a}'s issue area is denser than {b}'s at their decision years"),
            density,
            false,
        ),
    ]
}

/// The three claims for A = `pa` against B = `pb` over the selected `events`, at the reference
/// year `t`, with decision-year overrides `flag_a` and `flag_b`.
pub fn claims(
    events: &[Event],
    catalog: &Catalog,
    (pa, flag_a): (&Programme, Option<i32>),
    (pb, flag_b): (&Programme, Option<i32>),
    t: Option<i32>,
) -> Vec<Claim> {
    claims_of(
        &inputs(events, catalog, pa, flag_a, t),
        &inputs(events, catalog, pb, flag_b, t),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Channel, IssueArea, Kind};
    use crate::metrics::fixtures::{catalog, event, institution, programme, world_actors};

    #[test]
    fn verdicts_follow_the_outcomes() {
        let t = |o| Test {
            spec: String::new(),
            a: None,
            b: None,
            year_a: None,
            year_b: None,
            outcome: o,
        };
        use Outcome::*;
        assert_eq!(verdict(&[t(Holds), t(Holds)]).2, Verdict::Supported);
        assert_eq!(
            verdict(&[t(Fails), t(Undefined)]),
            (0, 1, Verdict::Contradicted)
        );
        assert_eq!(verdict(&[t(Tie), t(Tie)]).2, Verdict::Tie);
        assert_eq!(verdict(&[t(Holds), t(Tie)]), (1, 2, Verdict::Mixed));
        assert_eq!(verdict(&[t(Undefined)]), (0, 0, Verdict::Mixed));
    }

    #[test]
    fn a_refusal_that_would_flip_the_share_is_named() {
        let cat = catalog(
            vec![
                programme("A", IssueArea::LeoHumanSpaceflight, Some("CHN")),
                programme("B", IssueArea::Lunar, Some("CHN")),
            ],
            world_actors(),
            vec![institution("OST", "1967", None, &[IssueArea::Lunar])],
            vec![],
        );
        let mut un = event(
            "A1",
            "2016",
            "A",
            Channel::UnMultilateral,
            &["UNOOSA", "CNSA"],
        );
        un.kind = Kind::Agreement;
        let nat = event("A2", "2018", "A", Channel::National, &["CNSA"]);
        let mut refusal = event("B0", "2019", "B", Channel::Multilateral, &["RUS", "USA"]);
        refusal.valence = crate::domain::Valence::Refusal;
        let mut b1 = event("B1", "2021", "B", Channel::Bilateral, &["CNSA", "RUS"]);
        b1.kind = Kind::Mou;
        let events = vec![un, nat, refusal, b1];
        let a = cat.programme("A").unwrap();
        let b = cat.programme("B").unwrap();
        let got = claims(&events, &cat, (a, None), (b, None), Some(2021));
        // Default: A 1/2 multilateral, B 0/1: holds. All valences: B 1/2: a tie, which flips.
        let share = &got[0];
        assert_eq!(share.tests[0].outcome, Outcome::Holds);
        assert_eq!(share.flips, ["all_valences"]);
        assert_eq!(share.verdict, Verdict::Mixed);
        // Density at t*: A 0 (no LEO institution) against B 1 (OST): contradicted.
        assert_eq!(got[2].verdict, Verdict::Contradicted);
        assert_eq!(
            (got[2].tests[0].year_a, got[2].tests[0].year_b),
            (Some(2015), Some(2020))
        );
    }
}
