//! `cargo bench --bench audit`: the catalogue audit against the floor of
//! reading and writing the same CSV unchanged.
//!
//! Generates a 1,000,000-row catalogue (about 50 distinct chips, repeated,
//! with passthrough columns that differ on every row) in a temporary file,
//! then times (a) the `csv` crate reading every record and writing it back
//! out, and (b) `chipcheck audit --format csv` over the same file, both into
//! a byte-counting sink. Set `CHIPCHECK_BENCH_ROWS` for another size and
//! `CHIPCHECK_BENCH_KEEP=1` to keep the file (for `/usr/bin/time -v`).

use chipcheck::audit::{self, AuditArgs, AuditFormat};
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

/// A writer that only counts.
struct Count(u64);

impl Write for Count {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Rows described by their own figures: name, vendor, fp16, fp8, int8, area, datacenter.
const FIGURE_ROWS: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    (
        "Apex 900", "Acme", "989.4", "1978.9", "1978.9", "814", "yes",
    ),
    ("Apex 700", "Acme", "700", "1400", "", "800", "yes"),
    ("Apex 500", "Acme", "400", "", "800", "600", "yes"),
    ("Apex 300", "Acme", "150", "300", "300", "", "yes"),
    ("Apex 100", "Acme", "40", "", "80", "300", "no"),
    ("Edge 10", "Acme", "5", "", "10", "120", "no"),
    ("Edge 20", "Acme", "12", "", "24", "150", "no"),
    ("Edge 40", "Acme", "25", "50", "50", "", ""),
    ("Nimbus X", "Cirrus", "330", "660", "660", "608.5", "no"),
    ("Nimbus S", "Cirrus", "120", "240", "240", "400", "no"),
    ("Nimbus DC", "Cirrus", "600", "1200", "1200", "750", "yes"),
    (
        "Nimbus DC2",
        "Cirrus",
        "1,200",
        "2,400",
        "2,400",
        "900",
        "yes",
    ),
    ("Stratus 1", "Cirrus", "90", "", "", "", ""),
    ("Stratus 2", "Cirrus", "180", "", "360", "500", ""),
    ("Vega T", "Orion", "250", "500", "", "350", "yes"),
    ("Vega M", "Orion", "100", "", "200", "", "no"),
    ("Vega L", "Orion", "62", "125", "125", "294", "no"),
    ("Lyra 8", "Orion", "", "", "1000", "", "yes"),
    ("Lyra 4", "Orion", "", "", "400", "200", "yes"),
    ("Lyra 2", "Orion", "", "", "150", "180", "no"),
    ("Kappa", "Delta", "2000", "4000", "4000", "1000", "yes"),
    ("Kappa Lite", "Delta", "300", "600", "600", "520", "yes"),
    ("Sigma", "Delta", "45", "90", "90", "230", "no"),
    ("Tau", "Delta", "8", "", "", "90", "no"),
    ("Broken", "Delta", "fast", "", "", "", "maybe"),
];

/// Rows that only name a library chip.
const LIBRARY_ROWS: &[(&str, &str)] = &[
    ("H100 SXM5 80GB", "NVIDIA"),
    ("h100 pcie", "NVIDIA"),
    ("H20", "NVIDIA"),
    ("H200 SXM 141GB", "NVIDIA"),
    ("A100 SXM4 80GB", "NVIDIA"),
    ("a100 pcie", ""),
    ("A800 SXM4 80GB", "NVIDIA"),
    ("L40S", "NVIDIA"),
    ("L4", "NVIDIA"),
    ("L20", "NVIDIA"),
    ("T4", "NVIDIA"),
    ("GeForce RTX 4090", "NVIDIA"),
    ("rtx 4090d", ""),
    ("RTX 5090", "NVIDIA"),
    ("B200", "NVIDIA"),
    ("MI300X", "AMD"),
    ("MI250X", "AMD"),
    ("MI210", "AMD"),
    ("Gaudi 3", "Intel"),
    ("Gaudi 2", "Intel"),
    ("Ascend 910B", "Huawei"),
    ("TPU v5e", "Google"),
    ("Trainium2", "AWS"),
    ("Inferentia2", "AWS"),
    ("Quantum Flux 9000", "Nobody"),
];

fn generate(path: &Path, rows: usize) -> std::io::Result<u64> {
    let file = std::fs::File::create(path)?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    writeln!(
        w,
        "sku,name,vendor,fp16,fp8,int8,area_mm2,datacenter,price_usd,description"
    )?;
    // A cheap deterministic mix (an LCG), skewed towards a few best sellers.
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    for i in 0..rows {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let r = (state >> 33) as usize;
        let pick = if r % 4 == 0 { r % 5 } else { r % 50 };
        let price = 100 + (r % 40_000);
        if pick < FIGURE_ROWS.len() {
            let (n, v, f16, f8, i8, a, dc) = FIGURE_ROWS[pick];
            writeln!(
                w,
                "SKU-{i:07},{n},{v},\"{f16}\",\"{f8}\",\"{i8}\",{a},{dc},{price},\"{n} accelerator card, {} GB\"",
                16 << (r % 4)
            )?;
        } else {
            let (n, v) = LIBRARY_ROWS[pick - FIGURE_ROWS.len()];
            writeln!(w, "SKU-{i:07},{n},{v},,,,,,{price},{n} OEM board")?;
        }
    }
    w.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

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
    let args = AuditArgs {
        catalogue: path.to_path_buf(),
        query: audit::destinations(to, "2024-06-01"),
        input: Default::default(),
        format: AuditFormat::Csv,
        column: Vec::new(),
        columns: None,
        no_cache,
        outputs: Vec::new(),
    };
    let mut out = Count(0);
    let status =
        audit::run(&rules, args, "2024-06-01".parse().expect("date"), &mut out).expect("audit");
    (status, out.0)
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let value = f();
        best = best.min(start.elapsed());
        last = Some(value);
    }
    (best, last.expect("at least one run"))
}

fn per_second(rows: usize, time: Duration) -> f64 {
    rows as f64 / time.as_secs_f64()
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
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
