//! Catalogue input at its edges (issue 9): how cells, records, delimiters,
//! headers and encodings are read, and that no row is lost or guessed at.

mod common;

use common::{chipcheck, chipcheck_in, ROOT};
use serde_json::Value;
use std::path::Path;

struct Run {
    status: i32,
    results: Vec<Value>,
    summary: Value,
    stderr: String,
}

/// `chipcheck audit FILE --to CN --date 2024-06-01 --format jsonl ARGS...`
fn audit(file: &str, args: &[&str]) -> Run {
    let out = chipcheck()
        .arg("audit")
        .arg(file)
        .args(["--to", "CN", "--date", "2024-06-01", "--format", "jsonl"])
        .args(args)
        .output()
        .expect("run");
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let mut lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let summary = lines
        .pop()
        .map(|l| l["summary"].clone())
        .unwrap_or_default();
    Run {
        status: out.status.code().unwrap_or(-1),
        results: lines,
        summary,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn fixture(name: &str) -> String {
    format!("tests/fixtures/audit/{name}")
}

fn verdicts(run: &Run) -> Vec<String> {
    run.results
        .iter()
        .map(|r| r["verdict"].as_str().unwrap_or("?").to_string())
        .collect()
}

// ----- numbers -----------------------------------------------------------

#[test]
fn a_decimal_comma_is_refused_unless_asked_for() {
    let run = audit(&fixture("decimal-comma.csv"), &[]);
    assert_eq!(verdicts(&run), ["error"], "{:?}", run.results);
    let reason = run.results[0]["reasons"][0].as_str().unwrap_or_default();
    assert!(
        reason.contains("fp16") && reason.contains("1.979,5") && reason.contains("--decimal-comma"),
        "{reason}"
    );
    assert_eq!(run.status, 2);

    let run = audit(&fixture("decimal-comma.csv"), &["--decimal-comma"]);
    assert_eq!(verdicts(&run), ["license_required"], "{:?}", run.results);
}

/// `2.000` reads two ways (2, or 2,000 grouped as many European sheets
/// write it): the row is an error that says so, never a guess. With a
/// guess of 2 the semicolon-separated row (int8 2,000 TOPS, TPP 16,000)
/// was `no_license_required` (found by an adversarial review).
#[test]
fn a_figure_that_reads_two_ways_is_an_error() {
    let run = audit(&fixture("point-grouped.csv"), &[]);
    assert_eq!(
        verdicts(&run),
        ["error", "license_required"],
        "{:?}",
        run.results
    );
    let reason = run.results[0]["reasons"][0].as_str().unwrap_or_default();
    assert!(
        reason.contains("`2.000` may be") && reason.contains("--decimal-comma"),
        "{reason}"
    );
    assert_eq!(run.status, 2);
    // With --decimal-comma the point groups thousands: 2,000 TOPS.
    let run = audit(&fixture("point-grouped.csv"), &["--decimal-comma"]);
    assert_eq!(
        verdicts(&run),
        ["license_required", "license_required"],
        "{:?}",
        run.results
    );
    // `2,000` reads two ways under --decimal-comma, and one without it.
    let run = audit(&fixture("comma-grouped.csv"), &["--decimal-comma"]);
    assert_eq!(verdicts(&run), ["error"], "{:?}", run.results);
    let run = audit(&fixture("comma-grouped.csv"), &[]);
    assert_eq!(verdicts(&run), ["license_required"], "{:?}", run.results);
    // A tab-separated export from such a spreadsheet writes `1.979` for
    // 1,979 TFLOPS as well: it had been read as 1.979, TPP 15.8, and cleared.
    for (delimiter, args) in [("\t", &[][..]), ("|", &["--delimiter", "pipe"][..])] {
        let text = std::fs::read_to_string(fixture("point-grouped.csv"))
            .unwrap()
            .replace(';', delimiter);
        let run = audit_stdin(text.as_bytes(), args);
        assert_eq!(
            verdicts(&run),
            ["error", "license_required"],
            "{delimiter}: {:?}",
            run.results
        );
    }
    // Outside a file separated by semicolons or tabs, a point is a decimal point: 3.350
    // TB/s is 3,350 GB/s, not an error (a second review found the refusal).
    let run = audit_stdin(
        b"name,datacenter,fp16,area_mm2,Memory Bandwidth (TB/s)\nX,yes,100,800,3.350\n",
        &[],
    );
    assert_eq!(verdicts(&run), ["no_license_required"], "{}", run.stderr);
}

#[test]
fn commas_only_group_thousands() {
    let run = audit(&fixture("bad-separators.csv"), &[]);
    assert_eq!(
        verdicts(&run),
        ["error", "error", "license_required"],
        "{:?}",
        run.results
    );
    for (result, cell) in run.results.iter().zip(["989,4", "1,97,9"]) {
        let reason = result["reasons"][0].as_str().unwrap_or_default();
        assert!(
            reason.contains("column `fp16`") && reason.contains(cell),
            "{reason}"
        );
    }
}

// ----- placeholders ------------------------------------------------------

#[test]
fn placeholders_are_unknown_not_errors() {
    let run = audit(&fixture("placeholders.csv"), &[]);
    assert_eq!(
        verdicts(&run),
        ["indeterminate", "license_required"],
        "{:?}",
        run.results
    );
    assert_eq!(run.summary["verdicts"]["error"], 0, "{}", run.stderr);
}

// ----- bounded reads -----------------------------------------------------

#[cfg(unix)]
#[test]
fn devices_and_pipes_are_read_with_a_cap() {
    let out = chipcheck()
        .args([
            "classify",
            "/dev/zero",
            "--to",
            "CN",
            "--date",
            "2024-06-01",
        ])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("longer than the limit"), "{stderr}");

    for flag in ["--columns", "--config"] {
        let out = chipcheck_in(Path::new(ROOT))
            .args(["audit", "tests/fixtures/audit/clear.csv", "--to", "CN"])
            .args(["--date", "2024-06-01", flag, "/dev/zero"])
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{flag}: {stderr}");
        assert!(stderr.contains("longer than the limit"), "{flag}: {stderr}");
    }
}

/// `chipcheck audit -` to CN on 2024-06-01 in `format`, with `input` on
/// standard input: the process's output as it is.
fn audit_as(format: &str, input: impl Into<Vec<u8>>, args: &[&str]) -> std::process::Output {
    chipcheck()
        .args(["audit", "-", "--to", "CN", "--date", "2024-06-01"])
        .args(["--format", format])
        .args(args)
        .write_stdin(input.into())
        .output()
        .expect("run")
}

/// [`audit_as`] writing CSV (for runs that are refused, or read as CSV).
fn audit_csv(input: impl Into<Vec<u8>>, args: &[&str]) -> std::process::Output {
    audit_as("csv", input, args)
}

/// `chipcheck audit - ...` with `input` on standard input.
fn audit_stdin(input: &[u8], args: &[&str]) -> Run {
    let out = audit_as("jsonl", input.to_vec(), args);
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let mut lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let summary = lines
        .pop()
        .map(|l| l["summary"].clone())
        .unwrap_or_default();
    Run {
        status: out.status.code().unwrap_or(-1),
        results: lines,
        summary,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// (line, verdict) of every result.
fn lines(run: &Run) -> Vec<(u64, String)> {
    run.results
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap_or(0),
                r["verdict"].as_str().unwrap_or("?").to_string(),
            )
        })
        .collect()
}

