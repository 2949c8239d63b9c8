//! Service tests against a real database: SQLite by default, PostgreSQL when
//! `FUHUA_TEST_DATABASE_URL` is set (see `service::testing`).

// Tests fail loudly on a surprise; that is what `unwrap` is for here.
#![allow(clippy::unwrap_used)]

mod accounts;
mod backup;
mod carriers;
mod catalogue;
mod dashboard;
mod equity;
mod figures;
mod hardening;
mod history;
mod home;
mod leased;
mod ocf;
mod readiness;
mod reference;
mod scale;
mod seed;
mod spaces;
mod support;
mod tenancy;
