//! Applications for space: a startup applies to a carrier; the carrier's operators review,
//! admit (signing a lease in the same transaction) or reject with a reason the startup sees.

use crate::audit::{self, By, Change};
use crate::entity::{application, carrier, document, startup, tenant_event};
use crate::policy::{self, Actor, Permit};
use crate::tenancy::{leases, startups};
use crate::{Result, ServiceError, db};
use domain::page::Page;
use domain::tenancy::application::{
    APPLICATIONS_PAGE_SIZE, Age, ApplicationDraft, ApplicationQuery, ApplicationRow, ApplicationState, ApplicationView,
    DocumentInfo, Party, RequestKind, SpaceRequest, Transition, eligibility,
};
use domain::tenancy::lease::LeaseTerms;
use domain::tenancy::startup::TenantStage;
use domain::{Area, CarrierId, FieldErrors, Problem, StartupId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The largest business plan accepted.
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

/// The most documents one startup keeps (a replaced plan is deleted, so this counts plans of
/// distinct applications).
pub const MAX_DOCUMENTS_PER_STARTUP: u64 = 20;

/// The most bytes of documents one account may have uploaded in all.
pub const MAX_BYTES_PER_ACCOUNT: i64 = 100 * 1024 * 1024;

/// Whether `actor` may upload a plan of about `size` bytes to the application, checked before a
/// byte of the upload is read: only the applicant, only before the review starts, and only
/// within the startup's and the account's allowance. The upload itself checks all of it again.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, id = ?id))]
pub async fn check_upload(db: &DatabaseConnection, actor: &Actor, id: i64, size: Option<u64>) -> Result<()> {
    let (row, party, _permit) = readable(db, actor, id).await?;
    writable_plan(&row, party)?;
    let size = size.map_or(0, |s| i64::try_from(s).unwrap_or(i64::MAX));
    if size > i64::try_from(MAX_DOCUMENT_BYTES).unwrap_or(i64::MAX) + 64 * 1024 {
        return Err(FieldErrors::single("document", Problem::FileTooLarge { max_mb: 10 }).into());
    }
    check_quota(db, actor, &row, size).await
}

/// The plan is the applicant's until the operator starts reading it.
fn writable_plan(row: &application::Model, party: Party) -> Result<()> {
    if party != Party::Applicant || !matches!(state_of(row)?, ApplicationState::Draft | ApplicationState::Submitted) {
        return Err(ServiceError::Forbidden);
    }
    Ok(())
}

/// Refuses a new plan of `size` bytes that would take the startup past
/// [`MAX_DOCUMENTS_PER_STARTUP`] or the uploader past [`MAX_BYTES_PER_ACCOUNT`]. The plan it
/// replaces, if any, does not count.
async fn check_quota(db: &impl ConnectionTrait, actor: &Actor, row: &application::Model, size: i64) -> Result<()> {
    use sea_orm::{PaginatorTrait, QuerySelect};
    let replaced = row.document_id;
    let mut documents = document::Entity::find().filter(document::Column::StartupId.eq(row.startup_id));
    if let Some(old) = replaced {
        documents = documents.filter(document::Column::Id.ne(old));
    }
    let mb = |bytes: i64| u32::try_from(bytes / (1024 * 1024)).unwrap_or(u32::MAX);
    if documents.count(db).await? >= MAX_DOCUMENTS_PER_STARTUP {
        let max = u32::try_from(MAX_DOCUMENTS_PER_STARTUP).unwrap_or(u32::MAX);
        return Err(FieldErrors::single("document", Problem::TooManyFiles { max }).into());
    }
    let mut mine = document::Entity::find()
        .select_only()
        // PostgreSQL sums a bigint as numeric: cast back, as the roll-up sums do.
        .column_as(Expr::cust("CAST(COALESCE(SUM(size), 0) AS BIGINT)"), "bytes")
        .filter(document::Column::UploadedBy.eq(actor.user.0));
    if let Some(old) = replaced {
        mine = mine.filter(document::Column::Id.ne(old));
    }
    let used: i64 = mine.into_tuple::<i64>().one(db).await?.unwrap_or(0);
    if used.saturating_add(size) > MAX_BYTES_PER_ACCOUNT {
        return Err(ServiceError::QuotaExceeded { used_mb: mb(used), quota_mb: mb(MAX_BYTES_PER_ACCOUNT) });
    }
    Ok(())
}

/// The application, if `actor` may see it (`policy::application_party`), with who they are to
/// it and the permit to act on it.
async fn readable<'a>(
    db: &impl ConnectionTrait,
    actor: &'a Actor,
    id: i64,
) -> Result<(application::Model, Party, Permit<'a>)> {
    let row = application::Entity::find_by_id(id).one(db).await?.ok_or_else(|| policy::hidden(actor))?;
    let draft = row.state == ApplicationState::Draft.code();
    let (party, permit) =
        policy::application_party(actor, StartupId(row.startup_id), CarrierId(row.carrier_id), draft)?;
    Ok((row, party, permit))
}

