//! Districts, counties and development zones: the city's administrative units, held as data.

use crate::{DistrictId, Lang};
use serde::{Deserialize, Serialize};

coded_enum! {
    /// What kind of administrative unit a district is.
    pub enum DistrictKind {
        /// 市辖区
        District = "district",
        /// 县
        County = "county",
        /// 功能区 / 开发区 (development and high-tech zones)
        Zone = "zone",
    }
}

/// A district as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistrictView {
    pub id: DistrictId,
    /// The administrative division code (行政区划代码), or the zone's own code.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: DistrictKind,
}

impl DistrictView {
    /// The district's name in the reader's language.
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.name_zh,
            Lang::En => &self.name_en,
        }
    }
}
