//! The catalogue audit: one verdict per CSV row, streamed.
//!
//! A vendor catalogue is read record by record with the `csv` crate and each
//! result is written as soon as it is known, so memory stays flat however
//! long the file. Every row gives exactly one result per destination, in
//! input order, carrying the physical line its record starts on; a row that
//! cannot be read gives an `error` result and the audit goes on.
//!
//! Columns are matched by header, case-insensitively (`name`, `vendor`,
//! `datacenter`, `sparse`, one per precision, `area_mm2`, `non_planar`,
//! `interconnect_gbps`, `memory_bandwidth_gbps`); other headers can be
//! mapped with `--column "Header=name"` or a `--columns` TOML file. Every
//! other column passes through to CSV output.
//!
//! A row with figures is classified from its own figures (an empty cell is
//! unknown, never zero); a row with only a name (and maybe a vendor) is
//! looked up in the built-in library. Catalogues repeat products, so the
//! answer for a row is cached by the cells that decide it: a repeated row
//! costs a hash lookup, and the output is byte-for-byte the same as without
//! the cache.

use crate::catalogue::records::Item;
use crate::catalogue::{cells, Catalogue, InputFacts};
use crate::cli::{self, Destinations, Error};
use crate::config::Config;
use crate::country::Country;
use crate::diagnostic::{did_you_mean, from_toml_error, Diagnostic};
use crate::engine::{evaluate_all, Outcome, Subject};
use crate::library::{self, LibraryChip, Lookup};
use crate::number::{grouped, DecimalMark, FigureError};
use crate::precision::Precision;
use crate::report::{short_hash, Provenance};
use crate::rules::RuleSet;
use crate::spec::{ChipSpec, ComputeUnit};
use crate::verdict::{exit_status_failing_on, Verdict};
use clap::{Args, ValueEnum};
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::{Duration, Instant};

const MAPPING_HELP: &str = "\
Columns (matched by header, case-insensitively; other columns pass through to CSV output):
  name (required), vendor, datacenter, sparse, area_mm2, non_planar,
  interconnect_gbps, memory_bandwidth_gbps, and one per precision:
  fp64 fp32 tf32 fp16 bf16 fp8 fp6 fp4 int32 int16 int8 int4
  A row with figures is classified from them (an empty cell is unknown, never
  zero); a row with only a name (and maybe a vendor) is looked up in the library.
  Booleans: true/false, yes/no, 1/0, y/n.

Map other headers with --column \"Product Name=name\" (repeatable) or a TOML file
  given with --columns, one mapping per line:   \"FP16 TFLOPS\" = \"fp16\"

Exit status:
  0  every result is no_license_required
  1  at least one license_required or license_exception
  3  at least one indeterminate, and none of the above
  2  at least one row could not be read (every result is still written), or a
     usage error or unreadable catalogue (message on stderr)
  --fail-on narrows which verdicts count for 1 and 3; unreadable rows always do.";

#[derive(Args, Debug)]
#[command(after_help = MAPPING_HELP, after_long_help = MAPPING_HELP)]
pub struct AuditArgs {
    /// The catalogue CSV (`-` for standard input).
    #[arg(value_name = "CATALOGUE")]
    pub catalogue: PathBuf,

    #[command(flatten)]
    pub query: crate::cli::Destinations,

    #[command(flatten)]
    pub input: crate::catalogue::InputArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = AuditFormat::Table)]
    pub format: AuditFormat,

    /// Map a catalogue header to a column chipcheck reads, e.g.
    /// "Product Name=name" or "FP16 TFLOPS=fp16" (repeatable).
    #[arg(long = "column", value_name = "HEADER=COLUMN")]
    pub column: Vec<String>,

    /// A TOML file of header mappings, one per line: "Product Name" = "name".
    /// `--column` flags override it.
    #[arg(long = "columns", value_name = "FILE")]
    pub columns: Option<PathBuf>,

    /// Evaluate every row afresh instead of reusing the answer for a repeated
    /// row (slower; the output is identical).
    #[arg(long)]
    pub no_cache: bool,

    /// Also write FORMAT to PATH (repeatable): table, json, jsonl, csv stream;
    /// sarif (pointing at catalogue lines), junit, github and markdown are
    /// rendered from the results once the audit is done.
    #[arg(long = "output", value_name = "FORMAT=PATH")]
    pub outputs: Vec<crate::formats::OutputTarget>,
}

/// How the audit is written.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditFormat {
    /// A table for people, then the summary.
    Table,
    /// The input columns, then chipcheck's (spreadsheet-safe).
    Csv,
    /// One document: results, summary, provenance.
    Json,
    /// One result object per line, then a summary line.
    Jsonl,
}

/// Tuning that does not change the output.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Cached rows before the cache is cleared (0: no cache).
    pub cache_entries: usize,
    /// Cached output bytes before the cache is cleared.
    pub cache_bytes: usize,
    /// Show a row count on stderr every 100,000 rows.
    pub progress: bool,
    /// The run's "today", for a query without `--date` (none: `--date` is
    /// required).
    pub today: Option<Date>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            cache_entries: 4096,
            cache_bytes: 8 << 20,
            progress: false,
            today: None,
        }
    }
}

/// The largest `--columns` file chipcheck will read.
const MAX_MAPPING_BYTES: u64 = 1 << 20;
/// Restricted and error rows listed in the summary (the rest are counted).
const MAX_LISTED: usize = 1000;
/// Progress on a terminal every so many rows.
const PROGRESS_EVERY: u64 = 100_000;
/// Output is handed on in chunks of about this size.
const OUT_CHUNK: usize = 64 << 10;
/// How long output may wait in the buffer while rows keep coming.
const OUT_LATENCY: Duration = Duration::from_millis(250);
/// Input values echoed in messages are clipped to this many characters.
const MAX_ECHO: usize = 60;

/// The chipcheck columns appended to CSV output.
pub const CSV_COLUMNS: [&str; 10] = [
    "line",
    "destination",
    "verdict",
    "paragraphs",
    "tpp",
    "performance_density",
    "review_policy",
    "exceptions",
    "rule",
    "reason",
];

pub fn run(
    rules: &RuleSet,
    args: AuditArgs,
    today: Date,
    out: &mut dyn Write,
) -> Result<i32, Error> {
    run_configured(rules, &Config::default(), args, today, out)
}

/// [`run`] with a project file's defaults (`--to`, `--date`, `--end-user-hq`
/// and `--fail-on` when not given on the command line).
pub fn run_configured(
    rules: &RuleSet,
    config: &Config,
    args: AuditArgs,
    today: Date,
    out: &mut dyn Write,
) -> Result<i32, Error> {
    let mut options = Options {
        today: Some(today),
        ..Options::default()
    };
    if args.no_cache {
        options.cache_entries = 0;
    }
    // Progress only where someone watches it, and not over a table being
    // written to the same terminal.
    options.progress = std::io::stderr().is_terminal() && !std::io::stdout().is_terminal();
    if args.outputs.is_empty() {
        return run_with(rules, config, args, out, options);
    }
    write_outputs(rules, config, args, out, options)
}

/// `--output`: each extra report is a further pass over the catalogue (kept
/// in a temporary file when it came on standard input), so memory stays
/// flat for the streaming formats; the report formats that need every
/// result at once (SARIF, JUnit, GitHub, Markdown) are built from them.
fn write_outputs(
    rules: &RuleSet,
    config: &Config,
    mut args: AuditArgs,
    out: &mut dyn Write,
    options: Options,
) -> Result<i32, Error> {
    use crate::formats::OutputFormat;
    let mut _spool = None;
    if args.catalogue.as_os_str() == "-" {
        let mut file = tempfile_in_temp_dir()?;
        std::io::copy(&mut std::io::stdin(), &mut file.1).map_err(|source| Error::Io {
            path: "<stdin>".into(),
            source,
        })?;
        args.catalogue = file.0.clone();
        _spool = Some(Spool(file.0));
    }
    let targets = std::mem::take(&mut args.outputs);
    let stdout_taken = targets.iter().any(|t| t.path.is_none());
    let mut status = None;
    let pass = |format: AuditFormat, sink: &mut dyn Write| {
        let mut again = clone_args(&args);
        again.format = format;
        run_with(
            rules,
            config,
            again,
            sink,
            Options {
                progress: false,
                ..options
            },
        )
    };
    for target in &targets {
        let streaming = match target.format {
            OutputFormat::Table => Some(AuditFormat::Table),
            OutputFormat::Json => Some(AuditFormat::Json),
            OutputFormat::Jsonl => Some(AuditFormat::Jsonl),
            OutputFormat::Csv => Some(AuditFormat::Csv),
            _ => None,
        };
        let mut buf: Vec<u8> = Vec::new();
        let code = match streaming {
            Some(format) => match &target.path {
                Some(path) => {
                    let file = std::fs::File::create(path).map_err(|source| Error::Io {
                        path: path.display().to_string(),
                        source,
                    })?;
                    let mut w = std::io::BufWriter::new(file);
                    let code = pass(format, &mut w)?;
                    w.flush().map_err(|source| Error::Io {
                        path: path.display().to_string(),
                        source,
                    })?;
                    code
                }
                None => pass(format, out)?,
            },
            None => {
                let code = pass(AuditFormat::Json, &mut buf)?;
                let outcomes = outcomes_from_json(&buf, &args.catalogue.display().to_string())?;
                let inputs = vec![(
                    args.catalogue.display().to_string(),
                    crate::cli::file_sha256(&args.catalogue),
                )];
                let cx = crate::formats::Context {
                    rules,
                    outcomes: &outcomes,
                    licenses: &[],
                    inputs: &inputs,
                };
                let text = crate::formats::render(target.format, &cx);
                match &target.path {
                    Some(path) => std::fs::write(path, text).map_err(|source| Error::Io {
                        path: path.display().to_string(),
                        source,
                    })?,
                    None => out.write_all(text.as_bytes()).map_err(|source| Error::Io {
                        path: "<stdout>".into(),
                        source,
                    })?,
                }
                code
            }
        };
        status.get_or_insert(code);
    }
    if !stdout_taken {
        let code = run_with(rules, config, args, out, options)?;
        return Ok(code);
    }
    Ok(status.unwrap_or(0))
}

