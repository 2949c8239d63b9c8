//! The physical spaces of a carrier — sites, buildings, floors and units — and their floor area,
//! which is history: every change is dated, and the area of anything can be asked for any date.

use crate::validation::{self, FieldErrors, Problem};
use crate::{Area, CarrierId, Money};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub mod import;

coded_enum! {
    /// What a unit is.
    pub enum UnitKind {
        /// 独立办公室
        PrivateOffice = "private_office",
        /// 开放工位区
        OpenWorkstations = "open_workstations",
        /// 实验室/车间
        LabWorkshop = "lab_workshop",
        /// 会议室
        MeetingRoom = "meeting_room",
        /// 公共服务区
        PublicService = "public_service",
        /// 运营方办公
        OperatorOffice = "operator_office",
        Other = "other",
    }
}

coded_enum! {
    /// Who the area serves, as national statistics split it.
    pub enum UseCategory {
        /// 在孵企业使用
        Tenant = "tenant",
        /// 公共服务
        PublicService = "public_service",
        /// 运营方自用
        Operator = "operator",
        Other = "other",
    }
}

coded_enum! {
    /// What a list rent is quoted per.
    pub enum RentBasis {
        /// 元/平方米/月
        PerSquareMetre = "per_m2",
        /// 元/工位/月
        PerDesk = "per_desk",
    }
}

coded_enum! {
    /// What a dated change did to a unit.
    pub enum ChangeKind {
        Added = "added",
        Resized = "resized",
        Recategorised = "recategorised",
        Edited = "edited",
        OutOfService = "out_of_service",
        BackInService = "back_in_service",
        Removed = "removed",
    }
}

coded_enum! {
    /// Whether a unit can be let on a given day.
    pub enum Availability {
        InService = "in_service",
        OutOfService = "out_of_service",
        Removed = "removed",
    }
}

coded_enum! {
    /// A unit's status on the floor view.
    pub enum UnitStatus {
        Vacant = "vacant",
        Leased = "leased",
        Reserved = "reserved",
        OutOfService = "out_of_service",
    }
}

/// A list rent and what it is quoted per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListRent {
    pub amount: Money,
    pub basis: RentBasis,
}

/// What a unit is, on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitSpec {
    pub kind: UnitKind,
    /// 建筑面积
    pub gross: Area,
    /// 使用/计租面积; never more than the gross area.
    pub usable: Area,
    pub category: UseCategory,
    /// Desk capacity, where the unit has desks.
    pub desks: Option<u32>,
    pub rent: Option<ListRent>,
}

/// The unit form as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UnitForm {
    pub code: String,
    pub kind: String,
    pub gross_area: String,
    pub usable_area: String,
    pub use_category: String,
    pub desks: String,
    pub list_rent: String,
    pub rent_basis: String,
}

/// Field names of the space forms.
pub mod field {
    pub const CODE: &str = "code";
    pub const KIND: &str = "kind";
    pub const GROSS: &str = "gross_area";
    pub const USABLE: &str = "usable_area";
    pub const CATEGORY: &str = "use_category";
    pub const DESKS: &str = "desks";
    pub const RENT: &str = "list_rent";
    pub const BASIS: &str = "rent_basis";
    pub const NAME: &str = "name";
    pub const ADDRESS: &str = "address";
    pub const LABEL: &str = "label";
    pub const EFFECTIVE: &str = "effective_on";
    pub const REASON: &str = "reason";
    pub const ACTION: &str = "action";
}

/// A unit's full name as people say it: building, floor and code (`A座 3F·304`). Parts that are
/// empty are left out.
pub fn unit_name(building: &str, floor: &str, code: &str) -> String {
    let place = [building.trim(), floor.trim()].into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ");
    if place.is_empty() { code.to_owned() } else { format!("{place}·{code}") }
}

/// A unit code: letters, digits, `-`, `_`, `.`, and CJK characters; 1–20 characters.
pub fn unit_code(raw: &str) -> Result<String, Problem> {
    let code = validation::text(raw, 1, 20)?;
    if code.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        Ok(code)
    } else {
        Err(Problem::InvalidCode)
    }
}

