//! The catalogue audit as a library: a reader in, one result per row and
//! destination out to a `report::Report`, in one pass and in bounded memory.
//! No flags, no standard streams, no clock: the caller resolves the request
//! (rules, date, destinations, headquarters, gate, column mappings, how the
//! file is written) and passes any `Read` (a file, a pipe, a FIFO, bytes in
//! memory).
//!
//! Catalogues repeat products, so the answer for a row, with the bytes each
//! report encodes for it, is cached by the cells that decide it: a repeated
//! row costs a hash lookup, and the output is byte-for-byte the same as
//! without the cache.

use super::records::Item as Record;
use super::row::{error_row, evaluate_row, standings, utf8_problem, RowResult};
use super::sheet::Sheet;
use super::{Catalogue, InputOptions};
use crate::catalogue::columns::{read_headers, Layout, Mapping};
use crate::country::Country;
use crate::engine::{Outcome, Standings};
use crate::report::provenance::HashingReader;
use crate::report::{
    Encoder, Error, Gate, InputFacts, InputFile, Item, Layout as ReportLayout, Report, Run,
    Summary, Tally,
};
use crate::rules::RuleSet;
use jiff::civil::Date;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::io::Read;
use std::rc::Rc;

/// What is asked of every row.
pub struct Request<'a> {
    pub rules: &'a RuleSet,
    pub date: Date,
    pub destinations: &'a [&'static Country],
    pub hq: Option<&'static Country>,
    pub gate: &'a Gate,
    /// Header mappings (`--column`, `--columns`).
    pub mappings: &'a [Mapping],
    /// How the file is written: decimal mark, delimiter, encoding.
    pub input: &'a InputOptions,
    /// The catalogue as named in messages and reports (`<stdin>`).
    pub name: &'a str,
    /// Where every result is written, for formats that stop at a limit.
    pub full_report: &'a [String],
    /// The party screen, when parties or party lists are given.
    pub party_check: Option<&'a crate::parties::PartyCheck>,
    /// Parties from the command line; a row's own party cells win.
    pub parties: &'a [crate::screening::Party],
    /// The party lists' provenance, for reports.
    pub party_lists: &'a [crate::screening::ListProvenance],
}

/// How far an audit has got, for a progress display.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    pub rows: u64,
    /// The last call: the audit is done (a display can clear itself).
    pub done: bool,
}

/// Tuning and callbacks that do not change the output.
pub struct Options<'p> {
    /// Threads that evaluate rows (0: one per core; 1: this thread only).
    /// Results are written in input order whatever the number.
    pub threads: usize,
    /// Cached rows before the cache is cleared (0: no cache).
    pub cache_entries: usize,
    /// Cached bytes before the cache is cleared.
    pub cache_bytes: usize,
    /// Called every [`PROGRESS_EVERY`] rows and once at the end.
    pub progress: Option<&'p mut dyn FnMut(Progress)>,
    /// Read the next batch on a thread of its own while this one is worked
    /// on: for input that never keeps a read waiting (a regular file, bytes
    /// in memory). An audit that stops early (its report's reader went
    /// away) waits for that thread's read to end, which on a pipe that
    /// stays open and idle may be never.
    pub read_ahead: bool,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            threads: 0,
            cache_entries: 4096,
            cache_bytes: 8 << 20,
            progress: None,
            read_ahead: false,
        }
    }
}

/// Rows between two progress calls.
pub const PROGRESS_EVERY: u64 = 8192;

/// The threads to work on when `requested` are asked for: one per core for
/// 0, and never more than the cores (more would only take memory).
pub fn threads(requested: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    match requested {
        0 => cores,
        n => n.min(cores),
    }
}

/// Records read ahead and evaluated together, at most: enough that a
/// batch's evaluation dwarfs starting its threads.
const BATCH_ROWS: usize = 1024;

/// Results a batch holds at most (its rows times the destinations asked),
/// and record bytes it reads ahead at most: what bounds an audit's memory
/// (a record may be up to 1 MiB, and `--to all` gives 249 results a row).
const BATCH_RESULTS: usize = 1024;
const BATCH_BYTES: usize = 8 << 20;

/// Fewer results to work out than this in a batch (a catalogue the cache
/// answers): evaluated on the reading thread, where no thread start pays.
const PARALLEL_FROM: usize = 64;

/// The bytes a record holds, for the batch's bound.
fn record_bytes(item: &Numbered) -> usize {
    match &item.0 {
        Record::Record { fields, .. } | Record::Unreadable { fields, .. } => {
            fields.as_slice().len()
        }
    }
}
/// Audits a catalogue read from `input` into `report`. Returns the summary
/// (with its exit status); an unreadable catalogue (no header, a bad
/// mapping, an I/O error) is an error.
pub fn audit(
    request: &Request<'_>,
    input: impl Read + Send,
    report: &mut dyn Report,
    options: Options<'_>,
) -> Result<Summary, Error> {
    let (input, hasher) = HashingReader::new(input);
    let (mut catalogue, layout) = open(request, input)?;
    audit_rows(
        request,
        &mut catalogue,
        &layout,
        report,
        options,
        None,
        || {
            vec![InputFile {
                path: request.name.to_string(),
                sha256: hasher.digest(),
            }]
        },
    )
}

/// Audits one sheet of a workbook, through the same pipeline as a CSV
/// catalogue; results point at `Sheet!row N`. `sha256` is the file's.
pub fn audit_sheet(
    request: &Request<'_>,
    mut sheet: Sheet,
    sha256: String,
    report: &mut dyn Report,
    options: Options<'_>,
) -> Result<Summary, Error> {
    let header_line = usize::try_from(sheet.header_row).unwrap_or(usize::MAX);
    let headers = read_headers(&sheet.header, request.name, header_line)?;
    let mut layout = Layout::resolve(&headers, request.mappings, request.name, header_line)?;
    // A number cell is a number; a figure typed as text (`1.979`) may have
    // its thousands grouped with a point, as the sheet's locale writes them.
    layout.point_groups = true;
    let name = sheet.name.clone();
    audit_rows(
        request,
        &mut sheet,
        &layout,
        report,
        options,
        Some(&name),
        || {
            vec![InputFile {
                path: request.name.to_string(),
                sha256,
            }]
        },
    )
}

