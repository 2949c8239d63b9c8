//! Leases (租约), their dated events, and occupancy.

use crate::hundredths::basis_points;
use crate::validation::{self, FieldErrors, Problem};
use crate::{Area, CarrierId, Money, StartupId};
use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A span of days: from `start` up to, not including, `end`; no end is open-ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateRange {
    pub start: NaiveDate,
    /// The first day *after* the range.
    pub end: Option<NaiveDate>,
}

impl DateRange {
    /// The range from `first` to `last`, both included.
    pub fn inclusive(first: NaiveDate, last: Option<NaiveDate>) -> Self {
        DateRange { start: first, end: last.and_then(|d| d.checked_add_days(Days::new(1))) }
    }

    /// The last day in the range.
    pub fn last_day(&self) -> Option<NaiveDate> {
        self.end.and_then(|d| d.pred_opt())
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && self.end.is_none_or(|end| day < end)
    }

    /// Whether two ranges share a day. Ranges that only touch (one ends the day the other
    /// starts) do not.
    pub fn overlaps(&self, other: &DateRange) -> bool {
        self.end.is_none_or(|end| other.start < end) && other.end.is_none_or(|end| self.start < end)
    }
}

coded_enum! {
    /// Where a lease stands.
    pub enum LeaseState {
        Active = "active",
        Ended = "ended",
        Terminated = "terminated",
    }
}

coded_enum! {
    /// Where a lease stands on a day, read from its dates, and from its state once it was ended
    /// early or terminated: what its page and every list show. A lease recorded today that
    /// starts next month is not in force yet.
    pub enum LeasePhase {
        /// Signed; its first day is more than [`UPCOMING_DAYS`] away.
        Signed = "signed",
        /// Signed; its first day is within [`UPCOMING_DAYS`].
        Upcoming = "upcoming",
        InForce = "in_force",
        /// In force, its last day within [`ENDING_DAYS`].
        Ending = "ending",
        Ended = "ended",
        Terminated = "terminated",
    }
}

/// A signed lease is "upcoming" from this many days before its first day.
pub const UPCOMING_DAYS: i64 = 30;
/// A lease in force is "ending" from this many days before its last day.
pub const ENDING_DAYS: i64 = 90;

/// The phase on `on` of a lease in `state` over `period`. An early end or a termination moves
/// the lease's last day: until then it is still in force, and afterwards it reads as ended or
/// terminated.
pub fn phase(state: LeaseState, period: DateRange, on: NaiveDate) -> LeasePhase {
    let over = match state {
        LeaseState::Terminated => LeasePhase::Terminated,
        LeaseState::Ended | LeaseState::Active => LeasePhase::Ended,
    };
    if on < period.start {
        return match state {
            LeaseState::Active if (period.start - on).num_days() <= UPCOMING_DAYS => LeasePhase::Upcoming,
            LeaseState::Active => LeasePhase::Signed,
            _ => over,
        };
    }
    match period.last_day() {
        Some(last) if on > last => over,
        Some(last) if (last - on).num_days() < ENDING_DAYS => LeasePhase::Ending,
        _ => LeasePhase::InForce,
    }
}

/// The day a lease recorded on `today` is dated as signed: today, or its first day when it
/// started before it was recorded (a lease entered after the fact was signed by its start).
pub fn signed_on(today: NaiveDate, start: NaiveDate) -> NaiveDate {
    today.min(start)
}

coded_enum! {
    /// What happened to a lease, on a day.
    pub enum LeaseEventKind {
        Signed = "signed",
        Renewed = "renewed",
        EndedEarly = "ended_early",
        Terminated = "terminated",
    }
}

/// Rent forgone in exchange for equity (房东+股东): so many months of so much rent, converted at
/// a valuation. The equity ledger turns it into a holding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RentForEquity {
    pub months: u32,
    pub monthly_amount: Money,
    /// The pre-money valuation the forgone rent converts at.
    pub valuation: Money,
}

impl RentForEquity {
    /// The rent forgone in all.
    pub fn total(&self) -> Money {
        Money::from_fen(self.monthly_amount.fen() * i64::from(self.months))
    }
}

/// Field names of the lease forms.
pub mod field {
    pub const UNITS: &str = "units";
    pub const STARTS_ON: &str = "starts_on";
    pub const ENDS_ON: &str = "ends_on";
    pub const RENT: &str = "monthly_rent";
    pub const RENT_FREE: &str = "rent_free_months";
    pub const DEPOSIT: &str = "deposit";
    pub const EQUITY_MONTHS: &str = "equity_months";
    pub const EQUITY_AMOUNT: &str = "equity_monthly_amount";
    pub const EQUITY_VALUATION: &str = "equity_valuation";
    pub const ON: &str = "on";
    pub const REASON: &str = "reason";
    pub const NEW_END: &str = "new_end";
}

