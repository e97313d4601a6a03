//! Helpers shared by the integration tests.
#![allow(dead_code)]

use chipcheck::engine::{evaluate_all, Outcome, Subject};
use chipcheck::{country, library, ChipSpec, RuleSet};
use jiff::civil::Date;
use std::sync::OnceLock;

pub fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::embedded().expect("embedded rules load"))
}

pub fn date(text: &str) -> Date {
    text.parse().expect("test date")
}

pub fn lib(name: &str) -> ChipSpec {
    match library::find(name).expect("library loads") {
        library::Lookup::Found(c) => c.spec.clone(),
        other => panic!("library lookup {name}: {other:?}"),
    }
}

pub fn spec(text: &str) -> ChipSpec {
    ChipSpec::from_toml("test.toml", text).unwrap_or_else(|e| panic!("{e}"))
}

/// One outcome for a spec, destination and date (and optional HQ).
pub fn check(spec: &ChipSpec, to: &str, on: &str, hq: Option<&str>) -> Outcome {
    let dest = country::find(to).expect("destination");
    let hq = hq.map(|h| country::find(h).expect("hq"));
    let contained = chipcheck::cli::resolve_contained(spec).expect("contained chips resolve");
    let subject = Subject {
        spec,
        input: "test".into(),
        contained,
    };
    evaluate_all(rules(), &subject, date(on), &[dest], hq).remove(0)
}

pub fn verdict(spec: &ChipSpec, to: &str, on: &str) -> String {
    check(spec, to, on, None).verdict.name().to_string()
}

/// Output with what changes on every rule edit or release masked: every
/// `sha256:<hex>`, the short hash in table footers, and the version. The
/// snapshots then pin the answers themselves.
pub fn mask(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut rest = line;
        let mut masked = String::new();
        while let Some(i) = rest.find("sha256:") {
            masked.push_str(&rest[..i]);
            masked.push_str("sha256:[hash]");
            let after = &rest[i + "sha256:".len()..];
            rest = after.trim_start_matches(|c: char| c.is_ascii_hexdigit());
        }
        masked.push_str(rest);
        if let Some(i) = masked.find(" · rules embedded (") {
            masked.truncate(i);
            masked.push_str(" · rules embedded ([hash])");
        }
        out.push_str(&masked.replace(chipcheck::VERSION, "[version]"));
        out.push('\n');
    }
    out
}
