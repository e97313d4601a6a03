//! chipcheck as a CI gate: --fail-on, the project file and licences on
//! file, every report format, and the shipped CI examples.

mod common;

use assert_cmd::Command;
use common::{chipcheck, chipcheck_in, ROOT};
use predicates::prelude::*;
use std::path::Path;

fn project(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("chipcheck.toml"), config).expect("write config");
    std::fs::copy(
        Path::new(ROOT).join("examples/h100.toml"),
        dir.path().join("h100.toml"),
    )
    .expect("copy spec");
    dir
}

// ---- --fail-on -------------------------------------------------------------

#[test]
fn fail_on_chooses_the_verdicts_that_fail() {
    // A40 to CN in 2024: license_exception (NAC).
    let a40 = [
        "classify",
        "--chip",
        "A40",
        "--to",
        "CN",
        "--date",
        "2024-06-01",
    ];
    chipcheck().args(a40).assert().code(1);
    chipcheck()
        .args(a40)
        .args(["--fail-on", "license_required"])
        .assert()
        .code(0);
    chipcheck()
        .args(a40)
        .args(["--fail-on", "license_exception"])
        .assert()
        .code(1);
    // Indeterminate keeps failing unless left out.
    let unknown = [
        "classify",
        "examples/unknown-die.toml",
        "--to",
        "CN",
        "--date",
        "2024-06-01",
    ];
    chipcheck().args(unknown).assert().code(3);
    chipcheck()
        .args(unknown)
        .args(["--fail-on", "license_required,license_exception"])
        .assert()
        .code(0);
    // A usage error is never waived.
    chipcheck()
        .args([
            "classify",
            "--chip",
            "A40",
            "--to",
            "Nowhere",
            "--fail-on",
            "license_required",
        ])
        .assert()
        .code(2);
    chipcheck()
        .args(a40)
        .args(["--fail-on", "licence_required"])
        .assert()
        .code(2);
}

// ---- the project file and licences -------------------------------------------

const LICENSED: &str = r#"
[defaults]
to = ["SA"]
date = "2024-06-01"

[[license]]
number = "D1234567"
chips = ["H100 SXM5 80GB"]
destinations = ["SA"]
expires = 2027-06-30
justification = "BIS licence for the Riyadh cluster"
"#;