/// The results of a JSON audit as outcomes, each with its catalogue line
/// and the catalogue as its input.
pub fn outcomes_from_json(json: &[u8], catalogue: &str) -> Result<Vec<Outcome>, Error> {
    #[derive(serde::Deserialize)]
    struct Doc {
        results: Vec<Outcome>,
    }
    let doc: Doc = serde_json::from_slice(json)
        .map_err(|e| Error::Usage(format!("internal: the audit's JSON did not read back: {e}")))?;
    Ok(doc
        .results
        .into_iter()
        .map(|mut o| {
            o.input = catalogue.to_string();
            o
        })
        .collect())
}

/// Runs the audit to JSON in memory and reads the results back.
pub fn audit_outcomes(
    rules: &RuleSet,
    config: &Config,
    args: &AuditArgs,
) -> Result<(Vec<Outcome>, i32), Error> {
    let mut again = clone_args(args);
    again.format = AuditFormat::Json;
    again.outputs.clear();
    let mut buf = Vec::new();
    let code = run_with(
        rules,
        config,
        again,
        &mut buf,
        Options {
            progress: false,
            ..Options::default()
        },
    )?;
    Ok((
        outcomes_from_json(&buf, &args.catalogue.display().to_string())?,
        code,
    ))
}

fn clone_args(args: &AuditArgs) -> AuditArgs {
    AuditArgs {
        catalogue: args.catalogue.clone(),
        query: args.query.clone(),
        input: args.input.clone(),
        format: args.format,
        column: args.column.clone(),
        columns: args.columns.clone(),
        no_cache: args.no_cache,
        outputs: Vec::new(),
    }
}

/// A spooled copy of standard input, removed when the audit is done.
struct Spool(PathBuf);

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn tempfile_in_temp_dir() -> Result<(PathBuf, std::fs::File), Error> {
    let path = std::env::temp_dir().join(format!("chipcheck-stdin-{}.csv", std::process::id()));
    // create_new: never follow a planted link or overwrite another file.
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
    Ok((path, file))
}

/// [`run`] with explicit tuning (the cache size), for tests and benchmarks.
pub fn run_with(
    rules: &RuleSet,
    config: &Config,
    mut args: AuditArgs,
    out: &mut dyn Write,
    options: Options,
) -> Result<i32, Error> {
    args.query = args.query.with_defaults(config);
    let fail_on = args.query.fail_on(config);
    let date = match (args.query.date.as_deref(), options.today) {
        (text, Some(today)) => cli::parse_date(text, today)?,
        (Some(text), None) => cli::parse_date(Some(text), Date::MIN)?,
        (None, None) => return Err(Error::Usage("--date is required here".into())),
    };
    let destinations = cli::parse_destinations(&args.query.to)?;
    let hq = cli::parse_country("--end-user-hq", args.query.end_user_hq.as_deref())?;
    let mut mappings = match &args.columns {
        Some(path) => read_mapping_file(path)?,
        None => Vec::new(),
    };
    for flag in &args.column {
        let m = parse_mapping_flag(flag)?;
        mappings.retain(|o| !same_header(&o.header, &m.header));
        mappings.push(m);
    }

    let shown = if args.catalogue.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        args.catalogue.display().to_string()
    };
    let input: Box<dyn Read> = if args.catalogue.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        let file = std::fs::File::open(&args.catalogue).map_err(|source| Error::Io {
            path: shown.clone(),
            source,
        })?;
        Box::new(file)
    };
    let mut catalogue = Catalogue::open(input, &args.input, &shown)?;
    let header_line = usize::try_from(catalogue.header_line).unwrap_or(usize::MAX);
    let headers = read_headers(&catalogue.header, &shown, header_line)?;
    let layout = Layout::resolve(&headers, &mappings, &shown, header_line)?;

    let context = Context {
        rules,
        date,
        destinations: &destinations,
        hq,
        format: args.format,
        fail_on,
        licenses: &config.licenses,
        decimal: args.input.decimal_mark(),
    };
    let mut sink = Sink::new(out);
    let mut audit = Audit::new(&context, &layout, options);
    audit.start(&mut sink);

    let progress = options.progress;
    let mut shown_progress = false;
    loop {
        if sink.broken {
            break;
        }
        let item = catalogue.records.next_item().map_err(|source| Error::Io {
            path: shown.clone(),
            source,
        })?;
        match item {
            None => break,
            Some(Item::Record { line, fields }) => audit.row(line, &fields, &mut sink),
            Some(Item::Unreadable {
                line,
                fields,
                message,
            }) => audit.unreadable(line, &fields, &message, &mut sink),
        }
        if progress && audit.summary.rows % PROGRESS_EVERY == 0 {
            eprint!(
                "\rchipcheck audit: {} rows",
                grouped(Decimal::from(audit.summary.rows))
            );
            shown_progress = true;
        }
        sink.tick()?;
    }
    if shown_progress {
        eprint!("\r\x1b[2K");
    }
    audit.summary.input = catalogue.facts();
    audit.finish(&mut sink);
    sink.finish()?;
    for u in audit
        .summary
        .licenses
        .iter()
        .filter(|u| u.status != crate::config::LicenseStatus::Used)
    {
        eprintln!(
            "warning: licence {} on file is {} (expires {})",
            u.number, u.status, u.expires
        );
    }
    Ok(audit.exit_status())
}

// ----- columns -----------------------------------------------------------

/// A column chipcheck reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Field {
    Name,
    Vendor,
    Datacenter,
    Sparse,
    Figure(Precision),
    AreaMm2,
    NonPlanar,
    InterconnectGbps,
    MemoryBandwidthGbps,
}

impl Field {
    fn all() -> Vec<Field> {
        let mut all = vec![Field::Name, Field::Vendor, Field::Datacenter, Field::Sparse];
        all.extend(Precision::ALL.iter().map(|p| Field::Figure(*p)));
        all.extend([
            Field::AreaMm2,
            Field::NonPlanar,
            Field::InterconnectGbps,
            Field::MemoryBandwidthGbps,
        ]);
        all
    }

    fn name(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Vendor => "vendor",
            Field::Datacenter => "datacenter",
            Field::Sparse => "sparse",
            Field::Figure(p) => p.name(),
            Field::AreaMm2 => "area_mm2",
            Field::NonPlanar => "non_planar",
            Field::InterconnectGbps => "interconnect_gbps",
            Field::MemoryBandwidthGbps => "memory_bandwidth_gbps",
        }
    }

    fn from_name(name: &str) -> Option<Field> {
        let wanted = name.trim().to_lowercase();
        Field::all().into_iter().find(|f| f.name() == wanted)
    }

    /// Does a cell in this column make the row describe itself (rather than
    /// name a library chip)?
    fn describes(self) -> bool {
        !matches!(self, Field::Name | Field::Vendor)
    }
}

/// Headers for a message, at most 20 of them: a header row of a million
/// cells must not become a megabyte of error.
fn list_headers(headers: &[String]) -> String {
    const SHOWN: usize = 20;
    let mut text = headers
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if headers.len() > SHOWN {
        text.push_str(&format!(
            " … and {} more",
            headers.len().saturating_sub(SHOWN)
        ));
    }
    text
}

fn unknown_field(target: &str) -> String {
    let names: Vec<&str> = Field::all().into_iter().map(Field::name).collect();
    let near = did_you_mean(target.trim(), names.iter().copied())
        .or_else(|| synonym(target).map(str::to_string));
    match near {
        Some(near) => format!("unknown column `{}`; did you mean `{near}`?", target.trim()),
        None => format!(
            "unknown column `{}`; chipcheck reads: {}",
            target.trim(),
            names.join(", ")
        ),
    }
}

