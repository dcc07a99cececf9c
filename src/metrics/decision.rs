//! Institutional density at the moment a programme chose its channel, under several named
//! specifications, with the reason each institution is counted or left out.
//!
//! **Decision year t\*.** By default the year before the programme's first *channel-defining
//! instrument*: its earliest event that the default coding rules count, that is a formal
//! instrument (see [`super::rules::FORMAL_KINDS`]), whose channel is not `national`, and that
//! runs through one of the programme's own institutions (an institution whose `programme` is
//! it: the CMSA–UNOOSA agreements for the CSS, the ILRS arrangement for the ILRS). A programme
//! without such an event takes its earliest formal, non-national instrument of any kind. A
//! programme may set its own year in the data (`programmes.csv`, `decision_year`), and a run
//! may override either with `--decision-year P=YEAR`.
//!
//! **Specifications** (all evaluated in a year t, with the programme's t\*):
//! - `count`: every institution governing the programme's issue area in force during t (the
//!   older D; it includes universal institutions and the programme's own).
//! - `exogenous`: the *area-scoped* institutions of the issue area in force during t, without
//!   the programme's own (created by, belonging to or hosting it: the institution's
//!   `programme` link) and without those that came into force after t\*. Universal
//!   institutions (the UN space treaties, COPUOS, UNOOSA) govern every area alike, so they
//!   cannot tell two areas apart: they are reported apart ([`Decision::universal`]).
//! - `open`: the exogenous institutions the lead state could use: open to all, or with the
//!   lead state (or one of its agencies) a member during t.
//! - `legalised`: the exogenous institutions weighted by legalisation (treaty or IGO 3, UN
//!   body or programme 2, arrangement 1, forum 0.5, unless an institution sets its own).
//!
//! **Weighted density** sums the members during t of the exogenous institutions, and is given
//! only where at least 90% of them have membership rows: below that it mostly measures how
//! much membership data was typed in.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use super::rules::{is_formal, Rules};
use crate::domain::{
    Catalog, Channel, Event, Institution, Instrument, Programme, Scope, VocabError,
};

/// A named specification of institutional density.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Spec {
    Count,
    Exogenous,
    Open,
    Legalised,
}

impl Spec {
    pub const ALL: [Spec; 4] = [Spec::Count, Spec::Exogenous, Spec::Open, Spec::Legalised];

    pub fn as_str(self) -> &'static str {
        match self {
            Spec::Count => "count",
            Spec::Exogenous => "exogenous",
            Spec::Open => "open",
            Spec::Legalised => "legalised",
        }
    }

    /// What the specification counts, in one line.
    pub fn meaning(self) -> &'static str {
        match self {
            Spec::Count => "every institution of the area in force (universal and own included)",
            Spec::Exogenous => {
                "area institutions in force, without the programme's own and any founded after t*"
            }
            Spec::Open => "exogenous institutions open to all or with the lead state a member",
            Spec::Legalised => "exogenous institutions weighted by legalisation (3, 2, 1, 0.5)",
        }
    }
}

impl fmt::Display for Spec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Spec {
    type Err = VocabError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Spec::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| VocabError {
                vocabulary: "specification",
                value: s.to_string(),
                valid: Spec::ALL.iter().map(|x| x.as_str()).collect(),
            })
    }
}

/// Why an institution is left out of a specification (or, for `Universal`, reported apart).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Not yet in force, or ended, in the year.
    NotInForce,
    /// It does not govern the programme's issue area.
    OtherArea,
    /// It governs every area: reported apart from the area's density.
    Universal,
    /// The programme's own: created by, belonging to or hosting it.
    Own,
    /// It came into force after the programme's decision year.
    PostDecision,
    /// A club the lead state is not in (only `open` leaves it out).
    Closed,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::NotInForce => "not_in_force",
            Reason::OtherArea => "other_area",
            Reason::Universal => "universal",
            Reason::Own => "own",
            Reason::PostDecision => "post_decision",
            Reason::Closed => "closed",
        }
    }
}

/// Where the decision year came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum YearSource {
    /// The documented rule, from the events.
    #[default]
    Rule,
    /// The programme's `decision_year` in the data.
    Data,
    /// `--decision-year` on the command line.
    Flag,
}

