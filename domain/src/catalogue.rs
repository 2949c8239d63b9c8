//! The space catalogue: the carriers with space to let, as a startup looking for a place reads
//! them — where each is, what it focuses on, how much it has vacant and at what list rent. Each
//! carrier's own entry is in [`crate::listing`].

use crate::carrier::{CarrierKind, Industry, Level};
use crate::district::DistrictView;
use crate::space::{ListRent, UnitKind};
use crate::{Area, CarrierId, DistrictId, Page};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Carriers on one page of the catalogue.
pub const PAGE_SIZE: u32 = 12;
/// Vacant units shown under each carrier; the rest are counted ("and 14 more").
pub const UNITS_SHOWN: u64 = 6;
/// The largest page number asked for: beyond every real catalogue, and it bounds the offset.
const PAGE_MAX: u32 = 10_000;
/// The largest "at least this much vacant area" filter, in m² (more than any carrier has).
const MIN_AREA_MAX: i64 = 1_000_000;

/// The filters of the catalogue, read from the address (`?district=3&industry=biomedicine&
/// min_area=100&page=2`). Whatever cannot be read is ignored: a filter never fails a page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CatalogueQuery {
    pub district: Option<DistrictId>,
    pub industry: Option<Industry>,
    pub kind: Option<CarrierKind>,
    /// At least this much vacant usable area.
    pub min_area: Option<Area>,
    /// 1-based.
    pub page: u32,
}

impl CatalogueQuery {
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut query = CatalogueQuery { page: 1, ..CatalogueQuery::default() };
        for (key, value) in pairs {
            let value = value.trim();
            match key {
                "district" => query.district = value.parse().ok(),
                "industry" => query.industry = Industry::from_code(value),
                "kind" => query.kind = CarrierKind::from_code(value),
                "min_area" => {
                    query.min_area = Area::parse(value)
                        .ok()
                        .filter(|a| *a > Area::ZERO && *a <= Area::from_square_metres(MIN_AREA_MAX));
                }
                "page" => query.page = value.parse().unwrap_or(1),
                _ => {}
            }
        }
        query.page = query.page.clamp(1, PAGE_MAX);
        query
    }

    /// The same filters as an address query (without the page), for the pager's links.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(d) = self.district {
            pairs.push(("district", d.to_string()));
        }
        if let Some(i) = self.industry {
            pairs.push(("industry", i.code().to_owned()));
        }
        if let Some(k) = self.kind {
            pairs.push(("kind", k.code().to_owned()));
        }
        if let Some(a) = self.min_area {
            pairs.push(("min_area", a.to_string()));
        }
        pairs
    }

    /// Rows to skip for this page.
    pub fn offset(&self) -> u64 {
        u64::from(self.page.clamp(1, PAGE_MAX) - 1) * u64::from(PAGE_SIZE)
    }
}

/// The unit kinds a startup rents; meeting rooms, public service areas and the operator's own
/// offices are never let.
pub const LETTABLE_KINDS: [UnitKind; 4] =
    [UnitKind::PrivateOffice, UnitKind::OpenWorkstations, UnitKind::LabWorkshop, UnitKind::Other];

/// A unit free to let: in service, for tenants, and in no lease from today on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VacantUnit {
    pub id: i64,
    /// Building, floor and code: `A座 3F·304`.
    pub name: String,
    pub kind: UnitKind,
    pub usable: Area,
    pub desks: Option<u32>,
    pub rent: Option<ListRent>,
}

/// One carrier in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueEntry {
    pub carrier: CarrierId,
    pub name: String,
    pub kind: CarrierKind,
    pub level: Level,
    pub district_zh: String,
    pub district_en: String,
    pub industries: BTreeSet<Industry>,
    pub address: String,
    pub description: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: Option<String>,
    pub vacant_units: u64,
    pub vacant_area: Area,
    /// Workstations in the vacant units.
    pub vacant_desks: u64,
    /// The first [`UNITS_SHOWN`] vacant units, by name.
    pub units: Vec<VacantUnit>,
}

/// One page of the catalogue, and whether it is the public one (visitors see only the carriers
/// that chose to be listed publicly).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    pub page: Page<CatalogueEntry>,
    pub public_only: bool,
    /// Every district, in the city's order, for the filter.
    pub districts: Vec<DistrictView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(raw: &str) -> CatalogueQuery {
        CatalogueQuery::from_pairs(raw.split('&').filter_map(|kv| kv.split_once('=')))
    }

    #[test]
    fn filters_read_from_the_address_and_ignore_what_they_cannot_read() {
        let q = query("district=3&industry=biomedicine&kind=maker_space&min_area=120.5&page=2");
        assert_eq!(q.district, Some(DistrictId(3)));
        assert_eq!(q.industry, Some(Industry::Biomedicine));
        assert_eq!(q.kind, Some(CarrierKind::MakerSpace));
        assert_eq!(q.min_area, Some(Area::parse("120.5").unwrap()));
        assert_eq!(q.page, 2);
        assert_eq!(q.offset(), u64::from(PAGE_SIZE));
        let junk = query("district=x&industry=steel&kind=&min_area=-5&page=0");
        assert_eq!(junk, CatalogueQuery { page: 1, ..CatalogueQuery::default() });
        assert_eq!(junk.offset(), 0);
    }

    #[test]
    fn a_page_or_an_area_beyond_any_catalogue_is_bounded() {
        assert_eq!(query("page=99999999999").page, 1, "an unreadable page is the first");
        assert_eq!(query("page=4000000").page, PAGE_MAX);
        assert_eq!(query("min_area=2000000").min_area, None);
    }

    #[test]
    fn the_pager_keeps_every_filter_but_the_page() {
        let q = query("district=3&min_area=50&page=3");
        assert_eq!(q.to_pairs(), vec![("district", "3".to_owned()), ("min_area", "50.00".to_owned())]);
    }
}
