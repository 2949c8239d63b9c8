//! The server probed as an attacker would: import bombs, bodies a server function cannot read,
//! redirects off the site, dates at chrono's limits, ids that do not exist, forged forwarding
//! headers, many edits at once; and what every answer carries (cache and transport headers,
//! `Retry-After`, the audit record of a refusal).

use crate::support::{Options, PASSWORD, TestApp, browser, encode, spawn_app, spawn_app_with_options, unique};
use reqwest::header::{CONTENT_TYPE, ORIGIN};
use reqwest::multipart::{Form, Part};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;
use std::io::Write;

/// An XLSX with one cell in A1 and one in XFD1048576 (1.6 KB): read as a grid, 512 GiB.
pub(crate) fn far_corner_xlsx() -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "site").unwrap();
    sheet.write_string(1_048_575, 16_383, "far").unwrap();
    workbook.save_to_buffer().unwrap()
}

/// A zip whose one part inflates to `inflated` bytes of spaces.
pub(crate) fn zip_bomb(inflated: usize) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/sharedStrings.xml", options).unwrap();
    let block = vec![b' '; 1024 * 1024];
    for _ in 0..inflated / block.len() {
        zip.write_all(&block).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

async fn post_import(
    app: &TestApp,
    client: &reqwest::Client,
    carrier: domain::CarrierId,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let form =
        Form::new().text("effective_on", "2025-01-01").part("file", Part::bytes(bytes).file_name(name.to_owned()));
    client
        .post(app.url(&format!("/carriers/{carrier}/units/import")))
        .header(ORIGIN, app.url(""))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_from_a_caller_who_may_not_import_is_refused_before_the_file_is_read() {
    let app = spawn_app().await;
    let carrier = app.carrier(&format!("炸弹孵化器{}", unique()), "兰山区").await;
    let (startup, _, _) = app.startup(&format!("新注册企业{}", unique())).await;
    let response = post_import(&app, &startup, carrier, "bomb.xlsx", far_corner_xlsx()).await;
    assert_eq!(response.status(), 403);
    let (bureau_client, _) = app.staff(&[domain::account::Role::Bureau]).await;
    let response = post_import(&app, &bureau_client, carrier, "units.csv", b"site\n".to_vec()).await;
    assert_eq!(response.status(), 403, "the bureau reads spaces but does not import them");
    let imports = service::entity::unit_import::Entity::find().count(&app.db.conn).await.unwrap();
    assert_eq!(imports, 0);
}

/// A refusal read by the client, on a connection that stays open: the upload's last bytes (the
/// line break after the closing boundary) arrive after the handler has refused it, and the
/// server waits for them instead of closing with them unread — which resets the connection, so
/// that the client may never see the refusal. A request sent after them on the same connection
/// is answered too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_upload_is_answered_and_its_connection_kept_when_its_last_bytes_come_late() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app().await;
    for path in ["/carriers/1/units/import", "/applications/1/document"] {
        let body = "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"units.csv\"\r\n\
                    Content-Type: text/csv\r\n\r\nsite\n\r\n--x--\r\n";
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {0}\r\nOrigin: http://{0}\r\n\
             Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {1}\r\n\r\n",
            app.address,
            body.len()
        );
        let mut socket = tokio::net::TcpStream::connect(app.address).await.unwrap();
        let (all_but_the_end, end) = body.split_at(body.len() - 2);
        socket.write_all(format!("{head}{all_but_the_end}").as_bytes()).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let next = format!("GET /healthz HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", app.address);
        let sent = async {
            socket.write_all(end.as_bytes()).await?;
            socket.write_all(next.as_bytes()).await
        }
        .await;
        assert!(sent.is_ok(), "{path}: the server closed the connection before the upload's end ({sent:?})");
        let mut answers = Vec::new();
        let read = tokio::time::timeout(std::time::Duration::from_secs(10), socket.read_to_end(&mut answers)).await;
        let answers = String::from_utf8_lossy(&answers);
        assert!(matches!(read, Ok(Ok(_))), "{path}: the connection was not closed in order ({read:?}): {answers}");
        let statuses: Vec<&str> = answers.match_indices("HTTP/1.1 ").map(|(at, _)| &answers[at + 9..at + 12]).collect();
        assert_eq!(statuses.len(), 2, "{path}: two answers on the one connection: {answers}");
        assert!(statuses[0].starts_with('3') || statuses[0].starts_with('4'), "{path}: refused: {answers}");
        assert_eq!(statuses[1], "200", "{path}: and the next request served: {answers}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_bombs_are_refused_with_a_clear_message_and_the_server_stays_up() {
    let app = spawn_app().await;
    let carrier = app.carrier(&format!("炸弹孵化器{}", unique()), "兰山区").await;
    let (operator, email) = app.operator_of(carrier).await;
    let started = std::time::Instant::now();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("far-corner.xlsx", far_corner_xlsx(), "rows"),
        ("inflates.xlsx", zip_bomb(80 * 1024 * 1024), "size"),
        // 5 MB of `x` lines: 2.6 million rows, each a problem once.
        ("lines.csv", "x\n".repeat(2_600_000).into_bytes(), "rows"),
        ("not-a-zip.xlsx", b"PK\x03\x04 this is not a workbook".to_vec(), "read"),
    ];
    for (name, bytes, error) in cases {
        let response = post_import(&app, &operator, carrier, name, bytes).await;
        assert_eq!(response.status(), 303, "{name}");
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        assert!(location.ends_with(&format!("?error={error}")), "{name}: {location}");
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "refused in {:?}", started.elapsed());
    // The server still answers, and other writers are not locked out.
    assert_eq!(app.anonymous.get(app.url("/healthz")).send().await.unwrap().status(), 200);
    app.sign_in(&email, PASSWORD).await;
    // The page names the limits before anyone uploads.
    let (_, page) = app.page_as(&operator, &format!("/carriers/{carrier}/spaces/import"), false).await;
    assert!(page.contains("20,000 行"), "the row limit is stated on the page");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_of_nothing_but_errors_lists_the_first_two_hundred_problems_and_counts_them_all() {
    let app = spawn_app().await;
    let carrier = app.carrier(&format!("错误孵化器{}", unique()), "兰山区").await;
    let (operator, _) = app.operator_of(carrier).await;
    let mut csv = domain::space::import::UNIT_COLUMNS.join(",");
    csv.push('\n');
    for n in 0..1500 {
        csv.push_str(&format!("园区,A座,1F,{n},no_such_kind,abc,def,tenant,,x,per_m2,in_service\n"));
    }
    let response = post_import(&app, &operator, carrier, "bad.csv", csv.into_bytes()).await;
    assert_eq!(response.status(), 303);
    let report_path = response.headers()["location"].to_str().unwrap().to_owned();
    let id = report_path.trim_start_matches("/imports/");
    let report: Value = app.call_as(&operator, "get_import", &format!("id={id}")).await.json().await.unwrap();
    assert_eq!(report["problems"].as_array().unwrap().len(), domain::space::import::MAX_REPORTED_PROBLEMS);
    assert!(report["problem_total"].as_u64().unwrap() >= 1500 * 3, "{}", report["problem_total"]);
    let (_, page) = app.page_as(&operator, &report_path, false).await;
    assert!(page.contains("以下列出前 200 处问题"), "the page says how many it lists");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_functions_answer_bodies_they_cannot_read_with_400_and_oversized_ones_with_413() {
    let app = spawn_app().await;
    let bureau = app.bureau().await;
    let post = |content_type: &'static str, body: Vec<u8>| {
        bureau
            .post(app.url("/api/list_carriers"))
            .header(ORIGIN, app.url(""))
            .header(CONTENT_TYPE, content_type)
            .body(body)
            .send()
    };
    let urlencoded = "application/x-www-form-urlencoded";
    assert_eq!(post(urlencoded, b"query[page]=1\xff\xfe".to_vec()).await.unwrap().status(), 400, "invalid UTF-8");
    assert_eq!(post(urlencoded, b"query[page]=%FF%FE".to_vec()).await.unwrap().status(), 400, "encoded invalid UTF-8");
    assert_eq!(post(urlencoded, (0..=255u8).cycle().take(4096).collect()).await.unwrap().status(), 400, "binary");
    assert_eq!(post("application/json", b"{\"query\": [".to_vec()).await.unwrap().status(), 400, "broken JSON");
    let huge = post(urlencoded, format!("query[search]={}", "x".repeat(300 * 1024)).into_bytes()).await.unwrap();
    assert_eq!(huge.status(), 413);
    assert_eq!(huge.json::<Value>().await.unwrap()["TooLarge"]["max_kb"], 256);
    assert_eq!(post(urlencoded, b"query[page]=99999999999999999999".to_vec()).await.unwrap().status(), 400);
    // A declared length over the limit is refused at once, without waiting for the gigabyte.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut socket = tokio::net::TcpStream::connect(app.address).await.unwrap();
    let head = format!(
        "POST /api/list_carriers HTTP/1.1\r\nHost: {0}\r\nOrigin: http://{0}\r\nContent-Type: {urlencoded}\r\n\
         Content-Length: 1073741824\r\n\r\nquery[page]=1",
        app.address
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    let mut answer = vec![0u8; 512];
    let read =
        tokio::time::timeout(std::time::Duration::from_secs(5), socket.read(&mut answer)).await.unwrap().unwrap();
    let answer = String::from_utf8_lossy(&answer[..read]);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert_eq!(app.call_as(&bureau, "list_carriers", "query[page]=1").await.status(), 200, "still serving");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_and_the_language_switch_send_users_only_to_paths_on_this_site() {
    let app = spawn_app().await;
    let (_, email) = app.staff(&[domain::account::Role::Bureau]).await;
    // The values as the server decodes them: a line break, a tab, two slashes, a backslash.
    for next in [
        "/\n/evil.example",
        "/\r\n/evil.example",
        "/\t/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example",
    ] {
        let browser = browser();
        let body = encode(&[("email", email.clone()), ("password", PASSWORD.into()), ("next", next.into())]);
        let response = app.post_form_as(&browser, "login", &body, "/login").await;
        assert_eq!(response.status(), 302, "{next:?}");
        assert_eq!(response.headers()["location"], "/", "{next:?}");
        let encoded = encode(&[("next", next.into())]);
        let response = app.anonymous.get(app.url(&format!("/lang/en?{encoded}"))).send().await.unwrap();
        assert_eq!(response.headers()["location"], "/", "{next:?}");
    }
    // A path on the site is kept, and `%0a` that stays encoded is only text in a path.
    for next in ["/carriers?on=2026-01-01", "/%0a/evil.example"] {
        let browser = browser();
        let body = encode(&[("email", email.clone()), ("password", PASSWORD.into()), ("next", next.into())]);
        let response = app.post_form_as(&browser, "login", &body, "/login").await;
        assert_eq!(response.headers()["location"], next);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_and_data_are_never_cached() {
    let app = spawn_app().await;
    let bureau = app.bureau().await;
    for response in [
        bureau.get(app.url("/carriers")).send().await.unwrap(),
        app.call_as(&bureau, "get_me", "").await,
        app.anonymous.get(app.url("/login")).send().await.unwrap(),
    ] {
        let url = response.url().to_string();
        assert_eq!(response.headers()["cache-control"], "no-store", "{url}");
        assert!(!response.headers().contains_key("strict-transport-security"), "plain HTTP here");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_https_cookies_are_secure_and_browsers_are_told_to_stay_on_https() {
    let options = Options {
        security: server::security::Security { secure_cookies: true, reload_port: None },
        ..Default::default()
    };
    let app = spawn_app_with_options(app::api::SessionPolicy::default(), options).await;
    let (_, email) = app.staff(&[domain::account::Role::Bureau]).await;
    let body = encode(&[("email", email), ("password", PASSWORD.into())]);
    let response = app.post_form_as(&browser(), "login", &body, "/login").await;
    let hsts = response.headers()["strict-transport-security"].to_str().unwrap();
    assert!(hsts.starts_with("max-age=31536000"), "{hsts}");
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("Secure"), "{cookie}");
    let lang = app.anonymous.get(app.url("/lang/en")).send().await.unwrap();
    assert!(lang.headers()["set-cookie"].to_str().unwrap().contains("Secure"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_in_users_refused_request_is_in_the_audit_trail_with_the_account() {
    let app = spawn_app().await;
    let carrier = app.carrier(&format!("审计孵化器{}", unique()), "兰山区").await;
    let (startup, _, email) = app.startup(&format!("好奇企业{}", unique())).await;
    let response = app.call_as(&startup, "get_carrier", &format!("id={carrier}")).await;
    assert_eq!(response.status(), 403);
    // Probing on: refused each time, but recorded once a minute, so refusals are no way to flood
    // the trail.
    for _ in 0..30 {
        let response = startup.get(app.url(&format!("/carriers/{carrier}/units.csv"))).send().await.unwrap();
        assert_eq!(response.status(), 403);
    }
    let refusals = service::entity::audit_log::Entity::find()
        .filter(service::entity::audit_log::Column::Action.eq("access_refused"))
        .filter(service::entity::audit_log::Column::ActorEmail.eq(email.as_str()))
        .all(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(refusals.len(), 1, "{refusals:?}");
    assert!(refusals[0].after.as_deref().unwrap_or_default().contains("/api/get_carrier"), "the first is recorded");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dates_beyond_the_calendar_are_refused_with_a_message_not_a_panic() {
    let app = spawn_app().await;
    let bureau = app.bureau().await;
    for (function, body) in [
        ("list_audit", "query[page]=1&query[from]=-262143-01-01"),
        ("list_audit", "query[page]=1&query[to]=%2B262142-12-31"),
        ("get_dashboard", "on=%2B262142-12-31"),
        ("get_city_portfolio", "on=-262143-01-01"),
        ("list_carriers", "query[page]=1&query[on]=%2B262142-12-31"),
    ] {
        let response = app.call_as(&bureau, function, body).await;
        let status = response.status().as_u16();
        let error: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!(status, 422, "{function} {body}: {error}");
        assert!(error["Invalid"]["errors"].to_string().contains("date_out_of_range"), "{function}: {error}");
    }
    let response = bureau.get(app.url("/dashboard/export/districts.csv?on=%2B262142-12-31")).send().await.unwrap();
    assert_eq!(response.status(), 422);
    // And an ordinary filter still finds today's entries.
    let today = domain::time::today();
    let found: Value = app
        .call_as(&bureau, "list_audit", &format!("query[page]=1&query[from]={today}&query[to]={today}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(found["total"].as_u64().unwrap() > 0, "{found}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_that_does_not_exist_is_answered_as_one_the_caller_may_not_see() {
    let app = spawn_app().await;
    let (startup, _, _) = app.startup(&format!("探测企业{}", unique())).await;
    let missing = 987_654_321;
    for (function, body) in [
        ("get_carrier", format!("id={missing}")),
        ("get_round", format!("id={missing}")),
        ("get_application", format!("id={missing}")),
        ("get_lease", format!("id={missing}")),
        ("get_floor", format!("floor={missing}")),
        ("get_unit", format!("unit={missing}")),
        ("get_import", format!("id={missing}")),
        ("get_cap_table", format!("startup={missing}")),
        ("get_startup_profile", format!("id={missing}")),
        ("list_startup_leases", format!("startup={missing}")),
        ("get_portfolio", format!("carrier={missing}")),
        ("reverse_equity_event", format!("id={missing}&form[reason]=探测一下这个编号是否存在")),
    ] {
        let status = app.call_as(&startup, function, &body).await.status();
        assert_eq!(status, 403, "{function}");
    }
    for path in [format!("/documents/{missing}"), format!("/startups/{missing}/ocf.zip")] {
        assert_eq!(startup.get(app.url(&path)).send().await.unwrap().status(), 403, "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_throttled_sign_in_says_when_to_try_again() {
    let app = spawn_app().await;
    let (_, email) = app.staff(&[domain::account::Role::Bureau]).await;
    for _ in 0..5 {
        app.call("login", &encode(&[("email", email.clone()), ("password", "wrong".into())])).await;
    }
    let response = app.call("login", &encode(&[("email", email), ("password", "wrong".into())])).await;
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "900");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_the_rightmost_untrusted_address_is_the_one_throttled() {
    let options =
        Options { trusted_proxies: service::client::TrustedProxies::parse("127.0.0.1").unwrap(), ..Default::default() };
    let app = spawn_app_with_options(app::api::SessionPolicy::default(), options).await;
    let attempt = |forwarded: String| {
        let body = encode(&[("email", format!("nobody{}@x.cn", unique())), ("password", "wrong".into())]);
        let client = app.anonymous.clone();
        let url = app.url("/api/login");
        let origin = app.url("");
        async move {
            client
                .post(url)
                .header(ORIGIN, origin)
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("x-forwarded-for", forwarded)
                .body(body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // The attacker changes what it writes on the left every time; the proxy's entry stays.
    for n in 0..service::accounts::CLIENT_FAILURES {
        assert_eq!(attempt(format!("10.9.{}.{}, 198.51.100.7", n / 200, n % 200)).await, 401);
    }
    assert_eq!(attempt("1.2.3.4, 198.51.100.7".into()).await, 429, "the forged part changed nothing");
    assert_eq!(attempt("198.51.100.8".into()).await, 401, "another client is not held back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_trusted_proxy_a_forwarded_header_changes_nothing() {
    let app = spawn_app().await;
    for n in 0..service::accounts::CLIENT_FAILURES {
        let body = encode(&[("email", format!("nobody{}@x.cn", unique())), ("password", "wrong".into())]);
        let status = app
            .anonymous
            .post(app.url("/api/login"))
            .header(ORIGIN, app.url(""))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("x-forwarded-for", format!("10.8.0.{n}"))
            .body(body)
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 401);
    }
    let body = encode(&[("email", "last@x.cn".to_owned()), ("password", "wrong".into())]);
    let status = app
        .anonymous
        .post(app.url("/api/login"))
        .header(ORIGIN, app.url(""))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-forwarded-for", "10.8.1.1")
        .body(body)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 429, "every attempt came from the same peer, whatever the header said");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixteen_saves_of_one_carrier_from_the_same_version_leave_one_saved_and_fifteen_told_why() {
    let app = spawn_app().await;
    let bureau = app.bureau().await;
    let district = app.district("兰山区").await;
    let carrier = app.carrier(&format!("并发孵化器{}", unique()), "兰山区").await;
    let saves: Vec<_> = (0..16)
        .map(|n| {
            let form = crate::support::carrier_form(&format!("并发保存{n}-{}", unique()), district);
            let body = format!("id={carrier}&version=1&{form}");
            let (client, url, origin) = (bureau.clone(), app.url("/api/update_carrier"), app.url(""));
            tokio::spawn(async move {
                client
                    .post(url)
                    .header(ORIGIN, origin)
                    .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header("accept", "application/json")
                    .body(body)
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for save in saves {
        statuses.push(save.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 15, "{statuses:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_twenty_thousand_row_import_keeps_other_writers_answered() {
    let app = spawn_app().await;
    let carrier = app.carrier(&format!("大导入孵化器{}", unique()), "兰山区").await;
    let (operator, _) = app.operator_of(carrier).await;
    let mut csv = domain::space::import::UNIT_COLUMNS.join(",");
    csv.push('\n');
    for n in 0..domain::space::import::MAX_IMPORT_ROWS {
        let (building, floor, unit) = (n / 2000, (n / 100) % 20 + 1, n % 100 + 1);
        csv.push_str(&format!(
            "二期,B{building}座,{floor}F,{unit:03},private_office,60,50,tenant,,45,per_m2,in_service\n"
        ));
    }
    let started = std::time::Instant::now();
    let import = post_import(&app, &operator, carrier, "big.csv", csv.into_bytes());
    // Meanwhile, others sign in (each a write: the attempt is recorded) and are answered.
    let others = async {
        let mut statuses = Vec::new();
        let mut slowest = std::time::Duration::ZERO;
        for n in 0..12 {
            tokio::time::sleep(std::time::Duration::from_millis(150)).await;
            let body = encode(&[("email", format!("waiting{n}@x.cn")), ("password", "wrong".into())]);
            let asked = std::time::Instant::now();
            statuses.push(app.call("login", &body).await.status().as_u16());
            slowest = slowest.max(asked.elapsed());
        }
        (statuses, slowest)
    };
    let (response, (statuses, slowest)) = tokio::join!(import, others);
    let took = started.elapsed();
    assert_eq!(response.status(), 303);
    let report_path = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(report_path.starts_with("/imports/"), "{report_path}");
    let id = report_path.trim_start_matches("/imports/");
    let report: Value = app.call_as(&operator, "get_import", &format!("id={id}")).await.json().await.unwrap();
    assert_eq!(report["added"], 20_000, "{report}");
    assert!(statuses.iter().all(|s| *s == 401), "every other writer was answered: {statuses:?}");
    // On SQLite a writer waits for the import's write lock (up to the busy timeout); on
    // PostgreSQL it does not wait at all. Either way it is answered, and in time.
    assert!(slowest < std::time::Duration::from_secs(15), "the slowest sign-in took {slowest:?}");
    eprintln!(
        "[measure] 20,000-row import: {:.1} s; 12 sign-ins meanwhile all answered 401, the slowest in {:.2} s",
        took.as_secs_f64(),
        slowest.as_secs_f64()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_are_cut_off_and_a_full_server_says_when_to_come_back() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let limits = server::serve::Limits {
        header_read_timeout: std::time::Duration::from_secs(1),
        // Longer than the two seconds a request waits for a free slot.
        body_read_timeout: std::time::Duration::from_secs(4),
        request_timeout: std::time::Duration::from_secs(6),
        max_in_flight: 1,
        ..Default::default()
    };
    let app =
        spawn_app_with_options(app::api::SessionPolicy::default(), Options { limits, ..Default::default() }).await;

    // Headers that never end: the connection is closed after the header timeout.
    let started = std::time::Instant::now();
    let mut trickle = tokio::net::TcpStream::connect(app.address).await.unwrap();
    trickle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let mut buffer = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), trickle.read_to_end(&mut buffer)).await.unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "closed after {:?}", started.elapsed());

    // A body that never comes holds the one slot, until the body timeout answers it...
    let mut stalled = tokio::net::TcpStream::connect(app.address).await.unwrap();
    let head = format!(
        "POST /api/list_carriers HTTP/1.1\r\nHost: {0}\r\nOrigin: http://{0}\r\nContent-Type: \
         application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nquery",
        app.address
    );
    stalled.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    // ...while another request waits for the slot and is told to come back.
    let refused = app.anonymous.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(refused.status(), 503);
    assert!(refused.headers().contains_key("retry-after"));
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), stalled.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 400") || answer.starts_with("HTTP/1.1 408"), "{answer}");
    // With the slot free again, the server answers.
    assert_eq!(app.anonymous.get(app.url("/healthz")).send().await.unwrap().status(), 200);
}
