//! Reading a catalogue's columns: the header row, the columns chipcheck reads (matched by header,
//! case-insensitively, or mapped with `--column "Header=name"` or a
//! `--columns` TOML file), and the cells of one row. The audit itself is
//! [`crate::catalogue`]; every other column passes through to CSV output.
//!
//! A row with figures is classified from its own figures (an empty cell is
//! unknown, never zero); a row with only a name (and maybe a vendor) is
//! looked up in the built-in library.

use crate::catalogue::cells;
use crate::catalogue::headers::{recognise, unit_of_mapped, Reading, Unit};
use crate::diagnostic::{did_you_mean, from_toml_error, Diagnostic};
use crate::error::Error;
use crate::number::{DecimalMark, FigureError};
use crate::precision::Precision;
use crate::spec::{ChipSpec, ComputeUnit};
use std::collections::BTreeMap;
use std::path::Path;

/// The largest `--columns` file chipcheck will read.
const MAX_MAPPING_BYTES: u64 = 1 << 20;
/// Input values echoed in messages are clipped to this many characters.
const MAX_ECHO: usize = 60;

// ----- columns -----------------------------------------------------------

/// A column chipcheck reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Name,
    Vendor,
    Datacenter,
    Sparse,
    Figure(Precision),
    AreaMm2,
    NonPlanar,
    InterconnectGbps,
    MemoryBandwidthGbps,
    UsCommerciallyAvailable,
    /// A party to the shipment, screened against the party lists.
    Party(crate::screening::Role),
}

impl Field {
    fn all() -> Vec<Field> {
        let mut all = vec![Field::Name, Field::Vendor, Field::Datacenter, Field::Sparse];
        all.extend(Precision::ALL.iter().map(|p| Field::Figure(*p)));
        all.extend([
            Field::AreaMm2,
            Field::NonPlanar,
            Field::InterconnectGbps,
            Field::MemoryBandwidthGbps,
            Field::UsCommerciallyAvailable,
        ]);
        use crate::screening::Role;
        all.extend([Role::EndUser, Role::Consignee, Role::Purchaser].map(Field::Party));
        all
    }

    pub fn name(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Vendor => "vendor",
            Field::Datacenter => "datacenter",
            Field::Sparse => "sparse",
            Field::Figure(p) => p.name(),
            Field::AreaMm2 => "area_mm2",
            Field::NonPlanar => "non_planar",
            Field::InterconnectGbps => "interconnect_gbps",
            Field::MemoryBandwidthGbps => "memory_bandwidth_gbps",
            Field::UsCommerciallyAvailable => "us_commercially_available",
            Field::Party(role) => role.key(),
        }
    }

    fn from_name(name: &str) -> Option<Field> {
        let wanted = name.trim().to_lowercase();
        Field::all().into_iter().find(|f| f.name() == wanted)
    }

    /// Does a cell in this column make the row describe itself (rather than
    /// name a library chip)?
    pub fn describes(self) -> bool {
        !matches!(self, Field::Name | Field::Vendor | Field::Party(_))
    }
}

/// Headers for a message, at most 20 of them: a header row of a million
/// cells must not become a megabyte of error.
fn list_headers(headers: &[String]) -> String {
    const SHOWN: usize = 20;
    let mut text = headers
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if headers.len() > SHOWN {
        text.push_str(&format!(
            " … and {} more",
            headers.len().saturating_sub(SHOWN)
        ));
    }
    text
}

fn unknown_field(target: &str) -> String {
    let names: Vec<&str> = Field::all().into_iter().map(Field::name).collect();
    let near = did_you_mean(target.trim(), names.iter().copied())
        .or_else(|| synonym(target).map(str::to_string));
    match near {
        Some(near) => format!("unknown column `{}`; did you mean `{near}`?", target.trim()),
        None => format!(
            "unknown column `{}`; chipcheck reads: {}",
            target.trim(),
            names.join(", ")
        ),
    }
}

