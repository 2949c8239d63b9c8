use sea_orm::entity::prelude::*;

/// What a carrier reports for a year beyond what the platform records itself.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "annual_returns")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub carrier_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    pub fund_fen: i64,
    pub income_rent_fen: i64,
    pub income_services_fen: i64,
    pub income_investment_fen: i64,
    pub income_other_fen: i64,
    pub staff_total: i32,
    pub staff_professional: i32,
    pub mentors: i32,
    pub typical_cases: i32,
    pub events_held: i32,
    pub author_email: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
