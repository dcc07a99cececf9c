//! Saved views: named filters (with sort and search) stored in the database, so they travel
//! with the data.
//!
//! A view is stored in a versioned form of its own ([`StoredView`]), not as the `Filter` it
//! holds: a view saved by a newer spacedip, or one this build cannot parse, is refused by
//! name, never read with its unknown fields dropped, and it does not stop the other views
//! from being listed.

use chrono::Utc;
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use super::history::timestamp;
use super::Db;
use crate::domain::{
    ChannelFilter, Column, Filter, Kind, PartialDate, SortKey, SortOrder, Valence,
};
use crate::error::{Error, Result, ViewError};
use crate::text::inert;

/// The newest format of a stored view this build reads. Views saved before formats were
/// numbered are format 1 (migration 5 marks them so); format 2 adds the table's columns, and
/// a view without chosen columns is still written as format 1, so that older builds read it.
const VIEW_FORMAT: u32 = 2;

/// A named, stored filter that this build can read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavedView {
    pub name: String,
    pub filter: Filter,
    /// The table's columns in the order chosen; empty leaves them to the terminal's width.
    pub columns: Vec<Column>,
    /// UTC, RFC 3339.
    pub created: String,
    pub updated: String,
}

/// A view as the database stores it: the filter's fields, the chosen columns (format 2) and
/// the format's number. Fields it does not know are refused; fields it lacks take the filter's defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredView {
    version: u32,
    #[serde(default)]
    programmes: Vec<String>,
    #[serde(default)]
    channels: Vec<ChannelFilter>,
    #[serde(default)]
    kinds: Vec<Kind>,
    #[serde(default)]
    valences: Vec<Valence>,
    #[serde(default)]
    actors: Vec<String>,
    #[serde(default)]
    since: Option<PartialDate>,
    #[serde(default)]
    until: Option<PartialDate>,
    #[serde(default)]
    search: Option<String>,
    #[serde(default)]
    sort: SortKey,
    #[serde(default)]
    order: SortOrder,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    columns: Vec<Column>,
}

impl StoredView {
    fn new(f: &Filter, columns: &[Column]) -> Self {
        StoredView {
            version: if columns.is_empty() { 1 } else { 2 },
            programmes: f.programmes.clone(),
            channels: f.channels.clone(),
            kinds: f.kinds.clone(),
            valences: f.valences.clone(),
            actors: f.actors.clone(),
            since: f.since,
            until: f.until,
            search: f.search.clone(),
            sort: f.sort,
            order: f.order,
            columns: columns.to_vec(),
        }
    }

    /// The filter the view stores (its columns taken apart first).
    fn into_filter(self) -> Filter {
        Filter {
            programmes: self.programmes,
            channels: self.channels,
            kinds: self.kinds,
            valences: self.valences,
            actors: self.actors,
            since: self.since,
            until: self.until,
            search: self.search,
            sort: self.sort,
            order: self.order,
        }
    }
}

/// The filter and columns of the view `name` stored as `json`: its format read first, so that
/// a newer view is told as such rather than as a field this build does not know.
fn read_filter(name: &str, json: &str) -> std::result::Result<(Filter, Vec<Column>), ViewError> {
    #[derive(Deserialize)]
    struct Format {
        version: Option<u32>,
    }
    let unreadable = |reason: String| ViewError::Unreadable {
        name: name.to_string(),
        reason,
    };
    let format: Format = serde_json::from_str(json).map_err(|e| unreadable(e.to_string()))?;
    match format.version {
        None => return Err(unreadable("it has no format version".into())),
        Some(found) if found > VIEW_FORMAT => {
            return Err(ViewError::TooNew {
                name: name.to_string(),
                found,
                known: VIEW_FORMAT,
            })
        }
        Some(0) => return Err(unreadable("format 0 does not exist".into())),
        Some(_) => {}
    }
    let mut stored: StoredView =
        serde_json::from_str(json).map_err(|e| unreadable(e.to_string()))?;
    let columns = std::mem::take(&mut stored.columns);
    Ok((stored.into_filter(), columns))
}

/// Refuses names that would be awkward to type or show: empty, padded, over 64 characters, or
/// holding control characters.
pub fn check_view_name(name: &str) -> Result<()> {
    if name.trim().is_empty()
        || name.trim() != name
        || name.chars().count() > 64
        || name.chars().any(char::is_control)
    {
        return Err(Error::Usage(format!(
            "'{}' is not a usable view name (1 to 64 characters, no surrounding spaces or \
             control characters)",
            inert(name)
        )));
    }
    Ok(())
}

/// The columns [`view_from_row`] reads.
const COLUMNS: &str = "name, filter, created, updated";

