//! The authorization matrix: every server function and API route, called by every kind of user,
//! with the exact outcome expected. A server function without a row here fails the test.

mod routes;
mod server_functions;
mod world;

pub(crate) use world::{CALLERS, PDF, world};

use crate::support::spawn_app;
use routes::routes;
use serde_json::Value;
use server_functions::*;
use std::collections::BTreeSet;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_answers_every_kind_of_user_exactly_as_the_matrix_says() {
    let app = spawn_app().await;
    let (world, callers) = world(&app).await;
    let rows = rows();

    // Every server function has a row, and every row is a server function.
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_owned())
        .collect();
    let listed: BTreeSet<String> = rows.iter().map(|r| r.endpoint.to_owned()).collect();
    assert_eq!(registered, listed, "the matrix must list exactly the server functions");

    // Every plain route the router mounts has a row, and every row calls a mounted route.
    let mounted = server::route_list();
    let called = routes(&world);
    for (method, pattern) in &mounted {
        assert!(
            called.iter().any(|(m, path, _)| m == method && route_matches(pattern, path)),
            "the matrix has no row for {method} {pattern}"
        );
    }
    for (method, path, _) in &called {
        assert!(
            mounted.iter().any(|(m, pattern)| m == method && route_matches(pattern, path)),
            "the matrix calls {method} {path}, which no route mounts"
        );
    }

    let mut failures = Vec::new();
    // Routes first: the last server function signs everyone out.
    for (method, path, expected) in routes(&world) {
        for ((caller, client), expected) in CALLERS.iter().zip(&callers).zip(expected) {
            let request = if method == "GET" {
                client.get(app.url(&path))
            } else {
                let form = if path.ends_with("/document") {
                    reqwest::multipart::Form::new()
                        .part("document", reqwest::multipart::Part::bytes(PDF).file_name("计划书.pdf"))
                } else {
                    let csv = format!("{}\n", domain::space::import::UNIT_COLUMNS.join(","));
                    reqwest::multipart::Form::new()
                        .text("effective_on", "2025-01-01")
                        .part("file", reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("units.csv"))
                };
                client.post(app.url(&path)).header("origin", app.url("")).multipart(form)
            };
            let status = request.send().await.unwrap().status().as_u16();
            if status != expected {
                failures.push(format!("{method} {path} as {caller}: got {status}, expected {expected}"));
            }
        }
    }
    for row in &rows {
        for ((caller, client), expect) in CALLERS.iter().zip(&callers).zip(row.expect) {
            let response = app.call_as(client, row.endpoint, &(row.body)(&world)).await;
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            let ok = match expect {
                Allowed => status == 200,
                Status(expected) => status == expected,
                Scoped(check) => status == 200 && check(&world, &body),
            };
            if !ok {
                failures.push(format!("{} as {caller}: got {status} {body}", row.endpoint));
            }
        }
    }
    assert!(failures.is_empty(), "unexpected outcomes:\n{}", failures.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_startup_opening_another_startups_page_gets_a_403_page() {
    let app = spawn_app().await;
    let (own, _, _) = app.startup("甲企业").await;
    let (_, other, _) = app.startup("乙企业").await;
    let (status, html) = app.page_as(&own, &format!("/startups/{other}"), false).await;
    assert_eq!(status, 403);
    assert!(html.contains("无权访问"));
    assert!(!html.contains("乙企业"), "nothing of the other startup is shown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_opening_a_private_page_is_sent_to_sign_in_and_back() {
    let app = spawn_app().await;
    let response = app.anonymous.get(app.url("/carriers")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "/login?next=%2Fcarriers");
}

/// Whether a called path (query string aside) fits a route pattern such as `/documents/{id}`.
fn route_matches(pattern: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or(path);
    let (wanted, given): (Vec<&str>, Vec<&str>) = (pattern.split('/').collect(), path.split('/').collect());
    wanted.len() == given.len()
        && wanted.iter().zip(&given).all(|(w, g)| (w.starts_with('{') && w.ends_with('}') && !g.is_empty()) || w == g)
}

#[test]
fn a_called_path_fits_its_route_pattern_and_no_other() {
    assert!(route_matches("/documents/{id}", "/documents/7"));
    assert!(route_matches("/reports/{file}", "/reports/torch.csv?carrier=3"));
    assert!(!route_matches("/documents/{id}", "/documents/7/extra"));
    assert!(!route_matches("/documents/{id}", "/documents/"));
    assert!(!route_matches("/healthz", "/lang/en"));
}
