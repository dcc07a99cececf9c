//! The search corpus read from the event table, and the link look-ups through which it finds
//! the events of the partners, institutions and sources a term matched (by their indexes,
//! instead of copying every event's shared texts into memory).

use std::ops::ControlFlow;
use std::sync::mpsc::{self, SyncSender};

use rusqlite::params_from_iter;
use rusqlite::types::{Value, ValueRef};

use super::link_list::{link_table, EventIds};
use super::rows::{parse_vocab_ref, Where};
use super::Db;

use crate::domain::facets::{FacetIndex, IndexEntry};
use crate::domain::Catalog;
use crate::domain::{Channel, Kind, Source, Valence};
use crate::error::{Error, Result};
use crate::search::corpus::{Corpus, Entry, Link, Links};

impl Db {
    /// The corpus of the events `w` selects, in row-id order (a table scan, no sort of
    /// whole rows); each event's key is its row id. Notes are read only `with_notes` (for a
    /// query that has a `notes:` term): they are searched for nothing else.
    pub(super) fn corpus_of(&self, w: &Where, with_notes: bool) -> Result<Corpus> {
        self.corpus_into(Corpus::new(with_notes), w, None)
    }

    /// The corpus of `w`'s events pushed into `corpus` (in memory or in a scratch file).
    ///
    /// Reading the rows and folding their texts cost about the same at scale, so they run
    /// side by side: this thread steps through SQLite and hands the raw texts over a batch
    /// at a time; a second folds them into the corpus. What a browser reads `beside` the
    /// corpus is taken from the same rows.
    fn corpus_into(
        &self,
        corpus: Corpus,
        w: &Where,
        beside: Option<&mut Beside>,
    ) -> Result<Corpus> {
        let with_notes = corpus.has_notes();
        let (batches, received) = mpsc::sync_channel::<Batch>(2);
        std::thread::scope(|s| {
            let folder = std::thread::Builder::new()
                .name("spacedip-fold".into())
                .spawn_scoped(s, move || -> Result<Corpus> {
                    let mut corpus = corpus;
                    for batch in received {
                        batch.push_into(&mut corpus)?;
                    }
                    corpus.finish()?;
                    Ok(corpus)
                })
                .map_err(Error::Thread)?;
            let read = self.read_corpus_rows(w, with_notes, &batches, beside);
            // The folder ends once it has every batch (or has failed and dropped the rest).
            drop(batches);
            let folded = folder
                .join()
                .map_err(|_| Error::Internal("the search corpus could not be built".into()))?;
            read?;
            folded
        })
    }

    /// Reads `w`'s events in row-id order and sends their texts on in batches; stops early
    /// (with no error of its own) when the receiving side has gone.
    fn read_corpus_rows(
        &self,
        w: &Where,
        with_notes: bool,
        out: &SyncSender<Batch>,
        mut beside: Option<&mut Beside>,
    ) -> Result<()> {
        let notes = if with_notes { "e.notes" } else { "''" };
        let days = if beside.is_some() {
            ", e.day_lo, e.day_hi"
        } else {
            ""
        };
        let sql = format!(
            "SELECT e.rowid, e.id, e.title, e.summary, {notes}, e.programme_id, e.kind, \
             e.channel, e.valence, e.venue{days} FROM event e WHERE {} ORDER BY e.rowid",
            w.sql
        );
        let mut st = self.conn.prepare(&sql)?;
        let mut rows = st.query(params_from_iter(w.params.iter()))?;
        let mut batch = Batch::default();
        while let Some(r) = rows.next()? {
            let text = |i: usize| -> Result<&str> {
                Ok(r.get_ref(i)?
                    .as_str_or_null()
                    .map_err(rusqlite::Error::from)?
                    .unwrap_or(""))
            };
            let coded = |i: usize| -> Result<&str> {
                Ok(r.get_ref(i)?.as_str().map_err(rusqlite::Error::from)?)
            };
            let venue = r
                .get_ref(9)?
                .as_str_or_null()
                .map_err(rusqlite::Error::from)?;
            let key = r.get(0)?;
            let vocab = (
                parse_vocab_ref(coded(6)?)?,
                parse_vocab_ref(coded(7)?)?,
                parse_vocab_ref(coded(8)?)?,
            );
            if let Some(beside) = beside.as_deref_mut() {
                beside.push(
                    key,
                    r.get_ref(1)?,
                    coded(5)?,
                    vocab,
                    [coded(10)?, coded(11)?],
                )?;
            }
            batch.push(
                key,
                [
                    text(1)?,
                    text(2)?,
                    text(3)?,
                    text(4)?,
                    coded(5)?,
                    venue.unwrap_or(""),
                ],
                venue.is_some(),
                vocab,
            );
            if batch.rows.len() == BATCH_ROWS && out.send(std::mem::take(&mut batch)).is_err() {
                return Ok(());
            }
        }
        if !batch.rows.is_empty() {
            // A receiver gone has its own error to report.
            let _ = out.send(batch);
        }
        Ok(())
    }

