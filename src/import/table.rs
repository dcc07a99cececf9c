//! Reading one CSV table: header check, UTF-8 check, field limits, and row line numbers.
//!
//! Reading never stops at the first problem: every problem in the file is collected, so that a
//! user fixes a file in one pass.

use crate::domain::Problem;

/// The largest field accepted, in bytes; a bigger one is almost always a broken quote.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;

/// A CSV table whose header matched and whose cells are UTF-8.
#[derive(Debug, Clone)]
pub struct Table {
    pub file: String,
    pub columns: &'static [&'static str],
    pub rows: Vec<Row>,
}

/// One data row, with the line it starts on (1-based, the header is line 1). Its cells sit one
/// after another in one string, so that a row costs two allocations, not one a cell (fifteen
/// million of them in a million-event import).
#[derive(Debug, Clone, Default)]
pub struct Row {
    pub line: u64,
    text: String,
    /// Where each cell ends in `text`.
    ends: Vec<usize>,
}

impl Row {
    /// A row of `cells`.
    pub fn new<S: AsRef<str>>(line: u64, cells: impl IntoIterator<Item = S>) -> Row {
        let mut row = Row {
            line,
            ..Row::default()
        };
        for cell in cells {
            row.push(cell.as_ref());
        }
        row
    }

    /// An empty row with room for `cells` cells of `bytes` bytes in all.
    fn with_capacity(line: u64, bytes: usize, cells: usize) -> Row {
        Row {
            line,
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(cells),
        }
    }

    /// Adds a cell at the end.
    fn push(&mut self, cell: &str) {
        self.text.push_str(cell);
        self.ends.push(self.text.len());
    }

    /// The cell at 0-based `i`.
    pub fn cell(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1],
        };
        self.text.get(start..end)
    }
}

impl Table {
    /// The 1-based column number of a column name.
    pub fn column(&self, name: &str) -> usize {
        self.columns
            .iter()
            .position(|c| *c == name)
            .map_or(0, |i| i + 1)
    }
}

/// Reads `bytes` as a CSV table whose header is exactly one of `headers`: the current one
/// first, then those of earlier releases, whose missing columns read as empty cells.
///
/// Returns `None` when the file cannot be read as such a table at all (empty, wrong header);
/// row-level problems are pushed to `problems` and the bad rows left out.
pub fn read_table(
    file: &str,
    bytes: &[u8],
    headers: &[&'static [&'static str]],
    problems: &mut Vec<Problem>,
) -> Option<Table> {
    let mut rows = Vec::new();
    let mut table = read_rows(file, bytes, headers, problems, |_, row| rows.push(row))?;
    table.rows = rows;
    Some(table)
}

