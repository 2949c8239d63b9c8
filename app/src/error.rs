//! The error every server function returns: safe to send to the browser, and translated there.
//! Internal causes are logged on the server with a reference the user can quote; their text
//! never crosses the wire.

use domain::FieldErrors;
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

use leptos::server_fn;

/// Why a request failed, as the user is told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppError {
    /// Nobody is signed in, and this needs someone who is.
    Unauthenticated,
    /// Signed in, but not allowed to do this.
    Forbidden,
    /// Unknown account or wrong password (never told apart).
    InvalidCredentials,
    /// Too many failed sign-ins; try again after this many minutes.
    TooManyAttempts { minutes: u32 },
    /// A one-time link that is unknown, used or expired.
    LinkExpired,
    /// A one-time link that works once a second admin has approved it.
    AwaitingApproval,
    /// Too many requests of this kind are waiting (password hashing); try again after `seconds`.
    Busy { seconds: u32 },
    /// The server as a whole is at capacity (requests in progress, the database's write lock);
    /// try again after `seconds`.
    Overloaded { seconds: u32 },
    /// The caller's storage allowance is used up.
    QuotaExceeded { used_mb: u32, quota_mb: u32 },
    /// The request body is larger than this endpoint accepts.
    TooLarge { max_kb: u32 },
    /// The request came from another site (or could not show where it came from).
    CrossSite,
    /// The record or page does not exist.
    NotFound,
    /// The submission has problems, listed per field. `echo` holds the submitted form as JSON,
    /// so that a page posted without JavaScript can show the user's input back with the errors.
    Invalid { errors: FieldErrors, echo: Option<String> },
    /// The submission collides with what others have done (a unit already let), per field.
    Conflict { errors: FieldErrors, echo: Option<String> },
    /// The record changed since the user opened it.
    Stale,
    /// The request itself could not be read (a malformed or hand-made request).
    BadRequest,
    /// Our fault; the details are in the server log under `reference`.
    Internal { reference: String },
    /// The browser could not reach the server or read its answer.
    Unreachable,
}

impl AppError {
    /// The HTTP status that goes with this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated | AppError::InvalidCredentials => 401,
            AppError::Forbidden | AppError::CrossSite | AppError::AwaitingApproval => 403,
            AppError::TooManyAttempts { .. } | AppError::Busy { .. } => 429,
            AppError::QuotaExceeded { .. } | AppError::TooLarge { .. } => 413,
            AppError::LinkExpired => 410,
            AppError::NotFound => 404,
            AppError::Invalid { .. } => 422,
            AppError::Stale | AppError::Conflict { .. } => 409,
            AppError::BadRequest => 400,
            AppError::Internal { .. } => 500,
            AppError::Unreachable | AppError::Overloaded { .. } => 503,
        }
    }

    /// A validation failure that also carries the submitted form back.
    pub fn invalid_with_echo<T: Serialize>(errors: FieldErrors, submitted: &T) -> Self {
        AppError::Invalid { errors, echo: serde_json::to_string(submitted).ok() }
    }

    /// Carries the submitted form back with a validation failure or a conflict found by the
    /// service, so a page posted without JavaScript can show the input with the errors; other
    /// errors pass unchanged.
    pub fn with_echo<T: Serialize>(self, submitted: &T) -> Self {
        match self {
            AppError::Invalid { errors, .. } => AppError::invalid_with_echo(errors, submitted),
            AppError::Conflict { errors, .. } => {
                AppError::Conflict { errors, echo: serde_json::to_string(submitted).ok() }
            }
            other => other,
        }
    }

    /// How long a client should wait before repeating a refused request (`Retry-After`).
    pub fn retry_after_seconds(&self) -> Option<u32> {
        match self {
            AppError::TooManyAttempts { minutes } => Some(minutes.saturating_mul(60)),
            AppError::Busy { seconds } | AppError::Overloaded { seconds } => Some(*seconds),
            _ => None,
        }
    }

    /// The field errors, if this is a validation failure.
    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Invalid { errors, .. } | AppError::Conflict { errors, .. } => Some(errors),
            _ => None,
        }
    }

    /// The submitted form carried back by a validation failure.
    pub fn echo<T: for<'de> Deserialize<'de>>(&self) -> Option<T> {
        match self {
            AppError::Invalid { echo: Some(json), .. } | AppError::Conflict { echo: Some(json), .. } => {
                serde_json::from_str(json).ok()
            }
            _ => None,
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // For logs and debugging only; users see the translated text of `i18n::error_text`.
        write!(f, "{self:?}")
    }
}

