//! Tables for people. Classify's table is drawn when every result is in
//! (its column widths depend on them all), followed by each result's reasons;
//! the audit's table is streamed with fixed widths, then its summary.

use super::cells::{footer, printable, push_number, terminal_safe};
use super::{Encoder, Format, Item, Run, Summary};
use crate::engine::Outcome;
use crate::number::{grouped, rounded};
use crate::rules::RuleSet;
use crate::verdict::Verdict;
use tabled::settings::Style;
use tabled::{Table, Tabled};

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

fn paint(verdict: Verdict, text: &str, colour: bool) -> String {
    if !colour {
        return text.to_string();
    }
    let code = match verdict {
        Verdict::LicenseRequired | Verdict::Error | Verdict::Prohibited => "1;31",
        Verdict::LicenseException | Verdict::Indeterminate => "1;33",
        Verdict::NoLicenseRequired | Verdict::Licensed => "1;32",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// The human table: one row per chip and destination, verdict first, then
/// each result's reasons.
pub fn table(rules: &RuleSet, outcomes: &[Outcome]) -> String {
    table_with_colour(rules, outcomes, false)
}

fn table_row(o: &Outcome) -> Row {
    Row {
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
        tpp: super::cells::tpp_shown(o).unwrap_or_else(|| "unknown".into()),
        pd: o
            .performance_density
            .map(|d| super::cells::at_least(o, grouped(rounded(d, 2))))
            .unwrap_or_else(|| "unknown".into()),
    }
}

fn explain(out: &mut String, o: &Outcome, colour: bool) {
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
        "{} -> {}, {}: {}{}\n",
        printable(&o.chip),
        printable(&to),
        printable(&o.date),
        paint(o.verdict, o.verdict.name(), colour),
        printable(&format!("{policy}{exceptions}"))
    ));
    for r in &o.reasons {
        out.push_str(&format!("  - {}\n", terminal_safe(r)));
    }
    for a in &o.assumptions {
        out.push_str(&format!("  - assumed: {}\n", terminal_safe(a)));
    }
}

/// [`table`], with verdicts coloured when `colour` is set.
pub fn table_with_colour(rules: &RuleSet, outcomes: &[Outcome], colour: bool) -> String {
    let rows: Vec<Row> = outcomes.iter().map(table_row).collect();
    let mut out = terminal_safe(&Table::new(rows).with(Style::blank()).to_string()).into_owned();
    out.push('\n');
    for o in outcomes {
        out.push('\n');
        explain(&mut out, o, colour);
    }
    out.push_str(&terminal_safe(&footer(rules)));
    out
}

/// Classify's table (results of spec sheets and library chips: few).
pub struct ResultsTable {
    colour: bool,
    outcomes: Vec<Outcome>,
}

impl ResultsTable {
    pub fn new(colour: bool) -> Self {
        ResultsTable {
            colour,
            outcomes: Vec::new(),
        }
    }
}

impl Format for ResultsTable {
    fn result(&mut self, _run: &Run<'_>, item: &Item<'_>, _: &[u8], _out: &mut Vec<u8>) {
        self.outcomes.push(item.outcome.clone());
    }

    fn finish(
        &mut self,
        run: &Run<'_>,
        _summary: &Summary,
        sink: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let mut buffer = Vec::new();
        let out = &mut buffer;
        let text = table_with_colour(run.rules, &self.outcomes, self.colour);
        out.extend_from_slice(text.as_bytes());
        sink.write_all(&buffer)
    }
}

/// The audit table's columns and widths (streamed, so fixed; a longer cell
/// pushes the rest of its line along). The paragraphs met are in the reason.
const TABLE_COLUMNS: [(&str, usize); 6] = [
    ("LINE", 8),
    ("VERDICT", 21),
    ("TO", 7),
    ("CHIP", 28),
    ("TPP", 12),
    ("REASON", 0),
];

fn push_padded(buf: &mut Vec<u8>, text: &str, width: usize) {
    buf.extend_from_slice(text.as_bytes());
    if width == 0 {
        return;
    }
    let used = text.chars().count();
    let pad = width.saturating_sub(used).max(2);
    buf.extend(std::iter::repeat_n(b' ', pad));
}

/// The audit's streamed table, then its summary.
#[derive(Default)]
pub struct CatalogueTable;

