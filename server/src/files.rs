//! Reading and writing the tables of import and export files: CSV (UTF-8, with a byte-order mark
//! so that Excel opens Chinese text correctly) and XLSX. Every cell is text, so figures travel
//! exactly.

use app::error::AppError;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::io::Cursor;

/// The length a request declares for its body, if it does.
pub fn declared_length(headers: &axum::http::HeaderMap) -> Option<u64> {
    headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok())
}

/// Slots for uploads being read at once (business plans, imports), shared by the process: each
/// holds its file in memory while it is checked, so their number bounds that memory.
pub struct UploadSlots(std::sync::OnceLock<std::sync::Arc<tokio::sync::Semaphore>>, usize);

impl UploadSlots {
    pub const fn new(slots: usize) -> Self {
        UploadSlots(std::sync::OnceLock::new(), slots)
    }

    /// A slot, or `None` when all are taken (the caller asks the user to retry).
    pub fn try_take(&self) -> Option<tokio::sync::OwnedSemaphorePermit> {
        let slots = self.0.get_or_init(|| std::sync::Arc::new(tokio::sync::Semaphore::new(self.1)));
        slots.clone().try_acquire_owned().ok()
    }
}

/// The most of a refused upload taken (and dropped) before answering: a client that gets its
/// answer while still sending may otherwise see the connection reset instead of the message.
pub const DRAIN_BYTES: usize = 1024 * 1024;

/// Answers `response` to an upload refused before its file was read (who may upload is decided
/// first), after taking up to [`DRAIN_BYTES`] of what the client is still sending, to its end.
///
/// The body is taken raw, not through the multipart framing: a parser stops at the closing
/// boundary and leaves what follows it (the final line break) unread, and hyper, finding a body
/// dropped before its end, closes the connection with those bytes still to come — the kernel
/// then answers them with a reset, which can reach the client before it has read the refusal.
/// Nothing taken is kept or parsed.
pub async fn refuse_upload(request: axum::extract::Request, response: Response) -> Response {
    use http_body_util::BodyExt;
    let mut body = request.into_body();
    let mut taken = 0usize;
    while taken < DRAIN_BYTES {
        match body.frame().await {
            Some(Ok(frame)) => taken += frame.data_ref().map_or(0, |data| data.len()),
            Some(Err(_)) | None => break,
        }
    }
    response
}

/// The multipart reader of an upload whose caller has been let in; a body that is not
/// multipart (no boundary, another type) is answered with `refused` (the page that says so in
/// the user's language), after draining it.
pub async fn multipart_of(
    request: axum::extract::Request,
    refused: Response,
) -> Result<axum::extract::Multipart, Response> {
    use axum::extract::FromRequest;
    let multipart_type =
        request.headers().get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).is_some_and(|value| {
            value.to_ascii_lowercase().starts_with("multipart/form-data") && value.contains("boundary=")
        });
    if !multipart_type {
        return Err(refuse_upload(request, refused).await);
    }
    axum::extract::Multipart::from_request(request, &()).await.map_err(|_| refused)
}

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

/// What a column of a download holds. In a spreadsheet, numbers are written as numbers (with
/// thousands separators and their decimals; a percentage as a percentage), so that they sum and
/// sort; codes and names stay text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    Number,
    /// A year: a number without a thousands separator.
    Year,
}

/// A table to download: the sheet's name, the file's stem, the header and what each column
/// holds, the rows, and whether the last row is the totals row (bold, outside the filter).
pub struct Export<'a> {
    pub sheet: &'a str,
    pub stem: &'a str,
    pub header: &'a [&'a str],
    pub kinds: &'a [ColumnKind],
    pub rows: &'a [Vec<String>],
    pub totals_row: bool,
}

