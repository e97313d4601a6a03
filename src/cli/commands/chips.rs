//! `chipcheck chips`: the built-in library, listed or one chip shown.

use super::super::args::{ChipsAction, ChipsArgs, ChipsFormat};
use super::super::output;
use super::super::query::{parse_country, parse_date, parse_destinations};
use super::super::write_out;
use crate::error::Error;
use crate::library;
use crate::rules::RuleSet;
use jiff::civil::Date;
use std::io::Write;

pub fn run(
    rules: &RuleSet,
    args: ChipsArgs,
    today: Date,
    out: &mut dyn Write,
) -> Result<i32, Error> {
    let chips = library::chips().map_err(|d| Error::Input(Box::new(d.clone())))?;
    let date = parse_date(args.date.as_deref(), today)?;
    let listing = matches!(args.action, None | Some(ChipsAction::List));
    if !listing && (args.format == ChipsFormat::Html || !args.outputs.is_empty()) {
        return Err(Error::Usage(
            "chips show: --format html and --output are for the whole library (`chipcheck chips --format html`)".into(),
        ));
    }
    if listing && (args.format == ChipsFormat::Html || !args.outputs.is_empty()) {
        report_library(rules, &args, date, out)?;
        if args.format == ChipsFormat::Html {
            return Ok(0);
        }
    }
    let today = date;
    match args.action.unwrap_or(ChipsAction::List) {
        ChipsAction::List => {
            let text = match args.format {
                ChipsFormat::Json => crate::views::chips::list_json(rules, chips, today),
                ChipsFormat::Table | ChipsFormat::Html => {
                    crate::views::chips::list_text(rules, chips, today)
                }
            };
            write_out(out, &text)?;
        }
        ChipsAction::Show { name } => {
            let spec = library::chip(&name)?;
            let file = chips
                .iter()
                .find(|c| std::ptr::eq(&c.spec, spec))
                .map(|c| c.file)
                .unwrap_or("");
            let text = match args.format {
                ChipsFormat::Json => serde_json::to_string_pretty(spec).unwrap_or_default(),
                ChipsFormat::Table | ChipsFormat::Html => embedded_chip_text(file)
                    .map(str::to_string)
                    .unwrap_or_default(),
            };
            write_out(out, &text)?;
        }
    }
    Ok(0)
}

/// Every library chip classified on `date` for the destinations asked,
/// through the report layer: `--format html` on standard output, and each
/// `--output` file.
fn report_library(
    rules: &RuleSet,
    args: &ChipsArgs,
    date: Date,
    out: &mut dyn Write,
) -> Result<(), Error> {
    let destinations = parse_destinations(&args.to)?;
    let hq = parse_country("--end-user-hq", args.end_user_hq.as_deref())?;
    let mut targets = output::targets(crate::report::OutputFormat::Html, &args.outputs, &[], None)?;
    if args.format != ChipsFormat::Html {
        // The table or JSON listing goes to standard output; only files here.
        targets.retain(|t| t.path.is_some());
    }
    let mut outcomes = Vec::new();
    for c in library::chips().map_err(|d| Error::Input(Box::new(d.clone())))? {
        let subject = crate::engine::Subject::new(
            &c.spec,
            format!("examples/chips/{}", c.file),
            library::resolve_contained(&c.spec)?,
        );
        outcomes.extend(crate::engine::evaluate_all(
            rules,
            &subject,
            date,
            &destinations,
            hq,
        ));
    }
    let gate = crate::report::Gate::default();
    let full_report = output::full_reports(&targets);
    let run = crate::report::Run {
        date: Some(date),
        destinations: &destinations,
        hq,
        full_report: &full_report,
        ..crate::report::Run::results(rules, &gate)
    };
    let mut tee = output::open(&targets, crate::report::Layout::Results, out)?;
    crate::report::write_results(&run, &outcomes, Vec::new(), Vec::new(), &mut tee)?;
    tee.commit()?;
    Ok(())
}

/// The spec sheet exactly as shipped (comments, sources and all).
fn embedded_chip_text(file: &str) -> Option<&'static str> {
    library::file_text(file)
}
