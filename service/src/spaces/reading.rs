//! Reading a carrier's spaces: floor views, units on a day, the area page.

use super::access::{manage, readable_carrier};
use super::units::{State, fold, histories_of, history_of, state_on};
use crate::area::{AreaScope, OUT_OF_SERVICE, floor_totals, month_ends, totals};
use crate::entity::{area_ledger, building, carrier, floor, lease, lease_unit, site, startup, unit, unit_change};
use crate::policy::{self, Actor};
use crate::{Result, ServiceError};
use chrono::NaiveDate;
use domain::space::{
    AreaReport, Availability, BuildingTree, ChangeEntry, ChangeKind, FloorSummary, FloorView, Occupant, SiteTree,
    UnitStatus, UnitView,
};
use domain::{Area, CarrierId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::BTreeMap;

/// The status a unit shows on the floor view on `on`.
fn status_of(state: &State) -> UnitStatus {
    match state.availability {
        Availability::OutOfService | Availability::Removed => UnitStatus::OutOfService,
        Availability::InService => UnitStatus::Vacant,
    }
}

/// A floor with its units as they were on `on`.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, floor_id = ?floor_id))]
pub async fn floor_view(db: &impl ConnectionTrait, actor: &Actor, floor_id: i64, on: NaiveDate) -> Result<FloorView> {
    let carrier = readable_carrier(db, actor, AreaScope::Floor(floor_id)).await?;
    let floor = floor::Entity::find_by_id(floor_id).one(db).await?.ok_or(ServiceError::NotFound)?;
    let building = building::Entity::find_by_id(floor.building_id).one(db).await?.ok_or(ServiceError::NotFound)?;
    let site = site::Entity::find_by_id(building.site_id).one(db).await?.ok_or(ServiceError::NotFound)?;
    let carrier_row = carrier::Entity::find_by_id(carrier.0).one(db).await?.ok_or(ServiceError::NotFound)?;
    let units = unit::Entity::find()
        .filter(unit::Column::FloorId.eq(floor_id))
        .order_by_asc(unit::Column::Code)
        .all(db)
        .await?;
    let bookings = bookings_on_floor(db, floor_id, on).await?;
    let mut histories = histories_of(db, units.iter().map(|u| u.id)).await?;
    let mut views = Vec::new();
    for unit in units {
        let states = fold(&histories.remove(&unit.id).unwrap_or_default())?;
        let Some(state) = state_on(&states, on) else { continue };
        if state.availability == Availability::Removed {
            continue;
        }
        let booking = bookings.get(&unit.id);
        let status = match (status_of(&state), booking) {
            (UnitStatus::Vacant, Some((true, _))) => UnitStatus::Leased,
            (UnitStatus::Vacant, Some((false, _))) => UnitStatus::Reserved,
            (status, _) => status,
        };
        views.push(UnitView {
            id: unit.id,
            code: unit.code,
            spec: state.spec,
            availability: state.availability,
            status,
            tenant: booking.map(|(_, occupant)| occupant.clone()),
        });
    }
    Ok(FloorView {
        id: floor.id,
        carrier,
        carrier_name: carrier_row.name,
        site: site.name,
        building: building.name,
        label: floor.label,
        on,
        units: views,
        totals: totals(db, AreaScope::Floor(floor_id), on).await?,
        can_edit: manage(actor, carrier).is_ok(),
    })
}

/// Every floor of a carrier with its units as on `on` (for choosing units to let).
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, carrier = ?carrier))]
pub async fn floors_of(
    db: &impl ConnectionTrait,
    actor: &Actor,
    carrier: CarrierId,
    on: NaiveDate,
) -> Result<Vec<FloorView>> {
    policy::read_carrier(actor, carrier)?;
    let floors = floor::Entity::find()
        .filter(floor::Column::CarrierId.eq(carrier.0))
        .order_by_asc(floor::Column::BuildingId)
        .order_by_asc(floor::Column::Level)
        .order_by_asc(floor::Column::Label)
        .all(db)
        .await?;
    let mut views = Vec::with_capacity(floors.len());
    for floor in floors {
        views.push(floor_view(db, actor, floor.id, on).await?);
    }
    Ok(views)
}

