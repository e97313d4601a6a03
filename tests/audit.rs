//! `chipcheck audit`: a vendor catalogue CSV in, one verdict per row (per
//! destination) out, streamed, in input order, with every row accounted for.
//!
//! Fixtures live in tests/fixtures/audit/; larger catalogues are generated
//! into temporary files. Every run passes `--date` so answers are stable.

mod common;

use common::chipcheck;
use serde_json::Value;
use std::path::{Path, PathBuf};

const DATE: &str = "2024-06-01";

fn fixture(name: &str) -> String {
    format!("tests/fixtures/audit/{name}")
}

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

/// Runs `chipcheck audit FILE --date DATE ARGS...`.
fn audit(file: &str, args: &[&str]) -> Run {
    let out = chipcheck()
        .arg("audit")
        .arg(file)
        .args(["--date", DATE])
        .args(args)
        .output()
        .expect("run");
    Run {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8_lossy(&out.stderr).to_string(),
    }
}

/// Output with what changes on every rule edit or release masked.
fn stable(text: &str) -> String {
    let rules = chipcheck::RuleSet::embedded().expect("rules");
    let short = chipcheck::report::short_hash(&rules.hash).to_string();
    text.replace(&rules.hash, "sha256:[hash]")
        .replace(&short, "[hash]")
        .replace(
            &format!("\"chipcheck_version\": \"{}\"", chipcheck::VERSION),
            "\"chipcheck_version\": \"[version]\"",
        )
        .replace(
            &format!("\"chipcheck_version\":\"{}\"", chipcheck::VERSION),
            "\"chipcheck_version\":\"[version]\"",
        )
        .replace(
            &format!("chipcheck {} ·", chipcheck::VERSION),
            "chipcheck [version] ·",
        )
}

fn jsonl(text: &str) -> (Vec<Value>, Value) {
    let mut values: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let last = values.pop().expect("a summary line");
    assert!(
        last.get("summary").is_some(),
        "last line is the summary: {last}"
    );
    (values, last["summary"].clone())
}

fn temp_file(tag: &str, bytes: &[u8]) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "chipcheck-test-audit-{}-{tag}.csv",
        std::process::id()
    ));
    std::fs::write(&path, bytes).expect("write temp file");
    path
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temp path")
}

/// A catalogue with repeats, library names, figures, misses and bad rows.
fn repetitive_catalogue(rows: usize) -> String {
    let kinds = [
        "H100 SXM5 80GB,NVIDIA,,,,,S",
        "h100 pcie,,,,,,S",
        "rtx 4090,,,,,,S",
        "Apex 700,Acme,700,1400,800,yes,S",
        "Apex 700,Acme,700,1400,,yes,S",
        "Apex 100,Acme,40,,300,no,S",
        "Edge 10,Acme,5,,120,no,=cmd()",
        "Quantum Flux 9000,,,,,,S",
        "mi300,AMD,,,,,S",
        "Bad,Acme,fast,,120,no,S",
        "Odd,Acme,5,,120,perhaps,S",
        "Short,Acme",
    ];
    let mut text = String::from("name,vendor,fp16,fp8,area_mm2,datacenter,sku\n");
    for i in 0..rows {
        text.push_str(kinds[(i * 7 + i / 3) % kinds.len()]);
        text.push_str(&format!("-{i}\n"));
    }
    text
}

// ----- snapshots -----------------------------------------------------------

#[test]
fn table_snapshot() {
    let run = audit(&fixture("catalogue.csv"), &["--to", "CN,SA"]);
    assert_eq!(run.status, 2, "one row is unreadable: {}", run.stderr);
    insta::assert_snapshot!("audit_table", stable(&run.stdout));
}

#[test]
fn csv_snapshot() {
    let run = audit(
        &fixture("catalogue.csv"),
        &["--to", "CN", "--format", "csv"],
    );
    assert_eq!(run.status, 2, "{}", run.stderr);
    insta::assert_snapshot!("audit_csv", stable(&run.stdout));
}

#[test]
fn json_snapshot() {
    let run = audit(
        &fixture("catalogue.csv"),
        &["--to", "CN", "--format", "json"],
    );
    assert_eq!(run.status, 2, "{}", run.stderr);
    insta::assert_snapshot!("audit_json", stable(&run.stdout));
}

