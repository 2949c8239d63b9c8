//! Accreditation readiness: rule sets of criteria (stored as data, edited by bureau staff), the
//! figures a carrier shows for each metric with where the figure came from, and the checklist
//! that compares them: pass, fail, or unknown where the figure is not recorded.

use crate::validation::{FieldErrors, Problem};
use crate::{Area, CarrierId, Lang, Money, Text, format};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

coded_enum! {
    /// What a criterion measures. Each metric has one unit and one source.
    pub enum Metric {
        /// Whole months since the carrier opened (registration).
        OperatingMonths = "operating_months",
        /// Gross area in service (area ledger).
        GrossArea = "gross_area",
        /// Share of the gross area used by tenants, public-service area included (area ledger).
        TenantUseShare = "tenant_use_share",
        /// Workstations in service (area ledger).
        Desks = "desks",
        /// Tenants in incubation (tenant records).
        Tenants = "tenants",
        /// Tenants in incubation per 1,000 m² of gross area.
        TenantsPer1000 = "tenants_per_1000",
        /// Tenants graduated, in all (tenant records).
        Graduates = "graduates",
        /// Tenants admitted in the twelve months up to the day (tenant records).
        AdmittedLastYear = "admitted_last_year",
        /// Of those, companies founded within the twelve months (tenant records, startup profiles).
        NewCompaniesLastYear = "new_companies_last_year",
        /// Tenants in incubation that reported financing in the previous year (startup returns).
        FinancedLastYear = "financed_last_year",
        /// Share of tenants in incubation that have raised any financing (startup returns).
        FinancedShare = "financed_share",
        /// Share of tenants in incubation that have applied for a patent (startup profiles).
        PatentShare = "patent_share",
        /// Share of tenants in incubation holding granted patents or software copyrights.
        IpShare = "ip_share",
        /// Startups the carrier or its fund holds equity in (equity ledger).
        InvestedStartups = "invested_startups",
        /// Incubation fund, own or partnered (annual return).
        Fund = "fund",
        /// Share of professional incubation staff in all staff (annual return).
        ProfessionalShare = "professional_share",
        /// Professional incubation staff (annual return).
        ProfessionalStaff = "professional_staff",
        /// Professional incubation staff per 10 tenants (annual return, tenant records).
        StaffPer10Tenants = "staff_per_10_tenants",
        /// Mentors (annual return).
        Mentors = "mentors",
        /// Mentors per 10 tenants (annual return, tenant records).
        MentorsPer10Tenants = "mentors_per_10_tenants",
        /// Typical incubation cases of the year (annual return).
        TypicalCases = "typical_cases",
        /// Salons, roadshows, contests and trainings held in the year (annual return).
        EventsHeld = "events_held",
        /// Years for which an annual return was filed.
        ReportedYears = "reported_years",
        /// 1 when all the carrier's space in service is on one site (孵化场地集中); no figure
        /// when it is spread over several, which a reviewer judges.
        ConcentratedSite = "concentrated_site",
        /// Share of tenants in incubation in the most common industry (startup profiles).
        IndustryShare = "industry_share",
        /// Share of tenants in incubation the carrier holds equity in (equity ledger).
        InvestedShare = "invested_share",
        /// Share of the carrier's income that is not rent (annual return).
        NonRentIncomeShare = "non_rent_income_share",
        /// Growth of the tenants' combined revenue over the previous year, tenants that
        /// reported both years (startup returns); negative when it fell.
        RevenueGrowth = "revenue_growth",
        /// Not measurable from records: checked by a reviewer.
        Review = "review",
    }
}

/// The unit a metric's figures and thresholds are held in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    Months,
    /// Hundredths of a m².
    Area,
    /// Basis points (10,000 = 100 %).
    Share,
    Count,
    /// Hundredths of a ratio.
    Ratio,
    /// Fen.
    Money,
    /// No figure: always for a reviewer.
    None,
}

/// Where a figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    Registration,
    AreaLedger,
    TenantRecords,
    StartupReturns,
    EquityLedger,
    /// Financing: the startups' yearly figures and the outside money of their equity ledgers.
    Financing,
    /// The carrier's annual return for this year.
    AnnualReturn(i32),
    Review,
}

