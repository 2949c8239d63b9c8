//! Leases: signing (on admission), renewal, early end and termination, each a dated event; the
//! rent roll; and occupancy on any day.
//!
//! A unit is never in two leases on the same day. The database itself refuses it — an exclusion
//! constraint on PostgreSQL, triggers on SQLite — inside the transaction that writes the lease,
//! so two operators racing for a unit cannot both win; the check before the insert only makes
//! the loser's message name the unit.

use crate::area::{self, AreaScope};
use crate::audit::{self, By, Change};
use crate::entity::{carrier, lease, lease_event, lease_unit, startup, tenant_event, unit};
use crate::policy::{self, Actor, Permit};
use crate::spaces;
use crate::{Result, ServiceError, db};
use chrono::NaiveDate;
use domain::space::{Availability, monthly_list_rent};
use domain::tenancy::lease::{
    DateRange, LeaseEvent, LeaseEventKind, LeaseState, LeaseTerms, LeaseView, LeasedUnit, Occupancy, RentForEquity,
    RentRollRow, allocate,
};
use domain::tenancy::startup::TenantStage;
use domain::{Area, CarrierId, FieldErrors, Money, Problem, StartupId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use std::collections::BTreeMap;

pub(crate) const OVERLAP_MESSAGE: &str = "lease_overlap";

/// Whether `err` is the database refusing a double booking.
pub(crate) fn is_overlap(err: &DbErr) -> bool {
    let text = err.to_string();
    text.contains(OVERLAP_MESSAGE) || text.contains("ex_lease_units_overlap") || text.contains("23P01")
}

/// Lease units booked on some day of `period`, condition form.
fn overlapping(period: &DateRange) -> Condition {
    let mut condition = Condition::all();
    if let Some(end) = period.end {
        condition = condition.add(lease_unit::Column::StartsOn.lt(end));
    }
    condition.add(
        Condition::any().add(lease_unit::Column::EndsOn.is_null()).add(lease_unit::Column::EndsOn.gt(period.start)),
    )
}

/// Lease units running on `on`.
fn running_on(on: NaiveDate) -> Condition {
    Condition::all()
        .add(lease_unit::Column::StartsOn.lte(on))
        .add(Condition::any().add(lease_unit::Column::EndsOn.is_null()).add(lease_unit::Column::EndsOn.gt(on)))
}

/// Signs a lease for `startup` at `carrier`, inside the caller's transaction. The units must be
/// the carrier's, in service when the lease starts, and free for all of its days.
pub(crate) async fn sign(
    txn: &impl ConnectionTrait,
    permit: Permit<'_>,
    carrier: &carrier::Model,
    startup: StartupId,
    application: Option<i64>,
    terms: &LeaseTerms,
) -> Result<i64> {
    use domain::tenancy::lease::field;
    if terms.rent_for_equity.is_some()
        && carrier.operating_model != domain::carrier::OperatingModel::LandlordShareholder.code()
    {
        return Err(FieldErrors::single(field::EQUITY_MONTHS, Problem::EquityNeedsShareholderModel).into());
    }
    let units = unit::Entity::find().filter(unit::Column::Id.is_in(terms.units.iter().copied())).all(txn).await?;
    let mut weights = Vec::new();
    let mut usable = Vec::new();
    for id in &terms.units {
        let Some(unit) = units.iter().find(|u| u.id == *id && u.carrier_id == carrier.id) else {
            return Err(FieldErrors::single(field::UNITS, Problem::UnitUnavailable { unit: id.to_string() }).into());
        };
        let view = spaces::unit_state_on(txn, unit, terms.period.start).await?;
        match view {
            Some((spec, Availability::InService)) => {
                weights.push(monthly_list_rent(spec.rent, spec.usable, spec.desks).fen());
                usable.push(spec.usable.hundredths());
            }
            _ => {
                return Err(
                    FieldErrors::single(field::UNITS, Problem::UnitUnavailable { unit: unit.code.clone() }).into()
                );
            }
        }
        let taken = lease_unit::Entity::find()
            .filter(lease_unit::Column::UnitId.eq(unit.id))
            .filter(overlapping(&terms.period))
            .one(txn)
            .await?;
        if taken.is_some() {
            return Err(ServiceError::Conflict(FieldErrors::single(
                field::UNITS,
                Problem::UnitTaken { unit: unit.code.clone() },
            )));
        }
    }
    // Without an agreed rent the units are let at their list rent. The rent is split over the
    // units by their list rent (by area when none has one), to the fen.
    let monthly_rent = terms.monthly_rent.unwrap_or_else(|| Money::from_fen(weights.iter().sum()));
    let shares = if weights.iter().all(|w| *w == 0) {
        allocate(monthly_rent, &usable)
    } else {
        allocate(monthly_rent, &weights)
    };

    let now = crate::now();
    let equity = terms.rent_for_equity;
    let row = lease::ActiveModel {
        carrier_id: Set(carrier.id),
        startup_id: Set(startup.0),
        application_id: Set(application),
        state: Set(LeaseState::Active.code().to_owned()),
        starts_on: Set(terms.period.start),
        ends_on: Set(terms.period.end),
        monthly_rent_fen: Set(monthly_rent.fen()),
        rent_free_months: Set(i32::try_from(terms.rent_free_months).unwrap_or(0)),
        deposit_fen: Set(terms.deposit.fen()),
        equity_months: Set(equity.map(|e| i32::try_from(e.months).unwrap_or(0))),
        equity_monthly_fen: Set(equity.map(|e| e.monthly_amount.fen())),
        equity_valuation_fen: Set(equity.map(|e| e.valuation.fen())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    for (id, share) in terms.units.iter().zip(shares) {
        let Some(unit) = units.iter().find(|u| u.id == *id) else { continue };
        let booked = lease_unit::ActiveModel {
            lease_id: Set(row.id),
            unit_id: Set(unit.id),
            floor_id: Set(unit.floor_id),
            building_id: Set(unit.building_id),
            site_id: Set(unit.site_id),
            carrier_id: Set(unit.carrier_id),
            starts_on: Set(terms.period.start),
            ends_on: Set(terms.period.end),
            monthly_rent_fen: Set(share.fen()),
            ..Default::default()
        }
        .insert(txn)
        .await;
        if let Err(err) = booked {
            return Err(if is_overlap(&err) {
                ServiceError::Conflict(FieldErrors::single(
                    field::UNITS,
                    Problem::UnitTaken { unit: unit.code.clone() },
                ))
            } else {
                ServiceError::Db(err)
            });
        }
    }
    let bookings: Vec<spaces::Booking> = terms
        .units
        .iter()
        .map(|&unit| spaces::Booking { unit, starts_on: terms.period.start, ends_on: terms.period.end })
        .collect();
    spaces::move_leased(txn, carrier.id, &bookings, 1).await?;
    lease_event::ActiveModel {
        lease_id: Set(row.id),
        kind: Set(LeaseEventKind::Signed.code().to_owned()),
        on_date: Set(domain::tenancy::lease::signed_on(crate::today(), terms.period.start)),
        previous_end: Set(None),
        new_end: Set(terms.period.end),
        reason: Set(String::new()),
        author_email: Set(permit.actor().email.clone()),
        recorded_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    // Signing makes the startup a tenant in incubation from the lease's first day, unless it is
    // incubating here already (a second lease); one that graduated or left starts again.
    let latest = tenant_event::Entity::find()
        .filter(tenant_event::Column::StartupId.eq(startup.0))
        .filter(tenant_event::Column::CarrierId.eq(carrier.id))
        // The lifecycle in the order it was recorded, as the tenants page reads it.
        .order_by_desc(tenant_event::Column::Id)
        .one(txn)
        .await?;
    if latest.is_none_or(|e| e.stage != TenantStage::Incubating.code()) {
        crate::tenancy::tenants::record_event(
            txn,
            permit,
            CarrierId(carrier.id),
            startup,
            TenantStage::Incubating,
            terms.period.start,
            None,
            "",
        )
        .await?;
    }
    audit::record(
        txn,
        By::Actor(permit),
        Change {
            action: "sign",
            entity_type: "lease",
            entity_id: row.id,
            carrier: Some(CarrierId(carrier.id)),
            startup: Some(startup),
            before: None,
            after: audit::snapshot(terms),
        },
    )
    .await?;
    Ok(row.id)
}

/// Renews a lease, ends it early or terminates it, as of the new last day.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, lease_id = ?lease_id))]
pub async fn record_event(
    db: &sea_orm::DatabaseConnection,
    actor: &Actor,
    lease_id: i64,
    event: &LeaseEvent,
) -> Result<()> {
    use domain::tenancy::lease::field;
    let txn = db::begin_write(db).await?;
    let row = lease::Entity::find_by_id(lease_id).one(&txn).await?;
    let row = match row {
        Some(row) => row,
        None => return Err(policy::hidden(actor)),
    };
    let carrier = CarrierId(row.carrier_id);
    let permit = policy::operate_carrier(actor, carrier)?;
    if row.state != LeaseState::Active.code() {
        return Err(FieldErrors::single("kind", Problem::LeaseNotActive).into());
    }
    let current = DateRange { start: row.starts_on, end: row.ends_on };
    let valid = match event.kind {
        LeaseEventKind::Renewed => current.end.is_some_and(|end| event.new_end > end),
        LeaseEventKind::EndedEarly | LeaseEventKind::Terminated => {
            event.new_end > row.starts_on && current.end.is_none_or(|end| event.new_end < end)
        }
        LeaseEventKind::Signed => false,
    };
    if !valid {
        return Err(FieldErrors::single(field::NEW_END, Problem::BadLeaseEnd).into());
    }
    let state = match event.kind {
        LeaseEventKind::Terminated => LeaseState::Terminated,
        LeaseEventKind::EndedEarly => LeaseState::Ended,
        _ => LeaseState::Active,
    };
    // Only if the lease is still as it was read: two changes made at once cannot both apply.
    let mut unchanged =
        Condition::all().add(lease::Column::Id.eq(lease_id)).add(lease::Column::State.eq(LeaseState::Active.code()));
    unchanged = match row.ends_on {
        Some(end) => unchanged.add(lease::Column::EndsOn.eq(end)),
        None => unchanged.add(lease::Column::EndsOn.is_null()),
    };
    let updated = lease::Entity::update_many()
        .col_expr(lease::Column::EndsOn, Expr::value(Some(event.new_end)))
        .col_expr(lease::Column::State, Expr::value(state.code()))
        .col_expr(lease::Column::UpdatedAt, Expr::value(crate::now()))
        .filter(unchanged)
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(ServiceError::Stale);
    }
    let booked = lease_unit::Entity::find().filter(lease_unit::Column::LeaseId.eq(lease_id)).all(&txn).await?;
    let codes: BTreeMap<i64, String> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(booked.iter().map(|b| b.unit_id)))
        .all(&txn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.code))
        .collect();
    let taken = |unit_id: i64| {
        ServiceError::Conflict(FieldErrors::single(
            field::NEW_END,
            Problem::UnitTaken { unit: codes.get(&unit_id).cloned().unwrap_or_else(|| unit_id.to_string()) },
        ))
    };
    // A renewal must not run into another lease of the same unit. The database would refuse it
    // too (and on PostgreSQL that aborts the transaction), so ask first to name the unit.
    let extended = DateRange { start: row.starts_on, end: Some(event.new_end) };
    for unit_row in &booked {
        let other = lease_unit::Entity::find()
            .filter(lease_unit::Column::UnitId.eq(unit_row.unit_id))
            .filter(lease_unit::Column::LeaseId.ne(lease_id))
            .filter(overlapping(&extended))
            .one(&txn)
            .await?;
        if other.is_some() {
            return Err(taken(unit_row.unit_id));
        }
    }
    let before: Vec<spaces::Booking> = booked.iter().map(spaces::Booking::from).collect();
    let after: Vec<spaces::Booking> =
        before.iter().map(|b| spaces::Booking { ends_on: Some(event.new_end), ..*b }).collect();
    for unit_row in booked {
        let unit_id = unit_row.unit_id;
        let mut model: lease_unit::ActiveModel = unit_row.into();
        model.ends_on = Set(Some(event.new_end));
        if let Err(err) = model.update(&txn).await {
            return Err(if is_overlap(&err) { taken(unit_id) } else { ServiceError::Db(err) });
        }
    }
    spaces::move_leased(&txn, row.carrier_id, &before, -1).await?;
    spaces::move_leased(&txn, row.carrier_id, &after, 1).await?;
    let on = event.new_end.pred_opt().unwrap_or(event.new_end);
    lease_event::ActiveModel {
        lease_id: Set(lease_id),
        kind: Set(event.kind.code().to_owned()),
        on_date: Set(on),
        previous_end: Set(row.ends_on),
        new_end: Set(Some(event.new_end)),
        reason: Set(event.reason.clone()),
        author_email: Set(actor.email.clone()),
        recorded_at: Set(crate::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        By::Actor(permit),
        Change {
            action: event.kind.code(),
            entity_type: "lease",
            entity_id: lease_id,
            carrier: Some(carrier),
            startup: Some(StartupId(row.startup_id)),
            before: audit::snapshot(&serde_json::json!({ "state": row.state, "ends_on": row.ends_on })),
            after: audit::snapshot(
                &serde_json::json!({ "state": state, "ends_on": event.new_end, "reason": event.reason }),
            ),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// One lease with its units and events: for the tenant's members, the carrier's operators and
/// the bureau.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, lease_id = ?lease_id))]
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, lease_id: i64) -> Result<LeaseView> {
    policy::signed_in(Some(actor))?;
    let row = lease::Entity::find_by_id(lease_id).one(db).await?;
    let row = match row {
        Some(row) => row,
        None => return Err(policy::hidden(actor)),
    };
    let carrier = CarrierId(row.carrier_id);
    let startup = StartupId(row.startup_id);
    policy::read_lease(actor, carrier, startup)?;
    view(db, &row, policy::operate_carrier(actor, carrier).is_ok()).await
}

async fn view(db: &impl ConnectionTrait, row: &lease::Model, can_manage: bool) -> Result<LeaseView> {
    let carrier_row = carrier::Entity::find_by_id(row.carrier_id).one(db).await?.ok_or(ServiceError::NotFound)?;
    let startup_row = startup::Entity::find_by_id(row.startup_id).one(db).await?.ok_or(ServiceError::NotFound)?;
    let booked = lease_unit::Entity::find().filter(lease_unit::Column::LeaseId.eq(row.id)).all(db).await?;
    let (models, names) = booked_units(db, &booked).await?;
    let states = spaces::UnitStates::load(db, models.keys().copied()).await?;
    let mut units = Vec::new();
    for b in &booked {
        let Some(u) = models.get(&b.unit_id) else { continue };
        let usable = states.on(u.id, row.starts_on).map_or(Area::ZERO, |(spec, _)| spec.usable);
        units.push(LeasedUnit {
            id: u.id,
            code: u.code.clone(),
            name: names.get(&u.id).cloned().unwrap_or_else(|| u.code.clone()),
            floor_id: u.floor_id,
            usable,
            monthly_rent: Money::from_fen(b.monthly_rent_fen),
        });
    }
    let events = lease_event::Entity::find()
        .filter(lease_event::Column::LeaseId.eq(row.id))
        .order_by_asc(lease_event::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|e| Some((LeaseEventKind::from_code(&e.kind)?, e.on_date, e.reason, e.recorded_at)))
        .collect();
    let state = LeaseState::from_code(&row.state).unwrap_or(LeaseState::Active);
    let period = DateRange { start: row.starts_on, end: row.ends_on };
    Ok(LeaseView {
        id: row.id,
        carrier: CarrierId(row.carrier_id),
        carrier_name: carrier_row.name,
        startup: StartupId(row.startup_id),
        startup_name: startup_row.name,
        state,
        phase: domain::tenancy::lease::phase(state, period, crate::today()),
        period,
        units,
        monthly_rent: Money::from_fen(row.monthly_rent_fen),
        rent_free_months: u32::try_from(row.rent_free_months).unwrap_or(0),
        deposit: Money::from_fen(row.deposit_fen),
        rent_for_equity: match (row.equity_months, row.equity_monthly_fen, row.equity_valuation_fen) {
            (Some(months), Some(amount), Some(valuation)) => Some(RentForEquity {
                months: u32::try_from(months).unwrap_or(0),
                monthly_amount: Money::from_fen(amount),
                valuation: Money::from_fen(valuation),
            }),
            _ => None,
        },
        events,
        can_manage,
    })
}

/// How many of a startup's leases its page shows, newest first. A startup rents a few at a time;
/// the bound keeps a page (and its queries, several per lease) from growing with a long history.
pub const LEASES_SHOWN: u64 = 50;

/// The leases of a startup, newest first (at most [`LEASES_SHOWN`]): for its members and the
/// bureau all of them, for an operator those of its carriers.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, startup = ?startup))]
pub async fn of_startup(db: &impl ConnectionTrait, actor: &Actor, startup: StartupId) -> Result<Vec<LeaseView>> {
    crate::policy::read_startup(db, actor, startup).await?;
    let mut find = lease::Entity::find().filter(lease::Column::StartupId.eq(startup.0));
    if !(actor.belongs_to(startup) || actor.bureau) {
        find = find.filter(lease::Column::CarrierId.is_in(actor.carriers.iter().map(|c| c.0)));
    }
    let rows = find
        .order_by_desc(lease::Column::StartsOn)
        .order_by_desc(lease::Column::Id)
        .limit(LEASES_SHOWN)
        .all(db)
        .await?;
    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        views.push(view(db, &row, actor.operates(CarrierId(row.carrier_id))).await?);
    }
    Ok(views)
}

#[derive(Debug, FromQueryResult)]
struct LeasedSums {
    units: i64,
    usable: i64,
}

#[derive(Debug, FromQueryResult)]
struct RentSum {
    rent: i64,
}

const LEASE_PLACE: area::PlaceColumns<lease_unit::Column> = area::PlaceColumns {
    unit: lease_unit::Column::UnitId,
    floor: lease_unit::Column::FloorId,
    building: lease_unit::Column::BuildingId,
    site: lease_unit::Column::SiteId,
    carrier: lease_unit::Column::CarrierId,
};

fn lease_scope(scope: AreaScope, on: NaiveDate) -> Condition {
    area::scope_condition(scope, &LEASE_PLACE, on)
}

/// Occupancy of `scope` on `on`: in-service units, usable area and list rent (from the area
/// ledger), against those leased that day, and the rent of the leases running.
pub async fn occupancy(db: &impl ConnectionTrait, scope: AreaScope, on: NaiveDate) -> Result<Occupancy> {
    use crate::entity::area_ledger;
    let available = area::totals(db, scope, on).await?;
    let leased_units = sea_orm::sea_query::Query::select()
        .column(lease_unit::Column::UnitId)
        .from(lease_unit::Entity)
        .cond_where(lease_scope(scope, on).add(running_on(on)))
        .to_owned();
    // Leased units counted only while in service: their ledger rows outside the out-of-service
    // bucket.
    let leased = area_ledger::Entity::find()
        .select_only()
        .column_as(Expr::cust("CAST(COALESCE(SUM(delta_units), 0) AS BIGINT)"), "units")
        .column_as(Expr::cust("CAST(COALESCE(SUM(delta_usable), 0) AS BIGINT)"), "usable")
        .filter(area_ledger::Column::UnitId.in_subquery(leased_units))
        .filter(area_ledger::Column::Bucket.ne(area::OUT_OF_SERVICE))
        .filter(area_ledger::Column::EffectiveOn.lte(on))
        .into_model::<LeasedSums>()
        .one(db)
        .await?
        .unwrap_or(LeasedSums { units: 0, usable: 0 });
    let rent = lease_unit::Entity::find()
        .select_only()
        .column_as(Expr::cust("CAST(COALESCE(SUM(monthly_rent_fen), 0) AS BIGINT)"), "rent")
        .filter(lease_scope(scope, on).add(running_on(on)))
        .into_model::<RentSum>()
        .one(db)
        .await?
        .map_or(0, |r| r.rent);
    Ok(Occupancy {
        units: available.units,
        units_leased: leased.units,
        area: available.total_usable(),
        area_leased: Area::from_hundredths(leased.usable),
        list_rent: available.list_rent,
        leased_rent: Money::from_fen(rent),
    })
}

/// Occupancy for an actor allowed to see it (as for area totals).
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0))]
pub async fn occupancy_for(
    db: &impl ConnectionTrait,
    actor: &Actor,
    scope: AreaScope,
    on: NaiveDate,
) -> Result<Occupancy> {
    spaces::area_totals(db, actor, scope, on).await?;
    occupancy(db, scope, on).await
}

