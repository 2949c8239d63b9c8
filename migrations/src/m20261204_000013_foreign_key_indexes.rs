//! An index on every foreign key a page reads by. Without them a startup's own page, its lease
//! and its cap table each scanned every lease, lease event and equity line of the city: 10–20 ms
//! a statement at a hundred times the demo city, and growing with it (`bench/statements.py`).
//! On PostgreSQL they also keep a deleted or changed parent from scanning its children.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (index, table, column): each index is on one column.
const INDEXES: [(&str, &str, &str); 10] = [
    ("ix_leases_startup", "leases", "startup_id"),
    ("ix_lease_events_lease", "lease_events", "lease_id"),
    ("ix_tenant_events_startup", "tenant_events", "startup_id"),
    ("ix_equity_events_lease", "equity_events", "lease_id"),
    ("ix_equity_lines_holder", "equity_lines", "holder_id"),
    ("ix_memberships_startup", "memberships", "startup_id"),
    ("ix_memberships_carrier", "memberships", "carrier_id"),
    ("ix_documents_startup", "documents", "startup_id"),
    ("ix_applications_document", "applications", "document_id"),
    ("ix_one_time_tokens_user", "one_time_tokens", "user_id"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, column) in INDEXES {
            manager
                .create_index(Index::create().name(name).table(Alias::new(table)).col(Alias::new(column)).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in INDEXES {
            manager.drop_index(Index::drop().name(name).table(Alias::new(table)).to_owned()).await?;
        }
        Ok(())
    }
}
