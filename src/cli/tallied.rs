//! `stats` over whole programmes read from the database's running tally instead of from every
//! event: the same rows, at a cost that grows with the programmes and their partners, not with
//! the events (see `domain::tally`). Any other selection (dates, channels, kinds, valences,
//! actors, a search, `--by-year`) is measured over the events as before.

use std::path::Path;

use super::institutions::{override_for, overrides_within};
use super::select::Selected;
use crate::domain::Filter;
use crate::error::Result;
use crate::metrics::decision::{decision_with, own_institutions, Instrument};
use crate::metrics::{summaries_of_tally, Decision, Rules, Summary};

/// The summaries and decisions of the whole programmes `filter` selects, from the tally;
/// `None` when the filter selects anything else, or when the tally does not count the stored
/// events (changed by another program: the caller then counts over the events).
pub fn whole_programmes(
    path: &Path,
    filter: &Filter,
    decision_years: &[(String, i32)],
) -> Result<Option<(Vec<Summary>, Vec<Decision>)>> {
    if !filter.selects_whole_programmes() {
        return Ok(None);
    }
    let sel = Selected::with_filter(path, filter)?;
    if !sel.db.tally_counts_every_event()? {
        return Ok(None);
    }
    let (db, catalog, filter) = (&sel.db, &sel.catalog, &sel.filter);
    let tally = db.tally(&filter.programmes, Rules::DEFAULT.required())?;
    let overrides = overrides_within(decision_years, catalog, &|p| tally.span(p))?;
    let rows = summaries_of_tally(&tally, catalog, &filter.programmes);
    let t = tally.reference_year(&filter.programmes);
    let mut decided = Vec::with_capacity(rows.len());
    for s in &rows {
        let d = match catalog.programme(&s.programme) {
            Some(p) => {
                let own = own_institutions(catalog, &p.id);
                let first = db
                    .first_instrument(&p.id, &own)?
                    .map(|(id, year)| Instrument { id, year });
                decision_with(
                    catalog,
                    p,
                    first.as_ref(),
                    override_for(&overrides, &p.id),
                    t,
                )
            }
            None => Decision::default(),
        };
        decided.push(d);
    }
    Ok(Some((rows, decided)))
}
