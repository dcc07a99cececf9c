//! The partner network as a graph to hand to Gephi, igraph or networkx: the nodes and edges
//! `stats` counts (the same node rules, the same ties, the same coding rules), with what each
//! node is and when and how each tie was made. For one programme its node and edge counts are
//! `stats`' n and m.

use std::collections::{BTreeMap, BTreeSet};

use super::network::event_ties;
use super::partners::Side;
use super::rules::Rules;
use crate::domain::{Catalog, Channel, Event, PartialDate};

/// One node: an actor (or a state standing for its agencies), with its programmes and the
/// dates of its first and last tie.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphNode {
    pub id: String,
    pub side: Side,
    pub programmes: BTreeSet<String>,
    pub first: PartialDate,
    pub last: PartialDate,
}

/// One undirected edge: the events both ends took part in.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphEdge {
    pub source: String,
    pub target: String,
    /// Shared events.
    pub weight: usize,
    pub first: PartialDate,
    pub last: PartialDate,
    pub channels: BTreeSet<Channel>,
    pub programmes: BTreeSet<String>,
}

/// The graph of `events` (each read with its own programme's lead state).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Graph {
    pub nodes: BTreeMap<String, GraphNode>,
    pub edges: BTreeMap<(String, String), GraphEdge>,
}

impl Graph {
    /// The partner graph of the events the default coding rules count.
    pub fn of(catalog: &Catalog, events: &[Event]) -> Graph {
        let rules = Rules::DEFAULT;
        let mut g = Graph::default();
        for e in events.iter().filter(|e| rules.admits(e)) {
            let lead = catalog
                .programme(&e.programme)
                .and_then(|p| p.lead_state.as_deref());
            let ties = event_ties(catalog, e, lead, &rules);
            for (node, _) in &ties {
                let n = g.nodes.entry(node.id.clone()).or_insert_with(|| GraphNode {
                    id: node.id.clone(),
                    side: node.side,
                    programmes: BTreeSet::new(),
                    first: e.date,
                    last: e.last_date(),
                });
                n.programmes.insert(e.programme.clone());
                n.first = n.first.min(e.date);
                n.last = n.last.max(e.last_date());
            }
            for (i, (a, a_selected)) in ties.iter().enumerate() {
                for (b, b_selected) in &ties[i + 1..] {
                    if (*a_selected && *b_selected) || a.id == b.id {
                        continue;
                    }
                    let (s, t) = if a.id < b.id {
                        (&a.id, &b.id)
                    } else {
                        (&b.id, &a.id)
                    };
                    let edge = g
                        .edges
                        .entry((s.clone(), t.clone()))
                        .or_insert_with(|| GraphEdge {
                            source: s.clone(),
                            target: t.clone(),
                            weight: 0,
                            first: e.date,
                            last: e.last_date(),
                            channels: BTreeSet::new(),
                            programmes: BTreeSet::new(),
                        });
                    edge.weight += 1;
                    edge.first = edge.first.min(e.date);
                    edge.last = edge.last.max(e.last_date());
                    edge.channels.insert(e.channel);
                    edge.programmes.insert(e.programme.clone());
                }
            }
        }
        g
    }
}

/// How a node's side reads in exports.
pub fn side_name(side: Side) -> &'static str {
    match side {
        Side::Lead => "lead",
        Side::State => "state",
        Side::Organisation => "organisation",
        Side::Institution => "institution",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;
    use crate::domain::Filter;
    use crate::metrics::summaries;

    #[test]
    fn for_one_programme_the_graph_has_the_stats_n_and_m() {
        let db = Db::open_seeded_in_memory().unwrap();
        let c = db.catalog().unwrap();
        for p in ["CSS", "ILRS", "ARTEMIS", "CHANGE"] {
            let f = Filter {
                programmes: vec![p.into()],
                ..Filter::default()
            };
            let events = db.events(&f, &c).unwrap();
            let g = Graph::of(&c, &events);
            let s = summaries(&events, &c, &[p.into()]).pop().unwrap();
            assert_eq!((g.nodes.len(), g.edges.len()), (s.n, s.m), "{p}");
            let weights: usize = g.edges.values().map(|e| e.weight).sum();
            assert!(weights >= s.m, "{p}");
        }
    }
}
