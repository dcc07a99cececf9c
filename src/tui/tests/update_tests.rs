//! `App::update` without a terminal or a thread: actions in, state out.

use super::{ids, Kit};
use crate::domain::{Channel, ChannelFilter, SortKey, SortOrder};
use crate::tui::action::TextEdit;
use crate::tui::input::Mode;
use crate::tui::layout::{Focus, View};
use crate::tui::worker;
use crate::tui::Action::*;

#[test]
fn starts_with_every_event() {
    let kit = Kit::mini(80, 24);
    assert!(kit.app.loaded);
    assert_eq!(kit.app.total, 4);
    assert_eq!(ids(&kit), ["CSS-06", "CTX-08", "ILRS-03", "ILRS-11"]);
    assert_eq!(kit.app.mode(), Mode::Browse);
}

/// The ids of the rows a response carries.
fn answered(response: &worker::Response) -> Vec<String> {
    let answer = response.outcome.as_ref().expect("answered");
    answer
        .window
        .rows
        .iter()
        .map(|f| f.event.id.clone())
        .collect()
}

#[test]
fn answers_to_an_older_filter_are_dropped() {
    let mut kit = Kit::mini(80, 24);
    kit.app.update(StartSearch);
    kit.app.update(Text(TextEdit::Input('r')));
    let first = kit.app.take_request().unwrap();
    for c in "over".chars() {
        kit.app.update(Text(TextEdit::Input(c)));
    }
    let second = kit.app.take_request().unwrap();
    assert!(second.generation > first.generation);
    let mut state = worker::State::default();
    let newer = worker::respond(&kit.db, &kit.catalog, &mut state, second);
    let older = worker::respond(&kit.db, &kit.catalog, &mut state, first);
    // The two searches select different events, so applying the older answer would show.
    let (newer_ids, older_ids) = (answered(&newer), answered(&older));
    assert_eq!(
        newer_ids,
        ["ILRS-11"],
        "only the rover event matches `rover`"
    );
    assert!(older_ids.len() > newer_ids.len(), "{older_ids:?}");
    // The newer answer arrives first; the older one must not overwrite it.
    kit.app.receive(worker::Reply::Answer(newer));
    assert_eq!(ids(&kit), newer_ids);
    kit.app.receive(worker::Reply::Answer(older));
    assert_eq!(ids(&kit), newer_ids);
    assert_eq!(kit.app.count, 1);
    assert!(!kit.app.is_loading());
}

#[test]
fn the_channel_key_cycles_the_analysts_cut() {
    let mut kit = Kit::mini(80, 24);
    let expected: [(&[ChannelFilter], &[Channel]); 5] = [
        (
            &[ChannelFilter::Multilateral],
            &[Channel::UnMultilateral, Channel::Multilateral],
        ),
        (&[ChannelFilter::Un], &[Channel::UnMultilateral]),
        (&[ChannelFilter::Bilateral], &[Channel::Bilateral]),
        (&[ChannelFilter::National], &[Channel::National]),
        (
            &[],
            &[
                Channel::UnMultilateral,
                Channel::Multilateral,
                Channel::Bilateral,
            ],
        ),
    ];
    for (cut, channels) in expected {
        kit.act(&[CycleChannel]);
        assert_eq!(kit.app.filter.channels, cut);
        assert!(kit
            .app
            .rows
            .rows
            .iter()
            .all(|f| channels.contains(&f.event.channel)));
    }
    assert_eq!(kit.app.count, 4);
    kit.act(&[CycleChannel, CycleChannel, CycleChannel]);
    assert_eq!(kit.app.filter.to_args(), "--channel bilateral");
    assert_eq!(ids(&kit), ["ILRS-03", "ILRS-11"]);
}

