//! Reading a catalogue: how its bytes become records ([`records`]) and its
//! cells figures, placeholders and booleans ([`cells`]), and the options that
//! say how the file is written.
//!
//! The audit itself is [`audit`] (in `run.rs`); it asks this module for
//! records and cells, and the rules here are the only place a catalogue's
//! text becomes a figure.

pub mod cells;
pub mod columns;
pub mod headers;
pub mod reason;
pub mod records;
pub mod row;
mod run;
pub mod sheet;

pub use run::{audit, audit_sheet, diff, threads, Options, Progress, Request, PROGRESS_EVERY};

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::number::DecimalMark;
use csv::ByteRecord;
pub use records::Encoding;
use records::{Item, Records};
use std::io::Read;

/// How the catalogue is written, when it differs from UTF-8 CSV with a
/// decimal point.
#[derive(Debug, Clone, Copy, Default)]
pub struct InputOptions {
    /// The decimal mark figures are read with.
    pub decimal: DecimalMark,
    /// The field delimiter; `None`: the most frequent of `,` `;` and tab in
    /// the header row.
    pub delimiter: Option<u8>,
    pub encoding: Encoding,
}

impl InputOptions {
    /// The decimal mark figures are read with.
    pub fn decimal_mark(&self) -> DecimalMark {
        self.decimal
    }
}

/// What the reader saw, for the summary (a report type: every format that
/// summarises an audit writes it).
pub use crate::report::InputFacts;

/// A catalogue opened for reading: its records, with the header read.
pub struct Catalogue<R: Read> {
    pub records: Records<R>,
    pub header: ByteRecord,
    pub header_line: u64,
}

impl<R: Read> Catalogue<R> {
    /// Opens a catalogue: drops a byte-order mark, finds the delimiter (or
    /// takes `--delimiter`) and reads the header row.
    pub fn open(input: R, args: &InputOptions, shown: &str) -> Result<Self, Error> {
        let invalid = |message: String| -> Error { Diagnostic::new(shown, message).into() };
        let mut records = Records::new(input, args.delimiter, args.encoding)
            .map_err(|e| invalid(e.to_string()))?;
        if args.delimiter.is_none() {
            records.detect().map_err(|m| {
                Error::from(
                    Diagnostic::new(shown, m)
                        .with_line(1)
                        .help("e.g. --delimiter \";\" or --delimiter tab"),
                )
            })?;
        }
        let item = records.next_item().map_err(|source| Error::Io {
            path: shown.to_string(),
            source,
        })?;
        let (header_line, header) = match item {
            Some(Item::Record { line, fields }) => (line, fields),
            Some(Item::Unreadable { line, message, .. }) => {
                return Err(Diagnostic::new(
                    shown,
                    format!("the header row cannot be read: {message}"),
                )
                .with_line(usize::try_from(line).unwrap_or(usize::MAX))
                .into())
            }
            None => {
                return Err(Diagnostic::new(
                    shown,
                    "the catalogue is empty: there is no header row",
                )
                .help("the first line names the columns, e.g. `name,vendor,fp16,area_mm2`")
                .into())
            }
        };
        records.set_width(header.len());
        Ok(Catalogue {
            records,
            header,
            header_line,
        })
    }

    /// What was read so far (all of it, at the end).
    pub fn facts(&self) -> InputFacts {
        InputFacts {
            lines_read: self.records.lines_read(),
            empty_records_skipped: self.records.empty_records,
            delimiter: char::from(self.records.delimiter()),
            encoding: self.encoding_name(),
            columns_read: Vec::new(),
            sheet: None,
            sheets_not_read: Vec::new(),
        }
    }

    fn encoding_name(&self) -> &'static str {
        self.records.encoding().name()
    }
}

/// The help for a cell that is not UTF-8.
pub const NOT_UTF8_HELP: &str = "save the catalogue as \"CSV UTF-8\"; a file Excel saved as \"CSV (Comma delimited)\" on Windows is Windows-1252: pass --encoding windows-1252";
