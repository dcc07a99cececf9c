//! The `spacedip` binary: parse the command line, run a subcommand or the TUI, map errors to
//! exit codes (0 ok, 1 runtime error, 2 usage error).

// No unwrap() outside tests: a failure is an error message, never a panic.
#![deny(clippy::unwrap_used)]

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use spacedip::cli::{self, Cli};
use spacedip::text::inert_message;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_error(&e),
    };
    let result: anyhow::Result<()> = match &cli.command {
        Some(_) if cli.view.is_some() => Err(spacedip::Error::Usage(
            "--view before a subcommand opens the browser on a view; put it after the subcommand (`spacedip list --view NAME`)".into(),
        )
        .into()),
        Some(command) => {
            cli::clean_up_on_signals();
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            cli::run(&cli, command, &mut out)
                .map_err(anyhow::Error::from)
                .and_then(|()| Ok(out.flush()?))
        }
        None => cli::db_path(&cli)
            .and_then(|path| {
                fixed_mmap_threshold();
                let fresh = std::fs::symlink_metadata(&path).is_err();
                spacedip::tui::run(&path, cli.view.as_deref())?;
                if fresh && path.exists() {
                    eprintln!("{}", cli::first_run_note(&path));
                }
                Ok(())
            })
            .map_err(anyhow::Error::from),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => report(&e),
    }
}

/// Makes glibc serve every allocation of 128 KiB or more with its own mapping, given back
/// to the system when freed. By default glibc raises that threshold to the size of each
/// large block freed (up to 32 MiB), after which blocks of that size come from its heap and
/// stay there once freed: the browser's index build frees many vectors of megabytes, and
/// the browser then held some 55 MB it no longer used (at a million events, 268 MB resident
/// after a search against 212 MB with the threshold fixed). The commands, which end as soon
/// as they are done, keep glibc's default.
fn fixed_mmap_threshold() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tuning parameter of glibc's allocator; it is called before
    // the browser starts any thread, and an allocator setting cannot invalidate memory
    // already handed out. A refusal (0) leaves the default, which is merely larger.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

/// Help and version go out as clap writes them; a usage error is printed inert (an argument
/// holding escape sequences never reaches the terminal raw), without colour, exit code 2.
fn clap_error(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
        }
        _ => {
            // One line, as spacedip's own errors: clap's first line, its tip if it has one.
            let text = e.render().to_string();
            let mut lines = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .peekable();
            let head = lines.next().unwrap_or("usage error");
            let mut first = head.strip_prefix("error: ").unwrap_or(head).to_string();
            // "the following required arguments were not provided:" lists them below.
            if first.ends_with(':') {
                let listed: Vec<&str> = std::iter::from_fn(|| {
                    lines.next_if(|l| !l.starts_with("Usage:") && !l.starts_with("For more"))
                })
                .collect();
                first = format!("{first} {}", listed.join(", "));
            }
            let extra: Vec<&str> = lines
                .filter(|l| l.starts_with("tip:") || l.starts_with("[possible values"))
                .map(|l| l.trim_start_matches('[').trim_end_matches(']'))
                .collect();
            let tip = if extra.is_empty() {
                String::new()
            } else {
                format!(" ({})", extra.join("; "))
            };
            eprintln!(
                "spacedip: {}",
                inert_message(&format!("{first}{tip}; see --help"))
            );
            ExitCode::from(2)
        }
    }
}

/// Prints an error on one line and picks the exit code; a closed pipe is not an error.
fn report(e: &anyhow::Error) -> ExitCode {
    if closed_pipe(e) {
        return ExitCode::SUCCESS;
    }
    // spacedip's errors already carry their cause in their one-line message; printing the
    // chain too would repeat it. Data and arguments in it reach the terminal inert.
    eprintln!("spacedip: {}", inert_message(&e.to_string()));
    let usage = e
        .downcast_ref::<spacedip::Error>()
        .is_some_and(spacedip::Error::is_usage);
    ExitCode::from(if usage { 2 } else { 1 })
}

/// Whether the error is output that found its reader gone (`spacedip list | head`). A
/// terminal or a thread that failed is an error whatever its cause.
fn closed_pipe(e: &anyhow::Error) -> bool {
    for cause in e.chain() {
        let io = match cause.downcast_ref::<spacedip::Error>() {
            Some(spacedip::Error::Write(io)) => Some(io),
            Some(spacedip::Error::Terminal(_) | spacedip::Error::Thread(_)) => return false,
            Some(_) => None,
            None => cause.downcast_ref::<std::io::Error>(),
        };
        if io.is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) {
            return true;
        }
    }
    false
}
