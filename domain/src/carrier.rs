//! Incubation carriers (孵化载体): incubators, maker-spaces, accelerators and university science
//! parks, as registered with the city.

use crate::district::DistrictView;
use crate::validation::{self, FieldErrors, Problem};
use crate::{CarrierId, DistrictId, Text};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

coded_enum! {
    /// What kind of carrier a site is.
    pub enum CarrierKind {
        /// 科技企业孵化器
        Incubator = "incubator",
        /// 众创空间
        MakerSpace = "maker_space",
        /// 加速器
        Accelerator = "accelerator",
        /// 大学科技园
        UniversitySciencePark = "university_science_park",
    }
}

coded_enum! {
    /// The highest accreditation a carrier holds.
    pub enum Level {
        National = "national",
        Provincial = "provincial",
        Municipal = "municipal",
        None = "none",
    }
}

coded_enum! {
    /// How the carrier earns from its tenants.
    pub enum OperatingModel {
        /// Rents space only (房东).
        Landlord = "landlord",
        /// Rents space and takes equity in tenants (房东+股东).
        LandlordShareholder = "landlord_shareholder",
    }
}

coded_enum! {
    /// The industries a carrier focuses on: the strategic emerging industries of the State
    /// Council's plans, and the others Linyi's carriers commonly serve.
    pub enum Industry {
        NewGenerationIt = "new_generation_it",
        HighEndEquipment = "high_end_equipment",
        NewMaterials = "new_materials",
        Biomedicine = "biomedicine",
        NewEnergy = "new_energy",
        NewEnergyVehicles = "new_energy_vehicles",
        EnergySavingEnvironmental = "energy_saving_environmental",
        DigitalCreative = "digital_creative",
        ModernAgriculture = "modern_agriculture",
        ModernServices = "modern_services",
        /// 集成电路 (design and manufacture): a 60-month incubation field.
        IntegratedCircuits = "integrated_circuits",
        Other = "other",
    }
}

/// An accreditation: a level other than none always comes with the year it was granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Accreditation {
    None,
    Granted { level: Level, year: i32 },
}

impl Accreditation {
    pub fn level(self) -> Level {
        match self {
            Accreditation::None => Level::None,
            Accreditation::Granted { level, .. } => level,
        }
    }

    pub fn year(self) -> Option<i32> {
        match self {
            Accreditation::None => None,
            Accreditation::Granted { year, .. } => Some(year),
        }
    }
}

/// Field names of the carrier form, shared by the form, its validation and its error display.
pub mod field {
    pub const NAME: &str = "name";
    pub const KIND: &str = "kind";
    pub const LEVEL: &str = "level";
    pub const LEVEL_YEAR: &str = "level_year";
    pub const DISTRICT: &str = "district_id";
    pub const OPERATOR_ORG: &str = "operator_org";
    pub const MODEL: &str = "operating_model";
    pub const ADDRESS: &str = "address";
    pub const OPENED_ON: &str = "opened_on";
    pub const SPECIALISED: &str = "specialised";
    pub const RELAXED: &str = "relaxed";
    pub const EFFECTIVE_ON: &str = "effective_on";
    pub const INDUSTRIES: &str = "industries";
    pub const CONTACT_NAME: &str = "contact_name";
    pub const CONTACT_PHONE: &str = "contact_phone";
    pub const CONTACT_EMAIL: &str = "contact_email";
}

/// The carrier form as submitted: every field is text, exactly as typed, so that a submission
/// can always be read and shown back with its errors.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CarrierForm {
    pub name: String,
    pub kind: String,
    pub level: String,
    pub level_year: String,
    pub district_id: String,
    pub operator_org: String,
    pub operating_model: String,
    pub address: String,
    pub opened_on: String,
    /// Industry codes; a form posts one entry per ticked box.
    pub industries: Vec<String>,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: String,
    /// A ticked checkbox posts `on`; an unticked one posts nothing.
    pub specialised: String,
    pub relaxed: String,
    /// From which day a change of district, kind, level, operating model applies: empty for
    /// today (an edit only; a new carrier's attributes apply from its opening).
    pub effective_on: String,
}

