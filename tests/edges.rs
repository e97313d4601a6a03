//! Inputs at the edges of the command line (issue 9): alpha-3 countries,
//! rule directories that fail their checks, project-file discovery, control
//! characters in user text, and explanations exact at the boundary.

mod common;

use common::chipcheck;
use predicates::prelude::*;

#[test]
fn alpha3_country_codes_are_destinations() {
    chipcheck()
        .args([
            "classify",
            "--chip",
            "H100",
            "--to",
            "CHN,are,SAU",
            "--date",
            "2024-01-15",
        ])
        .args(["--format", "json"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"destination\": \"CN\""))
        .stdout(predicate::str::contains("\"destination\": \"AE\""))
        .stdout(predicate::str::contains("\"destination\": \"SA\""));
}
