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
    // A large corpus is mostly ASCII: its runs are copied whole and lowered in place. Other
    // chars of the Basic Multilingual Plane (Cyrillic, Greek, Arabic, CJK…) are looked up in
    // a table folded once; only the rarer planes are decomposed one by one.
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
        // The non-ASCII run, up to the next ASCII byte (never inside a char).
        let other = rest
            .bytes()
            .position(|b| b.is_ascii())
            .unwrap_or(rest.len());
        // Chars that fold to themselves (lower-case letters, CJK) are copied a run at a time.
        let mut same_from = 0;
        for (at, c) in rest[..other].char_indices() {
            let folded = plane_fold(c);
            if let Folded::Same = folded {
                continue;
            }
            out.push_str(&rest[same_from..at]);
            same_from = at + c.len_utf8();
            match folded {
                Folded::Same => out.push(c),
                Folded::To(folded) => out.push_str(folded),
                Folded::Slow => fold_slow(c, |l| out.push(l)),
            }
        }
        out.push_str(&rest[same_from..other]);
        rest = &rest[other..];
    }
}

/// The folded chars of `c`: its compatibility decomposition without combining marks, in
/// lower case.
fn fold_char(c: char, mut emit: impl FnMut(char)) {
    if c.is_ascii() {
        emit(c.to_ascii_lowercase());
        return;
    }
    match plane_fold(c) {
        Folded::Same => emit(c),
        Folded::To(folded) => folded.chars().for_each(emit),
        Folded::Slow => fold_slow(c, emit),
    }
}

/// [`fold_char`] worked out: the decomposition tables walked for one char.
fn fold_slow(c: char, mut emit: impl FnMut(char)) {
    for d in std::iter::once(c).nfkd().filter(|d| !is_combining_mark(*d)) {
        for l in d.to_lowercase() {
            emit(l);
        }
    }
}

/// [`char::is_alphanumeric`], looked up in a table for the Basic Multilingual Plane: search
/// asks it of every char around a candidate match, and outside ASCII the standard library
/// walks its Unicode tables each time.
pub fn is_word_char(c: char) -> bool {
    static WORD: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    let code = c as usize;
    if code > 0xFFFF {
        return c.is_alphanumeric();
    }
    let bits = WORD.get_or_init(|| {
        let mut bits = vec![0u64; 0x10000 / 64];
        for c in (0..=0xFFFF_u32).filter_map(char::from_u32) {
            if c.is_alphanumeric() {
                bits[c as usize / 64] |= 1 << (c as u32 % 64);
            }
        }
        bits
    });
    bits[code / 64] & 1 << (code % 64) != 0
}

/// A char's folded form, as [`plane_fold`] knows it.
enum Folded {
    /// The char itself (a lower-case letter, a CJK ideograph).
    Same,
    To(&'static str),
    /// Not in the table: outside the Basic Multilingual Plane.
    Slow,
}

/// The folded form of a char of the Basic Multilingual Plane, from [`PlaneFolds`].
fn plane_fold(c: char) -> Folded {
    static FOLDS: std::sync::OnceLock<PlaneFolds> = std::sync::OnceLock::new();
    let code = c as usize;
    if code > 0xFFFF {
        return Folded::Slow;
    }
    let folds = FOLDS.get_or_init(PlaneFolds::new);
    if folds.same[code / 64] & 1 << (code % 64) != 0 {
        return Folded::Same;
    }
    let (at, len) = folds.spans[code];
    match folds.text.get(at as usize..at as usize + usize::from(len)) {
        Some(folded) if len != PlaneFolds::TOO_LONG => Folded::To(folded),
        _ => Folded::Slow,
    }
}

/// Every char of the Basic Multilingual Plane folded once, on first use (some 65,000 chars,
/// a few milliseconds and under a megabyte): decomposing a char walks several tables, which
/// cost a corpus written in another script most of its search time.
struct PlaneFolds {
    /// A bit per char: set when it folds to itself.
    same: Vec<u64>,
    /// Each other char's folded text in `text`: its byte offset and length.
    spans: Vec<(u32, u8)>,
    text: String,
}

impl PlaneFolds {
    /// The length that marks a char left to [`fold_slow`]: none in Unicode 16, whose longest
    /// folded char of the plane (U+FDFA) takes 33 bytes.
    const TOO_LONG: u8 = u8::MAX;

    fn new() -> PlaneFolds {
        let mut text = String::new();
        let mut same = vec![0u64; 0x10000 / 64];
        let mut folded = String::new();
        let spans = (0..=0xFFFF_u32)
            .map(|code| {
                // Surrogates are not chars: they are never asked for.
                let Some(c) = char::from_u32(code) else {
                    return (0, 0);
                };
                folded.clear();
                fold_slow(c, |l| folded.push(l));
                if folded.chars().eq([c]) {
                    same[code as usize / 64] |= 1 << (code % 64);
                    return (0, 0);
                }
                let at = text.len();
                text.push_str(&folded);
                let len = u8::try_from(folded.len())
                    .ok()
                    .filter(|&n| n != PlaneFolds::TOO_LONG)
                    .unwrap_or(PlaneFolds::TOO_LONG);
                (at as u32, len)
            })
            .collect();
        PlaneFolds { same, spans, text }
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

    /// Folded char by char through the decomposition tables: what the table must agree with.
    fn fold_reference(s: &str) -> String {
        let mut out = String::new();
        for c in s.chars() {
            fold_slow(c, |l| out.push(l));
        }
        out
    }

    #[test]
    fn the_plane_table_folds_every_char_as_the_tables_do() {
        for c in (0..=0xFFFF_u32).filter_map(char::from_u32) {
            let mut slow = String::new();
            fold_slow(c, |l| slow.push(l));
            let table = match plane_fold(c) {
                Folded::Same => c.to_string(),
                Folded::To(folded) => folded.to_string(),
                Folded::Slow => panic!("U+{:04X} is not in the table", c as u32),
            };
            assert_eq!(table, slow, "U+{:04X}", c as u32);
        }
        assert!(matches!(plane_fold('𝔸'), Folded::Slow));
        for c in (0..=0x1_FFFF_u32).filter_map(char::from_u32) {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "U+{:04X}", c as u32);
        }
        assert_eq!(fold("Ｔürkiye ΣΟΦΙΑ 𝔸").0, "turkiye σοφια a");
    }

    proptest::proptest! {
        #[test]
        fn folding_runs_of_text_is_folding_each_char(
            s in "[a-zA-Z0-9 ,éÉßİΣσДд月ﷺ\u{1F600}𝔸\u{301}-]{0,40}",
        ) {
            let mut out = String::from("kept ");
            fold_into(&s, &mut out);
            proptest::prop_assert_eq!(&out[5..], fold_reference(&s));
            proptest::prop_assert_eq!(fold(&s).0, fold_reference(&s));
        }
    }
}
