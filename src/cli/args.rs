//! Every flag, defined once (clap derive): they serve parsing, `--help`,
//! completions and the man page alike. The only clap types in the crate;
//! library enums get thin `ValueEnum` shims here.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXIT_STATUS_HELP: &str = "\
Exit status:
  0  every result is no_license_required
  1  at least one license_required or license_exception
  3  at least one indeterminate, and none of the above
  2  usage error, unreadable or invalid input or rules (message on stderr)";

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
    #[command(after_help = EXIT_STATUS_HELP)]
    Classify(ClassifyArgs),
    /// List the rule versions, or show one.
    Rules(RulesArgs),
    /// List the built-in chip library, or show one chip's spec sheet and sources.
    Chips(ChipsArgs),
    /// Every date on which the answer for a chip changed, and the rule that changed it.
    Timeline(TimelineArgs),
    /// The chips whose answer differs between two dates, and why.
    Diff(DiffArgs),
    /// Print a JSON Schema (of the spec-sheet format).
    Schema {
        /// What to describe.
        #[arg(value_enum)]
        what: SchemaKind,
    },
    /// Write a commented chipcheck.toml in this directory.
    Init {
        /// Overwrite an existing chipcheck.toml.
        #[arg(long)]
        force: bool,
    },
    /// Print shell completions.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
    /// Audit a catalogue CSV: one verdict per row, streamed.
    #[command(after_help = EXIT_STATUS_HELP)]
    Audit(crate::audit::AuditArgs),
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

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table, global = true)]
    pub format: Format,
}

#[derive(Subcommand, Debug)]
pub enum ChipsAction {
    /// List every library chip (the default).
    List,
    /// Show one chip's spec sheet, with its sources.
    Show {
        /// A chip name or alias, e.g. "h100 sxm" or mi250x.
        name: String,
    },
}

#[derive(Args, Debug, Clone)]
pub struct Destinations {
    /// Destinations: ISO 3166-1 alpha-2 codes or English names, comma-separated
    /// (`CN,SA,DE`). Without it: the classification and every destination that
    /// needs a licence.
    #[arg(long = "to", value_name = "COUNTRIES", value_delimiter = ',')]
    pub to: Vec<String>,

    /// The date to evaluate on, YYYY-MM-DD (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,

    /// Country where the end user, or its ultimate parent, is headquartered.
    #[arg(long = "end-user-hq", value_name = "COUNTRY")]
    pub end_user_hq: Option<String>,

    /// The verdicts that make the exit status non-zero (comma-separated).
    /// Default: license_required,license_exception,indeterminate. Errors always fail.
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
    /// Spec sheets (TOML).
    #[arg(value_name = "SPEC")]
    pub specs: Vec<PathBuf>,

    /// A chip from the built-in library, by name or alias (repeatable).
    #[arg(long = "chip", value_name = "NAME")]
    pub chips: Vec<String>,

    #[command(flatten)]
    pub query: Destinations,

    /// Output format on standard output.
    #[arg(long, value_enum, default_value_t = crate::formats::OutputFormat::Table)]
    pub format: crate::formats::OutputFormat,

    /// Also write FORMAT to PATH (repeatable): `--output json=report.json --output sarif=report.sarif`.
    /// Formats: table, json, jsonl, csv, sarif, junit, github, markdown.
    #[arg(long = "output", value_name = "FORMAT=PATH")]
    pub outputs: Vec<crate::formats::OutputTarget>,
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
    List,
    /// Show one rule version: its paragraphs, destinations and citations.
    Show {
        /// A rule version id, e.g. us-2023-11.
        id: String,
    },
    /// Validate a rule directory (default: the embedded rules): dates, groups,
    /// metrics, citations, paragraphs no chip can meet.
    Check {
        /// The rule directory.
        dir: Option<PathBuf>,
    },
}

/// `--fail-on` values: clap's view of [`crate::config::FailOn`].
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
#[value(rename_all = "snake_case")]
pub enum FailOnArg {
    LicenseRequired,
    LicenseException,
    Indeterminate,
}

impl From<FailOnArg> for crate::config::FailOn {
    fn from(f: FailOnArg) -> Self {
        match f {
            FailOnArg::LicenseRequired => Self::LicenseRequired,
            FailOnArg::LicenseException => Self::LicenseException,
            FailOnArg::Indeterminate => Self::Indeterminate,
        }
    }
}
