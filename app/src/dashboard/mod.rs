//! The bureau's dashboard and its area targets.

pub mod api;
pub mod pages;
