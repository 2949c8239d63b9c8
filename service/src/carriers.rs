//! The carrier registry: registering, editing, archiving, finding and counting carriers.

use crate::audit::{self, By, Change};
use crate::entity::{carrier, carrier_industry, district};
use crate::policy::{self, Actor, CarrierScope};
use crate::{Result, ServiceError, db, districts, registry};
use domain::carrier::{
    Accreditation, CarrierDraft, CarrierKind, CarrierQuery, CarrierRow, CarrierSort, CarrierView, DatedAttributes,
    Industry, Level, OperatingModel, RegistrySummary, field,
};
use domain::listing::Listing;
use domain::{CarrierId, FieldErrors, Page, Problem};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, Query, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, Order, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, SqlErr,
};
use std::collections::BTreeSet;

/// Registers a new carrier (bureau staff).
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0))]
pub async fn create(db: &DatabaseConnection, actor: &Actor, draft: &CarrierDraft) -> Result<CarrierId> {
    let permit = policy::manage_registry(actor)?;
    insert(db, By::Actor(permit), draft).await
}

/// Registers a carrier on behalf of `by`; the authorisation is the caller's.
pub(crate) async fn insert(db: &DatabaseConnection, by: By<'_>, draft: &CarrierDraft) -> Result<CarrierId> {
    let txn = db::begin_write(db).await?;
    check_references(&txn, draft, None).await?;
    let now = crate::now();
    let model = carrier::ActiveModel {
        name: Set(draft.name.clone()),
        kind: Set(draft.kind.code().to_owned()),
        level: Set(draft.accreditation.level().code().to_owned()),
        level_year: Set(draft.accreditation.year()),
        district_id: Set(draft.district_id.0),
        operator_org: Set(draft.operator_org.clone()),
        operating_model: Set(draft.operating_model.code().to_owned()),
        address: Set(draft.address.clone()),
        opened_on: Set(draft.opened_on),
        contact_name: Set(draft.contact_name.clone()),
        contact_phone: Set(draft.contact_phone.clone()),
        contact_email: Set(draft.contact_email.clone()),
        archived: Set(false),
        archived_at: Set(None),
        specialised: Set(draft.specialised),
        relaxed: Set(draft.relaxed),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(name_taken_on_unique_violation)?;
    replace_industries(&txn, model.id, &draft.industries).await?;
    // The dated attributes as registered, in force from the opening.
    registry::record(&txn, model.id, draft.opened_on, &registry::Change::all(&dated(draft, false)), &by.email())
        .await?;
    audit::record(
        &txn,
        by,
        Change {
            action: "create",
            entity_type: "carrier",
            entity_id: model.id,
            carrier: Some(CarrierId(model.id)),
            startup: None,
            before: None,
            after: snapshot(draft, false),
        },
    )
    .await?;
    txn.commit().await?;
    tracing::info!(carrier = model.id, "carrier registered");
    Ok(CarrierId(model.id))
}

/// The dated attributes a draft gives a carrier.
fn dated(draft: &CarrierDraft, archived: bool) -> registry::State {
    registry::State {
        district: draft.district_id.0,
        kind: draft.kind.code().to_owned(),
        level: draft.accreditation.level().code().to_owned(),
        model: draft.operating_model.code().to_owned(),
        archived,
    }
}

/// Replaces a carrier's registration data. `expected_version` is the version the editor
/// started from: if someone saved in between, nothing is written and [`ServiceError::Stale`]
/// is returned, rather than silently overwriting their change.
///
/// A change of the dated attributes (district, kind, level, operating model) applies from the
/// draft's `effective_on` (today if none): figures of earlier days keep the attributes then in
/// force, and later recorded changes of the same attribute stand.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, id = ?id))]
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: CarrierId,
    expected_version: i32,
    draft: &CarrierDraft,
) -> Result<()> {
    let permit = policy::manage_registry(actor)?;
    let before = get(db, actor, id).await?;
    let txn = db::begin_write(db).await?;
    let current = carrier::Entity::find_by_id(id.0).one(&txn).await?.ok_or(ServiceError::NotFound)?;
    if current.version != expected_version || before.version != expected_version {
        return Err(ServiceError::Stale);
    }
    check_references(&txn, draft, Some(id)).await?;
    crate::area::lock_carrier(&txn, id.0).await?;
    db::claim_version::<carrier::Entity>(&txn, (carrier::Column::Id, id.0), carrier::Column::Version, expected_version)
        .await?;
    let archived = current.archived;
    let effective_on = std::cmp::max(draft.effective_on.unwrap_or_else(crate::today), draft.opened_on);
    move_opening(&txn, id.0, current.opened_on, draft.opened_on).await?;
    // The attributes the editor changed from what they were shown (the current ones), applied
    // from the effective day; the others are not touched, so an earlier change of them stands.
    let wanted = dated(draft, archived);
    let changed = |new: &String, old: &String| (new != old).then(|| new.clone());
    let change = registry::Change {
        district: (wanted.district != current.district_id).then_some(wanted.district),
        kind: changed(&wanted.kind, &current.kind),
        level: changed(&wanted.level, &current.level),
        model: changed(&wanted.model, &current.operating_model),
        archived: None,
    };
    let now_in_force = registry::record(&txn, id.0, effective_on, &change, &actor.email).await?;
    let mut model: carrier::ActiveModel = current.into();
    model.name = Set(draft.name.clone());
    model.kind = Set(now_in_force.kind.clone());
    model.level = Set(now_in_force.level.clone());
    model.level_year = Set(draft.accreditation.year());
    model.district_id = Set(now_in_force.district);
    model.operator_org = Set(draft.operator_org.clone());
    model.operating_model = Set(now_in_force.model.clone());
    model.specialised = Set(draft.specialised);
    model.relaxed = Set(draft.relaxed);
    model.address = Set(draft.address.clone());
    model.opened_on = Set(draft.opened_on);
    model.contact_name = Set(draft.contact_name.clone());
    model.contact_phone = Set(draft.contact_phone.clone());
    model.contact_email = Set(draft.contact_email.clone());
    model.version = Set(expected_version + 1);
    model.updated_at = Set(crate::now());
    model.update(&txn).await.map_err(name_taken_on_unique_violation)?;
    replace_industries(&txn, id.0, &draft.industries).await?;
    audit::record(
        &txn,
        By::Actor(permit),
        Change {
            action: "update",
            entity_type: "carrier",
            entity_id: id.0,
            carrier: Some(id),
            startup: None,
            before: snapshot(&before.data, archived),
            after: snapshot(draft, archived),
        },
    )
    .await?;
    txn.commit().await?;
    tracing::info!(carrier = id.0, "carrier updated");
    Ok(())
}

