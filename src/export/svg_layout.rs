//! Layout for the SVG timeline: the time scale, the year ticks, text width estimates and the
//! greedy row packing that keeps labels from colliding. Pure arithmetic, no SVG.

use chrono::{Datelike, NaiveDate};
use unicode_width::UnicodeWidthChar;

/// A linear map from calendar days to x pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    start: NaiveDate,
    days: f64,
    x0: f64,
    width: f64,
}

impl Scale {
    /// A scale over whole years, from the first year of `first` to the end of the year of
    /// `last`, drawn from `x0` over `width` pixels.
    pub fn years(first: NaiveDate, last: NaiveDate, x0: f64, width: f64) -> Self {
        let start = NaiveDate::from_ymd_opt(first.year(), 1, 1).unwrap_or(first);
        let end = NaiveDate::from_ymd_opt(last.year() + 1, 1, 1).unwrap_or(last);
        let days = ((end - start).num_days() as f64).max(1.0);
        Scale {
            start,
            days,
            x0,
            width,
        }
    }

    /// The x of the start of a day.
    pub fn x(&self, d: NaiveDate) -> f64 {
        self.x0 + (d - self.start).num_days() as f64 / self.days * self.width
    }

    /// The first and the last year the scale covers.
    pub fn year_range(&self) -> (i32, i32) {
        let last = self.start + chrono::Duration::days(self.days as i64 - 1);
        (self.start.year(), last.year())
    }

    /// Year ticks `(year, x)`: every `step` years, the step the smallest of 1, 2, 5, 10, 20,
    /// 50, 100 that keeps ticks at least `min_gap` pixels apart. The scale's end year (the
    /// boundary after the last year) is included.
    pub fn ticks(&self, min_gap: f64) -> Vec<(i32, f64)> {
        let (first, last) = self.year_range();
        let years = f64::from(last - first + 1);
        let per_year = self.width / years;
        let step = [1, 2, 5, 10, 20, 50, 100]
            .into_iter()
            .find(|s| f64::from(*s) * per_year >= min_gap)
            .unwrap_or(100);
        (first..=last + 1)
            .filter(|y| y.rem_euclid(step) == 0)
            .filter_map(|y| NaiveDate::from_ymd_opt(y, 1, 1).map(|d| (y, self.x(d))))
            .collect()
    }
}

/// An estimate of the width of `s` in pixels at `font_px`, on the generous side (0.6 em per
/// narrow character, 1 em per wide one) so that estimated boxes never overlap real text.
pub fn text_width(s: &str, font_px: f64) -> f64 {
    s.chars()
        .map(|c| match c.width() {
            Some(2) => 1.0,
            Some(0) | None => 0.0,
            _ => 0.6,
        })
        .sum::<f64>()
        * font_px
}

/// Cuts `s` to at most `max` characters, ending with `…` when cut.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out = out.trim_end().to_string();
    out.push('…');
    out
}

/// Breaks `s` at spaces into at most `lines` lines of at most `max` characters; a word longer
/// than a line is cut, and what does not fit in the last line ends it with `…`.
pub fn wrap(s: &str, max: usize, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let fits = line.chars().count() + 1 + word.chars().count() <= max;
        if line.is_empty() {
            line = word.to_string();
        } else if fits {
            line.push(' ');
            line.push_str(word);
        } else {
            out.push(std::mem::take(&mut line));
            line = word.to_string();
        }
    }
    if !line.is_empty() {
        out.push(line);
    }
    let mut out: Vec<String> = out.iter().map(|l| shorten(l, max)).collect();
    if out.len() > lines {
        let rest = out.split_off(lines - 1).join(" ");
        out.push(shorten(&rest, max));
    }
    out
}

/// Packs horizontal intervals into rows, greedily: each interval (in the order given, which
/// callers sort by start) goes into the first row where it starts at least `gap` pixels after
/// that row's last interval ends. Returns the row of each interval and the number of rows.
pub fn pack_rows(intervals: &[(f64, f64)], gap: f64) -> (Vec<usize>, usize) {
    let mut ends: Vec<f64> = Vec::new();
    let rows = intervals
        .iter()
        .map(
            |&(a, b)| match ends.iter().position(|&end| end + gap <= a) {
                Some(r) => {
                    ends[r] = b;
                    r
                }
                None => {
                    ends.push(b);
                    ends.len() - 1
                }
            },
        )
        .collect();
    (rows, ends.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_only_the_last_line() {
        assert_eq!(
            wrap("Chang'e lunar exploration programme", 20, 3),
            ["Chang'e lunar", "exploration", "programme"]
        );
        assert_eq!(wrap("a b c d e f", 3, 2), ["a b", "c…"]);
        assert_eq!(wrap("", 10, 2), Vec::<String>::new());
        assert_eq!(wrap("Supercalifragilistic", 6, 2), ["Super…"]);
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn scale_spans_whole_years() {
        let s = Scale::years(d(2018, 5, 28), d(2022, 9, 16), 100.0, 500.0);
        assert_eq!(s.year_range(), (2018, 2022));
        assert_eq!(s.x(d(2018, 1, 1)), 100.0);
        assert!((s.x(d(2023, 1, 1)) - 600.0).abs() < 1e-9);
        let ticks: Vec<i32> = s.ticks(40.0).into_iter().map(|(y, _)| y).collect();
        assert_eq!(ticks, [2018, 2019, 2020, 2021, 2022, 2023]);
        let wide = Scale::years(d(1967, 1, 27), d(2025, 10, 1), 0.0, 1000.0);
        let ticks: Vec<i32> = wide.ticks(60.0).into_iter().map(|(y, _)| y).collect();
        assert_eq!(
            ticks,
            [1970, 1975, 1980, 1985, 1990, 1995, 2000, 2005, 2010, 2015, 2020, 2025]
        );
    }

    #[test]
    fn packed_rows_never_overlap() {
        let iv = [
            (0.0, 50.0),
            (10.0, 30.0),
            (55.0, 80.0),
            (31.0, 40.0),
            (90.0, 95.0),
        ];
        let (rows, n) = pack_rows(&iv, 4.0);
        assert_eq!(rows, [0, 1, 0, 2, 0]);
        assert_eq!(n, 3);
        for (i, a) in iv.iter().enumerate() {
            for (j, b) in iv.iter().enumerate() {
                if i < j && rows[i] == rows[j] {
                    assert!(a.1 + 4.0 <= b.0 || b.1 + 4.0 <= a.0);
                }
            }
        }
    }

    #[test]
    fn text_estimates_and_shortening() {
        assert_eq!(text_width("abc", 10.0), 18.0);
        assert_eq!(text_width("中国", 10.0), 20.0);
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("ab cdef", 4), "ab…");
        assert_eq!(shorten("abc", 4), "abc");
    }
}
