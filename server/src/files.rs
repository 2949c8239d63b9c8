//! Reading and writing the tables of import and export files: CSV (UTF-8, with a byte-order mark
//! so that Excel opens Chinese text correctly) and XLSX. Every cell is text, so figures travel
//! exactly.

use crate::routes::failure;
use app::error::AppError;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::io::Cursor;

/// A file for the browser to save as `file_name`, never cached.
pub fn attachment(bytes: Vec<u8>, content_type: &str, file_name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_name}\"")),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

/// The formats a table downloads in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    Csv,
    Xlsx,
}

impl TableFormat {
    /// The format of a file name's extension (`csv` or `xlsx`), and the name without it.
    pub fn of_file(file: &str) -> Option<(&str, TableFormat)> {
        let (stem, ext) = file.rsplit_once('.')?;
        match ext {
            "csv" => Some((stem, TableFormat::Csv)),
            "xlsx" => Some((stem, TableFormat::Xlsx)),
            _ => None,
        }
    }
}

/// `header` and `rows` as a download named `stem.csv` or `stem.xlsx` (one sheet named `sheet`).
/// A file that cannot be written is logged and answered as an internal error.
pub fn table_download(format: TableFormat, sheet: &str, stem: &str, header: &[&str], rows: &[Vec<String>]) -> Response {
    let written = match format {
        TableFormat::Csv => csv_bytes(header, rows).map(|b| (b, "text/csv; charset=utf-8", "csv")),
        TableFormat::Xlsx => xlsx_bytes(sheet, header, rows)
            .map(|b| (b, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")),
    };
    match written {
        Ok((bytes, content_type, ext)) => attachment(bytes, content_type, &format!("{stem}.{ext}")),
        Err(cause) => {
            tracing::error!(error = cause, "writing an export failed");
            failure(AppError::Internal { reference: "export".to_owned() })
        }
    }
}

/// Why a file could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum FileError {
    /// Neither `.csv` nor `.xlsx`.
    UnsupportedType,
    Unreadable(String),
}

/// The rows of a CSV or XLSX file (the first sheet), header included, as text.
pub fn read_table(file_name: &str, bytes: &[u8]) -> Result<Vec<Vec<String>>, FileError> {
    let lower = file_name.to_lowercase();
    if lower.ends_with(".csv") || lower.ends_with(".txt") {
        read_csv(bytes)
    } else if lower.ends_with(".xlsx") {
        read_xlsx(bytes)
    } else {
        Err(FileError::UnsupportedType)
    }
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, FileError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| FileError::Unreadable("not UTF-8".into()))?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    reader
        .records()
        .map(|record| {
            record.map(|r| r.iter().map(str::to_owned).collect()).map_err(|e| FileError::Unreadable(e.to_string()))
        })
        .collect()
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, FileError> {
    use calamine::{Reader, Xlsx};
    let mut workbook: Xlsx<Cursor<&[u8]>> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| FileError::Unreadable(e.to_string()))?;
    let sheet = workbook.sheet_names().first().cloned().ok_or_else(|| FileError::Unreadable("no sheet".into()))?;
    let range = workbook.worksheet_range(&sheet).map_err(|e| FileError::Unreadable(e.to_string()))?;
    Ok(range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    calamine::Data::Empty => String::new(),
                    // Numbers typed into Excel print as their shortest exact decimal form.
                    other => other.to_string(),
                })
                .collect()
        })
        .collect())
}

/// A CSV file of `header` and `rows`.
pub fn csv_bytes(header: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, String> {
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(header).map_err(|e| e.to_string())?;
    for row in rows {
        writer.write_record(row).map_err(|e| e.to_string())?;
    }
    writer.into_inner().map_err(|e| e.to_string())
}

/// An XLSX workbook of one sheet: `header` in bold, then `rows`, every cell as text.
pub fn xlsx_bytes(sheet: &str, header: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(sheet).map_err(|e| e.to_string())?;
    let bold = Format::new().set_bold();
    for (column, name) in (0u16..).zip(header) {
        worksheet.write_string_with_format(0, column, *name, &bold).map_err(|e| e.to_string())?;
    }
    for (row, cells) in (1u32..).zip(rows) {
        for (column, cell) in (0u16..).zip(cells) {
            if !cell.is_empty() {
                worksheet.write_string(row, column, cell).map_err(|e| e.to_string())?;
            }
        }
    }
    workbook.save_to_buffer().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<Vec<String>> {
        vec![vec!["一号园区".into(), "80.55".into(), "".into()], vec!["含,逗号".into(), "1".into(), "x".into()]]
    }

    #[test]
    fn a_csv_written_reads_back_the_same_with_its_header() {
        let bytes = csv_bytes(&["site", "area", "note"], &rows()).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "Excel needs the byte-order mark for Chinese");
        let table = read_table("units.csv", &bytes).unwrap();
        assert_eq!(table[0], ["site", "area", "note"]);
        assert_eq!(&table[1..], rows().as_slice());
    }

    #[test]
    fn an_xlsx_written_reads_back_the_same_with_its_header() {
        let bytes = xlsx_bytes("units", &["site", "area", "note"], &rows()).unwrap();
        let table = read_table("UNITS.XLSX", &bytes).unwrap();
        assert_eq!(table[0], ["site", "area", "note"]);
        assert_eq!(&table[1..], rows().as_slice());
    }

    #[test]
    fn other_files_are_refused() {
        assert_eq!(read_table("units.pdf", b"%PDF"), Err(FileError::UnsupportedType));
        assert!(matches!(read_table("units.xlsx", b"not a zip"), Err(FileError::Unreadable(_))));
        assert!(matches!(read_table("units.csv", b"\xff\xfe"), Err(FileError::Unreadable(_))));
    }
}
