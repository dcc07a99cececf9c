//! Every measure of one programme at one year, as the CLI, the TUI and the case table use them.
//!
//! **Years.** Measures are cumulative: the summary of programme p at year t takes the selected
//! events of p whose (start) date falls in year t or earlier. Issue-area density and
//! embeddedness are then evaluated *in* year t (institutions in force and memberships held
//! during t). Without `--by-year` the year is the **reference year** T: the latest year in which
//! any selected event starts (so `--until 2020` moves it back); it is the same for every
//! programme of one output, so that densities compare. `--by-year` gives one summary per year
//! from the programme's first selected event to T.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::channels::ChannelMix;
use super::density::issue_area_density;
use super::embeddedness::embeddedness;
use super::network::{network_of_ties, partner_network, Network};
use super::overlap::{read_and_measure, Read};
use super::partners::{node_ref, partners, NodeRef, Partners};
use super::rules::Rules;
use super::tally;
use crate::domain::tally::{NumberedTies, ProgrammeTally};
use crate::domain::Tally;
use crate::domain::{Catalog, Event, IssueArea, Programme};

/// One programme's measures, cumulative up to `year`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub programme: String,
    /// What the figures count (by default cooperation events and confirmed parties).
    pub coding: String,
    pub issue_area: IssueArea,
    pub lead_state: Option<String>,
    /// The year the measures are taken at (cumulative up to and including it); `None` when the
    /// selection has no event at all.
    pub year: Option<i32>,
    /// The year of the programme's first selected event.
    pub first_year: Option<i32>,
    pub events: usize,
    pub un_multilateral_events: usize,
    /// Non-UN multilateral events.
    pub other_multilateral_events: usize,
    pub bilateral_events: usize,
    pub national_events: usize,
    pub un_share: Option<f64>,
    pub multilateral_share: Option<f64>,
    pub bilateral_share: Option<f64>,
    pub national_share: Option<f64>,
    /// Foreign states + international organisations.
    pub partners: usize,
    pub partner_states: Vec<String>,
    pub partner_organisations: Vec<String>,
    /// Foreign research institutions, companies and NGOs (not in `partners`).
    pub partner_institutions: Vec<String>,
    /// Nodes of the partner network (the lead included).
    pub n: usize,
    /// Edges of the partner network.
    pub m: usize,
    pub network_density: Option<f64>,
    pub centralisation: Option<f64>,
    pub issue_area_density: Option<usize>,
    pub issue_area_density_weighted: Option<usize>,
    /// Institutions counted in `issue_area_density` that have membership data.
    pub density_institutions_with_members: Option<usize>,
    pub embeddedness: Option<f64>,
    /// Partners with membership data (|P*|).
    pub covered_partners: usize,
    /// covered_partners / partners.
    pub coverage: Option<f64>,
}

/// The events of each programme, by programme id. Each programme's measures read only its own
/// events, so grouping first keeps the work proportional to the events, not to events ×
/// programmes.
pub fn by_programme<'a>(
    events: impl IntoIterator<Item = &'a Event>,
) -> BTreeMap<&'a str, Vec<Event>> {
    let mut groups: BTreeMap<&str, Vec<Event>> = BTreeMap::new();
    for e in events {
        groups
            .entry(e.programme.as_str())
            .or_default()
            .push(e.clone());
    }
    groups
}

/// The reference year T: the latest year in which a selected event starts.
pub fn reference_year(events: &[Event]) -> Option<i32> {
    events.iter().map(|e| e.date.year_value()).max()
}

/// The year of a programme's first selected event.
pub fn first_year(events: &[Event], programme: &str) -> Option<i32> {
    events
        .iter()
        .filter(|e| e.programme == programme)
        .map(|e| e.date.year_value())
        .min()
}

/// The events of `programme` that start in `year` or earlier (all of them for `None`) and
/// that `rules` count.
pub fn up_to<'a>(
    events: &'a [Event],
    programme: &'a str,
    year: Option<i32>,
    rules: &'a Rules,
) -> impl Iterator<Item = &'a Event> + Clone + 'a {
    counted_up_to(events.iter(), programme, year, rules)
}

