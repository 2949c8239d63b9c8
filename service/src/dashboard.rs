//! The bureau's dashboard and the area targets it measures against.
//!
//! Every figure starts from per-carrier figures ([`figures`]): area and leased area from the
//! per-carrier daily roll-ups (one row per carrier and change day, never a row per unit), tenants
//! from the tenant events. Breakdowns, totals and target
//! progress are sums of those rows, so the dashboard, the carrier list and the carriers' own pages
//! tell the same numbers.

use crate::authz::Actor;
use crate::entity::{area_target, carrier, carrier_area_day, carrier_leased_day, district, maintenance, tenant_event};
use crate::spaces::{self, BucketSum};
use crate::{Result, ServiceError, db, equity};
use chrono::{Months, NaiveDate, Utc};
use domain::carrier::{CarrierKind, Level, OperatingModel};
use domain::dashboard::{
    self, CarrierFigures, DashboardView, Flow, Group, OccupancyPoint, TREND_MONTHS, TREND_QUARTERS, TargetForm,
    TargetProgress, TargetRow, Totals,
};
use domain::startup::{GraduationCriterion, TenantStage};
use domain::target::{self, Target};
use domain::{Area, CarrierId, DistrictId, FieldErrors, Problem};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::{BTreeMap, BTreeSet};

/// The carriers a query covers: named ones (a page of the carrier list), or the registered ones
/// of a district or the city, read by subquery however many there are.
enum Carriers {
    Listed(Vec<i64>),
    Registered(Option<DistrictId>),
}

impl Carriers {
    /// The rows of a table whose `column` names a carrier of this set.
    fn of<C: ColumnTrait>(&self, column: C) -> Condition {
        Condition::all().add(match self {
            Carriers::Listed(ids) => column.is_in(ids.iter().copied()),
            Carriers::Registered(district) => column.in_subquery(spaces::registered_carriers(*district)),
        })
    }
}

#[derive(Debug, FromQueryResult)]
struct CarrierBucket {
    carrier_id: i64,
    bucket: String,
    gross: i64,
    usable: i64,
    desks: i64,
    units: i64,
    list_rent: i64,
}

/// Area totals per carrier on `on`, from the roll-up.
async fn area_by_carrier(
    db: &impl ConnectionTrait,
    carriers: Condition,
    on: NaiveDate,
) -> Result<BTreeMap<i64, domain::space::AreaTotals>> {
    let rows = spaces::bucket_sums(
        carrier_area_day::Entity::find(),
        [carrier_area_day::Column::CarrierId, carrier_area_day::Column::Bucket],
    )
    .filter(carriers)
    .filter(carrier_area_day::Column::EffectiveOn.lte(on))
    .group_by(carrier_area_day::Column::CarrierId)
    .group_by(carrier_area_day::Column::Bucket)
    .into_model::<CarrierBucket>()
    .all(db)
    .await?;
    let mut by_carrier: BTreeMap<i64, domain::space::AreaTotals> = BTreeMap::new();
    for r in rows {
        let sums = BucketSum {
            bucket: r.bucket,
            gross: r.gross,
            usable: r.usable,
            desks: r.desks,
            units: r.units,
            list_rent: r.list_rent,
        };
        spaces::add_bucket(by_carrier.entry(r.carrier_id).or_default(), &sums)?;
    }
    Ok(by_carrier)
}

#[derive(Debug, FromQueryResult)]
struct CarrierLeased {
    carrier_id: i64,
    usable: i64,
}

/// Usable area leased per carrier on `on` (units in service only), as occupancy counts it: from
/// the leased-area roll-up.
async fn leased_by_carrier(
    db: &impl ConnectionTrait,
    carriers: Condition,
    on: NaiveDate,
) -> Result<BTreeMap<i64, Area>> {
    Ok(carrier_leased_day::Entity::find()
        .select_only()
        .column(carrier_leased_day::Column::CarrierId)
        .column_as(Expr::cust("CAST(COALESCE(SUM(delta_usable), 0) AS BIGINT)"), "usable")
        .filter(carriers)
        .filter(carrier_leased_day::Column::EffectiveOn.lte(on))
        .group_by(carrier_leased_day::Column::CarrierId)
        .into_model::<CarrierLeased>()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.carrier_id, Area::from_hundredths(r.usable)))
        .collect())
}

