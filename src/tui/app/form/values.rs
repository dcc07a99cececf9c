//! The values the form's fields offer (the hint line, Ctrl-N / Ctrl-P) and the ids of a list
//! cell.

use super::Slot;
use crate::domain::{Catalog, Channel, Kind, Role, Valence};
use crate::text::fold;

/// The ids of a list cell (`ID[:…];ID[:…]`).
pub(super) fn ids_of(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(|item| item.split(':').next().unwrap_or("").trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Every value of a slot, as (id, name), those matching `typed` first: ids that start
/// with it, then names (case and accents folded) that contain it.
pub(super) fn offered(slot: Slot, typed: &str, catalog: &Catalog) -> Vec<(String, String)> {
    let named = |id: &str, name: &str| (id.to_string(), name.to_string());
    let all: Vec<(String, String)> = match slot {
        Slot::Programme => catalog
            .programmes
            .iter()
            .map(|p| named(&p.id, &p.name))
            .collect(),
        Slot::Kind => Kind::names().into_iter().map(|k| named(k, "")).collect(),
        Slot::Channel => Channel::names().into_iter().map(|k| named(k, "")).collect(),
        Slot::Valence => Valence::names().into_iter().map(|k| named(k, "")).collect(),
        Slot::Role => Role::names().into_iter().map(|k| named(k, "")).collect(),
        Slot::Actor => catalog
            .actors
            .iter()
            .map(|a| named(&a.id, &a.name))
            .collect(),
        Slot::Institution => catalog
            .institutions
            .iter()
            .map(|i| named(&i.id, &i.name))
            .collect(),
        Slot::Source => catalog
            .sources
            .iter()
            .map(|s| named(&s.id, &s.title))
            .collect(),
    };
    let q = fold(typed.trim()).0;
    if q.is_empty() {
        return all;
    }
    let (mut by_id, mut by_name) = (Vec::new(), Vec::new());
    for (id, name) in all {
        if fold(&id).0.starts_with(&q) {
            by_id.push((id, name));
        } else if fold(&name).0.contains(&q) {
            by_name.push((id, name));
        }
    }
    by_id.extend(by_name);
    by_id
}
