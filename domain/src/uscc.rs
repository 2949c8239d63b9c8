//! The Unified Social Credit Code (统一社会信用代码) of GB 32100-2015: eighteen characters —
//! the registration authority (1), the organisation category (1), the administrative division
//! where it registered (6 digits), the organisation code (9), and a check character computed
//! from the other seventeen. The organisation code carries a check character of its own
//! (GB 11714-1997, its ninth character), which a valid credit code satisfies too.

use serde::{Deserialize, Serialize};

/// The 31 characters of the code, in the order of their values 0–30 (I, O, S, V and Z are never
/// used, so they cannot be mistaken for 1, 0, 5, U and 2).
const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights of positions 1–17: 3^(i-1) mod 31.
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// Weights of the organisation code's first eight characters (GB 11714-1997, 4.2).
const ORGANISATION_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

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
    /// The embedded organisation code (positions 9–17) has the wrong check character of its own
    /// (GB 11714-1997), though the code's own check character matches.
    OrganisationCode { expected: String, found: String },
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

/// The check character of an organisation code's first eight characters (GB 11714-1997):
/// `11 − (Σ value × weight mod 11)`, written `X` for 10 and `0` for 11. Digits are worth 0–9 and
/// letters A–Z 10–35.
pub fn organisation_check_character(first_eight: &str) -> Option<char> {
    let values: Vec<u32> = first_eight
        .chars()
        .map(|c| match c {
            '0'..='9' | 'A'..='Z' => c.to_digit(36),
            _ => None,
        })
        .collect::<Option<_>>()?;
    if values.len() != 8 {
        return None;
    }
    let sum: u32 = values.iter().zip(ORGANISATION_WEIGHTS).map(|(v, w)| v * w).sum();
    match 11 - sum % 11 {
        10 => Some('X'),
        11 => Some('0'),
        n => char::from_digit(n, 10),
    }
}

/// A whole code from its first eight characters (authority, category, division) and the eight
/// characters of the organisation code's body: both check characters are computed. For tests,
/// seeds and examples; `None` if the parts are not of the code's alphabet or length.
pub fn complete(prefix: &str, organisation_body: &str) -> Option<String> {
    let organisation = organisation_check_character(organisation_body)?;
    let first_seventeen = format!("{prefix}{organisation_body}{organisation}");
    if first_seventeen.chars().count() != 17 {
        return None;
    }
    let check = check_character(&first_seventeen)?;
    Some(format!("{first_seventeen}{check}"))
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
    let body: String = chars[8..16].iter().collect();
    // Every character is of the code's alphabet by now, so the organisation check is defined.
    let organisation = organisation_check_character(&body).unwrap_or('?');
    if chars[16] != organisation {
        return Err(CodeError::OrganisationCode { expected: organisation.to_string(), found: chars[16].to_string() });
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

    /// A code of our own from its first sixteen characters: both check characters computed.
    fn valid(first_sixteen: &str) -> String {
        complete(&first_sixteen[..8], &first_sixteen[8..16]).unwrap()
    }

    #[test]
    fn codes_of_our_own_making_pass() {
        for body in [
            "91371302MA3C4D5E",
            "91371311MA3XYW12",
            "92371312L1234567",
            "Y137130012345678",
            "N2371321ABCDEFGH",
            "A137130000000000",
        ] {
            let code = valid(body);
            assert_eq!(check(&code), Ok(code.clone()), "{code}");
        }
    }

    #[test]
    fn a_code_is_read_without_spaces_and_in_upper_case() {
        let code = valid("91371302MA3C4D5E");
        let typed = format!("{} {}", code[..9].to_lowercase(), &code[9..]);
        assert_eq!(check(&typed), Ok(code.clone()));
        let typed = format!("{} {}", &code[..9], code[9..].to_lowercase());
        assert_eq!(check(&typed), Ok(code));
    }

    #[test]
    fn a_code_with_a_wrong_check_character_is_rejected_naming_the_right_one() {
        let code = valid("91371302MA3C4D5E");
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
        let (mut seen_x, mut seen_organisation_zero) = (false, false);
        for n in 0..2000 {
            let code = complete("91371302", &format!("MA{n:06}")).unwrap();
            let c = code.chars().last().unwrap();
            seen_zero |= c == '0';
            seen_letter |= c.is_ascii_alphabetic();
            seen_x |= code.as_bytes()[16] == b'X';
            seen_organisation_zero |= code.as_bytes()[16] == b'0';
            assert_eq!(check(&code), Ok(code.clone()));
        }
        assert!(seen_zero && seen_letter && seen_x && seen_organisation_zero);
    }

    /// GB 11714-1997, 4.2: "C9 = 11 − MOD(∑Ci × Wi, 11)", with weights 3, 7, 9, 10, 5, 8, 4, 2;
    /// "当C9的值为10时，校验码应用大写的拉丁字母X表示；当C9的值为11时校验码用0表示".
    #[test]
    fn the_organisation_code_check_character_follows_gb_11714() {
        // 1·3 + 2·7 + 3·9 + 4·10 + 5·5 + 6·8 + 7·4 + 8·2 = 201; 201 mod 11 = 3; 11 − 3 = 8.
        assert_eq!(organisation_check_character("12345678"), Some('8'));
        // 10 is written X and 11 is written 0.
        // 8·7 = 56; 56 mod 11 = 1; 11 − 1 = 10, written X. 0 mod 11 = 0; 11 − 0 = 11, written 0.
        assert_eq!(organisation_check_character("08000000"), Some('X'));
        assert_eq!(organisation_check_character("00000000"), Some('0'));
        assert_eq!(organisation_check_character("1234567"), None);
        assert_eq!(organisation_check_character("1234567!"), None);
        // A published code: 华为技术有限公司, 914403001922038216 (organisation code 19220382-1).
        assert_eq!(check("914403001922038216"), Ok("914403001922038216".to_owned()));
    }

    #[test]
    fn a_code_whose_embedded_organisation_code_fails_its_own_check_is_named_as_such() {
        // The code's own check character recomputed over a wrong organisation check character:
        // GB 32100 alone would accept it.
        let good = valid("91371302MA3C4D5E");
        let wrong = if good.as_bytes()[16] == b'1' { '2' } else { '1' };
        let first_seventeen = format!("{}{wrong}", &good[..16]);
        let code = format!("{first_seventeen}{}", check_character(&first_seventeen).unwrap());
        assert_eq!(
            check(&code),
            Err(CodeError::OrganisationCode { expected: good[16..17].to_owned(), found: wrong.to_string() })
        );
    }

    #[test]
    fn the_division_is_positions_three_to_eight() {
        assert_eq!(division(&valid("91371302MA3C4D5E")), Some("371302"));
    }
}
