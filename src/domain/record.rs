//! Any record of any table, named by its table and id (what history stores and undo
//! restores), and the ids that references may point at (what validation checks against).

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use super::date::PartialDate;
use super::model::{Actor, Event, Institution, Membership, Programme, Source};

/// The tables a change can touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    Actor,
    Programme,
    Institution,
    Membership,
    Source,
    Event,
}

impl Entity {
    /// In the order records must be written so that references resolve.
    pub const ALL: [Entity; 6] = [
        Entity::Actor,
        Entity::Programme,
        Entity::Institution,
        Entity::Membership,
        Entity::Source,
        Entity::Event,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Actor => "actor",
            Entity::Programme => "programme",
            Entity::Institution => "institution",
            Entity::Membership => "membership",
            Entity::Source => "source",
            Entity::Event => "event",
        }
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A table name that is not one of [`Entity::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown entity '{0}'")]
pub struct UnknownEntity(pub String);

impl FromStr for Entity {
    type Err = UnknownEntity;

    fn from_str(s: &str) -> Result<Self, UnknownEntity> {
        Entity::ALL
            .into_iter()
            .find(|e| e.as_str() == s)
            .ok_or_else(|| UnknownEntity(s.to_string()))
    }
}

/// One record of any table (serialised as the record itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Record {
    Programme(Programme),
    Actor(Actor),
    Institution(Institution),
    Membership(Membership),
    Source(Source),
    Event(Event),
}

impl Record {
    pub fn entity(&self) -> Entity {
        match self {
            Record::Programme(_) => Entity::Programme,
            Record::Actor(_) => Entity::Actor,
            Record::Institution(_) => Entity::Institution,
            Record::Membership(_) => Entity::Membership,
            Record::Source(_) => Entity::Source,
            Record::Event(_) => Entity::Event,
        }
    }

    /// The record's key; a membership's is `INSTITUTION/ACTOR` (`/` never occurs in ids).
    pub fn id(&self) -> String {
        match self {
            Record::Programme(r) => r.id.clone(),
            Record::Actor(r) => r.id.clone(),
            Record::Institution(r) => r.id.clone(),
            Record::Membership(m) => membership_key(&m.institution, &m.actor),
            Record::Source(r) => r.id.clone(),
            Record::Event(r) => r.id.clone(),
        }
    }

    /// The record as JSON, the domain type's serde form.
    pub fn to_json(&self) -> serde_json::Result<String> {
        Ok(match self {
            Record::Programme(r) => serde_json::to_string(r)?,
            Record::Actor(r) => serde_json::to_string(r)?,
            Record::Institution(r) => serde_json::to_string(r)?,
            Record::Membership(r) => serde_json::to_string(r)?,
            Record::Source(r) => serde_json::to_string(r)?,
            Record::Event(r) => serde_json::to_string(r)?,
        })
    }

    /// Reads a record of `entity` back from its JSON.
    pub fn from_json(entity: Entity, json: &str) -> serde_json::Result<Record> {
        Ok(match entity {
            Entity::Programme => Record::Programme(serde_json::from_str(json)?),
            Entity::Actor => Record::Actor(serde_json::from_str(json)?),
            Entity::Institution => Record::Institution(serde_json::from_str(json)?),
            Entity::Membership => Record::Membership(serde_json::from_str(json)?),
            Entity::Source => Record::Source(serde_json::from_str(json)?),
            Entity::Event => Record::Event(serde_json::from_str(json)?),
        })
    }
}

/// The key of a membership.
pub fn membership_key(institution: &str, actor: &str) -> String {
    format!("{institution}/{actor}")
}

/// What the life-cycle check needs of an event: its date and the event it follows.
pub type EventLink = (PartialDate, Option<String>);

/// A set of ids, and a map by id, with a fast hash: an import checks millions of references
/// against them. foldhash is seeded per process, so keys chosen to collide would have to be
/// chosen blind; std's SipHash, built for keys from the network, took a tenth of an import's
/// reading.
pub type IdSet = HashSet<String, foldhash::fast::RandomState>;
pub type IdMap<V> = HashMap<String, V, foldhash::fast::RandomState>;

/// Ids that references may point at, beyond those of the records being written, and the
/// events that exist already: what validation checks references against.
#[derive(Debug, Clone, Default)]
pub struct KnownIds {
    pub programmes: IdSet,
    pub actors: IdSet,
    pub institutions: IdSet,
    pub sources: IdSet,
    pub events: IdSet,
    /// The stored events' dates and `follows` links, for checking life cycles (may be left
    /// empty where no event is linked to a stored one).
    pub event_links: IdMap<EventLink>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ActorKind;

    #[test]
    fn records_round_trip_through_json() {
        let r = Record::Actor(Actor {
            id: "CHN".into(),
            name: "China".into(),
            kind: ActorKind::State,
            iso3: Some("CHN".into()),
            country: None,
            aliases: vec!["中国".into()],
        });
        let json = r.to_json().unwrap();
        assert_eq!(Record::from_json(Entity::Actor, &json).unwrap(), r);
        assert_eq!("membership".parse::<Entity>().unwrap(), Entity::Membership);
    }
}
