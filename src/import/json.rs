//! Reading JSON input: the export shape (an array of full event records, or one per line), one
//! event object, or a bundle object with `programmes`, `actors`, `institutions`,
//! `memberships`, `sources` and `events` arrays.
//!
//! Each record is turned into the cells of its CSV table and parsed by the same code as CSV
//! (`records`), so both formats obey one rule set; problems carry the line the record starts
//! on. Parties and sources of an exported event embed the actor's name and kind and the whole
//! source: those are kept as candidates for `--create-missing`, never as updates of existing
//! records (ids are authoritative).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use super::records::is_valid_id;
use super::table::{LineIndex, Row, Table, MAX_FIELD_BYTES};
use super::TableKind;
use crate::domain::{Actor, ActorKind, PartialDate, Problem, Source, SourceType};

/// The keys of a bundle object, with the table each holds.
const BUNDLE_KEYS: [(&str, TableKind); 6] = [
    ("programmes", TableKind::Programmes),
    ("actors", TableKind::Actors),
    ("institutions", TableKind::Institutions),
    ("memberships", TableKind::Memberships),
    ("sources", TableKind::Sources),
    ("events", TableKind::Events),
];

/// An event as `list --format json` writes it, or as the domain `Event` serialises.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonEvent {
    id: String,
    date: String,
    #[serde(default)]
    end_date: Option<String>,
    /// Derived from `date` by the export; ignored.
    #[serde(default, rename = "precision")]
    _precision: Option<Value>,
    programme: String,
    /// The programme's name, embedded by the export; ignored (ids are authoritative).
    #[serde(default, rename = "programme_name")]
    _programme_name: Option<Value>,
    kind: String,
    channel: String,
    #[serde(default)]
    valence: Option<String>,
    #[serde(default)]
    venue: Option<String>,
    #[serde(default)]
    follows: Option<String>,
    title: String,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    notes: Option<String>,
    #[serde(default)]
    parties: Vec<JsonParty>,
    #[serde(default)]
    institutions: Vec<JsonInstitution>,
    #[serde(default)]
    sources: Vec<JsonSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonParty {
    actor: String,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    certainty: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    country: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum JsonInstitution {
    Id(String),
    Record(JsonInstitutionRecord),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonInstitutionRecord {
    id: String,
    /// Embedded by the export; ignored (institutions are never created or changed by import).
    #[serde(default, rename = "name")]
    _name: Option<Value>,
    #[serde(default, rename = "kind")]
    _kind: Option<Value>,
    #[serde(default, rename = "url")]
    _url: Option<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonSource {
    #[serde(alias = "source")]
    id: String,
    #[serde(default)]
    locator: Option<String>,
    #[serde(default, rename = "type")]
    source_type: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    container: Option<String>,
    #[serde(default)]
    publisher: Option<String>,
    #[serde(default)]
    issued: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    doi: Option<String>,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    accessed: Option<String>,
}

/// Where records of one JSON text start.
struct Reader<'t> {
    file: &'t str,
    text: &'t str,
    lines: LineIndex<'t>,
}

impl<'t> Reader<'t> {
    fn line_of(&self, raw: &RawValue) -> u64 {
        let offset = (raw.get().as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        self.lines.line(offset as u64)
    }

    fn problem(&self, line: u64, field: &str, message: impl Into<String>) -> Problem {
        Problem::new(self.file, line, None, field, message)
    }
}

/// serde_json's message without its " at line L column C" suffix (we give our own place).
fn serde_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    s.strip_suffix(&suffix).unwrap_or(&s).to_string()
}

/// Where the reader puts what it reads (the bundle): each table, its records turned into the
/// cells of its CSV table, and the complete actors and sources that exports embed.
pub(crate) trait Sink {
    /// Parses and adds a table read from JSON.
    fn add_json_table(&mut self, table: &Table, kind: TableKind, problems: &mut Vec<Problem>);
    /// An actor embedded in an exported event's parties (the first of an id is kept).
    fn embedded_actor(&mut self, actor: Actor);
    /// A source embedded in an exported event's sources (the first of an id is kept).
    fn embedded_source(&mut self, source: Source);
}

/// Reads a JSON input file (its byte-order mark already removed) into `bundle`.
pub(crate) fn read(bundle: &mut dyn Sink, file: &str, bytes: &[u8], problems: &mut Vec<Problem>) {
    let lines = LineIndex::new(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = lines.line(e.valid_up_to() as u64);
            problems.push(Problem::new(
                file,
                line,
                None,
                "json",
                format!("invalid UTF-8 at byte {} of the file", e.valid_up_to()),
            ));
            return;
        }
    };
    let r = Reader { file, text, lines };
    let mut values: Vec<&RawValue> = Vec::new();
    for v in serde_json::Deserializer::from_str(text).into_iter::<&RawValue>() {
        match v {
            Ok(v) => values.push(v),
            Err(e) => {
                problems.push(Problem::new(
                    file,
                    e.line() as u64,
                    Some(e.column()).filter(|c| *c > 0),
                    "json",
                    format!("malformed JSON: {}", serde_message(&e)),
                ));
                return;
            }
        }
    }
    let mut events: Vec<&RawValue> = Vec::new();
    if let [one] = values.as_slice() {
        let one: &RawValue = one;
        match one.get().as_bytes().first() {
            Some(b'[') => match serde_json::from_str::<Vec<&RawValue>>(one.get()) {
                Ok(items) => events = items,
                Err(e) => problems.push(r.problem(1, "json", serde_message(&e))),
            },
            Some(b'{') => match serde_json::from_str::<BTreeMap<String, &RawValue>>(one.get()) {
                Ok(map)
                    if !map.is_empty()
                        && map.keys().all(|k| BUNDLE_KEYS.iter().any(|(b, _)| b == k)) =>
                {
                    read_bundle(bundle, &r, &map, problems);
                    return;
                }
                Ok(map) if map.contains_key("id") => events.push(one),
                Ok(_) => problems.push(r.problem(
                    r.line_of(one),
                    "json",
                    "a JSON object must be a bundle (with arrays programmes, actors, \
                     institutions, memberships, sources, events) or one event (with an id)",
                )),
                Err(e) => problems.push(r.problem(r.line_of(one), "json", serde_message(&e))),
            },
            _ => problems.push(r.problem(
                r.line_of(one),
                "json",
                "expected an array of events, an event object or a bundle object",
            )),
        }
    } else {
        // Several top-level values: one event per line (NDJSON).
        events = values;
    }
    let table = event_table(bundle, &r, &events, problems);
    bundle.add_json_table(&table, TableKind::Events, problems);
}

fn read_bundle(
    bundle: &mut dyn Sink,
    r: &Reader<'_>,
    map: &BTreeMap<String, &RawValue>,
    problems: &mut Vec<Problem>,
) {
    // In write order, so that problems come out in a natural order too.
    for (key, kind) in BUNDLE_KEYS {
        let Some(raw) = map.get(key) else { continue };
        let items = match serde_json::from_str::<Vec<&RawValue>>(raw.get()) {
            Ok(items) => items,
            Err(e) => {
                problems.push(r.problem(
                    r.line_of(raw),
                    key,
                    format!("expected an array of records: {}", serde_message(&e)),
                ));
                continue;
            }
        };
        let table = if kind == TableKind::Events {
            event_table(bundle, r, &items, problems)
        } else {
            record_table(r, kind, &items, problems)
        };
        bundle.add_json_table(&table, kind, problems);
    }
}

/// A table of reference records: each JSON object's fields become the cells of its CSV
/// columns (arrays joined by `;`), so the CSV rules apply unchanged.
fn record_table(
    r: &Reader<'_>,
    kind: TableKind,
    items: &[&RawValue],
    problems: &mut Vec<Problem>,
) -> Table {
    let columns = kind.columns();
    let mut rows = Vec::new();
    for raw in items {
        let line = r.line_of(raw);
        let map = match serde_json::from_str::<serde_json::Map<String, Value>>(raw.get()) {
            Ok(m) => m,
            Err(e) => {
                problems.push(r.problem(line, "record", serde_message(&e)));
                continue;
            }
        };
        let mut ok = true;
        for k in map.keys() {
            if !columns.contains(&k.as_str()) {
                problems.push(r.problem(
                    line,
                    k,
                    format!("unknown field (expected: {})", columns.join(", ")),
                ));
                ok = false;
            }
        }
        let mut cells = Vec::with_capacity(columns.len());
        for c in columns {
            let cell = match map.get(*c) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                Some(Value::Bool(b)) => b.to_string(),
                Some(Value::Array(items)) => {
                    let mut parts = Vec::new();
                    for item in items {
                        match item {
                            Value::String(s) if !s.contains(';') => parts.push(s.clone()),
                            Value::String(s) => {
                                problems.push(r.problem(
                                    line,
                                    c,
                                    format!("'{s}' contains ';', the list separator"),
                                ));
                                ok = false;
                            }
                            _ => {
                                problems.push(r.problem(line, c, "expected a list of strings"));
                                ok = false;
                            }
                        }
                    }
                    parts.join(";")
                }
                Some(Value::Object(_)) => {
                    problems.push(r.problem(line, c, "expected a string, not an object"));
                    ok = false;
                    String::new()
                }
            };
            if cell.len() > MAX_FIELD_BYTES {
                problems.push(r.problem(
                    line,
                    c,
                    format!(
                        "field of {} bytes is over the limit of {MAX_FIELD_BYTES}",
                        cell.len()
                    ),
                ));
                ok = false;
            }
            cells.push(cell);
        }
        if ok {
            rows.push(Row::new(line, cells));
        }
    }
    Table {
        file: r.file.to_string(),
        columns,
        rows,
    }
}

