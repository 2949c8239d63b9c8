//! Table mappings. Entities stay inside the service crate: the browser gets domain views.

pub mod application;
pub mod area_ledger;
pub mod audit_log;
pub mod building;
pub mod carrier;
pub mod carrier_industry;
pub mod district;
pub mod document;
pub mod floor;
pub mod lease;
pub mod lease_event;
pub mod lease_unit;
pub mod login_attempt;
pub mod maintenance;
pub mod membership;
pub mod one_time_token;
pub mod session;
pub mod site;
pub mod startup;
pub mod startup_year;
pub mod tenant_event;
pub mod unit;
pub mod unit_change;
pub mod unit_import;
pub mod user;
