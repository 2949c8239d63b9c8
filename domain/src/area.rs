//! Floor area, exact to the hundredth of a square metre.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, Sub};

/// An area in square metres with two decimals, held as a whole number of hundredths of a square
/// metre so that sums over a million units are exact and reproducible.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Area(i64);

/// Why a written area was refused.
pub type AreaParseError = crate::hundredths::ParseError;

impl Area {
    pub const ZERO: Area = Area(0);
    /// The largest area accepted: 10⁹ m², far beyond any city.
    const MAX_HUNDREDTHS: i64 = 100_000_000_000;

    pub const fn from_hundredths(hundredths: i64) -> Self {
        Area(hundredths)
    }

    pub const fn from_square_metres(m2: i64) -> Self {
        Area(m2 * 100)
    }

    pub const fn hundredths(self) -> i64 {
        self.0
    }

    /// Whole square metres and the hundredths beyond them (both carry the sign).
    pub const fn split(self) -> (i64, i64) {
        (self.0 / 100, self.0 % 100)
    }

    /// Reads `1234`, `1234.5` or `1234.56` (also with thousands separators or a trailing `m²`).
    pub fn parse(raw: &str) -> Result<Self, AreaParseError> {
        let cleaned = raw.trim().trim_end_matches("m²").trim_end_matches("㎡");
        crate::hundredths::parse(cleaned, Self::MAX_HUNDREDTHS).map(Area)
    }
}

/// Sums saturate instead of wrapping or panicking, as [`Money`](crate::Money)'s do.
impl Add for Area {
    type Output = Area;
    fn add(self, rhs: Area) -> Area {
        Area(self.0.saturating_add(rhs.0))
    }
}

impl Sub for Area {
    type Output = Area;
    fn sub(self, rhs: Area) -> Area {
        Area(self.0.saturating_sub(rhs.0))
    }
}

impl Sum for Area {
    fn sum<I: Iterator<Item = Area>>(iter: I) -> Area {
        Area(iter.fold(0i64, |total, a| total.saturating_add(a.0)))
    }
}

/// Plain `1234.56`, the machine-readable form used in exports and form values.
impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::hundredths::write_plain(self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_are_read_exactly_to_the_hundredth() {
        assert_eq!(Area::parse("1234.56"), Ok(Area::from_hundredths(123_456)));
        assert_eq!(Area::parse("1234.5"), Ok(Area::from_hundredths(123_450)));
        assert_eq!(Area::parse("1,234"), Ok(Area::from_hundredths(123_400)));
        assert_eq!(Area::parse(" 80 m² "), Ok(Area::from_square_metres(80)));
        assert_eq!(Area::parse(".5"), Ok(Area::from_hundredths(50)));
        assert_eq!(Area::parse("-12.30"), Ok(Area::from_hundredths(-1230)));
    }

    #[test]
    fn areas_with_three_decimals_or_letters_are_refused() {
        assert_eq!(Area::parse("12.345"), Err(AreaParseError::TooManyDecimals));
        assert_eq!(Area::parse("12a"), Err(AreaParseError::NotANumber));
        assert_eq!(Area::parse("."), Err(AreaParseError::NotANumber));
        assert_eq!(Area::parse(""), Err(AreaParseError::Empty));
        assert_eq!(Area::parse("99999999999999999999"), Err(AreaParseError::TooLarge));
    }

    #[test]
    fn a_sum_of_many_small_areas_is_exact() {
        // 0.01 m² a million times is exactly 10,000 m²: with binary floats it is not.
        let total: Area = std::iter::repeat_n(Area::from_hundredths(1), 1_000_000).sum();
        assert_eq!(total, Area::from_square_metres(10_000));
        assert_eq!(total.to_string(), "10000.00");
    }

    #[test]
    fn display_round_trips_through_parse() {
        for h in [0, 1, 99, 100, 123_456, -5] {
            let area = Area::from_hundredths(h);
            assert_eq!(Area::parse(&area.to_string()), Ok(area));
        }
    }
}
