//! The city's districts, counties and zones.

use crate::entity::district;
use crate::{Result, ServiceError};
use domain::DistrictId;
use domain::district::{DistrictKind, DistrictView};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};

pub(crate) fn view(model: district::Model) -> Result<DistrictView> {
    let kind = DistrictKind::from_code(&model.kind)
        .ok_or_else(|| ServiceError::Corrupt(format!("district {} has kind {:?}", model.id, model.kind)))?;
    Ok(DistrictView {
        id: DistrictId(model.id),
        code: model.code,
        name_zh: model.name_zh,
        name_en: model.name_en,
        kind,
    })
}

/// Every district, in the city's customary order.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<DistrictView>> {
    district::Entity::find()
        .order_by_asc(district::Column::SortOrder)
        .order_by_asc(district::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(view)
        .collect()
}

/// One district, if it exists.
pub async fn find(db: &impl ConnectionTrait, id: DistrictId) -> Result<Option<DistrictView>> {
    district::Entity::find_by_id(id.0).one(db).await?.map(view).transpose()
}
