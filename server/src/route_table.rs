//! The plain HTTP routes (those outside the Leptos pages and server functions) are added only
//! through a [`RouteTable`], which mounts each one and lists it. The authorization matrix
//! (`server/tests/http/authz`) reads [`crate::route_list`] and fails when a listed route has no
//! row there, so no route can be added without saying who may call it.

use crate::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::routing::{get, post};

/// Routes being mounted, and the list of them.
#[derive(Default)]
pub struct RouteTable {
    router: Router<AppState>,
    listed: Vec<(&'static str, &'static str)>,
}

impl RouteTable {
    pub fn new() -> Self {
        Self::default()
    }

    /// A `GET` route.
    pub fn get<H, T>(mut self, path: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(path, get(handler));
        self.listed.push(("GET", path));
        self
    }

    /// A `POST` route taking a body of at most `max_body` bytes.
    pub fn post<H, T>(mut self, path: &'static str, handler: H, max_body: usize) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(path, post(handler).layer(DefaultBodyLimit::max(max_body)));
        self.listed.push(("POST", path));
        self
    }

    /// The method and path pattern of each route, in the order added.
    pub fn listed(&self) -> &[(&'static str, &'static str)] {
        &self.listed
    }

    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}