/// The rent roll of a carrier on `on`: every lease running that day.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, carrier = ?carrier))]
pub async fn rent_roll(
    db: &impl ConnectionTrait,
    actor: &Actor,
    carrier: CarrierId,
    on: NaiveDate,
) -> Result<Vec<RentRollRow>> {
    policy::read_carrier(actor, carrier)?;
    let leases = lease::Entity::find()
        .filter(lease::Column::CarrierId.eq(carrier.0))
        .filter(lease::Column::StartsOn.lte(on))
        .filter(Condition::any().add(lease::Column::EndsOn.is_null()).add(lease::Column::EndsOn.gt(on)))
        .order_by_asc(lease::Column::EndsOn)
        .all(db)
        .await?;
    roll_rows(db, &leases, on).await
}

/// Leases of a carrier whose last day falls within `days` days from `on`.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, carrier = ?carrier))]
pub async fn expiring(
    db: &impl ConnectionTrait,
    actor: &Actor,
    carrier: CarrierId,
    on: NaiveDate,
    days: u64,
) -> Result<Vec<RentRollRow>> {
    policy::read_carrier(actor, carrier)?;
    // `ends_on` is the day after the last: a last day `days` ahead ends the day after.
    active_with_day_in(db, carrier, lease::Column::EndsOn, on, days + 1).await
}

