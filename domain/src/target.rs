//! Area targets (面积目标) and progress towards them: the share achieved, the area still
//! missing, the monthly growth needed to reach the target by its deadline, and where the trend of
//! the last twelve months would take the area; and, once a deadline has passed, how the target
//! ended.
//!
//! All figures are hundredths of a m² ([`Area`]); months are calendar months. Rounding is stated
//! where it happens: the growth still needed per month rounds *up* (a plan that falls a hundredth
//! short each month does not reach its target), the trend rounds half up, and a projection counts
//! whole months, rounded up.

use crate::Area;
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// A target: so much incubation area by a deadline, counted from a base date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub area: Area,
    pub base_date: NaiveDate,
    pub deadline: NaiveDate,
}

/// How far ahead the trend is followed, in months: a date further away than ten years is no
/// information for a plan, so the trend is then said not to reach the target at all.
pub const HORIZON_MONTHS: u32 = 120;

/// Where the trend leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Projection {
    /// The target is reached already.
    Reached,
    /// At the trend of the last twelve months the target is reached by its deadline, in the
    /// month of this day.
    OnTime(NaiveDate),
    /// At the trend the target is reached, but after its deadline: in the month of this day.
    Late(NaiveDate),
    /// The area has not grown over the last twelve months, or at its trend would take more
    /// than [`HORIZON_MONTHS`]: at this trend, not reached.
    Never,
}

impl Projection {
    /// Whether the trend misses the deadline: the reader is then told the growth needed.
    pub fn misses_deadline(self) -> bool {
        matches!(self, Projection::Late(_) | Projection::Never)
    }
}

/// How a target whose deadline has passed ended: the area of its scope on the deadline, and the
/// first day from its base date to its deadline on which the area stood at the target or above.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub final_area: Area,
    pub reached_on: Option<NaiveDate>,
}

/// Progress towards a target on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub on: NaiveDate,
    pub current: Area,
    /// Achieved, in basis points of the target (10,000 = 100 %), rounded down: a target is not
    /// shown as met before it is.
    pub achieved_bp: i64,
    /// Area still missing (zero once reached).
    pub missing: Area,
    /// Whole calendar months from `on` to the deadline, a started month counting as one; zero
    /// once the deadline has passed.
    pub months_left: u32,
    /// Growth needed per month to reach the target by the deadline; `None` when the deadline
    /// has passed with area still missing.
    pub required_monthly: Option<Area>,
    /// Average growth per month over the last twelve months.
    pub trend_monthly: Area,
    pub projection: Projection,
}

impl Target {
    /// Whether the deadline has passed on `on`: the target is closed, and shown with its
    /// [`Outcome`] rather than a projection.
    pub fn is_closed(&self, on: NaiveDate) -> bool {
        on > self.deadline
    }
}

/// Whole calendar months from `from` to `to`, a started month counting as one (zero when `to`
/// is not after `from`).
pub fn months_until(from: NaiveDate, to: NaiveDate) -> u32 {
    if to <= from {
        return 0;
    }
    let whole = (i64::from(to.year()) - i64::from(from.year())) * 12 + i64::from(to.month()) - i64::from(from.month());
    let whole = u32::try_from(whole).unwrap_or(0);
    // Past the same day of the month after `whole` months: one more started month.
    match from.checked_add_months(Months::new(whole)) {
        Some(reached) if reached >= to => whole,
        _ => whole + 1,
    }
}

/// `part` of `whole` in basis points (10,000 = 100 %), rounded down: a target is not shown as met
/// before it is. A target of nothing is met.
pub fn share_bp(part: Area, whole: Area) -> i64 {
    crate::hundredths::basis_points(part.hundredths(), whole.hundredths()).unwrap_or(10_000)
}

/// `num / den` rounded up, for `den > 0`, computed wide so that no input can overflow.
fn div_ceil(num: i64, den: i64) -> i64 {
    let (num, den) = (i128::from(num), i128::from(den.max(1)));
    i64::try_from((num + den - 1).div_euclid(den)).unwrap_or(i64::MAX)
}

/// `num / den` rounded half up, for `den > 0`, computed wide.
fn div_round(num: i64, den: i64) -> i64 {
    let (num, den) = (i128::from(num), i128::from(den.max(1)));
    let (q, r) = (num.div_euclid(den), num.rem_euclid(den));
    let rounded = if 2 * r >= den { q + 1 } else { q };
    i64::try_from(rounded).unwrap_or(if rounded < 0 { i64::MIN } else { i64::MAX })
}

