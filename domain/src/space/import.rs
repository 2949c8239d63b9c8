//! The spreadsheet round trip of a carrier's units: the columns, a row read into a record with
//! every bad cell reported by its column, and the report of an import.

use super::{UnitForm, UnitSpec, field, unit_code};
use crate::CarrierId;
use crate::validation::{self, Problem};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The columns of a unit import or export file, in order. Exported files re-import unchanged.
pub const UNIT_COLUMNS: [&str; 12] = [
    "site",
    "building",
    "floor",
    "unit",
    "kind",
    "gross_area_m2",
    "usable_area_m2",
    "use",
    "desks",
    "list_rent_yuan",
    "rent_basis",
    "status",
];

/// One row of a unit file: where the unit is, and what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRecord {
    pub site: String,
    pub building: String,
    pub floor: String,
    pub code: String,
    pub spec: UnitSpec,
    pub in_service: bool,
}

/// A problem in an imported file: the row (1-based, the header being row 1), the column, what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    pub row: usize,
    pub column: String,
    pub problem: Problem,
}

impl UnitRecord {
    /// Reads one data row (cells in `UNIT_COLUMNS` order); `row` numbers the problems.
    pub fn parse(row: usize, cells: &[String]) -> Result<UnitRecord, Vec<ImportProblem>> {
        let cell = |i: usize| cells.get(i).map(String::as_str).unwrap_or_default();
        let mut problems = Vec::new();
        let mut check = |column: &str, result: Result<String, Problem>| match result {
            Ok(value) => Some(value),
            Err(problem) => {
                problems.push(ImportProblem { row, column: column.to_owned(), problem });
                None
            }
        };
        let site = check("site", validation::text(cell(0), 1, 100));
        let building = check("building", validation::text(cell(1), 1, 100));
        let floor = check("floor", validation::text(cell(2), 1, 20));
        let code = check("unit", unit_code(cell(3)));
        let in_service = match cell(11).trim() {
            "" | "in_service" => Some(true),
            "out_of_service" => Some(false),
            _ => {
                problems.push(ImportProblem { row, column: "status".into(), problem: Problem::NotAChoice });
                None
            }
        };
        let form = UnitForm {
            code: String::new(),
            kind: cell(4).to_owned(),
            gross_area: cell(5).to_owned(),
            usable_area: cell(6).to_owned(),
            use_category: cell(7).to_owned(),
            desks: cell(8).to_owned(),
            list_rent: cell(9).to_owned(),
            rent_basis: cell(10).to_owned(),
        };
        let spec = match form.parse_spec() {
            Ok(spec) => Some(spec),
            Err(errors) => {
                for e in errors.iter() {
                    problems.push(ImportProblem {
                        row,
                        column: column_of(&e.field).to_owned(),
                        problem: e.problem.clone(),
                    });
                }
                None
            }
        };
        match (site, building, floor, code, spec, in_service) {
            (Some(site), Some(building), Some(floor), Some(code), Some(spec), Some(in_service))
                if problems.is_empty() =>
            {
                Ok(UnitRecord { site, building, floor, code, spec, in_service })
            }
            _ => Err(problems),
        }
    }

    /// The record as cells in `UNIT_COLUMNS` order.
    pub fn cells(&self) -> Vec<String> {
        let form = UnitForm::from((self.code.as_str(), &self.spec));
        vec![
            self.site.clone(),
            self.building.clone(),
            self.floor.clone(),
            self.code.clone(),
            form.kind,
            form.gross_area,
            form.usable_area,
            form.use_category,
            form.desks,
            form.list_rent,
            form.rent_basis,
            if self.in_service { "in_service" } else { "out_of_service" }.to_owned(),
        ]
    }
}

/// Checks the header row of a unit file: the columns of `UNIT_COLUMNS`, in order (letter case,
/// spaces and a byte-order mark aside).
pub fn check_header(header: &[String]) -> Vec<ImportProblem> {
    UNIT_COLUMNS
        .iter()
        .enumerate()
        .filter(|(i, expected)| {
            let found =
                header.get(*i).map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase()).unwrap_or_default();
            found != **expected
        })
        .map(|(i, expected)| ImportProblem {
            row: 1,
            column: header.get(i).cloned().unwrap_or_default(),
            problem: Problem::UnexpectedColumn { expected: (*expected).to_owned() },
        })
        .collect()
}

/// The file column of a unit-form field.
fn column_of(field: &str) -> &'static str {
    match field {
        field::KIND => "kind",
        field::GROSS => "gross_area_m2",
        field::USABLE => "usable_area_m2",
        field::CATEGORY => "use",
        field::DESKS => "desks",
        field::RENT => "list_rent_yuan",
        field::BASIS => "rent_basis",
        _ => "unit",
    }
}

/// The most data rows one import file may hold; the import page says so.
pub const MAX_IMPORT_ROWS: usize = 20_000;

/// The most problems an import report lists; the rest are counted.
pub const MAX_REPORTED_PROBLEMS: usize = 200;

/// The outcome of an import, kept with the import for whoever looks at it later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub id: i64,
    pub carrier: CarrierId,
    pub file_name: String,
    pub rows: usize,
    /// The first [`MAX_REPORTED_PROBLEMS`] problems, by row.
    pub problems: Vec<ImportProblem>,
    /// How many problems were found in all.
    #[serde(default)]
    pub problem_total: usize,
    /// Units added, changed and left as they were (all zero when there were problems).
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub effective_on: NaiveDate,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::space::tests::form;

    #[test]
    fn a_file_row_reports_each_bad_cell_with_its_column() {
        let cells: Vec<String> =
            ["一号园区", "A座", "3F", "A 301", "office", "-5", "10", "tenant", "", "", "", "maybe"]
                .map(String::from)
                .to_vec();
        let problems = UnitRecord::parse(7, &cells).unwrap_err();
        let columns: Vec<&str> = problems.iter().map(|p| p.column.as_str()).collect();
        assert_eq!(columns, ["unit", "status", "kind", "gross_area_m2"]);
        assert!(problems.iter().all(|p| p.row == 7));
    }

    #[test]
    fn a_header_must_name_the_columns_in_order() {
        let good: Vec<String> = UNIT_COLUMNS.iter().map(|c| c.to_uppercase()).collect();
        assert!(check_header(&good).is_empty());
        let mut bad = good.clone();
        bad.swap(5, 6);
        let problems = check_header(&bad);
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].problem, Problem::UnexpectedColumn { expected: "gross_area_m2".into() });
    }

    #[test]
    fn a_record_written_as_cells_reads_back_the_same() {
        let (code, spec) = form().parse().unwrap();
        let record = UnitRecord {
            site: "一号园区".into(),
            building: "A座".into(),
            floor: "3F".into(),
            code,
            spec,
            in_service: false,
        };
        assert_eq!(UnitRecord::parse(2, &record.cells()), Ok(record));
    }
}
