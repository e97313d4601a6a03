//! ChipSpec::from_toml on arbitrary UTF-8; a spec that loads is also
//! evaluated (one date per rule era, a few destinations) and rendered, so
//! the engine and the reports see every shape the parser lets through.
//! The only failure is a panic (or a sanitizer report).
#![no_main]

use chipcheck::engine::{evaluate_all, Subject};
use chipcheck::{country, ChipSpec, RuleSet};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::embedded().expect("embedded rules load"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(spec) = ChipSpec::from_toml("fuzz.toml", text) else {
        return;
    };
    let Ok(contained) = chipcheck::library::resolve_contained(&spec) else {
        return;
    };
    let subject = Subject {
        spec: &spec,
        input: "fuzz".into(),
        contained,
    };
    let rules = rules();
    let destinations: Vec<_> = ["CN", "MO", "SA", "DE"]
        .iter()
        .filter_map(|c| country::find(c))
        .collect();
    let hq = country::find("CN");
    for date in [
        "2022-12-01",
        "2023-06-01",
        "2024-06-01",
        "2025-06-01",
        "2026-08-01",
    ] {
        let date = date.parse().expect("date");
        let outcomes = evaluate_all(rules, &subject, date, &destinations, None);
        let _ = chipcheck::report::table(rules, &outcomes);
        let _ = chipcheck::report::json(rules, &outcomes);
        let _ = evaluate_all(rules, &subject, date, &destinations[..1], hq);
    }
});
