use crate::support::spawn_app;
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
