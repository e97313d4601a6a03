//! `cargo bench --bench audit`: the catalogue audit against the floor of
//! reading and writing the same CSV unchanged.
//!
//! Generates a 1,000,000-row catalogue (about 50 distinct chips, repeated,
//! with passthrough columns that differ on every row) in a temporary file,
//! then times (a) the `csv` crate reading every record and writing it back
//! out, and (b) `chipcheck audit --format csv` over the same file, both into
//! a byte-counting sink. Set `CHIPCHECK_BENCH_ROWS` for another size and
//! `CHIPCHECK_BENCH_KEEP=1` to keep the file (for `/usr/bin/time -v`).

/// The allocator the chipcheck binary uses, so that in-process figures are
/// the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use chipcheck::catalogue::{self, Options, Request};
use chipcheck::report::{format_for, Destination, Gate, Layout, OutputFormat, Style, Tee};
use std::path::Path;
use std::time::{Duration, Instant};

mod support;
use support::{best_of, generate, generate_distinct, peak_rss_kib, Count};

/// The floor: read every record and write it back out unchanged.
fn floor(path: &Path) -> (u64, u64) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_path(path)
        .expect("open");
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_writer(Count(0));
    let mut record = csv::ByteRecord::new();
    let mut rows = 0;
    while reader.read_byte_record(&mut record).expect("read") {
        writer.write_byte_record(&record).expect("write");
        rows += 1;
    }
    writer.flush().expect("flush");
    let bytes = writer.get_ref().0;
    (rows - 1, bytes)
}

fn audit_once(path: &Path, to: &[&str], no_cache: bool) -> (i32, u64) {
    let rules = chipcheck::RuleSet::embedded().expect("rules");
    let gate = Gate {
        fail_on: chipcheck::verdict::DEFAULT_FAIL_ON.to_vec(),
        licenses: Vec::new(),
        project_file: None,
    };
    let destinations: Vec<_> = to
        .iter()
        .map(|c| chipcheck::country::resolve(c).expect("country"))
        .collect();
    let name = path.display().to_string();
    let request = Request {
        rules: &rules,
        date: "2024-06-01".parse().expect("date"),
        destinations: &destinations,
        hq: None,
        gate: &gate,
        mappings: &[],
        input: &Default::default(),
        name: &name,
        full_report: &[],
        party_check: None,
        parties: &[],
        party_lists: &[],
    };
    let mut out = Count(0);
    let mut tee = Tee::default();
    tee.add(
        format_for(OutputFormat::Csv, Layout::Catalogue, Style::default()),
        Destination::Stream(&mut out),
    );
    // A file: read ahead, as the binary reads one.
    let options = Options {
        cache_entries: if no_cache { 0 } else { 4096 },
        read_ahead: true,
        ..Options::default()
    };
    let file = std::fs::File::open(path).expect("open");
    let summary = catalogue::audit(&request, file, &mut tee, options).expect("audit");
    tee.commit().expect("commit");
    (summary.exit_status, out.0)
}

