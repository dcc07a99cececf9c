//! Validation of one event against the ids that exist: the single rule set that imports, the
//! library's edit API and the TUI's form all apply.
//!
//! Parsing (dates, vocabularies) happens before, in `records`; this checks a typed `Event`
//! whole, so that an event that passes can be written, exported as CSV and read back unchanged.

use std::collections::{HashMap, HashSet};

use super::records::is_valid_id;
use super::table::MAX_FIELD_BYTES;
use crate::domain::{Event, EventLink, FieldProblem, IdSet, KnownIds, PartialDate, Unknown};

/// Every problem with `event`, given the ids that references may point at. An empty result
/// means the event can be written.
///
/// Beyond what parsing checks, this requires text without surrounding whitespace (the CSV
/// format trims it, so it would not survive a round trip), locators without `;` (the list
/// separator of the `sources` cell), and fields within the size limit of imports.
pub fn validate_event(event: &Event, known: &KnownIds) -> Vec<FieldProblem> {
    let mut out = Vec::new();
    let e = event;
    if !is_valid_id(&e.id) {
        out.push(FieldProblem::new(
            "id",
            format!(
                "'{}' is not a valid id (use 1 to 64 letters, digits, '_', '.', '-')",
                e.id
            ),
        ));
    }
    if e.end_date
        .is_some_and(|end| end.last_day() < e.date.first_day())
    {
        let end = e.end_date.map(|d| d.to_string()).unwrap_or_default();
        out.push(FieldProblem::new(
            "end_date",
            format!("{end} is before the date {}", e.date),
        ));
    }
    if !is_valid_id(&e.programme) {
        out.push(FieldProblem::new(
            "programme",
            format!("'{}' is not a valid programme id", e.programme),
        ));
    } else if !known.programmes.contains(&e.programme) {
        out.push(FieldProblem::unknown(
            "programme",
            Unknown::Programme,
            &e.programme,
        ));
    }
    for (field, value, required) in [
        ("title", &e.title, true),
        ("summary", &e.summary, false),
        ("notes", &e.notes, false),
    ] {
        text(&mut out, field, value, required);
    }
    let actors = e.parties.iter().map(|p| p.actor.as_str());
    check_refs(
        &mut out,
        "parties",
        actors,
        ("actor id", "actor "),
        &known.actors,
        Unknown::Actor,
    );
    if let Some(v) = &e.venue {
        check_refs(
            &mut out,
            "venue",
            std::iter::once(v.as_str()),
            ("institution id", ""),
            &known.institutions,
            Unknown::Institution,
        );
    }
    if let Some(f) = &e.follows {
        if !is_valid_id(f) {
            out.push(FieldProblem::new(
                "follows",
                format!("'{f}' is not a valid event id"),
            ));
        } else if *f == e.id {
            out.push(FieldProblem::new(
                "follows",
                format!("event '{f}' cannot follow itself"),
            ));
        }
    }
    let institutions = e.institutions.iter().map(String::as_str);
    check_refs(
        &mut out,
        "institutions",
        institutions,
        ("id", ""),
        &known.institutions,
        Unknown::Institution,
    );
    if e.sources.is_empty() {
        out.push(FieldProblem::new(
            "sources",
            "every event needs at least one source",
        ));
    }
    let sources = e.sources.iter().map(|s| s.source.as_str());
    check_refs(
        &mut out,
        "sources",
        sources,
        ("source id", ""),
        &known.sources,
        Unknown::Source,
    );
    for s in &e.sources {
        if let Some(l) = &s.locator {
            if l.is_empty() || l.trim() != l {
                out.push(FieldProblem::new(
                    "sources",
                    format!(
                        "the locator of '{}' is empty or has surrounding spaces",
                        s.source
                    ),
                ));
            } else if l.contains(';') {
                out.push(FieldProblem::new(
                    "sources",
                    format!(
                        "the locator of '{}' contains ';', the list separator",
                        s.source
                    ),
                ));
            } else if l.len() > MAX_FIELD_BYTES {
                out.push(FieldProblem::new(
                    "sources",
                    format!(
                        "the locator of '{}' is over {MAX_FIELD_BYTES} bytes",
                        s.source
                    ),
                ));
            }
        }
    }
    out
}

