//! A Markdown table for a GitHub step summary.
//!
//! A step summary takes at most 1 MiB ("Adding a job summary", GitHub Docs,
//! docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-markdown-summary;
//! a larger one is rejected whole). So at most [`MAX_ROWS`] rows are written,
//! the most severe first (in input order), each cell clipped, which keeps the
//! summary well under the limit, then a line says how many more and where.

use super::keep::Keep;
use super::{Format, Item, Run, Summary};
use crate::verdict::Verdict;

/// Rows in the summary table.
pub const MAX_ROWS: usize = 2_000;
/// Characters of a text cell (with MAX_ROWS, about 0.5 MiB at most).
const MAX_CELL: usize = 80;

pub struct Markdown {
    kept: Keep<Box<str>>,
}

impl Default for Markdown {
    fn default() -> Self {
        Markdown {
            kept: Keep::new(MAX_ROWS),
        }
    }
}

fn cell(text: &str) -> String {
    let mut t: String = text.chars().take(MAX_CELL).collect();
    if text.chars().count() > MAX_CELL {
        t.push('…');
    }
    // Markdown renders inline HTML, so a chip called `<img src=x>` would be
    // markup in a step summary: escape it, and show control characters.
    super::cells::printable(&t.replace('\n', " "))
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
}

fn row(run: &Run<'_>, item: &Item<'_>) -> String {
    let o = item.outcome;
    let verdict = if matches!(
        o.verdict,
        Verdict::LicenseRequired | Verdict::Error | Verdict::Prohibited
    ) {
        format!("**{}**", o.verdict)
    } else {
        o.verdict.name().to_string()
    };
    let chip = match item.line {
        Some(line) => format!("{} ({})", o.chip, super::cells::position(run, line)),
        None => o.chip.clone(),
    };
    format!(
        "| {} | {} | {} | {} | {} | {} | {} |\n",
        verdict,
        cell(&chip),
        o.destination.as_deref().unwrap_or("all"),
        o.date,
        o.rule.as_deref().unwrap_or("-"),
        cell(&o.paragraphs.join(", ")),
        super::cells::tpp_shown(o).unwrap_or_else(|| "unknown".into()),
    )
}

impl Format for Markdown {
    /// A table of verdicts and figures.
    fn explains(&self) -> bool {
        false
    }

    fn result(&mut self, run: &Run<'_>, item: &Item<'_>, _: &[u8], _out: &mut Vec<u8>) {
        let severity = super::keep::gate_severity(item);
        self.kept
            .offer(severity, || Box::from(row(run, item).as_str()));
    }

    fn finish(
        &mut self,
        run: &Run<'_>,
        summary: &Summary,
        sink: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let mut buffer = Vec::new();
        let out = &mut buffer;
        out.extend_from_slice(b"## chipcheck\n\n| verdict | chip | to | date | rule | paragraphs | TPP |\n|---|---|---|---|---|---|---|\n");
        for r in self.kept.take() {
            out.extend_from_slice(r.as_bytes());
        }
        let dropped = self.kept.dropped();
        if dropped > 0 {
            out.extend_from_slice(
                format!(
                    "\n{dropped} more results are not in this table (a step summary takes at most 1 MiB; the most severe are shown); {}.\n",
                    run.full_report_hint()
                )
                .as_bytes(),
            );
        }
        let p = summary.provenance(run);
        out.extend_from_slice(
            format!(
                "\nchipcheck {} · rules {} `{}` · versions {}\n",
                p.chipcheck_version,
                p.rules_origin,
                p.rules_hash,
                p.rule_versions.join(", ")
            )
            .as_bytes(),
        );
        for u in &summary.licenses {
            out.extend_from_slice(
                format!(
                    "- licence {}: {} (expires {})\n",
                    u.number, u.status, u.expires
                )
                .as_bytes(),
            );
        }
        sink.write_all(&buffer)
    }
}
