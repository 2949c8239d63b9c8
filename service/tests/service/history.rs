//! History that stays true: the figures of a day read the registry as it stood that day, a
//! change today never moves a total of yesterday, and a backdated change carries forward into
//! later records unless they set the same thing themselves.

use crate::support::{bureau, db_with_districts, draft, operators};
use crate::tenancy::problem_of;
use chrono::{Days, NaiveDate};
use domain::space::{Change, ChangeAction, PlaceForm, UnitForm, UnitSpec};
use domain::time::today;
use domain::{Area, CarrierId, DistrictId, Problem};
use service::spaces::{self, AreaScope};
use service::testing::TestDb;
use service::{carriers, dashboard, registry};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn spec(gross: &str, usable: &str, desks: &str) -> UnitSpec {
    UnitForm {
        code: "x".into(),
        kind: if desks.is_empty() { "private_office".into() } else { "open_workstations".into() },
        gross_area: gross.into(),
        usable_area: usable.into(),
        use_category: "tenant".into(),
        desks: desks.into(),
        list_rent: "40".into(),
        rent_basis: "per_m2".into(),
    }
    .parse_spec()
    .unwrap()
}

async fn carrier_with_floor(db: &TestDb, district: DistrictId, name: &str, opened: &str) -> (CarrierId, i64) {
    let carrier =
        carriers::create(&db.conn, &bureau(), &draft(name, district, |f| f.opened_on = opened.into())).await.unwrap();
    let site = spaces::create_site(
        &db.conn,
        &operators(),
        carrier,
        &PlaceForm { name: "园区".into(), address: "临沂".into() },
    )
    .await
    .unwrap();
    let building = spaces::create_building(&db.conn, &operators(), site, "1号楼").await.unwrap();
    (carrier, spaces::create_floor(&db.conn, &operators(), building, "1F").await.unwrap())
}

async fn add(db: &TestDb, floor: i64, code: &str, gross: &str, on: NaiveDate) -> i64 {
    spaces::add_unit(&db.conn, &operators(), floor, code, &spec(gross, gross, ""), on, "新建").await.unwrap()
}

async fn edit(db: &TestDb, id: CarrierId, change: impl FnOnce(&mut domain::carrier::CarrierForm)) {
    let current = carriers::get(&db.conn, &bureau(), id).await.unwrap();
    let mut form = domain::carrier::CarrierForm::from(&current.data);
    change(&mut form);
    let draft = form.parse(today()).unwrap();
    carriers::update(&db.conn, &bureau(), id, current.version, &draft).await.unwrap();
}

/// The city total on `on` from the dashboard, and the same day's sum over every unit of the
/// carriers the registry counted that day (their own area pages, from the unit ledger).
async fn city_and_units(db: &TestDb, carriers: &[CarrierId], on: NaiveDate) -> (Area, Area, Area) {
    let view = dashboard::dashboard(&db.conn, &bureau(), on, None).await.unwrap();
    let history = registry::History::load(&db.conn, on, None).await.unwrap();
    let mut units = Area::ZERO;
    for carrier in carriers {
        if history.counts(carrier.0, on, None) {
            units = units
                + spaces::area_totals(&db.conn, &operators(), AreaScope::Carrier(*carrier), on)
                    .await
                    .unwrap()
                    .total_gross();
        }
    }
    let city = spaces::totals(&db.conn, AreaScope::City, on).await.unwrap().total_gross();
    (view.totals.gross, city, units)
}