/// The problems of an event's `follows` link, given a way to look up any event's link (the
/// stored events and those being written, the latter winning): the earlier event must
/// exist, must not be dated after this one, and the chain must not lead back to it. For one
/// event: its chain is walked here (see [`follows_problems_among`] for many).
pub fn follows_problems(
    id: &str,
    date: PartialDate,
    follows: Option<&str>,
    lookup: impl Fn(&str) -> Option<EventLink>,
) -> Vec<FieldProblem> {
    follows_problems_with(id, date, follows, &lookup, &|first| {
        leads_back(first, id, &lookup)
    })
}

/// [`follows_problems`] for each of many events, with the ids that lie on a cycle found once
/// for all of them ([`on_cycles`]): walking each event's chain to its end took time in the
/// square of the chain (an import of a chain of 200,000 events was stopped after ten
/// minutes).
pub fn follows_problems_among(
    id: &str,
    date: PartialDate,
    follows: Option<&str>,
    lookup: impl Fn(&str) -> Option<EventLink>,
    cyclic: &HashSet<String>,
) -> Vec<FieldProblem> {
    follows_problems_with(id, date, follows, &lookup, &|_| cyclic.contains(id))
}

fn follows_problems_with(
    id: &str,
    date: PartialDate,
    follows: Option<&str>,
    lookup: &dyn Fn(&str) -> Option<EventLink>,
    on_cycle: &dyn Fn(&str) -> bool,
) -> Vec<FieldProblem> {
    let Some(first) = follows else {
        return Vec::new();
    };
    if first == id || !is_valid_id(first) {
        return Vec::new(); // reported by validate_event
    }
    let Some((before, _)) = lookup(first) else {
        return vec![FieldProblem::new(
            "follows",
            format!(
                "unknown event '{first}' (follows names the earlier event of the same instrument)"
            ),
        )];
    };
    let mut out = Vec::new();
    if date.last_day() < before.first_day() {
        out.push(FieldProblem::new(
            "follows",
            format!("'{first}' is dated {before}, after this event ({date}): an event follows an earlier one"),
        ));
    }
    if on_cycle(first) {
        out.push(FieldProblem::new(
            "follows",
            format!("'{first}' leads back to '{id}': the links form a cycle"),
        ));
    }
    out
}

/// Whether the chain from `first` leads back to `id`. A chain that loops elsewhere is left
/// to the events on that loop.
fn leads_back(first: &str, id: &str, lookup: &dyn Fn(&str) -> Option<EventLink>) -> bool {
    let mut seen = HashSet::new();
    let mut at = first.to_string();
    while seen.insert(at.clone()) {
        match lookup(&at) {
            Some((_, Some(n))) if n == id => return true,
            Some((_, Some(n))) => at = n,
            _ => return false,
        }
    }
    false
}

/// The events, among those reached from `starts` by their `follows` links (`next` gives an
/// event's), that lie on a cycle of links. Each event is walked once: a walk stops at an
/// event an earlier walk passed, and finds a cycle when it meets itself.
pub fn on_cycles<'a>(
    starts: impl IntoIterator<Item = &'a str>,
    next: impl Fn(&str) -> Option<String>,
) -> HashSet<String> {
    // The walk each event was met on, and where on it. An event that follows none ends any
    // walk and lies on no cycle: it is never kept, so that a million events, most of which
    // follow none, are not each copied and hashed.
    let mut met: HashMap<String, (usize, usize), foldhash::fast::RandomState> = HashMap::default();
    let mut cyclic = HashSet::new();
    let mut path: Vec<String> = Vec::new();
    for (walk, start) in starts.into_iter().enumerate() {
        let Some(mut following) = next(start) else {
            continue;
        };
        path.clear();
        let mut at = start.to_string();
        loop {
            if let Some(&(w, i)) = met.get(&at) {
                if w == walk {
                    cyclic.extend(path.drain(i..));
                }
                break;
            }
            met.insert(at.clone(), (walk, path.len()));
            path.push(at);
            at = following;
            match next(&at) {
                Some(n) => following = n,
                // It follows none: the walk ends on it, and it lies on no cycle.
                None => break,
            }
        }
    }
    cyclic
}