impl CatalogueTable {
    /// A result's row of the table.
    fn encode_item(item: &Item<'_>) -> Vec<u8> {
        let o = item.outcome;
        let cells = [
            o.verdict.name().to_string(),
            o.destination.clone().unwrap_or_else(|| "(all)".into()),
            printable(&o.chip),
            match (o.verdict, o.tpp) {
                (Verdict::Error, _) => "-".into(),
                (_, Some(t)) => grouped(t),
                (_, None) => "unknown".into(),
            },
            printable(item.reason),
        ];
        let mut buf = Vec::new();
        for (text, (_, width)) in cells.iter().zip(TABLE_COLUMNS[1..].iter()) {
            push_padded(&mut buf, text, *width);
        }
        buf.push(b'\n');
        buf
    }
}

impl Format for CatalogueTable {
    fn encoder(&self) -> Option<Encoder> {
        Some(Self::encode_item)
    }

    fn begin(&mut self, _run: &Run<'_>, out: &mut Vec<u8>) {
        for (name, width) in TABLE_COLUMNS {
            push_padded(out, name, width);
        }
        out.push(b'\n');
    }

    fn result(&mut self, _run: &Run<'_>, item: &Item<'_>, encoded: &[u8], out: &mut Vec<u8>) {
        let start = out.len();
        push_number(out, item.line.unwrap_or(0));
        let used = out.len().saturating_sub(start);
        let width = TABLE_COLUMNS[0].1;
        out.extend(std::iter::repeat_n(b' ', width.saturating_sub(used).max(2)));
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
        out.extend_from_slice(summary_text(run, summary).as_bytes());
        sink.write_all(&buffer)
    }
}

fn listed(run: &Run<'_>, out: &mut String, title: &str, rows: Vec<(u64, String)>, more: u64) {
    if rows.is_empty() {
        return;
    }
    out.push_str(&format!(
        "\n{title} ({}):\n",
        (rows.len() as u64).saturating_add(more)
    ));
    for (line, text) in rows {
        // `line 12     ` as always; a longer `Sheet!row 12` keeps a gap.
        let mut at = format!("{:<12}", super::cells::position(run, line));
        if !at.ends_with(' ') {
            at.push_str("  ");
        }
        out.push_str(&format!("  {at}{}\n", printable(&text)));
    }
    if more > 0 {
        out.push_str(&format!("  ... and {more} more (see the results)\n"));
    }
}

fn counts_text(run: &Run<'_>, s: &Summary) -> String {
    let to = if run.destinations.is_empty() {
        "every destination".to_string()
    } else {
        let codes: Vec<&str> = run.destinations.iter().map(|d| d.code).collect();
        codes.join(", ")
    };
    let hq = run
        .hq
        .map(|c| format!(", end user headquartered in {}", c.code))
        .unwrap_or_default();
    let date = run.date.map(|d| d.to_string()).unwrap_or_default();
    let mut out = format!(
        "\n{} row{}, {} result{} · {date} · to {to}{hq}\n",
        s.rows,
        if s.rows == 1 { "" } else { "s" },
        s.results,
        if s.results == 1 { "" } else { "s" },
    );
    if let Some(facts) = &s.input_facts {
        out.push_str(&format!("  {}\n", facts.describe()));
    }
    let c = &s.counts;
    if c.prohibited > 0 {
        out.push_str(&format!("  {:<21}{:>8}\n", "prohibited", c.prohibited));
    }
    for (name, n) in [
        ("license_required", c.license_required),
        ("license_exception", c.license_exception),
        ("indeterminate", c.indeterminate),
        ("no_license_required", c.no_license_required),
        ("licensed", c.licensed),
        ("error", c.error),
    ] {
        if name == "licensed" && n == 0 && run.gate.licenses.is_empty() {
            continue;
        }
        out.push_str(&format!("  {name:<21}{n:>8}\n"));
    }
    for u in &s.licenses {
        out.push_str(&format!(
            "  licence {}: {} ({} results; expires {})\n",
            u.number, u.status, u.results, u.expires
        ));
    }
    out
}

fn summary_text(run: &Run<'_>, s: &Summary) -> String {
    let mut out = counts_text(run, s);
    let restricted = s.restricted.iter().map(|r| {
        let to = if r.destinations.is_empty() {
            String::new()
        } else {
            format!(" to {}", r.destinations.join(", "))
        };
        (r.line, format!("{}  {}{to}", r.name, r.verdict))
    });
    listed(
        run,
        &mut out,
        "Restricted products",
        restricted.collect(),
        s.restricted_not_listed,
    );
    let errors = s.errors.iter().map(|e| (e.line, e.message.clone()));
    listed(
        run,
        &mut out,
        "Rows that could not be read",
        errors.collect(),
        s.errors_not_listed,
    );
    out.push_str(&footer(run.rules));
    out
}
