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

/// A digit written for a letter is at most a possible match of the name it
/// spells, and a name in another script than the lists' Latin letters is
/// not cleared: both were `no_match` (a third review), and a Denied
/// Persons party then cleared once its ownership check was on file.
#[test]
fn digits_for_letters_and_other_scripts_clear_no_one() {
    let dated = ["--party-list-date", "2026-11-30", "--format", "json"];
    let status = |name: &str| {
        let (code, text) = screen(&[&[name][..], &dated].concat());
        let v: serde_json::Value = serde_json::from_str(&text).expect("json");
        let first = &v["results"][0];
        (
            code,
            first["status"].as_str().unwrap_or_default().to_string(),
            text,
        )
    };
    for name in [
        "N0rdic Circuits Trading FZE",
        "Nordic Circu1ts Trading FZE",
        "Huawe1 Technologies Co Ltd",
        "Sug0n",
        "Nord!c Circuits Trading FZE",
        "N@rdic Circuits Trading FZE",
        "Nord|c Circuits Trading FZE",
        "N\u{FF10}rdic Circuits Trading FZE",
        "Kronsht@dt JSC",
        "Su9on",
        "Nord c Circuits Trading FZE",
    ] {
        let (code, s, text) = status(name);
        assert_eq!((code, s.as_str()), (3, "possible_match"), "{name}: {text}");
        assert!(text.contains("stand for letters"), "{text}");
    }
    for name in [
        "华为技术有限公司",
        "Хуавэй Текнолоджиз",
        "飞腾",
        "TBC",
        "[TBD]",
        "#N/A",
    ] {
        let (code, s, text) = status(name);
        assert_eq!((code, s.as_str()), (3, "indeterminate"), "{name}: {text}");
    }
    // Names in Latin letters, accented or with digits of their own, are
    // cleared as before.
    for name in ["Acme Widgets GmbH", "Müller Präzision GmbH", "3M Company"] {
        let (code, s, text) = status(name);
        assert_eq!((code, s.as_str()), (0, "no_match"), "{name}: {text}");
    }
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

#[test]
fn a_dismissed_match_is_said_and_a_decision_of_placeholders_is_refused() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("dir");
    let list = std::path::Path::new(common::ROOT).join(LIST);
    let write = |fingerprint: &str, by: &str, why: &str| {
        std::fs::write(
            dir.path().join("chipcheck.toml"),
            format!(
                "[defaults]\nparty_lists = [{list:?}]\n\n[[screening_decision]]\nquery = \"Inspurr Group\"\nentry = \"t-el-inspur\"\nentry_fingerprint = \"{fingerprint}\"\ndecision = \"not_the_same_party\"\nby = \"{by}\"\non = 2026-11-01\nwhy = \"{why}\"\nexpires = 2027-11-01\n"
            ),
        )
        .expect("write");
    };
    let run = |args: &[&str]| {
        let out = common::chipcheck_in(dir.path())
            .args(args)
            .args(["--party-list-date", "2026-11-30", "--format", "json"])
            .output()
            .expect("run");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    write("0000", "A. Officer", "a Norwegian bakery");
    let (_, first, _) = run(&["screen", "Inspurr Group"]);
    let doc: serde_json::Value = serde_json::from_str(&first).expect("json");
    let fingerprint = doc["results"][0]["matches"][0]["entry_fingerprint"]
        .as_str()
        .expect("fingerprint")
        .to_string();
    // Nobody's decision dismisses nothing: the file is refused.
    for (by, why) in [
        ("TBD", "a bakery"),
        ("-", "a bakery"),
        ("A. Officer", "N/A"),
        ("A. Officer", "?"),
    ] {
        write(&fingerprint, by, why);
        let (code, _, err) = run(&["screen", "Inspurr Group"]);
        assert_eq!(code, Some(2), "{by} {why}: {err}");
        assert!(err.contains("placeholder"), "{err}");
    }
    // A decision that dismisses the match is said in the result.
    write(
        &fingerprint,
        "A. Officer",
        "a Norwegian bakery, registered 1987",
    );
    let (code, text, err) = run(&[
        "classify",
        "--chip",
        "L20",
        "--to",
        "DE",
        "--date",
        "2026-11-30",
        "--end-user",
        "Inspurr Group",
        "--ownership-checked",
    ]);
    assert_eq!(code, Some(0), "{text}{err}");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("json");
    let party = &doc["results"][0]["parties"][0];
    let effect = party["effect"].as_str().expect("effect");
    assert!(
        effect.starts_with("a match dismissed by a screening decision on file"),
        "{effect}"
    );
    assert!(!effect.starts_with("not on the lists"), "{effect}");
    let assumptions = doc["results"][0]["assumptions"].to_string();
    assert!(
        assumptions.contains("dismissed by a screening decision on file")
            && assumptions.contains("A. Officer")
            && assumptions.contains("Norwegian bakery"),
        "{assumptions}"
    );
}

// ---- parties in classify and audit ------------------------------------------

const DATED: [&str; 4] = ["--party-list", LIST, "--party-list-date", "2026-11-30"];

/// `classify --chip "h100 sxm" --format json` with `args`; the exit status
/// and the first result.
fn classify(args: &[&str]) -> (i32, serde_json::Value) {
    let out = common::chipcheck()
        .args(["classify", "--chip", "h100 sxm", "--format", "json"])
        .args(args)
        .output()
        .expect("run");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), doc)
}

