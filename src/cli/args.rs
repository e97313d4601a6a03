//! Every flag, defined once (clap derive): they serve parsing, `--help`,
//! completions and the man page alike. The only clap types in the crate;
//! library enums get thin `ValueEnum` shims here.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

macro_rules! exit_status_help {
    () => {
        "\
Exit status:
  0  every result is no_license_required
  1  at least one license_required or license_exception
  3  at least one indeterminate, and none of the above
  2  usage error, unreadable or invalid input or rules (message on stderr)"
    };
}

const EXIT_STATUS_HELP: &str = exit_status_help!();

/// Every subcommand's help ends with two or three examples (tests/cli.rs
/// checks each one).
const CLASSIFY_HELP: &str = concat!(
    exit_status_help!(),
    "

Examples:
  chipcheck classify examples/h100.toml --to CN,SA --date 2024-01-15
  chipcheck classify --chip \"h100 sxm\" --to CN --format html > h100.html
  chipcheck classify --fail-on none --output sarif=chipcheck.sarif   # the specs of chipcheck.toml"
);
const RULES_HELP: &str = "\
Examples:
  chipcheck rules
  chipcheck rules show us-2023-11
  chipcheck rules check ./my-rules";
const RULES_LIST_HELP: &str = "\
Examples:
  chipcheck rules list
  chipcheck rules list --format json";
const RULES_SHOW_HELP: &str = "\
Examples:
  chipcheck rules show us-2023-11
  chipcheck rules show us-2026-01 --format json";
const RULES_CHECK_HELP: &str = "\
Examples:
  chipcheck rules check
  chipcheck rules check ./my-rules";
const CHIPS_HELP: &str = "\
Examples:
  chipcheck chips --date 2024-06-01
  chipcheck chips show \"h100 sxm\"
  chipcheck chips --format html --to CN,SA,DE --date 2026-03-01 > library.html";
const CHIPS_LIST_HELP: &str = "\
Examples:
  chipcheck chips list
  chipcheck chips list --format json";
const CHIPS_SHOW_HELP: &str = "\
Examples:
  chipcheck chips show H20
  chipcheck chips show mi250x --format json";
const TIMELINE_HELP: &str = "\
Examples:
  chipcheck timeline A800 --to CN
  chipcheck timeline examples/h100.toml --to SA --from 2023-01-01 --format json";
const DIFF_HELP: &str = "\
Examples:
  chipcheck diff --from 2023-06-01 --until 2024-06-01 --to CN --library
  chipcheck diff examples/h100.toml --from 2024-01-01 --to CN,SA --format json";
const SCHEMA_HELP: &str = "\
Examples:
  chipcheck schema spec > chipcheck-spec.schema.json
  chipcheck schema spec | jq '.properties | keys'";
const INIT_HELP: &str = "\
Examples:
  chipcheck init
  chipcheck init --force";
const COMPLETIONS_HELP: &str = "\
Examples:
  chipcheck completions bash > ~/.local/share/bash-completion/completions/chipcheck
  chipcheck completions zsh > \"${fpath[1]}/_chipcheck\"
  chipcheck completions fish > ~/.config/fish/completions/chipcheck.fish";
const MAN_HELP: &str = "\
Examples:
  chipcheck man | man -l -
  chipcheck man --dir target/man   # chipcheck.1 and a page per subcommand";

#[derive(Parser, Debug)]
#[command(
    name = "chipcheck",
    version,
    about = "Tells whether an AI chip needs a US export licence (ECCN 3A090/4A090), and explains why",
    after_help = EXIT_STATUS_HELP
)]
pub struct Cli {
    /// Read rules from this directory instead of the rules compiled in.
    #[arg(long, global = true, value_name = "DIR")]
    pub rules: Option<PathBuf>,

