//! How people name records, for lists and logs: a unit by its building, floor and code
//! (`A座 3F·304`). Below the features: spaces, leases, the catalogue and the audit trail use it.

use crate::Result;
use crate::entity::{building, floor, unit};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::BTreeMap;

/// Each unit's full name, as people say it: its building, floor and code (`A座 3F·304`). Three
/// queries, whatever the number of units.
pub async fn unit_names(db: &impl ConnectionTrait, units: &[unit::Model]) -> Result<BTreeMap<i64, String>> {
    let floors: BTreeMap<i64, floor::Model> = floor::Entity::find()
        .filter(floor::Column::Id.is_in(units.iter().map(|u| u.floor_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f))
        .collect();
    let buildings: BTreeMap<i64, String> = building::Entity::find()
        .filter(building::Column::Id.is_in(floors.values().map(|f| f.building_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect();
    Ok(units
        .iter()
        .map(|u| {
            let floor = floors.get(&u.floor_id);
            let building = floor.and_then(|f| buildings.get(&f.building_id)).map_or("", String::as_str);
            let floor = floor.map_or("", |f| f.label.as_str());
            (u.id, domain::space::unit_name(building, floor, &u.code))
        })
        .collect())
}