/// A column a likely wrong name probably meant (suggested, never assumed).
fn synonym(target: &str) -> Option<&'static str> {
    let words: String = target
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    let words = words.trim_matches('_');
    // `fp16_tflops`, `int8 tops`: a precision with its unit.
    for suffix in ["_tflops", "_tops", "_flops", "tflops", "tops"] {
        if let Some(p) = words
            .strip_suffix(suffix)
            .and_then(|w| Precision::from_name(w.trim_matches('_')))
        {
            return Some(p.name());
        }
    }
    let table: [(&[&str], &'static str); 8] = [
        (
            &[
                "area",
                "die",
                "die_area",
                "die_area_mm2",
                "die_size",
                "area_mm",
            ],
            "area_mm2",
        ),
        (
            &["datacentre", "data_center", "data_centre", "dc"],
            "datacenter",
        ),
        (
            &["manufacturer", "maker", "make", "brand", "vendor_name"],
            "vendor",
        ),
        (
            &["product", "product_name", "model", "chip", "part", "device"],
            "name",
        ),
        (
            &[
                "memory_bandwidth",
                "mem_bandwidth",
                "mem_bw",
                "hbm_bandwidth",
                "bandwidth",
            ],
            "memory_bandwidth_gbps",
        ),
        (
            &[
                "interconnect",
                "io_bandwidth",
                "chip_to_chip",
                "nvlink",
                "interconnect_bandwidth",
            ],
            "interconnect_gbps",
        ),
        (
            &["planar", "finfet", "non_planar_process", "nonplanar"],
            "non_planar",
        ),
        (&["sparsity", "is_sparse", "sparse_figures"], "sparse"),
    ];
    table
        .iter()
        .find(|(aliases, _)| aliases.contains(&words))
        .map(|(_, field)| *field)
}

/// One header mapping: a catalogue header read as a chipcheck column.
#[derive(Clone, Debug)]
struct Mapping {
    header: String,
    field: Field,
    /// Where it was given, for messages (`--column "A=b"`, `map.toml:3`).
    origin: String,
}

fn same_header(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

fn parse_mapping_flag(flag: &str) -> Result<Mapping, Error> {
    let origin = format!("--column \"{flag}\"");
    let Some((header, target)) = flag.rsplit_once('=') else {
        return Err(Error::Usage(format!(
            "{origin}: write HEADER=COLUMN, e.g. --column \"Product Name=name\""
        )));
    };
    if header.trim().is_empty() || target.trim().is_empty() {
        return Err(Error::Usage(format!(
            "{origin}: write HEADER=COLUMN, e.g. --column \"Product Name=name\""
        )));
    }
    let field = Field::from_name(target)
        .ok_or_else(|| Error::Usage(format!("{origin}: {}", unknown_field(target))))?;
    Ok(Mapping {
        header: header.trim().to_string(),
        field,
        origin,
    })
}

fn read_mapping_file(path: &Path) -> Result<Vec<Mapping>, Error> {
    let text = cli::read_text(path, MAX_MAPPING_BYTES, "mapping file")?;
    parse_mapping_text(&path.display().to_string(), &text)
}

fn parse_mapping_text(shown: &str, text: &str) -> Result<Vec<Mapping>, Error> {
    let table: BTreeMap<String, toml::Spanned<String>> = toml::from_str(text).map_err(|e| {
        from_toml_error(shown, text, &e)
            .help("write one mapping per line: \"Product Name\" = \"name\"")
    })?;
    let mut out: Vec<Mapping> = Vec::new();
    for (header, target) in table {
        let span = target.span();
        let field = Field::from_name(target.get_ref()).ok_or_else(|| {
            Diagnostic::new(
                shown,
                format!("header `{header}`: {}", unknown_field(target.get_ref())),
            )
            .at(text, Some(span.clone()))
        })?;
        if header.trim().is_empty() {
            return Err(Diagnostic::new(shown, "a mapping needs a header name")
                .at(text, Some(span))
                .into());
        }
        let line = text[..span.start.min(text.len())]
            .matches('\n')
            .count()
            .saturating_add(1);
        out.push(Mapping {
            header: header.trim().to_string(),
            field,
            origin: format!("{shown}:{line}"),
        });
    }
    Ok(out)
}

fn read_headers(record: &csv::ByteRecord, shown: &str, line: usize) -> Result<Vec<String>, Error> {
    let mut headers = Vec::with_capacity(record.len());
    for (i, cell) in record.iter().enumerate() {
        let cell = if i == 0 {
            cell.strip_prefix(b"\xEF\xBB\xBF".as_slice())
                .unwrap_or(cell)
        } else {
            cell
        };
        let text = std::str::from_utf8(cell).map_err(|e| {
            Diagnostic::new(
                shown,
                format!(
                    "the header row is not UTF-8 text (column {}, invalid byte at offset {})",
                    i.saturating_add(1),
                    e.valid_up_to()
                ),
            )
            .with_line(line)
            .at_column(1)
            .help(crate::catalogue::NOT_UTF8_HELP)
        })?;
        headers.push(text.to_string());
    }
    Ok(headers)
}

/// Which catalogue column holds which chipcheck column.
#[derive(Debug)]
struct Layout {
    headers: Vec<String>,
    name: usize,
    /// Every column read, in the catalogue's order (the cache key's order).
    used: Vec<(Field, usize)>,
}

impl Layout {
    fn resolve(
        headers: &[String],
        mappings: &[Mapping],
        shown: &str,
        line: usize,
    ) -> Result<Layout, Error> {
        let mut assigned: Vec<Option<Field>> = vec![None; headers.len()];
        let mut by_field: BTreeMap<Field, (usize, String)> = BTreeMap::new();
        for m in mappings {
            let matches: Vec<usize> = (0..headers.len())
                .filter(|i| same_header(&headers[*i], &m.header))
                .collect();
            let column = match matches.as_slice() {
                [one] => *one,
                [] => {
                    let hint = did_you_mean(&m.header, headers.iter().map(String::as_str))
                        .map(|h| format!("; did you mean `{h}`?"))
                        .unwrap_or_else(|| format!("; its headers are: {}", list_headers(headers)));
                    return Err(Error::Usage(format!(
                        "{}: the catalogue has no column `{}`{hint}",
                        m.origin, m.header
                    )));
                }
                several => {
                    return Err(Error::Usage(format!(
                        "{}: the catalogue has {} columns headed `{}` (columns {}); rename one",
                        m.origin,
                        several.len(),
                        m.header,
                        several
                            .iter()
                            .map(|i| i.saturating_add(1).to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )))
                }
            };
            if let Some((_, other)) = by_field.get(&m.field) {
                return Err(Error::Usage(format!(
                    "{}: `{}` is already mapped to `{}` by {other}",
                    m.origin,
                    m.field.name(),
                    headers[by_field[&m.field].0]
                )));
            }
            by_field.insert(m.field, (column, m.origin.clone()));
            assigned[column] = Some(m.field);
        }
        for field in Field::all() {
            if by_field.contains_key(&field) {
                continue;
            }
            let matches: Vec<usize> = (0..headers.len())
                .filter(|i| assigned[*i].is_none() && same_header(&headers[*i], field.name()))
                .collect();
            match matches.as_slice() {
                [] => {}
                [one] => {
                    by_field.insert(field, (*one, "its header".into()));
                    assigned[*one] = Some(field);
                }
                several => {
                    return Err(Diagnostic::new(
                        shown,
                        format!(
                            "columns {} are all headed `{}`; chipcheck cannot tell which to read",
                            several
                                .iter()
                                .map(|i| i.saturating_add(1).to_string())
                                .collect::<Vec<_>>()
                                .join(", "),
                            field.name()
                        ),
                    )
                    .with_line(line)
                    .at_column(1)
                    .help(format!(
                        "rename the others, or map one explicitly with --column \"HEADER={}\"",
                        field.name()
                    ))
                    .into())
                }
            }
        }
        let Some((name, _)) = by_field.get(&Field::Name).cloned() else {
            let likely: Vec<&str> = headers
                .iter()
                .map(String::as_str)
                .filter(|h| {
                    let l = h.to_lowercase();
                    l.contains("name") || l.contains("product") || l.contains("model")
                })
                .collect();
            let near = likely
                .first()
                .map(|h| h.to_string())
                .or_else(|| did_you_mean("name", headers.iter().map(String::as_str)));
            let help = match near {
                Some(h) => format!("did you mean `{h}`? map it with --column \"{h}=name\""),
                None => format!(
                    "map the product-name column with --column \"HEADER=name\"; the headers are: {}",
                    list_headers(headers)
                ),
            };
            return Err(Diagnostic::new(
                shown,
                "the catalogue has no `name` column (the product name is required)",
            )
            .with_line(line)
            .at_column(1)
            .help(help)
            .into());
        };
        let mut used: Vec<(Field, usize)> =
            by_field.into_iter().map(|(f, (c, _))| (f, c)).collect();
        used.sort_by_key(|(_, c)| *c);
        Ok(Layout {
            headers: headers.to_vec(),
            name,
            used,
        })
    }

    /// How a column is named in a message: its header, and the chipcheck
    /// column when the header is something else.
    fn column_label(&self, field: Field, column: usize) -> String {
        let header = &self.headers[column];
        if same_header(header, field.name()) {
            format!("column `{}`", field.name())
        } else {
            format!("column `{}` ({})", clip(header), field.name())
        }
    }
}

// ----- one row -----------------------------------------------------------

/// What was asked, fixed for the whole audit.
struct Context<'a> {
    rules: &'a RuleSet,
    date: Date,
    destinations: &'a [&'static Country],
    hq: Option<&'static Country>,
    format: AuditFormat,
    /// The verdicts that make the exit status non-zero.
    fail_on: Vec<Verdict>,
    /// Licences on file (`chipcheck.toml`): a covered result is `licensed`.
    licenses: &'a [crate::config::License],
    /// How figures mark their decimals.
    decimal: DecimalMark,
}