    /// The project file (default: chipcheck.toml in this directory or the nearest above it).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Ignore any chipcheck.toml.
    #[arg(long, global = true, conflicts_with = "config")]
    pub no_config: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Classify chips from spec sheets (or the library) for destinations and a date.
    #[command(after_help = CLASSIFY_HELP)]
    Classify(ClassifyArgs),
    /// List the rule versions, or show one.
    #[command(after_help = RULES_HELP)]
    Rules(RulesArgs),
    /// List the built-in chip library, or show one chip's spec sheet and sources.
    #[command(after_help = CHIPS_HELP)]
    Chips(ChipsArgs),
    /// Every date on which the answer for a chip changed, and the rule that changed it.
    #[command(after_help = TIMELINE_HELP)]
    Timeline(TimelineArgs),
    /// The chips whose answer differs between two dates, and why.
    #[command(after_help = DIFF_HELP)]
    Diff(DiffArgs),
    /// Print a JSON Schema (of the spec-sheet format).
    #[command(after_help = SCHEMA_HELP)]
    Schema {
        /// What to describe.
        #[arg(value_enum)]
        what: SchemaKind,
    },
    /// Write a commented chipcheck.toml in this directory.
    #[command(after_help = INIT_HELP)]
    Init {
        /// Overwrite an existing chipcheck.toml.
        #[arg(long)]
        force: bool,
    },
    /// Print shell completions.
    #[command(after_help = COMPLETIONS_HELP)]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write one per subcommand with --dir.
    #[command(after_help = MAN_HELP)]
    Man {
        /// Write chipcheck.1 and a page per subcommand (chipcheck-classify.1, ...) into DIR.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Audit a catalogue (CSV or spreadsheet): one verdict per row, streamed.
    Audit(AuditArgs),
    /// Screen party names against the Consolidated Screening List (offline).
    #[command(after_help = SCREEN_EXIT_HELP)]
    Screen(ScreenArgs),
}

const SCREEN_EXIT_HELP: &str = "\
Exit status:
  0  every name is no_match
  1  at least one match
  3  at least one possible_match or indeterminate (list too old, no distinctive word), and no match
  2  usage error, unreadable or invalid list (message on stderr)

Examples:
  chipcheck screen \"Biren Technology\" --party-list consolidated.csv
  chipcheck screen \"Acme GmbH\" \"Gulf Compute LLC\" --party-list consolidated.json --country DE
  chipcheck screen \"Sugon\" --party-list consolidated.csv --date 2024-06-01 --format json";

/// The restricted-party lists and how far to trust them.
#[derive(Args, Debug, Clone, Default)]
pub struct PartyLists {
    /// The Consolidated Screening List as downloaded (CSV, TSV or JSON; repeatable).
    /// Default: `party_lists` in chipcheck.toml.
    #[arg(long = "party-list", value_name = "FILE")]
    pub party_lists: Vec<PathBuf>,

    /// The date the lists were downloaded (default: the JSON's sources_used, else the newest start_date).
    #[arg(long = "party-list-date", value_name = "YYYY-MM-DD")]
    pub party_list_date: Option<String>,

    /// How many days old a list may be at the date evaluated and still clear a party (default 30).
    #[arg(long = "party-list-max-age", value_name = "DAYS")]
    pub party_list_max_age: Option<i64>,
}

/// The parties to a shipment, screened when given.
#[derive(Args, Debug, Clone, Default)]
pub struct Parties {
    /// The end user.
    #[arg(long = "end-user", value_name = "NAME")]
    pub end_user: Option<String>,

    /// The ultimate or intermediate consignee.
    #[arg(long = "consignee", value_name = "NAME")]
    pub consignee: Option<String>,

    /// The purchaser.
    #[arg(long = "purchaser", value_name = "NAME")]
    pub purchaser: Option<String>,

    /// Record that the owners of every party given were checked against the
    /// lists (the Entity List affiliates rule).
    #[arg(long = "ownership-checked")]
    pub ownership_checked: bool,

    #[command(flatten)]
    pub lists: PartyLists,
}

#[derive(Args, Debug)]
pub struct ScreenArgs {
    /// Party names (a company or a person), each screened on its own.
    #[arg(value_name = "NAME", required = true)]
    pub names: Vec<String>,

    #[command(flatten)]
    pub lists: PartyLists,

