//! Correlates of War state codes (`ccode`), the key peace-science pipelines (peacesciencer,
//! the COW and MID data sets) merge on. Keyed by the ISO 3166 alpha-3 code a state actor
//! carries (or, for a state that has none, its actor id: `SUN` is the ISO 3166-3 code of the
//! Soviet Union), for every state in the shipped data. Codes follow the COW State System
//! Membership list (<https://correlatesofwar.org/data-sets/state-system-membership/>).

/// One state's code; `before` gives an earlier code for years before a change of state.
struct Entry {
    code: &'static str,
    ccode: u16,
    /// `(year, ccode)`: years before `year` take `ccode`.
    before: Option<(i32, u16)>,
}

const fn e(code: &'static str, ccode: u16) -> Entry {
    Entry {
        code,
        ccode,
        before: None,
    }
}

// Sorted by code for the binary search.
const TABLE: &[Entry] = &[
    e("ARE", 696),
    e("ARG", 160),
    e("ARM", 371),
    e("AUS", 900),
    e("AUT", 305),
    e("AZE", 373),
    e("BEL", 211),
    e("BGD", 771),
    e("BHR", 692),
    e("BLR", 370),
    e("BOL", 145),
    e("BRA", 140),
    e("CAN", 20),
    e("CHE", 225),
    e("CHL", 155),
    e("CHN", 710),
    // The German Federal Republic (260) until unification; COW's Germany (255) begins on
    // 3 October 1990, which a year-level code reads as 1990.
    Entry {
        code: "DEU",
        ccode: 255,
        before: Some((1990, 260)),
    },
    e("DJI", 522),
    e("DNK", 390),
    e("EGY", 651),
    e("ESP", 230),
    e("ETH", 530),
    e("FIN", 375),
    e("FRA", 220),
    e("GBR", 200),
    e("HUN", 310),
    e("IDN", 850),
    e("IND", 750),
    e("IRN", 630),
    e("ITA", 325),
    e("JPN", 740),
    e("KAZ", 705),
    e("KEN", 501),
    e("KOR", 732),
    e("KWT", 690),
    e("LBN", 660),
    e("LUX", 212),
    e("LVA", 367),
    e("MAR", 600),
    e("MEX", 70),
    e("MNG", 712),
    e("MYS", 820),
    e("NIC", 93),
    e("NLD", 210),
    e("NOR", 385),
    e("PAK", 770),
    e("PAN", 95),
    e("PER", 135),
    e("PHL", 840),
    e("POL", 290),
    e("ROU", 360),
    e("RUS", 365),
    e("SAU", 670),
    e("SEN", 433),
    // COW keeps 345 ("Yugoslavia") for Serbia after 2006.
    e("SRB", 345),
    // COW codes the Soviet Union and Russia as one state, 365.
    e("SUN", 365),
    e("SWE", 380),
    e("THA", 800),
    e("TUR", 640),
    e("UKR", 369),
    e("URY", 165),
    e("USA", 2),
    e("VEN", 101),
    e("ZAF", 560),
];

/// The COW code of the state with ISO3 (or id) `code` in `year`, if the table knows it.
pub fn ccode(code: &str, year: i32) -> Option<u16> {
    let i = TABLE.binary_search_by(|e| e.code.cmp(code)).ok()?;
    let entry = &TABLE[i];
    Some(match entry.before {
        Some((from, old)) if year < from => old,
        _ => entry.ccode,
    })
}

/// The code a state actor is looked up by: its ISO3, or its id when it has none.
pub fn key<'a>(id: &'a str, iso3: Option<&'a str>) -> &'a str {
    iso3.filter(|s| !s.is_empty()).unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_has_no_duplicates() {
        assert!(TABLE.windows(2).all(|w| w[0].code < w[1].code));
    }

    #[test]
    fn codes_follow_the_cow_list() {
        assert_eq!(ccode("USA", 2020), Some(2));
        assert_eq!(ccode("CHN", 2021), Some(710));
        assert_eq!(ccode("RUS", 2021), Some(365));
        assert_eq!(ccode("SUN", 1967), Some(365));
        assert_eq!(ccode("ARE", 2022), Some(696));
        assert_eq!(ccode("DEU", 1989), Some(260));
        assert_eq!(ccode("DEU", 1990), Some(255));
        assert_eq!(ccode("XYZ", 2020), None);
    }

    #[test]
    fn a_state_without_iso3_is_looked_up_by_id() {
        assert_eq!(key("SUN", None), "SUN");
        assert_eq!(key("SUN", Some("")), "SUN");
        assert_eq!(key("DEU", Some("DEU")), "DEU");
    }
}
