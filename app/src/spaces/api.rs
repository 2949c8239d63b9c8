//! Spaces and floor area: server functions.

use crate::error::AppError;
use chrono::NaiveDate;
use domain::space::import::ImportReport;
use domain::space::{AreaReport, ChangeForm, FloorView, PlaceForm, UnitForm, UnitView};
use domain::{BuildingId, CarrierId, FloorId, ImportId, SiteId, UnitId};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::{actor, day, db, today};

/// A carrier's area page as on `on` (today when `None`).
#[server(prefix = "/api", endpoint = "get_area_report")]
pub async fn get_area_report(carrier: CarrierId, on: Option<NaiveDate>) -> Result<AreaReport, AppError> {
    let on = day(on)?.min(today());
    Ok(service::spaces::area_report(&db()?, &actor().await?, carrier, on).await?)
}

/// Adds a site to a carrier.
#[server(prefix = "/api", endpoint = "create_site")]
pub async fn create_site(carrier: CarrierId, form: PlaceForm) -> Result<SiteId, AppError> {
    let actor = actor().await?;
    service::spaces::create_site(&db()?, &actor, carrier, &form)
        .await
        .map(SiteId)
        .map_err(|e| AppError::from(e).with_echo(&form))
}

/// Adds a building to a site.
#[server(prefix = "/api", endpoint = "create_building")]
pub async fn create_building(site: SiteId, name: String) -> Result<BuildingId, AppError> {
    Ok(BuildingId(service::spaces::create_building(&db()?, &actor().await?, site.0, &name).await?))
}

/// Adds a floor to a building.
#[server(prefix = "/api", endpoint = "create_floor")]
pub async fn create_floor(building: BuildingId, label: String) -> Result<FloorId, AppError> {
    Ok(FloorId(service::spaces::create_floor(&db()?, &actor().await?, building.0, &label).await?))
}

/// Adds a unit to a floor, in service from `effective_on`.
#[server(prefix = "/api", endpoint = "add_unit")]
pub async fn add_unit(
    floor: FloorId,
    form: UnitForm,
    effective_on: String,
    reason: String,
) -> Result<UnitId, AppError> {
    let actor = actor().await?;
    let mut errors = domain::FieldErrors::new();
    let parsed = form.parse();
    if let Err(unit_errors) = &parsed {
        for e in unit_errors.iter() {
            errors.add(&e.field, e.problem.clone());
        }
    }
    let on = errors.check(domain::space::field::EFFECTIVE, domain::space::effective_date(&effective_on, today()));
    let reason = errors.check(domain::space::field::REASON, domain::validation::text(&reason, 2, 200));
    let (Ok((code, spec)), Some(on), Some(reason)) = (parsed, on, reason) else {
        return Err(AppError::invalid_with_echo(errors, &form));
    };
    service::spaces::add_unit(&db()?, &actor, floor.0, &code, &spec, on, &reason)
        .await
        .map(UnitId)
        .map_err(|e| AppError::from(e).with_echo(&form))
}

/// A floor with its units as on `on` (today when `None`).
#[server(prefix = "/api", endpoint = "get_floor")]
pub async fn get_floor(floor: FloorId, on: Option<NaiveDate>) -> Result<FloorView, AppError> {
    let on = day(on)?.min(today());
    Ok(service::spaces::floor_view(&db()?, &actor().await?, floor.0, on).await?)
}

/// A unit as it is today.
#[server(prefix = "/api", endpoint = "get_unit")]
pub async fn get_unit(unit: UnitId) -> Result<UnitView, AppError> {
    Ok(service::spaces::unit_on(&db()?, &actor().await?, unit.0, today()).await?)
}

/// Records a dated change of a unit.
#[server(prefix = "/api", endpoint = "change_unit")]
pub async fn change_unit(unit: UnitId, change: ChangeForm) -> Result<(), AppError> {
    let actor = actor().await?;
    let parsed = change.parse(today()).map_err(|errors| AppError::invalid_with_echo(errors, &change))?;
    service::spaces::change_unit(&db()?, &actor, unit.0, &parsed)
        .await
        .map_err(|e| AppError::from(e).with_echo(&change))
}

/// A kept import report.
#[server(prefix = "/api", endpoint = "get_import")]
pub async fn get_import(id: ImportId) -> Result<ImportReport, AppError> {
    Ok(service::spaces::import_report(&db()?, &actor().await?, id.0).await?)
}
