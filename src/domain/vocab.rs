//! Controlled vocabularies: channels, event kinds, roles and the kinds of actors, institutions
//! and sources.
//!
//! Each vocabulary is a closed enum whose snake_case names are the values stored in SQLite
//! (where CHECK constraints enforce the same lists) and written in CSV and JSON.

/// A value outside a vocabulary. The message names every valid value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {vocabulary} '{value}' (valid: {})", valid.join(", "))]
pub struct VocabError {
    pub vocabulary: &'static str,
    pub value: String,
    pub valid: Vec<&'static str>,
}

/// Declares a closed vocabulary: the enum, its values in canonical order (`ALL`), their names
/// (`as_str`, `names`, `Display`), parsing with a [`VocabError`] that lists every name, and
/// serde as the name. `vocabulary!(Name, "label" { Variant = "name", … })`; the label names
/// the vocabulary in messages. Export formats and sort keys use it too.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident, $label:literal { $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $( $(#[$vmeta])* $variant ),+ }

        impl $name {
            /// Every value, in the vocabulary's canonical order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant ),+ ];

            pub fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $text ),+ }
            }

            /// The names of every value.
            pub fn names() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.as_str()).collect()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::domain::VocabError;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                match s {
                    $( $text => Ok($name::$variant), )+
                    _ => Err($crate::domain::VocabError {
                        vocabulary: $label,
                        value: s.to_string(),
                        valid: Self::names(),
                    }),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(::serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use vocabulary;

vocabulary! {
    /// The channel an event runs through: the article's key variable.
    Channel, "channel" {
        /// A UN body (UNOOSA, COPUOS, UNGA, the Secretary-General) is a party or co-organiser.
        UnMultilateral = "un_multilateral",
        /// A non-UN international organisation or plurilateral instrument is a party.
        Multilateral = "multilateral",
        /// A dyad, even when signed at a multilateral venue.
        Bilateral = "bilateral",
        /// One state or agency acts or speaks alone.
        National = "national",
    }
}

vocabulary! {
    /// What kind of act an event is.
    Kind, "kind" {
        Mou = "mou",
        JointStatement = "joint_statement",
        Agreement = "agreement",
        AnnouncementOfOpportunity = "announcement_of_opportunity",
        Selection = "selection",
        Workshop = "workshop",
        Launch = "launch",
        Accession = "accession",
        Ratification = "ratification",
        Statement = "statement",
        Other = "other",
    }
}

vocabulary! {
    /// The part an actor plays in an event.
    Role, "role" {
        Lead = "lead",
        Signatory = "signatory",
        Partner = "partner",
        Host = "host",
        Organiser = "organiser",
        Participant = "participant",
        Selected = "selected",
        Observer = "observer",
        Depositary = "depositary",
        Witness = "witness",
        Subject = "subject",
    }
}

vocabulary! {
    /// What an actor is.
    ActorKind, "actor kind" {
        State = "state",
        SpaceAgency = "space_agency",
        InternationalOrganisation = "international_organisation",
        ResearchInstitution = "research_institution",
        Company = "company",
        Ngo = "ngo",
        GovernmentBody = "government_body",
    }
}

vocabulary! {
    /// What an institution is; institutions are what institutional density counts.
    InstitutionKind, "institution kind" {
        Treaty = "treaty",
        UnBody = "un_body",
        Igo = "igo",
        Forum = "forum",
        Arrangement = "arrangement",
        Programme = "programme",
    }
}

vocabulary! {
    /// The issue area a programme belongs to and institutions govern.
    IssueArea, "issue area" {
        LeoHumanSpaceflight = "leo_human_spaceflight",
        Lunar = "lunar",
        DeepSpace = "deep_space",
        SpaceGovernance = "space_governance",
    }
}

vocabulary! {
    /// A source's type, named as in CSL so that citation exports map one to one.
    SourceType, "source type" {
        ArticleJournal = "article-journal",
        ArticleNewspaper = "article-newspaper",
        Webpage = "webpage",
        Report = "report",
        Legislation = "legislation",
        Treaty = "treaty",
        Speech = "speech",
        Book = "book",
        Chapter = "chapter",
        PostWeblog = "post-weblog",
    }
}

vocabulary! {
    /// Whether an event is cooperation or a move against it. Partner counts, networks and
    /// shares read cooperation events unless told otherwise.
    #[derive(Default)]
    Valence, "valence" {
        /// Parties work together (the default).
        #[default]
        Cooperation = "cooperation",
        /// A party declines to cooperate (ESA's 2023 "no plans" for astronauts on the CSS).
        Refusal = "refusal",
        /// A party leaves an instrument (a withdrawal from the Moon Agreement).
        Withdrawal = "withdrawal",
        /// A third party or a rule blocks cooperation (an export-control block on a payload).
        Obstacle = "obstacle",
    }
}

vocabulary! {
    /// How sure the data are that an actor took part in an event.
    #[derive(Default)]
    Certainty, "certainty" {
        /// Confirmed by the party itself or an official text (the default).
        #[default]
        Confirmed = "confirmed",
        /// Named only in press reports or by the other side.
        Claimed = "claimed",
    }
}

vocabulary! {
    /// Whether an institution governs every area of space activity or only some.
    /// Old files carry no scope: an institution is area-specific unless said otherwise.
    #[derive(Default)]
    Scope, "scope" {
        /// The UN space treaties and the UN bodies that govern every area.
        Universal = "universal",
        /// Specific to one or a few issue areas.
        #[default]
        Area = "area",
    }
}

impl Kind {
    /// How a kind reads in tables, the detail pane, the facets and `show` (CSV and JSON keep
    /// the stored name).
    pub fn label(self) -> &'static str {
        match self {
            Kind::Mou => "MoU",
            Kind::JointStatement => "joint statement",
            Kind::Agreement => "agreement",
            Kind::AnnouncementOfOpportunity => "call (AO)",
            Kind::Selection => "selection",
            Kind::Workshop => "workshop",
            Kind::Launch => "launch",
            Kind::Accession => "accession",
            Kind::Ratification => "ratification",
            Kind::Statement => "statement",
            Kind::Other => "other",
        }
    }
}

impl InstitutionKind {
    /// The documented default legalisation weight (after Abbott et al. 2000): treaties and
    /// IGOs bind most, a UN body or programme has standing rules, an arrangement is
    /// non-binding, a forum is expert talk.
    pub fn default_legalisation(self) -> f64 {
        match self {
            InstitutionKind::Treaty | InstitutionKind::Igo => 3.0,
            InstitutionKind::UnBody | InstitutionKind::Programme => 2.0,
            InstitutionKind::Arrangement => 1.0,
            InstitutionKind::Forum => 0.5,
        }
    }
}

impl Kind {
    /// The kinds that are formal instruments: a text signed, adopted, acceded to or issued as
    /// a call. Statements, workshops, launches, selections and other acts are not.
    pub const FORMAL: [Kind; 6] = [
        Kind::Mou,
        Kind::Agreement,
        Kind::JointStatement,
        Kind::AnnouncementOfOpportunity,
        Kind::Accession,
        Kind::Ratification,
    ];

    /// Whether an event of this kind is a formal instrument.
    pub fn is_formal(self) -> bool {
        Kind::FORMAL.contains(&self)
    }
}

impl Channel {
    /// A glyph per channel, so that no meaning rests on colour alone.
    pub fn glyph(self) -> char {
        match self {
            Channel::UnMultilateral => '◆',
            Channel::Multilateral => '■',
            Channel::Bilateral => '▲',
            Channel::National => '●',
        }
    }

    /// A short human label.
    pub fn label(self) -> &'static str {
        match self {
            Channel::UnMultilateral => "UN multilateral",
            Channel::Multilateral => "multilateral",
            Channel::Bilateral => "bilateral",
            Channel::National => "national",
        }
    }

    /// The shortest label, for narrow tables (as the browser's).
    pub fn short(self) -> &'static str {
        match self {
            Channel::UnMultilateral => "UN",
            Channel::Multilateral => "multi",
            Channel::Bilateral => "bilat",
            Channel::National => "natl",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in Channel::ALL {
            assert_eq!(c.as_str().parse::<Channel>().unwrap(), *c);
        }
        for k in Kind::ALL {
            assert_eq!(k.as_str().parse::<Kind>().unwrap(), *k);
        }
        assert_eq!(
            "article-journal".parse::<SourceType>().unwrap(),
            SourceType::ArticleJournal
        );
    }

    #[test]
    fn error_names_every_valid_value() {
        let err = "treaty".parse::<Kind>().unwrap_err().to_string();
        assert!(
            err.starts_with("unknown kind 'treaty' (valid: mou, joint_statement"),
            "{err}"
        );
        assert!(err.contains("other"));
    }
}
