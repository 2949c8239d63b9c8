//! Applications for space (入驻申请) and the rules of their life: a small state machine, and the
//! eligibility hints an operator sees (hints only: nothing is refused on them).

use crate::tenancy::startup::Profile;
use crate::validation::{self, FieldErrors, Problem};
use crate::{Area, CarrierId, DistrictId, StartupId, Text};
use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

coded_enum! {
    /// Where an application stands.
    pub enum ApplicationState {
        Draft = "draft",
        Submitted = "submitted",
        UnderReview = "under_review",
        Admitted = "admitted",
        Rejected = "rejected",
        Withdrawn = "withdrawn",
    }
}

coded_enum! {
    /// What can happen to an application.
    pub enum Transition {
        Submit = "submit",
        StartReview = "start_review",
        Admit = "admit",
        Reject = "reject",
        Withdraw = "withdraw",
    }
}

/// Who acts on an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Party {
    /// A member of the applying startup.
    Applicant,
    /// An operator of the carrier applied to.
    Operator,
    /// Bureau staff: read every submitted application, act on none.
    Supervisor,
}

impl ApplicationState {
    /// The state after `transition` by `party`, or the refusal. The only paths are
    /// draft → submitted → under review → admitted / rejected, and withdrawal by the applicant
    /// at any point before a decision.
    pub fn apply(self, transition: Transition, party: Party) -> Result<ApplicationState, Problem> {
        use ApplicationState::*;
        use Transition::*;
        match (self, transition, party) {
            (Draft, Submit, Party::Applicant) => Ok(Submitted),
            (Submitted, StartReview, Party::Operator) => Ok(UnderReview),
            (UnderReview, Admit, Party::Operator) => Ok(Admitted),
            (UnderReview, Reject, Party::Operator) => Ok(Rejected),
            (Draft | Submitted | UnderReview, Withdraw, Party::Applicant) => Ok(Withdrawn),
            _ => Err(Problem::IllegalTransition {
                from: self.code().to_owned(),
                transition: transition.code().to_owned(),
            }),
        }
    }

    /// No transition leaves this state.
    pub fn is_final(self) -> bool {
        matches!(self, ApplicationState::Admitted | ApplicationState::Rejected | ApplicationState::Withdrawn)
    }
}

coded_enum! {
    /// What an application asks for.
    pub enum RequestKind {
        Desks = "desks",
        Area = "area",
    }
}

/// What a startup asks for: a number of workstations or an office area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SpaceRequest {
    Desks(u32),
    Area(Area),
}

/// Field names of the application form.
pub mod field {
    pub const CARRIER: &str = "carrier_id";
    pub const KIND: &str = "request_kind";
    pub const DESKS: &str = "desks";
    pub const AREA: &str = "area";
    pub const START: &str = "desired_start";
    pub const DURATION: &str = "duration_months";
    pub const SUMMARY: &str = "summary";
    pub const REASON: &str = "reason";
    pub const STATE: &str = "state";
}

/// The application form as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApplicationForm {
    pub carrier_id: String,
    pub request_kind: String,
    pub desks: String,
    pub area: String,
    pub desired_start: String,
    pub duration_months: String,
    pub summary: String,
}

/// A checked application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationDraft {
    pub carrier: CarrierId,
    pub request: SpaceRequest,
    pub desired_start: NaiveDate,
    pub duration_months: u32,
    pub summary: String,
}