/// The answer for one row, rendered once (and cached for repeats).
struct Entry {
    /// The row's `name` cell.
    name: String,
    /// Why the row could not be read (verdict `error`).
    error: Option<String>,
    results: Vec<Rendered>,
    /// Rule versions the answers rest on (for the provenance).
    basis: Vec<String>,
    /// What the row did to each licence on file (tallied per row, since the
    /// entry is cached and may stand for many rows).
    licenses: Vec<crate::config::LicenseUse>,
}

/// One result, as written after its line number.
struct Rendered {
    verdict: Verdict,
    destination: Option<String>,
    bytes: Vec<u8>,
}

impl Entry {
    fn size(&self) -> usize {
        self.results
            .iter()
            .fold(self.name.len().saturating_add(64), |n, r| {
                n.saturating_add(r.bytes.len()).saturating_add(64)
            })
    }
}

trait AtColumn {
    fn at_column(self, column: usize) -> Self;
}

impl AtColumn for Diagnostic {
    fn at_column(mut self, column: usize) -> Self {
        self.column = column;
        self
    }
}

fn clip(text: &str) -> String {
    if text.chars().count() <= MAX_ECHO {
        return text.to_string();
    }
    let mut s: String = text.chars().take(MAX_ECHO).collect();
    s.push('…');
    s
}

fn figure_message(e: FigureError) -> String {
    match e {
        FigureError::NotANumber(s) => format!("`{}` is not a number", clip(&s)),
        FigureError::NotFinite(s) => format!("`{}` is not a finite number", clip(&s)),
        FigureError::Negative(s) => {
            format!("`{}` is negative; figures must be zero or more", clip(&s))
        }
        FigureError::TooLarge(s) => format!("`{}` is too large", clip(&s)),
        FigureError::Malformed { text, mark } => FigureError::Malformed {
            text: clip(&text),
            mark,
        }
        .to_string(),
    }
}

/// What a readable row says.
enum RowSpec {
    /// Its own figures.
    Own(Box<ChipSpec>),
    /// Only a name (and maybe a vendor): a library chip.
    Named {
        name: String,
        vendor: Option<String>,
    },
}

/// Reads the cells chipcheck uses; every unreadable cell is reported.
fn read_row(
    layout: &Layout,
    record: &csv::ByteRecord,
    decimal: DecimalMark,
) -> Result<RowSpec, String> {
    let cell = |c: usize| -> &str {
        record
            .get(c)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
            .trim()
    };
    let mut problems: Vec<String> = Vec::new();
    let mut spec = ChipSpec::default();
    let mut sparse = false;
    let mut figures = BTreeMap::new();
    let mut describes = false;
    for &(field, column) in &layout.used {
        let text = cell(column);
        // A placeholder (`N/A`, `TBD`, ...) in a figure or yes/no cell is
        // unknown, exactly like an empty cell.
        if text.is_empty() || (field.describes() && cells::is_placeholder(text)) {
            continue;
        }
        describes |= field.describes();
        let label = || layout.column_label(field, column);
        let boolean = |problems: &mut Vec<String>| match cells::boolean(text) {
            Some(b) => Some(b),
            None => {
                problems.push(format!(
                    "{}: `{}` is not yes or no (write true/false, yes/no, 1/0 or y/n)",
                    label(),
                    clip(text)
                ));
                None
            }
        };
        let figure = |problems: &mut Vec<String>| match cells::figure(text, decimal) {
            Ok(f) => f,
            Err(e) => {
                problems.push(format!("{}: {}", label(), figure_message(e)));
                None
            }
        };
        match field {
            Field::Name => spec.name = text.to_string(),
            Field::Vendor => spec.vendor = Some(text.to_string()),
            Field::Datacenter => spec.datacenter = boolean(&mut problems),
            Field::NonPlanar => spec.non_planar = boolean(&mut problems),
            Field::Sparse => sparse = boolean(&mut problems).unwrap_or(false),
            Field::Figure(p) => {
                if let Some(v) = figure(&mut problems) {
                    figures.insert(p, v);
                }
            }
            Field::AreaMm2 => match figure(&mut problems) {
                Some(v) if v.is_zero() => problems.push(format!(
                    "{}: the die area must be greater than zero (leave the cell empty if it is unknown)",
                    label()
                )),
                v => spec.die_area_mm2 = v,
            },
            Field::InterconnectGbps => spec.interconnect_gbps = figure(&mut problems),
            Field::MemoryBandwidthGbps => spec.memory_bandwidth_gbps = figure(&mut problems),
        }
    }
    if spec.name.is_empty() {
        problems.insert(
            0,
            format!(
                "{} is empty; every row needs a product name",
                layout.column_label(Field::Name, layout.name)
            ),
        );
    }
    if !problems.is_empty() {
        return Err(problems.join("; "));
    }
    if !describes {
        return Ok(RowSpec::Named {
            name: spec.name,
            vendor: spec.vendor,
        });
    }
    if !figures.is_empty() {
        spec.compute.push(ComputeUnit {
            name: None,
            sparse,
            figures,
        });
    }
    Ok(RowSpec::Own(Box::new(spec)))
}

fn vendor_matches(row: &str, chip: &ChipSpec) -> bool {
    let Some(v) = &chip.vendor else { return true };
    let (a, b) = (library::fold(row), library::fold(v));
    a.starts_with(&b) || b.starts_with(&a)
}

/// The library's answer to a name: a chip, or why there is none.
fn lookup(name: &str, vendor: Option<&str>) -> Result<&'static LibraryChip, String> {
    let found = library::find(name)
        .map_err(|d| format!("the chip library cannot be read: {}", d.message))?;
    let quoted = clip(name);
    match found {
        Lookup::Found(c) => match vendor {
            Some(v) if !vendor_matches(v, &c.spec) => Err(format!(
                "`{quoted}` is {} in the built-in library, but the row's vendor is `{}`; correct the name or vendor, or give the row's figures",
                c.spec.display_name(),
                clip(v)
            )),
            _ => Ok(c),
        },
        Lookup::Ambiguous(candidates) => {
            let narrowed: Vec<&LibraryChip> = match vendor {
                Some(v) => candidates.iter().copied().filter(|c| vendor_matches(v, &c.spec)).collect(),
                None => candidates.clone(),
            };
            if narrowed.len() == 1 {
                return Ok(narrowed[0]);
            }
            let list = if narrowed.is_empty() { &candidates } else { &narrowed };
            Err(format!(
                "`{quoted}` matches {} library chips: {}; give the full name, or the row's figures",
                list.len(),
                list.iter().map(|c| c.spec.display_name()).collect::<Vec<_>>().join(", ")
            ))
        }
        Lookup::NotFound { suggestions } if suggestions.is_empty() => Err(format!(
            "`{quoted}` is not in the built-in library (`chipcheck chips` lists it) and the row gives no figures; give its figures (fp16, fp8, int8, ..., area_mm2) to classify it"
        )),
        Lookup::NotFound { suggestions } => Err(format!(
            "`{quoted}` is not in the built-in library and the row gives no figures; did you mean: {}? Give its figures (fp16, fp8, int8, ..., area_mm2) to classify it",
            suggestions.join(", ")
        )),
    }
}

