use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "startup_years")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub startup_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    pub revenue_fen: i64,
    pub rd_spend_fen: i64,
    pub financing_fen: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
