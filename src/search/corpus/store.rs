//! Where a corpus keeps its folded texts: in memory, or in a scratch file read back a window
//! at a time while a term is scored.
//!
//! A million events' titles and summaries fold to some 400 MB: more than the rest of the
//! browser together. In a scratch file (unlinked at once, so nothing is left behind) they stay
//! in the system's file cache, which the system gives back under pressure, instead of in the
//! process: scoring reads them in order, a few megabytes at a time per scoring thread, at the
//! cost of a copy (tenths of a second per term at a million events). Where the system cannot
//! remove an open file (Windows), the file stays in the temporary directory.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::text::fold_into;

/// How much is appended in memory before it goes to the file, and how much a reader reads at
/// once.
const WINDOW: usize = 4 << 20;

/// The folded texts, one after another; each field is known by its byte offsets.
#[derive(Debug)]
pub(super) enum Store {
    Memory(String),
    File {
        file: Mutex<File>,
        /// Bytes in the file.
        written: u64,
        /// Bytes appended since, not yet in the file.
        tail: String,
    },
}

impl Default for Store {
    fn default() -> Store {
        Store::Memory(String::new())
    }
}

fn io(e: std::io::Error) -> Error {
    Error::Io {
        path: std::env::temp_dir(),
        source: e,
    }
}

impl Store {
    /// A store in a new scratch file.
    pub(super) fn file() -> Result<Store> {
        Ok(Store::File {
            file: Mutex::new(crate::outfile::scratch_file("corpus")?),
            written: 0,
            tail: String::new(),
        })
    }

    /// The bytes stored so far: the offset the next text starts at.
    pub(super) fn len(&self) -> u64 {
        match self {
            Store::Memory(s) => s.len() as u64,
            Store::File { written, tail, .. } => written + tail.len() as u64,
        }
    }

    /// Puts what is appended in the file once it fills a window. Called between rows only,
    /// so that a row's fields are either all in the file or all still appended.
    pub(super) fn flush_if_full(&mut self) -> Result<()> {
        match self {
            Store::File { tail, .. } if tail.len() >= WINDOW => self.flush(),
            _ => Ok(()),
        }
    }

    /// Appends `text` folded and returns what was appended.
    pub(super) fn push(&mut self, text: &str) -> Result<&str> {
        let buffer = match self {
            Store::Memory(s) => s,
            Store::File { tail, .. } => tail,
        };
        let start = buffer.len();
        fold_into(text, buffer);
        Ok(&buffer[start..])
    }

    /// Puts what is appended in the file (nothing to do in memory).
    pub(super) fn flush(&mut self) -> Result<()> {
        match self {
            Store::Memory(s) => s.shrink_to_fit(),
            Store::File {
                file,
                written,
                tail,
            } => {
                let f = file
                    .get_mut()
                    .map_err(|_| Error::Internal("a corpus file lock was poisoned".into()))?;
                f.seek(SeekFrom::Start(*written)).map_err(io)?;
                f.write_all(tail.as_bytes()).map_err(io)?;
                *written += tail.len() as u64;
                tail.clear();
                tail.shrink_to_fit();
            }
        }
        Ok(())
    }

    /// A reader of the stored texts (one per scoring thread).
    pub(super) fn reader(&self) -> Reader<'_> {
        Reader {
            store: self,
            at: 0,
            window: Vec::new(),
        }
    }
}

/// Reads stored texts; from a file, through a window that moves forward as rows are read in
/// order.
pub(super) struct Reader<'a> {
    store: &'a Store,
    /// The offset of `window`'s first byte.
    at: u64,
    window: Vec<u8>,
}

impl Reader<'_> {
    /// The text between two offsets that start and end stored texts.
    pub(super) fn span(&mut self, from: u32, to: u32) -> Result<&str> {
        let (from, to) = (u64::from(from), u64::from(to));
        let (file, written, tail) = match self.store {
            Store::Memory(s) => return Ok(&s[from as usize..to as usize]),
            Store::File {
                file,
                written,
                tail,
            } => (file, *written, tail),
        };
        if from >= written {
            // Not flushed yet (only while the corpus is being built; rows are flushed whole).
            return Ok(&tail[(from - written) as usize..(to - written) as usize]);
        }
        if to > written {
            return Err(Error::Internal("a corpus row was read half flushed".into()));
        }
        let inside = from >= self.at && to <= self.at + self.window.len() as u64;
        if !inside {
            let len = (to - from).max(WINDOW as u64).min(written - from);
            self.window.resize(len as usize, 0);
            let mut f = file
                .lock()
                .map_err(|_| Error::Internal("a corpus file lock was poisoned".into()))?;
            f.seek(SeekFrom::Start(from)).map_err(io)?;
            f.read_exact(&mut self.window).map_err(io)?;
            self.at = from;
        }
        let bytes = &self.window[(from - self.at) as usize..(to - self.at) as usize];
        std::str::from_utf8(bytes)
            .map_err(|_| Error::Internal("the search texts' scratch file was changed".into()))
    }
}

/// One row's own texts (id, title, summary, notes), read once for every field scored.
pub(super) struct RowText<'r> {
    /// The four fields, one after another.
    text: &'r str,
    cuts: [u32; 5],
}

impl<'r> RowText<'r> {
    /// The texts between `cuts[0]` and `cuts[4]`, the row's four fields' bounds.
    pub(super) fn read(reader: &'r mut Reader<'_>, cuts: [u32; 5]) -> Result<RowText<'r>> {
        Ok(RowText {
            text: reader.span(cuts[0], cuts[4])?,
            cuts,
        })
    }

    /// Own field `i` (id, title, summary, notes).
    pub(super) fn field(&self, i: usize) -> &'r str {
        let base = self.cuts[0];
        &self.text[(self.cuts[i] - base) as usize..(self.cuts[i + 1] - base) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_store_gives_back_what_memory_gives() {
        let texts: Vec<String> = (0..3000)
            .map(|i| format!("Événement n°{i}: 月球 station — {}", "x".repeat(i % 3000)))
            .collect();
        let mut memory = Store::Memory(String::new());
        let mut file = Store::file().unwrap();
        let mut cuts = Vec::new();
        for t in &texts {
            let start = memory.len();
            file.flush_if_full().unwrap();
            assert_eq!(memory.push(t).unwrap(), file.push(t).unwrap());
            cuts.push((start as u32, memory.len() as u32));
        }
        // Read before and after the last flush, forwards then backwards.
        let (mut m, mut f) = (memory.reader(), file.reader());
        for &(a, b) in cuts.iter().chain(cuts.iter().rev()) {
            assert_eq!(m.span(a, b).unwrap(), f.span(a, b).unwrap());
        }
        file.flush().unwrap();
        let mut f = file.reader();
        for &(a, b) in cuts.iter().rev() {
            assert_eq!(m.span(a, b).unwrap(), f.span(a, b).unwrap());
        }
        assert!(matches!(file, Store::File { ref tail, .. } if tail.is_empty()));
    }
}
