use crate::support::{bureau, db_with_districts, operator, operators};
use crate::tenancy::{carrier_with_units, day, member, startup, terms, under_review};
use chrono::Days;
use domain::catalogue::CatalogueQuery;
use domain::listing::Listing;
use domain::space::UnitForm;
use domain::time::today;
use domain::{Area, CarrierId, Money};
use service::tenancy::applications;
use service::{ServiceError, carriers, catalogue, spaces};

fn query(raw: &str) -> CatalogueQuery {
    CatalogueQuery::from_pairs(raw.split('&').filter_map(|kv| kv.split_once('=')))
}

fn names(found: &domain::catalogue::Catalogue) -> Vec<String> {
    found.page.items.iter().map(|e| e.name.clone()).collect()
}

async fn version_of(db: &service::testing::TestDb, carrier: CarrierId) -> i32 {
    carriers::get(&db.conn, &bureau(), carrier).await.unwrap().version
}

#[tokio::test]
async fn the_catalogue_offers_what_can_be_let_from_today_and_nothing_else() {
    let (db, districts) = db_with_districts().await;
    // Three 100 m² units each: offices 101 and 102 at 50 yuan/m², 103 with 24 desks at 300 a desk.
    let (big, floor, units) = carrier_with_units(&db, districts[0], "目录甲孵化器", false).await;
    let (small, _, small_units) = carrier_with_units(&db, districts[1], "目录乙众创空间", false).await;
    // A meeting room is never let, whatever its size.
    let room = UnitForm {
        code: "会议室".into(),
        kind: "meeting_room".into(),
        gross_area: "60".into(),
        usable_area: "50".into(),
        use_category: "public_service".into(),
        ..Default::default()
    }
    .parse_spec()
    .unwrap();
    spaces::add_unit(&db.conn, &operators(), floor, "会议室", &room, day(2020, 1, 1), "新建").await.unwrap();
    // 101 is let from next month: signed, so no longer on offer.
    let tenant = startup(&db, "目录企业").await;
    let application = under_review(&db, tenant, big).await;
    let start = today().checked_add_days(Days::new(30)).unwrap();
    applications::admit(&db.conn, &operator(&[big]), application, &terms(&units[..1], start, None, "5,000"))
        .await
        .unwrap();
    // The small carrier has let two of its three units for a year from today.
    let other = startup(&db, "目录企业二").await;
    let application = under_review(&db, other, small).await;
    let running = terms(&small_units[..2], today(), Some(today().checked_add_days(Days::new(365)).unwrap()), "9,000");
    applications::admit(&db.conn, &operator(&[small]), application, &running).await.unwrap();

    let found = catalogue::search(&db.conn, Some(&member(tenant)), &query("")).await.unwrap();
    assert!(!found.public_only);
    assert_eq!(names(&found), ["目录甲孵化器", "目录乙众创空间"], "the most vacant area first");
    assert_eq!(found.page.total, 2);
    let big_entry = &found.page.items[0];
    assert_eq!(big_entry.vacant_units, 2, "102 and 103: 101 is signed away, the meeting room is not for let");
    assert_eq!(big_entry.vacant_area, Area::from_square_metres(200));
    assert_eq!(big_entry.vacant_desks, 24);
    let shown: Vec<&str> = big_entry.units.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(shown, ["A座 1F·102", "A座 1F·103"], "units are named with their building and floor");
    let office = &big_entry.units[0];
    assert_eq!(office.rent.map(|r| r.amount), Some(Money::from_yuan(50)));
    assert_eq!(found.page.items[1].vacant_area, Area::from_square_metres(100), "only 103 of the small one");

    // Filters: vacant area, district, industry, kind.
    assert_eq!(names(&catalogue::search(&db.conn, None, &query("")).await.unwrap()), Vec::<String>::new());
    let signed_in = member(tenant);
    let search = |q: &'static str| {
        let conn = db.conn.clone();
        let actor = signed_in.clone();
        async move { names(&catalogue::search(&conn, Some(&actor), &query(q)).await.unwrap()) }
    };
    assert_eq!(search("min_area=150").await, ["目录甲孵化器"]);
    assert_eq!(search("min_area=200").await, ["目录甲孵化器"], "at least, not more than");
    assert_eq!(search("min_area=200.01").await, Vec::<String>::new());
    let district = format!("district={}", districts[1]);
    assert_eq!(
        names(&catalogue::search(&db.conn, Some(&signed_in), &query(&district)).await.unwrap()),
        ["目录乙众创空间"]
    );
    assert_eq!(search("industry=new_materials").await.len(), 2);
    assert_eq!(search("industry=biomedicine").await, Vec::<String>::new());
    assert_eq!(search("kind=maker_space").await, Vec::<String>::new(), "both are incubators");

    // An archived carrier is not on offer.
    carriers::set_archived(&db.conn, &bureau(), small, true).await.unwrap();
    assert_eq!(search("").await, ["目录甲孵化器"]);
}

