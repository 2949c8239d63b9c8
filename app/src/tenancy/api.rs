//! Startups, applications, leases and tenants: server functions.

use crate::error::AppError;
use chrono::NaiveDate;
use domain::carrier::DirectoryEntry;
use domain::page::Page;
use domain::space::FloorView;
use domain::tenancy::application::{
    ApplicationForm, ApplicationQuery, ApplicationRow, ApplicationState, ApplicationView,
};
use domain::tenancy::lease::{LeaseEventForm, LeaseForm, LeaseView, Occupancy, RentRollRow};
use domain::tenancy::startup::{ProfileForm, StageForm, StartupProfileView, TenantView, YearForm};
use domain::{ApplicationId, CarrierId, LeaseId, StartupId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::api::{actor, day, db, today};

/// A startup's profile page.
#[server(prefix = "/api", endpoint = "get_startup_profile")]
pub async fn get_startup_profile(id: StartupId) -> Result<StartupProfileView, AppError> {
    Ok(service::tenancy::startups::profile(&db()?, &actor().await?, id).await?)
}

/// A member saves the startup's profile, edited from `version`.
#[server(prefix = "/api", endpoint = "update_startup_profile")]
pub async fn update_startup_profile(id: StartupId, version: i32, form: ProfileForm) -> Result<(), AppError> {
    let actor = actor().await?;
    let profile = form.parse(today()).map_err(|errors| AppError::invalid_with_echo(errors, &form))?;
    service::tenancy::startups::update_profile(&db()?, &actor, id, version, &profile)
        .await
        .map_err(|e| AppError::from(e).with_echo(&form))?;
    leptos_axum::redirect(&format!("/startups/{id}"));
    Ok(())
}

/// An operator accepts a credit code that fails the standard, with a reason.
#[server(prefix = "/api", endpoint = "override_credit_code")]
pub async fn override_credit_code(id: StartupId, code: String, reason: String) -> Result<(), AppError> {
    Ok(service::tenancy::startups::override_code(&db()?, &actor().await?, id, &code, &reason).await?)
}

/// A member records one year's figures.
#[server(prefix = "/api", endpoint = "set_startup_year")]
pub async fn set_startup_year(id: StartupId, form: YearForm) -> Result<(), AppError> {
    let actor = actor().await?;
    let figures = form.parse(today()).map_err(|errors| AppError::invalid_with_echo(errors, &form))?;
    Ok(service::tenancy::startups::set_year(&db()?, &actor, id, &figures).await?)
}

/// The carriers a startup can apply to.
#[server(prefix = "/api", endpoint = "list_carrier_directory")]
pub async fn list_carrier_directory() -> Result<Vec<DirectoryEntry>, AppError> {
    Ok(service::tenancy::startups::directory(&db()?, &actor().await?).await?)
}

/// A startup's member applies for space (or keeps a draft when `submit` is `false`).
#[server(prefix = "/api", endpoint = "create_application")]
pub async fn create_application(
    startup: StartupId,
    form: ApplicationForm,
    submit: bool,
) -> Result<ApplicationId, AppError> {
    let actor = actor().await?;
    let draft = form.parse(today()).map_err(|errors| AppError::invalid_with_echo(errors, &form))?;
    let id = service::tenancy::applications::create(&db()?, &actor, startup, &draft, submit)
        .await
        .map_err(|e| AppError::from(e).with_echo(&form))?;
    leptos_axum::redirect(&format!("/applications/{id}"));
    Ok(ApplicationId(id))
}

/// Submits, withdraws, starts the review of or rejects an application.
#[server(prefix = "/api", endpoint = "move_application")]
pub async fn move_application(
    id: ApplicationId,
    transition: String,
    reason: Option<String>,
) -> Result<ApplicationState, AppError> {
    let actor = actor().await?;
    let transition =
        domain::tenancy::application::Transition::from_code(transition.trim()).ok_or(AppError::BadRequest)?;
    Ok(service::tenancy::applications::transition(&db()?, &actor, id.0, transition, reason.as_deref()).await?)
}

/// One application.
#[server(prefix = "/api", endpoint = "get_application")]
pub async fn get_application(id: ApplicationId) -> Result<ApplicationView, AppError> {
    Ok(service::tenancy::applications::get(&db()?, &actor().await?, id.0).await?)
}

/// The applications the viewer may see, filtered (each filter is optional, so an unfiltered list
/// is an empty request).
#[server(prefix = "/api", endpoint = "list_applications")]
pub async fn list_applications(
    carrier: Option<CarrierId>,
    startup: Option<StartupId>,
    state: Option<String>,
    age: Option<String>,
    page: Option<u32>,
    oldest_first: Option<bool>,
) -> Result<Page<ApplicationRow>, AppError> {
    let query = ApplicationQuery {
        carrier,
        startup,
        state: state.as_deref().and_then(ApplicationState::from_code),
        age: age.as_deref().and_then(domain::tenancy::application::Age::from_code),
        page: page.unwrap_or(1),
        oldest_first: oldest_first.unwrap_or(false),
    };
    Ok(service::tenancy::applications::list(&db()?, &actor().await?, &query).await?)
}

/// Lists a page of the applications with the filters of `query`.
pub async fn list_applications_by(query: ApplicationQuery) -> Result<Page<ApplicationRow>, AppError> {
    list_applications(
        query.carrier,
        query.startup,
        query.state.map(|s| s.code().to_owned()),
        query.age.map(|a| a.code().to_owned()),
        Some(query.page.max(1)),
        Some(query.oldest_first),
    )
    .await
}

/// Admits an application under review and signs its lease.
#[server(prefix = "/api", endpoint = "admit_application")]
pub async fn admit_application(id: ApplicationId, lease: LeaseForm) -> Result<LeaseId, AppError> {
    let actor = actor().await?;
    let terms = lease.parse().map_err(|errors| AppError::invalid_with_echo(errors, &lease))?;
    let lease_id = service::tenancy::applications::admit(&db()?, &actor, id.0, &terms)
        .await
        .map_err(|e| AppError::from(e).with_echo(&lease))?;
    leptos_axum::redirect(&format!("/leases/{lease_id}"));
    Ok(LeaseId(lease_id))
}

/// Every floor of a carrier with its units as on `on`, for choosing units to let.
#[server(prefix = "/api", endpoint = "get_carrier_floors")]
pub async fn get_carrier_floors(carrier: CarrierId, on: NaiveDate) -> Result<Vec<FloorView>, AppError> {
    Ok(service::spaces::floors_of(&db()?, &actor().await?, carrier, day(Some(on))?).await?)
}

/// One lease.
#[server(prefix = "/api", endpoint = "get_lease")]
pub async fn get_lease(id: LeaseId) -> Result<LeaseView, AppError> {
    Ok(service::tenancy::leases::get(&db()?, &actor().await?, id.0).await?)
}

/// A startup's leases.
#[server(prefix = "/api", endpoint = "list_startup_leases")]
pub async fn list_startup_leases(startup: StartupId) -> Result<Vec<LeaseView>, AppError> {
    Ok(service::tenancy::leases::of_startup(&db()?, &actor().await?, startup).await?)
}

/// Renews a lease, ends it early or terminates it.
#[server(prefix = "/api", endpoint = "record_lease_event")]
pub async fn record_lease_event(id: LeaseId, event: LeaseEventForm) -> Result<(), AppError> {
    let actor = actor().await?;
    let parsed = event.parse().map_err(|errors| AppError::invalid_with_echo(errors, &event))?;
    service::tenancy::leases::record_event(&db()?, &actor, id.0, &parsed)
        .await
        .map_err(|e| AppError::from(e).with_echo(&event))
}

/// A carrier's rent roll on a day, and its leases ending within 30 and 90 days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RentRoll {
    pub on: NaiveDate,
    pub running: Vec<RentRollRow>,
    pub within_30: Vec<RentRollRow>,
    pub within_90: Vec<RentRollRow>,
}

