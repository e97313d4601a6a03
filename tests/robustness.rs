//! Robustness: hostile, broken or odd input never panics. Every case ends in
//! a clean error (an `Err` from the library, exit status 2 and a message on
//! stderr from the binary) or, where the input is valid, an answer.
//!
//! Input classes tried ("lib": `ChipSpec::from_toml`, `RuleSet::from_files`
//! or `audit::run` in-process; "bin": the chipcheck binary). Each ends in a
//! clean error or a valid answer; "fixed" marks the bugs these tests found
//! (fixed in e8de0c9 and kept as regression tests):
//!
//! - random bytes (lossily decoded) and random UTF-8 strings as a spec (lib)
//! - "token soup": random runs of spec keys, table headers, brackets, quotes,
//!   `=`, newlines and odd literals, alone or after a valid spec (lib)
//! - random bytes, random UTF-8 and token soup as an extra rule file (alone
//!   with the country groups, or beside every real rule file) and in place
//!   of country-groups.toml (lib); a broken file in a `--rules` directory
//!   (bin)
//! - a spec over 1 MiB, and one of 8 MiB: refused by size before parsing
//!   (lib, bin)
//! - 100,000 nested arrays `a = [[[...]]]` and 100,000 nested inline tables
//!   `a = {b = {b = ...}}`, under an unknown key and under `notes`/`compute`;
//!   a 100,000-part dotted key and table header: refused by the parser's
//!   depth limit (lib, bin); the message shows a window of the line (fixed:
//!   it echoed the whole 200 KB line)
//! - a 900,000-character line: read (lib); an error on it is short (fixed:
//!   1.8 MB)
//! - huge numbers: 1e16, 1000000000000001, 1e300, 1.7976931348623157e308,
//!   1e400 (overflows f64), 9223372036854775808 (i64::MAX + 1),
//!   79228162514264337593543950336 (Decimal::MAX + 1): refused (lib, bin);
//!   the message quotes the literal (fixed: 1e300 was spelled out in 301
//!   digits)
//! - the largest figures accepted (10^15) with a 1e-27 mm² die: no overflow
//!   (lib)
//! - 30 significant digits: refused (fixed: silently rounded through f64,
//!   which could cross a threshold); tiny numbers (1e-20, 1e-30, 5e-324): no
//!   panic (lib)
//! - negative zero (`-0.0`, `-0`, `+0`, `-0e0`) reads as 0; a `-0.0` die area
//!   is refused as zero; negative figures are refused (lib)
//! - `inf`, `+inf`, `-inf`, `nan`, `+nan`, `-nan`: refused (lib, bin)
//! - duplicate keys, a table twice, a table inline and as a header, a key
//!   then a table of the same name: refused, located (lib, bin)
//! - every key of the format given each of 13 wrong-typed values (string,
//!   integer, negative, float, bool, date, time, empty and non-empty arrays,
//!   inline tables, arrays of tables): refused, located (lib); a table given
//!   as an array is refused (fixed: `io = [900, 3350]` was read positionally)
//! - an empty file, whitespace only, a comment only, a lone BOM: refused as
//!   missing `name` (lib, bin)
//! - a UTF-8 byte-order mark: accepted (lib, bin)
//! - CRLF line endings: accepted, same answer as LF, errors located the same
//!   (lib, bin); a bare CR (even a file of one `\r` byte) or an unterminated
//!   string in a CRLF file: a clean error (fixed: a panic in
//!   `Diagnostic::at`, exit 101)
//! - Windows-1252 bytes: refused as not UTF-8, naming the offset (bin);
//!   decoded lossily, a valid spec (lib)
//! - NUL, DEL, ANSI escapes, a right-to-left override, U+FFFD inside and
//!   outside strings (lib)
//! - `contains` systems nested 10, 100 and 1,000 deep (lib)
//! - catalogues for `chipcheck audit` (bin): a row of a million cells (a row
//!   error), a million-character cell, headers of 100,000 and 1,000,000
//!   columns with no `name` column (a short message; fixed: 8.9 MB listing
//!   every header), an empty file, a header only, BOM + CRLF, bare CRs,
//!   Windows-1252, an unterminated quote, huge numbers, nan/inf/-0, NUL
//!   bytes, duplicate columns
//! - "fuzz smoke": 3,000 deterministic byte-level mutations (bit flips,
//!   inserted bytes and dictionary tokens, deleted and duplicated ranges,
//!   splices with other files, swapped lines, replaced numbers) of every
//!   example, library chip, rule file, catalogue and test fixture, then
//!   parsed, evaluated and rendered as table and JSON (lib), rule sets used
//!   to classify library chips (lib), catalogues audited (lib); 24 through
//!   the binary (bin)
//!
//! The error messages for a handful of these are pinned as snapshots
//! (tests/snapshots/robustness__*.snap).

mod common;

use chipcheck::engine::{evaluate_all, Subject};
use chipcheck::{country, ChipSpec, RuleSet};
use common::chipcheck;
use proptest::prelude::*;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");
const FIXTURES: &str = "tests/fixtures/robustness";