/// The lease form as submitted: unit ids, dates (the last day included), money in yuan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LeaseForm {
    pub units: Vec<String>,
    pub starts_on: String,
    pub ends_on: String,
    pub monthly_rent: String,
    pub rent_free_months: String,
    pub deposit: String,
    pub equity_months: String,
    pub equity_monthly_amount: String,
    pub equity_valuation: String,
}

/// A checked lease.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseTerms {
    pub units: Vec<i64>,
    pub period: DateRange,
    /// The agreed monthly rent; `None` lets at the units' list rent.
    pub monthly_rent: Option<Money>,
    pub rent_free_months: u32,
    pub deposit: Money,
    pub rent_for_equity: Option<RentForEquity>,
}

fn money_or_zero(raw: &str) -> Result<Money, Problem> {
    if raw.trim().is_empty() { Ok(Money::ZERO) } else { crate::space::money(raw) }
}

impl LeaseForm {
    pub fn parse(&self) -> Result<LeaseTerms, FieldErrors> {
        let mut errors = FieldErrors::new();
        let units = errors.check(field::UNITS, {
            let ids: Result<Vec<i64>, _> =
                self.units.iter().filter(|u| !u.trim().is_empty()).map(|u| u.trim().parse::<i64>()).collect();
            match ids {
                Ok(ids) if ids.is_empty() => Err(Problem::NoneChosen),
                Ok(mut ids) => {
                    ids.sort_unstable();
                    ids.dedup();
                    Ok(ids)
                }
                Err(_) => Err(Problem::NotAChoice),
            }
        });
        let first = errors.check(field::STARTS_ON, validation::date(&self.starts_on));
        let last = errors.check(
            field::ENDS_ON,
            if self.ends_on.trim().is_empty() { Ok(None) } else { validation::date(&self.ends_on).map(Some) },
        );
        if let (Some(first), Some(Some(last))) = (first, last)
            && last < first
        {
            errors.add(field::ENDS_ON, Problem::EndBeforeStart);
        }
        let monthly_rent = errors.check(
            field::RENT,
            if self.monthly_rent.trim().is_empty() {
                Ok(None)
            } else {
                crate::space::money(&self.monthly_rent).map(Some)
            },
        );
        let rent_free_months = errors.check(
            field::RENT_FREE,
            match self.rent_free_months.trim() {
                "" => Ok(0),
                raw => match raw.parse::<u32>() {
                    Ok(n) if n <= 60 => Ok(n),
                    Ok(_) => Err(Problem::OutOfRange { min: 0, max: 60 }),
                    Err(_) => Err(Problem::NotANumber),
                },
            },
        );
        let deposit = errors.check(field::DEPOSIT, money_or_zero(&self.deposit));
        let equity = if self.equity_months.trim().is_empty() && self.equity_valuation.trim().is_empty() {
            Some(None)
        } else {
            let months = errors.check(
                field::EQUITY_MONTHS,
                match self.equity_months.trim().parse::<u32>() {
                    Ok(n) if (1..=60).contains(&n) => Ok(n),
                    Ok(_) => Err(Problem::OutOfRange { min: 1, max: 60 }),
                    Err(_) => Err(Problem::Required),
                },
            );
            let amount = errors.check(field::EQUITY_AMOUNT, crate::space::money(&self.equity_monthly_amount));
            let valuation = errors.check(field::EQUITY_VALUATION, crate::space::money(&self.equity_valuation));
            if valuation == Some(Money::ZERO) {
                errors.add(field::EQUITY_VALUATION, Problem::NotPositive);
            }
            match (months, amount, valuation) {
                (Some(months), Some(monthly_amount), Some(valuation)) => {
                    Some(Some(RentForEquity { months, monthly_amount, valuation }))
                }
                _ => None,
            }
        };
        match (units, first, last, monthly_rent, rent_free_months, deposit, equity) {
            (
                Some(units),
                Some(first),
                Some(last),
                Some(monthly_rent),
                Some(rent_free_months),
                Some(deposit),
                Some(equity),
            ) if errors.is_empty() => Ok(LeaseTerms {
                units,
                period: DateRange::inclusive(first, last),
                monthly_rent,
                rent_free_months,
                deposit,
                rent_for_equity: equity,
            }),
            _ => Err(errors),
        }
    }
}

