//! A citable release of a dataset (`spacedip package DIR`): one CSV per table, a Frictionless
//! Data Package descriptor with a Table Schema per table, a codebook, `CITATION.cff` and
//! Datasette metadata, with a content hash of the data. Every file is built in memory from the
//! records and [`tables::TABLES`]; the CLI writes them (and the SQLite copy) beside the target
//! directory and renames it into place.

mod docs;
pub mod tables;

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::domain::Dataset;
use crate::error::Result;
use tables::{Table, Values, DATE_PATTERN, ID_PATTERN, TABLES};

/// What a release holds and says about itself.
#[derive(Debug, Clone)]
pub struct Release<'a> {
    /// The records: every reference table, and the selected events.
    pub dataset: &'a Dataset,
    /// The file stem of the database copy and the package's name (lower case, `a-z0-9._-`).
    pub name: String,
    pub title: String,
    /// The selection in words ("all events", or the filter's caption).
    pub scope: String,
    /// The selection as `spacedip` flags (empty for everything).
    pub args: String,
    /// Who made the dataset, for the citation; empty credits the title's contributors.
    pub authors: Vec<String>,
    /// An SPDX licence id, when the makers chose one.
    pub licence: Option<String>,
    /// The release moment (`--now` or `SOURCE_DATE_EPOCH` make it reproducible).
    pub now: DateTime<Utc>,
}

/// One file of the package, by its path relative to the package's directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The package's files (all but the database copy) and its content hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub files: Vec<File>,
    /// `sha256:` and the hex digest over the data files (see [`content_hash`]).
    pub content_hash: String,
}

/// A table's CSV file, with its size and hash.
struct DataFile {
    table: &'static Table,
    path: String,
    bytes: Vec<u8>,
    rows: usize,
    sha256: String,
}

/// The path of a table's CSV inside the package.
pub fn data_path(table: &Table) -> String {
    format!("data/{}.csv", table.name)
}

/// The database copy's file name.
pub fn database_file(name: &str) -> String {
    format!("{name}.db")
}

/// Every file of the package but the database copy, in a stable order: the data, then
/// `datapackage.json`, `codebook.md`, `CITATION.cff` and `metadata.json`.
pub fn build(release: &Release<'_>) -> Result<Package> {
    let data = TABLES
        .iter()
        .map(|t| data_file(t, release.dataset))
        .collect::<Result<Vec<_>>>()?;
    let hash = content_hash(&data);
    let mut out: Vec<File> = data
        .iter()
        .map(|d| File {
            path: d.path.clone(),
            bytes: d.bytes.clone(),
        })
        .collect();
    let mut descriptor = serde_json::to_vec_pretty(&descriptor(release, &data, &hash))?;
    descriptor.push(b'\n');
    out.push(File {
        path: "datapackage.json".into(),
        bytes: descriptor,
    });
    let counts: Vec<(&Table, usize)> = data.iter().map(|d| (d.table, d.rows)).collect();
    out.push(File {
        path: "codebook.md".into(),
        bytes: docs::codebook(release, &counts, &hash).into_bytes(),
    });
    out.push(File {
        path: "CITATION.cff".into(),
        bytes: docs::citation(release, &hash).into_bytes(),
    });
    let mut metadata = serde_json::to_vec_pretty(&docs::datasette(release, &hash))?;
    metadata.push(b'\n');
    out.push(File {
        path: "metadata.json".into(),
        bytes: metadata,
    });
    Ok(Package {
        files: out,
        content_hash: hash,
    })
}

