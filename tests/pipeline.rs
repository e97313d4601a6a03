//! One pipeline: every report of a run from one read of the input, written
//! atomically, never over an input, agreeing with each other and with the
//! exit status.

mod common;

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// chipcheck with no project file, run in `dir` (see `common::chipcheck_in`).
fn chipcheck_in(dir: &Path) -> Command {
    let mut cmd = common::chipcheck_in(dir);
    cmd.arg("--no-config");
    cmd
}

fn catalogue_text() -> String {
    std::fs::read_to_string(manifest().join("tests/fixtures/audit/catalogue.csv")).unwrap()
}

/// A scratch directory holding a copy of the test catalogue and a spec.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cat.csv"), catalogue_text()).unwrap();
    std::fs::copy(
        manifest().join("examples/h100.toml"),
        dir.path().join("s.toml"),
    )
    .unwrap();
    dir
}

const AUDIT: [&str; 6] = ["audit", "cat.csv", "--to", "CN", "--date", "2024-06-01"];

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Nor over the other files a run reads: the project file and the party
/// lists (an `--output` over either replaced its records with the report).
#[test]
fn an_output_over_the_project_file_or_a_party_list_is_refused() {
    let dir = scratch();
    let list = std::fs::read(manifest().join("tests/data/csl-test.csv")).unwrap();
    std::fs::write(dir.path().join("list.csv"), &list).unwrap();
    let config = "[defaults]\nto = [\"CN\"]\n";
    std::fs::write(dir.path().join("chipcheck.toml"), config).unwrap();
    for (command, over) in [
        (&["audit", "cat.csv"][..], "csv=list.csv"),
        (&["audit", "cat.csv"][..], "csv=chipcheck.toml"),
        (&["classify", "s.toml"][..], "json=list.csv"),
        (&["classify", "s.toml"][..], "json=chipcheck.toml"),
    ] {
        // The project file is read (no `--no-config`), so it is an input.
        let out = common::chipcheck_in(dir.path())
            .args(command)
            .args(["--date", "2024-06-01", "--party-list", "list.csv"])
            .args(["--party-list-date", "2024-05-20", "--output", over])
            .assert()
            .code(2)
            .get_output()
            .clone();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("never writes over an input"),
            "{command:?} {over}: {stderr}"
        );
        assert_eq!(std::fs::read(dir.path().join("list.csv")).unwrap(), list);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("chipcheck.toml")).unwrap(),
            config
        );
    }
}

/// Nor under a project file's name when this run reads none (the next run
/// would take the report for its project file), nor into the rules
/// directory this run reads (a rule file was replaced with a report).
#[test]
fn an_output_under_the_project_file_name_or_into_the_rules_is_refused() {
    let dir = scratch();
    let config = "[defaults]\nto = [\"CN\"]\n";
    std::fs::write(dir.path().join("chipcheck.toml"), config).unwrap();
    let rules = dir.path().join("rr");
    std::fs::create_dir(&rules).unwrap();
    for entry in std::fs::read_dir(manifest().join("rules")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, rules.join(path.file_name().unwrap())).unwrap();
    }
    let rule = std::fs::read(rules.join("us-2024-04.toml")).unwrap();
    for (over, words) in [
        ("json=chipcheck.toml", "project file's name"),
        ("json=rr/us-2024-04.toml", "rules directory"),
        ("json=./rr/new.json", "rules directory"),
    ] {
        let out = chipcheck_in(dir.path())
            .args(["--rules", "rr", "classify", "s.toml", "--to", "CN"])
            .args(["--date", "2024-06-01", "--output", over])
            .assert()
            .code(2)
            .get_output()
            .clone();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(words), "{over}: {stderr}");
    }
    assert_eq!(std::fs::read(rules.join("us-2024-04.toml")).unwrap(), rule);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("chipcheck.toml")).unwrap(),
        config
    );
    // Beside them, a report is written as ever.
    chipcheck_in(dir.path())
        .args(["--rules", "rr", "classify", "s.toml", "--to", "CN"])
        .args(["--date", "2024-06-01", "--output", "json=report.json"])
        .assert()
        .code(1);
}

