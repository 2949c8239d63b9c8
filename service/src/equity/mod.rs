//! The equity ledger of each startup (股权台账): append-only dated events, each with one line per
//! holder it touches. The cap table on any day is the sum of the lines of the live events up to
//! that day; a correction is a `reversal` event that negates an earlier one, which stays in the
//! ledger and drops out of every figure. The arithmetic is [`domain::equity`]'s; this module keeps
//! the ledger consistent, decides who may read and record, and writes the audit trail.
//!
//! Who may do what:
//! - read a cap table: the startup's members, bureau staff, and operators of a carrier that
//!   leases to the startup or holds a stake in it;
//! - record an event or a correction: operators of a carrier that leases to the startup (the
//!   bureau reads but does not record);
//! - a carrier's portfolio: its operators and the bureau; the city's: the bureau.
//!
//! Rooms: [`ledger`] (the ledger in memory, loaded from its rows), [`access`] (who may read and
//! record), [`record`] (events and their reversal), [`reading`] (cap tables and rounds) and
//! [`portfolio`] (carriers' and the city's stakes).

mod access;
mod ledger;
mod portfolio;
mod reading;
mod record;

pub(crate) use ledger::Ledger;
pub use portfolio::{city_portfolio, portfolio};
pub(crate) use portfolio::{for_export, stakes};
pub(crate) use reading::outside_money;
pub use reading::{cap_table, round};
pub use record::{record, reverse};
