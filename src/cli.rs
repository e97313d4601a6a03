//! The command line: flags are defined once here (clap derive) and serve
//! parsing, `--help`, completions and the man page alike. Each command
//! returns an exit status; errors are typed and reported by `main`.

use crate::country::{self, Country};
use crate::engine::{evaluate_all, Outcome, Subject};
use crate::library;
use crate::rules::{Place, RuleSet};
use crate::spec::ChipSpec;
use clap::{Args, Parser, Subcommand, ValueEnum};
use jiff::civil::Date;
use std::io::Write;
use std::path::{Path, PathBuf};

// Old paths, kept while the audit and history modules move off them.
pub use crate::error::Error;
pub use crate::input::{file_sha256, read_spec, read_text};
pub use crate::library::{chip as library_chip, resolve_contained};

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
    pub fail_on: Vec<crate::config::FailOn>,
}

impl Destinations {
    /// Fills what the command line left out from the project file.
    pub fn with_defaults(mut self, config: &crate::config::Config) -> Self {
        if self.to.is_empty() {
            self.to = config.to.clone();
        }
        if self.date.is_none() {
            self.date = config.date.clone();
        }
        if self.end_user_hq.is_none() {
            self.end_user_hq = config.end_user_hq.clone();
        }
        self
    }

    /// The verdicts that fail the gate: the flag, else the project file,
    /// else every restrictive or undecided verdict.
    pub fn fail_on(&self, config: &crate::config::Config) -> Vec<crate::verdict::Verdict> {
        if !self.fail_on.is_empty() {
            return self.fail_on.iter().map(|f| f.verdict()).collect();
        }
        config
            .fail_on
            .clone()
            .unwrap_or_else(|| crate::verdict::DEFAULT_FAIL_ON.to_vec())
    }
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

/// The project file: `--config`, else `chipcheck.toml` found from the
/// working directory upward, else none.
pub fn load_config(
    explicit: Option<&Path>,
    disabled: bool,
) -> Result<crate::config::Config, Error> {
    if disabled {
        return Ok(crate::config::Config::default());
    }
    let path = match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => std::env::current_dir()
            .ok()
            .and_then(|d| crate::config::Config::discover(&d)),
    };
    match path {
        Some(p) => Ok(crate::config::Config::load(&p)?),
        None => Ok(crate::config::Config::default()),
    }
}

/// Runs a parsed command line; returns the exit status.
pub fn run(cli: Cli, today: Date, out: &mut dyn Write) -> Result<i32, Error> {
    let config = load_config(cli.config.as_deref(), cli.no_config)?;
    for warning in &config.warnings {
        eprintln!("warning: {warning}");
    }
    let rules_dir = cli.rules.clone().or_else(|| config.rules.clone());
    let rules = load_rules(rules_dir.as_deref())?;
    match cli.command {
        Command::Classify(args) => classify(&rules, &config, args, today, out),
        Command::Rules(args) => rules_command(&rules, args, today, out),
        Command::Chips(args) => chips_command(&rules, args, today, out),
        Command::Timeline(args) => timeline_command(&rules, args, today, out),
        Command::Schema {
            what: SchemaKind::Spec,
        } => {
            let text =
                serde_json::to_string_pretty(&crate::schema::spec_schema()).unwrap_or_default();
            write_out(out, &text)?;
            Ok(0)
        }
        Command::Init { force } => init(force, out),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cmd, "chipcheck", &mut buf);
            write_out(out, &String::from_utf8_lossy(&buf))?;
            Ok(0)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut buf)
                .map_err(|e| Error::Io {
                    path: "<man page>".into(),
                    source: e,
                })?;
            write_out(out, &String::from_utf8_lossy(&buf))?;
            Ok(0)
        }
        Command::Diff(args) => diff_command(&rules, args, today, out),
        Command::Audit(args) => crate::audit::run_configured(&rules, &config, args, today, out),
    }
}

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

/// A `--date`-style value, or `today` when it is absent.
pub fn parse_date(text: Option<&str>, today: Date) -> Result<Date, Error> {
    match text {
        None => Ok(today),
        Some(t) => {
            let bad = || {
                Error::Usage(format!(
                    "--date: `{t}` is not a date; write YYYY-MM-DD, e.g. 2024-01-15"
                ))
            };
            if t.len() != 10 {
                return Err(bad());
            }
            t.parse::<Date>().map_err(|_| bad())
        }
    }
}

