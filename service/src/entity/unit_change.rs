use sea_orm::entity::prelude::*;

/// One dated change of a unit, with the unit's full state from that day on.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "unit_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub unit_id: i64,
    pub carrier_id: i64,
    pub effective_on: Date,
    pub change: String,
    pub kind: String,
    pub gross_area: i64,
    pub usable_area: i64,
    pub use_category: String,
    pub desks: Option<i32>,
    pub list_rent_fen: Option<i64>,
    pub rent_basis: Option<String>,
    pub availability: String,
    /// The parts of the specification this change set itself (see `spaces::spec_bit`); the
    /// others it carries forward from the state before it, so that a change dated earlier
    /// reaches it.
    pub set_fields: i32,
    pub reason: String,
    pub author_id: Option<i64>,
    pub author_email: String,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
