//! The carrier registry: list, detail, registration and editing.

pub mod api;
mod detail;
mod form;
mod list;

pub use detail::CarrierDetail;
pub use form::{EditCarrier, NewCarrier};
pub use list::CarrierList;