/// [`DATED`] with the list's absolute path, for runs outside the repository.
fn dated_abs() -> Vec<String> {
    let list = std::path::Path::new(common::ROOT).join(LIST);
    vec![
        "--party-list".into(),
        list.display().to_string(),
        "--party-list-date".into(),
        "2026-11-30".into(),
    ]
}

fn reasons(doc: &serde_json::Value) -> String {
    doc["results"][0]["reasons"].to_string() + &doc["results"][0]["assumptions"].to_string()
}

#[test]
fn an_entity_list_party_needs_a_licence_whatever_the_item() {
    let (code, plain) = classify(&[&["--to", "DE", "--ownership-checked"][..], &DATED].concat());
    assert_eq!(
        (code, plain["results"][0]["verdict"].as_str()),
        (0, Some("no_license_required"))
    );
    let (code, doc) = classify(
        &[
            &["--to", "DE", "--end-user", "Biren Technology"][..],
            &DATED,
        ]
        .concat(),
    );
    let r = &doc["results"][0];
    assert_eq!(
        (code, r["verdict"].as_str()),
        (1, Some("license_required")),
        "{r}"
    );
    assert_eq!(r["parties"][0]["status"], "match");
    assert_eq!(r["parties"][0]["requires_licence"], true);
    let text = reasons(&doc);
    for quoted in [
        "Presumption of denial",
        "88 FR 71991",
        "734.9(e)(2)",
        "no licence exception",
    ] {
        assert!(text.contains(quoted), "{quoted}: {text}");
    }
    assert!(doc["provenance"]["party_lists"][0]["sha256"]
        .as_str()
        .is_some_and(|h| h.starts_with("sha256:")));
}

#[test]
fn a_denied_or_blocked_party_passes_no_gate_and_no_licence_covers_it() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("dir");
    std::fs::write(
        dir.path().join("chipcheck.toml"),
        "[[license]]\nnumber = \"D1\"\nchips = [\"H100 SXM5 80GB\"]\ndestinations = [\"DE\"]\nissued = 2026-01-01\nexpires = 2027-06-30\njustification = \"test\"\n",
    )
    .expect("config");
    for party in ["Nordic Circuits Trading FZE", "Zhukovskiy Avionics Plant"] {
        let out = common::chipcheck_in(dir.path())
            .args([
                "classify", "--chip", "h100 sxm", "--to", "DE", "--format", "json",
            ])
            .args(["--consignee", party, "--fail-on", "indeterminate"])
            .args(dated_abs())
            .output()
            .expect("run");
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(out.status.code(), Some(1), "{party}");
        assert_eq!(doc["results"][0]["verdict"], "prohibited", "{party}");
        assert!(
            reasons(&doc).contains("no licence may be assumed"),
            "{party}"
        );
    }
}

#[test]
fn a_possible_match_is_indeterminate_and_names_the_decision() {
    let (code, doc) = classify(
        &[
            &["--to", "DE", "--purchaser", "Huawai Technologies"][..],
            &DATED,
        ]
        .concat(),
    );
    let r = &doc["results"][0];
    assert_eq!((code, r["verdict"].as_str()), (3, Some("indeterminate")));
    assert_eq!(r["settle_with"][0], "screening_decision:purchaser");
    assert!(reasons(&doc).contains("entry_fingerprint"), "{r}");
}