fn per_second(rows: usize, time: Duration) -> f64 {
    rows as f64 / time.as_secs_f64()
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument is a filter we ignore.
    // `cargo test --all-targets` runs this binary too, without `--bench`:
    // then it is a quick smoke run that the code still works, not a measurement.
    let measuring = std::env::args().any(|a| a == "--bench");
    let rows: usize = std::env::var("CHIPCHECK_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if measuring { 1_000_000 } else { 2_000 });
    let path =
        std::env::temp_dir().join(format!("chipcheck-bench-audit-{}.csv", std::process::id()));
    let start = Instant::now();
    let size = generate(&path, rows).expect("generate the catalogue");
    println!(
        "catalogue: {rows} rows, {:.1} MiB, generated in {:.2?} ({})",
        size as f64 / (1 << 20) as f64,
        start.elapsed(),
        path.display()
    );

    let (t_floor, (n, floor_bytes)) = best_of(5, || floor(&path));
    assert_eq!(n, rows as u64);
    let floor_rate = per_second(rows, t_floor);
    println!(
        "floor  (csv read + write, unchanged):      {:>8.0?}  {:>12.0} rows/s  ({:.1} MiB out)",
        t_floor,
        floor_rate,
        floor_bytes as f64 / (1 << 20) as f64
    );

    let mut lines = Vec::new();
    for (label, to, no_cache) in [
        ("audit --to CN --format csv", &["CN"][..], false),
        (
            "audit --to CN,SA,AE --format csv",
            &["CN", "SA", "AE"][..],
            false,
        ),
    ] {
        let (t, (status, bytes)) = best_of(5, || audit_once(&path, to, no_cache));
        let rate = per_second(rows, t);
        let line = format!(
            "{label:<42} {:>8.0?}  {:>12.0} rows/s  ({:.1} MiB out, exit {status})  {:.2}x the floor's time",
            t,
            rate,
            bytes as f64 / (1 << 20) as f64,
            t.as_secs_f64() / t_floor.as_secs_f64()
        );
        println!("{line}");
        lines.push(line);
    }
    // Five results a row on the same catalogue.
    let five = ["CN", "SA", "AE", "DE", "IN"];
    let (t, (status, _)) = best_of(3, || audit_once(&path, &five, false));
    println!(
        "{:<42} {:>8.0?}  {:>12.0} rows/s  (exit {status})  {:.2}x the floor's time",
        "audit --to CN,SA,AE,DE,IN --format csv",
        t,
        per_second(rows, t),
        t.as_secs_f64() / t_floor.as_secs_f64()
    );
    distinct_rows(measuring);

    // Without the cache, on a slice: every row is evaluated.
    let slice = 20_000.min(rows);
    let small = std::env::temp_dir().join(format!(
        "chipcheck-bench-audit-{}-small.csv",
        std::process::id()
    ));
    generate(&small, slice).expect("generate");
    let (t_cached, _) = best_of(1, || audit_once(&small, &["CN"], false));
    let (t_uncached, _) = best_of(1, || audit_once(&small, &["CN"], true));
    println!(
        "cache on {slice} rows --to CN: {:.0} rows/s with, {:.0} rows/s without ({:.0}x)",
        per_second(slice, t_cached),
        per_second(slice, t_uncached),
        t_uncached.as_secs_f64() / t_cached.as_secs_f64()
    );
    std::fs::remove_file(&small).ok();

    if let Some(kib) = peak_rss_kib() {
        println!(
            "peak RSS of this benchmark process (VmHWM): {:.1} MiB",
            kib as f64 / 1024.0
        );
    }
    if std::env::var_os("CHIPCHECK_BENCH_KEEP").is_some() {
        println!("kept {}", path.display());
    } else {
        std::fs::remove_file(&path).ok();
    }
}

/// Every row its own figures: evaluation, not the cache, is what is timed.
fn distinct_rows(measuring: bool) {
    let rows = if measuring { 200_000 } else { 2_000 };
    let path = std::env::temp_dir().join(format!(
        "chipcheck-bench-distinct-{}.csv",
        std::process::id()
    ));
    generate_distinct(&path, rows).expect("generate");
    let (t_floor, _) = best_of(3, || floor(&path));
    let (t, (status, _)) = best_of(3, || audit_once(&path, &["CN"], false));
    println!(
        "distinct rows ({rows}): floor {:>8.0?}; audit --to CN {:>8.0?}  {:>10.0} rows/s  {:.1} µs/row  (exit {status})  {:.1}x the floor's time",
        t_floor,
        t,
        per_second(rows, t),
        t.as_secs_f64() * 1e6 / rows as f64,
        t.as_secs_f64() / t_floor.as_secs_f64()
    );
    std::fs::remove_file(&path).ok();
}
