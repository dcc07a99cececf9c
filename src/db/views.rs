//! Saved views: named filters (with sort and search) stored in the database, so they travel
//! with the data.

use chrono::Utc;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::history::timestamp;
use super::Db;
use crate::domain::Filter;
use crate::error::{Error, Result};

/// A named, stored filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavedView {
    pub name: String,
    pub filter: Filter,
    /// UTC, RFC 3339.
    pub created: String,
    pub updated: String,
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
            crate::text::inert(name)
        )));
    }
    Ok(())
}

fn parse_view(name: String, json: String, created: String, updated: String) -> Result<SavedView> {
    let filter = serde_json::from_str(&json).map_err(|e| {
        Error::Refused(format!(
            "saved view '{name}' cannot be read ({e}); it may come from a newer spacedip"
        ))
    })?;
    Ok(SavedView {
        name,
        filter,
        created,
        updated,
    })
}

impl Db {
    /// Saves `filter` under `name`, replacing a view of that name. Returns true if replaced.
    pub fn save_view(&mut self, name: &str, filter: &Filter) -> Result<bool> {
        check_view_name(name)?;
        self.ready_to_write()?;
        let json = serde_json::to_string(filter)?;
        let now = timestamp(Utc::now());
        let existed = self.view(name)?.is_some();
        self.conn.execute(
            "INSERT INTO view (name, filter, created, updated) VALUES (?1, ?2, ?3, ?3)
             ON CONFLICT (name) DO UPDATE SET filter = excluded.filter,
                 updated = excluded.updated",
            params![name, json, now],
        )?;
        Ok(existed)
    }

    /// Every saved view, by name.
    pub fn views(&self) -> Result<Vec<SavedView>> {
        let rows = self
            .conn
            .prepare("SELECT name, filter, created, updated FROM view ORDER BY name")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<Vec<(String, String, String, String)>>>()?;
        rows.into_iter()
            .map(|(n, f, c, u)| parse_view(n, f, c, u))
            .collect()
    }

    /// One saved view by name.
    pub fn view(&self, name: &str) -> Result<Option<SavedView>> {
        let row = self
            .conn
            .query_row(
                "SELECT name, filter, created, updated FROM view WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        row.map(|(n, f, c, u)| parse_view(n, f, c, u)).transpose()
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
