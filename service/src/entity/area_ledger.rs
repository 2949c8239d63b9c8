use sea_orm::entity::prelude::*;

/// How the area in one bucket changed on one day for one unit. The area of anything on a day is
/// the sum of its ledger rows up to that day.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "area_ledger")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub unit_id: i64,
    pub floor_id: i64,
    pub building_id: i64,
    pub site_id: i64,
    pub carrier_id: i64,
    pub effective_on: Date,
    /// A use category, or `out_of_service`.
    pub bucket: String,
    pub delta_gross: i64,
    pub delta_usable: i64,
    pub delta_desks: i64,
    pub delta_units: i64,
    /// Monthly list rent, in fen.
    pub delta_list_rent: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
