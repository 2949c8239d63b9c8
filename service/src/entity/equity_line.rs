use sea_orm::entity::prelude::*;

/// One holder's part in one event: signed changes of subscribed and paid-in capital and of cost
/// per channel, and the money that changed hands (put in, paid for a transfer, returned).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "equity_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub event_id: i64,
    pub holder_id: i64,
    pub subscribed_fen: i64,
    pub paid_in_fen: i64,
    pub cash_fen: i64,
    pub rent_fen: i64,
    pub services_fen: i64,
    pub amount_fen: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
