//! Each role's home: the operator's to-do list (the bureau's overview is in `overview`).

pub mod api;
pub mod pages;