fn text(out: &mut Vec<FieldProblem>, field: &str, value: &str, required: bool) {
    if required && value.trim().is_empty() {
        out.push(FieldProblem::new(field, "is required"));
    } else if value.trim() != value {
        out.push(FieldProblem::new(
            field,
            "has leading or trailing whitespace",
        ));
    }
    if value.len() > MAX_FIELD_BYTES {
        out.push(FieldProblem::new(
            field,
            format!(
                "field of {} bytes is over the limit of {MAX_FIELD_BYTES}",
                value.len()
            ),
        ));
    }
}

/// Trims the free texts and locators of an event the way the CSV reader does, so that input
/// from JSON or a form is held to the same form as CSV input.
pub fn normalise_event(e: &mut Event) {
    for t in [&mut e.title, &mut e.summary, &mut e.notes] {
        let trimmed = t.trim();
        if trimmed.len() != t.len() {
            *t = trimmed.to_string();
        }
    }
    for s in &mut e.sources {
        s.locator = s
            .locator
            .take()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty());
    }
}

/// The ids of one list met so far. Most lists name a few ids, checked once each for every
/// event of an import: looked for among the first [`Seen::FEW`] one by one, with neither a
/// hash nor an allocation, and only past them in a hash set.
#[derive(Default)]
struct Seen<'a> {
    few: [&'a str; Seen::FEW],
    len: usize,
    many: HashSet<&'a str, foldhash::fast::RandomState>,
}

impl<'a> Seen<'a> {
    const FEW: usize = 16;

    /// Adds `id`, saying whether it was new.
    fn insert(&mut self, id: &'a str) -> bool {
        if self.few[..self.len].contains(&id) {
            return false;
        }
        if self.len < Seen::FEW {
            self.few[self.len] = id;
            self.len += 1;
            return true;
        }
        self.many.insert(id)
    }
}

