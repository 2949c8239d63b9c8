//! Routes outside the Leptos pages, one module per feature (downloads and uploads that a server
//! function cannot carry), and here what they share, health and the language switch.

pub mod bench;
pub mod dashboard;
pub mod equity;
pub mod readiness;
pub mod spaces;
pub mod tenancy;

use crate::AppState;
use crate::route_table::RouteTable;
use app::error::AppError;
use app::i18n::{EN, LANG_COOKIE, ZH};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use service::Actor;
use std::time::Duration;
use tower_sessions::Session;

pub fn system() -> RouteTable {
    RouteTable::new().get("/healthz", healthz).get("/lang/{code}", switch_language)
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Health {
    pub status: &'static str,
    pub database: DatabaseHealth,
    pub version: &'static str,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct DatabaseHealth {
    pub backend: &'static str,
    pub reachable: bool,
    pub pending_migrations: Option<usize>,
}

/// Reports whether the server can reach its database: 200 when it can, 503 when it cannot.
async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let reachable =
        matches!(tokio::time::timeout(Duration::from_secs(2), service::db::ping(&state.db)).await, Ok(Ok(())));
    let pending_migrations = if reachable { service::db::pending_migrations(&state.db).await.ok() } else { None };
    let healthy = reachable && pending_migrations == Some(0);
    let status = if healthy { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let health = Health {
        status: if healthy { "ok" } else { "unavailable" },
        database: DatabaseHealth { backend: service::db::backend_name(&state.db), reachable, pending_migrations },
        version: env!("CARGO_PKG_VERSION"),
    };
    (status, Json(health))
}

#[derive(Debug, Deserialize)]
struct ReturnTo {
    next: Option<String>,
}

/// Switches the language without JavaScript: sets the language cookie and goes back.
async fn switch_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(next): Query<ReturnTo>,
) -> Response {
    if code != ZH && code != EN {
        return (StatusCode::NOT_FOUND, "unknown language").into_response();
    }
    let next = domain::redirect::local_path(next.next.as_deref());
    let secure = if state.security.secure_cookies { "; Secure" } else { "" };
    let cookie = format!("{LANG_COOKIE}={code}; Path=/; Max-Age=31536000; SameSite=Lax{secure}");
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    headers.insert(header::LOCATION, HeaderValue::from_str(&next).unwrap_or(HeaderValue::from_static("/")));
    if let Ok(cookie) = HeaderValue::from_str(&cookie) {
        headers.insert(header::SET_COOKIE, cookie);
    }
    response
}

pub(crate) use domain::time::today;

/// The day a download is for, from `?on=YYYY-MM-DD`: today when the parameter is absent or
/// empty, `None` when it is not a date.
/// A query parameter's mistake, answered as a form's would be (422 with the field named).
pub(crate) fn invalid(field: &str, problem: domain::Problem) -> AppError {
    AppError::from(service::ServiceError::Invalid(domain::FieldErrors::single(field, problem)))
}

pub(crate) fn day_param(on: Option<&str>) -> Option<NaiveDate> {
    match on.filter(|s| !s.is_empty()) {
        None => Some(today()),
        Some(raw) => domain::time::parse_date(raw).ok(),
    }
}

/// The signed-in user behind a route's request, or 401.
pub(crate) async fn signed_in(state: &AppState, session: &Session) -> Result<Actor, AppError> {
    app::api::session_actor(session, &state.context()).await?.ok_or(AppError::Unauthenticated)
}
