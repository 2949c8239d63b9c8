//! The demonstration city: Linyi's programme from 2017 to today, built through the product's own
//! write paths, and checked by the same reconciliations as real data and against the generator's
//! own account of what happened.

use crate::support::{bureau, operator, today};
use chrono::{Datelike, NaiveDate};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use service::entity::{application, carrier, equity_event, lease_event, startup};
use service::testing::TestDb;
use service::{carriers, dashboard};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[tokio::test]
async fn the_demo_city_tells_linyis_story_and_reconciles_like_real_data() {
    let db = TestDb::new().await;
    assert!(service::seed::is_empty(&db.conn).await.unwrap());
    let started = std::time::Instant::now();
    let seeded = service::seed::demo(&db.conn).await.unwrap();
    eprintln!(
        "demo city: {} units, {} startups, {} tenancies, seeded in {:.1?}",
        seeded.units,
        seeded.startups,
        seeded.tenancies.len(),
        started.elapsed()
    );
    assert_eq!(seeded.districts, 0, "the city's districts come with every install, not with the demo");
    assert!(seeded.carriers >= 36, "a few dozen carriers, got {}", seeded.carriers);
    assert_eq!(seeded.accounts, 4);

    // Linyi's districts, each with a carrier.
    let districts = service::districts::list(&db.conn).await.unwrap();
    let names: Vec<_> = districts.iter().map(|d| d.name_zh.as_str()).collect();
    for expected in ["兰山区", "罗庄区", "河东区", "沂水县", "临沂高新区", "临沂经开区", "临沂临港区"]
    {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }
    let summary = carriers::summary(&db.conn, &bureau()).await.unwrap();
    assert_eq!(summary.total, u64::try_from(seeded.carriers).unwrap() - 1, "one demo carrier is archived");
    assert!(summary.by_district.iter().all(|(_, n)| *n > 0), "every district has a carrier");

    // Hundreds of startups over the years, most admitted, the rest turned down or withdrawn.
    let story = &seeded.tenancies;
    assert!(seeded.startups >= 300 && story.len() >= 300, "{} startups, {} tenancies", seeded.startups, story.len());
    assert_eq!(startup::Entity::find().count(&db.conn).await.unwrap(), u64::try_from(seeded.startups).unwrap() + 1);
    let first_year = story.iter().map(|t| t.starts_on.year()).min().unwrap();
    assert_eq!(first_year, 2017, "the history starts with the programme");
    for state in ["rejected", "withdrawn", "submitted", "under_review"] {
        let n = application::Entity::find().filter(application::Column::State.eq(state)).count(&db.conn).await.unwrap();
        assert!(n > 0, "no application is {state}");
    }
    let renewed = lease_event::Entity::find().filter(lease_event::Column::Kind.eq("renewed")).count(&db.conn);
    assert!(renewed.await.unwrap() > 20, "leases are renewed");
    let free = service::entity::lease::Entity::find()
        .filter(service::entity::lease::Column::RentFreeMonths.gt(0))
        .count(&db.conn)
        .await
        .unwrap();
    assert!(free > 20, "leases with rent-free months");
    for (kind, stage) in [("capital_increase", "angel"), ("capital_increase", "a"), ("capital_increase", "conversion")]
    {
        let n = equity_event::Entity::find()
            .filter(equity_event::Column::Kind.eq(kind))
            .filter(equity_event::Column::Stage.eq(stage))
            .count(&db.conn)
            .await
            .unwrap();
        assert!(n > 3, "{stage} rounds: {n}");
    }

    // The records are dated by the history, not by the day it was loaded, and nothing is dated
    // in the future.
    let applications = application::Entity::find().all(&db.conn).await.unwrap();
    let early = applications.iter().filter(|a| a.submitted_at.is_some_and(|t| t.year() <= 2019)).count();
    assert!(early > 50, "{early} applications submitted by 2019");
    let now = chrono::Utc::now();
    assert!(applications.iter().all(|a| a.submitted_at.is_none_or(|t| t <= now) && a.created_at <= now));
    let stages = service::entity::tenant_event::Entity::find().all(&db.conn).await.unwrap();
    // (A lease signed for next month makes its tenant incubating from next month: that one may.)
    let future: Vec<_> = stages.iter().filter(|e| e.on_date > today() && e.stage != "incubating").collect();
    assert!(future.is_empty(), "{future:?}");
    let events = equity_event::Entity::find().all(&db.conn).await.unwrap();
    assert!(events.iter().all(|e| e.on_date <= today()), "an equity event dated after today");

    // The same reconciliations as real data, across the years; and the headline figures are the
    // generator's own account, counted by hand from it.
    let registered: Vec<domain::CarrierId> = carrier::Entity::find()
        .filter(carrier::Column::Archived.eq(false))
        .all(&db.conn)
        .await
        .unwrap()
        .into_iter()
        .map(|c| domain::CarrierId(c.id))
        .collect();
    let days = [day(2017, 12, 31), day(2019, 6, 30), day(2021, 12, 31), day(2023, 12, 31), day(2025, 6, 30), today()];
    let mut gross = Vec::new();
    for on in days {
        crate::spaces::rolls_up(&db, on).await;
        let view = crate::dashboard::reconciles(&db, &registered, on).await;
        let tenants = story.iter().filter(|t| t.incubating_on(on)).count() as u64;
        // The demonstration startup, admitted today, is the one tenant the history did not plan.
        let extra = u64::from(on == today());
        if view.totals.tenants != tenants + extra {
            for row in &service::dashboard::carrier_figures(&db.conn, &bureau(), on, None).await.unwrap() {
                let name = carrier::Entity::find_by_id(row.id.0).one(&db.conn).await.unwrap().unwrap().name;
                let planned: Vec<_> = story.iter().filter(|t| t.carrier == name && t.incubating_on(on)).collect();
                if planned.len() as u64 != row.totals.tenants {
                    eprintln!("{name}: dashboard {} plan {}", row.totals.tenants, planned.len());
                    let listed = service::tenancy::tenants::list(&db.conn, &bureau(), row.id, on).await.unwrap();
                    for t in &planned {
                        let l = listed.iter().find(|l| l.name == t.startup);
                        eprintln!("  {t:?} -> {:?}", l.map(|l| (l.stage, &l.events)));
                    }
                }
            }
        }
        assert_eq!(view.totals.tenants, tenants + extra, "tenants in incubation on {on}");
        let graduates = story.iter().filter(|t| t.graduated_on.is_some_and(|g| g <= on)).count() as u64;
        assert_eq!(view.totals.graduates, graduates, "graduates up to {on}");
        gross.push(view.totals.gross);
    }
    assert!(gross.windows(2).all(|w| w[0] < w[1]), "the area grows year after year: {gross:?}");
    let view = dashboard::dashboard(&db.conn, &bureau(), today(), None).await.unwrap();
    let occupancy = view.totals.leased.hundredths() * 100 / view.totals.usable.hundredths();
    assert!((55..=95).contains(&occupancy), "occupancy {occupancy} %");
    // Quarter by quarter, admissions and graduations are the history's.
    for flow in &view.flows {
        // Up to the day of the view: a lease signed for next week is not an admission yet.
        let quarter = |d: NaiveDate| {
            d <= view.on && d.year() == flow.period.year() && (d.month() - 1) / 3 == (flow.period.month() - 1) / 3
        };
        let admitted = story.iter().filter(|t| quarter(t.starts_on)).count() as u64;
        let extra = u64::from(quarter(today()));
        assert_eq!(flow.admitted, admitted + extra, "admitted in the quarter ending {}", flow.period);
        let graduated = story.iter().filter(|t| t.graduated_on.is_some_and(quarter)).count() as u64;
        assert_eq!(flow.graduated.iter().sum::<u64>(), graduated, "graduated in the quarter ending {}", flow.period);
    }
    // The carriers hold stakes and followed on.
    assert!(view.portfolio.city.holdings > 20, "{} holdings", view.portfolio.city.holdings);
    assert!(view.portfolio.city.follow_on > domain::Money::ZERO);

    // Readiness: some carriers pass every criterion of a rule set, some fail some.
    let sets = service::readiness::rule_sets(&db.conn, &bureau()).await.unwrap();
    let mut passing = 0;
    let mut failing = 0;
    for set in &sets {
        let view = service::readiness::readiness(&db.conn, &bureau(), set.id, None, today(), 1).await.unwrap();
        // What the records can measure; the review on site is the bureau's, never known here.
        passing += view.rows.iter().filter(|r| r.fail == 0).count();
        failing += view.rows.iter().filter(|r| r.fail > 0).count();
    }
    // The demonstration operator's national incubator meets every criterion the records measure.
    let big = registered_named(&db, "临沂高新区科技创业园").await;
    let lists = service::readiness::checklists(&db.conn, &bureau(), big, today()).await.unwrap();
    let national = lists.iter().find(|l| l.rule_set.code == "national_incubator_2018").unwrap();
    let failed: Vec<_> = national
        .checks
        .iter()
        .filter(|c| c.outcome == domain::readiness::Outcome::Fail)
        .map(|c| c.criterion.metric)
        .collect();
    assert!(failed.is_empty(), "fails {failed:?}");
    assert!(passing > 0 && failing > 0, "{passing} carriers pass a rule set, {failing} fail one");

    // The demo operator's to-do list has work in it.
    let operator_id = service::accounts::sign_in(&db.conn, "operator@demo.fuhua.cn", service::seed::DEMO_PASSWORD, "x")
        .await
        .unwrap();
    let actor = service::accounts::load_actor(&db.conn, operator_id, chrono::Utc::now()).await.unwrap().unwrap();
    assert_eq!(actor.carriers.len(), 2, "the demo operator runs two carriers");
    let home = service::home::operator_home(&db.conn, &actor).await.unwrap();
    let work = home.carriers.iter().find(|c| c.name == "临沂高新区科技创业园").unwrap();
    assert!(work.units_vacant > 0 && work.units_vacant < work.units, "{} of {} vacant", work.units_vacant, work.units);
    // Applications wait days, not years; leases start and end soon; some tenants near their limit.
    assert!(!work.waiting.is_empty() && work.waiting.iter().all(|w| w.days <= 21), "{:?}", work.waiting);
    assert!(!work.ending.is_empty() && !work.near_limit.is_empty());

    // The demo startup is a tenant of the operator's carrier, which holds 10 % of it.
    let startup_id =
        service::accounts::sign_in(&db.conn, "startup@demo.fuhua.cn", service::seed::DEMO_PASSWORD, "x").await.unwrap();
    let member = service::accounts::load_actor(&db.conn, startup_id, chrono::Utc::now()).await.unwrap().unwrap();
    assert_eq!(member.startups.len(), 1);
    let company = *member.startups.iter().next().unwrap();
    let table = service::equity::cap_table(&db.conn, &member, company, today()).await.unwrap();
    let holder = table.holders.iter().find(|h| h.name == "临沂高新区科技创业园").unwrap();
    assert_eq!(domain::equity::percent_text(holder.millionths), "10.0000%");
    assert_eq!(table.equity_leases.len(), 0, "the startup does not record; it sees no lease to convert");
    assert_eq!(service::tenancy::leases::of_startup(&db.conn, &member, company).await.unwrap().len(), 1);

    // The carrier holds a stake in each startup whose equity it records: at most what it took at
    // formation (5–10 %) plus rent converted and follow-ons, and never nothing.
    let mut with_equity: Vec<i64> = events.iter().map(|e| e.startup_id).collect();
    with_equity.sort_unstable();
    with_equity.dedup();
    assert!(with_equity.len() > 100, "{} cap tables", with_equity.len());
    for id in with_equity.iter().step_by(5) {
        let lease = service::entity::lease::Entity::find()
            .filter(service::entity::lease::Column::StartupId.eq(*id))
            .one(&db.conn)
            .await
            .unwrap()
            .unwrap();
        let name = carrier::Entity::find_by_id(lease.carrier_id).one(&db.conn).await.unwrap().unwrap().name;
        let reader = operator(&[domain::CarrierId(lease.carrier_id)]);
        let table = service::equity::cap_table(&db.conn, &reader, domain::StartupId(*id), today()).await.unwrap();
        let stake = table.holders.iter().find(|h| h.name == name).map_or(0, |h| h.millionths);
        assert!((1..200_000).contains(&stake), "{name} holds {stake} millionths of startup {id}");
    }

    // Seeding again adds nothing.
    let again = service::seed::demo(&db.conn).await.unwrap();
    assert_eq!(again, service::seed::Seeded::default());
}

