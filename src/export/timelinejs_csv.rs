//! The TimelineJS spreadsheet template as CSV: the v3 template's columns in template order, a
//! `title` row, then one row per event. Paste it into the Google Sheet template, or serve it
//! as the sheet's published CSV.
//!
//! The cells are the same HTML as the JSON slides; formula-like cells are neutralised unless
//! [`Options::neutralise`] is off (the file is made for a spreadsheet).

use std::io::Write;

use super::csv::{write_record, writer};
use super::timelinejs::{slides, title, TlDate};
use super::{Options, Selection};
use crate::error::Result;
use crate::progress::Progress;

/// The TimelineJS v3 sheet template's columns, in template order.
pub const COLUMNS: [&str; 18] = [
    "Year",
    "Month",
    "Day",
    "Time",
    "End Year",
    "End Month",
    "End Day",
    "End Time",
    "Display Date",
    "Headline",
    "Text",
    "Media",
    "Media Credit",
    "Media Caption",
    "Media Thumbnail",
    "Type",
    "Group",
    "Background",
];

fn parts(d: Option<&TlDate>) -> [String; 3] {
    let num = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    match d {
        Some(d) => [d.year.to_string(), num(d.month), num(d.day)],
        None => Default::default(),
    }
}

/// Writes the selection as the TimelineJS sheet CSV; `progress` advances by one per event row.
pub fn write(
    sel: Selection<'_>,
    options: &Options,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<()> {
    let mut w = writer(out);
    w.write_record(COLUMNS)?;
    let t = title(sel, options);
    let mut row: [String; 18] = Default::default();
    row[9] = t.headline;
    row[10] = t.text;
    row[15] = "title".to_string();
    write_record(&mut w, &row, options.neutralise)?;
    for s in slides(sel) {
        let [y, m, d] = parts(Some(&s.start_date));
        let [ey, em, ed] = parts(s.end_date.as_ref());
        let row = [
            y,
            m,
            d,
            String::new(),
            ey,
            em,
            ed,
            String::new(),
            String::new(),
            s.text.headline,
            s.text.text,
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            s.group,
            String::new(),
        ];
        write_record(&mut w, &row, options.neutralise)?;
        progress.advance(1);
    }
    w.flush()?;
    Ok(())
}
