//! Who a programme's partners are: each party of an event is mapped to the node it stands for
//! (the lead state, a foreign state, an international organisation or a sub-state institution).
//!
//! The rule, used by every partner measure (partners, network, embeddedness):
//!
//! - **Lead side.** The programme's lead state and every actor whose `country` is the lead state
//!   (its agencies, ministries, laboratories, provinces) are one node: the lead. They are never
//!   partners ("foreign" means not the lead state and not one of its actors).
//! - **Foreign states.** A state, and a foreign space agency or government body (ministry,
//!   parliament, secretariat) with a recorded country, stand for that state: one node per state.
//!   An MoU signed by SUPARCO and one signed by Pakistan are the same dyad.
//! - **Organisations.** International organisations (UNOOSA, COPUOS, ESA, APSCO, AUASS, the UN
//!   Secretary-General) are nodes of their own: they are actors in their own right, and
//!   collapsing them would erase the multilateral channel the measures are meant to see.
//! - **Institutions.** Foreign research institutions, companies and NGOs (NARIT, nanoSPACE,
//!   ILOA, ASDF), and any agency or government body with no recorded country, are nodes of their
//!   own and are counted apart from states: a university or firm signing with the Deep Space
//!   Exploration Laboratory does not make its state a partner (ILRS partner counts themselves
//!   keep "countries and international organisations" apart from "institutions").
//!
//! Parties in the `subject` role (the target of a measure, such as China under the Wolf
//! Amendment) are not cooperating and are left out; every other role counts.

use std::collections::BTreeSet;

use super::rules::Rules;
use crate::domain::{Actor, ActorKind, Catalog, Event, Party, Role};

/// What a node stands for in the partner measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// The programme's lead state and its own actors.
    Lead,
    /// A foreign state (with its agencies and government bodies).
    State,
    /// An international organisation.
    Organisation,
    /// A foreign research institution, company or NGO (or a body with no recorded state).
    Institution,
}

/// A node of the partner measures: the id it is known by and what it stands for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Node {
    pub id: String,
    pub side: Side,
}

/// The parties of an event that take part in cooperation (every role but `subject`), among
/// those the rules count (confirmed ones by default).
pub fn cooperating<'a>(e: &'a Event, rules: &'a Rules) -> impl Iterator<Item = &'a Party> {
    e.parties
        .iter()
        .filter(move |p| p.role != Role::Subject && rules.counts_party(p))
}

/// A [`Node`] borrowed from the catalog, the actor's id or the lead: what measures over
/// thousands of actors per programme map each actor to without a string of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeRef<'a> {
    pub id: &'a str,
    pub side: Side,
}

impl NodeRef<'_> {
    pub fn to_node(self) -> Node {
        Node {
            id: self.id.to_string(),
            side: self.side,
        }
    }
}

/// The node an actor stands for, given the programme's lead state (see the module doc).
pub fn node_of(catalog: &Catalog, actor: &str, lead: Option<&str>) -> Node {
    node_ref(catalog, actor, lead).to_node()
}

/// [`node_of`], borrowed.
pub fn node_ref<'a>(catalog: &'a Catalog, actor: &'a str, lead: Option<&'a str>) -> NodeRef<'a> {
    // One look-up for both the actor's kind and its state.
    let found = catalog.actor(actor);
    let state = found.and_then(Actor::state);
    if let Some(lead) = lead {
        if actor == lead || state == Some(lead) {
            return NodeRef {
                id: lead,
                side: Side::Lead,
            };
        }
    }
    let (id, side) = match (found.map(|a| a.kind), state) {
        (Some(ActorKind::State), _) => (actor, Side::State),
        (Some(ActorKind::SpaceAgency | ActorKind::GovernmentBody), Some(s)) => (s, Side::State),
        (Some(ActorKind::InternationalOrganisation), _) => (actor, Side::Organisation),
        // Research institutions, companies, NGOs, stateless bodies, and (impossible in a
        // validated database) actors missing from the catalog stay their own node.
        _ => (actor, Side::Institution),
    };
    NodeRef { id, side }
}

/// The distinct nodes of one event, in id order.
pub fn event_nodes(
    catalog: &Catalog,
    e: &Event,
    lead: Option<&str>,
    rules: &Rules,
) -> BTreeSet<Node> {
    cooperating(e, rules)
        .map(|p| node_of(catalog, &p.actor, lead))
        .collect()
}

