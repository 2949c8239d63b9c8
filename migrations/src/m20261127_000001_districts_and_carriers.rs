use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Districts {
    Table,
    Id,
    Code,
    NameZh,
    NameEn,
    Kind,
    SortOrder,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Carriers {
    Table,
    Id,
    Name,
    Kind,
    Level,
    LevelYear,
    DistrictId,
    OperatorOrg,
    OperatingModel,
    Address,
    OpenedOn,
    ContactName,
    ContactPhone,
    ContactEmail,
    Archived,
    ArchivedAt,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CarrierIndustries {
    Table,
    CarrierId,
    Industry,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Districts::Table)
                    .col(big_pk_auto(Districts::Id))
                    .col(string_len_uniq(Districts::Code, 12))
                    .col(string_len(Districts::NameZh, 50))
                    .col(string_len(Districts::NameEn, 80))
                    .col(string_len(Districts::Kind, 16))
                    .col(integer(Districts::SortOrder).default(0))
                    .col(timestamp_with_time_zone(Districts::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Carriers::Table)
                    .col(big_pk_auto(Carriers::Id))
                    .col(string_len_uniq(Carriers::Name, 100))
                    .col(string_len(Carriers::Kind, 32))
                    .col(string_len(Carriers::Level, 16))
                    .col(integer_null(Carriers::LevelYear))
                    .col(big_integer(Carriers::DistrictId))
                    .col(string_len(Carriers::OperatorOrg, 100))
                    .col(string_len(Carriers::OperatingModel, 32))
                    .col(string_len(Carriers::Address, 200))
                    .col(date(Carriers::OpenedOn))
                    .col(string_len(Carriers::ContactName, 50))
                    .col(string_len(Carriers::ContactPhone, 32))
                    .col(string_len_null(Carriers::ContactEmail, 254))
                    .col(boolean(Carriers::Archived).default(false))
                    .col(timestamp_with_time_zone_null(Carriers::ArchivedAt))
                    .col(integer(Carriers::Version).default(1))
                    .col(timestamp_with_time_zone(Carriers::CreatedAt))
                    .col(timestamp_with_time_zone(Carriers::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_carriers_district")
                            .from(Carriers::Table, Carriers::DistrictId)
                            .to(Districts::Table, Districts::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("ix_carriers_district", Carriers::DistrictId),
            ("ix_carriers_kind", Carriers::Kind),
            ("ix_carriers_level", Carriers::Level),
            ("ix_carriers_model", Carriers::OperatingModel),
        ] {
            manager.create_index(Index::create().name(name).table(Carriers::Table).col(column).to_owned()).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(CarrierIndustries::Table)
                    .col(big_integer(CarrierIndustries::CarrierId))
                    .col(string_len(CarrierIndustries::Industry, 40))
                    .primary_key(Index::create().col(CarrierIndustries::CarrierId).col(CarrierIndustries::Industry))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_carrier_industries_carrier")
                            .from(CarrierIndustries::Table, CarrierIndustries::CarrierId)
                            .to(Carriers::Table, Carriers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_carrier_industries_industry")
                    .table(CarrierIndustries::Table)
                    .col(CarrierIndustries::Industry)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(CarrierIndustries::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Carriers::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Districts::Table).to_owned()).await
    }
}
