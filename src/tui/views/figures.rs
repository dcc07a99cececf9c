//! How the measures read on screen, for the programme cards and the Compare view alike:
//! ratios to a fixed number of decimals, "–" for an undefined value (never 0), block bars for
//! sparklines, and the longest wording of a line that fits.

use crate::metrics::Summary;
use crate::text::{truncate, width};

/// What an undefined measure shows.
pub const UNDEFINED: &str = "–";

/// Block heights for sparklines, lowest first.
pub const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A ratio to `decimals` places, or [`UNDEFINED`].
pub fn ratio(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(|| UNDEFINED.to_string(), |v| format!("{v:.decimals$}"))
}

/// A count, or [`UNDEFINED`].
pub fn count(v: Option<usize>) -> String {
    v.map_or_else(|| UNDEFINED.to_string(), |v| v.to_string())
}

/// Partners with membership data out of all partners (`17/20`), or [`UNDEFINED`].
pub fn coverage(s: &Summary) -> String {
    if s.partners == 0 {
        UNDEFINED.to_string()
    } else {
        format!("{}/{}", s.covered_partners, s.partners)
    }
}

/// E with its coverage: `1.71 (17/20)`.
pub fn embeddedness(s: &Summary, decimals: usize) -> String {
    format!("{} ({})", ratio(s.embeddedness, decimals), coverage(s))
}

/// D with D_w: `10 (75)`.
pub fn density(s: &Summary) -> String {
    format!(
        "{} ({})",
        count(s.issue_area_density),
        count(s.issue_area_density_weighted)
    )
}

/// The first of `candidates` (longest wording first) that fits in `w` columns; the last one
/// cut when none does.
pub fn first_fitting(w: usize, candidates: &[String]) -> String {
    candidates
        .iter()
        .find(|c| width(c) <= w)
        .cloned()
        .unwrap_or_else(|| truncate(candidates.last().map_or("", String::as_str), w))
}

/// The bar for `v` on a scale from 0 to `max`: `·` for 0.
pub fn bar(v: usize, max: usize) -> char {
    if v == 0 || max == 0 {
        return '·';
    }
    let i = (v * BARS.len()).div_ceil(max).clamp(1, BARS.len());
    BARS[i - 1]
}

/// The bar for `v` between the lowest and the highest value shown, `(lo, hi)` (the middle
/// bar when they are equal): for series such as D whose steps matter more than their size.
pub fn ranged_bar(v: usize, (lo, hi): (usize, usize)) -> char {
    if hi <= lo {
        return BARS[BARS.len() / 2 - 1];
    }
    let top = BARS.len() - 1;
    BARS[(v.saturating_sub(lo) * top).div_ceil(hi - lo).min(top)]
}

/// A ratio to two places without the leading zero (`.36`), for the narrowest lines.
pub fn short_ratio(v: Option<f64>) -> String {
    let s = ratio(v, 2);
    s.strip_prefix("0.")
        .map_or(s.clone(), |rest| format!(".{rest}"))
}

/// `n` and the noun, singular or plural.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undefined_is_a_dash_not_zero() {
        assert_eq!(ratio(None, 3), "–");
        assert_eq!(ratio(Some(0.0), 3), "0.000");
        assert_eq!(ratio(Some(8.0 / 22.0), 3), "0.364");
        assert_eq!(count(None), "–");
        assert_eq!(count(Some(0)), "0");
    }

    #[test]
    fn bars_scale_from_zero() {
        assert_eq!(bar(0, 10), '·');
        assert_eq!(bar(10, 10), '█');
        assert_eq!(bar(1, 10), '▁');
        assert_eq!(bar(5, 10), '▄');
        assert_eq!(bar(3, 0), '·');
        assert_eq!(ranged_bar(8, (8, 10)), '▁');
        assert_eq!(ranged_bar(9, (8, 10)), '▅');
        assert_eq!(ranged_bar(10, (8, 10)), '█');
        assert_eq!(ranged_bar(10, (10, 10)), '▄');
        assert_eq!(short_ratio(Some(0.364)), ".36");
        assert_eq!(short_ratio(Some(1.0)), "1.00");
        assert_eq!(short_ratio(None), "–");
    }

    #[test]
    fn the_longest_wording_that_fits() {
        let c = ["a long wording".to_string(), "short".to_string()];
        assert_eq!(first_fitting(20, &c), "a long wording");
        assert_eq!(first_fitting(6, &c), "short");
        assert_eq!(first_fitting(3, &c), "sh…");
    }
}
