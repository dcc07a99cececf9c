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

/// What a dyad's side is keyed by: its COW code, so that two actors of one state (the Soviet
/// Union and Russia are both 365) are one side and never a dyad with themselves; a state
/// without a code is keyed by its id. Coded states sort first, by code, as in peacesciencer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    uncoded: bool,
    ccode: Option<u16>,
    /// Empty for a coded state: the code alone identifies it.
    id: String,
}

/// How a side is written: the actor id and ISO3 standing for its key. When several actors
/// share a code, the one with an ISO3 and then the smallest id is written, whatever the
/// events' order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Label {
    no_iso3: bool,
    id: String,
    iso3: String,
}

/// One side of an event: key, label, and whether it is only selected there (every party
/// standing for it has the role `selected`).
struct Side {
    key: Key,
    label: Label,
    selected: bool,
}

/// The distinct sides among an event's counted parties, ordered by key.
fn sides(catalog: &Catalog, e: &Event, rules: &Rules) -> Vec<Side> {
    let year = e.date.year_value();
    let mut out: BTreeMap<Key, (Label, bool)> = BTreeMap::new();
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
        let ccode = cow::ccode(cow::key(state, iso3), year);
        let key = Key {
            uncoded: ccode.is_none(),
            ccode,
            id: if ccode.is_some() {
                String::new()
            } else {
                state.to_string()
            },
        };
        let label = Label {
            no_iso3: iso3.is_none_or(str::is_empty),
            id: state.to_string(),
            iso3: iso3.unwrap_or("").to_string(),
        };
        let selected = p.role == Role::Selected;
        match out.get_mut(&key) {
            Some((l, s)) => {
                *s &= selected;
                if label < *l {
                    *l = label;
                }
            }
            None => {
                out.insert(key, (label, selected));
            }
        }
    }
    out.into_iter()
        .map(|(key, (label, selected))| Side {
            key,
            label,
            selected,
        })
        .collect()
}

struct Row {
    labels: (Label, Label),
    events: usize,
    channels: BTreeMap<Channel, usize>,
    programmes: BTreeMap<String, usize>,
}

// Keyed (side1, side2, year), the order peacesciencer's dyad-years come in.
type Table = BTreeMap<(Key, Key, i32), Row>;

fn table(sel: Selection<'_>, progress: &dyn Progress) -> Table {
    let rules = Rules::DEFAULT;
    let mut rows = Table::new();
    for e in sel.events {
        progress.advance(1);
        if !rules.admits(e) {
            continue;
        }
        let s = sides(sel.catalog, e, &rules);
        for (i, a) in s.iter().enumerate() {
            for b in &s[i + 1..] {
                // As in the partner network: being chosen in the same call is no tie.
                if a.selected && b.selected {
                    continue;
                }
                let row = rows
                    .entry((a.key.clone(), b.key.clone(), e.date.year_value()))
                    .or_insert_with(|| Row {
                        labels: (a.label.clone(), b.label.clone()),
                        events: 0,
                        channels: BTreeMap::new(),
                        programmes: BTreeMap::new(),
                    });
                if a.label < row.labels.0 {
                    row.labels.0 = a.label.clone();
                }
                if b.label < row.labels.1 {
                    row.labels.1 = b.label.clone();
                }
                row.events += 1;
                *row.channels.entry(e.channel).or_default() += 1;
                *row.programmes.entry(e.programme.clone()).or_default() += 1;
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
        for side in sides(sel.catalog, e, &rules) {
            if side.key.uncoded {
                let id = side.label.id;
                let name = sel.catalog.actor(&id).map_or(id.as_str(), |a| &a.name);
                names.insert(format!("{name} ({id})"));
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
/// column per channel, then one `programme_ID` column per programme with a counted event in
/// the selection.
pub fn write(
    sel: Selection<'_>,
    options: &Options,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<()> {
    let rows = table(sel, progress);
    // From the selection, not the rows: the header stays the same whether or not a programme
    // happens to tie two states.
    let rules = Rules::DEFAULT;
    let programmes: BTreeSet<&str> = sel
        .events
        .iter()
        .filter(|e| rules.admits(e))
        .map(|e| e.programme.as_str())
        .collect();
    let mut header: Vec<String> = [
        "ccode1", "ccode2", "iso3_1", "iso3_2", "year", "state1", "state2", "events",
    ]
    .map(String::from)
    .into();
    // The non-UN column says so, as in `programmes` and `stats`: "multilateral" alone would
    // read as including the UN.
    header.extend(Channel::ALL.iter().map(|c| match c {
        Channel::Multilateral => "other_multilateral".to_string(),
        c => c.to_string(),
    }));
    header.extend(programmes.iter().map(|p| format!("programme_{p}")));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let code = |k: &Key| k.ccode.map_or(String::new(), |c| c.to_string());
    let lines = rows.iter().map(|((a, b, year), c)| {
        let (la, lb) = &c.labels;
        let mut row = vec![
            code(a),
            code(b),
            la.iso3.clone(),
            lb.iso3.clone(),
            year.to_string(),
            la.id.clone(),
            lb.id.clone(),
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
