use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "lease_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub lease_id: i64,
    pub kind: String,
    pub on_date: Date,
    pub previous_end: Option<Date>,
    pub new_end: Option<Date>,
    pub reason: String,
    pub author_email: String,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