/// Progress towards `target` on `on`, with the area `current` that day and `year_ago` twelve
/// months before.
pub fn progress(target: &Target, on: NaiveDate, current: Area, year_ago: Area) -> Progress {
    let (goal, now) = (target.area.hundredths(), current.hundredths());
    let missing = goal.saturating_sub(now).max(0);
    let achieved_bp = share_bp(current, target.area);
    // The deadline day itself is still open: one (started) month left, not none.
    let months_left = if on == target.deadline { 1 } else { months_until(on, target.deadline) };
    let required_monthly = if missing == 0 {
        Some(Area::ZERO)
    } else if months_left == 0 {
        None
    } else {
        Some(Area::from_hundredths(div_ceil(missing, i64::from(months_left))))
    };
    let trend = div_round(now.saturating_sub(year_ago.hundredths()), 12);
    let projection = if missing == 0 {
        Projection::Reached
    } else if trend <= 0 {
        Projection::Never
    } else {
        match u32::try_from(div_ceil(missing, trend)) {
            Ok(months) if months <= HORIZON_MONTHS => match on.checked_add_months(Months::new(months)) {
                Some(day) if day <= target.deadline => Projection::OnTime(day),
                Some(day) => Projection::Late(day),
                None => Projection::Never,
            },
            _ => Projection::Never,
        }
    };
    Progress {
        on,
        current,
        achieved_bp,
        missing: Area::from_hundredths(missing),
        months_left,
        required_monthly,
        trend_monthly: Area::from_hundredths(trend),
        projection,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn m2(whole: i64) -> Area {
        Area::from_hundredths(whole * 100)
    }

    /// The founding plan: 2,000,000 m² by the end of 2020.
    fn plan() -> Target {
        Target { area: m2(2_000_000), base_date: day(2018, 1, 1), deadline: day(2020, 12, 31) }
    }

    #[test]
    fn on_the_deadline_day_the_day_is_still_open() {
        let p = progress(&plan(), day(2020, 12, 31), m2(1_999_000), m2(1_900_000));
        assert_eq!(p.months_left, 1);
        assert_eq!(p.required_monthly, Some(m2(1_000)));
        let after = progress(&plan(), day(2021, 1, 1), m2(1_999_000), m2(1_900_000));
        assert_eq!(after.required_monthly, None);
    }

    #[test]
    fn months_are_counted_in_calendar_months_with_a_started_one_counting() {
        assert_eq!(months_until(day(2020, 6, 30), day(2020, 12, 31)), 7, "six months to 30 Dec, then a day more");
        assert_eq!(months_until(day(2020, 6, 30), day(2020, 12, 30)), 6);
        assert_eq!(months_until(day(2020, 1, 31), day(2020, 2, 29)), 1);
        assert_eq!(months_until(day(2020, 12, 31), day(2020, 12, 31)), 0);
        assert_eq!(months_until(day(2021, 1, 1), day(2020, 12, 31)), 0);
    }

    #[test]
    fn halfway_through_2020_the_plan_needs_more_than_its_trend_gives() {
        // 1,700,000 m² on 30 June 2020, 1,340,000 a year before: the trend is 30,000 m² a month.
        // 300,000 m² are missing with 7 (started) months left: 42,857.15 m² a month, rounded up.
        let p = progress(&plan(), day(2020, 6, 30), m2(1_700_000), m2(1_340_000));
        assert_eq!(p.achieved_bp, 8_500);
        assert_eq!(p.missing, m2(300_000));
        assert_eq!(p.months_left, 7);
        assert_eq!(p.required_monthly, Some(Area::from_hundredths(4_285_715)));
        assert_eq!(p.trend_monthly, m2(30_000));
        // 300,000 ÷ 30,000 = 10 months: April 2021, four months late.
        assert_eq!(p.projection, Projection::Late(day(2021, 4, 30)));
        assert!(p.projection.misses_deadline());
    }

    #[test]
    fn a_passed_deadline_needs_no_monthly_figure_but_still_has_a_projection() {
        let p = progress(&plan(), day(2026, 11, 28), m2(1_900_000), m2(1_888_000));
        assert_eq!((p.months_left, p.required_monthly), (0, None));
        // 1,000 m² a month; 100,000 missing: 100 months.
        assert_eq!(p.projection, Projection::Late(day(2035, 3, 28)));
        assert!(plan().is_closed(day(2026, 11, 28)) && !plan().is_closed(day(2020, 12, 31)));
    }

    #[test]
    fn a_trend_that_reaches_the_target_by_its_deadline_is_on_time() {
        // 1,940,000 m² on 30 June 2020 growing 10,000 a month: 60,000 missing, six months, the
        // last day of the year included.
        let p = progress(&plan(), day(2020, 6, 30), m2(1_940_000), m2(1_820_000));
        assert_eq!(p.projection, Projection::OnTime(day(2020, 12, 30)));
        assert!(!p.projection.misses_deadline());
    }

    #[test]
    fn a_date_beyond_ten_years_is_not_a_projection() {
        // Issue 15: "Projections that read 'reached in 6205-02' are not information." 1 m² a
        // month with 100,000 missing would take 8,334 years; 120 months is the horizon.
        let crawling = progress(&plan(), day(2020, 6, 30), m2(1_900_000), m2(1_899_988));
        assert_eq!(crawling.projection, Projection::Never);
        assert!(crawling.projection.misses_deadline());
        // Exactly ten years is still told as a date: 120,000 missing at 1,000 a month.
        let slow = progress(&plan(), day(2020, 6, 30), m2(1_880_000), m2(1_868_000));
        assert_eq!(slow.projection, Projection::Late(day(2030, 6, 30)));
        assert_eq!(HORIZON_MONTHS, 120);
    }

    #[test]
    fn a_reached_target_and_a_shrinking_area_are_told_apart() {
        let reached = progress(&plan(), day(2020, 6, 30), m2(2_000_001), m2(1_500_000));
        assert_eq!(
            (reached.missing, reached.required_monthly, reached.projection),
            (Area::ZERO, Some(Area::ZERO), Projection::Reached)
        );
        assert_eq!(reached.achieved_bp, 10_000, "rounded down, and over 100 % is not hidden either");
        let shrinking = progress(&plan(), day(2020, 6, 30), m2(1_000_000), m2(1_100_000));
        assert_eq!(shrinking.projection, Projection::Never);
        assert_eq!(shrinking.trend_monthly, Area::from_hundredths(-833_333));
    }

    #[test]
    fn the_share_achieved_is_never_rounded_up_to_the_target() {
        let p = progress(&plan(), day(2020, 6, 30), Area::from_hundredths(199_999_999), m2(1_900_000));
        assert_eq!(p.achieved_bp, 9_999);
    }
}