/// Splits `total` over parts in proportion to `weights`, exactly: the fen that do not divide go
/// to the parts with the largest remainders (ties to the earlier part). Equal parts when every
/// weight is zero.
pub fn allocate(total: Money, weights: &[i64]) -> Vec<Money> {
    if weights.is_empty() {
        return Vec::new();
    }
    let all_zero = weights.iter().all(|w| *w <= 0);
    let weights: Vec<i128> = weights.iter().map(|w| if all_zero { 1 } else { i128::from((*w).max(0)) }).collect();
    let sum: i128 = weights.iter().sum();
    let total_fen = i128::from(total.fen());
    let mut shares: Vec<(usize, i128, i128)> =
        weights.iter().enumerate().map(|(i, w)| (i, total_fen * w / sum, total_fen * w % sum)).collect();
    let assigned: i128 = shares.iter().map(|(_, s, _)| s).sum();
    let mut left = total_fen - assigned;
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|a, b| shares[*b].2.cmp(&shares[*a].2).then(a.cmp(b)));
    for i in order {
        if left <= 0 {
            break;
        }
        shares[i].1 += 1;
        left -= 1;
    }
    shares.into_iter().map(|(_, s, _)| Money::from_fen(i64::try_from(s).unwrap_or(0))).collect()
}

/// A renewal, early end or termination, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LeaseEventForm {
    pub kind: String,
    /// The new last day of the lease.
    pub new_end: String,
    pub reason: String,
}

/// A checked lease event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseEvent {
    pub kind: LeaseEventKind,
    /// The new first day after the lease.
    pub new_end: NaiveDate,
    pub reason: String,
}

impl LeaseEventForm {
    pub fn parse(&self) -> Result<LeaseEvent, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = errors.check(
            "kind",
            match LeaseEventKind::from_code(self.kind.trim()) {
                Some(LeaseEventKind::Signed) | None => Err(Problem::NotAChoice),
                Some(kind) => Ok(kind),
            },
        );
        let last = errors.check(field::NEW_END, validation::date(&self.new_end));
        let reason = errors.check(field::REASON, validation::text(&self.reason, 2, 200));
        match (kind, last, reason) {
            (Some(kind), Some(last), Some(reason)) if errors.is_empty() => {
                Ok(LeaseEvent { kind, new_end: last.checked_add_days(Days::new(1)).unwrap_or(last), reason })
            }
            _ => Err(errors),
        }
    }
}

/// A unit in a lease.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeasedUnit {
    pub id: i64,
    pub code: String,
    /// Its full name: building, floor and code (`A座 3F·304`).
    pub name: String,
    /// The floor it is on, whose view shows it.
    pub floor_id: i64,
    pub usable: Area,
    /// This unit's share of the lease's monthly rent.
    pub monthly_rent: Money,
}

/// A lease with everything its page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseView {
    pub id: i64,
    pub carrier: CarrierId,
    pub carrier_name: String,
    pub startup: StartupId,
    pub startup_name: String,
    pub state: LeaseState,
    /// Where it stands today (the city's day).
    pub phase: LeasePhase,
    pub period: DateRange,
    pub units: Vec<LeasedUnit>,
    pub monthly_rent: Money,
    pub rent_free_months: u32,
    pub deposit: Money,
    pub rent_for_equity: Option<RentForEquity>,
    pub events: Vec<(LeaseEventKind, NaiveDate, String, DateTime<Utc>)>,
    /// The viewer may renew, end or terminate it.
    pub can_manage: bool,
}

/// One line of a carrier's rent roll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RentRollRow {
    pub lease: i64,
    /// The full names of the units let (`A座 3F·304`).
    pub units: Vec<String>,
    pub tenant: String,
    pub usable: Area,
    pub monthly_rent: Money,
    /// Monthly rent per m² of usable area, in fen, rounded half up; `None` without area.
    pub rent_per_m2: Option<Money>,
    pub starts_on: NaiveDate,
    /// The last day, if the lease has an end.
    pub expires_on: Option<NaiveDate>,
    pub deposit: Money,
}

impl RentRollRow {
    /// Rent per m² a month: rent / area, half up to the fen.
    pub fn per_m2(rent: Money, usable: Area) -> Option<Money> {
        let area = i128::from(usable.hundredths());
        (area > 0).then(|| {
            let fen = (i128::from(rent.fen()) * 100 * 2 + area) / (area * 2);
            Money::from_fen(i64::try_from(fen).unwrap_or(0))
        })
    }
}

