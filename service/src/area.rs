//! The area ledger, below every feature: what a total is taken over ([`AreaScope`]), the one
//! query shape that sums the ledger or its per-carrier roll-up, and the carrier lock that
//! serialises the writers of a carrier's roll-ups. `spaces` writes the ledger; `dashboard`,
//! `readiness`, `carriers` and the tenancy features read it through here.

use crate::entity::{area_ledger, building, carrier, carrier_area_day, floor, site, unit, unit_change};
use crate::{Result, ServiceError};
use chrono::{Datelike, Months, NaiveDate};
use domain::space::{self, AreaTotals, UseCategory};
use domain::{Area, CarrierId, DistrictId, Money};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QuerySelect,
    Select,
};

/// What a total is taken over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AreaScope {
    Unit(i64),
    Floor(i64),
    Building(i64),
    Site(i64),
    Carrier(CarrierId),
    District(DistrictId),
    City,
}

/// The ledger bucket of area out of service.
pub(crate) const OUT_OF_SERVICE: &str = "out_of_service";

#[derive(Debug, FromQueryResult)]
pub(crate) struct BucketSum {
    pub bucket: String,
    pub gross: i64,
    pub usable: i64,
    pub desks: i64,
    pub units: i64,
    pub list_rent: i64,
}

/// The columns that place a row in the hierarchy: the area ledger and leased units both carry
/// them, so one filter serves area and occupancy alike.
pub(crate) struct PlaceColumns<C> {
    pub unit: C,
    pub floor: C,
    pub building: C,
    pub site: C,
    pub carrier: C,
}

const LEDGER_PLACE: PlaceColumns<area_ledger::Column> = PlaceColumns {
    unit: area_ledger::Column::UnitId,
    floor: area_ledger::Column::FloorId,
    building: area_ledger::Column::BuildingId,
    site: area_ledger::Column::SiteId,
    carrier: area_ledger::Column::CarrierId,
};

/// The roll-up knows carriers only: it serves carrier, district and city scopes.
const DAY_PLACE: PlaceColumns<carrier_area_day::Column> = PlaceColumns {
    unit: carrier_area_day::Column::CarrierId,
    floor: carrier_area_day::Column::CarrierId,
    building: carrier_area_day::Column::CarrierId,
    site: carrier_area_day::Column::CarrierId,
    carrier: carrier_area_day::Column::CarrierId,
};

/// Rows within `scope`, by the place columns of their table.
pub(crate) fn scope_condition<C: ColumnTrait>(scope: AreaScope, columns: &PlaceColumns<C>, on: NaiveDate) -> Condition {
    let condition = Condition::all();
    match scope {
        AreaScope::Unit(id) => condition.add(columns.unit.eq(id)),
        AreaScope::Floor(id) => condition.add(columns.floor.eq(id)),
        AreaScope::Building(id) => condition.add(columns.building.eq(id)),
        AreaScope::Site(id) => condition.add(columns.site.eq(id)),
        AreaScope::Carrier(id) => condition.add(columns.carrier.eq(id.0)),
        // District and city figures count the carriers registered on the day, in the district
        // they were in that day: the dated registry, as on the dashboard.
        AreaScope::District(id) => {
            condition.add(columns.carrier.in_subquery(crate::registry::registered_on(Some(id), on)))
        }
        AreaScope::City => condition.add(columns.carrier.in_subquery(crate::registry::registered_on(None, on))),
    }
}

/// The area totals of `scope` on `on`: the one function behind every area figure.
pub async fn totals(db: &impl ConnectionTrait, scope: AreaScope, on: NaiveDate) -> Result<AreaTotals> {
    let rows = match scope {
        AreaScope::District(_) | AreaScope::City => {
            bucket_sums(carrier_area_day::Entity::find(), [carrier_area_day::Column::Bucket])
                .filter(scope_condition(scope, &DAY_PLACE, on))
                .filter(carrier_area_day::Column::EffectiveOn.lte(on))
                .group_by(carrier_area_day::Column::Bucket)
                .into_model::<BucketSum>()
                .all(db)
                .await?
        }
        _ => ledger_sums(db, scope, on).await?,
    };
    totals_of(rows)
}

