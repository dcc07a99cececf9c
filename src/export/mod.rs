//! Exports: events and their sources written to any `impl Write`, with no I/O of their own.
//!
//! Every format is deterministic: the same events in the same order, with the same
//! [`Options`], give the same bytes. The only clock reading is [`Options::now`], which the
//! caller pins (the CLI takes `--now` or `SOURCE_DATE_EPOCH`). An empty selection gives a
//! valid empty document in every format.
//!
//! One entry point, [`write()`], serves the CLI (`spacedip export`) and the TUI's export dialog.

pub mod bibtex;
pub mod case_table;
pub mod cite;
pub mod clock;
pub mod csl;
pub mod csv;
pub mod dyad_years;
pub mod escape;
pub mod ics;
pub mod json;
pub mod json_out;
pub mod long;
pub mod markdown;
pub mod mermaid;
pub mod network;
pub mod package;
pub mod prose;
pub mod ris;
pub mod sources;
pub mod svg;
mod svg_layout;
pub mod timelinejs;
pub mod timelinejs_csv;
pub mod xlsx;

use std::io::Write;

use chrono::{DateTime, Utc};

use crate::domain::{Catalog, Event};
use crate::error::Result;
use crate::progress::{Progress, Silent};

/// What an export writes: the selected events, in order, and the catalog that names their ids.
#[derive(Debug, Clone, Copy)]
pub struct Selection<'a> {
    pub events: &'a [Event],
    pub catalog: &'a Catalog,
}

/// How an export is written, beyond the events themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The moment of the export, used only where a format demands one (the ICS `DTSTAMP`).
    /// Pin it for reproducible files.
    pub now: DateTime<Utc>,
    /// Prefix CSV cells that a spreadsheet would run as a formula with `'` (see [`formula`]).
    /// On by default; `spacedip import` removes the prefix again.
    pub neutralise: bool,
    /// The selection in words, e.g. the filter as CLI flags (`--programme ILRS --since 2021`);
    /// shown in titles and headers, empty when everything is exported.
    pub scope: String,
    /// For the network formats: the actor × event graph instead of the partner network.
    pub two_mode: bool,
    /// The SVG picture's width in pixels.
    pub svg_width: u32,
}

impl Options {
    /// The defaults at a given moment: formula neutralisation on, no scope.
    pub fn new(now: DateTime<Utc>) -> Self {
        Options {
            now,
            neutralise: true,
            scope: String::new(),
            two_mode: false,
            svg_width: svg::DEFAULT_WIDTH,
        }
    }
}

crate::domain::vocab::vocabulary! {
    /// An export format; `ALL` is the order of the help text and the browser's dialog.
    Format, "export format" {
        /// The lossless interchange CSV that `import` reads back.
        Csv = "csv",
        /// A JSON array of full records.
        Json = "json",
        /// One full JSON record per line.
        Ndjson = "ndjson",
        /// A Markdown timeline table with source links and a source list.
        Markdown = "markdown",
        /// TimelineJS3 JSON.
        TimelineJs = "timelinejs",
        /// The TimelineJS spreadsheet template as CSV.
        TimelineJsCsv = "timelinejs-csv",
        /// A Mermaid `timeline` diagram.
        Mermaid = "mermaid",
        /// RFC 5545 iCalendar, all-day events.
        Ics = "ics",
        /// The cited sources as CSL-JSON.
        CslJson = "csl-json",
        /// The cited sources as BibTeX.
        Bibtex = "bibtex",
        /// A timeline picture, one lane per programme.
        Svg = "svg",
        /// A QCA case table: one row per programme, calibrated conditions and an outcome.
        CaseTable = "case-table",
        /// The partner network as GraphML.
        Graphml = "graphml",
        /// The partner network as GEXF, with time spells.
        Gexf = "gexf",
        /// One row per event and party.
        EventActors = "event-actors",
        /// One row per pair of parties per event.
        Dyads = "dyads",
        /// State dyads per year, keyed by COW codes.
        DyadYears = "dyad-years",
        /// The cited sources as RIS.
        Ris = "ris",
        /// An Excel workbook: events, parties, sources and a codebook sheet.
        Xlsx = "xlsx",
    }
}