/// A record and the number each numeric cell holds (none for text).
type Numbered = (Record, Vec<Option<Decimal>>);

/// How reading a batch ended.
enum BatchEnd {
    /// The batch is full; there may be more.
    Full,
    /// The input ended.
    Finished,
    /// A read error: the audit ends after the rows read before it.
    Failed(Error),
}

/// Reads the next batch: up to `batch_rows` records or `BATCH_BYTES`.
fn read_batch(
    source: &mut (dyn Source + Send),
    name: &str,
    batch_rows: usize,
) -> (Vec<Numbered>, BatchEnd) {
    let mut batch = Vec::new();
    let mut bytes = 0usize;
    while batch.len() < batch_rows && bytes < BATCH_BYTES {
        match source.next_record(name) {
            Ok(Some(item)) => {
                bytes = bytes.saturating_add(record_bytes(&item));
                batch.push(item);
            }
            Ok(None) => return (batch, BatchEnd::Finished),
            Err(e) => return (batch, BatchEnd::Failed(e)),
        }
    }
    (batch, BatchEnd::Full)
}

/// Where the audit takes its batches from: a thread that reads ahead (one
/// batch queued, so memory stays flat) while this one plans, evaluates and
/// writes, or, with one thread, this thread itself.
enum Feed<'s> {
    Thread {
        batches: std::sync::mpsc::Receiver<(Vec<Numbered>, BatchEnd)>,
        /// Batches written, handed back to be freed by the thread that
        /// allocated them: freeing another thread's memory costs more.
        written: std::sync::mpsc::Sender<Vec<Numbered>>,
        name: &'s str,
    },
    Here {
        source: &'s mut (dyn Source + Send),
        name: &'s str,
        batch_rows: usize,
    },
}

impl<'s> Feed<'s> {
    fn start<'scope>(
        scope: &'scope std::thread::Scope<'scope, '_>,
        source: &'s mut (dyn Source + Send),
        name: &'s str,
        batch_rows: usize,
        on_a_thread: bool,
    ) -> Feed<'s>
    where
        's: 'scope,
    {
        if on_a_thread {
            // The source is handed over once the thread runs, so that
            // should no thread be had this thread still holds it.
            let (hand_over, take_over) =
                std::sync::mpsc::sync_channel::<&'s mut (dyn Source + Send)>(1);
            let (send, receive) = std::sync::mpsc::sync_channel(1);
            let (give_back, written) = std::sync::mpsc::channel::<Vec<Numbered>>();
            let reader = move || {
                let Ok(source) = take_over.recv() else { return };
                loop {
                    while let Ok(batch) = written.try_recv() {
                        source.reuse(batch);
                    }
                    let (batch, end) = read_batch(source, name, batch_rows);
                    let last = !matches!(end, BatchEnd::Full);
                    // The audit stopped taking batches (nobody reads its report).
                    if send.send((batch, end)).is_err() || last {
                        return;
                    }
                }
            };
            if std::thread::Builder::new()
                .spawn_scoped(scope, reader)
                .is_ok()
            {
                match hand_over.send(source) {
                    Ok(()) => {
                        return Feed::Thread {
                            batches: receive,
                            written: give_back,
                            name,
                        }
                    }
                    // The thread ended before it took the source (it cannot:
                    // it waits for it); read here.
                    Err(std::sync::mpsc::SendError(source)) => {
                        return Feed::Here {
                            source,
                            name,
                            batch_rows,
                        }
                    }
                }
            }
        }
        Feed::Here {
            source,
            name,
            batch_rows,
        }
    }

    fn next(&mut self) -> (Vec<Numbered>, BatchEnd) {
        match self {
            // The reader sends its last batch with `Finished` or `Failed`
            // and then stops, so the channel closes before that only when
            // the reader panicked (a bug, raised again when the scope
            // joins): the audit fails rather than end as if the input had.
            Feed::Thread { batches, name, .. } => batches.recv().unwrap_or_else(|_| {
                let stopped = Error::Io {
                    path: name.to_string(),
                    source: std::io::Error::other("the thread reading it stopped"),
                };
                (Vec::new(), BatchEnd::Failed(stopped))
            }),
            Feed::Here {
                source,
                name,
                batch_rows,
            } => read_batch(&mut **source, name, *batch_rows),
        }
    }

    /// Done with a batch: its records go back to where they were read, to
    /// be read into again.
    fn written(&mut self, batch: Vec<Numbered>) {
        match self {
            // A reader that has stopped frees nothing more; dropped here.
            Feed::Thread { written, .. } => drop(written.send(batch)),
            Feed::Here { source, .. } => source.reuse(batch),
        }
    }
}

/// Where an audit's records come from: CSV text or a sheet.
trait Source {
    /// The next record, and the number each numeric cell holds (none for text).
    fn next_record(&mut self, name: &str) -> Result<Option<Numbered>, Error>;
    fn facts(&self) -> InputFacts;
    /// Records written, to read later ones into (or to drop).
    fn reuse(&mut self, batch: Vec<Numbered>) {
        drop(batch);
    }
}

impl<R: Read> Source for Catalogue<R> {
    fn next_record(&mut self, name: &str) -> Result<Option<Numbered>, Error> {
        Ok(next_item(self, name)?.map(|r| (r, Vec::new())))
    }
    fn reuse(&mut self, batch: Vec<Numbered>) {
        for (record, _) in batch {
            self.records.reuse(record);
        }
    }
    fn facts(&self) -> InputFacts {
        Catalogue::facts(self)
    }
}

impl Source for Sheet {
    fn next_record(&mut self, _: &str) -> Result<Option<Numbered>, Error> {
        Ok(self.next_row().map(|r| {
            (
                Record::Record {
                    line: r.row,
                    fields: r.fields,
                },
                r.numbers,
            )
        }))
    }
    fn facts(&self) -> InputFacts {
        InputFacts {
            lines_read: self.rows_read,
            empty_records_skipped: self.empty_rows_skipped,
            delimiter: ',',
            encoding: "spreadsheet",
            columns_read: Vec::new(),
            sheet: Some(self.name.clone()),
            sheets_not_read: self.not_read.clone(),
        }
    }
}

