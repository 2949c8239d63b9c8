//! HTTP tests through a spawned server on a random port, against a fresh database (SQLite, or
//! PostgreSQL when `FUHUA_TEST_DATABASE_URL` is set).

mod auth;
mod authz;
mod carriers;
mod pages;
mod support;
mod system;
