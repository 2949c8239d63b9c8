//! Table mappings. Entities stay inside the service crate: the browser gets domain views.

pub mod area_ledger;
pub mod audit_log;
pub mod building;
pub mod carrier;
pub mod carrier_industry;
pub mod district;
pub mod floor;
pub mod login_attempt;
pub mod membership;
pub mod one_time_token;
pub mod session;
pub mod site;
pub mod startup;
pub mod unit;
pub mod unit_change;
pub mod unit_import;
pub mod user;
