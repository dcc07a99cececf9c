//! The Compare view's data: for every programme, its events per year by channel
//! (`metrics::channels::per_year`), issue-area density D and D_w per year
//! (`metrics::issue_area_density`), on one year axis, and its measures (`Summary::compute`)
//! at every year a pair's reference year can take. All over the active filter with its
//! programme choice dropped (the view's own pair replaces it). Computed in the worker thread
//! from plain events, so that any pair shows without a new query; no terminal, no database.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::{Catalog, Event, Filter, IssueArea};
use crate::metrics::channels::{per_year, ChannelMix};
use crate::metrics::claims::{inputs, Inputs};
use crate::metrics::summary::{by_programme, first_year};
use crate::metrics::{issue_area_density, reference_year, Summary};

/// D(p,t) and D_w(p,t) in one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearDensity {
    pub year: i32,
    pub count: usize,
    pub weighted: usize,
}

/// One programme on the shared year axis.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgrammeYears {
    pub id: String,
    pub name: String,
    pub issue_area: IssueArea,
    /// The years of its first and last selected events.
    pub first: Option<i32>,
    pub last: Option<i32>,
    /// Events starting in each year of the axis, by channel.
    pub per_year: Vec<(i32, ChannelMix)>,
    /// Its issue area's D and D_w in each year of the axis.
    pub density: Vec<YearDensity>,
    /// Its measures, cumulative, at each year in which some programme's last selected event
    /// falls, from its own last year on (every year for a programme without events): the
    /// years a pair it belongs to can have as its reference year.
    pub summaries: Vec<Summary>,
    /// What the article's claims read of it (shares and C under each coding rule, density at
    /// its decision year), at the same years as `summaries`.
    pub claims: Vec<Inputs>,
}

/// Every programme of the catalog on one year axis.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CompareData {
    /// The axis: the first and last year of any selected event.
    pub years: Option<(i32, i32)>,
    /// In the catalog's order.
    pub programmes: Vec<ProgrammeYears>,
}

/// Two programmes on their own axis: from the first year either has an event to the later
/// one's last year (their reference year T, as `spacedip compare A B` has it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair<'a> {
    pub first: i32,
    pub last: i32,
    pub sides: [Side<'a>; 2],
}

/// One programme of a pair, its years cut to the pair's axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Side<'a> {
    pub programme: &'a ProgrammeYears,
    pub per_year: &'a [(i32, ChannelMix)],
    pub density: &'a [YearDensity],
    /// The measures at the pair's reference year T: `spacedip compare A B`'s column.
    pub summary: Option<&'a Summary>,
    /// The claims' inputs at T.
    pub claims: Option<&'a Inputs>,
}

/// The filter the Compare view applies: the active one without its programme choice.
pub fn filter_for(filter: &Filter) -> Filter {
    Filter {
        programmes: Vec::new(),
        ..filter.clone()
    }
}

