//! Each role's home. An operator's is a to-do list per carrier: applications waiting, leases
//! starting and ending soon, tenants near their incubation limit, vacant space, accreditation
//! criteria that fail, and the annual return due — each item leading to where it is acted on.

use crate::tenancy::application::ApplicationState;
use crate::{Area, CarrierId, StartupId};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// An application waiting for its operator (submitted, or under review).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiting {
    pub application: i64,
    pub startup: String,
    pub state: ApplicationState,
    /// Days since it was submitted.
    pub days: i64,
}

/// A lease about to start or to end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseDue {
    pub lease: i64,
    pub tenant: String,
    /// Its first day (starting) or its last day (ending).
    pub day: NaiveDate,
    pub units: Vec<String>,
}

/// A tenant near (or past) its incubation limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantDue {
    pub startup: StartupId,
    pub name: String,
    /// Whole months of incubation so far.
    pub months: u32,
    pub past_limit: bool,
}

/// An accreditation criterion the carrier fails today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failing {
    pub rule_set_zh: String,
    pub rule_set_en: String,
    pub label_zh: String,
    pub label_en: String,
}

/// One carrier's work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarrierWork {
    pub carrier: CarrierId,
    pub name: String,
    /// Oldest first; the longest waiting of each state, at most a page of the queue.
    pub waiting: Vec<Waiting>,
    /// How many applications wait in all (the list above may show fewer).
    pub waiting_total: u64,
    /// Signed leases whose first day is within [`crate::tenancy::lease::UPCOMING_DAYS`].
    pub starting: Vec<LeaseDue>,
    /// Leases in force whose last day is within [`crate::tenancy::lease::ENDING_DAYS`].
    pub ending: Vec<LeaseDue>,
    pub near_limit: Vec<TenantDue>,
    /// In-service units and their usable area, and how much of each is not let today.
    pub units: i64,
    pub units_vacant: i64,
    pub area: Area,
    pub area_vacant: Area,
    pub failing: Vec<Failing>,
    /// The last full year, when its annual return has not been filed.
    pub return_due: Option<i32>,
}

impl CarrierWork {
    /// How many things wait to be done (vacancy is a state, not a task, and is not counted).
    pub fn tasks(&self) -> usize {
        usize::try_from(self.waiting_total).unwrap_or(usize::MAX)
            + self.starting.len()
            + self.ending.len()
            + self.near_limit.len()
            + self.failing.len()
            + usize::from(self.return_due.is_some())
    }
}

/// An operator's home on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorHome {
    pub on: NaiveDate,
    pub carriers: Vec<CarrierWork>,
}

/// The year whose annual return a carrier owes on `today`: the last full year, if the carrier
/// had opened by its end and has not filed it.
pub fn return_due(opened_on: NaiveDate, filed: &[i32], today: NaiveDate) -> Option<i32> {
    let year = today.year() - 1;
    let open_by_then = opened_on.year() <= year;
    (open_by_then && !filed.contains(&year)).then_some(year)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_return_of_the_last_full_year_is_due_once_the_carrier_had_opened_in_it() {
        let today = day(2026, 11, 30);
        assert_eq!(return_due(day(2019, 5, 1), &[2023, 2024], today), Some(2025));
        assert_eq!(return_due(day(2019, 5, 1), &[2024, 2025], today), None, "filed");
        assert_eq!(return_due(day(2025, 12, 31), &[], today), Some(2025), "open on the year's last day");
        assert_eq!(return_due(day(2026, 1, 1), &[], today), None, "opened this year: nothing to report yet");
    }

    #[test]
    fn vacancy_is_not_a_task() {
        let work = CarrierWork {
            carrier: CarrierId(1),
            name: "甲".into(),
            waiting: vec![],
            waiting_total: 0,
            starting: vec![],
            ending: vec![],
            near_limit: vec![],
            units: 10,
            units_vacant: 4,
            area: Area::from_square_metres(1000),
            area_vacant: Area::from_square_metres(400),
            failing: vec![],
            return_due: Some(2025),
        };
        assert_eq!(work.tasks(), 1);
    }
}
