use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "equity_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub startup_id: i64,
    pub kind: String,
    pub on_date: Date,
    pub stage: Option<String>,
    pub pre_money_fen: Option<i64>,
    pub lease_id: Option<i64>,
    /// The event this one corrects (a reversal only).
    pub reverses_id: Option<i64>,
    pub note: String,
    pub author_email: String,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
