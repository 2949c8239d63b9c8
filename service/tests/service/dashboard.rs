//! The bureau's dashboard against a real database: its totals are the sums of the carriers' own
//! figures on every day asked, its breakdowns and trends add up, and the targets read the same
//! area; accreditation criteria against carriers built to pass and to fail each one.

use crate::support::{bureau, db_with_districts, draft, operator, operators};
use crate::tenancy::{carrier_with_units, day, startup, terms, under_review};
use chrono::NaiveDate;
use domain::carrier::CarrierQuery;
use domain::dashboard::TableKind;
use domain::space::{Change, ChangeAction, PlaceForm, UnitForm};
use domain::target::{Outcome, Projection};
use domain::tenancy::startup::{GraduationCriterion, StageEvent, TenantStage};
use domain::{Area, CarrierId, DistrictId, Lang, Problem};
use service::spaces::{self, AreaScope};
use service::tenancy::{applications, leases, tenants};
use service::testing::TestDb;
use service::{ServiceError, carriers, dashboard};

pub(crate) fn unit(code: &str, gross: &str, usable: &str, category: &str) -> domain::space::UnitSpec {
    UnitForm {
        code: code.into(),
        kind: "private_office".into(),
        gross_area: gross.into(),
        usable_area: usable.into(),
        use_category: category.into(),
        desks: "".into(),
        list_rent: "40".into(),
        rent_basis: "per_m2".into(),
    }
    .parse_spec()
    .unwrap()
}

/// Adds unit `code` (gross and usable m², use category) to `floor` on `on`; returns its id.
pub(crate) async fn add(
    db: &TestDb,
    floor: i64,
    code: &str,
    gross: &str,
    usable: &str,
    category: &str,
    on: NaiveDate,
) -> i64 {
    spaces::add_unit(&db.conn, &operators(), floor, code, &unit(code, gross, usable, category), on, "新建")
        .await
        .unwrap()
}

/// A carrier of `kind` in `district` with one empty floor; returns it and the floor.
pub(crate) async fn carrier_with_floor(
    db: &TestDb,
    district: DistrictId,
    name: &str,
    edit: impl FnOnce(&mut domain::carrier::CarrierForm),
) -> (CarrierId, i64) {
    let carrier = carriers::create(&db.conn, &bureau(), &draft(name, district, edit)).await.unwrap();
    let site = spaces::create_site(
        &db.conn,
        &operators(),
        carrier,
        &PlaceForm { name: "园区".into(), address: "临沂市".into() },
    )
    .await
    .unwrap();
    let building = spaces::create_building(&db.conn, &operators(), site, "1号楼").await.unwrap();
    let floor = spaces::create_floor(&db.conn, &operators(), building, "1F").await.unwrap();
    (carrier, floor)
}

pub(crate) fn change(action: ChangeAction, on: NaiveDate, spec: Option<domain::space::UnitSpec>) -> Change {
    Change { action, effective_on: on, reason: "测试变更".into(), spec }
}

pub(crate) fn m2(whole: i64) -> Area {
    Area::from_square_metres(whole)
}

pub(crate) use domain::time::today;

/// Every carrier's row of the dashboard's figures on `on` (the carriers' download).
pub(crate) async fn rows(
    db: &TestDb,
    on: NaiveDate,
    district: Option<domain::DistrictId>,
) -> Vec<domain::dashboard::CarrierFigures> {
    dashboard::carrier_figures(&db.conn, &bureau(), on, district).await.unwrap()
}

