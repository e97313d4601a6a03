//! TF32 is counted as 32 bits (the reading that never understates TPP).
//! Another published reading counts 19 bits (Epoch). Where the two readings
//! give different answers, the result says so: `tf32_reading_matters` and a
//! reason with both TPP figures. Evidence: AWS Neuron docs quote TF32 at the
//! BF16 rate (Trainium/Inferentia2 190 TFLOPS: 6,080 vs 3,610 around 4,800;
//! Trainium2 667 TFLOPS: 21,344 vs 12,673 around 91 FR 1684's 21,000).

mod common;

use common::{check, lib, spec};

fn tf32_reason(o: &chipcheck::engine::Outcome) -> String {
    o.reasons
        .iter()
        .find(|r| r.contains("TF32 reading decides this answer"))
        .cloned()
        .unwrap_or_default()
}

#[test]
fn trainium1_and_inferentia2_sit_on_both_sides_of_4800() {
    for chip in ["Trainium", "Inferentia2"] {
        let o = check(&lib(chip), "SA", "2024-01-01", None);
        assert_eq!(o.verdict.name(), "license_required", "{chip}");
        assert!(o.tf32_reading_matters, "{chip}: {:#?}", o.reasons);
        let r = tf32_reason(&o);
        assert!(r.contains("6,080") && r.contains("3,610"), "{chip}: {r}");
    }
}

#[test]
fn trainium2_and_3_sit_on_both_sides_of_the_2026_window() {
    for (chip, tpp32, tpp19) in [
        ("Trainium2", "21,344", "12,673"),
        ("Trainium3", "21,472", "20,136"),
    ] {
        let o = check(&lib(chip), "CN", "2026-03-01", None);
        assert_eq!(
            o.review_policy.map(|p| p.name()),
            Some("presumption_of_denial"),
            "{chip}"
        );
        assert!(o.tf32_reading_matters, "{chip}");
        let r = tf32_reason(&o);
        assert!(r.contains(tpp32) && r.contains(tpp19), "{chip}: {r}");
    }
}

#[test]
fn no_flag_where_the_reading_changes_nothing() {
    // The H100 quotes TF32 at half its FP16 rate: TPP comes from FP8.
    let o = check(&lib("H100"), "CN", "2026-03-01", None);
    assert!(!o.tf32_reading_matters);
    // Trainium to China in 2024: 3A090.a.1 at 32 bits; at 19 bits TPP 3,610
    // with no die area, so undecided: the flag is set there too, but
    // Germany (A:5) needs no licence either way.
    let o = check(&lib("Trainium"), "DE", "2024-01-01", None);
    assert!(!o.tf32_reading_matters, "{:#?}", o.reasons);
    // A spec with no TF32 figure never carries the flag.
    let s = spec("name = \"X\"\ndatacenter = true\n[compute]\nbf16 = 190\n");
    assert!(!check(&s, "SA", "2024-01-01", None).tf32_reading_matters);
}

#[test]
fn the_flag_is_in_the_json() {
    let out = common::chipcheck()
        .args([
            "classify",
            "--chip",
            "Trainium2",
            "--to",
            "CN",
            "--date",
            "2026-03-01",
            "--format",
            "json",
        ])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\"tf32_reading_matters\": true"), "{text}");
}
