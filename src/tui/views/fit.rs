//! Fitting data text into cells: made inert, cut by display width (wide CJK characters count
//! two columns), wrapped at word boundaries, with search matches highlighted; and a line being
//! typed, scrolled sideways to keep its caret in view.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

use crate::text::{inert, truncate, width};
use crate::tui::text_input::TextInput;

/// Data text made inert and cut to `max` columns with `…`.
pub fn cut(s: &str, max: usize) -> String {
    truncate(&inert(s), max)
}

/// A line being typed in at most `w` columns: scrolled sideways to keep the caret in view,
/// the text in `style` and the character under the caret (a space at the end) in `caret`.
/// The search box, the export's file name, the form's fields and the view-name prompt all
/// draw their text with it.
pub fn with_caret(input: &TextInput, w: usize, style: Style, caret: Style) -> Vec<Span<'static>> {
    let chars: Vec<char> = inert(input.text()).chars().collect();
    let at = input.caret().min(chars.len());
    let cw = |c: &char| c.width().unwrap_or(0);
    // As many chars before the caret as fit beside it, counted back from the caret: one
    // pass, as a pasted text may be thousands of chars long and this runs on every frame.
    let mut start = at;
    let mut used = chars.get(at).map_or(1, cw);
    while start > 0 && used + cw(&chars[start - 1]) <= w {
        start -= 1;
        used += cw(&chars[start]);
    }
    let before: String = chars[start..at].iter().collect();
    let mut used = width(&before);
    let (under, rest_from) = match chars.get(at) {
        Some(c) => (c.to_string(), at + 1),
        None => (" ".to_string(), at),
    };
    used += width(&under);
    let mut after = String::new();
    for c in chars.iter().skip(rest_from) {
        if used + cw(c) > w {
            break;
        }
        used += cw(c);
        after.push(*c);
    }
    vec![
        Span::styled(before, style),
        Span::styled(under, caret),
        Span::styled(after, style),
    ]
}

/// A title cut to `max` columns, with the chars at `positions` (char indices of the
/// original) in `matched` style.
pub fn highlighted(
    text: &str,
    positions: &[usize],
    max: usize,
    base: Style,
    matched: Style,
) -> Line<'static> {
    // `inert` maps each char to exactly one char, so match positions still apply.
    let text = inert(text);
    let cut = width(&text) > max;
    let budget = if cut { max.saturating_sub(1) } else { max };
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_matched = false;
    let mut used = 0;
    for (i, c) in text.chars().enumerate() {
        let w = c.width().unwrap_or(0);
        if used + w > budget {
            break;
        }
        used += w;
        let is_match = positions.binary_search(&i).is_ok();
        if is_match != run_matched && !run.is_empty() {
            let style = if run_matched { matched } else { base };
            spans.push(Span::styled(std::mem::take(&mut run), style));
        }
        run_matched = is_match;
        run.push(c);
    }
    if !run.is_empty() {
        let style = if run_matched { matched } else { base };
        spans.push(Span::styled(run, style));
    }
    if cut && max > 0 {
        spans.push(Span::styled("…", base));
    }
    Line::from(spans)
}

/// Data text made inert and wrapped to lines of at most `max` columns, breaking at spaces
/// and inside words longer than a line.
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in inert(s).split(' ').filter(|w| !w.is_empty()) {
        let w = width(word);
        if used > 0 && used + 1 + w <= max {
            line.push(' ');
            line.push_str(word);
            used += 1 + w;
            continue;
        }
        if used > 0 {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        for c in word.chars() {
            let cw = c.width().unwrap_or(0);
            if used + cw > max && used > 0 {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(c);
            used += cw;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(l: &Line) -> String {
        l.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn highlights_survive_cutting_and_wide_chars() {
        let s = Style::new();
        let l = highlighted("Türkiye joins", &[3, 4, 5, 6], 20, s, s.bold());
        assert_eq!(l.spans.len(), 3);
        assert_eq!(l.spans[1].content, "kiye");
        let l = highlighted("中国国家航天局", &[0], 7, s, s.bold());
        assert_eq!(text(&l), "中国国…");
        assert_eq!(l.width(), 7);
        let l = highlighted("a\x1b[31m", &[], 10, s, s);
        assert_eq!(text(&l), "a␛[31m");
    }

    /// The caret stays in view, the text before it filling the rest of the width, at any
    /// length (a paste of thousands of chars) and with wide chars.
    #[test]
    fn a_long_line_scrolls_to_keep_the_caret_in_view() {
        let s = Style::new();
        let shown = |input: &TextInput, w: usize| -> Vec<String> {
            with_caret(input, w, s, s)
                .iter()
                .map(|span| span.content.to_string())
                .collect()
        };
        let long = "lunar ".repeat(2000);
        let mut input = TextInput::new(&long);
        assert_eq!(shown(&input, 10), ["ar lunar ", " ", ""]);
        input.home();
        assert_eq!(shown(&input, 10), ["", "l", "unar luna"]);
        let mut input = TextInput::new("中国国家航天局");
        assert_eq!(shown(&input, 6), ["天局", " ", ""]);
        // A wide char under the caret takes its two columns.
        input.left();
        assert_eq!(shown(&input, 5), ["天", "局", ""]);
        assert_eq!(shown(&TextInput::new("abc"), 0), ["", " ", ""]);
    }

    #[test]
    fn wraps_by_display_width() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("中俄两国签署合作", 6), ["中俄两", "国签署", "合作"]);
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(wrap("abcdefgh", 3), ["abc", "def", "gh"]);
        for line in wrap("國家航天局 signed a long memorandum", 9) {
            assert!(width(&line) <= 9, "{line}");
        }
    }
}