/// Archives a carrier (or brings it back) from today. Nothing in the registry is ever deleted:
/// an archived carrier leaves the default list but keeps its history.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, id = ?id))]
pub async fn set_archived(db: &DatabaseConnection, actor: &Actor, id: CarrierId, archived: bool) -> Result<()> {
    set_archived_from(db, actor, id, archived, crate::today()).await
}

/// Archives a carrier (or brings it back) from `from`: figures of the days before still count it
/// (or still leave it out).
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, id = ?id))]
pub async fn set_archived_from(
    db: &DatabaseConnection,
    actor: &Actor,
    id: CarrierId,
    archived: bool,
    from: chrono::NaiveDate,
) -> Result<()> {
    let permit = policy::manage_registry(actor)?;
    archive(db, By::Actor(permit), id, archived, from).await
}

pub(crate) async fn archive(
    db: &DatabaseConnection,
    by: By<'_>,
    id: CarrierId,
    archived: bool,
    from: chrono::NaiveDate,
) -> Result<()> {
    let today = crate::today();
    let txn = db::begin_write(db).await?;
    crate::area::lock_carrier(&txn, id.0).await?;
    let current = carrier::Entity::find_by_id(id.0).one(&txn).await?.ok_or(ServiceError::NotFound)?;
    if current.archived == archived {
        return Ok(());
    }
    if from > today {
        return Err(FieldErrors::single(field::EFFECTIVE_ON, Problem::DateInFuture).into());
    }
    if from < current.opened_on {
        let min = current.opened_on.format("%Y-%m-%d").to_string();
        return Err(FieldErrors::single(field::EFFECTIVE_ON, Problem::DateTooEarly { min }).into());
    }
    let now = crate::now();
    // Conditional on the state read: of two requests changing it at once, one changes it and
    // the other finds nothing left to do. The version moves on, so an edit begun before fails.
    let changed = carrier::Entity::update_many()
        .col_expr(carrier::Column::Archived, Expr::value(archived))
        .col_expr(carrier::Column::ArchivedAt, Expr::value(archived.then_some(now)))
        .col_expr(carrier::Column::Version, Expr::col(carrier::Column::Version).add(1))
        .col_expr(carrier::Column::UpdatedAt, Expr::value(now))
        .filter(carrier::Column::Id.eq(id.0))
        .filter(carrier::Column::Archived.eq(!archived))
        .exec(&txn)
        .await?;
    if changed.rows_affected == 0 {
        return Ok(());
    }
    let change = registry::Change { archived: Some(archived), ..Default::default() };
    registry::record(&txn, id.0, from, &change, &by.email()).await?;
    audit::record(
        &txn,
        by,
        Change {
            action: if archived { "archive" } else { "restore" },
            entity_type: "carrier",
            entity_id: id.0,
            carrier: Some(id),
            startup: None,
            before: audit::snapshot(&serde_json::json!({ "archived": !archived })),
            after: audit::snapshot(&serde_json::json!({ "archived": archived, "from": from })),
        },
    )
    .await?;
    txn.commit().await?;
    tracing::info!(carrier = id.0, archived, "carrier archive state changed");
    Ok(())
}

