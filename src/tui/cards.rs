//! Programme cards: per-programme summaries of the selected events (count, channel mix, first
//! and last event, events per year) and the comparative measures of `metrics` (shares,
//! partners, Δ, C, D, E), computed off the UI thread from plain events, or for whole
//! programmes from the database's running tally and a few landmarks it is asked for through
//! [`Landmarks`]. No terminal, no database.

use std::collections::BTreeMap;

use crate::domain::tally::ProgrammeTally;
use crate::domain::{Catalog, Channel, Event, Instrument, PartialDate, Programme, Tally};
use crate::error::Result;
use crate::metrics::decision::decision_with;
use crate::metrics::overlap::{read_and_measure, Read};
use crate::metrics::summary::by_programme;
use crate::metrics::tally::mix;
use crate::metrics::{
    decision, issue_area_density, reference_year, ChannelMix, Decision, Rules, Summary,
};

/// The programmes shown first, side by side: the article's comparison.
pub const FEATURED: [&str; 2] = ["CSS", "ILRS"];

/// The programmes in the order the browser steps through them (`p`, the Compare view's pair
/// keys): the featured ones, then the catalog's order.
pub fn programme_order(catalog: &Catalog) -> Vec<String> {
    let mut order: Vec<String> = FEATURED
        .iter()
        .filter(|f| catalog.programme(f).is_some())
        .map(|f| f.to_string())
        .collect();
    for p in &catalog.programmes {
        if !order.contains(&p.id) {
            order.push(p.id.clone());
        }
    }
    order
}

/// An event named on a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Landmark {
    pub id: String,
    pub date: PartialDate,
    pub title: String,
}

/// One programme's summary under the active filter.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgrammeCard {
    pub id: String,
    pub name: String,
    pub events: usize,
    /// The cooperation events among them: what the measures, the mix bar and its counts read.
    pub cooperation: usize,
    /// Cooperation events per channel, in [`Channel::ALL`] order.
    pub channels: Vec<(Channel, usize)>,
    pub first: Option<Landmark>,
    pub last: Option<Landmark>,
    /// Events starting in each year, every year from the first event to the reference year.
    pub per_year: Vec<(i32, usize)>,
    /// Issue-area density D(p,t) (`metrics::issue_area_density`) in the same years.
    pub density_per_year: Vec<(i32, usize)>,
    /// Every measure at the reference year T of the whole selection, as `spacedip stats`
    /// gives it under the same filter; `None` when the selection is empty (no year).
    pub summary: Option<Summary>,
    /// Density at the programme's decision year t* and at T under every specification.
    pub decision: Decision,
}

/// Cards for the featured programmes (always, even when the filter leaves them no event),
/// then for every other programme with events, most events first.
pub fn summarise<'a>(
    events: impl IntoIterator<Item = &'a Event>,
    catalog: &Catalog,
) -> Vec<ProgrammeCard> {
    let by_programme = by_programme(events);
    // One reference year for every card, as `stats` has: the latest selected year.
    let t = by_programme
        .values()
        .filter_map(|events| reference_year(events))
        .max();
    let shown = |p: &Programme| {
        FEATURED.contains(&p.id.as_str()) || by_programme.contains_key(p.id.as_str())
    };
    arrange(catalog.programmes.iter().filter(|p| shown(p)).map(|p| {
        let events = by_programme.get(p.id.as_str()).map_or(&[][..], |v| v);
        let mut card = card(p, Counts::of(events), t, catalog);
        card.summary = t.map(|t| Summary::compute(events, catalog, p, Some(t)));
        card.decision = decision(catalog, events, p, None, t);
        card
    }))
}

/// What the database adds to the years of a tally for the cards of whole programmes: each
/// programme's own tally (its partners and ties, read one programme at a time), its first
/// and last events, and its first channel-defining instrument.
pub trait Landmarks {
    fn tally(&self, programme: &str) -> Result<ProgrammeTally>;
    fn first_and_last(&self, programme: &str) -> Result<Option<(Landmark, Landmark)>>;
    fn first_instrument(
        &self,
        programme: &Programme,
        catalog: &Catalog,
    ) -> Result<Option<Instrument>>;
}

