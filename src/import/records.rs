//! Turning table rows into domain records, one typed field at a time, collecting a located
//! problem for every cell that does not parse.

use std::str::FromStr;

use super::table::{Row, Table};
use crate::domain::{
    split_list, Actor, Certainty, Event, Institution, Membership, PartialDate, Party, Problem,
    Programme, Role, Scope, Source, SourceRef, Weight,
};

pub const PROGRAMME_COLUMNS: &[&str] = &[
    "id",
    "name",
    "issue_area",
    "lead_agency",
    "lead_state",
    "decision_year",
    "description",
];
pub const ACTOR_COLUMNS: &[&str] = &["id", "name", "kind", "iso3", "country", "aliases"];
pub const INSTITUTION_COLUMNS: &[&str] = &[
    "id",
    "name",
    "kind",
    "in_force",
    "ended",
    "issue_areas",
    "scope",
    "open",
    "legalisation",
    "programme",
    "url",
    "description",
];
pub const MEMBER_COLUMNS: &[&str] = &["institution", "actor", "joined", "joined_latest", "left"];

/// The headers of the previous release (before valence, venue, follows, certainty, scope,
/// openness, legalisation, decision years and membership bounds). Files with them still
/// import: the missing columns read as empty, which takes the documented defaults.
pub const LEGACY_EVENT_COLUMNS: &[&str] = &[
    "id",
    "date",
    "end_date",
    "programme",
    "kind",
    "channel",
    "title",
    "summary",
    "notes",
    "parties",
    "institutions",
    "sources",
];
pub const LEGACY_PROGRAMME_COLUMNS: &[&str] = &[
    "id",
    "name",
    "issue_area",
    "lead_agency",
    "lead_state",
    "description",
];
pub const LEGACY_INSTITUTION_COLUMNS: &[&str] = &[
    "id",
    "name",
    "kind",
    "in_force",
    "ended",
    "issue_areas",
    "url",
    "description",
];
pub const LEGACY_MEMBER_COLUMNS: &[&str] = &["institution", "actor", "joined", "left"];
pub const SOURCE_COLUMNS: &[&str] = &[
    "id",
    "type",
    "author",
    "title",
    "container",
    "publisher",
    "issued",
    "url",
    "doi",
    "language",
    "accessed",
];

/// A record and the line it came from.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub line: u64,
    pub value: T,
}

/// Reads the cells of one row by column name, recording a problem for each bad cell.
struct Cells<'a> {
    table: &'a Table,
    row: &'a Row,
    problems: &'a mut Vec<Problem>,
    ok: bool,
}

impl<'a> Cells<'a> {
    fn new(table: &'a Table, row: &'a Row, problems: &'a mut Vec<Problem>) -> Self {
        Cells {
            table,
            row,
            problems,
            ok: true,
        }
    }

    fn raw(&self, name: &str) -> &'a str {
        let i = self.table.column(name);
        self.row.cell(i.wrapping_sub(1)).unwrap_or("")
    }

    fn problem(&mut self, name: &str, message: String) {
        let column = self.table.column(name);
        self.problems.push(Problem::new(
            &self.table.file,
            self.row.line,
            Some(column),
            name,
            message,
        ));
        self.ok = false;
    }

    /// A required, non-empty text.
    fn text(&mut self, name: &str) -> String {
        let v = self.raw(name).trim();
        if v.is_empty() {
            self.problem(name, "is required".to_string());
        }
        v.to_string()
    }

    /// A free text, kept as written apart from surrounding whitespace.
    fn free(&self, name: &str) -> String {
        self.raw(name).trim().to_string()
    }

    fn optional(&self, name: &str) -> Option<String> {
        Some(self.raw(name).trim())
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    }

    fn id(&mut self, name: &str) -> String {
        let v = self.text(name);
        if !v.is_empty() && !is_valid_id(&v) {
            self.problem(
                name,
                format!("'{v}' is not a valid id (use letters, digits, '_', '.', '-')"),
            );
        }
        v
    }

    fn optional_id(&mut self, name: &str) -> Option<String> {
        let v = self.optional(name)?;
        if !is_valid_id(&v) {
            self.problem(
                name,
                format!("'{v}' is not a valid id (use letters, digits, '_', '.', '-')"),
            );
        }
        Some(v)
    }

    fn parse<T: FromStr>(&mut self, name: &str) -> Option<T>
    where
        T::Err: std::fmt::Display,
    {
        let v = self.raw(name).trim();
        if v.is_empty() {
            self.problem(name, "is required".to_string());
            return None;
        }
        match v.parse() {
            Ok(t) => Some(t),
            Err(e) => {
                self.problem(name, e.to_string());
                None
            }
        }
    }

    fn parse_optional<T: FromStr>(&mut self, name: &str) -> Option<T>
    where
        T::Err: std::fmt::Display,
    {
        if self.raw(name).trim().is_empty() {
            None
        } else {
            self.parse(name)
        }
    }

    /// A `;`-joined list, items trimmed, empty items dropped.
    fn list(&self, name: &str) -> Vec<&'a str> {
        split_list(self.raw(name))
    }
}