#[test]
fn a_valid_licence_makes_the_result_licensed() {
    let dir = project(LICENSED);
    let out = chipcheck_in(dir.path())
        .args(["classify", "h100.toml", "--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["results"][0]["verdict"], "licensed");
    assert!(v["results"][0]["basis"]
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b == "license:D1234567"));
    assert_eq!(v["licenses"][0]["status"], "used");
    // The licence covers SA only: CN still fails the gate.
    chipcheck_in(dir.path())
        .args(["classify", "h100.toml", "--to", "SA,CN"])
        .assert()
        .code(1);
}

/// A NAC notification covers only a result License Exception NAC (or ACA)
/// is open to: never an item NAC excludes, such as an H100 for a data
/// centre (it was taken as licensed, exit 0).
#[test]
fn a_nac_notification_covers_only_what_nac_may_authorise() {
    let nac = LICENSED
        .replace(
            "number = \"D1234567\"",
            "number = \"NAC-1\"\nkind = \"nac_notification\"",
        )
        .replace(
            "[\"H100 SXM5 80GB\"]",
            "[\"H100 SXM5 80GB\", \"Edge board\"]",
        )
        // Edge board is no library chip: the entry records its figures.
        .replace(
            "justification",
            "tpp = 6400\nperformance_density = 10.67\njustification",
        );
    let dir = project(&nac);
    chipcheck_in(dir.path())
        .args(["classify", "h100.toml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "is a NAC notification, and License Exception NAC (or ACA) is not available for this result (license_required)",
        ));
    // A chip NAC is open to (3A090.a, not for data centres): covered.
    std::fs::write(
        dir.path().join("edge.toml"),
        "name = \"Edge board\"\nvendor = \"Acme\"\ndatacenter = false\ncompute = { fp16 = 400 }\ndie = { area_mm2 = 600, non_planar = true }\n",
    )
    .expect("write spec");
    let out = chipcheck_in(dir.path())
        .args(["classify", "edge.toml", "--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["results"][0]["verdict"], "licensed", "{v:#}");
}

/// A licence that records no end user headquarters does not cover a result
/// the headquarters rule reaches: an H100 to SA for a China-headquartered
/// end user was taken as licensed. With `end_user_hq` recorded it covers,
/// and an end user headquartered where the rule names none is covered.
#[test]
fn a_licence_without_headquarters_does_not_cover_the_headquarters_rule() {
    let dir = project(LICENSED);
    chipcheck_in(dir.path())
        .args(["classify", "h100.toml", "--end-user-hq", "CN"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("records no end_user_hq"));
    for hq in ["DE", "SA"] {
        chipcheck_in(dir.path())
            .args(["classify", "h100.toml", "--end-user-hq", hq])
            .assert()
            .code(0);
    }
    let dir = project(&LICENSED.replace("justification", "end_user_hq = \"CN\"\njustification"));
    chipcheck_in(dir.path())
        .args(["classify", "h100.toml", "--end-user-hq", "CN"])
        .assert()
        .code(0);
}

#[test]
fn an_expired_licence_does_not_cover() {
    let dir = project(&LICENSED.replace("2027-06-30", "2024-01-31"));
    chipcheck_in(dir.path())
        .args(["classify", "h100.toml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("expired on 2024-01-31"))
        .stderr(predicate::str::contains(
            "licence D1234567 on file is expired",
        ));
}

#[test]
fn an_unused_licence_is_reported() {
    let dir = project(&LICENSED.replace("[\"SA\"]\nexpires", "[\"AE\"]\nexpires"));
    chipcheck_in(dir.path())
        .args(["classify", "h100.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "licence D1234567 on file is unused",
        ));
}

#[test]
fn malformed_licences_are_errors() {
    for (broken, says) in [
        (
            LICENSED.replace(
                "justification = \"BIS licence for the Riyadh cluster\"\n",
                "",
            ),
            "justification",
        ),
        (LICENSED.replace("expires = 2027-06-30\n", ""), "expires"),
        (
            LICENSED.replace("number = \"D1234567\"", "numbr = \"D1234567\""),
            "did you mean `number`?",
        ),
        (
            LICENSED.replace("to = [\"SA\"]", "to = [\"Atlantis\"]"),
            "unknown country",
        ),
    ] {
        let dir = project(&broken);
        chipcheck_in(dir.path())
            .args(["classify", "h100.toml"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
    }
}

#[test]
fn config_is_found_upward_and_can_be_given_or_ignored() {
    let dir = project(LICENSED);
    let sub = dir.path().join("a/b");
    std::fs::create_dir_all(&sub).unwrap();
    chipcheck_in(&sub)
        .args(["classify", "../../h100.toml"])
        .assert()
        .code(0);
    chipcheck_in(&sub)
        .args([
            "--no-config",
            "classify",
            "../../h100.toml",
            "--to",
            "SA",
            "--date",
            "2024-06-01",
        ])
        .assert()
        .code(1);
    chipcheck_in(Path::new(ROOT))
        .args([
            "--config",
            &dir.path().join("chipcheck.toml").display().to_string(),
            "classify",
            "examples/h100.toml",
        ])
        .assert()
        .code(0);
}

#[test]
fn init_writes_a_config_that_loads() {
    let dir = tempfile::tempdir().unwrap();
    chipcheck_in(dir.path()).arg("init").assert().code(0);
    chipcheck_in(dir.path())
        .arg("init")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    chipcheck_in(dir.path())
        .args(["init", "--force"])
        .assert()
        .code(0);
    std::fs::copy(
        Path::new(ROOT).join("examples/h100.toml"),
        dir.path().join("h100.toml"),
    )
    .unwrap();
    chipcheck_in(dir.path())
        .args(["classify", "h100.toml", "--date", "2024-06-01"])
        .assert()
        .code(1);
}

// ---- report formats ----------------------------------------------------------

fn render(format: &str) -> String {
    let out = chipcheck()
        .args([
            "classify",
            "examples/h100.toml",
            "--chip",
            "A40",
            "--to",
            "CN,DE",
            "--date",
            "2024-06-01",
            "--format",
            format,
        ])
        .assert()
        .code(1)
        .get_output()
        .clone();
    common::mask(&String::from_utf8_lossy(&out.stdout))
        .trim_end()
        .to_string()
}

#[test]
fn every_format_snapshot() {
    for format in ["jsonl", "csv", "junit", "github", "markdown"] {
        insta::assert_snapshot!(format!("format_{format}"), render(format));
    }
}

#[test]
fn sarif_has_the_required_structure() {
    let text = render("sarif");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("sarif is json");
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(ROOT).join("tests/fixtures/sarif-2.1.0-required.json"))
            .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(doc["runs"][0]["results"].as_array().unwrap().len(), 4);
    assert_eq!(
        doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "examples/h100.toml"
    );
    // The schema can fail: a result without a message is rejected.
    let mut broken = doc.clone();
    broken["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn several_outputs_at_once_with_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("report.json");
    let sarif = dir.path().join("report.sarif");
    chipcheck()
        .args([
            "classify",
            "examples/h100.toml",
            "--to",
            "CN",
            "--date",
            "2024-06-01",
        ])
        .args([
            "--output",
            &format!("json={}", json.display()),
            "--output",
            &format!("sarif={}", sarif.display()),
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("license_required"));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let p = &v["provenance"];
    assert_eq!(p["chipcheck_version"], chipcheck::VERSION);
    assert!(p["rules_hash"].as_str().unwrap().starts_with("sha256:"));
    assert_eq!(p["dates_evaluated"][0], "2024-06-01");
    assert_eq!(p["inputs"][0]["path"], "examples/h100.toml");
    assert!(p["inputs"][0]["sha256"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
    assert!(std::fs::read_to_string(&sarif)
        .unwrap()
        .contains("\"version\": \"2.1.0\""));
    chipcheck()
        .args(["classify", "examples/h100.toml", "--output", "sariff=x"])
        .assert()
        .code(2);
}

// ---- schema, completions, man --------------------------------------------------

#[test]
fn shipped_spec_sheets_validate_against_the_schema() {
    let out = chipcheck()
        .args(["schema", "spec"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).expect("schema is json");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let mut files: Vec<_> = std::fs::read_dir(Path::new(ROOT).join("examples/chips"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    for f in [
        "h100.toml",
        "a800.toml",
        "unknown-die.toml",
        "dgx-h100.toml",
        "hgx-custom.toml",
    ] {
        files.push(Path::new(ROOT).join("examples").join(f));
    }
    assert!(files.len() > 40);
    for path in files {
        let value: toml::Value = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let json = serde_json::to_value(&value).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    }
    // It can fail: the typo fixture does not validate.
    let typo: toml::Value = toml::from_str(
        &std::fs::read_to_string(Path::new(ROOT).join("tests/fixtures/typo.toml")).unwrap(),
    )
    .unwrap();
    assert!(!validator.is_valid(&serde_json::to_value(&typo).unwrap()));
}

#[test]
fn completions_and_man_page_come_from_the_same_flags() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        chipcheck()
            .args(["completions", shell])
            .assert()
            .code(0)
            .stdout(predicate::str::contains("fail-on"));
    }
    chipcheck()
        .arg("man")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(".TH chipcheck"));
}

#[test]
fn man_writes_a_page_per_subcommand() {
    let dir = tempfile::Builder::new()
        .prefix("man-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .unwrap();
    let pages = dir.path().join("man");
    chipcheck()
        .args(["man", "--dir"])
        .arg(&pages)
        .assert()
        .code(0);
    let main = std::fs::read_to_string(pages.join("chipcheck.1")).unwrap();
    // Every page the main page refers to is there.
    for sub in [
        "classify", "audit", "rules", "chips", "timeline", "diff", "screen", "man",
    ] {
        assert!(main.contains(&format!("chipcheck\\-{sub}(1)")), "{sub}");
        let page = std::fs::read_to_string(pages.join(format!("chipcheck-{sub}.1"))).unwrap();
        assert!(page.starts_with(".ie") || page.contains(".TH"), "{sub}");
        assert!(page.contains("Examples:"), "{sub}");
    }
    assert!(pages.join("chipcheck-rules-show.1").exists());
}

// ---- the CI examples run as written -------------------------------------------

#[test]
fn github_workflow_commands_run() {
    let workflow =
        std::fs::read_to_string(Path::new(ROOT).join("examples/ci/chipcheck.yml")).unwrap();
    // The workflow's step is the action, whose gate script runs this command
    // (tests/ci_integrations.rs runs the script itself).
    assert!(workflow.contains("uses: chipcheck/chipcheck@"));
    let gate = std::fs::read_to_string(Path::new(ROOT).join("action/gate.sh")).unwrap();
    assert!(gate.contains("--output github --output \"sarif=$sarif\""));
    // The same command, on a project with one spec sheet.
    let dir = project(LICENSED);
    std::fs::create_dir(dir.path().join("specs")).unwrap();
    std::fs::rename(
        dir.path().join("h100.toml"),
        dir.path().join("specs/h100.toml"),
    )
    .unwrap();
    let summary = dir.path().join("summary.md");
    chipcheck_in(dir.path())
        .args(["classify", "specs/h100.toml", "--output", "github"])
        .args(["--output", &format!("markdown={}", summary.display())])
        .args([
            "--output",
            "sarif=chipcheck.sarif",
            "--output",
            "json=chipcheck.json",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("::notice file=specs/h100.toml"));
    assert!(std::fs::read_to_string(&summary)
        .unwrap()
        .contains("| licensed |"));
    assert!(
        dir.path().join("chipcheck.sarif").exists() && dir.path().join("chipcheck.json").exists()
    );
}

#[test]
fn pre_commit_hook_blocks_a_licence_it_does_not_have() {
    if Command::new("git").arg("--version").ok().is_err() {
        return;
    }
    let dir = project(&LICENSED.replace(
        "[\"SA\"]\ndate",
        "[\"CN\"]\nspecs = [\"specs/**/*.toml\"]\ndate",
    ));
    std::fs::create_dir(dir.path().join("specs")).unwrap();
    std::fs::rename(
        dir.path().join("h100.toml"),
        dir.path().join("specs/h100.toml"),
    )
    .unwrap();
    // Not spec sheets: the hook must leave them alone.
    std::fs::write(dir.path().join("Cargo.toml"), "[package]\nname = \"x\"\n").unwrap();
    let git = |args: &[&str]| {
        Command::new("git")
            .current_dir(dir.path())
            .args(args)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@t")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@t")
            .assert()
            .success();
    };
    git(&["init", "-q"]);
    git(&["add", "specs/h100.toml", "Cargo.toml", "chipcheck.toml"]);
    let bin = assert_cmd::cargo::cargo_bin("chipcheck");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let hook = || {
        let mut cmd = Command::new("bash");
        cmd.arg(Path::new(ROOT).join("examples/ci/pre-commit"))
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("CHIPCHECK_TODAY", "2026-12-01");
        cmd
    };
    hook()
        .assert()
        .code(1)
        .stdout(predicate::str::contains("license_required"));
    // A spec renamed is checked (it had been left out, `--diff-filter=ACM`).
    git(&["commit", "-q", "--no-verify", "-m", "x"]);
    git(&["mv", "specs/h100.toml", "specs/h100-v2.toml"]);
    hook()
        .assert()
        .code(1)
        .stdout(predicate::str::contains("license_required"));
    // What is committed is what is staged: a working copy that differs
    // (here, harmless figures) is refused, not checked in its place.
    // So is an unstaged project file: its working copy (here, destinations
    // that need no licence) is not what the commit holds.
    for (file, from, to, said) in [
        (
            "specs/h100-v2.toml",
            "fp16 = 989.4",
            "fp16 = 1",
            "unstaged changes",
        ),
        (
            "chipcheck.toml",
            "to = [\"CN\"]",
            "to = [\"DE\"]",
            "chipcheck.toml",
        ),
    ] {
        let path = dir.path().join(file);
        let staged = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, staged.replace(from, to)).unwrap();
        hook()
            .assert()
            .code(1)
            .stderr(predicate::str::contains(said));
        std::fs::write(&path, staged).unwrap();
    }
}

#[test]
fn no_colour_off_a_terminal_or_with_no_color() {
    // Tests capture stdout (not a terminal): never an escape code.
    let out = chipcheck()
        .args([
            "classify",
            "examples/h100.toml",
            "--to",
            "CN",
            "--date",
            "2024-06-01",
        ])
        .assert()
        .get_output()
        .clone();
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\u{1b}'));
}

#[test]
fn audit_reports_point_at_catalogue_lines() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("audit.sarif");
    let junit = dir.path().join("audit.xml");
    let out = chipcheck()
        .args([
            "audit",
            "tests/fixtures/audit/catalogue.csv",
            "--to",
            "CN",
            "--date",
            "2024-06-01",
            "--format",
            "csv",
        ])
        .args([
            "--output",
            &format!("sarif={}", sarif.display()),
            "--output",
            &format!("junit={}", junit.display()),
            "--output",
            "github",
        ])
        .assert()
        // The fixture holds one unreadable row on purpose: exit 2, every result written.
        .code(2)
        .get_output()
        .clone();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("::error file=tests/fixtures/audit/catalogue.csv,line=2,"),
        "{text}"
    );
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(ROOT).join("tests/fixtures/sarif-2.1.0-required.json"))
            .unwrap(),
    )
    .unwrap();
    assert!(jsonschema::validator_for(&schema).unwrap().is_valid(&doc));
    let first = &doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(
        first["artifactLocation"]["uri"],
        "tests/fixtures/audit/catalogue.csv"
    );
    assert_eq!(first["region"]["startLine"], 2);
    assert!(std::fs::read_to_string(&junit)
        .unwrap()
        .contains("<testsuites"));
    // Standard input is spooled so every report can read it.
    chipcheck()
        .args([
            "audit",
            "-",
            "--to",
            "CN",
            "--date",
            "2024-06-01",
            "--output",
            "markdown",
        ])
        .write_stdin(
            std::fs::read(Path::new(ROOT).join("tests/fixtures/audit/catalogue.csv")).unwrap(),
        )
        .assert()
        // The fixture holds one unreadable row on purpose: exit 2, every result written.
        .code(2)
        .stdout(predicate::str::contains("| **license_required** |"));
}

#[test]
fn audit_applies_licences_on_file() {
    let dir = project(&LICENSED.replace("[\"SA\"]\nexpires", "[\"CN\"]\nexpires"));
    let catalogue =
        std::fs::read_to_string(Path::new(ROOT).join("tests/fixtures/audit/catalogue.csv"))
            .unwrap();
    let audit = |text: &str| {
        std::fs::write(dir.path().join("catalogue.csv"), text).unwrap();
        let out = chipcheck_in(dir.path())
            .args([
                "audit",
                "catalogue.csv",
                "--to",
                "CN",
                "--date",
                "2024-06-01",
            ])
            .args(["--format", "json"])
            .output()
            .unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    // The fixture's H100 row leaves fp16 empty: its TPP is only a floor,
    // which cannot show it is the licensed product.
    let v = audit(&catalogue);
    assert_eq!(v["results"][0]["verdict"], "license_required");
    assert!(
        v["results"][0]["reasons"]
            .to_string()
            .contains("only a floor"),
        "{}",
        v["results"][0]
    );
    // With every precision given, covered.
    let v = audit(&catalogue.replace("NVIDIA,,1978.9,", "NVIDIA,989.4,1978.9,"));
    let first = &v["results"][0];
    assert_eq!(first["chip"], "H100 SXM5 80GB");
    assert_eq!(first["verdict"], "licensed");
    assert_eq!(v["summary"]["verdicts"]["licensed"], 1);
    assert_eq!(v["summary"]["licenses"][0]["status"], "used");
}

#[test]
fn a_licence_is_read_as_narrowly_as_it_is_written() {
    // No `issued`: accepted, with a warning that its start is unknown.
    let dir = project(LICENSED);
    chipcheck_in(dir.path())
        .args(["classify", "h100.toml"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "licence D1234567 has no `issued` date",
        ));
    // A licence for China names China: Hong Kong is a near miss, reported
    // with its reason, and fails the gate.
    let dir = project(
        &LICENSED
            .replace("[\"SA\"]\ndate", "[\"HK\"]\ndate")
            .replace(
                "[\"SA\"]\nexpires",
                "[\"CN\"]\nissued = 2024-01-01\nexpires",
            ),
    );
    let out = chipcheck_in(dir.path())
        .args(["classify", "h100.toml", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["results"][0]["verdict"], "license_required");
    assert_eq!(v["licenses"][0]["status"], "unused");
    assert_eq!(v["licenses"][0]["near_miss_count"], 1);
    let why = v["licenses"][0]["near_misses"][0]["reason"]
        .as_str()
        .unwrap();
    assert!(why.contains("it names CN, not HK"), "{why}");
}

/// `timeline` and `diff` read the project file's defaults as `classify`
/// does: its end user's headquarters turned an H100 to DE into a licence
/// for classify, and the timeline and diff said nothing changed.
#[test]
fn timeline_and_diff_read_the_project_file_s_defaults() {
    let dir = project("[defaults]\nend_user_hq = \"CN\"\nto = [\"DE\"]\n");
    let out = chipcheck_in(dir.path())
        .args(["timeline", "H100", "--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["end_user_hq"], "CN", "{v:#}");
    assert_eq!(v["destination"], "DE", "{v:#}");
    let last = v["timeline"].as_array().and_then(|t| t.last()).cloned();
    assert_eq!(last.unwrap_or_default()["verdict"], "license_required");
    chipcheck_in(dir.path())
        .args(["diff", "--chip", "H100", "--from", "2022-01-01"])
        .assert()
        .stdout(predicate::str::contains("1 of 1 chips changed"));
}
