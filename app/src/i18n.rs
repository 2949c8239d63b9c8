//! The translation layer: Fluent messages (`texts/locales/*/main.ftl`, the `texts` crate) through
//! `leptos-fluent`, handed the same bundles the server renders downloads with.
//! Every key the code names (`tr!` here, `Text` keys in the domain) is checked against both
//! languages by `texts/tests/keys.rs`, which also fails on a message nobody names. Simplified Chinese is the default; the choice of English is
//! kept in the `fuhua-lang` cookie, which the server reads too, so pages render in the reader's
//! language before any JavaScript runs.
//!
//! Values from closed sets (kinds, levels, problems…) are translated by exhaustive `match`es, so
//! adding a variant without its text does not compile either.

use crate::error::AppError;
use domain::account::{Membership, Role};
use domain::carrier::{Accreditation, CarrierKind, Industry, Level, OperatingModel};
use domain::district::DistrictKind;
use domain::equity::ledger::{Channel, EventKind, HolderKind, RoundStage};
use domain::space::{ChangeAction, ChangeKind, RentBasis, UnitKind, UnitStatus, UseCategory};
use domain::tenancy::application::{ApplicationState, SpaceRequest, Transition};
use domain::tenancy::lease::{LeaseEventKind, LeasePhase};
use domain::tenancy::startup::{GraduationCriterion, TenantStage};
use domain::uscc::CodeError;
use domain::{Lang, Problem};
use leptos::prelude::*;
use leptos_fluent::{I18n, leptos_fluent, tr};
use leptos_meta::{Html, Title};

/// The cookie that remembers the reader's language.
pub const LANG_COOKIE: &str = "fuhua-lang";
/// The language codes, as the cookie and `<html lang>` hold them.
pub const ZH: &str = "zh-CN";
pub const EN: &str = "en";

/// Provides the translation context to `children`.
#[component]
pub fn I18nProvider(children: Children) -> impl IntoView {
    leptos_fluent! {
        children: children(),
        translations: [texts::TRANSLATIONS],
        locales: "../texts/locales",
        default_language: "zh-CN",
        sync_html_tag_lang: true,
        cookie_name: "fuhua-lang",
        cookie_attrs: "SameSite=Lax; Path=/; Max-Age=31536000",
        initial_language_from_cookie: true,
        set_language_to_cookie: true,
    }
}

/// The reader's language (reactive).
pub fn lang() -> Lang {
    lang_of(expect_context::<I18n>())
}

fn lang_of(i18n: I18n) -> Lang {
    if i18n.language.get().id == EN { Lang::En } else { Lang::Zh }
}

/// A domain text in the reader's language (reactive).
pub fn text(text: &domain::Text) -> String {
    text.render(&texts::Fluent(lang()))
}

/// An area in the reader's units: `26.58 万平方米` or `265,800.00 m²` (reactive).
pub fn area(value: domain::Area) -> String {
    text(&domain::format::area(value))
}

/// A day in the reader's convention: `2024年3月5日` or `5 Mar 2024` (reactive).
pub fn date(value: chrono::NaiveDate) -> String {
    text(&domain::format::date(value))
}

/// A day and time in the reader's convention (reactive).
pub fn date_time(value: chrono::NaiveDateTime) -> String {
    text(&domain::format::date_time(value))
}

/// A name kept in both languages as reference data (a district's, a target's), in the reader's
/// language (reactive).
pub fn names(zh: &str, en: &str) -> String {
    if lang() == Lang::En { en.to_owned() } else { zh.to_owned() }
}

/// Sets `<html lang>` to the reader's language. The attribute is rendered after the page body,
/// outside the component tree, so the context is captured here rather than looked up there.
#[component]
pub fn HtmlLang() -> impl IntoView {
    let i18n = expect_context::<I18n>();
    let code = move || match lang_of(i18n) {
        Lang::Zh => ZH,
        Lang::En => EN,
    };
    // On the server, a finished value read now (see `PageTitle`); in the browser, reactive.
    #[cfg(feature = "ssr")]
    let html = {
        let fixed = untrack(code);
        view! { <Html attr:lang=fixed /> }
    };
    #[cfg(not(feature = "ssr"))]
    let html = view! { <Html attr:lang=code /> };
    html
}