/// [`up_to`] over events handed one by one.
fn counted_up_to<'a, 'b>(
    events: impl Iterator<Item = &'a Event> + Clone + 'b,
    programme: &'b str,
    year: Option<i32>,
    rules: &'b Rules,
) -> impl Iterator<Item = &'a Event> + Clone + 'b
where
    'a: 'b,
{
    events.filter(move |e| {
        e.programme == programme && year.is_none_or(|y| e.date.year_value() <= y) && rules.admits(e)
    })
}

/// [`by_programme`] without copying the events: each programme's events, in their order, so
/// that measures of many programmes look through each programme's own events instead of
/// through all of them once per programme (hundreds of programmes over a million events).
pub fn refs_by_programme(events: &[Event]) -> HashMap<&str, Vec<&Event>> {
    let mut own: HashMap<&str, Vec<&Event>> = HashMap::new();
    for e in events {
        own.entry(e.programme.as_str()).or_default().push(e);
    }
    own
}

/// The events of `programme` in `own` ([`refs_by_programme`]), none when it has none.
pub fn own_events<'m, 'a>(
    own: &'m HashMap<&str, Vec<&'a Event>>,
    programme: &str,
) -> &'m [&'a Event] {
    own.get(programme).map_or(&[], Vec::as_slice)
}

impl Summary {
    /// The measures of `programme` over `events`, cumulative up to `year`, under the
    /// default coding rules.
    pub fn compute(
        events: &[Event],
        catalog: &Catalog,
        programme: &Programme,
        year: Option<i32>,
    ) -> Summary {
        Summary::compute_with(events, catalog, programme, year, &Rules::DEFAULT)
    }

    /// The measures under the given coding rules.
    pub fn compute_with(
        events: &[Event],
        catalog: &Catalog,
        programme: &Programme,
        year: Option<i32>,
        rules: &Rules,
    ) -> Summary {
        Summary::compute_over(events.iter(), catalog, programme, year, rules)
    }

