//! The equity ledger: holders of a startup's registered capital, dated events, and each event's
//! lines (one per holder it touches). Append-only: a correction is a new `reversal` event that
//! points at the one it undoes, whose lines it negates.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum EquityHolders {
    Table,
    Id,
    StartupId,
    Kind,
    Name,
    CarrierId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum EquityEvents {
    Table,
    Id,
    StartupId,
    Kind,
    OnDate,
    Stage,
    PreMoneyFen,
    LeaseId,
    ReversesId,
    Note,
    AuthorEmail,
    RecordedAt,
}

#[derive(DeriveIden)]
enum EquityLines {
    Table,
    Id,
    EventId,
    HolderId,
    SubscribedFen,
    PaidInFen,
    CashFen,
    RentFen,
    ServicesFen,
    AmountFen,
}

#[derive(DeriveIden)]
enum Startups {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Carriers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Leases {
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
        manager
            .create_table(
                Table::create()
                    .table(EquityHolders::Table)
                    .col(big_pk_auto(EquityHolders::Id))
                    .col(big_integer(EquityHolders::StartupId))
                    .col(string_len(EquityHolders::Kind, 20))
                    .col(string_len(EquityHolders::Name, 200))
                    .col(big_integer_null(EquityHolders::CarrierId))
                    .col(timestamp_with_time_zone(EquityHolders::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_equity_holders_startup",
                        (EquityHolders::Table, EquityHolders::StartupId),
                        (Startups::Table, Startups::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_equity_holders_carrier",
                        (EquityHolders::Table, EquityHolders::CarrierId),
                        (Carriers::Table, Carriers::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_equity_holders_startup_name")
                    .table(EquityHolders::Table)
                    .col(EquityHolders::StartupId)
                    .col(EquityHolders::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_equity_holders_carrier")
                    .table(EquityHolders::Table)
                    .col(EquityHolders::CarrierId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EquityEvents::Table)
                    .col(big_pk_auto(EquityEvents::Id))
                    .col(big_integer(EquityEvents::StartupId))
                    .col(string_len(EquityEvents::Kind, 20))
                    .col(date(EquityEvents::OnDate))
                    .col(string_len_null(EquityEvents::Stage, 20))
                    .col(big_integer_null(EquityEvents::PreMoneyFen))
                    .col(big_integer_null(EquityEvents::LeaseId))
                    .col(big_integer_null(EquityEvents::ReversesId))
                    .col(string_len(EquityEvents::Note, 500))
                    .col(string_len(EquityEvents::AuthorEmail, 254))
                    .col(timestamp_with_time_zone(EquityEvents::RecordedAt))
                    .foreign_key(&mut fk(
                        "fk_equity_events_startup",
                        (EquityEvents::Table, EquityEvents::StartupId),
                        (Startups::Table, Startups::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_equity_events_lease",
                        (EquityEvents::Table, EquityEvents::LeaseId),
                        (Leases::Table, Leases::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_equity_events_reverses",
                        (EquityEvents::Table, EquityEvents::ReversesId),
                        (EquityEvents::Table, EquityEvents::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        // One correction per event: two operators reversing the same event at once cannot both
        // succeed.
        manager
            .create_index(
                Index::create()
                    .name("ux_equity_events_reverses")
                    .table(EquityEvents::Table)
                    .col(EquityEvents::ReversesId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_equity_events_startup_on")
                    .table(EquityEvents::Table)
                    .col(EquityEvents::StartupId)
                    .col(EquityEvents::OnDate)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EquityLines::Table)
                    .col(big_pk_auto(EquityLines::Id))
                    .col(big_integer(EquityLines::EventId))
                    .col(big_integer(EquityLines::HolderId))
                    .col(big_integer(EquityLines::SubscribedFen))
                    .col(big_integer(EquityLines::PaidInFen))
                    .col(big_integer(EquityLines::CashFen))
                    .col(big_integer(EquityLines::RentFen))
                    .col(big_integer(EquityLines::ServicesFen))
                    .col(big_integer(EquityLines::AmountFen))
                    .foreign_key(&mut fk(
                        "fk_equity_lines_event",
                        (EquityLines::Table, EquityLines::EventId),
                        (EquityEvents::Table, EquityEvents::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_equity_lines_holder",
                        (EquityLines::Table, EquityLines::HolderId),
                        (EquityHolders::Table, EquityHolders::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_equity_lines_event")
                    .table(EquityLines::Table)
                    .col(EquityLines::EventId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [EquityLines::Table.into_iden(), EquityEvents::Table.into_iden(), EquityHolders::Table.into_iden()]
        {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
