//! The bureau's dashboard: area against the targets, every figure broken down by district,
//! carrier kind, accreditation level and operating model, trends, occupancy and the shareholder
//! side. Every total here is a sum of the per-carrier figures in [`DashboardView::carriers`], so
//! the dashboard reconciles with the carriers' own pages by construction, and every table on the
//! screen is the same [`Table`] its CSV and XLSX exports are written from.

use crate::carrier::{CarrierKind, Level, OperatingModel};
use crate::equity::ledger::CityPortfolio;
use crate::target::{Outcome, Progress, Projection, Target};
use crate::tenancy::startup::GraduationCriterion;
use crate::{Area, CarrierId, DistrictId, Lang, Messages, Text, format};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// How many month ends the area trend covers.
pub const TREND_MONTHS: u32 = 24;
/// How many quarters the net additions and the tenant flows cover.
pub const TREND_QUARTERS: u32 = 8;

/// The change from `before` to `now`: the area added (negative when it shrank), and that change
/// in basis points of `before`, rounded toward zero (`None` when `before` is no area).
pub fn change_over(before: Area, now: Area) -> (Area, Option<i64>) {
    let change = now.hundredths().saturating_sub(before.hundredths());
    (Area::from_hundredths(change), crate::hundredths::basis_points(change, before.hundredths()))
}

/// One carrier's figures on the dashboard's day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarrierFigures {
    pub id: CarrierId,
    pub name: String,
    pub district: DistrictId,
    pub district_zh: String,
    pub district_en: String,
    pub kind: CarrierKind,
    pub level: Level,
    pub model: OperatingModel,
    pub totals: Totals,
}

/// Figures that add up: one carrier's, or a group's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub carriers: u64,
    /// Gross area in service: the area that counts towards the targets.
    pub gross: Area,
    /// Usable area in service.
    pub usable: Area,
    /// Usable area leased on the day (of units in service).
    pub leased: Area,
    pub desks: i64,
    /// Tenants in incubation.
    pub tenants: u64,
    /// Tenants graduated up to the day.
    pub graduates: u64,
}

impl std::ops::Add for Totals {
    type Output = Totals;
    fn add(self, o: Totals) -> Totals {
        Totals {
            carriers: self.carriers + o.carriers,
            gross: self.gross + o.gross,
            usable: self.usable + o.usable,
            leased: self.leased + o.leased,
            desks: self.desks + o.desks,
            tenants: self.tenants + o.tenants,
            graduates: self.graduates + o.graduates,
        }
    }
}

impl std::iter::Sum for Totals {
    fn sum<I: Iterator<Item = Totals>>(iter: I) -> Totals {
        iter.fold(Totals::default(), |a, b| a + b)
    }
}

impl Totals {
    /// Leased share of the usable area, in basis points (rounded down).
    pub fn occupancy_bp(&self) -> Option<i64> {
        crate::hundredths::basis_points(self.leased.hundredths(), self.usable.hundredths())
    }
}

/// A stored target, with the district it is for (none: the city).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetRow {
    pub id: i64,
    pub name_zh: String,
    pub name_en: String,
    pub district: Option<(DistrictId, String, String)>,
    pub target: Target,
    /// The row's version: an edit says which one it began from.
    pub version: i32,
}

impl TargetRow {
    pub fn name(&self, lang: Lang) -> &str {
        if lang == Lang::En { &self.name_en } else { &self.name_zh }
    }

    /// The form that edits this target, filled with what it holds now.
    pub fn form(&self) -> TargetForm {
        TargetForm {
            name_zh: self.name_zh.clone(),
            name_en: self.name_en.clone(),
            district_id: self.district.as_ref().map(|d| d.0.0.to_string()).unwrap_or_default(),
            area: self.target.area.to_string(),
            base_date: self.target.base_date.to_string(),
            deadline: self.target.deadline.to_string(),
        }
    }
}

/// The target form: text as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TargetForm {
    pub name_zh: String,
    pub name_en: String,
    pub district_id: String,
    pub area: String,
    pub base_date: String,
    pub deadline: String,
}

/// A target and where its scope stands on the day; once its deadline has passed, how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetProgress {
    pub row: TargetRow,
    pub progress: Progress,
    /// Set when the deadline has passed on the day (the target is closed).
    pub outcome: Option<Outcome>,
}

