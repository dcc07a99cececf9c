//! `spacedip institutions`: the institutions density counts, with their tags, filterable by
//! issue area, year and programme (what a programme's density counts and why the others are
//! left out); and the `--decision-year P=YEAR` overrides that `stats` and `compare` share.

use std::io::Write;
use std::path::Path;

use clap::Args;
use serde::Serialize;

use super::args::{any_case, OutputFormat};
use super::output::write_table;
use crate::db::Db;
use crate::domain::{Catalog, Event, Filter, Institution, IssueArea, Programme};
use crate::error::{Error, Result};
use crate::metrics::decision::{decision_year, standing, Reason, Spec, YearSource};
use crate::text::inert;

/// Flags of `institutions`.
#[derive(Debug, Clone, Args)]
pub struct InstitutionsArgs {
    /// Only institutions governing this issue area (leo_human_spaceflight, lunar, deep_space,
    /// space_governance).
    #[arg(long, value_name = "AREA", value_parser = any_case::<IssueArea>)]
    pub area: Option<IssueArea>,
    /// Only institutions in force during this year (with --programme: the year the
    /// specifications are evaluated in [default: the programme's decision year]).
    #[arg(long, value_name = "YEAR", value_parser = clap::value_parser!(i32).range(1..=9999))]
    pub year: Option<i32>,
    /// What this programme's density counts: every institution of its issue area, with the
    /// specifications that count it and why the others leave it out (own, post_decision,
    /// closed, universal, other_area, not_in_force).
    #[arg(long, short = 'p', value_name = "P")]
    pub programme: Option<String>,
    /// With --programme: list only what this specification counts (count, exogenous, open,
    /// legalised).
    #[arg(long, value_name = "SPEC", value_parser = any_case::<Spec>)]
    pub spec: Option<Spec>,
    /// Override a programme's decision year, e.g. ILRS=2020; repeatable.
    #[arg(long = "decision-year", value_name = "P=YEAR", value_parser = parse_decision_year)]
    pub decision_years: Vec<(String, i32)>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Table, ignore_case = true)]
    pub format: OutputFormat,
}

/// Parses `P=YEAR` (the programme is checked against the database later).
pub fn parse_decision_year(s: &str) -> std::result::Result<(String, i32), String> {
    let bad = || {
        format!(
            "'{}' is not PROGRAMME=YEAR (e.g. ILRS=2020)",
            inert(s).chars().take(60).collect::<String>()
        )
    };
    let (p, y) = s.split_once('=').ok_or_else(bad)?;
    let p = p.trim();
    let y: i32 = y.trim().parse().map_err(|_| bad())?;
    if p.is_empty() || !(1..=9999).contains(&y) {
        return Err(bad());
    }
    Ok((p.to_string(), y))
}

/// The overrides as (canonical programme id, year), each checked: a known programme, and a
/// year within its span (from the year before its first selected event to its last).
pub fn decision_overrides(
    given: &[(String, i32)],
    catalog: &Catalog,
    events: &[Event],
) -> Result<Vec<(String, i32)>> {
    let span = |id: &str| {
        let years = events
            .iter()
            .filter(|e| e.programme == id)
            .map(|e| e.date.year_value());
        Some((years.clone().min()?, years.max()?))
    };
    overrides_within(given, catalog, &span)
}

/// [`decision_overrides`] given each programme's span of years (first, last), however read.
pub fn overrides_within(
    given: &[(String, i32)],
    catalog: &Catalog,
    span: &dyn Fn(&str) -> Option<(i32, i32)>,
) -> Result<Vec<(String, i32)>> {
    let mut out = Vec::new();
    for (typed, year) in given {
        let Some(id) = catalog.resolve_programme(typed) else {
            let valid: Vec<&str> = catalog.programmes.iter().map(|p| p.id.as_str()).collect();
            return Err(Error::Usage(format!(
                "--decision-year: unknown programme '{}' (valid: {})",
                inert(typed),
                valid.join(", ")
            )));
        };
        let (lo, hi) = match span(id) {
            Some((lo, hi)) => (lo - 1, hi),
            None => {
                return Err(Error::Usage(format!(
                    "--decision-year: {id} has no selected events, so it has no span to set a \
                     decision year in"
                )))
            }
        };
        if !(lo..=hi).contains(year) {
            return Err(Error::Usage(format!(
                "--decision-year: {year} is outside {id}'s span (valid: {lo} to {hi})"
            )));
        }
        out.push((id.to_string(), *year));
    }
    Ok(out)
}

