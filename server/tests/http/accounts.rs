//! Sessions, sign-in and sign-out, security headers, cross-site refusal, and secrets kept out of
//! logs and responses.

use crate::support::{PASSWORD, TestApp, browser, captured_logs, encode, spawn_app, spawn_app_with};
use reqwest::header::{CONTENT_TYPE, ORIGIN};
use serde_json::Value;

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("fuhua_session="))
        .map(str::to_owned)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_sets_an_http_only_same_site_cookie_with_a_fresh_session_id() {
    let app = spawn_app().await;
    let (_, email) = app.staff(&[domain::account::Role::Bureau]).await;

    // A visitor's session id (planted, say) is not kept through sign-in.
    let browser = browser();
    let before = app
        .post_form_as(&browser, "login", &encode(&[("email", email.clone()), ("password", "wrong".into())]), "/login")
        .await;
    assert_eq!(before.status(), 302, "a failed sign-in comes back to the form");
    assert!(before.headers()["location"].to_str().unwrap().contains("__err="));

    let response = app
        .post_form_as(&browser, "login", &encode(&[("email", email), ("password", PASSWORD.into())]), "/login")
        .await;
    assert_eq!(response.status(), 302);
    let cookie = session_cookie(&response).expect("a session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain HTTP here; Secure comes with an https public URL");

    let me: Value = app.call_as(&browser, "get_me", "").await.json().await.unwrap();
    assert!(me["email"].as_str().unwrap().starts_with("staff"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_survives_a_restart_because_it_lives_in_the_database() {
    let app = spawn_app().await;
    let bureau = app.bureau().await;
    // A second server on the same database (as after a restart, or another instance).
    let other = app.another_instance().await;
    // The cookie jar holds the cookie for 127.0.0.1, whatever the port.
    let response = TestApp::call_at(&other, &bureau, "get_me", "").await;
    let me: Value = response.json().await.unwrap();
    assert!(me["email"].is_string(), "still signed in on the other server: {me}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_ends_the_session_on_the_server() {
    let app = spawn_app().await;
    let bureau = app.bureau().await;
    assert_eq!(app.call_as(&bureau, "list_carriers", "query[page]=1").await.status(), 200);
    let response = app.post_form_as(&bureau, "logout", "", "/").await;
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "/login");
    assert_eq!(app.call_as(&bureau, "list_carriers", "query[page]=1").await.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_ends_after_its_idle_time() {
    let app = spawn_app_with(app::api::SessionPolicy {
        idle: chrono::Duration::seconds(2),
        absolute: chrono::Duration::hours(1),
    })
    .await;
    let bureau = app.bureau().await;
    assert_eq!(app.call_as(&bureau, "list_carriers", "query[page]=1").await.status(), 200);
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(app.call_as(&bureau, "list_carriers", "query[page]=1").await.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_ends_at_its_absolute_limit_however_busy() {
    let app = spawn_app_with(app::api::SessionPolicy {
        idle: chrono::Duration::hours(1),
        absolute: chrono::Duration::seconds(2),
    })
    .await;
    let bureau = app.bureau().await;
    for _ in 0..3 {
        assert_eq!(app.call_as(&bureau, "list_carriers", "query[page]=1").await.status(), 200);
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
    assert_eq!(app.call_as(&bureau, "list_carriers", "query[page]=1").await.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_failed_sign_ins_are_throttled_with_a_clear_message() {
    let app = spawn_app().await;
    let (_, email) = app.staff(&[domain::account::Role::Bureau]).await;
    for _ in 0..5 {
        let body = encode(&[("email", email.clone()), ("password", "wrong".into())]);
        assert_eq!(app.call("login", &body).await.status(), 401);
    }
    let body = encode(&[("email", email), ("password", PASSWORD.into())]);
    let response = app.call("login", &body).await;
    assert_eq!(response.status(), 429);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["TooManyAttempts"]["minutes"], 15);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_from_another_site_is_refused_before_it_does_anything() {
    let app = spawn_app().await;
    let bureau = app.bureau().await;
    let district = app.district("兰山区").await;
    for origin in [Some("http://evil.example"), None] {
        let mut request = bureau
            .post(app.url("/api/create_carrier"))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(crate::support::carrier_form("跨站孵化器", district));
        if let Some(origin) = origin {
            request = request.header(ORIGIN, origin);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 403, "origin {origin:?}");
        assert_eq!(response.json::<Value>().await.unwrap(), "CrossSite");
    }
    let listed: Value = app.call_as(&bureau, "list_carriers", "query[page]=1").await.json().await.unwrap();
    assert_eq!(listed["total"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_the_security_headers_and_a_nonce_for_their_scripts() {
    let app = spawn_app().await;
    let response = app.anonymous.get(app.url("/login")).send().await.unwrap();
    let headers = response.headers().clone();
    let csp = headers["content-security-policy"].to_str().unwrap().to_owned();
    let nonce = csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce").to_owned();
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(csp.contains("'wasm-unsafe-eval'"));
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "same-origin");
    let html = response.text().await.unwrap();
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries the nonce");
    let again = app.anonymous.get(app.url("/login")).send().await.unwrap();
    assert!(!again.headers()["content-security-policy"].to_str().unwrap().contains(&nonce), "a fresh nonce each time");

    // The not-found page too (issue 15: "today its scripts are refused and it never hydrates"),
    // whether no route matches or a route's record does not exist: every script carries the
    // response's nonce.
    let bureau = app.bureau().await;
    for (client, path) in
        [(&app.anonymous, "/no-such-page"), (&app.anonymous, "/carriers/1/no-such-tab"), (&bureau, "/carriers/999999")]
    {
        let response = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
        let csp = response.headers()["content-security-policy"].to_str().unwrap().to_owned();
        let nonce = csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce").to_owned();
        let html = response.text().await.unwrap();
        let scripts: Vec<&str> = html.split("<script").skip(1).map(|s| s.split('>').next().unwrap_or("")).collect();
        assert!(!scripts.is_empty(), "{path}: the page loads its scripts");
        for tag in scripts {
            assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "{path}: a script without the nonce: <script{tag}>");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_password_hash_session_id_or_token_reaches_a_log_line_or_a_response() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (startup, startup_id, email) = app.startup("保密测试企业").await;

    // Every secret this test handles: the password, the session cookie, the hash, the links.
    let mut secrets = vec![PASSWORD.to_owned()];
    let mut bodies = Vec::new();
    let login = app
        .post_form_as(
            &crate::support::browser(),
            "login",
            &encode(&[("email", email.clone()), ("password", PASSWORD.into())]),
            "/login",
        )
        .await;
    let cookie = session_cookie(&login).unwrap();
    secrets.push(cookie.split(';').next().unwrap().trim_start_matches("fuhua_session=").to_owned());

    let user_id = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let user = service::entity::user::Entity::find()
            .filter(service::entity::user::Column::Email.eq(email.as_str()))
            .one(&app.db.conn)
            .await
            .unwrap()
            .unwrap();
        secrets.push(user.password_hash.clone().unwrap());
        user.id
    };
    let reset = app.call_as(&admin, "issue_password_reset", &format!("user={user_id}")).await;
    let link: Value = reset.json().await.unwrap();
    let token = link["path"].as_str().unwrap().trim_start_matches("/reset/").to_owned();
    secrets.push(token.clone());
    // The account is a startup's member, with rights the admin lacks: a second admin approves.
    assert_eq!(link["needs_approval"], true);
    let second = app.admin().await;
    let pending: Value = app.call_as(&second, "list_pending_approvals", "").await.json().await.unwrap();
    let id = pending[0]["id"].as_i64().unwrap();
    assert_eq!(app.call_as(&second, "approve_link", &format!("link={id}")).await.status(), 200);

    // The token appears where it is meant to, and nowhere else: in the admin's answer, and on
    // the reset page its holder opens (its form, and the page's own address in the language
    // link).
    let (_, reset_page) = app.page_as(&crate::support::browser(), &format!("/reset/{token}"), false).await;
    assert_eq!(reset_page.matches(token.as_str()).count(), 2);
    assert!(reset_page.contains(&format!(r#"name="token" value="{token}""#)));
    assert!(reset_page.contains(&format!("next=%2Freset%2F{token}")));
    let new_password = "a whole new mountain range";
    secrets.push(new_password.to_owned());
    let reset = app
        .post_form_as(
            &crate::support::browser(),
            "reset_password",
            &encode(&[
                ("token", token.clone()),
                ("new_password", new_password.into()),
                ("confirm", new_password.into()),
            ]),
            &format!("/reset/{token}"),
        )
        .await;
    assert_eq!(reset.status(), 302);
    bodies.push(app.call_as(&startup, "get_me", "").await.text().await.unwrap());
    bodies.push(app.page_as(&admin, "/accounts", false).await.1);
    bodies.push(app.call_as(&admin, "list_accounts", "").await.text().await.unwrap());
    bodies.push(app.page_as(&startup, &format!("/startups/{startup_id}"), false).await.1);
    let audit_bureau = app.bureau().await;
    bodies.push(app.call_as(&audit_bureau, "list_audit", "query[page]=1").await.text().await.unwrap());
    let wrong = app.call("login", &encode(&[("email", email.clone()), ("password", PASSWORD.into())])).await;
    bodies.push(wrong.text().await.unwrap());

    let logs = captured_logs();
    assert!(logs.contains("signed in"), "the log capture works");
    for secret in &secrets {
        assert!(!logs.contains(secret.as_str()), "a secret reached the logs");
        for body in &bodies {
            assert!(!body.contains(secret.as_str()), "a secret reached a response body");
        }
    }
}
