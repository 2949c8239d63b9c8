use domain::FieldErrors;
use sea_orm::DbErr;

/// Why a service call failed. The first variants are the caller's doing and safe to show;
/// [`ServiceError::Db`] and [`ServiceError::Corrupt`] are ours, logged and never shown.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("no such record")]
    NotFound,
    #[error("the submission is invalid")]
    Invalid(FieldErrors),
    /// The record changed since the caller read it.
    #[error("the record was changed by someone else")]
    Stale,
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
