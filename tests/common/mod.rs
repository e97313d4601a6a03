//! Helpers shared by the integration tests: running the binary, rule
//! directories built from `rules/`, the proptest configuration, and the
//! library-level shortcuts.
#![allow(dead_code)]

use assert_cmd::Command;
use chipcheck::engine::{evaluate_all, Outcome, Subject};
use chipcheck::{country, library, ChipSpec, RuleSet};
use jiff::civil::Date;
use proptest::test_runner::{Config as ProptestConfig, RngSeed};
use std::path::Path;
use std::sync::OnceLock;

/// The repository root: every relative path in a test is read from here.
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The binary, run from the repository root, hermetic: no colour, "today"
/// pinned, and no `chipcheck.toml` picked up from any parent directory.
pub fn chipcheck() -> Command {
    let mut cmd = chipcheck_in(Path::new(ROOT));
    cmd.arg("--no-config");
    cmd
}

/// The binary run in `dir`, for tests that pass `--config` or rely on
/// `chipcheck.toml` discovery (clap refuses `--no-config` with `--config`).
pub fn chipcheck_in(dir: &Path) -> Command {
    // No test reads the wall clock: "today" is pinned for every run.
    Command::from_std(process_in(dir))
}

/// The binary run in `dir` as [`chipcheck_in`] runs it, as a plain process:
/// for tests that hold its pipes open or signal it while it runs.
pub fn process_in(dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("chipcheck"));
    cmd.env("CHIPCHECK_TODAY", "2026-12-01");
    cmd.env("NO_COLOR", "1");
    cmd.current_dir(dir);
    cmd
}

/// Output bytes as text, with hashes and the version masked (see [`mask`]).
pub fn stable(text: &[u8]) -> String {
    mask(&String::from_utf8_lossy(text))
}

/// A rule directory: a fresh copy of `rules/*.toml` plus `extra` files
/// (name, contents), which are added or replace a file of the same name.
/// It lives under the build's scratch directory, inside the repository.
pub fn rule_dir(extra: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("rules-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("rule dir");
    for entry in std::fs::read_dir(Path::new(ROOT).join("rules")).expect("rules/") {
        let path = entry.expect("rules/ entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            let name = path.file_name().expect("file name");
            std::fs::copy(&path, dir.path().join(name)).expect("copy rule file");
        }
    }
    for (name, text) in extra {
        std::fs::write(dir.path().join(name), text).expect("write rule file");
    }
    dir
}

/// [`rule_dir`] plus every `.toml` file of `tests/fixtures/<fixture>/`, which
/// holds only what that fixture changes.
pub fn rule_dir_with(fixture: &str) -> tempfile::TempDir {
    let from = Path::new(ROOT).join("tests/fixtures").join(fixture);
    let mut extra = Vec::new();
    for entry in std::fs::read_dir(&from).expect("fixture dir") {
        let path = entry.expect("fixture entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            extra.push((name, std::fs::read_to_string(&path).expect("fixture")));
        }
    }
    let extra: Vec<(&str, &str)> = extra
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    rule_dir(&extra)
}

/// The path of a directory as an argument.
pub fn arg(dir: &tempfile::TempDir) -> String {
    dir.path().display().to_string()
}

/// `cases` unless `PROPTEST_CASES` says otherwise; no failure files.
pub fn proptest_config(cases: u32) -> ProptestConfig {
    // `default()` reads PROPTEST_CASES and PROPTEST_RNG_SEED; without them
    // the count is `cases` and the seed fixed, so CI runs the same cases
    // every time (set PROPTEST_RNG_SEED=<n> to explore others).
    let base = ProptestConfig::default();
    let set = |var: &str| std::env::var_os(var).is_some();
    ProptestConfig {
        cases: if set("PROPTEST_CASES") {
            base.cases
        } else {
            cases
        },
        rng_seed: if set("PROPTEST_RNG_SEED") {
            base.rng_seed
        } else {
            RngSeed::Fixed(0x00c4_1bc4_ec4b)
        },
        failure_persistence: None,
        ..base
    }
}

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
    let contained = chipcheck::library::resolve_contained(spec).expect("contained chips resolve");
    let subject = Subject::new(spec, "test", contained);
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
