use crate::support::{carrier_form, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_render_in_simplified_chinese_by_default() {
    let app = spawn_app().await;
    let bureau = app.bureau().await;
    let (status, html) = app.page_as(&bureau, "/", false).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<html lang="zh-CN""#), "{}", &html[..html.len().min(300)]);
    assert!(html.contains("孵化载体概览"));
    assert!(html.contains("临沂高新区"), "every district is listed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_cookie_renders_english_on_the_server() {
    let app = spawn_app().await;
    let bureau = app.bureau().await;
    let (status, html) = app.page_as(&bureau, "/carriers", true).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<html lang="en""#));
    assert!(html.contains("Carrier registry"));
    assert!(!html.contains("载体名录"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_registry_list_renders_fully_on_the_server_with_its_filters() {
    let app = spawn_app().await;
    let bureau = app.bureau().await;
    let lanshan = app.district("兰山区").await;
    let hedong = app.district("河东区").await;
    app.call_as(&bureau, "create_carrier", &carrier_form("兰山测试孵化器", lanshan)).await;
    app.call_as(&bureau, "create_carrier", &carrier_form("河东测试孵化器", hedong)).await;

    let (status, html) = app.page_as(&bureau, &format!("/carriers?district={lanshan}"), false).await;
    assert_eq!(status, 200);
    assert!(html.contains("兰山测试孵化器"));
    assert!(!html.contains("河东测试孵化器"));
    assert!(html.contains("共 1 个载体"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_carrier_that_does_not_exist_is_a_404_page() {
    let app = spawn_app().await;
    let bureau = app.bureau().await;
    for path in ["/carriers/999999", "/carriers/not-a-number", "/carriers/999999/edit", "/no/such/page"] {
        let (status, html) = app.page_as(&bureau, path, false).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("找不到该页面"), "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_carriers_page_shows_its_registration_data() {
    let app = spawn_app().await;
    let bureau = app.bureau().await;
    let district = app.district("沂水县").await;
    let response = app.call_as(&bureau, "create_carrier", &carrier_form("沂水测试孵化器", district)).await;
    let id: i64 = response.json().await.unwrap();

    let (status, html) = app.page_as(&bureau, &format!("/carriers/{id}"), false).await;
    assert_eq!(status, 200);
    for expected in [
        "沂水测试孵化器",
        "沂水县",
        "省级（2020 年认定）",
        "房东+股东",
        "新一代信息技术",
        "生物医药",
        "2018年3月1日",
        "05398123456",
    ] {
        assert!(html.contains(expected), "{expected} missing");
    }
    let (_, english) = app.page_as(&bureau, &format!("/carriers/{id}"), true).await;
    for expected in ["Yishui County", "Provincial (accredited 2020)", "Landlord plus shareholder", "1 Mar 2018"] {
        assert!(english.contains(expected), "{expected} missing");
    }
}
