use crate::support::{bureau, db_with_districts, draft, operator};
use domain::carrier::{Accreditation, CarrierKind, CarrierQuery, CarrierSort, Industry, Level, OperatingModel, field};
use domain::{CarrierId, DistrictId, Problem};
use service::{ServiceError, carriers};

fn query(pairs: &[(&str, &str)]) -> CarrierQuery {
    CarrierQuery::from_pairs(pairs.iter().copied())
}

fn names(page: &domain::Page<domain::carrier::CarrierRow>) -> Vec<&str> {
    page.items.iter().map(|r| r.name.as_str()).collect()
}

fn invalid_fields(err: ServiceError) -> Vec<(String, Problem)> {
    match err {
        ServiceError::Invalid(errors) => errors.iter().map(|e| (e.field.clone(), e.problem.clone())).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_registered_carrier_reads_back_with_all_its_data() {
    let (db, districts) = db_with_districts().await;
    let submitted = draft("沂蒙新材料孵化器", districts[3], |f| {
        f.level = "provincial".into();
        f.level_year = "2021".into();
        f.kind = "maker_space".into();
        f.operating_model = "landlord_shareholder".into();
        f.industries = vec!["biomedicine".into(), "new_energy".into()];
        f.contact_email = "office@ymxcl.cn".into();
    });
    let id = carriers::create(&db.conn, &bureau(), &submitted).await.unwrap();

    let view = carriers::get(&db.conn, &bureau(), id).await.unwrap();
    assert_eq!(view.data, submitted);
    assert_eq!(view.district.id, districts[3]);
    assert_eq!(view.district.name_zh, "沂南县");
    assert!(!view.archived);
    assert_eq!(view.version, 1);
    assert_eq!(view.data.accreditation, Accreditation::Granted { level: Level::Provincial, year: 2021 });
    assert_eq!(view.data.industries.iter().copied().collect::<Vec<_>>(), [Industry::Biomedicine, Industry::NewEnergy]);
}

#[tokio::test]
async fn a_name_already_registered_is_refused_and_nothing_is_written() {
    let (db, districts) = db_with_districts().await;
    carriers::create(&db.conn, &bureau(), &draft("兰山创新谷", districts[0], |_| {})).await.unwrap();

    let err = carriers::create(&db.conn, &bureau(), &draft("兰山创新谷", districts[1], |_| {})).await.unwrap_err();
    assert_eq!(invalid_fields(err), [(field::NAME.to_owned(), Problem::NameTaken)]);
    assert_eq!(carriers::list(&db.conn, &bureau(), &query(&[])).await.unwrap().total, 1);
}

#[tokio::test]
async fn a_district_that_does_not_exist_is_refused() {
    let (db, _) = db_with_districts().await;
    let err =
        carriers::create(&db.conn, &bureau(), &draft("无处孵化器", DistrictId(999_999), |_| {})).await.unwrap_err();
    assert_eq!(invalid_fields(err), [(field::DISTRICT.to_owned(), Problem::UnknownDistrict)]);
    assert_eq!(carriers::list(&db.conn, &bureau(), &query(&[])).await.unwrap().total, 0);
}

#[tokio::test]
async fn an_edit_replaces_the_data_and_bumps_the_version() {
    let (db, districts) = db_with_districts().await;
    let id = carriers::create(&db.conn, &bureau(), &draft("河东孵化器", districts[2], |_| {})).await.unwrap();
    let edited = draft("河东智能制造孵化器", districts[2], |f| {
        f.industries = vec!["high_end_equipment".into()];
        f.level = "municipal".into();
        f.level_year = "2022".into();
    });
    carriers::update(&db.conn, &bureau(), id, 1, &edited).await.unwrap();

    let view = carriers::get(&db.conn, &bureau(), id).await.unwrap();
    assert_eq!(view.data, edited);
    assert_eq!(view.version, 2);
    assert!(view.updated_at >= view.created_at);
}

#[tokio::test]
async fn an_edit_based_on_a_stale_copy_is_refused_and_changes_nothing() {
    let (db, districts) = db_with_districts().await;
    let original = draft("费县孵化器", districts[7], |_| {});
    let id = carriers::create(&db.conn, &bureau(), &original).await.unwrap();
    carriers::update(&db.conn, &bureau(), id, 1, &draft("费县科技孵化器", districts[7], |_| {})).await.unwrap();

    let late = draft("费县木业孵化器", districts[7], |_| {});
    assert!(matches!(carriers::update(&db.conn, &bureau(), id, 1, &late).await, Err(ServiceError::Stale)));
    assert_eq!(carriers::get(&db.conn, &bureau(), id).await.unwrap().data.name, "费县科技孵化器");
}

#[tokio::test]
async fn renaming_onto_another_carriers_name_is_refused_but_keeping_ones_own_is_fine() {
    let (db, districts) = db_with_districts().await;
    carriers::create(&db.conn, &bureau(), &draft("甲孵化器", districts[0], |_| {})).await.unwrap();
    let id = carriers::create(&db.conn, &bureau(), &draft("乙孵化器", districts[0], |_| {})).await.unwrap();

    let err = carriers::update(&db.conn, &bureau(), id, 1, &draft("甲孵化器", districts[0], |_| {})).await.unwrap_err();
    assert_eq!(invalid_fields(err), [(field::NAME.to_owned(), Problem::NameTaken)]);
    carriers::update(&db.conn, &bureau(), id, 1, &draft("乙孵化器", districts[1], |_| {})).await.unwrap();
}

#[tokio::test]
async fn a_missing_carrier_is_not_found() {
    let (db, districts) = db_with_districts().await;
    assert!(matches!(carriers::get(&db.conn, &bureau(), CarrierId(42)).await, Err(ServiceError::NotFound)));
    let edit = draft("不存在", districts[0], |_| {});
    assert!(matches!(
        carriers::update(&db.conn, &bureau(), CarrierId(42), 1, &edit).await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        carriers::set_archived(&db.conn, &bureau(), CarrierId(42), true).await,
        Err(ServiceError::NotFound)
    ));
}

#[tokio::test]
async fn archived_carriers_leave_the_list_but_are_never_deleted() {
    let (db, districts) = db_with_districts().await;
    let id = carriers::create(&db.conn, &bureau(), &draft("停业众创空间", districts[0], |_| {})).await.unwrap();
    carriers::create(&db.conn, &bureau(), &draft("营业众创空间", districts[0], |_| {})).await.unwrap();

    carriers::set_archived(&db.conn, &bureau(), id, true).await.unwrap();
    assert_eq!(names(&carriers::list(&db.conn, &bureau(), &query(&[])).await.unwrap()), ["营业众创空间"]);
    let all = carriers::list(&db.conn, &bureau(), &query(&[("archived", "1")])).await.unwrap();
    assert_eq!(all.total, 2);
    assert!(carriers::get(&db.conn, &bureau(), id).await.unwrap().archived);
    assert_eq!(carriers::summary(&db.conn, &bureau()).await.unwrap().total, 1);

    carriers::set_archived(&db.conn, &bureau(), id, false).await.unwrap();
    assert_eq!(carriers::list(&db.conn, &bureau(), &query(&[])).await.unwrap().total, 2);
}

#[tokio::test]
async fn filters_combine_district_kind_level_model_and_industry() {
    let (db, districts) = db_with_districts().await;
    let (lanshan, hedong) = (districts[0], districts[2]);
    carriers::create(&db.conn, &bureau(), &draft("A 兰山孵化器", lanshan, |_| {})).await.unwrap();
    carriers::create(&db.conn, &bureau(), &draft("B 兰山众创空间", lanshan, |f| f.kind = "maker_space".into()))
        .await
        .unwrap();
    carriers::create(
        &db.conn,
        &bureau(),
        &draft("C 兰山国家级孵化器", lanshan, |f| {
            f.level = "national".into();
            f.level_year = "2020".into();
            f.operating_model = "landlord_shareholder".into();
            f.industries = vec!["biomedicine".into()];
        }),
    )
    .await
    .unwrap();
    carriers::create(&db.conn, &bureau(), &draft("D 河东孵化器", hedong, |_| {})).await.unwrap();

    let lanshan_param = lanshan.to_string();
    let by_district = carriers::list(&db.conn, &bureau(), &query(&[("district", &lanshan_param)])).await.unwrap();
    assert_eq!(names(&by_district), ["A 兰山孵化器", "B 兰山众创空间", "C 兰山国家级孵化器"]);

    let incubators = query(&[("district", &lanshan_param), ("kind", CarrierKind::Incubator.code())]);
    assert_eq!(
        names(&carriers::list(&db.conn, &bureau(), &incubators).await.unwrap()),
        ["A 兰山孵化器", "C 兰山国家级孵化器"]
    );

    let national = query(&[("kind", "incubator"), ("level", Level::National.code())]);
    assert_eq!(names(&carriers::list(&db.conn, &bureau(), &national).await.unwrap()), ["C 兰山国家级孵化器"]);

    let shareholders = query(&[("model", OperatingModel::LandlordShareholder.code())]);
    assert_eq!(names(&carriers::list(&db.conn, &bureau(), &shareholders).await.unwrap()), ["C 兰山国家级孵化器"]);

    let biomedicine = query(&[("industry", Industry::Biomedicine.code())]);
    assert_eq!(names(&carriers::list(&db.conn, &bureau(), &biomedicine).await.unwrap()), ["C 兰山国家级孵化器"]);
}

#[tokio::test]
async fn search_finds_words_in_name_operator_or_address_ignoring_case() {
    let (db, districts) = db_with_districts().await;
    carriers::create(&db.conn, &bureau(), &draft("Yimeng AI Hub", districts[0], |_| {})).await.unwrap();
    carriers::create(
        &db.conn,
        &bureau(),
        &draft("罗庄孵化器", districts[1], |f| f.operator_org = "临沂磁材集团".into()),
    )
    .await
    .unwrap();
    carriers::create(
        &db.conn,
        &bureau(),
        &draft("河东孵化器", districts[2], |f| f.address = "河东区凤凰大街100%号".into()),
    )
    .await
    .unwrap();

    let find = |q: &str| {
        let query = query(&[("q", q)]);
        let db = &db;
        async move {
            names(&carriers::list(&db.conn, &bureau(), &query).await.unwrap())
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(find("ai hub").await, ["Yimeng AI Hub"]);
    assert_eq!(find("磁材").await, ["罗庄孵化器"]);
    assert_eq!(find("凤凰").await, ["河东孵化器"]);
    assert_eq!(find("孵化器 罗庄").await, ["罗庄孵化器"], "every word must match");
    assert_eq!(find("100%").await, ["河东孵化器"], "% is a character, not a wildcard");
    assert!(find("%").await.len() == 1, "a lone % matches only addresses containing it");
    assert!(find("不存在的词").await.is_empty());
}

#[tokio::test]
async fn pages_hold_twenty_rows_and_the_total_counts_them_all() {
    let (db, districts) = db_with_districts().await;
    for i in 0..45 {
        carriers::create(&db.conn, &bureau(), &draft(&format!("孵化器{i:02}"), districts[i % 3], |_| {}))
            .await
            .unwrap();
    }
    let first = carriers::list(&db.conn, &bureau(), &query(&[])).await.unwrap();
    assert_eq!((first.total, first.items.len(), first.page_count()), (45, 20, 3));
    assert_eq!(first.items[0].name, "孵化器00");
    let third = carriers::list(&db.conn, &bureau(), &query(&[("page", "3")])).await.unwrap();
    assert_eq!(names(&third), ["孵化器40", "孵化器41", "孵化器42", "孵化器43", "孵化器44"]);
    let beyond = carriers::list(&db.conn, &bureau(), &query(&[("page", "9")])).await.unwrap();
    assert!(beyond.items.is_empty());
    assert_eq!(beyond.total, 45);
}

#[tokio::test]
async fn sorting_by_level_puts_national_carriers_first_and_can_be_reversed() {
    let (db, districts) = db_with_districts().await;
    for (name, level, year) in
        [("a", "none", ""), ("b", "municipal", "2020"), ("c", "national", "2020"), ("d", "provincial", "2020")]
    {
        carriers::create(
            &db.conn,
            &bureau(),
            &draft(&format!("{name}孵化器"), districts[0], |f| {
                f.level = level.into();
                f.level_year = year.into();
            }),
        )
        .await
        .unwrap();
    }
    let by_level = query(&[("sort", CarrierSort::Level.code())]);
    assert_eq!(
        names(&carriers::list(&db.conn, &bureau(), &by_level).await.unwrap()),
        ["c孵化器", "d孵化器", "b孵化器", "a孵化器"]
    );
    let reversed = query(&[("sort", "level"), ("dir", "desc")]);
    assert_eq!(
        names(&carriers::list(&db.conn, &bureau(), &reversed).await.unwrap()),
        ["a孵化器", "b孵化器", "d孵化器", "c孵化器"]
    );
    let by_district = query(&[("sort", "district")]);
    assert_eq!(carriers::list(&db.conn, &bureau(), &by_district).await.unwrap().total, 4);
}

#[tokio::test]
async fn the_summary_adds_up_to_the_list() {
    let (db, districts) = db_with_districts().await;
    carriers::create(&db.conn, &bureau(), &draft("一号孵化器", districts[0], |_| {})).await.unwrap();
    carriers::create(&db.conn, &bureau(), &draft("二号众创空间", districts[0], |f| f.kind = "maker_space".into()))
        .await
        .unwrap();
    carriers::create(&db.conn, &bureau(), &draft("三号加速器", districts[4], |f| f.kind = "accelerator".into()))
        .await
        .unwrap();

    let summary = carriers::summary(&db.conn, &bureau()).await.unwrap();
    assert_eq!(summary.total, 3);
    assert_eq!(summary.by_kind.len(), CarrierKind::ALL.len(), "every kind is listed, even with zero");
    assert_eq!(summary.by_kind.iter().map(|(_, n)| n).sum::<u64>(), 3);
    assert_eq!(
        summary.by_level,
        [(Level::National, 0), (Level::Provincial, 0), (Level::Municipal, 0), (Level::None, 3)]
    );
    assert_eq!(summary.by_district.len(), 15);
    assert_eq!(summary.by_district[0].1, 2);
    assert_eq!(summary.by_district[4].1, 1);
    assert_eq!(summary.by_district.iter().map(|(_, n)| n).sum::<u64>(), 3);
}

#[tokio::test]
async fn concurrent_registrations_of_one_name_leave_exactly_one_carrier() {
    let (db, districts) = db_with_districts().await;
    let submission = draft("并发孵化器", districts[0], |_| {});
    let attempts: Vec<_> = (0..8)
        .map(|_| {
            let (conn, submission) = (db.conn.clone(), submission.clone());
            tokio::spawn(async move { carriers::create(&conn, &bureau(), &submission).await })
        })
        .collect();
    let mut results = Vec::new();
    for attempt in attempts {
        results.push(attempt.await.expect("the task ran"));
    }
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    for err in results.into_iter().filter_map(Result::err) {
        assert_eq!(invalid_fields(err), [(field::NAME.to_owned(), Problem::NameTaken)]);
    }
    assert_eq!(carriers::list(&db.conn, &bureau(), &query(&[])).await.unwrap().total, 1);
}

#[tokio::test]
async fn operators_see_only_their_own_carriers_and_change_none() {
    let (db, districts) = db_with_districts().await;
    let mine = carriers::create(&db.conn, &bureau(), &draft("我的孵化器", districts[0], |_| {})).await.unwrap();
    let theirs = carriers::create(&db.conn, &bureau(), &draft("别人的孵化器", districts[1], |_| {})).await.unwrap();
    let operator = operator(&[mine]);

    let page = carriers::list(&db.conn, &operator, &query(&[("archived", "1")])).await.unwrap();
    assert_eq!(names(&page), ["我的孵化器"]);
    assert_eq!(carriers::summary(&db.conn, &operator).await.unwrap().total, 1);
    assert_eq!(carriers::get(&db.conn, &operator, mine).await.unwrap().data.name, "我的孵化器");
    assert!(matches!(carriers::get(&db.conn, &operator, theirs).await, Err(ServiceError::Forbidden)));
    assert!(
        matches!(carriers::get(&db.conn, &operator, CarrierId(999)).await, Err(ServiceError::Forbidden)),
        "an operator cannot probe which ids exist"
    );

    let edit = draft("改名孵化器", districts[0], |_| {});
    assert!(matches!(carriers::update(&db.conn, &operator, mine, 1, &edit).await, Err(ServiceError::Forbidden)));
    assert!(matches!(carriers::set_archived(&db.conn, &operator, mine, true).await, Err(ServiceError::Forbidden)));
    assert!(matches!(carriers::create(&db.conn, &operator, &edit).await, Err(ServiceError::Forbidden)));
    assert_eq!(carriers::get(&db.conn, &bureau(), mine).await.unwrap().version, 1, "nothing changed");
}

#[tokio::test]
async fn every_change_to_a_carrier_is_in_the_audit_trail_with_before_and_after() {
    let (db, districts) = db_with_districts().await;
    let id = carriers::create(&db.conn, &bureau(), &draft("审计孵化器", districts[0], |_| {})).await.unwrap();
    carriers::update(&db.conn, &bureau(), id, 1, &draft("审计科技孵化器", districts[0], |_| {})).await.unwrap();
    carriers::set_archived(&db.conn, &bureau(), id, true).await.unwrap();

    let query = domain::account::AuditQuery { carrier: Some(id), ..Default::default() };
    let trail = service::audit::list(&db.conn, &bureau(), &query).await.unwrap();
    let actions: Vec<_> = trail.items.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["archive", "update", "create"], "newest first");
    let update = &trail.items[1];
    assert_eq!(update.actor, "bureau@ly.gov.cn");
    assert_eq!(update.carrier, Some(id));
    assert!(update.before.as_deref().unwrap().contains("审计孵化器"));
    assert!(update.after.as_deref().unwrap().contains("审计科技孵化器"));
    assert!(trail.items[2].before.is_none(), "nothing existed before the registration");

    // An operator sees the entries of their carriers only.
    let other = carriers::create(&db.conn, &bureau(), &draft("他人孵化器", districts[1], |_| {})).await.unwrap();
    let operator_trail =
        service::audit::list(&db.conn, &operator(&[other]), &domain::account::AuditQuery::default()).await.unwrap();
    assert_eq!(operator_trail.total, 1);
    assert_eq!(operator_trail.items[0].carrier, Some(other));
}

/// A trail longer than a list holds: the newest `LISTED` entries are listed and counted, the
/// count says there are more, a page past them shows the last one, and a narrower filter counts
/// exactly again.
#[tokio::test]
async fn a_long_trail_lists_its_newest_entries_and_says_there_are_more() {
    use domain::account::AuditQuery;
    use sea_orm::{EntityTrait, Set};
    use service::entity::audit_log;
    let (db, districts) = db_with_districts().await;
    let id = carriers::create(&db.conn, &bureau(), &draft("长审计孵化器", districts[0], |_| {})).await.unwrap();
    let start = chrono::Utc::now() - chrono::Duration::days(1);
    let rows = AuditQuery::LISTED + 30;
    let entry = |n: u64| audit_log::ActiveModel {
        at: Set(start + chrono::Duration::seconds(i64::try_from(n).unwrap())),
        actor_id: Set(None),
        actor_email: Set("system:test".to_owned()),
        action: Set("update".to_owned()),
        entity_type: Set("carrier".to_owned()),
        entity_id: Set(id.0),
        carrier_id: Set(Some(id.0)),
        startup_id: Set(None),
        before: Set(None),
        after: Set(None),
        ..Default::default()
    };
    for chunk in (0..rows).collect::<Vec<_>>().chunks(500) {
        audit_log::Entity::insert_many(chunk.iter().map(|n| entry(*n))).exec(&db.conn).await.unwrap();
    }

    let first = service::audit::list(&db.conn, &bureau(), &AuditQuery::default()).await.unwrap();
    assert_eq!((first.total, first.more), (AuditQuery::LISTED, true));
    assert_eq!(first.page_count(), 200);
    assert_eq!(first.items[0].action, "create", "the registration is the newest entry");
    let far =
        service::audit::list(&db.conn, &bureau(), &AuditQuery { page: 100_000, ..Default::default() }).await.unwrap();
    assert_eq!(far.page, 200, "a page past the listed ones shows the last of them");
    assert_eq!(far.items.len(), 50);

    let narrow = AuditQuery { action: Some("create".to_owned()), ..Default::default() };
    let created = service::audit::list(&db.conn, &bureau(), &narrow).await.unwrap();
    assert_eq!((created.total, created.more), (1, false), "a narrower filter counts exactly");
}
