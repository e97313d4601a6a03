//! Compiles the rule files and the chip library into the binary, so that a
//! rule version or a chip is added as data, with no Rust to change.

use std::fmt::Write as _;
use std::path::Path;

/// FNV-1a (64 bits) over each file's name and bytes: a fingerprint of the
/// sources that the compiled forms in `src/compiled/` record, so that a
/// compiled form left behind by a change to the files is never used.
fn fingerprint(files: &[(String, Vec<u8>)]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (name, bytes) in files {
        for &b in name
            .as_bytes()
            .iter()
            .chain([0u8].iter())
            .chain(bytes)
            .chain([0u8].iter())
        {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

/// The Rust that turns the rule and chip files into what the compiled forms
/// hold (a change to how they load makes the forms stale too).
const LOADER_SOURCES: &[&str] = &[
    "src/rules",
    "src/library.rs",
    "src/spec.rs",
    "src/condition.rs",
    "src/metrics.rs",
    "src/precision.rs",
    "src/number.rs",
    "src/country.rs",
    "src/countries.tsv",
    "src/guard.rs",
    "src/diagnostic.rs",
    "src/truth.rs",
];

/// Every file of `LOADER_SOURCES` (a directory's files, not recursing),
/// with its bytes, in name order.
fn loader_sources() -> Vec<(String, Vec<u8>)> {
    let mut paths = Vec::new();
    for source in LOADER_SOURCES {
        println!("cargo:rerun-if-changed={source}");
        let path = Path::new(source);
        if path.is_dir() {
            let entries = std::fs::read_dir(path).expect("a loader source directory");
            paths.extend(
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.is_file()),
            );
        } else {
            paths.push(path.to_path_buf());
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).expect("a loader source file");
            (p.display().to_string(), bytes)
        })
        .collect()
}

/// Writes `constant`, every `*.toml` in `dir` compiled in, and returns
/// those files with their bytes.
fn embed(dir: &str, constant: &str, out: &mut String) -> Vec<(String, Vec<u8>)> {
    println!("cargo:rerun-if-changed={dir}");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("toml"))
                .filter_map(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let _ = writeln!(out, "pub const {constant}: &[(&str, &str)] = &[");
    let mut files = Vec::new();
    for name in names {
        let full = Path::new(&root).join(dir).join(&name);
        println!("cargo:rerun-if-changed={}", full.display());
        let _ = writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            full.display().to_string()
        );
        let bytes = std::fs::read(&full).expect("an embedded file");
        files.push((format!("{dir}/{name}"), bytes));
    }
    let _ = writeln!(out, "];");
    files
}

/// The country table (`src/countries.tsv`) as a static array of
/// `country::Country`, and its alpha-2 and alpha-3 codes sorted, each with
/// its country's index: no run parses the table or sorts the codes.
fn countries(out: &mut String) {
    let path = "src/countries.tsv";
    println!("cargo:rerun-if-changed={path}");
    let text = std::fs::read_to_string(path).expect("src/countries.tsv");
    let mut codes: Vec<(String, usize)> = Vec::new();
    let _ = writeln!(out, "static COUNTRIES: &[Country] = &[");
    let rows = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
    // Every row is written (a malformed one fails the build), so a row's
    // number is its index in COUNTRIES.
    for (index, line) in rows.enumerate() {
        let mut parts = line.split('\t');
        let (Some(code), Some(alpha3)) = (parts.next(), parts.next()) else {
            panic!("src/countries.tsv: a row without an alpha-2 and an alpha-3 code: {line:?}");
        };
        let names: Vec<&str> = parts.collect();
        let name = names.first().copied().unwrap_or(code);
        let _ = writeln!(
            out,
            "    Country {{ code: {code:?}, alpha3: {alpha3:?}, name: {name:?}, names: &{names:?} }},"
        );
        codes.push((code.to_string(), index));
        codes.push((alpha3.to_string(), index));
    }
    let _ = writeln!(out, "];");
    codes.sort();
    let _ = writeln!(out, "static CODES: &[(&str, usize)] = &{codes:?};");
}

fn main() {
    let out_dir = std::env::var("OUT_DIR").unwrap_or_default();
    let mut rules = String::new();
    let mut sources = embed("rules", "RULE_FILES", &mut rules);
    let _ = std::fs::write(Path::new(&out_dir).join("embedded_rules.rs"), rules);
    let mut chips = String::new();
    sources.extend(embed("examples/chips", "CHIP_FILES", &mut chips));
    let _ = std::fs::write(Path::new(&out_dir).join("embedded_chips.rs"), chips);
    // One fingerprint for both forms: the rules hold names worked out from
    // the chip library, and both hold what the loaders made of the files.
    sources.extend(loader_sources());
    let _ = std::fs::write(
        Path::new(&out_dir).join("compiled_fingerprint.rs"),
        format!("\"fnv1a64:{:016x}\"", fingerprint(&sources)),
    );
    let mut table = String::new();
    countries(&mut table);
    let _ = std::fs::write(Path::new(&out_dir).join("countries.rs"), table);
}
