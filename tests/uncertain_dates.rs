//! Dates no source gives are three-valued. A country-group change with an
//! uncertainty window (last date known before, first date known after) makes
//! an answer that turns on it inside the window `indeterminate`, with a
//! reason naming the fact and the window, unless the answer is the same
//! either way.
//!
//! Evidence (rules/country-groups.toml): the State Department suspended
//! Cyprus's proscribed-destination status under 22 CFR 126.1(r) every fiscal
//! year from 2022-10-01 (87 FR 71250; 88 FR 63016, effective 2023-10-01), the
//! D:5 note says State's list controls, and the eCFR of 2026-07-08 lacks
//! Cyprus: CY leaves D:5 somewhere in 2022-10-01..2026-07-08. State removed
//! Cambodia from 126.1 effective 2025-11-07; BIS's conforming change (FR Doc.
//! 2026-02262) took effect 2026-02-03.

mod common;

use chipcheck::rules::ReviewPolicy;
use common::{check, lib, rules};

fn says_window(reasons: &[String], fact: &str, before: &str, after: &str) -> bool {
    reasons
        .iter()
        .any(|r| r.contains(fact) && r.contains(before) && r.contains(after))
}

#[test]
fn the_h20_to_cyprus_turns_on_an_undated_fact() {
    // Issue 11: chipcheck demanded a licence for the H20 to Cyprus from
    // 2025-04-09 as if certain. The NVIDIA letter names D:5 destinations.
    let o = check(&lib("H20"), "CY", "2025-06-01", None);
    assert_eq!(o.verdict.name(), "indeterminate", "{:#?}", o.reasons);
    assert!(
        says_window(&o.reasons, "CY leaves D:5", "2022-09-30", "2026-07-08"),
        "{:#?}",
        o.reasons
    );
    assert!(o
        .reasons
        .iter()
        .any(|r| r.contains("if CY was still in D:5 on 2025-06-01: license_required")));
    // Named in the result itself, since no spec field settles it.
    assert!(o.settle_with.is_empty());
    assert_eq!(
        o.uncertain_facts,
        vec!["CY leaves D:5 (no source dates it: after 2022-09-30, by 2026-07-08)".to_string()]
    );
    // Once the eCFR lacks Cyprus the answer is certain again.
    let o = check(&lib("H20"), "CY", "2026-07-08", None);
    assert_eq!(o.verdict.name(), "no_license_required", "{:#?}", o.reasons);
    // Before the first suspension it is certain too.
    let h100 = lib("H100");
    let o = check(&h100, "DE", "2022-09-15", Some("CY"));
    assert_ne!(o.verdict.name(), "indeterminate", "{:#?}", o.reasons);
}

#[test]
fn a_cyprus_headquartered_end_user_turns_on_it_too() {
    // Issue 11: "for any Cyprus-headquartered end user from 2023-11-17".
    let o = check(&lib("H100"), "FR", "2024-01-01", Some("CY"));
    assert_eq!(o.verdict.name(), "indeterminate", "{:#?}", o.reasons);
    assert!(o.review_policy.is_none());
    assert!(says_window(
        &o.reasons,
        "CY leaves D:5",
        "2022-09-30",
        "2026-07-08"
    ));
}

#[test]
fn the_same_answer_either_way_stands() {
    // The H100 to China does not turn on Cyprus at all: no mention.
    let o = check(&lib("H100"), "CN", "2024-01-01", None);
    assert_eq!(o.verdict.name(), "license_required");
    assert!(!o.reasons.iter().any(|r| r.contains("CY leaves")));
    // A chip no rule reaches, to Cyprus: the same either way, and said so.
    let o = check(&lib("T4"), "CY", "2025-06-01", None);
    assert_eq!(o.verdict.name(), "no_license_required", "{:#?}", o.reasons);
    assert!(o
        .reasons
        .iter()
        .any(|r| r.contains("CY leaves D:5") && r.contains("the same either way")));
}