#[test]
fn an_output_over_the_catalogue_is_refused_and_the_catalogue_kept() {
    let dir = scratch();
    for spelling in ["cat.csv", "./cat.csv"] {
        let out = chipcheck_in(dir.path())
            .args(AUDIT)
            .args(["--output", &format!("csv={spelling}")])
            .assert()
            .code(2)
            .get_output()
            .clone();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("never writes over an input"), "{stderr}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("cat.csv")).unwrap(),
            catalogue_text()
        );
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path().join("cat.csv"), dir.path().join("link.csv"))
            .unwrap();
        chipcheck_in(dir.path())
            .args(AUDIT)
            .args(["--output", "csv=link.csv"])
            .assert()
            .code(2);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("cat.csv")).unwrap(),
            catalogue_text()
        );
    }
}

#[test]
fn an_output_over_a_spec_is_refused() {
    let dir = scratch();
    let before = std::fs::read(dir.path().join("s.toml")).unwrap();
    chipcheck_in(dir.path())
        .args([
            "classify",
            "s.toml",
            "--to",
            "CN",
            "--output",
            "json=s.toml",
        ])
        .assert()
        .code(2);
    assert_eq!(std::fs::read(dir.path().join("s.toml")).unwrap(), before);
}

/// Standard input redirected from a file is that file: a report is never
/// written over it (`audit - < cat.csv --output csv=cat.csv`).
#[cfg(unix)]
#[test]
fn an_output_over_the_file_standard_input_reads_is_refused() {
    let dir = scratch();
    for (args, input) in [
        (
            &["audit", "-", "--to", "CN", "--output", "csv=cat.csv"][..],
            "cat.csv",
        ),
        (
            &["classify", "-", "--to", "CN", "--output", "json=s.toml"][..],
            "s.toml",
        ),
    ] {
        let before = std::fs::read(dir.path().join(input)).unwrap();
        let stdin = std::fs::File::open(dir.path().join(input)).unwrap();
        let out = common::process_in(dir.path())
            .args(args)
            .args(["--date", "2024-06-01", "--fail-on", "none"])
            .stdin(stdin)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("standard input is read from that file"),
            "{stderr}"
        );
        assert_eq!(std::fs::read(dir.path().join(input)).unwrap(), before);
    }
    // From a pipe, the same report is written.
    let text = catalogue_text();
    chipcheck_in(dir.path())
        .args(["audit", "-", "--to", "CN", "--date", "2024-06-01"])
        .args(["--fail-on", "none", "--output", "csv=report.csv"])
        .write_stdin(text)
        .assert()
        .stderr(predicates::prelude::PredicateBooleanExt::not(
            predicates::str::contains("standard input"),
        ));
    assert!(dir.path().join("report.csv").exists());
}

#[test]
fn two_outputs_to_one_file_are_refused_before_anything_is_written() {
    let dir = scratch();
    let out = chipcheck_in(dir.path())
        .args(AUDIT)
        .args(["--output", "csv=r.csv", "--output", "json=./r.csv"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains("already an output"));
    assert!(!dir.path().join("r.csv").exists());
}

#[test]
fn a_bad_destination_leaves_an_earlier_report_as_it_was() {
    let dir = scratch();
    std::fs::write(dir.path().join("r.csv"), "earlier report\n").unwrap();
    chipcheck_in(dir.path())
        .args([
            "audit",
            "cat.csv",
            "--to",
            "Atlantis",
            "--date",
            "2024-06-01",
        ])
        .args(["--output", "csv=r.csv"])
        .assert()
        .code(2);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("r.csv")).unwrap(),
        "earlier report\n"
    );
    assert_eq!(names_in(dir.path()), ["cat.csv", "r.csv", "s.toml"]);
}

#[test]
fn json_on_standard_output_and_in_a_file_are_the_same_document() {
    let dir = scratch();
    let stdout = chipcheck_in(dir.path())
        .args(["classify", "s.toml", "--chip", "A40", "--to", "CN,DE"])
        .args([
            "--date",
            "2024-06-01",
            "--format",
            "json",
            "--output",
            "json=r.json",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let file = std::fs::read(dir.path().join("r.json")).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&stdout),
        String::from_utf8_lossy(&file)
    );
    let doc: Value = serde_json::from_slice(&file).unwrap();
    assert_eq!(doc["provenance"]["inputs"][0]["path"], "s.toml");
    assert!(doc["provenance"]["inputs"][0]["sha256"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
    assert_eq!(doc["provenance"]["dates_evaluated"][0], "2024-06-01");

    let stdout = chipcheck_in(dir.path())
        .args(AUDIT)
        .args(["--format", "json", "--output", "json=a.json"])
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    let file = std::fs::read(dir.path().join("a.json")).unwrap();
    assert_eq!(stdout, file);
    let doc: Value = serde_json::from_slice(&file).unwrap();
    let input = &doc["provenance"]["inputs"][0];
    assert_eq!(input["path"], "cat.csv");
    assert_eq!(
        input["sha256"],
        chipcheck::input::sha256(catalogue_text().as_bytes())
    );
}

/// Every report of one audit, read back: result counts must agree.
fn check_reports_agree(dir: &Path) {
    let csv = std::fs::read_to_string(dir.join("r.csv")).unwrap();
    let jsonl = std::fs::read_to_string(dir.join("r.jsonl")).unwrap();
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("r.sarif")).unwrap()).unwrap();
    let results = jsonl.lines().count() - 1;
    assert_eq!(results, 9);
    assert_eq!(csv.lines().count() - 1, results);
    assert_eq!(
        sarif["runs"][0]["results"].as_array().unwrap().len(),
        results
    );
    let junit = std::fs::read_to_string(dir.join("r.xml")).unwrap();
    assert_eq!(junit.matches("<testcase ").count(), results);
}

