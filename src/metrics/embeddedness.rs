//! Dyadic institutional embeddedness: how many institutions a programme's lead state already
//! shares with each partner (regime-complex overlap), where membership data exist.
//!
//! E(p,t) = (1 / |P*|) · Σ_{j ∈ P*} |{ i ∈ I_t \ {own(p)} : L ∈ members_i(t) and j ∈ members_i(t) }|
//!
//! - L is the programme's lead state; without one, E is undefined.
//! - P is the set of partners (foreign states and international organisations, see
//!   [`super::partners`]) with at least one event of p up to year t.
//! - P* ⊆ P are the *covered* partners: those with at least one membership row in the catalog
//!   (for an institution other than own(p)). Partners without any row are left out rather than
//!   counted as sharing nothing: missing data are not evidence of non-membership. E is
//!   undefined when P* is empty. **Coverage** = |P*| / |P| is reported with E.
//! - I_t are the institutions in force during t, of any issue area; members_i(t) the membership
//!   rows of i that hold during t ([`super::density::member_during`]).
//! - own(p) is the institution that carries the programme's own id (the ILRS arrangement for
//!   the ILRS programme): sharing it is the outcome being explained, not prior embeddedness.
//!   Only an institution with exactly the programme's id is recognised as its own.
//!
//! Coverage only says that a partner has *some* membership data; a partner whose record lists
//! one institution but not another it belongs to still lowers E. Raise coverage by adding
//! membership rows, never by reading absence as non-membership.

use std::collections::{BTreeSet, HashMap};

use super::density::member_during;
use crate::domain::{Catalog, Membership};

/// E(p,t) with its coverage.
#[derive(Debug, Clone, PartialEq)]
pub struct Embeddedness {
    /// E(p,t); `None` without a lead state or without any covered partner.
    pub value: Option<f64>,
    /// |P*|: partners with membership data.
    pub covered: usize,
    /// |P|: partners (states and organisations).
    pub partners: usize,
}

impl Embeddedness {
    /// |P*| / |P|; `None` when there are no partners.
    pub fn coverage(&self) -> Option<f64> {
        (self.partners > 0).then(|| self.covered as f64 / self.partners as f64)
    }
}