#[test]
fn search_is_live_esc_clears_enter_keeps() {
    let mut kit = Kit::mini(80, 24);
    kit.act(&[StartSearch]);
    assert_eq!(kit.app.mode(), Mode::Search);
    kit.type_text("roskosmos");
    assert_eq!(ids(&kit), ["ILRS-03"], "a misspelling finds Roscosmos");
    kit.act(&[SearchCancel]);
    assert_eq!(kit.app.filter.search, None);
    assert_eq!(kit.app.count, 4);
    assert_eq!(kit.app.focus, Focus::Table);

    kit.act(&[StartSearch]).type_text("UAE");
    kit.act(&[SearchKeep]);
    assert_eq!(kit.app.filter.search.as_deref(), Some("UAE"));
    assert_eq!(ids(&kit), ["CTX-08", "ILRS-11"]);
    assert_eq!(kit.app.mode(), Mode::Browse);
    kit.act(&[Back]);
    assert_eq!(kit.app.filter.search, None);
}

#[test]
fn acronyms_and_native_names_find_their_events() {
    let mut kit = Kit::mini(80, 24);
    for (query, want) in [
        ("unoosa", &["CSS-06"][..]),
        ("cnsa", &["ILRS-03", "ILRS-11"][..]),
        ("partner:uae", &["CTX-08", "ILRS-11"][..]),
        ("Роскосмос", &["ILRS-03"][..]),
        ("国家航天局", &["ILRS-03", "ILRS-11"][..]),
        ("kind:mou", &["ILRS-03", "ILRS-11"][..]),
    ] {
        kit.act(&[StartSearch, Text(TextEdit::Clear)])
            .type_text(query);
        assert_eq!(ids(&kit), want, "{query}");
    }
}

#[test]
fn search_editing_keys() {
    let mut kit = Kit::mini(80, 24);
    kit.act(&[StartSearch]).type_text("moon base");
    kit.act(&[Text(TextEdit::DeleteWord)]);
    assert_eq!(kit.app.filter.search.as_deref(), Some("moon "));
    kit.act(&[Text(TextEdit::Backspace), Text(TextEdit::Backspace)]);
    assert_eq!(kit.app.filter.search.as_deref(), Some("moo"));
    kit.act(&[Text(TextEdit::Clear)]);
    assert_eq!(kit.app.filter.search, None);
    assert_eq!(kit.app.mode(), Mode::Search);
}

#[test]
fn the_search_box_edits_at_its_caret_like_every_other_line() {
    let mut kit = Kit::mini(80, 24);
    kit.act(&[StartSearch]).type_text("lunar");
    kit.act(&[Text(TextEdit::Left), Text(TextEdit::Left)]);
    kit.type_text("X");
    assert_eq!(kit.app.filter.search.as_deref(), Some("lunXar"));
    kit.act(&[Text(TextEdit::Home), Text(TextEdit::Delete)]);
    assert_eq!(kit.app.filter.search.as_deref(), Some("unXar"));
    // Kept with Enter, the search opens again with the caret at its end.
    kit.act(&[SearchKeep, StartSearch])
        .type_text(" partner:CHN");
    assert_eq!(kit.app.filter.search.as_deref(), Some("unXar partner:CHN"));
    // One word rule everywhere: letters and digits make a word, anything else separates.
    kit.act(&[Text(TextEdit::DeleteWord)]);
    assert_eq!(kit.app.filter.search.as_deref(), Some("unXar partner:"));
}

#[test]
fn n_and_shift_n_step_through_matches_best_first() {
    let mut kit = Kit::mini(80, 24);
    kit.act(&[NextMatch]);
    assert!(kit.app.status.as_ref().unwrap().text.contains("no search"));
    kit.act(&[StartSearch]).type_text("cnsa");
    kit.act(&[SearchKeep]);
    let scores: Vec<i64> = kit
        .app
        .rows
        .rows
        .iter()
        .map(|f| f.hit.as_ref().unwrap().score)
        .collect();
    kit.act(&[NextMatch]);
    let best = kit.app.selected;
    assert_eq!(scores[best], *scores.iter().max().unwrap());
    kit.act(&[NextMatch]);
    assert_ne!(kit.app.selected, best);
    kit.act(&[PrevMatch]);
    assert_eq!(kit.app.selected, best);
}

