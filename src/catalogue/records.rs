//! Splitting a catalogue into records, line by physical line.
//!
//! The reader is chipcheck's own (not a general CSV reader) because a
//! catalogue must never lose a row to a malformed one:
//!
//! - **Lines.** LF, CRLF and a bare CR each end a physical line, so line
//!   numbers are right for files from any system. Blank lines are skipped,
//!   and so is a record whose every cell is empty (a spreadsheet's `,,,,`).
//! - **Quotes.** A field that starts with `"` runs to the matching `"`
//!   (`""` is a literal quote), across line breaks if need be. A quote
//!   that opens a field and is never closed would swallow every later
//!   line, so the reader refuses that instead of guessing:
//!   *an open quote is an error at the line where it opened when the text
//!   after it reaches the end of the file, grows past the record cap, or
//!   holds a line that reads on its own as a whole record (a line with
//!   the header's number of fields and balanced quotes)*. Reading then
//!   resumes on the line after the one where the quote opened, so every
//!   later row is still read and audited. A legitimate multi-line note is
//!   kept; one whose continuation line looks exactly like a catalogue row
//!   is reported rather than trusted (quote it differently or join it).
//! - **Cap.** A record (all its lines) holds at most [`MAX_RECORD_BYTES`];
//!   a longer one is an error at its first line and the bytes past the cap
//!   are skipped, never held, up to the end of that line.
//! - **Encoding.** UTF-8 (a byte-order mark is dropped) or, when asked,
//!   Windows-1252, which is turned into UTF-8 cell by cell. A UTF-16 file
//!   is refused with a message saying how to save it.

use csv::ByteRecord;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};

/// The most bytes one record (all of its physical lines) may hold: 1 MiB.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// Records kept to read into again: at most two batches' worth (batches
/// come back unevenly), and only records that have only ever held short
/// rows. A record's room never shrinks, so a record that held one long row
/// (or one of many empty cells) would keep that room for good; such rows
/// are read into new records, which are freed once written. A kept record
/// holds at most about 4.5 KiB, so even a catalogue made to fill every
/// one adds at most some 24 MiB (the records kept and those in flight).
const MAX_SPARE_RECORDS: usize = 2048;
const MAX_SPARE_RECORD_BYTES: usize = 1 << 10;
const MAX_SPARE_RECORD_FIELDS: usize = 128;

/// How the catalogue's bytes are text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (a leading byte-order mark is dropped).
    #[default]
    Utf8,
    /// Windows-1252, what Excel writes as "CSV (Comma delimited)" on Windows.
    Windows1252,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

/// One physical line, without its line ending.
#[derive(Debug)]
struct Line {
    number: u64,
    bytes: Vec<u8>,
    /// The line ending as read (`\n`, `\r\n`, `\r` or none at the end).
    ending: &'static [u8],
    /// The line was longer than the cap; `bytes` holds only its start.
    overlong: bool,
}

/// What the reader hands on.
#[derive(Debug, PartialEq, Eq)]
pub enum Item {
    /// A record and the physical line it starts on.
    Record { line: u64, fields: ByteRecord },
    /// A record that cannot be read, at the line the problem starts on,
    /// with the fields read before it (for the row's name).
    Unreadable {
        line: u64,
        fields: ByteRecord,
        message: String,
    },
}

/// Where a field is while its bytes are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    /// A `"` inside a quoted field: closes it, or doubles into a literal.
    QuoteInQuoted,
    /// After a closing quote (anything up to the delimiter is kept).
    AfterQuote,
}

/// Fields being assembled from one or more physical lines.
#[derive(Clone)]
struct Fields {
    delimiter: u8,
    state: State,
    fields: ByteRecord,
    current: Vec<u8>,
    /// A quote opened during the last line fed.
    opened_now: bool,
}

impl Fields {
    fn new(delimiter: u8) -> Self {
        Fields::with_capacity(delimiter, 0, 0)
    }

    /// Room for a record of `bytes` bytes in `fields` fields, so that it
    /// is not grown cell by cell.
    fn with_capacity(delimiter: u8, bytes: usize, fields: usize) -> Self {
        Fields::in_record(delimiter, ByteRecord::with_capacity(bytes, fields))
    }

