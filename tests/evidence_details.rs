//! Issue 11's details: a spec holding only a name is looked up in the
//! library (or the error suggests --chip); an absent `non_planar` is stated
//! under assumptions when it matters; the hint for a GPU without NVLink
//! names `io.interconnect_gbps = 0`, never `die.package_area_mm2`; and
//! `settle_with` is filled whenever the text names fields that settle.

mod common;

use common::{check, chipcheck, spec};
use predicates::prelude::*;

fn json(args: &[&str]) -> serde_json::Value {
    let out = chipcheck().args(args).output().expect("runs");
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn a_spec_holding_only_a_name_is_the_library_chip() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("dir");
    let h100 = dir.path().join("h100.toml");
    std::fs::write(&h100, "name = \"H100\"\n").expect("write");
    let v = json(&[
        "classify",
        &h100.display().to_string(),
        "--to",
        "CN",
        "--date",
        "2024-01-01",
        "--format",
        "json",
    ]);
    let r = &v["results"][0];
    assert_eq!(r["chip"], "H100 SXM5 80GB");
    assert_eq!(r["verdict"], "license_required");
    let zork = dir.path().join("zork.toml");
    std::fs::write(&zork, "name = \"Zork 9000\"\n").expect("write");
    chipcheck()
        .args(["classify", &zork.display().to_string(), "--to", "CN"])
        .assert()
        .stderr(
            predicate::str::contains("holds only a name")
                .and(predicate::str::contains("--chip NAME")),
        );
}

#[test]
fn an_absent_non_planar_is_an_assumption_when_it_matters() {
    // TPP 3,200 and 400 mm²: 3A090.a.2 on density alone.
    let s = spec("name = \"Z\"\nvendor = \"Acme\"\ndatacenter = true\n[compute]\nfp16 = 200\n[die]\narea_mm2 = 400\n[io]\ninterconnect_gbps = 0\nmemory_bandwidth_gbps = 1000\n");
    let o = check(&s, "CN", "2024-06-01", None);
    assert_eq!(o.verdict.name(), "license_required");
    assert!(
        o.assumptions
            .iter()
            .any(|a| a.contains("die.non_planar is not given")),
        "{:#?}",
        o.assumptions
    );
    assert!(o.settle_with.contains(&"die.non_planar".to_string()));
    // TPP >= 4800 decides without density: no assumption.
    let s = spec("name = \"Z\"\nvendor = \"Acme\"\ndatacenter = true\n[compute]\nfp16 = 400\n[die]\narea_mm2 = 400\n[io]\ninterconnect_gbps = 0\nmemory_bandwidth_gbps = 1000\n");
    let o = check(&s, "CN", "2024-06-01", None);
    assert!(
        !o.assumptions.iter().any(|a| a.contains("non_planar")),
        "{:#?}",
        o.assumptions
    );
}

#[test]
fn a_gpu_without_nvlink_is_told_to_write_zero() {
    let s = spec("name = \"Y\"\nvendor = \"Acme\"\n[compute]\nfp16 = 400\n[die]\narea_mm2 = 600\nnon_planar = true\n[io]\nmemory_bandwidth_gbps = 2000\n");
    // The 2022 rule's I/O test.
    let o = check(&s, "CN", "2022-12-01", None);
    assert_eq!(o.verdict.name(), "indeterminate");
    assert!(
        o.reasons
            .iter()
            .any(|r| r.contains("io.interconnect_gbps = 0")),
        "{:#?}",
        o.reasons
    );
    // 2025: NAC hangs on `datacenter` only; no HBM field in the hint.
    let o = check(&s, "CN", "2025-06-01", None);
    assert_eq!(o.settle_with, vec!["datacenter".to_string()]);
    assert!(
        !o.reasons.iter().any(|r| r.contains("package_area")),
        "{:#?}",
        o.reasons
    );
    assert!(o
        .reasons
        .iter()
        .any(|r| r.contains("might apply if the spec settled datacenter")));
}

#[test]
fn settle_with_is_filled_whenever_the_text_names_fields() {
    // Every library chip, every date and a few destinations: if a reason or
    // an assumption says "give X to settle it" / "might apply if the spec
    // settled X", X is in settle_with.
    let chips = chipcheck::library::chips().expect("library");
    for chip in chips {
        for on in ["2022-12-01", "2024-06-01", "2025-06-01", "2026-03-01"] {
            for to in ["CN", "SA", "DE"] {
                let o = check(&chip.spec, to, on, None);
                let text: Vec<&String> = o.reasons.iter().chain(&o.assumptions).collect();
                let names_fields = text
                    .iter()
                    .any(|r| r.contains("to settle it") || r.contains("if the spec settled"));
                assert!(
                    !names_fields || !o.settle_with.is_empty(),
                    "{} to {to} on {on}: {:#?}",
                    chip.spec.name,
                    text
                );
            }
        }
    }
}

/// Where a planar die matters is read from the rules, not from a band of TPP
/// written in the code. A rule version (a fixture, not a real rule) whose
/// 3A090.a.1 also tests density: with no `density_decides`, every test that
/// a planar die turns is followed, so it matters at TPP 6,400; with the
/// band the real rules state (TPP 1,600 to 4,800), it is not worked out.
#[test]
fn where_non_planar_matters_is_read_from_the_rules() {
    let fixture = std::fs::read_to_string(
        std::path::Path::new(common::ROOT).join("tests/fixtures/rules-next/test-2027-01.toml"),
    )
    .unwrap();
    let dense = fixture.replacen(
        "all = [\"tpp >= 4800\"]",
        "all = [\"tpp >= 4800\", \"performance_density >= 10\"]",
        1,
    );
    assert_ne!(
        dense, fixture,
        "the fixture's 3A090.a.1 test is where it was"
    );
    let banded = dense.replacen(
        "\n[[paragraph]]",
        "\ndensity_decides = [\"tpp >= 1600\", \"tpp < 4800\"]\n\n[[paragraph]]",
        1,
    );
    // TPP 6,400 and 400 mm²: density 16 meets the test; a planar die (no
    // applicable area) would leave it unknown.
    let s = spec("name = \"Z\"\nvendor = \"Acme\"\ndatacenter = true\n[compute]\nfp16 = 400\n[die]\narea_mm2 = 400\n[io]\ninterconnect_gbps = 0\nmemory_bandwidth_gbps = 1000\n");
    let assumed = |text: &str| {
        let dir = common::rule_dir(&[("test-2027-01.toml", text)]);
        let rules = chipcheck::RuleSet::from_dir(dir.path()).unwrap();
        let cn = chipcheck::country::resolve("CN").unwrap();
        let subject = chipcheck::engine::Subject::chip(&s, "test");
        let date = common::date("2027-02-01");
        let o = chipcheck::engine::evaluate_all(&rules, &subject, date, &[cn], None).remove(0);
        assert_eq!(o.verdict.name(), "license_required");
        o.assumptions
            .iter()
            .any(|a| a.contains("die.non_planar is not given"))
    };
    assert!(assumed(&dense), "no band: the dense 3A090.a.1 is followed");
    assert!(
        !assumed(&banded),
        "the band stated in the rule file is used"
    );
}
