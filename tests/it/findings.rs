//! Findings about the real seed: the article's comparison, checked on the data. These tests state
//! what the curated dataset shows; if a dataset change overturns one, report it rather than
//! bending data or code (a finding the data do not show is marked `#[ignore]` with the figures).

use spacedip::db::Db;
use spacedip::domain::{Catalog, Event, Filter, IssueArea};
use spacedip::metrics::{issue_area_density, reference_year, summaries, Summary};

fn seed() -> (Vec<Event>, Catalog) {
    let db = Db::open_seeded_in_memory().unwrap();
    let catalog = db.catalog().unwrap();
    let events = db.events(&Filter::default(), &catalog).unwrap();
    (events, catalog)
}

fn summary(events: &[Event], catalog: &Catalog, programme: &str) -> Summary {
    summaries(events, catalog, &[programme.to_string()])
        .pop()
        .unwrap()
}

#[test]
fn css_un_multilateral_share_exceeds_ilrs() {
    let (events, catalog) = seed();
    let css = summary(&events, &catalog, "CSS");
    let ilrs = summary(&events, &catalog, "ILRS");
    let (c, i) = (css.un_share.unwrap(), ilrs.un_share.unwrap());
    assert!(c > i, "CSS un_share {c} vs ILRS {i}");
}

#[test]
#[ignore = "not shown by the seed (release 3): once the 2019 UN selection codes the winning \
            institutions, each tied to the call's organisers (CMSA, UNOOSA) rather than to \
            each other, the CSS network is a star: C(CSS) 0.913 (n 23) > C(ILRS) 0.685 \
            (n 30); `compare CSS ILRS` reports this claim as contradicted under all four \
            coding rules"]
fn ilrs_partner_network_is_more_centralised_than_css() {
    let (events, catalog) = seed();
    let css = summary(&events, &catalog, "CSS");
    let ilrs = summary(&events, &catalog, "ILRS");
    let (c, i) = (css.centralisation.unwrap(), ilrs.centralisation.unwrap());
    assert!(
        i > c,
        "ILRS C {i} (n {}) vs CSS C {c} (n {})",
        ilrs.n,
        css.n
    );
}

#[test]
#[ignore = "not shown by the seed (release 3, 29 institutions): D(leo_human_spaceflight) and \
            D(lunar) by plain count tie at 13 = 13 at both decision years and 16 = 16 in 2025; \
            see `decision_year_densities_split_by_specification` for the specifications"]
fn leo_issue_area_density_exceeds_lunar_every_year_from_2016() {
    let (events, catalog) = seed();
    let last = reference_year(&events).unwrap();
    let figures: Vec<(i32, usize, usize)> = (2016..=last)
        .map(|t| {
            let leo = issue_area_density(&catalog, IssueArea::LeoHumanSpaceflight, t).count;
            let lunar = issue_area_density(&catalog, IssueArea::Lunar, t).count;
            (t, leo, lunar)
        })
        .collect();
    assert!(
        figures.iter().all(|&(_, leo, lunar)| leo > lunar),
        "(year, leo, lunar): {figures:?}"
    );
}

#[test]
fn decision_year_densities_split_by_specification() {
    use spacedip::metrics::claims::{claims, Verdict};
    let (events, catalog) = seed();
    let t = reference_year(&events);
    let css = catalog.programme("CSS").unwrap();
    let ilrs = catalog.programme("ILRS").unwrap();
    let got = claims(&events, &catalog, (css, None), (ilrs, None), t);
    let density = &got[2];
    // At t* (CSS 2015, ILRS 2020): count 13 = 13 and exogenous 7 = 7 tie; the lead state
    // could use more of the LEO institutions (open 6 > 5) and they are more legalised
    // (10 > 7): supported in 2 of 4 specifications, a mixed verdict.
    let values: Vec<(String, Option<f64>, Option<f64>)> = density
        .tests
        .iter()
        .map(|t| (t.spec.clone(), t.a, t.b))
        .collect();
    assert_eq!(
        values,
        [
            ("count".to_string(), Some(13.0), Some(13.0)),
            ("exogenous".to_string(), Some(7.0), Some(7.0)),
            ("open".to_string(), Some(6.0), Some(5.0)),
            ("legalised".to_string(), Some(10.0), Some(7.0)),
        ]
    );
    assert_eq!(
        (density.holds_in, density.of, density.verdict),
        (2, 4, Verdict::Mixed)
    );
    assert_eq!(got[0].verdict, Verdict::Supported);
    assert_eq!(got[1].verdict, Verdict::Contradicted);
}