/// A strictly positive area with at most two decimals.
pub fn area(raw: &str) -> Result<Area, Problem> {
    match Area::parse(raw) {
        Ok(area) if area > Area::ZERO => Ok(area),
        Ok(_) => Err(Problem::NotPositive),
        Err(error) => Err(error.into()),
    }
}

/// An amount of money (yuan) that is not negative, with at most two decimals.
pub fn money(raw: &str) -> Result<Money, Problem> {
    match Money::parse(raw) {
        Ok(amount) if amount >= Money::ZERO => Ok(amount),
        Ok(_) => Err(Problem::NotPositive),
        Err(error) => Err(error.into()),
    }
}

impl UnitForm {
    /// Validates the unit's code and specification, reporting every problem at once.
    pub fn parse(&self) -> Result<(String, UnitSpec), FieldErrors> {
        let mut errors = FieldErrors::new();
        let code = errors.check(field::CODE, unit_code(&self.code));
        let spec = self.parse_spec_into(&mut errors);
        match (code, spec) {
            (Some(code), Some(spec)) if errors.is_empty() => Ok((code, spec)),
            _ => Err(errors),
        }
    }

    /// Validates the specification alone (the code of an existing unit does not change).
    pub fn parse_spec(&self) -> Result<UnitSpec, FieldErrors> {
        let mut errors = FieldErrors::new();
        match self.parse_spec_into(&mut errors) {
            Some(spec) if errors.is_empty() => Ok(spec),
            _ => Err(errors),
        }
    }

    fn parse_spec_into(&self, errors: &mut FieldErrors) -> Option<UnitSpec> {
        let kind = errors.check(field::KIND, validation::choice(&self.kind, UnitKind::from_code));
        let gross = errors.check(field::GROSS, area(&self.gross_area));
        let usable = errors.check(field::USABLE, area(&self.usable_area));
        if let (Some(gross), Some(usable)) = (gross, usable)
            && usable > gross
        {
            errors.add(field::USABLE, Problem::UsableExceedsGross);
        }
        let category = errors.check(field::CATEGORY, validation::choice(&self.use_category, UseCategory::from_code));
        let desks = errors.check(
            field::DESKS,
            match self.desks.trim() {
                "" if kind == Some(UnitKind::OpenWorkstations) => Err(Problem::Required),
                "" => Ok(None),
                raw => match raw.parse::<u32>() {
                    Ok(0) => Err(Problem::NotPositive),
                    Ok(n) if n > 10_000 => Err(Problem::TooLarge),
                    Ok(n) => Ok(Some(n)),
                    Err(_) => Err(Problem::NotANumber),
                },
            },
        );
        let rent = errors.check(
            field::RENT,
            if self.list_rent.trim().is_empty() { Ok(None) } else { money(&self.list_rent).map(Some) },
        );
        let basis = errors.check(
            field::BASIS,
            match (rent, self.rent_basis.trim()) {
                (Some(Some(_)), "") => Err(Problem::Required),
                (_, "") => Ok(None),
                (_, code) => RentBasis::from_code(code).map(Some).ok_or(Problem::NotAChoice),
            },
        );
        if basis == Some(Some(RentBasis::PerDesk)) && desks == Some(None) {
            errors.add(field::BASIS, Problem::PerDeskWithoutDesks);
        }
        Some(UnitSpec {
            kind: kind?,
            gross: gross?,
            usable: usable?,
            category: category?,
            desks: desks?,
            rent: match (rent?, basis?) {
                (Some(amount), Some(basis)) => Some(ListRent { amount, basis }),
                _ => None,
            },
        })
    }
}

impl From<(&str, &UnitSpec)> for UnitForm {
    /// The form pre-filled with a unit's current data.
    fn from((code, spec): (&str, &UnitSpec)) -> Self {
        UnitForm {
            code: code.to_owned(),
            kind: spec.kind.code().to_owned(),
            gross_area: spec.gross.to_string(),
            usable_area: spec.usable.to_string(),
            use_category: spec.category.code().to_owned(),
            desks: spec.desks.map(|d| d.to_string()).unwrap_or_default(),
            list_rent: spec.rent.map(|r| r.amount.to_string()).unwrap_or_default(),
            rent_basis: spec.rent.map(|r| r.basis.code().to_owned()).unwrap_or_default(),
        }
    }
}

