//! The `fuhua` binary as a process of its own, attacked and killed: memory under a flood of
//! sign-ins and import bombs (read from `/proc`), shutdown with slow clients connected, and
//! `kill -9` in the middle of writes, after which every acknowledged write must be there.
//!
//! Each test prints what it measured on standard error (`cargo test -- --nocapture` shows it);
//! the closing notes and the README quote those lines.

use crate::support::{PASSWORD, system_bureau, unique};
use domain::CarrierId;
use domain::account::Role;
use reqwest::header::{CONTENT_TYPE, ORIGIN};
use sea_orm::{ConnectionTrait, EntityTrait, Statement};
use service::testing::TestDb;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The `fuhua` binary Cargo built for these tests, serving one database.
pub struct Server {
    child: Child,
    pub address: SocketAddr,
    log: std::path::PathBuf,
}

impl Server {
    /// Starts the binary on a free port against `database_url` and waits until it is healthy.
    pub async fn start(database_url: &str, env: &[(&str, &str)]) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let address = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port);
        let log = std::env::temp_dir().join(format!("fuhua-process-{}-{}.log", std::process::id(), unique()));
        let out = std::fs::File::create(&log).unwrap();
        let site = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site");
        let mut command = Command::new(env!("CARGO_BIN_EXE_fuhua"));
        command
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", database_url)
            .env("FUHUA_BIND", address.to_string())
            .env("LEPTOS_SITE_ROOT", site)
            .env("FUHUA_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out);
        for (key, value) in env {
            command.env(key, value);
        }
        let child = command.spawn().expect("start the fuhua binary");
        let server = Server { child, address, log };
        let started = Instant::now();
        loop {
            let healthy = reqwest::get(server.url("/healthz")).await.is_ok_and(|r| r.status() == 200);
            if healthy {
                return server;
            }
            assert!(started.elapsed() < Duration::from_secs(60), "the server did not start:\n{}", server.output());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What the process wrote, for a failure's message.
    pub fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// A line of `/proc/<pid>/status`, in kB.
    fn status_kb(&self, key: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    }

    /// Resident memory now, in MB.
    pub fn rss_mb(&self) -> u64 {
        self.status_kb("VmRSS:") / 1024
    }

    /// The most resident memory the process has had, in MB.
    pub fn peak_rss_mb(&self) -> u64 {
        self.status_kb("VmHWM:") / 1024
    }

    /// `kill -9`.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// `kill -TERM`, then the time until the process is gone (`None` if not within `limit`).
    pub async fn terminate(&mut self, limit: Duration) -> Option<(Duration, std::process::ExitStatus)> {
        let started = Instant::now();
        Command::new("kill").arg("-TERM").arg(self.pid().to_string()).status().unwrap();
        while started.elapsed() < limit {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some((started.elapsed(), status));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

/// A client that connects from `local` (any 127.x.y.z works on loopback), so that a test can
/// be many clients at once.
fn client_from(local: Ipv4Addr) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(local))
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

async fn call(
    client: &reqwest::Client,
    server: &Server,
    function: &str,
    body: String,
) -> reqwest::Result<reqwest::Response> {
    client
        .post(server.url(&format!("/api/{function}")))
        .header(ORIGIN, server.url(""))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(body)
        .send()
        .await
}

async fn signed_in(server: &Server, email: &str) -> reqwest::Client {
    let client = client_from(Ipv4Addr::new(127, 0, 0, 1));
    let body = crate::support::encode(&[("email", email.to_owned()), ("password", PASSWORD.into())]);
    let response = call(&client, server, "login", body).await.unwrap();
    assert_eq!(response.status(), 200, "signing in as {email}: {}", response.text().await.unwrap_or_default());
    client
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_and_twenty_sign_ins_and_registrations_at_once_keep_memory_bounded() {
    let db = TestDb::shared().await;
    let server = Server::start(db.url(), &[]).await;
    // Warm up: the first refusal computes the stand-in hash for unknown accounts.
    let warm = client_from(Ipv4Addr::new(127, 0, 9, 1));
    let body = crate::support::encode(&[("email", "warm@x.cn".to_owned()), ("password", "wrong".into())]);
    call(&warm, &server, "login", body).await.unwrap();
    let before = server.rss_mb();

    let started = Instant::now();
    let sign_ins: Vec<_> = (0..120u8)
        .map(|n| {
            let client = client_from(Ipv4Addr::new(127, 0, 1, n + 1));
            let body = crate::support::encode(&[("email", format!("nobody{n}@x.cn")), ("password", "wrong".into())]);
            let url = server.url("");
            async move {
                let response = client
                    .post(format!("{url}/api/login"))
                    .header(ORIGIN, url.clone())
                    .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header("accept", "application/json")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                (response.status().as_u16(), response.headers().get("retry-after").is_some())
            }
        })
        .map(tokio::spawn)
        .collect();
    let mut statuses = Vec::new();
    for sign_in in sign_ins {
        statuses.push(sign_in.await.unwrap());
    }
    let sign_in_time = started.elapsed();
    let peak_after_sign_ins = server.peak_rss_mb();
    assert!(statuses.iter().all(|(s, _)| *s == 401 || *s == 429), "{statuses:?}\n{}", server.output());
    let busy = statuses.iter().filter(|(s, _)| *s == 429).count();
    assert!(statuses.iter().filter(|(s, _)| *s == 429).all(|(_, retry)| *retry), "every 429 says when to retry");

    let registrations: Vec<_> = (0..120u8)
        .map(|n| {
            let client = client_from(Ipv4Addr::new(127, 0, 2, n + 1));
            let tag = unique();
            let body = crate::support::encode(&[
                ("form[startup_name]", format!("并发注册企业{tag}")),
                ("form[display_name]", "创始人".into()),
                ("form[email]", format!("burst{tag}@startup.cn")),
                ("form[new_password]", PASSWORD.into()),
                ("form[confirm]", PASSWORD.into()),
            ]);
            let url = server.url("");
            async move {
                let response = client
                    .post(format!("{url}/api/register_startup"))
                    .header(ORIGIN, url.clone())
                    .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header("accept", "application/json")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                response.status().as_u16()
            }
        })
        .map(tokio::spawn)
        .collect();
    let mut registered = Vec::new();
    for registration in registrations {
        registered.push(registration.await.unwrap());
    }
    let peak = server.peak_rss_mb();
    assert!(registered.iter().all(|s| *s == 200 || *s == 429), "{registered:?}\n{}", server.output());
    let created = registered.iter().filter(|s| **s == 200).count();
    let accounts = service::entity::membership::Entity::find()
        .all(&db.conn)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.role == Role::Startup.code())
        .count();
    assert_eq!(accounts, created, "an account exists exactly for every registration told it succeeded");
    eprintln!(
        "[measure] 120 concurrent sign-ins: {} refused 401, {busy} told 429 in {:.2} s; RSS {before} MB before, \
         peak {peak_after_sign_ins} MB; 120 concurrent registrations: {created} created, {} told 429; peak RSS {peak} MB",
        120 - busy,
        sign_in_time.as_secs_f64(),
        120 - created
    );
    // Argon2id takes 19 MiB a hash; with one hashing thread per core the whole burst costs a
    // few of those, where one thread per request cost 2.5 GB.
    let threads = u64::try_from(service::password::threads()).unwrap();
    assert!(peak < before + 80 + 25 * threads, "peak RSS {peak} MB from {before} MB");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_bombs_are_refused_in_seconds_without_the_process_growing() {
    let db = TestDb::shared().await;
    service::seed::districts(&db.conn).await.unwrap();
    let carrier = carrier(&db).await;
    let email = operator(&db, carrier).await;
    let server = Server::start(db.url(), &[]).await;
    let client = signed_in(&server, &email).await;
    let before = server.rss_mb();
    let mut lines = Vec::new();
    for (name, bytes) in [
        ("far-corner.xlsx", crate::hardening::far_corner_xlsx()),
        ("inflates.xlsx", crate::hardening::zip_bomb(80 * 1024 * 1024)),
        ("lines.csv", "x\n".repeat(2_600_000).into_bytes()),
    ] {
        let size = bytes.len();
        let started = Instant::now();
        let form = reqwest::multipart::Form::new()
            .text("effective_on", "2025-01-01")
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name));
        let response = client
            .post(server.url(&format!("/carriers/{carrier}/units/import")))
            .header(ORIGIN, server.url(""))
            .multipart(form)
            .send()
            .await
            .unwrap();
        let took = started.elapsed();
        assert_eq!(response.status(), 303, "{name}\n{}", server.output());
        assert!(took < Duration::from_secs(10), "{name} took {took:?}");
        lines.push(format!("{name} ({size} bytes) refused in {:.2} s", took.as_secs_f64()));
    }
    let peak = server.peak_rss_mb();
    eprintln!("[measure] import bombs: {}; RSS {before} MB before, peak {peak} MB", lines.join("; "));
    assert!(peak < before + 120, "peak RSS {peak} MB from {before} MB");
    assert_eq!(reqwest::get(server.url("/healthz")).await.unwrap().status(), 200);
}

/// A carrier registered by the bureau.
async fn carrier(db: &TestDb) -> CarrierId {
    let district = service::districts::list(&db.conn).await.unwrap()[0].id;
    let form = domain::carrier::CarrierForm {
        name: format!("进程测试孵化器{}", unique()),
        kind: "incubator".into(),
        level: "none".into(),
        district_id: district.to_string(),
        operator_org: "临沂测试运营有限公司".into(),
        operating_model: "landlord_shareholder".into(),
        address: "临沂市兰山区测试路1号".into(),
        opened_on: "2019-01-01".into(),
        industries: vec!["other".into()],
        contact_name: "王敏".into(),
        contact_phone: "13805391234".into(),
        ..Default::default()
    };
    let draft = form.parse(domain::time::today()).unwrap();
    service::carriers::create(&db.conn, &system_bureau(), &draft).await.unwrap()
}

/// An operator account of `carrier` with the test password; returns its email.
async fn operator(db: &TestDb, carrier: CarrierId) -> String {
    let email = format!("operator{}@carrier.cn", unique());
    let invitation = domain::account::Invitation { email: email.clone(), role: Role::Operator, carrier: Some(carrier) };
    let link = service::accounts::invite(&db.conn, &system_bureau(), &invitation).await.unwrap();
    let token = link.path.trim_start_matches("/invite/");
    service::accounts::accept_invitation(&db.conn, token, "运营员", PASSWORD, PASSWORD).await.unwrap();
    email
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sigterm_with_slow_clients_connected_the_server_exits_in_time_and_keeps_finished_writes() {
    use tokio::io::AsyncWriteExt;
    let db = TestDb::shared().await;
    service::seed::districts(&db.conn).await.unwrap();
    let email = format!("bureau{}@ly.gov.cn", unique());
    service::accounts::create_from_cli(&db.conn, &email, "局员", &[Role::Bureau], Some(PASSWORD)).await.unwrap();
    let mut server = Server::start(db.url(), &[("FUHUA_SHUTDOWN_GRACE_SECONDS", "5")]).await;
    let bureau = signed_in(&server, &email).await;

    // Slow clients: half a request line, headers without their end, a body that never comes,
    // and idle kept-alive connections.
    let mut slow = Vec::new();
    for n in 0..24 {
        let mut stream = tokio::net::TcpStream::connect(server.address).await.unwrap();
        let text = match n % 3 {
            0 => "POST /api/login HT".to_owned(),
            1 => format!("GET /healthz HTTP/1.1\r\nHost: {}\r\nX-Slow: 1\r\n", server.address),
            _ => format!(
                "POST /api/login HTTP/1.1\r\nHost: {0}\r\nOrigin: http://{0}\r\nContent-Type: \
                 application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nemail=",
                server.address
            ),
        };
        stream.write_all(text.as_bytes()).await.unwrap();
        slow.push(stream);
    }
    // A write that finishes before the signal.
    let district = service::districts::list(&db.conn).await.unwrap()[0].id;
    let name = format!("关停前登记{}", unique());
    let response =
        call(&bureau, &server, "create_carrier", crate::support::carrier_form(&name, district.0)).await.unwrap();
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap_or_default());

    let (took, status) = server.terminate(Duration::from_secs(30)).await.expect("the process exits within 30 s");
    eprintln!("[measure] SIGTERM with 24 slow connections: exited in {:.2} s ({status})", took.as_secs_f64());
    assert!(status.success(), "a clean exit: {status}\n{}", server.output());
    assert!(took < Duration::from_secs(8), "the 5 s grace and no more: {took:?}");
    drop(slow);
    let kept =
        service::entity::carrier::Entity::find().all(&db.conn).await.unwrap().into_iter().any(|c| c.name == name);
    assert!(kept, "the acknowledged write is in the database");
}

/// What a crash cycle's writers were told had succeeded.
#[derive(Default)]
struct Acknowledged {
    units: Vec<i64>,
    leases: Vec<i64>,
    events: Vec<i64>,
}

/// Checks the database after a crash: every acknowledged write is there, the engine's own
/// integrity checks pass, and the per-carrier area roll-up equals the sum of the unit ledger.
async fn check_after_crash(db: &TestDb, acknowledged: &Acknowledged) -> usize {
    use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter};
    let conn = &db.conn;
    let units = service::entity::unit::Entity::find()
        .filter(service::entity::unit::Column::Id.is_in(acknowledged.units.clone()))
        .count(conn)
        .await
        .unwrap();
    let leases = service::entity::lease::Entity::find()
        .filter(service::entity::lease::Column::Id.is_in(acknowledged.leases.clone()))
        .count(conn)
        .await
        .unwrap();
    let events = service::entity::equity_event::Entity::find()
        .filter(service::entity::equity_event::Column::Id.is_in(acknowledged.events.clone()))
        .count(conn)
        .await
        .unwrap();
    let lost = (acknowledged.units.len() as u64 - units)
        + (acknowledged.leases.len() as u64 - leases)
        + (acknowledged.events.len() as u64 - events);
    let backend = conn.get_database_backend();
    if !db.is_postgres() {
        let row = conn.query_one_raw(Statement::from_string(backend, "PRAGMA integrity_check")).await.unwrap().unwrap();
        let verdict: String = row.try_get_by_index(0).unwrap();
        assert_eq!(verdict, "ok", "SQLite's integrity check");
        let broken = conn.query_all_raw(Statement::from_string(backend, "PRAGMA foreign_key_check")).await.unwrap();
        assert!(broken.is_empty(), "{} rows break a foreign key", broken.len());
    }
    // The roll-up the city reads, against the ledger it is summed from, per carrier, day and bucket.
    let mismatched = conn
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT l.carrier_id FROM
               (SELECT carrier_id, effective_on, bucket, SUM(delta_gross) AS g, SUM(delta_usable) AS u,
                       SUM(delta_units) AS n FROM area_ledger GROUP BY carrier_id, effective_on, bucket) l
             FULL OUTER JOIN carrier_area_days d
               ON d.carrier_id = l.carrier_id AND d.effective_on = l.effective_on AND d.bucket = l.bucket
             WHERE COALESCE(l.g, 0) <> COALESCE(d.delta_gross, 0) OR COALESCE(l.u, 0) <> COALESCE(d.delta_usable, 0)
                OR COALESCE(l.n, 0) <> COALESCE(d.delta_units, 0)",
        ))
        .await
        .unwrap();
    assert!(mismatched.is_empty(), "{} roll-up rows differ from the unit ledger", mismatched.len());
    usize::try_from(lost).unwrap()
}