#[test]
fn facets_stack_and_the_filter_reads_as_cli_flags() {
    let mut kit = Kit::mini(160, 48);
    kit.act(&[FocusFacets]);
    assert_eq!(kit.app.mode(), Mode::Facets);
    // The first row is the biggest programme.
    kit.act(&[Activate]);
    assert_eq!(kit.app.filter.programmes, ["ILRS"]);
    assert_eq!(ids(&kit), ["ILRS-03", "ILRS-11"]);
    // Next field (channel), then pick bilateral.
    kit.act(&[Right]);
    let channel_rows: Vec<_> = kit
        .app
        .facet_rows
        .iter()
        .filter(|r| matches!(r.value, crate::tui::facet::FacetValue::Channel(_)))
        .map(|r| (r.label.clone(), r.count))
        .collect();
    assert_eq!(
        channel_rows,
        [
            ("multilateral (incl. UN)".to_string(), 0),
            ("bilateral".to_string(), 2)
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect::<Vec<_>>()
    );
    kit.act(&[Activate]);
    assert_eq!(
        kit.app.filter.to_args(),
        "--programme ILRS --channel bilateral"
    );
    // Partners are counted across the link: picking one leaves its count.
    let pak = kit
        .app
        .facet_rows
        .iter()
        .position(|r| r.label.starts_with("ARE "))
        .unwrap();
    let count = kit.app.facet_rows[pak].count;
    kit.app.facet_cursor = pak;
    kit.act(&[Activate]);
    assert_eq!(kit.app.count, count);
    assert!(kit.app.filter.to_args().ends_with("--actor ARE"));
    kit.act(&[ClearFilters]);
    assert!(kit.app.filter.is_empty());
    assert_eq!(kit.app.count, 4);
}

#[test]
fn year_facet_sets_the_range() {
    let mut kit = Kit::mini(80, 24);
    kit.act(&[FocusFacets]);
    let y2021 = kit
        .app
        .facet_rows
        .iter()
        .position(|r| r.label == "2021")
        .unwrap();
    kit.app.facet_cursor = y2021;
    kit.act(&[SinceYear]);
    assert_eq!(kit.app.filter.to_args(), "--since 2021");
    assert_eq!(ids(&kit), ["ILRS-03", "ILRS-11"]);
    kit.act(&[Activate]);
    assert_eq!(kit.app.filter.to_args(), "--since 2021 --until 2021");
    assert_eq!(ids(&kit), ["ILRS-03"]);
}

#[test]
fn detail_opens_scrolls_steps_and_copies() {
    let mut kit = Kit::mini(80, 24);
    kit.act(&[Down, Activate]);
    assert_eq!(kit.app.mode(), Mode::Detail);
    assert!(kit.app.detail_visible());
    kit.act(&[NextEvent]);
    assert_eq!(kit.app.selected_event().unwrap().event.id, "ILRS-03");
    kit.act(&[CopyUrl]);
    assert_eq!(
        kit.app.take_clipboard().as_deref(),
        Some("http://www.gov.cn/xinwen/2021-03/09/content_5591869.htm")
    );
    assert_eq!(kit.app.take_clipboard(), None, "sent once");
    kit.act(&[CopyCitation]);
    let cite = kit.app.take_clipboard().unwrap();
    assert!(cite.starts_with("State Council of China. “China and Russia Signed ILRS MoU”."));
    assert_eq!(kit.app.last_copied.as_deref(), Some(cite.as_str()));
    kit.act(&[Bottom]);
    let bottom = kit.app.detail_scroll;
    kit.act(&[Down]);
    assert_eq!(kit.app.detail_scroll, bottom, "no scrolling past the end");
    kit.act(&[Back]);
    assert_eq!(kit.app.mode(), Mode::Browse);
    assert!(
        !kit.app.detail_visible(),
        "80×24 has no room for table and detail"
    );
    kit.act(&[CopyCommand]);
    assert_eq!(kit.app.take_clipboard().as_deref(), Some("spacedip list"));
}

#[test]
fn tall_terminals_show_the_detail_under_the_table() {
    let kit = Kit::mini(160, 48);
    let areas = kit.app.areas();
    assert!(areas.table.is_some() && areas.detail.is_some() && areas.facets.is_some());
    assert_eq!(kit.app.mode(), Mode::Browse);
}

#[test]
fn navigation_keys_clamp() {
    let mut kit = Kit::mini(80, 24);
    kit.act(&[Up]);
    assert_eq!(kit.app.selected, 0);
    kit.act(&[Bottom]);
    assert_eq!(kit.app.selected, 3);
    kit.act(&[Down, PageDown]);
    assert_eq!(kit.app.selected, 3);
    kit.act(&[PageUp]);
    assert_eq!(kit.app.selected, 0);
    kit.act(&[Down, Down, Top]);
    assert_eq!(kit.app.selected, 0);
}

#[test]
fn selection_follows_the_event_when_results_change() {
    let mut kit = Kit::mini(80, 24);
    kit.act(&[Bottom]);
    assert_eq!(kit.app.selected_event().unwrap().event.id, "ILRS-11");
    kit.act(&[StartSearch]).type_text("cnsa");
    assert_eq!(ids(&kit), ["ILRS-03", "ILRS-11"]);
    assert_eq!(kit.app.selected_event().unwrap().event.id, "ILRS-11");
    kit.type_text("zzz");
    kit.act(&[Text(TextEdit::Clear)]);
    assert_eq!(
        kit.app.selected, 0,
        "a vanished event gives way to the first row"
    );
}

#[test]
fn sorting_cycles_columns_and_order() {
    let mut kit = Kit::mini(80, 24);
    kit.act(&[CycleSort]);
    assert_eq!(kit.app.filter.sort, SortKey::Programme);
    assert_eq!(ids(&kit)[0], "CTX-08", "ARTEMIS sorts first");
    kit.act(&[ReverseSort]);
    assert_eq!(kit.app.filter.order, SortOrder::Desc);
    assert_eq!(kit.app.filter.to_args(), "--sort programme --desc");
}

#[test]
fn programme_cards_open_their_events() {
    let mut kit = Kit::mini(80, 24);
    kit.act(&[SwitchView]);
    assert_eq!(kit.app.mode(), Mode::Programmes);
    let cards: Vec<&str> = kit.app.cards.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(cards, ["CSS", "ILRS", "ARTEMIS"]);
    kit.act(&[Right, Activate]);
    assert_eq!(kit.app.view, View::Events);
    assert_eq!(kit.app.filter.programmes, ["ILRS"]);
    assert_eq!(ids(&kit), ["ILRS-03", "ILRS-11"]);
    kit.act(&[SwitchView]);
    let cards: Vec<(&str, usize)> = kit
        .app
        .cards
        .iter()
        .map(|c| (c.id.as_str(), c.events))
        .collect();
    assert_eq!(
        cards,
        [("CSS", 0), ("ILRS", 2)],
        "CSS stays, empty, beside ILRS"
    );
}

#[test]
fn help_and_quit() {
    let mut kit = Kit::mini(80, 24);
    kit.act(&[Activate, ToggleHelp]);
    assert_eq!(kit.app.mode(), Mode::Help);
    assert_eq!(kit.app.mode_under_help(), Mode::Detail);
    kit.act(&[ToggleHelp]);
    assert_eq!(kit.app.mode(), Mode::Detail);
    assert!(!kit.app.should_quit());
    kit.act(&[Quit]);
    assert!(kit.app.should_quit());
}

#[test]
fn mouse_selects_sorts_scrolls_and_switches() {
    let mut kit = Kit::mini(80, 24);
    // Row 0 is the header bar, row 1 the column headings, rows 2.. the events.
    kit.act(&[Click(30, 4)]);
    assert_eq!(kit.app.selected, 2);
    kit.act(&[Click(30, 4)]);
    assert_eq!(kit.app.mode(), Mode::Detail, "a second click opens");
    // The date heading (after the marker and the id) is at column 12.
    kit.act(&[Back, Click(12, 1)]);
    assert_eq!(
        kit.app.filter.order,
        SortOrder::Desc,
        "date was sorted: reversed"
    );
    kit.act(&[ScrollDown(30, 5)]);
    assert_eq!(kit.app.selected, 3);
    kit.act(&[ScrollUp(30, 5)]);
    assert_eq!(kit.app.selected, 0);
    let programmes_tab = crate::tui::layout::tab_at(20).unwrap();
    assert_eq!(programmes_tab, View::Programmes);
    kit.act(&[Click(20, 0)]);
    assert_eq!(kit.app.view, View::Programmes);
    kit.act(&[Click(crate::tui::layout::search_start() + 2, 0)]);
    assert_eq!(
        kit.app.mode(),
        Mode::Search,
        "a click on the search box starts a search"
    );
}

#[test]
fn clicking_a_facet_value_picks_it() {
    let mut kit = Kit::mini(160, 48);
    // Line 0 of the panel is the "Programme" title, line 1 its first value.
    kit.act(&[Click(5, 2)]);
    assert_eq!(kit.app.focus, Focus::Facets);
    assert_eq!(kit.app.filter.programmes, ["ILRS"]);
}

#[test]
fn the_facet_panel_stays_filled_when_picking_shrinks_it() {
    let data = crate::seed::dataset().unwrap();
    let mut kit = Kit::with(&data, 80, 24);
    kit.act(&[FocusFacets, Right, Right, Right]);
    // Deep in the partner list, so that the panel is scrolled far down.
    kit.act(&[PageDown, PageDown, Activate]);
    assert!(!kit.app.filter.actors.is_empty());
    let screen = kit.screen();
    let panel: Vec<&str> = screen
        .lines()
        .skip(1)
        .take(22)
        .map(|l| &l[..l.find('│').unwrap()])
        .collect();
    assert!(panel.iter().any(|l| l.contains("Partner")), "{screen}");
    assert!(
        panel.iter().any(|l| l.contains('▶')),
        "the cursor shows:\n{screen}"
    );
}

#[test]
fn a_jump_typed_before_the_answer_arrives_is_kept() {
    let mut kit = Kit::mini(80, 24);
    kit.act(&[Down, Down]);
    // Reverse the sort and press g at once, before the worker answers.
    kit.app.update(ReverseSort);
    kit.app.update(Top);
    kit.pump();
    assert_eq!(kit.app.selected, 0, "g wins over keeping the old selection");
    kit.app.update(ReverseSort);
    kit.app.update(Bottom);
    kit.pump();
    assert_eq!(kit.app.selected, kit.app.count - 1);
}

/// The worker's corpus leaves notes out until a `notes:` term asks for them; then it finds
/// what the command line finds.
#[test]
fn a_notes_search_in_the_browser_finds_what_the_cli_finds() {
    let db = crate::db::Db::open_seeded_in_memory().unwrap();
    let mut kit = Kit::on(db, 120, 40);
    kit.act(&[StartSearch]).type_text("lunar");
    assert!(kit.app.count > 0);
    kit.act(&[Text(TextEdit::Clear)])
        .type_text("notes:unconfirmed");
    let filter = crate::domain::Filter {
        search: Some("notes:unconfirmed".into()),
        ..crate::domain::Filter::default()
    };
    let expected: Vec<String> = kit
        .db
        .search(&filter, &kit.catalog)
        .unwrap()
        .into_iter()
        .map(|f| f.event.id)
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(kit.app.count, expected.len());
    assert_eq!(ids(&kit), expected);
}

/// Clearing a search whose filter selected nothing counts the facets over every event
/// again, not over the cleared search's matches.
#[test]
fn facets_follow_the_filter_after_a_cleared_search() {
    let db = crate::db::Db::open_seeded_in_memory().unwrap();
    let mut kit = Kit::on(db, 120, 40);
    kit.act(&[StartSearch]).type_text("zzqxw");
    kit.act(&[SearchKeep]);
    assert_eq!(kit.app.count, 0);
    kit.act(&[ClearFilters]);
    assert!(kit.app.filter.search.is_none() && kit.app.filter.programmes.is_empty());
    let all = kit
        .db
        .facets(&crate::domain::Filter::default(), &kit.catalog)
        .unwrap();
    assert_eq!(kit.app.facets, all);
    assert_eq!(kit.app.count, kit.app.total);
}

/// A write answered by the query already shown (saving a view) leaves the cursor on the
/// row the user moved to, even far beyond the rows first sent.
#[test]
fn a_write_keeps_the_row_the_user_moved_to() {
    let db = crate::db::Db::open_seeded_in_memory().unwrap();
    let mut kit = Kit::on(db, 80, 24);
    for _ in 0..100 {
        kit.act(&[Down]);
    }
    assert_eq!(kit.app.selected, 100);
    let id = kit.app.selected_event().unwrap().event.id.clone();
    kit.write_behind(worker::WriteJob::SaveView {
        name: "kept".into(),
        filter: crate::domain::Filter::default(),
        columns: Vec::new(),
    });
    assert_eq!(kit.app.selected, 100);
    assert_eq!(kit.app.selected_event().unwrap().event.id, id);
}

/// Switching to the programme cards while an answer's summaries are on their way still
/// brings the cards: the app asks again once the summaries without them arrive.
#[test]
fn cards_asked_for_while_summaries_travel_arrive() {
    let mut kit = Kit::mini(80, 24);
    kit.app.update(CycleProgramme);
    let request = kit.app.take_request().unwrap();
    let replies = worker::serve(
        &mut kit.db,
        &kit.catalog,
        &mut worker::State::default(),
        vec![worker::Job::Query(request)],
        &|_| false,
    );
    let mut replies = replies.into_iter();
    kit.app.receive(replies.next().unwrap()); // the rows
    kit.app.update(SwitchView);
    assert_eq!(kit.app.view, View::Programmes);
    assert!(
        kit.app.take_request().is_none(),
        "the summaries are still to come"
    );
    kit.app.receive(replies.next().unwrap()); // the summaries, without cards
    let again = kit.app.take_request().expect("asks again for the cards");
    assert!(again.wants.cards);
}

#[test]
fn f_shows_and_hides_the_facet_panel_at_any_width() {
    // Narrow: hidden until asked for, and the table keeps its rows in view.
    let mut kit = Kit::mini(80, 24);
    assert!(kit.app.areas().facets.is_none());
    kit.act(&[ToggleFacetPanel]);
    assert!(kit.app.areas().facets.is_some());
    assert_eq!(kit.app.focus, Focus::Table);
    assert!(kit.screen().contains("Programme"), "the panel is drawn");
    kit.act(&[FocusFacets, ToggleFacetPanel]);
    assert!(kit.app.areas().facets.is_none());
    assert_eq!(
        kit.app.focus,
        Focus::Table,
        "a hidden panel gives the keys back"
    );
    // Wide: shown until hidden; the table widens into its room.
    let mut kit = Kit::mini(160, 48);
    let narrow = kit.app.areas().table.unwrap().width;
    kit.act(&[ToggleFacetPanel]);
    assert!(kit.app.areas().facets.is_none());
    assert!(kit.app.areas().table.unwrap().width > narrow);
    // `f` still opens the panel for picking, hidden or not.
    kit.act(&[FocusFacets]);
    assert!(kit.app.areas().facets.is_some());
}

#[test]
fn g_and_shift_g_go_to_the_first_and_last_card() {
    let mut kit = Kit::mini(80, 24);
    kit.act(&[SwitchView]);
    assert_eq!(kit.app.view, View::Programmes);
    let last = kit.app.cards.len() - 1;
    assert!(last >= 2, "the fixture has cards below the first row");
    kit.act(&[Bottom]);
    assert_eq!(kit.app.card, last);
    assert!(
        kit.app.card_offset > 0,
        "the last card's row is scrolled into view"
    );
    kit.act(&[Top]);
    assert_eq!((kit.app.card, kit.app.card_offset), (0, 0));
}

/// A database a program outside spacedip took events from: the first answer counts by the
/// tally, and the summaries that follow bring the count and the selection to every row read.
#[test]
fn a_tally_left_behind_is_corrected_by_the_summaries() {
    let mut db = crate::db::Db::open_in_memory().unwrap();
    db.insert_dataset(&super::mini_dataset()).unwrap();
    db.write_behind_our_back("DELETE FROM event WHERE id = 'ILRS-11'")
        .unwrap();
    let mut kit = Kit::on(db, 80, 24);
    assert_eq!((kit.app.count, kit.app.total), (3, 3));
    assert_eq!(ids(&kit), ["CSS-06", "CTX-08", "ILRS-03"]);
    kit.act(&[Bottom]);
    assert_eq!(kit.app.selected, 2);
}