/// Classifies a spec file with the binary; returns (exit code, stderr).
fn classify_file(path: &str) -> (i32, String) {
    let out = chipcheck()
        .args(["classify", path, "--to", "CN", "--date", "2024-06-01"])
        .output()
        .expect("run chipcheck");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Exit status 2 and an `error:` on stderr, nothing else.
fn assert_clean_error(path: &str) -> String {
    let (code, stderr) = classify_file(path);
    assert_eq!(code, 2, "{path}: exit {code}, stderr:\n{stderr}");
    assert!(stderr.starts_with("error: "), "{path}: stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{path}: {stderr}");
    stderr
}

/// A scratch directory for generated inputs, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("chipcheck-robustness-{}-{tag}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch dir");
        Scratch(dir)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).expect("write scratch file");
        path.display().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Parses a spec and, when it loads, evaluates and renders it: nothing on
/// the way may panic.
fn parse_and_use(text: &str) {
    let Ok(spec) = ChipSpec::from_toml("fuzz.toml", text) else {
        return;
    };
    let Ok(contained) = chipcheck::library::resolve_contained(&spec) else {
        return;
    };
    let subject = Subject::new(&spec, "fuzz", contained);
    let rules = common::rules();
    let dest = country::find("CN").expect("CN");
    let outcomes = evaluate_all(rules, &subject, common::date("2024-06-01"), &[dest], None);
    let _ = chipcheck::report::table(rules, &outcomes);
    let _ = chipcheck::report::json(rules, &outcomes);
}

// ----- random input (proptest) -------------------------------------------

/// Pieces of spec and rule syntax, and literals that have broken parsers.
const TOKENS: &[&str] = &[
    "name",
    "vendor",
    "datacenter",
    "kind",
    "aliases",
    "notes",
    "released",
    "compute",
    "die",
    "io",
    "contains",
    "source",
    "sparse",
    "tpp",
    "unit",
    "fp64",
    "fp16",
    "tf32",
    "fp8",
    "int8",
    "fp4",
    "area_mm2",
    "non_planar",
    "package_area_mm2",
    "interconnect_gbps",
    "memory_bandwidth_gbps",
    "count",
    "chip",
    "spec",
    "id",
    "all",
    "any",
    "paragraph",
    "exclusion",
    "license_requirement",
    "exception",
    "eligible",
    "destinations",
    "except",
    "headquartered_in",
    "in_force",
    "schema",
    "[compute]",
    "[[compute.unit]]",
    "[die]",
    "[io]",
    "[[contains]]",
    "[contains.spec]",
    "[[paragraph]]",
    "[[exception]]",
    "[[exception.eligible]]",
    " = ",
    "=",
    "\n",
    "\r\n",
    " ",
    "[",
    "]",
    "{",
    "}",
    ",",
    ".",
    "\"",
    "'",
    "\"\"\"",
    "#",
    "\"X\"",
    "\"H100 SXM5 80GB\"",
    "true",
    "false",
    "0",
    "-0",
    "-0.0",
    "1",
    "-1",
    "300",
    "4800",
    "1e300",
    "1e400",
    "-1e400",
    "nan",
    "inf",
    "-inf",
    "1e-30",
    "0.1",
    "9223372036854775808",
    "79228162514264337593543950336",
    "1.23456789012345678901234567890",
    "2024-06-01",
    "1979-05-27T07:32:00Z",
    "\"tpp >= 4800\"",
    "\"performance_density < 5.92\"",
    "\"D:1\"",
    "\"CN\"",
    "\u{feff}",
    "\0",
    "\u{7f}",
    "é",
    "💾",
];

fn token_soup() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(TOKENS.to_vec()), 0..80)
        .prop_map(|t| t.concat())
}

/// A spec that starts valid, then has soup appended.
fn valid_then_soup() -> impl Strategy<Value = String> {
    token_soup()
        .prop_map(|soup| format!("name = \"X\"\ndatacenter = true\n[compute]\nfp16 = 300\n{soup}"))
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..512)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        any::<String>(),
        token_soup(),
        valid_then_soup(),
    ]
}

/// The real rule files, read from `rules/` (what build.rs compiles in).
fn rule_files() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(Path::new(MANIFEST).join("rules"))
        .expect("rules/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("rule file");
            (p.file_name().unwrap().to_string_lossy().into_owned(), text)
        })
        .collect();
    files.sort();
    files
}

fn groups_file() -> (String, String) {
    rule_files()
        .into_iter()
        .find(|(n, _)| n == "country-groups.toml")
        .expect("country-groups.toml")
}

/// Runs `f`; a panic fails the case, with its message.
fn no_panic(f: impl FnOnce()) -> Result<(), TestCaseError> {
    catch_unwind(AssertUnwindSafe(f))
        .map_err(|p| TestCaseError::fail(format!("panicked: {}", panic_message(&*p))))
}

proptest! {
    #![proptest_config(common::proptest_config(256))]

    #[test]
    fn random_text_as_a_spec_never_panics(text in any_text()) {
        no_panic(|| parse_and_use(&text))?;
    }

    #[test]
    fn random_bytes_as_a_spec_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        no_panic(|| parse_and_use(&String::from_utf8_lossy(&bytes)))?;
    }
}

proptest! {
    #![proptest_config(common::proptest_config(96))]

    /// Only the groups and a random file: the random file must be refused
    /// (or, by a fluke, be a rule version), never panic.
    #[test]
    fn random_extra_rule_file_never_panics(text in any_text(), with_real in any::<bool>()) {
        let mut files = if with_real { rule_files() } else { vec![groups_file()] };
        files.push(("extra.toml".into(), text));
        no_panic(|| {
            let _ = RuleSet::from_files("fuzz", files);
        })?;
    }

    #[test]
    fn random_country_groups_never_panic(text in any_text()) {
        let mut files = rule_files();
        for f in files.iter_mut().filter(|(n, _)| n == "country-groups.toml") {
            f.1 = text.clone();
        }
        no_panic(|| {
            let _ = RuleSet::from_files("fuzz", files);
        })?;
    }
}

