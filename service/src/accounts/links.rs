//! One-time links: invitations of staff, their approval, password resets.

use super::registration::{insert_membership, insert_user, taken_on_unique_violation};
use super::sign_in::memberships_of;
use crate::audit::{self, By, Change};
use crate::entity::{carrier, one_time_token, user};
use crate::policy::{self, Actor};
use crate::{Result, ServiceError, db, password};
use chrono::{Duration, Utc};
use domain::account::{self, ApprovalSubject, Invitation, OneTimeLink, PendingApproval, Role, field};
use domain::{CarrierId, FieldErrors, Problem, UserId};
use rand_core::{OsRng, RngCore};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use sha2::{Digest, Sha256};

/// A fresh random token and the hash that is stored in its place.
pub(super) fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let hash = token_hash(&token);
    (token, hash)
}

fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

const INVITE: &str = "invite";

pub(super) const RESET: &str = "reset";

/// Invites someone to join as admin, bureau staff or operator of a carrier. Admins invite any of
/// these; bureau staff invite operators. The link is returned once and never stored.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0))]
pub async fn invite(db: &DatabaseConnection, actor: &Actor, invitation: &Invitation) -> Result<OneTimeLink> {
    let permit = policy::invite(actor, invitation.role)?;
    let txn = db::begin_write(db).await?;
    if let Some(carrier) = invitation.carrier
        && carrier::Entity::find_by_id(carrier.0).one(&txn).await?.is_none()
    {
        return Err(ServiceError::Invalid(FieldErrors::single(field::CARRIER, Problem::NotAChoice)));
    }
    // A role granted to oneself needs a second admin's approval before the link works.
    let needs_approval = invitation.email.eq_ignore_ascii_case(&actor.email);
    let (token, hash) = new_token();
    let now = Utc::now();
    let expires_at = now + Duration::days(7);
    let row = one_time_token::ActiveModel {
        token_hash: Set(hash),
        purpose: Set(INVITE.to_owned()),
        email: Set(Some(invitation.email.clone())),
        role: Set(Some(invitation.role.code().to_owned())),
        carrier_id: Set(invitation.carrier.map(|c| c.0)),
        user_id: Set(None),
        created_by: Set(Some(actor.user.0)),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
        needs_approval: Set(needs_approval),
        approved_by: Set(None),
        approved_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        By::Actor(permit),
        Change {
            action: "invite",
            entity_type: "invitation",
            entity_id: row.id,
            carrier: invitation.carrier,
            startup: None,
            before: None,
            after: audit::snapshot(&serde_json::json!({
                "email": invitation.email, "role": invitation.role, "expires_at": expires_at,
                "needs_approval": needs_approval
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(OneTimeLink { path: format!("/invite/{token}"), expires_at, needs_approval })
}

/// What an invitation offers, for the page that accepts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationDetails {
    pub email: String,
    pub role: Role,
    pub carrier_name: Option<String>,
    /// The email already has an account: accepting adds the role to it.
    pub existing_account: bool,
}

async fn valid_token(db: &impl ConnectionTrait, token: &str, purpose: &str) -> Result<one_time_token::Model> {
    let row = one_time_token::Entity::find()
        .filter(one_time_token::Column::TokenHash.eq(token_hash(token.trim())))
        .filter(one_time_token::Column::Purpose.eq(purpose))
        .one(db)
        .await?
        .ok_or(ServiceError::LinkExpired)?;
    if row.used_at.is_some() || row.revoked_at.is_some() || row.expires_at <= Utc::now() {
        return Err(ServiceError::LinkExpired);
    }
    if row.needs_approval && row.approved_by.is_none() {
        return Err(ServiceError::AwaitingApproval);
    }
    Ok(row)
}

/// Spends a one-time link: a conditional write that succeeds for exactly one of several
/// concurrent users of the link. On PostgreSQL the losers' updates wait for the winner's
/// transaction and then find `used_at` set; on SQLite the write lock orders them the same way.
async fn use_token(txn: &impl ConnectionTrait, row: &one_time_token::Model) -> Result<()> {
    let spent = one_time_token::Entity::update_many()
        .col_expr(one_time_token::Column::UsedAt, sea_orm::sea_query::Expr::value(Some(Utc::now())))
        .filter(one_time_token::Column::Id.eq(row.id))
        .filter(one_time_token::Column::UsedAt.is_null())
        .filter(one_time_token::Column::RevokedAt.is_null())
        .exec(txn)
        .await?;
    if spent.rows_affected == 1 { Ok(()) } else { Err(ServiceError::LinkExpired) }
}

/// The names on a link that needed approval, for the audit record of its use.
async fn approval_names(txn: &impl ConnectionTrait, row: &one_time_token::Model) -> Result<serde_json::Value> {
    if !row.needs_approval {
        return Ok(serde_json::Value::Null);
    }
    let email = |id: Option<i64>| async move {
        Ok::<_, ServiceError>(match id {
            Some(id) => user::Entity::find_by_id(id).one(txn).await?.map(|u| u.email),
            None => None,
        })
    };
    Ok(
        serde_json::json!({ "requested_by": email(row.created_by).await?, "approved_by": email(row.approved_by).await? }),
    )
}

/// The links waiting for a second admin's approval (admins only).
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0))]
pub async fn pending_approvals(db: &impl ConnectionTrait, actor: &Actor) -> Result<Vec<PendingApproval>> {
    policy::administer_accounts(actor)?;
    let rows = one_time_token::Entity::find()
        .filter(one_time_token::Column::NeedsApproval.eq(true))
        .filter(one_time_token::Column::ApprovedBy.is_null())
        .filter(one_time_token::Column::UsedAt.is_null())
        .filter(one_time_token::Column::RevokedAt.is_null())
        .filter(one_time_token::Column::ExpiresAt.gt(Utc::now()))
        .order_by_asc(one_time_token::Column::CreatedAt)
        .all(db)
        .await?;
    let mut pending = Vec::with_capacity(rows.len());
    for row in rows {
        let requested_by = match row.created_by {
            Some(id) => user::Entity::find_by_id(id).one(db).await?.map(|u| u.email).unwrap_or_default(),
            None => String::new(),
        };
        let email = row.email.clone().unwrap_or_default();
        let subject = if row.purpose == INVITE {
            let role = row
                .role
                .as_deref()
                .and_then(Role::from_code)
                .ok_or_else(|| ServiceError::Corrupt(format!("invitation {} without role", row.id)))?;
            let carrier_name = match row.carrier_id {
                Some(id) => carrier::Entity::find_by_id(id).one(db).await?.map(|c| c.name),
                None => None,
            };
            ApprovalSubject::Invitation { email, role, carrier_name }
        } else {
            let memberships = match row.user_id {
                Some(id) => memberships_of(db, &[id]).await?.remove(&id).unwrap_or_default(),
                None => Vec::new(),
            };
            ApprovalSubject::Reset { email, memberships }
        };
        pending.push(PendingApproval {
            id: row.id,
            subject,
            requested_by,
            created_at: row.created_at,
            expires_at: row.expires_at,
            own: row.created_by == Some(actor.user.0),
        });
    }
    Ok(pending)
}

/// A second admin approves a link that waits for it. The admin who issued the link cannot; an
/// approval is a conditional write, so two admins approving at once record one approval.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, link = ?link))]
pub async fn approve_link(db: &DatabaseConnection, actor: &Actor, link: i64) -> Result<()> {
    policy::administer_accounts(actor)?;
    let txn = db::begin_write(db).await?;
    let row = one_time_token::Entity::find_by_id(link).one(&txn).await?.ok_or(ServiceError::NotFound)?;
    if !row.needs_approval || row.used_at.is_some() || row.revoked_at.is_some() || row.expires_at <= Utc::now() {
        return Err(ServiceError::LinkExpired);
    }
    // Neither the issuer nor the person the link is for approves it.
    let subject = match row.user_id {
        Some(id) => Some(id),
        None => match row.email.as_deref() {
            Some(email) => user::Entity::find().filter(user::Column::Email.eq(email)).one(&txn).await?.map(|u| u.id),
            None => None,
        },
    };
    let permit = policy::approve_link(actor, row.created_by, subject)?;
    let now = Utc::now();
    let approved = one_time_token::Entity::update_many()
        .col_expr(one_time_token::Column::ApprovedBy, sea_orm::sea_query::Expr::value(Some(actor.user.0)))
        .col_expr(one_time_token::Column::ApprovedAt, sea_orm::sea_query::Expr::value(Some(now)))
        .filter(one_time_token::Column::Id.eq(row.id))
        .filter(one_time_token::Column::ApprovedBy.is_null())
        .exec(&txn)
        .await?;
    if approved.rows_affected != 1 {
        return Err(ServiceError::Stale);
    }
    let approved_row = one_time_token::Model { approved_by: Some(actor.user.0), ..row.clone() };
    audit::record(
        &txn,
        By::Actor(permit),
        Change {
            action: "approve_link",
            entity_type: if row.purpose == INVITE { "invitation" } else { "user" },
            entity_id: if row.purpose == INVITE { row.id } else { row.user_id.unwrap_or(row.id) },
            carrier: row.carrier_id.map(CarrierId),
            startup: None,
            before: None,
            after: audit::snapshot(&serde_json::json!({
                "link": row.id, "purpose": row.purpose, "email": row.email,
                "names": approval_names(&txn, &approved_row).await?
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn invitation_details(db: &impl ConnectionTrait, token: &str) -> Result<InvitationDetails> {
    let row = valid_token(db, token, INVITE).await?;
    let email = row.email.clone().ok_or_else(|| ServiceError::Corrupt("invitation without email".into()))?;
    let role = row
        .role
        .as_deref()
        .and_then(Role::from_code)
        .ok_or_else(|| ServiceError::Corrupt("invitation without role".into()))?;
    let carrier_name = match row.carrier_id {
        Some(id) => carrier::Entity::find_by_id(id).one(db).await?.map(|c| c.name),
        None => None,
    };
    let existing_account = user::Entity::find().filter(user::Column::Email.eq(email.as_str())).count(db).await? > 0;
    Ok(InvitationDetails { email, role, carrier_name, existing_account })
}

/// Accepts an invitation. A new account sets its name and password; an existing account proves
/// it is theirs with its current password, and gains the role. Returns the user to sign in.
pub async fn accept_invitation(
    db: &DatabaseConnection,
    token: &str,
    display_name: &str,
    password: &str,
    confirm: &str,
) -> Result<UserId> {
    let details = invitation_details(db, token).await?;
    let existing = user::Entity::find().filter(user::Column::Email.eq(details.email.as_str())).one(db).await?;
    let new_hash = match &existing {
        Some(user) => {
            let stored = user.password_hash.clone().ok_or(ServiceError::InvalidCredentials)?;
            if !user.active || !password::verify(stored, password).await? {
                return Err(ServiceError::Invalid(FieldErrors::single(field::PASSWORD, Problem::PasswordWrong)));
            }
            None
        }
        None => {
            let mut errors = FieldErrors::new();
            errors.check(field::DISPLAY_NAME, domain::validation::text(display_name, 1, 50));
            for e in account::new_password(password, confirm, &[details.email.as_str(), display_name]).iter() {
                errors.add(&e.field, e.problem.clone());
            }
            if !errors.is_empty() {
                return Err(ServiceError::Invalid(errors));
            }
            Some(password::hash(password).await?)
        }
    };

    let txn = db::begin_write(db).await?;
    let row = valid_token(&txn, token, INVITE).await?;
    // The link is spent first, by a write that only one of several concurrent acceptances can
    // make; the others find it spent.
    use_token(&txn, &row).await?;
    let user = match existing {
        Some(user) => user,
        None => insert_user(&txn, &details.email, display_name.trim(), new_hash)
            .await
            .map_err(|e| taken_on_unique_violation(e, field::EMAIL))?,
    };
    insert_membership(&txn, user.id, details.role, row.carrier_id, None).await?;
    audit::record(
        &txn,
        By::User { id: user.id, email: &user.email },
        Change {
            action: "accept_invitation",
            entity_type: "membership",
            entity_id: user.id,
            carrier: row.carrier_id.map(CarrierId),
            startup: None,
            before: None,
            after: audit::snapshot(&serde_json::json!({
                "email": user.email, "role": details.role, "approval": approval_names(&txn, &row).await?
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(UserId(user.id))
}

/// An admin issues a one-time link with which a user sets a new password (24 hours). The link
/// hands whoever holds it the account, with all its rights: a reset of anyone else's account
/// therefore works only after a second admin — neither the issuer nor the account's owner — has
/// approved it. (Were resets of fellow admins exempt, one admin could take over a second and
/// approve their own links with it.) `fuhua reset-link` issues one from the command line.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, user_id = ?user_id))]
pub async fn issue_password_reset(db: &DatabaseConnection, actor: &Actor, user_id: UserId) -> Result<OneTimeLink> {
    let permit = policy::administer_accounts(actor)?;
    let txn = db::begin_write(db).await?;
    let user = user::Entity::find_by_id(user_id.0).one(&txn).await?.ok_or(ServiceError::NotFound)?;
    let needs_approval = user.id != actor.user.0;
    let (token, hash) = new_token();
    let now = Utc::now();
    let expires_at = now + Duration::hours(24);
    let row = one_time_token::ActiveModel {
        token_hash: Set(hash),
        purpose: Set(RESET.to_owned()),
        email: Set(Some(user.email.clone())),
        role: Set(None),
        carrier_id: Set(None),
        user_id: Set(Some(user.id)),
        created_by: Set(Some(actor.user.0)),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
        needs_approval: Set(needs_approval),
        approved_by: Set(None),
        approved_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        By::Actor(permit),
        Change {
            action: "issue_password_reset",
            entity_type: "user",
            entity_id: user.id,
            carrier: None,
            startup: None,
            before: None,
            after: audit::snapshot(&serde_json::json!({
                "reset_link_id": row.id, "expires_at": expires_at, "needs_approval": needs_approval
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(OneTimeLink { path: format!("/reset/{token}"), expires_at, needs_approval })
}

/// The email of the account a reset link is for, for the page that uses it.
pub async fn password_reset_email(db: &impl ConnectionTrait, token: &str) -> Result<String> {
    valid_token(db, token, RESET).await?.email.ok_or(ServiceError::LinkExpired)
}

/// Sets a new password with a reset link. Every existing session of the user ends.
pub async fn reset_password(db: &DatabaseConnection, token: &str, password: &str, confirm: &str) -> Result<UserId> {
    let email = password_reset_email(db, token).await?;
    let errors = account::new_password(password, confirm, &[email.as_str()]);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let hash = password::hash(password).await?;
    let txn = db::begin_write(db).await?;
    let row = valid_token(&txn, token, RESET).await?;
    let user_id = row.user_id.ok_or(ServiceError::LinkExpired)?;
    use_token(&txn, &row).await?;
    set_password(&txn, user_id, hash).await?;
    audit::record(
        &txn,
        By::User { id: user_id, email: &email },
        Change {
            action: "reset_password",
            entity_type: "user",
            entity_id: user_id,
            carrier: None,
            startup: None,
            before: None,
            after: audit::snapshot(&serde_json::json!({ "approval": approval_names(&txn, &row).await? })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(UserId(user_id))
}

/// Sets a user's password. Every session from before ends (they are checked against
/// `password_changed_at`), and every reset link still outstanding for the account is revoked: a
/// link issued before the change must not undo it.
pub(super) async fn set_password(txn: &impl ConnectionTrait, user_id: i64, hash: String) -> Result<()> {
    let user = user::Entity::find_by_id(user_id).one(txn).await?.ok_or(ServiceError::NotFound)?;
    let now = Utc::now();
    one_time_token::Entity::update_many()
        .col_expr(one_time_token::Column::RevokedAt, sea_orm::sea_query::Expr::value(Some(now)))
        .filter(one_time_token::Column::UserId.eq(user_id))
        .filter(one_time_token::Column::Purpose.eq(RESET))
        .filter(one_time_token::Column::UsedAt.is_null())
        .filter(one_time_token::Column::RevokedAt.is_null())
        .exec(txn)
        .await?;
    let mut model: user::ActiveModel = user.into();
    model.password_hash = Set(Some(hash));
    model.password_changed_at = Set(Some(now));
    model.updated_at = Set(now);
    model.update(txn).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_stored_only_as_its_hash() {
        let (token, hash) = new_token();
        assert_eq!(token.len(), 64);
        assert_ne!(token, hash);
        assert_eq!(token_hash(&token), hash);
    }
}
