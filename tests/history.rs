//! `timeline` and `diff`: change over time, as people and machines read it.

mod common;

use common::chipcheck;
use predicates::prelude::*;

fn stdout(args: &[&str]) -> String {
    let out = chipcheck().args(args).assert().code(0).get_output().clone();
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[test]
fn timeline_snapshots() {
    insta::assert_snapshot!(
        "timeline_a800_cn",
        stdout(&["timeline", "A800", "--to", "CN", "--until", "2026-11-01"])
    );
    insta::assert_snapshot!(
        "timeline_h20_cn",
        stdout(&["timeline", "H20", "--to", "CN", "--until", "2026-11-01"])
    );
    insta::assert_snapshot!(
        "timeline_h200_cn",
        stdout(&["timeline", "H200", "--to", "CN", "--until", "2026-11-01"])
    );
}

#[test]
fn timeline_json_names_the_rule_that_changed_it() {
    let text = stdout(&[
        "timeline",
        "examples/a800.toml",
        "--to",
        "CN",
        "--until",
        "2026-11-01",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let steps = v["timeline"].as_array().unwrap();
    assert_eq!(steps[0]["verdict"], "no_license_required");
    // The example names its vendor (NVIDIA) and the product, so the
    // 2023-10-23 letter catches it before the rule does.
    let caught = steps
        .iter()
        .find(|s| s["verdict"] == "license_required")
        .unwrap();
    assert_eq!(caught["date"], "2023-10-23");
    assert!(caught["changes"][0]
        .as_str()
        .unwrap()
        .contains("nvidia-2023-10-23"));
    assert!(caught["basis"]
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b == "nvidia-2023-10-23"));
    // The audit trail: the spec read, with its SHA-256, and the rules the
    // answers rest on (both had been empty).
    let provenance = &v["provenance"];
    assert_eq!(provenance["inputs"][0]["path"], "examples/a800.toml");
    let bytes =
        std::fs::read(std::path::Path::new(common::ROOT).join("examples/a800.toml")).unwrap();
    assert_eq!(
        provenance["inputs"][0]["sha256"],
        chipcheck::input::sha256(&bytes)
    );
    assert!(provenance["rule_versions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b == "nvidia-2023-10-23"));
    // So does a diff's.
    let text = stdout(&[
        "diff",
        "examples/a800.toml",
        "--from",
        "2023-01-01",
        "--until",
        "2024-06-01",
        "--to",
        "CN",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["provenance"]["inputs"][0]["path"], "examples/a800.toml");
    assert_eq!(
        v["provenance"]["dates_evaluated"],
        serde_json::json!(["2023-01-01", "2024-06-01"])
    );
    // A catalogue's hash is of the bytes the diff read (this one has rows
    // it cannot read, so it exits 2 and still reports).
    let out = chipcheck()
        .args([
            "diff",
            "tests/fixtures/audit/catalogue.csv",
            "--from",
            "2023-01-01",
        ])
        .args(["--to", "CN", "--format", "json"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let bytes = std::fs::read(
        std::path::Path::new(common::ROOT).join("tests/fixtures/audit/catalogue.csv"),
    )
    .unwrap();
    assert_eq!(
        v["provenance"]["inputs"][0]["sha256"],
        chipcheck::input::sha256(&bytes)
    );
}

#[test]
fn timeline_of_the_library_a800_starts_with_the_letter() {
    let text = stdout(&[
        "timeline",
        "A800",
        "--to",
        "CN",
        "--until",
        "2024-01-01",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let caught = v["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["verdict"] == "license_required")
        .unwrap()
        .clone();
    assert_eq!(caught["date"], "2023-10-23");
}

#[test]
fn diff_between_the_two_rules() {
    insta::assert_snapshot!(
        "diff_2023_2024_cn",
        stdout(&[
            "diff",
            "--chip",
            "A800",
            "--chip",
            "H20",
            "--chip",
            "RTX 4090",
            "--chip",
            "L40",
            "--from",
            "2023-06-01",
            "--until",
            "2024-06-01",
            "--to",
            "CN"
        ])
    );
    let text = stdout(&[
        "diff",
        "--library",
        "--from",
        "2023-06-01",
        "--until",
        "2024-06-01",
        "--to",
        "CN",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let changed: Vec<&str> = v["changed"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["chip"].as_str())
        .collect();
    for chip in [
        "A800 SXM4 80GB",
        "H800 SXM5 80GB",
        "GeForce RTX 4090",
        "L40",
        "A40",
    ] {
        assert!(changed.contains(&chip), "{chip} should change: {changed:?}");
    }
    for chip in ["H100 SXM5 80GB", "H20", "T4"] {
        assert!(!changed.contains(&chip), "{chip} should not change");
    }
}

#[test]
fn diff_without_destination_compares_the_destination_sets() {
    chipcheck()
        .args([
            "diff",
            "--chip",
            "H100",
            "--from",
            "2023-06-01",
            "--until",
            "2024-06-01",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("1 of 1 chips changed"));
}

#[test]
fn history_usage_errors() {
    chipcheck()
        .args([
            "timeline",
            "H100",
            "--from",
            "2025-01-01",
            "--until",
            "2024-01-01",
        ])
        .assert()
        .code(2);
    chipcheck()
        .args(["timeline", "H1OO"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean"));
    chipcheck()
        .args(["diff", "--from", "2023-06-01"])
        .assert()
        .code(2);
}

#[test]
fn diff_of_a_catalogue_names_the_rows() {
    // The catalogue has an unreadable row (line 9): not compared, and it
    // fails the run.
    let out = chipcheck()
        .args([
            "diff",
            "tests/fixtures/audit/catalogue.csv",
            "--from",
            "2023-06-01",
        ])
        .args(["--until", "2024-06-01", "--to", "CN", "--format", "json"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let text = String::from_utf8_lossy(&out.stdout);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let changed: Vec<&str> = v["changed"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["chip"].as_str())
        .collect();
    assert!(
        changed
            .iter()
            .any(|c| c.starts_with("GeForce RTX 4090 (line 4)")),
        "{changed:?}"
    );
    assert_eq!(v["changed"][0]["from"]["line"], 2);
    assert!(v["compared"].as_u64().unwrap() >= 8);
}

/// A row the diff cannot read is named and fails the run: it is neither
/// changed nor the same (a diff passed over them with exit 0).
#[test]
fn a_catalogue_row_the_diff_cannot_read_is_named_and_fails_it() {
    let out = chipcheck()
        .args([
            "diff",
            "--from",
            "2023-01-01",
            "--until",
            "2026-03-01",
            "--to",
            "CN",
        ])
        .args(["tests/fixtures/audit/catalogue.csv"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    // Named as `audit` names it: file, line, column and why.
    assert!(
        stderr.contains("catalogue.csv:9: column `area_mm2`: `abc` is not a number")
            && stderr.contains("the row is not compared"),
        "{stderr}"
    );
}

#[test]
fn timeline_starts_the_day_before_the_first_rule() {
    let rules = chipcheck::RuleSet::embedded().unwrap();
    let first = rules.versions().map(|v| v.in_force).min().unwrap();
    let start = chipcheck::views::history::history_start(&rules).unwrap();
    assert_eq!(start.tomorrow().unwrap(), first);
    let text = stdout(&[
        "timeline",
        "H20",
        "--to",
        "CN",
        "--until",
        "2023-01-01",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["from"], start.to_string());
}
