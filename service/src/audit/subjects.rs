//! What the trail's entries are about, as people name it: a carrier's or a startup's name, a
//! unit's `A座 3F·304`, a lease's tenant, units and dates. A few queries per page, one per kind
//! of record on it; a record deleted since reads as its number.

use crate::Result;
use crate::entity::{
    application, area_target, audit_log, building, carrier, criterion, district, floor, lease, lease_unit, site,
    startup, unit, unit_import, user,
};
use domain::Text;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{BTreeMap, BTreeSet};

/// The ids of the page's records of one kind.
fn ids_of(rows: &[audit_log::Model], kinds: &[&str]) -> BTreeSet<i64> {
    rows.iter().filter(|r| kinds.contains(&r.entity_type.as_str())).map(|r| r.entity_id).collect()
}

async fn startup_names(db: &impl ConnectionTrait, ids: impl IntoIterator<Item = i64>) -> Result<BTreeMap<i64, String>> {
    let ids: Vec<i64> = ids.into_iter().collect();
    Ok(startup::Entity::find()
        .filter(startup::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect())
}

async fn carrier_names(db: &impl ConnectionTrait, ids: impl IntoIterator<Item = i64>) -> Result<BTreeMap<i64, String>> {
    let ids: Vec<i64> = ids.into_iter().collect();
    Ok(carrier::Entity::find()
        .filter(carrier::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect())
}

/// Units by id with their full names.
async fn unit_names(db: &impl ConnectionTrait, ids: impl IntoIterator<Item = i64>) -> Result<BTreeMap<i64, String>> {
    let ids: Vec<i64> = ids.into_iter().collect();
    let units = unit::Entity::find().filter(unit::Column::Id.is_in(ids)).all(db).await?;
    crate::names::unit_names(db, &units).await
}

/// Each entry's subject, by entry id; `None` where the record is gone or has no name.
pub(super) async fn subjects(db: &impl ConnectionTrait, rows: &[audit_log::Model]) -> Result<BTreeMap<i64, Text>> {
    let mut names: BTreeMap<(&'static str, i64), Text> = BTreeMap::new();
    let plain = |s: &str| Text::plain(s);

    for (id, name) in carrier_names(db, ids_of(rows, &["carrier"])).await? {
        names.insert(("carrier", id), plain(&name));
    }
    for (id, name) in startup_names(db, ids_of(rows, &["startup", "tenant"])).await? {
        names.insert(("startup", id), plain(&name));
    }
    for (id, name) in unit_names(db, ids_of(rows, &["unit"])).await? {
        names.insert(("unit", id), plain(&name));
    }
    for s in site::Entity::find().filter(site::Column::Id.is_in(ids_of(rows, &["site"]))).all(db).await? {
        names.insert(("site", s.id), plain(&s.name));
    }
    for b in building::Entity::find().filter(building::Column::Id.is_in(ids_of(rows, &["building"]))).all(db).await? {
        names.insert(("building", b.id), plain(&b.name));
    }
    let floors = floor::Entity::find().filter(floor::Column::Id.is_in(ids_of(rows, &["floor"]))).all(db).await?;
    let floor_buildings: BTreeMap<i64, String> = building::Entity::find()
        .filter(building::Column::Id.is_in(floors.iter().map(|f| f.building_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect();
    for f in floors {
        let building = floor_buildings.get(&f.building_id).map_or("", String::as_str);
        names.insert(("floor", f.id), plain(format!("{building} {}", f.label).trim()));
    }
    for i in unit_import::Entity::find()
        .filter(unit_import::Column::Id.is_in(ids_of(rows, &["unit_import"])))
        .all(db)
        .await?
    {
        names.insert(("unit_import", i.id), plain(&i.file_name));
    }
    for u in user::Entity::find().filter(user::Column::Id.is_in(ids_of(rows, &["user"]))).all(db).await? {
        names.insert(("user", u.id), plain(&u.email));
    }
    for t in area_target::Entity::find()
        .filter(area_target::Column::Id.is_in(ids_of(rows, &["area_target"])))
        .all(db)
        .await?
    {
        names.insert(("area_target", t.id), Text::Names(t.name_zh, t.name_en));
    }
    for c in criterion::Entity::find().filter(criterion::Column::Id.is_in(ids_of(rows, &["criterion"]))).all(db).await?
    {
        names.insert(("criterion", c.id), Text::Names(c.label_zh, c.label_en));
    }
    for d in district::Entity::find().filter(district::Column::Id.is_in(ids_of(rows, &["district"]))).all(db).await? {
        names.insert(("district", d.id), Text::Names(d.name_zh, d.name_en));
    }

    // Applications: the startup, then the carrier it applies to.
    let applications = application::Entity::find()
        .filter(application::Column::Id.is_in(ids_of(rows, &["application"])))
        .all(db)
        .await?;
    // Leases: the tenant, the units and the dates.
    let leases = lease::Entity::find().filter(lease::Column::Id.is_in(ids_of(rows, &["lease"]))).all(db).await?;
    let booked = lease_unit::Entity::find()
        .filter(lease_unit::Column::LeaseId.is_in(leases.iter().map(|l| l.id)))
        .order_by_asc(lease_unit::Column::Id)
        .all(db)
        .await?;
    let equity_startups = rows.iter().filter(|r| r.entity_type == "equity_event").filter_map(|r| r.startup_id);
    let startups = startup_names(
        db,
        applications.iter().map(|a| a.startup_id).chain(leases.iter().map(|l| l.startup_id)).chain(equity_startups),
    )
    .await?;
    let return_carriers = rows.iter().filter(|r| r.entity_type == "annual_return").filter_map(|r| r.carrier_id);
    let carriers = carrier_names(db, applications.iter().map(|a| a.carrier_id).chain(return_carriers)).await?;
    let booked_names = unit_names(db, booked.iter().map(|b| b.unit_id)).await?;
    let name = |map: &BTreeMap<i64, String>, id: i64| map.get(&id).cloned().unwrap_or_else(|| format!("#{id}"));
    for a in &applications {
        let text = format!("{} → {}", name(&startups, a.startup_id), name(&carriers, a.carrier_id));
        names.insert(("application", a.id), plain(&text));
    }
    for l in &leases {
        let units: Vec<String> =
            booked.iter().filter(|b| b.lease_id == l.id).map(|b| name(&booked_names, b.unit_id)).collect();
        let last = l.ends_on.and_then(|end| end.pred_opt()).map(|d| d.to_string()).unwrap_or_else(|| "…".to_owned());
        let text = format!("{} · {} · {} – {last}", name(&startups, l.startup_id), units.join("、"), l.starts_on);
        names.insert(("lease", l.id), plain(&text));
    }

    Ok(rows
        .iter()
        .filter_map(|row| {
            let subject = match row.entity_type.as_str() {
                "tenant" => names.get(&("startup", row.entity_id)).cloned(),
                "equity_event" => row.startup_id.map(|s| plain(&name(&startups, s))),
                "annual_return" => {
                    row.carrier_id.map(|c| plain(&format!("{} · {}", name(&carriers, c), row.entity_id)))
                }
                kind => ENTITY_KEYS.iter().find(|k| **k == kind).and_then(|k| names.get(&(*k, row.entity_id)).cloned()),
            };
            subject.map(|s| (row.id, s))
        })
        .collect())
}

/// The kinds looked up by their own id.
const ENTITY_KEYS: [&str; 13] = [
    "carrier",
    "startup",
    "unit",
    "site",
    "building",
    "floor",
    "unit_import",
    "user",
    "area_target",
    "criterion",
    "district",
    "application",
    "lease",
];

/// The accounts that acted, by id: their email and display name.
pub(super) async fn actor_names(
    db: &impl ConnectionTrait,
    rows: &[audit_log::Model],
) -> Result<BTreeMap<i64, (String, String)>> {
    let ids: BTreeSet<i64> = rows.iter().filter_map(|r| r.actor_id).collect();
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, (u.email, u.display_name)))
        .collect())
}
