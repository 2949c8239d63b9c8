//! The dashboard of a day: per-carrier figures, their sums, the targets' progress and outcomes,
//! and the trends.

use super::targets::targets;
use crate::area;
use crate::entity::{carrier, carrier_area_day, carrier_leased_day, district, tenant_event};
use crate::policy::{self, Actor};
use crate::registry::{self, History};
use crate::{Result, ServiceError, equity};
use chrono::{Months, NaiveDate};
use domain::carrier::Industry;
use domain::carrier::{CarrierKind, Level, OperatingModel};
use domain::dashboard::{
    self, CarrierFigures, DashboardView, Flow, Group, OccupancyPoint, TREND_MONTHS, TREND_QUARTERS, TargetProgress,
    Totals,
};
use domain::target::{self, Outcome, Target};
use domain::tenancy::startup::{GraduationCriterion, TenantStage, past_incubation_limit, whole_months};
use domain::{Area, CarrierId, DistrictId, FieldErrors, Problem};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::{BTreeMap, BTreeSet};

/// The carriers a query covers: named ones (a page of the carrier list), or those registered on
/// a day in a district or the city (by the dated registry), read by subquery however many there
/// are.
enum Carriers {
    Listed(Vec<i64>),
    Registered(Option<DistrictId>, NaiveDate),
}

impl Carriers {
    /// The rows of a table whose `column` names a carrier of this set.
    fn of<C: ColumnTrait>(&self, column: C) -> Condition {
        Condition::all().add(match self {
            Carriers::Listed(ids) => column.is_in(ids.iter().copied()),
            Carriers::Registered(district, on) => column.in_subquery(registry::registered_on(*district, *on)),
        })
    }
}

/// Area totals per carrier on `on`, from the roll-up.
async fn area_by_carrier(
    db: &impl ConnectionTrait,
    carriers: Condition,
    on: NaiveDate,
) -> Result<BTreeMap<i64, domain::space::AreaTotals>> {
    let rows = area::bucket_sums(carrier_area_day::Entity::find(), [carrier_area_day::Column::Bucket])
        .column_as(carrier_area_day::Column::CarrierId, "key")
        .filter(carriers)
        .filter(carrier_area_day::Column::EffectiveOn.lte(on))
        .group_by(carrier_area_day::Column::CarrierId)
        .group_by(carrier_area_day::Column::Bucket)
        .into_model::<area::KeyedBucketSum>()
        .all(db)
        .await?;
    area::totals_by_key(rows)
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
    /// (carrier, startup) pairs still recorded as incubating whose incubation reached its limit
    /// (48 months, 60 in the slow fields) by the day: not counted as in incubation.
    pub past_limit: BTreeSet<(i64, i64)>,
    /// Every admission (carrier, startup, day) on or before the day.
    pub admissions: Vec<(i64, i64, NaiveDate)>,
}