/// The page's `<title>`; like `<html lang>`, it is rendered outside the component tree.
#[component]
pub fn PageTitle(text: fn(I18n) -> String) -> impl IntoView {
    let i18n = expect_context::<I18n>();
    // On the server the title is written into the head after the body has rendered, which may
    // be outside the request's reactive arena: reading the language signal then panics. So the
    // server hands over a finished string, read now; in the browser the title follows the
    // language as it changes.
    #[cfg(feature = "ssr")]
    let title = {
        let fixed = untrack(move || text(i18n));
        view! { <Title text=fixed /> }
    };
    #[cfg(not(feature = "ssr"))]
    let title = view! { <Title text=move || text(i18n) /> };
    title
}

/// Switches the UI to `lang` (the cookie is written by the context).
pub fn set_lang(lang: Lang) {
    let i18n = expect_context::<I18n>();
    let code = match lang {
        Lang::Zh => ZH,
        Lang::En => EN,
    };
    if let Some(language) = i18n.languages.iter().find(|l| l.id == code) {
        i18n.language.set(language);
    }
}

pub fn kind(kind: CarrierKind) -> String {
    text(&kind.text())
}

pub fn level(level: Level) -> String {
    text(&level.text())
}

/// "国家级（2015 年认定）", or "未认定".
pub fn accreditation(accreditation: Accreditation) -> String {
    match accreditation {
        Accreditation::None => level(Level::None),
        Accreditation::Granted { level: granted, year } => {
            tr!("accreditation-granted", { "level" => level(granted), "year" => year.to_string() })
        }
    }
}

pub fn model(model: OperatingModel) -> String {
    text(&model.text())
}

pub fn industry(industry: Industry) -> String {
    match industry {
        Industry::NewGenerationIt => tr!("industry-new-generation-it"),
        Industry::HighEndEquipment => tr!("industry-high-end-equipment"),
        Industry::NewMaterials => tr!("industry-new-materials"),
        Industry::Biomedicine => tr!("industry-biomedicine"),
        Industry::NewEnergy => tr!("industry-new-energy"),
        Industry::NewEnergyVehicles => tr!("industry-new-energy-vehicles"),
        Industry::EnergySavingEnvironmental => tr!("industry-energy-saving-environmental"),
        Industry::DigitalCreative => tr!("industry-digital-creative"),
        Industry::ModernAgriculture => tr!("industry-modern-agriculture"),
        Industry::ModernServices => tr!("industry-modern-services"),
        Industry::IntegratedCircuits => tr!("industry-integrated-circuits"),
        Industry::Other => tr!("industry-other"),
    }
}

pub fn role(role: Role) -> String {
    match role {
        Role::Admin => tr!("role-admin"),
        Role::Bureau => tr!("role-bureau"),
        Role::Operator => tr!("role-operator"),
        Role::Startup => tr!("role-startup"),
    }
}

/// "运营方 · 临沂高新区科技创业园", "科技局".
pub fn membership(membership: &Membership) -> String {
    match membership {
        Membership::Admin => role(Role::Admin),
        Membership::Bureau => role(Role::Bureau),
        Membership::Operator { carrier_name, .. } => format!("{} · {carrier_name}", role(Role::Operator)),
        Membership::Startup { startup_name, .. } => format!("{} · {startup_name}", role(Role::Startup)),
    }
}

pub fn unit_kind(kind: UnitKind) -> String {
    match kind {
        UnitKind::PrivateOffice => tr!("unit-kind-private-office"),
        UnitKind::OpenWorkstations => tr!("unit-kind-open-workstations"),
        UnitKind::LabWorkshop => tr!("unit-kind-lab-workshop"),
        UnitKind::MeetingRoom => tr!("unit-kind-meeting-room"),
        UnitKind::PublicService => tr!("unit-kind-public-service"),
        UnitKind::OperatorOffice => tr!("unit-kind-operator-office"),
        UnitKind::Other => tr!("unit-kind-other"),
    }
}

