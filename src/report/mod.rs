//! Every result format, once. Classify and the catalogue audit both drive a
//! [`Report`]: `begin`, then one `result` per chip and destination, then
//! `finish` with the [`Summary`] that [`Tally`] counted. Each format is a
//! [`Format`] in its own file and only produces bytes; [`Tee`] hands the
//! bytes of every `--output` target to its own destination (standard output,
//! or a file written beside its target and renamed into place on success).
//!
//! Streaming formats (table and CSV of an audit, JSON, JSON Lines) write each
//! result as it arrives. Collecting formats (SARIF, JUnit, GitHub annotations,
//! Markdown, HTML, and the classify table) keep only what they will write, bounded
//! by the limits their consumers set; see [`keep`].

pub mod atomic;
pub mod cells;
pub mod csv;
pub mod github;
pub mod html;
pub mod json;
pub mod junit;
pub mod keep;
pub mod markdown;
pub mod provenance;
pub mod sarif;
pub mod screening;
pub mod table;
pub mod tally;
pub mod tee;

use crate::config::{License, LicenseUse};
use crate::country::Country;
use crate::engine::Outcome;
pub use crate::error::Error;
use crate::rules::RuleSet;
use crate::verdict::Verdict;
use jiff::civil::Date;
use std::str::FromStr;

pub use cells::short_hash;
pub use provenance::{InputFile, Provenance};
pub use table::{table, table_with_colour};
pub use tally::{InputFacts, Summary, Tally};
pub use tee::{Destination, Tee};

/// The formats a result stream can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OutputFormat {
    Table,
    Json,
    Jsonl,
    Csv,
    Sarif,
    Junit,
    Github,
    Markdown,
    Html,
}

impl OutputFormat {
    pub const ALL: [OutputFormat; 9] = [
        OutputFormat::Table,
        OutputFormat::Json,
        OutputFormat::Jsonl,
        OutputFormat::Csv,
        OutputFormat::Sarif,
        OutputFormat::Junit,
        OutputFormat::Github,
        OutputFormat::Markdown,
        OutputFormat::Html,
    ];

    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Table => "table",
            OutputFormat::Json => "json",
            OutputFormat::Jsonl => "jsonl",
            OutputFormat::Csv => "csv",
            OutputFormat::Sarif => "sarif",
            OutputFormat::Junit => "junit",
            OutputFormat::Github => "github",
            OutputFormat::Markdown => "markdown",
            OutputFormat::Html => "html",
        }
    }
}

impl FromStr for OutputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        OutputFormat::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!("unknown output format `{s}`; one of: table, json, jsonl, csv, sarif, junit, github, markdown, html")
            })
    }
}

/// `--output FORMAT=PATH`, or `FORMAT` / `FORMAT=-` for standard output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputTarget {
    pub format: OutputFormat,
    /// None: standard output.
    pub path: Option<std::path::PathBuf>,
}

impl FromStr for OutputTarget {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (format, path) = match s.split_once('=') {
            Some((f, "-")) => (f, None),
            Some((f, p)) if !p.is_empty() => (f, Some(std::path::PathBuf::from(p))),
            Some((f, _)) => return Err(format!("`{s}`: give a path after `{f}=`")),
            None => (s, None),
        };
        Ok(OutputTarget {
            format: format.parse()?,
            path,
        })
    }
}

/// Whose results a report holds: spec sheets and library chips, or the
/// rows of one catalogue (pass-through columns, line numbers, a summary).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    Results,
    Catalogue,
}

/// The CI gate, applied in one place for classify and audit alike: licences
/// on file turn covered results into `licensed`, and `fail_on` says which
/// verdicts fail the run (errors always do).
#[derive(Clone, Debug, Default)]
pub struct Gate {
    pub fail_on: Vec<Verdict>,
    pub licenses: Vec<License>,
    /// The project file that set them, for provenance.
    pub project_file: Option<InputFile>,
}

impl Gate {
    /// Does this verdict fail the gate?
    pub fn fails(&self, verdict: Verdict) -> bool {
        matches!(verdict, Verdict::Error | Verdict::Prohibited) || self.fail_on.contains(&verdict)
    }

    /// Applies the licences on file to one subject's results.
    pub fn apply_licenses(&self, rules: &RuleSet, outcomes: &mut [Outcome]) -> Vec<LicenseUse> {
        crate::config::apply_licenses(rules, &self.licenses, outcomes)
    }
}