pub fn parse_destinations(list: &[String]) -> Result<Vec<&'static Country>, Error> {
    let mut out: Vec<&'static Country> = Vec::new();
    for item in list.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let c = country::resolve(item).map_err(|e| Error::Usage(format!("--to: {e}")))?;
        if !out.iter().any(|o| o.code == c.code) {
            out.push(c);
        }
    }
    Ok(out)
}

pub fn parse_country(flag: &str, text: Option<&str>) -> Result<Option<&'static Country>, Error> {
    text.map(|t| country::resolve(t).map_err(|e| Error::Usage(format!("{flag}: {e}"))))
        .transpose()
}

fn classify(
    rules: &RuleSet,
    config: &crate::config::Config,
    mut args: ClassifyArgs,
    today: Date,
    out: &mut dyn Write,
) -> Result<i32, Error> {
    if args.specs.is_empty() && args.chips.is_empty() {
        return Err(Error::Usage(
            "give at least one spec sheet or --chip NAME (see `chipcheck classify --help`)".into(),
        ));
    }
    args.query = args.query.with_defaults(config);
    let fail_on = args.query.fail_on(config);
    let date = parse_date(args.query.date.as_deref(), today)?;
    let destinations = parse_destinations(&args.query.to)?;
    let hq = parse_country("--end-user-hq", args.query.end_user_hq.as_deref())?;

    let mut specs: Vec<(ChipSpec, String)> = Vec::new();
    for path in &args.specs {
        specs.push((read_spec(path)?, path.display().to_string()));
    }
    for name in &args.chips {
        specs.push((library_chip(name)?.clone(), "library".to_string()));
    }
    let mut outcomes: Vec<Outcome> = Vec::new();
    for (spec, input) in &specs {
        let subject = Subject {
            spec,
            input: input.clone(),
            contained: resolve_contained(spec)?,
        };
        outcomes.extend(evaluate_all(rules, &subject, date, &destinations, hq));
    }
    let license_uses = crate::config::apply_licenses(rules, &config.licenses, &mut outcomes);
    let inputs: Vec<(String, String)> = args
        .specs
        .iter()
        .map(|p| (p.display().to_string(), file_sha256(p)))
        .collect();
    let cx = crate::formats::Context {
        rules,
        outcomes: &outcomes,
        licenses: &license_uses,
        inputs: &inputs,
    };
    for target in &args.outputs {
        let text = crate::formats::render(target.format, &cx);
        match &target.path {
            Some(path) => std::fs::write(path, text.as_bytes()).map_err(|source| Error::Io {
                path: path.display().to_string(),
                source,
            })?,
            None => write_out(out, &text)?,
        }
    }
    // `--format` goes to standard output unless an `--output` already does.
    if args.outputs.iter().all(|o| o.path.is_some()) {
        let text = match args.format {
            crate::formats::OutputFormat::Json => {
                crate::report::json_with_licenses(rules, &outcomes, &license_uses)
            }
            crate::formats::OutputFormat::Table => {
                crate::report::table_with_colour(rules, &outcomes, crate::report::colour_wanted())
            }
            other => crate::formats::render(other, &cx),
        };
        write_out(out, &text)?;
    }
    for u in license_uses
        .iter()
        .filter(|u| u.status != crate::config::LicenseStatus::Used)
    {
        eprintln!(
            "warning: licence {} on file is {} (expires {})",
            u.number, u.status, u.expires
        );
    }
    Ok(crate::verdict::exit_status_failing_on(
        outcomes.iter().map(|o| o.verdict),
        &fail_on,
    ))
}

