//! One module per feature; each page is a component mounted by a route in `App`.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod carriers;
pub mod overview;
pub mod spaces;
pub mod startups;
