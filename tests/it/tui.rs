//! The terminal browser through the real binary: it refuses to start without a terminal,
//! and, end to end in tmux, it starts, searches, filters by channel, shows help, quits and
//! leaves the terminal as it found it; and it adds, deletes and undoes an event through the
//! form, recorded in history; with NO_COLOR set it draws no colour.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

#[test]
fn refuses_to_start_when_stdout_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("never.db");
    // assert_cmd captures stdout, so it is a pipe, not a terminal.
    assert_cmd::cargo::cargo_bin_cmd!("spacedip")
        .env("TERM", "xterm-256color")
        .arg("--db")
        .arg(&db)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "the terminal browser needs a terminal, and stdout is not one",
        ));
    assert!(!db.exists(), "nothing is created before the check");
}

#[test]
fn refuses_a_terminal_that_cannot_draw_and_points_to_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("never.db");
    for term in [Some("dumb"), None] {
        let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("spacedip");
        match term {
            Some(t) => cmd.env("TERM", t),
            None => cmd.env_remove("TERM"),
        };
        cmd.arg("--db")
            .arg(&db)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicates::str::contains("use `spacedip list`"));
    }
    assert!(!db.exists(), "nothing is created before the check");
}

/// A tmux server of our own (its own socket, no user configuration), killed on drop. The
/// socket lives in a temporary directory of its own, removed with it: a named socket (`-L`)
/// would leave a file in the user's tmux directory after every run.
struct Tmux {
    socket: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Tmux {
    fn start(width: u16, height: u16) -> Tmux {
        Tmux::start_in(width, height, "sh")
    }

    /// A server whose pane runs `shell` (job control is tested under bash, as users run it).
    fn start_in(width: u16, height: u16, shell: &str) -> Tmux {
        // One server per test: tests run in parallel in one process.
        // Under /tmp, not $TMPDIR: a socket's path may not be longer than about 100 bytes.
        let dir = tempfile::Builder::new()
            .prefix("spacedip-e2e")
            .tempdir_in("/tmp")
            .expect("a directory for the tmux socket in /tmp");
        let tmux = Tmux {
            socket: dir.path().join("tmux"),
            _dir: dir,
        };
        let out = tmux.run(&[
            "new-session",
            "-d",
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
            "-s",
            "e2e",
            &format!("env PS1='$ ' TERM=xterm-256color {shell}"),
        ]);
        assert!(out.status.success(), "tmux new-session: {out:?}");
        tmux
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(["-f", "/dev/null"])
            .args(args)
            .output()
            .expect("tmux runs")
    }

    fn send(&self, keys: &[&str]) {
        for k in keys {
            let out = self.run(&["send-keys", "-t", "e2e", k]);
            assert!(out.status.success(), "send-keys {k}: {out:?}");
            // One key at a time: an Esc followed at once by a letter reads as Alt-letter.
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    fn type_text(&self, text: &str) {
        let out = self.run(&["send-keys", "-t", "e2e", "-l", text]);
        assert!(out.status.success(), "send-keys -l {text}: {out:?}");
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "e2e"]).stdout).into_owned()
    }

