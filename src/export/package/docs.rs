//! The package's words about itself, generated from the table descriptions and the records:
//! `codebook.md` (tables, columns, vocabularies, coding rules), `CITATION.cff` and Datasette's
//! `metadata.json`.

use std::fmt::Write as _;

use serde_json::{json, Map, Value};

use super::tables::{Table, Values, TABLES};
use super::{data_path, database_file, Release};
use crate::metrics::rules::Rules;

/// Words a catalogue can find the package by.
pub const KEYWORDS: [&str; 5] = [
    "space diplomacy",
    "international cooperation",
    "institutional density",
    "event data",
    "spacedip",
];

/// spacedip's coding rules, as `seed/README.md` states them (the same words, not a summary).
const SEED_README: &str = include_str!("../../../seed/README.md");

/// The package in one paragraph.
pub fn description(r: &Release<'_>) -> String {
    let d = r.dataset;
    format!(
        "Space-cooperation events coded with spacedip: {} events ({}), {} actors, {} \
         institutions, {} memberships and {} sources, with the programme, channel, parties, \
         institutions and sources of every event.",
        d.events.len(),
        r.scope,
        d.actors.len(),
        d.institutions.len(),
        d.memberships.len(),
        d.sources.len()
    )
}

/// Who the citation credits: the authors given, else the title's contributors as a group.
pub fn credited(r: &Release<'_>) -> Vec<String> {
    if r.authors.is_empty() {
        vec![format!("{} contributors", r.title)]
    } else {
        r.authors.clone()
    }
}

