//! The word index as stored (`search_token`, `search_vocabulary` and `search_pending`, schema
//! migration 10): built from the events' own texts, added to by every write, built again by
//! `check --recount`, and read by a search to score only the events that can match (see
//! [`crate::search::index`] and [`crate::search::corpus::candidates`]).

use rusqlite::{Connection, OptionalExtension};

use super::Db;
use crate::domain::{Catalog, Filter};
use crate::error::{Error, Result};
use crate::search::corpus::{candidates, Links, WordIndex};
use crate::search::index::{decode_into, Builder, Vocabulary};
use crate::search::Query;

/// An event's row id, id, title and summary, as read to be indexed.
type PendingRow = (i64, String, String, String);

/// Events handed to the indexing thread at a time.
const BATCH: usize = 1024;

/// A search narrowed by the index reads its candidates by row id; past this share of the
/// events (one in `WORTH_IT`), reading every event in table order costs less.
const WORTH_IT: usize = if cfg!(test) { 1 } else { 4 };

/// Indexes the events waiting in `search_pending` and empties it: one new row per token,
/// holding those events. Run inside the transaction that wrote them.
pub(super) fn index_pending(conn: &Connection) -> Result<()> {
    // Reading the rows and taking their words apart cost about the same: this thread steps
    // through SQLite while a second one builds the index.
    let (send, batches) = std::sync::mpsc::sync_channel::<Vec<PendingRow>>(4);
    let builder = std::thread::scope(|s| -> Result<Builder> {
        let helper = std::thread::Builder::new()
            .name("spacedip-index".into())
            .spawn_scoped(s, move || {
                let mut builder = Builder::default();
                for batch in batches {
                    for (key, id, title, summary) in batch {
                        builder.add(key, &id, &title, &summary);
                    }
                }
                builder
            })
            .map_err(Error::Thread)?;
        let read = (|| -> Result<()> {
            let mut st = conn.prepare(
                "SELECT e.rowid, e.id, e.title, e.summary FROM search_pending p \
                 JOIN event e ON e.rowid = p.event ORDER BY p.event",
            )?;
            let mut rows = st.query([])?;
            let mut batch = Vec::with_capacity(BATCH);
            while let Some(r) = rows.next()? {
                batch.push((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?));
                if batch.len() == BATCH && send.send(std::mem::take(&mut batch)).is_err() {
                    break;
                }
            }
            // A helper that stopped early panicked: the join below says so.
            let _ = send.send(batch);
            Ok(())
        })();
        drop(send);
        let builder = helper.join().map_err(|_| Error::WorkerGone {
            thread: "spacedip-index",
        })?;
        read.map(|()| builder)
    })?;
    store(conn, builder)?;
    conn.execute("DELETE FROM search_pending", [])?;
    Ok(())
}

/// Writes what `builder` gathered: a row per token, and the vocabulary with its new tokens.
pub(super) fn store(conn: &Connection, builder: Builder) -> Result<()> {
    if !builder.is_empty() {
        let tokens = builder.finish();
        let mut st = conn.prepare("INSERT INTO search_token (token, events) VALUES (?1, ?2)")?;
        for (token, postings) in &tokens {
            st.execute(rusqlite::params![&**token, postings.bytes()])?;
        }
        // A vocabulary that is not one (damaged) is made again from the tokens.
        let stored: Option<Vec<u8>> = conn
            .query_row(
                "SELECT tokens FROM search_vocabulary WHERE id = 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let (old, new) = match stored.as_deref().and_then(Vocabulary::from_bytes) {
            Some(v) => {
                let merged = v.merged(tokens.iter().map(|(t, _)| &**t));
                (Some(v), merged)
            }
            None => (None, whole_vocabulary(conn)?),
        };
        // An edit seldom brings a new word: the vocabulary (megabytes at a million events)
        // is written again only when it does.
        if old.as_ref() != Some(&new) {
            conn.execute(
                "INSERT OR REPLACE INTO search_vocabulary (id, tokens) VALUES (1, ?1)",
                [new.as_bytes()],
            )?;
        }
    }
    Ok(())
}

/// The vocabulary of every token stored.
fn whole_vocabulary(conn: &Connection) -> Result<Vocabulary> {
    let mut st = conn.prepare("SELECT DISTINCT token FROM search_token ORDER BY token")?;
    let tokens = st
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(Vocabulary::default().merged(tokens.iter().map(String::as_str)))
}

/// Builds the whole index again from the events: one row per token, and nothing of events
/// changed or deleted since they were indexed.
pub(super) fn rebuild(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "DELETE FROM search_token; \
         UPDATE search_vocabulary SET tokens = X'' WHERE id = 1; \
         INSERT OR IGNORE INTO search_pending (event) SELECT rowid FROM event;",
    )?;
    index_pending(conn)
}

