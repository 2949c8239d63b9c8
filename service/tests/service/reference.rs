//! A real install: the city's reference data comes with the schema, demo accounts do not; the
//! bureau edits the city file and loads it again; the national rules are corrected where an
//! older install still holds the misread IP criterion.

use crate::support::bureau;
use domain::readiness::Metric;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use service::audit::By;
use service::entity::{criterion, maintenance, rule_set, user};
use service::reference::{self, CityFile};
use service::testing::TestDb;

#[tokio::test]
async fn a_fresh_install_has_the_city_the_target_and_the_rules_but_no_account() {
    let db = TestDb::new().await;
    let districts = service::districts::list(&db.conn).await.unwrap();
    assert_eq!(districts.len(), 15, "Linyi's districts, counties and zones");
    assert_eq!(districts[0].name_zh, "兰山区");
    assert_eq!(districts.iter().filter(|d| d.code.starts_with("3713")).count(), 15);
    let targets = service::dashboard::targets(&db.conn).await.unwrap();
    assert_eq!(targets.len(), 1);
    assert_eq!(targets[0].target.area, domain::Area::from_square_metres(2_000_000));
    let sets = service::readiness::rule_sets(&db.conn, &bureau()).await.unwrap();
    let mut codes: Vec<&str> = sets.iter().map(|s| s.code.as_str()).collect();
    codes.sort_unstable();
    assert_eq!(
        codes,
        vec![
            "national_incubator_2018",
            "national_incubator_2018_relaxed",
            "national_incubator_2018_specialised",
            "national_incubator_2018_specialised_relaxed",
            "national_maker_space"
        ]
    );
    // No account at all: the first ones come from `fuhua create-user`, demo ones only with --demo.
    assert_eq!(user::Entity::find().count(&db.conn).await.unwrap(), 0);
    assert!(service::seed::is_empty(&db.conn).await.unwrap(), "no carrier yet");
    assert_eq!(reference::city(&db.conn).await.unwrap().unwrap().name_zh, "临沂市");
    // Starting again adds nothing.
    service::install::migrate(&db.conn).await.unwrap();
    assert_eq!(service::districts::list(&db.conn).await.unwrap().len(), 15);
    assert_eq!(service::dashboard::targets(&db.conn).await.unwrap().len(), 1);
}

#[tokio::test]
async fn another_city_starts_from_its_own_file_and_is_loaded_again_after_an_edit() {
    let db = TestDb::empty().await;
    let mut file: CityFile = serde_json::from_str(reference::DEFAULT_CITY).unwrap();
    file.city = reference::City { code: "370100".into(), name_zh: "济南市".into(), name_en: "Jinan".into() };
    file.districts = vec![
        reference::DistrictEntry {
            code: "370102".into(),
            name_zh: "历下区".into(),
            name_en: "Lixia District".into(),
            kind: "district".into(),
        },
        reference::DistrictEntry {
            code: "370171".into(),
            name_zh: "济南高新区".into(),
            name_en: "Jinan High-tech Zone".into(),
            kind: "zone".into(),
        },
    ];
    file.targets[0].name_zh = "济南孵化面积目标".into();
    let city = reference::parse_city(&serde_json::to_string(&file).unwrap()).unwrap();
    service::install::migrate_with(&db.conn, Some(&city)).await.unwrap();
    let names: Vec<String> = service::districts::list(&db.conn).await.unwrap().into_iter().map(|d| d.name_zh).collect();
    assert_eq!(names, vec!["历下区", "济南高新区"]);
    assert_eq!(service::dashboard::targets(&db.conn).await.unwrap()[0].name_zh, "济南孵化面积目标");

    // The bureau renames a district, adds one and drops one from the file: renamed and added,
    // the dropped one kept (carriers may be registered there) and named in the report.
    file.districts[0].name_en = "Lixia".into();
    file.districts.remove(1);
    file.districts.push(reference::DistrictEntry {
        code: "370103".into(),
        name_zh: "市中区".into(),
        name_en: "Shizhong District".into(),
        kind: "district".into(),
    });
    let edited = reference::parse_city(&serde_json::to_string(&file).unwrap()).unwrap();
    let report = reference::import_city(&db.conn, &edited, By::System("city-import")).await.unwrap();
    assert_eq!((report.added, report.updated, report.unchanged), (1, 1, 0));
    assert_eq!(report.not_in_file, vec!["济南高新区".to_owned()]);
    assert_eq!(report.targets_added, 0, "the target exists: the bureau edits it on its page");
    assert_eq!(service::districts::list(&db.conn).await.unwrap().len(), 3);
    let trail = service::audit::list(&db.conn, &bureau(), &domain::account::AuditQuery::default()).await.unwrap();
    assert!(trail.items.iter().any(|e| e.action == "district_updated" && e.actor == "system:city-import"));
    assert!(trail.items.iter().any(|e| e.action == "district_added"));
    // Loading the same file again changes nothing.
    let again = reference::import_city(&db.conn, &edited, By::System("city-import")).await.unwrap();
    assert_eq!((again.added, again.updated, again.unchanged), (0, 0, 2));
}

#[tokio::test]
async fn an_older_install_gets_the_ip_criterion_as_written_unless_the_bureau_changed_it() {
    let db = TestDb::new().await;
    let set = rule_set::Entity::find()
        .filter(rule_set::Column::Code.eq("national_incubator_2018"))
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    let ip = criterion::Entity::find()
        .filter(criterion::Column::RuleSetId.eq(set.id))
        .filter(criterion::Column::Metric.eq(Metric::PatentShare.code()))
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ip.or_threshold, Some(3_000), "a fresh install reads 30 %");
    // As an install seeded before the correction held it.
    let old_label = "已申请专利的在孵企业占比不低于50%，或拥有有效知识产权的企业占比不低于70%";
    criterion::ActiveModel {
        id: Set(ip.id),
        or_threshold: Set(Some(7_000)),
        label_zh: Set(old_label.into()),
        ..Default::default()
    }
    .update(&db.conn)
    .await
    .unwrap();
    maintenance::Entity::delete_by_id("national_rules_2018_text".to_owned()).exec(&db.conn).await.unwrap();
    service::install::migrate(&db.conn).await.unwrap();
    let corrected = criterion::Entity::find_by_id(ip.id).one(&db.conn).await.unwrap().unwrap();
    assert_eq!(corrected.or_threshold, Some(3_000));
    assert!(corrected.label_zh.contains("不低于30%"), "{}", corrected.label_zh);
    let trail = service::audit::list(&db.conn, &bureau(), &domain::account::AuditQuery::default()).await.unwrap();
    assert!(trail.items.iter().any(|e| e.action == "criterion_corrected" && e.entity_id == ip.id));

    // A criterion the bureau edited since is theirs: left alone.
    criterion::ActiveModel {
        id: Set(ip.id),
        or_threshold: Set(Some(7_000)),
        label_zh: Set("本市从严：拥有有效知识产权的企业占比不低于70%".into()),
        ..Default::default()
    }
    .update(&db.conn)
    .await
    .unwrap();
    maintenance::Entity::delete_by_id("national_rules_2018_text".to_owned()).exec(&db.conn).await.unwrap();
    service::install::migrate(&db.conn).await.unwrap();
    let kept = criterion::Entity::find_by_id(ip.id).one(&db.conn).await.unwrap().unwrap();
    assert_eq!(kept.or_threshold, Some(7_000));
}
