//! `diff` names as causes only the events that changed that chip's answer,
//! and refuses `--from` after `--until` (issue 11: the end of an NVIDIA
//! letter was given as a cause for AMD and Google chips).

mod common;

use common::chipcheck;
use predicates::prelude::*;

fn why(chip: &str, to: &str, from: &str, until: &str) -> Vec<String> {
    let out = chipcheck()
        .args([
            "diff", "--chip", chip, "--to", to, "--from", from, "--until", until, "--format",
            "json",
        ])
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    v["changed"][0]["why"]
        .as_array()
        .expect("one change")
        .iter()
        .map(|w| w.as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn an_amd_chip_is_not_moved_by_an_nvidia_letter() {
    // 2023-11-17: nvidia-2023-10-23 ends and us-2023-11 comes into force.
    let w = why("MI250X", "SA", "2023-11-01", "2023-12-01");
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(w[0].contains("us-2023-11"), "{w:#?}");
    assert!(!w.iter().any(|x| x.contains("nvidia")), "{w:#?}");
    // The H100 in the same window is moved by the letter ending too.
    let w = why("H100", "SA", "2023-10-01", "2023-12-01");
    assert!(w.iter().any(|x| x.contains("nvidia-2023-10-23")), "{w:#?}");
}

#[test]
fn a_country_group_change_is_a_cause_only_for_its_country() {
    // Nicaragua joins D:1/D:5 on 2024-03-15: a cause for NI, not for CN.
    let w = why("H100", "NI", "2024-01-01", "2024-06-01");
    assert!(w.iter().all(|x| x.contains("NI join")), "{w:#?}");
    let out = chipcheck()
        .args([
            "diff",
            "--chip",
            "H100",
            "--to",
            "CN",
            "--from",
            "2024-01-01",
            "--until",
            "2024-06-01",
            "--format",
            "json",
        ])
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["changed"].as_array().map(Vec::len), Some(0));
}

#[test]
fn from_after_until_is_an_error() {
    chipcheck()
        .args([
            "diff",
            "--chip",
            "H100",
            "--from",
            "2024-01-01",
            "--until",
            "2023-01-01",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--from 2024-01-01 is after --until 2023-01-01",
        ));
}

/// A catalogue row's causes are the changes on the dates its answer moved,
/// as for a spec sheet: the rule in force at `--until` (which moved nothing
/// for it) had been named, and the one that moved it on 2023-11-17 missed.
#[test]
fn a_catalogue_row_is_moved_by_what_moved_it_not_by_the_rules_at_either_end() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("dir");
    let catalogue = dir.path().join("catalogue.csv");
    std::fs::write(
        &catalogue,
        "name,vendor,datacenter,fp16,fp8,area_mm2,interconnect_gbps,memory_bandwidth_gbps\nAcme C,Acme,false,300,0,600,0,1000\n",
    )
    .expect("write");
    let out = chipcheck()
        .arg("diff")
        .arg(&catalogue)
        .args([
            "--to",
            "CN",
            "--from",
            "2023-06-01",
            "--until",
            "2026-03-01",
        ])
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let why: Vec<String> = v["changed"][0]["why"]
        .as_array()
        .expect("one change")
        .iter()
        .map(|w| w.as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(why.len(), 1, "{why:#?}");
    assert!(
        why[0].starts_with("2023-11-17: rule us-2023-11"),
        "{why:#?}"
    );
}