    /// The party's country (shown beside the listed addresses; it never clears a name).
    #[arg(long, value_name = "COUNTRY")]
    pub country: Option<String>,

    /// The date to screen on, YYYY-MM-DD (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum SchemaKind {
    /// The spec-sheet format.
    Spec,
}

#[derive(Args, Debug)]
pub struct TimelineArgs {
    /// A spec sheet (TOML) or a library chip name.
    #[arg(value_name = "CHIP_OR_SPEC")]
    pub chip: String,

    /// One destination (code or name); without it, the set of destinations needing a licence.
    #[arg(long = "to", value_name = "COUNTRY")]
    pub to: Option<String>,

    /// Country where the end user, or its ultimate parent, is headquartered.
    #[arg(long = "end-user-hq", value_name = "COUNTRY")]
    pub end_user_hq: Option<String>,

    /// First date (default: the day before the first rule or letter takes effect).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub from: Option<String>,

    /// Last date (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub until: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// Spec sheets (TOML).
    #[arg(value_name = "SPEC")]
    pub specs: Vec<PathBuf>,

    /// A library chip (repeatable).
    #[arg(long = "chip", value_name = "NAME")]
    pub chips: Vec<String>,

    /// Every chip in the library.
    #[arg(long)]
    pub library: bool,

    /// The earlier date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub from: String,

    /// The later date (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub until: Option<String>,

    /// Destinations (codes or names, comma-separated); without it, the set of destinations needing a licence.
    #[arg(long = "to", value_name = "COUNTRIES", value_delimiter = ',')]
    pub to: Vec<String>,

    /// Country where the end user, or its ultimate parent, is headquartered.
    #[arg(long = "end-user-hq", value_name = "COUNTRY")]
    pub end_user_hq: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Args, Debug)]
pub struct ChipsArgs {
    #[command(subcommand)]
    pub action: Option<ChipsAction>,

    /// Output format (`html`: the whole library classified on the date, for the destinations).
    #[arg(long, value_enum, default_value_t = ChipsFormat::Table, global = true)]
    pub format: ChipsFormat,

    /// Destinations for the classification (`CN,SA,DE`); without it, every destination.
    #[arg(long = "to", value_name = "COUNTRIES", value_delimiter = ',')]
    pub to: Vec<String>,

    /// The date to evaluate on, YYYY-MM-DD (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,

    /// Country where the end user, or its ultimate parent, is headquartered.
    #[arg(long = "end-user-hq", value_name = "COUNTRY")]
    pub end_user_hq: Option<String>,

    /// Also write the library's classification as FORMAT to PATH (repeatable):
    /// `--output html=library.html`. Formats as for classify.
    #[arg(long = "output", value_name = "FORMAT=PATH")]
    pub outputs: Vec<crate::report::OutputTarget>,
}

/// `chipcheck chips --format`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChipsFormat {
    Table,
    Json,
    /// One self-contained page: the library on the 3A090 plane, a summary, a sortable table.
    Html,
}

#[derive(Subcommand, Debug)]
pub enum ChipsAction {
    /// List every library chip (the default).
    #[command(after_help = CHIPS_LIST_HELP)]
    List,
    /// Show one chip's spec sheet, with its sources.
    #[command(after_help = CHIPS_SHOW_HELP)]
    Show {
        /// A chip name or alias, e.g. "h100 sxm" or mi250x.
        name: String,
    },
}

#[derive(Args, Debug, Clone)]
pub struct Destinations {
    /// Destinations: ISO 3166-1 alpha-2 or alpha-3 codes or English names,
    /// comma-separated (`CN,SA,DE`), or `all` for every country (one result
    /// each: where may this chip go?). Without it: the classification and
    /// every destination that needs a licence.
    #[arg(long = "to", value_name = "COUNTRIES", value_delimiter = ',')]
    pub to: Vec<String>,

    /// The date to evaluate on, YYYY-MM-DD (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,

    /// Country where the end user, or its ultimate parent, is headquartered.
    #[arg(long = "end-user-hq", value_name = "COUNTRY")]
    pub end_user_hq: Option<String>,

