//! Synthetic corpus for benchmarks: writes N events to stdout in the interchange format of
//! `seed/events.csv` (the header and columns `spacedip export --format csv` writes and
//! `spacedip import` reads), with every reference valid against the embedded seed, so that
//! the output imports into a fresh database and passes `spacedip check`.
//!
//! ```text
//! cargo run --release --example synth -- 1000000 > big.csv
//! ./target/release/spacedip --db big.db import --quiet big.csv
//! ```
//!
//! `--scripts` writes most titles and summaries in Cyrillic, accented Latin or CJK, and
//! `--hashed-ids` gives ids in no order (see [`Shape`]).
//!
//! `--dense` changes the shape, not the size: multilateral events with up to twelve parties,
//! every event with one to four institutions and two to four sources, summaries twice as long.
//!
//! The output depends only on N and the shape: one splitmix64 generator, seeded from a
//! constant and N, drives every choice. Ids run `SYN-0000001`, `SYN-0000002`, …; dates mix year, month and day
//! precision between 1957 and mid-2026; a few percent of titles are in Chinese, Russian or
//! Arabic, and the texts carry accented names, quotes, commas and line breaks, so that the
//! CSV quoting, search folding and display widths are all exercised. `bench/compare.sh` uses it.

// No unwrap() outside tests: a failure is an error message, never a panic.
#![deny(clippy::unwrap_used)]

use std::error::Error;
use std::fmt::Write as _;
use std::io::{self, BufWriter};
use std::process::ExitCode;

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

const USAGE: &str =
    "usage: cargo run --release --example synth -- N [--dense] [--scripts] [--hashed-ids] > events.csv";

/// The shape of the corpus. The default follows the seed (one or two parties to most events,
/// a source or two); `--dense` gives multilateral events up to twelve parties, every event
/// one to four institutions and two to four sources, and summaries twice as long: the shape of
/// a corpus coded from full texts, which stresses the links and the texts rather than the
/// number of events.
///
/// `--scripts` rewrites the title and summary of four events in five: half in Cyrillic letters,
/// a fifth with accented vowels, a tenth in CJK ideographs (the same words, letter for letter: a corpus
/// coded from the press of several countries, which stresses case and accent folding).
/// `--hashed-ids` gives ids in no order (`ev-` and 16 hex digits of a hash of the number), as
/// UUIDs or hashes of source records would be. Both draw nothing from the generator, so the
/// rest of the output is as without them.
#[derive(Debug, Clone, Copy, Default)]
struct Shape {
    dense: bool,
    scripts: bool,
    hashed_ids: bool,
}

/// The id of the `i`th event under `shape`.
fn event_id(shape: Shape, i: u64, out: &mut String) {
    if shape.hashed_ids {
        // splitmix64's finaliser is a bijection: distinct numbers, distinct ids.
        let mut z = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        let _ = write!(out, "ev-{:016x}", z ^ (z >> 31));
    } else {
        let _ = write!(out, "SYN-{i:07}");
    }
}

/// `text` rewritten in the script the event's number picks (`--scripts`): Latin letters
/// mapped one to one, so that the words, their lengths and the typos searched for stay.
fn in_script(i: u64, text: &mut String) {
    const CYRILLIC: [char; 26] = [
        'а', 'б', 'ц', 'д', 'е', 'ф', 'г', 'х', 'и', 'й', 'к', 'л', 'м', 'н', 'о', 'п', 'я', 'р',
        'с', 'т', 'у', 'в', 'ш', 'х', 'ы', 'з',
    ];
    const CJK: [char; 26] = [
        '中', '国', '月', '球', '研', '究', '站', '空', '间', '合', '作', '际', '协', '议', '签',
        '署', '发', '射', '任', '务', '科', '学', '实', '验', '伙', '伴',
    ];
    let letter = |c: char| -> Option<usize> {
        c.is_ascii_alphabetic()
            .then(|| usize::from(c.to_ascii_lowercase() as u8 - b'a'))
    };
    let mapped: String = match i % 10 {
        0..=4 => text
            .chars()
            .map(|c| match letter(c) {
                Some(l) if c.is_ascii_uppercase() => {
                    CYRILLIC[l].to_uppercase().next().unwrap_or(CYRILLIC[l])
                }
                Some(l) => CYRILLIC[l],
                None => c,
            })
            .collect(),
        5 | 6 => text
            .chars()
            .map(|c| match c {
                'a' => 'à',
                'e' => 'é',
                'i' => 'î',
                'o' => 'ö',
                'u' => 'ü',
                'A' => 'À',
                'E' => 'É',
                c => c,
            })
            .collect(),
        7 => text
            .chars()
            .map(|c| letter(c).map_or(c, |l| CJK[l]))
            .collect(),
        _ => return,
    };
    *text = mapped;
}