#[tokio::test]
async fn archiving_re_districting_and_re_levelling_never_move_a_past_total() {
    let (db, districts) = db_with_districts().await;
    let (lanshan, hedong) = (districts[0], districts[2]);
    let (a, fa) = carrier_with_floor(&db, lanshan, "历史甲孵化器", "2018-01-01").await;
    let (b, fb) = carrier_with_floor(&db, lanshan, "历史乙孵化器", "2018-01-01").await;
    let (c, fc) = carrier_with_floor(&db, hedong, "历史丙孵化器", "2018-01-01").await;
    add(&db, fa, "A1", "1000", day(2019, 1, 1)).await;
    add(&db, fa, "A2", "500", day(2022, 6, 1)).await;
    add(&db, fb, "B1", "800", day(2020, 3, 1)).await;
    add(&db, fc, "C1", "300", day(2021, 9, 1)).await;
    let all = [a, b, c];

    // Days to look at: month ends over the years, and the days around every change.
    let mut days: Vec<NaiveDate> =
        (2018..=2025).flat_map(|y| [day(y, 3, 31), day(y, 6, 30), day(y, 9, 30), day(y, 12, 31)]).collect();
    days.extend([day(2023, 4, 30), day(2023, 5, 1), day(2024, 1, 31), day(2024, 2, 1), today()]);
    let before: Vec<_> = {
        let mut out = Vec::new();
        for on in &days {
            out.push(dashboard::dashboard(&db.conn, &bureau(), *on, None).await.unwrap());
        }
        out
    };

    // Today: A is archived, B moves to Hedong from 1 May 2023 (recorded late), C is accredited
    // municipal from 1 February 2024.
    let yesterday = today().checked_sub_days(Days::new(1)).unwrap();
    let before_yesterday = dashboard::dashboard(&db.conn, &bureau(), yesterday, None).await.unwrap();
    carriers::set_archived(&db.conn, &bureau(), a, true).await.unwrap();
    edit(&db, b, |f| {
        f.district_id = hedong.to_string();
        f.effective_on = "2023-05-01".into();
    })
    .await;
    edit(&db, c, |f| {
        f.level = "municipal".into();
        f.level_year = "2024".into();
        f.effective_on = "2024-02-01".into();
    })
    .await;

    // Yesterday's figures are yesterday's: A still counted, in every breakdown.
    let after_yesterday = dashboard::dashboard(&db.conn, &bureau(), yesterday, None).await.unwrap();
    assert_eq!(after_yesterday.totals.gross, before_yesterday.totals.gross);
    assert_eq!(after_yesterday.totals.gross, Area::from_square_metres(1000 + 500 + 800 + 300));
    let conn = &db.conn;
    let listed = |on| async move { dashboard::carrier_figures(conn, &bureau(), on, None).await.unwrap() };
    assert!(listed(yesterday).await.iter().any(|r| r.id == a));
    // Today A is gone, and the total is the others'.
    let now = dashboard::dashboard(&db.conn, &bureau(), today(), None).await.unwrap();
    assert_eq!(now.totals.gross, Area::from_square_metres(800 + 300));
    assert!(!listed(today()).await.iter().any(|r| r.id == a));

    for (on, was) in days.iter().zip(&before) {
        let view = dashboard::dashboard(&db.conn, &bureau(), *on, None).await.unwrap();
        if *on < today() {
            // The city's total of a past day did not move.
            assert_eq!(view.totals.gross, was.totals.gross, "city total on {on}");
        }
        // The city total is the sum of the units of the carriers counted that day, by every road.
        let (dashboard_total, city, units) = city_and_units(&db, &all, *on).await;
        assert_eq!((dashboard_total, city), (units, units), "on {on}");
        // Breakdowns add up to the total.
        for groups in [&view.by_district, &view.by_kind, &view.by_level, &view.by_model] {
            let sum: domain::dashboard::Totals = groups.iter().map(|g| g.totals).sum();
            assert_eq!(sum, view.totals, "on {on}");
        }
        // B is in Lanshan before 1 May 2023 and in Hedong from then on.
        let carriers = listed(*on).await;
        if let Some(row) = carriers.iter().find(|r| r.id == b) {
            let expected = if *on < day(2023, 5, 1) { lanshan } else { hedong };
            assert_eq!(row.district, expected, "B's district on {on}");
        }
        // C is municipal from 1 February 2024.
        if let Some(row) = carriers.iter().find(|r| r.id == c) {
            let municipal = row.level == domain::carrier::Level::Municipal;
            assert_eq!(municipal, *on >= day(2024, 2, 1), "C's level on {on}");
        }
    }

    // District totals follow B's move: Lanshan lost 800 m² on 1 May 2023, Hedong gained them.
    let district_total = |view: &domain::dashboard::DashboardView, d: DistrictId| {
        view.by_district.iter().find(|g| g.href.contains(&format!("district={}", d.0))).unwrap().totals.gross
    };
    let april = dashboard::dashboard(&db.conn, &bureau(), day(2023, 4, 30), None).await.unwrap();
    let may = dashboard::dashboard(&db.conn, &bureau(), day(2023, 5, 1), None).await.unwrap();
    assert_eq!(district_total(&april, lanshan), Area::from_square_metres(1500 + 800));
    assert_eq!(district_total(&may, lanshan), Area::from_square_metres(1500));
    assert_eq!(district_total(&may, hedong), Area::from_square_metres(300 + 800));
    // The Hedong dashboard of a day before the move does not count B; of a day after, it does.
    let hedong_april = dashboard::dashboard(&db.conn, &bureau(), day(2023, 4, 30), Some(hedong)).await.unwrap();
    assert_eq!(hedong_april.totals.gross, Area::from_square_metres(300));
    let district_area = spaces::totals(&db.conn, AreaScope::District(lanshan), day(2023, 4, 30)).await.unwrap();
    assert_eq!(district_area.total_gross(), Area::from_square_metres(2300));
    // The trend of today's dashboard: month ends before today keep A.
    let trend_2024 = now.monthly.iter().find(|(d, _)| *d == day(2025, 6, 30)).map(|(_, a)| *a);
    if let Some(area) = trend_2024 {
        assert_eq!(area, Area::from_square_metres(1500 + 800 + 300));
    }
    // Quarterly additions add up to the change of the total over the table's quarters.
    let city_row = now.quarterly.iter().find(|(name, _)| *name == domain::Text::key("table-city")).unwrap();
    let added: Area = city_row.1.iter().copied().sum();
    let first_quarter_start = domain::dashboard::quarter_start(
        domain::dashboard::quarter_ends(today(), domain::dashboard::TREND_QUARTERS)[0],
    );
    let start_total = dashboard::dashboard(&db.conn, &bureau(), first_quarter_start.pred_opt().unwrap(), None)
        .await
        .unwrap()
        .totals
        .gross;
    assert_eq!(start_total + added, now.totals.gross);

    // The Torch report of 2022 lists A (registered then) in its district as it stood.
    let report = service::readiness::torch_report(&db.conn, &bureau(), None, 2022).await.unwrap();
    assert!(report.iter().any(|row| row[0] == "历史甲孵化器"));
    let b_row = report.iter().find(|row| row[0] == "历史乙孵化器").unwrap();
    assert_eq!(b_row[1], "兰山区");
    let report_now =
        service::readiness::torch_report(&db.conn, &bureau(), None, chrono::Datelike::year(&today())).await.unwrap();
    assert!(!report_now.iter().any(|row| row[0] == "历史甲孵化器"), "archived before the year's end");
    assert_eq!(report_now.iter().find(|row| row[0] == "历史乙孵化器").unwrap()[1], "河东区");
}

