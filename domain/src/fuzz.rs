//! Generated hostile input for the parsers' property tests (here, in `service` and in `server`):
//! a small deterministic generator on stable Rust, so every run sees the same inputs and a
//! failure names the seed that found it.
//!
//! Inputs mix the pieces that break parsers: digits and signs in odd places, separators,
//! full-width and CJK characters, control characters, numbers far past any type's range, very
//! long and empty strings, and mutations of valid samples (a character inserted, dropped or
//! swapped), which reach the corners near what a parser accepts.

/// Pieces that inputs are built from.
const PIECES: &[&str] = &[
    "0",
    "1",
    "9",
    "12",
    "2026",
    "-",
    "+",
    ".",
    ",",
    "，",
    "。",
    "．",
    "e",
    "E",
    "%",
    "¥",
    "元",
    "万",
    "m²",
    "㎡",
    " ",
    "\t",
    "\n",
    "\r",
    "\u{0}",
    "\u{7f}",
    "\u{200b}",
    "\u{feff}",
    "\u{3000}",
    "/",
    "\\",
    "'",
    "\"",
    "=",
    "@",
    "#",
    "&",
    "?",
    "[",
    "]",
    "{",
    "}",
    "<",
    ">",
    ":",
    ";",
    "_",
    "a",
    "Z",
    "I",
    "O",
    "孵",
    "化",
    "临沂",
    "兰山区",
    "😀",
    "é",
    "Ⅷ",
    "１２",
    "9999999999999999999999",
    "-9223372036854775808",
    "18446744073709551616",
    "NaN",
    "inf",
    "1e308",
    "0.005",
    "123.456",
    "00",
    "--",
    "..",
    "-262143-01-01",
    "+262142-12-31",
    "2026-02-29",
    "2026-13-01",
    "9999-12-31",
    "91371300MA3C1234X5",
    "%0a",
    "%2F",
    "//",
    "/\\",
    "javascript:",
    "=HYPERLINK(",
    "true",
    "null",
    "[]",
    "{}",
];

/// A deterministic generator (SplitMix64).
#[derive(Debug, Clone)]
pub struct Gen {
    state: u64,
}

impl Gen {
    pub fn new(seed: u64) -> Self {
        Gen { state: seed ^ 0x9E37_79B9_7F4A_7C15 }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        usize::try_from(self.next_u64() % u64::try_from(n).unwrap_or(u64::MAX)).unwrap_or(0)
    }

    /// True about `percent` times in a hundred.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A hostile string of up to `max_pieces` pieces; now and then a very long one.
    pub fn text(&mut self, max_pieces: usize) -> String {
        if self.chance(2) {
            return self.pick(PIECES).repeat(1 + self.below(5000));
        }
        let count = self.below(max_pieces + 1);
        let mut text = String::new();
        for _ in 0..count {
            if self.chance(10) {
                text.push(self.char());
            } else {
                let piece = *self.pick(PIECES);
                text.push_str(piece);
            }
        }
        text
    }

    /// Any character, from anywhere in Unicode.
    pub fn char(&mut self) -> char {
        let code = match self.below(4) {
            0 => self.below(0x80),
            1 => 0x4e00 + self.below(0x5000),
            2 => self.below(0x1_0000),
            _ => self.below(0x11_0000),
        };
        char::from_u32(u32::try_from(code).unwrap_or(0)).unwrap_or('\u{fffd}')
    }

    /// `valid` with a few characters inserted, dropped or replaced.
    pub fn mutate(&mut self, valid: &str) -> String {
        let mut chars: Vec<char> = valid.chars().collect();
        for _ in 0..1 + self.below(3) {
            let at = self.below(chars.len() + 1);
            match self.below(3) {
                0 => {
                    chars.insert(at, if self.chance(50) { self.char() } else { *self.pick(&['0', '9', '-', '.', ' ']) })
                }
                1 if at < chars.len() => {
                    chars.remove(at);
                }
                _ if at < chars.len() => chars[at] = self.char(),
                _ => chars.push(self.char()),
            }
        }
        chars.into_iter().collect()
    }

    /// Either a mutation of one of `valid`, or hostile text.
    pub fn near(&mut self, valid: &[&str]) -> String {
        if self.chance(60) {
            let sample = *self.pick(valid);
            self.mutate(sample)
        } else {
            self.text(8)
        }
    }

    /// Random bytes, up to `max` of them.
    pub fn bytes(&mut self, max: usize) -> Vec<u8> {
        let len = self.below(max + 1);
        (0..len).map(|_| u8::try_from(self.next_u64() & 0xff).unwrap_or(0)).collect()
    }
}

#[cfg(test)]
mod tests {
    //! Every parser of the domain, fed generated input: none may panic, and what each accepts
    //! must be what it promises (a value in range, a round trip that holds).

    use super::Gen;
    use crate::{Area, Money};
    use serde::Serialize;
    use serde::de::DeserializeOwned;

