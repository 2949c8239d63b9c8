//! The bureau's figures kept between requests: the figures' epoch moves with every committed
//! change to a table they read, and with nothing else; a cached dashboard or portfolio is the
//! one computed from scratch after every kind of write.

use crate::dashboard::{carrier_with_floor, change, m2, today, unit};
use crate::support::{bureau, db_with_districts, operator, operators};
use crate::tenancy::{carrier_with_units, day, startup, terms, under_review};
use chrono::Datelike;
use domain::space::ChangeAction;
use domain::tenancy::startup::{GraduationCriterion, StageEvent, TenantStage};
use sea_orm::{ConnectionTrait, TransactionTrait};
use service::dashboard::{self, FiguresCache};
use service::spaces::AreaScope;
use service::tenancy::{applications, tenants};
use service::testing::TestDb;
use service::{carriers, equity, readiness, spaces};

async fn epoch(db: &TestDb) -> i64 {
    dashboard::epoch(&db.conn).await.unwrap()
}

/// The cache answers what a computation from scratch answers, today and on a past day, for the
/// city and a district.
async fn cache_agrees(db: &TestDb, cache: &FiguresCache, district: domain::DistrictId, what: &str) {
    for on in [today(), day(2025, 6, 30)] {
        for scope in [None, Some(district)] {
            let cached = cache.dashboard(&db.conn, &bureau(), on, scope).await.unwrap();
            let fresh = dashboard::dashboard(&db.conn, &bureau(), on, scope).await.unwrap();
            assert_eq!(cached, fresh, "after {what}, on {on}, {scope:?}");
        }
        for scope in [AreaScope::City, AreaScope::District(district)] {
            let cached = cache.occupancy(&db.conn, &bureau(), scope, on).await.unwrap();
            let fresh = service::tenancy::leases::occupancy(&db.conn, scope, on).await.unwrap();
            assert_eq!(cached, fresh, "after {what}, on {on}, {scope:?}");
        }
        let cached = cache.city_portfolio(&db.conn, &bureau(), on).await.unwrap();
        assert_eq!(cached, equity::city_portfolio(&db.conn, &bureau(), on).await.unwrap(), "after {what}, on {on}");
        for set in readiness::rule_sets(&db.conn, &bureau()).await.unwrap() {
            let cached = cache.readiness(&db.conn, &bureau(), set.id, None, on, 1).await.unwrap();
            let fresh = readiness::readiness(&db.conn, &bureau(), set.id, None, on, 1).await.unwrap();
            assert_eq!(cached, fresh, "after {what}, on {on}, {}", set.code);
        }
    }
    // The space catalogue, as a visitor and as a signed-in startup sees it, whole and filtered.
    let signed_in = crate::support::operators();
    for (actor, query) in [
        (None, domain::catalogue::CatalogueQuery { page: 1, ..Default::default() }),
        (Some(&signed_in), domain::catalogue::CatalogueQuery { page: 1, ..Default::default() }),
        (Some(&signed_in), domain::catalogue::CatalogueQuery { page: 2, ..Default::default() }),
        (
            Some(&signed_in),
            domain::catalogue::CatalogueQuery { district: Some(district), page: 1, ..Default::default() },
        ),
    ] {
        let cached = cache.catalogue(&db.conn, actor, &query).await.unwrap();
        let fresh = service::catalogue::search(&db.conn, actor, &query).await.unwrap();
        assert_eq!(cached, fresh, "the catalogue after {what}, {query:?}");
    }
    let cached = cache.registry_summary(&db.conn, &bureau()).await.unwrap();
    assert_eq!(cached, service::carriers::summary(&db.conn, &bureau()).await.unwrap(), "the registry after {what}");
    for year in [2025, today().year()] {
        let cached = cache.torch_report(&db.conn, &bureau(), None, year).await.unwrap();
        assert_eq!(cached, readiness::torch_report(&db.conn, &bureau(), None, year).await.unwrap(), "after {what}");
    }
}

