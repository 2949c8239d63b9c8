//! Spaces through HTTP: export files, imports with reports, and the area and floor pages.

use crate::support::{TestApp, encode, spawn_app};
use reqwest::Client;
use serde_json::Value;

async fn import_file(app: &TestApp, client: &Client, carrier: &str, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("effective_on", "2025-01-01")
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()));
    client
        .post(app.url(&format!("/carriers/{carrier}/units/import")))
        .header("origin", app.url(""))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

fn csv(rows: &[&str]) -> Vec<u8> {
    let mut text = domain::space::import::UNIT_COLUMNS.join(",");
    for row in rows {
        text.push('\n');
        text.push_str(row);
    }
    text.into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_csv_with_one_bad_row_imports_nothing_and_the_report_page_says_where() {
    let app = spawn_app().await;
    let carrier_id = app.carrier("导入测试孵化器", "兰山区").await;
    // The carrier's spaces are its operators' to record.
    let (operator, _) = app.operator_of(carrier_id).await;
    let carrier = carrier_id.to_string();
    let file = csv(&[
        "一号园区,A座,1F,101,private_office,80,72,tenant,,50,per_m2,",
        "一号园区,A座,1F,102,private_office,abc,72,tenant,,,,",
        "一号园区,A座,2F,201,open_workstations,150,140,tenant,30,300,per_desk,",
    ]);
    let response = import_file(&app, &operator, &carrier, "units.csv", file).await;
    assert_eq!(response.status(), 303);
    let report_path = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(report_path.starts_with("/imports/"));

    let (status, html) = app.page_as(&operator, &report_path, false).await;
    assert_eq!(status, 200);
    assert!(html.contains("发现 1 处问题，未导入任何数据"), "the summary says nothing was imported");
    // Without the hydration markers (`<!>`) that the renderer leaves between text nodes.
    let text = html.replace("<!>", "");
    assert!(text.contains("<td class=\"number\">3</td>"), "row 3 (the header is row 1)");
    assert!(html.contains("gross_area_m2"));
    assert!(html.contains("请填写整数") || html.contains("不是"), "a message in Chinese");
    let exported =
        operator.get(app.url(&format!("/carriers/{carrier}/units.csv"))).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(server::files::read_table("x.csv", &exported).unwrap().len(), 1, "only the header: nothing imported");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_reimports_unchanged_as_csv_and_as_xlsx() {
    let app = spawn_app().await;
    let carrier_id = app.carrier("往返测试孵化器", "河东区").await;
    // The carrier's spaces are its operators' to record.
    let (operator, _) = app.operator_of(carrier_id).await;
    let carrier = carrier_id.to_string();
    let file = csv(&[
        "一号园区,A座,1F,101,private_office,80.55,72.25,tenant,,50,per_m2,",
        "一号园区,A座,1F,102,open_workstations,150,140,tenant,30,300,per_desk,in_service",
        "一号园区,B座,B1,B01,lab_workshop,300,280,tenant,,,,out_of_service",
    ]);
    assert_eq!(import_file(&app, &operator, &carrier, "first.csv", file).await.status(), 303);

    for (extension, content_type) in [
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ] {
        let response = operator.get(app.url(&format!("/carriers/{carrier}/units.{extension}"))).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], content_type);
        assert!(
            response.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains(&format!("units-{carrier}.{extension}"))
        );
        let bytes = response.bytes().await.unwrap().to_vec();
        let table = server::files::read_table(&format!("export.{extension}"), &bytes).unwrap();
        assert_eq!(table.len(), 4);
        assert_eq!(table[1][5], "80.55", "areas travel exactly");

        let again = import_file(&app, &operator, &carrier, &format!("export.{extension}"), bytes).await;
        let report_id = again.headers()["location"].to_str().unwrap().trim_start_matches("/imports/").to_owned();
        let report: Value =
            app.call_as(&operator, "get_import", &format!("id={report_id}")).await.json().await.unwrap();
        assert_eq!(report["problems"].as_array().unwrap().len(), 0, "{report}");
        assert_eq!(
            (report["added"].as_u64(), report["changed"].as_u64(), report["unchanged"].as_u64()),
            (Some(0), Some(0), Some(3))
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_that_is_not_csv_or_xlsx_is_sent_back_with_a_reason() {
    let app = spawn_app().await;
    let carrier_id = app.carrier("文件类型孵化器", "兰山区").await;
    // The carrier's spaces are its operators' to record.
    let (operator, _) = app.operator_of(carrier_id).await;
    let carrier = carrier_id.to_string();
    let response = import_file(&app, &operator, &carrier, "units.pdf", b"%PDF-1.7".to_vec()).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], format!("/carriers/{carrier}/spaces/import?error=type"));
    let (_, html) = app.page_as(&operator, &format!("/carriers/{carrier}/spaces/import?error=type"), false).await;
    assert!(html.contains("请上传 .csv 或 .xlsx 文件"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_area_and_floor_pages_show_the_spaces_as_on_the_chosen_day() {
    let app = spawn_app().await;
    let carrier = app.carrier("页面测试孵化器", "兰山区").await;
    let (operator, _) = app.operator_of(carrier).await;
    let site: i64 = app
        .call_as(
            &operator,
            "create_site",
            &encode(&[
                ("carrier", carrier.to_string()),
                ("form[name]", "一号园区".into()),
                ("form[address]", "兰山区测试路".into()),
            ]),
        )
        .await
        .json()
        .await
        .unwrap();
    let building: i64 =
        app.call_as(&operator, "create_building", &format!("site={site}&name=A")).await.json().await.unwrap();
    let floor: i64 =
        app.call_as(&operator, "create_floor", &format!("building={building}&label=3F")).await.json().await.unwrap();
    let unit = |code: &str, gross: &str, on: &str| {
        encode(&[
            ("floor", floor.to_string()),
            ("form[code]", code.into()),
            ("form[kind]", "open_workstations".into()),
            ("form[gross_area]", gross.into()),
            ("form[usable_area]", gross.into()),
            ("form[use_category]", "tenant".into()),
            ("form[desks]", "12".into()),
            ("effective_on", on.into()),
            ("reason", "新建".into()),
        ])
    };
    assert_eq!(app.call_as(&operator, "add_unit", &unit("301", "100", "2024-01-01")).await.status(), 200);
    assert_eq!(app.call_as(&operator, "add_unit", &unit("302", "60.5", "2025-01-01")).await.status(), 200);
    let refused = app.call_as(&operator, "add_unit", &unit("303", "-1", "2025-01-01")).await;
    assert_eq!(refused.status(), 422);

    let (status, html) = app.page_as(&operator, &format!("/carriers/{carrier}/spaces"), false).await;
    assert_eq!(status, 200);
    assert!(html.contains("160.50\u{a0}平方米"));
    assert!(html.contains("<svg"), "the chart is drawn on the server");
    let (_, past) = app.page_as(&operator, &format!("/carriers/{carrier}/spaces?on=2024-06-30"), false).await;
    assert!(past.contains("100.00\u{a0}平方米") && !past.contains("160.50\u{a0}平方米"));

    let (status, floor_html) = app.page_as(&operator, &format!("/floors/{floor}"), false).await;
    assert_eq!(status, 200);
    assert_eq!(floor_html.matches("data-status=\"vacant\"").count(), 2);
    assert!(floor_html.contains("12 个工位"));
}