    /// The verdicts that make the exit status non-zero (comma-separated), or
    /// `none` to report without failing. Default:
    /// license_required,license_exception,indeterminate. Errors always fail.
    #[arg(
        long = "fail-on",
        value_name = "VERDICTS",
        value_delimiter = ',',
        value_enum
    )]
    pub fail_on: Vec<FailOnArg>,
}

#[derive(Args, Debug)]
pub struct ClassifyArgs {
    /// Spec sheets (TOML); `-` reads one from standard input. None: the
    /// files matching `specs` in chipcheck.toml.
    #[arg(value_name = "SPEC")]
    pub specs: Vec<PathBuf>,

    /// Classify only the SPEC files that match the `specs` globs of
    /// chipcheck.toml, ignoring the rest (for hooks that pass every staged file).
    #[arg(long)]
    pub filter_specs: bool,

    /// A chip from the built-in library, by name or alias (repeatable).
    #[arg(long = "chip", value_name = "NAME")]
    pub chips: Vec<String>,

    #[command(flatten)]
    pub query: Destinations,

    #[command(flatten)]
    pub parties: Parties,

    /// Output format on standard output.
    #[arg(long, value_enum, default_value_t = ResultFormat::Table)]
    pub format: ResultFormat,

    /// Also write FORMAT to PATH (repeatable): `--output json=report.json --output sarif=report.sarif`.
    /// Formats: table, json, jsonl, csv, sarif, junit, github, markdown, html. `FORMAT=-` is standard output.
    #[arg(long = "output", value_name = "FORMAT=PATH")]
    pub outputs: Vec<crate::report::OutputTarget>,

    #[command(flatten)]
    pub threads: Threads,
}

/// `--threads` of classify and audit.
#[derive(Args, Debug, Clone, Copy)]
pub struct Threads {
    /// Threads that do the work: 0 (the default) for one per core, 1 for
    /// this thread only; never more than the cores, and fewer when there is
    /// little to work out.
    /// Results are written in input order, and the output is the same for
    /// any number.
    #[arg(
        long = "threads",
        short = 'j',
        value_name = "N",
        default_value_t = 0,
        hide_default_value = true
    )]
    pub count: usize,
}

impl Threads {
    /// How many threads: one per core for 0.
    pub fn resolve(self) -> usize {
        crate::catalogue::threads(self.count)
    }
}

/// `--format` of classify (clap's view of [`crate::report::OutputFormat`]).
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResultFormat {
    Table,
    Json,
    Jsonl,
    Csv,
    Sarif,
    Junit,
    Github,
    Markdown,
    /// One self-contained page: a chart of the 3A090 plane, a summary, a sortable table.
    Html,
}

impl From<ResultFormat> for crate::report::OutputFormat {
    fn from(f: ResultFormat) -> Self {
        use crate::report::OutputFormat as F;
        match f {
            ResultFormat::Table => F::Table,
            ResultFormat::Json => F::Json,
            ResultFormat::Jsonl => F::Jsonl,
            ResultFormat::Csv => F::Csv,
            ResultFormat::Sarif => F::Sarif,
            ResultFormat::Junit => F::Junit,
            ResultFormat::Github => F::Github,
            ResultFormat::Markdown => F::Markdown,
            ResultFormat::Html => F::Html,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub action: Option<RulesAction>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table, global = true)]
    pub format: Format,
}

#[derive(Subcommand, Debug)]
pub enum RulesAction {
    /// List every rule version (the default).
    #[command(after_help = RULES_LIST_HELP)]
    List,
    /// Show one rule version: its paragraphs, destinations and citations.
    #[command(after_help = RULES_SHOW_HELP)]
    Show {
        /// A rule version id, e.g. us-2023-11.
        id: String,
    },
    /// Validate a rule directory (default: the embedded rules): dates, groups,
    /// metrics, citations, paragraphs no chip can meet.
    #[command(after_help = RULES_CHECK_HELP)]
    Check {
        /// The rule directory.
        dir: Option<PathBuf>,
    },
}

