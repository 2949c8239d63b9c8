use sea_orm::entity::prelude::*;

/// A carrier's registry attributes in force from `effective_on` until the next row: the dated
/// history that every figure of a past day reads. `set_fields` says which attributes this row
/// set itself; the others it carries forward from the row before.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "carrier_states")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub carrier_id: i64,
    pub effective_on: Date,
    pub district_id: i64,
    pub kind: String,
    pub level: String,
    pub operating_model: String,
    pub archived: bool,
    pub set_fields: i32,
    pub author_email: String,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
