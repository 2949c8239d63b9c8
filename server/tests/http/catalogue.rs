//! The space catalogue through the server: what a visitor and a startup see, and applying from it.

use crate::support::{TestApp, encode, operators, spawn_app, unique};
use domain::CarrierId;

/// A carrier with one vacant 45 m² office, `A座 1F·101`, at 60 yuan per m² per month.
async fn carrier_with_office(app: &TestApp, name: &str) -> CarrierId {
    let carrier = app.carrier(name, "兰山区").await;
    let ops = operators();
    let form = domain::space::PlaceForm { name: "园区".into(), address: "临沂市兰山区".into() };
    let site = service::spaces::create_site(&app.db.conn, &ops, carrier, &form).await.unwrap();
    let building = service::spaces::create_building(&app.db.conn, &ops, site, "A座").await.unwrap();
    let floor = service::spaces::create_floor(&app.db.conn, &ops, building, "1F").await.unwrap();
    let spec = domain::space::UnitForm {
        kind: "private_office".into(),
        gross_area: "50".into(),
        usable_area: "45".into(),
        use_category: "tenant".into(),
        list_rent: "60".into(),
        rent_basis: "per_m2".into(),
        ..Default::default()
    }
    .parse_spec()
    .unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    service::spaces::add_unit(&app.db.conn, &ops, floor, "101", &spec, day, "新建").await.unwrap();
    carrier
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_finds_listed_space_and_a_startup_applies_for_a_unit_from_it() {
    let app = spawn_app().await;
    let listed_name = format!("公开目录孵化器{}", unique());
    let hidden_name = format!("内部目录孵化器{}", unique());
    let listed = carrier_with_office(&app, &listed_name).await;
    carrier_with_office(&app, &hidden_name).await;

    // The operator lists the carrier publicly, with a description.
    let (operator, _) = app.operator_of(listed).await;
    let body = encode(&[
        ("carrier", listed.to_string()),
        ("version", "1".into()),
        ("form[description]", "提供中试车间与投融资对接".into()),
        ("form[public]", "on".into()),
    ]);
    assert_eq!(app.call_as(&operator, "update_listing", &body).await.status(), 200);
    // A description over 500 characters is refused, in the reader's words, and nothing changes.
    let long =
        encode(&[("carrier", listed.to_string()), ("version", "2".into()), ("form[description]", "孵".repeat(501))]);
    let refused = app.call_as(&operator, "update_listing", &long).await;
    assert_eq!(refused.status(), 422);

    let (status, html) = app.page_as(&app.anonymous, "/space", false).await;
    assert_eq!(status, 200);
    assert!(html.contains(&listed_name) && html.contains("提供中试车间与投融资对接"));
    assert!(!html.contains(&hidden_name), "not listed publicly: signed-in users only");
    assert!(html.contains("A座 1F·101"), "units are named with building and floor");
    assert!(html.contains("注册企业账户后申请"));
    let (_, english) = app.page_as(&app.anonymous, "/space", true).await;
    assert!(english.contains("Find space") && english.contains("Register your startup to apply"));

    // A startup sees every carrier and applies from a unit: the form opens on that carrier, with
    // the unit's area and name filled in.
    let (startup, startup_id, _) = app.startup(&format!("目录申请企业{}", unique())).await;
    let (_, html) = app.page_as(&startup, "/space", false).await;
    assert!(html.contains(&listed_name) && html.contains(&hidden_name));
    let apply = format!("/startups/{startup_id}/apply?carrier={listed}&amp;kind=area&amp;area=45.00&amp;unit=");
    assert!(html.contains(&apply), "a link to apply for the unit");
    let link = apply.replace("&amp;", "&") + &app::url_encode("A座 1F·101");
    let (status, form) = app.page_as(&startup, &link, false).await;
    assert_eq!(status, 200);
    assert!(form.contains(&format!(r#"<option value="{listed}" selected"#)), "the carrier is chosen");
    assert!(form.contains(r#"value="45.00""#), "the unit's area is filled in");
    assert!(form.contains("意向单元：A座 1F·101。"));
    assert!(form.contains("不早于今天"), "the date rule is stated before submission");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_catalogue_reads_any_address_without_failing() {
    let app = spawn_app().await;
    for query in [
        "?page=99999999999999999999&min_area=-1&district=abc&industry=%00&kind=x",
        "?page=10000&min_area=1e9",
        "?min_area=999999999999999999999999",
    ] {
        let (status, html) = app.page_as(&app.anonymous, &format!("/space{query}"), false).await;
        assert_eq!(status, 200, "{query}");
        assert!(html.contains("没有符合条件的载体"), "{query}");
    }
}
