//! The tables of a data package, described once: their columns with types, allowed values and
//! meanings, their keys, and how a row is read off the records. The Frictionless Table Schemas,
//! the codebook and Datasette's metadata are all generated from these descriptions, and the
//! names are those of spacedip's SQLite tables, so that one description serves the CSV files
//! and the database copy alike.

use crate::domain::{
    ActorKind, Certainty, Channel, Dataset, Event, InstitutionKind, IssueArea, Kind, PartialDate,
    Role, Scope, SourceType, Valence,
};

/// A column's Table Schema type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    String,
    Integer,
    Number,
    Boolean,
    /// A full calendar date, `YYYY-MM-DD`.
    Date,
}

impl Type {
    pub fn as_str(self) -> &'static str {
        match self {
            Type::String => "string",
            Type::Integer => "integer",
            Type::Number => "number",
            Type::Boolean => "boolean",
            Type::Date => "date",
        }
    }
}

/// What values a column admits beyond its type.
#[derive(Debug, Clone, Copy)]
pub enum Values {
    Any,
    /// A spacedip id: letters, digits, `_`, `.`, `-`.
    Id,
    /// A date at the precision it is known: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    PartialDate,
    /// One of a vocabulary's names.
    OneOf(fn() -> Vec<&'static str>),
}

/// The pattern of ids, as the database's CHECK constraints have it.
pub const ID_PATTERN: &str = "^[A-Za-z0-9_.-]+$";
/// The pattern of partial dates.
pub const DATE_PATTERN: &str = "^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$";

/// One column.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub kind: Type,
    /// Whether every row has a value (an empty cell is a missing value).
    pub required: bool,
    pub values: Values,
    pub description: &'static str,
}

/// A reference from some columns of a table to the primary key of another (or the same) table.
#[derive(Debug, Clone, Copy)]
pub struct ForeignKey {
    pub fields: &'static [&'static str],
    pub table: &'static str,
    pub reference: &'static [&'static str],
}

/// One table: its columns, keys, the columns worth faceting on, and its rows.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub fields: &'static [Field],
    pub primary_key: &'static [&'static str],
    pub foreign_keys: &'static [ForeignKey],
    pub facets: &'static [&'static str],
    pub rows: fn(&Dataset) -> Vec<Vec<String>>,
}

const fn field(
    name: &'static str,
    kind: Type,
    required: bool,
    values: Values,
    description: &'static str,
) -> Field {
    Field {
        name,
        kind,
        required,
        values,
        description,
    }
}

const fn fk(
    fields: &'static [&'static str],
    table: &'static str,
    reference: &'static [&'static str],
) -> ForeignKey {
    ForeignKey {
        fields,
        table,
        reference,
    }
}

use Type::{Boolean, Integer, Number, String as Text};
use Values::{Any, Id};

const DATE: Values = Values::PartialDate;