    /// The corpus of every event, in row-id order (notes `with_notes`).
    pub fn corpus(&self, with_notes: bool) -> Result<Corpus> {
        let all = Where {
            sql: "1".to_string(),
            params: Vec::new(),
        };
        self.corpus_of(&all, with_notes)
    }

    /// What the browser's worker keeps in memory: the corpus of every event with its links,
    /// and the facet index (which shares the reading of the parties).
    pub fn browse_index(
        &self,
        catalog: &Catalog,
        with_notes: bool,
    ) -> Result<(Corpus, FacetIndex)> {
        // Held as long as the browser runs: its folded texts (most of its memory at scale)
        // go to a scratch file, or stay in memory where none can be made.
        let all = Where {
            sql: "1".to_string(),
            params: Vec::new(),
        };
        let mut corpus =
            Corpus::in_scratch_file(with_notes).unwrap_or_else(|_| Corpus::new(with_notes));
        corpus.reserve(self.count_events()?);
        let mut beside = Beside::default();
        let mut corpus = self.corpus_into(corpus, &all, Some(&mut beside))?;
        let Beside { ids, mut facets } = beside;
        // The facet index counts by corpus position: both must hold every row read.
        if facets.len() != corpus.len() {
            return Err(Error::Internal(
                "the facet index and the search corpus disagree on the events".into(),
            ));
        }
        let parties = self.link_list("event_actor", "actor_id", Some(&ids))?;
        // Both were filled from the same rows: an event's facet position is its corpus one.
        facets.link(&parties, catalog, |key| corpus.position(key));
        let mut parties = Some(parties);
        corpus.set_links(|link| match link {
            Link::Party => match parties.take() {
                Some(list) => Ok(list),
                None => self.link_list("event_actor", "actor_id", Some(&ids)),
            },
            Link::Institution => self.link_list("event_institution", "institution_id", Some(&ids)),
            Link::Source => self.link_list("event_source", "source_id", Some(&ids)),
        })?;
        Ok((corpus, facets))
    }
}

/// What the browser's index reads in the same pass as the corpus: each event's id (through
/// which its links are read, see `link_list`) and its facet fields.
#[derive(Default)]
struct Beside {
    ids: EventIds,
    facets: FacetIndex,
}

impl Beside {
    fn push(
        &mut self,
        key: i64,
        id: ValueRef<'_>,
        programme: &str,
        (kind, channel, valence): (Kind, Channel, Valence),
        [day_lo, day_hi]: [&str; 2],
    ) -> Result<()> {
        // An event with no id (a table written without its constraints) has no links to
        // join: it is left out of the ids, not read as an empty one.
        if let ValueRef::Text(id) = id {
            let id = std::str::from_utf8(id).map_err(rusqlite::Error::Utf8Error)?;
            self.ids.push(key, id)?;
        }
        self.facets.push(IndexEntry {
            programme,
            channel,
            kind,
            valence,
            day_lo,
            day_hi,
        });
        Ok(())
    }
}

/// How many rows go to the folding thread at once.
const BATCH_ROWS: usize = 1024;

/// Rows read but not yet folded: their texts one after another in one string.
#[derive(Default)]
struct Batch {
    text: String,
    rows: Vec<RawRow>,
}

/// One row of a [`Batch`]: where its texts end, and its coded fields.
struct RawRow {
    key: i64,
    /// The ends of the id, title, summary, notes, programme and venue in the batch's text.
    ends: [usize; 6],
    has_venue: bool,
    kind: Kind,
    channel: Channel,
    valence: Valence,
}

impl Batch {
    fn push(
        &mut self,
        key: i64,
        texts: [&str; 6],
        has_venue: bool,
        (kind, channel, valence): (Kind, Channel, Valence),
    ) {
        let mut ends = [0; 6];
        for (end, text) in ends.iter_mut().zip(texts) {
            self.text.push_str(text);
            *end = self.text.len();
        }
        self.rows.push(RawRow {
            key,
            ends,
            has_venue,
            kind,
            channel,
            valence,
        });
    }

    fn push_into(&self, corpus: &mut Corpus) -> Result<()> {
        let mut start = 0;
        for row in &self.rows {
            let mut texts = [""; 6];
            for (text, &end) in texts.iter_mut().zip(&row.ends) {
                *text = &self.text[start..end];
                start = end;
            }
            let [id, title, summary, notes, programme, venue] = texts;
            corpus.push(Entry {
                key: row.key,
                id,
                title,
                summary,
                notes,
                programme,
                kind: row.kind,
                channel: row.channel,
                valence: row.valence,
                venue: row.has_venue.then_some(venue),
            })?;
        }
        Ok(())
    }
}

