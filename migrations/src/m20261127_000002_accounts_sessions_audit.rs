use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    DisplayName,
    PasswordHash,
    Active,
    PasswordChangedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Startups {
    Table,
    Id,
    Name,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    Id,
    UserId,
    Role,
    CarrierId,
    StartupId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Carriers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    Data,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum OneTimeTokens {
    Table,
    Id,
    TokenHash,
    Purpose,
    Email,
    Role,
    CarrierId,
    UserId,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum LoginAttempts {
    Table,
    Id,
    At,
    Account,
    Client,
    Succeeded,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorId,
    ActorEmail,
    Action,
    EntityType,
    EntityId,
    CarrierId,
    StartupId,
    Before,
    After,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(big_pk_auto(Users::Id))
                    .col(string_len_uniq(Users::Email, 254))
                    .col(string_len(Users::DisplayName, 50))
                    .col(string_len_null(Users::PasswordHash, 200))
                    .col(boolean(Users::Active).default(true))
                    .col(timestamp_with_time_zone_null(Users::PasswordChangedAt))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Startups::Table)
                    .col(big_pk_auto(Startups::Id))
                    .col(string_len_uniq(Startups::Name, 100))
                    .col(timestamp_with_time_zone(Startups::CreatedAt))
                    .col(timestamp_with_time_zone(Startups::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Memberships::Table)
                    .col(big_pk_auto(Memberships::Id))
                    .col(big_integer(Memberships::UserId))
                    .col(string_len(Memberships::Role, 16))
                    .col(big_integer_null(Memberships::CarrierId))
                    .col(big_integer_null(Memberships::StartupId))
                    .col(timestamp_with_time_zone(Memberships::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_memberships_user")
                            .from(Memberships::Table, Memberships::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_memberships_carrier")
                            .from(Memberships::Table, Memberships::CarrierId)
                            .to(Carriers::Table, Carriers::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_memberships_startup")
                            .from(Memberships::Table, Memberships::StartupId)
                            .to(Startups::Table, Startups::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_memberships")
                    .table(Memberships::Table)
                    .col(Memberships::UserId)
                    .col(Memberships::Role)
                    .col(Memberships::CarrierId)
                    .col(Memberships::StartupId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(string_len(Sessions::Id, 64).primary_key())
                    .col(text(Sessions::Data))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("ix_sessions_expires").table(Sessions::Table).col(Sessions::ExpiresAt).to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OneTimeTokens::Table)
                    .col(big_pk_auto(OneTimeTokens::Id))
                    .col(string_len_uniq(OneTimeTokens::TokenHash, 64))
                    .col(string_len(OneTimeTokens::Purpose, 16))
                    .col(string_len_null(OneTimeTokens::Email, 254))
                    .col(string_len_null(OneTimeTokens::Role, 16))
                    .col(big_integer_null(OneTimeTokens::CarrierId))
                    .col(big_integer_null(OneTimeTokens::UserId))
                    .col(big_integer_null(OneTimeTokens::CreatedBy))
                    .col(timestamp_with_time_zone(OneTimeTokens::CreatedAt))
                    .col(timestamp_with_time_zone(OneTimeTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(OneTimeTokens::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tokens_carrier")
                            .from(OneTimeTokens::Table, OneTimeTokens::CarrierId)
                            .to(Carriers::Table, Carriers::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tokens_user")
                            .from(OneTimeTokens::Table, OneTimeTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginAttempts::Table)
                    .col(big_pk_auto(LoginAttempts::Id))
                    .col(timestamp_with_time_zone(LoginAttempts::At))
                    .col(string_len(LoginAttempts::Account, 254))
                    .col(string_len(LoginAttempts::Client, 64))
                    .col(boolean(LoginAttempts::Succeeded))
                    .to_owned(),
            )
            .await?;
        for (name, column) in
            [("ix_login_attempts_account", LoginAttempts::Account), ("ix_login_attempts_client", LoginAttempts::Client)]
        {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(LoginAttempts::Table)
                        .col(column)
                        .col(LoginAttempts::At)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(big_pk_auto(AuditLog::Id))
                    .col(timestamp_with_time_zone(AuditLog::At))
                    .col(big_integer_null(AuditLog::ActorId))
                    .col(string_len(AuditLog::ActorEmail, 254))
                    .col(string_len(AuditLog::Action, 40))
                    .col(string_len(AuditLog::EntityType, 40))
                    .col(big_integer(AuditLog::EntityId))
                    .col(big_integer_null(AuditLog::CarrierId))
                    .col(big_integer_null(AuditLog::StartupId))
                    .col(text_null(AuditLog::Before))
                    .col(text_null(AuditLog::After))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("ix_audit_at", AuditLog::At),
            ("ix_audit_carrier", AuditLog::CarrierId),
            ("ix_audit_entity", AuditLog::EntityType),
            ("ix_audit_actor", AuditLog::ActorId),
        ] {
            manager.create_index(Index::create().name(name).table(AuditLog::Table).col(column).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditLog::Table.into_iden(),
            LoginAttempts::Table.into_iden(),
            OneTimeTokens::Table.into_iden(),
            Sessions::Table.into_iden(),
            Memberships::Table.into_iden(),
            Startups::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
