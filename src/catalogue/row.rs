//! One catalogue row: its results for every destination asked, with the
//! reason each gives, or an `error` result saying why it cannot be read.

use super::reason::reason;
use super::Request;
use crate::catalogue::columns::{clip, read_row, Layout, RowSpec};
use crate::config::LicenseUse;
use crate::country::Country;
use crate::engine::{destinations_or_every, evaluate_many, Asked, Outcome, Standings, Subject};
use crate::library::{self, LibraryChip, Lookup};
use crate::spec::ChipSpec;
use crate::verdict::Verdict;

/// The answer for one row (cached for repeated rows).
pub struct RowResult {
    /// The row's `name` cell.
    pub name: String,
    /// Why the row could not be read (verdict `error`).
    pub error: Option<String>,
    pub outcomes: Vec<Outcome>,
    /// The one-line reason of each outcome.
    pub reasons: Vec<String>,
    /// What the row did to each licence on file (tallied per row, since the
    /// result is cached and may stand for many rows).
    pub licenses: Vec<LicenseUse>,
    /// Each outcome as each report encodes it (see `report::Format::encode`).
    pub encoded: Vec<Vec<Vec<u8>>>,
}

impl RowResult {
    /// Bytes held, roughly: text plus a fixed allowance per allocation, for
    /// the row cache's bound. Every outcome counts whole (a verdict-only one
    /// has no reasons, but its groups, paragraphs and basis are still held).
    pub fn size(&self) -> usize {
        let encoded = self.encoded.iter().flatten().fold(0usize, |n, p| {
            n.saturating_add(p.len()).saturating_add(PER_ALLOCATION)
        });
        let outcomes = self
            .outcomes
            .iter()
            .fold(0usize, |n, o| n.saturating_add(outcome_bytes(o)));
        let reasons = self.reasons.iter().fold(0usize, |n, r| {
            n.saturating_add(r.len()).saturating_add(PER_ALLOCATION)
        });
        self.name
            .len()
            .saturating_add(encoded)
            .saturating_add(outcomes)
            .saturating_add(reasons)
    }
}

/// What an allocation costs beyond its bytes, roughly.
const PER_ALLOCATION: usize = 64;

/// An outcome's bytes, roughly: the struct, and each string and list it owns.
fn outcome_bytes(o: &Outcome) -> usize {
    let text = |s: &str| s.len().saturating_add(PER_ALLOCATION);
    let maybe = |s: &Option<String>| s.as_deref().map_or(0, text);
    let list = |v: &[String]| {
        v.iter()
            .fold(PER_ALLOCATION, |n, s| n.saturating_add(text(s)))
    };
    let lists = [
        &o.country_groups,
        &o.paragraphs,
        &o.reasons,
        &o.settle_with,
        &o.uncertain_facts,
        &o.assumptions,
        &o.basis,
    ]
    .iter()
    .fold(0usize, |n, v| n.saturating_add(list(v)));
    let exceptions = o.exceptions.iter().fold(0usize, |n, e| {
        n.saturating_add(std::mem::size_of_val(e))
            .saturating_add(text(&e.id))
            .saturating_add(text(&e.title))
            .saturating_add(text(&e.citation))
    });
    let every = [&o.license_destinations, &o.indeterminate_destinations]
        .iter()
        .fold(0usize, |n, v| {
            n.saturating_add(v.as_deref().map_or(0, list))
        });
    std::mem::size_of::<Outcome>()
        .saturating_add(text(&o.chip))
        .saturating_add(text(&o.input))
        .saturating_add(text(&o.date))
        .saturating_add(maybe(&o.vendor))
        .saturating_add(maybe(&o.destination))
        .saturating_add(maybe(&o.destination_name))
        .saturating_add(maybe(&o.evaluated_as))
        .saturating_add(maybe(&o.end_user_hq))
        .saturating_add(maybe(&o.rule))
        .saturating_add(maybe(&o.rule_citation))
        .saturating_add(lists)
        .saturating_add(exceptions)
        .saturating_add(every)
        .saturating_add(o.parties.len().saturating_mul(1024))
}

fn vendor_matches(row: &str, chip: &ChipSpec) -> bool {
    let Some(v) = &chip.vendor else { return true };
    let (a, b) = (library::fold(row), library::fold(v));
    a.starts_with(&b) || b.starts_with(&a)
}

