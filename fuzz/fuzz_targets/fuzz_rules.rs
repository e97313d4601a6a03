//! RuleSet::from_files with the real country groups (and, when the first
//! byte is odd, every real rule version) plus one arbitrary rule file. A
//! rule set that loads is used to classify a few library chips, so odd but
//! valid rules reach the engine. The only failure is a panic.
//!
//! The real rule files are read from the repository's rules/ directory at
//! start (the same files build.rs compiles into chipcheck).
#![no_main]

use chipcheck::engine::{evaluate_all, Subject};
use chipcheck::{country, library, RuleSet};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn rule_files() -> &'static [(String, String)] {
    static FILES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    FILES.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../rules");
        let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
            .expect("the repository's rules/ directory")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .map(|p| {
                let text = std::fs::read_to_string(&p).expect("rule file");
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, text)
            })
            .collect();
        files.sort();
        files
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let files: Vec<(String, String)> = rule_files()
        .iter()
        .filter(|(name, _)| mode & 1 == 1 || name == "country-groups.toml")
        .cloned()
        .chain([("fuzz.toml".to_string(), text.to_string())])
        .collect();
    let Ok(rules) = RuleSet::from_files("fuzz", files) else {
        return;
    };
    let Ok(chips) = library::chips() else {
        return;
    };
    let destinations: Vec<_> = ["CN", "SA", "DE"]
        .iter()
        .filter_map(|c| country::find(c))
        .collect();
    for chip in chips.iter().step_by(7) {
        let subject = Subject::chip(&chip.spec, "library");
        for date in ["2023-06-01", "2024-06-01", "2025-06-01"] {
            let outcomes = evaluate_all(
                &rules,
                &subject,
                date.parse().expect("date"),
                &destinations,
                None,
            );
            let _ = chipcheck::report::json(&rules, &outcomes);
        }
    }
});
