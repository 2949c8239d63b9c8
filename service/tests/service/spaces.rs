use crate::support::{bureau, db_with_districts, draft, operator, operators};
use chrono::NaiveDate;
use domain::space::import::UnitRecord;
use domain::space::{Change, ChangeAction, PlaceForm, UnitForm, UnitSpec, UseCategory};
use domain::{Area, CarrierId, DistrictId, Problem};
use service::spaces::{self, AreaScope};
use service::testing::TestDb;
use service::{ServiceError, carriers};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn spec(kind: &str, gross: &str, usable: &str, category: &str, desks: &str) -> UnitSpec {
    UnitForm {
        code: "X".into(),
        kind: kind.into(),
        gross_area: gross.into(),
        usable_area: usable.into(),
        use_category: category.into(),
        desks: desks.into(),
        list_rent: "45".into(),
        rent_basis: "per_m2".into(),
    }
    .parse_spec()
    .unwrap()
}

fn office(gross: &str) -> UnitSpec {
    spec("private_office", gross, gross, "tenant", "")
}

/// A carrier with one site, one building and the given floors.
async fn building_with_floors(
    db: &TestDb,
    district: DistrictId,
    name: &str,
    floors: &[&str],
) -> (CarrierId, i64, i64, Vec<i64>) {
    let carrier = carriers::create(&db.conn, &bureau(), &draft(name, district, |_| {})).await.unwrap();
    let site = spaces::create_site(
        &db.conn,
        &operators(),
        carrier,
        &PlaceForm { name: format!("{name}园区"), address: "临沂市测试路1号".into() },
    )
    .await
    .unwrap();
    let building = spaces::create_building(&db.conn, &operators(), site, "A座").await.unwrap();
    let mut floor_ids = Vec::new();
    for label in floors {
        floor_ids.push(spaces::create_floor(&db.conn, &operators(), building, label).await.unwrap());
    }
    (carrier, site, building, floor_ids)
}

async fn gross(db: &TestDb, scope: AreaScope, on: NaiveDate) -> Area {
    spaces::totals(&db.conn, scope, on).await.unwrap().total_gross()
}

fn change(action: ChangeAction, on: NaiveDate, spec: Option<UnitSpec>) -> Change {
    Change { action, effective_on: on, reason: "测试变更".into(), spec }
}

