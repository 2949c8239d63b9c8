//! Applications, documents and leases through HTTP: many operators racing for one unit against
//! two instances of the server on one database, the business plan's upload and download, and the pages of the journey.

use crate::authz::PDF;
use crate::support::{TestApp, encode, spawn_app, unique};
use domain::time::today;
use domain::{CarrierId, StartupId};
use reqwest::Client;
use serde_json::Value;

/// A carrier with one floor of two units (from 2025), returning the carrier, floor and units.
pub(crate) async fn carrier_with_units(app: &TestApp, name: &str) -> (CarrierId, i64, i64, i64) {
    let carrier = app.carrier(name, "兰山区").await;
    let operator = crate::support::operators();
    let db = &app.db.conn;
    let place = domain::space::PlaceForm { name: "一号园区".into(), address: "临沂市兰山区".into() };
    let site = service::spaces::create_site(db, &operator, carrier, &place).await.unwrap();
    let building = service::spaces::create_building(db, &operator, site, "A座").await.unwrap();
    let floor = service::spaces::create_floor(db, &operator, building, "3F").await.unwrap();
    let spec = |gross: &str, rent: &str| {
        domain::space::UnitForm {
            kind: "private_office".into(),
            gross_area: gross.into(),
            usable_area: gross.into(),
            use_category: "tenant".into(),
            list_rent: rent.into(),
            rent_basis: "per_m2".into(),
            ..Default::default()
        }
        .parse_spec()
        .unwrap()
    };
    let day = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let first = service::spaces::add_unit(db, &operator, floor, "301", &spec("60", "40"), day, "新建").await.unwrap();
    let second = service::spaces::add_unit(db, &operator, floor, "302", &spec("40", "40"), day, "新建").await.unwrap();
    (carrier, floor, first, second)
}

/// A startup's application to `carrier`, submitted (and under review when `review`).
pub(crate) async fn submitted_application(
    app: &TestApp,
    startup: StartupId,
    email: &str,
    carrier: CarrierId,
    review: bool,
) -> i64 {
    let db = &app.db.conn;
    let user = service::entity::user::Entity::find()
        .filter(service::entity::user::Column::Email.eq(email))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let actor = service::accounts::load_actor(db, domain::UserId(user.id), chrono::Utc::now()).await.unwrap().unwrap();
    let draft = domain::tenancy::application::ApplicationForm {
        carrier_id: carrier.to_string(),
        request_kind: "area".into(),
        area: "60".into(),
        desired_start: (today() + chrono::Days::new(10)).to_string(),
        duration_months: "12".into(),
        summary: "新能源电池检测设备研发团队，申请办公面积。".into(),
        ..Default::default()
    }
    .parse(today())
    .unwrap();
    let id = service::tenancy::applications::create(db, &actor, startup, &draft, true).await.unwrap();
    if review {
        service::tenancy::applications::transition(
            db,
            &crate::support::operators(),
            id,
            domain::tenancy::application::Transition::StartReview,
            None,
        )
        .await
        .unwrap();
    }
    id
}

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

