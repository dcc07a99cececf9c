//! The programme cards of whole programmes from the database's running tally (see
//! `domain::tally`), so that showing the cards of a million events reads a few thousand
//! tallied rows and four events per programme instead of every event whole.

use super::cards::{self, Landmark, Landmarks, ProgrammeCard};
use crate::db::Db;
use crate::domain::tally::ProgrammeTally;
use crate::domain::{Catalog, Filter, Instrument, Programme};
use crate::error::{Error, Result};
use crate::metrics::Rules;

/// What the cards ask the database for.
struct Asked<'a>(&'a Db);

impl Landmarks for Asked<'_> {
    fn tally(&self, programme: &str) -> Result<ProgrammeTally> {
        self.0.programme_tally(programme, Rules::DEFAULT.required())
    }

    fn first_and_last(&self, programme: &str) -> Result<Option<(Landmark, Landmark)>> {
        let landmark = |(id, date, title)| Landmark { id, date, title };
        Ok(self
            .0
            .first_and_last(programme)?
            .map(|[first, last]| (landmark(first), landmark(last))))
    }

    fn first_instrument(
        &self,
        programme: &Programme,
        catalog: &Catalog,
    ) -> Result<Option<Instrument>> {
        self.0.first_instrument(catalog, &programme.id)
    }
}

/// What the tally gives for the cards of a filter.
#[derive(Debug, PartialEq)]
pub(super) enum Cards {
    /// The cards, read on one snapshot.
    Tallied(Vec<ProgrammeCard>),
    /// The filter selects more than whole programmes, or the tally counts another number of
    /// events than are stored: the cards are counted over the events.
    Untallied,
    /// A newer request came first (`cancelled` said so between two programmes).
    Cancelled,
}

/// The cards of the whole programmes `filter` selects (see [`Cards`]). Hundreds of programmes
/// over millions of tallied ties take seconds: `cancelled` is asked before each programme.
pub(super) fn cards(
    db: &Db,
    catalog: &Catalog,
    filter: &Filter,
    cancelled: &dyn Fn() -> bool,
) -> Result<Cards> {
    if !filter.selects_whole_programmes() {
        return Ok(Cards::Untallied);
    }
    db.snapshot(|| {
        if !db.tally_counts_every_event()? {
            return Ok(Cards::Untallied);
        }
        let years = db.channel_tally(&filter.programmes)?;
        let asked = Asked(db);
        match cards::summarise_tally(&years, &filter.programmes, &asked, catalog, cancelled) {
            Ok(cards) => Ok(cards.map_or(Cards::Cancelled, Cards::Tallied)),
            // A cache that cannot be read: the cards counted over the events are the same.
            Err(Error::DamagedTally(_)) => Ok(Cards::Untallied),
            Err(e) => Err(e),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Valence;

    #[test]
    fn the_cards_from_the_tally_are_the_cards_from_the_events() {
        let mut db = Db::open_seeded_in_memory().unwrap();
        // An event that is not cooperation, in a year of its own, far from the others.
        let catalog = db.catalog().unwrap();
        let any = db.events(&Filter::default(), &catalog).unwrap()[0].clone();
        let mut refusal = any.clone();
        refusal.id = "REFUSED-1".into();
        refusal.valence = Valence::Refusal;
        refusal.follows = None;
        refusal.date = "1961".parse().unwrap();
        refusal.end_date = None;
        db.insert_event(&refusal).unwrap();
        let selections: [&[&str]; 4] = [&[], &["ILRS"], &["ARTEMIS", "ISS"], &[&any.programme]];
        for programmes in selections {
            let filter = Filter {
                programmes: programmes.iter().map(|p| p.to_string()).collect(),
                ..Filter::default()
            };
            let Cards::Tallied(from_tally) = cards(&db, &catalog, &filter, &|| false).unwrap()
            else {
                panic!("not tallied: {programmes:?}");
            };
            let events = db.events(&filter, &catalog).unwrap();
            assert_eq!(
                from_tally,
                cards::summarise(&events, &catalog),
                "{programmes:?}"
            );
        }
        let searched = Filter {
            search: Some("lunar".into()),
            ..Filter::default()
        };
        assert_eq!(
            cards(&db, &catalog, &searched, &|| false).unwrap(),
            Cards::Untallied
        );
    }

    /// A damaged row of the tally leaves the cards to be counted over the events, which give
    /// the same cards, instead of none.
    #[test]
    fn a_damaged_tally_leaves_the_cards_to_the_events() {
        let db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        db.write_behind_our_back(
            "UPDATE tally_web SET parties = x'00' WHERE programme_id = 'ILRS'",
        )
        .unwrap();
        assert_eq!(
            cards(&db, &catalog, &Filter::default(), &|| false).unwrap(),
            Cards::Untallied
        );
    }

    /// Cards cancelled part-way say so, rather than coming out with some programmes only.
    #[test]
    fn cards_cancelled_between_programmes_are_not_given() {
        let db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let asked = std::cell::Cell::new(0);
        let cancelled = || {
            asked.set(asked.get() + 1);
            asked.get() > 2
        };
        assert_eq!(
            cards(&db, &catalog, &Filter::default(), &cancelled).unwrap(),
            Cards::Cancelled
        );
        assert_eq!(asked.get(), 3);
    }
}
