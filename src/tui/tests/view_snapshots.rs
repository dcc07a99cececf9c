//! Snapshots of every view at 80×24 and 160×48 on the fixture data, plus wide characters,
//! inert control characters, NO_COLOR, and what every view keeps at any size.

use std::ffi::OsStr;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;

use super::{mini_dataset, Kit};
use crate::domain::{Channel, Event, Kind, Party, Role, SourceRef};
use crate::tui::layout::{View, MIN_SIZE};
use crate::tui::views::theme::Theme;
use crate::tui::Action::{self, *};

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

/// Snapshots the screen after `actions` at both sizes.
fn snap(name: &str, actions: &[Action], search: Option<&str>) {
    for (w, h) in SIZES {
        let mut kit = Kit::mini(w, h);
        kit.act(actions);
        if let Some(s) = search {
            kit.act(&[StartSearch]).type_text(s);
        }
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), kit.draw().backend());
    }
}

#[test]
fn events_table() {
    snap("events", &[], None);
}

#[test]
fn events_sorted_by_programme_descending() {
    snap("sorted", &[CycleSort, ReverseSort], None);
}

#[test]
fn search_typing_narrows_and_highlights() {
    snap("search", &[], Some("uae"));
}

#[test]
fn a_long_query_stays_readable_while_typing() {
    // At 80 columns the hint gives way, and the end of the query stays in view.
    snap("search_long", &[], Some("partner:uae kind:mou title:rover"));
}

#[test]
fn channel_cut_bilateral() {
    snap(
        "channel_bilateral",
        &[CycleChannel, CycleChannel, CycleChannel],
        None,
    );
}

#[test]
fn facet_panel_with_a_picked_programme() {
    snap("facets", &[FocusFacets, Down, Activate], None);
}

#[test]
fn detail_pane() {
    snap("detail", &[Down, Activate], None);
}

#[test]
fn programme_cards() {
    snap("programmes", &[SwitchView], None);
}

#[test]
fn help_overlays() {
    snap("help_events", &[ToggleHelp], None);
    snap("help_detail", &[Activate, ToggleHelp], None);
    snap("help_programmes", &[SwitchView, ToggleHelp], None);
    snap("help_search", &[StartSearch, ToggleHelp], None);
    snap("help_facets", &[FocusFacets, ToggleHelp], None);
}

/// The programme cards and Compare's data still being counted (seconds, over hundreds of
/// programmes) are said to be, not missing; once the worker's answer is in, they show.
#[test]
fn views_being_counted_say_so() {
    // The view (so many switches away), the size, what it says meanwhile, what it must not
    // say then, and what shows once the answer is in.
    let views = [
        (
            1,
            (80, 24),
            "Counting the programmes…",
            "No programme.",
            "CSS",
        ),
        (2, (100, 30), "Counting CSS and ILRS…", "Neither", "ILRS"),
    ];
    for (switches, (w, h), counting, missing, shown) in views {
        let mut kit = Kit::mini(w, h);
        for _ in 1..switches {
            kit.app.update(SwitchView);
            kit.pump();
        }
        // The worker has not answered the view's request yet.
        kit.app.update(SwitchView);
        let screen = kit.screen();
        assert!(screen.contains(counting), "{screen}");
        assert!(!screen.contains(missing), "{screen}");
        kit.pump();
        let screen = kit.screen();
        assert!(!screen.contains("Counting"), "{screen}");
        assert!(screen.contains(shown), "{screen}");
    }
}

/// Summaries that failed are said to have failed, never to be still counting.
#[test]
fn failed_summaries_are_not_still_counting() {
    use crate::error::Error;
    use crate::tui::worker::{QueryFailure, Reply};
    let mut kit = Kit::mini(100, 30);
    kit.app.update(SwitchView);
    let asked = kit.app.take_request().expect("the cards are asked for");
    let failure = QueryFailure::from(Error::Internal("disk I/O error".into()));
    kit.app.receive(Reply::Summaries {
        generation: asked.generation,
        outcome: Err(failure.clone()),
    });
    let screen = kit.screen();
    assert!(screen.contains("could not be counted"), "{screen}");
    assert!(!screen.contains("Counting"), "{screen}");
    kit.app.update(SwitchView);
    let asked = kit.app.take_request().expect("Compare asks for its data");
    kit.app.receive(Reply::Summaries {
        generation: asked.generation,
        outcome: Err(failure),
    });
    let screen = kit.screen();
    assert!(
        screen.contains("CSS and ILRS could not be compared"),
        "{screen}"
    );
    assert!(!screen.contains("Counting"), "{screen}");
}

#[test]
fn no_match() {
    snap("no_match", &[], Some("zzzz"));
}

#[test]
fn too_small_terminal() {
    let kit = Kit::mini(40, 10);
    insta::assert_snapshot!("too_small_40x10", kit.draw().backend());
}