#[tokio::test]
async fn totals_reconcile_from_unit_to_city_today_and_on_past_dates() {
    let (db, districts) = db_with_districts().await;
    let (a, a_site, a_building, a_floors) = building_with_floors(&db, districts[0], "甲孵化器", &["1F", "2F"]).await;
    let (b, b_site, b_building, b_floors) = building_with_floors(&db, districts[0], "乙孵化器", &["3F"]).await;
    let (c, _, _, c_floors) = building_with_floors(&db, districts[1], "丙孵化器", &["B1", "1F"]).await;

    // Units added on different days, in different categories, one resized later, one taken out
    // of service, one removed.
    let mut units = Vec::new();
    let plan = [
        (a_floors[0], "101", office("100.25"), day(2023, 1, 10)),
        (a_floors[0], "102", spec("public_service", "40.50", "38", "public_service", ""), day(2023, 6, 1)),
        (a_floors[1], "201", spec("open_workstations", "220", "200.75", "tenant", "40"), day(2024, 2, 29)),
        (b_floors[0], "301", spec("operator_office", "35.33", "30", "operator", ""), day(2022, 12, 31)),
        (b_floors[0], "302", office("77.77"), day(2024, 7, 1)),
        (c_floors[0], "B101", spec("lab_workshop", "500", "480", "tenant", ""), day(2021, 5, 5)),
        (c_floors[1], "1001", office("88.88"), day(2025, 1, 1)),
    ];
    for (floor, code, unit_spec, on) in plan {
        units.push(spaces::add_unit(&db.conn, &operators(), floor, code, &unit_spec, on, "新建").await.unwrap());
    }
    spaces::change_unit(
        &db.conn,
        &operators(),
        units[0],
        &change(ChangeAction::Update, day(2024, 3, 1), Some(office("120.00"))),
    )
    .await
    .unwrap();
    spaces::change_unit(&db.conn, &operators(), units[3], &change(ChangeAction::OutOfService, day(2024, 9, 1), None))
        .await
        .unwrap();
    spaces::change_unit(&db.conn, &operators(), units[5], &change(ChangeAction::Remove, day(2025, 6, 30), None))
        .await
        .unwrap();

    for on in
        [day(2022, 1, 1), day(2023, 5, 31), day(2024, 3, 1), day(2024, 12, 31), day(2025, 7, 1), day(2026, 11, 27)]
    {
        let at = |scope| spaces::totals(&db.conn, scope, on);
        let mut unit_sum = domain::space::AreaTotals::default();
        for unit in &units {
            unit_sum = unit_sum + at(AreaScope::Unit(*unit)).await.unwrap();
        }
        let mut floor_sum = domain::space::AreaTotals::default();
        for floor in a_floors.iter().chain(&b_floors).chain(&c_floors) {
            floor_sum = floor_sum + at(AreaScope::Floor(*floor)).await.unwrap();
        }
        let buildings =
            at(AreaScope::Building(a_building)).await.unwrap() + at(AreaScope::Building(b_building)).await.unwrap();
        let sites = at(AreaScope::Site(a_site)).await.unwrap() + at(AreaScope::Site(b_site)).await.unwrap();
        let carriers_ab = at(AreaScope::Carrier(a)).await.unwrap() + at(AreaScope::Carrier(b)).await.unwrap();
        let district_0 = at(AreaScope::District(districts[0])).await.unwrap();
        let district_1 = at(AreaScope::District(districts[1])).await.unwrap();
        let city = at(AreaScope::City).await.unwrap();

        assert_eq!(unit_sum, floor_sum, "units → floors on {on}");
        assert_eq!(floor_sum, city, "floors → city on {on}");
        assert_eq!(buildings, sites, "buildings → sites on {on}");
        assert_eq!(sites, carriers_ab, "sites → carriers on {on}");
        assert_eq!(carriers_ab, district_0, "carriers → district on {on}");
        assert_eq!(district_0 + district_1, city, "districts → city on {on}");
        assert_eq!(district_1, at(AreaScope::Carrier(c)).await.unwrap());
    }

    // And the figures themselves, worked out by hand.
    assert_eq!(gross(&db, AreaScope::City, day(2022, 1, 1)).await, Area::parse("500").unwrap());
    assert_eq!(gross(&db, AreaScope::City, day(2023, 5, 31)).await, Area::parse("635.58").unwrap());
    assert_eq!(gross(&db, AreaScope::City, day(2024, 12, 31)).await, Area::parse("958.27").unwrap());
    assert_eq!(gross(&db, AreaScope::City, day(2026, 11, 27)).await, Area::parse("547.15").unwrap());
    let today = spaces::totals(&db.conn, AreaScope::City, day(2026, 11, 27)).await.unwrap();
    assert_eq!(today.out_of_service_gross, Area::parse("35.33").unwrap());
    assert_eq!(today.units, 5);
    assert_eq!(today.desks, 40);
    assert_eq!(today.gross_of(UseCategory::PublicService), Area::parse("40.50").unwrap());
}

