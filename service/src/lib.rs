//! Fuhua's server-side core. Every function takes the database connection and, where business
//! data is concerned, the [`authz::Actor`] asking; every write runs in one transaction with its
//! audit record, so a refused request leaves nothing behind.

pub mod accounts;
pub mod audit;
pub mod authz;
pub mod carriers;
pub mod db;
pub mod districts;
pub mod entity;
mod error;
pub mod seed;
pub mod session_store;
pub mod spaces;
pub mod startups;
#[cfg(feature = "testing")]
pub mod testing;

pub use authz::Actor;
pub use error::ServiceError;
pub use sea_orm::DatabaseConnection;

/// The result of a service call.
pub type Result<T, E = ServiceError> = std::result::Result<T, E>;
