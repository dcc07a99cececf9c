//! Redraw time after a keystroke, on the seed data: `cargo bench --bench tui_redraw`.
//!
//! For each keystroke the app is updated and the whole screen drawn, as the event loop does;
//! keys that change the filter also run their query (in the app that happens on the worker
//! thread while the UI keeps drawing, so the query time is reported apart). Drawing goes
//! through crossterm into a sink, so the escape sequences are produced but no terminal is
//! needed. The target is one frame at 60 Hz: 16 ms.

use std::io::Sink;
use std::time::{Duration, Instant};

use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use spacedip::db::Db;
use spacedip::tui::action::TextEdit;
use spacedip::tui::layout::Drawn;
use spacedip::tui::views::{self, theme::Theme};
use spacedip::tui::{worker, Action, App};

fn terminal(w: u16, h: u16) -> Terminal<CrosstermBackend<Sink>> {
    Terminal::with_options(
        CrosstermBackend::new(std::io::sink()),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, w, h)),
        },
    )
    .expect("terminal on a sink")
}

fn stats(mut v: Vec<Duration>) -> (Duration, Duration, Duration) {
    v.sort();
    let median = v[v.len() / 2];
    let p99 = v[(v.len() * 99 / 100).min(v.len() - 1)];
    (median, p99, v[v.len() - 1])
}

fn main() {
    let db = Db::open_seeded_in_memory().expect("seed");
    let catalog = db.catalog().expect("catalog");
    let events = db.count_events().expect("count");
    println!("seed: {events} events");
    let keys: Vec<(&str, Vec<Action>)> = vec![
        ("j (next row)", vec![Action::Down]),
        ("PgDn", vec![Action::PageDown]),
        ("Enter (detail)", vec![Action::Activate]),
        ("Esc (close)", vec![Action::Back]),
        ("f (facets)", vec![Action::FocusFacets]),
        ("j in facets", vec![Action::Down]),
        ("Esc", vec![Action::Back]),
        ("c (channel cut)", vec![Action::CycleChannel]),
        ("/", vec![Action::StartSearch]),
        ("p", vec![Action::Text(TextEdit::Input('p'))]),
        ("a", vec![Action::Text(TextEdit::Input('a'))]),
        ("k", vec![Action::Text(TextEdit::Input('k'))]),
        ("i", vec![Action::Text(TextEdit::Input('i'))]),
        ("Enter (keep)", vec![Action::SearchKeep]),
        ("Tab (programmes)", vec![Action::SwitchView]),
        ("m (formulas)", vec![Action::ToggleFormulas]),
        ("m (close)", vec![Action::ToggleFormulas]),
        ("Tab (compare)", vec![Action::SwitchView]),
        ("} (right programme)", vec![Action::PairRightNext]),
        ("j (scroll)", vec![Action::Down]),
        ("c in compare", vec![Action::CycleChannel]),
        ("Tab (events)", vec![Action::SwitchView]),
        ("x (clear)", vec![Action::ClearFilters]),
    ];
    // The Compare view's share of a query: every programme's per-year series.
    let all = db
        .events(&spacedip::domain::Filter::default(), &catalog)
        .expect("events");
    let series: Vec<Duration> = (0..200)
        .map(|_| {
            let start = Instant::now();
            let data = spacedip::tui::compare::CompareData::compute(&all, &catalog);
            std::hint::black_box(data);
            start.elapsed()
        })
        .collect();
    let (m, p99, max) = stats(series);
    println!("compare data (every programme: years, D, summaries): median {m:?}, p99 {p99:?}, max {max:?}");
    for (w, h) in [(80u16, 24u16), (160, 48)] {
        let mut term = terminal(w, h);
        let mut draws = Vec::new();
        let mut queries = Vec::new();
        let mut state = worker::State::default();
        for _round in 0..200 {
            let mut app = App::new(catalog.clone(), Theme::colour());
            app.update(Action::Resize(w, h));
            while let Some(r) = app.take_request() {
                app.receive(worker::Reply::Answer(worker::respond(
                    &db,
                    &catalog,
                    &mut worker::State::default(),
                    r,
                )));
            }
            for (_, actions) in &keys {
                for a in actions {
                    let start = Instant::now();
                    app.update(*a);
                    let mut drawn = Drawn::default();
                    term.draw(|f| drawn = views::render(f, &app)).expect("draw");
                    app.drawn(drawn);
                    draws.push(start.elapsed());
                    if let Some(r) = app.take_request() {
                        let start = Instant::now();
                        let response = worker::respond(&db, &catalog, &mut state, r);
                        queries.push(start.elapsed());
                        let start = Instant::now();
                        app.receive(worker::Reply::Answer(response));
                        let mut drawn = Drawn::default();
                        term.draw(|f| drawn = views::render(f, &app)).expect("draw");
                        app.drawn(drawn);
                        draws.push(start.elapsed());
                    }
                }
            }
        }
        let (m, p99, max) = stats(draws);
        println!("{w}x{h}: update + redraw per keystroke: median {m:?}, p99 {p99:?}, max {max:?}");
        let (m, p99, max) = stats(queries);
        println!(
            "{w}x{h}: query (worker thread: search + facets + cards + compare series): median {m:?}, p99 {p99:?}, max {max:?}"
        );
    }
    form(&db, &catalog);
}

/// The event form: every keystroke re-reads the cells with the import's parser and validation
/// and recomputes the hint line (matching actors among the seed's).
fn form(db: &Db, catalog: &spacedip::domain::Catalog) {
    use spacedip::tui::action::Edit;
    let mut keys: Vec<Action> = vec![Action::Edit(Edit::AddEvent)];
    keys.extend("ILRS-99".chars().map(|c| Action::Text(TextEdit::Input(c))));
    keys.extend([Action::Edit(Edit::NextField); 9]);
    keys.extend(
        "CHN:signatory;pakis"
            .chars()
            .map(|c| Action::Text(TextEdit::Input(c))),
    );
    keys.push(Action::Edit(Edit::NextValue));
    keys.extend([Action::Edit(Edit::Cancel), Action::Edit(Edit::Yes)]);
    for (w, h) in [(80u16, 24u16), (160, 48)] {
        let mut term = terminal(w, h);
        let mut draws = Vec::new();
        for _round in 0..200 {
            let mut app = App::new(catalog.clone(), Theme::colour());
            app.update(Action::Resize(w, h));
            while let Some(r) = app.take_request() {
                app.receive(worker::Reply::Answer(worker::respond(
                    db,
                    catalog,
                    &mut worker::State::default(),
                    r,
                )));
            }
            for a in &keys {
                let start = Instant::now();
                app.update(*a);
                let mut drawn = Drawn::default();
                term.draw(|f| drawn = views::render(f, &app)).expect("draw");
                app.drawn(drawn);
                draws.push(start.elapsed());
            }
        }
        let (m, p99, max) = stats(draws);
        println!("{w}x{h}: event form, update + check + redraw per keystroke: median {m:?}, p99 {p99:?}, max {max:?}");
    }
}