#[tokio::test]
async fn a_change_dated_in_the_past_shows_from_its_date_and_not_before() {
    let (db, districts) = db_with_districts().await;
    let (carrier, _, _, floors) = building_with_floors(&db, districts[0], "回溯孵化器", &["1F"]).await;
    let unit = spaces::add_unit(&db.conn, &operators(), floors[0], "101", &office("100"), day(2024, 1, 1), "新建")
        .await
        .unwrap();
    // Recorded today, effective last spring.
    spaces::change_unit(
        &db.conn,
        &operators(),
        unit,
        &change(ChangeAction::Update, day(2025, 4, 1), Some(office("150"))),
    )
    .await
    .unwrap();
    assert_eq!(gross(&db, AreaScope::Carrier(carrier), day(2025, 3, 31)).await, Area::parse("100").unwrap());
    assert_eq!(gross(&db, AreaScope::Carrier(carrier), day(2025, 4, 1)).await, Area::parse("150").unwrap());

    // A later-recorded change dated between them slots into the history.
    spaces::change_unit(
        &db.conn,
        &operators(),
        unit,
        &change(ChangeAction::Update, day(2024, 6, 1), Some(office("120"))),
    )
    .await
    .unwrap();
    assert_eq!(gross(&db, AreaScope::Carrier(carrier), day(2024, 5, 31)).await, Area::parse("100").unwrap());
    assert_eq!(gross(&db, AreaScope::Carrier(carrier), day(2024, 6, 1)).await, Area::parse("120").unwrap());
    assert_eq!(gross(&db, AreaScope::Carrier(carrier), day(2025, 4, 1)).await, Area::parse("150").unwrap());
    assert_eq!(gross(&db, AreaScope::Carrier(carrier), day(2023, 12, 31)).await, Area::ZERO, "not before it existed");
}

#[tokio::test]
async fn impossible_changes_are_refused_with_their_reason() {
    let (db, districts) = db_with_districts().await;
    let (_, _, _, floors) = building_with_floors(&db, districts[0], "规则孵化器", &["1F"]).await;
    let unit = spaces::add_unit(&db.conn, &operators(), floors[0], "101", &office("100"), day(2024, 1, 1), "新建")
        .await
        .unwrap();
    let problem = |result: Result<(), ServiceError>| match result {
        Err(ServiceError::Invalid(errors)) => errors.iter().next().unwrap().problem.clone(),
        other => panic!("expected a refusal, got {other:?}"),
    };
    let early = change(ChangeAction::Update, day(2023, 12, 31), Some(office("90")));
    assert_eq!(problem(spaces::change_unit(&db.conn, &operators(), unit, &early).await), Problem::DateBeforeUnit);
    let same = change(ChangeAction::Update, day(2024, 2, 1), Some(office("100")));
    assert_eq!(problem(spaces::change_unit(&db.conn, &operators(), unit, &same).await), Problem::NoChange);
    let back = change(ChangeAction::BackInService, day(2024, 2, 1), None);
    assert_eq!(problem(spaces::change_unit(&db.conn, &operators(), unit, &back).await), Problem::NoChange);
    spaces::change_unit(&db.conn, &operators(), unit, &change(ChangeAction::Remove, day(2024, 3, 1), None))
        .await
        .unwrap();
    let after = change(ChangeAction::Update, day(2024, 4, 1), Some(office("90")));
    assert_eq!(problem(spaces::change_unit(&db.conn, &operators(), unit, &after).await), Problem::UnitRemoved);
    let duplicate =
        spaces::add_unit(&db.conn, &operators(), floors[0], "102", &office("1"), day(2024, 1, 1), "x").await;
    assert!(duplicate.is_ok(), "another code is fine");
    let taken = spaces::add_unit(&db.conn, &operators(), floors[0], "102", &office("1"), day(2024, 1, 1), "x").await;
    assert!(matches!(taken, Err(ServiceError::Invalid(e)) if e.for_field("code").next() == Some(&Problem::CodeTaken)));
}

