//! Letters name products the way people write them: every name and alias of
//! every letter-named product, with and without a vendor prefix, in any
//! case, with a memory size, in a spec or a catalogue row, is caught by its
//! letter even when its figures are low. A name that might be a named
//! product is `indeterminate` with the candidates, never a silent miss.
//! Evidence: the letters' product lists (rules/*.toml) and the issue-11
//! audit (`AMD Instinct MI308X` with low figures was `no_license_required`).

mod common;

use assert_cmd::Command;
use chipcheck::library;
use chipcheck::rules::RuleKind;
use common::{check, rules, spec};

/// Where and when each letter is tested: a destination it covers, a date
/// it is in force and no regulation already controls a chip with low
/// figures.
fn probe(letter: &str) -> (&'static str, &'static str) {
    match letter {
        "nvidia-2022-08-26" => ("RU", "2022-09-15"),
        "amd-2022-08-31" => ("CN", "2022-09-15"),
        "nvidia-2023-10-23" => ("SA", "2023-11-01"),
        "nvidia-2025-04-09" | "amd-2025-04" => ("CN", "2025-06-01"),
        other => panic!("no probe for letter {other}; add one"),
    }
}

/// Ways people write one name: as is, lower case, with the vendor in front,
/// squashed, dashed.
fn spellings(name: &str, vendor: &str) -> Vec<String> {
    vec![
        name.to_string(),
        name.to_lowercase(),
        format!("{vendor} {name}"),
        format!("{} {}", vendor.to_uppercase(), name.to_uppercase()),
        name.replace(' ', ""),
        name.replace(' ', "-"),
    ]
}

/// A spec with figures far below every threshold (so only the name can
/// bring it under a letter), datacenter, no I/O figures.
fn low(name: &str, vendor: Option<&str>) -> chipcheck::ChipSpec {
    let vendor = vendor
        .map(|v| format!("vendor = {v:?}\n"))
        .unwrap_or_default();
    spec(&format!(
        "name = {name:?}\n{vendor}datacenter = true\n[compute]\nfp16 = 10\n[die]\narea_mm2 = 800\nnon_planar = true\n[io]\ninterconnect_gbps = 0\nmemory_bandwidth_gbps = 100\n"
    ))
}

/// Every name each letter names: its products and the names and aliases of
/// the library chips they are.
fn letter_names() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for letter in rules().versions().filter(|v| v.kind == RuleKind::Letter) {
        let applies = letter.applies_to.as_ref().expect("letters name products");
        for product in &applies.products {
            out.push((letter.id.clone(), applies.vendor.clone(), product.clone()));
            for chip in library::named(product, Some(&applies.vendor)).expect("library") {
                out.push((
                    letter.id.clone(),
                    applies.vendor.clone(),
                    chip.spec.name.clone(),
                ));
                for alias in &chip.spec.aliases {
                    out.push((letter.id.clone(), applies.vendor.clone(), alias.clone()));
                }
            }
        }
    }
    out
}

