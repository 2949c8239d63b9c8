//! The bureau's dashboard and its area targets: server functions.

use crate::error::AppError;
use chrono::NaiveDate;
use domain::dashboard::{DashboardView, TargetForm, TargetRow};
use domain::{DistrictId, TargetId};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::{actor, day, db};

/// The dashboard on `on` (today when `None`), for the city or one district.
#[server(prefix = "/api", endpoint = "get_dashboard")]
pub async fn get_dashboard(on: Option<NaiveDate>, district: Option<DistrictId>) -> Result<DashboardView, AppError> {
    let on = day(on)?;
    let context = crate::api::context()?;
    Ok(context.figures.dashboard(&context.db, &actor().await?, on, district).await?)
}

/// The stored area targets.
#[server(prefix = "/api", endpoint = "get_targets")]
pub async fn get_targets() -> Result<Vec<TargetRow>, AppError> {
    Ok(service::dashboard::list_targets(&db()?, &actor().await?).await?)
}

/// Bureau staff add a target; the list shows it.
#[server(prefix = "/api", endpoint = "add_target")]
pub async fn add_target(form: TargetForm) -> Result<TargetId, AppError> {
    let id = service::dashboard::add_target(&db()?, &actor().await?, &form)
        .await
        .map_err(|e| AppError::from(e).with_echo(&form))?;
    leptos_axum::redirect("/dashboard/targets");
    Ok(TargetId(id))
}

/// Bureau staff change a target, from the version they began editing; the list shows it.
#[server(prefix = "/api", endpoint = "update_target")]
pub async fn update_target(id: TargetId, version: i32, form: TargetForm) -> Result<(), AppError> {
    service::dashboard::update_target(&db()?, &actor().await?, id.0, version, &form)
        .await
        .map_err(|e| AppError::from(e).with_echo(&form))?;
    leptos_axum::redirect("/dashboard/targets");
    Ok(())
}

/// Bureau staff remove a target.
#[server(prefix = "/api", endpoint = "remove_target")]
pub async fn remove_target(id: TargetId) -> Result<(), AppError> {
    service::dashboard::remove_target(&db()?, &actor().await?, id.0).await?;
    leptos_axum::redirect("/dashboard/targets");
    Ok(())
}