fn state_of(row: &application::Model) -> Result<ApplicationState> {
    ApplicationState::from_code(&row.state)
        .ok_or_else(|| ServiceError::Corrupt(format!("application {} has state {:?}", row.id, row.state)))
}

/// A startup's member starts an application (and submits it at once when `submit`).
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, startup = ?startup))]
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    startup: StartupId,
    draft: &ApplicationDraft,
    submit: bool,
) -> Result<i64> {
    let permit = policy::act_for_startup(actor, startup)?;
    let txn = db::begin_write(db).await?;
    let carrier = carrier::Entity::find_by_id(draft.carrier.0).one(&txn).await?;
    if carrier.is_none_or(|c| c.archived) {
        return Err(FieldErrors::single(domain::tenancy::application::field::CARRIER, Problem::NotAChoice).into());
    }
    let now = crate::now();
    let (kind, desks, area) = match draft.request {
        SpaceRequest::Desks(n) => (RequestKind::Desks, Some(i32::try_from(n).unwrap_or(i32::MAX)), None),
        SpaceRequest::Area(a) => (RequestKind::Area, None, Some(a.hundredths())),
    };
    let row = application::ActiveModel {
        startup_id: Set(startup.0),
        carrier_id: Set(draft.carrier.0),
        state: Set(ApplicationState::Draft.code().to_owned()),
        request_kind: Set(kind.code().to_owned()),
        desks: Set(desks),
        area: Set(area),
        desired_start: Set(draft.desired_start),
        duration_months: Set(i32::try_from(draft.duration_months).unwrap_or(0)),
        summary: Set(draft.summary.clone()),
        document_id: Set(None),
        decision_reason: Set(None),
        submitted_at: Set(None),
        decided_at: Set(None),
        lease_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        By::Actor(permit),
        Change {
            action: "create",
            entity_type: "application",
            entity_id: row.id,
            carrier: Some(draft.carrier),
            startup: Some(startup),
            before: None,
            after: audit::snapshot(draft),
        },
    )
    .await?;
    if submit {
        move_to(&txn, permit, &row, Transition::Submit, Party::Applicant, None).await?;
    }
    txn.commit().await?;
    Ok(row.id)
}

/// Moves an application along the state machine, inside the caller's transaction. The update is
/// conditional on the state read, so two racing moves cannot both happen.
async fn move_to(
    txn: &impl ConnectionTrait,
    permit: Permit<'_>,
    row: &application::Model,
    transition: Transition,
    party: Party,
    reason: Option<&str>,
) -> Result<ApplicationState> {
    let from = state_of(row)?;
    let to = from
        .apply(transition, party)
        .map_err(|p| FieldErrors::single(domain::tenancy::application::field::STATE, p))?;
    let now = crate::now();
    let mut update = application::Entity::update_many()
        .col_expr(application::Column::State, Expr::value(to.code()))
        .col_expr(application::Column::UpdatedAt, Expr::value(now));
    if transition == Transition::Submit {
        update = update.col_expr(application::Column::SubmittedAt, Expr::value(Some(now)));
    }
    if matches!(transition, Transition::Admit | Transition::Reject) {
        update = update.col_expr(application::Column::DecidedAt, Expr::value(Some(now)));
        update = update.col_expr(application::Column::DecisionReason, Expr::value(reason.map(str::to_owned)));
    }
    let result = update
        .filter(application::Column::Id.eq(row.id))
        .filter(application::Column::State.eq(from.code()))
        .exec(txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(ServiceError::Stale);
    }
    if transition == Transition::Submit {
        // The startup becomes an applicant of the carrier, unless it already is one.
        let known = tenant_event::Entity::find()
            .filter(tenant_event::Column::StartupId.eq(row.startup_id))
            .filter(tenant_event::Column::CarrierId.eq(row.carrier_id))
            .one(txn)
            .await?;
        if known.is_none() {
            crate::tenancy::tenants::record_event(
                txn,
                permit,
                CarrierId(row.carrier_id),
                StartupId(row.startup_id),
                TenantStage::Applicant,
                crate::today(),
                None,
                "",
            )
            .await?;
        }
    }
    audit::record(
        txn,
        By::Actor(permit),
        Change {
            action: transition.code(),
            entity_type: "application",
            entity_id: row.id,
            carrier: Some(CarrierId(row.carrier_id)),
            startup: Some(StartupId(row.startup_id)),
            before: audit::snapshot(&serde_json::json!({ "state": from })),
            after: audit::snapshot(&serde_json::json!({ "state": to, "reason": reason })),
        },
    )
    .await?;
    Ok(to)
}

