//! The rows of the current result the app asks for: a window anywhere in it (scrolling),
//! or around the hit of a given rank (`n`/`N`), read whole with their hits.

use super::{complete, Current, Job, Reply, Response, State, Window};
use crate::db::{Db, Found};
use crate::domain::Catalog;
use crate::error::Result;
use crate::search::Query;

/// The rows a [`Job::Rows`] or [`Job::Seek`] asks for, if it is about the current result.
pub(super) fn rows_for(db: &Db, catalog: &Catalog, state: &mut State, job: Job) -> Option<Reply> {
    if let Err(e) = complete(db, catalog, state) {
        return Some(Reply::Answer(Response {
            generation: state.current.generation,
            outcome: Err(e.into()),
        }));
    }
    let current = &mut state.current;
    let (generation, start, len, select) = match job {
        Job::Rows {
            generation,
            start,
            len,
        } => (generation, start, len, None),
        Job::Seek {
            generation,
            rank,
            len,
        } => {
            if current.hits.is_empty() {
                return None;
            }
            let best = current.best.get_or_insert_with(|| {
                let mut order: Vec<u32> = (0..current.hits.len() as u32).collect();
                order.sort_by_key(|&i| (std::cmp::Reverse(current.hits[i as usize].score), i));
                order
            });
            let row = best[rank % best.len()] as usize;
            (generation, row.saturating_sub(len / 2), len, Some(row))
        }
        _ => return None,
    };
    if generation != current.generation {
        return None;
    }
    Some(match window(db, catalog, current, start, len) {
        Ok(window) => Reply::Rows {
            generation,
            window,
            select,
        },
        Err(e) => Reply::Answer(Response {
            generation,
            outcome: Err(e.into()),
        }),
    })
}

/// Rows `start..start + len` of the current result, read whole, with their hits and the
/// title positions to highlight.
pub(super) fn window(
    db: &Db,
    catalog: &Catalog,
    current: &Current,
    start: usize,
    len: usize,
) -> Result<Window> {
    // While only the first rows are known (`complete` false), `start` is 0.
    let start = start.min(current.count.min(current.keys.len()).saturating_sub(len));
    let end = (start + len).min(current.keys.len());
    let events = db.events_by_keys(&current.keys[start..end])?;
    let query = current.search.as_deref().and_then(Query::parse);
    let rows: Vec<Found> = events
        .into_iter()
        .enumerate()
        .map(|(j, event)| {
            let hit = current
                .hits
                .get(start + j)
                .zip(query.as_ref())
                .map(|(m, q)| {
                    let mut hit = m.hit();
                    hit.title_positions = q.title_positions(&event.title, m.title_terms);
                    hit
                });
            Found { event, hit }
        })
        .collect();
    // In id order, which `Window::source` searches by.
    let sources = if catalog.has_sources() {
        Vec::new()
    } else {
        db.sources_cited_by(rows.iter().map(|f| &f.event))?
    };
    Ok(Window {
        start,
        rows,
        sources,
    })
}
