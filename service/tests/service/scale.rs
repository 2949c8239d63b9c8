//! The demonstration city grown into several: every copy is a city like the first, so the
//! figures of the whole are the first city's times the factor, each copy reconciles like real
//! data, and the accounts of a copy act on that copy only.

use crate::support::{bureau, today};
use sea_orm::{EntityTrait, PaginatorTrait, QueryOrder};
use service::entity::{carrier, lease, startup, unit};
use service::testing::TestDb;
use service::{dashboard, equity};

#[tokio::test]
async fn a_city_grown_three_times_is_three_cities_like_the_first() {
    let db = TestDb::new().await;
    service::seed::demo(&db.conn).await.unwrap();
    let one = dashboard::dashboard(&db.conn, &bureau(), today(), None).await.unwrap();
    let one_portfolio = equity::city_portfolio(&db.conn, &bureau(), today()).await.unwrap();
    let counts = async |db: &TestDb| {
        (
            carrier::Entity::find().count(&db.conn).await.unwrap(),
            unit::Entity::find().count(&db.conn).await.unwrap(),
            lease::Entity::find().count(&db.conn).await.unwrap(),
            startup::Entity::find().count(&db.conn).await.unwrap(),
        )
    };
    let before = counts(&db).await;

    let grown = service::seed::grow(&db.conn, 3).await.unwrap();
    assert_eq!(grown.factor, 3);
    let after = counts(&db).await;
    assert_eq!(after, (before.0 * 3, before.1 * 3, before.2 * 3, before.3 * 3));

    // The city's figures are three times the first city's, to the hundredth of a square metre
    // and the fen: the roll-ups were copied with the ledgers they sum.
    let three = dashboard::dashboard(&db.conn, &bureau(), today(), None).await.unwrap();
    let t = (one.totals, three.totals);
    assert_eq!(t.1.carriers, t.0.carriers * 3);
    assert_eq!(t.1.gross.hundredths(), t.0.gross.hundredths() * 3);
    assert_eq!(t.1.usable.hundredths(), t.0.usable.hundredths() * 3);
    assert_eq!(t.1.leased.hundredths(), t.0.leased.hundredths() * 3);
    assert_eq!((t.1.desks, t.1.tenants, t.1.graduates), (t.0.desks * 3, t.0.tenants * 3, t.0.graduates * 3));
    for (flow, first) in three.flows.iter().zip(&one.flows) {
        assert_eq!(flow.admitted, first.admitted * 3, "admissions in the quarter ending {}", flow.period);
    }
    let portfolio = equity::city_portfolio(&db.conn, &bureau(), today()).await.unwrap();
    assert_eq!(portfolio.carriers, one_portfolio.carriers * 3);
    assert_eq!(portfolio.city.holdings, one_portfolio.city.holdings * 3);
    assert_eq!(portfolio.city.follow_on.fen(), one_portfolio.city.follow_on.fen() * 3);

    // Each carrier of every copy reconciles like real data: its row on the dashboard is its own
    // area page and occupancy, and the totals are the sum of the rows.
    let registered: Vec<domain::CarrierId> = carrier::Entity::find()
        .all(&db.conn)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| !c.archived)
        .map(|c| domain::CarrierId(c.id))
        .collect();
    crate::dashboard::reconciles(&db, &registered, today()).await;

    // A copy's names and credit codes are its own, and pass the standard's check.
    let second = startup::Entity::find().order_by_asc(startup::Column::Id).all(&db.conn).await.unwrap();
    let originals = usize::try_from(before.3).unwrap();
    for (first, copy) in second[..originals].iter().zip(&second[originals..2 * originals]) {
        assert_eq!(copy.name, format!("{}·2", first.name));
        if let Some(code) = &copy.credit_code {
            assert!(domain::uscc::check(code).is_ok(), "{code}");
            assert_ne!(Some(code), first.credit_code.as_ref());
        }
    }

    // The second city's operator signs in and runs the second city's carriers only.
    let user = service::accounts::sign_in(&db.conn, "c2.operator@demo.fuhua.cn", service::seed::DEMO_PASSWORD, "x")
        .await
        .unwrap();
    let actor = service::accounts::load_actor(&db.conn, user, chrono::Utc::now()).await.unwrap().unwrap();
    let names: Vec<String> = carrier::Entity::find()
        .all(&db.conn)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| actor.operates(domain::CarrierId(c.id)))
        .map(|c| c.name)
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.iter().all(|n| n.ends_with("·2")), "{names:?}");

    // Once grown, a database is not grown again; and every table of the schema is either copied
    // or deliberately shared or left out.
    assert!(service::seed::grow(&db.conn, 2).await.is_err());
    for table in service::backup::tables() {
        assert!(
            service::seed::COPIED.contains(&table) || service::seed::NOT_COPIED.contains(&table),
            "{table} is neither copied nor left out"
        );
    }
}

