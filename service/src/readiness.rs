//! Accreditation readiness and carriers' annual statistics: the rule sets (seeded with the
//! national criteria, edited by bureau staff), each carrier's figures for every metric with
//! where they came from, the checklists, the annual returns carriers file, and the annual
//! statistics report shaped after the national Torch statistics.

use crate::authz::{self, Actor};
use crate::entity::{annual_return, carrier, criterion, district, rule_set, startup, startup_year, tenant_event};
use crate::spaces::{self, AreaScope};
use crate::{Result, ServiceError, dashboard, db, equity};
use chrono::{Datelike, Months, NaiveDate, Utc};
use domain::carrier::CarrierKind;
use domain::readiness::{
    AnnualReturn, AnnualReturnForm, AnnualReturnView, Checklist, Criterion, CriterionForm, Figure, Figures, Metric,
    Outcome, ReadinessRow, ReadinessView, RuleSet, Source,
};
use domain::space::UseCategory;
use domain::startup::{TenantStage, whole_months};
use domain::{Area, CarrierId, DistrictId, Money};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use std::collections::{BTreeMap, BTreeSet};

/// One seeded criterion: label (zh, en), metric, threshold, alternative.
type Seed = (&'static str, &'static str, Metric, i64, Option<(Metric, i64)>);

/// The national incubator criteria (科技部《科技企业孵化器管理办法》, 2018, 第十条).
const NATIONAL_INCUBATOR: &[Seed] = &[
    (
        "具有独立法人资格，发展方向明确，运营管理体系和孵化服务机制完善",
        "An independent legal person with a clear direction, management system and services",
        Metric::Review,
        0,
        None,
    ),
    ("实际注册并运营满3年", "Registered and operating for at least 3 years", Metric::OperatingMonths, 36, None),
    ("至少连续2年报送真实完整的统计数据", "Statistics reported for at least 2 years", Metric::ReportedYears, 2, None),
    (
        "可自主支配的孵化场地面积不低于10000平方米",
        "At least 10,000 m² of incubation space",
        Metric::GrossArea,
        1_000_000,
        None,
    ),
    (
        "在孵企业使用面积（含公共服务面积）占75%以上",
        "At least 75 % used by tenants, public-service area included",
        Metric::TenantUseShare,
        7_500,
        None,
    ),
    ("孵化资金规模不低于500万元", "An incubation fund of at least 5 million yuan", Metric::Fund, 500_000_000, None),
    ("获得投融资的在孵企业占比不低于10%", "At least 10 % of tenants financed", Metric::FinancedShare, 1_000, None),
    ("不少于3个资金使用案例", "At least 3 investment cases", Metric::InvestedStartups, 3, None),
    (
        "专业孵化服务人员占机构总人数80%以上",
        "Professional incubation staff at least 80 % of all staff",
        Metric::ProfessionalShare,
        8_000,
        None,
    ),
    (
        "每10家在孵企业至少配备1名专业孵化服务人员",
        "At least 1 professional per 10 tenants",
        Metric::StaffPer10Tenants,
        100,
        None,
    ),
    ("每10家在孵企业至少配备1名创业导师", "At least 1 mentor per 10 tenants", Metric::MentorsPer10Tenants, 100, None),
    (
        "已申请专利的在孵企业占比不低于50%，或拥有有效知识产权的企业占比不低于70%",
        "At least 50 % of tenants applied for patents, or 70 % hold IP",
        Metric::PatentShare,
        5_000,
        Some((Metric::IpShare, 7_000)),
    ),
    ("在孵企业不少于50家", "At least 50 tenants", Metric::Tenants, 50, None),
    ("每千平方米平均在孵企业不少于3家", "At least 3 tenants per 1,000 m²", Metric::TenantsPer1000, 300, None),
    ("累计毕业企业达到20家以上", "At least 20 graduates", Metric::Graduates, 20, None),
];

