//! Where spacedip's database lives when no `--db` names one, and how a shell command names
//! the database in use: shared by the CLI (which opens it) and the browser (whose copied and
//! shown commands must read the same file when pasted).

use std::path::{Path, PathBuf};

use crate::domain::filter::shell_quote;
use crate::error::{Error, Result};

/// The default database: `$XDG_DATA_HOME/spacedip/spacedip.db` on Linux, the platform's data
/// directory elsewhere. Its directory is created if needed (an explicit `--db` must name an
/// existing directory).
pub fn default_db_path() -> Result<PathBuf> {
    let path = default_db_location().ok_or_else(|| {
        Error::Usage("no home directory found: pass --db PATH or set SPACEDIP_DB".into())
    })?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::Open {
            path: path.clone(),
            reason: format!("cannot create {}: {e}", dir.display()),
        })?;
    }
    Ok(path)
}

/// Where the default database lives, without creating anything.
pub fn default_db_location() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|d| d.data_dir().join("spacedip").join("spacedip.db"))
}

/// How to call spacedip on the database at `path` from a shell: `spacedip`, with
/// `--db PATH` unless it is the default one, so that a command shown or copied by the browser
/// reads the same database when pasted.
pub fn program_for(path: &Path) -> String {
    if default_db_location().is_some_and(|d| d == path) {
        "spacedip".to_string()
    } else {
        format!("spacedip --db {}", shell_quote(&path.to_string_lossy()))
    }
}