    /// [`Summary::compute_with`] over events handed one by one (a programme's own, say).
    pub fn compute_over<'a>(
        events: impl Iterator<Item = &'a Event> + Clone,
        catalog: &Catalog,
        programme: &Programme,
        year: Option<i32>,
        rules: &Rules,
    ) -> Summary {
        let scope = counted_up_to(events.clone(), &programme.id, year, rules);
        let lead = programme.lead_state.as_deref();
        let first_year = events
            .filter(|e| e.programme == programme.id)
            .map(|e| e.date.year_value())
            .min();
        let counted = Counted {
            first_year,
            mix: ChannelMix::of(scope.clone()),
            partners: partners(catalog, scope.clone(), lead, rules),
            network: partner_network(catalog, scope, lead, rules),
        };
        Summary::assemble(catalog, programme, year, rules, counted)
    }

    /// The measures of `programme`'s record from a tally of it (see [`super::tally`]), at
    /// `year`: the latest year of the events tallied (the reference year T) or any later one,
    /// since a tally has no years for partners and ties (a series tallies the events up to
    /// each year in turn). The same figures as [`Summary::compute_with`] over the events
    /// tallied, at the cost of the tally's size.
    pub fn from_tally(
        tally: &Tally,
        catalog: &Catalog,
        programme: &Programme,
        year: Option<i32>,
        rules: &Rules,
    ) -> Summary {
        let own = tally::programme_tally(tally, &programme.id, rules);
        Summary::from_tallied(
            tally,
            &own.parties,
            &own.ties,
            catalog,
            programme,
            year,
            rules,
        )
    }

    /// [`Summary::from_tally`] with the programme's parties and ties read apart (as the
    /// database reads them, see [`ProgrammeTally`]: the ties numbered, the parties positions
    /// among their names); `tally` gives the channels.
    #[allow(clippy::too_many_arguments)]
    pub fn from_tallied(
        tally: &Tally,
        parties: &[u32],
        ties: &NumberedTies,
        catalog: &Catalog,
        programme: &Programme,
        year: Option<i32>,
        rules: &Rules,
    ) -> Summary {
        let id = programme.id.as_str();
        let lead = programme.lead_state.as_deref();
        let span = tally.span(id);
        debug_assert!(
            span.is_none_or(|(_, last)| year.is_some_and(|y| y >= last)),
            "a tally has the whole record only: {id} runs to {span:?}, asked at {year:?}"
        );
        // Each actor's node found once, for the partners and the network.
        let nodes: Vec<NodeRef<'_>> = ties
            .actors
            .iter()
            .map(|actor| node_ref(catalog, actor, lead))
            .collect();
        let counted = Counted {
            first_year: span.map(|(first, _)| first),
            mix: tally::mix(tally, id, rules),
            partners: Partners::of_refs(
                parties
                    .iter()
                    .filter_map(|&i| nodes.get(i as usize).copied()),
            ),
            network: network_of_ties(&nodes, parties, &ties.pairs),
        };
        Summary::assemble(catalog, programme, year, rules, counted)
    }

    /// The summary from what was counted over the events and from the catalog at `year`.
    fn assemble(
        catalog: &Catalog,
        programme: &Programme,
        year: Option<i32>,
        rules: &Rules,
        counted: Counted,
    ) -> Summary {
        let Counted {
            first_year,
            mix,
            partners,
            network,
        } = counted;
        let lead = programme.lead_state.as_deref();
        let density = year.map(|y| issue_area_density(catalog, programme.issue_area, y));
        let embedded =
            year.map(|y| embeddedness(catalog, lead, &programme.id, partners.counted(), y));
        Summary {
            programme: programme.id.clone(),
            coding: rules.describe(),
            issue_area: programme.issue_area,
            lead_state: programme.lead_state.clone(),
            year,
            first_year,
            events: mix.events,
            un_multilateral_events: mix.un_multilateral,
            other_multilateral_events: mix.multilateral,
            bilateral_events: mix.bilateral,
            national_events: mix.national,
            un_share: mix.un_share(),
            multilateral_share: mix.multilateral_share(),
            bilateral_share: mix.bilateral_share(),
            national_share: mix.national_share(),
            partners: partners.count(),
            n: network.n(),
            m: network.m,
            network_density: network.density(),
            centralisation: network.centralisation(),
            issue_area_density: density.as_ref().map(|d| d.count),
            issue_area_density_weighted: density.as_ref().map(|d| d.weighted),
            density_institutions_with_members: density.as_ref().map(|d| d.with_members),
            embeddedness: embedded.as_ref().and_then(|e| e.value),
            covered_partners: embedded.as_ref().map_or(0, |e| e.covered),
            coverage: embedded.as_ref().and_then(|e| e.coverage()),
            partner_states: partners.states,
            partner_organisations: partners.organisations,
            partner_institutions: partners.institutions,
        }
    }
}

/// What a summary counts over a programme's events, however it was counted.
struct Counted {
    first_year: Option<i32>,
    mix: ChannelMix,
    partners: Partners,
    network: Network,
}

/// One summary per programme (the named ones, or all) over the whole record of a tally, at
/// the reference year `t` of all of them: what [`summaries`] gives over the events tallied.
/// `read` gives what one programme's own tally is made from, and `own` makes it, so that
/// each summary looks through its programme's entries only (a corpus of hundreds of
/// programmes has millions of ties). `read` runs on this thread, programme after programme,
/// while other threads make and measure those already read ([`super::overlap`]).
pub fn summaries_of_tallies<R: Send, E>(
    catalog: &Catalog,
    programmes: &[String],
    t: Option<i32>,
    mut read: impl FnMut(&Programme) -> Result<R, E>,
    own: impl Fn(R) -> ProgrammeTally + Sync,
) -> Result<Vec<Summary>, E> {
    let rules = &Rules::DEFAULT;
    let measured = read_and_measure(
        chosen(catalog, programmes),
        |p| Ok(Read::Measure((p, read(p)?))),
        |(p, r)| {
            let own = own(r);
            Summary::from_tallied(&own.tally, &own.parties, &own.ties, catalog, p, t, rules)
        },
    )?;
    // Nothing above says to stop.
    Ok(measured.unwrap_or_default())
}

