use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Startups {
    Table,
    Id,
    CreditCode,
    CodeOverrideReason,
    FoundedOn,
    Industry,
    RegisteredDistrictId,
    TeamSize,
    RdStaff,
    Founders,
    ContactName,
    ContactPhone,
    ContactEmail,
    PatentsApplied,
    PatentsGranted,
    SoftwareCopyrights,
    HighTechOn,
    TechSmeOn,
    Version,
}

#[derive(DeriveIden)]
enum StartupYears {
    Table,
    StartupId,
    Year,
    RevenueFen,
    RdSpendFen,
    FinancingFen,
}

#[derive(DeriveIden)]
enum Documents {
    Table,
    Id,
    StartupId,
    FileName,
    ContentType,
    Size,
    Sha256,
    Data,
    UploadedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    Id,
    StartupId,
    CarrierId,
    State,
    RequestKind,
    Desks,
    Area,
    DesiredStart,
    DurationMonths,
    Summary,
    DocumentId,
    DecisionReason,
    SubmittedAt,
    DecidedAt,
    LeaseId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Leases {
    Table,
    Id,
    CarrierId,
    StartupId,
    ApplicationId,
    State,
    StartsOn,
    EndsOn,
    MonthlyRentFen,
    RentFreeMonths,
    DepositFen,
    EquityMonths,
    EquityMonthlyFen,
    EquityValuationFen,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LeaseUnits {
    Table,
    Id,
    LeaseId,
    UnitId,
    FloorId,
    BuildingId,
    SiteId,
    CarrierId,
    StartsOn,
    EndsOn,
    MonthlyRentFen,
}

#[derive(DeriveIden)]
enum LeaseEvents {
    Table,
    Id,
    LeaseId,
    Kind,
    OnDate,
    PreviousEnd,
    NewEnd,
    Reason,
    AuthorEmail,
    RecordedAt,
}

#[derive(DeriveIden)]
enum TenantEvents {
    Table,
    Id,
    StartupId,
    CarrierId,
    Stage,
    OnDate,
    Criterion,
    Note,
    AuthorEmail,
    RecordedAt,
}

#[derive(DeriveIden)]
enum AreaLedger {
    Table,
    DeltaListRent,
}

#[derive(DeriveIden)]
enum Maintenance {
    Table,
    Key,
    Value,
}

#[derive(DeriveIden)]
enum Carriers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Units {
    Table,
    Id,
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
        // SQLite adds one column per statement.
        let columns = [
            string_len_null(Startups::CreditCode, 18),
            string_len_null(Startups::CodeOverrideReason, 300),
            date_null(Startups::FoundedOn),
            string_len_null(Startups::Industry, 40),
            big_integer_null(Startups::RegisteredDistrictId),
            integer(Startups::TeamSize).default(0).take(),
            integer(Startups::RdStaff).default(0).take(),
            text(Startups::Founders).default("[]").take(),
            string_len_null(Startups::ContactName, 50),
            string_len_null(Startups::ContactPhone, 32),
            string_len_null(Startups::ContactEmail, 254),
            integer(Startups::PatentsApplied).default(0).take(),
            integer(Startups::PatentsGranted).default(0).take(),
            integer(Startups::SoftwareCopyrights).default(0).take(),
            date_null(Startups::HighTechOn),
            date_null(Startups::TechSmeOn),
            integer(Startups::Version).default(1).take(),
        ];
        for mut column in columns {
            manager.alter_table(Table::alter().table(Startups::Table).add_column(&mut column).to_owned()).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(StartupYears::Table)
                    .col(big_integer(StartupYears::StartupId))
                    .col(integer(StartupYears::Year))
                    .col(big_integer(StartupYears::RevenueFen))
                    .col(big_integer(StartupYears::RdSpendFen))
                    .col(big_integer(StartupYears::FinancingFen))
                    .primary_key(Index::create().col(StartupYears::StartupId).col(StartupYears::Year))
                    .foreign_key(&mut fk(
                        "fk_startup_years_startup",
                        (StartupYears::Table, StartupYears::StartupId),
                        (Startups::Table, Startups::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Documents::Table)
                    .col(big_pk_auto(Documents::Id))
                    .col(big_integer(Documents::StartupId))
                    .col(string_len(Documents::FileName, 200))
                    .col(string_len(Documents::ContentType, 100))
                    .col(big_integer(Documents::Size))
                    .col(string_len(Documents::Sha256, 64))
                    .col(blob(Documents::Data))
                    .col(big_integer_null(Documents::UploadedBy))
                    .col(timestamp_with_time_zone(Documents::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_documents_startup",
                        (Documents::Table, Documents::StartupId),
                        (Startups::Table, Startups::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Applications::Table)
                    .col(big_pk_auto(Applications::Id))
                    .col(big_integer(Applications::StartupId))
                    .col(big_integer(Applications::CarrierId))
                    .col(string_len(Applications::State, 20))
                    .col(string_len(Applications::RequestKind, 10))
                    .col(integer_null(Applications::Desks))
                    .col(big_integer_null(Applications::Area))
                    .col(date(Applications::DesiredStart))
                    .col(integer(Applications::DurationMonths))
                    .col(text(Applications::Summary))
                    .col(big_integer_null(Applications::DocumentId))
                    .col(string_len_null(Applications::DecisionReason, 500))
                    .col(timestamp_with_time_zone_null(Applications::SubmittedAt))
                    .col(timestamp_with_time_zone_null(Applications::DecidedAt))
                    .col(big_integer_null(Applications::LeaseId))
                    .col(timestamp_with_time_zone(Applications::CreatedAt))
                    .col(timestamp_with_time_zone(Applications::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_applications_startup",
                        (Applications::Table, Applications::StartupId),
                        (Startups::Table, Startups::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_applications_carrier",
                        (Applications::Table, Applications::CarrierId),
                        (Carriers::Table, Carriers::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_applications_document",
                        (Applications::Table, Applications::DocumentId),
                        (Documents::Table, Documents::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, column) in
            [("ix_applications_carrier", Applications::CarrierId), ("ix_applications_startup", Applications::StartupId)]
        {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Applications::Table)
                        .col(column)
                        .col(Applications::State)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Leases::Table)
                    .col(big_pk_auto(Leases::Id))
                    .col(big_integer(Leases::CarrierId))
                    .col(big_integer(Leases::StartupId))
                    .col(big_integer_null(Leases::ApplicationId))
                    .col(string_len(Leases::State, 16))
                    .col(date(Leases::StartsOn))
                    .col(date_null(Leases::EndsOn))
                    .col(big_integer(Leases::MonthlyRentFen))
                    .col(integer(Leases::RentFreeMonths))
                    .col(big_integer(Leases::DepositFen))
                    .col(integer_null(Leases::EquityMonths))
                    .col(big_integer_null(Leases::EquityMonthlyFen))
                    .col(big_integer_null(Leases::EquityValuationFen))
                    .col(timestamp_with_time_zone(Leases::CreatedAt))
                    .col(timestamp_with_time_zone(Leases::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_leases_carrier",
                        (Leases::Table, Leases::CarrierId),
                        (Carriers::Table, Carriers::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_leases_startup",
                        (Leases::Table, Leases::StartupId),
                        (Startups::Table, Startups::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("ix_leases_carrier").table(Leases::Table).col(Leases::CarrierId).to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LeaseUnits::Table)
                    .col(big_pk_auto(LeaseUnits::Id))
                    .col(big_integer(LeaseUnits::LeaseId))
                    .col(big_integer(LeaseUnits::UnitId))
                    .col(big_integer(LeaseUnits::FloorId))
                    .col(big_integer(LeaseUnits::BuildingId))
                    .col(big_integer(LeaseUnits::SiteId))
                    .col(big_integer(LeaseUnits::CarrierId))
                    .col(date(LeaseUnits::StartsOn))
                    .col(date_null(LeaseUnits::EndsOn))
                    .col(big_integer(LeaseUnits::MonthlyRentFen))
                    .foreign_key(&mut fk(
                        "fk_lease_units_lease",
                        (LeaseUnits::Table, LeaseUnits::LeaseId),
                        (Leases::Table, Leases::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_lease_units_unit",
                        (LeaseUnits::Table, LeaseUnits::UnitId),
                        (Units::Table, Units::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("ix_lease_units_unit", LeaseUnits::UnitId),
            ("ix_lease_units_floor", LeaseUnits::FloorId),
            ("ix_lease_units_carrier", LeaseUnits::CarrierId),
            ("ix_lease_units_lease", LeaseUnits::LeaseId),
        ] {
            manager.create_index(Index::create().name(name).table(LeaseUnits::Table).col(column).to_owned()).await?;
        }

        // No unit in two leases on the same day, enforced by the database itself.
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS btree_gist").await?;
                db.execute_unprepared(
                    "ALTER TABLE lease_units ADD CONSTRAINT ex_lease_units_overlap \
                     EXCLUDE USING gist (unit_id WITH =, daterange(starts_on, ends_on, '[)') WITH &&)",
                )
                .await?;
            }
            _ => {
                let overlap = "o.unit_id = NEW.unit_id \
                     AND (NEW.ends_on IS NULL OR o.starts_on < NEW.ends_on) \
                     AND (o.ends_on IS NULL OR NEW.starts_on < o.ends_on)";
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER lease_units_no_overlap_insert BEFORE INSERT ON lease_units \
                     WHEN EXISTS (SELECT 1 FROM lease_units o WHERE {overlap}) \
                     BEGIN SELECT RAISE(ABORT, 'lease_overlap'); END"
                ))
                .await?;
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER lease_units_no_overlap_update BEFORE UPDATE OF unit_id, starts_on, ends_on ON lease_units \
                     WHEN EXISTS (SELECT 1 FROM lease_units o WHERE o.id <> NEW.id AND {overlap}) \
                     BEGIN SELECT RAISE(ABORT, 'lease_overlap'); END"
                ))
                .await?;
            }
        }

        manager
            .create_table(
                Table::create()
                    .table(LeaseEvents::Table)
                    .col(big_pk_auto(LeaseEvents::Id))
                    .col(big_integer(LeaseEvents::LeaseId))
                    .col(string_len(LeaseEvents::Kind, 16))
                    .col(date(LeaseEvents::OnDate))
                    .col(date_null(LeaseEvents::PreviousEnd))
                    .col(date_null(LeaseEvents::NewEnd))
                    .col(string_len(LeaseEvents::Reason, 200))
                    .col(string_len(LeaseEvents::AuthorEmail, 254))
                    .col(timestamp_with_time_zone(LeaseEvents::RecordedAt))
                    .foreign_key(&mut fk(
                        "fk_lease_events_lease",
                        (LeaseEvents::Table, LeaseEvents::LeaseId),
                        (Leases::Table, Leases::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TenantEvents::Table)
                    .col(big_pk_auto(TenantEvents::Id))
                    .col(big_integer(TenantEvents::StartupId))
                    .col(big_integer(TenantEvents::CarrierId))
                    .col(string_len(TenantEvents::Stage, 16))
                    .col(date(TenantEvents::OnDate))
                    .col(string_len_null(TenantEvents::Criterion, 40))
                    .col(string_len(TenantEvents::Note, 200))
                    .col(string_len(TenantEvents::AuthorEmail, 254))
                    .col(timestamp_with_time_zone(TenantEvents::RecordedAt))
                    .foreign_key(&mut fk(
                        "fk_tenant_events_startup",
                        (TenantEvents::Table, TenantEvents::StartupId),
                        (Startups::Table, Startups::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_tenant_events_carrier",
                        (TenantEvents::Table, TenantEvents::CarrierId),
                        (Carriers::Table, Carriers::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_tenant_events_carrier")
                    .table(TenantEvents::Table)
                    .col(TenantEvents::CarrierId)
                    .col(TenantEvents::StartupId)
                    .to_owned(),
            )
            .await?;

        // Monthly list rent in the area ledger, so that occupancy sums like area does. Ledgers
        // are derived data: the server rebuilds them when `ledger_version` is behind.
        manager
            .alter_table(
                Table::alter()
                    .table(AreaLedger::Table)
                    .add_column(big_integer(AreaLedger::DeltaListRent).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Maintenance::Table)
                    .col(string_len(Maintenance::Key, 40).primary_key())
                    .col(string_len(Maintenance::Value, 200))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Maintenance::Table.into_iden(),
            TenantEvents::Table.into_iden(),
            LeaseEvents::Table.into_iden(),
            LeaseUnits::Table.into_iden(),
            Leases::Table.into_iden(),
            Applications::Table.into_iden(),
            Documents::Table.into_iden(),
            StartupYears::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
