//! JUnit XML, for CI test reports: one test case per chip and destination.
//! A result that fails the gate (`--fail-on`) is a `<failure>`; a row that
//! could not be read is an `<error>`; anything else passes.
//!
//! JUnit has no limit of its own, but CI test-report viewers do not cope with
//! a million test cases, and the report must fit in bounded memory: the most
//! severe [`MAX_CASES`] are listed (in input order), the counts cover every
//! result, and the suite's output says how many are not listed and where
//! they are.

use super::cells::{artifact, summary_line};
use super::keep::KeepBytes;
use super::{Format, Item, Run, Summary};
use crate::verdict::Verdict;

/// Test cases listed.
pub const MAX_CASES: usize = 10_000;

/// Text for an XML attribute or element. XML 1.0 has no way to write most
/// control characters, even escaped, so they become U+FFFD and the report
/// stays well-formed whatever a chip is called.
pub fn xml(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

pub struct Junit {
    /// Each kept case, rendered (in a spill file when there is one).
    kept: KeepBytes,
    tests: u64,
    failures: u64,
    errors: u64,
}

impl Junit {
    pub fn new(spill_dir: Option<&std::path::Path>) -> Self {
        Junit {
            kept: KeepBytes::new(MAX_CASES, spill_dir),
            tests: 0,
            failures: 0,
            errors: 0,
        }
    }
}

fn case(run: &Run<'_>, item: &Item<'_>) -> String {
    let o = item.outcome;
    let mut name = format!(
        "{} -> {} on {}",
        o.chip,
        o.destination.as_deref().unwrap_or("every destination"),
        o.date
    );
    if let (Some(_), Some(line)) = (run.sheet, item.line) {
        name = format!("{} ({name})", super::cells::position(run, line));
    }
    let mut s = format!(
        "    <testcase classname=\"{}\" name=\"{}\">\n",
        xml(&artifact(run, o)),
        xml(&name)
    );
    let body = xml(&o.reasons.join("\n"));
    let message = xml(&summary_line(o));
    if o.verdict == Verdict::Error {
        s.push_str(&format!(
            "      <error type=\"error\" message=\"{message}\">{body}</error>\n"
        ));
    } else if item.fails {
        s.push_str(&format!(
            "      <failure type=\"{}\" message=\"{message}\">{body}</failure>\n",
            o.verdict
        ));
    } else {
        s.push_str(&format!("      <system-out>{message}</system-out>\n"));
    }
    s.push_str("    </testcase>\n");
    s
}

impl Format for Junit {
    fn result(&mut self, run: &Run<'_>, item: &Item<'_>, _: &[u8], _out: &mut Vec<u8>) {
        self.tests = self.tests.saturating_add(1);
        if item.outcome.verdict == Verdict::Error {
            self.errors = self.errors.saturating_add(1);
        } else if item.fails {
            self.failures = self.failures.saturating_add(1);
        }
        // Failing results first, then the rest by severity.
        let severity = super::keep::gate_severity(item);
        self.kept.offer(severity, || case(run, item).into_bytes());
    }

    fn finish(
        &mut self,
        run: &Run<'_>,
        _summary: &Summary,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let (tests, failures, errors) = (self.tests, self.failures, self.errors);
        let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.push_str(&format!(
            "<testsuites name=\"chipcheck\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n  <testsuite name=\"chipcheck {}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n",
            xml(crate::VERSION)
        ));
        s.push_str(&format!(
            "    <properties><property name=\"rules_hash\" value=\"{}\"/></properties>\n",
            xml(&run.rules.hash)
        ));
        out.write_all(s.as_bytes())?;
        self.kept.each(|c| out.write_all(c))?;
        let dropped = self.kept.dropped();
        if dropped > 0 {
            let note = format!(
                "{dropped} more results are not listed here (at most {MAX_CASES}, the most severe first); {}",
                run.full_report_hint()
            );
            out.write_all(format!("    <system-out>{}</system-out>\n", xml(&note)).as_bytes())?;
        }
        out.write_all(b"  </testsuite>\n</testsuites>\n")
    }
}
