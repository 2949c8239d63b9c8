//! The space catalogue: carriers with vacant space for startups looking for a place, and each
//! carrier's own entry.

pub mod api;
pub mod pages;
