//! Issue-area institutional density: how many institutions govern a programme's issue area in a
//! year (organisational-ecology density, Hannan & Carroll's N_t), and a membership-weighted
//! variant.
//!
//! **Count.** D(p,t) = |{ i ∈ I : area(p) ∈ areas(i), i in force during t }|, over every
//! institution of the catalog (treaties, UN bodies, IGOs, forums, arrangements, programmes).
//!
//! **In force during year t** (year granularity, because dates are partial): the year of
//! `in_force` ≤ t, and `ended` is empty or its year ≥ t. An institution that came into force in
//! October 2020 counts for all of 2020; one that ended in 2024 still counts for 2024 (it was in
//! force during part of it) and no longer for 2025.
//!
//! **Weighted.** D_w(p,t) = Σ_{i counted in D(p,t)} |members_i(t)|, where members_i(t) are the
//! membership rows of i that hold during t (see [`member_during`]). Institutions without any
//! membership row add 0, so D_w is a lower bound; `with_members` says how many of the counted
//! institutions have membership data at all.
//!
//! D is a property of the issue area and the catalog, not of the selected events: filters do
//! not change it, only the year does. It includes every institution of the area, also those a
//! programme created (the ILRS arrangement counts in the lunar area from 2021).

use crate::domain::{Catalog, IssueArea, Membership};

/// D(p,t) and D_w(p,t) for one issue area and year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueAreaDensity {
    pub area: IssueArea,
    pub year: i32,
    /// D: institutions governing the area in force during the year.
    pub count: usize,
    /// D_w: their members during the year, summed (where membership is known).
    pub weighted: usize,
    /// How many of the counted institutions have any membership row.
    pub with_members: usize,
    /// The counted institutions' ids, in the catalog's order.
    pub institutions: Vec<String>,
}

/// Whether a membership holds during `year`: joined by its end and not left before it. A join
/// date known only by bounds counts from its latest bound; an unknown join date counts as a
/// member in every year (the record attests membership but not since when, which can
/// overstate early years; the seed records bounds instead).
pub fn member_during(m: &Membership, year: i32) -> bool {
    m.member_during(year)
}

/// D(p,t) and D_w(p,t) for `area` in `year`.
pub fn issue_area_density(catalog: &Catalog, area: IssueArea, year: i32) -> IssueAreaDensity {
    let mut d = IssueAreaDensity {
        area,
        year,
        count: 0,
        weighted: 0,
        with_members: 0,
        institutions: Vec::new(),
    };
    for i in catalog
        .institutions
        .iter()
        .filter(|i| i.issue_areas.contains(&area) && i.in_force_during(year))
    {
        d.count += 1;
        d.institutions.push(i.id.clone());
        let rows: Vec<&Membership> = catalog
            .memberships
            .iter()
            .filter(|m| m.institution == i.id)
            .collect();
        if !rows.is_empty() {
            d.with_members += 1;
        }
        d.weighted += rows.iter().filter(|m| member_during(m, year)).count();
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::fixtures::{catalog, institution, member};
    use IssueArea::{LeoHumanSpaceflight as Leo, Lunar};

    fn world() -> Catalog {
        catalog(
            vec![],
            vec![],
            vec![
                institution("A", "1967", None, &[Lunar, Leo]),
                institution("B", "1984-07", None, &[Lunar]),
                institution("C", "2020-10-13", Some("2023"), &[Lunar]),
                institution("D", "2001-03-27", None, &[Leo]),
            ],
            vec![
                member("A", "X", Some("1967"), None),
                member("A", "Y", None, None),
                member("A", "Z", Some("1990"), Some("2000-06")),
                member("B", "X", Some("1985-02"), None),
            ],
        )
    }

    #[test]
    fn counts_institutions_entering_and_ending() {
        let c = world();
        let lunar = |t| issue_area_density(&c, Lunar, t).count;
        // 1983: only A. 1984: B came into force in July 1984, so it counts for 1984.
        assert_eq!((lunar(1983), lunar(1984)), (1, 2));
        // 2020: C came into force in October 2020: A, B, C.
        assert_eq!(lunar(2020), 3);
        // C ended in 2023: in force during part of 2023, so 3 in 2023 and 2 from 2024.
        assert_eq!((lunar(2023), lunar(2024)), (3, 2));
        // Leo: A from 1967, D from 2001: 1 in 2000, 2 in 2001.
        assert_eq!(issue_area_density(&c, Leo, 2000).count, 1);
        let d = issue_area_density(&c, Leo, 2001);
        assert_eq!(
            (d.count, d.institutions.clone()),
            (2, vec!["A".into(), "D".into()])
        );
        // Before anything existed: 0.
        assert_eq!(lunar(1900), 0);
    }

    #[test]
    fn weighted_density_sums_members_during_the_year() {
        let c = world();
        let lunar = |t| {
            let d = issue_area_density(&c, Lunar, t);
            (d.count, d.weighted, d.with_members)
        };
        // 1984: A has X (1967) and Y (join date unknown: counted), not Z (1990) = 2;
        // B's X joined in 1985 = 0. D = 2, D_w = 2, both have membership rows.
        assert_eq!(lunar(1984), (2, 2, 2));
        // 1995: A has X, Y, Z (1990–2000) = 3; B has X = 1. D_w = 4.
        assert_eq!(lunar(1995), (2, 4, 2));
        // 2001: Z left in 2000: A = 2, B = 1. D_w = 3.
        assert_eq!(lunar(2001), (2, 3, 2));
        // 2021: C is in force but has no member rows: D = 3, D_w = 3, with members = 2.
        assert_eq!(lunar(2021), (3, 3, 2));
    }
}
