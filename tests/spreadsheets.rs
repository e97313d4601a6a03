//! `chipcheck audit catalogue.xlsx`: a spreadsheet goes through the same
//! pipeline as CSV. The fixture `catalogue.xlsx` is `catalogue.csv` typed
//! into a workbook (numbers as numeric cells, the rest as text) by
//! tests/fixtures/audit/make-spreadsheets.py, plus a second sheet.

mod common;

use common::chipcheck;
use serde_json::Value;

const CSV: &str = "tests/fixtures/audit/catalogue.csv";
const XLSX: &str = "tests/fixtures/audit/catalogue.xlsx";

fn audit(file: &str, args: &[&str]) -> (i32, String, String) {
    let out = chipcheck()
        .args(["audit", file, "--date", "2024-06-01", "--to", "CN,DE"])
        .args(args)
        .output()
        .expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// (line, destination, verdict, TPP, review policy) of every result.
fn verdicts(json: &str) -> Vec<(u64, String, String, String, String)> {
    let doc: Value = serde_json::from_str(json).expect("json");
    doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["destination"].to_string(),
                r["verdict"].to_string(),
                r["tpp"].to_string(),
                r["review_policy"].to_string(),
            )
        })
        .collect()
}

#[test]
fn the_same_catalogue_as_csv_and_xlsx_gets_the_same_verdicts() {
    let (csv_status, csv, _) = audit(CSV, &["--format", "json"]);
    let (xlsx_status, xlsx, stderr) = audit(XLSX, &["--format", "json"]);
    assert_eq!(csv_status, xlsx_status, "{stderr}");
    let (a, b) = (verdicts(&csv), verdicts(&xlsx));
    assert_eq!(a.len(), 18);
    assert_eq!(a, b);
    // The unreadable row is unreadable for the same reasons.
    assert!(xlsx.contains("column `area_mm2`: `abc` is not a number"));
    let doc: Value = serde_json::from_str(&xlsx).unwrap();
    assert!(doc["provenance"]["inputs"][0]["sha256"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
}

#[test]
fn results_point_at_sheet_and_row_in_every_report() {
    let dir = tempfile::Builder::new()
        .prefix("sheet-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .unwrap();
    let path = |name: &str| dir.path().join(name).display().to_string();
    let (status, table, _) = audit(
        XLSX,
        &[
            "--output",
            &format!("sarif={}", path("r.sarif")),
            "--output",
            &format!("markdown={}", path("r.md")),
            "--output",
            &format!("html={}", path("r.html")),
            "--output",
            &format!("junit={}", path("r.xml")),
            "--output",
            &format!("github={}", path("r.gh")),
        ],
    );
    assert_eq!(status, 2, "row 9 cannot be read");
    assert!(
        table.contains("Catalogue!row 9  column `area_mm2`"),
        "{table}"
    );
    assert!(table.contains("of sheet `Catalogue`"), "{table}");
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    let sarif: Value = serde_json::from_str(&read("r.sarif")).unwrap();
    let first = &sarif["runs"][0]["results"][0];
    assert!(first["message"]["text"]
        .as_str()
        .unwrap()
        .starts_with("Catalogue!row "));
    assert!(
        first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("catalogue.xlsx")
    );
    assert!(read("r.md").contains("(Catalogue!row 2)"));
    assert!(read("r.html").contains(">Catalogue!row 2<"));
    assert!(read("r.xml").contains("Catalogue!row 2 ("));
    assert!(read("r.gh").contains("Catalogue!row 2: "));
}

#[test]
fn another_sheet_by_name_with_numbers_read_as_numbers() {
    let (status, json, stderr) = audit(XLSX, &["--sheet", "Q3 2026", "--format", "json"]);
    assert_eq!(status, 1, "{stderr}");
    let doc: Value = serde_json::from_str(&json).unwrap();
    let results = doc["results"].as_array().unwrap();
    assert_eq!(results[0]["position"], "'Q3 2026'!row 2");
    // Row 3 is empty and skipped; rows keep their sheet numbers.
    let lines: Vec<u64> = results
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [2, 2, 4, 4]);
    // 989.4 is a numeric cell: 2 x 494.7 x 16 = 15,830.4, exactly.
    assert_eq!(results[2]["tpp"], 15830.4);
    assert_eq!(results[2]["verdict"], "license_required");
    // The boolean cell TRUE is yes.
    assert!(results[2]["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p == "3A090.a.1"));
    // `--sheet` matches case-insensitively when nothing matches exactly.
    let (status, _, _) = audit(XLSX, &["--sheet", "q3 2026"]);
    assert_eq!(status, 1);
}

#[test]
fn a_sheet_that_is_not_there_or_a_sheet_of_a_csv_is_a_usage_error() {
    let (status, _, stderr) = audit(XLSX, &["--sheet", "Nope"]);
    assert_eq!(status, 2);
    assert!(
        stderr.contains("no sheet `Nope`; its sheets: Catalogue, Q3 2026"),
        "{stderr}"
    );
    let (status, _, stderr) = audit(CSV, &["--sheet", "Catalogue"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("is not a spreadsheet"), "{stderr}");
    let (status, _, stderr) = audit(XLSX, &["--delimiter", ";"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("for CSV text"), "{stderr}");
}

/// A number cell is checked as a figure typed as text is: a negative one is
/// the row's error (it cleared a chip: TPP -4,800), and a number is read as
/// the sheet shows it, to 15 significant digits (a formula's
/// 299.99999999999994 is the 300 on screen, and 300 TFLOPS is TPP 4,800).
/// Fixture: tests/fixtures/audit/make-number-cells.py.
#[test]
fn number_cells_are_figures_as_the_sheet_shows_them() {
    let out = chipcheck()
        .args([
            "audit",
            "tests/fixtures/audit/number-cells.xlsx",
            "--date",
            "2024-06-01",
            "--to",
            "CN",
            "--format",
            "json",
        ])
        .output()
        .expect("run");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    let results = doc["results"].as_array().expect("results");
    let row = |name: &str| {
        results
            .iter()
            .find(|r| r["name"] == name)
            .unwrap_or_else(|| panic!("{name}: {doc:#}"))
    };
    for (name, column) in [("Negative FP16", "fp16"), ("Negative area", "area_mm2")] {
        let r = row(name);
        assert_eq!(r["verdict"], "error", "{name}: {r:#}");
        assert!(
            r["error"].as_str().is_some_and(
                |e| e.contains(&format!("column `{column}`")) && e.contains("is negative")
            ),
            "{name}: {r:#}"
        );
    }
    let shown = row("Shown as 300");
    assert_eq!(shown["tpp"], 4800.0, "{shown:#}");
    assert_eq!(shown["verdict"], "license_required", "{shown:#}");
    assert_eq!(out.status.code(), Some(2), "an error row fails the run");
}

/// A workbook's other sheets are never skipped in silence: with no
/// `--sheet`, the first is read and every result written, but the run does
/// not pass while a sheet with cells is unread (a second sheet held a
/// controlled chip, and the audit passed). An empty sheet is nothing left
/// unread; a sheet of formulas with no saved value is something. Fixture: tests/fixtures/audit/make-two-sheets.py.
#[test]
fn a_sheet_left_unread_fails_the_run_and_is_named() {
    const TWO: &str = "tests/fixtures/audit/two-sheets.xlsx";
    let (status, json, stderr) = audit(TWO, &["--format", "json"]);
    assert_eq!(status, 2, "{stderr}");
    assert!(
        stderr.contains("sheets not read: `China orders`, `Totals`") && !stderr.contains("Notes"),
        "{stderr}"
    );
    let doc: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(doc["results"][0]["verdict"], "no_license_required");
    assert_eq!(
        doc["summary"]["sheets_not_read"],
        serde_json::json!(["China orders", "Totals"]),
        "{:#}",
        doc["summary"]
    );
    // Naming the sheet says which one is meant: the run is then its own.
    let (status, _, stderr) = audit(TWO, &["--sheet", "EU stock"]);
    assert_eq!(status, 0, "{stderr}");
    let (status, _, _) = audit(TWO, &["--sheet", "China orders"]);
    assert_eq!(status, 1);
}

/// Writes a one-sheet .xlsx of `rows` (each cell's XML, `r` attributes
/// left out), with `calc` as the workbook's `<calcPr>` element when given.
fn workbook(dir: &std::path::Path, rows: &[&[&str]], calc: Option<&str>) -> std::path::PathBuf {
    use std::io::Write;
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    const DOC: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let sheet: String = rows
        .iter()
        .enumerate()
        .map(|(i, cells)| format!("<row r=\"{}\">{}</row>", i + 1, cells.concat()))
        .collect();
    let parts = [
        ("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>".to_string()),
        ("_rels/.rels", format!("<?xml version=\"1.0\"?><Relationships xmlns=\"{RELS}\"><Relationship Id=\"rId1\" Type=\"{DOC}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>")),
        ("xl/workbook.xml", format!("<?xml version=\"1.0\"?><workbook xmlns=\"{MAIN}\" xmlns:r=\"{DOC}\"><sheets><sheet name=\"Chips\" sheetId=\"1\" r:id=\"rId1\"/></sheets>{}</workbook>", calc.unwrap_or_default())),
        ("xl/_rels/workbook.xml.rels", format!("<?xml version=\"1.0\"?><Relationships xmlns=\"{RELS}\"><Relationship Id=\"rId1\" Type=\"{DOC}/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>")),
        ("xl/worksheets/sheet1.xml", format!("<?xml version=\"1.0\"?><worksheet xmlns=\"{MAIN}\"><sheetData>{sheet}</sheetData></worksheet>")),
    ];
    let path = dir.join("book.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).expect("create"));
    for (name, text) in parts {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("part");
        zip.write_all(text.as_bytes()).expect("write");
    }
    zip.finish().expect("finish");
    path
}

/// A text cell, as a person typing into the sheet may leave one.
fn text(value: &str) -> String {
    format!("<c t=\"inlineStr\"><is><t>{value}</t></is></c>")
}

/// A cell whose saved value is not the figure: a formula with no saved value
/// (openpyxl), one saved as 0 in a workbook that asks to be recalculated
/// (XlsxWriter), an error value, a figure typed as text with its thousands
/// grouped by a point. Each had been read (as empty, 0, "not known", 1.979)
/// and the H100-class row cleared; each is now a row error naming the cell.
#[test]
fn cells_whose_value_is_not_the_figure_make_the_row_an_error() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("dir");
    let header: Vec<String> = ["name", "vendor", "datacenter", "fp16", "int8", "area_mm2"]
        .iter()
        .map(|h| text(h))
        .collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let row = |fp16: &str| -> Vec<String> {
        vec![
            text("Acme X9"),
            text("Acme"),
            text("no"),
            fp16.to_string(),
            "<c><v>500</v></c>".into(),
            "<c><v>800</v></c>".into(),
        ]
    };
    let run = |fp16: &str, calc: Option<&str>| {
        let cells = row(fp16);
        let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
        let book = workbook(dir.path(), &[&header, &cells], calc);
        let (status, json, stderr) = audit(book.to_str().unwrap(), &["--format", "json"]);
        let doc: Value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {stderr}"));
        (status, doc["results"][0].clone())
    };
    let recalc = Some("<calcPr calcId=\"124519\" fullCalcOnLoad=\"1\"/>");
    for (fp16, calc, says) in [
        (
            "<c><f>E2*2</f></c>",
            None,
            "=E2*2 (a formula with no saved value)",
        ),
        (
            "<c><f>E2*2</f><v>0</v></c>",
            recalc,
            "=E2*2 (a formula not yet recalculated)",
        ),
        ("<c t=\"e\"><v>#N/A</v></c>", None, "#N/A (an error value)"),
        (&text("1.979"), None, "`1.979` may be a decimal"),
    ] {
        let (status, result) = run(fp16, calc);
        assert_eq!(status, 2, "{fp16}: {result:#}");
        assert_eq!(result["verdict"], "error", "{fp16}: {result:#}");
        assert!(
            result["reasons"].to_string().contains(says),
            "{fp16}: {result:#}"
        );
    }
    // A saved value in a workbook that does not ask to be recalculated is
    // the figure: fp16 1,000 is TPP 16,000.
    let (status, result) = run("<c><f>E2*2</f><v>1000</v></c>", None);
    assert_eq!(status, 1, "{result:#}");
    assert_eq!(result["tpp"].as_f64(), Some(16000.0));
}

/// A cell the sheet holds no value for is an error in whatever column reads
/// it (a vendor or end user read as `#N/A (an error value)` had cleared a
/// chip and a party), and a row of formulas with no saved value is read
/// wherever it lies (one after the last row with values had been dropped).
#[test]
fn an_unreadable_cell_is_an_error_in_any_column_and_no_row_is_dropped() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("dir");
    let header: Vec<String> = ["name", "vendor", "fp16", "end_user"]
        .iter()
        .map(|h| text(h))
        .collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let valued = [
        text("L20"),
        text("NVIDIA"),
        "<c><v>10</v></c>".to_string(),
        text("Acme GmbH"),
    ];
    let valued: Vec<&str> = valued.iter().map(String::as_str).collect();
    let error_vendor = [
        text("H20"),
        "<c t=\"e\"><v>#N/A</v></c>".to_string(),
        "<c><v>148</v></c>".to_string(),
        text("Acme GmbH"),
    ];
    let error_vendor: Vec<&str> = error_vendor.iter().map(String::as_str).collect();
    let lookup_party = [
        text("L20"),
        text("NVIDIA"),
        "<c><v>10</v></c>".to_string(),
        "<c><f>VLOOKUP(A4,Customers!A:B,2,FALSE)</f></c>".to_string(),
    ];
    let lookup_party: Vec<&str> = lookup_party.iter().map(String::as_str).collect();
    let only_formulas = [
        "<c><f>Prices!A2</f></c>",
        "<c><f>Prices!B2</f></c>",
        "<c><f>Prices!C2</f></c>",
        "<c><f>Prices!D2</f></c>",
    ];
    let book = workbook(
        dir.path(),
        &[
            &header,
            &valued,
            &error_vendor,
            &lookup_party,
            &only_formulas,
        ],
        None,
    );
    let (status, json, stderr) = audit(book.to_str().unwrap(), &["--format", "json"]);
    assert_eq!(status, 2, "{stderr}");
    let doc: Value = serde_json::from_str(&json).expect("json");
    let by_row: Vec<(String, String)> = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["destination"] == "CN")
        .map(|r| (r["position"].to_string(), r["verdict"].to_string()))
        .collect();
    assert_eq!(by_row.len(), 4, "{by_row:?}");
    for (position, verdict) in &by_row[1..] {
        assert_eq!(verdict, "\"error\"", "{position}: {json}");
    }
    assert!(json.contains("holds no value for"), "{json}");
}

/// A workbook whose sheet gives a row twice, or a cell a row not its own,
/// is refused: a reader keeps one of the two, and a repeated row 2 had
/// dropped an H100 row while the audit passed.
#[test]
fn a_sheet_that_gives_a_row_twice_is_refused() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("dir");
    let header = [text("name"), text("fp8")];
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let h100 = [text("H100 SXM5 80GB"), "<c><v>1979</v></c>".to_string()];
    let h100: Vec<&str> = h100.iter().map(String::as_str).collect();
    // The third row's cells say they are the second's.
    let over = [
        "<c r=\"A2\" t=\"inlineStr\"><is><t>Widget</t></is></c>",
        "<c r=\"B2\"><v>1</v></c>",
    ];
    let book = workbook(dir.path(), &[&header, &h100, &over], None);
    let (status, _, stderr) = audit(book.to_str().unwrap(), &[]);
    assert_eq!(status, 2, "{stderr}");
    assert!(
        stderr.contains("a cell of row 3 says it is in row 2"),
        "{stderr}"
    );
}