impl TenantStages {
    /// The startups in incubation at `carrier` on the day: recorded as incubating and within
    /// their incubation limit.
    pub fn incubating(&self, carrier: i64) -> impl Iterator<Item = i64> + '_ {
        self.latest
            .iter()
            .filter(move |((c, startup), stage)| {
                *c == carrier && *stage == TenantStage::Incubating.code() && !self.past_limit.contains(&(*c, *startup))
            })
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
    let mut stages = TenantStages {
        latest: BTreeMap::new(),
        graduated: BTreeSet::new(),
        past_limit: BTreeSet::new(),
        admissions: Vec::new(),
    };
    // When each incubation began: the first admission, as the tenant list counts it.
    let mut since: BTreeMap<(i64, i64), NaiveDate> = BTreeMap::new();
    for (carrier, startup, stage, day) in rows {
        if stage == TenantStage::Graduated.code() {
            stages.graduated.insert((carrier, startup));
        } else if stage == TenantStage::Incubating.code() {
            stages.admissions.push((carrier, startup, day));
            since.entry((carrier, startup)).or_insert(day);
        }
        stages.latest.insert((carrier, startup), stage);
    }
    // Incubations long enough to have reached a limit, and the industry that sets the limit.
    let long: Vec<(i64, i64)> = stages
        .latest
        .iter()
        .filter(|(key, stage)| {
            *stage == TenantStage::Incubating.code()
                && since
                    .get(key)
                    .is_some_and(|s| whole_months(*s, on) >= domain::tenancy::startup::INCUBATION_LIMIT_MONTHS)
        })
        .map(|(key, _)| *key)
        .collect();
    if !long.is_empty() {
        let ids: Vec<i64> = long.iter().map(|(_, s)| *s).collect();
        let mut industries: BTreeMap<i64, Option<Industry>> = BTreeMap::new();
        for slice in ids.chunks(crate::db::IN_LIST) {
            let rows = crate::entity::startup::Entity::find()
                .select_only()
                .column(crate::entity::startup::Column::Id)
                .column(crate::entity::startup::Column::Industry)
                .filter(crate::entity::startup::Column::Id.is_in(slice.iter().copied()))
                .into_tuple::<(i64, Option<String>)>()
                .all(db)
                .await?;
            industries
                .extend(rows.into_iter().map(|(id, industry)| (id, industry.as_deref().and_then(Industry::from_code))));
        }
        for key in long {
            let industry = industries.get(&key.1).copied().flatten();
            if since.get(&key).is_some_and(|s| past_incubation_limit(*s, on, industry)) {
                stages.past_limit.insert(key);
            }
        }
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
    for (key, stage) in &stages.latest {
        if stage == TenantStage::Incubating.code() && !stages.past_limit.contains(key) {
            out.entry(key.0).or_default().0 += 1;
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

/// The figures of every carrier registered on `on` (in `district` on that day, if given), or of
/// the carriers `ids` names, by name. District, kind, level and operating model are those in
/// force on `on`.
pub async fn figures(
    db: &impl ConnectionTrait,
    district: Option<DistrictId>,
    ids: Option<&[CarrierId]>,
    on: NaiveDate,
) -> Result<Vec<CarrierFigures>> {
    let scope = match ids {
        Some(ids) => Carriers::Listed(ids.iter().map(|c| c.0).collect()),
        None => Carriers::Registered(district, on),
    };
    let carriers = carrier::Entity::find()
        .filter(scope.of(carrier::Column::Id))
        .order_by_asc(carrier::Column::Name)
        .all(db)
        .await?;
    let ids: Vec<i64> = carriers.iter().map(|c| c.id).collect();
    let history = History::load(db, on, Some(&ids)).await?;
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
            // The attributes in force on the day; a carrier listed by id before it opened shows
            // its current ones.
            let state = history.on(c.id, on).cloned().unwrap_or_else(|| registry::State {
                district: c.district_id,
                kind: c.kind.clone(),
                level: c.level.clone(),
                model: c.operating_model.clone(),
                archived: c.archived,
            });
            let d = districts
                .get(&state.district)
                .ok_or_else(|| ServiceError::Corrupt(format!("carrier {} has no district", c.id)))?;
            Ok(CarrierFigures {
                id: CarrierId(c.id),
                district: DistrictId(state.district),
                district_zh: d.name_zh.clone(),
                district_en: d.name_en.clone(),
                kind: decode(CarrierKind::from_code, &state.kind, "kind")?,
                level: decode(Level::from_code, &state.level, "level")?,
                model: decode(OperatingModel::from_code, &state.model, "operating model")?,
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
    carriers: &[&CarrierFigures],
    keys: &[K],
    key_of: impl Fn(&CarrierFigures) -> K,
    label: fn(K) -> domain::Text,
    href: impl Fn(K) -> String,
) -> Vec<Group> {
    keys.iter()
        .map(|k| Group {
            label: label(*k),
            href: href(*k),
            totals: carriers.iter().filter(|c| key_of(c) == *k).map(|c| c.totals).sum(),
        })
        .collect()
}

/// The figures of every carrier of the city or of one district on `on`, by name, as the
/// dashboard sums them: bureau staff only. As long as the city: for downloads.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, district = ?district))]
pub async fn carrier_figures(
    db: &impl ConnectionTrait,
    actor: &Actor,
    on: NaiveDate,
    district: Option<DistrictId>,
) -> Result<Vec<CarrierFigures>> {
    policy::read_city(actor)?;
    if let Some(d) = district
        && district::Entity::find_by_id(d.0).one(db).await?.is_none()
    {
        return Err(FieldErrors::single("district", Problem::UnknownDistrict).into());
    }
    figures(db, district, None, on).await
}

/// The dashboard on `on`, for the city or one district: bureau staff only.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, district = ?district))]
pub async fn dashboard(
    db: &impl ConnectionTrait,
    actor: &Actor,
    on: NaiveDate,
    district: Option<DistrictId>,
) -> Result<DashboardView> {
    policy::read_city(actor)?;
    let all_districts = district::Entity::find().order_by_asc(district::Column::SortOrder).all(db).await?;
    if let Some(d) = district
        && !all_districts.iter().any(|x| x.id == d.0)
    {
        return Err(FieldErrors::single("district", Problem::UnknownDistrict).into());
    }
    // City-wide figures today and a year ago, each day with the registry as it stood then: the
    // targets measure the city or a district.
    let city = figures(db, None, None, on).await?;
    let history = History::load(db, on, None).await?;
    let year_ago_day = on.checked_sub_months(Months::new(12)).unwrap_or(on);
    let year_ago = area_by_carrier(
        db,
        Carriers::Registered(None, year_ago_day).of(carrier_area_day::Column::CarrierId),
        year_ago_day,
    )
    .await?;
    let scope_area = |scope: Option<DistrictId>| -> (Area, Area) {
        let now: Area = city.iter().filter(|c| scope.is_none_or(|d| c.district == d)).map(|c| c.totals.gross).sum();
        let before: Area = year_ago
            .iter()
            .filter(|(carrier, _)| history.counts(**carrier, year_ago_day, scope))
            .map(|(_, a)| a.total_gross())
            .sum();
        (now, before)
    };
    let sweep = AreaSweep::load(db, on).await?;
    // The city's dashboard shows the city's targets and every district's; a district's, its own.
    let mut targets: Vec<TargetProgress> = targets(db)
        .await?
        .into_iter()
        .filter(|t| t.district.as_ref().map(|d| d.0) == district || district.is_none())
        .map(|row| {
            let scope = row.district.as_ref().map(|d| d.0);
            let (now, before) = scope_area(scope);
            let progress = target::progress(&row.target, on, now, before);
            let outcome = row.target.is_closed(on).then(|| sweep.outcome(&history, scope, &row.target));
            TargetProgress { row, progress, outcome }
        })
        .collect();
    // The targets still open lead, the nearest deadline first; closed ones follow, the latest
    // first. Within a day, the city's before a district's.
    targets.sort_by(|a, b| {
        let (closed, deadline) = (a.outcome.is_some(), |t: &TargetProgress| t.row.target.deadline);
        closed
            .cmp(&b.outcome.is_some())
            .then_with(|| if closed { deadline(b).cmp(&deadline(a)) } else { deadline(a).cmp(&deadline(b)) })
            .then_with(|| a.row.district.is_some().cmp(&b.row.district.is_some()))
    });
    let carriers: Vec<&CarrierFigures> = city.iter().filter(|c| district.is_none_or(|d| c.district == d)).collect();

    let href = |extra: String| DashboardView::carriers_href(district, on, &extra);
    let by_district = all_districts
        .iter()
        .filter(|d| district.is_none_or(|f| f.0 == d.id))
        .map(|d| Group {
            label: domain::Text::Names(d.name_zh.clone(), d.name_en.clone()),
            href: DashboardView::carriers_href(Some(DistrictId(d.id)), on, ""),
            totals: carriers.iter().filter(|c| c.district.0 == d.id).map(|c| c.totals).sum(),
        })
        .collect();
    let by_kind =
        group_by(&carriers, CarrierKind::ALL, |c| c.kind, CarrierKind::text, |k| href(format!("kind={}", k.code())));
    let by_level = group_by(&carriers, Level::ALL, |c| c.level, Level::text, |k| href(format!("level={}", k.code())));
    let by_model = group_by(
        &carriers,
        OperatingModel::ALL,
        |c| c.model,
        OperatingModel::text,
        |k| href(format!("model={}", k.code())),
    );

    let monthly = monthly_area(&sweep, &history, district, on);
    let (quarters, quarterly) = quarterly_additions(&sweep, &history, district, &all_districts, on);
    let flows = flows(db, &history, district, on).await?;
    let mut occupancy = Vec::new();
    let mut days: Vec<NaiveDate> =
        dashboard::quarter_ends(on, 5).into_iter().filter(|d| *d < on).rev().take(4).collect::<Vec<_>>();
    days.reverse();
    days.push(on);
    for day in days {
        let (usable, leased) = if day == on {
            (carriers.iter().map(|c| c.totals.usable).sum(), carriers.iter().map(|c| c.totals.leased).sum())
        } else {
            let scope = Carriers::Registered(district, day);
            let areas = area_by_carrier(db, scope.of(carrier_area_day::Column::CarrierId), day).await?;
            let leased = leased_by_carrier(db, scope.of(carrier_leased_day::Column::CarrierId), day).await?;
            (areas.values().map(|a| a.total_usable()).sum(), leased.values().copied().sum())
        };
        occupancy.push(OccupancyPoint { on: day, usable, leased });
    }
    let portfolio = equity::city_portfolio(db, actor, on).await?;
    let year_ago_gross = scope_area(district).1;
    Ok(DashboardView {
        on,
        district,
        year_ago_gross,
        districts: all_districts.iter().map(|d| (DistrictId(d.id), d.name_zh.clone(), d.name_en.clone())).collect(),
        targets,
        totals: carriers.iter().map(|c| c.totals).sum(),
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
struct CarrierDayGross {
    carrier_id: i64,
    effective_on: NaiveDate,
    gross: i64,
}

/// Every carrier's gross area in service by change day, up to a day: one grouped query over the
/// roll-up, from which the totals of any scope on any earlier day are summed with the registry
/// as it stood that day.
struct AreaSweep {
    /// (carrier, day, change of gross area), by day.
    days: Vec<CarrierDayGross>,
}

impl AreaSweep {
    async fn load(db: &impl ConnectionTrait, on: NaiveDate) -> Result<AreaSweep> {
        let days = carrier_area_day::Entity::find()
            .select_only()
            .column(carrier_area_day::Column::CarrierId)
            .column(carrier_area_day::Column::EffectiveOn)
            .column_as(Expr::cust("CAST(COALESCE(SUM(delta_gross), 0) AS BIGINT)"), "gross")
            .filter(carrier_area_day::Column::Bucket.ne(area::OUT_OF_SERVICE))
            .filter(carrier_area_day::Column::EffectiveOn.lte(on))
            .group_by(carrier_area_day::Column::CarrierId)
            .group_by(carrier_area_day::Column::EffectiveOn)
            .order_by_asc(carrier_area_day::Column::EffectiveOn)
            .into_model::<CarrierDayGross>()
            .all(db)
            .await?;
        Ok(AreaSweep { days })
    }

    /// Gross area on each of `points` (ascending), per district the carrier was in that day,
    /// counting only carriers registered that day.
    fn totals(&self, history: &History, points: &[NaiveDate]) -> Vec<BTreeMap<i64, i64>> {
        let mut running: BTreeMap<i64, i64> = BTreeMap::new();
        let mut i = 0;
        let mut out = Vec::with_capacity(points.len());
        for point in points {
            while i < self.days.len() && self.days[i].effective_on <= *point {
                *running.entry(self.days[i].carrier_id).or_default() += self.days[i].gross;
                i += 1;
            }
            let mut by_district: BTreeMap<i64, i64> = BTreeMap::new();
            for (carrier, gross) in &running {
                if let Some(state) = history.on(*carrier, *point).filter(|s| !s.archived) {
                    *by_district.entry(state.district).or_default() += gross;
                }
            }
            out.push(by_district);
        }
        out
    }
}

impl AreaSweep {
    /// How a closed target ended: its scope's gross area on the deadline, and the first day from
    /// the base date to the deadline on which the area stood at the target or above. One walk
    /// through the ledger's change days and the registry's up to the deadline, keeping the
    /// scope's total as it goes (a carrier's area counts while the registry has it in the scope):
    /// linear in the changes, whatever the number of carriers or days.
    fn outcome(&self, history: &History, district: Option<DistrictId>, target: &Target) -> Outcome {
        let (from, to, goal) = (target.base_date, target.deadline, target.area.hundredths());
        let mut registry: Vec<(NaiveDate, i64)> =
            history.changes().filter(|(_, day)| *day <= to).map(|(carrier, day)| (day, carrier)).collect();
        registry.sort_unstable();
        let ledger = &self.days[..self.days.partition_point(|d| d.effective_on <= to)];
        let (mut gross, mut counted): (BTreeMap<i64, i64>, BTreeSet<i64>) = Default::default();
        let (mut total, mut reached_on, mut r, mut l) = (0i64, None, 0, 0);
        let next_day = |r: usize, l: usize| {
            let registry = registry.get(r).map(|(day, _)| *day);
            let ledger = ledger.get(l).map(|c| c.effective_on);
            registry.into_iter().chain(ledger).min()
        };
        while let Some(day) = next_day(r, l) {
            // Who is in the scope from this day (the registry first) …
            while let Some((_, carrier)) = registry.get(r).filter(|(d, _)| *d == day) {
                let now_in = history.counts(*carrier, day, district);
                if now_in != counted.contains(carrier) {
                    let area = gross.get(carrier).copied().unwrap_or_default();
                    total += if now_in { area } else { -area };
                    if now_in {
                        counted.insert(*carrier)
                    } else {
                        counted.remove(carrier)
                    };
                }
                r += 1;
            }
            // … then the area that changed that day.
            while let Some(change) = ledger.get(l).filter(|c| c.effective_on == day) {
                *gross.entry(change.carrier_id).or_default() += change.gross;
                if counted.contains(&change.carrier_id) {
                    total += change.gross;
                }
                l += 1;
            }
            // The total now holds until the next change: reached within the target's days?
            if reached_on.is_none() && total >= goal && next_day(r, l).is_none_or(|next| next > from) {
                reached_on = Some(day.max(from));
            }
        }
        Outcome { final_area: Area::from_hundredths(total), reached_on }
    }
}

/// The gross area of `district` (or the city) in one of [`AreaSweep::totals`]'s maps.
fn scope_total(by_district: &BTreeMap<i64, i64>, district: Option<DistrictId>) -> i64 {
    match district {
        Some(d) => by_district.get(&d.0).copied().unwrap_or_default(),
        None => by_district.values().sum(),
    }
}

/// Gross area at each of the last month ends, the last point being `on` itself, each with the
/// registry as it stood that day.
fn monthly_area(
    sweep: &AreaSweep,
    history: &History,
    district: Option<DistrictId>,
    on: NaiveDate,
) -> Vec<(NaiveDate, Area)> {
    let points = area::month_ends(on, TREND_MONTHS);
    let totals = sweep.totals(history, &points);
    points.into_iter().zip(totals).map(|(p, t)| (p, Area::from_hundredths(scope_total(&t, district)))).collect()
}

type QuarterTable = (Vec<NaiveDate>, Vec<(domain::Text, Vec<Area>)>);

/// Net additions of gross area per quarter and district over the last quarters (the current
/// one up to `on`), with a city row when no district is chosen: the change of each district's
/// total over the quarter, so that a carrier archived or moved in a quarter shows there, and the
/// additions add up to the change of the total.
fn quarterly_additions(
    sweep: &AreaSweep,
    history: &History,
    district: Option<DistrictId>,
    districts: &[district::Model],
    on: NaiveDate,
) -> QuarterTable {
    let ends = dashboard::quarter_ends(on, TREND_QUARTERS);
    let first = ends.first().map_or(on, |end| dashboard::quarter_start(*end));
    let mut points = vec![first.pred_opt().unwrap_or(first)];
    points.extend(ends.iter().map(|end| (*end).min(on)));
    let totals = sweep.totals(history, &points);
    let additions = |scope: Option<DistrictId>| -> Vec<Area> {
        totals
            .windows(2)
            .map(|pair| Area::from_hundredths(scope_total(&pair[1], scope) - scope_total(&pair[0], scope)))
            .collect()
    };
    let mut table = Vec::new();
    for d in districts.iter().filter(|d| district.is_none_or(|f| f.0 == d.id)) {
        table.push((domain::Text::Names(d.name_zh.clone(), d.name_en.clone()), additions(Some(DistrictId(d.id)))));
    }
    if district.is_none() {
        table.push((domain::Text::key("table-city"), additions(None)));
    }
    (ends, table)
}

/// Admissions, graduations by criterion and exits per quarter, over the last quarters: events
/// of carriers registered on the event's day, in the district they were in that day.
async fn flows(
    db: &impl ConnectionTrait,
    history: &History,
    district: Option<DistrictId>,
    on: NaiveDate,
) -> Result<Vec<Flow>> {
    let ends = dashboard::quarter_ends(on, TREND_QUARTERS);
    let first = ends.first().map_or(on, |end| dashboard::quarter_start(*end));
    let rows: Vec<(i64, String, Option<String>, NaiveDate)> = tenant_event::Entity::find()
        .select_only()
        .column(tenant_event::Column::CarrierId)
        .column(tenant_event::Column::Stage)
        .column(tenant_event::Column::Criterion)
        .column(tenant_event::Column::OnDate)
        .filter(tenant_event::Column::OnDate.gte(first))
        .filter(tenant_event::Column::OnDate.lte(on))
        .into_tuple()
        .all(db)
        .await?;
    let mut flows: Vec<Flow> = ends.iter().map(|e| Flow { period: *e, ..Flow::default() }).collect();
    for (carrier, stage, criterion, day) in rows {
        if !history.counts(carrier, day, district) {
            continue;
        }
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