fn audit_rows(
    request: &Request<'_>,
    source: &mut (dyn Source + Send),
    layout: &Layout,
    report: &mut dyn Report,
    mut options: Options<'_>,
    sheet: Option<&str>,
    inputs: impl FnOnce() -> Vec<InputFile>,
) -> Result<Summary, Error> {
    let run = Run {
        rules: request.rules,
        gate: request.gate,
        layout: ReportLayout::Catalogue,
        date: Some(request.date),
        destinations: request.destinations,
        hq: request.hq,
        catalogue: Some(request.name),
        headers: &layout.headers,
        full_report: request.full_report,
        party_lists: request.party_lists,
        sheet,
    };
    let explain = report.explains();
    let mut tally = Tally::new(report, &run);
    tally.begin()?;
    let standings = standings(request, explain);
    let mut rows = Rows::new(request, layout, &standings, &options, explain);
    let evaluator = rows.evaluator();
    let encoders = tally.encoders();
    let per_row = request.destinations.len().max(1);
    let batch_rows = BATCH_RESULTS
        .checked_div(per_row)
        .unwrap_or(1)
        .clamp(1, BATCH_ROWS);
    let mut next_progress = PROGRESS_EVERY;
    let mut finished = false;
    // A read error ends the audit, after the rows read before it.
    let mut failed = None;
    // The batch read before this one, evaluated and still to be written: it
    // is written while this one is evaluated on other threads.
    let mut to_write: Option<(std::sync::Arc<Work>, Planned)> = None;
    let reader = options.read_ahead && rows.threads > 1;
    std::thread::scope(|scope| -> Result<(), Error> {
        let mut feed = Feed::start(scope, &mut *source, request.name, batch_rows, reader);
        let mut helpers = Helpers::default();
        loop {
            let mut batch: Vec<Numbered> = Vec::new();
            if !finished && failed.is_none() && tally.wants_more() {
                let (read, end) = feed.next();
                batch = read;
                match end {
                    BatchEnd::Full => {}
                    BatchEnd::Finished => finished = true,
                    BatchEnd::Failed(e) => failed = Some(e),
                }
            }
            if batch.is_empty() {
                if let Some((previous, planned)) = to_write.take() {
                    rows.write(&previous.batch, planned, &mut tally)?;
                    give_back(&mut feed, previous);
                }
                break;
            }
            let plan = rows.plan(&batch);
            // The batch's rows are shared out in small parts: the helpers take
            // parts as soon as they are given the batch, this thread once it
            // has written the batch before.
            let todo = plan.todo_rows();
            let threads = evaluator.threads_for(todo.len());
            let work = std::sync::Arc::new(Work {
                parts: Parts::new(todo),
                batch,
            });
            let asked = helpers.give(
                scope,
                threads.saturating_sub(1),
                &work,
                &evaluator,
                &encoders,
            );
            let written = match to_write.take() {
                Some((previous, planned)) => {
                    let written = rows.write(&previous.batch, planned, &mut tally);
                    give_back(&mut feed, previous);
                    written
                }
                None => Ok(()),
            };
            let mut done = work.parts.take_all(&evaluator, &work.batch, &encoders);
            done.extend(helpers.collect(asked, request.name)?);
            written?;
            to_write = Some((work, rows.settle(plan, Parts::in_order(done))));
            if tally.rows() >= next_progress {
                next_progress = tally.rows().saturating_add(PROGRESS_EVERY);
                if let Some(p) = options.progress.as_mut() {
                    p(Progress {
                        rows: tally.rows(),
                        done: false,
                    });
                }
            }
        }
        Ok(())
    })?;
    if let Some(e) = failed {
        return Err(e);
    }
    if let Some(p) = options.progress.as_mut() {
        p(Progress {
            rows: tally.rows(),
            done: true,
        });
    }
    tally.set_input_facts(InputFacts {
        columns_read: layout.readings(),
        ..source.facts()
    });
    tally.finish(inputs())
}

fn next_item<R: Read>(catalogue: &mut Catalogue<R>, name: &str) -> Result<Option<Record>, Error> {
    catalogue.records.next_item().map_err(|source| Error::Io {
        path: name.to_string(),
        source,
    })
}

/// Opens the catalogue and resolves its header into a layout.
fn open<R: Read>(request: &Request<'_>, input: R) -> Result<(Catalogue<R>, Layout), Error> {
    let catalogue = Catalogue::open(input, request.input, request.name)?;
    let header_line = usize::try_from(catalogue.header_line).unwrap_or(usize::MAX);
    let headers = read_headers(&catalogue.header, request.name, header_line)?;
    let mut layout = Layout::resolve(&headers, request.mappings, request.name, header_line)?;
    // Only a comma-separated file rules out a decimal comma (it would split
    // the figure): in any other, `1.979` may be 1,979 grouped with a point,
    // as exports write where the decimal mark is a comma (tab- and
    // pipe-separated ones had been read as 1.979 and cleared the chip).
    layout.point_groups = catalogue.records.delimiter() != b',';
    Ok((catalogue, layout))
}

