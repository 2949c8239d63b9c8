//! One module per feature; each page is a component mounted by a route in `App`.

pub mod carriers;
pub mod overview;