/// One unit as it was on `on`, with its code, for the change form.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, unit_id = ?unit_id))]
pub async fn unit_on(db: &impl ConnectionTrait, actor: &Actor, unit_id: i64, on: NaiveDate) -> Result<UnitView> {
    readable_carrier(db, actor, AreaScope::Unit(unit_id)).await?;
    let unit = unit::Entity::find_by_id(unit_id).one(db).await?.ok_or(ServiceError::NotFound)?;
    let states = fold(&history_of(db, unit.id).await?)?;
    let state = state_on(&states, on).or(states.last().map(|(_, s)| *s)).ok_or(ServiceError::NotFound)?;
    Ok(UnitView {
        id: unit.id,
        code: unit.code,
        spec: state.spec,
        availability: state.availability,
        status: status_of(&state),
        tenant: None,
    })
}

/// Everything the carrier's area page shows, as on `on`.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, carrier = ?carrier))]
pub async fn area_report(
    db: &impl ConnectionTrait,
    actor: &Actor,
    carrier: CarrierId,
    on: NaiveDate,
) -> Result<AreaReport> {
    policy::read_carrier(actor, carrier)?;
    let carrier_row = carrier::Entity::find_by_id(carrier.0).one(db).await?.ok_or(ServiceError::NotFound)?;
    let totals_on = totals(db, AreaScope::Carrier(carrier), on).await?;

    // Month-end totals: the carrier's ledger, accumulated once.
    #[derive(Debug, FromQueryResult)]
    struct DaySum {
        effective_on: NaiveDate,
        gross: i64,
    }
    let days = area_ledger::Entity::find()
        .select_only()
        .column(area_ledger::Column::EffectiveOn)
        .column_as(Expr::cust("CAST(SUM(delta_gross) AS BIGINT)"), "gross")
        .filter(area_ledger::Column::CarrierId.eq(carrier.0))
        .filter(area_ledger::Column::Bucket.ne(OUT_OF_SERVICE))
        .filter(area_ledger::Column::EffectiveOn.lte(on))
        .group_by(area_ledger::Column::EffectiveOn)
        .order_by_asc(area_ledger::Column::EffectiveOn)
        .into_model::<DaySum>()
        .all(db)
        .await?;
    let series = month_ends(on, 24)
        .into_iter()
        .map(|end| (end, Area::from_hundredths(days.iter().filter(|d| d.effective_on <= end).map(|d| d.gross).sum())))
        .collect();

    Ok(AreaReport {
        carrier,
        carrier_name: carrier_row.name,
        on,
        totals: totals_on,
        sites: tree(db, carrier, on).await?,
        series,
        history: history(db, carrier, 50).await?,
        can_edit: manage(actor, carrier).is_ok(),
    })
}

/// The carrier's sites, buildings and floors, with each floor's units and area on `on`.
async fn tree(db: &impl ConnectionTrait, carrier: CarrierId, on: NaiveDate) -> Result<Vec<SiteTree>> {
    let sites = site::Entity::find()
        .filter(site::Column::CarrierId.eq(carrier.0))
        .order_by_asc(site::Column::Id)
        .all(db)
        .await?;
    let buildings = building::Entity::find()
        .filter(building::Column::CarrierId.eq(carrier.0))
        .order_by_asc(building::Column::Id)
        .all(db)
        .await?;
    let floors = floor::Entity::find()
        .filter(floor::Column::CarrierId.eq(carrier.0))
        .order_by_asc(floor::Column::Level)
        .order_by_asc(floor::Column::Label)
        .all(db)
        .await?;
    let floor_totals = floor_totals(db, carrier, on).await?;
    let mut out = Vec::new();
    for site in sites {
        let mut site_tree = SiteTree { id: site.id, name: site.name, address: site.address, buildings: Vec::new() };
        for building in buildings.iter().filter(|b| b.site_id == site.id) {
            let mut floor_list = Vec::new();
            for floor in floors.iter().filter(|f| f.building_id == building.id) {
                let totals = floor_totals.get(&floor.id).cloned().unwrap_or_default();
                floor_list.push(FloorSummary {
                    id: floor.id,
                    label: floor.label.clone(),
                    units: totals.units,
                    gross: totals.total_gross(),
                });
            }
            site_tree.buildings.push(BuildingTree { id: building.id, name: building.name.clone(), floors: floor_list });
        }
        out.push(site_tree);
    }
    Ok(out)
}

