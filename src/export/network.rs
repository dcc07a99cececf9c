//! The partner network as GraphML (igraph, networkx, Gephi, yEd) and GEXF 1.3 (Gephi, with
//! time spells so that its timeline plays the network's growth). Nodes and edges are those of
//! `stats` (see [`crate::metrics::graph`]); node ids are actor ids, so that files from
//! different selections merge.

use std::io::Write;

use super::escape::html;
use super::{Options, Selection};
use crate::domain::{Catalog, PartialDate};
use crate::error::Result;
use crate::metrics::graph::{side_name, Graph, GraphNode};

/// What a node is: (name, actor kind, ISO3, country) from the catalog.
fn describe<'a>(c: &'a Catalog, n: &GraphNode) -> (&'a str, &'a str, &'a str, &'a str) {
    match c.actor(&n.id) {
        Some(a) => (
            a.name.as_str(),
            a.kind.as_str(),
            a.iso3.as_deref().unwrap_or(""),
            c.state_of(&a.id).unwrap_or(""),
        ),
        None => ("", "", "", ""),
    }
}

fn join<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(";")
}

/// GraphML: every attribute declared as a key, undirected edges weighted by shared events.
pub fn write_graphml(sel: Selection<'_>, options: &Options, out: &mut dyn Write) -> Result<()> {
    let g = Graph::of(sel.catalog, sel.events);
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    if !options.scope.is_empty() {
        writeln!(out, "  <desc>{}</desc>", html(&options.scope))?;
    }
    let keys = [
        ("node", "name", "string"),
        ("node", "side", "string"),
        ("node", "kind", "string"),
        ("node", "iso3", "string"),
        ("node", "country", "string"),
        ("node", "programmes", "string"),
        ("node", "first", "string"),
        ("node", "last", "string"),
        ("edge", "weight", "int"),
        ("edge", "first", "string"),
        ("edge", "last", "string"),
        ("edge", "channels", "string"),
        ("edge", "programmes", "string"),
    ];
    for (on, name, ty) in keys {
        writeln!(
            out,
            r#"  <key id="{on}_{name}" for="{on}" attr.name="{name}" attr.type="{ty}"/>"#
        )?;
    }
    writeln!(out, r#"  <graph id="spacedip" edgedefault="undirected">"#)?;
    for n in g.nodes.values() {
        let (name, kind, iso3, country) = describe(sel.catalog, n);
        writeln!(out, r#"    <node id="{}">"#, html(&n.id))?;
        for (key, value) in [
            ("name", name.to_string()),
            ("side", side_name(n.side).to_string()),
            ("kind", kind.to_string()),
            ("iso3", iso3.to_string()),
            ("country", country.to_string()),
            ("programmes", join(&n.programmes)),
            ("first", n.first.to_string()),
            ("last", n.last.to_string()),
        ] {
            writeln!(
                out,
                r#"      <data key="node_{key}">{}</data>"#,
                html(&value)
            )?;
        }
        writeln!(out, "    </node>")?;
    }
    for (i, e) in g.edges.values().enumerate() {
        writeln!(
            out,
            r#"    <edge id="e{i}" source="{}" target="{}">"#,
            html(&e.source),
            html(&e.target)
        )?;
        for (key, value) in [
            ("weight", e.weight.to_string()),
            ("first", e.first.to_string()),
            ("last", e.last.to_string()),
            ("channels", join(&e.channels)),
            ("programmes", join(&e.programmes)),
        ] {
            writeln!(
                out,
                r#"      <data key="edge_{key}">{}</data>"#,
                html(&value)
            )?;
        }
        writeln!(out, "    </edge>")?;
    }
    writeln!(out, "  </graph>")?;
    writeln!(out, "</graphml>")?;
    Ok(())
}

/// A spell's bounds for GEXF's `date` time format: the first and last day a partial date
/// stands for.
fn spell(first: PartialDate, last: PartialDate) -> String {
    format!(r#"start="{}" end="{}""#, first.first_day(), last.last_day())
}

/// GEXF 1.3, dynamic: each node and edge lives from its first tie to its last.
pub fn write_gexf(sel: Selection<'_>, options: &Options, out: &mut dyn Write) -> Result<()> {
    let g = Graph::of(sel.catalog, sel.events);
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">"#
    )?;
    writeln!(
        out,
        r#"  <meta lastmodifieddate="{}">"#,
        options.now.format("%Y-%m-%d")
    )?;
    writeln!(out, "    <creator>spacedip</creator>")?;
    if !options.scope.is_empty() {
        writeln!(
            out,
            "    <description>{}</description>",
            html(&options.scope)
        )?;
    }
    writeln!(out, "  </meta>")?;
    writeln!(
        out,
        r#"  <graph defaultedgetype="undirected" mode="dynamic" timeformat="date">"#
    )?;
    writeln!(out, r#"    <attributes class="node">"#)?;
    for (i, name) in ["side", "kind", "iso3", "country", "programmes"]
        .iter()
        .enumerate()
    {
        writeln!(
            out,
            r#"      <attribute id="{i}" title="{name}" type="string"/>"#
        )?;
    }
    writeln!(out, "    </attributes>")?;
    writeln!(out, r#"    <attributes class="edge">"#)?;
    for (i, name) in ["channels", "programmes"].iter().enumerate() {
        writeln!(
            out,
            r#"      <attribute id="{i}" title="{name}" type="string"/>"#
        )?;
    }
    writeln!(out, "    </attributes>")?;
    writeln!(out, "    <nodes>")?;
    for n in g.nodes.values() {
        let (name, kind, iso3, country) = describe(sel.catalog, n);
        let label = if name.is_empty() { n.id.as_str() } else { name };
        writeln!(
            out,
            r#"      <node id="{}" label="{}" {}>"#,
            html(&n.id),
            html(label),
            spell(n.first, n.last)
        )?;
        writeln!(out, "        <attvalues>")?;
        for (i, value) in [
            side_name(n.side).to_string(),
            kind.to_string(),
            iso3.to_string(),
            country.to_string(),
            join(&n.programmes),
        ]
        .iter()
        .enumerate()
        {
            writeln!(
                out,
                r#"          <attvalue for="{i}" value="{}"/>"#,
                html(value)
            )?;
        }
        writeln!(out, "        </attvalues>")?;
        writeln!(out, "      </node>")?;
    }
    writeln!(out, "    </nodes>")?;
    writeln!(out, "    <edges>")?;
    for (i, e) in g.edges.values().enumerate() {
        writeln!(
            out,
            r#"      <edge id="{i}" source="{}" target="{}" weight="{}" {}>"#,
            html(&e.source),
            html(&e.target),
            e.weight,
            spell(e.first, e.last)
        )?;
        writeln!(out, "        <attvalues>")?;
        for (j, value) in [join(&e.channels), join(&e.programmes)].iter().enumerate() {
            writeln!(
                out,
                r#"          <attvalue for="{j}" value="{}"/>"#,
                html(value)
            )?;
        }
        writeln!(out, "        </attvalues>")?;
        writeln!(out, "      </edge>")?;
    }
    writeln!(out, "    </edges>")?;
    writeln!(out, "  </graph>")?;
    writeln!(out, "</gexf>")?;
    Ok(())
}

/// The actor × event graph: every event a node (`type` true, id `event:ID` so that it can
/// never collide with an actor's), every actor a node (`type` false, collapsed by the partner
/// rules, so that its ids are the partner network's), one edge per node and event with the
/// distinct roles of the parties it stands for. The coding rule is `stats`' default
/// (cooperation events, confirmed parties), so the projection onto the actors is the partner
/// network without its `selected` exception.
struct TwoMode {
    actors: std::collections::BTreeMap<String, crate::metrics::partners::Side>,
    events: std::collections::HashSet<String>,
    edges: Vec<TwoModeEdge>,
}

struct TwoModeEdge {
    actor: String,
    event: String,
    /// `;`-joined, in the vocabulary's order.
    roles: String,
}

fn two_mode(sel: Selection<'_>) -> TwoMode {
    use crate::metrics::partners::node_of;
    use crate::metrics::Rules;
    use std::collections::{BTreeMap, BTreeSet};
    let rules = Rules::DEFAULT;
    let mut actors = BTreeMap::new();
    let mut events = std::collections::HashSet::new();
    let mut edges = Vec::new();
    for e in sel.events.iter().filter(|e| rules.admits(e)) {
        let lead = sel
            .catalog
            .programme(&e.programme)
            .and_then(|p| p.lead_state.as_deref());
        // A node may stand for several parties (China and CNSA): one edge, all their roles.
        let mut roles: BTreeMap<String, BTreeSet<crate::domain::Role>> = BTreeMap::new();
        for p in crate::metrics::partners::cooperating(e, &rules) {
            let node = node_of(sel.catalog, &p.actor, lead);
            actors.insert(node.id.clone(), node.side);
            roles.entry(node.id).or_default().insert(p.role);
        }
        if !roles.is_empty() {
            events.insert(e.id.clone());
        }
        for (actor, r) in roles {
            let roles: Vec<String> = r.iter().map(ToString::to_string).collect();
            edges.push(TwoModeEdge {
                actor,
                event: e.id.clone(),
                roles: roles.join(";"),
            });
        }
    }
    TwoMode {
        actors,
        events,
        edges,
    }
}

/// The two-mode graph's node and edge counts, as its GraphML draws them.
pub fn two_mode_size(sel: Selection<'_>) -> (usize, usize) {
    let g = two_mode(sel);
    (g.actors.len() + g.events.len(), g.edges.len())
}

/// The two-mode graph as GraphML.
pub fn write_two_mode_graphml(
    sel: Selection<'_>,
    options: &Options,
    out: &mut dyn Write,
) -> Result<()> {
    let g = two_mode(sel);
    let events: Vec<_> = sel
        .events
        .iter()
        .filter(|e| g.events.contains(&e.id))
        .collect();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns">"#
    )?;
    if !options.scope.is_empty() {
        writeln!(out, "  <desc>{}</desc>", html(&options.scope))?;
    }
    for (on, name, ty) in [
        ("node", "type", "boolean"),
        ("node", "name", "string"),
        ("node", "side", "string"),
        ("node", "date", "string"),
        ("node", "programme", "string"),
        ("node", "channel", "string"),
        ("node", "kind", "string"),
        ("edge", "roles", "string"),
    ] {
        writeln!(
            out,
            r#"  <key id="{on}_{name}" for="{on}" attr.name="{name}" attr.type="{ty}"/>"#
        )?;
    }
    writeln!(out, r#"  <graph id="spacedip" edgedefault="undirected">"#)?;
    for (id, side) in &g.actors {
        let name = sel.catalog.actor(id).map_or("", |a| a.name.as_str());
        writeln!(out, r#"    <node id="{}">"#, html(id))?;
        writeln!(out, r#"      <data key="node_type">false</data>"#)?;
        writeln!(out, r#"      <data key="node_name">{}</data>"#, html(name))?;
        writeln!(
            out,
            r#"      <data key="node_side">{}</data>"#,
            side_name(*side)
        )?;
        writeln!(out, "    </node>")?;
    }
    for e in &events {
        writeln!(out, r#"    <node id="event:{}">"#, html(&e.id))?;
        writeln!(out, r#"      <data key="node_type">true</data>"#)?;
        writeln!(
            out,
            r#"      <data key="node_name">{}</data>"#,
            html(&e.title)
        )?;
        writeln!(out, r#"      <data key="node_date">{}</data>"#, e.date)?;
        writeln!(
            out,
            r#"      <data key="node_programme">{}</data>"#,
            html(&e.programme)
        )?;
        writeln!(
            out,
            r#"      <data key="node_channel">{}</data>"#,
            e.channel
        )?;
        writeln!(out, r#"      <data key="node_kind">{}</data>"#, e.kind)?;
        writeln!(out, "    </node>")?;
    }
    for (i, edge) in g.edges.iter().enumerate() {
        writeln!(
            out,
            r#"    <edge id="e{i}" source="{}" target="event:{}">"#,
            html(&edge.actor),
            html(&edge.event)
        )?;
        writeln!(
            out,
            r#"      <data key="edge_roles">{}</data>"#,
            html(&edge.roles)
        )?;
        writeln!(out, "    </edge>")?;
    }
    writeln!(out, "  </graph>")?;
    writeln!(out, "</graphml>")?;
    Ok(())
}