#[tokio::test]
async fn visitors_see_only_the_carriers_their_operators_list_publicly() {
    let (db, districts) = db_with_districts().await;
    let (carrier, _, _) = carrier_with_units(&db, districts[0], "公开孵化器", false).await;
    let (_hidden, _, _) = carrier_with_units(&db, districts[0], "不公开孵化器", false).await;
    let anonymous = catalogue::search(&db.conn, None, &query("")).await.unwrap();
    assert!(anonymous.public_only);
    assert!(anonymous.page.items.is_empty(), "nobody chose to be listed yet");

    let listing = Listing { description: "面向新材料初创团队，提供中试车间。".into(), public: true };
    let version = version_of(&db, carrier).await;
    catalogue::set_listing(&db.conn, &operator(&[carrier]), carrier, version, &listing).await.unwrap();
    let anonymous = catalogue::search(&db.conn, None, &query("")).await.unwrap();
    assert_eq!(names(&anonymous), ["公开孵化器"]);
    assert_eq!(anonymous.page.items[0].description, listing.description);
    assert_eq!(carriers::get(&db.conn, &bureau(), carrier).await.unwrap().listing, listing);

    // Its operators only: not the bureau, not another carrier's staff; and from the version shown.
    for outsider in [bureau(), operator(&[CarrierId(carrier.0 + 1)]), member(startup(&db, "旁人").await)] {
        let version = version_of(&db, carrier).await;
        assert!(matches!(
            catalogue::set_listing(&db.conn, &outsider, carrier, version, &Listing::default()).await,
            Err(ServiceError::Forbidden)
        ));
    }
    assert!(matches!(
        catalogue::set_listing(&db.conn, &operator(&[carrier]), carrier, version, &Listing::default()).await,
        Err(ServiceError::Stale)
    ));
    let trail = service::audit::list(&db.conn, &bureau(), &domain::account::AuditQuery::default()).await.unwrap();
    let changes: Vec<_> = trail.items.iter().filter(|e| e.action == "update_listing").collect();
    assert_eq!(changes.len(), 1, "one change, audited once");
}

#[tokio::test]
async fn of_many_simultaneous_listing_edits_from_one_version_exactly_one_is_saved() {
    let (db, districts) = db_with_districts().await;
    let (carrier, _, _) = carrier_with_units(&db, districts[0], "并发目录孵化器", false).await;
    let version = version_of(&db, carrier).await;
    let attempts: Vec<_> = (1..=8)
        .map(|n| {
            let conn = db.conn.clone();
            let listing = Listing { description: format!("第{n}版介绍"), public: n % 2 == 0 };
            tokio::spawn(async move {
                catalogue::set_listing(&conn, &operator(&[carrier]), carrier, version, &listing).await
            })
        })
        .collect();
    let mut results = Vec::new();
    for attempt in attempts {
        results.push(attempt.await.unwrap());
    }
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
    assert!(results.iter().filter_map(|r| r.as_ref().err()).all(|e| matches!(e, ServiceError::Stale)), "{results:?}");
    assert_eq!(version_of(&db, carrier).await, version + 1);
    let trail = service::audit::list(&db.conn, &bureau(), &domain::account::AuditQuery::default()).await.unwrap();
    assert_eq!(trail.items.iter().filter(|e| e.action == "update_listing").count(), 1);
}
