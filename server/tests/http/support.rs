use reqwest::header::{ACCEPT, CONTENT_TYPE, COOKIE, REFERER};
use reqwest::redirect::Policy;
use reqwest::{Client, Response};
use service::testing::TestDb;
use std::net::SocketAddr;

/// A running server and a client that does not follow redirects, so tests can see them.
pub struct TestApp {
    pub address: SocketAddr,
    pub client: Client,
    pub db: TestDb,
}

pub async fn spawn_app() -> TestApp {
    let db = TestDb::shared().await;
    service::seed::districts(&db.conn).await.expect("seed the districts");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a free port");
    let address = listener.local_addr().expect("the bound address");
    let leptos_options = leptos::config::LeptosOptions::builder()
        .output_name("fuhua")
        .site_root("target/site")
        .site_addr(address)
        .build();
    let state = server::AppState { leptos_options, db: db.conn.clone() };
    tokio::spawn(async move {
        axum::serve(listener, server::router(state)).await.expect("the test server runs");
    });
    let client = Client::builder().redirect(Policy::none()).build().expect("an HTTP client");
    TestApp { address, client, db }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// GETs a page, in English when `english`.
    pub async fn page(&self, path: &str, english: bool) -> (u16, String) {
        let mut request = self.client.get(self.url(path));
        if english {
            request = request.header(COOKIE, "fuhua-lang=en");
        }
        let response = request.send().await.expect("GET");
        let status = response.status().as_u16();
        (status, response.text().await.expect("a body"))
    }

    /// Calls a server function the way the hydrated app does (URL-encoded in, JSON out).
    pub async fn call(&self, function: &str, body: &str) -> Response {
        self.client
            .post(self.url(&format!("/api/{function}")))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .body(body.to_owned())
            .send()
            .await
            .expect("POST")
    }

    /// Posts a form the way a browser without JavaScript does.
    pub async fn post_form(&self, function: &str, body: &str, from_page: &str) -> Response {
        self.client
            .post(self.url(&format!("/api/{function}")))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "text/html,application/xhtml+xml")
            .header(REFERER, self.url(from_page))
            .body(body.to_owned())
            .send()
            .await
            .expect("POST")
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
