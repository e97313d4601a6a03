//! The pieces every format shares: the one-line summary of a result, the
//! CSV result cells, spreadsheet-safe CSV quoting, terminal-safe text, the
//! footer naming tool and rules.

use crate::engine::Outcome;
use crate::number::{grouped, rounded};
use crate::rules::RuleSet;
use crate::verdict::Verdict;

/// The one-line summary of a result (every report that names a result in a
/// line: CSV `reason`, SARIF, JUnit, GitHub): chip, destination, verdict, paragraphs,
/// TPP, what follows from the verdict, and the rule.
pub fn summary_line(o: &Outcome) -> String {
    let to = o
        .destination
        .as_deref()
        .map(|d| format!(" to {d}"))
        .unwrap_or_default();
    let paras = if o.paragraphs.is_empty() {
        String::new()
    } else {
        format!(" ({})", o.paragraphs.join(", "))
    };
    let tpp = tpp_shown(o)
        .map(|t| format!(", TPP {t}"))
        .unwrap_or_default();
    let extra = match o.verdict {
        Verdict::LicenseRequired => o
            .review_policy
            .map(|p| format!("; {}", p.words()))
            .unwrap_or_default(),
        Verdict::LicenseException => format!(
            "; License Exception {}",
            o.exceptions
                .iter()
                .map(|e| if e.notification_required {
                    format!("{} (prior notification)", e.id)
                } else {
                    e.id.clone()
                })
                .collect::<Vec<_>>()
                .join(" or ")
        ),
        // No field settles a fact no source dates: the line names it.
        Verdict::Indeterminate if o.settle_with.is_empty() && !o.uncertain_facts.is_empty() => {
            format!("; it turns on {}", o.uncertain_facts.join("; "))
        }
        Verdict::Indeterminate if o.settle_with.is_empty() => {
            "; give more figures to settle it".into()
        }
        Verdict::Indeterminate => format!("; give {} to settle it", o.settle_with.join(", ")),
        _ => String::new(),
    };
    format!(
        "{}{to}: {}{paras}{tpp}{extra} [{}]",
        o.chip,
        o.verdict,
        o.rule.clone().unwrap_or_else(|| "-".into())
    )
}

/// The cells every CSV report gives for a result, in this order: verdict,
/// paragraphs, TPP, performance density, review policy, exceptions, rule.
/// One place, so that `classify --format csv` and `audit --format csv` agree.
pub fn verdict_cells(o: &Outcome) -> [String; 7] {
    let mut cells: [String; 7] = Default::default();
    let mut next = cells.iter_mut();
    each_verdict_cell(o, |text| {
        if let Some(cell) = next.next() {
            cell.push_str(text);
        }
    });
    cells
}

/// [`verdict_cells`] handed to `cell` one at a time, in order, from one
/// scratch buffer: what an audit writes for every result, with no string
/// kept.
pub fn each_verdict_cell(o: &Outcome, mut cell: impl FnMut(&str)) {
    fn joined<'s>(text: &mut String, items: impl Iterator<Item = &'s str>) {
        text.clear();
        for (i, item) in items.enumerate() {
            if i > 0 {
                text.push_str(", ");
            }
            text.push_str(item);
        }
    }
    let mut text = String::with_capacity(32);
    cell(o.verdict.name());
    joined(&mut text, o.paragraphs.iter().map(String::as_str));
    cell(&text);
    text.clear();
    if let Some(tpp) = o.tpp {
        // A floor is not the figure: a reader of the column must not take
        // it for one.
        if o.tpp_at_least {
            text.push_str(">=");
        }
        crate::number::push_plain(&mut text, tpp);
    }
    cell(&text);
    text.clear();
    if let Some(pd) = o.performance_density {
        if o.tpp_at_least {
            text.push_str(">=");
        }
        crate::number::push_plain(&mut text, rounded(pd, 6));
    }
    cell(&text);
    cell(o.review_policy.map(|p| p.name()).unwrap_or_default());
    joined(&mut text, o.exceptions.iter().map(|e| e.id.as_str()));
    cell(&text);
    cell(o.rule.as_deref().unwrap_or_default());
}

