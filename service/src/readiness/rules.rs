//! The rule sets: seeded with the national criteria, edited by bureau staff, audited.

use crate::entity::{criterion, rule_set};
use crate::policy::{self, Actor};
use crate::{Result, ServiceError, db};
use domain::carrier::CarrierKind;
use domain::readiness::{Criterion, CriterionForm, Metric, RuleSet};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

/// Adds the national rule sets that are missing (by code), inside the reference-data
/// transaction: the incubator conditions in their four variants and the maker-space filing
/// conditions, each criterion labelled with the words of its clause (`domain::national`).
pub(crate) async fn seed_rule_sets(txn: &impl ConnectionTrait) -> Result<()> {
    for national in domain::national::rule_sets() {
        if rule_set::Entity::find().filter(rule_set::Column::Code.eq(national.code)).one(txn).await?.is_some() {
            continue;
        }
        let set = rule_set::ActiveModel {
            code: Set(national.code.to_owned()),
            name_zh: Set(national.name_zh.clone()),
            name_en: Set(national.name_en.clone()),
            carrier_kind: Set(Some(national.kind.code().to_owned())),
            specialised: Set(national.specialised),
            relaxed: Set(national.relaxed),
            updated_at: Set(crate::now()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        for (position, rule) in (1_i32..).zip(national.rules.iter()) {
            criterion::ActiveModel {
                rule_set_id: Set(set.id),
                position: Set(position),
                label_zh: Set(rule.label_zh(national.relaxed)),
                label_en: Set(rule.label_en(national.relaxed)),
                metric: Set(rule.metric.code().to_owned()),
                threshold: Set(rule.threshold),
                or_metric: Set(rule.alternative.map(|(m, _)| m.code().to_owned())),
                or_threshold: Set(rule.alternative.map(|(_, t)| t)),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
    }
    Ok(())
}

/// Installations seeded before the IP criterion was read from its text held "or ≥ 70 % holding
/// IP"; 第十条（五） says 30 %. The seeded criterion is corrected (and audited) where it still
/// reads as seeded; a criterion bureau staff have since edited is theirs and left alone.
pub(crate) async fn correct_ip_criterion(txn: &impl ConnectionTrait) -> Result<u64> {
    let Some(set) =
        rule_set::Entity::find().filter(rule_set::Column::Code.eq("national_incubator_2018")).one(txn).await?
    else {
        return Ok(0);
    };
    let seeded = criterion::Entity::find()
        .filter(criterion::Column::RuleSetId.eq(set.id))
        .filter(criterion::Column::Metric.eq(Metric::PatentShare.code()))
        .filter(criterion::Column::OrMetric.eq(Metric::IpShare.code()))
        .filter(criterion::Column::OrThreshold.eq(7_000))
        .filter(
            criterion::Column::LabelZh.eq("已申请专利的在孵企业占比不低于50%，或拥有有效知识产权的企业占比不低于70%"),
        )
        .all(txn)
        .await?;
    let rule = domain::national::rule_sets()
        .into_iter()
        .find(|s| s.code == "national_incubator_2018")
        .and_then(|s| s.rules.into_iter().find(|r| r.metric == Metric::PatentShare))
        .ok_or_else(|| ServiceError::Corrupt("no national IP rule".into()))?;
    for before in &seeded {
        let mut after = before.clone();
        after.label_zh = rule.label_zh(false);
        after.label_en = rule.label_en(false);
        after.or_threshold = rule.alternative.map(|(_, t)| t);
        let active = criterion::ActiveModel {
            id: Set(after.id),
            label_zh: Set(after.label_zh.clone()),
            label_en: Set(after.label_en.clone()),
            or_threshold: Set(after.or_threshold),
            ..Default::default()
        };
        active.update(txn).await?;
        audit_criterion(
            txn,
            crate::audit::By::System("reference"),
            "criterion_corrected",
            after.id,
            Some(before),
            Some(&after),
        )
        .await?;
    }
    Ok(seeded.len() as u64)
}

fn criterion_of(model: criterion::Model) -> Result<Criterion> {
    let metric = Metric::from_code(&model.metric)
        .ok_or_else(|| ServiceError::Corrupt(format!("unknown metric {:?}", model.metric)))?;
    let alternative = match (model.or_metric.as_deref().and_then(Metric::from_code), model.or_threshold) {
        (Some(m), Some(t)) => Some((m, t)),
        _ => None,
    };
    Ok(Criterion {
        id: model.id,
        position: model.position,
        label_zh: model.label_zh,
        label_en: model.label_en,
        metric,
        threshold: model.threshold,
        alternative,
    })
}

async fn load_set(db: &impl ConnectionTrait, model: rule_set::Model) -> Result<RuleSet> {
    let criteria = criterion::Entity::find()
        .filter(criterion::Column::RuleSetId.eq(model.id))
        .order_by_asc(criterion::Column::Position)
        .order_by_asc(criterion::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(criterion_of)
        .collect::<Result<Vec<_>>>()?;
    Ok(RuleSet {
        id: model.id,
        code: model.code,
        name_zh: model.name_zh,
        name_en: model.name_en,
        carrier_kind: model.carrier_kind.as_deref().and_then(CarrierKind::from_code),
        specialised: model.specialised,
        relaxed: model.relaxed,
        criteria,
    })
}

/// Every rule set: bureau staff and operators (who check their own carriers against them).
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0))]
pub async fn rule_sets(db: &impl ConnectionTrait, actor: &Actor) -> Result<Vec<RuleSet>> {
    policy::carrier_scope(actor)?;
    let mut out = Vec::new();
    for model in rule_set::Entity::find().order_by_asc(rule_set::Column::Id).all(db).await? {
        out.push(load_set(db, model).await?);
    }
    Ok(out)
}

pub(super) async fn rule_set_of(db: &impl ConnectionTrait, id: i64) -> Result<RuleSet> {
    let model = rule_set::Entity::find_by_id(id).one(db).await?.ok_or(ServiceError::NotFound)?;
    load_set(db, model).await
}

async fn touch(txn: &impl ConnectionTrait, set: i64) -> Result<()> {
    let model = rule_set::Entity::find_by_id(set).one(txn).await?.ok_or(ServiceError::NotFound)?;
    let mut active: rule_set::ActiveModel = model.into();
    active.updated_at = Set(crate::now());
    active.update(txn).await?;
    Ok(())
}

async fn audit_criterion(
    txn: &impl ConnectionTrait,
    by: crate::audit::By<'_>,
    action: &'static str,
    id: i64,
    before: Option<&criterion::Model>,
    after: Option<&criterion::Model>,
) -> Result<()> {
    let snap = |m: &criterion::Model| {
        serde_json::json!({
            "rule_set": m.rule_set_id, "label": m.label_zh, "metric": m.metric, "threshold": m.threshold,
            "or_metric": m.or_metric, "or_threshold": m.or_threshold,
        })
    };
    crate::audit::record(
        txn,
        by,
        crate::audit::Change {
            action,
            entity_type: "criterion",
            entity_id: id,
            carrier: None,
            startup: None,
            before: before.and_then(|m| crate::audit::snapshot(&snap(m))),
            after: after.and_then(|m| crate::audit::snapshot(&snap(m))),
        },
    )
    .await
}

/// Adds a criterion at the end of a rule set (`criterion: None`) or changes one: bureau only.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, set = ?set))]
pub async fn save_criterion(
    db: &DatabaseConnection,
    actor: &Actor,
    set: i64,
    criterion_id: Option<i64>,
    form: &CriterionForm,
) -> Result<i64> {
    let permit = policy::manage_registry(actor)?;
    let draft = form.parse()?;
    let txn = db::begin_write(db).await?;
    rule_set::Entity::find_by_id(set).one(&txn).await?.ok_or(ServiceError::NotFound)?;
    let (alt_metric, alt_threshold) = match draft.alternative {
        Some((m, t)) => (Some(m.code().to_owned()), Some(t)),
        None => (None, None),
    };
    let saved = match criterion_id {
        Some(id) => {
            let before = criterion::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .filter(|c| c.rule_set_id == set)
                .ok_or(ServiceError::NotFound)?;
            let mut active: criterion::ActiveModel = before.clone().into();
            active.label_zh = Set(draft.label_zh);
            active.label_en = Set(draft.label_en);
            active.metric = Set(draft.metric.code().to_owned());
            active.threshold = Set(draft.threshold);
            active.or_metric = Set(alt_metric);
            active.or_threshold = Set(alt_threshold);
            let after = active.update(&txn).await?;
            audit_criterion(
                &txn,
                crate::audit::By::Actor(permit),
                "criterion_changed",
                id,
                Some(&before),
                Some(&after),
            )
            .await?;
            after.id
        }
        None => {
            let last = criterion::Entity::find()
                .filter(criterion::Column::RuleSetId.eq(set))
                .order_by_desc(criterion::Column::Position)
                .one(&txn)
                .await?
                .map_or(0, |c| c.position);
            let after = criterion::ActiveModel {
                rule_set_id: Set(set),
                position: Set(last + 1),
                label_zh: Set(draft.label_zh),
                label_en: Set(draft.label_en),
                metric: Set(draft.metric.code().to_owned()),
                threshold: Set(draft.threshold),
                or_metric: Set(alt_metric),
                or_threshold: Set(alt_threshold),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            audit_criterion(&txn, crate::audit::By::Actor(permit), "criterion_added", after.id, None, Some(&after))
                .await?;
            after.id
        }
    };
    touch(&txn, set).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Removes a criterion from its rule set: bureau only.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, set = ?set, criterion_id = ?criterion_id))]
pub async fn remove_criterion(db: &DatabaseConnection, actor: &Actor, set: i64, criterion_id: i64) -> Result<()> {
    let permit = policy::manage_registry(actor)?;
    let txn = db::begin_write(db).await?;
    let before = criterion::Entity::find_by_id(criterion_id)
        .one(&txn)
        .await?
        .filter(|c| c.rule_set_id == set)
        .ok_or(ServiceError::NotFound)?;
    criterion::Entity::delete_by_id(criterion_id).exec(&txn).await?;
    audit_criterion(&txn, crate::audit::By::Actor(permit), "criterion_removed", criterion_id, Some(&before), None)
        .await?;
    touch(&txn, set).await?;
    txn.commit().await?;
    Ok(())
}

/// One rule set: bureau staff and operators.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, set = ?set))]
pub async fn rule_set(db: &impl ConnectionTrait, actor: &Actor, set: i64) -> Result<RuleSet> {
    policy::carrier_scope(actor)?;
    rule_set_of(db, set).await
}