impl TargetProgress {
    /// What the trend or the outcome says, as one line: reached, on time or late in a month,
    /// not at this trend, or (closed) reached on a day or not by the deadline.
    pub fn verdict(&self) -> Text {
        match (self.outcome, self.progress.projection) {
            (Some(Outcome { reached_on: Some(day), .. }), _) => {
                Text::key("target-closed-reached").arg("date", crate::format::date(day))
            }
            (Some(Outcome { reached_on: None, final_area }), _) => {
                Text::key("target-closed-missed").arg("area", crate::format::area(final_area))
            }
            (None, Projection::Reached) => Text::key("target-reached"),
            (None, Projection::OnTime(day)) => Text::key("target-on-time").arg("month", crate::format::month(day)),
            (None, Projection::Late(day)) => Text::key("target-late").arg("month", crate::format::month(day)),
            (None, Projection::Never) => Text::key("target-never"),
        }
    }
}

/// A group of carriers: its label, the carrier-list link that shows the carriers behind it, and
/// its totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub label: Text,
    /// The carrier list filtered to this group (and the dashboard's district).
    pub href: String,
    pub totals: Totals,
}

/// Tenant movements in one period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flow {
    /// The quarter's last day.
    pub period: NaiveDate,
    pub admitted: u64,
    /// Graduations by criterion, in `GraduationCriterion::ALL` order; then those without one.
    pub graduated: [u64; 5],
    pub exited: u64,
}

/// Occupancy at one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OccupancyPoint {
    pub on: NaiveDate,
    pub usable: Area,
    pub leased: Area,
}

/// The dashboard for one day, for the city or one district.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardView {
    pub on: NaiveDate,
    pub district: Option<DistrictId>,
    /// Every district, for the filter: id, Chinese and English name.
    pub districts: Vec<(DistrictId, String, String)>,
    pub targets: Vec<TargetProgress>,
    /// The scope's totals: the sum of its carriers' figures. The carriers themselves are not
    /// part of the view, which would grow with the city: the carrier list pages them, and
    /// [`carriers_table`] is the download of them all.
    pub totals: Totals,
    pub by_district: Vec<Group>,
    pub by_kind: Vec<Group>,
    pub by_level: Vec<Group>,
    pub by_model: Vec<Group>,
    /// The scope's gross area twelve months before the day, the registry as it stood then.
    pub year_ago_gross: Area,
    /// Gross area at each month end, oldest first; the last point is the day itself.
    pub monthly: Vec<(NaiveDate, Area)>,
    /// The quarters' last days, oldest first.
    pub quarters: Vec<NaiveDate>,
    /// Net additions of gross area per quarter, per district (its name, one figure per quarter),
    /// and for the city when the view is the city's.
    pub quarterly: Vec<(Text, Vec<Area>)>,
    pub flows: Vec<Flow>,
    pub occupancy: Vec<OccupancyPoint>,
    pub portfolio: CityPortfolio,
}

impl DashboardView {
    /// The change of the scope's gross area over the twelve months to the day; see
    /// [`change_over`].
    pub fn year_on_year(&self) -> (Area, Option<i64>) {
        change_over(self.year_ago_gross, self.totals.gross)
    }

    /// The carrier-list query of the dashboard's scope and day, with `extra` filters.
    pub fn carriers_href(district: Option<DistrictId>, on: NaiveDate, extra: &str) -> String {
        let mut query: Vec<String> = district.map(|d| format!("district={}", d.0)).into_iter().collect();
        query.push(format!("on={on}"));
        if !extra.is_empty() {
            query.push(extra.to_owned());
        }
        format!("/carriers?{}", query.join("&"))
    }
}

/// The last day of the quarter `day` falls in.
pub fn quarter_end(day: NaiveDate) -> NaiveDate {
    let last_month = ((day.month() - 1) / 3 + 1) * 3;
    month_end(day.year(), last_month)
}

/// The first day of the quarter that ends on `end` (a quarter end).
pub fn quarter_start(end: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(end.year(), end.month().saturating_sub(2).max(1), 1).unwrap_or(end)
}