#[test]
fn an_unverified_party_bars_licence_exceptions_and_needs_a_statement() {
    let (code, doc) = classify(
        &[
            &["--to", "DE", "--end-user", "Jiayuan Electronics"][..],
            &DATED,
        ]
        .concat(),
    );
    let r = &doc["results"][0];
    assert_eq!((code, r["verdict"].as_str()), (3, Some("indeterminate")));
    assert!(reasons(&doc).contains("UVL statement"), "{r}");
}

#[test]
fn a_party_on_no_list_is_not_cleared_while_the_affiliates_rule_may_apply() {
    let party = ["--to", "DE", "--end-user", "Acme Widgets GmbH"];
    let (code, doc) = classify(&[&party[..], &DATED].concat());
    assert_eq!(code, 3);
    assert_eq!(
        doc["results"][0]["settle_with"][0],
        "ownership_check:end_user"
    );
    assert!(reasons(&doc).contains("unknown status"), "{doc}");
    let (code, _) = classify(&[&party[..], &DATED, &["--ownership-checked"]].concat());
    assert_eq!(code, 0);
    // While the rule was suspended: cleared, with the assumption said.
    let (code, doc) = classify(
        &[
            &party[..],
            &[
                "--date",
                "2026-06-01",
                "--party-list",
                LIST,
                "--party-list-date",
                "2026-06-01",
            ],
        ]
        .concat(),
    );
    assert_eq!(code, 0, "{doc}");
    assert!(reasons(&doc).contains("suspended"), "{doc}");
}

#[test]
fn parties_without_a_current_list_are_not_cleared() {
    let (code, doc) = classify(&[
        "--to",
        "DE",
        "--end-user",
        "Acme Widgets GmbH",
        "--ownership-checked",
    ]);
    assert_eq!(code, 3);
    assert!(reasons(&doc).contains("no party list was given"), "{doc}");
    let (code, doc) = classify(&[
        "--to",
        "DE",
        "--end-user",
        "Acme Widgets GmbH",
        "--ownership-checked",
        "--party-list",
        LIST,
    ]);
    assert_eq!(code, 3);
    assert!(reasons(&doc).contains("cannot clear a party"), "{doc}");
}

#[test]
fn a_licence_naming_a_consignee_covers_only_that_consignee() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("dir");
    std::fs::write(
        dir.path().join("chipcheck.toml"),
        "[[license]]\nnumber = \"D2\"\nchips = [\"H100 SXM5 80GB\"]\ndestinations = [\"CN\"]\nconsignee = \"Gulf Compute LLC\"\nissued = 2026-01-01\nexpires = 2027-06-30\njustification = \"test\"\n",
    )
    .expect("config");
    let verdict = |consignee: &str| {
        let out = common::chipcheck_in(dir.path())
            .args([
                "classify", "--chip", "h100 sxm", "--to", "CN", "--format", "json",
            ])
            .args(["--consignee", consignee, "--ownership-checked"])
            .args(dated_abs())
            .output()
            .expect("run");
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        (
            doc["results"][0]["verdict"]
                .as_str()
                .unwrap_or("")
                .to_string(),
            reasons(&doc),
        )
    };
    assert_eq!(verdict("Gulf Compute L.L.C.").0, "licensed");
    let (v, text) = verdict("Other Compute Ltd");
    assert_eq!(v, "license_required");
    assert!(
        text.contains("it names consignee Gulf Compute LLC"),
        "{text}"
    );
    // A listed consignee the licence does not name: not covered.
    let (v, text) = verdict("Biren Technology");
    assert_eq!(v, "license_required");
    assert!(text.contains("names consignee Gulf Compute LLC"), "{text}");
}

#[test]
fn an_audit_screens_each_row_s_parties_into_every_report() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("dir");
    let catalogue = dir.path().join("c.csv");
    std::fs::write(
        &catalogue,
        "name,end_user\nH100 SXM5 80GB,Acme Widgets GmbH\nH100 SXM5 80GB,Nordic Circuits Trading FZE\nH100 SXM5 80GB,Biren Technology\n",
    )
    .expect("catalogue");
    let sarif = dir.path().join("r.sarif");
    let junit = dir.path().join("r.xml");
    let html = dir.path().join("r.html");
    let out = common::chipcheck()
        .args([
            "audit",
            catalogue.to_str().expect("path"),
            "--to",
            "DE",
            "--format",
            "jsonl",
        ])
        .args(["--ownership-checked", "--output"])
        .arg(format!("sarif={}", sarif.display()))
        .arg("--output")
        .arg(format!("junit={}", junit.display()))
        .arg("--output")
        .arg(format!("html={}", html.display()))
        .args(DATED)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let verdicts: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["verdict"].as_str().map(str::to_string))
        .collect();
    assert_eq!(
        verdicts,
        ["no_license_required", "prohibited", "license_required"]
    );
    let sarif = std::fs::read_to_string(sarif).expect("sarif");
    assert!(sarif.contains("Denied Persons List") && sarif.contains("\"prohibited\""));
    let junit = std::fs::read_to_string(junit).expect("junit");
    assert!(junit.contains("failure type=\"prohibited\""), "{junit}");
    let html = std::fs::read_to_string(html).expect("html");
    assert!(html.contains("Denied Persons List") && html.contains("Prohibited"));
}