/// One bucket's sums for one key (a carrier, a floor): a grouped [`bucket_sums`] with the key
/// column read as `key`.
#[derive(Debug, FromQueryResult)]
pub(crate) struct KeyedBucketSum {
    key: i64,
    bucket: String,
    gross: i64,
    usable: i64,
    desks: i64,
    units: i64,
    list_rent: i64,
}

/// The totals of each key, from its buckets' sums.
pub(crate) fn totals_by_key(rows: Vec<KeyedBucketSum>) -> Result<std::collections::BTreeMap<i64, AreaTotals>> {
    let mut by_key: std::collections::BTreeMap<i64, AreaTotals> = std::collections::BTreeMap::new();
    for r in rows {
        let sums = BucketSum {
            bucket: r.bucket,
            gross: r.gross,
            usable: r.usable,
            desks: r.desks,
            units: r.units,
            list_rent: r.list_rent,
        };
        add_bucket(by_key.entry(r.key).or_default(), &sums)?;
    }
    Ok(by_key)
}

/// The area totals of each floor of `carrier` on `on`, in one grouped query (what [`totals`]
/// gives for each floor alone); a floor with no area has no entry.
pub async fn floor_totals(
    db: &impl ConnectionTrait,
    carrier: CarrierId,
    on: NaiveDate,
) -> Result<std::collections::BTreeMap<i64, AreaTotals>> {
    let rows = bucket_sums(area_ledger::Entity::find(), [area_ledger::Column::Bucket])
        .column_as(area_ledger::Column::FloorId, "key")
        .filter(area_ledger::Column::CarrierId.eq(carrier.0))
        .filter(area_ledger::Column::EffectiveOn.lte(on))
        .group_by(area_ledger::Column::FloorId)
        .group_by(area_ledger::Column::Bucket)
        .into_model::<KeyedBucketSum>()
        .all(db)
        .await?;
    totals_by_key(rows)
}

/// `columns` and the sums of an area table's five deltas (the unit ledger or the roll-up, which
/// share their column names), as [`BucketSum`] and its kin read them.
pub(crate) fn bucket_sums<E: EntityTrait>(find: Select<E>, columns: impl IntoIterator<Item = E::Column>) -> Select<E> {
    let mut select = find.select_only();
    for column in columns {
        select = select.column(column);
    }
    for (delta, name) in [
        ("delta_gross", "gross"),
        ("delta_usable", "usable"),
        ("delta_desks", "desks"),
        ("delta_units", "units"),
        ("delta_list_rent", "list_rent"),
    ] {
        select = select.column_as(Expr::cust(format!("CAST(COALESCE(SUM({delta}), 0) AS BIGINT)")), name);
    }
    select
}

/// Sums per bucket, read into totals.
pub(crate) fn totals_of(rows: Vec<BucketSum>) -> Result<AreaTotals> {
    let mut totals = AreaTotals::default();
    for row in rows {
        add_bucket(&mut totals, &row)?;
    }
    Ok(totals)
}

/// Adds one bucket's sums to `totals`.
pub(crate) fn add_bucket(totals: &mut AreaTotals, row: &BucketSum) -> Result<()> {
    if row.bucket == OUT_OF_SERVICE {
        totals.out_of_service_gross = totals.out_of_service_gross + Area::from_hundredths(row.gross);
        totals.out_of_service_usable = totals.out_of_service_usable + Area::from_hundredths(row.usable);
    } else {
        let category = UseCategory::from_code(&row.bucket)
            .ok_or_else(|| ServiceError::Corrupt(format!("unknown area bucket {:?}", row.bucket)))?;
        let i = space::category_index(category);
        totals.gross[i] = totals.gross[i] + Area::from_hundredths(row.gross);
        totals.usable[i] = totals.usable[i] + Area::from_hundredths(row.usable);
        totals.desks += row.desks;
        totals.units += row.units;
        totals.list_rent = totals.list_rent + Money::from_fen(row.list_rent);
    }
    Ok(())
}

