//! Startups (在孵企业): their profile, their yearly figures, and their life as a tenant.

use crate::carrier::Industry;
use crate::uscc::{self, CodeError};
use crate::validation::{self, FieldErrors, Problem};
use crate::{CarrierId, DistrictId, Money, StartupId};
use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

coded_enum! {
    /// Where a startup stands as a tenant of a carrier.
    pub enum TenantStage {
        /// 申请入驻
        Applicant = "applicant",
        /// 在孵
        Incubating = "incubating",
        /// 毕业
        Graduated = "graduated",
        /// 退出
        Exited = "exited",
    }
}

coded_enum! {
    /// The national criteria for graduating from incubation (科技部《科技企业孵化器管理办法》).
    pub enum GraduationCriterion {
        /// 被认定为高新技术企业
        HighTechEnterprise = "high_tech_enterprise",
        /// 累计获得天使或风险投资500万元以上
        Financing5m = "financing_5m",
        /// 连续2年营业收入累计超过1000万元
        Revenue10mTwoYears = "revenue_10m_two_years",
        /// 被兼并、收购或在国内外资本市场挂牌、上市
        AcquiredOrListed = "acquired_or_listed",
    }
}

/// What the records show about a tenant for a graduation on a day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraduationFacts {
    /// The day it was recognised as a high-tech enterprise, if recorded.
    pub high_tech_on: Option<NaiveDate>,
    /// Outside money in its equity ledger's financing rounds up to the day.
    pub financing_ledger: Money,
    /// Financing it reported in its yearly figures up to the day's year.
    pub financing_reported: Money,
    /// Revenue it reported, by year, up to the day's year.
    pub revenue: std::collections::BTreeMap<i32, Money>,
}

/// 累计获得天使投资或风险投资超过500万元: more than 5,000,000 yuan.
pub const GRADUATION_FINANCING: Money = Money::from_fen(500_000_000);
/// 连续2年营业收入累计超过1000万元: more than 10,000,000 yuan over two consecutive years.
pub const GRADUATION_REVENUE: Money = Money::from_fen(1_000_000_000);

impl GraduationFacts {
    /// The cumulative financing: the larger of the ledger's and the reported figure (they describe
    /// the same money, recorded twice; adding them would count it twice).
    pub fn financing(&self) -> Money {
        if self.financing_ledger.fen() >= self.financing_reported.fen() {
            self.financing_ledger
        } else {
            self.financing_reported
        }
    }

    /// The best two consecutive years of revenue: (first year, their sum).
    pub fn best_two_years(&self) -> Option<(i32, Money)> {
        self.revenue
            .iter()
            .filter_map(|(year, revenue)| self.revenue.get(&(year + 1)).map(|next| (*year, *revenue + *next)))
            .max_by_key(|(_, sum)| sum.fen())
    }

    /// Whether the records prove `criterion` on `on`. Listing or acquisition is not recorded in
    /// Fuhua, so it is never proven by the records.
    pub fn prove(&self, criterion: GraduationCriterion, on: NaiveDate) -> bool {
        match criterion {
            GraduationCriterion::HighTechEnterprise => self.high_tech_on.is_some_and(|d| d <= on),
            GraduationCriterion::Financing5m => self.financing().fen() > GRADUATION_FINANCING.fen(),
            GraduationCriterion::Revenue10mTwoYears => {
                self.best_two_years().is_some_and(|(_, sum)| sum.fen() > GRADUATION_REVENUE.fen())
            }
            GraduationCriterion::AcquiredOrListed => false,
        }
    }
}

/// 《科技企业孵化器管理办法》第十条（九）: "孵化时限不超过48个月，从事生物医药、集成电路设计、现代
/// 农业等特殊领域的创业企业不超过60个月".
pub const INCUBATION_LIMIT_MONTHS: u32 = 48;
/// The limit for biomedicine, integrated circuits and modern agriculture.
pub const LONG_INCUBATION_LIMIT_MONTHS: u32 = 60;
/// Tenants this close to their limit are flagged: from month 42 of 48 (54 of 60).
pub const LIMIT_WARNING_MONTHS: u32 = 6;

