//! `chipcheck classify`: spec sheets and library chips, for destinations and
//! a date, into every report asked for, in one pass. A spec that cannot be
//! read gets an `error` result (and the run exits 2); the others are still
//! classified and every report is written.

use super::super::args::ClassifyArgs;
use super::super::output;
use super::super::query::{parse_country, parse_date, parse_destinations};
use crate::country::Country;
use crate::engine::{destinations_or_every, evaluate_many, Asked, Outcome, Standings, Subject};
use crate::error::Error;
use crate::input::read_text;
use crate::library::{chip as library_chip, resolve_contained};
use crate::rules::RuleSet;
use jiff::civil::Date;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The query of one classify run, resolved.
struct Query<'a> {
    rules: &'a RuleSet,
    date: Date,
    hq: Option<&'static Country>,
    /// The destinations as the engine is asked them (`None`: every one).
    destinations: Vec<Option<&'static Country>>,
    /// Where each of them stands, worked out once for the run.
    standings: Standings<'a>,
}

/// One subject to classify: a spec sheet (or `-`) or a library chip.
enum Job<'p> {
    Spec(&'p Path),
    Chip(&'p str),
}

impl Job<'_> {
    /// Whether reading it may keep the reader waiting (standard input, a
    /// FIFO, a device or socket): such a subject is read on the writing
    /// thread, in order, never on a thread the run joins, which a run that
    /// stops early (a report it cannot write) would otherwise wait on.
    fn may_wait(&self) -> bool {
        match self {
            Job::Spec(path) => crate::input::may_wait(path),
            Job::Chip(_) => false,
        }
    }
}

/// What a subject's results need besides the query: screening, the
/// licences on file and the reports' encoders, shared by the threads.
struct Finish<'a> {
    party_check: &'a crate::parties::PartyCheck,
    parties: &'a [crate::screening::Party],
    gate: &'a crate::report::Gate,
    encoders: Vec<Option<crate::report::Encoder>>,
}

/// A subject classified, screened, matched with the licences on file and
/// encoded for every report: what is left is to write it, in order.
struct Done {
    /// The file read and its hash (spec sheets only).
    input: Option<crate::report::InputFile>,
    /// Why the subject could not be read, for standard error.
    failure: Option<String>,
    outcomes: Vec<Outcome>,
    licenses: Vec<crate::config::LicenseUse>,
    /// Each outcome's encoding for each report (see `report::Encoder`).
    pieces: Vec<Vec<Vec<u8>>>,
}

