//! `spacedip stats` and `spacedip compare`: the comparative measures of `metrics`, per programme
//! (and per year), as a table, CSV or JSON.

use std::io::Write;
use std::path::Path;

use clap::Args;

use super::args::{FilterArgs, OutputFormat};
use super::claims::write_claims;
use super::institutions::{decision_overrides, override_for, parse_decision_year};
use super::output::{fixed, write_table};
use crate::domain::{Catalog, Event, Filter, Programme};
use crate::error::{Error, Result};
use crate::metrics::claims::claims;
use crate::metrics::decision::decision_over;
use crate::metrics::summary::{first_year, own_events, reference_year, refs_by_programme, series};
use crate::metrics::{summaries, yearly, Decision, Spec, Summary};
use crate::text::inert;

/// Flags of `stats`.
#[derive(Debug, Clone, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// One row per programme and year, cumulative up to that year (from the programme's first
    /// selected event to the latest selected year).
    #[arg(long)]
    pub by_year: bool,
    /// Override a programme's decision year t* (default: the year before its first
    /// channel-defining instrument), e.g. ILRS=2020; repeatable.
    #[arg(long = "decision-year", value_name = "P=YEAR", value_parser = parse_decision_year)]
    pub decision_years: Vec<(String, i32)>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Table, ignore_case = true)]
    pub format: OutputFormat,
}

/// Flags of `compare`.
#[derive(Debug, Clone, Args)]
pub struct CompareArgs {
    /// The first programme (e.g. CSS).
    pub first: String,
    /// The second programme (e.g. ILRS).
    pub second: String,
    /// The filters (except --programme: the two programmes are the arguments).
    #[command(flatten)]
    pub filter: FilterArgs,
    /// The measures year by year on one axis, cumulative up to each year.
    #[arg(long)]
    pub by_year: bool,
    /// Override a programme's decision year t*, e.g. ILRS=2020; repeatable.
    #[arg(long = "decision-year", value_name = "P=YEAR", value_parser = parse_decision_year)]
    pub decision_years: Vec<(String, i32)>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Table, ignore_case = true)]
    pub format: OutputFormat,
}

/// A summary with its programme's density at the decision year, as JSON writes it.
#[derive(serde::Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    summary: &'a Summary,
    #[serde(flatten)]
    decision: &'a Decision,
}

/// Each row's programme's decision-year densities (one computation per programme).
fn decisions(
    rows: &[Summary],
    events: &[Event],
    catalog: &Catalog,
    overrides: &[(String, i32)],
) -> Vec<Decision> {
    let t = reference_year(events);
    let own = refs_by_programme(events);
    let mut done: Vec<(String, Decision)> = Vec::new();
    rows.iter()
        .map(|s| {
            if let Some((_, d)) = done.iter().find(|(p, _)| *p == s.programme) {
                return d.clone();
            }
            let d = match catalog.programme(&s.programme) {
                Some(p) => {
                    let events = own_events(&own, &p.id).iter().copied();
                    decision_over(catalog, events, p, override_for(overrides, &p.id), t)
                }
                None => Decision::default(),
            };
            done.push((s.programme.clone(), d.clone()));
            d
        })
        .collect()
}

/// The selected events and the catalog, with the filter as checked (programme ids canonical).
fn select(path: &Path, filter: &Filter) -> Result<(Vec<Event>, Catalog, Filter)> {
    let sel = super::select::Selected::for_measures(path, filter)?;
    // The measures read no titles, summaries, notes or sources.
    let events = sel.coded_events()?;
    Ok((events, sel.catalog, sel.filter))
}

/// Runs `stats`.
pub fn run_stats(path: &Path, args: &StatsArgs, out: &mut dyn Write) -> Result<()> {
    let filter = super::views::resolve_at(path, &args.filter)?;
    let tallied = if args.by_year {
        None
    } else {
        super::tallied::whole_programmes(path, &filter, &args.decision_years)?
    };
    let (rows, decided) = match tallied {
        Some(found) => found,
        None => over_events(path, &filter, args)?,
    };
    match args.format {
        OutputFormat::Table => write_stats_table(out, &rows, &decided),
        OutputFormat::Csv => write_csv(out, &rows, &decided),
        OutputFormat::Json => write_json(out, &rows, &decided),
    }
}