/// A tenant's incubation limit in months, by its industry.
pub fn incubation_limit_months(industry: Option<crate::carrier::Industry>) -> u32 {
    use crate::carrier::Industry;
    match industry {
        Some(Industry::Biomedicine | Industry::IntegratedCircuits | Industry::ModernAgriculture) => {
            LONG_INCUBATION_LIMIT_MONTHS
        }
        _ => INCUBATION_LIMIT_MONTHS,
    }
}

/// Whether incubation that began on `since` has reached its limit by `on`: from then the tenant
/// no longer counts as in incubation (在孵) in any figure, until it graduates or leaves.
pub fn past_incubation_limit(since: NaiveDate, on: NaiveDate, industry: Option<crate::carrier::Industry>) -> bool {
    whole_months(since, on) >= incubation_limit_months(industry)
}

/// Field names of the profile form.
pub mod field {
    pub const NAME: &str = "name";
    pub const CREDIT_CODE: &str = "credit_code";
    pub const FOUNDED_ON: &str = "founded_on";
    pub const INDUSTRY: &str = "industry";
    pub const DISTRICT: &str = "registered_district";
    pub const TEAM_SIZE: &str = "team_size";
    pub const RD_STAFF: &str = "rd_staff";
    pub const FOUNDERS: &str = "founders";
    pub const CONTACT_NAME: &str = "contact_name";
    pub const CONTACT_PHONE: &str = "contact_phone";
    pub const CONTACT_EMAIL: &str = "contact_email";
    pub const PATENTS_APPLIED: &str = "patents_applied";
    pub const PATENTS_GRANTED: &str = "patents_granted";
    pub const SOFTWARE_COPYRIGHTS: &str = "software_copyrights";
    pub const HIGH_TECH_ON: &str = "high_tech_on";
    pub const TECH_SME_ON: &str = "tech_sme_on";
    pub const YEAR: &str = "year";
    pub const REVENUE: &str = "revenue";
    pub const RD_SPEND: &str = "rd_spend";
    pub const FINANCING: &str = "financing";
    pub const REASON: &str = "reason";
}

/// The profile form as submitted. Founders are one per line: `name` or `name, title`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    pub name: String,
    pub credit_code: String,
    pub founded_on: String,
    pub industry: String,
    /// A district id, or empty when registered outside the city.
    pub registered_district: String,
    pub team_size: String,
    pub rd_staff: String,
    pub founders: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: String,
    pub patents_applied: String,
    pub patents_granted: String,
    pub software_copyrights: String,
    pub high_tech_on: String,
    pub tech_sme_on: String,
}

/// A founder and their role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Founder {
    pub name: String,
    pub title: Option<String>,
}

/// A checked profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    /// The code, if one was given (a new company may not have it yet). A code that fails the
    /// standard is refused here; only an operator's override with a reason can store one.
    pub credit_code: Option<String>,
    pub founded_on: Option<NaiveDate>,
    pub industry: Option<Industry>,
    pub registered_district: Option<DistrictId>,
    pub team_size: u32,
    pub rd_staff: u32,
    pub founders: Vec<Founder>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub patents_applied: u32,
    pub patents_granted: u32,
    pub software_copyrights: u32,
    pub high_tech_on: Option<NaiveDate>,
    pub tech_sme_on: Option<NaiveDate>,
}

/// A whole number from 0 to `max`; empty is 0.
fn count(raw: &str, max: u32) -> Result<u32, Problem> {
    match raw.trim() {
        "" => Ok(0),
        value => match value.parse::<u32>() {
            Ok(n) if n <= max => Ok(n),
            Ok(_) => Err(Problem::TooLarge),
            Err(_) => Err(Problem::NotANumber),
        },
    }
}