/// What a run asked, fixed for the whole run; every format may read it.
pub struct Run<'a> {
    pub rules: &'a RuleSet,
    pub gate: &'a Gate,
    pub layout: Layout,
    /// The date asked about (an audit evaluates one).
    pub date: Option<Date>,
    pub destinations: &'a [&'static Country],
    pub hq: Option<&'static Country>,
    /// The catalogue as named in reports (`<stdin>` for standard input).
    pub catalogue: Option<&'a str>,
    /// The catalogue's header row, for the pass-through CSV columns.
    pub headers: &'a [String],
    /// Where the complete results are, for formats that must stop at a
    /// consumer's limit (the other `--output` paths).
    pub full_report: &'a [String],
    /// The restricted-party lists the parties were screened against.
    pub party_lists: &'a [crate::screening::ListProvenance],
    /// The sheet a spreadsheet catalogue was read from: results are at
    /// `Sheet!row N` rather than line N.
    pub sheet: Option<&'a str>,
}

impl<'a> Run<'a> {
    /// A run over spec sheets and library chips.
    pub fn results(rules: &'a RuleSet, gate: &'a Gate) -> Run<'a> {
        Run {
            rules,
            gate,
            layout: Layout::Results,
            date: None,
            destinations: &[],
            hq: None,
            catalogue: None,
            headers: &[],
            full_report: &[],
            party_lists: &[],
            sheet: None,
        }
    }

    /// Where a capped format says the rest of the results are.
    pub fn full_report_hint(&self) -> String {
        if self.full_report.is_empty() {
            "write every result with --output csv=FILE or --output jsonl=FILE".to_string()
        } else {
            format!("every result is in {}", self.full_report.join(", "))
        }
    }
}

/// One result, where it came from, and what the gate makes of it.
pub struct Item<'a> {
    pub outcome: &'a Outcome,
    /// Its catalogue line (audits).
    pub line: Option<u64>,
    /// The catalogue row, for pass-through columns (audits).
    pub record: Option<&'a ::csv::ByteRecord>,
    /// The row's `name` cell (audits).
    pub name: &'a str,
    /// Why the row could not be read (verdict `error`).
    pub error: Option<&'a str>,
    /// The catalogue's one-line reason (audits).
    pub reason: &'a str,
    /// Does it fail the gate?
    pub fails: bool,
}

