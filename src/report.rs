//! Rendering results: a table with explanations for people, JSON for
//! machines. Both carry the provenance that lets an answer be reproduced.

use crate::engine::Outcome;
use crate::number::{grouped, rounded};
use crate::rules::RuleSet;
use serde::Serialize;
use std::collections::BTreeSet;
use tabled::settings::Style;
use tabled::{Table, Tabled};

/// Where an answer came from: tool, rule set and its hash, rule versions.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    pub chipcheck_version: &'static str,
    pub rules_origin: String,
    pub rules_hash: String,
    pub rule_versions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules_reviewed: Option<String>,
}

impl Provenance {
    pub fn new(rules: &RuleSet, outcomes: &[Outcome]) -> Provenance {
        let used: BTreeSet<String> = outcomes
            .iter()
            .flat_map(|o| o.basis.iter().cloned())
            .collect();
        Provenance {
            chipcheck_version: crate::VERSION,
            rules_origin: rules.origin.clone(),
            rules_hash: rules.hash.clone(),
            rule_versions: used.into_iter().collect(),
            rules_reviewed: rules.reviewed().map(|d| d.to_string()),
        }
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    results: &'a [Outcome],
    provenance: Provenance,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    licenses: &'a [crate::config::LicenseUse],
}

pub fn json(rules: &RuleSet, outcomes: &[Outcome]) -> String {
    json_with_licenses(rules, outcomes, &[])
}

/// The JSON report, with what became of each licence on file.
pub fn json_with_licenses(
    rules: &RuleSet,
    outcomes: &[Outcome],
    licenses: &[crate::config::LicenseUse],
) -> String {
    let report = JsonReport {
        results: outcomes,
        provenance: Provenance::new(rules, outcomes),
        licenses,
    };
    serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

#[derive(Tabled)]
struct Row {
    #[tabled(rename = "VERDICT")]
    verdict: String,
    #[tabled(rename = "CHIP")]
    chip: String,
    #[tabled(rename = "TO")]
    to: String,
    #[tabled(rename = "DATE")]
    date: String,
    #[tabled(rename = "RULE")]
    rule: String,
    #[tabled(rename = "PARAGRAPHS")]
    paragraphs: String,
    #[tabled(rename = "TPP")]
    tpp: String,
    #[tabled(rename = "PD")]
    pd: String,
}

/// Should people's output be coloured? Only on a terminal, and never when
/// `NO_COLOR` is set to anything (https://no-color.org).
pub fn colour_wanted() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

fn paint(verdict: crate::Verdict, text: &str, colour: bool) -> String {
    if !colour {
        return text.to_string();
    }
    let code = match verdict {
        crate::Verdict::LicenseRequired | crate::Verdict::Error => "1;31",
        crate::Verdict::LicenseException | crate::Verdict::Indeterminate => "1;33",
        crate::Verdict::NoLicenseRequired | crate::Verdict::Licensed => "1;32",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// The human table: one row per chip and destination, verdict first, then
/// each result's reasons.
pub fn table(rules: &RuleSet, outcomes: &[Outcome]) -> String {
    table_with_colour(rules, outcomes, false)
}

/// [`table`], with verdicts coloured when `colour` is set.
pub fn table_with_colour(rules: &RuleSet, outcomes: &[Outcome], colour: bool) -> String {
    let rows: Vec<Row> = outcomes
        .iter()
        .map(|o| Row {
            verdict: o.verdict.name().to_string(),
            chip: o.chip.clone(),
            to: o.destination.clone().unwrap_or_else(|| "(all)".into()),
            date: o.date.clone(),
            rule: o.rule.clone().unwrap_or_else(|| "-".into()),
            paragraphs: if o.paragraphs.is_empty() {
                "-".into()
            } else {
                o.paragraphs.join(", ")
            },
            tpp: o.tpp.map(grouped).unwrap_or_else(|| "unknown".into()),
            pd: o
                .performance_density
                .map(|d| grouped(rounded(d, 2)))
                .unwrap_or_else(|| "unknown".into()),
        })
        .collect();
    let mut out = Table::new(rows).with(Style::blank()).to_string();
    out.push('\n');
    for o in outcomes {
        out.push('\n');
        let to = match (&o.destination, &o.destination_name) {
            (Some(c), Some(n)) => format!("{c} ({n})"),
            _ => "every destination".to_string(),
        };
        let policy = o
            .review_policy
            .map(|p| format!(", {}", p.words()))
            .unwrap_or_default();
        let exceptions = if o.exceptions.is_empty() {
            String::new()
        } else {
            format!(
                ", {}",
                o.exceptions
                    .iter()
                    .map(|e| format!("License Exception {}", e.id))
                    .collect::<Vec<_>>()
                    .join(" / ")
            )
        };
        out.push_str(&format!(
            "{} -> {to}, {}: {}{policy}{exceptions}\n",
            o.chip,
            o.date,
            paint(o.verdict, o.verdict.name(), colour)
        ));
        for r in &o.reasons {
            out.push_str(&format!("  - {r}\n"));
        }
        for a in &o.assumptions {
            out.push_str(&format!("  - assumed: {a}\n"));
        }
    }
    out.push_str(&format!(
        "\nchipcheck {} · rules {} ({})\n",
        crate::VERSION,
        rules.origin,
        short_hash(&rules.hash)
    ));
    out
}

pub fn short_hash(hash: &str) -> &str {
    let body = hash.strip_prefix("sha256:").unwrap_or(hash);
    body.get(..12).unwrap_or(body)
}
