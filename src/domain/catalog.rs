//! The reference tables (programmes, actors, institutions, memberships, sources) held in memory,
//! with the look-ups that filters, search, details and metrics need.

use std::collections::HashMap;

use super::model::{Actor, Institution, Membership, Programme, Source};
use super::vocab::{Channel, Kind};
use crate::text::fold;

/// Everything but the events: small tables, loaded once and shared.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub programmes: Vec<Programme>,
    pub actors: Vec<Actor>,
    pub institutions: Vec<Institution>,
    pub memberships: Vec<Membership>,
    pub sources: Vec<Source>,
    programme_index: Index,
    actor_index: Index,
    institution_index: Index,
    source_index: Index,
    /// Every state's folded name and aliases (as words joined by single spaces) → its index,
    /// so that a state named only in an event's text is found by any of its names; made on
    /// first use ([`Catalog::state_names`]).
    state_names: std::sync::OnceLock<HashMap<String, usize>>,
    /// The sources were not read (see [`Catalog::has_sources`]).
    sources_left_out: bool,
    /// ... and never will be: they come with the rows that cite them
    /// ([`Catalog::sources_by_row`]).
    by_row: bool,
}

/// Positions by id. foldhash, not SipHash: the measures of a corpus of many actors look
/// actors up millions of times, and ids come from the user's own data.
type Index = HashMap<String, usize, foldhash::fast::RandomState>;

/// The longest name, in words, looked for in an event's text.
const MAX_NAME_WORDS: usize = 4;

