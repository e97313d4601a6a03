//! JSON for machines: classify's document, the audit's streamed document
//! (results, then summary and provenance), and JSON Lines for both. One
//! encoding of a result serves the document and the lines.

use super::cells::push_number;
use super::tally::{ErrorRow, InputFacts, RestrictedRow, VerdictCounts};
use super::{Encoder, Format, Item, Layout, Provenance, Run, Summary};
use crate::config::LicenseUse;
use crate::engine::Outcome;
use serde::Serialize;

/// Classify's document: every result, the provenance, and what became of
/// each licence on file. The same bytes on standard output and in a file,
/// and the same as `serde_json`'s pretty printing of the whole document;
/// but each result is written as it comes, so a listing of every
/// destination is never held in memory.
#[derive(Default)]
pub struct ResultsJson {
    written: u64,
}

impl Format for ResultsJson {
    fn begin(&mut self, _run: &Run<'_>, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\n  \"results\": [");
    }

    fn encoder(&self) -> Option<Encoder> {
        Some(encode_pretty_result)
    }

    fn result(&mut self, _run: &Run<'_>, _: &Item<'_>, encoded: &[u8], out: &mut Vec<u8>) {
        out.extend_from_slice(if self.written == 0 {
            b"\n    "
        } else {
            b",\n    "
        });
        out.extend_from_slice(encoded);
        self.written = self.written.saturating_add(1);
    }

    fn finish(
        &mut self,
        run: &Run<'_>,
        summary: &Summary,
        sink: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let mut out = Vec::new();
        if self.written > 0 {
            out.extend_from_slice(b"\n  ");
        }
        out.extend_from_slice(b"],\n  \"provenance\": ");
        push_pretty(&mut out, &summary.provenance(run), 2);
        if !summary.licenses.is_empty() {
            out.extend_from_slice(b",\n  \"licenses\": ");
            push_pretty(&mut out, &summary.licenses, 2);
        }
        out.extend_from_slice(b"\n}\n");
        sink.write_all(&out)
    }
}

/// `value` pretty-printed as it prints nested `indent` spaces deep in a
/// document (JSON text has no raw newline but those between its lines).
fn push_pretty<T: Serialize>(out: &mut Vec<u8>, value: &T, indent: usize) {
    let mut text = Vec::new();
    write_json(&mut text, value, true);
    out.reserve(text.len().saturating_add(text.len() / 8));
    let mut start = 0;
    for newline in memchr::memchr_iter(b'\n', &text) {
        out.extend_from_slice(&text[start..=newline]);
        out.extend(std::iter::repeat_n(b' ', indent));
        start = newline.saturating_add(1);
    }
    out.extend_from_slice(&text[start..]);
}

fn write_json<T: Serialize>(out: &mut Vec<u8>, value: &T, pretty: bool) {
    let written = if pretty {
        serde_json::to_writer_pretty(&mut *out, value)
    } else {
        serde_json::to_writer(&mut *out, value)
    };
    if let Err(e) = written {
        out.extend_from_slice(format!("{{\"error\":\"{e}\"}}").as_bytes());
    }
}

#[derive(Serialize)]
struct CatalogueResult<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    #[serde(flatten)]
    outcome: &'a Outcome,
}

/// A spreadsheet row's position after its line: `,"position":"Sheet1!row 12"`
/// (nothing for CSV, whose line is its position).
fn push_position(run: &Run<'_>, item: &Item<'_>, out: &mut Vec<u8>) {
    if let (Some(_), Some(line)) = (run.sheet, item.line) {
        let position = super::cells::position(run, line);
        out.extend_from_slice(b",\"position\":");
        out.extend_from_slice(
            serde_json::to_string(&position)
                .unwrap_or_default()
                .as_bytes(),
        );
    }
}

/// A result as the document prints it, four spaces in.
fn encode_pretty_result(item: &Item<'_>) -> Vec<u8> {
    let mut buf = Vec::new();
    push_pretty(&mut buf, item.outcome, 4);
    buf
}

