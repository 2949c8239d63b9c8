//! The leased-area roll-up kept a lease at a time: signing adds a lease's bookings, moving its
//! end takes the old span away and adds the new, changing a leased unit moves its bookings with
//! its ledger — and after each, the roll-up is the one rebuilt from every booking of the carrier
//! (`spaces::check`), and the leased area on a day is what the bookings say.

use crate::dashboard::{change, unit};
use crate::support::{bureau, db_with_districts, operator, operators};
use crate::tenancy::{carrier_with_units, day, startup, terms, under_review};
use domain::space::ChangeAction;
use domain::tenancy::lease::{LeaseEvent, LeaseEventKind};
use domain::{Area, CarrierId};
use service::spaces::{self, AreaScope};
use service::tenancy::{applications, leases};
use service::testing::TestDb;

async fn exact(db: &TestDb, after: &str) {
    let check = spaces::check(&db.conn).await.unwrap();
    assert!(check.is_exact(), "after {after}: {:?}, {} double bookings", check.differences, check.double_bookings);
}

/// The carrier's leased area on a day, from its leases (its occupancy), and the same figure the
/// dashboard reads from the roll-up (the carrier is its district's only one).
async fn leased_on(db: &TestDb, district: domain::DistrictId, carrier: CarrierId, on: chrono::NaiveDate) -> Area {
    let from_leases = leases::occupancy(&db.conn, AreaScope::Carrier(carrier), on).await.unwrap().area_leased;
    let dashboard = service::dashboard::dashboard(&db.conn, &bureau(), on, Some(district)).await.unwrap();
    assert_eq!(dashboard.totals.leased, from_leases, "on {on}");
    from_leases
}

fn m2(whole: i64) -> Area {
    Area::from_hundredths(whole * 100)
}

#[tokio::test]
async fn each_lease_and_each_change_keeps_the_leased_area_its_rebuild() {
    let (db, districts) = db_with_districts().await;
    let (carrier, _, units) = carrier_with_units(&db, districts[0], "在租面积孵化器", true).await;
    let ops = operator(&[carrier]);
    exact(&db, "the units").await;

    // A year's lease of one unit (100 m² usable), and a second lease of the two others.
    let first = under_review(&db, startup(&db, "在租甲").await, carrier).await;
    let lease = applications::admit(
        &db.conn,
        &ops,
        first,
        &terms(&units[..1], day(2025, 1, 1), Some(day(2025, 12, 31)), "5000"),
    )
    .await
    .unwrap();
    exact(&db, "a lease signed").await;
    let second = under_review(&db, startup(&db, "在租乙").await, carrier).await;
    applications::admit(&db.conn, &ops, second, &terms(&units[1..], day(2025, 3, 1), None, "9000")).await.unwrap();
    exact(&db, "a lease of two units signed").await;
    assert_eq!(leased_on(&db, districts[0], carrier, day(2025, 2, 1)).await, m2(100));
    assert_eq!(leased_on(&db, districts[0], carrier, day(2025, 3, 1)).await, m2(300));

    // The first unit grows to 120 m² in June, while it is let: the lease counts it from then on.
    spaces::change_unit(
        &db.conn,
        &operators(),
        units[0],
        &change(ChangeAction::Update, day(2025, 6, 1), Some(unit("101", "130", "120", "tenant"))),
    )
    .await
    .unwrap();
    exact(&db, "a leased unit resized").await;
    assert_eq!(leased_on(&db, districts[0], carrier, day(2025, 5, 31)).await, m2(300));
    assert_eq!(leased_on(&db, districts[0], carrier, day(2025, 6, 1)).await, m2(320));

    // Renewed to the end of 2026, then ended early in September 2026.
    let event = |kind, last: chrono::NaiveDate| LeaseEvent {
        kind,
        new_end: last.succ_opt().unwrap(),
        reason: "调整租期".into(),
    };
    leases::record_event(&db.conn, &ops, lease, &event(LeaseEventKind::Renewed, day(2026, 12, 31))).await.unwrap();
    exact(&db, "a renewal").await;
    assert_eq!(leased_on(&db, districts[0], carrier, day(2026, 3, 1)).await, m2(320));
    leases::record_event(&db.conn, &ops, lease, &event(LeaseEventKind::EndedEarly, day(2026, 9, 30))).await.unwrap();
    exact(&db, "an early end").await;
    assert_eq!(leased_on(&db, districts[0], carrier, day(2026, 9, 30)).await, m2(320));
    assert_eq!(leased_on(&db, districts[0], carrier, day(2026, 10, 1)).await, m2(200));

    // Taken out of service while the second lease runs: it no longer counts as leased.
    spaces::change_unit(&db.conn, &operators(), units[1], &change(ChangeAction::Remove, day(2026, 11, 1), None))
        .await
        .unwrap();
    exact(&db, "a leased unit removed").await;
    assert_eq!(leased_on(&db, districts[0], carrier, day(2026, 11, 1)).await, m2(100));
}

/// A startup's page lists its newest leases, at most `LEASES_SHOWN`, however long its history:
/// the page and its queries do not grow with it.
#[tokio::test]
async fn a_startups_page_shows_its_newest_leases_and_no_more_than_the_bound() {
    let (db, districts) = db_with_districts().await;
    let (carrier, _, units) = carrier_with_units(&db, districts[0], "长租史孵化器", true).await;
    let ops = operator(&[carrier]);
    let tenant = startup(&db, "长租史企业").await;
    let shown = usize::try_from(leases::LEASES_SHOWN).unwrap();
    let mut signed = Vec::new();
    for month in 0..shown + 2 {
        let first = day(2030, 1, 1) + chrono::Months::new(u32::try_from(month).unwrap());
        let last = first + chrono::Months::new(1) - chrono::Days::new(1);
        let application = under_review(&db, tenant, carrier).await;
        let lease = applications::admit(&db.conn, &ops, application, &terms(&units[..1], first, Some(last), "1000"))
            .await
            .unwrap();
        signed.push(lease);
    }
    let newest_first: Vec<i64> = signed.iter().rev().take(shown).copied().collect();
    for reader in [crate::tenancy::member(tenant), bureau(), ops.clone()] {
        let listed: Vec<i64> =
            leases::of_startup(&db.conn, &reader, tenant).await.unwrap().iter().map(|l| l.id).collect();
        assert_eq!(listed, newest_first);
    }
}
