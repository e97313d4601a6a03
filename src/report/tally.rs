//! [`Tally`]: the one place results are counted. It wraps whatever report a
//! run writes to, counts verdicts, keeps the (bounded) lists of restricted
//! and unreadable rows, merges what became of each licence on file, and
//! computes the exit status from the gate: classify and audit alike.

use super::{Error, InputFile, Item, Report, Run};
use crate::config::LicenseUse;
use crate::verdict::{exit_status_failing_on, Verdict};
use serde::Serialize;
use std::collections::BTreeSet;

/// Restricted and error rows listed in the summary (the rest are counted).
pub const MAX_LISTED: usize = 1000;

#[derive(Serialize, Clone, Debug)]
pub struct RestrictedRow {
    pub line: u64,
    pub name: String,
    pub verdict: Verdict,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub destinations: Vec<String>,
}

#[derive(Serialize, Clone, Debug)]
pub struct ErrorRow {
    pub line: u64,
    pub name: String,
    pub message: String,
}

#[derive(Serialize, Default, Clone, Debug)]
pub struct VerdictCounts {
    pub license_required: u64,
    pub license_exception: u64,
    pub indeterminate: u64,
    pub no_license_required: u64,
    pub licensed: u64,
    pub error: u64,
    /// Results a listed party bars outright (only written when there are any).
    #[serde(skip_serializing_if = "is_zero")]
    pub prohibited: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl VerdictCounts {
    fn bump(&mut self, v: Verdict) {
        let n = match v {
            Verdict::LicenseRequired => &mut self.license_required,
            Verdict::LicenseException => &mut self.license_exception,
            Verdict::Indeterminate => &mut self.indeterminate,
            Verdict::NoLicenseRequired => &mut self.no_license_required,
            Verdict::Licensed => &mut self.licensed,
            Verdict::Error => &mut self.error,
            Verdict::Prohibited => &mut self.prohibited,
        };
        *n = n.saturating_add(1);
    }

    /// Each verdict that occurred at least once.
    pub fn present(&self) -> Vec<Verdict> {
        [
            (self.license_required, Verdict::LicenseRequired),
            (self.license_exception, Verdict::LicenseException),
            (self.indeterminate, Verdict::Indeterminate),
            (self.no_license_required, Verdict::NoLicenseRequired),
            (self.licensed, Verdict::Licensed),
            (self.error, Verdict::Error),
            (self.prohibited, Verdict::Prohibited),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(_, v)| v)
        .collect()
    }
}

/// Everything counted over a run.
#[derive(Default, Clone, Debug)]
pub struct Summary {
    pub rows: u64,
    pub results: u64,
    pub counts: VerdictCounts,
    pub restricted: Vec<RestrictedRow>,
    pub restricted_not_listed: u64,
    pub errors: Vec<ErrorRow>,
    pub errors_not_listed: u64,
    /// Rule versions (and licences) the answers rest on.
    pub basis: BTreeSet<String>,
    pub dates: BTreeSet<String>,
    /// Each licence on file: used, unused or expired over the whole run.
    pub licenses: Vec<LicenseUse>,
    pub inputs: Vec<InputFile>,
    /// What the reader saw (lines read, delimiter, encoding), if it says.
    pub input_facts: Option<InputFacts>,
    /// 0, 1 or 3 from the verdicts and `--fail-on`; 2 with an error.
    pub exit_status: i32,
}

impl Summary {
    pub fn provenance(&self, run: &Run<'_>) -> super::Provenance {
        super::Provenance {
            project_file: run.gate.project_file.clone(),
            party_lists: run.party_lists.to_vec(),
            ..super::Provenance::of(
                run.rules,
                self.basis.clone(),
                self.dates.clone(),
                self.inputs.clone(),
            )
        }
    }
}

/// What the reader saw, for the summary.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct InputFacts {
    /// Physical lines read (LF, CRLF and CR each end one).
    pub lines_read: u64,
    /// Records skipped because every cell was empty.
    pub empty_records_skipped: u64,
    /// The field delimiter used.
    pub delimiter: char,
    pub encoding: &'static str,
    /// Headers read under another name or converted from their unit
    /// (`` `FP16 TFLOPS` as fp16 ``, `` `Mem BW (TB/s)` as ... (TB/s × 1000) ``).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub columns_read: Vec<String>,
    /// The sheet read, when the catalogue is a spreadsheet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The workbook's other sheets with cells, when none was named: not
    /// read, so the run does not pass (exit 2, as for an unreadable row).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sheets_not_read: Vec<String>,
}

