//! The records spacedip keeps: programmes, actors, institutions, sources and events.
//!
//! These are plain data, shared by the data layer, the exports, the metrics and the TUI.

use serde::{Deserialize, Serialize};

use super::date::PartialDate;
use super::vocab::{ActorKind, Channel, InstitutionKind, IssueArea, Kind, Role, SourceType};

/// A cooperation programme (CSS, ILRS, …) or a context programme (OST, Artemis, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Programme {
    pub id: String,
    pub name: String,
    pub issue_area: IssueArea,
    pub lead_agency: Option<String>,
    pub lead_state: Option<String>,
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

/// A treaty, UN body, IGO, forum or plurilateral arrangement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Institution {
    pub id: String,
    pub name: String,
    pub kind: InstitutionKind,
    pub in_force: PartialDate,
    pub ended: Option<PartialDate>,
    pub issue_areas: Vec<IssueArea>,
    pub url: Option<String>,
    pub description: String,
}

impl Institution {
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
    pub joined: Option<PartialDate>,
    pub left: Option<PartialDate>,
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