/// The rows of `stats` measured over the selected events.
fn over_events(
    path: &Path,
    filter: &Filter,
    args: &StatsArgs,
) -> Result<(Vec<Summary>, Vec<Decision>)> {
    let (events, catalog, filter) = select(path, filter)?;
    let overrides = decision_overrides(&args.decision_years, &catalog, &events)?;
    let rows = if args.by_year {
        yearly(&events, &catalog, &filter.programmes)
    } else {
        summaries(&events, &catalog, &filter.programmes)
    };
    let decided = decisions(&rows, &events, &catalog, &overrides);
    Ok((rows, decided))
}

/// Runs `compare`.
pub fn run_compare(path: &Path, args: &CompareArgs, out: &mut dyn Write) -> Result<()> {
    if !args.filter.programmes.is_empty() {
        return Err(Error::Usage(
            "compare takes its two programmes as arguments; drop --programme".into(),
        ));
    }
    let mut filter = super::views::resolve_at(path, &args.filter)?;
    filter.programmes = vec![args.first.clone(), args.second.clone()];
    let sel = super::select::Selected::for_measures(path, &filter)?;
    let catalog = &sel.catalog;
    let (a, b) = match sel.filter.programmes.as_slice() {
        [a, b] if a != b => (a.clone(), b.clone()),
        _ => {
            return Err(Error::Usage(format!(
                "compare needs two different programmes (got {} twice)",
                inert(&args.first)
            )))
        }
    };
    let programme = |id: &str| {
        catalog.programme(id).ok_or_else(|| Error::NotFound {
            what: "programme",
            id: id.to_string(),
        })
    };
    let (pa, pb) = (programme(&a)?, programme(&b)?);
    for (typed, _) in &args.decision_years {
        if let Some(id) = catalog
            .resolve_programme(typed)
            .filter(|id| *id != a && *id != b)
        {
            return Err(Error::Usage(format!(
                "--decision-year {id}: not one of the two programmes compared ({a}, {b})"
            )));
        }
    }
    let tallied = if args.by_year {
        None
    } else {
        super::tallied::compare_pair(&sel, (pa, pb), &args.decision_years)?
    };
    let (rows, decided, tested) = match tallied {
        Some(found) => found,
        None => {
            // The measures read no titles, summaries, notes or sources.
            let events = sel.coded_events()?;
            compare_over_events(&events, catalog, (pa, pb), args)?
        }
    };
    match args.format {
        OutputFormat::Json => {
            let doc =
                serde_json::json!({ "programmes": joined(&rows, &decided), "claims": tested });
            crate::export::json_out::pretty(&mut *out, &doc)?;
            Ok(())
        }
        OutputFormat::Csv => write_csv(out, &rows, &decided),
        OutputFormat::Table if args.by_year => {
            write_compare_years(out, &a, &b, &rows)?;
            write_claims(out, &tested)
        }
        OutputFormat::Table => {
            write_compare_table(out, &rows, &decided)?;
            write_claims(out, &tested)
        }
    }
}

/// The rows, decisions and claims of `compare` measured over the selected events.
fn compare_over_events(
    events: &[Event],
    catalog: &Catalog,
    (pa, pb): (&Programme, &Programme),
    args: &CompareArgs,
) -> Result<super::tallied::Compared> {
    let (a, b) = (pa.id.as_str(), pb.id.as_str());
    let overrides = decision_overrides(&args.decision_years, catalog, events)?;
    let t = reference_year(events);
    let tested = claims(
        events,
        catalog,
        (pa, override_for(&overrides, a)),
        (pb, override_for(&overrides, b)),
        t,
    );
    let rows: Vec<Summary> = if args.by_year {
        let first = [first_year(events, a), first_year(events, b)]
            .into_iter()
            .flatten()
            .min();
        match (first, t) {
            (Some(f), Some(t)) => series(events, catalog, pa, f, t)
                .into_iter()
                .chain(series(events, catalog, pb, f, t))
                .collect(),
            _ => Vec::new(),
        }
    } else {
        vec![
            Summary::compute(events, catalog, pa, t),
            Summary::compute(events, catalog, pb, t),
        ]
    };
    let decided = decisions(&rows, events, catalog, &overrides);
    Ok((rows, decided, tested))
}