/// Spec paths (as the engine names them) as catalogue columns.
fn settle_columns(fields: &[String]) -> String {
    let mut out: Vec<&str> = Vec::new();
    for f in fields {
        let c = match f.as_str() {
            "compute" => "figures (fp16, fp8, int8, ...)",
            "die.area_mm2" => "area_mm2",
            "die.non_planar" => "non_planar",
            "io.interconnect_gbps" => "interconnect_gbps",
            "io.memory_bandwidth_gbps" => "memory_bandwidth_gbps",
            other => other,
        };
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out.join(", ")
}

/// The one-line reason for the CSV `reason` column and the table.
fn headline(o: &Outcome, library_chip: Option<&str>, miss: Option<&str>) -> String {
    if o.verdict == Verdict::Error {
        return o.reasons.first().cloned().unwrap_or_default();
    }
    if let Some(m) = miss {
        return m.to_string();
    }
    let to = o
        .destination
        .as_deref()
        .map(|d| format!(" to {d}"))
        .unwrap_or_default();
    let paras = o.paragraphs.join(", ");
    let every = o.destination.is_none();
    let text = if o.rule.is_none() && o.basis.is_empty() {
        o.reasons
            .iter()
            .find(|r| r.starts_with("no advanced-computing"))
            .or(o.reasons.last())
            .cloned()
            .unwrap_or_default()
    } else {
        match o.verdict {
            Verdict::LicenseRequired | Verdict::LicenseException if every => {
                let list = o.license_destinations.clone().unwrap_or_default();
                format!(
                    "meets {paras}; licence required (or a licence exception) for {} destinations: {}",
                    list.len(),
                    list.join(", ")
                )
            }
            Verdict::LicenseRequired => {
                let policy = o
                    .review_policy
                    .map(|p| format!("; {}", p.words()))
                    .unwrap_or_default();
                format!("meets {paras}; licence required{to}{policy}")
            }
            Verdict::LicenseException => {
                let ex: Vec<String> = o
                    .exceptions
                    .iter()
                    .map(|e| {
                        let notify = match (e.notification_required, e.notification_days) {
                            (true, Some(d)) => {
                                format!(", with prior notification to BIS ({d} days)")
                            }
                            (true, None) => ", with prior notification to BIS".to_string(),
                            _ => String::new(),
                        };
                        format!("License Exception {}{notify}", e.id)
                    })
                    .collect();
                format!(
                    "meets {paras}; licence required{to} unless under {}",
                    ex.join(" or ")
                )
            }
            Verdict::Indeterminate => {
                let settle = settle_columns(&o.settle_with);
                let settle = if settle.is_empty() {
                    "more figures".to_string()
                } else {
                    settle
                };
                if every {
                    let n = o
                        .indeterminate_destinations
                        .as_ref()
                        .map(Vec::len)
                        .unwrap_or(0);
                    format!("undecided for {n} destinations; give {settle} to settle it")
                } else {
                    format!("undecided{to}; give {settle} to settle it")
                }
            }
            Verdict::NoLicenseRequired if o.paragraphs.is_empty() => format!(
                "meets no controlled paragraph of {}",
                o.rule.clone().unwrap_or_else(|| o.basis.join(", "))
            ),
            Verdict::NoLicenseRequired if every => {
                format!("meets {paras}, but no destination needs a licence")
            }
            Verdict::NoLicenseRequired => {
                format!("meets {paras}, but no licence requirement reaches{to}")
            }
            Verdict::Licensed => o.reasons.last().cloned().unwrap_or_default(),
            Verdict::Error => String::new(),
        }
    };
    match library_chip {
        Some(chip) => format!("library: {chip}; {text}"),
        None => text,
    }
}

fn error_outcome(
    ctx: &Context,
    name: &str,
    vendor: Option<String>,
    message: &str,
    destination: Option<&'static Country>,
) -> Outcome {
    Outcome {
        line: None,
        chip: name.to_string(),
        vendor,
        input: "catalogue".into(),
        destination: destination.map(|c| c.code.to_string()),
        destination_name: destination.map(|c| c.name.to_string()),
        evaluated_as: None,
        country_groups: Vec::new(),
        end_user_hq: ctx.hq.map(|c| c.code.to_string()),
        date: ctx.date.to_string(),
        rule: None,
        rule_citation: None,
        tpp: None,
        performance_density: None,
        paragraphs: Vec::new(),
        verdict: Verdict::Error,
        review_policy: None,
        exceptions: Vec::new(),
        reasons: vec![message.to_string()],
        settle_with: Vec::new(),
        assumptions: Vec::new(),
        basis: Vec::new(),
        license_destinations: None,
        indeterminate_destinations: None,
    }
}

fn destinations_or_none(ctx: &Context) -> Vec<Option<&'static Country>> {
    if ctx.destinations.is_empty() {
        vec![None]
    } else {
        ctx.destinations.iter().map(|d| Some(*d)).collect()
    }
}

/// Classifies a readable row, or explains why it cannot be.
fn evaluate_row(ctx: &Context, layout: &Layout, record: &csv::ByteRecord) -> Entry {
    let name_cell = String::from_utf8_lossy(record.get(layout.name).unwrap_or_default())
        .trim()
        .to_string();
    let row = match read_row(layout, record, ctx.decimal) {
        Ok(row) => row,
        Err(message) => return error_entry(ctx, &name_cell, None, &message),
    };
    let (outcomes, library_chip, miss) = match row {
        RowSpec::Own(spec) => {
            let subject = Subject::chip(&spec, "catalogue");
            (
                evaluate_all(ctx.rules, &subject, ctx.date, ctx.destinations, ctx.hq),
                None,
                None,
            )
        }
        RowSpec::Named { name, vendor } => match lookup(&name, vendor.as_deref()) {
            Ok(chip) => {
                let contained = match cli::resolve_contained(&chip.spec) {
                    Ok(c) => c,
                    Err(e) => {
                        return error_entry(
                            ctx,
                            &name_cell,
                            vendor,
                            &format!("library chip {}: {e}", chip.spec.display_name()),
                        )
                    }
                };
                let subject = Subject {
                    spec: &chip.spec,
                    input: "library".into(),
                    contained,
                };
                let mut outcomes =
                    evaluate_all(ctx.rules, &subject, ctx.date, ctx.destinations, ctx.hq);
                let note = format!(
                    "`{}` is {} in the built-in library (examples/chips/{})",
                    clip(&name),
                    chip.spec.display_name(),
                    chip.file
                );
                for o in &mut outcomes {
                    o.reasons.insert(0, note.clone());
                }
                (outcomes, Some(chip.spec.display_name()), None)
            }
            Err(message) => {
                // Not a library chip and no figures: undecided, never clear.
                let spec = ChipSpec {
                    name: name.clone(),
                    vendor: vendor.clone(),
                    ..bare_spec()
                };
                let subject = Subject::chip(&spec, "catalogue");
                let mut outcomes =
                    evaluate_all(ctx.rules, &subject, ctx.date, ctx.destinations, ctx.hq);
                for o in &mut outcomes {
                    o.verdict = Verdict::Indeterminate;
                    o.paragraphs.clear();
                    o.review_policy = None;
                    o.exceptions.clear();
                    o.reasons = vec![message.clone()];
                    o.assumptions.clear();
                    if o.settle_with.is_empty() {
                        o.settle_with = vec!["compute".into()];
                    }
                    if o.license_destinations.is_some() {
                        o.license_destinations = Some(Vec::new());
                    }
                }
                (outcomes, None, Some(message))
            }
        },
    };
    let mut outcomes = outcomes;
    // A pure function of chip, destination and date, so a cached entry
    // stays right for every row it stands for.
    let licenses = crate::config::apply_licenses(ctx.rules, ctx.licenses, &mut outcomes);
    let mut basis = BTreeSet::new();
    let results = outcomes
        .iter()
        .map(|o| {
            basis.extend(o.basis.iter().cloned());
            let reason = headline(o, library_chip.as_deref(), miss.as_deref());
            Rendered {
                verdict: o.verdict,
                destination: o.destination.clone(),
                bytes: render(ctx.format, &name_cell, None, o, &reason),
            }
        })
        .collect();
    Entry {
        name: name_cell,
        error: None,
        results,
        basis: basis.into_iter().collect(),
        licenses,
    }
}

fn bare_spec() -> ChipSpec {
    ChipSpec::default()
}

fn error_entry(ctx: &Context, name: &str, vendor: Option<String>, message: &str) -> Entry {
    let results = destinations_or_none(ctx)
        .into_iter()
        .map(|d| {
            let o = error_outcome(ctx, name, vendor.clone(), message, d);
            Rendered {
                verdict: Verdict::Error,
                destination: o.destination.clone(),
                bytes: render(ctx.format, name, Some(message), &o, message),
            }
        })
        .collect();
    Entry {
        name: name.to_string(),
        error: Some(message.to_string()),
        results,
        basis: Vec::new(),
        licenses: Vec::new(),
    }
}

// ----- rendering ---------------------------------------------------------