/// [`summarise`] for whole programmes (the `programmes` named, or all) from the database's
/// running tally (`domain::tally`): the same cards without reading every event. `years` is
/// the channel tally of the programmes (their reference year); each programme's own tally
/// comes from `landmarks`. `None` when `cancelled`, asked before each programme, said so.
/// The next programme is read while the last one is measured ([`read_and_measure`]).
pub fn summarise_tally<'a>(
    years: &Tally,
    programmes: &[String],
    landmarks: &dyn Landmarks,
    catalog: &'a Catalog,
    cancelled: &dyn Fn() -> bool,
) -> Result<Option<Vec<ProgrammeCard>>> {
    let t = years.reference_year(programmes);
    let chosen = |p: &Programme| programmes.is_empty() || programmes.contains(&p.id);
    let read = |p: &'a Programme| -> Result<Read<Measured<'a>>> {
        // A programme the filter leaves out has no events here (and is not in the tally).
        let (own, counts, first) = if chosen(p) {
            if cancelled() {
                return Ok(Read::Stop);
            }
            let own = landmarks.tally(&p.id)?;
            let ends = landmarks.first_and_last(&p.id)?;
            let counts = Counts::of_tally(&own.tally, &p.id, ends);
            (own, counts, landmarks.first_instrument(p, catalog)?)
        } else {
            (ProgrammeTally::default(), Counts::default(), None)
        };
        if counts.events == 0 && !FEATURED.contains(&p.id.as_str()) {
            return Ok(Read::Skip);
        }
        let mut card = card(p, counts, t, catalog);
        card.decision = decision_with(catalog, p, first.as_ref(), None, t);
        Ok(Read::Measure((p, card, own)))
    };
    let measure = |(p, mut card, own): Measured<'a>| {
        card.summary = t.map(|t| {
            let rules = &Rules::DEFAULT;
            Summary::from_tallied(
                &own.tally,
                &own.parties,
                &own.ties,
                catalog,
                p,
                Some(t),
                rules,
            )
        });
        card
    };
    Ok(read_and_measure(&catalog.programmes, read, measure)?.map(arrange))
}

/// A programme's card before its measures, and its tally to measure them from.
type Measured<'a> = (&'a Programme, ProgrammeCard, ProgrammeTally);

/// Featured first, then most events first.
fn arrange(cards: impl IntoIterator<Item = ProgrammeCard>) -> Vec<ProgrammeCard> {
    let mut cards: Vec<ProgrammeCard> = cards.into_iter().collect();
    cards.sort_by_key(|c| {
        let rank = FEATURED
            .iter()
            .position(|f| *f == c.id)
            .unwrap_or(FEATURED.len());
        (rank, std::cmp::Reverse(c.events))
    });
    cards
}

/// What a card counts of one programme's events, however counted.
#[derive(Debug)]
struct Counts {
    events: usize,
    cooperation: usize,
    /// Cooperation events per channel, in [`Channel::ALL`] order.
    channels: Vec<(Channel, usize)>,
    /// Events starting in each year.
    years: BTreeMap<i32, usize>,
    first: Option<Landmark>,
    last: Option<Landmark>,
}

impl Default for Counts {
    /// No events: every channel at zero.
    fn default() -> Counts {
        Counts {
            events: 0,
            cooperation: 0,
            channels: Channel::ALL.iter().map(|&c| (c, 0)).collect(),
            years: BTreeMap::new(),
            first: None,
            last: None,
        }
    }
}

impl Counts {
    fn of(events: &[Event]) -> Counts {
        let landmark = |e: &Event| Landmark {
            id: e.id.clone(),
            date: e.date,
            title: e.title.clone(),
        };
        let mut years = BTreeMap::new();
        for e in events {
            *years.entry(e.date.year_value()).or_insert(0) += 1;
        }
        let cooperation = ChannelMix::of(events.iter().filter(|e| Rules::DEFAULT.admits(e)));
        Counts {
            events: events.len(),
            years,
            first: events
                .iter()
                .min_by_key(|e| (e.date, e.id.clone()))
                .map(landmark),
            last: events
                .iter()
                .max_by_key(|e| (e.date, e.id.clone()))
                .map(landmark),
            ..Counts::cooperating(cooperation)
        }
    }

    fn of_tally(tally: &Tally, programme: &str, ends: Option<(Landmark, Landmark)>) -> Counts {
        let mut years = BTreeMap::new();
        for (k, &n) in tally
            .channels
            .iter()
            .filter(|(k, _)| k.programme == programme)
        {
            *years.entry(k.year).or_insert(0) += n.max(0) as usize;
        }
        let (first, last) = ends.unzip();
        Counts {
            events: years.values().sum(),
            years,
            first,
            last,
            ..Counts::cooperating(mix(tally, programme, &Rules::DEFAULT))
        }
    }

    /// No events yet but the cooperation events of `mix` (what the mix bar shows).
    fn cooperating(mix: ChannelMix) -> Counts {
        Counts {
            cooperation: mix.events,
            channels: Channel::ALL
                .iter()
                .map(|&c| (c, mix.of_channel(c)))
                .collect(),
            ..Counts::default()
        }
    }
}