/// The last day of a month.
pub fn month_end(year: i32, month: u32) -> NaiveDate {
    let (y, m) = if month == 12 { (year.saturating_add(1), 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
}

/// The `count` quarter ends up to the quarter of `on`, oldest first (the last one may lie after
/// `on`).
pub fn quarter_ends(on: NaiveDate, count: u32) -> Vec<NaiveDate> {
    let mut ends = Vec::new();
    let mut end = quarter_end(on);
    for _ in 0..count {
        ends.push(end);
        let first = NaiveDate::from_ymd_opt(end.year(), end.month() - 2, 1).unwrap_or(end);
        end = first.pred_opt().unwrap_or(first);
    }
    ends.reverse();
    ends
}

/// A graduation criterion's short name, as the flows table heads its columns.
pub fn criterion_text(criterion: Option<GraduationCriterion>) -> Text {
    Text::key(match criterion {
        Some(GraduationCriterion::HighTechEnterprise) => "graduated-high-tech",
        Some(GraduationCriterion::Financing5m) => "graduated-financing",
        Some(GraduationCriterion::Revenue10mTwoYears) => "graduated-revenue",
        Some(GraduationCriterion::AcquiredOrListed) => "graduated-acquired",
        None => "graduated-none",
    })
}

// ---- tables -----------------------------------------------------------------------------------

coded_enum! {
    /// The dashboard's tables, each on the screen and as a CSV and XLSX download.
    pub enum TableKind {
        Targets = "targets",
        Districts = "districts",
        Kinds = "kinds",
        Levels = "levels",
        Models = "models",
        Carriers = "carriers",
        Monthly = "monthly",
        Quarterly = "quarterly",
        Flows = "flows",
        Occupancy = "occupancy",
    }
}

/// One cell: its plain value (as exported, and as tests compare), how the screen shows it, and
/// where it links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    pub plain: String,
    pub shown: String,
    pub href: Option<String>,
}

impl Cell {
    fn text(text: impl Into<String>) -> Cell {
        let text = text.into();
        Cell { plain: text.clone(), shown: text, href: None }
    }

    fn link(text: impl Into<String>, href: String) -> Cell {
        Cell { href: Some(href), ..Cell::text(text) }
    }

    /// In m² (the column header names the unit), grouped: `12,345.67`.
    fn area(area: Area) -> Cell {
        Cell { plain: area.to_string(), shown: format::two_decimals(area.hundredths()), href: None }
    }

    fn count(n: u64) -> Cell {
        let n = i64::try_from(n).unwrap_or(i64::MAX);
        Cell { plain: n.to_string(), shown: format::integer(n), href: None }
    }

    fn int(n: i64) -> Cell {
        Cell { plain: n.to_string(), shown: format::integer(n), href: None }
    }

    fn bp(bp: Option<i64>) -> Cell {
        Cell::text(crate::tenancy::lease::percent(bp))
    }

    fn with_href(self, href: String) -> Cell {
        Cell { href: Some(href), ..self }
    }
}

/// A table: its title, its column headers (and which hold numbers), and its rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub kind: TableKind,
    pub title: String,
    pub columns: Vec<String>,
    pub numeric: Vec<bool>,
    pub rows: Vec<Vec<Cell>>,
    /// Whether the last row is the totals row.
    #[serde(default)]
    pub totals: bool,
}

impl Table {
    /// The rows as plain text, as the exports hold them.
    pub fn plain_rows(&self) -> Vec<Vec<String>> {
        self.rows.iter().map(|r| r.iter().map(|c| c.plain.clone()).collect()).collect()
    }
}

/// A message rendered now.
fn l(m: &dyn Messages, key: &'static str) -> String {
    Text::key(key).render(m)
}

fn totals_columns(m: &dyn Messages) -> Vec<String> {
    vec![
        l(m, "table-col-carriers"),
        l(m, "table-col-gross"),
        l(m, "table-col-usable"),
        l(m, "table-col-leased"),
        l(m, "table-col-occupancy"),
        l(m, "table-col-desks"),
        l(m, "table-col-tenants"),
        l(m, "table-col-graduates"),
    ]
}

fn totals_cells(t: &Totals, href: &str) -> Vec<Cell> {
    vec![
        Cell::count(t.carriers).with_href(href.to_owned()),
        Cell::area(t.gross).with_href(href.to_owned()),
        Cell::area(t.usable),
        Cell::area(t.leased),
        Cell::bp(t.occupancy_bp()),
        Cell::int(t.desks),
        Cell::count(t.tenants),
        Cell::count(t.graduates),
    ]
}

impl DashboardView {
    /// The tables of the dashboard, in page order.
    pub fn tables(&self, m: &dyn Messages) -> Vec<Table> {
        TableKind::ALL.iter().filter_map(|k| self.table(*k, m)).collect()
    }

