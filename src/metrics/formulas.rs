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
pub const YEARS: &str = "Every measure of programme p at year t is cumulative: p's selected events starting in t or earlier, cooperation events with their confirmed parties unless a coding rule says otherwise. Institutions and memberships are taken during t; a membership known by bounds counts from its latest bound. Without a year, t is the reference year T, the latest year in which a selected event starts; density is also given at each programme's decision year t*.";

/// Every measure of `stats`, `compare` and the TUI, in the Methods table's order.
pub const FORMULAS: &[Formula] = &[
    Formula {
        measure: "channel shares",
        formula: "un = N_un / N; multilateral = (N_un + N_multilateral) / N; bilateral = N_bi / N; national = N_nat / N (multilateral includes the UN share; multilateral + bilateral + national = 1)",
        data: "cooperation events (default coding rule), channel as coded",
        meaning: "how the programme's events split between the UN, other multilateral, bilateral and national channels",
        limits: "channels are coded per event: a signing at a multilateral venue stays bilateral, and agreements of sub-state institutions count as bilateral; undefined without events",
    },
    Formula {
        measure: "partners",
        formula: "|foreign states| + |international organisations|, listed separately (partner_states, partner_organisations); institutions listed apart (partner_institutions) and not counted",
        data: "confirmed parties of cooperation events, actors' kind and country",
        meaning: "the distinct foreign states (an agency counts as its state) and international organisations the programme cooperated with",
        limits: "every role but subject counts: states named in a statement or attending a workshop are partners; claimed parties and refusals are left out by default, and compare recomputes with them and over formal instruments only",
    },
    Formula {
        measure: "network density",
        formula: "Δ = 2m / (n(n−1)), n nodes (lead included), m edges: two nodes are tied when they take part in the same event, unless both are only selected in it; simple undirected graph",
        data: "confirmed parties of cooperation events, their roles",
        meaning: "the share of possible ties among the lead and its partners that exist",
        limits: "falls mechanically as n grows, so read it with n and compare programmes of similar size; one multilateral event makes a clique, though the winners of one call are tied only to its organisers; undefined for n < 2",
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
        formula: "D(p,t) = |{ institutions governing p's issue area, in force during t }| (the count specification); weighted D_w(p,t) = Σ of their members during t",
        data: "institutions, their issue areas and dates; memberships",
        meaning: "how thick the web of institutions in the programme's issue area is in year t, everything included",
        limits: "institutions count unweighted, universal ones and those the programmes created too (ILRS 2021); D_w mostly measures how much membership was recorded; read the specifications at t* instead",
    },
    Formula {
        measure: "decision year",
        formula: "t*(p) = the year before p's first channel-defining instrument: its earliest cooperation event that is a formal instrument (mou, agreement, joint_statement, announcement_of_opportunity, accession, ratification), not national, and runs through one of p's own institutions (else the earliest such event of any kind); set in the data or by --decision-year P=YEAR",
        data: "events, institutions' programme links",
        meaning: "the moment the programme chose its channel, when the density that should explain the choice is measured",
        limits: "a rule, not a reading of intentions: an earlier precursor agreement (ILRS-01, 2017) is passed over only because it runs through no ILRS institution; try other years with --decision-year",
    },
    Formula {
        measure: "density specifications",
        formula: "exogenous(p,t) = |{ area-scoped institutions of p's issue area in force during t, not p's own, in force by t* }|; open(p,t) = those open to all or with the lead state a member during t; legalised(p,t) = Σ of their legalisation weights (treaty or IGO 3, UN body or programme 2, arrangement 1, forum 0.5); universal institutions reported apart",
        data: "institutions: scope, open, legalisation, programme link, issue areas, dates; memberships",
        meaning: "the institutions a programme could have used when it chose its channel, without the ones it created or the ones every area shares",
        limits: "counts what the seed records (29 institutions): a missing forum lowers its area's figure; weights are conventions after Abbott et al. (2000), overridable per institution",
    },
    Formula {
        measure: "weighted density at t*",
        formula: "Σ over the exogenous institutions at t* of their members during t*; null unless ≥ 90% of them have membership rows (the coverage is given beside it)",
        data: "memberships",
        meaning: "how many states and agencies the area's own institutions gathered at the moment of choice",
        limits: "withheld below 90% coverage, where it would measure how much membership data was entered",
    },
    Formula {
        measure: "claims",
        formula: "for A against B: (i) A's UN-or-multilateral share > B's, (ii) B's C > A's, each under the default and three alternative coding rules (formal only, claimed included, every valence); (iii) A's density > B's, each at its own t*, under count, exogenous, open, legalised; supported when every defined test holds, contradicted when every one fails, tie when every one ties, mixed otherwise",
        data: "the measures above",
        meaning: "whether the article's claims hold on the data, and how robust each verdict is to the coding and the specification",
        limits: "a verdict over few cases: it describes the shipped data, not a test of significance; flips name the coding rules that change an outcome",
    },
    Formula {
        measure: "embeddedness",
        formula: "E(p,t) = mean over covered partners j of |{ institutions in force during t, other than p's own (its programme link), of which the lead state and j are both members during t }|; coverage = covered / partners",
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