/// The latest `limit` changes of a carrier's units, newest recorded first.
async fn history(db: &impl ConnectionTrait, carrier: CarrierId, limit: u64) -> Result<Vec<ChangeEntry>> {
    let changes = unit_change::Entity::find()
        .filter(unit_change::Column::CarrierId.eq(carrier.0))
        .order_by_desc(unit_change::Column::RecordedAt)
        .order_by_desc(unit_change::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let unit_ids: Vec<i64> = changes.iter().map(|c| c.unit_id).collect();
    let units: BTreeMap<i64, unit::Model> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(unit_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let floors: BTreeMap<i64, String> = floor::Entity::find()
        .filter(floor::Column::CarrierId.eq(carrier.0))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f.label))
        .collect();
    let histories = histories_of(db, units.keys().copied()).await?;
    let mut entries = Vec::new();
    for change in changes {
        let Some(unit) = units.get(&change.unit_id) else { continue };
        let states = fold(histories.get(&unit.id).map_or(&[][..], Vec::as_slice))?;
        let gross_after = if change.availability == Availability::InService.code() {
            Area::from_hundredths(change.gross_area)
        } else {
            Area::ZERO
        };
        let before_day = change.effective_on.pred_opt().unwrap_or(change.effective_on);
        let gross_before = state_on(&states, before_day)
            .filter(|s| s.availability == Availability::InService && change.change != ChangeKind::Added.code())
            .map_or(Area::ZERO, |s| s.spec.gross);
        entries.push(ChangeEntry {
            unit: unit.code.clone(),
            floor: floors.get(&unit.floor_id).cloned().unwrap_or_default(),
            kind: ChangeKind::from_code(&change.change).unwrap_or(ChangeKind::Edited),
            effective_on: change.effective_on,
            reason: change.reason,
            author: change.author_email,
            recorded_at: change.recorded_at,
            gross_before,
            gross_after,
        });
    }
    Ok(entries)
}

/// Which units of a floor are leased or reserved on `on`, and by whom: `unit → (leased, tenant)`
/// where `leased` is false for a lease that starts later (reserved).
async fn bookings_on_floor(
    db: &impl ConnectionTrait,
    floor_id: i64,
    on: NaiveDate,
) -> Result<BTreeMap<i64, (bool, Occupant)>> {
    let booked = lease_unit::Entity::find()
        .filter(lease_unit::Column::FloorId.eq(floor_id))
        .filter(Condition::any().add(lease_unit::Column::EndsOn.is_null()).add(lease_unit::Column::EndsOn.gt(on)))
        .all(db)
        .await?;
    let lease_ids: Vec<i64> = booked.iter().map(|b| b.lease_id).collect();
    let leases: BTreeMap<i64, i64> = lease::Entity::find()
        .filter(lease::Column::Id.is_in(lease_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.startup_id))
        .collect();
    let startup_ids: Vec<i64> = leases.values().copied().collect();
    let names: BTreeMap<i64, String> = startup::Entity::find()
        .filter(startup::Column::Id.is_in(startup_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let mut out: BTreeMap<i64, (bool, Occupant)> = BTreeMap::new();
    for b in booked {
        let leased = b.starts_on <= on;
        let startup = leases.get(&b.lease_id).copied().unwrap_or_default();
        let occupant = Occupant {
            lease: b.lease_id,
            startup: domain::StartupId(startup),
            name: names.get(&startup).cloned().unwrap_or_default(),
        };
        // A running lease wins over a later one for the same unit.
        match out.get(&b.unit_id) {
            Some((true, _)) => {}
            _ => {
                out.insert(b.unit_id, (leased, occupant));
            }
        }
    }
    Ok(out)
}