/// The table as a download named `stem.csv` or `stem.xlsx` (one sheet named `sheet`). A file
/// that cannot be written is logged and answered as an internal error.
pub fn table_download(format: TableFormat, export: &Export<'_>) -> Response {
    let written = match format {
        TableFormat::Csv => csv_bytes(export.header, export.rows).map(|b| (b, "text/csv; charset=utf-8", "csv")),
        TableFormat::Xlsx => {
            xlsx_bytes(export).map(|b| (b, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"))
        }
    };
    match written {
        Ok((bytes, content_type, ext)) => attachment(bytes, content_type, &format!("{}.{ext}", export.stem)),
        Err(cause) => {
            tracing::error!(error = cause, "writing an export failed");
            AppError::Internal { reference: "export".to_owned() }.into_response()
        }
    }
}

/// The most data rows an import file may hold (the header row is not counted).
pub const MAX_ROWS: usize = domain::space::import::MAX_IMPORT_ROWS;
/// The most columns read; the unit file has twelve.
pub const MAX_COLUMNS: usize = 64;
/// The most characters in one cell.
pub const MAX_CELL_CHARS: usize = 1000;
/// The most bytes an XLSX file may inflate to, all its parts together. A 20,000-row sheet of
/// units is about 10 MB of XML.
pub const MAX_INFLATED_BYTES: u64 = 64 * 1024 * 1024;
/// The most parts (zip entries) an XLSX file may have.
pub const MAX_ZIP_ENTRIES: usize = 1000;

/// Why a file could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum FileError {
    /// Neither `.csv` nor `.xlsx`.
    UnsupportedType,
    /// More data rows than [`MAX_ROWS`].
    TooManyRows,
    /// More columns than [`MAX_COLUMNS`], a longer cell than [`MAX_CELL_CHARS`], or an XLSX that
    /// inflates past [`MAX_INFLATED_BYTES`]: not a unit file.
    TooLarge,
    Unreadable(String),
}

/// The rows of a CSV or XLSX file (the first sheet), header included, as text. Whatever the
/// file declares or contains, reading it takes memory in proportion to [`MAX_ROWS`] ×
/// [`MAX_COLUMNS`] × [`MAX_CELL_CHARS`] at most: an XLSX is measured by inflating each part with
/// a cap before the workbook is opened, its declared dimension is checked, and its cells are
/// streamed one at a time into rows, never into a grid sized by their coordinates.
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
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| FileError::Unreadable(e.to_string()))?;
        if rows.len() > MAX_ROWS {
            return Err(FileError::TooManyRows);
        }
        if record.len() > MAX_COLUMNS || record.iter().any(|cell| cell.chars().count() > MAX_CELL_CHARS) {
            return Err(FileError::TooLarge);
        }
        rows.push(record.iter().map(|cell| from_spreadsheet_safe(cell).to_owned()).collect());
    }
    Ok(rows)
}

/// Undoes [`spreadsheet_safe`], so that an exported file imports back unchanged (a floor named
/// `-1F` travels as `'-1F`).
fn from_spreadsheet_safe(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) || rest.starts_with('\'') => rest,
        _ => cell,
    }
}

