//! `chipcheck classify`: spec sheets and library chips, for destinations and
//! a date, into every report asked for, in one pass. A spec that cannot be
//! read gets an `error` result (and the run exits 2); the others are still
//! classified and every report is written.

use super::super::args::ClassifyArgs;
use super::super::output;
use super::super::query::{parse_country, parse_date, parse_destinations};
use crate::country::Country;
use crate::engine::{evaluate_all, Outcome, Subject};
use crate::error::Error;
use crate::input::read_text;
use crate::library::{chip as library_chip, resolve_contained};
use crate::rules::RuleSet;
use crate::spec::ChipSpec;
use jiff::civil::Date;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where each subject's results go as soon as it is classified, so that no
/// run holds more than one subject's results: the hash of each file read,
/// whether any could not be, and the function that writes results.
struct Classified<'e> {
    inputs: Vec<crate::report::InputFile>,
    failed: bool,
    emit: &'e mut dyn FnMut(Vec<Outcome>) -> Result<(), Error>,
}

/// The query of one classify run, resolved.
struct Query<'a> {
    rules: &'a RuleSet,
    date: Date,
    destinations: Vec<&'static Country>,
    hq: Option<&'static Country>,
}

impl Query<'_> {
    /// A subject read whole (its contained chips resolved): its results.
    fn subject(
        &self,
        (spec, contained): (&ChipSpec, Vec<(u32, ChipSpec)>),
        input: &str,
        into: &mut Classified,
    ) -> Result<(), Error> {
        let subject = Subject::new(spec, input.to_string(), contained);
        (into.emit)(evaluate_all(
            self.rules,
            &subject,
            self.date,
            &self.destinations,
            self.hq,
        ))
    }

    /// A subject that could not be read: said on stderr, and an `error`
    /// result in every report.
    fn failed(
        &self,
        chip: &str,
        input: &str,
        e: &Error,
        into: &mut Classified,
    ) -> Result<(), Error> {
        eprintln!(
            "error: {}",
            crate::report::cells::terminal_safe(&e.to_string())
        );
        into.failed = true;
        let outcomes = crate::catalogue::row::destinations_or_every(&self.destinations)
            .into_iter()
            .map(|d| {
                crate::catalogue::row::error_outcome(
                    chip,
                    None,
                    input,
                    &e.to_string(),
                    self.date,
                    d,
                    self.hq,
                )
            })
            .collect();
        (into.emit)(outcomes)
    }
}

/// Classifies every spec sheet and `--chip` name in turn. An error from
/// writing a report stops the run; one from reading a subject becomes its
/// `error` results.
fn classify_subjects(
    query: &Query,
    args: &ClassifyArgs,
    done: &mut Classified,
) -> Result<(), Error> {
    for path in &args.specs {
        let from_stdin = path.as_os_str() == "-";
        let shown = if from_stdin {
            "<stdin>".to_string()
        } else {
            path.display().to_string()
        };
        let read = if from_stdin {
            read_stdin(crate::spec::MAX_SPEC_BYTES as u64)
        } else {
            read_text(path, crate::spec::MAX_SPEC_BYTES as u64, "spec sheet")
        };
        let spec = read.and_then(|text| {
            done.inputs.push(crate::report::InputFile {
                path: shown.clone(),
                sha256: crate::input::sha256(text.as_bytes()),
            });
            crate::input::spec_from_text(&shown, &text)
        });
        let resolved = spec.and_then(|spec| {
            let contained = resolve_contained(&spec)?;
            Ok((spec, contained))
        });
        match resolved {
            Ok((spec, contained)) => query.subject((&spec, contained), &shown, done)?,
            Err(e) => query.failed(&shown, &shown, &e, done)?,
        }
    }
    for name in &args.chips {
        let resolved = library_chip(name).map_err(Error::from).and_then(|spec| {
            let contained = resolve_contained(spec)?;
            Ok((spec, contained))
        });
        match resolved {
            Ok(subject) => query.subject(subject, "library", done)?,
            Err(e) => query.failed(name, "library", &e, done)?,
        }
    }
    Ok(())
}

/// One spec sheet from standard input, bounded like a file.
fn read_stdin(limit: u64) -> Result<String, Error> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| Error::Io {
            path: "<stdin>".into(),
            source,
        })?;
    if bytes.len() as u64 > limit {
        return Err(crate::diagnostic::Diagnostic::new(
            "<stdin>",
            format!("the spec sheet is longer than the limit of {limit} bytes"),
        )
        .into());
    }
    crate::input::text_from_bytes("<stdin>", bytes, "spec sheet")
}

