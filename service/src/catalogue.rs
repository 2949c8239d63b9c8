//! The space catalogue: carriers with vacant space, for startups (and, for the carriers that opt
//! in, visitors who have not signed in), and each carrier's own entry.
//!
//! A unit is vacant when it is in service today, is let to tenants (not a meeting room, a
//! public service area or the operator's office), and no lease books it from today on, whether
//! running or signed to start later. The vacancy is read from the units' current state and the
//! lease bookings: it is what can be let now, not a dated figure.

use crate::audit::{self, By, Change};
use crate::entity::{carrier, carrier_industry, district, lease_unit, unit};
use crate::policy::{self, Actor};
use crate::{Result, ServiceError, carriers, db, districts, spaces};
use chrono::NaiveDate;
use domain::carrier::{CarrierKind, Industry, Level};
use domain::catalogue::{
    Catalogue, CatalogueEntry, CatalogueQuery, LETTABLE_KINDS, PAGE_SIZE, UNITS_SHOWN, VacantUnit,
};
use domain::listing::Listing;
use domain::space::{Availability, ListRent, RentBasis, UnitKind, UseCategory};
use domain::{Area, CarrierId, Money, Page};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::{BTreeMap, BTreeSet};

/// Units free to let on `today` and after.
///
/// "No running or future lease of this unit" is a correlated `NOT EXISTS`, which finds a unit's
/// leases by their unit's index; a `NOT IN (…)` list of every booked unit of the city was built
/// again for each carrier's entry (40 ms each at a hundred times the demo city).
fn vacant(today: NaiveDate) -> Condition {
    let booked = Query::select()
        .expr(Expr::val(1))
        .from(lease_unit::Entity)
        .and_where(Expr::col((lease_unit::Entity, lease_unit::Column::UnitId)).equals((unit::Entity, unit::Column::Id)))
        .cond_where(
            Condition::any().add(lease_unit::Column::EndsOn.is_null()).add(lease_unit::Column::EndsOn.gt(today)),
        )
        .to_owned();
    Condition::all()
        .add(unit::Column::Availability.eq(Availability::InService.code()))
        .add(unit::Column::UseCategory.eq(UseCategory::Tenant.code()))
        .add(unit::Column::Kind.is_in(LETTABLE_KINDS.iter().map(|k| k.code())))
        .add(unit::Column::CreatedOn.lte(today))
        .add(Expr::exists(booked).not())
}

/// The carriers the query and the reader may see.
fn carriers_shown(query: &CatalogueQuery, public_only: bool) -> Condition {
    let mut condition = Condition::all().add(carrier::Column::Archived.eq(false));
    if public_only {
        condition = condition.add(carrier::Column::ListedPublicly.eq(true));
    }
    if let Some(district) = query.district {
        condition = condition.add(carrier::Column::DistrictId.eq(district.0));
    }
    if let Some(kind) = query.kind {
        condition = condition.add(carrier::Column::Kind.eq(kind.code()));
    }
    if let Some(industry) = query.industry {
        condition = condition.add(carriers::in_industry(industry));
    }
    condition
}

#[derive(Debug, Clone, FromQueryResult)]
struct Vacancy {
    carrier_id: i64,
    units: i64,
    usable: i64,
    desks: i64,
}

/// The carriers with vacant space that a query's filters and a reader may see, most vacant area
/// first: the city-wide part of every catalogue page (every vacant unit of the city summed),
/// which [`page`] cuts a page from.
#[derive(Debug, Clone)]
pub struct Vacancies(Vec<Vacancy>);