/// A carrier's registration data after validation: every value is well-formed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarrierDraft {
    pub name: String,
    pub kind: CarrierKind,
    pub accreditation: Accreditation,
    pub district_id: DistrictId,
    pub operator_org: String,
    pub operating_model: OperatingModel,
    pub address: String,
    pub opened_on: NaiveDate,
    pub industries: BTreeSet<Industry>,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: Option<String>,
    /// A specialised incubator (专业孵化器: ≥ 75 % of tenants in one industry), checked against
    /// the specialised rules.
    #[serde(default)]
    pub specialised: bool,
    /// In an area where the national relaxation applies (thresholds 20 % lower).
    #[serde(default)]
    pub relaxed: bool,
    /// The day an edit of the dated attributes takes effect; none: today.
    #[serde(default)]
    pub effective_on: Option<NaiveDate>,
}

/// The first year a Chinese incubator was accredited (Wuhan East Lake, 1987).
const FIRST_ACCREDITATION_YEAR: i32 = 1987;

impl CarrierForm {
    /// Validates every field and reports every problem at once. `today` bounds the dates.
    pub fn parse(&self, today: NaiveDate) -> Result<CarrierDraft, FieldErrors> {
        use field::*;
        let mut errors = FieldErrors::new();
        let name = errors.check(NAME, validation::text(&self.name, 2, 100));
        let kind = errors.check(KIND, validation::choice(&self.kind, CarrierKind::from_code));
        let level = errors.check(LEVEL, validation::choice(&self.level, Level::from_code));
        let district_id = errors.check(DISTRICT, district(&self.district_id));
        let operator_org = errors.check(OPERATOR_ORG, validation::text(&self.operator_org, 2, 100));
        let operating_model = errors.check(MODEL, validation::choice(&self.operating_model, OperatingModel::from_code));
        let address = errors.check(ADDRESS, validation::text(&self.address, 4, 200));
        let opened_on = errors.check(OPENED_ON, opening_date(&self.opened_on, today));
        let accreditation = match level {
            Some(level) => errors.check(LEVEL_YEAR, accreditation(level, &self.level_year, opened_on, today)),
            None => None,
        };
        let industries = errors.check(INDUSTRIES, industries(&self.industries));
        let contact_name = errors.check(CONTACT_NAME, validation::text(&self.contact_name, 2, 50));
        let contact_phone = errors.check(CONTACT_PHONE, validation::phone(&self.contact_phone));
        let effective_on = match self.effective_on.trim() {
            "" => Some(None),
            raw => errors.check(EFFECTIVE_ON, effective_date(raw, opened_on, today).map(Some)),
        };
        let contact_email = errors.check(
            CONTACT_EMAIL,
            if self.contact_email.trim().is_empty() {
                Ok(None)
            } else {
                validation::email(&self.contact_email).map(Some)
            },
        );

        match (
            name,
            kind,
            accreditation,
            district_id,
            operator_org,
            operating_model,
            address,
            opened_on,
            industries,
            contact_name,
            contact_phone,
            contact_email,
            effective_on,
        ) {
            (
                Some(name),
                Some(kind),
                Some(accreditation),
                Some(district_id),
                Some(operator_org),
                Some(operating_model),
                Some(address),
                Some(opened_on),
                Some(industries),
                Some(contact_name),
                Some(contact_phone),
                Some(contact_email),
                Some(effective_on),
            ) if errors.is_empty() => Ok(CarrierDraft {
                name,
                kind,
                accreditation,
                district_id,
                operator_org,
                operating_model,
                address,
                opened_on,
                industries,
                contact_name,
                contact_phone,
                contact_email,
                specialised: checked(&self.specialised),
                relaxed: checked(&self.relaxed),
                effective_on,
            }),
            _ => Err(errors),
        }
    }
}

