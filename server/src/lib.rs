//! The Fuhua server: the HTTP router around the Leptos application, and start-up.

pub mod config;
pub mod files;
pub mod guard;
mod route_table;
mod routes;
pub mod security;
pub mod serve;

use app::api::ServerContext;
use app::api::SessionPolicy;
use app::{App, shell};
use axum::Router;
use axum::extract::FromRef;
use axum::http::StatusCode;
use leptos::config::LeptosOptions;
use leptos::nonce::Nonce;
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use security::Security;
use service::DatabaseConnection;
use service::session_store::DbSessionStore;
use std::sync::OnceLock;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tracing::Level;

/// Everything a request handler may need, built once at start-up.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub sessions: SessionPolicy,
    pub security: Security,
    pub trusted_proxies: service::client::TrustedProxies,
    pub limits: serve::Limits,
    /// When each user's refused requests were last audited.
    pub refusals: guard::Refusals,
    /// Whether the performance harness's baselines are served (`--bench-baseline`; never in
    /// production).
    pub bench_baseline: bool,
    /// The bureau's figures, kept while the data they come from stands.
    pub figures: service::dashboard::FiguresCache,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// What server functions and page renders get through Leptos' context.
    pub fn context(&self) -> ServerContext {
        ServerContext {
            db: self.db.clone(),
            sessions: self.sessions,
            trusted_proxies: self.trusted_proxies.clone(),
            figures: self.figures.clone(),
        }
    }
}

/// The application's page routes, worked out once per process.
///
/// Working them out renders the app with resource loading switched off, and Leptos keeps that
/// switch in one process-wide flag: a page being served by another router of the same process at
/// that moment would wait forever for its data. Building the list once, before any router
/// exists, leaves no such moment however many routers are built.
fn page_routes() -> &'static [AxumRouteListing] {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App))
}

/// The plain routes, each feature's table.
fn route_tables() -> [route_table::RouteTable; 6] {
    [
        routes::system(),
        routes::spaces::routes(),
        routes::tenancy::routes(),
        routes::equity::routes(),
        routes::dashboard::routes(),
        routes::readiness::routes(),
    ]
}

/// Every plain route (outside the pages and server functions) the router mounts: method and path
/// pattern (`/documents/{id}`). The authorization matrix needs a row for each. The harness's
/// baselines (`routes::bench`) are mounted only with `--bench-baseline`.
pub fn route_list() -> Vec<(&'static str, &'static str)> {
    route_tables().iter().flat_map(|table| table.listed().iter().copied()).collect()
}

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    let routes = page_routes().to_vec();
    let context = state.context();
    // What every page render and server function call is given: the server context, a slot for
    // the request's actor (loaded once), and the CSP nonce of the response so that the hydration
    // scripts carry it.
    let page_context = move || {
        provide_context(context.clone());
        provide_context(app::api::RequestActor::default());
        if let Some(nonce) = use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<Nonce>().cloned()) {
            provide_context(nonce);
        }
    };
    let options = state.leptos_options.clone();
    let fallback_options = state.leptos_options.clone();
    let site_root = std::path::PathBuf::from(state.leptos_options.site_root.as_ref());
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name("fuhua_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.security.secure_cookies)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(state.sessions.idle.num_seconds())));
    let security = state.security.clone();
    let admission = guard::Admission::new(state.limits.max_in_flight, state.limits.body_read_timeout);
    let request_timeout = state.limits.request_timeout;
    let baselines = state.bench_baseline.then(routes::bench::routes);
    route_tables()
        .into_iter()
        .chain(baselines)
        .fold(Router::new(), |router, table| router.merge(table.into_router()))
        .leptos_routes_with_context(&state, routes, page_context.clone(), move || shell(options.clone()))
        // The built assets, served as files (ServeDir refuses paths that leave its folder).
        .nest_service("/pkg", ServeDir::new(site_root.join("pkg")))
        .route_service("/favicon.svg", ServeFile::new(site_root.join("favicon.svg")))
        // Any other path (`/carriers/`, say) renders the app, whose router shows its not-found
        // page with a 404, fully rendered like the pages that must work without JavaScript.
        .fallback(leptos_axum::render_app_async_with_context(page_context, move || shell(fallback_options.clone())))
        // Innermost first: each layer wraps the ones above it.
        .layer(axum::middleware::from_fn(guard::server_function_body))
        .layer(axum::middleware::from_fn_with_state(state.clone(), guard::refusals))
        .layer(axum::middleware::from_fn(security::refuse_cross_site))
        .layer(sessions)
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, request_timeout))
        .layer(axum::middleware::from_fn_with_state(admission, guard::admission))
        .layer(axum::middleware::from_fn_with_state(security, security::security_headers))
        .layer(CatchPanicLayer::custom(guard::panic_response))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(security::request_span)
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

/// Serves `router(state)` on `listener` until `shutdown` resolves (then drains within the
/// shutdown deadline, `serve::run`), and keeps the session and sign-in tables pruned meanwhile.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let db = state.db.clone();
    let pruning = tokio::spawn(async move {
        let store = DbSessionStore::new(db.clone());
        let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            match (store.delete_expired().await, service::accounts::prune_login_attempts(&db).await) {
                (Ok(sessions), Ok(attempts)) => tracing::debug!(sessions, attempts, "pruned"),
                (sessions, attempts) => tracing::warn!(?sessions, ?attempts, "pruning failed"),
            }
        }
    });
    let limits = state.limits.clone();
    let served = serve::run(listener, router(state), limits, shutdown).await;
    pruning.abort();
    served
}

/// Resolves when the process is asked to stop (Ctrl-C or SIGTERM).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}