#[tokio::test]
async fn only_the_carriers_operators_change_its_spaces_the_bureau_reads_them_and_each_change_is_audited() {
    let (db, districts) = db_with_districts().await;
    let (carrier, site, _, floors) = building_with_floors(&db, districts[0], "权限孵化器", &["1F"]).await;
    let other = carriers::create(&db.conn, &bureau(), &draft("别家孵化器", districts[1], |_| {})).await.unwrap();
    let own = operator(&[carrier]);
    let stranger = operator(&[other]);

    let unit =
        spaces::add_unit(&db.conn, &own, floors[0], "101", &office("60"), day(2025, 1, 1), "新建").await.unwrap();
    assert!(matches!(
        spaces::add_unit(&db.conn, &stranger, floors[0], "102", &office("60"), day(2025, 1, 1), "x").await,
        Err(ServiceError::Forbidden)
    ));
    assert!(matches!(spaces::create_building(&db.conn, &stranger, site, "B座").await, Err(ServiceError::Forbidden)));
    assert!(matches!(
        spaces::change_unit(&db.conn, &stranger, unit, &change(ChangeAction::Remove, day(2025, 2, 1), None)).await,
        Err(ServiceError::Forbidden)
    ));
    assert!(matches!(
        spaces::floor_view(&db.conn, &stranger, floors[0], day(2025, 2, 1)).await,
        Err(ServiceError::Forbidden)
    ));
    // The bureau supervises: it reads the floor, and changes nothing on it.
    assert!(spaces::floor_view(&db.conn, &bureau(), floors[0], day(2025, 2, 1)).await.is_ok());
    assert!(matches!(
        spaces::add_unit(&db.conn, &bureau(), floors[0], "103", &office("60"), day(2025, 1, 1), "x").await,
        Err(ServiceError::Forbidden)
    ));
    assert!(matches!(
        spaces::change_unit(&db.conn, &bureau(), unit, &change(ChangeAction::Remove, day(2025, 2, 1), None)).await,
        Err(ServiceError::Forbidden)
    ));
    assert!(matches!(spaces::may_import(&bureau(), carrier), Err(ServiceError::Forbidden)));
    assert!(matches!(
        spaces::area_totals(&db.conn, &own, AreaScope::City, day(2025, 2, 1)).await,
        Err(ServiceError::Forbidden)
    ));
    assert_eq!(
        spaces::area_totals(&db.conn, &own, AreaScope::Carrier(carrier), day(2025, 2, 1)).await.unwrap().total_gross(),
        Area::parse("60").unwrap()
    );

    let trail = service::audit::list(&db.conn, &bureau(), &domain::account::AuditQuery::default()).await.unwrap();
    let unit_entry = trail.items.iter().find(|e| e.entity_type == "unit").expect("the unit's creation is audited");
    assert_eq!(unit_entry.actor, "ops@carrier.cn");
    assert!(unit_entry.after.as_deref().unwrap().contains("\"gross\":6000"));
}

fn header() -> Vec<String> {
    domain::space::import::UNIT_COLUMNS.iter().map(|c| (*c).to_owned()).collect()
}

fn cells(row: &[&str]) -> Vec<String> {
    row.iter().map(|c| (*c).to_owned()).collect()
}

#[tokio::test]
async fn an_import_with_one_bad_row_imports_nothing_and_reports_the_row_and_column() {
    let (db, districts) = db_with_districts().await;
    let carrier = carriers::create(&db.conn, &bureau(), &draft("导入孵化器", districts[0], |_| {})).await.unwrap();
    let rows = vec![
        cells(&["一号园区", "A座", "1F", "101", "private_office", "80", "72", "tenant", "", "50", "per_m2", ""]),
        cells(&[
            "一号园区",
            "A座",
            "1F",
            "102",
            "open_workstations",
            "150",
            "140",
            "tenant",
            "30",
            "300",
            "per_desk",
            "",
        ]),
        cells(&["一号园区", "A座", "2F", "201", "private_office", "90", "95", "tenant", "", "", "", ""]),
    ];
    let report =
        spaces::import(&db.conn, &operators(), carrier, "units.csv", &header(), &rows, day(2025, 1, 1)).await.unwrap();
    assert_eq!(report.added, 0);
    assert_eq!(report.problems.len(), 1);
    assert_eq!((report.problems[0].row, report.problems[0].column.as_str()), (4, "usable_area_m2"));
    assert_eq!(report.problems[0].problem, Problem::UsableExceedsGross);
    assert_eq!(gross(&db, AreaScope::Carrier(carrier), day(2026, 1, 1)).await, Area::ZERO, "nothing was imported");
    assert!(spaces::export(&db.conn, &bureau(), carrier).await.unwrap().is_empty(), "no place was created either");
    let kept = spaces::import_report(&db.conn, &bureau(), report.id).await.unwrap();
    assert_eq!(kept, report, "the report is kept");
}