impl ApplicationForm {
    /// `today` bounds the desired start: not in the past, at most two years ahead.
    pub fn parse(&self, today: NaiveDate) -> Result<ApplicationDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let carrier = errors.check(
            field::CARRIER,
            if self.carrier_id.trim().is_empty() {
                Err(Problem::Required)
            } else {
                self.carrier_id.parse().map_err(|_| Problem::NotAChoice)
            },
        );
        let kind = errors.check(field::KIND, validation::choice(&self.request_kind, RequestKind::from_code));
        let request = match kind {
            Some(RequestKind::Desks) => errors.check(
                field::DESKS,
                match self.desks.trim().parse::<u32>() {
                    Ok(0) => Err(Problem::NotPositive),
                    Ok(n) if n > 1000 => Err(Problem::TooLarge),
                    Ok(n) => Ok(SpaceRequest::Desks(n)),
                    Err(_) if self.desks.trim().is_empty() => Err(Problem::Required),
                    Err(_) => Err(Problem::NotANumber),
                },
            ),
            Some(RequestKind::Area) => {
                errors.check(field::AREA, crate::space::area(&self.area).map(SpaceRequest::Area))
            }
            None => None,
        };
        let desired_start = errors.check(
            field::START,
            validation::date(&self.desired_start).and_then(|d| {
                let latest = today.checked_add_months(Months::new(24)).unwrap_or(today);
                if d < today {
                    Err(Problem::DateInPast)
                } else if d > latest {
                    Err(Problem::DateTooLate { max: latest.format("%Y-%m-%d").to_string() })
                } else {
                    Ok(d)
                }
            }),
        );
        let duration_months = errors.check(
            field::DURATION,
            match self.duration_months.trim().parse::<u32>() {
                Ok(n) if (1..=60).contains(&n) => Ok(n),
                Ok(_) => Err(Problem::OutOfRange { min: 1, max: 60 }),
                Err(_) if self.duration_months.trim().is_empty() => Err(Problem::Required),
                Err(_) => Err(Problem::NotANumber),
            },
        );
        let summary = errors.check(field::SUMMARY, validation::text(&self.summary, 20, 2000));
        match (carrier, request, desired_start, duration_months, summary) {
            (Some(carrier), Some(request), Some(desired_start), Some(duration_months), Some(summary))
                if errors.is_empty() =>
            {
                Ok(ApplicationDraft { carrier, request, desired_start, duration_months, summary })
            }
            _ => Err(errors),
        }
    }
}

/// How an applicant stands against one tenant condition: pass, fail, or unknown where the
/// profile does not say.
pub use crate::readiness::Outcome as Verdict;

/// The tenant conditions of 《科技企业孵化器管理办法》第十条（九）, checked against the applicant's
/// profile with the evidence behind each verdict. The operator is told; nothing is refused on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Eligibility {
    /// "申请进入孵化器的企业，成立时间不超过24个月": founded at most 24 months before the desired
    /// start.
    pub founded: Verdict,
    /// The founding date and the whole months from it to the desired start.
    pub founded_on: Option<NaiveDate>,
    pub founded_months: Option<u32>,
    /// "企业注册地和主要研发、办公场所须在本孵化器场地内": registered in the carrier's district
    /// (pass), elsewhere (fail), or not said (unknown). The address within the district is the
    /// operator's to check.
    pub registered_here: Verdict,
    /// The district the startup is registered in, (zh, en), if given.
    pub registered_district: Option<(String, String)>,
    /// The carrier's district, (zh, en).
    pub carrier_district: (String, String),
    /// "应满足科技型中小企业相关要求": registered as a 科技型中小企业 within the twelve months before
    /// the desired start (pass), earlier (fail: the registration is renewed yearly), or never
    /// recorded (unknown).
    pub tech_sme: Verdict,
    pub tech_sme_on: Option<NaiveDate>,
    /// A credit code that meets the standard; `None` without a code.
    pub valid_code: Option<bool>,
    /// The code fails the standard but an operator accepted it with a reason.
    pub code_overridden: bool,
}

/// What [`eligibility`] needs to know about the places involved: the carrier's district and the
/// names of districts, (zh, en).
pub struct Places<'a> {
    pub carrier_district: DistrictId,
    pub district_name: &'a dyn Fn(DistrictId) -> Option<(String, String)>,
}

/// The tenant conditions for `profile` entering on `start`.
pub fn eligibility(profile: &Profile, start: NaiveDate, code_overridden: bool, places: &Places<'_>) -> Eligibility {
    let founded_months = profile.founded_on.map(|founded| crate::tenancy::startup::whole_months(founded, start));
    let founded = match profile.founded_on {
        None => Verdict::Unknown,
        Some(founded) if founded.checked_add_months(Months::new(24)).is_some_and(|limit| start <= limit) => {
            Verdict::Pass
        }
        Some(_) => Verdict::Fail,
    };
    let registered_here = match profile.registered_district {
        None => Verdict::Unknown,
        Some(d) if d == places.carrier_district => Verdict::Pass,
        Some(_) => Verdict::Fail,
    };
    let tech_sme = match profile.tech_sme_on {
        None => Verdict::Unknown,
        Some(on) if on <= start && start.checked_sub_months(Months::new(12)).is_some_and(|year| on > year) => {
            Verdict::Pass
        }
        Some(on) if on > start => Verdict::Pass,
        Some(_) => Verdict::Fail,
    };
    Eligibility {
        founded,
        founded_on: profile.founded_on,
        founded_months,
        registered_here,
        registered_district: profile.registered_district.and_then(|d| (places.district_name)(d)),
        carrier_district: (places.district_name)(places.carrier_district).unwrap_or_default(),
        tech_sme,
        tech_sme_on: profile.tech_sme_on,
        valid_code: profile.credit_code.as_deref().map(|code| crate::uscc::check(code).is_ok()),
        code_overridden,
    }
}

