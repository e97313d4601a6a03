//! SARIF 2.1.0, for code scanning: one result per chip and destination,
//! pointing at its spec file or catalogue line.
//!
//! Code scanning accepts at most 25,000 results per run (and shows the top
//! 5,000 by severity): "SARIF results exceed limits", GitHub Docs,
//! docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/results-exceed-limit
//! So the most severe 25,000 are kept (rendered, in input order), and a run
//! notification says how many more there were and where they are.

use super::cells::{artifact, summary_line};
use super::keep::KeepBytes;
use super::{Format, Item, Run, Summary};
use crate::number::to_f64;
use crate::verdict::Verdict;
use serde_json::json;

/// Results per SARIF run that code scanning accepts.
pub const MAX_RESULTS: usize = 25_000;

/// The level a result is shown at: what fails the gate is an error.
pub fn level(item: &Item<'_>) -> &'static str {
    match item.outcome.verdict {
        Verdict::Error | Verdict::Prohibited => "error",
        _ if item.fails => "error",
        Verdict::LicenseRequired | Verdict::LicenseException | Verdict::Indeterminate => "warning",
        Verdict::NoLicenseRequired | Verdict::Licensed => "note",
    }
}

fn default_level(v: Verdict) -> &'static str {
    match v {
        Verdict::LicenseRequired | Verdict::Error | Verdict::Prohibited => "error",
        Verdict::LicenseException | Verdict::Indeterminate => "warning",
        Verdict::NoLicenseRequired | Verdict::Licensed => "note",
    }
}

pub struct Sarif {
    /// Each kept result as JSON (in a spill file when there is one).
    kept: KeepBytes,
}

impl Sarif {
    pub fn new(spill_dir: Option<&std::path::Path>) -> Self {
        Sarif::with_limit(MAX_RESULTS, spill_dir)
    }

    fn with_limit(limit: usize, spill_dir: Option<&std::path::Path>) -> Self {
        Sarif {
            kept: KeepBytes::new(limit, spill_dir),
        }
    }
}

fn result_json(run: &Run<'_>, item: &Item<'_>) -> Vec<u8> {
    let o = item.outcome;
    let mut value = json!({
        "ruleId": o.verdict.name(),
        "level": level(item),
        "message": { "text": match (run.sheet, item.line) {
            (Some(_), Some(line)) => format!("{}: {}\n{}", super::cells::position(run, line), summary_line(o), o.reasons.join("\n")),
            _ => format!("{}\n{}", summary_line(o), o.reasons.join("\n")),
        } },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": artifact(run, o) },
                "region": { "startLine": item.line.or(o.line).unwrap_or(1) }
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
    });
    if o.tpp_at_least {
        value["properties"]["tpp_at_least"] = true.into();
    }
    serde_json::to_vec(&value).unwrap_or_else(|_| b"{}".to_vec())
}

fn rules() -> Vec<serde_json::Value> {
    [
        (Verdict::Prohibited, "A party is on a list that bars the export (Denied Persons, SDN): no licence may be assumed."),
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
        "defaultConfiguration": { "level": default_level(*v) },
        "helpUri": "https://www.ecfr.gov/current/title-15/subtitle-B/chapter-VII/subchapter-C/part-774",
    }))
    .collect()
}

impl Format for Sarif {
    fn result(&mut self, run: &Run<'_>, item: &Item<'_>, _: &[u8], _out: &mut Vec<u8>) {
        let severity = super::keep::gate_severity(item);
        self.kept.offer(severity, || result_json(run, item));
    }

    fn finish(
        &mut self,
        run: &Run<'_>,
        summary: &Summary,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let mut invocation = json!({ "executionSuccessful": true });
        let dropped = self.kept.dropped();
        if dropped > 0 {
            invocation["toolExecutionNotifications"] = json!([{
                "level": "warning",
                "message": { "text": format!(
                    "{dropped} more results are not in this file: code scanning takes at most {MAX_RESULTS} per run, so the most severe are kept; {}",
                    run.full_report_hint()
                )}
            }]);
        }
        let tool = json!({ "driver": {
            "name": "chipcheck",
            "version": crate::VERSION,
            "informationUri": "https://github.com/chipcheck/chipcheck",
            "rules": rules(),
        }});
        let properties = json!({ "provenance": summary.provenance(run) });
        // Keys in the order they have always been written; the results go in
        // as they were kept, one a line.
        out.write_all(b"{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"runs\": [\n    {\n      \"invocations\": [")?;
        serde_json::to_writer(&mut *out, &invocation)?;
        out.write_all(b"],\n      \"properties\": ")?;
        serde_json::to_writer(&mut *out, &properties)?;
        out.write_all(b",\n      \"results\": [")?;
        let mut first = true;
        self.kept.each(|r| {
            out.write_all(if first { b"\n        " } else { b",\n        " })?;
            first = false;
            out.write_all(r)
        })?;
        out.write_all(b"\n      ],\n      \"tool\": ")?;
        serde_json::to_writer(&mut *out, &tool)?;
        out.write_all(b"\n    }\n  ],\n  \"version\": \"2.1.0\"\n}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Gate, Item, Run, Summary};

    #[test]
    fn past_the_limit_the_most_severe_are_kept_and_the_rest_named() {
        let rules = crate::RuleSet::embedded().unwrap();
        let gate = Gate {
            fail_on: crate::verdict::DEFAULT_FAIL_ON.to_vec(),
            licenses: Vec::new(),
            project_file: None,
        };
        let full = vec!["all.csv".to_string()];
        let run = Run {
            full_report: &full,
            ..Run::results(&rules, &gate)
        };
        let spec = crate::ChipSpec::default();
        let subject = crate::Subject::chip(&spec, "x.toml");
        let date = "2024-06-01".parse().unwrap();
        let mut outcomes = crate::evaluate_all(&rules, &subject, date, &[], None);
        let base = outcomes.remove(0);
        let verdicts = [
            Verdict::NoLicenseRequired,
            Verdict::LicenseRequired,
            Verdict::Indeterminate,
            Verdict::LicenseRequired,
        ];
        let dir = tempfile::tempdir().unwrap();
        let mut sarif = Sarif::with_limit(2, Some(dir.path()));
        for (i, v) in verdicts.iter().enumerate() {
            let mut o = base.clone();
            o.verdict = *v;
            o.chip = format!("chip {i}");
            sarif.result(&run, &Item::of(&o, &gate), &[], &mut Vec::new());
        }
        let mut out = Vec::new();
        sarif.finish(&run, &Summary::default(), &mut out).unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let results = doc["runs"][0]["results"].as_array().unwrap();
        let chips: Vec<&str> = results
            .iter()
            .map(|r| {
                r["message"]["text"]
                    .as_str()
                    .unwrap()
                    .split(':')
                    .next()
                    .unwrap()
            })
            .collect();
        assert_eq!(chips, ["chip 1", "chip 3"]);
        let note = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["message"]
            ["text"]
            .as_str()
            .unwrap();
        assert!(
            note.starts_with("2 more results") && note.contains("all.csv"),
            "{note}"
        );
    }
}
