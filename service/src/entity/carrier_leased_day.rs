use sea_orm::entity::prelude::*;

/// How a carrier's leased usable area (units in service) moved on one day.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "carrier_leased_days")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub carrier_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub effective_on: Date,
    pub delta_usable: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
