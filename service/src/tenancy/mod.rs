//! Tenancy: startups, their applications for space, the leases they sign and their life as
//! tenants from admission to graduation or exit.

pub mod applications;
pub mod leases;
pub mod startups;
pub mod tenants;