/// A kept document (a business plan).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentInfo {
    pub id: i64,
    pub file_name: String,
    pub size: i64,
}

/// An application with everything its page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub id: i64,
    pub startup: StartupId,
    pub startup_name: String,
    pub carrier: CarrierId,
    pub carrier_name: String,
    pub landlord_shareholder: bool,
    pub state: ApplicationState,
    pub request: SpaceRequest,
    pub desired_start: NaiveDate,
    pub duration_months: u32,
    pub summary: String,
    pub document: Option<DocumentInfo>,
    /// The reason of a rejection, which the applicant sees.
    pub decision_reason: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// For operators only.
    pub eligibility: Option<Eligibility>,
    /// What the viewer may do next.
    pub allowed: Vec<Transition>,
    /// The lease that admission made.
    pub lease: Option<i64>,
}

impl ApplicationView {
    /// What happens next, for the one reading: the applicant is told what is missing and whom it
    /// waits for; the operator what to do; anyone else where it stands.
    pub fn next_step(&self) -> Text {
        let applicant = self.allowed.iter().any(|t| matches!(t, Transition::Submit | Transition::Withdraw));
        let operator = self.allowed.iter().any(|t| matches!(t, Transition::StartReview | Transition::Admit));
        let no_plan = self.document.is_none();
        Text::key(match (self.state, applicant, operator) {
            (ApplicationState::Draft, _, _) if no_plan => "next-draft-no-plan",
            (ApplicationState::Draft, _, _) => "next-draft",
            (ApplicationState::Submitted, true, _) if no_plan => "next-submitted-no-plan",
            (ApplicationState::Submitted, true, _) => "next-submitted",
            (ApplicationState::Submitted, _, true) => "next-submitted-operator",
            (ApplicationState::Submitted, _, _) => "next-submitted-reader",
            (ApplicationState::UnderReview, _, true) => "next-review-operator",
            (ApplicationState::UnderReview, _, _) => "next-review",
            (ApplicationState::Admitted, _, _) => "next-admitted",
            (ApplicationState::Rejected, _, _) => "next-rejected",
            (ApplicationState::Withdrawn, _, _) => "next-withdrawn",
        })
    }
}

/// An application as a row of the operator's queue or the startup's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationRow {
    pub id: i64,
    pub startup_name: String,
    pub carrier_name: String,
    pub state: ApplicationState,
    pub request: SpaceRequest,
    pub desired_start: NaiveDate,
    pub submitted_at: Option<DateTime<Utc>>,
    /// Days since submission.
    pub age_days: Option<i64>,
}

coded_enum! {
    /// The age filter of the queue.
    pub enum Age {
        /// Submitted in the last 7 days.
        Week = "week",
        /// In the last 30 days.
        Month = "month",
        /// More than 30 days ago.
        Older = "older",
    }
}

/// How many applications a page of a list shows.
pub const APPLICATIONS_PAGE_SIZE: u32 = 50;

/// The filters of an application list, and the page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApplicationQuery {
    pub carrier: Option<CarrierId>,
    pub startup: Option<StartupId>,
    pub state: Option<ApplicationState>,
    pub age: Option<Age>,
    /// 1-based; 0 reads as 1.
    pub page: u32,
    /// Longest waiting first (by submission), instead of most recently changed first.
    pub oldest_first: bool,
}

