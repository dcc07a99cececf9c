//! The real terminal: raw mode, alternate screen and mouse capture, undone by an RAII guard
//! on every way out (return, error, panic), plus OSC 52 clipboard writes.

use std::io::{self, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use crossterm::{cursor, execute};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

/// True while spacedip has the terminal in raw mode, so that the panic hook knows to
/// restore it (and restores it once).
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Owns the terminal setup; dropping it restores the terminal.
pub struct Guard {
    pub terminal: Terminal<CrosstermBackend<Stdout>>,
}

impl Guard {
    /// Enters raw mode, the alternate screen and mouse capture. On failure, whatever was
    /// already set up is undone before the error is returned.
    pub fn enter() -> io::Result<Guard> {
        install_panic_hook();
        let setup = (|| -> io::Result<Terminal<CrosstermBackend<Stdout>>> {
            let mut out = io::stdout();
            take(&mut out)?;
            Terminal::new(CrosstermBackend::new(out))
        })();
        match setup {
            Ok(terminal) => Ok(Guard { terminal }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Gives the shell back (Ctrl-Z): the terminal is restored, the process stops as a shell
/// expects (SIGTSTP), and when `fg` continues it the browser takes the terminal again; the
/// caller redraws.
#[cfg(unix)]
pub fn suspend(terminal: &mut Terminal<CrosstermBackend<Stdout>>) -> io::Result<()> {
    restore();
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
    take(terminal.backend_mut())?;
    terminal.clear()
}

/// Takes the terminal: raw mode, the alternate screen, mouse capture, no cursor, and
/// bracketed paste (a pasted text comes whole, never read as keys: a line break in it is not
/// Enter, and its letters are not commands). Marked active first, so that a failure half-way
/// is still undone by [`restore`]; entering and resuming after a suspend share it, so that
/// both set up the same modes.
fn take(out: &mut impl Write) -> io::Result<()> {
    ACTIVE.store(true, Ordering::SeqCst);
    enable_raw_mode()?;
    execute!(out, EnterAlternateScreen, EnableMouseCapture, cursor::Hide)?;
    // Best effort: a console that cannot (the legacy Windows API) still browses, its pastes
    // read as keys.
    let _ = execute!(out, EnableBracketedPaste);
    Ok(())
}

/// Elsewhere there is no job control: nothing to do.
#[cfg(not(unix))]
pub fn suspend(_terminal: &mut Terminal<CrosstermBackend<Stdout>>) -> io::Result<()> {
    Ok(())
}

/// Puts the terminal back as it was, once; errors are ignored because there is nothing
/// better to do with them on the way out.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let mut out = io::stdout();
        let _ = execute!(
            out,
            DisableBracketedPaste,
            DisableMouseCapture,
            LeaveAlternateScreen,
            cursor::Show
        );
        let _ = disable_raw_mode();
        let _ = out.flush();
    }
}

/// Restores the terminal before the default hook prints the panic, so the message is
/// readable and the shell usable.
fn install_panic_hook() {
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Asks the terminal to put `text` on the system clipboard (OSC 52). The text travels
/// base64-encoded, so nothing in it can act as a terminal control sequence.
pub fn write_clipboard(out: &mut impl Write, text: &str) -> io::Result<()> {
    write!(out, "\x1b]52;c;{}\x07", base64(text.as_bytes()))?;
    out.flush()
}

/// Standard base64 with padding (RFC 4648).
pub fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ABC[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn clipboard_sequence_carries_no_raw_data() {
        let mut out = Vec::new();
        write_clipboard(&mut out, "a\x1b]0;evil\x07").unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.starts_with("\x1b]52;c;") && s.ends_with('\x07'));
        assert_eq!(s.matches('\x1b').count(), 1);
    }
}