coded_enum! {
    /// What a change form asks for.
    pub enum ChangeAction {
        /// New dimensions, category, desks or rent (resize, re-categorise, edit).
        Update = "update",
        OutOfService = "out_of_service",
        BackInService = "back_in_service",
        Remove = "remove",
    }
}

/// A dated change to an existing unit, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChangeForm {
    pub action: String,
    pub effective_on: String,
    pub reason: String,
    /// The unit's new specification (for `update`).
    pub unit: UnitForm,
}

/// A checked change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub action: ChangeAction,
    pub effective_on: NaiveDate,
    pub reason: String,
    pub spec: Option<UnitSpec>,
}

/// The date a change takes effect: not in the future, not before accreditation began.
pub fn effective_date(raw: &str, today: NaiveDate) -> Result<NaiveDate, Problem> {
    let date = validation::date(raw)?;
    let earliest = NaiveDate::from_ymd_opt(1987, 1, 1).unwrap_or(NaiveDate::MIN);
    if date > today {
        Err(Problem::DateInFuture)
    } else if date < earliest {
        Err(Problem::DateTooEarly { min: earliest.format("%Y-%m-%d").to_string() })
    } else {
        Ok(date)
    }
}

impl ChangeForm {
    pub fn parse(&self, today: NaiveDate) -> Result<Change, FieldErrors> {
        let mut errors = FieldErrors::new();
        let action = errors.check(field::ACTION, validation::choice(&self.action, ChangeAction::from_code));
        let effective_on = errors.check(field::EFFECTIVE, effective_date(&self.effective_on, today));
        let reason = errors.check(field::REASON, validation::text(&self.reason, 2, 200));
        let spec = match action {
            Some(ChangeAction::Update) => match self.unit.parse_spec() {
                Ok(spec) => Some(Some(spec)),
                Err(unit_errors) => {
                    for e in unit_errors.iter() {
                        errors.add(&e.field, e.problem.clone());
                    }
                    None
                }
            },
            _ => Some(None),
        };
        match (action, effective_on, reason, spec) {
            (Some(action), Some(effective_on), Some(reason), Some(spec)) if errors.is_empty() => {
                Ok(Change { action, effective_on, reason, spec })
            }
            _ => Err(errors),
        }
    }
}

/// A list rent as a monthly amount for a unit of `usable` area and `desks` desks: per m², the
/// rent times the area, rounded half up to the fen; per desk, the rent times the desks.
pub fn monthly_list_rent(rent: Option<ListRent>, usable: Area, desks: Option<u32>) -> Money {
    match rent {
        None => Money::ZERO,
        Some(ListRent { amount, basis: RentBasis::PerSquareMetre }) => {
            // fen × hundredths of m² = hundredths of fen.
            let hundredths_of_fen = i128::from(amount.fen()) * i128::from(usable.hundredths());
            Money::from_fen(i64::try_from((hundredths_of_fen + 50).div_euclid(100)).unwrap_or(i64::MAX))
        }
        Some(ListRent { amount, basis: RentBasis::PerDesk }) => {
            Money::from_fen(amount.fen() * i64::from(desks.unwrap_or(0)))
        }
    }
}

/// What one unit adds to the totals on a day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaTotals {
    /// Gross area in service, by use category (in `UseCategory::ALL` order).
    pub gross: [Area; 4],
    /// Usable area in service, by use category.
    pub usable: [Area; 4],
    /// Area out of service (not counted above).
    pub out_of_service_gross: Area,
    pub out_of_service_usable: Area,
    /// Desks in service.
    pub desks: i64,
    /// Units in service.
    pub units: i64,
    /// Monthly list rent of the units in service.
    pub list_rent: Money,
}

impl AreaTotals {
    /// The contribution of one unit in `spec` and `availability`.
    pub fn of_unit(spec: &UnitSpec, availability: Availability) -> Self {
        let mut totals = AreaTotals::default();
        match availability {
            Availability::InService => {
                let i = category_index(spec.category);
                totals.gross[i] = spec.gross;
                totals.usable[i] = spec.usable;
                totals.desks = i64::from(spec.desks.unwrap_or(0));
                totals.units = 1;
                totals.list_rent = monthly_list_rent(spec.rent, spec.usable, spec.desks);
            }
            Availability::OutOfService => {
                totals.out_of_service_gross = spec.gross;
                totals.out_of_service_usable = spec.usable;
            }
            Availability::Removed => {}
        }
        totals
    }

