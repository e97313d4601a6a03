//! The command line: the only code that knows clap, standard output and
//! error, the environment and the clock. Nothing in the library imports it.
//! Each command returns an exit status; errors are typed and reported by
//! `main`.

pub mod args;
pub mod commands;
pub mod output;
pub mod query;

pub use args::*;
pub use query::{parse_country, parse_date, parse_destinations};

use crate::config::Config;
use crate::rules::RuleSet;
use jiff::civil::Date;
use std::io::Write;
use std::path::Path;

// Old paths, kept while the audit and history modules move off them.
pub use crate::error::Error;
pub use crate::input::{file_sha256, read_spec, read_text};
pub use crate::library::{chip as library_chip, resolve_contained};

/// The project file: `--config`, else `chipcheck.toml` found from the
/// working directory upward (no further than the repository root or
/// `$HOME`), else none. A file found above the working directory is named
/// on stderr, so nobody is surprised by whose licences were applied.
pub fn load_config(
    explicit: Option<&Path>,
    disabled: bool,
) -> Result<crate::config::Config, Error> {
    if disabled {
        return Ok(crate::config::Config::default());
    }
    let path = match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => {
            let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
            let cwd = std::env::current_dir().ok();
            let found = cwd
                .as_deref()
                .and_then(|d| crate::config::Config::discover(d, home.as_deref()));
            if let Some(found) = &found {
                if found.parent() != cwd.as_deref() {
                    eprintln!(
                        "note: using the project file {} (found above the working directory)",
                        output::printable(&found.display().to_string())
                    );
                }
            }
            found
        }
    };
    match path {
        Some(p) => Ok(crate::config::Config::load(&p)?),
        None => Ok(crate::config::Config::default()),
    }
}

/// Runs a parsed command line; returns the exit status. The project file
/// and the rules are loaded only for the commands that use them, so `init
/// --force` can replace a broken chipcheck.toml and `man` needs no rules.
pub fn run(cli: Cli, today: Date, out: &mut dyn Write) -> Result<i32, Error> {
    // `rules check` lists a broken rule set's problems; every other command
    // refuses to answer from one.
    let checking_rules = matches!(
        &cli.command,
        Command::Rules(RulesArgs {
            action: Some(RulesAction::Check { .. }),
            ..
        })
    );
    let load = || -> Result<(Config, RuleSet), Error> {
        let config = load_config(cli.config.as_deref(), cli.no_config)?;
        for warning in &config.warnings {
            eprintln!("warning: {}", output::printable(warning));
        }
        let rules_dir = cli.rules.clone().or_else(|| config.rules.clone());
        let rules = load_rules(rules_dir.as_deref())?;
        if rules_dir.is_some() && !checking_rules {
            for warning in crate::rules::check::refuse_errors(&rules)? {
                eprintln!("warning: rules: {}", output::printable(&warning.describe()));
            }
        }
        Ok((config, rules))
    };
    match cli.command {
        Command::Schema { what } => commands::generate::schema(what, out),
        Command::Completions { shell } => commands::generate::completions(shell, out),
        Command::Man { dir } => commands::generate::man(dir.as_deref(), out),
        Command::Init { force } => commands::init::run(force, out),
        Command::Classify(args) => {
            let (config, rules) = load()?;
            commands::classify::run(&rules, &config, args, today, out)
        }
        Command::Rules(args) => commands::rules::run(&load()?.1, args, today, out),
        Command::Chips(args) => commands::chips::run(&load()?.1, args, today, out),
        Command::Timeline(args) => {
            let (config, rules) = load()?;
            commands::timeline::run(&rules, &config, args, today, out)
        }
        Command::Diff(args) => {
            let (config, rules) = load()?;
            commands::diff::run(&rules, &config, args, today, out)
        }
        Command::Audit(args) => {
            let (config, rules) = load()?;
            commands::audit::run(&rules, &config, args, today, out)
        }
        Command::Screen(args) => {
            let config = load_config(cli.config.as_deref(), cli.no_config)?;
            commands::screen::run(&config, args, today, out)
        }
    }
}

/// The rule set of a run: `--rules DIR` (or `rules` in the project file),
/// else the embedded rules, which CI checks before they are built in.
pub fn load_rules(dir: Option<&Path>) -> Result<RuleSet, Error> {
    Ok(match dir {
        Some(d) => RuleSet::from_dir(d)?,
        None => RuleSet::embedded()?,
    })
}

/// The environment variable that pins "today" for a run, so that a run can
/// be reproduced (and tests never depend on the wall clock).
pub const TODAY_VAR: &str = "CHIPCHECK_TODAY";

/// Today's date for one run: `CHIPCHECK_TODAY` when set, else the clock
/// (UTC). Read once per run, by the binary; everything else takes it as a
/// value, so one run uses one date even across midnight.
pub fn today_from(pinned: Option<&str>, clock: impl FnOnce() -> Date) -> Result<Date, Error> {
    match pinned.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => t
            .parse::<Date>()
            .ok()
            .filter(|_| t.len() == 10)
            .ok_or_else(|| {
                Error::Usage(format!(
                    "{TODAY_VAR}: `{t}` is not a date; write YYYY-MM-DD, e.g. 2024-01-15"
                ))
            }),
        None => Ok(clock()),
    }
}

pub(crate) fn write_out(out: &mut dyn Write, text: &str) -> Result<(), Error> {
    let r = out.write_all(text.as_bytes()).and_then(|_| {
        if text.ends_with('\n') {
            Ok(())
        } else {
            out.write_all(b"\n")
        }
    });
    match r {
        // A closed pipe (`| head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::Io {
            path: "<stdout>".into(),
            source: e,
        }),
        Ok(()) => Ok(()),
    }
}
