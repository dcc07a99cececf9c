//! Partial dates: a year, a month or a day, kept at the precision the sources give.
//!
//! Dates are never padded: `2016-03` stays a month. Ranges for filtering come from
//! [`PartialDate::first_day`] and [`PartialDate::last_day`].

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How precisely a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    Year,
    Month,
    Day,
}

impl Precision {
    pub const ALL: [Precision; 3] = [Precision::Day, Precision::Month, Precision::Year];

    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Year => "year",
            Precision::Month => "month",
            Precision::Day => "day",
        }
    }
}

impl fmt::Display for Precision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A calendar date known to the year, the month or the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    year: i32,
    month: Option<u32>,
    day: Option<u32>,
}

/// Why a date string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("'{0}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")]
    Format(String),
    #[error("'{0}' is not a real calendar date")]
    Impossible(String),
}

impl PartialDate {
    pub fn year(year: i32) -> Self {
        PartialDate {
            year,
            month: None,
            day: None,
        }
    }

    pub fn month(year: i32, month: u32) -> Option<Self> {
        (1..=12).contains(&month).then_some(PartialDate {
            year,
            month: Some(month),
            day: None,
        })
    }

    pub fn day(year: i32, month: u32, day: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(year, month, day)?;
        Some(PartialDate {
            year,
            month: Some(month),
            day: Some(day),
        })
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (_, Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    pub fn year_value(&self) -> i32 {
        self.year
    }

    pub fn month_value(&self) -> Option<u32> {
        self.month
    }

    pub fn day_value(&self) -> Option<u32> {
        self.day
    }

    /// The first calendar day the date can stand for.
    pub fn first_day(&self) -> NaiveDate {
        let ymd =
            NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1));
        // Constructors validate, so only an out-of-range year could fail here.
        ymd.unwrap_or(NaiveDate::MIN)
    }

    /// The last calendar day the date can stand for.
    pub fn last_day(&self) -> NaiveDate {
        let last = match (self.month, self.day) {
            (Some(m), Some(d)) => NaiveDate::from_ymd_opt(self.year, m, d),
            (Some(m), None) => {
                let (ny, nm) = if m == 12 {
                    (self.year + 1, 1)
                } else {
                    (self.year, m + 1)
                };
                NaiveDate::from_ymd_opt(ny, nm, 1).and_then(|d| d.pred_opt())
            }
            _ => NaiveDate::from_ymd_opt(self.year, 12, 31),
        };
        last.unwrap_or(NaiveDate::MAX)
    }

    /// A short human form: `2021-04-23`, `Apr 2021` or `2021`.
    pub fn human(&self) -> String {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        match (self.month, self.day) {
            (Some(_), Some(_)) => self.to_string(),
            (Some(m), None) => {
                let name = MONTHS.get(m as usize - 1).copied().unwrap_or("???");
                format!("{name} {}", self.year)
            }
            _ => self.year.to_string(),
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let format_err = || DateError::Format(s.to_string());
        let parts: Vec<&str> = s.split('-').collect();
        let widths_ok = match parts.as_slice() {
            [y] => y.len() == 4,
            [y, m] => y.len() == 4 && m.len() == 2,
            [y, m, d] => y.len() == 4 && m.len() == 2 && d.len() == 2,
            _ => false,
        };
        if !widths_ok || !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
            return Err(format_err());
        }
        let num = |p: &str| p.parse::<u32>().map_err(|_| format_err());
        let year = num(parts[0])? as i32;
        let impossible = || DateError::Impossible(s.to_string());
        match parts.len() {
            1 => Ok(PartialDate::year(year)),
            2 => PartialDate::month(year, num(parts[1])?).ok_or_else(impossible),
            _ => PartialDate::day(year, num(parts[1])?, num(parts[2])?).ok_or_else(impossible),
        }
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PartialDate {
    /// Chronological by first day; at the same first day the less precise date sorts first.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.first_day()
            .cmp(&other.first_day())
            .then(self.precision().cmp(&other.precision()))
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_precision_and_round_trips() {
        for s in ["2021", "2021-04", "2021-04-23", "1967-01-27"] {
            let d: PartialDate = s.parse().unwrap();
            assert_eq!(d.to_string(), s);
        }
        assert_eq!(
            "2016-03".parse::<PartialDate>().unwrap().precision(),
            Precision::Month
        );
    }

    #[test]
    fn refuses_malformed_and_impossible_dates() {
        for s in [
            "",
            "21",
            "2021-4",
            "2021-04-3",
            "2021/04/03",
            "2021-04-23-1",
            "abcd",
            "+202",
        ] {
            assert!(
                matches!(s.parse::<PartialDate>(), Err(DateError::Format(_))),
                "{s}"
            );
        }
        for s in [
            "2021-02-30",
            "2021-13",
            "2021-00",
            "2023-02-29",
            "2021-04-31",
        ] {
            assert!(
                matches!(s.parse::<PartialDate>(), Err(DateError::Impossible(_))),
                "{s}"
            );
        }
        assert!("2024-02-29".parse::<PartialDate>().is_ok());
    }

    #[test]
    fn spans_cover_the_whole_period() {
        let m: PartialDate = "2024-02".parse().unwrap();
        assert_eq!(m.first_day().to_string(), "2024-02-01");
        assert_eq!(m.last_day().to_string(), "2024-02-29");
        let y: PartialDate = "2023".parse().unwrap();
        assert_eq!(y.last_day().to_string(), "2023-12-31");
        let dec: PartialDate = "2023-12".parse().unwrap();
        assert_eq!(dec.last_day().to_string(), "2023-12-31");
    }

    #[test]
    fn human_form_keeps_precision() {
        assert_eq!(
            "2021-04".parse::<PartialDate>().unwrap().human(),
            "Apr 2021"
        );
        assert_eq!("2021".parse::<PartialDate>().unwrap().human(), "2021");
        assert_eq!(
            "2021-04-23".parse::<PartialDate>().unwrap().human(),
            "2021-04-23"
        );
    }

    #[test]
    fn orders_chronologically_with_vaguer_first() {
        let mut v: Vec<PartialDate> = ["2021-04-23", "2021", "2021-04", "2020-12-31"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        v.sort();
        let s: Vec<String> = v.iter().map(|d| d.to_string()).collect();
        assert_eq!(s, ["2020-12-31", "2021", "2021-04", "2021-04-23"]);
    }
}
