//! Conditions a rule states are encoded, and unknown by default. 91 FR 1684
//! (2026-01-15) reviews case by case the exports to China and Macau of chips
//! below TPP 21,000 and 6,500 GB/s DRAM bandwidth that are "commercially
//! available in the United States" at publication. The A800 and H800 are
//! China-only SKUs (NVIDIA statements via Reuters, 2022-11-07 and
//! 2023-03-21), so they stay presumption of denial; a spec that does not say
//! gets an undecided (`unknown`) policy naming the field that settles it.

mod common;

use common::{check, lib, spec};

const H100_LIKE: &str = "name = \"Custom X\"\nvendor = \"Acme\"\ndatacenter = true\n[compute]\nfp8 = 1978.9\n[die]\narea_mm2 = 814\nnon_planar = true\n[io]\ninterconnect_gbps = 900\nmemory_bandwidth_gbps = 3350\n";

#[test]
fn china_only_skus_are_outside_the_case_by_case_review() {
    for chip in ["A800", "A800 PCIe", "H800", "H800 PCIe"] {
        let o = check(&lib(chip), "CN", "2026-03-01", None);
        assert_eq!(o.verdict.name(), "license_required", "{chip}");
        assert_eq!(
            o.review_policy.map(|p| p.name()),
            Some("presumption_of_denial"),
            "{chip}: {:#?}",
            o.reasons
        );
    }
    // The same silicon sold in the US: case by case.
    for chip in ["A100", "H100", "H200"] {
        let o = check(&lib(chip), "CN", "2026-03-01", None);
        assert_eq!(
            o.review_policy.map(|p| p.name()),
            Some("case_by_case"),
            "{chip}"
        );
    }
}

#[test]
fn a_spec_that_does_not_say_gets_an_undecided_policy() {
    let o = check(&spec(H100_LIKE), "CN", "2026-03-01", None);
    assert_eq!(o.verdict.name(), "license_required");
    assert_eq!(
        o.review_policy.map(|p| p.name()),
        Some("unknown"),
        "{:#?}",
        o.reasons
    );
    assert_eq!(o.settle_with, vec!["us_commercially_available".to_string()]);
    assert!(o
        .reasons
        .iter()
        .any(|r| r.contains("case-by-case review would apply")
            && r.contains("us_commercially_available")));
    let yes = spec(&H100_LIKE.replace(
        "datacenter = true",
        "datacenter = true\nus_commercially_available = true",
    ));
    let o = check(&yes, "CN", "2026-03-01", None);
    assert_eq!(o.review_policy.map(|p| p.name()), Some("case_by_case"));
    let no = spec(&H100_LIKE.replace(
        "datacenter = true",
        "datacenter = true\nus_commercially_available = false",
    ));
    let o = check(&no, "CN", "2026-03-01", None);
    assert_eq!(
        o.review_policy.map(|p| p.name()),
        Some("presumption_of_denial")
    );
    // Before 91 FR 1684 the condition does not exist: no unknown.
    let o = check(&spec(H100_LIKE), "CN", "2025-06-01", None);
    assert_eq!(
        o.review_policy.map(|p| p.name()),
        Some("presumption_of_denial")
    );
}

#[test]
fn groqchip_has_no_dram() {
    // Issue 11: GroqChip has no DRAM (230 MB on-chip SRAM), so its DRAM
    // bandwidth is 0, not unknown; in the 2026 window only US availability
    // is left open.
    let g = lib("GroqChip");
    assert_eq!(g.memory_bandwidth_gbps, Some(0.into()));
    let o = check(&g, "CN", "2026-03-01", None);
    assert_eq!(
        o.settle_with,
        vec!["us_commercially_available".to_string()],
        "{:#?}",
        o.reasons
    );
}