/// Where each startup stands at each carrier of a scope on a day: its stage is its latest recorded
/// event dated on or before that day.
pub(crate) struct TenantStages {
    /// (carrier, startup) → stage code.
    pub latest: BTreeMap<(i64, i64), String>,
    /// (carrier, startup) pairs that graduated on or before the day.
    pub graduated: BTreeSet<(i64, i64)>,
    /// Every admission (carrier, startup, day) on or before the day.
    pub admissions: Vec<(i64, i64, NaiveDate)>,
}

impl TenantStages {
    /// The startups incubating at `carrier` on the day.
    pub fn incubating(&self, carrier: i64) -> impl Iterator<Item = i64> + '_ {
        self.latest
            .iter()
            .filter(move |((c, _), stage)| *c == carrier && *stage == TenantStage::Incubating.code())
            .map(|((_, startup), _)| *startup)
    }
}

/// The tenant stages of the carriers `carriers` selects, on `on`.
pub(crate) async fn tenant_stages(
    db: &impl ConnectionTrait,
    carriers: Condition,
    on: NaiveDate,
) -> Result<TenantStages> {
    let rows: Vec<(i64, i64, String, NaiveDate)> = tenant_event::Entity::find()
        .select_only()
        .column(tenant_event::Column::CarrierId)
        .column(tenant_event::Column::StartupId)
        .column(tenant_event::Column::Stage)
        .column(tenant_event::Column::OnDate)
        .filter(carriers)
        .filter(tenant_event::Column::OnDate.lte(on))
        .order_by_asc(tenant_event::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut stages = TenantStages { latest: BTreeMap::new(), graduated: BTreeSet::new(), admissions: Vec::new() };
    for (carrier, startup, stage, day) in rows {
        if stage == TenantStage::Graduated.code() {
            stages.graduated.insert((carrier, startup));
        } else if stage == TenantStage::Incubating.code() {
            stages.admissions.push((carrier, startup, day));
        }
        stages.latest.insert((carrier, startup), stage);
    }
    Ok(stages)
}

/// Tenants in incubation and graduates (in all) per carrier on `on`.
async fn tenants_by_carrier(
    db: &impl ConnectionTrait,
    carriers: Condition,
    on: NaiveDate,
) -> Result<BTreeMap<i64, (u64, u64)>> {
    let stages = tenant_stages(db, carriers, on).await?;
    let mut out: BTreeMap<i64, (u64, u64)> = BTreeMap::new();
    for ((carrier, _), stage) in &stages.latest {
        if stage == TenantStage::Incubating.code() {
            out.entry(*carrier).or_default().0 += 1;
        }
    }
    for (carrier, _) in &stages.graduated {
        out.entry(*carrier).or_default().1 += 1;
    }
    Ok(out)
}

fn decode<T>(parse: fn(&str) -> Option<T>, code: &str, what: &str) -> Result<T> {
    parse(code).ok_or_else(|| ServiceError::Corrupt(format!("unknown {what} {code:?}")))
}

/// The figures of every registered carrier (in `district`, if given) on `on`, by name.
pub async fn figures(
    db: &impl ConnectionTrait,
    district: Option<DistrictId>,
    ids: Option<&[CarrierId]>,
    on: NaiveDate,
) -> Result<Vec<CarrierFigures>> {
    let mut select = carrier::Entity::find().order_by_asc(carrier::Column::Name);
    match ids {
        Some(ids) => select = select.filter(carrier::Column::Id.is_in(ids.iter().map(|c| c.0))),
        None => {
            select = select.filter(carrier::Column::Archived.eq(false));
            if let Some(d) = district {
                select = select.filter(carrier::Column::DistrictId.eq(d.0));
            }
        }
    }
    let scope = match ids {
        Some(ids) => Carriers::Listed(ids.iter().map(|c| c.0).collect()),
        None => Carriers::Registered(district),
    };
    let carriers = select.all(db).await?;
    let districts: BTreeMap<i64, district::Model> =
        district::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d)).collect();
    let areas = area_by_carrier(db, scope.of(carrier_area_day::Column::CarrierId), on).await?;
    let leased = leased_by_carrier(db, scope.of(carrier_leased_day::Column::CarrierId), on).await?;
    let tenants = tenants_by_carrier(db, scope.of(tenant_event::Column::CarrierId), on).await?;
    carriers
        .into_iter()
        .map(|c| {
            let area = areas.get(&c.id).cloned().unwrap_or_default();
            let (tenants, graduates) = tenants.get(&c.id).copied().unwrap_or_default();
            let d = districts
                .get(&c.district_id)
                .ok_or_else(|| ServiceError::Corrupt(format!("carrier {} has no district", c.id)))?;
            Ok(CarrierFigures {
                id: CarrierId(c.id),
                district: DistrictId(c.district_id),
                district_zh: d.name_zh.clone(),
                district_en: d.name_en.clone(),
                kind: decode(CarrierKind::from_code, &c.kind, "kind")?,
                level: decode(Level::from_code, &c.level, "level")?,
                model: decode(OperatingModel::from_code, &c.operating_model, "operating model")?,
                totals: Totals {
                    carriers: 1,
                    gross: area.total_gross(),
                    usable: area.total_usable(),
                    leased: leased.get(&c.id).copied().unwrap_or_default(),
                    desks: area.desks,
                    tenants,
                    graduates,
                },
                name: c.name,
            })
        })
        .collect()
}

