//! An Excel workbook (`--format xlsx`) for spreadsheets and pivot tables: an `events` sheet
//! with typed columns (dates as dates, counts as numbers), a `parties` sheet with one row per
//! event and party (the `event-actors` table), the cited `sources`, and a `codebook` sheet
//! that says what every column holds. Cells are written as values, never as formulas, so no
//! text can run in the spreadsheet; the file's date is `Options::now`, so the same data and
//! moment give the same bytes.

use std::io::Write;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::sources::cited;
use super::{Options, Selection};
use crate::domain::{Event, PartialDate};
use crate::error::{Error, Result};
use crate::progress::Progress;

/// The most rows a sheet holds, its header included.
const SHEET_ROWS: usize = 1_048_576;
/// The longest text a cell holds, in characters.
const CELL_CHARS: usize = 32_767;

/// A column: its header, its type in words and its meaning, for the codebook sheet.
type Column = (&'static str, &'static str, &'static str);

const EVENT_COLUMNS: [Column; 19] = [
    ("id", "text", "The event's id."),
    ("date", "text", "When it happened, at the precision known (2021, 2021-04 or 2021-04-23; never padded)."),
    ("precision", "text", "year, month or day: the precision of date."),
    ("first_day", "date", "The first calendar day date can stand for."),
    ("last_day", "date", "The last calendar day the event can stand for (its end date's, if any)."),
    ("year", "number", "The year of date."),
    ("programme", "text", "The programme id."),
    ("kind", "text", "What kind of act it is (mou, agreement, announcement_of_opportunity, …)."),
    ("channel", "text", "un_multilateral, multilateral, bilateral or national: the channel the instrument runs through."),
    ("valence", "text", "cooperation, refusal, withdrawal or obstacle."),
    ("venue", "text", "The institution where it took place, if any."),
    ("follows", "text", "The earlier event of the same instrument, if any."),
    ("title", "text", "A one-line title."),
    ("summary", "text", "A short summary."),
    ("notes", "text", "Coding caveats and where sources disagree."),
    ("parties", "number", "How many parties the event has (one row each on the parties sheet)."),
    ("party_ids", "text", "The parties' actor ids, in coded order, joined by '; '."),
    ("institutions", "text", "The institutions it runs through, joined by '; '."),
    ("sources", "text", "The ids of its sources (on the sources sheet), joined by '; '."),
];

const PARTY_COLUMNS: [Column; 14] = [
    ("event_id", "text", "The event (a row of the events sheet)."),
    ("date", "text", "The event's date at its precision."),
    ("year", "number", "The event's year."),
    ("programme", "text", "The event's programme."),
    ("channel", "text", "The event's channel."),
    ("kind", "text", "The event's kind."),
    ("valence", "text", "The event's valence."),
    ("actor_id", "text", "The party's actor id."),
    ("actor_name", "text", "The party's name."),
    ("actor_kind", "text", "state, space_agency, international_organisation, research_institution, company, ngo or government_body."),
    ("role", "text", "The party's role (lead, signatory, partner, organiser, selected, …)."),
    ("certainty", "text", "confirmed, or claimed when only one side or a secondary source says so."),
    ("ccode", "number", "The Correlates of War code of a state party in the event's year; empty for others."),
    ("country", "text", "The state the party is or belongs to."),
];

const SOURCE_COLUMNS: [Column; 12] = [
    (
        "id",
        "text",
        "The source's id, as the events sheet's sources column names it.",
    ),
    (
        "type",
        "text",
        "CSL item type (webpage, report, article-journal, treaty, …).",
    ),
    ("author", "text", "Author(s), as written."),
    ("title", "text", "Title."),
    (
        "container",
        "text",
        "The journal, newspaper or site it appeared in.",
    ),
    ("publisher", "text", "Publisher."),
    (
        "issued",
        "text",
        "When it was issued, at the precision known.",
    ),
    ("url", "text", "Where it can be read."),
    ("doi", "text", "DOI."),
    ("language", "text", "Language (BCP 47)."),
    ("accessed", "text", "When the URL was read."),
    (
        "events",
        "number",
        "How many events of the selection cite it.",
    ),
];

fn xlsx(e: XlsxError) -> Error {
    Error::Spreadsheet(e.to_string())
}

/// `s` cut to what a cell holds, ending in `…` when cut.
fn fit(s: &str) -> String {
    if s.chars().count() <= CELL_CHARS {
        return s.to_string();
    }
    let mut out: String = s.chars().take(CELL_CHARS - 1).collect();
    out.push('…');
    out
}

/// One sheet being filled, row by row.
struct Sheet<'a> {
    ws: &'a mut Worksheet,
    row: u32,
    date: &'a Format,
}

