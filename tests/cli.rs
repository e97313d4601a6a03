//! The command line as people and CI use it: exit statuses, errors on
//! stderr, and snapshots of the human and JSON output.

mod common;

use common::{arg, chipcheck, chipcheck_in, rule_dir_with, stable};
use predicates::prelude::*;

#[test]
fn exit_0_when_nothing_needs_a_licence() {
    chipcheck()
        .args([
            "classify",
            "--chip",
            "H100",
            "--to",
            "DE",
            "--date",
            "2024-01-15",
        ])
        .assert()
        .code(0);
}

#[test]
fn exit_1_when_a_licence_is_required() {
    chipcheck()
        .args([
            "classify",
            "examples/h100.toml",
            "--to",
            "CN",
            "--date",
            "2024-01-15",
        ])
        .assert()
        .code(1);
}

#[test]
fn exit_1_for_a_licence_exception() {
    chipcheck()
        .args([
            "classify",
            "--chip",
            "A40",
            "--to",
            "CN",
            "--date",
            "2024-01-15",
        ])
        .assert()
        .code(1);
}

#[test]
fn exit_3_when_indeterminate() {
    chipcheck()
        .args([
            "classify",
            "examples/unknown-die.toml",
            "--to",
            "CN",
            "--date",
            "2024-01-15",
        ])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("die.area_mm2"));
}

