//! The audit trail's server function.

use crate::error::AppError;
use domain::Page;
use domain::account::{AuditEntry, AuditQuery};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::{actor, bounded_date, db};

/// A page of the audit trail, scoped to the actor.
#[server(prefix = "/api", endpoint = "list_audit")]
pub async fn list_audit(query: AuditQuery) -> Result<Page<AuditEntry>, AppError> {
    let mut query = query;
    query.from = query.from.map(|d| bounded_date("from", d)).transpose()?;
    query.to = query.to.map(|d| bounded_date("to", d)).transpose()?;
    Ok(service::audit::list(&db()?, &actor().await?, &query).await?)
}
