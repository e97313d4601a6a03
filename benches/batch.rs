//! `cargo bench --bench batch`: `chipcheck classify` over 1,000 spec sheets
//! against the floor of reading and converting the same files.
//!
//! Generates 1,000 spec sheets (TOML, like examples/*.toml: varied names and
//! vendors, figures on both sides of the thresholds, some with a die area or
//! I/O figures, some sparse, a few naming only a library chip) in a
//! temporary directory, then times:
//!
//! - the floor: reading every file, parsing it into a `toml::Value` and
//!   writing that as JSON (serde_json) into a byte-counting sink;
//! - `chipcheck classify <1,000 files> --to CN,SA,AE --format json --date
//!   2024-06-01` in this process, through `chipcheck::cli::run` as the
//!   binary calls it (flags parsed by clap, rules loaded, every report
//!   written), into a byte-counting sink;
//! - each sheet's work through the library (read, hash, parse, evaluate,
//!   pretty JSON) with no pipeline around it, on one thread and split over
//!   every core: what the in-process run adds, and what two cores cost;
//! - the same command line run once as a process (the release binary),
//!   with its peak resident set (`/usr/bin/time -f %M`, when installed);
//! - the listings without `--to` and with `--to all` (every country), run
//!   as a process: time and peak resident set.
//!
//! Set `CHIPCHECK_BENCH_SPECS` for another number of files, and
//! `CHIPCHECK_BENCH_KEEP=1` to keep them (for a profiler). Under `cargo
//! test` (no `--bench`) it is a 30-file smoke run that checks the library
//! and the binary give the same report.

/// The allocator the chipcheck binary uses, so that in-process figures are
/// the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The date every run evaluates on, and the date pinned as "today".
const DATE: &str = "2024-06-01";
mod support;
use support::{best_of, Count};

const TODAY: &str = "2026-12-02";
const DESTINATIONS: &str = "CN,SA,AE";

/// A small deterministic generator (an LCG), so every run classifies the
/// same sheets.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len() as u64) as usize]
    }
}

const FAMILIES: &[&str] = &[
    "Apex", "Nimbus", "Vega", "Lyra", "Kappa", "Sigma", "Stratus", "Edge", "Orion", "Tau",
];
const VARIANTS: &[&str] = &["", " Pro", " SXM", " PCIe", " 80GB", " NVL", " Lite", " X"];
const VENDORS: &[&str] = &["Acme", "Cirrus", "Orion Labs", "Delta Semi", "Example Corp"];
/// Spec sheets that name only a library chip (looked up as the CLI does).
const LIBRARY: &[&str] = &["H100 SXM5 80GB", "H20", "A800 SXM4 80GB", "L40S", "MI300X"];