fn owned(pairs: &[(u64, &str)]) -> Vec<(u64, String)> {
    pairs.iter().map(|(l, v)| (*l, v.to_string())).collect()
}

// ----- records -----------------------------------------------------------

#[test]
fn an_unclosed_quote_is_an_error_at_its_line_and_loses_no_row() {
    let run = audit(&fixture("unclosed-quote.csv"), &[]);
    assert_eq!(
        lines(&run),
        owned(&[
            (2, "no_license_required"),
            (3, "error"),
            (4, "license_required"),
            (5, "no_license_required"),
        ]),
        "{}",
        run.stderr
    );
    let reason = run.results[1]["reasons"][0].as_str().unwrap_or_default();
    assert!(
        reason.contains("opened on line 3") && reason.contains("line 4"),
        "{reason}"
    );
    assert_eq!(run.results[1]["name"], "Other");
    assert_eq!(run.summary["lines_read"], 6);
    assert_eq!(run.summary["rows"], 4);
    assert_eq!(run.status, 2);
}

#[test]
fn an_unclosed_quote_running_to_the_end_is_an_error() {
    let run = audit_stdin(b"name,fp16,area_mm2\nBig,1979,814\nOdd,\"10,100\n", &[]);
    assert_eq!(
        lines(&run),
        owned(&[(2, "license_required"), (3, "error")]),
        "{}",
        run.stderr
    );
    let reason = run.results[1]["reasons"][0].as_str().unwrap_or_default();
    assert!(reason.contains("end of the file"), "{reason}");
}