    /// Reads into `record`, emptied first (its room kept).
    fn in_record(delimiter: u8, mut record: ByteRecord) -> Self {
        record.clear();
        Fields {
            delimiter,
            state: State::FieldStart,
            fields: record,
            current: Vec::with_capacity(64),
            opened_now: false,
        }
    }

    fn in_quotes(&self) -> bool {
        self.state == State::Quoted
    }

    fn feed(&mut self, line: &[u8]) {
        self.opened_now = false;
        let mut at = 0usize;
        while let Some(rest) = line.get(at..).filter(|r| !r.is_empty()) {
            // Most fields: one that does not open with a quote ends at the
            // next delimiter (a quote inside it is a plain byte), and goes
            // straight into the record.
            if self.state == State::FieldStart && rest.first() != Some(&b'"') {
                if let Some(end) = memchr::memchr(self.delimiter, rest) {
                    self.fields.push_field(&rest[..end]);
                    at = at.saturating_add(end).saturating_add(1);
                    continue;
                }
            }
            // A run of plain bytes inside a field is copied at once: only a
            // delimiter (unquoted) or a quote (quoted) changes the state.
            let run = match self.state {
                State::Unquoted => memchr::memchr(self.delimiter, rest).unwrap_or(rest.len()),
                State::Quoted => memchr::memchr(b'"', rest).unwrap_or(rest.len()),
                _ => 0,
            };
            if run > 0 {
                self.current.extend_from_slice(&rest[..run]);
                at = at.saturating_add(run);
                continue;
            }
            let b = rest[0];
            at = at.saturating_add(1);
            self.state = match (self.state, b) {
                (State::FieldStart | State::Unquoted | State::AfterQuote, d)
                    if d == self.delimiter =>
                {
                    self.end_field();
                    State::FieldStart
                }
                (State::FieldStart, b'"') => {
                    self.opened_now = true;
                    State::Quoted
                }
                (State::FieldStart | State::Unquoted, b) => {
                    self.current.push(b);
                    State::Unquoted
                }
                (State::Quoted, b'"') => State::QuoteInQuoted,
                (State::Quoted, b) => {
                    self.current.push(b);
                    State::Quoted
                }
                (State::QuoteInQuoted, b'"') => {
                    self.current.push(b'"');
                    State::Quoted
                }
                (State::QuoteInQuoted | State::AfterQuote, d) if d == self.delimiter => {
                    self.end_field();
                    State::FieldStart
                }
                (State::QuoteInQuoted | State::AfterQuote, b) => {
                    self.current.push(b);
                    State::AfterQuote
                }
            };
        }
        if self.state == State::QuoteInQuoted {
            self.state = State::AfterQuote;
        }
    }

    /// A line break inside a quoted field is part of the field.
    fn feed_line_break(&mut self, ending: &[u8]) {
        self.current.extend_from_slice(ending);
    }

    fn end_field(&mut self) {
        self.fields.push_field(&self.current);
        self.current.clear();
    }

    fn finish(mut self) -> ByteRecord {
        self.end_field();
        self.fields
    }

    /// The fields complete before the one that is open.
    fn complete(&self) -> ByteRecord {
        self.fields.clone()
    }

    fn len(&self) -> usize {
        self.fields
            .as_slice()
            .len()
            .saturating_add(self.current.len())
    }
}

/// Does the line, read on its own, make a whole record of `width` fields?
fn reads_as_record(line: &[u8], delimiter: u8, width: usize) -> bool {
    let mut fields = Fields::new(delimiter);
    fields.feed(line);
    !fields.in_quotes() && fields.fields.len().saturating_add(1) == width
}

/// Which delimiter the header line uses: the most frequent of `,`, `;`
/// and tab outside quotes (`,` when there is none); a tie between two is
/// refused, since guessing could shift every column.
pub fn detect_delimiter(header: &[u8]) -> Result<u8, String> {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for &b in header {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (d, n) in counts.iter_mut() {
                if *d == b {
                    *n = n.saturating_add(1);
                }
            }
        }
    }
    counts.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    match counts {
        [(_, 0), ..] => Ok(b','),
        [(a, n), (b, m), _] if n == m => Err(format!(
            "the header row has as many {} as {} ({n} each), so the delimiter cannot be told; pass --delimiter",
            delimiter_name(a),
            delimiter_name(b)
        )),
        [(d, _), ..] => Ok(d),
    }
}