// The columns of seed/events.csv, in order.
#[rustfmt::skip]
const HEADER: [&str; 15] = [
    "id", "date", "end_date", "programme", "kind", "channel", "valence", "venue", "follows",
    "title", "summary", "notes", "parties", "institutions", "sources",
];

// The vocabularies of seed/README.md.
#[rustfmt::skip]
const KINDS: &[&str] = &[
    "mou", "joint_statement", "agreement", "announcement_of_opportunity", "selection", "workshop",
    "launch", "accession", "ratification", "statement", "other",
];
const CHANNELS: &[&str] = &["un_multilateral", "multilateral", "bilateral", "national"];
const OTHER_VALENCES: &[&str] = &["refusal", "withdrawal", "obstacle"];
// Repeats weight the draw: most parties sign or partner, few observe or witness.
#[rustfmt::skip]
const ROLES: &[&str] = &[
    "signatory", "signatory", "signatory", "partner", "partner", "lead", "participant", "host",
    "organiser", "selected", "observer", "depositary", "witness", "subject",
];

// The busy programmes of the seed get most of the events, as in the real data.
const BUSY_PROGRAMMES: &[&str] = &["CSS", "ILRS", "CHANGE", "ARTEMIS", "ISS"];
// UN actors lead the UN-multilateral instruments (the channel rule of seed/README.md).
const UN_ACTORS: &[&str] = &["UNOOSA", "COPUOS", "UNSG"];

#[rustfmt::skip]
const DOCUMENTS: &[&str] = &[
    "memorandum of understanding", "framework agreement", "implementation agreement",
    "letter of intent", "cooperation protocol", "exchange of notes", "joint declaration",
    "intergovernmental agreement",
];
#[rustfmt::skip]
const TOPICS: &[&str] = &[
    "lunar sample exchange", "crew training", "payload integration", "space station utilisation",
    "lunar orbit data relay", "deep-space tracking", "space debris mitigation",
    "the lunar research station", "astronaut selection", "Earth observation data",
    "rover instruments", "sample return", "space law capacity building", "launch services",
    "orbit determination", "lunar south-pole exploration", "mission operations",
    "microgravity experiments", "lunar regolith science", "ground station access",
];
#[rustfmt::skip]
const MISSIONS: &[&str] = &[
    "Chang'e-6", "Chang'e-7", "Chang'e-8", "Tianwen-2", "the Tiangong station", "the Gateway",
    "Artemis III", "a lunar orbiter", "a CubeSat mission", "the lunar south-pole lander", "Luna-26",
    "the Xuntian telescope",
];
#[rustfmt::skip]
const PAYLOADS: &[&str] = &[
    "payload", "experiment", "instrument", "CubeSat", "retroreflector", "spectrometer",
    "neutron detector",
];
#[rustfmt::skip]
const ASPECTS: &[&str] = &[
    "joint payload development", "the exchange of scientific data", "crew and mission training",
    "shared ground stations", "access to returned samples", "orbit and trajectory planning",
    "education and outreach", "the loan of lunar samples", "launch opportunities",
    "joint working groups",
];
#[rustfmt::skip]
const CITIES: &[&str] = &[
    "Beijing", "Moscow", "Vienna", "Zürich", "Brasília", "Bogotá", "Abu Dhabi", "Islamabad",
    "Kazan", "Harbin", "Paris", "Montréal", "Pretoria", "Hefei",
];
#[rustfmt::skip]
const OCCASIONS: &[&str] = &[
    "the COPUOS plenary session", "a state visit", "the International Astronautical Congress",
    "a space-cooperation subcommittee meeting",
    "the International Lunar Research Station conference", "the Zhuhai airshow",
    "a heads-of-agency meeting", "the UN/China workshop on human space technology",
];
// Names that must survive folding for search: diacritics and apostrophes.
#[rustfmt::skip]
const ACCENTED: &[&str] = &[
    "Côte d'Ivoire", "Türkiye", "São Tomé and Príncipe", "Curaçao", "Réunion", "Perú",
];
#[rustfmt::skip]
const NOTES: &[&str] = &[
    "Date from the agency's press release; the signing day is not given elsewhere.",
    "Sources disagree on the day: the press release says the 12th, a news report \"the next day\".",
    "Party list as announced by one side only; the other side has not confirmed it.",
    "Month precision: the report says \"earlier this month\", nothing more.",
    "Channel coded from the instrument, not the venue.\nThe venue only hosted the signing.",
    "Follows the earlier instrument of the same programme; see its notes for the chronology.",
];

