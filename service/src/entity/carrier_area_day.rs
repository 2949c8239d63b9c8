use sea_orm::entity::prelude::*;

/// The area ledger summed per carrier, day and bucket: what district and city figures read.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "carrier_area_days")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub carrier_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub effective_on: Date,
    #[sea_orm(primary_key, auto_increment = false)]
    pub bucket: String,
    pub delta_gross: i64,
    pub delta_usable: i64,
    pub delta_desks: i64,
    pub delta_units: i64,
    pub delta_list_rent: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