fn card(p: &Programme, c: Counts, t: Option<i32>, catalog: &Catalog) -> ProgrammeCard {
    let per_year: Vec<(i32, usize)> = match (&c.first, &c.last) {
        (Some(f), Some(l)) => {
            let end = t.unwrap_or(l.date.year_value()).max(l.date.year_value());
            (f.date.year_value()..=end)
                .map(|y| (y, c.years.get(&y).copied().unwrap_or(0)))
                .collect()
        }
        _ => Vec::new(),
    };
    let density_per_year = per_year
        .iter()
        .map(|&(y, _)| (y, issue_area_density(catalog, p.issue_area, y).count))
        .collect();
    ProgrammeCard {
        id: p.id.clone(),
        name: p.name.clone(),
        events: c.events,
        cooperation: c.cooperation,
        channels: c.channels,
        first: c.first,
        last: c.last,
        per_year,
        density_per_year,
        summary: None,
        decision: Decision::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;
    use crate::domain::{Filter, IssueArea};
    use crate::metrics::summaries;

    #[test]
    fn featured_first_and_counts_add_up() {
        let db = Db::open_seeded_in_memory().unwrap();
        let c = db.catalog().unwrap();
        let events = db.events(&Filter::default(), &c).unwrap();
        let cards = summarise(&events, &c);
        assert_eq!(cards[0].id, "CSS");
        assert_eq!(cards[1].id, "ILRS");
        assert_eq!(cards.iter().map(|c| c.events).sum::<usize>(), events.len());
        let t = reference_year(&events).unwrap();
        for card in &cards {
            // The mix counts the cooperation events, as the measures do.
            let mix: usize = card.channels.iter().map(|(_, n)| n).sum();
            assert_eq!(mix, card.cooperation, "{}", card.id);
            let years: usize = card.per_year.iter().map(|(_, n)| n).sum();
            assert_eq!(years, card.events, "{}", card.id);
            assert_eq!(card.per_year.last().map(|y| y.0), Some(t), "runs to T");
            let density_years: Vec<i32> = card.density_per_year.iter().map(|y| y.0).collect();
            let years: Vec<i32> = card.per_year.iter().map(|y| y.0).collect();
            assert_eq!(density_years, years, "{}", card.id);
        }
        let ilrs = &cards[1];
        assert!(ilrs.first.as_ref().unwrap().date <= ilrs.last.as_ref().unwrap().date);
        // D per year for the lunar area, counted by hand from seed/institutions.csv. From 1995
        // nine: IAF, UNOOSA, COPUOS, OST, RESCUE, LIABILITY, REGISTRATION, MOON_AGREEMENT,
        // ILEWG; ISECG from 2007 (10), HAGUE_SRWG from 2016 (11), MVA from 2017 (12). The
        // Hague group ended in November 2019, so it counts for 2019 and not for 2020, when
        // ARTEMIS_ACCORDS and GATEWAY come in (13); ILRS and COPUOS_SRWG from 2021 (15),
        // ATLAC from 2025 (16). The card runs from ILRS's first event (2017) to T (2025).
        let want: Vec<(i32, usize)> = vec![
            (2017, 12),
            (2018, 12),
            (2019, 12),
            (2020, 13),
            (2021, 15),
            (2022, 15),
            (2023, 15),
            (2024, 15),
            (2025, 16),
        ];
        assert_eq!(ilrs.density_per_year, want);
        assert_eq!(issue_area_density(&c, IssueArea::Lunar, 1994).count, 8);
        assert_eq!(issue_area_density(&c, IssueArea::Lunar, 2007).count, 10);
    }

    #[test]
    fn card_figures_are_the_stats_figures_under_the_same_filter() {
        let db = Db::open_seeded_in_memory().unwrap();
        let c = db.catalog().unwrap();
        for filter in [
            Filter::default(),
            Filter {
                until: Some("2020".parse().unwrap()),
                ..Filter::default()
            },
        ] {
            let events = db.events(&filter, &c).unwrap();
            let stats = summaries(&events, &c, &[]);
            for card in summarise(&events, &c) {
                let want = stats.iter().find(|s| s.programme == card.id).unwrap();
                assert_eq!(card.summary.as_ref(), Some(want), "{}", card.id);
            }
        }
        // On the seed: CSS 7 of its 25 cooperation events through the UN, ILRS none.
        let events = db.events(&Filter::default(), &c).unwrap();
        let cards = summarise(&events, &c);
        let un = |i: usize| cards[i].summary.as_ref().unwrap().un_share.unwrap();
        assert!((un(0) - 7.0 / 25.0).abs() < 1e-12);
        assert_eq!(un(1), 0.0);
    }

    #[test]
    fn featured_cards_stay_when_the_filter_empties_them() {
        let db = Db::open_seeded_in_memory().unwrap();
        let c = db.catalog().unwrap();
        let cards = summarise(&[], &c);
        let ids: Vec<&str> = cards.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["CSS", "ILRS"]);
        assert_eq!(cards[0].events, 0);
        assert!(cards[0].first.is_none() && cards[0].per_year.is_empty());
        assert!(cards[0].summary.is_none(), "no year to measure at");
    }
}