/// Reads like [`read_table`], but hands each good row to `each` as soon as it is read, with
/// the table it belongs to (its rows left empty), instead of keeping them: a million-row file
/// is never held as rows. On `None` the file is refused as [`read_table`] refuses it, and
/// whatever `each` made of its rows is to be dropped.
pub fn read_rows(
    file: &str,
    bytes: &[u8],
    headers: &[&'static [&'static str]],
    problems: &mut Vec<Problem>,
    mut each: impl FnMut(&Table, Row),
) -> Option<Table> {
    let current = headers.first().copied().unwrap_or_default();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        problems.push(Problem::new(
            file,
            1,
            None,
            "header",
            format!("empty file: expected the header {}", current.join(",")),
        ));
        return None;
    }
    if let Some(p) = mixed_line_endings(file, bytes) {
        problems.push(p);
        return None;
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader.byte_records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            problems.push(Problem::new(file, 1, None, "header", csv_message(&e)));
            return None;
        }
        None => return None,
    };
    let found: Vec<String> = header
        .iter()
        .map(|f| String::from_utf8_lossy(f).trim().to_string())
        .collect();
    let Some(columns) = headers.iter().copied().find(|h| found == *h) else {
        problems.push(Problem::new(
            file,
            1,
            None,
            "header",
            format!(
                "expected the header {} but found {}",
                current.join(","),
                found.join(",")
            ),
        ));
        return None;
    };
    let table = Table {
        file: file.to_string(),
        columns,
        rows: Vec::new(),
    };
    // csv counts records, not the newlines inside quoted fields: lines come from byte offsets.
    let line_at = LineIndex::new(bytes);
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at.line(p.byte()));
                problems.push(Problem::new(file, line, None, "row", csv_message(&e)));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| line_at.line(p.byte()));
        if record.len() == 1 && record.get(0).is_some_and(|f| f.is_empty()) {
            continue; // a blank line
        }
        if record.len() != columns.len() {
            // A quote that is never closed swallows the rest of the file into one field.
            let runaway = record.len() < columns.len() && record.iter().any(|f| f.contains(&b'\n'));
            let hint = if runaway {
                "; a quoted field that starts on this line runs over several lines: is a closing quote missing?"
            } else {
                ""
            };
            problems.push(Problem::new(
                file,
                line,
                None,
                "row",
                format!(
                    "expected {} fields but found {}{hint}",
                    columns.len(),
                    record.len()
                ),
            ));
            continue;
        }
        let mut row = Row::with_capacity(line, record.as_slice().len(), columns.len());
        let mut ok = true;
        for (i, field) in record.iter().enumerate() {
            if field.len() > MAX_FIELD_BYTES {
                problems.push(Problem::new(
                    file,
                    line,
                    Some(i + 1),
                    columns[i],
                    format!(
                        "field of {} bytes is over the limit of {MAX_FIELD_BYTES}",
                        field.len()
                    ),
                ));
                ok = false;
                continue;
            }
            match std::str::from_utf8(field) {
                // Undo the apostrophe that CSV exports put before formula-like cells.
                Ok(s) => row.push(crate::interchange::formula::restore(s)),
                Err(e) => {
                    problems.push(Problem::new(
                        file,
                        line,
                        Some(i + 1),
                        columns[i],
                        format!("invalid UTF-8 at byte {} of the field", e.valid_up_to()),
                    ));
                    ok = false;
                }
            }
        }
        if ok {
            each(&table, row);
        }
    }
    // Said once: a runaway field that also lacks columns was already reported on its line.
    let reported = |line: u64| problems.iter().any(|p| p.file == file && p.line == line);
    if let Some(line) = unterminated_quote(bytes).filter(|&l| !reported(l)) {
        problems.push(Problem::new(
            file,
            line,
            None,
            "row",
            "a quoted field that starts on this line is never closed: the file ends inside it \
             (was it cut off?)",
        ));
        return None;
    }
    Some(table)
}

/// How a record ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    Lf,
    CrLf,
    Cr,
}

impl Ending {
    fn name(self) -> &'static str {
        match self {
            Ending::Lf => "LF",
            Ending::CrLf => "CRLF",
            Ending::Cr => "CR",
        }
    }
}