#[test]
fn every_alias_of_every_letter_named_product_is_caught_in_a_spec() {
    let mut misses = Vec::new();
    let names = letter_names();
    assert!(names.len() > 40, "{} names", names.len());
    for (letter, vendor, name) in &names {
        let (to, on) = probe(letter);
        for written in spellings(name, vendor) {
            for vendor_field in [Some(vendor.as_str()), None] {
                // Without a vendor field the product name speaks for it.
                let o = check(&low(&written, vendor_field), to, on, None);
                let want = "license_required";
                // The 2023 letter applies the rule's TPP test to what it
                // names, so there the name alone does not need a licence
                // (a letter is in the basis only when it reaches the chip).
                let tested = letter == "nvidia-2023-10-23";
                let named = tested
                    || o.reasons
                        .iter()
                        .any(|r| r.contains("is named in the letter"));
                let verdict_ok = o.verdict.name() == want || tested;
                if !verdict_ok || !named || !o.basis.contains(letter) {
                    misses.push(format!(
                        "{letter}: `{written}` (vendor {vendor_field:?}) to {to} on {on}: {} {:?}, want {want}",
                        o.verdict.name(),
                        o.basis
                    ));
                }
            }
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

#[test]
fn the_issue_cases() {
    for name in [
        "AMD Instinct MI308X",
        "AMD MI308",
        "Instinct MI308X",
        "amd mi308x 192GB",
    ] {
        let o = check(&low(name, None), "CN", "2025-06-01", None);
        assert_eq!(
            o.verdict.name(),
            "license_required",
            "{name}: {:#?}",
            o.reasons
        );
        assert!(o.basis.contains(&"amd-2025-04".to_string()), "{name}");
    }
    let o = check(
        &low("AMD Instinct MI250X", Some("AMD")),
        "CN",
        "2022-09-15",
        None,
    );
    assert_eq!(o.verdict.name(), "license_required", "{:#?}", o.reasons);
    // The H20 without I/O figures: named, so the letter's figures do not matter.
    let h20 = spec("name = \"NVIDIA H20\"\ndatacenter = true\n[compute]\nfp8 = 296\n[die]\narea_mm2 = 814\nnon_planar = true\n");
    let o = check(&h20, "CN", "2025-06-01", None);
    assert_eq!(o.verdict.name(), "license_required", "{:#?}", o.reasons);
    assert!(o.reasons.iter().any(|r| r.contains("named in the letter")));
}

#[test]
fn another_vendor_or_another_library_chip_is_not_named() {
    // Same name, another chip vendor chipcheck knows: not AMD's letter.
    let o = check(&low("MI308X", Some("Intel")), "CN", "2025-06-01", None);
    assert_eq!(o.verdict.name(), "no_license_required", "{:#?}", o.reasons);
    // A vendor it does not know (an OEM, a distributor) may sell AMD's
    // MI308X under its own name: undecided, settled by the vendor.
    let o = check(&low("MI308X", Some("Acme")), "CN", "2025-06-01", None);
    assert_eq!(o.verdict.name(), "indeterminate", "{:#?}", o.reasons);
    assert!(
        o.settle_with.contains(&"vendor".to_string()),
        "{:?}",
        o.settle_with
    );
    // The H200 is not the H20 (and the H20 is not the H200).
    let o = check(&low("H200 NVL", Some("NVIDIA")), "CN", "2025-06-01", None);
    assert!(
        !o.basis.contains(&"nvidia-2025-04-09".to_string()),
        "{:?}",
        o.basis
    );
    // The MI300X is a library chip of its own, not the MI308X.
    let o = check(&low("MI300X", Some("AMD")), "CN", "2025-06-01", None);
    assert!(
        !o.basis.contains(&"amd-2025-04".to_string()),
        "{:?}",
        o.basis
    );
}

/// A board another company sells whose name says it is the letter vendor's
/// product (`NVIDIA H20 96GB PCIe card` from Inspur, with the H20's
/// figures) may carry that vendor's chip: undecided, never cleared by the
/// vendor field alone (it was `no_license_required`).
#[test]
fn another_company_s_board_named_for_the_letter_vendor_is_not_cleared() {
    let h20 = |name: &str, vendor: &str| {
        spec(&format!(
            "name = \"{name}\"\nvendor = \"{vendor}\"\ndatacenter = true\n[compute]\nfp8 = 296\n[die]\narea_mm2 = 814\nnon_planar = true\n[io]\ninterconnect_gbps = 900\nmemory_bandwidth_gbps = 4000\n"
        ))
    };
    // The name says NVIDIA, begins like the named product, or holds it as
    // a word (an OEM's `H20 96GB PCIe card`): it may carry the H20.
    for name in [
        "NVIDIA H20 96GB PCIe card",
        "H20 96GB PCIe card",
        "HGX H20 8-GPU board",
        "GeForce-class H20 accelerator",
    ] {
        let o = check(&h20(name, "Inspur"), "CN", "2026-11-01", None);
        assert_eq!(
            o.verdict.name(),
            "indeterminate",
            "{name}: {:#?}",
            o.reasons
        );
        assert!(o.settle_with.contains(&"vendor".to_string()), "{name}");
        if name.starts_with("NVIDIA") {
            assert!(
                o.reasons.iter().any(|r| r.contains("its name says NVIDIA")),
                "{:#?}",
                o.reasons
            );
        }
    }
    // A name that does not say NVIDIA, from a vendor chipcheck knows as
    // another chip designer, is that designer's product.
    let o = check(&h20("Gaudi H20 board", "Intel"), "CN", "2026-11-01", None);
    assert_eq!(o.verdict.name(), "no_license_required", "{:#?}", o.reasons);
}

/// A product line's word before a named product (`Tesla A100`) may be that
/// product: `indeterminate`, never a silent miss (a second review found
/// `NVIDIA Tesla A100` cleared to Russia in 2022).
#[test]
fn a_named_product_after_a_product_line_is_indeterminate() {
    let o = check(
        &low("NVIDIA Tesla A100", Some("NVIDIA")),
        "RU",
        "2022-09-15",
        None,
    );
    assert_eq!(o.verdict.name(), "indeterminate", "{:#?}", o.reasons);
    assert!(
        o.reasons
            .iter()
            .any(|r| r.contains("A100") && r.contains("may be")),
        "{:#?}",
        o.reasons
    );
}

#[test]
fn a_name_that_may_be_a_named_product_is_indeterminate_with_the_candidates() {
    let o = check(&low("MI308 OAM", Some("AMD")), "CN", "2025-06-01", None);
    assert_eq!(o.verdict.name(), "indeterminate", "{:#?}", o.reasons);
    assert!(
        o.settle_with.contains(&"name".to_string()),
        "{:?}",
        o.settle_with
    );
    assert!(
        o.reasons
            .iter()
            .any(|r| r.contains("MI308") && r.contains("may be")),
        "{:#?}",
        o.reasons
    );
}

#[test]
fn every_alias_is_caught_in_a_catalogue_row() {
    // Every letter that names products by name alone, on its probe date and
    // destination (the 2023 letter applies the rule's TPP test to what it
    // names, so a name with low figures is not enough there).
    let all = letter_names();
    let mut letters: Vec<String> = all.iter().map(|(l, _, _)| l.clone()).collect();
    letters.dedup();
    letters.retain(|l| l != "nvidia-2023-10-23");
    assert!(letters.len() >= 4, "{letters:?}");
    for letter in letters {
        let (to, on) = probe(&letter);
        let mut csv = String::from(
            "name,vendor,fp16,area_mm2,datacenter,interconnect_gbps,memory_bandwidth_gbps\n",
        );
        let names: Vec<&(String, String, String)> =
            all.iter().filter(|(l, _, _)| *l == letter).collect();
        for (_, vendor, name) in &names {
            csv.push_str(&format!("\"{vendor} {name}\",,10,800,yes,0,100\n"));
            csv.push_str(&format!("\"{name}\",{vendor},10,800,yes,0,100\n"));
            csv.push_str(&format!("\"{name}\",\"{vendor} Corp.\",10,800,yes,0,100\n"));
        }
        let out = Command::cargo_bin("chipcheck")
            .expect("binary")
            .env("CHIPCHECK_TODAY", "2026-12-01")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args([
                "--no-config",
                "audit",
                "-",
                "--date",
                on,
                "--to",
                to,
                "--format",
                "csv",
            ])
            .write_stdin(csv)
            .output()
            .expect("runs");
        let text = String::from_utf8_lossy(&out.stdout);
        let rows: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(rows.len(), names.len() * 3, "{letter}: {text}");
        for row in rows {
            // The verdict cell itself: `no_license_required` contains the
            // words too.
            assert!(row.contains(",license_required,"), "{letter}: {row}");
        }
    }
}

/// `vendor` in full-width letters (`ＮＶＩＤＩＡ`), as East Asian input
/// methods write it.
fn full_width(vendor: &str) -> String {
    vendor
        .chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            ' ' => '\u{3000}',
            c => c,
        })
        .collect()
}

/// The letter's vendor written as people write it (a legal form, full-width
/// letters, the full company name) is the letter's vendor; a vendor cell
/// that says the vendor is not known is no vendor; a vendor that names the
/// letter's among other words, or looks like it, may be it. Each is caught
/// by the letter with low figures. Evidence: the adversarial review of
/// 2026-12-03 (`NVIDIA Corp.` and `AMD Inc.` cleared the H20 and the
/// MI308X to China on 2025-06-01).
#[test]
fn the_letters_vendor_however_it_is_written_is_caught() {
    let mut misses = Vec::new();
    for (letter, vendor, name) in letter_names() {
        let (to, on) = probe(&letter);
        if letter == "nvidia-2023-10-23" {
            continue;
        }
        let mut written = vec![
            format!("{vendor} Corp."),
            format!("{vendor} Corporation"),
            format!("{vendor}, Inc."),
            format!("{vendor} Inc"),
            format!("{vendor} GmbH"),
            format!("{vendor} Co., Ltd."),
            full_width(&vendor),
            vendor.to_lowercase(),
            format!("{vendor} Taiwan"),
            // A Cyrillic А for the Latin A.
            vendor.replace('A', "\u{0410}"),
            "N/A".to_string(),
            "unknown".to_string(),
            "-".to_string(),
            "?".to_string(),
            "TBD".to_string(),
        ];
        if vendor == "AMD" {
            written.push("Advanced Micro Devices, Inc.".to_string());
        }
        // Legal forms, full-width letters, case and the company's full
        // name are plainly the vendor; the others only may be.
        let plainly = 8;
        for (i, v) in written.into_iter().enumerate() {
            let o = check(&low(&name, Some(&v)), to, on, None);
            let doubted = o.reasons.iter().any(|r| r.contains("written otherwise"));
            if (i < plainly || v.starts_with("Advanced")) && doubted {
                misses.push(format!(
                    "{letter}: vendor `{v}` is doubted: {:#?}",
                    o.reasons
                ));
            }
            if o.verdict.name() != "license_required" || !o.basis.contains(&letter) {
                misses.push(format!(
                    "{letter}: `{name}` with vendor `{v}` to {to} on {on}: {} {:?}",
                    o.verdict.name(),
                    o.basis
                ));
            }
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
    // What the answer says of a vendor that may be the letter's.
    let o = check(&low("H20", Some("NVIDIA Taiwan")), "CN", "2025-06-01", None);
    assert!(
        o.reasons
            .iter()
            .any(|r| r.contains("`NVIDIA Taiwan` may be NVIDIA written otherwise")),
        "{:#?}",
        o.reasons
    );
    // A word that only begins like the vendor's is not said to be it
    // (`Amdocs` is not AMD written otherwise), though the named product with
    // a vendor chipcheck does not know stays undecided.
    let o = check(
        &low("Instinct MI308X", Some("Amdocs")),
        "CN",
        "2025-06-01",
        None,
    );
    assert_eq!(o.verdict.name(), "indeterminate", "{:#?}", o.reasons);
    assert!(
        !o.reasons.iter().any(|r| r.contains("written otherwise")),
        "{:#?}",
        o.reasons
    );
    // The company's name in Chinese is the company.
    let o = check(&low("H20", Some("英伟达")), "CN", "2025-06-01", None);
    assert_eq!(o.verdict.name(), "license_required", "{:#?}", o.reasons);
    // A vendor chipcheck does not know, on a named product, may be selling
    // it (a second review: `Supermicro` and `英伟达` cleared the H20).
    for v in ["Acme Corp.", "Supermicro", "nan", "OEM"] {
        let o = check(&low("H20", Some(v)), "CN", "2025-06-01", None);
        assert_eq!(o.verdict.name(), "indeterminate", "{v}: {:#?}", o.reasons);
    }
}

/// A name that only looks like a named product's (a letter O for a zero, a
/// Cyrillic letter for a Latin one) may be that product: `indeterminate`,
/// with the candidates, never a silent miss.
#[test]
fn a_name_that_looks_like_a_named_product_is_indeterminate() {
    for (name, vendor, letter) in [
        ("Instinct MI3O8X", "AMD", "amd-2025-04"),
        ("Instinct \u{041C}I308X", "AMD", "amd-2025-04"),
        ("H2O", "NVIDIA", "nvidia-2025-04-09"),
        ("\u{041D}20", "NVIDIA", "nvidia-2025-04-09"),
    ] {
        let o = check(&low(name, Some(vendor)), "CN", "2025-06-01", None);
        assert_eq!(
            o.verdict.name(),
            "indeterminate",
            "{name}: {:#?}",
            o.reasons
        );
        assert!(
            o.basis.contains(&letter.to_string()),
            "{name}: {:?}",
            o.basis
        );
        assert!(
            o.reasons
                .iter()
                .any(|r| r.contains(name) && r.contains("may be")),
            "{name}: {:#?}",
            o.reasons
        );
    }
}

/// What is worked out of one row's vendor is reused for the next row with
/// the same vendor, and never for a row with another: each answer is the
/// one its own vendor gives, in whatever order the rows come.
#[test]
fn a_vendor_read_for_one_chip_is_read_the_same_for_the_next() {
    let verdict = |name: &str, vendor: &str| {
        let o = check(&low(name, Some(vendor)), "CN", "2025-06-01", None);
        let doubted = o.reasons.iter().any(|r| r.contains("written otherwise"));
        (o.verdict.name().to_string(), doubted)
    };
    let alone = [
        ("H20", "NVIDIA Taiwan"),
        ("H20", "Intel"),
        ("Part 7", "NVIDIA Taiwan"),
        ("H20", "NVIDIA"),
        ("H20", "Amdocs"),
    ]
    .map(|(n, v)| ((n, v), verdict(n, v)));
    // Every order of two rows, so each row follows each other vendor.
    for (first, _) in &alone {
        for (second, expected) in &alone {
            verdict(first.0, first.1);
            assert_eq!(
                &verdict(second.0, second.1),
                expected,
                "{second:?} after {first:?}"
            );
        }
    }
    assert_eq!(alone[0].1, ("license_required".to_string(), true));
    assert_eq!(alone[1].1 .0, "no_license_required");
}