#[rustfmt::skip]
const ZH_SUBJECTS: &[&str] = &[
    "中国国家航天局", "中国载人航天工程办公室", "中国", "深空探测实验室",
];
#[rustfmt::skip]
const ZH_PARTNERS: &[&str] = &[
    "俄罗斯", "巴基斯坦", "阿联酋", "埃及", "南非", "委内瑞拉", "泰国",
    "联合国外空司", "欧洲航天局", "土耳其",
];
#[rustfmt::skip]
const ZH_DOCUMENTS: &[&str] = &[
    "国际月球科研站合作谅解备忘录", "空间站科学实验合作协议", "月球样品借用协议",
    "嫦娥七号载荷合作协议", "航天员联合训练协议",
];
const RU_SUBJECTS: &[&str] = &["Роскосмос", "Россия", "ИКИ РАН"];
#[rustfmt::skip]
const RU_PARTNERS: &[&str] = &[
    "Китай", "Беларусь", "Казахстан", "Египет", "Никарагуа", "Сербия",
];
#[rustfmt::skip]
const RU_DOCUMENTS: &[&str] = &[
    "меморандум о сотрудничестве по лунной станции", "соглашение о центре лунных данных",
    "межправительственное соглашение о МНЛС", "протокол о подготовке экипажа",
];
const AR_SUBJECTS: &[&str] = &["الإمارات", "مركز محمد بن راشد للفضاء", "مصر", "السعودية"];
const AR_PARTNERS: &[&str] = &["الصين", "روسيا", "وكالة الفضاء الصينية"];
#[rustfmt::skip]
const AR_DOCUMENTS: &[&str] = &[
    "مذكرة تفاهم بشأن محطة البحوث القمرية", "اتفاقية تعاون في مجال الفضاء",
    "اتفاقية لإطلاق مستكشف قمري",
];

// `spacedip check` flags events that start after today; ending the corpus in June 2026 keeps
// it sound whenever it is imported from then on.
const LAST_YEAR: u32 = 2026;
const LAST_MONTH_OF_LAST_YEAR: u32 = 6;
const FIRST_YEAR: u32 = 1957;

/// A partial date: year, then month and day when known.
#[derive(Clone, Copy)]
struct Date {
    year: u32,
    month: Option<u32>,
    day: Option<u32>,
}

impl Date {
    /// A key that orders dates by their first day, which is what `follows` is checked on.
    fn first_day_key(self) -> u32 {
        self.year * 372 + (self.month.unwrap_or(1) - 1) * 31 + self.day.unwrap_or(1) - 1
    }