/// Spreadsheets run a cell that starts with one of these as a formula.
fn needs_neutralising(cell: &[u8]) -> bool {
    matches!(
        cell.first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// Bytes that make a CSV cell need quotes.
const QUOTED: [bool; 256] = {
    let mut t = [false; 256];
    t[b'"' as usize] = true;
    t[b',' as usize] = true;
    t[b'\n' as usize] = true;
    t[b'\r' as usize] = true;
    t
};

/// Appends one CSV cell: quoted when it must be, and neutralised (a leading
/// `'`) when a spreadsheet would read it as a formula. The only CSV cell
/// writer: every CSV report goes through it.
pub fn push_csv_cell(buf: &mut Vec<u8>, cell: &[u8]) {
    let neutralise = needs_neutralising(cell);
    let quote = cell.iter().any(|&b| QUOTED[b as usize]);
    if !quote && !neutralise {
        buf.extend_from_slice(cell);
        return;
    }
    if quote {
        buf.push(b'"');
    }
    if neutralise {
        buf.push(b'\'');
    }
    if quote {
        let mut rest = cell;
        while let Some(i) = rest.iter().position(|&b| b == b'"') {
            buf.extend_from_slice(&rest[..=i]);
            buf.push(b'"');
            rest = &rest[i.saturating_add(1)..];
        }
        buf.extend_from_slice(rest);
        buf.push(b'"');
    } else {
        buf.extend_from_slice(cell);
    }
}

/// One CSV record of text cells, ended by a newline.
pub fn push_csv_record<S: AsRef<str>>(buf: &mut Vec<u8>, cells: &[S]) {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        push_csv_cell(buf, c.as_ref().as_bytes());
    }
    buf.push(b'\n');
}

/// A spreadsheet-safe cell as text (for tests and callers without a buffer).
pub fn safe_cell(text: &str) -> String {
    let mut buf = Vec::new();
    push_csv_cell(&mut buf, text.as_bytes());
    String::from_utf8_lossy(&buf).into_owned()
}

pub fn push_number(buf: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i = i.saturating_sub(1);
        digits[i] = b'0'.wrapping_add((n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[i..]);
}

/// One line of text for a terminal: every control character (escape
/// sequences, carriage returns, tabs, C1 controls) shown as U+FFFD, so text
/// from an input can neither move the cursor nor overwrite a verdict.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

/// Lines of text for a terminal: as [`printable`], but line feeds are kept.
/// Everything a human format prints passes through here or [`printable`].
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\n') {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// A path or name as a URI reference (RFC 3986): unreserved characters and
/// `/` as they are, every other byte percent-encoded, so a file called
/// `a b#1.toml` or one holding control characters is still a valid URI.
pub fn uri_path(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The first 12 hex digits of a `sha256:` hash.
pub fn short_hash(hash: &str) -> &str {
    let body = hash.strip_prefix("sha256:").unwrap_or(hash);
    body.get(..12).unwrap_or(body)
}

/// The last line of a table: tool version and rules.
pub fn footer(rules: &RuleSet) -> String {
    format!(
        "\nchipcheck {} · rules {} ({})\n",
        crate::VERSION,
        rules.origin,
        short_hash(&rules.hash)
    )
}

/// A delimiter as people write it.
pub fn delimiter_name(d: u8) -> String {
    match d {
        b',' => "`,` (comma)".into(),
        b';' => "`;` (semicolon)".into(),
        b'\t' => "tab".into(),
        b'|' => "`|` (pipe)".into(),
        other => format!("`{}`", char::from(other)),
    }
}

/// Where a result points, as a URI reference (SARIF's `uri`, JUnit's
/// `file`): its spec file, the library chip, or the catalogue.
pub fn artifact(run: &super::Run<'_>, o: &Outcome) -> String {
    let path = match run.catalogue {
        Some(catalogue) => catalogue.replace('\\', "/"),
        None if o.input == "library" => format!("chipcheck-library/{}", o.chip),
        None => o.input.replace('\\', "/"),
    };
    uri_path(&path)
}

/// How a sheet is named in a position: `Sheet1`, or `'Price list'` when the
/// name is not a plain word (as spreadsheets write references).
pub fn sheet_label(name: &str) -> String {
    if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// Where a catalogue result is: `line 12`, or `Sheet1!row 12` when the
/// catalogue is a spreadsheet.
pub fn position(run: &super::Run<'_>, line: u64) -> String {
    match run.sheet {
        Some(sheet) => format!("{}!row {line}", sheet_label(sheet)),
        None => format!("line {line}"),
    }
}

/// TPP as people read it: grouped, and `at least` when it is a floor (a
/// precision's figure not given or not known); `None` when unknown.
pub fn tpp_shown(o: &crate::engine::Outcome) -> Option<String> {
    o.tpp.map(|t| at_least(o, grouped(t)))
}

/// A figure worked out from the TPP, as people read it: `at least` when the
/// TPP is a floor.
pub fn at_least(o: &crate::engine::Outcome, shown: String) -> String {
    if o.tpp_at_least {
        format!("at least {shown}")
    } else {
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_quoted_once() {
        assert_eq!(safe_cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(safe_cell("-5"), "'-5");
        assert_eq!(safe_cell("H100"), "H100");
        assert_eq!(safe_cell("=a,b"), "\"'=a,b\"");
        assert_eq!(safe_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
