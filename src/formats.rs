//! Report formats for machines and reviewers: JSON Lines, CSV, SARIF 2.1.0,
//! JUnit XML, GitHub Actions annotations and a Markdown step summary. Each
//! renders the same results and provenance as the table and JSON.

use crate::engine::Outcome;
use crate::number::{grouped, rounded, to_f64};
use crate::report::Provenance;
use crate::rules::RuleSet;
use crate::verdict::Verdict;
use serde_json::json;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
    Jsonl,
    Csv,
    Sarif,
    Junit,
    Github,
    Markdown,
}

impl FromStr for OutputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        <OutputFormat as clap::ValueEnum>::from_str(s, true).map_err(|_| {
            format!("unknown output format `{s}`; one of: table, json, jsonl, csv, sarif, junit, github, markdown")
        })
    }
}

/// `--output FORMAT=PATH` (or just `FORMAT` for standard output).
#[derive(Clone, Debug)]
pub struct OutputTarget {
    pub format: OutputFormat,
    pub path: Option<std::path::PathBuf>,
}

impl FromStr for OutputTarget {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (format, path) = match s.split_once('=') {
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

/// The context every format records: who judged, against what, for whom.
pub struct Context<'a> {
    pub rules: &'a RuleSet,
    pub outcomes: &'a [Outcome],
    pub licenses: &'a [crate::config::LicenseUse],
    /// SHA-256 of each input file, for the audit trail.
    pub inputs: &'a [(String, String)],
}

pub fn render(format: OutputFormat, cx: &Context) -> String {
    match format {
        OutputFormat::Table => crate::report::table(cx.rules, cx.outcomes),
        OutputFormat::Json => json_report(cx),
        OutputFormat::Jsonl => jsonl(cx),
        OutputFormat::Csv => csv(cx),
        OutputFormat::Sarif => sarif(cx),
        OutputFormat::Junit => junit(cx),
        OutputFormat::Github => github(cx),
        OutputFormat::Markdown => markdown(cx),
    }
}

fn provenance(cx: &Context) -> serde_json::Value {
    let mut p = serde_json::to_value(Provenance::new(cx.rules, cx.outcomes)).unwrap_or_default();
    if let Some(obj) = p.as_object_mut() {
        obj.insert(
            "inputs".into(),
            cx.inputs
                .iter()
                .map(|(path, hash)| json!({"path": path, "sha256": hash}))
                .collect(),
        );
        let dates: std::collections::BTreeSet<&str> =
            cx.outcomes.iter().map(|o| o.date.as_str()).collect();
        obj.insert("dates_evaluated".into(), dates.into_iter().collect());
    }
    p
}

fn json_report(cx: &Context) -> String {
    let mut v = json!({ "results": cx.outcomes, "provenance": provenance(cx) });
    if !cx.licenses.is_empty() {
        v["licenses"] = serde_json::to_value(cx.licenses).unwrap_or_default();
    }
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

fn jsonl(cx: &Context) -> String {
    let mut out = String::new();
    for o in cx.outcomes {
        out.push_str(&serde_json::to_string(o).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(
        &serde_json::to_string(&json!({ "provenance": provenance(cx) })).unwrap_or_default(),
    );
    out.push('\n');
    out
}

/// Spreadsheet-safe: a cell that would start a formula is neutralised.
pub fn safe_cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

fn csv(cx: &Context) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "chip",
        "vendor",
        "input",
        "destination",
        "date",
        "verdict",
        "paragraphs",
        "tpp",
        "performance_density",
        "review_policy",
        "exceptions",
        "rule",
        "basis",
        "reason",
    ]);
    for o in cx.outcomes {
        let [verdict, paragraphs, tpp, pd, policy, exceptions, rule] = verdict_cells(o);
        let row = [
            o.chip.clone(),
            o.vendor.clone().unwrap_or_default(),
            o.input.clone(),
            o.destination.clone().unwrap_or_default(),
            o.date.clone(),
            verdict,
            paragraphs,
            tpp,
            pd,
            policy,
            exceptions,
            rule,
            o.basis.join(", "),
            headline(o),
        ];
        let _ = w.write_record(row.iter().map(|c| safe_cell(c)));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The cells every CSV report gives for a result, in this order: verdict,
/// paragraphs, TPP, performance density, review policy, exceptions, rule.
/// One place, so that `classify --format csv` and `audit --format csv` agree.
pub fn verdict_cells(o: &Outcome) -> [String; 7] {
    [
        o.verdict.name().to_string(),
        o.paragraphs.join(", "),
        o.tpp.map(|t| t.normalize().to_string()).unwrap_or_default(),
        o.performance_density
            .map(|d| rounded(d, 6).to_string())
            .unwrap_or_default(),
        o.review_policy
            .map(|p| p.name().to_string())
            .unwrap_or_default(),
        o.exceptions
            .iter()
            .map(|e| e.id.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        o.rule.clone().unwrap_or_default(),
    ]
}

/// The one-line summary of a result.
pub fn headline(o: &Outcome) -> String {
    let to = o
        .destination
        .as_deref()
        .map(|d| format!(" to {d}"))
        .unwrap_or_default();
    let paras = if o.paragraphs.is_empty() {
        String::new()
    } else {
        format!(" ({})", o.paragraphs.join(", "))
    };
    let tpp = o
        .tpp
        .map(|t| format!(", TPP {}", grouped(t)))
        .unwrap_or_default();
    let extra = match o.verdict {
        Verdict::LicenseRequired => o
            .review_policy
            .map(|p| format!("; {}", p.words()))
            .unwrap_or_default(),
        Verdict::LicenseException => format!(
            "; License Exception {}",
            o.exceptions
                .iter()
                .map(|e| if e.notification_required {
                    format!("{} (prior notification)", e.id)
                } else {
                    e.id.clone()
                })
                .collect::<Vec<_>>()
                .join(" or ")
        ),
        Verdict::Indeterminate => format!("; give {} to settle it", o.settle_with.join(", ")),
        _ => String::new(),
    };
    format!(
        "{}{to}: {}{paras}{tpp}{extra} [{}]",
        o.chip,
        o.verdict,
        o.rule.clone().unwrap_or_else(|| "-".into())
    )
}

fn level(v: Verdict) -> &'static str {
    match v {
        Verdict::LicenseRequired | Verdict::Error => "error",
        Verdict::LicenseException | Verdict::Indeterminate => "warning",
        Verdict::NoLicenseRequired | Verdict::Licensed => "note",
    }
}

/// Where a result points: its spec file, or the library chip.
fn artifact(o: &Outcome) -> String {
    if o.input == "library" {
        format!("chipcheck-library/{}", o.chip.replace(' ', "%20"))
    } else {
        o.input.replace('\\', "/")
    }
}

fn sarif(cx: &Context) -> String {
    let rules: Vec<serde_json::Value> = [
        (Verdict::LicenseRequired, "A licence is required and no licence exception applies."),
        (Verdict::LicenseException, "Controlled, but a licence exception (NAC/ACA) can authorise the export."),
        (Verdict::Indeterminate, "The answer depends on a figure the spec does not give."),
        (Verdict::Licensed, "Controlled, and covered by a licence on file."),
        (Verdict::NoLicenseRequired, "No licence is required."),
    ]
    .iter()
    .map(|(v, text)| json!({
        "id": v.name(),
        "name": v.name(),
        "shortDescription": { "text": text },
        "defaultConfiguration": { "level": level(*v) },
        "helpUri": "https://www.ecfr.gov/current/title-15/subtitle-B/chapter-VII/subchapter-C/part-774",
    }))
    .collect();
    let results: Vec<serde_json::Value> = cx
        .outcomes
        .iter()
        .map(|o| {
            json!({
                "ruleId": o.verdict.name(),
                "level": level(o.verdict),
                "message": { "text": format!("{}\n{}", headline(o), o.reasons.join("\n")) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": artifact(o) },
                        "region": { "startLine": o.line.unwrap_or(1) }
                    }
                }],
                "properties": {
                    "destination": o.destination,
                    "date": o.date,
                    "rule": o.rule,
                    "paragraphs": o.paragraphs,
                    "tpp": o.tpp.map(to_f64),
                    "review_policy": o.review_policy,
                    "basis": o.basis,
                }
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "chipcheck",
                "version": crate::VERSION,
                "informationUri": "https://github.com/chipcheck/chipcheck",
                "rules": rules,
            }},
            "results": results,
            "invocations": [{ "executionSuccessful": true }],
            "properties": { "provenance": provenance(cx) },
        }]
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn junit(cx: &Context) -> String {
    let failures = cx
        .outcomes
        .iter()
        .filter(|o| {
            matches!(
                o.verdict,
                Verdict::LicenseRequired | Verdict::LicenseException | Verdict::Error
            )
        })
        .count();
    let errors = cx
        .outcomes
        .iter()
        .filter(|o| o.verdict == Verdict::Indeterminate)
        .count();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str(&format!(
        "<testsuites name=\"chipcheck\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\">\n  <testsuite name=\"chipcheck {}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\">\n",
        cx.outcomes.len(), xml(crate::VERSION), cx.outcomes.len()
    ));
    s.push_str(&format!(
        "    <properties><property name=\"rules_hash\" value=\"{}\"/></properties>\n",
        xml(&cx.rules.hash)
    ));
    for o in cx.outcomes {
        let name = format!(
            "{} -> {} on {}",
            o.chip,
            o.destination.as_deref().unwrap_or("every destination"),
            o.date
        );
        s.push_str(&format!(
            "    <testcase classname=\"{}\" name=\"{}\">\n",
            xml(&artifact(o)),
            xml(&name)
        ));
        let body = xml(&o.reasons.join("\n"));
        match o.verdict {
            Verdict::LicenseRequired | Verdict::LicenseException | Verdict::Error => {
                s.push_str(&format!(
                    "      <failure type=\"{}\" message=\"{}\">{body}</failure>\n",
                    o.verdict,
                    xml(&headline(o))
                ))
            }
            Verdict::Indeterminate => s.push_str(&format!(
                "      <error type=\"indeterminate\" message=\"{}\">{body}</error>\n",
                xml(&headline(o))
            )),
            _ => s.push_str(&format!(
                "      <system-out>{}</system-out>\n",
                xml(&headline(o))
            )),
        }
        s.push_str("    </testcase>\n");
    }
    s.push_str("  </testsuite>\n</testsuites>\n");
    s
}

/// GitHub's workflow-command escaping.
fn gh_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_property(text: &str) -> String {
    gh_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn github(cx: &Context) -> String {
    let mut s = String::new();
    for o in cx.outcomes {
        let command = match o.verdict {
            Verdict::LicenseRequired | Verdict::Error => "error",
            Verdict::LicenseException | Verdict::Indeterminate => "warning",
            _ => "notice",
        };
        let file = if o.input == "library" {
            String::new()
        } else {
            format!(
                "file={},line={},",
                gh_property(&o.input),
                o.line.unwrap_or(1)
            )
        };
        s.push_str(&format!(
            "::{command} {file}title={}::{}\n",
            gh_property(&format!("chipcheck: {}", o.verdict)),
            gh_data(&format!("{}\n{}", headline(o), o.reasons.join("\n")))
        ));
    }
    s
}

fn markdown(cx: &Context) -> String {
    let mut s = String::from("## chipcheck\n\n| verdict | chip | to | date | rule | paragraphs | TPP |\n|---|---|---|---|---|---|---|\n");
    let cell = |t: &str| t.replace('|', "\\|").replace('\n', " ");
    for o in cx.outcomes {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            if matches!(o.verdict, Verdict::LicenseRequired | Verdict::Error) {
                format!("**{}**", o.verdict)
            } else {
                o.verdict.name().to_string()
            },
            cell(&o.chip),
            o.destination.as_deref().unwrap_or("all"),
            o.date,
            o.rule.as_deref().unwrap_or("-"),
            cell(&o.paragraphs.join(", ")),
            o.tpp.map(grouped).unwrap_or_else(|| "unknown".into()),
        ));
    }
    let p = Provenance::new(cx.rules, cx.outcomes);
    s.push_str(&format!(
        "\nchipcheck {} · rules {} `{}` · versions {}\n",
        p.chipcheck_version,
        p.rules_origin,
        p.rules_hash,
        p.rule_versions.join(", ")
    ));
    for u in cx.licenses {
        s.push_str(&format!(
            "- licence {}: {} (expires {})\n",
            u.number, u.status, u.expires
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_targets_parse() {
        let t: OutputTarget = "sarif=out.sarif".parse().unwrap();
        assert_eq!(t.format, OutputFormat::Sarif);
        assert!("json".parse::<OutputTarget>().unwrap().path.is_none());
        assert!("sariff=x".parse::<OutputTarget>().is_err());
        assert!("json=".parse::<OutputTarget>().is_err());
    }

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(safe_cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(safe_cell("-5"), "'-5");
        assert_eq!(safe_cell("H100"), "H100");
    }

    #[test]
    fn github_escaping() {
        assert_eq!(gh_data("a\nb%"), "a%0Ab%25");
        assert_eq!(gh_property("a:b,c"), "a%3Ab%2Cc");
    }
}
