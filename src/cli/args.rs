//! The command line: clap definitions. Raw flags become a validated `Filter` in `mod.rs`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::domain::{ChannelFilter, Filter, Kind, PartialDate, SortKey, SortOrder, Valence};

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
    /// Check the database: integrity, foreign keys, vocabularies, dates, life-cycle links and
    /// membership bounds; every problem printed with where it is, exit 1 if there is any.
    Check {
        #[arg(long, value_enum, default_value_t = ShowFormat::Text, ignore_case = true)]
        format: ShowFormat,
    },
    /// The institutions density counts (treaties, UN bodies, IGOs, forums, arrangements), with
    /// their scope, openness and legalisation; with --programme, what that programme's
    /// density counts at its decision year and why the others are left out.
    Institutions(super::institutions::InstitutionsArgs),
}

/// How `list` and `programmes` print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for reading.
    Table,
    /// CSV (for `list`: the interchange format that `import` reads back).
    Csv,
    /// JSON.
    Json,
}

/// How `show` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Text,
    Json,
}

/// The filters, the same wherever events are selected.
#[derive(Debug, Clone, Default, Args)]
pub struct FilterArgs {
    /// Programme id (CSS, ILRS, CHANGE, ARTEMIS, …); repeat for any of several.
    #[arg(long = "programme", short = 'p', value_name = "P")]
    pub programmes: Vec<String>,
    /// Channel: multilateral (both multilateral channels), un (UN only), bilateral or
    /// national; repeat for any of several.
    #[arg(long = "channel", short = 'c', value_name = "CHANNEL", value_parser = any_case::<ChannelFilter>)]
    pub channels: Vec<ChannelFilter>,
    /// Event kind (mou, joint_statement, agreement, announcement_of_opportunity, selection,
    /// workshop, launch, accession, ratification, statement, other); repeat for any of several.
    #[arg(long = "kind", short = 'k', value_name = "K", value_parser = any_case::<Kind>)]
    pub kinds: Vec<Kind>,
    /// Valence: cooperation, refusal, withdrawal or obstacle; repeat for any of several
    /// [default: all].
    #[arg(long = "valence", value_name = "V", value_parser = any_case::<Valence>)]
    pub valences: Vec<Valence>,
    /// Actor id, name or alias (a state also matches its agencies); repeat to require all.
    #[arg(long = "actor", short = 'a', value_name = "A")]
    pub actors: Vec<String>,
    /// Events whose span reaches this date or later (2021, 2021-04 or 2021-04-23).
    #[arg(long, value_name = "DATE")]
    pub since: Option<PartialDate>,
    /// Events whose span starts by this date, taken at its precision (2021 = all of 2021).
    #[arg(long, value_name = "DATE")]
    pub until: Option<PartialDate>,
    /// Fuzzy text search over titles, summaries, partners, institutions and source titles;
    /// scope a term with partner:, source:, kind:, institution:, title:, programme:, channel:,
    /// notes:.
    #[arg(long, short = 's', value_name = "TEXT")]
    pub search: Option<String>,
    /// Sort by date, programme, channel, kind, title or id [default: date].
    #[arg(long, value_name = "KEY", value_parser = any_case::<SortKey>)]
    pub sort: Option<SortKey>,
    /// Sort in descending order.
    #[arg(long)]
    pub desc: bool,
    /// Start from a saved view (`spacedip views`); programme, channel, kind and actor flags
    /// add to it, date, search and sort flags replace its values.
    #[arg(long, value_name = "NAME")]
    pub view: Option<String>,
}

impl FilterArgs {
    /// The flags as the shared `Filter`.
    pub fn to_filter(&self) -> Filter {
        Filter {
            programmes: self.programmes.clone(),
            channels: self.channels.clone(),
            kinds: self.kinds.clone(),
            valences: self.valences.clone(),
            actors: self.actors.clone(),
            since: self.since,
            until: self.until,
            search: self.search.clone().filter(|s| !s.trim().is_empty()),
            sort: self.sort.unwrap_or_default(),
            order: if self.desc {
                SortOrder::Desc
            } else {
                SortOrder::Asc
            },
        }
    }
}

/// Parses a vocabulary value typed in any case (`-k MOU`, `-c UN`), as programme ids are.
pub(super) fn any_case<T: std::str::FromStr>(s: &str) -> Result<T, T::Err> {
    s.to_ascii_lowercase().parse()
}
