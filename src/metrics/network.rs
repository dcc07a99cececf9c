//! The partner network of a programme: its density Δ and Freeman degree centralisation C.
//!
//! **Graph.** Nodes are the nodes of [`super::partners`] (the lead state with all its own
//! actors as one node, foreign states with their agencies and government bodies, international
//! organisations, and sub-state institutions), taken from every cooperating party of the
//! programme's events up to year t, the lead included. Two nodes are linked when they take part
//! in the same event: an event with k distinct nodes adds the k(k−1)/2 edges of a clique, with
//! one exception: parties that an event only *selects* (role `selected`, as the winners of a
//! call) are tied to the event's other nodes, not to each other, since being chosen in the same
//! call is not cooperation between the chosen. The graph is simple and undirected: repeated
//! ties count once, and an event whose parties all map to one node (China and CNSA) adds a
//! node but no edge.
//!
//! **Density** Δ = 2m / (n(n−1)), with n nodes and m edges: the share of possible ties that
//! exist. Defined for n ≥ 2 (n = 2 gives 0 or 1); undefined (`None`) for n < 2.
//!
//! **Centralisation** (Freeman, degree) C = Σ_k (d_max − d_k) / ((n−1)(n−2)), with d_k the
//! degree of node k and d_max the largest degree: the sum of differences from the most central
//! node, over its maximum, reached by a star. C = 1 for a star (one hub, every other node tied
//! only to it), C = 0 when every node has the same degree (a complete graph, a cycle). Defined
//! for n ≥ 3; for n < 3 the denominator is 0 and C is undefined (`None`).
//!
//! Δ falls mechanically as n grows (possible ties grow as n²), so n is always reported with it.

use std::collections::{BTreeMap, HashMap};

use super::partners::{cooperating, node_of, Node, NodeRef};
use super::rules::Rules;
use crate::domain::links::Numbering;
use crate::domain::{Catalog, Event, Role};

/// A simple undirected graph's size and the degree of each node.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Network {
    /// The degree of each node, in the order the nodes were numbered.
    pub degrees: Vec<usize>,
    /// The number of edges.
    pub m: usize,
}

impl Network {
    /// A graph from its nodes and edges; duplicate edges, either way round, and loops count
    /// once and never, respectively.
    pub fn from_edges<'a>(
        nodes: impl IntoIterator<Item = &'a str>,
        edges: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Network {
        Network::named(nodes, edges).1
    }

    /// [`Network::from_edges`] with the nodes' ids, in the order of [`Network::degrees`].
    pub fn named<'a>(
        nodes: impl IntoIterator<Item = &'a str>,
        edges: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (Vec<String>, Network) {
        let mut numbers = Numbering::default();
        for node in nodes {
            numbers.of(node);
        }
        let edges: Vec<(u32, u32)> = edges
            .into_iter()
            .map(|(a, b)| (numbers.of(a), numbers.of(b)))
            .collect();
        let network = Network::numbered(numbers.len(), edges);
        (numbers.into_names(), network)
    }

    /// A graph of `n` nodes from edges between their numbers; duplicate edges, either way
    /// round, and loops count once and never, respectively.
    fn numbered(n: usize, edges: Vec<(u32, u32)>) -> Network {
        let same: Vec<u32> = (0..n as u32).collect();
        Network::mapped(n, &edges, &same)
    }