/// Ids are short, stable and safe in every export: letters, digits, `_`, `.` and `-`.
pub fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

fn rows<T>(
    table: &Table,
    problems: &mut Vec<Problem>,
    parse: impl FnMut(&mut Cells<'_>) -> T,
) -> Vec<Located<T>> {
    rows_and_rejects(table, problems, parse).0
}

/// The records of the rows that parsed, and (second) those of the rows that did not, built
/// with stand-ins for the bad cells so that their other fields can still be checked.
fn rows_and_rejects<T>(
    table: &Table,
    problems: &mut Vec<Problem>,
    mut parse: impl FnMut(&mut Cells<'_>) -> T,
) -> (Vec<Located<T>>, Vec<Located<T>>) {
    let mut out = Vec::with_capacity(table.rows.len());
    let mut rejects = Vec::new();
    for row in &table.rows {
        let (located, ok) = parse_row(table, row, problems, &mut parse);
        if ok {
            out.push(located);
        } else {
            rejects.push(located);
        }
    }
    (out, rejects)
}

/// The record of one row of `table`, and whether it parsed.
fn parse_row<T>(
    table: &Table,
    row: &Row,
    problems: &mut Vec<Problem>,
    parse: &mut impl FnMut(&mut Cells<'_>) -> T,
) -> (Located<T>, bool) {
    let mut cells = Cells::new(table, row, problems);
    let value = parse(&mut cells);
    let located = Located {
        line: row.line,
        value,
    };
    (located, cells.ok)
}

/// The events of a table; second, the rows that failed to parse, as events with stand-ins for
/// their bad cells (their references are still worth checking, so that every problem of a
/// file is reported in one pass).
pub fn events(
    table: &Table,
    problems: &mut Vec<Problem>,
) -> (Vec<Located<Event>>, Vec<Located<Event>>) {
    rows_and_rejects(table, problems, event)
}

/// One event from a row of an events table, and whether it parsed without a problem (if not,
/// it has stand-ins for its bad cells, and the problems are pushed to `problems`).
pub(super) fn event_of_row(
    table: &Table,
    row: &Row,
    problems: &mut Vec<Problem>,
) -> (Located<Event>, bool) {
    parse_row(table, row, problems, &mut event)
}

/// One event from the cells of a row, with stand-ins for the bad ones.
fn event(c: &mut Cells<'_>) -> Event {
    let id = c.id("id");
    let date = c.parse::<PartialDate>("date");
    let end_date = c.parse_optional::<PartialDate>("end_date");
    if let (Some(start), Some(end)) = (date, end_date) {
        if end.last_day() < start.first_day() {
            c.problem("end_date", format!("{end} is before the date {start}"));
        }
    }
    let programme = c.id("programme");
    let kind = c.parse("kind");
    let channel = c.parse("channel");
    let valence = c.parse_optional("valence").unwrap_or_default();
    let venue = c.optional_id("venue");
    let follows = c.optional_id("follows");
    if follows.as_deref().is_some_and(|f| f == id) {
        c.problem("follows", format!("event '{id}' cannot follow itself"));
    }
    let title = c.text("title");
    let summary = c.free("summary");
    let notes = c.free("notes");
    let parties = parse_parties(c);
    let institutions = parse_ids(c, "institutions");
    let sources = parse_source_refs(c);
    Event {
        id,
        date: date.unwrap_or(PartialDate::year(0)),
        end_date,
        programme,
        kind: kind.unwrap_or(crate::domain::Kind::Other),
        channel: channel.unwrap_or(crate::domain::Channel::National),
        valence,
        venue,
        follows,
        title,
        summary,
        notes,
        parties,
        institutions,
        sources,
    }
}

fn parse_parties(c: &mut Cells<'_>) -> Vec<Party> {
    let mut parties: Vec<Party> = Vec::new();
    for item in c.list("parties") {
        let mut parts = item.splitn(3, ':').map(str::trim);
        let actor = parts.next().unwrap_or_default();
        let role = parts.next().filter(|r| !r.is_empty()).unwrap_or("partner");
        let certainty = match parts.next() {
            None => Certainty::Confirmed,
            Some(c0) => c0.parse::<Certainty>().unwrap_or_else(|e| {
                c.problem(
                    "parties",
                    format!("{e}; write a party as ACTOR[:ROLE[:claimed]]"),
                );
                Certainty::Confirmed
            }),
        };
        if !is_valid_id(actor) {
            c.problem("parties", format!("'{actor}' is not a valid actor id"));
            continue;
        }
        if parties.iter().any(|p| p.actor == actor) {
            c.problem("parties", format!("actor '{actor}' is listed twice"));
            continue;
        }
        let role = role.parse::<Role>().unwrap_or_else(|e| {
            c.problem("parties", e.to_string());
            // Keep the party, so that its actor is still checked: every problem at once.
            Role::Partner
        });
        parties.push(Party {
            actor: actor.to_string(),
            role,
            certainty,
        });
    }
    parties
}

fn parse_ids(c: &mut Cells<'_>, name: &str) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for item in c.list(name) {
        if !is_valid_id(item) {
            c.problem(name, format!("'{item}' is not a valid id"));
        } else if ids.iter().any(|i| i == item) {
            c.problem(name, format!("'{item}' is listed twice"));
        } else {
            ids.push(item.to_string());
        }
    }
    ids
}

fn parse_source_refs(c: &mut Cells<'_>) -> Vec<SourceRef> {
    let mut refs: Vec<SourceRef> = Vec::new();
    for item in c.list("sources") {
        let (source, locator) = match item.split_once(':') {
            Some((s, l)) => (
                s.trim(),
                Some(l.trim().to_string()).filter(|l| !l.is_empty()),
            ),
            None => (item, None),
        };
        if !is_valid_id(source) {
            c.problem("sources", format!("'{source}' is not a valid source id"));
        } else if refs.iter().any(|r| r.source == source) {
            c.problem("sources", format!("'{source}' is listed twice"));
        } else {
            refs.push(SourceRef {
                source: source.to_string(),
                locator,
            });
        }
    }
    if refs.is_empty() && split_list(c.raw("sources")).is_empty() {
        c.problem(
            "sources",
            "every event needs at least one source".to_string(),
        );
    }
    refs
}

pub fn programmes(table: &Table, problems: &mut Vec<Problem>) -> Vec<Located<Programme>> {
    rows(table, problems, |c| {
        let id = c.id("id");
        let name = c.text("name");
        let issue_area = c.parse("issue_area");
        let lead_agency = c.optional_id("lead_agency");
        let lead_state = c.optional_id("lead_state");
        let decision_year = c.parse_optional::<i32>("decision_year");
        if let Some(y) = decision_year.filter(|y| !(1..=9999).contains(y)) {
            c.problem(
                "decision_year",
                format!("{y} is not a year (write a year such as 2015, or leave it empty)"),
            );
        }
        let description = c.free("description");
        Programme {
            id,
            name,
            issue_area: issue_area.unwrap_or(crate::domain::IssueArea::SpaceGovernance),
            lead_agency,
            lead_state,
            decision_year,
            description,
        }
    })
}

pub fn actors(table: &Table, problems: &mut Vec<Problem>) -> Vec<Located<Actor>> {
    rows(table, problems, |c| {
        let id = c.id("id");
        let name = c.text("name");
        let kind = c.parse("kind");
        let iso3 = c.optional("iso3");
        if let Some(code) = &iso3 {
            if code.len() != 3 || !code.chars().all(|ch| ch.is_ascii_uppercase()) {
                c.problem(
                    "iso3",
                    format!("'{code}' is not an ISO 3166-1 alpha-3 code"),
                );
            }
        }
        let country = c.optional_id("country");
        let aliases = c.list("aliases").into_iter().map(str::to_string).collect();
        Actor {
            id,
            name,
            kind: kind.unwrap_or(crate::domain::ActorKind::State),
            iso3,
            country,
            aliases,
        }
    })
}

pub fn institutions(table: &Table, problems: &mut Vec<Problem>) -> Vec<Located<Institution>> {
    rows(table, problems, |c| {
        let id = c.id("id");
        let name = c.text("name");
        let kind = c.parse("kind");
        let in_force = c.parse::<PartialDate>("in_force");
        let ended = c.parse_optional::<PartialDate>("ended");
        if let (Some(start), Some(end)) = (in_force, ended) {
            if end.last_day() < start.first_day() {
                c.problem(
                    "ended",
                    format!("{end} is before the date in force {start}"),
                );
            }
        }
        let mut issue_areas = Vec::new();
        for item in c.list("issue_areas") {
            match item.parse() {
                Ok(a) => issue_areas.push(a),
                Err(e) => c.problem("issue_areas", format!("{e}")),
            }
        }
        let scope = c.parse_optional::<Scope>("scope").unwrap_or_default();
        let open = match c.raw("open").trim() {
            "" | "true" => true,
            "false" => false,
            other => {
                c.problem(
                    "open",
                    format!("unknown open '{other}' (valid: true, false)"),
                );
                true
            }
        };
        let legalisation = c.parse_optional::<Weight>("legalisation");
        let programme = c.optional_id("programme");
        let url = c.optional("url");
        let description = c.free("description");
        Institution {
            id,
            name,
            kind: kind.unwrap_or(crate::domain::InstitutionKind::Treaty),
            in_force: in_force.unwrap_or(PartialDate::year(0)),
            ended,
            issue_areas,
            scope,
            open,
            legalisation,
            programme,
            url,
            description,
        }
    })
}

pub fn memberships(table: &Table, problems: &mut Vec<Problem>) -> Vec<Located<Membership>> {
    rows(table, problems, |c| {
        let institution = c.id("institution");
        let actor = c.id("actor");
        let joined = c.parse_optional::<PartialDate>("joined");
        let joined_latest = c.parse_optional::<PartialDate>("joined_latest");
        let left = c.parse_optional::<PartialDate>("left");
        match (joined, joined_latest) {
            (None, Some(_)) => c.problem(
                "joined",
                "is required when joined_latest is set (joined is the earliest bound)".to_string(),
            ),
            (Some(lo), Some(hi)) if hi.last_day() < lo.first_day() => c.problem(
                "joined_latest",
                format!("the latest bound {hi} is before the earliest bound {lo}"),
            ),
            _ => {}
        }
        // A membership that ends before its latest join bound would never be counted.
        if let (Some(from), Some(to)) = (joined_latest.or(joined), left) {
            if to.last_day() < from.first_day() {
                c.problem("left", format!("{to} is before the date joined {from}"));
            }
        }
        Membership {
            institution,
            actor,
            joined,
            joined_latest,
            left,
        }
    })
}

pub fn sources(table: &Table, problems: &mut Vec<Problem>) -> Vec<Located<Source>> {
    rows(table, problems, |c| {
        let id = c.id("id");
        let source_type = c.parse("type");
        let title = c.text("title");
        let url = c.optional("url");
        if let Some(u) = &url {
            if !(u.starts_with("http://") || u.starts_with("https://")) {
                c.problem("url", format!("'{u}' is not an http(s) URL"));
            }
        }
        Source {
            id,
            source_type: source_type.unwrap_or(crate::domain::SourceType::Webpage),
            author: c.optional("author"),
            title,
            container: c.optional("container"),
            publisher: c.optional("publisher"),
            issued: c.parse_optional("issued"),
            url,
            doi: c.optional("doi"),
            language: c.optional("language"),
            accessed: c.parse_optional("accessed"),
        }
    })
}