#[test]
fn random_rule_file_in_a_rules_directory_is_exit_2() {
    let dir = Scratch::new("rules-dir");
    for (name, text) in rule_files() {
        dir.write(&name, text.as_bytes());
    }
    dir.write("zz-garbage.toml", b"id = [[[ \xff\xfe not toml");
    let out = chipcheck()
        .args(["--rules", dir.0.to_str().unwrap(), "rules"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("error: "), "{stderr}");
}

// ----- size and depth ----------------------------------------------------

#[test]
fn a_spec_over_1_mib_is_refused_by_size() {
    let big = format!(
        "name = \"X\"\nnotes = [\"{}\"]\n",
        "x".repeat(chipcheck::spec::MAX_SPEC_BYTES)
    );
    let started = Instant::now();
    let e = ChipSpec::from_toml("big.toml", &big).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    insta::assert_snapshot!("spec_over_1_mib", e.to_string());

    let dir = Scratch::new("big");
    // Many megabytes: refused before it is read.
    let path = dir.write("big.toml", &vec![b'#'; 8 << 20]);
    let stderr = assert_clean_error(&path);
    assert!(
        stderr.contains("8388608 bytes; the limit is 1048576"),
        "{stderr}"
    );
}

fn nested_arrays(key: &str, depth: usize) -> String {
    format!(
        "name = \"X\"\n{key} = {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    )
}

fn nested_tables(key: &str, depth: usize) -> String {
    format!(
        "name = \"X\"\n{key} = {}1{}\n",
        "{b = ".repeat(depth),
        "}".repeat(depth)
    )
}

#[test]
fn deep_nesting_is_a_clean_error() {
    let depth = 100_000;
    let dotted = format!("name = \"X\"\n{} = 1\n", vec!["a"; depth].join("."));
    let header = format!("name = \"X\"\n[{}]\n", vec!["a"; depth].join("."));
    let cases = [
        ("arrays", nested_arrays("a", depth)),
        ("arrays-in-notes", nested_arrays("notes", depth)),
        ("tables", nested_tables("a", depth)),
        ("tables-in-compute", nested_tables("compute", depth)),
        ("dotted-key", dotted),
        ("table-header", header),
    ];
    let dir = Scratch::new("deep");
    for (what, text) in &cases {
        assert!(
            text.len() < chipcheck::spec::MAX_SPEC_BYTES,
            "{what} is under the size limit"
        );
        let e = ChipSpec::from_toml("deep.toml", text).expect_err(what);
        assert!(!e.message.is_empty(), "{what}");
        if *what == "arrays" {
            insta::assert_snapshot!(
                "deep_arrays",
                format!("{} at {}:{}", e.message, e.line, e.column)
            );
        }
        let path = dir.write(&format!("{what}.toml"), text.as_bytes());
        assert_clean_error(&path);
    }
}

/// Fixed in e8de0c9: an error on a long line echoed the whole line and
/// padded the caret to its column (a 200 KB message for 100,000 nested
/// arrays, 1.8 MB for a 900 KB line); the snippet is now a window.
#[test]
fn errors_on_long_lines_are_bounded() {
    for text in [
        nested_arrays("a", 100_000),
        format!("name = \"X\"\nnotes = [\"{}\", 5]\n", "x".repeat(900_000)),
    ] {
        let e = ChipSpec::from_toml("long.toml", &text).unwrap_err();
        let shown = e.to_string();
        assert!(shown.len() < 4096, "error message is {} bytes", shown.len());
    }
}

#[test]
fn a_long_line_is_read() {
    let text = format!("name = \"X\"\nnotes = [\"{}\"]\n", "x".repeat(900_000));
    let spec = ChipSpec::from_toml("long.toml", &text).expect("a long note is fine");
    assert_eq!(spec.notes[0].len(), 900_000);
}

#[test]
fn deeply_nested_systems_do_not_overflow() {
    // `contains` specs nest inside one another; the TOML depth limit stops
    // them long before the stack does.
    for depth in [10, 100, 1_000] {
        let mut text = String::from("name = \"S0\"\n");
        let mut prefix = String::new();
        for i in 0..depth {
            prefix.push_str(if i == 0 { "contains" } else { ".contains" });
            text.push_str(&format!("[[{prefix}]]\ncount = 1\n"));
            prefix.push_str(".spec");
            text.push_str(&format!("[{prefix}]\nname = \"S{}\"\n", i + 1));
        }
        text.push_str("compute = { fp16 = 400 }\n");
        parse_and_use(&text);
    }
}

// ----- catalogues (chipcheck audit) --------------------------------------

/// Runs `chipcheck audit` on a file with the binary: (exit code, stderr),
/// or `None` while the audit is not built.
fn audit_file(path: &str) -> Option<(i32, String)> {
    let out = chipcheck()
        .args([
            "audit",
            path,
            "--to",
            "CN,DE",
            "--date",
            "2024-06-01",
            "--format",
            "jsonl",
        ])
        .timeout(Duration::from_secs(120))
        .output()
        .expect("run chipcheck audit");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if stderr.contains("not built yet") || stderr.contains("unexpected argument '--format'") {
        eprintln!("chipcheck audit is not built yet: catalogue case skipped");
        return None;
    }
    Some((out.status.code().unwrap_or(-1), stderr))
}

fn wide_catalogue(what: &str, cells: usize) -> String {
    match what {
        "row" => format!(
            "name,fp16,area_mm2\nWide,400,800{}\n",
            ",1".repeat(cells - 3)
        ),
        "header" => {
            let header: Vec<String> = (0..cells).map(|i| format!("c{i}")).collect();
            format!("{}\nX\n", header.join(","))
        }
        _ => format!("name,fp16\n\"{}\",400\n", "x".repeat(cells)),
    }
}

#[test]
fn a_catalogue_line_of_a_million_cells_is_handled() {
    let dir = Scratch::new("catalogue");
    // A million cells in a row or a cell; a header of 100,000 here (a
    // million takes about 5 s to refuse in a debug build: see below).
    for (what, cells) in [("row", 1_000_000), ("header", 100_000), ("cell", 1_000_000)] {
        let path = dir.write(
            &format!("{what}.csv"),
            wide_catalogue(what, cells).as_bytes(),
        );
        let started = Instant::now();
        let Some((code, stderr)) = audit_file(&path) else {
            return;
        };
        assert!(
            matches!(code, 0..=3),
            "{what}: exit {code}\n{}",
            clip(&stderr)
        );
        assert!(!stderr.contains("panicked"), "{what}: {}", clip(&stderr));
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{what}: {:?}",
            started.elapsed()
        );
        assert!(
            stderr.len() < 64 << 10,
            "{what}: {} bytes of stderr",
            stderr.len()
        );
    }
}

/// Fixed in e8de0c9: the help listed every header (an 8.9 MB message).
#[test]
fn a_million_column_header_error_is_bounded() {
    let dir = Scratch::new("catalogue-header");
    let path = dir.write("header.csv", wide_catalogue("header", 1_000_000).as_bytes());
    if let Some((code, stderr)) = audit_file(&path) {
        assert_eq!(code, 2);
        assert!(
            stderr.len() < 4096,
            "{} bytes of stderr: {}",
            stderr.len(),
            clip(&stderr)
        );
    }
}

fn clip(text: &str) -> String {
    text.chars().take(600).collect()
}

#[test]
fn odd_catalogues_are_handled() {
    let dir = Scratch::new("odd-catalogues");
    let cases: [(&str, &[u8]); 10] = [
        ("empty", b""),
        ("header-only", b"name,fp16\n"),
        ("bom-crlf", b"\xef\xbb\xbfname,fp16\r\nX,400\r\n"),
        ("bare-cr", b"name,fp16\rX,400\r"),
        ("windows-1252", b"name,fp16\nCaf\xe9,400\n"),
        ("unterminated-quote", b"name,fp16\n\"X,400\n"),
        (
            "huge-number",
            b"name,fp16,area_mm2\nX,1e300,79228162514264337593543950336\n",
        ),
        ("nan-inf", b"name,fp16,area_mm2\nX,nan,inf\nY,-0,-inf\n"),
        ("nul", b"name,fp16\nX\0,4\x0000\n"),
        ("duplicate-columns", b"name,name,fp16,fp16\nX,Y,1,2\n"),
    ];
    for (what, bytes) in cases {
        let path = dir.write(&format!("{what}.csv"), bytes);
        let Some((code, stderr)) = audit_file(&path) else {
            return;
        };
        assert!(matches!(code, 0..=3), "{what}: exit {code}\n{stderr}");
        assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    }
}

// ----- numbers -----------------------------------------------------------

fn figure_error(literal: &str) -> Result<rust_decimal::Decimal, String> {
    let src = format!("name = \"X\"\n[compute]\nfp16 = {literal}\n");
    ChipSpec::from_toml("n.toml", &src)
        .map(|s| s.compute[0].figures[&chipcheck::precision::Precision::Fp16])
        .map_err(|e| {
            assert_eq!(e.line, 3, "{literal}: error located on the figure: {e}");
            e.message.clone()
        })
}

#[test]
fn huge_numbers_are_refused() {
    for lit in [
        "1e300",
        "1e16",
        "1000000000000001",
        "79228162514264337593543950336",
        "9223372036854775808",
        "1e400",
        "1.7976931348623157e308",
    ] {
        let e = figure_error(lit).expect_err(lit);
        assert!(
            e.contains("too large")
                || e.contains("not a finite")
                || e.contains("invalid")
                || e.contains("overflowed")
                || e.contains("significant digits"),
            "{lit}: {e}"
        );
    }
    insta::assert_snapshot!("figure_1e16", figure_error("1e16").unwrap_err());
    insta::assert_snapshot!(
        "figure_decimal_max_plus_one",
        figure_error("79228162514264337593543950336").unwrap_err()
    );
    assert_clean_error(&format!("{FIXTURES}/huge.toml"));
    // The largest accepted figure still evaluates without overflow.
    parse_and_use("name = \"X\"\ndatacenter = true\n[compute]\nfp64 = 1e15\nint4 = 1e15\n[die]\narea_mm2 = 0.000000000000000000000000001\n[io]\ninterconnect_gbps = 1e15\nmemory_bandwidth_gbps = 1e15\n");
}

/// Fixed in e8de0c9: the message spelled 1e300 out in 301 digits.
#[test]
fn huge_number_error_quotes_the_literal() {
    let e = figure_error("1e300").unwrap_err();
    assert!(e.len() < 120, "{e}");
}

#[test]
fn many_digits_and_tiny_numbers_do_not_panic() {
    for lit in [
        "1.23456789012345678901234567890",
        "123456789012345.678901234567890",
        "0.000000000000000000000000000001",
        "1e-20",
        "1e-30",
        "5e-324",
    ] {
        // Refused when it has more digits than are read exactly
        // (properties.rs: regression_long_literal_is_not_silently_rounded);
        // never a panic.
        if let Err(e) = figure_error(lit) {
            assert!(!e.is_empty(), "{lit}");
        }
        parse_and_use(&format!(
            "name = \"X\"\n[compute]\nfp16 = {lit}\n[die]\narea_mm2 = {lit}\n"
        ));
    }
}

#[test]
fn negative_zero_is_zero_and_negatives_are_refused() {
    for lit in ["-0.0", "-0", "+0", "0.0", "-0e0"] {
        let v = figure_error(lit).expect(lit);
        assert!(v.is_zero() && !v.is_sign_negative(), "{lit} -> {v}");
    }
    for lit in ["-1", "-0.1", "-1e-10"] {
        let e = figure_error(lit).expect_err(lit);
        assert!(e.contains("negative"), "{lit}: {e}");
    }
    // A zero die area is refused even when written as negative zero.
    let e = ChipSpec::from_toml("z.toml", "name = \"X\"\n[die]\narea_mm2 = -0.0\n").unwrap_err();
    assert!(e.message.contains("greater than zero"), "{e}");
}

#[test]
fn non_finite_figures_are_refused() {
    for lit in ["inf", "+inf", "-inf", "nan", "+nan", "-nan"] {
        let e = figure_error(lit).expect_err(lit);
        assert!(
            e.contains("not a finite number") || e.contains("negative"),
            "{lit}: {e}"
        );
    }
    insta::assert_snapshot!("figure_nan", figure_error("nan").unwrap_err());
    assert_clean_error(&format!("{FIXTURES}/nan.toml"));
}

// ----- structure ---------------------------------------------------------

#[test]
fn duplicate_keys_are_refused() {
    for src in [
        "name = \"X\"\nname = \"Y\"\n",
        "name = \"X\"\n[compute]\nfp16 = 1\nfp16 = 2\n",
        "name = \"X\"\n[compute]\nfp16 = 1\n[compute]\nfp8 = 2\n",
        "name = \"X\"\ndie = { area_mm2 = 800 }\n[die]\nnon_planar = true\n",
        "name = \"X\"\n[die]\narea_mm2 = 1\n[die.area_mm2]\n",
    ] {
        let e = ChipSpec::from_toml("dup.toml", src).expect_err(src);
        assert!(e.line > 1, "{src}: located: {e}");
    }
    let stderr = assert_clean_error(&format!("{FIXTURES}/duplicate-key.toml"));
    insta::assert_snapshot!("duplicate_key_bin", stderr);
}

/// Every key of the format, given a value of every wrong type.
#[test]
fn wrong_types_everywhere_are_refused() {
    let keys: &[(&str, &str)] = &[
        ("", "name"),
        ("", "vendor"),
        ("", "kind"),
        ("", "aliases"),
        ("", "datacenter"),
        ("", "released"),
        ("", "notes"),
        ("", "jurisdiction_note"),
        ("", "compute"),
        ("", "die"),
        ("", "io"),
        ("", "source"),
        ("", "contains"),
        ("compute", "sparse"),
        ("compute", "tpp"),
        ("compute", "unit"),
        ("compute", "fp16"),
        ("compute", "int4"),
        ("die", "area_mm2"),
        ("die", "non_planar"),
        ("die", "package_area_mm2"),
        ("io", "interconnect_gbps"),
        ("io", "memory_bandwidth_gbps"),
    ];
    let values = [
        "\"text\"",
        "12",
        "-3",
        "1.5",
        "true",
        "1979-05-27",
        "07:32:00",
        "[]",
        "[1, 2]",
        "[\"a\"]",
        "{}",
        "{ x = 1 }",
        "[{ y = 2 }]",
    ];
    let mut accepted = Vec::new();
    for (table, key) in keys {
        for value in values {
            let src = if table.is_empty() {
                if *key == "name" {
                    format!("name = {value}\n")
                } else {
                    format!("name = \"X\"\n{key} = {value}\n")
                }
            } else {
                format!("name = \"X\"\n[{table}]\nfp8 = 1\n{key} = {value}\n")
            };
            let result = catch_unwind(|| ChipSpec::from_toml("types.toml", &src));
            match result {
                Err(_) => panic!("panic on {src:?}"),
                Ok(Ok(_)) => accepted.push(format!("{table}.{key} = {value}")),
                Ok(Err(e)) => assert!(e.line > 0, "{src:?}: unlocated error {e}"),
            }
        }
    }
    // What is accepted is exactly the right-typed values (and integers
    // where a figure or `released` is wanted).
    let expected = [
        ".name = \"text\"",
        ".vendor = \"text\"",
        ".aliases = []",
        ".aliases = [\"a\"]",
        ".datacenter = true",
        ".released = 12",
        ".notes = []",
        ".notes = [\"a\"]",
        ".jurisdiction_note = \"text\"",
        ".die = {}",
        ".io = {}",
        ".source = []",
        ".contains = []",
        "compute.sparse = true",
        "compute.tpp = 12",
        "compute.tpp = 1.5",
        "compute.unit = []",
        "compute.fp16 = 12",
        "compute.fp16 = 1.5",
        "compute.int4 = 12",
        "compute.int4 = 1.5",
        "die.area_mm2 = 12",
        "die.area_mm2 = 1.5",
        "die.non_planar = true",
        "die.package_area_mm2 = 12",
        "die.package_area_mm2 = 1.5",
        "io.interconnect_gbps = 12",
        "io.interconnect_gbps = 1.5",
        "io.memory_bandwidth_gbps = 12",
        "io.memory_bandwidth_gbps = 1.5",
    ];
    let unexpected: Vec<&String> = accepted
        .iter()
        .filter(|a| !expected.contains(&a.as_str()))
        .collect();
    assert!(unexpected.is_empty(), "accepted: {unexpected:#?}");
    let e = ChipSpec::from_toml("types.toml", "name = \"X\"\ncompute = [1, 2]\n").unwrap_err();
    insta::assert_snapshot!("compute_as_an_array", e.to_string());
}

/// Fixed in e8de0c9: a table given as an array was read positionally
/// (`io = [900, 3350]` as interconnect 900, memory bandwidth 3350).
#[test]
fn tables_given_as_arrays_are_refused() {
    for src in [
        "name = \"X\"\nio = [900, 3350]\n",
        "name = \"X\"\ndie = [814, true]\n",
        "name = \"X\"\ndie = [814]\n",
    ] {
        let r = ChipSpec::from_toml("arrays.toml", src);
        assert!(
            r.is_err(),
            "{src:?} accepted: {:?}",
            r.map(|s| (
                s.die_area_mm2,
                s.non_planar,
                s.interconnect_gbps,
                s.memory_bandwidth_gbps
            ))
        );
    }
}

#[test]
fn empty_and_comment_only_files_are_refused() {
    for src in ["", "   \n\t\n", "# just a comment\n", "\u{feff}"] {
        let e = ChipSpec::from_toml("empty.toml", src).expect_err(src);
        assert!(e.message.contains("name"), "{src:?}: {e}");
    }
    let stderr = assert_clean_error(&format!("{FIXTURES}/empty.toml"));
    insta::assert_snapshot!("empty_file_bin", stderr);
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let plain = ChipSpec::from_toml("a.toml", "name = \"X\"\ncompute = { fp16 = 400 }\n").unwrap();
    let bom =
        ChipSpec::from_toml("a.toml", "\u{feff}name = \"X\"\ncompute = { fp16 = 400 }\n").unwrap();
    assert_eq!(bom.name, plain.name);
    assert_eq!(bom.computed_tpp(), plain.computed_tpp());
    let (code, stderr) = classify_file(&format!("{FIXTURES}/bom.toml"));
    assert_eq!(code, 1, "{stderr}");
}

#[test]
fn crlf_line_endings_parse_the_same() {
    let lf = std::fs::read_to_string(Path::new(MANIFEST).join("examples/h100.toml")).unwrap();
    let crlf = lf.replace('\n', "\r\n");
    let a = ChipSpec::from_toml("h100.toml", &lf).unwrap();
    let b = ChipSpec::from_toml("h100.toml", &crlf).unwrap();
    assert_eq!(
        common::verdict(&a, "CN", "2024-06-01"),
        common::verdict(&b, "CN", "2024-06-01")
    );
    assert_eq!(a.computed_tpp(), b.computed_tpp());
    assert_eq!(a.die_area_mm2, b.die_area_mm2);
    // An error in a CRLF file is located the same way (and shows no `\r`).
    let e = ChipSpec::from_toml("crlf.toml", "name = \"X\"\r\ndatacentre = true\r\n").unwrap_err();
    assert_eq!((e.line, e.column), (2, 1));
    assert!(!e.to_string().contains('\r'), "{e:?}");
    let (code, stderr) = classify_file(&format!("{FIXTURES}/crlf.toml"));
    assert_eq!(code, 1, "{stderr}");
}

/// Inputs whose error lands on a carriage return that ends a line (a bare
/// CR, or an unterminated string in a CRLF file).
const CR_CASES: [&str; 5] = [
    "\r",
    "name = \"X\"\r",
    "name = \"X\r\n",
    "name = \"X\"\n[die]\narea_mm2 = 800\r",
    "# Saved 00\r\n[die]\r\n\narea_mm2 = 800\r",
];

/// Fixed in e8de0c9: `Diagnostic::at` panicked (`clamp` with min > max)
/// when a parse error started on a line-ending CR. The fuzz smoke and
/// `cargo fuzz` both found it; the smallest input is the one byte `\r`.
#[test]
fn error_at_a_carriage_return_is_clean() {
    for src in CR_CASES {
        let r = catch_unwind(|| ChipSpec::from_toml("cr.toml", src));
        match r {
            Ok(Err(e)) => assert!(e.line >= 1, "{src:?}: {e}"),
            Ok(Ok(_)) => panic!("{src:?} accepted"),
            Err(p) => panic!("{src:?}: panicked: {}", panic_message(&*p)),
        }
    }
}

#[test]
fn error_at_a_carriage_return_is_exit_2_from_the_binary() {
    let dir = Scratch::new("cr");
    for (i, src) in CR_CASES.iter().enumerate() {
        let path = dir.write(&format!("cr-{i}.toml"), src.as_bytes());
        assert_clean_error(&path);
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "<non-string panic>".into())
}

#[test]
fn windows_1252_bytes_are_a_clean_error() {
    let stderr = assert_clean_error(&format!("{FIXTURES}/windows-1252.toml"));
    insta::assert_snapshot!("windows_1252_bin", stderr);
    // Decoded lossily, the text is a valid spec whose name holds U+FFFD.
    let bytes =
        std::fs::read(Path::new(MANIFEST).join(FIXTURES).join("windows-1252.toml")).unwrap();
    let spec = ChipSpec::from_toml("w.toml", &String::from_utf8_lossy(&bytes)).unwrap();
    assert!(spec.name.contains('\u{fffd}'));
}

#[test]
fn control_characters_do_not_panic() {
    for src in [
        "name = \"X\0Y\"\n",
        "name = \"X\"\0\n",
        "\0",
        "name = \"\u{7f}\u{1b}[31m\"\n",
        "name = \"X\"\n\u{1b}[2J = 1\n",
        "name = \"\\u0000\"\ndatacenter = true\ncompute = { fp16 = 400 }\n",
        "name = \"\u{202e}evil\"\ncompute = { fp16 = 400 }\n",
        "name = \"\u{fffd}\u{fffd}\"\ncompute = { fp16 = 400 }\n",
    ] {
        parse_and_use(src);
    }
}

// ----- fuzz smoke --------------------------------------------------------

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Every seed file: examples, library chips, rule files, test fixtures.
fn corpus() -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.metadata().is_ok_and(|m| m.len() < 256 << 10) {
                out.push(p);
            }
        }
    }
    let root = Path::new(MANIFEST);
    let mut paths = Vec::new();
    for dir in ["examples", "rules", "tests/fixtures"] {
        walk(&root.join(dir), &mut paths);
    }
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            let rel = p.strip_prefix(root).unwrap_or(&p).display().to_string();
            Some((rel, bytes))
        })
        .collect()
}

