//! Area targets can be edited: each row carries a version, and a save that began from an older
//! version changes nothing (two bureau staff editing one target at once do not overwrite each
//! other unseen).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AreaTargets {
    Table,
    Version,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AreaTargets::Table)
                    .add_column(integer(AreaTargets::Version).default(0).to_owned())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(AreaTargets::Table).drop_column(AreaTargets::Version).to_owned()).await
    }
}