/// A column a likely wrong name probably meant (suggested, never assumed).
fn synonym(target: &str) -> Option<&'static str> {
    let words: String = target
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    let words = words.trim_matches('_');
    // `fp16_tflops`, `int8 tops`: a precision with its unit.
    for suffix in ["_tflops", "_tops", "_flops", "tflops", "tops"] {
        if let Some(p) = words
            .strip_suffix(suffix)
            .and_then(|w| Precision::from_name(w.trim_matches('_')))
        {
            return Some(p.name());
        }
    }
    let table: [(&[&str], &'static str); 8] = [
        (
            &[
                "area",
                "die",
                "die_area",
                "die_area_mm2",
                "die_size",
                "area_mm",
            ],
            "area_mm2",
        ),
        (
            &["datacentre", "data_center", "data_centre", "dc"],
            "datacenter",
        ),
        (
            &["manufacturer", "maker", "make", "brand", "vendor_name"],
            "vendor",
        ),
        (
            &["product", "product_name", "model", "chip", "part", "device"],
            "name",
        ),
        (
            &[
                "memory_bandwidth",
                "mem_bandwidth",
                "mem_bw",
                "hbm_bandwidth",
                "bandwidth",
            ],
            "memory_bandwidth_gbps",
        ),
        (
            &[
                "interconnect",
                "io_bandwidth",
                "chip_to_chip",
                "nvlink",
                "interconnect_bandwidth",
            ],
            "interconnect_gbps",
        ),
        (
            &["planar", "finfet", "non_planar_process", "nonplanar"],
            "non_planar",
        ),
        (&["sparsity", "is_sparse", "sparse_figures"], "sparse"),
    ];
    table
        .iter()
        .find(|(aliases, _)| aliases.contains(&words))
        .map(|(_, field)| *field)
}

/// The mapping target that passes a column through unread.
pub const IGNORE: &str = "ignore";

/// One header mapping: a catalogue header read as a chipcheck column, or
/// (`ignore`) passed through unread.
#[derive(Clone, Debug)]
pub struct Mapping {
    pub header: String,
    field: Option<Field>,
    /// Where it was given, for messages (`--column "A=b"`, `map.toml:3`).
    origin: String,
    /// From a `--columns` file, which may name headers a catalogue lacks,
    /// so that one map serves many catalogues.
    optional: bool,
}

/// A mapping target: a chipcheck column, or `ignore`.
fn target_field(target: &str) -> Option<Option<Field>> {
    if target.trim().eq_ignore_ascii_case(IGNORE) {
        return Some(None);
    }
    Field::from_name(target).map(Some)
}

