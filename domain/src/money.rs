//! Money in yuan, exact to the fen (分).

use crate::format;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, Sub};

/// An amount of money in fen (1 yuan = 100 fen), as a whole number.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money(i64);

/// Why a written amount was refused.
pub type MoneyParseError = crate::hundredths::ParseError;

impl Money {
    pub const ZERO: Money = Money(0);
    /// 10¹² yuan: beyond any figure the programme handles.
    /// The largest amount accepted anywhere (one trillion yuan).
    pub const MAX_FEN: i64 = 100_000_000_000_000;

    pub const fn from_fen(fen: i64) -> Self {
        Money(fen)
    }

    pub const fn from_yuan(yuan: i64) -> Self {
        Money(yuan * 100)
    }

    pub const fn fen(self) -> i64 {
        self.0
    }

    /// Reads `45`, `45.5`, `45.50`, `1,200.00` or `¥45` (yuan).
    pub fn parse(raw: &str) -> Result<Self, MoneyParseError> {
        let cleaned = raw.trim().trim_start_matches(['¥', '￥']).trim_end_matches('元');
        crate::hundredths::parse(cleaned, Self::MAX_FEN).map(Money)
    }

    /// `¥1,234.50`, for reading.
    pub fn display(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let yuan = i64::try_from(abs / 100).unwrap_or(i64::MAX);
        format!("{sign}¥{}.{:02}", format::integer(yuan), abs % 100)
    }
}

/// Sums saturate at the bounds of `i64` instead of wrapping (release) or panicking (debug): no
/// accepted amount comes near them (each is at most [`Money::MAX_FEN`], so it takes 92,000 of the
/// largest to get there), and a figure pinned at the bound is visibly wrong, never quietly so.
impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0.saturating_add(rhs.0))
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0.saturating_sub(rhs.0))
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.fold(0i64, |total, m| total.saturating_add(m.0)))
    }
}

/// Plain `1234.50` (yuan), the machine-readable form of exports and form values.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::hundredths::write_plain(self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_exactly_to_the_fen() {
        assert_eq!(Money::parse("45"), Ok(Money::from_fen(4500)));
        assert_eq!(Money::parse("45.5"), Ok(Money::from_fen(4550)));
        assert_eq!(Money::parse("¥1,200.05"), Ok(Money::from_fen(120_005)));
        assert_eq!(Money::parse("0.01元"), Ok(Money::from_fen(1)));
        assert_eq!(Money::parse("1.005"), Err(MoneyParseError::TooManyDecimals));
        assert_eq!(Money::parse("abc"), Err(MoneyParseError::NotANumber));
        assert_eq!(Money::parse(" "), Err(MoneyParseError::Empty));
    }

    #[test]
    fn amounts_print_for_machines_and_for_people() {
        let amount = Money::from_fen(123_456_789);
        assert_eq!(amount.to_string(), "1234567.89");
        assert_eq!(amount.display(), "¥1,234,567.89");
        assert_eq!(Money::parse(&amount.to_string()), Ok(amount));
    }
}
