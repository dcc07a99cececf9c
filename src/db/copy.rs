//! A new database file that holds exactly a dataset, for releases (`spacedip package`): built
//! in memory with the same loader as the seed, then written out whole by SQLite.

use std::path::Path;

use super::Db;
use crate::domain::Dataset;
use crate::error::Result;

impl Db {
    /// Writes a new database at `path` (which must not exist) with every record of `dataset`
    /// and nothing else: no editing history and no saved views, which belong to the working
    /// database, not to a release.
    pub fn write_dataset_file(dataset: &Dataset, path: &Path) -> Result<()> {
        let mut db = Db::open_in_memory()?;
        db.insert_dataset(dataset)?;
        db.conn
            .execute("VACUUM INTO ?1", [path.to_string_lossy().as_ref()])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_holds_the_dataset_and_opens_as_spacedip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("release.db");
        let data = crate::seed::dataset().unwrap();
        Db::write_dataset_file(&data, &path).unwrap();
        let db = Db::open(&path).unwrap();
        assert_eq!(db.count_events().unwrap(), data.events.len());
        assert!(db.tally_agrees().unwrap());
        assert_eq!(db.catalog().unwrap().actors.len(), data.actors.len());
        let history: i64 = db
            .conn
            .query_row("SELECT count(*) FROM history", [], |r| r.get(0))
            .unwrap();
        assert_eq!(history, 0);
    }
}