/// Refuses a file whose records end in different ways (LF, CRLF, CR).
///
/// Either ending alone is fine, and so are line breaks of any kind inside quoted fields (Excel
/// writes LF inside cells of CRLF files). Records ending in different ways almost always mean
/// files were concatenated or a file was edited by tools that disagree, so such a file is
/// refused, pointing at the first line whose ending differs, rather than guessed at.
fn mixed_line_endings(file: &str, bytes: &[u8]) -> Option<Problem> {
    let mut quoted = false;
    let mut first: Option<Ending> = None;
    let mut line = 1u64;
    let mut i = 0;
    // Only quotes and line breaks matter: jump from one to the next (a whole file is read).
    while let Some(skip) = memchr::memchr3(b'"', b'\n', b'\r', &bytes[i..]) {
        i += skip;
        let b = bytes[i];
        let ending = match b {
            b'"' => {
                quoted = !quoted;
                None
            }
            b'\n' if !quoted => Some(Ending::Lf),
            b'\r' if !quoted => {
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                    Some(Ending::CrLf)
                } else {
                    Some(Ending::Cr)
                }
            }
            _ => None,
        };
        if let Some(e) = ending {
            match first {
                None => first = Some(e),
                Some(f) if f != e => {
                    return Some(Problem::new(
                        file,
                        line,
                        None,
                        "row",
                        format!(
                            "mixed line endings: this line ends with {} but line 1 ends with {} \
                             (usually files joined together); convert the file to one line \
                             ending and import again",
                            e.name(),
                            f.name()
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
        if bytes[i] == b'\n' || (ending == Some(Ending::Cr)) {
            line += 1;
        }
        i += 1;
    }
    None
}

/// The line on which a quoted field opens that the file ends inside, if any. The csv reader
/// takes such a field as complete (it runs to the end of the file), so a file cut off in the
/// middle of a quoted field would otherwise import as if whole. Quotes count as the reader
/// counts them: only at the start of a field, `""` inside one.
fn unterminated_quote(bytes: &[u8]) -> Option<u64> {
    let (mut i, mut line) = (0usize, 1u64);
    // At the start of a field; the loop reads one field (and what ends it) a turn, jumping
    // over the bytes that cannot change the state (a whole file is read).
    loop {
        let field_start = *bytes.get(i)?;
        if field_start == b'"' {
            let opened = line;
            i += 1;
            // Inside quotes: only quotes end the field, and line breaks are counted.
            loop {
                let Some(skip) = memchr::memchr2(b'"', b'\n', &bytes[i..]) else {
                    return Some(opened);
                };
                i += skip;
                if bytes[i] == b'\n' {
                    line += 1;
                    i += 1;
                } else if bytes.get(i + 1) == Some(&b'"') {
                    i += 2;
                } else {
                    i += 1;
                    break;
                }
            }
        }
        // Unquoted (or after a closing quote): the field ends at a comma or a line break.
        let rest = &bytes[i..];
        let end = match rest.first() {
            Some(b',' | b'\n' | b'\r') => 0,
            _ => memchr::memchr3(b',', b'\n', b'\r', rest)?,
        };
        i += end;
        if bytes[i] == b'\n' {
            line += 1;
        }
        i += 1;
    }
}

/// Maps byte offsets to 1-based line numbers.
pub(crate) struct LineIndex<'a> {
    bytes: &'a [u8],
    starts: Vec<u64>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        let mut starts = vec![0];
        starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i as u64 + 1),
        );
        LineIndex { bytes, starts }
    }

    /// The line of the first byte at or after `byte` that is not a line break (csv reports a
    /// record after CRLF as starting on the LF).
    pub(crate) fn line(&self, mut byte: u64) -> u64 {
        while self
            .bytes
            .get(byte as usize)
            .is_some_and(|b| matches!(b, b'\r' | b'\n'))
        {
            byte += 1;
        }
        self.starts.partition_point(|&s| s <= byte) as u64
    }
}

fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) => format!("read error: {io}"),
        _ => format!("malformed CSV: {e}"),
    }
}

#[cfg(test)]
mod tests {
    /// The byte-by-byte state machine the quote check once was: the reference the jumping
    /// one is held to.
    fn unterminated_quote_bytewise(bytes: &[u8]) -> Option<u64> {
        #[derive(Clone, Copy, PartialEq)]
        enum State {
            FieldStart,
            Unquoted,
            Quoted,
            QuoteInQuoted,
        }
        let mut state = State::FieldStart;
        let (mut line, mut opened) = (1u64, 0u64);
        for &b in bytes {
            state = match (state, b) {
                (State::FieldStart, b'"') => {
                    opened = line;
                    State::Quoted
                }
                (State::Quoted, b'"') => State::QuoteInQuoted,
                (State::Quoted, _) => State::Quoted,
                (State::QuoteInQuoted, b'"') => State::Quoted,
                (_, b',' | b'\n' | b'\r') => State::FieldStart,
                _ => State::Unquoted,
            };
            if b == b'\n' {
                line += 1;
            }
        }
        (state == State::Quoted).then_some(opened)
    }