/// Occupancy on a day: units, area and rent, leased against available.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occupancy {
    pub units: i64,
    pub units_leased: i64,
    /// Usable area in service.
    pub area: Area,
    pub area_leased: Area,
    /// Monthly list rent of the units in service.
    pub list_rent: Money,
    /// Monthly rent of the leases running that day.
    pub leased_rent: Money,
}

impl Occupancy {
    pub fn by_units(&self) -> Option<i64> {
        basis_points(self.units_leased, self.units)
    }

    pub fn by_area(&self) -> Option<i64> {
        basis_points(self.area_leased.hundredths(), self.area.hundredths())
    }

    /// Economic occupancy: leased rent over list rent.
    pub fn economic(&self) -> Option<i64> {
        basis_points(self.leased_rent.fen(), self.list_rent.fen())
    }
}

impl std::ops::Add for Occupancy {
    type Output = Occupancy;
    fn add(self, rhs: Occupancy) -> Occupancy {
        Occupancy {
            units: self.units + rhs.units,
            units_leased: self.units_leased + rhs.units_leased,
            area: self.area + rhs.area,
            area_leased: self.area_leased + rhs.area_leased,
            list_rent: self.list_rent + rhs.list_rent,
            leased_rent: self.leased_rent + rhs.leased_rent,
        }
    }
}

