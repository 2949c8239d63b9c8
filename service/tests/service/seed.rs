use service::carriers;
use service::testing::TestDb;

#[tokio::test]
async fn the_demo_city_has_linyis_fifteen_districts_and_dozens_of_carriers() {
    let db = TestDb::new().await;
    assert!(service::seed::is_empty(&db.conn).await.unwrap());
    let seeded = service::seed::demo(&db.conn).await.unwrap();
    assert_eq!(seeded.districts, 0, "the city's districts come with every install, not with the demo");
    assert!(seeded.carriers >= 36, "a few dozen carriers, got {}", seeded.carriers);

    let districts = service::districts::list(&db.conn).await.unwrap();
    let names: Vec<_> = districts.iter().map(|d| d.name_zh.as_str()).collect();
    for expected in ["兰山区", "罗庄区", "河东区", "沂水县", "临沂高新区", "临沂经开区", "临沂临港区"]
    {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }
    let summary = carriers::summary(&db.conn, &crate::support::bureau()).await.unwrap();
    assert_eq!(summary.total, u64::try_from(seeded.carriers).unwrap() - 1, "one demo carrier is archived");
    assert!(summary.by_district.iter().all(|(_, n)| *n > 0), "every district has a carrier");
    assert_eq!(seeded.accounts, 4);
}

#[tokio::test]
async fn the_demo_accounts_sign_in_with_their_roles() {
    let db = TestDb::new().await;
    service::seed::demo(&db.conn).await.unwrap();
    let operator = service::accounts::sign_in(&db.conn, "operator@demo.fuhua.cn", service::seed::DEMO_PASSWORD, "x")
        .await
        .unwrap();
    let actor = service::accounts::load_actor(&db.conn, operator, chrono::Utc::now()).await.unwrap().unwrap();
    assert_eq!(actor.carriers.len(), 2, "the demo operator runs two carriers");
    let startup =
        service::accounts::sign_in(&db.conn, "startup@demo.fuhua.cn", service::seed::DEMO_PASSWORD, "x").await.unwrap();
    let actor = service::accounts::load_actor(&db.conn, startup, chrono::Utc::now()).await.unwrap().unwrap();
    assert_eq!(actor.startups.len(), 1);
    // The demo startup is a tenant of the operator's carrier, which holds 10 % of it.
    let company = *actor.startups.iter().next().unwrap();
    let today = domain::time::today();
    let table = service::equity::cap_table(&db.conn, &actor, company, today).await.unwrap();
    let carrier = table.holders.iter().find(|h| h.name == "临沂高新区科技创业园").unwrap();
    assert_eq!(domain::equity::percent_text(carrier.millionths), "10.0000%");
    assert_eq!(table.equity_leases.len(), 0, "the startup does not record; it sees no lease to convert");
    assert_eq!(service::tenancy::leases::of_startup(&db.conn, &actor, company).await.unwrap().len(), 1);
}

#[tokio::test]
async fn seeding_twice_adds_nothing_the_second_time() {
    let db = TestDb::new().await;
    service::seed::demo(&db.conn).await.unwrap();
    let again = service::seed::demo(&db.conn).await.unwrap();
    assert_eq!(again, service::seed::Seeded::default());
    assert!(!service::seed::is_empty(&db.conn).await.unwrap());
}