/// A result on its own line (classify's JSON Lines).
fn encode_result(item: &Item<'_>) -> Vec<u8> {
    let mut buf = Vec::new();
    write_json(&mut buf, item.outcome, false);
    buf
}

/// A catalogue result after its `{"line":N`: `,"name":...}`.
fn encode_catalogue(item: &Item<'_>) -> Vec<u8> {
    let r = CatalogueResult {
        name: item.name,
        error: item.error,
        outcome: item.outcome,
    };
    let mut text = Vec::new();
    write_json(&mut text, &r, false);
    let mut buf = Vec::with_capacity(text.len());
    buf.push(b',');
    buf.extend_from_slice(text.get(1..).unwrap_or_default());
    buf
}

#[derive(Serialize)]
struct SummaryJson<'a> {
    /// Records audited.
    rows: u64,
    results: u64,
    #[serde(flatten)]
    input: Option<&'a InputFacts>,
    date: String,
    /// `null`: one result per row over every destination.
    destinations: Option<Vec<&'static str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_user_hq: Option<&'static str>,
    verdicts: &'a VerdictCounts,
    restricted: &'a [RestrictedRow],
    restricted_not_listed: u64,
    errors: &'a [ErrorRow],
    errors_not_listed: u64,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    licenses: &'a [LicenseUse],
    exit_status: i32,
}

#[derive(Serialize)]
struct CatalogueTail<'a> {
    summary: SummaryJson<'a>,
    provenance: Provenance,
}

fn catalogue_tail<'a>(run: &Run<'_>, s: &'a Summary) -> CatalogueTail<'a> {
    CatalogueTail {
        summary: SummaryJson {
            rows: s.rows,
            results: s.results,
            input: s.input_facts.as_ref(),
            date: run.date.map(|d| d.to_string()).unwrap_or_default(),
            destinations: if run.destinations.is_empty() {
                None
            } else {
                Some(run.destinations.iter().map(|d| d.code).collect())
            },
            end_user_hq: run.hq.map(|c| c.code),
            verdicts: &s.counts,
            restricted: &s.restricted,
            restricted_not_listed: s.restricted_not_listed,
            errors: &s.errors,
            errors_not_listed: s.errors_not_listed,
            licenses: &s.licenses,
            exit_status: s.exit_status,
        },
        provenance: s.provenance(run),
    }
}

/// The audit's document, streamed: results as they come, then the summary.
#[derive(Default)]
pub struct CatalogueJson {
    results: u64,
}

impl Format for CatalogueJson {
    fn begin(&mut self, _run: &Run<'_>, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\n  \"results\": [");
    }

    fn encoder(&self) -> Option<Encoder> {
        Some(encode_catalogue)
    }

    fn result(&mut self, run: &Run<'_>, item: &Item<'_>, encoded: &[u8], out: &mut Vec<u8>) {
        out.extend_from_slice(if self.results == 0 {
            b"\n    {\"line\":"
        } else {
            b",\n    {\"line\":"
        });
        self.results = self.results.saturating_add(1);
        push_number(out, item.line.unwrap_or(0));
        push_position(run, item, out);
        out.extend_from_slice(encoded);
    }

    fn finish(
        &mut self,
        run: &Run<'_>,
        summary: &Summary,
        sink: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let mut buffer = Vec::new();
        let out = &mut buffer;
        let mut text = Vec::new();
        write_json(&mut text, &catalogue_tail(run, summary), true);
        out.extend_from_slice(if self.results == 0 { b"]," } else { b"\n  ]," });
        out.extend_from_slice(text.get(1..).unwrap_or_default());
        out.push(b'\n');
        sink.write_all(&buffer)
    }
}

/// One result per line, then a line with the provenance (and, for an
/// audit, the summary).
pub struct JsonLines {
    layout: Layout,
}

impl JsonLines {
    pub fn new(layout: Layout) -> Self {
        JsonLines { layout }
    }
}

impl Format for JsonLines {
    fn encoder(&self) -> Option<Encoder> {
        Some(match self.layout {
            Layout::Catalogue => encode_catalogue,
            Layout::Results => encode_result,
        })
    }

