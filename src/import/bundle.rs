//! A bundle: the records read from any number of input files (CSV tables, JSON exports, JSON
//! bundles), each with the place it came from, checked together for duplicate ids and
//! references before anything is written.

use std::borrow::Cow;
use std::collections::HashMap;

use super::records::{self, Located};
use super::table::{self, Table};
use super::validate::{follows_problems_among, on_cycles, validate_event};
use super::{json, TableKind};
use crate::domain::{
    membership_key, Actor, Dataset, Event, EventLink, IdSet, Institution, KnownIds, Membership,
    Problem, Programme, Record, Source, Unknown,
};
use crate::text::{inert, truncate};

mod missing;

/// The records of one table read from one file.
#[derive(Debug, Clone)]
pub struct Part<T> {
    pub file: String,
    /// Read from JSON: problems carry no column, the line is the record's.
    pub json: bool,
    /// The file's own header (the current one or an earlier release's), for column numbers.
    pub columns: &'static [&'static str],
    pub rows: Vec<Located<T>>,
}

/// A minimal record made by `--create-missing` for a reference nothing else defines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    /// Where the record was first referenced.
    pub file: String,
    pub line: u64,
    pub record: Record,
}

/// One record of the bundle with its place, in the order records must be written.
#[derive(Debug, Clone)]
pub struct Item<'a> {
    pub file: &'a str,
    pub line: u64,
    pub json: bool,
    /// Made by `--create-missing` rather than read.
    pub created: bool,
    pub record: Record,
}

/// Everything read from the input files.
#[derive(Debug, Clone, Default)]
pub struct Bundle {
    pub programmes: Vec<Part<Programme>>,
    pub actors: Vec<Part<Actor>>,
    pub institutions: Vec<Part<Institution>>,
    pub memberships: Vec<Part<Membership>>,
    pub sources: Vec<Part<Source>>,
    pub events: Vec<Part<Event>>,
    /// Event rows that failed to parse (never written): only their references are checked.
    pub rejected_events: Vec<Part<Event>>,
    /// Complete actor records embedded in JSON exports (name and kind known), by id.
    pub embedded_actors: HashMap<String, Actor>,
    /// Complete source records embedded in JSON exports (type and title known), by id.
    pub embedded_sources: HashMap<String, Source>,
    /// Records made by [`Bundle::create_missing`].
    pub created: Vec<Created>,
    create_missing: bool,
    files: Vec<String>,
}

/// The records read from one table.
fn part<T>(t: &Table, json: bool, rows: Vec<Located<T>>) -> Part<T> {
    Part {
        file: t.file.clone(),
        json,
        columns: t.columns,
        rows,
    }
}

fn col(json: bool, columns: &[&str], field: &str) -> Option<usize> {
    if json {
        return None;
    }
    columns.iter().position(|c| *c == field).map(|i| i + 1)
}

impl json::Sink for Bundle {
    fn add_json_table(&mut self, table: &Table, kind: TableKind, problems: &mut Vec<Problem>) {
        self.add_table(table, true, kind, problems);
    }

    fn embedded_actor(&mut self, actor: Actor) {
        self.embedded_actors
            .entry(actor.id.clone())
            .or_insert(actor);
    }

    fn embedded_source(&mut self, source: Source) {
        self.embedded_sources
            .entry(source.id.clone())
            .or_insert(source);
    }
}

impl Bundle {
    /// Reads one input file of any supported kind: a JSON export or bundle (the first
    /// non-blank character is `[` or `{`), or a CSV table told by its header.
    pub fn read_file(&mut self, file: &str, bytes: &[u8], problems: &mut Vec<Problem>) {
        self.note_file(file);
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let first = body.iter().find(|b| !b.is_ascii_whitespace());
        match first {
            None => problems.push(Problem::new(
                file,
                1,
                None,
                "header",
                "empty file: expected a CSV table with a header (such as the events header \
                 id,date,end_date,…) or JSON",
            )),
            Some(b'[' | b'{') => json::read(self, file, body, problems),
            Some(_) if body.iter().take(4096).any(|b| *b == 0) => problems.push(Problem::new(
                file,
                1,
                None,
                "header",
                "not a spacedip file: it holds binary data, not CSV or JSON text",
            )),
            Some(_) => match TableKind::sniff(body) {
                Some(kind) => self.read_csv(file, bytes, kind, problems),
                None => {
                    let line = body.split(|b| *b == b'\n').next().unwrap_or_default();
                    let line = String::from_utf8_lossy(line);
                    problems.push(Problem::new(
                        file,
                        1,
                        None,
                        "header",
                        format!(
                            "not a spacedip file: the first line '{}' is not the header of a \
                             spacedip table (events: {}; see seed/README.md for the others) and \
                             the file is not JSON",
                            truncate(&inert(line.trim_end()), 60),
                            TableKind::Events.columns().join(",")
                        ),
                    ))
                }
            },
        }
    }

