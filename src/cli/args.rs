//! The flags every subcommand shares: the filter flags (`FilterArgs`, which become a validated
//! `Filter`) and the output formats. A leaf: the subcommands use it, it uses none of them.

use clap::{Args, ValueEnum};

use crate::domain::{
    parse_columns, ChannelFilter, Column, Filter, Kind, PartialDate, SortKey, SortOrder, Valence,
};

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

/// The columns `list --columns` names, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnList(pub Vec<Column>);

/// Parses `--columns id,date,title`; an unknown name is refused with the valid ones.
pub fn parse_column_list(s: &str) -> Result<ColumnList, String> {
    parse_columns(s).map(ColumnList).map_err(|e| e.to_string())
}