/// The reconciliation every city must pass, real or demonstration: on `on`, each carrier's row
/// on the dashboard is its own area page and occupancy; the totals are the sum of the carriers
/// (`registered`: every carrier not archived); every breakdown adds up to the totals; the trend
/// ends on the day at the same area; the city-wide target and the city's occupancy read the same
/// figures. Returns the dashboard.
pub(crate) async fn reconciles(
    db: &TestDb,
    registered: &[CarrierId],
    on: NaiveDate,
) -> domain::dashboard::DashboardView {
    let view = dashboard::dashboard(&db.conn, &bureau(), on, None).await.unwrap();
    let totals = view.totals;
    let rows = rows(db, on, None).await;
    assert_eq!(rows.iter().map(|r| r.totals).sum::<domain::dashboard::Totals>(), totals, "the rows add up, on {on}");
    let mut gross = Area::ZERO;
    let mut usable = Area::ZERO;
    let mut leased = Area::ZERO;
    for carrier in registered {
        let carrier = *carrier;
        let own = spaces::area_totals(&db.conn, &operator(&[carrier]), AreaScope::Carrier(carrier), on).await.unwrap();
        let occupancy =
            leases::occupancy_for(&db.conn, &operator(&[carrier]), AreaScope::Carrier(carrier), on).await.unwrap();
        if let Some(row) = rows.iter().find(|r| r.id == carrier) {
            assert_eq!(row.totals.gross, own.total_gross(), "carrier {carrier:?} on {on}");
            assert_eq!(row.totals.leased, occupancy.area_leased, "carrier {carrier:?} on {on}");
        } else {
            assert_eq!(own.total_gross(), Area::ZERO, "carrier {carrier:?} has area on {on} but no row");
        }
        gross = gross + own.total_gross();
        usable = usable + occupancy.area;
        leased = leased + occupancy.area_leased;
    }
    assert_eq!((totals.gross, totals.usable, totals.leased), (gross, usable, leased), "on {on}");
    for groups in [&view.by_district, &view.by_kind, &view.by_level, &view.by_model] {
        let sum: domain::dashboard::Totals = groups.iter().map(|g| g.totals).sum();
        assert_eq!(sum, totals, "on {on}");
    }
    assert_eq!(view.monthly.last().copied(), Some((on, totals.gross)));
    if let Some(plan) = view.targets.iter().find(|t| t.row.district.is_none()) {
        assert_eq!(plan.progress.current, totals.gross);
    }
    let city = leases::occupancy(&db.conn, AreaScope::City, on).await.unwrap();
    assert_eq!((city.area, city.area_leased), (totals.usable, totals.leased), "on {on}");
    view
}