/// A programme's decision year and how it was set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionYear {
    pub year: Option<i32>,
    pub source: YearSource,
    /// What the rule gives, and the event it reads (kept when the data or a flag override it).
    pub rule_year: Option<i32>,
    pub rule_instrument: Option<String>,
}

/// Whether `e` can define its programme's channel: counted by the default rules, a formal
/// instrument, not `national`.
pub fn may_define_channel(e: &Event) -> bool {
    Rules::DEFAULT.admits(e) && is_formal(e.kind) && e.channel != Channel::National
}

/// The first channel-defining instrument of `programme` among `events`: see the module doc.
pub fn channel_defining<'a>(
    catalog: &Catalog,
    events: &'a [Event],
    programme: &str,
) -> Option<&'a Event> {
    channel_defining_in(catalog, events.iter(), programme)
}

/// [`channel_defining`] among events handed one by one (a programme's own, say).
pub fn channel_defining_in<'a>(
    catalog: &Catalog,
    events: impl Iterator<Item = &'a Event> + Clone,
    programme: &str,
) -> Option<&'a Event> {
    let own = catalog.own_institutions(programme);
    let instruments = events.filter(|e| e.programme == programme && may_define_channel(e));
    let earliest = |e: &&Event| (e.date.first_day(), e.id.clone());
    instruments
        .clone()
        .filter(|e| e.institutions.iter().any(|i| own.contains(&i.as_str())))
        .min_by_key(earliest)
        .or_else(|| instruments.min_by_key(earliest))
}

/// The decision year of `programme` among `events`: the flag's, else the data's, else the
/// rule's.
pub fn decision_year(
    catalog: &Catalog,
    events: &[Event],
    programme: &Programme,
    flag: Option<i32>,
) -> DecisionYear {
    let first = channel_defining(catalog, events, &programme.id).map(Instrument::of);
    decision_year_with(programme, first.as_ref(), flag)
}

/// [`decision_year`] from the programme's first channel-defining `instrument` (the rule's
/// year is the one before it).
pub fn decision_year_with(
    programme: &Programme,
    instrument: Option<&Instrument>,
    flag: Option<i32>,
) -> DecisionYear {
    let rule_year = instrument.map(|i| i.year - 1);
    let (year, source) = match (flag, programme.decision_year) {
        (Some(y), _) => (Some(y), YearSource::Flag),
        (None, Some(y)) => (Some(y), YearSource::Data),
        (None, None) => (rule_year, YearSource::Rule),
    };
    DecisionYear {
        year,
        source,
        rule_year,
        rule_instrument: instrument.map(|i| i.id.clone()),
    }
}

/// Whether the lead state, or an actor of its state, is a member of `i` during `year`.
fn lead_is_member(catalog: &Catalog, i: &Institution, lead: Option<&str>, year: i32) -> bool {
    let Some(lead) = lead else { return false };
    catalog.memberships.iter().any(|m| {
        m.institution == i.id
            && (m.actor == lead || catalog.state_of(&m.actor) == Some(lead))
            && m.member_during(year)
    })
}

/// How one institution stands for a programme in a year: the specifications that count it,
/// and why the others do not.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    pub institution: String,
    pub counted_in: Vec<Spec>,
    /// Why `exogenous` (and so `open` and `legalised`) leave it out, or, when it is counted
    /// there, why `open` does (`closed`); empty when every specification counts it.
    pub reasons: Vec<Reason>,
    /// The weight `legalised` gives it.
    pub legalisation: f64,
}