#[test]
fn semicolons_and_tabs_are_detected_and_named() {
    let run = audit(
        &fixture("semicolon-decimal-comma.csv"),
        &["--decimal-comma"],
    );
    assert_eq!(
        lines(&run),
        owned(&[(2, "license_required"), (3, "no_license_required")]),
        "{}",
        run.stderr
    );
    assert_eq!(run.summary["delimiter"], ";");

    let run = audit_stdin(b"name\tfp16\tarea_mm2\nBig\t1979\t814\n", &[]);
    assert_eq!(
        lines(&run),
        owned(&[(2, "license_required")]),
        "{}",
        run.stderr
    );
    assert_eq!(run.summary["delimiter"], "\t");
}

#[test]
fn an_ambiguous_delimiter_is_refused_and_can_be_given() {
    let text = b"name,notes;x\nBig,a;b\n";
    let run = audit_stdin(text, &[]);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("--delimiter"), "{}", run.stderr);
    let run = audit_stdin(text, &["--delimiter", "comma"]);
    assert_eq!(run.summary["delimiter"], ",", "{}", run.stderr);
    assert_eq!(run.summary["rows"], 1);
}

#[test]
fn bare_cr_line_endings_give_the_right_lines() {
    let run = audit_stdin(b"name,fp16,area_mm2\rBig,1979,814\r\rSmall,1,100\r", &[]);
    assert_eq!(
        lines(&run),
        owned(&[(2, "license_required"), (4, "no_license_required")]),
        "{}",
        run.stderr
    );
    assert_eq!(run.summary["lines_read"], 4);
}

#[test]
fn empty_records_are_skipped_like_blank_lines() {
    let run = audit_stdin(b"name,fp16,area_mm2\n,,\nBig,1979,814\n , ,\n", &[]);
    assert_eq!(
        lines(&run),
        owned(&[(3, "license_required")]),
        "{}",
        run.stderr
    );
    assert_eq!(run.summary["empty_records_skipped"], 2);
    assert_eq!(run.status, 1);
}

#[test]
fn a_record_over_the_cap_is_an_error_and_reading_resumes() {
    let mut text = b"name,fp16,area_mm2\n".to_vec();
    text.extend(std::iter::repeat_n(b'x', (1 << 20) + 100));
    text.extend_from_slice(b"\nBig,1979,814\n");
    let run = audit_stdin(&text, &[]);
    assert_eq!(
        lines(&run),
        owned(&[(2, "error"), (3, "license_required")]),
        "{}",
        run.stderr
    );
    let reason = run.results[0]["reasons"][0].as_str().unwrap_or_default();
    assert!(reason.contains("1 MiB"), "{reason}");
}

// ----- encodings ---------------------------------------------------------