/// A YAML double-quoted scalar (JSON's string syntax is valid YAML).
fn yaml(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// `CITATION.cff` (Citation File Format 1.2.0) for the dataset.
pub fn citation(r: &Release<'_>, hash: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "cff-version: 1.2.0");
    let _ = writeln!(
        out,
        "message: {}",
        yaml("If you use this dataset, please cite it as below.")
    );
    let _ = writeln!(out, "type: dataset");
    let _ = writeln!(out, "title: {}", yaml(&r.title));
    let _ = writeln!(out, "authors:");
    for name in credited(r) {
        let _ = writeln!(out, "  - name: {}", yaml(&name));
    }
    let _ = writeln!(out, "abstract: {}", yaml(&description(r)));
    let _ = writeln!(
        out,
        "date-released: {}",
        yaml(&r.now.format("%Y-%m-%d").to_string())
    );
    let _ = writeln!(
        out,
        "version: {}",
        yaml(&r.now.format("%Y.%m.%d").to_string())
    );
    if let Some(id) = &r.licence {
        let _ = writeln!(out, "license: {}", yaml(id));
    }
    let _ = writeln!(out, "keywords:");
    for k in KEYWORDS {
        let _ = writeln!(out, "  - {}", yaml(k));
    }
    let _ = writeln!(out, "identifiers:");
    let _ = writeln!(out, "  - type: other");
    let _ = writeln!(out, "    value: {}", yaml(hash));
    let _ = writeln!(
        out,
        "    description: {}",
        yaml("SHA-256 content hash of the data tables (see codebook.md)")
    );
    out
}

/// A column's admitted values, in words.
fn values(v: Values) -> String {
    match v {
        Values::Any => String::new(),
        Values::Id => "an id".into(),
        Values::PartialDate => "YYYY, YYYY-MM or YYYY-MM-DD".into(),
        Values::OneOf(names) => names()
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Text for a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// The section of `seed/README.md` headed `## Coding rules`, without its heading.
fn coding_rules() -> &'static str {
    let Some(start) = SEED_README.find("## Coding rules\n") else {
        return "";
    };
    let body = &SEED_README[start + "## Coding rules\n".len()..];
    let end = body.find("\n## ").unwrap_or(body.len());
    body[..end].trim()
}

/// `codebook.md`: what every file, table, column and value means, and how events are coded.
pub fn codebook(r: &Release<'_>, counts: &[(&Table, usize)], hash: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}: codebook\n", r.title);
    let _ = writeln!(out, "{}\n", description(r));
    let command = format!("spacedip package DIR {}", r.args);
    let _ = writeln!(
        out,
        "Released {} with spacedip {} (`{}`).\n",
        r.now.format("%Y-%m-%d"),
        env!("CARGO_PKG_VERSION"),
        command.trim_end()
    );
    let _ = writeln!(
        out,
        "**Content hash** `{hash}`: SHA-256 over each data file's path, a newline and its \
         bytes, in the order of the table below. It changes exactly when a value changes.\n"
    );
    let _ = writeln!(out, "## Files\n");
    let _ = writeln!(out, "| file | rows | what it holds |\n|---|---|---|");
    for (t, n) in counts {
        let _ = writeln!(
            out,
            "| `{}` | {n} | {} |",
            data_path(t),
            cell(t.description)
        );
    }
    let _ = writeln!(
        out,
        "| `{}` | | The same tables as a SQLite database (`datasette {} -m metadata.json`). |",
        database_file(&r.name),
        database_file(&r.name)
    );
    let _ = writeln!(
        out,
        "| `datapackage.json` | | Frictionless Data Package: a Table Schema per table (types, \
         allowed values, primary and foreign keys), sizes and hashes. |"
    );
    let _ = writeln!(out, "| `CITATION.cff` | | How to cite the dataset. |");
    let _ = writeln!(
        out,
        "| `metadata.json` | | Datasette's titles, descriptions and facets. |\n"
    );
    let _ = writeln!(
        out,
        "The CSV files are UTF-8 with a header row, comma-separated with RFC 4180 quoting and \
         LF line ends; an empty cell is a missing value. Values are as stored: a cell that \
         starts with `=`, `+`, `-` or `@` is not neutralised, so import the files into a \
         spreadsheet as text. Dates are written at the precision they are known (`2021`, \
         `2021-04`, `2021-04-23`) and never padded to a day; `day_lo` and `day_hi` give the \
         span of calendar days an event can stand for.\n"
    );
    let _ = writeln!(out, "## Tables\n");
    for t in TABLES.iter() {
        let _ = writeln!(out, "### `{}`: {}\n", t.name, t.title);
        let _ = writeln!(out, "{}\n", t.description);
        let keys: Vec<String> = t.primary_key.iter().map(|k| format!("`{k}`")).collect();
        let _ = writeln!(out, "Primary key: {}.", keys.join(", "));
        if !t.foreign_keys.is_empty() {
            let refs: Vec<String> = t
                .foreign_keys
                .iter()
                .map(|k| {
                    format!(
                        "`{}` → `{}.{}`",
                        k.fields.join(", "),
                        k.table,
                        k.reference.join(", ")
                    )
                })
                .collect();
            let _ = writeln!(out, "References: {}.", refs.join("; "));
        }
        let _ = writeln!(
            out,
            "\n| column | type | required | values | meaning |\n|---|---|---|---|---|"
        );
        for f in t.fields {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} |",
                f.name,
                f.kind.as_str(),
                if f.required { "yes" } else { "" },
                values(f.values),
                cell(f.description)
            );
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(out, "## Coding rules\n");
    let _ = writeln!(
        out,
        "spacedip's rules for coding an event (as its seed documents them, with examples from \
         the seed):\n"
    );
    let _ = writeln!(out, "{}\n", coding_rules());
    let _ = writeln!(out, "## Rules the measures read the data under\n");
    for (name, rules) in Rules::NAMED {
        let _ = writeln!(out, "- `{name}`: {}.", rules.describe());
    }
    out
}

/// Datasette's `metadata.json` for the database copy.
pub fn datasette(r: &Release<'_>, hash: &str) -> Value {
    let mut tables = Map::new();
    for t in TABLES.iter() {
        let columns: Map<String, Value> = t
            .fields
            .iter()
            .map(|f| (f.name.to_string(), json!(f.description)))
            .collect();
        tables.insert(
            t.name.into(),
            json!({
                "title": t.title,
                "description": t.description,
                "columns": columns,
                "facets": t.facets,
            }),
        );
    }
    // The editing history and saved views stay with the working database, not the release;
    // the running tallies are a cache of the events for `stats`, not data to browse.
    for hidden in ["history", "view", "tally_channel", "tally_web"] {
        tables.insert(hidden.into(), json!({ "hidden": true }));
    }
    let mut meta = Map::new();
    meta.insert("title".into(), json!(r.title));
    meta.insert(
        "description".into(),
        json!(format!("{} Content hash {hash}.", description(r))),
    );
    if let Some(id) = &r.licence {
        meta.insert("license".into(), json!(id));
        meta.insert(
            "license_url".into(),
            json!(format!("https://spdx.org/licenses/{id}.html")),
        );
    }
    meta.insert("source".into(), json!("spacedip"));
    let mut databases = Map::new();
    databases.insert(r.name.clone(), json!({ "tables": tables }));
    meta.insert("databases".into(), Value::Object(databases));
    Value::Object(meta)
}
