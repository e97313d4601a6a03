//! One catalogue cell read as what its column holds.
//!
//! Spreadsheets mark a figure nobody knows in many ways; those words are
//! read as unknown (exactly like an empty cell), never as zero and never
//! as an error. Anything else that is not a well-formed figure or yes/no
//! is an error naming the cell.

use crate::number::{parse_figure_with, DecimalMark, FigureError};

/// Is the (trimmed) cell a placeholder for an unknown value (`N/A`, `TBD`,
/// `-`)? The one list, in [`crate::library::is_placeholder`].
pub fn is_placeholder(text: &str) -> bool {
    crate::library::is_placeholder(text)
}

/// Is the cell empty or a placeholder, i.e. unknown?
pub fn is_unknown(text: &str) -> bool {
    text.trim().is_empty() || is_placeholder(text)
}

/// A figure cell: `Ok(None)` when unknown, the figure, or why it is not one.
pub fn figure(text: &str, mark: DecimalMark) -> Result<Option<rust_decimal::Decimal>, FigureError> {
    if is_unknown(text) {
        return Ok(None);
    }
    parse_figure_with(text, mark).map(|f| Some(f.value()))
}

/// [`figure`], refusing one that reads two ways: `2.000` may be two or two
/// thousand, so the row is an error rather than a guess (a guess of 2
/// cleared a controlled chip). A comma may group thousands in any file;
/// a point only where `point_groups` says (a file separated by anything
/// but commas, as spreadsheets export where the decimal mark is a comma, or
/// a spreadsheet's text cell): in a comma-separated file `1.500` TB/s is
/// plainly a decimal.
pub fn figure_read_one_way(
    text: &str,
    mark: DecimalMark,
    point_groups: bool,
) -> Result<Option<rust_decimal::Decimal>, FigureError> {
    let checked = mark == DecimalMark::Comma || point_groups;
    if checked && crate::number::is_ambiguous_grouping(text, mark) {
        return Err(FigureError::Ambiguous {
            text: text.trim().to_string(),
            mark,
        });
    }
    figure(text, mark)
}

/// A yes/no cell: true/false, yes/no, 1/0, y/n (any case).
pub fn boolean(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "y" => Some(true),
        "false" | "no" | "0" | "n" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_unknown() {
        for p in [
            "N/A",
            "n/a",
            "NA",
            "-",
            "—",
            "TBD",
            "?",
            "unknown",
            " Unknown ",
            "",
        ] {
            assert_eq!(figure(p, DecimalMark::Point), Ok(None), "{p}");
        }
        assert!(figure("n/a/b", DecimalMark::Point).is_err());
        assert!(figure("--", DecimalMark::Point).is_err());
    }

    #[test]
    fn a_figure_that_reads_two_ways_is_refused() {
        for t in ["2.000", "12.500", "1.000.000", " 989.400 "] {
            assert!(
                matches!(
                    figure_read_one_way(t, DecimalMark::Point, true),
                    Err(FigureError::Ambiguous { .. })
                ),
                "{t}"
            );
        }
        for t in ["2,000", "1,979"] {
            assert!(
                matches!(
                    figure_read_one_way(t, DecimalMark::Comma, false),
                    Err(FigureError::Ambiguous { .. })
                ),
                "{t}"
            );
        }
        // A point outside a semicolon-separated file is a decimal point.
        assert!(figure_read_one_way("1.500", DecimalMark::Point, false).is_ok());
        // One reading only: a lone zero, other digit counts, both marks.
        for t in ["0.125", "2.5", "2.0000", "1,979.500", "2000", "2,000"] {
            assert!(
                figure_read_one_way(t, DecimalMark::Point, true).is_ok(),
                "{t}"
            );
        }
        for t in ["0,125", "1.979,5", "2.000"] {
            assert!(
                figure_read_one_way(t, DecimalMark::Comma, false).is_ok(),
                "{t}"
            );
        }
    }

    #[test]
    fn figures_follow_the_decimal_mark() {
        let d = |s: &str| Some(s.parse::<rust_decimal::Decimal>().unwrap());
        assert_eq!(figure("1,979.5", DecimalMark::Point), Ok(d("1979.5")));
        assert_eq!(figure("1.979,5", DecimalMark::Comma), Ok(d("1979.5")));
        assert!(figure("989,4", DecimalMark::Point).is_err());
    }
}
