//! `spacedip package DIR`: a citable release of the database, or of the events a filter
//! selects (with every reference table): the per-table CSVs, `datapackage.json`,
//! `codebook.md`, `CITATION.cff`, Datasette's `metadata.json` and a SQLite copy, written
//! beside DIR and renamed into place.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::args::FilterArgs;
use crate::db::Db;
use crate::domain::Dataset;
use crate::error::{Error, Result};
use crate::export::package::{build, database_file, Release};
use crate::outfile::{write_dir_atomic, write_in};
use crate::text::inert;

/// Flags of `package`.
#[derive(Debug, Clone, Args)]
pub struct PackageArgs {
    /// The directory to write: created, or taken when empty (see --force).
    pub dir: PathBuf,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Replace a directory that is not empty (the old one is removed once the new one is in
    /// place).
    #[arg(long)]
    pub force: bool,
    /// The dataset's title.
    #[arg(long, default_value = "spacedip space-cooperation events")]
    pub title: String,
    /// The package's name, also the database copy's file name: lower-case letters, digits,
    /// '.', '_' and '-'.
    #[arg(long, default_value = "spacedip")]
    pub name: String,
    /// An author to credit in CITATION.cff and datapackage.json; repeatable. Without one, the
    /// title's contributors are credited as a group.
    #[arg(long = "author", value_name = "NAME")]
    pub authors: Vec<String>,
    /// The data's licence, as an SPDX id (e.g. CC-BY-4.0); none is stated without it.
    #[arg(long, value_name = "SPDX")]
    pub license: Option<String>,
    /// The release date: RFC 3339 or YYYY-MM-DD [default: SOURCE_DATE_EPOCH, else now].
    #[arg(long)]
    pub now: Option<String>,
    /// Print nothing on success.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Refuses names, licences, titles and authors a consumer could not take.
fn check(args: &PackageArgs) -> Result<()> {
    let name_ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
    if args.name.is_empty() || !args.name.chars().all(name_ok) {
        return Err(Error::Usage(format!(
            "--name '{}': use lower-case letters, digits, '.', '_' and '-' (a Data Package name)",
            inert(&args.name)
        )));
    }
    if let Some(id) = &args.license {
        let spdx_ok = |c: char| c.is_ascii_alphanumeric() || ".+-".contains(c);
        if id.is_empty() || !id.chars().all(spdx_ok) {
            return Err(Error::Usage(format!(
                "--license '{}': give an SPDX licence id, such as CC-BY-4.0 or ODbL-1.0",
                inert(id)
            )));
        }
    }
    let blank = |s: &str| s.trim().is_empty() || s.chars().any(char::is_control);
    if blank(&args.title) {
        return Err(Error::Usage(
            "--title: give a title without control characters".into(),
        ));
    }
    if args.authors.iter().any(|a| blank(a)) {
        return Err(Error::Usage(
            "--author: give a name without control characters".into(),
        ));
    }
    Ok(())
}

/// Runs `package`.
pub fn run(db_path: &Path, args: &PackageArgs, out: &mut dyn Write) -> Result<()> {
    check(args)?;
    // Refuse before doing any work; the write checks again when the directory is put in place.
    crate::outfile::check_dir_target(&args.dir, args.force)?;
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    let now = crate::export::clock::now(args.now.as_deref(), epoch.as_deref())?;
    let sel = super::select::Selected::open(db_path, &args.filter)?;
    let events = sel.events()?;
    let (catalog, filter) = (sel.catalog, sel.filter);
    let dataset = Dataset {
        programmes: catalog.programmes.clone(),
        actors: catalog.actors.clone(),
        institutions: catalog.institutions.clone(),
        memberships: catalog.memberships.clone(),
        sources: catalog.sources.clone(),
        events,
    };
    let release = Release {
        dataset: &dataset,
        name: args.name.clone(),
        title: args.title.clone(),
        scope: if filter.is_empty() {
            "all events".to_string()
        } else {
            filter.caption()
        },
        args: filter.to_args(),
        authors: args.authors.clone(),
        licence: args.license.clone(),
        now,
    };
    let package = build(&release)?;
    write_dir_atomic(&args.dir, args.force, |dir| {
        for f in &package.files {
            write_in(dir, &f.path, &f.bytes)?;
        }
        Db::write_dataset_file(&dataset, &dir.join(database_file(&args.name)))
    })?;
    if !args.quiet {
        writeln!(
            out,
            "wrote {}: {} events, {} files and {}; content hash {}",
            inert(&args.dir.display().to_string()),
            dataset.events.len(),
            package.files.len(),
            database_file(&args.name),
            package.content_hash
        )?;
    }
    Ok(())
}
