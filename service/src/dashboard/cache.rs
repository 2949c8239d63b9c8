//! The bureau's figures, computed once per state of the data they are computed from.
//!
//! The dashboard, the city portfolio, the readiness list, the Torch report, the city's occupancy,
//! the registry's counts and the space catalogue sum the whole city's history or registry; computing them on every request makes the bureau's pages grow with the city. The database keeps a number, the
//! figures' epoch, that moves with every committed change to a table those figures read (by
//! triggers, `migrations::figure_tables`), whichever process, code path or hand-made `UPDATE`
//! made it. A figure cached under an epoch is served while the epoch stands; the first request
//! after a change computes it again. One small query a request instead of the city's history.
//!
//! The epoch is read before the figures: a figure cached under it holds at least every change
//! the epoch counts (a change committed meanwhile moves the epoch, so the next request computes
//! again). The cache belongs to one process and one database (`ServerContext`).

use crate::area::AreaScope;
use crate::entity::figures_epoch;
use crate::policy::{self, Actor};
use crate::{Result, ServiceError};
use chrono::NaiveDate;
use domain::DistrictId;
use domain::carrier::RegistrySummary;
use domain::catalogue::{Catalogue, CatalogueQuery};
use domain::dashboard::DashboardView;
use domain::equity::ledger::CityPortfolio;
use domain::readiness::ReadinessView;
use domain::tenancy::lease::Occupancy;
use sea_orm::sea_query::Expr;
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

/// How many figures of different days or scopes one cache holds; a busy bureau looks at today's
/// city and a few districts and days.
const CAPACITY: usize = 64;

/// The figures' epoch now.
pub async fn epoch(db: &impl ConnectionTrait) -> Result<i64> {
    figures_epoch::Entity::find()
        .select_only()
        .column_as(Expr::cust("CAST(COALESCE(SUM(epoch), 0) AS BIGINT)"), "epoch")
        .into_tuple::<i64>()
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::Corrupt("no figures epoch".to_owned()))
}

/// Values by key, valid for one epoch.
struct Slots<K, V> {
    epoch: i64,
    values: BTreeMap<K, V>,
}

/// One kind of figure, cached by key under the epoch it was computed in.
struct Cache<K, V> {
    slots: Mutex<Slots<K, V>>,
    /// Held while a missing figure is computed: one computation of a kind at a time, so that
    /// requests missing together (after a change, or for many days) wait for each other instead
    /// of each holding the city's history in memory.
    computing: tokio::sync::Mutex<()>,
}

impl<K: Ord, V: Clone> Cache<K, V> {
    fn new() -> Self {
        Cache {
            slots: Mutex::new(Slots { epoch: i64::MIN, values: BTreeMap::new() }),
            computing: tokio::sync::Mutex::new(()),
        }
    }

    /// The figure of `key` under the epoch now: cached, or computed by `compute` (which must
    /// read the data only when awaited, after the epoch is read).
    async fn fetch(
        &self,
        db: &impl ConnectionTrait,
        key: K,
        compute: impl std::future::Future<Output = Result<V>>,
    ) -> Result<V> {
        if let Some(value) = self.get(epoch(db).await?, &key) {
            return Ok(value);
        }
        let _turn = self.computing.lock().await;
        // Another request may have computed it meanwhile, or the data moved on: read again.
        let now = epoch(db).await?;
        if let Some(value) = self.get(now, &key) {
            return Ok(value);
        }
        let value = compute.await?;
        self.put(now, key, value.clone());
        Ok(value)
    }

    fn get(&self, epoch: i64, key: &K) -> Option<V> {
        let slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        (slots.epoch == epoch).then(|| slots.values.get(key).cloned()).flatten()
    }

    /// Keeps `value` computed after reading `epoch`, unless a newer epoch was seen meanwhile.
    fn put(&self, epoch: i64, key: K, value: V) {
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        if epoch < slots.epoch {
            return;
        }
        if epoch > slots.epoch {
            slots.epoch = epoch;
            slots.values.clear();
        }
        if slots.values.len() >= CAPACITY {
            slots.values.pop_first();
        }
        slots.values.insert(key, value);
    }
}

/// The cached figures of one database, shared by the requests of a process.
#[derive(Clone)]
pub struct FiguresCache(Arc<Figures>);

struct Figures {
    dashboards: Cache<(NaiveDate, Option<DistrictId>), DashboardView>,
    portfolios: Cache<NaiveDate, CityPortfolio>,
    /// The city's readiness list by rule set, district, day and page.
    readiness: Cache<(i64, Option<DistrictId>, NaiveDate, u32), ReadinessView>,
    /// The city's Torch report by year and the day it was made (the current year's figures are
    /// today's).
    torch: Cache<(i32, NaiveDate), Vec<Vec<String>>>,
    /// Occupancy of the city (`None`) or a district, by day.
    occupancy: Cache<(Option<DistrictId>, NaiveDate), Occupancy>,
    /// The space catalogue's vacancies (every page's city-wide part), by filters and day, public
    /// or for signed-in readers; the pages are cut from them per request.
    vacancies: Cache<VacancyKey, Arc<crate::catalogue::Vacancies>>,
    /// The registry's counts by kind, level, model and district (the bureau's home).
    summary: Cache<(), RegistrySummary>,
}

