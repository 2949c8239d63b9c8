//! The reference data every installation starts with: the city (its districts, counties and
//! development zones with their division codes, and its area targets) and the national
//! accreditation rule sets. The city is data: Linyi by default (`service/reference/linyi.json`,
//! built in), another city by a file of the same shape that the bureau edits and imports again
//! with `fuhua city import FILE`. Nothing here creates an account: demonstration accounts come
//! only with `--demo`, and the first real accounts with `fuhua create-user`.

use crate::audit::{self, By};
use crate::entity::{area_target, district, maintenance};
use crate::{Result, ServiceError, db};
use chrono::{NaiveDate, Utc};
use domain::district::DistrictKind;
use domain::{Area, Problem};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The city an installation starts with when none is configured.
pub const DEFAULT_CITY: &str = include_str!("../reference/linyi.json");

/// The most districts a city file may list.
const MAX_DISTRICTS: usize = 500;
/// The most targets a city file may list.
const MAX_TARGETS: usize = 100;
/// The largest city file read, in bytes.
pub const MAX_CITY_FILE_BYTES: u64 = 1024 * 1024;

/// A city file: the city, its districts in the order lists show them, and its area targets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CityFile {
    pub city: City,
    pub districts: Vec<DistrictEntry>,
    #[serde(default)]
    pub targets: Vec<TargetEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct City {
    /// The city's six-digit division code (GB/T 2260), e.g. `371300`.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistrictEntry {
    /// Six-digit division code; a development zone without one uses the code its city assigns.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// `district`, `county` or `zone`.
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetEntry {
    pub name_zh: String,
    pub name_en: String,
    /// Area in m², as text (`"2000000"` or `"2000000.50"`), read exactly.
    pub square_metres: String,
    /// `YYYY-MM-DD`.
    pub base_date: String,
    pub deadline: String,
}

/// A city file that cannot be loaded: every problem, each naming where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the city file has {} problem(s):\n{}", .0.len(), .0.join("\n"))]
pub struct CityFileError(pub Vec<String>);

/// A checked city: what [`import_city`] writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedCity {
    pub city: City,
    pub districts: Vec<(String, String, String, DistrictKind)>,
    pub targets: Vec<(String, String, Area, NaiveDate, NaiveDate)>,
}

fn division_code(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) && !code.starts_with('0')
}

fn name_ok(name: &str) -> bool {
    let n = name.trim().chars().count();
    (1..=100).contains(&n) && !name.chars().any(char::is_control)
}

/// Reads and checks a city file, reporting every problem at once.
pub fn parse_city(text: &str) -> std::result::Result<CheckedCity, CityFileError> {
    let file: CityFile =
        serde_json::from_str(text).map_err(|e| CityFileError(vec![format!("not a city file: {e}")]))?;
    let mut problems = Vec::new();
    if !division_code(&file.city.code) {
        problems.push(format!("city.code {:?}: not a six-digit division code", file.city.code));
    }
    if !name_ok(&file.city.name_zh) || !name_ok(&file.city.name_en) {
        problems.push("city: the Chinese and English names must be 1–100 characters".to_owned());
    }
    if file.districts.is_empty() {
        problems.push("districts: a city needs at least one district".to_owned());
    }
    if file.districts.len() > MAX_DISTRICTS {
        problems.push(format!("districts: at most {MAX_DISTRICTS}"));
    }
    if file.targets.len() > MAX_TARGETS {
        problems.push(format!("targets: at most {MAX_TARGETS}"));
    }
    let mut codes = BTreeSet::new();
    let mut names = BTreeSet::new();
    let mut districts = Vec::new();
    for (i, d) in file.districts.iter().take(MAX_DISTRICTS).enumerate() {
        let at = format!("districts[{i}]");
        if !division_code(&d.code) {
            problems.push(format!("{at}.code {:?}: not a six-digit division code", d.code));
        } else if !d.code.starts_with(&file.city.code[..4.min(file.city.code.len())]) {
            problems.push(format!("{at}.code {}: not a division of the city {}", d.code, file.city.code));
        }
        if !codes.insert(d.code.clone()) {
            problems.push(format!("{at}.code {}: listed twice", d.code));
        }
        if !name_ok(&d.name_zh) || !name_ok(&d.name_en) {
            problems.push(format!("{at}: the Chinese and English names must be 1–100 characters"));
        } else if !names.insert(d.name_zh.trim().to_owned()) {
            problems.push(format!("{at}.name_zh {}: listed twice", d.name_zh.trim()));
        }
        match DistrictKind::from_code(d.kind.trim()) {
            Some(kind) => {
                districts.push((d.code.clone(), d.name_zh.trim().to_owned(), d.name_en.trim().to_owned(), kind))
            }
            None => problems.push(format!("{at}.kind {:?}: one of district, county, zone", d.kind)),
        }
    }
    let mut targets = Vec::new();
    for (i, t) in file.targets.iter().take(MAX_TARGETS).enumerate() {
        let at = format!("targets[{i}]");
        if !name_ok(&t.name_zh) || !name_ok(&t.name_en) {
            problems.push(format!("{at}: the Chinese and English names must be 1–100 characters"));
        }
        let area = match Area::parse(&t.square_metres) {
            Ok(a) if a.hundredths() > 0 => Some(a),
            Ok(_) => {
                problems.push(format!("{at}.square_metres: must be more than zero"));
                None
            }
            Err(e) => {
                problems.push(format!("{at}.square_metres {:?}: {:?}", t.square_metres, Problem::from(e)));
                None
            }
        };
        let base = domain::time::parse_date(&t.base_date).ok();
        let deadline = domain::time::parse_date(&t.deadline).ok();
        if base.is_none() {
            problems.push(format!("{at}.base_date {:?}: not a date (YYYY-MM-DD)", t.base_date));
        }
        if deadline.is_none() {
            problems.push(format!("{at}.deadline {:?}: not a date (YYYY-MM-DD)", t.deadline));
        }
        if let (Some(b), Some(d)) = (base, deadline)
            && d <= b
        {
            problems.push(format!("{at}: the deadline must come after the base date"));
        }
        if let (Some(area), Some(b), Some(d)) = (area, base, deadline) {
            targets.push((t.name_zh.trim().to_owned(), t.name_en.trim().to_owned(), area, b, d));
        }
    }
    if problems.is_empty() {
        Ok(CheckedCity { city: file.city, districts, targets })
    } else {
        Err(CityFileError(problems))
    }
}