    /// Total gross area in service: the incubation area that counts.
    pub fn total_gross(&self) -> Area {
        self.gross.iter().copied().sum()
    }

    pub fn total_usable(&self) -> Area {
        self.usable.iter().copied().sum()
    }

    pub fn gross_of(&self, category: UseCategory) -> Area {
        self.gross[category_index(category)]
    }

    pub fn usable_of(&self, category: UseCategory) -> Area {
        self.usable[category_index(category)]
    }

    /// Gross area used by tenants, public services included (the accreditation's numerator).
    pub fn tenant_use_gross(&self) -> Area {
        self.gross_of(UseCategory::Tenant) + self.gross_of(UseCategory::PublicService)
    }

    /// The tenant-use share in hundredths of a percent (7643 = 76.43 %), rounded down, so that
    /// a displayed 75.00 % never overstates a share just below it. `None` without any area.
    pub fn tenant_share_basis_points(&self) -> Option<i64> {
        crate::hundredths::basis_points(self.tenant_use_gross().hundredths(), self.total_gross().hundredths())
    }

    /// Whether tenant use (with public services) is at least 75 % of the area — compared
    /// exactly, in integers.
    pub fn meets_tenant_share(&self) -> bool {
        let total = i128::from(self.total_gross().hundredths());
        total > 0 && i128::from(self.tenant_use_gross().hundredths()) * 100 >= total * 75
    }
}

impl std::ops::Add for AreaTotals {
    type Output = AreaTotals;
    fn add(self, rhs: AreaTotals) -> AreaTotals {
        let mut out = self;
        for i in 0..4 {
            out.gross[i] = out.gross[i] + rhs.gross[i];
            out.usable[i] = out.usable[i] + rhs.usable[i];
        }
        out.out_of_service_gross = out.out_of_service_gross + rhs.out_of_service_gross;
        out.out_of_service_usable = out.out_of_service_usable + rhs.out_of_service_usable;
        out.desks += rhs.desks;
        out.units += rhs.units;
        out.list_rent = out.list_rent + rhs.list_rent;
        out
    }
}

impl std::ops::Sub for AreaTotals {
    type Output = AreaTotals;
    fn sub(self, rhs: AreaTotals) -> AreaTotals {
        let mut out = self;
        for i in 0..4 {
            out.gross[i] = out.gross[i] - rhs.gross[i];
            out.usable[i] = out.usable[i] - rhs.usable[i];
        }
        out.out_of_service_gross = out.out_of_service_gross - rhs.out_of_service_gross;
        out.out_of_service_usable = out.out_of_service_usable - rhs.out_of_service_usable;
        out.desks -= rhs.desks;
        out.units -= rhs.units;
        out.list_rent = out.list_rent - rhs.list_rent;
        out
    }
}

impl std::iter::Sum for AreaTotals {
    fn sum<I: Iterator<Item = AreaTotals>>(iter: I) -> AreaTotals {
        iter.fold(AreaTotals::default(), |a, b| a + b)
    }
}

/// The position of a category in `UseCategory::ALL` and in the totals' arrays.
pub fn category_index(category: UseCategory) -> usize {
    match category {
        UseCategory::Tenant => 0,
        UseCategory::PublicService => 1,
        UseCategory::Operator => 2,
        UseCategory::Other => 3,
    }
}

/// The storey a floor label names, for ordering: `B2` → -2, `3F`, `3`, `3层` → 3, else 0.
pub fn floor_level(label: &str) -> i32 {
    let label = label.trim().to_uppercase();
    let (negative, rest) = match label.strip_prefix('B').or_else(|| label.strip_prefix("地下")) {
        Some(rest) => (true, rest),
        None => (false, label.as_str()),
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    match digits.parse::<i32>() {
        Ok(n) if negative => -n,
        Ok(n) => n,
        Err(_) => 0,
    }
}

/// A site, building or floor being created: its name and, for sites, the address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlaceForm {
    pub name: String,
    pub address: String,
}

