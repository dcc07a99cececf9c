//! Saved views on the command line: `--view NAME` merged with explicit flags, `--save-view` on
//! `list`, and `spacedip views`.

use std::io::Write;
use std::path::Path;

use clap::Args;

use super::args::{FilterArgs, OutputFormat};
use crate::db::Db;
use crate::domain::{Column, Filter, SortOrder};
use crate::error::{Error, Result};
use crate::text::{inert, inert_message};

/// Arguments of `spacedip views`.
#[derive(Debug, Clone, Args)]
pub struct ViewsArgs {
    /// Delete the saved view of this name.
    #[arg(long, value_name = "NAME")]
    pub delete: Option<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Table, ignore_case = true)]
    pub format: OutputFormat,
}

fn add<T: PartialEq + Clone>(base: &mut Vec<T>, more: &[T]) {
    for v in more {
        if !base.contains(v) {
            base.push(v.clone());
        }
    }
}

/// The filter that flags select: the saved view named by `--view` (if any) with the explicit
/// flags applied on top. Programmes, channels, kinds and actors given as flags are added to
/// the view's (so `--programme` widens a view's programmes, `--actor` narrows its events);
/// `--since`, `--until`, `--search`, `--sort` and `--desc` replace the view's values.
pub fn resolve(db: &Db, args: &FilterArgs) -> Result<Filter> {
    let flags = args.to_filter();
    let Some(name) = &args.view else {
        return Ok(flags);
    };
    let mut f = db.saved_view(name)?.filter;
    add(&mut f.programmes, &flags.programmes);
    add(&mut f.channels, &flags.channels);
    add(&mut f.kinds, &flags.kinds);
    add(&mut f.valences, &flags.valences);
    add(&mut f.actors, &flags.actors);
    f.since = flags.since.or(f.since);
    f.until = flags.until.or(f.until);
    f.search = flags.search.or(f.search);
    if let Some(s) = args.sort {
        f.sort = s;
    }
    if args.desc {
        f.order = SortOrder::Desc;
    }
    Ok(f)
}

/// The table columns of the view `--view` names (none chosen, or no view: empty).
pub fn columns(db: &Db, args: &FilterArgs) -> Result<Vec<Column>> {
    match &args.view {
        Some(name) => Ok(db.saved_view(name)?.columns),
        None => Ok(Vec::new()),
    }
}

/// [`resolve`] for commands that open the database later: opens it only when a view is named.
pub fn resolve_at(db_path: &Path, args: &FilterArgs) -> Result<Filter> {
    match args.view {
        Some(_) => resolve(&Db::open(db_path)?, args),
        None => Ok(args.to_filter()),
    }
}

/// Saves the filter a command ran with, and says so on stderr.
pub fn save(db: &mut Db, name: &str, filter: &Filter, columns: &[Column]) -> Result<()> {
    let replaced = db.save_view_with(name, filter, columns)?;
    eprintln!(
        "spacedip: {} view '{}'{}",
        if replaced { "replaced" } else { "saved" },
        inert(name),
        if filter.is_empty() {
            " (it selects every event)".to_string()
        } else {
            format!(": {}", inert(&filter.to_args()))
        }
    );
    Ok(())
}

/// Runs `spacedip views`.
pub fn views(db_path: &Path, args: &ViewsArgs, out: &mut dyn Write) -> Result<()> {
    let mut db = Db::open(db_path)?;
    if let Some(name) = &args.delete {
        if !db.delete_view(name)? {
            return Err(Error::Usage(format!("no saved view '{}'", inert(name))));
        }
        writeln!(out, "deleted view '{}'", inert(name))?;
        return Ok(());
    }
    // A view this build cannot read is named on stderr; the others are listed all the same.
    let mut views = Vec::new();
    let mut unreadable = 0;
    for view in db.views()? {
        match view {
            Ok(v) => views.push(v),
            Err(e) => {
                unreadable += 1;
                eprintln!("spacedip: {}", inert_message(&e.to_string()));
            }
        }
    }
    match args.format {
        OutputFormat::Json => {
            crate::export::json_out::pretty(&mut *out, &views)?;
        }
        OutputFormat::Csv => {
            crate::export::csv::write_rows(
                out,
                &["name", "flags", "created", "updated"],
                views.iter().map(|v| {
                    [
                        v.name.clone(),
                        v.filter.to_args(),
                        v.created.clone(),
                        v.updated.clone(),
                    ]
                }),
                true,
            )?;
        }
        OutputFormat::Table => {
            if views.is_empty() && unreadable == 0 {
                writeln!(
                    out,
                    "no saved views (save one with `spacedip list … --save-view NAME`)"
                )?;
                return Ok(());
            }
            let rows: Vec<Vec<String>> = views
                .iter()
                .map(|v| vec![v.name.clone(), v.filter.to_args(), v.updated.clone()])
                .collect();
            super::output::write_table(out, &["NAME", "FLAGS", "UPDATED"], &rows, 1, None)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::domain::SortKey;

    #[derive(Parser)]
    struct Flags {
        #[command(flatten)]
        filter: FilterArgs,
    }

    fn flags(args: &[&str]) -> FilterArgs {
        let mut argv = vec!["spacedip"];
        argv.extend_from_slice(args);
        Flags::parse_from(argv).filter
    }

    #[test]
    fn flags_apply_on_top_of_a_saved_view() {
        let mut db = Db::open_in_memory().unwrap();
        let saved = Filter {
            programmes: vec!["ILRS".into()],
            search: Some("moon".into()),
            sort: SortKey::Title,
            order: SortOrder::Desc,
            ..Filter::default()
        };
        db.save_view("lunar", &saved).unwrap();
        // Programmes add, search and sort replace, the order stays.
        let args = flags(&[
            "--view", "lunar", "-p", "CSS", "--search", "station", "--sort", "date",
        ]);
        assert_eq!(
            resolve(&db, &args).unwrap(),
            Filter {
                programmes: vec!["ILRS".into(), "CSS".into()],
                search: Some("station".into()),
                sort: SortKey::Date,
                order: SortOrder::Desc,
                ..Filter::default()
            }
        );
        let err = resolve(&db, &flags(&["--view", "nope"])).unwrap_err();
        assert!(err.is_usage());
        assert_eq!(err.to_string(), "unknown view 'nope' (saved views: lunar)");
    }
}
