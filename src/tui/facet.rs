//! The facet panel's model: the data layer's counts flattened into pickable rows, and what
//! picking a row does to the filter. Pure functions over plain data.

use crate::db::Facets;
use crate::domain::{Catalog, ChannelFilter, Filter, Kind, PartialDate, Valence};

/// A group of the facet panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Programme,
    Channel,
    Kind,
    Valence,
    Partner,
    Year,
}

impl Section {
    pub const ALL: [Section; 6] = [
        Section::Programme,
        Section::Channel,
        Section::Kind,
        Section::Valence,
        Section::Partner,
        Section::Year,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Section::Programme => "Programme",
            Section::Channel => "Channel",
            Section::Kind => "Kind",
            Section::Valence => "Valence",
            Section::Partner => "Partner (all must take part)",
            Section::Year => "Year",
        }
    }
}

/// A value one can filter by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FacetValue {
    Programme(String),
    Channel(ChannelFilter),
    Kind(Kind),
    Valence(Valence),
    Partner(String),
    Year(i32),
}

impl FacetValue {
    pub fn section(&self) -> Section {
        match self {
            FacetValue::Programme(_) => Section::Programme,
            FacetValue::Channel(_) => Section::Channel,
            FacetValue::Kind(_) => Section::Kind,
            FacetValue::Valence(_) => Section::Valence,
            FacetValue::Partner(_) => Section::Partner,
            FacetValue::Year(_) => Section::Year,
        }
    }
}

/// One pickable row: a value, its label, its count and whether the filter has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetRow {
    pub value: FacetValue,
    pub label: String,
    pub count: usize,
    pub active: bool,
}

/// A line of the panel: a section title or a row (by index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FacetLine {
    Header(Section),
    Row(usize),
}

/// The rows of every section, in panel order. Values the filter holds are kept even when
/// their count is zero, so that they can be dropped again.
pub fn rows(facets: &Facets, filter: &Filter, catalog: &Catalog) -> Vec<FacetRow> {
    let mut out = Vec::new();
    let mut programmes = facets.programmes.clone();
    for p in &filter.programmes {
        if !programmes.iter().any(|(id, _)| id == p) {
            programmes.push((p.clone(), 0));
        }
    }
    for (id, count) in programmes {
        out.push(FacetRow {
            active: filter.programmes.contains(&id),
            label: id.clone(),
            value: FacetValue::Programme(id),
            count,
        });
    }
    for cut in ChannelFilter::ALL {
        let count = facets
            .channels
            .iter()
            .find(|(c, _)| *c == cut)
            .map_or(0, |(_, n)| *n);
        let active = filter.channels.contains(&cut);
        if count > 0 || active {
            out.push(FacetRow {
                value: FacetValue::Channel(cut),
                label: channel_label(cut).to_string(),
                count,
                active,
            });
        }
    }
    let mut kinds = facets.kinds.clone();
    for k in &filter.kinds {
        if !kinds.iter().any(|(x, _)| x == k) {
            kinds.push((*k, 0));
        }
    }
    for (kind, count) in kinds {
        out.push(FacetRow {
            value: FacetValue::Kind(kind),
            label: kind.label().to_string(),
            count,
            active: filter.kinds.contains(&kind),
        });
    }
    for &v in Valence::ALL {
        let count = facets
            .valences
            .iter()
            .find(|(x, _)| *x == v)
            .map_or(0, |(_, n)| *n);
        let active = filter.valences.contains(&v);
        if count > 0 || active {
            out.push(FacetRow {
                value: FacetValue::Valence(v),
                label: v.as_str().to_string(),
                count,
                active,
            });
        }
    }
    let mut partners = facets.partners.clone();
    for a in &filter.actors {
        if !partners.iter().any(|(id, _)| id == a) {
            partners.push((a.clone(), 0));
        }
    }
    for (id, count) in partners {
        let label = match catalog.actor(&id) {
            Some(a) if a.name != id => format!("{id} {}", a.name),
            _ => id.clone(),
        };
        out.push(FacetRow {
            active: filter.actors.contains(&id),
            value: FacetValue::Partner(id),
            label,
            count,
        });
    }
    let since = filter.since.map(|d| d.year_value());
    let until = filter.until.map(|d| d.year_value());
    for &(year, count) in &facets.years {
        let active = (since.is_some() || until.is_some())
            && since.is_none_or(|s| year >= s)
            && until.is_none_or(|u| year <= u);
        out.push(FacetRow {
            value: FacetValue::Year(year),
            label: year.to_string(),
            count,
            active,
        });
    }
    out
}

