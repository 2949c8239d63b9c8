//! The equity ledger, rounds and portfolios: server functions.

use crate::error::AppError;
use chrono::NaiveDate;
use domain::equity::ledger::{CapTableView, CityPortfolio, EventForm, PortfolioView, ReversalForm, RoundView};
use domain::{CarrierId, EquityEventId, RoundId, StartupId};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::{actor, day, db, today};

/// A startup's cap table on `on` (today when `None`), with its whole ledger.
#[server(prefix = "/api", endpoint = "get_cap_table")]
pub async fn get_cap_table(startup: StartupId, on: Option<NaiveDate>) -> Result<CapTableView, AppError> {
    let on = day(on)?;
    Ok(service::equity::cap_table(&db()?, &actor().await?, startup, on).await?)
}

/// An operator records a formation, capital increase, transfer or reduction. A capital increase
/// opens its round's page; anything else the cap table on the event's day.
#[server(prefix = "/api", endpoint = "record_equity_event")]
pub async fn record_equity_event(startup: StartupId, form: EventForm) -> Result<EquityEventId, AppError> {
    let actor = actor().await?;
    let event = form.parse(today()).map_err(|errors| AppError::invalid_with_echo(errors, &form))?;
    let id = service::equity::record(&db()?, &actor, startup, &event)
        .await
        .map_err(|e| AppError::from(e).with_echo(&form))?;
    if matches!(event.entry, domain::equity::ledger::Entry::Round { .. }) {
        leptos_axum::redirect(&format!("/equity/rounds/{id}"));
    } else {
        leptos_axum::redirect(&format!("/startups/{startup}/equity?on={}", event.on.format("%Y-%m-%d")));
    }
    Ok(EquityEventId(id))
}

/// An operator corrects an event by reversing it, with a reason.
#[server(prefix = "/api", endpoint = "reverse_equity_event")]
pub async fn reverse_equity_event(id: EquityEventId, form: ReversalForm) -> Result<EquityEventId, AppError> {
    let actor = actor().await?;
    let reason = form.parse().map_err(|errors| AppError::invalid_with_echo(errors, &form))?;
    service::equity::reverse(&db()?, &actor, id.0, &reason)
        .await
        .map(EquityEventId)
        .map_err(|e| AppError::from(e).with_echo(&form))
}

/// One capital increase with its arithmetic.
#[server(prefix = "/api", endpoint = "get_round")]
pub async fn get_round(id: RoundId) -> Result<RoundView, AppError> {
    Ok(service::equity::round(&db()?, &actor().await?, id.0).await?)
}

/// A carrier's portfolio on `on` (today when `None`).
#[server(prefix = "/api", endpoint = "get_portfolio")]
pub async fn get_portfolio(carrier: CarrierId, on: Option<NaiveDate>) -> Result<PortfolioView, AppError> {
    let on = day(on)?;
    Ok(service::equity::portfolio(&db()?, &actor().await?, carrier, on).await?)
}

/// Every carrier's stakes by district and for the city, on `on` (today when `None`).
#[server(prefix = "/api", endpoint = "get_city_portfolio")]
pub async fn get_city_portfolio(on: Option<NaiveDate>) -> Result<CityPortfolio, AppError> {
    let on = day(on)?;
    let context = crate::api::context()?;
    Ok(context.figures.city_portfolio(&context.db, &actor().await?, on).await?)
}
