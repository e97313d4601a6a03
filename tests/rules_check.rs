//! `rules check` on the embedded rules and on broken rule directories.

mod common;

use common::{arg, chipcheck, rule_dir_with};
use predicates::prelude::*;

#[test]
fn embedded_rules_pass() {
    chipcheck()
        .args(["rules", "check"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 errors"));
    chipcheck()
        .args(["rules", "check", "rules"])
        .assert()
        .code(0);
}

#[test]
fn overlapping_regulations_are_an_error() {
    chipcheck()
        .args(["rules", "check", &arg(&rule_dir_with("rules-overlap"))])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("none supersedes the others"));
}

#[test]
fn a_paragraph_no_chip_can_meet_is_an_error() {
    chipcheck()
        .args([
            "rules",
            "check",
            &arg(&rule_dir_with("rules-unmeetable")),
            "--format",
            "json",
        ])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("can never be met"));
}

#[test]
fn a_malformed_rule_file_names_file_line_and_key() {
    chipcheck()
        .args(["rules", "check", &arg(&rule_dir_with("rules-broken"))])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("us-broken.toml:14:8")
                .and(predicate::str::contains("paragraph.all")),
        );
}

/// A rule set that fails `rules check` must not answer: with two overlapping
/// regulations the H100 to China once came out `no_license_required`, exit 0.
#[test]
fn a_run_refuses_rules_that_fail_the_check() {
    let dir = rule_dir_with("rules-overlap");
    for command in [
        vec![
            "classify",
            "--chip",
            "H100 SXM5 80GB",
            "--to",
            "CN",
            "--date",
            "2024-06-01",
        ],
        vec!["chips"],
        vec!["timeline", "H100 SXM5 80GB", "--to", "CN"],
    ] {
        chipcheck()
            .args(["--rules", &arg(&dir)])
            .args(&command)
            .assert()
            .code(2)
            .stdout("")
            .stderr(
                predicate::str::contains("fail `chipcheck rules check`")
                    .and(predicate::str::contains("none supersedes the others")),
            );
    }
    // `rules check` itself still lists the problems.
    chipcheck()
        .args(["--rules", &arg(&dir), "rules", "check"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("none supersedes the others"));
}
