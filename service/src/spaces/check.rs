//! The derived tables checked against what they are derived from: every unit's area ledger
//! against its dated history, each carrier's area roll-up against the ledgers, its leased-area
//! roll-up against its bookings, and no unit booked twice on one day.
//!
//! What `fuhua check` runs, and the performance harness after its writes. Each carrier is rebuilt
//! from scratch — the same code a write runs, applied to everything the carrier has — inside a
//! transaction that is rolled back, and the rebuild is compared with what is stored. A carrier's
//! transaction is short, so a check can run beside a serving process.

use super::leased::refresh_leased;
use super::units::{rebuild_ledger, refresh_days};
use crate::Result;
use crate::db;
use crate::entity::{area_ledger, carrier, carrier_area_day, carrier_leased_day, unit};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Statement, prelude::*,
};

/// What a check found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Check {
    pub carriers: usize,
    pub units: usize,
    /// What differs between what is stored and its rebuild, one line per carrier and table.
    pub differences: Vec<String>,
    /// Pairs of bookings of one unit that share a day.
    pub double_bookings: i64,
}

impl Check {
    /// Whether everything stored equals its rebuild and no unit is booked twice.
    pub fn is_exact(&self) -> bool {
        self.differences.is_empty() && self.double_bookings == 0
    }
}

/// One ledger row without its id (a rebuild numbers its rows anew).
type LedgerRow = (i64, Date, String, [i64; 5], [i64; 3]);

/// What is derived for one carrier, in a stable order.
#[derive(PartialEq, Eq)]
struct Derived {
    ledger: Vec<LedgerRow>,
    days: Vec<carrier_area_day::Model>,
    leased: Vec<carrier_leased_day::Model>,
}

async fn derived(txn: &impl ConnectionTrait, carrier: i64) -> Result<Derived> {
    let mut ledger: Vec<LedgerRow> = area_ledger::Entity::find()
        .filter(area_ledger::Column::CarrierId.eq(carrier))
        .all(txn)
        .await?
        .into_iter()
        .map(|r| {
            (
                r.unit_id,
                r.effective_on,
                r.bucket,
                [r.delta_gross, r.delta_usable, r.delta_desks, r.delta_units, r.delta_list_rent],
                [r.floor_id, r.building_id, r.site_id],
            )
        })
        .collect();
    ledger.sort();
    let days = carrier_area_day::Entity::find()
        .filter(carrier_area_day::Column::CarrierId.eq(carrier))
        .order_by_asc(carrier_area_day::Column::EffectiveOn)
        .order_by_asc(carrier_area_day::Column::Bucket)
        .all(txn)
        .await?;
    let leased = carrier_leased_day::Entity::find()
        .filter(carrier_leased_day::Column::CarrierId.eq(carrier))
        .order_by_asc(carrier_leased_day::Column::EffectiveOn)
        .all(txn)
        .await?;
    Ok(Derived { ledger, days, leased })
}

/// Checks every carrier's ledgers and roll-ups against their rebuild, and every unit's bookings.
pub async fn check(db: &DatabaseConnection) -> Result<Check> {
    let carriers: Vec<i64> = carrier::Entity::find()
        .select_only()
        .column(carrier::Column::Id)
        .order_by_asc(carrier::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut check = Check { carriers: carriers.len(), ..Check::default() };
    for carrier in carriers {
        let txn = db::begin_write(db).await?;
        let stored = derived(&txn, carrier).await?;
        let units = unit::Entity::find().filter(unit::Column::CarrierId.eq(carrier)).all(&txn).await?;
        for unit in &units {
            rebuild_ledger(&txn, unit).await?;
        }
        refresh_days(&txn, carrier, None).await?;
        refresh_leased(&txn, carrier).await?;
        let rebuilt = derived(&txn, carrier).await?;
        txn.rollback().await?;
        check.units += units.len();
        let mut differs = |table: &str, stored: usize, rebuilt: usize| {
            check.differences.push(format!(
                "carrier {carrier}: {table} differs from its rebuild ({stored} rows stored, {rebuilt} rebuilt)"
            ));
        };
        if stored.ledger != rebuilt.ledger {
            differs("area_ledger", stored.ledger.len(), rebuilt.ledger.len());
        }
        if stored.days != rebuilt.days {
            differs("carrier_area_days", stored.days.len(), rebuilt.days.len());
        }
        if stored.leased != rebuilt.leased {
            differs("carrier_leased_days", stored.leased.len(), rebuilt.leased.len());
        }
    }
    check.double_bookings = double_bookings(db).await?;
    Ok(check)
}

/// Pairs of bookings of one unit whose spans (first day included, end excluded; no end is open)
/// share a day. The database refuses them on insert; this looks at what is there.
async fn double_bookings(db: &impl ConnectionTrait) -> Result<i64> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT COUNT(*) FROM lease_units a JOIN lease_units b ON a.unit_id = b.unit_id AND a.id < b.id
             WHERE (a.ends_on IS NULL OR a.starts_on < a.ends_on) AND (b.ends_on IS NULL OR b.starts_on < b.ends_on)
               AND (b.ends_on IS NULL OR a.starts_on < b.ends_on) AND (a.ends_on IS NULL OR b.starts_on < a.ends_on)",
        ))
        .await?;
    Ok(row.map(|r| r.try_get_by_index::<i64>(0)).transpose()?.unwrap_or(0))
}
