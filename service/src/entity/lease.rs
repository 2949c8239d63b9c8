use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "leases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub carrier_id: i64,
    pub startup_id: i64,
    pub application_id: Option<i64>,
    pub state: String,
    pub starts_on: Date,
    /// The first day after the lease; `None` for an open-ended lease.
    pub ends_on: Option<Date>,
    pub monthly_rent_fen: i64,
    pub rent_free_months: i32,
    pub deposit_fen: i64,
    pub equity_months: Option<i32>,
    pub equity_monthly_fen: Option<i64>,
    pub equity_valuation_fen: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
