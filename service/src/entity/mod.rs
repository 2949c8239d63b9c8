//! Table mappings. Entities stay inside the service crate: the browser gets domain views.

pub mod carrier;
pub mod carrier_industry;
pub mod district;