/// Compares every row's answers on `request.date` and on `until`, in one
/// read: `changed(line, before, after, steps)` is called for each result
/// that differs by `same`, with its answer on each of `steps` (the dates in
/// between on which something in the rules changed), so that what moved it
/// can be found. Returns the number of results compared.
pub fn diff(
    request: &Request<'_>,
    until: Date,
    steps: &[Date],
    input: impl Read,
    same: &dyn Fn(&Outcome, &Outcome) -> bool,
    changed: &mut dyn FnMut(u64, Outcome, Outcome, Vec<(Date, Outcome)>),
) -> Result<(u64, Vec<(u64, String)>), Error> {
    let later = Request {
        date: until,
        ..*request
    };
    let (mut catalogue, layout) = open(request, input)?;
    let options = Options::default();
    let (standings_before, standings_after) = (standings(request, true), standings(&later, true));
    let mut before = Rows::new(request, &layout, &standings_before, &options, true);
    let mut after = Rows::new(&later, &layout, &standings_after, &options, true);
    // Each date in between, asked only of a row whose answer changed.
    let step_requests: Vec<Request> = steps
        .iter()
        .map(|d| Request {
            date: *d,
            ..*request
        })
        .collect();
    let step_standings: Vec<Standings> =
        step_requests.iter().map(|r| standings(r, false)).collect();
    let mut step_rows: Vec<Rows> = step_requests
        .iter()
        .zip(&step_standings)
        .map(|(r, s)| Rows::new(r, &layout, s, &options, false))
        .collect();
    let mut compared = 0u64;
    // A record that cannot be read has no answer on either date: neither
    // changed nor the same, so its line is handed back to be said (a diff
    // once passed over them, exit 0).
    let mut unreadable = Vec::new();
    while let Some(item) = next_item(&mut catalogue, request.name)? {
        let (line, fields) = match item {
            Record::Record { line, fields } => (line, fields),
            Record::Unreadable { line, message, .. } => {
                unreadable.push((line, message));
                continue;
            }
        };
        let (b, a) = (before.result(&fields, &[]), after.result(&fields, &[]));
        let error = |r: &RowResult| {
            r.outcomes
                .iter()
                .any(|o| o.verdict == crate::verdict::Verdict::Error)
                .then(|| r.error.clone().unwrap_or_default())
        };
        if let Some(message) = error(&b).or_else(|| error(&a)) {
            unreadable.push((line, message));
            continue;
        }
        let mut at_steps: Option<Vec<(Date, Rc<RowResult>)>> = None;
        for (k, (x, y)) in b.outcomes.iter().zip(&a.outcomes).enumerate() {
            compared = compared.saturating_add(1);
            if !same(x, y) {
                let (mut x, mut y) = (x.clone(), y.clone());
                x.line = Some(line);
                y.line = Some(line);
                let at_steps = at_steps.get_or_insert_with(|| {
                    steps
                        .iter()
                        .zip(step_rows.iter_mut())
                        .map(|(d, rows)| (*d, rows.result(&fields, &[])))
                        .collect()
                });
                let steps = at_steps
                    .iter()
                    .filter_map(|(d, r)| r.outcomes.get(k).map(|o| (*d, o.clone())))
                    .collect();
                changed(line, x, y, steps);
            }
        }
    }
    Ok((compared, unreadable))
}

/// Whether the cache pays: a catalogue whose rows all differ (an engineering
/// spreadsheet) would only fill it and throw it away. Lookups go on; after
/// a window of lookups with almost no hit, results are not kept for a
/// while, and then kept again to see whether rows repeat after all.
#[derive(Default)]
struct CacheUse {
    lookups: u32,
    hits: u32,
    /// Lookups left before results are kept again.
    paused: u32,
}

impl CacheUse {
    const WINDOW: u32 = 4096;
    const FEW_HITS: u32 = 64;
    const PAUSE: u32 = 65_536;

    fn looked_up(&mut self, hit: bool) {
        if self.paused > 0 {
            self.paused = self.paused.saturating_sub(1);
            return;
        }
        self.lookups = self.lookups.saturating_add(1);
        self.hits = self.hits.saturating_add(u32::from(hit));
        if self.lookups >= Self::WINDOW {
            if self.hits < Self::FEW_HITS {
                self.paused = Self::PAUSE;
            }
            self.lookups = 0;
            self.hits = 0;
        }
    }

    fn keeping(&self) -> bool {
        self.paused == 0
    }
}

/// Where a record's answer comes from.
enum Slot {
    Ready(Rc<RowResult>),
    /// Index into the batch's evaluated rows.
    Pending(usize),
    /// A record the reader could not deliver whole.
    Unreadable,
}

/// A batch's answers as far as the cache and the batch itself give them,
/// and the rows left to evaluate.
struct Plan {
    slots: Vec<Slot>,
    /// Each row to evaluate: its index in the batch and its cache key (none
    /// when the cache is off).
    todo: Vec<(usize, Option<Box<[u8]>>)>,
}

impl Plan {
    fn todo_rows(&self) -> Vec<usize> {
        self.todo.iter().map(|(i, _)| *i).collect()
    }
}

/// A batch's answer for every record, ready to write.
struct Planned {
    slots: Vec<Slot>,
    evaluated: Vec<Rc<RowResult>>,
}

/// What evaluating a row needs, apart from the rows' cache: shared by the
/// threads that evaluate while the reading thread writes.
#[derive(Clone, Copy)]
struct Evaluator<'r> {
    request: &'r Request<'r>,
    layout: &'r Layout,
    standings: &'r Standings<'r>,
    explain: bool,
    threads: usize,
}

impl Evaluator<'_> {
    /// Evaluates one row of the batch and encodes its results for every
    /// format.
    fn evaluate(&self, batch: &[Numbered], i: usize, encoders: &[Option<Encoder>]) -> RowResult {
        let mut result = match batch.get(i) {
            Some((Record::Record { fields, .. }, numbers)) => {
                let how = (self.explain, self.standings);
                evaluate_row(self.request, self.layout, fields, numbers, how)
            }
            // Only readable records are planned for evaluation.
            _ => error_row(
                self.request,
                "",
                None,
                "internal error: no record to evaluate",
            ),
        };
        encode(self.request, &mut result, encoders);
        result
    }

    /// Threads worth starting for `rows` rows: one per `PARALLEL_FROM`
    /// results, at most one per row and `threads`.
    fn threads_for(&self, rows: usize) -> usize {
        let work = rows.saturating_mul(self.request.destinations.len().max(1));
        self.threads
            .min(rows)
            .min(work.checked_div(PARALLEL_FROM).unwrap_or(0))
            .max(1)
    }
}

/// A batch's rows to evaluate, in parts of `PART_ROWS` that threads take
/// in turn until none is left.
struct Parts {
    todo: Vec<usize>,
    next: std::sync::atomic::AtomicUsize,
}

/// Rows in a part: small enough to share a batch out evenly.
const PART_ROWS: usize = 32;

