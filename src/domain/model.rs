//! The records spacedip keeps: programmes, actors, institutions, sources and events.
//!
//! These are plain data, shared by the data layer, the exports, the metrics and the TUI.

use serde::{Deserialize, Serialize};

use super::date::PartialDate;
use super::vocab::{
    ActorKind, Certainty, Channel, InstitutionKind, IssueArea, Kind, Role, Scope, SourceType,
    Valence,
};

/// A cooperation programme (CSS, ILRS, …) or a context programme (OST, Artemis, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Programme {
    pub id: String,
    pub name: String,
    pub issue_area: IssueArea,
    pub lead_agency: Option<String>,
    pub lead_state: Option<String>,
    /// The year the programme chose its channel, where the data set it by hand; otherwise the
    /// metrics derive it from the events (see `metrics::decision`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_year: Option<i32>,
    pub description: String,
}

/// A state, agency, organisation, institute, company or NGO that takes part in events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub id: String,
    pub name: String,
    pub kind: ActorKind,
    /// ISO 3166-1 alpha-3, for states.
    pub iso3: Option<String>,
    /// The state an agency or institute belongs to (an actor id).
    pub country: Option<String>,
    /// Acronyms, other spellings and native-script names, for search.
    pub aliases: Vec<String>,
}

impl Actor {
    /// The state this actor stands for: itself if a state, else its country, if known.
    pub fn state(&self) -> Option<&str> {
        if self.kind == ActorKind::State {
            Some(&self.id)
        } else {
            self.country.as_deref()
        }
    }

    /// The aliases as one `;`-joined cell, as the database stores them.
    pub fn aliases_cell(&self) -> String {
        self.aliases.join("; ")
    }

    /// The aliases of a cell written by [`Actor::aliases_cell`] (or typed in a file).
    pub fn aliases_from_cell(cell: &str) -> Vec<String> {
        split_list(cell).into_iter().map(str::to_string).collect()
    }
}

/// Splits a `;`-joined cell into trimmed, non-empty items: the lists of the interchange
/// format (parties, institutions, sources, aliases) and of the stored aliases.
pub fn split_list(cell: &str) -> Vec<&str> {
    cell.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// A treaty, UN body, IGO, forum or plurilateral arrangement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Institution {
    pub id: String,
    pub name: String,
    pub kind: InstitutionKind,
    pub in_force: PartialDate,
    pub ended: Option<PartialDate>,
    pub issue_areas: Vec<IssueArea>,
    /// Universal (the UN treaties and bodies that govern every area) or area-specific.
    #[serde(default)]
    pub scope: Scope,
    /// Open to every UN member state (or any state that wants to join); a club otherwise.
    #[serde(default = "yes")]
    pub open: bool,
    /// The legalisation weight set for this institution; `None` takes its kind's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legalisation: Option<Weight>,
    /// The programme the institution belongs to, was created by or hosts: what "own" means
    /// for the density of that programme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programme: Option<String>,
    pub url: Option<String>,
    pub description: String,
}

fn yes() -> bool {
    true
}

/// A non-negative, finite weight (legalisation). Kept apart from `f64` so that records stay
/// comparable with `Eq`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Weight(f64);

impl Eq for Weight {}

impl Weight {
    pub fn new(v: f64) -> Option<Weight> {
        (v.is_finite() && v >= 0.0).then_some(Weight(v))
    }

    pub fn value(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for Weight {
    type Error = String;
    fn try_from(v: f64) -> Result<Self, Self::Error> {
        Weight::new(v).ok_or_else(|| format!("{v} is not a weight (a number of 0 or more)"))
    }
}

impl From<Weight> for f64 {
    fn from(w: Weight) -> f64 {
        w.0
    }
}

impl std::fmt::Display for Weight {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::str::FromStr for Weight {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let v: f64 = s.trim().parse().map_err(|_| {
            format!("'{s}' is not a number (a weight of 0 or more, such as 0.5 or 3)")
        })?;
        Weight::try_from(v)
    }
}

impl Institution {
    /// The legalisation weight used by the measures: the one set, or the kind's default.
    pub fn legalisation_weight(&self) -> f64 {
        self.legalisation
            .map_or_else(|| self.kind.default_legalisation(), Weight::value)
    }

    /// In force at some point of `year` (came into force by its end, not ended before it).
    pub fn in_force_during(&self, year: i32) -> bool {
        self.in_force.year_value() <= year && self.ended.is_none_or(|e| e.year_value() >= year)
    }
}

/// An actor's membership of (or party status to) an institution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub institution: String,
    pub actor: String,
    /// The date of joining, or its earliest bound when only bounds are known.
    pub joined: Option<PartialDate>,
    /// The latest bound of the date of joining ("by April 2025"), when only bounds are known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined_latest: Option<PartialDate>,
    pub left: Option<PartialDate>,
}

impl Membership {
    /// The date the measures count the membership from: its latest bound, so that no year
    /// counts a member that may not have joined yet.
    pub fn counted_from(&self) -> Option<PartialDate> {
        self.joined_latest.or(self.joined)
    }

