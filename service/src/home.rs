//! Each role's home. An operator's is a to-do list for each carrier it runs, gathered from the
//! features that own each item (applications, leases, tenants, occupancy, readiness, returns).

use crate::area::AreaScope;
use crate::entity::carrier;
use crate::policy::{self, Actor};
use crate::readiness;
use crate::tenancy::{applications, leases, tenants};
use crate::{Result, ServiceError};
use chrono::{Datelike, NaiveDate};
use domain::CarrierId;
use domain::home::{CarrierWork, Failing, LeaseDue, OperatorHome, TenantDue, Waiting, return_due};
use domain::readiness::Outcome;
use domain::tenancy::application::{ApplicationQuery, ApplicationState};
use domain::tenancy::lease::{ENDING_DAYS, RentRollRow, UPCOMING_DAYS};
use domain::tenancy::startup::TenantStage;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// The to-do lists of the carriers `actor` operates (registered, not archived), on today.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0))]
pub async fn operator_home(db: &impl ConnectionTrait, actor: &Actor) -> Result<OperatorHome> {
    if actor.carriers.is_empty() {
        return Err(ServiceError::Forbidden);
    }
    let on = crate::today();
    let carriers = carrier::Entity::find()
        .filter(carrier::Column::Id.is_in(actor.carriers.iter().map(|c| c.0)))
        .filter(carrier::Column::Archived.eq(false))
        .order_by_asc(carrier::Column::Name)
        .all(db)
        .await?;
    let mut work = Vec::with_capacity(carriers.len());
    for model in carriers {
        work.push(carrier_work(db, actor, &model, on).await?);
    }
    Ok(OperatorHome { on, carriers: work })
}

fn due(row: RentRollRow, day: NaiveDate) -> LeaseDue {
    LeaseDue { lease: row.lease, tenant: row.tenant, day, units: row.units }
}

async fn carrier_work(
    db: &impl ConnectionTrait,
    actor: &Actor,
    model: &carrier::Model,
    on: NaiveDate,
) -> Result<CarrierWork> {
    let id = CarrierId(model.id);
    policy::read_carrier(actor, id)?;
    let mut waiting = Vec::new();
    let mut waiting_total = 0;
    for state in [ApplicationState::Submitted, ApplicationState::UnderReview] {
        // The longest waiting: a page of each state (the queue holds the rest).
        let query = ApplicationQuery {
            carrier: Some(id),
            state: Some(state),
            oldest_first: true,
            ..ApplicationQuery::default()
        };
        let page = applications::list(db, actor, &query).await?;
        waiting_total += page.total;
        for row in page.items {
            waiting.push(Waiting {
                application: row.id,
                startup: row.startup_name,
                state: row.state,
                days: row.age_days.unwrap_or(0),
            });
        }
    }
    waiting.sort_by(|a, b| b.days.cmp(&a.days).then(a.application.cmp(&b.application)));
    let upcoming = u64::try_from(UPCOMING_DAYS).unwrap_or(0);
    let starting = leases::starting(db, actor, id, on, upcoming)
        .await?
        .into_iter()
        .map(|row| {
            let day = row.starts_on;
            due(row, day)
        })
        .collect();
    // "Ending" is a last day fewer than ENDING_DAYS away, as a lease's phase reads it.
    let ending_days = u64::try_from(ENDING_DAYS - 1).unwrap_or(0);
    let ending = leases::expiring(db, actor, id, on, ending_days)
        .await?
        .into_iter()
        .filter_map(|row| {
            let day = row.expires_on?;
            Some(due(row, day))
        })
        .collect();
    let near_limit = tenants::list(db, actor, id, on)
        .await?
        .into_iter()
        .filter(|t| t.stage == TenantStage::Incubating && t.near_limit)
        .map(|t| TenantDue { startup: t.startup, name: t.name, months: t.months, past_limit: t.past_limit })
        .collect();
    let occupancy = leases::occupancy(db, AreaScope::Carrier(id), on).await?;
    let failing = readiness::checklists(db, actor, id, on)
        .await?
        .into_iter()
        .flat_map(|list| {
            let (set_zh, set_en) = (list.rule_set.name_zh.clone(), list.rule_set.name_en.clone());
            list.checks.into_iter().filter(|c| c.outcome == Outcome::Fail).map(move |c| Failing {
                rule_set_zh: set_zh.clone(),
                rule_set_en: set_en.clone(),
                label_zh: c.criterion.label_zh,
                label_en: c.criterion.label_en,
            })
        })
        .collect();
    let filed = readiness::annual_return(db, actor, id, on.year() - 1).await?.years_filed;
    Ok(CarrierWork {
        carrier: id,
        name: model.name.clone(),
        waiting,
        waiting_total,
        starting,
        ending,
        near_limit,
        units: occupancy.units,
        units_vacant: occupancy.units - occupancy.units_leased,
        area: occupancy.area,
        area_vacant: occupancy.area - occupancy.area_leased,
        failing,
        return_due: return_due(model.opened_on, &filed, on),
    })
}