impl Db {
    /// The row ids of the events `query` can match among those `w` selects, when the index
    /// narrows them to a fair share of the events (see [`WORTH_IT`]): every event it does
    /// not hold yet among them.
    pub(super) fn search_candidates(
        &self,
        query: &Query,
        catalog: &Catalog,
        links: &dyn Links,
    ) -> Result<Option<Vec<i64>>> {
        let Some(mut keys) = candidates(query, catalog, links, self)? else {
            return Ok(None);
        };
        let mut st = self
            .conn
            .prepare_cached("SELECT event FROM search_pending ORDER BY event")?;
        let pending = st
            .query_map([], |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        if !pending.is_empty() {
            keys.extend(pending);
            keys.sort_unstable();
            keys.dedup();
        }
        let events: i64 =
            self.conn
                .query_row("SELECT coalesce(max(rowid), 0) FROM event", [], |r| {
                    r.get(0)
                })?;
        Ok(
            (keys.len() * WORTH_IT <= usize::try_from(events).unwrap_or(usize::MAX))
                .then_some(keys),
        )
    }

    /// Builds the word index again (for `check --recount`).
    pub fn rebuild_search_index(&mut self) -> Result<()> {
        let tx = self.begin_write()?;
        rebuild(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// What is wrong with the stored word index, if anything: a vocabulary or a list of
    /// events that cannot be read, or a vocabulary that is not that of the tokens. (A search
    /// then scores every event, so nothing is missed; `check --recount` builds it again.)
    pub(super) fn search_index_problem(&self) -> Result<Option<String>> {
        let Some(stored) = self.vocabulary()? else {
            return Ok(Some(
                "the search index's vocabulary cannot be read (`spacedip check --recount` \
                 builds the index again)"
                    .into(),
            ));
        };
        if stored != whole_vocabulary(&self.conn)? {
            return Ok(Some(
                "the search index's vocabulary is not that of its tokens (`spacedip check \
                 --recount` builds the index again)"
                    .into(),
            ));
        }
        let mut st = self
            .conn
            .prepare("SELECT token, events FROM search_token")?;
        let mut rows = st.query([])?;
        let mut keys = Vec::new();
        while let Some(r) = rows.next()? {
            keys.clear();
            let bytes = r.get_ref(1)?.as_blob().unwrap_or_default();
            if decode_into(bytes, &mut keys).is_none() {
                let token: String = r.get(0)?;
                return Ok(Some(format!(
                    "the search index's events of {token:?} cannot be read (`spacedip check \
                     --recount` builds the index again)"
                )));
            }
        }
        Ok(None)
    }

    /// Whether a search of `filter` would be narrowed by the word index (for tests and
    /// benchmarks that hold the two ways to the same answer).
    pub fn search_is_narrowed(&self, filter: &Filter, catalog: &Catalog) -> Result<bool> {
        let Some(query) = filter.search.as_deref().and_then(Query::parse) else {
            return Ok(false);
        };
        Ok(self.search_candidates(&query, catalog, self)?.is_some())
    }
}

impl WordIndex for Db {
    fn vocabulary(&self) -> Result<Option<Vocabulary>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT tokens FROM search_vocabulary WHERE id = 1")?;
        let mut rows = st.query([])?;
        Ok(match rows.next()? {
            Some(r) => Vocabulary::from_bytes(r.get_ref(0)?.as_blob().unwrap_or_default()),
            None => None,
        })
    }

    fn holding(&self, tokens: &[String]) -> Result<Option<Vec<i64>>> {
        let mut keys = Vec::new();
        let mut st = self
            .conn
            .prepare_cached("SELECT events FROM search_token WHERE token = ?1")?;
        for token in tokens {
            let mut rows = st.query([token])?;
            while let Some(r) = rows.next()? {
                let bytes = r.get_ref(0)?.as_blob().unwrap_or_default();
                if decode_into(bytes, &mut keys).is_none() {
                    return Ok(None);
                }
            }
        }
        keys.sort_unstable();
        keys.dedup();
        Ok(Some(keys))
    }

    fn at_venues(&self, ids: &[&str]) -> Result<Vec<i64>> {
        let mut st = self.conn.prepare_cached(
            "SELECT rowid FROM event WHERE venue IN (SELECT value FROM json_each(?1)) \
             ORDER BY rowid",
        )?;
        let keys = st
            .query_map([serde_json::to_string(ids)?], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        Ok(keys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Doc;

    /// The ids of the seed's events that `q` matches, scored one whole document at a time
    /// (the reference the corpus is held to), and as the database answers it.
    fn both_ways(db: &Db, catalog: &Catalog, q: &str) -> (Vec<String>, Vec<String>) {
        let query = Query::parse(q).unwrap();
        let mut reference: Vec<String> = db
            .events(&Filter::default(), catalog)
            .unwrap()
            .into_iter()
            .filter(|e| query.score(&Doc::of(e, catalog)).is_some())
            .map(|e| e.id)
            .collect();
        let filter = Filter {
            search: Some(q.to_string()),
            ..Filter::default()
        };
        let mut found: Vec<String> = db
            .events(&filter, catalog)
            .unwrap()
            .into_iter()
            .map(|e| e.id)
            .collect();
        reference.sort();
        found.sort();
        (reference, found)
    }

    /// Queries of every kind the matcher knows, made from the seed's own words: whole words,
    /// prefixes, typos, abbreviations, acronyms of titles, names and aliases of partners and
    /// states, scopes, phrases, punctuation and other scripts.
    fn queries(db: &Db, catalog: &Catalog) -> Vec<String> {
        let mut qs: Vec<String> = [
            "lunar",
            "Mongolia",
            "memorandm",
            "uae",
            "unoosa",
            "turkey",
            "china",
            "ilrs",
            "css",
            "mou",
            "copuos",
            "roscosmos",
            "статион",
            "航天",
            "2021",
            "ilrs-03",
            "chang'e",
            "-lunar",
            "\"joint statement\"",
            "\"lunar research\"",
            "title:lunar",
            "summary:station",
            "partner:russia",
            "partner:uae",
            "institution:copuos",
            "inst:un",
            "source:unoosa",
            "source:reuters",
            "notes:date",
            "kind:mou",
            "programme:css",
            "channel:bilateral",
            "valence:withdrawal",
            "id:css",
            "stmt",
            "jnt stmt",
            "venezuala",
            "statment",
            "pakistn",
            "xyzzy",
            "a",
            "ab",
            "lun res",
            "lunar station uae",
            "esa",
            "nasa artemis",
            "apsco",
            "brics",
            "sco",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for e in db
            .events(&Filter::default(), catalog)
            .unwrap()
            .iter()
            .step_by(3)
        {
            let words: Vec<String> = crate::text::fold(&format!("{} {}", e.title, e.summary))
                .0
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() >= 3)
                .map(str::to_string)
                .collect();
            if let Some(w) = words.get(1) {
                qs.push(w.clone());
                qs.push(w.chars().take(3).collect());
                // One letter dropped from the middle: a typo.
                let mut typo: Vec<char> = w.chars().collect();
                if typo.len() >= 6 {
                    typo.remove(typo.len() / 2);
                    qs.push(typo.into_iter().collect());
                }
            }
            let initials: String = crate::text::fold(&e.title)
                .0
                .split(|c: char| !c.is_alphanumeric())
                .filter_map(|w| w.chars().next())
                .take(3)
                .collect();
            qs.push(initials);
            if let Some(w) = words.last() {
                qs.push(format!("{} {w}", words[0]));
            }
        }
        qs
    }

    #[test]
    fn a_search_narrowed_by_the_index_finds_what_scoring_every_event_finds() {
        let db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let mut narrowed = 0;
        for q in queries(&db, &catalog) {
            let (reference, found) = both_ways(&db, &catalog, &q);
            assert_eq!(found, reference, "query {q:?}");
            let filter = Filter {
                search: Some(q.clone()),
                ..Filter::default()
            };
            narrowed += usize::from(db.search_is_narrowed(&filter, &catalog).unwrap());
        }
        // Most of them went through the index (the others match a kind, a programme, a
        // channel or the notes).
        assert!(narrowed > 60, "{narrowed} narrowed");
    }

    #[test]
    fn events_written_by_another_program_are_found_before_they_are_indexed() {
        let mut db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let pending = |db: &Db| -> i64 {
            db.conn
                .query_row("SELECT count(*) FROM search_pending", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(pending(&db), 0);
        db.conn
            .execute(
                "UPDATE event SET title = 'Zanzibar accord' WHERE rowid = (SELECT min(rowid) FROM event)",
                [],
            )
            .unwrap();
        assert_eq!(pending(&db), 1);
        let (reference, found) = both_ways(&db, &catalog, "zanzibar");
        assert_eq!(found.len(), 1);
        assert_eq!(found, reference);
        // spacedip's own next write indexes it.
        let mut event = db.events(&Filter::default(), &catalog).unwrap().remove(5);
        event.title = "Quetzal workshop".into();
        db.update_event(&event).unwrap();
        assert_eq!(pending(&db), 0);
        assert_eq!(both_ways(&db, &catalog, "zanzibar").1.len(), 1);
        assert_eq!(
            both_ways(&db, &catalog, "quetzal").1,
            vec![event.id.clone()]
        );
        assert!(db.search_index_problem().unwrap().is_none());
    }

    #[test]
    fn a_damaged_index_is_found_by_check_and_passed_over_by_search() {
        let mut db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let before = both_ways(&db, &catalog, "lunar");
        db.conn
            .execute("UPDATE search_vocabulary SET tokens = X'FF0A'", [])
            .unwrap();
        assert!(db.search_index_problem().unwrap().is_some());
        assert_eq!(both_ways(&db, &catalog, "lunar"), before);
        db.rebuild_search_index().unwrap();
        assert!(db.search_index_problem().unwrap().is_none());
        db.conn
            .execute(
                "UPDATE search_token SET events = X'80' WHERE id = (SELECT max(id) FROM search_token)",
                [],
            )
            .unwrap();
        assert!(db.search_index_problem().unwrap().is_some());
        assert_eq!(both_ways(&db, &catalog, "lunar"), before);
        db.rebuild_search_index().unwrap();
        assert!(db.search_index_problem().unwrap().is_none());
        assert_eq!(both_ways(&db, &catalog, "lunar"), before);
    }
}