#[cfg(unix)]
#[test]
fn a_fifo_is_read_once_into_every_report() {
    let dir = scratch();
    let fifo = dir.path().join("cat.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, catalogue_text()).unwrap())
    };
    chipcheck_in(dir.path())
        .args(["audit", "cat.fifo", "--to", "CN", "--date", "2024-06-01"])
        .args(["--output", "csv=r.csv", "--output", "jsonl=r.jsonl"])
        .args(["--output", "sarif=r.sarif", "--output", "junit=r.xml"])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(2);
    writer.join().unwrap();
    check_reports_agree(dir.path());
}

/// Spec sheets classified on several threads, one of them a FIFO: it is
/// read on the writing thread, in its place, and the output is the one a
/// regular file in its place gives.
#[cfg(unix)]
#[test]
fn a_fifo_among_many_spec_sheets_is_read_in_its_place() {
    let examples = [
        "a800.toml",
        "h100.toml",
        "unknown-die.toml",
        "dgx-h100.toml",
    ];
    let names: Vec<String> = (0..12).map(|i| format!("s{i:02}.toml")).collect();
    let text = |i: usize| {
        std::fs::read_to_string(
            manifest()
                .join("examples")
                .join(examples[i % examples.len()]),
        )
        .unwrap()
    };
    let (with_fifo, with_file) = (scratch(), scratch());
    for (i, name) in names.iter().enumerate() {
        if i != 5 {
            std::fs::write(with_fifo.path().join(name), text(i)).unwrap();
        }
        std::fs::write(with_file.path().join(name), text(i)).unwrap();
    }
    let fifo = with_fifo.path().join(&names[5]);
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let writer = {
        let (fifo, spec) = (fifo.clone(), text(5));
        std::thread::spawn(move || std::fs::write(fifo, spec).unwrap())
    };
    let run = |dir: &Path| {
        chipcheck_in(dir)
            .arg("classify")
            .args(&names)
            .args(["--to", "CN,SA", "--date", "2024-06-01", "--format", "jsonl"])
            .args(["--threads", "2", "--fail-on", "none"])
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap()
    };
    let (from_fifo, from_file) = (run(with_fifo.path()), run(with_file.path()));
    if !writer.is_finished() {
        // Never read: read it here, so that the writer ends and the test fails.
        std::fs::read(&fifo).unwrap();
    }
    writer.join().unwrap();
    assert!(from_file.status.success(), "{from_file:?}");
    assert_eq!(from_fifo.status.code(), from_file.status.code());
    assert_eq!(
        String::from_utf8_lossy(&from_fifo.stdout),
        String::from_utf8_lossy(&from_file.stdout)
    );
    // 12 sheets to 2 destinations, then the provenance line.
    assert_eq!(from_file.stdout.iter().filter(|b| **b == b'\n').count(), 25);
}

