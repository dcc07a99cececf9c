//! The formulas of the measures, stated once for every screen that explains them (the TUI's
//! formula overlay). The README's Methods table states the same formulas and data, row for
//! row; a test holds the two together, so neither can drift from the other.

/// One measure, as a reader needs it: its formula, the data it reads, what it means and
/// where it stops meaning it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formula {
    /// The measure's name, as the Methods table names it.
    pub measure: &'static str,
    /// The formula, word for word the Methods table's.
    pub formula: &'static str,
    /// The data it reads, word for word the Methods table's.
    pub data: &'static str,
    /// What it means, in one line.
    pub meaning: &'static str,
    /// Its limits, in one line.
    pub limits: &'static str,
}

/// How years enter every measure (the Methods section's "Years" paragraph, in short).
pub const YEARS: &str = "Every measure of programme p at year t is cumulative: p's selected events starting in t or earlier. Institutions and memberships are taken during t. Without a year, t is the reference year T, the latest year in which a selected event starts.";

/// Every measure of `stats`, `compare` and the TUI, in the Methods table's order.
pub const FORMULAS: &[Formula] = &[
    Formula {
        measure: "channel shares",
        formula: "un = N_un / N; multilateral = (N_un + N_multilateral) / N; bilateral = N_bi / N; national = N_nat / N (multilateral includes the UN share; multilateral + bilateral + national = 1)",
        data: "events, channel as coded",
        meaning: "how the programme's events split between the UN, other multilateral, bilateral and national channels",
        limits: "channels are coded per event: a signing at a multilateral venue stays bilateral, and agreements of sub-state institutions count as bilateral; undefined without events",
    },
    Formula {
        measure: "partners",
        formula: "|foreign states| + |international organisations|, listed separately (partner_states, partner_organisations); institutions listed apart (partner_institutions) and not counted",
        data: "event parties, actors' kind and country",
        meaning: "the distinct foreign states (an agency counts as its state) and international organisations the programme cooperated with",
        limits: "every role but subject counts: states named in a statement or attending a workshop are partners; restrict the kinds for formal instruments only",
    },
    Formula {
        measure: "network density",
        formula: "Δ = 2m / (n(n−1)), n nodes (lead included), m edges: two nodes are tied when they take part in the same event; simple undirected graph",
        data: "event parties",
        meaning: "the share of possible ties among the lead and its partners that exist",
        limits: "falls mechanically as n grows, so read it with n and compare programmes of similar size; one multilateral event makes a clique; undefined for n < 2",
    },
    Formula {
        measure: "centralisation",
        formula: "Freeman degree centralisation C = Σ_k (d_max − d_k) / ((n−1)(n−2)): 1 for a star, 0 when all degrees are equal",
        data: "same graph",
        meaning: "how far the network is one hub with spokes (bilateral accessions) rather than a web",
        limits: "undefined for n < 3; describes how the events' parties were coded as much as how partners relate",
    },
    Formula {
        measure: "issue-area density",
        formula: "D(p,t) = |{ institutions governing p's issue area, in force during t }|; weighted D_w(p,t) = Σ of their members during t",
        data: "institutions, their issue areas and dates; memberships",
        meaning: "how thick the web of institutions in the programme's issue area is in year t: the article's explanation of the channel chosen",
        limits: "institutions count unweighted, those the programmes created too (Artemis Accords 2020, ILRS 2021); D_w is a lower bound where members are unknown; filters do not change D, only the year does",
    },
    Formula {
        measure: "embeddedness",
        formula: "E(p,t) = mean over covered partners j of |{ institutions in force during t, other than p's own, of which the lead state and j are both members during t }|; coverage = covered / partners",
        data: "memberships",
        meaning: "how many institutions the lead state already shares with a partner, on average",
        limits: "partners without membership data are left out (read the coverage beside E); missing rows lower it, so it is a lower bound; undefined without a lead state or a covered partner",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    /// A Methods table cell as Markdown writes it: bars escaped, identifiers in backticks.
    fn markdown(cell: &str) -> String {
        let mut out = cell.replace('|', "\\|");
        for id in [
            "partner_states",
            "partner_organisations",
            "partner_institutions",
        ] {
            out = out.replace(id, &format!("`{id}`"));
        }
        out
    }

    #[test]
    fn the_readme_methods_table_states_the_same_formulas() {
        let readme = include_str!("../../README.md");
        let methods = &readme[readme.find("## Methods").expect("a Methods section")..];
        for f in FORMULAS {
            let row = format!(
                "| {} | {} | {} |",
                f.measure,
                markdown(f.formula),
                markdown(f.data)
            );
            assert!(
                methods.contains(&row),
                "README Methods lacks the row\n{row}"
            );
        }
    }

    #[test]
    fn every_measure_says_what_it_means_and_its_limits() {
        for f in FORMULAS {
            assert!(
                !f.meaning.is_empty() && !f.limits.is_empty(),
                "{}",
                f.measure
            );
            assert!(!f.meaning.contains('\n') && !f.limits.contains('\n'));
        }
    }
}
