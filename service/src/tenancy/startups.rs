//! Startups (在孵企业): the profile, yearly figures, the credit-code override, and the carrier
//! directory startups apply from.

use crate::audit::{self, By, Change};
use crate::entity::{carrier, district, membership, startup, startup_year, user};
use crate::policy::{self, Actor};
use crate::{Result, ServiceError, db, districts};
use domain::account::Role;
use domain::carrier::{CarrierKind, DirectoryEntry, Industry, OperatingModel};
use domain::tenancy::startup::{Founder, Profile, StartupProfileView, YearFigures, field};
use domain::{CarrierId, DistrictId, FieldErrors, Money, Problem, StartupId};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

async fn members(db: &impl ConnectionTrait, id: StartupId) -> Result<Vec<(String, String)>> {
    let member_ids: Vec<i64> = membership::Entity::find()
        .filter(membership::Column::StartupId.eq(id.0))
        .filter(membership::Column::Role.eq(Role::Startup.code()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(member_ids))
        .order_by_asc(user::Column::DisplayName)
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.display_name, u.email))
        .collect())
}

pub(crate) fn profile_of(row: &startup::Model) -> Result<Profile> {
    let founders: Vec<Founder> = serde_json::from_str(&row.founders)
        .map_err(|e| ServiceError::Corrupt(format!("startup {} founders: {e}", row.id)))?;
    let count = |n: i32| u32::try_from(n).unwrap_or(0);
    Ok(Profile {
        name: row.name.clone(),
        credit_code: row.credit_code.clone(),
        founded_on: row.founded_on,
        industry: row.industry.as_deref().and_then(Industry::from_code),
        registered_district: row.registered_district_id.map(DistrictId),
        team_size: count(row.team_size),
        rd_staff: count(row.rd_staff),
        founders,
        contact_name: row.contact_name.clone(),
        contact_phone: row.contact_phone.clone(),
        contact_email: row.contact_email.clone(),
        patents_applied: count(row.patents_applied),
        patents_granted: count(row.patents_granted),
        software_copyrights: count(row.software_copyrights),
        high_tech_on: row.high_tech_on,
        tech_sme_on: row.tech_sme_on,
    })
}

/// The whole profile with the yearly figures.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, id = ?id))]
pub async fn profile(db: &impl ConnectionTrait, actor: &Actor, id: StartupId) -> Result<StartupProfileView> {
    policy::read_startup(db, actor, id).await?;
    let row = startup::Entity::find_by_id(id.0).one(db).await?.ok_or(ServiceError::NotFound)?;
    let years = startup_year::Entity::find()
        .filter(startup_year::Column::StartupId.eq(id.0))
        .order_by_asc(startup_year::Column::Year)
        .all(db)
        .await?
        .into_iter()
        .map(|y| YearFigures {
            year: y.year,
            revenue: Money::from_fen(y.revenue_fen),
            rd_spend: Money::from_fen(y.rd_spend_fen),
            financing: Money::from_fen(y.financing_fen),
        })
        .collect();
    Ok(StartupProfileView {
        id,
        profile: profile_of(&row)?,
        code_override: row.code_override_reason.clone(),
        years,
        members: members(db, id).await?,
        created_at: row.created_at,
        version: row.version,
        can_edit: actor.belongs_to(id),
        can_override_code: policy::override_code(db, actor, id).await.is_ok(),
    })
}

