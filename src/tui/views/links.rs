//! Clickable URLs (OSC 8 hyperlinks) over what a frame drew: the cells that show a source's URL
//! are wrapped in the terminal's hyperlink sequence, so that a click (or Ctrl-click) opens
//! it where the terminal supports links; elsewhere the sequence is ignored and the text reads
//! as before. A URL that the wrapping split over lines is linked on every line it covers.
//!
//! The sequence carries text the cells do not show, so each linked cell tells the buffer its
//! true width ([`CellDiffOption::ForcedWidth`]) and the cell it covers is skipped.

use std::num::NonZeroU16;

use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;

/// Whether `url` may go into an escape sequence: an http(s) URL of printable ASCII only, so
/// that nothing in it can end the sequence or start another.
pub fn linkable(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > "https://".len()
        && url.bytes().all(|b| (0x21..0x7f).contains(&b))
}

/// The text of row `y` of `area`, one char per cell (wide characters' second cells left out),
/// with the column of each char.
fn row(buf: &Buffer, area: Rect, y: u16) -> (Vec<char>, Vec<u16>) {
    let (mut chars, mut xs) = (Vec::new(), Vec::new());
    for x in area.left()..area.right() {
        let symbol = buf[(x, y)].symbol();
        let mut it = symbol.chars();
        match (it.next(), it.next()) {
            (Some(c), None) => {
                chars.push(c);
                xs.push(x);
            }
            // A grapheme of several chars is never part of a URL.
            _ => {
                chars.push('\u{0}');
                xs.push(x);
            }
        }
    }
    (chars, xs)
}

fn find(hay: &[char], needle: &[char]) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&i| hay[i..i + needle.len()] == *needle)
}

/// Wraps the cells at `xs` of row `y` in a link to `url`, two cells per sequence.
fn wrap(buf: &mut Buffer, y: u16, xs: &[u16], url: &str) {
    for pair in xs.chunks(2) {
        let text: String = pair.iter().map(|&x| buf[(x, y)].symbol()).collect();
        let Some(width) = NonZeroU16::new(pair.len() as u16) else {
            continue;
        };
        let first = &mut buf[(pair[0], y)];
        first.set_symbol(&format!("\x1b]8;;{url}\x1b\\{text}\x1b]8;;\x1b\\"));
        first.set_diff_option(CellDiffOption::ForcedWidth(width));
        for &x in &pair[1..] {
            buf[(x, y)].set_diff_option(CellDiffOption::Skip);
        }
    }
}

/// Links every place `url` shows in `area` of `buf`: whole on a row, or cut at a row's end and
/// continued at the start of the next rows (after their indent).
pub fn link(buf: &mut Buffer, area: Rect, url: &str) {
    if !linkable(url) {
        return;
    }
    let target: Vec<char> = url.chars().collect();
    let mut y = area.top();
    while y < area.bottom() {
        let (chars, xs) = row(buf, area, y);
        if let Some(i) = find(&chars, &target) {
            wrap(buf, y, &xs[i..i + target.len()], url);
            y += 1;
            continue;
        }
        // The longest end of this row that starts the URL, continued below.
        let start = (0..chars.len()).find(|&i| {
            let tail = &chars[i..];
            tail.len() >= 8 && target.starts_with(tail)
        });
        let Some(i) = start else {
            y += 1;
            continue;
        };
        let mut spans = vec![(y, xs[i..].to_vec())];
        let mut done = chars.len() - i;
        let mut next = y + 1;
        while done < target.len() && next < area.bottom() {
            let (chars, xs) = row(buf, area, next);
            let indent = chars.iter().take_while(|c| **c == ' ').count();
            let rest = &target[done..];
            let shown = chars[indent..]
                .iter()
                .zip(rest)
                .take_while(|(a, b)| a == b)
                .count();
            if shown == 0 {
                break;
            }
            spans.push((next, xs[indent..indent + shown].to_vec()));
            done += shown;
            next += 1;
        }
        if done == target.len() {
            for (row_y, cells) in spans {
                wrap(buf, row_y, &cells, url);
            }
            y = next;
        } else {
            y += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use ratatui::text::Line;
    use ratatui::widgets::{Paragraph, Widget};

    use super::*;

    fn buffer(lines: &[&str], width: u16) -> Buffer {
        let area = Rect::new(0, 0, width, lines.len() as u16);
        let mut buf = Buffer::empty(area);
        let text: Vec<Line> = lines.iter().map(|l| Line::raw(*l)).collect();
        Paragraph::new(text).render(area, &mut buf);
        buf
    }

    /// The URLs the row's cells link to, and the text they show.
    fn linked(buf: &Buffer, y: u16) -> Vec<String> {
        (0..buf.area.width)
            .map(|x| buf[(x, y)].symbol().to_string())
            .filter(|s| s.starts_with("\x1b]8;;"))
            .collect()
    }

    #[test]
    fn a_url_on_one_row_is_linked_two_cells_at_a_time() {
        let url = "https://example.org/a";
        let mut buf = buffer(&[&format!("see {url} now")], 40);
        let area = buf.area;
        link(&mut buf, area, url);
        let cells = linked(&buf, 0);
        assert_eq!(cells.len(), url.len().div_ceil(2));
        assert_eq!(cells[0], format!("\x1b]8;;{url}\x1b\\ht\x1b]8;;\x1b\\"));
        assert_eq!(
            buf[(4, 0)].diff_option,
            CellDiffOption::ForcedWidth(NonZeroU16::new(2).unwrap())
        );
        assert_eq!(buf[(5, 0)].diff_option, CellDiffOption::Skip);
        // What is around the URL is left alone.
        assert_eq!(buf[(0, 0)].symbol(), "s");
        assert_eq!(buf[(4 + url.len() as u16 + 1, 0)].symbol(), "n");
    }

    #[test]
    fn a_url_split_over_rows_is_linked_on_each() {
        let url = "https://example.org/a/very/long/path";
        let mut buf = buffer(&["x https://example.org/a/", "  very/long/path"], 24);
        let area = buf.area;
        link(&mut buf, area, url);
        assert!(!linked(&buf, 0).is_empty());
        assert!(!linked(&buf, 1).is_empty());
        assert!(linked(&buf, 1)[0].contains("ve"));
    }

    #[test]
    fn only_plain_http_urls_are_put_in_a_sequence() {
        assert!(linkable("https://www.unoosa.org/x?y=1"));
        assert!(!linkable("javascript:alert(1)"));
        assert!(!linkable("https://a.org/\x1b]8;;x"));
        assert!(!linkable("https://a.org/é"));
        assert!(!linkable("https://"));
        let mut buf = buffer(&["https://a.org/\u{1b}x"], 30);
        let before = buf.clone();
        let area = buf.area;
        link(&mut buf, area, "https://a.org/\u{1b}x");
        assert_eq!(buf, before);
    }
}
