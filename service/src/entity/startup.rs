use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "startups")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub name: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub credit_code: Option<String>,
    /// Why a code failing the standard was accepted, and by whom.
    pub code_override_reason: Option<String>,
    pub founded_on: Option<Date>,
    pub industry: Option<String>,
    pub registered_district_id: Option<i64>,
    pub team_size: i32,
    pub rd_staff: i32,
    /// JSON list of founders.
    pub founders: String,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub patents_applied: i32,
    pub patents_granted: i32,
    pub software_copyrights: i32,
    pub high_tech_on: Option<Date>,
    pub tech_sme_on: Option<Date>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