impl Source {
    /// Where a figure came from, for the reader.
    pub fn text(self) -> Text {
        match self {
            Source::Registration => Text::key("source-registration"),
            Source::AreaLedger => Text::key("source-area-ledger"),
            Source::TenantRecords => Text::key("source-tenant-records"),
            Source::StartupReturns => Text::key("source-startup-returns"),
            Source::EquityLedger => Text::key("source-equity-ledger"),
            Source::Financing => Text::key("source-financing"),
            Source::AnnualReturn(year) => Text::key("source-annual-return").arg("year", Text::Plain(year.to_string())),
            Source::Review => Text::key("source-review"),
        }
    }
}

impl Metric {
    pub fn unit(self) -> Unit {
        match self {
            Metric::OperatingMonths => Unit::Months,
            Metric::GrossArea => Unit::Area,
            Metric::TenantUseShare
            | Metric::FinancedShare
            | Metric::PatentShare
            | Metric::IpShare
            | Metric::ProfessionalShare
            | Metric::IndustryShare
            | Metric::InvestedShare
            | Metric::NonRentIncomeShare
            | Metric::RevenueGrowth => Unit::Share,
            Metric::TenantsPer1000 | Metric::StaffPer10Tenants | Metric::MentorsPer10Tenants => Unit::Ratio,
            Metric::Fund => Unit::Money,
            Metric::Review => Unit::None,
            Metric::Desks
            | Metric::Tenants
            | Metric::Graduates
            | Metric::AdmittedLastYear
            | Metric::NewCompaniesLastYear
            | Metric::FinancedLastYear
            | Metric::InvestedStartups
            | Metric::ProfessionalStaff
            | Metric::Mentors
            | Metric::TypicalCases
            | Metric::EventsHeld
            | Metric::ReportedYears
            | Metric::ConcentratedSite => Unit::Count,
        }
    }

    /// What the metric measures, for the reader.
    pub fn text(self) -> Text {
        Text::key(match self {
            Metric::OperatingMonths => "metric-operating-months",
            Metric::GrossArea => "metric-gross-area",
            Metric::TenantUseShare => "metric-tenant-use-share",
            Metric::Desks => "metric-desks",
            Metric::Tenants => "metric-tenants",
            Metric::TenantsPer1000 => "metric-tenants-per-1000",
            Metric::Graduates => "metric-graduates",
            Metric::AdmittedLastYear => "metric-admitted-last-year",
            Metric::NewCompaniesLastYear => "metric-new-companies-last-year",
            Metric::FinancedLastYear => "metric-financed-last-year",
            Metric::FinancedShare => "metric-financed-share",
            Metric::PatentShare => "metric-patent-share",
            Metric::IpShare => "metric-ip-share",
            Metric::InvestedStartups => "metric-invested-startups",
            Metric::Fund => "metric-fund",
            Metric::ProfessionalShare => "metric-professional-share",
            Metric::ProfessionalStaff => "metric-professional-staff",
            Metric::StaffPer10Tenants => "metric-staff-per-10-tenants",
            Metric::Mentors => "metric-mentors",
            Metric::MentorsPer10Tenants => "metric-mentors-per-10-tenants",
            Metric::TypicalCases => "metric-typical-cases",
            Metric::EventsHeld => "metric-events-held",
            Metric::ReportedYears => "metric-reported-years",
            Metric::ConcentratedSite => "metric-concentrated-site",
            Metric::IndustryShare => "metric-industry-share",
            Metric::InvestedShare => "metric-invested-share",
            Metric::NonRentIncomeShare => "metric-non-rent-income-share",
            Metric::RevenueGrowth => "metric-revenue-growth",
            Metric::Review => "metric-review",
        })
    }
}

/// A figure in `unit`, for reading: `10,000.00 m²`, `75.00%`, `¥5,000,000.00`, `3.00`, `36`.
pub fn figure_text(unit: Unit, value: i64) -> Text {
    match unit {
        Unit::Months | Unit::Count => Text::Plain(format::integer(value)),
        Unit::Area => format::area(Area::from_hundredths(value)),
        Unit::Share => Text::Plain(crate::tenancy::lease::percent(Some(value))),
        Unit::Ratio => Text::Plain(format::two_decimals(value)),
        Unit::Money => Text::Plain(Money::from_fen(value).display()),
        Unit::None => Text::plain("—"),
    }
}