/// The national maker-space filing criteria (《国家众创空间备案暂行规定》).
const NATIONAL_MAKER_SPACE: &[Seed] = &[
    (
        "发展方向明确、模式清晰，设立专门运营管理机构",
        "A clear direction and model, with a dedicated operating body",
        Metric::Review,
        0,
        None,
    ),
    ("运营时间满18个月", "Operating for at least 18 months", Metric::OperatingMonths, 18, None),
    (
        "拥有不低于500平方米的服务场地，或提供不少于30个创业工位",
        "At least 500 m² of space, or at least 30 workstations",
        Metric::GrossArea,
        50_000,
        Some((Metric::Desks, 30)),
    ),
    (
        "创业工位和公共服务场地面积不低于总面积的75%",
        "Workstations and public-service space at least 75 % of the area",
        Metric::TenantUseShare,
        7_500,
        None,
    ),
    ("年协议入驻创业团队和企业不低于20家", "At least 20 teams admitted a year", Metric::AdmittedLastYear, 20, None),
    (
        "每年注册成为新企业数不低于10家，或每年有不低于5家获得融资",
        "At least 10 new companies a year, or 5 financed",
        Metric::NewCompaniesLastYear,
        10,
        Some((Metric::FinancedLastYear, 5)),
    ),
    ("每年有不少于3个典型孵化案例", "At least 3 typical cases a year", Metric::TypicalCases, 3, None),
    ("至少3名具备专业服务能力的专职人员", "At least 3 professional staff", Metric::ProfessionalStaff, 3, None),
    ("聘请至少3名专兼职导师", "At least 3 mentors", Metric::Mentors, 3, None),
    ("每年开展创业沙龙、路演、大赛、培训等活动不少于10场次", "At least 10 events a year", Metric::EventsHeld, 10, None),
    ("按要求上报统计数据", "Statistics reported", Metric::ReportedYears, 1, None),
];

