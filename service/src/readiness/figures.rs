//! A carrier's figures for every metric, with where they came from, and its checklists.

use super::rules::{rule_set_of, rule_sets};
use crate::area::{self, AreaScope};
use crate::entity::{annual_return, carrier, district, startup, startup_year, tenant_event};
use crate::policy::{self, Actor};
use crate::{Result, ServiceError, dashboard, equity};
use chrono::{Datelike, Months, NaiveDate};
use domain::carrier::CarrierKind;
use domain::readiness::{Checklist, Figure, Figures, Metric, Outcome, ReadinessRow, ReadinessView, RuleSet, Source};
use domain::space::UseCategory;
use domain::tenancy::startup::whole_months;
use domain::{CarrierId, DistrictId};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{BTreeMap, BTreeSet};

/// Share of `part` in `whole` in basis points, rounded down; none when `whole` is zero.
fn share(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| i64::try_from(i128::from(part) * 10_000 / i128::from(whole)).unwrap_or(i64::MAX))
}

/// Tenant movements of one carrier up to `on`.
pub(super) struct TenantFacts {
    pub(super) incubating: Vec<i64>,
    pub(super) graduates: u64,
    /// Startups admitted (incubating) in the twelve months up to `on`, with the day.
    pub(super) admitted_recently: Vec<(i64, NaiveDate)>,
}

pub(super) async fn tenant_facts(db: &impl ConnectionTrait, carrier: CarrierId, on: NaiveDate) -> Result<TenantFacts> {
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
pub(super) async fn returns_until(
    db: &impl ConnectionTrait,
    carrier: CarrierId,
    year: i32,
) -> Result<Vec<annual_return::Model>> {
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

/// Every metric's figure for a carrier on `on`, each with its source. No actor: its callers
/// (`checklists`, `readiness`) have asked `policy` already.
pub(super) async fn figures(db: &impl ConnectionTrait, carrier: &carrier::Model, on: NaiveDate) -> Result<Figures> {
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

    let area = area::totals(db, AreaScope::Carrier(id), on).await?;
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
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, carrier = ?carrier))]
pub async fn checklists(
    db: &impl ConnectionTrait,
    actor: &Actor,
    carrier: CarrierId,
    on: NaiveDate,
) -> Result<Vec<Checklist>> {
    policy::read_carrier(actor, carrier)?;
    let model = carrier::Entity::find_by_id(carrier.0).one(db).await?.ok_or(ServiceError::NotFound)?;
    let sets = rule_sets(db, actor).await?;
    let chosen = sets_for(&model, sets);
    let figures = figures(db, &model, on).await?;
    Ok(chosen.into_iter().map(|set| Checklist::new(carrier, model.name.clone(), on, set, &figures)).collect())
}

/// The carriers of a rule set's kind (in `district`, if given) with their standing, one page of
/// 50 at a time: every carrier for bureau staff, their own for operators.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, set = ?set, district = ?district))]
pub async fn readiness(
    db: &impl ConnectionTrait,
    actor: &Actor,
    set: i64,
    district: Option<DistrictId>,
    on: NaiveDate,
    page: u32,
) -> Result<ReadinessView> {
    let scope = policy::carrier_scope(actor)?;
    const PAGE_SIZE: u32 = 50;
    let rule_set = rule_set_of(db, set).await?;
    let mut select = carrier::Entity::find().filter(carrier::Column::Archived.eq(false));
    if let policy::CarrierScope::Only(own) = &scope {
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
}
