//! HTTP tests through a spawned server on a random port, against a fresh database (SQLite, or
//! PostgreSQL when `FUHUA_TEST_DATABASE_URL` is set).
//!
//! Each test runs on a multi-threaded runtime, as the server does in production. Every test
//! starts its own server in this one process; the page routes are worked out once per process
//! (`server::router`), because working them out while another server renders a page used to
//! leave that page waiting forever (`system::pages_keep_loading_while_another_router_is_built_in_the_process`).

// Tests fail loudly on a surprise; that is what `unwrap` is for here.
#![allow(clippy::unwrap_used)]

mod accounts;
mod authz;
mod carriers;
mod catalogue;
mod dashboard;
mod equity;
mod fuzz;
mod hardening;
mod hostile;
mod pages;
mod process;
mod spaces;
mod support;
mod system;
mod tenancy;
