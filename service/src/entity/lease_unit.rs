use sea_orm::entity::prelude::*;

/// A unit booked by a lease for a span of days. The database refuses two bookings of one unit
/// that share a day (an exclusion constraint on PostgreSQL, triggers on SQLite).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "lease_units")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub lease_id: i64,
    pub unit_id: i64,
    pub floor_id: i64,
    pub building_id: i64,
    pub site_id: i64,
    pub carrier_id: i64,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    /// This unit's share of the lease's monthly rent.
    pub monthly_rent_fen: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
