use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "carriers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub name: String,
    pub kind: String,
    pub level: String,
    pub level_year: Option<i32>,
    pub district_id: i64,
    pub operator_org: String,
    pub operating_model: String,
    pub address: String,
    pub opened_on: Date,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: Option<String>,
    pub archived: bool,
    pub archived_at: Option<DateTimeUtc>,
    /// A specialised incubator (专业孵化器): readiness checks it against the specialised rules.
    pub specialised: bool,
    /// In an area where the national relaxation (20 % lower thresholds) applies.
    pub relaxed: bool,
    /// The catalogue entry's few lines for startups (may be empty).
    pub description: String,
    /// Whether visitors who have not signed in see the carrier in the catalogue.
    pub listed_publicly: bool,
    /// Incremented by every update, so that an edit based on a stale copy is refused.
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::district::Entity", from = "Column::DistrictId", to = "super::district::Column::Id")]
    District,
    #[sea_orm(has_many = "super::carrier_industry::Entity")]
    Industries,
}

impl Related<super::district::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::District.def()
    }
}

impl Related<super::carrier_industry::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Industries.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
