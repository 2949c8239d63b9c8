//! Dates as the city sees them. China keeps one time zone (UTC+8) and no daylight saving, so the
//! date of an instant is the same for every user and on every server, wherever it is hosted.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};

const CHINA_STANDARD_TIME: i32 = 8 * 3600;

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
    fn the_day_starts_at_midnight_beijing_time() {
        let before = Utc.with_ymd_and_hms(2026, 11, 27, 15, 59, 59).unwrap();
        let after = Utc.with_ymd_and_hms(2026, 11, 27, 16, 0, 0).unwrap();
        assert_eq!(china_date(before), NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
        assert_eq!(china_date(after), NaiveDate::from_ymd_opt(2026, 11, 28).unwrap());
    }
}
