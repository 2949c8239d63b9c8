//! The space catalogue: each carrier describes itself in a few lines for startups looking for
//! space, and chooses whether visitors who have not signed in may see its entry.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Carriers {
    Table,
    Description,
    ListedPublicly,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter().table(Carriers::Table).add_column(text(Carriers::Description).default("")).to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Carriers::Table)
                    .add_column(boolean(Carriers::ListedPublicly).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Carriers::ListedPublicly, Carriers::Description] {
            manager.alter_table(Table::alter().table(Carriers::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
