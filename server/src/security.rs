//! The HTTP layer's defences: cross-site request refusal, security headers with a per-response
//! CSP nonce, and request logs that never carry secrets.

use app::error::AppError;
use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::nonce::Nonce;

/// Settings of the security middleware.
#[derive(Debug, Clone, Default)]
pub struct Security {
    /// Mark cookies Secure (the site is served over TLS).
    pub secure_cookies: bool,
    /// `cargo leptos watch`'s reload socket, which the CSP must then allow.
    pub reload_port: Option<u32>,
}

/// Refuses state-changing requests from other sites. Browsers name the page a request comes
/// from in `Origin` (and `Referer`); a request without either cannot prove it comes from us.
/// SameSite=Lax cookies already keep other sites' posts from carrying the session; this check
/// stops the rest (and same-site attacks from sibling hosts) too.
pub async fn refuse_cross_site(request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) || same_origin(request.headers()) {
        return next.run(request).await;
    }
    tracing::warn!(method = %request.method(), "cross-site request refused");
    let error = AppError::CrossSite;
    let body = serde_json::to_vec(&error).unwrap_or_default();
    (StatusCode::FORBIDDEN, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else { return false };
    let source =
        headers.get(header::ORIGIN).or_else(|| headers.get(header::REFERER)).and_then(|value| value.to_str().ok());
    source.and_then(authority).is_some_and(|authority| authority.eq_ignore_ascii_case(host))
}

/// `host:port` of an absolute URL.
fn authority(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    Some(rest.split(['/', '?', '#']).next().unwrap_or(rest))
}

/// Adds the security headers, with a fresh CSP nonce that the page's inline scripts carry.
pub async fn security_headers(State(security): State<Security>, mut request: Request, next: Next) -> Response {
    let nonce = Nonce::new();
    request.extensions_mut().insert(nonce.clone());
    let asset = is_static_asset(request.uri().path());
    let mut response = next.run(request).await;
    let reload =
        security.reload_port.map(|port| format!(" ws://127.0.0.1:{port} ws://localhost:{port}")).unwrap_or_default();
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'{reload}; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    );
    let headers = response.headers_mut();
    let own_policy = headers.contains_key("content-security-policy");
    let mut set = |name: &'static str, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    // A response that brings its own, stricter policy (a downloaded document) keeps it.
    if !own_policy {
        set("content-security-policy", &csp);
    }
    set("x-content-type-options", "nosniff");
    set("x-frame-options", "DENY");
    set("referrer-policy", "same-origin");
    set("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()");
    set("cross-origin-opener-policy", "same-origin");
    if security.secure_cookies {
        // Served over TLS: browsers must never fall back to plain HTTP for this site.
        set("strict-transport-security", "max-age=31536000; includeSubDomains");
    }
    // Pages and data can be a signed-in user's: no browser or proxy may keep a copy. Only the
    // built assets (the same for everyone) may be cached.
    if !asset && !headers.contains_key("cache-control") {
        headers.insert("cache-control", HeaderValue::from_static("no-store"));
    }
    response
}

/// The site's built assets: scripts, WebAssembly, styles and icons, the same for every user.
fn is_static_asset(path: &str) -> bool {
    path.starts_with("/pkg/") || path == "/favicon.svg"
}

/// The span of a request in the logs: method and route pattern only. The path itself can hold a
/// one-time token (`/invite/…`) and the query string anything, so neither is logged.
pub fn request_span(request: &Request<Body>) -> tracing::Span {
    let route = request.extensions().get::<MatchedPath>().map_or("(static or unmatched)", MatchedPath::as_str);
    tracing::info_span!("request", method = %request.method(), route = %route)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        map
    }

    #[test]
    fn a_post_from_our_own_pages_is_same_origin() {
        assert!(same_origin(&headers(&[("host", "127.0.0.1:3000"), ("origin", "http://127.0.0.1:3000")])));
        assert!(same_origin(&headers(&[("host", "fuhua.cn"), ("referer", "https://fuhua.cn/carriers?x=1")])));
    }

    #[test]
    fn a_post_from_elsewhere_or_from_nowhere_is_not() {
        assert!(!same_origin(&headers(&[("host", "fuhua.cn"), ("origin", "https://evil.example")])));
        assert!(!same_origin(&headers(&[("host", "fuhua.cn"), ("origin", "https://fuhua.cn.evil.example")])));
        assert!(!same_origin(&headers(&[("host", "fuhua.cn")])));
        assert!(!same_origin(&headers(&[("host", "fuhua.cn"), ("origin", "null")])));
    }
}
