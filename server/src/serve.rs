//! The accept loop: HTTP/1.1 connections served by hyper with the limits a public server needs,
//! and a shutdown with a deadline.
//!
//! - A client has [`Limits::header_read_timeout`] to send a request's headers (an idle
//!   keep-alive connection gets the same), so connections that trickle bytes are closed.
//! - At most [`Limits::max_connections`] connections are open at once; beyond that new ones wait
//!   in the kernel's backlog until one closes.
//! - On shutdown the listener closes, every connection finishes the request it is serving and
//!   closes, and after [`Limits::shutdown_grace`] whatever is left is dropped, so the process exits
//!   in bounded time however slow its clients are. A write is acknowledged only after its
//!   transaction committed, so nothing acknowledged is lost by the drop.

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tower::ServiceExt;

/// The limits of the HTTP layer (`fuhua --help` lists them as flags).
#[derive(Debug, Clone)]
pub struct Limits {
    /// Time a client has to send a request's headers; also how long an idle connection stays.
    pub header_read_timeout: Duration,
    /// Longest wait between two parts of a request body.
    pub body_read_timeout: Duration,
    /// Longest time one request may take, body included.
    pub request_timeout: Duration,
    /// Connections open at once.
    pub max_connections: usize,
    /// Requests in progress at once; more wait briefly, then get 503 with `Retry-After`.
    pub max_in_flight: usize,
    /// How long shutdown waits for requests in progress.
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(15),
            request_timeout: Duration::from_secs(60),
            max_connections: 1024,
            max_in_flight: 256,
            shutdown_grace: Duration::from_secs(20),
        }
    }
}

/// Serves `app` on `listener` until `shutdown` resolves, then drains as described above.
pub async fn run(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let open = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let (closing, closed) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = open.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Running out of file descriptors, say: wait a little rather than spin.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = app.clone().map_request(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            request.map(Body::new)
        });
        let mut closed = closed.clone();
        let header_read_timeout = limits.header_read_timeout;
        connections.spawn(async move {
            let _permit = permit;
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder.timer(TokioTimer::new()).header_read_timeout(header_read_timeout).max_buf_size(64 * 1024);
            let connection = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                () = async { let _ = closed.wait_for(|closing| *closing).await; } => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.as_mut().await;
                }
            }
        });
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    let _ = closing.send(true);
    let in_progress = connections.len();
    if in_progress > 0 {
        tracing::info!(connections = in_progress, "waiting for open connections to finish");
    }
    let drained =
        tokio::time::timeout(limits.shutdown_grace, async { while connections.join_next().await.is_some() {} }).await;
    if drained.is_err() {
        tracing::warn!(connections = connections.len(), "shutdown deadline passed: closing the remaining connections");
        connections.shutdown().await;
    }
    Ok(())
}
