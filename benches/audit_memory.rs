//! `cargo bench --bench audit_memory`: peak memory of a 1,000,000-row audit
//! writing CSV, SARIF, JUnit, GitHub annotations and Markdown at once, each
//! to its own file, as `chipcheck audit --output ...` does. Not a timing:
//! it prints the process's peak resident set (VmHWM) and the report sizes,
//! and fails if the peak reaches 64 MiB. Then the same for a catalogue of
//! distinct rows to every destination (249 explained results a row, one
//! row for every 250 of the first). Set `CHIPCHECK_BENCH_ROWS` for another
//! size; the README's figure is 5,000,000 rows:
//! `CHIPCHECK_BENCH_ROWS=5000000 cargo bench --bench audit_memory` (also
//! run by `benches/run-all`). Under `cargo test` it is a 2,000-row smoke run.

/// The allocator the chipcheck binary uses, so that in-process figures are
/// the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use chipcheck::catalogue::{self, Options, Request};
use chipcheck::report::atomic::AtomicFile;
use chipcheck::report::{format_for, Destination, Gate, Layout, OutputFormat, Style, Tee};

mod support;
use support::peak_rss_kib;

/// The bound the audit promises for these five reports.
const LIMIT_MIB: f64 = 64.0;

fn main() {
    let measuring = std::env::args().any(|a| a == "--bench");
    let rows: usize = std::env::var("CHIPCHECK_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if measuring { 1_000_000 } else { 2_000 });
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("catalogue.csv");
    let size = support::generate(&path, rows).expect("generate the catalogue");
    let rules = chipcheck::RuleSet::embedded().expect("rules");
    let gate = Gate {
        fail_on: chipcheck::verdict::DEFAULT_FAIL_ON.to_vec(),
        licenses: Vec::new(),
        project_file: None,
    };
    let destinations = [
        chipcheck::country::resolve("CN").expect("CN"),
        chipcheck::country::resolve("SA").expect("SA"),
    ];
    let name = path.display().to_string();
    // `CHIPCHECK_BENCH_FORMATS=sarif,junit` measures some of them alone.
    let formats: Vec<OutputFormat> = match std::env::var("CHIPCHECK_BENCH_FORMATS") {
        Ok(list) => list
            .split(',')
            .map(|f| f.parse().expect("format"))
            .collect(),
        Err(_) => vec![
            OutputFormat::Csv,
            OutputFormat::Sarif,
            OutputFormat::Junit,
            OutputFormat::Github,
            OutputFormat::Markdown,
        ],
    };
    let targets: Vec<_> = formats
        .iter()
        .map(|f| dir.path().join(format!("report.{}", f.name())))
        .collect();
    let full: Vec<String> = targets
        .iter()
        .take(1)
        .map(|t| t.display().to_string())
        .collect();
    let request = Request {
        rules: &rules,
        date: "2024-06-01".parse().expect("date"),
        destinations: &destinations,
        hq: None,
        gate: &gate,
        mappings: &[],
        input: &Default::default(),
        name: &name,
        full_report: &full,
        party_check: None,
        parties: &[],
        party_lists: &[],
    };
    let before = peak_rss_kib();
    let mut tee = Tee::default();
    for (format, target) in formats.iter().zip(&targets) {
        tee.add(
            format_for(
                *format,
                Layout::Catalogue,
                Style {
                    colour: false,
                    spill_dir: Some(dir.path().to_path_buf()),
                },
            ),
            Destination::File(AtomicFile::create(target).expect("create")),
        );
    }
    let file = std::fs::File::open(&path).expect("open");
    let summary = catalogue::audit(&request, file, &mut tee, file_options()).expect("audit");
    tee.commit().expect("commit");
    println!(
        "audit of {rows} rows ({:.1} MiB) --to CN,SA: {} results, exit {}",
        size as f64 / (1 << 20) as f64,
        summary.results,
        summary.exit_status
    );
    for (format, target) in formats.iter().zip(&targets) {
        let bytes = std::fs::metadata(target).map(|m| m.len()).unwrap_or(0);
        println!(
            "  {:<9} {:>10.2} MiB",
            format.name(),
            bytes as f64 / (1 << 20) as f64
        );
    }
    if let (Some(start), Some(peak)) = (before, peak_rss_kib()) {
        let peak_mib = peak as f64 / 1024.0;
        println!(
            "peak RSS (VmHWM): {peak_mib:.1} MiB (before the audit: {:.1} MiB; limit {LIMIT_MIB} MiB)",
            start as f64 / 1024.0
        );
        assert!(peak_mib < LIMIT_MIB, "peak RSS {peak_mib:.1} MiB");
    }
    every_destination(&rules, &gate, dir.path(), rows / 250);
}

/// The widest results there are: rows each with their own figures (no cache
/// hit), to every destination (249 results a row, explained, as JSON Lines
/// and CSV at once). What bounds memory here is the audit's batch.
fn every_destination(rules: &chipcheck::RuleSet, gate: &Gate, dir: &std::path::Path, rows: usize) {
    let rows = rows.max(100);
    let path = dir.join("distinct.csv");
    support::generate_distinct(&path, rows).expect("generate");
    let every: Vec<_> = chipcheck::country::all().collect();
    let name = path.display().to_string();
    let request = Request {
        rules,
        date: "2024-06-01".parse().expect("date"),
        destinations: &every,
        hq: None,
        gate,
        mappings: &[],
        input: &Default::default(),
        name: &name,
        full_report: &[],
        party_check: None,
        parties: &[],
        party_lists: &[],
    };
    let (mut jsonl, mut csv) = (std::io::sink(), std::io::sink());
    let mut tee = Tee::default();
    for (format, sink) in [
        (OutputFormat::Jsonl, &mut jsonl),
        (OutputFormat::Csv, &mut csv),
    ] {
        tee.add(
            format_for(format, Layout::Catalogue, Style::default()),
            Destination::Stream(sink),
        );
    }
    let file = std::fs::File::open(&path).expect("open");
    let summary = catalogue::audit(&request, file, &mut tee, file_options()).expect("audit");
    tee.commit().expect("commit");
    if let Some(peak) = peak_rss_kib() {
        let peak_mib = peak as f64 / 1024.0;
        println!(
            "audit of {rows} distinct rows --to all (jsonl and csv): {} results; peak RSS so far {peak_mib:.1} MiB (limit {LIMIT_MIB} MiB)",
            summary.results
        );
        assert!(peak_mib < LIMIT_MIB, "peak RSS {peak_mib:.1} MiB");
    }
}

/// Options for a file, read ahead as the binary reads one.
fn file_options() -> Options<'static> {
    Options {
        read_ahead: true,
        ..Options::default()
    }
}