/// One spec sheet. Dense FP16 throughput is spread over three bands, so
/// that TPP (16 x FP16 TFLOPS) falls below 1,600, between 1,600 and 4,800,
/// and above 4,800; die areas from 100 to 900 mm² put performance density
/// on both sides of 1.6, 3.2 and 5.92.
fn spec_sheet(i: usize, rng: &mut Rng) -> String {
    if rng.below(25) == 0 {
        return format!("name = \"{}\"\n", rng.pick(LIBRARY));
    }
    let mut s = String::new();
    let family = rng.pick(FAMILIES);
    let variant = rng.pick(VARIANTS);
    if rng.below(3) == 0 {
        s.push_str(&format!(
            "# {family} {i}{variant}: generated for the benchmark\n"
        ));
    }
    s.push_str(&format!("name = \"{family} {}{variant}\"\n", 100 + i));
    if rng.below(5) != 0 {
        s.push_str(&format!("vendor = \"{}\"\n", rng.pick(VENDORS)));
    }
    match rng.below(3) {
        0 => s.push_str("datacenter = true\n"),
        1 => s.push_str("datacenter = false\n"),
        _ => {}
    }
    if rng.below(4) == 0 {
        s.push_str(&format!("released = {}\n", 2019 + rng.below(7)));
    }
    let fp16 = match rng.below(3) {
        0 => 1 + rng.below(100),
        1 => 100 + rng.below(300),
        _ => 400 + rng.below(2100),
    };
    let tenths = rng.below(10);
    let sparse = rng.below(6) == 0;
    let scale = if sparse { 2 } else { 1 };
    s.push_str("\n[compute]\n");
    if sparse {
        s.push_str("sparse = true\n");
    }
    s.push_str(&format!("fp16 = {}.{tenths}\n", fp16 * scale));
    if rng.below(2) == 0 {
        s.push_str(&format!("bf16 = {}.{tenths}\n", fp16 * scale));
    }
    if rng.below(2) == 0 {
        s.push_str(&format!("fp8 = {}\n", 2 * fp16 * scale));
    }
    if rng.below(3) != 0 {
        s.push_str(&format!("int8 = {}\n", 2 * fp16 * scale));
    }
    if rng.below(3) == 0 {
        s.push_str(&format!("fp64 = {}\n", 1 + fp16 / 15));
    }
    if rng.below(5) < 3 {
        s.push_str(&format!("\n[die]\narea_mm2 = {}\n", 100 + rng.below(800)));
        if rng.below(4) != 0 {
            s.push_str("non_planar = true\n");
        }
    }
    if rng.below(5) < 2 {
        s.push_str(&format!(
            "\n[io]\ninterconnect_gbps = {}\nmemory_bandwidth_gbps = {}\n",
            100 * (1 + rng.below(18)),
            500 * (1 + rng.below(10))
        ));
    }
    s
}

/// Writes `n` spec sheets into `dir`; their paths, in order.
fn generate(dir: &Path, n: usize) -> Vec<PathBuf> {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    (0..n)
        .map(|i| {
            let path = dir.join(format!("spec-{i:04}.toml"));
            std::fs::write(&path, spec_sheet(i, &mut rng)).expect("write a spec sheet");
            path
        })
        .collect()
}

/// The floor: read every file, parse it into a `toml::Value` and write it
/// out as JSON.
fn floor(paths: &[PathBuf]) -> u64 {
    let mut out = Count(0);
    for path in paths {
        let text = std::fs::read_to_string(path).expect("read");
        let value: toml::Value = toml::from_str(&text).expect("parse");
        serde_json::to_writer(&mut out, &value).expect("write");
        out.write_all(b"\n").expect("write");
    }
    out.0
}

/// Each sheet's whole work through the library, with nothing between
/// sheets: read, hash, parse, evaluate for `DESTINATIONS`, and write each
/// result as pretty JSON (serde_json's own printer). `threads` threads each
/// take a contiguous share. Against the in-process run it shows what the
/// run adds (handing results to the writing thread, writing them in order,
/// screening, the summary), and against one thread what working on two
/// cores in one process costs.
fn split_work(paths: &[PathBuf], threads: usize) -> u64 {
    use chipcheck::engine::{evaluate_all, Subject};
    let rules = chipcheck::RuleSet::embedded().expect("embedded rules");
    let destinations: Vec<&'static chipcheck::country::Country> = DESTINATIONS
        .split(',')
        .map(|c| chipcheck::country::find(c).expect("a country"))
        .collect();
    let date: jiff::civil::Date = DATE.parse().expect("date");
    let work = |share: &[PathBuf]| {
        let mut out = Count(0);
        for path in share {
            let limit = chipcheck::spec::MAX_SPEC_BYTES as u64;
            let text =
                chipcheck::input::read_text(path, limit, "spec sheet").expect("read a sheet");
            let _hash = chipcheck::input::sha256(text.as_bytes());
            // Sheets naming no library chip the library knows fail as the
            // CLI's do: nothing to evaluate.
            let Ok(spec) = chipcheck::input::spec_from_text("bench", &text) else {
                continue;
            };
            let Ok(contained) = chipcheck::library::resolve_contained(&spec) else {
                continue;
            };
            let subject = Subject::new(&spec, "bench", contained);
            for outcome in evaluate_all(&rules, &subject, date, &destinations, None) {
                serde_json::to_writer_pretty(&mut out, &outcome).expect("write");
            }
        }
        out.0
    };
    let share = paths.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = paths
            .chunks(share)
            .map(|part| scope.spawn(move || work(part)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a thread"))
            .sum()
    })
}

