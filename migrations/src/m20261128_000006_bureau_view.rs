//! The bureau's view: area targets, the per-carrier daily roll-ups of the area ledger and of
//! the leased area (so that district and city figures never read every unit), accreditation rule sets with their
//! criteria, and carriers' annual statistics returns.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AreaTargets {
    Table,
    Id,
    NameZh,
    NameEn,
    DistrictId,
    Area,
    BaseDate,
    Deadline,
    AuthorEmail,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CarrierAreaDays {
    Table,
    CarrierId,
    EffectiveOn,
    Bucket,
    DeltaGross,
    DeltaUsable,
    DeltaDesks,
    DeltaUnits,
    DeltaListRent,
}

#[derive(DeriveIden)]
enum CarrierLeasedDays {
    Table,
    CarrierId,
    EffectiveOn,
    DeltaUsable,
}

#[derive(DeriveIden)]
enum RuleSets {
    Table,
    Id,
    Code,
    NameZh,
    NameEn,
    CarrierKind,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Criteria {
    Table,
    Id,
    RuleSetId,
    Position,
    LabelZh,
    LabelEn,
    Metric,
    Threshold,
    OrMetric,
    OrThreshold,
}

#[derive(DeriveIden)]
enum AnnualReturns {
    Table,
    CarrierId,
    Year,
    FundFen,
    IncomeRentFen,
    IncomeServicesFen,
    IncomeInvestmentFen,
    IncomeOtherFen,
    StaffTotal,
    StaffProfessional,
    Mentors,
    TypicalCases,
    EventsHeld,
    AuthorEmail,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Districts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Carriers {
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
                    .table(AreaTargets::Table)
                    .col(big_pk_auto(AreaTargets::Id))
                    .col(string_len(AreaTargets::NameZh, 200))
                    .col(string_len(AreaTargets::NameEn, 200))
                    .col(big_integer_null(AreaTargets::DistrictId))
                    // Hundredths of a m².
                    .col(big_integer(AreaTargets::Area))
                    .col(date(AreaTargets::BaseDate))
                    .col(date(AreaTargets::Deadline))
                    .col(string_len(AreaTargets::AuthorEmail, 254))
                    .col(timestamp_with_time_zone(AreaTargets::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_area_targets_district",
                        (AreaTargets::Table, AreaTargets::DistrictId),
                        (Districts::Table, Districts::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        // The area ledger summed per carrier, day and bucket; kept in step with the ledger in the
        // same transaction. One row per carrier and change day, not per unit.
        manager
            .create_table(
                Table::create()
                    .table(CarrierAreaDays::Table)
                    .col(big_integer(CarrierAreaDays::CarrierId))
                    .col(date(CarrierAreaDays::EffectiveOn))
                    .col(string_len(CarrierAreaDays::Bucket, 20))
                    .col(big_integer(CarrierAreaDays::DeltaGross))
                    .col(big_integer(CarrierAreaDays::DeltaUsable))
                    .col(big_integer(CarrierAreaDays::DeltaDesks))
                    .col(big_integer(CarrierAreaDays::DeltaUnits))
                    .col(big_integer(CarrierAreaDays::DeltaListRent))
                    .primary_key(
                        Index::create()
                            .col(CarrierAreaDays::CarrierId)
                            .col(CarrierAreaDays::EffectiveOn)
                            .col(CarrierAreaDays::Bucket),
                    )
                    .foreign_key(&mut fk(
                        "fk_carrier_area_days_carrier",
                        (CarrierAreaDays::Table, CarrierAreaDays::CarrierId),
                        (Carriers::Table, Carriers::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_carrier_area_days_on")
                    .table(CarrierAreaDays::Table)
                    .col(CarrierAreaDays::EffectiveOn)
                    .to_owned(),
            )
            .await?;

        // How a carrier's leased usable area (of units in service) moved, per day: derived from the
        // lease bookings and the units' ledgers, rewritten with either.
        manager
            .create_table(
                Table::create()
                    .table(CarrierLeasedDays::Table)
                    .col(big_integer(CarrierLeasedDays::CarrierId))
                    .col(date(CarrierLeasedDays::EffectiveOn))
                    .col(big_integer(CarrierLeasedDays::DeltaUsable))
                    .primary_key(Index::create().col(CarrierLeasedDays::CarrierId).col(CarrierLeasedDays::EffectiveOn))
                    .foreign_key(&mut fk(
                        "fk_carrier_leased_days_carrier",
                        (CarrierLeasedDays::Table, CarrierLeasedDays::CarrierId),
                        (Carriers::Table, Carriers::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RuleSets::Table)
                    .col(big_pk_auto(RuleSets::Id))
                    .col(string_len_uniq(RuleSets::Code, 60))
                    .col(string_len(RuleSets::NameZh, 200))
                    .col(string_len(RuleSets::NameEn, 200))
                    .col(string_len_null(RuleSets::CarrierKind, 40))
                    .col(timestamp_with_time_zone(RuleSets::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Criteria::Table)
                    .col(big_pk_auto(Criteria::Id))
                    .col(big_integer(Criteria::RuleSetId))
                    .col(integer(Criteria::Position))
                    .col(string_len(Criteria::LabelZh, 300))
                    .col(string_len(Criteria::LabelEn, 300))
                    .col(string_len(Criteria::Metric, 40))
                    .col(big_integer(Criteria::Threshold))
                    .col(string_len_null(Criteria::OrMetric, 40))
                    .col(big_integer_null(Criteria::OrThreshold))
                    .foreign_key(&mut fk(
                        "fk_criteria_rule_set",
                        (Criteria::Table, Criteria::RuleSetId),
                        (RuleSets::Table, RuleSets::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("ix_criteria_rule_set").table(Criteria::Table).col(Criteria::RuleSetId).to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AnnualReturns::Table)
                    .col(big_integer(AnnualReturns::CarrierId))
                    .col(integer(AnnualReturns::Year))
                    .col(big_integer(AnnualReturns::FundFen))
                    .col(big_integer(AnnualReturns::IncomeRentFen))
                    .col(big_integer(AnnualReturns::IncomeServicesFen))
                    .col(big_integer(AnnualReturns::IncomeInvestmentFen))
                    .col(big_integer(AnnualReturns::IncomeOtherFen))
                    .col(integer(AnnualReturns::StaffTotal))
                    .col(integer(AnnualReturns::StaffProfessional))
                    .col(integer(AnnualReturns::Mentors))
                    .col(integer(AnnualReturns::TypicalCases))
                    .col(integer(AnnualReturns::EventsHeld))
                    .col(string_len(AnnualReturns::AuthorEmail, 254))
                    .col(timestamp_with_time_zone(AnnualReturns::UpdatedAt))
                    .primary_key(Index::create().col(AnnualReturns::CarrierId).col(AnnualReturns::Year))
                    .foreign_key(&mut fk(
                        "fk_annual_returns_carrier",
                        (AnnualReturns::Table, AnnualReturns::CarrierId),
                        (Carriers::Table, Carriers::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AnnualReturns::Table.into_iden(),
            Criteria::Table.into_iden(),
            RuleSets::Table.into_iden(),
            CarrierLeasedDays::Table.into_iden(),
            CarrierAreaDays::Table.into_iden(),
            AreaTargets::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        // The markers of derived and reference data go too, so that going up again rebuilds the
        // roll-ups and adds the reference data.
        manager
            .get_connection()
            .execute_unprepared("DELETE FROM maintenance WHERE key IN ('ledger_version', 'reference_data')")
            .await?;
        Ok(())
    }
}