/// A table of events in the interchange format's cells; embedded actors and sources are kept
/// as candidates for `--create-missing`.
fn event_table(
    bundle: &mut dyn Sink,
    r: &Reader<'_>,
    items: &[&RawValue],
    problems: &mut Vec<Problem>,
) -> Table {
    let mut rows = Vec::new();
    for raw in items {
        let line = r.line_of(raw);
        let e = match serde_json::from_str::<JsonEvent>(raw.get()) {
            Ok(e) => e,
            Err(err) => {
                let at = line + err.line().saturating_sub(1) as u64;
                problems.push(r.problem(at, "record", serde_message(&err)));
                continue;
            }
        };
        let mut ok = true;
        let mut bad = |field: &str, message: String| {
            problems.push(r.problem(line, field, message));
            ok = false;
        };
        let separator_free = |s: &str| !s.contains([';', ':']);
        let mut parties = Vec::new();
        for p in &e.parties {
            let role = p.role.as_deref().unwrap_or("partner");
            let certainty = p.certainty.as_deref().unwrap_or("confirmed");
            if !separator_free(&p.actor) {
                bad("parties", format!("'{}' is not a valid actor id", p.actor));
            } else if !separator_free(role) {
                bad("parties", format!("'{role}' is not a role"));
            } else if !separator_free(certainty) {
                bad(
                    "parties",
                    format!("'{certainty}' is not a certainty (valid: confirmed, claimed)"),
                );
            } else {
                parties.push(format!("{}:{role}:{certainty}", p.actor));
            }
            if let Some(a) = embedded_actor(p) {
                bundle.embedded_actor(a);
            }
        }
        let mut institutions = Vec::new();
        for i in &e.institutions {
            let id = match i {
                JsonInstitution::Id(id) => id,
                JsonInstitution::Record(rec) => &rec.id,
            };
            if separator_free(id) {
                institutions.push(id.clone());
            } else {
                bad("institutions", format!("'{id}' is not a valid id"));
            }
        }
        let mut sources = Vec::new();
        for s in &e.sources {
            if !separator_free(&s.id) {
                bad("sources", format!("'{}' is not a valid source id", s.id));
                continue;
            }
            match s
                .locator
                .as_deref()
                .map(str::trim)
                .filter(|l| !l.is_empty())
            {
                Some(l) if l.contains(';') => bad(
                    "sources",
                    format!("the locator of '{}' contains ';', the list separator", s.id),
                ),
                Some(l) => sources.push(format!("{}:{l}", s.id)),
                None => sources.push(s.id.clone()),
            }
            if let Some(src) = embedded_source(s) {
                bundle.embedded_source(src);
            }
        }
        let cells = vec![
            e.id,
            e.date,
            e.end_date.unwrap_or_default(),
            e.programme,
            e.kind,
            e.channel,
            e.valence.unwrap_or_default(),
            e.venue.unwrap_or_default(),
            e.follows.unwrap_or_default(),
            e.title,
            e.summary.unwrap_or_default(),
            e.notes.unwrap_or_default(),
            parties.join(";"),
            institutions.join(";"),
            sources.join(";"),
        ];
        for (c, cell) in crate::interchange::EVENT_COLUMNS.iter().zip(&cells) {
            if cell.len() > MAX_FIELD_BYTES {
                bad(
                    c,
                    format!(
                        "field of {} bytes is over the limit of {MAX_FIELD_BYTES}",
                        cell.len()
                    ),
                );
            }
        }
        if ok {
            rows.push(Row::new(line, cells));
        }
    }
    Table {
        file: r.file.to_string(),
        columns: crate::interchange::EVENT_COLUMNS,
        rows,
    }
}

