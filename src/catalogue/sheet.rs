//! A spreadsheet (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`) as catalogue
//! records, read with calamine: one sheet (the first unless named), its
//! first non-empty row the header, each later row a record numbered by its
//! row in the sheet, so results point at `Sheet!row N`.
//!
//! A numeric cell is handed on as the number it holds (alongside a canonical
//! text for pass-through columns and messages), never re-read from text; a
//! text cell is text and follows the CSV rules (units, placeholders,
//! thousands groups). A formula's cached value is read, unless there is
//! none or the workbook says its values are to be recalculated (XlsxWriter
//! saves 0 for every formula and says so): the cell is then unreadable, as
//! an error value (`#N/A`) is, so a row that reads it is an error naming it.
//!
//! calamine holds the sheet's cells in memory (a workbook is a compressed
//! archive read whole); the records are made one at a time from them.

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use calamine::{Data, Range, Reader};
use csv::ByteRecord;
use rust_decimal::Decimal;
use std::path::Path;

/// File extensions read as spreadsheets (case-insensitively).
pub const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// Is this path a spreadsheet, by its extension?
pub fn is_spreadsheet(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// A row of the sheet: its text cells, and the number each numeric cell holds.
pub struct SheetRow {
    /// The row's number in the sheet (1 is the first row).
    pub row: u64,
    pub fields: ByteRecord,
    pub numbers: Vec<Option<Decimal>>,
}

/// One sheet of a workbook, opened for reading.
pub struct Sheet {
    /// The sheet's name as the workbook has it.
    pub name: String,
    pub header: ByteRecord,
    /// The header's row number.
    pub header_row: u64,
    range: Range<Data>,
    /// The sheet's formulas, where its cells hold any.
    formulas: Option<Range<String>>,
    /// The workbook asks for its formulas to be recalculated when opened
    /// (`fullCalcOnLoad`): their saved values are not to be trusted.
    recalculate: bool,
    /// The next row (relative to the range) to read.
    next: usize,
    /// Rows read so far, header included, and all-empty rows skipped.
    pub rows_read: u64,
    pub empty_rows_skipped: u64,
    /// The workbook's other sheets that hold cells, when no sheet was
    /// named: not read, so the run does not pass (see `InputFacts`).
    pub not_read: Vec<String>,
}

/// A cell as text, and the number it holds when it is numeric.
fn cell(data: &Data) -> (String, Option<Decimal>) {
    match data {
        Data::Empty => (String::new(), None),
        Data::Int(i) => (i.to_string(), Some(Decimal::from(*i))),
        // The number the sheet shows: a spreadsheet keeps 15 significant
        // digits, so 299.99999999999994 (what 300 can become after a
        // formula) is the 300 it displays, not a figure just under it.
        Data::Float(f) => match crate::number::decimal_from_f64(*f) {
            Ok(v) => {
                let shown = v.round_sf(15).unwrap_or(v).normalize();
                (shown.to_string(), Some(shown))
            }
            Err(_) => (f.to_string(), None),
        },
        Data::String(s) => (s.clone(), None),
        Data::Bool(b) => (b.to_string(), None),
        // A date is not a figure: its text says so, and no figure reads it.
        Data::DateTime(d) => (format!("{d} (a date)"), None),
        Data::DateTimeIso(s) | Data::DurationIso(s) => (s.clone(), None),
        // Marked, so that no placeholder reading takes `#N/A` for "not
        // known" (it had been, and the row was classified without the cell).
        Data::Error(e) => (format!("{e}{AN_ERROR_VALUE}"), None),
    }
}

/// What an unreadable cell's text ends with: an error value, a formula with
/// no saved value, one the workbook says to recalculate.
const AN_ERROR_VALUE: &str = " (an error value)";
const NO_SAVED_VALUE: &str = " (a formula with no saved value)";
const NOT_RECALCULATED: &str = " (a formula not yet recalculated)";

/// Is this a cell the sheet could not give a value for? Whatever column
/// reads it, the row is an error: a vendor or party read as the words
/// `#N/A (an error value)` had cleared a chip and a party.
pub fn is_unreadable(text: &str) -> bool {
    [AN_ERROR_VALUE, NO_SAVED_VALUE, NOT_RECALCULATED]
        .iter()
        .any(|end| text.ends_with(end))
}

/// A formula cell as text when its saved value is not to be read: the
/// text no figure reads, so a row that reads it is an error saying why.
fn formula_cell(formula: &str, saved: &Data, recalculate: bool) -> Option<String> {
    if *saved == Data::Empty {
        return Some(format!("={formula}{NO_SAVED_VALUE}"));
    }
    recalculate.then(|| format!("={formula}{NOT_RECALCULATED}"))
}

/// Where an .xlsx workbook's sheets give a row twice or out of order, or a
/// cell a row other than its own: a reader keeps one of the two cells, so a
/// row can vanish (a repeated `<row r="2">` had dropped an H100 row, and
/// the audit passed). Excel never writes such a file; a broken generator
/// or a crafted one does.
fn rows_out_of_order(path: &Path) -> Option<String> {
    if !is_xlsx(path) {
        return None;
    }
    let file = std::fs::File::open(path).ok()?;
    let mut archive = zip::ZipArchive::new(file).ok()?;
    let parts: Vec<String> = archive
        .file_names()
        .filter(|n| n.starts_with("xl/worksheets/") && n.ends_with(".xml"))
        .map(str::to_string)
        .collect();
    // The number after `attribute="` at the start of `text`, and its digits.
    let number = |text: &str, attribute: &str| -> Option<u64> {
        let at = text.find(attribute)?;
        let rest = text.get(at.checked_add(attribute.len())?..)?;
        let digits: String = rest
            .trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == '$')
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    };
    for part in parts {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(&part).ok()?, &mut text).ok()?;
        let mut last = 0u64;
        for row in text.split("<row").skip(1) {
            let head = row.split('>').next().unwrap_or_default();
            let Some(r) = number(head, " r=\"") else {
                continue;
            };
            if r <= last {
                return Some(format!("{part}: row {r} comes after row {last}"));
            }
            last = r;
            let body = row.split("</row>").next().unwrap_or_default();
            for cell in body.split("<c ").skip(1) {
                let head = cell.split('>').next().unwrap_or_default();
                if let Some(cr) = number(&format!(" {head}"), " r=\"") {
                    if cr != r {
                        return Some(format!("{part}: a cell of row {r} says it is in row {cr}"));
                    }
                }
            }
        }
    }
    None
}

