//! Sites, buildings and floors: the places units sit in.

use super::access::manage;
use crate::audit::{self, By, Change as AuditChange};
use crate::entity::{building, carrier, floor, site};
use crate::policy::{self, Actor, Permit};
use crate::{Result, ServiceError, db};
use domain::space::{self, PlaceForm, field};
use domain::{CarrierId, FieldErrors, Problem};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set,
};

/// Adds a site (a campus or park with its address) to a carrier.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, carrier = ?carrier))]
pub async fn create_site(db: &DatabaseConnection, actor: &Actor, carrier: CarrierId, form: &PlaceForm) -> Result<i64> {
    let permit = manage(actor, carrier)?;
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
        created_at: Set(crate::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record_place(
        &txn,
        permit,
        "site",
        row.id,
        carrier,
        serde_json::json!({ "name": row.name, "address": row.address }),
    )
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Adds a building to a site.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, site_id = ?site_id))]
pub async fn create_building(db: &DatabaseConnection, actor: &Actor, site_id: i64, name: &str) -> Result<i64> {
    let parent = site::Entity::find_by_id(site_id).one(db).await?;
    let carrier = match &parent {
        Some(s) => CarrierId(s.carrier_id),
        None => return Err(policy::hidden(actor)),
    };
    let permit = manage(actor, carrier)?;
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
        created_at: Set(crate::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record_place(&txn, permit, "building", row.id, carrier, serde_json::json!({ "site": site_id, "name": row.name }))
        .await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Adds a floor to a building.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, building_id = ?building_id))]
pub async fn create_floor(db: &DatabaseConnection, actor: &Actor, building_id: i64, label: &str) -> Result<i64> {
    let parent = building::Entity::find_by_id(building_id).one(db).await?;
    let carrier = match &parent {
        Some(b) => CarrierId(b.carrier_id),
        None => return Err(policy::hidden(actor)),
    };
    let permit = manage(actor, carrier)?;
    let label = domain::validation::text(label, 1, 20).map_err(|p| FieldErrors::single(field::LABEL, p))?;
    let txn = db::begin_write(db).await?;
    let id = insert_floor(&txn, building_id, carrier, &label).await?;
    record_place(&txn, permit, "floor", id, carrier, serde_json::json!({ "building": building_id, "label": label }))
        .await?;
    txn.commit().await?;
    Ok(id)
}

pub(super) async fn insert_floor(
    txn: &impl ConnectionTrait,
    building_id: i64,
    carrier: CarrierId,
    label: &str,
) -> Result<i64> {
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
        created_at: Set(crate::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(row.id)
}

pub(super) async fn record_place(
    txn: &impl ConnectionTrait,
    permit: Permit<'_>,
    entity_type: &str,
    id: i64,
    carrier: CarrierId,
    after: serde_json::Value,
) -> Result<()> {
    audit::record(
        txn,
        By::Actor(permit),
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
