//! `spacedip import`: read files and folders, validate everything, write in one transaction
//! (or report what would change with `--dry-run`).

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::db::{Db, ImportOptions, ImportReport, OnConflict, Outcome};
use crate::domain::{Entity, Problem};
use crate::error::Result;
use crate::import::Bundle;
use crate::text::inert;

/// Arguments of `spacedip import`.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// Files and folders: events CSV (the interchange format), JSON exports (`list --format
    /// json`), JSON bundles, or folders of per-table CSVs named as in seed/.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Check everything and report what would be added, updated and left unchanged; write
    /// nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// What to do with a record whose id exists with different content: fail (refuse the
    /// import), skip (keep the stored record) or replace (its old state stays in history).
    #[arg(long, value_enum, default_value_t = ConflictArg::Fail, value_name = "POLICY")]
    pub on_conflict: ConflictArg,
    /// Create actors and sources that events reference but nothing defines, from the full
    /// records a JSON export embeds (listed in the report). Nothing is guessed: a reference
    /// given only by id stays an error.
    #[arg(long)]
    pub create_missing: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

/// `--on-conflict` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConflictArg {
    Fail,
    Skip,
    Replace,
}

/// How the import report prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

/// The largest input file read, in bytes: a 1,000,000-event CSV is 0.5 GB with short texts
/// and 1.2 GB with long ones in several scripts (`synth --dense --scripts`), which a limit of
/// 1 GiB refused. An import holds its records whole, about three times the file at its peak
/// (3.5 GB for that 1.2 GB file): the limit keeps an endless stream such as `/dev/zero`, or a
/// file far beyond any corpus, from taking every byte of memory, not a large file from taking
/// much of it.
pub const MAX_FILE_BYTES: u64 = 4 << 30;

/// Reads a whole input, refusing one over [`MAX_FILE_BYTES`]. One whose first 64 KiB hold
/// binary data (a NUL byte) is read no further: those bytes are enough for the import to
/// refuse it as binary.
fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::{Error, ErrorKind, Read};
    let file = std::fs::File::open(path)?;
    let too_big = || {
        Error::new(
            ErrorKind::InvalidData,
            format!(
                "over the limit of {} MiB for one input file (split it into several files)",
                MAX_FILE_BYTES >> 20
            ),
        )
    };
    let len = file
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    if len.is_some_and(|len| len > MAX_FILE_BYTES) {
        return Err(too_big());
    }
    let mut reader = file.take(MAX_FILE_BYTES + 1);
    // A regular file's length sizes the buffer once (one byte more, so that the read that
    // finds the end needs no room): grown by doubling, a 3 GB file would reserve 4 GiB.
    let mut bytes = Vec::with_capacity(len.map_or(0, |len| len as usize + 1));
    let head = (&mut reader).take(64 * 1024).read_to_end(&mut bytes)?;
    if bytes[..head].contains(&0) {
        return Ok(bytes);
    }
    reader.read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big());
    }
    Ok(bytes)
}

/// Reads every input into one bundle; unreadable paths and folders without tables become
/// problems like any other, so that all are reported at once.
pub fn read_inputs(paths: &[PathBuf], problems: &mut Vec<Problem>) -> Bundle {
    let mut bundle = Bundle::default();
    for path in paths {
        let name = path.display().to_string();
        if path.is_dir() {
            read_folder(&mut bundle, path, problems);
            continue;
        }
        match read_bounded(path) {
            Ok(bytes) => bundle.read_file(&name, &bytes, problems),
            Err(e) => problems.push(Problem::new(
                &name,
                0,
                None,
                "",
                format!("cannot read: {e}"),
            )),
        }
    }
    bundle
}

fn read_folder(bundle: &mut Bundle, dir: &Path, problems: &mut Vec<Problem>) {
    let name = dir.display().to_string();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            problems.push(Problem::new(
                &name,
                0,
                None,
                "",
                format!("cannot read: {e}"),
            ));
            return;
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .is_some_and(|x| x.to_string_lossy().eq_ignore_ascii_case("csv"))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        problems.push(Problem::new(
            &name,
            0,
            None,
            "",
            "no CSV tables in this folder (expected files such as programmes.csv, actors.csv, \
             institutions.csv, institution_members.csv, sources.csv and events.csv, with the \
             headers of seed/)",
        ));
        return;
    }
    for f in files {
        let fname = f.display().to_string();
        match read_bounded(&f) {
            Ok(bytes) => bundle.read_file(&fname, &bytes, problems),
            Err(e) => problems.push(Problem::new(
                &fname,
                0,
                None,
                "",
                format!("cannot read: {e}"),
            )),
        }
    }
}

