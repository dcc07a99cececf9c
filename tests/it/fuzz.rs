//! Property-based fuzzing of the parsers that read what users type or bring: dates, the
//! filter's vocabularies, the search-query language, and the importers with the headers of
//! this release (events with valence, venue, follows and claimed parties; institutions with
//! scope, openness and legalisation; memberships with bounds). None may panic, and what parses
//! must print back as itself. Bounded (the default case count) so that CI stays quick; a case
//! proptest finds is kept in `proptest-regressions/` and replayed on every run.

use proptest::prelude::*;
use spacedip::domain::{ChannelFilter, Kind, KnownIds, PartialDate, SortKey, Valence};
use spacedip::import::Bundle;
use spacedip::search::{Doc, Field, Query};

proptest! {
    #[test]
    fn dates_parse_or_refuse_and_print_back(s in "\\PC{0,16}|[0-9]{1,5}(-[0-9]{1,3}){0,3}") {
        if let Ok(d) = s.parse::<PartialDate>() {
            prop_assert_eq!(d.to_string().parse::<PartialDate>().unwrap(), d);
            prop_assert!(d.first_day() <= d.last_day());
        }
    }

    #[test]
    fn vocabularies_parse_or_name_the_valid_values(s in "\\PC{0,24}") {
        for err in [
            s.parse::<Kind>().err().map(|e| e.to_string()),
            s.parse::<Valence>().err().map(|e| e.to_string()),
            s.parse::<ChannelFilter>().err().map(|e| e.to_string()),
            s.parse::<SortKey>().err().map(|e| e.to_string()),
        ].into_iter().flatten() {
            prop_assert!(err.contains("(valid: "), "{}", err);
        }
    }

    #[test]
    fn search_queries_never_panic(q in "\\PC{0,200}", text in "\\PC{0,200}") {
        if let Some(query) = Query::parse(&q) {
            let mut doc = Doc::default();
            doc.push(Field::Title, text.clone());
            doc.push(Field::Partner, text);
            let _ = query.score(&doc);
        }
    }

    #[test]
    fn release_three_tables_never_panic(
        header in prop::sample::select(vec![
            "id,date,end_date,programme,kind,channel,valence,venue,follows,title,summary,notes,parties,institutions,sources\n",
            "id,name,kind,in_force,ended,issue_areas,scope,open,legalisation,programme,url,description\n",
            "institution,actor,joined,joined_latest,left\n",
            "id,name,issue_area,lead_agency,lead_state,decision_year,description\n",
        ]),
        cells in prop::collection::vec("[A-Za-z0-9 ,;:\"\\-\\.\n]{0,12}", 0..40),
    ) {
        let mut input = header.to_string();
        input.push_str(&cells.join(","));
        let mut bundle = Bundle::default();
        let mut problems = Vec::new();
        bundle.read_file("x.csv", input.as_bytes(), &mut problems);
        let _ = bundle.validate(&KnownIds::default());
        let _ = bundle.take_items();
        for p in &problems {
            prop_assert!(!p.to_string().is_empty());
        }
    }
}
