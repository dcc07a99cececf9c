//! `spacedip export`: the events selected by the `list` filters, in any export format, to
//! stdout or atomically to a file.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::Args;

use super::args::FilterArgs;
use crate::error::{Error, Result};
use crate::export::{self, Format, Options, Selection};
use crate::outfile::write_atomic;

/// The flags of `spacedip export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// The export format.
    #[arg(long, value_name = "FORMAT", value_parser = format_parser(), ignore_case = true)]
    pub format: Format,
    /// Write to FILE instead of stdout, atomically (temporary file, then rename); `-` is
    /// stdout. An existing FILE is refused unless --force is given.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
    /// The export's timestamp (the iCalendar DTSTAMP), RFC 3339 (2025-01-31T12:00:00Z) or
    /// YYYY-MM-DD, for reproducible files. [default: $SOURCE_DATE_EPOCH, else the current time]
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// Write CSV cells that start with =, +, -, @, tab or CR exactly as they are. By default
    /// such cells get a leading apostrophe so that spreadsheets show them as text instead of
    /// running them as formulas; `import` removes the apostrophe again.
    #[arg(long = "no-neutralise", visible_alias = "no-neutralize")]
    pub no_neutralise: bool,
    /// No progress bar and no "wrote FILE" line on stderr (errors are still reported). The bar
    /// shows only on a terminal, for large exports.
    #[arg(long, short)]
    pub quiet: bool,
    /// The caption of the SVG, Mermaid, Markdown, TimelineJS and iCalendar outputs [default:
    /// the selection in words, e.g. "ILRS, bilateral channel, from 2021"].
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// Which network graphml writes.
    #[arg(long, value_name = "KIND", value_enum, default_value_t = Network::Partners, ignore_case = true)]
    pub network: Network,
    /// The SVG picture's width in pixels (600 to 10000) [default: 1200].
    #[arg(long, value_name = "PX", value_parser = clap::value_parser!(u32).range(600..=10000))]
    pub width: Option<u32>,
}

/// The network a GraphML export draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Network {
    /// The partner network of `stats` (also what gexf writes).
    Partners,
    /// Actors and events as the two kinds of node, with the boolean `type` igraph expects.
    TwoMode,
}

fn format_parser() -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(
        Format::ALL
            .iter()
            .map(|f| PossibleValue::new(f.as_str()).help(f.describe())),
    )
    .try_map(|s| s.to_ascii_lowercase().parse::<Format>())
}

/// Writes a format that goes event by event from a stream of the selection, read a chunk at
/// a time, so that a large export never holds every event.
fn stream(
    sel: &super::select::Selected,
    args: &ExportArgs,
    options: &Options,
    target: Option<&PathBuf>,
    out: &mut dyn Write,
) -> Result<()> {
    let mut events = sel.db.stream_events(&sel.filter, &sel.catalog)?;
    let n = events.len();
    let progress = super::progress::for_stderr(args.quiet || n < crate::progress::EXPORT_BAR_FROM);
    let write = |w: &mut dyn Write| {
        export::write_stream(
            args.format,
            &mut events,
            n,
            &sel.catalog,
            options,
            progress.as_ref(),
            w,
        )
    };
    let noun = if n == 1 { "event" } else { "events" };
    write_out(args, target, || format!("{n} {noun}"), write, out)
}

/// Writes to the `-o` file atomically (saying what was written unless `--quiet`), or to `out`.
fn write_out(
    args: &ExportArgs,
    target: Option<&PathBuf>,
    written: impl FnOnce() -> String,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
    out: &mut dyn Write,
) -> Result<()> {
    let Some(path) = target else {
        return write(out);
    };
    write_atomic(path, args.force, write)?;
    if !args.quiet {
        eprintln!(
            "spacedip: wrote {} ({}, {})",
            crate::text::inert(&path.display().to_string()),
            written(),
            args.format
        );
    }
    Ok(())
}

/// Runs `spacedip export` on the database at `db_path`, writing to `out` unless `-o` names a
/// file.
pub fn run(db_path: &Path, args: &ExportArgs, out: &mut dyn Write) -> Result<()> {
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    let now = export::clock::now(args.now.as_deref(), epoch.as_deref())?;
    let target = args
        .output
        .as_ref()
        .filter(|p| p.as_os_str() != "-" && !p.as_os_str().is_empty());
    if args
        .output
        .as_ref()
        .is_some_and(|p| p.as_os_str().is_empty())
    {
        return Err(Error::Usage("-o: empty file name".into()));
    }
    if args.network == Network::TwoMode && args.format != Format::Graphml {
        return Err(Error::Usage(
            "--network two-mode is written as GraphML: add --format graphml".into(),
        ));
    }
    if args.width.is_some() && args.format != Format::Svg {
        return Err(Error::Usage(
            "--width sets the SVG picture's width: add --format svg".into(),
        ));
    }
    // A workbook on a terminal would only garble it.
    if args.format.is_binary() && target.is_none() && std::io::stdout().is_terminal() {
        return Err(Error::Usage(format!(
            "--format {} is a binary file: write it with -o FILE, or redirect stdout",
            args.format
        )));
    }
    // Refuse before doing any work; write_atomic checks again when the file is put in place.
    if let Some(path) = target {
        crate::outfile::check_target(path, args.force)?;
    }
    let sel = super::select::Selected::open(db_path, &args.filter)?;
    let options = Options {
        now,
        neutralise: !args.no_neutralise,
        scope: args.title.clone().unwrap_or_else(|| sel.filter.caption()),
        two_mode: args.network == Network::TwoMode,
        svg_width: args.width.unwrap_or(export::svg::DEFAULT_WIDTH),
    };
    if args.format.streams() {
        return stream(&sel, args, &options, target, out);
    }
    let events = sel.events()?;
    let catalog = sel.catalog;
    let selection = Selection {
        events: &events,
        catalog: &catalog,
    };
    // A merge on ccode would drop these rows without a word; say so even under --quiet.
    let uncoded = match args.format {
        Format::DyadYears => export::dyad_years::states_without_ccode(selection),
        Format::EventActors => export::long::states_without_ccode(selection),
        _ => Vec::new(),
    };
    for name in uncoded {
        eprintln!(
            "spacedip: warning: no COW code for the state {}; its ccode cells are empty",
            crate::text::inert(&name)
        );
    }
    // A bar on small exports would only flicker.
    let progress =
        super::progress::for_stderr(args.quiet || events.len() < crate::progress::EXPORT_BAR_FROM);
    let write = |w: &mut dyn Write| {
        export::write_with_progress(args.format, selection, &options, progress.as_ref(), w)
    };
    let written = || crate::export::written(args.format, &options, selection);
    write_out(args, target, written, write, out)
}