/// Each summary with its programme's decision, as the JSON outputs write them.
fn joined<'a>(rows: &'a [Summary], decided: &'a [Decision]) -> Vec<Row<'a>> {
    rows.iter()
        .zip(decided)
        .map(|(summary, decision)| Row { summary, decision })
        .collect()
}

fn write_json(out: &mut dyn Write, rows: &[Summary], decided: &[Decision]) -> Result<()> {
    crate::export::json_out::pretty(&mut *out, &joined(rows, decided))?;
    Ok(())
}

/// The CSV columns: the JSON keys in the same order (the density specifications flattened, at
/// the decision year t* and at the reference year); lists are joined by `;`.
pub const CSV_COLUMNS: [&str; 43] = [
    "programme",
    "coding",
    "issue_area",
    "lead_state",
    "year",
    "first_year",
    "events",
    "un_multilateral_events",
    "other_multilateral_events",
    "bilateral_events",
    "national_events",
    "un_share",
    "multilateral_share",
    "bilateral_share",
    "national_share",
    "partners",
    "partner_states",
    "partner_organisations",
    "partner_institutions",
    "n",
    "m",
    "network_density",
    "centralisation",
    "issue_area_density",
    "issue_area_density_weighted",
    "density_institutions_with_members",
    "embeddedness",
    "covered_partners",
    "coverage",
    "decision_year",
    "decision_year_source",
    "decision_instrument",
    "count_t_star",
    "exogenous_t_star",
    "open_t_star",
    "legalised_t_star",
    "universal_t_star",
    "count_t",
    "exogenous_t",
    "open_t",
    "legalised_t",
    "density_weighted",
    "density_weighted_coverage",
];

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn csv_row(s: &Summary, d: &Decision) -> Vec<String> {
    let at = |spec: Spec, y: Option<i32>| opt(y.and_then(|y| d.value(spec, y)));
    let t_star = d.decision_year;
    let universal = d
        .density_universal
        .iter()
        .find(|u| Some(u.year) == t_star)
        .map(|u| u.value);
    let source = serde_json::to_value(d.decision_year_source)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let mut row: Vec<String> = csv_cells(s).into();
    row.insert(1, s.coding.clone());
    row.extend([
        opt(t_star),
        source,
        opt(d.decision_instrument.as_ref()),
        at(Spec::Count, t_star),
        at(Spec::Exogenous, t_star),
        at(Spec::Open, t_star),
        at(Spec::Legalised, t_star),
        opt(universal),
        at(Spec::Count, s.year),
        at(Spec::Exogenous, s.year),
        at(Spec::Open, s.year),
        at(Spec::Legalised, s.year),
        opt(d.density_weighted),
        opt(d.density_weighted_coverage),
    ]);
    row
}

fn csv_cells(s: &Summary) -> [String; 28] {
    [
        s.programme.clone(),
        s.issue_area.to_string(),
        opt(s.lead_state.as_ref()),
        opt(s.year),
        opt(s.first_year),
        s.events.to_string(),
        s.un_multilateral_events.to_string(),
        s.other_multilateral_events.to_string(),
        s.bilateral_events.to_string(),
        s.national_events.to_string(),
        opt(s.un_share),
        opt(s.multilateral_share),
        opt(s.bilateral_share),
        opt(s.national_share),
        s.partners.to_string(),
        s.partner_states.join(";"),
        s.partner_organisations.join(";"),
        s.partner_institutions.join(";"),
        s.n.to_string(),
        s.m.to_string(),
        opt(s.network_density),
        opt(s.centralisation),
        opt(s.issue_area_density),
        opt(s.issue_area_density_weighted),
        opt(s.density_institutions_with_members),
        opt(s.embeddedness),
        s.covered_partners.to_string(),
        opt(s.coverage),
    ]
}

