//! How a subcommand selects events, the same way everywhere: open the database, read the
//! catalog (without its sources where nothing cites one), turn `--view` and the flags into a filter
//! checked against it, then read the events whole, or only their coded parts when the
//! measures are all that is wanted.

use std::path::Path;

use super::args::FilterArgs;
use super::views;
use crate::db::Db;
use crate::domain::{Catalog, Event, Filter};
use crate::error::Result;

/// An open database, its catalog and a checked filter.
pub struct Selected {
    pub db: Db,
    pub catalog: Catalog,
    /// The filter as checked: programme ids canonical, actors resolved.
    pub filter: Filter,
}

impl Selected {
    /// The selection that `--view` and the filter flags make on the database at `path`.
    pub fn open(path: &Path, args: &FilterArgs) -> Result<Selected> {
        Selected::opened(path, args, Db::catalog)
    }

    /// [`Selected::open`] with a catalog that holds no sources, for the measures (`stats`,
    /// `compare`, `programmes`) and an output that writes source ids only (a search still
    /// matches their texts, read from the database): a corpus coded from news wires can cite
    /// a million.
    pub fn open_without_sources(path: &Path, args: &FilterArgs) -> Result<Selected> {
        Selected::opened(path, args, Db::catalog_without_sources)
    }

    /// The selection of a filter already resolved (and adjusted) by the caller, for the
    /// measures: the catalog is read without its sources, which no measure reads (a search
    /// that may match a source's title reads them from the database as it scores them).
    pub fn for_measures(path: &Path, filter: &Filter) -> Result<Selected> {
        let db = Db::open(path)?;
        db.map_pages();
        let catalog = db.catalog_without_sources()?;
        Selected::checked_on(db, catalog, filter)
    }

    /// The database at `path`, the catalog `read` reads from it, and the filter `--view` and
    /// the flags make, checked against that catalog.
    fn opened(
        path: &Path,
        args: &FilterArgs,
        read: impl FnOnce(&Db) -> Result<Catalog>,
    ) -> Result<Selected> {
        let db = Db::open(path)?;
        db.map_pages();
        let filter = views::resolve(&db, args)?;
        let catalog = read(&db)?;
        Selected::checked_on(db, catalog, &filter)
    }

    fn checked_on(db: Db, catalog: Catalog, filter: &Filter) -> Result<Selected> {
        let filter = filter.checked(&catalog)?;
        Ok(Selected {
            db,
            catalog,
            filter,
        })
    }

    /// The selected events, whole, in the filter's order.
    pub fn events(&self) -> Result<Vec<Event>> {
        self.db.events(&self.filter, &self.catalog)
    }

    /// The selected events with only what the measures read (no titles, summaries, notes or
    /// sources).
    pub fn coded_events(&self) -> Result<Vec<Event>> {
        self.db.coded_events(&self.filter, &self.catalog)
    }
}
