//! Writing an output file atomically: the content goes to a temporary file beside the target,
//! is flushed to disk, then takes the target's name in one step. A reader never sees half a
//! file, an interrupted or failed export leaves the target as it was, and an existing file is
//! replaced only when the caller says so. A directory of files (a data package) is written
//! the same way: whole, beside its target, then renamed into place. Scratch files that must
//! not outlive the process (spilled exports, the browser's search texts) are unlinked as soon
//! as they are open ([`scratch_file`]).

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};

/// Temporary files and directories being written, so that a signal can remove them before the
/// process ends; and whether a signal has come, after which no more are made.
static PENDING: Mutex<Pending> = Mutex::new(Pending {
    ending: false,
    paths: Vec::new(),
});

struct Pending {
    ending: bool,
    paths: Vec<PathBuf>,
}

fn pending(f: impl FnOnce(&mut Pending)) {
    if let Ok(mut list) = PENDING.lock() {
        f(&mut list);
    }
}

/// Makes a temporary file or directory with `make` and records it, both under the lock the
/// signal handler takes: made between the two, one was left behind by a signal that came
/// then. After a signal, nothing more is made.
fn make_pending<T>(make: impl FnOnce() -> Result<(PathBuf, T)>) -> Result<(PathBuf, T)> {
    let mut list = PENDING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if list.ending {
        return Err(Error::Refused("interrupted: nothing was written".into()));
    }
    let (tmp, made) = make()?;
    list.paths.push(tmp.clone());
    Ok((tmp, made))
}

/// Removes every temporary file still being written, and lets no more be made: for a signal
/// handler about to end the process, so that an interrupted export leaves nothing behind.
pub fn remove_pending() {
    pending(|list| {
        list.ending = true;
        for tmp in list.paths.drain(..) {
            if tmp.is_dir() {
                let _ = fs::remove_dir_all(tmp);
            } else {
                let _ = fs::remove_file(tmp);
            }
        }
    });
}

/// Removes temporary files of `name` in `dir` left by processes that no longer run (a `kill
/// -9` leaves one behind; nothing else would ever remove it). Linux only: a process is alive
/// while `/proc/PID` exists.
fn remove_stale(dir: &Path, name: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let prefix = format!(".{name}.");
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(rest) = file.to_str().and_then(|f| f.strip_prefix(&prefix)) else {
            continue;
        };
        // Exactly `PID.N.tmp`, so that a name with dots of its own is never misread.
        let parts: Vec<&str> = rest.split('.').collect();
        let [pid, n, "tmp"] = parts.as_slice() else {
            continue;
        };
        let (Ok(pid), true) = (pid.parse::<u32>(), n.parse::<u32>().is_ok()) else {
            continue;
        };
        // And an hour old: a process of another PID namespace or host may still write it.
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() > 3600);
        if old && pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The file an output path stands for: a symbolic link's target (the link stays a link),
/// refused when it leads nowhere; and never anything but a regular file, `--force` or not.
fn target(path: &Path) -> Result<PathBuf> {
    let link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let path = if link {
        fs::canonicalize(path).map_err(|_| {
            Error::Usage(format!(
                "{}: a symbolic link to a file that does not exist or a loop; nothing was written",
                path.display()
            ))
        })?
    } else {
        path.to_path_buf()
    };
    match fs::metadata(&path) {
        Ok(m) if m.is_dir() => Err(Error::Usage(format!("{}: is a directory", path.display()))),
        Ok(m) if !m.is_file() => Err(Error::Usage(format!(
            "{}: not a regular file (a device, pipe or socket); spacedip replaces only regular \
             files, --force or not: write to stdout and redirect instead",
            path.display()
        ))),
        _ => Ok(path),
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Creates a new, uniquely named temporary file in `dir`, named after `name`.
fn temp_file(dir: &Path, name: &str) -> Result<(PathBuf, File)> {
    let pid = std::process::id();
    for n in 0..1000u32 {
        let tmp = dir.join(format!(".{name}.{pid}.{n}.tmp"));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io_err(dir)(e)),
        }
    }
    Err(io_err(dir)(std::io::Error::new(
        ErrorKind::AlreadyExists,
        "no free temporary file name",
    )))
}

/// The refusals of [`write_atomic`] that need no writing, for callers that check before doing
/// the work: not a regular file, a link to nothing, or an existing file without `force`.
pub fn check_target(path: &Path, force: bool) -> Result<()> {
    let resolved = target(path)?;
    if !force && fs::symlink_metadata(&resolved).is_ok() {
        return Err(Error::OutputExists(path.to_path_buf()));
    }
    Ok(())
}

