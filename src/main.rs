//! The `chipcheck` binary: parse the flags, run the library, report errors.

use anyhow::Context;
use clap::Parser;
use std::process::ExitCode;

/// An audit allocates many short-lived strings on every core; mimalloc
/// serves them with less work than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit status after an interrupt (128 + SIGINT, as shells report it).
const INTERRUPTED: i32 = 130;

fn run() -> anyhow::Result<i32> {
    let cli = chipcheck::cli::Cli::parse();
    chipcheck::report::atomic::before_first_temporary(on_interrupt_remove_temporaries);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // The one clock read of the run (or the pinned date, to reproduce one).
    let pinned = std::env::var(chipcheck::cli::TODAY_VAR).ok();
    let today = chipcheck::cli::today_from(pinned.as_deref(), || {
        jiff::Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date()
    })?;
    chipcheck::cli::run(cli, today, &mut out).context("chipcheck could not finish")
}

/// Ctrl-C, SIGTERM or SIGHUP: remove every report still being written, so
/// no partial report is left and an earlier one stays as it was. Installed
/// before the first report file is (the handler runs on a thread of its own).
fn on_interrupt_remove_temporaries() {
    let _ = ctrlc::set_handler(|| {
        chipcheck::report::atomic::remove_temporaries();
        std::process::exit(INTERRUPTED);
    });
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
            // Messages quote inputs (file names, cells): no escape sequence
            // from them reaches the terminal.
            eprintln!("error: {}", chipcheck::report::cells::terminal_safe(&root));
            ExitCode::from(chipcheck::verdict::exit::ERROR as u8)
        }
    }
}
