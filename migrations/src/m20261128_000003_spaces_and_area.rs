use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Carriers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Sites {
    Table,
    Id,
    CarrierId,
    Name,
    Address,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Buildings {
    Table,
    Id,
    SiteId,
    CarrierId,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Floors {
    Table,
    Id,
    BuildingId,
    CarrierId,
    Label,
    Level,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Units {
    Table,
    Id,
    FloorId,
    BuildingId,
    SiteId,
    CarrierId,
    Code,
    Kind,
    GrossArea,
    UsableArea,
    UseCategory,
    Desks,
    ListRentFen,
    RentBasis,
    Availability,
    CreatedOn,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum UnitChanges {
    Table,
    Id,
    UnitId,
    CarrierId,
    EffectiveOn,
    Change,
    Kind,
    GrossArea,
    UsableArea,
    UseCategory,
    Desks,
    ListRentFen,
    RentBasis,
    Availability,
    Reason,
    AuthorId,
    AuthorEmail,
    RecordedAt,
}

#[derive(DeriveIden)]
enum AreaLedger {
    Table,
    Id,
    UnitId,
    FloorId,
    BuildingId,
    SiteId,
    CarrierId,
    EffectiveOn,
    Bucket,
    DeltaGross,
    DeltaUsable,
    DeltaDesks,
    DeltaUnits,
}

#[derive(DeriveIden)]
enum UnitImports {
    Table,
    Id,
    CarrierId,
    AuthorId,
    FileName,
    EffectiveOn,
    Rows,
    Report,
    CreatedAt,
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create().name(name).from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Restrict).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Sites::Table)
                    .col(big_pk_auto(Sites::Id))
                    .col(big_integer(Sites::CarrierId))
                    .col(string_len(Sites::Name, 100))
                    .col(string_len(Sites::Address, 200))
                    .col(timestamp_with_time_zone(Sites::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_sites_carrier",
                        (Sites::Table, Sites::CarrierId),
                        (Carriers::Table, Carriers::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_sites_name")
                    .table(Sites::Table)
                    .col(Sites::CarrierId)
                    .col(Sites::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Buildings::Table)
                    .col(big_pk_auto(Buildings::Id))
                    .col(big_integer(Buildings::SiteId))
                    .col(big_integer(Buildings::CarrierId))
                    .col(string_len(Buildings::Name, 100))
                    .col(timestamp_with_time_zone(Buildings::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_buildings_site",
                        (Buildings::Table, Buildings::SiteId),
                        (Sites::Table, Sites::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_buildings_name")
                    .table(Buildings::Table)
                    .col(Buildings::SiteId)
                    .col(Buildings::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Floors::Table)
                    .col(big_pk_auto(Floors::Id))
                    .col(big_integer(Floors::BuildingId))
                    .col(big_integer(Floors::CarrierId))
                    .col(string_len(Floors::Label, 20))
                    .col(integer(Floors::Level))
                    .col(timestamp_with_time_zone(Floors::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_floors_building",
                        (Floors::Table, Floors::BuildingId),
                        (Buildings::Table, Buildings::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_floors_label")
                    .table(Floors::Table)
                    .col(Floors::BuildingId)
                    .col(Floors::Label)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Units::Table)
                    .col(big_pk_auto(Units::Id))
                    .col(big_integer(Units::FloorId))
                    .col(big_integer(Units::BuildingId))
                    .col(big_integer(Units::SiteId))
                    .col(big_integer(Units::CarrierId))
                    .col(string_len(Units::Code, 20))
                    .col(string_len(Units::Kind, 32))
                    .col(big_integer(Units::GrossArea))
                    .col(big_integer(Units::UsableArea))
                    .col(string_len(Units::UseCategory, 32))
                    .col(integer_null(Units::Desks))
                    .col(big_integer_null(Units::ListRentFen))
                    .col(string_len_null(Units::RentBasis, 16))
                    .col(string_len(Units::Availability, 16))
                    .col(date(Units::CreatedOn))
                    .col(timestamp_with_time_zone(Units::UpdatedAt))
                    .foreign_key(&mut fk("fk_units_floor", (Units::Table, Units::FloorId), (Floors::Table, Floors::Id)))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [("ix_units_floor", Units::FloorId), ("ix_units_carrier", Units::CarrierId)] {
            manager.create_index(Index::create().name(name).table(Units::Table).col(column).to_owned()).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(UnitChanges::Table)
                    .col(big_pk_auto(UnitChanges::Id))
                    .col(big_integer(UnitChanges::UnitId))
                    .col(big_integer(UnitChanges::CarrierId))
                    .col(date(UnitChanges::EffectiveOn))
                    .col(string_len(UnitChanges::Change, 20))
                    .col(string_len(UnitChanges::Kind, 32))
                    .col(big_integer(UnitChanges::GrossArea))
                    .col(big_integer(UnitChanges::UsableArea))
                    .col(string_len(UnitChanges::UseCategory, 32))
                    .col(integer_null(UnitChanges::Desks))
                    .col(big_integer_null(UnitChanges::ListRentFen))
                    .col(string_len_null(UnitChanges::RentBasis, 16))
                    .col(string_len(UnitChanges::Availability, 16))
                    .col(string_len(UnitChanges::Reason, 200))
                    .col(big_integer_null(UnitChanges::AuthorId))
                    .col(string_len(UnitChanges::AuthorEmail, 254))
                    .col(timestamp_with_time_zone(UnitChanges::RecordedAt))
                    .foreign_key(&mut fk(
                        "fk_unit_changes_unit",
                        (UnitChanges::Table, UnitChanges::UnitId),
                        (Units::Table, Units::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_unit_changes_unit")
                    .table(UnitChanges::Table)
                    .col(UnitChanges::UnitId)
                    .col(UnitChanges::EffectiveOn)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_unit_changes_carrier")
                    .table(UnitChanges::Table)
                    .col(UnitChanges::CarrierId)
                    .col(UnitChanges::RecordedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AreaLedger::Table)
                    .col(big_pk_auto(AreaLedger::Id))
                    .col(big_integer(AreaLedger::UnitId))
                    .col(big_integer(AreaLedger::FloorId))
                    .col(big_integer(AreaLedger::BuildingId))
                    .col(big_integer(AreaLedger::SiteId))
                    .col(big_integer(AreaLedger::CarrierId))
                    .col(date(AreaLedger::EffectiveOn))
                    .col(string_len(AreaLedger::Bucket, 32))
                    .col(big_integer(AreaLedger::DeltaGross))
                    .col(big_integer(AreaLedger::DeltaUsable))
                    .col(big_integer(AreaLedger::DeltaDesks))
                    .col(big_integer(AreaLedger::DeltaUnits))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("ix_area_ledger_unit", AreaLedger::UnitId),
            ("ix_area_ledger_floor", AreaLedger::FloorId),
            ("ix_area_ledger_building", AreaLedger::BuildingId),
            ("ix_area_ledger_site", AreaLedger::SiteId),
            ("ix_area_ledger_carrier", AreaLedger::CarrierId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(AreaLedger::Table)
                        .col(column)
                        .col(AreaLedger::EffectiveOn)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("ix_area_ledger_date")
                    .table(AreaLedger::Table)
                    .col(AreaLedger::EffectiveOn)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(UnitImports::Table)
                    .col(big_pk_auto(UnitImports::Id))
                    .col(big_integer(UnitImports::CarrierId))
                    .col(big_integer_null(UnitImports::AuthorId))
                    .col(string_len(UnitImports::FileName, 200))
                    .col(date(UnitImports::EffectiveOn))
                    .col(integer(UnitImports::Rows))
                    .col(text(UnitImports::Report))
                    .col(timestamp_with_time_zone(UnitImports::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_unit_imports_carrier",
                        (UnitImports::Table, UnitImports::CarrierId),
                        (Carriers::Table, Carriers::Id),
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            UnitImports::Table.into_iden(),
            AreaLedger::Table.into_iden(),
            UnitChanges::Table.into_iden(),
            Units::Table.into_iden(),
            Floors::Table.into_iden(),
            Buildings::Table.into_iden(),
            Sites::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