/// A unit as the carrier's pages list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitView {
    pub id: i64,
    pub code: String,
    pub spec: UnitSpec,
    pub availability: Availability,
    pub status: UnitStatus,
    /// The tenant holding (or holding next) the unit on the day, with its lease.
    pub tenant: Option<Occupant>,
}

/// Who holds a unit: the lease and its startup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occupant {
    pub lease: i64,
    pub startup: crate::StartupId,
    pub name: String,
}

/// A floor with its units, for the floor view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FloorView {
    pub id: i64,
    pub carrier: CarrierId,
    pub carrier_name: String,
    pub site: String,
    pub building: String,
    pub label: String,
    pub on: NaiveDate,
    pub units: Vec<UnitView>,
    pub totals: AreaTotals,
    /// Whether the viewer may change the spaces.
    pub can_edit: bool,
}

/// The tree of a carrier's spaces, with the totals of each floor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteTree {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub buildings: Vec<BuildingTree>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildingTree {
    pub id: i64,
    pub name: String,
    pub floors: Vec<FloorSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FloorSummary {
    pub id: i64,
    pub label: String,
    pub units: i64,
    pub gross: Area,
}

/// One dated change, for the history list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeEntry {
    pub unit: String,
    pub floor: String,
    pub kind: ChangeKind,
    pub effective_on: NaiveDate,
    pub reason: String,
    pub author: String,
    pub recorded_at: DateTime<Utc>,
    pub gross_before: Area,
    pub gross_after: Area,
}

