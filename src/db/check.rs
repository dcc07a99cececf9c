//! `spacedip check`: every problem a database can hold, each with where it is. SQLite's own
//! checks (integrity, foreign keys), then what SQL constraints cannot see: vocabularies and
//! dates that do not parse, life-cycle links that dangle, run backwards or loop, membership
//! bounds out of order, dates in the future, events without a source.

use std::collections::HashMap;

use rusqlite::types::Value;
use serde::Serialize;

use super::Db;
use crate::domain::{
    ActorKind, Certainty, Channel, InstitutionKind, IssueArea, Kind, PartialDate, Role, Scope,
    SourceType, Valence,
};
use crate::error::Result;
use crate::import::validate::on_cycles;

/// One problem: the table, the record's key and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub table: String,
    pub id: String,
    pub problem: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A finding about a whole table (the file's integrity, the tally) has no key to name.
        if self.id == "-" {
            write!(f, "{}: {}", self.table, self.problem)
        } else {
            write!(f, "{} {}: {}", self.table, self.id, self.problem)
        }
    }
}

/// A column whose values must all parse as one vocabulary or as partial dates.
struct Column {
    table: &'static str,
    key: &'static str,
    column: &'static str,
    parse: fn(&str) -> std::result::Result<(), String>,
}

fn vocab<T: std::str::FromStr>(s: &str) -> std::result::Result<(), String>
where
    T::Err: std::fmt::Display,
{
    s.parse::<T>().map(|_| ()).map_err(|e| e.to_string())
}

fn date(s: &str) -> std::result::Result<(), String> {
    s.parse::<PartialDate>()
        .map(|_| ())
        .map_err(|e| e.to_string())
}

const KEY_MEMBER: &str = "institution_id || '/' || actor_id";
const KEY_LINK: &str = "event_id || '/' || coalesce(actor_id, '')";

const COLUMNS: &[Column] = &[
    Column {
        table: "event",
        key: "id",
        column: "kind",
        parse: vocab::<Kind>,
    },
    Column {
        table: "event",
        key: "id",
        column: "channel",
        parse: vocab::<Channel>,
    },
    Column {
        table: "event",
        key: "id",
        column: "valence",
        parse: vocab::<Valence>,
    },
    Column {
        table: "event",
        key: "id",
        column: "date_start",
        parse: date,
    },
    Column {
        table: "event",
        key: "id",
        column: "date_end",
        parse: date,
    },
    Column {
        table: "event_actor",
        key: KEY_LINK,
        column: "role",
        parse: vocab::<Role>,
    },
    Column {
        table: "event_actor",
        key: KEY_LINK,
        column: "certainty",
        parse: vocab::<Certainty>,
    },
    Column {
        table: "actor",
        key: "id",
        column: "kind",
        parse: vocab::<ActorKind>,
    },
    Column {
        table: "programme",
        key: "id",
        column: "issue_area",
        parse: vocab::<IssueArea>,
    },
    Column {
        table: "institution",
        key: "id",
        column: "kind",
        parse: vocab::<InstitutionKind>,
    },
    Column {
        table: "institution",
        key: "id",
        column: "scope",
        parse: vocab::<Scope>,
    },
    Column {
        table: "institution",
        key: "id",
        column: "in_force",
        parse: date,
    },
    Column {
        table: "institution",
        key: "id",
        column: "ended",
        parse: date,
    },
    Column {
        table: "institution_member",
        key: KEY_MEMBER,
        column: "joined",
        parse: date,
    },
    Column {
        table: "institution_member",
        key: KEY_MEMBER,
        column: "joined_latest",
        parse: date,
    },
    Column {
        table: "institution_member",
        key: KEY_MEMBER,
        column: "left_on",
        parse: date,
    },
    Column {
        table: "source",
        key: "id",
        column: "type",
        parse: vocab::<SourceType>,
    },
    Column {
        table: "source",
        key: "id",
        column: "issued",
        parse: date,
    },
];

/// Rules over several columns, in SQL: (table, key, condition selecting the bad rows, problem).
const RULES: &[(&str, &str, &str, &str)] = &[
    (
        "event",
        "e.id",
        "e.follows IS NOT NULL AND NOT EXISTS (SELECT 1 FROM event f WHERE f.id = e.follows)",
        "follows an event that does not exist",
    ),
    (
        "event",
        "e.id",
        "e.follows IS NOT NULL AND EXISTS (SELECT 1 FROM event f WHERE f.id = e.follows \
         AND e.day_hi < f.day_lo)",
        "follows an event dated after it",
    ),
    (
        "event",
        "e.id",
        "NOT EXISTS (SELECT 1 FROM event_source s WHERE s.event_id = e.id)",
        "has no source",
    ),
    (
        "event",
        "e.id",
        "e.day_lo > date('now')",
        "is dated in the future",
    ),
];

