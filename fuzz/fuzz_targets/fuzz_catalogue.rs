//! `chipcheck audit` on arbitrary bytes as a catalogue CSV, for two
//! destinations, in every output format (the first byte picks it). The
//! audit reads from a path (it has no in-memory reader), so each input is
//! written to one scratch file per process, the audit command line is
//! parsed in-process and `audit::run` called with rules loaded once. The
//! only failure is a panic.
#![no_main]

use chipcheck::cli::{Cli, Command};
use chipcheck::RuleSet;
use clap::Parser;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

fn scratch() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        std::env::temp_dir().join(format!(
            "chipcheck-fuzz-catalogue-{}.csv",
            std::process::id()
        ))
    })
}

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::embedded().expect("embedded rules load"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, csv)) = data.split_first() else {
        return;
    };
    let path = scratch();
    if std::fs::write(path, csv).is_err() {
        return;
    }
    let format = ["table", "csv", "json", "jsonl"][usize::from(mode % 4)];
    let path = path.to_string_lossy();
    let args = [
        "chipcheck",
        "audit",
        &path,
        "--to",
        "CN,DE",
        "--date",
        "2024-06-01",
        "--format",
        format,
    ];
    if let Ok(Cli {
        command: Command::Audit(audit),
        ..
    }) = Cli::try_parse_from(args)
    {
        let _ = chipcheck::audit::run(rules(), audit, "2024-06-01".parse().unwrap(), &mut std::io::sink());
    }
});
