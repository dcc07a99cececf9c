//! `stats`, `compare` and `programmes` over whole programmes read from the database's running
//! tally instead of from every event: the same rows and claims, at a cost that grows with the
//! programmes and their partners, not with the events (see `domain::tally`). Each reads one
//! snapshot, and only while the tally counts as many events as are stored; an event changed in
//! place by another program is seen by `spacedip check` alone. Any other selection (dates,
//! channels, kinds, valences, actors, a search, `--by-year`) is measured over the events.

use std::path::Path;

use super::institutions::{override_for, overrides_within};
use super::select::Selected;
use crate::db::Db;
use crate::domain::{Catalog, Filter, Programme, Tally};
use crate::error::{Error, Result};
use crate::metrics::claims::{claims_of, inputs_from, Claim};
use crate::metrics::decision::decision_with;
use crate::metrics::tally::channel_counts_of_tally;
use crate::metrics::{summaries_of_tallies, ChannelCounts, Decision, Rules, Summary};

/// The summaries and decisions of the whole programmes `filter` selects, from the tally;
/// `None` when the filter selects anything else, or when the tally cannot be trusted (see
/// [`from_tally`]): the caller then counts over the events.
pub fn whole_programmes(
    path: &Path,
    filter: &Filter,
    decision_years: &[(String, i32)],
) -> Result<Option<(Vec<Summary>, Vec<Decision>)>> {
    if !filter.selects_whole_programmes() {
        return Ok(None);
    }
    let sel = Selected::for_measures(path, filter)?;
    from_tally(&sel.db, || whole_programmes_in(&sel, decision_years))
}

/// `read` over the tally, in one snapshot; `None` (the caller counts over the events, with
/// the same result, only slower) when the tally does not count as many events as are stored
/// (another program added or deleted some) or a row of it is damaged: a cache that cannot be
/// trusted does not stop an analysis. Either is said on stderr with the way out.
fn from_tally<T>(db: &Db, read: impl FnOnce() -> Result<T>) -> Result<Option<T>> {
    let read = db.snapshot(|| {
        if !db.tally_counts_every_event()? {
            eprintln!(
                "spacedip: note: the running tally does not count the events stored (another \
                 program must have added or deleted some); counted over every event instead: \
                 `spacedip check --recount` counts the tally again"
            );
            return Ok(None);
        }
        read().map(Some)
    });
    match read {
        Err(Error::DamagedTally(why)) => {
            eprintln!("spacedip: note: {why}; counted over every event instead");
            Ok(None)
        }
        other => other,
    }
}

fn whole_programmes_in(
    sel: &Selected,
    decision_years: &[(String, i32)],
) -> Result<(Vec<Summary>, Vec<Decision>)> {
    let (db, catalog, filter) = (&sel.db, &sel.catalog, &sel.filter);
    // The years of every programme chosen, then each programme's partners and ties in turn.
    let mut own_channels = db.channel_tallies(&filter.programmes)?;
    let span = |p: &str| own_channels.get(p).and_then(|t| t.span(p));
    let overrides = overrides_within(decision_years, catalog, &span)?;
    let t = own_channels
        .values()
        .filter_map(|t| t.reference_year(&[]))
        .max();
    let required = Rules::DEFAULT.required();
    let rows = summaries_of_tallies(
        catalog,
        &filter.programmes,
        t,
        |p| {
            let ties = db.stored_ties(&p.id, required)?;
            let channels = own_channels.remove(&p.id).unwrap_or_default();
            Ok::<_, Error>((ties, channels))
        },
        |(ties, channels)| ties.numbered(channels),
    )?;
    let mut decided = Vec::with_capacity(rows.len());
    for s in &rows {
        let d = match catalog.programme(&s.programme) {
            Some(p) => decide(db, catalog, p, &overrides, t)?,
            None => Decision::default(),
        };
        decided.push(d);
    }
    Ok((rows, decided))
}

/// The programme's decision, with its first channel-defining instrument read from the database.
fn decide(
    db: &Db,
    catalog: &Catalog,
    p: &Programme,
    overrides: &[(String, i32)],
    t: Option<i32>,
) -> Result<Decision> {
    let first = db.first_instrument(catalog, &p.id)?;
    Ok(decision_with(
        catalog,
        p,
        first.as_ref(),
        override_for(overrides, &p.id),
        t,
    ))
}

/// The rows, decisions and claims of `compare`.
pub type Compared = (Vec<Summary>, Vec<Decision>, Vec<Claim>);

/// What `compare` shows of two whole programmes: their summaries and decisions (as `stats`
/// rows) and the article's claims tested under every coding rule, from the tally; `None` when
/// `sel` selects anything else or the tally cannot be trusted ([`from_tally`]).
pub fn compare_pair(
    sel: &Selected,
    (a, b): (&Programme, &Programme),
    decision_years: &[(String, i32)],
) -> Result<Option<Compared>> {
    if !sel.filter.selects_whole_programmes() {
        return Ok(None);
    }
    from_tally(&sel.db, || compare_pair_in(sel, (a, b), decision_years))
}

fn compare_pair_in(
    sel: &Selected,
    (a, b): (&Programme, &Programme),
    decision_years: &[(String, i32)],
) -> Result<Compared> {
    let (db, catalog) = (&sel.db, &sel.catalog);
    let pair = [a.id.clone(), b.id.clone()];
    let tallies: Vec<(Rules, Tally)> = Rules::NAMED
        .iter()
        .map(|(_, rules)| Ok((*rules, db.tally(&pair, rules.required())?)))
        .collect::<Result<_>>()?;
    // Every reading holds every channel entry: years and spans are the same in each.
    let whole = &tallies[0].1;
    let t = whole.reference_year(&pair);
    let overrides = overrides_within(decision_years, catalog, &|p| whole.span(p))?;
    let mut rows = Vec::new();
    let mut decided = Vec::new();
    let mut inputs = Vec::new();
    for p in [a, b] {
        let by_rules: Vec<Summary> = tallies
            .iter()
            .map(|(rules, tally)| Summary::from_tally(tally, catalog, p, t, rules))
            .collect();
        let decision = decide(db, catalog, p, &overrides, t)?;
        inputs.push(inputs_from(p, t, &by_rules, decision.clone()));
        // The first reading is the default rule's, which the rows show.
        rows.extend(by_rules.into_iter().next());
        decided.push(decision);
    }
    let tested = claims_of(&inputs[0], &inputs[1]);
    Ok((rows, decided, tested))
}

/// The events per programme and channel of `programmes`, from the tally; `None` when `sel`
/// selects anything but whole programmes or the tally cannot be trusted ([`from_tally`]).
pub fn programmes(sel: &Selected) -> Result<Option<Vec<ChannelCounts>>> {
    if !sel.filter.selects_whole_programmes() {
        return Ok(None);
    }
    let programmes = &sel.filter.programmes;
    let Some(tally) = from_tally(&sel.db, || sel.db.channel_tally(programmes))? else {
        return Ok(None);
    };
    Ok(Some(channel_counts_of_tally(
        &tally,
        &sel.catalog,
        programmes,
    )))
}
