//! The one `Filter` type: what the CLI's flags, the TUI's stacked filters and saved views all
//! build, and what the data layer's single query path takes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::catalog::Catalog;
use super::date::PartialDate;
use super::vocab::{vocabulary, Channel, Kind, Valence, VocabError};
use crate::text::{closest, did_you_mean, inert};

/// A channel as analysts cut it: `multilateral` takes both multilateral channels, `un` only the
/// UN one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelFilter {
    Multilateral,
    Un,
    Bilateral,
    National,
}

impl ChannelFilter {
    pub const ALL: [ChannelFilter; 4] = [
        ChannelFilter::Multilateral,
        ChannelFilter::Un,
        ChannelFilter::Bilateral,
        ChannelFilter::National,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChannelFilter::Multilateral => "multilateral",
            ChannelFilter::Un => "un",
            ChannelFilter::Bilateral => "bilateral",
            ChannelFilter::National => "national",
        }
    }

    /// The stored channels this cut selects.
    pub fn channels(self) -> &'static [Channel] {
        match self {
            ChannelFilter::Multilateral => &[Channel::UnMultilateral, Channel::Multilateral],
            ChannelFilter::Un => &[Channel::UnMultilateral],
            ChannelFilter::Bilateral => &[Channel::Bilateral],
            ChannelFilter::National => &[Channel::National],
        }
    }
}

impl fmt::Display for ChannelFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ChannelFilter {
    type Err = VocabError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            // The browser's short labels are accepted too (`-c multi`, `-c bilat`, `-c natl`).
            "multilateral" | "multi" => Ok(ChannelFilter::Multilateral),
            "un" | "un_multilateral" => Ok(ChannelFilter::Un),
            "bilateral" | "bilat" => Ok(ChannelFilter::Bilateral),
            "national" | "natl" => Ok(ChannelFilter::National),
            _ => Err(VocabError {
                vocabulary: "channel",
                value: s.to_string(),
                valid: ChannelFilter::ALL.iter().map(|c| c.as_str()).collect(),
            }),
        }
    }
}

vocabulary! {
    /// The column events are ordered by.
    #[derive(Default)]
    SortKey, "sort key" {
        #[default]
        Date = "date",
        Programme = "programme",
        Channel = "channel",
        Kind = "kind",
        Title = "title",
        Id = "id",
    }
}

/// Ascending or descending.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    #[default]
    Asc,
    Desc,
}

/// Which events to select and in what order.
///
/// Values of one single-valued field (programme, channel, kind) are alternatives: an event
/// matches any of them. Partners are many per event, so each `actors` entry must be among the
/// event's parties. Dates select events whose span overlaps `[since, until]`, each bound
/// taken at its own precision (`--until 2021` includes all of 2021).
///
/// Saved views are stored in a form of their own (`db::views`), not as this type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Filter {
    pub programmes: Vec<String>,
    pub channels: Vec<ChannelFilter>,
    pub kinds: Vec<Kind>,
    /// Cooperation, refusal, withdrawal, obstacle: alternatives, like kinds. Empty selects all.
    pub valences: Vec<Valence>,
    /// Actor ids, names or aliases, as typed.
    pub actors: Vec<String>,
    pub since: Option<PartialDate>,
    pub until: Option<PartialDate>,
    /// Fuzzy text search, with optional `field:` scopes.
    pub search: Option<String>,
    pub sort: SortKey,
    pub order: SortOrder,
}

/// Why a filter does not fit the catalog; the message names what exists (a usage error).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("unknown programme '{typed}' (valid: {}){hint}", .valid.join(", "))]
    UnknownProgramme {
        typed: String,
        valid: Vec<String>,
        /// " (did you mean …?)", or empty.
        hint: String,
    },
    #[error("no actor matches '{typed}'{hint}; try an id such as CHN or CNSA, a name or an alias (`spacedip actors` lists them)")]
    NoActor { typed: String, hint: String },
    #[error("--until {until} is before --since {since}")]
    Backwards {
        since: PartialDate,
        until: PartialDate,
    },
}

