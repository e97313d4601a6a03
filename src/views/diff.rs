//! The answers that differ between two dates, as JSON and as a table.

use super::history::DiffEntry;
use crate::engine::Outcome;
use crate::report::Provenance;
use jiff::civil::Date;

pub fn json(
    provenance: &Provenance,
    from: Date,
    until: Date,
    entries: &[DiffEntry],
    compared: usize,
) -> String {
    serde_json::to_string_pretty(&serde_json::json!({
        "from": from.to_string(),
        "until": until.to_string(),
        "changed": entries,
        "compared": compared,
        "provenance": provenance,
    }))
    .unwrap_or_default()
}

#[derive(tabled::Tabled)]
struct Row {
    #[tabled(rename = "CHIP")]
    chip: String,
    #[tabled(rename = "TO")]
    to: String,
    #[tabled(rename = "FROM")]
    before: String,
    #[tabled(rename = "UNTIL")]
    after: String,
}

/// A verdict with its policy and paragraphs, for a table cell.
fn answer(o: &Outcome) -> String {
    let mut s = o.verdict.name().to_string();
    if let Some(p) = o.review_policy {
        s.push_str(&format!(" ({})", p.name()));
    }
    if !o.paragraphs.is_empty() {
        s.push_str(&format!(" [{}]", o.paragraphs.join(", ")));
    }
    s
}

/// A count, a row per change, then why each changed.
pub fn text(from: Date, until: Date, entries: &[DiffEntry], compared: usize) -> String {
    let mut s = format!(
        "{} of {} chips changed between {from} and {until}\n\n",
        entries.len(),
        compared
    );
    if !entries.is_empty() {
        let rows: Vec<Row> = entries
            .iter()
            .map(|e| Row {
                chip: e.chip.clone(),
                to: e.destination.clone().unwrap_or_else(|| "(all)".into()),
                before: answer(&e.from),
                after: answer(&e.until),
            })
            .collect();
        let mut t = tabled::Table::new(rows);
        t.with(tabled::settings::Style::blank());
        s.push_str(&format!("{t}\n"));
        for e in entries {
            s.push_str(&format!(
                "\n{} -> {}:\n",
                e.chip,
                e.destination
                    .clone()
                    .unwrap_or_else(|| "every destination".into())
            ));
            for w in &e.why {
                s.push_str(&format!("  - {w}\n"));
            }
        }
    }
    // Names and notes come from inputs: nothing may reach the terminal as an
    // escape sequence.
    crate::report::cells::terminal_safe(&s).into_owned()
}
