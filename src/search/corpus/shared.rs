//! What a term scores on the texts events share (partners, institutions, sources, kinds,
//! programmes, channels, valences, the states a text names): each catalog entry scored once,
//! and each event's best found through its links, in memory or through [`Links`].

use std::collections::HashMap;
use std::ops::ControlFlow;

use super::store::RowText;
use super::{Corpus, Link, LinkList, Links, Row};
use crate::domain::catalog::{channel_text, kind_text, source_texts};
use crate::domain::links::Ids;
use crate::domain::{Catalog, Channel, Kind, Source, Valence};
use crate::error::Result;
use crate::search::{Field, Query, Term};
use crate::text::fold;

/// A term's scores on the texts events share, and the events linked to what it matched.
pub(super) struct Shared {
    /// The best score over each event's partners, institutions and sources.
    partner: Option<Linked<i64>>,
    institution: Option<Linked<i64>>,
    source: Option<Linked<(i64, Field)>>,
    /// By interned venue.
    venue: Vec<Option<i64>>,
    valence: Vec<(Valence, i64)>,
    kind: Vec<(Kind, i64)>,
    /// By interned programme.
    programme: Vec<Option<i64>>,
    channel: Vec<(Channel, i64)>,
    /// States whose names the term matched, with the folded names they are found by.
    mention: Vec<(i64, Vec<String>)>,
    /// The best score of a mention.
    mention_max: i64,
}

/// Sources scored between two looks at whether the search is still wanted.
const SOURCES_BETWEEN_CHECKS: usize = 4096;