/// The built-in city (Linyi), checked.
pub fn default_city() -> CheckedCity {
    // The built-in file is checked by a test; a broken build of it would fail there first.
    parse_city(DEFAULT_CITY).unwrap_or_else(|e| panic!("the built-in city file is broken: {e}"))
}

/// What an import of a city file changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CityReport {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Districts in the database that the file does not list: kept (carriers may be registered
    /// in them), named here so that the bureau can check.
    pub not_in_file: Vec<String>,
    pub targets_added: usize,
}

/// Loads a city: districts added or updated by division code (names, kind and order follow the
/// file; a district the file no longer lists is kept and reported), and targets added where no
/// target of the same name exists (targets already there are the bureau's to edit). All of it
/// or nothing, audited as `by`.
pub async fn import_city(db: &DatabaseConnection, city: &CheckedCity, by: By<'_>) -> Result<CityReport> {
    let txn = db::begin_write(db).await?;
    let mut report = CityReport::default();
    let existing = district::Entity::find().all(&txn).await?;
    let listed: BTreeSet<&str> = city.districts.iter().map(|(code, ..)| code.as_str()).collect();
    for (order, (code, zh, en, kind)) in (0_i32..).zip(&city.districts) {
        match existing.iter().find(|d| d.code == *code) {
            None => {
                let added = district::ActiveModel {
                    code: Set(code.clone()),
                    name_zh: Set(zh.clone()),
                    name_en: Set(en.clone()),
                    kind: Set(kind.code().to_owned()),
                    sort_order: Set(order),
                    created_at: Set(Utc::now()),
                    ..Default::default()
                }
                .insert(&txn)
                .await
                .map_err(|e| match e.sql_err() {
                    Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                        ServiceError::Invalid(domain::FieldErrors::single("districts", Problem::NameTaken))
                    }
                    _ => ServiceError::Db(e),
                })?;
                record(&txn, by, "district_added", added.id, None, &added).await?;
                report.added += 1;
            }
            Some(d) if d.name_zh == *zh && d.name_en == *en && d.kind == kind.code() && d.sort_order == order => {
                report.unchanged += 1;
            }
            Some(d) => {
                let mut after = d.clone();
                after.name_zh.clone_from(zh);
                after.name_en.clone_from(en);
                after.kind = kind.code().to_owned();
                after.sort_order = order;
                district::ActiveModel {
                    id: Set(d.id),
                    name_zh: Set(after.name_zh.clone()),
                    name_en: Set(after.name_en.clone()),
                    kind: Set(after.kind.clone()),
                    sort_order: Set(order),
                    ..Default::default()
                }
                .update(&txn)
                .await?;
                record(&txn, by, "district_updated", d.id, Some(d), &after).await?;
                report.updated += 1;
            }
        }
    }
    report.not_in_file =
        existing.iter().filter(|d| !listed.contains(d.code.as_str())).map(|d| d.name_zh.clone()).collect();
    for (zh, en, area, base, deadline) in &city.targets {
        let exists = area_target::Entity::find()
            .filter(area_target::Column::NameZh.eq(zh.as_str()))
            .filter(area_target::Column::DistrictId.is_null())
            .count(&txn)
            .await?
            > 0;
        if exists {
            continue;
        }
        let target = area_target::ActiveModel {
            name_zh: Set(zh.clone()),
            name_en: Set(en.clone()),
            district_id: Set(None),
            area: Set(area.hundredths()),
            base_date: Set(*base),
            deadline: Set(*deadline),
            author_email: Set(by.email()),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        audit::record(
            &txn,
            by,
            audit::Change {
                action: "target_added",
                entity_type: "area_target",
                entity_id: target.id,
                carrier: None,
                startup: None,
                before: None,
                after: audit::snapshot(&serde_json::json!({
                    "area": area, "base_date": base, "deadline": deadline, "district": null
                })),
            },
        )
        .await?;
        report.targets_added += 1;
    }
    maintenance::Entity::delete_by_id(CITY_KEY.to_owned()).exec(&txn).await?;
    maintenance::ActiveModel {
        key: Set(CITY_KEY.to_owned()),
        value: Set(serde_json::to_string(&city.city).unwrap_or_default()),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    tracing::info!(
        city = %city.city.name_en,
        added = report.added,
        updated = report.updated,
        targets = report.targets_added,
        "city reference data loaded"
    );
    Ok(report)
}

/// The maintenance key holding the loaded city.
const CITY_KEY: &str = "city";

/// The city the installation was set up for, if any was loaded.
pub async fn city(db: &impl sea_orm::ConnectionTrait) -> Result<Option<City>> {
    Ok(maintenance::Entity::find_by_id(CITY_KEY.to_owned())
        .one(db)
        .await?
        .and_then(|row| serde_json::from_str(&row.value).ok()))
}

async fn record(
    txn: &impl sea_orm::ConnectionTrait,
    by: By<'_>,
    action: &'static str,
    id: i64,
    before: Option<&district::Model>,
    after: &district::Model,
) -> Result<()> {
    let snap = |d: &district::Model| serde_json::json!({ "code": d.code, "name_zh": d.name_zh, "name_en": d.name_en, "kind": d.kind });
    audit::record(
        txn,
        by,
        audit::Change {
            action,
            entity_type: "district",
            entity_id: id,
            carrier: None,
            startup: None,
            before: before.and_then(|d| audit::snapshot(&snap(d))),
            after: audit::snapshot(&snap(after)),
        },
    )
    .await
}

/// Brings the reference data up to date, once per step (each step is remembered by a
/// maintenance key, so that what bureau staff change or remove afterwards is not put back):
/// the national rule sets, the correction of the IP criterion, and — in a database with no
/// district yet — the city (`city`, or the built-in default).
pub(crate) async fn ensure(db: &DatabaseConnection, city: Option<&CheckedCity>) -> Result<()> {
    for (key, step) in [("reference_data", Step::RuleSets), ("national_rules_2018_text", Step::NationalText)] {
        if maintenance::Entity::find_by_id(key.to_owned()).one(db).await?.is_some() {
            continue;
        }
        let txn = db::begin_write(db).await?;
        match step {
            Step::RuleSets => crate::readiness::seed_rule_sets(&txn).await?,
            Step::NationalText => {
                // The variants added since the first rule sets, and the IP criterion's text.
                crate::readiness::seed_rule_sets(&txn).await?;
                crate::readiness::correct_ip_criterion(&txn).await?;
            }
        }
        maintenance::ActiveModel { key: Set(key.to_owned()), value: Set("1".to_owned()) }.insert(&txn).await?;
        txn.commit().await?;
    }
    if district::Entity::find().count(db).await? == 0 {
        let default;
        let city = match city {
            Some(city) => city,
            None => {
                default = default_city();
                &default
            }
        };
        import_city(db, city, By::System("reference")).await?;
    }
    Ok(())
}

enum Step {
    RuleSets,
    NationalText,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_city_is_linyi_with_its_fifteen_divisions_and_the_founding_plan() {
        let city = default_city();
        assert_eq!((city.city.code.as_str(), city.city.name_zh.as_str()), ("371300", "临沂市"));
        assert_eq!(city.districts.len(), 15);
        assert_eq!(city.districts[0].0, "371302");
        assert_eq!(city.districts[0].1, "兰山区");
        assert_eq!(city.districts.iter().filter(|d| d.3 == DistrictKind::Zone).count(), 3);
        assert_eq!(city.targets.len(), 1);
        assert_eq!(city.targets[0].2, Area::from_square_metres(2_000_000));
    }

    #[test]
    fn a_bad_city_file_names_every_problem() {
        let text = r#"{
            "city": { "code": "3713", "name_zh": "", "name_en": "X" },
            "districts": [
                { "code": "371302", "name_zh": "兰山区", "name_en": "Lanshan", "kind": "district" },
                { "code": "371302", "name_zh": "兰山区", "name_en": "Lanshan", "kind": "borough" },
                { "code": "12345", "name_zh": "甲", "name_en": "A", "kind": "zone" }
            ],
            "targets": [ { "name_zh": "目标", "name_en": "T", "square_metres": "-5", "base_date": "2020-01-01", "deadline": "2019-01-01" } ]
        }"#;
        let problems = parse_city(text).unwrap_err().0;
        let all = problems.join("\n");
        for expected in [
            "city.code",
            "city: the Chinese",
            "listed twice",
            "kind \"borough\"",
            "districts[2].code",
            "square_metres",
            "deadline must come after",
        ] {
            assert!(all.contains(expected), "{expected} missing from:\n{all}");
        }
        assert!(parse_city("{ not json").unwrap_err().0[0].starts_with("not a city file"));
        assert!(
            parse_city(r#"{"city": {"code": "371300", "name_zh": "a", "name_en": "a"}, "districts": [], "extra": 1}"#)
                .is_err()
        );
    }
}
