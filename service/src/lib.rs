//! Fuhua's server-side core. Every function takes the database connection and, where business
//! data is concerned, the [`policy::Actor`] asking; every write runs in one transaction with its
//! audit record, so a refused request leaves nothing behind.

pub mod accounts;
pub mod area;
pub mod audit;
pub mod backup;
pub mod bench;
pub mod carriers;
pub mod catalogue;
pub mod client;
mod clock;
pub mod dashboard;
pub mod db;
pub mod districts;
pub mod entity;
pub mod equity;
mod error;
pub mod home;
pub mod install;
pub mod names;
pub mod ocf;
pub mod password;
pub mod policy;
pub mod readiness;
pub mod reference;
pub mod registry;
pub mod seed;
pub mod session_store;
pub mod spaces;
pub mod tenancy;
#[cfg(feature = "testing")]
pub mod testing;

pub use error::ServiceError;
pub use policy::Actor;
pub use sea_orm::DatabaseConnection;

pub(crate) use clock::{now, today};

/// The result of a service call.
pub type Result<T, E = ServiceError> = std::result::Result<T, E>;