    /// [`Network::numbered`] of the edges `pairs` between the positions of `node`, each the
    /// number of a node (below `n`) or `u32::MAX` for none; pairs with either end outside are
    /// left out. A million events tie the same few thousand nodes millions of times: each
    /// edge is put under its lower end (two passes over the pairs, no comparison sort and no
    /// list of edges of their own), then each node's neighbours are told apart with one mark
    /// per node.
    fn mapped(n: usize, pairs: &[(u32, u32)], node: &[u32]) -> Network {
        let ends = |&(a, b): &(u32, u32)| -> Option<(usize, usize)> {
            let a = *node.get(a as usize)? as usize;
            let b = *node.get(b as usize)? as usize;
            let (a, b) = (a.min(b), a.max(b));
            (a != b && b < n).then_some((a, b))
        };
        let mut start = vec![0usize; n + 1];
        for (a, _) in pairs.iter().filter_map(ends) {
            start[a + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut next = start.clone();
        let mut higher = vec![0u32; start[n]];
        for (a, b) in pairs.iter().filter_map(ends) {
            higher[next[a]] = b as u32;
            next[a] += 1;
        }
        let mut degrees = vec![0usize; n];
        let mut seen_from = vec![usize::MAX; n];
        let mut m = 0;
        for a in 0..n {
            for &b in &higher[start[a]..start[a + 1]] {
                let b = b as usize;
                if seen_from[b] != a {
                    seen_from[b] = a;
                    degrees[a] += 1;
                    degrees[b] += 1;
                    m += 1;
                }
            }
        }
        Network { degrees, m }
    }

    /// The number of nodes.
    pub fn n(&self) -> usize {
        self.degrees.len()
    }

    /// Δ = 2m / (n(n−1)); `None` for n < 2.
    pub fn density(&self) -> Option<f64> {
        density(self.n(), self.m)
    }

    /// Freeman degree centralisation C = Σ (d_max − d_k) / ((n−1)(n−2)); `None` for n < 3.
    pub fn centralisation(&self) -> Option<f64> {
        centralisation(self.degrees.iter().copied())
    }
}

/// Δ = 2m / (n(n−1)) for a simple undirected graph; `None` for n < 2.
pub fn density(n: usize, m: usize) -> Option<f64> {
    (n >= 2).then(|| 2.0 * m as f64 / (n as f64 * (n as f64 - 1.0)))
}

/// Freeman degree centralisation of the degrees of a simple undirected graph;
/// `None` for fewer than 3 nodes.
pub fn centralisation(degrees: impl IntoIterator<Item = usize>) -> Option<f64> {
    let d: Vec<usize> = degrees.into_iter().collect();
    let n = d.len();
    if n < 3 {
        return None;
    }
    let max = d.iter().copied().max().unwrap_or(0);
    let sum: usize = d.iter().map(|&k| max - k).sum();
    Some(sum as f64 / ((n - 1) * (n - 2)) as f64)
}

/// The partner network of `events` (already restricted to one programme and period).
pub fn partner_network<'a>(
    catalog: &Catalog,
    events: impl IntoIterator<Item = &'a Event>,
    lead: Option<&str>,
    rules: &Rules,
) -> Network {
    partner_graph(catalog, events, lead, rules).1
}

/// [`partner_network`] with the nodes' ids, in the order of [`Network::degrees`].
fn partner_graph<'a>(
    catalog: &Catalog,
    events: impl IntoIterator<Item = &'a Event>,
    lead: Option<&str>,
    rules: &Rules,
) -> (Vec<String>, Network) {
    let per_event: Vec<Vec<(Node, bool)>> = events
        .into_iter()
        .map(|e| event_ties(catalog, e, lead, rules))
        .collect();
    let nodes = per_event.iter().flatten().map(|(n, _)| n.id.as_str());
    let edges = per_event.iter().flat_map(|ns| {
        ns.iter().enumerate().flat_map(move |(i, (a, a_selected))| {
            ns[i + 1..]
                .iter()
                .filter(move |(_, b_selected)| !(*a_selected && *b_selected))
                .map(move |(b, _)| (a.id.as_str(), b.id.as_str()))
        })
    });
    Network::named(nodes, edges)
}