/// The catalogue's vacancies' key: public only, district, industry, kind, least vacant area, day.
type VacancyKey = (bool, Option<i64>, Option<&'static str>, Option<&'static str>, Option<i64>, NaiveDate);

impl Default for FiguresCache {
    fn default() -> Self {
        FiguresCache(Arc::new(Figures {
            dashboards: Cache::new(),
            portfolios: Cache::new(),
            readiness: Cache::new(),
            torch: Cache::new(),
            occupancy: Cache::new(),
            vacancies: Cache::new(),
            summary: Cache::new(),
        }))
    }
}

impl std::fmt::Debug for FiguresCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FiguresCache")
    }
}

impl FiguresCache {
    /// [`super::dashboard`], from the cache while the data stands. Authorized on every call.
    pub async fn dashboard(
        &self,
        db: &impl ConnectionTrait,
        actor: &Actor,
        on: NaiveDate,
        district: Option<DistrictId>,
    ) -> Result<DashboardView> {
        policy::read_city(actor)?;
        self.0.dashboards.fetch(db, (on, district), super::dashboard(db, actor, on, district)).await
    }

    /// [`crate::readiness::readiness`]: the city's list from the cache while the data stands; an
    /// operator's own carriers computed each time. Authorized on every call.
    pub async fn readiness(
        &self,
        db: &impl ConnectionTrait,
        actor: &Actor,
        set: i64,
        district: Option<DistrictId>,
        on: NaiveDate,
        page: u32,
    ) -> Result<ReadinessView> {
        if !matches!(policy::carrier_scope(actor)?, policy::CarrierScope::All) {
            return crate::readiness::readiness(db, actor, set, district, on, page).await;
        }
        let key = (set, district, on, page.max(1));
        self.0.readiness.fetch(db, key, crate::readiness::readiness(db, actor, set, district, on, page)).await
    }

    /// [`crate::readiness::torch_report`] of every registered carrier (`carrier: None`) from the
    /// cache while the data stands; one carrier's computed each time. Authorized on every call.
    pub async fn torch_report(
        &self,
        db: &impl ConnectionTrait,
        actor: &Actor,
        carrier: Option<domain::CarrierId>,
        year: i32,
    ) -> Result<Vec<Vec<String>>> {
        if carrier.is_some() {
            return crate::readiness::torch_report(db, actor, carrier, year).await;
        }
        policy::manage_registry(actor)?;
        let key = (year, crate::today());
        self.0.torch.fetch(db, key, crate::readiness::torch_report(db, actor, None, year)).await
    }

    /// [`crate::tenancy::leases::occupancy_for`]: the city's and a district's from the cache while
    /// the data stands (every running lease of the city, summed), a carrier's or a floor's
    /// computed each time. Authorized on every call.
    pub async fn occupancy(
        &self,
        db: &impl ConnectionTrait,
        actor: &Actor,
        scope: AreaScope,
        on: NaiveDate,
    ) -> Result<Occupancy> {
        let district = match scope {
            AreaScope::City => None,
            AreaScope::District(d) => Some(d),
            _ => return crate::tenancy::leases::occupancy_for(db, actor, scope, on).await,
        };
        policy::read_city(actor)?;
        self.0.occupancy.fetch(db, (district, on), crate::tenancy::leases::occupancy(db, scope, on)).await
    }

    /// [`crate::carriers::summary`]: the whole registry's from the cache while the data stands
    /// (it counts every carrier of the city), an operator's own carriers counted each time.
    /// Authorized on every call.
    pub async fn registry_summary(&self, db: &impl ConnectionTrait, actor: &Actor) -> Result<RegistrySummary> {
        if !matches!(policy::carrier_scope(actor)?, policy::CarrierScope::All) {
            return crate::carriers::summary(db, actor).await;
        }
        self.0.summary.fetch(db, (), crate::carriers::summary(db, actor)).await
    }

    /// [`crate::equity::city_portfolio`], from the cache while the data stands. Authorized on
    /// every call.
    pub async fn city_portfolio(
        &self,
        db: &impl ConnectionTrait,
        actor: &Actor,
        on: NaiveDate,
    ) -> Result<CityPortfolio> {
        policy::read_city(actor)?;
        self.0.portfolios.fetch(db, on, crate::equity::city_portfolio(db, actor, on)).await
    }

    /// [`crate::catalogue::search`]: the vacancies of the whole city from the cache while the
    /// data stands (every page sums them to order the carriers), the page cut from them and its
    /// entries read each time. Anyone may read it; what a reader sees depends only on whether they
    /// have signed in.
    pub async fn catalogue(
        &self,
        db: &impl ConnectionTrait,
        actor: Option<&Actor>,
        query: &CatalogueQuery,
    ) -> Result<Catalogue> {
        let public_only = actor.is_none();
        let key = (
            public_only,
            query.district.map(|d| d.0),
            query.industry.map(|i| i.code()),
            query.kind.map(|k| k.code()),
            query.min_area.map(|a| a.hundredths()),
            crate::today(),
        );
        let compute = async { crate::catalogue::vacancies(db, public_only, query).await.map(Arc::new) };
        let vacancies = self.0.vacancies.fetch(db, key, compute).await?;
        crate::catalogue::page(db, public_only, query, &vacancies).await
    }
}
