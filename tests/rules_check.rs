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

/// Issue 11: a review policy or a date with no source is reported, never
/// taken as a sourced fact. The H20 letter's policy (no source states it)
/// asserted as presumption of denial, a policy with no `evidence`, and a
/// country-group change dated on a date no source gives each warn.
#[test]
fn a_policy_or_date_with_no_source_warns() {
    let letter = std::fs::read_to_string(format!("{}/rules/nvidia-2025-04-09.toml", common::ROOT))
        .expect("letter")
        .replace("policy = \"unknown\"", "policy = \"presumption_of_denial\"");
    let groups = std::fs::read_to_string(format!("{}/rules/country-groups.toml", common::ROOT))
        .expect("groups")
        .replace(
            "last_known_before = 2022-09-30\nfirst_known_after = 2026-07-08\ngroup = \"D:5\"\nremove = [\"CY\"]\nevidence = \"secondary\"",
            "effective = 2026-07-23\ngroup = \"D:5\"\nremove = [\"CY\"]\nevidence = \"none\"",
        )
        .replace("add = [\"NI\"]\nevidence = \"primary\"\n", "add = [\"NI\"]\n");
    let amd = std::fs::read_to_string(format!("{}/rules/amd-2025-04.toml", common::ROOT))
        .expect("amd")
        .replace("policy = \"unknown\"", "policy = \"case_by_case\"")
        .replace("evidence = \"none\"\n", "");
    let dir = common::rule_dir(&[
        ("nvidia-2025-04-09.toml", &letter),
        ("country-groups.toml", &groups),
        ("amd-2025-04.toml", &amd),
    ]);
    chipcheck()
        .args(["rules", "check", &arg(&dir)])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains(
                "review policy presumption_of_denial of nvidia-2025-04-09 (tpp < 4800) has no source",
            )
            .and(predicate::str::contains(
                "review policy case_by_case of amd-2025-04 (everywhere else) does not say how it is sourced",
            ))
            .and(predicate::str::contains(
                "the change `CY leaves D:5` is dated 2026-07-23, a date no source gives",
            ))
            .and(predicate::str::contains(
                "the change `NI joins D:1` (2024-03-15) does not say how its date is sourced",
            )),
        );
}
