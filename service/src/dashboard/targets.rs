//! The stored area targets: read by the dashboard, added, edited and removed by bureau staff.

use crate::entity::{area_target, district};
use crate::policy::{self, Actor};
use crate::{Result, ServiceError, db};
use chrono::NaiveDate;
use domain::dashboard::{TargetForm, TargetRow};
use domain::target::Target;
use domain::{Area, DistrictId, FieldErrors, Problem};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::BTreeMap;

/// The stored targets, for bureau staff.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0))]
pub async fn list_targets(db: &impl ConnectionTrait, actor: &Actor) -> Result<Vec<TargetRow>> {
    policy::read_city(actor)?;
    targets(db).await
}

/// The stored targets, the city's first.
pub async fn targets(db: &impl ConnectionTrait) -> Result<Vec<TargetRow>> {
    let districts: BTreeMap<i64, district::Model> =
        district::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d)).collect();
    let rows = area_target::Entity::find()
        .order_by_asc(area_target::Column::DistrictId)
        .order_by_asc(area_target::Column::Deadline)
        .order_by_asc(area_target::Column::Id)
        .all(db)
        .await?;
    let mut out: Vec<TargetRow> = rows
        .into_iter()
        .map(|t| TargetRow {
            id: t.id,
            name_zh: t.name_zh,
            name_en: t.name_en,
            district: t
                .district_id
                .and_then(|id| districts.get(&id))
                .map(|d| (DistrictId(d.id), d.name_zh.clone(), d.name_en.clone())),
            target: Target { area: Area::from_hundredths(t.area), base_date: t.base_date, deadline: t.deadline },
            version: t.version,
        })
        .collect();
    out.sort_by_key(|t| t.district.is_some());
    Ok(out)
}

/// A target form, checked.
struct CheckedTarget {
    name_zh: String,
    name_en: String,
    district: Option<i64>,
    area: Area,
    base_date: NaiveDate,
    deadline: NaiveDate,
}

impl CheckedTarget {
    async fn check(db: &impl ConnectionTrait, form: &TargetForm) -> Result<CheckedTarget> {
        let mut errors = FieldErrors::default();
        let name_zh = errors.check("name_zh", domain::validation::text(&form.name_zh, 1, 200));
        let name_en = match form.name_en.trim() {
            "" => name_zh.clone(),
            _ => errors.check("name_en", domain::validation::text(&form.name_en, 1, 200)),
        };
        let district = match form.district_id.trim() {
            "" => Some(None),
            raw => match raw.parse::<i64>() {
                Ok(id) if district::Entity::find_by_id(id).one(db).await?.is_some() => Some(Some(id)),
                _ => {
                    errors.add("district_id", Problem::UnknownDistrict);
                    None
                }
            },
        };
        let area = match Area::parse(&form.area) {
            Ok(a) if a.hundredths() <= 0 => {
                errors.add("area", Problem::NotPositive);
                None
            }
            Ok(a) => Some(a),
            Err(e) => {
                errors.add("area", e.into());
                None
            }
        };
        let date = domain::time::parse_date;
        let base_date = errors.check("base_date", date(&form.base_date));
        let deadline = errors.check("deadline", date(&form.deadline));
        if let (Some(b), Some(d)) = (base_date, deadline)
            && d <= b
        {
            errors.add("deadline", Problem::EndBeforeStart);
        }
        match (name_zh, name_en, district, area, base_date, deadline) {
            (Some(name_zh), Some(name_en), Some(district), Some(area), Some(base_date), Some(deadline))
                if errors.is_empty() =>
            {
                Ok(CheckedTarget { name_zh, name_en, district, area, base_date, deadline })
            }
            _ => Err(errors.into()),
        }
    }
}

/// What the audit trail keeps of a target.
fn target_snapshot(t: &area_target::Model) -> Option<serde_json::Value> {
    crate::audit::snapshot(&serde_json::json!({
        "name_zh": t.name_zh, "name_en": t.name_en, "area": Area::from_hundredths(t.area),
        "base_date": t.base_date, "deadline": t.deadline, "district": t.district_id,
    }))
}