/// The override for `programme`, if any.
pub fn override_for(overrides: &[(String, i32)], programme: &str) -> Option<i32> {
    overrides
        .iter()
        .rev()
        .find(|(p, _)| p == programme)
        .map(|(_, y)| *y)
}

/// One institution as `institutions` reports it.
#[derive(Debug, Serialize)]
struct Row<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'a str,
    in_force: String,
    ended: Option<String>,
    issue_areas: Vec<&'a str>,
    url: Option<&'a str>,
    scope: &'a str,
    open: bool,
    legalisation: f64,
    /// The programme it belongs to, was created by or hosts.
    programme: Option<&'a str>,
    members_known: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    counted_in: Option<Vec<Spec>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    left_out_because: Option<Vec<Reason>>,
}

/// The programme view: which year and decision year the tags are evaluated at.
#[derive(Debug, Serialize)]
struct ProgrammeView<'a> {
    programme: &'a str,
    issue_area: &'a str,
    year: i32,
    decision_year: Option<i32>,
    decision_year_source: YearSource,
    institutions: Vec<Row<'a>>,
}

fn row<'a>(catalog: &'a Catalog, i: &'a Institution) -> Row<'a> {
    Row {
        id: &i.id,
        name: &i.name,
        kind: i.kind.as_str(),
        in_force: i.in_force.to_string(),
        ended: i.ended.map(|d| d.to_string()),
        issue_areas: i.issue_areas.iter().map(|a| a.as_str()).collect(),
        url: i.url.as_deref(),
        scope: i.scope.as_str(),
        open: i.open,
        legalisation: i.legalisation_weight(),
        programme: i.programme.as_deref(),
        members_known: catalog
            .memberships
            .iter()
            .filter(|m| m.institution == i.id)
            .count(),
        counted_in: None,
        left_out_because: None,
    }
}

/// Runs `institutions`.
pub fn run(path: &Path, args: &InstitutionsArgs, out: &mut dyn Write) -> Result<()> {
    let db = Db::open(path)?;
    let catalog = db.catalog()?;
    let in_scope = |i: &Institution| {
        args.area.is_none_or(|a| i.issue_areas.contains(&a))
            && args.year.is_none_or(|y| i.in_force_during(y))
    };
    let Some(typed) = &args.programme else {
        if args.spec.is_some() {
            return Err(Error::Usage("--spec needs --programme".into()));
        }
        let rows: Vec<Row> = catalog
            .institutions
            .iter()
            .filter(|i| in_scope(i))
            .map(|i| row(&catalog, i))
            .collect();
        return write_rows(out, args.format, &rows, None);
    };
    let filter = Filter {
        programmes: vec![typed.clone()],
        ..Filter::default()
    }
    .checked(&catalog)?;
    let p: &Programme = catalog
        .programme(&filter.programmes[0])
        .ok_or_else(|| Error::Usage(format!("unknown programme '{}'", inert(typed))))?;
    let events = db.coded_events(&filter, &catalog)?;
    let overrides = decision_overrides(&args.decision_years, &catalog, &events)?;
    let dy = decision_year(&catalog, &events, p, override_for(&overrides, &p.id));
    let Some(year) = args.year.or(dy.year) else {
        return Err(Error::Usage(format!(
            "{} has no decision year (no channel-defining instrument): give --year",
            p.id
        )));
    };
    let rows: Vec<Row> = catalog
        .institutions
        .iter()
        .filter(|i| args.area.is_none_or(|a| i.issue_areas.contains(&a)))
        .filter_map(|i| {
            let s = standing(&catalog, p, i, year, dy.year);
            if args.spec.is_some_and(|spec| !s.counted_in.contains(&spec)) {
                return None;
            }
            let mut r = row(&catalog, i);
            r.counted_in = Some(s.counted_in);
            r.left_out_because = Some(s.reasons);
            Some(r)
        })
        .collect();
    let view = ProgrammeView {
        programme: &p.id,
        issue_area: p.issue_area.as_str(),
        year,
        decision_year: dy.year,
        decision_year_source: dy.source,
        institutions: rows,
    };
    match args.format {
        OutputFormat::Json => {
            crate::export::json_out::pretty(&mut *out, &view)?;
            Ok(())
        }
        _ => write_rows(out, args.format, &view.institutions, Some(&view)),
    }
}