#[test]
fn windows_1252_gets_a_clear_message_and_a_way_through() {
    let run = audit(&fixture("windows-1252.csv"), &[]);
    assert_eq!(verdicts(&run), ["error"]);
    let reason = run.results[0]["reasons"][0].as_str().unwrap_or_default();
    assert!(reason.contains("--encoding windows-1252"), "{reason}");

    let run = audit(
        &fixture("windows-1252.csv"),
        &["--encoding", "windows-1252"],
    );
    assert_eq!(verdicts(&run), ["license_required"], "{}", run.stderr);
    assert_eq!(run.results[0]["name"], "Café \u{201c}X\u{201d}");
    assert_eq!(run.summary["encoding"], "Windows-1252");
}

#[test]
fn a_utf8_byte_order_mark_is_dropped() {
    let run = audit_stdin(b"\xEF\xBB\xBFname,fp16,area_mm2\nBig,1979,814\n", &[]);
    assert_eq!(
        lines(&run),
        owned(&[(2, "license_required")]),
        "{}",
        run.stderr
    );
}

// ----- figure columns under spreadsheet headers ---------------------------

/// A China-specific cut-down part under a full part's name: its own figures,
/// under the headers spreadsheets use, must be read (and converted), not
/// passed through while the row is judged by the library's H100.
#[test]
fn spreadsheet_headers_are_read_in_their_units() {
    let own_units = b"name,fp16,area_mm2,interconnect_gbps,memory_bandwidth_gbps,datacenter\n\
H100 SXM5 80GB,148,814,900,4000,yes\n";
    let spreadsheet = "name,FP16 Tensor TFLOPS,Die Area (cm²),NVLink (GB/s),Memory Bandwidth (TB/s),Data Center?\n\
H100 SXM5 80GB,0.148 PFLOPS-ignored,8.14,900,4.0,yes\n"
        .replace("0.148 PFLOPS-ignored", "148");
    let reference = audit_stdin(own_units, &[]);
    let read = audit_stdin(spreadsheet.as_bytes(), &[]);
    assert_eq!(read.status, reference.status, "{}", read.stderr);
    for key in [
        "verdict",
        "tpp",
        "performance_density",
        "paragraphs",
        "reasons",
    ] {
        assert_eq!(read.results[0][key], reference.results[0][key], "{key}");
    }
    // The row's own TPP (148 TFLOPS x 16 bits), not the library H100's 15,831.
    assert_eq!(read.results[0]["tpp"].as_f64(), Some(2368.0));
    let columns = read.summary["columns_read"].to_string();
    assert!(
        columns.contains("TB/s × 1000") && columns.contains("cm² × 100"),
        "{}",
        read.summary
    );
}

/// A row whose only figure is an FP32 column gives a TPP floor, not the TPP
/// (see tests/unknowns.rs): it is not cleared.
#[test]
fn a_row_with_fp32_only_is_not_cleared() {
    let run = audit_stdin(
        b"name,vendor,datacenter,FP32 TFLOPS\nGeForce RTX 4090,NVIDIA,no,82.6\n",
        &[],
    );
    assert_eq!(verdicts(&run), ["indeterminate"], "{}", run.stderr);
    assert_ne!(run.status, 0);
}

/// A column chipcheck would pass through unread although the answer turns
/// on it is an error (found by an adversarial review): a `TPP` column of
/// 16,000 beside an fp16 of 1 gave `no_license_required`, and an
/// `end_user_hq` of CN was answered as if for no headquarters. Mapped to
/// `ignore` on purpose, the rows are read as before.
#[test]
fn a_column_the_answer_would_turn_on_is_never_passed_through_silently() {
    for (text, header, says) in [
        (
            &b"name,vendor,datacenter,fp16,TPP
X,Acme,yes,1,16000
"[..],
            "TPP",
            "TPP or performance density",
        ),
        (
            b"name,datacenter,fp16,Total Processing Performance
X,yes,1,16000
",
            "Total Processing Performance",
            "TPP or performance density",
        ),
        (
            b"name,end_user_hq
H20,CN
",
            "end_user_hq",
            "headquarters",
        ),
        (
            b"name,fp16,Destination
X,1,CN
",
            "Destination",
            "a destination",
        ),
    ] {
        let run = audit_stdin(text, &[]);
        assert_eq!(run.status, 2, "{header}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{header}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("--column \"{header}=ignore\"")),
            "{header}: {}",
            run.stderr
        );
        let ignored = format!("{header}=ignore");
        let run = audit_stdin(text, &["--column", &ignored]);
        assert_ne!(run.status, 2, "{header}: {}", run.stderr);
    }
}

