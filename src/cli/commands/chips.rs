//! `chipcheck chips`: the built-in library, listed or one chip shown.

use super::super::args::{ChipsAction, ChipsArgs, Format};
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
            let spec = library::chip(&name)?;
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