impl Parts {
    fn new(todo: Vec<usize>) -> Self {
        Parts {
            todo,
            next: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// Evaluates parts until none is left; each with its part's number.
    fn take_all(
        &self,
        evaluator: &Evaluator<'_>,
        batch: &[Numbered],
        encoders: &[Option<Encoder>],
    ) -> Vec<(usize, Vec<RowResult>)> {
        let mut done = Vec::new();
        loop {
            let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(part) = self.todo.chunks(PART_ROWS).nth(n) else {
                return done;
            };
            let results = part
                .iter()
                .map(|&i| evaluator.evaluate(batch, i, encoders))
                .collect();
            done.push((n, results));
        }
    }

    /// The results of every part, in the batch's order.
    fn in_order(mut done: Vec<(usize, Vec<RowResult>)>) -> Vec<RowResult> {
        done.sort_by_key(|(n, _)| *n);
        done.into_iter().flat_map(|(_, results)| results).collect()
    }
}

/// A batch being evaluated: its records, and its rows' parts.
struct Work {
    batch: Vec<Numbered>,
    parts: Parts,
}

/// A part's results, with its number.
type PartsDone = Vec<(usize, Vec<RowResult>)>;

/// Threads that evaluate batches with this one, started once for the whole
/// audit when a batch first needs them, not once a batch: starting a thread
/// for every batch cost more than its share of the rows (and what a thread
/// allocated outlived it, to be freed by another).
#[derive(Default)]
struct Helpers<'scope> {
    started: Vec<Helper<'scope>>,
}

struct Helper<'scope> {
    work: std::sync::mpsc::Sender<std::sync::Arc<Work>>,
    done: std::sync::mpsc::Receiver<PartsDone>,
    thread: Option<std::thread::ScopedJoinHandle<'scope, ()>>,
}

impl<'scope> Helpers<'scope> {
    /// Gives the batch to `wanted` helpers, starting those not yet started;
    /// returns how many have it (fewer when no thread could be had: this
    /// thread then takes their parts).
    fn give<'env>(
        &mut self,
        scope: &'scope std::thread::Scope<'scope, 'env>,
        wanted: usize,
        work: &std::sync::Arc<Work>,
        evaluator: &'scope Evaluator<'env>,
        encoders: &'scope [Option<Encoder>],
    ) -> usize {
        while self.started.len() < wanted {
            let (work, take) = std::sync::mpsc::channel::<std::sync::Arc<Work>>();
            let (done, collect) = std::sync::mpsc::channel::<PartsDone>();
            let helper = move || {
                while let Ok(given) = take.recv() {
                    let parts = given.parts.take_all(evaluator, &given.batch, encoders);
                    // Let go of the batch before handing the results over, so
                    // that it is had back whole once they are all in.
                    drop(given);
                    if done.send(parts).is_err() {
                        return;
                    }
                }
            };
            match std::thread::Builder::new().spawn_scoped(scope, helper) {
                Ok(thread) => self.started.push(Helper {
                    work,
                    done: collect,
                    thread: Some(thread),
                }),
                Err(_) => break,
            }
        }
        self.started
            .iter()
            .take(wanted)
            .filter(|h| h.work.send(std::sync::Arc::clone(work)).is_ok())
            .count()
    }

    /// The parts the first `asked` helpers evaluated. A helper that
    /// panicked (a bug) raises its panic here; one that stopped otherwise
    /// (it cannot) fails the audit rather than leave its rows out.
    fn collect(&mut self, asked: usize, name: &str) -> Result<PartsDone, Error> {
        let mut done = Vec::new();
        for helper in self.started.iter_mut().take(asked) {
            match helper.done.recv() {
                Ok(parts) => done.extend(parts),
                Err(_) => {
                    if let Some(Err(panic)) = helper.thread.take().map(|t| t.join()) {
                        std::panic::resume_unwind(panic);
                    }
                    return Err(Error::Io {
                        path: name.to_string(),
                        source: std::io::Error::other("a thread evaluating its rows stopped"),
                    });
                }
            }
        }
        Ok(done)
    }
}

/// A batch written: its records go back to be read into again, once no
/// helper holds it (none does once its results are in).
fn give_back(feed: &mut Feed<'_>, written: std::sync::Arc<Work>) {
    if let Ok(work) = std::sync::Arc::try_unwrap(written) {
        feed.written(work.batch);
    }
}

/// Rows evaluated (or found in the cache) and handed to the tally.
struct Rows<'r> {
    request: &'r Request<'r>,
    layout: &'r Layout,
    standings: &'r Standings<'r>,
    threads: usize,
    /// Write each result's reasons: false when no report prints them.
    explain: bool,
    cache_entries: usize,
    cache_limit: usize,
    cache: HashMap<Box<[u8]>, Rc<RowResult>, ahash::RandomState>,
    cache_bytes: usize,
    /// How the cache is paying off (see [`CacheUse`]).
    cache_use: CacheUse,
    key: Vec<u8>,
}

impl<'r> Rows<'r> {
    fn new(
        request: &'r Request<'r>,
        layout: &'r Layout,
        standings: &'r Standings<'r>,
        options: &Options<'_>,
        explain: bool,
    ) -> Self {
        let threads = threads(options.threads);
        Rows {
            request,
            layout,
            standings,
            threads,
            explain,
            cache_entries: options.cache_entries,
            cache_limit: options.cache_bytes,
            cache: HashMap::default(),
            cache_bytes: 0,
            cache_use: CacheUse::default(),
            key: Vec::with_capacity(256),
        }
    }

