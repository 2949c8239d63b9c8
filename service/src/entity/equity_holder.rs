use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "equity_holders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub startup_id: i64,
    pub kind: String,
    pub name: String,
    /// The carrier behind a carrier or carrier-fund holder.
    pub carrier_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