/// The partner network of one programme's tallied actors (already restricted to what the
/// rules count), given the node of every actor named (`nodes`), the actors taking part
/// (`parties`, positions in `nodes`) and the ties (`pairs`, likewise): every party's node is
/// a node, and a tie between two actors is an edge between their nodes (none when both are
/// one node).
pub fn network_of_ties(nodes: &[NodeRef<'_>], parties: &[u32], pairs: &[(u32, u32)]) -> Network {
    // Thousands of actors and millions of ties: each actor's node numbered once, by position.
    let mut numbers: HashMap<&str, u32, foldhash::fast::RandomState> =
        HashMap::with_capacity_and_hasher(parties.len(), Default::default());
    let mut number_of = vec![u32::MAX; nodes.len()];
    let mut number = |i: usize| {
        if let (Some(slot), Some(node)) = (number_of.get_mut(i), nodes.get(i)) {
            if *slot == u32::MAX {
                let next = numbers.len() as u32;
                *slot = *numbers.entry(node.id).or_insert(next);
            }
        }
    };
    for &p in parties {
        number(p as usize);
    }
    // In a tally every tied actor takes part, so its node is numbered already; an actor only
    // tied (a tally written by another program) still counts as a node.
    let mut tied = vec![false; nodes.len()];
    for &(a, b) in pairs {
        for end in [a, b] {
            if let Some(t) = tied.get_mut(end as usize) {
                *t = true;
            }
        }
    }
    for (i, &t) in tied.iter().enumerate() {
        if t {
            number(i);
        }
    }
    Network::mapped(numbers.len(), pairs, &number_of)
}

/// The distinct nodes of one event, each with whether it is only selected there (every party
/// it stands for has the role `selected`).
pub(crate) fn event_ties(
    catalog: &Catalog,
    e: &Event,
    lead: Option<&str>,
    rules: &Rules,
) -> Vec<(Node, bool)> {
    let mut out: BTreeMap<Node, bool> = BTreeMap::new();
    for p in cooperating(e, rules) {
        let selected = p.role == Role::Selected;
        out.entry(node_of(catalog, &p.actor, lead))
            .and_modify(|s| *s &= selected)
            .or_insert(selected);
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Channel;
    use crate::metrics::fixtures::{catalog, event, world_actors};

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-12)
    }

    #[test]
    fn star_is_fully_centralised() {
        // Hub H tied to four leaves: n = 5, m = 4.
        // Δ = 2·4 / (5·4) = 8/20 = 0.4.
        // Degrees 4,1,1,1,1; d_max = 4; Σ(d_max − d_k) = 0 + 3+3+3+3 = 12;
        // (n−1)(n−2) = 4·3 = 12; C = 12/12 = 1.
        let g = Network::from_edges(
            ["H", "A", "B", "C", "D"],
            [("H", "A"), ("H", "B"), ("H", "C"), ("H", "D")],
        );
        assert_eq!((g.n(), g.m), (5, 4));
        assert!(close(g.density(), 0.4));
        assert!(close(g.centralisation(), 1.0));
    }

    #[test]
    fn complete_graph_is_dense_and_even() {
        // K4: n = 4, m = 6. Δ = 12 / 12 = 1. Every degree is 3, so Σ(d_max − d_k) = 0: C = 0.
        let g = Network::from_edges(
            ["A", "B", "C", "D"],
            [
                ("A", "B"),
                ("A", "C"),
                ("A", "D"),
                ("B", "C"),
                ("B", "D"),
                ("C", "D"),
            ],
        );
        assert_eq!((g.n(), g.m), (4, 6));
        assert!(close(g.density(), 1.0));
        assert!(close(g.centralisation(), 0.0));
    }

    #[test]
    fn path_of_four() {
        // A–B–C–D: n = 4, m = 3. Δ = 6 / 12 = 0.5.
        // Degrees 1,2,2,1; d_max = 2; Σ = 1+0+0+1 = 2; (n−1)(n−2) = 3·2 = 6; C = 2/6 = 1/3.
        let g = Network::from_edges(["A", "B", "C", "D"], [("A", "B"), ("B", "C"), ("C", "D")]);
        assert_eq!((g.n(), g.m), (4, 3));
        assert!(close(g.density(), 0.5));
        assert!(close(g.centralisation(), 1.0 / 3.0));
    }

    #[test]
    fn small_graphs_have_undefined_measures() {
        // n = 0 and n = 1: neither Δ nor C is defined.
        assert_eq!(Network::default().density(), None);
        let one = Network::from_edges(["A"], []);
        assert_eq!((one.density(), one.centralisation()), (None, None));
        // n = 2 with its one edge: Δ = 2·1/(2·1) = 1; C has denominator (1)(0) = 0: undefined.
        let two = Network::from_edges(["A", "B"], [("A", "B")]);
        assert!(close(two.density(), 1.0));
        assert_eq!(two.centralisation(), None);
        // n = 3 without edges: Δ = 0, every degree 0, so C = 0 / (2·1) = 0.
        let empty = Network::from_edges(["A", "B", "C"], []);
        assert!(close(empty.density(), 0.0));
        assert!(close(empty.centralisation(), 0.0));
    }

    #[test]
    fn repeated_edges_count_once_and_loops_never() {
        // A–B given three times (both ways) and a loop on A: one edge, n = 2.
        let g = Network::from_edges(["A", "B"], [("A", "B"), ("B", "A"), ("A", "B"), ("A", "A")]);
        assert_eq!((g.n(), g.m), (2, 1));
        assert_eq!(g.degrees, [1, 1]);
    }

    #[test]
    fn partner_network_collapses_the_lead_and_foreign_agencies() {
        let cat = catalog(vec![], world_actors(), vec![], vec![]);
        let events = vec![
            // CNSA–SUPARCO is the dyad CHN–PAK.
            event("E1", "2023", "P", Channel::Bilateral, &["CNSA", "SUPARCO"]),
            // The same dyad again, coded with states and agency: no new node or edge.
            event(
                "E2",
                "2023",
                "P",
                Channel::Bilateral,
                &["CHN", "PAK", "SUPARCO"],
            ),
            // DSEL is China's; NARIT is a Thai institute, its own node (not THA).
            event("E3", "2023", "P", Channel::Bilateral, &["DSEL", "NARIT"]),
            event("E4", "2024", "P", Channel::Bilateral, &["CNSA", "RUS"]),
            // China alone: a node already there, no edge. USA as subject is left out.
            event(
                "E5",
                "2024",
                "P",
                Channel::National,
                &["CHN", "USA:subject"],
            ),
        ];
        // Nodes CHN, PAK, NARIT, RUS; edges CHN–PAK, CHN–NARIT, CHN–RUS: a star.
        // n = 4, m = 3, Δ = 6/12 = 0.5; degrees 3,1,1,1: Σ = 6, (3)(2) = 6, C = 1.
        let (mut nodes, g) = partner_graph(&cat, &events, Some("CHN"), &Rules::DEFAULT);
        nodes.sort();
        assert_eq!(nodes, ["CHN", "NARIT", "PAK", "RUS"]);
        assert_eq!((g.n(), g.m), (4, 3));
        assert!(close(g.density(), 0.5));
        assert!(close(g.centralisation(), 1.0));
    }

    #[test]
    fn a_multilateral_event_adds_a_clique() {
        let cat = catalog(vec![], world_actors(), vec![], vec![]);
        let events = vec![
            event(
                "E1",
                "2019",
                "P",
                Channel::UnMultilateral,
                &["UNOOSA", "CNSA", "PAK", "THA"],
            ),
            event("E2", "2020", "P", Channel::Bilateral, &["CNSA", "RUS"]),
        ];
        // E1: UNOOSA, CHN, PAK, THA: a clique of 4, 6 edges; E2 adds RUS–CHN.
        // n = 5, m = 7: Δ = 14/20 = 0.7. Degrees CHN 4, PAK 3, THA 3, UNOOSA 3, RUS 1:
        // Σ(4 − d_k) = 0+1+1+1+3 = 6; (4)(3) = 12; C = 0.5.
        let g = partner_network(&cat, &events, Some("CHN"), &Rules::DEFAULT);
        assert_eq!((g.n(), g.m), (5, 7));
        assert!(close(g.density(), 0.7));
        assert!(close(g.centralisation(), 0.5));
    }

    #[test]
    fn parties_selected_in_one_call_are_tied_to_its_organisers_not_to_each_other() {
        let cat = catalog(vec![], world_actors(), vec![], vec![]);
        let events = vec![event(
            "S1",
            "2019",
            "P",
            Channel::UnMultilateral,
            &[
                "UNOOSA:organiser",
                "CNSA:organiser",
                "NARIT:selected",
                "FIRM:selected",
                "PAK:selected",
            ],
        )];
        // UNOOSA–CHN, and each of NARIT, FIRM, PAK to both: 1 + 3·2 = 7 edges, not 10.
        let g = partner_network(&cat, &events, Some("CHN"), &Rules::DEFAULT);
        assert_eq!((g.n(), g.m), (5, 7));
    }
}