impl Shared {
    /// `None` when `cancelled` said so: checked before each look-up in the database and every
    /// few thousand sources of a scan, so that a newer keystroke need not wait for a million
    /// sources' titles (an interrupt of the browser's SQL that lands between two statements
    /// stops nothing).
    pub(super) fn score(
        corpus: &Corpus,
        query: &Query,
        term: &Term,
        catalog: &Catalog,
        links: &dyn Links,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Result<Option<Shared>> {
        let scope = |f: Field| f.in_scope(term.scope);
        let score = |text: &str, field: Field| -> Option<i64> {
            query.match_term(term, &fold(text).0, field).map(|(s, _)| s)
        };

        let mut partner = None;
        if scope(Field::Partner) {
            if cancelled() {
                return Ok(None);
            }
            let linked = partner_scores(query, term, catalog);
            partner = Some(Linked::find(
                corpus,
                links,
                Link::Party,
                &linked,
                |a, b| a > b,
            )?);
        }

        let mut institution = None;
        let mut venue = vec![None; corpus.venues.len()];
        if scope(Field::Institution) {
            if cancelled() {
                return Ok(None);
            }
            let scores = institution_scores(query, term, catalog);
            institution = Some(Linked::find(
                corpus,
                links,
                Link::Institution,
                &scores,
                |a, b| a > b,
            )?);
            for (v, id) in venue.iter_mut().zip(corpus.venues.names()) {
                *v = score(&catalog.institution_text(id), Field::Institution);
            }
        }

        let mut source = None;
        if scope(Field::Source) || scope(Field::SourceDetail) {
            let Some(found) = source_scores(query, term, catalog, links, cancelled)? else {
                return Ok(None);
            };
            let scores: HashMap<&str, (i64, Field)> =
                found.iter().map(|(id, b)| (id.as_str(), *b)).collect();
            if cancelled() {
                return Ok(None);
            }
            source = Some(Linked::find(
                corpus,
                links,
                Link::Source,
                &scores,
                |a, b| a.0 > b.0,
            )?);
        }

        let CodedScores {
            valence,
            kind,
            channel,
        } = CodedScores::of(query, term);
        let programme = corpus
            .programmes
            .names()
            .iter()
            .map(|p| programme_score(query, term, catalog, p))
            .collect();

        let mention = mentioned_states(query, term, catalog);
        let mention_max = mention.iter().map(|(s, _)| *s).max().unwrap_or(i64::MIN);
        Ok(Some(Shared {
            mention_max,
            partner,
            institution,
            source,
            venue,
            valence,
            kind,
            programme,
            channel,
            mention,
        }))
    }

    /// Offers the event's shared fields to `consider`, in document order.
    pub(super) fn consider(
        &self,
        corpus: &Corpus,
        row: &Row,
        own: &RowText<'_>,
        pos: u32,
        best: &mut Option<(i64, Field)>,
        consider: impl Fn(&mut Option<(i64, Field)>, i64, Field),
    ) {
        if let Some(s) = self
            .partner
            .as_ref()
            .and_then(|l| l.get(corpus, pos, |a, b| a > b))
        {
            consider(best, s, Field::Partner);
        }
        let linked = self
            .institution
            .as_ref()
            .and_then(|l| l.get(corpus, pos, |a, b| a > b));
        let venue = self.venue.get(usize::from(row.venue)).copied().flatten();
        if let Some(s) = linked.max(venue) {
            consider(best, s, Field::Institution);
        }
        if let Some(&(_, s)) = self.valence.iter().find(|(v, _)| *v == row.valence) {
            consider(best, s, Field::Valence);
        }
        if let Some((s, field)) = self
            .source
            .as_ref()
            .and_then(|l| l.get(corpus, pos, |a, b| a.0 > b.0))
        {
            consider(best, s, field);
        }
        if let Some(&(_, s)) = self.kind.iter().find(|(k, _)| *k == row.kind) {
            consider(best, s, Field::Kind);
        }
        if let Some(s) = self.programme[usize::from(row.programme)] {
            consider(best, s, Field::Programme);
        }
        if let Some(&(_, s)) = self.channel.iter().find(|(c, _)| *c == row.channel) {
            consider(best, s, Field::Channel);
        }
        // A mention wins only with a higher score than the best so far (it comes last in a
        // document): a row that already has one skips the text scan.
        if !self.mention.is_empty() && best.is_none_or(|b| b.0 < self.mention_max) {
            let (title, summary) = (own.field(1), own.field(2));
            let mut spaced: Option<String> = None;
            for (s, names) in &self.mention {
                // A cheap test first, without copying: most texts hold no word of the
                // state's names.
                let named = |n: &String| {
                    let first = n.split(' ').next().unwrap_or(n);
                    title.contains(first) || summary.contains(first)
                };
                if !names.iter().any(named) {
                    continue;
                }
                let spaced =
                    spaced.get_or_insert_with(|| words_spaced(&format!("{title} {summary}")));
                if names.iter().any(|n| spaced.contains(&format!(" {n} "))) {
                    consider(best, *s, Field::Mention);
                }
            }
        }
    }
}

/// A term's scores on the kinds, channels and valences (other than cooperation) whose texts
/// it matches in its scope.
pub(super) struct CodedScores {
    pub(super) valence: Vec<(Valence, i64)>,
    pub(super) kind: Vec<(Kind, i64)>,
    pub(super) channel: Vec<(Channel, i64)>,
}

impl CodedScores {
    pub(super) fn of(query: &Query, term: &Term) -> CodedScores {
        let scope = |f: Field| f.in_scope(term.scope);
        let score = |text: &str, field: Field| -> Option<i64> {
            query.match_term(term, &fold(text).0, field).map(|(s, _)| s)
        };
        CodedScores {
            valence: Valence::ALL
                .iter()
                .filter(|&&v| v != Valence::Cooperation && scope(Field::Valence))
                .filter_map(|&v| Some((v, score(v.as_str(), Field::Valence)?)))
                .collect(),
            kind: Kind::ALL
                .iter()
                .filter(|_| scope(Field::Kind))
                .filter_map(|&k| Some((k, score(&kind_text(k), Field::Kind)?)))
                .collect(),
            channel: Channel::ALL
                .iter()
                .filter(|_| scope(Field::Channel))
                .filter_map(|&c| Some((c, score(&channel_text(c), Field::Channel)?)))
                .collect(),
        }
    }

