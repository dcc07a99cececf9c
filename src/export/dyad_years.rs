//! The dyad-year table peace-science pipelines merge on (peacesciencer's `create_dyadyears`
//! style): one row per unordered pair of states and year in which they shared a counted
//! cooperation event, keyed by COW codes and ISO3, with the count of shared events in all,
//! by channel and by programme. Space agencies and government bodies are folded into their
//! state; organisations, research institutions, companies and NGOs are left out (they do not
//! act for a state); two states are a dyad when the partner network would tie them (two
//! states only selected in the same call are not); the coding rule is the measures' default
//! (cooperation events, confirmed parties), so the table agrees with `stats`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use super::csv::write_rows;
use super::{Options, Selection};
use crate::domain::{cow, ActorKind, Catalog, Channel, Event, Role};
use crate::error::Result;
use crate::metrics::partners::cooperating;
use crate::metrics::Rules;
use crate::progress::Progress;

/// A state as the table writes it: actor id, ISO3 and COW code in the event's year.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct State {
    /// Missing codes sort last, so that pairs order by COW code as peacesciencer's do.
    ccode: Option<u16>,
    id: String,
    iso3: String,
}

#[derive(Default)]
struct Counts {
    events: usize,
    channels: BTreeMap<Channel, usize>,
    programmes: BTreeMap<String, usize>,
}

/// The distinct states among an event's counted parties, ordered by COW code, each with
/// whether it is only selected there (every party standing for it has the role `selected`).
fn states(catalog: &Catalog, e: &Event, rules: &Rules) -> Vec<(State, bool)> {
    let year = e.date.year_value();
    let mut out: BTreeMap<State, bool> = BTreeMap::new();
    for p in cooperating(e, rules) {
        // Only a government acts for its state: a university or a company based there does not.
        let governmental = catalog.actor(&p.actor).is_some_and(|a| {
            matches!(
                a.kind,
                ActorKind::State | ActorKind::SpaceAgency | ActorKind::GovernmentBody
            )
        });
        let Some(state) = catalog.state_of(&p.actor).filter(|_| governmental) else {
            continue;
        };
        let iso3 = catalog.actor(state).and_then(|a| a.iso3.as_deref());
        let key = cow::key(state, iso3);
        let selected = p.role == Role::Selected;
        out.entry(State {
            ccode: cow::ccode(key, year),
            id: state.to_string(),
            iso3: iso3.unwrap_or("").to_string(),
        })
        .and_modify(|s| *s &= selected)
        .or_insert(selected);
    }
    let mut v: Vec<(State, bool)> = out.into_iter().collect();
    v.sort_by(|(a, _), (b, _)| {
        (a.ccode.is_none(), a.ccode, &a.id).cmp(&(b.ccode.is_none(), b.ccode, &b.id))
    });
    v
}

// Keyed (state1, state2, year), the order peacesciencer's dyad-years come in.
type Table = BTreeMap<(State, State, i32), Counts>;

fn table(sel: Selection<'_>, progress: &dyn Progress) -> Table {
    let rules = Rules::DEFAULT;
    let mut rows = Table::new();
    for e in sel.events {
        progress.advance(1);
        if !rules.admits(e) {
            continue;
        }
        let s = states(sel.catalog, e, &rules);
        for (i, (a, a_selected)) in s.iter().enumerate() {
            for (b, b_selected) in &s[i + 1..] {
                // As in the partner network: being chosen in the same call is no tie.
                if *a_selected && *b_selected {
                    continue;
                }
                let c = rows
                    .entry((a.clone(), b.clone(), e.date.year_value()))
                    .or_default();
                c.events += 1;
                *c.channels.entry(e.channel).or_default() += 1;
                *c.programmes.entry(e.programme.clone()).or_default() += 1;
            }
        }
    }
    rows
}

/// The states of the selection that have no COW code, by name: a merge would lose their
/// rows, so the CLI says so instead of letting them vanish.
pub fn states_without_ccode(sel: Selection<'_>) -> Vec<String> {
    let rules = Rules::DEFAULT;
    let mut names = BTreeSet::new();
    for e in sel.events.iter().filter(|e| rules.admits(e)) {
        for (s, _) in states(sel.catalog, e, &rules) {
            if s.ccode.is_none() {
                let name = sel.catalog.actor(&s.id).map_or(s.id.as_str(), |a| &a.name);
                names.insert(format!("{name} ({})", s.id));
            }
        }
    }
    names.into_iter().collect()
}

/// How many rows the table has.
pub fn count(sel: Selection<'_>) -> usize {
    table(sel, &crate::progress::Silent).len()
}

/// Writes the table: `ccode1, ccode2, iso3_1, iso3_2, year, state1, state2, events`, one
/// column per channel, then one `programme_ID` column per programme of the selection.
pub fn write(
    sel: Selection<'_>,
    options: &Options,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<()> {
    let rows = table(sel, progress);
    let programmes: BTreeSet<&str> = rows
        .values()
        .flat_map(|c| c.programmes.keys().map(String::as_str))
        .collect();
    let mut header: Vec<String> = [
        "ccode1", "ccode2", "iso3_1", "iso3_2", "year", "state1", "state2", "events",
    ]
    .map(String::from)
    .into();
    header.extend(Channel::ALL.iter().map(|c| c.to_string()));
    header.extend(programmes.iter().map(|p| format!("programme_{p}")));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let code = |s: &State| s.ccode.map_or(String::new(), |c| c.to_string());
    let lines = rows.iter().map(|((a, b, year), c)| {
        let mut row = vec![
            code(a),
            code(b),
            a.iso3.clone(),
            b.iso3.clone(),
            year.to_string(),
            a.id.clone(),
            b.id.clone(),
            c.events.to_string(),
        ];
        row.extend(
            Channel::ALL
                .iter()
                .map(|ch| c.channels.get(ch).copied().unwrap_or(0).to_string()),
        );
        row.extend(
            programmes
                .iter()
                .map(|p| c.programmes.get(*p).copied().unwrap_or(0).to_string()),
        );
        row
    });
    write_rows(out, &header, lines, options.neutralise)
}