fn write_csv(out: &mut dyn Write, rows: &[Summary], decided: &[Decision]) -> Result<()> {
    let cells = rows.iter().zip(decided).map(|(s, d)| csv_row(s, d));
    crate::export::csv::write_rows(out, &CSV_COLUMNS, cells, false)
}

fn count(v: Option<usize>) -> String {
    v.map_or_else(|| "-".to_string(), |v| v.to_string())
}

fn coverage(s: &Summary) -> String {
    if s.partners == 0 {
        "-".into()
    } else {
        format!("{}/{}", s.covered_partners, s.partners)
    }
}

fn write_stats_table(out: &mut dyn Write, rows: &[Summary], decided: &[Decision]) -> Result<()> {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .zip(decided)
        .map(|(s, d)| {
            let t_star = d.decision_year;
            let exo = t_star.and_then(|y| d.value(Spec::Exogenous, y));
            vec![
                s.programme.clone(),
                count(s.year.map(|y| y as usize)),
                s.events.to_string(),
                fixed(s.un_share, 3),
                fixed(s.multilateral_share, 3),
                fixed(s.bilateral_share, 3),
                fixed(s.national_share, 3),
                s.partners.to_string(),
                s.partner_states.len().to_string(),
                s.partner_organisations.len().to_string(),
                s.partner_institutions.len().to_string(),
                s.n.to_string(),
                s.m.to_string(),
                fixed(s.network_density, 3),
                fixed(s.centralisation, 3),
                count(s.issue_area_density),
                count(t_star.map(|y| y as usize)),
                fixed(exo, 0),
                fixed(s.embeddedness, 2),
                coverage(s),
            ]
        })
        .collect();
    let width = super::terminal_width();
    // What gives way first on a narrow terminal: the partner breakdown, the graph's size, the
    // other shares; the programme, its shares, partners, C and the densities stay.
    let hidden = super::output::write_table_fitted(
        out,
        &[
            "PROGRAMME",
            "YEAR",
            "EVENTS",
            "UN",
            "MULTI",
            "BILAT",
            "NATNL",
            "PARTNERS",
            "STATES",
            "ORGS",
            "INSTS",
            "N",
            "M",
            "DENSITY",
            "CENTRAL",
            "D",
            "T*",
            "EXO*",
            "E",
            "COVERAGE",
        ],
        &cells,
        0,
        width,
        &[10, 9, 8, 19, 12, 11, 13, 6, 5, 18, 1],
    )?;
    super::output::hidden_hint(out, &hidden, width)
}

