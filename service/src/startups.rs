//! Startups (在孵企业). Their full profile arrives with the tenant lifecycle; for now a startup is
//! its name and its members.

use crate::authz::{self, Actor};
use crate::entity::{membership, startup, user};
use crate::{Result, ServiceError};
use domain::StartupId;
use domain::account::{Role, StartupView};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// A startup's own page: for its members and the bureau.
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: StartupId) -> Result<StartupView> {
    authz::read_startup(actor, id)?;
    let startup = startup::Entity::find_by_id(id.0).one(db).await?.ok_or(ServiceError::NotFound)?;
    let member_ids: Vec<i64> = membership::Entity::find()
        .filter(membership::Column::StartupId.eq(id.0))
        .filter(membership::Column::Role.eq(Role::Startup.code()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    let members = user::Entity::find()
        .filter(user::Column::Id.is_in(member_ids))
        .order_by_asc(user::Column::DisplayName)
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.display_name, u.email))
        .collect();
    Ok(StartupView { id, name: startup.name, created_at: startup.created_at, members })
}