/// The actor a party of an export describes, when its name and kind are both given.
fn embedded_actor(p: &JsonParty) -> Option<Actor> {
    let name = p.name.as_deref().map(str::trim).filter(|n| !n.is_empty())?;
    let kind: ActorKind = p.kind.as_deref()?.parse().ok()?;
    if !is_valid_id(&p.actor) {
        return None;
    }
    // The export names a state's own id as its country; only another actor is a country.
    let country = p
        .country
        .clone()
        .filter(|c| c != &p.actor && is_valid_id(c));
    Some(Actor {
        id: p.actor.clone(),
        name: name.to_string(),
        kind,
        iso3: None,
        country,
        aliases: Vec::new(),
    })
}

/// The source an export embeds, when its type and title are given and every field is valid.
fn embedded_source(s: &JsonSource) -> Option<Source> {
    let source_type: SourceType = s.source_type.as_deref()?.parse().ok()?;
    let title = s
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())?;
    if !is_valid_id(&s.id) {
        return None;
    }
    let date = |d: &Option<String>| -> Result<Option<PartialDate>, ()> {
        d.as_deref()
            .map(|d| d.parse::<PartialDate>().map_err(|_| ()))
            .transpose()
    };
    let url = s.url.clone();
    if url
        .as_deref()
        .is_some_and(|u| !(u.starts_with("http://") || u.starts_with("https://")))
    {
        return None;
    }
    Some(Source {
        id: s.id.clone(),
        source_type,
        author: s.author.clone(),
        title: title.to_string(),
        container: s.container.clone(),
        publisher: s.publisher.clone(),
        issued: date(&s.issued).ok()?,
        url,
        doi: s.doi.clone(),
        language: s.language.clone(),
        accessed: date(&s.accessed).ok()?,
    })
}

