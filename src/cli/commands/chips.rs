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
                ChipsFormat::Json => {
                    serde_json::to_string_pretty(&serde_json::json!({ "chips": rows }))
                        .unwrap_or_default()
                }
                ChipsFormat::Table | ChipsFormat::Html => {
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
    let mut targets = output::targets(crate::report::OutputFormat::Html, &args.outputs, &[])?;
    if args.format != ChipsFormat::Html {
        // The table or JSON listing goes to standard output; only files here.
        targets.retain(|t| t.path.is_some());
    }
    let mut outcomes = Vec::new();
    for c in library::chips().map_err(|d| Error::Input(Box::new(d.clone())))? {
        let subject = crate::engine::Subject {
            spec: &c.spec,
            input: format!("examples/chips/{}", c.file),
            contained: library::resolve_contained(&c.spec)?,
        };
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