/// The programmes an output covers: those named (in the catalog's order), or all of them.
fn chosen<'a>(catalog: &'a Catalog, programmes: &[String]) -> Vec<&'a Programme> {
    catalog
        .programmes
        .iter()
        .filter(|p| programmes.is_empty() || programmes.contains(&p.id))
        .collect()
}

/// One summary per programme (the named ones, or every programme of the catalog), at the
/// reference year of `events`.
pub fn summaries(events: &[Event], catalog: &Catalog, programmes: &[String]) -> Vec<Summary> {
    let t = reference_year(events);
    let own = refs_by_programme(events);
    chosen(catalog, programmes)
        .into_iter()
        .map(|p| {
            let events = own_events(&own, &p.id).iter().copied();
            Summary::compute_over(events, catalog, p, t, &Rules::DEFAULT)
        })
        .collect()
}

/// One summary per year from `first` to `last` for one programme.
pub fn series(
    events: &[Event],
    catalog: &Catalog,
    programme: &Programme,
    first: i32,
    last: i32,
) -> Vec<Summary> {
    // Cumulative measures: one running tally of the programme's events, each added in its
    // year, serves every year, so that the work is the events once and then the years (not
    // events × years, minutes at a million events over decades).
    let own: Vec<&Event> = events
        .iter()
        .filter(|e| e.programme == programme.id)
        .collect();
    series_over(own, catalog, programme, first, last)
}

/// [`series`] over the programme's own events.
fn series_over(
    mut own: Vec<&Event>,
    catalog: &Catalog,
    programme: &Programme,
    first: i32,
    last: i32,
) -> Vec<Summary> {
    own.sort_by_key(|e| e.date.year_value());
    let first_year = own.first().map(|e| e.date.year_value());
    let mut own = own.into_iter().peekable();
    let mut tally = Tally::default();
    (first..=last)
        .map(|y| {
            while let Some(e) = own.next_if(|e| e.date.year_value() <= y) {
                tally.add(e, 1);
            }
            let mut summary =
                Summary::from_tally(&tally, catalog, programme, Some(y), &Rules::DEFAULT);
            // The programme's first year, even in a year before it (as over the events).
            summary.first_year = first_year;
            summary
        })
        .collect()
}

