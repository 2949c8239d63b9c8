use sea_orm::entity::prelude::*;

/// A target of incubation area by a deadline, for the city (no district) or one district.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "area_targets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name_zh: String,
    pub name_en: String,
    pub district_id: Option<i64>,
    /// Hundredths of a m².
    pub area: i64,
    pub base_date: Date,
    pub deadline: Date,
    /// Moves on with every edit; an edit begun from another version changes nothing.
    pub version: i32,
    pub author_email: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