/// Adds the national rule sets, inside the reference-data transaction.
pub(crate) async fn seed_rule_sets(txn: &impl ConnectionTrait) -> Result<()> {
    for (code, zh, en, kind, criteria) in [
        (
            "national_incubator_2018",
            "国家级科技企业孵化器认定条件（2018）",
            "National incubator criteria (2018)",
            CarrierKind::Incubator,
            NATIONAL_INCUBATOR,
        ),
        (
            "national_maker_space",
            "国家众创空间备案条件",
            "National maker-space filing criteria",
            CarrierKind::MakerSpace,
            NATIONAL_MAKER_SPACE,
        ),
    ] {
        if rule_set::Entity::find().filter(rule_set::Column::Code.eq(code)).one(txn).await?.is_some() {
            continue;
        }
        let set = rule_set::ActiveModel {
            code: Set(code.to_owned()),
            name_zh: Set(zh.to_owned()),
            name_en: Set(en.to_owned()),
            carrier_kind: Set(Some(kind.code().to_owned())),
            updated_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        for (position, (label_zh, label_en, metric, threshold, alternative)) in (1_i32..).zip(criteria.iter()) {
            criterion::ActiveModel {
                rule_set_id: Set(set.id),
                position: Set(position),
                label_zh: Set((*label_zh).to_owned()),
                label_en: Set((*label_en).to_owned()),
                metric: Set(metric.code().to_owned()),
                threshold: Set(*threshold),
                or_metric: Set(alternative.map(|(m, _)| m.code().to_owned())),
                or_threshold: Set(alternative.map(|(_, t)| t)),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
    }
    Ok(())
}

fn criterion_of(model: criterion::Model) -> Result<Criterion> {
    let metric = Metric::from_code(&model.metric)
        .ok_or_else(|| ServiceError::Corrupt(format!("unknown metric {:?}", model.metric)))?;
    let alternative = match (model.or_metric.as_deref().and_then(Metric::from_code), model.or_threshold) {
        (Some(m), Some(t)) => Some((m, t)),
        _ => None,
    };
    Ok(Criterion {
        id: model.id,
        position: model.position,
        label_zh: model.label_zh,
        label_en: model.label_en,
        metric,
        threshold: model.threshold,
        alternative,
    })
}

async fn load_set(db: &impl ConnectionTrait, model: rule_set::Model) -> Result<RuleSet> {
    let criteria = criterion::Entity::find()
        .filter(criterion::Column::RuleSetId.eq(model.id))
        .order_by_asc(criterion::Column::Position)
        .order_by_asc(criterion::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(criterion_of)
        .collect::<Result<Vec<_>>>()?;
    Ok(RuleSet {
        id: model.id,
        code: model.code,
        name_zh: model.name_zh,
        name_en: model.name_en,
        carrier_kind: model.carrier_kind.as_deref().and_then(CarrierKind::from_code),
        criteria,
    })
}

/// Every rule set: bureau staff and operators (who check their own carriers against them).
pub async fn rule_sets(db: &impl ConnectionTrait, actor: &Actor) -> Result<Vec<RuleSet>> {
    authz::carrier_scope(actor)?;
    let mut out = Vec::new();
    for model in rule_set::Entity::find().order_by_asc(rule_set::Column::Id).all(db).await? {
        out.push(load_set(db, model).await?);
    }
    Ok(out)
}

async fn rule_set_of(db: &impl ConnectionTrait, id: i64) -> Result<RuleSet> {
    let model = rule_set::Entity::find_by_id(id).one(db).await?.ok_or(ServiceError::NotFound)?;
    load_set(db, model).await
}

async fn touch(txn: &impl ConnectionTrait, set: i64) -> Result<()> {
    let model = rule_set::Entity::find_by_id(set).one(txn).await?.ok_or(ServiceError::NotFound)?;
    let mut active: rule_set::ActiveModel = model.into();
    active.updated_at = Set(Utc::now());
    active.update(txn).await?;
    Ok(())
}

async fn audit_criterion(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    action: &'static str,
    id: i64,
    before: Option<&criterion::Model>,
    after: Option<&criterion::Model>,
) -> Result<()> {
    let snap = |m: &criterion::Model| {
        serde_json::json!({
            "rule_set": m.rule_set_id, "label": m.label_zh, "metric": m.metric, "threshold": m.threshold,
            "or_metric": m.or_metric, "or_threshold": m.or_threshold,
        })
    };
    crate::audit::record(
        txn,
        crate::audit::By::Actor(actor),
        crate::audit::Change {
            action,
            entity_type: "criterion",
            entity_id: id,
            carrier: None,
            startup: None,
            before: before.and_then(|m| crate::audit::snapshot(&snap(m))),
            after: after.and_then(|m| crate::audit::snapshot(&snap(m))),
        },
    )
    .await
}

/// Adds a criterion at the end of a rule set (`criterion: None`) or changes one: bureau only.
pub async fn save_criterion(
    db: &DatabaseConnection,
    actor: &Actor,
    set: i64,
    criterion_id: Option<i64>,
    form: &CriterionForm,
) -> Result<i64> {
    authz::manage_registry(actor)?;
    let draft = form.parse()?;
    let txn = db::begin_write(db).await?;
    rule_set::Entity::find_by_id(set).one(&txn).await?.ok_or(ServiceError::NotFound)?;
    let (alt_metric, alt_threshold) = match draft.alternative {
        Some((m, t)) => (Some(m.code().to_owned()), Some(t)),
        None => (None, None),
    };
    let saved = match criterion_id {
        Some(id) => {
            let before = criterion::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .filter(|c| c.rule_set_id == set)
                .ok_or(ServiceError::NotFound)?;
            let mut active: criterion::ActiveModel = before.clone().into();
            active.label_zh = Set(draft.label_zh);
            active.label_en = Set(draft.label_en);
            active.metric = Set(draft.metric.code().to_owned());
            active.threshold = Set(draft.threshold);
            active.or_metric = Set(alt_metric);
            active.or_threshold = Set(alt_threshold);
            let after = active.update(&txn).await?;
            audit_criterion(&txn, actor, "criterion_changed", id, Some(&before), Some(&after)).await?;
            after.id
        }
        None => {
            let last = criterion::Entity::find()
                .filter(criterion::Column::RuleSetId.eq(set))
                .order_by_desc(criterion::Column::Position)
                .one(&txn)
                .await?
                .map_or(0, |c| c.position);
            let after = criterion::ActiveModel {
                rule_set_id: Set(set),
                position: Set(last + 1),
                label_zh: Set(draft.label_zh),
                label_en: Set(draft.label_en),
                metric: Set(draft.metric.code().to_owned()),
                threshold: Set(draft.threshold),
                or_metric: Set(alt_metric),
                or_threshold: Set(alt_threshold),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            audit_criterion(&txn, actor, "criterion_added", after.id, None, Some(&after)).await?;
            after.id
        }
    };
    touch(&txn, set).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Removes a criterion from its rule set: bureau only.
pub async fn remove_criterion(db: &DatabaseConnection, actor: &Actor, set: i64, criterion_id: i64) -> Result<()> {
    authz::manage_registry(actor)?;
    let txn = db::begin_write(db).await?;
    let before = criterion::Entity::find_by_id(criterion_id)
        .one(&txn)
        .await?
        .filter(|c| c.rule_set_id == set)
        .ok_or(ServiceError::NotFound)?;
    criterion::Entity::delete_by_id(criterion_id).exec(&txn).await?;
    audit_criterion(&txn, actor, "criterion_removed", criterion_id, Some(&before), None).await?;
    touch(&txn, set).await?;
    txn.commit().await?;
    Ok(())
}

// ---- figures ----------------------------------------------------------------------------------

/// Share of `part` in `whole` in basis points, rounded down; none when `whole` is zero.
fn share(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| i64::try_from(i128::from(part) * 10_000 / i128::from(whole)).unwrap_or(i64::MAX))
}

/// Tenant movements of one carrier up to `on`.
struct TenantFacts {
    incubating: Vec<i64>,
    graduates: u64,
    /// Startups admitted (incubating) in the twelve months up to `on`, with the day.
    admitted_recently: Vec<(i64, NaiveDate)>,
}

async fn tenant_facts(db: &impl ConnectionTrait, carrier: CarrierId, on: NaiveDate) -> Result<TenantFacts> {
    let year_ago = on.checked_sub_months(Months::new(12)).unwrap_or(on);
    let stages =
        dashboard::tenant_stages(db, sea_orm::Condition::all().add(tenant_event::Column::CarrierId.eq(carrier.0)), on)
            .await?;
    // The latest admission of each startup within the twelve months.
    let admitted: BTreeMap<i64, NaiveDate> =
        stages.admissions.iter().filter(|(_, _, day)| *day > year_ago).map(|(_, s, day)| (*s, *day)).collect();
    Ok(TenantFacts {
        incubating: stages.incubating(carrier.0).collect(),
        graduates: stages.graduated.len() as u64,
        admitted_recently: admitted.into_iter().collect(),
    })
}

/// The carrier's annual returns up to `year`, by year.
async fn returns_until(db: &impl ConnectionTrait, carrier: CarrierId, year: i32) -> Result<Vec<annual_return::Model>> {
    Ok(annual_return::Entity::find()
        .filter(annual_return::Column::CarrierId.eq(carrier.0))
        .filter(annual_return::Column::Year.lte(year))
        .order_by_asc(annual_return::Column::Year)
        .all(db)
        .await?)
}

/// The years of the latest unbroken run of filed returns (`years` ascending).
fn consecutive_years(years: &[i32]) -> i64 {
    let mut run = 0;
    for (i, year) in years.iter().enumerate().rev() {
        if i + 1 < years.len() && years[i + 1] != year + 1 {
            break;
        }
        run += 1;
    }
    run
}

/// Every metric's figure for a carrier on `on`, each with its source.
pub async fn figures(db: &impl ConnectionTrait, carrier: &carrier::Model, on: NaiveDate) -> Result<Figures> {
    let id = CarrierId(carrier.id);
    let mut out = BTreeMap::new();
    let mut put = |metric: Metric, value: Option<i64>, source: Source| {
        out.insert(metric, Figure { value, source });
    };
    let opened = carrier.opened_on;
    put(
        Metric::OperatingMonths,
        Some(if on >= opened { i64::from(whole_months(opened, on)) } else { 0 }),
        Source::Registration,
    );

    let area = spaces::totals(db, AreaScope::Carrier(id), on).await?;
    let gross = area.total_gross().hundredths();
    put(Metric::GrossArea, Some(gross), Source::AreaLedger);
    put(
        Metric::TenantUseShare,
        share((area.gross_of(UseCategory::Tenant) + area.gross_of(UseCategory::PublicService)).hundredths(), gross),
        Source::AreaLedger,
    );
    put(Metric::Desks, Some(area.desks), Source::AreaLedger);

    let facts = tenant_facts(db, id, on).await?;
    let tenants = i64::try_from(facts.incubating.len()).unwrap_or(i64::MAX);
    put(Metric::Tenants, Some(tenants), Source::TenantRecords);
    // Tenants per 1,000 m², in hundredths: tenants × 1,000 m² × 100 hundredths of m² × 100.
    put(
        Metric::TenantsPer1000,
        (gross > 0).then(|| i64::try_from(i128::from(tenants) * 10_000_000 / i128::from(gross)).unwrap_or(i64::MAX)),
        Source::TenantRecords,
    );
    put(Metric::Graduates, Some(i64::try_from(facts.graduates).unwrap_or(i64::MAX)), Source::TenantRecords);
    put(
        Metric::AdmittedLastYear,
        Some(i64::try_from(facts.admitted_recently.len()).unwrap_or(i64::MAX)),
        Source::TenantRecords,
    );

    let mut wanted: BTreeSet<i64> = facts.incubating.iter().copied().collect();
    wanted.extend(facts.admitted_recently.iter().map(|(s, _)| *s));
    let startups: BTreeMap<i64, startup::Model> = startup::Entity::find()
        .filter(startup::Column::Id.is_in(wanted.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let years = startup_year::Entity::find()
        .filter(startup_year::Column::StartupId.is_in(wanted.iter().copied()))
        .filter(startup_year::Column::Year.lte(on.year()))
        .all(db)
        .await?;
    let financed_ever: BTreeSet<i64> = years.iter().filter(|y| y.financing_fen > 0).map(|y| y.startup_id).collect();
    let financed_last_year: BTreeSet<i64> =
        years.iter().filter(|y| y.financing_fen > 0 && y.year == on.year() - 1).map(|y| y.startup_id).collect();
    let count = |pred: &dyn Fn(&i64) -> bool| {
        i64::try_from(facts.incubating.iter().filter(|s| pred(s)).count()).unwrap_or(i64::MAX)
    };
    put(Metric::FinancedShare, share(count(&|s| financed_ever.contains(s)), tenants), Source::StartupReturns);
    put(Metric::FinancedLastYear, Some(count(&|s| financed_last_year.contains(s))), Source::StartupReturns);
    put(
        Metric::PatentShare,
        share(count(&|s| startups.get(s).is_some_and(|m| m.patents_applied > 0)), tenants),
        Source::StartupReturns,
    );
    put(
        Metric::IpShare,
        share(count(&|s| startups.get(s).is_some_and(|m| m.patents_granted > 0 || m.software_copyrights > 0)), tenants),
        Source::StartupReturns,
    );
    let year_ago = on.checked_sub_months(Months::new(12)).unwrap_or(on);
    let new_companies = facts
        .admitted_recently
        .iter()
        .filter(|(s, _)| startups.get(s).and_then(|m| m.founded_on).is_some_and(|f| f > year_ago && f <= on))
        .count();
    put(Metric::NewCompaniesLastYear, Some(i64::try_from(new_companies).unwrap_or(i64::MAX)), Source::StartupReturns);

    let stakes = equity::stakes(db, Some(&[id]), on).await?;
    let invested = stakes.iter().filter(|(_, row)| row.capital.fen() > 0).count();
    put(Metric::InvestedStartups, Some(i64::try_from(invested).unwrap_or(i64::MAX)), Source::EquityLedger);

    let returns = returns_until(db, id, on.year()).await?;
    put(
        Metric::ReportedYears,
        Some(consecutive_years(&returns.iter().map(|r| r.year).collect::<Vec<_>>())),
        Source::AnnualReturn(returns.last().map_or(on.year(), |r| r.year)),
    );
    // Only a current return speaks for the carrier: this year's or last year's.
    let latest = returns.last().filter(|r| r.year >= on.year() - 1);
    let source = Source::AnnualReturn(latest.map_or(on.year(), |r| r.year));
    let reported = |f: &dyn Fn(&annual_return::Model) -> i64| latest.map(f);
    put(Metric::Fund, reported(&|r| r.fund_fen), source);
    put(
        Metric::ProfessionalShare,
        latest.and_then(|r| share(i64::from(r.staff_professional), i64::from(r.staff_total))),
        source,
    );
    put(Metric::ProfessionalStaff, reported(&|r| i64::from(r.staff_professional)), source);
    put(Metric::Mentors, reported(&|r| i64::from(r.mentors)), source);
    // Per 10 tenants, in hundredths: people × 10 × 100 ÷ tenants.
    let per_ten = |people: i32| (tenants > 0).then(|| i64::from(people) * 1_000 / tenants);
    put(Metric::StaffPer10Tenants, latest.and_then(|r| per_ten(r.staff_professional)), source);
    put(Metric::MentorsPer10Tenants, latest.and_then(|r| per_ten(r.mentors)), source);
    put(Metric::TypicalCases, reported(&|r| i64::from(r.typical_cases)), source);
    put(Metric::EventsHeld, reported(&|r| i64::from(r.events_held)), source);
    Ok(Figures(out))
}

/// A carrier's checklists on `on`: against the rule sets for its kind (all sets if none is).
pub async fn checklists(
    db: &impl ConnectionTrait,
    actor: &Actor,
    carrier: CarrierId,
    on: NaiveDate,
) -> Result<Vec<Checklist>> {
    authz::read_carrier(actor, carrier)?;
    let model = carrier::Entity::find_by_id(carrier.0).one(db).await?.ok_or(ServiceError::NotFound)?;
    let kind = CarrierKind::from_code(&model.kind);
    let sets = rule_sets(db, actor).await?;
    let matching: Vec<RuleSet> =
        sets.iter().filter(|s| s.carrier_kind.is_none_or(|k| Some(k) == kind)).cloned().collect();
    let chosen = if matching.is_empty() { sets } else { matching };
    let figures = figures(db, &model, on).await?;
    Ok(chosen.into_iter().map(|set| Checklist::new(carrier, model.name.clone(), on, set, &figures)).collect())
}

/// The carriers of a rule set's kind (in `district`, if given) with their standing, one page of
/// 50 at a time: every carrier for bureau staff, their own for operators.
pub async fn readiness(
    db: &impl ConnectionTrait,
    actor: &Actor,
    set: i64,
    district: Option<DistrictId>,
    on: NaiveDate,
    page: u32,
) -> Result<ReadinessView> {
    let scope = authz::carrier_scope(actor)?;
    const PAGE_SIZE: u32 = 50;
    let rule_set = rule_set_of(db, set).await?;
    let mut select = carrier::Entity::find().filter(carrier::Column::Archived.eq(false));
    if let authz::CarrierScope::Only(own) = &scope {
        select = select.filter(carrier::Column::Id.is_in(own.iter().map(|c| c.0)));
    }
    if let Some(kind) = rule_set.carrier_kind {
        select = select.filter(carrier::Column::Kind.eq(kind.code()));
    }
    if let Some(d) = district {
        select = select.filter(carrier::Column::DistrictId.eq(d.0));
    }
    let total = select.clone().count(db).await?;
    let page = page.max(1);
    let carriers = select
        .order_by_asc(carrier::Column::Name)
        .order_by_asc(carrier::Column::Id)
        .limit(u64::from(PAGE_SIZE))
        .offset(u64::from(page - 1) * u64::from(PAGE_SIZE))
        .all(db)
        .await?;
    let districts: BTreeMap<i64, district::Model> =
        district::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d)).collect();
    let mut rows = Vec::new();
    for model in carriers {
        let figures = figures(db, &model, on).await?;
        let list = Checklist::new(CarrierId(model.id), model.name.clone(), on, rule_set.clone(), &figures);
        let d = districts.get(&model.district_id);
        rows.push(ReadinessRow {
            carrier: CarrierId(model.id),
            name: model.name,
            district_zh: d.map(|d| d.name_zh.clone()).unwrap_or_default(),
            district_en: d.map(|d| d.name_en.clone()).unwrap_or_default(),
            pass: list.count(Outcome::Pass),
            fail: list.count(Outcome::Fail),
            unknown: list.count(Outcome::Unknown),
        });
    }
    Ok(ReadinessView { rule_set, on, rows, total, page, page_size: PAGE_SIZE, can_edit: actor.bureau })
}

/// One rule set: bureau staff and operators.
pub async fn rule_set(db: &impl ConnectionTrait, actor: &Actor, set: i64) -> Result<RuleSet> {
    authz::carrier_scope(actor)?;
    rule_set_of(db, set).await
}

// ---- annual returns -------------------------------------------------------------------------

fn return_of(m: &annual_return::Model) -> AnnualReturn {
    AnnualReturn {
        year: m.year,
        fund: Money::from_fen(m.fund_fen),
        income_rent: Money::from_fen(m.income_rent_fen),
        income_services: Money::from_fen(m.income_services_fen),
        income_investment: Money::from_fen(m.income_investment_fen),
        income_other: Money::from_fen(m.income_other_fen),
        staff_total: m.staff_total,
        staff_professional: m.staff_professional,
        mentors: m.mentors,
        typical_cases: m.typical_cases,
        events_held: m.events_held,
    }
}

/// A carrier's annual return for `year`: its operators and the bureau.
pub async fn annual_return(
    db: &impl ConnectionTrait,
    actor: &Actor,
    carrier: CarrierId,
    year: i32,
) -> Result<AnnualReturnView> {
    authz::read_carrier(actor, carrier)?;
    let model = carrier::Entity::find_by_id(carrier.0).one(db).await?.ok_or(ServiceError::NotFound)?;
    let all = returns_until(db, carrier, i32::MAX).await?;
    Ok(AnnualReturnView {
        carrier,
        carrier_name: model.name,
        year,
        filed: all.iter().find(|r| r.year == year).map(return_of),
        years_filed: all.iter().map(|r| r.year).collect(),
        can_edit: actor.operates(carrier),
    })
}

/// Files (or refiles) a carrier's annual return: its operators, who answer for its figures.
pub async fn file_return(
    db: &DatabaseConnection,
    actor: &Actor,
    carrier: CarrierId,
    form: &AnnualReturnForm,
) -> Result<i32> {
    if !actor.operates(carrier) {
        return Err(ServiceError::Forbidden);
    }
    let model = carrier::Entity::find_by_id(carrier.0).one(db).await?.ok_or(ServiceError::NotFound)?;
    let parsed = form.parse(model.opened_on.year(), crate::today().year())?;
    let txn = db::begin_write(db).await?;
    // Two operators filing the same year at once: the second waits, then refiles over the first.
    crate::spaces::lock_carrier(&txn, carrier.0).await?;
    let before = annual_return::Entity::find_by_id((carrier.0, parsed.year)).one(&txn).await?;
    let row = annual_return::ActiveModel {
        carrier_id: Set(carrier.0),
        year: Set(parsed.year),
        fund_fen: Set(parsed.fund.fen()),
        income_rent_fen: Set(parsed.income_rent.fen()),
        income_services_fen: Set(parsed.income_services.fen()),
        income_investment_fen: Set(parsed.income_investment.fen()),
        income_other_fen: Set(parsed.income_other.fen()),
        staff_total: Set(parsed.staff_total),
        staff_professional: Set(parsed.staff_professional),
        mentors: Set(parsed.mentors),
        typical_cases: Set(parsed.typical_cases),
        events_held: Set(parsed.events_held),
        author_email: Set(actor.email.clone()),
        updated_at: Set(Utc::now()),
    };
    if before.is_some() {
        row.update(&txn).await?;
    } else {
        row.insert(&txn).await?;
    }
    crate::audit::record(
        &txn,
        crate::audit::By::Actor(actor),
        crate::audit::Change {
            action: if before.is_some() { "annual_return_refiled" } else { "annual_return_filed" },
            entity_type: "annual_return",
            entity_id: i64::from(parsed.year),
            carrier: Some(carrier),
            startup: None,
            before: before.as_ref().and_then(|b| crate::audit::snapshot(&return_of(b))),
            after: crate::audit::snapshot(&parsed),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(parsed.year)
}

// ---- the annual statistics report ---------------------------------------------------------------

/// The header of the annual statistics report (money in thousands of yuan).
pub const TORCH_COLUMNS: [&str; 25] = [
    "载体名称",
    "所在区县",
    "载体类型",
    "认定级别",
    "统计年度",
    "场地总面积（㎡）",
    "在孵企业使用面积（㎡）",
    "公共服务面积（㎡）",
    "运营方自用面积（㎡）",
    "其他面积（㎡）",
    "年末在孵企业数",
    "当年新入驻企业数",
    "当年毕业企业数",
    "累计毕业企业数",
    "孵化基金总额（千元）",
    "当年获得融资的在孵企业数",
    "在孵企业当年获得融资额（千元）",
    "总收入（千元）",
    "房租及物业收入（千元）",
    "综合服务收入（千元）",
    "投资收入（千元）",
    "其他收入（千元）",
    "从业人员数",
    "专业孵化服务人员数",
    "创业导师数",
];

/// Fen as thousands of yuan, rounded half up to the whole thousand (as the national statistics
/// are filed).
pub fn thousands(money: Money) -> String {
    let fen = money.fen();
    let q = fen.div_euclid(100_000);
    let r = fen.rem_euclid(100_000);
    (if r * 2 >= 100_000 { q + 1 } else { q }).to_string()
}

/// The annual statistics report for `year` (figures as on 31 December, or today for the current
/// year): one row per carrier. One carrier for its operators and the bureau; every registered
/// carrier (`carrier: None`) for the bureau.
pub async fn torch_report(
    db: &impl ConnectionTrait,
    actor: &Actor,
    carrier: Option<CarrierId>,
    year: i32,
) -> Result<Vec<Vec<String>>> {
    let today = crate::today();
    if year > today.year() {
        return Err(domain::FieldErrors::single("year", domain::Problem::DateInFuture).into());
    }
    if year < 1987 {
        // Before the first carrier in China: nothing to report.
        return Err(domain::FieldErrors::single("year", domain::Problem::YearBeforeOpening).into());
    }
    let carriers = match carrier {
        Some(id) => {
            authz::read_carrier(actor, id)?;
            vec![carrier::Entity::find_by_id(id.0).one(db).await?.ok_or(ServiceError::NotFound)?]
        }
        None => {
            authz::manage_registry(actor)?;
            carrier::Entity::find()
                .filter(carrier::Column::Archived.eq(false))
                .order_by_asc(carrier::Column::Name)
                .all(db)
                .await?
        }
    };
    let year_end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today).min(today);
    let year_start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let districts: BTreeMap<i64, district::Model> =
        district::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d)).collect();
    let mut rows = Vec::new();
    for model in carriers {
        let id = CarrierId(model.id);
        let area = spaces::totals(db, AreaScope::Carrier(id), year_end).await?;
        let facts = tenant_facts(db, id, year_end).await?;
        let events = tenant_event::Entity::find()
            .filter(tenant_event::Column::CarrierId.eq(model.id))
            .filter(tenant_event::Column::OnDate.gte(year_start))
            .filter(tenant_event::Column::OnDate.lte(year_end))
            .all(db)
            .await?;
        let admitted = events.iter().filter(|e| e.stage == TenantStage::Incubating.code()).count();
        let graduated = events.iter().filter(|e| e.stage == TenantStage::Graduated.code()).count();
        let financing = startup_year::Entity::find()
            .filter(startup_year::Column::StartupId.is_in(facts.incubating.iter().copied()))
            .filter(startup_year::Column::Year.eq(year))
            .filter(startup_year::Column::FinancingFen.gt(0))
            .all(db)
            .await?;
        let financed_fen: Money = financing.iter().map(|y| Money::from_fen(y.financing_fen)).sum();
        let filed = annual_return::Entity::find_by_id((model.id, year)).one(db).await?.map(|r| return_of(&r));
        let money = |f: &dyn Fn(&AnnualReturn) -> Money| filed.as_ref().map(|r| thousands(f(r))).unwrap_or_default();
        let people = |f: &dyn Fn(&AnnualReturn) -> i32| filed.as_ref().map(|r| f(r).to_string()).unwrap_or_default();
        let kind = CarrierKind::from_code(&model.kind);
        let level = domain::carrier::Level::from_code(&model.level);
        let sqm = |a: Area| a.to_string();
        rows.push(vec![
            model.name.clone(),
            districts.get(&model.district_id).map(|d| d.name_zh.clone()).unwrap_or_default(),
            kind.map(|k| domain::dashboard::kind_label(k, domain::Lang::Zh).to_owned()).unwrap_or_default(),
            level.map(|l| domain::dashboard::level_label(l, domain::Lang::Zh).to_owned()).unwrap_or_default(),
            year.to_string(),
            sqm(area.total_gross()),
            sqm(area.gross_of(UseCategory::Tenant)),
            sqm(area.gross_of(UseCategory::PublicService)),
            sqm(area.gross_of(UseCategory::Operator)),
            sqm(area.gross_of(UseCategory::Other)),
            facts.incubating.len().to_string(),
            admitted.to_string(),
            graduated.to_string(),
            facts.graduates.to_string(),
            money(&|r| r.fund),
            financing.len().to_string(),
            thousands(financed_fen),
            money(&|r| r.income()),
            money(&|r| r.income_rent),
            money(&|r| r.income_services),
            money(&|r| r.income_investment),
            money(&|r| r.income_other),
            people(&|r| r.staff_total),
            people(&|r| r.staff_professional),
            people(&|r| r.mentors),
        ]);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reported_years_count_the_latest_unbroken_run() {
        assert_eq!(consecutive_years(&[]), 0);
        assert_eq!(consecutive_years(&[2024]), 1);
        assert_eq!(consecutive_years(&[2021, 2023, 2024]), 2);
        assert_eq!(consecutive_years(&[2020, 2021, 2024]), 1);
    }

    #[test]
    fn thousands_of_yuan_round_half_up() {
        assert_eq!(thousands(Money::from_yuan(5_000_000)), "5000");
        assert_eq!(thousands(Money::from_yuan(1_499)), "1");
        assert_eq!(thousands(Money::from_yuan(1_500)), "2");
        assert_eq!(thousands(Money::from_fen(49_999)), "0");
    }
}