impl InputFacts {
    /// What a run says of the sheets it did not read.
    pub fn sheets_not_read_line(&self) -> String {
        let names: Vec<String> = self
            .sheets_not_read
            .iter()
            .map(|n| format!("`{n}`"))
            .collect();
        format!(
            "sheet{} not read: {} (one sheet is read a run; give --sheet NAME to read another)",
            if names.len() == 1 { "" } else { "s" },
            names.join(", ")
        )
    }

    /// One line for a summary: "read 12 lines · delimiter `,` (comma) · UTF-8".
    pub fn describe(&self) -> String {
        let mut text = match &self.sheet {
            Some(sheet) => format!(
                "read {} row{} of sheet `{sheet}`",
                self.lines_read,
                if self.lines_read == 1 { "" } else { "s" },
            ),
            None => format!(
                "read {} line{} · delimiter {} · {}",
                self.lines_read,
                if self.lines_read == 1 { "" } else { "s" },
                super::cells::delimiter_name(u8::try_from(self.delimiter).unwrap_or(b',')),
                self.encoding
            ),
        };
        if self.empty_records_skipped > 0 {
            text.push_str(&format!(
                " · {} empty record{} skipped",
                self.empty_records_skipped,
                if self.empty_records_skipped == 1 {
                    ""
                } else {
                    "s"
                }
            ));
        }
        if !self.columns_read.is_empty() {
            text.push_str(&format!(" · read {}", self.columns_read.join(", ")));
        }
        if !self.sheets_not_read.is_empty() {
            text.push_str(&format!(" · {}", self.sheets_not_read_line()));
        }
        text
    }
}

/// The row being counted: its worst restrictive verdict and where to.
struct OpenRow {
    line: u64,
    name: String,
    error: Option<String>,
    worst: Option<Verdict>,
    restricted_to: Vec<String>,
}

pub struct Tally<'r, 'a> {
    inner: &'r mut dyn Report,
    run: &'r Run<'a>,
    summary: Summary,
    row: Option<OpenRow>,
    /// The basis and date of the last result counted (both in the sets).
    last_basis: Vec<String>,
    last_date: Option<String>,
}

impl<'r, 'a> Tally<'r, 'a> {
    pub fn new(inner: &'r mut dyn Report, run: &'r Run<'a>) -> Self {
        Tally {
            inner,
            run,
            summary: Summary::default(),
            row: None,
            last_basis: Vec::new(),
            last_date: None,
        }
    }

    pub fn begin(&mut self) -> Result<(), Error> {
        if !self.run.gate.licenses.is_empty() {
            self.summary.licenses = self.run.gate.apply_licenses(self.run.rules, &mut []);
        }
        self.inner.begin(self.run)
    }

    pub fn wants_more(&self) -> bool {
        self.inner.wants_more()
    }

    pub fn rows(&self) -> u64 {
        self.summary.rows
    }

    /// The report's encoders, to encode results on other threads.
    pub fn encoders(&self) -> Vec<Option<super::Encoder>> {
        self.inner.encoders()
    }

    /// A catalogue row starts; its results follow.
    pub fn row(&mut self, line: u64, name: &str, error: Option<&str>) {
        self.close_row();
        self.summary.rows = self.summary.rows.saturating_add(1);
        self.row = Some(OpenRow {
            line,
            name: name.to_string(),
            error: error.map(str::to_string),
            worst: None,
            restricted_to: Vec::new(),
        });
    }