#[tokio::test]
async fn every_change_to_a_table_the_figures_read_moves_the_epoch_and_nothing_else_does() {
    let db = TestDb::new().await;
    service::seed::demo(&db.conn).await.unwrap();
    // The demonstration city files no yearly figures of its startups: one, by hand, moves the
    // epoch too.
    let before = epoch(&db).await;
    db.conn
        .execute_unprepared(
            "INSERT INTO startup_years (startup_id, year, revenue_fen, rd_spend_fen, financing_fen) \
             SELECT MIN(id), 2025, 100, 10, 0 FROM startups",
        )
        .await
        .unwrap();
    assert!(epoch(&db).await > before, "an insert moves the epoch");
    for table in migrations::figure_tables() {
        let before = epoch(&db).await;
        // A change that changes nothing still counts: the epoch cannot tell, and need not. The
        // daily roll-ups and the yearly figures are keyed by carrier or startup and day or year.
        let key = match table {
            "startup_years" => "startup_id",
            t if t.ends_with("_days") || t == "annual_returns" || t == "carrier_industries" => "carrier_id",
            _ => "id",
        };
        let touched = db
            .conn
            .execute_unprepared(&format!(
                "UPDATE {table} SET {key} = {key} WHERE {key} = (SELECT MIN({key}) FROM {table})"
            ))
            .await
            .unwrap();
        assert!(touched.rows_affected() >= 1, "the demo city has a row in {table}");
        assert!(epoch(&db).await > before, "a change to {table} moves the epoch");
    }
    // Several changes in one transaction, committed: the epoch moves; rolled back: it does not.
    let before = epoch(&db).await;
    let txn = db.conn.begin().await.unwrap();
    txn.execute_unprepared("UPDATE carriers SET id = id").await.unwrap();
    txn.execute_unprepared("UPDATE tenant_events SET id = id").await.unwrap();
    txn.rollback().await.unwrap();
    assert_eq!(epoch(&db).await, before, "a rolled-back change leaves the figures valid");
    let txn = db.conn.begin().await.unwrap();
    txn.execute_unprepared("UPDATE carriers SET id = id").await.unwrap();
    txn.execute_unprepared("UPDATE tenant_events SET id = id").await.unwrap();
    txn.commit().await.unwrap();
    assert!(epoch(&db).await > before);
    // Signing in, sessions and the audit trail are not figures: a busy day of reading leaves the
    // cache whole.
    let before = epoch(&db).await;
    for table in ["users", "memberships", "audit_log", "login_attempts", "sessions"] {
        db.conn.execute_unprepared(&format!("UPDATE {table} SET id = id")).await.unwrap();
    }
    assert_eq!(epoch(&db).await, before);
}

