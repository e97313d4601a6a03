//! Where people run chipcheck: the composite action (its gate script run as
//! the action runs it), the pre-commit hook (its entry run on what pre-commit
//! hands over), the `specs` globs of chipcheck.toml, `classify -` and
//! `--fail-on none`.

mod common;

use common::{chipcheck, chipcheck_in, ROOT};
use std::path::Path;
use std::process::Command;

/// A project: chipcheck.toml, specs/h100.toml, and TOML files that are not
/// spec sheets (Cargo.toml, a rules file, a column map).
fn project(defaults: &str) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("ci-project-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("temp dir");
    let p = dir.path();
    // A repository root, so chipcheck.toml discovery stops here.
    std::fs::create_dir(p.join(".git")).unwrap();
    std::fs::write(p.join("chipcheck.toml"), format!("[defaults]\n{defaults}")).unwrap();
    std::fs::create_dir_all(p.join("specs/more")).unwrap();
    std::fs::copy(
        Path::new(ROOT).join("examples/h100.toml"),
        p.join("specs/h100.toml"),
    )
    .unwrap();
    std::fs::copy(
        Path::new(ROOT).join("examples/a800.toml"),
        p.join("specs/more/a800.toml"),
    )
    .unwrap();
    std::fs::write(p.join("Cargo.toml"), "[package]\nname = \"x\"\n").unwrap();
    std::fs::create_dir(p.join("rules")).unwrap();
    std::fs::copy(
        Path::new(ROOT).join("rules/us-2023-11.toml"),
        p.join("rules/us-2023-11.toml"),
    )
    .unwrap();
    std::fs::write(p.join("columns.toml"), "\"Product\" = \"name\"\n").unwrap();
    dir
}

