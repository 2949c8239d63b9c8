//! Numbers with exactly two decimals, held as whole hundredths: the one parser and the one plain
//! formatter behind [`Area`](crate::Area) (hundredths of a m²) and [`Money`](crate::Money) (fen),
//! and the one share in basis points (hundredths of a percent).

use crate::validation::Problem;
use std::fmt;

/// `part / whole` in basis points (hundredths of a percent, 10,000 = 100 %), rounded toward zero
/// so that a share is never shown as reached before it is; `None` when the whole is not
/// positive. Computed wide, and saturating rather than wrapping for absurd inputs. The one share
/// computation behind occupancy, the tenant share of area, a target's share achieved and the
/// change over a year.
pub fn basis_points(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| {
        let bp = i128::from(part) * 10_000 / i128::from(whole);
        i64::try_from(bp).unwrap_or(if bp < 0 { i64::MIN } else { i64::MAX })
    })
}

/// Why a written two-decimal number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseError {
    Empty,
    NotANumber,
    TooManyDecimals,
    TooLarge,
}

impl From<ParseError> for Problem {
    fn from(error: ParseError) -> Problem {
        match error {
            ParseError::Empty => Problem::Required,
            ParseError::NotANumber => Problem::NotANumber,
            ParseError::TooManyDecimals => Problem::TooManyDecimals,
            ParseError::TooLarge => Problem::TooLarge,
        }
    }
}

/// Reads `1234`, `-1,234.5`, `.5` (commas and spaces, also full-width ones, are ignored) into
/// hundredths, refusing more than two decimals and magnitudes beyond `max`.
pub(crate) fn parse(cleaned: &str, max: i64) -> Result<i64, ParseError> {
    let cleaned: String = cleaned.chars().filter(|c| !matches!(c, ',' | ' ' | '，')).collect();
    if cleaned.is_empty() {
        return Err(ParseError::Empty);
    }
    let (negative, unsigned) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.as_str()),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !fraction.chars().all(|c| c.is_ascii_digit())
    {
        return Err(ParseError::NotANumber);
    }
    if fraction.len() > 2 {
        return Err(ParseError::TooManyDecimals);
    }
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| ParseError::TooLarge)? };
    let fraction: i64 = format!("{fraction:0<2}").parse().map_err(|_| ParseError::NotANumber)?;
    let hundredths = whole
        .checked_mul(100)
        .and_then(|h| h.checked_add(fraction))
        .filter(|h| *h <= max)
        .ok_or(ParseError::TooLarge)?;
    Ok(if negative { -hundredths } else { hundredths })
}

/// Writes plain `-1234.56`: the machine-readable form of exports and form values.
pub(crate) fn write_plain(hundredths: i64, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.unsigned_abs();
    write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::basis_points;

    #[test]
    fn shares_round_toward_zero_keep_their_sign_and_need_a_whole() {
        assert_eq!(basis_points(2, 3), Some(6_666));
        assert_eq!(basis_points(-30, 120), Some(-2_500));
        assert_eq!(basis_points(-1, 3), Some(-3_333));
        assert_eq!(basis_points(5, 0), None);
        assert_eq!(basis_points(5, -1), None);
        assert_eq!(basis_points(i64::MAX, 1), Some(i64::MAX), "saturates");
        assert_eq!(basis_points(i64::MIN, 1), Some(i64::MIN));
    }
}
