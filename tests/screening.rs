//! Screening against a test list in the CSL layout (tests/data/csl-test.csv):
//! every variant of a listed name is flagged, no decoy is a `match`, and the
//! recall and false-alert rate the README reports are computed here.

mod common;

use chipcheck::screening::{PartyList, Screener, Settings, Status};
use jiff::civil::Date;

const LIST: &str = "tests/data/csl-test.csv";
const CASES: &str = "tests/data/screening-cases.csv";

fn date(s: &str) -> Date {
    s.parse().expect("date")
}

fn screener(list_date: Option<&str>) -> Screener {
    let bytes = std::fs::read(std::path::Path::new(common::ROOT).join(LIST)).expect("list");
    let list = PartyList::parse(LIST, &bytes, list_date.map(date)).expect("list parses");
    Screener::new(
        vec![list],
        Vec::new(),
        Settings {
            date: date("2026-12-01"),
            max_age_days: 30,
        },
    )
}

struct Case {
    query: String,
    expect: String,
    kind: String,
    entry: String,
}

fn cases() -> Vec<Case> {
    let mut reader =
        csv::Reader::from_path(std::path::Path::new(common::ROOT).join(CASES)).expect("cases");
    reader
        .records()
        .map(|r| {
            let r = r.expect("case row");
            Case {
                query: r[0].to_string(),
                expect: r[1].to_string(),
                kind: r[2].to_string(),
                entry: r[3].to_string(),
            }
        })
        .collect()
}

#[test]
fn every_variant_is_flagged_and_no_decoy_is_a_match() {
    let mut s = screener(Some("2026-11-30"));
    let (mut positives, mut flagged, mut decoys, mut alerts) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for c in cases() {
        let r = s.screen(&c.query, None);
        let hit = r.live().any(|m| m.entry_id == c.entry);
        match c.expect.as_str() {
            "decoy" => {
                decoys += 1;
                if r.status != Status::NoMatch {
                    alerts += 1;
                    println!(
                        "alert on decoy `{}` ({}): {} {:?}",
                        c.query,
                        c.kind,
                        r.status.name(),
                        r.matches.first().map(|m| &m.why)
                    );
                }
                if r.status == Status::Match {
                    failures.push(format!(
                        "decoy `{}` ({}) is a match: {:?}",
                        c.query,
                        c.kind,
                        r.matches.first().map(|m| &m.why)
                    ));
                }
            }
            expect => {
                positives += 1;
                let want = if expect == "match" {
                    Status::Match
                } else {
                    Status::PossibleMatch
                };
                let ok = hit && r.status <= want;
                if ok {
                    flagged += 1;
                } else {
                    failures.push(format!(
                        "`{}` ({}): {} {:?}",
                        c.query,
                        c.kind,
                        r.status.name(),
                        r.matches
                            .iter()
                            .map(|m| (&m.entry_id, m.score, &m.why))
                            .collect::<Vec<_>>()
                    ));
                }
            }
        }
    }
    println!(
        "recall {flagged}/{positives}; false alerts {alerts}/{decoys} (matches among decoys: 0)"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn screen(args: &[&str]) -> (i32, String) {
    let out = common::chipcheck()
        .arg("screen")
        .args(args)
        .args(["--party-list", LIST])
        .output()
        .expect("run");
    (out.status.code().unwrap_or(-1), common::stable(&out.stdout))
}

#[test]
fn screen_table() {
    let (code, text) = screen(&[
        "Biren Tech Development Co",
        "Nordic Circuits Trading FZE",
        "Acme Widgets GmbH",
        "--party-list-date",
        "2026-11-30",
        "--country",
        "DE",
    ]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("screen_table", text);
}

#[test]
fn screen_json() {
    let (code, text) = screen(&[
        "Zhukovsky Avionics Plant",
        "--party-list-date",
        "2026-11-30",
        "--format",
        "json",
    ]);
    assert_eq!(code, 3);
    insta::assert_snapshot!("screen_json", text);
}

#[test]
fn exit_statuses_follow_the_status() {
    let dated = ["--party-list-date", "2026-11-30"];
    assert_eq!(screen(&[&["Acme Widgets GmbH"][..], &dated].concat()).0, 0);
    assert_eq!(
        screen(&[&["Huawei Technologies Co Ltd"][..], &dated].concat()).0,
        1
    );
    assert_eq!(
        screen(&[&["Huawai Technologies"][..], &dated].concat()).0,
        3
    );
    // A list with no date given is as old as its newest start_date: too old
    // to clear anyone.
    let (code, text) = screen(&["Acme Widgets GmbH"]);
    assert_eq!(code, 3);
    assert!(text.contains("cannot clear a party"), "{text}");
    let out = common::chipcheck()
        .args(["screen", "Acme"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_decision_on_file_dismisses_a_possible_match_until_the_entry_changes() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("dir");
    let list = std::path::Path::new(common::ROOT).join(LIST);
    let config = |fingerprint: &str| {
        format!(
            "[defaults]\nparty_lists = [{list:?}]\n\n[[screening_decision]]\nquery = \"Inspurr Group\"\nentry = \"t-el-inspur\"\nentry_fingerprint = \"{fingerprint}\"\ndecision = \"not_the_same_party\"\nby = \"A. Officer\"\non = 2026-11-01\nwhy = \"Inspurr Group is a Norwegian bakery, registered 1987\"\nexpires = 2027-11-01\n"
        )
    };
    let run = |text: String| {
        std::fs::write(dir.path().join("chipcheck.toml"), text).expect("write");
        let out = common::chipcheck_in(dir.path())
            .args([
                "screen",
                "Inspurr Group",
                "--party-list-date",
                "2026-11-30",
                "--format",
                "json",
            ])
            .output()
            .expect("run");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (_, first) = run(config("0000"));
    let doc: serde_json::Value = serde_json::from_str(&first).expect("json");
    let fingerprint = doc["results"][0]["matches"][0]["entry_fingerprint"]
        .as_str()
        .expect("fingerprint")
        .to_string();
    assert!(first.contains("the entry has changed since"), "{first}");
    let (code, text) = run(config(&fingerprint));
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("Norwegian bakery"), "{text}");
}
