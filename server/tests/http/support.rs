use domain::account::{Invitation, RegistrationForm, Role};
use domain::{CarrierId, StartupId};
use reqwest::header::{ACCEPT, CONTENT_TYPE, ORIGIN, REFERER};
use reqwest::redirect::Policy;
use reqwest::{Client, Response};
use service::Actor;
use service::testing::TestDb;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

pub const PASSWORD: &str = "rivers and mountains";

/// A running server, and a browser-like client for each signed-in user (each with its own
/// cookie jar). Clients do not follow redirects, so tests can see them.
pub struct TestApp {
    pub address: SocketAddr,
    pub db: TestDb,
    pub sessions: app::api::SessionPolicy,
    pub options: Options,
    /// A visitor who is not signed in.
    pub anonymous: Client,
}

/// What a test server may be started with besides its session policy.
#[derive(Clone, Default)]
pub struct Options {
    pub security: server::security::Security,
    pub trusted_proxies: service::client::TrustedProxies,
    pub limits: server::serve::Limits,
    /// Serve the harness's baselines (`--bench-baseline`).
    pub bench_baseline: bool,
}

/// Everything the server logged while the tests ran, to search for secrets.
pub fn captured_logs() -> String {
    String::from_utf8_lossy(&LOGS.get_or_init(Default::default).lock().expect("the log buffer").clone()).into_owned()
}

static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();

struct Capture;

impl std::io::Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        LOGS.get_or_init(Default::default).lock().expect("the log buffer").extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Logs everything, at every level, into the buffer `captured_logs` reads.
fn capture_logs() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("trace"))
            .with_writer(|| Capture)
            .with_ansi(false)
            .try_init();
    });
}

pub fn browser() -> Client {
    // A request the server never answers fails its test within a minute instead of stalling
    // the suite (a rare hang of one page render has been seen; see the closing notes).
    Client::builder()
        .redirect(Policy::none())
        .cookie_store(true)
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .expect("an HTTP client")
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(app::api::SessionPolicy::default()).await
}

pub async fn spawn_app_with(sessions: app::api::SessionPolicy) -> TestApp {
    spawn_app_with_options(sessions, Options::default()).await
}

pub async fn spawn_app_with_options(sessions: app::api::SessionPolicy, options: Options) -> TestApp {
    capture_logs();
    let db = TestDb::shared().await;
    service::seed::districts(&db.conn).await.expect("seed the districts");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a free port");
    let address = listener.local_addr().expect("the bound address");
    let app = TestApp { address, db, sessions, options, anonymous: browser() };
    let state = app.state();
    tokio::spawn(async move {
        server::serve(listener, state, std::future::pending()).await.expect("the test server runs");
    });
    app
}

static UNIQUE: AtomicU32 = AtomicU32::new(0);

/// A number no other call in this test binary returns.
pub fn unique() -> u32 {
    UNIQUE.fetch_add(1, Ordering::Relaxed)
}

