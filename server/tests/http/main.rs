//! HTTP tests through a spawned server on a random port, against a fresh database (SQLite, or
//! PostgreSQL when `FUHUA_TEST_DATABASE_URL` is set).
//!
//! Each test runs on a multi-threaded runtime, as the server does in production. On the
//! single-threaded test runtime one page render in four or five PostgreSQL runs of this suite
//! never completed (the client waited forever; the server had nothing left to poll); ten runs on
//! two worker threads had none. The cause inside the render is not found yet.

// Tests fail loudly on a surprise; that is what `unwrap` is for here.
#![allow(clippy::unwrap_used)]

mod auth;
mod authz;
mod carriers;
mod dashboard;
mod equity;
mod pages;
mod spaces;
mod support;
mod system;
mod tenancy;
