use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "unit_imports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub carrier_id: i64,
    pub author_id: Option<i64>,
    pub file_name: String,
    pub effective_on: Date,
    pub rows: i32,
    /// The `ImportReport` as JSON.
    pub report: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