/// Runs `spacedip import`.
pub fn run(db_path: &Path, args: &ImportArgs, out: &mut dyn Write) -> Result<()> {
    let mut problems = Vec::new();
    let bundle = read_inputs(&args.files, &mut problems);
    warn_without_ccode(&bundle);
    let mut db = Db::open(db_path)?;
    let options = ImportOptions {
        on_conflict: match args.on_conflict {
            ConflictArg::Fail => OnConflict::Fail,
            ConflictArg::Skip => OnConflict::Skip,
            ConflictArg::Replace => OnConflict::Replace,
        },
        create_missing: args.create_missing,
        dry_run: args.dry_run,
    };
    let progress = super::progress::for_stderr(args.quiet);
    let report = db.import(bundle, problems, options, progress.as_ref())?;
    match args.format {
        ReportFormat::Json => {
            crate::export::json_out::pretty(&mut *out, &report)?;
            Ok(())
        }
        ReportFormat::Text => write_report(out, &report),
    }
}

/// Names each state of the input that has no COW code, with its place: the dyad-year table
/// and the `ccode` column would leave it empty, and an analyst merging on `ccode` should know
/// before, not find rows missing after.
fn warn_without_ccode(bundle: &Bundle) {
    for part in &bundle.actors {
        for row in &part.rows {
            let a = &row.value;
            let known = crate::domain::cow::ccode(
                crate::domain::cow::key(&a.id, a.iso3.as_deref()),
                i32::MAX,
            );
            if a.kind == crate::domain::ActorKind::State && known.is_none() {
                eprintln!(
                    "spacedip: warning: {}:{}: no COW code for the state {} ({}); dyad-years and the ccode column leave it empty",
                    inert(&part.file),
                    row.line,
                    inert(&a.name),
                    inert(&a.id)
                );
            }
        }
    }
}

/// How many ids a report line names before it says "and N more".
const NAMED: usize = 10;

fn plural(entity: Entity, n: usize) -> String {
    let word = entity.as_str();
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The report as text: one line per outcome, naming the records that changed.
pub fn write_report(out: &mut dyn Write, report: &ImportReport) -> Result<()> {
    let counts = report.counts();
    let dry = report.dry_run;
    if dry {
        writeln!(out, "dry run: nothing was written")?;
    }
    let total = report.entries.len();
    writeln!(
        out,
        "{total} record{} read",
        if total == 1 { "" } else { "s" }
    )?;
    for outcome in Outcome::ALL {
        let parts: Vec<String> = counts
            .iter()
            .filter(|((o, _), _)| *o == outcome)
            .map(|((_, e), n)| plural(*e, *n))
            .collect();
        if parts.is_empty() {
            continue;
        }
        let label = match (outcome, dry) {
            (Outcome::Added, true) => "would add",
            (Outcome::Added, false) => "added",
            (Outcome::Created, true) => "would create (--create-missing)",
            (Outcome::Created, false) => "created (--create-missing)",
            (Outcome::Updated, true) => "would update",
            (Outcome::Updated, false) => "updated",
            (Outcome::Unchanged, _) => "unchanged",
            (Outcome::Skipped, _) => "skipped (kept as stored, --on-conflict skip)",
        };
        let mut line = format!("{label}: {}", parts.join(", "));
        if outcome != Outcome::Added && outcome != Outcome::Unchanged {
            let entries: Vec<_> = report.with(outcome).collect();
            let named: Vec<String> = entries
                .iter()
                .take(NAMED)
                .map(|e| {
                    let place = format!("{}:{}", e.file, e.line);
                    format!("{} {} ({})", e.entity, inert(&e.id), inert(&place))
                })
                .collect();
            line.push_str(&format!(": {}", named.join(", ")));
            if entries.len() > NAMED {
                line.push_str(&format!(" and {} more", entries.len() - NAMED));
            }
        }
        writeln!(out, "{line}")?;
    }
    match report.batch {
        Some(b) => writeln!(
            out,
            "recorded in history as batch {b} (`spacedip history` lists it, `spacedip undo` reverts it)"
        )?,
        None if !dry => writeln!(out, "nothing to write")?,
        None => {}
    }
    Ok(())
}
