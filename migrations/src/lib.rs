//! The schema, one timestamped migration per change. An applied migration is never edited: a
//! change to the schema is a new file. Migrations hold no seed data.

// `#[async_trait]` rejects the `<'_>` the 2018 idiom lint asks for on `&SchemaManager`.
#![allow(elided_lifetimes_in_paths)]
pub use sea_orm_migration::prelude::*;

mod m20261127_000001_districts_and_carriers;
mod m20261127_000002_accounts_sessions_audit;
mod m20261128_000003_spaces_and_area;
mod m20261128_000004_tenants_and_leases;
mod m20261128_000005_equity_ledger;
mod m20261128_000006_bureau_view;
mod m20261129_000007_hardening;
mod m20261129_000008_dated_registry;
mod m20261130_000009_target_versions;
mod m20261201_000010_catalogue;
mod m20261202_000011_figures_epoch;
mod m20261203_000012_more_figure_tables;
mod m20261204_000013_foreign_key_indexes;

pub use m20261203_000012_more_figure_tables::figure_tables;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_districts_and_carriers::Migration),
            Box::new(m20261127_000002_accounts_sessions_audit::Migration),
            Box::new(m20261128_000003_spaces_and_area::Migration),
            Box::new(m20261128_000004_tenants_and_leases::Migration),
            Box::new(m20261128_000005_equity_ledger::Migration),
            Box::new(m20261128_000006_bureau_view::Migration),
            Box::new(m20261129_000007_hardening::Migration),
            Box::new(m20261129_000008_dated_registry::Migration),
            Box::new(m20261130_000009_target_versions::Migration),
            Box::new(m20261201_000010_catalogue::Migration),
            Box::new(m20261202_000011_figures_epoch::Migration),
            Box::new(m20261203_000012_more_figure_tables::Migration),
            Box::new(m20261204_000013_foreign_key_indexes::Migration),
        ]
    }
}