impl TestApp {
    /// What the server was started with, to build another router on the same database.
    pub fn state(&self) -> server::AppState {
        let leptos_options = leptos::config::LeptosOptions::builder()
            .output_name("fuhua")
            .site_root("target/site")
            .site_addr(self.address)
            .build();
        server::AppState {
            leptos_options,
            db: self.db.conn.clone(),
            sessions: self.sessions,
            security: self.options.security.clone(),
            trusted_proxies: self.options.trusted_proxies.clone(),
            limits: self.options.limits.clone(),
            refusals: Default::default(),
            bench_baseline: self.options.bench_baseline,
            figures: Default::default(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// Another instance of the server on the same database, as a second process behind a load
    /// balancer would be: its own address, pool and caches. Returns its origin.
    pub async fn another_instance(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a second port");
        let address = listener.local_addr().expect("a local address");
        let mut state = self.state();
        state.db = service::db::connect(self.db.url()).await.expect("a second pool");
        state.leptos_options = leptos::config::LeptosOptions::builder()
            .output_name("fuhua")
            .site_root("target/site")
            .site_addr(address)
            .build();
        tokio::spawn(server::serve(listener, state, std::future::pending()));
        format!("http://{address}")
    }

    /// GETs a page as `client` would in a browser, in English when `english` (chosen through
    /// the language switch, as a user would).
    pub async fn page_as(&self, client: &Client, path: &str, english: bool) -> (u16, String) {
        let language = if english { "en" } else { "zh-CN" };
        client.get(self.url(&format!("/lang/{language}"))).send().await.expect("switch the language");
        let response = client.get(self.url(path)).header(ACCEPT, "text/html").send().await.expect("GET");
        let status = response.status().as_u16();
        (status, response.text().await.expect("a body"))
    }

    /// Calls a server function the way the hydrated app does (URL-encoded in, JSON out).
    pub async fn call_as(&self, client: &Client, function: &str, body: &str) -> Response {
        Self::call_at(&self.url(""), client, function, body).await
    }

    /// Calls a server function on the instance at `origin` (`another_instance`).
    pub async fn call_at(origin: &str, client: &Client, function: &str, body: &str) -> Response {
        client
            .post(format!("{origin}/api/{function}"))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .header(ORIGIN, origin)
            .body(body.to_owned())
            .send()
            .await
            .expect("POST")
    }

    /// Calls a server function as a visitor.
    pub async fn call(&self, function: &str, body: &str) -> Response {
        self.call_as(&self.anonymous, function, body).await
    }

    /// Posts a form the way a browser without JavaScript does.
    pub async fn post_form_as(&self, client: &Client, function: &str, body: &str, from_page: &str) -> Response {
        client
            .post(self.url(&format!("/api/{function}")))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "text/html,application/xhtml+xml")
            .header(ORIGIN, self.url(""))
            .header(REFERER, self.url(from_page))
            .body(body.to_owned())
            .send()
            .await
            .expect("POST")
    }

    /// Signs in through the sign-in form; returns the browser holding the session.
    pub async fn sign_in(&self, email: &str, password: &str) -> Client {
        let browser = browser();
        let body = encode(&[("email", email.to_owned()), ("password", password.to_owned())]);
        let response = self.post_form_as(&browser, "login", &body, "/login").await;
        assert_eq!(response.status(), 302, "signing in as {email}");
        assert_eq!(response.headers()["location"], "/", "signed in as {email}");
        browser
    }

    /// A new account with `roles`, created as the command line does.
    pub async fn staff(&self, roles: &[Role]) -> (Client, String) {
        let email = format!("staff{}@ly.gov.cn", unique());
        service::accounts::create_from_cli(&self.db.conn, &email, "测试员", roles, Some(PASSWORD))
            .await
            .expect("create a staff account");
        (self.sign_in(&email, PASSWORD).await, email)
    }

    pub async fn bureau(&self) -> Client {
        self.staff(&[Role::Bureau]).await.0
    }

    pub async fn admin(&self) -> Client {
        self.staff(&[Role::Admin]).await.0
    }

    /// An operator of `carrier`, invited and signed in.
    pub async fn operator_of(&self, carrier: CarrierId) -> (Client, String) {
        let email = format!("operator{}@carrier.cn", unique());
        let invitation = Invitation { email: email.clone(), role: Role::Operator, carrier: Some(carrier) };
        let link = service::accounts::invite(&self.db.conn, &system_bureau(), &invitation).await.expect("invite");
        let token = link.path.trim_start_matches("/invite/");
        service::accounts::accept_invitation(&self.db.conn, token, "运营员", PASSWORD, PASSWORD).await.expect("accept");
        (self.sign_in(&email, PASSWORD).await, email)
    }

    /// A registered startup and its signed-in member.
    pub async fn startup(&self, name: &str) -> (Client, StartupId, String) {
        let email = format!("founder{}@startup.cn", unique());
        let registration = RegistrationForm {
            startup_name: name.into(),
            display_name: "创始人".into(),
            email: email.clone(),
            new_password: PASSWORD.into(),
            confirm: PASSWORD.into(),
        }
        .parse()
        .expect("a valid registration");
        let user = service::accounts::register_startup(
            &self.db.conn,
            &registration,
            &format!("10.1.{}.{}", unique() / 250, unique() % 250),
        )
        .await
        .expect("register");
        let actor = service::accounts::load_actor(&self.db.conn, user, chrono::Utc::now()).await.unwrap().unwrap();
        let startup = *actor.startups.iter().next().expect("a startup");
        (self.sign_in(&email, PASSWORD).await, startup, email)
    }

    /// A carrier registered by the bureau directly through the service.
    pub async fn carrier(&self, name: &str, district_zh: &str) -> CarrierId {
        let district = self.district(district_zh).await;
        let form = domain::carrier::CarrierForm {
            name: name.into(),
            kind: "incubator".into(),
            level: "none".into(),
            district_id: district.to_string(),
            operator_org: "临沂测试运营有限公司".into(),
            operating_model: "landlord".into(),
            address: "临沂市兰山区测试路1号".into(),
            opened_on: "2019-01-01".into(),
            industries: vec!["other".into()],
            contact_name: "王敏".into(),
            contact_phone: "13805391234".into(),
            ..Default::default()
        };
        let draft = form.parse(domain::time::today()).expect("a valid carrier");
        service::carriers::create(&self.db.conn, &system_bureau(), &draft).await.expect("create a carrier")
    }

    /// The id of a district by its Chinese name.
    pub async fn district(&self, name_zh: &str) -> i64 {
        service::districts::list(&self.db.conn)
            .await
            .expect("list the districts")
            .into_iter()
            .find(|d| d.name_zh == name_zh)
            .map(|d| d.id.0)
            .expect("a seeded district")
    }
}

/// Bureau rights for setting up fixtures through the services.
pub fn system_bureau() -> Actor {
    Actor {
        user: domain::UserId(0),
        email: "fixtures@test".into(),
        admin: false,
        bureau: true,
        carriers: Default::default(),
        startups: Default::default(),
    }
}

/// The operators of every carrier a test creates (the ids of a fresh database, 1 to 10,000), for
/// fixtures: a carrier's spaces, admissions and leases are its operators' to record.
pub fn operators() -> Actor {
    Actor {
        user: domain::UserId(0),
        email: "fixtures@carrier.cn".into(),
        admin: false,
        bureau: false,
        carriers: (1..=10_000).map(CarrierId).collect(),
        startups: Default::default(),
    }
}

/// A complete, valid carrier form as the browser posts it.
pub fn carrier_form(name: &str, district: i64) -> String {
    let fields = [
        ("form[name]", name.to_owned()),
        ("form[kind]", "incubator".to_owned()),
        ("form[level]", "provincial".to_owned()),
        ("form[level_year]", "2020".to_owned()),
        ("form[district_id]", district.to_string()),
        ("form[operator_org]", "临沂测试运营有限公司".to_owned()),
        ("form[operating_model]", "landlord_shareholder".to_owned()),
        ("form[address]", "临沂市兰山区测试路1号".to_owned()),
        ("form[opened_on]", "2018-03-01".to_owned()),
        ("form[industries][0]", "new_generation_it".to_owned()),
        ("form[industries][3]", "biomedicine".to_owned()),
        ("form[contact_name]", "王敏".to_owned()),
        ("form[contact_phone]", "0539-8123456".to_owned()),
        ("form[contact_email]", "".to_owned()),
    ];
    encode(&fields)
}

pub fn encode(fields: &[(&str, String)]) -> String {
    fields.iter().map(|(k, v)| format!("{}={}", percent(k), percent(v))).collect::<Vec<_>>().join("&")
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