/// The fixture plus an event with a Chinese title, and one whose text tries to drive the
/// terminal with escape sequences.
fn tricky_dataset() -> crate::domain::Dataset {
    let mut data = mini_dataset();
    let base = Event {
        id: "CSS-99".into(),
        date: "2023-05".parse().expect("date"),
        end_date: None,
        programme: "CSS".into(),
        kind: Kind::Statement,
        channel: Channel::National,
        valence: Default::default(),
        venue: None,
        follows: None,
        title: "中国载人航天工程办公室发布公告：空间站国际合作".into(),
        summary: "A test event with a Chinese title.".into(),
        notes: String::new(),
        parties: vec![Party {
            actor: "CMSA".into(),
            role: Role::Lead,
            certainty: Default::default(),
        }],
        institutions: vec![],
        sources: vec![SourceRef {
            source: "unoosa2018a".into(),
            locator: None,
        }],
    };
    let mut evil = base.clone();
    evil.id = "CSS-98".into();
    evil.date = "2023-04".parse().expect("date");
    evil.title = "Bell\x07 and \x1b[31mred\x1b[0m \x1b]0;pwned\x07 title".into();
    evil.summary = "Line\nbreak and \u{202e}bidi override".into();
    data.events.push(base);
    data.events.push(evil);
    data
}

#[test]
fn wide_characters_align_and_control_characters_are_inert() {
    for (w, h) in SIZES {
        let mut kit = Kit::with(&tricky_dataset(), w, h);
        kit.act(&[Bottom]);
        let screen = kit.screen();
        assert!(
            !screen.contains('\x1b') && !screen.contains('\x07'),
            "{screen}"
        );
        assert!(screen.contains("␛[31mred"), "{screen}");
        // Every row is exactly the terminal's width: wide characters take two columns.
        for line in screen.lines() {
            assert_eq!(crate::text::width(line), usize::from(w), "{line}");
        }
        insta::assert_snapshot!(format!("tricky_{w}x{h}"), kit.draw().backend());
        kit.act(&[Activate]);
        let detail = kit.screen();
        assert!(detail.contains("中国载人航天工程办公室"), "{detail}");
        assert!(!detail.contains('\u{202e}'));
    }
}

#[test]
fn no_color_means_no_colour_anywhere() {
    // NO_COLOR as the environment holds it: unset, set and not empty, and set but empty (which
    // no-color.org says does not count), through the choice the browser makes at start.
    for (value, colour) in [(None, true), (Some("1"), false), (Some(""), true)] {
        let mut kit = Kit::mini(160, 48);
        kit.app.theme = Theme::for_no_color(value.map(OsStr::new));
        for actions in [
            &[][..],
            &[FocusFacets][..],
            &[Back, SwitchView][..],
            &[ToggleHelp][..],
        ] {
            kit.act(actions);
            let t = kit.draw();
            let mut coloured = false;
            for cell in t.backend().buffer().content() {
                let plain = cell.fg == Color::Reset && cell.bg == Color::Reset;
                assert!(plain || colour, "NO_COLOR={value:?}: {cell:?}");
                coloured |= !plain;
            }
            assert_eq!(coloured, colour, "NO_COLOR={value:?} after {actions:?}");
        }
    }
}

/// The text of the rows of `area` in `buf`, one string per row.
fn rows_of(buf: &Buffer, area: Rect) -> Vec<String> {
    (area.y..area.bottom())
        .map(|y| {
            (area.x..area.right())
                .map(|x| buf[(x, y)].symbol())
                .collect()
        })
        .collect()
}