impl Filter {
    /// The filter checked against the catalog and normalised: programme ids take their
    /// stored case; an unknown programme, an actor that matches nothing, or an `until`
    /// before `since` is refused, naming what exists.
    pub fn checked(&self, catalog: &Catalog) -> Result<Filter, FilterError> {
        let mut f = self.clone();
        for p in &mut f.programmes {
            match catalog.resolve_programme(p) {
                Some(id) => *p = id.to_string(),
                None => {
                    let valid: Vec<&str> =
                        catalog.programmes.iter().map(|p| p.id.as_str()).collect();
                    let hint = did_you_mean(&closest(p, valid.iter().copied()));
                    return Err(FilterError::UnknownProgramme {
                        typed: inert(p),
                        valid: valid.into_iter().map(str::to_string).collect(),
                        hint,
                    });
                }
            }
        }
        for a in &f.actors {
            if catalog.match_actors(a).is_empty() {
                let names = catalog.actors.iter().flat_map(|x| {
                    std::iter::once(x.id.as_str())
                        .chain(std::iter::once(x.name.as_str()))
                        .chain(x.aliases.iter().map(String::as_str))
                });
                return Err(FilterError::NoActor {
                    typed: inert(a),
                    hint: did_you_mean(&closest(a, names)),
                });
            }
        }
        if let (Some(since), Some(until)) = (f.since, f.until) {
            if until.last_day() < since.first_day() {
                return Err(FilterError::Backwards { since, until });
            }
        }
        Ok(f)
    }

    /// True when the filter selects every event.
    pub fn is_empty(&self) -> bool {
        self.programmes.is_empty()
            && self.channels.is_empty()
            && self.kinds.is_empty()
            && self.valences.is_empty()
            && self.actors.is_empty()
            && self.since.is_none()
            && self.until.is_none()
            && self.search.as_deref().is_none_or(|s| s.trim().is_empty())
    }

    /// True when the filter selects whole programmes (the named ones, or all): every event
    /// of each, whatever its date, channel, kind, valence or parties.
    pub fn selects_whole_programmes(&self) -> bool {
        Filter {
            programmes: Vec::new(),
            ..self.clone()
        }
        .is_empty()
    }

    /// The stored channels selected, or `None` when channels are not filtered.
    pub fn channel_set(&self) -> Option<Vec<Channel>> {
        if self.channels.is_empty() {
            return None;
        }
        let mut set: Vec<Channel> = self
            .channels
            .iter()
            .flat_map(|c| c.channels().iter().copied())
            .collect();
        set.sort();
        set.dedup();
        Some(set)
    }

    /// The selection in words, for the caption of an export: "ILRS, bilateral channel, from
    /// 2021". Empty when the filter selects everything.
    pub fn caption(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if !self.programmes.is_empty() {
            parts.push(self.programmes.join(" and "));
        }
        if !self.channels.is_empty() {
            let cuts: Vec<&str> = self
                .channels
                .iter()
                .map(|c| match c {
                    ChannelFilter::Multilateral => "multilateral (UN included)",
                    ChannelFilter::Un => "UN",
                    ChannelFilter::Bilateral => "bilateral",
                    ChannelFilter::National => "national",
                })
                .collect();
            let noun = if cuts.len() == 1 {
                "channel"
            } else {
                "channels"
            };
            parts.push(format!("{} {noun}", cuts.join(" or ")));
        }
        if !self.kinds.is_empty() {
            let kinds: Vec<&str> = self.kinds.iter().map(|k| k.label()).collect();
            parts.push(kinds.join(" or "));
        }
        if !self.valences.is_empty() {
            let v: Vec<&str> = self.valences.iter().map(|v| v.as_str()).collect();
            parts.push(v.join(" or "));
        }
        if !self.actors.is_empty() {
            parts.push(format!("with {}", self.actors.join(" and ")));
        }
        match (self.since, self.until) {
            (Some(s), Some(u)) if s == u => parts.push(s.human()),
            (Some(s), Some(u)) => parts.push(format!("{} – {}", s.human(), u.human())),
            (Some(s), None) => parts.push(format!("from {}", s.human())),
            (None, Some(u)) => parts.push(format!("up to {}", u.human())),
            (None, None) => {}
        }
        if let Some(q) = self.search.as_deref().filter(|s| !s.trim().is_empty()) {
            parts.push(format!("matching “{q}”"));
        }
        parts.join(", ")
    }