fn optional_date(raw: &str, today: NaiveDate) -> Result<Option<NaiveDate>, Problem> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let date = validation::date(raw)?;
    if date > today { Err(Problem::DateInFuture) } else { Ok(Some(date)) }
}

/// The problem a code breaks, as a field problem.
pub fn code_problem(error: &CodeError) -> Problem {
    Problem::CreditCode(error.clone())
}

impl ProfileForm {
    pub fn parse(&self, today: NaiveDate) -> Result<Profile, FieldErrors> {
        use field::*;
        let mut errors = FieldErrors::new();
        let name = errors.check(NAME, validation::text(&self.name, 2, 100));
        let credit_code = errors.check(
            CREDIT_CODE,
            if self.credit_code.trim().is_empty() {
                Ok(None)
            } else {
                uscc::check(&self.credit_code).map(Some).map_err(|e| code_problem(&e))
            },
        );
        let founded_on = errors.check(FOUNDED_ON, optional_date(&self.founded_on, today));
        let industry = errors.check(
            INDUSTRY,
            if self.industry.trim().is_empty() {
                Ok(None)
            } else {
                validation::choice(&self.industry, Industry::from_code).map(Some)
            },
        );
        let registered_district = errors.check(
            DISTRICT,
            match self.registered_district.trim() {
                "" => Ok(None),
                raw => raw.parse().map(Some).map_err(|_| Problem::NotAChoice),
            },
        );
        let team_size = errors.check(TEAM_SIZE, count(&self.team_size, 100_000));
        let rd_staff = errors.check(RD_STAFF, count(&self.rd_staff, 100_000));
        if let (Some(team), Some(rd)) = (team_size, rd_staff)
            && rd > team
        {
            errors.add(RD_STAFF, Problem::RdStaffExceedsTeam);
        }
        let founders = errors.check(FOUNDERS, founders(&self.founders));
        let contact_name = errors.check(CONTACT_NAME, validation::optional_text(&self.contact_name, 50));
        let contact_phone = errors.check(
            CONTACT_PHONE,
            if self.contact_phone.trim().is_empty() {
                Ok(None)
            } else {
                validation::phone(&self.contact_phone).map(Some)
            },
        );
        let contact_email = errors.check(
            CONTACT_EMAIL,
            if self.contact_email.trim().is_empty() {
                Ok(None)
            } else {
                validation::email(&self.contact_email).map(Some)
            },
        );
        let patents_applied = errors.check(PATENTS_APPLIED, count(&self.patents_applied, 1_000_000));
        let patents_granted = errors.check(PATENTS_GRANTED, count(&self.patents_granted, 1_000_000));
        if let (Some(applied), Some(granted)) = (patents_applied, patents_granted)
            && granted > applied
        {
            errors.add(PATENTS_GRANTED, Problem::GrantedExceedsApplied);
        }
        let software_copyrights = errors.check(SOFTWARE_COPYRIGHTS, count(&self.software_copyrights, 1_000_000));
        let high_tech_on = errors.check(HIGH_TECH_ON, optional_date(&self.high_tech_on, today));
        let tech_sme_on = errors.check(TECH_SME_ON, optional_date(&self.tech_sme_on, today));
        if !errors.is_empty() {
            return Err(errors);
        }
        match (name, credit_code, founded_on, industry, registered_district, founders) {
            (
                Some(name),
                Some(credit_code),
                Some(founded_on),
                Some(industry),
                Some(registered_district),
                Some(founders),
            ) => Ok(Profile {
                name,
                credit_code,
                founded_on,
                industry,
                registered_district,
                team_size: team_size.unwrap_or(0),
                rd_staff: rd_staff.unwrap_or(0),
                founders,
                contact_name: contact_name.flatten(),
                contact_phone: contact_phone.flatten(),
                contact_email: contact_email.flatten(),
                patents_applied: patents_applied.unwrap_or(0),
                patents_granted: patents_granted.unwrap_or(0),
                software_copyrights: software_copyrights.unwrap_or(0),
                high_tech_on: high_tech_on.flatten(),
                tech_sme_on: tech_sme_on.flatten(),
            }),
            _ => Err(errors),
        }
    }
}

