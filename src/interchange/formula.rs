//! Spreadsheet formula neutralisation for CSV cells (OWASP "CSV injection"), reversible so
//! that the interchange CSV still round-trips through `import`.
//!
//! A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, in some programs,
//! tab or carriage return) as a formula. [`neutralise`] puts an apostrophe in front of such a
//! cell, which spreadsheets show as text. To keep the encoding reversible, a cell that already
//! starts with apostrophes followed by one of those characters gets one more apostrophe, so
//! [`restore`] (which `import` applies to every cell) removes exactly one apostrophe from a
//! cell made of one or more apostrophes and then a trigger character. Every other cell,
//! including `'Oumuamua`, is left alone both ways.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula.
pub const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// True when the cell is some apostrophes (possibly none) followed by a trigger character.
fn guarded(cell: &str) -> bool {
    cell.trim_start_matches('\'')
        .chars()
        .next()
        .is_some_and(|c| TRIGGERS.contains(&c))
}

/// The cell as a spreadsheet will show it, never as a formula.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if guarded(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The inverse of [`neutralise`]: the original text of a cell read from a CSV file.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if guarded(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formulas_are_prefixed_and_restored() {
        for (raw, shown) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'=already", "''=already"),
            ("''-", "'''-"),
        ] {
            assert_eq!(neutralise(raw), shown);
            assert_eq!(restore(shown), raw);
        }
    }

    #[test]
    fn ordinary_cells_are_untouched() {
        for s in [
            "",
            "'",
            "'Oumuamua",
            "ILRS-03",
            "a=b",
            " =x",
            "2021-03",
            "''",
        ] {
            assert_eq!(neutralise(s), s);
            assert_eq!(restore(s), s);
        }
    }

    proptest! {
        #[test]
        fn restore_inverts_neutralise(s in "['=+@\\-\t\rA ]{0,6}.{0,4}") {
            let shown = neutralise(&s);
            prop_assert_eq!(restore(&shown), s.as_str());
            prop_assert!(!shown.starts_with(TRIGGERS));
        }
    }
}
