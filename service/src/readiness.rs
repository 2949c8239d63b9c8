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

/// Adds the national rule sets that are missing (by code), inside the reference-data
/// transaction: the incubator conditions in their four variants and the maker-space filing
/// conditions, each criterion labelled with the words of its clause (`domain::national`).
pub(crate) async fn seed_rule_sets(txn: &impl ConnectionTrait) -> Result<()> {
    for national in domain::national::rule_sets() {
        if rule_set::Entity::find().filter(rule_set::Column::Code.eq(national.code)).one(txn).await?.is_some() {
            continue;
        }
        let set = rule_set::ActiveModel {
            code: Set(national.code.to_owned()),
            name_zh: Set(national.name_zh.clone()),
            name_en: Set(national.name_en.clone()),
            carrier_kind: Set(Some(national.kind.code().to_owned())),
            specialised: Set(national.specialised),
            relaxed: Set(national.relaxed),
            updated_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        for (position, rule) in (1_i32..).zip(national.rules.iter()) {
            criterion::ActiveModel {
                rule_set_id: Set(set.id),
                position: Set(position),
                label_zh: Set(rule.label_zh(national.relaxed)),
                label_en: Set(rule.label_en(national.relaxed)),
                metric: Set(rule.metric.code().to_owned()),
                threshold: Set(rule.threshold),
                or_metric: Set(rule.alternative.map(|(m, _)| m.code().to_owned())),
                or_threshold: Set(rule.alternative.map(|(_, t)| t)),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
    }
    Ok(())
}

/// Installations seeded before the IP criterion was read from its text held "or ≥ 70 % holding
/// IP"; 第十条（五） says 30 %. The seeded criterion is corrected (and audited) where it still
/// reads as seeded; a criterion bureau staff have since edited is theirs and left alone.
pub(crate) async fn correct_ip_criterion(txn: &impl ConnectionTrait) -> Result<u64> {
    let Some(set) =
        rule_set::Entity::find().filter(rule_set::Column::Code.eq("national_incubator_2018")).one(txn).await?
    else {
        return Ok(0);
    };
    let seeded = criterion::Entity::find()
        .filter(criterion::Column::RuleSetId.eq(set.id))
        .filter(criterion::Column::Metric.eq(Metric::PatentShare.code()))
        .filter(criterion::Column::OrMetric.eq(Metric::IpShare.code()))
        .filter(criterion::Column::OrThreshold.eq(7_000))
        .filter(
            criterion::Column::LabelZh.eq("已申请专利的在孵企业占比不低于50%，或拥有有效知识产权的企业占比不低于70%"),
        )
        .all(txn)
        .await?;
    let rule = domain::national::rule_sets()
        .into_iter()
        .find(|s| s.code == "national_incubator_2018")
        .and_then(|s| s.rules.into_iter().find(|r| r.metric == Metric::PatentShare))
        .ok_or_else(|| ServiceError::Corrupt("no national IP rule".into()))?;
    for before in &seeded {
        let mut after = before.clone();
        after.label_zh = rule.label_zh(false);
        after.label_en = rule.label_en(false);
        after.or_threshold = rule.alternative.map(|(_, t)| t);
        let active = criterion::ActiveModel {
            id: Set(after.id),
            label_zh: Set(after.label_zh.clone()),
            label_en: Set(after.label_en.clone()),
            or_threshold: Set(after.or_threshold),
            ..Default::default()
        };
        active.update(txn).await?;
        audit_criterion(
            txn,
            crate::audit::By::System("reference"),
            "criterion_corrected",
            after.id,
            Some(before),
            Some(&after),
        )
        .await?;
    }
    Ok(seeded.len() as u64)
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
        specialised: model.specialised,
        relaxed: model.relaxed,
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
    by: crate::audit::By<'_>,
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
        by,
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
            audit_criterion(&txn, crate::audit::By::Actor(actor), "criterion_changed", id, Some(&before), Some(&after))
                .await?;
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
            audit_criterion(&txn, crate::audit::By::Actor(actor), "criterion_added", after.id, None, Some(&after))
                .await?;
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
    audit_criterion(&txn, crate::audit::By::Actor(actor), "criterion_removed", criterion_id, Some(&before), None)
        .await?;
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
    // 孵化场地集中: all on one site passes; several sites are for a reviewer to judge.
    let sites = crate::entity::site::Entity::find()
        .filter(crate::entity::site::Column::CarrierId.eq(carrier.id))
        .count(db)
        .await?;
    put(
        Metric::ConcentratedSite,
        match sites {
            0 => Some(0),
            1 => Some(1),
            _ => None,
        },
        Source::AreaLedger,
    );

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
    // Financed: outside money in the equity ledger (a round with a new investor, a follow-on), or
    // financing reported in the yearly figures.
    let wanted_ids: Vec<i64> = wanted.iter().copied().collect();
    let outside = equity::outside_money(db, &wanted_ids, on).await?;
    let mut financed_ever: BTreeSet<i64> = years.iter().filter(|y| y.financing_fen > 0).map(|y| y.startup_id).collect();
    financed_ever.extend(outside.keys().copied());
    let mut financed_last_year: BTreeSet<i64> =
        years.iter().filter(|y| y.financing_fen > 0 && y.year == on.year() - 1).map(|y| y.startup_id).collect();
    financed_last_year.extend(
        outside.iter().filter(|(_, rounds)| rounds.iter().any(|(d, _)| d.year() == on.year() - 1)).map(|(s, _)| *s),
    );
    let count = |pred: &dyn Fn(&i64) -> bool| {
        i64::try_from(facts.incubating.iter().filter(|s| pred(s)).count()).unwrap_or(i64::MAX)
    };
    put(Metric::FinancedShare, share(count(&|s| financed_ever.contains(s)), tenants), Source::Financing);
    put(Metric::FinancedLastYear, Some(count(&|s| financed_last_year.contains(s))), Source::Financing);
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

    // The most common industry among the tenants (those that named one).
    let mut by_industry: BTreeMap<&str, i64> = BTreeMap::new();
    for s in &facts.incubating {
        if let Some(industry) = startups.get(s).and_then(|m| m.industry.as_deref()) {
            *by_industry.entry(industry).or_default() += 1;
        }
    }
    put(
        Metric::IndustryShare,
        share(by_industry.values().copied().max().unwrap_or(0), tenants),
        Source::StartupReturns,
    );
    // Revenue of the tenants that reported both of the last two full years.
    let revenue = |year: i32| -> BTreeMap<i64, i64> {
        years.iter().filter(|y| y.year == year).map(|y| (y.startup_id, y.revenue_fen)).collect()
    };
    let (last, before) = (revenue(on.year() - 1), revenue(on.year() - 2));
    let (mut now_total, mut then_total) = (0_i64, 0_i64);
    for s in &facts.incubating {
        if let (Some(now), Some(then)) = (last.get(s), before.get(s)) {
            now_total = now_total.saturating_add(*now);
            then_total = then_total.saturating_add(*then);
        }
    }
    put(
        Metric::RevenueGrowth,
        (then_total > 0).then(|| {
            i64::try_from(i128::from(now_total - then_total) * 10_000 / i128::from(then_total)).unwrap_or(i64::MAX)
        }),
        Source::StartupReturns,
    );

    let stakes = equity::stakes(db, Some(&[id]), on).await?;
    let invested: BTreeSet<i64> =
        stakes.iter().filter(|(_, row)| row.capital.fen() > 0).map(|(_, row)| row.startup.0).collect();
    put(Metric::InvestedStartups, Some(i64::try_from(invested.len()).unwrap_or(i64::MAX)), Source::EquityLedger);
    put(Metric::InvestedShare, share(count(&|s| invested.contains(s)), tenants), Source::EquityLedger);

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
    put(
        Metric::NonRentIncomeShare,
        latest.and_then(|r| {
            let income = r.income_rent_fen + r.income_services_fen + r.income_investment_fen + r.income_other_fen;
            share(income - r.income_rent_fen, income)
        }),
        source,
    );
    put(Metric::EventsHeld, reported(&|r| i64::from(r.events_held)), source);
    Ok(Figures(out))
}

/// The rule sets that apply to a carrier: those for its kind and its variant (specialised or
/// not, relaxed or not); sets for every kind apply to all. If no set matches, every set is
/// shown, so that a carrier is never checked against nothing.
fn sets_for(carrier: &carrier::Model, sets: Vec<RuleSet>) -> Vec<RuleSet> {
    let kind = CarrierKind::from_code(&carrier.kind);
    let matching: Vec<RuleSet> = sets
        .iter()
        .filter(|s| match s.carrier_kind {
            None => true,
            Some(k) => {
                Some(k) == kind
                    && (k != CarrierKind::Incubator
                        || (s.specialised == carrier.specialised && s.relaxed == carrier.relaxed))
            }
        })
        .cloned()
        .collect();
    if matching.is_empty() { sets } else { matching }
}

/// A carrier's checklists on `on`: against the rule sets for its kind and variant.
pub async fn checklists(
    db: &impl ConnectionTrait,
    actor: &Actor,
    carrier: CarrierId,
    on: NaiveDate,
) -> Result<Vec<Checklist>> {
    authz::read_carrier(actor, carrier)?;
    let model = carrier::Entity::find_by_id(carrier.0).one(db).await?.ok_or(ServiceError::NotFound)?;
    let sets = rule_sets(db, actor).await?;
    let chosen = sets_for(&model, sets);
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
        if kind == CarrierKind::Incubator {
            // An incubator set is for one variant: general or specialised, relaxed or not.
            select = select
                .filter(carrier::Column::Specialised.eq(rule_set.specialised))
                .filter(carrier::Column::Relaxed.eq(rule_set.relaxed));
        }
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
    let year_end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today).min(today);
    let carriers = match carrier {
        Some(id) => {
            authz::read_carrier(actor, id)?;
            vec![carrier::Entity::find_by_id(id.0).one(db).await?.ok_or(ServiceError::NotFound)?]
        }
        None => {
            // The carriers registered at the year's end, as the registry stood then.
            authz::manage_registry(actor)?;
            carrier::Entity::find()
                .filter(carrier::Column::Id.in_subquery(crate::registry::registered_on(None, year_end)))
                .order_by_asc(carrier::Column::Name)
                .all(db)
                .await?
        }
    };
    let ids: Vec<i64> = carriers.iter().map(|c| c.id).collect();
    let history = crate::registry::History::load(db, year_end, Some(&ids)).await?;
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
        // District, kind and level as they stood at the year's end.
        let state = history.on(model.id, year_end);
        let kind = CarrierKind::from_code(state.map_or(&model.kind, |s| &s.kind));
        let level = domain::carrier::Level::from_code(state.map_or(&model.level, |s| &s.level));
        let district_id = state.map_or(model.district_id, |s| s.district);
        let sqm = |a: Area| a.to_string();
        rows.push(vec![
            model.name.clone(),
            districts.get(&district_id).map(|d| d.name_zh.clone()).unwrap_or_default(),
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