#[server(prefix = "/api", endpoint = "get_rent_roll")]
pub async fn get_rent_roll(carrier: CarrierId, on: Option<NaiveDate>) -> Result<RentRoll, AppError> {
    let (db, actor) = (db()?, actor().await?);
    let on = day(on)?;
    let within_90 = service::tenancy::leases::expiring(&db, &actor, carrier, on, 90).await?;
    // The 30-day list is the start of the 90-day one (ordered by last day): no second query.
    let last_day_30 = on.checked_add_days(chrono::Days::new(30)).unwrap_or(on);
    let within_30 = within_90.iter().filter(|r| r.expires_on.is_some_and(|d| d <= last_day_30)).cloned().collect();
    Ok(RentRoll {
        on,
        running: service::tenancy::leases::rent_roll(&db, &actor, carrier, on).await?,
        within_30,
        within_90,
    })
}

/// A carrier's tenants and where each stands.
#[server(prefix = "/api", endpoint = "list_tenants")]
pub async fn list_tenants(carrier: CarrierId) -> Result<Vec<TenantView>, AppError> {
    Ok(service::tenancy::tenants::list(&db()?, &actor().await?, carrier, today()).await?)
}

/// Records a graduation or an exit.
#[server(prefix = "/api", endpoint = "record_tenant_stage")]
pub async fn record_tenant_stage(carrier: CarrierId, startup: StartupId, form: StageForm) -> Result<(), AppError> {
    let actor = actor().await?;
    let event = form.parse(today()).map_err(|errors| AppError::invalid_with_echo(errors, &form))?;
    Ok(service::tenancy::tenants::record_stage(&db()?, &actor, carrier, startup, &event).await?)
}

/// Occupancy on `on` (today when `None`) of a floor, a carrier, a district or the whole city
/// (`level` is `floor`, `carrier`, `district` or `city`; `id` names the first three).
#[server(prefix = "/api", endpoint = "get_occupancy")]
pub async fn get_occupancy(level: String, id: Option<i64>, on: Option<NaiveDate>) -> Result<Occupancy, AppError> {
    use domain::DistrictId;
    use service::spaces::AreaScope;
    let scope = match (level.as_str(), id) {
        ("floor", Some(id)) => AreaScope::Floor(id),
        ("carrier", Some(id)) => AreaScope::Carrier(CarrierId(id)),
        ("district", Some(id)) => AreaScope::District(DistrictId(id)),
        ("city", None) => AreaScope::City,
        _ => return Err(AppError::BadRequest),
    };
    // A future day is allowed: leases signed ahead count from their first day.
    let on = day(on)?;
    let context = crate::api::context()?;
    Ok(context.figures.occupancy(&context.db, &actor().await?, scope, on).await?)
}
