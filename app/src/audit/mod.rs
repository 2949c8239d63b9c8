//! The audit trail.

pub mod api;
pub mod pages;