/// `12.34%`.
pub fn percent(basis_points: Option<i64>) -> String {
    basis_points.map_or_else(
        || "—".to_owned(),
        |bp| {
            let sign = if bp < 0 { "-" } else { "" };
            let magnitude = bp.unsigned_abs();
            format!("{sign}{}.{:02}%", magnitude / 100, magnitude % 100)
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leases_phase_follows_its_dates() {
        // Issue 15: "A lease signed today that starts next month is shown as in force … its
        // state and every list follow the dates (signed, upcoming, in force, ending, ended)."
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let lease = DateRange::inclusive(d(2026, 12, 1), Some(d(2028, 11, 30)));
        let at = |on| phase(LeaseState::Active, lease, on);
        assert_eq!(at(d(2026, 10, 31)), LeasePhase::Signed, "31 days ahead");
        assert_eq!(at(d(2026, 11, 1)), LeasePhase::Upcoming, "30 days ahead");
        assert_eq!(at(d(2026, 11, 30)), LeasePhase::Upcoming);
        assert_eq!(at(d(2026, 12, 1)), LeasePhase::InForce, "its first day");
        assert_eq!(at(d(2028, 9, 1)), LeasePhase::InForce, "90 days before the last");
        assert_eq!(at(d(2028, 9, 2)), LeasePhase::Ending, "89 days before the last");
        assert_eq!(at(d(2028, 11, 30)), LeasePhase::Ending, "its last day");
        assert_eq!(at(d(2028, 12, 1)), LeasePhase::Ended);
        let open = DateRange::inclusive(d(2026, 12, 1), None);
        assert_eq!(phase(LeaseState::Active, open, d(2040, 1, 1)), LeasePhase::InForce);
        // Terminated as of 31 March 2027: in force until then, ending on the way, then over.
        let cut = DateRange::inclusive(d(2026, 12, 1), Some(d(2027, 3, 31)));
        assert_eq!(phase(LeaseState::Terminated, cut, d(2026, 12, 15)), LeasePhase::InForce);
        assert_eq!(phase(LeaseState::Terminated, cut, d(2027, 3, 1)), LeasePhase::Ending);
        assert_eq!(phase(LeaseState::Terminated, cut, d(2027, 4, 1)), LeasePhase::Terminated);
        assert_eq!(phase(LeaseState::Ended, cut, d(2027, 4, 1)), LeasePhase::Ended);
        assert_eq!(phase(LeaseState::Terminated, lease, d(2026, 11, 1)), LeasePhase::Terminated, "before it began");
        // Signed today for next month: dated today. Entered late for a lease long started:
        // dated its first day.
        assert_eq!(signed_on(d(2026, 11, 30), d(2026, 12, 1)), d(2026, 11, 30));
        assert_eq!(signed_on(d(2026, 11, 30), d(2025, 3, 1)), d(2025, 3, 1));
    }

    #[test]
    fn percentages_keep_their_sign_outside_the_digits() {
        assert_eq!(percent(Some(7_512)), "75.12%");
        assert_eq!(percent(Some(-1_250)), "-12.50%");
        assert_eq!(percent(Some(-5)), "-0.05%");
        assert_eq!(percent(Some(i64::MIN)), format!("-{}.{:02}%", i64::MIN.unsigned_abs() / 100, 8));
        assert_eq!(percent(None), "—");
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn ranges_that_share_a_day_overlap_and_touching_ones_do_not() {
        let jan_to_jun = DateRange::inclusive(d(2026, 1, 1), Some(d(2026, 6, 30)));
        let jul_on = DateRange::inclusive(d(2026, 7, 1), None);
        let jun_30 = DateRange::inclusive(d(2026, 6, 30), Some(d(2026, 6, 30)));
        assert!(!jan_to_jun.overlaps(&jul_on), "touching: one ends the day before the other starts");
        assert!(jan_to_jun.overlaps(&jun_30), "a single shared day");
        assert!(jun_30.overlaps(&jan_to_jun));
        let open_from_2025 = DateRange::inclusive(d(2025, 1, 1), None);
        assert!(open_from_2025.overlaps(&jul_on), "two open-ended ranges always meet");
        assert!(open_from_2025.overlaps(&jan_to_jun));
        let before = DateRange::inclusive(d(2024, 1, 1), Some(d(2024, 12, 31)));
        assert!(!before.overlaps(&open_from_2025), "ends the day before an open range starts");
        assert!(jan_to_jun.contains(d(2026, 6, 30)) && !jan_to_jun.contains(d(2026, 7, 1)));
        assert_eq!(jan_to_jun.last_day(), Some(d(2026, 6, 30)));
    }

    #[test]
    fn a_total_is_split_exactly_by_weight() {
        let parts = allocate(Money::from_fen(10_000), &[1, 1, 1]);
        assert_eq!(parts, [Money::from_fen(3334), Money::from_fen(3333), Money::from_fen(3333)]);
        assert_eq!(parts.iter().copied().sum::<Money>(), Money::from_fen(10_000));
        let weighted = allocate(Money::from_fen(1_000), &[7225, 2775]);
        assert_eq!(weighted, [Money::from_fen(723), Money::from_fen(277)]);
        assert_eq!(allocate(Money::from_fen(5), &[0, 0]), [Money::from_fen(3), Money::from_fen(2)]);
    }

    #[test]
    fn a_lease_form_needs_units_an_order_of_dates_and_money() {
        let form = LeaseForm {
            units: vec!["12".into(), "7".into(), "12".into()],
            starts_on: "2027-01-01".into(),
            ends_on: "2028-12-31".into(),
            monthly_rent: "6,500".into(),
            rent_free_months: "2".into(),
            deposit: "13000".into(),
            equity_months: "6".into(),
            equity_monthly_amount: "3000".into(),
            equity_valuation: "8000000".into(),
        };
        let terms = form.parse().unwrap();
        assert_eq!(terms.units, [7, 12]);
        assert_eq!(terms.monthly_rent, Some(Money::from_yuan(6500)));
        let at_list_rent = LeaseForm { monthly_rent: " ".into(), ..form.clone() };
        assert_eq!(at_list_rent.parse().unwrap().monthly_rent, None, "an empty rent lets at list rent");
        assert_eq!(terms.period.end, Some(d(2029, 1, 1)));
        assert_eq!(terms.rent_for_equity.unwrap().total(), Money::from_yuan(18_000));
        let backwards = LeaseForm { ends_on: "2026-12-31".into(), units: vec![], ..form };
        let errors = backwards.parse().unwrap_err();
        assert_eq!(errors.for_field(field::ENDS_ON).next(), Some(&Problem::EndBeforeStart));
        assert_eq!(errors.for_field(field::UNITS).next(), Some(&Problem::NoneChosen));
    }

    #[test]
    fn occupancy_rates_are_exact_and_rounded_down() {
        let occupancy = Occupancy {
            units: 3,
            units_leased: 2,
            area: Area::from_square_metres(300),
            area_leased: Area::from_square_metres(100),
            list_rent: Money::from_yuan(9000),
            leased_rent: Money::from_yuan(2700),
        };
        assert_eq!(occupancy.by_units(), Some(6666));
        assert_eq!(occupancy.by_area(), Some(3333));
        assert_eq!(occupancy.economic(), Some(3000));
        assert_eq!(percent(occupancy.by_units()), "66.66%");
        assert_eq!(Occupancy::default().economic(), None);
    }

    #[test]
    fn rent_per_square_metre_is_rounded_half_up() {
        assert_eq!(
            RentRollRow::per_m2(Money::from_yuan(6500), Area::parse("120.5").unwrap()),
            Some(Money::parse("53.94").unwrap())
        );
        assert_eq!(RentRollRow::per_m2(Money::from_yuan(1), Area::ZERO), None);
    }
}