    /// The filter as the CLI flags that select the same events, so that a TUI view can be
    /// pasted into `spacedip list`.
    pub fn to_args(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut push = |flag: &str, value: &str| {
            parts.push(flag.to_string());
            parts.push(shell_quote(value));
        };
        for p in &self.programmes {
            push("--programme", p);
        }
        for c in &self.channels {
            push("--channel", c.as_str());
        }
        for k in &self.kinds {
            push("--kind", k.as_str());
        }
        for v in &self.valences {
            push("--valence", v.as_str());
        }
        for a in &self.actors {
            push("--actor", a);
        }
        if let Some(d) = self.since {
            push("--since", &d.to_string());
        }
        if let Some(d) = self.until {
            push("--until", &d.to_string());
        }
        if let Some(s) = self.search.as_deref().filter(|s| !s.trim().is_empty()) {
            push("--search", s);
        }
        if self.sort != SortKey::Date {
            push("--sort", self.sort.as_str());
        }
        if self.order == SortOrder::Desc {
            parts.push("--desc".to_string());
        }
        parts.join(" ")
    }
}

/// Quotes a value for a POSIX shell when it needs it.
pub fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '/'));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multilateral_takes_both_multilateral_channels() {
        let f = Filter {
            channels: vec![ChannelFilter::Multilateral],
            ..Filter::default()
        };
        assert_eq!(
            f.channel_set().unwrap(),
            vec![Channel::UnMultilateral, Channel::Multilateral]
        );
        let f = Filter {
            channels: vec![ChannelFilter::Un, ChannelFilter::Multilateral],
            ..Filter::default()
        };
        assert_eq!(f.channel_set().unwrap().len(), 2);
        assert_eq!(Filter::default().channel_set(), None);
    }

    #[test]
    fn args_use_the_cli_grammar_and_quote_when_needed() {
        let f = Filter {
            programmes: vec!["ILRS".into()],
            channels: vec![ChannelFilter::Bilateral],
            since: Some("2023".parse().unwrap()),
            search: Some("moon base's".into()),
            ..Filter::default()
        };
        assert_eq!(
            f.to_args(),
            "--programme ILRS --channel bilateral --since 2023 --search 'moon base'\\''s'"
        );
        assert!(Filter::default().is_empty());
        assert_eq!(Filter::default().to_args(), "");
    }

    #[test]
    fn checked_normalises_programmes_and_refuses_what_the_catalog_lacks() {
        use crate::domain::IssueArea;
        use crate::metrics::fixtures::{catalog, programme, world_actors};
        let catalog = catalog(
            vec![
                programme("CSS", IssueArea::LeoHumanSpaceflight, Some("CHN")),
                programme("ILRS", IssueArea::Lunar, Some("CHN")),
            ],
            world_actors(),
            vec![],
            vec![],
        );
        let f = Filter {
            programmes: vec!["ilrs".into()],
            actors: vec!["PAK".into()],
            ..Filter::default()
        };
        assert_eq!(f.checked(&catalog).unwrap().programmes, ["ILRS"]);
        let unknown = Filter {
            programmes: vec!["ILRX".into()],
            ..Filter::default()
        };
        assert_eq!(
            unknown.checked(&catalog).unwrap_err().to_string(),
            "unknown programme 'ILRX' (valid: CSS, ILRS) (did you mean ILRS?)"
        );
        let nobody = Filter {
            actors: vec!["Atlantis".into()],
            ..Filter::default()
        };
        let err = nobody.checked(&catalog).unwrap_err();
        assert!(matches!(err, FilterError::NoActor { .. }), "{err}");
        let backwards = Filter {
            since: Some("2022".parse().unwrap()),
            until: Some("2021-12".parse().unwrap()),
            ..Filter::default()
        };
        assert_eq!(
            backwards.checked(&catalog).unwrap_err().to_string(),
            "--until 2021-12 is before --since 2022"
        );
    }

    #[test]
    fn channel_filter_names_valid_values() {
        let err = "unilateral"
            .parse::<ChannelFilter>()
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "unknown channel 'unilateral' (valid: multilateral, un, bilateral, national)"
        );
    }
}
