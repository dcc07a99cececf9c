//! Escaping shared by the export formats: control characters, HTML/XML text, and URLs that
//! are safe to put in a link.
//!
//! Data reaches exports from imported files, so every string is treated as hostile: control
//! characters, markup, quotes and line breaks must never change a document's structure.

use std::borrow::Cow;

/// True for characters no export writes raw: C0 controls other than tab and line feed, DEL,
/// C1 controls, and the XML non-characters U+FFFE and U+FFFF.
fn is_bad(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// Text with line breaks normalised to `\n` and every other control character replaced by
/// U+FFFD, so that it is visible but inert. Tabs are kept.
pub fn clean(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_bad(c) || c == '\r') {
        return Cow::Borrowed(s);
    }
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    Cow::Owned(
        s.chars()
            .map(|c| if is_bad(c) { '\u{fffd}' } else { c })
            .collect(),
    )
}

/// [`clean`] text on one line: line breaks and tabs become single spaces.
pub fn one_line(s: &str) -> String {
    let cleaned = clean(s);
    let mut out = String::with_capacity(cleaned.len());
    let mut last_space = false;
    for c in cleaned.trim().chars() {
        if c == '\n' || c == '\t' {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = c == ' ';
        }
    }
    out
}

/// Text for HTML or XML content and attribute values: cleaned, with `& < > " '` escaped.
/// Line breaks are kept (callers decide whether they become `<br>`).
pub fn html(s: &str) -> String {
    let cleaned = clean(s);
    let mut out = String::with_capacity(cleaned.len() + 8);
    for c in cleaned.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A URL that is safe as a link target: only `http` and `https`, surrounding whitespace
/// trimmed, and every byte that may not appear raw in a URI (spaces, quotes, angle brackets,
/// controls, non-ASCII) percent-encoded. Anything else (`javascript:`, `data:`, relative
/// paths) gives `None`, and the caller shows the text without a link.
pub fn safe_url(s: &str) -> Option<String> {
    let s = s.trim();
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&()*+,;=%".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_visible_and_line_breaks_normalise() {
        assert_eq!(clean("plain"), "plain");
        assert_eq!(
            clean("a\r\nb\rc\x07d\u{9b}e\u{7f}"),
            "a\nb\nc\u{fffd}d\u{fffd}e\u{fffd}"
        );
        assert_eq!(
            one_line("  two\nlines\t\tand\x1b[31m "),
            "two lines and\u{fffd}[31m"
        );
    }

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            html("<script>alert('x')</script> & \"q\" ]]>"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; ]]&gt;"
        );
    }

    #[test]
    fn only_web_urls_become_links() {
        assert_eq!(
            safe_url(" https://ex.org/a b\"<é> ").as_deref(),
            Some("https://ex.org/a%20b%22%3C%C3%A9%3E")
        );
        assert_eq!(safe_url("HTTP://EX.ORG").as_deref(), Some("HTTP://EX.ORG"));
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url("data:text/html,x"), None);
        assert_eq!(safe_url("ex.org"), None);
        assert_eq!(
            safe_url("https://ex.org/\n\x07").as_deref(),
            Some("https://ex.org/%0A%07")
        );
    }
}