    /// What evaluating a row needs, for other threads.
    fn evaluator(&self) -> Evaluator<'r> {
        Evaluator {
            request: self.request,
            layout: self.layout,
            standings: self.standings,
            explain: self.explain,
            threads: self.threads,
        }
    }

    /// Answers what the cache (or an earlier row of the batch) answers,
    /// and lists the rows left to evaluate.
    fn plan(&mut self, batch: &[Numbered]) -> Plan {
        let mut slots: Vec<Slot> = Vec::with_capacity(batch.len());
        let mut todo: Vec<(usize, Option<Box<[u8]>>)> = Vec::new();
        let mut pending: HashMap<Box<[u8]>, usize, ahash::RandomState> = HashMap::default();
        for (i, (record, numbers)) in batch.iter().enumerate() {
            let Record::Record { fields, .. } = record else {
                slots.push(Slot::Unreadable);
                continue;
            };
            if let Some(bad) = self.malformed(fields) {
                slots.push(Slot::Ready(Rc::new(bad)));
                continue;
            }
            if self.cache_entries == 0 {
                slots.push(Slot::Pending(todo.len()));
                todo.push((i, None));
                continue;
            }
            self.make_key(fields, numbers);
            let hit = self.cache.get(self.key.as_slice()).map(Rc::clone);
            self.cache_use.looked_up(hit.is_some());
            if let Some(hit) = hit {
                slots.push(Slot::Ready(hit));
            } else if let Some(&at) = pending.get(self.key.as_slice()) {
                slots.push(Slot::Pending(at));
            } else {
                let key: Box<[u8]> = self.key.clone().into_boxed_slice();
                pending.insert(key.clone(), todo.len());
                slots.push(Slot::Pending(todo.len()));
                todo.push((i, Some(key)));
            }
        }
        Plan { slots, todo }
    }

    /// Caches the rows evaluated for a plan (in its `todo` order).
    fn settle(&mut self, plan: Plan, results: Vec<RowResult>) -> Planned {
        let mut evaluated: Vec<Rc<RowResult>> = Vec::with_capacity(results.len());
        for (result, (_, key)) in results.into_iter().zip(plan.todo) {
            let result = Rc::new(result);
            if let Some(key) = key {
                self.remember(key, Rc::clone(&result));
            }
            evaluated.push(result);
        }
        Planned {
            slots: plan.slots,
            evaluated,
        }
    }

    /// Hands a batch's answers to the tally, in input order.
    fn write(
        &mut self,
        batch: &[Numbered],
        planned: Planned,
        tally: &mut Tally<'_, '_>,
    ) -> Result<(), Error> {
        for ((record, _), slot) in batch.iter().zip(planned.slots) {
            match (record, slot) {
                (Record::Record { line, fields }, Slot::Ready(result)) => {
                    self.emit(*line, fields, &result, tally)?
                }
                (Record::Record { line, fields }, Slot::Pending(i)) => {
                    // Every planned row is evaluated; were one not, its row
                    // is an error, never a silent gap.
                    let result = planned.evaluated.get(i).cloned().unwrap_or_else(|| {
                        Rc::new(error_row(
                            self.request,
                            "",
                            None,
                            "internal error: the row was not evaluated",
                        ))
                    });
                    self.emit(*line, fields, &result, tally)?
                }
                (
                    Record::Unreadable {
                        line,
                        fields,
                        message,
                    },
                    _,
                ) => self.unreadable(*line, fields, message, tally)?,
                (Record::Record { .. }, Slot::Unreadable) => {}
            }
        }
        Ok(())
    }

    /// A record the reader could not deliver whole, with the cells read
    /// before the problem.
    fn unreadable(
        &mut self,
        line: u64,
        record: &csv::ByteRecord,
        message: &str,
        tally: &mut Tally<'_, '_>,
    ) -> Result<(), Error> {
        let name = String::from_utf8_lossy(record.get(self.layout.name).unwrap_or_default())
            .trim()
            .to_string();
        let result = error_row(self.request, &name, None, message);
        self.emit(line, record, &result, tally)
    }

    /// A row whose shape or bytes are wrong: an `error` result, not cached.
    fn malformed(&self, record: &csv::ByteRecord) -> Option<RowResult> {
        let layout = self.layout;
        let width = layout.headers.len();
        let message = if record.len() != width {
            format!(
                "the row has {} field{}; the header has {} (a missing or extra comma, or an unclosed quote?)",
                record.len(),
                if record.len() == 1 { "" } else { "s" },
                width
            )
        } else {
            utf8_problem(layout, record)?
        };
        let name = String::from_utf8_lossy(record.get(layout.name).unwrap_or_default())
            .trim()
            .to_string();
        Some(error_row(self.request, &name, None, &message))
    }

    /// The answer for one row, from the cache or evaluated (not encoded:
    /// for `diff`, which writes no report).
    fn result(&mut self, record: &csv::ByteRecord, numbers: &[Option<Decimal>]) -> Rc<RowResult> {
        if let Some(bad) = self.malformed(record) {
            return Rc::new(bad);
        }
        if self.cache_entries == 0 {
            return Rc::new(self.evaluate(record, numbers));
        }
        self.make_key(record, numbers);
        let hit = self.cache.get(self.key.as_slice()).map(Rc::clone);
        self.cache_use.looked_up(hit.is_some());
        if let Some(hit) = hit {
            return hit;
        }
        let result = Rc::new(self.evaluate(record, numbers));
        let key = self.key.clone().into_boxed_slice();
        self.remember(key, Rc::clone(&result));
        result
    }

    fn evaluate(&self, record: &csv::ByteRecord, numbers: &[Option<Decimal>]) -> RowResult {
        let how = (self.explain, self.standings);
        evaluate_row(self.request, self.layout, record, numbers, how)
    }

    /// The cache key of a row: the cells that decide its answer.
    fn make_key(&mut self, record: &csv::ByteRecord, numbers: &[Option<Decimal>]) {
        self.key.clear();
        for &(_, column) in &self.layout.used {
            let cell = record.get(column).unwrap_or_default();
            self.key
                .extend_from_slice(&(cell.len() as u32).to_le_bytes());
            self.key.extend_from_slice(cell);
            // A number and the same text in a text cell may read apart.
            if numbers.get(column).is_some_and(Option::is_some) {
                self.key.push(0xFF);
            }
        }
    }

    /// Caches a result, clearing the cache first when it is full.
    fn remember(&mut self, key: Box<[u8]>, result: Rc<RowResult>) {
        if !self.cache_use.keeping() {
            return;
        }
        let size = result.size().saturating_add(key.len());
        if self.cache.len() >= self.cache_entries
            || self.cache_bytes.saturating_add(size) > self.cache_limit
        {
            self.cache.clear();
            self.cache_bytes = 0;
        }
        self.cache_bytes = self.cache_bytes.saturating_add(size);
        self.cache.insert(key, result);
    }

    fn emit(
        &mut self,
        line: u64,
        record: &csv::ByteRecord,
        result: &RowResult,
        tally: &mut Tally<'_, '_>,
    ) -> Result<(), Error> {
        tally.row(line, &result.name, result.error.as_deref());
        tally.add_licenses(&result.licenses);
        for (i, (o, reason)) in result.outcomes.iter().zip(&result.reasons).enumerate() {
            let item = item(self.request, result, o, reason, Some(line), Some(record));
            let pieces = result.encoded.get(i).map(Vec::as_slice);
            tally.result(&item, pieces)?;
        }
        Ok(())
    }
}

