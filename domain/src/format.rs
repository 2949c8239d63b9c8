//! Numbers, areas and dates written the way each reader expects them.

use crate::{Area, Text};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// The languages of the UI. Simplified Chinese is the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

/// Groups the digits of an integer in threes: `1,234,567`. Chinese official documents group
/// Arabic numerals the same way.
pub fn integer(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `hundredths` / 100 with two decimals and grouped digits: `1,234.56`.
pub fn two_decimals(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.unsigned_abs();
    let whole = i64::try_from(abs / 100).unwrap_or(i64::MAX);
    format!("{sign}{}.{:02}", integer(whole), abs % 100)
}

/// An area for reading (messages `area`): Chinese readers get 万平方米 from ten thousand square
/// metres up (the unit of plans and statistics), rounded half away from zero to two decimals;
/// smaller areas and English readers get square metres with two decimals.
pub fn area(value: Area) -> Text {
    let h = value.hundredths();
    // 1 万 m² = 1,000,000 hundredths; keep two decimals of 万 = 10,000 hundredths each.
    let half = if h < 0 { -5_000 } else { 5_000 };
    let large = if h.unsigned_abs() >= 1_000_000 { "yes" } else { "no" };
    Text::key("area")
        .arg("sqm", Text::Plain(two_decimals(h)))
        .arg("wan", Text::Plain(two_decimals((h + half) / 10_000)))
        .arg("large", Text::plain(large))
}

/// A date for reading (message `date`): `2024年3月5日` or `5 Mar 2024`.
pub fn date(value: NaiveDate) -> Text {
    Text::key("date")
        .arg("year", Text::Plain(value.year().to_string()))
        .arg("month", Text::Plain(value.month().to_string()))
        .arg("day", Text::Plain(value.day().to_string()))
        .arg("mon", Text::key(MONTHS[value.month0() as usize]))
}

/// A calendar month for reading (message `year-month`): `2027年3月` or `Mar 2027`.
pub fn month(value: NaiveDate) -> Text {
    Text::key("year-month")
        .arg("year", Text::Plain(value.year().to_string()))
        .arg("month", Text::Plain(value.month().to_string()))
        .arg("mon", Text::key(MONTHS[value.month0() as usize]))
}

/// The calendar quarter of a day, for reading (message `year-quarter`): `2026年第2季度` or
/// `Q2 2026`.
pub fn quarter(value: NaiveDate) -> Text {
    Text::key("year-quarter")
        .arg("year", Text::Plain(value.year().to_string()))
        .arg("quarter", Text::Plain(((value.month() - 1) / 3 + 1).to_string()))
}

const MONTHS: [&str; 12] = [
    "month-1", "month-2", "month-3", "month-4", "month-5", "month-6", "month-7", "month-8", "month-9", "month-10",
    "month-11", "month-12",
];

/// A date and time for reading: `2024年3月5日 14:05` or `5 Mar 2024 14:05`.
pub fn date_time(value: NaiveDateTime) -> Text {
    Text::key("date-time").arg("date", date(value.date())).arg("time", Text::Plain(value.format("%H:%M").to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_grouped_in_threes() {
        assert_eq!(integer(0), "0");
        assert_eq!(integer(999), "999");
        assert_eq!(integer(1000), "1,000");
        assert_eq!(integer(2_000_000), "2,000,000");
        assert_eq!(integer(-1_234_567), "-1,234,567");
    }

    #[test]
    fn areas_carry_both_units_and_which_one_a_chinese_reader_gets() {
        let keys = |a: Area| area(a).render(&crate::text::Keys(Lang::Zh));
        assert_eq!(keys(Area::from_square_metres(2_000_000)), "area(sqm=2,000,000.00,wan=200.00,large=yes)");
        assert_eq!(keys(Area::from_hundredths(999_999)), "area(sqm=9,999.99,wan=1.00,large=no)");
        assert_eq!(keys(Area::from_hundredths(-1_234_567_890)), "area(sqm=-12,345,678.90,wan=-1,234.57,large=yes)");
    }
}
