//! What can be wrong with a submitted value, as data. The UI turns each [`Problem`] into a
//! sentence in the reader's language; nothing here holds user-facing text.

use serde::{Deserialize, Serialize};

/// Why a value was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Problem {
    /// Nothing was entered where something is needed.
    Required,
    /// Fewer characters than allowed.
    TooShort { min: u32 },
    /// More characters than allowed.
    TooLong { max: u32 },
    /// The value is not one of the offered choices.
    NotAChoice,
    /// The value is not a whole number.
    NotANumber,
    /// A year outside the accepted range.
    YearOutOfRange { min: i32, max: i32 },
    /// The accreditation year lies before the carrier opened.
    YearBeforeOpening,
    /// A year was given although there is no accreditation.
    YearWithoutLevel,
    /// The date is not a calendar date written as YYYY-MM-DD.
    NotADate,
    /// The date lies in the future.
    DateInFuture,
    /// The date lies before the earliest accepted date.
    DateTooEarly { min: String },
    /// Not a Chinese mobile or landline number.
    InvalidPhone,
    /// Not an email address.
    InvalidEmail,
    /// At least one choice must be ticked.
    NoneChosen,
    /// The referenced district does not exist.
    UnknownDistrict,
    /// Another record already uses this name.
    NameTaken,
    /// A password that attackers try first.
    PasswordCommon,
    /// A password made of the user's own details.
    PasswordPersonal,
    /// The two copies of a new password differ.
    PasswordMismatch,
    /// Another account already uses this email address.
    EmailTaken,
    /// No account has this email.
    UnknownAccount,
    /// The password given to prove who the user is, is not theirs.
    PasswordWrong,
    /// A code with characters other than letters, digits, `-`, `_` and `.`.
    InvalidCode,
    /// Zero or less where more is needed.
    NotPositive,
    /// More than two decimals.
    TooManyDecimals,
    /// Beyond any plausible value.
    TooLarge,
    /// The usable area is larger than the gross area.
    UsableExceedsGross,
    /// A rent per desk for a unit without desks.
    PerDeskWithoutDesks,
    /// Another unit on the floor (or another place at the same level) uses this code or name.
    CodeTaken,
    /// The change is dated before the unit existed.
    DateBeforeUnit,
    /// Records of the carrier (units, tenants, leases) are dated before this opening day.
    RecordsBeforeOpening,
    /// The records do not prove the graduation criterion: a reason (the evidence held) is needed.
    GraduationUnproven,
    /// Rent or services paid for equity: only the carrier (or its fund) is paid that way.
    NonCashNeedsCarrier,
    /// A round priced below ¥1 per ¥1 of registered capital, not marked as a discounted issue.
    BelowPar { price: String },
    /// A discounted issue needs its reason in the note.
    DiscountNeedsReason,
    /// A rent-for-equity conversion larger than the rent of the period its lease term covers.
    MoreThanRent { max: String },
    /// The unit has been removed; it changes no more.
    UnitRemoved,
    /// The change would leave the unit as it was.
    NoChange,
    /// A file's header names another column here.
    UnexpectedColumn { expected: String },
    /// A Unified Social Credit Code that breaks a rule of GB 32100-2015.
    CreditCode(crate::uscc::CodeError),
    /// More R&D staff than staff.
    RdStaffExceedsTeam,
    /// More patents granted than applied for.
    GrantedExceedsApplied,
    /// The application cannot make this move from where it stands.
    IllegalTransition { from: String, transition: String },
    /// The date lies in the past.
    DateInPast,
    /// The date lies after the latest accepted date.
    DateTooLate { max: String },
    /// A number outside the accepted range.
    OutOfRange { min: u32, max: u32 },
    /// The end lies before the start.
    EndBeforeStart,
    /// The unit is already let (or promised) for some of these days.
    UnitTaken { unit: String },
    /// The unit is not in service, or not this carrier's.
    UnitUnavailable { unit: String },
    /// Not a PDF file.
    NotPdf,
    /// The file is larger than allowed.
    FileTooLarge { max_mb: u32 },
    /// The startup keeps as many files as it may.
    TooManyFiles { max: u32 },
    /// The file has more data rows than one import takes.
    TooManyRows { max: usize },
    /// A date outside the years the platform keeps (see `crate::time::EARLIEST`, `LATEST`).
    DateOutOfRange { min: String, max: String },
    /// Rent-for-equity needs a landlord-plus-shareholder carrier.
    EquityNeedsShareholderModel,
    /// The lease has ended or been terminated.
    LeaseNotActive,
    /// A new last day that does not fit the event (a renewal must come later, an early end
    /// earlier, and no lease ends before it starts).
    BadLeaseEnd,
    /// The startup is not (or no longer) in the stage this needs.
    WrongStage,
    /// The credit code meets the standard: no override is needed (the startup enters it).
    CodeValid,
    /// A holder cannot deal with itself.
    SameHolder,
    /// More capital paid in than subscribed.
    PaidExceedsSubscribed,
    /// The same holder appears twice.
    DuplicateHolder,
    /// The company's formation must be recorded first.
    NotFormedYet,
    /// The company's formation is already recorded.
    AlreadyFormed,
    /// Dated before the latest event in the ledger.
    DateBeforeLastEvent { last: String },
    /// More capital than the holder holds.
    MoreThanHeld,
    /// Not a holder of this company.
    UnknownHolder,
    /// The event has already been reversed (or is itself a correction).
    AlreadyReversed,
    /// Later events depend on this one: they are corrected first.
    ReversalBreaksLedger,
    /// The lease's rent has already been converted into equity.
    LeaseAlreadyConverted,
    /// The lease is not this startup's or has no rent-for-equity term.
    LeaseNotForEquity,
}

