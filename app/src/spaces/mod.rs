//! Spaces: sites, buildings, floors and units, their area, changes and imports.

pub mod api;
pub mod pages;