#[tokio::test]
async fn a_backdated_registry_change_carries_forward_unless_a_later_one_set_the_same_attribute() {
    let (db, districts) = db_with_districts().await;
    let (a, _) = carrier_with_floor(&db, districts[0], "回溯孵化器", "2015-01-01").await;
    // 2022: accredited municipal. Then, recorded later but dated earlier: moved in 2020, and
    // accredited provincial in 2019.
    edit(&db, a, |f| {
        f.level = "municipal".into();
        f.level_year = "2022".into();
        f.effective_on = "2022-01-01".into();
    })
    .await;
    edit(&db, a, |f| {
        f.district_id = districts[1].to_string();
        f.effective_on = "2020-01-01".into();
    })
    .await;
    edit(&db, a, |f| {
        f.level = "provincial".into();
        f.level_year = "2019".into();
        f.effective_on = "2019-01-01".into();
    })
    .await;
    let rows = registry::rows_of(&db.conn, a.0).await.unwrap();
    let at = |d: NaiveDate| rows.iter().rev().find(|r| r.effective_on <= d).unwrap();
    assert_eq!((at(day(2018, 6, 1)).district_id, at(day(2018, 6, 1)).level.as_str()), (districts[0].0, "none"));
    assert_eq!(at(day(2019, 6, 1)).level, "provincial");
    assert_eq!(at(day(2019, 6, 1)).district_id, districts[0].0);
    assert_eq!(at(day(2020, 6, 1)).district_id, districts[1].0);
    assert_eq!(at(day(2020, 6, 1)).level, "provincial", "the 2019 level carries into the 2020 row");
    // The 2022 row set the level itself: the backdated provincial level stops there; the 2020
    // district carries into it.
    assert_eq!(at(day(2022, 6, 1)).level, "municipal");
    assert_eq!(at(day(2022, 6, 1)).district_id, districts[1].0);
    // The carrier's current attributes are the latest row's.
    let view = carriers::get(&db.conn, &bureau(), a).await.unwrap();
    assert_eq!(view.data.district_id, districts[1]);
    assert_eq!(view.history.len(), 4);
    assert_eq!(view.history[0].from, day(2015, 1, 1));

    // A change dated before the opening or in the future is refused.
    let current = carriers::get(&db.conn, &bureau(), a).await.unwrap();
    let mut form = domain::carrier::CarrierForm::from(&current.data);
    form.effective_on = "2014-12-31".into();
    assert!(form.parse(today()).is_err());
    assert_eq!(
        problem_of(carriers::set_archived_from(&db.conn, &bureau(), a, true, day(2014, 1, 1)).await),
        Problem::DateTooEarly { min: "2015-01-01".into() }
    );
    // Archiving from a past day: that day's figures leave it out, the day before keeps it.
    carriers::set_archived_from(&db.conn, &bureau(), a, true, day(2023, 3, 1)).await.unwrap();
    let history = registry::History::load(&db.conn, today(), None).await.unwrap();
    assert!(history.counts(a.0, day(2023, 2, 28), None));
    assert!(!history.counts(a.0, day(2023, 3, 1), None));
    assert!(carriers::get(&db.conn, &bureau(), a).await.unwrap().archived);
}