impl From<&Profile> for ProfileForm {
    fn from(p: &Profile) -> Self {
        let date = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
        ProfileForm {
            name: p.name.clone(),
            credit_code: p.credit_code.clone().unwrap_or_default(),
            founded_on: date(p.founded_on),
            industry: p.industry.map(|i| i.code().to_owned()).unwrap_or_default(),
            registered_district: p.registered_district.map(|d| d.to_string()).unwrap_or_default(),
            team_size: p.team_size.to_string(),
            rd_staff: p.rd_staff.to_string(),
            founders: p
                .founders
                .iter()
                .map(|f| match &f.title {
                    Some(title) => format!("{}, {title}", f.name),
                    None => f.name.clone(),
                })
                .collect::<Vec<_>>()
                .join("\n"),
            contact_name: p.contact_name.clone().unwrap_or_default(),
            contact_phone: p.contact_phone.clone().unwrap_or_default(),
            contact_email: p.contact_email.clone().unwrap_or_default(),
            patents_applied: p.patents_applied.to_string(),
            patents_granted: p.patents_granted.to_string(),
            software_copyrights: p.software_copyrights.to_string(),
            high_tech_on: date(p.high_tech_on),
            tech_sme_on: date(p.tech_sme_on),
        }
    }
}

/// One founder per line: `name` or `name, title` (a Chinese comma works too); at most 20.
fn founders(raw: &str) -> Result<Vec<Founder>, Problem> {
    let mut out = Vec::new();
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (name, title) = match line.split_once([',', '，']) {
            Some((name, title)) => (name.trim(), Some(title.trim()).filter(|t| !t.is_empty())),
            None => (line, None),
        };
        let name = validation::text(name, 1, 50)?;
        let title = title.map(|t| validation::text(t, 1, 50)).transpose()?;
        out.push(Founder { name, title });
    }
    if out.len() > 20 { Err(Problem::TooLarge) } else { Ok(out) }
}

/// One year's figures, as submitted (yuan).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct YearForm {
    pub year: String,
    pub revenue: String,
    pub rd_spend: String,
    pub financing: String,
}

/// One year's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearFigures {
    pub year: i32,
    pub revenue: Money,
    pub rd_spend: Money,
    pub financing: Money,
}

impl YearForm {
    pub fn parse(&self, today: NaiveDate) -> Result<YearFigures, FieldErrors> {
        use chrono::Datelike;
        let mut errors = FieldErrors::new();
        let year = errors.check(
            field::YEAR,
            match self.year.trim().parse::<i32>() {
                Ok(y) if (1990..=today.year()).contains(&y) => Ok(y),
                Ok(_) => Err(Problem::YearOutOfRange { min: 1990, max: today.year() }),
                Err(_) if self.year.trim().is_empty() => Err(Problem::Required),
                Err(_) => Err(Problem::NotANumber),
            },
        );
        let amount = |raw: &str| if raw.trim().is_empty() { Ok(Money::ZERO) } else { crate::space::money(raw) };
        let revenue = errors.check(field::REVENUE, amount(&self.revenue));
        let rd_spend = errors.check(field::RD_SPEND, amount(&self.rd_spend));
        let financing = errors.check(field::FINANCING, amount(&self.financing));
        match (year, revenue, rd_spend, financing) {
            (Some(year), Some(revenue), Some(rd_spend), Some(financing)) if errors.is_empty() => {
                Ok(YearFigures { year, revenue, rd_spend, financing })
            }
            _ => Err(errors),
        }
    }
}