/// The vacancies for `query`'s filters (its page plays no part), as a visitor who has not signed
/// in (`public_only`) or a signed-in reader sees them.
pub async fn vacancies(db: &impl ConnectionTrait, public_only: bool, query: &CatalogueQuery) -> Result<Vacancies> {
    let today = crate::today();
    let shown = Query::select()
        .column(carrier::Column::Id)
        .from(carrier::Entity)
        .cond_where(carriers_shown(query, public_only))
        .to_owned();
    let usable_sum = || Func::sum(Expr::col((unit::Entity, unit::Column::UsableArea)));
    let mut find = unit::Entity::find()
        .select_only()
        .column(unit::Column::CarrierId)
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "units")
        .column_as(Expr::cust("CAST(COALESCE(SUM(usable_area), 0) AS BIGINT)"), "usable")
        .column_as(Expr::cust("CAST(COALESCE(SUM(desks), 0) AS BIGINT)"), "desks")
        .filter(vacant(today))
        .filter(unit::Column::CarrierId.in_subquery(shown))
        .group_by(unit::Column::CarrierId);
    if let Some(min) = query.min_area {
        find = find.having(Expr::expr(usable_sum()).gte(min.hundredths()));
    }
    // One small row per carrier with vacant space; the pages are cut from them in order.
    let mut vacancies: Vec<Vacancy> = find.into_model::<Vacancy>().all(db).await?;
    vacancies.sort_by(|a, b| b.usable.cmp(&a.usable).then(a.carrier_id.cmp(&b.carrier_id)));
    Ok(Vacancies(vacancies))
}

/// The page of `query` cut from `vacancies` (computed for the same filters and reader), with
/// each carrier's entry read now.
pub async fn page(
    db: &impl ConnectionTrait,
    public_only: bool,
    query: &CatalogueQuery,
    vacancies: &Vacancies,
) -> Result<Catalogue> {
    let total = u64::try_from(vacancies.0.len()).unwrap_or(u64::MAX);
    let offset = usize::try_from(query.offset()).unwrap_or(usize::MAX);
    let on_page: Vec<&Vacancy> = vacancies.0.iter().skip(offset).take(PAGE_SIZE as usize).collect();
    let items = entries(db, &on_page, crate::today()).await?;
    Ok(Catalogue {
        page: Page { items, total, more: false, page: std::cmp::max(query.page, 1), page_size: PAGE_SIZE },
        public_only,
        districts: districts::list(db).await?,
    })
}

/// One page of the catalogue: the carriers with the most vacant area first. Anyone may read it;
/// a visitor who has not signed in (`actor` none) sees only the carriers listed publicly.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.map(|a| a.user.0)))]
pub async fn search(db: &impl ConnectionTrait, actor: Option<&Actor>, query: &CatalogueQuery) -> Result<Catalogue> {
    let public_only = actor.is_none();
    page(db, public_only, query, &vacancies(db, public_only, query).await?).await
}

async fn entries(db: &impl ConnectionTrait, on_page: &[&Vacancy], today: NaiveDate) -> Result<Vec<CatalogueEntry>> {
    let ids: Vec<i64> = on_page.iter().map(|v| v.carrier_id).collect();
    let carriers: BTreeMap<i64, (carrier::Model, Option<district::Model>)> = carrier::Entity::find()
        .filter(carrier::Column::Id.is_in(ids.clone()))
        .find_also_related(district::Entity)
        .all(db)
        .await?
        .into_iter()
        .map(|(c, d)| (c.id, (c, d)))
        .collect();
    let mut industries: BTreeMap<i64, BTreeSet<Industry>> = BTreeMap::new();
    for row in carrier_industry::Entity::find().filter(carrier_industry::Column::CarrierId.is_in(ids)).all(db).await? {
        if let Some(industry) = Industry::from_code(&row.industry) {
            industries.entry(row.carrier_id).or_default().insert(industry);
        }
    }
    let mut entries = Vec::with_capacity(on_page.len());
    for vacancy in on_page {
        let Some((c, d)) = carriers.get(&vacancy.carrier_id) else { continue };
        let d = d.as_ref().ok_or_else(|| ServiceError::Corrupt(format!("carrier {} has no district", c.id)))?;
        let corrupt =
            |what: &str, code: &str| ServiceError::Corrupt(format!("carrier {}: unknown {what} {code:?}", c.id));
        entries.push(CatalogueEntry {
            carrier: CarrierId(c.id),
            name: c.name.clone(),
            kind: CarrierKind::from_code(&c.kind).ok_or_else(|| corrupt("kind", &c.kind))?,
            level: Level::from_code(&c.level).ok_or_else(|| corrupt("level", &c.level))?,
            district_zh: d.name_zh.clone(),
            district_en: d.name_en.clone(),
            industries: industries.remove(&c.id).unwrap_or_default(),
            address: c.address.clone(),
            description: c.description.clone(),
            contact_name: c.contact_name.clone(),
            contact_phone: c.contact_phone.clone(),
            contact_email: c.contact_email.clone(),
            vacant_units: u64::try_from(vacancy.units).unwrap_or(0),
            vacant_area: Area::from_hundredths(vacancy.usable),
            vacant_desks: u64::try_from(vacancy.desks).unwrap_or(0),
            units: shown_units(db, c.id, today).await?,
        });
    }
    Ok(entries)
}