/// Signed leases of a carrier whose first day falls within `days` days after `on`.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, carrier = ?carrier))]
pub async fn starting(
    db: &impl ConnectionTrait,
    actor: &Actor,
    carrier: CarrierId,
    on: NaiveDate,
    days: u64,
) -> Result<Vec<RentRollRow>> {
    policy::read_carrier(actor, carrier)?;
    active_with_day_in(db, carrier, lease::Column::StartsOn, on, days).await
}

/// The active leases of a carrier whose `day` falls after `on` and at most `days` days later,
/// in that order, as rent-roll rows on `on`.
async fn active_with_day_in(
    db: &impl ConnectionTrait,
    carrier: CarrierId,
    day: lease::Column,
    on: NaiveDate,
    days: u64,
) -> Result<Vec<RentRollRow>> {
    let until = on.checked_add_days(chrono::Days::new(days)).unwrap_or(on);
    let leases = lease::Entity::find()
        .filter(lease::Column::CarrierId.eq(carrier.0))
        .filter(lease::Column::State.eq(LeaseState::Active.code()))
        .filter(day.gt(on))
        .filter(day.lte(until))
        .order_by_asc(day)
        .all(db)
        .await?;
    roll_rows(db, &leases, on).await
}

/// The units of some lease bookings by id, and their full names (`A座 3F·304`).
async fn booked_units(
    db: &impl ConnectionTrait,
    booked: &[lease_unit::Model],
) -> Result<(BTreeMap<i64, unit::Model>, BTreeMap<i64, String>)> {
    let units: Vec<unit::Model> =
        unit::Entity::find().filter(unit::Column::Id.is_in(booked.iter().map(|b| b.unit_id))).all(db).await?;
    let names = spaces::unit_names(db, &units).await?;
    Ok((units.into_iter().map(|u| (u.id, u)).collect(), names))
}

