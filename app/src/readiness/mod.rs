//! Accreditation readiness: rule sets, carriers' checklists, annual returns.

pub mod api;
pub mod pages;