#[tokio::test]
async fn an_export_imported_again_changes_nothing_and_a_changed_file_is_applied_as_dated_changes() {
    let (db, districts) = db_with_districts().await;
    let carrier = carriers::create(&db.conn, &bureau(), &draft("往返孵化器", districts[0], |_| {})).await.unwrap();
    let rows = vec![
        cells(&["一号园区", "A座", "1F", "101", "private_office", "80.5", "72.25", "tenant", "", "50", "per_m2", ""]),
        cells(&[
            "一号园区",
            "A座",
            "1F",
            "102",
            "open_workstations",
            "150",
            "140",
            "tenant",
            "30",
            "300",
            "per_desk",
            "",
        ]),
        cells(&["一号园区", "B座", "B1", "B01", "lab_workshop", "300", "280", "tenant", "", "", "", "out_of_service"]),
        cells(&[
            "二号园区",
            "C座",
            "3F",
            "301",
            "public_service",
            "60",
            "60",
            "public_service",
            "",
            "",
            "",
            "in_service",
        ]),
    ];
    let first =
        spaces::import(&db.conn, &operators(), carrier, "first.csv", &header(), &rows, day(2025, 1, 1)).await.unwrap();
    assert!(first.problems.is_empty(), "{:?}", first.problems);
    assert_eq!(first.added, 4);
    let totals = spaces::totals(&db.conn, AreaScope::Carrier(carrier), day(2025, 1, 1)).await.unwrap();
    assert_eq!(totals.total_gross(), Area::parse("290.5").unwrap());
    assert_eq!(totals.out_of_service_gross, Area::parse("300").unwrap());

    // Export, and import the export: nothing changes.
    let exported: Vec<Vec<String>> =
        spaces::export(&db.conn, &bureau(), carrier).await.unwrap().iter().map(UnitRecord::cells).collect();
    assert_eq!(exported.len(), 4);
    let again = spaces::import(&db.conn, &operators(), carrier, "export.csv", &header(), &exported, day(2025, 6, 1))
        .await
        .unwrap();
    assert_eq!((again.added, again.changed, again.unchanged), (0, 0, 4));
    let re_exported: Vec<Vec<String>> =
        spaces::export(&db.conn, &bureau(), carrier).await.unwrap().iter().map(UnitRecord::cells).collect();
    assert_eq!(re_exported, exported);

    // A file with one unit resized and the lab back in service: two dated changes.
    let mut edited = exported.clone();
    let row_101 = edited.iter().position(|r| r[3] == "101").unwrap();
    edited[row_101][5] = "90.5".into();
    let lab = edited.iter().position(|r| r[3] == "B01").unwrap();
    edited[lab][11] = "in_service".into();
    let applied = spaces::import(&db.conn, &operators(), carrier, "edited.csv", &header(), &edited, day(2025, 9, 1))
        .await
        .unwrap();
    assert_eq!((applied.added, applied.changed, applied.unchanged), (0, 2, 2));
    assert_eq!(gross(&db, AreaScope::Carrier(carrier), day(2025, 8, 31)).await, Area::parse("290.5").unwrap());
    assert_eq!(gross(&db, AreaScope::Carrier(carrier), day(2025, 9, 1)).await, Area::parse("600.5").unwrap());
}

