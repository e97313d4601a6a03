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
        write_json(&mut out, &summary.provenance(run), Some(1));
        if !summary.licenses.is_empty() {
            out.extend_from_slice(b",\n  \"licenses\": ");
            write_json(&mut out, &summary.licenses, Some(1));
        }
        out.extend_from_slice(b"\n}\n");
        sink.write_all(&out)
    }
}

/// `serde_json`'s pretty printing (two spaces a level), starting `depth`
/// levels in. Writing a value in place saves printing it at the margin and
/// then indenting every line (a second pass over all of classify's JSON).
struct NestedPretty {
    depth: usize,
    has_value: bool,
}

impl NestedPretty {
    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth = self.depth.saturating_add(1);
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if self.has_value {
            self.new_line(w)?;
        }
        w.write_all(bracket)
    }

    fn new_line<W: ?Sized + std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        // A newline and the indent in one write, as deep as results go.
        const INDENT: &[u8; 33] = b"\n                                ";
        match INDENT.get(..self.depth.saturating_mul(2).saturating_add(1)) {
            Some(line) => w.write_all(line),
            None => {
                w.write_all(b"\n")?;
                for _ in 0..self.depth {
                    w.write_all(b"  ")?;
                }
                Ok(())
            }
        }
    }

    fn next<W: ?Sized + std::io::Write>(&self, w: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.new_line(w)
    }
}

impl serde_json::ser::Formatter for NestedPretty {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.next(w, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.next(w, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// `value` as compact JSON, or (`Some(depth)`) pretty-printed as it prints
/// `depth` levels deep in a document: the bytes `serde_json` writes for it
/// there.
fn write_json<T: Serialize>(out: &mut Vec<u8>, value: &T, pretty_depth: Option<usize>) {
    let written = match pretty_depth {
        Some(depth) => {
            let formatter = NestedPretty {
                depth,
                has_value: false,
            };
            value.serialize(&mut serde_json::Serializer::with_formatter(
                &mut *out, formatter,
            ))
        }
        None => serde_json::to_writer(&mut *out, value),
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

/// A result as the document prints it, two levels (four spaces) in.
fn encode_pretty_result(item: &Item<'_>) -> Vec<u8> {
    // Sized up front from an estimate (its reasons plus 1 KiB for the
    // rest): a result of a few KiB grown from nothing is copied about ten
    // times on the way.
    let reasons = item
        .outcome
        .reasons
        .iter()
        .fold(0usize, |n, r| n.saturating_add(r.len()).saturating_add(16));
    let mut buf = Vec::with_capacity(reasons.saturating_add(1024));
    write_json(&mut buf, item.outcome, Some(2));
    buf
}

/// A result on its own line (classify's JSON Lines).
fn encode_result(item: &Item<'_>) -> Vec<u8> {
    let mut buf = Vec::new();
    write_json(&mut buf, item.outcome, None);
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
    write_json(&mut text, &r, None);
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
        write_json(&mut text, &catalogue_tail(run, summary), Some(0));
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
            Layout::Catalogue => write_json(out, &catalogue_tail(run, summary), None),
            Layout::Results => {
                #[derive(Serialize)]
                struct Tail {
                    provenance: Provenance,
                }
                let tail = Tail {
                    provenance: summary.provenance(run),
                };
                write_json(out, &tail, None);
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

    /// `serde_json`'s pretty printing of `value`, every line after the
    /// first indented `depth` levels: what [`NestedPretty`] must write.
    fn pretty_then_indented(value: &serde_json::Value, depth: usize) -> Vec<u8> {
        let text = serde_json::to_string_pretty(value).expect("serialises");
        text.replace('\n', &format!("\n{}", "  ".repeat(depth)))
            .into_bytes()
    }

    fn json_value() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            "[a-z\"\\\n\u{e9}]{0,6}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(4, 32, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                proptest::collection::btree_map("[a-z]{1,3}", inner, 0..4)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #[test]
        fn nested_pretty_writes_what_serde_json_writes_there(
            value in json_value(),
            depth in 0usize..20,
        ) {
            let mut written = Vec::new();
            write_json(&mut written, &value, Some(depth));
            proptest::prop_assert_eq!(
                String::from_utf8(written).expect("UTF-8"),
                String::from_utf8(pretty_then_indented(&value, depth)).expect("UTF-8")
            );
        }
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