impl From<&CarrierDraft> for CarrierForm {
    /// The form pre-filled with a carrier's current data, for editing.
    fn from(draft: &CarrierDraft) -> Self {
        CarrierForm {
            name: draft.name.clone(),
            kind: draft.kind.code().to_owned(),
            level: draft.accreditation.level().code().to_owned(),
            level_year: draft.accreditation.year().map(|y| y.to_string()).unwrap_or_default(),
            district_id: draft.district_id.to_string(),
            operator_org: draft.operator_org.clone(),
            operating_model: draft.operating_model.code().to_owned(),
            address: draft.address.clone(),
            opened_on: draft.opened_on.format("%Y-%m-%d").to_string(),
            industries: draft.industries.iter().map(|i| i.code().to_owned()).collect(),
            contact_name: draft.contact_name.clone(),
            contact_phone: draft.contact_phone.clone(),
            contact_email: draft.contact_email.clone().unwrap_or_default(),
            specialised: if draft.specialised { "on".to_owned() } else { String::new() },
            relaxed: if draft.relaxed { "on".to_owned() } else { String::new() },
            effective_on: String::new(),
        }
    }
}

/// A checkbox's value: ticked when posted with any value but `false`.
fn checked(raw: &str) -> bool {
    !matches!(raw.trim(), "" | "false" | "off")
}

/// The day a change takes effect: not in the future, not before the carrier opened.
fn effective_date(raw: &str, opened_on: Option<NaiveDate>, today: NaiveDate) -> Result<NaiveDate, Problem> {
    let date = validation::date(raw)?;
    if date > today {
        return Err(Problem::DateInFuture);
    }
    if let Some(opened) = opened_on
        && date < opened
    {
        return Err(Problem::DateTooEarly { min: opened.format("%Y-%m-%d").to_string() });
    }
    Ok(date)
}

fn district(raw: &str) -> Result<DistrictId, Problem> {
    if raw.trim().is_empty() {
        return Err(Problem::Required);
    }
    raw.parse().map_err(|_| Problem::NotAChoice)
}

fn opening_date(raw: &str, today: NaiveDate) -> Result<NaiveDate, Problem> {
    let date = validation::date(raw)?;
    let earliest = NaiveDate::from_ymd_opt(FIRST_ACCREDITATION_YEAR, 1, 1).unwrap_or(NaiveDate::MIN);
    if date > today {
        Err(Problem::DateInFuture)
    } else if date < earliest {
        Err(Problem::DateTooEarly { min: earliest.format("%Y-%m-%d").to_string() })
    } else {
        Ok(date)
    }
}

fn accreditation(
    level: Level,
    raw_year: &str,
    opened_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Accreditation, Problem> {
    let raw_year = raw_year.trim();
    if level == Level::None {
        return if raw_year.is_empty() { Ok(Accreditation::None) } else { Err(Problem::YearWithoutLevel) };
    }
    if raw_year.is_empty() {
        return Err(Problem::Required);
    }
    let year: i32 = raw_year.parse().map_err(|_| Problem::NotANumber)?;
    if !(FIRST_ACCREDITATION_YEAR..=today.year()).contains(&year) {
        return Err(Problem::YearOutOfRange { min: FIRST_ACCREDITATION_YEAR, max: today.year() });
    }
    if opened_on.is_some_and(|opened| year < opened.year()) {
        return Err(Problem::YearBeforeOpening);
    }
    Ok(Accreditation::Granted { level, year })
}

fn industries(codes: &[String]) -> Result<BTreeSet<Industry>, Problem> {
    let chosen = codes
        .iter()
        .filter(|c| !c.trim().is_empty())
        .map(|c| Industry::from_code(c.trim()).ok_or(Problem::NotAChoice))
        .collect::<Result<BTreeSet<_>, _>>()?;
    if chosen.is_empty() { Err(Problem::NoneChosen) } else { Ok(chosen) }
}

/// A carrier as its detail page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarrierView {
    pub id: CarrierId,
    pub data: CarrierDraft,
    pub district: DistrictView,
    pub archived: bool,
    /// Changes with every update; an edit must name the version it started from.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Whether the viewer may edit and archive it (bureau staff).
    pub can_manage: bool,
    /// The dated attributes, oldest first: what figures of each day read.
    #[serde(default)]
    pub history: Vec<DatedAttributes>,
    /// Its entry in the space catalogue.
    #[serde(default)]
    pub listing: crate::listing::Listing,
    /// Whether the viewer may change that entry (the carrier's operators).
    #[serde(default)]
    pub can_list: bool,
}

