//! Backups: taken while writers run, restored into a fresh database, compared table by table.

use crate::support::{bureau, client, draft};
use domain::space::{PlaceForm, UnitForm};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use service::backup::{self, RestoreError};
use service::testing::TestDb;
use service::{accounts, carriers, spaces};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A database with a carrier, its places and a few units, a startup with a business plan, and
/// an account: every kind of column (dates, times, money, JSON, bytes) has a value somewhere.
async fn populated() -> (TestDb, domain::CarrierId, i64) {
    let db = TestDb::shared().await;
    service::seed::districts(&db.conn).await.unwrap();
    let district = service::districts::list(&db.conn).await.unwrap()[0].id;
    let carrier = carriers::create(&db.conn, &bureau(), &draft("备份孵化器", district, |_| {})).await.unwrap();
    let operator = crate::support::operator(&[carrier]);
    let site =
        spaces::create_site(&db.conn, &operator, carrier, &PlaceForm { name: "园区".into(), address: "临沂".into() })
            .await
            .unwrap();
    let building = spaces::create_building(&db.conn, &operator, site, "A座").await.unwrap();
    let floor = spaces::create_floor(&db.conn, &operator, building, "1F").await.unwrap();
    for code in ["101", "102"] {
        spaces::add_unit(&db.conn, &operator, floor, code, &spec(), day(2024, 1, 1), "新建").await.unwrap();
    }
    let registration = domain::account::RegistrationForm {
        startup_name: "备份企业".into(),
        display_name: "王敏".into(),
        email: "backup@ymzz.cn".into(),
        new_password: "rivers and mountains".into(),
        confirm: "rivers and mountains".into(),
    }
    .parse()
    .unwrap();
    let user = accounts::register_startup(&db.conn, &registration, &client()).await.unwrap();
    let member = accounts::load_actor(&db.conn, user, chrono::Utc::now()).await.unwrap().unwrap();
    let startup = *member.startups.iter().next().unwrap();
    let application = domain::tenancy::application::ApplicationForm {
        carrier_id: carrier.to_string(),
        request_kind: "desks".into(),
        desks: "2".into(),
        desired_start: (crate::support::today() + chrono::Days::new(30)).to_string(),
        duration_months: "12".into(),
        summary: "申请两个工位，用于工业软件的研发、测试与客户演示。".into(),
        ..Default::default()
    }
    .parse(crate::support::today())
    .unwrap();
    let id = service::tenancy::applications::create(&db.conn, &member, startup, &application, false).await.unwrap();
    let plan = [b"%PDF-1.4\n".as_slice(), &(0..=255u8).collect::<Vec<_>>()].concat();
    service::tenancy::applications::attach_document(&db.conn, &member, id, "计划书.pdf", &plan).await.unwrap();
    (db, carrier, floor)
}

fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn spec() -> domain::space::UnitSpec {
    UnitForm {
        kind: "private_office".into(),
        gross_area: "55.55".into(),
        usable_area: "50.05".into(),
        use_category: "tenant".into(),
        list_rent: "48.5".into(),
        rent_basis: "per_m2".into(),
        ..Default::default()
    }
    .parse_spec()
    .unwrap()
}

