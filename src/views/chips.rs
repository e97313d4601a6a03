//! The chip library as people read it: every chip with its TPP, density and
//! the 3A090 paragraphs it meets under the rule in force on a date.

use crate::library::LibraryChip;
use crate::metrics::Metrics;
use crate::number::{grouped, rounded, to_f64};
use crate::rules::RuleSet;
use crate::truth::Truth;
use jiff::civil::Date;

/// One library chip, worked out once for both renderings.
struct Listed<'c> {
    chip: &'c LibraryChip,
    metrics: Metrics,
    /// Paragraphs met on the date; `?` marks one that turns on a missing figure.
    paragraphs: Vec<String>,
}

fn listed<'c>(rules: &RuleSet, chips: &'c [LibraryChip], date: Date) -> Vec<Listed<'c>> {
    let rule = rules.regulation_on(date);
    chips
        .iter()
        .map(|chip| {
            let metrics = Metrics::of(&chip.spec);
            let paragraphs = rule
                .map(|r| {
                    crate::engine::classify_chip(r, &metrics)
                        .0
                        .into_iter()
                        .filter(|s| s.truth != Truth::False)
                        .map(|s| {
                            if s.truth.is_true() {
                                s.id.to_string()
                            } else {
                                format!("{}?", s.id)
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            Listed {
                chip,
                metrics,
                paragraphs,
            }
        })
        .collect()
}

/// The library as JSON.
pub fn list_json(rules: &RuleSet, chips: &[LibraryChip], date: Date) -> String {
    let rows: Vec<serde_json::Value> = listed(rules, chips, date)
        .iter()
        .map(|l| {
            let spec = &l.chip.spec;
            serde_json::json!({
                "name": spec.name,
                "vendor": spec.vendor,
                "aliases": spec.aliases,
                "datacenter": spec.datacenter,
                "tpp": l.metrics.tpp.map(to_f64),
                "performance_density": l.metrics.performance_density().map(|d| to_f64(rounded(d, 6))),
                "paragraphs": l.paragraphs,
                "sources": spec.sources,
                "file": format!("examples/chips/{}", l.chip.file),
            })
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({ "chips": rows })).unwrap_or_default()
}

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

/// The library as a table, with a line on how to read it.
pub fn list_text(rules: &RuleSet, chips: &[LibraryChip], date: Date) -> String {
    let unknown = || "unknown".to_string();
    let rows: Vec<Row> = listed(rules, chips, date)
        .into_iter()
        .map(|l| {
            let spec = &l.chip.spec;
            Row {
                vendor: spec.vendor.clone().unwrap_or_default(),
                name: spec.name.clone(),
                dc: match spec.datacenter {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "?",
                }
                .into(),
                tpp: l.metrics.tpp.map(grouped).unwrap_or_else(unknown),
                pd: l
                    .metrics
                    .performance_density()
                    .map(|d| grouped(rounded(d, 2)))
                    .unwrap_or_else(unknown),
                paragraphs: if l.paragraphs.is_empty() {
                    "-".into()
                } else {
                    l.paragraphs.join(", ")
                },
                aliases: spec.aliases.join(", "),
            }
        })
        .collect();
    let mut t = tabled::Table::new(rows);
    t.with(tabled::settings::Style::blank());
    let text = format!(
        "{t}\n\n{} chips · paragraphs under the rule in force on {date} (`?`: depends on a missing figure) · `chipcheck chips show NAME` for sources\n",
        chips.len()
    );
    crate::report::cells::terminal_safe(&text).into_owned()
}
