//! Accreditation readiness and carriers' annual statistics: the rule sets (seeded with the
//! national criteria, edited by bureau staff), each carrier's figures for every metric with
//! where they came from, the checklists, the annual returns carriers file, and the annual
//! statistics report shaped after the national Torch statistics.
//!
//! Rooms: [`rules`] (the rule sets and their criteria), [`figures`] (a carrier's figures and
//! checklists) and [`returns`] (annual returns and the Torch statistics report).

mod figures;
mod returns;
mod rules;

pub use figures::{checklists, readiness};
pub use returns::{TORCH_COLUMNS, TORCH_FORM, annual_return, file_return, thousands, torch_header, torch_report};
pub(crate) use rules::{correct_ip_criterion, seed_rule_sets};
pub use rules::{remove_criterion, rule_set, rule_sets, save_criterion};
