//! The coding rules the measures read events under: which events count (cooperation only, or
//! every valence; every kind, or formal instruments only) and which parties (confirmed only,
//! or claimed ones too).
//!
//! The default, [`Rules::default`], is what every figure of spacedip uses unless told
//! otherwise: cooperation events, confirmed parties, every kind of act. Refusals, withdrawals
//! and obstacles stay visible and filterable (`--valence`), but a refusal is not a partner and
//! a withdrawal is not a channel choice. The other named rules are the documented
//! alternatives `compare` recomputes its claims under, to show which findings flip.

use serde::Serialize;

use crate::domain::tally::Required;
use crate::domain::{Event, Kind, Party, Valence};

/// Which events and parties the measures count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Rules {
    /// Count refusals, withdrawals and obstacles too (default: cooperation only).
    pub all_valences: bool,
    /// Count parties marked `claimed` too (default: confirmed only).
    pub with_claimed: bool,
    /// Count formal instruments only (see [`is_formal`]; default: every kind).
    pub formal_only: bool,
}

/// The kinds that are formal instruments (see [`Kind::FORMAL`]).
pub const FORMAL_KINDS: [Kind; 6] = Kind::FORMAL;

/// Whether an event's kind is a formal instrument.
pub fn is_formal(kind: Kind) -> bool {
    kind.is_formal()
}

impl Rules {
    /// The default and its documented alternatives, by name, in the order reports show them.
    pub const NAMED: [(&'static str, Rules); 4] = [
        ("default", Rules::DEFAULT),
        (
            "formal_only",
            Rules {
                formal_only: true,
                ..Rules::DEFAULT
            },
        ),
        (
            "with_claimed",
            Rules {
                with_claimed: true,
                ..Rules::DEFAULT
            },
        ),
        (
            "all_valences",
            Rules {
                all_valences: true,
                ..Rules::DEFAULT
            },
        ),
    ];

    pub const DEFAULT: Rules = Rules {
        all_valences: false,
        with_claimed: false,
        formal_only: false,
    };

    /// Whether the measures count `e` at all.
    pub fn admits(&self, e: &Event) -> bool {
        (self.all_valences || e.valence == Valence::Cooperation)
            && (!self.formal_only || is_formal(e.kind))
    }

    /// The flags these rules require of the tallied events, parties and ties they count.
    pub fn required(&self) -> Required {
        Required {
            cooperation: !self.all_valences,
            formal: self.formal_only,
            confirmed: !self.with_claimed,
        }
    }

    /// Whether the measures count `p` as a party of an admitted event.
    pub fn counts_party(&self, p: &Party) -> bool {
        self.with_claimed || !p.is_claimed()
    }

    /// One line for reports: what the figures count.
    pub fn describe(&self) -> String {
        let events = if self.all_valences {
            "events of every valence"
        } else {
            "cooperation events"
        };
        let kinds = if self.formal_only {
            "formal instruments only"
        } else {
            "every kind of act"
        };
        let parties = if self.with_claimed {
            "confirmed and claimed parties"
        } else {
            "confirmed parties"
        };
        format!("{events}, {kinds}, {parties}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Certainty, Channel, Role};
    use crate::metrics::fixtures::event;

    #[test]
    fn the_default_counts_confirmed_cooperation_of_every_kind() {
        let mut e = event("E", "2023", "P", Channel::National, &["ESA"]);
        let r = Rules::default();
        assert!(r.admits(&e));
        e.valence = Valence::Refusal;
        assert!(!r.admits(&e));
        assert!(Rules::NAMED[3].1.admits(&e));
        e.valence = Valence::Cooperation;
        e.kind = Kind::Statement;
        assert!(r.admits(&e) && !Rules::NAMED[1].1.admits(&e));
        let claimed = Party {
            actor: "ARG".into(),
            role: Role::Partner,
            certainty: Certainty::Claimed,
        };
        assert!(!r.counts_party(&claimed) && Rules::NAMED[2].1.counts_party(&claimed));
        assert_eq!(
            r.describe(),
            "cooperation events, every kind of act, confirmed parties"
        );
    }
}
