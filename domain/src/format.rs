//! Numbers, areas and dates written the way each reader expects them.

use crate::Area;
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

/// An area for reading. Chinese readers get 万平方米 from ten thousand square metres up (the unit
/// of plans and statistics), rounded half away from zero to two decimals; smaller areas and
/// English readers get square metres with two decimals.
pub fn area(value: Area, lang: Lang) -> String {
    let h = value.hundredths();
    match lang {
        Lang::Zh if h.unsigned_abs() >= 1_000_000 => {
            // 1 万 m² = 1,000,000 hundredths; keep two decimals of 万 = 10,000 hundredths each.
            let half = if h < 0 { -5_000 } else { 5_000 };
            format!("{} 万平方米", two_decimals((h + half) / 10_000))
        }
        Lang::Zh => format!("{} 平方米", two_decimals(h)),
        Lang::En => format!("{} m²", two_decimals(h)),
    }
}

/// A date for reading: `2024年3月5日` or `5 Mar 2024`.
pub fn date(value: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", value.year(), value.month(), value.day()),
        Lang::En => value.format("%-d %b %Y").to_string(),
    }
}

/// A date and time for reading: `2024年3月5日 14:05` or `5 Mar 2024 14:05`.
pub fn date_time(value: NaiveDateTime, lang: Lang) -> String {
    format!("{} {}", date(value.date(), lang), value.format("%H:%M"))
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
    fn large_areas_read_in_wan_square_metres_for_chinese_readers() {
        assert_eq!(area(Area::from_square_metres(2_000_000), Lang::Zh), "200.00 万平方米");
        assert_eq!(area(Area::from_hundredths(1_234_567_890), Lang::Zh), "1,234.57 万平方米");
        assert_eq!(area(Area::from_square_metres(10_000), Lang::Zh), "1.00 万平方米");
        assert_eq!(area(Area::from_hundredths(999_999), Lang::Zh), "9,999.99 平方米");
    }

    #[test]
    fn english_readers_get_square_metres() {
        assert_eq!(area(Area::from_square_metres(2_000_000), Lang::En), "2,000,000.00 m²");
        assert_eq!(area(Area::from_hundredths(5), Lang::En), "0.05 m²");
    }

    #[test]
    fn dates_follow_the_readers_convention() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 5).unwrap();
        assert_eq!(date(d, Lang::Zh), "2024年3月5日");
        assert_eq!(date(d, Lang::En), "5 Mar 2024");
    }
}