#[tokio::test]
async fn a_backdated_unit_change_carries_forward_unless_a_later_change_set_the_same_part() {
    let (db, districts) = db_with_districts().await;
    let (_, floor) = carrier_with_floor(&db, districts[0], "单元回溯孵化器", "2018-01-01").await;
    let unit = spaces::add_unit(&db.conn, &operators(), floor, "D1", &spec("100", "90", "10"), day(2020, 1, 1), "新建")
        .await
        .unwrap();
    let update = |on: NaiveDate, spec: UnitSpec| Change {
        action: ChangeAction::Update,
        effective_on: on,
        reason: "变更".into(),
        spec: Some(spec),
    };
    // 2023: 16 desks. Then, entered later but dated 2021: enlarged to 150 m².
    spaces::change_unit(&db.conn, &operators(), unit, &update(day(2023, 1, 1), spec("100", "90", "16"))).await.unwrap();
    spaces::change_unit(&db.conn, &operators(), unit, &update(day(2021, 1, 1), spec("150", "130", "10")))
        .await
        .unwrap();
    let area_on = |on: NaiveDate| {
        let conn = db.conn.clone();
        async move { spaces::totals(&conn, AreaScope::Unit(unit), on).await.unwrap() }
    };
    assert_eq!(area_on(day(2020, 6, 1)).await.total_gross(), Area::from_square_metres(100));
    assert_eq!(area_on(day(2021, 6, 1)).await.total_gross(), Area::from_square_metres(150));
    // The 2023 change set only the desks: the 2021 enlargement carries past it.
    let later = area_on(day(2023, 6, 1)).await;
    assert_eq!(later.total_gross(), Area::from_square_metres(150), "not reverted to 100 m² by the 2023 row");
    assert_eq!(later.desks, 16, "and the 2023 desks stand");
    // A later change that set the area itself stands against a backdated one.
    spaces::change_unit(&db.conn, &operators(), unit, &update(day(2024, 1, 1), spec("120", "100", "16")))
        .await
        .unwrap();
    spaces::change_unit(&db.conn, &operators(), unit, &update(day(2022, 1, 1), spec("200", "180", "10")))
        .await
        .unwrap();
    assert_eq!(area_on(day(2022, 6, 1)).await.total_gross(), Area::from_square_metres(200));
    assert_eq!(area_on(day(2023, 6, 1)).await.total_gross(), Area::from_square_metres(200));
    assert_eq!(area_on(day(2024, 6, 1)).await.total_gross(), Area::from_square_metres(120));
    // The city agrees with the unit on every one of those days.
    for on in [day(2020, 6, 1), day(2021, 6, 1), day(2022, 6, 1), day(2023, 6, 1), day(2024, 6, 1)] {
        let city = spaces::totals(&db.conn, AreaScope::City, on).await.unwrap().total_gross();
        assert_eq!(city, area_on(on).await.total_gross(), "on {on}");
    }
}

#[tokio::test]
async fn units_cannot_be_dated_before_their_carrier_opened() {
    let (db, districts) = db_with_districts().await;
    let (carrier, floor) = carrier_with_floor(&db, districts[0], "开业孵化器", "2020-06-01").await;
    let early =
        spaces::add_unit(&db.conn, &operators(), floor, "E1", &spec("50", "50", ""), day(2020, 5, 31), "新建").await;
    assert_eq!(problem_of(early), Problem::DateTooEarly { min: "2020-06-01".into() });
    add(&db, floor, "E1", "50", day(2020, 6, 1)).await;
    // Nor can the opening move past what is already recorded.
    let current = carriers::get(&db.conn, &bureau(), carrier).await.unwrap();
    let mut form = domain::carrier::CarrierForm::from(&current.data);
    form.opened_on = "2021-01-01".into();
    let moved = carriers::update(&db.conn, &bureau(), carrier, current.version, &form.parse(today()).unwrap()).await;
    assert_eq!(problem_of(moved), Problem::RecordsBeforeOpening);
    // An earlier opening moves the first registry row with it.
    form.opened_on = "2019-01-01".into();
    carriers::update(&db.conn, &bureau(), carrier, current.version, &form.parse(today()).unwrap()).await.unwrap();
    let rows = registry::rows_of(&db.conn, carrier.0).await.unwrap();
    assert_eq!(rows[0].effective_on, day(2019, 1, 1));
}
