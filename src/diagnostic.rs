//! Errors that point into the input: file, line, column, the offending text
//! and, where one is near, the name that was probably meant.

use std::fmt;
use std::ops::Range;

/// One located problem in an input file (a spec sheet, a rule file, a
/// catalogue row). Boxed, so that `Result<_, Diagnostic>` stays small on the
/// happy path; its fields read through `Deref`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic(Box<Located>);

/// What a [`Diagnostic`] holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub path: String,
    pub line: usize,
    pub column: usize,
    /// The key or field at fault, dotted (`compute.fp16`), when known.
    pub field: Option<String>,
    pub message: String,
    pub help: Option<String>,
    /// The source line the problem sits on, and the span under it.
    pub snippet: Option<(String, usize, usize)>,
}

impl std::ops::Deref for Diagnostic {
    type Target = Located;
    fn deref(&self) -> &Located {
        &self.0
    }
}

impl std::ops::DerefMut for Diagnostic {
    fn deref_mut(&mut self) -> &mut Located {
        &mut self.0
    }
}

impl Diagnostic {
    pub fn new(path: &str, message: impl Into<String>) -> Self {
        Diagnostic(Box::new(Located {
            path: path.to_string(),
            line: 0,
            column: 0,
            field: None,
            message: message.into(),
            help: None,
            snippet: None,
        }))
    }

    /// Locates the diagnostic at a byte span of `source`.
    pub fn at(mut self, source: &str, span: Option<Range<usize>>) -> Self {
        if let Some(span) = span {
            let start = span.start.min(source.len());
            let (line, column, text, line_start) = locate(source, start);
            self.line = line;
            self.column = column;
            // The line's text has its CR trimmed, so an error on that CR
            // starts past the text: keep the bounds ordered.
            let line_end = line_start.saturating_add(text.len()).max(start);
            let end = span.end.clamp(start, line_end);
            let width = source
                .get(start..end)
                .map(|s| s.chars().count())
                .unwrap_or(1)
                .max(1);
            self.snippet = Some(window(text, column, width));
        }
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_line(mut self, line: usize) -> Self {
        self.line = line;
        self
    }
}

/// The longest source line shown in a snippet; a longer line is cut to a
/// window around the column, so an error on a megabyte line stays readable.
const SNIPPET_CHARS: usize = 120;

/// The part of a line to show, and the caret's column and width within it.
fn window(text: &str, column: usize, width: usize) -> (String, usize, usize) {
    let chars = text.chars().count();
    if chars <= SNIPPET_CHARS {
        return (text.to_string(), column, width.min(SNIPPET_CHARS));
    }
    let start = column.saturating_sub(1).saturating_sub(SNIPPET_CHARS / 3);
    let shown: String = text.chars().skip(start).take(SNIPPET_CHARS).collect();
    let lead = if start > 0 { "…" } else { "" };
    let tail = if start.saturating_add(SNIPPET_CHARS) < chars {
        "…"
    } else {
        ""
    };
    let caret = column
        .saturating_sub(start)
        .saturating_add(lead.chars().count());
    let room = SNIPPET_CHARS.saturating_sub(caret.saturating_sub(1)).max(1);
    (format!("{lead}{shown}{tail}"), caret, width.min(room))
}

/// 1-based line and column (in characters) of a byte offset, with the line's
/// text and its byte offset.
fn locate(source: &str, offset: usize) -> (usize, usize, &str, usize) {
    let mut line_start = 0;
    let mut line_no: usize = 1;
    for (i, ch) in source.char_indices() {
        if i >= offset {
            break;
        }
        if ch == '\n' {
            line_start = i.saturating_add(1);
            line_no = line_no.saturating_add(1);
        }
    }
    let rest = &source[line_start..];
    let text = rest.split('\n').next().unwrap_or("").trim_end_matches('\r');
    let column = source
        .get(line_start..offset)
        .map(|s| s.chars().count())
        .unwrap_or(0)
        .saturating_add(1);
    (line_no, column, text, line_start)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(field) = &self.field {
            if !self.message.contains(field.as_str()) {
                write!(f, " (field `{field}`)")?;
            }
        }
        if self.line > 0 {
            write!(f, "\n  --> {}:{}:{}", self.path, self.line, self.column)?;
        } else {
            write!(f, "\n  --> {}", self.path)?;
        }
        if let Some((text, column, width)) = &self.snippet {
            let gutter = self.line.to_string().len();
            let pad = " ".repeat(gutter);
            write!(f, "\n{pad} |\n{} | {}", self.line, text)?;
            write!(
                f,
                "\n{pad} | {}{}",
                " ".repeat(column.saturating_sub(1)),
                "^".repeat(*width)
            )?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// The closest candidate to `input`, if it is close enough to be a likely
/// slip (`datacentre` -> `datacenter`).
pub fn did_you_mean<'a, I>(input: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let needle = input.to_ascii_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let lower = candidate.to_ascii_lowercase();
        // Jaro-Winkler suits long names; short ones (`ttp` for `tpp`) are
        // judged by edit distance: one slip per three characters.
        let edits = strsim::levenshtein(&needle, &lower);
        let close = edits <= (lower.chars().count() / 3).max(1);
        let score = strsim::jaro_winkler(&needle, &lower).max(if close { 0.8 } else { 0.0 });
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, candidate));
        }
    }
    best.filter(|(score, _)| *score >= 0.8)
        .map(|(_, c)| c.to_string())
}