impl CompareData {
    /// The data over `events` (selected by [`filter_for`] the active filter).
    pub fn compute<'a>(
        events: impl IntoIterator<Item = &'a Event>,
        catalog: &Catalog,
    ) -> CompareData {
        let by_programme = by_programme(events);
        let lasts: BTreeSet<i32> = by_programme
            .values()
            .filter_map(|v| reference_year(v))
            .collect();
        let first = by_programme
            .values()
            .flatten()
            .map(|e| e.date.year_value())
            .min();
        let years = first.zip(lasts.last().copied());
        // D depends on the issue area and the year only: once per area.
        let mut densities: BTreeMap<IssueArea, Vec<YearDensity>> = BTreeMap::new();
        let programmes = catalog
            .programmes
            .iter()
            .map(|p| {
                let own = by_programme.get(p.id.as_str()).map_or(&[][..], |v| v);
                let last = reference_year(own);
                let (per_year, density) = match years {
                    Some((f, l)) => (
                        per_year(own, &p.id, f, l),
                        densities
                            .entry(p.issue_area)
                            .or_insert_with(|| {
                                (f..=l)
                                    .map(|y| {
                                        let d = issue_area_density(catalog, p.issue_area, y);
                                        YearDensity {
                                            year: y,
                                            count: d.count,
                                            weighted: d.weighted,
                                        }
                                    })
                                    .collect()
                            })
                            .clone(),
                    ),
                    None => (Vec::new(), Vec::new()),
                };
                let years_t: Vec<i32> = lasts
                    .iter()
                    .copied()
                    .filter(|&y| last.is_none_or(|l| y >= l))
                    .collect();
                let summaries = years_t
                    .iter()
                    .map(|&y| Summary::compute(own, catalog, p, Some(y)))
                    .collect();
                let claims = years_t
                    .iter()
                    .map(|&y| inputs(own, catalog, p, None, Some(y)))
                    .collect();
                ProgrammeYears {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    issue_area: p.issue_area,
                    first: first_year(own, &p.id),
                    last,
                    per_year,
                    density,
                    summaries,
                    claims,
                }
            })
            .collect();
        CompareData { years, programmes }
    }

    /// A programme by id.
    pub fn programme(&self, id: &str) -> Option<&ProgrammeYears> {
        self.programmes.iter().find(|p| p.id == id)
    }

    /// Programmes `a` and `b` on their axis; `None` when either is unknown or neither has a
    /// selected event.
    pub fn pair(&self, a: &str, b: &str) -> Option<Pair<'_>> {
        let (pa, pb) = (self.programme(a)?, self.programme(b)?);
        let (axis_first, _) = self.years?;
        let first = pa.first.into_iter().chain(pb.first).min()?;
        let last = pa.last.into_iter().chain(pb.last).max()?;
        let from = usize::try_from(first - axis_first).unwrap_or(0);
        let to = usize::try_from(last - axis_first + 1).unwrap_or(0);
        let sides = [pa, pb].map(|p| Side {
            programme: p,
            per_year: p.per_year.get(from..to).unwrap_or(&[]),
            density: p.density.get(from..to).unwrap_or(&[]),
            summary: p.summaries.iter().find(|s| s.year == Some(last)),
            claims: p.claims.iter().find(|c| c.year == Some(last)),
        });
        Some(Pair { first, last, sides })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;
    use crate::metrics::summary::series;

    /// The data the worker computes for the default filter on the seed.
    fn seed() -> (Db, Catalog, CompareData) {
        let db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let events = db.events(&Filter::default(), &catalog).unwrap();
        let data = CompareData::compute(&events, &catalog);
        (db, catalog, data)
    }

    #[test]
    fn a_pair_reproduces_spacedip_compare_on_the_seed() {
        let (db, catalog, data) = seed();
        let pair = data.pair("CSS", "ILRS").unwrap();
        // What `spacedip compare CSS ILRS` computes: the two programmes' events only.
        let filter = Filter {
            programmes: vec!["CSS".into(), "ILRS".into()],
            ..Filter::default()
        };
        let events = db.events(&filter, &catalog).unwrap();
        let t = reference_year(&events);
        assert_eq!(Some(pair.last), t);
        for (side, id) in pair.sides.iter().zip(["CSS", "ILRS"]) {
            let p = catalog.programme(id).unwrap();
            let want = Summary::compute(&events, &catalog, p, t);
            assert_eq!(side.summary, Some(&want), "{id}");
            // D and D_w year by year, as `compare --by-year` has them.
            let by_year: Vec<(Option<i32>, Option<usize>, Option<usize>)> =
                series(&events, &catalog, p, pair.first, pair.last)
                    .into_iter()
                    .map(|s| (s.year, s.issue_area_density, s.issue_area_density_weighted))
                    .collect();
            let shown: Vec<(Option<i32>, Option<usize>, Option<usize>)> = side
                .density
                .iter()
                .map(|d| (Some(d.year), Some(d.count), Some(d.weighted)))
                .collect();
            assert_eq!(shown, by_year, "{id}");
        }
        let [css, ilrs] = pair.sides.map(|s| s.summary.unwrap().clone());
        // The seed's figures (README, Methods): UN share 7/25 = 0.280 against 0; the CSS
        // network is a star around CMSA and UNOOSA (more centralised than the ILRS's).
        assert!((css.un_share.unwrap() - 0.280).abs() < 5e-4);
        assert_eq!(ilrs.un_share, Some(0.0));
        assert_eq!((css.events, ilrs.events), (25, 49));
        assert_eq!((css.n, ilrs.n), (23, 30));
        assert!(ilrs.centralisation.unwrap() < css.centralisation.unwrap());
        assert_eq!((pair.first, pair.last), (2011, 2025));
    }

    #[test]
    fn every_pair_has_the_compare_figures_at_its_reference_year() {
        let (db, catalog, data) = seed();
        let ids: Vec<&str> = catalog.programmes.iter().map(|p| p.id.as_str()).collect();
        for (i, a) in ids.iter().enumerate() {
            for b in &ids[i + 1..] {
                let filter = Filter {
                    programmes: vec![a.to_string(), b.to_string()],
                    ..Filter::default()
                };
                let events = db.events(&filter, &catalog).unwrap();
                let pair = data.pair(a, b).unwrap();
                let t = reference_year(&events);
                assert_eq!(Some(pair.last), t, "{a} {b}");
                for (side, id) in pair.sides.iter().zip([a, b]) {
                    let p = catalog.programme(id).unwrap();
                    let want = Summary::compute(&events, &catalog, p, t);
                    assert_eq!(side.summary, Some(&want), "{a} {b}: {id}");
                }
            }
        }
    }

    #[test]
    fn per_year_channels_add_up_to_the_programme_events() {
        let (_, _, data) = seed();
        let pair = data.pair("CSS", "ILRS").unwrap();
        for side in pair.sides {
            let years: Vec<i32> = side.per_year.iter().map(|(y, _)| *y).collect();
            assert_eq!(years, (pair.first..=pair.last).collect::<Vec<_>>());
            let total: usize = side.per_year.iter().map(|(_, m)| m.events).sum();
            assert_eq!(Some(total), side.summary.map(|s| s.events));
        }
    }

    #[test]
    fn the_programme_filter_is_dropped_and_the_rest_kept() {
        let active = Filter {
            programmes: vec!["ARTEMIS".into()],
            since: Some("2021".parse().unwrap()),
            ..Filter::default()
        };
        let f = filter_for(&active);
        assert!(f.programmes.is_empty());
        assert_eq!(f.since, active.since);
    }

    #[test]
    fn unknown_or_empty_pairs_have_no_axis() {
        let (_, catalog, data) = seed();
        assert!(data.pair("CSS", "NOPE").is_none());
        let empty = CompareData::compute(&[], &catalog);
        assert!(empty.programmes.iter().all(|p| p.density.is_empty()));
        assert_eq!(empty.years, None);
        assert!(empty.pair("CSS", "ILRS").is_none());
    }
}