fn view_from_row(r: &Row<'_>) -> rusqlite::Result<std::result::Result<SavedView, ViewError>> {
    let (name, json, created, updated): (String, String, String, String) =
        (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
    Ok(
        read_filter(&name, &json).map(|(filter, columns)| SavedView {
            name,
            filter,
            columns,
            created,
            updated,
        }),
    )
}

impl Db {
    /// Saves `filter` under `name`, replacing a view of that name (readable or not). Returns
    /// true if replaced.
    pub fn save_view(&mut self, name: &str, filter: &Filter) -> Result<bool> {
        self.save_view_with(name, filter, &[])
    }

    /// Saves `filter` and the table's `columns` (empty: left to the width) under `name`.
    pub fn save_view_with(
        &mut self,
        name: &str,
        filter: &Filter,
        columns: &[Column],
    ) -> Result<bool> {
        check_view_name(name)?;
        self.ready_to_write()?;
        let json = serde_json::to_string(&StoredView::new(filter, columns))?;
        let now = timestamp(Utc::now());
        let existed: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM view WHERE name = ?1)",
            [name],
            |r| r.get(0),
        )?;
        self.conn.execute(
            "INSERT INTO view (name, filter, created, updated) VALUES (?1, ?2, ?3, ?3)
             ON CONFLICT (name) DO UPDATE SET filter = excluded.filter,
                 updated = excluded.updated",
            params![name, json, now],
        )?;
        Ok(existed)
    }

    /// Every saved view, by name, each read on its own: one that cannot be read is an error
    /// naming it, and the others are there all the same.
    pub fn views(&self) -> Result<Vec<std::result::Result<SavedView, ViewError>>> {
        let views = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM view ORDER BY name"))?
            .query_map([], view_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(views)
    }

    /// The names of every saved view, readable or not.
    pub fn view_names(&self) -> Result<Vec<String>> {
        let names = self
            .conn
            .prepare("SELECT name FROM view ORDER BY name")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(names)
    }

    /// The saved view `name`, or a usage error naming the views there are (the CLI's
    /// `--view` and the browser's start both say it this way).
    pub fn saved_view(&self, name: &str) -> Result<SavedView> {
        if let Some(v) = self.view(name)? {
            return Ok(v);
        }
        let names: Vec<String> = self.view_names()?.iter().map(|n| inert(n)).collect();
        let known = if names.is_empty() {
            "no views are saved yet: S in the browser or `spacedip list … --save-view NAME` \
             saves one"
                .to_string()
        } else {
            format!("saved views: {}", names.join(", "))
        };
        Err(Error::Usage(format!(
            "unknown view '{}' ({known})",
            inert(name)
        )))
    }

    /// One saved view by name; an error naming it when it cannot be read.
    pub fn view(&self, name: &str) -> Result<Option<SavedView>> {
        let view = self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM view WHERE name = ?1"),
                [name],
                view_from_row,
            )
            .optional()?;
        Ok(view.transpose()?)
    }

    /// Deletes a saved view. Returns false if there was none of that name.
    pub fn delete_view(&mut self, name: &str) -> Result<bool> {
        self.ready_to_write()?;
        Ok(self
            .conn
            .execute("DELETE FROM view WHERE name = ?1", [name])?
            > 0)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use rusqlite::Connection;

    use super::*;
    use crate::db::migrate;

    fn everything() -> Filter {
        Filter {
            programmes: vec!["ILRS".into()],
            channels: vec![ChannelFilter::Bilateral],
            kinds: vec![Kind::Mou],
            valences: vec![Valence::Refusal],
            actors: vec!["PAK".into()],
            since: Some("2021".parse().unwrap()),
            until: Some("2023-05".parse().unwrap()),
            search: Some("moon base".into()),
            sort: SortKey::Title,
            order: SortOrder::Desc,
        }
    }

    /// Stores `json` as the view `name`, as another build might have.
    fn store(db: &Db, name: &str, json: &str) {
        db.conn
            .execute(
                "INSERT INTO view (name, filter, created, updated) VALUES (?1, ?2, 'c', 'u')",
                params![name, json],
            )
            .unwrap();
    }

    #[test]
    fn a_view_round_trips_through_its_stored_form() {
        let mut db = Db::open_in_memory().unwrap();
        assert!(!db.save_view("all of it", &everything()).unwrap());
        let json: String = db
            .conn
            .query_row("SELECT filter FROM view", [], |r| r.get(0))
            .unwrap();
        assert!(json.starts_with(r#"{"version":1,"#), "{json}");
        assert_eq!(db.view("all of it").unwrap().unwrap().filter, everything());
        assert!(db.save_view("all of it", &Filter::default()).unwrap());
        let back = db.view("all of it").unwrap().unwrap();
        assert_eq!(back.filter, Filter::default());
        assert_eq!(db.view("none").unwrap(), None);
    }

    #[test]
    fn a_view_with_a_field_this_build_does_not_know_is_refused_by_name() {
        let db = Db::open_in_memory().unwrap();
        store(
            &db,
            "odd",
            r#"{"version":1,"programmes":["ILRS"],"planets":["mars"]}"#,
        );
        let err = db.view("odd").unwrap_err();
        assert!(!err.is_usage());
        let text = err.to_string();
        assert!(
            text.starts_with("view 'odd' cannot be read: unknown field `planets`"),
            "{text}"
        );
        store(&db, "picnic", r#"{"version":1,"kinds":["picnic"]}"#);
        let text = db.view("picnic").unwrap_err().to_string();
        assert!(
            text.starts_with("view 'picnic' cannot be read: unknown kind 'picnic'"),
            "{text}"
        );
        store(&db, "bare", r#"{"programmes":["ILRS"]}"#);
        assert_eq!(
            db.view("bare").unwrap_err().to_string(),
            "view 'bare' cannot be read: it has no format version"
        );
    }

    #[test]
    fn a_view_of_a_newer_format_is_refused_by_name() {
        let db = Db::open_in_memory().unwrap();
        store(&db, "future", r#"{"version":3,"planets":["mars"]}"#);
        assert_eq!(
            db.view("future").unwrap_err().to_string(),
            "view 'future' was saved by a newer spacedip (format 3; this one reads up to 2)"
        );
    }

    #[test]
    fn chosen_columns_travel_with_the_view_as_format_2() {
        let mut db = Db::open_in_memory().unwrap();
        let columns = [Column::Id, Column::Title, Column::Date];
        db.save_view_with("cols", &everything(), &columns).unwrap();
        let json: String = db
            .conn
            .query_row("SELECT filter FROM view", [], |r| r.get(0))
            .unwrap();
        assert!(json.starts_with(r#"{"version":2,"#), "{json}");
        assert!(
            json.ends_with(r#""columns":["id","title","date"]}"#),
            "{json}"
        );
        let back = db.view("cols").unwrap().unwrap();
        assert_eq!(
            (back.filter, back.columns),
            (everything(), columns.to_vec())
        );
        // A format 1 view (none chosen) reads with no columns.
        store(&db, "old", r#"{"version":1,"search":"moon"}"#);
        assert!(db.view("old").unwrap().unwrap().columns.is_empty());
        // A column this build does not know is refused by name.
        store(&db, "odd", r#"{"version":2,"columns":["colour"]}"#);
        let text = db.view("odd").unwrap_err().to_string();
        assert!(
            text.starts_with("view 'odd' cannot be read: unknown column 'colour'"),
            "{text}"
        );
    }

    #[test]
    fn one_unreadable_view_leaves_the_others_listed() {
        let mut db = Db::open_in_memory().unwrap();
        db.save_view("a", &everything()).unwrap();
        store(&db, "b", r#"{"version":9}"#);
        db.save_view("c", &Filter::default()).unwrap();
        let views = db.views().unwrap();
        assert_eq!(views.len(), 3);
        assert_eq!(views[0].as_ref().unwrap().filter, everything());
        let bad = views[1].as_ref().unwrap_err();
        assert_eq!(bad.name(), "b");
        assert!(matches!(bad, ViewError::TooNew { found: 9, .. }), "{bad}");
        assert_eq!(views[2].as_ref().unwrap().name, "c");
        assert_eq!(db.view_names().unwrap(), ["a", "b", "c"]);
        // Saving over an unreadable view replaces it.
        assert!(db.save_view("b", &everything()).unwrap());
        assert!(db.views().unwrap().iter().all(std::result::Result::is_ok));
    }

    #[test]
    fn views_saved_before_formats_were_numbered_read_as_format_1() {
        // A database of schema version 4, its views stored as the filter's own JSON.
        let mut conn = Connection::open_in_memory().unwrap();
        for (i, sql) in migrate::migrations().iter().take(4).enumerate() {
            conn.execute_batch(sql).unwrap();
            conn.pragma_update(None, "user_version", i as i64 + 1)
                .unwrap();
        }
        let legacy = serde_json::to_string(&everything()).unwrap();
        assert!(!legacy.contains("version"), "{legacy}");
        for (name, json) in [("old", legacy.as_str()), ("empty", "{}")] {
            conn.execute(
                "INSERT INTO view (name, filter, created, updated) VALUES (?1, ?2, 'c', 'u')",
                params![name, json],
            )
            .unwrap();
        }
        migrate::migrate(&mut conn, Path::new(":memory:")).unwrap();
        let db = Db {
            conn,
            path: None,
            read_only: None,
            checked: false,
        };
        assert_eq!(db.view("old").unwrap().unwrap().filter, everything());
        assert_eq!(db.view("empty").unwrap().unwrap().filter, Filter::default());
    }
}
