//! A hostile HTTP corpus against a running server, as every kind of user: generated and
//! malformed bodies to every server function, wrong content types, invalid UTF-8, huge and
//! negative ids, path tricks on every route, header floods. Not one answer may be a 5xx, and no
//! handler may panic.

use crate::authz::{CALLERS, world};
use crate::support::{captured_logs, spawn_app};
use domain::fuzz::Gen;
use reqwest::header::{CONTENT_TYPE, ORIGIN};
use std::sync::atomic::{AtomicUsize, Ordering};

static PANICS: AtomicUsize = AtomicUsize::new(0);

/// Counts every panic in the process (and keeps the usual report).
fn count_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let report = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // Test threads are named after their test (`module::name`); a failing test elsewhere
            // in this binary is not the server panicking.
            let in_a_test = std::thread::current().name().is_some_and(|name| name.contains("::"));
            if !in_a_test {
                PANICS.fetch_add(1, Ordering::Relaxed);
            }
            report(info);
        }));
    });
}

/// Values for ids and numbers that break naive parsing.
const NUMBERS: &[&str] =
    &["0", "-1", "-9223372036854775808", "9223372036854775807", "99999999999999999999", "1e9", "0x10", "NaN", "", "１"];

/// Paths that try to leave the routes, confuse their parameters or exhaust the router.
fn paths(carrier: i64, startup: i64) -> Vec<String> {
    let mut paths = vec![
        "/%2e%2e/%2e%2e/etc/passwd".to_owned(),
        "/pkg/../../Cargo.toml".to_owned(),
        "/pkg/%2e%2e%2f%2e%2e%2fCargo.toml".to_owned(),
        "//evil.example/".to_owned(),
        "/\\evil.example".to_owned(),
        "/dashboard/export/..%2f..%2fx.csv".to_owned(),
        "/dashboard/export/districts.pdf".to_owned(),
        "/dashboard/export/districts.csv?on=%2B262142-12-31".to_owned(),
        "/dashboard/export/districts.xlsx?district=-1&lang=xx".to_owned(),
        "/reports/torch.csv?year=999999999999".to_owned(),
        "/reports/torch.csv?year=-5".to_owned(),
        format!("/reports/torch.xlsx?carrier={carrier}&year=1"),
        format!("/startups/{startup}/ocf.zip?on=-262143-01-01"),
        format!("/startups/{startup}/ocf.zip?on=2026-02-30"),
        "/lang/en?next=%0d%0aSet-Cookie:%20x=1".to_owned(),
        "/lang/zh-CN?next=/%09/evil.example".to_owned(),
        format!("/{}", "a/".repeat(4000)),
        format!("/carriers?{}", (0..1000).map(|n| format!("p{n}={n}")).collect::<Vec<_>>().join("&")),
        "/carriers?page=99999999999999999999&on=%2B262142-12-31".to_owned(),
        "/dashboard?on=-262143-01-01&district=abc".to_owned(),
        "/audit?from=-262143-01-01&to=%2B262142-12-31&page=0".to_owned(),
        "/carriers/abc".to_owned(),
        "/imports/-1".to_owned(),
        "/equity/rounds/99999999999999999999".to_owned(),
        "/applications/0".to_owned(),
        "/invite/%00".to_owned(),
        "/reset/..%2F..".to_owned(),
    ];
    for n in NUMBERS {
        let n = n.replace('%', "%25");
        for route in ["/carriers/{}/units.csv", "/carriers/{}/units.xlsx", "/documents/{}", "/startups/{}/ocf.zip"] {
            paths.push(route.replace("{}", &n));
        }
        paths.push(format!("/carriers/{n}"));
        paths.push(format!("/carriers/{n}/spaces"));
        paths.push(format!("/leases/{n}"));
        paths.push(format!("/startups/{n}/equity"));
    }
    paths
}

