use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "applications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub startup_id: i64,
    pub carrier_id: i64,
    pub state: String,
    pub request_kind: String,
    pub desks: Option<i32>,
    /// Hundredths of a square metre.
    pub area: Option<i64>,
    pub desired_start: Date,
    pub duration_months: i32,
    pub summary: String,
    pub document_id: Option<i64>,
    pub decision_reason: Option<String>,
    pub submitted_at: Option<DateTimeUtc>,
    pub decided_at: Option<DateTimeUtc>,
    pub lease_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
