//! Known chips walked through the rule history, through the command line:
//! the October 2022 rule and the August 2022 letters, the 2023 rule and the
//! letter that brought it forward, the NAC/ACA split, HBM, AI Diffusion and
//! its non-enforcement, the H20/MI308 letters, the H200 review policy and the
//! UAE rule. Every expectation says where it comes from; the evidence levels
//! are in the rule files' notes (rules/*.toml).
//!
//! Destinations: CN (D:1, D:4, D:5), SA (D:4 only), DE (A:5), NI (no group
//! until 2024-03-15, then D:1 and D:5: 89 FR 18780) and KH (D:1 and D:5, out
//! of D:5 from 2026-02-03: RIN 0694-AK41). See rules/country-groups.toml.

mod common;

use common::chipcheck;
use serde_json::Value;

const DESTS: [&str; 5] = ["CN", "SA", "DE", "NI", "KH"];

/// The chips, as `--chip` names, with the library names the answers carry.
const CHIPS: [(&str, &str); 8] = [
    ("A100", "A100 SXM4 80GB"),
    ("A800", "A800 SXM4 80GB"),
    ("H100", "H100 SXM5 80GB"),
    ("H20", "H20"),
    ("H200", "H200 SXM 141GB"),
    ("B200", "B200"),
    ("L40", "L40"),
    ("RTX 4090", "GeForce RTX 4090"),
];

/// Runs `classify --format json` and returns the results.
fn classify(args: &[&str]) -> Vec<Value> {
    let out = chipcheck()
        .arg("classify")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("run chipcheck");
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1 || code == 3,
        "chipcheck {args:?} exited {code}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    json["results"].as_array().expect("results").clone()
}