fn group_by<K: Ord + Copy>(
    carriers: &[CarrierFigures],
    keys: &[K],
    key_of: impl Fn(&CarrierFigures) -> K,
    label: fn(K, domain::Lang) -> &'static str,
    href: impl Fn(K) -> String,
) -> Vec<Group> {
    keys.iter()
        .map(|k| Group {
            label_zh: label(*k, domain::Lang::Zh).to_owned(),
            label_en: label(*k, domain::Lang::En).to_owned(),
            href: href(*k),
            totals: carriers.iter().filter(|c| key_of(c) == *k).map(|c| c.totals).sum(),
        })
        .collect()
}

/// The stored targets, for bureau staff.
pub async fn list_targets(db: &impl ConnectionTrait, actor: &Actor) -> Result<Vec<TargetRow>> {
    if !actor.bureau {
        return Err(ServiceError::Forbidden);
    }
    targets(db).await
}

/// The stored targets, the city's first.
pub async fn targets(db: &impl ConnectionTrait) -> Result<Vec<TargetRow>> {
    let districts: BTreeMap<i64, district::Model> =
        district::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d)).collect();
    let rows = area_target::Entity::find()
        .order_by_asc(area_target::Column::DistrictId)
        .order_by_asc(area_target::Column::Deadline)
        .order_by_asc(area_target::Column::Id)
        .all(db)
        .await?;
    let mut out: Vec<TargetRow> = rows
        .into_iter()
        .map(|t| TargetRow {
            id: t.id,
            name_zh: t.name_zh,
            name_en: t.name_en,
            district: t
                .district_id
                .and_then(|id| districts.get(&id))
                .map(|d| (DistrictId(d.id), d.name_zh.clone(), d.name_en.clone())),
            target: Target { area: Area::from_hundredths(t.area), base_date: t.base_date, deadline: t.deadline },
        })
        .collect();
    out.sort_by_key(|t| t.district.is_some());
    Ok(out)
}