pub fn use_category(category: UseCategory) -> String {
    match category {
        UseCategory::Tenant => tr!("use-tenant"),
        UseCategory::PublicService => tr!("use-public-service"),
        UseCategory::Operator => tr!("use-operator"),
        UseCategory::Other => tr!("use-other"),
    }
}

pub fn rent_basis(basis: RentBasis) -> String {
    match basis {
        RentBasis::PerSquareMetre => tr!("rent-per-m2"),
        RentBasis::PerDesk => tr!("rent-per-desk"),
    }
}

pub fn unit_status(status: UnitStatus) -> String {
    match status {
        UnitStatus::Vacant => tr!("status-vacant"),
        UnitStatus::Leased => tr!("status-leased"),
        UnitStatus::Reserved => tr!("status-reserved"),
        UnitStatus::OutOfService => tr!("status-out-of-service"),
    }
}

pub fn change_kind(kind: ChangeKind) -> String {
    match kind {
        ChangeKind::Added => tr!("change-added"),
        ChangeKind::Resized => tr!("change-resized"),
        ChangeKind::Recategorised => tr!("change-recategorised"),
        ChangeKind::Edited => tr!("change-edited"),
        ChangeKind::OutOfService => tr!("change-out-of-service"),
        ChangeKind::BackInService => tr!("change-back-in-service"),
        ChangeKind::Removed => tr!("change-removed"),
    }
}

pub fn change_action(action: ChangeAction) -> String {
    match action {
        ChangeAction::Update => tr!("action-update"),
        ChangeAction::OutOfService => tr!("action-out-of-service"),
        ChangeAction::BackInService => tr!("action-back-in-service"),
        ChangeAction::Remove => tr!("action-remove"),
    }
}

/// What a column of a unit file holds.
pub fn unit_column(column: &str) -> String {
    match column {
        "site" => tr!("column-site"),
        "building" => tr!("column-building"),
        "floor" => tr!("column-floor"),
        "unit" => tr!("column-unit"),
        "kind" => tr!("column-kind"),
        "gross_area_m2" => tr!("column-gross"),
        "usable_area_m2" => tr!("column-usable"),
        "use" => tr!("column-use"),
        "desks" => tr!("column-desks"),
        "list_rent_yuan" => tr!("column-rent"),
        "rent_basis" => tr!("column-basis"),
        _ => tr!("column-status"),
    }
}

pub fn district_kind(kind: DistrictKind) -> String {
    match kind {
        DistrictKind::District => tr!("district-kind-district"),
        DistrictKind::County => tr!("district-kind-county"),
        DistrictKind::Zone => tr!("district-kind-zone"),
    }
}