/// A startup with everything its page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartupProfileView {
    pub id: StartupId,
    pub profile: Profile,
    /// Why a code that fails the standard was accepted, and by whom.
    pub code_override: Option<String>,
    pub years: Vec<YearFigures>,
    pub members: Vec<(String, String)>,
    pub created_at: DateTime<Utc>,
    pub version: i32,
    /// The viewer may edit the profile (a member).
    pub can_edit: bool,
    /// The viewer may override a failing code (an operator of a carrier it applied to, or the
    /// bureau).
    pub can_override_code: bool,
}

/// A dated step in a startup's life at a carrier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageEvent {
    pub stage: TenantStage,
    pub on: NaiveDate,
    pub criterion: Option<GraduationCriterion>,
    pub note: String,
}

/// A startup as a carrier's tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantView {
    pub startup: StartupId,
    pub name: String,
    pub carrier: CarrierId,
    pub stage: TenantStage,
    pub events: Vec<StageEvent>,
    /// When incubation began (the first `incubating` event).
    pub incubating_since: Option<NaiveDate>,
    /// Whole months of incubation up to today (or up to graduation or exit).
    pub months: u32,
    /// Incubation is within `LIMIT_WARNING_MONTHS` of its limit (48 or 60 months), or past it.
    pub near_limit: bool,
    /// Incubation has reached its limit: no longer counted as in incubation in any figure.
    #[serde(default)]
    pub past_limit: bool,
}

/// Whole months from `from` to `to` (0 if `to` is earlier).
pub fn whole_months(from: NaiveDate, to: NaiveDate) -> u32 {
    let mut months = 0;
    while from.checked_add_months(Months::new(months + 1)).is_some_and(|d| d <= to) {
        months += 1;
    }
    months
}

/// Whether incubation that began on `since` and is still going on `today` is near or past its
/// limit (48 months, or 60 in the fields that take longer).
pub fn near_incubation_limit(since: NaiveDate, today: NaiveDate, industry: Option<crate::carrier::Industry>) -> bool {
    whole_months(since, today) + LIMIT_WARNING_MONTHS >= incubation_limit_months(industry)
}

/// The graduation form, or an exit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StageForm {
    pub stage: String,
    pub on: String,
    pub criterion: String,
    pub note: String,
}