#[tokio::test]
async fn a_city_wide_read_of_forty_thousand_cap_tables_is_one_answer_not_a_database_error() {
    // More ids than one statement may carry on SQLite (32,766): every startup a carrier holds,
    // read at once by the city portfolio and the dashboard.
    const HELD: i64 = 40_000;
    let (db, districts) = crate::support::db_with_districts().await;
    let (carrier, _, _) = crate::tenancy::carrier_with_units(&db, districts[0], "四万股东孵化器", true).await;
    crate::tenancy::startup(&db, "模板企业").await;
    let rows = |sql: String| {
        let conn = &db.conn;
        async move { sea_orm::ConnectionTrait::execute_unprepared(conn, &sql).await.unwrap().rows_affected() }
    };
    let inserted = rows(format!(
        "INSERT INTO startups (name, created_at, updated_at) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {HELD}) \
         SELECT '批量企业' || i, (SELECT MIN(created_at) FROM startups), (SELECT MIN(updated_at) FROM startups) FROM n"
    ))
    .await;
    assert_eq!(inserted, HELD as u64);
    let held = rows(format!(
        "INSERT INTO equity_holders (startup_id, kind, name, carrier_id, created_at) \
         SELECT id, 'carrier', '四万股东孵化器', {}, created_at FROM startups WHERE name LIKE '批量企业%'",
        carrier.0
    ))
    .await;
    assert_eq!(held, HELD as u64);
    // Holders without a recorded event hold nothing yet: the answers are empty, not errors.
    let portfolio = equity::city_portfolio(&db.conn, &bureau(), today()).await.unwrap();
    assert_eq!(portfolio.city.holdings, 0);
    dashboard::dashboard(&db.conn, &bureau(), today(), None).await.unwrap();
}

/// The bulk path of `--scale` leaves the invariants of the product's own write paths: every
/// unit's ledger is its history folded, every carrier's roll-ups the sum of its ledgers and
/// bookings, no unit booked twice. And the check sees a roll-up that is not.
#[tokio::test]
async fn a_grown_city_is_its_own_rebuild_and_the_check_finds_a_roll_up_that_is_not() {
    let db = TestDb::new().await;
    service::seed::demo(&db.conn).await.unwrap();
    service::seed::grow(&db.conn, 2).await.unwrap();
    let check = service::spaces::check(&db.conn).await.unwrap();
    assert!(check.is_exact(), "{:?}", check.differences);
    assert_eq!(check.double_bookings, 0);
    assert_eq!(check.units as u64, unit::Entity::find().count(&db.conn).await.unwrap());
    assert_eq!(check.carriers as u64, carrier::Entity::find().count(&db.conn).await.unwrap());

    // A fen of leased area that no booking accounts for, and a day of area dropped from a
    // carrier's roll-up: both are found, each named with its carrier.
    let leased = service::entity::carrier_leased_day::Entity::find().one(&db.conn).await.unwrap().unwrap();
    let day = service::entity::carrier_area_day::Entity::find()
        .order_by_desc(service::entity::carrier_area_day::Column::CarrierId)
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    let run = |sql: String| {
        let conn = &db.conn;
        async move { sea_orm::ConnectionTrait::execute_unprepared(conn, &sql).await.unwrap().rows_affected() }
    };
    let changed = run(format!(
        "UPDATE carrier_leased_days SET delta_usable = delta_usable + 1 WHERE carrier_id = {} AND effective_on = '{}'",
        leased.carrier_id, leased.effective_on
    ))
    .await;
    assert_eq!(changed, 1);
    let dropped = run(format!(
        "DELETE FROM carrier_area_days WHERE carrier_id = {} AND effective_on = '{}' AND bucket = '{}'",
        day.carrier_id, day.effective_on, day.bucket
    ))
    .await;
    assert_eq!(dropped, 1);
    let check = service::spaces::check(&db.conn).await.unwrap();
    assert!(!check.is_exact());
    let mut expected = vec![
        format!("carrier {}: carrier_leased_days differs", leased.carrier_id),
        format!("carrier {}: carrier_area_days differs", day.carrier_id),
    ];
    expected.sort();
    let mut found: Vec<String> =
        check.differences.iter().map(|d| d.split(" from its rebuild").next().unwrap().to_owned()).collect();
    found.sort();
    assert_eq!(found, expected);
}

/// Every foreign key leads an index, on both engines: a page that reads a startup's leases, a
/// lease's events or a holder's equity lines finds them by the index, not by scanning the city's
/// (before migration 13, a startup's own page scanned every lease of a hundred cities).
#[tokio::test]
async fn every_foreign_key_leads_an_index() {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let db = TestDb::new().await;
    let backend = db.conn.get_database_backend();
    let unindexed: Vec<String> = if backend == DbBackend::Postgres {
        let sql = "SELECT c.conrelid::regclass::text || '.' || a.attname FROM pg_constraint c \
                   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] \
                   WHERE c.contype = 'f' AND NOT EXISTS (SELECT 1 FROM pg_index i \
                   WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1]) ORDER BY 1";
        let rows = db.conn.query_all_raw(Statement::from_string(backend, sql)).await.unwrap();
        rows.iter().map(|row| row.try_get_by_index::<String>(0).unwrap()).collect()
    } else {
        let sql = "SELECT m.name || '.' || f.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f \
                   WHERE m.type = 'table' AND NOT EXISTS (SELECT 1 FROM pragma_index_list(m.name) l, \
                   pragma_index_info(l.name) i WHERE i.seqno = 0 AND i.name = f.\"from\") \
                   AND NOT EXISTS (SELECT 1 FROM pragma_table_info(m.name) t WHERE t.pk = 1 AND t.name = f.\"from\") \
                   ORDER BY 1";
        let rows = db.conn.query_all_raw(Statement::from_string(backend, sql)).await.unwrap();
        rows.iter().map(|row| row.try_get_by_index::<String>(0).unwrap()).collect()
    };
    // Small tables read by their own key, never by their parent.
    let allowed = [
        "area_targets.district_id",
        "carrier_states.district_id",
        "one_time_tokens.carrier_id",
        "unit_imports.carrier_id",
    ];
    let missing: Vec<&String> = unindexed.iter().filter(|c| !allowed.contains(&c.as_str())).collect();
    assert!(missing.is_empty(), "foreign keys with no index leading with them: {missing:?}");
}
