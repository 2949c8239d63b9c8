//! Numbers with exactly two decimals, held as whole hundredths: the one parser and the one plain
//! formatter behind [`Area`](crate::Area) (hundredths of a m²) and [`Money`](crate::Money) (fen).

use crate::validation::Problem;
use std::fmt;

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
