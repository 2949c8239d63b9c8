//! Each carrier's leased usable area by day (`carrier_leased_days`): how it moved on each day,
//! from its bookings and its units' ledgers.
//!
//! A booking counts on the days it runs (from its first day to the day before its end), with its
//! unit's usable area in service on each of those days: the area when the booking starts, every
//! change of the unit's ledger while it runs, and minus the area on the last day when it ends.
//! Signing a lease or moving its end adds its bookings' moves to the roll-up, or takes them away
//! ([`move_leased`]): the work of one lease, whatever the carrier's history. [`refresh_leased`]
//! writes a carrier's roll-up again from all its bookings, for a change to a unit's ledger (which
//! moves every booking of the unit) and for the check, which compares the two.

use crate::Result;
use crate::area::{OUT_OF_SERVICE, lock_carrier};
use crate::entity::{area_ledger, carrier_leased_day, lease_unit};
use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use std::collections::BTreeMap;

/// One unit booked from its first day to its end (excluded; `None` runs on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Booking {
    pub unit: i64,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

impl From<&lease_unit::Model> for Booking {
    fn from(row: &lease_unit::Model) -> Self {
        Booking { unit: row.unit_id, starts_on: row.starts_on, ends_on: row.ends_on }
    }
}

/// Adds `sign` times one booking's moves of the leased area to `deltas`, given its unit's ledger
/// (`moves`: day and usable area moved in service).
fn add_booking(deltas: &mut BTreeMap<NaiveDate, i64>, moves: &[(NaiveDate, i64)], booking: Booking, sign: i64) {
    let Booking { starts_on, ends_on: end, .. } = booking;
    if end.is_some_and(|e| e <= starts_on) {
        return;
    }
    let at_start: i64 = moves.iter().filter(|(d, _)| *d <= starts_on).map(|(_, v)| v).sum();
    *deltas.entry(starts_on).or_default() += sign * at_start;
    for (day, delta) in moves.iter().filter(|(d, _)| *d > starts_on && end.is_none_or(|e| *d < e)) {
        *deltas.entry(*day).or_default() += sign * delta;
    }
    if let Some(end) = end {
        let at_end: i64 = moves.iter().filter(|(d, _)| *d < end).map(|(_, v)| v).sum();
        *deltas.entry(end).or_default() -= sign * at_end;
    }
}

/// The in-service usable-area moves of the units the `units` condition selects, by unit.
async fn ledgers(
    txn: &impl ConnectionTrait,
    carrier: i64,
    units: sea_orm::Condition,
) -> Result<BTreeMap<i64, Vec<(NaiveDate, i64)>>> {
    let rows: Vec<(i64, NaiveDate, i64)> = area_ledger::Entity::find()
        .select_only()
        .column(area_ledger::Column::UnitId)
        .column(area_ledger::Column::EffectiveOn)
        .column(area_ledger::Column::DeltaUsable)
        .filter(area_ledger::Column::CarrierId.eq(carrier))
        .filter(area_ledger::Column::Bucket.ne(OUT_OF_SERVICE))
        .filter(units)
        .into_tuple()
        .all(txn)
        .await?;
    let mut ledger: BTreeMap<i64, Vec<(NaiveDate, i64)>> = BTreeMap::new();
    for (unit, day, delta) in rows {
        ledger.entry(unit).or_default().push((day, delta));
    }
    Ok(ledger)
}

