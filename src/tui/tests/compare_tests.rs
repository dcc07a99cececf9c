//! The analytics of the browser: the Compare view, the figures on the programme cards and the
//! formula overlay; their snapshots, their keys and `App::update` on them, without a terminal.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;

use super::{mini_dataset, Kit};
use crate::domain::Filter;
use crate::metrics::{reference_year, Summary};
use crate::tui::action::TextEdit;
use crate::tui::facet::FacetValue;
use crate::tui::input::{bindings, map_key, Mode};
use crate::tui::layout::View;
use crate::tui::views::theme::Theme;
use crate::tui::Action::{self, *};

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (160, 48)];

/// Snapshots the screen after `actions` at the three sizes.
fn snap(name: &str, actions: &[Action]) {
    for (w, h) in SIZES {
        let mut kit = Kit::mini(w, h);
        kit.act(actions);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), kit.draw().backend());
    }
}

#[test]
fn compare_view() {
    snap("compare", &[SwitchView, SwitchView]);
}

#[test]
fn compare_view_of_another_pair_under_a_filter() {
    // CSS against ARTEMIS (`}` twice: ILRS → CHANGE… in the fixture: ARTEMIS), bilateral
    // only: CSS and ARTEMIS have no bilateral event, so the view says so.
    snap(
        "compare_css_artemis",
        &[SwitchView, SwitchView, PairRightNext],
    );
    let mut kit = Kit::mini(120, 40);
    kit.act(&[
        SwitchView,
        SwitchView,
        PairRightNext,
        CycleChannel,
        CycleChannel,
        CycleChannel,
    ]);
    insta::assert_snapshot!("compare_no_events_120x40", kit.draw().backend());
}

#[test]
fn programme_cards_with_figures() {
    // 80×24 and 160×48 are `view_snapshots::programme_cards`; this adds 120×40.
    let mut kit = Kit::mini(120, 40);
    kit.act(&[SwitchView]);
    insta::assert_snapshot!("programmes_120x40", kit.draw().backend());
    // Under `--programme ILRS` the CSS card stays, empty: its undefined measures show "–".
    let mut kit = Kit::mini(80, 24);
    kit.act(&[CycleProgramme, CycleProgramme, SwitchView]);
    let screen = kit.screen();
    assert!(
        screen.contains("share UN – UN+multi – bilat – natl –"),
        "{screen}"
    );
    assert!(screen.contains("E – (no partners)"), "{screen}");
    insta::assert_snapshot!("programmes_empty_css_80x24", kit.draw().backend());
}

#[test]
fn formula_overlay() {
    snap("formulas", &[SwitchView, ToggleFormulas]);
    let mut kit = Kit::mini(80, 24);
    kit.act(&[ToggleFormulas, Bottom]);
    insta::assert_snapshot!("formulas_bottom_80x24", kit.draw().backend());
}