/// Per programme (the named ones, or all) with at least one selected event, one summary per
/// year from its first selected event to the reference year.
pub fn yearly(events: &[Event], catalog: &Catalog, programmes: &[String]) -> Vec<Summary> {
    let Some(t) = reference_year(events) else {
        return Vec::new();
    };
    let own = refs_by_programme(events);
    chosen(catalog, programmes)
        .into_iter()
        .filter_map(|p| {
            let own = own_events(&own, &p.id);
            let first = own.iter().map(|e| e.date.year_value()).min()?;
            Some(series_over(own.to_vec(), catalog, p, first, t))
        })
        .flatten()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Channel;
    use crate::metrics::fixtures::{catalog, event, institution, member, programme, world_actors};
    use IssueArea::Lunar;

    /// Measures of many programmes over each one's own events (grouped once) are those over
    /// all the events, programme by programme: summaries, series and decisions.
    #[test]
    fn measures_over_grouped_events_are_those_over_all() {
        use crate::metrics::decision::{decision, decision_over};
        let (cat, events) = world();
        // Interleaved, so that the grouping has to keep each programme's order.
        let mut mixed = events.clone();
        mixed.reverse();
        for events in [events, mixed] {
            let t = reference_year(&events);
            let each: Vec<Summary> = cat
                .programmes
                .iter()
                .map(|p| Summary::compute(&events, &cat, p, t))
                .collect();
            assert_eq!(
                format!("{:?}", summaries(&events, &cat, &[])),
                format!("{each:?}")
            );
            let own = refs_by_programme(&events);
            let mut series_each = Vec::new();
            for p in &cat.programmes {
                let grouped =
                    decision_over(&cat, own_events(&own, &p.id).iter().copied(), p, None, t);
                assert_eq!(
                    format!("{grouped:?}"),
                    format!("{:?}", decision(&cat, &events, p, None, t))
                );
                if let (Some(f), Some(t)) = (first_year(&events, &p.id), t) {
                    series_each.extend(series(&events, &cat, p, f, t));
                }
            }
            assert!(!series_each.is_empty());
            assert_eq!(
                format!("{:?}", yearly(&events, &cat, &[])),
                format!("{series_each:?}")
            );
        }
    }

    /// Summaries of tallies read one programme at a time (and measured on a second thread)
    /// are the summaries of the whole tally, in the catalog's order; a tally that cannot be
    /// read fails them all with its error.
    #[test]
    fn summaries_of_tallies_are_those_of_the_whole_tally() {
        let (cat, events) = world();
        let whole = Tally::of(&events);
        let t = whole.reference_year(&[]);
        let own = |p: &Programme| -> Result<ProgrammeTally, String> {
            Ok(ProgrammeTally {
                tally: whole.clone(),
                ..tally::programme_tally(&whole, &p.id, &Rules::DEFAULT)
            })
        };
        let each: Vec<Summary> = cat
            .programmes
            .iter()
            .map(|p| Summary::from_tally(&whole, &cat, p, t, &Rules::DEFAULT))
            .collect();
        assert_eq!(
            summaries_of_tallies(&cat, &[], t, own, |o| o).unwrap(),
            each
        );
        assert!(each.iter().any(|s| s.m > 0), "the world has ties");
        let mut asked = 0;
        let failing = |p: &Programme| {
            asked += 1;
            if asked == 2 {
                return Err(format!("cannot read {}", p.id));
            }
            own(p)
        };
        assert_eq!(
            summaries_of_tallies(&cat, &[], t, failing, |o| o).unwrap_err(),
            "cannot read Q"
        );
    }

    fn world() -> (Catalog, Vec<Event>) {
        let cat = catalog(
            vec![
                programme("P", Lunar, Some("CHN")),
                programme("Q", Lunar, None),
            ],
            world_actors(),
            vec![
                institution("OST", "1967", None, &[Lunar]),
                institution("ART", "2020-10", None, &[Lunar]),
            ],
            vec![
                member("OST", "CHN", Some("1983"), None),
                member("OST", "PAK", Some("1967"), None),
            ],
        );
        let events = vec![
            event(
                "P1",
                "2016-03",
                "P",
                Channel::UnMultilateral,
                &["UNOOSA", "CNSA"],
            ),
            event("P2", "2018", "P", Channel::Bilateral, &["CNSA", "SUPARCO"]),
            event("P3", "2020-05-01", "P", Channel::National, &["CNSA"]),
            event("Q1", "2019", "Q", Channel::Multilateral, &["RUS", "USA"]),
        ];
        (cat, events)
    }

    /// A series from the running tally is, year by year, each year's summary over the
    /// events: on the seed, for every programme, from before its first event to after the last.
    #[test]
    fn a_series_is_each_years_summary() {
        let db = crate::db::Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let events = db
            .events(&crate::domain::Filter::default(), &catalog)
            .unwrap();
        let mut compared = 0;
        for p in &catalog.programmes {
            let Some(first) = first_year(&events, &p.id) else {
                continue;
            };
            let (from, to) = (first - 3, reference_year(&events).unwrap() + 1);
            let by_year: Vec<Summary> = (from..=to)
                .map(|y| Summary::compute(&events, &catalog, p, Some(y)))
                .collect();
            assert_eq!(series(&events, &catalog, p, from, to), by_year, "{}", p.id);
            compared += by_year.len();
        }
        assert!(compared > 100, "{compared}");
    }

    #[test]
    fn measures_are_cumulative_up_to_the_year() {
        let (cat, events) = world();
        let p = cat.programme("P").unwrap();
        // 2017: P1 only: 1 event, all UN; partners {UNOOSA}; nodes UNOOSA–CHN.
        let s = Summary::compute(&events, &cat, p, Some(2017));
        assert_eq!((s.events, s.un_share, s.partners), (1, Some(1.0), 1));
        assert_eq!(
            (s.n, s.m, s.network_density, s.centralisation),
            (2, 1, Some(1.0), None)
        );
        // D in 2017: OST only = 1. E: UNOOSA has no membership rows: coverage 0/1, E undefined.
        assert_eq!(s.issue_area_density, Some(1));
        assert_eq!((s.embeddedness, s.coverage), (None, Some(0.0)));
        // 2020: P1–P3: un 1/3, bilateral 1/3, national 1/3; partners UNOOSA and PAK;
        // star around CHN: n = 3, m = 2, Δ = 4/6, C = ((2−2)+(2−1)+(2−1))/(2·1) = 1.
        // D in 2020: OST and ART (Oct 2020) = 2, D_w = 2 members of OST in 2020.
        // E: PAK covered, shares OST = 1; coverage 1/2.
        let s = Summary::compute(&events, &cat, p, Some(2020));
        assert_eq!(s.events, 3);
        assert!((s.un_share.unwrap() - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(s.partner_states, ["PAK"]);
        assert_eq!(s.partner_organisations, ["UNOOSA"]);
        assert_eq!((s.n, s.m), (3, 2));
        assert!((s.network_density.unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(s.centralisation, Some(1.0));
        assert_eq!(
            (s.issue_area_density, s.issue_area_density_weighted),
            (Some(2), Some(2))
        );
        assert_eq!(
            (s.embeddedness, s.covered_partners, s.coverage),
            (Some(1.0), 1, Some(0.5))
        );
        assert_eq!(s.first_year, Some(2016));
    }

    #[test]
    fn summaries_use_the_reference_year_and_yearly_runs_to_it() {
        let (cat, events) = world();
        assert_eq!(reference_year(&events), Some(2020));
        let all = summaries(&events, &cat, &[]);
        assert_eq!(all.len(), 2);
        assert!(all.iter().all(|s| s.year == Some(2020)));
        // Q has no lead: its states are all partners, E undefined.
        let q = &all[1];
        assert_eq!(
            (q.programme.as_str(), q.partners, q.embeddedness),
            ("Q", 2, None)
        );
        // P: 2016..=2020 (5 rows); Q: 2019..=2020 (2 rows).
        let years: Vec<(String, Option<i32>)> = yearly(&events, &cat, &[])
            .into_iter()
            .map(|s| (s.programme, s.year))
            .collect();
        let want: Vec<(String, Option<i32>)> = [2016, 2017, 2018, 2019, 2020]
            .map(|y| ("P".to_string(), Some(y)))
            .into_iter()
            .chain([2019, 2020].map(|y| ("Q".to_string(), Some(y))))
            .collect();
        assert_eq!(years, want);
        // Only the named programmes.
        assert_eq!(summaries(&events, &cat, &["Q".into()]).len(), 1);
    }

    #[test]
    fn an_empty_selection_has_no_year_and_no_shares() {
        let (cat, _) = world();
        let all = summaries(&[], &cat, &[]);
        assert!(all
            .iter()
            .all(|s| s.year.is_none() && s.events == 0 && s.un_share.is_none()));
        assert!(all.iter().all(|s| s.issue_area_density.is_none()));
        assert!(yearly(&[], &cat, &[]).is_empty());
    }
}