/// The measures a comparison shows, as (label, cell for a summary).
type Measure = (&'static str, fn(&Summary, usize) -> String);

const MEASURES: [Measure; 11] = [
    ("events", |s, _| s.events.to_string()),
    ("un_share", |s, d| fixed(s.un_share, d)),
    ("multilateral_share", |s, d| fixed(s.multilateral_share, d)),
    ("bilateral_share", |s, d| fixed(s.bilateral_share, d)),
    ("national_share", |s, d| fixed(s.national_share, d)),
    ("partners", |s, _| s.partners.to_string()),
    ("n", |s, _| s.n.to_string()),
    ("network_density", |s, d| fixed(s.network_density, d)),
    ("centralisation", |s, d| fixed(s.centralisation, d)),
    ("issue_area_density", |s, _| count(s.issue_area_density)),
    ("embeddedness", |s, d| fixed(s.embeddedness, d)),
];

fn write_compare_table(out: &mut dyn Write, rows: &[Summary], decided: &[Decision]) -> Result<()> {
    let ([a, b], [da, db]) = (rows, decided) else {
        return Ok(());
    };
    let mut cells: Vec<Vec<String>> = vec![
        vec![
            "lead_state".into(),
            opt(a.lead_state.as_ref()),
            opt(b.lead_state.as_ref()),
        ],
        vec![
            "issue_area".into(),
            a.issue_area.to_string(),
            b.issue_area.to_string(),
        ],
        vec![
            "up to year".into(),
            count(a.year.map(|y| y as usize)),
            count(b.year.map(|y| y as usize)),
        ],
    ];
    for (label, cell) in MEASURES {
        cells.push(vec![label.to_string(), cell(a, 3), cell(b, 3)]);
        match label {
            "partners" => {
                cells.push(vec![
                    "  states".into(),
                    a.partner_states.len().to_string(),
                    b.partner_states.len().to_string(),
                ]);
                cells.push(vec![
                    "  organisations".into(),
                    a.partner_organisations.len().to_string(),
                    b.partner_organisations.len().to_string(),
                ]);
                cells.push(vec![
                    "  institutions (apart)".into(),
                    a.partner_institutions.len().to_string(),
                    b.partner_institutions.len().to_string(),
                ]);
            }
            "n" => cells.push(vec!["m".into(), a.m.to_string(), b.m.to_string()]),
            "issue_area_density" => {
                cells.push(vec![
                    "decision year t*".into(),
                    count(da.decision_year.map(|y| y as usize)),
                    count(db.decision_year.map(|y| y as usize)),
                ]);
                for spec in Spec::ALL {
                    let at = |d: &Decision| d.decision_year.and_then(|y| d.value(spec, y));
                    cells.push(vec![
                        format!("  density at t*: {spec}"),
                        fixed(at(da), if spec == Spec::Legalised { 1 } else { 0 }),
                        fixed(at(db), if spec == Spec::Legalised { 1 } else { 0 }),
                    ]);
                }
                let universal = |d: &Decision| {
                    d.density_universal
                        .iter()
                        .find(|u| Some(u.year) == d.decision_year)
                        .map_or_else(|| "-".to_string(), |u| u.value.to_string())
                };
                cells.push(vec![
                    "  universal (apart)".into(),
                    universal(da),
                    universal(db),
                ]);
                let weighted =
                    |d: &Decision| match (d.density_weighted, d.density_weighted_coverage) {
                        (Some(w), _) => w.to_string(),
                        (None, Some(c)) => format!("- ({:.0}% covered)", c * 100.0),
                        (None, None) => "-".to_string(),
                    };
                cells.push(vec![
                    "  members at t* (≥90% covered)".into(),
                    weighted(da),
                    weighted(db),
                ]);
            }
            "embeddedness" => cells.push(vec!["coverage".into(), coverage(a), coverage(b)]),
            _ => {}
        }
    }
    let (ha, hb) = (inert(&a.programme), inert(&b.programme));
    write_table(out, &["MEASURE", &ha, &hb], &cells, 0, None)
}

/// Measures as rows (one per programme), years as columns.
fn write_compare_years(out: &mut dyn Write, a: &str, b: &str, rows: &[Summary]) -> Result<()> {
    let years: Vec<i32> = rows
        .iter()
        .filter(|s| s.programme == a)
        .filter_map(|s| s.year)
        .collect();
    let mut header: Vec<String> = vec!["MEASURE".into(), "PROGRAMME".into()];
    header.extend(years.iter().map(|y| y.to_string()));
    let mut cells: Vec<Vec<String>> = Vec::new();
    for (label, cell) in MEASURES {
        for (i, p) in [a, b].into_iter().enumerate() {
            let mut row = vec![
                if i == 0 {
                    label.to_string()
                } else {
                    String::new()
                },
                p.to_string(),
            ];
            row.extend(rows.iter().filter(|s| s.programme == p).map(|s| cell(s, 2)));
            cells.push(row);
        }
    }
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    // On a narrow terminal the earliest years give way, the latest (nearest T) stay.
    let width = super::terminal_width();
    let years: Vec<usize> = (2..header.len()).collect();
    let hidden = super::output::write_table_fitted(out, &header, &cells, 0, width, &years)?;
    super::output::hidden_hint(out, &hidden, width)
}
