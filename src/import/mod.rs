//! Import: reading and validating CSV tables into domain records, with no database access.
//!
//! The seed and users' files go through the same code. Everything is validated before anything
//! is written, and every problem is reported at once as `FILE:LINE:COLUMN field: message`.

pub mod records;
pub mod table;

use std::collections::HashSet;
use std::fmt;

use serde::Serialize;

pub use records::{
    is_valid_id, split_list, Located, ACTOR_COLUMNS, EVENT_COLUMNS, INSTITUTION_COLUMNS,
    MEMBER_COLUMNS, PROGRAMME_COLUMNS, SOURCE_COLUMNS,
};

use crate::domain::{Actor, Dataset, Event, Institution, Membership, Programme, Source};

/// One problem in an input file, located to the line and, where known, the column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub file: String,
    pub line: u64,
    pub column: Option<usize>,
    pub field: String,
    pub message: String,
}

impl Problem {
    pub fn new(
        file: &str,
        line: u64,
        column: Option<usize>,
        field: &str,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            file: file.to_string(),
            line,
            column,
            field: field.to_string(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)?;
        if let Some(c) = self.column {
            write!(f, ":{c}")?;
        }
        write!(f, " {}: {}", self.field, self.message)
    }
}

/// The tables read from files, each record with its location, before cross-checking.
#[derive(Debug, Clone, Default)]
pub struct Bundle {
    pub programmes: Option<(String, Vec<Located<Programme>>)>,
    pub actors: Option<(String, Vec<Located<Actor>>)>,
    pub institutions: Option<(String, Vec<Located<Institution>>)>,
    pub memberships: Option<(String, Vec<Located<Membership>>)>,
    pub sources: Option<(String, Vec<Located<Source>>)>,
    pub events: Option<(String, Vec<Located<Event>>)>,
}

/// Which table a CSV file holds, told by its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    Programmes,
    Actors,
    Institutions,
    Memberships,
    Sources,
    Events,
}

impl TableKind {
    pub const ALL: [TableKind; 6] = [
        TableKind::Programmes,
        TableKind::Actors,
        TableKind::Institutions,
        TableKind::Memberships,
        TableKind::Sources,
        TableKind::Events,
    ];

    pub fn columns(self) -> &'static [&'static str] {
        match self {
            TableKind::Programmes => PROGRAMME_COLUMNS,
            TableKind::Actors => ACTOR_COLUMNS,
            TableKind::Institutions => INSTITUTION_COLUMNS,
            TableKind::Memberships => MEMBER_COLUMNS,
            TableKind::Sources => SOURCE_COLUMNS,
            TableKind::Events => EVENT_COLUMNS,
        }
    }

    /// The table whose header is the first line of `bytes`, if any.
    pub fn sniff(bytes: &[u8]) -> Option<TableKind> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let first = bytes.split(|b| *b == b'\n').next()?;
        let first = String::from_utf8_lossy(first);
        let cols: Vec<&str> = first
            .trim_end_matches('\r')
            .split(',')
            .map(str::trim)
            .collect();
        TableKind::ALL
            .into_iter()
            .find(|k| k.columns() == cols.as_slice())
    }
}

impl Bundle {
    /// Reads one CSV file of the given table into the bundle.
    pub fn read_csv(
        &mut self,
        file: &str,
        bytes: &[u8],
        kind: TableKind,
        problems: &mut Vec<Problem>,
    ) {
        let Some(t) = table::read_table(file, bytes, kind.columns(), problems) else {
            return;
        };
        let name = file.to_string();
        match kind {
            TableKind::Programmes => {
                self.programmes = Some((name, records::programmes(&t, problems)))
            }
            TableKind::Actors => self.actors = Some((name, records::actors(&t, problems))),
            TableKind::Institutions => {
                self.institutions = Some((name, records::institutions(&t, problems)))
            }
            TableKind::Memberships => {
                self.memberships = Some((name, records::memberships(&t, problems)))
            }
            TableKind::Sources => self.sources = Some((name, records::sources(&t, problems))),
            TableKind::Events => self.events = Some((name, records::events(&t, problems))),
        }
    }

