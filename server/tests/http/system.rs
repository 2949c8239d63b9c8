use crate::support::spawn_app;
use reqwest::header::ACCEPT;
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_reports_a_reachable_migrated_database() {
    let app = spawn_app().await;
    let response = app.anonymous.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let health: Value = response.json().await.unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["database"]["reachable"], true);
    assert_eq!(health["database"]["pending_migrations"], 0);
    let backend = if app.db.is_postgres() { "postgres" } else { "sqlite" };
    assert_eq!(health["database"]["backend"], backend);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_reports_an_unreachable_database_as_unavailable() {
    let app = spawn_app().await;
    app.db.conn.clone().close().await.unwrap();
    let response = app.anonymous.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 503);
    let health: Value = response.json().await.unwrap();
    assert_eq!(health["database"]["reachable"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_switch_sets_a_cookie_and_returns_to_the_page() {
    let app = spawn_app().await;
    let response = app.anonymous.get(app.url("/lang/en?next=%2Fcarriers%3Fkind%3Dincubator")).send().await.unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/carriers?kind=incubator");
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("fuhua-lang=en;"), "{cookie}");
    assert!(cookie.contains("Path=/") && cookie.contains("SameSite=Lax"), "{cookie}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_switch_never_sends_the_user_to_another_site() {
    let app = spawn_app().await;
    for next in ["%2F%2Fevil.example", "https%3A%2F%2Fevil.example", "%2F%5Cevil.example"] {
        let response = app.anonymous.get(app.url(&format!("/lang/zh-CN?next={next}"))).send().await.unwrap();
        assert_eq!(response.headers()["location"], "/", "{next}");
    }
    let unknown = app.anonymous.get(app.url("/lang/fr")).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
}

/// Building a router works out the page routes by rendering the app with data loading switched
/// off, and Leptos keeps that switch process-wide. A page served while another router of the
/// same process was being built waited forever for its data: the rare hang this suite used to
/// see, since every test starts its own server. Here a thread builds routers for as long as the
/// bureau loads its portfolio page forty times; every load must finish.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_keep_loading_while_another_router_is_built_in_the_process() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let app = spawn_app().await;
    let bureau = app.bureau().await;
    let building = Arc::new(AtomicBool::new(true));
    let builder = {
        let (building, state, runtime) = (building.clone(), app.state(), tokio::runtime::Handle::current());
        std::thread::spawn(move || {
            let _runtime = runtime.enter();
            let mut built = 0_u32;
            while building.load(Ordering::Relaxed) {
                drop(server::router(state.clone()));
                built += 1;
            }
            built
        })
    };
    for load in 0..40 {
        let page = async {
            let response = bureau.get(app.url("/portfolio")).header(ACCEPT, "text/html").send().await.unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        };
        let (status, body) = tokio::time::timeout(std::time::Duration::from_secs(10), page)
            .await
            .unwrap_or_else(|_| panic!("load {load} of the portfolio page never finished"));
        assert_eq!(status, 200);
        assert!(body.contains("全市载体股权投资"), "load {load} shows the page");
    }
    building.store(false, Ordering::Relaxed);
    assert!(builder.join().unwrap() > 0, "routers were built meanwhile");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_benchmark_baselines_are_not_served_unless_asked_for() {
    let app = spawn_app().await;
    let page = app.anonymous.get(app.url("/bench/fortunes")).send().await.unwrap();
    assert_eq!(page.status(), 404);
    assert!(!page.text().await.unwrap().contains("Fortunes"));
    let commit = app.anonymous.post(app.url("/bench/commit")).header("origin", app.url("")).send().await.unwrap();
    assert_ne!(commit.status(), 204);
    assert!(service::backup::schema_tables(&app.db.conn).await.unwrap().iter().all(|t| !t.starts_with("bench_")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fortunes_serves_the_dozen_rows_and_one_more_sorted_and_escaped_as_the_benchmark_says() {
    let options = crate::support::Options { bench_baseline: true, ..Default::default() };
    let app = crate::support::spawn_app_with_options(app::api::SessionPolicy::default(), options).await;
    // The server binary prepares the tables at start-up; a test server is given a router only.
    // Several processes may start at once: eight preparations side by side all succeed, and
    // the rows are there once.
    let preparations = (0..8).map(|_| service::bench::prepare(&app.db.conn));
    for prepared in futures::future::join_all(preparations).await {
        prepared.unwrap();
    }
    let response = app.anonymous.get(app.url("/bench/fortunes")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/html; charset=utf-8");
    let html = response.text().await.unwrap();
    assert_eq!(html.matches("<tr><td>").count(), 13, "twelve stored once, one added: {html}");
    assert!(html.starts_with("<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th>"));
    assert!(html.contains(
        "<tr><td>11</td><td>&lt;script&gt;alert(&quot;This should not be displayed in a browser alert box.&quot;);&lt;/script&gt;</td></tr>"
    ));
    let order = ["<td>11</td>", "<td>4</td>", "<td>5</td>", "<td>2</td>", "<td>0</td>", "<td>12</td>"];
    let at: Vec<usize> =
        order.iter().map(|cell| html.find(cell).unwrap_or_else(|| panic!("{cell} in {html}"))).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "sorted by message: {html}");
    assert!(html.ends_with("<tr><td>12</td><td>フレームワークのベンチマーク</td></tr></table></body></html>"));

    for _ in 0..3 {
        let commit = app.anonymous.post(app.url("/bench/commit")).header("origin", app.url("")).send().await.unwrap();
        assert_eq!(commit.status(), 204);
    }
    let sql = "SELECT COUNT(*) AS n FROM bench_commit";
    use sea_orm::{ConnectionTrait, Statement};
    let row = app
        .db
        .conn
        .query_one_raw(Statement::from_string(app.db.conn.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<i64>("", "n").unwrap(), 3, "each commit wrote one row");
}