/// The classify command line, without the program name.
fn classify_args(paths: &[PathBuf], to: Option<&str>) -> Vec<String> {
    let mut args = vec!["classify".to_string()];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    if let Some(to) = to {
        args.extend(["--to".to_string(), to.to_string()]);
    }
    args.extend(
        ["--format", "json", "--date", DATE, "--no-config"]
            .iter()
            .map(|a| a.to_string()),
    );
    args
}

/// `chipcheck classify ...` in this process, as `main` runs it.
fn in_process(args: &[String], out: &mut dyn Write) -> i32 {
    let cli = chipcheck::cli::Cli::try_parse_from(
        std::iter::once("chipcheck").chain(args.iter().map(String::as_str)),
    )
    .expect("flags");
    let today = TODAY.parse().expect("today");
    chipcheck::cli::run(cli, today, out).expect("classify")
}

/// What one run of the binary gave.
struct Run {
    time: Duration,
    status: i32,
    /// Its standard output, when kept; else empty.
    stdout: Vec<u8>,
    stdout_bytes: u64,
    peak_kib: Option<u64>,
}

fn have_time() -> bool {
    Path::new("/usr/bin/time").exists()
}

/// Runs the binary once, its standard output read into memory (`keep`) or
/// only counted. With `/usr/bin/time` installed the child runs under it,
/// which records the child's peak resident set (`%M`, KiB) in a file.
fn run_binary(args: &[String], dir: &Path, keep: bool) -> Run {
    let exe = env!("CARGO_BIN_EXE_chipcheck");
    let rss_file = dir.join("peak-rss");
    let mut command = if have_time() {
        let mut c = Command::new("/usr/bin/time");
        c.arg("-f").arg("%M").arg("-o").arg(&rss_file).arg(exe);
        c
    } else {
        Command::new(exe)
    };
    command
        .args(args)
        .env(chipcheck::cli::TODAY_VAR, TODAY)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let start = Instant::now();
    let mut child = command.spawn().expect("run chipcheck");
    let mut pipe = child.stdout.take().expect("stdout");
    let mut stdout = Vec::new();
    let stdout_bytes = if keep {
        pipe.read_to_end(&mut stdout).expect("read stdout") as u64
    } else {
        // Counted in 1 MiB reads (`io::copy` reads through a `BufReader`'s
        // buffer): its own 8 KiB ones made this process a third busy one on
        // two cores while `--to all` wrote 423 MiB.
        let mut reader = std::io::BufReader::with_capacity(1 << 20, pipe);
        std::io::copy(&mut reader, &mut Count(0)).expect("read stdout")
    };
    let status = child.wait().expect("wait");
    let time = start.elapsed();
    let peak_kib = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|t| t.lines().last()?.trim().parse().ok());
    std::fs::remove_file(&rss_file).ok();
    Run {
        time,
        status: status.code().unwrap_or(-1),
        stdout,
        stdout_bytes,
        peak_kib,
    }
}

/// The fastest of `runs` runs of the binary (see [`run_binary`]).
fn best_binary_run(args: &[String], dir: &Path, keep: bool, runs: usize) -> Run {
    (0..runs.max(1))
        .map(|_| run_binary(args, dir, keep))
        .min_by_key(|run| run.time)
        .expect("at least one run")
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1 << 20) as f64
}

fn rss(kib: Option<u64>) -> String {
    match kib {
        Some(k) => format!("peak RSS {:.1} MiB", k as f64 / 1024.0),
        None => "peak RSS not measured (no /usr/bin/time)".to_string(),
    }
}