/// A threshold as a form shows it, in the unit a person types: m², %, yuan, a count.
pub fn threshold_input(unit: Unit, value: i64) -> String {
    match unit {
        Unit::Months | Unit::Count | Unit::None => value.to_string(),
        Unit::Area => Area::from_hundredths(value).to_string(),
        Unit::Share | Unit::Ratio => Area::from_hundredths(value).to_string(),
        Unit::Money => Money::from_fen(value).to_string(),
    }
}

/// Reads a threshold typed in the metric's unit (m² for area, % for shares, yuan for money).
pub fn parse_threshold(unit: Unit, raw: &str) -> Result<i64, Problem> {
    let raw = raw.trim().trim_end_matches('%');
    let value = match unit {
        Unit::Months | Unit::Count => {
            let cleaned: String = raw.chars().filter(|c| !matches!(c, ',' | ' ' | '，')).collect();
            if cleaned.is_empty() {
                return Err(Problem::Required);
            }
            cleaned.parse::<i64>().map_err(|_| Problem::NotANumber)?
        }
        Unit::Area => Area::parse(raw)?.hundredths(),
        Unit::Share | Unit::Ratio => crate::hundredths::parse(raw, 100_000_000)?,
        Unit::Money => Money::parse(raw)?.fen(),
        Unit::None => 0,
    };
    if value < 0 {
        return Err(Problem::NotPositive);
    }
    if unit == Unit::Share && value > 10_000 {
        return Err(Problem::TooLarge);
    }
    Ok(value)
}

/// One criterion of a rule set: `metric ≥ threshold`, or else `or_metric ≥ or_threshold`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    pub id: i64,
    pub position: i32,
    pub label_zh: String,
    pub label_en: String,
    pub metric: Metric,
    pub threshold: i64,
    pub alternative: Option<(Metric, i64)>,
}

impl Criterion {
    pub fn label(&self, lang: Lang) -> &str {
        if lang == Lang::En { &self.label_en } else { &self.label_zh }
    }
}

/// A rule set with its criteria in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSet {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub carrier_kind: Option<crate::carrier::CarrierKind>,
    /// For specialised incubators (专业孵化器).
    #[serde(default)]
    pub specialised: bool,
    /// With the relaxation for hardship areas.
    #[serde(default)]
    pub relaxed: bool,
    pub criteria: Vec<Criterion>,
}

impl RuleSet {
    pub fn name(&self, lang: Lang) -> &str {
        if lang == Lang::En { &self.name_en } else { &self.name_zh }
    }
}

/// A criterion as submitted by the rule-set form: text as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CriterionForm {
    pub label_zh: String,
    pub label_en: String,
    pub metric: String,
    pub threshold: String,
    pub or_metric: String,
    pub or_threshold: String,
}

/// A checked criterion, ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionDraft {
    pub label_zh: String,
    pub label_en: String,
    pub metric: Metric,
    pub threshold: i64,
    pub alternative: Option<(Metric, i64)>,
}

impl CriterionForm {
    pub fn from_criterion(c: &Criterion) -> Self {
        CriterionForm {
            label_zh: c.label_zh.clone(),
            label_en: c.label_en.clone(),
            metric: c.metric.code().to_owned(),
            threshold: threshold_input(c.metric.unit(), c.threshold),
            or_metric: c.alternative.map(|(m, _)| m.code().to_owned()).unwrap_or_default(),
            or_threshold: c.alternative.map(|(m, t)| threshold_input(m.unit(), t)).unwrap_or_default(),
        }
    }

    pub fn parse(&self) -> Result<CriterionDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let label_zh = self.label_zh.trim().to_owned();
        let label_en = self.label_en.trim().to_owned();
        if label_zh.is_empty() {
            errors.add("label_zh", Problem::Required);
        } else if label_zh.chars().count() > 300 {
            errors.add("label_zh", Problem::TooLong { max: 300 });
        }
        if label_en.chars().count() > 300 {
            errors.add("label_en", Problem::TooLong { max: 300 });
        }
        let metric = match Metric::from_code(self.metric.trim()) {
            Some(m) => Some(m),
            None => {
                errors.add("metric", Problem::NotAChoice);
                None
            }
        };
        let threshold = metric.and_then(|m| match parse_threshold(m.unit(), &self.threshold) {
            Ok(t) => Some(t),
            Err(_) if m == Metric::Review => Some(0),
            Err(p) => {
                errors.add("threshold", p);
                None
            }
        });
        let alternative = match self.or_metric.trim() {
            "" => None,
            code => match Metric::from_code(code) {
                None => {
                    errors.add("or_metric", Problem::NotAChoice);
                    None
                }
                Some(m) => match parse_threshold(m.unit(), &self.or_threshold) {
                    Ok(t) => Some((m, t)),
                    Err(p) => {
                        errors.add("or_threshold", p);
                        None
                    }
                },
            },
        };
        match (metric, threshold) {
            (Some(metric), Some(threshold)) if errors.is_empty() => Ok(CriterionDraft {
                label_en: if label_en.is_empty() { label_zh.clone() } else { label_en },
                label_zh,
                metric,
                threshold,
                alternative,
            }),
            _ => Err(errors),
        }
    }
}