/// The number of crash cycles: a short run in `make test`, `FUHUA_CRASH_CYCLES` for more.
fn crash_cycles() -> usize {
    std::env::var("FUHUA_CRASH_CYCLES").ok().and_then(|s| s.parse().ok()).unwrap_or(3)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_with_sigkill_in_the_middle_of_writes_the_server_loses_no_acknowledged_write() {
    let db = TestDb::shared().await;
    service::seed::districts(&db.conn).await.unwrap();
    let carrier = carrier(&db).await;
    let email = operator(&db, carrier).await;
    let x = service::Actor { carriers: [carrier].into(), bureau: false, ..system_bureau() };
    let spaces = service::spaces::create_site(
        &db.conn,
        &x,
        carrier,
        &domain::space::PlaceForm { name: "园区".into(), address: "临沂".into() },
    )
    .await
    .unwrap();
    let building = service::spaces::create_building(&db.conn, &x, spaces, "A座").await.unwrap();
    let floor = service::spaces::create_floor(&db.conn, &x, building, "1F").await.unwrap();
    let spec = domain::space::UnitForm {
        kind: "private_office".into(),
        gross_area: "60".into(),
        usable_area: "50".into(),
        use_category: "tenant".into(),
        list_rent: "50".into(),
        rent_basis: "per_m2".into(),
        ..Default::default()
    }
    .parse_spec()
    .unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    // A tenant with applications under review, one free unit for each, and a cap table to add
    // rounds to.
    let registration = domain::account::RegistrationForm {
        startup_name: format!("崩溃测试企业{}", unique()),
        display_name: "创始人".into(),
        email: format!("crash{}@startup.cn", unique()),
        new_password: PASSWORD.into(),
        confirm: PASSWORD.into(),
    }
    .parse()
    .unwrap();
    let user = service::accounts::register_startup(&db.conn, &registration, "10.77.0.1").await.unwrap();
    let member = service::accounts::load_actor(&db.conn, user, chrono::Utc::now()).await.unwrap().unwrap();
    let startup = *member.startups.iter().next().unwrap();
    let cycles = crash_cycles();
    let per_cycle = 40;
    let mut free = Vec::new();
    let mut applications = Vec::new();
    let today = domain::time::today();
    let application = domain::tenancy::application::ApplicationForm {
        carrier_id: carrier.to_string(),
        request_kind: "desks".into(),
        desks: "2".into(),
        desired_start: (today + chrono::Days::new(30)).to_string(),
        duration_months: "12".into(),
        summary: "崩溃测试用的入驻申请：申请两个工位，用于工业软件的研发与测试。".into(),
        ..Default::default()
    }
    .parse(today)
    .unwrap();
    for n in 0..per_cycle * cycles + 1 {
        free.push(service::spaces::add_unit(&db.conn, &x, floor, &format!("L{n}"), &spec, day, "出租").await.unwrap());
        let id = service::tenancy::applications::create(&db.conn, &member, startup, &application, true).await.unwrap();
        service::tenancy::applications::transition(
            &db.conn,
            &x,
            id,
            domain::tenancy::application::Transition::StartReview,
            None,
        )
        .await
        .unwrap();
        applications.push(id);
    }
    // The first admission makes the carrier the startup's landlord, which may then record its
    // cap table.
    let lease_terms = |unit: i64| domain::tenancy::lease::LeaseForm {
        units: vec![unit.to_string()],
        starts_on: "2025-01-01".into(),
        ends_on: "2025-12-31".into(),
        monthly_rent: "2500".into(),
        ..Default::default()
    };
    let first = applications.pop().unwrap();
    service::tenancy::applications::admit(&db.conn, &x, first, &lease_terms(free.pop().unwrap()).parse().unwrap())
        .await
        .unwrap();
    let formation = domain::equity::ledger::NewEvent {
        on: chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
        entry: domain::equity::ledger::Entry::Formation {
            rows: vec![domain::equity::ledger::Contribution {
                row: 0,
                holder: domain::equity::ledger::HolderRef::New {
                    kind: domain::equity::ledger::HolderKind::Founder,
                    name: "创始人".into(),
                },
                amount: domain::Money::from_yuan(1_000_000),
                paid_in: domain::Money::from_yuan(1_000_000),
                channel: domain::equity::ledger::Channel::Cash,
            }],
        },
        note: String::new(),
    };
    service::equity::record(&db.conn, &x, startup, &formation).await.unwrap();

    let mut acknowledged = Acknowledged::default();
    let mut total_lost = 0;
    let mut attempted = 0;
    for cycle in 0..cycles {
        let server = Server::start(db.url(), &[]).await;
        let client = signed_in(&server, &email).await;
        let stop_after = Duration::from_millis(400 + 300 * (cycle as u64 % 4));
        let mut writers = tokio::task::JoinSet::new();
        // Units.
        {
            let (client, base) = (client.clone(), server.url(""));
            writers.spawn(async move {
                let mut done = Vec::new();
                for n in 0..10_000 {
                    let body = crate::support::encode(&[
                        ("floor", floor.to_string()),
                        ("form[code]", format!("C{cycle}-{n}")),
                        ("form[kind]", "private_office".into()),
                        ("form[gross_area]", "33.33".into()),
                        ("form[usable_area]", "30".into()),
                        ("form[use_category]", "tenant".into()),
                        ("form[desks]", String::new()),
                        ("form[list_rent]", "45".into()),
                        ("form[rent_basis]", "per_m2".into()),
                        ("effective_on", "2025-06-01".into()),
                        ("reason", "崩溃测试".into()),
                    ]);
                    match post_id(&client, &base, "add_unit", body).await {
                        Some(Some(id)) => done.push(id),
                        Some(None) => {}
                        None => break,
                    }
                }
                (0, done)
            });
        }
        // Leases.
        {
            let (client, base) = (client.clone(), server.url(""));
            let mine: Vec<(i64, i64)> =
                (0..per_cycle).filter_map(|_| Some((applications.pop()?, free.pop()?))).collect();
            writers.spawn(async move {
                let mut done = Vec::new();
                for (application, unit) in mine {
                    let body = crate::support::encode(&[
                        ("id", application.to_string()),
                        ("lease[units][0]", unit.to_string()),
                        ("lease[starts_on]", "2025-01-01".into()),
                        ("lease[ends_on]", "2025-12-31".into()),
                        ("lease[monthly_rent]", "2500".into()),
                    ]);
                    match post_id(&client, &base, "admit_application", body).await {
                        Some(Some(id)) => done.push(id),
                        Some(None) => {}
                        None => break,
                    }
                }
                (1, done)
            });
        }
        // Equity rounds.
        {
            let (client, base) = (client.clone(), server.url(""));
            writers.spawn(async move {
                let mut done = Vec::new();
                for n in 0..10_000 {
                    let body = crate::support::encode(&[
                        ("startup", startup.to_string()),
                        ("form[kind]", "capital_increase".into()),
                        ("form[on]", "2025-06-01".into()),
                        ("form[stage]", "seed".into()),
                        ("form[pre_money]", "10000000".into()),
                        ("form[rows][0][name]", format!("投资人{cycle}-{n}")),
                        ("form[rows][0][kind]", "investor".into()),
                        ("form[rows][0][amount]", "1000".into()),
                        ("form[rows][0][channel]", "cash".into()),
                    ]);
                    match post_id(&client, &base, "record_equity_event", body).await {
                        Some(Some(id)) => done.push(id),
                        Some(None) => {}
                        None => break,
                    }
                }
                (2, done)
            });
        }
        tokio::time::sleep(stop_after).await;
        let mut server = server;
        server.kill();
        while let Some(outcome) = writers.join_next().await {
            let (kind, ids) = outcome.unwrap();
            attempted += ids.len();
            match kind {
                0 => acknowledged.units.extend(ids),
                1 => acknowledged.leases.extend(ids),
                _ => acknowledged.events.extend(ids),
            }
        }
        // Restarting runs the start-up work (migrations, ledgers) on the crashed database.
        let restarted = Server::start(db.url(), &[]).await;
        drop(restarted);
        total_lost += check_after_crash(&db, &acknowledged).await;
    }
    eprintln!(
        "[measure] kill -9 during writes: {cycles} cycles, {attempted} acknowledged writes ({} units, {} leases, \
         {} equity events), {total_lost} lost",
        acknowledged.units.len(),
        acknowledged.leases.len(),
        acknowledged.events.len()
    );
    assert!(!acknowledged.units.is_empty() && !acknowledged.events.is_empty(), "the writers got writes in");
    assert_eq!(total_lost, 0, "acknowledged writes lost");
}

/// Posts to a server function that answers with an id: `Some(Some(id))` acknowledged,
/// `Some(None)` refused (the test's own mistake would show as a refusal count), `None` when the
/// server went away.
async fn post_id(client: &reqwest::Client, base: &str, function: &str, body: String) -> Option<Option<i64>> {
    let response = client
        .post(format!("{base}/api/{function}"))
        .header(ORIGIN, base.to_owned())
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(body)
        .send()
        .await
        .ok()?;
    let status = response.status();
    let text = response.text().await.ok()?;
    if status == 200 {
        Some(text.trim().parse::<i64>().ok())
    } else {
        assert!(status.is_client_error(), "{function}: {status} {text}");
        Some(None)
    }
}

/// Runs `fuhua` with `args` against `database_url`; returns whether it succeeded and what it
/// printed.
fn run_fuhua(database_url: &str, args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_fuhua"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .env("FUHUA_LOG", "warn")
        .output()
        .expect("run the fuhua binary");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

#[tokio::test]
async fn the_city_file_is_exported_checked_and_imported_again_from_the_command_line() {
    // A database the command can open too: a file (or PostgreSQL), not memory.
    let db = TestDb::empty().await;
    service::install::migrate(&db.conn).await.unwrap();
    let dir = std::env::temp_dir().join(format!("fuhua-city-{}", unique()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("city.json");
    let (ok, out) = run_fuhua(db.url(), &["city", "export", file.to_str().unwrap()]);
    assert!(ok, "{out}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), service::reference::DEFAULT_CITY);

    // A broken file loads nothing and names every problem.
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        service::reference::DEFAULT_CITY.replace("\"371302\"", "\"37130\"").replace("\"county\"", "\"borough\""),
    )
    .unwrap();
    let (ok, out) = run_fuhua(db.url(), &["city", "import", bad.to_str().unwrap()]);
    assert!(!ok, "a broken file must fail");
    assert!(out.contains("districts[0].code") && out.contains("\"borough\""), "{out}");
    assert_eq!(service::districts::list(&db.conn).await.unwrap().len(), 15, "nothing loaded");

    // The bureau renames a zone's English name and adds a new zone.
    let mut city: serde_json::Value = serde_json::from_str(service::reference::DEFAULT_CITY).unwrap();
    city["districts"][12]["name_en"] = "Linyi National High-tech Zone".into();
    city["districts"].as_array_mut().unwrap().push(serde_json::json!({
        "code": "371399", "name_zh": "临沂综合保税区", "name_en": "Linyi Comprehensive Bonded Zone", "kind": "zone"
    }));
    std::fs::write(&file, serde_json::to_string_pretty(&city).unwrap()).unwrap();
    let (ok, out) = run_fuhua(db.url(), &["city", "import", file.to_str().unwrap()]);
    assert!(ok, "{out}");
    assert!(out.contains("1 districts added, 1 updated, 14 unchanged"), "{out}");
    let districts = service::districts::list(&db.conn).await.unwrap();
    assert_eq!(districts.len(), 16);
    assert!(districts.iter().any(|d| d.name_en == "Linyi National High-tech Zone"));
    std::fs::remove_dir_all(&dir).ok();
}