/// Spreadsheets run a cell that starts with one of these as a formula.
fn needs_neutralising(cell: &[u8]) -> bool {
    matches!(
        cell.first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// Appends one CSV cell: quoted when it must be, and neutralised (a leading
/// `'`) when a spreadsheet would read it as a formula.
fn push_csv_cell(buf: &mut Vec<u8>, cell: &[u8]) {
    let neutralise = needs_neutralising(cell);
    let quote = cell.iter().any(|&b| QUOTED[b as usize]);
    if !quote && !neutralise {
        buf.extend_from_slice(cell);
        return;
    }
    if quote {
        buf.push(b'"');
    }
    if neutralise {
        buf.push(b'\'');
    }
    if quote {
        let mut rest = cell;
        while let Some(i) = rest.iter().position(|&b| b == b'"') {
            buf.extend_from_slice(&rest[..=i]);
            buf.push(b'"');
            rest = &rest[i.saturating_add(1)..];
        }
        buf.extend_from_slice(rest);
        buf.push(b'"');
    } else {
        buf.extend_from_slice(cell);
    }
}

/// Bytes that make a CSV cell need quotes.
const QUOTED: [bool; 256] = {
    let mut t = [false; 256];
    t[b'"' as usize] = true;
    t[b',' as usize] = true;
    t[b'\n' as usize] = true;
    t[b'\r' as usize] = true;
    t
};

fn bump(count: &mut u64) {
    *count = count.saturating_add(1);
}

fn push_number(buf: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i = i.saturating_sub(1);
        digits[i] = b'0'.wrapping_add((n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[i..]);
}

/// Text for a terminal: control characters (escape sequences, tabs) shown
/// as a replacement character.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

/// The table's columns and widths (streamed, so fixed; a longer cell pushes
/// the rest of its line along). The paragraphs met are in the reason.
const TABLE_COLUMNS: [(&str, usize); 6] = [
    ("LINE", 8),
    ("VERDICT", 21),
    ("TO", 7),
    ("CHIP", 28),
    ("TPP", 12),
    ("REASON", 0),
];

fn push_padded(buf: &mut Vec<u8>, text: &str, width: usize) {
    buf.extend_from_slice(text.as_bytes());
    if width == 0 {
        return;
    }
    let used = text.chars().count();
    let pad = width.saturating_sub(used).max(2);
    buf.extend(std::iter::repeat_n(b' ', pad));
}

#[derive(Serialize)]
struct JsonResult<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    #[serde(flatten)]
    outcome: &'a Outcome,
}

/// A result as written after its line number.
fn render(
    format: AuditFormat,
    name: &str,
    error: Option<&str>,
    o: &Outcome,
    reason: &str,
) -> Vec<u8> {
    let mut buf = Vec::new();
    match format {
        AuditFormat::Csv => {
            let [verdict, paragraphs, tpp, pd, policy, exceptions, rule] =
                crate::formats::verdict_cells(o);
            let cells = [
                o.destination.clone().unwrap_or_default(),
                verdict,
                paragraphs,
                tpp,
                pd,
                policy,
                exceptions,
                rule,
                reason.to_string(),
            ];
            for c in cells {
                buf.push(b',');
                push_csv_cell(&mut buf, c.as_bytes());
            }
            buf.push(b'\n');
        }
        AuditFormat::Json | AuditFormat::Jsonl => {
            let r = JsonResult {
                name,
                error,
                outcome: o,
            };
            let text =
                serde_json::to_string(&r).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
            buf.push(b',');
            buf.extend_from_slice(&text.as_bytes()[1..]);
            if format == AuditFormat::Jsonl {
                buf.push(b'\n');
            }
        }
        AuditFormat::Table => {
            let cells = [
                o.verdict.name().to_string(),
                o.destination.clone().unwrap_or_else(|| "(all)".into()),
                printable(&o.chip),
                match (o.verdict, o.tpp) {
                    (Verdict::Error, _) => "-".into(),
                    (_, Some(t)) => grouped(t),
                    (_, None) => "unknown".into(),
                },
                printable(reason),
            ];
            for (text, (_, width)) in cells.iter().zip(TABLE_COLUMNS[1..].iter()) {
                push_padded(&mut buf, text, *width);
            }
            buf.push(b'\n');
        }
    }
    buf
}

// ----- output ------------------------------------------------------------

/// Buffered output that stops quietly on a closed pipe (`| head`).
struct Sink<'a> {
    out: &'a mut dyn Write,
    buf: Vec<u8>,
    broken: bool,
    error: Option<std::io::Error>,
    last: Instant,
    ticks: u32,
}

impl<'a> Sink<'a> {
    fn new(out: &'a mut dyn Write) -> Self {
        Sink {
            out,
            buf: Vec::with_capacity(OUT_CHUNK + 4096),
            broken: false,
            error: None,
            last: Instant::now(),
            ticks: 0,
        }
    }

    fn push(&mut self) -> Result<(), Error> {
        if self.broken || self.buf.is_empty() {
            self.buf.clear();
            return self.check();
        }
        let r = self.out.write_all(&self.buf).and_then(|_| self.out.flush());
        self.buf.clear();
        self.last = Instant::now();
        if let Err(e) = r {
            self.broken = true;
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                self.error = Some(e);
            }
        }
        self.check()
    }

    fn check(&mut self) -> Result<(), Error> {
        match self.error.take() {
            Some(source) => Err(Error::Io {
                path: "<stdout>".into(),
                source,
            }),
            None => Ok(()),
        }
    }

    /// After each row: hand output on when there is enough of it, or when it
    /// has waited long enough.
    fn tick(&mut self) -> Result<(), Error> {
        self.ticks = self.ticks.wrapping_add(1);
        if self.buf.len() >= OUT_CHUNK
            || (self.ticks % 256 == 0 && !self.buf.is_empty() && self.last.elapsed() >= OUT_LATENCY)
        {
            self.push()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), Error> {
        self.push()
    }
}

// ----- the audit ---------------------------------------------------------

#[derive(Serialize)]
struct RestrictedRow {
    line: u64,
    name: String,
    verdict: Verdict,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    destinations: Vec<String>,
}

#[derive(Serialize)]
struct ErrorRow {
    line: u64,
    name: String,
    message: String,
}

#[derive(Serialize, Default)]
struct VerdictCounts {
    license_required: u64,
    license_exception: u64,
    indeterminate: u64,
    no_license_required: u64,
    licensed: u64,
    error: u64,
}

#[derive(Default)]
struct Summary {
    rows: u64,
    results: u64,
    counts: VerdictCounts,
    restricted: Vec<RestrictedRow>,
    restricted_not_listed: u64,
    errors: Vec<ErrorRow>,
    errors_not_listed: u64,
    basis: BTreeSet<String>,
    /// Each licence on file: used, unused or expired over the whole audit.
    licenses: Vec<crate::config::LicenseUse>,
    /// Lines read, delimiter and encoding.
    input: InputFacts,
}

#[derive(Serialize)]
struct SummaryJson<'a> {
    /// Records audited.
    rows: u64,
    results: u64,
    #[serde(flatten)]
    input: &'a InputFacts,
    date: String,
    /// `null`: one result per row over every destination.
    destinations: Option<Vec<&'static str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_user_hq: Option<&'static str>,
    verdicts: &'a VerdictCounts,
    restricted: &'a [RestrictedRow],
    restricted_not_listed: u64,
    errors: &'a [ErrorRow],
    errors_not_listed: u64,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    licenses: &'a [crate::config::LicenseUse],
    exit_status: i32,
}

struct Audit<'a> {
    ctx: &'a Context<'a>,
    layout: &'a Layout,
    options: Options,
    cache: HashMap<Box<[u8]>, Rc<Entry>>,
    cache_bytes: usize,
    key: Vec<u8>,
    summary: Summary,
}

impl<'a> Audit<'a> {
    fn new(ctx: &'a Context<'a>, layout: &'a Layout, options: Options) -> Self {
        Audit {
            ctx,
            layout,
            options,
            cache: HashMap::new(),
            cache_bytes: 0,
            key: Vec::with_capacity(256),
            summary: Summary::default(),
        }
    }

    fn start(&mut self, sink: &mut Sink) {
        let buf = &mut sink.buf;
        match self.ctx.format {
            AuditFormat::Csv => {
                for h in &self.layout.headers {
                    push_csv_cell(buf, h.as_bytes());
                    buf.push(b',');
                }
                buf.extend_from_slice(CSV_COLUMNS.join(",").as_bytes());
                buf.push(b'\n');
            }
            AuditFormat::Json => buf.extend_from_slice(b"{\n  \"results\": ["),
            AuditFormat::Jsonl => {}
            AuditFormat::Table => {
                for (name, width) in TABLE_COLUMNS {
                    push_padded(buf, name, width);
                }
                buf.push(b'\n');
            }
        }
    }

    fn row(&mut self, line: u64, record: &csv::ByteRecord, sink: &mut Sink) {
        let entry = self.entry(record);
        self.emit(line, record, &entry, sink);
    }

    /// A record the reader could not deliver whole, with the cells read
    /// before the problem.
    fn unreadable(&mut self, line: u64, record: &csv::ByteRecord, message: &str, sink: &mut Sink) {
        let name = String::from_utf8_lossy(record.get(self.layout.name).unwrap_or_default())
            .trim()
            .to_string();
        let entry = error_entry(self.ctx, &name, None, message);
        self.emit(line, record, &entry, sink);
    }

