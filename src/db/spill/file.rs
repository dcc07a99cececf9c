//! The spill's scratch file: records filed in buckets by their rank in the filter's order,
//! each bucket written a block at a time as it fills and read back whole, so that handing
//! a million events out in any order takes a few hundred large reads, not one an event.

use std::fs::File;
use std::io::{BufWriter, Write};
#[cfg(not(unix))]
use std::io::{Read, Seek};

use super::Place;
use crate::error::{Error, Result};

/// How many bytes of one bucket are written at once.
pub(super) const BLOCK: usize = 1 << 18;

/// The buckets of a spill: how many ranks each takes, how many bytes it writes at once, and
/// where each one's blocks lie.
pub(super) struct Buckets {
    pub(super) size: usize,
    block: usize,
    /// Each bucket's blocks: (offset in the file, length).
    pub(super) blocks: Vec<Vec<(u64, usize)>>,
}

impl Buckets {
    /// Buckets for `n` events: about 16,000 events each (some 8 MB at a million events of
    /// the usual shape), and at most 256 of them, so that their blocks being filled take at
    /// most 64 MB (16 MB at a million events).
    pub(super) fn for_events(n: usize) -> Buckets {
        let count = n.div_ceil(16_384).clamp(1, 256);
        Buckets::of(n, n.div_ceil(count), BLOCK)
    }

    /// Buckets of `size` ranks for `n` events, written `block` bytes at a time.
    pub(super) fn of(n: usize, size: usize, block: usize) -> Buckets {
        let size = size.max(1);
        Buckets {
            size,
            block,
            blocks: vec![Vec::new(); n.div_ceil(size).max(1)],
        }
    }
}

/// The blocks of the buckets being filled, and where the next block goes in the file.
pub(super) struct Filling<'f> {
    out: BufWriter<&'f mut File>,
    end: u64,
    /// Each bucket's bytes not yet written, and how many it had written before them.
    pending: Vec<(Vec<u8>, u64)>,
}

impl<'f> Filling<'f> {
    pub(super) fn new(file: &'f mut File, buckets: usize) -> Filling<'f> {
        Filling {
            out: BufWriter::with_capacity(BLOCK, file),
            end: 0,
            pending: (0..buckets).map(|_| (Vec::new(), 0)).collect(),
        }
    }

    /// Adds `record` to bucket `b`; its offset in the bucket. A bucket's pending bytes are
    /// written before a record would take them past a block, so that each buffer keeps the
    /// one block it was given (a record longer than a block is a block of its own).
    pub(super) fn add(&mut self, buckets: &mut Buckets, b: usize, record: &[u8]) -> Result<u64> {
        let block = buckets.block;
        if self.pending[b].0.len() + record.len() > block {
            self.write(buckets, b)?;
        }
        let (bytes, written) = &mut self.pending[b];
        if bytes.capacity() == 0 {
            bytes.reserve_exact(block.max(record.len()));
        }
        let offset = *written + bytes.len() as u64;
        bytes.extend_from_slice(record);
        Ok(offset)
    }

    /// Writes bucket `b`'s pending bytes as one block, at the end of the file.
    fn write(&mut self, buckets: &mut Buckets, b: usize) -> Result<()> {
        let (bytes, written) = &mut self.pending[b];
        if bytes.is_empty() {
            return Ok(());
        }
        self.out.write_all(bytes).map_err(spill_error)?;
        buckets.blocks[b].push((self.end, bytes.len()));
        self.end += bytes.len() as u64;
        *written += bytes.len() as u64;
        bytes.clear();
        Ok(())
    }

    /// Writes what is left of every bucket.
    pub(super) fn finish(mut self, buckets: &mut Buckets) -> Result<()> {
        for b in 0..self.pending.len() {
            self.write(buckets, b)?;
            self.pending[b].0 = Vec::new();
        }
        self.out.flush().map_err(spill_error)
    }
}

/// The scratch file read back a bucket at a time.
pub(super) struct BucketReader {
    file: File,
    buckets: Buckets,
    /// The bytes of the bucket last read, and which it is.
    bucket: Vec<u8>,
    loaded: Option<usize>,
}

impl BucketReader {
    pub(super) fn new(file: File, buckets: Buckets) -> BucketReader {
        BucketReader {
            file,
            buckets,
            bucket: Vec::new(),
            loaded: None,
        }
    }

    /// The bytes of the event ranked `rank`, lying at `place` in its bucket: the bucket is
    /// read whole the first time one of its events is asked for.
    pub(super) fn record(&mut self, rank: usize, place: Place) -> Result<&[u8]> {
        let short = || Error::Internal("the stream's scratch file ends too soon".into());
        let b = rank / self.buckets.size;
        if self.loaded != Some(b) {
            let blocks = self.buckets.blocks.get(b).ok_or_else(short)?;
            self.bucket.clear();
            for &(offset, len) in blocks {
                let at = self.bucket.len();
                self.bucket.resize(at + len, 0);
                if read_at(&mut self.file, &mut self.bucket[at..], offset)? < len {
                    return Err(short());
                }
            }
            self.loaded = Some(b);
        }
        let start = usize::try_from(place.offset).map_err(|_| short())?;
        self.bucket
            .get(start..start + place.len as usize)
            .ok_or_else(short)
    }
}

/// Reads into `buf` from `offset` until it is full or the file ends; how many bytes came.
fn read_at(file: &mut File, buf: &mut [u8], offset: u64) -> Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        let n = read_once_at(file, &mut buf[got..], offset + got as u64).map_err(spill_error)?;
        if n == 0 {
            break;
        }
        got += n;
    }
    Ok(got)
}

#[cfg(unix)]
fn read_once_at(file: &mut File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    // One call, where a seek and a read would be two.
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(not(unix))]
fn read_once_at(file: &mut File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    file.seek(std::io::SeekFrom::Start(offset))?;
    file.read(buf)
}

pub(super) fn spill_error(e: std::io::Error) -> Error {
    Error::Io {
        path: std::env::temp_dir(),
        source: e,
    }
}