/// Folded words of `s`: letters and digits only, case and accents folded.
fn words(s: &str) -> Vec<String> {
    fold(s)
        .0
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

impl Catalog {
    /// Whether the sources were read. A catalog read for the measures, or for a browser's
    /// first frame, leaves them out: a corpus coded from news wires can cite a source of its
    /// own per event, a million rows that neither needs. Without them, a source id is not
    /// "missing", only not read.
    pub fn has_sources(&self) -> bool {
        !self.sources_left_out
    }

    /// Whether this catalog, read without its sources, is to stay so: a browser over more
    /// sources than it should hold reads those of the rows it shows, with the rows.
    pub fn sources_by_row(&self) -> bool {
        self.sources_left_out && self.by_row
    }

    /// This catalog without its sources, for good: see [`Catalog::sources_by_row`].
    pub fn with_sources_by_row(self) -> Catalog {
        Catalog {
            by_row: true,
            ..self.without_sources()
        }
    }

    /// A copy of this catalog holding `sources` (those an export cites, for a catalog read
    /// without them).
    pub fn with_these_sources(&self, sources: Vec<Source>) -> Catalog {
        Catalog::new(
            self.programmes.clone(),
            self.actors.clone(),
            self.institutions.clone(),
            self.memberships.clone(),
            sources,
        )
    }

    /// A copy of this catalog without its sources, for what never reads them.
    pub fn without_sources_copy(&self) -> Catalog {
        self.with_these_sources(Vec::new()).without_sources()
    }

    /// This catalog without its sources, marked as such.
    pub fn without_sources(mut self) -> Catalog {
        self.sources = Vec::new();
        self.source_index = Index::default();
        self.sources_left_out = true;
        self
    }

    pub fn new(
        programmes: Vec<Programme>,
        actors: Vec<Actor>,
        institutions: Vec<Institution>,
        memberships: Vec<Membership>,
        sources: Vec<Source>,
    ) -> Self {
        let index = |ids: Vec<&String>| -> Index {
            ids.into_iter()
                .enumerate()
                .map(|(i, id)| (id.clone(), i))
                .collect()
        };
        let programme_index = index(programmes.iter().map(|p| &p.id).collect());
        let actor_index = index(actors.iter().map(|a| &a.id).collect());
        let institution_index = index(institutions.iter().map(|a| &a.id).collect());
        let source_index = index(sources.iter().map(|a| &a.id).collect());
        Catalog {
            programmes,
            actors,
            institutions,
            memberships,
            sources,
            programme_index,
            actor_index,
            institution_index,
            source_index,
            state_names: std::sync::OnceLock::new(),
            sources_left_out: false,
            by_row: false,
        }
    }

    /// The states named in `text` by any of their names or aliases (`Türkiye`, `Turkey`).
    #[cfg(test)]
    pub(crate) fn states_named_in(&self, text: &str) -> Vec<usize> {
        let w = words(text);
        let mut found = Vec::new();
        for start in 0..w.len() {
            for n in 1..=MAX_NAME_WORDS.min(w.len() - start) {
                if let Some(&i) = self.names_of_states().get(&w[start..start + n].join(" ")) {
                    if !found.contains(&i) {
                        found.push(i);
                    }
                }
            }
        }
        found
    }

    pub fn programme(&self, id: &str) -> Option<&Programme> {
        self.programme_index.get(id).map(|&i| &self.programmes[i])
    }

    pub fn actor(&self, id: &str) -> Option<&Actor> {
        self.actor_index.get(id).map(|&i| &self.actors[i])
    }

    /// The index of actor `id` in [`Catalog::actors`].
    pub fn actor_position(&self, id: &str) -> Option<usize> {
        self.actor_index.get(id).copied()
    }

    /// The institutions that are `programme`'s own (their `programme` link is it), whose
    /// instruments come first when its decision year is read.
    pub fn own_institutions(&self, programme: &str) -> Vec<&str> {
        self.institutions
            .iter()
            .filter(|i| i.programme.as_deref() == Some(programme))
            .map(|i| i.id.as_str())
            .collect()
    }

    pub fn institution(&self, id: &str) -> Option<&Institution> {
        self.institution_index
            .get(id)
            .map(|&i| &self.institutions[i])
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.source_index.get(id).map(|&i| &self.sources[i])
    }

    /// The canonical id of a programme typed in any case.
    pub fn resolve_programme(&self, typed: &str) -> Option<&str> {
        self.programmes
            .iter()
            .find(|p| p.id.eq_ignore_ascii_case(typed))
            .map(|p| p.id.as_str())
    }

    /// The actor ids an `--actor` value selects.
    ///
    /// The value is compared, case- and accent-folded, with each actor's id, name and aliases;
    /// when nothing is equal, a name or alias containing it (3 chars or more) matches. A state
    /// also selects its own agencies and institutes, so `PAK` finds SUPARCO's events.
    pub fn match_actors(&self, typed: &str) -> Vec<String> {
        let q = fold(typed.trim()).0;
        if q.is_empty() {
            return Vec::new();
        }
        let names = |a: &Actor| -> Vec<String> {
            std::iter::once(&a.id)
                .chain(std::iter::once(&a.name))
                .chain(a.aliases.iter())
                .map(|s| fold(s).0)
                .collect()
        };
        let mut ids: Vec<String> = self
            .actors
            .iter()
            .filter(|a| names(a).contains(&q))
            .map(|a| a.id.clone())
            .collect();
        if ids.is_empty() && q.chars().count() >= 3 {
            ids = self
                .actors
                .iter()
                .filter(|a| names(a).iter().any(|n| n.contains(&q)))
                .map(|a| a.id.clone())
                .collect();
        }
        let members: Vec<String> = self
            .actors
            .iter()
            .filter(|a| a.country.as_ref().is_some_and(|c| ids.contains(c)))
            .map(|a| a.id.clone())
            .collect();
        for m in members {
            if !ids.contains(&m) {
                ids.push(m);
            }
        }
        ids
    }

    /// The state an actor stands for: itself if a state, else its country, if known.
    pub fn state_of<'a>(&'a self, actor: &'a str) -> Option<&'a str> {
        self.actor(actor)?.state()
    }

    /// A partner's searchable text: its id, name and aliases.
    pub fn partner_text(&self, id: &str) -> String {
        let mut text = id.to_string();
        if let Some(a) = self.actor(id) {
            text.push_str("; ");
            text.push_str(&a.name);
            for alias in &a.aliases {
                text.push_str("; ");
                text.push_str(alias);
            }
        }
        text
    }

    /// An institution's searchable text: its id and name.
    pub fn institution_text(&self, id: &str) -> String {
        let name = self.institution(id).map_or("", |i| i.name.as_str());
        format!("{id}; {name}")
    }

    /// A source's title (what an unscoped search looks at), and the rest of its citation,
    /// which only answers `source:` terms, so that a publisher's name does not match every
    /// event it published a page about.
    pub fn source_texts(&self, id: &str) -> (Option<String>, String) {
        match self.source(id) {
            Some(src) => source_texts(src),
            None => (None, id.to_string()),
        }
    }

    /// A programme's searchable text: its id and name.
    pub fn programme_text(&self, id: &str) -> String {
        let name = self.programme(id).map_or("", |p| p.name.as_str());
        format!("{id}; {name}")
    }

    /// Every name of the state at `index` in `actors`, as a mention of it is searched.
    pub fn mention_text(&self, index: usize) -> String {
        let a = &self.actors[index];
        let mut names = vec![a.id.clone(), a.name.clone()];
        names.extend(a.aliases.iter().cloned());
        names.join("; ")
    }

    /// The names a state is found by in an event's text (folded words joined by single
    /// spaces), with the index of the state in `actors`.
    pub fn state_names(&self) -> impl Iterator<Item = (&str, usize)> {
        self.names_of_states().iter().map(|(k, &i)| (k.as_str(), i))
    }

    /// Every state's folded names, made on first use: only a search needs them, and folding
    /// them (with the fold table that non-ASCII names build) cost the first frame a few
    /// milliseconds of a catalog read of 20,000 actors.
    fn names_of_states(&self) -> &HashMap<String, usize> {
        self.state_names.get_or_init(|| {
            let mut names = HashMap::new();
            for (i, a) in self.actors.iter().enumerate() {
                if a.kind != super::vocab::ActorKind::State {
                    continue;
                }
                for name in std::iter::once(&a.name).chain(&a.aliases) {
                    let w = words(name);
                    // Short codes (US, UK, PRC) would match ordinary words: names only.
                    if !w.is_empty() && w.len() <= MAX_NAME_WORDS && w.concat().chars().count() >= 4
                    {
                        names.entry(w.join(" ")).or_insert(i);
                    }
                }
            }
            names
        })
    }
}

/// A kind's searchable text: its code and its words.
pub fn kind_text(kind: Kind) -> String {
    format!("{} {}", kind.as_str(), kind.as_str().replace('_', " "))
}

/// A channel's searchable text: its code and its label.
pub fn channel_text(channel: Channel) -> String {
    format!("{}; {}", channel.as_str(), channel.label())
}

/// A source's searchable texts: its title, and the rest of its citation (its id, author,
/// container, publisher and URL; see [`Catalog::source_texts`]).
pub fn source_texts(src: &Source) -> (Option<String>, String) {
    let mut detail = src.id.clone();
    for part in [&src.author, &src.container, &src.publisher, &src.url]
        .into_iter()
        .flatten()
    {
        detail.push_str("; ");
        detail.push_str(part);
    }
    (Some(src.title.clone()), detail)
}
