//! The `chipcheck` binary: parse the flags, run the library, report errors.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = chipcheck::cli::Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match chipcheck::cli::run(cli, &mut out) {
        Ok(status) => ExitCode::from(u8::try_from(status).unwrap_or(2)),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(chipcheck::verdict::exit::ERROR as u8)
        }
    }
}
