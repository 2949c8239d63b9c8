use crate::support::{bureau, db_with_districts, operator};
use crate::tenancy::{application_form, carrier_with_units, member, startup, terms, under_review};
use chrono::{Datelike, Days, Months};
use domain::Area;
use domain::tenancy::application::ApplicationState;
use domain::time::today;
use service::tenancy::applications;
use service::{ServiceError, home};

#[tokio::test]
async fn an_operators_home_lists_each_thing_to_do_with_its_date_and_where_it_is_done() {
    let (db, districts) = db_with_districts().await;
    // Three 100 m² units: 101, 102 (offices) and 103 (24 desks); opened in 2019, no return filed.
    let (carrier, _, units) = carrier_with_units(&db, districts[0], "待办孵化器", false).await;
    let ops = operator(&[carrier]);
    // 101 is let from ten days ahead; 102 has let since 300 days ago and its last day is in 60
    // days; 103 since 44 months ago, with no end: its tenant nears the 48-month limit.
    let on = today();
    let starts = on.checked_add_days(Days::new(10)).unwrap();
    let last = on.checked_add_days(Days::new(60)).unwrap();
    let long_ago = on.checked_sub_months(Months::new(44)).unwrap();
    let mut tenants = Vec::new();
    for (i, (unit, first, end)) in [
        (units[0], starts, None),
        (units[1], on.checked_sub_days(Days::new(300)).unwrap(), Some(last)),
        (units[2], long_ago, None),
    ]
    .into_iter()
    .enumerate()
    {
        let tenant = startup(&db, &format!("待办租户{i}")).await;
        let application = under_review(&db, tenant, carrier).await;
        applications::admit(&db.conn, &ops, application, &terms(&[unit], first, end, "5,000")).await.unwrap();
        tenants.push(tenant);
    }
    // Two applications wait: one under review, one only submitted.
    let reviewing = startup(&db, "审核中企业").await;
    under_review(&db, reviewing, carrier).await;
    let submitted = startup(&db, "已提交企业").await;
    applications::create(&db.conn, &member(submitted), submitted, &application_form(carrier), true).await.unwrap();

    let home = home::operator_home(&db.conn, &ops).await.unwrap();
    assert_eq!(home.on, on);
    assert_eq!(home.carriers.len(), 1);
    let work = &home.carriers[0];
    assert_eq!(work.name, "待办孵化器");
    assert_eq!(work.waiting.len(), 2);
    assert_eq!(work.waiting_total, 2);
    let mut states: Vec<_> = work.waiting.iter().map(|w| w.state).collect();
    states.sort_by_key(|s| s.code());
    assert_eq!(states, [ApplicationState::Submitted, ApplicationState::UnderReview]);
    assert!(work.waiting.iter().all(|w| w.days == 0), "submitted today");
    assert_eq!(work.starting.len(), 1, "the lease starting in ten days");
    assert_eq!((work.starting[0].day, work.starting[0].units.clone()), (starts, vec!["A座 1F·101".to_owned()]));
    assert_eq!(work.ending.len(), 1, "the lease whose last day is in 60 days");
    assert_eq!((work.ending[0].day, work.ending[0].units.clone()), (last, vec!["A座 1F·102".to_owned()]));
    assert_eq!(work.near_limit.len(), 1);
    assert_eq!(work.near_limit[0].startup, tenants[2]);
    assert_eq!(work.near_limit[0].months, 44);
    assert!(!work.near_limit[0].past_limit);
    // 101 is not let today (its lease starts later); 102 and 103 are.
    assert_eq!((work.units, work.units_vacant), (3, 1));
    assert_eq!(work.area_vacant, Area::from_square_metres(100));
    assert_eq!(work.return_due, Some(on.year() - 1), "opened in 2019, nothing filed");
    assert_eq!(work.tasks(), 2 + 1 + 1 + 1 + work.failing.len() + 1);

    // Only operators have a to-do list, and only of their own carriers.
    assert!(matches!(home::operator_home(&db.conn, &bureau()).await, Err(ServiceError::Forbidden)));
    assert!(matches!(home::operator_home(&db.conn, &member(reviewing)).await, Err(ServiceError::Forbidden)));
    let other = home::operator_home(&db.conn, &operator(&[domain::CarrierId(carrier.0 + 100)])).await.unwrap();
    assert!(other.carriers.is_empty(), "a carrier id that is not there lists nothing");
}