fn write_out(out: &mut dyn Write, text: &str) -> Result<(), Error> {
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

fn show_places(places: &[Place]) -> String {
    places
        .iter()
        .map(|p| match p {
            Place::Everywhere => "*".to_string(),
            Place::Group(g) => g.clone(),
            Place::Country(c) => c.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn rules_command(
    rules: &RuleSet,
    args: RulesArgs,
    today: Date,
    out: &mut dyn Write,
) -> Result<i32, Error> {
    match args.action.unwrap_or(RulesAction::List) {
        RulesAction::Check { dir } => {
            let checked = match &dir {
                Some(d) => RuleSet::from_dir(d)?,
                None => rules.clone(),
            };
            let findings = crate::rules::check::check(&checked);
            let errors = findings
                .iter()
                .filter(|f| f.severity == crate::rules::check::Severity::Error)
                .count();
            let text = match args.format {
                Format::Json => serde_json::to_string_pretty(&serde_json::json!({
                    "rules_origin": checked.origin,
                    "rules_hash": checked.hash,
                    "versions": checked.versions.len(),
                    "findings": findings,
                    "errors": errors,
                }))
                .unwrap_or_default(),
                Format::Table => {
                    let mut s = String::new();
                    for f in &findings {
                        let sev = match f.severity {
                            crate::rules::check::Severity::Error => "error",
                            crate::rules::check::Severity::Warning => "warning",
                        };
                        let file = if f.file.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", f.file)
                        };
                        s.push_str(&format!("{sev}: {}{file}\n", f.message));
                    }
                    s.push_str(&format!(
                        "{} rule versions in {}: {errors} errors, {} warnings\n",
                        checked.versions.len(),
                        checked.origin,
                        findings.len().saturating_sub(errors)
                    ));
                    s
                }
            };
            write_out(out, &text)?;
            return Ok(if errors > 0 {
                crate::verdict::exit::ERROR
            } else {
                0
            });
        }
        RulesAction::List => {
            let text = match args.format {
                Format::Json => {
                    let versions: Vec<serde_json::Value> = rules
                        .versions
                        .iter()
                        .map(|v| {
                            serde_json::json!({
                                "id": v.id,
                                "title": v.title,
                                "kind": v.kind,
                                "citation": v.citation,
                                "published": v.published.to_string(),
                                "in_force": v.in_force.to_string(),
                                "until": v.until.map(|d| d.to_string()),
                                "not_enforced_from": v.not_enforced_from.map(|d| d.to_string()),
                                "supersedes": v.supersedes,
                                "status": rules.status_on(v, today),
                                "reviewed": v.reviewed.to_string(),
                            })
                        })
                        .collect();
                    serde_json::to_string_pretty(&serde_json::json!({
                        "rules": versions,
                        "rules_origin": rules.origin,
                        "rules_hash": rules.hash,
                        "status_on": today.to_string(),
                    }))
                    .unwrap_or_default()
                }
                Format::Table => {
                    #[derive(tabled::Tabled)]
                    struct Row {
                        #[tabled(rename = "ID")]
                        id: String,
                        #[tabled(rename = "KIND")]
                        kind: String,
                        #[tabled(rename = "IN FORCE")]
                        from: String,
                        #[tabled(rename = "UNTIL")]
                        until: String,
                        #[tabled(rename = "STATUS")]
                        status: String,
                        #[tabled(rename = "CITATION")]
                        citation: String,
                        #[tabled(rename = "TITLE")]
                        title: String,
                    }
                    let rows: Vec<Row> = rules
                        .versions
                        .iter()
                        .map(|v| {
                            let next = rules
                                .versions
                                .iter()
                                .filter(|o| o.supersedes.contains(&v.id))
                                .map(|o| o.in_force)
                                .min();
                            let end = [v.until, v.not_enforced_from, next]
                                .into_iter()
                                .flatten()
                                .min();
                            Row {
                                id: v.id.clone(),
                                kind: format!("{:?}", v.kind).to_lowercase(),
                                from: v.in_force.to_string(),
                                until: end.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
                                status: rules.status_on(v, today).to_string(),
                                citation: v.citation.clone(),
                                title: v.title.clone(),
                            }
                        })
                        .collect();
                    let mut t = tabled::Table::new(rows);
                    t.with(tabled::settings::Style::blank());
                    format!(
                        "{t}\n\nstatus as of {today} · rules {} ({})\n",
                        rules.origin,
                        crate::report::short_hash(&rules.hash)
                    )
                }
            };
            write_out(out, &text)?;
        }
        RulesAction::Show { id } => {
            let Some(v) = rules.get(&id) else {
                let ids: Vec<&str> = rules.versions.iter().map(|v| v.id.as_str()).collect();
                let hint = crate::diagnostic::did_you_mean(&id, ids.iter().copied())
                    .map(|n| format!("did you mean `{n}`?"))
                    .unwrap_or_else(|| format!("versions: {}", ids.join(", ")));
                return Err(Error::Usage(format!("no rule version `{id}`; {hint}")));
            };
            let text = match args.format {
                Format::Json => serde_json::to_string_pretty(&show_json(v)).unwrap_or_default(),
                Format::Table => show_text(rules, v, today),
            };
            write_out(out, &text)?;
        }
    }
    Ok(0)
}

fn test_text(t: &crate::rules::Test) -> String {
    let mut parts: Vec<String> = t.all.iter().map(|c| c.to_string()).collect();
    if !t.any.is_empty() {
        parts.push(format!(
            "any of ({})",
            t.any
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(" | ")
        ));
    }
    if parts.is_empty() {
        "always".into()
    } else {
        parts.join(" and ")
    }
}

fn show_json(v: &crate::rules::RuleVersion) -> serde_json::Value {
    use serde_json::json;
    let strings = |t: &crate::rules::Test| {
        (
            t.all.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
            t.any.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        )
    };
    json!({
        "id": v.id, "title": v.title, "kind": v.kind, "authority": v.authority,
        "citation": v.citation, "fr_doc": v.fr_doc, "url": v.url,
        "published": v.published.to_string(), "in_force": v.in_force.to_string(),
        "until": v.until.map(|d| d.to_string()), "not_enforced_from": v.not_enforced_from.map(|d| d.to_string()),
        "supersedes": v.supersedes, "reviewed": v.reviewed.to_string(), "summary": v.summary, "notes": v.notes,
        "paragraphs": v.paragraphs.iter().map(|p| { let (all, any) = strings(&p.test); json!({"id": p.id, "summary": p.summary, "all": all, "any": any, "unless": p.unless, "citation": p.citation}) }).collect::<Vec<_>>(),
        "exclusions": v.exclusions.iter().map(|e| { let (all, any) = strings(&e.test); json!({"id": e.id, "summary": e.summary, "all": all, "any": any, "paragraphs": e.paragraphs, "citation": e.citation}) }).collect::<Vec<_>>(),
        "license_requirements": v.requirements.iter().map(|r| json!({"id": r.id, "summary": r.summary, "paragraphs": r.paragraphs, "destinations": show_places(&r.destinations), "except": show_places(&r.except), "headquartered_in": show_places(&r.headquartered_in), "citation": r.citation})).collect::<Vec<_>>(),
        "review_policies": v.policies.iter().map(|p| json!({"policy": p.policy, "destinations": show_places(&p.destinations), "headquartered_in": show_places(&p.headquartered_in), "paragraphs": p.paragraphs, "all": strings(&p.test).0, "note": p.note, "citation": p.citation})).collect::<Vec<_>>(),
        "exceptions": v.exceptions.iter().map(|e| json!({"id": e.id, "title": e.title, "destinations": show_places(&e.destinations), "except": show_places(&e.except), "eligible": e.eligible.iter().map(|el| { let (all, any) = strings(&el.test); json!({"paragraphs": el.paragraphs, "all": all, "any": any}) }).collect::<Vec<_>>(), "notification": e.notification.as_ref().map(|n| json!({"destinations": show_places(&n.destinations), "headquartered_in": show_places(&n.headquartered_in), "days": n.days, "citation": n.citation})), "citation": e.citation})).collect::<Vec<_>>(),
        "systems": v.systems.as_ref().map(|s| json!({"eccn": s.eccn, "summary": s.summary, "paragraph_map": s.paragraph_map, "citation": s.citation})),
    })
}

fn show_text(rules: &RuleSet, v: &crate::rules::RuleVersion, today: Date) -> String {
    let mut s = String::new();
    s.push_str(&format!("{}: {}\n", v.id, v.title));
    s.push_str(&format!(
        "  {} · {} · status on {today}: {}\n",
        v.authority,
        v.citation,
        rules.status_on(v, today)
    ));
    s.push_str(&format!(
        "  published {}, in force {}",
        v.published, v.in_force
    ));
    if let Some(u) = v.until {
        s.push_str(&format!(", until {u}"));
    }
    if let Some(n) = v.not_enforced_from {
        s.push_str(&format!(", not enforced from {n}"));
    }
    if !v.supersedes.is_empty() {
        s.push_str(&format!(", supersedes {}", v.supersedes.join(", ")));
    }
    s.push_str(&format!("; reviewed {}\n", v.reviewed));
    if let Some(sum) = &v.summary {
        s.push_str(&format!("\n{sum}\n"));
    }
    if let Some(a) = &v.applies_to {
        s.push_str(&format!(
            "\nApplies to: {} products {}",
            if a.any_vendor {
                "any vendor's".to_string()
            } else {
                format!("{}'s", a.vendor)
            },
            if a.products.is_empty() {
                "(none by name)".to_string()
            } else {
                a.products.join(", ")
            }
        ));
        if !a.reaching_all.is_empty() || !a.reaching_any.is_empty() {
            let test = crate::rules::Test {
                all: a.reaching_all.clone(),
                any: a.reaching_any.clone(),
            };
            s.push_str(&format!(", and others reaching {}", test_text(&test)));
        }
        s.push('\n');
    }
    s.push_str("\nParagraphs:\n");
    for p in &v.paragraphs {
        s.push_str(&format!(
            "  {:<12} {}\n               when {}",
            p.id,
            p.summary,
            test_text(&p.test)
        ));
        if !p.unless.is_empty() {
            s.push_str(&format!(", unless {}", p.unless.join(", ")));
        }
        s.push_str(&format!("\n               [{}]\n", p.citation));
    }
    if !v.exclusions.is_empty() {
        s.push_str("\nExclusions:\n");
        for e in &v.exclusions {
            s.push_str(&format!(
                "  {}: {} (removes {} when {}) [{}]\n",
                e.id,
                e.summary,
                e.paragraphs.join(", "),
                test_text(&e.test),
                e.citation
            ));
        }
    }
    if let Some(sys) = &v.systems {
        let map: Vec<String> = sys
            .paragraph_map
            .iter()
            .map(|(a, b)| format!("{a} -> {b}"))
            .collect();
        s.push_str(&format!(
            "\nSystems ({}): {} ({}) [{}]\n",
            sys.eccn,
            sys.summary,
            map.join(", "),
            sys.citation
        ));
    }
    s.push_str("\nLicence requirements:\n");
    for r in &v.requirements {
        s.push_str(&format!(
            "  {}: {} — {}",
            r.id,
            r.summary,
            r.paragraphs.join(", ")
        ));
        if !r.destinations.is_empty() {
            s.push_str(&format!("; to {}", show_places(&r.destinations)));
        }
        if !r.except.is_empty() {
            s.push_str(&format!(" less {}", show_places(&r.except)));
        }
        if !r.headquartered_in.is_empty() {
            s.push_str(&format!(
                "; end users headquartered in {}",
                show_places(&r.headquartered_in)
            ));
        }
        s.push_str(&format!(" [{}]\n", r.citation));
        for place in r.destinations.iter().chain(r.headquartered_in.iter()) {
            if let Place::Group(g) = place {
                let members: Vec<String> = rules
                    .groups
                    .members(g, today.max(v.in_force))
                    .into_iter()
                    .collect();
                s.push_str(&format!("      {g}: {}\n", members.join(" ")));
            }
        }
    }
    s.push_str("\nReview policy (first match):\n");
    for p in &v.policies {
        let mut scope = Vec::new();
        if !p.destinations.is_empty() {
            scope.push(format!("to {}", show_places(&p.destinations)));
        }
        if !p.headquartered_in.is_empty() {
            scope.push(format!(
                "end users headquartered in {}",
                show_places(&p.headquartered_in)
            ));
        }
        if !p.paragraphs.is_empty() {
            scope.push(format!("for {}", p.paragraphs.join(", ")));
        }
        if !p.test.all.is_empty() {
            scope.push(format!("when {}", test_text(&p.test)));
        }
        if scope.is_empty() {
            scope.push("otherwise".into());
        }
        s.push_str(&format!("  {}: {}", p.policy.name(), scope.join(" and ")));
        if let Some(n) = &p.note {
            s.push_str(&format!(" ({n})"));
        }
        s.push_str(&format!(" [{}]\n", p.citation));
    }
    if !v.exceptions.is_empty() {
        s.push_str("\nLicence exceptions:\n");
        for e in &v.exceptions {
            s.push_str(&format!("  {} ({}) [{}]\n", e.id, e.title, e.citation));
            if !e.destinations.is_empty() {
                s.push_str(&format!("      usable to {}", show_places(&e.destinations)));
                if !e.except.is_empty() {
                    s.push_str(&format!(" less {}", show_places(&e.except)));
                }
                s.push('\n');
            }
            for el in &e.eligible {
                s.push_str(&format!(
                    "      eligible: {} when {}\n",
                    el.paragraphs.join(", "),
                    test_text(&el.test)
                ));
            }
            if let Some(n) = &e.notification {
                s.push_str(&format!(
                    "      prior notification: to {} or end users headquartered in {}{} [{}]\n",
                    show_places(&n.destinations),
                    show_places(&n.headquartered_in),
                    n.days.map(|d| format!(", {d} days")).unwrap_or_default(),
                    n.citation
                ));
            }
        }
    }
    if !v.notes.is_empty() {
        s.push_str("\nNotes:\n");
        for n in &v.notes {
            s.push_str(&format!("  - {n}\n"));
        }
    }
    s
}

fn chips_command(
    rules: &RuleSet,
    args: ChipsArgs,
    today: Date,
    out: &mut dyn Write,
) -> Result<i32, Error> {
    let chips = library::chips().map_err(|d| Error::Input(Box::new(d.clone())))?;
    match args.action.unwrap_or(ChipsAction::List) {
        ChipsAction::List => {
            let rows: Vec<serde_json::Value> = chips
                .iter()
                .map(|c| {
                    let m = crate::metrics::Metrics::of(&c.spec);
                    let rule = rules.regulation_on(today);
                    let paragraphs: Vec<String> = rule
                        .map(|r| {
                            crate::engine::classify_chip(r, &m)
                                .0
                                .into_iter()
                                .filter(|s| s.truth != crate::truth::Truth::False)
                                .map(|s| if s.truth.is_true() { s.id } else { format!("{}?", s.id) })
                                .collect()
                        })
                        .unwrap_or_default();
                    serde_json::json!({
                        "name": c.spec.name,
                        "vendor": c.spec.vendor,
                        "aliases": c.spec.aliases,
                        "datacenter": c.spec.datacenter,
                        "tpp": m.tpp.map(crate::number::to_f64),
                        "performance_density": m.performance_density().map(|d| crate::number::to_f64(crate::number::rounded(d, 6))),
                        "paragraphs": paragraphs,
                        "sources": c.spec.sources,
                        "file": format!("examples/chips/{}", c.file),
                    })
                })
                .collect();
            let text = match args.format {
                Format::Json => serde_json::to_string_pretty(&serde_json::json!({ "chips": rows }))
                    .unwrap_or_default(),
                Format::Table => {
                    #[derive(tabled::Tabled)]
                    struct Row {
                        #[tabled(rename = "VENDOR")]
                        vendor: String,
                        #[tabled(rename = "NAME")]
                        name: String,
                        #[tabled(rename = "DC")]
                        dc: String,
                        #[tabled(rename = "TPP")]
                        tpp: String,
                        #[tabled(rename = "PD")]
                        pd: String,
                        #[tabled(rename = "3A090 TODAY")]
                        paragraphs: String,
                        #[tabled(rename = "ALIASES")]
                        aliases: String,
                    }
                    let rows: Vec<Row> = chips
                        .iter()
                        .zip(rows.iter())
                        .map(|(c, r)| {
                            let m = crate::metrics::Metrics::of(&c.spec);
                            Row {
                                vendor: c.spec.vendor.clone().unwrap_or_default(),
                                name: c.spec.name.clone(),
                                dc: match c.spec.datacenter {
                                    Some(true) => "yes",
                                    Some(false) => "no",
                                    None => "?",
                                }
                                .into(),
                                tpp: m
                                    .tpp
                                    .map(crate::number::grouped)
                                    .unwrap_or_else(|| "unknown".into()),
                                pd: m
                                    .performance_density()
                                    .map(|d| crate::number::grouped(crate::number::rounded(d, 2)))
                                    .unwrap_or_else(|| "unknown".into()),
                                paragraphs: r["paragraphs"]
                                    .as_array()
                                    .map(|a| {
                                        a.iter()
                                            .filter_map(|v| v.as_str())
                                            .collect::<Vec<_>>()
                                            .join(", ")
                                    })
                                    .filter(|s| !s.is_empty())
                                    .unwrap_or_else(|| "-".into()),
                                aliases: c.spec.aliases.join(", "),
                            }
                        })
                        .collect();
                    let mut t = tabled::Table::new(rows);
                    t.with(tabled::settings::Style::blank());
                    format!("{t}\n\n{} chips · paragraphs under the rule in force on {today} (`?`: depends on a missing figure) · `chipcheck chips show NAME` for sources\n", chips.len())
                }
            };
            write_out(out, &text)?;
        }
        ChipsAction::Show { name } => {
            let spec = library_chip(&name)?;
            let file = chips
                .iter()
                .find(|c| std::ptr::eq(&c.spec, spec))
                .map(|c| c.file)
                .unwrap_or("");
            let text = match args.format {
                Format::Json => serde_json::to_string_pretty(spec).unwrap_or_default(),
                Format::Table => embedded_chip_text(file)
                    .map(str::to_string)
                    .unwrap_or_default(),
            };
            write_out(out, &text)?;
        }
    }
    Ok(0)
}

/// The spec sheet exactly as shipped (comments, sources and all).
fn embedded_chip_text(file: &str) -> Option<&'static str> {
    library::file_text(file)
}

/// A spec file if the path exists (or ends in .toml), else a library name.
fn chip_or_spec(text: &str) -> Result<(ChipSpec, String), Error> {
    let path = Path::new(text);
    if path.exists() || text.ends_with(".toml") {
        Ok((read_spec(path)?, text.to_string()))
    } else {
        Ok((library_chip(text)?.clone(), "library".to_string()))
    }
}

fn timeline_command(
    rules: &RuleSet,
    args: TimelineArgs,
    today: Date,
    out: &mut dyn Write,
) -> Result<i32, Error> {
    let (spec, input) = chip_or_spec(&args.chip)?;
    let dest = parse_country("--to", args.to.as_deref())?;
    let hq = parse_country("--end-user-hq", args.end_user_hq.as_deref())?;
    let from = match args.from.as_deref() {
        Some(text) => parse_date(Some(text), today)?,
        None => crate::history::history_start(rules).ok_or_else(|| {
            Error::Usage("the rule set has no versions to start a timeline from".into())
        })?,
    };
    let until = parse_date(args.until.as_deref(), today)?;
    if until < from {
        return Err(Error::Usage(format!(
            "--until {until} is before --from {from}"
        )));
    }
    let subject = Subject {
        spec: &spec,
        input,
        contained: resolve_contained(&spec)?,
    };
    let entries = crate::history::timeline(rules, &subject, dest, hq, from, until);
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&serde_json::json!({
            "chip": spec.name,
            "destination": dest.map(|d| d.code),
            "end_user_hq": hq.map(|h| h.code),
            "from": from.to_string(),
            "until": until.to_string(),
            "timeline": entries,
            "provenance": crate::report::Provenance::new(rules, &[]),
        }))
        .unwrap_or_default(),
        Format::Table => {
            let mut s = format!(
                "{} -> {}, {from} to {until}\n\n",
                spec.display_name(),
                dest.map(|d| format!("{} ({})", d.code, d.name))
                    .unwrap_or_else(|| "every destination".into())
            );
            for e in &entries {
                let policy = e
                    .review_policy
                    .map(|p| format!(", {}", p.words()))
                    .unwrap_or_default();
                let exc = if e.exceptions.is_empty() {
                    String::new()
                } else {
                    format!(", License Exception {}", e.exceptions.join("/"))
                };
                let paras = if e.paragraphs.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", e.paragraphs.join(", "))
                };
                s.push_str(&format!("{}  {}{policy}{exc}{paras}\n", e.date, e.verdict));
                if let Some(d) = &e.license_destinations {
                    s.push_str(&format!(
                        "            licence destinations: {}\n",
                        if d.is_empty() {
                            "none".to_string()
                        } else {
                            d.join(" ")
                        }
                    ));
                }
                for c in &e.changes {
                    s.push_str(&format!("            {c}\n"));
                }
            }
            s
        }
    };
    write_out(out, &text)?;
    Ok(0)
}

