//! The layering the README's architecture section describes, checked on the
//! source: the command line alone knows clap, standard streams, the
//! environment and the clock; nothing imports it; and the library's
//! top-level modules form no import cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const SRC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src");

/// Every `.rs` file under `src/`, with its top-level module (`cli`,
/// `report`, `engine`, ...), test modules cut off.
fn sources() -> Vec<(String, PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::from(SRC)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src is readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("utf-8 source");
                let text = text.split("#[cfg(test)]").next().unwrap_or("").to_string();
                out.push((top_module(&path), path, text));
            }
        }
    }
    out
}

fn top_module(path: &Path) -> String {
    let rel = path.strip_prefix(SRC).expect("under src");
    let first = rel.components().next().expect("a component");
    first
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_string()
}

/// Source lines that are code, not comments.
fn code_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| {
        let t = l.trim_start();
        !t.starts_with("//")
    })
}

fn edge_side(module: &str) -> bool {
    matches!(module, "cli" | "main")
}

#[test]
fn only_the_command_line_knows_clap_streams_environment_and_clock() {
    let forbidden = [
        "clap",
        "std::env::",
        "std::io::stdout",
        "std::io::stderr",
        "std::io::stdin",
        "println!",
        "eprintln!",
        "eprint!(",
        // The clock calls, spelt in pieces so that this test's own source
        // does not read as reading the clock.
        concat!("Timestamp::", "now"),
        concat!("Zoned::", "now"),
        concat!("SystemTime::", "now"),
        "crate::cli",
    ];
    let mut found = Vec::new();
    for (module, path, text) in sources() {
        if edge_side(&module) || module == "lib" {
            continue;
        }
        for line in code_lines(&text) {
            for word in forbidden {
                if line.contains(word) {
                    found.push(format!("{}: `{word}` in: {}", path.display(), line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "library code at the edge:\n{}",
        found.join("\n")
    );
}

/// `crate::x` references between top-level modules.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, _, text) in sources() {
        if edge_side(&module) || module == "lib" {
            continue;
        }
        let uses = graph.entry(module.clone()).or_default();
        for line in code_lines(&text) {
            for (i, _) in line.match_indices("crate::") {
                let rest = &line[i + "crate::".len()..];
                // `crate::{a::X, b}` names several modules.
                let group = rest
                    .strip_prefix('{')
                    .map(|g| g.split('}').next().unwrap_or(""));
                let heads: Vec<&str> = match group {
                    Some(g) => g.split(',').map(str::trim).collect(),
                    None => vec![rest],
                };
                for head in heads {
                    let name: String = head
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                        .collect();
                    if !name.is_empty() && name != module {
                        uses.insert(name);
                    }
                }
            }
        }
    }
    graph
}

/// A cycle through `start`, if there is one: the path back to it.
fn cycle_from(
    graph: &BTreeMap<String, BTreeSet<String>>,
    start: &str,
    at: &str,
    path: &mut Vec<String>,
    seen: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    for next in graph.get(at).into_iter().flatten() {
        if next == start {
            let mut cycle = path.clone();
            cycle.push(start.to_string());
            return Some(cycle);
        }
        if seen.insert(next.clone()) {
            path.push(next.clone());
            if let Some(c) = cycle_from(graph, start, next, path, seen) {
                return Some(c);
            }
            path.pop();
        }
    }
    None
}

#[test]
fn the_library_modules_form_no_import_cycle() {
    let graph = module_graph();
    assert!(graph.len() > 10, "the graph was read: {graph:?}");
    for start in graph.keys() {
        let mut path = vec![start.clone()];
        if let Some(cycle) = cycle_from(&graph, start, start, &mut path, &mut BTreeSet::new()) {
            panic!("import cycle: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn the_cycle_check_can_fail() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph.entry("a".into()).or_default().insert("b".into());
    graph.entry("b".into()).or_default().insert("a".into());
    let mut path = vec!["a".to_string()];
    assert_eq!(
        cycle_from(&graph, "a", "a", &mut path, &mut BTreeSet::new()),
        Some(vec!["a".to_string(), "b".to_string(), "a".to_string()])
    );
}