impl Links for Db {
    /// In each event's own order of links, which decides between equal scores as a whole
    /// document would.
    fn linked(&self, link: Link, ids: &[&str]) -> Result<Vec<(i64, String)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let (table, column) = link_table(link);
        let sql = format!(
            "SELECT e.rowid, l.{column} FROM {table} l JOIN event e ON e.id = l.event_id \
             WHERE l.{column} IN (SELECT value FROM json_each(?1)) ORDER BY e.rowid, l.position"
        );
        let json = serde_json::to_string(ids)?;
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map([Value::Text(json)], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn sources(&self, visit: &mut dyn FnMut(&Source) -> ControlFlow<()>) -> Result<()> {
        self.each_source(visit)
    }
}

#[cfg(test)]
mod tests {
    use crate::db::rows::Where;
    use crate::db::Db;
    use crate::domain::Filter;
    use crate::search::corpus::{Link, Links};
    use crate::search::Query;
    use std::ops::ControlFlow;
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

    /// The database's links, counting the questions put to them and the sources handed over.
    struct Counted<'a> {
        db: &'a Db,
        linked: AtomicUsize,
        seen: AtomicUsize,
    }

    impl Counted<'_> {
        fn new(db: &Db) -> Counted<'_> {
            Counted {
                db,
                linked: AtomicUsize::new(0),
                seen: AtomicUsize::new(0),
            }
        }
    }

    impl Links for Counted<'_> {
        fn linked(&self, link: Link, ids: &[&str]) -> crate::error::Result<Vec<(i64, String)>> {
            self.linked.fetch_add(1, Relaxed);
            self.db.linked(link, ids)
        }
        fn sources(
            &self,
            visit: &mut dyn FnMut(&crate::domain::Source) -> ControlFlow<()>,
        ) -> crate::error::Result<()> {
            self.db.sources(&mut |s| {
                self.seen.fetch_add(1, Relaxed);
                visit(s)
            })
        }
    }

    /// Once no event matches the terms scored so far, the others are not scored: each asks
    /// for the events linked to the names it matches, which made a pasted paragraph that
    /// matched nothing take half a minute at a million events.
    #[test]
    fn a_search_scores_no_term_after_nothing_is_left() {
        let db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let mut corpus = db.corpus(false).unwrap();
        let count = |q: &str, corpus: &mut crate::search::corpus::Corpus| {
            let links = Counted::new(&db);
            let query = Query::parse(q).unwrap();
            let found = corpus.search(&query, &catalog, &links, None, &|| false);
            (found.unwrap().unwrap().len(), links.linked.load(Relaxed))
        };
        // One term asks once for each kind of link.
        let (found, asked) = count("russia", &mut corpus);
        assert!(found > 0);
        assert_eq!(asked, 3);
        // A term that matches nothing ends the search, however many follow: the longest
        // terms are scored first.
        let (found, asked) = count("russia china qqxzzqqxzzq lunar station moon", &mut corpus);
        assert_eq!((found, asked), (0, 3));
        // An empty corpus asks nothing.
        let mut empty = db
            .corpus_of(
                &Where {
                    sql: "0".into(),
                    params: Vec::new(),
                },
                false,
            )
            .unwrap();
        assert_eq!(count("russia china", &mut empty), (0, 0));
    }

    /// Narrowing asks for the events linked to the few names a term matches, and for none
    /// when it matches many (one letter matches most partners): such a term narrows nothing.
    #[test]
    fn a_term_that_matches_many_names_narrows_nothing_and_reads_no_links() {
        let db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let narrowed = |q: &str| {
            let links = Counted::new(&db);
            let query = Query::parse(q).unwrap();
            let found = crate::search::corpus::candidates(&query, &catalog, &links, &db);
            (
                found.unwrap().map(|keys| keys.len()),
                links.linked.load(Relaxed),
            )
        };
        let (found, asked) = narrowed("partner:pakistan");
        assert!(found.is_some_and(|n| n > 0));
        assert_eq!(asked, 1);
        assert_eq!(narrowed("partner:a"), (None, 0));
    }

    /// A search over sources read one by one (a catalog without them) stops within a few
    /// thousand sources of being cancelled, and says it was, rather than answering with the
    /// part it had scored; left alone, it reads them all and answers.
    #[test]
    fn a_cancelled_search_stops_its_scan_of_the_sources() {
        let db = Db::open_seeded_in_memory().unwrap();
        db.conn
            .execute_batch(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
                 INSERT INTO source (id, type, title)
                 SELECT 'extra-' || i, 'report', 'Extra report ' || i FROM n;",
            )
            .unwrap();
        let total: usize = db
            .conn
            .query_row("SELECT count(*) FROM source", [], |r| r.get(0))
            .unwrap();
        let catalog = db.catalog_without_sources().unwrap().with_sources_by_row();
        let mut corpus = db.corpus(false).unwrap();
        let query = Query::parse("source:unoosa").unwrap();
        let links = Counted::new(&db);
        // Wanted when first asked, given up by the second time.
        let asked = AtomicUsize::new(0);
        let cancelled = || asked.fetch_add(1, Relaxed) > 0;
        let answer = corpus
            .search(&query, &catalog, &links, None, &cancelled)
            .unwrap();
        assert!(answer.is_none());
        let seen = links.seen.load(Relaxed);
        assert!(seen < total / 2, "{seen} of {total} sources read");

        links.seen.store(0, Relaxed);
        let found = corpus
            .search(&query, &catalog, &links, None, &|| false)
            .unwrap()
            .unwrap();
        assert_eq!(links.seen.load(Relaxed), total);
        assert!(!found.is_empty());
        // The same events as with every source in the catalog.
        let whole = db.catalog().unwrap();
        let again = db
            .corpus(false)
            .unwrap()
            .search(&query, &whole, &db, None, &|| false)
            .unwrap()
            .unwrap();
        let positions = |m: &[crate::search::corpus::Matched]| -> Vec<i64> {
            m.iter().map(|m| i64::from(m.pos)).collect()
        };
        assert_eq!(positions(&found), positions(&again));
    }

    /// The corpus finds what scoring each event's whole document finds: the same events,
    /// scores, fields and title positions.
    #[test]
    fn the_corpus_agrees_with_scoring_whole_documents() {
        let db = Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let all = db.events(&Filter::default(), &catalog).unwrap();
        let (mut browse, _) = db.browse_index(&catalog, true).unwrap();
        let long = "lunar ".repeat(400);
        let pasted = "x".repeat(5000);
        let queries = [
            "lunar",
            "turkey",
            "pakistn",
            "unoosa",
            "uae",
            "stmt",
            "source:nasa",
            "notes:audit",
            "partner:russia",
            "kind:mou",
            "programme:css",
            "channel:bilateral",
            "valence:refusal",
            "venezuala",
            "ilrs-03",
            "id:css",
            "\"space station\"",
            "moon sample",
            "a",
            "zz",
            "institution:copuos",
            "venue:un",
            "src:unoosa",
            "russia china",
            "memorandm",
            "月球",
            "Türkiye",
            "côte",
            "apsco",
            "moon agreement",
            // Several terms over a narrowed few: their links are read once and held.
            "China and Russia signed a memorandum on the lunar research station",
            "partner:russia kind:mou moon",
            "source:unoosa station",
            "uae lunr",
            // Terms that match most names, which narrow nothing.
            "partner:a partner:e",
            "a b c d e",
            long.as_str(),
            pasted.as_str(),
        ];
        for q in queries {
            let filter = Filter {
                search: Some(q.to_string()),
                ..Filter::default()
            };
            let found = db.search(&filter, &catalog).unwrap();
            let query = Query::parse(q).unwrap();
            let expected: Vec<_> = all
                .iter()
                .filter_map(|e| {
                    Some((
                        e.id.clone(),
                        query.score(&crate::search::Doc::of(e, &catalog))?,
                    ))
                })
                .collect();
            let got: Vec<_> = found
                .into_iter()
                .map(|f| (f.event.id, f.hit.unwrap()))
                .collect();
            assert_eq!(got, expected, "query {q:?}");
            // The browser's corpus, links in memory, finds the same.
            let hits = |corpus: &mut crate::search::corpus::Corpus| -> Vec<_> {
                let found = corpus.search(&query, &catalog, &db, None, &|| false);
                let found = found.unwrap().unwrap().into_iter();
                found.map(|m| (corpus.key(m.pos), m.hit())).collect()
            };
            let by_links = hits(&mut db.corpus(true).unwrap());
            assert_eq!(hits(&mut browse), by_links, "query {q:?}");
            // A catalog without its sources (a browser over a million of them) has the
            // database hand them over, and finds the same.
            let lean = catalog.clone().with_sources_by_row();
            let found = browse.search(&query, &lean, &db, None, &|| false);
            let found = found.unwrap().unwrap().into_iter();
            let by_database: Vec<_> = found.map(|m| (browse.key(m.pos), m.hit())).collect();
            assert_eq!(by_database, by_links, "query {q:?} without the sources");
        }
    }
}