/// Rewrites a carrier's leased-area roll-up from all its bookings and its units' ledgers.
pub(crate) async fn refresh_leased(txn: &impl ConnectionTrait, carrier: i64) -> Result<()> {
    lock_carrier(txn, carrier).await?;
    let bookings = lease_unit::Entity::find().filter(lease_unit::Column::CarrierId.eq(carrier)).all(txn).await?;
    carrier_leased_day::Entity::delete_many()
        .filter(carrier_leased_day::Column::CarrierId.eq(carrier))
        .exec(txn)
        .await?;
    if bookings.is_empty() {
        return Ok(());
    }
    let booked_units = sea_orm::Condition::all().add(
        area_ledger::Column::UnitId.in_subquery(
            sea_orm::sea_query::Query::select()
                .column(lease_unit::Column::UnitId)
                .from(lease_unit::Entity)
                .and_where(lease_unit::Column::CarrierId.eq(carrier))
                .to_owned(),
        ),
    );
    let ledger = ledgers(txn, carrier, booked_units).await?;
    let mut deltas: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    for booking in &bookings {
        if let Some(moves) = ledger.get(&booking.unit_id) {
            add_booking(&mut deltas, moves, booking.into(), 1);
        }
    }
    let rows: Vec<carrier_leased_day::ActiveModel> = deltas
        .into_iter()
        .filter(|(_, v)| *v != 0)
        .map(|(day, delta)| carrier_leased_day::ActiveModel {
            carrier_id: Set(carrier),
            effective_on: Set(day),
            delta_usable: Set(delta),
        })
        .collect();
    for batch in rows.chunks(500) {
        carrier_leased_day::Entity::insert_many(batch.to_vec()).exec(txn).await?;
    }
    Ok(())
}

/// Adds bookings to a carrier's leased-area roll-up (`sign` 1) or takes them away (`sign` -1),
/// counted as [`refresh_leased`] counts them, inside the caller's transaction. The carrier is
/// locked first, so the rows read here are the rows written back.
pub(crate) async fn move_leased(
    txn: &impl ConnectionTrait,
    carrier: i64,
    bookings: &[Booking],
    sign: i64,
) -> Result<()> {
    if bookings.is_empty() {
        return Ok(());
    }
    lock_carrier(txn, carrier).await?;
    let units = sea_orm::Condition::all().add(area_ledger::Column::UnitId.is_in(bookings.iter().map(|b| b.unit)));
    let ledger = ledgers(txn, carrier, units).await?;
    let mut deltas: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    for booking in bookings {
        if let Some(moves) = ledger.get(&booking.unit) {
            add_booking(&mut deltas, moves, *booking, sign);
        }
    }
    for (day, delta) in deltas.into_iter().filter(|(_, v)| *v != 0) {
        match carrier_leased_day::Entity::find_by_id((carrier, day)).one(txn).await? {
            // A day whose moves cancel out has no row, as a rewrite would leave it.
            Some(row) if row.delta_usable + delta == 0 => {
                carrier_leased_day::Entity::delete_by_id((carrier, day)).exec(txn).await?;
            }
            Some(row) => {
                let total = row.delta_usable + delta;
                let mut row: carrier_leased_day::ActiveModel = row.into();
                row.delta_usable = Set(total);
                row.update(txn).await?;
            }
            None => {
                carrier_leased_day::ActiveModel {
                    carrier_id: Set(carrier),
                    effective_on: Set(day),
                    delta_usable: Set(delta),
                }
                .insert(txn)
                .await?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn a_booking_counts_its_units_area_from_its_first_day_to_the_day_before_its_end() {
        // 50 m² from January, 60 from March (in hundredths).
        let moves = [(day(1, 1), 5_000), (day(3, 1), 1_000)];
        let mut deltas = BTreeMap::new();
        add_booking(&mut deltas, &moves, Booking { unit: 1, starts_on: day(2, 1), ends_on: Some(day(4, 1)) }, 1);
        assert_eq!(deltas, BTreeMap::from([(day(2, 1), 5_000), (day(3, 1), 1_000), (day(4, 1), -6_000)]));
        // Taken away again, nothing is left to count.
        add_booking(&mut deltas, &moves, Booking { unit: 1, starts_on: day(2, 1), ends_on: Some(day(4, 1)) }, -1);
        assert!(deltas.values().all(|v| *v == 0));
        // A booking that ends on its first day is no booking.
        let mut empty = BTreeMap::new();
        add_booking(&mut empty, &moves, Booking { unit: 1, starts_on: day(2, 1), ends_on: Some(day(2, 1)) }, 1);
        assert!(empty.is_empty());
    }
}