/// A [`Problem`] with the form field it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub problem: Problem,
}

/// Every problem found in one submission, in field order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// One error on one field.
    pub fn single(field: &str, problem: Problem) -> Self {
        let mut errors = Self::new();
        errors.add(field, problem);
        errors
    }

    pub fn add(&mut self, field: &str, problem: Problem) {
        self.0.push(FieldError { field: field.to_owned(), problem });
    }

    /// Records the error of `result`, if any, and passes its value on.
    pub fn check<T>(&mut self, field: &str, result: Result<T, Problem>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(problem) => {
                self.add(field, problem);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `field` has a problem.
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The problems of one field.
    pub fn for_field<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a Problem> + 'a {
        self.0.iter().filter(move |e| e.field == field).map(|e| &e.problem)
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }
}

/// Trims `raw` and enforces a length range counted in characters (not bytes: 孵 is one).
pub fn text(raw: &str, min: u32, max: u32) -> Result<String, Problem> {
    let value = raw.trim();
    let chars = u32::try_from(value.chars().count()).unwrap_or(u32::MAX);
    if chars == 0 {
        Err(Problem::Required)
    } else if chars < min {
        Err(Problem::TooShort { min })
    } else if chars > max {
        Err(Problem::TooLong { max })
    } else {
        Ok(value.to_owned())
    }
}

/// Like [`text`], but an empty value is allowed and becomes `None`.
pub fn optional_text(raw: &str, max: u32) -> Result<Option<String>, Problem> {
    if raw.trim().is_empty() { Ok(None) } else { text(raw, 1, max).map(Some) }
}

/// A value from a closed set, by its code.
pub fn choice<T>(raw: &str, from_code: impl Fn(&str) -> Option<T>) -> Result<T, Problem> {
    let code = raw.trim();
    if code.is_empty() {
        return Err(Problem::Required);
    }
    from_code(code).ok_or(Problem::NotAChoice)
}

/// A calendar date written as `YYYY-MM-DD` (what `<input type="date">` posts).
pub fn date(raw: &str) -> Result<chrono::NaiveDate, Problem> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(Problem::Required);
    }
    crate::time::parse_date(value)
}

