//! One event from the interchange cells a person typed (the TUI's event form), read by the
//! same parsing and validation as a row of an imported events CSV, so that a form accepts
//! exactly what an import accepts and says so in the same words.

use super::records;
use super::table::{Row, Table, MAX_FIELD_BYTES};
use super::validate::{normalise_event, validate_event};
use crate::domain::{Catalog, Event, FieldProblem, KnownIds};
use crate::interchange::EVENT_COLUMNS;

/// The outcome of reading one row of cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The event, when the cells have no problem at all.
    pub event: Option<Event>,
    /// Every problem, in column order, each named by its column (`date`, `parties`, …).
    pub problems: Vec<FieldProblem>,
}

/// Reads `cells` (in [`EVENT_COLUMNS`] order; missing cells count as empty) as one events-CSV
/// row and validates the event against `known`, as an import does: the cell grammar first
/// (dates, vocabularies, `ACTOR[:role];…`, `SOURCE[:locator];…`), then `validate_event`.
/// As in an import, a row that fails to parse is still checked for unknown references.
pub fn check_cells(cells: &[String], known: &KnownIds) -> Checked {
    let mut row: Vec<String> = cells.iter().take(EVENT_COLUMNS.len()).cloned().collect();
    row.resize(EVENT_COLUMNS.len(), String::new());
    let mut problems: Vec<FieldProblem> = Vec::new();
    for (cell, column) in row.iter().zip(EVENT_COLUMNS) {
        // The CSV reader refuses such cells before parsing; say it with its words.
        if cell.len() > MAX_FIELD_BYTES {
            problems.push(problem(
                column,
                format!(
                    "field of {} bytes is over the limit of {MAX_FIELD_BYTES}",
                    cell.len()
                ),
            ));
        }
    }
    let table = Table {
        file: "form".to_string(),
        columns: EVENT_COLUMNS,
        rows: vec![Row::new(2, row)],
    };
    let mut parse_problems = Vec::new();
    let (parsed, rejected) = records::events(&table, &mut parse_problems);
    problems.extend(
        parse_problems
            .into_iter()
            .map(|p| problem(&p.field, p.message)),
    );
    let (mut event, ok) = match (parsed.into_iter().next(), rejected.into_iter().next()) {
        (Some(e), _) => (e.value, true),
        (None, Some(e)) => (e.value, false),
        (None, None) => {
            return Checked {
                event: None,
                problems,
            }
        }
    };
    normalise_event(&mut event);
    for p in validate_event(&event, known) {
        // A row that did not parse had its own problems reported by the parser.
        if ok || p.unknown.is_some() {
            problems.push(p);
        }
    }
    let mut unique: Vec<FieldProblem> = Vec::with_capacity(problems.len());
    for p in problems {
        if !unique
            .iter()
            .any(|u| u.field == p.field && u.message == p.message)
        {
            unique.push(p);
        }
    }
    let rank = |f: &str| EVENT_COLUMNS.iter().position(|c| *c == f);
    unique.sort_by_key(|p| rank(&p.field));
    Checked {
        event: unique.is_empty().then_some(event),
        problems: unique,
    }
}

fn problem(field: &str, message: String) -> FieldProblem {
    FieldProblem {
        field: field.to_string(),
        message,
        unknown: None,
    }
}

/// The ids an event may reference, from the reference tables in memory (the ids of events
/// are left out: an event references none).
pub fn known_ids(catalog: &Catalog) -> KnownIds {
    KnownIds {
        programmes: catalog.programmes.iter().map(|p| p.id.clone()).collect(),
        actors: catalog.actors.iter().map(|a| a.id.clone()).collect(),
        institutions: catalog.institutions.iter().map(|i| i.id.clone()).collect(),
        sources: catalog.sources.iter().map(|s| s.id.clone()).collect(),
        events: Default::default(),
        event_links: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;

    fn known() -> KnownIds {
        let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        KnownIds {
            programmes: set(&["ILRS"]),
            actors: set(&["CHN", "RUS"]),
            institutions: set(&["OST"]),
            sources: set(&["src1"]),
            events: Default::default(),
            event_links: Default::default(),
        }
    }

    fn cells(v: [&str; 15]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn messages(c: &Checked) -> Vec<String> {
        c.problems.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn good_cells_make_an_event() {
        let c = check_cells(
            &cells([
                "E-1",
                "2021-03",
                "",
                "ILRS",
                "mou",
                "bilateral",
                "",
                "OST",
                "",
                " A title ",
                "",
                "",
                "CHN:signatory; RUS:partner:claimed",
                "OST",
                "src1:p. 3",
            ]),
            &known(),
        );
        assert_eq!(messages(&c), Vec::<String>::new());
        let e = c.event.unwrap();
        assert_eq!(e.title, "A title");
        assert_eq!(e.parties[0].role, Role::Signatory);
        assert_eq!(e.parties[1].role, Role::Partner);
        assert!(e.parties[1].is_claimed() && !e.parties[0].is_claimed());
        assert_eq!(e.venue.as_deref(), Some("OST"));
        assert_eq!(e.sources[0].locator.as_deref(), Some("p. 3"));
    }

    #[test]
    fn problems_use_the_import_messages_in_column_order() {
        let c = check_cells(
            &cells([
                "E-1",
                "2021-02-30",
                "",
                "ILRS",
                "treaty",
                "bilateral",
                "friendly",
                "NOWHERE",
                "E-1",
                "",
                "",
                "",
                "CHN:boss;XYZ;RUS:partner:rumoured",
                "",
                "",
            ]),
            &known(),
        );
        assert_eq!(c.event, None);
        assert_eq!(
            messages(&c),
            [
                "date: '2021-02-30' is not a real calendar date",
                "kind: unknown kind 'treaty' (valid: mou, joint_statement, agreement, \
                 announcement_of_opportunity, selection, workshop, launch, accession, \
                 ratification, statement, other)",
                "valence: unknown valence 'friendly' (valid: cooperation, refusal, withdrawal, \
                 obstacle)",
                "venue: unknown institution 'NOWHERE'",
                "follows: event 'E-1' cannot follow itself",
                "title: is required",
                "parties: unknown role 'boss' (valid: lead, signatory, partner, host, \
                 organiser, participant, selected, observer, depositary, witness, subject)",
                "parties: unknown certainty 'rumoured' (valid: confirmed, claimed); write a \
                 party as ACTOR[:ROLE[:claimed]]",
                "parties: unknown actor 'XYZ'",
                "sources: every event needs at least one source",
            ]
        );
    }

    #[test]
    fn known_ids_come_from_the_catalog() {
        let db = crate::db::Db::open_seeded_in_memory().unwrap();
        let k = known_ids(&db.catalog().unwrap());
        assert!(k.programmes.contains("ILRS") && k.actors.contains("CHN"));
        assert!(k.events.is_empty());
    }
}