/// What the user is told about a refused value.
pub fn problem(problem: &Problem) -> String {
    match problem {
        Problem::Required => tr!("problem-required"),
        Problem::TooShort { min } => tr!("problem-too-short", { "min" => min.to_string() }),
        Problem::TooLong { max } => tr!("problem-too-long", { "max" => max.to_string() }),
        Problem::NotAChoice => tr!("problem-not-a-choice"),
        Problem::NotANumber => tr!("problem-not-a-number"),
        Problem::YearOutOfRange { min, max } => {
            tr!("problem-year-out-of-range", { "min" => min.to_string(), "max" => max.to_string() })
        }
        Problem::YearBeforeOpening => tr!("problem-year-before-opening"),
        Problem::YearWithoutLevel => tr!("problem-year-without-level"),
        Problem::NotADate => tr!("problem-not-a-date"),
        Problem::DateInFuture => tr!("problem-date-in-future"),
        Problem::DateTooEarly { min } => tr!("problem-date-too-early", { "min" => min.clone() }),
        Problem::InvalidPhone => tr!("problem-invalid-phone"),
        Problem::InvalidEmail => tr!("problem-invalid-email"),
        Problem::NoneChosen => tr!("problem-none-chosen"),
        Problem::UnknownDistrict => tr!("problem-unknown-district"),
        Problem::NameTaken => tr!("problem-name-taken"),
        Problem::PasswordCommon => tr!("problem-password-common"),
        Problem::PasswordPersonal => tr!("problem-password-personal"),
        Problem::PasswordMismatch => tr!("problem-password-mismatch"),
        Problem::EmailTaken => tr!("problem-email-taken"),
        Problem::PasswordWrong => tr!("problem-password-wrong"),
        Problem::InvalidCode => tr!("problem-invalid-code"),
        Problem::NotPositive => tr!("problem-not-positive"),
        Problem::TooManyDecimals => tr!("problem-too-many-decimals"),
        Problem::TooLarge => tr!("problem-too-large"),
        Problem::UsableExceedsGross => tr!("problem-usable-exceeds-gross"),
        Problem::PerDeskWithoutDesks => tr!("problem-per-desk-without-desks"),
        Problem::CodeTaken => tr!("problem-code-taken"),
        Problem::DateBeforeUnit => tr!("problem-date-before-unit"),
        Problem::RecordsBeforeOpening => tr!("problem-records-before-opening"),
        Problem::GraduationUnproven => tr!("problem-graduation-unproven"),
        Problem::NonCashNeedsCarrier => tr!("problem-non-cash-needs-carrier"),
        Problem::BelowPar { price } => tr!("problem-below-par", { "price" => price.clone() }),
        Problem::DiscountNeedsReason => tr!("problem-discount-needs-reason"),
        Problem::MoreThanRent { max } => tr!("problem-more-than-rent", { "max" => max.clone() }),
        Problem::UnitRemoved => tr!("problem-unit-removed"),
        Problem::NoChange => tr!("problem-no-change"),
        Problem::UnexpectedColumn { expected } => tr!("problem-unexpected-column", { "expected" => expected.clone() }),
        Problem::CreditCode(error) => code_error(error),
        Problem::RdStaffExceedsTeam => tr!("problem-rd-staff-exceeds-team"),
        Problem::GrantedExceedsApplied => tr!("problem-granted-exceeds-applied"),
        Problem::IllegalTransition { .. } => tr!("problem-illegal-transition"),
        Problem::DateInPast => tr!("problem-date-in-past"),
        Problem::DateTooLate { max } => tr!("problem-date-too-late", { "max" => max.clone() }),
        Problem::OutOfRange { min, max } => {
            tr!("problem-out-of-range", { "min" => min.to_string(), "max" => max.to_string() })
        }
        Problem::EndBeforeStart => tr!("problem-end-before-start"),
        Problem::UnitTaken { unit } => tr!("problem-unit-taken", { "unit" => unit.clone() }),
        Problem::UnitUnavailable { unit } => tr!("problem-unit-unavailable", { "unit" => unit.clone() }),
        Problem::NotPdf => tr!("problem-not-pdf"),
        Problem::FileTooLarge { max_mb } => tr!("problem-file-too-large", { "max" => max_mb.to_string() }),
        Problem::UnknownAccount => tr!("problem-unknown-account"),
        Problem::TooManyFiles { max } => tr!("problem-too-many-files", { "max" => max.to_string() }),
        Problem::TooManyRows { max } => {
            tr!("problem-too-many-rows", { "max" => domain::format::integer(i64::try_from(*max).unwrap_or(i64::MAX)) })
        }
        Problem::DateOutOfRange { min, max } => {
            tr!("problem-date-out-of-range", { "min" => min.clone(), "max" => max.clone() })
        }
        Problem::EquityNeedsShareholderModel => tr!("problem-equity-needs-shareholder"),
        Problem::LeaseNotActive => tr!("problem-lease-not-active"),
        Problem::BadLeaseEnd => tr!("problem-bad-lease-end"),
        Problem::WrongStage => tr!("problem-wrong-stage"),
        Problem::CodeValid => tr!("problem-code-valid"),
        Problem::SameHolder => tr!("problem-same-holder"),
        Problem::PaidExceedsSubscribed => tr!("problem-paid-exceeds-subscribed"),
        Problem::DuplicateHolder => tr!("problem-duplicate-holder"),
        Problem::NotFormedYet => tr!("problem-not-formed-yet"),
        Problem::AlreadyFormed => tr!("problem-already-formed"),
        Problem::DateBeforeLastEvent { last } => tr!("problem-date-before-last-event", { "last" => last.clone() }),
        Problem::MoreThanHeld => tr!("problem-more-than-held"),
        Problem::UnknownHolder => tr!("problem-unknown-holder"),
        Problem::AlreadyReversed => tr!("problem-already-reversed"),
        Problem::ReversalBreaksLedger => tr!("problem-reversal-breaks-ledger"),
        Problem::LeaseNotForEquity => tr!("problem-lease-not-for-equity"),
        Problem::LeaseAlreadyConverted => tr!("problem-lease-already-converted"),
    }
}

