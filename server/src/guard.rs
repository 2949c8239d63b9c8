//! Middleware that keeps one client, or many, from taking the server down, and that keeps a
//! record of refusals.
//!
//! - [`admission`]: a bound on requests in progress (more wait a moment, then get 503 with
//!   `Retry-After`), and a bound on the wait between two parts of a request body.
//! - [`server_function_body`]: server functions take small forms; a body over
//!   [`MAX_SERVER_FUNCTION_BYTES`] is refused with 413 before it is read whole, and a form that
//!   is not UTF-8 with 400.
//! - [`refusals`]: a signed-in user's refused request lands in the audit trail.
//! - [`panic_response`]: a panic in a handler is logged and answered with 500, never a dropped
//!   connection.

use crate::AppState;
use app::error::AppError;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use std::any::Any;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tower_sessions::Session;

/// The largest body a server function accepts: its forms are a few kilobytes at most.
pub const MAX_SERVER_FUNCTION_BYTES: usize = 256 * 1024;

/// The most of a refused body read (and dropped) so that its sender gets the refusal.
const DRAIN_BYTES: usize = 1024 * 1024;

/// How long a request waits for a free slot before it is refused.
const ADMISSION_WAIT: Duration = Duration::from_secs(2);

/// The admission state: slots for requests in progress, and the body read timeout.
#[derive(Clone)]
pub struct Admission {
    slots: Arc<Semaphore>,
    body_read_timeout: Duration,
}

impl Admission {
    pub fn new(max_in_flight: usize, body_read_timeout: Duration) -> Self {
        Admission { slots: Arc::new(Semaphore::new(max_in_flight.max(1))), body_read_timeout }
    }
}

/// The response to a request the server will not take now.
pub fn busy(seconds: u32) -> Response {
    AppError::Overloaded { seconds }.into_response()
}

/// Admits a request when a slot is free within a moment, and bounds the wait between the parts
/// of its body.
pub async fn admission(State(admission): State<Admission>, request: Request, next: Next) -> Response {
    let permit = match tokio::time::timeout(ADMISSION_WAIT, admission.slots.clone().acquire_owned()).await {
        Ok(Ok(permit)) => permit,
        _ => {
            tracing::warn!("request refused: too many in progress");
            return busy(5);
        }
    };
    let timeout = admission.body_read_timeout;
    let request = request.map(|body| Body::new(tower_http::timeout::TimeoutBody::new(timeout, body)));
    // The slot is held until the answer has been sent whole: a page streams after its handler
    // returns, and that work counts too.
    next.run(request).await.map(|body| Body::new(Held { body, _permit: permit }))
}

/// A response body that holds an admission slot until it is finished or dropped.
struct Held {
    body: Body,
    _permit: tokio::sync::OwnedSemaphorePermit,
}

impl hyper::body::Body for Held {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, axum::Error>>> {
        std::pin::Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.body.size_hint()
    }
}

/// Refuses oversized or undecodable server-function bodies before a server function reads them.
pub async fn server_function_body(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/") || request.method() != Method::POST {
        return next.run(request).await;
    }
    let declared = crate::files::declared_length(request.headers());
    if let Some(length) = declared.filter(|length| *length > MAX_SERVER_FUNCTION_BYTES as u64) {
        // A client still sending a body it was refused for may not read the answer if the
        // connection closes under it: take (and drop) a moderate body first, so the 413 arrives.
        if length <= DRAIN_BYTES as u64 {
            let _ = Limited::new(request.into_body(), DRAIN_BYTES).collect().await;
        }
        return too_large();
    }
    let (parts, body) = request.into_parts();
    let bytes: Bytes = match Limited::new(body, MAX_SERVER_FUNCTION_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) if error.downcast_ref::<LengthLimitError>().is_some() => return too_large(),
        Err(_) => return AppError::BadRequest.into_response(),
    };
    let textual = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded") || t.starts_with("application/json"));
    if textual && std::str::from_utf8(&bytes).is_err() {
        return AppError::BadRequest.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

fn too_large() -> Response {
    let max_kb = u32::try_from(MAX_SERVER_FUNCTION_BYTES / 1024).unwrap_or(u32::MAX);
    AppError::TooLarge { max_kb }.into_response()
}

/// Records a signed-in user's refused requests in the audit trail. (A failed server function's
/// status and `Retry-After` are set by its error, `AppError`, through Leptos' response options;
/// a plain route's by `AppError`'s `IntoResponse`.)
pub async fn refusals(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    let path = request.uri().path().to_owned();
    let session = request.extensions().get::<Session>().cloned();
    let response = next.run(request).await;
    if response.status() == StatusCode::FORBIDDEN
        && let Some(session) = session
        && let Some(user) = app::api::session_user(&session).await
    {
        if state.refusals.first_this_minute(user.0) {
            if let Err(error) = service::accounts::record_refusal(&state.db, user, &method, &path).await {
                tracing::warn!(%error, "recording a refused request failed");
            }
        } else {
            tracing::info!(user = user.0, %method, "refused again within the minute");
        }
    }
    response
}

/// When each user's refused requests were last recorded, for one server.
#[derive(Clone, Default)]
pub struct Refusals(Arc<std::sync::Mutex<std::collections::HashMap<i64, std::time::Instant>>>);

impl Refusals {
    /// Whether this is the user's first refused request this minute. Only those land in the
    /// audit trail (the rest in the log), so that a signed-in user cannot turn refusals into a
    /// flood of writes.
    pub fn first_this_minute(&self, user: i64) -> bool {
        const MINUTE: Duration = Duration::from_secs(60);
        let Ok(mut last) = self.0.lock() else { return true };
        let now = std::time::Instant::now();
        if last.len() > 10_000 {
            last.retain(|_, at| now.duration_since(*at) < MINUTE);
        }
        match last.get(&user) {
            Some(at) if now.duration_since(*at) < MINUTE => false,
            _ => {
                last.insert(user, now);
                true
            }
        }
    }
}

/// The answer to a request whose handler panicked: logged, and a 500 with an error reference.
pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    let reference = format!("panic-{}", chrono::Utc::now().timestamp_millis());
    tracing::error!(%reference, panic = message, "a request handler panicked");
    AppError::Internal { reference }.into_response()
}
