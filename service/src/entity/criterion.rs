use sea_orm::entity::prelude::*;

/// One criterion of a rule set: a metric at least a threshold, or else an alternative one.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "criteria")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub rule_set_id: i64,
    pub position: i32,
    pub label_zh: String,
    pub label_en: String,
    pub metric: String,
    /// In the metric's base unit (see `domain::readiness::Unit`).
    pub threshold: i64,
    pub or_metric: Option<String>,
    pub or_threshold: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