/// Every table of a package, parents before children.
pub const TABLES: [Table; 10] = [
    Table {
        name: "programme",
        title: "Programmes",
        description: "The cooperation programmes events belong to (CSS, ILRS, Artemis, …), with \
                      their issue area and lead.",
        fields: &[
            field("id", Text, true, Id, "The programme's id."),
            field("name", Text, true, Any, "Its name."),
            field("issue_area", Text, true, Values::OneOf(IssueArea::names), "The issue area whose institutions its density counts."),
            field("lead_agency", Text, false, Id, "The lead agency (an actor id)."),
            field("lead_state", Text, false, Id, "The lead state (an actor id): embeddedness compares partners with it."),
            field("description", Text, false, Any, "What the programme is."),
            field("decision_year", Integer, false, Any, "The year the programme chose its channel, when the data set it; empty lets the measures derive it from the events (the year before the first channel-defining instrument)."),
        ],
        primary_key: &["id"],
        foreign_keys: &[
            fk(&["lead_agency"], "actor", &["id"]),
            fk(&["lead_state"], "actor", &["id"]),
        ],
        facets: &["issue_area"],
        rows: programme_rows,
    },
    Table {
        name: "actor",
        title: "Actors",
        description: "States, space agencies, international organisations, research institutions, \
                      companies, NGOs and government bodies that take part in events.",
        fields: &[
            field("id", Text, true, Id, "The actor's id; states use their ISO 3166-1 alpha-3 code."),
            field("name", Text, true, Any, "Its name."),
            field("kind", Text, true, Values::OneOf(ActorKind::names), "What kind of actor it is."),
            field("iso3", Text, false, Any, "ISO 3166-1 alpha-3 code, for states."),
            field("country", Text, false, Id, "The state an agency or institute belongs to (an actor id)."),
            field("aliases", Text, false, Any, "Acronyms, other spellings and native-script names, joined by '; '."),
        ],
        primary_key: &["id"],
        foreign_keys: &[fk(&["country"], "actor", &["id"])],
        facets: &["kind", "country"],
        rows: actor_rows,
    },
    Table {
        name: "institution",
        title: "Institutions",
        description: "Treaties, UN bodies, IGOs, forums, arrangements and programme institutions: \
                      what institutional density counts.",
        fields: &[
            field("id", Text, true, Id, "The institution's id."),
            field("name", Text, true, Any, "Its name."),
            field("kind", Text, true, Values::OneOf(InstitutionKind::names), "What kind of institution it is; sets its default legalisation weight (treaty or IGO 3, UN body or programme 2, arrangement 1, forum 0.5)."),
            field("in_force", Text, true, DATE, "When it came into force or was established."),
            field("ended", Text, false, DATE, "When it ended; empty while in force."),
            field("url", Text, false, Any, "A page that backs the dates."),
            field("description", Text, false, Any, "What it is."),
            field("scope", Text, true, Values::OneOf(Scope::names), "'universal' for the UN space treaties and bodies that govern every area, 'area' otherwise."),
            field("open", Boolean, true, Any, "False for clubs with admission rules or closed to the lead in practice."),
            field("legalisation", Number, false, Any, "A weight that overrides the kind's default."),
            field("programme_id", Text, false, Id, "The programme the institution belongs to, was created by or hosts ('own' in the measures)."),
        ],
        primary_key: &["id"],
        foreign_keys: &[fk(&["programme_id"], "programme", &["id"])],
        facets: &["kind", "scope", "open"],
        rows: institution_rows,
    },
    Table {
        name: "institution_area",
        title: "Issue areas of institutions",
        description: "The issue areas each institution governs (one row per institution and area).",
        fields: &[
            field("institution_id", Text, true, Id, "The institution."),
            field("issue_area", Text, true, Values::OneOf(IssueArea::names), "An issue area it governs."),
        ],
        primary_key: &["institution_id", "issue_area"],
        foreign_keys: &[fk(&["institution_id"], "institution", &["id"])],
        facets: &["issue_area"],
        rows: institution_area_rows,
    },
    Table {
        name: "institution_member",
        title: "Memberships",
        description: "Membership of (or party status to) an institution, where known.",
        fields: &[
            field("institution_id", Text, true, Id, "The institution."),
            field("actor_id", Text, true, Id, "The member."),
            field("joined", Text, false, DATE, "When it joined, or the earliest bound when only bounds are known."),
            field("left_on", Text, false, DATE, "When the membership ended."),
            field("joined_latest", Text, false, DATE, "The latest bound of joining, when only bounds are known; the measures count a membership from it."),
        ],
        primary_key: &["institution_id", "actor_id"],
        foreign_keys: &[
            fk(&["institution_id"], "institution", &["id"]),
            fk(&["actor_id"], "actor", &["id"]),
        ],
        facets: &["institution_id"],
        rows: member_rows,
    },
    Table {
        name: "source",
        title: "Sources",
        description: "The documents behind events, with CSL's item types.",
        fields: &[
            field("id", Text, true, Id, "The source's id (a citation key)."),
            field("type", Text, true, Values::OneOf(SourceType::names), "CSL item type."),
            field("author", Text, false, Any, "Author(s), as written."),
            field("title", Text, true, Any, "Title."),
            field("container", Text, false, Any, "The journal, newspaper or site it appeared in."),
            field("publisher", Text, false, Any, "Publisher."),
            field("issued", Text, false, DATE, "When it was issued."),
            field("url", Text, false, Any, "Where it can be read."),
            field("doi", Text, false, Any, "DOI."),
            field("language", Text, false, Any, "Language, as a BCP 47 tag."),
            field("accessed", Text, false, DATE, "When the URL was read."),
        ],
        primary_key: &["id"],
        foreign_keys: &[],
        facets: &["type", "language"],
        rows: source_rows,
    },
    Table {
        name: "event",
        title: "Events",
        description: "Cooperation events: who did what, when, in which programme and through which \
                      channel (one row per event).",
        fields: &[
            field("id", Text, true, Id, "The event's id."),
            field("date_start", Text, true, DATE, "When it happened, at the precision known (never padded to a day)."),
            field("date_end", Text, false, DATE, "When it ended, for events that span time."),
            field("date_precision", Text, true, Values::OneOf(precisions), "The precision of date_start."),
            field("day_lo", Type::Date, true, Any, "The first calendar day date_start can stand for (date filters use the span day_lo..day_hi)."),
            field("day_hi", Type::Date, true, Any, "The last calendar day the event can stand for."),
            field("programme_id", Text, true, Id, "The programme."),
            field("kind", Text, true, Values::OneOf(Kind::names), "What kind of act it is."),
            field("channel", Text, true, Values::OneOf(Channel::names), "The channel the instrument runs through (the article's key variable)."),
            field("title", Text, true, Any, "A one-line title, in spacedip's words."),
            field("summary", Text, false, Any, "A short summary, in spacedip's words."),
            field("notes", Text, false, Any, "Coding caveats and where sources disagree."),
            field("valence", Text, true, Values::OneOf(Valence::names), "Cooperation, or a refusal, withdrawal or obstacle."),
            field("venue", Text, false, Id, "The institution where the event took place."),
            field("follows", Text, false, Id, "The earlier event of the same instrument."),
        ],
        primary_key: &["id"],
        foreign_keys: &[
            fk(&["programme_id"], "programme", &["id"]),
            fk(&["venue"], "institution", &["id"]),
            fk(&["follows"], "event", &["id"]),
        ],
        facets: &["programme_id", "channel", "kind", "valence", "date_precision"],
        rows: event_rows,
    },
    Table {
        name: "event_actor",
        title: "Parties to events",
        description: "Who took part in an event and as what (one row per event and party).",
        fields: &[
            field("event_id", Text, true, Id, "The event."),
            field("actor_id", Text, true, Id, "The party."),
            field("role", Text, true, Values::OneOf(Role::names), "The party's role."),
            field("position", Integer, true, Any, "The party's place in the event's coded order, from 0."),
            field("certainty", Text, true, Values::OneOf(Certainty::names), "'claimed' when only one side or a secondary source says so."),
        ],
        primary_key: &["event_id", "actor_id"],
        foreign_keys: &[
            fk(&["event_id"], "event", &["id"]),
            fk(&["actor_id"], "actor", &["id"]),
        ],
        facets: &["role", "certainty"],
        rows: event_actor_rows,
    },
    Table {
        name: "event_institution",
        title: "Institutions of events",
        description: "The institutions an event runs through or is held at.",
        fields: &[
            field("event_id", Text, true, Id, "The event."),
            field("institution_id", Text, true, Id, "The institution."),
            field("position", Integer, true, Any, "Its place in the event's coded order, from 0."),
        ],
        primary_key: &["event_id", "institution_id"],
        foreign_keys: &[
            fk(&["event_id"], "event", &["id"]),
            fk(&["institution_id"], "institution", &["id"]),
        ],
        facets: &["institution_id"],
        rows: event_institution_rows,
    },
    Table {
        name: "event_source",
        title: "Sources of events",
        description: "The sources behind an event, with an optional locator (page, paragraph).",
        fields: &[
            field("event_id", Text, true, Id, "The event."),
            field("source_id", Text, true, Id, "The source."),
            field("locator", Text, false, Any, "Where in the source (page, paragraph)."),
            field("position", Integer, true, Any, "Its place in the event's coded order, from 0."),
        ],
        primary_key: &["event_id", "source_id"],
        foreign_keys: &[
            fk(&["event_id"], "event", &["id"]),
            fk(&["source_id"], "source", &["id"]),
        ],
        facets: &["source_id"],
        rows: event_source_rows,
    },
];