/// A startup's members update its profile. A code that fails the standard never gets here (the
/// form refuses it); changing the code clears an earlier override.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, id = ?id))]
pub async fn update_profile(
    db: &DatabaseConnection,
    actor: &Actor,
    id: StartupId,
    expected_version: i32,
    profile: &Profile,
) -> Result<()> {
    let permit = policy::act_for_startup(actor, id)?;
    let txn = db::begin_write(db).await?;
    let row = startup::Entity::find_by_id(id.0).one(&txn).await?.ok_or(ServiceError::NotFound)?;
    if row.version != expected_version {
        return Err(ServiceError::Stale);
    }
    db::claim_version::<startup::Entity>(&txn, (startup::Column::Id, id.0), startup::Column::Version, expected_version)
        .await?;
    let mut errors = FieldErrors::new();
    if startup::Entity::find()
        .filter(startup::Column::Name.eq(profile.name.as_str()))
        .filter(startup::Column::Id.ne(id.0))
        .count(&txn)
        .await?
        > 0
    {
        errors.add(field::NAME, Problem::NameTaken);
    }
    if let Some(district) = profile.registered_district
        && districts::find(&txn, district).await?.is_none()
    {
        errors.add(field::DISTRICT, Problem::UnknownDistrict);
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let before = profile_of(&row)?;
    let code_changed = row.credit_code != profile.credit_code;
    let mut model: startup::ActiveModel = row.clone().into();
    write_profile(&mut model, profile)?;
    if code_changed {
        model.code_override_reason = Set(None);
    }
    model.version = Set(row.version + 1);
    model.updated_at = Set(crate::now());
    model.update(&txn).await?;
    audit::record(
        &txn,
        By::Actor(permit),
        Change {
            action: "update_profile",
            entity_type: "startup",
            entity_id: id.0,
            carrier: None,
            startup: Some(id),
            before: audit::snapshot(&before),
            after: audit::snapshot(profile),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A startup the carrier's records hold without anyone from it signing in: a tenant from before
/// the carrier used Fuhua, entered with its whole profile. Its members can be invited later. The
/// demonstration history is its one caller today; the name must be free, like a registration's.
pub(crate) async fn create_record(db: &DatabaseConnection, by: By<'_>, profile: &Profile) -> Result<StartupId> {
    let txn = db::begin_write(db).await?;
    if startup::Entity::find().filter(startup::Column::Name.eq(profile.name.as_str())).count(&txn).await? > 0 {
        return Err(FieldErrors::single(field::NAME, Problem::NameTaken).into());
    }
    let now = crate::now();
    let mut model = startup::ActiveModel { created_at: Set(now), updated_at: Set(now), ..Default::default() };
    write_profile(&mut model, profile)?;
    // A record inserted since the check above: the same message, not a database error.
    let row = model.insert(&txn).await.map_err(|e| crate::accounts::taken_on_unique_violation(e, field::NAME))?;
    audit::record(
        &txn,
        by,
        Change {
            action: "create",
            entity_type: "startup",
            entity_id: row.id,
            carrier: None,
            startup: Some(StartupId(row.id)),
            before: None,
            after: audit::snapshot(profile),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(StartupId(row.id))
}

fn write_profile(model: &mut startup::ActiveModel, p: &Profile) -> Result<()> {
    let signed = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    model.name = Set(p.name.clone());
    model.credit_code = Set(p.credit_code.clone());
    model.founded_on = Set(p.founded_on);
    model.industry = Set(p.industry.map(|i| i.code().to_owned()));
    model.registered_district_id = Set(p.registered_district.map(|d| d.0));
    model.team_size = Set(signed(p.team_size));
    model.rd_staff = Set(signed(p.rd_staff));
    model.founders = Set(serde_json::to_string(&p.founders).map_err(|e| ServiceError::Corrupt(e.to_string()))?);
    model.contact_name = Set(p.contact_name.clone());
    model.contact_phone = Set(p.contact_phone.clone());
    model.contact_email = Set(p.contact_email.clone());
    model.patents_applied = Set(signed(p.patents_applied));
    model.patents_granted = Set(signed(p.patents_granted));
    model.software_copyrights = Set(signed(p.software_copyrights));
    model.high_tech_on = Set(p.high_tech_on);
    model.tech_sme_on = Set(p.tech_sme_on);
    Ok(())
}

/// An operator (or the bureau) records a credit code that fails the standard — a code of an
/// older format, say — with a written reason that goes into the audit trail.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, id = ?id))]
pub async fn override_code(
    db: &DatabaseConnection,
    actor: &Actor,
    id: StartupId,
    code: &str,
    reason: &str,
) -> Result<()> {
    let permit = policy::override_code(db, actor, id).await?;
    let mut errors = FieldErrors::new();
    let code: String = code.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_uppercase).collect();
    if code.is_empty() || code.chars().count() > 18 {
        errors.add(field::CREDIT_CODE, if code.is_empty() { Problem::Required } else { Problem::TooLong { max: 18 } });
    }
    if !code.is_empty() && domain::uscc::check(&code).is_ok() {
        errors.add(field::CREDIT_CODE, Problem::CodeValid);
    }
    let reason = errors.check(field::REASON, domain::validation::text(reason, 5, 300));
    let Some(reason) = reason.filter(|_| errors.is_empty()) else { return Err(errors.into()) };
    let txn = db::begin_write(db).await?;
    let row = startup::Entity::find_by_id(id.0).one(&txn).await?.ok_or(ServiceError::NotFound)?;
    let before = (row.credit_code.clone(), row.code_override_reason.clone());
    // Who accepted it is in the audit trail; the column keeps the reason.
    let recorded = reason;
    // Conditional on the version read, so the `before` recorded is what is replaced; and the
    // version moves on, so an edit of the profile begun before the override is refused.
    db::claim_version::<startup::Entity>(&txn, (startup::Column::Id, row.id), startup::Column::Version, row.version)
        .await?;
    startup::Entity::update_many()
        .col_expr(startup::Column::CreditCode, Expr::value(Some(code.clone())))
        .col_expr(startup::Column::CodeOverrideReason, Expr::value(Some(recorded.clone())))
        .col_expr(startup::Column::UpdatedAt, Expr::value(crate::now()))
        .filter(startup::Column::Id.eq(row.id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        By::Actor(permit),
        Change {
            action: "override_credit_code",
            entity_type: "startup",
            entity_id: id.0,
            carrier: None,
            startup: Some(id),
            before: audit::snapshot(&serde_json::json!({ "credit_code": before.0, "override": before.1 })),
            after: audit::snapshot(&serde_json::json!({ "credit_code": code, "override": recorded })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A startup's members record (or correct) one year's figures.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, id = ?id))]
pub async fn set_year(db: &DatabaseConnection, actor: &Actor, id: StartupId, figures: &YearFigures) -> Result<()> {
    let permit = policy::act_for_startup(actor, id)?;
    let txn = db::begin_write(db).await?;
    let existing = startup_year::Entity::find_by_id((id.0, figures.year)).one(&txn).await?;
    let row = startup_year::ActiveModel {
        startup_id: Set(id.0),
        year: Set(figures.year),
        revenue_fen: Set(figures.revenue.fen()),
        rd_spend_fen: Set(figures.rd_spend.fen()),
        financing_fen: Set(figures.financing.fen()),
    };
    let before = existing.as_ref().map(|y| {
        serde_json::json!({
            "year": y.year, "revenue": y.revenue_fen, "rd_spend": y.rd_spend_fen, "financing": y.financing_fen
        })
    });
    // An upsert: two saves of the same year at once both land, the later one winning, instead
    // of the second failing on the primary key.
    startup_year::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([startup_year::Column::StartupId, startup_year::Column::Year])
                .update_columns([
                    startup_year::Column::RevenueFen,
                    startup_year::Column::RdSpendFen,
                    startup_year::Column::FinancingFen,
                ])
                .to_owned(),
        )
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        By::Actor(permit),
        Change {
            action: "set_year",
            entity_type: "startup",
            entity_id: id.0,
            carrier: None,
            startup: Some(id),
            before,
            after: audit::snapshot(figures),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The carriers a startup can apply to (every registered, not archived one): public facts
/// only. Any signed-in user may read it.
pub async fn directory(db: &impl ConnectionTrait, _signed_in: &Actor) -> Result<Vec<DirectoryEntry>> {
    let rows = carrier::Entity::find()
        .filter(carrier::Column::Archived.eq(false))
        .find_also_related(district::Entity)
        .order_by_asc(district::Column::SortOrder)
        .order_by_asc(carrier::Column::Name)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(c, d)| {
            let d = d?;
            Some(DirectoryEntry {
                id: CarrierId(c.id),
                kind: CarrierKind::from_code(&c.kind)?,
                model: OperatingModel::from_code(&c.operating_model)?,
                name: c.name,
                district_zh: d.name_zh,
                district_en: d.name_en,
                address: c.address,
            })
        })
        .collect())
}