fn ambiguous(
    quoted: &str,
    vendor: Option<&str>,
    candidates: Vec<&'static LibraryChip>,
) -> Result<&'static LibraryChip, String> {
    let narrowed: Vec<&LibraryChip> = match vendor {
        Some(v) => candidates
            .iter()
            .copied()
            .filter(|c| vendor_matches(v, &c.spec))
            .collect(),
        None => candidates.clone(),
    };
    if let [only] = narrowed.as_slice() {
        return Ok(only);
    }
    let list = if narrowed.is_empty() {
        &candidates
    } else {
        &narrowed
    };
    Err(format!(
        "`{quoted}` matches {} library chips: {}; give the full name, or the row's figures",
        list.len(),
        list.iter()
            .map(|c| c.spec.display_name())
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// The library's answer to a name: a chip, or why there is none.
fn lookup(name: &str, vendor: Option<&str>) -> Result<&'static LibraryChip, String> {
    let found = library::find(name)
        .map_err(|d| format!("the chip library cannot be read: {}", d.message))?;
    let quoted = clip(name);
    match found {
        Lookup::Found(c) => match vendor {
            Some(v) if !vendor_matches(v, &c.spec) => Err(format!(
                "`{quoted}` is {} in the built-in library, but the row's vendor is `{}`; correct the name or vendor, or give the row's figures",
                c.spec.display_name(),
                clip(v)
            )),
            _ => Ok(c),
        },
        Lookup::Ambiguous(candidates) => ambiguous(&quoted, vendor, candidates),
        Lookup::NotFound { suggestions } if suggestions.is_empty() => Err(format!(
            "`{quoted}` is not in the built-in library (`chipcheck chips` lists it) and the row gives no figures; give its figures (fp16, fp8, int8, ..., area_mm2) to classify it"
        )),
        Lookup::NotFound { suggestions } => Err(format!(
            "`{quoted}` is not in the built-in library and the row gives no figures; did you mean: {}? Give its figures (fp16, fp8, int8, ..., area_mm2) to classify it",
            suggestions.join(", ")
        )),
    }
}

/// An `error` result: `input` could not be read or resolved, for the
/// reason `message`. Used for a catalogue row and for a spec sheet alike.
pub fn error_outcome(
    chip: &str,
    vendor: Option<String>,
    input: &str,
    message: &str,
    date: jiff::civil::Date,
    destination: Option<&'static Country>,
    hq: Option<&'static Country>,
) -> Outcome {
    let chip = (chip.to_string(), vendor, input.to_string());
    Outcome {
        destination: destination.map(|c| c.code.to_string()),
        destination_name: destination.map(|c| c.name.to_string()),
        reasons: vec![message.to_string()],
        ..Outcome::empty(Verdict::Error, chip, date, hq)
    }
}

/// An `error` result for every destination asked.
pub fn error_row(
    request: &Request,
    name: &str,
    vendor: Option<String>,
    message: &str,
) -> RowResult {
    let outcomes: Vec<Outcome> = destinations_or_every(request.destinations)
        .into_iter()
        .map(|d| {
            let (date, hq) = (request.date, request.hq);
            error_outcome(name, vendor.clone(), "catalogue", message, date, d, hq)
        })
        .collect();
    RowResult {
        name: name.to_string(),
        error: Some(message.to_string()),
        reasons: vec![message.to_string(); outcomes.len()],
        outcomes,
        licenses: Vec::new(),
        encoded: Vec::new(),
    }
}

/// Where each destination the run asks about stands: worked out once for
/// the run, not for every row. `explain`: with the sentences that say so.
pub fn standings<'a>(request: &Request<'a>, explain: bool) -> Standings<'a> {
    let destinations = destinations_or_every(request.destinations);
    let asked = asked(request, &destinations, (explain, None));
    Standings::new(request.rules, &asked)
}

/// What the run asks of every row.
fn asked<'d>(
    request: &Request,
    destinations: &'d [Option<&'static Country>],
    (explain, standings): (bool, Option<&'d Standings<'d>>),
) -> Asked<'d> {
    Asked {
        date: request.date,
        hq: request.hq,
        destinations,
        explain,
        standings,
    }
}

/// The row's outcomes; `explain`: with their reasons (else verdict-only,
/// for reports that print none).
fn evaluate(
    request: &Request,
    subject: &Subject,
    (explain, standings): (bool, &Standings),
) -> Vec<Outcome> {
    let destinations = destinations_or_every(request.destinations);
    let asked = asked(request, &destinations, (explain, Some(standings)));
    evaluate_many(request.rules, subject, &asked)
}

/// A name the library does not settle, and no figures: undecided, never clear.
fn undecided(
    request: &Request,
    standings: &Standings,
    name: &str,
    vendor: Option<String>,
    message: &str,
) -> Vec<Outcome> {
    let spec = ChipSpec {
        name: name.to_string(),
        vendor,
        ..ChipSpec::default()
    };
    // Its reasons are replaced by the message: no need to write them.
    let mut outcomes = evaluate(
        request,
        &Subject::chip(&spec, "catalogue"),
        (false, standings),
    );
    for o in &mut outcomes {
        // A letter that names the product needs a licence whatever its
        // figures (`H20 141GB`, no library chip of that size): that answer
        // stands, and the message says what else is not known.
        if o.verdict == Verdict::LicenseRequired {
            o.reasons = vec![message.to_string()];
            continue;
        }
        o.verdict = Verdict::Indeterminate;
        o.paragraphs.clear();
        o.review_policy = None;
        o.exceptions.clear();
        o.reasons = vec![message.to_string()];
        o.assumptions.clear();
        if o.settle_with.is_empty() {
            o.settle_with = vec!["compute".into()];
        }
        if o.license_destinations.is_some() {
            o.license_destinations = Some(Vec::new());
        }
    }
    outcomes
}