#[tokio::test]
async fn a_cached_dashboard_and_portfolio_are_the_computed_ones_after_every_kind_of_write() {
    let (db, districts) = db_with_districts().await;
    let cache = FiguresCache::default();
    cache_agrees(&db, &cache, districts[0], "nothing").await;

    let (a, _, a_units) = carrier_with_units(&db, districts[0], "缓存甲孵化器", true).await;
    cache_agrees(&db, &cache, districts[0], "a new carrier with units").await;

    let (_, floor) = carrier_with_floor(&db, districts[1], "缓存乙众创空间", |f| f.kind = "maker_space".into()).await;
    let added = crate::dashboard::add(&db, floor, "B1", "500", "450", "tenant", day(2024, 3, 15)).await;
    cache_agrees(&db, &cache, districts[0], "a unit added back in 2024").await;

    spaces::change_unit(
        &db.conn,
        &operators(),
        added,
        &change(ChangeAction::Update, day(2025, 1, 1), Some(unit("B1", "650", "600", "tenant"))),
    )
    .await
    .unwrap();
    cache_agrees(&db, &cache, districts[0], "a unit resized").await;

    let tenant = startup(&db, "缓存租户").await;
    let application = under_review(&db, tenant, a).await;
    applications::admit(&db.conn, &operator(&[a]), application, &terms(&a_units[..1], day(2025, 1, 1), None, "5000"))
        .await
        .unwrap();
    cache_agrees(&db, &cache, districts[0], "an admission with a lease").await;
    let view = cache.dashboard(&db.conn, &bureau(), today(), None).await.unwrap();
    assert_eq!(view.totals.tenants, 1, "the admission is in the cached figures");

    let graduation = StageEvent {
        stage: TenantStage::Graduated,
        on: day(2025, 9, 1),
        criterion: Some(GraduationCriterion::HighTechEnterprise),
        note: "证书已核对".into(),
    };
    tenants::record_stage(&db.conn, &operator(&[a]), a, tenant, &graduation).await.unwrap();
    cache_agrees(&db, &cache, districts[0], "a graduation").await;

    let before = cache.dashboard(&db.conn, &bureau(), today(), None).await.unwrap();
    carriers::set_archived(&db.conn, &bureau(), a, true).await.unwrap();
    cache_agrees(&db, &cache, districts[0], "a carrier archived").await;
    let after = cache.dashboard(&db.conn, &bureau(), today(), None).await.unwrap();
    assert_eq!(after.totals.carriers + 1, before.totals.carriers);
    assert_eq!(after.totals.gross, before.totals.gross - m2(3 * 110), "the archived carrier's units are gone");

    // The cache authorizes on every call, hit or miss.
    let refused = cache.dashboard(&db.conn, &operator(&[a]), today(), None).await;
    assert!(matches!(refused, Err(service::ServiceError::Forbidden)), "{refused:?}");
    let refused = cache.city_portfolio(&db.conn, &operator(&[a]), today()).await;
    assert!(matches!(refused, Err(service::ServiceError::Forbidden)), "{refused:?}");
    let refused = cache.occupancy(&db.conn, &operator(&[a]), AreaScope::City, today()).await;
    assert!(matches!(refused, Err(service::ServiceError::Forbidden)), "{refused:?}");
    let refused = cache.torch_report(&db.conn, &operator(&[a]), None, 2025).await;
    assert!(matches!(refused, Err(service::ServiceError::Forbidden)), "{refused:?}");
    // An operator's readiness list is its own carriers', never the city's from the cache.
    let set = readiness::rule_sets(&db.conn, &bureau()).await.unwrap()[0].id;
    let own = cache.readiness(&db.conn, &operator(&[a]), set, None, today(), 1).await.unwrap();
    assert!(own.rows.iter().all(|r| r.carrier == a), "{:?}", own.rows);
}

#[tokio::test]
async fn a_process_sees_at_once_a_change_another_process_made() {
    let db = TestDb::shared().await;
    service::seed::districts(&db.conn).await.unwrap();
    let districts: Vec<_> = service::districts::list(&db.conn).await.unwrap().into_iter().map(|d| d.id).collect();
    // Two processes: each its own pool and its own cache, one database.
    let other = service::db::connect(db.url()).await.unwrap();
    let (here, there) = (FiguresCache::default(), FiguresCache::default());
    let (a, _, _) = carrier_with_units(&db, districts[0], "两进程甲孵化器", false).await;
    let before = here.dashboard(&db.conn, &bureau(), today(), None).await.unwrap();
    assert_eq!(there.dashboard(&other, &bureau(), today(), None).await.unwrap(), before);
    // The other process archives the carrier: this one's next answer has it gone.
    carriers::set_archived(&other, &bureau(), a, true).await.unwrap();
    let after = here.dashboard(&db.conn, &bureau(), today(), None).await.unwrap();
    assert_eq!(after.totals.carriers + 1, before.totals.carriers);
    assert_eq!(after, there.dashboard(&other, &bureau(), today(), None).await.unwrap());
}