/// How a channel cut reads in the panel and in messages.
pub fn channel_label(cut: ChannelFilter) -> &'static str {
    match cut {
        ChannelFilter::Multilateral => "multilateral (incl. UN)",
        ChannelFilter::Un => "UN only",
        ChannelFilter::Bilateral => "bilateral",
        ChannelFilter::National => "national",
    }
}

/// The panel's lines: each section's title, then its rows.
pub fn lines(rows: &[FacetRow]) -> Vec<FacetLine> {
    let mut out = Vec::new();
    for section in Section::ALL {
        out.push(FacetLine::Header(section));
        out.extend(
            rows.iter()
                .enumerate()
                .filter(|(_, r)| r.value.section() == section)
                .map(|(i, _)| FacetLine::Row(i)),
        );
    }
    out
}

/// Picks a value, or drops it when the filter has it. Programmes, channels and kinds are
/// alternatives; partners must all take part. A year narrows the range to that year, widens
/// it to reach a year outside it, or clears it when it is that year alone.
pub fn toggle(filter: &mut Filter, value: &FacetValue) {
    fn flip<T: PartialEq + Clone>(list: &mut Vec<T>, v: &T) {
        match list.iter().position(|x| x == v) {
            Some(i) => {
                list.remove(i);
            }
            None => list.push(v.clone()),
        }
    }
    match value {
        FacetValue::Programme(p) => flip(&mut filter.programmes, p),
        FacetValue::Channel(c) => flip(&mut filter.channels, c),
        FacetValue::Kind(k) => flip(&mut filter.kinds, k),
        FacetValue::Valence(v) => flip(&mut filter.valences, v),
        FacetValue::Partner(a) => flip(&mut filter.actors, a),
        FacetValue::Year(y) => {
            let since = filter.since.map(|d| d.year_value());
            let until = filter.until.map(|d| d.year_value());
            let only = Some(PartialDate::year(*y));
            match (since, until) {
                (Some(s), Some(u)) if s == *y && u == *y => {
                    filter.since = None;
                    filter.until = None;
                }
                (Some(s), _) if *y < s => filter.since = only,
                (_, Some(u)) if *y > u => filter.until = only,
                _ => {
                    filter.since = only;
                    filter.until = only;
                }
            }
        }
    }
}

/// Sets one end of the year range, dropping the other end if it would cross.
pub fn set_year_bound(filter: &mut Filter, year: i32, since: bool) {
    let d = Some(PartialDate::year(year));
    if since {
        filter.since = d;
        if filter.until.is_some_and(|u| u.year_value() < year) {
            filter.until = None;
        }
    } else {
        filter.until = d;
        if filter.since.is_some_and(|s| s.year_value() > year) {
            filter.since = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn years(f: &Filter) -> (Option<i32>, Option<i32>) {
        (
            f.since.map(|d| d.year_value()),
            f.until.map(|d| d.year_value()),
        )
    }

    #[test]
    fn toggling_stacks_and_drops() {
        let mut f = Filter::default();
        toggle(&mut f, &FacetValue::Programme("CSS".into()));
        toggle(&mut f, &FacetValue::Programme("ILRS".into()));
        toggle(&mut f, &FacetValue::Channel(ChannelFilter::Bilateral));
        toggle(&mut f, &FacetValue::Partner("PAK".into()));
        assert_eq!(
            f.to_args(),
            "--programme CSS --programme ILRS --channel bilateral --actor PAK"
        );
        toggle(&mut f, &FacetValue::Programme("CSS".into()));
        assert_eq!(f.programmes, vec!["ILRS".to_string()]);
    }

    #[test]
    fn years_narrow_widen_and_clear() {
        let mut f = Filter::default();
        toggle(&mut f, &FacetValue::Year(2021));
        assert_eq!(years(&f), (Some(2021), Some(2021)));
        toggle(&mut f, &FacetValue::Year(2023));
        assert_eq!(years(&f), (Some(2021), Some(2023)));
        toggle(&mut f, &FacetValue::Year(2016));
        assert_eq!(years(&f), (Some(2016), Some(2023)));
        toggle(&mut f, &FacetValue::Year(2022));
        assert_eq!(years(&f), (Some(2022), Some(2022)));
        toggle(&mut f, &FacetValue::Year(2022));
        assert_eq!(years(&f), (None, None));
        set_year_bound(&mut f, 2019, true);
        assert_eq!(years(&f), (Some(2019), None));
        set_year_bound(&mut f, 2017, false);
        assert_eq!(years(&f), (None, Some(2017)));
    }
}