/// The spellings such columns go by are refused too, and headers that only
/// share a word with them (`Days to ship`, `Vendor HQ`) pass through: a
/// refusal stops the whole audit (found by a second review).
#[test]
fn headers_near_a_column_the_answer_turns_on_are_told_apart() {
    for header in [
        "StatedTPP",
        "T.P.P.",
        "Total Proc. Perf.",
        "Perf density",
        "PD",
        "Performance density (TPP per mm²)",
        "Ships to",
        "Dest. country",
        "Customer country",
        "End user headquarters",
    ] {
        let text = format!("name,datacenter,fp16,\"{header}\"\nX,yes,500,CN\n");
        let run = audit_stdin(text.as_bytes(), &[]);
        assert_eq!(run.status, 2, "{header}: {}", run.stderr);
    }
    for header in [
        "Days to ship",
        "Time to Ship (weeks)",
        "HQ city",
        "Vendor HQ",
        "Manufacturer headquarters",
        "Country of origin",
    ] {
        let text = format!("name,datacenter,fp16,\"{header}\"\nX,yes,500,CN\n");
        let run = audit_stdin(text.as_bytes(), &[]);
        assert_eq!(
            verdicts(&run),
            ["license_required"],
            "{header}: {}",
            run.stderr
        );
    }
}

#[test]
fn a_figure_header_that_cannot_be_read_is_an_error_that_names_the_mapping() {
    let text = b"name,FP16 TFLOPS (sparse),vendor\nH100 SXM5 80GB,1979,NVIDIA\n";
    let run = audit_stdin(text, &[]);
    assert_eq!(run.status, 2);
    assert!(
        run.stderr
            .contains("`FP16 TFLOPS (sparse)` looks like a figure")
            && run
                .stderr
                .contains("--column \"FP16 TFLOPS (sparse)=ignore\""),
        "{}",
        run.stderr
    );
    // Passed through on purpose, the row is a library look-up again.
    let run = audit_stdin(text, &["--column", "FP16 TFLOPS (sparse)=ignore"]);
    assert_eq!(verdicts(&run), ["license_required"], "{}", run.stderr);
    // Bits or bytes? Refused, never guessed.
    let run = audit_stdin(b"name,nvlink gbps\nX,900\n", &[]);
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("bytes (GB/s) or bits (Gb/s)"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_mapped_header_stating_a_unit_is_converted_or_refused() {
    let text = b"Part,Mem BW (TB/s),FP16\nX,4,148\n";
    let run = audit_stdin(
        text,
        &[
            "--column",
            "Part=name",
            "--column",
            "Mem BW (TB/s)=memory_bandwidth_gbps",
        ],
    );
    assert_ne!(run.status, 2, "{}", run.stderr);
    assert!(run.summary["columns_read"]
        .to_string()
        .contains("TB/s × 1000"));
    let run = audit_stdin(
        text,
        &[
            "--column",
            "Part=name",
            "--column",
            "Mem BW (TB/s)=area_mm2",
        ],
    );
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("not a unit of `area_mm2`"),
        "{}",
        run.stderr
    );
}

/// One `--columns` map serves many catalogues: headers a catalogue lacks are
/// skipped (a `--column` flag naming a missing header is still an error).
#[test]
fn a_columns_file_may_name_headers_a_catalogue_lacks() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("map.toml");
    std::fs::write(
        &map,
        "\"Part\" = \"name\"\n\"Peak FP8\" = \"fp8\"\n\"Model\" = \"name\"\n",
    )
    .unwrap();
    let map = map.display().to_string();
    let run = audit_stdin(b"Part,FP16 TFLOPS\nX,148\n", &["--columns", &map]);
    assert_ne!(run.status, 2, "{}", run.stderr);
    assert_eq!(run.results.len(), 1);
    let run = audit_stdin(
        b"Part,FP16 TFLOPS\nX,148\n",
        &["--column", "Peak FP8=fp8", "--column", "Part=name"],
    );
    assert_eq!(run.status, 2);
}

