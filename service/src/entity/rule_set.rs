use sea_orm::entity::prelude::*;

/// A set of accreditation criteria (national incubator, maker-space filing, …).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "rule_sets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// The carrier kind the set is meant for; none: every kind.
    pub carrier_kind: Option<String>,
    /// For specialised incubators.
    pub specialised: bool,
    /// With the hardship relaxation.
    pub relaxed: bool,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