/// Turns a TOML/serde error into a located diagnostic, adding a
/// did-you-mean for unknown keys and variants.
pub fn from_toml_error(path: &str, source: &str, error: &toml::de::Error) -> Diagnostic {
    let message = error.message().trim().to_string();
    let mut diagnostic = Diagnostic::new(path, message.clone()).at(source, error.span());
    if let Some((unknown, expected)) = parse_unknown(&message) {
        let candidates: Vec<&str> = expected.iter().map(String::as_str).collect();
        diagnostic.help = Some(match did_you_mean(&unknown, candidates.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("expected one of: {}", expected.join(", ")),
        });
        diagnostic.field = Some(unknown);
    } else if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|s| s.split('`').next())
    {
        diagnostic.field = Some(field.to_string());
    }
    diagnostic
}

/// Parses serde's "unknown field `x`, expected one of `a`, `b`" (and the
/// `variant` form) into the unknown name and the expected names.
fn parse_unknown(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (unknown, tail) = rest.split_once('`')?;
    let expected: Vec<String> = tail
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s.to_string())
        .collect();
    Some((unknown.to_string(), expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_are_suggested() {
        let keys = ["name", "vendor", "datacenter", "compute", "die", "io"];
        assert_eq!(did_you_mean("datacentre", keys), Some("datacenter".into()));
        assert_eq!(did_you_mean("vendr", keys), Some("vendor".into()));
        assert_eq!(did_you_mean("zzzzzz", keys), None);
        assert_eq!(
            did_you_mean("ttp", ["tpp", "datacenter"]),
            Some("tpp".into())
        );
    }

    #[test]
    fn locates_line_and_column() {
        let src = "a = 1\nbb = 2\n";
        let d = Diagnostic::new("x.toml", "bad").at(src, Some(6..8));
        assert_eq!((d.line, d.column), (2, 1));
        let shown = d.to_string();
        assert!(shown.contains("x.toml:2:1"), "{shown}");
        assert!(shown.contains("^^"), "{shown}");
    }

    #[test]
    fn parses_serde_unknown_field() {
        let (u, e) =
            parse_unknown("unknown field `datacentre`, expected one of `name`, `datacenter`")
                .unwrap();
        assert_eq!(u, "datacentre");
        assert_eq!(e, vec!["name", "datacenter"]);
    }
}
