//! GitHub Actions workflow commands: one annotation per result, at the level
//! the gate gives it (what fails the run is an `error`).
//!
//! GitHub shows at most 10 error, 10 warning and 10 notice annotations per
//! step, and 50 per job ("Limitations", actions/toolkit docs/problem-matchers.md;
//! the same limits apply to annotations from workflow commands). More are
//! silently dropped, so the most severe of each level are written, in input
//! order, and one last notice says how many more there are and where.

use super::cells::summary_line;
use super::keep::Keep;
use super::{Format, Item, Run, Summary};
use crate::verdict::Verdict;

/// Annotations of one level GitHub shows per step.
pub const PER_LEVEL: usize = 10;

/// GitHub's workflow-command escaping.
pub fn gh_data(text: &str) -> String {
    // The log shows annotations on a terminal-like page: no escapes.
    let text: String = text
        .chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\n' | '\r') {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect();
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

pub fn gh_property(text: &str) -> String {
    gh_data(text).replace(':', "%3A").replace(',', "%2C")
}

pub struct Github {
    /// error, warning, notice; the last notice is kept for the "more" line.
    levels: [Keep<(u64, String)>; 3],
    seen: u64,
}

impl Default for Github {
    fn default() -> Self {
        Github {
            levels: [
                Keep::new(PER_LEVEL),
                Keep::new(PER_LEVEL),
                Keep::new(PER_LEVEL.saturating_sub(1)),
            ],
            seen: 0,
        }
    }
}

fn level(item: &Item<'_>) -> usize {
    match item.outcome.verdict {
        Verdict::Error | Verdict::Prohibited => 0,
        _ if item.fails => 0,
        Verdict::LicenseRequired | Verdict::LicenseException | Verdict::Indeterminate => 1,
        Verdict::NoLicenseRequired | Verdict::Licensed => 2,
    }
}

const COMMANDS: [&str; 3] = ["error", "warning", "notice"];

fn annotation(run: &Run<'_>, item: &Item<'_>, command: &str) -> String {
    let o = item.outcome;
    let file = match (run.catalogue, o.input.as_str()) {
        (Some(catalogue), _) => format!(
            "file={},line={},",
            gh_property(catalogue),
            item.line.unwrap_or(1)
        ),
        (None, "library") => String::new(),
        (None, input) => format!("file={},line={},", gh_property(input), o.line.unwrap_or(1)),
    };
    format!(
        "::{command} {file}title={}::{}\n",
        gh_property(&format!("chipcheck: {}", o.verdict)),
        gh_data(&match (run.sheet, item.line) {
            (Some(_), Some(line)) => format!(
                "{}: {}\n{}",
                super::cells::position(run, line),
                summary_line(o),
                o.reasons.join("\n")
            ),
            _ => format!("{}\n{}", summary_line(o), o.reasons.join("\n")),
        })
    )
}

impl Format for Github {
    fn result(&mut self, run: &Run<'_>, item: &Item<'_>, _: &[u8], _out: &mut Vec<u8>) {
        let order = self.seen;
        self.seen = self.seen.saturating_add(1);
        let l = level(item);
        let severity = item.outcome.verdict.severity();
        self.levels[l].offer(severity, || (order, annotation(run, item, COMMANDS[l])));
    }

    fn finish(
        &mut self,
        run: &Run<'_>,
        _summary: &Summary,
        sink: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let mut buffer = Vec::new();
        let out = &mut buffer;
        let mut all: Vec<(u64, String)> = Vec::new();
        let mut dropped = 0u64;
        for keep in &mut self.levels {
            dropped = dropped.saturating_add(keep.dropped());
            all.extend(keep.take());
        }
        all.sort_by_key(|(order, _)| *order);
        for (_, line) in all {
            out.extend_from_slice(line.as_bytes());
        }
        if dropped > 0 {
            let text = format!(
                "{dropped} more results are not annotated: GitHub shows at most {PER_LEVEL} annotations of each level per step, so the most severe are shown; {}",
                run.full_report_hint()
            );
            out.extend_from_slice(
                format!("::notice title=chipcheck::{}\n", gh_data(&text)).as_bytes(),
            );
        }
        sink.write_all(&buffer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escaping() {
        assert_eq!(gh_data("a\nb%"), "a%0Ab%25");
        assert_eq!(gh_property("a:b,c"), "a%3Ab%2Cc");
    }
}