#[tokio::test]
async fn the_dashboard_is_the_sum_of_the_carriers_own_figures_on_every_day() {
    let (db, districts) = db_with_districts().await;
    // A: three units since 2020 in the first district; two of them leased from 2025.
    let (a, _, a_units) = carrier_with_units(&db, districts[0], "汇总甲孵化器", true).await;
    // B: a maker space in the second district, growing, shrinking and closing a unit.
    let (b, b_floor) =
        carrier_with_floor(&db, districts[1], "汇总乙众创空间", |f| f.kind = "maker_space".into()).await;
    let b1 = add(&db, b_floor, "B1", "500", "450", "tenant", day(2023, 3, 15)).await;
    let b2 = add(&db, b_floor, "B2", "300", "280", "public_service", day(2024, 2, 1)).await;
    spaces::change_unit(
        &db.conn,
        &operators(),
        b1,
        &change(ChangeAction::Update, day(2024, 8, 1), Some(unit("B1", "650", "600", "tenant"))),
    )
    .await
    .unwrap();
    spaces::change_unit(&db.conn, &operators(), b2, &change(ChangeAction::OutOfService, day(2025, 6, 1), None))
        .await
        .unwrap();
    // A change entered late, dated back: the roll-up must follow the ledger.
    add(&db, b_floor, "B3", "120", "100", "operator", day(2022, 12, 1)).await;
    // C: an incubator in the first district with one big unit.
    let (c, c_floor) = carrier_with_floor(&db, districts[0], "汇总丙孵化器", |f| {
        f.level = "municipal".into();
        f.level_year = "2021".into();
    })
    .await;
    add(&db, c_floor, "C1", "2000", "1800", "tenant", day(2024, 11, 20)).await;
    // D: archived, with area: not on the dashboard, not in the registry list.
    let (d, d_floor) = carrier_with_floor(&db, districts[1], "已关闭孵化器", |_| {}).await;
    add(&db, d_floor, "D1", "900", "800", "tenant", day(2021, 1, 1)).await;
    // Archived from the day its unit opened: no day of its life counts it.
    carriers::set_archived_from(&db.conn, &bureau(), d, true, day(2021, 1, 1)).await.unwrap();

    // Tenants: two admitted at A, one of them graduating.
    let mut tenants_of_a = Vec::new();
    for (name, units) in [("汇总租户一", &a_units[..1]), ("汇总租户二", &a_units[1..2])] {
        let s = startup(&db, name).await;
        let application = under_review(&db, s, a).await;
        applications::admit(&db.conn, &operator(&[a]), application, &terms(units, day(2025, 1, 1), None, "5000"))
            .await
            .unwrap();
        tenants_of_a.push(s);
    }
    let graduation = StageEvent {
        stage: TenantStage::Graduated,
        on: day(2025, 9, 1),
        criterion: Some(GraduationCriterion::HighTechEnterprise),
        note: "高新技术企业证书已核对".into(),
    };
    tenants::record_stage(&db.conn, &operator(&[a]), a, tenants_of_a[0], &graduation).await.unwrap();
    // A third lease at A, ended early; a leased unit resized and another taken out of service
    // while leased: the leased-area roll-up must follow each.
    let third = startup(&db, "汇总租户三").await;
    let application = under_review(&db, third, a).await;
    let lease = applications::admit(
        &db.conn,
        &operator(&[a]),
        application,
        &terms(&a_units[2..], day(2025, 3, 1), Some(day(2025, 12, 31)), "6000"),
    )
    .await
    .unwrap();
    let early = domain::tenancy::lease::LeaseEvent {
        kind: domain::tenancy::lease::LeaseEventKind::EndedEarly,
        new_end: day(2025, 6, 15),
        reason: "提前退租".into(),
    };
    leases::record_event(&db.conn, &operator(&[a]), lease, &early).await.unwrap();
    let office = |gross: &str, usable: &str| UnitForm {
        code: "101".into(),
        kind: "private_office".into(),
        gross_area: gross.into(),
        usable_area: usable.into(),
        use_category: "tenant".into(),
        desks: "".into(),
        list_rent: "50".into(),
        rent_basis: "per_m2".into(),
    };
    let resized = office("130", "120").parse_spec().unwrap();
    spaces::change_unit(
        &db.conn,
        &operators(),
        a_units[0],
        &change(ChangeAction::Update, day(2025, 4, 1), Some(resized)),
    )
    .await
    .unwrap();
    spaces::change_unit(&db.conn, &operators(), a_units[1], &change(ChangeAction::OutOfService, day(2025, 8, 1), None))
        .await
        .unwrap();

    let days = [
        day(2022, 12, 31),
        day(2024, 3, 31),
        day(2024, 12, 31),
        day(2025, 3, 1),
        day(2025, 3, 31),
        day(2025, 4, 1),
        day(2025, 6, 14),
        day(2025, 6, 15),
        day(2025, 7, 1),
        day(2025, 8, 1),
        day(2025, 9, 30),
        today(),
    ];
    let registered = [a, b, c];
    let mut seen = Vec::new();
    for on in days {
        let view = reconciles(&db, &registered, on).await;
        assert_eq!(view.totals.carriers, 3, "the archived carrier is left out");
        let rows = rows(&db, on, None).await;
        assert!(rows.iter().all(|r| registered.contains(&r.id)));
        assert!(view.targets.iter().any(|t| t.row.district.is_none()), "the city's plan reads the same area");
        seen.push(rows);
    }
    // Leased area by hand: from 1 April unit 101 has 120 m² usable; 103 was leased from 1 March
    // to 14 June; 102 is out of service from 1 August.
    let leased_on = |i: usize| seen[i].iter().find(|r| r.id == a).unwrap().totals.leased;
    assert_eq!(leased_on(3), m2(300), "1 March: 101, 102 and 103");
    assert_eq!(leased_on(5), m2(320), "1 April: 101 resized");
    assert_eq!(leased_on(6), m2(320), "14 June: the last day of the lease of 103");
    assert_eq!(leased_on(7), m2(220), "15 June: 103 free again");
    assert_eq!(leased_on(9), m2(120), "1 August: 102 out of service");

    // Rebuilding every ledger and roll-up from the units' histories changes no figure.
    {
        use sea_orm::EntityTrait;
        service::entity::maintenance::Entity::delete_by_id("ledger_version".to_owned()).exec(&db.conn).await.unwrap();
        assert!(spaces::ensure_ledgers(&db.conn).await.unwrap() > 0);
    }
    for (i, on) in days.into_iter().enumerate() {
        assert_eq!(rows(&db, on, None).await, seen[i], "after the rebuild, on {on}");
    }

    // Known figures, by hand. On 2024-12-31: A 330 m², B 650 + 300 + 120, C 2,000.
    let view = dashboard::dashboard(&db.conn, &bureau(), day(2024, 12, 31), None).await.unwrap();
    assert_eq!(view.totals.gross, m2(330 + 650 + 300 + 120 + 2000));
    // On 2025-07-01 B2 is out of service (and A's 101 has grown by 20 m² since April); the
    // monthly trend shows it at the end of June.
    let view = dashboard::dashboard(&db.conn, &bureau(), day(2025, 7, 1), None).await.unwrap();
    assert_eq!(view.totals.gross, m2(350 + 650 + 120 + 2000));
    let june = view.monthly.iter().find(|(d, _)| *d == day(2025, 6, 30)).unwrap();
    assert_eq!(june.1, m2(350 + 650 + 120 + 2000));
    let may = view.monthly.iter().find(|(d, _)| *d == day(2025, 5, 31)).unwrap();
    assert_eq!(may.1, m2(350 + 650 + 300 + 120 + 2000));
    // Quarterly additions: Q2 2025 lost B2's 300 m² in the second district.
    let q = view.quarters.iter().position(|q| *q == day(2025, 6, 30)).unwrap();
    let second = view
        .quarterly
        .iter()
        .find(|(name, _)| matches!(name, domain::Text::Names(zh, _) if *zh == view.districts[1].1))
        .unwrap();
    assert_eq!(second.1[q], Area::ZERO - m2(300));
    // Tenants: three incubating at A (a lease ending early does not end the incubation), then
    // two after the graduation, which the flows show.
    assert_eq!(view.totals.tenants, 3);
    let today_view = dashboard::dashboard(&db.conn, &bureau(), today(), None).await.unwrap();
    assert_eq!((today_view.totals.tenants, today_view.totals.graduates), (2, 1));
    let listed = tenants::list(&db.conn, &operator(&[a]), a, today()).await.unwrap();
    assert_eq!(
        listed.iter().filter(|t| t.stage == TenantStage::Incubating).count() as u64,
        rows(&db, today(), None).await.iter().find(|r| r.id == a).unwrap().totals.tenants,
        "the dashboard counts the tenants the carrier's tenant page lists"
    );
    let q3 = dashboard::dashboard(&db.conn, &bureau(), day(2025, 9, 30), None).await.unwrap();
    let flow = q3.flows.iter().find(|f| f.period == day(2025, 9, 30)).unwrap();
    assert_eq!(flow.graduated[0], 1, "one graduate as a high-tech enterprise");
    let q1 = q3.flows.iter().find(|f| f.period == day(2025, 3, 31)).unwrap();
    assert_eq!(q1.admitted, 3);

    // One district: only its carriers, and the carrier list behind the link shows the same area.
    let first = dashboard::dashboard(&db.conn, &bureau(), today(), Some(districts[0])).await.unwrap();
    let mut ids: Vec<CarrierId> = rows(&db, today(), Some(districts[0])).await.iter().map(|c| c.id).collect();
    ids.sort();
    assert_eq!(ids, vec![a, c]);
    // A today: 101 at 130 m², 102 out of service, 103 at 110 m²; C 2,000 m².
    assert_eq!(first.totals.gross, m2(130 + 110 + 2000));
    let query = CarrierQuery { district: Some(districts[0]), ..CarrierQuery::default() };
    let page = carriers::list(&db.conn, &bureau(), &query).await.unwrap();
    let listed: Area = page.items.iter().map(|r| r.gross).sum();
    assert_eq!(listed, first.totals.gross);
    assert_eq!(first.by_district.len(), 1);
    assert_eq!(first.by_district[0].href, format!("/carriers?district={}&on={}", districts[0].0, today()));
    // On a past day the link carries the day, and the list shows that day's figures.
    let past = CarrierQuery { on: Some(day(2024, 12, 31)), ..query };
    let listed: Area = carriers::list(&db.conn, &bureau(), &past).await.unwrap().items.iter().map(|r| r.gross).sum();
    assert_eq!(listed, m2(330 + 2000));

    // The exported table is the screen's table.
    let table = first.table(TableKind::Districts, &texts::Fluent(Lang::Zh)).unwrap();
    let plain = table.plain_rows();
    assert_eq!(plain.last().unwrap()[2], "2240.00");
    assert_eq!(table.rows.last().unwrap()[2].shown, "2,240.00");

    // Operators do not see the city.
    let denied = dashboard::dashboard(&db.conn, &operator(&[a]), today(), None).await;
    assert!(matches!(denied, Err(ServiceError::Forbidden)));
}