    fn entry(&mut self, record: &csv::ByteRecord) -> Rc<Entry> {
        let layout = self.layout;
        let width = layout.headers.len();
        if record.len() != width {
            let name = String::from_utf8_lossy(record.get(layout.name).unwrap_or_default())
                .trim()
                .to_string();
            let message = format!(
                "the row has {} field{}; the header has {} (a missing or extra comma, or an unclosed quote?)",
                record.len(),
                if record.len() == 1 { "" } else { "s" },
                width
            );
            return Rc::new(error_entry(self.ctx, &name, None, &message));
        }
        if let Some(message) = utf8_problem(layout, record) {
            let name = String::from_utf8_lossy(record.get(layout.name).unwrap_or_default())
                .trim()
                .to_string();
            return Rc::new(error_entry(self.ctx, &name, None, &message));
        }
        if self.options.cache_entries == 0 {
            return Rc::new(self.evaluate(record));
        }
        self.key.clear();
        for &(_, column) in &layout.used {
            let cell = record.get(column).unwrap_or_default();
            self.key
                .extend_from_slice(&(cell.len() as u32).to_le_bytes());
            self.key.extend_from_slice(cell);
        }
        if let Some(e) = self.cache.get(self.key.as_slice()) {
            return Rc::clone(e);
        }
        let entry = Rc::new(self.evaluate(record));
        let size = entry.size().saturating_add(self.key.len());
        if self.cache.len() >= self.options.cache_entries
            || self.cache_bytes.saturating_add(size) > self.options.cache_bytes
        {
            self.cache.clear();
            self.cache_bytes = 0;
        }
        self.cache_bytes = self.cache_bytes.saturating_add(size);
        self.cache
            .insert(self.key.clone().into_boxed_slice(), Rc::clone(&entry));
        entry
    }

    /// Evaluates a row afresh, noting the rules its answers rest on.
    fn evaluate(&mut self, record: &csv::ByteRecord) -> Entry {
        let entry = evaluate_row(self.ctx, self.layout, record);
        for b in &entry.basis {
            if !self.summary.basis.contains(b) {
                self.summary.basis.insert(b.clone());
            }
        }
        entry
    }

    fn emit(&mut self, line: u64, record: &csv::ByteRecord, entry: &Entry, sink: &mut Sink) {
        let s = &mut self.summary;
        bump(&mut s.rows);
        if s.licenses.is_empty() && !self.ctx.licenses.is_empty() {
            s.licenses = crate::config::apply_licenses(self.ctx.rules, self.ctx.licenses, &mut []);
        }
        for (total, row) in s.licenses.iter_mut().zip(&entry.licenses) {
            total.absorb(row);
        }
        let buf = &mut sink.buf;
        let mut worst: Option<Verdict> = None;
        let mut restricted_to = Vec::new();
        for r in &entry.results {
            bump(&mut s.results);
            match r.verdict {
                Verdict::LicenseRequired => bump(&mut s.counts.license_required),
                Verdict::LicenseException => bump(&mut s.counts.license_exception),
                Verdict::Indeterminate => bump(&mut s.counts.indeterminate),
                Verdict::NoLicenseRequired => bump(&mut s.counts.no_license_required),
                Verdict::Licensed => bump(&mut s.counts.licensed),
                Verdict::Error => bump(&mut s.counts.error),
            }
            if matches!(
                r.verdict,
                Verdict::LicenseRequired | Verdict::LicenseException
            ) {
                if worst.is_none_or(|w| r.verdict.severity() > w.severity()) {
                    worst = Some(r.verdict);
                }
                restricted_to.extend(r.destination.clone());
            }
            match self.ctx.format {
                AuditFormat::Csv => {
                    for i in 0..self.layout.headers.len() {
                        let cell = record.get(i).unwrap_or_default();
                        if entry.error.is_some() {
                            // An unreadable row may hold bytes that are not
                            // UTF-8; the output stays UTF-8.
                            push_csv_cell(buf, String::from_utf8_lossy(cell).as_bytes());
                        } else {
                            push_csv_cell(buf, cell);
                        }
                        buf.push(b',');
                    }
                    push_number(buf, line);
                }
                AuditFormat::Json => {
                    buf.extend_from_slice(if s.results == 1 {
                        b"\n    {\"line\":"
                    } else {
                        b",\n    {\"line\":"
                    });
                    push_number(buf, line);
                }
                AuditFormat::Jsonl => {
                    buf.extend_from_slice(b"{\"line\":");
                    push_number(buf, line);
                }
                AuditFormat::Table => {
                    let start = buf.len();
                    push_number(buf, line);
                    let used = buf.len().saturating_sub(start);
                    let width = TABLE_COLUMNS[0].1;
                    buf.extend(std::iter::repeat_n(b' ', width.saturating_sub(used).max(2)));
                }
            }
            buf.extend_from_slice(&r.bytes);
        }
        if let Some(verdict) = worst {
            if s.restricted.len() < MAX_LISTED {
                s.restricted.push(RestrictedRow {
                    line,
                    name: entry.name.clone(),
                    verdict,
                    destinations: restricted_to,
                });
            } else {
                bump(&mut s.restricted_not_listed);
            }
        }
        if let Some(message) = &entry.error {
            if s.errors.len() < MAX_LISTED {
                s.errors.push(ErrorRow {
                    line,
                    name: entry.name.clone(),
                    message: message.clone(),
                });
            } else {
                bump(&mut s.errors_not_listed);
            }
        }
    }

    fn exit_status(&self) -> i32 {
        let c = &self.summary.counts;
        let mut verdicts = Vec::new();
        for (n, v) in [
            (c.license_required, Verdict::LicenseRequired),
            (c.license_exception, Verdict::LicenseException),
            (c.indeterminate, Verdict::Indeterminate),
            (c.no_license_required, Verdict::NoLicenseRequired),
            (c.error, Verdict::Error),
        ] {
            if n > 0 {
                verdicts.push(v);
            }
        }
        exit_status_failing_on(verdicts, &self.ctx.fail_on)
    }

    fn provenance(&self) -> Provenance {
        let mut p = Provenance::new(self.ctx.rules, &[]);
        p.rule_versions = self.summary.basis.iter().cloned().collect();
        p
    }

    fn summary_json(&self) -> SummaryJson<'_> {
        let s = &self.summary;
        SummaryJson {
            rows: s.rows,
            results: s.results,
            input: &s.input,
            date: self.ctx.date.to_string(),
            destinations: if self.ctx.destinations.is_empty() {
                None
            } else {
                Some(self.ctx.destinations.iter().map(|d| d.code).collect())
            },
            end_user_hq: self.ctx.hq.map(|c| c.code),
            verdicts: &s.counts,
            restricted: &s.restricted,
            restricted_not_listed: s.restricted_not_listed,
            errors: &s.errors,
            errors_not_listed: s.errors_not_listed,
            licenses: &s.licenses,
            exit_status: self.exit_status(),
        }
    }

    fn finish(&mut self, sink: &mut Sink) {
        let buf = &mut sink.buf;
        match self.ctx.format {
            AuditFormat::Csv => {}
            AuditFormat::Json => {
                #[derive(Serialize)]
                struct Tail<'a> {
                    summary: SummaryJson<'a>,
                    provenance: Provenance,
                }
                let tail = Tail {
                    summary: self.summary_json(),
                    provenance: self.provenance(),
                };
                let text = serde_json::to_string_pretty(&tail).unwrap_or_default();
                buf.extend_from_slice(if self.summary.results == 0 {
                    b"],"
                } else {
                    b"\n  ],"
                });
                buf.extend_from_slice(&text.as_bytes()[1..]);
                buf.push(b'\n');
            }
            AuditFormat::Jsonl => {
                #[derive(Serialize)]
                struct Tail<'a> {
                    summary: SummaryJson<'a>,
                    provenance: Provenance,
                }
                let tail = Tail {
                    summary: self.summary_json(),
                    provenance: self.provenance(),
                };
                buf.extend_from_slice(serde_json::to_string(&tail).unwrap_or_default().as_bytes());
                buf.push(b'\n');
            }
            AuditFormat::Table => {
                let text = self.summary_text();
                buf.extend_from_slice(text.as_bytes());
            }
        }
    }

    fn summary_text(&self) -> String {
        let s = &self.summary;
        let ctx = self.ctx;
        let to = if ctx.destinations.is_empty() {
            "every destination".to_string()
        } else {
            ctx.destinations
                .iter()
                .map(|d| d.code)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let hq = ctx
            .hq
            .map(|c| format!(", end user headquartered in {}", c.code))
            .unwrap_or_default();
        let mut out = format!(
            "\n{} row{}, {} result{} · {} · to {to}{hq}\n",
            s.rows,
            if s.rows == 1 { "" } else { "s" },
            s.results,
            if s.results == 1 { "" } else { "s" },
            ctx.date
        );
        out.push_str(&format!("  {}\n", s.input.describe()));
        let c = &s.counts;
        for (name, n) in [
            ("license_required", c.license_required),
            ("license_exception", c.license_exception),
            ("indeterminate", c.indeterminate),
            ("no_license_required", c.no_license_required),
            ("licensed", c.licensed),
            ("error", c.error),
        ] {
            if name == "licensed" && n == 0 && self.ctx.licenses.is_empty() {
                continue;
            }
            out.push_str(&format!("  {name:<21}{n:>8}\n"));
        }
        for u in &s.licenses {
            out.push_str(&format!(
                "  licence {}: {} ({} results; expires {})\n",
                u.number, u.status, u.results, u.expires
            ));
        }
        let listed = |out: &mut String, title: &str, rows: Vec<(u64, String)>, more: u64| {
            if rows.is_empty() {
                return;
            }
            out.push_str(&format!(
                "\n{title} ({}):\n",
                (rows.len() as u64).saturating_add(more)
            ));
            for (line, text) in rows {
                out.push_str(&format!("  line {:<7}{}\n", line, printable(&text)));
            }
            if more > 0 {
                out.push_str(&format!("  ... and {more} more (see the results)\n"));
            }
        };
        listed(
            &mut out,
            "Restricted products",
            s.restricted
                .iter()
                .map(|r| {
                    let to = if r.destinations.is_empty() {
                        String::new()
                    } else {
                        format!(" to {}", r.destinations.join(", "))
                    };
                    (r.line, format!("{}  {}{to}", r.name, r.verdict))
                })
                .collect(),
            s.restricted_not_listed,
        );
        listed(
            &mut out,
            "Rows that could not be read",
            s.errors
                .iter()
                .map(|e| (e.line, e.message.clone()))
                .collect(),
            s.errors_not_listed,
        );
        out.push_str(&format!(
            "\nchipcheck {} · rules {} ({})\n",
            crate::VERSION,
            ctx.rules.origin,
            short_hash(&ctx.rules.hash)
        ));
        out
    }
}