/// A carrier's district, kind, level, operating model and archived flag from a day on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatedAttributes {
    pub from: NaiveDate,
    pub district_zh: String,
    pub district_en: String,
    pub kind: CarrierKind,
    pub level: Level,
    pub model: OperatingModel,
    pub archived: bool,
    /// Who recorded the change.
    pub author: String,
}

/// A carrier as one row of the registry list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarrierRow {
    pub id: CarrierId,
    pub name: String,
    pub kind: CarrierKind,
    pub accreditation: Accreditation,
    pub district: DistrictView,
    pub operating_model: OperatingModel,
    pub opened_on: NaiveDate,
    pub archived: bool,
    /// Gross area in service today (the figure the dashboard adds up).
    pub gross: crate::Area,
    /// Tenants in incubation today.
    pub tenants: u64,
}

/// A carrier as the directory lists it for startups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryEntry {
    pub id: CarrierId,
    pub name: String,
    pub kind: CarrierKind,
    pub model: OperatingModel,
    pub district_zh: String,
    pub district_en: String,
    pub address: String,
}

/// Counts of registered (not archived) carriers, for the overview.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrySummary {
    pub total: u64,
    pub by_kind: Vec<(CarrierKind, u64)>,
    pub by_level: Vec<(Level, u64)>,
    pub by_model: Vec<(OperatingModel, u64)>,
    /// Every district, with zero where it has no carrier.
    pub by_district: Vec<(DistrictView, u64)>,
}

coded_enum! {
    /// The orders the carrier list can be sorted in.
    pub enum CarrierSort {
        Name = "name",
        Opened = "opened",
        Level = "level",
        District = "district",
        Updated = "updated",
    }
}

/// A page of the carrier list: its filters, search, sort and page number, read from a URL's
/// query string. Unknown or malformed values fall back to "no filter" rather than failing, so a
/// stale bookmark still opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CarrierQuery {
    pub district: Option<DistrictId>,
    pub kind: Option<CarrierKind>,
    pub level: Option<Level>,
    pub model: Option<OperatingModel>,
    pub industry: Option<Industry>,
    /// Words to find in the name, operating organisation or address.
    pub search: Option<String>,
    pub include_archived: bool,
    pub sort: Option<CarrierSort>,
    pub descending: bool,
    /// 1-based.
    pub page: u32,
    /// The day the carriers' figures (area, tenants) are taken on; today when none.
    pub on: Option<NaiveDate>,
}

impl Default for CarrierQuery {
    /// The first page of everything registered, by name.
    fn default() -> Self {
        CarrierQuery {
            district: None,
            kind: None,
            level: None,
            model: None,
            industry: None,
            search: None,
            include_archived: false,
            sort: None,
            descending: false,
            page: 1,
            on: None,
        }
    }
}

impl CarrierQuery {
    pub const PAGE_SIZE: u32 = 20;