/// Items joined as a list in the reader's language (`甲、乙` or `A, B`).
pub fn list(items: &[String]) -> String {
    items.join(&tr!("list-separator"))
}

/// Which rule of GB 32100-2015 a credit code breaks.
pub fn code_error(error: &CodeError) -> String {
    match error {
        CodeError::Length { found } => tr!("code-length", { "found" => found.to_string() }),
        CodeError::Character { position, character } => {
            tr!("code-character", { "position" => position.to_string(), "character" => character.clone() })
        }
        CodeError::Authority { found } => tr!("code-authority", { "found" => found.clone() }),
        CodeError::Category { found } => tr!("code-category", { "found" => found.clone() }),
        CodeError::Division => tr!("code-division"),
        CodeError::CheckCharacter { expected, found } => {
            tr!("code-check", { "expected" => expected.clone(), "found" => found.clone() })
        }
        CodeError::OrganisationCode { expected, found } => {
            tr!("code-organisation", { "expected" => expected.clone(), "found" => found.clone() })
        }
    }
}

pub fn application_state(state: ApplicationState) -> String {
    match state {
        ApplicationState::Draft => tr!("application-draft"),
        ApplicationState::Submitted => tr!("application-submitted"),
        ApplicationState::UnderReview => tr!("application-under-review"),
        ApplicationState::Admitted => tr!("application-admitted"),
        ApplicationState::Rejected => tr!("application-rejected"),
        ApplicationState::Withdrawn => tr!("application-withdrawn"),
    }
}

pub fn transition(transition: Transition) -> String {
    match transition {
        Transition::Submit => tr!("transition-submit"),
        Transition::StartReview => tr!("transition-start-review"),
        Transition::Admit => tr!("transition-admit"),
        Transition::Reject => tr!("transition-reject"),
        Transition::Withdraw => tr!("transition-withdraw"),
    }
}

pub fn space_request(request: SpaceRequest) -> String {
    match request {
        SpaceRequest::Desks(desks) => tr!("request-desks", { "desks" => desks }),
        SpaceRequest::Area(area) => tr!("request-area", { "area" => self::area(area) }),
    }
}

pub fn tenant_stage(stage: TenantStage) -> String {
    match stage {
        TenantStage::Applicant => tr!("stage-applicant"),
        TenantStage::Incubating => tr!("stage-incubating"),
        TenantStage::Graduated => tr!("stage-graduated"),
        TenantStage::Exited => tr!("stage-exited"),
    }
}

pub fn graduation_criterion(criterion: GraduationCriterion) -> String {
    match criterion {
        GraduationCriterion::HighTechEnterprise => tr!("criterion-high-tech"),
        GraduationCriterion::Financing5m => tr!("criterion-financing"),
        GraduationCriterion::Revenue10mTwoYears => tr!("criterion-revenue"),
        GraduationCriterion::AcquiredOrListed => tr!("criterion-acquired"),
    }
}