/// The first vacant units of a carrier, by building, floor and code.
async fn shown_units(db: &impl ConnectionTrait, carrier: i64, today: NaiveDate) -> Result<Vec<VacantUnit>> {
    let units = unit::Entity::find()
        .filter(vacant(today))
        .filter(unit::Column::CarrierId.eq(carrier))
        .order_by_asc(unit::Column::BuildingId)
        .order_by_asc(unit::Column::FloorId)
        .order_by_asc(unit::Column::Code)
        .limit(UNITS_SHOWN)
        .all(db)
        .await?;
    let names = spaces::unit_names(db, &units).await?;
    units
        .into_iter()
        .map(|u| {
            let corrupt = |what: &str| ServiceError::Corrupt(format!("unit {}: unknown {what}", u.id));
            let rent = match (u.list_rent_fen, u.rent_basis.as_deref()) {
                (Some(fen), Some(basis)) => Some(ListRent {
                    amount: Money::from_fen(fen),
                    basis: RentBasis::from_code(basis).ok_or_else(|| corrupt("rent basis"))?,
                }),
                _ => None,
            };
            Ok(VacantUnit {
                name: names.get(&u.id).cloned().unwrap_or_else(|| u.code.clone()),
                kind: UnitKind::from_code(&u.kind).ok_or_else(|| corrupt("kind"))?,
                usable: Area::from_hundredths(u.usable_area),
                desks: u.desks.and_then(|d| u32::try_from(d).ok()),
                rent,
                id: u.id,
            })
        })
        .collect()
}

/// Changes a carrier's catalogue entry (its operators). `expected_version` is the carrier's
/// version the editor started from: a save based on a stale copy changes nothing.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, carrier = ?carrier))]
pub async fn set_listing(
    db: &DatabaseConnection,
    actor: &Actor,
    carrier: CarrierId,
    expected_version: i32,
    listing: &Listing,
) -> Result<()> {
    let permit = policy::operate_carrier(actor, carrier)?;
    let txn = db::begin_write(db).await?;
    let current = carrier::Entity::find_by_id(carrier.0).one(&txn).await?.ok_or(ServiceError::NotFound)?;
    db::claim_version::<carrier::Entity>(
        &txn,
        (carrier::Column::Id, carrier.0),
        carrier::Column::Version,
        expected_version,
    )
    .await?;
    carrier::Entity::update_many()
        .col_expr(carrier::Column::Description, Expr::value(listing.description.clone()))
        .col_expr(carrier::Column::ListedPublicly, Expr::value(listing.public))
        .col_expr(carrier::Column::UpdatedAt, Expr::value(crate::now()))
        .filter(carrier::Column::Id.eq(carrier.0))
        .exec(&txn)
        .await?;
    let before = Listing { description: current.description, public: current.listed_publicly };
    audit::record(
        &txn,
        By::Actor(permit),
        Change {
            action: "update_listing",
            entity_type: "carrier",
            entity_id: carrier.0,
            carrier: Some(carrier),
            startup: None,
            before: audit::snapshot(&before),
            after: audit::snapshot(listing),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