/// Inflates every part of the zip with a cap, so that neither a lying size field nor a
/// decompression bomb can make the reader allocate more than [`MAX_INFLATED_BYTES`].
fn check_inflated_size(bytes: &[u8]) -> Result<(), FileError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| FileError::Unreadable(format!("not an xlsx: {e}")))?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(FileError::TooLarge);
    }
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive.by_index(index).map_err(|e| FileError::Unreadable(e.to_string()))?;
        if entry.size() > MAX_INFLATED_BYTES - total {
            return Err(FileError::TooLarge);
        }
        let allowed = MAX_INFLATED_BYTES - total;
        let inflated = std::io::copy(&mut std::io::Read::take(entry, allowed + 1), &mut std::io::sink())
            .map_err(|e| FileError::Unreadable(e.to_string()))?;
        if inflated > allowed {
            return Err(FileError::TooLarge);
        }
        total += inflated;
    }
    Ok(())
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, FileError> {
    use calamine::{Reader, Xlsx};
    check_inflated_size(bytes)?;
    let mut workbook: Xlsx<Cursor<&[u8]>> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| FileError::Unreadable(e.to_string()))?;
    let sheet = workbook.sheet_names().first().cloned().ok_or_else(|| FileError::Unreadable("no sheet".into()))?;
    let mut cells = workbook.worksheet_cells_reader(&sheet).map_err(|e| FileError::Unreadable(e.to_string()))?;
    let declared = cells.dimensions();
    if declared.end.0 > declared.start.0 && (declared.end.0 - declared.start.0) as usize > MAX_ROWS {
        return Err(FileError::TooManyRows);
    }
    if declared.end.1 as usize >= MAX_COLUMNS {
        return Err(FileError::TooLarge);
    }
    // Sparse rows by their number; the file's own positions may lie about the dimension.
    let mut by_row: std::collections::BTreeMap<u32, Vec<(u32, String)>> = std::collections::BTreeMap::new();
    let mut count = 0usize;
    while let Some(cell) = cells.next_cell().map_err(|e| FileError::Unreadable(e.to_string()))? {
        let (row, column) = cell.get_position();
        if column as usize >= MAX_COLUMNS {
            return Err(FileError::TooLarge);
        }
        let text = match cell.get_value() {
            calamine::DataRef::Empty => continue,
            // Numbers typed into Excel print as their shortest exact decimal form.
            other => calamine::Data::from(other.clone()).to_string(),
        };
        if text.chars().count() > MAX_CELL_CHARS {
            return Err(FileError::TooLarge);
        }
        count += 1;
        if count > (MAX_ROWS + 1) * MAX_COLUMNS {
            return Err(FileError::TooManyRows);
        }
        by_row.entry(row).or_default().push((column, text));
        if by_row.len() > MAX_ROWS + 1 {
            return Err(FileError::TooManyRows);
        }
    }
    // The used range, as a grid of it would be: from the first row and column used to the last,
    // empty rows and cells in between kept empty. Both bounds are checked above, so the grid is
    // at most (MAX_ROWS + 1) × MAX_COLUMNS.
    let Some(first) = by_row.keys().next().copied() else { return Ok(Vec::new()) };
    let last = by_row.keys().next_back().copied().unwrap_or(first);
    if (last - first) as usize > MAX_ROWS {
        return Err(FileError::TooManyRows);
    }
    let first_column = by_row.values().flatten().map(|(c, _)| *c).min().unwrap_or(0);
    let last_column = by_row.values().flatten().map(|(c, _)| *c).max().unwrap_or(0);
    let width = (last_column - first_column) as usize + 1;
    let mut rows = Vec::with_capacity(by_row.len());
    for number in first..=last {
        let mut row = vec![String::new(); width];
        for (column, text) in by_row.remove(&number).unwrap_or_default() {
            row[(column - first_column) as usize] = text;
        }
        rows.push(row);
    }
    Ok(rows)
}

/// A CSV file of `header` and `rows`, every cell made safe for spreadsheets
/// ([`spreadsheet_safe`]).
pub fn csv_bytes(header: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, String> {
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let mut write = |cells: Vec<std::borrow::Cow<'_, str>>| {
        writer.write_record(cells.iter().map(|cell| cell.as_bytes())).map_err(|e| e.to_string())
    };
    write(header.iter().map(|cell| spreadsheet_safe(cell)).collect())?;
    for row in rows {
        write(row.iter().map(|cell| spreadsheet_safe(cell)).collect())?;
    }
    writer.into_inner().map_err(|e| e.to_string())
}