fn data_file(table: &'static Table, dataset: &Dataset) -> Result<DataFile> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(table.fields.iter().map(|f| f.name))?;
    let rows = (table.rows)(dataset);
    for row in &rows {
        w.write_record(row)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| crate::error::Error::Write(e.into_error()))?;
    Ok(DataFile {
        table,
        path: data_path(table),
        sha256: hex(&Sha256::digest(&bytes)),
        rows: rows.len(),
        bytes,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The package's content hash: SHA-256 over each data file's path, a newline and its bytes,
/// in table order. It changes exactly when a value of the data changes, whatever the
/// descriptor, the codebook or the release date say.
fn content_hash(data: &[DataFile]) -> String {
    let mut h = Sha256::new();
    for d in data {
        h.update(d.path.as_bytes());
        h.update(b"\n");
        h.update(&d.bytes);
    }
    format!("sha256:{}", hex(&h.finalize()))
}

/// `datapackage.json`: a Tabular Data Package with a Table Schema per resource.
fn descriptor(release: &Release<'_>, data: &[DataFile], hash: &str) -> Value {
    let resources: Vec<Value> = data.iter().map(resource).collect();
    let mut package = Map::new();
    package.insert("profile".into(), json!("tabular-data-package"));
    package.insert("name".into(), json!(release.name));
    package.insert("title".into(), json!(release.title));
    package.insert("description".into(), json!(docs::description(release)));
    package.insert(
        "version".into(),
        json!(release.now.format("%Y.%m.%d").to_string()),
    );
    package.insert("created".into(), json!(release.now.to_rfc3339()));
    if let Some(id) = &release.licence {
        package.insert("licenses".into(), json!([{ "name": id }]));
    }
    package.insert(
        "contributors".into(),
        Value::Array(
            docs::credited(release)
                .into_iter()
                .map(|name| json!({ "title": name, "role": "author" }))
                .collect(),
        ),
    );
    package.insert("keywords".into(), json!(docs::KEYWORDS));
    package.insert("spacedip:content_hash".into(), json!(hash));
    package.insert("spacedip:selection".into(), json!(release.args));
    package.insert("resources".into(), Value::Array(resources));
    Value::Object(package)
}

fn resource(d: &DataFile) -> Value {
    let t = d.table;
    let fields: Vec<Value> = t.fields.iter().map(schema_field).collect();
    let foreign_keys: Vec<Value> = t
        .foreign_keys
        .iter()
        .map(|k| {
            // A reference to the table itself names no resource.
            let target = if k.table == t.name { "" } else { k.table };
            json!({
                "fields": k.fields,
                "reference": { "resource": target, "fields": k.reference },
            })
        })
        .collect();
    let mut schema = Map::new();
    schema.insert("fields".into(), Value::Array(fields));
    schema.insert("primaryKey".into(), json!(t.primary_key));
    if !foreign_keys.is_empty() {
        schema.insert("foreignKeys".into(), Value::Array(foreign_keys));
    }
    schema.insert("missingValues".into(), json!([""]));
    json!({
        "profile": "tabular-data-resource",
        "name": t.name,
        "title": t.title,
        "description": t.description,
        "path": d.path,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": d.bytes.len(),
        "hash": format!("sha256:{}", d.sha256),
        "schema": Value::Object(schema),
    })
}

fn schema_field(f: &tables::Field) -> Value {
    let mut constraints = Map::new();
    if f.required {
        constraints.insert("required".into(), json!(true));
    }
    match f.values {
        Values::Any => {}
        Values::Id => {
            constraints.insert("pattern".into(), json!(ID_PATTERN));
        }
        Values::PartialDate => {
            constraints.insert("pattern".into(), json!(DATE_PATTERN));
        }
        Values::OneOf(names) => {
            constraints.insert("enum".into(), json!(names()));
        }
    }
    let mut out = Map::new();
    out.insert("name".into(), json!(f.name));
    out.insert("type".into(), json!(f.kind.as_str()));
    out.insert("description".into(), json!(f.description));
    if f.kind == tables::Type::Boolean {
        out.insert("trueValues".into(), json!(["true"]));
        out.insert("falseValues".into(), json!(["false"]));
    }
    if !constraints.is_empty() {
        out.insert("constraints".into(), Value::Object(constraints));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests;
