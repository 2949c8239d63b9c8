//! The clock of the records: the instant a write is dated by, and the city's day of it.
//!
//! The write paths of the records a city's history holds (carriers' spaces, applications, leases,
//! tenants, equity, returns, and the audit trail) read "now" here rather than from the system
//! clock, so that the demonstration city can be built as history: each of its events runs through the product's own write paths
//! with the clock set to the day it happened ([`as_of`]), and its records carry that day (an
//! application submitted in 2019 says 2019, in its row and in the audit trail). Outside
//! [`as_of`] — every request, every command — the clock is the system's. Sessions, sign-in
//! throttles and one-time links always read the system clock: nothing may age them artificially.

use chrono::{DateTime, NaiveDate, Utc};
use std::future::Future;

tokio::task_local! {
    static AS_OF: DateTime<Utc>;
}

/// The instant a record written now is dated by.
pub(crate) fn now() -> DateTime<Utc> {
    AS_OF.try_with(|instant| *instant).unwrap_or_else(|_| Utc::now())
}

/// Today's date in China (UTC+8, the same everywhere in the country), by [`now`].
pub(crate) fn today() -> NaiveDate {
    domain::time::china_date(now())
}

/// Runs `work` with the records' clock at `instant`. Only the demonstration history does this.
pub(crate) async fn as_of<F: Future>(instant: DateTime<Utc>, work: F) -> F::Output {
    AS_OF.scope(instant, work).await
}

/// 10:00 in the city on `day`, when a replayed day's records are dated — but never later than
/// now, so that nothing replayed before ten today is stamped in the future.
pub(crate) fn morning(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(2, 0, 0).unwrap_or_default().and_utc().min(Utc::now())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[tokio::test]
    async fn the_clock_is_the_systems_outside_a_replay_and_the_replays_inside() {
        let before = Utc::now();
        assert!(now() >= before);
        // 2019-03-04 23:30 UTC is already the 5th in China.
        let then = Utc.with_ymd_and_hms(2019, 3, 4, 23, 30, 0).unwrap();
        let inside = as_of(then, async { (now(), today()) }).await;
        assert_eq!(inside, (then, NaiveDate::from_ymd_opt(2019, 3, 5).unwrap()));
        assert!(now() >= before, "the replay's clock does not leak out of it");
    }
}