    /// One result: counted, then handed on.
    pub fn result(&mut self, item: &Item<'_>, pieces: Option<&[Vec<u8>]>) -> Result<(), Error> {
        let o = item.outcome;
        let s = &mut self.summary;
        s.results = s.results.saturating_add(1);
        s.counts.bump(o.verdict);
        // Results mostly rest on the rules and date of the one before: a
        // comparison with it spares looking each up in the sets.
        if o.basis != self.last_basis {
            for b in &o.basis {
                if !s.basis.contains(b) {
                    s.basis.insert(b.clone());
                }
            }
            self.last_basis.clone_from(&o.basis);
        }
        if self.last_date.as_ref() != Some(&o.date) {
            if !s.dates.contains(&o.date) {
                s.dates.insert(o.date.clone());
            }
            self.last_date = Some(o.date.clone());
        }
        if let Some(row) = &mut self.row {
            if matches!(
                o.verdict,
                Verdict::LicenseRequired | Verdict::LicenseException | Verdict::Prohibited
            ) {
                if row
                    .worst
                    .is_none_or(|w| o.verdict.severity() > w.severity())
                {
                    row.worst = Some(o.verdict);
                }
                row.restricted_to.extend(o.destination.clone());
            }
        }
        self.inner.result(self.run, item, pieces.unwrap_or(&[]))
    }

    /// What one subject (or row) did to each licence on file.
    pub fn add_licenses(&mut self, uses: &[LicenseUse]) {
        for (total, row) in self.summary.licenses.iter_mut().zip(uses) {
            total.absorb(row);
        }
    }

    fn close_row(&mut self) {
        let Some(row) = self.row.take() else { return };
        let s = &mut self.summary;
        if let Some(verdict) = row.worst {
            if s.restricted.len() < MAX_LISTED {
                s.restricted.push(RestrictedRow {
                    line: row.line,
                    name: row.name.clone(),
                    verdict,
                    destinations: row.restricted_to,
                });
            } else {
                s.restricted_not_listed = s.restricted_not_listed.saturating_add(1);
            }
        }
        if let Some(message) = row.error {
            if s.errors.len() < MAX_LISTED {
                s.errors.push(ErrorRow {
                    line: row.line,
                    name: row.name,
                    message,
                });
            } else {
                s.errors_not_listed = s.errors_not_listed.saturating_add(1);
            }
        }
    }

    pub fn set_input_facts(&mut self, facts: InputFacts) {
        self.summary.input_facts = Some(facts);
    }

    /// The summary with its exit status, after the report has written it.
    pub fn finish(mut self, inputs: Vec<InputFile>) -> Result<Summary, Error> {
        self.close_row();
        let mut summary = self.summary;
        summary.inputs = inputs;
        summary.exit_status =
            exit_status_failing_on(summary.counts.present(), &self.run.gate.fail_on);
        // Rows left unread (a workbook's other sheets) mean the run did not
        // look at everything it was given: it does not pass.
        if summary
            .input_facts
            .as_ref()
            .is_some_and(|f| !f.sheets_not_read.is_empty())
        {
            summary.exit_status = crate::verdict::exit::ERROR;
        }
        self.inner.finish(self.run, &summary)?;
        Ok(summary)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{write_results, Gate, Run, Tee};
    use std::collections::BTreeSet;

    #[test]
    fn every_basis_and_date_is_counted_however_results_repeat() {
        let rules = crate::RuleSet::embedded().unwrap();
        let h100 = crate::library::chip("h100 sxm").unwrap();
        let subject = crate::engine::Subject::chip(h100, "library");
        let cn = crate::country::resolve("CN").unwrap();
        let date = "2024-06-01".parse().unwrap();
        let one = crate::evaluate_all(&rules, &subject, date, &[cn], None)
            .pop()
            .unwrap();
        // Results that repeat the one before, return to an earlier basis or
        // date, add to it, and rest on none.
        let cases: [(&[&str], &str); 7] = [
            (&["a"], "d1"),
            (&["a"], "d1"),
            (&["b"], "d1"),
            (&["a"], "d2"),
            (&["a", "c"], "d1"),
            (&[], "d3"),
            (&["a", "c"], "d3"),
        ];
        let outcomes: Vec<_> = cases
            .iter()
            .map(|(basis, date)| {
                let mut o = one.clone();
                o.basis = basis.iter().map(|b| b.to_string()).collect();
                o.date = date.to_string();
                o
            })
            .collect();
        let gate = Gate::default();
        let run = Run::results(&rules, &gate);
        let mut tee = Tee::default();
        let summary = write_results(&run, &outcomes, Vec::new(), Vec::new(), &mut tee).unwrap();
        let set = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        assert_eq!(summary.basis, set(&["a", "b", "c"]));
        assert_eq!(summary.dates, set(&["d1", "d2", "d3"]));
    }
}
