//! HTTP tests through a spawned server on a random port, against a fresh database (SQLite, or
//! PostgreSQL when `FUHUA_TEST_DATABASE_URL` is set).

// Tests fail loudly on a surprise; that is what `unwrap` is for here.
#![allow(clippy::unwrap_used)]

mod auth;
mod authz;
mod carriers;
mod equity;
mod pages;
mod spaces;
mod support;
mod system;
mod tenancy;
