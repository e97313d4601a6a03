//! The `chipcheck` binary: parse the flags, run the library, report errors.

use anyhow::Context;
use clap::Parser;
use std::process::ExitCode;

fn run() -> anyhow::Result<i32> {
    let cli = chipcheck::cli::Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    chipcheck::cli::run(cli, &mut out).context("chipcheck could not finish")
}

fn main() -> ExitCode {
    match run() {
        Ok(status) => ExitCode::from(u8::try_from(status).unwrap_or(2)),
        Err(error) => {
            // The library's error says what and where; the context line is noise.
            let root = error
                .chain()
                .nth(1)
                .map(|e| e.to_string())
                .unwrap_or_else(|| error.to_string());
            eprintln!("error: {root}");
            ExitCode::from(chipcheck::verdict::exit::ERROR as u8)
        }
    }
}