/// The ledger's sums per bucket within `scope` up to `on`: for places within one carrier.
async fn ledger_sums(db: &impl ConnectionTrait, scope: AreaScope, on: NaiveDate) -> Result<Vec<BucketSum>> {
    Ok(bucket_sums(area_ledger::Entity::find(), [area_ledger::Column::Bucket])
        .filter(scope_condition(scope, &LEDGER_PLACE, on))
        .filter(area_ledger::Column::EffectiveOn.lte(on))
        .group_by(area_ledger::Column::Bucket)
        .into_model::<BucketSum>()
        .all(db)
        .await?)
}

/// The carrier a place belongs to.
pub(crate) async fn carrier_of(db: &impl ConnectionTrait, scope: AreaScope) -> Result<CarrierId> {
    let carrier = match scope {
        AreaScope::Unit(id) => unit::Entity::find_by_id(id).one(db).await?.map(|u| u.carrier_id),
        AreaScope::Floor(id) => floor::Entity::find_by_id(id).one(db).await?.map(|f| f.carrier_id),
        AreaScope::Building(id) => building::Entity::find_by_id(id).one(db).await?.map(|b| b.carrier_id),
        AreaScope::Site(id) => site::Entity::find_by_id(id).one(db).await?.map(|s| s.carrier_id),
        AreaScope::Carrier(id) => Some(id.0),
        AreaScope::District(_) | AreaScope::City => None,
    };
    carrier.map(CarrierId).ok_or(ServiceError::NotFound)
}

/// Serializes the writers of one carrier's roll-ups, which are rewritten rather than added to.
/// SQLite's `BEGIN IMMEDIATE` already does; on PostgreSQL the carrier's row is locked until the
/// transaction ends, so two changes at once wait for each other instead of colliding. The lock is
/// `FOR NO KEY UPDATE`: it must not conflict with the key-share locks that inserting a lease or a
/// unit takes on the carrier for its foreign key, or two admissions racing for one unit would
/// deadlock (each holding a key-share lock the other's update lock waits for).
pub(crate) async fn lock_carrier(txn: &impl ConnectionTrait, carrier: i64) -> Result<()> {
    if txn.get_database_backend() == sea_orm::DbBackend::Postgres {
        carrier::Entity::find_by_id(carrier).lock(sea_orm::sea_query::LockType::NoKeyUpdate).one(txn).await?;
    }
    Ok(())
}

/// Whether any unit change, tenant event or lease of `carrier` is dated before `day`.
pub(crate) async fn dated_before(txn: &impl ConnectionTrait, carrier: i64, day: NaiveDate) -> Result<bool> {
    use crate::entity::{lease, tenant_event};
    let units = unit_change::Entity::find()
        .filter(unit_change::Column::CarrierId.eq(carrier))
        .filter(unit_change::Column::EffectiveOn.lt(day))
        .count(txn)
        .await?;
    let tenants = tenant_event::Entity::find()
        .filter(tenant_event::Column::CarrierId.eq(carrier))
        .filter(tenant_event::Column::OnDate.lt(day))
        .count(txn)
        .await?;
    let leases = lease::Entity::find()
        .filter(lease::Column::CarrierId.eq(carrier))
        .filter(lease::Column::StartsOn.lt(day))
        .count(txn)
        .await?;
    Ok(units + tenants + leases > 0)
}

/// The last day of each of the `months` months up to `on`'s month (the last one being `on`).
pub fn month_ends(on: NaiveDate, months: u32) -> Vec<NaiveDate> {
    let first_of_month = on.with_day(1).unwrap_or(on);
    (0..months)
        .rev()
        .filter_map(|back| {
            let start = first_of_month.checked_sub_months(Months::new(back))?;
            let end = start.checked_add_months(Months::new(1))?.pred_opt()?;
            Some(end.min(on))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_ends_run_back_from_the_given_day() {
        let on = NaiveDate::from_ymd_opt(2026, 3, 15).unwrap();
        let ends = month_ends(on, 4);
        let expected: Vec<NaiveDate> = [(2025, 12, 31), (2026, 1, 31), (2026, 2, 28), (2026, 3, 15)]
            .iter()
            .map(|(y, m, d)| NaiveDate::from_ymd_opt(*y, *m, *d).unwrap())
            .collect();
        assert_eq!(ends, expected);
    }
}