/// Every cell must be UTF-8 text; the first that is not is named.
fn utf8_problem(layout: &Layout, record: &csv::ByteRecord) -> Option<String> {
    // Fast path: the whole record is valid and no cell starts inside a
    // character, so every cell is valid.
    if std::str::from_utf8(record.as_slice()).is_ok()
        && record
            .iter()
            .all(|c| c.first().is_none_or(|b| b & 0xC0 != 0x80))
    {
        return None;
    }
    for (i, cell) in record.iter().enumerate() {
        if let Err(e) = std::str::from_utf8(cell) {
            let label = match layout.used.iter().find(|(_, c)| *c == i) {
                Some((f, c)) => layout.column_label(*f, *c),
                None => format!(
                    "column `{}`",
                    clip(layout.headers.get(i).map(String::as_str).unwrap_or("?"))
                ),
            };
            return Some(format!(
                "{label}: not UTF-8 text (invalid byte 0x{:02X} at offset {}); {}",
                cell[e.valid_up_to()],
                e.valid_up_to(),
                crate::catalogue::NOT_UTF8_HELP
            ));
        }
    }
    None
}

/// The destinations flags, for callers building [`AuditArgs`] in code.
pub fn destinations(to: &[&str], date: &str) -> Destinations {
    Destinations {
        to: to.iter().map(|s| s.to_string()).collect(),
        date: Some(date.to_string()),
        end_user_hq: None,
        fail_on: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> RuleSet {
        RuleSet::embedded().unwrap()
    }

    fn args(path: &Path, to: &[&str], format: AuditFormat) -> AuditArgs {
        AuditArgs {
            catalogue: path.to_path_buf(),
            query: destinations(to, "2024-06-01"),
            input: Default::default(),
            format,
            column: Vec::new(),
            columns: None,
            no_cache: false,
            outputs: Vec::new(),
        }
    }

    fn temp_csv(tag: &str, text: &str) -> PathBuf {
        let path =
            std::env::temp_dir().join(format!("chipcheck-audit-{}-{tag}.csv", std::process::id()));
        std::fs::write(&path, text).unwrap();
        path
    }

    fn audit(path: &Path, to: &[&str], format: AuditFormat, options: Options) -> (i32, String) {
        let mut out = Vec::new();
        let status = run_with(
            &rules(),
            &Config::default(),
            args(path, to, format),
            &mut out,
            options,
        )
        .unwrap();
        (status, String::from_utf8(out).unwrap())
    }

    #[test]
    fn booleans() {
        for t in ["true", "YES", "1", "y", " Y "] {
            assert_eq!(cells::boolean(t), Some(true), "{t}");
        }
        for f in ["false", "No", "0", "n"] {
            assert_eq!(cells::boolean(f), Some(false), "{f}");
        }
        for bad in ["maybe", "2", "", "tru"] {
            assert_eq!(cells::boolean(bad), None, "{bad}");
        }
    }

    #[test]
    fn csv_cells_are_quoted_and_neutralised() {
        let cell = |s: &str| {
            let mut b = Vec::new();
            push_csv_cell(&mut b, s.as_bytes());
            String::from_utf8(b).unwrap()
        };
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=1+1"), "'=1+1");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(
            cell("=HYPERLINK(\"x\",\"y\")"),
            "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""
        );
        assert_eq!(cell("\r=1"), "\"'\r=1\"");
        assert_eq!(cell(""), "");
    }

    #[test]
    fn numbers_are_written_exactly() {
        for n in [0u64, 7, 10, 12345, u64::MAX] {
            let mut b = Vec::new();
            push_number(&mut b, n);
            assert_eq!(String::from_utf8(b).unwrap(), n.to_string());
        }
    }

    #[test]
    fn mappings_resolve_and_unknown_targets_are_named() {
        let headers: Vec<String> = ["Product Name", "FP16 TFLOPS", "vendor", "SKU"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let maps = vec![
            parse_mapping_flag("Product Name=name").unwrap(),
            parse_mapping_flag("fp16 tflops=FP16").unwrap(),
        ];
        let layout = Layout::resolve(&headers, &maps, "x.csv", 1).unwrap();
        assert_eq!(layout.name, 0);
        assert_eq!(
            layout.used,
            vec![
                (Field::Name, 0),
                (Field::Figure(Precision::Fp16), 1),
                (Field::Vendor, 2)
            ]
        );
        let e = parse_mapping_flag("Speed=fp17").unwrap_err().to_string();
        assert!(e.contains("did you mean `fp16`"), "{e}");
        let e = parse_mapping_flag("no equals sign")
            .unwrap_err()
            .to_string();
        assert!(e.contains("HEADER=COLUMN"), "{e}");
        let e = Layout::resolve(
            &headers,
            &[parse_mapping_flag("Product Nme=name").unwrap()],
            "x.csv",
            1,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("did you mean `Product Name`"), "{e}");
    }

    #[test]
    fn mapping_file_errors_are_located() {
        let ok = parse_mapping_text("m.toml", "\"Product Name\" = \"name\"\n\"FP8\" = \"fp8\"\n")
            .unwrap();
        assert_eq!(ok.len(), 2);
        let e = parse_mapping_text(
            "m.toml",
            "\"Product Name\" = \"name\"\n\"Die\" = \"area\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("unknown column `area`")
                && e.contains("did you mean `area_mm2`")
                && e.contains("m.toml:2"),
            "{e}"
        );
        let e = parse_mapping_text("m.toml", "\"A\" = 3\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("m.toml:1"), "{e}");
    }

    #[test]
    fn missing_name_column_suggests_a_mapping() {
        let headers: Vec<String> = ["Product Name", "fp16"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let e = Layout::resolve(&headers, &[], "x.csv", 1)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("no `name` column") && e.contains("--column \"Product Name=name\""),
            "{e}"
        );
    }

    #[test]
    fn duplicate_headers_are_refused() {
        let headers: Vec<String> = ["name", "FP16", "fp16"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let e = Layout::resolve(&headers, &[], "x.csv", 1)
            .unwrap_err()
            .to_string();
        assert!(e.contains("columns 2, 3"), "{e}");
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
        let path = temp_csv("cache", &text);
        let runs = [
            (AuditFormat::Csv, &["CN", "SA"][..]),
            (AuditFormat::Json, &["CN", "SA"][..]),
            (AuditFormat::Jsonl, &["CN"][..]),
            (AuditFormat::Table, &["DE"][..]),
        ];
        for (format, to) in runs {
            let none = audit(
                &path,
                to,
                format,
                Options {
                    cache_entries: 0,
                    ..Options::default()
                },
            );
            let tiny = audit(
                &path,
                to,
                format,
                Options {
                    cache_entries: 3,
                    ..Options::default()
                },
            );
            let small_bytes = audit(
                &path,
                to,
                format,
                Options {
                    cache_bytes: 2000,
                    ..Options::default()
                },
            );
            let full = audit(&path, to, format, Options::default());
            assert_eq!(none, tiny, "{format:?} {to:?}");
            assert_eq!(none, small_bytes, "{format:?} {to:?}");
            assert_eq!(none, full, "{format:?} {to:?}");
            assert_eq!(none.0, 2);
        }
        std::fs::remove_file(path).ok();
    }

    #[test]
    fn library_misses_are_never_clear() {
        let path = temp_csv("miss", "name\nno such chip anywhere\nmi300\n");
        let (status, out) = audit(&path, &["DE"], AuditFormat::Jsonl, Options::default());
        std::fs::remove_file(path).ok();
        let lines: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[0]["verdict"], "indeterminate");
        assert_eq!(lines[1]["verdict"], "indeterminate", "{}", lines[1]);
        assert!(
            lines[1]["reasons"][0]
                .as_str()
                .unwrap()
                .contains("library chips"),
            "{}",
            lines[1]
        );
        assert_eq!(status, 3);
    }
}
