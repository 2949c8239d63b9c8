//! Who may read and change a carrier's spaces.

use crate::area::{AreaScope, carrier_of, totals};
use crate::policy::{self, Actor, Permit};
use crate::{Result, ServiceError};
use chrono::NaiveDate;
use domain::CarrierId;
use domain::space::AreaTotals;
use sea_orm::ConnectionTrait;

/// The totals of `scope` on `on`, for an actor allowed to see them: a carrier's own figures for
/// its operators and the bureau; district and city figures for the bureau.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0))]
pub async fn area_totals(
    db: &impl ConnectionTrait,
    actor: &Actor,
    scope: AreaScope,
    on: NaiveDate,
) -> Result<AreaTotals> {
    match scope {
        AreaScope::District(_) | AreaScope::City => policy::read_city(actor)?,
        _ => policy::read_carrier(actor, carrier_of(db, scope).await?)?,
    }
    totals(db, scope, on).await
}

/// Whether `actor` may import units into `carrier`: asked before the file is read.
pub fn may_import(actor: &Actor, carrier: CarrierId) -> Result<()> {
    manage(actor, carrier).map(|_| ())
}

/// Changing a carrier's spaces: `policy::operate_carrier`.
pub(super) fn manage(actor: &Actor, carrier: CarrierId) -> Result<Permit<'_>> {
    policy::operate_carrier(actor, carrier)
}

/// Reading a carrier's spaces, refusing operators of other carriers before revealing whether a
/// place exists.
pub(super) async fn readable_carrier(db: &impl ConnectionTrait, actor: &Actor, scope: AreaScope) -> Result<CarrierId> {
    policy::carrier_scope(actor)?;
    let carrier = match carrier_of(db, scope).await {
        Err(ServiceError::NotFound) => return Err(policy::hidden(actor)),
        other => other?,
    };
    policy::read_carrier(actor, carrier)?;
    Ok(carrier)
}
