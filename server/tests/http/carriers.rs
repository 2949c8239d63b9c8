use crate::support::{carrier_form, encode, spawn_app};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registering_a_carrier_returns_its_id_and_sends_the_browser_to_its_page() {
    let app = spawn_app().await;
    let bureau = app.bureau().await;
    let district = app.district("兰山区").await;
    let response = app.call_as(&bureau, "create_carrier", &carrier_form("兰山创新孵化器", district)).await;
    assert_eq!(response.status(), 200);
    let id: i64 = response.json().await.unwrap();
    let listed = app
        .call_as(&bureau, "list_carriers", &encode(&[("query[q]", "兰山创新".to_owned())]))
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["id"], id);
    assert_eq!(listed["items"][0]["name"], "兰山创新孵化器");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_submission_is_a_422_with_every_problem_and_writes_nothing() {
    let app = spawn_app().await;
    let bureau = app.bureau().await;
    let body = encode(&[("form[name]", "X".to_owned()), ("form[contact_phone]", "12345".to_owned())]);
    let response = app.call_as(&bureau, "create_carrier", &body).await;
    assert_eq!(response.status(), 422);
    let error: Value = response.json().await.unwrap();
    let errors = error["Invalid"]["errors"].as_array().unwrap();
    let problem = |field: &str| {
        errors.iter().find(|e| e["field"] == field).map(|e| e["problem"]["code"].as_str().unwrap().to_owned())
    };
    assert_eq!(problem("name").as_deref(), Some("too_short"));
    assert_eq!(problem("contact_phone").as_deref(), Some("invalid_phone"));
    assert_eq!(problem("kind").as_deref(), Some("required"));
    assert_eq!(problem("industries").as_deref(), Some("none_chosen"));
    let listed = app.call_as(&bureau, "list_carriers", "query[page]=1").await.json::<Value>().await.unwrap();
    assert_eq!(listed["total"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_taken_name_is_refused_with_a_field_error() {
    let app = spawn_app().await;
    let bureau = app.bureau().await;
    let district = app.district("罗庄区").await;
    assert_eq!(app.call_as(&bureau, "create_carrier", &carrier_form("罗庄孵化器", district)).await.status(), 200);
    let response = app.call_as(&bureau, "create_carrier", &carrier_form("罗庄孵化器", district)).await;
    assert_eq!(response.status(), 422);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["Invalid"]["errors"][0]["field"], "name");
    assert_eq!(error["Invalid"]["errors"][0]["problem"]["code"], "name_taken");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_requests_are_400_not_500() {
    let app = spawn_app().await;
    let bureau = app.bureau().await;
    assert_eq!(app.call_as(&bureau, "get_carrier", "id=abc").await.status(), 400);
    assert_eq!(app.call_as(&bureau, "update_carrier", "id=1&version=x").await.status(), 400);
    assert_eq!(app.call_as(&bureau, "set_carrier_archived", "id=1&archived=maybe").await.status(), 400);
    assert_eq!(app.call_as(&bureau, "get_carrier", "id=424242").await.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_from_a_stale_page_is_a_409_and_changes_nothing() {
    let app = spawn_app().await;
    let bureau = app.bureau().await;
    let district = app.district("河东区").await;
    let id: i64 =
        app.call_as(&bureau, "create_carrier", &carrier_form("河东孵化器", district)).await.json().await.unwrap();

    let first = format!("id={id}&version=1&{}", carrier_form("河东智造孵化器", district));
    assert_eq!(app.call_as(&bureau, "update_carrier", &first).await.status(), 200);
    let late = format!("id={id}&version=1&{}", carrier_form("河东新材料孵化器", district));
    assert_eq!(app.call_as(&bureau, "update_carrier", &late).await.status(), 409);

    let carrier: Value = app.call_as(&bureau, "get_carrier", &format!("id={id}")).await.json().await.unwrap();
    assert_eq!(carrier["data"]["name"], "河东智造孵化器");
    assert_eq!(carrier["version"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_posted_without_javascript_comes_back_with_its_errors_and_input() {
    let app = spawn_app().await;
    let bureau = app.bureau().await;
    let body = encode(&[("form[name]", "临沂无脚本孵化器".to_owned()), ("form[contact_phone]", "12345".to_owned())]);
    let response = app.post_form_as(&bureau, "create_carrier", &body, "/carriers/new").await;
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.contains("/carriers/new?"), "{location}");
    assert!(location.contains("__err="), "the error travels in the URL: {location}");

    // The page it comes back to shows the problems, and the name the user typed.
    let path = location.trim_start_matches(&app.url(""));
    let (status, html) = app.page_as(&bureau, path, false).await;
    assert_eq!(status, 200);
    assert!(html.contains("请填写有效的手机号"), "the phone problem is shown");
    assert!(html.contains(r#"value="临沂无脚本孵化器""#), "the input is kept");
    let listed = app.call_as(&bureau, "list_carriers", "query[page]=1").await.json::<Value>().await.unwrap();
    assert_eq!(listed["total"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_valid_form_posted_without_javascript_goes_to_the_new_carriers_page() {
    let app = spawn_app().await;
    let bureau = app.bureau().await;
    let district = app.district("费县").await;
    let response =
        app.post_form_as(&bureau, "create_carrier", &carrier_form("费县无脚本孵化器", district), "/carriers/new").await;
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap();
    assert!(location.starts_with("/carriers/"), "{location}");
    let (status, html) = app.page_as(&bureau, location, false).await;
    assert_eq!(status, 200);
    assert!(html.contains("费县无脚本孵化器"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn archiving_hides_a_carrier_from_the_list_until_it_is_restored() {
    let app = spawn_app().await;
    let bureau = app.bureau().await;
    let district = app.district("平邑县").await;
    let id: i64 =
        app.call_as(&bureau, "create_carrier", &carrier_form("平邑孵化器", district)).await.json().await.unwrap();

    assert_eq!(app.call_as(&bureau, "set_carrier_archived", &format!("id={id}&archived=true")).await.status(), 200);
    let listed = app.call_as(&bureau, "list_carriers", "query[page]=1").await.json::<Value>().await.unwrap();
    assert_eq!(listed["total"], 0);
    let (_, html) = app.page_as(&bureau, &format!("/carriers/{id}"), false).await;
    assert!(html.contains("该载体已归档"));

    assert_eq!(app.call_as(&bureau, "set_carrier_archived", &format!("id={id}&archived=false")).await.status(), 200);
    let listed = app.call_as(&bureau, "list_carriers", "query[page]=1").await.json::<Value>().await.unwrap();
    assert_eq!(listed["total"], 1);
}

/// Archiving and editing the dated attributes through the server functions: the effective day is
/// checked (no future, not before the opening, a real date), each refusal a field error, and the
/// carrier's page lists the dated rows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dated_changes_through_the_api_take_an_effective_day_and_refuse_a_bad_one() {
    let app = spawn_app().await;
    let bureau = app.bureau().await;
    let district = app.district("兰山区").await;
    let hedong = app.district("河东区").await;
    let id: i64 =
        app.call_as(&bureau, "create_carrier", &carrier_form("历史接口孵化器", district)).await.json().await.unwrap();
    let problem =
        |error: &Value| error["Invalid"]["errors"][0]["problem"]["code"].as_str().unwrap_or_default().to_owned();
    for (day, code) in
        [("2099-01-01", "date_in_future"), ("2018-02-28", "date_too_early"), ("2020-02-30", "not_a_date")]
    {
        let body = encode(&[("id", id.to_string()), ("archived", "true".into()), ("effective_on", day.into())]);
        let response = app.call_as(&bureau, "set_carrier_archived", &body).await;
        assert!(matches!(response.status().as_u16(), 400 | 422), "{day}: {}", response.status());
        assert_eq!(problem(&response.json::<Value>().await.unwrap()), code, "{day}");
    }
    // A move to Hedong from 2021, recorded today, then the archive from 2024.
    let mut form = carrier_form("历史接口孵化器", hedong);
    form.push_str(&format!("&{}", encode(&[("form[effective_on]", "2021-01-01".into())])));
    let response = app.call_as(&bureau, "update_carrier", &format!("id={id}&version=1&{form}")).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let body = encode(&[("id", id.to_string()), ("archived", "true".into()), ("effective_on", "2024-06-01".into())]);
    assert_eq!(app.call_as(&bureau, "set_carrier_archived", &body).await.status(), 200);
    let view: Value = app.call_as(&bureau, "get_carrier", &format!("id={id}")).await.json().await.unwrap();
    let history = view["history"].as_array().unwrap();
    let rows: Vec<(String, bool)> =
        history.iter().map(|r| (r["from"].as_str().unwrap().to_owned(), r["archived"].as_bool().unwrap())).collect();
    assert_eq!(
        rows,
        [("2018-03-01".to_owned(), false), ("2021-01-01".to_owned(), false), ("2024-06-01".to_owned(), true)]
    );
    assert_eq!(history[0]["district_zh"], "兰山区");
    assert_eq!(history[1]["district_zh"], "河东区");
}
