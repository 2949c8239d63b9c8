//! The tenant lifecycle: applicant → incubating → graduated → exited, each a dated event per
//! startup and carrier; graduation names the national criterion met. A startup's stage is its
//! latest *recorded* event: an application submitted today for a lease that began last year
//! must not undo the incubation.

use crate::audit::{self, By, Change};
use crate::entity::{startup, tenant_event};
use crate::policy::{self, Actor, Permit};
use crate::{Result, ServiceError, db};
use chrono::NaiveDate;
use domain::carrier::Industry;
use domain::tenancy::startup::{
    GraduationCriterion, StageEvent, TenantStage, TenantView, near_incubation_limit, past_incubation_limit,
    whole_months,
};
use domain::text::SystemText;
use domain::{CarrierId, FieldErrors, Problem, StartupId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::BTreeMap;

/// Appends a stage event, inside the caller's transaction.
#[expect(clippy::too_many_arguments, reason = "one row's columns, named at the call")]
pub(crate) async fn record_event(
    txn: &impl ConnectionTrait,
    permit: Permit<'_>,
    carrier: CarrierId,
    startup: StartupId,
    stage: TenantStage,
    on: NaiveDate,
    criterion: Option<GraduationCriterion>,
    note: &str,
) -> Result<()> {
    tenant_event::ActiveModel {
        startup_id: Set(startup.0),
        carrier_id: Set(carrier.0),
        stage: Set(stage.code().to_owned()),
        on_date: Set(on),
        criterion: Set(criterion.map(|c| c.code().to_owned())),
        note: Set(note.to_owned()),
        author_email: Set(permit.actor().email.clone()),
        recorded_at: Set(crate::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    audit::record(
        txn,
        By::Actor(permit),
        Change {
            action: stage.code(),
            entity_type: "tenant",
            entity_id: startup.0,
            carrier: Some(carrier),
            startup: Some(startup),
            before: None,
            after: audit::snapshot(
                &serde_json::json!({ "stage": stage, "on": on, "criterion": criterion, "note": note }),
            ),
        },
    )
    .await
}

/// An operator records a graduation (with its criterion) or an exit.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, carrier = ?carrier, startup = ?startup))]
pub async fn record_stage(
    db: &DatabaseConnection,
    actor: &Actor,
    carrier: CarrierId,
    startup: StartupId,
    event: &StageEvent,
) -> Result<()> {
    let permit = policy::operate_carrier(actor, carrier)?;
    let txn = db::begin_write(db).await?;
    let events = events_of(&txn, carrier, startup).await?;
    let current = events.last().map(|e| e.stage);
    let allowed = match event.stage {
        TenantStage::Graduated => current == Some(TenantStage::Incubating),
        TenantStage::Exited => matches!(current, Some(TenantStage::Incubating | TenantStage::Graduated)),
        TenantStage::Applicant | TenantStage::Incubating => false,
    };
    if !allowed {
        return Err(FieldErrors::single("stage", Problem::WrongStage).into());
    }
    if events.last().is_some_and(|last| event.on < last.on) {
        return Err(FieldErrors::single("on", Problem::DateBeforeUnit).into());
    }
    // A graduation's criterion is checked against the records; one they cannot prove is still
    // recorded when the operator gives the reason (the evidence they hold), and the trail says so.
    let mut note = event.note.clone();
    if let (TenantStage::Graduated, Some(criterion)) = (event.stage, event.criterion) {
        let facts = graduation_facts(&txn, startup, event.on).await?;
        if !facts.prove(criterion, event.on) {
            if event.note.trim().chars().count() < 5 {
                return Err(FieldErrors::single("note", Problem::GraduationUnproven).into());
            }
            note = SystemText::Unproven.store(event.note.trim());
        }
    }
    record_event(&txn, permit, carrier, startup, event.stage, event.on, event.criterion, &note).await?;
    txn.commit().await?;
    Ok(())
}

/// What the records show about `startup` for a graduation on `on`: its high-tech recognition,
/// the outside money in its equity ledger, the financing and revenue of its yearly figures.
pub async fn graduation_facts(
    db: &impl ConnectionTrait,
    startup: StartupId,
    on: NaiveDate,
) -> Result<domain::tenancy::startup::GraduationFacts> {
    use chrono::Datelike;
    let row = startup::Entity::find_by_id(startup.0).one(db).await?.ok_or(ServiceError::NotFound)?;
    let ledger = crate::equity::outside_money(db, &[startup.0], on).await?;
    let years = crate::entity::startup_year::Entity::find()
        .filter(crate::entity::startup_year::Column::StartupId.eq(startup.0))
        .filter(crate::entity::startup_year::Column::Year.lte(on.year()))
        .all(db)
        .await?;
    Ok(domain::tenancy::startup::GraduationFacts {
        high_tech_on: row.high_tech_on,
        financing_ledger: ledger.get(&startup.0).map(|rounds| rounds.iter().map(|(_, m)| *m).sum()).unwrap_or_default(),
        financing_reported: years.iter().map(|y| domain::Money::from_fen(y.financing_fen)).sum(),
        revenue: years.iter().map(|y| (y.year, domain::Money::from_fen(y.revenue_fen))).collect(),
    })
}

async fn events_of(db: &impl ConnectionTrait, carrier: CarrierId, startup: StartupId) -> Result<Vec<StageEvent>> {
    Ok(tenant_event::Entity::find()
        .filter(tenant_event::Column::CarrierId.eq(carrier.0))
        .filter(tenant_event::Column::StartupId.eq(startup.0))
        .order_by_asc(tenant_event::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|e| {
            Some(StageEvent {
                stage: TenantStage::from_code(&e.stage)?,
                on: e.on_date,
                criterion: e.criterion.as_deref().and_then(GraduationCriterion::from_code),
                note: e.note,
            })
        })
        .collect())
}

/// The startups of a carrier with their stage, incubation months and the 48-month flag.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, carrier = ?carrier))]
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    carrier: CarrierId,
    today: NaiveDate,
) -> Result<Vec<TenantView>> {
    policy::read_carrier(actor, carrier)?;
    let rows = tenant_event::Entity::find()
        .filter(tenant_event::Column::CarrierId.eq(carrier.0))
        .order_by_asc(tenant_event::Column::Id)
        .all(db)
        .await?;
    let mut by_startup: BTreeMap<i64, Vec<tenant_event::Model>> = BTreeMap::new();
    for row in rows {
        by_startup.entry(row.startup_id).or_default().push(row);
    }
    let startups: BTreeMap<i64, (String, Option<Industry>)> = startup::Entity::find()
        .filter(startup::Column::Id.is_in(by_startup.keys().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, (s.name, s.industry.as_deref().and_then(Industry::from_code))))
        .collect();
    let mut tenants = Vec::new();
    for (startup_id, rows) in by_startup {
        let events: Vec<StageEvent> = rows
            .into_iter()
            .filter_map(|e| {
                Some(StageEvent {
                    stage: TenantStage::from_code(&e.stage)?,
                    on: e.on_date,
                    criterion: e.criterion.as_deref().and_then(GraduationCriterion::from_code),
                    note: e.note,
                })
            })
            .collect();
        let Some(stage) = events.last().map(|e| e.stage) else { continue };
        let incubating_since = events.iter().find(|e| e.stage == TenantStage::Incubating).map(|e| e.on);
        let until = events
            .iter()
            .find(|e| matches!(e.stage, TenantStage::Graduated | TenantStage::Exited))
            .map_or(today, |e| e.on);
        let months = incubating_since.map_or(0, |since| whole_months(since, until));
        let (name, industry) = startups.get(&startup_id).cloned().unwrap_or_default();
        let near_limit = stage == TenantStage::Incubating
            && incubating_since.is_some_and(|since| near_incubation_limit(since, today, industry));
        let past_limit = stage == TenantStage::Incubating
            && incubating_since.is_some_and(|since| past_incubation_limit(since, today, industry));
        tenants.push(TenantView {
            startup: StartupId(startup_id),
            name,
            carrier,
            stage,
            events,
            incubating_since,
            months,
            near_limit,
            past_limit,
        });
    }
    tenants.sort_by(|a, b| b.near_limit.cmp(&a.near_limit).then(a.name.cmp(&b.name)));
    Ok(tenants)
}