/// A carrier's figure for a metric, with where it came from; `value: None` when the source does
/// not hold it (no annual return, no area yet, no tenants to take a share of).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub value: Option<i64>,
    pub source: Source,
}

/// Every metric's figure for one carrier on one day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures(pub BTreeMap<Metric, Figure>);

impl Figures {
    pub fn get(&self, metric: Metric) -> Figure {
        if metric == Metric::Review {
            return Figure { value: None, source: Source::Review };
        }
        self.0.get(&metric).copied().unwrap_or(Figure { value: None, source: Source::Review })
    }
}

coded_enum! {
    /// How a carrier stands against a criterion.
    pub enum Outcome {
        Pass = "pass",
        Fail = "fail",
        Unknown = "unknown",
    }
}

fn outcome_of(figure: Figure, threshold: i64) -> Outcome {
    match figure.value {
        Some(value) if value >= threshold => Outcome::Pass,
        Some(_) => Outcome::Fail,
        None => Outcome::Unknown,
    }
}

/// One line of a checklist: the criterion, the figures behind it and the outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub criterion: Criterion,
    pub figure: Figure,
    pub alternative: Option<Figure>,
    pub outcome: Outcome,
}

/// Checks one criterion: either branch passing passes; otherwise unknown if a branch is
/// unknown, else fail.
pub fn check(criterion: &Criterion, figures: &Figures) -> Check {
    let figure = figures.get(criterion.metric);
    let first = outcome_of(figure, criterion.threshold);
    let alternative = criterion.alternative.map(|(metric, threshold)| (figures.get(metric), threshold));
    let second = alternative.map(|(f, t)| outcome_of(f, t));
    let outcome = match (first, second) {
        (Outcome::Pass, _) | (_, Some(Outcome::Pass)) => Outcome::Pass,
        (Outcome::Unknown, _) | (_, Some(Outcome::Unknown)) => Outcome::Unknown,
        _ => Outcome::Fail,
    };
    Check { criterion: criterion.clone(), figure, alternative: alternative.map(|(f, _)| f), outcome }
}

/// A carrier's checklist against one rule set on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checklist {
    pub carrier: CarrierId,
    pub carrier_name: String,
    pub on: NaiveDate,
    pub rule_set: RuleSet,
    pub checks: Vec<Check>,
}

impl Checklist {
    pub fn new(carrier: CarrierId, carrier_name: String, on: NaiveDate, rule_set: RuleSet, figures: &Figures) -> Self {
        let checks = rule_set.criteria.iter().map(|c| check(c, figures)).collect();
        Checklist { carrier, carrier_name, on, rule_set, checks }
    }

    pub fn count(&self, outcome: Outcome) -> usize {
        self.checks.iter().filter(|c| c.outcome == outcome).count()
    }
}

/// A carrier's standing against a rule set, as the readiness list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadinessRow {
    pub carrier: CarrierId,
    pub name: String,
    pub district_zh: String,
    pub district_en: String,
    pub pass: usize,
    pub fail: usize,
    pub unknown: usize,
}

/// The readiness page of a rule set: the set and the carriers of its kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadinessView {
    pub rule_set: RuleSet,
    pub on: NaiveDate,
    pub rows: Vec<ReadinessRow>,
    /// Carriers in scope in all (the rows are one page of them).
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
    pub can_edit: bool,
}

/// What a carrier reports for a year beyond what the platform records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnualReturn {
    pub year: i32,
    pub fund: Money,
    pub income_rent: Money,
    pub income_services: Money,
    pub income_investment: Money,
    pub income_other: Money,
    pub staff_total: i32,
    pub staff_professional: i32,
    pub mentors: i32,
    pub typical_cases: i32,
    pub events_held: i32,
}