fn main() {
    // `cargo bench` passes `--bench`; without it (`cargo test --all-targets`)
    // this is a quick smoke run, not a measurement.
    let measuring = std::env::args().any(|a| a == "--bench");
    let n: usize = std::env::var("CHIPCHECK_BENCH_SPECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if measuring { 1_000 } else { 30 });
    let runs = if measuring { 5 } else { 1 };
    let dir = tempfile::tempdir().expect("temporary directory");
    let specs = dir.path().join("specs");
    std::fs::create_dir(&specs).expect("mkdir");
    let paths = generate(&specs, n);
    let bytes: u64 = paths
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    println!(
        "{n} spec sheets, {:.0} KiB, in {}",
        bytes as f64 / 1024.0,
        specs.display()
    );

    let (t_floor, floor_bytes) = best_of(runs, || floor(&paths));
    println!(
        "{:<52} {:>9.2?}  {:>6.1} µs/spec  ({:.3} MiB out)",
        "floor (read, toml::Value, serde_json)",
        t_floor,
        t_floor.as_secs_f64() * 1e6 / n as f64,
        mib(floor_bytes)
    );
    let ratio = |t: Duration| t.as_secs_f64() / t_floor.as_secs_f64();

    let args = classify_args(&paths, Some(DESTINATIONS));
    let label = format!("classify --to {DESTINATIONS} --format json");
    let (t_lib, (status, lib_bytes)) = best_of(runs, || {
        let mut out = Count(0);
        let status = in_process(&args, &mut out);
        (status, out.0)
    });
    println!(
        "{:<52} {:>9.2?}  {:>6.1} µs/spec  ({:.2} MiB out, exit {status})  {:.1}x the floor's time",
        format!("{label} (in process)"),
        t_lib,
        t_lib.as_secs_f64() * 1e6 / n as f64,
        mib(lib_bytes),
        ratio(t_lib)
    );

    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (t_one, _) = best_of(runs, || split_work(&paths, 1));
    let (t_split, _) = best_of(runs, || split_work(&paths, cores));
    println!(
        "{:<52} {:>9.2?}  {:>6.1} µs/spec  {:.1}x the floor's time",
        "each sheet's work, no pipeline, 1 thread",
        t_one,
        t_one.as_secs_f64() * 1e6 / n as f64,
        ratio(t_one)
    );
    println!(
        "{:<52} {:>9.2?}  {:>6.1} µs/spec  {:.1}x the floor's time ({:.2}x over one thread)",
        format!("the same, split over {cores} threads"),
        t_split,
        t_split.as_secs_f64() * 1e6 / n as f64,
        ratio(t_split),
        t_one.as_secs_f64() / t_split.as_secs_f64()
    );

    // The binary, best of a few runs; its report must be the library's.
    let bin = best_binary_run(&args, dir.path(), true, runs.min(3));
    println!(
        "{:<52} {:>9.2?}  {:>6.1} µs/spec  ({:.2} MiB out, exit {}, {})  {:.1}x the floor's time",
        format!("{label} (binary)"),
        bin.time,
        bin.time.as_secs_f64() * 1e6 / n as f64,
        mib(bin.stdout_bytes),
        bin.status,
        rss(bin.peak_kib),
        ratio(bin.time)
    );
    assert_eq!(bin.status, status, "the binary's exit status");
    let mut report = Vec::new();
    in_process(&args, &mut report);
    assert!(
        report == bin.stdout,
        "the binary's report differs from the library's"
    );

    // The listings: every destination that needs a licence (no --to), and
    // every country (--to all). Best of a few runs: one run of `--to all`
    // moved from 0.55 to 1.04 s between runs of this bench.
    for (to, label) in [
        (None, "classify --format json (no --to)"),
        (Some("all"), "classify --to all --format json"),
    ] {
        let run = best_binary_run(&classify_args(&paths, to), dir.path(), false, runs.min(3));
        assert!(
            matches!(run.status, 0 | 1 | 3),
            "{label}: exit {}",
            run.status
        );
        println!(
            "{:<52} {:>9.2?}  {:>6.1} µs/spec  ({:.2} MiB out, exit {}, {})  {:.1}x the floor's time",
            format!("{label} (binary)"),
            run.time,
            run.time.as_secs_f64() * 1e6 / n as f64,
            mib(run.stdout_bytes),
            run.status,
            rss(run.peak_kib),
            ratio(run.time)
        );
    }
    if std::env::var_os("CHIPCHECK_BENCH_KEEP").is_some() {
        println!("kept {}", dir.keep().join("specs").display());
    }
}
