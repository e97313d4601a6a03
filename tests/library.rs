//! The compiled-in chip library: every file loads and cites sources,
//! aliases find chips the way people write them, and systems are 4A090.

mod common;

use chipcheck::library::{self, Lookup};
use common::chipcheck;
use predicates::prelude::*;

fn found(name: &str) -> String {
    match library::find(name).expect("library") {
        Lookup::Found(c) => c.spec.name.clone(),
        other => panic!("{name}: {other:?}"),
    }
}

#[test]
fn every_library_file_loads_with_sources() {
    let chips = library::chips().expect("every library file parses");
    assert!(chips.len() >= 40, "{} chips", chips.len());
    for c in chips {
        assert!(!c.spec.sources.is_empty(), "{} has no [[source]]", c.file);
        assert!(c.spec.vendor.is_some(), "{} has no vendor", c.file);
    }
}

#[test]
fn aliases_are_unique() {
    let chips = library::chips().unwrap();
    let mut seen = std::collections::HashMap::new();
    for c in chips {
        let mut names = vec![library::fold(&c.spec.name)];
        names.extend(c.spec.aliases.iter().map(|a| library::fold(a)));
        names.sort();
        names.dedup();
        for n in names {
            if let Some(other) = seen.insert(n.clone(), c.spec.name.clone()) {
                panic!("`{n}` names both {other} and {}", c.spec.name);
            }
        }
    }
}

#[test]
fn names_are_found_the_way_people_write_them() {
    assert_eq!(found("H100"), "H100 SXM5 80GB");
    assert_eq!(found("h100 sxm"), "H100 SXM5 80GB");
    assert_eq!(found("NVIDIA H100 SXM5 80GB"), "H100 SXM5 80GB");
    assert_eq!(found("nvidia-h100-sxm5-80gb"), "H100 SXM5 80GB");
    assert_eq!(found("RTX 4090D"), "GeForce RTX 4090D");
    assert_eq!(found("mi250x"), "Instinct MI250X");
    assert_eq!(found("AMD Instinct MI250X"), "Instinct MI250X");
    assert_eq!(found("gaudi2"), "Gaudi 2 (HL-225H)");
}