    /// Whether the term matches none of them.
    pub(super) fn is_empty(&self) -> bool {
        self.valence.is_empty() && self.kind.is_empty() && self.channel.is_empty()
    }
}

/// `term`'s score on programme `id`, when in its scope and matched.
pub(super) fn programme_score(
    query: &Query,
    term: &Term,
    catalog: &Catalog,
    id: &str,
) -> Option<i64> {
    if !Field::Programme.in_scope(term.scope) {
        return None;
    }
    let text = fold(&catalog.programme_text(id)).0;
    query
        .match_term(term, &text, Field::Programme)
        .map(|(s, _)| s)
}

/// `term`'s score on each actor it matches as a partner: by its own names, or by its
/// state's (a party's state is a partner of the event too).
pub(super) fn partner_scores<'c>(
    query: &Query,
    term: &Term,
    catalog: &'c Catalog,
) -> HashMap<&'c str, i64> {
    let own: HashMap<&str, i64> = catalog
        .actors
        .iter()
        .filter_map(|a| {
            let text = fold(&catalog.partner_text(&a.id)).0;
            let (s, _) = query.match_term(term, &text, Field::Partner)?;
            Some((a.id.as_str(), s))
        })
        .collect();
    catalog
        .actors
        .iter()
        .filter_map(|a| {
            let mine = own.get(a.id.as_str()).copied();
            let state = a.country.as_deref().and_then(|c| own.get(c).copied());
            Some((a.id.as_str(), mine.max(state)?))
        })
        .collect()
}

/// `term`'s score on each institution it matches.
pub(super) fn institution_scores<'c>(
    query: &Query,
    term: &Term,
    catalog: &'c Catalog,
) -> HashMap<&'c str, i64> {
    catalog
        .institutions
        .iter()
        .filter_map(|i| {
            let text = fold(&catalog.institution_text(&i.id)).0;
            let (s, _) = query.match_term(term, &text, Field::Institution)?;
            Some((i.id.as_str(), s))
        })
        .collect()
}

/// A source's id with a term's best score on it and the field that scored it.
pub type SourceScore = (String, (i64, Field));

