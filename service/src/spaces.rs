//! Sites, buildings, floors and units, and their floor area over time.
//!
//! A unit's history is a list of dated changes (`unit_changes`). Its state on a day is the fold
//! of its changes up to that day, in date order. From that history each unit keeps a ledger of
//! how its area moved (`area_ledger`), rebuilt whole whenever the unit changes; the area of a
//! unit, floor, building, site, carrier, district or the city on any day is the sum of the
//! ledger rows in scope up to that day — one query shape for every level, so the levels
//! reconcile exactly.
//!
//! The ledger is also summed per carrier and day (`carrier_area_days`), in the same transaction
//! as every rebuild: district and city figures read that roll-up, one row per carrier and change
//! day, instead of a row per unit.

use crate::audit::{self, By, Change as AuditChange};
use crate::authz::{self, Actor};
use crate::entity::{
    area_ledger, building, carrier, carrier_area_day, carrier_leased_day, floor, lease_unit, site, unit, unit_change,
    unit_import,
};
use crate::{Result, ServiceError, db};
use chrono::{Datelike, Months, NaiveDate, Utc};
use domain::space::{
    self, AreaReport, AreaTotals, Availability, BuildingTree, Change, ChangeAction, ChangeEntry, ChangeKind,
    FloorSummary, FloorView, ImportProblem, ImportReport, ListRent, PlaceForm, RentBasis, SiteTree, UnitKind,
    UnitRecord, UnitSpec, UnitStatus, UnitView, UseCategory, field,
};
use domain::{Area, CarrierId, DistrictId, FieldErrors, Money, Problem};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select, Set,
};
use std::collections::{BTreeMap, HashMap};

/// The version of the area ledgers' layout; ledgers written under an older one are rebuilt.
const LEDGER_VERSION: &str = "3";

/// Rebuilds every unit's ledger if they were written by an older version (the ledger is derived
/// from the units' histories, so this loses nothing). Returns how many units were rebuilt.
pub async fn ensure_ledgers(db: &DatabaseConnection) -> Result<usize> {
    use crate::entity::maintenance;
    let current = maintenance::Entity::find_by_id("ledger_version".to_owned()).one(db).await?;
    if current.as_ref().is_some_and(|m| m.value == LEDGER_VERSION) {
        return Ok(0);
    }
    let txn = db::begin_write(db).await?;
    let units = unit::Entity::find().all(&txn).await?;
    for unit in &units {
        rebuild_ledger(&txn, unit).await?;
    }
    carrier_area_day::Entity::delete_many().exec(&txn).await?;
    carrier_leased_day::Entity::delete_many().exec(&txn).await?;
    let carriers: std::collections::BTreeSet<i64> = units.iter().map(|u| u.carrier_id).collect();
    for carrier in carriers {
        refresh_days(&txn, carrier, None).await?;
        refresh_leased(&txn, carrier).await?;
    }
    let marker =
        maintenance::ActiveModel { key: Set("ledger_version".to_owned()), value: Set(LEDGER_VERSION.to_owned()) };
    match current {
        Some(_) => {
            marker.update(&txn).await?;
        }
        None => {
            marker.insert(&txn).await?;
        }
    }
    txn.commit().await?;
    if !units.is_empty() {
        tracing::info!(units = units.len(), "area ledgers rebuilt");
    }
    Ok(units.len())
}

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

/// The totals of `scope` on `on`, for an actor allowed to see them: a carrier's own figures for
/// its operators and the bureau; district and city figures for the bureau.
pub async fn area_totals(
    db: &impl ConnectionTrait,
    actor: &Actor,
    scope: AreaScope,
    on: NaiveDate,
) -> Result<AreaTotals> {
    match scope {
        AreaScope::District(_) | AreaScope::City if !actor.bureau => return Err(ServiceError::Forbidden),
        AreaScope::District(_) | AreaScope::City => {}
        _ => authz::read_carrier(actor, carrier_of(db, scope).await?)?,
    }
    totals(db, scope, on).await
}