fn admit_body(application: i64, unit: i64, start: chrono::NaiveDate) -> String {
    encode(&[
        ("id", application.to_string()),
        ("lease[units][0]", unit.to_string()),
        ("lease[starts_on]", start.to_string()),
        ("lease[ends_on]", (start + chrono::Months::new(12) - chrono::Days::new(1)).to_string()),
        ("lease[monthly_rent]", "2400".into()),
        ("lease[deposit]", "4800".into()),
    ])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_operators_admitting_into_the_same_unit_at_once_leave_exactly_one_lease() {
    const RACERS: usize = 16;
    let app = spawn_app().await;
    // Two instances of the server on one database, as behind a load balancer: the racers are
    // split between them, and the sessions work on both.
    let instances = [app.url(""), app.another_instance().await];
    let (carrier, _, unit, _) = carrier_with_units(&app, &format!("并发测试孵化器{}", unique())).await;
    // Several operators of the carrier, each with a different applicant under review.
    let mut racers: Vec<(Client, i64)> = Vec::new();
    for i in 0..RACERS {
        let (_, startup, email) = app.startup(&format!("并发企业{i}号{}", unique())).await;
        let application = submitted_application(&app, startup, &email, carrier, true).await;
        let operator =
            if i % 4 == 0 || racers.is_empty() { app.operator_of(carrier).await.0 } else { racers[i - 1].0.clone() };
        racers.push((operator, application));
    }
    // Overlapping periods (not identical), so the database's range check is what decides.
    let start = today() + chrono::Days::new(30);
    let calls = racers.iter().enumerate().map(|(i, (client, application))| {
        let body = admit_body(*application, unit, start + chrono::Days::new(i as u64 % 5));
        let origin = &instances[i % 2];
        async move {
            let response = TestApp::call_at(origin, client, "admit_application", &body).await;
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap_or(Value::Null))
        }
    });
    let outcomes = futures::future::join_all(calls).await;

    let winners = outcomes.iter().filter(|(status, _)| *status == 200).count();
    assert_eq!(winners, 1, "exactly one admission wins: {outcomes:?}");
    for (status, body) in outcomes.iter().filter(|(status, _)| *status != 200) {
        assert_eq!(*status, 409, "every loser gets a conflict, not an error: {body}");
        let text = body.to_string();
        assert!(text.contains("unit_taken") && text.contains("301"), "the conflict names the unit: {text}");
    }
    // The database holds one lease for the unit, and every losing application is still open.
    let leases = service::entity::lease_unit::Entity::find()
        .filter(service::entity::lease_unit::Column::UnitId.eq(unit))
        .all(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(leases.len(), 1);
    let admitted = service::entity::application::Entity::find()
        .filter(service::entity::application::Column::State.eq("admitted"))
        .filter(service::entity::application::Column::CarrierId.eq(carrier.0))
        .all(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(admitted.len(), 1, "a lost race leaves the application under review, not half-admitted");
}

async fn upload(app: &TestApp, client: &Client, application: i64, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .part("document", reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()));
    client
        .post(app.url(&format!("/applications/{application}/document")))
        .header("origin", app.url(""))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_business_plan_is_checked_on_upload_and_served_only_to_those_allowed() {
    let app = spawn_app().await;
    let (carrier, ..) = carrier_with_units(&app, &format!("文档测试孵化器{}", unique())).await;
    let (founder, startup, email) = app.startup(&format!("文档企业{}", unique())).await;
    let (other_founder, ..) = app.startup(&format!("旁观企业{}", unique())).await;
    let (operator, _) = app.operator_of(carrier).await;
    let application = submitted_application(&app, startup, &email, carrier, false).await;

    // Not a PDF: sent back with the reason, and nothing kept.
    let response = upload(&app, &founder, application, "plan.pdf", b"<html>not a pdf</html>".to_vec()).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], format!("/applications/{application}?error=type"));
    let (_, html) = app.page_as(&founder, &format!("/applications/{application}?error=type"), false).await;
    assert!(html.contains("只接受 PDF 文件"), "the page says why, in Chinese");
    assert!(html.contains("未上传"));

    // Too large: refused by size.
    let mut big = PDF.to_vec();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let response = upload(&app, &founder, application, "big.pdf", big).await;
    assert_eq!(response.headers()["location"], format!("/applications/{application}?error=size"));

    // A PDF with a Chinese name is kept and linked from the application.
    let response = upload(&app, &founder, application, "商业计划书.pdf", PDF.to_vec()).await;
    assert_eq!(response.headers()["location"], format!("/applications/{application}"));
    let view: Value =
        app.call_as(&founder, "get_application", &format!("id={application}")).await.json().await.unwrap();
    let document = view["document"]["id"].as_i64().unwrap();
    assert_eq!(view["document"]["file_name"], "商业计划书.pdf");

    for (client, expected) in [(&founder, 200), (&operator, 200), (&other_founder, 403), (&app.anonymous, 401)] {
        let response = client.get(app.url(&format!("/documents/{document}"))).send().await.unwrap();
        assert_eq!(response.status(), expected);
        if expected == 200 {
            assert_eq!(response.headers()["content-type"], "application/pdf");
            assert_eq!(response.headers()["x-content-type-options"], "nosniff");
            let disposition = response.headers()["content-disposition"].to_str().unwrap().to_owned();
            assert!(disposition.starts_with("attachment;"), "downloaded, never rendered inline: {disposition}");
            assert!(response.headers()["content-security-policy"].to_str().unwrap().contains("sandbox"));
            assert_eq!(response.bytes().await.unwrap().as_ref(), PDF);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_application_shows_the_startup_the_reason() {
    let app = spawn_app().await;
    let (carrier, ..) = carrier_with_units(&app, &format!("拒绝测试孵化器{}", unique())).await;
    let (founder, startup, email) = app.startup(&format!("被拒企业{}", unique())).await;
    let (operator, _) = app.operator_of(carrier).await;
    let application = submitted_application(&app, startup, &email, carrier, true).await;

    let too_short =
        encode(&[("id", application.to_string()), ("transition", "reject".into()), ("reason", "否".into())]);
    let response = app.call_as(&operator, "move_application", &too_short).await;
    assert_eq!(response.status(), 422, "a rejection needs a reason the startup can act on");

    let reason = "项目与本载体的产业方向不符，建议申请临港区的新材料孵化器。";
    let body = encode(&[("id", application.to_string()), ("transition", "reject".into()), ("reason", reason.into())]);
    assert_eq!(app.call_as(&operator, "move_application", &body).await.status(), 200);
    let (status, html) = app.page_as(&founder, &format!("/applications/{application}"), false).await;
    assert_eq!(status, 200);
    assert!(html.contains("未通过"));
    assert!(html.contains(reason));
    // Rejected is final: the operator cannot turn it around.
    let again = encode(&[("id", application.to_string()), ("transition", "start_review".into())]);
    assert_eq!(app.call_as(&operator, "move_application", &again).await.status(), 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admission_signs_a_lease_that_the_floor_rent_roll_and_startup_pages_show() {
    let app = spawn_app().await;
    let carrier_name = format!("签约测试孵化器{}", unique());
    let (carrier, floor, unit, second) = carrier_with_units(&app, &carrier_name).await;
    let startup_name = format!("签约企业{}", unique());
    let (founder, startup, email) = app.startup(&startup_name).await;
    let (operator, _) = app.operator_of(carrier).await;
    let application = submitted_application(&app, startup, &email, carrier, true).await;

    // The admission page offers the carrier's vacant units.
    let (status, html) = app.page_as(&operator, &format!("/applications/{application}/admit"), false).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("value=\"{unit}\"")) && html.contains(&format!("value=\"{second}\"")));

    // No rent given: let at list rent (60 m² × ¥40 + 40 m² × ¥40), split by unit.
    let start = today();
    let body = encode(&[
        ("id", application.to_string()),
        ("lease[units][0]", unit.to_string()),
        ("lease[units][3]", second.to_string()),
        ("lease[starts_on]", start.to_string()),
        ("lease[ends_on]", (start + chrono::Days::new(20)).to_string()),
        ("lease[rent_free_months]", "1".into()),
    ]);
    let response = app.call_as(&operator, "admit_application", &body).await;
    assert_eq!(response.status(), 200);
    let lease: i64 = response.json().await.unwrap();
    let view: Value = app.call_as(&founder, "get_lease", &format!("id={lease}")).await.json().await.unwrap();
    assert_eq!(view["monthly_rent"], 400_000, "¥4,000.00 in fen");

    // The startup sees its lease; the floor shows both units let; the rent roll lists it as ending soon.
    let (_, html) = app.page_as(&founder, &format!("/leases/{lease}"), false).await;
    assert!(html.contains("¥4,000.00") && html.contains("301") && html.contains("302"));
    let (_, html) = app.page_as(&operator, &format!("/floors/{floor}"), false).await;
    assert_eq!(html.matches("data-status=\"leased\"").count(), 2, "both units show as let");
    let occupancy: Value =
        app.call_as(&operator, "get_occupancy", &format!("level=floor&id={floor}")).await.json().await.unwrap();
    assert_eq!(occupancy["units_leased"], 2);
    let (_, html) = app.page_as(&operator, &format!("/carriers/{carrier}/rent-roll"), false).await;
    assert!(html.contains(&startup_name));
    let expiring = html.split("data-testid=\"expiring-30\"").nth(1).unwrap_or_default();
    assert!(expiring.contains(&startup_name), "a lease ending in 20 days is in the 30-day list");

    // The same units cannot be let twice: a second admission gets a conflict naming the unit.
    let (_, other, other_email) = app.startup(&format!("后来企业{}", unique())).await;
    let late = submitted_application(&app, other, &other_email, carrier, true).await;
    let response = app.call_as(&operator, "admit_application", &admit_body(late, second, start)).await;
    assert_eq!(response.status(), 409);
    // Without JavaScript the form comes back with the message in Chinese.
    let response = app
        .post_form_as(
            &operator,
            "admit_application",
            &admit_body(late, second, start),
            &format!("/applications/{late}/admit"),
        )
        .await;
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let (_, html) = app.page_as(&operator, location.trim_start_matches(&app.url("")), false).await;
    assert!(html.contains("单元 302 在所选期间已被出租"), "the conflict is explained on the page");
}

/// The queue comes fifty at a time: the operator sees the first page with a link to the next
/// that keeps the filter, and the next page holds the rest.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_application_queue_pages_and_its_links_keep_the_filter() {
    let app = spawn_app().await;
    let (carrier, ..) = carrier_with_units(&app, &format!("排队测试孵化器{}", unique())).await;
    let (_, startup, email) = app.startup(&format!("排队企业{}", unique())).await;
    let (operator, _) = app.operator_of(carrier).await;
    let size = domain::tenancy::application::APPLICATIONS_PAGE_SIZE as usize;
    for _ in 0..size + 1 {
        submitted_application(&app, startup, &email, carrier, true).await;
    }
    let rows = |html: &str| html.matches("href=\"/applications/").count();
    let (status, first) = app.page_as(&operator, "/applications?state=under_review", false).await;
    assert_eq!(status, 200);
    assert_eq!(rows(&first), size);
    assert!(first.contains("href=\"/applications?state=under_review&amp;page=2\""), "a link to the next page");
    let (status, second) = app.page_as(&operator, "/applications?state=under_review&page=2", false).await;
    assert_eq!(status, 200);
    assert_eq!(rows(&second), 1);
}
