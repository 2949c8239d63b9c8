//! Sites, buildings, floors and units, and their floor area over time.
//!
//! A unit's history is a list of dated changes (`unit_changes`). Its state on a day is the fold
//! of its changes up to that day, in date order. From that history each unit keeps a ledger of
//! how its area moved (`area_ledger`), rebuilt whole whenever the unit changes; the area of a
//! unit, floor, building, site, carrier, district or the city on any day is the sum of the
//! ledger rows in scope up to that day — one query shape for every level, so the levels
//! reconcile exactly.
//!
//! The ledger is also summed per carrier and day (`carrier_area_days`), in the same transaction
//! as every rebuild: district and city figures read that roll-up, one row per carrier and change
//! day, instead of a row per unit.

//!
//! The feature's rooms: [`access`] (who may read and change a carrier's spaces), [`places`]
//! (sites, buildings, floors), [`units`] (a unit's dated history and its ledger), [`reading`]
//! (floor views, the area page) and [`import`] (the spreadsheet round trip). The sums themselves
//! live below the features, in [`crate::area`]; [`check`] rebuilds them all to compare.

mod access;
mod check;
mod import;
mod leased;
mod places;
mod reading;
mod units;

pub use crate::area::{AreaScope, month_ends, totals};
pub use crate::names::unit_names;
pub use access::{area_totals, may_import};
pub use check::{Check, check};
pub use import::{export, import, import_report};
pub(crate) use leased::{Booking, move_leased};
pub use places::{create_building, create_floor, create_site};
pub use reading::{area_report, floor_view, floors_of, unit_on};
pub(crate) use units::{UnitStates, unit_state_on};
pub use units::{add_unit, change_unit, ensure_ledgers};