/// One carrier with everything its page shows: for the bureau, and its own operators.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, id = ?id))]
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: CarrierId) -> Result<CarrierView> {
    policy::read_carrier(actor, id)?;
    let (model, district) = carrier::Entity::find_by_id(id.0)
        .find_also_related(district::Entity)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let district = district.ok_or_else(|| ServiceError::Corrupt(format!("carrier {} has no district", model.id)))?;
    let industries = carrier_industry::Entity::find()
        .filter(carrier_industry::Column::CarrierId.eq(model.id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| decode(Industry::from_code, &row.industry, "industry"))
        .collect::<Result<BTreeSet<_>>>()?;
    let accreditation = accreditation(&model)?;
    let names: std::collections::BTreeMap<i64, district::Model> =
        district::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d)).collect();
    let history = registry::rows_of(db, model.id)
        .await?
        .into_iter()
        .map(|row| {
            let d = names.get(&row.district_id);
            Ok(DatedAttributes {
                from: row.effective_on,
                district_zh: d.map(|d| d.name_zh.clone()).unwrap_or_default(),
                district_en: d.map(|d| d.name_en.clone()).unwrap_or_default(),
                kind: decode(CarrierKind::from_code, &row.kind, "kind")?,
                level: decode(Level::from_code, &row.level, "level")?,
                model: decode(OperatingModel::from_code, &row.operating_model, "operating model")?,
                archived: row.archived,
                author: row.author_email,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(CarrierView {
        id: CarrierId(model.id),
        data: CarrierDraft {
            name: model.name,
            kind: decode(CarrierKind::from_code, &model.kind, "kind")?,
            accreditation,
            district_id: domain::DistrictId(model.district_id),
            operator_org: model.operator_org,
            operating_model: decode(OperatingModel::from_code, &model.operating_model, "operating model")?,
            address: model.address,
            opened_on: model.opened_on,
            industries,
            contact_name: model.contact_name,
            contact_phone: model.contact_phone,
            contact_email: model.contact_email,
            specialised: model.specialised,
            relaxed: model.relaxed,
            effective_on: None,
        },
        district: districts::view(district)?,
        archived: model.archived,
        version: model.version,
        created_at: model.created_at,
        updated_at: model.updated_at,
        can_manage: policy::manage_registry(actor).is_ok(),
        history,
        listing: Listing { description: model.description, public: model.listed_publicly },
        can_list: policy::operate_carrier(actor, CarrierId(model.id)).is_ok(),
    })
}

/// One page of the registry, filtered, searched and sorted as `query` asks, within the actor's
/// scope (everything for the bureau, their own carriers for operators).
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0))]
pub async fn list(db: &impl ConnectionTrait, actor: &Actor, query: &CarrierQuery) -> Result<Page<CarrierRow>> {
    let condition = list_condition(query).add(scope_condition(&policy::carrier_scope(actor)?));
    let total = carrier::Entity::find().filter(condition.clone()).count(db).await?;

    let direction = if query.descending { Order::Desc } else { Order::Asc };
    let mut select = carrier::Entity::find().filter(condition).find_also_related(district::Entity);
    select = match query.sort.unwrap_or(CarrierSort::Name) {
        CarrierSort::Name => select.order_by(carrier::Column::Name, direction),
        CarrierSort::Opened => select.order_by(carrier::Column::OpenedOn, direction),
        CarrierSort::Updated => select.order_by(carrier::Column::UpdatedAt, direction),
        CarrierSort::District => {
            select.order_by(district::Column::SortOrder, direction.clone()).order_by(carrier::Column::Name, Order::Asc)
        }
        CarrierSort::Level => select.order_by(level_rank(), direction).order_by(carrier::Column::Name, Order::Asc),
    };
    let rows = select
        .order_by(carrier::Column::Id, Order::Asc)
        .limit(u64::from(CarrierQuery::PAGE_SIZE))
        .offset(query.offset())
        .all(db)
        .await?;

    let ids: Vec<CarrierId> = rows.iter().map(|(m, _)| CarrierId(m.id)).collect();
    let figures: std::collections::BTreeMap<CarrierId, domain::dashboard::Totals> =
        crate::dashboard::figures(db, None, Some(&ids), query.on.unwrap_or_else(crate::today))
            .await?
            .into_iter()
            .map(|f| (f.id, f.totals))
            .collect();
    let items = rows
        .into_iter()
        .map(|(model, district)| {
            let totals = figures.get(&CarrierId(model.id)).copied().unwrap_or_default();
            let district =
                district.ok_or_else(|| ServiceError::Corrupt(format!("carrier {} has no district", model.id)))?;
            Ok(CarrierRow {
                id: CarrierId(model.id),
                kind: decode(CarrierKind::from_code, &model.kind, "kind")?,
                accreditation: accreditation(&model)?,
                operating_model: decode(OperatingModel::from_code, &model.operating_model, "operating model")?,
                district: districts::view(district)?,
                name: model.name,
                opened_on: model.opened_on,
                archived: model.archived,
                gross: totals.gross,
                tenants: totals.tenants,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Page { items, total, more: false, page: query.page, page_size: CarrierQuery::PAGE_SIZE })
}

/// Counts of the carriers in the actor's scope (archived ones left out) by kind, level, model
/// and district. Every district appears, with zero where it has none.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0))]
pub async fn summary(db: &impl ConnectionTrait, actor: &Actor) -> Result<RegistrySummary> {
    let scope = scope_condition(&policy::carrier_scope(actor)?);
    async fn count_by<T>(
        db: &impl ConnectionTrait,
        scope: &Condition,
        column: carrier::Column,
        from_code: impl Fn(&str) -> Option<T>,
        all: &[T],
    ) -> Result<Vec<(T, u64)>>
    where
        T: Copy + PartialEq,
    {
        let counts: Vec<(String, i64)> = carrier::Entity::find()
            .select_only()
            .column(column)
            .column_as(carrier::Column::Id.count(), "n")
            .filter(carrier::Column::Archived.eq(false))
            .filter(scope.clone())
            .group_by(column)
            .into_tuple()
            .all(db)
            .await?;
        let mut decoded = Vec::with_capacity(counts.len());
        for (code, n) in counts {
            decoded.push((decode(&from_code, &code, "code")?, u64::try_from(n).unwrap_or(0)));
        }
        Ok(all
            .iter()
            .map(|value| {
                let n = decoded.iter().find(|(v, _)| v == value).map_or(0, |(_, n)| *n);
                (*value, n)
            })
            .collect())
    }

    let by_kind = count_by(db, &scope, carrier::Column::Kind, CarrierKind::from_code, CarrierKind::ALL).await?;
    let by_level = count_by(db, &scope, carrier::Column::Level, Level::from_code, Level::ALL).await?;
    let by_model =
        count_by(db, &scope, carrier::Column::OperatingModel, OperatingModel::from_code, OperatingModel::ALL).await?;

    let district_counts: Vec<(i64, i64)> = carrier::Entity::find()
        .select_only()
        .column(carrier::Column::DistrictId)
        .column_as(carrier::Column::Id.count(), "n")
        .filter(carrier::Column::Archived.eq(false))
        .filter(scope.clone())
        .group_by(carrier::Column::DistrictId)
        .into_tuple()
        .all(db)
        .await?;
    let by_district = districts::list(db)
        .await?
        .into_iter()
        .map(|d| {
            let n = district_counts.iter().find(|(id, _)| *id == d.id.0).map_or(0, |(_, n)| *n);
            (d, u64::try_from(n).unwrap_or(0))
        })
        .collect();

    Ok(RegistrySummary { total: by_kind.iter().map(|(_, n)| n).sum(), by_kind, by_level, by_model, by_district })
}

/// A changed opening day moves the carrier's first dated row with it, unless a later change
/// already stands between (the attributes' history would then start after its first change).
async fn move_opening(
    txn: &impl ConnectionTrait,
    carrier: i64,
    before: chrono::NaiveDate,
    after: chrono::NaiveDate,
) -> Result<()> {
    if before == after {
        return Ok(());
    }
    let rows = registry::rows_of(txn, carrier).await?;
    let Some(first) = rows.first() else { return Ok(()) };
    if let Some(second) = rows.get(1).filter(|second| second.effective_on <= after) {
        let max = second.effective_on.pred_opt().unwrap_or(second.effective_on).format("%Y-%m-%d").to_string();
        return Err(FieldErrors::single(field::OPENED_ON, Problem::DateTooLate { max }).into());
    }
    // Nothing dated before the new opening may be left outside the carrier's life.
    if after > before && crate::area::dated_before(txn, carrier, after).await? {
        return Err(FieldErrors::single(field::OPENED_ON, Problem::RecordsBeforeOpening).into());
    }
    crate::entity::carrier_state::Entity::update_many()
        .col_expr(crate::entity::carrier_state::Column::EffectiveOn, Expr::value(after))
        .filter(crate::entity::carrier_state::Column::Id.eq(first.id))
        .exec(txn)
        .await?;
    Ok(())
}

/// The checks that need the database: the district exists and the name is free.
async fn check_references(txn: &impl ConnectionTrait, draft: &CarrierDraft, editing: Option<CarrierId>) -> Result<()> {
    let mut errors = FieldErrors::new();
    if districts::find(txn, draft.district_id).await?.is_none() {
        errors.add(field::DISTRICT, Problem::UnknownDistrict);
    }
    let mut same_name = carrier::Entity::find().filter(carrier::Column::Name.eq(draft.name.as_str()));
    if let Some(id) = editing {
        same_name = same_name.filter(carrier::Column::Id.ne(id.0));
    }
    if same_name.count(txn).await? > 0 {
        errors.add(field::NAME, Problem::NameTaken);
    }
    if errors.is_empty() { Ok(()) } else { Err(ServiceError::Invalid(errors)) }
}

async fn replace_industries(
    txn: &impl ConnectionTrait,
    carrier_id: i64,
    industries: &BTreeSet<Industry>,
) -> Result<()> {
    carrier_industry::Entity::delete_many()
        .filter(carrier_industry::Column::CarrierId.eq(carrier_id))
        .exec(txn)
        .await?;
    if !industries.is_empty() {
        carrier_industry::Entity::insert_many(industries.iter().map(|industry| carrier_industry::ActiveModel {
            carrier_id: Set(carrier_id),
            industry: Set(industry.code().to_owned()),
        }))
        .exec(txn)
        .await?;
    }
    Ok(())
}

/// Two editors racing to register the same name: the database's unique index decides, and the
/// loser gets the same answer as if the check had caught it.
fn name_taken_on_unique_violation(err: sea_orm::DbErr) -> ServiceError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            ServiceError::Invalid(FieldErrors::single(field::NAME, Problem::NameTaken))
        }
        _ => ServiceError::Db(err),
    }
}

