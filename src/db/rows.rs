//! Reading rows into domain values: the event columns and the one SELECT that reads them,
//! the SQL condition every event query shares ([`Where`]), and the conversion of stored text
//! (dates, vocabularies) that SQLite reports as a conversion failure when it does not parse.

use rusqlite::types::Value;
use rusqlite::{params_from_iter, Row};

use super::Db;
use crate::domain::{Event, PartialDate};
use crate::error::Result;

/// A SQL condition over `event e` with its parameters, built from a filter. Shared by the
/// event query and the facet counts, so that both select the same events.
pub(super) struct Where {
    pub(super) sql: String,
    pub(super) params: Vec<Value>,
}

/// How much of each event to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Parts {
    /// Everything.
    Whole,
    /// What the measures read: the coded fields, dates, parties and institutions; titles,
    /// summaries and notes are left empty and sources out (most of an event's bytes).
    Coded,
}

/// The event columns [`event_from_row`] reads, in its order.
pub(super) const EVENT_COLUMNS: &str =
    "e.id, e.date_start, e.date_end, e.programme_id, e.kind, e.channel, \
    e.title, e.summary, e.notes, e.valence, e.venue, e.follows";

impl Db {
    /// The events `w` selects whose row ids are `wanted`, in table order, each with its row
    /// id; their links are left empty (see `Db::attach_links`). Rows not wanted are skipped
    /// unread.
    pub(super) fn select_events(
        &self,
        w: &Where,
        parts: Parts,
        wanted: impl Fn(i64) -> bool,
    ) -> Result<Vec<(i64, Event)>> {
        let columns = match parts {
            Parts::Whole => EVENT_COLUMNS.to_string(),
            Parts::Coded => EVENT_COLUMNS
                .replace("e.title", "''")
                .replace("e.summary", "''")
                .replace("e.notes", "''"),
        };
        let sql = format!("SELECT e.rowid, {columns} FROM event e WHERE {}", w.sql);
        let mut st = self.conn.prepare(&sql)?;
        let mut rows = st.query(params_from_iter(w.params.iter()))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let key: i64 = r.get(0)?;
            if wanted(key) {
                out.push((key, event_from_row(r, 1)?));
            }
        }
        Ok(out)
    }
}

/// An event from `EVENT_COLUMNS` starting at column `at`, without its links.
fn event_from_row(r: &Row<'_>, at: usize) -> rusqlite::Result<Event> {
    event_from_texts(&event_texts(r, at)?)
}

/// How many columns `EVENT_COLUMNS` names.
pub(super) const EVENT_COLUMN_COUNT: usize = 12;

/// The texts of `EVENT_COLUMNS` starting at column `at`, borrowed from the row (NULL as
/// `None`).
pub(super) fn event_texts<'r>(
    r: &'r Row<'_>,
    at: usize,
) -> rusqlite::Result<[Option<&'r str>; EVENT_COLUMN_COUNT]> {
    let mut texts = [None; EVENT_COLUMN_COUNT];
    for (i, text) in texts.iter_mut().enumerate() {
        *text = r.get_ref(at + i)?.as_str_or_null()?;
    }
    Ok(texts)
}

/// An event from the texts of `EVENT_COLUMNS`, in their order, without its links.
pub(super) fn event_from_texts(t: &[Option<&str>; EVENT_COLUMN_COUNT]) -> rusqlite::Result<Event> {
    // A NULL where the schema has NOT NULL: named as a typed read of the row would name it.
    let text = |i: usize| {
        t[i].ok_or_else(|| {
            let name = EVENT_COLUMNS.split(", ").nth(i).unwrap_or_default();
            let name = name.trim_start_matches("e.");
            rusqlite::Error::InvalidColumnType(i, name.into(), rusqlite::types::Type::Null)
        })
    };
    let owned = |i: usize| t[i].map(str::to_string);
    Ok(Event {
        id: text(0)?.to_string(),
        date: parse_vocab_ref(text(1)?)?,
        end_date: t[2].map(parse_vocab_ref).transpose()?,
        programme: text(3)?.to_string(),
        kind: parse_vocab_ref(text(4)?)?,
        channel: parse_vocab_ref(text(5)?)?,
        valence: parse_vocab_ref(text(9)?)?,
        venue: owned(10),
        follows: owned(11),
        title: text(6)?.to_string(),
        summary: text(7)?.to_string(),
        notes: text(8)?.to_string(),
        parties: Vec::new(),
        institutions: Vec::new(),
        sources: Vec::new(),
    })
}

impl Where {
    /// The events both clauses select (their `?` parameters in order).
    pub(super) fn and(&self, other: Where) -> Where {
        let mut params = self.params.clone();
        params.extend(other.params);
        Where {
            sql: format!("({}) AND ({})", self.sql, other.sql),
            params,
        }
    }
}

/// The events with these row ids, as a WHERE clause.
pub(super) fn by_keys(keys: &[i64]) -> Result<Where> {
    Ok(Where {
        sql: "e.rowid IN (SELECT value FROM json_each(?))".to_string(),
        params: vec![Value::Text(serde_json::to_string(keys)?)],
    })
}

pub(super) fn parse_date(s: String) -> rusqlite::Result<PartialDate> {
    s.parse().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

pub(super) fn parse_vocab<T: std::str::FromStr>(s: String) -> rusqlite::Result<T>
where
    T::Err: std::error::Error + Send + Sync + 'static,
{
    s.parse().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// [`parse_vocab`] of a value read in place: a scan of a million rows allocates no `String`
/// per coded field.
pub(super) fn parse_vocab_ref<T: std::str::FromStr>(s: &str) -> rusqlite::Result<T>
where
    T::Err: std::error::Error + Send + Sync + 'static,
{
    s.parse().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

pub(super) fn opt_date(s: Option<String>) -> rusqlite::Result<Option<PartialDate>> {
    s.map(parse_date).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The count the readers size their arrays by is the number of columns read.
    #[test]
    fn the_column_count_is_that_of_the_columns() {
        assert_eq!(EVENT_COLUMNS.split(", ").count(), EVENT_COLUMN_COUNT);
    }
}