/// Specifications or reasons by their stored names, `;`-joined as in the CSV.
fn names<'a>(v: impl IntoIterator<Item = &'a str>) -> String {
    v.into_iter().collect::<Vec<_>>().join(";")
}

fn write_rows(
    out: &mut dyn Write,
    format: OutputFormat,
    rows: &[Row],
    view: Option<&ProgrammeView>,
) -> Result<()> {
    let tagged = view.is_some();
    match format {
        OutputFormat::Json => {
            crate::export::json_out::pretty(&mut *out, rows)?;
            Ok(())
        }
        OutputFormat::Csv => {
            let mut header = vec![
                "id",
                "name",
                "kind",
                "in_force",
                "ended",
                "issue_areas",
                "scope",
                "open",
                "legalisation",
                "programme",
                "members_known",
                "url",
            ];
            if tagged {
                header.extend(["counted_in", "left_out_because"]);
            }
            let cells = rows.iter().map(|r| {
                let mut c = vec![
                    r.id.to_string(),
                    r.name.to_string(),
                    r.kind.to_string(),
                    r.in_force.clone(),
                    r.ended.clone().unwrap_or_default(),
                    r.issue_areas.join(";"),
                    r.scope.to_string(),
                    r.open.to_string(),
                    r.legalisation.to_string(),
                    r.programme.unwrap_or_default().to_string(),
                    r.members_known.to_string(),
                    r.url.unwrap_or_default().to_string(),
                ];
                if tagged {
                    c.push(names(r.counted_in.iter().flatten().map(|s| s.as_str())));
                    c.push(names(
                        r.left_out_because.iter().flatten().map(|r| r.as_str()),
                    ));
                }
                c
            });
            crate::export::csv::write_rows(out, &header, cells, true)
        }
        OutputFormat::Table => {
            if let Some(v) = view {
                writeln!(
                    out,
                    "{} ({}): institutions at {}; decision year {} ({})",
                    v.programme,
                    v.issue_area,
                    v.year,
                    v.decision_year
                        .map_or_else(|| "-".to_string(), |y| y.to_string()),
                    match v.decision_year_source {
                        YearSource::Rule => "the rule",
                        YearSource::Data => "set in the data",
                        YearSource::Flag => "--decision-year",
                    }
                )?;
            }
            let mut header = vec![
                "ID",
                "IN FORCE",
                "ENDED",
                "KIND",
                "SCOPE",
                "OPEN TO ALL",
                "L",
            ];
            if tagged {
                header.extend(["COUNTED IN", "NOT COUNTED BECAUSE"]);
            } else {
                header.extend(["MEMBERS", "NAME"]);
            }
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    let mut c = vec![
                        r.id.to_string(),
                        r.in_force.clone(),
                        r.ended.clone().unwrap_or_else(|| "-".into()),
                        r.kind.to_string(),
                        r.scope.to_string(),
                        if r.open { "yes" } else { "no" }.to_string(),
                        r.legalisation.to_string(),
                    ];
                    if tagged {
                        let counted = names(r.counted_in.iter().flatten().map(|s| s.as_str()));
                        let reasons =
                            names(r.left_out_because.iter().flatten().map(|r| r.as_str()))
                                .replace("closed", "closed (so not in open)");
                        c.push(if counted.is_empty() {
                            "-".into()
                        } else {
                            counted.replace(';', ", ")
                        });
                        c.push(if reasons.is_empty() {
                            "-".into()
                        } else {
                            reasons.replace(';', ", ")
                        });
                    } else {
                        c.push(r.members_known.to_string());
                        c.push(r.name.to_string());
                    }
                    c
                })
                .collect();
            write_table(out, &header, &cells, header.len() - 1, None)?;
            if let Some(v) = view {
                let counted = |spec: Spec| {
                    v.institutions
                        .iter()
                        .filter(move |r| r.counted_in.as_ref().is_some_and(|c| c.contains(&spec)))
                };
                let legalised: f64 = counted(Spec::Legalised).map(|r| r.legalisation).sum();
                writeln!(
                    out,
                    "density at {}: count {} · exogenous {} · open {} · legalised {legalised}",
                    v.year,
                    counted(Spec::Count).count(),
                    counted(Spec::Exogenous).count(),
                    counted(Spec::Open).count(),
                )?;
            }
            Ok(())
        }
    }
}
