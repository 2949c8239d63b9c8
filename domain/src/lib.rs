//! Fuhua's domain: the vocabulary of the incubation programme as types, and the rules that need
//! no I/O. Compiled into the server and into the browser bundle, so a form is validated by the
//! same code on both sides.

#[macro_use]
mod macros;

pub mod account;
pub mod area;
pub mod audit;
pub mod carrier;
pub mod catalogue;
pub mod dashboard;
pub mod district;
pub mod equity;
pub mod format;
pub mod fuzz;
pub mod home;
pub mod hundredths;
pub mod ids;
pub mod listing;
pub mod money;
pub mod national;
pub mod page;
pub mod readiness;
pub mod redirect;
pub mod space;
pub mod target;
pub mod tenancy;
pub mod text;
pub mod time;
pub mod uscc;
pub mod validation;

pub use area::Area;
pub use format::Lang;
pub use ids::{
    ApplicationId, BuildingId, CarrierId, CriterionId, DistrictId, EquityEventId, FloorId, ImportId, LeaseId, LinkId,
    RoundId, RuleSetId, SiteId, StartupId, TargetId, UnitId, UserId,
};
pub use money::Money;
pub use page::Page;
pub use text::{Messages, Text};
pub use validation::{FieldError, FieldErrors, Problem};