/// A programme's distinct foreign partners over a set of events, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Partners {
    /// Foreign states (ids), taking part themselves or through an agency or government body.
    pub states: Vec<String>,
    /// International organisations (ids).
    pub organisations: Vec<String>,
    /// Foreign research institutions, companies and NGOs (ids); not counted in [`Partners::count`].
    pub institutions: Vec<String>,
}

impl Partners {
    /// partners = |states| + |organisations|: the count the stats report. Institutions are
    /// listed apart and not counted, as the programmes' own partner counts do.
    pub fn count(&self) -> usize {
        self.states.len() + self.organisations.len()
    }

    /// States then organisations: the partners embeddedness is computed over.
    pub fn counted(&self) -> impl Iterator<Item = &str> {
        self.states
            .iter()
            .chain(self.organisations.iter())
            .map(String::as_str)
    }
}

/// The distinct foreign partners of `events` (already restricted to one programme), sorted by id.
pub fn partners<'a>(
    catalog: &Catalog,
    events: impl IntoIterator<Item = &'a Event>,
    lead: Option<&str>,
    rules: &Rules,
) -> Partners {
    Partners::of_nodes(
        events
            .into_iter()
            .flat_map(|e| event_nodes(catalog, e, lead, rules)),
    )
}

impl Partners {
    /// The foreign partners among `nodes` (repeats count once), sorted by id.
    pub fn of_nodes(nodes: impl IntoIterator<Item = Node>) -> Partners {
        let nodes: Vec<Node> = nodes.into_iter().collect();
        Partners::of_refs(nodes.iter().map(|n| NodeRef {
            id: &n.id,
            side: n.side,
        }))
    }

    /// [`Partners::of_nodes`], borrowed: each partner's id is copied once.
    pub fn of_refs<'a>(nodes: impl IntoIterator<Item = NodeRef<'a>>) -> Partners {
        let mut states = Vec::new();
        let mut organisations = Vec::new();
        let mut institutions = Vec::new();
        for node in nodes {
            match node.side {
                Side::Lead => {}
                Side::State => states.push(node.id),
                Side::Organisation => organisations.push(node.id),
                Side::Institution => institutions.push(node.id),
            }
        }
        // Thousands of actors per programme: sorted once, each id copied once.
        let owned = |mut ids: Vec<&str>| -> Vec<String> {
            ids.sort_unstable();
            ids.dedup();
            ids.into_iter().map(str::to_string).collect()
        };
        Partners {
            states: owned(states),
            organisations: owned(organisations),
            institutions: owned(institutions),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Channel;
    use crate::metrics::fixtures::{catalog, event, world_actors};

    #[test]
    fn foreign_partners_are_sorted_into_states_organisations_and_institutions() {
        let cat = catalog(vec![], world_actors(), vec![], vec![]);
        let events = vec![
            event("E1", "2023", "P", Channel::Bilateral, &["CNSA", "SUPARCO"]),
            event(
                "E2",
                "2023",
                "P",
                Channel::Bilateral,
                &["DSEL", "NARIT", "FIRM"],
            ),
            event(
                "E3",
                "2023",
                "P",
                Channel::UnMultilateral,
                &["UNOOSA", "CNSA", "RUS"],
            ),
            event(
                "E4",
                "2024",
                "P",
                Channel::National,
                &["CHN", "USA:subject"],
            ),
        ];
        let p = partners(&cat, &events, Some("CHN"), &Rules::DEFAULT);
        // SUPARCO stands for PAK; NARIT and FIRM are institutions, so neither THA nor CHE is
        // a partner state; China's own actors and the US as a subject are not partners.
        assert_eq!(p.states, ["PAK", "RUS"]);
        assert_eq!(p.organisations, ["UNOOSA"]);
        assert_eq!(p.institutions, ["FIRM", "NARIT"]);
        // partners = 2 states + 1 organisation = 3.
        assert_eq!(p.count(), 3);
    }

    #[test]
    fn without_a_lead_state_every_state_is_a_partner() {
        let cat = catalog(vec![], world_actors(), vec![], vec![]);
        let events = vec![event(
            "E1",
            "1967",
            "P",
            Channel::UnMultilateral,
            &["CHN", "CNSA", "USA"],
        )];
        let p = partners(&cat, &events, None, &Rules::DEFAULT);
        assert_eq!(p.states, ["CHN", "USA"]);
        assert_eq!(node_of(&cat, "CNSA", None).id, "CHN");
        assert_eq!(node_of(&cat, "CNSA", Some("CHN")).side, Side::Lead);
    }
}