impl StageForm {
    /// A graduation (with its criterion) or an exit.
    pub fn parse(&self, today: NaiveDate) -> Result<StageEvent, FieldErrors> {
        let mut errors = FieldErrors::new();
        let stage = errors.check(
            "stage",
            match TenantStage::from_code(self.stage.trim()) {
                Some(stage @ (TenantStage::Graduated | TenantStage::Exited)) => Ok(stage),
                Some(_) | None => Err(Problem::NotAChoice),
            },
        );
        let on = errors.check("on", crate::space::effective_date(&self.on, today));
        let criterion = errors.check(
            "criterion",
            match (stage, self.criterion.trim()) {
                (Some(TenantStage::Graduated), "") => Err(Problem::Required),
                (Some(TenantStage::Graduated), code) => {
                    GraduationCriterion::from_code(code).map(Some).ok_or(Problem::NotAChoice)
                }
                _ => Ok(None),
            },
        );
        let note = errors.check("note", validation::optional_text(&self.note, 200));
        match (stage, on, criterion, note) {
            (Some(stage), Some(on), Some(criterion), Some(note)) if errors.is_empty() => {
                Ok(StageEvent { stage, on, criterion, note: note.unwrap_or_default() })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    fn valid_code() -> String {
        uscc::complete("91371302", "MA3C4D5E").unwrap()
    }

    fn form() -> ProfileForm {
        ProfileForm {
            name: "临沂智云科技有限公司".into(),
            credit_code: valid_code(),
            founded_on: "2025-03-01".into(),
            industry: "new_generation_it".into(),
            registered_district: "1".into(),
            team_size: "12".into(),
            rd_staff: "8".into(),
            founders: "王敏, CEO\n李强，CTO\n赵磊".into(),
            patents_applied: "3".into(),
            patents_granted: "1".into(),
            software_copyrights: "5".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_profile_parses_with_its_founders() {
        let profile = form().parse(today()).unwrap();
        assert_eq!(profile.credit_code, Some(valid_code()));
        assert_eq!(profile.founders.len(), 3);
        assert_eq!(profile.founders[1], Founder { name: "李强".into(), title: Some("CTO".into()) });
        assert_eq!(profile.founders[2].title, None);
        assert_eq!(ProfileForm::from(&profile).parse(today()), Ok(profile));
    }

    #[test]
    fn a_bad_code_is_refused_naming_the_rule() {
        let mut f = form();
        f.credit_code = format!("{}0", &valid_code()[..17]);
        let expected = valid_code().chars().last().unwrap();
        if expected != '0' {
            let problem = f.parse(today()).unwrap_err().for_field(field::CREDIT_CODE).next().cloned();
            assert!(matches!(problem, Some(Problem::CreditCode(CodeError::CheckCharacter { .. }))));
        }
    }

    #[test]
    fn a_code_failing_only_its_embedded_organisation_check_is_refused_with_its_own_rule() {
        let mut f = form();
        let good = valid_code();
        let wrong = if good.as_bytes()[16] == b'1' { '2' } else { '1' };
        let first_seventeen = format!("{}{wrong}", &good[..16]);
        f.credit_code = format!("{first_seventeen}{}", uscc::check_character(&first_seventeen).unwrap());
        let problem = f.parse(today()).unwrap_err().for_field(field::CREDIT_CODE).next().cloned();
        assert!(matches!(problem, Some(Problem::CreditCode(CodeError::OrganisationCode { .. }))), "{problem:?}");
    }

    #[test]
    fn figures_that_contradict_each_other_are_refused() {
        let mut f = form();
        f.rd_staff = "13".into();
        f.patents_granted = "4".into();
        let errors = f.parse(today()).unwrap_err();
        assert_eq!(errors.for_field(field::RD_STAFF).next(), Some(&Problem::RdStaffExceedsTeam));
        assert_eq!(errors.for_field(field::PATENTS_GRANTED).next(), Some(&Problem::GrantedExceedsApplied));
    }

    #[test]
    fn yearly_figures_are_exact_money() {
        let year = YearForm {
            year: "2025".into(),
            revenue: "1,234,567.89".into(),
            rd_spend: "".into(),
            financing: "5000000".into(),
        };
        let figures = year.parse(today()).unwrap();
        assert_eq!(figures.revenue, Money::from_fen(123_456_789));
        assert_eq!(figures.rd_spend, Money::ZERO);
        let future = YearForm { year: "2027".into(), ..Default::default() };
        assert_eq!(
            future.parse(today()).unwrap_err().for_field(field::YEAR).next(),
            Some(&Problem::YearOutOfRange { min: 1990, max: 2026 })
        );
    }

    #[test]
    fn incubation_months_count_whole_months_and_flag_the_limit() {
        let since = NaiveDate::from_ymd_opt(2022, 12, 15).unwrap();
        assert_eq!(whole_months(since, NaiveDate::from_ymd_opt(2023, 1, 14).unwrap()), 0);
        assert_eq!(whole_months(since, NaiveDate::from_ymd_opt(2023, 1, 15).unwrap()), 1);
        assert_eq!(whole_months(since, today()), 47);
        assert!(near_incubation_limit(since, today(), None));
        assert!(!near_incubation_limit(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(), today(), None));
    }

    /// 第十条（九）: "孵化时限不超过48个月，从事生物医药、集成电路设计、现代农业等特殊领域的创业企业不超过
    /// 60个月"; the warning starts six months before.
    #[test]
    fn the_incubation_limit_is_48_months_and_60_in_the_slow_fields() {
        use crate::carrier::Industry;
        let since = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let month = |m: u32| since.checked_add_months(chrono::Months::new(m)).unwrap();
        assert_eq!(incubation_limit_months(None), 48);
        assert_eq!(incubation_limit_months(Some(Industry::NewMaterials)), 48);
        for slow in [Industry::Biomedicine, Industry::IntegratedCircuits, Industry::ModernAgriculture] {
            assert_eq!(incubation_limit_months(Some(slow)), 60, "{slow:?}");
        }
        // Month 41 is quiet, month 42 warns, month 48 is past the limit.
        assert!(!near_incubation_limit(since, month(41), None));
        assert!(near_incubation_limit(since, month(42), None));
        assert!(!past_incubation_limit(since, month(47), None));
        assert!(past_incubation_limit(since, month(48), None));
        assert!(!near_incubation_limit(since, month(53), Some(Industry::Biomedicine)));
        assert!(near_incubation_limit(since, month(54), Some(Industry::Biomedicine)));
        assert!(!past_incubation_limit(since, month(59), Some(Industry::ModernAgriculture)));
        assert!(past_incubation_limit(since, month(60), Some(Industry::ModernAgriculture)));
    }

    /// The graduation criteria: "经国家备案通过的高新技术企业"; "累计获得天使投资或风险投资超过500万元";
    /// "连续2年营业收入累计超过1000万元"; "被兼并、收购或在国内外资本市场挂牌、上市".
    #[test]
    fn graduation_is_proven_by_the_records_of_each_criterion() {
        let on = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        let mut facts = GraduationFacts::default();
        assert!(!facts.prove(GraduationCriterion::HighTechEnterprise, on));
        facts.high_tech_on = NaiveDate::from_ymd_opt(2026, 7, 1);
        assert!(!facts.prove(GraduationCriterion::HighTechEnterprise, on), "recognised after the day");
        facts.high_tech_on = NaiveDate::from_ymd_opt(2025, 12, 1);
        assert!(facts.prove(GraduationCriterion::HighTechEnterprise, on));
        // More than 5 million: exactly 5 million is not enough; the larger record counts, once.
        facts.financing_ledger = Money::from_yuan(3_000_000);
        facts.financing_reported = Money::from_yuan(5_000_000);
        assert!(!facts.prove(GraduationCriterion::Financing5m, on));
        facts.financing_ledger = Money::from_fen(500_000_001);
        assert!(facts.prove(GraduationCriterion::Financing5m, on));
        // Two consecutive years above 10 million together; two years apart do not count.
        facts.revenue = [(2022, Money::from_yuan(6_000_000)), (2024, Money::from_yuan(6_000_000))].into();
        assert!(!facts.prove(GraduationCriterion::Revenue10mTwoYears, on));
        facts.revenue.insert(2025, Money::from_yuan(4_000_000));
        assert!(!facts.prove(GraduationCriterion::Revenue10mTwoYears, on), "exactly 10 million");
        facts.revenue.insert(2025, Money::from_fen(400_000_001));
        assert!(facts.prove(GraduationCriterion::Revenue10mTwoYears, on));
        assert_eq!(facts.best_two_years().map(|(y, _)| y), Some(2024));
        assert!(!facts.prove(GraduationCriterion::AcquiredOrListed, on), "not recorded: needs a reason");
    }

    #[test]
    fn graduation_needs_a_national_criterion() {
        let graduation = StageForm { stage: "graduated".into(), on: "2026-06-30".into(), ..Default::default() };
        assert_eq!(graduation.parse(today()).unwrap_err().for_field("criterion").next(), Some(&Problem::Required));
        let ok = StageForm { criterion: "financing_5m".into(), ..graduation };
        assert_eq!(ok.parse(today()).unwrap().criterion, Some(GraduationCriterion::Financing5m));
        let back = StageForm { stage: "applicant".into(), on: "2026-06-30".into(), ..Default::default() };
        assert!(back.parse(today()).is_err(), "a tenant cannot be sent back to applicant by hand");
    }
}
