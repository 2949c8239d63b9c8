use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "carrier_industries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub carrier_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub industry: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::carrier::Entity", from = "Column::CarrierId", to = "super::carrier::Column::Id")]
    Carrier,
}

impl Related<super::carrier::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Carrier.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