/// Writes `path` atomically with what `fill` writes. Without `force`, an existing `path`
/// (checked before `fill` runs and again, race-free, when the file is put in place) gives
/// [`Error::OutputExists`] and is left untouched. With `force` it is replaced, keeping its
/// permissions.
pub fn write_atomic<F>(path: &Path, force: bool, fill: F) -> Result<()>
where
    F: FnOnce(&mut dyn Write) -> Result<()>,
{
    let resolved = target(path)?;
    let path = resolved.as_path();
    let existing = fs::symlink_metadata(path).ok();
    if existing.is_some() && !force {
        return Err(Error::OutputExists(path.to_path_buf()));
    }
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Error::Usage(format!("{}: not a file name", path.display())))?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    remove_stale(dir, name);
    let (tmp, file) = make_pending(|| temp_file(dir, name))?;
    let result = fill_and_sync(&tmp, file, fill)
        .and_then(|()| keep_permissions(path, &tmp, existing.as_ref()))
        .and_then(|()| put_in_place(&tmp, path, force));
    pending(|list| list.paths.retain(|p| p != &tmp));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result?;
    // Make the rename itself durable; not every platform lets a directory be synced.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The refusals of [`write_dir_atomic`] that need no writing, for callers that check before
/// doing the work: something other than a directory in the way, or a directory that is not
/// empty without `force`. Returns whether a directory exists there.
pub fn check_dir_target(path: &Path, force: bool) -> Result<bool> {
    let existing = match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => Some(fs::read_dir(path).map_err(io_err(path))?.next().is_some()),
        Ok(_) => {
            return Err(Error::Usage(format!(
                "{}: exists and is not a directory; nothing was written",
                path.display()
            )))
        }
        Err(_) => None,
    };
    if existing == Some(true) && !force {
        return Err(Error::Usage(format!(
            "{}: a directory that is not empty; pass --force to replace it (nothing was written)",
            path.display()
        )));
    }
    Ok(existing.is_some())
}

/// Writes the directory `path` atomically with the files `fill` writes into the directory it
/// is given (with [`write_in`]). An existing empty directory is taken; one that holds anything
/// is replaced only with `force`, and is then removed once the new one is in place. A failure
/// or a signal leaves `path` as it was and no temporary directory behind.
pub fn write_dir_atomic<F>(path: &Path, force: bool, fill: F) -> Result<()>
where
    F: FnOnce(&Path) -> Result<()>,
{
    let existing = check_dir_target(path, force)?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Error::Usage(format!("{}: not a directory name", path.display())))?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let (tmp, ()) = make_pending(|| {
        let pid = std::process::id();
        for n in 0..1000u32 {
            let candidate = parent.join(format!(".{name}.{pid}.{n}.tmp"));
            match fs::create_dir(&candidate) {
                Ok(()) => return Ok((candidate, ())),
                Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(io_err(parent)(e)),
            }
        }
        Err(Error::Usage(format!(
            "{}: no free temporary name",
            parent.display()
        )))
    })?;
    let result = fill(&tmp).and_then(|()| swap_dir(&tmp, path, existing));
    pending(|list| list.paths.retain(|p| p != &tmp));
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result?;
    if let Ok(d) = File::open(parent) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Puts the finished directory `tmp` at `path`, moving an existing one aside first and
