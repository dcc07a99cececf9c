//! Reading an events CSV: the reader splits the file into rows while a second thread makes
//! the rows events. At a million rows the two halves take about as long as each other.

use std::sync::mpsc;
use std::sync::Arc;

use super::records::{event_of_row, Located};
use super::table::{read_rows, Row, Table};
use crate::domain::{Event, Problem};

/// An events table read row by row: the table (its rows left empty), the events, the rows
/// that did not parse.
pub type EventsRead = (Table, Vec<Located<Event>>, Vec<Located<Event>>);

/// How many rows go to the parsing thread at once.
const BATCH: usize = 1024;

/// What the parsing thread makes of the rows: events, rejects and their problems.
#[derive(Default)]
struct Parsed {
    rows: Vec<Located<Event>>,
    rejects: Vec<Located<Event>>,
    found: Vec<Problem>,
}

impl Parsed {
    fn take(&mut self, table: &Table, rows: &[Row]) {
        for row in rows {
            let (e, ok) = event_of_row(table, row, &mut self.found);
            if ok {
                self.rows.push(e);
            } else {
                self.rejects.push(e);
            }
        }
    }
}

/// The events of an events CSV (as `records::events` makes them, and with the same problems,
/// pushed to `problems` after the reader's own), read row by row so that the file is never
/// held as rows beside its events: the table (its rows left empty), the events, the rejects.
/// `None` when the file cannot be read as a table at all.
pub fn events_of_csv(
    file: &str,
    bytes: &[u8],
    headers: &[&'static [&'static str]],
    problems: &mut Vec<Problem>,
) -> Option<EventsRead> {
    let (table, parsed) = std::thread::scope(|scope| {
        // Bounded, so that the rows never run far ahead of their parsing.
        let (send, batches) = mpsc::sync_channel::<(Arc<Table>, Vec<Row>)>(8);
        let parser = std::thread::Builder::new()
            .name("import-parse".into())
            .spawn_scoped(scope, move || {
                let mut parsed = Parsed::default();
                for (table, rows) in batches {
                    parsed.take(&table, &rows);
                }
                parsed
            });
        // Without a second thread, the rows are parsed as they are read.
        let Ok(parser) = parser else {
            let mut parsed = Parsed::default();
            let table = read_rows(file, bytes, headers, problems, |t, row| {
                parsed.take(t, std::slice::from_ref(&row));
            });
            return (table, parsed);
        };
        let mut shared: Option<Arc<Table>> = None;
        let mut batch = Vec::with_capacity(BATCH);
        let mut hand_over = |t: &Table, batch: &mut Vec<Row>| {
            let t = shared.get_or_insert_with(|| Arc::new(t.clone()));
            let rows = std::mem::replace(batch, Vec::with_capacity(BATCH));
            // Only a parser that panicked is gone; its join below says so.
            let _ = send.send((Arc::clone(t), rows));
        };
        let table = read_rows(file, bytes, headers, problems, |t, row| {
            batch.push(row);
            if batch.len() == BATCH {
                hand_over(t, &mut batch);
            }
        });
        if let Some(t) = &table {
            if !batch.is_empty() {
                hand_over(t, &mut batch);
            }
        }
        // The parser's loop ends when the channel closes.
        drop(send);
        let parsed = parser
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (table, parsed)
    });
    let table = table?;
    problems.extend(parsed.found);
    Some((table, parsed.rows, parsed.rejects))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::TableKind;

    /// Over several batches: every row in file order, each bad row a reject with its problem
    /// at its own line, as reading row by row on one thread gives them.
    #[test]
    fn rows_over_many_batches_keep_their_order_lines_and_problems() {
        let mut csv = TableKind::Events.columns().join(",");
        csv.push('\n');
        let bad = [5, BATCH + 3, 2 * BATCH + 1];
        for i in 1..=2 * BATCH + 10 {
            let date = if bad.contains(&i) { "2020-13" } else { "2020" };
            csv.push_str(&format!(
                "E{i},{date},,ILRS,mou,bilateral,,,,Title {i},\"A summary,\nover two lines\",,CHN;RUS,,src1\n"
            ));
        }
        let mut problems = Vec::new();
        let (table, rows, rejects) = events_of_csv(
            "e.csv",
            csv.as_bytes(),
            TableKind::Events.headers(),
            &mut problems,
        )
        .unwrap();
        assert!(table.rows.is_empty());
        assert_eq!(rows.len() + rejects.len(), 2 * BATCH + 10);
        let ids: Vec<String> = rows.iter().map(|r| r.value.id.clone()).collect();
        let expected: Vec<String> = (1..=2 * BATCH + 10)
            .filter(|i| !bad.contains(i))
            .map(|i| format!("E{i}"))
            .collect();
        assert_eq!(ids, expected);
        // The header is line 1 and each row takes two lines.
        let line = |i: usize| 2 * i as u64;
        assert_eq!(
            rejects.iter().map(|r| r.line).collect::<Vec<_>>(),
            bad.map(line)
        );
        assert_eq!(
            problems
                .iter()
                .map(|p| (p.line, p.field.as_str()))
                .collect::<Vec<_>>(),
            bad.map(|i| (line(i), "date"))
        );
        assert_eq!(rows[0].line, 2);
    }
}
