//! Figures a bureau can sign: the registry attributes that figures depend on (district, kind,
//! level, operating model, archived) become dated, one row per carrier and effective day holding
//! the attributes in force from that day and which of them the row itself set; carriers record
//! whether they are specialised incubators and whether the hardship relaxation applies to them;
//! rule sets say which of those variants they are for; a unit's change records which parts of
//! the specification it set, so that a change dated earlier carries forward past it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Carriers {
    Table,
    Id,
    Specialised,
    Relaxed,
}

#[derive(DeriveIden)]
enum RuleSets {
    Table,
    Specialised,
    Relaxed,
}

#[derive(DeriveIden)]
enum UnitChanges {
    Table,
    SetFields,
}

#[derive(DeriveIden)]
enum Districts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CarrierStates {
    Table,
    Id,
    CarrierId,
    EffectiveOn,
    DistrictId,
    Kind,
    Level,
    OperatingModel,
    Archived,
    SetFields,
    AuthorEmail,
    RecordedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        let columns = [
            (Carriers::Table.into_iden(), boolean(Carriers::Specialised).default(false).to_owned()),
            (Carriers::Table.into_iden(), boolean(Carriers::Relaxed).default(false).to_owned()),
            (RuleSets::Table.into_iden(), boolean(RuleSets::Specialised).default(false).to_owned()),
            (RuleSets::Table.into_iden(), boolean(RuleSets::Relaxed).default(false).to_owned()),
            // Changes recorded so far held the whole specification: they set every part.
            (UnitChanges::Table.into_iden(), integer(UnitChanges::SetFields).default(31).to_owned()),
        ];
        for (table, mut column) in columns {
            manager.alter_table(Table::alter().table(table).add_column(&mut column).to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(CarrierStates::Table)
                    .col(big_pk_auto(CarrierStates::Id))
                    .col(big_integer(CarrierStates::CarrierId))
                    .col(date(CarrierStates::EffectiveOn))
                    .col(big_integer(CarrierStates::DistrictId))
                    .col(string_len(CarrierStates::Kind, 40))
                    .col(string_len(CarrierStates::Level, 40))
                    .col(string_len(CarrierStates::OperatingModel, 40))
                    .col(boolean(CarrierStates::Archived))
                    // Bit flags of the attributes this row set itself (district 1, kind 2,
                    // level 4, operating model 8, archived 16); the others it carries forward.
                    .col(integer(CarrierStates::SetFields))
                    .col(string_len(CarrierStates::AuthorEmail, 254))
                    .col(timestamp_with_time_zone(CarrierStates::RecordedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_carrier_states_carrier")
                            .from(CarrierStates::Table, CarrierStates::CarrierId)
                            .to(Carriers::Table, Carriers::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_carrier_states_district")
                            .from(CarrierStates::Table, CarrierStates::DistrictId)
                            .to(Districts::Table, Districts::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_carrier_states_day")
                    .table(CarrierStates::Table)
                    .col(CarrierStates::CarrierId)
                    .col(CarrierStates::EffectiveOn)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_carrier_states_day")
                    .table(CarrierStates::Table)
                    .col(CarrierStates::EffectiveOn)
                    .to_owned(),
            )
            .await?;

        // Every carrier registered so far: its attributes as registered, from its opening day;
        // an archived one archived from the day it was archived (or from the start, if that day
        // is not after its opening).
        let connection = manager.get_connection();
        // The day in China (UTC+8) on which the carrier was archived, as the application dates
        // its changes. SQLite holds the instant as RFC 3339 text in UTC; its fraction is cut off
        // before the shift, since SQLite rounds it to milliseconds (23:59:59.9995 would become
        // the next day).
        let archived_day = match manager.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => "CAST((archived_at AT TIME ZONE 'Asia/Shanghai') AS DATE)",
            _ => "date(substr(archived_at, 1, 19), '+8 hours')",
        };
        connection
            .execute_unprepared(&format!(
                "INSERT INTO carrier_states \
                 (carrier_id, effective_on, district_id, kind, level, operating_model, archived, set_fields, \
                 author_email, recorded_at) \
                 SELECT id, opened_on, district_id, kind, level, operating_model, \
                 (archived AND (archived_at IS NULL OR {archived_day} <= opened_on)), 31, 'system:migration', \
                 created_at FROM carriers"
            ))
            .await?;
        connection
            .execute_unprepared(&format!(
                "INSERT INTO carrier_states \
                 (carrier_id, effective_on, district_id, kind, level, operating_model, archived, set_fields, \
                 author_email, recorded_at) \
                 SELECT id, {archived_day}, district_id, kind, level, operating_model, TRUE, 16, \
                 'system:migration', archived_at FROM carriers \
                 WHERE archived AND archived_at IS NOT NULL AND {archived_day} > opened_on"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(CarrierStates::Table).to_owned()).await?;
        let columns = [
            (Carriers::Table.into_iden(), Carriers::Specialised.into_iden()),
            (Carriers::Table.into_iden(), Carriers::Relaxed.into_iden()),
            (RuleSets::Table.into_iden(), RuleSets::Specialised.into_iden()),
            (RuleSets::Table.into_iden(), RuleSets::Relaxed.into_iden()),
            (UnitChanges::Table.into_iden(), UnitChanges::SetFields.into_iden()),
        ];
        for (table, column) in columns {
            manager.alter_table(Table::alter().table(table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