impl AnnualReturn {
    pub fn income(&self) -> Money {
        self.income_rent + self.income_services + self.income_investment + self.income_other
    }
}

/// The annual return form: text as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnnualReturnForm {
    pub year: String,
    pub fund: String,
    pub income_rent: String,
    pub income_services: String,
    pub income_investment: String,
    pub income_other: String,
    pub staff_total: String,
    pub staff_professional: String,
    pub mentors: String,
    pub typical_cases: String,
    pub events_held: String,
}

impl AnnualReturnForm {
    pub fn from_return(r: &AnnualReturn) -> Self {
        AnnualReturnForm {
            year: r.year.to_string(),
            fund: r.fund.to_string(),
            income_rent: r.income_rent.to_string(),
            income_services: r.income_services.to_string(),
            income_investment: r.income_investment.to_string(),
            income_other: r.income_other.to_string(),
            staff_total: r.staff_total.to_string(),
            staff_professional: r.staff_professional.to_string(),
            mentors: r.mentors.to_string(),
            typical_cases: r.typical_cases.to_string(),
            events_held: r.events_held.to_string(),
        }
    }

    /// Checks the form against the carrier's opening year and this year.
    pub fn parse(&self, opened: i32, this_year: i32) -> Result<AnnualReturn, FieldErrors> {
        let mut errors = FieldErrors::default();
        let year = match self.year.trim().parse::<i32>() {
            Ok(y) if y < opened => {
                errors.add("year", Problem::YearBeforeOpening);
                0
            }
            Ok(y) if y > this_year => {
                errors.add("year", Problem::DateInFuture);
                0
            }
            Ok(y) => y,
            Err(_) if self.year.trim().is_empty() => {
                errors.add("year", Problem::Required);
                0
            }
            Err(_) => {
                errors.add("year", Problem::NotANumber);
                0
            }
        };
        let mut money = |field: &'static str, raw: &str| match Money::parse(raw) {
            Ok(m) if m.fen() < 0 => {
                errors.add(field, Problem::NotPositive);
                Money::ZERO
            }
            Ok(m) => m,
            Err(p) => {
                errors.add(field, p.into());
                Money::ZERO
            }
        };
        let fund = money("fund", &self.fund);
        let income_rent = money("income_rent", &self.income_rent);
        let income_services = money("income_services", &self.income_services);
        let income_investment = money("income_investment", &self.income_investment);
        let income_other = money("income_other", &self.income_other);
        let mut count = |field: &'static str, raw: &str| {
            let cleaned: String = raw.chars().filter(|c| !matches!(c, ',' | ' ' | '，')).collect();
            match cleaned.parse::<i32>() {
                Ok(n) if n < 0 => {
                    errors.add(field, Problem::NotPositive);
                    0
                }
                Ok(n) if n > 1_000_000 => {
                    errors.add(field, Problem::TooLarge);
                    0
                }
                Ok(n) => n,
                Err(_) => {
                    errors.add(field, if cleaned.is_empty() { Problem::Required } else { Problem::NotANumber });
                    0
                }
            }
        };
        let staff_total = count("staff_total", &self.staff_total);
        let staff_professional = count("staff_professional", &self.staff_professional);
        let mentors = count("mentors", &self.mentors);
        let typical_cases = count("typical_cases", &self.typical_cases);
        let events_held = count("events_held", &self.events_held);
        if staff_professional > staff_total && !errors.has("staff_professional") && !errors.has("staff_total") {
            errors.add("staff_professional", Problem::RdStaffExceedsTeam);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(AnnualReturn {
            year,
            fund,
            income_rent,
            income_services,
            income_investment,
            income_other,
            staff_total,
            staff_professional,
            mentors,
            typical_cases,
            events_held,
        })
    }
}