impl<'a> Item<'a> {
    /// A result of classify: no catalogue position.
    pub fn of(outcome: &'a Outcome, gate: &Gate) -> Item<'a> {
        Item {
            outcome,
            line: None,
            record: None,
            name: &outcome.chip,
            error: None,
            reason: "",
            fails: gate.fails(outcome.verdict),
        }
    }
}

/// A format's encoding of one result (see [`Format::encoder`]).
pub type Encoder = fn(&Item<'_>) -> Vec<u8>;

/// `item` as each of `encoders` encodes it (nothing for a report without
/// one), in their order: worked out where a result is made, on any thread,
/// for the report to write later.
pub fn encode_for_each(encoders: &[Option<Encoder>], item: &Item<'_>) -> Vec<Vec<u8>> {
    encoders
        .iter()
        .map(|e| e.map(|e| e(item)).unwrap_or_default())
        .collect()
}

/// One output format: it only produces bytes, into `out`.
pub trait Format {
    /// Once, before any result: a header, `{"results": [`.
    fn begin(&mut self, _run: &Run<'_>, _out: &mut Vec<u8>) {}
    /// How this format encodes a result after its position, if it does: a
    /// pure function of the result, so the audit may keep its bytes for
    /// repeated rows and make them on the threads that evaluate rows.
    fn encoder(&self) -> Option<Encoder> {
        None
    }
    /// One result, given what the [`Encoder`] made of it (nothing without one).
    fn result(&mut self, run: &Run<'_>, item: &Item<'_>, encoded: &[u8], out: &mut Vec<u8>);
    /// Whether this format prints a result's reasons (or anything else only
    /// an explained evaluation writes). Where no format does, an audit
    /// evaluates verdict-only: the same answers, no sentences.
    fn explains(&self) -> bool {
        true
    }
    /// Once, after the last result: the summary, or the whole document.
    /// Written straight to the destination (through a chunked buffer), so a
    /// large document is never held whole in memory.
    fn finish(
        &mut self,
        run: &Run<'_>,
        summary: &Summary,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()>;
}

/// Where results go: one or more formats, each to its own destination.
pub trait Report {
    fn begin(&mut self, run: &Run<'_>) -> Result<(), Error>;
    /// Each format's encoder, in order, for encoding results away from the
    /// report (on the threads that evaluate them); empty: results are
    /// encoded as they are written.
    fn encoders(&self) -> Vec<Option<Encoder>> {
        Vec::new()
    }
    fn result(&mut self, run: &Run<'_>, item: &Item<'_>, pieces: &[Vec<u8>]) -> Result<(), Error>;
    fn finish(&mut self, run: &Run<'_>, summary: &Summary) -> Result<(), Error>;
    /// Whether any format prints reasons (see [`Format::explains`]).
    fn explains(&self) -> bool {
        true
    }
    /// False once nobody reads any more (every destination is a closed pipe),
    /// so the audit can stop reading.
    fn wants_more(&self) -> bool {
        true
    }
}

/// Keeps every result in memory: for a catalogue `diff` and for tests.
#[derive(Default)]
pub struct Collect {
    pub items: Vec<(Option<u64>, Outcome)>,
}

impl Report for Collect {
    fn begin(&mut self, _run: &Run<'_>) -> Result<(), Error> {
        Ok(())
    }
    fn result(&mut self, _run: &Run<'_>, item: &Item<'_>, _: &[Vec<u8>]) -> Result<(), Error> {
        let mut o = item.outcome.clone();
        o.line = item.line;
        self.items.push((item.line, o));
        Ok(())
    }
    fn finish(&mut self, _run: &Run<'_>, _summary: &Summary) -> Result<(), Error> {
        Ok(())
    }
}

/// How a format is written: for people, and where it may spill.
#[derive(Clone, Debug, Default)]
pub struct Style {
    /// Colour verdicts (a terminal, and `NO_COLOR` unset: the CLI decides).
    pub colour: bool,
    /// A directory for the temporary file that collecting formats keep their
    /// results in (none: in memory).
    pub spill_dir: Option<std::path::PathBuf>,
}

/// The one dispatch point: a format for an output format and layout.
pub fn format_for(format: OutputFormat, layout: Layout, style: Style) -> Box<dyn Format> {
    use OutputFormat as F;
    match (format, layout) {
        (F::Table, Layout::Results) => Box::new(table::ResultsTable::new(style.colour)),
        (F::Table, Layout::Catalogue) => Box::new(table::CatalogueTable),
        (F::Json, Layout::Results) => Box::new(json::ResultsJson::default()),
        (F::Json, Layout::Catalogue) => Box::new(json::CatalogueJson::default()),
        (F::Jsonl, layout) => Box::new(json::JsonLines::new(layout)),
        (F::Csv, Layout::Results) => Box::new(csv::ResultsCsv),
        (F::Csv, Layout::Catalogue) => Box::<csv::CatalogueCsv>::default(),
        (F::Sarif, _) => Box::new(sarif::Sarif::new(style.spill_dir.as_deref())),
        (F::Junit, _) => Box::new(junit::Junit::new(style.spill_dir.as_deref())),
        (F::Github, _) => Box::new(github::Github::default()),
        (F::Markdown, _) => Box::new(markdown::Markdown::default()),
        (F::Html, _) => Box::new(html::Html::default()),
    }
}

/// Classify's results through `report`: one pass, counted by [`Tally`].
pub fn write_results(
    run: &Run<'_>,
    outcomes: &[Outcome],
    licenses: Vec<LicenseUse>,
    inputs: Vec<InputFile>,
    report: &mut dyn Report,
) -> Result<Summary, Error> {
    let mut tally = Tally::new(report, run);
    tally.begin()?;
    for o in outcomes {
        tally.result(&Item::of(o, run.gate), None)?;
    }
    tally.add_licenses(&licenses);
    tally.finish(inputs)
}

/// A single format rendered to a string (tests, fuzzing, the library API).
pub fn render(run: &Run<'_>, format: OutputFormat, outcomes: &[Outcome]) -> String {
    let mut buf = Vec::new();
    {
        let mut tee = Tee::default();
        tee.add(
            format_for(format, run.layout, Style::default()),
            Destination::Buffer(&mut buf),
        );
        let _ = write_results(run, outcomes, Vec::new(), Vec::new(), &mut tee);
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// The JSON document of classify (no licences, no inputs).
pub fn json(rules: &RuleSet, outcomes: &[Outcome]) -> String {
    let gate = Gate::default();
    render(&Run::results(rules, &gate), OutputFormat::Json, outcomes)
}