/// The first characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell that a spreadsheet opens as text, never as a formula (CSV injection, OWASP): a cell
/// starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, which Excel,
/// WPS and LibreOffice show as nothing and read as "this is text". A plain number such as
/// `-12.50` is left alone, so figures still open as numbers. So that the importer can take the
/// `'` off again without ever taking one that was there, a cell that already starts with `'`
/// followed by one of those characters (or by another `'`) gets one more.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(FORMULA_STARTS) && !is_plain_number(cell);
    let quoted = cell.strip_prefix('\'').is_some_and(|rest| rest.starts_with(FORMULA_STARTS) || rest.starts_with('\''));
    if risky || quoted { std::borrow::Cow::Owned(format!("'{cell}")) } else { cell.into() }
}

/// `-?digits(.digits)?`: a number and nothing else.
fn is_plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// A number cell of a spreadsheet: its value and its number format, read from the exact
/// decimal text (`265800.00`, `-3`, `83.05%`); `None` for anything else (`—`).
fn spreadsheet_number(cell: &str, kind: ColumnKind) -> Option<(f64, String)> {
    let (digits, percent) = match cell.strip_suffix('%') {
        Some(rest) => (rest, true),
        None => (cell, false),
    };
    if kind == ColumnKind::Text || !is_plain_number(digits) {
        return None;
    }
    let decimals = digits.split_once('.').map_or(0, |(_, f)| f.len());
    let fraction = if decimals == 0 { String::new() } else { format!(".{}", "0".repeat(decimals)) };
    // A percentage is stored as its fraction (83.05% is 0.8305): the decimal point moves two
    // places in the text, so no arithmetic touches the figure before the spreadsheet does.
    let (text, format) = match (percent, kind) {
        (true, _) => (hundredth_of(digits), format!("0{fraction}%")),
        (false, ColumnKind::Year) => (digits.to_owned(), "0".to_owned()),
        (false, _) => (digits.to_owned(), format!("#,##0{fraction}")),
    };
    Some((text.parse().ok()?, format))
}

/// `digits` (a plain decimal) divided by a hundred, as text: `83.05` → `0.8305`.
pub fn hundredth_of(digits: &str) -> String {
    let (sign, unsigned) = digits.strip_prefix('-').map_or(("", digits), |rest| ("-", rest));
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let whole = format!("{whole:0>3}");
    let (head, tail) = whole.split_at(whole.len() - 2);
    format!("{sign}{head}.{tail}{fraction}")
}

