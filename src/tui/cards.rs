//! Programme cards: per-programme summaries of the selected events (count, channel mix,
//! partners, first and last event, events per year), computed off the UI thread from plain
//! events. No terminal, no database.

use std::collections::BTreeMap;

use crate::domain::{Catalog, Channel, Event, IssueArea, PartialDate};
use crate::metrics::issue_area_density;

/// The programmes shown first, side by side: the article's comparison.
pub const FEATURED: [&str; 2] = ["CSS", "ILRS"];

/// Institutional-density figures for a programme, from the `metrics` module; `None` (shown
/// as a dash) when there is nothing to measure, never a made-up number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DensityFigures {
    /// Label and formatted value, one line each (e.g. "institutions in force", "12").
    pub rows: Vec<(String, String)>,
}

/// An event named on a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Landmark {
    pub id: String,
    pub date: PartialDate,
    pub title: String,
}

/// One programme's summary under the active filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgrammeCard {
    pub id: String,
    pub name: String,
    pub events: usize,
    /// Events per channel, in [`Channel::ALL`] order.
    pub channels: Vec<(Channel, usize)>,
    /// The lead agency and state, left out of `partners`.
    pub lead: Vec<String>,
    /// Other actors and their events, most events first.
    pub partners: Vec<(String, usize)>,
    pub first: Option<Landmark>,
    pub last: Option<Landmark>,
    /// Events per year, every year from the first to the last event.
    pub per_year: Vec<(i32, usize)>,
    /// Issue-area density at the first and last event's years.
    pub density: Option<DensityFigures>,
}

/// Cards for the featured programmes (always, even when the filter leaves them no event),
/// then for every other programme with events, most events first.
pub fn summarise<'a>(
    events: impl IntoIterator<Item = &'a Event>,
    catalog: &Catalog,
) -> Vec<ProgrammeCard> {
    let mut by_programme: BTreeMap<&str, Vec<&Event>> = BTreeMap::new();
    for e in events {
        by_programme
            .entry(e.programme.as_str())
            .or_default()
            .push(e);
    }
    let mut cards: Vec<ProgrammeCard> = catalog
        .programmes
        .iter()
        .filter(|p| FEATURED.contains(&p.id.as_str()) || by_programme.contains_key(p.id.as_str()))
        .map(|p| {
            let events = by_programme.get(p.id.as_str()).map_or(&[][..], |v| v);
            let lead: Vec<String> = [&p.lead_agency, &p.lead_state]
                .into_iter()
                .flatten()
                .cloned()
                .collect();
            let mut card = card(&p.id, &p.name, lead, events);
            card.density = density(catalog, p.issue_area, &card);
            card
        })
        .collect();
    cards.sort_by_key(|c| {
        let rank = FEATURED
            .iter()
            .position(|f| *f == c.id)
            .unwrap_or(FEATURED.len());
        (rank, std::cmp::Reverse(c.events))
    });
    cards
}

fn card(id: &str, name: &str, lead: Vec<String>, events: &[&Event]) -> ProgrammeCard {
    let channels = Channel::ALL
        .iter()
        .map(|&c| (c, events.iter().filter(|e| e.channel == c).count()))
        .collect();
    let mut partners: BTreeMap<&str, usize> = BTreeMap::new();
    for e in events {
        let mut seen: Vec<&str> = Vec::new();
        for p in &e.parties {
            if !lead.contains(&p.actor) && !seen.contains(&p.actor.as_str()) {
                seen.push(&p.actor);
                *partners.entry(&p.actor).or_default() += 1;
            }
        }
    }
    let mut partners: Vec<(String, usize)> = partners
        .into_iter()
        .map(|(a, n)| (a.to_string(), n))
        .collect();
    partners.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let landmark = |e: &&Event| Landmark {
        id: e.id.clone(),
        date: e.date,
        title: e.title.clone(),
    };
    let first = events.iter().min_by_key(|e| (e.date, e.id.clone()));
    let last = events.iter().max_by_key(|e| (e.date, e.id.clone()));
    let per_year = match (first, last) {
        (Some(f), Some(l)) => (f.date.year_value()..=l.date.year_value())
            .map(|y| {
                let n = events.iter().filter(|e| e.date.year_value() == y).count();
                (y, n)
            })
            .collect(),
        _ => Vec::new(),
    };
    ProgrammeCard {
        id: id.to_string(),
        name: name.to_string(),
        events: events.len(),
        channels,
        lead,
        partners,
        first: first.map(landmark),
        last: last.map(landmark),
        per_year,
        density: None,
    }
}

/// D(p,t) and D_w(p,t) (`metrics::density`) of the programme's issue area in the years of its
/// first and last selected events: how thick the institutional web was at its first event and
/// is at its latest.
fn density(catalog: &Catalog, area: IssueArea, card: &ProgrammeCard) -> Option<DensityFigures> {
    let first = card.first.as_ref()?.date.year_value();
    let last = card.last.as_ref()?.date.year_value();
    let (d0, d1) = (
        issue_area_density(catalog, area, first),
        issue_area_density(catalog, area, last),
    );
    // The card names the first and last events' dates just above, so years are implied.
    let value = if first == last {
        format!("{} (D_w {})", d0.count, d0.weighted)
    } else {
        format!(
            "{} → {} (D_w {} → {})",
            d0.count, d1.count, d0.weighted, d1.weighted
        )
    };
    Some(DensityFigures {
        rows: vec![("density".to_string(), value)],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;
    use crate::domain::Filter;

    #[test]
    fn featured_first_and_counts_add_up() {
        let db = Db::open_seeded_in_memory().unwrap();
        let c = db.catalog().unwrap();
        let events = db.events(&Filter::default(), &c).unwrap();
        let cards = summarise(&events, &c);
        assert_eq!(cards[0].id, "CSS");
        assert_eq!(cards[1].id, "ILRS");
        assert_eq!(cards.iter().map(|c| c.events).sum::<usize>(), events.len());
        for card in &cards {
            let mix: usize = card.channels.iter().map(|(_, n)| n).sum();
            assert_eq!(mix, card.events, "{}", card.id);
            let years: usize = card.per_year.iter().map(|(_, n)| n).sum();
            assert_eq!(years, card.events, "{}", card.id);
            assert!(card.partners.iter().all(|(a, _)| !card.lead.contains(a)));
            assert!(card.density.is_some());
        }
        let ilrs = &cards[1];
        assert!(ilrs.first.as_ref().unwrap().date <= ilrs.last.as_ref().unwrap().date);
        // The figures are the metrics module's, at the first and last event years.
        let (y0, y1) = (
            ilrs.first.as_ref().unwrap().date.year_value(),
            ilrs.last.as_ref().unwrap().date.year_value(),
        );
        let d0 = issue_area_density(&c, IssueArea::Lunar, y0);
        let d1 = issue_area_density(&c, IssueArea::Lunar, y1);
        assert_eq!(
            ilrs.density.as_ref().unwrap().rows[0].1,
            format!(
                "{} → {} (D_w {} → {})",
                d0.count, d1.count, d0.weighted, d1.weighted
            )
        );
        assert!(ilrs.lead.contains(&"CNSA".to_string()));
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
        assert!(cards[0].density.is_none(), "no year to measure at");
    }
}
