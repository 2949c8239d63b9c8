//! Startups registering themselves: the account, the company and the membership in one step.

use super::sign_in::{REGISTER, attempt_keys, reserve_attempt, settle_attempt};
use crate::audit::{self, By, Change};
use crate::entity::{membership, startup, user};
use crate::{Result, ServiceError, db, password};
use chrono::Utc;
use domain::account::{Registration, Role, field};
use domain::{FieldErrors, Problem, StartupId, UserId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set,
};

/// A startup registers itself: the startup, its first member's account and the membership, in
/// one transaction. Returns the new user, to be signed in.
pub async fn register_startup(db: &DatabaseConnection, registration: &Registration, client: &str) -> Result<UserId> {
    // The attempt counts first, so that asking whether an email has an account is limited like
    // any registration; then everything that can be checked is checked before the password is
    // hashed, so a form that will be refused costs no hash.
    let (_, client) = attempt_keys("", client);
    let attempt = reserve_attempt(db, &REGISTER, "", &client).await?;
    taken(db, registration).await?;
    let hash = match password::hash(&registration.password).await {
        Ok(hash) => hash,
        Err(error) => {
            settle_attempt(db, attempt, None).await?;
            return Err(error);
        }
    };
    create_registered(db, registration, hash).await
}

/// Registers a startup for the demonstration data: no throttle, which is for the public form.
pub(crate) async fn register_startup_unthrottled(
    db: &DatabaseConnection,
    registration: &Registration,
) -> Result<UserId> {
    taken(db, registration).await?;
    let hash = password::hash(&registration.password).await?;
    create_registered(db, registration, hash).await
}

/// The startup, its first member and the membership, in one transaction.
async fn create_registered(db: &DatabaseConnection, registration: &Registration, hash: String) -> Result<UserId> {
    let txn = db::begin_write(db).await?;
    // Checked again inside the transaction: another registration may have taken the name since.
    taken(&txn, registration).await?;
    let now = Utc::now();
    let startup = startup::ActiveModel {
        name: Set(registration.startup_name.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| taken_on_unique_violation(e, field::STARTUP_NAME))?;
    let user = insert_user(&txn, &registration.email, &registration.display_name, Some(hash))
        .await
        .map_err(|e| taken_on_unique_violation(e, field::EMAIL))?;
    insert_membership(&txn, user.id, Role::Startup, None, Some(startup.id)).await?;
    let by = By::User { id: user.id, email: &user.email };
    audit::record(
        &txn,
        by,
        Change {
            action: "register",
            entity_type: "startup",
            entity_id: startup.id,
            carrier: None,
            startup: Some(StartupId(startup.id)),
            before: None,
            after: audit::snapshot(&serde_json::json!({ "name": startup.name, "member": user.email })),
        },
    )
    .await?;
    txn.commit().await?;
    tracing::info!(startup = startup.id, user = user.id, "startup registered");
    Ok(UserId(user.id))
}

/// Refuses a registration whose email or startup name is taken.
async fn taken(db: &impl ConnectionTrait, registration: &Registration) -> Result<()> {
    let mut errors = FieldErrors::new();
    if user::Entity::find().filter(user::Column::Email.eq(registration.email.as_str())).count(db).await? > 0 {
        errors.add(field::EMAIL, Problem::EmailTaken);
    }
    if startup::Entity::find().filter(startup::Column::Name.eq(registration.startup_name.as_str())).count(db).await? > 0
    {
        errors.add(field::STARTUP_NAME, Problem::NameTaken);
    }
    if errors.is_empty() { Ok(()) } else { Err(ServiceError::Invalid(errors)) }
}

/// A unique index refusing a row that a concurrent request inserted first: the same message as
/// the check before it would have given.
pub(crate) fn taken_on_unique_violation(error: impl Into<ServiceError>, field_name: &str) -> ServiceError {
    match error.into() {
        ServiceError::Db(err) if matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) => {
            let problem = if field_name == field::EMAIL { Problem::EmailTaken } else { Problem::NameTaken };
            ServiceError::Invalid(FieldErrors::single(field_name, problem))
        }
        other => other,
    }
}

pub(super) async fn insert_user(
    txn: &impl ConnectionTrait,
    email: &str,
    display_name: &str,
    hash: Option<String>,
) -> Result<user::Model> {
    let now = Utc::now();
    Ok(user::ActiveModel {
        email: Set(email.to_owned()),
        display_name: Set(display_name.to_owned()),
        password_hash: Set(hash),
        active: Set(true),
        password_changed_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?)
}

pub(super) async fn insert_membership(
    txn: &impl ConnectionTrait,
    user: i64,
    role: Role,
    carrier: Option<i64>,
    startup: Option<i64>,
) -> Result<()> {
    let exists = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user))
        .filter(membership::Column::Role.eq(role.code()))
        .filter(match carrier {
            Some(c) => membership::Column::CarrierId.eq(c),
            None => membership::Column::CarrierId.is_null(),
        })
        .filter(match startup {
            Some(s) => membership::Column::StartupId.eq(s),
            None => membership::Column::StartupId.is_null(),
        })
        .count(txn)
        .await?
        > 0;
    if !exists {
        membership::ActiveModel {
            user_id: Set(user),
            role: Set(role.code().to_owned()),
            carrier_id: Set(carrier),
            startup_id: Set(startup),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}
