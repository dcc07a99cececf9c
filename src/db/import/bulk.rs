//! What a bulk load does with the secondary indexes of the tables it fills: which it keeps up
//! as it writes, which it sets aside to build again once the rows are in.

use crate::domain::{Entity, Record};
use crate::error::Result;

/// The secondary indexes a bulk load may keep up as it writes rather than set aside, with the
/// table of the values that lead them (`None`: a vocabulary of a dozen words). Each ends with
/// the row id, which grows with every row written, so that each new entry lands at the end of
/// its value's run: while the values are few, on one of a few pages the cache holds. Sorting
/// them again costs more: at a million events among 160 actors, keeping these saved about 3 s
/// (the actors' index alone took 4.0 s to build again, 2.4 s more to keep). Indexes led by a
/// date (`event_span`, `event_programme`, `event_channel`) take their entries all over
/// themselves and are always set aside: kept, they made the load 7.2 s slower against 5.0 s
/// to build again. So are the history's.
const KEPT_IN_BULK_LOADS: [(&str, Option<Entity>); 5] = [
    ("event_kind", None),
    ("event_valence", None),
    ("event_actor_actor", Some(Entity::Actor)),
    ("event_institution_institution", Some(Entity::Institution)),
    ("event_source_source", Some(Entity::Source)),
];

/// The most values an index's leading column may hold for a bulk load to keep the index up:
/// the last page of each value's run stays in the cache, 4096 of them 16 MiB of the load's
/// 256 MiB. Beyond, new entries would land all over the index, as the date-led ones' do.
const FEW_VALUES: usize = 4096;

/// Drops the secondary indexes of the tables an import fills (but those
/// [`KEPT_IN_BULK_LOADS`] over few values, counting the records of `plan`), and the triggers
/// that put each event written in `search_pending` (the import indexes its events itself),
/// returning the statements that make them again.
pub(super) fn set_aside_indexes(
    tx: &rusqlite::Transaction<'_>,
    plan: &[(Record, Option<Box<Record>>)],
) -> Result<Vec<String>> {
    let few = |entity: Entity| -> Result<bool> {
        let stored: i64 = tx.query_row(
            &format!("SELECT count(*) FROM {}", entity.as_str()),
            [],
            |r| r.get(0),
        )?;
        let added = plan
            .iter()
            .filter(|(record, replaced)| replaced.is_none() && record.entity() == entity)
            .count();
        Ok(usize::try_from(stored)
            .unwrap_or(usize::MAX)
            .saturating_add(added)
            <= FEW_VALUES)
    };
    let mut kept = Vec::new();
    for (index, values) in KEPT_IN_BULK_LOADS {
        if values.map_or(Ok(true), few)? {
            kept.push(index);
        }
    }
    let mut st = tx.prepare(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND ((type = 'index' \
         AND tbl_name IN ('event', 'event_actor', 'event_institution', 'event_source', 'history')) \
         OR (type = 'trigger' AND tbl_name = 'event' AND name GLOB 'search_pending_*'))",
    )?;
    let found: Vec<(String, String, String)> = st
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .filter(|found| {
            !matches!(found, Ok((kind, name, _))
                if kind == "index" && kept.contains(&name.as_str()))
        })
        .collect::<rusqlite::Result<_>>()?;
    for (kind, name, _) in &found {
        let kind = if kind == "trigger" {
            "TRIGGER"
        } else {
            "INDEX"
        };
        tx.execute_batch(&format!("DROP {kind} \"{}\"", name.replace('"', "\"\"")))?;
    }
    Ok(found.into_iter().map(|(_, _, sql)| sql).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    /// A bulk load keeps up the indexes over a vocabulary, and those over actors,
    /// institutions or sources while their table (with the plan's new records) holds few;
    /// it sets the rest aside, and the statements it returns make them again.
    #[test]
    fn a_bulk_load_keeps_up_only_the_indexes_over_few_values() {
        let mut db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let source = catalog.sources[0].clone();
        let many_sources: Vec<(Record, Option<Box<Record>>)> = (0..FEW_VALUES)
            .map(|i| {
                let mut s = source.clone();
                s.id = format!("generated-{i}");
                (Record::Source(s), None)
            })
            .collect();
        let indexes = |tx: &rusqlite::Transaction<'_>| -> Vec<String> {
            let mut st = tx
                .prepare(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
                     ORDER BY name",
                )
                .unwrap();
            st.query_map([], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect()
        };
        for (plan, source_index_kept) in [(Vec::new(), true), (many_sources, false)] {
            let tx = db.conn.transaction().unwrap();
            let before = indexes(&tx);
            let rebuild = set_aside_indexes(&tx, &plan).unwrap();
            let during = indexes(&tx);
            for kept in [
                "event_kind",
                "event_valence",
                "event_actor_actor",
                "event_institution_institution",
            ] {
                assert!(during.iter().any(|i| i == kept), "{kept}");
            }
            assert_eq!(
                during.iter().any(|i| i == "event_source_source"),
                source_index_kept
            );
            for set_aside in [
                "event_span",
                "event_programme",
                "event_channel",
                "history_batch",
            ] {
                assert!(!during.iter().any(|i| i == set_aside), "{set_aside}");
            }
            for sql in rebuild {
                tx.execute_batch(&sql).unwrap();
            }
            assert_eq!(indexes(&tx), before);
            tx.rollback().unwrap();
        }
    }
}