    /// Reads one CSV file of the given table into the bundle.
    pub fn read_csv(
        &mut self,
        file: &str,
        bytes: &[u8],
        kind: TableKind,
        problems: &mut Vec<Problem>,
    ) {
        self.note_file(file);
        if kind == TableKind::Events {
            if let Some((t, rows, rejects)) =
                super::events_csv::events_of_csv(file, bytes, kind.headers(), problems)
            {
                self.events.push(part(&t, false, rows));
                self.rejected_events.push(part(&t, false, rejects));
            }
            return;
        }
        let Some(t) = table::read_table(file, bytes, kind.headers(), problems) else {
            return;
        };
        self.add_table(&t, false, kind, problems);
    }

    fn note_file(&mut self, file: &str) {
        if !self.files.iter().any(|f| f == file) {
            self.files.push(file.to_string());
        }
    }

    /// Parses the rows of a table into records. Tables built from JSON report no columns.
    pub(crate) fn add_table(
        &mut self,
        t: &Table,
        json: bool,
        kind: TableKind,
        problems: &mut Vec<Problem>,
    ) {
        let mut found = Vec::new();
        match kind {
            TableKind::Programmes => {
                let rows = records::programmes(t, &mut found);
                self.programmes.push(part(t, json, rows));
            }
            TableKind::Actors => {
                let rows = records::actors(t, &mut found);
                self.actors.push(part(t, json, rows));
            }
            TableKind::Institutions => {
                let rows = records::institutions(t, &mut found);
                self.institutions.push(part(t, json, rows));
            }
            TableKind::Memberships => {
                let rows = records::memberships(t, &mut found);
                self.memberships.push(part(t, json, rows));
            }
            TableKind::Sources => {
                let rows = records::sources(t, &mut found);
                self.sources.push(part(t, json, rows));
            }
            TableKind::Events => {
                let (rows, rejects) = records::events(t, &mut found);
                self.events.push(part(t, json, rows));
                self.rejected_events.push(part(t, json, rejects));
            }
        }
        if json {
            for p in &mut found {
                p.column = None;
            }
        }
        problems.extend(found);
    }

    /// The ids references may point at: `known` plus this bundle's records.
    fn ids(&self, known: &KnownIds) -> KnownIds {
        let mut ids = known.clone();
        fn add<T>(parts: &[Part<T>], id: impl Fn(&T) -> &str, set: &mut IdSet) {
            // Once, rather than growing through a dozen rehashes of a million ids.
            set.reserve(parts.iter().map(|p| p.rows.len()).sum());
            for r in parts.iter().flat_map(|p| &p.rows) {
                set.insert(id(&r.value).to_string());
            }
        }
        add(&self.programmes, |p| &p.id, &mut ids.programmes);
        add(&self.actors, |a| &a.id, &mut ids.actors);
        add(&self.institutions, |i| &i.id, &mut ids.institutions);
        add(&self.sources, |s| &s.id, &mut ids.sources);
        add(&self.events, |e| &e.id, &mut ids.events);
        for c in &self.created {
            match &c.record {
                Record::Actor(a) => {
                    ids.actors.insert(a.id.clone());
                }
                Record::Source(s) => {
                    ids.sources.insert(s.id.clone());
                }
                _ => {}
            }
        }
        ids
    }

