use domain::FieldErrors;
use sea_orm::DbErr;

/// Why a service call failed. The first variants are the caller's doing and safe to show;
/// [`ServiceError::Db`] and [`ServiceError::Corrupt`] are ours, logged and never shown.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Nobody is signed in, and this needs someone who is.
    #[error("not signed in")]
    Unauthenticated,
    /// The caller is signed in but may not do this.
    #[error("not allowed")]
    Forbidden,
    #[error("no such record")]
    NotFound,
    #[error("the submission is invalid")]
    Invalid(FieldErrors),
    /// The submission collides with data another request wrote (a unit already let).
    #[error("the submission conflicts with existing data")]
    Conflict(FieldErrors),
    /// The record changed since the caller read it.
    #[error("the record was changed by someone else")]
    Stale,
    /// Unknown account or wrong password: deliberately not told apart.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Too many failed sign-ins for this account or from this address.
    #[error("too many attempts")]
    TooManyAttempts { retry_after_minutes: u32 },
    /// A one-time link that is unknown, used or expired.
    #[error("the link is invalid or has expired")]
    LinkExpired,
    /// A one-time link that grants its own issuer a role, or reaches an account with rights the
    /// issuer lacks: it works once a second admin has approved it.
    #[error("the link awaits a second admin's approval")]
    AwaitingApproval,
    /// The server is at capacity for this kind of work (password hashing, say); the request can
    /// be repeated after this many seconds.
    #[error("busy")]
    Busy { retry_after_seconds: u32 },
    /// The caller's storage allowance is used up.
    #[error("storage quota exceeded")]
    QuotaExceeded { used_mb: u32, quota_mb: u32 },
    /// Stored data that the domain cannot read: a bug or a manual edit of the database.
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl From<FieldErrors> for ServiceError {
    fn from(errors: FieldErrors) -> Self {
        ServiceError::Invalid(errors)
    }
}