/// The spec sheets to classify: those given (only the ones the project
/// file's `specs` globs match, with `--filter-specs`), else every file the
/// globs match. `None`: nothing to classify (every file given was filtered out).
fn spec_paths(
    config: &crate::config::Config,
    args: &ClassifyArgs,
) -> Result<Option<Vec<PathBuf>>, Error> {
    let no_globs = || {
        Error::Usage(format!(
            "--filter-specs: {} has no `specs` globs; add them under [defaults], e.g. specs = [\"specs/**/*.toml\"]",
            config
                .path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "no chipcheck.toml was found, so it".into())
        ))
    };
    if args.filter_specs {
        if config.specs.is_empty() {
            return Err(no_globs());
        }
        let kept: Vec<PathBuf> = args
            .specs
            .iter()
            .filter(|p| p.as_os_str() != "-" && config.is_spec(p))
            .cloned()
            .collect();
        return Ok((!kept.is_empty() || !args.chips.is_empty()).then_some(kept));
    }
    if !args.specs.is_empty() || !args.chips.is_empty() {
        return Ok(Some(args.specs.clone()));
    }
    if config.specs.is_empty() {
        return Err(Error::Usage(
            "give at least one spec sheet (`-` for standard input) or --chip NAME, or list spec globs in chipcheck.toml: [defaults] specs = [\"specs/**/*.toml\"] (see `chipcheck classify --help`)".into(),
        ));
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let found: Vec<PathBuf> = config
        .spec_files()?
        .into_iter()
        .map(|p| p.strip_prefix(&cwd).map(Path::to_path_buf).unwrap_or(p))
        .collect();
    if found.is_empty() {
        return Err(Error::Usage(format!(
            "the `specs` globs of {} ({}) match no file",
            config
                .path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            config.specs.join(", ")
        )));
    }
    Ok(Some(found))
}

/// Warns on stderr about each licence on file that no result used.
pub fn warn_licences(uses: &[crate::config::LicenseUse]) {
    for u in uses
        .iter()
        .filter(|u| u.status != crate::config::LicenseStatus::Used)
    {
        eprintln!(
            "warning: licence {} on file is {} (expires {})",
            crate::report::cells::printable(&u.number),
            u.status,
            u.expires
        );
    }
}

pub fn run(
    rules: &RuleSet,
    config: &crate::config::Config,
    mut args: ClassifyArgs,
    today: Date,
    out: &mut dyn Write,
) -> Result<i32, Error> {
    match spec_paths(config, &args)? {
        Some(specs) => args.specs = specs,
        None => return Ok(crate::verdict::exit::CLEAR),
    }
    if args.specs.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        return Err(Error::Usage(
            "`-` (standard input) can be given once".into(),
        ));
    }
    let query = args.query.clone().with_defaults(config);
    let gate = crate::report::Gate {
        fail_on: query.fail_on(config),
        licenses: config.licenses.clone(),
        project_file: config.input_file(),
    };
    let resolved = Query {
        rules,
        date: parse_date(query.date.as_deref(), today)?,
        destinations: parse_destinations(&query.to)?,
        hq: parse_country("--end-user-hq", query.end_user_hq.as_deref())?,
    };
    let inputs: Vec<&Path> = args.specs.iter().map(PathBuf::as_path).collect();
    let targets = output::targets(args.format.into(), &args.outputs, &inputs)?;
    let (party_check, parties) =
        super::screen::party_check(&args.parties, config, rules, resolved.date)?;
    let party_lists = party_check.lists();
    let full_report = output::full_reports(&targets);
    let run = crate::report::Run {
        full_report: &full_report,
        party_lists: &party_lists,
        ..crate::report::Run::results(rules, &gate)
    };
    let mut tee = output::open(&targets, crate::report::Layout::Results, out)?;
    let mut tally = crate::report::Tally::new(&mut tee, &run);
    tally.begin()?;
    // Each subject's results are screened, matched with the licences on
    // file and written before the next subject is classified.
    let mut emit = |mut outcomes: Vec<Outcome>| -> Result<(), Error> {
        party_check.apply(&parties, &mut outcomes);
        tally.add_licenses(&gate.apply_licenses(rules, &mut outcomes));
        for o in &outcomes {
            tally.result(&crate::report::Item::of(o, &gate), None)?;
        }
        Ok(())
    };
    let mut classified = Classified {
        inputs: Vec::new(),
        failed: false,
        emit: &mut emit,
    };
    classify_subjects(&resolved, &args, &mut classified)?;
    let (inputs, failed) = (classified.inputs, classified.failed);
    let summary = tally.finish(inputs)?;
    tee.commit()?;
    warn_licences(&summary.licenses);
    if failed {
        return Ok(crate::verdict::exit::ERROR);
    }
    Ok(summary.exit_status)
}