fn scope_condition(scope: &CarrierScope) -> Condition {
    match scope {
        CarrierScope::All => Condition::all(),
        CarrierScope::Only(carriers) => Condition::all().add(carrier::Column::Id.is_in(carriers.iter().map(|c| c.0))),
    }
}

/// The carrier's state for the audit trail.
fn snapshot(draft: &CarrierDraft, archived: bool) -> Option<serde_json::Value> {
    audit::snapshot(&serde_json::json!({ "data": draft, "archived": archived }))
}

/// Carriers that name `industry` among their focus industries.
pub(crate) fn in_industry(industry: Industry) -> SimpleExpr {
    carrier::Column::Id.in_subquery(
        Query::select()
            .column(carrier_industry::Column::CarrierId)
            .from(carrier_industry::Entity)
            .and_where(carrier_industry::Column::Industry.eq(industry.code()))
            .to_owned(),
    )
}

fn list_condition(query: &CarrierQuery) -> Condition {
    let mut condition = Condition::all();
    if !query.include_archived {
        condition = condition.add(carrier::Column::Archived.eq(false));
    }
    if let Some(district) = query.district {
        condition = condition.add(carrier::Column::DistrictId.eq(district.0));
    }
    if let Some(kind) = query.kind {
        condition = condition.add(carrier::Column::Kind.eq(kind.code()));
    }
    if let Some(level) = query.level {
        condition = condition.add(carrier::Column::Level.eq(level.code()));
    }
    if let Some(model) = query.model {
        condition = condition.add(carrier::Column::OperatingModel.eq(model.code()));
    }
    if let Some(industry) = query.industry {
        condition = condition.add(in_industry(industry));
    }
    if let Some(search) = &query.search {
        // Every word must appear in the name, the operating organisation or the address.
        for word in search.split_whitespace() {
            let pattern = format!("%{}%", escape_like(&word.to_lowercase()));
            let mut any = Condition::any();
            for column in [carrier::Column::Name, carrier::Column::OperatorOrg, carrier::Column::Address] {
                any = any.add(
                    Expr::expr(Func::lower(Expr::col((carrier::Entity, column))))
                        .like(LikeExpr::new(pattern.clone()).escape('\\')),
                );
            }
            condition = condition.add(any);
        }
    }
    condition
}

