//! `--format` and `--output`: which reports a run writes and where, checked
//! before anything is read or written (never over an input, never two
//! reports to one file), then opened as one [`Tee`].

use super::Error;
use crate::report::atomic::{check_outputs, same_file, AtomicFile};
pub use crate::report::cells::{printable, terminal_safe};
use crate::report::{format_for, Destination, Layout, OutputFormat, OutputTarget, Style, Tee};
use std::io::Write;
use std::path::Path;

/// Should people's output be coloured? Only on a terminal, and never when
/// `NO_COLOR` is set to anything (https://no-color.org).
pub fn colour_wanted() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// Every report of the run: the `--output` targets, and `--format` on
/// standard output unless an `--output` already goes there.
pub fn targets(
    format: OutputFormat,
    outputs: &[OutputTarget],
    inputs: &[&Path],
    rules_dir: Option<&Path>,
) -> Result<Vec<OutputTarget>, Error> {
    let stdout_targets = outputs.iter().filter(|t| t.path.is_none()).count();
    if stdout_targets > 1 {
        return Err(Error::Usage(
            "--output: more than one report to standard output; give all but one a path".into(),
        ));
    }
    let files: Vec<&Path> = outputs.iter().filter_map(|t| t.path.as_deref()).collect();
    // Standard input redirected from a file is that file: `audit - <
    // cat.csv --output csv=cat.csv` had replaced the catalogue. (A pipe is
    // no file, and matches none.)
    if inputs.contains(&Path::new("-")) {
        if let Some(file) = files.iter().find(|f| same_file(Path::new(STDIN), f)) {
            return Err(Error::Usage(format!(
                "--output {}: standard input is read from that file; chipcheck never writes over an input",
                file.display()
            )));
        }
    }
    check_outputs(inputs, &files)?;
    files
        .iter()
        .try_for_each(|file| never_over_the_setup(file, rules_dir))?;
    let mut all = outputs.to_vec();
    if stdout_targets == 0 {
        all.push(OutputTarget { format, path: None });
    }
    Ok(all)
}

/// Standard input as a path, for the file it may be redirected from.
const STDIN: &str = "/dev/stdin";

/// Refuses a report under a project file's name (loaded by this run or not:
/// the next run would read the report as its project file, licences and
/// all) or in the rules directory this run reads (the next run would read
/// it as a rule file, or find one replaced).
fn never_over_the_setup(file: &Path, rules_dir: Option<&Path>) -> Result<(), Error> {
    if file.file_name() == Some(std::ffi::OsStr::new(crate::config::CONFIG_FILE)) {
        return Err(Error::Usage(format!(
            "--output {}: {} is the project file's name; a report is never written under it",
            file.display(),
            crate::config::CONFIG_FILE
        )));
    }
    let parent = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let in_rules = rules_dir.is_some_and(|dir| {
        match (std::fs::canonicalize(parent), std::fs::canonicalize(dir)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    });
    if in_rules {
        return Err(Error::Usage(format!(
            "--output {}: that is in the rules directory this run reads; write reports elsewhere",
            file.display()
        )));
    }
    Ok(())
}

/// The files that hold every result, for formats that stop at a limit.
pub fn full_reports(targets: &[OutputTarget]) -> Vec<String> {
    targets
        .iter()
        .filter(|t| {
            matches!(
                t.format,
                OutputFormat::Csv | OutputFormat::Jsonl | OutputFormat::Json
            )
        })
        .filter_map(|t| t.path.as_ref().map(|p| p.display().to_string()))
        .collect()
}

/// Opens every target: files as temporary files beside their targets.
pub fn open<'w>(
    targets: &[OutputTarget],
    layout: Layout,
    stdout: &'w mut dyn Write,
) -> Result<Tee<'w>, Error> {
    let mut tee = Tee::default();
    let mut stdout = Some(stdout);
    for t in targets {
        match &t.path {
            Some(path) => {
                // SARIF and JUnit keep their results beside the report.
                let dir = match path.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                    _ => std::path::PathBuf::from("."),
                };
                let style = Style {
                    colour: false,
                    spill_dir: Some(dir),
                };
                tee.add(
                    format_for(t.format, layout, style),
                    Destination::File(AtomicFile::create(path)?),
                )
            }
            None => {
                let style = Style {
                    colour: colour_wanted(),
                    spill_dir: Some(std::env::temp_dir()),
                };
                if let Some(out) = stdout.take() {
                    tee.add(
                        format_for(t.format, layout, style),
                        Destination::Stream(out),
                    );
                }
            }
        }
    }
    Ok(tee)
}

/// Says that standard output closed before the run wrote every result
/// (`| head`): `run` has not passed, whatever its results were.
pub fn say_not_all_written(run: &str) {
    eprintln!(
        "error: not every result could be written (standard output was closed); {run} has not passed"
    );
}