/// The carrier a place belongs to.
async fn carrier_of(db: &impl ConnectionTrait, scope: AreaScope) -> Result<CarrierId> {
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

/// Changing a carrier's spaces: its operators and the bureau.
/// Whether `actor` may import units into `carrier`: asked before the file is read.
pub fn may_import(actor: &Actor, carrier: CarrierId) -> Result<()> {
    manage(actor, carrier)
}

/// Changing a carrier's spaces: its operators only. The bureau reads every carrier's spaces but
/// does not change the records it supervises (README, "Accounts, roles and access").
fn manage(actor: &Actor, carrier: CarrierId) -> Result<()> {
    if actor.operates(carrier) { Ok(()) } else { Err(ServiceError::Forbidden) }
}

/// Reading a carrier's spaces, refusing operators of other carriers before revealing whether a
/// place exists.
async fn readable_carrier(db: &impl ConnectionTrait, actor: &Actor, scope: AreaScope) -> Result<CarrierId> {
    authz::carrier_scope(actor)?;
    let carrier = match carrier_of(db, scope).await {
        Err(ServiceError::NotFound) if !actor.bureau => return Err(ServiceError::Forbidden),
        other => other?,
    };
    authz::read_carrier(actor, carrier)?;
    Ok(carrier)
}

// ---- places -------------------------------------------------------------------------------

/// Adds a site (a campus or park with its address) to a carrier.
pub async fn create_site(db: &DatabaseConnection, actor: &Actor, carrier: CarrierId, form: &PlaceForm) -> Result<i64> {
    manage(actor, carrier)?;
    let mut errors = FieldErrors::new();
    let name = errors.check(field::NAME, domain::validation::text(&form.name, 1, 100));
    let address = errors.check(field::ADDRESS, domain::validation::text(&form.address, 2, 200));
    let (Some(name), Some(address)) = (name, address) else { return Err(errors.into()) };
    let txn = db::begin_write(db).await?;
    carrier::Entity::find_by_id(carrier.0).one(&txn).await?.ok_or(ServiceError::NotFound)?;
    if site::Entity::find()
        .filter(site::Column::CarrierId.eq(carrier.0))
        .filter(site::Column::Name.eq(name.as_str()))
        .count(&txn)
        .await?
        > 0
    {
        return Err(FieldErrors::single(field::NAME, Problem::CodeTaken).into());
    }
    let row = site::ActiveModel {
        carrier_id: Set(carrier.0),
        name: Set(name),
        address: Set(address),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record_place(&txn, actor, "site", row.id, carrier, serde_json::json!({ "name": row.name, "address": row.address }))
        .await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Adds a building to a site.
pub async fn create_building(db: &DatabaseConnection, actor: &Actor, site_id: i64, name: &str) -> Result<i64> {
    let parent = site::Entity::find_by_id(site_id).one(db).await?;
    let carrier = match &parent {
        Some(s) => CarrierId(s.carrier_id),
        None if actor.bureau => return Err(ServiceError::NotFound),
        None => return Err(ServiceError::Forbidden),
    };
    manage(actor, carrier)?;
    let name = domain::validation::text(name, 1, 100).map_err(|p| FieldErrors::single(field::NAME, p))?;
    let txn = db::begin_write(db).await?;
    if building::Entity::find()
        .filter(building::Column::SiteId.eq(site_id))
        .filter(building::Column::Name.eq(name.as_str()))
        .count(&txn)
        .await?
        > 0
    {
        return Err(FieldErrors::single(field::NAME, Problem::CodeTaken).into());
    }
    let row = building::ActiveModel {
        site_id: Set(site_id),
        carrier_id: Set(carrier.0),
        name: Set(name),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record_place(&txn, actor, "building", row.id, carrier, serde_json::json!({ "site": site_id, "name": row.name }))
        .await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Adds a floor to a building.
pub async fn create_floor(db: &DatabaseConnection, actor: &Actor, building_id: i64, label: &str) -> Result<i64> {
    let parent = building::Entity::find_by_id(building_id).one(db).await?;
    let carrier = match &parent {
        Some(b) => CarrierId(b.carrier_id),
        None if actor.bureau => return Err(ServiceError::NotFound),
        None => return Err(ServiceError::Forbidden),
    };
    manage(actor, carrier)?;
    let label = domain::validation::text(label, 1, 20).map_err(|p| FieldErrors::single(field::LABEL, p))?;
    let txn = db::begin_write(db).await?;
    let id = insert_floor(&txn, building_id, carrier, &label).await?;
    record_place(&txn, actor, "floor", id, carrier, serde_json::json!({ "building": building_id, "label": label }))
        .await?;
    txn.commit().await?;
    Ok(id)
}

async fn insert_floor(txn: &impl ConnectionTrait, building_id: i64, carrier: CarrierId, label: &str) -> Result<i64> {
    if floor::Entity::find()
        .filter(floor::Column::BuildingId.eq(building_id))
        .filter(floor::Column::Label.eq(label))
        .count(txn)
        .await?
        > 0
    {
        return Err(FieldErrors::single(field::LABEL, Problem::CodeTaken).into());
    }
    let row = floor::ActiveModel {
        building_id: Set(building_id),
        carrier_id: Set(carrier.0),
        label: Set(label.to_owned()),
        level: Set(space::floor_level(label)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(row.id)
}

async fn record_place(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    entity_type: &str,
    id: i64,
    carrier: CarrierId,
    after: serde_json::Value,
) -> Result<()> {
    audit::record(
        txn,
        By::Actor(actor),
        AuditChange {
            action: "create",
            entity_type,
            entity_id: id,
            carrier: Some(carrier),
            startup: None,
            before: None,
            after: Some(after),
        },
    )
    .await
}

// ---- units ----------------------------------------------------------------------------------

/// A unit's state on a day: what it is, and whether it can be let.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct State {
    spec: UnitSpec,
    availability: Availability,
}

fn spec_of(change: &unit_change::Model) -> Result<UnitSpec> {
    let corrupt = |what: &str| ServiceError::Corrupt(format!("unit change {} has a bad {what}", change.id));
    Ok(UnitSpec {
        kind: UnitKind::from_code(&change.kind).ok_or_else(|| corrupt("kind"))?,
        gross: Area::from_hundredths(change.gross_area),
        usable: Area::from_hundredths(change.usable_area),
        category: UseCategory::from_code(&change.use_category).ok_or_else(|| corrupt("category"))?,
        desks: change.desks.and_then(|d| u32::try_from(d).ok()),
        rent: match (change.list_rent_fen, change.rent_basis.as_deref()) {
            (Some(fen), Some(basis)) => Some(ListRent {
                amount: Money::from_fen(fen),
                basis: RentBasis::from_code(basis).ok_or_else(|| corrupt("rent basis"))?,
            }),
            _ => None,
        },
    })
}

/// Bit flags of the parts of a unit's specification a change sets (`unit_changes.set_fields`).
/// Gross and usable area go together, so that usable never exceeds gross.
pub(crate) mod spec_bit {
    pub const KIND: i32 = 1;
    pub const AREA: i32 = 2;
    pub const CATEGORY: i32 = 4;
    pub const DESKS: i32 = 8;
    pub const RENT: i32 = 16;
    pub const ALL: i32 = KIND | AREA | CATEGORY | DESKS | RENT;
}

/// The parts in which `after` differs from `before`.
fn spec_bits(before: &UnitSpec, after: &UnitSpec) -> i32 {
    let mut bits = 0;
    if before.kind != after.kind {
        bits |= spec_bit::KIND;
    }
    if before.gross != after.gross || before.usable != after.usable {
        bits |= spec_bit::AREA;
    }
    if before.category != after.category {
        bits |= spec_bit::CATEGORY;
    }
    if before.desks != after.desks {
        bits |= spec_bit::DESKS;
    }
    if before.rent != after.rent {
        bits |= spec_bit::RENT;
    }
    bits
}

/// `base` with the parts `bits` names taken from `set`.
fn merge_spec(base: &UnitSpec, set: &UnitSpec, bits: i32) -> UnitSpec {
    let pick = |bit: i32| bits & bit != 0;
    UnitSpec {
        kind: if pick(spec_bit::KIND) { set.kind } else { base.kind },
        gross: if pick(spec_bit::AREA) { set.gross } else { base.gross },
        usable: if pick(spec_bit::AREA) { set.usable } else { base.usable },
        category: if pick(spec_bit::CATEGORY) { set.category } else { base.category },
        desks: if pick(spec_bit::DESKS) { set.desks } else { base.desks },
        rent: if pick(spec_bit::RENT) { set.rent } else { base.rent },
    }
}

/// The states of a unit through its history: `(from, state)` in order, one per change. A
/// change of the specification sets the parts it names and carries the others forward from the
/// state before it (which may come from a change recorded later but dated earlier).
fn fold(changes: &[unit_change::Model]) -> Result<Vec<(NaiveDate, State)>> {
    let mut states: Vec<(NaiveDate, State)> = Vec::with_capacity(changes.len());
    let mut current: Option<State> = None;
    for change in changes {
        let kind = ChangeKind::from_code(&change.change)
            .ok_or_else(|| ServiceError::Corrupt(format!("unit change {} has kind {:?}", change.id, change.change)))?;
        let next = match (kind, current) {
            (ChangeKind::Added, _) => State { spec: spec_of(change)?, availability: Availability::InService },
            (_, None) => {
                return Err(ServiceError::Corrupt(format!("unit {} changes before it exists", change.unit_id)));
            }
            (_, Some(state)) if state.availability == Availability::Removed => state,
            (ChangeKind::Resized | ChangeKind::Recategorised | ChangeKind::Edited, Some(state)) => {
                State { spec: merge_spec(&state.spec, &spec_of(change)?, change.set_fields), ..state }
            }
            (ChangeKind::OutOfService, Some(state)) => State { availability: Availability::OutOfService, ..state },
            (ChangeKind::BackInService, Some(state)) => State { availability: Availability::InService, ..state },
            (ChangeKind::Removed, Some(state)) => State { availability: Availability::Removed, ..state },
        };
        current = Some(next);
        states.push((change.effective_on, next));
    }
    Ok(states)
}

/// The state in force on `on`, if the unit existed then.
fn state_on(states: &[(NaiveDate, State)], on: NaiveDate) -> Option<State> {
    states.iter().rev().find(|(from, _)| *from <= on).map(|(_, state)| *state)
}

async fn history_of(txn: &impl ConnectionTrait, unit_id: i64) -> Result<Vec<unit_change::Model>> {
    Ok(unit_change::Entity::find()
        .filter(unit_change::Column::UnitId.eq(unit_id))
        .order_by_asc(unit_change::Column::EffectiveOn)
        .order_by_asc(unit_change::Column::Id)
        .all(txn)
        .await?)
}

/// Roll-up work left for the end of a transaction that changes many units of one carrier (an
/// import): the days whose roll-up rows to rewrite, and whether a leased unit changed. Each unit
/// rewriting the carrier's day would cost the carrier's whole day again, per unit: quadratic in
/// the size of the file.
#[derive(Debug, Default)]
struct Pending {
    days: std::collections::BTreeSet<NaiveDate>,
    leased: bool,
}

impl Pending {
    /// Rewrites what was left for the end.
    async fn finish(self, txn: &impl ConnectionTrait, carrier: i64) -> Result<()> {
        refresh_days(txn, carrier, Some(&self.days)).await?;
        if self.leased {
            refresh_leased(txn, carrier).await?;
        }
        Ok(())
    }
}

/// Rewrites a unit's ledger from its history, and its current state from the last change; and
/// the carrier's roll-ups for the days touched, now or (with `pending`) at the end.
async fn rebuild(txn: &impl ConnectionTrait, unit: &unit::Model, pending: Option<&mut Pending>) -> Result<()> {
    lock_carrier(txn, unit.carrier_id).await?;
    let before = ledger_days(txn, unit.id).await?;
    rebuild_ledger(txn, unit).await?;
    let mut days = ledger_days(txn, unit.id).await?;
    days.extend(before);
    let leased = lease_unit::Entity::find().filter(lease_unit::Column::UnitId.eq(unit.id)).count(txn).await? > 0;
    match pending {
        Some(pending) => {
            pending.days.extend(days);
            pending.leased |= leased;
        }
        None => Pending { days, leased }.finish(txn, unit.carrier_id).await?,
    }
    Ok(())
}

/// Rewrites a carrier's leased-area roll-up from its bookings and its units' ledgers. A unit
/// counts on the days its booking runs (from its first day to the day before its end), with its
/// usable area in service on each of those days: its area when the booking starts, every change
/// of its ledger while it runs, and minus its area on the last day when the booking ends.
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
    let rows: Vec<(i64, NaiveDate, i64)> = area_ledger::Entity::find()
        .select_only()
        .column(area_ledger::Column::UnitId)
        .column(area_ledger::Column::EffectiveOn)
        .column(area_ledger::Column::DeltaUsable)
        .filter(area_ledger::Column::CarrierId.eq(carrier))
        .filter(area_ledger::Column::Bucket.ne(OUT_OF_SERVICE))
        .filter(
            area_ledger::Column::UnitId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(lease_unit::Column::UnitId)
                    .from(lease_unit::Entity)
                    .and_where(lease_unit::Column::CarrierId.eq(carrier))
                    .to_owned(),
            ),
        )
        .into_tuple()
        .all(txn)
        .await?;
    let mut ledger: BTreeMap<i64, Vec<(NaiveDate, i64)>> = BTreeMap::new();
    for (unit, day, delta) in rows {
        ledger.entry(unit).or_default().push((day, delta));
    }
    let mut deltas: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    for booking in &bookings {
        let Some(moves) = ledger.get(&booking.unit_id) else { continue };
        let end = booking.ends_on;
        if end.is_some_and(|e| e <= booking.starts_on) {
            continue;
        }
        let at_start: i64 = moves.iter().filter(|(d, _)| *d <= booking.starts_on).map(|(_, v)| v).sum();
        *deltas.entry(booking.starts_on).or_default() += at_start;
        for (day, delta) in moves.iter().filter(|(d, _)| *d > booking.starts_on && end.is_none_or(|e| *d < e)) {
            *deltas.entry(*day).or_default() += delta;
        }
        if let Some(end) = end {
            let at_end: i64 = moves.iter().filter(|(d, _)| *d < end).map(|(_, v)| v).sum();
            *deltas.entry(end).or_default() -= at_end;
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

/// The days on which a unit's ledger has rows.
async fn ledger_days(txn: &impl ConnectionTrait, unit_id: i64) -> Result<std::collections::BTreeSet<NaiveDate>> {
    Ok(area_ledger::Entity::find()
        .select_only()
        .column(area_ledger::Column::EffectiveOn)
        .filter(area_ledger::Column::UnitId.eq(unit_id))
        .distinct()
        .into_tuple::<NaiveDate>()
        .all(txn)
        .await?
        .into_iter()
        .collect())
}

#[derive(Debug, FromQueryResult)]
struct DaySum {
    effective_on: NaiveDate,
    bucket: String,
    gross: i64,
    usable: i64,
    desks: i64,
    units: i64,
    list_rent: i64,
}

/// Recomputes a carrier's roll-up rows from its ledger, for `days` (or every day).
async fn refresh_days(
    txn: &impl ConnectionTrait,
    carrier: i64,
    days: Option<&std::collections::BTreeSet<NaiveDate>>,
) -> Result<()> {
    let chunks: Vec<Option<Vec<NaiveDate>>> = match days {
        None => vec![None],
        Some(days) if days.is_empty() => return Ok(()),
        Some(days) => days.iter().copied().collect::<Vec<_>>().chunks(200).map(|c| Some(c.to_vec())).collect(),
    };
    for chunk in chunks {
        let mut delete =
            carrier_area_day::Entity::delete_many().filter(carrier_area_day::Column::CarrierId.eq(carrier));
        let mut sums =
            bucket_sums(area_ledger::Entity::find(), [area_ledger::Column::EffectiveOn, area_ledger::Column::Bucket])
                .filter(area_ledger::Column::CarrierId.eq(carrier));
        if let Some(chunk) = &chunk {
            delete = delete.filter(carrier_area_day::Column::EffectiveOn.is_in(chunk.iter().copied()));
            sums = sums.filter(area_ledger::Column::EffectiveOn.is_in(chunk.iter().copied()));
        }
        delete.exec(txn).await?;
        let rows: Vec<carrier_area_day::ActiveModel> = sums
            .group_by(area_ledger::Column::EffectiveOn)
            .group_by(area_ledger::Column::Bucket)
            .into_model::<DaySum>()
            .all(txn)
            .await?
            .into_iter()
            .filter(|r| r.gross != 0 || r.usable != 0 || r.desks != 0 || r.units != 0 || r.list_rent != 0)
            .map(|r| carrier_area_day::ActiveModel {
                carrier_id: Set(carrier),
                effective_on: Set(r.effective_on),
                bucket: Set(r.bucket),
                delta_gross: Set(r.gross),
                delta_usable: Set(r.usable),
                delta_desks: Set(r.desks),
                delta_units: Set(r.units),
                delta_list_rent: Set(r.list_rent),
            })
            .collect();
        for batch in rows.chunks(500) {
            carrier_area_day::Entity::insert_many(batch.to_vec()).exec(txn).await?;
        }
    }
    Ok(())
}

/// Rewrites a unit's area ledger from its history (the roll-up is the caller's).
async fn rebuild_ledger(txn: &impl ConnectionTrait, unit: &unit::Model) -> Result<()> {
    let states = fold(&history_of(txn, unit.id).await?)?;
    area_ledger::Entity::delete_many().filter(area_ledger::Column::UnitId.eq(unit.id)).exec(txn).await?;
    let rows = ledger_rows(unit, &states);
    if !rows.is_empty() {
        area_ledger::Entity::insert_many(rows).exec(txn).await?;
    }
    if let Some((_, last)) = states.last() {
        let mut current: unit::ActiveModel = unit.clone().into();
        set_state(&mut current, last);
        current.updated_at = Set(Utc::now());
        current.update(txn).await?;
    }
    Ok(())
}

/// The ledger of a unit whose history folds to `states`: for each day on which it changed, one
/// row per bucket that moved.
fn ledger_rows(unit: &unit::Model, states: &[(NaiveDate, State)]) -> Vec<area_ledger::ActiveModel> {
    let mut previous = AreaTotals::default();
    let mut rows = Vec::new();
    let mut by_date: BTreeMap<NaiveDate, State> = BTreeMap::new();
    for (from, state) in states {
        // Several changes on one day: the last one recorded is the day's state.
        by_date.insert(*from, *state);
    }
    for (from, state) in &by_date {
        let now = AreaTotals::of_unit(&state.spec, state.availability);
        let delta = now - previous;
        previous = now;
        for (bucket, gross, usable, desks, units, list_rent) in buckets(&delta) {
            if gross != 0 || usable != 0 || desks != 0 || units != 0 || list_rent != 0 {
                rows.push(area_ledger::ActiveModel {
                    unit_id: Set(unit.id),
                    floor_id: Set(unit.floor_id),
                    building_id: Set(unit.building_id),
                    site_id: Set(unit.site_id),
                    carrier_id: Set(unit.carrier_id),
                    effective_on: Set(*from),
                    bucket: Set(bucket.to_owned()),
                    delta_gross: Set(gross),
                    delta_usable: Set(usable),
                    delta_desks: Set(desks),
                    delta_units: Set(units),
                    delta_list_rent: Set(list_rent),
                    ..Default::default()
                });
            }
        }
    }
    rows
}

/// The per-bucket rows of a delta: `(bucket, gross, usable, desks, units, list rent)`. Desks,
/// units and rent travel with the unit's category bucket.
fn buckets(delta: &AreaTotals) -> Vec<(&'static str, i64, i64, i64, i64, i64)> {
    let mut rows: Vec<_> = UseCategory::ALL
        .iter()
        .map(|category| {
            let i = space::category_index(*category);
            (category.code(), delta.gross[i].hundredths(), delta.usable[i].hundredths(), 0, 0, 0)
        })
        .collect();
    // Desks and units are not split by category in the totals; book them with the first row
    // that moves, or with the tenant row.
    let holder = rows.iter().position(|r| r.1 != 0 || r.2 != 0).unwrap_or(0);
    rows[holder].3 = delta.desks;
    rows[holder].4 = delta.units;
    rows[holder].5 = delta.list_rent.fen();
    rows.push((
        OUT_OF_SERVICE,
        delta.out_of_service_gross.hundredths(),
        delta.out_of_service_usable.hundredths(),
        0,
        0,
        0,
    ));
    rows
}

fn set_state(model: &mut unit::ActiveModel, state: &State) {
    model.kind = Set(state.spec.kind.code().to_owned());
    model.gross_area = Set(state.spec.gross.hundredths());
    model.usable_area = Set(state.spec.usable.hundredths());
    model.use_category = Set(state.spec.category.code().to_owned());
    model.desks = Set(state.spec.desks.and_then(|d| i32::try_from(d).ok()));
    model.list_rent_fen = Set(state.spec.rent.map(|r| r.amount.fen()));
    model.rent_basis = Set(state.spec.rent.map(|r| r.basis.code().to_owned()));
    model.availability = Set(state.availability.code().to_owned());
}

fn change_row(
    unit: &unit::Model,
    kind: ChangeKind,
    on: NaiveDate,
    state: &State,
    set_fields: i32,
    reason: &str,
    by: &Actor,
) -> unit_change::ActiveModel {
    unit_change::ActiveModel {
        set_fields: Set(set_fields),
        unit_id: Set(unit.id),
        carrier_id: Set(unit.carrier_id),
        effective_on: Set(on),
        change: Set(kind.code().to_owned()),
        kind: Set(state.spec.kind.code().to_owned()),
        gross_area: Set(state.spec.gross.hundredths()),
        usable_area: Set(state.spec.usable.hundredths()),
        use_category: Set(state.spec.category.code().to_owned()),
        desks: Set(state.spec.desks.and_then(|d| i32::try_from(d).ok())),
        list_rent_fen: Set(state.spec.rent.map(|r| r.amount.fen())),
        rent_basis: Set(state.spec.rent.map(|r| r.basis.code().to_owned())),
        availability: Set(state.availability.code().to_owned()),
        reason: Set(reason.to_owned()),
        author_id: Set(Some(by.user.0)),
        author_email: Set(by.email.clone()),
        recorded_at: Set(Utc::now()),
        ..Default::default()
    }
}

fn unit_snapshot(code: &str, state: &State) -> serde_json::Value {
    serde_json::json!({ "code": code, "spec": state.spec, "availability": state.availability })
}

/// Adds a unit to a floor, in service from `on`.
pub async fn add_unit(
    db: &DatabaseConnection,
    actor: &Actor,
    floor_id: i64,
    code: &str,
    spec: &UnitSpec,
    on: NaiveDate,
    reason: &str,
) -> Result<i64> {
    let parent = floor::Entity::find_by_id(floor_id).one(db).await?;
    let floor = match parent {
        Some(f) => f,
        None if actor.bureau => return Err(ServiceError::NotFound),
        None => return Err(ServiceError::Forbidden),
    };
    manage(actor, CarrierId(floor.carrier_id))?;
    let txn = db::begin_write(db).await?;
    let id = insert_unit(&txn, actor, &floor, code, spec, on, reason).await?;
    txn.commit().await?;
    Ok(id)
}

async fn insert_unit(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    floor: &floor::Model,
    code: &str,
    spec: &UnitSpec,
    on: NaiveDate,
    reason: &str,
) -> Result<i64> {
    // Writers of one carrier's units take turns (on PostgreSQL; SQLite's write lock does it),
    // so the check below holds until the insert; the database's unique index backs it.
    lock_carrier(txn, floor.carrier_id).await?;
    if unit::Entity::find()
        .filter(unit::Column::FloorId.eq(floor.id))
        .filter(unit::Column::Code.eq(code))
        .filter(unit::Column::Availability.ne(Availability::Removed.code()))
        .count(txn)
        .await?
        > 0
    {
        return Err(FieldErrors::single(field::CODE, Problem::CodeTaken).into());
    }
    let carrier_row = carrier::Entity::find_by_id(floor.carrier_id).one(txn).await?.ok_or(ServiceError::NotFound)?;
    opened_by(&carrier_row, on, field::EFFECTIVE)?;
    let building = building::Entity::find_by_id(floor.building_id)
        .one(txn)
        .await?
        .ok_or_else(|| ServiceError::Corrupt(format!("floor {} has no building", floor.id)))?;
    let state = State { spec: *spec, availability: Availability::InService };
    let row = unit_row(floor, building.site_id, code, on, &state);
    let unit = row.insert(txn).await.map_err(code_taken_on_unique_violation)?;
    change_row(&unit, ChangeKind::Added, on, &state, spec_bit::ALL, reason, actor).insert(txn).await?;
    rebuild(txn, &unit, None).await?;
    audit::record(txn, By::Actor(actor), unit_audit(&unit, ChangeKind::Added, on, reason, None, &state)).await?;
    Ok(unit.id)
}

/// Refuses a unit dated before its carrier opened: no area counts before a carrier exists.
fn opened_by(carrier: &carrier::Model, on: NaiveDate, field: &str) -> Result<()> {
    if on < carrier.opened_on {
        let min = carrier.opened_on.format("%Y-%m-%d").to_string();
        return Err(FieldErrors::single(field, Problem::DateTooEarly { min }).into());
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

/// A new unit's row, in `state` from `on`.
fn unit_row(floor: &floor::Model, site: i64, code: &str, on: NaiveDate, state: &State) -> unit::ActiveModel {
    let mut row = unit::ActiveModel {
        floor_id: Set(floor.id),
        building_id: Set(floor.building_id),
        site_id: Set(site),
        carrier_id: Set(floor.carrier_id),
        code: Set(code.to_owned()),
        created_on: Set(on),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    set_state(&mut row, state);
    row
}

/// The audit record of a unit's change on `on`, from `before` (none for a new unit) to `after`.
fn unit_audit(
    unit: &unit::Model,
    kind: ChangeKind,
    on: NaiveDate,
    reason: &str,
    before: Option<&State>,
    after: &State,
) -> AuditChange<'static> {
    AuditChange {
        action: kind.code(),
        entity_type: "unit",
        entity_id: unit.id,
        carrier: Some(CarrierId(unit.carrier_id)),
        startup: None,
        before: before.map(|b| serde_json::json!({ "on": on, "state": unit_snapshot(&unit.code, b) })),
        after: Some(serde_json::json!({ "on": on, "reason": reason, "state": unit_snapshot(&unit.code, after) })),
    }
}

/// Records a dated change of a unit: new dimensions or category, out of service, back in
/// service, or removal. A change may be dated in the past; it then shows in the totals from
/// that date on, and not before.
pub async fn change_unit(db: &DatabaseConnection, actor: &Actor, unit_id: i64, change: &Change) -> Result<()> {
    let carrier = readable_carrier(db, actor, AreaScope::Unit(unit_id)).await?;
    manage(actor, carrier)?;
    let txn = db::begin_write(db).await?;
    let unit = unit::Entity::find_by_id(unit_id).one(&txn).await?.ok_or(ServiceError::NotFound)?;
    apply_change(&txn, actor, &unit, change, None).await?;
    txn.commit().await?;
    Ok(())
}

async fn apply_change(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    unit: &unit::Model,
    change: &Change,
    pending: Option<&mut Pending>,
) -> Result<ChangeKind> {
    let history = history_of(txn, unit.id).await?;
    let states = fold(&history)?;
    if states.last().is_some_and(|(_, s)| s.availability == Availability::Removed) {
        return Err(FieldErrors::single(field::ACTION, Problem::UnitRemoved).into());
    }
    let Some(before) = state_on(&states, change.effective_on) else {
        return Err(FieldErrors::single(field::EFFECTIVE, Problem::DateBeforeUnit).into());
    };
    let mut set_fields = 0;
    let (kind, after) = match change.action {
        ChangeAction::Update => {
            let spec = change.spec.ok_or_else(|| FieldErrors::single(field::KIND, Problem::Required))?;
            set_fields = spec_bits(&before.spec, &spec);
            let kind = if spec.gross != before.spec.gross || spec.usable != before.spec.usable {
                ChangeKind::Resized
            } else if spec.category != before.spec.category {
                ChangeKind::Recategorised
            } else if spec != before.spec {
                ChangeKind::Edited
            } else {
                return Err(FieldErrors::single(field::ACTION, Problem::NoChange).into());
            };
            (kind, State { spec, ..before })
        }
        ChangeAction::OutOfService if before.availability == Availability::InService => {
            (ChangeKind::OutOfService, State { availability: Availability::OutOfService, ..before })
        }
        ChangeAction::BackInService if before.availability == Availability::OutOfService => {
            (ChangeKind::BackInService, State { availability: Availability::InService, ..before })
        }
        ChangeAction::Remove => (ChangeKind::Removed, State { availability: Availability::Removed, ..before }),
        ChangeAction::OutOfService | ChangeAction::BackInService => {
            return Err(FieldErrors::single(field::ACTION, Problem::NoChange).into());
        }
    };
    let row =
        change_row(unit, kind, change.effective_on, &after, set_fields, &change.reason, actor).insert(txn).await?;
    // What the change carries into later states must still be a specification a unit can have.
    let mut carried = history;
    carried.push(row);
    carried.sort_by_key(|c| (c.effective_on, c.id));
    for (_, state) in fold(&carried)?.iter().filter(|(from, _)| *from >= change.effective_on) {
        if state.spec.usable > state.spec.gross {
            return Err(FieldErrors::single(field::USABLE, Problem::UsableExceedsGross).into());
        }
        if state.spec.rent.is_some_and(|r| r.basis == RentBasis::PerDesk) && state.spec.desks.unwrap_or(0) == 0 {
            return Err(FieldErrors::single(field::RENT, Problem::PerDeskWithoutDesks).into());
        }
    }
    rebuild(txn, unit, pending).await?;
    audit::record(
        txn,
        By::Actor(actor),
        unit_audit(unit, kind, change.effective_on, &change.reason, Some(&before), &after),
    )
    .await?;
    Ok(kind)
}

/// A unit's specification and availability on `on`, if it existed then.
pub(crate) async fn unit_state_on(
    db: &impl ConnectionTrait,
    unit: &unit::Model,
    on: NaiveDate,
) -> Result<Option<(UnitSpec, Availability)>> {
    let states = fold(&history_of(db, unit.id).await?)?;
    Ok(state_on(&states, on).map(|s| (s.spec, s.availability)))
}

// ---- reading ------------------------------------------------------------------------------

/// The status a unit shows on the floor view on `on`.
fn status_of(state: &State) -> UnitStatus {
    match state.availability {
        Availability::OutOfService | Availability::Removed => UnitStatus::OutOfService,
        Availability::InService => UnitStatus::Vacant,
    }
}

/// A floor with its units as they were on `on`.
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
    let bookings = crate::leases::bookings_on_floor(db, floor_id, on).await?;
    let mut views = Vec::new();
    for unit in units {
        let states = fold(&history_of(db, unit.id).await?)?;
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
            tenant: booking.map(|(_, tenant)| tenant.clone()),
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
pub async fn floors_of(
    db: &impl ConnectionTrait,
    actor: &Actor,
    carrier: CarrierId,
    on: NaiveDate,
) -> Result<Vec<FloorView>> {
    authz::read_carrier(actor, carrier)?;
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

/// Everything the carrier's area page shows, as on `on`.
pub async fn area_report(
    db: &impl ConnectionTrait,
    actor: &Actor,
    carrier: CarrierId,
    on: NaiveDate,
) -> Result<AreaReport> {
    authz::read_carrier(actor, carrier)?;
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
    let mut out = Vec::new();
    for site in sites {
        let mut site_tree = SiteTree { id: site.id, name: site.name, address: site.address, buildings: Vec::new() };
        for building in buildings.iter().filter(|b| b.site_id == site.id) {
            let mut floor_list = Vec::new();
            for floor in floors.iter().filter(|f| f.building_id == building.id) {
                let floor_totals = totals(db, AreaScope::Floor(floor.id), on).await?;
                floor_list.push(FloorSummary {
                    id: floor.id,
                    label: floor.label.clone(),
                    units: floor_totals.units,
                    gross: floor_totals.total_gross(),
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
    let mut entries = Vec::new();
    for change in changes {
        let Some(unit) = units.get(&change.unit_id) else { continue };
        let states = fold(&history_of(db, unit.id).await?)?;
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

// ---- import and export --------------------------------------------------------------------

/// The carrier's units as they are today (removed ones left out), ordered as on the page: the
/// rows of an export file.
pub async fn export(db: &impl ConnectionTrait, actor: &Actor, carrier: CarrierId) -> Result<Vec<UnitRecord>> {
    authz::read_carrier(actor, carrier)?;
    let sites: BTreeMap<i64, String> = site::Entity::find()
        .filter(site::Column::CarrierId.eq(carrier.0))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let buildings: BTreeMap<i64, String> = building::Entity::find()
        .filter(building::Column::CarrierId.eq(carrier.0))
        .all(db)
        .await?
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect();
    let floors: BTreeMap<i64, (i32, String)> = floor::Entity::find()
        .filter(floor::Column::CarrierId.eq(carrier.0))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, (f.level, f.label)))
        .collect();
    let units = unit::Entity::find()
        .filter(unit::Column::CarrierId.eq(carrier.0))
        .filter(unit::Column::Availability.ne(Availability::Removed.code()))
        .all(db)
        .await?;
    let mut records = Vec::new();
    for unit in units {
        let spec = spec_of_unit(&unit)?;
        let (level, floor_label) = floors.get(&unit.floor_id).cloned().unwrap_or_default();
        records.push((
            (unit.site_id, unit.building_id, level, unit.floor_id),
            UnitRecord {
                site: sites.get(&unit.site_id).cloned().unwrap_or_default(),
                building: buildings.get(&unit.building_id).cloned().unwrap_or_default(),
                floor: floor_label,
                code: unit.code.clone(),
                spec,
                in_service: unit.availability == Availability::InService.code(),
            },
        ));
    }
    records.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.code.cmp(&b.1.code)));
    Ok(records.into_iter().map(|(_, r)| r).collect())
}

fn spec_of_unit(unit: &unit::Model) -> Result<UnitSpec> {
    let as_change = unit_change::Model {
        id: unit.id,
        unit_id: unit.id,
        carrier_id: unit.carrier_id,
        effective_on: unit.created_on,
        change: ChangeKind::Edited.code().to_owned(),
        kind: unit.kind.clone(),
        gross_area: unit.gross_area,
        usable_area: unit.usable_area,
        use_category: unit.use_category.clone(),
        desks: unit.desks,
        list_rent_fen: unit.list_rent_fen,
        rent_basis: unit.rent_basis.clone(),
        availability: unit.availability.clone(),
        set_fields: spec_bit::ALL,
        reason: String::new(),
        author_id: None,
        author_email: String::new(),
        recorded_at: unit.updated_at,
    };
    spec_of(&as_change)
}

/// Imports units from a file's header and rows. Every row is checked first; if
/// any is wrong, nothing is imported and the report lists every problem. Otherwise, in one
/// transaction: places that do not exist are created, new units are added, units whose data
/// differ get a dated change, and units that match are left alone — so importing an export
/// changes nothing. The report is kept either way.
pub async fn import(
    db: &DatabaseConnection,
    actor: &Actor,
    carrier: CarrierId,
    file_name: &str,
    header: &[String],
    rows: &[Vec<String>],
    effective_on: NaiveDate,
) -> Result<ImportReport> {
    manage(actor, carrier)?;
    if rows.len() > space::MAX_IMPORT_ROWS {
        return Err(FieldErrors::single("file", Problem::TooManyRows { max: space::MAX_IMPORT_ROWS }).into());
    }
    // Every problem is counted; the first few hundred are kept for the report, so a file of
    // nothing but errors costs no more memory than a good one.
    let mut problems = Problems::default();
    problems.extend(space::check_header(header));
    let mut records = Vec::new();
    let mut seen: BTreeMap<(String, String, String, String), usize> = BTreeMap::new();
    for (i, cells) in rows.iter().enumerate() {
        let row = i + 2;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match UnitRecord::parse(row, cells) {
            Ok(record) => {
                let key = (record.site.clone(), record.building.clone(), record.floor.clone(), record.code.clone());
                if seen.insert(key, row).is_some() {
                    problems.push(ImportProblem { row, column: "unit".into(), problem: Problem::CodeTaken });
                } else if problems.total == 0 {
                    records.push(record);
                }
            }
            Err(found) => problems.extend(found),
        }
    }
    if rows.is_empty() {
        problems.push(ImportProblem { row: 1, column: "unit".into(), problem: Problem::Required });
    }
    let problem_total = problems.total;
    let mut problems = problems.kept;

    let txn = db::begin_write(db).await?;
    // Taken before the carrier's units are read: another import or unit written meanwhile waits.
    lock_carrier(&txn, carrier.0).await?;
    let carrier_row = carrier::Entity::find_by_id(carrier.0).one(&txn).await?.ok_or(ServiceError::NotFound)?;
    opened_by(&carrier_row, effective_on, "effective_on")?;
    let (mut added, mut changed, mut unchanged) = (0, 0, 0);
    if problems.is_empty() {
        let mut pending = Pending::default();
        let reason = format!("导入 {file_name}");
        // The carrier's units as they stand, read once: a file of 20,000 rows must not cost
        // 20,000 lookups.
        let mut existing: HashMap<(i64, String), unit::Model> = unit::Entity::find()
            .filter(unit::Column::CarrierId.eq(carrier.0))
            .filter(unit::Column::Availability.ne(Availability::Removed.code()))
            .all(&txn)
            .await?
            .into_iter()
            .map(|u| ((u.floor_id, u.code.clone()), u))
            .collect();
        let mut floors: HashMap<(String, String, String), (floor::Model, i64)> = HashMap::new();
        let mut new_units = Vec::new();
        for record in &records {
            let place = (record.site.clone(), record.building.clone(), record.floor.clone());
            let (floor, site) = match floors.get(&place) {
                Some(found) => found.clone(),
                None => {
                    let found = ensure_floor(&txn, actor, &carrier_row, record).await?;
                    floors.insert(place, found.clone());
                    found
                }
            };
            match existing.remove(&(floor.id, record.code.clone())) {
                None => {
                    new_units.push(NewUnit {
                        floor,
                        site,
                        code: &record.code,
                        spec: record.spec,
                        in_service: record.in_service,
                    });
                    added += 1;
                }
                Some(unit) => {
                    let mut touched = false;
                    if spec_of_unit(&unit)? != record.spec {
                        let change = Change {
                            action: ChangeAction::Update,
                            effective_on,
                            reason: reason.clone(),
                            spec: Some(record.spec),
                        };
                        apply_change(&txn, actor, &unit, &change, Some(&mut pending)).await?;
                        touched = true;
                    }
                    let in_service = unit.availability == Availability::InService.code();
                    if in_service != record.in_service {
                        let unit = unit::Entity::find_by_id(unit.id).one(&txn).await?.ok_or(ServiceError::NotFound)?;
                        let action =
                            if record.in_service { ChangeAction::BackInService } else { ChangeAction::OutOfService };
                        apply_change(
                            &txn,
                            actor,
                            &unit,
                            &Change { action, effective_on, reason: reason.clone(), spec: None },
                            Some(&mut pending),
                        )
                        .await?;
                        touched = true;
                    }
                    if touched {
                        changed += 1;
                    } else {
                        unchanged += 1;
                    }
                }
            }
        }
        insert_units(&txn, actor, carrier.0, &new_units, effective_on, &reason, &mut pending).await?;
        pending.finish(&txn, carrier.0).await?;
    } else {
        // Nothing of the file is applied; the report alone is kept.
        problems.sort_by_key(|p| p.row);
    }
    let created_at = Utc::now();
    let mut report = ImportReport {
        id: 0,
        carrier,
        file_name: file_name.chars().take(200).collect(),
        rows: rows.len(),
        problems,
        problem_total,
        added,
        changed,
        unchanged,
        effective_on,
        created_at,
    };
    let saved = unit_import::ActiveModel {
        carrier_id: Set(carrier.0),
        author_id: Set(Some(actor.user.0)),
        file_name: Set(report.file_name.clone()),
        effective_on: Set(effective_on),
        rows: Set(i32::try_from(rows.len()).unwrap_or(i32::MAX)),
        report: Set(String::new()),
        created_at: Set(created_at),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    report.id = saved.id;
    let mut saved: unit_import::ActiveModel = saved.into();
    saved.report = Set(serde_json::to_string(&report).unwrap_or_default());
    saved.update(&txn).await?;
    audit::record(
        &txn,
        By::Actor(actor),
        AuditChange {
            action: if report.problems.is_empty() { "import" } else { "import_rejected" },
            entity_type: "unit_import",
            entity_id: report.id,
            carrier: Some(carrier),
            startup: None,
            before: None,
            after: audit::snapshot(&serde_json::json!({
                "file": report.file_name, "rows": report.rows, "problems": report.problem_total,
                "added": added, "changed": changed, "unchanged": unchanged
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(report)
}

/// An import's problems: all counted, the first [`space::MAX_REPORTED_PROBLEMS`] kept.
#[derive(Default)]
struct Problems {
    kept: Vec<ImportProblem>,
    total: usize,
}

impl Problems {
    fn push(&mut self, problem: ImportProblem) {
        self.total += 1;
        if self.kept.len() < space::MAX_REPORTED_PROBLEMS {
            self.kept.push(problem);
        }
    }

    fn extend(&mut self, problems: impl IntoIterator<Item = ImportProblem>) {
        for problem in problems {
            self.push(problem);
        }
    }
}

/// The site, building and floor a record names, created when missing.
async fn ensure_floor(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    carrier: &carrier::Model,
    record: &UnitRecord,
) -> Result<(floor::Model, i64)> {
    let carrier_id = CarrierId(carrier.id);
    let site = match site::Entity::find()
        .filter(site::Column::CarrierId.eq(carrier.id))
        .filter(site::Column::Name.eq(record.site.as_str()))
        .one(txn)
        .await?
    {
        Some(site) => site,
        None => {
            let site = site::ActiveModel {
                carrier_id: Set(carrier.id),
                name: Set(record.site.clone()),
                address: Set(carrier.address.clone()),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            record_place(txn, actor, "site", site.id, carrier_id, serde_json::json!({ "name": site.name })).await?;
            site
        }
    };
    let building = match building::Entity::find()
        .filter(building::Column::SiteId.eq(site.id))
        .filter(building::Column::Name.eq(record.building.as_str()))
        .one(txn)
        .await?
    {
        Some(building) => building,
        None => {
            let building = building::ActiveModel {
                site_id: Set(site.id),
                carrier_id: Set(carrier.id),
                name: Set(record.building.clone()),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            record_place(txn, actor, "building", building.id, carrier_id, serde_json::json!({ "name": building.name }))
                .await?;
            building
        }
    };
    match floor::Entity::find()
        .filter(floor::Column::BuildingId.eq(building.id))
        .filter(floor::Column::Label.eq(record.floor.as_str()))
        .one(txn)
        .await?
    {
        Some(floor) => Ok((floor, site.id)),
        None => {
            let id = insert_floor(txn, building.id, carrier_id, &record.floor).await?;
            record_place(txn, actor, "floor", id, carrier_id, serde_json::json!({ "label": record.floor })).await?;
            let floor = floor::Entity::find_by_id(id).one(txn).await?.ok_or(ServiceError::NotFound)?;
            Ok((floor, site.id))
        }
    }
}

/// The unique index on a floor's live codes refusing a unit another request added first.
fn code_taken_on_unique_violation(err: sea_orm::DbErr) -> ServiceError {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            FieldErrors::single(field::CODE, Problem::CodeTaken).into()
        }
        _ => ServiceError::Db(err),
    }
}

/// A unit an import adds.
struct NewUnit<'a> {
    floor: floor::Model,
    site: i64,
    code: &'a str,
    spec: UnitSpec,
    in_service: bool,
}

/// Rows written per statement when adding many units.
const BATCH: usize = 400;

/// Adds many units of one carrier at once (an import), writing for each exactly what
/// [`insert_unit`] writes for one — the unit, its `added` change (and an `out_of_service` change
/// the same day when it arrives out of service), its ledger and its audit records — but in
/// statements of [`BATCH`] rows instead of a dozen statements per unit. The roll-up is left to
/// `pending`. The caller has checked that no code is taken.
async fn insert_units(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    carrier: i64,
    units: &[NewUnit<'_>],
    on: NaiveDate,
    reason: &str,
    pending: &mut Pending,
) -> Result<()> {
    if units.is_empty() {
        return Ok(());
    }
    lock_carrier(txn, carrier).await?;
    for batch in units.chunks(BATCH) {
        let rows = batch.iter().map(|new| {
            let availability = if new.in_service { Availability::InService } else { Availability::OutOfService };
            unit_row(&new.floor, new.site, new.code, on, &State { spec: new.spec, availability })
        });
        let inserted =
            unit::Entity::insert_many(rows).exec_with_returning(txn).await.map_err(code_taken_on_unique_violation)?;
        let by_place: HashMap<(i64, &str), &NewUnit<'_>> = batch.iter().map(|n| ((n.floor.id, n.code), n)).collect();
        let (mut changes, mut ledger, mut audits) = (Vec::new(), Vec::new(), Vec::new());
        for unit in &inserted {
            let new = by_place
                .get(&(unit.floor_id, unit.code.as_str()))
                .ok_or_else(|| ServiceError::Corrupt(format!("unit {} was not asked for", unit.id)))?;
            let added = State { spec: new.spec, availability: Availability::InService };
            let mut states = vec![(on, added)];
            let mut record = |kind: ChangeKind, before: Option<&State>, after: &State| {
                let set_fields = if kind == ChangeKind::Added { spec_bit::ALL } else { 0 };
                changes.push(change_row(unit, kind, on, after, set_fields, reason, actor));
                audits.push(unit_audit(unit, kind, on, reason, before, after));
            };
            record(ChangeKind::Added, None, &added);
            if !new.in_service {
                let closed = State { availability: Availability::OutOfService, ..added };
                record(ChangeKind::OutOfService, Some(&added), &closed);
                states.push((on, closed));
            }
            ledger.extend(ledger_rows(unit, &states));
        }
        audit::record_many(txn, By::Actor(actor), audits).await?;
        for chunk in changes.chunks(BATCH) {
            unit_change::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
        }
        for chunk in ledger.chunks(BATCH) {
            area_ledger::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
        }
    }
    pending.days.insert(on);
    Ok(())
}

/// A kept import report.
pub async fn import_report(db: &impl ConnectionTrait, actor: &Actor, import_id: i64) -> Result<ImportReport> {
    authz::carrier_scope(actor)?;
    let row = unit_import::Entity::find_by_id(import_id).one(db).await?;
    let row = match row {
        Some(row) => row,
        None if actor.bureau => return Err(ServiceError::NotFound),
        None => return Err(ServiceError::Forbidden),
    };
    authz::read_carrier(actor, CarrierId(row.carrier_id))?;
    serde_json::from_str(&row.report).map_err(|e| ServiceError::Corrupt(format!("import {import_id}: {e}")))
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