    /// One table, its titles and labels rendered by `m` (the reader's language); `None` for the
    /// carriers' table, which the view does not hold ([`carriers_table`]).
    pub fn table(&self, kind: TableKind, m: &dyn Messages) -> Option<Table> {
        let group_table = |title: String, first: String, groups: &[Group]| {
            let mut columns = vec![first];
            columns.extend(totals_columns(m));
            let mut rows: Vec<Vec<Cell>> = groups
                .iter()
                .map(|g| {
                    let mut row = vec![Cell::link(g.label.render(m), g.href.clone())];
                    row.extend(totals_cells(&g.totals, &g.href));
                    row
                })
                .collect();
            let all = Self::carriers_href(self.district, self.on, "");
            let mut total = vec![Cell::link(l(m, "table-total"), all.clone())];
            total.extend(totals_cells(&self.totals, &all));
            rows.push(total);
            (columns, rows, title)
        };
        let (columns, rows, title) = match kind {
            TableKind::Targets => {
                let columns = vec![
                    l(m, "table-col-target"),
                    l(m, "table-col-scope"),
                    l(m, "table-col-target-area"),
                    l(m, "table-col-base-date"),
                    l(m, "table-col-deadline"),
                    l(m, "table-col-area-now"),
                    l(m, "table-col-achieved"),
                    l(m, "table-col-missing"),
                    l(m, "table-col-months-left"),
                    l(m, "table-col-needed"),
                    l(m, "table-col-trend"),
                    l(m, "table-col-projected"),
                ];
                let rows = self
                    .targets
                    .iter()
                    .map(|t| {
                        let p = &t.progress;
                        let scope = match &t.row.district {
                            Some((_, zh, en)) => Text::Names(zh.clone(), en.clone()).render(m),
                            None => l(m, "table-city"),
                        };
                        vec![
                            Cell::text(t.row.name(m.lang())),
                            Cell::text(scope),
                            Cell::area(t.row.target.area),
                            Cell::text(t.row.target.base_date.to_string()),
                            Cell::text(t.row.target.deadline.to_string()),
                            Cell::area(p.current),
                            Cell::bp(Some(p.achieved_bp)),
                            Cell::area(p.missing),
                            Cell::int(i64::from(p.months_left)),
                            match p.required_monthly {
                                Some(a) => Cell::area(a),
                                None => Cell::text(l(m, "table-deadline-passed")),
                            },
                            Cell::area(p.trend_monthly),
                            Cell::text(t.verdict().render(m)),
                        ]
                    })
                    .collect();
                (columns, rows, l(m, "table-targets"))
            }
            TableKind::Districts => group_table(l(m, "table-districts"), l(m, "table-col-district"), &self.by_district),
            TableKind::Kinds => group_table(l(m, "table-kinds"), l(m, "table-col-kind"), &self.by_kind),
            TableKind::Levels => group_table(l(m, "table-levels"), l(m, "table-col-level"), &self.by_level),
            TableKind::Models => group_table(l(m, "table-models"), l(m, "table-col-model"), &self.by_model),
            TableKind::Carriers => return None,
            TableKind::Monthly => {
                let columns = vec![l(m, "table-col-month-end"), l(m, "table-col-gross")];
                let rows = self.monthly.iter().map(|(d, a)| vec![Cell::text(d.to_string()), Cell::area(*a)]).collect();
                (columns, rows, l(m, "table-monthly"))
            }
            TableKind::Quarterly => {
                let mut columns = vec![l(m, "table-col-district")];
                columns.extend(self.quarters.iter().map(|q| crate::format::quarter(*q).render(m)));
                let rows = self
                    .quarterly
                    .iter()
                    .map(|(name, adds)| {
                        let mut row = vec![Cell::text(name.render(m))];
                        row.extend(adds.iter().map(|a| Cell::area(*a)));
                        row
                    })
                    .collect();
                (columns, rows, l(m, "table-quarterly"))
            }
            TableKind::Flows => {
                let mut columns = vec![l(m, "table-col-quarter"), l(m, "table-col-admitted")];
                columns.extend(
                    GraduationCriterion::ALL
                        .iter()
                        .map(|c| Some(*c))
                        .chain([None])
                        .map(|c| Text::key("table-col-graduated-by").arg("criterion", criterion_text(c)).render(m)),
                );
                columns.push(l(m, "table-col-graduated"));
                columns.push(l(m, "table-col-exited"));
                let rows = self
                    .flows
                    .iter()
                    .map(|f| {
                        let mut row =
                            vec![Cell::text(crate::format::quarter(f.period).render(m)), Cell::count(f.admitted)];
                        row.extend(f.graduated.iter().map(|n| Cell::count(*n)));
                        row.push(Cell::count(f.graduated.iter().sum()));
                        row.push(Cell::count(f.exited));
                        row
                    })
                    .collect();
                (columns, rows, l(m, "table-flows"))
            }
            TableKind::Occupancy => {
                let columns = vec![
                    l(m, "table-col-day"),
                    l(m, "table-col-usable"),
                    l(m, "table-col-leased"),
                    l(m, "table-col-occupancy"),
                ];
                let rows = self
                    .occupancy
                    .iter()
                    .map(|o| {
                        let t = Totals { usable: o.usable, leased: o.leased, ..Totals::default() };
                        vec![
                            Cell::text(o.on.to_string()),
                            Cell::area(o.usable),
                            Cell::area(o.leased),
                            Cell::bp(t.occupancy_bp()),
                        ]
                    })
                    .collect();
                (columns, rows, l(m, "table-occupancy"))
            }
        };
        let numeric = match kind {
            TableKind::Targets => (0..columns.len()).map(|i| i >= 2 && i != 3 && i != 4 && i != 11).collect(),
            _ => (0..columns.len()).map(|i| i >= 1).collect(),
        };
        let totals = matches!(kind, TableKind::Districts | TableKind::Kinds | TableKind::Levels | TableKind::Models);
        Some(Table { kind, title, columns, numeric, rows, totals })
    }
}

