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