/// The outcomes for a library chip, each saying which chip the name is.
fn library_outcomes(
    request: &Request,
    name: &str,
    chip: &'static LibraryChip,
    how: (bool, &Standings),
) -> Result<Vec<Outcome>, String> {
    let contained = crate::library::resolve_contained(&chip.spec)
        .map_err(|e| format!("library chip {}: {e}", chip.spec.display_name()))?;
    let subject = Subject::new(&chip.spec, "library", contained);
    let mut outcomes = evaluate(request, &subject, how);
    let note = format!(
        "`{}` is {} in the built-in library (examples/chips/{})",
        clip(name),
        chip.spec.display_name(),
        chip.file
    );
    for o in &mut outcomes {
        o.reasons.insert(0, note.clone());
    }
    Ok(outcomes)
}

/// Classifies a readable row, or explains why it cannot be.
/// `numbers`: the number each numeric cell of a spreadsheet row holds
/// (empty for CSV). `explain`: write each outcome's reasons (false when no
/// report prints them; the verdicts, and the one-line reason, are the same).
/// `standings`: where the run's destinations stand (see [`standings`]).
pub fn evaluate_row(
    request: &Request,
    layout: &Layout,
    record: &csv::ByteRecord,
    numbers: &[Option<rust_decimal::Decimal>],
    (explain, standings): (bool, &Standings),
) -> RowResult {
    let name_cell = String::from_utf8_lossy(record.get(layout.name).unwrap_or_default())
        .trim()
        .to_string();
    let row = match read_row(layout, record, numbers, request.input.decimal_mark()) {
        Ok(row) => row,
        Err(message) => return error_row(request, &name_cell, None, &message),
    };
    let (mut outcomes, library_chip, miss) = match row {
        RowSpec::Own(spec) => (
            evaluate(
                request,
                &Subject::chip(&spec, "catalogue"),
                (explain, standings),
            ),
            None,
            None,
        ),
        RowSpec::Named { name, vendor } => match lookup(&name, vendor.as_deref()) {
            Ok(chip) => match library_outcomes(request, &name, chip, (explain, standings)) {
                Ok(outcomes) => (outcomes, Some(chip.spec.display_name()), None),
                Err(message) => return error_row(request, &name_cell, vendor, &message),
            },
            Err(message) => (
                undecided(request, standings, &name, vendor, &message),
                None,
                Some(message),
            ),
        },
    };
    if let Some(check) = request.party_check {
        check.apply(&row_parties(request, layout, record), &mut outcomes);
    }
    // A pure function of the row's cells, destination and date, so a cached
    // result stays right for every row it stands for.
    let licenses = request.gate.apply_licenses(request.rules, &mut outcomes);
    let reasons = outcomes
        .iter()
        .map(|o| reason(o, library_chip.as_deref(), miss.as_deref()))
        .collect();
    RowResult {
        name: name_cell,
        error: None,
        outcomes,
        reasons,
        licenses,
        encoded: Vec::new(),
    }
}

/// The command line's parties, each replaced by the row's cell for its role.
fn row_parties(
    request: &Request,
    layout: &Layout,
    record: &csv::ByteRecord,
) -> Vec<crate::screening::Party> {
    let own = layout.parties(record);
    let mut parties: Vec<_> = request
        .parties
        .iter()
        .filter(|p| !own.iter().any(|o| o.role == p.role))
        .cloned()
        .collect();
    parties.extend(own);
    parties.sort_by_key(|p| p.role);
    parties
}

/// Every cell must be UTF-8 text; the first that is not is named.
pub fn utf8_problem(layout: &Layout, record: &csv::ByteRecord) -> Option<String> {
    // Fast paths: ASCII (most catalogues) is valid in every cell; else the
    // whole record is valid and no cell starts inside a character, so every
    // cell is valid.
    if record.as_slice().is_ascii() {
        return None;
    }
    if std::str::from_utf8(record.as_slice()).is_ok()
        && record
            .iter()
            .all(|c| c.first().is_none_or(|b| b & 0xC0 != 0x80))
    {
        return None;
    }
    for (i, cell) in record.iter().enumerate() {
        if let Err(e) = std::str::from_utf8(cell) {
            let label = match layout.used.iter().find(|(_, c)| *c == i) {
                Some((f, c)) => layout.column_label(*f, *c),
                None => format!(
                    "column `{}`",
                    clip(layout.headers.get(i).map(String::as_str).unwrap_or("?"))
                ),
            };
            return Some(format!(
                "{label}: not UTF-8 text (invalid byte 0x{:02X} at offset {}); {}",
                cell.get(e.valid_up_to()).copied().unwrap_or(0),
                e.valid_up_to(),
                super::NOT_UTF8_HELP
            ));
        }
    }
    None
}