pub use crate::report::cells::delimiter_name;

/// Reads `--delimiter`: one character, or `comma`, `semicolon`, `tab`,
/// `pipe`, `\t`.
pub fn parse_delimiter(text: &str) -> Result<u8, String> {
    let d = match text {
        "tab" | "\\t" | "\t" => b'\t',
        "comma" => b',',
        "semicolon" => b';',
        "pipe" => b'|',
        t if t.len() == 1 && t.is_ascii() => t.as_bytes()[0],
        _ => {
            return Err(format!(
                "`{text}` is not a delimiter: give one character, or comma, semicolon, tab or pipe"
            ))
        }
    };
    if matches!(d, b'"' | b'\n' | b'\r') || d.is_ascii_alphanumeric() {
        return Err(format!("`{text}` cannot be a delimiter"));
    }
    Ok(d)
}

/// Records out of a catalogue's bytes.
pub struct Records<R: Read> {
    input: BufReader<R>,
    delimiter: u8,
    encoding: Encoding,
    /// Physical lines read so far.
    lines: u64,
    /// Lines read ahead and handed back after an unclosed quote.
    pending: VecDeque<Line>,
    /// The header's field count, once known.
    width: Option<usize>,
    /// Records skipped because every cell was empty.
    pub empty_records: u64,
    /// Records done with, to read into again: allocating (and zeroing) a
    /// record for every row was a quarter of the reading thread's time.
    spare: Vec<ByteRecord>,
}

impl<R: Read> Records<R> {
    /// A reader; the delimiter is detected from the first line when not
    /// given.
    pub fn new(input: R, delimiter: Option<u8>, encoding: Encoding) -> std::io::Result<Self> {
        let mut records = Records {
            input: BufReader::with_capacity(1 << 16, input),
            delimiter: delimiter.unwrap_or(b','),
            encoding,
            lines: 0,
            pending: VecDeque::new(),
            width: None,
            empty_records: 0,
            spare: Vec::new(),
        };
        records.skip_bom()?;
        Ok(records)
    }

    /// Detects the delimiter from the first non-blank line (unless given).
    pub fn detect(&mut self) -> Result<u8, String> {
        let line = loop {
            match self.next_line() {
                Ok(Some(l)) if l.bytes.is_empty() => continue,
                Ok(Some(l)) => break l,
                Ok(None) => return Ok(self.delimiter),
                Err(e) => return Err(e.to_string()),
            }
        };
        let found = detect_delimiter(&line.bytes);
        self.pending.push_front(line);
        self.delimiter = found?;
        Ok(self.delimiter)
    }

    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Physical lines read so far (all of them, once the end is reached).
    pub fn lines_read(&self) -> u64 {
        self.lines
    }

    /// The header's field count: from then on a line inside an open quote
    /// that reads as a whole record is taken as a sign the quote is stray.
    pub fn set_width(&mut self, width: usize) {
        self.width = Some(width);
    }