/// How `i` stands for `programme` in `year`, with decision year `t_star`.
pub fn standing(
    catalog: &Catalog,
    programme: &Programme,
    i: &Institution,
    year: i32,
    t_star: Option<i32>,
) -> Standing {
    let mut reasons = Vec::new();
    let in_area = i.issue_areas.contains(&programme.issue_area);
    let in_force = i.in_force_during(year);
    if !in_force {
        reasons.push(Reason::NotInForce);
    }
    if !in_area {
        reasons.push(Reason::OtherArea);
    }
    if i.scope == Scope::Universal {
        reasons.push(Reason::Universal);
    }
    if i.programme.as_deref() == Some(programme.id.as_str()) {
        reasons.push(Reason::Own);
    }
    if t_star.is_some_and(|t| i.in_force.year_value() > t) {
        reasons.push(Reason::PostDecision);
    }
    let mut counted_in = Vec::new();
    if in_area && in_force {
        counted_in.push(Spec::Count);
    }
    if reasons.is_empty() {
        counted_in.push(Spec::Exogenous);
        counted_in.push(Spec::Legalised);
        if i.open || lead_is_member(catalog, i, programme.lead_state.as_deref(), year) {
            counted_in.push(Spec::Open);
        } else {
            reasons.push(Reason::Closed);
        }
    }
    counted_in.sort();
    Standing {
        institution: i.id.clone(),
        counted_in,
        reasons,
        legalisation: i.legalisation_weight(),
    }
}

/// One specification's value in one year, and the institutions it counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DensityValue {
    pub spec: Spec,
    pub year: i32,
    pub value: f64,
    pub institutions: Vec<String>,
}

/// The universal institutions in force in a year: reported apart from the area's density.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Universal {
    pub year: i32,
    pub value: usize,
    pub institutions: Vec<String>,
}

/// Every specification of one programme at its decision year and at the reference year.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Decision {
    pub decision_year: Option<i32>,
    pub decision_year_source: YearSource,
    /// The rule's year and the instrument it reads, for comparison with an override.
    pub decision_year_rule: Option<i32>,
    pub decision_instrument: Option<String>,
    /// `{spec, year, value, institutions}` at t\* and at T, in [`Spec::ALL`] order per year.
    pub density: Vec<DensityValue>,
    pub density_universal: Vec<Universal>,
    /// Members of the exogenous institutions during t\*, summed; `None` under 90% coverage.
    pub density_weighted: Option<usize>,
    /// The share of the exogenous institutions at t\* that have membership rows.
    pub density_weighted_coverage: Option<f64>,
}

/// The share of counted institutions that must have membership rows for the weighted density.
pub const WEIGHTED_COVERAGE: f64 = 0.9;

/// The value of `spec` for `programme` in `year`.
pub fn density(
    catalog: &Catalog,
    programme: &Programme,
    spec: Spec,
    year: i32,
    t_star: Option<i32>,
) -> DensityValue {
    let standings: Vec<(&Institution, Standing)> = catalog
        .institutions
        .iter()
        .map(|i| (i, standing(catalog, programme, i, year, t_star)))
        .collect();
    value_of(&standings, spec, year)
}

/// The value of `spec` over standings already taken in `year`: every specification of a year
/// reads the same standings, so they are taken once.
fn value_of(standings: &[(&Institution, Standing)], spec: Spec, year: i32) -> DensityValue {
    let mut value = 0.0;
    let mut institutions = Vec::new();
    for (i, s) in standings {
        if s.counted_in.contains(&spec) {
            value += if spec == Spec::Legalised {
                s.legalisation
            } else {
                1.0
            };
            institutions.push(i.id.clone());
        }
    }
    DensityValue {
        spec,
        year,
        value,
        institutions,
    }
}

fn universal(catalog: &Catalog, programme: &Programme, year: i32) -> Universal {
    let institutions: Vec<String> = catalog
        .institutions
        .iter()
        .filter(|i| {
            i.scope == Scope::Universal
                && i.issue_areas.contains(&programme.issue_area)
                && i.in_force_during(year)
        })
        .map(|i| i.id.clone())
        .collect();
    Universal {
        year,
        value: institutions.len(),
        institutions,
    }
}

/// The weighted density over the exogenous institutions of `year`, and its coverage.
fn weighted(
    catalog: &Catalog,
    programme: &Programme,
    year: i32,
    t_star: Option<i32>,
) -> (Option<usize>, Option<f64>) {
    let exo = density(catalog, programme, Spec::Exogenous, year, t_star);
    if exo.institutions.is_empty() {
        return (None, None);
    }
    let rows = |id: &str| {
        catalog
            .memberships
            .iter()
            .filter(|m| m.institution == id)
            .collect::<Vec<_>>()
    };
    let covered = exo
        .institutions
        .iter()
        .filter(|id| !rows(id).is_empty())
        .count();
    let coverage = covered as f64 / exo.institutions.len() as f64;
    let sum = exo
        .institutions
        .iter()
        .map(|id| rows(id).iter().filter(|m| m.member_during(year)).count())
        .sum();
    (
        (coverage >= WEIGHTED_COVERAGE).then_some(sum),
        Some(coverage),
    )
}