fn is_xlsx(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xlsm"))
}

/// Whether an .xlsx workbook asks for every formula to be recalculated on
/// opening (`<calcPr fullCalcOnLoad="1"/>`), as writers that save no real
/// values do. Unknown (an unreadable part) counts as yes.
fn asks_to_recalculate(path: &Path) -> bool {
    if !is_xlsx(path) {
        return false;
    }
    let read = || -> Option<String> {
        let file = std::fs::File::open(path).ok()?;
        let mut archive = zip::ZipArchive::new(file).ok()?;
        let mut part = archive.by_name("xl/workbook.xml").ok()?;
        let mut text = String::new();
        std::io::Read::read_to_string(&mut part, &mut text).ok()?;
        Some(text)
    };
    match read() {
        Some(text) => text.split("<calcPr").skip(1).any(|element| {
            let element = element.split('>').next().unwrap_or_default();
            element.contains("fullCalcOnLoad=\"1\"")
                || element.contains("fullCalcOnLoad=\"true\"")
                || element.contains("fullCalcOnLoad='1'")
                || element.contains("fullCalcOnLoad='true'")
        }),
        None => true,
    }
}

impl Sheet {
    /// Opens `sheet` of the workbook at `path` (the first sheet if none is
    /// named) and reads its header row.
    pub fn open(path: &Path, sheet: Option<&str>, shown: &str) -> Result<Sheet, Error> {
        let invalid = |message: String| -> Error { Diagnostic::new(shown, message).into() };
        let mut workbook = calamine::open_workbook_auto(path)
            .map_err(|e| invalid(format!("cannot read the spreadsheet: {e}")))?;
        if let Some(where_) = rows_out_of_order(path) {
            return Err(invalid(format!(
                "the workbook gives a row twice or out of order ({where_}), so a row's cells could be lost; open it in Excel or LibreOffice and save it again"
            )));
        }
        let names = workbook.sheet_names();
        let name = match sheet {
            Some(wanted) => names
                .iter()
                .find(|n| n.as_str() == wanted)
                .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(wanted)))
                .cloned()
                .ok_or_else(|| {
                    invalid(format!(
                        "--sheet: the workbook has no sheet `{wanted}`; its sheets: {}",
                        names.join(", ")
                    ))
                })?,
            None => names
                .first()
                .cloned()
                .ok_or_else(|| invalid("the workbook has no sheet".into()))?,
        };
        // A sheet left unread when none was named is said, never skipped
        // in silence: a second sheet held a controlled chip, and the audit
        // of the first passed.
        let not_read: Vec<String> = match sheet {
            Some(_) => Vec::new(),
            None => names
                .iter()
                .filter(|n| **n != name)
                .filter(|n| {
                    let values = workbook
                        .worksheet_range(n)
                        .map_or(true, |r| r.used_cells().any(|(_, _, c)| *c != Data::Empty));
                    // A formula whose value was never saved reads as empty:
                    // its sheet still holds something.
                    values
                        || workbook
                            .worksheet_formula(n)
                            .is_ok_and(|f| f.used_cells().any(|(_, _, c)| !c.is_empty()))
                })
                .cloned()
                .collect(),
        };
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| invalid(format!("cannot read sheet `{name}`: {e}")))?;
        let formulas = workbook
            .worksheet_formula(&name)
            .ok()
            .filter(|f| f.used_cells().any(|(_, _, c)| !c.is_empty()));
        let recalculate = formulas.is_some() && asks_to_recalculate(path);
        let mut sheet = Sheet {
            name,
            header: ByteRecord::new(),
            header_row: 0,
            range,
            formulas,
            recalculate,
            next: 0,
            rows_read: 0,
            empty_rows_skipped: 0,
            not_read,
        };
        let Some(header) = sheet.next_row() else {
            return Err(Diagnostic::new(
                shown,
                format!("sheet `{}` is empty: there is no header row", sheet.name),
            )
            .help("the first row names the columns, e.g. name, vendor, fp16, area_mm2")
            .into());
        };
        sheet.header = header.fields;
        sheet.header_row = header.row;
        Ok(sheet)
    }

    /// The cells' bounds over values and formulas alike: its first row and
    /// column, and how many rows and columns. A row of formulas with no
    /// saved value lies outside the values' range (one after the last row
    /// with values had been dropped, and a sheet of them audited 0 rows).
    fn bounds(&self) -> ((u32, u32), usize, usize) {
        let spans = [
            self.range.start().zip(self.range.end()),
            self.formulas.as_ref().and_then(|f| f.start().zip(f.end())),
        ];
        let spans = spans.iter().flatten();
        let (Some(top), Some(left), Some(bottom), Some(right)) = (
            spans.clone().map(|(s, _)| s.0).min(),
            spans.clone().map(|(s, _)| s.1).min(),
            spans.clone().map(|(_, e)| e.0).max(),
            spans.clone().map(|(_, e)| e.1).max(),
        ) else {
            return ((0, 0), 0, 0);
        };
        let count = |from: u32, to: u32| {
            usize::try_from(to.saturating_sub(from)).map_or(0, |n| n.saturating_add(1))
        };
        ((top, left), count(top, bottom), count(left, right))
    }

    /// The cell at an absolute position: its text, and its number if numeric.
    fn cell_at(&self, at: (u32, u32)) -> (String, Option<Decimal>) {
        let saved = self.range.get_value(at).unwrap_or(&Data::Empty);
        let formula = self
            .formulas
            .as_ref()
            .and_then(|f| f.get_value(at))
            .filter(|f| !f.is_empty());
        match formula.and_then(|f| formula_cell(f, saved, self.recalculate)) {
            Some(text) => (text, None),
            None => cell(saved),
        }
    }

    /// The next row that is not all empty, padded or cut to the header's width.
    pub fn next_row(&mut self) -> Option<SheetRow> {
        let ((first_row, first_col), height, all_columns) = self.bounds();
        let width = if self.header.is_empty() {
            all_columns
        } else {
            self.header.len()
        };
        let at = |r: usize, c: usize| -> Option<(u32, u32)> {
            Some((
                first_row.checked_add(u32::try_from(r).ok()?)?,
                first_col.checked_add(u32::try_from(c).ok()?)?,
            ))
        };
        while self.next < height {
            let r = self.next;
            self.next = self.next.saturating_add(1);
            self.rows_read = self.rows_read.saturating_add(1);
            let mut fields = ByteRecord::new();
            let mut numbers = Vec::with_capacity(width);
            let mut any = false;
            for c in 0..width {
                let (text, number) = at(r, c)
                    .map(|p| self.cell_at(p))
                    .unwrap_or((String::new(), None));
                any |= !text.trim().is_empty();
                fields.push_field(text.as_bytes());
                numbers.push(number);
            }
            if !any {
                self.empty_rows_skipped = self.empty_rows_skipped.saturating_add(1);
                continue;
            }
            // Cells right of the header that hold something are kept as
            // extra fields, so the row is reported as ragged, never cut.
            if !self.header.is_empty() {
                for c in width..all_columns {
                    if let Some((text, _)) = at(r, c).map(|p| self.cell_at(p)) {
                        if !text.trim().is_empty() {
                            fields.push_field(text.as_bytes());
                        }
                    }
                }
            }
            let row = u64::from(first_row)
                .saturating_add(r as u64)
                .saturating_add(1);
            return Some(SheetRow {
                row,
                fields,
                numbers,
            });
        }
        None
    }
}
