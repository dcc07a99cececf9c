//! Writing JSON for terminals and pipelines: serde_json escapes C0 controls in strings but
//! writes C1 controls (U+0080–U+009F) raw, and some terminals read U+009B as CSI. Every JSON
//! spacedip writes goes through [`EscapeC1`], which turns them into `\u0080`-style escapes as
//! the bytes stream past (they can only occur inside strings, whose escapes they become).

use std::io::{self, Write};

use serde::Serialize;

use crate::error::Result;

/// A writer that replaces the UTF-8 encoding of each C1 control (0xC2 0x80–0x9F) with its JSON
/// escape, streaming: a 0xC2 at the end of one write is held until the next.
pub struct EscapeC1<'a> {
    out: &'a mut dyn Write,
    held: bool,
}

impl<'a> EscapeC1<'a> {
    pub fn new(out: &'a mut dyn Write) -> Self {
        EscapeC1 { out, held: false }
    }

    /// Writes a byte held back at the very end (never the case for valid UTF-8); the caller
    /// flushes when it is done (NDJSON writes one record at a time).
    pub fn finish(mut self) -> io::Result<()> {
        if self.held {
            self.held = false;
            self.out.write_all(&[0xc2])?;
        }
        Ok(())
    }
}

impl Write for EscapeC1<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // Almost every buffer holds no 0xC2 at all: passed on whole.
        if !self.held && !buf.contains(&0xc2) {
            self.out.write_all(buf)?;
            return Ok(buf.len());
        }
        let mut run = 0;
        for (i, &b) in buf.iter().enumerate() {
            if self.held {
                self.held = false;
                if (0x80..=0x9f).contains(&b) {
                    write!(self.out, "\\u{b:04x}")?;
                    run = i + 1;
                    continue;
                }
                self.out.write_all(&[0xc2])?;
                run = i;
            }
            if b == 0xc2 {
                self.out.write_all(&buf[run..i])?;
                self.held = true;
                run = i + 1;
            }
        }
        self.out.write_all(&buf[run..])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// `value` as pretty JSON and a newline, C1 controls escaped.
pub fn pretty<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> Result<()> {
    let mut w = buffered(out);
    serde_json::to_writer_pretty(&mut w, value)?;
    w.write_all(b"\n")?;
    finish(w)
}

/// `value` as one line of JSON (no newline), C1 controls escaped.
pub fn line<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> Result<()> {
    let mut w = buffered(out);
    serde_json::to_writer(&mut w, value)?;
    finish(w)
}

/// serde_json writes a token at a time: gathered here first, the escaping and the writer
/// behind it see a few large writes instead of millions of small ones (a `stats` of hundreds
/// of programmes writes tens of megabytes).
fn buffered(out: &mut dyn Write) -> io::BufWriter<EscapeC1<'_>> {
    io::BufWriter::with_capacity(1 << 16, EscapeC1::new(out))
}

fn finish(w: io::BufWriter<EscapeC1<'_>>) -> Result<()> {
    w.into_inner()
        .map_err(io::IntoInnerError::into_error)?
        .finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c1_controls_become_escapes_and_the_rest_is_untouched() {
        let mut out = Vec::new();
        pretty(&mut out, &["a\u{9b}31m", "é中\u{85}", "\u{80}\u{9f}\u{a0}"]).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(r#""a\u009b31m""#), "{text}");
        assert!(text.contains(r#""é中\u0085""#), "{text}");
        assert!(text.contains(r#""\u0080\u009f\u{a0}""#.replace(r"\u{a0}", "\u{a0}").as_str()));
        let back: Vec<String> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, ["a\u{9b}31m", "é中\u{85}", "\u{80}\u{9f}\u{a0}"]);
    }

    #[test]
    fn a_c1_split_across_writes_is_still_escaped() {
        let mut out = Vec::new();
        let mut w = EscapeC1::new(&mut out);
        w.write_all(b"\"x\xc2").unwrap();
        w.write_all(b"\x9by\xc2").unwrap();
        w.write_all(b"\xa9\"").unwrap();
        w.finish().unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "\"x\\u009by©\"");
    }
}