    /// Whether the actor was a member at some point of `year` (counting from the latest
    /// bound; an unknown date counts in every year, as before bounds existed).
    pub fn member_during(&self, year: i32) -> bool {
        self.counted_from().is_none_or(|j| j.year_value() <= year)
            && self.left.is_none_or(|l| l.year_value() >= year)
    }
}

/// A document that backs events: a press release, an article, a treaty text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub id: String,
    #[serde(rename = "type")]
    pub source_type: SourceType,
    pub author: Option<String>,
    pub title: String,
    /// The journal, newspaper or site the document appeared in.
    pub container: Option<String>,
    pub publisher: Option<String>,
    pub issued: Option<PartialDate>,
    pub url: Option<String>,
    pub doi: Option<String>,
    pub language: Option<String>,
    pub accessed: Option<PartialDate>,
}

/// An actor's part in an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub actor: String,
    pub role: Role,
    /// Confirmed by the party or an official text, or only claimed by others.
    #[serde(default)]
    pub certainty: Certainty,
}

impl Party {
    pub fn is_claimed(&self) -> bool {
        self.certainty == Certainty::Claimed
    }
}

/// A source cited by an event, with an optional locator (page, paragraph).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
}

/// One cooperation event, with its links by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    pub date: PartialDate,
    pub end_date: Option<PartialDate>,
    pub programme: String,
    pub kind: Kind,
    pub channel: Channel,
    /// Cooperation, or a refusal, withdrawal or obstacle.
    #[serde(default)]
    pub valence: Valence,
    /// The institution or forum where the event took place (an institution id), apart from
    /// the channel, which describes the instrument.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    /// The earlier event of the same instrument (signature, ratification, entry into force,
    /// withdrawal), so that an instrument's life cycle is linked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follows: Option<String>,
    pub title: String,
    pub summary: String,
    pub notes: String,
    pub parties: Vec<Party>,
    pub institutions: Vec<String>,
    pub sources: Vec<SourceRef>,
}

impl Event {
    /// The last date the event can stand for: its end, or its own date.
    pub fn last_date(&self) -> PartialDate {
        self.end_date.unwrap_or(self.date)
    }
}

/// A whole dataset: what the seed ships and what a bundle import carries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dataset {
    pub programmes: Vec<Programme>,
    pub actors: Vec<Actor>,
    pub institutions: Vec<Institution>,
    pub memberships: Vec<Membership>,
    pub sources: Vec<Source>,
    pub events: Vec<Event>,
}

/// A programme's first channel-defining instrument (see `metrics::decision`): the event and
/// the year it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instrument {
    pub id: String,
    pub year: i32,
}

impl Instrument {
    pub fn of(e: &Event) -> Instrument {
        Instrument {
            id: e.id.clone(),
            year: e.date.year_value(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_survive_their_stored_cell() {
        let a = Actor {
            id: "CHN".into(),
            name: "China".into(),
            kind: ActorKind::State,
            iso3: Some("CHN".into()),
            country: None,
            aliases: vec!["PRC".into(), "中国".into()],
        };
        assert_eq!(a.aliases_cell(), "PRC; 中国");
        assert_eq!(Actor::aliases_from_cell(&a.aliases_cell()), a.aliases);
        assert_eq!(Actor::aliases_from_cell(" ; a ;; b "), ["a", "b"]);
        assert!(Actor::aliases_from_cell("").is_empty());
    }
}