pub fn lease_phase(phase: LeasePhase) -> String {
    match phase {
        LeasePhase::Signed => tr!("lease-phase-signed"),
        LeasePhase::Upcoming => tr!("lease-phase-upcoming"),
        LeasePhase::InForce => tr!("lease-phase-in-force"),
        LeasePhase::Ending => tr!("lease-phase-ending"),
        LeasePhase::Ended => tr!("lease-phase-ended"),
        LeasePhase::Terminated => tr!("lease-phase-terminated"),
    }
}

pub fn lease_event(kind: LeaseEventKind) -> String {
    match kind {
        LeaseEventKind::Signed => tr!("lease-signed"),
        LeaseEventKind::Renewed => tr!("lease-renewed"),
        LeaseEventKind::EndedEarly => tr!("lease-ended-early"),
        LeaseEventKind::Terminated => tr!("lease-event-terminated"),
    }
}

pub fn holder_kind(kind: HolderKind) -> String {
    match kind {
        HolderKind::Founder => tr!("holder-founder"),
        HolderKind::Carrier => tr!("holder-carrier"),
        HolderKind::CarrierFund => tr!("holder-carrier-fund"),
        HolderKind::Investor => tr!("holder-investor"),
        HolderKind::EmployeePlatform => tr!("holder-employee-platform"),
    }
}

pub fn equity_event(kind: EventKind) -> String {
    match kind {
        EventKind::Formation => tr!("equity-formation"),
        EventKind::CapitalIncrease => tr!("equity-capital-increase"),
        EventKind::Transfer => tr!("equity-transfer"),
        EventKind::Reduction => tr!("equity-reduction"),
        EventKind::Reversal => tr!("equity-reversal"),
    }
}

pub fn channel(channel: Channel) -> String {
    match channel {
        Channel::Cash => tr!("channel-cash"),
        Channel::Rent => tr!("channel-rent"),
        Channel::Services => tr!("channel-services"),
    }
}

pub fn round_stage(stage: RoundStage) -> String {
    match stage {
        RoundStage::Seed => tr!("stage-seed"),
        RoundStage::Angel => tr!("stage-angel"),
        RoundStage::PreA => tr!("stage-pre-a"),
        RoundStage::A => tr!("stage-a"),
        RoundStage::APlus => tr!("stage-a-plus"),
        RoundStage::B => tr!("stage-b"),
        RoundStage::C => tr!("stage-c"),
        RoundStage::Later => tr!("stage-later"),
        RoundStage::Conversion => tr!("stage-conversion"),
    }
}

/// What the user is told about a failed request.
pub fn error(error: &AppError) -> String {
    match error {
        AppError::Unauthenticated => tr!("error-unauthenticated"),
        AppError::Forbidden => tr!("error-forbidden"),
        AppError::InvalidCredentials => tr!("error-invalid-credentials"),
        AppError::TooManyAttempts { minutes } => tr!("error-too-many-attempts", { "minutes" => minutes.to_string() }),
        AppError::LinkExpired => tr!("error-link-expired"),
        AppError::AwaitingApproval => tr!("error-awaiting-approval"),
        AppError::Busy { seconds } | AppError::Overloaded { seconds } => {
            tr!("error-busy", { "seconds" => seconds.to_string() })
        }
        AppError::QuotaExceeded { used_mb, quota_mb } => {
            tr!("error-quota-exceeded", { "used" => used_mb.to_string(), "quota" => quota_mb.to_string() })
        }
        AppError::TooLarge { max_kb } => tr!("error-too-large", { "max" => max_kb.to_string() }),
        AppError::CrossSite => tr!("error-cross-site"),
        AppError::NotFound => tr!("error-not-found"),
        AppError::Invalid { .. } => tr!("error-invalid"),
        AppError::Stale => tr!("error-stale"),
        AppError::Conflict { .. } => tr!("error-conflict"),
        AppError::BadRequest => tr!("error-bad-request"),
        AppError::Internal { reference } => {
            tr!("error-internal", { "reference" => reference.clone() })
        }
        AppError::Unreachable => tr!("error-unreachable"),
    }
}