fn diff_command(
    rules: &RuleSet,
    args: DiffArgs,
    today: Date,
    out: &mut dyn Write,
) -> Result<i32, Error> {
    let from = parse_date(Some(&args.from), today)?;
    let until = parse_date(args.until.as_deref(), today)?;
    let dests = parse_destinations(&args.to)?;
    let hq = parse_country("--end-user-hq", args.end_user_hq.as_deref())?;
    let mut specs: Vec<(ChipSpec, String)> = Vec::new();
    let mut catalogues = Vec::new();
    for p in &args.specs {
        if p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        {
            catalogues.push(p.clone());
        } else {
            specs.push((read_spec(p)?, p.display().to_string()));
        }
    }
    for name in &args.chips {
        specs.push((library_chip(name)?.clone(), "library".into()));
    }
    if args.library {
        for c in library::chips().map_err(|d| Error::Input(Box::new(d.clone())))? {
            specs.push((c.spec.clone(), "library".into()));
        }
    }
    if specs.is_empty() && catalogues.is_empty() {
        return Err(Error::Usage(
            "give spec sheets, a catalogue CSV, --chip NAME or --library".into(),
        ));
    }
    let mut entries = Vec::new();
    let mut compared = specs.len();
    for catalogue in &catalogues {
        let (changed, rows) = crate::history::diff_catalogue(
            rules,
            catalogue,
            &args.to,
            args.end_user_hq.as_deref(),
            from,
            until,
        )?;
        compared = compared.saturating_add(rows);
        entries.extend(changed);
    }
    for (spec, input) in &specs {
        let subject = Subject {
            spec,
            input: input.clone(),
            contained: resolve_contained(spec)?,
        };
        entries.extend(crate::history::diff(
            rules, &subject, &dests, hq, from, until,
        ));
    }
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&serde_json::json!({
            "from": from.to_string(),
            "until": until.to_string(),
            "changed": entries,
            "compared": compared,
            "provenance": crate::report::Provenance::new(rules, &[]),
        }))
        .unwrap_or_default(),
        Format::Table => {
            #[derive(tabled::Tabled)]
            struct Row {
                #[tabled(rename = "CHIP")]
                chip: String,
                #[tabled(rename = "TO")]
                to: String,
                #[tabled(rename = "FROM")]
                before: String,
                #[tabled(rename = "UNTIL")]
                after: String,
            }
            let show = |o: &Outcome| {
                let mut s = o.verdict.name().to_string();
                if let Some(p) = o.review_policy {
                    s.push_str(&format!(" ({})", p.name()));
                }
                if !o.paragraphs.is_empty() {
                    s.push_str(&format!(" [{}]", o.paragraphs.join(", ")));
                }
                s
            };
            let rows: Vec<Row> = entries
                .iter()
                .map(|e| Row {
                    chip: e.chip.clone(),
                    to: e.destination.clone().unwrap_or_else(|| "(all)".into()),
                    before: show(&e.from),
                    after: show(&e.until),
                })
                .collect();
            let mut s = format!(
                "{} of {} chips changed between {from} and {until}\n\n",
                entries.len(),
                compared
            );
            if !rows.is_empty() {
                let mut t = tabled::Table::new(rows);
                t.with(tabled::settings::Style::blank());
                s.push_str(&format!("{t}\n"));
                for e in &entries {
                    s.push_str(&format!(
                        "\n{} -> {}:\n",
                        e.chip,
                        e.destination
                            .clone()
                            .unwrap_or_else(|| "every destination".into())
                    ));
                    for w in &e.why {
                        s.push_str(&format!("  - {w}\n"));
                    }
                }
            }
            s
        }
    };
    write_out(out, &text)?;
    Ok(0)
}

const INIT_TEMPLATE: &str = include_str!("init-template.toml");

fn init(force: bool, out: &mut dyn Write) -> Result<i32, Error> {
    let path = Path::new(crate::config::CONFIG_FILE);
    if path.exists() && !force {
        return Err(Error::Usage(format!(
            "{} already exists; pass --force to overwrite it",
            path.display()
        )));
    }
    std::fs::write(path, INIT_TEMPLATE).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    write_out(out, &format!("wrote {}\n", path.display()))?;
    Ok(0)
}