/// The dashboard on `on`, for the city or one district: bureau staff only.
pub async fn dashboard(
    db: &impl ConnectionTrait,
    actor: &Actor,
    on: NaiveDate,
    district: Option<DistrictId>,
) -> Result<DashboardView> {
    if !actor.bureau {
        return Err(ServiceError::Forbidden);
    }
    let all_districts = district::Entity::find().order_by_asc(district::Column::SortOrder).all(db).await?;
    if let Some(d) = district
        && !all_districts.iter().any(|x| x.id == d.0)
    {
        return Err(FieldErrors::single("district", Problem::UnknownDistrict).into());
    }
    // City-wide figures today and a year ago: the targets measure the city or a district.
    let city = figures(db, None, None, on).await?;
    let year_ago_day = on.checked_sub_months(Months::new(12)).unwrap_or(on);
    let year_ago =
        area_by_carrier(db, Carriers::Registered(None).of(carrier_area_day::Column::CarrierId), year_ago_day).await?;
    let scope_area = |scope: Option<DistrictId>| -> (Area, Area) {
        let in_scope = |c: &&CarrierFigures| scope.is_none_or(|d| c.district == d);
        let now: Area = city.iter().filter(in_scope).map(|c| c.totals.gross).sum();
        let before: Area = city
            .iter()
            .filter(in_scope)
            .map(|c| year_ago.get(&c.id.0).map(|a| a.total_gross()).unwrap_or_default())
            .sum();
        (now, before)
    };
    let targets = targets(db)
        .await?
        .into_iter()
        .filter(|t| match (&t.district, district) {
            (None, _) | (_, None) => true,
            (Some((d, _, _)), Some(filter)) => *d == filter,
        })
        .map(|row| {
            let (now, before) = scope_area(row.district.as_ref().map(|d| d.0));
            let progress = target::progress(&row.target, on, now, before);
            TargetProgress { row, progress }
        })
        .collect();
    let carriers: Vec<CarrierFigures> =
        city.iter().filter(|c| district.is_none_or(|d| c.district == d)).cloned().collect();

    let href = |extra: String| DashboardView::carriers_href(district, on, &extra);
    let by_district = all_districts
        .iter()
        .filter(|d| district.is_none_or(|f| f.0 == d.id))
        .map(|d| Group {
            label_zh: d.name_zh.clone(),
            label_en: d.name_en.clone(),
            href: DashboardView::carriers_href(Some(DistrictId(d.id)), on, ""),
            totals: carriers.iter().filter(|c| c.district.0 == d.id).map(|c| c.totals).sum(),
        })
        .collect();
    let by_kind = group_by(
        &carriers,
        CarrierKind::ALL,
        |c| c.kind,
        dashboard::kind_label,
        |k| href(format!("kind={}", k.code())),
    );
    let by_level =
        group_by(&carriers, Level::ALL, |c| c.level, dashboard::level_label, |k| href(format!("level={}", k.code())));
    let by_model = group_by(
        &carriers,
        OperatingModel::ALL,
        |c| c.model,
        dashboard::model_label,
        |k| href(format!("model={}", k.code())),
    );

    let scope = Carriers::Registered(district);
    let district_of: BTreeMap<i64, i64> = city.iter().map(|c| (c.id.0, c.district.0)).collect();
    let monthly = monthly_area(db, scope.of(carrier_area_day::Column::CarrierId), on).await?;
    let (quarters, quarterly) = quarterly_additions(db, district, &all_districts, &district_of, on).await?;
    let flows = flows(db, district, on).await?;
    let mut occupancy = Vec::new();
    let mut days: Vec<NaiveDate> =
        dashboard::quarter_ends(on, 5).into_iter().filter(|d| *d < on).rev().take(4).collect::<Vec<_>>();
    days.reverse();
    days.push(on);
    for day in days {
        let (usable, leased) = if day == on {
            (carriers.iter().map(|c| c.totals.usable).sum(), carriers.iter().map(|c| c.totals.leased).sum())
        } else {
            let areas = area_by_carrier(db, scope.of(carrier_area_day::Column::CarrierId), day).await?;
            let leased = leased_by_carrier(db, scope.of(carrier_leased_day::Column::CarrierId), day).await?;
            (areas.values().map(|a| a.total_usable()).sum(), leased.values().copied().sum())
        };
        occupancy.push(OccupancyPoint { on: day, usable, leased });
    }
    let portfolio = equity::city_portfolio(db, actor, on).await?;
    Ok(DashboardView {
        on,
        district,
        districts: all_districts.iter().map(|d| (DistrictId(d.id), d.name_zh.clone(), d.name_en.clone())).collect(),
        targets,
        carriers,
        by_district,
        by_kind,
        by_level,
        by_model,
        monthly,
        quarters,
        quarterly,
        flows,
        occupancy,
        portfolio,
    })
}

