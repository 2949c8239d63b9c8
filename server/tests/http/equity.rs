//! The equity ledger through HTTP: recording a round as an operator's browser does, the pages
//! that show it, and the OCF download as a zip.

use crate::support::{TestApp, encode, spawn_app, unique};
use crate::tenancy::{carrier_with_units, submitted_application};
use domain::time::today;
use domain::{CarrierId, StartupId};
use reqwest::Client;
use serde_json::Value;
use std::io::Read;

/// A carrier leasing a unit to a startup; returns the carrier, its operator, the startup and a
/// member's browser.
async fn tenancy(app: &TestApp) -> (CarrierId, Client, StartupId, Client, String) {
    let (carrier, _, unit, _) = carrier_with_units(app, &format!("股权孵化器{}", unique())).await;
    let name = format!("股权企业{}", unique());
    let (member, startup, email) = app.startup(&name).await;
    let application = submitted_application(app, startup, &email, carrier, true).await;
    let terms = domain::tenancy::lease::LeaseForm {
        units: vec![unit.to_string()],
        starts_on: "2025-01-01".into(),
        monthly_rent: "2000".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    service::tenancy::applications::admit(&app.db.conn, &crate::support::operators(), application, &terms)
        .await
        .unwrap();
    let (operator, _) = app.operator_of(carrier).await;
    (carrier, operator, startup, member, name)
}

fn formation(startup: StartupId) -> String {
    encode(&[
        ("startup", startup.to_string()),
        ("form[kind]", "formation".into()),
        ("form[on]", "2025-02-01".into()),
        ("form[rows][0][name]", "周创".into()),
        ("form[rows][0][kind]", "founder".into()),
        ("form[rows][0][amount]", "900,000".into()),
        ("form[rows][1][name]", "园区孵化器".into()),
        ("form[rows][1][kind]", "carrier".into()),
        ("form[rows][1][amount]", "100000".into()),
        ("form[rows][2][name]", "".into()),
        ("form[rows][2][amount]", "".into()),
    ])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_records_a_round_with_the_carrier_following_on_and_every_page_and_the_ocf_zip_show_it() {
    let app = spawn_app().await;
    let (carrier, operator, startup, member, name) = tenancy(&app).await;
    let response = app.call_as(&operator, "record_equity_event", &formation(startup)).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let table: Value =
        app.call_as(&operator, "get_cap_table", &format!("startup={startup}")).await.json().await.unwrap();
    let carrier_holder = table["holders"].as_array().unwrap().iter().find(|h| h["name"] == "园区孵化器").unwrap()["id"]
        .as_i64()
        .unwrap();

    // A round with a mistake: the valuation is not a number. Nothing is written; the field says why.
    let round = |pre_money: &str| {
        encode(&[
            ("startup", startup.to_string()),
            ("form[kind]", "capital_increase".into()),
            ("form[on]", today().to_string()),
            ("form[stage]", "a".into()),
            ("form[pre_money]", pre_money.into()),
            ("form[rows][0][holder]", carrier_holder.to_string()),
            ("form[rows][0][amount]", "250000".into()),
            ("form[rows][0][channel]", "cash".into()),
            ("form[rows][1][name]", "沂蒙资本".into()),
            ("form[rows][1][kind]", "investor".into()),
            ("form[rows][1][amount]", "2250000".into()),
            ("form[rows][1][channel]", "cash".into()),
        ])
    };
    let refused = app.call_as(&operator, "record_equity_event", &round("一千万")).await;
    assert_eq!(refused.status(), 422);
    let body = refused.text().await.unwrap();
    assert!(body.contains("pre_money"), "{body}");
    // A new holder named like a current one is refused at its own row (after a blank one).
    let clash = encode(&[
        ("startup", startup.to_string()),
        ("form[kind]", "capital_increase".into()),
        ("form[on]", today().to_string()),
        ("form[stage]", "a".into()),
        ("form[pre_money]", "10000000".into()),
        ("form[rows][0][amount]", "".into()),
        ("form[rows][1][name]", "周创".into()),
        ("form[rows][1][kind]", "investor".into()),
        ("form[rows][1][amount]", "1000".into()),
        ("form[rows][1][channel]", "cash".into()),
    ]);
    let refused = app.call_as(&operator, "record_equity_event", &clash).await;
    assert_eq!(refused.status(), 422);
    let body = refused.text().await.unwrap();
    assert!(body.contains("rows.1.name") && body.contains("name_taken"), "{body}");
    let unchanged: Value =
        app.call_as(&operator, "get_cap_table", &format!("startup={startup}")).await.json().await.unwrap();
    assert_eq!(unchanged["events"].as_array().unwrap().len(), 1, "nothing was written");
    assert_eq!(unchanged["all_holders"].as_array().unwrap().len(), 2);
    let recorded = app.call_as(&operator, "record_equity_event", &round("10,000,000")).await;
    assert_eq!(recorded.status(), 200);
    let round_id: i64 = recorded.json().await.unwrap();

    // The round page: the carrier's pro rata was 250,000 and it kept its 10 %.
    let (status, page) = app.page_as(&operator, &format!("/equity/rounds/{round_id}"), false).await;
    assert_eq!(status, 200);
    for text in ["A 轮", "¥10,000,000.00", "¥12,500,000.00", "¥250,000.00", "10.0000%", "按比例跟投额"] {
        assert!(page.contains(text), "round page lacks {text}");
    }
    // The startup's cap table, read by its member.
    let (status, page) = app.page_as(&member, &format!("/startups/{startup}/equity"), false).await;
    assert_eq!(status, 200);
    for text in ["股权结构", "沂蒙资本", "18.0000%", "72.0000%", "10.0000%", "¥1,250,000.00"] {
        assert!(page.contains(text), "cap table lacks {text}");
    }
    // The carrier's portfolio: 250,000 of follow-on, valued at 10 yuan per yuan of capital.
    let (status, page) = app.page_as(&operator, &format!("/carriers/{carrier}/portfolio"), true).await;
    assert_eq!(status, 200);
    for text in ["Portfolio", name.as_str(), "¥250,000.00", "¥1,250,000.00", "3.57×"] {
        assert!(page.contains(text), "portfolio lacks {text}");
    }
    // The bureau's view of the city.
    let (status, page) = app.page_as(&app.bureau().await, "/portfolio", false).await;
    assert_eq!(status, 200);
    assert!(page.contains("全市载体股权投资"));

    // The OCF download: a zip of the manifest and the three files it lists.
    let response = member.get(app.url(&format!("/startups/{startup}/ocf.zip"))).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/zip");
    let bytes = response.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    names.sort();
    assert_eq!(
        names,
        ["Manifest.ocf.json", "stakeholders.ocf.json", "stock_classes.ocf.json", "transactions.ocf.json"]
    );
    let mut read = |name: &str| -> Value {
        let mut text = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
        serde_json::from_str(&text).unwrap()
    };
    let stakeholders = read("stakeholders.ocf.json");
    let names: Vec<&str> =
        stakeholders["items"].as_array().unwrap().iter().map(|s| s["name"]["legal_name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 3);
    assert!(names.contains(&"沂蒙资本") && names.contains(&"园区孵化器"));
    assert_eq!(read("Manifest.ocf.json")["ocf_version"], "1.2.0");
    // A bad date is the caller's mistake.
    let bad = member.get(app.url(&format!("/startups/{startup}/ocf.zip?on=yesterday"))).send().await.unwrap();
    assert_eq!(bad.status(), 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_without_javascript_gets_the_round_page_after_recording() {
    let app = spawn_app().await;
    let (_, operator, startup, _, _) = tenancy(&app).await;
    app.call_as(&operator, "record_equity_event", &formation(startup)).await;
    let body = encode(&[
        ("startup", startup.to_string()),
        ("form[kind]", "capital_increase".into()),
        ("form[on]", today().to_string()),
        ("form[stage]", "seed".into()),
        ("form[pre_money]", "3000000".into()),
        ("form[rows][0][name]", "种子基金".into()),
        ("form[rows][0][kind]", "investor".into()),
        ("form[rows][0][amount]", "300000".into()),
        ("form[rows][0][channel]", "cash".into()),
    ]);
    let response =
        app.post_form_as(&operator, "record_equity_event", &body, &format!("/startups/{startup}/equity/new")).await;
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/equity/rounds/"), "{location}");
    let (status, page) = app.page_as(&operator, &location, false).await;
    assert_eq!((status, page.contains("种子轮")), (200, true));
}