    fn result(&mut self, run: &Run<'_>, item: &Item<'_>, encoded: &[u8], out: &mut Vec<u8>) {
        if self.layout == Layout::Catalogue {
            out.extend_from_slice(b"{\"line\":");
            push_number(out, item.line.unwrap_or(0));
            push_position(run, item, out);
        }
        out.extend_from_slice(encoded);
        out.push(b'\n');
    }

    fn finish(
        &mut self,
        run: &Run<'_>,
        summary: &Summary,
        sink: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let mut buffer = Vec::new();
        let out = &mut buffer;
        match self.layout {
            Layout::Catalogue => write_json(out, &catalogue_tail(run, summary), false),
            Layout::Results => {
                #[derive(Serialize)]
                struct Tail {
                    provenance: Provenance,
                }
                let tail = Tail {
                    provenance: summary.provenance(run),
                };
                write_json(out, &tail, false);
            }
        }
        out.push(b'\n');
        sink.write_all(&buffer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{write_results, Destination, Gate, OutputFormat, Style, Tee};

    /// The whole document, as `serde_json` pretty-prints it: what the
    /// streamed writing must equal byte for byte.
    #[derive(Serialize)]
    struct Whole<'a> {
        results: &'a [Outcome],
        provenance: Provenance,
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        licenses: &'a [LicenseUse],
    }

    fn streamed_and_whole(outcomes: &mut [Outcome], config: &str) -> (String, String) {
        let rules = crate::RuleSet::embedded().unwrap();
        let config = crate::config::Config::parse("c.toml", config).unwrap();
        let gate = Gate {
            licenses: config.licenses.clone(),
            ..Gate::default()
        };
        let licenses = gate.apply_licenses(&rules, outcomes);
        let run = Run::results(&rules, &gate);
        let mut streamed = Vec::new();
        let summary = {
            let mut tee = Tee::default();
            tee.add(
                super::super::format_for(OutputFormat::Json, Layout::Results, Style::default()),
                Destination::Buffer(&mut streamed),
            );
            let summary = write_results(&run, outcomes, licenses, Vec::new(), &mut tee).unwrap();
            tee.commit().unwrap();
            summary
        };
        let whole = Whole {
            results: outcomes,
            provenance: summary.provenance(&run),
            licenses: &summary.licenses,
        };
        let mut expected = serde_json::to_vec_pretty(&whole).unwrap();
        expected.push(b'\n');
        (
            String::from_utf8(streamed).unwrap(),
            String::from_utf8(expected).unwrap(),
        )
    }

    #[test]
    fn the_streamed_document_is_the_whole_pretty_printed() {
        let rules = crate::RuleSet::embedded().unwrap();
        let h100 = crate::library::chip("h100 sxm").unwrap();
        let subject = crate::engine::Subject::chip(h100, "library");
        let date = "2024-06-01".parse().unwrap();
        let to: Vec<_> = ["SA", "CN", "DE"]
            .iter()
            .map(|c| crate::country::resolve(c).unwrap())
            .collect();
        let licence = "[[license]]\nnumber = \"D1\"\nchips = [\"H100\"]\ndestinations = [\"SA\"]\nexpires = 2027-06-30\njustification = \"BIS licence for a Riyadh datacenter\"\n";
        for (destinations, config) in [(&to[..], licence), (&to[..1], ""), (&[][..], "")] {
            let mut outcomes = crate::evaluate_all(&rules, &subject, date, destinations, None);
            let (streamed, whole) = streamed_and_whole(&mut outcomes, config);
            assert!(streamed == whole, "streamed:\n{streamed}\nwhole:\n{whole}");
            assert_eq!(
                whole.contains("\"licenses\": ["),
                !config.is_empty(),
                "{whole}"
            );
        }
        let (streamed, whole) = streamed_and_whole(&mut [], "");
        assert_eq!(streamed, whole);
        assert!(whole.contains("\"results\": []"), "{whole}");
    }
}