    /// Reads a query from `(key, value)` pairs as they come from a URL.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut query = CarrierQuery { page: 1, ..Default::default() };
        for (key, value) in pairs {
            let value = value.trim();
            match key {
                "district" => query.district = value.parse().ok(),
                "kind" => query.kind = CarrierKind::from_code(value),
                "level" => query.level = Level::from_code(value),
                "model" => query.model = OperatingModel::from_code(value),
                "industry" => query.industry = Industry::from_code(value),
                "q" => {
                    let words: String = value.chars().take(100).collect();
                    query.search = Some(words).filter(|w| !w.is_empty());
                }
                "archived" => query.include_archived = value == "1" || value == "true" || value == "on",
                "sort" => query.sort = CarrierSort::from_code(value),
                "dir" => query.descending = value == "desc",
                "page" => query.page = value.parse().ok().filter(|p| *p >= 1).unwrap_or(1),
                "on" => query.on = crate::time::parse_date(value).ok(),
                _ => {}
            }
        }
        query
    }

    /// The query as URL pairs: the inverse of [`CarrierQuery::from_pairs`], without defaults.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(d) = self.district {
            pairs.push(("district", d.to_string()));
        }
        if let Some(k) = self.kind {
            pairs.push(("kind", k.code().to_owned()));
        }
        if let Some(l) = self.level {
            pairs.push(("level", l.code().to_owned()));
        }
        if let Some(m) = self.model {
            pairs.push(("model", m.code().to_owned()));
        }
        if let Some(i) = self.industry {
            pairs.push(("industry", i.code().to_owned()));
        }
        if let Some(q) = &self.search {
            pairs.push(("q", q.clone()));
        }
        if self.include_archived {
            pairs.push(("archived", "1".to_owned()));
        }
        if let Some(s) = self.sort {
            pairs.push(("sort", s.code().to_owned()));
        }
        if self.descending {
            pairs.push(("dir", "desc".to_owned()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        if let Some(on) = self.on {
            pairs.push(("on", on.to_string()));
        }
        pairs
    }

    pub fn offset(&self) -> u64 {
        u64::from(self.page.saturating_sub(1)) * u64::from(Self::PAGE_SIZE)
    }
}

impl CarrierKind {
    /// The kind's name, for the reader.
    pub fn text(self) -> Text {
        Text::key(match self {
            CarrierKind::Incubator => "kind-incubator",
            CarrierKind::MakerSpace => "kind-maker-space",
            CarrierKind::Accelerator => "kind-accelerator",
            CarrierKind::UniversitySciencePark => "kind-university-science-park",
        })
    }
}

impl Level {
    /// The accreditation level's name, for the reader.
    pub fn text(self) -> Text {
        Text::key(match self {
            Level::National => "level-national",
            Level::Provincial => "level-provincial",
            Level::Municipal => "level-municipal",
            Level::None => "level-none",
        })
    }
}

impl OperatingModel {
    /// The operating model's name, for the reader.
    pub fn text(self) -> Text {
        Text::key(match self {
            OperatingModel::Landlord => "model-landlord",
            OperatingModel::LandlordShareholder => "model-landlord-shareholder",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    fn valid_form() -> CarrierForm {
        CarrierForm {
            name: "临沂高新区科技创业园".into(),
            kind: "incubator".into(),
            level: "national".into(),
            level_year: "2015".into(),
            district_id: "12".into(),
            operator_org: "临沂高新区创业服务中心".into(),
            operating_model: "landlord_shareholder".into(),
            address: "临沂高新区双月湖路1号".into(),
            opened_on: "2009-06-01".into(),
            industries: vec!["new_materials".into(), "high_end_equipment".into()],
            contact_name: "王敏".into(),
            contact_phone: "0539-8123456".into(),
            contact_email: "".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_change_takes_effect_on_a_day_between_the_opening_and_today() {
        let draft = valid_form().parse(today()).unwrap();
        assert_eq!((draft.effective_on, draft.specialised, draft.relaxed), (None, false, false));
        let mut form = CarrierForm {
            effective_on: "2020-03-01".into(),
            specialised: "on".into(),
            relaxed: "true".into(),
            ..valid_form()
        };
        let draft = form.parse(today()).unwrap();
        assert_eq!(draft.effective_on, NaiveDate::from_ymd_opt(2020, 3, 1));
        assert!(draft.specialised && draft.relaxed);
        assert_eq!(CarrierForm::from(&draft).specialised, "on");
        form.effective_on = "2009-05-31".into();
        assert_eq!(problems(&form, field::EFFECTIVE_ON), vec![Problem::DateTooEarly { min: "2009-06-01".into() }]);
        form.effective_on = (today() + chrono::Days::new(1)).format("%Y-%m-%d").to_string();
        assert_eq!(problems(&form, field::EFFECTIVE_ON), vec![Problem::DateInFuture]);
    }

    fn problems(form: &CarrierForm, field: &str) -> Vec<Problem> {
        form.parse(today()).unwrap_err().for_field(field).cloned().collect()
    }

    #[test]
    fn a_complete_form_becomes_a_draft() {
        let draft = valid_form().parse(today()).unwrap();
        assert_eq!(draft.accreditation, Accreditation::Granted { level: Level::National, year: 2015 });
        assert_eq!(draft.district_id, DistrictId(12));
        assert_eq!(draft.contact_phone, "05398123456");
        assert_eq!(draft.contact_email, None);
        assert_eq!(draft.industries.len(), 2);
    }

    #[test]
    fn an_empty_form_reports_every_required_field() {
        let errors = CarrierForm::default().parse(today()).unwrap_err();
        for field in [
            field::NAME,
            field::KIND,
            field::LEVEL,
            field::DISTRICT,
            field::OPERATOR_ORG,
            field::MODEL,
            field::ADDRESS,
            field::OPENED_ON,
            field::CONTACT_NAME,
            field::CONTACT_PHONE,
        ] {
            assert_eq!(errors.for_field(field).next(), Some(&Problem::Required), "{field}");
        }
        assert_eq!(errors.for_field(field::INDUSTRIES).next(), Some(&Problem::NoneChosen));
        assert_eq!(errors.for_field(field::CONTACT_EMAIL).count(), 0, "email is optional");
    }

    #[test]
    fn a_level_needs_its_year_and_no_level_takes_none() {
        let mut form = valid_form();
        form.level_year = "".into();
        assert_eq!(problems(&form, field::LEVEL_YEAR), [Problem::Required]);

        form.level = "none".into();
        assert_eq!(form.parse(today()).unwrap().accreditation, Accreditation::None);

        form.level_year = "2018".into();
        assert_eq!(problems(&form, field::LEVEL_YEAR), [Problem::YearWithoutLevel]);
    }

    #[test]
    fn an_accreditation_cannot_predate_the_opening_or_lie_in_the_future() {
        let mut form = valid_form();
        form.level_year = "2008".into();
        assert_eq!(problems(&form, field::LEVEL_YEAR), [Problem::YearBeforeOpening]);
        form.level_year = "2027".into();
        assert_eq!(problems(&form, field::LEVEL_YEAR), [Problem::YearOutOfRange { min: 1987, max: 2026 }]);
        form.level_year = "twenty".into();
        assert_eq!(problems(&form, field::LEVEL_YEAR), [Problem::NotANumber]);
    }

    #[test]
    fn a_carrier_cannot_open_tomorrow() {
        let mut form = valid_form();
        form.opened_on = "2026-11-28".into();
        form.level = "none".into();
        form.level_year = "".into();
        assert_eq!(problems(&form, field::OPENED_ON), [Problem::DateInFuture]);
    }

    #[test]
    fn unknown_choices_are_refused_not_guessed() {
        let mut form = valid_form();
        form.kind = "hotel".into();
        form.industries = vec!["new_materials".into(), "mining".into()];
        form.district_id = "abc".into();
        assert_eq!(problems(&form, field::KIND), [Problem::NotAChoice]);
        assert_eq!(problems(&form, field::INDUSTRIES), [Problem::NotAChoice]);
        assert_eq!(problems(&form, field::DISTRICT), [Problem::NotAChoice]);
    }

    #[test]
    fn a_draft_turned_back_into_a_form_parses_to_the_same_draft() {
        let draft = valid_form().parse(today()).unwrap();
        assert_eq!(CarrierForm::from(&draft).parse(today()), Ok(draft));
    }

    #[test]
    fn a_list_query_survives_a_round_trip_through_the_url() {
        let query = CarrierQuery {
            district: Some(DistrictId(3)),
            kind: Some(CarrierKind::MakerSpace),
            level: Some(Level::Provincial),
            model: Some(OperatingModel::Landlord),
            industry: Some(Industry::Biomedicine),
            search: Some("园".into()),
            include_archived: true,
            sort: Some(CarrierSort::Opened),
            descending: true,
            page: 3,
            on: NaiveDate::from_ymd_opt(2025, 6, 30),
        };
        let pairs = query.to_pairs();
        let back = CarrierQuery::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(back, query);
        assert_eq!(back.offset(), 40);
    }

    #[test]
    fn a_malformed_list_query_falls_back_to_no_filter() {
        let query = CarrierQuery::from_pairs([("district", "x"), ("kind", "hotel"), ("page", "0"), ("q", "  ")]);
        assert_eq!(query, CarrierQuery { page: 1, ..Default::default() });
    }
}
