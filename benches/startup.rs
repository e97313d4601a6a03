//! `cargo bench --bench startup`: the time to start chipcheck and answer a
//! cheap question, against the floor of starting a Rust hello-world.
//!
//! Compiles a hello-world with `rustc -O` in a temporary directory, then
//! runs each command 50 times (in turn, so that a slow moment of the
//! machine falls on all of them alike), output to /dev/null, and prints the
//! mean and the fastest run of each, and their ratio to the hello-world's.
//! `CHIPCHECK_TODAY` is pinned. Set `CHIPCHECK_BENCH_RUNS` for another
//! number of runs. Under `cargo test` (no `--bench`) it is 3 runs each, and
//! without `rustc` on the PATH the hello-world is left out.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Compiles a hello-world into `dir`; `None` (and why, on stderr) when
/// `rustc` is missing or fails.
fn hello_world(dir: &Path) -> Option<PathBuf> {
    let source = dir.join("hello.rs");
    let exe = dir.join("hello");
    std::fs::write(
        &source,
        "fn main() {\n    println!(\"Hello, world!\");\n}\n",
    )
    .ok()?;
    match Command::new("rustc")
        .arg("-O")
        .arg(&source)
        .arg("-o")
        .arg(&exe)
        .status()
    {
        Ok(s) if s.success() => Some(exe),
        Ok(s) => {
            eprintln!("rustc -O hello.rs failed ({s}): no hello-world floor");
            None
        }
        Err(e) => {
            eprintln!("no rustc ({e}): no hello-world floor");
            None
        }
    }
}

struct Case {
    label: String,
    program: PathBuf,
    args: Vec<String>,
    /// The exit statuses that mean it worked.
    ok: &'static [i32],
    times: Vec<Duration>,
}

impl Case {
    fn new(label: &str, program: &Path, args: &[&str], ok: &'static [i32]) -> Case {
        Case {
            label: label.to_string(),
            program: program.to_path_buf(),
            args: args.iter().map(|a| a.to_string()).collect(),
            ok,
            times: Vec::new(),
        }
    }

    fn run(&mut self, cwd: &Path) {
        let start = Instant::now();
        let status = Command::new(&self.program)
            .args(&self.args)
            .current_dir(cwd)
            .env(chipcheck::cli::TODAY_VAR, "2026-12-02")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run");
        self.times.push(start.elapsed());
        let code = status.code().unwrap_or(-1);
        assert!(self.ok.contains(&code), "{}: exit {code}", self.label);
    }

    fn mean(&self) -> Duration {
        self.times.iter().sum::<Duration>() / self.times.len() as u32
    }

    fn min(&self) -> Duration {
        self.times.iter().copied().min().unwrap_or_default()
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let measuring = std::env::args().any(|a| a == "--bench");
    let runs: usize = std::env::var("CHIPCHECK_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if measuring { 50 } else { 3 });
    let dir = tempfile::tempdir().expect("temporary directory");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let exe = Path::new(env!("CARGO_BIN_EXE_chipcheck"));
    let h100 = root.join("examples/h100.toml");
    let h100 = h100.to_str().expect("a UTF-8 path");

    let mut cases = Vec::new();
    if let Some(hello) = hello_world(dir.path()) {
        cases.push(Case::new("hello-world (rustc -O)", &hello, &[], &[0]));
    }
    cases.push(Case::new("chipcheck --version", exe, &["--version"], &[0]));
    cases.push(Case::new(
        "chipcheck schema spec",
        exe,
        &["schema", "spec"],
        &[0],
    ));
    cases.push(Case::new(
        "chipcheck classify examples/h100.toml --to CN",
        exe,
        &["classify", h100, "--to", "CN"],
        &[0, 1, 3],
    ));
    cases.push(Case::new(
        "chipcheck classify --chip H20 --to CN --format json",
        exe,
        &[
            "classify", "--chip", "H20", "--to", "CN", "--format", "json",
        ],
        &[0, 1, 3],
    ));

    println!(
        "{} runs each, {}",
        runs,
        if measuring { "measuring" } else { "smoke run" }
    );
    for _ in 0..runs {
        for case in &mut cases {
            case.run(root);
        }
    }
    let floor = cases
        .iter()
        .find(|c| c.program != exe)
        .map(|c| (c.mean(), c.min()));
    for case in &cases {
        let ratio = match floor {
            Some((mean, min)) => format!(
                "  {:>5.1}x the mean, {:>5.1}x the min of hello-world",
                case.mean().as_secs_f64() / mean.as_secs_f64(),
                case.min().as_secs_f64() / min.as_secs_f64()
            ),
            None => String::new(),
        };
        println!(
            "{:<52} mean {:>7.2} ms  min {:>7.2} ms{ratio}",
            case.label,
            ms(case.mean()),
            ms(case.min())
        );
    }
}
