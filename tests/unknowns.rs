//! A missing figure is unknown: it decides nothing it cannot decide, and
//! never turns into "no licence required" where some value of it would
//! require one.

mod common;

use common::{check, spec};

#[test]
fn high_tpp_makes_die_area_irrelevant() {
    let s = spec("name = \"X\"\ndatacenter = true\ncompute = { fp16 = 400 }\n");
    let o = check(&s, "CN", "2024-06-01", None);
    assert_eq!(o.verdict.name(), "license_required");
    assert_eq!(o.paragraphs, vec!["3A090.a.1"]);
    assert!(o.performance_density.is_none());
}

#[test]
fn missing_die_area_matters_below_4800() {
    let s = spec("name = \"X\"\ndatacenter = true\ncompute = { fp16 = 150 }\n");
    let o = check(&s, "CN", "2024-06-01", None);
    assert_eq!(o.verdict.name(), "indeterminate");
    assert_eq!(o.settle_with, vec!["die.area_mm2"]);
}

#[test]
fn missing_datacenter_flag_matters_for_note_2() {
    // TPP 4,707 and PD 7.7: a.2 unless Note 2 (not datacenter) applies.
    let s = spec("name = \"X\"\ncompute = { fp16 = 294.2 }\ndie = { area_mm2 = 608.5 }\n");
    let o = check(&s, "CN", "2024-06-01", None);
    assert_eq!(o.verdict.name(), "indeterminate");
    assert!(
        o.settle_with.contains(&"datacenter".to_string()),
        "{:?}",
        o.settle_with
    );
}

#[test]
fn missing_datacenter_flag_with_high_tpp_is_a_licence_not_an_exception() {
    // Controlled either way (a.1); NAC only if not a datacenter part: fail closed.
    let s = spec("name = \"X\"\ncompute = { fp16 = 400 }\n");
    let o = check(&s, "CN", "2024-06-01", None);
    assert_eq!(o.verdict.name(), "license_required");
    assert!(
        o.reasons.iter().any(|r| r.contains("might apply")),
        "{:#?}",
        o.reasons
    );
}

#[test]
fn missing_interconnect_matters_in_2022_only_with_high_tpp() {
    let high = spec("name = \"X\"\ncompute = { int8 = 700 }\n");
    assert_eq!(
        check(&high, "CN", "2023-06-01", None).verdict.name(),
        "indeterminate"
    );
    let low = spec("name = \"X\"\ncompute = { int8 = 500 }\n");
    assert_eq!(
        check(&low, "CN", "2023-06-01", None).verdict.name(),
        "no_license_required"
    );
}

#[test]
fn unknown_figures_do_not_matter_where_no_licence_reaches() {
    let nothing = spec("name = \"X\"\n");
    assert_eq!(
        check(&nothing, "DE", "2024-06-01", None).verdict.name(),
        "no_license_required"
    );
    assert_eq!(
        check(&nothing, "CN", "2024-06-01", None).verdict.name(),
        "indeterminate"
    );
}

#[test]
fn planar_dies_leave_density_undefined() {
    let s = spec("name = \"X\"\ndatacenter = true\ncompute = { fp16 = 150 }\ndie = { area_mm2 = 100, non_planar = false }\n");
    let o = check(&s, "CN", "2024-06-01", None);
    assert_eq!(o.verdict.name(), "indeterminate");
    assert!(
        o.reasons.iter().any(|r| r.contains("non-planar")),
        "{:#?}",
        o.reasons
    );
}

/// With no destination, an undecided answer names every field that would
/// settle it: each destination adds to the fields named before it. (A
/// regression once kept only the worst destination's own, empty, list.)
#[test]
fn the_every_destination_answer_names_what_would_settle_it() {
    let every = |s: &chipcheck::ChipSpec, on: &str| {
        let subject = chipcheck::engine::Subject::chip(s, "test");
        chipcheck::engine::evaluate_all(common::rules(), &subject, common::date(on), &[], None)
            .remove(0)
    };
    let mi308 = every(&common::lib("mi308x"), "2025-04-07");
    assert_eq!(mi308.verdict.name(), "indeterminate");
    assert_eq!(mi308.settle_with, vec!["compute", "die.area_mm2"]);
    let named = spec("name = \"H100\"\ndatacenter = true\n");
    let h100 = every(&named, "2024-06-01");
    assert_eq!(
        h100.settle_with,
        vec!["compute", "die.area_mm2"],
        "{h100:?}"
    );
}

/// TPP is the highest over every precision: a data sheet that gives only
/// 32- and 64-bit figures (consumer sheets lead with FP32) gives a floor,
/// not the TPP. The RTX 4090 at FP32 82.6 TFLOPS alone is TPP 2,643.2, but
/// its dense FP16 tensor rate gives 5,284.8 (the library's figure): the
/// floor settles nothing below 4,800, so the answer is `indeterminate`
/// (found by an adversarial review: it was `no_license_required` under
/// Note 2). A floor that already meets a threshold decides it, and a
/// narrower figure (0 where the chip has none) makes the TPP whole.
#[test]
fn a_tpp_from_32_and_64_bit_figures_only_is_a_floor() {
    let sheet = |compute: &str| {
        spec(&format!(
            // Not named as the library's RTX 4090 (a sheet under its name is
            // also checked against its library figures): the figures alone.
            "name = \"Consumer Z\"\nvendor = \"Acme\"\ndatacenter = false\n[compute]\n{compute}\n[die]\narea_mm2 = 608.5\nnon_planar = true\n[io]\ninterconnect_gbps = 0\n"
        ))
    };
    for compute in [
        "fp32 = 82.6",
        "fp32 = 82.6\nfp64 = 1.3",
        "int32 = 40",
        // TF32 quoted at the FP32 rate (a second review).
        "tf32 = 82.6",
    ] {
        let o = check(&sheet(compute), "CN", "2024-06-01", None);
        assert_eq!(
            o.verdict.name(),
            "indeterminate",
            "{compute}: {:#?}",
            o.reasons
        );
        assert!(
            o.settle_with.contains(&"compute".to_string()),
            "{:?}",
            o.settle_with
        );
        assert!(
            o.reasons.iter().any(|r| r.contains("TPP is at least")),
            "{compute}: {:#?}",
            o.reasons
        );
    }
    // A floor at or above 4,800 decides 3A090.a.1, and says it is a floor.
    let o = check(&sheet("fp32 = 182.6"), "CN", "2024-06-01", None);
    assert!(
        o.paragraphs.contains(&"3A090.a.1".to_string()),
        "{:#?}",
        o.reasons
    );
    assert!(
        o.reasons
            .iter()
            .any(|r| r.contains("TPP of at least 5,843.2 >= 4,800")),
        "{:#?}",
        o.reasons
    );
    // A 16-bit figure makes the TPP whole: the library's RTX 4090 figures.
    let o = check(
        &sheet("fp32 = 82.6\nfp16 = 330.3"),
        "CN",
        "2024-06-01",
        None,
    );
    assert!(
        o.paragraphs.contains(&"3A090.a.1".to_string()),
        "{:#?}",
        o.reasons
    );
    // 0 says the chip has no 16-bit rate: the FP32 TPP is the TPP.
    let o = check(&sheet("fp32 = 82.6\nfp16 = 0"), "CN", "2024-06-01", None);
    assert_eq!(o.verdict.name(), "no_license_required", "{:#?}", o.reasons);
    assert!(
        !o.reasons.iter().any(|r| r.contains("at least")),
        "{:#?}",
        o.reasons
    );
}
