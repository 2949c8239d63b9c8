//! What every feature's server functions share (`<feature>/api.rs`): the server's context, the
//! signed-in actor, the session, and the bounds on dates. Server functions are the browser's
//! whole API; each is a public HTTP endpoint under `/api/`, kept thin: find the actor, parse the
//! input, make one service call, return a view. The service's `policy` decides what the actor
//! may do.

#[cfg(feature = "ssr")]
pub use server_side::*;

#[cfg(feature = "ssr")]
mod server_side {
    use crate::error::AppError;
    use chrono::{DateTime, Duration, Utc};
    use domain::UserId;
    use leptos::prelude::*;
    use serde::{Deserialize, Serialize};
    use service::Actor;
    use tower_sessions::Session;

    /// What the server provides to every server function and page render.
    #[derive(Clone)]
    pub struct ServerContext {
        pub db: service::DatabaseConnection,
        pub sessions: SessionPolicy,
        /// The reverse proxies whose `X-Forwarded-For` is believed.
        pub trusted_proxies: service::client::TrustedProxies,
        /// The bureau's figures, kept while the data they come from stands.
        pub figures: service::dashboard::FiguresCache,
    }

    /// How long a session lasts.
    #[derive(Debug, Clone, Copy)]
    pub struct SessionPolicy {
        /// Ends after this long without a request.
        pub idle: Duration,
        /// Ends this long after sign-in, however busy.
        pub absolute: Duration,
    }

    impl Default for SessionPolicy {
        fn default() -> Self {
            SessionPolicy { idle: Duration::minutes(30), absolute: Duration::hours(12) }
        }
    }

    pub(crate) fn context() -> Result<ServerContext, AppError> {
        use_context::<ServerContext>().ok_or_else(|| {
            tracing::error!("server function called without a ServerContext");
            AppError::Internal { reference: "context".to_owned() }
        })
    }

    pub(crate) fn db() -> Result<service::DatabaseConnection, AppError> {
        context().map(|c| c.db)
    }

    /// Today's date in China, which bounds the dates a form may hold.
    pub(crate) use domain::time::today;

    /// The day a view is for: today when none is given, and never a day outside the accepted
    /// range (a hand-made request can send any date chrono can parse, ±262,143 years).
    pub(crate) fn day(on: Option<chrono::NaiveDate>) -> Result<chrono::NaiveDate, AppError> {
        match on {
            None => Ok(today()),
            Some(on) => bounded_date("on", on),
        }
    }

    /// `date` if it lies in the accepted range, else a validation error on `field`.
    pub(crate) fn bounded_date(field: &str, date: chrono::NaiveDate) -> Result<chrono::NaiveDate, AppError> {
        domain::time::bounded(date)
            .map_err(|problem| AppError::Invalid { errors: domain::FieldErrors::single(field, problem), echo: None })
    }

    /// A year a view is for, within the accepted dates' years.
    pub(crate) fn year(year: i32) -> Result<i32, AppError> {
        use chrono::Datelike;
        if (domain::time::EARLIEST.year()..=domain::time::LATEST.year()).contains(&year) {
            Ok(year)
        } else {
            Err(AppError::Invalid {
                errors: domain::FieldErrors::single(
                    "year",
                    domain::Problem::OutOfRange {
                        min: domain::time::EARLIEST.year().unsigned_abs(),
                        max: domain::time::LATEST.year().unsigned_abs(),
                    },
                ),
                echo: None,
            })
        }
    }