    /// Checks ids for duplicates and every reference against this bundle's records plus
    /// `known` (what the database already holds).
    pub fn validate(&self, known: &KnownIds) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut ids = known.clone();
        fn collect<T>(
            table: &Option<(String, Vec<Located<T>>)>,
            id: impl Fn(&T) -> &str,
            set: &mut HashSet<String>,
            problems: &mut Vec<Problem>,
        ) {
            let Some((file, rows)) = table else { return };
            let mut seen = HashSet::new();
            for r in rows {
                let v = id(&r.value);
                if !seen.insert(v.to_string()) {
                    problems.push(Problem::new(
                        file,
                        r.line,
                        Some(1),
                        "id",
                        format!("duplicate id '{v}'"),
                    ));
                }
                set.insert(v.to_string());
            }
        }
        collect(
            &self.programmes,
            |p| &p.id,
            &mut ids.programmes,
            &mut problems,
        );
        collect(&self.actors, |a| &a.id, &mut ids.actors, &mut problems);
        collect(
            &self.institutions,
            |i| &i.id,
            &mut ids.institutions,
            &mut problems,
        );
        collect(&self.sources, |s| &s.id, &mut ids.sources, &mut problems);
        collect(&self.events, |e| &e.id, &mut HashSet::new(), &mut problems);

        let mut check = |file: &str,
                         line: u64,
                         col: &str,
                         cols: &[&str],
                         set: &HashSet<String>,
                         what: &str,
                         v: &str| {
            if !set.contains(v) {
                let column = cols.iter().position(|c| *c == col).map(|i| i + 1);
                problems.push(Problem::new(
                    file,
                    line,
                    column,
                    col,
                    format!("unknown {what} '{v}'"),
                ));
            }
        };
        if let Some((file, rows)) = &self.programmes {
            for r in rows {
                for (col, v) in [
                    ("lead_agency", &r.value.lead_agency),
                    ("lead_state", &r.value.lead_state),
                ] {
                    if let Some(v) = v {
                        check(
                            file,
                            r.line,
                            col,
                            PROGRAMME_COLUMNS,
                            &ids.actors,
                            "actor",
                            v,
                        );
                    }
                }
            }
        }
        if let Some((file, rows)) = &self.actors {
            for r in rows {
                if let Some(c) = &r.value.country {
                    check(
                        file,
                        r.line,
                        "country",
                        ACTOR_COLUMNS,
                        &ids.actors,
                        "actor",
                        c,
                    );
                }
            }
        }
        if let Some((file, rows)) = &self.memberships {
            for r in rows {
                check(
                    file,
                    r.line,
                    "institution",
                    MEMBER_COLUMNS,
                    &ids.institutions,
                    "institution",
                    &r.value.institution,
                );
                check(
                    file,
                    r.line,
                    "actor",
                    MEMBER_COLUMNS,
                    &ids.actors,
                    "actor",
                    &r.value.actor,
                );
            }
        }
        if let Some((file, rows)) = &self.events {
            for r in rows {
                let e = &r.value;
                check(
                    file,
                    r.line,
                    "programme",
                    EVENT_COLUMNS,
                    &ids.programmes,
                    "programme",
                    &e.programme,
                );
                for p in &e.parties {
                    check(
                        file,
                        r.line,
                        "parties",
                        EVENT_COLUMNS,
                        &ids.actors,
                        "actor",
                        &p.actor,
                    );
                }
                for i in &e.institutions {
                    check(
                        file,
                        r.line,
                        "institutions",
                        EVENT_COLUMNS,
                        &ids.institutions,
                        "institution",
                        i,
                    );
                }
                for s in &e.sources {
                    check(
                        file,
                        r.line,
                        "sources",
                        EVENT_COLUMNS,
                        &ids.sources,
                        "source",
                        &s.source,
                    );
                }
            }
        }
        problems
    }

    /// The records, without their locations.
    pub fn into_dataset(self) -> Dataset {
        fn values<T>(t: Option<(String, Vec<Located<T>>)>) -> Vec<T> {
            t.map(|(_, rows)| rows.into_iter().map(|r| r.value).collect())
                .unwrap_or_default()
        }
        Dataset {
            programmes: values(self.programmes),
            actors: values(self.actors),
            institutions: values(self.institutions),
            memberships: values(self.memberships),
            sources: values(self.sources),
            events: values(self.events),
        }
    }
}

/// Reads and validates a set of CSV tables (each named, with its kind) into a dataset whose
/// references must resolve within itself or `known`. Every problem is reported at once.
pub fn read_tables(files: &[(&str, &[u8], TableKind)], known: &KnownIds) -> crate::Result<Dataset> {
    let mut problems = Vec::new();
    let mut bundle = Bundle::default();
    for (file, bytes, kind) in files {
        bundle.read_csv(file, bytes, *kind, &mut problems);
    }
    problems.extend(bundle.validate(known));
    if problems.is_empty() {
        Ok(bundle.into_dataset())
    } else {
        Err(crate::Error::Invalid(problems))
    }
}

/// Ids that references may point at, beyond those in the bundle itself.
#[derive(Debug, Clone, Default)]
pub struct KnownIds {
    pub programmes: HashSet<String>,
    pub actors: HashSet<String>,
    pub institutions: HashSet<String>,
    pub sources: HashSet<String>,
}