pub fn same_header(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

pub fn parse_mapping_flag(flag: &str) -> Result<Mapping, Error> {
    let origin = format!("--column \"{flag}\"");
    let Some((header, target)) = flag.rsplit_once('=') else {
        return Err(Error::Usage(format!(
            "{origin}: write HEADER=COLUMN, e.g. --column \"Product Name=name\""
        )));
    };
    if header.trim().is_empty() || target.trim().is_empty() {
        return Err(Error::Usage(format!(
            "{origin}: write HEADER=COLUMN, e.g. --column \"Product Name=name\""
        )));
    }
    let field = target_field(target)
        .ok_or_else(|| Error::Usage(format!("{origin}: {}", unknown_field(target))))?;
    Ok(Mapping {
        header: header.trim().to_string(),
        field,
        origin,
        optional: false,
    })
}

pub fn read_mapping_file(path: &Path) -> Result<Vec<Mapping>, Error> {
    let text = crate::input::read_text(path, MAX_MAPPING_BYTES, "mapping file")?;
    parse_mapping_text(&path.display().to_string(), &text)
}

fn parse_mapping_text(shown: &str, text: &str) -> Result<Vec<Mapping>, Error> {
    let table: BTreeMap<String, toml::Spanned<String>> = toml::from_str(text).map_err(|e| {
        from_toml_error(shown, text, &e)
            .help("write one mapping per line: \"Product Name\" = \"name\"")
    })?;
    let mut out: Vec<Mapping> = Vec::new();
    for (header, target) in table {
        let span = target.span();
        let field = target_field(target.get_ref()).ok_or_else(|| {
            Diagnostic::new(
                shown,
                format!("header `{header}`: {}", unknown_field(target.get_ref())),
            )
            .at(text, Some(span.clone()))
        })?;
        if header.trim().is_empty() {
            return Err(Diagnostic::new(shown, "a mapping needs a header name")
                .at(text, Some(span))
                .into());
        }
        let line = text[..span.start.min(text.len())]
            .matches('\n')
            .count()
            .saturating_add(1);
        out.push(Mapping {
            header: header.trim().to_string(),
            field,
            origin: format!("{shown}:{line}"),
            optional: true,
        });
    }
    Ok(out)
}

pub fn read_headers(
    record: &csv::ByteRecord,
    shown: &str,
    line: usize,
) -> Result<Vec<String>, Error> {
    let mut headers = Vec::with_capacity(record.len());
    for (i, cell) in record.iter().enumerate() {
        let cell = if i == 0 {
            cell.strip_prefix(b"\xEF\xBB\xBF".as_slice())
                .unwrap_or(cell)
        } else {
            cell
        };
        let text = std::str::from_utf8(cell).map_err(|e| {
            Diagnostic::new(
                shown,
                format!(
                    "the header row is not UTF-8 text (column {}, invalid byte at offset {})",
                    i.saturating_add(1),
                    e.valid_up_to()
                ),
            )
            .with_line(line)
            .at_column(1)
            .help(crate::catalogue::NOT_UTF8_HELP)
        })?;
        headers.push(text.to_string());
    }
    Ok(headers)
}

/// Which catalogue column holds which chipcheck column, and in which unit.
#[derive(Debug)]
pub struct Layout {
    pub headers: Vec<String>,
    pub name: usize,
    /// Every column read, in the catalogue's order (the cache key's order).
    pub used: Vec<(Field, usize)>,
    /// The unit each column states, when it is not chipcheck's own, by
    /// column index: its figures are converted exactly.
    pub units: Vec<Option<Unit>>,
    /// Whether a point may group thousands (`2.000`): in a file separated by
    /// anything but commas (semicolons, tabs, pipes), as spreadsheets export
    /// where the decimal mark is a comma, and in a spreadsheet's text cells.
    pub point_groups: bool,
    /// Columns of figures mapped to `ignore` (a precision, a stated TPP):
    /// any may give more than the figures read, so every row's TPP is a
    /// floor (an ignored sparse fp8 column had left fp16 alone to clear
    /// the chip).
    pub ignored_figures: Vec<String>,
}

/// The columns found so far while a header row is resolved.
struct Assignment<'h> {
    headers: &'h [String],
    /// What each column was assigned: a field, or passed through on purpose.
    assigned: Vec<Option<Option<Field>>>,
    by_field: BTreeMap<Field, (usize, String)>,
    units: Vec<Option<Unit>>,
    /// Figure columns mapped to `ignore`: what each is, for the rows.
    ignored_figures: Vec<String>,
}

impl Layout {
    /// The row's party cells: empty cells left out, and a placeholder
    /// (`TBD`, `N/A`) kept as a party nobody knows, which cannot be cleared.
    pub fn parties(&self, record: &csv::ByteRecord) -> Vec<crate::screening::Party> {
        self.used
            .iter()
            .filter_map(|&(field, column)| match field {
                Field::Party(role) => {
                    let text = record
                        .get(column)
                        .and_then(|b| std::str::from_utf8(b).ok())
                        .unwrap_or("")
                        .trim();
                    (!text.is_empty()).then(|| crate::screening::Party {
                        role,
                        name: text.to_string(),
                        known: !cells::is_placeholder(text),
                    })
                }
                _ => None,
            })
            .collect()
    }