impl std::error::Error for AppError {}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => AppError::BadRequest,
            // On the server these mean the request could not be read: the client's fault. In the
            // browser they mean the answer could not be read: the connection's.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Deserialization(_) => AppError::BadRequest,
            #[cfg(not(feature = "ssr"))]
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Deserialization(_) => AppError::Unreachable,
            ServerFnErrorErr::Response(_) => AppError::Unreachable,
            ServerFnErrorErr::Registration(_) => AppError::NotFound,
            other => internal(&other),
        }
    }

    /// Every failed server function leaves through here, so this is where its answer gets the
    /// status the error deserves (and `Retry-After`), through the response options: Leptos
    /// would otherwise answer 500, and a user's mistake must never look like a server failure.
    fn ser(&self) -> server_fn::Bytes {
        #[cfg(feature = "ssr")]
        self.answer_with_status();
        let encode = <JsonEncoding as server_fn::Encodes<AppError>>::encode;
        encode(self).or_else(|e| encode(&internal(&e))).unwrap_or_default()
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    fn answer_with_status(&self) {
        use axum::http::{HeaderValue, StatusCode, header};
        use leptos::prelude::use_context;
        let Some(options) = use_context::<leptos_axum::ResponseOptions>() else { return };
        // A plain form post (no JavaScript) is answered with a redirect back to its page, which
        // must stay a redirect.
        let accepts_html = use_context::<http::request::Parts>().is_some_and(|parts| {
            parts.headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"))
        });
        if accepts_html {
            return;
        }
        options.set_status(StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
        if let Some(seconds) = self.retry_after_seconds() {
            options.insert_header(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
    }
}

impl From<ServerFnErrorErr> for AppError {
    fn from(value: ServerFnErrorErr) -> Self {
        AppError::from_server_fn_error(value)
    }
}

/// Logs `cause` under a fresh reference and returns the error the user sees.
fn internal(cause: &dyn std::fmt::Display) -> AppError {
    let reference = reference();
    #[cfg(feature = "ssr")]
    tracing::error!(%reference, error = %cause, "internal error");
    #[cfg(not(feature = "ssr"))]
    leptos::logging::error!("internal error {reference}: {cause}");
    AppError::Internal { reference }
}

/// A short reference for an error report: the time in milliseconds, in base 36.
fn reference() -> String {
    let mut n = u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(0);
    let mut digits = Vec::new();
    while n > 0 {
        let digit = u8::try_from(n % 36).unwrap_or(0);
        digits.push(if digit < 10 { b'0' + digit } else { b'A' + digit - 10 });
        n /= 36;
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

/// On the server an error answers a plain route by itself: the status it deserves, `Retry-After`
/// where it has one, and the JSON body a server function's error has. Route handlers return
/// `Result<Response, AppError>` and use `?`.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        use axum::http::{HeaderValue, StatusCode, header};
        let status = StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
        if let Some(seconds) = self.retry_after_seconds() {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

#[cfg(feature = "ssr")]
impl From<service::ServiceError> for AppError {
    fn from(err: service::ServiceError) -> Self {
        use service::ServiceError;
        match err {
            ServiceError::Unauthenticated => AppError::Unauthenticated,
            ServiceError::Forbidden => AppError::Forbidden,
            ServiceError::InvalidCredentials => AppError::InvalidCredentials,
            ServiceError::TooManyAttempts { retry_after_minutes } => {
                AppError::TooManyAttempts { minutes: retry_after_minutes }
            }
            ServiceError::LinkExpired => AppError::LinkExpired,
            ServiceError::AwaitingApproval => AppError::AwaitingApproval,
            ServiceError::Busy { retry_after_seconds } => AppError::Busy { seconds: retry_after_seconds },
            ServiceError::QuotaExceeded { used_mb, quota_mb } => AppError::QuotaExceeded { used_mb, quota_mb },
            ServiceError::NotFound => AppError::NotFound,
            ServiceError::Invalid(errors) => AppError::Invalid { errors, echo: None },
            ServiceError::Stale => AppError::Stale,
            ServiceError::Conflict(errors) => AppError::Conflict { errors, echo: None },
            ServiceError::Db(ref error) if service::db::is_contention(error) => {
                tracing::warn!(%error, "database busy: request refused for a retry");
                AppError::Overloaded { seconds: 2 }
            }
            ServiceError::Corrupt(_) | ServiceError::Db(_) => internal(&err),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_map_to_the_http_status_a_client_expects() {
        assert_eq!(AppError::NotFound.status(), 404);
        assert_eq!(AppError::Invalid { errors: FieldErrors::new(), echo: None }.status(), 422);
        assert_eq!(AppError::Stale.status(), 409);
        assert_eq!(AppError::from_server_fn_error(ServerFnErrorErr::Args("x".into())).status(), 400);
    }

    #[test]
    fn a_validation_failure_carries_the_submission_back() {
        let error = AppError::invalid_with_echo(FieldErrors::new(), &vec!["孵化".to_owned()]);
        assert_eq!(error.echo::<Vec<String>>(), Some(vec!["孵化".to_owned()]));
        assert_eq!(AppError::Stale.echo::<Vec<String>>(), None);
    }
}