/// `term`'s best score on each source it matches (its title or, when in scope, the rest of
/// its citation), with the field; `None` when `cancelled` said so.
pub(super) fn source_scores(
    query: &Query,
    term: &Term,
    catalog: &Catalog,
    links: &dyn Links,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Option<Vec<SourceScore>>> {
    let scope = |f: Field| f.in_scope(term.scope);
    let score = |text: &str, field: Field| -> Option<i64> {
        query.match_term(term, &fold(text).0, field).map(|(s, _)| s)
    };
    let best = |s: &Source| -> Option<(i64, Field)> {
        let (title, detail) = source_texts(s);
        let title = title
            .filter(|_| scope(Field::Source))
            .and_then(|t| score(&t, Field::Source))
            .map(|s| (s, Field::Source));
        let detail = scope(Field::SourceDetail)
            .then(|| score(&detail, Field::SourceDetail))
            .flatten()
            .map(|s| (s, Field::SourceDetail));
        // The title comes first in a document: it wins a tie.
        match (title, detail) {
            (Some(t), Some(d)) => Some(if d.0 > t.0 { d } else { t }),
            (t, d) => t.or(d),
        }
    };
    // A catalog read without its sources (a browser over a million of them) has them
    // scored as the database hands them over, only those that match kept.
    if let Some(found) = links.remembered_sources(term.scope, &term.text) {
        return Ok(Some(found));
    }
    let mut found: Vec<SourceScore> = Vec::new();
    if catalog.has_sources() {
        for s in &catalog.sources {
            found.extend(best(s).map(|b| (s.id.clone(), b)));
        }
        return Ok(Some(found));
    }
    let mut seen = 0usize;
    let mut stopped = false;
    links.sources(&mut |s| {
        seen += 1;
        if seen.is_multiple_of(SOURCES_BETWEEN_CHECKS) && cancelled() {
            stopped = true;
            return ControlFlow::Break(());
        }
        found.extend(best(s).map(|b| (s.id.clone(), b)));
        ControlFlow::Continue(())
    })?;
    if stopped {
        return Ok(None);
    }
    links.remember_sources(term.scope, &term.text, &found);
    Ok(Some(found))
}

/// The states whose names `term` matches (unscoped terms only), each with its score and the
/// folded names it is found by in a text.
pub(super) fn mentioned_states(
    query: &Query,
    term: &Term,
    catalog: &Catalog,
) -> Vec<(i64, Vec<String>)> {
    let mut mention = Vec::new();
    if !Field::Mention.in_scope(term.scope) {
        return mention;
    }
    let mut names: HashMap<usize, Vec<String>> = HashMap::new();
    for (name, i) in catalog.state_names() {
        names.entry(i).or_default().push(name.to_string());
    }
    let mut states: Vec<(usize, Vec<String>)> = names.into_iter().collect();
    states.sort_by_key(|(i, _)| *i);
    for (i, names) in states {
        let text = fold(&catalog.mention_text(i)).0;
        if let Some((s, _)) = query.match_term(term, &text, Field::Mention) {
            mention.push((s, names));
        }
    }
    mention
}

/// One kind of link of every event, by position: the ids linked, interned.
#[derive(Debug, Default)]
pub(super) struct LinkTable {
    start: Vec<u32>,
    ids: Vec<u32>,
    dict: Ids,
}

impl LinkTable {
    pub(super) fn new(corpus: &Corpus, list: LinkList) -> LinkTable {
        let (start, ids) = list.by_position(corpus.len(), |key| corpus.position(key), Some);
        LinkTable {
            start,
            ids,
            dict: list.into_dict(),
        }
    }

    fn of(&self, pos: u32) -> &[u32] {
        let p = pos as usize;
        &self.ids[self.start[p] as usize..self.start[p + 1] as usize]
    }
}

/// A term's best score over each event's links of one kind: found through [`Links`] for
/// the events linked to what it matched, or per linked id when the links are in memory.
#[derive(Debug)]
enum Linked<T> {
    ByPosition(HashMap<u32, T>),
    ById(usize, Vec<Option<T>>),
}

impl<T: Copy> Linked<T> {
    /// Scores each id of `table` with `scores`, or asks `links` for the events linked to
    /// the ids scored; ties go to the event's earlier link, as in a whole document.
    fn find(
        corpus: &Corpus,
        links: &dyn Links,
        link: Link,
        scores: &HashMap<&str, T>,
        better: impl Fn(&T, &T) -> bool,
    ) -> Result<Linked<T>> {
        let kind = link as usize;
        if let Some(tables) = &corpus.links {
            let table = &tables[kind];
            let by_id = table
                .dict
                .iter()
                .map(|id| scores.get(id).copied())
                .collect();
            return Ok(Linked::ById(kind, by_id));
        }
        let ids: Vec<&str> = scores.keys().copied().collect();
        let mut by_position: HashMap<u32, T> = HashMap::new();
        for (key, id) in links.linked(link, &ids)? {
            if let (Some(pos), Some(&s)) = (corpus.position(key), scores.get(id.as_str())) {
                let e = by_position.entry(pos).or_insert(s);
                if better(&s, e) {
                    *e = s;
                }
            }
        }
        Ok(Linked::ByPosition(by_position))
    }

    fn get(&self, corpus: &Corpus, pos: u32, better: impl Fn(&T, &T) -> bool) -> Option<T> {
        match self {
            Linked::ByPosition(m) => m.get(&pos).copied(),
            Linked::ById(kind, by_id) => {
                let table = &corpus.links.as_ref()?[*kind];
                let mut best: Option<T> = None;
                for &id in table.of(pos) {
                    if let Some(s) = by_id[id as usize] {
                        if best.as_ref().is_none_or(|b| better(&s, b)) {
                            best = Some(s);
                        }
                    }
                }
                best
            }
        }
    }
}

/// The words of a folded text (runs of letters and digits) joined by single spaces, with a
/// space before the first and after the last, as state names are matched.
fn words_spaced(text: &str) -> String {
    let mut out = String::from(" ");
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        out.push_str(w);
        out.push(' ');
    }
    out
}