    fn write(self, out: &mut String) {
        out.clear();
        // Writing to a String cannot fail.
        let _ = match (self.month, self.day) {
            (Some(m), Some(d)) => write!(out, "{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => write!(out, "{:04}-{m:02}", self.year),
            _ => write!(out, "{:04}", self.year),
        };
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

struct Actor {
    id: String,
    name: String,
}

struct Programme {
    id: String,
    // The lead agency and state, where the seed names them: they are the usual first party.
    leads: Vec<String>,
}

/// The ids (and names) of the embedded seed that events may reference.
struct Seed {
    programmes: Vec<Programme>,
    busy: Vec<usize>,
    actors: Vec<Actor>,
    un_actors: Vec<usize>,
    institutions: Vec<(String, String)>,
    sources: Vec<String>,
}

/// The named columns of a seed table, one `Vec` per row, in the order asked.
fn table(file: &str, text: &str, columns: &[&str]) -> Result<Vec<Vec<String>>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers()?.clone();
    let at: Vec<usize> = columns
        .iter()
        .map(|c| {
            headers
                .iter()
                .position(|h| h == *c)
                .ok_or_else(|| format!("seed/{file} has no column '{c}'"))
        })
        .collect::<std::result::Result<_, _>>()?;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record?;
        rows.push(
            at.iter()
                .map(|&i| record.get(i).unwrap_or("").to_string())
                .collect(),
        );
    }
    Ok(rows)
}

impl Seed {
    fn load() -> Result<Seed> {
        let programmes: Vec<Programme> = table(
            "programmes.csv",
            include_str!("../seed/programmes.csv"),
            &["id", "lead_agency", "lead_state"],
        )?
        .into_iter()
        .map(|mut r| {
            let leads = r.drain(1..).filter(|l| !l.is_empty()).collect();
            Programme {
                id: r.swap_remove(0),
                leads,
            }
        })
        .collect();
        let actors: Vec<Actor> = table(
            "actors.csv",
            include_str!("../seed/actors.csv"),
            &["id", "name"],
        )?
        .into_iter()
        .map(|mut r| Actor {
            name: r.swap_remove(1),
            id: r.swap_remove(0),
        })
        .collect();
        let institutions: Vec<(String, String)> = table(
            "institutions.csv",
            include_str!("../seed/institutions.csv"),
            &["id", "name"],
        )?
        .into_iter()
        .map(|mut r| (r.swap_remove(0), r.swap_remove(0)))
        .collect();
        // Every source an event cites must have a URL (seed/README.md).
        let sources: Vec<String> = table(
            "sources.csv",
            include_str!("../seed/sources.csv"),
            &["id", "url"],
        )?
        .into_iter()
        .filter(|r| !r[1].is_empty())
        .map(|mut r| r.swap_remove(0))
        .collect();
        let busy: Vec<usize> = (0..programmes.len())
            .filter(|&i| BUSY_PROGRAMMES.contains(&programmes[i].id.as_str()))
            .collect();
        let un_actors = (0..actors.len())
            .filter(|&i| UN_ACTORS.contains(&actors[i].id.as_str()))
            .collect();
        // Events draw up to twelve distinct parties and four distinct institutions and
        // sources (`--dense`).
        if programmes.is_empty() || institutions.len() < 4 || actors.len() < 12 || sources.len() < 4
        {
            return Err(
                "the embedded seed has too few programmes, actors, institutions or sources".into(),
            );
        }
        Ok(Seed {
            programmes,
            busy,
            actors,
            un_actors,
            institutions,
            sources,
        })
    }

