//! Long tables for analysis pipelines (R, pandas, Stata): one row per event × party
//! (`event-actors`, the unit ACLED-style actor files use) and one row per undirected pair of
//! parties per event (`dyads`). Coded fields keep their stored names; partial dates keep their
//! precision, stated in a column of its own. A state party carries its COW code (`ccode`).

use std::io::Write;

use super::csv::write_rows;
use super::{Options, Selection};
use crate::domain::{cow, ActorKind, Catalog, Event, Party};
use crate::error::Result;
use crate::progress::Progress;

/// The event's own columns, first in both tables: [`event_cells`] fills them.
const EVENT_COLUMNS: [&str; 7] = [
    "event_id",
    "date",
    "precision",
    "programme",
    "channel",
    "kind",
    "valence",
];

const ACTOR_COLUMNS: [&str; 9] = [
    "actor_id",
    "actor_name",
    "actor_kind",
    "role",
    "certainty",
    "iso3",
    "ccode",
    "country",
    "position",
];

const PAIR_COLUMNS: [&str; 6] = [
    "actor1",
    "actor2",
    "role1",
    "role2",
    "certainty1",
    "certainty2",
];

fn header(rest: &[&'static str]) -> Vec<&'static str> {
    EVENT_COLUMNS.iter().chain(rest).copied().collect()
}

fn event_cells(e: &Event) -> [String; 7] {
    [
        e.id.clone(),
        e.date.to_string(),
        e.date.precision().as_str().to_string(),
        e.programme.clone(),
        e.channel.to_string(),
        e.kind.to_string(),
        e.valence.to_string(),
    ]
}

/// The COW code of a state party in `year`; none for agencies, organisations and
/// institutions (their state is in `country`; the code belongs to the state, not to its
/// agencies). The workbook's parties sheet reads it too.
pub(super) fn state_ccode(c: &Catalog, actor: &str, year: i32) -> Option<u16> {
    c.actor(actor)
        .filter(|a| a.kind == ActorKind::State)
        .and_then(|a| cow::ccode(cow::key(&a.id, a.iso3.as_deref()), year))
}

/// [`state_ccode`] as a cell, empty when there is none.
fn ccode(c: &Catalog, actor: &str, year: i32) -> String {
    state_ccode(c, actor, year).map_or(String::new(), |code| code.to_string())
}

/// The states among the selection's parties (any event, any role) that have no COW code, by
/// name: their `ccode` cells are empty, and the CLI says so.
pub fn states_without_ccode(sel: Selection<'_>) -> Vec<String> {
    let mut names = std::collections::BTreeSet::new();
    for e in sel.events {
        for p in &e.parties {
            let Some(a) = sel.catalog.actor(&p.actor) else {
                continue;
            };
            if a.kind == ActorKind::State
                && ccode(sel.catalog, &a.id, e.date.year_value()).is_empty()
            {
                names.insert(format!("{} ({})", a.name, a.id));
            }
        }
    }
    names.into_iter().collect()
}

/// One row per event and party, in the events' order and the parties' coded order.
pub fn write_event_actors(
    sel: Selection<'_>,
    options: &Options,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<()> {
    let c = sel.catalog;
    let rows = sel.events.iter().flat_map(|e| {
        progress.advance(1);
        e.parties.iter().enumerate().map(move |(i, p)| {
            let a = c.actor(&p.actor);
            let mut row: Vec<String> = event_cells(e).into();
            row.extend([
                p.actor.clone(),
                a.map_or(String::new(), |a| a.name.clone()),
                a.map_or(String::new(), |a| a.kind.to_string()),
                p.role.to_string(),
                p.certainty.to_string(),
                a.and_then(|a| a.iso3.clone()).unwrap_or_default(),
                ccode(c, &p.actor, e.date.year_value()),
                c.state_of(&p.actor).unwrap_or("").to_string(),
                (i + 1).to_string(),
            ]);
            row
        })
    });
    write_rows(out, &header(&ACTOR_COLUMNS), rows, options.neutralise)
}

/// One row per undirected pair of an event's parties (actor1 < actor2 by id).
pub fn write_dyads(
    sel: Selection<'_>,
    options: &Options,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<()> {
    let rows = sel.events.iter().flat_map(|e| {
        progress.advance(1);
        let mut parties: Vec<&Party> = e.parties.iter().collect();
        parties.sort_by(|a, b| a.actor.cmp(&b.actor));
        let mut pairs = Vec::new();
        for (i, a) in parties.iter().enumerate() {
            for b in &parties[i + 1..] {
                let mut row: Vec<String> = event_cells(e).into();
                row.extend([
                    a.actor.clone(),
                    b.actor.clone(),
                    a.role.to_string(),
                    b.role.to_string(),
                    a.certainty.to_string(),
                    b.certainty.to_string(),
                ]);
                pairs.push(row);
            }
        }
        pairs
    });
    write_rows(out, &header(&PAIR_COLUMNS), rows, options.neutralise)
}
