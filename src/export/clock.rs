//! The moment an export is stamped with (file names, iCalendar `DTSTAMP`, captions): a
//! `--now` flag, else `SOURCE_DATE_EPOCH` (the reproducible-builds convention), else the
//! clock. The CLI and the browser's export dialog read it the same way.

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::{Error, Result};

/// The export's timestamp: `--now`, else `SOURCE_DATE_EPOCH` (seconds since 1970, the
/// reproducible-builds convention), else the clock.
pub fn now(flag: Option<&str>, source_date_epoch: Option<&str>) -> Result<DateTime<Utc>> {
    if let Some(s) = flag {
        let s = s.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Ok(t.with_timezone(&Utc));
        }
        if let Some(t) = NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
        {
            return Ok(t.and_utc());
        }
        return Err(Error::Usage(format!(
            "--now: '{s}' is not a time: use RFC 3339 (2025-01-31T12:00:00Z) or YYYY-MM-DD"
        )));
    }
    if let Some(e) = source_date_epoch.map(str::trim).filter(|e| !e.is_empty()) {
        return e
            .parse::<i64>()
            .ok()
            .and_then(|secs| DateTime::from_timestamp(secs, 0))
            .ok_or_else(|| {
                Error::Usage(format!(
                    "SOURCE_DATE_EPOCH: '{e}' is not a number of seconds since 1970-01-01"
                ))
            });
    }
    Ok(Utc::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_comes_from_the_flag_then_the_epoch() {
        let t = now(Some("2025-01-31T12:30:00+01:00"), Some("0")).unwrap();
        assert_eq!(t.to_rfc3339(), "2025-01-31T11:30:00+00:00");
        let t = now(Some("2025-01-31"), None).unwrap();
        assert_eq!(t.to_rfc3339(), "2025-01-31T00:00:00+00:00");
        let t = now(None, Some("1700000000")).unwrap();
        assert_eq!(t.to_rfc3339(), "2023-11-14T22:13:20+00:00");
        assert!(now(None, Some("")).is_ok());
        let err = now(Some("yesterday"), None).unwrap_err();
        assert!(
            err.is_usage() && err.to_string().contains("RFC 3339"),
            "{err}"
        );
        let err = now(None, Some("soon")).unwrap_err();
        assert!(err.is_usage() && err.to_string().contains("SOURCE_DATE_EPOCH"));
    }
}
