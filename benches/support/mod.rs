//! A synthetic catalogue for the benchmarks: about 50 distinct chips (rows
//! with their own figures, rows naming a library chip, a few bad rows),
//! repeated with a skew towards best sellers, and pass-through columns that
//! differ on every row.
// Each bench uses a part of this module.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;

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

pub fn generate(path: &Path, rows: usize) -> std::io::Result<u64> {
    let file = std::fs::File::create(path)?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    writeln!(
        w,
        "sku,name,vendor,fp16,fp8,int8,area_mm2,datacenter,price_usd,description"
    )?;
    // Skewed towards a few best sellers.
    let mut mix = Lcg(0x2545_F491_4F6C_DD1D);
    for i in 0..rows {
        let r = mix.next();
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

/// A catalogue whose every row has its own figures (an engineering
/// spreadsheet, a vendor price list): no two rows share a cache entry, so
/// every row is evaluated.
pub fn generate_distinct(path: &Path, rows: usize) -> std::io::Result<u64> {
    let file = std::fs::File::create(path)?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    writeln!(w, "sku,name,vendor,fp16,int8,area_mm2,datacenter,price_usd")?;
    let mut mix = Lcg(0x9E37_79B9_7F4A_7C15);
    for i in 0..rows {
        let r = mix.next();
        // Throughput from 1 to about 2,500 TFLOPS and die areas from 100 to
        // 900 mm², so rows fall on both sides of every threshold.
        let fp16 = format!("{}.{}", 1 + r % 2500, i % 10);
        let int8 = format!("{}", 2 + (r >> 7) % 5000);
        let area = 100 + (r >> 3) % 800;
        let dc = if r % 3 == 0 { "no" } else { "yes" };
        writeln!(
            w,
            "SKU-{i:07},Part {i},Acme,{fp16},{int8},{area},{dc},{}",
            100 + r % 40_000
        )?;
    }
    w.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

/// A writer that only counts.
pub struct Count(pub u64);

impl std::io::Write for Count {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The best time of `runs` runs of `f`, and the last run's value.
pub fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (std::time::Duration, T) {
    let mut best = std::time::Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let start = std::time::Instant::now();
        let value = f();
        best = best.min(start.elapsed());
        last = Some(value);
    }
    (best, last.expect("at least one run"))
}

/// This process's peak resident set (VmHWM), in KiB.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A cheap deterministic mix (a linear congruential generator): the same
/// catalogue on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}