fn precisions() -> Vec<&'static str> {
    vec!["year", "month", "day"]
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn date(v: &Option<PartialDate>) -> String {
    v.map(|d| d.to_string()).unwrap_or_default()
}

fn programme_rows(d: &Dataset) -> Vec<Vec<String>> {
    d.programmes
        .iter()
        .map(|p| {
            vec![
                p.id.clone(),
                p.name.clone(),
                p.issue_area.to_string(),
                opt(&p.lead_agency),
                opt(&p.lead_state),
                p.description.clone(),
                p.decision_year.map(|y| y.to_string()).unwrap_or_default(),
            ]
        })
        .collect()
}

fn actor_rows(d: &Dataset) -> Vec<Vec<String>> {
    d.actors
        .iter()
        .map(|a| {
            vec![
                a.id.clone(),
                a.name.clone(),
                a.kind.to_string(),
                opt(&a.iso3),
                opt(&a.country),
                a.aliases.join("; "),
            ]
        })
        .collect()
}

fn institution_rows(d: &Dataset) -> Vec<Vec<String>> {
    d.institutions
        .iter()
        .map(|i| {
            vec![
                i.id.clone(),
                i.name.clone(),
                i.kind.to_string(),
                i.in_force.to_string(),
                date(&i.ended),
                opt(&i.url),
                i.description.clone(),
                i.scope.to_string(),
                i.open.to_string(),
                i.legalisation
                    .map(|w| w.value().to_string())
                    .unwrap_or_default(),
                opt(&i.programme),
            ]
        })
        .collect()
}