/// Everything the carrier's area page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaReport {
    pub carrier: CarrierId,
    pub carrier_name: String,
    pub on: NaiveDate,
    pub totals: AreaTotals,
    pub sites: Vec<SiteTree>,
    /// Month-end total gross area in service, oldest first.
    pub series: Vec<(NaiveDate, Area)>,
    pub history: Vec<ChangeEntry>,
    pub can_edit: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_is_named_with_its_building_and_floor() {
        // Issue 15: "Units are named with their building in every list and log (`A座 3F·304`)".
        assert_eq!(unit_name("A座", "3F", "304"), "A座 3F·304");
        assert_eq!(unit_name("", "3F", "304"), "3F·304");
        assert_eq!(unit_name(" ", "", "304"), "304");
    }

    pub(super) fn form() -> UnitForm {
        UnitForm {
            code: "A-301".into(),
            kind: "open_workstations".into(),
            gross_area: "120.50".into(),
            usable_area: "96.4".into(),
            use_category: "tenant".into(),
            desks: "24".into(),
            list_rent: "380".into(),
            rent_basis: "per_desk".into(),
        }
    }

    #[test]
    fn a_complete_unit_form_parses_exactly() {
        let (code, spec) = form().parse().unwrap();
        assert_eq!(code, "A-301");
        assert_eq!(spec.gross, Area::from_hundredths(12_050));
        assert_eq!(spec.usable, Area::from_hundredths(9_640));
        assert_eq!(spec.desks, Some(24));
        assert_eq!(spec.rent, Some(ListRent { amount: Money::from_yuan(380), basis: RentBasis::PerDesk }));
    }

    #[test]
    fn usable_area_cannot_exceed_gross_area() {
        let mut f = form();
        f.usable_area = "120.51".into();
        assert_eq!(f.parse().unwrap_err().for_field(field::USABLE).next(), Some(&Problem::UsableExceedsGross));
    }

    #[test]
    fn workstation_areas_need_desks_and_per_desk_rent_needs_desks() {
        let mut f = form();
        f.desks = String::new();
        let errors = f.parse().unwrap_err();
        assert_eq!(errors.for_field(field::DESKS).next(), Some(&Problem::Required));
        f.kind = "private_office".into();
        assert_eq!(f.parse().unwrap_err().for_field(field::BASIS).next(), Some(&Problem::PerDeskWithoutDesks));
    }

    #[test]
    fn areas_need_a_positive_value_with_two_decimals_at_most() {
        let mut f = form();
        f.gross_area = "0".into();
        f.usable_area = "12.345".into();
        let errors = f.parse().unwrap_err();
        assert_eq!(errors.for_field(field::GROSS).next(), Some(&Problem::NotPositive));
        assert_eq!(errors.for_field(field::USABLE).next(), Some(&Problem::TooManyDecimals));
    }

    #[test]
    fn a_rent_needs_its_basis() {
        let mut f = form();
        f.rent_basis = String::new();
        assert_eq!(f.parse().unwrap_err().for_field(field::BASIS).next(), Some(&Problem::Required));
        f.list_rent = String::new();
        assert_eq!(f.parse().unwrap().1.rent, None, "no rent, no basis needed");
    }

    #[test]
    fn the_tenant_share_is_compared_with_75_percent_exactly() {
        let spec = |category, m2| UnitSpec {
            kind: UnitKind::Other,
            gross: Area::from_square_metres(m2),
            usable: Area::from_square_metres(m2),
            category,
            desks: None,
            rent: None,
        };
        let exactly = AreaTotals::of_unit(&spec(UseCategory::Tenant, 60), Availability::InService)
            + AreaTotals::of_unit(&spec(UseCategory::PublicService, 15), Availability::InService)
            + AreaTotals::of_unit(&spec(UseCategory::Operator, 25), Availability::InService);
        assert!(exactly.meets_tenant_share());
        assert_eq!(exactly.tenant_share_basis_points(), Some(7500));
        let just_below = exactly
            + AreaTotals::of_unit(
                &UnitSpec {
                    gross: Area::from_hundredths(1),
                    usable: Area::from_hundredths(1),
                    ..spec(UseCategory::Other, 0)
                },
                Availability::InService,
            );
        assert!(!just_below.meets_tenant_share());
        assert_eq!(just_below.tenant_share_basis_points(), Some(7499), "rounded down, never up");
        assert_eq!(AreaTotals::default().tenant_share_basis_points(), None);
    }

    #[test]
    fn out_of_service_area_is_kept_apart_and_removed_area_is_gone() {
        let spec = UnitSpec {
            kind: UnitKind::PrivateOffice,
            gross: Area::from_square_metres(50),
            usable: Area::from_square_metres(40),
            category: UseCategory::Tenant,
            desks: Some(6),
            rent: None,
        };
        let out = AreaTotals::of_unit(&spec, Availability::OutOfService);
        assert_eq!(out.total_gross(), Area::ZERO);
        assert_eq!(out.out_of_service_gross, Area::from_square_metres(50));
        assert_eq!(AreaTotals::of_unit(&spec, Availability::Removed), AreaTotals::default());
        let inside = AreaTotals::of_unit(&spec, Availability::InService);
        assert_eq!((inside - inside), AreaTotals::default());
    }

    #[test]
    fn a_monthly_list_rent_is_exact_to_the_fen() {
        let per_m2 = Some(ListRent { amount: Money::parse("45.33").unwrap(), basis: RentBasis::PerSquareMetre });
        // 45.33 × 10.01 = 453.7533 → 453.75
        assert_eq!(monthly_list_rent(per_m2, Area::parse("10.01").unwrap(), None), Money::parse("453.75").unwrap());
        // 0.05 × 10.10 = 0.505 → 0.51 (half up)
        let cheap = Some(ListRent { amount: Money::parse("0.05").unwrap(), basis: RentBasis::PerSquareMetre });
        assert_eq!(monthly_list_rent(cheap, Area::parse("10.10").unwrap(), None), Money::parse("0.51").unwrap());
        let per_desk = Some(ListRent { amount: Money::from_yuan(380), basis: RentBasis::PerDesk });
        assert_eq!(monthly_list_rent(per_desk, Area::ZERO, Some(24)), Money::from_yuan(9120));
        assert_eq!(monthly_list_rent(None, Area::parse("10").unwrap(), None), Money::ZERO);
    }

    #[test]
    fn floor_labels_order_basements_below_ground() {
        assert_eq!(floor_level("B2"), -2);
        assert_eq!(floor_level("3F"), 3);
        assert_eq!(floor_level("12层"), 12);
        assert_eq!(floor_level("地下1"), -1);
        assert_eq!(floor_level("夹层"), 0);
    }
}
