//! Annual returns, and the annual statistics report shaped after the national Torch statistics.

use super::figures::{returns_until, tenant_facts};
use crate::area::{self, AreaScope};
use crate::entity::{annual_return, carrier, district, startup_year, tenant_event};
use crate::policy::{self, Actor};
use crate::{Result, ServiceError, db};
use chrono::{Datelike, NaiveDate};
use domain::carrier::CarrierKind;
use domain::readiness::{AnnualReturn, AnnualReturnForm, AnnualReturnView};
use domain::space::UseCategory;
use domain::tenancy::startup::TenantStage;
use domain::{Area, CarrierId, Money};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::BTreeMap;

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
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, carrier = ?carrier, year = ?year))]
pub async fn annual_return(
    db: &impl ConnectionTrait,
    actor: &Actor,
    carrier: CarrierId,
    year: i32,
) -> Result<AnnualReturnView> {
    policy::read_carrier(actor, carrier)?;
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
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, carrier = ?carrier))]
pub async fn file_return(
    db: &DatabaseConnection,
    actor: &Actor,
    carrier: CarrierId,
    form: &AnnualReturnForm,
) -> Result<i32> {
    let permit = policy::operate_carrier(actor, carrier)?;
    let model = carrier::Entity::find_by_id(carrier.0).one(db).await?.ok_or(ServiceError::NotFound)?;
    let parsed = form.parse(model.opened_on.year(), crate::today().year())?;
    let txn = db::begin_write(db).await?;
    // Two operators filing the same year at once: the second waits, then refiles over the first.
    crate::area::lock_carrier(&txn, carrier.0).await?;
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
        updated_at: Set(crate::now()),
    };
    if before.is_some() {
        row.update(&txn).await?;
    } else {
        row.insert(&txn).await?;
    }
    crate::audit::record(
        &txn,
        crate::audit::By::Actor(permit),
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

/// The message keys of the annual statistics report's columns (money in thousands of yuan).
pub const TORCH_COLUMNS: [&str; 25] = [
    "torch-col-name",
    "torch-col-district",
    "torch-col-kind",
    "torch-col-level",
    "torch-col-year",
    "torch-col-gross",
    "torch-col-tenant-area",
    "torch-col-public-area",
    "torch-col-operator-area",
    "torch-col-other-area",
    "torch-col-tenants",
    "torch-col-admitted",
    "torch-col-graduated",
    "torch-col-graduates",
    "torch-col-fund",
    "torch-col-financed",
    "torch-col-financing",
    "torch-col-income",
    "torch-col-income-rent",
    "torch-col-income-services",
    "torch-col-income-investment",
    "torch-col-income-other",
    "torch-col-staff",
    "torch-col-professional",
    "torch-col-mentors",
];

/// The Torch form is filed in Chinese, whatever the reader's language.
pub const TORCH_FORM: texts::Fluent = texts::Fluent(domain::Lang::Zh);

/// The report's header row, as the national form words it.
pub fn torch_header() -> Vec<String> {
    TORCH_COLUMNS.iter().map(|key| domain::Text::key(key).render(&TORCH_FORM)).collect()
}

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
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, carrier = ?carrier, year = ?year))]
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
            policy::read_carrier(actor, id)?;
            vec![carrier::Entity::find_by_id(id.0).one(db).await?.ok_or(ServiceError::NotFound)?]
        }
        None => {
            // The carriers registered at the year's end, as the registry stood then.
            policy::manage_registry(actor)?;
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
        let area = area::totals(db, AreaScope::Carrier(id), year_end).await?;
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
            kind.map(|k| k.text().render(&TORCH_FORM)).unwrap_or_default(),
            level.map(|l| l.text().render(&TORCH_FORM)).unwrap_or_default(),
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
    fn thousands_of_yuan_round_half_up() {
        assert_eq!(thousands(Money::from_yuan(5_000_000)), "5000");
        assert_eq!(thousands(Money::from_yuan(1_499)), "1");
        assert_eq!(thousands(Money::from_yuan(1_500)), "2");
        assert_eq!(thousands(Money::from_fen(49_999)), "0");
    }
}