/// An XLSX workbook of one sheet: the header in bold, frozen and with a filter, then the rows,
/// numbers as numbers; the totals row, if any, in bold below the filtered range.
pub fn xlsx_bytes(export: &Export<'_>) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut workbook = Workbook::new();
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(export.sheet).map_err(fail)?;
    let bold = Format::new().set_bold();
    for (column, name) in (0u16..).zip(export.header) {
        worksheet.write_string_with_format(0, column, *name, &bold).map_err(fail)?;
    }
    let last = u32::try_from(export.rows.len()).map_err(|e| e.to_string())?;
    for (row, cells) in (1u32..).zip(export.rows) {
        let totals = export.totals_row && row == last;
        for (column, cell) in (0u16..).zip(cells) {
            let kind = export.kinds.get(usize::from(column)).copied().unwrap_or(ColumnKind::Text);
            let base = if totals { Format::new().set_bold() } else { Format::new() };
            match spreadsheet_number(cell, kind) {
                Some((value, format)) => {
                    worksheet
                        .write_number_with_format(row, column, value, &base.set_num_format(format))
                        .map_err(fail)?;
                }
                None if cell.is_empty() => {}
                None => {
                    worksheet.write_string_with_format(row, column, cell, &base).map_err(fail)?;
                }
            }
        }
    }
    let columns = u16::try_from(export.header.len()).map_err(|e| e.to_string())?;
    if columns > 0 {
        let filtered = if export.totals_row { last.saturating_sub(1) } else { last };
        worksheet.autofilter(0, 0, filtered, columns - 1).map_err(fail)?;
        worksheet.set_freeze_panes(1, 0).map_err(fail)?;
    }
    worksheet.autofit();
    workbook.save_to_buffer().map_err(fail)
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
        let export = Export {
            sheet: "units",
            stem: "units",
            header: &["site", "area", "note"],
            kinds: &[ColumnKind::Text; 3],
            rows: &rows(),
            totals_row: false,
        };
        let bytes = xlsx_bytes(&export).unwrap();
        let table = read_table("UNITS.XLSX", &bytes).unwrap();
        assert_eq!(table[0], ["site", "area", "note"]);
        assert_eq!(&table[1..], rows().as_slice());
    }

    #[test]
    fn a_percentage_moves_its_decimal_point_in_the_text() {
        assert_eq!(hundredth_of("83.05"), "0.8305");
        assert_eq!(hundredth_of("-1.20"), "-0.0120");
        assert_eq!(hundredth_of("100"), "1.00");
        assert_eq!(hundredth_of("5"), "0.05");
        assert_eq!(hundredth_of("12345.6"), "123.456");
    }

    #[test]
    fn a_spreadsheet_holds_numbers_as_numbers_with_their_formats_a_filter_and_a_bold_total() {
        use calamine::{Data, Reader, Xlsx};
        let rows = vec![
            vec!["兰山区".to_owned(), "265800.00".to_owned(), "12".to_owned(), "83.05%".to_owned(), "2024".to_owned()],
            vec!["河东区".to_owned(), "0.50".to_owned(), "3".to_owned(), "—".to_owned(), "2025".to_owned()],
            vec!["合计".to_owned(), "265800.50".to_owned(), "15".to_owned(), "-1.20%".to_owned(), "".to_owned()],
        ];
        let kinds = [ColumnKind::Text, ColumnKind::Number, ColumnKind::Number, ColumnKind::Number, ColumnKind::Year];
        let export = Export {
            sheet: "districts",
            stem: "districts",
            header: &["区县", "面积（m²）", "载体数", "出租率", "年份"],
            kinds: &kinds,
            rows: &rows,
            totals_row: true,
        };
        let bytes = xlsx_bytes(&export).unwrap();
        let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
        let range = workbook.worksheet_range("districts").unwrap();
        assert_eq!(range.get_value((1, 0)), Some(&Data::String("兰山区".into())));
        assert_eq!(range.get_value((1, 1)), Some(&Data::Float(265_800.0)), "area as a number");
        assert_eq!(range.get_value((1, 2)), Some(&Data::Float(12.0)), "a count as a number");
        assert_eq!(range.get_value((1, 3)), Some(&Data::Float(0.8305)), "a percentage as a fraction");
        assert_eq!(range.get_value((2, 3)), Some(&Data::String("—".into())), "no figure stays a dash");
        assert_eq!(range.get_value((3, 1)), Some(&Data::Float(265_800.5)));
        assert_eq!(range.get_value((1, 4)), Some(&Data::Float(2024.0)));
        // The formats, the filter over the header and the data (not the total), the frozen header.
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut read = |name: &str| {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
            text
        };
        let styles = read("xl/styles.xml");
        for format in ["#,##0.00", "0.00%"] {
            assert!(styles.contains(&format!("formatCode=\"{format}\"")), "{format} in {styles}");
        }
        let sheet = read("xl/worksheets/sheet1.xml");
        assert!(sheet.contains("<autoFilter ref=\"A1:E3\"/>"), "{sheet}");
        assert!(sheet.contains("state=\"frozen\""), "{sheet}");
    }

    #[test]
    fn formulas_in_cells_are_written_as_text_and_numbers_stay_numbers() {
        let hostile = vec![vec![
            "=HYPERLINK(\"http://evil.example\",\"点此\")".to_owned(),
            "+1+1".to_owned(),
            "-2+3+cmd|' /C calc'!A0".to_owned(),
            "@SUM(A1)".to_owned(),
            "\t=1".to_owned(),
            "\r=1".to_owned(),
            "-12.50".to_owned(),
            "1,234".to_owned(),
            "A座".to_owned(),
        ]];
        let bytes = csv_bytes(&["=x", "b", "c", "d", "e", "f", "g", "h", "i"], &hostile).unwrap();
        // What a spreadsheet sees: the raw cells.
        let raw = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let table: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(raw.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(table[0][0], "'=x");
        let row = &table[1];
        for cell in &row[..6] {
            assert!(cell.starts_with('\''), "{cell:?} must be text");
        }
        assert_eq!(row[6], "-12.50", "a negative figure stays a number");
        // Read back by the importer, the cells are what was written.
        let imported = read_table("x.csv", &bytes).unwrap();
        assert_eq!(imported[1], hostile[0]);
        assert_eq!(row[7], "1,234");
        assert_eq!(row[8], "A座");
    }

    /// A zip holding one part of `inflated` zeros, deflated: a few kilobytes on the wire.
    fn zip_bomb(name: &str, inflated: usize) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file(name, options).unwrap();
        let block = vec![b' '; 1024 * 1024];
        for _ in 0..inflated / block.len() {
            zip.write_all(&block).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    /// An XLSX with one cell in A1 and one in XFD1048576: read as a grid, 16,384 × 1,048,576
    /// cells (512 GiB), which made the reader abort the process.
    fn far_corner_xlsx() -> Vec<u8> {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "site").unwrap();
        sheet.write_string(1_048_575, 16_383, "far").unwrap();
        workbook.save_to_buffer().unwrap()
    }

    #[test]
    fn a_far_corner_cell_is_refused_without_building_the_grid() {
        let bytes = far_corner_xlsx();
        assert!(bytes.len() < 16 * 1024, "a small file: {} bytes", bytes.len());
        assert_eq!(read_table("bomb.xlsx", &bytes), Err(FileError::TooManyRows));
    }

    #[test]
    fn an_xlsx_that_inflates_past_the_cap_is_refused_before_it_is_opened() {
        let bytes = zip_bomb("xl/sharedStrings.xml", 80 * 1024 * 1024);
        assert!(bytes.len() < 1024 * 1024, "{} bytes on the wire", bytes.len());
        assert_eq!(read_table("bomb.xlsx", &bytes), Err(FileError::TooLarge));
    }

    #[test]
    fn a_csv_with_too_many_rows_or_too_wide_is_refused() {
        let long = "x\n".repeat(MAX_ROWS + 2);
        assert_eq!(read_table("x.csv", long.as_bytes()), Err(FileError::TooManyRows));
        let wide = format!("{}\n", vec!["a"; MAX_COLUMNS + 1].join(","));
        assert_eq!(read_table("x.csv", wide.as_bytes()), Err(FileError::TooLarge));
        let fat = "y".repeat(MAX_CELL_CHARS + 1);
        assert_eq!(read_table("x.csv", fat.as_bytes()), Err(FileError::TooLarge));
        // The limit itself is fine: a header and MAX_ROWS rows.
        let full = "x\n".repeat(MAX_ROWS + 1);
        assert_eq!(read_table("x.csv", full.as_bytes()).unwrap().len(), MAX_ROWS + 1);
    }

    #[test]
    fn an_xlsx_keeps_empty_rows_and_columns_in_place() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "a").unwrap();
        sheet.write_string(0, 2, "c").unwrap();
        sheet.write_string(2, 1, "b").unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let table = read_table("t.xlsx", &bytes).unwrap();
        let row = |cells: [&str; 3]| cells.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
        assert_eq!(table, vec![row(["a", "", "c"]), row(["", "", ""]), row(["", "b", ""])]);
    }

    #[test]
    fn other_files_are_refused() {
        assert_eq!(read_table("units.pdf", b"%PDF"), Err(FileError::UnsupportedType));
        assert!(matches!(read_table("units.xlsx", b"not a zip"), Err(FileError::Unreadable(_))));
        assert!(matches!(read_table("units.csv", b"\xff\xfe"), Err(FileError::Unreadable(_))));
    }
}
