//! Events for the benchmarks: N of them, referencing the seed's programmes, actors and
//! sources, with quotes, commas, line breaks and Chinese in their texts; and the browser's
//! request for a search, as the benchmarks of its worker send it.

use spacedip::domain::{
    Catalog, Channel, Event, Filter, Kind, PartialDate, Party, Role, SourceRef,
};
use spacedip::tui::worker::{Anchor, Request, Wants};

/// The browser's request for 120 rows of the events `search` finds (all for an empty one).
// Not every benchmark drives the worker.
#[allow(dead_code)]
pub fn request(generation: u64, search: &str, anchor: Anchor) -> Request {
    Request {
        generation,
        filter: Filter {
            search: (!search.is_empty()).then(|| search.to_string()),
            ..Filter::default()
        },
        anchor,
        rows: 120,
        wants: Wants::default(),
    }
}

/// Words the titles are made of, so that searches find some events and not others.
const WORDS: [&str; 9] = [
    "lunar", "station", "orbital", "payload", "sample", "rover", "crew", "module", "science",
];

/// `n` generated events, valid against `catalog` (the seed's).
pub fn events(catalog: &Catalog, n: usize) -> Vec<Event> {
    let programmes: Vec<&str> = catalog.programmes.iter().map(|p| p.id.as_str()).collect();
    let actors: Vec<&str> = catalog.actors.iter().map(|a| a.id.as_str()).collect();
    let sources: Vec<&str> = catalog.sources.iter().map(|s| s.id.as_str()).collect();

    (0..n)
        .map(|i| Event {
            id: format!("BENCH-{i:06}"),
            date: PartialDate::day(
                1990 + (i % 35) as i32,
                1 + (i % 12) as u32,
                1 + (i % 28) as u32,
            )
            .unwrap_or(PartialDate::year(2000)),
            end_date: None,
            programme: programmes[i % programmes.len()].to_string(),
            kind: Kind::ALL[i % Kind::ALL.len()],
            channel: Channel::ALL[i % Channel::ALL.len()],
            valence: Default::default(),
            venue: None,
            follows: None,
            title: format!(
                "Generated {} {} event {i}, with \"quotes\" and a comma",
                WORDS[i % WORDS.len()],
                WORDS[(i * 7) % WORDS.len()]
            ),
            summary: format!("Line one of {i}\nline two; with a semicolon and 中文"),
            notes: String::new(),
            parties: (0..3)
                .map(|k| Party {
                    actor: actors[(i * 7 + k * 13) % actors.len()].to_string(),
                    role: Role::ALL[k % Role::ALL.len()],
                    certainty: Default::default(),
                })
                .collect::<Vec<_>>()
                .into_iter()
                .fold(Vec::new(), |mut v: Vec<Party>, p| {
                    if !v.iter().any(|q| q.actor == p.actor) {
                        v.push(p);
                    }
                    v
                }),
            institutions: Vec::new(),
            sources: vec![SourceRef {
                source: sources[i % sources.len()].to_string(),
                locator: Some(format!("p. {}", i % 300)),
            }],
        })
        .collect()
}