    pub fn resolve(
        headers: &[String],
        mappings: &[Mapping],
        shown: &str,
        line: usize,
    ) -> Result<Layout, Error> {
        let mut a = Assignment {
            headers,
            assigned: vec![None; headers.len()],
            by_field: BTreeMap::new(),
            units: vec![None; headers.len()],
            ignored_figures: Vec::new(),
        };
        for m in mappings {
            a.map(m)?;
        }
        for field in Field::all() {
            a.by_exact_name(field, shown, line)?;
        }
        a.by_spelling(shown, line)?;
        let Some((name, _)) = a.by_field.get(&Field::Name).cloned() else {
            return Err(no_name_column(headers, shown, line));
        };
        // A `sparse` column beside a header that says its figures are dense
        // cannot both hold: which one is right decides TPP by half.
        if let Some((sparse, _)) = a.by_field.get(&Field::Sparse) {
            let dense = a.by_field.iter().find(|(f, (c, _))| {
                matches!(f, Field::Figure(_))
                    && headers[*c]
                        .to_lowercase()
                        .split(|ch: char| !ch.is_alphanumeric())
                        .any(|w| w == "dense")
            });
            if let Some((_, (c, _))) = dense {
                return Err(Diagnostic::new(
                    shown,
                    format!(
                        "column `{}` says its figures are dense, and column `{}` says whether a row's figures are sparse: they cannot both be right",
                        clip(&headers[*c]),
                        clip(&headers[*sparse])
                    ),
                )
                .with_line(line)
                .at_column(1)
                .help("if the figures are dense, pass the sparse column through: --column \"HEADER=ignore\"")
                .into());
            }
        }
        let mut used: Vec<(Field, usize)> =
            a.by_field.into_iter().map(|(f, (c, _))| (f, c)).collect();
        used.sort_by_key(|(_, c)| *c);
        Ok(Layout {
            headers: headers.to_vec(),
            name,
            used,
            units: a.units,
            point_groups: false,
            ignored_figures: a.ignored_figures,
        })
    }

    /// What the header row was read as, where chipcheck read a header
    /// under another name or converted its unit: for the summary.
    pub fn readings(&self) -> Vec<String> {
        self.used
            .iter()
            .filter(|(f, c)| !same_header(&self.headers[*c], f.name()) || self.units[*c].is_some())
            .map(|(f, c)| match self.units[*c] {
                Some(u) if u.factor != rust_decimal::Decimal::ONE => format!(
                    "`{}` as {} ({} × {})",
                    clip(&self.headers[*c]),
                    f.name(),
                    u.name,
                    u.factor.normalize()
                ),
                _ => format!("`{}` as {}", clip(&self.headers[*c]), f.name()),
            })
            .collect()
    }
}

