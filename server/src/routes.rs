//! Routes outside the Leptos pages: server functions, health, and the language switch.

use crate::AppState;
use app::error::AppError;
use app::i18n::{EN, LANG_COOKIE, ZH};
use axum::body::{Body, to_bytes};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use service::Actor;
use std::time::Duration;
use tower_sessions::Session;

pub fn system() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/lang/{code}", get(switch_language))
}

/// Gives failed server functions their proper HTTP status.
///
/// Leptos answers every failed server function with 500; the body is our [`AppError`], which
/// knows its status. A user's mistake must never look like a server failure, so the status is
/// taken from the error. (Form posts without JavaScript are redirects and pass unchanged.)
pub async fn server_function_status(request: Request, next: Next) -> Response {
    let is_server_function = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !is_server_function || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // An error body is a small JSON document; anything bigger is not ours to reinterpret.
    let Ok(bytes) = to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
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
async fn switch_language(Path(code): Path<String>, Query(next): Query<ReturnTo>) -> Response {
    if code != ZH && code != EN {
        return (StatusCode::NOT_FOUND, "unknown language").into_response();
    }
    // Only paths on this site: `//host` or `/\host` would send the user elsewhere.
    let next = next
        .next
        .filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .unwrap_or_else(|| "/".to_owned());
    let cookie = format!("{LANG_COOKIE}={code}; Path=/; Max-Age=31536000; SameSite=Lax");
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let Ok(location) = HeaderValue::from_str(&next) {
        headers.insert(header::LOCATION, location);
    } else {
        headers.insert(header::LOCATION, HeaderValue::from_static("/"));
    }
    if let Ok(cookie) = HeaderValue::from_str(&cookie) {
        headers.insert(header::SET_COOKIE, cookie);
    }
    response
}

/// An error as a response: the status it deserves and its JSON body, like a server function's.
pub(crate) fn failure(error: AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CONTENT_TYPE, "application/json")], serde_json::to_vec(&error).unwrap_or_default())
        .into_response()
}

/// Today, in China, where the city is.
pub(crate) fn today() -> NaiveDate {
    domain::time::china_date(chrono::Utc::now())
}

/// The day a download is for, from `?on=YYYY-MM-DD`: today when the parameter is absent or
/// empty, `None` when it is not a date.
pub(crate) fn day_param(on: Option<&str>) -> Option<NaiveDate> {
    match on.filter(|s| !s.is_empty()) {
        None => Some(today()),
        Some(raw) => NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok(),
    }
}

pub(crate) async fn signed_in(state: &AppState, session: &Session) -> Result<Actor, Response> {
    match app::api::session_actor(session, &state.context()).await {
        Ok(Some(actor)) => Ok(actor),
        Ok(None) => Err(failure(AppError::Unauthenticated)),
        Err(error) => Err(failure(error)),
    }
}