    /// The screen with the escape sequences of its attributes and colours (`-e`).
    fn screen_with_escapes(&self) -> String {
        let out = self.run(&["capture-pane", "-p", "-e", "-t", "e2e"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn display(&self, format: &str) -> String {
        let out = self.run(&["display-message", "-p", "-t", "e2e", format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Polls the screen until `ok` holds, or fails with the last screen after a deadline.
    fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; the screen was:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Tmux {
    /// A shell of `width`×`height` running the browser on `db` (its exit code echoed as
    /// `EXIT:n` when it ends), once the whole events table shows; with that first screen.
    fn browser(width: u16, height: u16, db: &Path) -> (Tmux, String) {
        Tmux::browser_in(width, height, db, "sh")
    }

    fn browser_in(width: u16, height: u16, db: &Path, shell: &str) -> (Tmux, String) {
        Tmux::browser_with(width, height, db, shell, "")
    }

    /// As [`Tmux::browser_in`], with `env` (assignments such as `NO_COLOR=1 `) leading the
    /// command.
    fn browser_with(width: u16, height: u16, db: &Path, shell: &str, env: &str) -> (Tmux, String) {
        let tmux = Tmux::start_in(width, height, shell);
        tmux.wait_for("the shell prompt", |s| s.contains('$'));
        tmux.type_text(&format!(
            "{env}'{}' --db '{}'; echo \"EXIT:$?\"",
            env!("CARGO_BIN_EXE_spacedip"),
            db.display()
        ));
        tmux.send(&["Enter"]);
        let screen = tmux.wait_for("the events table", |s| {
            counts(s).is_some_and(|(shown, total)| shown == total && total > 0)
        });
        (tmux, screen)
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

fn tmux_present() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The status bar's "shown / total".
fn counts(screen: &str) -> Option<(usize, usize)> {
    let status = screen.lines().rev().find(|l| l.contains(" / "))?;
    let mut parts = status.split_whitespace();
    let shown = parts.next()?.parse().ok()?;
    (parts.next()? == "/").then_some(())?;
    let total = parts.next()?.parse().ok()?;
    Some((shown, total))
}

/// Whether a screen captured with its escapes sets a foreground or background colour
/// anywhere: an SGR sequence with a parameter 30–38, 40–48, 90–97 or 100–107 (39 and 49, the
/// default colours, are not colours).
fn sets_a_colour(screen: &str) -> bool {
    screen.split("\x1b[").skip(1).any(|rest| {
        let params = rest.split('m').next().unwrap_or("");
        rest.contains('m')
            && params
                .chars()
                .all(|c| c.is_ascii_digit() || c == ';' || c == ':')
            && params.split([';', ':']).any(|p| {
                matches!(
                    p.parse::<u16>(),
                    Ok(30..=38 | 40..=48 | 90..=97 | 100..=107)
                )
            })
    })
}

/// False when tmux is missing and SPACEDIP_SKIP_TMUX=1 allows skipping; panics otherwise.
fn tmux_or_skip() -> bool {
    if tmux_present() {
        return true;
    }
    if std::env::var("SPACEDIP_SKIP_TMUX").as_deref() == Ok("1") {
        eprintln!("tmux is missing; skipped because SPACEDIP_SKIP_TMUX=1");
        return false;
    }
    panic!(
        "tmux is required for the end-to-end TUI test: install it (`.ci/run` does) or set SPACEDIP_SKIP_TMUX=1 to skip this test"
    );
}

#[test]
fn browser_end_to_end_in_tmux() {
    if !tmux_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.db");
    let (tmux, screen) = Tmux::browser(100, 30, &db);
    let (_, total) = counts(&screen).unwrap();
    assert!(
        screen.contains("[Events]") && screen.contains("Title"),
        "{screen}"
    );
    assert_eq!(
        tmux.display("#{alternate_on}"),
        "1",
        "runs on the alternate screen"
    );

    // Search, live: a partner's name narrows the list to its events.
    tmux.send(&["/"]);
    tmux.type_text("pakistan");
    let screen = tmux.wait_for("search results", |s| {
        s.contains("--search pakistan") && counts(s).is_some_and(|(n, t)| n < t && n > 0)
    });
    assert!(screen.contains("Pakistan"), "{screen}");
    let (searched, _) = counts(&screen).unwrap();
    tmux.send(&["Enter"]);

    // The channel key: all → multilateral → UN → bilateral.
    tmux.send(&["c", "c", "c"]);
    let screen = tmux.wait_for("the bilateral cut", |s| {
        s.contains("--channel bilateral --search pakistan")
            && counts(s).is_some_and(|(n, _)| n < searched)
    });
    let rows: Vec<&str> = screen
        .lines()
        .filter(|l| l.contains(" bilat ") || l.contains(" natl ") || l.contains(" UN "))
        .collect();
    assert!(!rows.is_empty(), "{screen}");
    assert!(
        rows.iter().all(|l| l.contains("▲ bilat")),
        "only bilateral events remain:\n{screen}"
    );

    // Help for the table, generated from the key table.
    tmux.send(&["?"]);
    let screen = tmux.wait_for("the help overlay", |s| s.contains("Keys · Events table"));
    assert!(screen.contains("cycle the channel cut"), "{screen}");

    // Quit: the process ends with 0 and the terminal is as before.
    tmux.send(&["q"]);
    let screen = tmux.wait_for("the shell again", |s| s.contains("EXIT:0"));
    assert!(!screen.contains("Keys · Events table"), "{screen}");
    assert_eq!(
        tmux.display("#{alternate_on}"),
        "0",
        "alternate screen left"
    );
    assert_eq!(
        tmux.display("#{mouse_any_flag}#{mouse_button_flag}#{mouse_all_flag}#{mouse_sgr_flag}"),
        "0000",
        "mouse capture off"
    );
    assert_eq!(tmux.display("#{cursor_flag}"), "1", "cursor shown");
    tmux.type_text("stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo | tr '\\n' +");
    tmux.send(&["Enter"]);
    tmux.wait_for("the terminal modes", |s| s.contains("icanon+echo+"));
    assert!(Path::new(&db).exists());
    assert!(total >= searched);
}

impl Tmux {
    /// Pastes `text` as a terminal does: bracketed when the program asked for it (`-p`).
    fn paste(&self, text: &str) {
        let out = self.run(&["set-buffer", "--", text]);
        assert!(out.status.success(), "set-buffer: {out:?}");
        let out = self.run(&["paste-buffer", "-p", "-t", "e2e"]);
        assert!(out.status.success(), "paste-buffer: {out:?}");
    }
}

/// A pasted text is typed into the search box whole, its line break a space; pasted over the
/// table, its letters run no command (`q` would quit, `d` delete); and the shell gets plain
/// pastes back when the browser ends.
#[test]
fn a_paste_is_typed_into_the_search_box_and_never_run_as_keys() {
    if !tmux_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("paste.db");
    let (tmux, screen) = Tmux::browser(100, 30, &db);
    let (_, total) = counts(&screen).unwrap();

    tmux.send(&["/"]);
    std::thread::sleep(Duration::from_millis(200));
    tmux.paste("pakistan\nq");
    let screen = tmux.wait_for("the pasted search", |s| {
        s.contains("--search 'pakistan q'") && counts(s).is_some_and(|(n, t)| n < t)
    });
    assert!(!screen.contains("EXIT:"), "{screen}");

    // Over the table a paste does nothing at all.
    tmux.send(&["C-u", "Enter"]);
    tmux.wait_for("every event again", |s| {
        counts(s) == Some((total, total)) && !s.contains("--search")
    });
    tmux.paste("qdq");
    std::thread::sleep(Duration::from_millis(300));
    let screen = tmux.screen();
    assert_eq!(counts(&screen), Some((total, total)), "{screen}");
    assert!(!screen.contains("EXIT:"), "{screen}");

    tmux.send(&["q"]);
    tmux.wait_for("the shell again", |s| s.contains("EXIT:0"));
    tmux.paste("echo PLAIN-PASTE");
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for("the pasted command's output", |s| {
        s.lines().any(|l| l.trim() == "PLAIN-PASTE")
    });
    assert!(
        !screen.contains("200~"),
        "bracketed paste left on:\n{screen}"
    );
}

#[test]
fn add_delete_and_undo_end_to_end_in_tmux() {
    if !tmux_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("edit.db");
    let (tmux, screen) = Tmux::browser(100, 30, &db);
    let (_, total) = counts(&screen).unwrap();

    // `a` opens the form; fill a minimal valid event, one field at a time.
    tmux.send(&["a"]);
    tmux.wait_for("the form", |s| s.contains("New event"));
    for (i, cell) in [
        "E2E-1",
        "2024-05-01",
        "",
        "ILRS",
        "mou",
        "bilateral",
        "",
        "",
        "",
        "End-to-end test event",
        "",
        "",
        "CHN:signatory",
        "",
        "li2023",
    ]
    .iter()
    .enumerate()
    {
        if !cell.is_empty() {
            tmux.type_text(cell);
        }
        if i < 14 {
            tmux.send(&["Tab"]);
        }
    }
    tmux.wait_for("the last field typed", |s| s.contains("li2023"));
    // Enter on the last field saves.
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for("the new event in the table", |s| {
        !s.contains("New event")
            && s.contains("End-to-end test event")
            && counts(s).is_some_and(|(_, t)| t == total + 1)
    });
    assert!(screen.contains("added E2E-1"), "{screen}");

    // `d` asks; `y` deletes the selected (new) event.
    tmux.send(&["d"]);
    tmux.wait_for("the question", |s| s.contains("Delete E2E-1"));
    tmux.send(&["y"]);
    let screen = tmux.wait_for("the event gone", |s| {
        s.contains("deleted E2E-1") && counts(s).is_some_and(|(_, t)| t == total)
    });
    assert!(!screen.contains("End-to-end test event"), "{screen}");

    // `u` undoes the deletion.
    tmux.send(&["u"]);
    tmux.wait_for("the event back", |s| {
        s.contains("undone: deleted E2E-1")
            && s.contains("End-to-end test event")
            && counts(s).is_some_and(|(_, t)| t == total + 1)
    });
    tmux.send(&["q"]);
    tmux.wait_for("the shell again", |s| s.contains("EXIT:0"));

    // History recorded all three changes.
    let out = Command::new(env!("CARGO_BIN_EXE_spacedip"))
        .args(["--db", db.to_str().unwrap(), "history", "E2E-1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    let ops: Vec<&str> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().nth(4))
        .collect();
    assert_eq!(ops, ["insert", "delete", "undo"], "{text}");
}

#[test]
fn view_before_a_subcommand_is_refused() {
    assert_cmd::cargo::cargo_bin_cmd!("spacedip")
        .args(["--view", "mine", "list"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--view before a subcommand opens the browser on a view",
        ));
}

#[test]
fn the_browser_opens_on_a_saved_view_in_tmux() {
    if !tmux_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("views.db");
    let bin = env!("CARGO_BIN_EXE_spacedip");
    assert_cmd::cargo::cargo_bin_cmd!("spacedip")
        .arg("--db")
        .arg(&db)
        .args([
            "list",
            "--channel",
            "bilateral",
            "--save-view",
            "bilateral only",
        ])
        .assert()
        .success();
    let tmux = Tmux::start(100, 30);
    tmux.wait_for("the shell prompt", |s| s.contains('$'));
    tmux.type_text(&format!(
        "'{bin}' --db '{}' --view nope; echo \"EXIT:$?\"",
        db.display()
    ));
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for("the refusal", |s| s.contains("EXIT:2"));
    assert!(
        screen.contains("unknown view 'nope' (saved views: bilateral only)"),
        "{screen}"
    );
    tmux.type_text(&format!(
        "clear; '{bin}' --db '{}' --view 'bilateral only'; echo \"EXIT:$?\"",
        db.display()
    ));
    tmux.send(&["Enter"]);
    tmux.wait_for("the view applied", |s| {
        s.contains("view 'bilateral only' applied")
            && s.contains("--channel bilateral")
            && counts(s).is_some_and(|(n, t)| n < t && n > 0)
    });
    // The picker lists it too.
    tmux.send(&["v"]);
    tmux.wait_for("the picker", |s| {
        s.contains("Saved views (1)") && s.contains("= current")
    });
    tmux.send(&["Escape"]);
    tmux.wait_for("the picker closed", |s| !s.contains("Saved views ("));
    tmux.send(&["q"]);
    tmux.wait_for("the shell again", |s| s.contains("EXIT:0"));
}

/// The Compare view at 120×40, as it is checked: CSS against ILRS on the seed, another pair,
/// the formula overlay, and a clean exit.
#[test]
fn compare_view_end_to_end_in_tmux() {
    if !tmux_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("compare.db");
    let (tmux, _) = Tmux::browser(120, 40, &db);
    // The programme cards give density at the decision year and at T; `i` lists the
    // institutions behind it, with why the others are left out.
    tmux.send(&["Tab"]);
    let screen = tmux.wait_for("the programme cards", |s| {
        s.contains("t*2015") && s.contains("t*2020")
    });
    assert!(screen.contains("density"), "{screen}");
    tmux.send(&["i"]);
    let screen = tmux.wait_for("the institutions of CSS", |s| {
        s.contains("Institutions behind the density") && s.contains("decision year t* 2015")
    });
    assert!(screen.contains("Left out, and why"), "{screen}");
    assert!(screen.contains("ISS_IGA"), "{screen}");
    tmux.send(&["Escape", "Tab"]);
    let screen = tmux.wait_for("the Compare view", |s| {
        s.contains("[Compare]") && s.contains("embeddedness E (coverage)")
    });
    assert!(screen.contains("CSS China Space Station"), "{screen}");
    assert!(
        screen.contains("Events per year by channel, 2011–2025"),
        "{screen}"
    );
    let row = |s: &str, label: &str| {
        s.lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("no {label} row in\n{s}"))
            .split_whitespace()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    // The figures of `spacedip compare CSS ILRS`.
    assert_eq!(
        row(&screen, "UN share")[2..],
        ["0.280", "0.000"],
        "{screen}"
    );
    assert_eq!(row(&screen, "centralisation C")[2..], ["0.913", "0.685"]);
    assert_eq!(row(&screen, "events")[1..], ["25", "49"]);
    // Below the measures: density at each decision year and the claims' verdicts.
    tmux.send(&["G"]);
    let screen = tmux.wait_for("the claims", |s| s.contains("Claims of Li & Mayer"));
    assert_eq!(
        row(&screen, "decision year t*")[3..],
        ["2015", "2020"],
        "{screen}"
    );
    assert_eq!(row(&screen, "exogenous at t*")[3..], ["7", "7"], "{screen}");
    assert!(screen.contains("contradicted in 4 of 4"), "{screen}");
    tmux.send(&["g"]);
    // Another pair: the next programme on the right.
    tmux.send(&["}"]);
    let screen = tmux.wait_for("CSS against ARTEMIS", |s| s.contains("vs  ARTEMIS"));
    assert_eq!(row(&screen, "events")[1..], ["25", "19"], "{screen}");
    // The formulas, from the same text as the README's Methods.
    tmux.send(&["m"]);
    tmux.wait_for("the formula overlay", |s| {
        s.contains("Formulas of the measures") && s.contains("Δ = 2m / (n(n−1))")
    });
    tmux.send(&["Escape", "q"]);
    let screen = tmux.wait_for("the exit", |s| s.contains("EXIT:"));
    assert!(screen.contains("EXIT:0"), "{screen}");
}

#[test]
fn a_terminated_browser_restores_the_terminal_and_closes_the_database() {
    if !tmux_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("term.db");
    let (tmux, _) = Tmux::browser(100, 30, &db);
    // The shell is the pane's process; the browser is its child.
    let shell = tmux.display("#{pane_pid}");
    let pid = child_of(&shell).expect("the browser runs under the pane's shell");
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    tmux.wait_for("the shell again", |s| s.contains("EXIT:0"));
    assert_eq!(
        tmux.display("#{alternate_on}"),
        "0",
        "alternate screen left"
    );
    assert_eq!(
        tmux.display("#{mouse_any_flag}"),
        "0",
        "mouse reporting off"
    );
    let wal = dir.path().join("term.db-wal");
    assert!(
        !wal.exists(),
        "the database was closed and its log folded in"
    );
}

/// The pid of a child process of `parent`, read from /proc (no procps needed).
fn child_of(parent: &str) -> Option<String> {
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .find_map(|entry| {
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            // "pid (comm) state ppid …": the command name may hold spaces, so split after ')'.
            let ppid = stat.rsplit_once(')')?.1.split_whitespace().nth(1)?;
            (ppid == parent).then(|| entry.file_name().to_string_lossy().into_owned())
        })
}

#[test]
fn a_closed_terminal_ends_the_browser_instead_of_leaving_it_spinning() {
    if !tmux_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hup.db");
    let (tmux, _) = Tmux::browser(100, 30, &db);
    let shell = tmux.display("#{pane_pid}");
    let pid = child_of(&shell).expect("the browser runs under the pane's shell");
    // Closing the terminal under it, as a killed pane or a dropped connection does.
    let out = tmux.run(&["kill-server"]);
    assert!(out.status.success(), "{out:?}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::path::Path::new(&format!("/proc/{pid}")).exists() {
        let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        if state
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'))
        {
            break; // exited, not yet reaped by its (dead) parent's successor
        }
        assert!(
            Instant::now() < deadline,
            "the browser outlived its terminal"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        !dir.path().join("hup.db-wal").exists(),
        "the database was closed"
    );
}

/// NO_COLOR set and not empty: the browser's first screen sets no colour at all; set but
/// empty (which does not count, no-color.org): it has colours, so the check can see them.
#[test]
fn no_color_in_the_environment_leaves_the_terminal_without_colour() {
    if !tmux_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("colour.db");
    for (env, colour) in [("NO_COLOR=1 ", false), ("NO_COLOR= ", true)] {
        let (tmux, _) = Tmux::browser_with(100, 30, &db, "sh", env);
        let screen = tmux.screen_with_escapes();
        assert!(screen.contains("[Events]"), "{env}: {screen:?}");
        assert_eq!(sets_a_colour(&screen), colour, "{env}: {screen:?}");
        tmux.send(&["q"]);
        tmux.wait_for("the shell again", |s| s.contains("EXIT:0"));
    }
}

/// Ctrl-Z gives the shell back with the terminal restored; `fg` brings the browser back,
/// redrawn; `q` then leaves with exit code 0.
#[test]
fn ctrl_z_suspends_and_fg_resumes_in_tmux() {
    if !tmux_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("suspend.db");
    let (tmux, _) = Tmux::browser_in(100, 30, &db, "bash --norc --noprofile -i");
    tmux.send(&["C-z"]);
    let screen = tmux.wait_for("the shell", |s| {
        s.contains("Stopped") && !s.contains("?:help")
    });
    assert!(!screen.contains("[Events]"), "{screen}");
    tmux.type_text("fg");
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for("the browser again", |s| {
        s.contains("[Events]")
            && counts(s).is_some_and(|(shown, total)| shown == total && total > 0)
    });
    assert!(screen.contains("?:help"), "{screen}");
    tmux.send(&["q"]);
    // The shell already ran `echo EXIT:$?` when the job stopped (148): wait for its prompt.
    tmux.wait_for("the prompt after the browser", |s| {
        s.lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| l.trim() == "$")
    });
}

/// On an 80-column terminal the CLI's tables fit: columns give way (named on stderr) rather
/// than lines wrapping. `capture-pane -J` joins wrapped lines, so a wrap would show.
#[test]
fn cli_tables_fit_an_80_column_terminal() {
    if !tmux_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fit.db");
    let tmux = Tmux::start(80, 120);
    tmux.wait_for("the shell prompt", |s| s.contains('$'));
    let bin = env!("CARGO_BIN_EXE_spacedip");
    let db = db.display();
    tmux.type_text(&format!(
        "clear; '{bin}' --db '{db}' list -p CSS -c un; '{bin}' --db '{db}' stats; '{bin}' --db '{db}' programmes; '{bin}' --db '{db}' compare CSS ILRS --by-year; echo DONE"
    ));
    tmux.send(&["Enter"]);
    tmux.wait_for("the tables", |s| s.contains("DONE") && s.contains("TOTAL"));
    let out = tmux.run(&["capture-pane", "-p", "-J", "-t", "e2e"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let long: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains("echo DONE") && !l.starts_with("spacedip: created"))
        .filter(|l| l.chars().count() > 80)
        .collect();
    assert!(long.is_empty(), "lines over 80 columns: {long:?}");
    assert!(
        text.contains("PARTNERS hidden to fit 80 columns (--wide shows all)"),
        "{text}"
    );
    // Stats hides more columns than a line can name: as many as fit, and how many more.
    assert!(
        text.contains("more hidden to fit 80 columns (--wide shows all)"),
        "{text}"
    );
    assert!(text.contains("◆ UN"), "{text}");
}