impl<'a> Sheet<'a> {
    fn new(
        ws: &'a mut Worksheet,
        name: &str,
        columns: &[Column],
        heading: &Format,
        date: &'a Format,
    ) -> Result<Sheet<'a>> {
        ws.set_name(name).map_err(xlsx)?;
        for (c, (header, _, _)) in columns.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *header, heading)
                .map_err(xlsx)?;
        }
        ws.set_freeze_panes(1, 0).map_err(xlsx)?;
        Ok(Sheet { ws, row: 1, date })
    }

    fn text(&mut self, col: u16, s: &str) -> Result<()> {
        if !s.is_empty() {
            self.ws.write_string(self.row, col, fit(s)).map_err(xlsx)?;
        }
        Ok(())
    }

    fn number(&mut self, col: u16, n: f64) -> Result<()> {
        self.ws.write_number(self.row, col, n).map_err(xlsx)?;
        Ok(())
    }

    /// A calendar day as an Excel date; as text when Excel's calendar lacks it (before 1900).
    fn day(&mut self, col: u16, d: chrono::NaiveDate) -> Result<()> {
        use chrono::Datelike;
        let excel = u16::try_from(d.year())
            .ok()
            .and_then(|y| ExcelDateTime::from_ymd(y, d.month() as u8, d.day() as u8).ok());
        match excel {
            Some(x) => {
                self.ws
                    .write_datetime_with_format(self.row, col, &x, self.date)
                    .map_err(xlsx)?;
                Ok(())
            }
            None => self.text(col, &d.to_string()),
        }
    }

    fn next(&mut self) {
        self.row += 1;
    }

    /// Filters on every column and widths that show the headers.
    fn finish(self, columns: &[Column]) -> Result<()> {
        let last_col = columns.len().saturating_sub(1) as u16;
        self.ws
            .autofilter(0, 0, self.row.saturating_sub(1).max(1), last_col)
            .map_err(xlsx)?;
        for (c, (header, _, _)) in columns.iter().enumerate() {
            let width = match *header {
                "title" | "summary" | "notes" => 50.0,
                _ => (header.len() as f64 + 4.0).max(12.0),
            };
            self.ws.set_column_width(c as u16, width).map_err(xlsx)?;
        }
        Ok(())
    }
}

fn join(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join("; ")
}