/// A FIFO nobody writes to, among many spec sheets on two threads, and a
/// standard output that cannot be written (`/dev/full`): the run stops when
/// it first writes, before the FIFO's place. Were the FIFO read on a thread
/// the run joins, that thread would wait for a writer, and the run forever.
///
/// What makes it a test: output goes out in 64 KiB pieces (about 13 sheets
/// here), so the write that fails comes in the first part of 32 sheets
/// (64 results a part, two destinations); the FIFO, at 40, is in the
/// second part, which the other thread takes at once. It needs two cores:
/// on one, the run is classified on one thread and nothing is tested.
#[cfg(target_os = "linux")]
#[test]
fn a_run_that_stops_early_does_not_wait_on_a_fifo_nobody_writes_to() {
    if std::thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
        eprintln!("one core: chipcheck would classify on one thread; not tested");
        return;
    }
    let dir = scratch();
    let spec = std::fs::read_to_string(manifest().join("examples/h100.toml")).unwrap();
    let names: Vec<String> = (0..80).map(|i| format!("s{i:02}.toml")).collect();
    for (i, name) in names.iter().enumerate() {
        if i != 40 {
            std::fs::write(dir.path().join(name), &spec).unwrap();
        }
    }
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join(&names[40]))
        .status()
        .unwrap();
    assert!(made.success());
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let mut child = common::process_in(dir.path())
        .arg("--no-config")
        .arg("classify")
        .args(&names)
        .args(["--to", "CN,SA", "--date", "2024-06-01", "--format", "jsonl"])
        .args(["--threads", "2", "--fail-on", "none"])
        .stdout(full)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("still running after 60 s: waiting on the FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
}

#[test]
fn standard_input_is_read_once_into_every_report() {
    let dir = scratch();
    chipcheck_in(dir.path())
        .args(["audit", "-", "--to", "CN", "--date", "2024-06-01"])
        .args(["--output", "csv=r.csv", "--output", "jsonl=r.jsonl"])
        .args(["--output", "sarif=r.sarif", "--output", "junit=r.xml"])
        .write_stdin(catalogue_text())
        .assert()
        .code(2);
    check_reports_agree(dir.path());
    let sarif = std::fs::read_to_string(dir.path().join("r.sarif")).unwrap();
    assert!(sarif.contains("<stdin>"));
}

#[test]
fn a_bad_spec_among_good_ones_gets_an_error_result_and_every_report() {
    let dir = scratch();
    std::fs::write(
        dir.path().join("bad.toml"),
        "name = \"Bad\"\n[compute]\nfp16 = -5\n",
    )
    .unwrap();
    let out = chipcheck_in(dir.path())
        .args([
            "classify",
            "s.toml",
            "bad.toml",
            "missing.toml",
            "--chip",
            "A40",
        ])
        .args(["--to", "CN", "--date", "2024-06-01"])
        .args(["--output", "json=r.json", "--output", "sarif=r.sarif"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad.toml") && stderr.contains("missing.toml"),
        "{stderr}"
    );
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("r.json")).unwrap()).unwrap();
    let results = doc["results"].as_array().unwrap();
    let verdicts: Vec<&str> = results
        .iter()
        .map(|r| r["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(
        verdicts,
        ["license_required", "error", "error", "license_exception"]
    );
    assert_eq!(results[1]["input"], "bad.toml");
    assert!(results[1]["reasons"][0]
        .as_str()
        .unwrap()
        .contains("negative"));
    assert!(dir.path().join("r.sarif").exists());
}

#[test]
fn junit_and_annotations_follow_fail_on() {
    let dir = scratch();
    let run = |fail_on: &[&str], code: i32| {
        chipcheck_in(dir.path())
            .args(["classify", "s.toml", "--chip", "A40", "--to", "CN,DE"])
            .args(["--date", "2024-06-01"])
            .args(fail_on)
            .args(["--output", "junit=r.xml", "--output", "github=r.gh"])
            .assert()
            .code(code);
        (
            std::fs::read_to_string(dir.path().join("r.xml")).unwrap(),
            std::fs::read_to_string(dir.path().join("r.gh")).unwrap(),
        )
    };
    // Only indeterminate fails: the gate passes, and so does every test case.
    let (junit, github) = run(&["--fail-on", "indeterminate"], 0);
    assert!(junit.contains("failures=\"0\" errors=\"0\""), "{junit}");
    assert!(!github.contains("::error"), "{github}");
    assert_eq!(github.matches("::warning").count(), 2, "{github}");
    // By default a licence exception fails the gate: an error, not a warning.
    let (junit, github) = run(&[], 1);
    assert!(junit.contains("failures=\"2\""), "{junit}");
    assert_eq!(github.matches("::error").count(), 2, "{github}");
    assert!(!github.contains("::warning"), "{github}");
}

