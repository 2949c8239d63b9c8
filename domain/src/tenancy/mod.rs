//! Tenancy: a startup's profile and life as a tenant, its applications for space, and its
//! leases.

pub mod application;
pub mod lease;
pub mod startup;