async fn roll_rows(db: &impl ConnectionTrait, leases: &[lease::Model], on: NaiveDate) -> Result<Vec<RentRollRow>> {
    let startup_ids: Vec<i64> = leases.iter().map(|l| l.startup_id).collect();
    let names: BTreeMap<i64, String> = startup::Entity::find()
        .filter(startup::Column::Id.is_in(startup_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    // Every lease's units, and the units themselves, in two queries for the whole roll.
    let booked = lease_unit::Entity::find()
        .filter(lease_unit::Column::LeaseId.is_in(leases.iter().map(|l| l.id)))
        .order_by_asc(lease_unit::Column::Id)
        .all(db)
        .await?;
    let (units, unit_names) = booked_units(db, &booked).await?;
    let states = spaces::UnitStates::load(db, units.keys().copied()).await?;
    let mut rows = Vec::new();
    for lease in leases {
        let mut codes = Vec::new();
        let mut usable = Area::ZERO;
        for b in booked.iter().filter(|b| b.lease_id == lease.id) {
            if let Some(u) = units.get(&b.unit_id) {
                let day = on.max(lease.starts_on);
                usable = usable + states.on(u.id, day).map_or(Area::ZERO, |(spec, _)| spec.usable);
                codes.push(unit_names.get(&u.id).cloned().unwrap_or_else(|| u.code.clone()));
            }
        }
        let rent = Money::from_fen(lease.monthly_rent_fen);
        rows.push(RentRollRow {
            lease: lease.id,
            units: codes,
            tenant: names.get(&lease.startup_id).cloned().unwrap_or_default(),
            usable,
            monthly_rent: rent,
            rent_per_m2: RentRollRow::per_m2(rent, usable),
            starts_on: lease.starts_on,
            expires_on: DateRange { start: lease.starts_on, end: lease.ends_on }.last_day(),
            deposit: Money::from_fen(lease.deposit_fen),
        });
    }
    Ok(rows)
}
