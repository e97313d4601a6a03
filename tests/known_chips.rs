//! Known chips across both rules and several destinations, pinned to their
//! published status (see the comments for the source of each expectation).

mod common;

use common::{check, lib, verdict};

#[test]
fn a100_controlled_for_china_under_both_rules() {
    // 2022: INT8 624 x 8 = 4,992 >= 4800 and NVLink 600 GB/s >= 600 (87 FR 62186).
    let a100 = lib("A100");
    let o = check(&a100, "CN", "2023-06-01", None);
    assert_eq!(o.verdict.name(), "license_required");
    // 3A090.a.1 of the 2022 rule, and the 2022-08-26 NVIDIA letter, which
    // names the A100 (rules/nvidia-2022-08-26.toml).
    assert_eq!(
        o.paragraphs,
        vec!["3A090.a.1", "is-informed.nvidia-2022-08"]
    );
    assert_eq!(o.rule.as_deref(), Some("us-2023-01"));
    // 2023: 3A090.a.1 (and a.2, PD 6.04); datacenter 3A090.a is not NAC-eligible.
    let o = check(&a100, "CN", "2024-01-15", None);
    assert_eq!(o.verdict.name(), "license_required");
    assert!(o.paragraphs.contains(&"3A090.a.1".to_string()));
    assert!(o.exceptions.is_empty());
    assert_eq!(
        o.review_policy.map(|p| p.name()),
        Some("presumption_of_denial")
    );
}

#[test]
fn a800_free_in_2022_caught_in_2023() {
    // NVLink cut to 400 GB/s to fall below the 600 GB/s test; named in NVIDIA's 2023-10-17 8-K.
    let a800 = lib("A800");
    assert_eq!(verdict(&a800, "CN", "2023-06-01"), "no_license_required");
    assert_eq!(verdict(&a800, "CN", "2024-01-15"), "license_required");
}

#[test]
fn h100_and_h800() {
    let h100 = lib("H100");
    let o = check(&h100, "CN", "2024-01-15", None);
    assert_eq!(o.verdict.name(), "license_required");
    assert!(
        o.reasons[0].contains("2 x 989.45 MacTOPS x 8 bits"),
        "{}",
        o.reasons[0]
    );
    // H800: 400 GB/s NVLink, free under 2022, 3A090.a.1 under 2023.
    let h800 = lib("H800");
    assert_eq!(verdict(&h800, "CN", "2023-06-01"), "no_license_required");
    assert_eq!(verdict(&h800, "CN", "2024-01-15"), "license_required");
}

#[test]
fn h20_below_every_band_in_2024() {
    // TPP 2,368 < 2,400 and PD 2.91 < 3.2: outside 3A090.a and .b.
    let h20 = lib("H20");
    let o = check(&h20, "CN", "2024-06-01", None);
    assert_eq!(o.verdict.name(), "no_license_required");
    assert!(o.paragraphs.is_empty());
}

#[test]
fn l20_and_l40s() {
    // L20: TPP 1,913.6, PD 3.14 < 3.2: not controlled (NVIDIA's China part).
    assert_eq!(
        verdict(&lib("L20"), "CN", "2024-06-01"),
        "no_license_required"
    );
    // L40S: TPP 5,864 >= 4800, datacenter: 3A090.a.1, no NAC.
    let o = check(&lib("L40S"), "CN", "2024-06-01", None);
    assert_eq!(o.verdict.name(), "license_required");
    assert!(o.paragraphs.contains(&"3A090.a.1".to_string()));
    // Not controlled in 2022: no chip-to-chip link.
    assert_eq!(
        verdict(&lib("L40S"), "CN", "2023-06-01"),
        "no_license_required"
    );
}

#[test]
fn consumer_gpus_and_note_2() {
    // RTX 4090: consumer, TPP 5,284.8 >= 4800: 3A090.a.1, NAC-eligible (not datacenter).
    let o = check(&lib("RTX 4090"), "CN", "2024-06-01", None);
    assert_eq!(o.verdict.name(), "license_exception");
    assert_eq!(o.exceptions[0].id, "NAC");
    assert!(
        o.exceptions[0].notification_required,
        "China is D:5: prior notification"
    );
    // RTX 4090D: consumer, TPP 4,707.2 < 4800: Note 2 removes it from 3A090.
    let o = check(&lib("RTX 4090D"), "CN", "2024-06-01", None);
    assert_eq!(o.verdict.name(), "no_license_required");
    assert!(
        o.reasons
            .iter()
            .any(|r| r.contains("Note 2 to 3A090 applies")),
        "{:#?}",
        o.reasons
    );
}

