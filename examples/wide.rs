//! Synthetic corpus of another shape for benchmarks: many programmes and many actors. Writes a
//! folder of tables in the layout of `seed/` (`programmes.csv`, `actors.csv`, `sources.csv`,
//! `events.csv`) that `spacedip import DIR` reads, with every reference valid against the
//! tables written and the embedded seed.
//!
//! ```text
//! cargo run --release --example wide -- 300000 wide/
//! ./target/release/spacedip --db wide.db import --quiet wide/
//! ```
//!
//! N events over 400 programmes; each event has 1 to 20 parties drawn from 20,000 actors, so
//! that the running tally holds millions of pairs of partners (an event of twenty parties makes
//! 190, and random pairs rarely repeat), and cites one to three of 50,000 sources. The output
//! depends only on N: one splitmix64 generator seeded from N drives every choice. `synth`
//! makes the default shape, whose events name the seed's own programmes and actors.

// No unwrap() outside tests: a failure is an error message, never a panic.
#![deny(clippy::unwrap_used)]

use std::error::Error;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use spacedip::import::records::{ACTOR_COLUMNS, PROGRAMME_COLUMNS, SOURCE_COLUMNS};
use spacedip::interchange::EVENT_COLUMNS;

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

const USAGE: &str = "usage: cargo run --release --example wide -- N DIR";

const PROGRAMMES: usize = 400;
const ACTORS: usize = 20_000;
const SOURCES: usize = 50_000;
// Repeats weight the draw: most events have a few parties, some many.
const PARTY_COUNTS: &[usize] = &[1, 2, 2, 3, 5, 8, 20];

const AREAS: &[&str] = &[
    "leo_human_spaceflight",
    "lunar",
    "deep_space",
    "space_governance",
];
#[rustfmt::skip]
const KINDS: &[&str] = &[
    "mou", "joint_statement", "agreement", "announcement_of_opportunity", "selection", "workshop",
    "launch", "accession", "ratification", "statement", "other",
];
const CHANNELS: &[&str] = &["un_multilateral", "multilateral", "bilateral", "national"];
const ROLES: &[&str] = &[
    "lead",
    "signatory",
    "partner",
    "host",
    "participant",
    "observer",
];
// Institutions of the seed that an event may run through.
const INSTITUTIONS: &[&str] = &["OST", "COPUOS", "UNOOSA", "APSCO", "IAF"];
#[rustfmt::skip]
const WORDS: &[&str] = &[
    "lunar", "station", "orbit", "payload", "Mongolia", "agreement", "memorandum", "science",
    "rover", "crew", "data", "ground", "segment",
];
const AGENCY_KINDS: &[&str] = &["space_agency", "research_institution", "company"];

fn table(dir: &Path, name: &str, header: &[&str]) -> Result<csv::Writer<BufWriter<File>>> {
    let path = dir.join(name);
    let file = File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = csv::Writer::from_writer(BufWriter::with_capacity(1 << 20, file));
    out.write_record(header)?;
    Ok(out)
}

fn write_catalog(dir: &Path) -> Result<()> {
    let mut out = table(dir, "programmes.csv", PROGRAMME_COLUMNS)?;
    for i in 0..PROGRAMMES {
        let lead = if i % 2 == 0 { "USA" } else { "CHN" };
        let name = format!("Wide programme {i}");
        let description = format!("Programme {i} of the wide benchmark shape");
        out.write_record([
            format!("WP{i:03}").as_str(),
            &name,
            AREAS[i % AREAS.len()],
            "",
            lead,
            "",
            &description,
        ])?;
    }
    out.flush()?;

    let mut out = table(dir, "actors.csv", ACTOR_COLUMNS)?;
    for i in 0..ACTORS {
        // Accented and Greek letters, so that the names exercise folding.
        let name = format!("Wide actor {i} Ünïversität {}", ["Α", "Β", "Γ"][i % 3]);
        let country = if i % 5 == 0 { "CHN" } else { "" };
        let aliases = format!("WA{i};Akteur {i}");
        out.write_record([
            format!("WA{i:05}").as_str(),
            &name,
            AGENCY_KINDS[i % AGENCY_KINDS.len()],
            "",
            country,
            &aliases,
        ])?;
    }
    out.flush()?;

    let mut out = table(dir, "sources.csv", SOURCE_COLUMNS)?;
    for i in 0..SOURCES {
        let author = format!("Author {}", i % 997);
        let title = format!("Report {i} on cooperation in orbit {}", i % 31);
        let issued = (1960 + i % 66).to_string();
        let url = format!("https://example.org/report/{i}");
        out.write_record([
            format!("ws{i:06}").as_str(),
            "report",
            &author,
            &title,
            "",
            "Publisher",
            &issued,
            &url,
            "",
            "en",
            "",
        ])?;
    }
    out.flush()?;
    Ok(())
}

fn write_events(dir: &Path, n: u64, rng: &mut Rng) -> Result<()> {
    let mut out = table(dir, "events.csv", EVENT_COLUMNS)?;
    for i in 0..n {
        // Up to June 2026, at year, month or day precision.
        let year = 1958 + rng.below(69);
        let last_month = if year == 2026 { 6 } else { 12 };
        let date = match rng.below(10) {
            0 | 1 => year.to_string(),
            2..=4 => format!("{year}-{:02}", 1 + rng.below(last_month)),
            _ => format!(
                "{year}-{:02}-{:02}",
                1 + rng.below(last_month),
                1 + rng.below(28)
            ),
        };
        let k = PARTY_COUNTS[rng.below(PARTY_COUNTS.len())];
        let parties: Vec<String> = rng
            .distinct(k, ACTORS)
            .into_iter()
            .map(|a| format!("WA{a:05}:{}", rng.pick(ROLES)))
            .collect();
        let cited = 1 + rng.below(3);
        let sources: Vec<String> = rng
            .distinct(cited, SOURCES)
            .into_iter()
            .map(|s| format!("ws{s:06}"))
            .collect();
        let institution = if rng.below(10) < 3 {
            rng.pick(INSTITUTIONS)
        } else {
            ""
        };
        let title = format!(
            "Wide event {i}: cooperation of {k} partners on orbit {}",
            i % 97
        );
        let words = 5 + rng.below(56);
        let summary: Vec<&str> = (0..words).map(|_| rng.pick(WORDS)).collect();
        let valence = if rng.below(20) == 0 {
            "obstacle"
        } else {
            "cooperation"
        };
        out.write_record([
            format!("WE-{i:07}").as_str(),
            &date,
            "",
            &format!("WP{:03}", rng.below(PROGRAMMES)),
            rng.pick(KINDS),
            rng.pick(CHANNELS),
            valence,
            "",
            "",
            &title,
            &summary.join(" "),
            "",
            &parties.join(";"),
            institution,
            &sources.join(";"),
        ])?;
    }
    out.flush()?;
    Ok(())
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [n, dir] = args.as_slice() else {
        return Err(USAGE.into());
    };
    let n: u64 = n
        .replace('_', "")
        .parse()
        .map_err(|_| format!("'{n}' is not a number of events\n{USAGE}"))?;
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut rng = Rng(0x71DE_5BAC_ED1B_0002 ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    write_catalog(&dir)?;
    write_events(&dir, n, &mut rng)?;
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("wide: {e}");
            ExitCode::FAILURE
        }
    }
}