/// A party list that is not whole (a header only, a download cut short, a
/// quote never closed) is an error, not a list that clears every name it
/// lacks.
#[test]
fn a_party_list_that_is_not_whole_is_an_error_not_a_clearance() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("dir");
    let header = std::fs::read_to_string(std::path::Path::new(common::ROOT).join(LIST))
        .expect("list")
        .lines()
        .next()
        .expect("a header")
        .to_string();
    let whole =
        std::fs::read_to_string(std::path::Path::new(common::ROOT).join(LIST)).expect("list");
    let first_rows: String = whole.lines().take(3).map(|l| format!("{l}\n")).collect();
    let open_quote = format!("{first_rows}x1,\"Denied Persons List (DPL)");
    // A header only; the first rows of a truncated download (no SDN or DPL
    // entry: Nordic Circuits, on the DPL, was cleared); a quote never closed.
    for (name, text, says) in [
        (
            "empty",
            format!("{header}\n"),
            "the party list has no entries",
        ),
        (
            "first-rows",
            first_rows.clone(),
            "has no entries from SDN, DPL",
        ),
        ("open-quote", open_quote, "a quote is never closed"),
    ] {
        let list = dir.path().join(format!("{name}.csv"));
        std::fs::write(&list, text).expect("write");
        let out = common::chipcheck()
            .args(["screen", "Nordic Circuits Trading FZE", "--party-list"])
            .arg(&list)
            .args(["--party-list-date", "2026-11-30", "--date", "2026-12-01"])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{name}: {out:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(says),
            "{name}: {out:?}"
        );
    }
}

/// An empty `--end-user` (an unset shell variable), or one that names no
/// party (`TBD`, `N/A`), is refused, not taken as a party: it would screen
/// no one and pass.
#[test]
fn an_empty_party_name_is_refused() {
    for (flag, name) in [
        ("--end-user", " "),
        ("--consignee", ""),
        ("--purchaser", " "),
        ("--end-user", "TBD"),
        ("--consignee", "N/A"),
    ] {
        let out = common::chipcheck()
            .args(["classify", "--chip", "RTX 4080", "--to", "DE", flag, name])
            .args(["--party-list", LIST, "--party-list-date", "2026-11-30"])
            .args(["--date", "2026-12-01"])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{flag}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("{flag} is empty")) || stderr.contains("names no party"),
            "{flag}: {out:?}"
        );
    }
}

/// An ownership check counts only while it is no older than a party list
/// may be: the owners were compared with the lists of its day (a check of
/// 2019 had cleared a party under the 2025 affiliates rule).
#[test]
fn an_ownership_check_older_than_a_party_list_may_be_does_not_count() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("dir");
    let run = |on: &str| {
        std::fs::write(
            dir.path().join("chipcheck.toml"),
            format!("[[ownership_check]]\nparty = \"Acme Widgets GmbH\"\nby = \"A. Officer\"\non = {on}\nnote = \"owners per the commercial register\"\n"),
        )
        .expect("write");
        let out = common::chipcheck_in(dir.path())
            .args(["classify", "--chip", "h100 sxm", "--format", "json"])
            .args(["--to", "DE", "--end-user", "Acme Widgets GmbH"])
            .args(dated_abs())
            .output()
            .expect("run");
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        (out.status.code(), doc)
    };
    let (code, doc) = run("2026-11-20");
    assert_ne!(doc["results"][0]["verdict"], "indeterminate", "{doc}");
    assert_ne!(code, Some(3), "{doc}");
    let (code, doc) = run("2019-01-01");
    assert_eq!(code, Some(3), "{doc}");
    assert_eq!(
        doc["results"][0]["settle_with"][0],
        "ownership_check:end_user"
    );
    assert!(
        reasons(&doc).contains("is 2891 days old, and a check older than 30 days"),
        "{doc}"
    );
}