/// removing it once the new one is in place.
fn swap_dir(tmp: &Path, path: &Path, exists: bool) -> Result<()> {
    if !exists {
        return fs::rename(tmp, path).map_err(io_err(path));
    }
    let old = tmp.with_extension("old");
    fs::rename(path, &old).map_err(io_err(path))?;
    if let Err(e) = fs::rename(tmp, path) {
        // Put the old one back: the target must stay as it was.
        let _ = fs::rename(&old, path);
        return Err(io_err(path)(e));
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

/// Writes `bytes` to `relative` inside `dir` (creating its subdirectories), flushed to disk.
pub fn write_in(dir: &Path, relative: &str, bytes: &[u8]) -> Result<()> {
    let path = dir.join(relative);
    if let Some(sub) = path.parent() {
        fs::create_dir_all(sub).map_err(io_err(sub))?;
    }
    let mut file = File::create(&path).map_err(io_err(&path))?;
    file.write_all(bytes).map_err(io_err(&path))?;
    file.sync_all().map_err(io_err(&path))
}

fn fill_and_sync<F>(tmp: &Path, file: File, fill: F) -> Result<()>
where
    F: FnOnce(&mut dyn Write) -> Result<()>,
{
    let mut w = BufWriter::new(file);
    fill(&mut w)?;
    let file = w.into_inner().map_err(|e| io_err(tmp)(e.into_error()))?;
    file.sync_all().map_err(io_err(tmp))
}

fn keep_permissions(path: &Path, tmp: &Path, existing: Option<&fs::Metadata>) -> Result<()> {
    match existing {
        Some(m) if m.is_file() => fs::set_permissions(tmp, m.permissions()).map_err(io_err(path)),
        _ => Ok(()),
    }
}

fn put_in_place(tmp: &Path, path: &Path, force: bool) -> Result<()> {
    if force {
        return fs::rename(tmp, path).map_err(io_err(path));
    }
    // A hard link never replaces an existing file, so a file created meanwhile is kept.
    match fs::hard_link(tmp, path) {
        Ok(()) => {
            let _ = fs::remove_file(tmp);
            Ok(())
        }
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            Err(Error::OutputExists(path.to_path_buf()))
        }
        // File systems without hard links: check again, then rename.
        Err(_) => {
            if fs::symlink_metadata(path).is_ok() {
                return Err(Error::OutputExists(path.to_path_buf()));
            }
            fs::rename(tmp, path).map_err(io_err(path))
        }
    }
}

/// A new file in the temporary directory, readable by its owner only, unlinked as soon as it
/// is open where the system allows (Unix), so that it goes away with its last handle whatever
/// happens to the process; elsewhere it stays in the temporary directory. `purpose` goes into
/// the short-lived name, and an existing file of that name is never opened.
pub fn scratch_file(purpose: &str) -> Result<File> {
    let dir = std::env::temp_dir();
    let pid = std::process::id();
    let failed = |e: std::io::Error| Error::Io {
        path: dir.clone(),
        source: e,
    };
    for n in 0..1000u32 {
        let path = dir.join(format!(".spacedip-{purpose}.{pid}.{n}.tmp"));
        let mut options = File::options();
        options.read(true).write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&path) {
            Ok(file) => {
                let _ = fs::remove_file(&path);
                return Ok(file);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(failed(e)),
        }
    }
    Err(failed(std::io::Error::other(
        "no free name for a scratch file",
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    }

    #[test]
    fn writes_new_files_and_refuses_to_clobber() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        write_atomic(&path, false, |w| Ok(w.write_all(b"one")?)).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"one");
        let err = write_atomic(&path, false, |w| Ok(w.write_all(b"two")?)).unwrap_err();
        assert!(matches!(err, Error::OutputExists(_)), "{err}");
        assert!(err.is_usage());
        assert_eq!(fs::read(&path).unwrap(), b"one");
        write_atomic(&path, true, |w| Ok(w.write_all(b"three")?)).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"three");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_failed_export_leaves_the_target_and_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        fs::write(&path, b"keep").unwrap();
        let err = write_atomic(&path, true, |w| {
            w.write_all(b"half")?;
            Err(Error::Csv("boom".into()))
        })
        .unwrap_err();
        assert!(err.to_string().contains("boom"));
        assert_eq!(fs::read(&path).unwrap(), b"keep");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn directories_are_written_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("pkg");
        write_dir_atomic(&target, false, |d| write_in(d, "data/a.csv", b"x\n")).unwrap();
        assert_eq!(fs::read(target.join("data/a.csv")).unwrap(), b"x\n");
        // Not empty: refused without force, and nothing changes.
        let err = write_dir_atomic(&target, false, |d| write_in(d, "b", b"")).unwrap_err();
        assert!(
            err.is_usage() && err.to_string().contains("not empty"),
            "{err}"
        );
        assert!(!target.join("b").exists());
        // A failure half-way leaves the old directory and no temporary one.
        let err = write_dir_atomic(&target, true, |d| {
            write_in(d, "half", b"")?;
            Err(Error::Csv("boom".into()))
        })
        .unwrap_err();
        assert!(err.to_string().contains("boom"));
        assert!(target.join("data/a.csv").exists() && !target.join("half").exists());
        // With force the new directory replaces the old one whole.
        write_dir_atomic(&target, true, |d| write_in(d, "c", b"c")).unwrap();
        assert!(target.join("c").exists() && !target.join("data").exists());
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["pkg"], "no temporary or old directory is left");
        // An empty directory is taken; a file in the way is refused.
        let empty = dir.path().join("empty");
        fs::create_dir(&empty).unwrap();
        write_dir_atomic(&empty, false, |d| write_in(d, "x", b"")).unwrap();
        assert!(empty.join("x").exists());
        let file = dir.path().join("file");
        fs::write(&file, b"").unwrap();
        assert!(write_dir_atomic(&file, true, |_| Ok(()))
            .unwrap_err()
            .is_usage());
    }

    #[cfg(unix)]
    #[test]
    fn replacing_keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        fs::write(&path, b"old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&path, true, |w| Ok(w.write_all(b"new")?)).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
