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