fn escape_like(word: &str) -> String {
    word.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// National first, then provincial, municipal, none.
fn level_rank() -> SimpleExpr {
    let level = carrier::Column::Level;
    Expr::case(level.eq(Level::National.code()), 0)
        .case(level.eq(Level::Provincial.code()), 1)
        .case(level.eq(Level::Municipal.code()), 2)
        .finally(3)
        .into()
}

fn accreditation(model: &carrier::Model) -> Result<Accreditation> {
    let level = decode(Level::from_code, &model.level, "level")?;
    match (level, model.level_year) {
        (Level::None, _) => Ok(Accreditation::None),
        (level, Some(year)) => Ok(Accreditation::Granted { level, year }),
        (_, None) => Err(ServiceError::Corrupt(format!("carrier {} has a level without a year", model.id))),
    }
}

fn decode<T>(from_code: impl Fn(&str) -> Option<T>, code: &str, what: &str) -> Result<T> {
    from_code(code).ok_or_else(|| ServiceError::Corrupt(format!("unknown {what} code {code:?}")))
}

/// Carrier names for choosing one (an invitation's carrier, say): admins and bureau staff see
/// every registered carrier, operators their own.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0))]
pub async fn choices(db: &impl ConnectionTrait, actor: &Actor) -> Result<Vec<(CarrierId, String)>> {
    let scope = if actor.admin { CarrierScope::All } else { policy::carrier_scope(actor)? };
    Ok(carrier::Entity::find()
        .filter(carrier::Column::Archived.eq(false))
        .filter(scope_condition(&scope))
        .order_by_asc(carrier::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|c| (CarrierId(c.id), c.name))
        .collect())
}