    /// What the session remembers about who signed in.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    struct SignedIn {
        user: UserId,
        authenticated_at: DateTime<Utc>,
        last_seen: DateTime<Utc>,
    }

    const SIGNED_IN: &str = "signed_in";

    async fn session() -> Result<Session, AppError> {
        leptos_axum::extract::<Session>().await.map_err(|e| {
            tracing::error!(error = %e, "no session layer");
            AppError::Internal { reference: "session".to_owned() }
        })
    }

    /// The actor of one request, loaded at most once: a page render calls many server functions
    /// (the navigation's `get_me` and each resource's), all on the request's own context, and
    /// each would otherwise read the session's user and memberships again. A new one is provided
    /// for every request (`server::router`), so a role revoked between requests stops working at
    /// the next one; signing in or out within a request forgets it.
    #[derive(Clone, Default)]
    pub struct RequestActor(std::sync::Arc<tokio::sync::Mutex<Option<Option<Actor>>>>);

    impl RequestActor {
        async fn forget(&self) {
            *self.0.lock().await = None;
        }
    }

    /// The signed-in actor, if the session holds a live sign-in. An idle or too old session is
    /// ended here.
    pub(crate) async fn current_actor() -> Result<Option<Actor>, AppError> {
        let Some(cached) = use_context::<RequestActor>() else {
            return session_actor(&session().await?, &context()?).await;
        };
        // Held while loading, so that resources rendered side by side wait for the first one
        // instead of loading the same rows again.
        let mut slot = cached.0.lock().await;
        if let Some(actor) = slot.as_ref() {
            return Ok(actor.clone());
        }
        let actor = session_actor(&session().await?, &context()?).await?;
        *slot = Some(actor.clone());
        Ok(actor)
    }

    /// The signed-in actor of `session` (for handlers outside Leptos, such as file downloads).
    pub async fn session_actor(session: &Session, context: &ServerContext) -> Result<Option<Actor>, AppError> {
        let Some(mut signed_in) = session.get::<SignedIn>(SIGNED_IN).await.ok().flatten() else {
            return Ok(None);
        };
        let now = Utc::now();
        if now - signed_in.last_seen > context.sessions.idle
            || now - signed_in.authenticated_at > context.sessions.absolute
        {
            let _ = session.flush().await;
            return Ok(None);
        }
        let actor = service::accounts::load_actor(&context.db, signed_in.user, signed_in.authenticated_at).await?;
        if actor.is_none() {
            let _ = session.flush().await;
            return Ok(None);
        }
        // Refreshing `last_seen` saves the session, which also pushes its expiry in the store and
        // the cookie forward; doing it every minute (or a quarter of a short idle window) keeps
        // an active session alive without a write per request.
        if now - signed_in.last_seen > Duration::minutes(1).min(context.sessions.idle / 4) {
            signed_in.last_seen = now;
            let _ = session.insert(SIGNED_IN, signed_in).await;
        }
        Ok(actor)
    }

    /// The signed-in actor, or 401.
    pub(crate) async fn actor() -> Result<Actor, AppError> {
        current_actor().await?.ok_or(AppError::Unauthenticated)
    }

    /// Signs `user` in: a fresh session id (so a planted id is worthless), then the sign-in.
    pub(crate) async fn start_session(user: UserId) -> Result<(), AppError> {
        if let Some(cached) = use_context::<RequestActor>() {
            cached.forget().await;
        }
        let session = session().await?;
        session.cycle_id().await.map_err(|_| AppError::Internal { reference: "session".to_owned() })?;
        let now = Utc::now();
        session
            .insert(SIGNED_IN, SignedIn { user, authenticated_at: now, last_seen: now })
            .await
            .map_err(|_| AppError::Internal { reference: "session".to_owned() })
    }

    /// Ends the session: deleted from the store, cookie cleared.
    pub(crate) async fn end_session() -> Result<(), AppError> {
        if let Some(cached) = use_context::<RequestActor>() {
            cached.forget().await;
        }
        session().await?.flush().await.map_err(|_| AppError::Internal { reference: "session".to_owned() })
    }

    /// The client's address, for throttling sign-ins and registrations: the peer's, or behind a
    /// trusted proxy the rightmost untrusted `X-Forwarded-For` hop (`service::client`).
    pub(crate) async fn client_address() -> String {
        use axum::extract::ConnectInfo;
        use std::net::SocketAddr;
        let Ok(ConnectInfo(peer)) = leptos_axum::extract::<ConnectInfo<SocketAddr>>().await else {
            return "unknown".to_owned();
        };
        let proxies = context().map(|c| c.trusted_proxies).unwrap_or_default();
        let parts = use_context::<http::request::Parts>();
        let forwarded: Vec<&str> = parts
            .as_ref()
            .map(|p| p.headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect())
            .unwrap_or_default();
        proxies.client(peer.ip(), &forwarded).to_string()
    }

    /// The user signed in on `session`, without checking the sign-in's age (for the audit record
    /// of a refused request).
    pub async fn session_user(session: &Session) -> Option<UserId> {
        session.get::<SignedIn>(SIGNED_IN).await.ok().flatten().map(|s| s.user)
    }
}
