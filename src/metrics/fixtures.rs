//! Hand-built records for the metrics' unit tests.

use crate::domain::{
    Actor, ActorKind, Catalog, Channel, Event, Institution, InstitutionKind, IssueArea, Kind,
    Membership, PartialDate, Party, Programme, Role,
};

pub fn date(s: &str) -> PartialDate {
    s.parse().unwrap()
}

/// An actor: `kind` is the stored name (`state`, `space_agency`, …).
pub fn actor(id: &str, kind: &str, country: Option<&str>) -> Actor {
    Actor {
        id: id.into(),
        name: id.into(),
        kind: kind.parse::<ActorKind>().unwrap(),
        iso3: None,
        country: country.map(str::to_string),
        aliases: vec![],
    }
}

pub fn programme(id: &str, area: IssueArea, lead: Option<&str>) -> Programme {
    Programme {
        id: id.into(),
        name: id.into(),
        issue_area: area,
        lead_agency: None,
        lead_state: lead.map(str::to_string),
        decision_year: None,
        description: String::new(),
    }
}

pub fn institution(
    id: &str,
    in_force: &str,
    ended: Option<&str>,
    areas: &[IssueArea],
) -> Institution {
    Institution {
        id: id.into(),
        name: id.into(),
        kind: InstitutionKind::Treaty,
        in_force: date(in_force),
        ended: ended.map(date),
        issue_areas: areas.to_vec(),
        scope: Default::default(),
        open: true,
        legalisation: None,
        programme: None,
        url: None,
        description: String::new(),
    }
}

pub fn member(
    institution: &str,
    actor: &str,
    joined: Option<&str>,
    left: Option<&str>,
) -> Membership {
    Membership {
        institution: institution.into(),
        actor: actor.into(),
        joined: joined.map(date),
        joined_latest: None,
        left: left.map(date),
    }
}

/// An event; each party is `ACTOR` or `ACTOR:role`.
pub fn event(id: &str, when: &str, programme: &str, channel: Channel, parties: &[&str]) -> Event {
    Event {
        id: id.into(),
        date: date(when),
        end_date: None,
        programme: programme.into(),
        kind: Kind::Other,
        channel,
        valence: Default::default(),
        venue: None,
        follows: None,
        title: id.into(),
        summary: String::new(),
        notes: String::new(),
        parties: parties
            .iter()
            .map(|p| {
                let (actor, role) = p.split_once(':').unwrap_or((p, "partner"));
                Party {
                    actor: actor.into(),
                    role: role.parse::<Role>().unwrap(),
                    certainty: Default::default(),
                }
            })
            .collect(),
        institutions: vec![],
        sources: vec![],
    }
}

pub fn catalog(
    programmes: Vec<Programme>,
    actors: Vec<Actor>,
    institutions: Vec<Institution>,
    memberships: Vec<Membership>,
) -> Catalog {
    Catalog::new(programmes, actors, institutions, memberships, vec![])
}

/// A small world: China (lead) with CNSA and DSEL, Pakistan with SUPARCO, Thailand with
/// NARIT (an institute), Russia, UNOOSA, and a Swiss firm.
pub fn world_actors() -> Vec<Actor> {
    vec![
        actor("CHN", "state", None),
        actor("CNSA", "space_agency", Some("CHN")),
        actor("DSEL", "research_institution", Some("CHN")),
        actor("PAK", "state", None),
        actor("SUPARCO", "space_agency", Some("PAK")),
        actor("THA", "state", None),
        actor("NARIT", "research_institution", Some("THA")),
        actor("RUS", "state", None),
        actor("UNOOSA", "international_organisation", None),
        actor("FIRM", "company", Some("CHE")),
        actor("CHE", "state", None),
        actor("USA", "state", None),
    ]
}
