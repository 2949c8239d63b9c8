use sea_orm::entity::prelude::*;

/// A unit and its current state (the state of its latest change), kept for listing; the
/// history is in `unit_changes` and the area over time in `area_ledger`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "units")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub floor_id: i64,
    pub building_id: i64,
    pub site_id: i64,
    pub carrier_id: i64,
    pub code: String,
    pub kind: String,
    /// Hundredths of a square metre.
    pub gross_area: i64,
    pub usable_area: i64,
    pub use_category: String,
    pub desks: Option<i32>,
    pub list_rent_fen: Option<i64>,
    pub rent_basis: Option<String>,
    pub availability: String,
    pub created_on: Date,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
