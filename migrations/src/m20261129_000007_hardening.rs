//! Hardening: sign-in and registration attempts counted by kind under one throttle; one-time
//! links that wait for a second admin (a role granted to oneself, a reset of someone else's
//! account) or are revoked (reset links outstanding when a password changes); and a unit code
//! unique on its floor among the units not removed, enforced by the database itself.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LoginAttempts {
    Table,
    Kind,
    Client,
    At,
}

#[derive(DeriveIden)]
enum OneTimeTokens {
    Table,
    NeedsApproval,
    ApprovedBy,
    ApprovedAt,
    RevokedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        let columns = [
            (LoginAttempts::Table.into_iden(), string_len(LoginAttempts::Kind, 16).default("sign_in").to_owned()),
            (OneTimeTokens::Table.into_iden(), boolean(OneTimeTokens::NeedsApproval).default(false).to_owned()),
            (OneTimeTokens::Table.into_iden(), big_integer_null(OneTimeTokens::ApprovedBy)),
            (OneTimeTokens::Table.into_iden(), timestamp_with_time_zone_null(OneTimeTokens::ApprovedAt)),
            (OneTimeTokens::Table.into_iden(), timestamp_with_time_zone_null(OneTimeTokens::RevokedAt)),
        ];
        for (table, mut column) in columns {
            manager.alter_table(Table::alter().table(table).add_column(&mut column).to_owned()).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("ix_login_attempts_kind_client")
                    .table(LoginAttempts::Table)
                    .col(LoginAttempts::Kind)
                    .col(LoginAttempts::Client)
                    .col(LoginAttempts::At)
                    .to_owned(),
            )
            .await?;
        // A partial index, in the same words on SQLite and PostgreSQL.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_units_live_code ON units (floor_id, code) WHERE availability <> 'removed'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DROP INDEX ux_units_live_code").await?;
        manager
            .drop_index(Index::drop().name("ix_login_attempts_kind_client").table(LoginAttempts::Table).to_owned())
            .await?;
        let columns = [
            (LoginAttempts::Table.into_iden(), LoginAttempts::Kind.into_iden()),
            (OneTimeTokens::Table.into_iden(), OneTimeTokens::NeedsApproval.into_iden()),
            (OneTimeTokens::Table.into_iden(), OneTimeTokens::ApprovedBy.into_iden()),
            (OneTimeTokens::Table.into_iden(), OneTimeTokens::ApprovedAt.into_iden()),
            (OneTimeTokens::Table.into_iden(), OneTimeTokens::RevokedAt.into_iden()),
        ];
        for (table, column) in columns {
            manager.alter_table(Table::alter().table(table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