#[test]
fn compare_help() {
    let mut kit = Kit::mini(80, 24);
    kit.act(&[SwitchView, SwitchView, ToggleHelp]);
    insta::assert_snapshot!("help_compare_80x24", kit.draw().backend());
    let screen = kit.screen();
    for text in ["left programme", "right programme", "swap", "formulas"] {
        assert!(screen.contains(text), "{text}:\n{screen}");
    }
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

#[test]
fn key_to_action_rows_of_the_new_keys() {
    let code = |c| KeyEvent::new(c, KeyModifiers::NONE);
    let cases: Vec<(Mode, KeyEvent, Option<Action>)> = vec![
        (Mode::Programmes, code(KeyCode::Tab), Some(SwitchView)),
        (Mode::Compare, code(KeyCode::Tab), Some(SwitchView)),
        (Mode::Compare, key('['), Some(PairLeftPrev)),
        (Mode::Compare, key(']'), Some(PairLeftNext)),
        (Mode::Compare, key('{'), Some(PairRightPrev)),
        (Mode::Compare, key('}'), Some(PairRightNext)),
        (Mode::Compare, key('s'), Some(PairSwap)),
        (Mode::Compare, key('j'), Some(Down)),
        (Mode::Compare, code(KeyCode::PageDown), Some(PageDown)),
        (Mode::Compare, key('G'), Some(Bottom)),
        (Mode::Compare, key('c'), Some(CycleChannel)),
        (Mode::Compare, key('x'), Some(ClearFilters)),
        (Mode::Compare, key('C'), Some(CopyCommand)),
        (Mode::Compare, key('/'), Some(StartSearch)),
        (Mode::Compare, code(KeyCode::Esc), Some(Back)),
        (Mode::Compare, key('?'), Some(ToggleHelp)),
        (Mode::Compare, key('q'), Some(Quit)),
        (Mode::Compare, key('p'), None),
        (Mode::Compare, key('m'), Some(ToggleFormulas)),
        (Mode::Browse, key('m'), Some(ToggleFormulas)),
        (Mode::Facets, key('m'), Some(ToggleFormulas)),
        (Mode::Detail, key('m'), Some(ToggleFormulas)),
        (Mode::Programmes, key('m'), Some(ToggleFormulas)),
        (Mode::Search, key('m'), Some(Text(TextEdit::Input('m')))),
        (Mode::Formulas, key('m'), Some(ToggleFormulas)),
        (Mode::Formulas, code(KeyCode::Esc), Some(ToggleFormulas)),
        (Mode::Formulas, key('j'), Some(Down)),
        (Mode::Formulas, key('k'), Some(Up)),
        (Mode::Formulas, key('g'), Some(Top)),
        (Mode::Formulas, key('q'), Some(Quit)),
        (
            Mode::Formulas,
            KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
            Some(Quit),
        ),
        (Mode::Formulas, key('['), None),
        // The year keys of the facets and the event keys of the detail keep their meaning.
        (Mode::Facets, key('['), Some(SinceYear)),
        (Mode::Detail, key(']'), Some(NextEvent)),
    ];
    for (mode, k, want) in cases {
        assert_eq!(map_key(mode, k), want, "{mode:?} {k:?}");
    }
}

#[test]
fn no_key_is_bound_twice_in_the_new_modes_and_reserved_keys_stay_free() {
    for mode in [Mode::Compare, Mode::Formulas] {
        let mut seen: Vec<String> = Vec::new();
        for b in bindings(mode) {
            for k in b.keys {
                let label = format!("{k:?}");
                assert!(!seen.contains(&label), "{mode:?}: {label} bound twice");
                seen.push(label);
            }
        }
    }
    // Keys other features take (export, editing, saved views) are not used here.
    for mode in [Mode::Compare, Mode::Formulas] {
        for c in ['a', 'E', 'd', 'u', 'S', 'e', 'v'] {
            assert_eq!(map_key(mode, key(c)), None, "{mode:?} {c}");
        }
    }
}

#[test]
fn tab_cycles_events_programmes_compare() {
    let mut kit = Kit::mini(80, 24);
    let mut seen = Vec::new();
    for _ in 0..4 {
        seen.push((kit.app.view, kit.app.mode()));
        kit.act(&[SwitchView]);
    }
    assert_eq!(
        seen,
        [
            (View::Events, Mode::Browse),
            (View::Programmes, Mode::Programmes),
            (View::Compare, Mode::Compare),
            (View::Events, Mode::Browse),
        ]
    );
    // Esc leaves the Compare view for the events; a click on its tab comes back.
    kit.act(&[SwitchView, SwitchView, Back]);
    assert_eq!(kit.app.view, View::Events);
    let x = (0..80).find(|&x| crate::tui::layout::tab_at(x) == Some(View::Compare));
    kit.act(&[Click(x.expect("a Compare tab"), 0)]);
    assert_eq!(kit.app.view, View::Compare);
}

#[test]
fn the_pair_keys_change_either_side_and_never_pick_one_programme_twice() {
    let mut kit = Kit::mini(80, 24);
    kit.act(&[SwitchView, SwitchView]);
    let pair = |kit: &Kit| (kit.app.compare.left.clone(), kit.app.compare.right.clone());
    assert_eq!(
        pair(&kit),
        ("CSS".into(), "ILRS".into()),
        "the default pair"
    );
    // The order is CSS, ILRS, then the catalog's: ARTEMIS. The left side skips ILRS.
    kit.act(&[PairLeftNext]);
    assert_eq!(pair(&kit), ("ARTEMIS".into(), "ILRS".into()));
    kit.act(&[PairLeftNext]);
    assert_eq!(pair(&kit), ("CSS".into(), "ILRS".into()), "it wraps");
    kit.act(&[PairLeftPrev]);
    assert_eq!(pair(&kit), ("ARTEMIS".into(), "ILRS".into()));
    kit.act(&[PairRightPrev]);
    assert_eq!(pair(&kit), ("ARTEMIS".into(), "CSS".into()));
    kit.act(&[PairRightNext, PairRightNext]);
    assert_eq!(
        pair(&kit),
        ("ARTEMIS".into(), "CSS".into()),
        "skips ARTEMIS"
    );
    kit.act(&[PairSwap]);
    assert_eq!(pair(&kit), ("CSS".into(), "ARTEMIS".into()));
    assert!(kit
        .app
        .status
        .as_ref()
        .unwrap()
        .text
        .contains("CSS with ARTEMIS"));
    // Changing the pair needs no new query: the data holds every programme.
    assert!(kit.app.take_request().is_none());
    let data = &kit.app.compare.data;
    let p = data.pair("CSS", "ARTEMIS").unwrap();
    assert_eq!((p.first, p.last), (2018, 2020));
    assert!(kit
        .screen()
        .contains("ARTEMIS Artemis Accords and programme"));
}

#[test]
fn the_compare_view_keeps_the_filter_but_not_its_programme() {
    let mut kit = Kit::mini(120, 40);
    // A year bound (from the year facet), then a programme filter (ILRS only).
    kit.act(&[FocusFacets]);
    kit.app.facet_cursor = kit
        .app
        .facet_rows
        .iter()
        .position(|r| r.value == FacetValue::Year(2020))
        .expect("a 2020 row");
    kit.act(&[SinceYear, Back, CycleProgramme, CycleProgramme]);
    assert_eq!(kit.app.filter.to_args(), "--programme ILRS --since 2020");
    kit.act(&[SwitchView, SwitchView]);
    // CSS is compared although the filter keeps ILRS only; its 2018 event is before 2019.
    let data = &kit.app.compare.data;
    let css = data.programme("CSS").unwrap();
    assert_eq!(css.first, None, "CSS-06 (2018) is outside --since 2020");
    let artemis = data.programme("ARTEMIS").unwrap();
    assert_eq!(
        artemis.first,
        Some(2020),
        "ARTEMIS is in, the programme filter is not"
    );
    let screen = kit.screen();
    assert!(
        screen.contains("--since 2020; the pair replaces the programme filter"),
        "{screen}"
    );
    kit.act(&[CopyCommand]);
    assert_eq!(
        kit.app.last_copied.as_deref(),
        Some("spacedip compare CSS ILRS --since 2020")
    );
}

#[test]
fn scrolling_the_compare_view_stops_at_its_end() {
    let mut kit = Kit::mini(80, 24);
    kit.act(&[SwitchView, SwitchView]);
    assert_eq!(kit.app.compare.scroll, 0);
    kit.act(&[Down, Down]);
    assert_eq!(kit.app.compare.scroll, 2);
    kit.act(&[Bottom]);
    let end = kit.app.compare.scroll;
    assert!(end > 2, "the view is longer than 22 lines at 80×24");
    kit.act(&[PageDown, Down, ScrollDown(10, 10)]);
    assert_eq!(kit.app.compare.scroll, end);
    let screen = kit.screen();
    assert!(screen.contains("Claims of Li & Mayer"), "{screen}");
    kit.act(&[Top]);
    assert_eq!(kit.app.compare.scroll, 0);
    // Tall enough for everything: nothing to scroll.
    kit.act(&[Resize(160, 72), Down]);
    assert_eq!(kit.app.compare.scroll, 0);
}

#[test]
fn the_formula_overlay_opens_over_any_view_scrolls_and_closes() {
    let mut kit = Kit::mini(80, 24);
    for actions in [
        &[][..],
        &[SwitchView][..],
        &[SwitchView][..],
        &[Activate][..],
    ] {
        kit.act(&[Back]);
        kit.act(actions);
        let under = kit.app.mode();
        kit.act(&[ToggleFormulas]);
        assert_eq!(kit.app.mode(), Mode::Formulas, "over {under:?}");
        kit.act(&[Down, Down]);
        assert_eq!(kit.app.compare.formula_scroll, 2);
        kit.act(&[ToggleHelp]);
        assert_eq!(
            (kit.app.mode(), kit.app.mode_under_help()),
            (Mode::Help, Mode::Formulas)
        );
        kit.act(&[ToggleHelp, ToggleFormulas]);
        assert_eq!(kit.app.mode(), under, "closing returns to {under:?}");
    }
    kit.act(&[ToggleFormulas, Bottom]);
    let end = kit.app.compare.formula_scroll;
    kit.act(&[Down]);
    assert_eq!(kit.app.compare.formula_scroll, end);
    assert!(kit.screen().contains("embeddedness"));
    kit.act(&[Click(40, 10)]);
    assert_ne!(kit.app.mode(), Mode::Formulas, "a click closes it");
}

#[test]
fn the_formula_overlay_shows_every_formula_of_metrics() {
    let mut kit = Kit::mini(160, 48);
    kit.act(&[ToggleFormulas]);
    let mut screen = String::new();
    // Page through it, collecting what shows.
    for _ in 0..4 {
        screen.push_str(&kit.screen());
        kit.act(&[PageDown]);
    }
    for f in crate::metrics::FORMULAS {
        assert!(screen.contains(f.measure), "{}", f.measure);
        let start: String = f.meaning.chars().take(30).collect();
        assert!(screen.contains(&start), "{start}\n{screen}");
    }
    assert!(screen.contains("Δ = 2m / (n(n−1))"));
}

#[test]
fn no_colour_in_the_new_views_under_no_color() {
    let mut kit = Kit::mini(120, 40);
    kit.app.theme = Theme::plain();
    for actions in [&[SwitchView][..], &[SwitchView][..], &[ToggleFormulas][..]] {
        kit.act(actions);
        let t = kit.draw();
        for cell in t.backend().buffer().content() {
            assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
        }
    }
    // Channels still read: by their glyphs.
    kit.act(&[ToggleFormulas]);
    let screen = kit.screen();
    for glyph in ['◆', '▲', '■'] {
        assert!(screen.contains(glyph), "{glyph}\n{screen}");
    }
}

#[test]
fn channel_glyphs_carry_their_colours_in_the_chart() {
    let mut kit = Kit::mini(120, 40);
    kit.act(&[SwitchView, SwitchView]);
    let t = kit.draw();
    let buf = t.backend().buffer();
    let theme = kit.app.theme;
    let mut seen = 0;
    for cell in buf.content() {
        let want = match cell.symbol() {
            "◆" => theme.channel(crate::domain::Channel::UnMultilateral),
            "▲" => theme.channel(crate::domain::Channel::Bilateral),
            _ => continue,
        };
        assert_eq!(Some(cell.fg), want.fg, "{cell:?}");
        seen += 1;
    }
    assert!(seen >= 4, "legend and bars: {seen}");
}

#[test]
fn every_new_view_survives_resizing() {
    let mut kit = Kit::mini(160, 48);
    for actions in [&[SwitchView, SwitchView][..], &[ToggleFormulas][..]] {
        kit.act(actions);
        for (w, h) in [
            (80, 24),
            (60, 15),
            (59, 14),
            (200, 60),
            (1, 1),
            (61, 16),
            (80, 24),
        ] {
            kit.act(&[Resize(w, h), Down, Bottom]);
            let _ = kit.draw();
        }
    }
}

/// The seed's comparison, through the app: the view's data are the `metrics` figures that
/// `spacedip compare CSS ILRS` prints.
#[test]
fn on_the_seed_the_compare_view_reproduces_the_metrics_figures() {
    let data = crate::seed::dataset().unwrap();
    let mut kit = Kit::with(&data, 120, 40);
    kit.act(&[SwitchView, SwitchView]);
    let pair = kit.app.compare.data.pair("CSS", "ILRS").unwrap();
    let filter = Filter {
        programmes: vec!["CSS".into(), "ILRS".into()],
        ..Filter::default()
    };
    let events = kit.db.events(&filter, &kit.catalog).unwrap();
    let t = reference_year(&events);
    for (side, id) in pair.sides.iter().zip(["CSS", "ILRS"]) {
        let p = kit.catalog.programme(id).unwrap();
        assert_eq!(
            side.summary,
            Some(&Summary::compute(&events, &kit.catalog, p, t))
        );
    }
    let un = |i: usize| pair.sides[i].summary.unwrap().un_share.unwrap();
    assert!((un(0) - 0.280).abs() < 5e-4, "CSS UN share {}", un(0));
    assert_eq!(un(1), 0.0, "ILRS UN share");
    let screen = kit.screen();
    let row = screen
        .lines()
        .find(|l| l.starts_with("UN share"))
        .expect("a UN share row");
    assert!(row.contains("0.280") && row.contains("0.000"), "{row}");
    let c = screen
        .lines()
        .find(|l| l.starts_with("centralisation C"))
        .unwrap();
    assert!(c.contains("0.913") && c.contains("0.685"), "{c}");
    insta::assert_snapshot!("compare_seed_120x40", kit.draw().backend());
}

#[test]
fn an_empty_dataset_draws_without_a_pair() {
    let mut data = mini_dataset();
    data.events.clear();
    let mut kit = Kit::with(&data, 80, 24);
    kit.act(&[SwitchView, SwitchView]);
    assert!(kit.screen().contains("Neither CSS nor ILRS has an event"));
    kit.act(&[SwitchView, SwitchView]);
    assert!(kit.screen().contains("no events under this filter"));
}