/// Every specification of `programme` at its decision year and at `reference` (T).
pub fn decision(
    catalog: &Catalog,
    events: &[Event],
    programme: &Programme,
    flag: Option<i32>,
    reference: Option<i32>,
) -> Decision {
    decision_over(catalog, events.iter(), programme, flag, reference)
}

/// [`decision`] among events handed one by one (a programme's own, say).
pub fn decision_over<'a>(
    catalog: &Catalog,
    events: impl Iterator<Item = &'a Event> + Clone,
    programme: &Programme,
    flag: Option<i32>,
    reference: Option<i32>,
) -> Decision {
    let first = channel_defining_in(catalog, events, &programme.id).map(Instrument::of);
    decision_with(catalog, programme, first.as_ref(), flag, reference)
}

/// [`decision`] from the programme's first channel-defining instrument, however found.
pub fn decision_with(
    catalog: &Catalog,
    programme: &Programme,
    instrument: Option<&Instrument>,
    flag: Option<i32>,
    reference: Option<i32>,
) -> Decision {
    let dy = decision_year_with(programme, instrument, flag);
    let t_star = dy.year;
    let mut years: Vec<i32> = [t_star, reference].into_iter().flatten().collect();
    years.dedup();
    let density = years
        .iter()
        .flat_map(|&y| {
            let standings: Vec<(&Institution, Standing)> = catalog
                .institutions
                .iter()
                .map(|i| (i, standing(catalog, programme, i, y, t_star)))
                .collect();
            Spec::ALL.map(|s| value_of(&standings, s, y))
        })
        .collect();
    let density_universal = years
        .iter()
        .map(|&y| universal(catalog, programme, y))
        .collect();
    let (density_weighted, density_weighted_coverage) =
        t_star.map_or((None, None), |t| weighted(catalog, programme, t, t_star));
    Decision {
        decision_year: t_star,
        decision_year_source: dy.source,
        decision_year_rule: dy.rule_year,
        decision_instrument: dy.rule_instrument,
        density,
        density_universal,
        density_weighted,
        density_weighted_coverage,
    }
}

