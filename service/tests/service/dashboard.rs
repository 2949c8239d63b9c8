//! The bureau's dashboard against a real database: its totals are the sums of the carriers' own
//! figures on every day asked, its breakdowns and trends add up, and the targets read the same
//! area; accreditation criteria against carriers built to pass and to fail each one.

use crate::support::{bureau, db_with_districts, draft, operator, operators};
use crate::tenancy::{carrier_with_units, day, startup, terms, under_review};
use chrono::NaiveDate;
use domain::carrier::CarrierQuery;
use domain::dashboard::TableKind;
use domain::readiness::{AnnualReturnForm, CriterionForm, Metric, Outcome};
use domain::space::{Change, ChangeAction, PlaceForm, UnitForm};
use domain::startup::{GraduationCriterion, StageEvent, TenantStage};
use domain::target::Projection;
use domain::{Area, CarrierId, DistrictId, Lang, Problem};
use sea_orm::{ActiveModelTrait, Set};
use service::entity::{startup as startup_entity, startup_year, tenant_event};
use service::spaces::{self, AreaScope};
use service::testing::TestDb;
use service::{ServiceError, applications, carriers, dashboard, leases, readiness, tenants};

fn unit(code: &str, gross: &str, usable: &str, category: &str) -> domain::space::UnitSpec {
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
async fn add(db: &TestDb, floor: i64, code: &str, gross: &str, usable: &str, category: &str, on: NaiveDate) -> i64 {
    spaces::add_unit(&db.conn, &operators(), floor, code, &unit(code, gross, usable, category), on, "新建")
        .await
        .unwrap()
}

/// A carrier of `kind` in `district` with one empty floor; returns it and the floor.
async fn carrier_with_floor(
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

fn change(action: ChangeAction, on: NaiveDate, spec: Option<domain::space::UnitSpec>) -> Change {
    Change { action, effective_on: on, reason: "测试变更".into(), spec }
}

fn m2(whole: i64) -> Area {
    Area::from_square_metres(whole)
}

fn today() -> NaiveDate {
    domain::time::china_date(chrono::Utc::now())
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
    let early = domain::lease::LeaseEvent {
        kind: domain::lease::LeaseEventKind::EndedEarly,
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
        let view = dashboard::dashboard(&db.conn, &bureau(), on, None).await.unwrap();
        let totals = view.totals();
        // The carriers' own figures: their area pages (the unit ledger) and their occupancy.
        let mut gross = Area::ZERO;
        let mut usable = Area::ZERO;
        let mut leased = Area::ZERO;
        for carrier in registered {
            let own =
                spaces::area_totals(&db.conn, &operator(&[carrier]), AreaScope::Carrier(carrier), on).await.unwrap();
            let occupancy =
                leases::occupancy_for(&db.conn, &operator(&[carrier]), AreaScope::Carrier(carrier), on).await.unwrap();
            let row = view.carriers.iter().find(|r| r.id == carrier).unwrap();
            assert_eq!(row.totals.gross, own.total_gross(), "carrier {carrier:?} on {on}");
            assert_eq!(row.totals.leased, occupancy.area_leased, "carrier {carrier:?} on {on}");
            gross = gross + own.total_gross();
            usable = usable + occupancy.area;
            leased = leased + occupancy.area_leased;
        }
        assert_eq!((totals.gross, totals.usable, totals.leased), (gross, usable, leased), "on {on}");
        assert_eq!(totals.carriers, 3, "the archived carrier is left out");
        // Every breakdown adds up to the same totals.
        for groups in [&view.by_district, &view.by_kind, &view.by_level, &view.by_model] {
            let sum: domain::dashboard::Totals = groups.iter().map(|g| g.totals).sum();
            assert_eq!(sum, totals, "on {on}");
        }
        // The trend ends on the day, at the same area; the city target reads it too.
        assert_eq!(view.monthly.last().copied(), Some((on, totals.gross)));
        let plan = view.targets.iter().find(|t| t.row.district.is_none()).unwrap();
        assert_eq!(plan.progress.current, totals.gross);
        // The city's own figures (the overview's) leave the archived carrier out too.
        let city = leases::occupancy(&db.conn, AreaScope::City, on).await.unwrap();
        assert_eq!((city.area, city.area_leased), (totals.usable, totals.leased), "on {on}");
        seen.push(view.carriers.clone());
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
        let view = dashboard::dashboard(&db.conn, &bureau(), on, None).await.unwrap();
        assert_eq!(view.carriers, seen[i], "after the rebuild, on {on}");
    }

    // Known figures, by hand. On 2024-12-31: A 330 m², B 650 + 300 + 120, C 2,000.
    let view = dashboard::dashboard(&db.conn, &bureau(), day(2024, 12, 31), None).await.unwrap();
    assert_eq!(view.totals().gross, m2(330 + 650 + 300 + 120 + 2000));
    // On 2025-07-01 B2 is out of service (and A's 101 has grown by 20 m² since April); the
    // monthly trend shows it at the end of June.
    let view = dashboard::dashboard(&db.conn, &bureau(), day(2025, 7, 1), None).await.unwrap();
    assert_eq!(view.totals().gross, m2(350 + 650 + 120 + 2000));
    let june = view.monthly.iter().find(|(d, _)| *d == day(2025, 6, 30)).unwrap();
    assert_eq!(june.1, m2(350 + 650 + 120 + 2000));
    let may = view.monthly.iter().find(|(d, _)| *d == day(2025, 5, 31)).unwrap();
    assert_eq!(may.1, m2(350 + 650 + 300 + 120 + 2000));
    // Quarterly additions: Q2 2025 lost B2's 300 m² in the second district.
    let q = view.quarters.iter().position(|q| q == "2025 Q2").unwrap();
    let second = view.quarterly.iter().find(|(zh, _, _)| *zh == view.districts[1].1).unwrap();
    assert_eq!(second.2[q], Area::ZERO - m2(300));
    // Tenants: three incubating at A (a lease ending early does not end the incubation), then
    // two after the graduation, which the flows show.
    assert_eq!(view.totals().tenants, 3);
    let today_view = dashboard::dashboard(&db.conn, &bureau(), today(), None).await.unwrap();
    assert_eq!((today_view.totals().tenants, today_view.totals().graduates), (2, 1));
    let listed = tenants::list(&db.conn, &operator(&[a]), a, today()).await.unwrap();
    assert_eq!(
        listed.iter().filter(|t| t.stage == TenantStage::Incubating).count() as u64,
        today_view.carriers.iter().find(|r| r.id == a).unwrap().totals.tenants,
        "the dashboard counts the tenants the carrier's tenant page lists"
    );
    let q3 = dashboard::dashboard(&db.conn, &bureau(), day(2025, 9, 30), None).await.unwrap();
    let flow = q3.flows.iter().find(|f| f.period == "2025 Q3").unwrap();
    assert_eq!(flow.graduated[0], 1, "one graduate as a high-tech enterprise");
    let q1 = q3.flows.iter().find(|f| f.period == "2025 Q1").unwrap();
    assert_eq!(q1.admitted, 3);

    // One district: only its carriers, and the carrier list behind the link shows the same area.
    let first = dashboard::dashboard(&db.conn, &bureau(), today(), Some(districts[0])).await.unwrap();
    let mut ids: Vec<CarrierId> = first.carriers.iter().map(|c| c.id).collect();
    ids.sort();
    assert_eq!(ids, vec![a, c]);
    // A today: 101 at 130 m², 102 out of service, 103 at 110 m²; C 2,000 m².
    assert_eq!(first.totals().gross, m2(130 + 110 + 2000));
    let query = CarrierQuery { district: Some(districts[0]), ..CarrierQuery::default() };
    let page = carriers::list(&db.conn, &bureau(), &query).await.unwrap();
    let listed: Area = page.items.iter().map(|r| r.gross).sum();
    assert_eq!(listed, first.totals().gross);
    assert_eq!(first.by_district.len(), 1);
    assert_eq!(first.by_district[0].href, format!("/carriers?district={}&on={}", districts[0].0, today()));
    // On a past day the link carries the day, and the list shows that day's figures.
    let past = CarrierQuery { on: Some(day(2024, 12, 31)), ..query };
    let listed: Area = carriers::list(&db.conn, &bureau(), &past).await.unwrap().items.iter().map(|r| r.gross).sum();
    assert_eq!(listed, m2(330 + 2000));

    // The exported table is the screen's table.
    let table = first.table(TableKind::Districts, Lang::Zh);
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
    let plan = &view.targets[0];
    assert_eq!(plan.row.target.area, m2(2_000_000));
    assert_eq!(plan.row.target.deadline, day(2020, 12, 31));
    assert_eq!(plan.progress.required_monthly, None, "the founding plan's deadline has passed");
    let district = &view.targets[1];
    // 1,200 of 2,400 m²: 50 %, 1,200 missing over 6 started months = 200 m² a month; the last
    // twelve months added 1,200 m² (100 a month), so 12 more months: June 2026.
    assert_eq!(district.progress.achieved_bp, 5_000);
    assert_eq!(district.progress.missing, m2(1_200));
    assert_eq!(district.progress.months_left, 6);
    assert_eq!(district.progress.required_monthly, Some(m2(200)));
    assert_eq!(district.progress.trend_monthly, m2(100));
    assert_eq!(district.progress.projection, Projection::On(day(2026, 6, 30)));
    // Filtering to another district hides this district's target.
    let other = dashboard::dashboard(&db.conn, &bureau(), day(2025, 6, 30), Some(districts[1])).await.unwrap();
    assert_eq!(other.targets.len(), 1);

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

/// Inserts a startup and its tenant events directly: readiness counts what is recorded.
async fn tenant(db: &TestDb, carrier: CarrierId, name: &str, events: &[(TenantStage, NaiveDate)]) -> i64 {
    let now = chrono::Utc::now();
    let s = startup_entity::ActiveModel {
        name: Set(name.into()),
        created_at: Set(now),
        updated_at: Set(now),
        founders: Set("[]".into()),
        team_size: Set(3),
        rd_staff: Set(1),
        patents_applied: Set(0),
        patents_granted: Set(0),
        software_copyrights: Set(0),
        version: Set(1),
        ..Default::default()
    }
    .insert(&db.conn)
    .await
    .unwrap();
    for (stage, on) in events {
        tenant_event::ActiveModel {
            startup_id: Set(s.id),
            carrier_id: Set(carrier.0),
            stage: Set(stage.code().into()),
            on_date: Set(*on),
            criterion: Set(None),
            note: Set(String::new()),
            author_email: Set("test".into()),
            recorded_at: Set(now),
            ..Default::default()
        }
        .insert(&db.conn)
        .await
        .unwrap();
    }
    s.id
}

fn outcome(lists: &[domain::readiness::Checklist], code: &str, metric: Metric) -> Outcome {
    let list = lists.iter().find(|l| l.rule_set.code == code).unwrap();
    list.checks.iter().find(|c| c.criterion.metric == metric).unwrap().outcome
}

#[tokio::test]
async fn each_national_incubator_criterion_passes_and_fails_on_the_carriers_records() {
    const SET: &str = "national_incubator_2018";
    let (db, districts) = db_with_districts().await;
    // Opened 2019-05-01; 70 units of 200 m² for tenants: 14,000 m².
    let (carrier, floor) = carrier_with_floor(&db, districts[0], "认定孵化器", |_| {}).await;
    for i in 0..70 {
        let code = format!("U{i:02}");
        add(&db, floor, &code, "200", "180", "tenant", day(2020, 1, 1)).await;
    }
    // 49 tenants from 2024-01-10, 21 more from 2024-02-01; 19 graduate on 2024-06-01, one more on
    // 2024-07-01.
    let mut ids = Vec::new();
    for i in 0..70 {
        let admitted = if i < 49 { day(2024, 1, 10) } else { day(2024, 2, 1) };
        let mut events = vec![(TenantStage::Incubating, admitted)];
        if i < 19 {
            events.push((TenantStage::Graduated, day(2024, 6, 1)));
        } else if i == 19 {
            events.push((TenantStage::Graduated, day(2024, 7, 1)));
        }
        ids.push(tenant(&db, carrier, &format!("认定企业{i:02}"), &events).await);
    }
    let check = |on: NaiveDate| {
        let db = &db;
        async move { readiness::checklists(&db.conn, &bureau(), carrier, on).await.unwrap() }
    };

    let jan = check(day(2024, 1, 31)).await;
    assert_eq!(outcome(&jan, SET, Metric::Tenants), Outcome::Fail, "49 tenants");
    let feb = check(day(2024, 2, 29)).await;
    assert_eq!(outcome(&feb, SET, Metric::Tenants), Outcome::Pass, "70 tenants");
    let june = check(day(2024, 6, 15)).await;
    assert_eq!(outcome(&june, SET, Metric::Graduates), Outcome::Fail, "19 graduates");
    let july = check(day(2024, 7, 15)).await;
    assert_eq!(outcome(&july, SET, Metric::Graduates), Outcome::Pass, "20 graduates");
    assert_eq!(outcome(&july, SET, Metric::Tenants), Outcome::Pass, "50 tenants");
    // 50 tenants on 14,000 m²: 3.57 per 1,000 m².
    assert_eq!(outcome(&july, SET, Metric::TenantsPer1000), Outcome::Pass);
    assert_eq!(outcome(&july, SET, Metric::GrossArea), Outcome::Pass);
    assert_eq!(outcome(&july, SET, Metric::TenantUseShare), Outcome::Pass);
    // Operating since May 2019: 36 months reached in May 2022.
    assert_eq!(outcome(&check(day(2022, 4, 30)).await, SET, Metric::OperatingMonths), Outcome::Fail);
    assert_eq!(outcome(&check(day(2022, 5, 1)).await, SET, Metric::OperatingMonths), Outcome::Pass);
    // No annual return yet: the fund, staff and mentors are unknown, not failed.
    for metric in [Metric::Fund, Metric::ProfessionalShare, Metric::StaffPer10Tenants, Metric::MentorsPer10Tenants] {
        assert_eq!(outcome(&july, SET, metric), Outcome::Unknown, "{metric:?}");
    }
    assert_eq!(outcome(&july, SET, Metric::ReportedYears), Outcome::Fail);
    assert_eq!(outcome(&july, SET, Metric::Review), Outcome::Unknown);

    // Returns for 2023 (too small) and 2024 (enough), filed by the carrier's operator.
    let ops = operator(&[carrier]);
    let mut form = AnnualReturnForm {
        year: "2023".into(),
        fund: "4,999,999".into(),
        income_rent: "1200000".into(),
        income_services: "300000".into(),
        income_investment: "0".into(),
        income_other: "0".into(),
        staff_total: "10".into(),
        staff_professional: "7".into(),
        mentors: "4".into(),
        typical_cases: "2".into(),
        events_held: "8".into(),
    };
    readiness::file_return(&db.conn, &ops, carrier, &form).await.unwrap();
    let with_2023 = check(day(2024, 7, 15)).await;
    assert_eq!(outcome(&with_2023, SET, Metric::Fund), Outcome::Fail, "4,999,999 yuan");
    assert_eq!(outcome(&with_2023, SET, Metric::ProfessionalShare), Outcome::Fail, "70 %");
    assert_eq!(outcome(&with_2023, SET, Metric::StaffPer10Tenants), Outcome::Pass, "7 for 50 tenants");
    assert_eq!(outcome(&with_2023, SET, Metric::MentorsPer10Tenants), Outcome::Fail, "4 for 50 tenants");
    assert_eq!(outcome(&with_2023, SET, Metric::ReportedYears), Outcome::Fail, "one year");
    form = AnnualReturnForm {
        year: "2024".into(),
        fund: "5000000".into(),
        staff_total: "10".into(),
        staff_professional: "8".into(),
        mentors: "5".into(),
        ..form
    };
    readiness::file_return(&db.conn, &ops, carrier, &form).await.unwrap();
    let with_2024 = check(day(2024, 7, 15)).await;
    let list = with_2024.iter().find(|l| l.rule_set.code == SET).unwrap();
    let fund = list.checks.iter().find(|c| c.criterion.metric == Metric::Fund).unwrap();
    assert_eq!(fund.outcome, Outcome::Pass);
    assert_eq!(fund.figure.value, Some(500_000_000));
    assert_eq!(fund.figure.source, domain::readiness::Source::AnnualReturn(2024), "the figure names its return");
    for metric in [Metric::ProfessionalShare, Metric::MentorsPer10Tenants, Metric::ReportedYears] {
        assert_eq!(outcome(&with_2024, SET, metric), Outcome::Pass, "{metric:?}");
    }

    // Patents (第十条（五）: "已申请专利的企业占在孵企业总数比例不低于50%或拥有有效知识产权的企业
    // 占比不低于30%"): 24 of the 50 tenants applied (48 %) fails unless 30 % hold IP.
    let incubating: Vec<i64> = ids[20..].to_vec();
    for (i, id) in incubating.iter().enumerate() {
        let mut s: startup_entity::ActiveModel = startup_entity::ActiveModel { id: Set(*id), ..Default::default() };
        s.patents_applied = Set(if i < 24 { 1 } else { 0 });
        s.software_copyrights = Set(if i < 14 { 1 } else { 0 });
        s.update(&db.conn).await.unwrap();
    }
    let patents = check(day(2024, 7, 15)).await;
    assert_eq!(outcome(&patents, SET, Metric::PatentShare), Outcome::Fail, "48 % applied and 28 % hold IP");
    let mut s = startup_entity::ActiveModel { id: Set(incubating[34]), ..Default::default() };
    s.software_copyrights = Set(1);
    s.update(&db.conn).await.unwrap();
    assert_eq!(outcome(&check(day(2024, 7, 15)).await, SET, Metric::PatentShare), Outcome::Pass, "30 % hold IP");

    // Financing: 4 of 50 (8 %) fails, 5 (10 %) passes.
    for id in &incubating[..4] {
        startup_year::ActiveModel {
            startup_id: Set(*id),
            year: Set(2023),
            revenue_fen: Set(0),
            rd_spend_fen: Set(0),
            financing_fen: Set(100_000_000),
        }
        .insert(&db.conn)
        .await
        .unwrap();
    }
    assert_eq!(outcome(&check(day(2024, 7, 15)).await, SET, Metric::FinancedShare), Outcome::Fail);
    startup_year::ActiveModel {
        startup_id: Set(incubating[4]),
        year: Set(2024),
        revenue_fen: Set(0),
        rd_spend_fen: Set(0),
        financing_fen: Set(100_000_000),
    }
    .insert(&db.conn)
    .await
    .unwrap();
    assert_eq!(outcome(&check(day(2024, 7, 15)).await, SET, Metric::FinancedShare), Outcome::Pass);

    // Area: a second, small carrier fails the area, the use share and the density.
    let (small, small_floor) = carrier_with_floor(&db, districts[1], "小型孵化器", |_| {}).await;
    add(&db, small_floor, "S1", "9999.99", "9000", "tenant", day(2020, 1, 1)).await;
    add(&db, small_floor, "S2", "4000", "3800", "operator", day(2020, 1, 1)).await;
    let small_list = readiness::checklists(&db.conn, &bureau(), small, day(2024, 7, 15)).await.unwrap();
    // 13,999.99 m², of which 9,999.99 for tenants: 71.43 %.
    assert_eq!(outcome(&small_list, SET, Metric::GrossArea), Outcome::Pass);
    assert_eq!(outcome(&small_list, SET, Metric::TenantUseShare), Outcome::Fail);
    assert_eq!(outcome(&small_list, SET, Metric::TenantsPer1000), Outcome::Fail, "no tenants");
    assert_eq!(outcome(&small_list, SET, Metric::InvestedStartups), Outcome::Fail, "no stakes");
    spaces::change_unit(
        &db.conn,
        &operators(),
        small_floor_unit(&db, small).await,
        &change(ChangeAction::Remove, day(2024, 1, 1), None),
    )
    .await
    .unwrap();
    let smaller = readiness::checklists(&db.conn, &bureau(), small, day(2024, 7, 15)).await.unwrap();
    assert_eq!(outcome(&smaller, SET, Metric::GrossArea), Outcome::Fail, "9,999.99 m²");

    // The operator of one carrier cannot read another's checklist.
    assert!(matches!(
        readiness::checklists(&db.conn, &operator(&[small]), carrier, day(2024, 7, 15)).await,
        Err(ServiceError::Forbidden)
    ));
}

#[tokio::test]
async fn a_specialised_or_relaxed_incubator_is_checked_against_its_own_variant_of_the_rules() {
    let (db, districts) = db_with_districts().await;
    // A specialised incubator in a hardship area: 9,000 m² and 32 tenants, 26 of them (81 %) in
    // one industry; 8,000 m² suffice with the relaxation, 30 tenants for a specialised one.
    let (carrier, floor) = carrier_with_floor(&db, districts[0], "专业孵化器", |f| {
        f.specialised = "on".into();
        f.relaxed = "on".into();
    })
    .await;
    add(&db, floor, "P1", "9000", "8000", "tenant", day(2020, 1, 1)).await;
    let mut ids = Vec::new();
    for i in 0..32 {
        ids.push(
            tenant(&db, carrier, &format!("专业企业{i:02}"), &[(TenantStage::Incubating, day(2024, 1, 10))]).await,
        );
    }
    for (i, id) in ids.iter().enumerate() {
        let industry = if i < 26 { "biomedicine" } else { "new_materials" };
        let mut s = startup_entity::ActiveModel { id: Set(*id), ..Default::default() };
        s.industry = Set(Some(industry.into()));
        s.update(&db.conn).await.unwrap();
    }
    let lists = readiness::checklists(&db.conn, &bureau(), carrier, day(2024, 7, 15)).await.unwrap();
    let codes: Vec<&str> = lists.iter().map(|l| l.rule_set.code.as_str()).collect();
    assert_eq!(codes, vec!["national_incubator_2018_specialised_relaxed"], "only its own variant");
    const BOTH: &str = "national_incubator_2018_specialised_relaxed";
    assert_eq!(outcome(&lists, BOTH, Metric::GrossArea), Outcome::Pass, "9,000 ≥ 8,000 m²");
    assert_eq!(outcome(&lists, BOTH, Metric::Tenants), Outcome::Pass, "32 ≥ 24");
    assert_eq!(outcome(&lists, BOTH, Metric::IndustryShare), Outcome::Pass, "81.25 % in one industry");
    assert_eq!(outcome(&lists, BOTH, Metric::ConcentratedSite), Outcome::Pass, "one site");
    let list = lists.iter().find(|l| l.rule_set.code == BOTH).unwrap();
    let industry = list.checks.iter().find(|c| c.criterion.metric == Metric::IndustryShare).unwrap();
    assert_eq!(industry.figure.value, Some(8_125));
    // The readiness list of a variant shows the carriers of that variant only.
    let sets = readiness::rule_sets(&db.conn, &bureau()).await.unwrap();
    let general = sets.iter().find(|s| s.code == "national_incubator_2018").unwrap();
    let both = sets.iter().find(|s| s.code == BOTH).unwrap();
    assert!(both.specialised && both.relaxed);
    let listed = |set: i64| {
        let db = &db;
        async move { readiness::readiness(&db.conn, &bureau(), set, None, day(2024, 7, 15), 1).await.unwrap() }
    };
    assert!(listed(both.id).await.rows.iter().any(|r| r.carrier == carrier));
    assert!(!listed(general.id).await.rows.iter().any(|r| r.carrier == carrier));

    // Back to a general incubator: checked against the general rules, where 32 tenants fail.
    let current = carriers::get(&db.conn, &bureau(), carrier).await.unwrap();
    let mut form = domain::carrier::CarrierForm::from(&current.data);
    form.specialised = String::new();
    form.relaxed = String::new();
    carriers::update(&db.conn, &bureau(), carrier, current.version, &form.parse(today()).unwrap()).await.unwrap();
    let lists = readiness::checklists(&db.conn, &bureau(), carrier, day(2024, 7, 15)).await.unwrap();
    assert_eq!(lists.len(), 1);
    assert_eq!(outcome(&lists, "national_incubator_2018", Metric::Tenants), Outcome::Fail, "32 < 50");
    assert_eq!(outcome(&lists, "national_incubator_2018", Metric::GrossArea), Outcome::Fail, "9,000 < 10,000 m²");
}

#[tokio::test]
async fn metrics_the_bureau_may_add_read_the_equity_ledger_and_the_returns() {
    let (db, districts) = db_with_districts().await;
    let (carrier, floor) = carrier_with_floor(&db, districts[0], "指标孵化器", |_| {}).await;
    add(&db, floor, "M1", "1000", "900", "tenant", day(2020, 1, 1)).await;
    let mut ids = Vec::new();
    for i in 0..4 {
        ids.push(tenant(&db, carrier, &format!("指标企业{i}"), &[(TenantStage::Incubating, day(2023, 1, 10))]).await);
    }
    // Revenue: two tenants reported 2022 and 2023; 1,000,000 → 1,250,000 yuan in all: +25 %.
    for (id, before, after) in [(ids[0], 600_000, 700_000), (ids[1], 400_000, 550_000)] {
        for (year, yuan) in [(2022, before), (2023, after)] {
            startup_year::ActiveModel {
                startup_id: Set(id),
                year: Set(year),
                revenue_fen: Set(yuan * 100),
                rd_spend_fen: Set(0),
                financing_fen: Set(0),
            }
            .insert(&db.conn)
            .await
            .unwrap();
        }
    }
    // Income: 1,200,000 rent of 1,500,000 in all: 20 % not rent.
    let form = AnnualReturnForm {
        year: "2023".into(),
        fund: "0".into(),
        income_rent: "1200000".into(),
        income_services: "200000".into(),
        income_investment: "100000".into(),
        income_other: "0".into(),
        staff_total: "5".into(),
        staff_professional: "4".into(),
        mentors: "2".into(),
        typical_cases: "1".into(),
        events_held: "3".into(),
    };
    readiness::file_return(&db.conn, &operator(&[carrier]), carrier, &form).await.unwrap();
    // The bureau adds criteria on the new metrics to the general set, without a code change.
    let sets = readiness::rule_sets(&db.conn, &bureau()).await.unwrap();
    let set = sets.iter().find(|s| s.code == "national_incubator_2018").unwrap().id;
    for (metric, threshold) in
        [("revenue_growth", "20"), ("non_rent_income_share", "20"), ("invested_share", "25"), ("industry_share", "75")]
    {
        let criterion = CriterionForm {
            label_zh: format!("{metric} 测试"),
            metric: metric.into(),
            threshold: threshold.into(),
            ..Default::default()
        };
        readiness::save_criterion(&db.conn, &bureau(), set, None, &criterion).await.unwrap();
    }
    let on = day(2024, 3, 31);
    let lists = readiness::checklists(&db.conn, &bureau(), carrier, on).await.unwrap();
    let figure = |metric: Metric| {
        let list = lists.iter().find(|l| l.rule_set.code == "national_incubator_2018").unwrap();
        list.checks.iter().find(|c| c.criterion.metric == metric).unwrap().clone()
    };
    assert_eq!(figure(Metric::RevenueGrowth).figure.value, Some(2_500));
    assert_eq!(figure(Metric::RevenueGrowth).outcome, Outcome::Pass);
    assert_eq!(figure(Metric::NonRentIncomeShare).figure.value, Some(2_000));
    assert_eq!(figure(Metric::NonRentIncomeShare).outcome, Outcome::Pass);
    assert_eq!(figure(Metric::InvestedShare).figure.value, Some(0), "no stakes yet");
    assert_eq!(figure(Metric::InvestedShare).outcome, Outcome::Fail);
    assert_eq!(figure(Metric::InvestedShare).figure.source, domain::readiness::Source::EquityLedger);
    assert_eq!(figure(Metric::IndustryShare).figure.value, Some(0), "no tenant named its industry");
}

/// 第十条（九）: "孵化时限不超过48个月，从事生物医药、集成电路设计、现代农业等特殊领域的创业企业不超过
/// 60个月" — past it, a tenant is no longer counted as in incubation, in any figure.
#[tokio::test]
async fn tenants_past_their_incubation_limit_stop_counting_as_in_incubation() {
    let (db, districts) = db_with_districts().await;
    let (carrier, floor) = carrier_with_floor(&db, districts[0], "期限孵化器", |_| {}).await;
    add(&db, floor, "L1", "1000", "900", "tenant", day(2020, 1, 1)).await;
    let plain = tenant(&db, carrier, "期限普通企业", &[(TenantStage::Incubating, day(2020, 3, 1))]).await;
    let bio = tenant(&db, carrier, "期限生物企业", &[(TenantStage::Incubating, day(2020, 3, 1))]).await;
    for (id, industry) in [(plain, "new_materials"), (bio, "biomedicine")] {
        let mut s = startup_entity::ActiveModel { id: Set(id), ..Default::default() };
        s.industry = Set(Some(industry.into()));
        s.update(&db.conn).await.unwrap();
    }
    let counted = |on: NaiveDate| {
        let db = &db;
        async move {
            let dashboard = dashboard::figures(&db.conn, None, Some(&[carrier]), on).await.unwrap()[0].totals.tenants;
            let lists = readiness::checklists(&db.conn, &bureau(), carrier, on).await.unwrap();
            let list = lists.iter().find(|l| l.rule_set.code == "national_incubator_2018").unwrap();
            let readiness = list.checks.iter().find(|c| c.criterion.metric == Metric::Tenants).unwrap().figure.value;
            assert_eq!(Some(dashboard as i64), readiness, "the dashboard and readiness agree on {on}");
            dashboard
        }
    };
    assert_eq!(counted(day(2024, 2, 29)).await, 2, "47 months: both");
    assert_eq!(counted(day(2024, 3, 1)).await, 1, "48 months: only the biomedicine tenant");
    assert_eq!(counted(day(2025, 2, 28)).await, 1, "59 months");
    assert_eq!(counted(day(2025, 3, 1)).await, 0, "60 months: neither");
    // The tenant list flags both from their warning month and says who is past the limit.
    let listed = tenants::list(&db.conn, &operator(&[carrier]), carrier, day(2024, 6, 1)).await.unwrap();
    let flags = |id: i64| {
        let t = listed.iter().find(|t| t.startup.0 == id).unwrap();
        (t.near_limit, t.past_limit)
    };
    assert_eq!(flags(plain), (true, true));
    assert_eq!(flags(bio), (false, false), "month 51 of 60: not yet warned");
}

/// The operator-use unit of the small carrier.
async fn small_floor_unit(db: &TestDb, carrier: CarrierId) -> i64 {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    service::entity::unit::Entity::find()
        .filter(service::entity::unit::Column::CarrierId.eq(carrier.0))
        .filter(service::entity::unit::Column::Code.eq("S2"))
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn maker_space_criteria_take_alternatives_and_yearly_counts() {
    const SET: &str = "national_maker_space";
    let (db, districts) = db_with_districts().await;
    let (space, floor) = carrier_with_floor(&db, districts[0], "备案众创空间", |f| {
        f.kind = "maker_space".into();
        f.opened_on = "2023-01-01".into();
    })
    .await;
    // 400 m² and 30 desks: the area fails but the workstations carry the criterion.
    let desks = UnitForm {
        code: "W1".into(),
        kind: "open_workstations".into(),
        gross_area: "400".into(),
        usable_area: "380".into(),
        use_category: "tenant".into(),
        desks: "29".into(),
        list_rent: "300".into(),
        rent_basis: "per_desk".into(),
    };
    let w1 =
        spaces::add_unit(&db.conn, &operators(), floor, "W1", &desks.parse_spec().unwrap(), day(2023, 1, 1), "新建")
            .await
            .unwrap();
    let lists = readiness::checklists(&db.conn, &bureau(), space, day(2024, 7, 1)).await.unwrap();
    assert_eq!(lists.len(), 1, "a maker space is checked against the maker-space set only");
    assert_eq!(outcome(&lists, SET, Metric::GrossArea), Outcome::Fail, "400 m² and 29 desks");
    assert_eq!(outcome(&lists, SET, Metric::OperatingMonths), Outcome::Pass, "18 months on 1 July 2024");
    let more = UnitForm { desks: "30".into(), ..desks };
    spaces::change_unit(
        &db.conn,
        &operators(),
        w1,
        &change(ChangeAction::Update, day(2024, 1, 1), Some(more.parse_spec().unwrap())),
    )
    .await
    .unwrap();
    let lists = readiness::checklists(&db.conn, &bureau(), space, day(2024, 7, 1)).await.unwrap();
    assert_eq!(outcome(&lists, SET, Metric::GrossArea), Outcome::Pass, "30 desks");
    assert_eq!(
        outcome(
            &readiness::checklists(&db.conn, &bureau(), space, day(2024, 6, 29)).await.unwrap(),
            SET,
            Metric::OperatingMonths
        ),
        Outcome::Fail
    );

    // 20 admitted within twelve months passes, 19 fails; 10 of them founded within the year.
    for i in 0..20 {
        let admitted = if i < 19 { day(2024, 3, 1) } else { day(2024, 5, 1) };
        let id = tenant(&db, space, &format!("团队{i:02}"), &[(TenantStage::Incubating, admitted)]).await;
        let founded = if i < 9 {
            Some(day(2024, 1, 15))
        } else if i == 19 {
            Some(day(2024, 4, 20))
        } else {
            None
        };
        let mut s = startup_entity::ActiveModel { id: Set(id), ..Default::default() };
        s.founded_on = Set(founded);
        s.update(&db.conn).await.unwrap();
    }
    let april = readiness::checklists(&db.conn, &bureau(), space, day(2024, 4, 30)).await.unwrap();
    assert_eq!(outcome(&april, SET, Metric::AdmittedLastYear), Outcome::Fail);
    assert_eq!(outcome(&april, SET, Metric::NewCompaniesLastYear), Outcome::Fail, "9 new, none financed");
    let may = readiness::checklists(&db.conn, &bureau(), space, day(2024, 5, 31)).await.unwrap();
    assert_eq!(outcome(&may, SET, Metric::AdmittedLastYear), Outcome::Pass);
    assert_eq!(outcome(&may, SET, Metric::NewCompaniesLastYear), Outcome::Pass, "10 new companies");
    // A year later the admissions have aged out.
    let later = readiness::checklists(&db.conn, &bureau(), space, day(2025, 5, 31)).await.unwrap();
    assert_eq!(outcome(&later, SET, Metric::AdmittedLastYear), Outcome::Fail);

    // The annual return's counts, each at its threshold and one below.
    let form = |cases: &str, staff: &str, mentors: &str, events: &str| AnnualReturnForm {
        year: "2024".into(),
        fund: "0".into(),
        income_rent: "0".into(),
        income_services: "0".into(),
        income_investment: "0".into(),
        income_other: "0".into(),
        staff_total: "5".into(),
        staff_professional: staff.into(),
        mentors: mentors.into(),
        typical_cases: cases.into(),
        events_held: events.into(),
    };
    readiness::file_return(&db.conn, &operators(), space, &form("2", "2", "2", "9")).await.unwrap();
    let low = readiness::checklists(&db.conn, &bureau(), space, day(2024, 12, 31)).await.unwrap();
    for metric in [Metric::TypicalCases, Metric::ProfessionalStaff, Metric::Mentors, Metric::EventsHeld] {
        assert_eq!(outcome(&low, SET, metric), Outcome::Fail, "{metric:?}");
    }
    assert_eq!(outcome(&low, SET, Metric::ReportedYears), Outcome::Pass);
    readiness::file_return(&db.conn, &operators(), space, &form("3", "3", "3", "10")).await.unwrap();
    let ok = readiness::checklists(&db.conn, &bureau(), space, day(2024, 12, 31)).await.unwrap();
    for metric in [Metric::TypicalCases, Metric::ProfessionalStaff, Metric::Mentors, Metric::EventsHeld] {
        assert_eq!(outcome(&ok, SET, metric), Outcome::Pass, "{metric:?}");
    }
}

#[tokio::test]
async fn the_bureau_edits_a_rule_set_and_checklists_follow() {
    let (db, districts) = db_with_districts().await;
    let (space, floor) = carrier_with_floor(&db, districts[0], "规则众创空间", |f| f.kind = "maker_space".into()).await;
    add(&db, floor, "R1", "450", "400", "tenant", day(2023, 1, 1)).await;
    let sets = readiness::rule_sets(&db.conn, &bureau()).await.unwrap();
    let set = sets.iter().find(|s| s.code == "national_maker_space").unwrap();
    let area = set.criteria.iter().find(|c| c.metric == Metric::GrossArea).unwrap();
    let before = readiness::checklists(&db.conn, &bureau(), space, day(2024, 6, 30)).await.unwrap();
    assert_eq!(outcome(&before, "national_maker_space", Metric::GrossArea), Outcome::Fail);

    // A local rule: 400 m² is enough.
    let mut form = CriterionForm::from_criterion(area);
    form.threshold = "400".into();
    readiness::save_criterion(&db.conn, &bureau(), set.id, Some(area.id), &form).await.unwrap();
    let after = readiness::checklists(&db.conn, &bureau(), space, day(2024, 6, 30)).await.unwrap();
    assert_eq!(outcome(&after, "national_maker_space", Metric::GrossArea), Outcome::Pass);

    // A bad threshold is refused with its field, and nothing changes.
    form.threshold = "四百".into();
    match readiness::save_criterion(&db.conn, &bureau(), set.id, Some(area.id), &form).await {
        Err(ServiceError::Invalid(errors)) => assert!(errors.has("threshold")),
        other => panic!("expected a field error, got {other:?}"),
    }
    // Operators may read the rules but not change them.
    assert!(matches!(
        readiness::save_criterion(
            &db.conn,
            &operator(&[space]),
            set.id,
            Some(area.id),
            &CriterionForm::from_criterion(area)
        )
        .await,
        Err(ServiceError::Forbidden)
    ));
    // A criterion added, then removed.
    let added = readiness::save_criterion(
        &db.conn,
        &bureau(),
        set.id,
        None,
        &CriterionForm {
            label_zh: "累计毕业团队不少于5个".into(),
            label_en: "".into(),
            metric: "graduates".into(),
            threshold: "5".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let lists = readiness::checklists(&db.conn, &bureau(), space, day(2024, 6, 30)).await.unwrap();
    assert_eq!(lists[0].checks.last().unwrap().criterion.id, added);
    assert_eq!(lists[0].checks.last().unwrap().outcome, Outcome::Fail);
    readiness::remove_criterion(&db.conn, &bureau(), set.id, added).await.unwrap();
    let view = readiness::readiness(&db.conn, &bureau(), set.id, None, day(2024, 6, 30), 1).await.unwrap();
    assert_eq!(view.rows.len(), 1);
    assert_eq!(view.rows[0].pass + view.rows[0].fail + view.rows[0].unknown, view.rule_set.criteria.len());
    // An operator sees the same rules, their own carriers only, and may not edit.
    let (other, _) = carrier_with_floor(&db, districts[1], "别家众创空间", |f| f.kind = "maker_space".into()).await;
    let bureau_view = readiness::readiness(&db.conn, &bureau(), set.id, None, day(2024, 6, 30), 1).await.unwrap();
    assert_eq!(bureau_view.rows.len(), 2);
    let own = readiness::readiness(&db.conn, &operator(&[space]), set.id, None, day(2024, 6, 30), 1).await.unwrap();
    assert_eq!(own.rows.iter().map(|r| r.carrier).collect::<Vec<_>>(), vec![space]);
    assert!(!own.can_edit);
    let _ = other;
}

#[tokio::test]
async fn the_annual_statistics_report_counts_the_year_in_thousands_of_yuan() {
    let (db, districts) = db_with_districts().await;
    let (carrier, floor) = carrier_with_floor(&db, districts[0], "统计孵化器", |_| {}).await;
    add(&db, floor, "A1", "1000", "900", "tenant", day(2023, 1, 1)).await;
    add(&db, floor, "A2", "250.5", "200", "public_service", day(2023, 1, 1)).await;
    let t = tenant(&db, carrier, "统计企业", &[(TenantStage::Incubating, day(2024, 3, 1))]).await;
    tenant(
        &db,
        carrier,
        "统计毕业企业",
        &[(TenantStage::Incubating, day(2022, 3, 1)), (TenantStage::Graduated, day(2024, 9, 1))],
    )
    .await;
    startup_year::ActiveModel {
        startup_id: Set(t),
        year: Set(2024),
        revenue_fen: Set(0),
        rd_spend_fen: Set(0),
        financing_fen: Set(123_456_700),
    }
    .insert(&db.conn)
    .await
    .unwrap();
    let form = AnnualReturnForm {
        year: "2024".into(),
        fund: "5,000,000".into(),
        income_rent: "1,234,567.89".into(),
        income_services: "500".into(),
        income_investment: "0".into(),
        income_other: "0".into(),
        staff_total: "12".into(),
        staff_professional: "10".into(),
        mentors: "6".into(),
        typical_cases: "3".into(),
        events_held: "12".into(),
    };
    readiness::file_return(&db.conn, &operator(&[carrier]), carrier, &form).await.unwrap();
    let rows = readiness::torch_report(&db.conn, &operator(&[carrier]), Some(carrier), 2024).await.unwrap();
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    let col = |name: &str| row[readiness::TORCH_COLUMNS.iter().position(|c| *c == name).unwrap()].as_str();
    assert_eq!(col("场地总面积（㎡）"), "1250.50");
    assert_eq!(col("公共服务面积（㎡）"), "250.50");
    assert_eq!(col("年末在孵企业数"), "1");
    assert_eq!(col("当年新入驻企业数"), "1");
    assert_eq!(col("当年毕业企业数"), "1");
    assert_eq!(col("孵化基金总额（千元）"), "5000");
    assert_eq!(col("在孵企业当年获得融资额（千元）"), "1235", "1,234,567 yuan");
    assert_eq!(col("总收入（千元）"), "1235", "1,235,067.89 yuan");
    assert_eq!(col("房租及物业收入（千元）"), "1235");
    assert_eq!(col("综合服务收入（千元）"), "1", "500 yuan rounds half up");
    // The whole city's report is the bureau's; an operator asking for it is refused.
    assert!(matches!(
        readiness::torch_report(&db.conn, &operator(&[carrier]), None, 2024).await,
        Err(ServiceError::Forbidden)
    ));
    assert_eq!(readiness::torch_report(&db.conn, &bureau(), None, 2024).await.unwrap(), rows);
    // The same form refiled with a future year is refused and the report keeps its figures.
    let future = AnnualReturnForm { year: "2999".into(), ..form };
    assert!(matches!(
        readiness::file_return(&db.conn, &operator(&[carrier]), carrier, &future).await,
        Err(ServiceError::Invalid(_))
    ));
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
    assert_eq!(view.totals().gross, m2(800), "every unit reached the roll-up");
}
