//! Demonstration data: the districts of Linyi (临沂) and a few dozen carriers modelled on the
//! city's real ones. The carriers are made up; the districts and their division codes are real.
//! Seeding is idempotent: what exists already (by code or name) is left alone.
//!
//! Rooms: [`carriers`] (the demonstration carriers as data) and [`city`] (loading them, with
//! accounts, spaces, plans and a tenancy, through the product's own write paths), [`plan`] (ten
//! years of tenancies as a deterministic plan), [`history`] (replaying it, dated, through the
//! same write paths) and [`scale`] (the city copied into many, in bulk, for measuring at scale).

mod carriers;
mod city;
mod history;
mod plan;
mod scale;

pub use city::{DEMO_PASSWORD, Seeded, demo, districts, is_empty};
pub use scale::{COPIED, MAX_FACTOR, NOT_COPIED, Scaled, grow};

/// One company the demonstration history admitted, and what became of it: the generator's own
/// account, against which the city's figures are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenancy {
    pub startup: String,
    /// Its industry's code.
    pub industry: &'static str,
    pub carrier: &'static str,
    /// The lease's first and last day (after renewals and early ends).
    pub starts_on: chrono::NaiveDate,
    pub last_day: chrono::NaiveDate,
    pub graduated_on: Option<chrono::NaiveDate>,
    pub exited_on: Option<chrono::NaiveDate>,
}

impl Tenancy {
    /// Whether the company is in incubation on `on`: admitted, neither graduated nor gone, and
    /// within its incubation limit (《科技企业孵化器管理办法》: 48 months, 60 in special fields).
    pub fn incubating_on(&self, on: chrono::NaiveDate) -> bool {
        let industry = domain::carrier::Industry::from_code(self.industry);
        self.starts_on <= on
            && self.graduated_on.is_none_or(|d| d > on)
            && self.exited_on.is_none_or(|d| d > on)
            && !domain::tenancy::startup::past_incubation_limit(self.starts_on, on, industry)
    }
}
