//! The readiness feature's server functions: rule sets and their criteria, carriers' checklists
//! and annual returns.

use crate::error::AppError;
use chrono::NaiveDate;
use domain::readiness::{AnnualReturnForm, AnnualReturnView, Checklist, CriterionForm, ReadinessView, RuleSet};
use domain::{CarrierId, CriterionId, DistrictId, RuleSetId};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::{actor, day, db, today};

/// Every accreditation rule set.
#[server(prefix = "/api", endpoint = "get_rule_sets")]
pub async fn get_rule_sets() -> Result<Vec<RuleSet>, AppError> {
    Ok(service::readiness::rule_sets(&db()?, &actor().await?).await?)
}

/// A rule set with the carriers of its kind and their standing on `on`.
#[server(prefix = "/api", endpoint = "get_readiness")]
pub async fn get_readiness(
    set: RuleSetId,
    district: Option<DistrictId>,
    on: Option<NaiveDate>,
    page: Option<u32>,
) -> Result<ReadinessView, AppError> {
    let on = day(on)?;
    let context = crate::api::context()?;
    let actor = actor().await?;
    Ok(context.figures.readiness(&context.db, &actor, set.0, district, on, page.unwrap_or(1)).await?)
}

/// Bureau staff change a criterion (`criterion` given) or add one to a rule set.
#[server(prefix = "/api", endpoint = "save_criterion")]
pub async fn save_criterion(
    set: RuleSetId,
    criterion: Option<CriterionId>,
    form: CriterionForm,
) -> Result<CriterionId, AppError> {
    let id = service::readiness::save_criterion(&db()?, &actor().await?, set.0, criterion.map(|c| c.0), &form)
        .await
        .map_err(|e| AppError::from(e).with_echo(&form))?;
    leptos_axum::redirect(&format!("/readiness/{set}"));
    Ok(CriterionId(id))
}

/// Bureau staff remove a criterion.
#[server(prefix = "/api", endpoint = "remove_criterion")]
pub async fn remove_criterion(set: RuleSetId, criterion: CriterionId) -> Result<(), AppError> {
    service::readiness::remove_criterion(&db()?, &actor().await?, set.0, criterion.0).await?;
    leptos_axum::redirect(&format!("/readiness/{set}"));
    Ok(())
}

/// A carrier's checklists on `on`.
#[server(prefix = "/api", endpoint = "get_checklists")]
pub async fn get_checklists(carrier: CarrierId, on: Option<NaiveDate>) -> Result<Vec<Checklist>, AppError> {
    let on = day(on)?;
    Ok(service::readiness::checklists(&db()?, &actor().await?, carrier, on).await?)
}

/// A carrier's annual return for `year` (last year when `None`).
#[server(prefix = "/api", endpoint = "get_annual_return")]
pub async fn get_annual_return(carrier: CarrierId, year: Option<i32>) -> Result<AnnualReturnView, AppError> {
    use chrono::Datelike;
    let year = crate::api::year(year.unwrap_or_else(|| today().year() - 1))?;
    Ok(service::readiness::annual_return(&db()?, &actor().await?, carrier, year).await?)
}

/// An operator (or bureau staff) files a carrier's annual return.
#[server(prefix = "/api", endpoint = "file_annual_return")]
pub async fn file_annual_return(carrier: CarrierId, form: AnnualReturnForm) -> Result<i32, AppError> {
    let year = service::readiness::file_return(&db()?, &actor().await?, carrier, &form)
        .await
        .map_err(|e| AppError::from(e).with_echo(&form))?;
    leptos_axum::redirect(&format!("/carriers/{carrier}/annual?year={year}&saved=1"));
    Ok(year)
}