impl Assignment<'_> {
    fn place(&mut self, field: Option<Field>, column: usize, origin: String) {
        self.assigned[column] = Some(field);
        if let Some(field) = field {
            self.by_field.insert(field, (column, origin));
        }
    }

    /// An explicit mapping (`--column`, `--columns`).
    fn map(&mut self, m: &Mapping) -> Result<(), Error> {
        let headers = self.headers;
        let matches: Vec<usize> = (0..headers.len())
            .filter(|i| same_header(&headers[*i], &m.header))
            .collect();
        let column = match matches.as_slice() {
            [one] => *one,
            [] if m.optional => return Ok(()),
            [] => {
                let hint = did_you_mean(&m.header, headers.iter().map(String::as_str))
                    .map(|h| format!("; did you mean `{h}`?"))
                    .unwrap_or_else(|| format!("; its headers are: {}", list_headers(headers)));
                return Err(Error::Usage(format!(
                    "{}: the catalogue has no column `{}`{hint}",
                    m.origin, m.header
                )));
            }
            several => {
                return Err(Error::Usage(format!(
                    "{}: the catalogue has {} columns headed `{}` (columns {}); rename one",
                    m.origin,
                    several.len(),
                    m.header,
                    column_numbers(several)
                )))
            }
        };
        if let Some(field) = m.field {
            if let Some((at, other)) = self.by_field.get(&field) {
                return Err(Error::Usage(format!(
                    "{}: `{}` is already mapped to `{}` by {other}",
                    m.origin,
                    field.name(),
                    headers[*at]
                )));
            }
            self.units[column] = unit_of_mapped(&headers[column], field)
                .map_err(|why| Error::Usage(format!("{}: `{}`: {why}", m.origin, m.header)))?;
        } else if let Some(what) = super::headers::figure_it_holds(&headers[column]) {
            self.ignored_figures
                .push(format!("column `{}` ({what})", clip(&headers[column])));
        }
        self.place(m.field, column, m.origin.clone());
        Ok(())
    }

    /// A header that is chipcheck's own column name (`fp16`, `area_mm2`).
    fn by_exact_name(&mut self, field: Field, shown: &str, line: usize) -> Result<(), Error> {
        if let Some((at, origin)) = self.by_field.get(&field) {
            // A mapping gave the field another column: one headed with the
            // field's own name is then neither read nor passed through in
            // silence (`--column fp8=name` hid both the fp8 figure and the
            // real name).
            let unread = (0..self.headers.len()).find(|i| {
                i != at
                    && self.assigned[*i].is_none()
                    && same_header(&self.headers[*i], field.name())
            });
            if let Some(other) = unread {
                return Err(Error::Usage(format!(
                    "{origin} maps column {} `{}` to `{}`, but column {} is headed `{}`; map that one too (to `{IGNORE}` to pass it through unread)",
                    at.saturating_add(1),
                    clip(&self.headers[*at]),
                    field.name(),
                    other.saturating_add(1),
                    clip(&self.headers[other]),
                )));
            }
            return Ok(());
        }
        let matches: Vec<usize> = (0..self.headers.len())
            .filter(|i| self.assigned[*i].is_none() && same_header(&self.headers[*i], field.name()))
            .collect();
        match matches.as_slice() {
            [] => Ok(()),
            [one] => {
                self.place(Some(field), *one, "its header".into());
                Ok(())
            }
            several => Err(Diagnostic::new(
                shown,
                format!(
                    "columns {} are all headed `{}`; chipcheck cannot tell which to read",
                    column_numbers(several),
                    field.name()
                ),
            )
            .with_line(line)
            .at_column(1)
            .help(format!(
                "rename the others, or map one explicitly with --column \"HEADER={}\"",
                field.name()
            ))
            .into()),
        }
    }

    /// The common spreadsheet spellings (`FP16 TFLOPS`, `NVLink (GB/s)`),
    /// in their units; a figure that cannot be read safely is an error.
    fn by_spelling(&mut self, shown: &str, line: usize) -> Result<(), Error> {
        for column in 0..self.headers.len() {
            if self.assigned[column].is_some() {
                continue;
            }
            let header = &self.headers[column];
            let refuse = |why: String, help: String| -> Error {
                Diagnostic::new(
                    shown,
                    format!(
                        "column {} `{}` looks like a figure, but {why}",
                        column.saturating_add(1),
                        clip(header)
                    ),
                )
                .with_line(line)
                .at_column(1)
                .help(help)
                .into()
            };
            match recognise(header) {
                Reading::Other => {}
                Reading::PerRun(what) => {
                    return Err(Diagnostic::new(
                        shown,
                        format!(
                            "column {} `{}` gives per row {what}; each row would be answered for the run's destination, not its own",
                            column.saturating_add(1),
                            clip(header)
                        ),
                    )
                    .with_line(line)
                    .at_column(1)
                    .help(format!(
                        "audit the rows for each destination with --to (and --end-user-hq), then pass the column through with --column \"{header}={IGNORE}\""
                    ))
                    .into())
                }
                Reading::Unreadable(why) => {
                    return Err(refuse(
                        why,
                        format!(
                            "say what it holds, in chipcheck's unit (TFLOPS/TOPS, mm², GB/s): \
                             --column \"{}=COLUMN\" (COLUMN one of {}), or --column \"{}={IGNORE}\" \
                             to pass it through unread",
                            header,
                            Field::all().iter().map(|f| f.name()).collect::<Vec<_>>().join(", "),
                            header
                        ),
                    ))
                }
                Reading::Column { field, unit } => {
                    if let Some((at, _)) = self.by_field.get(&field) {
                        return Err(refuse(
                            format!(
                                "column {} `{}` is already read as `{}`",
                                at.saturating_add(1),
                                clip(&self.headers[*at]),
                                field.name()
                            ),
                            format!(
                                "map the one to read with --column \"HEADER={}\" and the other with --column \"HEADER={IGNORE}\"",
                                field.name()
                            ),
                        ));
                    }
                    self.units[column] = unit;
                    self.place(Some(field), column, "its header".into());
                }
            }
        }
        Ok(())
    }
}

