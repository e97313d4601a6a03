//! Checks on a spec sheet's TOML before serde reads it, for what serde
//! would let through silently:
//!
//! - a float literal with more than 15 significant digits, which the TOML
//!   parser rounds through `f64` (so `2.000000000000000001` would read as 2,
//!   and a figure just over a threshold would land on it);
//! - a table written as an array (`io = [900, 3350]`), which serde would
//!   read positionally into the table's fields.
//!
//! The walk is iterative, so a deeply nested document cannot exhaust the stack.

use crate::diagnostic::Diagnostic;
use crate::number::MAX_SIGNIFICANT_DIGITS;
use std::ops::Range;
use toml::de::{DeTable, DeValue};

/// Where the spec format expects a table. `[]` marks array elements.
fn expects_table(path: &str) -> bool {
    let mut p = path;
    // A nested spec repeats the top-level shape. (`strip_prefix`, not
    // `trim_start_matches`, which sets up a substring search on every call:
    // this runs for every value of every spec sheet.)
    while let Some(rest) = p.strip_prefix("contains[].spec.") {
        p = rest;
    }
    matches!(
        p,
        "compute" | "die" | "io" | "compute.unit[]" | "source[]" | "contains[]" | "contains[].spec"
    )
}

/// How the table at `path` is written, for the help line.
fn table_example(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or(path) {
        "compute" => "write it as a table, e.g. `compute = { fp16 = 989.4, int8 = 1978.9 }`",
        "die" => "write it as a table, e.g. `die = { area_mm2 = 814, non_planar = true }`",
        "io" => "write it as a table, e.g. `io = { interconnect_gbps = 900 }`",
        "unit[]" => "write each unit as a table: `[[compute.unit]]` followed by `fp16 = ...`",
        "source[]" => "write each source as a table: `[[source]]` with fields, url and kind",
        _ => "write each entry as a table, e.g. `contains = [{ chip = \"H100\", count = 8 }]`",
    }
}

fn significant_digits(literal: &str) -> usize {
    let mantissa = literal
        .split(['e', 'E'])
        .next()
        .unwrap_or("")
        .trim_start_matches(['+', '-']);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    digits.trim_start_matches('0').trim_end_matches('0').len()
}

pub fn check_spec(path: &str, source: &str) -> Result<(), Diagnostic> {
    // A document that does not parse is reported by serde with its own
    // located message; nothing to add here.
    let Ok(doc) = DeTable::parse(source) else {
        return Ok(());
    };
    check_document(path, source, &doc)
}

/// [`check_spec`] on a document already parsed (which serde then reads, so
/// a spec is parsed once).
pub fn check_document(
    path: &str,
    source: &str,
    doc: &toml::Spanned<DeTable<'_>>,
) -> Result<(), Diagnostic> {
    let error = |span: Range<usize>, field: &str, message: String, help: &str| {
        Diagnostic::new(path, message)
            .at(source, Some(span))
            .field(field)
            .help(help)
    };
    let mut stack: Vec<(String, &toml::Spanned<DeValue>)> = Vec::new();
    for (key, value) in doc.get_ref().iter() {
        stack.push((key.get_ref().to_string(), value));
    }
    while let Some((at, value)) = stack.pop() {
        match value.get_ref() {
            DeValue::Float(f) => {
                let n = significant_digits(f.as_str());
                if n > MAX_SIGNIFICANT_DIGITS {
                    return Err(error(
                        value.span(),
                        &at,
                        format!("`{}` has {n} significant digits; chipcheck reads figures exactly to {MAX_SIGNIFICANT_DIGITS}", f.as_str()),
                        "round the figure to 15 significant digits (no data sheet has more)",
                    ));
                }
            }
            DeValue::Array(items) => {
                if expects_table(&at) {
                    return Err(error(
                        value.span(),
                        &at,
                        format!("`{at}` must be a table, not an array"),
                        table_example(&at),
                    ));
                }
                for item in items.iter() {
                    stack.push((format!("{at}[]"), item));
                }
            }
            DeValue::Table(t) => {
                for (key, v) in t.iter() {
                    stack.push((format!("{at}.{}", key.get_ref()), v));
                }
            }
            _ => {
                if expects_table(&at) {
                    return Err(error(
                        value.span(),
                        &at,
                        format!("`{at}` must be a table"),
                        "see `chipcheck schema spec` for the format",
                    ));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_expected_at_every_depth_of_nested_specs() {
        for path in [
            "compute",
            "compute.unit[]",
            "contains[]",
            "contains[].spec",
            "contains[].spec.die",
            "contains[].spec.contains[].spec.io",
            "contains[].spec.contains[].spec.contains[]",
        ] {
            assert!(expects_table(path), "{path}");
        }
        for path in [
            "name",
            "compute.fp16",
            "contains[].spec.name",
            "die.contains[].spec.io",
        ] {
            assert!(!expects_table(path), "{path}");
        }
    }

    #[test]
    fn counts_significant_digits() {
        assert_eq!(significant_digits("989.4"), 4);
        assert_eq!(significant_digits("0.000123"), 3);
        assert_eq!(significant_digits("1e300"), 1);
        assert_eq!(significant_digits("242.00000000000000001"), 20);
        assert_eq!(significant_digits("1_000.5"), 5);
    }

    #[test]
    fn refuses_over_precise_floats_and_positional_tables() {
        assert!(check_spec("x", "name = \"X\"\ncompute = { fp16 = 989.4 }\n").is_ok());
        let e = check_spec(
            "x",
            "name = \"X\"\n[io]\nmemory_bandwidth_gbps = 242.00000000000000001\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 3);
        let e = check_spec("x", "name = \"X\"\nio = [900, 3350]\n").unwrap_err();
        assert!(e.message.contains("must be a table"), "{e}");
        assert!(check_spec("x", "name = \"X\"\ncontains = [[1, 2]]\n").is_err());
        assert!(check_spec(
            "x",
            "name = \"X\"\n[[contains]]\ncount = 1\nspec = [\"X\"]\n"
        )
        .is_err());
        assert!(check_spec("x", "name = \"X\"\naliases = [\"a\", \"b\"]\n").is_ok());
    }
}
