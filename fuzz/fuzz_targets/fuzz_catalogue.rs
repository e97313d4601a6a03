//! The catalogue audit on arbitrary bytes, read from memory through the
//! library, for two destinations, into every output format at once (the
//! first byte picks whether the cache is on). Rules are loaded once. The
//! only failure is a panic.
#![no_main]

use chipcheck::catalogue::{audit, Options, Request};
use chipcheck::report::{format_for, Destination, Gate, Layout, OutputFormat, Style, Tee};
use chipcheck::RuleSet;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::embedded().expect("embedded rules load"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, csv)) = data.split_first() else {
        return;
    };
    let gate = Gate {
        fail_on: chipcheck::verdict::DEFAULT_FAIL_ON.to_vec(),
        licenses: Vec::new(),
    };
    let destinations = [
        chipcheck::country::resolve("CN").unwrap(),
        chipcheck::country::resolve("DE").unwrap(),
    ];
    let request = Request {
        rules: rules(),
        date: "2024-06-01".parse().unwrap(),
        destinations: &destinations,
        hq: None,
        gate: &gate,
        mappings: &[],
        input: &Default::default(),
        name: "fuzz.csv",
        full_report: &[],
        party_check: None,
        parties: &[],
        party_lists: &[],
    };
    let mut sinks: Vec<Vec<u8>> = vec![Vec::new(); OutputFormat::ALL.len()];
    let mut tee = Tee::default();
    for (format, sink) in OutputFormat::ALL.into_iter().zip(sinks.iter_mut()) {
        tee.add(
            format_for(format, Layout::Catalogue, Style::default()),
            Destination::Buffer(sink),
        );
    }
    let options = Options {
        cache_entries: if mode % 2 == 0 { 0 } else { 4096 },
        ..Options::default()
    };
    let _ = audit(&request, std::io::Cursor::new(csv.to_vec()), &mut tee, options);
});
