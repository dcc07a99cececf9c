//! The command line as clap parses it: the global flags and one variant per subcommand, each
//! with its flags (defined beside the subcommand's code, or in `args.rs` when shared).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use super::args::{parse_column_list, ColumnList, FilterArgs, OutputFormat, ShowFormat};

/// spacedip: browse and analyse international space-cooperation events (CSS, ILRS, Chang'e,
/// Artemis, …) by programme, channel and institution.
///
/// Run with no command to open the terminal browser. Exit codes: 0 ok, 1 runtime error,
/// 2 usage error (bad flag, unknown programme, channel or kind).
#[derive(Debug, Parser)]
#[command(name = "spacedip", version, about, long_about, max_term_width = 100)]
pub struct Cli {
    /// The database file; created and seeded with the embedded dataset on first use.
    /// [default: $XDG_DATA_HOME/spacedip/spacedip.db]
    #[arg(long, global = true, env = "SPACEDIP_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Tables keep every column at full width, even on a narrow terminal.
    #[arg(long, global = true)]
    pub wide: bool,

    /// Open the terminal browser on this saved view (`spacedip views` lists them).
    #[arg(long, value_name = "NAME")]
    pub view: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database and load the embedded seed (refuses an existing one without --force).
    Init {
        /// Replace an existing database with a fresh copy of the seed.
        #[arg(long)]
        force: bool,
    },
    /// List events, filtered and sorted.
    List {
        #[command(flatten)]
        filter: FilterArgs,
        #[arg(long, value_enum, default_value_t = OutputFormat::Table, ignore_case = true)]
        format: OutputFormat,
        /// Save this command's filter (with --view and flags applied) as a named view.
        #[arg(long, value_name = "NAME")]
        save_view: Option<String>,
        /// The table's columns, in order, from id, date, programme, channel, kind, valence,
        /// title, partners (e.g. id,date,title); a saved view keeps them. Table output only:
        /// CSV and JSON keep every field.
        #[arg(long, value_name = "LIST", value_parser = parse_column_list)]
        columns: Option<ColumnList>,
    },
    /// Show one event with its partners, institutions and full sources.
    Show {
        /// The event id, e.g. ILRS-03.
        id: String,
        #[arg(long, value_enum, default_value_t = ShowFormat::Text, ignore_case = true)]
        format: ShowFormat,
    },
    /// Count events per programme and channel.
    Programmes {
        #[command(flatten)]
        filter: FilterArgs,
        #[arg(long, value_enum, default_value_t = OutputFormat::Table, ignore_case = true)]
        format: OutputFormat,
    },
    /// List the actors (states, agencies, organisations, …) with their aliases.
    Actors {
        #[arg(long, value_enum, default_value_t = OutputFormat::Table, ignore_case = true)]
        format: OutputFormat,
    },
    /// Import events CSV, JSON exports, JSON bundles or folders of per-table CSVs, all or
    /// nothing.
    Import(super::import::ImportArgs),
    /// List recorded changes (imports, edits, deletions, restores, undos).
    History(super::history::HistoryArgs),
    /// Bring back a deleted or overwritten event (recorded as a change).
    Restore(super::history::RestoreArgs),
    /// Delete an event (it stays in history and can be restored).
    Delete {
        /// The event id.
        id: String,
    },
    /// Undo the latest change not yet undone, or a given batch.
    Undo(super::history::UndoArgs),
    /// List saved views (or delete one).
    Views(super::views::ViewsArgs),
    /// Export the selected events (same filters as `list`) as CSV, JSON, Markdown, TimelineJS,
    /// Mermaid, iCalendar, CSL-JSON, BibTeX or SVG, to stdout or atomically to a file.
    Export(super::export::ExportArgs),
    /// Comparative measures per programme: channel shares, partners, partner-network density
    /// and centralisation, issue-area density, embeddedness (formulas: README, Methods).
    Stats(super::stats::StatsArgs),
    /// Two programmes side by side (e.g. `compare CSS ILRS`), per year with --by-year, ending
    /// with the article's claims tested under several specifications.
    Compare(super::stats::CompareArgs),
    /// Check the database: integrity, foreign keys, vocabularies, dates, life-cycle links,
    /// membership bounds, the tally and the search index; every problem printed with where it
    /// is, exit 1 if there is any.
    Check {
        #[arg(long, value_enum, default_value_t = ShowFormat::Text, ignore_case = true)]
        format: ShowFormat,
        /// First count the running tally that `stats` reads again from the events (after
        /// the events were changed by another program), and build the search index again.
        #[arg(long)]
        recount: bool,
    },
    /// The institutions density counts (treaties, UN bodies, IGOs, forums, arrangements), with
    /// their scope, openness and legalisation; with --programme, what that programme's
    /// density counts at its decision year and why the others are left out.
    Institutions(super::institutions::InstitutionsArgs),
    /// A citable release of the database or of a filtered selection, in DIR: one CSV per
    /// table, datapackage.json (Frictionless), codebook.md, CITATION.cff, Datasette's
    /// metadata.json and a SQLite copy, with a content hash of the data.
    Package(super::package::PackageArgs),
}