#[test]
fn exit_2_for_usage_errors() {
    chipcheck()
        .args(["classify", "examples/h100.toml", "--to", "Germnay"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean Germany (DE)?"));
    chipcheck()
        .args(["classify", "examples/h100.toml", "--date", "2024-13-01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("YYYY-MM-DD"));
    chipcheck().args(["classify"]).assert().code(2);
    chipcheck()
        .args(["classify", "--chip", "H1OO SXM"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean"));
    chipcheck()
        .args(["classify", "--chip", "H1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ambiguous"));
    chipcheck()
        .args(["rules", "show", "us-2023-1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean"));
}

#[test]
fn exit_2_for_bad_input_with_location_and_suggestion() {
    let out = chipcheck()
        .args(["classify", "tests/fixtures/typo.toml", "--to", "CN"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    insta::assert_snapshot!("typo_error", String::from_utf8_lossy(&out.stderr));
    let out = chipcheck()
        .args(["classify", "tests/fixtures/bad-figure.toml"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    insta::assert_snapshot!("bad_figure_error", String::from_utf8_lossy(&out.stderr));
    chipcheck()
        .args(["classify", "tests/fixtures/no-such-file.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-file.toml"));
}

#[test]
fn exit_2_for_broken_rules_naming_file_line_and_key() {
    let out = chipcheck()
        .args([
            "classify",
            "examples/h100.toml",
            "--to",
            "CN",
            "--rules",
            &arg(&rule_dir_with("rules-broken")),
        ])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("us-broken.toml:14:8"), "{err}");
    assert!(err.contains("did you mean `tpp`?"), "{err}");
    chipcheck()
        .args(["rules", "--rules", "tests/fixtures/missing-dir"])
        .assert()
        .code(2);
}

#[test]
fn hong_kong_macau_and_names_are_accepted() {
    chipcheck()
        .args([
            "classify",
            "--chip",
            "h100 sxm",
            "--to",
            "hong kong,Macao,sa",
            "--date",
            "2024-01-15",
            "--format",
            "json",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"evaluated_as\": \"CN\""));
}

#[test]
fn table_snapshot() {
    let out = chipcheck()
        .args([
            "classify",
            "examples/h100.toml",
            "examples/a800.toml",
            "--to",
            "CN,DE",
            "--date",
            "2023-06-01",
        ])
        .assert()
        .code(1)
        .get_output()
        .clone();
    insta::assert_snapshot!("table_2023_06", stable(&out.stdout));
}

#[test]
fn table_snapshot_exception_and_note_2() {
    let out = chipcheck()
        .args([
            "classify",
            "--chip",
            "RTX 4090",
            "--chip",
            "RTX 4090D",
            "--to",
            "CN",
            "--date",
            "2024-06-01",
        ])
        .assert()
        .code(1)
        .get_output()
        .clone();
    insta::assert_snapshot!("table_consumer_2024", stable(&out.stdout));
}

#[test]
fn json_snapshot() {
    let out = chipcheck()
        .args([
            "classify",
            "examples/h100.toml",
            "--to",
            "CN",
            "--date",
            "2024-01-15",
            "--end-user-hq",
            "CN",
            "--format",
            "json",
        ])
        .assert()
        .code(1)
        .get_output()
        .clone();
    insta::assert_snapshot!("json_h100_cn", stable(&out.stdout));
}

#[test]
fn json_has_the_public_fields() {
    let out = chipcheck()
        .args([
            "classify",
            "examples/h100.toml",
            "examples/a800.toml",
            "--to",
            "CN,SA,DE",
            "--date",
            "2023-06-01",
            "--format",
            "json",
        ])
        .assert()
        .get_output()
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let results = v["results"].as_array().expect("results");
    assert_eq!(results.len(), 6);
    for r in results {
        for field in [
            "chip",
            "destination",
            "date",
            "rule",
            "tpp",
            "performance_density",
            "paragraphs",
            "verdict",
            "review_policy",
            "exceptions",
            "reasons",
        ] {
            assert!(r.get(field).is_some(), "missing {field}");
        }
    }
    assert_eq!(v["provenance"]["chipcheck_version"], chipcheck::VERSION);
    assert!(v["provenance"]["rules_hash"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
}

#[test]
fn no_destination_lists_every_licence_destination() {
    let out = chipcheck()
        .args([
            "classify",
            "examples/h100.toml",
            "--date",
            "2024-01-15",
            "--format",
            "json",
        ])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let dests: Vec<&str> = v["results"][0]["license_destinations"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d.as_str())
        .collect();
    for code in ["CN", "HK", "MO", "SA", "AE", "VN", "RU"] {
        assert!(dests.contains(&code), "{code} missing from {dests:?}");
    }
    for code in ["DE", "IL", "TW", "US", "JP"] {
        assert!(!dests.contains(&code), "{code} should not need a licence");
    }
}

#[test]
fn systems_are_4a090() {
    chipcheck()
        .args([
            "classify",
            "examples/dgx-h100.toml",
            "--to",
            "CN",
            "--date",
            "2024-01-15",
            "--format",
            "json",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("4A090.a"));
}

#[test]
fn rules_listing_and_show() {
    chipcheck()
        .args(["rules"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("us-2023-11"));
    let out = chipcheck()
        .args(["rules", "show", "us-2023-11"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    insta::assert_snapshot!("rules_show_2023", String::from_utf8_lossy(&out.stdout));
    chipcheck()
        .args(["rules", "show", "us-2022-10", "--format", "json"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("\"interconnect_gbps >= 600\""));
}

#[test]
fn help_documents_exit_statuses() {
    chipcheck()
        .args(["classify", "--help"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("3  at least one indeterminate"));
}

#[test]
fn today_is_pinned_by_the_environment_and_checked() {
    // The pinned date decides which rule is "in force" when no --date is given.
    chipcheck()
        .env("CHIPCHECK_TODAY", "2023-06-01")
        .args(["rules"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("status as of 2023-06-01"));
    chipcheck()
        .env("CHIPCHECK_TODAY", "2023-6-1")
        .args(["rules"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("CHIPCHECK_TODAY"));
}

#[test]
fn init_man_completions_and_schema_load_neither_project_file_nor_rules() {
    let dir = tempfile::Builder::new()
        .prefix("broken-project-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("temp dir");
    let config = dir.path().join("chipcheck.toml");
    std::fs::write(&config, "this is = = broken\n").expect("write");
    // Without --force the existing file is kept; with it, replaced.
    chipcheck_in(dir.path())
        .args(["init"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    chipcheck_in(dir.path())
        .args(["init", "--force"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("wrote chipcheck.toml"));
    let written = std::fs::read_to_string(&config).expect("read");
    assert!(!written.contains("broken"), "{written}");
    std::fs::write(&config, "this is = = broken\n").expect("write");
    for args in [&["man"][..], &["completions", "bash"], &["schema", "spec"]] {
        chipcheck_in(dir.path())
            .args(["--rules", "no-such-rules-dir"])
            .args(args)
            .assert()
            .code(0);
    }
}

/// `classify --threads`: subjects classified on several threads come out as
/// on one, in the order given, in every report, with the same messages on
/// stderr and the same exit status (enough subjects that threads start).
#[test]
fn classify_threads_change_nothing() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut args: Vec<String> = vec!["classify".into()];
    for i in 0..40 {
        let path = dir.path().join(format!("spec-{i:02}.toml"));
        let text = if i % 13 == 5 {
            // Unreadable: an `error` result and a message, in its place.
            "name = \"Broken\"\n[compute]\nfp16 = \n".to_string()
        } else {
            format!(
                "name = \"Part {i}\"\nvendor = \"Acme\"\ndatacenter = {}\n\n[compute]\nfp16 = {}\n\n[die]\narea_mm2 = {}\n",
                i % 3 != 0,
                50 + i * 61,
                200 + (i * 17) % 600
            )
        };
        std::fs::write(&path, text).expect("spec");
        args.push(path.display().to_string());
    }
    for chip in ["H20", "MI308X", "No Such Chip"] {
        args.extend(["--chip".to_string(), chip.to_string()]);
    }
    let jsonl = dir.path().join("out.jsonl");
    let csv = dir.path().join("out.csv");
    args.extend(["--date", "2025-06-01", "--format", "json", "--output"].map(String::from));
    args.push(format!("jsonl={}", jsonl.display()));
    args.push("--output".into());
    args.push(format!("csv={}", csv.display()));
    // Three destinations: three parts of subjects. Every destination: a
    // part per subject, more than may be classified ahead of the writing.
    for (to, results) in [("CN,SA,AE", 3), ("all", 249)] {
        let run = |threads: &str| {
            let out = chipcheck()
                .args(&args)
                .args(["--to", to, "--threads", threads])
                .output()
                .expect("run");
            let files = (
                std::fs::read(&jsonl).expect("jsonl"),
                std::fs::read(&csv).expect("csv"),
            );
            (out, files)
        };
        let (one, one_files) = run("1");
        let stdout = String::from_utf8_lossy(&one.stdout);
        assert_eq!(
            stdout.matches("\"verdict\"").count(),
            43 * results,
            "--to {to}: a result per subject and destination"
        );
        assert!(
            stdout.matches("\"license_required\"").count() > 20,
            "most specs read"
        );
        assert!(String::from_utf8_lossy(&one.stderr).contains("error"));
        for threads in ["2", "0"] {
            let (many, many_files) = run(threads);
            let said = format!("--to {to} --threads {threads}");
            assert_eq!(one.status.code(), many.status.code(), "{said}");
            assert!(one.stdout == many.stdout, "{said}: stdout differs");
            assert!(one.stderr == many.stderr, "{said}: stderr differs");
            assert!(one_files == many_files, "{said}: a report file differs");
        }
    }
}
