//! The bureau's dashboard and the area targets it measures against.
//!
//! Every figure starts from per-carrier figures ([`figures`]): area and leased area from the
//! per-carrier daily roll-ups (one row per carrier and change day, never a row per unit), tenants
//! from the tenant events. Breakdowns, totals and target
//! progress are sums of those rows, so the dashboard, the carrier list and the carriers' own pages
//! tell the same numbers.
//!
//! Rooms: `view` (the figures, the dashboard of a day and its trends), `cache` (those figures
//! kept while the data they come from stands) and `targets` (the stored targets: reading,
//! adding, editing, removing).

mod cache;
mod targets;
mod view;

pub use cache::{FiguresCache, epoch};

pub use targets::{add_target, list_targets, remove_target, targets, update_target};
pub(crate) use view::tenant_stages;
pub use view::{carrier_figures, dashboard, figures};
