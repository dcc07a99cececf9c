//! Progress reporting for long operations (imports, exports), as a hook the library calls and
//! the front end draws: the CLI shows a bar on a terminal, tests and pipes see nothing.

/// From this many events an export to a file reports its progress (the CLI draws a bar on a
/// terminal); smaller ones finish before a bar would be read.
pub const EXPORT_BAR_FROM: usize = 5_000;

/// Receives progress of a long operation. Every method has a do-nothing default.
pub trait Progress {
    /// A new phase begins, with `total` steps (records) to go.
    fn begin(&self, _label: &str, _total: u64) {}
    /// `n` more steps are done.
    fn advance(&self, _n: u64) {}
    /// The operation is over (done or failed): remove any display.
    fn finish(&self) {}
}

/// Reports nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {}
