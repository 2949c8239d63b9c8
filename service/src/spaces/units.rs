//! A unit's dated history, its state on a day, and the area ledger rebuilt from that history.

use super::access::{manage, readable_carrier};
use super::leased::{Booking, move_leased, refresh_leased};
use crate::area::{AreaScope, OUT_OF_SERVICE, bucket_sums, lock_carrier};
use crate::audit::{self, By, Change as AuditChange};
use crate::entity::{
    area_ledger, building, carrier, carrier_area_day, carrier_leased_day, floor, lease_unit, unit, unit_change,
};
use crate::policy::{self, Actor, Permit};
use crate::{Result, ServiceError, db};
use chrono::NaiveDate;
use domain::space::{
    self, AreaTotals, Availability, Change, ChangeAction, ChangeKind, ListRent, RentBasis, UnitKind, UnitSpec,
    UseCategory, field,
};
use domain::{Area, CarrierId, FieldErrors, Money, Problem};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::BTreeMap;

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

/// A unit's state on a day: what it is, and whether it can be let.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct State {
    pub(super) spec: UnitSpec,
    pub(super) availability: Availability,
}

pub(super) fn spec_of(change: &unit_change::Model) -> Result<UnitSpec> {
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
pub(super) fn fold(changes: &[unit_change::Model]) -> Result<Vec<(NaiveDate, State)>> {
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
pub(super) fn state_on(states: &[(NaiveDate, State)], on: NaiveDate) -> Option<State> {
    states.iter().rev().find(|(from, _)| *from <= on).map(|(_, state)| *state)
}

pub(super) async fn history_of(txn: &impl ConnectionTrait, unit_id: i64) -> Result<Vec<unit_change::Model>> {
    Ok(unit_change::Entity::find()
        .filter(unit_change::Column::UnitId.eq(unit_id))
        .order_by_asc(unit_change::Column::EffectiveOn)
        .order_by_asc(unit_change::Column::Id)
        .all(txn)
        .await?)
}

/// The histories of several units, in one query: `unit → its changes` in [`history_of`]'s order.
pub(super) async fn histories_of(
    db: &impl ConnectionTrait,
    unit_ids: impl IntoIterator<Item = i64>,
) -> Result<std::collections::BTreeMap<i64, Vec<unit_change::Model>>> {
    let mut by_unit: std::collections::BTreeMap<i64, Vec<unit_change::Model>> = std::collections::BTreeMap::new();
    let ids: Vec<i64> = unit_ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(by_unit);
    }
    for slice in ids.chunks(crate::db::IN_LIST) {
        let rows = unit_change::Entity::find()
            .filter(unit_change::Column::UnitId.is_in(slice.iter().copied()))
            .order_by_asc(unit_change::Column::EffectiveOn)
            .order_by_asc(unit_change::Column::Id)
            .all(db)
            .await?;
        for row in rows {
            by_unit.entry(row.unit_id).or_default().push(row);
        }
    }
    Ok(by_unit)
}

/// Roll-up work left for the end of a transaction that changes many units of one carrier (an
/// import): the days whose roll-up rows to rewrite, and whether a leased unit changed. Each unit
/// rewriting the carrier's day would cost the carrier's whole day again, per unit: quadratic in
/// the size of the file.
#[derive(Debug, Default)]
pub(super) struct Pending {
    pub(super) days: std::collections::BTreeSet<NaiveDate>,
    pub(super) leased: bool,
}

impl Pending {
    /// Rewrites what was left for the end.
    pub(super) async fn finish(self, txn: &impl ConnectionTrait, carrier: i64) -> Result<()> {
        refresh_days(txn, carrier, Some(&self.days)).await?;
        if self.leased {
            refresh_leased(txn, carrier).await?;
        }
        Ok(())
    }
}

/// Rewrites a unit's ledger from its history, and its current state from the last change; and
/// the carrier's roll-ups for the days touched, now or (with `pending`) at the end. Done now, the
/// unit's bookings are taken from the leased-area roll-up with the ledger as it was and added
/// back with the ledger as it is: the work of one unit, whatever the carrier's history.
async fn rebuild(txn: &impl ConnectionTrait, unit: &unit::Model, pending: Option<&mut Pending>) -> Result<()> {
    lock_carrier(txn, unit.carrier_id).await?;
    let bookings: Vec<Booking> = lease_unit::Entity::find()
        .filter(lease_unit::Column::UnitId.eq(unit.id))
        .all(txn)
        .await?
        .iter()
        .map(Booking::from)
        .collect();
    let before = ledger_days(txn, unit.id).await?;
    if pending.is_none() {
        move_leased(txn, unit.carrier_id, &bookings, -1).await?;
    }
    rebuild_ledger(txn, unit).await?;
    let mut days = ledger_days(txn, unit.id).await?;
    days.extend(before);
    match pending {
        Some(pending) => {
            pending.days.extend(days);
            pending.leased |= !bookings.is_empty();
        }
        None => {
            move_leased(txn, unit.carrier_id, &bookings, 1).await?;
            Pending { days, leased: false }.finish(txn, unit.carrier_id).await?;
        }
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
pub(super) async fn refresh_days(
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
pub(super) async fn rebuild_ledger(txn: &impl ConnectionTrait, unit: &unit::Model) -> Result<()> {
    let states = fold(&history_of(txn, unit.id).await?)?;
    area_ledger::Entity::delete_many().filter(area_ledger::Column::UnitId.eq(unit.id)).exec(txn).await?;
    let rows = ledger_rows(unit, &states);
    if !rows.is_empty() {
        area_ledger::Entity::insert_many(rows).exec(txn).await?;
    }
    if let Some((_, last)) = states.last() {
        let mut current: unit::ActiveModel = unit.clone().into();
        set_state(&mut current, last);
        current.updated_at = Set(crate::now());
        current.update(txn).await?;
    }
    Ok(())
}

/// The ledger of a unit whose history folds to `states`: for each day on which it changed, one
/// row per bucket that moved.
pub(super) fn ledger_rows(unit: &unit::Model, states: &[(NaiveDate, State)]) -> Vec<area_ledger::ActiveModel> {
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

pub(super) fn change_row(
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
        recorded_at: Set(crate::now()),
        ..Default::default()
    }
}

fn unit_snapshot(code: &str, state: &State) -> serde_json::Value {
    serde_json::json!({ "code": code, "spec": state.spec, "availability": state.availability })
}

/// Adds a unit to a floor, in service from `on`.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, floor_id = ?floor_id))]
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
        None => return Err(policy::hidden(actor)),
    };
    let permit = manage(actor, CarrierId(floor.carrier_id))?;
    let txn = db::begin_write(db).await?;
    let id = insert_unit(&txn, permit, &floor, code, spec, on, reason).await?;
    txn.commit().await?;
    Ok(id)
}

pub(super) async fn insert_unit(
    txn: &impl ConnectionTrait,
    permit: Permit<'_>,
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
    change_row(&unit, ChangeKind::Added, on, &state, spec_bit::ALL, reason, permit.actor()).insert(txn).await?;
    rebuild(txn, &unit, None).await?;
    audit::record(txn, By::Actor(permit), unit_audit(&unit, ChangeKind::Added, on, reason, None, &state)).await?;
    Ok(unit.id)
}

/// Refuses a unit dated before its carrier opened: no area counts before a carrier exists.
pub(super) fn opened_by(carrier: &carrier::Model, on: NaiveDate, field: &str) -> Result<()> {
    if on < carrier.opened_on {
        let min = carrier.opened_on.format("%Y-%m-%d").to_string();
        return Err(FieldErrors::single(field, Problem::DateTooEarly { min }).into());
    }
    Ok(())
}

/// A new unit's row, in `state` from `on`.
pub(super) fn unit_row(floor: &floor::Model, site: i64, code: &str, on: NaiveDate, state: &State) -> unit::ActiveModel {
    let mut row = unit::ActiveModel {
        floor_id: Set(floor.id),
        building_id: Set(floor.building_id),
        site_id: Set(site),
        carrier_id: Set(floor.carrier_id),
        code: Set(code.to_owned()),
        created_on: Set(on),
        updated_at: Set(crate::now()),
        ..Default::default()
    };
    set_state(&mut row, state);
    row
}

/// The audit record of a unit's change on `on`, from `before` (none for a new unit) to `after`.
pub(super) fn unit_audit(
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
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, unit_id = ?unit_id))]
pub async fn change_unit(db: &DatabaseConnection, actor: &Actor, unit_id: i64, change: &Change) -> Result<()> {
    let carrier = readable_carrier(db, actor, AreaScope::Unit(unit_id)).await?;
    let permit = manage(actor, carrier)?;
    let txn = db::begin_write(db).await?;
    let unit = unit::Entity::find_by_id(unit_id).one(&txn).await?.ok_or(ServiceError::NotFound)?;
    apply_change(&txn, permit, &unit, change, None).await?;
    txn.commit().await?;
    Ok(())
}

