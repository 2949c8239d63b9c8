//! Fuhua's server-side core. Every function takes the database connection; every write runs in
//! one transaction, so a refused request leaves nothing behind.

pub mod carriers;
pub mod db;
pub mod districts;
pub mod entity;
mod error;
pub mod seed;
#[cfg(feature = "testing")]
pub mod testing;

pub use error::ServiceError;
pub use sea_orm::DatabaseConnection;

/// The result of a service call.
pub type Result<T, E = ServiceError> = std::result::Result<T, E>;