/// A party cell that says the party is not known (`TBD`, `N/A`) cannot be
/// screened, so it clears nothing: the row is undecided until the name is
/// given. An empty cell is no party, as before. A licence that a listed
/// party makes is said as such in the one-line reason, not as "meets ".
#[test]
fn a_party_cell_that_names_no_one_clears_nothing() {
    let text = b"Product,End user\nT4,\"Beijing Biren Technology Development Co., Ltd.\"\nT4,TBD\nT4,n/a\nT4,\nT4,Acme Widgets GmbH\nT4,TBC\nT4,#N/A\nT4,t.b.d.\nT4,[TBD]\nT4,To be confirmed\nT4,pending\n";
    let parties = [
        "--column",
        "Product=name",
        "--column",
        "End user=end_user",
        "--party-list",
        "tests/data/csl-test.csv",
        "--party-list-date",
        "2024-05-20",
        "--ownership-checked",
    ];
    let run = audit_stdin(text, &parties);
    let verdicts: Vec<&str> = run
        .results
        .iter()
        .map(|r| r["verdict"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        verdicts,
        [
            "license_required",
            "indeterminate",
            "indeterminate",
            "no_license_required",
            "no_license_required",
            "indeterminate",
            "indeterminate",
            "indeterminate",
            "indeterminate",
            "indeterminate",
            "indeterminate"
        ],
        "{}",
        run.stderr
    );
    assert!(
        run.results[1]["settle_with"]
            .as_array()
            .is_some_and(|s| s.iter().any(|f| f == "screening:end_user")),
        "{:?}",
        run.results[1]
    );
    let csv = audit_csv(text.to_vec(), &parties);
    let csv = String::from_utf8_lossy(&csv.stdout);
    let biren = csv.lines().nth(1).unwrap_or_default();
    assert!(
        biren.ends_with("is on the EL; licence required to CN\"") && !biren.contains("meets ;"),
        "{biren}"
    );
}

/// Party columns under other headers are mapped like any column: an Entity
/// List end user makes even an uncontrolled chip need a licence.
#[test]
fn a_party_column_can_be_mapped_by_header() {
    let text = b"Product,Ship To\nT4,\"Beijing Biren Technology Development Co., Ltd.\"\nT4,Acme Widgets GmbH\n";
    let run = audit_stdin(
        text,
        &[
            "--column",
            "Product=name",
            "--column",
            "Ship To=end_user",
            "--party-list",
            "tests/data/csl-test.csv",
            "--party-list-date",
            "2024-05-20",
            "--ownership-checked",
        ],
    );
    assert_eq!(run.results.len(), 2, "{}", run.stderr);
    assert_eq!(
        run.results[0]["verdict"], "license_required",
        "{:?}",
        run.results[0]
    );
    assert_ne!(
        run.results[1]["verdict"], "license_required",
        "{:?}",
        run.results[1]
    );
}

/// A figure header written in full-width letters or with its precision
/// apart (`ｆｐ８`, `fp_8`, `F P 8`) is a figure column, never passed through
/// unread (an fp8 of 2,000 was, and the chip cleared).
#[test]
fn a_figure_header_written_apart_or_full_width_is_not_passed_through() {
    for header in ["ｆｐ８", "fp８", "fp_8", "F P 8", "INT 8"] {
        let text =
            format!("name,vendor,datacenter,fp16,area_mm2,{header}\nX1,Acme,yes,100,800,2000\n");
        let out = audit_csv(text, &[]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{header}: {stderr}");
        assert!(stderr.contains("looks like a figure"), "{header}: {stderr}");
    }
    // With its unit it is read.
    let run = audit_stdin(
        b"name,vendor,datacenter,fp16,area_mm2,F P 8 TFLOPS\nX1,Acme,yes,100,800,2000\n",
        &[],
    );
    assert_eq!(
        run.results[0]["verdict"], "license_required",
        "{}",
        run.stderr
    );
}

/// A rate column that gives a part of the chip's rate (one direction, one
/// memory stack) is refused, not read as the total: 300 GB/s per direction
/// (600 both ways) cleared an A100-class part to CN under the 2022 rule.
#[test]
fn a_rate_column_per_direction_or_per_stack_is_not_read_as_the_total() {
    // On a date the 2022 rule's I/O test decides (TPP 4,992 alone does not).
    let audit = |header: &str, rate: &str| {
        chipcheck()
            .args(["audit", "-", "--to", "CN", "--date", "2023-06-01"])
            .args(["--format", "csv"])
            .write_stdin(format!(
                "name,vendor,datacenter,FP16 TFLOPS,Die area (mm²),{header}\nWidget X,Acme,true,312,826,{rate}\n"
            ))
            .output()
            .expect("run")
    };
    for header in [
        "NVLink per direction (GB/s)",
        "Memory bandwidth per stack (GB/s)",
    ] {
        let out = audit(header, "300");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{header}: {stderr}");
        assert!(
            stderr.contains("part of the chip's rate"),
            "{header}: {stderr}"
        );
    }
    // The aggregate is read, and decides.
    let out = audit("NVLink bidirectional (GB/s)", "600");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains(",license_required,"), "{stdout}");
}

/// A figure of more than fifteen significant digits (a float's rounding of
/// 600) is a row error, as it is in a spec sheet, not read exactly to just
/// under the threshold it meets: it had cleared a TPP 4,800 chip.
#[test]
fn a_figure_a_float_rounded_is_an_unreadable_row_not_a_clear() {
    let out = audit_csv(
        "name,vendor,datacenter,int8,area_mm2,interconnect_gbps\nGamer 9,Acme,false,599.9999999999999,600,0\n",
        &[],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains(",error,"), "{stdout}");
    assert!(stdout.contains("16 significant digits"), "{stdout}");
}

/// A mapping that gives a field another column leaves no column headed with
/// that field's own name unread in silence: `--column fp8=name` hid the fp8
/// figure and the real name, and the chip cleared.
#[test]
fn a_mapping_over_a_column_of_the_field_s_own_name_is_refused() {
    let text = "name,vendor,datacenter,fp16,fp8,area_mm2\nX1,Acme,yes,100,2000,800\n";
    for mapping in ["fp8=name", "fp8=vendor"] {
        let out = audit_csv(text, &["--column", mapping]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{mapping}: {stderr}");
        assert!(stderr.contains("map that one too"), "{mapping}: {stderr}");
    }
    // Mapped as well, the run is the user's to choose.
    let run = audit_stdin(
        text.as_bytes(),
        &["--column", "fp8=name", "--column", "name=ignore"],
    );
    assert_eq!(run.results.len(), 1, "{}", run.stderr);
}

/// An empty (or `N/A`) cell in a precision column is not known, not "none":
/// the TPP the other figures give is a floor. fp16 left empty beside int8
/// 150 had given TPP 1,200 and cleared a datacenter chip whose fp16 may
/// well give 2,400. 0 says the chip has no such precision.
#[test]
fn an_empty_precision_cell_makes_the_tpp_a_floor() {
    let run = audit_stdin(
        b"name,vendor,datacenter,fp16,int8,area_mm2\nEdge,Acme,yes,,150,600\nEdge NA,Acme,yes,N/A,150,600\nEdge none,Acme,yes,0,150,600\nBig,Acme,yes,,1000,600\n",
        &[],
    );
    assert_eq!(
        verdicts(&run),
        [
            "indeterminate",
            "indeterminate",
            "no_license_required",
            "license_required"
        ],
        "{:?}",
        run.results
    );
    let first = &run.results[0];
    assert_eq!(first["settle_with"], serde_json::json!(["compute"]));
    assert!(
        first["reasons"]
            .to_string()
            .contains("TPP is at least 1,200: fp16 is not known (left empty)"),
        "{first}"
    );
    // The density worked out from a floor is one too, and says so.
    assert!(
        first["reasons"]
            .to_string()
            .contains("performance density is at least 1,200 / 600 mm² = 2"),
        "{first}"
    );
    let csv = String::from_utf8(
        audit_csv(
            "name,vendor,datacenter,fp16,int8,area_mm2\nEdge,Acme,yes,,150,600\n",
            &[],
        )
        .stdout,
    )
    .unwrap();
    assert!(csv.contains(",>=1200,>=2,"), "{csv}");
}

/// A figure column passed through with `=ignore` (a sparse fp8, a stated
/// TPP) may hold what decides the answer: the TPP the columns read give is
/// a floor. Ignored, a sparse FP8 of 1,600 (dense TPP 6,400) had left FP16
/// 100 alone to clear a consumer chip.
#[test]
fn an_ignored_figure_column_makes_the_tpp_a_floor() {
    for (header, cell) in [("FP8 TFLOPS (with sparsity)", "1600"), ("TPP", "6400")] {
        let csv = format!(
            "name,vendor,datacenter,fp16,{header},area_mm2,interconnect_gbps,memory_bandwidth_gbps\nAcme G9,Acme,false,100,{cell},600,0,1000\n"
        );
        let mapping = format!("{header}=ignore");
        let run = audit_stdin(csv.as_bytes(), &["--column", &mapping]);
        assert_eq!(
            verdicts(&run),
            ["indeterminate"],
            "{header}: {:?}",
            run.results
        );
        let r = &run.results[0];
        assert_eq!(r["tpp_at_least"], true, "{r}");
        assert!(
            r["reasons"]
                .to_string()
                .contains("is not read (mapped to ignore)"),
            "{r}"
        );
    }
    // A column that holds no figure is passed through as before.
    let run = audit_stdin(
        b"name,vendor,datacenter,fp16,area_mm2,Notes\nAcme G9,Acme,false,100,600,x\n",
        &["--column", "Notes=ignore"],
    );
    assert_eq!(verdicts(&run), ["no_license_required"], "{:?}", run.results);
}

/// `Sparsity: Yes` in a vendor's list says the chip supports structured
/// sparsity: read as "these figures are sparse", it had halved an RTX
/// 4090's dense FP8 and cleared it. Such a header, and a `sparse` column
/// beside figures headed dense, are refused.
#[test]
fn a_sparsity_column_that_may_mean_support_is_refused() {
    for csv in [
        "Name,Vendor,Data Center?,Dense FP8 TFLOPS,Die Area (mm²),Sparsity\nGeForce RTX 4090,NVIDIA,No,660.6,608.5,Yes\n",
        "name,vendor,datacenter,Dense FP8 TFLOPS,area_mm2,sparse\nX,NVIDIA,No,660.6,608.5,yes\n",
    ] {
        let out = audit_csv(csv, &[]);
        assert_eq!(out.status.code(), Some(2), "{csv}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("structured sparsity") || stderr.contains("cannot both be right"),
            "{stderr}"
        );
    }
    // chipcheck's own `sparse` column, with figures not said to be dense,
    // is read as ever.
    let run = audit_stdin(
        b"name,vendor,datacenter,fp8,area_mm2,sparse\nX,Acme,no,660.6,608.5,yes\n",
        &[],
    );
    assert_eq!(
        run.results[0]["tpp"].as_f64(),
        Some(2642.4),
        "{:?}",
        run.results
    );
}
