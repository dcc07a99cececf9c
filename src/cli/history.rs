//! `spacedip history`, `restore`, `delete` and `undo`: the record of changes and the ways back.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use clap::Args;

use super::args::OutputFormat;
use crate::db::{Change, Db, Operation};
use crate::error::{Error, Result};
use crate::text::inert;

/// Arguments of `spacedip history`.
#[derive(Debug, Clone, Args)]
pub struct HistoryArgs {
    /// Only the changes of this event.
    pub id: Option<String>,
    /// Show the latest N changes.
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub limit: usize,
    /// Show every change.
    #[arg(long, conflicts_with = "limit")]
    pub all: bool,
    #[arg(long, value_enum, default_value_t = OutputFormat::Table, ignore_case = true)]
    pub format: OutputFormat,
}

/// Arguments of `spacedip restore`.
#[derive(Debug, Clone, Args)]
pub struct RestoreArgs {
    /// The event to bring back.
    #[arg(required_unless_present = "change")]
    pub id: Option<String>,
    /// The state as of this time: RFC 3339 (2026-05-01T12:00:00Z), a UTC date and time
    /// (2026-05-01T12:00:00) or a date (2026-05-01 = the end of that day, UTC). Without it,
    /// the state before the latest deletion or overwrite.
    #[arg(long, value_name = "TIME", value_parser = parse_time, conflicts_with = "change")]
    pub at: Option<DateTime<Utc>>,
    /// Restore the state before this change (a CHANGE number of `spacedip history`).
    #[arg(long, value_name = "CHANGE", conflicts_with = "id")]
    pub change: Option<i64>,
}

/// Arguments of `spacedip undo`.
#[derive(Debug, Clone, Args)]
pub struct UndoArgs {
    /// The batch to undo (the BATCH column of `spacedip history`); default: the latest change
    /// not yet undone.
    #[arg(long, value_name = "BATCH")]
    pub batch: Option<i64>,
}

/// Reads a `--at` time.
pub fn parse_time(s: &str) -> std::result::Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
        return Ok(t.and_utc());
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        if let Some(end) = d.and_hms_micro_opt(23, 59, 59, 999_999) {
            return Ok(end.and_utc());
        }
    }
    Err(format!(
        "'{s}' is not a time: use RFC 3339 (2026-05-01T12:00:00Z), 2026-05-01T12:00:00 (UTC) \
         or a date"
    ))
}

/// What a change did, in a few words: the fields an update touched.
pub fn describe(c: &Change) -> String {
    let fields = || -> String {
        let (Some(b), Some(a)) = (&c.before, &c.after) else {
            return String::new();
        };
        let (Ok(serde_json::Value::Object(b)), Ok(serde_json::Value::Object(a))) =
            (serde_json::to_value(b), serde_json::to_value(a))
        else {
            return String::new();
        };
        a.iter()
            .filter(|(k, v)| b.get(*k) != Some(*v))
            .map(|(k, _)| k.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let what = match (&c.before, &c.after) {
        (None, Some(_)) if c.operation == Operation::Restore => "restored".to_string(),
        (None, Some(_)) => "added".to_string(),
        (Some(_), None) => "deleted".to_string(),
        _ => format!("changed {}", fields()),
    };
    match (c.operation, c.undoes) {
        (Operation::Undo, Some(b)) => format!("{what} (undo of batch {b})"),
        _ => what,
    }
}

/// Runs `spacedip history`.
pub fn history(db_path: &Path, args: &HistoryArgs, out: &mut dyn Write) -> Result<()> {
    let db = Db::open(db_path)?;
    let limit = (!args.all).then_some(args.limit);
    let changes = db.history_tail(args.id.as_deref(), limit)?;
    if let Some(id) = &args.id {
        if changes.is_empty() && db.event(id)?.is_none() {
            return Err(Error::NotFound {
                what: "event or change history",
                id: id.clone(),
            });
        }
    }
    match args.format {
        OutputFormat::Json => {
            crate::export::json_out::pretty(&mut *out, &changes)?;
            Ok(())
        }
        OutputFormat::Csv => {
            crate::export::csv::write_rows(
                out,
                &[
                    "change",
                    "batch",
                    "at",
                    "user",
                    "operation",
                    "entity",
                    "id",
                    "what",
                ],
                changes.iter().map(|c| {
                    [
                        c.id.to_string(),
                        c.batch.to_string(),
                        c.at.clone(),
                        c.user.clone(),
                        c.operation.to_string(),
                        c.entity.to_string(),
                        c.entity_id.clone(),
                        describe(c),
                    ]
                }),
                true,
            )?;
            Ok(())
        }
        OutputFormat::Table => {
            if changes.is_empty() {
                writeln!(out, "no changes recorded yet")?;
                return Ok(());
            }
            let rows: Vec<Vec<String>> = changes
                .iter()
                .map(|c| {
                    vec![
                        c.id.to_string(),
                        c.batch.to_string(),
                        c.at.clone(),
                        inert(&c.user),
                        c.operation.to_string(),
                        format!("{} {}", c.entity, c.entity_id),
                        describe(c),
                    ]
                })
                .collect();
            super::output::write_table(
                out,
                &[
                    "CHANGE",
                    "BATCH",
                    "AT",
                    "USER",
                    "OPERATION",
                    "RECORD",
                    "WHAT",
                ],
                &rows,
                6,
                None,
            )
        }
    }
}

/// Runs `spacedip restore`.
pub fn restore(db_path: &Path, args: &RestoreArgs, out: &mut dyn Write) -> Result<()> {
    let mut db = Db::open(db_path)?;
    let (batch, what) = match (&args.id, args.change) {
        (_, Some(n)) => (
            db.restore_change(n)?,
            format!("the state before change {n}"),
        ),
        (Some(id), None) => {
            let what = match args.at {
                Some(t) => format!("its state as of {}", crate::db::timestamp(t)),
                None => "its state before the latest deletion or overwrite".to_string(),
            };
            (db.restore(id, args.at)?, what)
        }
        (None, None) => {
            return Err(Error::Usage(
                "restore: give an event ID or --change N".into(),
            ))
        }
    };
    let id = db
        .batch(batch)?
        .first()
        .map(|c| c.entity_id.clone())
        .unwrap_or_default();
    writeln!(
        out,
        "restored event {} to {what} (history batch {batch})",
        inert(&id)
    )?;
    Ok(())
}

/// Runs `spacedip delete`.
pub fn delete(db_path: &Path, id: &str, out: &mut dyn Write) -> Result<()> {
    let mut db = Db::open(db_path)?;
    let id = &db.resolve_event_id(id)?;
    let batch = db.delete_event(id)?;
    writeln!(
        out,
        "deleted event {} (history batch {batch}; `spacedip restore {}` brings it back)",
        inert(id),
        inert(id)
    )?;
    Ok(())
}

/// Runs `spacedip undo`.
pub fn undo(db_path: &Path, args: &UndoArgs, out: &mut dyn Write) -> Result<()> {
    let mut db = Db::open(db_path)?;
    let target = match args.batch {
        Some(b) => b,
        None => db
            .last_undoable()?
            .ok_or_else(|| Error::Refused("nothing to undo".into()))?,
    };
    let batch = db.undo(target)?;
    let n = db.batch(batch)?.len();
    writeln!(
        out,
        "undid batch {target}: {n} record{} reverted (history batch {batch})",
        if n == 1 { "" } else { "s" }
    )?;
    Ok(())
}