const DICTIONARY: &[&[u8]] = &[
    b"[",
    b"]",
    b"{",
    b"}",
    b"\"",
    b"'",
    b"=",
    b"\n",
    b",",
    b".",
    b"#",
    b"-",
    b"1e400",
    b"nan",
    b"-0.0",
    b"0",
    b"4800",
    b"9223372036854775808",
    b"[[compute.unit]]\n",
    b"[die]\n",
    b"area_mm2 = 0\n",
    b"tpp = ",
    b"sparse = true\n",
    b"datacenter = false\n",
    b"count = 0\n",
    b"contains = [{ chip = \"H100\", count = 4294967295 }]\n",
    b"[[paragraph]]\n",
    b"all = [\"tpp >= \"]\n",
    b"\"D:9\"",
    b"\"ZZ\"",
    b"2024-02-30",
    b"\xef\xbb\xbf",
    b"\xff",
    b"\0",
    b"\r\n",
];

fn mutate(rng: &mut Rng, data: &[u8], corpus: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = data.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = out.len();
        match rng.below(8) {
            0 if len > 0 => {
                let i = rng.below(len);
                out[i] ^= 1 << rng.below(8);
            }
            1 => {
                let i = rng.below(len + 1);
                out.insert(i, rng.next() as u8);
            }
            2 => {
                let i = rng.below(len + 1);
                let token = DICTIONARY[rng.below(DICTIONARY.len())];
                out.splice(i..i, token.iter().copied());
            }
            3 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below(32.min(len - i));
                out.drain(i..i + n);
            }
            4 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below(64.min(len - i));
                let piece: Vec<u8> = out[i..i + n].to_vec();
                let at = rng.below(len + 1);
                out.splice(at..at, piece);
            }
            5 => {
                // Splice: our head, another file's tail.
                let other = &corpus[rng.below(corpus.len())].1;
                let cut = rng.below(len + 1);
                let from = rng.below(other.len() + 1);
                out.truncate(cut);
                out.extend_from_slice(&other[from..]);
            }
            6 => {
                // Swap two lines.
                let text = String::from_utf8_lossy(&out).into_owned();
                let mut lines: Vec<&str> = text.split('\n').collect();
                if lines.len() > 1 {
                    let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
                    lines.swap(a, b);
                }
                out = lines.join("\n").into_bytes();
            }
            _ => {
                // Replace a run of digits with an interesting number.
                let digits: Vec<usize> = (0..len).filter(|i| out[*i].is_ascii_digit()).collect();
                if let Some(&i) = digits.get(rng.below(digits.len())) {
                    let end = (i..len).find(|j| !out[*j].is_ascii_digit()).unwrap_or(len);
                    let n = [
                        &b"0"[..],
                        b"1e400",
                        b"99999999999999999999",
                        b"-1",
                        b"0.0000001",
                    ][rng.below(5)];
                    out.splice(i..end, n.iter().copied());
                }
            }
        }
    }
    out
}

