//! The end of `spacedip compare`: the article's claims on the compared pair, each with its
//! verdict, the specifications' figures and the coding rules that flip it, as a table that
//! fits the terminal or, when it cannot, one wrapped block per claim.

use std::io::Write;

use super::output::{fixed, write_table};
use crate::error::Result;
use crate::metrics::claims::Claim;

/// The claims as a table: verdict, how many specifications hold, which coding rules flip.
pub(super) fn write_claims(out: &mut dyn Write, tested: &[Claim]) -> Result<()> {
    writeln!(out)?;
    writeln!(out, "Claims of Li & Mayer (2023) on this pair:")?;
    let flips = |c: &Claim| {
        if c.flips.is_empty() {
            "-".to_string()
        } else {
            c.flips.join(", ")
        }
    };
    let cells: Vec<Vec<String>> = tested
        .iter()
        .map(|c| vec![c.statement.clone(), c.summary(), flips(c)])
        .collect();
    let width = super::terminal_width();
    let table_width: usize = (0..3)
        .map(|i| {
            cells
                .iter()
                .map(|r| crate::text::width(&r[i]))
                .max()
                .unwrap_or(0)
                + 2
        })
        .sum();
    let narrow = width.is_some_and(|w| table_width > w);
    if !narrow {
        write_table(out, &["CLAIM", "VERDICT", "FLIPS UNDER"], &cells, 0, None)?;
    }
    for c in tested {
        // Counts as counts, ratios to three places; "A vs B" in the pair's order.
        let value = |v: Option<f64>| match v {
            Some(x) if c.claim == "density" && x.fract() == 0.0 => format!("{x:.0}"),
            Some(x) if c.claim == "density" => format!("{x:.1}"),
            other => fixed(other, 3),
        };
        let tests: Vec<String> = c
            .tests
            .iter()
            .map(|t| format!("{} {} vs {}", t.spec, value(t.a), value(t.b)))
            .collect();
        match width.filter(|_| narrow) {
            // On a narrow terminal, one block per claim, its figures wrapped.
            Some(w) => {
                writeln!(out, "- {}", c.statement)?;
                writeln!(out, "  {} · flips under: {}", c.summary(), flips(c))?;
                let mut line = String::from("  ");
                for (i, t) in tests.iter().enumerate() {
                    let piece = if i + 1 < tests.len() {
                        format!("{t};")
                    } else {
                        t.clone()
                    };
                    if line.len() > 2
                        && crate::text::width(&line) + 1 + crate::text::width(&piece) > w
                    {
                        writeln!(out, "{}", line.trim_end())?;
                        line = String::from("  ");
                    }
                    if line.len() > 2 {
                        line.push(' ');
                    }
                    line.push_str(&piece);
                }
                writeln!(out, "{}", line.trim_end())?;
            }
            None => writeln!(out, "  {}: {}", c.claim, tests.join("; "))?,
        }
    }
    Ok(())
}