/// A Chinese phone number: a mobile number (11 digits starting with 1), or a landline with its
/// area code (0 + 2–3 digits, then 7–8 digits), optionally with `+86` and an extension after
/// `-` or `转`. Spaces and hyphens are ignored; the digits are returned normalised.
pub fn phone(raw: &str) -> Result<String, Problem> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(Problem::Required);
    }
    let (main, extension) = match value.split_once('转').or_else(|| value.split_once("ext")) {
        Some((main, ext)) => (main, Some(ext.trim())),
        None => (value, None),
    };
    let mut digits: String = main.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '（' | '）')).collect();
    if let Some(rest) = digits.strip_prefix("+86") {
        digits = rest.to_owned();
    }
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(Problem::InvalidPhone);
    }
    let mobile = digits.len() == 11 && digits.starts_with('1') && !digits.starts_with("10");
    let landline = digits.starts_with('0') && (10..=12).contains(&digits.len());
    if !(mobile || landline) {
        return Err(Problem::InvalidPhone);
    }
    match extension {
        Some(ext) if ext.is_empty() || ext.len() > 6 || !ext.chars().all(|c| c.is_ascii_digit()) => {
            Err(Problem::InvalidPhone)
        }
        Some(ext) => Ok(format!("{digits} 转 {ext}")),
        None => Ok(digits),
    }
}

/// An email address: one `@`, a non-empty local part, a domain with a dot, no spaces.
pub fn email(raw: &str) -> Result<String, Problem> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(Problem::Required);
    }
    if value.chars().count() > 254 {
        return Err(Problem::TooLong { max: 254 });
    }
    let valid = match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
                && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if valid { Ok(value.to_owned()) } else { Err(Problem::InvalidEmail) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_counted_in_characters() {
        assert_eq!(text("  临沂孵化园  ", 2, 5), Ok("临沂孵化园".to_owned()));
        assert_eq!(text("临沂孵化园区", 2, 5), Err(Problem::TooLong { max: 5 }));
        assert_eq!(text("临", 2, 5), Err(Problem::TooShort { min: 2 }));
        assert_eq!(text("   ", 2, 5), Err(Problem::Required));
    }

    #[test]
    fn mobile_and_landline_numbers_are_accepted_and_normalised() {
        assert_eq!(phone("138 0539 1234"), Ok("13805391234".to_owned()));
        assert_eq!(phone("+86 138-0539-1234"), Ok("13805391234".to_owned()));
        assert_eq!(phone("0539-8123456"), Ok("05398123456".to_owned()));
        assert_eq!(phone("(0539) 8123456 转 801"), Ok("05398123456 转 801".to_owned()));
    }

    #[test]
    fn numbers_that_cannot_be_dialled_are_rejected() {
        for bad in ["12345", "1380539123", "23805391234", "0539-81234", "139abc12345", "10086123456", "0539-8123456转"]
        {
            assert_eq!(phone(bad), Err(Problem::InvalidPhone), "{bad}");
        }
        assert_eq!(phone(""), Err(Problem::Required));
    }

    #[test]
    fn email_addresses_need_a_local_part_and_a_dotted_domain() {
        assert_eq!(email(" office@lyfh.cn "), Ok("office@lyfh.cn".to_owned()));
        for bad in ["office", "@lyfh.cn", "office@lyfh", "office@.cn", "of fice@lyfh.cn", "a@b@c.cn", "a@b..cn"] {
            assert_eq!(email(bad), Err(Problem::InvalidEmail), "{bad}");
        }
    }

    #[test]
    fn dates_must_be_real_calendar_dates() {
        assert!(date("2024-02-29").is_ok());
        assert_eq!(date("2023-02-29"), Err(Problem::NotADate));
        assert_eq!(date("29/02/2024"), Err(Problem::NotADate));
        assert_eq!(date(""), Err(Problem::Required));
    }

    #[test]
    fn errors_are_kept_per_field_in_order() {
        let mut errors = FieldErrors::new();
        assert_eq!(errors.check("name", text("", 1, 5)), None);
        assert_eq!(errors.check("phone", phone("13805391234")), Some("13805391234".to_owned()));
        errors.add("name", Problem::NameTaken);
        assert_eq!(errors.for_field("name").collect::<Vec<_>>(), [&Problem::Required, &Problem::NameTaken]);
        assert_eq!(errors.for_field("phone").count(), 0);
    }
}
