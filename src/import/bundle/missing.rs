//! `--create-missing`: the actors and sources events reference that no input defines, made
//! from the complete records a JSON export embeds.

use super::{Bundle, Created};
use crate::domain::{KnownIds, Record};

impl Bundle {
    /// Makes the actors and sources that events reference but nothing defines, from the
    /// complete records a JSON export embeds. Nothing is guessed: an actor needs its name and
    /// kind, a source its type and title; references that CSV gives only as ids stay unknown
    /// and are reported by [`Bundle::validate`] with a hint.
    pub fn create_missing(&mut self, known: &KnownIds) {
        self.create_missing = true;
        let mut ids = self.ids(known);
        let mut created = Vec::new();
        for part in &self.events {
            for r in &part.rows {
                for p in &r.value.parties {
                    if ids.actors.contains(&p.actor) {
                        continue;
                    }
                    if let Some(a) = self.embedded_actors.get(&p.actor) {
                        ids.actors.insert(a.id.clone());
                        created.push(Created {
                            file: part.file.clone(),
                            line: r.line,
                            record: Record::Actor(a.clone()),
                        });
                    }
                }
                for s in &r.value.sources {
                    if ids.sources.contains(&s.source) {
                        continue;
                    }
                    if let Some(src) = self.embedded_sources.get(&s.source) {
                        ids.sources.insert(src.id.clone());
                        created.push(Created {
                            file: part.file.clone(),
                            line: r.line,
                            record: Record::Source(src.clone()),
                        });
                    }
                }
            }
        }
        // An embedded country that is itself unknown is left empty rather than invented.
        for c in &mut created {
            if let Record::Actor(a) = &mut c.record {
                if a.country.as_ref().is_some_and(|c| !ids.actors.contains(c)) {
                    a.country = None;
                }
            }
        }
        self.created.extend(created);
    }
}