/// A name that stops inside a library chip's number is not that chip: the
/// B20 is not the B200 (a third review found it read as one, TPP 36,000).
#[test]
fn a_name_cut_inside_a_number_is_suggested_not_taken() {
    match library::find("B20").unwrap() {
        Lookup::NotFound { suggestions } => {
            assert!(
                suggestions.iter().any(|s| s.contains("B200")),
                "{suggestions:?}"
            )
        }
        other => panic!("{other:?}"),
    }
    chipcheck()
        .args(["classify", "--chip", "B20", "--to", "CN"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no chip named").and(predicate::str::contains("B200")));
}

/// A memory size the chip does not come in is another chip, not that one:
/// `A10 80GB` (a slip for the A100 80GB) was read as the 24 GB A10 and
/// cleared. A name a letter names stays caught whatever its size.
#[test]
fn a_memory_size_a_chip_does_not_come_in_is_not_that_chip() {
    for name in ["A10 80GB", "A100 40GB PCIe"] {
        if let Lookup::Found(c) = library::find(name).unwrap() {
            panic!("{name} read as {}", c.spec.name)
        }
    }
    let out = chipcheck()
        .args([
            "audit",
            "-",
            "--to",
            "CN",
            "--date",
            "2025-06-01",
            "--format",
            "csv",
        ])
        .write_stdin("name,vendor\nA10 80GB,NVIDIA\nH20 141GB,NVIDIA\nA10 24GB,NVIDIA\n")
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    let verdicts: Vec<&str> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(4))
        .collect();
    assert_eq!(
        verdicts,
        ["indeterminate", "license_required", "no_license_required"],
        "{text}"
    );
    assert!(
        text.contains("meets is-informed.nvidia-2025-04; licence required to CN"),
        "{text}"
    );
}

#[test]
fn ambiguous_names_list_the_candidates() {
    match library::find("H1").unwrap() {
        Lookup::Ambiguous(cs) => assert!(cs.len() > 2),
        other => panic!("{other:?}"),
    }
    chipcheck()
        .args(["classify", "--chip", "RTX 50"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("ambiguous").and(predicate::str::contains("GeForce RTX 5090")),
        );
}

#[test]
fn misses_suggest_the_closest_names() {
    match library::find("H1OO SXM5").unwrap() {
        Lookup::NotFound { suggestions } => assert!(
            suggestions.iter().any(|s| s.contains("H100 SXM5")),
            "{suggestions:?}"
        ),
        other => panic!("{other:?}"),
    }
    chipcheck()
        .args(["chips", "show", "Z9000"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no chip named"));
}

#[test]
fn chips_json_has_the_public_fields() {
    let out = chipcheck()
        .args(["chips", "--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let chips = v["chips"].as_array().unwrap();
    assert!(chips.len() >= 40);
    for c in chips {
        for f in ["name", "vendor", "tpp", "performance_density", "sources"] {
            assert!(c.get(f).is_some(), "{f} missing in {c}");
        }
        assert!(!c["sources"].as_array().unwrap().is_empty());
    }
}

#[test]
fn chips_show_prints_the_sheet_with_sources() {
    chipcheck()
        .args(["chips", "show", "h20"])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("[[source]]").and(predicate::str::contains("name = \"H20\"")),
        );
}

#[test]
fn classify_by_chip_matches_classify_by_file() {
    let by_chip = chipcheck()
        .args([
            "classify",
            "--chip",
            "A40",
            "--to",
            "CN",
            "--date",
            "2024-06-01",
            "--format",
            "json",
        ])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let by_file = chipcheck()
        .args([
            "classify",
            "examples/chips/nvidia-a40.toml",
            "--to",
            "CN",
            "--date",
            "2024-06-01",
            "--format",
            "json",
        ])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let a: serde_json::Value = serde_json::from_slice(&by_chip.stdout).unwrap();
    let b: serde_json::Value = serde_json::from_slice(&by_file.stdout).unwrap();
    for f in [
        "verdict",
        "paragraphs",
        "tpp",
        "performance_density",
        "exceptions",
        "reasons",
    ] {
        assert_eq!(a["results"][0][f], b["results"][0][f], "{f}");
    }
}

#[test]
fn foreign_chips_carry_the_jurisdiction_note() {
    let o = common::check(&common::lib("Ascend 910B"), "CN", "2024-06-01", None);
    assert!(
        o.reasons
            .iter()
            .any(|r| r.contains("foreign direct product")),
        "{:#?}",
        o.reasons
    );
}

#[test]
fn systems_meet_4a090_through_what_they_contain() {
    let dgx = common::spec("name = \"DGX H100\"\nvendor = \"NVIDIA\"\ndatacenter = true\ncontains = [{ chip = \"H100\", count = 8 }]\n");
    let o = common::check(&dgx, "CN", "2024-06-01", None);
    assert!(
        o.paragraphs.contains(&"4A090.a".to_string()),
        "{:?}",
        o.paragraphs
    );
    assert_eq!(o.verdict.name(), "license_required");
    // A board of 3A090.b chips is 4A090.b, NAC-eligible.
    let board = common::spec("name = \"Board\"\ndatacenter = true\n[[contains]]\ncount = 4\n[contains.spec]\nname = \"G\"\ndatacenter = true\ncompute = { fp16 = 200 }\ndie = { area_mm2 = 600 }\n");
    let o = common::check(&board, "CN", "2024-06-01", None);
    assert_eq!(o.paragraphs, vec!["4A090.b"]);
    assert_eq!(o.verdict.name(), "license_exception");
    // A system of an unknown chip is undecided, never clear.
    let unknown = common::spec("name = \"Box\"\n[[contains]]\ncount = 2\n[contains.spec]\nname = \"X\"\ndatacenter = true\ncompute = { fp16 = 150 }\n");
    assert_eq!(
        common::check(&unknown, "CN", "2024-06-01", None)
            .verdict
            .name(),
        "indeterminate"
    );
    // A rack of servers of GPUs is read down to its chips, counts
    // multiplied (a server has no figures of its own: undecided before).
    let rack = common::spec("name = \"Rack\"\nvendor = \"Acme\"\ndatacenter = true\n[[contains]]\ncount = 4\n[contains.spec]\nname = \"Server\"\ndatacenter = true\ncontains = [{ chip = \"H100 SXM5 80GB\", count = 8 }]\n");
    let o = common::check(&rack, "CN", "2024-06-01", None);
    assert_eq!(o.verdict.name(), "license_required", "{:#?}", o.reasons);
    assert!(
        o.reasons.iter().any(|r| r.contains("32 x H100 SXM5 80GB")),
        "{:#?}",
        o.reasons
    );
    // A system that meets no paragraph says so plainly: its own states say
    // nothing (its chips' figures decide), so no empty parentheses.
    let consumer = common::spec("name = \"Box\"\nvendor = \"Acme\"\ndatacenter = false\ncontains = [{ chip = \"RTX 4090\", count = 1 }]\n");
    let o = common::check(&consumer, "CN", "2022-11-01", None);
    assert!(
        o.reasons
            .iter()
            .any(|r| r == "meets no controlled paragraph of us-2022-10"),
        "{:#?}",
        o.reasons
    );
    // An unknown library name in `contains` is an error.
    chipcheck()
        .args(["classify", "tests/fixtures/system-unknown-chip.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean"));
}