/// Adds a target: bureau staff only.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0))]
pub async fn add_target(db: &DatabaseConnection, actor: &Actor, form: &TargetForm) -> Result<i64> {
    let permit = policy::manage_registry(actor)?;
    let t = CheckedTarget::check(db, form).await?;
    let txn = db::begin_write(db).await?;
    let model = area_target::ActiveModel {
        name_zh: Set(t.name_zh),
        name_en: Set(t.name_en),
        district_id: Set(t.district),
        area: Set(t.area.hundredths()),
        base_date: Set(t.base_date),
        deadline: Set(t.deadline),
        version: Set(0),
        author_email: Set(actor.email.clone()),
        created_at: Set(crate::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    crate::audit::record(
        &txn,
        crate::audit::By::Actor(permit),
        crate::audit::Change {
            action: "target_added",
            entity_type: "area_target",
            entity_id: model.id,
            carrier: None,
            startup: None,
            before: None,
            after: target_snapshot(&model),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(model.id)
}

/// Changes a target (its name, scope, area or dates): bureau staff only. `version` is the
/// version the edit began from: if someone saved in between, nothing is written and
/// [`ServiceError::Stale`] says so; a target removed meanwhile is not found.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, id = ?id))]
pub async fn update_target(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    version: i32,
    form: &TargetForm,
) -> Result<()> {
    use sea_orm::sea_query::ExprTrait as _;
    let permit = policy::manage_registry(actor)?;
    let t = CheckedTarget::check(db, form).await?;
    let txn = db::begin_write(db).await?;
    let before = area_target::Entity::find_by_id(id).one(&txn).await?.ok_or(ServiceError::NotFound)?;
    // Conditional on the version read: of two edits begun from one version, one is written
    // and the other changes nothing.
    let changed = area_target::Entity::update_many()
        .col_expr(area_target::Column::NameZh, Expr::value(t.name_zh))
        .col_expr(area_target::Column::NameEn, Expr::value(t.name_en))
        .col_expr(area_target::Column::DistrictId, Expr::value(t.district))
        .col_expr(area_target::Column::Area, Expr::value(t.area.hundredths()))
        .col_expr(area_target::Column::BaseDate, Expr::value(t.base_date))
        .col_expr(area_target::Column::Deadline, Expr::value(t.deadline))
        .col_expr(area_target::Column::Version, Expr::col(area_target::Column::Version).add(1))
        .filter(area_target::Column::Id.eq(id))
        .filter(area_target::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if changed.rows_affected == 0 {
        return Err(ServiceError::Stale);
    }
    let after = area_target::Entity::find_by_id(id).one(&txn).await?.ok_or(ServiceError::NotFound)?;
    crate::audit::record(
        &txn,
        crate::audit::By::Actor(permit),
        crate::audit::Change {
            action: "target_changed",
            entity_type: "area_target",
            entity_id: id,
            carrier: None,
            startup: None,
            before: target_snapshot(&before),
            after: target_snapshot(&after),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Removes a target: bureau staff only.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, id = ?id))]
pub async fn remove_target(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    let permit = policy::manage_registry(actor)?;
    let txn = db::begin_write(db).await?;
    let target = area_target::Entity::find_by_id(id).one(&txn).await?.ok_or(ServiceError::NotFound)?;
    // Of two removals at once, the one that deletes nothing says so instead of auditing twice.
    if area_target::Entity::delete_by_id(id).exec(&txn).await?.rows_affected == 0 {
        return Err(ServiceError::NotFound);
    }
    crate::audit::record(
        &txn,
        crate::audit::By::Actor(permit),
        crate::audit::Change {
            action: "target_removed",
            entity_type: "area_target",
            entity_id: id,
            carrier: None,
            startup: None,
            before: target_snapshot(&target),
            after: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