#[derive(Debug, FromQueryResult)]
struct DayGross {
    effective_on: NaiveDate,
    gross: i64,
}

/// Gross area at each of the last month ends, the last point being `on` itself: one grouped
/// query over the roll-up.
async fn monthly_area(db: &impl ConnectionTrait, scope: Condition, on: NaiveDate) -> Result<Vec<(NaiveDate, Area)>> {
    let days = carrier_area_day::Entity::find()
        .select_only()
        .column(carrier_area_day::Column::EffectiveOn)
        .column_as(Expr::cust("CAST(COALESCE(SUM(delta_gross), 0) AS BIGINT)"), "gross")
        .filter(scope)
        .filter(carrier_area_day::Column::Bucket.ne(spaces::OUT_OF_SERVICE))
        .filter(carrier_area_day::Column::EffectiveOn.lte(on))
        .group_by(carrier_area_day::Column::EffectiveOn)
        .order_by_asc(carrier_area_day::Column::EffectiveOn)
        .into_model::<DayGross>()
        .all(db)
        .await?;
    let points = spaces::month_ends(on, TREND_MONTHS);
    let mut out = Vec::with_capacity(points.len());
    let (mut i, mut running) = (0, 0_i64);
    for point in points {
        while i < days.len() && days[i].effective_on <= point {
            running += days[i].gross;
            i += 1;
        }
        out.push((point, Area::from_hundredths(running)));
    }
    Ok(out)
}

#[derive(Debug, FromQueryResult)]
struct CarrierDayGross {
    carrier_id: i64,
    effective_on: NaiveDate,
    gross: i64,
}

type QuarterTable = (Vec<String>, Vec<(String, String, Vec<Area>)>);

/// Net additions of gross area per quarter and district over the last quarters (the current
/// one up to `on`), with a city row when no district is chosen.
async fn quarterly_additions(
    db: &impl ConnectionTrait,
    district: Option<DistrictId>,
    districts: &[district::Model],
    district_of: &BTreeMap<i64, i64>,
    on: NaiveDate,
) -> Result<QuarterTable> {
    let ends = dashboard::quarter_ends(on, TREND_QUARTERS);
    let first = ends.first().map_or(on, |end| dashboard::quarter_start(*end));
    let rows = carrier_area_day::Entity::find()
        .select_only()
        .column(carrier_area_day::Column::CarrierId)
        .column(carrier_area_day::Column::EffectiveOn)
        .column_as(Expr::cust("CAST(COALESCE(SUM(delta_gross), 0) AS BIGINT)"), "gross")
        .filter(Carriers::Registered(district).of(carrier_area_day::Column::CarrierId))
        .filter(carrier_area_day::Column::Bucket.ne(spaces::OUT_OF_SERVICE))
        .filter(carrier_area_day::Column::EffectiveOn.gte(first))
        .filter(carrier_area_day::Column::EffectiveOn.lte(on))
        .group_by(carrier_area_day::Column::CarrierId)
        .group_by(carrier_area_day::Column::EffectiveOn)
        .into_model::<CarrierDayGross>()
        .all(db)
        .await?;
    let mut by_district: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for row in rows {
        let Some(d) = district_of.get(&row.carrier_id) else { continue };
        let Some(q) = ends.iter().position(|end| row.effective_on <= *end) else { continue };
        by_district.entry(*d).or_insert_with(|| vec![0; ends.len()])[q] += row.gross;
    }
    let mut table = Vec::new();
    let mut city = vec![0_i64; ends.len()];
    for d in districts.iter().filter(|d| district.is_none_or(|f| f.0 == d.id)) {
        let adds = by_district.remove(&d.id).unwrap_or_else(|| vec![0; ends.len()]);
        for (c, a) in city.iter_mut().zip(&adds) {
            *c += a;
        }
        table.push((d.name_zh.clone(), d.name_en.clone(), adds.into_iter().map(Area::from_hundredths).collect()));
    }
    if district.is_none() {
        table.push(("全市".to_owned(), "City".to_owned(), city.into_iter().map(Area::from_hundredths).collect()));
    }
    Ok((ends.iter().map(|e| dashboard::quarter_label(*e)).collect(), table))
}