/// Checks a list of references: each a valid id, listed once, and known. `names` words the
/// messages: what an invalid value is not (`actor id`) and how a repeated one is introduced.
fn check_refs<'a>(
    out: &mut Vec<FieldProblem>,
    field: &'static str,
    ids: impl Iterator<Item = &'a str>,
    names: (&str, &str),
    known: &IdSet,
    unknown: Unknown,
) {
    let (invalid, twice) = names;
    let mut seen = Seen::default();
    for id in ids {
        if !is_valid_id(id) {
            out.push(FieldProblem::new(
                field,
                format!("'{id}' is not a valid {invalid}"),
            ));
        } else if !seen.insert(id) {
            out.push(FieldProblem::new(
                field,
                format!("{twice}'{id}' is listed twice"),
            ));
        } else if !known.contains(id) {
            out.push(FieldProblem::unknown(field, unknown, id));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Channel, Kind, Party, Role, SourceRef};

    /// Ids repeated among the first few of a list and past them are told from new ones.
    #[test]
    fn a_list_tells_each_repeated_id_however_long() {
        let ids: Vec<String> = (0..40).map(|i| format!("A{i}")).collect();
        let mut seen = Seen::default();
        for id in &ids {
            assert!(seen.insert(id));
        }
        for id in &ids {
            assert!(!seen.insert(id), "{id}");
        }
        assert!(seen.insert("B"));
        assert!(!seen.insert("B"));
    }

    /// The events on a cycle of `follows` links, found in one walk of each: a ring with a tail
    /// into it, a second ring, an event following itself, and a long chain with none.
    #[test]
    fn the_events_on_a_cycle_are_found_in_one_walk_each() {
        let mut links: HashMap<String, String> = HashMap::new();
        let mut link = |a: &str, b: &str| links.insert(a.to_string(), b.to_string());
        // Tail T1 -> T2 -> R1 -> R2 -> R3 -> R1; S1 <-> S2; X -> X.
        link("T1", "T2");
        link("T2", "R1");
        link("R1", "R2");
        link("R2", "R3");
        link("R3", "R1");
        link("S1", "S2");
        link("S2", "S1");
        link("X", "X");
        // A chain of 200,000 (walked from each event, an import of it ran for minutes).
        for i in 1..200_000 {
            link(&format!("C{i}"), &format!("C{}", i - 1));
        }
        let next = |id: &str| links.get(id).cloned();
        let mut starts: Vec<&str> = links.keys().map(String::as_str).collect();
        starts.sort();
        let mut found: Vec<String> = on_cycles(starts.iter().copied(), next)
            .into_iter()
            .collect();
        found.sort();
        assert_eq!(found, ["R1", "R2", "R3", "S1", "S2", "X"]);
        // Whatever the order of the walks.
        starts.reverse();
        let mut again: Vec<String> = on_cycles(starts, next).into_iter().collect();
        again.sort();
        assert_eq!(again, found);

        // Each event's problems are those its own walk finds.
        let date: PartialDate = "2000".parse().unwrap();
        let lookup = |id: &str| links.get(id).map(|n| (date, Some(n.clone())));
        let cyclic: HashSet<String> = found.into_iter().collect();
        for id in ["T1", "R1", "R3", "S2", "C5"] {
            let follows = links.get(id).map(String::as_str);
            assert_eq!(
                follows_problems_among(id, date, follows, lookup, &cyclic),
                follows_problems(id, date, follows, lookup),
                "{id}"
            );
        }
        assert_eq!(
            follows_problems_among("R1", date, Some("R2"), lookup, &cyclic).len(),
            1
        );
    }

    fn known() -> KnownIds {
        let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        KnownIds {
            programmes: set(&["ILRS"]),
            actors: set(&["CHN", "RUS"]),
            institutions: set(&["OST"]),
            sources: set(&["src1"]),
            events: IdSet::default(),
            event_links: Default::default(),
        }
    }

    fn event() -> Event {
        Event {
            id: "E-1".into(),
            date: "2021-03-09".parse().unwrap(),
            end_date: None,
            programme: "ILRS".into(),
            kind: Kind::Mou,
            channel: Channel::Bilateral,
            valence: Default::default(),
            venue: None,
            follows: None,
            title: "A title".into(),
            summary: String::new(),
            notes: String::new(),
            parties: vec![Party {
                actor: "CHN".into(),
                role: Role::Signatory,
                certainty: Default::default(),
            }],
            institutions: vec!["OST".into()],
            sources: vec![SourceRef {
                source: "src1".into(),
                locator: Some("p. 3".into()),
            }],
        }
    }

    #[test]
    fn a_good_event_has_no_problems() {
        assert_eq!(validate_event(&event(), &known()), vec![]);
    }

    #[test]
    fn every_problem_is_named_by_field() {
        let mut e = event();
        e.id = "bad id".into();
        e.end_date = Some("2020".parse().unwrap());
        e.programme = "NOPE".into();
        e.title = "  ".into();
        e.parties.push(Party {
            actor: "XYZ".into(),
            role: Role::Partner,
            certainty: Default::default(),
        });
        e.parties.push(Party {
            actor: "CHN".into(),
            role: Role::Partner,
            certainty: Default::default(),
        });
        e.sources[0].locator = Some("a;b".into());
        let got: Vec<String> = validate_event(&e, &known())
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(
            got,
            [
                "id: 'bad id' is not a valid id (use 1 to 64 letters, digits, '_', '.', '-')",
                "end_date: 2020 is before the date 2021-03-09",
                "programme: unknown programme 'NOPE'",
                "title: is required",
                "parties: unknown actor 'XYZ'",
                "parties: actor 'CHN' is listed twice",
                "sources: the locator of 'src1' contains ';', the list separator",
            ]
        );
    }

    #[test]
    fn an_event_needs_a_source_and_trimmed_text() {
        let mut e = event();
        e.sources.clear();
        e.summary = " padded".into();
        let got: Vec<String> = validate_event(&e, &known())
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(
            got,
            [
                "summary: has leading or trailing whitespace",
                "sources: every event needs at least one source",
            ]
        );
        normalise_event(&mut e);
        assert_eq!(e.summary, "padded");
    }
}