impl Format {
    /// The usual file extension, without the dot (for proposing a file name).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv
            | Format::TimelineJsCsv
            | Format::CaseTable
            | Format::EventActors
            | Format::Dyads
            | Format::DyadYears => "csv",
            Format::Ris => "ris",
            Format::Xlsx => "xlsx",
            Format::Json | Format::TimelineJs => "json",
            Format::Ndjson => "ndjson",
            Format::Markdown => "md",
            Format::Mermaid => "mmd",
            Format::Ics => "ics",
            Format::CslJson => "csl.json",
            Format::Bibtex => "bib",
            Format::Svg => "svg",
            Format::Graphml => "graphml",
            Format::Gexf => "gexf",
        }
    }

    /// Whether the format writes event by event, so that its events can come as a stream
    /// ([`write_stream`]) rather than all at once.
    pub fn streams(self) -> bool {
        matches!(self, Format::Csv | Format::Json | Format::Ndjson)
    }

    /// Whether the format looks up the sources its events cite (a bibliography, a citation or
    /// a link per event), rather than writing their ids alone.
    pub fn cites_sources(self) -> bool {
        matches!(
            self,
            Format::Json
                | Format::Ndjson
                | Format::Xlsx
                | Format::Ris
                | Format::Markdown
                | Format::Ics
                | Format::CslJson
                | Format::Bibtex
                | Format::TimelineJs
        )
    }

    /// Whether the format is binary (a workbook), not text: never written to a terminal.
    pub fn is_binary(self) -> bool {
        self == Format::Xlsx
    }

    /// A one-line description, for help texts and the TUI's dialog.
    pub fn describe(self) -> &'static str {
        match self {
            Format::Csv => "interchange CSV (re-importable)",
            Format::Json => "JSON array of full records",
            Format::Ndjson => "one JSON record per line",
            Format::Markdown => "Markdown timeline table with sources",
            Format::TimelineJs => "TimelineJS3 JSON",
            Format::TimelineJsCsv => "TimelineJS spreadsheet (CSV)",
            Format::Mermaid => "Mermaid timeline diagram",
            Format::Ics => "iCalendar (RFC 5545)",
            Format::CslJson => "sources as CSL-JSON (Zotero, pandoc)",
            Format::Bibtex => "sources as BibTeX",
            Format::Svg => "SVG timeline picture",
            Format::CaseTable => "QCA case table (CSV for R's QCA::truthTable)",
            Format::Graphml => "partner network as GraphML (igraph, networkx, Gephi)",
            Format::Gexf => "partner network as GEXF with time spells (Gephi)",
            Format::EventActors => "one row per event and party (CSV)",
            Format::Dyads => "one row per pair of parties per event (CSV)",
            Format::DyadYears => "state dyads per year with COW codes (CSV)",
            Format::Ris => "sources as RIS (Zotero, EndNote, Mendeley)",
            Format::Xlsx => "Excel workbook: events, parties, sources, codebook",
        }
    }
}