/// `--fail-on` values: clap's view of [`crate::config::FailOn`].
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
#[value(rename_all = "snake_case")]
pub enum FailOnArg {
    /// Report without failing (only unreadable input fails).
    None,
    LicenseRequired,
    LicenseException,
    Indeterminate,
}

impl FailOnArg {
    /// The verdict it fails on (`none`: no verdict).
    pub fn fail_on(self) -> Option<crate::config::FailOn> {
        use crate::config::FailOn;
        match self {
            FailOnArg::None => None,
            FailOnArg::LicenseRequired => Some(FailOn::LicenseRequired),
            FailOnArg::LicenseException => Some(FailOn::LicenseException),
            FailOnArg::Indeterminate => Some(FailOn::Indeterminate),
        }
    }
}

const MAPPING_HELP: &str = "\
Columns (matched by header, case-insensitively; other columns pass through to CSV output):
  name (required), vendor, datacenter, sparse, area_mm2, non_planar,
  interconnect_gbps, memory_bandwidth_gbps, us_commercially_available, and one
  per precision:
  fp64 fp32 tf32 fp16 bf16 fp8 fp6 fp4 int32 int16 int8 int4
  Parties, screened against --party-list: end_user, consignee, purchaser
  (a row's cell replaces the flag of the same role).
  A row with figures is classified from them (an empty cell is unknown, never
  zero); a row with only a name (and maybe a vendor) is looked up in the library.
  Booleans: true/false, yes/no, 1/0, y/n.

Map other headers with --column \"Product Name=name\" (repeatable) or a TOML file
  given with --columns, one mapping per line:   \"FP16 TFLOPS\" = \"fp16\"

Exit status:
  0  every result is no_license_required
  1  at least one license_required or license_exception
  3  at least one indeterminate, and none of the above
  2  at least one row could not be read, or a workbook sheet was left unread
     (no --sheet; every result is still written), not
     every result could be written (a closed pipe, e.g. `| head`), or a usage
     error or unreadable catalogue (message on stderr)
  --fail-on narrows which verdicts count for 1 and 3; unreadable rows always do.

Examples:
  chipcheck audit catalogue.csv --to CN,SA --date 2024-06-01 --format csv > verdicts.csv
  chipcheck audit catalogue.csv --column \"Product Name=name\" --output html=audit.html
  chipcheck audit catalogue.xlsx --sheet \"Price list\" --to CN --output sarif=audit.sarif";

#[derive(Args, Debug)]
#[command(after_help = MAPPING_HELP, after_long_help = MAPPING_HELP)]
pub struct AuditArgs {
    /// The catalogue: CSV (`-` for standard input), or a spreadsheet
    /// (.xlsx, .xlsm, .xlsb, .xls, .ods).
    #[arg(value_name = "CATALOGUE")]
    pub catalogue: PathBuf,

    /// The sheet of a spreadsheet to read (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,

    #[command(flatten)]
    pub query: Destinations,

    #[command(flatten)]
    pub parties: Parties,

    #[command(flatten)]
    pub input: CatalogueInput,

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

    #[command(flatten)]
    pub threads: Threads,

    /// Also write FORMAT to PATH (repeatable; `FORMAT=-` for standard output):
    /// table, json, jsonl, csv, sarif (pointing at catalogue lines), junit,
    /// github, markdown, html. Every report comes from one read of the catalogue,
    /// and each file is replaced only when the audit has finished.
    #[arg(long = "output", value_name = "FORMAT=PATH")]
    pub outputs: Vec<crate::report::OutputTarget>,
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
    /// One self-contained page: a chart of the 3A090 plane, a summary, a sortable table.
    Html,
}

/// How the catalogue is written, when it differs from plain CSV with a
/// decimal point.
#[derive(Args, Debug, Clone, Default)]
pub struct CatalogueInput {
    /// Figures use a decimal comma (`1.979,5`): `,` marks the decimals and
    /// `.` may only group thousands. Without it, `,` may only group
    /// thousands (`1,979.5`) and anything else is a row error.
    #[arg(long)]
    pub decimal_comma: bool,

    /// The field delimiter: one character, or comma, semicolon, tab, pipe.
    /// Without it, the most frequent of `,` `;` and tab in the header row.
    #[arg(long, value_name = "CHAR", value_parser = crate::catalogue::records::parse_delimiter)]
    pub delimiter: Option<u8>,

    /// The catalogue's text encoding.
    #[arg(long, value_enum, default_value_t = EncodingArg::Utf8)]
    pub encoding: EncodingArg,
}

impl CatalogueInput {
    pub fn options(&self) -> crate::catalogue::InputOptions {
        crate::catalogue::InputOptions {
            decimal: if self.decimal_comma {
                crate::number::DecimalMark::Comma
            } else {
                crate::number::DecimalMark::Point
            },
            delimiter: self.delimiter,
            encoding: self.encoding.into(),
        }
    }
}

/// `--encoding` values: clap's view of [`crate::catalogue::Encoding`].
#[derive(ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EncodingArg {
    /// UTF-8 (a leading byte-order mark is dropped).
    #[default]
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// Windows-1252, what Excel writes as "CSV (Comma delimited)" on Windows.
    #[value(name = "windows-1252", alias = "cp1252", alias = "latin1")]
    Windows1252,
}