#[test]
fn annotations_stop_at_githubs_limit_and_say_where_the_rest_are() {
    let dir = scratch();
    let mut text = String::from("name,fp8,area_mm2\n");
    for i in 0..40 {
        text.push_str(&format!("Big {i},2000,800\n"));
    }
    std::fs::write(dir.path().join("big.csv"), text).unwrap();
    chipcheck_in(dir.path())
        .args(["audit", "big.csv", "--to", "CN", "--date", "2024-06-01"])
        .args(["--output", "github=r.gh", "--output", "csv=all.csv"])
        .args(["--output", "markdown=r.md"])
        .assert()
        .code(1);
    let github = std::fs::read_to_string(dir.path().join("r.gh")).unwrap();
    assert_eq!(github.matches("::error").count(), 10);
    let last = github.lines().last().unwrap();
    assert!(
        last.starts_with("::notice") && last.contains("30 more") && last.contains("all.csv"),
        "{last}"
    );
    assert!(github.contains("line=2,") && !github.contains("line=12,"));
}

/// Runs chipcheck in `dir` with `args`, reads the first line of its
/// standard output and then closes it (`| head -1`): that line, and its
/// exit status (its standard error is printed, for a test that fails).
#[cfg(unix)]
fn first_line_then_closed(dir: &std::path::Path, args: &[String]) -> (String, Option<i32>) {
    use std::io::BufRead;
    use std::process::Stdio;
    let mut child = common::process_in(dir)
        .arg("--no-config")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here: the pipe is closed.
    let out = child.wait_with_output().unwrap();
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    (first, out.status.code())
}

/// Standard output closed after the first line (`| head -1`): the audit
/// did not write all its results, so it has not passed.
#[cfg(unix)]
#[test]
fn a_closed_pipe_fails_the_audit() {
    let dir = scratch();
    let mut text = String::from("name,fp16,area_mm2\n");
    for i in 0..20_000 {
        text.push_str(&format!("Small {i},1,100\n"));
    }
    std::fs::write(dir.path().join("clear.csv"), text).unwrap();
    let args = ["audit", "clear.csv", "--to", "DE", "--date", "2024-06-01"].map(String::from);
    let (first, code) = first_line_then_closed(dir.path(), &args);
    assert!(first.starts_with("LINE"), "{first}");
    assert_eq!(code, Some(2));
}

/// The same for `classify` over many spec sheets: it exited 0 although most
/// of its results went nowhere.
#[cfg(unix)]
#[test]
fn a_closed_pipe_fails_classify() {
    let dir = scratch();
    let mut args: Vec<String> = vec!["classify".into()];
    for i in 0..30 {
        let name = format!("s{i}.toml");
        let spec = format!("name = \"Small {i}\"\n[compute]\nfp16 = 1\n");
        std::fs::write(dir.path().join(&name), spec).unwrap();
        args.push(name);
    }
    args.extend(["--to", "all", "--date", "2024-06-01", "--format", "json"].map(String::from));
    let (first, code) = first_line_then_closed(dir.path(), &args);
    assert!(first.starts_with('{'), "{first}");
    assert_eq!(code, Some(2));
}

/// SIGTERM in the middle of an audit: no partial report at the target, no
/// temporary file left beside it, and the earlier report untouched.
#[cfg(unix)]
#[test]
fn an_interrupted_audit_leaves_no_partial_report() {
    use std::io::Write;
    use std::process::{Command as Process, Stdio};
    let dir = scratch();
    std::fs::write(dir.path().join("r.csv"), "earlier report\n").unwrap();
    let mut child = common::process_in(dir.path())
        .args([
            "--no-config",
            "audit",
            "-",
            "--to",
            "CN",
            "--date",
            "2024-06-01",
        ])
        .args(["--output", "csv=r.csv", "--output", "sarif=r.sarif"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(catalogue_text().as_bytes()).unwrap();
    stdin.flush().unwrap();
    // Wait until the reports are being written (their temporary files exist).
    for _ in 0..200 {
        if names_in(dir.path()).iter().any(|n| n.ends_with(".tmp")) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    assert!(names_in(dir.path()).iter().any(|n| n.ends_with(".tmp")));
    let killed = Process::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    drop(stdin);
    assert!(!status.success());
    assert_eq!(names_in(dir.path()), ["cat.csv", "r.csv", "s.toml"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("r.csv")).unwrap(),
        "earlier report\n"
    );
}

#[test]
fn a_dash_after_the_format_is_standard_output() {
    let dir = scratch();
    let out = chipcheck_in(dir.path())
        .args(AUDIT)
        .args(["--output", "jsonl=-"])
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 10);
    assert!(text.starts_with("{\"line\":2,"));
    assert!(!dir.path().join("-").exists());
}