#[test]
fn table_snapshot_without_destinations() {
    let run = audit(&fixture("mapped.csv"), &["--columns", &fixture("map.toml")]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    insta::assert_snapshot!("audit_table_every_destination", stable(&run.stdout));
}

// ----- output shapes -------------------------------------------------------

#[test]
fn json_is_results_summary_and_provenance() {
    let run = audit(
        &fixture("catalogue.csv"),
        &["--to", "CN,SA", "--format", "json"],
    );
    let doc: Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    let results = doc["results"].as_array().expect("results");
    assert_eq!(results.len(), 18, "9 rows x 2 destinations");
    for r in results {
        for key in [
            "line",
            "verdict",
            "chip",
            "destination",
            "date",
            "rule",
            "tpp",
            "performance_density",
            "paragraphs",
            "review_policy",
            "exceptions",
            "reasons",
            "basis",
        ] {
            assert!(r.get(key).is_some(), "result lacks `{key}`: {r}");
        }
    }
    assert_eq!(results[0]["line"], 2);
    assert_eq!(results[0]["verdict"], "license_required");
    let s = &doc["summary"];
    assert_eq!(s["rows"], 9);
    assert_eq!(s["results"], 18);
    assert_eq!(s["exit_status"], 2);
    let counts = &s["verdicts"];
    let total: u64 = [
        "license_required",
        "license_exception",
        "indeterminate",
        "no_license_required",
        "error",
    ]
    .iter()
    .map(|k| counts[k].as_u64().expect("a count"))
    .sum();
    assert_eq!(total, 18);
    let restricted: Vec<(u64, &str)> = s["restricted"]
        .as_array()
        .expect("restricted")
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        restricted,
        vec![
            (2, "H100 SXM5 80GB"),
            (3, "h100 pcie"),
            (4, "rtx 4090"),
            (6, "Apex 700")
        ]
    );
    assert_eq!(s["errors"][0]["line"], 9);
    assert!(doc["provenance"]["rules_hash"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
    assert!(!doc["provenance"]["rule_versions"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn jsonl_is_one_result_per_line_then_the_summary() {
    let run = audit(
        &fixture("catalogue.csv"),
        &["--to", "CN", "--format", "jsonl"],
    );
    let (results, summary) = jsonl(&run.stdout);
    assert_eq!(results.len(), 9);
    let lines: Vec<u64> = results
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, (2..=10).collect::<Vec<_>>());
    assert_eq!(summary["rows"], 9);
    // The same answers as the JSON document.
    let doc: Value = serde_json::from_str(
        &audit(
            &fixture("catalogue.csv"),
            &["--to", "CN", "--format", "json"],
        )
        .stdout,
    )
    .unwrap();
    assert_eq!(doc["results"].as_array().unwrap(), &results);
    assert_eq!(doc["summary"], summary);
}

#[test]
fn csv_is_input_columns_then_chipcheck_columns() {
    let run = audit(
        &fixture("catalogue.csv"),
        &["--to", "CN,SA", "--format", "csv"],
    );
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        headers,
        [
            "SKU",
            "name",
            "vendor",
            "fp16",
            "fp8",
            "area_mm2",
            "datacenter",
            "price_usd",
            "notes",
            "line",
            "destination",
            "verdict",
            "paragraphs",
            "tpp",
            "performance_density",
            "review_policy",
            "exceptions",
            "rule",
            "reason"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 18);
    assert_eq!(&rows[0][0], "GPU-001");
    assert_eq!(&rows[0][10], "CN");
    assert_eq!(&rows[1][10], "SA");
    assert_eq!(&rows[0][11], "license_required");
    assert_eq!(&rows[4][11], "license_exception");
    assert_eq!(&rows[4][16], "NAC");
    assert_eq!(&rows[5][11], "license_exception");
    assert_eq!(&rows[5][16], "ACA");
}

// ----- rows: library, figures, mixed ---------------------------------------

#[test]
fn library_names_and_aliases_are_looked_up() {
    let run = audit(
        &fixture("catalogue.csv"),
        &["--to", "CN", "--format", "jsonl"],
    );
    let (results, _) = jsonl(&run.stdout);
    let alias = &results[1];
    assert_eq!(alias["name"], "h100 pcie");
    assert_eq!(alias["chip"], "H100 PCIe 80GB");
    assert_eq!(alias["input"], "library");
    assert_eq!(alias["verdict"], "license_required");
    assert!(
        alias["reasons"][0]
            .as_str()
            .unwrap()
            .contains("examples/chips/"),
        "{alias}"
    );
    assert_eq!(results[2]["chip"], "GeForce RTX 4090");
    assert_eq!(results[2]["verdict"], "license_exception");
}

#[test]
fn a_name_not_in_the_library_is_indeterminate_never_clear() {
    // Germany: no licence would be needed for a known chip, but an unknown
    // one is still undecided.
    for to in ["CN", "DE"] {
        let run = audit(
            &fixture("catalogue.csv"),
            &["--to", to, "--format", "jsonl"],
        );
        let (results, _) = jsonl(&run.stdout);
        let miss = &results[5];
        assert_eq!(miss["name"], "Quantum Flux 9000");
        assert_eq!(miss["verdict"], "indeterminate", "{miss}");
        assert!(
            miss["reasons"][0]
                .as_str()
                .unwrap()
                .contains("not in the built-in library"),
            "{miss}"
        );
        let ambiguous = &results[6];
        assert_eq!(ambiguous["verdict"], "indeterminate");
        let why = ambiguous["reasons"][0].as_str().unwrap();
        assert!(why.contains("MI300A") && why.contains("MI300X"), "{why}");
    }
    let near = temp_file("near", b"name\nH100 SXM6\n");
    let run = audit(path_str(&near), &["--to", "CN", "--format", "jsonl"]);
    std::fs::remove_file(&near).ok();
    let (results, _) = jsonl(&run.stdout);
    let why = results[0]["reasons"][0].as_str().unwrap();
    assert!(why.contains("did you mean"), "{why}");
    assert_eq!(run.status, 3);
}

#[test]
fn a_vendor_that_contradicts_the_library_is_indeterminate() {
    let file = temp_file(
        "vendor",
        b"name,vendor\nrtx 4090,AMD\nrtx 4090,Nvidia Corporation\nmi300x,amd\n",
    );
    let run = audit(path_str(&file), &["--to", "CN", "--format", "jsonl"]);
    std::fs::remove_file(&file).ok();
    let (results, _) = jsonl(&run.stdout);
    assert_eq!(results[0]["verdict"], "indeterminate");
    assert!(results[0]["reasons"][0]
        .as_str()
        .unwrap()
        .contains("vendor is `AMD`"));
    assert_eq!(results[1]["verdict"], "license_exception");
    assert_eq!(results[2]["chip"], "Instinct MI300X");
}

#[test]
fn figure_rows_use_their_own_figures_and_empty_cells_are_unknown() {
    let run = audit(
        &fixture("catalogue.csv"),
        &["--to", "CN", "--format", "jsonl"],
    );
    let (results, _) = jsonl(&run.stdout);
    let own = &results[0];
    assert_eq!(own["input"], "catalogue");
    assert_eq!(own["tpp"], 15831.2);
    // fp16 40 with fp8 left empty: TPP is at least 640, and fp8 may give
    // more (an empty precision had been taken as none, and the row cleared).
    let floor = &results[3];
    assert_eq!(floor["verdict"], "indeterminate", "{floor}");
    assert_eq!(floor["tpp"], 640.0);
    assert_eq!(floor["settle_with"], serde_json::json!(["compute"]));
    assert!(
        floor["reasons"]
            .to_string()
            .contains("fp8 is not known (left empty)"),
        "{floor}"
    );
    // No die area: the TPP alone decides 3A090.a.1; the density is unknown, not zero.
    let no_area = &results[4];
    assert_eq!(no_area["tpp"], 11200.0);
    assert_eq!(no_area["performance_density"], Value::Null);

    let run = audit(
        &fixture("indeterminate.csv"),
        &["--to", "CN", "--format", "jsonl"],
    );
    let (results, _) = jsonl(&run.stdout);
    assert_eq!(results[1]["verdict"], "indeterminate", "{}", results[1]);
    assert!(results[1]["settle_with"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == "die.area_mm2"));
}

#[test]
fn header_mapping_by_file_and_by_flag_agree() {
    let by_file = audit(
        &fixture("mapped.csv"),
        &[
            "--to",
            "CN",
            "--format",
            "csv",
            "--columns",
            &fixture("map.toml"),
        ],
    );
    let by_flags = audit(
        &fixture("mapped.csv"),
        &[
            "--to",
            "CN",
            "--format",
            "csv",
            "--column",
            "product name=name",
            "--column",
            "Maker=vendor",
            "--column",
            "FP16 TFLOPS=FP16",
            "--column",
            "Die (mm2)=area_mm2",
            "--column",
            "Data centre?=datacenter",
        ],
    );
    assert_eq!(by_file.stdout, by_flags.stdout);
    assert_eq!(by_file.status, 1);
    assert!(
        by_file
            .stdout
            .contains("Apex 700,Acme,700,800,Y,A-1,2,CN,license_required"),
        "{}",
        by_file.stdout
    );
    // A flag overrides the file for the same header.
    let overridden = audit(
        &fixture("mapped.csv"),
        &[
            "--to",
            "CN",
            "--format",
            "csv",
            "--columns",
            &fixture("map.toml"),
            "--column",
            "FP16 TFLOPS=bf16",
        ],
    );
    assert_eq!(
        overridden.stdout.replace("bf16", "fp16"),
        by_file.stdout.replace("bf16", "fp16")
    );
}

#[test]
fn no_destination_gives_one_result_per_row() {
    let run = audit(&fixture("catalogue.csv"), &["--format", "jsonl"]);
    let (results, summary) = jsonl(&run.stdout);
    assert_eq!(results.len(), 9);
    assert!(results.iter().all(|r| r["destination"].is_null()));
    let h100 = &results[0];
    assert_eq!(h100["verdict"], "license_required");
    assert!(h100["license_destinations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d == "CN"));
    assert_eq!(summary["destinations"], Value::Null);
}

// ----- every row accounted for ----------------------------------------------

#[test]
fn one_result_per_row_and_destination_in_input_order() {
    let text = repetitive_catalogue(120);
    let file = temp_file("order", text.as_bytes());
    let run = audit(path_str(&file), &["--to", "CN,SA,DE", "--format", "jsonl"]);
    std::fs::remove_file(&file).ok();
    let (results, summary) = jsonl(&run.stdout);
    assert_eq!(results.len(), 360);
    for (i, r) in results.iter().enumerate() {
        assert_eq!(r["line"], (i / 3 + 2) as u64, "{r}");
        assert_eq!(r["destination"], ["CN", "SA", "DE"][i % 3], "{r}");
        assert!(r["name"].as_str().is_some(), "{r}");
    }
    assert_eq!(summary["rows"], 120);
    assert_eq!(summary["results"], 360);
    assert_eq!(run.status, 2);
}

#[test]
fn the_cache_changes_nothing() {
    let text = repetitive_catalogue(300);
    let file = temp_file("cache", text.as_bytes());
    for args in [
        &["--to", "CN,SA", "--format", "csv"][..],
        &["--to", "CN", "--format", "json"][..],
        &["--to", "DE,CN", "--format", "jsonl"][..],
        &["--to", "SA", "--format", "table"][..],
    ] {
        let cached = audit(path_str(&file), args);
        let mut uncached_args = args.to_vec();
        uncached_args.push("--no-cache");
        let uncached = audit(path_str(&file), &uncached_args);
        assert_eq!(cached.status, uncached.status, "{args:?}");
        assert_eq!(cached.stdout, uncached.stdout, "{args:?}");
        assert_eq!(cached.status, 2);
    }
    std::fs::remove_file(&file).ok();
}

/// `--threads`: rows evaluated on several threads come out as on one, in
/// catalogue order (enough distinct rows that threads start: a batch is
/// 1,024 rows).
#[test]
fn threads_change_nothing() {
    let mut text = String::from("name,vendor,fp16,area_mm2,datacenter\n");
    for i in 0..1500 {
        let fp16 = 1 + (i * 37) % 2500;
        let area = 100 + (i * 13) % 800;
        let dc = if i % 3 == 0 { "no" } else { "yes" };
        text.push_str(&format!("Part {i},Acme,{fp16}.{},{area},{dc}\n", i % 10));
        if i % 97 == 0 {
            text.push_str("Broken,,1.979,5,,\n");
        }
    }
    let file = temp_file("threads", text.as_bytes());
    for args in [
        &["--to", "CN,SA", "--format", "csv"][..],
        &["--to", "AE", "--format", "jsonl"][..],
    ] {
        let one = audit(path_str(&file), &[args, &["--threads", "1"]].concat());
        let many = audit(path_str(&file), &[args, &["--threads", "3"]].concat());
        let default = audit(path_str(&file), &[args, &["--no-cache"]].concat());
        assert!(one.stdout.lines().count() > 1500, "{args:?}");
        assert_eq!(one.status, many.status, "{args:?}");
        assert!(
            one.stdout == many.stdout,
            "{args:?}: 3 threads differ from 1"
        );
        assert!(
            one.stdout == default.stdout,
            "{args:?}: the default differs from 1 thread"
        );
    }
    // Each result is its own row's, whatever path evaluated it: TPP is the
    // row's fp16 TFLOPS x 16 bits (a result attached to another row's would
    // not be).
    let out = audit(path_str(&file), &["--to", "CN", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (name, fp16, tpp) = (column("name"), column("fp16"), column("tpp"));
    let mut checked = 0;
    for record in reader.records() {
        let record = record.unwrap();
        if &record[name] == "Broken" {
            continue;
        }
        let fp16: f64 = record[fp16].parse().unwrap();
        let tpp: f64 = record[tpp].parse().unwrap();
        assert!((tpp - fp16 * 16.0).abs() < 1e-6, "{record:?}");
        checked += 1;
    }
    assert_eq!(checked, 1500);
    std::fs::remove_file(&file).ok();
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let bytes = std::fs::read(fixture_path("catalogue.csv")).unwrap();
    let out = chipcheck()
        .args([
            "audit", "-", "--date", DATE, "--to", "CN", "--format", "csv",
        ])
        .write_stdin(bytes)
        .output()
        .unwrap();
    let from_file = audit(
        &fixture("catalogue.csv"),
        &["--to", "CN", "--format", "csv"],
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap(), from_file.stdout);
    assert_eq!(out.status.code(), Some(2));
}

fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/audit")
        .join(name)
}

#[test]
fn line_numbers_are_physical_lines_through_crlf_bom_blank_lines_and_quoted_newlines() {
    let run = audit(
        &fixture("crlf-bom.csv"),
        &["--to", "CN", "--format", "jsonl"],
    );
    let (results, _) = jsonl(&run.stdout);
    let lines: Vec<u64> = results
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![2, 4, 7]);
    assert_eq!(
        results[0]["name"], "Edge 10",
        "the BOM does not hide the `name` header"
    );
    assert_eq!(run.status, 0, "{}", run.stdout);
}

// ----- errors: the row says why, the audit goes on --------------------------

fn error_rows(file: &str) -> (Run, Vec<Value>) {
    let run = audit(&fixture(file), &["--to", "CN", "--format", "jsonl"]);
    let (results, _) = jsonl(&run.stdout);
    (run, results)
}

#[test]
fn a_bad_number_is_an_error_row_naming_column_and_value() {
    let (run, results) = error_rows("bad-number.csv");
    assert_eq!(run.status, 2);
    let verdicts: Vec<&str> = results
        .iter()
        .map(|r| r["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(
        verdicts,
        ["no_license_required", "error", "no_license_required"]
    );
    assert_eq!(results[1]["line"], 3);
    assert_eq!(results[1]["error"], "column `fp16`: `fast` is not a number");
    assert_eq!(
        results[1]["reasons"][0],
        "column `fp16`: `fast` is not a number"
    );
}

#[test]
fn negative_infinite_and_nan_figures_are_errors() {
    let (run, results) = error_rows("negative.csv");
    assert_eq!(run.status, 2);
    let errors: Vec<&str> = results
        .iter()
        .map(|r| r["error"].as_str().unwrap())
        .collect();
    assert_eq!(
        errors,
        [
            "column `fp16`: `-5` is negative; figures must be zero or more",
            "column `fp16`: `inf` is not a finite number",
            "column `area_mm2`: `NaN` is not a finite number",
        ]
    );
}

#[test]
fn a_bad_boolean_is_an_error_naming_the_column() {
    let (run, results) = error_rows("bad-bool.csv");
    assert_eq!(run.status, 2);
    assert!(results[0]["error"]
        .as_str()
        .unwrap()
        .starts_with("column `datacenter`: `maybe` is not yes or no"));
    assert!(results[1]["error"]
        .as_str()
        .unwrap()
        .starts_with("column `sparse`: `sometimes` is not yes or no"));
    let ok = temp_file("bools", b"name,fp16,area_mm2,datacenter\na,5,120,TRUE\nb,5,120,No\nc,5,120,1\nd,5,120,n\ne,5,120,Y\nf,5,120,false\n");
    let run = audit(path_str(&ok), &["--to", "CN", "--format", "jsonl"]);
    std::fs::remove_file(&ok).ok();
    assert_eq!(run.status, 0, "{}", run.stdout);
}

#[test]
fn a_ragged_row_is_an_error_and_the_rest_go_on() {
    let (run, results) = error_rows("ragged.csv");
    assert_eq!(run.status, 2);
    assert_eq!(results.len(), 3);
    assert_eq!(
        results[0]["error"],
        "the row has 2 fields; the header has 4 (a missing or extra comma, or an unclosed quote?)"
    );
    assert!(results[1]["error"]
        .as_str()
        .unwrap()
        .starts_with("the row has 6 fields"));
    assert_eq!(results[2]["verdict"], "no_license_required");
    // CSV output keeps one cell per header column.
    let run = audit(&fixture("ragged.csv"), &["--to", "CN", "--format", "csv"]);
    for line in run.stdout.lines().skip(1) {
        let record = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes())
            .records()
            .next()
            .unwrap()
            .unwrap();
        assert_eq!(record.len(), 4 + 10, "{line}");
    }
}

#[test]
fn invalid_utf8_is_an_error_naming_the_column() {
    let (run, results) = error_rows("invalid-utf8.csv");
    assert_eq!(run.status, 2);
    assert_eq!(
        results[0]["error"],
        "column `name`: not UTF-8 text (invalid byte 0xE9 at offset 3); save the catalogue as \"CSV UTF-8\"; a file Excel saved as \"CSV (Comma delimited)\" on Windows is Windows-1252: pass --encoding windows-1252"
    );
    assert!(results[1]["error"]
        .as_str()
        .unwrap()
        .starts_with("column `notes`: not UTF-8 text"));
    assert_eq!(results[2]["verdict"], "no_license_required");
    // The CSV output stays UTF-8.
    let run = audit(
        &fixture("invalid-utf8.csv"),
        &["--to", "CN", "--format", "csv"],
    );
    assert!(run.stdout.contains("Caf\u{FFFD} chip"));
}

#[test]
fn unknown_mapping_targets_are_errors_with_did_you_mean() {
    let run = audit(&fixture("mapped.csv"), &["--column", "FP16 TFLOPS=fp17"]);
    assert_eq!(run.status, 2);
    assert!(
        run.stderr
            .contains("unknown column `fp17`; did you mean `fp16`?"),
        "{}",
        run.stderr
    );
    let run = audit(
        &fixture("mapped.csv"),
        &["--columns", &fixture("bad-map.toml")],
    );
    assert_eq!(run.status, 2);
    insta::assert_snapshot!("audit_bad_map_error", run.stderr);
    let run = audit(&fixture("mapped.csv"), &["--column", "Prodct Name=name"]);
    assert_eq!(run.status, 2);
    assert!(
        run.stderr
            .contains("no column `Prodct Name`; did you mean `Product Name`?"),
        "{}",
        run.stderr
    );
    let run = audit(&fixture("mapped.csv"), &["--column", "Product Name"]);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("HEADER=COLUMN"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

#[test]
fn a_missing_name_column_is_an_error_suggesting_a_mapping() {
    let run = audit(&fixture("no-name.csv"), &[]);
    assert_eq!(run.status, 2);
    assert!(run.stdout.is_empty());
    insta::assert_snapshot!("audit_no_name_error", run.stderr);
    let run = audit(
        &fixture("no-name.csv"),
        &[
            "--column",
            "Product=name",
            "--to",
            "CN",
            "--format",
            "jsonl",
        ],
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
}

#[test]
fn an_empty_file_is_an_error_and_a_header_alone_is_an_empty_audit() {
    let run = audit(&fixture("empty.csv"), &[]);
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("the catalogue is empty"),
        "{}",
        run.stderr
    );
    let header_only = temp_file("header", b"name,fp16\n");
    let run = audit(path_str(&header_only), &["--format", "json"]);
    std::fs::remove_file(&header_only).ok();
    assert_eq!(run.status, 0);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["results"], serde_json::json!([]));
    assert_eq!(doc["summary"]["rows"], 0);
}

#[test]
fn a_missing_file_is_an_error() {
    let run = audit("tests/fixtures/audit/no-such-file.csv", &[]);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("no-such-file.csv"), "{}", run.stderr);
}

// ----- spreadsheet safety --------------------------------------------------

#[test]
fn formula_cells_are_neutralised_in_csv_output() {
    let run = audit(&fixture("formulas.csv"), &["--to", "CN", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(headers[6], "'@d");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let first: Vec<&str> = rows[0].iter().take(7).collect();
    assert_eq!(
        first,
        [
            "'=1+1",
            "5",
            "120",
            "'+SUM(A1:A2)",
            "'-3",
            "'@cmd",
            "'\ttab"
        ]
    );
    let second: Vec<&str> = rows[1].iter().take(7).collect();
    assert_eq!(
        second,
        [
            "'=HYPERLINK(\"http://evil\",\"click\")",
            "5",
            "120",
            "plain",
            "x,y",
            "say \"hi\"",
            "'\rcr"
        ]
    );
    // No output cell at all starts a formula.
    for row in &rows {
        for cell in row.iter() {
            assert!(
                !matches!(
                    cell.as_bytes().first(),
                    Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
                ),
                "{cell:?}"
            );
        }
    }
    // Echoed values in messages are neutralised too.
    let bad = temp_file("formula-error", b"name,fp16\n=1+2,=2+3\n-evil,abc\n");
    let run = audit(path_str(&bad), &["--to", "CN", "--format", "csv"]);
    std::fs::remove_file(&bad).ok();
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(run.stdout.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    for row in &rows {
        for cell in row.iter() {
            assert!(
                !matches!(
                    cell.as_bytes().first(),
                    Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
                ),
                "{cell:?}"
            );
        }
    }
    assert_eq!(&rows[0][0], "'=1+2");
    assert!(
        rows[0][11].contains("`=2+3` is not a number"),
        "{:?}",
        rows[0]
    );
}

// ----- exit statuses ---------------------------------------------------------

#[test]
fn exit_statuses_follow_classify() {
    assert_eq!(audit(&fixture("clear.csv"), &["--to", "CN"]).status, 0);
    assert_eq!(audit(&fixture("restricted.csv"), &["--to", "CN"]).status, 1);
    assert_eq!(
        audit(&fixture("indeterminate.csv"), &["--to", "CN"]).status,
        3
    );
    assert_eq!(audit(&fixture("bad-number.csv"), &["--to", "CN"]).status, 2);
    // An error wins over a restricted row, after every result is written.
    let run = audit(
        &fixture("catalogue.csv"),
        &["--to", "CN", "--format", "jsonl"],
    );
    assert_eq!(run.status, 2);
    let (results, summary) = jsonl(&run.stdout);
    assert_eq!(results.len(), 9);
    assert_eq!(summary["exit_status"], 2);
    // --fail-on narrows what fails; unreadable rows always do.
    assert_eq!(
        audit(
            &fixture("restricted.csv"),
            &["--to", "CN", "--fail-on", "indeterminate"]
        )
        .status,
        0
    );
    assert_eq!(
        audit(
            &fixture("indeterminate.csv"),
            &["--to", "CN", "--fail-on", "license_required"]
        )
        .status,
        0
    );
    assert_eq!(
        audit(
            &fixture("bad-number.csv"),
            &["--to", "CN", "--fail-on", "indeterminate"]
        )
        .status,
        2
    );
    // Usage errors are 2 as well.
    assert_eq!(
        audit(&fixture("clear.csv"), &["--to", "Atlantis"]).status,
        2
    );
}