impl ApplicationQuery {
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut query = ApplicationQuery::default();
        for (key, value) in pairs {
            match key {
                "carrier" => query.carrier = value.trim().parse().ok(),
                "startup" => query.startup = value.trim().parse().ok(),
                "state" => query.state = ApplicationState::from_code(value.trim()),
                "age" => query.age = Age::from_code(value.trim()),
                "page" => query.page = value.trim().parse().unwrap_or(1),
                "order" => query.oldest_first = value.trim() == "oldest",
                _ => {}
            }
        }
        query
    }

    /// The same filters as an address query (without the page), for the pager's links.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(c) = self.carrier {
            pairs.push(("carrier", c.to_string()));
        }
        if let Some(s) = self.startup {
            pairs.push(("startup", s.to_string()));
        }
        if let Some(s) = self.state {
            pairs.push(("state", s.code().to_owned()));
        }
        if let Some(a) = self.age {
            pairs.push(("age", a.code().to_owned()));
        }
        if self.oldest_first {
            pairs.push(("order", "oldest".to_owned()));
        }
        pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_queue_query_goes_through_the_address_and_back() {
        let query = ApplicationQuery {
            carrier: Some(CarrierId(7)),
            state: Some(ApplicationState::UnderReview),
            age: Some(Age::Week),
            page: 3,
            oldest_first: true,
            ..Default::default()
        };
        let mut pairs = query.to_pairs();
        pairs.push(("page", "3".to_owned()));
        let again = ApplicationQuery::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(again, query);
    }

    fn applicant(founded: Option<&str>, district: Option<i64>, tech_sme: Option<&str>) -> Profile {
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        Profile {
            name: "临沂测试科技有限公司".into(),
            credit_code: None,
            founded_on: founded.map(day),
            industry: None,
            registered_district: district.map(DistrictId),
            team_size: 3,
            rd_staff: 1,
            founders: Vec::new(),
            contact_name: None,
            contact_phone: None,
            contact_email: None,
            patents_applied: 0,
            patents_granted: 0,
            software_copyrights: 0,
            high_tech_on: None,
            tech_sme_on: tech_sme.map(day),
        }
    }

    fn check(profile: &Profile, start: &str) -> Eligibility {
        let names = |d: DistrictId| Some((format!("区{}", d.0), format!("D{}", d.0)));
        let places = Places { carrier_district: DistrictId(1), district_name: &names };
        eligibility(profile, NaiveDate::parse_from_str(start, "%Y-%m-%d").unwrap(), false, &places)
    }

    /// 第十条（九）: "申请进入孵化器的企业，成立时间不超过24个月"; "企业注册地和主要研发、办公场所须
    /// 在本孵化器场地内"; "应满足科技型中小企业相关要求".
    #[test]
    fn the_tenant_conditions_pass_fail_or_are_unknown_with_their_evidence() {
        // Founded 2024-12-01: 24 months on 2026-12-01 passes, a day later fails.
        let young = applicant(Some("2024-12-01"), Some(1), Some("2026-05-01"));
        let e = check(&young, "2026-12-01");
        assert_eq!((e.founded, e.founded_months), (Verdict::Pass, Some(24)));
        assert_eq!(check(&young, "2026-12-02").founded, Verdict::Fail);
        // Registered in the carrier's district passes, elsewhere fails, not said is unknown.
        assert_eq!(e.registered_here, Verdict::Pass);
        assert_eq!(e.carrier_district, ("区1".to_owned(), "D1".to_owned()));
        let elsewhere = check(&applicant(Some("2025-01-01"), Some(2), None), "2026-12-01");
        assert_eq!(elsewhere.registered_here, Verdict::Fail);
        assert_eq!(elsewhere.registered_district, Some(("区2".to_owned(), "D2".to_owned())));
        let silent = check(&applicant(None, None, None), "2026-12-01");
        assert_eq!(
            (silent.founded, silent.registered_here, silent.tech_sme),
            (Verdict::Unknown, Verdict::Unknown, Verdict::Unknown)
        );
        // 科技型中小企业: registered within the twelve months before entry passes; older lapsed.
        assert_eq!(e.tech_sme, Verdict::Pass);
        let lapsed = check(&applicant(Some("2025-01-01"), Some(1), Some("2025-11-30")), "2026-12-01");
        assert_eq!(lapsed.tech_sme, Verdict::Fail);
        assert_eq!(lapsed.tech_sme_on, NaiveDate::from_ymd_opt(2025, 11, 30));
    }

    #[test]
    fn only_the_defined_paths_are_legal() {
        use ApplicationState::*;
        let legal = [
            (Draft, Transition::Submit, Party::Applicant, Submitted),
            (Submitted, Transition::StartReview, Party::Operator, UnderReview),
            (UnderReview, Transition::Admit, Party::Operator, Admitted),
            (UnderReview, Transition::Reject, Party::Operator, Rejected),
            (Draft, Transition::Withdraw, Party::Applicant, Withdrawn),
            (Submitted, Transition::Withdraw, Party::Applicant, Withdrawn),
            (UnderReview, Transition::Withdraw, Party::Applicant, Withdrawn),
        ];
        for state in ApplicationState::ALL {
            for transition in Transition::ALL {
                for party in [Party::Applicant, Party::Operator, Party::Supervisor] {
                    let expected = legal.iter().find(|(s, t, p, _)| s == state && t == transition && *p == party);
                    let result = state.apply(*transition, party);
                    match expected {
                        Some((.., to)) => assert_eq!(result, Ok(*to), "{state} {transition} {party:?}"),
                        None => assert_eq!(
                            result,
                            Err(Problem::IllegalTransition {
                                from: state.code().into(),
                                transition: transition.code().into()
                            }),
                            "{state} {transition} {party:?} must be refused"
                        ),
                    }
                }
            }
        }
        assert!(Admitted.is_final() && Rejected.is_final() && Withdrawn.is_final() && !UnderReview.is_final());
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    #[test]
    fn an_application_asks_for_desks_or_an_area_with_a_start_and_a_duration() {
        let form = ApplicationForm {
            carrier_id: "3".into(),
            request_kind: "desks".into(),
            desks: "8".into(),
            area: String::new(),
            desired_start: "2027-01-01".into(),
            duration_months: "24".into(),
            summary: "我们做工业视觉检测，已有三家试点客户，需要八个工位。".into(),
        };
        let draft = form.parse(today()).unwrap();
        assert_eq!(draft.request, SpaceRequest::Desks(8));
        let area = ApplicationForm { request_kind: "area".into(), area: "120.5".into(), ..form.clone() };
        assert_eq!(area.parse(today()).unwrap().request, SpaceRequest::Area(Area::from_hundredths(12_050)));
        let past = ApplicationForm { desired_start: "2026-11-26".into(), duration_months: "61".into(), ..form };
        let errors = past.parse(today()).unwrap_err();
        assert_eq!(errors.for_field(field::START).next(), Some(&Problem::DateInPast));
        assert_eq!(errors.for_field(field::DURATION).next(), Some(&Problem::OutOfRange { min: 1, max: 60 }));
    }

    #[test]
    fn eligibility_is_a_hint_from_the_profile() {
        let profile = crate::tenancy::startup::ProfileForm {
            name: "沂蒙智造".into(),
            founded_on: "2024-12-01".into(),
            registered_district: "1".into(),
            ..Default::default()
        }
        .parse(today())
        .unwrap();
        let names = |d: DistrictId| Some((format!("区{}", d.0), format!("D{}", d.0)));
        let places = Places { carrier_district: DistrictId(1), district_name: &names };
        let hints = eligibility(&profile, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), false, &places);
        assert_eq!(hints.founded, Verdict::Pass, "exactly 24 months is still within");
        assert_eq!(
            eligibility(&profile, NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(), false, &places).founded,
            Verdict::Fail
        );
        assert_eq!(hints.registered_here, Verdict::Pass);
        assert_eq!(hints.valid_code, None);
    }

    fn viewed(state: ApplicationState, allowed: Vec<Transition>, plan: bool) -> ApplicationView {
        ApplicationView {
            id: 1,
            startup: StartupId(1),
            startup_name: "甲".into(),
            carrier: CarrierId(1),
            carrier_name: "乙".into(),
            landlord_shareholder: false,
            state,
            request: SpaceRequest::Desks(4),
            desired_start: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            duration_months: 12,
            summary: String::new(),
            document: plan.then(|| DocumentInfo { id: 1, file_name: "plan.pdf".into(), size: 1 }),
            decision_reason: None,
            submitted_at: None,
            created_at: Utc::now(),
            eligibility: None,
            allowed,
            lease: None,
        }
    }

    #[test]
    fn each_reader_is_told_what_happens_next_and_the_applicant_what_is_missing() {
        use crate::Lang;
        use crate::text::Keys;
        let next = |v: ApplicationView| v.next_step().render(&Keys(Lang::Zh));
        let applicant = vec![Transition::Submit, Transition::Withdraw];
        assert_eq!(next(viewed(ApplicationState::Draft, applicant.clone(), false)), "next-draft-no-plan");
        assert_eq!(next(viewed(ApplicationState::Draft, applicant, true)), "next-draft");
        assert_eq!(
            next(viewed(ApplicationState::Submitted, vec![Transition::Withdraw], false)),
            "next-submitted-no-plan"
        );
        assert_eq!(
            next(viewed(ApplicationState::Submitted, vec![Transition::StartReview], true)),
            "next-submitted-operator"
        );
        assert_eq!(
            next(viewed(ApplicationState::Submitted, vec![], true)),
            "next-submitted-reader",
            "the bureau reads"
        );
        let deciding = vec![Transition::Admit, Transition::Reject];
        assert_eq!(next(viewed(ApplicationState::UnderReview, deciding, true)), "next-review-operator");
        assert_eq!(next(viewed(ApplicationState::UnderReview, vec![], true)), "next-review");
        assert_eq!(next(viewed(ApplicationState::Rejected, vec![], true)), "next-rejected");
    }
}