/// Bodies for one server function: generated, malformed, oversized.
fn bodies(g: &mut Gen) -> Vec<(&'static str, Vec<u8>)> {
    let form = "application/x-www-form-urlencoded";
    let mut bodies = vec![
        (form, Vec::new()),
        (form, b"\xff\xfe\x00\x01".to_vec()),
        (form, b"id=%FF%FE&form[name]=%C0%AF".to_vec()),
        ("application/json", b"{\"id\": 1e400, \"form\": [".to_vec()),
        ("text/plain", b"id=1".to_vec()),
        (
            "multipart/form-data; boundary=x",
            b"--x\r\nContent-Disposition: form-data; name=\"id\"\r\n\r\n1\r\n--x--".to_vec(),
        ),
        (form, format!("form[name]={}", "孵".repeat(100_000)).into_bytes()),
    ];
    for n in NUMBERS {
        bodies.push((
            form,
            format!("id={n}&startup={n}&carrier={n}&floor={n}&unit={n}&user={n}&version={n}").into_bytes(),
        ));
    }
    for _ in 0..3 {
        let mut pairs = Vec::new();
        for _ in 0..g.below(10) {
            let key = *g.pick(&[
                "id",
                "form[name]",
                "query[page]",
                "on",
                "form[rows][0][amount]",
                "lease[units][0]",
                "event[kind]",
            ]);
            pairs.push(format!("{key}={}", g.text(4)));
        }
        bodies.push((form, pairs.join("&").into_bytes()));
    }
    bodies
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_corpus_as_every_kind_of_user_gets_no_server_error_and_no_panic() {
    count_panics();
    let panics_before = PANICS.load(Ordering::Relaxed);
    let logged_before = captured_logs().matches("a request handler panicked").count();
    let app = spawn_app().await;
    let (world, callers) = world(&app).await;
    let mut g = Gen::new(21);
    let mut functions: Vec<String> = leptos::server_fn::axum::server_fn_paths().map(|(p, _)| p.to_owned()).collect();
    functions.sort();
    // Signing out last: everyone stays signed in for the rest.
    functions.retain(|f| f != "/api/logout");
    functions.push("/api/logout".to_owned());
    let mut failures = Vec::new();
    let mut sent = 0usize;
    for (caller, client) in CALLERS.iter().zip(&callers) {
        for function in &functions {
            for (content_type, body) in bodies(&mut g) {
                let response = client
                    .post(app.url(function))
                    .header(ORIGIN, app.url(""))
                    .header(CONTENT_TYPE, content_type)
                    .header("accept", if g.chance(50) { "application/json" } else { "text/html" })
                    .body(body)
                    .send()
                    .await;
                sent += 1;
                match response {
                    Ok(r) if r.status().is_server_error() => {
                        failures.push(format!("{caller} {function} ({content_type}): {}", r.status()))
                    }
                    Ok(_) => {}
                    Err(e) => failures.push(format!("{caller} {function}: no answer ({})", causes(&e))),
                }
            }
        }
        for path in paths(world.carrier_x.0, world.startup_a.0) {
            for method in ["GET", "POST"] {
                let request = if method == "GET" { client.get(app.url(&path)) } else { client.post(app.url(&path)) };
                let response = request.header(ORIGIN, app.url("")).header("accept", "text/html").send().await;
                sent += 1;
                match response {
                    Ok(r) if r.status().is_server_error() => {
                        failures.push(format!("{caller} {method} {path:.80}: {}", r.status()))
                    }
                    Ok(_) => {}
                    Err(e) => failures.push(format!("{caller} {method} {path:.80}: no answer ({})", causes(&e))),
                }
            }
        }
    }
    // The two routes that take files, with files meant to hurt: bombs, garbage, wrong types,
    // bodies larger than allowed, a broken multipart.
    let uploads = [
        format!("/carriers/{}/units/import", world.carrier_x),
        format!("/applications/{}/document", world.application_move),
        "/carriers/-1/units/import".to_owned(),
        "/applications/0/document".to_owned(),
    ];
    for (caller, client) in CALLERS.iter().zip(&callers) {
        for path in &uploads {
            let files: Vec<(&str, &str, Vec<u8>)> = vec![
                ("file", "bomb.xlsx", crate::hardening::far_corner_xlsx()),
                ("file", "inflates.xlsx", crate::hardening::zip_bomb(80 * 1024 * 1024)),
                ("file", "garbage.csv", g.bytes(20_000)),
                ("document", "plan.pdf", [b"%PDF-1.4\n".as_slice(), &g.bytes(5_000)].concat()),
                ("document", "big.pdf", vec![b'%'; 11 * 1024 * 1024]),
                ("file", "../../etc/passwd\u{0}.csv", b"site\n".to_vec()),
            ];
            for (field, name, bytes) in files {
                let form = reqwest::multipart::Form::new()
                    .text("effective_on", "+262142-12-31")
                    .part(field, reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()));
                let response = client.post(app.url(path)).header(ORIGIN, app.url("")).multipart(form).send().await;
                sent += 1;
                match response {
                    Ok(r) if r.status().is_server_error() => {
                        failures.push(format!("{caller} {path} {name}: {}", r.status()))
                    }
                    Ok(_) => {}
                    // Refused before a byte is read, a body larger than any upload may be cut
                    // off mid-send: the server must not read it to be polite.
                    Err(_) if name == "big.pdf" => {}
                    Err(e) => failures.push(format!("{caller} {path} {name}: no answer ({})", causes(&e))),
                }
            }
            for (content_type, body) in [
                (
                    "multipart/form-data; boundary=x",
                    b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nsite".to_vec(),
                ),
                ("multipart/form-data", b"no boundary".to_vec()),
                ("application/json", b"{}".to_vec()),
            ] {
                let response = client
                    .post(app.url(path))
                    .header(ORIGIN, app.url(""))
                    .header(CONTENT_TYPE, content_type)
                    .body(body)
                    .send()
                    .await;
                sent += 1;
                match response {
                    Ok(r) if r.status().is_server_error() => {
                        failures.push(format!("{caller} {path} ({content_type}): {}", r.status()))
                    }
                    Ok(_) => {}
                    Err(e) => failures.push(format!("{caller} {path} ({content_type}): no answer ({})", causes(&e))),
                }
            }
        }
    }
    // Header floods: too many headers, and one too long. hyper answers 431 or closes.
    for flood in 0..2 {
        let mut request = app.anonymous.get(app.url("/healthz"));
        if flood == 0 {
            for n in 0..300 {
                request = request.header(format!("x-flood-{n}"), "1");
            }
        } else {
            request = request.header("x-long", "x".repeat(200 * 1024));
        }
        sent += 1;
        if let Ok(response) = request.send().await {
            assert!(response.status().is_client_error(), "header flood {flood}: {}", response.status());
        }
    }
    let panics = PANICS.load(Ordering::Relaxed) - panics_before;
    let logged = captured_logs().matches("a request handler panicked").count() - logged_before;
    eprintln!("[measure] hostile corpus: {sent} requests as 7 kinds of user, {} 5xx, {panics} panics", failures.len());
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(panics + logged, 0, "a handler panicked");
    assert_eq!(
        app.anonymous.get(app.url("/healthz")).send().await.unwrap().status(),
        200,
        "and the server still serves"
    );
}

/// An error and its causes, one after another: "error sending request" alone does not say
/// whether the connection was reset, closed or timed out.
fn causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