pub(super) async fn apply_change(
    txn: &impl ConnectionTrait,
    permit: Permit<'_>,
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
    let row = change_row(unit, kind, change.effective_on, &after, set_fields, &change.reason, permit.actor())
        .insert(txn)
        .await?;
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
        By::Actor(permit),
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

/// The dated states of several units, read in one query (a rent roll's or a lease's units).
pub(crate) struct UnitStates(std::collections::BTreeMap<i64, Vec<(NaiveDate, State)>>);

impl UnitStates {
    pub(crate) async fn load(db: &impl ConnectionTrait, units: impl IntoIterator<Item = i64>) -> Result<UnitStates> {
        let mut states = std::collections::BTreeMap::new();
        for (unit, history) in histories_of(db, units).await? {
            states.insert(unit, fold(&history)?);
        }
        Ok(UnitStates(states))
    }

    /// What [`unit_state_on`] answers, from the states read.
    pub(crate) fn on(&self, unit: i64, on: NaiveDate) -> Option<(UnitSpec, Availability)> {
        state_on(self.0.get(&unit)?, on).map(|s| (s.spec, s.availability))
    }
}

/// The unique index on a floor's live codes refusing a unit another request added first.
pub(super) fn code_taken_on_unique_violation(err: sea_orm::DbErr) -> ServiceError {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            FieldErrors::single(field::CODE, Problem::CodeTaken).into()
        }
        _ => ServiceError::Db(err),
    }
}
