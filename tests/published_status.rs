//! Every library chip with a published export status (company filings, BIS,
//! reputable press: tests/data/published-status-*.toml) is checked against
//! chipcheck's answer for that date and destination.

mod common;

use chipcheck::Verdict;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    status: Vec<Status>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Status {
    chip: String,
    date: toml::value::Datetime,
    destination: String,
    controlled: bool,
    #[serde(default)]
    paragraph: String,
    basis: String,
    source: String,
}

#[test]
fn library_chips_match_their_published_status() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for file in [
        "published-status-nvidia.toml",
        "published-status-others.toml",
    ] {
        let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).expect("status file");
        let parsed: File = toml::from_str(&text).expect("status file parses");
        for s in parsed.status {
            assert!(
                !s.basis.is_empty() && !s.source.is_empty(),
                "{}: status needs a basis and a source",
                s.chip
            );
            let spec = common::lib(&s.chip);
            let on = s.date.to_string();
            let outcome = common::check(&spec, &s.destination, &on, None);
            let controlled = matches!(
                outcome.verdict,
                Verdict::LicenseRequired | Verdict::LicenseException
            );
            let paragraph_ok = s.paragraph.is_empty() || outcome.paragraphs.contains(&s.paragraph);
            if controlled != s.controlled
                || !paragraph_ok
                || outcome.verdict == Verdict::Indeterminate
            {
                failures.push(format!(
                    "{} to {} on {}: published controlled={} ({}), chipcheck says {} {:?}",
                    s.chip,
                    s.destination,
                    on,
                    s.controlled,
                    s.basis,
                    outcome.verdict,
                    outcome.paragraphs
                ));
            }
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} published statuses checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