#[test]
fn every_view_survives_resizing() {
    // The seed, with its last event selected: in a short terminal the table must scroll to it.
    let db = crate::db::Db::open_seeded_in_memory().expect("seed");
    let mut kit = Kit::on(db, 160, 48);
    for actions in [
        &[Bottom][..],
        &[FocusFacets][..],
        &[Back, Activate][..],
        &[Back, SwitchView][..],
    ] {
        kit.act(actions);
        for (w, h) in [(80, 24), (60, 15), (59, 14), (200, 60), (1, 1), (80, 24)] {
            kit.act(&[Resize(w, h)]);
            let t = kit.draw();
            let buf = t.backend().buffer();
            let at = format!("{w}×{h} after {actions:?}");
            let areas = kit.app.areas_in(buf.area);
            let rows = rows_of(buf, buf.area);
            if w < MIN_SIZE.0 || h < MIN_SIZE.1 {
                // Below the minimum only the message shows, as much of it as fits.
                assert!(areas.too_small, "{at}");
                let msg = format!(
                    "spacedip needs at least {}×{} (now {w}×{h}); enlarge the terminal or press q",
                    MIN_SIZE.0, MIN_SIZE.1
                );
                let shown = rows
                    .join(" ")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                assert!(
                    !shown.is_empty() && msg.starts_with(&shown),
                    "{at}: {shown}"
                );
                if w >= 40 {
                    assert_eq!(shown, msg, "{at}");
                }
                continue;
            }
            // Every row fills the width exactly: nothing cut in half or pushed past the edge.
            for line in kit.screen().lines() {
                assert_eq!(crate::text::width(line), usize::from(w), "{at}: {line}");
            }
            // The header with the active tab, and the status bar with the count, always.
            let tab = match kit.app.view {
                View::Events => "[Events]",
                View::Programmes => "[Programmes]",
                View::Compare => "[Compare]",
            };
            assert!(rows[0].starts_with(" spacedip │"), "{at}: {}", rows[0]);
            assert!(rows[0].contains(tab), "{at}: {}", rows[0]);
            let count = format!(" {} / {} │", kit.app.count, kit.app.total);
            let status = &rows[usize::from(h) - 1];
            assert!(status.starts_with(&count), "{at}: {status}");
            assert_eq!(kit.app.selected + 1, kit.app.count, "{at}");
            // The selected row stays on screen: its marker is on one row of the table.
            if let Some(table) = areas.table {
                let marked: Vec<u16> = (table.y + 1..table.bottom())
                    .filter(|&y| buf[(table.x, y)].symbol() == "▶")
                    .collect();
                assert_eq!(marked.len(), 1, "{at}:\n{}", kit.screen());
            }
            let selected = kit.app.selected_event().expect("the selected row is held");
            if let Some(detail) = areas.detail {
                let text = rows_of(buf, detail).concat();
                assert!(text.contains(&selected.event.id), "{at}:\n{}", kit.screen());
            }
            if let Some(cards) = areas.cards {
                assert!(rows_of(buf, cards)[0].contains("CSS · "), "{at}");
            }
            let shown = [areas.table, areas.detail, areas.cards]
                .iter()
                .flatten()
                .count();
            assert!(shown > 0, "{at}: a body is drawn");
        }
    }
}

#[test]
fn matched_characters_are_highlighted_in_the_table() {
    let mut kit = Kit::mini(80, 24);
    kit.act(&[StartSearch]).type_text("eight");
    let t = kit.draw();
    let buf = t.backend().buffer();
    // Row 2 is the first event: "Eight states found the Artemis Accords".
    let row: String = (0..80u16).map(|x| buf[(x, 2)].symbol()).collect();
    let title_x = row.find("Eight").expect("the title is on row 2");
    let title_x = crate::text::width(&row[..title_x]) as u16;
    let matched = kit.app.theme.matched();
    for x in title_x..title_x + 5 {
        let cell = &buf[(x, 2)];
        assert!(cell.modifier.contains(matched.add_modifier), "{cell:?}");
    }
    assert!(!buf[(title_x + 6, 2)]
        .modifier
        .contains(ratatui::style::Modifier::UNDERLINED));
}

#[test]
fn source_urls_are_links_where_the_terminal_takes_them() {
    let mut kit = Kit::mini(160, 48);
    let links = |kit: &Kit| {
        let t = kit.draw();
        t.backend()
            .buffer()
            .content()
            .iter()
            .filter(|c| c.symbol().starts_with("\u{1b}]8;;https://"))
            .count()
    };
    assert_eq!(links(&kit), 0, "off unless the loop turns them on");
    kit.app.links = true;
    let n = links(&kit);
    assert!(n > 10, "the detail pane's source URL is linked ({n} cells)");
    // Each linked cell shows the URL's own characters inside the sequence.
    let t = kit.draw();
    let shown: String = t
        .backend()
        .buffer()
        .content()
        .iter()
        .filter_map(|c| c.symbol().strip_prefix("\u{1b}]8;;"))
        .filter_map(|s| s.split_once("\u{1b}\\"))
        .map(|(_, rest)| rest.trim_end_matches("\u{1b}]8;;\u{1b}\\").to_string())
        .collect();
    assert!(shown.starts_with("https://"), "{shown}");
}

#[test]
fn a_card_gives_its_spare_rows_to_the_partner_list() {
    let db = crate::db::Db::open_seeded_in_memory().unwrap();
    let mut kit = Kit::on(db, 80, 24);
    kit.act(&[SwitchView]);
    let screen = kit.screen();
    let rows: Vec<&str> = screen.lines().collect();
    // The right card (ILRS, with the most partners): the rows of names between its
    // `partners` and `network` lines.
    let right: Vec<String> = rows.iter().map(|r| r.chars().skip(40).collect()).collect();
    let at = |label: &str| right.iter().position(|r| r.starts_with(label)).unwrap();
    let (partners, network) = (at("│partners"), at("│network"));
    assert!(
        network - partners > 2,
        "partner names take several rows:\n{screen}"
    );
    assert!(
        !right[network - 1].contains('…'),
        "the whole list fits:\n{screen}"
    );
    // No blank rows under the card row: the card reaches down to the note above the status.
    assert!(rows[rows.len() - 3].starts_with('└'), "{screen}");
}