#[tokio::test]
async fn the_area_report_shows_totals_history_and_month_ends() {
    let (db, districts) = db_with_districts().await;
    let (carrier, _, _, floors) = building_with_floors(&db, districts[0], "报告孵化器", &["1F"]).await;
    spaces::add_unit(&db.conn, &operators(), floors[0], "101", &office("750"), day(2025, 1, 15), "新建").await.unwrap();
    spaces::add_unit(
        &db.conn,
        &operators(),
        floors[0],
        "102",
        &spec("operator_office", "250", "240", "operator", ""),
        day(2025, 3, 1),
        "新建",
    )
    .await
    .unwrap();
    let report = spaces::area_report(&db.conn, &bureau(), carrier, day(2025, 4, 10)).await.unwrap();
    assert_eq!(report.totals.total_gross(), Area::parse("1000").unwrap());
    assert_eq!(report.totals.tenant_share_basis_points(), Some(7500));
    assert!(report.totals.meets_tenant_share());
    assert_eq!(report.history.len(), 2);
    assert_eq!(report.series.len(), 24);
    let by_month: Vec<(NaiveDate, Area)> = report.series[20..].to_vec();
    assert_eq!(
        by_month,
        [
            (day(2025, 1, 31), Area::parse("750").unwrap()),
            (day(2025, 2, 28), Area::parse("750").unwrap()),
            (day(2025, 3, 31), Area::parse("1000").unwrap()),
            (day(2025, 4, 10), Area::parse("1000").unwrap()),
        ]
    );
    assert_eq!(report.sites[0].buildings[0].floors[0].gross, Area::parse("1000").unwrap());
}

#[tokio::test]
async fn units_added_by_an_import_are_recorded_exactly_as_units_added_one_by_one() {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let (db, districts) = db_with_districts().await;
    let (by_hand, _, _, floors) = building_with_floors(&db, districts[0], "逐个孵化器", &["1F"]).await;
    let imported = carriers::create(&db.conn, &bureau(), &draft("导入比对孵化器", districts[0], |_| {})).await.unwrap();
    let on = day(2025, 3, 1);
    let open = spec("open_workstations", "150.25", "140", "tenant", "30");
    let office = office("80.55");
    // By hand: one unit in service, one added and taken out of service the same day, with the
    // reason an import gives (the system's text, stored as its code).
    let imported_from = domain::text::SystemText::Import.store("x.csv");
    let a = spaces::add_unit(&db.conn, &operators(), floors[0], "101", &open, on, &imported_from).await.unwrap();
    let b = spaces::add_unit(&db.conn, &operators(), floors[0], "102", &office, on, &imported_from).await.unwrap();
    let closed =
        Change { action: ChangeAction::OutOfService, effective_on: on, reason: imported_from.clone(), spec: None };
    spaces::change_unit(&db.conn, &operators(), b, &closed).await.unwrap();
    let _ = a;
    // The same two units through an import.
    let rows = vec![
        cells(&[
            "园区",
            "A座",
            "1F",
            "101",
            "open_workstations",
            "150.25",
            "140",
            "tenant",
            "30",
            "45",
            "per_m2",
            "in_service",
        ]),
        cells(&[
            "园区",
            "A座",
            "1F",
            "102",
            "private_office",
            "80.55",
            "80.55",
            "tenant",
            "",
            "45",
            "per_m2",
            "out_of_service",
        ]),
    ];
    let report = spaces::import(&db.conn, &operators(), imported, "x.csv", &header(), &rows, on).await.unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.added, 2);

    for when in [day(2025, 2, 28), on, day(2026, 1, 1)] {
        let hand = spaces::totals(&db.conn, AreaScope::Carrier(by_hand), when).await.unwrap();
        let file = spaces::totals(&db.conn, AreaScope::Carrier(imported), when).await.unwrap();
        assert_eq!(hand, file, "the unit ledgers agree on {when}");
        let district = spaces::totals(&db.conn, AreaScope::District(districts[0]), when).await.unwrap();
        assert_eq!(district.total_gross(), hand.total_gross() + file.total_gross(), "the roll-up follows on {when}");
    }
    // The same changes, the same audit records, per unit.
    let trail = |carrier: domain::CarrierId| {
        let conn = db.conn.clone();
        async move {
            // Everything but ids, times and the places' ids, which differ by construction.
            let changes: Vec<String> = service::entity::unit_change::Entity::find()
                .filter(service::entity::unit_change::Column::CarrierId.eq(carrier.0))
                .order_by_asc(service::entity::unit_change::Column::Id)
                .all(&conn)
                .await
                .unwrap()
                .into_iter()
                .map(|c| {
                    format!(
                        "{} {} {} {} {} {} {:?} {:?} {:?} {} {} {}",
                        c.effective_on,
                        c.change,
                        c.kind,
                        c.gross_area,
                        c.usable_area,
                        c.use_category,
                        c.desks,
                        c.list_rent_fen,
                        c.rent_basis,
                        c.availability,
                        c.reason,
                        c.author_email
                    )
                })
                .collect();
            let ledger: Vec<String> = service::entity::area_ledger::Entity::find()
                .filter(service::entity::area_ledger::Column::CarrierId.eq(carrier.0))
                .order_by_asc(service::entity::area_ledger::Column::UnitId)
                .order_by_asc(service::entity::area_ledger::Column::Bucket)
                .all(&conn)
                .await
                .unwrap()
                .into_iter()
                .map(|l| {
                    format!(
                        "{} {} {} {} {} {} {}",
                        l.effective_on,
                        l.bucket,
                        l.delta_gross,
                        l.delta_usable,
                        l.delta_desks,
                        l.delta_units,
                        l.delta_list_rent
                    )
                })
                .collect();
            let audits: Vec<String> = service::entity::audit_log::Entity::find()
                .filter(service::entity::audit_log::Column::CarrierId.eq(carrier.0))
                .filter(service::entity::audit_log::Column::EntityType.eq("unit"))
                .order_by_asc(service::entity::audit_log::Column::Id)
                .all(&conn)
                .await
                .unwrap()
                .into_iter()
                .map(|a| format!("{} {} {:?} {:?}", a.actor_email, a.action, a.before, a.after))
                .collect();
            let units: Vec<String> = service::entity::unit::Entity::find()
                .filter(service::entity::unit::Column::CarrierId.eq(carrier.0))
                .order_by_asc(service::entity::unit::Column::Code)
                .all(&conn)
                .await
                .unwrap()
                .into_iter()
                .map(|u| {
                    format!(
                        "{} {} {} {} {} {}",
                        u.code, u.kind, u.gross_area, u.usable_area, u.availability, u.created_on
                    )
                })
                .collect();
            (changes, ledger, audits, units)
        }
    };
    assert_eq!(trail(by_hand).await, trail(imported).await);
}

