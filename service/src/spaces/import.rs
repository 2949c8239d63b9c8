//! The spreadsheet round trip: export a carrier's units, import them back with a report.

use super::access::manage;
use super::places::{insert_floor, record_place};
use super::units::{
    Pending, State, apply_change, change_row, code_taken_on_unique_violation, ledger_rows, opened_by, spec_bit,
    spec_of, unit_audit, unit_row,
};
use crate::area::lock_carrier;
use crate::audit::{self, By, Change as AuditChange};
use crate::entity::{area_ledger, building, carrier, floor, site, unit, unit_change, unit_import};
use crate::policy::{self, Actor, Permit};
use crate::{Result, ServiceError, db};
use chrono::NaiveDate;
use domain::space::import::{self, ImportProblem, ImportReport, UnitRecord};
use domain::space::{Availability, Change, ChangeAction, ChangeKind, UnitSpec};
use domain::{CarrierId, FieldErrors, Problem};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use std::collections::{BTreeMap, HashMap};

/// The carrier's units as they are today (removed ones left out), ordered as on the page: the
/// rows of an export file.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, carrier = ?carrier))]
pub async fn export(db: &impl ConnectionTrait, actor: &Actor, carrier: CarrierId) -> Result<Vec<UnitRecord>> {
    policy::read_carrier(actor, carrier)?;
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
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, carrier = ?carrier))]
pub async fn import(
    db: &DatabaseConnection,
    actor: &Actor,
    carrier: CarrierId,
    file_name: &str,
    header: &[String],
    rows: &[Vec<String>],
    effective_on: NaiveDate,
) -> Result<ImportReport> {
    let permit = manage(actor, carrier)?;
    if rows.len() > import::MAX_IMPORT_ROWS {
        return Err(FieldErrors::single("file", Problem::TooManyRows { max: import::MAX_IMPORT_ROWS }).into());
    }
    // Every problem is counted; the first few hundred are kept for the report, so a file of
    // nothing but errors costs no more memory than a good one.
    let mut problems = Problems::default();
    problems.extend(import::check_header(header));
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
        let reason = domain::text::SystemText::Import.store(file_name);
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
                    let found = ensure_floor(&txn, permit, &carrier_row, record).await?;
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
                        apply_change(&txn, permit, &unit, &change, Some(&mut pending)).await?;
                        touched = true;
                    }
                    let in_service = unit.availability == Availability::InService.code();
                    if in_service != record.in_service {
                        let unit = unit::Entity::find_by_id(unit.id).one(&txn).await?.ok_or(ServiceError::NotFound)?;
                        let action =
                            if record.in_service { ChangeAction::BackInService } else { ChangeAction::OutOfService };
                        apply_change(
                            &txn,
                            permit,
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
        insert_units(&txn, permit, carrier.0, &new_units, effective_on, &reason, &mut pending).await?;
        pending.finish(&txn, carrier.0).await?;
    } else {
        // Nothing of the file is applied; the report alone is kept.
        problems.sort_by_key(|p| p.row);
    }
    let created_at = crate::now();
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
        By::Actor(permit),
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

/// An import's problems: all counted, the first [`import::MAX_REPORTED_PROBLEMS`] kept.
#[derive(Default)]
struct Problems {
    kept: Vec<ImportProblem>,
    total: usize,
}

impl Problems {
    fn push(&mut self, problem: ImportProblem) {
        self.total += 1;
        if self.kept.len() < import::MAX_REPORTED_PROBLEMS {
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
    permit: Permit<'_>,
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
                created_at: Set(crate::now()),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            record_place(txn, permit, "site", site.id, carrier_id, serde_json::json!({ "name": site.name })).await?;
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
                created_at: Set(crate::now()),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            record_place(
                txn,
                permit,
                "building",
                building.id,
                carrier_id,
                serde_json::json!({ "name": building.name }),
            )
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
            record_place(txn, permit, "floor", id, carrier_id, serde_json::json!({ "label": record.floor })).await?;
            let floor = floor::Entity::find_by_id(id).one(txn).await?.ok_or(ServiceError::NotFound)?;
            Ok((floor, site.id))
        }
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
    permit: Permit<'_>,
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
                changes.push(change_row(unit, kind, on, after, set_fields, reason, permit.actor()));
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
        audit::record_many(txn, By::Actor(permit), audits).await?;
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
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, import_id = ?import_id))]
pub async fn import_report(db: &impl ConnectionTrait, actor: &Actor, import_id: i64) -> Result<ImportReport> {
    policy::carrier_scope(actor)?;
    let row = unit_import::Entity::find_by_id(import_id).one(db).await?;
    let row = match row {
        Some(row) => row,
        None => return Err(policy::hidden(actor)),
    };
    policy::read_carrier(actor, CarrierId(row.carrier_id))?;
    serde_json::from_str(&row.report).map_err(|e| ServiceError::Corrupt(format!("import {import_id}: {e}")))
}