fn column_numbers(columns: &[usize]) -> String {
    columns
        .iter()
        .map(|i| i.saturating_add(1).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn no_name_column(headers: &[String], shown: &str, line: usize) -> Error {
    let likely: Vec<&str> = headers
        .iter()
        .map(String::as_str)
        .filter(|h| {
            let l = h.to_lowercase();
            l.contains("name") || l.contains("product") || l.contains("model")
        })
        .collect();
    let near = likely
        .first()
        .map(|h| h.to_string())
        .or_else(|| did_you_mean("name", headers.iter().map(String::as_str)));
    let help = match near {
        Some(h) => format!("did you mean `{h}`? map it with --column \"{h}=name\""),
        None => format!(
            "map the product-name column with --column \"HEADER=name\"; the headers are: {}",
            list_headers(headers)
        ),
    };
    Diagnostic::new(
        shown,
        "the catalogue has no `name` column (the product name is required)",
    )
    .with_line(line)
    .at_column(1)
    .help(help)
    .into()
}

impl Layout {
    /// How a column is named in a message: its header, and the chipcheck
    /// column when the header is something else.
    pub fn column_label(&self, field: Field, column: usize) -> String {
        let header = &self.headers[column];
        if same_header(header, field.name()) {
            format!("column `{}`", field.name())
        } else {
            format!("column `{}` ({})", clip(header), field.name())
        }
    }
}

trait AtColumn {
    fn at_column(self, column: usize) -> Self;
}

impl AtColumn for Diagnostic {
    fn at_column(mut self, column: usize) -> Self {
        self.column = column;
        self
    }
}

pub fn clip(text: &str) -> String {
    if text.chars().count() <= MAX_ECHO {
        return text.to_string();
    }
    let mut s: String = text.chars().take(MAX_ECHO).collect();
    s.push('…');
    s
}

fn figure_message(e: FigureError) -> String {
    match e {
        FigureError::NotANumber(s) => format!("`{}` is not a number", clip(&s)),
        FigureError::NotFinite(s) => format!("`{}` is not a finite number", clip(&s)),
        FigureError::Negative(s) => {
            format!("`{}` is negative; figures must be zero or more", clip(&s))
        }
        FigureError::TooLarge(s) => format!("`{}` is too large", clip(&s)),
        FigureError::Malformed { text, mark } => FigureError::Malformed {
            text: clip(&text),
            mark,
        }
        .to_string(),
        FigureError::Ambiguous { text, mark } => FigureError::Ambiguous {
            text: clip(&text),
            mark,
        }
        .to_string(),
        FigureError::TooPrecise { text, digits } => FigureError::TooPrecise {
            text: clip(&text),
            digits,
        }
        .to_string(),
    }
}

/// What a readable row says.
pub enum RowSpec {
    /// Its own figures.
    Own(Box<ChipSpec>),
    /// Only a name (and maybe a vendor): a library chip.
    Named {
        name: String,
        vendor: Option<String>,
    },
}

/// Reads the cells chipcheck uses; every unreadable cell is reported.
/// `numbers`: the number each numeric cell of a spreadsheet row holds
/// (empty for CSV).
pub fn read_row(
    layout: &Layout,
    record: &csv::ByteRecord,
    numbers: &[Option<rust_decimal::Decimal>],
    decimal: DecimalMark,
) -> Result<RowSpec, String> {
    let mut row = RowRead::default();
    for &(field, column) in &layout.used {
        let text = record
            .get(column)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
            .trim();
        if crate::catalogue::sheet::is_unreadable(text) {
            row.problems.push(format!(
                "{}: `{}` is a cell the spreadsheet holds no value for; recalculate and save the workbook, or fill the cell",
                layout.column_label(field, column),
                clip(text)
            ));
            continue;
        }
        // A placeholder (`N/A`, `TBD`, ...) in a figure or yes/no cell is
        // unknown, exactly like an empty cell. A precision not known may
        // give more than those known: it is kept, so the TPP is a floor (an
        // empty fp16 beside int8 150 had given TPP 1,200 and cleared).
        if text.is_empty() || (field.describes() && cells::is_placeholder(text)) {
            if let Field::Figure(p) = field {
                row.unknown_figures.push(p);
            }
            continue;
        }
        row.describes |= field.describes();
        let cell = Cell {
            layout,
            field,
            column,
            text,
            number: numbers.get(column).copied().flatten(),
            decimal,
        };
        row.read(&cell);
    }
    row.finish(layout)
}

/// A row's cells as they are read.
#[derive(Default)]
struct RowRead {
    spec: ChipSpec,
    sparse: bool,
    figures: BTreeMap<Precision, rust_decimal::Decimal>,
    /// Precision columns whose cell on this row is empty or a placeholder.
    unknown_figures: Vec<Precision>,
    /// A cell other than name and vendor has a value: the row describes
    /// itself rather than naming a library chip.
    describes: bool,
    problems: Vec<String>,
}

impl RowRead {
    fn read(&mut self, cell: &Cell<'_>) {
        let problems = &mut self.problems;
        let spec = &mut self.spec;
        match cell.field {
            Field::Name => spec.name = cell.text.to_string(),
            Field::Vendor => spec.vendor = Some(cell.text.to_string()),
            Field::Datacenter => spec.datacenter = cell.boolean(problems),
            Field::NonPlanar => spec.non_planar = cell.boolean(problems),
            Field::UsCommerciallyAvailable => {
                spec.us_commercially_available = cell.boolean(problems)
            }
            Field::Sparse => self.sparse = cell.boolean(problems).unwrap_or(false),
            Field::Figure(p) => {
                if let Some(v) = cell.figure(problems) {
                    self.figures.insert(p, v);
                }
            }
            Field::AreaMm2 => match cell.figure(problems) {
                Some(v) if v.is_zero() => problems.push(format!(
                    "{}: the die area must be greater than zero (leave the cell empty if it is unknown)",
                    cell.label()
                )),
                v => spec.die_area_mm2 = v,
            },
            Field::InterconnectGbps => spec.interconnect_gbps = cell.figure(problems),
            Field::MemoryBandwidthGbps => spec.memory_bandwidth_gbps = cell.figure(problems),
            // Read by `Layout::parties`, not part of the spec.
            Field::Party(_) => {}
        }
    }

    fn finish(mut self, layout: &Layout) -> Result<RowSpec, String> {
        if self.spec.name.is_empty() {
            self.problems.insert(
                0,
                format!(
                    "{} is empty; every row needs a product name",
                    layout.column_label(Field::Name, layout.name)
                ),
            );
        }
        if !self.problems.is_empty() {
            return Err(self.problems.join("; "));
        }
        if !self.describes {
            return Ok(RowSpec::Named {
                name: self.spec.name,
                vendor: self.spec.vendor,
            });
        }
        if !self.figures.is_empty() {
            let known = &self.figures;
            self.unknown_figures.retain(|p| !known.contains_key(p));
            self.unknown_figures.sort();
            self.unknown_figures.dedup();
            self.spec.compute.push(ComputeUnit {
                name: None,
                sparse: self.sparse,
                figures: self.figures,
                unknown: self.unknown_figures,
                not_read: layout.ignored_figures.clone(),
            });
        }
        Ok(RowSpec::Own(Box::new(self.spec)))
    }
}

/// One non-empty cell, read as its column's kind; every problem is named.
struct Cell<'a> {
    layout: &'a Layout,
    field: Field,
    column: usize,
    text: &'a str,
    /// A spreadsheet's numeric cell: used as it is, never re-read from text.
    number: Option<rust_decimal::Decimal>,
    decimal: DecimalMark,
}

impl Cell<'_> {
    fn label(&self) -> String {
        self.layout.column_label(self.field, self.column)
    }

    fn boolean(&self, problems: &mut Vec<String>) -> Option<bool> {
        let b = cells::boolean(self.text);
        if b.is_none() {
            problems.push(format!(
                "{}: `{}` is not yes or no (write true/false, yes/no, 1/0 or y/n)",
                self.label(),
                clip(self.text)
            ));
        }
        b
    }

    fn figure(&self, problems: &mut Vec<String>) -> Option<rust_decimal::Decimal> {
        let read = match self.number {
            // A number cell is checked as a figure written as text is.
            Some(n) => crate::number::check_sign(n, self.text).map(|f| Some(f.0)),
            None => cells::figure_read_one_way(self.text, self.decimal, self.layout.point_groups),
        };
        let value = match read {
            Ok(v) => v?,
            Err(e) => {
                problems.push(format!("{}: {}", self.label(), figure_message(e)));
                return None;
            }
        };
        let Some(unit) = self.layout.units.get(self.column).copied().flatten() else {
            return Some(value);
        };
        // Converted exactly from the unit the header states.
        let converted = value.checked_mul(unit.factor);
        if converted.is_none() {
            problems.push(format!(
                "{}: `{}` {} is too large",
                self.label(),
                clip(self.text),
                unit.name
            ));
        }
        converted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans() {
        for t in ["true", "YES", "1", "y", " Y "] {
            assert_eq!(cells::boolean(t), Some(true), "{t}");
        }
        for f in ["false", "No", "0", "n"] {
            assert_eq!(cells::boolean(f), Some(false), "{f}");
        }
        for bad in ["maybe", "2", "", "tru"] {
            assert_eq!(cells::boolean(bad), None, "{bad}");
        }
    }

    #[test]
    fn mappings_resolve_and_unknown_targets_are_named() {
        let headers: Vec<String> = ["Product Name", "FP16 TFLOPS", "vendor", "SKU"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let maps = vec![
            parse_mapping_flag("Product Name=name").unwrap(),
            parse_mapping_flag("fp16 tflops=FP16").unwrap(),
        ];
        let layout = Layout::resolve(&headers, &maps, "x.csv", 1).unwrap();
        assert_eq!(layout.name, 0);
        assert_eq!(
            layout.used,
            vec![
                (Field::Name, 0),
                (Field::Figure(Precision::Fp16), 1),
                (Field::Vendor, 2)
            ]
        );
        let e = parse_mapping_flag("Speed=fp17").unwrap_err().to_string();
        assert!(e.contains("did you mean `fp16`"), "{e}");
        let e = parse_mapping_flag("no equals sign")
            .unwrap_err()
            .to_string();
        assert!(e.contains("HEADER=COLUMN"), "{e}");
        let e = Layout::resolve(
            &headers,
            &[parse_mapping_flag("Product Nme=name").unwrap()],
            "x.csv",
            1,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("did you mean `Product Name`"), "{e}");
    }

    #[test]
    fn mapping_file_errors_are_located() {
        let ok = parse_mapping_text("m.toml", "\"Product Name\" = \"name\"\n\"FP8\" = \"fp8\"\n")
            .unwrap();
        assert_eq!(ok.len(), 2);
        let e = parse_mapping_text(
            "m.toml",
            "\"Product Name\" = \"name\"\n\"Die\" = \"area\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("unknown column `area`")
                && e.contains("did you mean `area_mm2`")
                && e.contains("m.toml:2"),
            "{e}"
        );
        let e = parse_mapping_text("m.toml", "\"A\" = 3\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("m.toml:1"), "{e}");
    }

    #[test]
    fn missing_name_column_suggests_a_mapping() {
        let headers: Vec<String> = ["Product Name", "fp16"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let e = Layout::resolve(&headers, &[], "x.csv", 1)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("no `name` column") && e.contains("--column \"Product Name=name\""),
            "{e}"
        );
    }

    #[test]
    fn duplicate_headers_are_refused() {
        let headers: Vec<String> = ["name", "FP16", "fp16"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let e = Layout::resolve(&headers, &[], "x.csv", 1)
            .unwrap_err()
            .to_string();
        assert!(e.contains("columns 2, 3"), "{e}");
    }
}