/// The area roll-up every city must pass on `on`: each floor is the sum of its units, each
/// building of its floors, each site of its buildings, each carrier of its sites, each district
/// of its carriers, and the city of its districts — read from the database, whatever it holds.
pub(crate) async fn rolls_up(db: &TestDb, on: chrono::NaiveDate) {
    use domain::space::AreaTotals;
    use sea_orm::EntityTrait;
    use service::entity::{carrier, unit};
    let units = unit::Entity::find().all(&db.conn).await.unwrap();
    let carriers = carrier::Entity::find().all(&db.conn).await.unwrap();
    let mut sums: Vec<(AreaScope, AreaTotals)> = Vec::new();
    for u in &units {
        let own = spaces::totals(&db.conn, AreaScope::Unit(u.id), on).await.unwrap();
        let district = carriers.iter().find(|c| c.id == u.carrier_id).unwrap().district_id;
        for scope in [
            AreaScope::Floor(u.floor_id),
            AreaScope::Building(u.building_id),
            AreaScope::Site(u.site_id),
            AreaScope::Carrier(CarrierId(u.carrier_id)),
            AreaScope::District(DistrictId(district)),
            AreaScope::City,
        ] {
            match sums.iter_mut().find(|(s, _)| *s == scope) {
                Some((_, sum)) => *sum = *sum + own,
                None => sums.push((scope, own)),
            }
        }
    }
    assert!(!sums.is_empty(), "a city with units");
    for (scope, sum) in sums {
        assert_eq!(spaces::totals(&db.conn, scope, on).await.unwrap(), sum, "{scope:?} on {on}");
    }
}
