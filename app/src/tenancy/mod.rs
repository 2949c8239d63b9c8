//! Tenancy: startups, their applications for space, leases, and tenants from admission to
//! graduation.

pub mod api;
pub mod applications;
pub mod leases;
pub mod startups;