#[test]
fn a40_meets_b2_not_b1() {
    // TPP 2,395.2 just misses b.1's 2400, but PD 3.81 meets b.2: NAC for a datacenter 3A090.b item.
    let o = check(&lib("A40"), "CN", "2024-06-01", None);
    assert_eq!(o.paragraphs, vec!["3A090.b.2"]);
    assert_eq!(o.verdict.name(), "license_exception");
}

#[test]
fn destinations_by_country_group() {
    let h100 = lib("H100");
    // Saudi Arabia: D:4, not A:5/A:6: licence required, presumption of approval.
    let o = check(&h100, "SA", "2024-06-01", None);
    assert_eq!(o.verdict.name(), "license_required");
    assert_eq!(
        o.review_policy.map(|p| p.name()),
        Some("presumption_of_approval")
    );
    assert_eq!(o.country_groups, vec!["D:4"]);
    // Israel (D:4 and A:6) and Taiwan (A:6): excluded by A:6.
    assert_eq!(verdict(&h100, "IL", "2024-06-01"), "no_license_required");
    assert_eq!(verdict(&h100, "TW", "2024-06-01"), "no_license_required");
    // Germany: A:5.
    assert_eq!(verdict(&h100, "DE", "2024-06-01"), "no_license_required");
    // Saudi Arabia was not a destination under the 2022 rule.
    assert_eq!(verdict(&h100, "SA", "2023-06-01"), "no_license_required");
}

#[test]
fn hong_kong_is_china() {
    let h100 = lib("H100");
    let o = check(&h100, "HK", "2023-06-01", None);
    assert_eq!(o.verdict.name(), "license_required");
    assert_eq!(o.destination.as_deref(), Some("HK"));
    assert_eq!(o.evaluated_as.as_deref(), Some("CN"));
}

#[test]
fn macau_before_and_after_2023_01_17() {
    let h100 = lib("H100");
    assert_eq!(verdict(&h100, "MO", "2023-01-16"), "no_license_required");
    assert_eq!(verdict(&h100, "MO", "2023-01-17"), "license_required");
    let o = check(&h100, "MO", "2024-06-01", None);
    assert_eq!(
        o.review_policy.map(|p| p.name()),
        Some("presumption_of_denial")
    );
}

#[test]
fn headquarters_rule() {
    let h100 = lib("H100");
    // A Chinese-headquartered end user in Germany needs a licence from 2023-11-17.
    let o = check(&h100, "DE", "2024-06-01", Some("CN"));
    assert_eq!(o.verdict.name(), "license_required");
    // Its review policy is not known: CSET (2023) says case-by-case, a
    // source quoting 91 FR 1684 implies denial (issue 11).
    assert_eq!(o.review_policy.map(|p| p.name()), Some("unknown"));
    // ... but not under the 2022 rule, which had no headquarters test.
    assert_eq!(
        check(&h100, "DE", "2023-06-01", Some("CN")).verdict.name(),
        "no_license_required"
    );
    // A German-headquartered end user in Germany: no licence.
    assert_eq!(
        check(&h100, "DE", "2024-06-01", Some("DE")).verdict.name(),
        "no_license_required"
    );
    // Macau-headquartered end user in Saudi Arabia: denial.
    let o = check(&h100, "SA", "2024-06-01", Some("MO"));
    assert_eq!(
        o.review_policy.map(|p| p.name()),
        Some("presumption_of_denial")
    );
    // Without --end-user-hq the assumption is stated.
    let o = check(&h100, "DE", "2024-06-01", None);
    assert!(!o.assumptions.is_empty());
}

#[test]
fn before_any_rule() {
    let o = check(&lib("H100"), "CN", "2021-01-01", None);
    assert_eq!(o.verdict.name(), "no_license_required");
    assert!(o.rule.is_none());
}