/// Submits, withdraws, starts the review or rejects (with a reason the startup sees).
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, id = ?id))]
pub async fn transition(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    transition: Transition,
    reason: Option<&str>,
) -> Result<ApplicationState> {
    if transition == Transition::Admit {
        return Err(FieldErrors::single(domain::tenancy::application::field::STATE, Problem::NotAChoice).into());
    }
    let reason = match transition {
        Transition::Reject => Some(
            domain::validation::text(reason.unwrap_or_default(), 5, 500)
                .map_err(|p| FieldErrors::single(domain::tenancy::application::field::REASON, p))?,
        ),
        _ => None,
    };
    let txn = db::begin_write(db).await?;
    let (row, party, permit) = readable(&txn, actor, id).await?;
    if party == Party::Supervisor {
        // The bureau reads applications; deciding them is the carrier's.
        return Err(ServiceError::Forbidden);
    }
    let to = move_to(&txn, permit, &row, transition, party, reason.as_deref()).await?;
    txn.commit().await?;
    Ok(to)
}

/// Admits an application under review and signs its lease, in one transaction: either both
/// happen or neither does.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, id = ?id))]
pub async fn admit(db: &DatabaseConnection, actor: &Actor, id: i64, terms: &LeaseTerms) -> Result<i64> {
    let txn = db::begin_write(db).await?;
    let (row, party, permit) = readable(&txn, actor, id).await?;
    if party != Party::Operator {
        return Err(ServiceError::Forbidden);
    }
    let carrier = carrier::Entity::find_by_id(row.carrier_id).one(&txn).await?.ok_or(ServiceError::NotFound)?;
    move_to(&txn, permit, &row, Transition::Admit, Party::Operator, None).await?;
    let lease_id = leases::sign(&txn, permit, &carrier, StartupId(row.startup_id), Some(row.id), terms).await?;
    application::Entity::update_many()
        .col_expr(application::Column::LeaseId, Expr::value(Some(lease_id)))
        .filter(application::Column::Id.eq(row.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    tracing::info!(application = id, lease = lease_id, "application admitted");
    Ok(lease_id)
}

/// Attaches a business plan (a PDF of at most 10 MB) to an application not yet decided.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, id = ?id))]
pub async fn attach_document(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    file_name: &str,
    bytes: &[u8],
) -> Result<i64> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(FieldErrors::single("document", Problem::FileTooLarge { max_mb: 10 }).into());
    }
    if !bytes.starts_with(b"%PDF-") {
        return Err(FieldErrors::single("document", Problem::NotPdf).into());
    }
    let txn = db::begin_write(db).await?;
    let (row, party, permit) = readable(&txn, actor, id).await?;
    writable_plan(&row, party)?;
    // Two uploads of one account at once must not both fit the allowance that only one fits:
    // on PostgreSQL the uploader's row is locked until the transaction ends (SQLite's write
    // lock already orders them).
    if txn.get_database_backend() == sea_orm::DbBackend::Postgres {
        use sea_orm::QuerySelect;
        crate::entity::user::Entity::find_by_id(actor.user.0).lock_exclusive().one(&txn).await?;
    }
    check_quota(&txn, actor, &row, i64::try_from(bytes.len()).unwrap_or(i64::MAX)).await?;
    // Only the name's last component, without control characters, is kept.
    let name: String = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("plan.pdf")
        .chars()
        .filter(|c| !c.is_control() && !is_format_character(*c) && *c != '"')
        .take(120)
        .collect();
    let name = if name.to_lowercase().ends_with(".pdf") { name } else { format!("{name}.pdf") };
    let hash: String = Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
    let doc = document::ActiveModel {
        startup_id: Set(row.startup_id),
        file_name: Set(name.clone()),
        content_type: Set("application/pdf".to_owned()),
        size: Set(i64::try_from(bytes.len()).unwrap_or(i64::MAX)),
        sha256: Set(hash.clone()),
        data: Set(bytes.to_vec()),
        uploaded_by: Set(Some(actor.user.0)),
        created_at: Set(crate::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    application::Entity::update_many()
        .col_expr(application::Column::DocumentId, Expr::value(Some(doc.id)))
        .filter(application::Column::Id.eq(row.id))
        .exec(&txn)
        .await?;
    // A replaced plan is deleted, so repeated uploads do not pile up.
    if let Some(old) = row.document_id {
        document::Entity::delete_by_id(old).exec(&txn).await?;
    }
    audit::record(
        &txn,
        By::Actor(permit),
        Change {
            action: "attach_document",
            entity_type: "application",
            entity_id: row.id,
            carrier: Some(CarrierId(row.carrier_id)),
            startup: Some(StartupId(row.startup_id)),
            before: None,
            after: audit::snapshot(&serde_json::json!({ "file": name, "size": bytes.len(), "sha256": hash })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(doc.id)
}

/// Characters that change how text is shown without showing themselves (bidirectional overrides,
/// zero-width characters), which could disguise a file name.
fn is_format_character(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// A document, for those who may read an application it belongs to.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, id = ?id))]
pub async fn document(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<(String, Vec<u8>)> {
    let doc = document::Entity::find_by_id(id).one(db).await?;
    let doc = match doc {
        Some(doc) => doc,
        None => return Err(policy::hidden(actor)),
    };
    let applications = application::Entity::find().filter(application::Column::DocumentId.eq(doc.id)).all(db).await?;
    // The rows are loaded already: the policy decides on them, without reading each again.
    let allowed = applications.iter().any(|row| {
        let draft = row.state == ApplicationState::Draft.code();
        policy::application_party(actor, StartupId(row.startup_id), CarrierId(row.carrier_id), draft).is_ok()
    });
    if !allowed {
        return Err(ServiceError::Forbidden);
    }
    Ok((doc.file_name, doc.data))
}

fn request_of(row: &application::Model) -> SpaceRequest {
    match (RequestKind::from_code(&row.request_kind), row.desks, row.area) {
        (Some(RequestKind::Area), _, Some(area)) => SpaceRequest::Area(Area::from_hundredths(area)),
        (_, Some(desks), _) => SpaceRequest::Desks(u32::try_from(desks).unwrap_or(0)),
        _ => SpaceRequest::Desks(0),
    }
}

/// One application with what the viewer may do next.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, id = ?id))]
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<ApplicationView> {
    let (row, party, _permit) = readable(db, actor, id).await?;
    let state = state_of(&row)?;
    let startup_row = startup::Entity::find_by_id(row.startup_id).one(db).await?.ok_or(ServiceError::NotFound)?;
    let carrier_row = carrier::Entity::find_by_id(row.carrier_id).one(db).await?.ok_or(ServiceError::NotFound)?;
    let document = match row.document_id {
        Some(doc) => document::Entity::find_by_id(doc).one(db).await?.map(|d| DocumentInfo {
            id: d.id,
            file_name: d.file_name,
            size: d.size,
        }),
        None => None,
    };
    let eligibility = if party != Party::Applicant {
        let profile = startups::profile_of(&startup_row)?;
        let names: std::collections::BTreeMap<i64, (String, String)> = crate::entity::district::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|d| (d.id, (d.name_zh, d.name_en)))
            .collect();
        let name = |d: domain::DistrictId| names.get(&d.0).cloned();
        let places = domain::tenancy::application::Places {
            carrier_district: domain::DistrictId(carrier_row.district_id),
            district_name: &name,
        };
        Some(eligibility(&profile, row.desired_start, startup_row.code_override_reason.is_some(), &places))
    } else {
        None
    };
    let allowed = Transition::ALL.iter().copied().filter(|t| state.apply(*t, party).is_ok()).collect();
    Ok(ApplicationView {
        id: row.id,
        startup: StartupId(row.startup_id),
        startup_name: startup_row.name,
        carrier: CarrierId(row.carrier_id),
        carrier_name: carrier_row.name,
        landlord_shareholder: carrier_row.operating_model
            == domain::carrier::OperatingModel::LandlordShareholder.code(),
        state,
        request: request_of(&row),
        desired_start: row.desired_start,
        duration_months: u32::try_from(row.duration_months).unwrap_or(0),
        summary: row.summary,
        document,
        decision_reason: row.decision_reason,
        submitted_at: row.submitted_at,
        created_at: row.created_at,
        eligibility,
        allowed,
        lease: row.lease_id,
    })
}

/// Applications the actor may see, filtered, a page at a time: a startup's own (drafts
/// included); for operators and the bureau, the submitted ones of their carriers (all carriers
/// for the bureau).
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0))]
pub async fn list(db: &impl ConnectionTrait, actor: &Actor, query: &ApplicationQuery) -> Result<Page<ApplicationRow>> {
    let mut condition = Condition::any();
    if !actor.startups.is_empty() {
        condition = condition.add(application::Column::StartupId.is_in(actor.startups.iter().map(|s| s.0)));
    }
    let mut visible_to_operator = Condition::all().add(application::Column::State.ne(ApplicationState::Draft.code()));
    if !actor.bureau {
        visible_to_operator =
            visible_to_operator.add(application::Column::CarrierId.is_in(actor.carriers.iter().map(|c| c.0)));
    }
    if actor.bureau || !actor.carriers.is_empty() {
        condition = condition.add(visible_to_operator);
    }
    if actor.startups.is_empty() && actor.carriers.is_empty() && !actor.bureau {
        return Err(ServiceError::Forbidden);
    }
    let mut select = application::Entity::find().filter(condition);
    if let Some(carrier) = query.carrier {
        select = select.filter(application::Column::CarrierId.eq(carrier.0));
    }
    if let Some(startup) = query.startup {
        select = select.filter(application::Column::StartupId.eq(startup.0));
    }
    if let Some(state) = query.state {
        select = select.filter(application::Column::State.eq(state.code()));
    }
    let now = crate::now();
    match query.age {
        Some(Age::Week) => {
            select = select.filter(application::Column::SubmittedAt.gte(now - chrono::Duration::days(7)))
        }
        Some(Age::Month) => {
            select = select.filter(application::Column::SubmittedAt.gte(now - chrono::Duration::days(30)))
        }
        Some(Age::Older) => {
            select = select.filter(application::Column::SubmittedAt.lt(now - chrono::Duration::days(30)))
        }
        None => {}
    }
    let select = if query.oldest_first {
        select.order_by_asc(application::Column::SubmittedAt).order_by_asc(application::Column::Id)
    } else {
        select.order_by_desc(application::Column::UpdatedAt).order_by_desc(application::Column::Id)
    };
    let pages = select.paginate(db, u64::from(APPLICATIONS_PAGE_SIZE));
    let total = pages.num_items().await?;
    let page = query.page.max(1);
    let rows = pages.fetch_page(u64::from(page - 1)).await?;
    let startup_names: BTreeMap<i64, String> = startup::Entity::find()
        .filter(startup::Column::Id.is_in(rows.iter().map(|r| r.startup_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let carrier_names: BTreeMap<i64, String> = carrier::Entity::find()
        .filter(carrier::Column::Id.is_in(rows.iter().map(|r| r.carrier_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    rows.into_iter()
        .map(|row| {
            Ok(ApplicationRow {
                id: row.id,
                startup_name: startup_names.get(&row.startup_id).cloned().unwrap_or_default(),
                carrier_name: carrier_names.get(&row.carrier_id).cloned().unwrap_or_default(),
                state: state_of(&row)?,
                request: request_of(&row),
                desired_start: row.desired_start,
                submitted_at: row.submitted_at,
                age_days: row.submitted_at.map(|at| (now - at).num_days()),
            })
        })
        .collect::<Result<Vec<_>>>()
        .map(|items| Page { items, total, more: false, page, page_size: APPLICATIONS_PAGE_SIZE })
}