const DEFAULTS: &str = "to = [\"CN\"]\ndate = \"2024-06-01\"\nspecs = [\"specs/**/*.toml\"]\n";

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn inputs(doc: &serde_json::Value) -> Vec<String> {
    doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["input"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn classify_without_files_classifies_the_specs_globs() {
    let dir = project(DEFAULTS);
    let out = chipcheck_in(dir.path())
        .args(["classify", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        inputs(&json(&out)),
        ["specs/h100.toml", "specs/more/a800.toml"]
    );
    // From a subdirectory, the globs are still the project file's.
    let out = chipcheck_in(&dir.path().join("specs/more"))
        .args(["classify", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(inputs(&json(&out)).len(), 2);
}

/// A date the project file pins is said on every run that takes it (a gate
/// pinned to 2023 had passed an H20 to CN in silence), and may be written
/// as a TOML date like every other date in the file.
#[test]
fn a_date_the_project_file_pins_is_said() {
    for date in ["\"2024-06-01\"", "2024-06-01"] {
        let dir = project(&format!("to = [\"CN\"]\ndate = {date}\n"));
        let out = chipcheck_in(dir.path())
            .args(["classify", "--chip", "H20", "--format", "json"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("warning: evaluating on 2024-06-01, the date")
                && stderr.contains("pins ([defaults] date), not today"),
            "{date}: {stderr}"
        );
        assert_eq!(json(&out)["results"][0]["date"], "2024-06-01");
        // --date answers for the day asked, with nothing to say.
        let out = chipcheck_in(dir.path())
            .args(["classify", "--chip", "H20", "--date", "2026-03-01"])
            .output()
            .unwrap();
        assert!(!String::from_utf8_lossy(&out.stderr).contains("warning: evaluating"));
    }
}

#[test]
fn globs_that_match_nothing_or_are_missing_are_usage_errors() {
    let dir = project("specs = [\"nothing/*.toml\"]\n");
    let out = chipcheck_in(dir.path()).arg("classify").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`nothing/*.toml` matches no file"));
    let out = chipcheck()
        .args(["classify", "--filter-specs", "Cargo.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`specs` globs"));
    // One glob misspelt beside one that matches: plain classify and the
    // pre-commit entry both refuse, where the hook had passed in silence.
    let dir = project("to = [\"CN\"]\nspecs = [\"specs/**/*.toml\", \"spec/**/*.toml\"]\n");
    for args in [
        &["classify"][..],
        &["classify", "--filter-specs", "Cargo.toml"],
    ] {
        let out = chipcheck_in(dir.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("`spec/**/*.toml` matches no file"),
            "{stderr}"
        );
    }
    let dir = project("specs = [\"[oops\"]\n");
    let out = chipcheck_in(dir.path()).arg("classify").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("defaults.specs"));
}

/// The pre-commit hook's entry, as .pre-commit-hooks.yaml declares it.
fn hook_entry() -> Vec<String> {
    let hooks = std::fs::read_to_string(Path::new(ROOT).join(".pre-commit-hooks.yaml")).unwrap();
    let entry = hooks
        .lines()
        .find_map(|l| l.trim().strip_prefix("entry: "))
        .expect("an entry");
    assert!(hooks.contains("language: rust"));
    assert!(hooks.contains("files: \\.toml$"));
    entry.split_whitespace().map(str::to_string).collect()
}

#[test]
fn the_pre_commit_hook_reads_only_spec_sheets() {
    let entry = hook_entry();
    assert_eq!(entry.first().map(String::as_str), Some("chipcheck"));
    let dir = project(DEFAULTS);
    // What pre-commit hands over: every staged TOML file.
    let staged = [
        "Cargo.toml",
        "chipcheck.toml",
        "rules/us-2023-11.toml",
        "columns.toml",
        "specs/h100.toml",
    ];
    let out = chipcheck_in(dir.path())
        .args(&entry[1..])
        .args(staged)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "H100 to CN needs a licence");
    assert_eq!(inputs(&json(&out)), ["specs/h100.toml"]);
    // No spec sheet staged: nothing to check, the commit goes ahead.
    let out = chipcheck_in(dir.path())
        .args(&entry[1..])
        .args(["Cargo.toml", "columns.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    // A path through `..` from a directory below is the same spec sheet: it
    // had been dropped unchecked, and the gate passed an H100 to CN.
    let out = chipcheck_in(&dir.path().join("specs/more"))
        .args(&entry[1..])
        .args([
            "../h100.toml",
            "./../../specs/h100.toml",
            "../../Cargo.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "H100 to CN needs a licence");
}

/// Runs action/gate.sh as action.yml runs it, with these inputs.
fn gate(dir: &Path, inputs: &[(&str, &str)]) -> (i32, String, String) {
    let action = std::fs::read_to_string(Path::new(ROOT).join("action.yml")).unwrap();
    assert!(action.contains("run: bash \"$GITHUB_ACTION_PATH/action/gate.sh\""));
    assert!(action.contains("cargo install --locked --path \"$GITHUB_ACTION_PATH\""));
    assert!(action.contains("uses: github/codeql-action/upload-sarif@"));
    for (name, _) in inputs {
        let input = name
            .strip_prefix("INPUT_")
            .unwrap()
            .to_lowercase()
            .replace('_', "-");
        assert!(
            action.contains(&format!("\n  {input}:\n")),
            "action.yml has input {input}"
        );
    }
    let outputs = dir.join("github-output");
    let mut cmd = Command::new("bash");
    cmd.arg(Path::new(ROOT).join("action/gate.sh"))
        .current_dir(dir)
        .env("CHIPCHECK", env!("CARGO_BIN_EXE_chipcheck"))
        .env("CHIPCHECK_TODAY", "2026-12-01")
        .env("NO_COLOR", "1")
        .env("GITHUB_STEP_SUMMARY", dir.join("summary.md"))
        .env("GITHUB_OUTPUT", &outputs);
    for (k, v) in inputs {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let status = out.status.code().unwrap_or(-1);
    let recorded = std::fs::read_to_string(&outputs).unwrap_or_default();
    assert!(
        recorded.contains(&format!("exit-code={status}")),
        "{recorded}"
    );
    (
        status,
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_action_gate_annotates_summarises_and_writes_sarif() {
    let dir = project(DEFAULTS);
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let (status, stdout, stderr) = gate(
        dir.path(),
        &[
            ("INPUT_SPECS", "specs/**/*.toml"),
            ("INPUT_DESTINATIONS", "CN,DE"),
            ("INPUT_DATE", "2024-06-01"),
            ("INPUT_FAIL_ON", "license_required"),
            ("INPUT_SARIF", "out/chipcheck.sarif"),
            ("INPUT_HTML", "chipcheck.html"),
        ],
    );
    assert_eq!(status, 1, "{stderr}");
    assert!(stdout.contains("::error file=specs/h100.toml"), "{stdout}");
    assert!(stdout.contains("file=specs/more/a800.toml"));
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert!(summary.starts_with("## chipcheck"), "{summary}");
    let sarif: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/chipcheck.sarif")).unwrap(),
    )
    .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(std::fs::read_to_string(dir.path().join("chipcheck.html"))
        .unwrap()
        .contains("<svg id=\"plane\""));
}

#[test]
fn the_action_gate_takes_the_project_files_specs_a_catalogue_and_fail_on_none() {
    let dir = project(DEFAULTS);
    // No specs input: chipcheck.toml's globs; `none` reports without failing.
    let (status, stdout, _) = gate(dir.path(), &[("INPUT_FAIL_ON", "none")]);
    assert_eq!(status, 0);
    assert!(stdout.contains("file=specs/h100.toml"), "{stdout}");
    // A catalogue instead of spec sheets.
    let catalogue = Path::new(ROOT).join("tests/fixtures/audit/clear.csv");
    let (status, stdout, stderr) = gate(
        dir.path(),
        &[
            ("INPUT_CATALOGUE", catalogue.to_str().unwrap()),
            ("INPUT_DESTINATIONS", "CN"),
        ],
    );
    assert_eq!(status, 0, "{stdout}{stderr}");
    assert!(dir.path().join("chipcheck.sarif").exists());
    // Globs that match nothing fail, and say so.
    let (status, stdout, _) = gate(dir.path(), &[("INPUT_SPECS", "nope/*.toml")]);
    assert_eq!(status, 2);
    assert!(stdout.starts_with("::error::"));
    // So does one misspelt beside one that matches: the H100 under `specs/`
    // had gone unread and the step passed.
    let (status, stdout, _) = gate(
        dir.path(),
        &[("INPUT_SPECS", "specs/more/*.toml spec/**/*.toml")],
    );
    assert_eq!(status, 2, "{stdout}");
    assert!(
        stdout.starts_with("::error::chipcheck: specs `spec/**/*.toml` match no file"),
        "{stdout}"
    );
}

#[test]
fn the_example_workflow_uses_the_action_with_its_inputs() {
    let workflow =
        std::fs::read_to_string(Path::new(ROOT).join("examples/ci/chipcheck.yml")).unwrap();
    let action = std::fs::read_to_string(Path::new(ROOT).join("action.yml")).unwrap();
    assert!(workflow.contains("uses: chipcheck/chipcheck@"));
    assert!(workflow.contains("security-events: write"));
    let with = workflow.split("with:").nth(1).unwrap();
    for line in with.lines().skip(1) {
        let Some((key, _)) = line.trim().split_once(':') else {
            continue;
        };
        if line.trim_start().starts_with('-') {
            break;
        }
        assert!(
            action.contains(&format!("\n  {key}:\n")),
            "`{key}` is an input of action.yml"
        );
    }
}

#[test]
fn classify_reads_one_spec_from_standard_input() {
    let spec = std::fs::read(Path::new(ROOT).join("examples/h100.toml")).unwrap();
    let out = chipcheck()
        .args(["classify", "-", "--to", "CN", "--date", "2024-06-01"])
        .args(["--format", "json"])
        .write_stdin(spec)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    assert_eq!(inputs(&doc), ["<stdin>"]);
    assert_eq!(doc["results"][0]["chip"], "H100 SXM5 80GB");
    // Recorded with its hash, like a file.
    assert!(doc["provenance"]["inputs"][0]["sha256"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
    // `--fail-on none`: the same report, and the run does not fail.
    let spec = std::fs::read(Path::new(ROOT).join("examples/h100.toml")).unwrap();
    chipcheck()
        .args(["classify", "-", "--to", "CN", "--date", "2024-06-01"])
        .args(["--fail-on", "none"])
        .write_stdin(spec)
        .assert()
        .code(0)
        .stdout(predicates::str::contains("license_required"));
    // But an unreadable spec still fails.
    chipcheck()
        .args(["classify", "-", "--fail-on", "none"])
        .write_stdin("name = ")
        .assert()
        .code(2);
}