impl From<EncodingArg> for crate::catalogue::Encoding {
    fn from(arg: EncodingArg) -> Self {
        match arg {
            EncodingArg::Utf8 => crate::catalogue::Encoding::Utf8,
            EncodingArg::Windows1252 => crate::catalogue::Encoding::Windows1252,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// Every subcommand, with its path (`rules show`).
    fn subcommands(cmd: &clap::Command, path: &str, into: &mut Vec<(String, clap::Command)>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let name = format!("{path} {}", sub.get_name()).trim().to_string();
            into.push((name.clone(), sub.clone()));
            subcommands(sub, &name, into);
        }
    }

    /// Words of an example as a shell would split them (double quotes only).
    fn words(line: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut word = String::new();
        let mut quoted = false;
        let mut any = false;
        for c in line.chars() {
            match c {
                '"' => {
                    quoted = !quoted;
                    any = true;
                }
                ' ' if !quoted => {
                    if any {
                        out.push(std::mem::take(&mut word));
                        any = false;
                    }
                }
                c => {
                    word.push(c);
                    any = true;
                }
            }
        }
        if any {
            out.push(word);
        }
        out
    }

    #[test]
    fn every_subcommand_help_ends_with_examples_that_parse() {
        let mut all = Vec::new();
        subcommands(&Cli::command(), "", &mut all);
        assert!(all.len() >= 16, "{}", all.len());
        for (name, cmd) in &all {
            for text in [cmd.get_after_help(), cmd.get_after_long_help()]
                .into_iter()
                .flatten()
            {
                let text = text.to_string();
                let (_, examples) = text
                    .rsplit_once("Examples:\n")
                    .unwrap_or_else(|| panic!("`{name} --help` has no examples"));
                let lines: Vec<&str> = examples.lines().collect();
                assert!(
                    (2..=3).contains(&lines.len()),
                    "`{name} --help`: {} examples",
                    lines.len()
                );
                for line in lines {
                    // The chipcheck command of the line: the piece of a pipeline
                    // that runs it, before a redirection or comment.
                    let command = line
                        .split('|')
                        .map(str::trim)
                        .find(|c| c.starts_with("chipcheck "))
                        .unwrap_or(line);
                    let command = command.split(['>', '#']).next().unwrap_or(command).trim();
                    let argv = words(command);
                    assert_eq!(
                        argv.first().map(String::as_str),
                        Some("chipcheck"),
                        "{line}"
                    );
                    let path: Vec<&str> = name.split(' ').collect();
                    assert_eq!(
                        argv.get(1).map(String::as_str),
                        path.first().copied(),
                        "{line}"
                    );
                    if let Err(e) = <Cli as clap::Parser>::try_parse_from(&argv) {
                        panic!("`{line}` does not parse: {e}");
                    }
                }
            }
        }
    }
}
