//! Service tests against a real database: SQLite by default, PostgreSQL when
//! `FUHUA_TEST_DATABASE_URL` is set (see `service::testing`).

mod accounts;
mod carriers;
mod seed;
mod support;