fn opt_date(d: Option<PartialDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn write_event(s: &mut Sheet<'_>, e: &Event) -> Result<()> {
    s.text(0, &e.id)?;
    s.text(1, &e.date.to_string())?;
    s.text(2, e.date.precision().as_str())?;
    s.day(3, e.date.first_day())?;
    s.day(4, e.end_date.unwrap_or(e.date).last_day())?;
    s.number(5, f64::from(e.date.year_value()))?;
    s.text(6, &e.programme)?;
    s.text(7, e.kind.as_str())?;
    s.text(8, e.channel.as_str())?;
    s.text(9, e.valence.as_str())?;
    s.text(10, e.venue.as_deref().unwrap_or_default())?;
    s.text(11, e.follows.as_deref().unwrap_or_default())?;
    s.text(12, &e.title)?;
    s.text(13, &e.summary)?;
    s.text(14, &e.notes)?;
    s.number(15, e.parties.len() as f64)?;
    s.text(16, &join(e.parties.iter().map(|p| p.actor.clone())))?;
    s.text(17, &join(e.institutions.iter().cloned()))?;
    s.text(18, &join(e.sources.iter().map(|r| r.source.clone())))?;
    s.next();
    Ok(())
}

fn write_parties(s: &mut Sheet<'_>, sel: Selection<'_>, e: &Event) -> Result<()> {
    let c = sel.catalog;
    let year = e.date.year_value();
    for p in &e.parties {
        let a = c.actor(&p.actor);
        s.text(0, &e.id)?;
        s.text(1, &e.date.to_string())?;
        s.number(2, f64::from(year))?;
        s.text(3, &e.programme)?;
        s.text(4, e.channel.as_str())?;
        s.text(5, e.kind.as_str())?;
        s.text(6, e.valence.as_str())?;
        s.text(7, &p.actor)?;
        s.text(8, a.map_or("", |a| a.name.as_str()))?;
        s.text(9, a.map_or("", |a| a.kind.as_str()))?;
        s.text(10, p.role.as_str())?;
        s.text(11, p.certainty.as_str())?;
        if let Some(code) = super::long::state_ccode(c, &p.actor, year) {
            s.number(12, f64::from(code))?;
        }
        s.text(13, c.state_of(&p.actor).unwrap_or_default())?;
        s.next();
    }
    Ok(())
}

/// Refuses a selection whose rows a sheet cannot hold, naming the format that can.
fn check_rows(sel: Selection<'_>) -> Result<()> {
    let parties: usize = sel.events.iter().map(|e| e.parties.len()).sum();
    for (what, n, instead) in [
        ("events", sel.events.len(), "csv"),
        ("event parties", parties, "event-actors"),
    ] {
        if n >= SHEET_ROWS {
            return Err(Error::Usage(format!(
                "the selection has {n} {what}, more than an Excel sheet holds ({} rows): narrow \
                 it with filters, or use --format {instead}",
                SHEET_ROWS - 1
            )));
        }
    }
    Ok(())
}

/// Writes the workbook.
pub fn write_xlsx(
    sel: Selection<'_>,
    options: &Options,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<()> {
    check_rows(sel)?;
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_timestamp(options.now.timestamp()).map_err(xlsx)?;
    let title = if options.scope.is_empty() {
        "spacedip events".to_string()
    } else {
        format!("spacedip events: {}", options.scope)
    };
    wb.set_properties(
        &DocProperties::new()
            .set_title(fit(&title))
            .set_creation_datetime(&created),
    );
    let heading = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");

    let mut events = Sheet::new(
        wb.add_worksheet(),
        "events",
        &EVENT_COLUMNS,
        &heading,
        &date,
    )?;
    for e in sel.events {
        write_event(&mut events, e)?;
        progress.advance(1);
    }
    events.finish(&EVENT_COLUMNS)?;

    let mut parties = Sheet::new(
        wb.add_worksheet(),
        "parties",
        &PARTY_COLUMNS,
        &heading,
        &date,
    )?;
    for e in sel.events {
        write_parties(&mut parties, sel, e)?;
    }
    parties.finish(&PARTY_COLUMNS)?;

    let mut sources = Sheet::new(
        wb.add_worksheet(),
        "sources",
        &SOURCE_COLUMNS,
        &heading,
        &date,
    )?;
    for src in cited(sel) {
        let citing = sel
            .events
            .iter()
            .filter(|e| e.sources.iter().any(|r| r.source == src.id))
            .count();
        let cells = [
            src.id.clone(),
            src.source_type.to_string(),
            src.author.clone().unwrap_or_default(),
            src.title.clone(),
            src.container.clone().unwrap_or_default(),
            src.publisher.clone().unwrap_or_default(),
            opt_date(src.issued),
            src.url.clone().unwrap_or_default(),
            src.doi.clone().unwrap_or_default(),
            src.language.clone().unwrap_or_default(),
            opt_date(src.accessed),
        ];
        for (c, v) in cells.iter().enumerate() {
            sources.text(c as u16, v)?;
        }
        sources.number(11, citing as f64)?;
        sources.next();
    }
    sources.finish(&SOURCE_COLUMNS)?;

    let codebook: [Column; 4] = [
        ("sheet", "text", "The sheet the column is on."),
        ("column", "text", "The column's header."),
        ("type", "text", "text, number or date."),
        ("meaning", "text", "What it holds."),
    ];
    let mut book = Sheet::new(wb.add_worksheet(), "codebook", &codebook, &heading, &date)?;
    for (sheet, columns) in [
        ("events", &EVENT_COLUMNS[..]),
        ("parties", &PARTY_COLUMNS[..]),
        ("sources", &SOURCE_COLUMNS[..]),
    ] {
        for (header, kind, meaning) in columns {
            for (c, v) in [sheet, header, kind, meaning].iter().enumerate() {
                book.text(c as u16, v)?;
            }
            book.next();
        }
    }
    for note in [
        format!(
            "Selection: {}.",
            if options.scope.is_empty() {
                "all events"
            } else {
                &options.scope
            }
        ),
        "Every cell is a value, never a formula. Text longer than a cell's 32,767 characters \
         ends in …; the csv and json formats keep it whole."
            .to_string(),
    ] {
        book.text(3, &note)?;
        book.next();
    }
    book.finish(&codebook)?;

    let bytes = wb.save_to_buffer().map_err(xlsx)?;
    out.write_all(&bytes)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::progress::Silent;

    fn workbook(events: &[Event], catalog: &crate::domain::Catalog) -> Vec<u8> {
        let options = Options::new(chrono::Utc.with_ymd_and_hms(2026, 11, 30, 0, 0, 0).unwrap());
        let mut out = Vec::new();
        let sel = Selection { events, catalog };
        write_xlsx(sel, &options, &Silent, &mut out).unwrap();
        out
    }

    #[test]
    fn the_same_data_and_moment_give_the_same_bytes() {
        let data = crate::seed::dataset().unwrap();
        let catalog = crate::domain::Catalog::new(
            data.programmes.clone(),
            data.actors.clone(),
            data.institutions.clone(),
            data.memberships.clone(),
            data.sources.clone(),
        );
        let a = workbook(&data.events, &catalog);
        assert_eq!(a, workbook(&data.events, &catalog));
        assert!(a.starts_with(b"PK"), "a zip container");
        // Empty selections give a valid workbook too.
        assert!(workbook(&[], &catalog).starts_with(b"PK"));
    }

    #[test]
    fn long_text_is_cut_to_a_cell() {
        let long = "x".repeat(CELL_CHARS + 10);
        let cut = fit(&long);
        assert_eq!(cut.chars().count(), CELL_CHARS);
        assert!(cut.ends_with('…'));
        assert_eq!(fit("short"), "short");
    }
}