async fn registered_named(db: &TestDb, name: &str) -> domain::CarrierId {
    let found = carrier::Entity::find().filter(carrier::Column::Name.eq(name)).one(&db.conn).await.unwrap().unwrap();
    domain::CarrierId(found.id)
}

#[tokio::test]
async fn a_load_is_on_disk_once_it_is_finished() {
    use sea_orm::ConnectionTrait;
    let dir = std::env::temp_dir().join(format!("fuhua-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = std::env::var("FUHUA_TEST_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}?mode=rwc", dir.join("load.db").display()));
    let table = format!("load_probe_{}", std::process::id());
    let loading = service::db::connect_for_loading(&url).await.unwrap();
    loading.execute_unprepared(&format!("CREATE TABLE {table} (n INTEGER NOT NULL)")).await.unwrap();
    for n in 0..50 {
        loading.execute_unprepared(&format!("INSERT INTO {table} (n) VALUES ({n})")).await.unwrap();
    }
    service::db::finish_loading(loading).await.unwrap();
    if url.starts_with("sqlite:") {
        // Everything is in the database file itself: the log is empty after the checkpoint.
        let wal = dir.join("load.db-wal");
        assert!(std::fs::metadata(&wal).map_or(0, |m| m.len()) == 0, "the log still holds pages");
    }
    let db = service::db::connect(&url).await.unwrap();
    let row = db.query_one_raw(sea_orm::Statement::from_string(
        db.get_database_backend(),
        format!("SELECT COUNT(*) AS n FROM {table}"),
    ));
    let count: i64 = row.await.unwrap().unwrap().try_get_by_index(0).unwrap();
    assert_eq!(count, 50);
    db.execute_unprepared(&format!("DROP TABLE {table}")).await.unwrap();
    db.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