/// Encodes a fresh result's outcomes for every format, once, so that a
/// cached row costs no encoding (with no formats, each result is encoded as
/// it is written).
fn encode(request: &Request<'_>, result: &mut RowResult, encoders: &[Option<Encoder>]) {
    if encoders.is_empty() {
        return;
    }
    let mut encoded = Vec::with_capacity(result.outcomes.len());
    for (o, reason) in result.outcomes.iter().zip(&result.reasons) {
        let item = item(request, result, o, reason, None, None);
        encoded.push(crate::report::encode_for_each(encoders, &item));
    }
    result.encoded = encoded;
}

fn item<'a>(
    request: &Request<'_>,
    result: &'a RowResult,
    outcome: &'a Outcome,
    reason: &'a str,
    line: Option<u64>,
    record: Option<&'a csv::ByteRecord>,
) -> Item<'a> {
    Item {
        outcome,
        line,
        record,
        name: &result.name,
        error: result.error.as_deref(),
        reason,
        fails: request.gate.fails(outcome.verdict),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{format_for, Destination, OutputFormat, Style, Tee};

    /// Runs `f` with a request for `date` and `to`, on the embedded rules.
    fn with_request<T>(date: &str, to: &[&str], f: impl FnOnce(&Request) -> T) -> T {
        let rules = RuleSet::embedded().unwrap();
        let gate = Gate {
            fail_on: crate::verdict::DEFAULT_FAIL_ON.to_vec(),
            licenses: Vec::new(),
            project_file: None,
        };
        let destinations: Vec<_> = to
            .iter()
            .map(|c| crate::country::resolve(c).unwrap())
            .collect();
        let request = Request {
            rules: &rules,
            date: date.parse().unwrap(),
            destinations: &destinations,
            hq: None,
            gate: &gate,
            mappings: &[],
            input: &InputOptions::default(),
            name: "c.csv",
            full_report: &[],
            party_check: None,
            parties: &[],
            party_lists: &[],
        };
        f(&request)
    }

    fn audit_text(
        text: &str,
        to: &[&str],
        format: OutputFormat,
        options: Options,
    ) -> (i32, String) {
        with_request("2024-06-01", to, |request| {
            let mut out = Vec::new();
            let mut tee = Tee::default();
            tee.add(
                format_for(format, ReportLayout::Catalogue, Style::default()),
                Destination::Buffer(&mut out),
            );
            let input = std::io::Cursor::new(text.as_bytes().to_vec());
            let summary = audit(request, input, &mut tee, options).unwrap();
            assert!(tee.commit().unwrap());
            (summary.exit_status, String::from_utf8(out).unwrap())
        })
    }

    #[test]
    fn a_tiny_cache_gives_the_same_output_as_none() {
        let mut text = String::from("name,vendor,fp16,area_mm2,datacenter,SKU\n");
        let rows = [
            "H100 SXM5 80GB,NVIDIA,989.4,814,yes,A1",
            "h100 sxm,,,,,A2",
            "Slow,,10,100,no,A3",
            "Odd,,abc,,,A4",
            "rtx 4090,,,,,A5",
            "mystery chip,,,,,A6",
        ];
        for i in 0..60 {
            text.push_str(rows[i % rows.len()]);
            text.push('\n');
            if i % 7 == 0 {
                text.push_str("Extra,,1,1,n,=cmd\n");
            }
        }
        let runs = [
            (OutputFormat::Csv, &["CN", "SA"][..]),
            (OutputFormat::Json, &["CN", "SA"][..]),
            (OutputFormat::Jsonl, &["CN"][..]),
            (OutputFormat::Table, &["DE"][..]),
        ];
        let with = |entries: usize, bytes: usize| Options {
            threads: 1,
            cache_entries: entries,
            cache_bytes: bytes,
            progress: None,
            read_ahead: false,
        };
        for (format, to) in runs {
            let none = audit_text(&text, to, format, with(0, 8 << 20));
            assert_eq!(none, audit_text(&text, to, format, with(3, 8 << 20)));
            assert_eq!(none, audit_text(&text, to, format, with(4096, 2000)));
            assert_eq!(none, audit_text(&text, to, format, Options::default()));
            assert_eq!(none.0, 2);
        }
    }

    /// Rows evaluated on several threads come out exactly as on one, in
    /// input order: distinct rows (so threads start), repeats, errors, a
    /// ragged row and a row the reader could not deliver whole, across
    /// several batches.
    #[test]
    fn threads_give_the_same_output_as_one() {
        let mut text = String::from("name,vendor,fp16,area_mm2,datacenter,SKU\n");
        for i in 0..(BATCH_ROWS * 2 + 300) {
            let row = match i % 11 {
                0 => "H100 SXM5 80GB,NVIDIA,989.4,814,yes,R".to_string(),
                1 => format!("Odd {i},,1.979,5,,R"),
                2 => "ragged,row\n".trim_end().to_string(),
                3 => format!("Mystery {i},,,,,R"),
                _ => format!(
                    "Part {i},Acme,{}.{},{},{},R",
                    1 + (i * 37) % 2500,
                    i % 10,
                    100 + (i * 13) % 800,
                    if i % 3 == 0 { "no" } else { "yes" }
                ),
            };
            text.push_str(&row);
            text.push('\n');
        }
        text.push_str("\"never closed,,1,1,yes,R\n");
        for (format, to) in [
            (OutputFormat::Csv, &["CN", "SA"][..]),
            (OutputFormat::Jsonl, &["CN"][..]),
        ] {
            // Reading ahead on a thread of its own, as for a file.
            let with = |threads: usize, cache_entries: usize| Options {
                threads,
                cache_entries,
                read_ahead: true,
                ..Options::default()
            };
            let one = audit_text(&text, to, format, with(1, 4096));
            assert!(
                one.1.lines().count() > BATCH_ROWS * 2,
                "every row has a result"
            );
            for (threads, cache) in [(2, 4096), (3, 0), (8, 4096)] {
                assert!(
                    one == audit_text(&text, to, format, with(threads, cache)),
                    "{threads} threads, cache {cache}, {format:?}: the output differs"
                );
            }
        }
    }

    /// Verdict-only evaluation (CSV alone prints no reasons) gives the same
    /// CSV as an explained one (CSV beside JSON, which prints them), on dates
    /// inside the windows where answers are worked out two ways.
    #[test]
    fn verdict_only_csv_is_the_explained_csv() {
        let mut text = String::from(
            "name,vendor,fp16,int8,area_mm2,datacenter,non_planar,interconnect_gbps\n",
        );
        for i in 0..400 {
            let fp16 = 20 + (i * 53) % 2400;
            let area = if i % 5 == 0 {
                String::new()
            } else {
                (80 + (i * 29) % 800).to_string()
            };
            let dc = ["yes", "no", ""][i % 3];
            let planar = ["", "yes", "no"][(i / 3) % 3];
            text.push_str(&format!(
                "Part {i},Acme,{fp16},{},{area},{dc},{planar},{}\n",
                fp16 * 2,
                (i * 97) % 1200
            ));
        }
        for row in [
            "MI308X,AMD,,,,,,",
            "Instinct MI308,,,,,,,",
            "h20,,,,,,,",
            "rtx 4090,,,,,,,",
            "mystery,,,,,,,",
            "dgx h100,,,,,,,",
            "hgx h20,,,,,,,",
            "Odd,,1.979,5,,,,",
        ] {
            text.push_str(row);
            text.push('\n');
        }
        for (date, to) in [
            ("2024-06-01", &["CN", "SA", "AE"][..]),
            ("2025-04-07", &["CN", "CY", "DE"][..]),
            ("2022-10-20", &["CN", "MO", "CY"][..]),
            ("2026-01-15", &[][..]),
        ] {
            with_request(date, to, |request| {
                let run = |with_json: bool| {
                    let (mut csv, mut json) = (Vec::new(), Vec::new());
                    let mut tee = Tee::default();
                    tee.add(
                        format_for(OutputFormat::Csv, ReportLayout::Catalogue, Style::default()),
                        Destination::Buffer(&mut csv),
                    );
                    if with_json {
                        tee.add(
                            format_for(
                                OutputFormat::Jsonl,
                                ReportLayout::Catalogue,
                                Style::default(),
                            ),
                            Destination::Buffer(&mut json),
                        );
                    }
                    assert_eq!(tee.explains(), with_json);
                    let input = std::io::Cursor::new(text.as_bytes().to_vec());
                    audit(request, input, &mut tee, Options::default()).unwrap();
                    assert!(tee.commit().unwrap());
                    String::from_utf8(csv).unwrap()
                };
                let (alone, beside) = (run(false), run(true));
                assert!(alone.lines().count() > 400);
                assert!(
                    alone == beside,
                    "{date}: verdict-only CSV differs from the explained CSV"
                );
            });
        }
    }

    /// A read error ends the audit, but the rows read before it (in the same
    /// batch) are written first, as they were before rows came in batches.
    #[test]
    fn rows_read_before_a_read_error_are_written() {
        /// The text, then an I/O error where more would come.
        struct Failing(std::io::Cursor<Vec<u8>>);
        impl Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                match self.0.read(buf)? {
                    0 => Err(std::io::Error::other("the disk went away")),
                    n => Ok(n),
                }
            }
        }
        let mut text = String::from("name,fp16,area_mm2\n");
        for i in 0..50 {
            text.push_str(&format!("Chip {i},{},300\n", 10 + i));
        }
        with_request("2024-06-01", &["CN"], |request| {
            let mut collect = crate::report::Collect::default();
            let input = Failing(std::io::Cursor::new(text.into_bytes()));
            let failed = audit(request, input, &mut collect, Options::default());
            assert!(
                matches!(failed, Err(Error::Io { .. })),
                "{:?}",
                failed.err()
            );
            assert_eq!(collect.items.len(), 50);
            assert_eq!(collect.items.last().map(|(line, _)| *line), Some(Some(51)));
        });
    }

    #[test]
    fn the_cache_stops_keeping_results_while_no_row_repeats() {
        let mut used = CacheUse::default();
        for _ in 0..CacheUse::WINDOW {
            assert!(used.keeping());
            used.looked_up(false);
        }
        assert!(!used.keeping(), "a window without hits pauses keeping");
        for _ in 0..CacheUse::PAUSE {
            used.looked_up(false);
        }
        assert!(used.keeping(), "and keeping resumes after the pause");
        for i in 0..CacheUse::WINDOW {
            used.looked_up(i % 32 == 0);
        }
        assert!(used.keeping(), "128 hits in a window keep it going");
    }

    #[test]
    fn library_misses_are_never_clear() {
        let text = "name\nno such chip anywhere\nmi300\n";
        let (status, out) = audit_text(text, &["DE"], OutputFormat::Jsonl, Options::default());
        let lines: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[0]["verdict"], "indeterminate");
        assert_eq!(lines[1]["verdict"], "indeterminate", "{}", lines[1]);
        let reason = lines[1]["reasons"][0].as_str().unwrap();
        assert!(reason.contains("library chips"), "{reason}");
        assert_eq!(status, 3);
    }

    #[test]
    fn progress_is_called_back_and_ends_with_done() {
        let mut text = String::from("name,fp16,area_mm2\n");
        for i in 0..(PROGRESS_EVERY + 5) {
            text.push_str(&format!("Chip {i},1,100\n"));
        }
        let mut calls = Vec::new();
        let mut record = |p: Progress| calls.push((p.rows, p.done));
        let options = Options {
            progress: Some(&mut record),
            ..Options::default()
        };
        audit_text(&text, &["DE"], OutputFormat::Csv, options);
        assert_eq!(
            calls,
            vec![(PROGRESS_EVERY, false), (PROGRESS_EVERY + 5, true)]
        );
    }
}