    fn actor_index(&self, id: &str) -> Option<usize> {
        self.actors.iter().position(|a| a.id == id)
    }
}

/// The cells of one event, reused from row to row so that a million rows allocate little.
#[derive(Default)]
struct Row {
    id: String,
    date: String,
    end_date: String,
    title: String,
    summary: String,
    follows: String,
    parties: String,
    institutions: String,
    sources: String,
    party_ix: Vec<usize>,
    picked: Vec<usize>,
}

/// Draws `k` distinct indices in `0..n` into `out` (k is small, so retrying is cheap).
fn distinct(rng: &mut Rng, n: usize, k: usize, out: &mut Vec<usize>) {
    out.clear();
    let k = k.min(n);
    while out.len() < k {
        let i = rng.below(n);
        if !out.contains(&i) {
            out.push(i);
        }
    }
}

fn random_date(rng: &mut Rng) -> Date {
    // The square root of a uniform draw leans towards recent years, as cooperation did.
    let u = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
    let span = f64::from(LAST_YEAR - FIRST_YEAR + 1);
    let year = (FIRST_YEAR + (u.sqrt() * span) as u32).min(LAST_YEAR);
    let last_month = if year == LAST_YEAR {
        LAST_MONTH_OF_LAST_YEAR
    } else {
        12
    };
    let month = rng.between(1, last_month);
    match rng.below(100) {
        0..=69 => Date {
            year,
            month: Some(month),
            day: Some(rng.between(1, days_in_month(year, month))),
        },
        70..=89 => Date {
            year,
            month: Some(month),
            day: None,
        },
        _ => Date {
            year,
            month: None,
            day: None,
        },
    }
}

/// A later date at the same precision: a meeting of days, a campaign of months, a programme
/// of years. None when the start is already in the corpus's last year.
fn end_after(rng: &mut Rng, start: Date) -> Option<Date> {
    match (start.month, start.day) {
        (Some(m), Some(d)) => {
            let (mut y, mut m, mut d) = (start.year, m, d + rng.between(1, 14));
            if d > days_in_month(y, m) {
                d -= days_in_month(y, m);
                m += 1;
                if m > 12 {
                    m = 1;
                    y += 1;
                }
            }
            Some(Date {
                year: y,
                month: Some(m),
                day: Some(d),
            })
        }
        (Some(m), None) => {
            let months = start.year * 12 + m - 1 + rng.between(1, 4);
            Some(Date {
                year: months / 12,
                month: Some(months % 12 + 1),
                day: None,
            })
        }
        _ if start.year < LAST_YEAR => Some(Date {
            year: (start.year + rng.between(1, 3)).min(LAST_YEAR),
            month: None,
            day: None,
        }),
        _ => None,
    }
}

/// The parties of an event: how many follows from the channel, the first is often the
/// programme's lead (or a UN body for UN-multilateral instruments).
fn pick_parties(
    rng: &mut Rng,
    seed: &Seed,
    shape: Shape,
    programme: &Programme,
    channel: &str,
    row: &mut Row,
) {
    let count = match (channel, shape.dense) {
        ("national", _) => 1,
        ("bilateral", _) => 2,
        ("un_multilateral", false) => rng.between(2, 5) as usize,
        ("un_multilateral", true) => rng.between(4, 9) as usize,
        (_, false) => rng.between(3, 6) as usize,
        (_, true) => rng.between(5, 12) as usize,
    };
    let first = if channel == "un_multilateral" && !seed.un_actors.is_empty() {
        Some(seed.un_actors[rng.below(seed.un_actors.len())])
    } else if !programme.leads.is_empty() && rng.percent(60) {
        seed.actor_index(&programme.leads[rng.below(programme.leads.len())])
    } else {
        None
    };
    row.party_ix.clear();
    row.party_ix.extend(first);
    while row.party_ix.len() < count {
        let i = rng.below(seed.actors.len());
        if !row.party_ix.contains(&i) {
            row.party_ix.push(i);
        }
    }
    row.parties.clear();
    for (k, &i) in row.party_ix.iter().enumerate() {
        if k > 0 {
            row.parties.push(';');
        }
        row.parties.push_str(&seed.actors[i].id);
        // A third of the parties leave the role to its default (partner).
        if rng.percent(66) {
            row.parties.push(':');
            row.parties.push_str(rng.pick(ROLES));
            if rng.percent(4) {
                row.parties.push_str(":claimed");
            }
        }
    }
}

fn write_title(rng: &mut Rng, seed: &Seed, kind: &str, row: &mut Row) {
    let t = &mut row.title;
    t.clear();
    let a = seed.actors[row.party_ix[0]].name.as_str();
    let b = row
        .party_ix
        .get(1)
        .map_or_else(|| rng.pick(ACCENTED), |&i| seed.actors[i].name.as_str());
    // A few percent in other scripts: search must fold them, the table must measure them.
    let _ = match rng.below(1000) {
        0..=14 => write!(
            t,
            "{}与{}签署{}",
            rng.pick(ZH_SUBJECTS),
            rng.pick(ZH_PARTNERS),
            rng.pick(ZH_DOCUMENTS)
        ),
        15..=24 => write!(
            t,
            "{} и {} подписали {}",
            rng.pick(RU_SUBJECTS),
            rng.pick(RU_PARTNERS),
            rng.pick(RU_DOCUMENTS)
        ),
        25..=29 => write!(
            t,
            "{} و{} يوقعان {}",
            rng.pick(AR_SUBJECTS),
            rng.pick(AR_PARTNERS),
            rng.pick(AR_DOCUMENTS)
        ),
        _ => match kind {
            "mou" | "agreement" => write!(
                t,
                "{a} and {b} sign {} on {}",
                rng.pick(DOCUMENTS),
                rng.pick(TOPICS)
            ),
            "joint_statement" => {
                write!(t, "Joint statement of {a} and {b} on {}", rng.pick(TOPICS))
            }
            "announcement_of_opportunity" => write!(
                t,
                "{a} opens a call for {} proposals on {}",
                rng.pick(PAYLOADS),
                rng.pick(MISSIONS)
            ),
            "selection" => write!(
                t,
                "{a} selects a {} from {b} for {}",
                rng.pick(PAYLOADS),
                rng.pick(MISSIONS)
            ),
            "workshop" => write!(t, "{a} hosts a workshop on {}", rng.pick(TOPICS)),
            "launch" => write!(
                t,
                "Launch of {} carries a {} of {b}",
                rng.pick(MISSIONS),
                rng.pick(PAYLOADS)
            ),
            "accession" | "ratification" => {
                let (_, inst) = &seed.institutions[rng.below(seed.institutions.len())];
                let verb = if kind == "accession" {
                    "accedes to"
                } else {
                    "ratifies"
                };
                write!(t, "{a} {verb} the {inst}")
            }
            "statement" => write!(t, "{a} statement on {}", rng.pick(TOPICS)),
            _ => write!(
                t,
                "{a} and {b} review {} for {}",
                rng.pick(TOPICS),
                rng.pick(MISSIONS)
            ),
        },
    };
}

fn write_summary(rng: &mut Rng, seed: &Seed, shape: Shape, row: &mut Row, year: u32) {
    distinct(rng, ASPECTS.len(), 2, &mut row.picked);
    let s = &mut row.summary;
    s.clear();
    let a = seed.actors[row.party_ix[0]].name.as_str();
    let _ = write!(
        s,
        "{a} and its partners agreed to cooperate on {}, covering {} and {}.",
        rng.pick(TOPICS),
        ASPECTS[row.picked[0]],
        ASPECTS[row.picked[1]]
    );
    let _ = write!(
        s,
        " The {} was signed in {} during {}.",
        rng.pick(DOCUMENTS),
        rng.pick(CITIES),
        rng.pick(OCCASIONS)
    );
    match rng.below(4) {
        0 => {
            let _ = write!(
                s,
                " Observers from {} and {} attended.",
                rng.pick(ACCENTED),
                rng.pick(ACCENTED)
            );
        }
        1 => {
            let _ = write!(
                s,
                " The parties plan a joint orbit, crew and {} campaign for {} by {}.",
                rng.pick(PAYLOADS),
                rng.pick(MISSIONS),
                year + rng.between(1, 8)
            );
        }
        _ => {}
    }
    if shape.dense {
        let b = seed.actors[row.party_ix[row.party_ix.len() - 1]]
            .name
            .as_str();
        let _ = write!(
            s,
            " Working groups on {} and {} report to {b} every {} months, and a joint committee \
             reviews {} each year. Observers from {} and {} attended.",
            rng.pick(TOPICS),
            rng.pick(TOPICS),
            rng.between(2, 12),
            rng.pick(PAYLOADS),
            rng.pick(ACCENTED),
            rng.pick(ACCENTED)
        );
    }
}

fn write_sources(rng: &mut Rng, seed: &Seed, shape: Shape, row: &mut Row) {
    let k = match (rng.below(100), shape.dense) {
        (_, true) => 2 + rng.below(3),
        (0..=69, false) => 1,
        (70..=94, false) => 2,
        _ => 3,
    };
    distinct(rng, seed.sources.len(), k, &mut row.picked);
    row.sources.clear();
    for (n, &i) in row.picked.iter().enumerate() {
        if n > 0 {
            row.sources.push(';');
        }
        row.sources.push_str(&seed.sources[i]);
        // Locators may not hold ';' (the list separator) nor surrounding spaces.
        let _ = match rng.below(10) {
            0 | 1 => write!(row.sources, ":p. {}", rng.between(1, 400)),
            2 => write!(row.sources, ":para. {}", rng.between(1, 60)),
            _ => Ok(()),
        };
    }
}

fn run() -> Result<()> {
    let mut n: Option<u64> = None;
    let mut shape = Shape::default();
    for a in std::env::args().skip(1) {
        match a.as_str() {
            "--dense" => shape.dense = true,
            "--scripts" => shape.scripts = true,
            "--hashed-ids" => shape.hashed_ids = true,
            _ if n.is_none() => {
                n = Some(
                    a.replace('_', "")
                        .parse()
                        .map_err(|_| format!("'{a}' is not a number of events\n{USAGE}"))?,
                )
            }
            _ => return Err(format!("unexpected argument '{a}'\n{USAGE}").into()),
        }
    }
    let Some(n) = n else {
        return Err(USAGE.into());
    };
    let seed = Seed::load()?;
    let mut rng = Rng(0x5EED_5BAC_ED1B_0001 ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let stdout = io::stdout();
    let mut out = csv::Writer::from_writer(BufWriter::with_capacity(1 << 20, stdout.lock()));
    out.write_record(HEADER)?;

    // The first-day key of every event written, for picking a `follows` target that is not
    // dated after its follower.
    let mut keys: Vec<u32> = Vec::with_capacity(usize::try_from(n).unwrap_or(0));
    let mut row = Row::default();
    for i in 1..=n {
        row.id.clear();
        event_id(shape, i, &mut row.id);
        let programme = if !seed.busy.is_empty() && rng.percent(75) {
            &seed.programmes[seed.busy[rng.below(seed.busy.len())]]
        } else {
            &seed.programmes[rng.below(seed.programmes.len())]
        };
        let kind = rng.pick(KINDS);
        let channel = rng.pick(CHANNELS);
        let valence = match rng.below(100) {
            0..=46 => "",
            47..=94 => "cooperation",
            _ => rng.pick(OTHER_VALENCES),
        };
        let date = random_date(&mut rng);
        date.write(&mut row.date);
        row.end_date.clear();
        if rng.percent(12) {
            if let Some(end) = end_after(&mut rng, date) {
                end.write(&mut row.end_date);
            }
        }
        let key = date.first_day_key();

        row.follows.clear();
        if keys.len() > 1 && rng.percent(12) {
            // Recent events make plausible predecessors; a few draws find one dated earlier.
            for _ in 0..4 {
                let back = 1 + rng.below(keys.len().min(5000));
                let j = keys.len() - back;
                if keys[j] <= key {
                    event_id(shape, j as u64 + 1, &mut row.follows);
                    break;
                }
            }
        }
        keys.push(key);

        let venue = if !seed.institutions.is_empty() && rng.percent(8) {
            seed.institutions[rng.below(seed.institutions.len())]
                .0
                .as_str()
        } else {
            ""
        };
        let k = match (rng.below(100), shape.dense) {
            (_, true) => 1 + rng.below(4),
            (0..=49, false) => 0,
            (50..=84, false) => 1,
            _ => 2,
        };
        distinct(&mut rng, seed.institutions.len(), k, &mut row.picked);
        row.institutions.clear();
        for (m, &ix) in row.picked.iter().enumerate() {
            if m > 0 {
                row.institutions.push(';');
            }
            row.institutions.push_str(&seed.institutions[ix].0);
        }

        pick_parties(&mut rng, &seed, shape, programme, channel, &mut row);
        write_title(&mut rng, &seed, kind, &mut row);
        write_summary(&mut rng, &seed, shape, &mut row, date.year);
        if shape.scripts {
            in_script(i, &mut row.title);
            in_script(i, &mut row.summary);
        }
        let notes = if rng.percent(30) { rng.pick(NOTES) } else { "" };
        write_sources(&mut rng, &seed, shape, &mut row);

        out.write_record([
            row.id.as_str(),
            &row.date,
            &row.end_date,
            &programme.id,
            kind,
            channel,
            valence,
            venue,
            &row.follows,
            &row.title,
            &row.summary,
            notes,
            &row.parties,
            &row.institutions,
            &row.sources,
        ])?;
    }
    out.flush()?;
    Ok(())
}

/// True when the reader of stdout went away (`synth N | head`): not an error worth a message.
fn is_broken_pipe(e: &(dyn Error + 'static)) -> bool {
    let io = match e.downcast_ref::<csv::Error>() {
        Some(c) => match c.kind() {
            csv::ErrorKind::Io(io) => Some(io),
            _ => None,
        },
        None => e.downcast_ref::<io::Error>(),
    };
    io.is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(e.as_ref()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synth: {e}");
            ExitCode::FAILURE
        }
    }
}