/// `chipcheck audit` on `bytes`, in-process, through the library: the
/// audit reads any `Read`, here the bytes themselves, into every format at
/// once. Any result but a panic is fine.
fn audit_in_process(_scratch: &Scratch, bytes: &[u8]) {
    use chipcheck::report::{format_for, Destination, Gate, Layout, OutputFormat, Style, Tee};
    let gate = Gate {
        fail_on: chipcheck::verdict::DEFAULT_FAIL_ON.to_vec(),
        licenses: Vec::new(),
        project_file: None,
    };
    let destinations = [
        chipcheck::country::resolve("CN").unwrap(),
        chipcheck::country::resolve("DE").unwrap(),
    ];
    let request = chipcheck::catalogue::Request {
        rules: common::rules(),
        date: common::date("2024-06-01"),
        destinations: &destinations,
        hq: None,
        gate: &gate,
        mappings: &[],
        input: &Default::default(),
        name: "catalogue.csv",
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
    let input = std::io::Cursor::new(bytes.to_vec());
    let options = chipcheck::catalogue::Options::default();
    let _ = chipcheck::catalogue::audit(&request, input, &mut tee, options);
}

fn is_rule_file(path: &str) -> bool {
    path.starts_with("rules/") || path.contains("/rules-")
}

fn smoke_iterations() -> usize {
    std::env::var("FUZZ_SMOKE_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000)
}

/// Mutated seeds through the parsers, the engine and the renderers: no
/// panic. A failing input is written under target/ and named in the
/// failure.
#[test]
fn fuzz_smoke() {
    let corpus = corpus();
    assert!(corpus.len() > 50, "corpus has {} files", corpus.len());
    let rules = rule_files();
    let iterations = smoke_iterations();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let started = Instant::now();
    let mut failures = Vec::new();
    let (mut specs_ok, mut rule_sets_ok) = (0, 0);
    let scratch = Scratch::new("smoke");
    let chips = [
        common::lib("H100 SXM5 80GB"),
        common::lib("H20"),
        common::lib("RTX 4090"),
    ];
    for i in 0..iterations {
        let (path, seed) = &corpus[rng.below(corpus.len())];
        let bytes = mutate(&mut rng, seed, &corpus);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let rule_file = is_rule_file(path) && i % 4 == 0;
        let result = catch_unwind(AssertUnwindSafe(|| {
            if rule_file {
                let mut files = rules.clone();
                let name = Path::new(path)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                match files.iter_mut().find(|(n, _)| *n == name) {
                    Some(f) => f.1 = text.clone(),
                    None => files.push((name, text.clone())),
                }
                if let Ok(set) = RuleSet::from_files("fuzz", files) {
                    rule_sets_ok += 1;
                    // One chip per rule set, in turn.
                    for chip in chips.iter().skip(i % chips.len()).take(1) {
                        let subject = Subject::chip(chip, "fuzz");
                        for (on, to) in [("2024-06-01", "CN"), ("2025-06-01", "SA")] {
                            let dest = country::find(to).unwrap();
                            let o = evaluate_all(&set, &subject, common::date(on), &[dest], None);
                            let _ = chipcheck::report::json(&set, &o);
                        }
                    }
                }
            } else if path.ends_with(".csv") {
                if i % 4 == 0 {
                    audit_in_process(&scratch, &bytes);
                }
            } else if !is_rule_file(path) {
                if ChipSpec::from_toml("fuzz.toml", &text).is_ok() {
                    specs_ok += 1;
                }
                if i % 4 == 0 {
                    parse_and_use(&text);
                }
            }
        }));
        if let Err(payload) = result {
            let message = panic_message(&*payload);
            let dir = Path::new(MANIFEST).join("target/fuzz-smoke-failures");
            let _ = std::fs::create_dir_all(&dir);
            let file = dir.join(format!("{i}.toml"));
            let _ = std::fs::write(&file, &bytes);
            failures.push(format!(
                "iteration {i}, seed {path}: {message}; input saved to {}",
                file.display()
            ));
        }
    }
    eprintln!(
        "fuzz smoke: {iterations} inputs in {:.1?}; {specs_ok} specs and {rule_sets_ok} rule sets loaded",
        started.elapsed()
    );
    assert!(failures.is_empty(), "panics:\n{}", failures.join("\n"));
    // The mutations keep enough inputs valid to reach the engine.
    assert!(
        specs_ok > iterations / 20,
        "only {specs_ok} mutated specs loaded"
    );
}

/// A few mutated specs through the binary: exit 0-3, never a crash.
#[test]
fn fuzz_smoke_binary() {
    let corpus: Vec<(String, Vec<u8>)> = corpus()
        .into_iter()
        .filter(|(p, _)| !is_rule_file(p))
        .collect();
    let dir = Scratch::new("bin-smoke");
    let mut rng = Rng(0x0dd_b1a5_ed5e_ed01);
    for i in 0..24 {
        let (path, seed) = &corpus[rng.below(corpus.len())];
        let bytes = mutate(&mut rng, seed, &corpus);
        let file = dir.write(&format!("{i}.toml"), &bytes);
        let format = if i % 2 == 0 { "table" } else { "json" };
        let out = chipcheck()
            .args([
                "classify",
                &file,
                "--to",
                "CN,DE",
                "--date",
                "2024-06-01",
                "--format",
                format,
            ])
            .output()
            .expect("run");
        let code = out.status.code();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            matches!(code, Some(0..=3)),
            "{path} mutated ({file}): exit {code:?}\n{stderr}"
        );
    }
}