#[cfg(test)]
mod tests {
    use crate::import::Bundle;

    fn read_str(text: &str) -> (Bundle, Vec<String>) {
        let mut b = Bundle::default();
        let mut p = Vec::new();
        b.read_file("x.json", text.as_bytes(), &mut p);
        (b, p.iter().map(|p| p.to_string()).collect())
    }

    #[test]
    fn reads_an_export_array_with_record_lines() {
        let text = r#"[
  {"id": "E1", "date": "2021", "end_date": null, "precision": "year",
   "programme": "ILRS", "programme_name": "x", "kind": "mou", "channel": "bilateral",
   "title": "T", "summary": "", "notes": "",
   "parties": [{"actor": "CHN", "name": "China", "kind": "state", "country": "CHN",
                "role": "signatory"}],
   "institutions": [{"id": "OST", "name": "Outer Space Treaty"}],
   "sources": [{"id": "s1", "locator": "p. 2", "type": "webpage", "title": "S",
                "url": "https://example.org"}]},
  {"id": "E2", "date": "2021-02-30", "programme": "ILRS", "kind": "mou",
   "channel": "bilateral", "title": "T", "sources": [{"source": "s1"}]}
]"#;
        let (b, p) = read_str(text);
        assert_eq!(
            p,
            ["x.json:10 date: '2021-02-30' is not a real calendar date"]
        );
        let e = &b.events[0].rows[0];
        assert_eq!(e.line, 2);
        assert_eq!(e.value.parties[0].actor, "CHN");
        assert_eq!(e.value.sources[0].locator.as_deref(), Some("p. 2"));
        assert_eq!(b.embedded_actors["CHN"].country, None);
        assert_eq!(b.embedded_sources["s1"].title, "S");
    }

    #[test]
    fn reports_malformed_json_and_unknown_fields_with_lines() {
        let (_, p) = read_str("[\n{\"id\": \"E1\",\n \"dat\": 1}\n]");
        assert_eq!(p.len(), 1);
        assert!(
            p[0].starts_with("x.json:3 record: unknown field `dat`"),
            "{p:?}"
        );
        let (_, p) = read_str("[\n{\"id\": \"E1\",,}\n]");
        assert!(
            p[0].starts_with("x.json:2:13 json: malformed JSON"),
            "{p:?}"
        );
        let (_, p) = read_str("{\"colour\": 1}");
        assert!(p[0].contains("must be a bundle"), "{p:?}");
    }

    #[test]
    fn reads_a_bundle_through_the_csv_rules() {
        let text = r#"{"actors": [
  {"id": "CHN", "name": "China", "kind": "state", "iso3": "CHN", "aliases": ["PRC", "中国"]},
  {"id": "X", "name": "", "kind": "planet"}
]}"#;
        let (b, p) = read_str(text);
        assert_eq!(
            p,
            [
                "x.json:3 name: is required",
                "x.json:3 kind: unknown actor kind 'planet' (valid: state, space_agency, \
                 international_organisation, research_institution, company, ngo, government_body)"
            ]
        );
        assert_eq!(b.actors[0].rows[0].value.aliases, ["PRC", "中国"]);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000);
        let (_, p) = read_str(&text);
        assert_eq!(p.len(), 1, "{p:?}");
    }
}
