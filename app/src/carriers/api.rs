//! The carrier registry's server functions.

use crate::error::AppError;
use domain::carrier::{CarrierForm, CarrierQuery, CarrierRow, CarrierView, RegistrySummary};
use domain::district::DistrictView;
use domain::{CarrierId, Page};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::{actor, day, db, today};

/// Counts of the registered carriers for the overview.
#[server(prefix = "/api", endpoint = "get_registry_summary")]
pub async fn get_registry_summary() -> Result<RegistrySummary, AppError> {
    let context = crate::api::context()?;
    Ok(context.figures.registry_summary(&context.db, &actor().await?).await?)
}

/// Every district, in the city's order.
#[server(prefix = "/api", endpoint = "list_districts")]
pub async fn list_districts() -> Result<Vec<DistrictView>, AppError> {
    actor().await?;
    Ok(service::districts::list(&db()?).await?)
}

/// One page of the carrier registry.
#[server(prefix = "/api", endpoint = "list_carriers")]
pub async fn list_carriers(query: CarrierQuery) -> Result<Page<CarrierRow>, AppError> {
    let mut query = query;
    query.on = query.on.map(|on| day(Some(on))).transpose()?;
    Ok(service::carriers::list(&db()?, &actor().await?, &query).await?)
}

/// One carrier.
#[server(prefix = "/api", endpoint = "get_carrier")]
pub async fn get_carrier(id: CarrierId) -> Result<CarrierView, AppError> {
    Ok(service::carriers::get(&db()?, &actor().await?, id).await?)
}

/// Registers a carrier and goes to its page.
#[server(prefix = "/api", endpoint = "create_carrier")]
pub async fn create_carrier(form: CarrierForm) -> Result<CarrierId, AppError> {
    let actor = actor().await?;
    let draft = form.parse(today()).map_err(|errors| AppError::invalid_with_echo(errors, &form))?;
    let id = service::carriers::create(&db()?, &actor, &draft).await.map_err(|e| AppError::from(e).with_echo(&form))?;
    leptos_axum::redirect(&format!("/carriers/{id}"));
    Ok(id)
}

/// Saves an edit of a carrier made from `version`, and goes back to its page.
#[server(prefix = "/api", endpoint = "update_carrier")]
pub async fn update_carrier(id: CarrierId, version: i32, form: CarrierForm) -> Result<(), AppError> {
    let actor = actor().await?;
    let draft = form.parse(today()).map_err(|errors| AppError::invalid_with_echo(errors, &form))?;
    service::carriers::update(&db()?, &actor, id, version, &draft)
        .await
        .map_err(|e| AppError::from(e).with_echo(&form))?;
    leptos_axum::redirect(&format!("/carriers/{id}"));
    Ok(())
}

/// Archives a carrier or restores it, from `effective_on` (today if empty): the figures of the
/// days before keep it as it was.
#[server(prefix = "/api", endpoint = "set_carrier_archived")]
pub async fn set_carrier_archived(id: CarrierId, archived: bool, effective_on: Option<String>) -> Result<(), AppError> {
    let actor = actor().await?;
    let from = match effective_on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => today(),
        Some(raw) => domain::time::parse_date(raw)
            .map_err(|p| AppError::from(service::ServiceError::from(domain::FieldErrors::single("effective_on", p))))?,
    };
    Ok(service::carriers::set_archived_from(&db()?, &actor, id, archived, from).await?)
}