/// What an export of `format` holds, counted in its own unit: "29 sources" for the citation
/// formats, "9 cases" for the case table, nodes and edges for the networks (the two-mode one
/// when `options.two_mode`), "130 events" otherwise.
pub fn written(format: Format, options: &Options, selection: Selection<'_>) -> String {
    if format == Format::Graphml && options.two_mode {
        let (nodes, edges) = network::two_mode_size(selection);
        return format!("{nodes} nodes, {edges} edges");
    }
    if matches!(format, Format::Graphml | Format::Gexf) {
        let g = crate::metrics::graph::Graph::of(selection.catalog, selection.events);
        return format!("{} nodes, {} edges", g.nodes.len(), g.edges.len());
    }
    let (n, one, many) = match format {
        Format::CslJson | Format::Bibtex | Format::Ris => {
            (sources::cited(selection).len(), "source", "sources")
        }
        Format::CaseTable => (case_table::cases(selection).len(), "case", "cases"),
        Format::DyadYears => (dyad_years::count(selection), "dyad-year", "dyad-years"),
        Format::EventActors => (
            selection.events.iter().map(|e| e.parties.len()).sum(),
            "event-party row",
            "event-party rows",
        ),
        Format::Dyads => (
            selection
                .events
                .iter()
                .map(|e| e.parties.len() * e.parties.len().saturating_sub(1) / 2)
                .sum(),
            "dyad",
            "dyads",
        ),
        _ => (selection.events.len(), "event", "events"),
    };
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Writes `selection` in `format` to `out`: the one entry point for the CLI and the TUI.
///
/// A caller that writes a file pairs it with [`crate::outfile::write_atomic`], which refuses
/// to replace an existing file unless asked ([`crate::Error::OutputExists`], a cue to ask
/// the user): `write_atomic(path, force, |w| export::write(format, selection, &options, w))`.
///
/// The events are written in the order given, except where a format has its own order: the
/// timelines (Mermaid, SVG) place events by date, and the bibliographies (CSL-JSON, BibTeX)
/// list each cited source once, by id.
pub fn write(
    format: Format,
    selection: Selection<'_>,
    options: &Options,
    out: &mut dyn Write,
) -> Result<()> {
    write_with_progress(format, selection, options, &Silent, out)
}

/// Writes `n` events that come one at a time in a format that [`Format::streams`]: the same
/// bytes as [`write`] on the same events, without holding them all.
pub fn write_stream(
    format: Format,
    events: &mut dyn Iterator<Item = Result<Event>>,
    n: usize,
    catalog: &Catalog,
    options: &Options,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<()> {
    progress.begin("writing", n as u64);
    let result = match format {
        Format::Csv => csv::write_event_stream(events, options.neutralise, progress, out),
        Format::Json => json::write_json_stream(events, catalog, progress, out),
        Format::Ndjson => json::write_ndjson_stream(events, catalog, progress, out),
        other => Err(crate::error::Error::Internal(format!(
            "{other} is not written as a stream"
        ))),
    };
    progress.finish();
    result
}

/// [`write()`], reporting to `progress` as one phase, "writing", of one step per event.
///
/// The formats that write event by event (CSV, JSON, NDJSON, Markdown, iCalendar, the
/// TimelineJS sheet, the event-actor and dyad tables) advance as each event is written; those
/// that lay out or gather the whole selection first (TimelineJS JSON, Mermaid, SVG, the
/// bibliographies, the case table, the networks) advance once, when done.
pub fn write_with_progress(
    format: Format,
    selection: Selection<'_>,
    options: &Options,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<()> {
    let n = selection.events.len() as u64;
    progress.begin("writing", n);
    let p = progress;
    let all = |()| p.advance(n);
    let result = match format {
        Format::Csv => csv::write_events_reporting(selection.events, options.neutralise, p, out),
        Format::Json => json::write_events(selection, p, out),
        Format::Ndjson => json::write_ndjson(selection, p, out),
        Format::Markdown => markdown::write(selection, options, p, out),
        Format::TimelineJs => timelinejs::write(selection, options, out).map(all),
        Format::TimelineJsCsv => timelinejs_csv::write(selection, options, p, out),
        Format::Mermaid => mermaid::write(selection, options, out).map(all),
        Format::Ics => ics::write(selection, options, p, out),
        Format::CslJson => csl::write(selection, out).map(all),
        Format::Bibtex => bibtex::write(selection, out).map(all),
        Format::Svg => svg::write(selection, options, out).map(all),
        Format::CaseTable => case_table::write_case_table(selection, out).map(all),
        Format::Graphml if options.two_mode => {
            network::write_two_mode_graphml(selection, options, out).map(all)
        }
        Format::Graphml => network::write_graphml(selection, options, out).map(all),
        Format::Gexf => network::write_gexf(selection, options, out).map(all),
        Format::EventActors => long::write_event_actors(selection, options, p, out),
        Format::Dyads => long::write_dyads(selection, options, p, out),
        Format::DyadYears => dyad_years::write(selection, options, p, out),
        Format::Ris => ris::write(selection, out).map(all),
        Format::Xlsx => xlsx::write_xlsx(selection, options, p, out),
    };
    progress.finish();
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    /// Records what an export reports.
    #[derive(Default)]
    struct Log(RefCell<Vec<String>>);

    impl Progress for Log {
        fn begin(&self, label: &str, total: u64) {
            self.0.borrow_mut().push(format!("begin {label} {total}"));
        }
        fn advance(&self, n: u64) {
            self.0.borrow_mut().push(format!("+{n}"));
        }
        fn finish(&self) {
            self.0.borrow_mut().push("finish".into());
        }
    }

    #[test]
    fn progress_counts_every_event_once_and_changes_no_byte() {
        let db = crate::db::Db::open_seeded_in_memory().unwrap();
        let catalog = db.catalog().unwrap();
        let events = db
            .events(&crate::domain::Filter::default(), &catalog)
            .unwrap();
        let n = events.len();
        let selection = Selection {
            events: &events,
            catalog: &catalog,
        };
        let options = Options::new("2025-01-31T00:00:00Z".parse().unwrap());
        let streamed = [
            Format::Csv,
            Format::Json,
            Format::Ndjson,
            Format::Markdown,
            Format::TimelineJsCsv,
            Format::Ics,
            Format::EventActors,
            Format::Dyads,
            Format::DyadYears,
            Format::Xlsx,
        ];
        for &f in Format::ALL {
            let log = Log::default();
            let (mut plain, mut counted) = (Vec::new(), Vec::new());
            write(f, selection, &options, &mut plain).unwrap();
            write_with_progress(f, selection, &options, &log, &mut counted).unwrap();
            assert_eq!(plain, counted, "{f}");
            let log = log.0.into_inner();
            assert_eq!(log.first().unwrap(), &format!("begin writing {n}"), "{f}");
            assert_eq!(log.last().unwrap(), "finish", "{f}");
            let steps = &log[1..log.len() - 1];
            let sum: usize = steps.iter().map(|s| s[1..].parse::<usize>().unwrap()).sum();
            assert_eq!(sum, n, "{f}");
            let want = if streamed.contains(&f) { n } else { 1 };
            assert_eq!(steps.len(), want, "{f}");
        }
    }

    #[test]
    fn names_round_trip_and_errors_list_every_format() {
        for &f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>().unwrap(), f);
            assert!(!f.extension().is_empty() && !f.describe().is_empty());
        }
        let err = "pdf".parse::<Format>().unwrap_err().to_string();
        assert!(
            err.starts_with("unknown export format 'pdf' (valid: csv, json"),
            "{err}"
        );
        assert!(
            err.contains("timelinejs-csv") && err.contains("svg"),
            "{err}"
        );
    }
}