impl Db {
    /// Every problem of the database (empty when it is sound).
    pub fn check(&self) -> Result<Vec<Finding>> {
        let mut out = Vec::new();
        let mut push = |table: &str, id: String, problem: String| {
            out.push(Finding {
                table: table.to_string(),
                id,
                problem,
            })
        };
        let c = &self.conn;
        // A damaged file: say what SQLite sees (one finding a line, at most 100) and stop, for
        // the checks below would only fail on the same damage.
        let mut st = c.prepare("PRAGMA integrity_check(100)")?;
        let mut damaged = false;
        let mut rows = st.query_map([], |r| r.get::<_, String>(0))?;
        loop {
            // SQLite may give up part way through a damaged file, after the findings it
            // could make: the failure is the last finding, not the end of the report.
            let (row, last) = match rows.next() {
                None => break,
                Some(Ok(row)) => (row, false),
                Some(Err(e)) => (e.to_string(), true),
            };
            for line in row.lines().filter(|l| *l != "ok" && !l.trim().is_empty()) {
                damaged = true;
                push(
                    "database",
                    "-".into(),
                    format!("integrity: {}", line.trim()),
                );
            }
            if last {
                break;
            }
        }
        if damaged {
            return Ok(out);
        }
        let mut st = c.prepare("PRAGMA foreign_key_check")?;
        for row in st.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, String>(2)?,
            ))
        })? {
            let (table, rowid, parent) = row?;
            push(
                &table,
                format!("row {}", rowid.unwrap_or(0)),
                format!("refers to a missing {parent}"),
            );
        }
        for col in COLUMNS {
            let sql = format!(
                "SELECT {}, {} FROM {} WHERE {} IS NOT NULL ORDER BY 1",
                col.key, col.column, col.table, col.column
            );
            let mut st = c.prepare(&sql)?;
            let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Value>(1)?)))?;
            for row in rows {
                let (id, value) = row?;
                let text = match value {
                    Value::Text(t) => t,
                    other => format!("{other:?}"),
                };
                if let Err(e) = (col.parse)(&text) {
                    push(col.table, id, format!("{}: {e}", col.column));
                }
            }
        }
        for (table, key, condition, problem) in RULES {
            let sql = format!("SELECT {key} FROM event e WHERE {condition} ORDER BY 1");
            let mut st = c.prepare(&sql)?;
            for id in st.query_map([], |r| r.get::<_, String>(0))? {
                push(table, id?, problem.to_string());
            }
        }
        self.check_cycles(&mut push)?;
        self.check_memberships(&mut push)?;
        // The tally is counted again from the events, which can be read only when sound.
        if out.is_empty() {
            if let Some(problem) = self.tally_problem()? {
                out.push(Finding {
                    table: "tally".into(),
                    id: "-".into(),
                    problem,
                });
            }
        }
        if let Some(problem) = self.search_index_problem()? {
            out.push(Finding {
                table: "search_token".into(),
                id: "-".into(),
                problem,
            });
        }
        Ok(out)
    }

    /// `follows` chains that come back to where they started.
    fn check_cycles(&self, push: &mut impl FnMut(&str, String, String)) -> Result<()> {
        let mut st = self
            .conn
            .prepare("SELECT id, follows FROM event WHERE follows IS NOT NULL")?;
        let links: HashMap<String, String> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        // Each event walked once (a chain of 200,000 events, walked from each, took minutes).
        let mut cyclic: Vec<String> = on_cycles(links.keys().map(String::as_str), |id| {
            links.get(id).cloned()
        })
        .into_iter()
        .collect();
        cyclic.sort();
        for id in cyclic {
            push("event", id, "its follows links form a cycle".into());
        }
        Ok(())
    }

    /// Membership dates out of order: bounds crossed, left before joined.
    fn check_memberships(&self, push: &mut impl FnMut(&str, String, String)) -> Result<()> {
        let mut st = self.conn.prepare(
            "SELECT institution_id || '/' || actor_id, joined, joined_latest, left_on
             FROM institution_member ORDER BY 1",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        for row in rows {
            let (id, joined, latest, left) = row?;
            let d = |s: &Option<String>| s.as_deref().and_then(|s| s.parse::<PartialDate>().ok());
            let (joined, latest, left) = (d(&joined), d(&latest), d(&left));
            if let (Some(lo), Some(hi)) = (joined, latest) {
                if hi.last_day() < lo.first_day() {
                    push(
                        "institution_member",
                        id.clone(),
                        format!("joined_latest {hi} is before joined {lo}"),
                    );
                }
            }
            if latest.is_some() && joined.is_none() {
                push(
                    "institution_member",
                    id.clone(),
                    "joined_latest without joined (the earliest bound)".into(),
                );
            }
            if let (Some(from), Some(to)) = (latest.or(joined), left) {
                if to.last_day() < from.first_day() {
                    push(
                        "institution_member",
                        id.clone(),
                        format!("left {to} before it joined ({from})"),
                    );
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_is_sound() {
        let db = Db::open_seeded_in_memory().unwrap();
        assert_eq!(db.check().unwrap(), vec![]);
    }

    #[test]
    fn problems_the_constraints_cannot_see_are_found() {
        let db = Db::open_seeded_in_memory().unwrap();
        db.conn
            .execute_batch(
                "UPDATE event SET follows = 'NOPE' WHERE id = 'CSS-21';
                 UPDATE event SET follows = 'CTX-01b' WHERE id = 'CTX-01';
                 DELETE FROM event_source WHERE event_id = 'CSS-20';
                 UPDATE institution_member SET joined = '2026', joined_latest = '2025'
                    WHERE institution_id = 'ILRS' AND actor_id = 'DJI';",
            )
            .unwrap();
        let got: Vec<String> = db.check().unwrap().iter().map(|f| f.to_string()).collect();
        assert!(got.contains(&"event CSS-21: follows an event that does not exist".to_string()));
        assert!(got.contains(&"event CSS-20: has no source".to_string()));
        assert!(got.contains(&"event CTX-01: its follows links form a cycle".to_string()));
        assert!(got.contains(&"event CTX-01: follows an event dated after it".to_string()));
        assert!(
            got.iter().any(|g| g.starts_with(
                "institution_member ILRS/DJI: joined_latest 2025 is before joined 2026"
            )),
            "{got:?}"
        );
    }
}