impl Decision {
    /// The value of `spec` in `year`, if computed.
    pub fn value(&self, spec: Spec, year: i32) -> Option<f64> {
        self.density
            .iter()
            .find(|d| d.spec == spec && d.year == year)
            .map(|d| d.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{InstitutionKind, IssueArea};
    use crate::metrics::fixtures::{catalog, event, institution, member, programme, world_actors};
    use IssueArea::{LeoHumanSpaceflight as Leo, Lunar};

    fn world() -> (Catalog, Vec<Event>) {
        let mut ost = institution("OST", "1967", None, &[Lunar, Leo]);
        ost.scope = Scope::Universal;
        let mut own = institution("OWN", "2021-03", None, &[Lunar]);
        own.programme = Some("P".into());
        own.kind = InstitutionKind::Arrangement;
        let mut club = institution("CLUB", "2001", None, &[Lunar]);
        club.open = false;
        let mut forum = institution("FORUM", "1995", None, &[Lunar]);
        forum.kind = InstitutionKind::Forum;
        let late = institution("LATE", "2022", None, &[Lunar]);
        let leo = institution("LEO", "1990", None, &[Leo]);
        let cat = catalog(
            vec![programme("P", Lunar, Some("CHN"))],
            world_actors(),
            vec![ost, own, club, forum, late, leo],
            vec![
                member("FORUM", "CNSA", Some("1995"), None),
                member("CLUB", "USA", Some("2001"), None),
            ],
        );
        let mut mou = event(
            "P1",
            "2021-03-09",
            "P",
            Channel::Bilateral,
            &["CNSA", "RUS"],
        );
        mou.kind = crate::domain::Kind::Mou;
        mou.institutions = vec!["OWN".into()];
        // An earlier agency programme: formal and bilateral, but not through P's own
        // institution, so it does not define P's channel while P1 exists.
        let mut precursor = event("P00", "2017-11", "P", Channel::Bilateral, &["CNSA", "RUS"]);
        precursor.kind = crate::domain::Kind::Agreement;
        let talk = event("P0", "2019", "P", Channel::National, &["CNSA"]);
        (cat, vec![precursor, talk, mou])
    }

    #[test]
    fn the_decision_year_precedes_the_first_channel_defining_instrument() {
        let (cat, events) = world();
        let p = cat.programme("P").unwrap();
        let d = decision_year(&cat, &events, p, None);
        assert_eq!((d.year, d.source), (Some(2020), YearSource::Rule));
        assert_eq!(d.rule_instrument.as_deref(), Some("P1"));
        let mut set = p.clone();
        set.decision_year = Some(2018);
        assert_eq!(decision_year(&cat, &events, &set, None).year, Some(2018));
        let flagged = decision_year(&cat, &events, &set, Some(2016));
        assert_eq!(
            (flagged.year, flagged.source),
            (Some(2016), YearSource::Flag)
        );
        assert_eq!(flagged.rule_year, Some(2020));
        // Without P1, the earliest formal non-national instrument defines the channel.
        let rest: Vec<Event> = events.iter().filter(|e| e.id != "P1").cloned().collect();
        assert_eq!(decision_year(&cat, &rest, p, None).year, Some(2016));
    }

    #[test]
    fn specifications_leave_out_own_post_decision_universal_and_closed() {
        let (cat, events) = world();
        let p = cat.programme("P").unwrap();
        let d = decision(&cat, &events, p, None, Some(2025));
        let ids = |spec, year| {
            d.density
                .iter()
                .find(|v| v.spec == spec && v.year == year)
                .unwrap()
                .institutions
                .clone()
        };
        // At t* = 2020: count has OST, CLUB, FORUM; exogenous drops OST (universal).
        assert_eq!(ids(Spec::Count, 2020), ["OST", "CLUB", "FORUM"]);
        assert_eq!(ids(Spec::Exogenous, 2020), ["CLUB", "FORUM"]);
        // CLUB is closed to CHN; FORUM has CNSA as a member (and is open anyway).
        assert_eq!(ids(Spec::Open, 2020), ["FORUM"]);
        assert_eq!(d.value(Spec::Legalised, 2020), Some(3.5));
        // At T = 2025: count adds OWN and LATE; exogenous does not (own, post-decision).
        assert_eq!(
            ids(Spec::Count, 2025),
            ["OST", "OWN", "CLUB", "FORUM", "LATE"]
        );
        assert_eq!(ids(Spec::Exogenous, 2025), ["CLUB", "FORUM"]);
        assert_eq!(d.density_universal[0].institutions, ["OST"]);
        // Both exogenous institutions have members: coverage 1, weighted 2 members in 2020.
        assert_eq!(
            (d.density_weighted, d.density_weighted_coverage),
            (Some(2), Some(1.0))
        );
        let own = cat.institution("OWN").unwrap();
        let s = standing(&cat, p, own, 2025, Some(2020));
        assert_eq!(s.reasons, [Reason::Own, Reason::PostDecision]);
        assert_eq!(s.counted_in, [Spec::Count]);
        let leo = cat.institution("LEO").unwrap();
        assert_eq!(
            standing(&cat, p, leo, 2020, Some(2020)).reasons,
            [Reason::OtherArea]
        );
    }

    #[test]
    fn weighted_density_is_withheld_under_ninety_percent_coverage() {
        let (mut cat, events) = world();
        cat.memberships.retain(|m| m.institution != "CLUB");
        let p = cat.programme("P").unwrap().clone();
        let d = decision(&cat, &events, &p, None, None);
        assert_eq!(
            (d.density_weighted, d.density_weighted_coverage),
            (None, Some(0.5))
        );
    }

    #[test]
    fn unknown_specifications_name_the_valid_ones() {
        let err = "dense".parse::<Spec>().unwrap_err().to_string();
        assert_eq!(
            err,
            "unknown specification 'dense' (valid: count, exogenous, open, legalised)"
        );
    }
}
