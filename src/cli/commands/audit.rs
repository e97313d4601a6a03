//! `chipcheck audit`: flags resolved into a [`catalogue::Request`], the
//! reports opened, the catalogue read once into all of them, and a progress
//! line on a terminal.

use super::super::args::{AuditArgs, AuditFormat};
use super::super::output;
use super::super::query::{parse_country, parse_date, parse_destinations};
use crate::catalogue::columns::{parse_mapping_flag, read_mapping_file, same_header, Mapping};
use crate::catalogue::{self, Progress, Request};
use crate::config::Config;
use crate::error::Error;
use crate::report::{Gate, Layout, OutputFormat};
use crate::rules::RuleSet;
use jiff::civil::Date;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

impl AuditFormat {
    fn output(self) -> OutputFormat {
        match self {
            AuditFormat::Table => OutputFormat::Table,
            AuditFormat::Csv => OutputFormat::Csv,
            AuditFormat::Json => OutputFormat::Json,
            AuditFormat::Jsonl => OutputFormat::Jsonl,
            AuditFormat::Html => OutputFormat::Html,
        }
    }
}

fn mappings(args: &AuditArgs) -> Result<Vec<Mapping>, Error> {
    let mut mappings = match &args.columns {
        Some(path) => read_mapping_file(path)?,
        None => Vec::new(),
    };
    for flag in &args.column {
        let m = parse_mapping_flag(flag)?;
        mappings.retain(|o| !same_header(&o.header, &m.header));
        mappings.push(m);
    }
    Ok(mappings)
}

/// A catalogue opened for reading: CSV text, or a sheet and its file's hash.
enum Source {
    Text(Box<dyn Read + Send>),
    Sheet(catalogue::sheet::Sheet, String),
}

fn open_catalogue(path: &Path) -> Result<Box<dyn Read + Send>, Error> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(std::io::stdin()));
    }
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    Ok(Box::new(file))
}

/// Runs `chipcheck audit`; returns the exit status.
pub fn run(
    rules: &RuleSet,
    config: &Config,
    args: AuditArgs,
    today: Date,
    out: &mut dyn Write,
) -> Result<i32, Error> {
    let query = args.query.clone().with_defaults(config);
    let gate = Gate {
        fail_on: query.fail_on(config),
        licenses: config.licenses.clone(),
        project_file: config.input_file(),
    };
    let date = parse_date(query.date.as_deref(), today)?;
    let destinations = parse_destinations(&query.to)?;
    let hq = parse_country("--end-user-hq", query.end_user_hq.as_deref())?;
    let mappings = mappings(&args)?;
    let from_stdin = args.catalogue.as_os_str() == "-";
    let name = if from_stdin {
        "<stdin>".to_string()
    } else {
        args.catalogue.display().to_string()
    };
    let mut inputs: Vec<&Path> = args.columns.iter().map(PathBuf::as_path).collect();
    inputs.push(if from_stdin {
        Path::new("-")
    } else {
        &args.catalogue
    });
    inputs.extend(super::read_beside(config, &args.parties));
    let targets = output::targets(
        args.format.output(),
        &args.outputs,
        &inputs,
        rules.directory(),
    )?;
    let full_report = output::full_reports(&targets);
    let spreadsheet = !from_stdin && catalogue::sheet::is_spreadsheet(&args.catalogue);
    if args.sheet.is_some() && !spreadsheet {
        return Err(Error::Usage(format!(
            "--sheet: {name} is not a spreadsheet (.{})",
            catalogue::sheet::EXTENSIONS.join(", .")
        )));
    }
    if spreadsheet
        && (args.input.delimiter.is_some()
            || args.input.encoding != super::super::args::EncodingArg::Utf8)
    {
        return Err(Error::Usage(
            "--delimiter and --encoding are for CSV text; a spreadsheet's cells are read as they are".into(),
        ));
    }
    // Opened before any report is, so an unreadable catalogue writes none.
    let source = if spreadsheet {
        let sheet = catalogue::sheet::Sheet::open(&args.catalogue, args.sheet.as_deref(), &name)?;
        Source::Sheet(sheet, crate::input::file_sha256(&args.catalogue))
    } else {
        Source::Text(open_catalogue(&args.catalogue)?)
    };
    let input_options = args.input.options();
    let (party_check, parties) = super::screen::party_check(&args.parties, config, rules, date)?;
    let party_lists = party_check.lists();
    let request = Request {
        rules,
        date,
        destinations: &destinations,
        hq,
        gate: &gate,
        mappings: &mappings,
        input: &input_options,
        name: &name,
        full_report: &full_report,
        party_check: Some(&party_check),
        parties: &parties,
        party_lists: &party_lists,
    };
    let watched = std::io::stderr().is_terminal()
        && std::env::var_os("CI").is_none()
        && !(std::io::stdout().is_terminal() && targets.iter().any(|t| t.path.is_none()));
    let mut bar = ProgressBar::new();
    let mut show = |p: Progress| bar.show(p);
    // A spreadsheet is read whole before the audit starts.
    let read_ahead = match &source {
        Source::Sheet(..) => true,
        Source::Text(_) => !crate::input::may_wait(&args.catalogue),
    };
    let options = catalogue::Options {
        cache_entries: if args.no_cache { 0 } else { 4096 },
        threads: args.threads.count,
        progress: if watched { Some(&mut show) } else { None },
        read_ahead,
        ..catalogue::Options::default()
    };
    let mut tee = output::open(&targets, Layout::Catalogue, out)?;
    let summary = match source {
        Source::Text(input) => catalogue::audit(&request, input, &mut tee, options)?,
        Source::Sheet(sheet, sha256) => {
            catalogue::audit_sheet(&request, sheet, sha256, &mut tee, options)?
        }
    };
    let complete = tee.commit()?;
    super::classify::warn_licences(&summary.licenses);
    if let Some(facts) = summary
        .input_facts
        .as_ref()
        .filter(|f| !f.sheets_not_read.is_empty())
    {
        eprintln!(
            "error: {}",
            crate::report::cells::printable(&facts.sheets_not_read_line())
        );
    }
    if !complete {
        output::say_not_all_written("the audit");
        return Ok(crate::verdict::exit::ERROR);
    }
    Ok(summary.exit_status)
}

/// A one-line progress display on stderr: rows, rate, elapsed. Shown only
/// once an audit has run for a moment, redrawn a few times a second, and
/// cleared when the audit is done.
struct ProgressBar {
    start: Instant,
    last: Option<Instant>,
    drawn: bool,
}

impl ProgressBar {
    const DELAY: Duration = Duration::from_millis(500);
    const REDRAW: Duration = Duration::from_millis(200);

    fn new() -> Self {
        ProgressBar {
            start: Instant::now(),
            last: None,
            drawn: false,
        }
    }

    fn show(&mut self, p: Progress) {
        if p.done {
            if self.drawn {
                eprint!("\r\x1b[2K");
            }
            return;
        }
        let elapsed = self.start.elapsed();
        if elapsed < Self::DELAY || self.last.is_some_and(|t| t.elapsed() < Self::REDRAW) {
            return;
        }
        self.last = Some(Instant::now());
        let rate = (p.rows as f64 / elapsed.as_secs_f64().max(0.001)) as u64;
        let secs = elapsed.as_secs();
        eprint!(
            "\r\x1b[2Kchipcheck audit: {} rows · {} rows/s · {}:{:02}",
            crate::number::grouped(p.rows.into()),
            crate::number::grouped(rate.into()),
            secs / 60,
            secs % 60
        );
        self.drawn = true;
    }
}