/// Admissions, graduations by criterion and exits per quarter, over the last quarters.
async fn flows(db: &impl ConnectionTrait, district: Option<DistrictId>, on: NaiveDate) -> Result<Vec<Flow>> {
    let ends = dashboard::quarter_ends(on, TREND_QUARTERS);
    let first = ends.first().map_or(on, |end| dashboard::quarter_start(*end));
    let rows: Vec<(String, Option<String>, NaiveDate)> = tenant_event::Entity::find()
        .select_only()
        .column(tenant_event::Column::Stage)
        .column(tenant_event::Column::Criterion)
        .column(tenant_event::Column::OnDate)
        .filter(Carriers::Registered(district).of(tenant_event::Column::CarrierId))
        .filter(tenant_event::Column::OnDate.gte(first))
        .filter(tenant_event::Column::OnDate.lte(on))
        .into_tuple()
        .all(db)
        .await?;
    let mut flows: Vec<Flow> =
        ends.iter().map(|e| Flow { period: dashboard::quarter_label(*e), ..Flow::default() }).collect();
    for (stage, criterion, day) in rows {
        let Some(q) = ends.iter().position(|end| day <= *end) else { continue };
        let flow = &mut flows[q];
        match TenantStage::from_code(&stage) {
            Some(TenantStage::Incubating) => flow.admitted += 1,
            Some(TenantStage::Exited) => flow.exited += 1,
            Some(TenantStage::Graduated) => {
                let i = criterion
                    .as_deref()
                    .and_then(GraduationCriterion::from_code)
                    .and_then(|c| GraduationCriterion::ALL.iter().position(|x| *x == c))
                    .unwrap_or(GraduationCriterion::ALL.len());
                flow.graduated[i] += 1;
            }
            _ => {}
        }
    }
    Ok(flows)
}

// ---- targets ----------------------------------------------------------------------------------