    /// Multiplies every iteration count: `FUHUA_FUZZ_SCALE=10` for the long run.
    fn scale() -> usize {
        std::env::var("FUHUA_FUZZ_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1)
    }

    #[test]
    fn money_parses_or_refuses_and_what_it_accepts_prints_back_the_same_amount() {
        let mut g = Gen::new(1);
        for _ in 0..150_000 * scale() {
            let raw = g.near(&["1234.56", "0.01", "-3", "1,234,567.89", "9999999999.99", "１２"]);
            if let Ok(money) = Money::parse(&raw) {
                let again = Money::parse(&money.to_string()).expect("a printed amount parses");
                assert_eq!(again, money, "{raw:?}");
            }
        }
    }

    #[test]
    fn areas_parse_or_refuse_and_what_they_accept_prints_back_the_same_area() {
        let mut g = Gen::new(2);
        for _ in 0..150_000 * scale() {
            let raw = g.near(&["120.50", "96.4", "0", "2000000", "0.01", "1,000.5"]);
            if let Ok(area) = Area::parse(&raw) {
                let again =
                    Area::parse(&crate::format::two_decimals(area.hundredths())).expect("a printed area parses");
                assert_eq!(again, area, "{raw:?}");
            }
        }
    }

    #[test]
    fn dates_parse_only_inside_the_accepted_range() {
        let mut g = Gen::new(3);
        for _ in 0..150_000 * scale() {
            let raw = g.near(&["2026-11-29", "1900-01-01", "2199-12-31", "+262142-12-31", "-262143-01-01"]);
            if let Ok(date) = crate::time::parse_date(&raw) {
                assert!((crate::time::EARLIEST..=crate::time::LATEST).contains(&date), "{raw:?}");
            }
            let _ = crate::validation::date(&raw);
        }
    }

    #[test]
    fn credit_codes_are_checked_without_panicking_and_a_valid_one_stays_valid() {
        let mut g = Gen::new(4);
        for _ in 0..150_000 * scale() {
            let raw = g.near(&["91371300MA3C1234X5", "91371302MA3MXL8G4B", "123", ""]);
            if let Ok(code) = crate::uscc::check(&raw) {
                // What is accepted comes back normalised: 18 characters of the code's alphabet,
                // and checking it again accepts it again.
                assert_eq!(code.chars().count(), 18, "{raw:?}");
                assert_eq!(crate::uscc::check(&code), Ok(code.clone()), "{raw:?}");
            }
        }
    }

    #[test]
    fn redirects_never_leave_the_site_whatever_comes_in() {
        let mut g = Gen::new(5);
        for _ in 0..100_000 * scale() {
            let raw = g.near(&["/carriers?on=2026-01-01", "/", "//evil.example", "/\t/evil.example"]);
            let path = crate::redirect::local_path(Some(&raw));
            assert!(path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\"), "{raw:?} → {path}");
            assert!(path.bytes().all(|b| (0x21..0x7f).contains(&b)), "{raw:?} → {path}");
        }
    }

    /// `form` with every text field (and every text in a list) replaced by generated input.
    fn hostile<T: Serialize + DeserializeOwned>(g: &mut Gen, form: &T) -> T {
        fn fill(g: &mut Gen, value: &mut serde_json::Value) {
            match value {
                serde_json::Value::String(s) => *s = g.text(6),
                serde_json::Value::Array(items) => {
                    // Items shaped like the template's first (a row of a form), else text.
                    let template = items.first().cloned();
                    items.clear();
                    for _ in 0..g.below(4) {
                        let mut item = template.clone().unwrap_or(serde_json::Value::String(String::new()));
                        fill(g, &mut item);
                        items.push(item);
                    }
                }
                serde_json::Value::Object(map) => map.values_mut().for_each(|v| fill(g, v)),
                _ => {}
            }
        }
        let mut value = serde_json::to_value(form).expect("a form serialises");
        fill(g, &mut value);
        serde_json::from_value(value).expect("the same shape deserialises")
    }

    #[test]
    fn every_form_refuses_hostile_input_field_by_field_without_panicking() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap_or_default();
        let mut g = Gen::new(6);
        let rounds = 15_000 * scale();
        for _ in 0..rounds {
            let _ = hostile(&mut g, &crate::account::RegistrationForm::default()).parse();
            let _ = hostile(&mut g, &crate::account::InvitationForm::default()).parse();
            let _ = hostile(&mut g, &crate::carrier::CarrierForm::default()).parse(today);
            let _ = hostile(&mut g, &crate::space::UnitForm::default()).parse();
            let _ = hostile(&mut g, &crate::space::ChangeForm::default()).parse(today);
            let _ = hostile(&mut g, &crate::tenancy::application::ApplicationForm::default()).parse(today);
            let _ = hostile(&mut g, &crate::tenancy::lease::LeaseForm::default()).parse();
            let _ = hostile(&mut g, &crate::tenancy::lease::LeaseEventForm::default()).parse();
            let _ = hostile(&mut g, &crate::tenancy::startup::ProfileForm::default()).parse(today);
            let _ = hostile(&mut g, &crate::tenancy::startup::YearForm::default()).parse(today);
            let _ = hostile(&mut g, &crate::readiness::AnnualReturnForm::default()).parse(2015, 2026);
            let rows = vec![crate::equity::ledger::RowForm::default()];
            let _ = hostile(&mut g, &crate::equity::ledger::EventForm { rows, ..Default::default() }).parse(today);
        }
    }

    #[test]
    fn import_rows_are_checked_cell_by_cell_without_panicking() {
        let mut g = Gen::new(7);
        let valid = [
            "一号园区",
            "A座",
            "3F",
            "301",
            "private_office",
            "120.50",
            "96.40",
            "tenant",
            "0",
            "80",
            "per_m2",
            "in_service",
        ];
        for row in 0..60_000 * scale() {
            let cells: Vec<String> =
                valid.iter().map(|v| if g.chance(30) { g.near(&[v]) } else { (*v).to_owned() }).collect();
            let width = g.below(cells.len() + 3);
            let cells: Vec<String> =
                cells.into_iter().chain(std::iter::repeat_with(|| g.text(3))).take(width).collect();
            let _ = crate::space::import::UnitRecord::parse(row + 2, &cells);
        }
    }
}