/// The annual return page: the carrier, the year's return if filed, and the years filed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnualReturnView {
    pub carrier: CarrierId,
    pub carrier_name: String,
    pub year: i32,
    pub filed: Option<AnnualReturn>,
    pub years_filed: Vec<i32>,
    pub can_edit: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criterion(metric: Metric, threshold: i64, alternative: Option<(Metric, i64)>) -> Criterion {
        Criterion { id: 1, position: 1, label_zh: "x".into(), label_en: "x".into(), metric, threshold, alternative }
    }

    fn figures(entries: &[(Metric, Option<i64>)]) -> Figures {
        Figures(entries.iter().map(|(m, v)| (*m, Figure { value: *v, source: Source::AreaLedger })).collect())
    }

    #[test]
    fn a_criterion_passes_at_its_threshold_and_fails_just_below() {
        let area = criterion(Metric::GrossArea, 1_000_000, None);
        assert_eq!(check(&area, &figures(&[(Metric::GrossArea, Some(1_000_000))])).outcome, Outcome::Pass);
        assert_eq!(check(&area, &figures(&[(Metric::GrossArea, Some(999_999))])).outcome, Outcome::Fail);
        assert_eq!(check(&area, &figures(&[(Metric::GrossArea, None)])).outcome, Outcome::Unknown);
        assert_eq!(check(&area, &Figures::default()).outcome, Outcome::Unknown, "a metric never measured");
    }

    #[test]
    fn either_branch_of_an_alternative_passes_and_unknown_beats_fail() {
        // At least 500 m², or at least 30 workstations.
        let space = criterion(Metric::GrossArea, 50_000, Some((Metric::Desks, 30)));
        let outcome =
            |area, desks| check(&space, &figures(&[(Metric::GrossArea, area), (Metric::Desks, desks)])).outcome;
        assert_eq!(outcome(Some(40_000), Some(30)), Outcome::Pass);
        assert_eq!(outcome(Some(50_000), Some(0)), Outcome::Pass);
        assert_eq!(outcome(Some(40_000), Some(29)), Outcome::Fail);
        assert_eq!(outcome(None, Some(29)), Outcome::Unknown);
    }

    #[test]
    fn review_criteria_are_never_decided_by_figures() {
        let review = criterion(Metric::Review, 0, None);
        assert_eq!(check(&review, &figures(&[(Metric::Review, Some(1))])).outcome, Outcome::Unknown);
    }

    #[test]
    fn thresholds_are_typed_in_the_metric_unit() {
        assert_eq!(parse_threshold(Unit::Area, "10,000"), Ok(1_000_000));
        assert_eq!(parse_threshold(Unit::Share, "75%"), Ok(7_500));
        assert_eq!(parse_threshold(Unit::Share, "120"), Err(Problem::TooLarge));
        assert_eq!(parse_threshold(Unit::Money, "5000000"), Ok(500_000_000));
        assert_eq!(parse_threshold(Unit::Count, "-3"), Err(Problem::NotPositive));
        assert_eq!(parse_threshold(Unit::Count, "三"), Err(Problem::NotANumber));
        assert_eq!(parse_threshold(Unit::Ratio, "3"), Ok(300));
        assert_eq!(threshold_input(Unit::Share, 7_500), "75.00");
        assert_eq!(figure_text(Unit::Share, 7_512), Text::plain("75.12%"));
    }

    #[test]
    fn the_criterion_form_names_each_bad_field() {
        let form = CriterionForm {
            label_zh: String::new(),
            metric: "gross_area".into(),
            threshold: "ten".into(),
            or_metric: "bogus".into(),
            ..Default::default()
        };
        let errors = form.parse().unwrap_err();
        assert!(errors.has("label_zh") && errors.has("threshold") && errors.has("or_metric"));
    }

    #[test]
    fn the_annual_return_refuses_future_years_and_more_professionals_than_staff() {
        let form = AnnualReturnForm {
            year: "2027".into(),
            fund: "5,000,000".into(),
            income_rent: "1".into(),
            income_services: "0".into(),
            income_investment: "0".into(),
            income_other: "0".into(),
            staff_total: "4".into(),
            staff_professional: "5".into(),
            mentors: "3".into(),
            typical_cases: "3".into(),
            events_held: "x".into(),
        };
        let errors = form.parse(2015, 2026).unwrap_err();
        assert!(errors.has("year") && errors.has("staff_professional") && errors.has("events_held"));
        let ok =
            AnnualReturnForm { year: "2025".into(), staff_professional: "3".into(), events_held: "10".into(), ..form };
        let parsed = ok.parse(2015, 2026).unwrap();
        assert_eq!(parsed.fund, Money::from_yuan(5_000_000));
        assert_eq!(parsed.income(), Money::from_yuan(1));
    }
}
