//! Compiles the rule files and the chip library into the binary, so that a
//! rule version or a chip is added as data, with no Rust to change.

use std::fmt::Write as _;
use std::path::Path;

fn embed(dir: &str, constant: &str, out: &mut String) {
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
    for name in names {
        let full = Path::new(&root).join(dir).join(&name);
        println!("cargo:rerun-if-changed={}", full.display());
        let _ = writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            full.display().to_string()
        );
    }
    let _ = writeln!(out, "];");
}

fn main() {
    let out_dir = std::env::var("OUT_DIR").unwrap_or_default();
    let mut rules = String::new();
    embed("rules", "RULE_FILES", &mut rules);
    let _ = std::fs::write(Path::new(&out_dir).join("embedded_rules.rs"), rules);
    let mut chips = String::new();
    embed("examples/chips", "CHIP_FILES", &mut chips);
    let _ = std::fs::write(Path::new(&out_dir).join("embedded_chips.rs"), chips);
}