    fn hint(&self, unknown: Option<Unknown>) -> &'static str {
        if !self.create_missing {
            return "";
        }
        match unknown {
            Some(Unknown::Actor) => {
                " (--create-missing cannot create it: an actor needs a name and a kind, which \
                 only a JSON export embeds; add it to an actors table in a bundle)"
            }
            Some(Unknown::Source) => {
                " (--create-missing cannot create it: a source needs a type and a title, which \
                 only a JSON export embeds; add it to a sources table in a bundle)"
            }
            Some(Unknown::Programme) => {
                " (programmes are never created: add it to a programmes table in a bundle)"
            }
            Some(Unknown::Institution) => {
                " (institutions are never created: add it to an institutions table in a bundle)"
            }
            None => "",
        }
    }

    /// Checks ids for duplicates within the input and every reference against this bundle's
    /// records plus `known` (what the database already holds).
    pub fn validate(&self, known: &KnownIds) -> Vec<Problem> {
        let mut problems = Vec::new();
        let ids = self.ids(known);
        fn duplicates<'a, T>(
            parts: &'a [Part<T>],
            id: impl Fn(&'a T) -> Cow<'a, str>,
            field: &str,
            problems: &mut Vec<Problem>,
        ) {
            // Borrowed: a million ids are checked without a copy of each.
            let mut seen: HashMap<Cow<'a, str>, (&'a str, u64), foldhash::fast::RandomState> =
                HashMap::default();
            seen.reserve(parts.iter().map(|p| p.rows.len()).sum());
            for part in parts {
                for r in &part.rows {
                    let v = id(&r.value);
                    let column = if part.json { None } else { Some(1) };
                    if let Some((file, line)) = seen.get(&v) {
                        problems.push(Problem::new(
                            &part.file,
                            r.line,
                            column,
                            field,
                            format!("duplicate id '{v}' (first at {file}:{line})"),
                        ));
                    } else {
                        seen.insert(v, (&part.file, r.line));
                    }
                }
            }
        }
        duplicates(&self.programmes, |p| Cow::from(&p.id), "id", &mut problems);
        duplicates(&self.actors, |a| Cow::from(&a.id), "id", &mut problems);
        duplicates(
            &self.institutions,
            |i| Cow::from(&i.id),
            "id",
            &mut problems,
        );
        duplicates(
            &self.memberships,
            |m| Cow::from(membership_key(&m.institution, &m.actor)),
            "institution",
            &mut problems,
        );
        duplicates(&self.sources, |s| Cow::from(&s.id), "id", &mut problems);
        duplicates(&self.events, |e| Cow::from(&e.id), "id", &mut problems);

        let mut check = |part_file: &str,
                         json: bool,
                         line: u64,
                         field: &str,
                         cols: &[&str],
                         set: &IdSet,
                         what: Unknown,
                         v: &str| {
            if !set.contains(v) {
                let name = match what {
                    Unknown::Actor => "actor",
                    Unknown::Institution => "institution",
                    Unknown::Programme => "programme",
                    Unknown::Source => "source",
                };
                problems.push(Problem::new(
                    part_file,
                    line,
                    col(json, cols, field),
                    field,
                    format!("unknown {name} '{v}'{}", self.hint(Some(what))),
                ));
            }
        };
        for part in &self.programmes {
            for r in &part.rows {
                let p = &r.value;
                for (field, v) in [
                    ("lead_agency", &p.lead_agency),
                    ("lead_state", &p.lead_state),
                ] {
                    if let Some(v) = v {
                        check(
                            &part.file,
                            part.json,
                            r.line,
                            field,
                            part.columns,
                            &ids.actors,
                            Unknown::Actor,
                            v,
                        );
                    }
                }
            }
        }
        for part in &self.actors {
            for r in &part.rows {
                if let Some(c) = &r.value.country {
                    check(
                        &part.file,
                        part.json,
                        r.line,
                        "country",
                        part.columns,
                        &ids.actors,
                        Unknown::Actor,
                        c,
                    );
                }
            }
        }
        for part in &self.institutions {
            for r in &part.rows {
                if let Some(p) = &r.value.programme {
                    check(
                        &part.file,
                        part.json,
                        r.line,
                        "programme",
                        part.columns,
                        &ids.programmes,
                        Unknown::Programme,
                        p,
                    );
                }
            }
        }
        for part in &self.memberships {
            for r in &part.rows {
                let m = &r.value;
                check(
                    &part.file,
                    part.json,
                    r.line,
                    "institution",
                    part.columns,
                    &ids.institutions,
                    Unknown::Institution,
                    &m.institution,
                );
                check(
                    &part.file,
                    part.json,
                    r.line,
                    "actor",
                    part.columns,
                    &ids.actors,
                    Unknown::Actor,
                    &m.actor,
                );
            }
        }
        // The life cycles: every event being written, over the stored ones.
        let mut links: HashMap<&str, EventLink, foldhash::fast::RandomState> =
            HashMap::with_capacity_and_hasher(
                self.events.iter().map(|p| p.rows.len()).sum(),
                Default::default(),
            );
        links.extend(
            self.events
                .iter()
                .flat_map(|p| &p.rows)
                .map(|r| (r.value.id.as_str(), (r.value.date, r.value.follows.clone()))),
        );
        let lookup = |id: &str| -> Option<EventLink> {
            links
                .get(id)
                .cloned()
                .or_else(|| known.event_links.get(id).cloned())
        };
        let cyclic = on_cycles(
            self.events
                .iter()
                .flat_map(|p| &p.rows)
                .map(|r| r.value.id.as_str()),
            |id| lookup(id).and_then(|(_, follows)| follows),
        );
        for (part, rejected) in self
            .events
            .iter()
            .map(|p| (p, false))
            .chain(self.rejected_events.iter().map(|p| (p, true)))
        {
            for r in &part.rows {
                let e = &r.value;
                let mut found = validate_event(e, &ids);
                if !rejected {
                    found.extend(follows_problems_among(
                        &e.id,
                        e.date,
                        e.follows.as_deref(),
                        lookup,
                        &cyclic,
                    ));
                }
                for fp in found {
                    // A rejected row's own problems were reported when it was parsed.
                    if rejected && fp.unknown.is_none() {
                        continue;
                    }
                    problems.push(Problem::new(
                        &part.file,
                        r.line,
                        col(part.json, part.columns, &fp.field),
                        &fp.field,
                        format!("{}{}", fp.message, self.hint(fp.unknown)),
                    ));
                }
            }
        }
        problems
    }

    /// Orders problems by input file (in the order given), then line and column.
    pub fn sort_problems(&self, problems: &mut [Problem]) {
        let rank = |f: &str| self.files.iter().position(|x| x == f).unwrap_or(usize::MAX);
        problems.sort_by(|a, b| {
            (rank(&a.file), &a.file, a.line, a.column).cmp(&(
                rank(&b.file),
                &b.file,
                b.line,
                b.column,
            ))
        });
    }

    /// Takes every record out with its place, created ones included, in the order they must
    /// be written (actors, programmes, institutions, memberships, sources, events). The read
    /// records are moved, not copied, so that a million events are never held twice; the
    /// bundle keeps its files and created records, for [`Bundle::sort_problems`], but no read
    /// records: validate it before, never after.
    pub fn take_items(&mut self) -> Vec<Item<'_>> {
        fn take<T>(parts: &mut [Part<T>]) -> Vec<Vec<Located<T>>> {
            parts
                .iter_mut()
                .map(|p| std::mem::take(&mut p.rows))
                .collect()
        }
        let actors = take(&mut self.actors);
        let programmes = take(&mut self.programmes);
        let institutions = take(&mut self.institutions);
        let memberships = take(&mut self.memberships);
        let sources = take(&mut self.sources);
        let events = take(&mut self.events);
        let this = &*self;
        let count = |rows: &[Vec<Located<Event>>]| rows.iter().map(Vec::len).sum::<usize>();
        let mut out = Vec::with_capacity(count(&events) + this.created.len());
        fn created<'a>(out: &mut Vec<Item<'a>>, all: &'a [Created], wanted: fn(&Record) -> bool) {
            for c in all.iter().filter(|c| wanted(&c.record)) {
                out.push(Item {
                    file: &c.file,
                    line: c.line,
                    json: true,
                    created: true,
                    record: c.record.clone(),
                });
            }
        }
        fn push<'a, T>(
            out: &mut Vec<Item<'a>>,
            parts: &'a [Part<T>],
            rows: Vec<Vec<Located<T>>>,
            wrap: fn(T) -> Record,
        ) {
            for (part, rows) in parts.iter().zip(rows) {
                for r in rows {
                    out.push(Item {
                        file: &part.file,
                        line: r.line,
                        json: part.json,
                        created: false,
                        record: wrap(r.value),
                    });
                }
            }
        }
        created(&mut out, &this.created, |r| matches!(r, Record::Actor(_)));
        push(&mut out, &this.actors, actors, Record::Actor);
        push(&mut out, &this.programmes, programmes, Record::Programme);
        push(
            &mut out,
            &this.institutions,
            institutions,
            Record::Institution,
        );
        push(&mut out, &this.memberships, memberships, Record::Membership);
        created(&mut out, &this.created, |r| matches!(r, Record::Source(_)));
        push(&mut out, &this.sources, sources, Record::Source);
        push(&mut out, &this.events, events, Record::Event);
        out
    }

    /// The records, without their places; created records included.
    pub fn into_dataset(self) -> Dataset {
        fn values<T>(parts: Vec<Part<T>>) -> Vec<T> {
            parts
                .into_iter()
                .flat_map(|p| p.rows.into_iter().map(|r| r.value))
                .collect()
        }
        let mut d = Dataset {
            programmes: values(self.programmes),
            actors: values(self.actors),
            institutions: values(self.institutions),
            memberships: values(self.memberships),
            sources: values(self.sources),
            events: values(self.events),
        };
        for c in self.created {
            match c.record {
                Record::Actor(a) => d.actors.push(a),
                Record::Source(s) => d.sources.push(s),
                _ => {}
            }
        }
        d
    }
}