fn institution_area_rows(d: &Dataset) -> Vec<Vec<String>> {
    d.institutions
        .iter()
        .flat_map(|i| {
            i.issue_areas
                .iter()
                .map(|a| vec![i.id.clone(), a.to_string()])
        })
        .collect()
}

fn member_rows(d: &Dataset) -> Vec<Vec<String>> {
    d.memberships
        .iter()
        .map(|m| {
            vec![
                m.institution.clone(),
                m.actor.clone(),
                date(&m.joined),
                date(&m.left),
                date(&m.joined_latest),
            ]
        })
        .collect()
}

fn source_rows(d: &Dataset) -> Vec<Vec<String>> {
    d.sources
        .iter()
        .map(|s| {
            vec![
                s.id.clone(),
                s.source_type.to_string(),
                opt(&s.author),
                s.title.clone(),
                opt(&s.container),
                opt(&s.publisher),
                date(&s.issued),
                opt(&s.url),
                opt(&s.doi),
                opt(&s.language),
                date(&s.accessed),
            ]
        })
        .collect()
}

/// The last calendar day an event can stand for: its end's, else its start's.
fn day_hi(e: &Event) -> String {
    e.end_date.unwrap_or(e.date).last_day().to_string()
}

fn event_rows(d: &Dataset) -> Vec<Vec<String>> {
    d.events
        .iter()
        .map(|e| {
            vec![
                e.id.clone(),
                e.date.to_string(),
                date(&e.end_date),
                e.date.precision().to_string(),
                e.date.first_day().to_string(),
                day_hi(e),
                e.programme.clone(),
                e.kind.to_string(),
                e.channel.to_string(),
                e.title.clone(),
                e.summary.clone(),
                e.notes.clone(),
                e.valence.to_string(),
                opt(&e.venue),
                opt(&e.follows),
            ]
        })
        .collect()
}

fn event_actor_rows(d: &Dataset) -> Vec<Vec<String>> {
    d.events
        .iter()
        .flat_map(|e| {
            e.parties.iter().enumerate().map(|(i, p)| {
                vec![
                    e.id.clone(),
                    p.actor.clone(),
                    p.role.to_string(),
                    i.to_string(),
                    p.certainty.to_string(),
                ]
            })
        })
        .collect()
}

fn event_institution_rows(d: &Dataset) -> Vec<Vec<String>> {
    d.events
        .iter()
        .flat_map(|e| {
            e.institutions
                .iter()
                .enumerate()
                .map(|(i, inst)| vec![e.id.clone(), inst.clone(), i.to_string()])
        })
        .collect()
}

fn event_source_rows(d: &Dataset) -> Vec<Vec<String>> {
    d.events
        .iter()
        .flat_map(|e| {
            e.sources.iter().enumerate().map(|(i, s)| {
                vec![
                    e.id.clone(),
                    s.source.clone(),
                    opt(&s.locator),
                    i.to_string(),
                ]
            })
        })
        .collect()
}