#[test]
fn cambodia_between_state_and_the_bis_conforming_change() {
    // KH stays in D:1, so a licence is needed either way; only the review
    // policy (D:5: denial; D:1 only: approval) and ACA turn on the date.
    let o = check(&lib("H100"), "KH", "2025-12-01", None);
    assert_ne!(o.verdict.name(), "no_license_required", "{:#?}", o.reasons);
    assert!(
        o.verdict.name() == "indeterminate" || o.review_policy == Some(ReviewPolicy::Unknown),
        "{:#?}",
        o.reasons
    );
    assert!(says_window(
        &o.reasons,
        "KH leaves D:5",
        "2025-11-06",
        "2026-02-03"
    ));
    let o = check(&lib("H100"), "KH", "2026-03-01", None);
    assert_eq!(o.verdict.name(), "license_required");
    assert!(!o.reasons.iter().any(|r| r.contains("KH leaves")));
}

#[test]
fn the_rule_file_records_the_windows() {
    let undated: Vec<_> = rules()
        .groups
        .changes
        .iter()
        .filter(|c| c.known_before.is_some())
        .map(|c| {
            (
                c.describe(),
                c.known_before.unwrap().to_string(),
                c.effective.to_string(),
            )
        })
        .collect();
    assert!(undated.contains(&(
        "CY leaves D:5".to_string(),
        "2022-09-30".to_string(),
        "2026-07-08".to_string()
    )));
    assert!(undated.contains(&(
        "KH leaves D:5".to_string(),
        "2025-11-06".to_string(),
        "2026-02-03".to_string()
    )));
}

#[test]
fn a_letter_whose_start_no_source_dates_carries_its_window() {
    // AMD: "In April 2025, the U.S. government implemented a new license
    // requirement ... MI308" (risk factors); its assessment was completed
    // 2025-04-15 (secondary). So 2025-04-01..2025-04-14 is the window.
    let low = common::spec(
        "name = \"AMD Instinct MI308X\"\ndatacenter = true\n[compute]\nfp16 = 10\n[die]\narea_mm2 = 800\nnon_planar = true\n[io]\ninterconnect_gbps = 0\nmemory_bandwidth_gbps = 100\n",
    );
    assert_eq!(
        check(&low, "CN", "2025-03-31", None).verdict.name(),
        "no_license_required"
    );
    let o = check(&low, "CN", "2025-04-10", None);
    assert_eq!(o.verdict.name(), "indeterminate", "{:#?}", o.reasons);
    assert!(
        says_window(&o.reasons, "letter amd-2025-04", "2025-03-31", "2025-04-15"),
        "{:#?}",
        o.reasons
    );
    assert_eq!(
        check(&low, "CN", "2025-04-15", None).verdict.name(),
        "license_required"
    );
    // A chip the letter does not reach says nothing of it.
    let o = check(&lib("H100"), "CN", "2025-04-10", None);
    assert!(!o.reasons.iter().any(|r| r.contains("amd-2025-04")));
}

#[test]
fn an_audit_row_says_what_it_turns_on() {
    let out = common::chipcheck()
        .args([
            "audit",
            "-",
            "--to",
            "CY",
            "--date",
            "2025-06-01",
            "--format",
            "csv",
        ])
        .write_stdin("name\nH20\n")
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("undecided to CY: it turns on CY leaves D:5 (no source dates it: after 2022-09-30, by 2026-07-08)"),
        "{text}"
    );
    assert!(!text.contains("give more figures"), "{text}");
}

/// `classify --format csv` says what an undated fact turns on, as `audit`
/// does, rather than "give  to settle it" with nothing to give.
#[test]
fn a_classify_csv_line_says_what_it_turns_on() {
    let out = common::chipcheck()
        .args(["classify", "--chip", "MI250", "--to", "CN"])
        .args(["--date", "2022-08-29", "--format", "csv"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{text}");
    assert!(
        text.contains("it turns on letter amd-2022-08-31 in force (no source gives the day: after 2022-08-25, by 2022-08-31)"),
        "{text}"
    );
    assert!(!text.contains("give  to settle"), "{text}");
}
