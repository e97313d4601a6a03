//! `chipcheck classify`: spec sheets and library chips, for destinations and
//! a date, into every report asked for.

use super::super::args::ClassifyArgs;
use super::super::query::{parse_country, parse_date, parse_destinations};
use super::super::write_out;
use crate::engine::{evaluate_all, Outcome, Subject};
use crate::error::Error;
use crate::input::{file_sha256, read_spec};
use crate::library::{chip as library_chip, resolve_contained};
use crate::rules::RuleSet;
use crate::spec::ChipSpec;
use jiff::civil::Date;
use std::io::Write;

pub fn run(
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
