use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "tenant_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub startup_id: i64,
    pub carrier_id: i64,
    pub stage: String,
    pub on_date: Date,
    pub criterion: Option<String>,
    pub note: String,
    pub author_email: String,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