/// Adds a target: bureau staff only.
pub async fn add_target(db: &DatabaseConnection, actor: &Actor, form: &TargetForm) -> Result<i64> {
    if !actor.bureau {
        return Err(ServiceError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let name_zh = errors.check("name_zh", domain::validation::text(&form.name_zh, 1, 200));
    let name_en = match form.name_en.trim() {
        "" => name_zh.clone(),
        _ => errors.check("name_en", domain::validation::text(&form.name_en, 1, 200)),
    };
    let district = match form.district_id.trim() {
        "" => Some(None),
        raw => match raw.parse::<i64>() {
            Ok(id) if district::Entity::find_by_id(id).one(db).await?.is_some() => Some(Some(id)),
            _ => {
                errors.add("district_id", Problem::UnknownDistrict);
                None
            }
        },
    };
    let area = match Area::parse(&form.area) {
        Ok(a) if a.hundredths() <= 0 => {
            errors.add("area", Problem::NotPositive);
            None
        }
        Ok(a) => Some(a),
        Err(e) => {
            errors.add("area", e.into());
            None
        }
    };
    let date = domain::time::parse_date;
    let base_date = errors.check("base_date", date(&form.base_date));
    let deadline = errors.check("deadline", date(&form.deadline));
    if let (Some(b), Some(d)) = (base_date, deadline)
        && d <= b
    {
        errors.add("deadline", Problem::EndBeforeStart);
    }
    let (Some(name_zh), Some(name_en), Some(district), Some(area), Some(base_date), Some(deadline)) =
        (name_zh, name_en, district, area, base_date, deadline)
    else {
        return Err(errors.into());
    };
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let txn = db::begin_write(db).await?;
    let id = area_target::ActiveModel {
        name_zh: Set(name_zh),
        name_en: Set(name_en),
        district_id: Set(district),
        area: Set(area.hundredths()),
        base_date: Set(base_date),
        deadline: Set(deadline),
        author_email: Set(actor.email.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?
    .id;
    crate::audit::record(
        &txn,
        crate::audit::By::Actor(actor),
        crate::audit::Change {
            action: "target_added",
            entity_type: "area_target",
            entity_id: id,
            carrier: None,
            startup: None,
            before: None,
            after: crate::audit::snapshot(&serde_json::json!({
                "area": area, "base_date": base_date, "deadline": deadline, "district": district
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// Removes a target: bureau staff only.
pub async fn remove_target(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    if !actor.bureau {
        return Err(ServiceError::Forbidden);
    }
    let txn = db::begin_write(db).await?;
    let target = area_target::Entity::find_by_id(id).one(&txn).await?.ok_or(ServiceError::NotFound)?;
    area_target::Entity::delete_by_id(id).exec(&txn).await?;
    crate::audit::record(
        &txn,
        crate::audit::By::Actor(actor),
        crate::audit::Change {
            action: "target_removed",
            entity_type: "area_target",
            entity_id: id,
            carrier: None,
            startup: None,
            before: crate::audit::snapshot(&serde_json::json!({
                "name": target.name_zh, "area": target.area, "deadline": target.deadline
            })),
            after: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The founding plan: 2,000,000 m² of incubation area by the end of 2020.
pub const FOUNDING_PLAN: FoundingPlan = FoundingPlan {
    name_zh: "孵化载体面积倍增计划",
    name_en: "Incubation area plan",
    square_metres: 2_000_000,
    base: (2018, 1, 1),
    deadline: (2020, 12, 31),
};

/// A target as reference data: names, area in whole m², base date and deadline as (y, m, d).
pub struct FoundingPlan {
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub square_metres: i64,
    pub base: (i32, u32, u32),
    pub deadline: (i32, u32, u32),
}

/// Adds the reference data every installation starts with, once: the founding plan's target and
/// the national accreditation rule sets. Bureau staff may change or remove them afterwards, so
/// they are not added again.
pub async fn ensure_reference_data(db: &DatabaseConnection) -> Result<()> {
    const KEY: &str = "reference_data";
    if maintenance::Entity::find_by_id(KEY.to_owned()).one(db).await?.is_some() {
        return Ok(());
    }
    let txn = db::begin_write(db).await?;
    let FoundingPlan { name_zh: zh, name_en: en, square_metres: m2, base, deadline } = FOUNDING_PLAN;
    let day = |(y, m, d): (i32, u32, u32)| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    area_target::ActiveModel {
        name_zh: Set(zh.to_owned()),
        name_en: Set(en.to_owned()),
        district_id: Set(None),
        area: Set(Area::from_square_metres(m2).hundredths()),
        base_date: Set(day(base)),
        deadline: Set(day(deadline)),
        author_email: Set("system:reference".to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    crate::readiness::seed_rule_sets(&txn).await?;
    maintenance::ActiveModel { key: Set(KEY.to_owned()), value: Set("1".to_owned()) }.insert(&txn).await?;
    txn.commit().await?;
    Ok(())
}
