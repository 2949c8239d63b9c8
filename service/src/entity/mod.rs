//! Table mappings. Entities stay inside the service crate: the browser gets domain views.

pub mod audit_log;
pub mod carrier;
pub mod carrier_industry;
pub mod district;
pub mod login_attempt;
pub mod membership;
pub mod one_time_token;
pub mod session;
pub mod startup;
pub mod user;
