use sea_orm::entity::prelude::*;

/// An invitation or a password reset: only the SHA-256 of the token is stored.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "one_time_tokens")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub token_hash: String,
    pub purpose: String,
    pub email: Option<String>,
    pub role: Option<String>,
    pub carrier_id: Option<i64>,
    pub user_id: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
    /// The link grants its issuer a role, or reaches an account with rights its issuer lacks:
    /// it works only once a second admin (`approved_by`) has approved it.
    pub needs_approval: bool,
    pub approved_by: Option<i64>,
    pub approved_at: Option<DateTimeUtc>,
    /// Set when the link stopped working before use (a reset link outstanding when the password
    /// changed).
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