#[tokio::test]
async fn targets_are_data_the_bureau_adds_and_removes() {
    let (db, districts) = db_with_districts().await;
    let (_, floor) = carrier_with_floor(&db, districts[0], "目标孵化器", |_| {}).await;
    add(&db, floor, "T1", "1200", "1000", "tenant", day(2024, 7, 1)).await;
    let form = domain::dashboard::TargetForm {
        name_zh: "兰山区孵化面积目标".into(),
        name_en: "".into(),
        district_id: districts[0].to_string(),
        area: "2,400".into(),
        base_date: "2024-01-01".into(),
        deadline: "2025-12-30".into(),
    };
    let id = dashboard::add_target(&db.conn, &bureau(), &form).await.unwrap();
    let view = dashboard::dashboard(&db.conn, &bureau(), day(2025, 6, 30), None).await.unwrap();
    assert_eq!(view.targets.len(), 2, "the founding plan and the district's target");
    // The target still open leads; the founding plan, closed on 31 December 2020, follows.
    let district = &view.targets[0];
    let plan = &view.targets[1];
    assert_eq!(plan.row.target.area, m2(2_000_000));
    assert_eq!(plan.row.target.deadline, day(2020, 12, 31));
    assert_eq!(plan.progress.required_monthly, None, "the founding plan's deadline has passed");
    // Closed: nothing stood in 2020, so it ended with no area and was never reached.
    assert_eq!(plan.outcome, Some(Outcome { final_area: Area::ZERO, reached_on: None }));
    assert_eq!(plan.verdict().render(&texts::Fluent(Lang::Zh)), "截止时未达成（截止日面积 0.00\u{a0}平方米）");
    // 1,200 of 2,400 m²: 50 %, 1,200 missing over 6 started months = 200 m² a month; the last
    // twelve months added 1,200 m² (100 a month), so 12 more months: June 2026, after the
    // deadline of 30 December 2025. The reader is told so, and what growth it needs.
    assert_eq!(district.outcome, None);
    assert_eq!(district.progress.achieved_bp, 5_000);
    assert_eq!(district.progress.missing, m2(1_200));
    assert_eq!(district.progress.months_left, 6);
    assert_eq!(district.progress.required_monthly, Some(m2(200)));
    assert_eq!(district.progress.trend_monthly, m2(100));
    assert_eq!(district.progress.projection, Projection::Late(day(2026, 6, 30)));
    assert_eq!(district.verdict().render(&texts::Fluent(Lang::Zh)), "按当前趋势要到 2026年6月 才能达成，晚于截止日");
    assert_eq!(
        district.verdict().render(&texts::Fluent(Lang::En)),
        "Reached only in Jun 2026 at this trend, after the deadline"
    );
    // A district's dashboard shows that district's targets, not the city's.
    let own = dashboard::dashboard(&db.conn, &bureau(), day(2025, 6, 30), Some(districts[0])).await.unwrap();
    assert_eq!(own.targets.iter().map(|t| t.row.id).collect::<Vec<_>>(), vec![id]);
    let other = dashboard::dashboard(&db.conn, &bureau(), day(2025, 6, 30), Some(districts[1])).await.unwrap();
    assert!(other.targets.is_empty(), "another district has no target of its own");

    let bad = domain::dashboard::TargetForm { area: "-5".into(), deadline: "2023-01-01".into(), ..form.clone() };
    match dashboard::add_target(&db.conn, &bureau(), &bad).await {
        Err(ServiceError::Invalid(errors)) => {
            assert_eq!(errors.for_field("area").next(), Some(&Problem::NotPositive));
            assert_eq!(errors.for_field("deadline").next(), Some(&Problem::EndBeforeStart));
        }
        other => panic!("expected field errors, got {other:?}"),
    }
    assert!(matches!(dashboard::add_target(&db.conn, &operator(&[]), &form).await, Err(ServiceError::Forbidden)));
    dashboard::remove_target(&db.conn, &bureau(), id).await.unwrap();
    assert_eq!(dashboard::targets(&db.conn).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_closed_target_shows_its_final_figure_and_the_day_it_was_reached() {
    let (db, districts) = db_with_districts().await;
    let (carrier, floor) = carrier_with_floor(&db, districts[0], "收官孵化器", |_| {}).await;
    add(&db, floor, "T1", "600", "500", "tenant", day(2024, 3, 1)).await;
    add(&db, floor, "T2", "500", "400", "tenant", day(2024, 7, 15)).await;
    add(&db, floor, "T3", "300", "250", "tenant", day(2025, 2, 1)).await;
    let target = |area: &str| domain::dashboard::TargetForm {
        name_zh: format!("{area} 平方米"),
        name_en: String::new(),
        district_id: districts[0].to_string(),
        area: area.into(),
        base_date: "2024-01-01".into(),
        deadline: "2024-12-31".into(),
    };
    // 1,000 m² by the end of 2024: 600 on 1 March, 1,100 from 15 July, so reached on 15 July.
    let met = dashboard::add_target(&db.conn, &bureau(), &target("1000")).await.unwrap();
    // 1,200 m²: 1,100 on the deadline, and the third unit comes only in February.
    let missed = dashboard::add_target(&db.conn, &bureau(), &target("1200")).await.unwrap();
    // An open target to lead them: 3,000 m² by the end of 2026.
    let open = dashboard::add_target(
        &db.conn,
        &bureau(),
        &domain::dashboard::TargetForm { deadline: "2026-12-31".into(), ..target("3000") },
    )
    .await
    .unwrap();
    let view = dashboard::dashboard(&db.conn, &bureau(), day(2025, 6, 30), Some(districts[0])).await.unwrap();
    let order: Vec<i64> = view.targets.iter().map(|t| t.row.id).collect();
    assert_eq!(order[0], open, "the current target leads");
    let find = |id: i64| view.targets.iter().find(|t| t.row.id == id).unwrap();
    assert_eq!(find(met).outcome, Some(Outcome { final_area: m2(1_100), reached_on: Some(day(2024, 7, 15)) }));
    assert_eq!(find(met).verdict().render(&texts::Fluent(Lang::Zh)), "已于 2024年7月15日 达成");
    assert_eq!(find(met).verdict().render(&texts::Fluent(Lang::En)), "Reached on 15 Jul 2024");
    assert_eq!(find(missed).outcome, Some(Outcome { final_area: m2(1_100), reached_on: None }));
    assert_eq!(
        find(missed).verdict().render(&texts::Fluent(Lang::En)),
        "Not reached by the deadline (1,100.00\u{a0}m² that day)"
    );
    // On the deadline itself both are still open; a day later, closed.
    let on_deadline = dashboard::dashboard(&db.conn, &bureau(), day(2024, 12, 31), Some(districts[0])).await.unwrap();
    assert!(on_deadline.targets.iter().all(|t| t.outcome.is_none()));
    // A unit added today, backdated before the deadline, changes the closed figure: the outcome
    // is read from the ledger as it stands, like every past figure.
    add(&db, floor, "T4", "100", "80", "tenant", day(2024, 12, 1)).await;
    let view = dashboard::dashboard(&db.conn, &bureau(), day(2025, 6, 30), Some(districts[0])).await.unwrap();
    let missed_now = view.targets.iter().find(|t| t.row.id == missed).unwrap();
    assert_eq!(missed_now.outcome, Some(Outcome { final_area: m2(1_200), reached_on: Some(day(2024, 12, 1)) }));
    // The registry counts too: archived from 30 December, the carrier's area leaves the district
    // on the deadline (the days it was reached stay); back from 31 December, it is there again.
    carriers::set_archived_from(&db.conn, &bureau(), carrier, true, day(2024, 12, 30)).await.unwrap();
    let view = dashboard::dashboard(&db.conn, &bureau(), day(2025, 6, 30), Some(districts[0])).await.unwrap();
    let outcome = |id: i64| view.targets.iter().find(|t| t.row.id == id).unwrap().outcome;
    assert_eq!(outcome(met), Some(Outcome { final_area: Area::ZERO, reached_on: Some(day(2024, 7, 15)) }));
    assert_eq!(outcome(missed), Some(Outcome { final_area: Area::ZERO, reached_on: Some(day(2024, 12, 1)) }));
    carriers::set_archived_from(&db.conn, &bureau(), carrier, false, day(2024, 12, 31)).await.unwrap();
    let view = dashboard::dashboard(&db.conn, &bureau(), day(2025, 6, 30), Some(districts[0])).await.unwrap();
    let outcome = |id: i64| view.targets.iter().find(|t| t.row.id == id).unwrap().outcome;
    assert_eq!(outcome(missed), Some(Outcome { final_area: m2(1_200), reached_on: Some(day(2024, 12, 1)) }));
    // A target whose base date comes after the area was reached counts from its base date.
    let later = dashboard::add_target(
        &db.conn,
        &bureau(),
        &domain::dashboard::TargetForm { base_date: "2024-09-01".into(), ..target("500") },
    )
    .await
    .unwrap();
    let view = dashboard::dashboard(&db.conn, &bureau(), day(2025, 6, 30), Some(districts[0])).await.unwrap();
    let outcome = |id: i64| view.targets.iter().find(|t| t.row.id == id).unwrap().outcome;
    assert_eq!(outcome(later).and_then(|o| o.reached_on), Some(day(2024, 9, 1)));
}

#[tokio::test]
async fn a_target_is_edited_from_the_version_shown_and_the_change_is_audited() {
    let (db, districts) = db_with_districts().await;
    let form = domain::dashboard::TargetForm {
        name_zh: "兰山区目标".into(),
        name_en: "Lanshan target".into(),
        district_id: districts[0].to_string(),
        area: "50000".into(),
        base_date: "2025-01-01".into(),
        deadline: "2027-12-31".into(),
    };
    let id = dashboard::add_target(&db.conn, &bureau(), &form).await.unwrap();
    let stored = |db: &TestDb| {
        let conn = db.conn.clone();
        async move { dashboard::targets(&conn).await.unwrap().into_iter().find(|t| t.id == id).unwrap() }
    };
    let before = stored(&db).await;
    assert_eq!(before.form(), domain::dashboard::TargetForm { area: "50000.00".into(), ..form.clone() });
    let changed =
        domain::dashboard::TargetForm { area: "60,000".into(), deadline: "2028-06-30".into(), ..form.clone() };
    dashboard::update_target(&db.conn, &bureau(), id, before.version, &changed).await.unwrap();
    let after = stored(&db).await;
    assert_eq!((after.target.area, after.target.deadline), (m2(60_000), day(2028, 6, 30)));
    assert_eq!(after.version, before.version + 1);
    // A second editor who opened the form before the save changes nothing.
    let late = domain::dashboard::TargetForm { area: "1".into(), ..form.clone() };
    assert!(matches!(
        dashboard::update_target(&db.conn, &bureau(), id, before.version, &late).await,
        Err(ServiceError::Stale)
    ));
    assert_eq!(stored(&db).await.target.area, m2(60_000));
    // Bad values are refused field by field; operators may not edit; a removed target is gone.
    let bad = domain::dashboard::TargetForm { area: "0".into(), base_date: "2029-01-01".into(), ..form.clone() };
    match dashboard::update_target(&db.conn, &bureau(), id, after.version, &bad).await {
        Err(ServiceError::Invalid(errors)) => {
            assert_eq!(errors.for_field("area").next(), Some(&Problem::NotPositive));
            assert_eq!(errors.for_field("deadline").next(), Some(&Problem::EndBeforeStart));
        }
        other => panic!("expected field errors, got {other:?}"),
    }
    assert!(matches!(
        dashboard::update_target(&db.conn, &operator(&[]), id, after.version, &form).await,
        Err(ServiceError::Forbidden)
    ));
    assert!(matches!(
        dashboard::update_target(&db.conn, &bureau(), id + 1000, 0, &form).await,
        Err(ServiceError::NotFound)
    ));
    // The audit trail holds the change, with what the target was and became.
    let trail = service::audit::list(&db.conn, &bureau(), &domain::account::AuditQuery::default()).await.unwrap();
    let entry = trail.items.iter().find(|e| e.action == "target_changed").expect("the change is audited");
    assert_eq!(entry.entity_id, id);
    let json = |s: &Option<String>| serde_json::from_str::<serde_json::Value>(s.as_deref().unwrap()).unwrap();
    let (was, is) = (json(&entry.before), json(&entry.after));
    assert_eq!((was["area"].as_i64(), is["area"].as_i64()), (Some(5_000_000), Some(6_000_000)));
    assert_eq!(is["deadline"], "2028-06-30");
}

#[tokio::test]
async fn of_many_simultaneous_edits_of_one_target_from_one_version_exactly_one_is_saved() {
    let (db, _) = db_with_districts().await;
    let form = domain::dashboard::TargetForm {
        name_zh: "并发目标".into(),
        area: "1000".into(),
        base_date: "2025-01-01".into(),
        deadline: "2027-12-31".into(),
        ..Default::default()
    };
    let id = dashboard::add_target(&db.conn, &bureau(), &form).await.unwrap();
    let attempts: Vec<_> = (1..=8)
        .map(|n| {
            let conn = db.conn.clone();
            let edit = domain::dashboard::TargetForm { area: format!("{}", 1000 + n), ..form.clone() };
            tokio::spawn(async move { dashboard::update_target(&conn, &bureau(), id, 0, &edit).await })
        })
        .collect();
    let mut results = Vec::new();
    for attempt in attempts {
        results.push(attempt.await.unwrap());
    }
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
    assert!(results.iter().filter_map(|r| r.as_ref().err()).all(|e| matches!(e, ServiceError::Stale)), "{results:?}");
    let stored = dashboard::targets(&db.conn).await.unwrap().into_iter().find(|t| t.id == id).unwrap();
    assert_eq!(stored.version, 1, "one edit moved the version on");
    let trail = service::audit::list(&db.conn, &bureau(), &domain::account::AuditQuery::default()).await.unwrap();
    assert_eq!(trail.items.iter().filter(|e| e.action == "target_changed").count(), 1, "one change, audited once");
}

#[tokio::test]
async fn of_many_simultaneous_removals_of_one_target_exactly_one_removes_and_audits_it() {
    let (db, _) = db_with_districts().await;
    let form = domain::dashboard::TargetForm {
        name_zh: "并发删除目标".into(),
        area: "1000".into(),
        base_date: "2025-01-01".into(),
        deadline: "2027-12-31".into(),
        ..Default::default()
    };
    let id = dashboard::add_target(&db.conn, &bureau(), &form).await.unwrap();
    let attempts: Vec<_> = (0..8)
        .map(|_| {
            let conn = db.conn.clone();
            tokio::spawn(async move { dashboard::remove_target(&conn, &bureau(), id).await })
        })
        .collect();
    let mut results = Vec::new();
    for attempt in attempts {
        results.push(attempt.await.unwrap());
    }
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
    assert!(
        results.iter().filter_map(|r| r.as_ref().err()).all(|e| matches!(e, ServiceError::NotFound)),
        "{results:?}"
    );
    let trail = service::audit::list(&db.conn, &bureau(), &domain::account::AuditQuery::default()).await.unwrap();
    assert_eq!(trail.items.iter().filter(|e| e.action == "target_removed").count(), 1, "removed and audited once");
}

#[tokio::test]
async fn simultaneous_unit_changes_of_one_carrier_keep_the_roll_up_whole() {
    let (db, districts) = db_with_districts().await;
    let (carrier, floor) = carrier_with_floor(&db, districts[0], "并发面积孵化器", |_| {}).await;
    let on = day(2025, 5, 1);
    let writes: Vec<_> = (0..8)
        .map(|i| {
            let conn = db.conn.clone();
            let code = format!("P{i}");
            tokio::spawn(async move {
                spaces::add_unit(&conn, &operators(), floor, &code, &unit(&code, "100", "90", "tenant"), on, "并发新建")
                    .await
            })
        })
        .collect();
    for write in writes {
        write.await.unwrap().unwrap();
    }
    let own = spaces::area_totals(&db.conn, &bureau(), AreaScope::Carrier(carrier), on).await.unwrap();
    assert_eq!(own.total_gross(), m2(800));
    let view = dashboard::dashboard(&db.conn, &bureau(), on, None).await.unwrap();
    assert_eq!(view.totals.gross, m2(800), "every unit reached the roll-up");
}