/// One chip, one destination, one date (and optionally an end user's HQ).
fn one(chip: &str, to: &str, date: &str, hq: Option<&str>) -> Value {
    let mut args = vec!["--chip", chip, "--to", to, "--date", date];
    if let Some(h) = hq {
        args.extend(["--end-user-hq", h]);
    }
    let mut results = classify(&args);
    assert_eq!(results.len(), 1);
    results.remove(0)
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Checks one answer against a cell of the tables below:
/// `-` no licence; `LR` licence, no review policy given; `LR/PoD`, `LR/CbC`,
/// `LR/PoA` licence with that review policy; `LR/?` licence, review policy
/// `unknown` (no source states it); `NAC!` License Exception NAC
/// with prior notification; `NAC` and `ACA` without notification.
fn assert_cell(r: &Value, cell: &str, context: &str) {
    let verdict = r["verdict"].as_str().unwrap_or("");
    let policy = r["review_policy"].as_str();
    let exceptions: Vec<(String, bool)> = r["exceptions"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["id"].as_str().unwrap_or("").to_string(),
                        e["notification_required"].as_bool().unwrap_or(false),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let shown = format!(
        "{context}: expected {cell}, got {verdict} policy={policy:?} exceptions={exceptions:?} basis={:?}",
        strings(&r["basis"])
    );
    match cell {
        "-" => assert_eq!(verdict, "no_license_required", "{shown}"),
        "LR" | "LR/PoD" | "LR/CbC" | "LR/PoA" | "LR/?" => {
            assert_eq!(verdict, "license_required", "{shown}");
            assert!(exceptions.is_empty(), "{shown}");
            let want = match cell {
                "LR/PoD" => Some("presumption_of_denial"),
                "LR/CbC" => Some("case_by_case"),
                "LR/PoA" => Some("presumption_of_approval"),
                "LR/?" => Some("unknown"),
                _ => None,
            };
            assert_eq!(policy, want, "{shown}");
        }
        "NAC!" | "NAC" | "ACA" => {
            assert_eq!(verdict, "license_exception", "{shown}");
            let id = cell.trim_end_matches('!');
            assert_eq!(
                exceptions,
                vec![(id.to_string(), cell.ends_with('!'))],
                "{shown}"
            );
        }
        other => panic!("unknown cell {other}"),
    }
}

/// Every chip to every destination on one date, in one run.
fn walk(date: &str, table: &[(&str, [&str; 5])]) {
    let mut args: Vec<&str> = Vec::new();
    for (flag, _) in CHIPS {
        args.extend(["--chip", flag]);
    }
    let to = DESTS.join(",");
    args.extend(["--to", &to, "--date", date]);
    let results = classify(&args);
    assert_eq!(results.len(), CHIPS.len() * DESTS.len());
    assert_eq!(
        table.len(),
        CHIPS.len(),
        "the table for {date} needs a row per chip"
    );
    for (i, (flag, name)) in CHIPS.iter().enumerate() {
        let (row_chip, cells) = table[i];
        assert_eq!(row_chip, *flag, "table rows follow CHIPS");
        for (j, dest) in DESTS.iter().enumerate() {
            let r = &results[i * DESTS.len() + j];
            assert_eq!(r["chip"].as_str(), Some(*name));
            assert_eq!(r["destination"].as_str(), Some(*dest));
            assert_cell(r, cells[j], &format!("{flag} -> {dest} on {date}"));
        }
    }
}

fn basis(r: &Value) -> Vec<String> {
    strings(&r["basis"])
}

// ---------------------------------------------------------------------------
// The walk: eight chips, five destinations, ten dates.
// Columns: CN, SA, DE, NI, KH.
// ---------------------------------------------------------------------------

#[test]
fn walk_2022_09_01_letters_only() {
    // No regulation yet (3A090 takes effect 2022-10-21, 87 FR 62186). The
    // 2022-08-26 letter to NVIDIA (8-K filed 2022-08-31, primary via verbatim
    // quotation) requires a licence to China and Russia for the A100 and H100
    // and future NVIDIA ICs at or above A100-level TPP and chip-to-chip I/O
    // (chipcheck: TPP >= 4800 and I/O >= 600 GB/s): the H200 and B200 reach
    // them; the A800 (400 GB/s), H20 (TPP 2,368), L40 and RTX 4090 (no
    // NVLink) do not. No source gives the letter's review policy.
    walk(
        "2022-09-01",
        &[
            ("A100", ["LR", "-", "-", "-", "-"]),
            ("A800", ["-", "-", "-", "-", "-"]),
            ("H100", ["LR", "-", "-", "-", "-"]),
            ("H20", ["-", "-", "-", "-", "-"]),
            ("H200", ["LR", "-", "-", "-", "-"]),
            ("B200", ["LR", "-", "-", "-", "-"]),
            ("L40", ["-", "-", "-", "-", "-"]),
            ("RTX 4090", ["-", "-", "-", "-", "-"]),
        ],
    );
}

#[test]
fn walk_2022_11_01_october_2022_rule() {
    // 87 FR 62186 (in force 2022-10-21): 3A090.a = I/O >= 600 GB/s AND
    // TPP >= 4800; licence to China only; presumption of denial (the prior
    // China policy as 91 FR 1684 describes it). The A800 was built to fall
    // below the 600 GB/s test (NVIDIA statement, Reuters 2022-11-07).
    let table = [
        ("A100", ["LR/PoD", "-", "-", "-", "-"]),
        ("A800", ["-", "-", "-", "-", "-"]),
        ("H100", ["LR/PoD", "-", "-", "-", "-"]),
        ("H20", ["-", "-", "-", "-", "-"]),
        ("H200", ["LR/PoD", "-", "-", "-", "-"]),
        ("B200", ["LR/PoD", "-", "-", "-", "-"]),
        ("L40", ["-", "-", "-", "-", "-"]),
        ("RTX 4090", ["-", "-", "-", "-", "-"]),
    ];
    walk("2022-11-01", &table);
    // 88 FR 2821 (in force 2023-01-17) only adds Macau: the same answers here.
    walk("2023-06-01", &table);
}

#[test]
fn walk_2023_11_01_acceleration_letter() {
    // The 2023-10-23 letter (NVIDIA 8-K filed 2023-10-24, secondary quotes)
    // applied the October 2023 rule's requirements at once to NVIDIA
    // datacenter products with TPP >= 4800 (A100, A800, H100, H800, L40S
    // named; the H200 and B200 reach the same test): D:1, D:4, D:5 less A:5
    // and A:6. SA is D:4, KH is D:1 and D:5, DE is A:5, NI is in no group
    // yet. Review policy as 88 FR 73458 per CSET (2023): denial for D:5,
    // approval for other D:1/D:4. The L40 (TPP 2,897) and the RTX 4090 (not
    // a datacenter part) were not named and stay free until 2023-11-17.
    walk(
        "2023-11-01",
        &[
            ("A100", ["LR/PoD", "LR/PoA", "-", "-", "LR/PoD"]),
            ("A800", ["LR/PoD", "LR/PoA", "-", "-", "LR/PoD"]),
            ("H100", ["LR/PoD", "LR/PoA", "-", "-", "LR/PoD"]),
            ("H20", ["-", "-", "-", "-", "-"]),
            ("H200", ["LR/PoD", "LR/PoA", "-", "-", "LR/PoD"]),
            ("B200", ["LR/PoD", "LR/PoA", "-", "-", "LR/PoD"]),
            ("L40", ["-", "-", "-", "-", "-"]),
            ("RTX 4090", ["-", "-", "-", "-", "-"]),
        ],
    );
}

#[test]
fn walk_2024_01_15_october_2023_rule() {
    // 88 FR 73458 (in force 2023-11-17). Datacenter 3A090.a items get no
    // licence exception. The L40 (3A090.b, datacenter) and the RTX 4090
    // (3A090.a, not datacenter, TPP 5,285) use NAC; prior notification for
    // D:5 and Macau only (15 CFR 740.8(a)(2), via Oracle GTM and BIS).
    // The H20 is below 3A090.b (TPP 2,368 < 2,400; PD 2.91 < 3.2).
    walk(
        "2024-01-15",
        &[
            ("A100", ["LR/PoD", "LR/PoA", "-", "-", "LR/PoD"]),
            ("A800", ["LR/PoD", "LR/PoA", "-", "-", "LR/PoD"]),
            ("H100", ["LR/PoD", "LR/PoA", "-", "-", "LR/PoD"]),
            ("H20", ["-", "-", "-", "-", "-"]),
            ("H200", ["LR/PoD", "LR/PoA", "-", "-", "LR/PoD"]),
            ("B200", ["LR/PoD", "LR/PoA", "-", "-", "LR/PoD"]),
            ("L40", ["NAC!", "NAC", "-", "-", "NAC!"]),
            ("RTX 4090", ["NAC!", "NAC", "-", "-", "NAC!"]),
        ],
    );
}

#[test]
fn walk_2024_06_01_to_2025_02_01_nac_aca_split() {
    // 89 FR 23876 (in force 2024-04-04): NAC keeps Macau and D:5 (with
    // notification); ACA covers other D:1/D:4 destinations without
    // notification (CBP CSMS #61882672). Nicaragua is in D:1 and D:5 from
    // 2024-03-15 (89 FR 18780): licence, presumption of denial.
    let table = [
        ("A100", ["LR/PoD", "LR/PoA", "-", "LR/PoD", "LR/PoD"]),
        ("A800", ["LR/PoD", "LR/PoA", "-", "LR/PoD", "LR/PoD"]),
        ("H100", ["LR/PoD", "LR/PoA", "-", "LR/PoD", "LR/PoD"]),
        ("H20", ["-", "-", "-", "-", "-"]),
        ("H200", ["LR/PoD", "LR/PoA", "-", "LR/PoD", "LR/PoD"]),
        ("B200", ["LR/PoD", "LR/PoA", "-", "LR/PoD", "LR/PoD"]),
        ("L40", ["NAC!", "ACA", "-", "NAC!", "NAC!"]),
        ("RTX 4090", ["NAC!", "ACA", "-", "NAC!", "NAC!"]),
    ];
    walk("2024-06-01", &table);
    // 90 FR 4544 (AI Diffusion, in force 2025-01-13): its worldwide licence
    // requirement had a compliance date of 2025-05-15, after BIS stopped
    // enforcing the rule (2025-05-13), so nothing changes (us-2025-01 notes).
    walk("2025-02-01", &table);
}

#[test]
fn walk_2025_06_01_h20_letter() {
    // The 2025-04-09 letter (NVIDIA 8-K filed 2025-04-15, primary via
    // verbatim quotation): licence for the H20 to China (HK, Macau) and D:5
    // (NI and KH are D:5 on this date); no source gives its review policy, so
    // it is unknown (issue 11). SA and DE are outside it.
    // Everything else as 2024-06-01 (us-2025-05 restores the enforced rules).
    walk(
        "2025-06-01",
        &[
            ("A100", ["LR/PoD", "LR/PoA", "-", "LR/PoD", "LR/PoD"]),
            ("A800", ["LR/PoD", "LR/PoA", "-", "LR/PoD", "LR/PoD"]),
            ("H100", ["LR/PoD", "LR/PoA", "-", "LR/PoD", "LR/PoD"]),
            ("H20", ["LR/?", "-", "-", "LR/?", "LR/?"]),
            ("H200", ["LR/PoD", "LR/PoA", "-", "LR/PoD", "LR/PoD"]),
            ("B200", ["LR/PoD", "LR/PoA", "-", "LR/PoD", "LR/PoD"]),
            ("L40", ["NAC!", "ACA", "-", "NAC!", "NAC!"]),
            ("RTX 4090", ["NAC!", "ACA", "-", "NAC!", "NAC!"]),
        ],
    );
}

#[test]
fn walk_2026_h200_policy_and_cambodia() {
    // 91 FR 1684 (in force 2026-01-15, primary): exports from the US to
    // China/Macau with TPP < 21,000 and DRAM bandwidth < 6,500 GB/s are
    // reviewed case by case (A100, H100, H200: TPP <= 15,832, memory
    // <= 4,800 GB/s) if commercially available in the US at publication; the
    // A800 is a China-only SKU (NVIDIA via Reuters, 2022-11-07), so it stays
    // presumption of denial. The B200 (TPP 36,000; 8,000 GB/s) stays
    // presumption of denial. Cambodia leaves D:5 on 2026-02-03 but stays in D:1: still a
    // licence, ACA available, presumption of approval (the D:1/D:4 catch-all,
    // CSET); the H20 letter no longer reaches it. Nicaragua stays D:5.
    let table = [
        ("A100", ["LR/CbC", "LR/PoA", "-", "LR/PoD", "LR/PoA"]),
        ("A800", ["LR/PoD", "LR/PoA", "-", "LR/PoD", "LR/PoA"]),
        ("H100", ["LR/CbC", "LR/PoA", "-", "LR/PoD", "LR/PoA"]),
        ("H20", ["LR/?", "-", "-", "LR/?", "-"]),
        ("H200", ["LR/CbC", "LR/PoA", "-", "LR/PoD", "LR/PoA"]),
        ("B200", ["LR/PoD", "LR/PoA", "-", "LR/PoD", "LR/PoA"]),
        ("L40", ["NAC!", "ACA", "-", "NAC!", "ACA"]),
        ("RTX 4090", ["NAC!", "ACA", "-", "NAC!", "ACA"]),
    ];
    walk("2026-03-01", &table);
    // 91 FR 43034 (in force 2026-07-10) concerns the UAE only.
    walk("2026-08-01", &table);
}

// ---------------------------------------------------------------------------
// Which rule or letter decides, and the review policy where it matters.
// ---------------------------------------------------------------------------

#[test]
fn the_2022_letters_decide_before_the_rule() {
    // NVIDIA letter of 2022-08-26 (8-K filed 2022-08-31).
    for chip in ["A100", "H100", "H200", "B200"] {
        let r = one(chip, "CN", "2022-09-01", None);
        assert_eq!(r["verdict"], "license_required", "{chip}");
        assert!(r["rule"].is_null(), "{chip}: no regulation in force yet");
        assert_eq!(basis(&r), vec!["nvidia-2022-08-26"], "{chip}");
        assert_eq!(
            strings(&r["paragraphs"]),
            vec!["is-informed.nvidia-2022-08"]
        );
        assert!(
            r["review_policy"].is_null(),
            "no source gives the letter's review policy"
        );
    }
    // Russia is named in the same letter.
    assert_eq!(
        one("H100", "RU", "2022-09-01", None)["verdict"],
        "license_required"
    );
    // AMD: MI250 and MI250X to China (AMD's statement of 2022-08-31).
    for chip in ["MI250", "MI250X"] {
        let r = one(chip, "CN", "2022-09-01", None);
        assert_eq!(r["verdict"], "license_required", "{chip}");
        assert_eq!(basis(&r), vec!["amd-2022-08-31"], "{chip}");
    }
    assert_eq!(
        one("MI250", "RU", "2022-09-01", None)["verdict"],
        "no_license_required"
    );
    // The AMD letter date is not public: in force by the day AMD stated it
    // (AMD's statement and Reuters, Wednesday 2022-08-31), not known before
    // NVIDIA's letter (2022-08-26). Between them the answer is undecided,
    // never cleared (MI250 to CN had been cleared on 2022-08-29).
    assert_eq!(
        one("MI250", "CN", "2022-08-31", None)["verdict"],
        "license_required"
    );
    for day in ["2022-08-26", "2022-08-29", "2022-08-30"] {
        let r = one("MI250", "CN", day, None);
        assert_eq!(r["verdict"], "indeterminate", "{day}");
        assert!(r["uncertain_facts"][0]
            .as_str()
            .unwrap()
            .contains("amd-2022-08-31"));
    }
    assert_eq!(
        one("MI250", "CN", "2022-08-25", None)["verdict"],
        "no_license_required"
    );
    // Hong Kong is evaluated as China (FR Doc 2020-28101).
    assert_eq!(
        one("A100", "HK", "2022-09-01", None)["verdict"],
        "license_required"
    );
    // Before the NVIDIA letter: nothing.
    assert_eq!(
        one("A100", "CN", "2022-08-25", None)["verdict"],
        "no_license_required"
    );
}

#[test]
fn the_acceleration_letter_names_the_a800_and_ends_on_2023_11_17() {
    // The A800 is not 3A090 under the 2022 rule (400 GB/s); the 2023-10-23
    // letter decides, and reports the rule's 3A090.a.1 that it brought forward.
    let r = one("A800", "CN", "2023-11-01", None);
    assert_eq!(r["verdict"], "license_required");
    assert_eq!(r["rule"], "us-2023-01");
    assert!(basis(&r).contains(&"nvidia-2023-10-23".to_string()));
    assert_eq!(strings(&r["paragraphs"]), vec!["3A090.a.1"]);
    // Not before 2023-10-23.
    assert_eq!(
        one("A800", "CN", "2023-10-22", None)["verdict"],
        "no_license_required"
    );
    // From 2023-11-17 the rule itself answers and the letter has expired.
    let r = one("A800", "SA", "2023-11-17", None);
    assert_eq!(r["rule"], "us-2023-11");
    assert_eq!(basis(&r), vec!["us-2023-11"]);
    // The L40S was named; the L40 was not (secondary quotes of the 8-K).
    assert_eq!(
        one("L40S", "SA", "2023-11-01", None)["verdict"],
        "license_required"
    );
    assert_eq!(
        one("L40", "SA", "2023-11-01", None)["verdict"],
        "no_license_required"
    );
}

#[test]
fn the_h20_letter_decides_for_the_h20_and_the_rule_keeps_its_policy_for_the_h200() {
    // H20: not 3A090, so the letter alone requires the licence.
    let r = one("H20", "CN", "2025-06-01", None);
    assert_eq!(r["verdict"], "license_required");
    assert!(basis(&r).contains(&"nvidia-2025-04-09".to_string()));
    assert_eq!(
        strings(&r["paragraphs"]),
        vec!["is-informed.nvidia-2025-04"]
    );
    // No source states the letter's review policy (issue 11).
    assert_eq!(r["review_policy"], "unknown");
    assert!(strings(&r["reasons"])
        .iter()
        .any(|x| x.contains("no source states the letter's review policy")));
    // Not before the letter (2025-04-09).
    assert_eq!(
        one("H20", "CN", "2025-04-08", None)["verdict"],
        "no_license_required"
    );
    // Companies headquartered in China, wherever located (the 8-K's wording).
    assert_eq!(
        one("H20", "DE", "2025-06-01", Some("CN"))["verdict"],
        "license_required"
    );
    // H200 on 2026-03-01: the H20 letter reaches it (900 GB/s NVLink, 4,800
    // GB/s memory), but the review policy is the regulation's: 91 FR 1684
    // names the H200 for case-by-case review to China.
    let r = one("H200", "CN", "2026-03-01", None);
    assert_eq!(r["verdict"], "license_required");
    assert_eq!(r["rule"], "us-2026-01");
    assert!(basis(&r).contains(&"nvidia-2025-04-09".to_string()));
    assert_eq!(r["review_policy"], "case_by_case");
    // B200: above 91 FR 1684's window, presumption of denial.
    assert_eq!(
        one("B200", "CN", "2026-03-01", None)["review_policy"],
        "presumption_of_denial"
    );
    // MI308 (AMD filing, April 2025): named; its 3A090 figures are unknown.
    let r = one("MI308X", "CN", "2025-06-01", None);
    assert_eq!(r["verdict"], "license_required");
    assert!(basis(&r).contains(&"amd-2025-04".to_string()));
    assert_eq!(r["review_policy"], "unknown");
    // Macau is named for both (Macau is not in D:5).
    assert_eq!(
        one("MI308X", "MO", "2025-06-01", None)["verdict"],
        "license_required"
    );
    assert_eq!(
        one("H20", "MO", "2025-06-01", None)["verdict"],
        "license_required"
    );
    // Outside China/Macau/D:5 the MI308X answer rests on its unknown figures.
    assert_eq!(
        one("MI308X", "SA", "2025-06-01", None)["verdict"],
        "indeterminate"
    );
}

#[test]
fn headquarters_rule_and_its_review_policy() {
    // A China-headquartered end user in Germany: licence (744.23(a)(3); BIS
    // guidance of 2026-05-31). Its review policy outside D:1/D:4/D:5 is not
    // known: CSET (2023) gives case by case, a source quoting 91 FR 1684 says
    // such end users "stay" presumption of denial (issue 11: the files
    // contradicted each other). In D:1/D:4 it is denial in both.
    for on in ["2024-06-01", "2026-03-01"] {
        let r = one("H100", "DE", on, Some("CN"));
        assert_eq!(r["verdict"], "license_required");
        assert_eq!(r["review_policy"], "unknown", "{on}");
        let r = one("H100", "SA", on, Some("CN"));
        assert_eq!(r["review_policy"], "presumption_of_denial", "{on}");
    }
    // In Saudi Arabia (D:4) for a China-headquartered end user: ACA is not
    // usable, NAC is, with notification (CBP CSMS #61882672).
    let r = one("RTX 4090", "SA", "2024-06-01", Some("CN"));
    assert_cell(&r, "NAC!", "RTX 4090 -> SA for a CN-headquartered end user");
    // Without an HQ given, ACA.
    assert_cell(
        &one("RTX 4090", "SA", "2024-06-01", None),
        "ACA",
        "RTX 4090 -> SA",
    );
}

#[test]
fn ai_diffusion_never_requires_more_than_the_rules_before_it() {
    // us-2025-01 answers from 2025-01-13 to 2025-05-12, us-2025-05 from
    // 2025-05-13 (BIS non-enforcement press release); both answer exactly as
    // us-2024-12 did. Destinations outside D:1/D:4/D:5 (Tier 2 and Tier 1
    // countries under 90 FR 4544) never need a licence from it.
    assert_eq!(one("H100", "CN", "2025-01-12", None)["rule"], "us-2024-12");
    assert_eq!(one("H100", "CN", "2025-01-13", None)["rule"], "us-2025-01");
    assert_eq!(one("H100", "CN", "2025-05-12", None)["rule"], "us-2025-01");
    assert_eq!(one("H100", "CN", "2025-05-13", None)["rule"], "us-2025-05");
    assert_eq!(one("H100", "CN", "2026-01-14", None)["rule"], "us-2025-05");
    let dests = "CN,SA,DE,NI,KH,IN,BR,MY,SG,AE,IL,MO,RU,VN";
    let answers = |date: &str| -> Vec<(String, String, Option<String>, Vec<String>)> {
        classify(&[
            "--chip", "H100", "--chip", "L40", "--chip", "RTX 4090", "--to", dests, "--date", date,
        ])
        .iter()
        .map(|r| {
            (
                r["destination"].as_str().unwrap_or("").to_string(),
                r["verdict"].as_str().unwrap_or("").to_string(),
                r["review_policy"].as_str().map(str::to_string),
                r["exceptions"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|e| e["id"].as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default(),
            )
        })
        .collect()
    };
    let before = answers("2025-01-12");
    assert_eq!(answers("2025-02-01"), before, "under us-2025-01");
    assert_eq!(answers("2025-05-13"), before, "under us-2025-05");
    for dest in ["IN", "BR", "MY"] {
        assert_eq!(
            one("H100", dest, "2025-05-20", None)["verdict"],
            "no_license_required",
            "{dest}"
        );
    }
}

#[test]
fn uae_is_named_after_it_leaves_d4() {
    // Before 2026-07-10 the UAE is D:4: licence, presumption of approval.
    let r = one("H100", "AE", "2026-03-01", None);
    assert_eq!(r["verdict"], "license_required");
    assert_eq!(r["review_policy"], "presumption_of_approval");
    // From 2026-07-10 it is A:5, but 91 FR 43034 names it in the licence
    // line. Its carve-outs turn on the end user, which chipcheck cannot see;
    // no review policy for the UAE was found.
    let r = one("H100", "AE", "2026-08-01", None);
    assert_eq!(r["verdict"], "license_required");
    assert_eq!(r["rule"], "us-2026-07");
    assert!(r["review_policy"].is_null());
    assert!(strings(&r["country_groups"]).contains(&"A:5".to_string()));
    // Another A:5 country stays free.
    assert_eq!(
        one("H100", "FR", "2026-08-01", None)["verdict"],
        "no_license_required"
    );
}

#[test]
fn hbm_stacks_from_december_2024() {
    // 89 FR 96790: 3A090.c, HBM with memory bandwidth density > 2 GB/s/mm²,
    // licence to Macau and D:5 and for end users headquartered there. No
    // NAC/ACA; License Exception HBM turns on the consignee (not encoded).
    let stack = "tests/fixtures/hbm-stack.toml";
    let at_line = "tests/fixtures/hbm-at-threshold.toml";
    let run = |spec: &str, to: &str, date: &str, hq: Option<&str>| -> Value {
        let mut args = vec![spec, "--to", to, "--date", date];
        if let Some(h) = hq {
            args.extend(["--end-user-hq", h]);
        }
        classify(&args).remove(0)
    };
    // Before 3A090.c: not a 3A090 item (no processing unit, no TPP).
    assert_eq!(
        run(stack, "CN", "2024-11-01", None)["verdict"],
        "no_license_required"
    );
    let r = run(stack, "CN", "2025-06-01", None);
    assert_eq!(r["verdict"], "license_required");
    assert_eq!(strings(&r["paragraphs"]), vec!["3A090.c"]);
    assert!(r["exceptions"].as_array().is_some_and(|a| a.is_empty()));
    assert!(
        r["review_policy"].is_null(),
        "no 3A090.c review policy was found"
    );
    assert_eq!(
        run(stack, "MO", "2025-06-01", None)["verdict"],
        "license_required"
    );
    // Saudi Arabia is D:4 but not D:5: 3A090.c needs no licence there.
    assert_eq!(
        run(stack, "SA", "2025-06-01", None)["verdict"],
        "no_license_required"
    );
    assert_eq!(
        run(stack, "DE", "2025-06-01", Some("CN"))["verdict"],
        "license_required"
    );
    // Exactly 2 GB/s/mm² is not "greater than 2".
    assert_eq!(
        run(at_line, "CN", "2025-06-01", None)["verdict"],
        "no_license_required"
    );
}

// ---------------------------------------------------------------------------
// A new rule version is data: a directory with one more file is picked up
// with --rules, with no change to the code.
// ---------------------------------------------------------------------------

#[test]
fn a_new_rule_version_in_a_directory_is_picked_up() {
    let rules = common::rule_dir_with("rules-next");
    let dir = &common::arg(&rules);
    let out = chipcheck()
        .args(["--rules", dir, "rules", "--format", "json"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listing: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let ids: Vec<&str> = listing["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter_map(|v| v["id"].as_str())
        .collect();
    assert!(ids.contains(&"test-2027-01"), "{ids:?}");
    assert!(ids.contains(&"us-2026-07"), "{ids:?}");

    // The fixture version adds Brazil as a named destination from 2027-01-01.
    let with = |date: &str| -> Value {
        let out = chipcheck()
            .args([
                "--rules", dir, "classify", "--chip", "H100", "--to", "BR", "--date", date,
                "--format", "json",
            ])
            .output()
            .expect("run");
        let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        json["results"][0].clone()
    };
    let r = with("2027-02-01");
    assert_eq!(r["rule"], "test-2027-01");
    assert_eq!(r["verdict"], "license_required");
    // Before it comes into force, and with the embedded rules, nothing changes.
    let r = with("2026-08-01");
    assert_eq!(r["rule"], "us-2026-07");
    assert_eq!(r["verdict"], "no_license_required");
    let r = one("H100", "BR", "2027-02-01", None);
    assert_eq!(r["rule"], "us-2026-07");
    assert_eq!(r["verdict"], "no_license_required");

    // The directory passes the whole-set checks.
    chipcheck().args(["rules", "check", dir]).assert().code(0);
}
