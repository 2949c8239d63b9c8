//! The Unified Social Credit Code (统一社会信用代码) of GB 32100-2015: eighteen characters —
//! the registration authority (1), the organisation category (1), the administrative division
//! where it registered (6 digits), the organisation code (9), and a check character computed
//! from the other seventeen.

use serde::{Deserialize, Serialize};

/// The 31 characters of the code, in the order of their values 0–30 (I, O, S, V and Z are never
/// used, so they cannot be mistaken for 1, 0, 5, U and 2).
const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights of positions 1–17: 3^(i-1) mod 31.
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// Registration authorities (登记管理部门) and the organisation categories (机构类别) each one
/// registers, from table 1 of the standard.
const AUTHORITIES: &[(char, &str)] = &[
    ('1', "1239"),   // 机构编制
    ('2', "19"),     // 外交
    ('3', "123459"), // 司法行政
    ('4', "19"),     // 文化
    ('5', "1239"),   // 民政
    ('6', "129"),    // 旅游
    ('7', "129"),    // 宗教
    ('8', "19"),     // 工会
    ('9', "123"),    // 工商 (市场监管): 企业, 个体工商户, 农民专业合作社
    ('A', "19"),     // 中央军委改革和编制办公室
    ('N', "1239"),   // 农业
    ('Y', "1"),      // 其他
];

/// Which rule a code breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum CodeError {
    /// Not eighteen characters long.
    Length { found: u32 },
    /// A character outside the code's alphabet, at a 1-based position.
    Character { position: u32, character: String },
    /// The first character names no registration authority.
    Authority { found: String },
    /// The second character is not a category that authority registers.
    Category { found: String },
    /// Positions 3–8 are not an administrative division code (six digits, not starting with 0).
    Division,
    /// The check character does not match the other seventeen.
    CheckCharacter { expected: String, found: String },
}

fn value_of(c: char) -> Option<u32> {
    CHARSET.chars().position(|x| x == c).and_then(|p| u32::try_from(p).ok())
}

/// The check character for the first seventeen characters of a code.
pub fn check_character(first_seventeen: &str) -> Option<char> {
    let values: Vec<u32> = first_seventeen.chars().map(value_of).collect::<Option<_>>()?;
    if values.len() != 17 {
        return None;
    }
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    let check = (31 - sum % 31) % 31;
    CHARSET.chars().nth(usize::try_from(check).ok()?)
}

/// Checks a code against every rule of the standard, reporting the first it breaks. Spaces are
/// ignored and lower-case letters read as upper-case.
pub fn check(raw: &str) -> Result<String, CodeError> {
    let code: String = raw.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_uppercase).collect();
    let length = u32::try_from(code.chars().count()).unwrap_or(u32::MAX);
    if length != 18 {
        return Err(CodeError::Length { found: length });
    }
    for (i, c) in code.chars().enumerate() {
        if value_of(c).is_none() {
            return Err(CodeError::Character { position: u32::try_from(i + 1).unwrap_or(0), character: c.to_string() });
        }
    }
    let chars: Vec<char> = code.chars().collect();
    let Some((_, categories)) = AUTHORITIES.iter().find(|(a, _)| *a == chars[0]) else {
        return Err(CodeError::Authority { found: chars[0].to_string() });
    };
    if !categories.contains(chars[1]) {
        return Err(CodeError::Category { found: chars[1].to_string() });
    }
    if !chars[2..8].iter().all(char::is_ascii_digit) || chars[2] == '0' {
        return Err(CodeError::Division);
    }
    let first: String = chars[..17].iter().collect();
    let expected = check_character(&first).ok_or(CodeError::Division)?;
    if chars[17] != expected {
        return Err(CodeError::CheckCharacter { expected: expected.to_string(), found: chars[17].to_string() });
    }
    Ok(code)
}

/// The administrative division (positions 3–8) of a valid code: `371302` for Lanshan.
pub fn division(code: &str) -> Option<&str> {
    code.get(2..8)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A code of our own: seventeen characters and the check character they call for.
    fn valid(first_seventeen: &str) -> String {
        format!("{first_seventeen}{}", check_character(first_seventeen).unwrap())
    }

    #[test]
    fn codes_of_our_own_making_pass() {
        for body in [
            "91371302MA3C4D5E6",
            "91371311MA3XYW123",
            "92371312L12345678",
            "Y1371300123456789",
            "N2371321ABCDEFGH1",
            "A1371300000000000",
        ] {
            let code = valid(body);
            assert_eq!(check(&code), Ok(code.clone()), "{code}");
        }
    }

    #[test]
    fn a_code_is_read_without_spaces_and_in_upper_case() {
        let code = valid("91371302MA3C4D5E6");
        let typed = format!("{} {}", code[..9].to_lowercase(), &code[9..]);
        assert_eq!(check(&typed), Ok(code));
    }

    #[test]
    fn a_code_with_a_wrong_check_character_is_rejected_naming_the_right_one() {
        let code = valid("91371302MA3C4D5E6");
        let expected = code.chars().last().unwrap();
        let wrong = if expected == '0' { '1' } else { '0' };
        let tampered = format!("{}{wrong}", &code[..17]);
        assert_eq!(
            check(&tampered),
            Err(CodeError::CheckCharacter { expected: expected.to_string(), found: wrong.to_string() })
        );
    }

    #[test]
    fn every_rule_is_named_when_broken() {
        assert_eq!(check("91371302MA3C4D5E"), Err(CodeError::Length { found: 16 }));
        assert_eq!(check("91371302MA3C4D5EI7"), Err(CodeError::Character { position: 17, character: "I".into() }));
        assert_eq!(check("B1371302MA3C4D5E67"), Err(CodeError::Authority { found: "B".into() }));
        assert_eq!(check("94371302MA3C4D5E67"), Err(CodeError::Category { found: "4".into() }));
        assert_eq!(check("9137A302MA3C4D5E67"), Err(CodeError::Division));
        assert_eq!(check("91071302MA3C4D5E67"), Err(CodeError::Division));
    }

    #[test]
    fn the_check_character_can_be_a_letter_or_zero() {
        // Search our own bodies for check characters of each kind, so the arithmetic's edges
        // (31 → 0, letters) are covered.
        let mut seen_zero = false;
        let mut seen_letter = false;
        for n in 0..2000 {
            let body = format!("91371302MA{n:07}");
            let c = check_character(&body).unwrap();
            seen_zero |= c == '0';
            seen_letter |= c.is_ascii_alphabetic();
            assert!(check(&format!("{body}{c}")).is_ok());
        }
        assert!(seen_zero && seen_letter);
    }

    #[test]
    fn the_division_is_positions_three_to_eight() {
        assert_eq!(division(&valid("91371302MA3C4D5E6")), Some("371302"));
    }
}