/// The carriers' table: every carrier of a dashboard's scope with its figures (a download, as
/// long as the city is).
pub fn carriers_table(carriers: &[CarrierFigures], m: &dyn Messages) -> Table {
    let mut columns = vec![
        l(m, "table-col-carrier"),
        l(m, "table-col-district"),
        l(m, "table-col-kind"),
        l(m, "table-col-level"),
        l(m, "table-col-model"),
    ];
    columns.extend(totals_columns(m).into_iter().skip(1));
    let rows = carriers
        .iter()
        .map(|c| {
            let mut row = vec![
                Cell::link(c.name.clone(), format!("/carriers/{}", c.id.0)),
                Cell::text(Text::Names(c.district_zh.clone(), c.district_en.clone()).render(m)),
                Cell::text(c.kind.text().render(m)),
                Cell::text(c.level.text().render(m)),
                Cell::text(c.model.text().render(m)),
            ];
            let mut cells = totals_cells(&c.totals, &format!("/carriers/{}/spaces", c.id.0));
            cells.remove(0);
            row.extend(cells);
            row
        })
        .collect();
    let numeric = (0..columns.len()).map(|i| i >= 5).collect();
    Table { kind: TableKind::Carriers, title: l(m, "table-carriers"), columns, numeric, rows, totals: false }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn quarters_end_on_their_last_day_and_count_back() {
        assert_eq!(quarter_end(day(2026, 11, 28)), day(2026, 12, 31));
        assert_eq!(quarter_end(day(2026, 2, 1)), day(2026, 3, 31));
        assert_eq!(quarter_ends(day(2026, 5, 5), 3), vec![day(2025, 12, 31), day(2026, 3, 31), day(2026, 6, 30)]);
        assert_eq!(quarter_start(day(2026, 6, 30)), day(2026, 4, 1));
        assert_eq!(month_end(2024, 2), day(2024, 2, 29));
    }

    #[test]
    fn occupancy_is_the_leased_share_of_the_usable_area_rounded_down() {
        let t =
            Totals { usable: Area::from_square_metres(3), leased: Area::from_square_metres(2), ..Totals::default() };
        assert_eq!(t.occupancy_bp(), Some(6_666));
        assert_eq!(Totals::default().occupancy_bp(), None);
    }

    #[test]
    fn the_change_over_a_year_is_exact_and_signed() {
        let m2 = Area::from_square_metres;
        // 265,800 m² against 240,000 a year before: 25,800 more, 10.75 %.
        assert_eq!(change_over(m2(240_000), m2(265_800)), (m2(25_800), Some(1_075)));
        // Shrinking reads as a negative change; from nothing there is no percentage.
        assert_eq!(change_over(m2(120), m2(90)), (m2(-30), Some(-2_500)));
        assert_eq!(change_over(Area::ZERO, m2(500)), (m2(500), None));
    }

    #[test]
    fn links_keep_the_district_filter() {
        let on = day(2026, 1, 31);
        assert_eq!(DashboardView::carriers_href(None, on, ""), "/carriers?on=2026-01-31");
        assert_eq!(
            DashboardView::carriers_href(Some(DistrictId(3)), on, "kind=incubator"),
            "/carriers?district=3&on=2026-01-31&kind=incubator"
        );
    }
}