    fn skip_bom(&mut self) -> std::io::Result<()> {
        let buf = self.input.fill_buf()?;
        if buf.starts_with(b"\xEF\xBB\xBF") {
            if self.encoding != Encoding::Utf8 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "the catalogue starts with a UTF-8 byte-order mark, so it is UTF-8 text; drop --encoding",
                ));
            }
            self.input.consume(3);
        } else if buf.starts_with(b"\xFF\xFE") || buf.starts_with(b"\xFE\xFF") {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "the catalogue is UTF-16 text; save it as \"CSV UTF-8\" (or plain CSV and pass --encoding windows-1252)",
            ));
        }
        Ok(())
    }

    /// The next physical line, from those handed back first.
    fn next_line(&mut self) -> std::io::Result<Option<Line>> {
        if let Some(line) = self.pending.pop_front() {
            return Ok(Some(line));
        }
        self.read_line()
    }

    /// Reads one physical line, holding at most the cap of its bytes.
    fn read_line(&mut self) -> std::io::Result<Option<Line>> {
        let mut bytes = Vec::new();
        let mut overlong = false;
        let mut any = false;
        let ending: &'static [u8] = loop {
            let buf = self.input.fill_buf()?;
            if buf.is_empty() {
                if !any {
                    return Ok(None);
                }
                break b"";
            }
            any = true;
            let end = memchr::memchr2(b'\n', b'\r', buf);
            let take = end.unwrap_or(buf.len());
            let room = MAX_RECORD_BYTES.saturating_sub(bytes.len());
            bytes.extend_from_slice(&buf[..take.min(room)]);
            overlong |= take > room;
            let Some(i) = end else {
                let n = buf.len();
                self.input.consume(n);
                continue;
            };
            let cr = buf[i] == b'\r';
            self.input.consume(i.saturating_add(1));
            if !cr {
                break b"\n";
            }
            // CRLF is one line ending; a bare CR is one too.
            if self.input.fill_buf()?.first() == Some(&b'\n') {
                self.input.consume(1);
                break b"\r\n";
            }
            break b"\r";
        };
        self.lines = self.lines.saturating_add(1);
        Ok(Some(Line {
            number: self.lines,
            bytes,
            ending,
            overlong,
        }))
    }

    /// The next record, or `None` at the end of the input.
    pub fn next_item(&mut self) -> std::io::Result<Option<Item>> {
        loop {
            let Some(first) = self.next_line()? else {
                return Ok(None);
            };
            if first.overlong {
                return Ok(Some(self.overlong(first.number)));
            }
            if first.bytes.is_empty() {
                continue;
            }
            // Only a short line is read into a kept record (see
            // `MAX_SPARE_RECORDS`); should its record run on past the line
            // and grow, `reuse` does not keep it.
            let spare = if first.bytes.len() <= MAX_SPARE_RECORD_BYTES {
                self.spare.pop()
            } else {
                None
            };
            let mut fields = match spare {
                Some(record) => Fields::in_record(self.delimiter, record),
                // Room for the header's fields, up to what a kept record
                // may have: a short row under a very wide header is kept.
                None => Fields::with_capacity(
                    self.delimiter,
                    first.bytes.len(),
                    self.width.unwrap_or(0).min(MAX_SPARE_RECORD_FIELDS),
                ),
            };
            fields.feed(&first.bytes);
            let item = if fields.in_quotes() {
                self.continue_quoted(first, fields)?
            } else {
                self.record(first.number, fields.finish())
            };
            if let Some(item) = item {
                return Ok(Some(item));
            }
        }
    }

    /// Takes back a record done with, to read a later one into.
    pub fn reuse(&mut self, item: Item) {
        if let Item::Record { fields, .. } = item {
            if self.spare.len() < MAX_SPARE_RECORDS
                && fields.as_slice().len() <= MAX_SPARE_RECORD_BYTES
                && fields.len() <= MAX_SPARE_RECORD_FIELDS
            {
                self.spare.push(fields);
            }
        }
    }

    /// A finished record, or `None` when every cell is empty (skipped).
    fn record(&mut self, line: u64, fields: ByteRecord) -> Option<Item> {
        if fields.iter().all(|f| f.trim_ascii().is_empty()) {
            self.empty_records = self.empty_records.saturating_add(1);
            return None;
        }
        Some(Item::Record {
            line,
            fields: self.decoded(fields),
        })
    }

    fn overlong(&self, line: u64) -> Item {
        Item::Unreadable {
            line,
            fields: ByteRecord::new(),
            message: format!(
                "the record is longer than {} MiB, the cap on one record; it was skipped up to the end of its line",
                MAX_RECORD_BYTES >> 20
            ),
        }
    }

    /// A record whose quoted field runs past the end of its first line:
    /// read on, or refuse the quote (see the module docs).
    fn continue_quoted(
        &mut self,
        first: Line,
        mut fields: Fields,
    ) -> std::io::Result<Option<Item>> {
        let start = first.number;
        let mut opened = first.number;
        let mut before = fields.complete();
        let mut ending = first.ending;
        let mut read: Vec<Line> = Vec::new();
        loop {
            let next = self.next_line()?;
            let problem = match &next {
                None => Some("runs to the end of the file".to_string()),
                Some(l)
                    if l.overlong
                        || fields.len().saturating_add(l.bytes.len()) > MAX_RECORD_BYTES =>
                {
                    Some(format!(
                        "runs past the {} MiB cap on one record",
                        MAX_RECORD_BYTES >> 20
                    ))
                }
                Some(l) => match self.width {
                    Some(w) if self.swallows(&fields, l, w) => Some(format!(
                        "would swallow line {}, which reads as a whole record",
                        l.number
                    )),
                    _ => None,
                },
            };
            if let Some(problem) = problem {
                // Hand back every line after the one the quote opened on.
                let keep_from = read.iter().position(|l| l.number > opened);
                let mut back: Vec<Line> = keep_from.map(|i| read.split_off(i)).unwrap_or_default();
                back.extend(next);
                for line in back.into_iter().rev() {
                    self.pending.push_front(line);
                }
                let message = format!(
                    "a quoted field opened on line {opened} is never closed: it {problem}; close the quote (a quote inside a quoted field is written \"\"), or remove it; reading goes on at line {}",
                    opened.saturating_add(1)
                );
                return Ok(Some(Item::Unreadable {
                    line: opened,
                    fields: self.decoded(before),
                    message,
                }));
            }
            let Some(line) = next else { return Ok(None) };
            fields.feed_line_break(ending);
            fields.feed(&line.bytes);
            if fields.opened_now {
                opened = line.number;
                before = fields.complete();
            }
            ending = line.ending;
            if !fields.in_quotes() {
                return Ok(self.record(start, fields.finish()));
            }
            read.push(line);
        }
    }

    /// Would reading `line` into the open quote swallow a whole record? It
    /// would when the line reads as a record on its own, unless it closes
    /// the quote and leaves a record of exactly the header's width.
    fn swallows(&self, fields: &Fields, line: &Line, width: usize) -> bool {
        if !reads_as_record(&line.bytes, self.delimiter, width) {
            return false;
        }
        let mut trial = fields.clone();
        trial.feed_line_break(b"\n");
        trial.feed(&line.bytes);
        trial.in_quotes() || trial.fields.len().saturating_add(1) != width
    }

    /// Cells as UTF-8 (or as read, for UTF-8 input: checked later).
    fn decoded(&self, fields: ByteRecord) -> ByteRecord {
        match self.encoding {
            Encoding::Utf8 => fields,
            Encoding::Windows1252 => fields
                .iter()
                .map(|f| {
                    encoding_rs::WINDOWS_1252
                        .decode_without_bom_handling(f)
                        .0
                        .into_owned()
                })
                .collect::<csv::StringRecord>()
                .into_byte_record(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(text: &[u8], width: Option<usize>) -> Vec<Item> {
        let mut r = Records::new(text, None, Encoding::Utf8).unwrap();
        r.detect().unwrap();
        if let Some(w) = width {
            r.set_width(w);
        }
        let mut out = Vec::new();
        while let Some(item) = r.next_item().unwrap() {
            out.push(item);
        }
        out
    }

    fn record(line: u64, fields: &[&str]) -> Item {
        Item::Record {
            line,
            fields: ByteRecord::from(fields.to_vec()),
        }
    }

    fn lines_of(items: &[Item]) -> Vec<(u64, bool)> {
        items
            .iter()
            .map(|i| match i {
                Item::Record { line, .. } => (*line, true),
                Item::Unreadable { line, .. } => (*line, false),
            })
            .collect()
    }

    #[test]
    fn quoted_fields_and_line_endings() {
        let got = items(
            b"a,b\r\n1,\"x, \"\"y\"\"\"\r2,\"multi\nline\"\n\n3,z",
            Some(2),
        );
        assert_eq!(
            got,
            vec![
                record(1, &["a", "b"]),
                record(2, &["1", "x, \"y\""]),
                record(3, &["2", "multi\nline"]),
                record(6, &["3", "z"]),
            ]
        );
    }

    proptest::proptest! {
        /// Well-formed CSV (fields quoted where they must be, or at whim)
        /// reads as the csv crate reads it. (Line breaks inside quotes are
        /// left to the tests above: one before text that reads as a whole
        /// record is refused on purpose.)
        #[test]
        fn well_formed_csv_reads_as_the_csv_crate_reads_it(
            rows in proptest::collection::vec(
                proptest::collection::vec(("[a-z ,\";]{0,6}", proptest::bool::ANY), 3),
                1..20,
            ),
        ) {
            let mut text = Vec::new();
            for row in &rows {
                let cells: Vec<String> = row
                    .iter()
                    .map(|(cell, quote)| {
                        if *quote || cell.contains([',', '"', '\n']) || cell.is_empty() {
                            format!("\"{}\"", cell.replace('"', "\"\""))
                        } else {
                            cell.clone()
                        }
                    })
                    .collect();
                text.extend_from_slice(cells.join(",").as_bytes());
                text.push(b'\n');
            }
            let mut expected = Vec::new();
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(text.as_slice());
            for record in reader.byte_records() {
                let record = record.unwrap();
                // chipcheck skips a record of empty cells.
                if !record.iter().all(|f| f.trim_ascii().is_empty()) {
                    expected.push(record);
                }
            }
            let mut reader = Records::new(text.as_slice(), Some(b','), Encoding::Utf8).unwrap();
            reader.set_width(3);
            let mut got = Vec::new();
            while let Some(item) = reader.next_item().unwrap() {
                match item {
                    Item::Record { fields, .. } => got.push(fields),
                    Item::Unreadable { message, .. } => panic!("{message}"),
                }
            }
            proptest::prop_assert_eq!(got, expected);
        }
    }

    proptest::proptest! {
        /// A record read into one handed back (emptied, its room kept)
        /// reads as one read into a new record: rows of every width, long
        /// and short, quoted, with line breaks inside quotes.
        #[test]
        fn records_read_into_reused_ones_read_as_new_ones(
            rows in proptest::collection::vec(
                proptest::collection::vec("[a-z ,\";\n]{0,12}", 0..6),
                1..40,
            ),
        ) {
            let mut text = Vec::new();
            for row in &rows {
                let cells: Vec<String> = row
                    .iter()
                    .map(|cell| format!("\"{}\"", cell.replace('"', "\"\"")))
                    .collect();
                text.extend_from_slice(cells.join(",").as_bytes());
                text.push(b'\n');
            }
            let new = {
                let mut reader = Records::new(text.as_slice(), Some(b','), Encoding::Utf8).unwrap();
                std::iter::from_fn(|| reader.next_item().unwrap()).collect::<Vec<_>>()
            };
            let mut reader = Records::new(text.as_slice(), Some(b','), Encoding::Utf8).unwrap();
            let mut reused = Vec::new();
            while let Some(item) = reader.next_item().unwrap() {
                let copy = match &item {
                    Item::Record { line, fields } => Item::Record { line: *line, fields: fields.clone() },
                    Item::Unreadable { line, fields, message } => Item::Unreadable {
                        line: *line,
                        fields: fields.clone(),
                        message: message.clone(),
                    },
                };
                reused.push(copy);
                reader.reuse(item);
            }
            proptest::prop_assert_eq!(reused, new);
        }
    }

    #[test]
    fn records_that_held_long_rows_or_many_cells_are_not_kept() {
        let long = "x".repeat(MAX_SPARE_RECORD_BYTES + 1);
        let many = ",".repeat(MAX_SPARE_RECORD_FIELDS);
        let text = format!("a,b\n1,2\n{long},3\n4{many}\n\"5\n{long}\",6\n");
        let mut reader = Records::new(text.as_bytes(), Some(b','), Encoding::Utf8).unwrap();
        let mut kept = Vec::new();
        while let Some(item) = reader.next_item().unwrap() {
            reader.reuse(item);
            kept.push(reader.spare.len());
        }
        // The header's record is kept, and `1,2` is read into it and kept
        // again; the long row is read into a new record, not kept; the row
        // of many empty cells takes the kept record and grows it, and the
        // quoted row runs on to a long line: neither is kept.
        assert_eq!(kept, vec![1, 1, 1, 0, 0]);
    }

    #[test]
    fn bare_cr_counts_lines() {
        let got = items(b"a,b\r1,2\r\r3,4\r", Some(2));
        assert_eq!(lines_of(&got), vec![(1, true), (2, true), (4, true)]);
    }

    #[test]
    fn an_unclosed_quote_loses_no_row() {
        let text = b"name,notes\nA,ok\nB,\"oops\nC,fine\nD,fine\n";
        let got = items(text, Some(2));
        assert_eq!(
            lines_of(&got),
            vec![(1, true), (2, true), (3, false), (4, true), (5, true)]
        );
        let Item::Unreadable {
            message, fields, ..
        } = &got[2]
        else {
            panic!()
        };
        assert!(message.contains("opened on line 3"), "{message}");
        assert!(message.contains("line 4"), "{message}");
        assert_eq!(fields, &ByteRecord::from(vec!["B"]));
    }

    #[test]
    fn an_unclosed_quote_at_the_end_is_an_error_at_its_line() {
        let got = items(b"name,notes\nA,\"never closed\nmore text", Some(2));
        // The line after it is read again (and the audit finds it short).
        assert_eq!(lines_of(&got), vec![(1, true), (2, false), (3, true)]);
        let Item::Unreadable { message, .. } = &got[1] else {
            panic!()
        };
        assert!(message.contains("end of the file"), "{message}");
    }

    #[test]
    fn a_multi_line_note_is_kept() {
        let got = items(b"name,notes\nA,\"first\nsecond line\"\nB,x\n", Some(2));
        assert_eq!(
            got,
            vec![
                record(1, &["name", "notes"]),
                record(2, &["A", "first\nsecond line"]),
                record(4, &["B", "x"]),
            ]
        );
    }

    #[test]
    fn empty_records_are_skipped() {
        let mut r = Records::new(&b"a,b\n,\n , \n1,2\n"[..], None, Encoding::Utf8).unwrap();
        let mut n = 0;
        while r.next_item().unwrap().is_some() {
            n += 1;
        }
        assert_eq!((n, r.empty_records, r.lines_read()), (2, 2, 4));
    }

    #[test]
    fn delimiters_are_detected() {
        assert_eq!(detect_delimiter(b"name;fp16;\"a,b\""), Ok(b';'));
        assert_eq!(detect_delimiter(b"name\tfp16"), Ok(b'\t'));
        assert_eq!(detect_delimiter(b"name"), Ok(b','));
        assert!(detect_delimiter(b"a,b;c").is_err());
        assert_eq!(parse_delimiter("tab"), Ok(b'\t'));
        assert!(parse_delimiter("\"").is_err());
        assert!(parse_delimiter("ab").is_err());
    }

    #[test]
    fn records_are_capped() {
        let mut text = b"a,b\n".to_vec();
        text.extend(std::iter::repeat_n(b'x', MAX_RECORD_BYTES + 10));
        text.extend_from_slice(b"\n1,2\n");
        let got = items(&text, Some(2));
        assert_eq!(lines_of(&got), vec![(1, true), (2, false), (3, true)]);
    }

    #[test]
    fn windows_1252_is_decoded_and_bom_dropped() {
        let mut r =
            Records::new(&b"name\n\x93Caf\xe9\x94\n"[..], None, Encoding::Windows1252).unwrap();
        r.next_item().unwrap();
        assert_eq!(
            r.next_item().unwrap(),
            Some(record(2, &["\u{201c}Café\u{201d}"]))
        );
        let mut r = Records::new(&b"\xEF\xBB\xBFname\n"[..], None, Encoding::Utf8).unwrap();
        assert_eq!(r.next_item().unwrap(), Some(record(1, &["name"])));
        assert!(Records::new(&b"\xFF\xFEn\0"[..], None, Encoding::Utf8).is_err());
    }
}
