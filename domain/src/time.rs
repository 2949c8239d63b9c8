//! Dates as the city sees them. China keeps one time zone (UTC+8) and no daylight saving, so the
//! date of an instant is the same for every user and on every server, wherever it is hosted.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};

const CHINA_STANDARD_TIME: i32 = 8 * 3600;

/// The earliest date accepted anywhere, from a form, a query or a file: no record of the
/// incubation programme is older, and every date arithmetic on an accepted date stays far from
/// chrono's limits (±262,143 years), which a date sent by hand could otherwise reach.
pub const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(date) => date,
    None => NaiveDate::MIN,
};

/// The latest date accepted anywhere (a lease may run long, a plan far ahead, but not this far).
pub const LATEST: NaiveDate = match NaiveDate::from_ymd_opt(2199, 12, 31) {
    Some(date) => date,
    None => NaiveDate::MAX,
};

/// `date` if it lies between [`EARLIEST`] and [`LATEST`].
pub fn bounded(date: NaiveDate) -> Result<NaiveDate, crate::Problem> {
    if (EARLIEST..=LATEST).contains(&date) {
        Ok(date)
    } else {
        Err(crate::Problem::DateOutOfRange { min: EARLIEST.to_string(), max: LATEST.to_string() })
    }
}

/// A date written `YYYY-MM-DD`, within the accepted range.
pub fn parse_date(raw: &str) -> Result<NaiveDate, crate::Problem> {
    let date = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| crate::Problem::NotADate)?;
    bounded(date)
}

/// Today's date in the city (China, UTC+8): the one "today" of every service, page and test. A
/// date taken from the server's clock in UTC would be yesterday's from midnight to 08:00.
pub fn today() -> NaiveDate {
    china_date(Utc::now())
}

/// The calendar date in China at `instant`.
pub fn china_date(instant: DateTime<Utc>) -> NaiveDate {
    china_date_time(instant).date()
}

/// The wall-clock date and time in China at `instant`.
pub fn china_date_time(instant: DateTime<Utc>) -> NaiveDateTime {
    match FixedOffset::east_opt(CHINA_STANDARD_TIME) {
        Some(offset) => instant.with_timezone(&offset).naive_local(),
        None => instant.naive_utc(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn dates_a_hand_made_request_can_carry_are_refused_at_the_edge() {
        for raw in ["-262143-01-01", "+262142-12-31", "+262143-12-31", "1899-12-31", "2200-01-01", "0000-01-01"] {
            assert!(parse_date(raw).is_err(), "{raw}");
        }
        assert_eq!(parse_date("1900-01-01"), Ok(EARLIEST));
        assert_eq!(parse_date(" 2199-12-31 "), Ok(LATEST));
        assert_eq!(parse_date("2026-02-30"), Err(crate::Problem::NotADate));
        assert!(matches!(bounded(NaiveDate::MAX), Err(crate::Problem::DateOutOfRange { .. })));
    }

    #[test]
    fn the_day_starts_at_midnight_beijing_time() {
        let before = Utc.with_ymd_and_hms(2026, 11, 27, 15, 59, 59).unwrap();
        let after = Utc.with_ymd_and_hms(2026, 11, 27, 16, 0, 0).unwrap();
        assert_eq!(china_date(before), NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
        assert_eq!(china_date(after), NaiveDate::from_ymd_opt(2026, 11, 28).unwrap());
    }
}
