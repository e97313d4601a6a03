//! CSV for spreadsheets: classify's results, and the audit's catalogue with
//! chipcheck's columns appended. Every cell goes through the one
//! spreadsheet-safe writer, [`push_csv_cell`].

use super::cells::{
    each_verdict_cell, push_csv_cell, push_csv_record, push_number, summary_line, verdict_cells,
};
use super::{Encoder, Format, Item, Run, Summary};

/// Classify's CSV columns.
const RESULT_COLUMNS: [&str; 14] = [
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
];

/// The chipcheck columns appended to the audit's CSV.
pub const CSV_COLUMNS: [&str; 10] = [
    "line",
    "destination",
    "verdict",
    "paragraphs",
    "tpp",
    "performance_density",
    "review_policy",
    "exceptions",
    "rule",
    "reason",
];

pub struct ResultsCsv;

impl Format for ResultsCsv {
    fn begin(&mut self, _run: &Run<'_>, out: &mut Vec<u8>) {
        push_csv_record(out, &RESULT_COLUMNS);
    }

    fn result(&mut self, _run: &Run<'_>, item: &Item<'_>, _: &[u8], out: &mut Vec<u8>) {
        let o = item.outcome;
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
            summary_line(o),
        ];
        push_csv_record(out, &row);
    }

    fn finish(
        &mut self,
        _run: &Run<'_>,
        _summary: &Summary,
        _out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        Ok(())
    }
}

/// The catalogue's columns as read, then chipcheck's.
#[derive(Default)]
pub struct CatalogueCsv {
    /// The pass-through cells of the row at `passthrough_line`, quoted.
    passthrough: Vec<u8>,
    passthrough_line: Option<u64>,
}

impl CatalogueCsv {
    /// The cells after a result's pass-through cells and line.
    fn encode_item(item: &Item<'_>) -> Vec<u8> {
        let o = item.outcome;
        let mut buf = Vec::with_capacity(128);
        let mut cell = |text: &str| {
            buf.push(b',');
            push_csv_cell(&mut buf, text.as_bytes());
        };
        cell(o.destination.as_deref().unwrap_or_default());
        each_verdict_cell(o, &mut cell);
        cell(item.reason);
        buf.push(b'\n');
        buf
    }
}

impl Format for CatalogueCsv {
    fn encoder(&self) -> Option<Encoder> {
        Some(Self::encode_item)
    }

    /// One line per result: the reason column is made from the verdict,
    /// paragraphs and policy, not from the reasons.
    fn explains(&self) -> bool {
        false
    }

    fn begin(&mut self, run: &Run<'_>, out: &mut Vec<u8>) {
        for h in run.headers {
            push_csv_cell(out, h.as_bytes());
            out.push(b',');
        }
        out.extend_from_slice(CSV_COLUMNS.join(",").as_bytes());
        out.push(b'\n');
    }

    fn result(&mut self, run: &Run<'_>, item: &Item<'_>, encoded: &[u8], out: &mut Vec<u8>) {
        // A row's pass-through cells are quoted once and repeated for each
        // of its destinations.
        if item.line.is_none() || self.passthrough_line != item.line {
            self.passthrough.clear();
            for i in 0..run.headers.len() {
                let cell = item.record.and_then(|r| r.get(i)).unwrap_or_default();
                if item.error.is_some() {
                    // An unreadable row may hold bytes that are not UTF-8;
                    // the output stays UTF-8.
                    push_csv_cell(
                        &mut self.passthrough,
                        String::from_utf8_lossy(cell).as_bytes(),
                    );
                } else {
                    push_csv_cell(&mut self.passthrough, cell);
                }
                self.passthrough.push(b',');
            }
            self.passthrough_line = item.line;
        }
        out.extend_from_slice(&self.passthrough);
        push_number(out, item.line.unwrap_or(0));
        out.extend_from_slice(encoded);
    }

    fn finish(
        &mut self,
        _run: &Run<'_>,
        _summary: &Summary,
        _out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        Ok(())
    }
}