#[tokio::test]
async fn a_backup_covers_every_table_of_the_schema() {
    let db = TestDb::new().await;
    let mut listed: Vec<String> = backup::tables().into_iter().map(str::to_owned).collect();
    listed.sort();
    assert_eq!(backup::schema_tables(&db.conn).await.unwrap(), listed, "a table the backup would leave out");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_while_units_are_added_restores_into_a_fresh_database_exactly() {
    let (db, carrier, floor) = populated().await;
    let operator = crate::support::operator(&[carrier]);
    // Writers add units (each with its change, ledger, roll-up and audit rows, in one
    // transaction) for as long as the backup runs.
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..3 {
        let (conn, operator, stop) = (db.conn.clone(), operator.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                spaces::add_unit(&conn, &operator, floor, &format!("W{w}-{n}"), &spec(), day(2025, 1, 1), "并发")
                    .await
                    .unwrap();
                n += 1;
            }
            n
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let mut file = Vec::new();
    let summary = backup::backup(&db.conn, &mut file).await.unwrap();
    stop.store(true, Ordering::Relaxed);
    let mut written = 0;
    for writer in writers {
        written += writer.await.unwrap();
    }
    assert!(written > 0, "the writers wrote during the backup");

    let target = TestDb::empty().await;
    let restored = backup::restore(&target.conn, &mut file.as_slice()).await.unwrap();
    assert_eq!(restored, summary);
    // Every table, row for row, is what the backup holds.
    let text = String::from_utf8(file).unwrap();
    let lines: Vec<&str> = text.lines().skip(1).collect();
    let snapshot = backup::snapshot(&target.conn).await.unwrap();
    assert_eq!(snapshot.len() + 1, lines.len(), "all lines but the header and the end");
    assert_eq!(snapshot.iter().map(String::as_str).collect::<Vec<_>>(), lines[..lines.len() - 1]);
    // The copy is of one moment: each unit copied has its ledger, roll-up and audit rows.
    let units = service::entity::unit::Entity::find().count(&target.conn).await.unwrap();
    let added = service::entity::audit_log::Entity::find()
        .filter(service::entity::audit_log::Column::EntityType.eq("unit"))
        .filter(service::entity::audit_log::Column::Action.eq("added"))
        .count(&target.conn)
        .await
        .unwrap();
    assert_eq!(units, added, "a unit without its audit record, or the reverse: not a snapshot");
    let totals = spaces::totals(&target.conn, spaces::AreaScope::Carrier(carrier), day(2026, 1, 1)).await.unwrap();
    let city = spaces::totals(&target.conn, spaces::AreaScope::City, day(2026, 1, 1)).await.unwrap();
    assert_eq!(totals, city, "the roll-up the city reads agrees with the unit ledger");
    // The restored database goes on: new ids do not collide with restored ones.
    spaces::add_unit(&target.conn, &operator, floor, "after-restore", &spec(), day(2026, 1, 1), "新建").await.unwrap();
}

#[tokio::test]
async fn a_restore_refuses_a_newer_schema_a_damaged_file_and_a_database_in_use() {
    let (db, _, _) = populated().await;
    let mut file = Vec::new();
    backup::backup(&db.conn, &mut file).await.unwrap();
    let text = String::from_utf8(file).unwrap();

    let newer = text.replacen("\"migrations\":[", "\"migrations\":[\"m20991231_000001_from_the_future\",", 1);
    let target = TestDb::empty().await;
    let refused = backup::restore(&target.conn, &mut newer.as_bytes()).await;
    assert!(matches!(refused, Err(RestoreError::NewerSchema(_))), "{refused:?}");
    assert!(backup::schema_tables(&target.conn).await.unwrap().is_empty(), "refused before touching the database");

    let middle = text.char_indices().map(|(i, _)| i).find(|i| *i >= text.len() / 2).unwrap();
    let cut = &text[..middle];
    let refused = backup::restore(&target.conn, &mut cut.as_bytes()).await;
    assert!(matches!(refused, Err(RestoreError::Damaged(_))), "{refused:?}");
    let rows: u64 = service::entity::carrier::Entity::find().count(&target.conn).await.unwrap();
    assert_eq!(rows, 0, "a damaged file leaves nothing behind");

    let refused = backup::restore(&db.conn, &mut text.as_bytes()).await;
    assert!(matches!(refused, Err(RestoreError::NotEmpty(_))), "{refused:?}");
    let refused = backup::restore(&target.conn, &mut "not a backup\n".as_bytes()).await;
    assert!(matches!(refused, Err(RestoreError::NotABackup)), "{refused:?}");
}