/// E(p,t) for the `partners` of a programme whose own institution id is `own`, led by `lead`.
pub fn embeddedness<'a>(
    catalog: &Catalog,
    lead: Option<&str>,
    own: &str,
    partners: impl IntoIterator<Item = &'a str>,
    year: i32,
) -> Embeddedness {
    let partners: BTreeSet<&str> = partners.into_iter().collect();
    // The programme's own institutions: the one with its id, and those linked to it.
    let own_set: BTreeSet<&str> = catalog
        .institutions
        .iter()
        .filter(|i| i.id == own || i.programme.as_deref() == Some(own))
        .map(|i| i.id.as_str())
        .chain([own])
        .collect();
    let mut by_actor: HashMap<&str, Vec<&Membership>> = HashMap::new();
    for m in catalog
        .memberships
        .iter()
        .filter(|m| !own_set.contains(m.institution.as_str()))
    {
        by_actor.entry(m.actor.as_str()).or_default().push(m);
    }
    let covered: Vec<&str> = partners
        .iter()
        .copied()
        .filter(|j| by_actor.contains_key(j))
        .collect();
    let mut e = Embeddedness {
        value: None,
        covered: covered.len(),
        partners: partners.len(),
    };
    let Some(lead) = lead else {
        return e;
    };
    if covered.is_empty() {
        return e;
    }
    // The institutions in force during the year that the lead belongs to then.
    let in_force: BTreeSet<&str> = catalog
        .institutions
        .iter()
        .filter(|i| !own_set.contains(i.id.as_str()) && i.in_force_during(year))
        .map(|i| i.id.as_str())
        .collect();
    let held = |actor: &str| -> BTreeSet<&str> {
        by_actor
            .get(actor)
            .into_iter()
            .flatten()
            .filter(|m| member_during(m, year) && in_force.contains(m.institution.as_str()))
            .map(|m| m.institution.as_str())
            .collect()
    };
    let lead_held = held(lead);
    let shared: usize = covered
        .iter()
        .map(|j| held(j).intersection(&lead_held).count())
        .sum();
    e.value = Some(shared as f64 / covered.len() as f64);
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::IssueArea::SpaceGovernance as G;
    use crate::metrics::fixtures::{catalog, institution, member};

    fn world() -> Catalog {
        catalog(
            vec![],
            vec![],
            vec![
                institution("COPUOS", "1959", None, &[G]),
                institution("OST", "1967-10-10", None, &[G]),
                institution("MOON", "1984-07-11", None, &[G]),
                institution("OLD", "1990", Some("2000"), &[G]),
                institution("APSCO", "2008-12-16", None, &[G]),
                institution("ILRS", "2021-03-09", None, &[G]),
            ],
            vec![
                member("OST", "CHN", Some("1983-12-30"), None),
                member("OST", "PAK", None, None),
                member("OST", "RUS", Some("1967"), None),
                member("COPUOS", "CHN", Some("1980-11-03"), None),
                member("COPUOS", "PAK", Some("1973"), None),
                member("COPUOS", "THA", None, None),
                member("APSCO", "CHN", Some("2008"), None),
                member("APSCO", "PAK", Some("2008"), None),
                member("APSCO", "THA", Some("2008"), None),
                member("MOON", "PAK", Some("1986"), None),
                member("OLD", "CHN", Some("1990"), None),
                member("OLD", "RUS", Some("1990"), None),
                member("ILRS", "CHN", Some("2021"), None),
                member("ILRS", "PAK", Some("2023"), None),
                member("ILRS", "THA", Some("2024"), None),
            ],
        )
    }

    const PARTNERS: [&str; 5] = ["PAK", "THA", "RUS", "UNOOSA", "SEN"];

    #[test]
    fn mean_shared_institutions_over_covered_partners() {
        let c = world();
        let e = embeddedness(&c, Some("CHN"), "ILRS", PARTNERS, 2024);
        // Covered: PAK, THA, RUS have membership rows; UNOOSA and SEN have none: 3 of 5.
        assert_eq!((e.covered, e.partners), (3, 5));
        assert_eq!(e.coverage(), Some(0.6));
        // 2024, the ILRS itself left out:
        //   PAK shares OST (join date unknown, counted), COPUOS, APSCO = 3 (MOON: China is not
        //   a party);
        //   THA shares COPUOS, APSCO = 2;
        //   RUS shares OST = 1 (OLD ended in 2000).
        // E = (3 + 2 + 1) / 3 = 2.
        assert_eq!(e.value, Some(2.0));
    }

    #[test]
    fn memberships_and_institutions_are_taken_in_the_year() {
        let c = world();
        let e = embeddedness(&c, Some("CHN"), "ILRS", PARTNERS, 1995);
        // 1995: PAK shares OST and COPUOS = 2 (APSCO not yet in force);
        // THA shares COPUOS = 1; RUS shares OST and OLD (1990–2000) = 2. E = 5/3.
        assert!((e.value.unwrap() - 5.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn the_programmes_own_institution_is_left_out() {
        let c = world();
        // For another programme the ILRS counts: PAK 3 + 1, THA 2 + 1, RUS 1: E = 8/3.
        let other = embeddedness(&c, Some("CHN"), "CSS", PARTNERS, 2024);
        assert!((other.value.unwrap() - 8.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn undefined_without_a_lead_or_covered_partner() {
        let c = world();
        let no_lead = embeddedness(&c, None, "OST", PARTNERS, 2024);
        assert_eq!((no_lead.value, no_lead.covered), (None, 3));
        let uncovered = embeddedness(&c, Some("CHN"), "ILRS", ["UNOOSA", "SEN"], 2024);
        assert_eq!((uncovered.value, uncovered.coverage()), (None, Some(0.0)));
        let nobody = embeddedness(&c, Some("CHN"), "ILRS", [], 2024);
        assert_eq!((nobody.value, nobody.coverage()), (None, None));
    }
}