    /// The line-ending check once read every byte: the reference for the jumping one.
    fn mixed_line_endings_bytewise(bytes: &[u8]) -> Option<u64> {
        let mut quoted = false;
        let mut first: Option<Ending> = None;
        let mut line = 1u64;
        let mut i = 0;
        while i < bytes.len() {
            let ending = match bytes[i] {
                b'"' => {
                    quoted = !quoted;
                    None
                }
                b'\n' if !quoted => Some(Ending::Lf),
                b'\r' if !quoted => {
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                        Some(Ending::CrLf)
                    } else {
                        Some(Ending::Cr)
                    }
                }
                _ => None,
            };
            if let Some(e) = ending {
                match first {
                    None => first = Some(e),
                    Some(f) if f != e => return Some(line),
                    Some(_) => {}
                }
            }
            if bytes[i] == b'\n' || ending == Some(Ending::Cr) {
                line += 1;
            }
            i += 1;
        }
        None
    }

    proptest::proptest! {
        /// Jumping over the bytes that do not matter finds what reading every byte finds.
        #[test]
        fn the_whole_file_checks_jump_to_the_same_answers(
            bytes in proptest::collection::vec(
                proptest::sample::select(vec![b'"', b',', b'\n', b'\r', b'a', b' ']),
                0..60,
            ),
        ) {
            proptest::prop_assert_eq!(unterminated_quote(&bytes), unterminated_quote_bytewise(&bytes));
            proptest::prop_assert_eq!(
                mixed_line_endings("f", &bytes).map(|p| p.line),
                mixed_line_endings_bytewise(&bytes)
            );
        }
    }

    use super::*;

    const COLS: &[&str] = &["id", "name"];

    fn read(bytes: &[u8]) -> (Option<Table>, Vec<Problem>) {
        let mut problems = Vec::new();
        (read_table("t.csv", bytes, &[COLS], &mut problems), problems)
    }

    #[test]
    fn reads_rows_with_line_numbers_bom_and_quoted_newlines() {
        let (t, p) = read(b"\xEF\xBB\xBFid,name\r\nA,\"two\nlines\"\r\nB,b\r\n");
        assert!(p.is_empty(), "{p:?}");
        let t = t.unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].line, 2);
        assert_eq!(t.rows[0].cell(1), Some("two\nlines"));
        assert_eq!(t.rows[1].line, 4);
    }

    #[test]
    fn reports_every_bad_row() {
        let (t, p) = read(b"id,name\nA\nB,b,extra\nC,\xff\n");
        assert_eq!(t.unwrap().rows.len(), 0);
        let msgs: Vec<String> = p.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            msgs,
            [
                "t.csv:2 row: expected 2 fields but found 1",
                "t.csv:3 row: expected 2 fields but found 3",
                "t.csv:4:2 name: invalid UTF-8 at byte 0 of the field",
            ]
        );
    }

    #[test]
    fn refuses_empty_files_and_wrong_headers() {
        let (t, p) = read(b"");
        assert!(t.is_none());
        assert!(p[0].to_string().contains("empty file"));
        let (t, p) = read(b"id,title\nA,b\n");
        assert!(t.is_none());
        assert_eq!(
            p[0].to_string(),
            "t.csv:1 header: expected the header id,name but found id,title"
        );
    }

    #[test]
    fn refuses_mixed_line_endings_but_not_breaks_inside_quotes() {
        let (t, p) = read(b"id,name\r\nA,\"in\ncell\"\r\nB,b\r\n");
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(t.unwrap().rows.len(), 2);
        let (t, p) = read(b"id,name\r\nA,a\r\nB,\"x\ny\"\r\nC,c\nD,d\n");
        assert!(t.is_none());
        assert_eq!(
            p[0].to_string(),
            "t.csv:5 row: mixed line endings: this line ends with LF but line 1 ends with CRLF \
             (usually files joined together); convert the file to one line ending and import again"
        );
    }

    #[test]
    fn refuses_huge_fields() {
        let mut bytes = b"id,name\nA,".to_vec();
        bytes.extend(std::iter::repeat_n(b'x', MAX_FIELD_BYTES + 1));
        let (_, p) = read(&bytes);
        assert!(p[0].message.contains("over the limit"), "{p:?}");
    }
}