impl Query<'_> {
    /// Classifies one subject: reads it, evaluates it for every
    /// destination, and finishes its results. A subject that cannot be read
    /// gets an `error` result for every destination.
    fn classify(&self, job: &Job<'_>, finish: &Finish<'_>) -> Done {
        let mut input = None;
        let (chip, shown, resolved) = match job {
            Job::Spec(path) => {
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
                    input = Some(crate::report::InputFile {
                        path: shown.clone(),
                        sha256: crate::input::sha256(text.as_bytes()),
                    });
                    crate::input::spec_from_text(&shown, &text)
                });
                let resolved = spec.and_then(|spec| {
                    let contained = resolve_contained(&spec)?;
                    Ok((std::borrow::Cow::Owned(spec), contained))
                });
                (shown.clone(), shown, resolved)
            }
            Job::Chip(name) => {
                let resolved = library_chip(name).map_err(Error::from).and_then(|spec| {
                    let contained = resolve_contained(spec)?;
                    Ok((std::borrow::Cow::Borrowed(spec), contained))
                });
                (name.to_string(), "library".to_string(), resolved)
            }
        };
        let (failure, mut outcomes) = match resolved {
            Ok((spec, contained)) => {
                let subject = Subject::new(&spec, shown, contained);
                let asked = Asked {
                    date: self.date,
                    hq: self.hq,
                    destinations: &self.destinations,
                    explain: true,
                    standings: Some(&self.standings),
                };
                let outcomes = evaluate_many(self.rules, &subject, &asked);
                (None, outcomes)
            }
            Err(e) => (Some(e.to_string()), self.failed(&chip, &shown, &e)),
        };
        finish.party_check.apply(finish.parties, &mut outcomes);
        let licenses = finish.gate.apply_licenses(self.rules, &mut outcomes);
        let pieces = outcomes
            .iter()
            .map(|o| {
                crate::report::encode_for_each(
                    &finish.encoders,
                    &crate::report::Item::of(o, finish.gate),
                )
            })
            .collect();
        Done {
            input,
            failure,
            outcomes,
            licenses,
            pieces,
        }
    }

    /// The `error` results of a subject that could not be read.
    fn failed(&self, chip: &str, input: &str, e: &Error) -> Vec<Outcome> {
        self.destinations
            .iter()
            .map(|&d| {
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
            .collect()
    }
}

/// Results classified ahead of the one being written, at most: memory stays
/// flat however many subjects there are.
const AHEAD_RESULTS: usize = 1024;

/// Results a thread works out before it hands them over: handing over
/// wakes the writing thread, which costs more than a subject or two.
/// (`a_run_that_stops_early_does_not_wait_on_a_fifo_nobody_writes_to` in
/// tests/pipeline.rs places its FIFO by this and `report::tee`'s chunk.)
const PART_RESULTS: usize = 64;

/// Subjects worth a thread: fewer are classified on this thread alone (a
/// thread costs more than classifying a few).
const PARALLEL_FROM: usize = 4;

/// Classifies every spec sheet, then every `--chip` name, and hands each
/// subject's results to `write` in that order. With enough subjects,
/// `threads` threads classify, a part of the subjects at a time, while
/// this one writes. An error from `write` stops the run; one from reading
/// a subject becomes its `error` results.
fn classify_subjects(
    query: &Query,
    args: &ClassifyArgs,
    finish: &Finish<'_>,
    threads: super::super::args::Threads,
    write: &mut dyn FnMut(&mut Done) -> Result<(), Error>,
) -> Result<(), Error> {
    let jobs: Vec<Job> = args
        .specs
        .iter()
        .map(|p| Job::Spec(p))
        .chain(args.chips.iter().map(|c| Job::Chip(c)))
        .collect();
    // Few subjects are not worth asking (the cores are counted from cgroup
    // files). Whether a subject may keep a read waiting is asked by the
    // thread that would read it (see `Job::may_wait`): asked here, it would
    // be a `stat` of every file on this thread before any other starts.
    let threads = if jobs.len() < PARALLEL_FROM.saturating_mul(2) {
        1
    } else {
        threads.resolve().min(jobs.len() / PARALLEL_FROM)
    };
    if threads <= 1 {
        for job in &jobs {
            write(&mut query.classify(job, finish))?;
        }
        return Ok(());
    }
    let per_subject = query.destinations.len();
    let part = PART_RESULTS.checked_div(per_subject).unwrap_or(1).max(1);
    let parts: Vec<&[Job]> = jobs.chunks(part).collect();
    // At most AHEAD_RESULTS ahead, but a part for each thread.
    let ahead = AHEAD_RESULTS
        .checked_div(per_subject.saturating_mul(part))
        .unwrap_or(1)
        .max(threads);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let progress = Progress::default();
    let (send, receive) = std::sync::mpsc::channel::<Classified>();
    std::thread::scope(|scope| {
        let (next, progress, parts) = (&next, &progress, &parts);
        let mut give_back = Vec::new();
        for _ in 0..threads {
            let send = send.clone();
            let (returns, returned) = std::sync::mpsc::channel::<Vec<Option<Done>>>();
            let thread = give_back.len();
            let worker = move || loop {
                // Should this thread panic (a bug), the others stop and the
                // writer stops waiting for its part; the panic is then
                // raised on this thread's join, and the run fails.
                let _stops_the_run = StopOnPanic(progress);
                // What this thread made is freed here: freeing another
                // thread's memory costs both threads more.
                while let Ok(done) = returned.try_recv() {
                    drop(done);
                }
                let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(jobs) = parts.get(n) else { return };
                if !progress.wait_until_within(n, ahead) {
                    return;
                }
                // A subject whose read may wait is left to the writing thread.
                let done = jobs
                    .iter()
                    .map(|job| (!job.may_wait()).then(|| query.classify(job, finish)))
                    .collect();
                if send.send(Classified { n, thread, done }).is_err() {
                    return;
                }
            };
            // No thread to be had: the others, or this one below, do its share.
            if std::thread::Builder::new()
                .spawn_scoped(scope, worker)
                .is_ok()
            {
                give_back.push(returns);
            }
        }
        drop(send);
        let written = write_in_order(&receive, &give_back, parts, query, finish, progress, write);
        // Stops the threads still working whether or not all was written.
        progress.stop();
        drop(receive);
        written
    })
}

/// Takes the threads' parts as they come and writes them in order. What no
/// thread classified (a subject whose read may wait, or a part no thread
/// took because none could be started) is classified here, in its place.
fn write_in_order(
    receive: &std::sync::mpsc::Receiver<Classified>,
    give_back: &[std::sync::mpsc::Sender<Vec<Option<Done>>>],
    parts: &[&[Job<'_>]],
    query: &Query,
    finish: &Finish<'_>,
    progress: &Progress,
    write: &mut dyn FnMut(&mut Done) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut waiting = std::collections::BTreeMap::new();
    for (expected, jobs) in parts.iter().enumerate() {
        let (thread, mut done) = loop {
            if let Some(found) = waiting.remove(&expected) {
                break found;
            }
            match receive.recv() {
                Ok(c) => {
                    waiting.insert(c.n, (Some(c.thread), c.done));
                }
                // Every thread has ended: after a panic, the run fails when
                // the threads are joined; else (no thread could be
                // started) what is left is done here.
                Err(_) if progress.stopped() => return Ok(()),
                Err(_) => break (None, jobs.iter().map(|_| None).collect()),
            }
        };
        // What no thread classified (a subject whose read may wait, or a
        // part no thread took) is classified here, in order.
        for (job, subject) in jobs.iter().zip(&mut done) {
            match subject {
                Some(subject) => write(subject)?,
                None => write(&mut query.classify(job, finish))?,
            }
        }
        progress.written(expected.saturating_add(1));
        // A thread that has ended frees nothing more: dropped here.
        if let Some(back) = thread.and_then(|t| give_back.get(t)) {
            back.send(done).ok();
        }
    }
    Ok(())
}

/// Part `n`'s results, from thread `thread`.
struct Classified {
    n: usize,
    thread: usize,
    /// `None` for a subject left to the writing thread.
    done: Vec<Option<Done>>,
}

/// How far the writing has come, so that no thread classifies more than
/// `ahead` parts past it; and whether the run stopped.
#[derive(Default)]
struct Progress {
    state: std::sync::Mutex<(usize, bool)>,
    moved: std::sync::Condvar,
}

impl Progress {
    fn lock(&self) -> std::sync::MutexGuard<'_, (usize, bool)> {
        // Nothing panics while holding it; a poisoned lock still holds a count.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Waits until part `i` is within `ahead` of the next to write:
    /// false once the run has stopped.
    fn wait_until_within(&self, i: usize, ahead: usize) -> bool {
        let mut state = self.lock();
        while !state.1 && i >= state.0.saturating_add(ahead) {
            state = self
                .moved
                .wait(state)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        !state.1
    }

    fn written(&self, count: usize) {
        self.lock().0 = count;
        self.moved.notify_all();
    }

    fn stop(&self) {
        self.lock().1 = true;
        self.moved.notify_all();
    }

    fn stopped(&self) -> bool {
        self.lock().1
    }
}

/// Stops the run when the thread holding it panics.
struct StopOnPanic<'p>(&'p Progress);

impl Drop for StopOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop();
        }
    }
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
        // Globs that match nothing turn the hook into a silent pass.
        config.spec_files()?;
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
    let (date, destinations) = (
        parse_date(query.date.as_deref(), today)?,
        parse_destinations(&query.to)?,
    );
    let hq = parse_country("--end-user-hq", query.end_user_hq.as_deref())?;
    let destinations = destinations_or_every(&destinations);
    let standings = Standings::new(
        rules,
        &Asked {
            date,
            hq,
            destinations: &destinations,
            explain: true,
            standings: None,
        },
    );
    let resolved = Query {
        rules,
        date,
        hq,
        destinations,
        standings,
    };
    let mut inputs: Vec<&Path> = args.specs.iter().map(PathBuf::as_path).collect();
    inputs.extend(super::read_beside(config, &args.parties));
    let targets = output::targets(
        args.format.into(),
        &args.outputs,
        &inputs,
        rules.directory(),
    )?;
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
    let finish = Finish {
        party_check: &party_check,
        parties: &parties,
        gate: &gate,
        encoders: tally.encoders(),
    };
    let mut inputs = Vec::new();
    let mut failed = false;
    let mut write = |done: &mut Done| -> Result<(), Error> {
        inputs.extend(done.input.take());
        if let Some(why) = &done.failure {
            eprintln!("error: {}", crate::report::cells::terminal_safe(why));
            failed = true;
        }
        tally.add_licenses(&done.licenses);
        for (o, pieces) in done.outcomes.iter().zip(&done.pieces) {
            tally.result(&crate::report::Item::of(o, &gate), Some(pieces))?;
        }
        Ok(())
    };
    classify_subjects(&resolved, &args, &finish, args.threads, &mut write)?;
    let summary = tally.finish(inputs)?;
    let complete = tee.commit()?;
    warn_licences(&summary.licenses);
    if !complete {
        output::say_not_all_written("the run");
        return Ok(crate::verdict::exit::ERROR);
    }
    if failed {
        return Ok(crate::verdict::exit::ERROR);
    }
    Ok(summary.exit_status)
}
