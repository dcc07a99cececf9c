//! Text made safe and measured for terminals: control characters and escape sequences are
//! shown inert, and widths count wide (CJK) characters as two columns. Also the case and
//! accent folding that search, actor matching and the form's suggestions compare by.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Replaces every control character (C0, DEL, C1, and so ESC of escape sequences) with a
/// visible stand-in, so that data can never drive the terminal.
pub fn inert(s: &str) -> String {
    if !s.chars().any(is_control) {
        return s.to_string();
    }
    s.chars()
        .map(|c| match c {
            '\n' | '\t' => ' ',
            c if is_control(c) => char::from_u32(0x2400 + c as u32)
                .filter(|_| (c as u32) < 0x20)
                .unwrap_or('�'),
            c => c,
        })
        .collect()
}

fn is_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The widest line of a message: an argument of 128 KiB echoed whole helps nobody.
pub const MESSAGE_WIDTH: usize = 300;

/// A message for the terminal: every line made inert and cut to [`MESSAGE_WIDTH`] columns,
/// the lines themselves kept (a list of import problems is one per line).
pub fn inert_message(s: &str) -> String {
    s.lines()
        .map(|line| truncate(&inert(line), MESSAGE_WIDTH))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The known values closest to what was typed, for "did you mean …": compared without case,
/// at most three, each within an edit distance of a third of its length (at least 1).
pub fn closest<'a>(typed: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let t: Vec<char> = typed.to_lowercase().chars().collect();
    let mut scored: Vec<(usize, &str)> = known
        .into_iter()
        .filter_map(|k| {
            let c: Vec<char> = k.to_lowercase().chars().collect();
            let d = edit_distance(&t, &c);
            (d > 0 && d <= (c.len() / 3).max(1)).then_some((d, k))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, k)| k).collect()
}

/// Levenshtein distance between two character sequences.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}

/// " (did you mean A or B?)" for the closest values, or nothing.
pub fn did_you_mean(suggestions: &[&str]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!(" (did you mean {}?)", inert(one)),
        [rest @ .., last] => format!(
            " (did you mean {} or {}?)",
            rest.iter().map(|s| inert(s)).collect::<Vec<_>>().join(", "),
            inert(last)
        ),
    }
}

/// The display width of `s` in terminal columns.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` columns, ending with `…` when it was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Pads `s` with spaces to `cols` columns (no cut).
pub fn pad(s: &str, cols: usize) -> String {
    let w = width(s);
    if w >= cols {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(cols - w))
    }
}

/// Folds case and accents ("Türkiye" → "turkiye"), returning the folded text and, for each
/// folded char, the index of the original char it came from.
pub fn fold(s: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(s.len());
    let mut map = Vec::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        fold_char(c, |l| {
            out.push(l);
            map.push(i);
        });
    }
    (out, map)
}

/// Appends the folded `s` to `out` (what [`fold`] returns, without the char map).
pub fn fold_into(s: &str, out: &mut String) {
    // A large corpus is mostly ASCII: its runs are copied whole and lowered in place, and
    // only the other chars are decomposed one by one.
    let mut rest = s;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let start = out.len();
        out.push_str(&rest[..ascii]);
        out[start..].make_ascii_lowercase();
        rest = &rest[ascii..];
        if let Some(c) = rest.chars().next() {
            fold_char(c, |l| out.push(l));
            rest = &rest[c.len_utf8()..];
        }
    }
}

/// The folded chars of `c`: its compatibility decomposition without combining marks, in
/// lower case.
fn fold_char(c: char, mut emit: impl FnMut(char)) {
    if c.is_ascii() {
        emit(c.to_ascii_lowercase());
        return;
    }
    for d in std::iter::once(c).nfkd().filter(|d| !is_combining_mark(*d)) {
        for l in d.to_lowercase() {
            emit(l);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_shown_inert() {
        assert_eq!(inert("a\x1b[31mred\x07"), "a␛[31mred␇");
        assert_eq!(inert("line\nbreak"), "line break");
        assert_eq!(inert("c1\u{9b}x"), "c1�x");
        assert_eq!(inert("bidi\u{202e}x"), "bidi�x");
        assert_eq!(inert("plain"), "plain");
    }

    #[test]
    fn suggestions_are_the_closest_known_values() {
        let known = ["Pakistan", "Panama", "Portugal", "ILRS-03", "ILRS-30"];
        assert_eq!(closest("Pakistn", known), ["Pakistan"]);
        assert_eq!(closest("ILRS-3", known), ["ILRS-03", "ILRS-30"]);
        assert!(closest("zzzzzz", known).is_empty());
        assert_eq!(did_you_mean(&["A", "B"]), " (did you mean A or B?)");
    }

    #[test]
    fn wide_characters_count_twice() {
        assert_eq!(width("中国"), 4);
        assert_eq!(truncate("中国国家航天局", 7), "中国国…");
        assert_eq!(pad("中", 4), "中  ");
    }
}
