//! Exact decimal figures.
//!
//! Thresholds are compared exactly, so figures are held as [`Decimal`], never
//! as `f64`. TOML hands numbers over as `i64` or `f64`; an `f64` is converted
//! through its shortest round-trip representation (Rust's `Display` for
//! `f64`). Two different decimal literals of at most 15 significant digits
//! never parse to the same `f64`, so for every literal of at most 15
//! significant digits the shortest round-trip text *is* that literal, and the
//! conversion is exact. Data-sheet figures have far fewer digits.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::fmt;
use std::str::FromStr;

/// A non-negative, finite figure read from input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Figure(pub Decimal);

impl Figure {
    pub fn value(self) -> Decimal {
        self.0
    }
}

/// Why a piece of text or a float is not an acceptable figure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FigureError {
    #[error("`{0}` is not a number")]
    NotANumber(String),
    #[error("{0} is not a finite number")]
    NotFinite(String),
    #[error("{0} is negative; figures must be zero or more")]
    Negative(String),
    #[error("{0} is too large; figures are limited to 10^15")]
    TooLarge(String),
    #[error("`{text}` {}", malformed_words(*.mark))]
    Malformed { text: String, mark: DecimalMark },
    #[error("`{text}` {}", ambiguous_words(*.mark))]
    Ambiguous { text: String, mark: DecimalMark },
    #[error(
        "`{text}` has {digits} significant digits: only a float's rounding writes that many \
         (599.9999999999999 for 600), and no data sheet has more than {MAX_SIGNIFICANT_DIGITS}; \
         round the figure"
    )]
    TooPrecise { text: String, digits: usize },
}

/// Figures are read to this many significant digits, as a spreadsheet keeps
/// them. A figure with more is a float's rounding (`599.9999999999999`), and
/// read exactly it would fall just short of a threshold it meets.
pub const MAX_SIGNIFICANT_DIGITS: usize = 15;

/// The significant digits of a value when it has more than
/// [`MAX_SIGNIFICANT_DIGITS`], trailing zeros left out (`600.000` has one,
/// `599.9999999999999` sixteen); None when it has no more.
fn too_many_digits(value: Decimal) -> Option<usize> {
    // Counted on the integer, not its text: this runs for every figure
    // read, and below 10^15 (every figure a data sheet prints) there is
    // nothing to count.
    const FIFTEEN_DIGITS: u128 = 1_000_000_000_000_000;
    let mut mantissa = value.mantissa().unsigned_abs();
    if mantissa < FIFTEEN_DIGITS {
        return None;
    }
    while mantissa % 10 == 0 {
        mantissa /= 10;
    }
    let digits = (mantissa.ilog10() as usize).saturating_add(1);
    (digits > MAX_SIGNIFICANT_DIGITS).then_some(digits)
}

/// Why a figure whose only separator is followed by exactly three digits
/// (`2.000`, or `2,000` with decimal commas) was refused.
fn ambiguous_words(mark: DecimalMark) -> &'static str {
    match mark {
        DecimalMark::Point => {
            "may be a decimal (2.000 = 2) or thousands grouped with a point (2.000 = 2000, as many \
             European sheets write it); write it without grouping (2 or 2000), or pass \
             --decimal-comma if the catalogue writes 1.979,5"
        }
        DecimalMark::Comma => {
            "may be a decimal comma (2,000 = 2) or thousands grouped with a comma (2,000 = \
             2000); write it without grouping (2 or 2000), or leave out --decimal-comma if the \
             catalogue writes 1,979.5"
        }
    }
}

/// Whether a figure written as text reads two ways: its one kind of
/// separator is the decimal mark, each followed by exactly three digits,
/// after one to three digits that are not a lone zero (`2.000`, `12.500`,
/// `1.000.000` with a point; `2,000` with a comma). `0.125` is a decimal.
pub fn is_ambiguous_grouping(text: &str, mark: DecimalMark) -> bool {
    let (decimal, _) = mark.chars();
    let text = text.trim();
    let mut groups = text.strip_prefix('+').unwrap_or(text).split(decimal);
    let Some(first) = groups.next() else {
        return false;
    };
    let rest: Vec<&str> = groups.collect();
    !rest.is_empty()
        && (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && first != "0"
        && rest
            .iter()
            .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// Why a figure's separators were refused, and what would be accepted.
fn malformed_words(mark: DecimalMark) -> &'static str {
    match mark {
        DecimalMark::Point => {
            "is not a well-formed number: a comma may only group thousands (1,979.5); \
             if the catalogue writes decimal commas (1.979,5), pass --decimal-comma"
        }
        DecimalMark::Comma => {
            "is not a well-formed number with a decimal comma: a point may only group \
             thousands (1.979,5)"
        }
    }
}

/// Converts a float from a parser to an exact decimal (see the module docs).
pub fn decimal_from_f64(value: f64) -> Result<Decimal, FigureError> {
    if !value.is_finite() {
        return Err(FigureError::NotFinite(value.to_string()));
    }
    // Before the decimal, which would round -1e-300 to zero.
    if value < 0.0 {
        return Err(FigureError::Negative(value.to_string()));
    }
    // Far beyond any figure: say so in scientific notation, not 301 digits.
    if value.abs() > 1e16 {
        return Err(FigureError::TooLarge(format!("{value:e}")));
    }
    let text = value.to_string();
    Decimal::from_str(&text).map_err(|_| FigureError::TooLarge(text))
}

/// Which character marks the decimals in a figure written as text; the other
/// one (`,` or `.`) may only group thousands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DecimalMark {
    /// `1,979.5`: the default, as chipcheck writes figures.
    #[default]
    Point,
    /// `1.979,5`: what spreadsheets write in most European locales.
    Comma,
}

impl DecimalMark {
    fn chars(self) -> (char, char) {
        match self {
            DecimalMark::Point => ('.', ','),
            DecimalMark::Comma => (',', '.'),
        }
    }
}

/// Parses a figure from text exactly (CSV cells, command-line values), with
/// a decimal point. See [`parse_figure_with`].
pub fn parse_figure(text: &str) -> Result<Figure, FigureError> {
    parse_figure_with(text, DecimalMark::Point)
}

/// Parses a figure from text exactly. Surrounding spaces are ignored; the
/// grouping character (`,` with a decimal point, `.` with a decimal comma)
/// is accepted only in well-formed thousands groups (`1,979.5`), so that
/// `989,4`, `1,97,9` or a decimal comma read as a point (`1.979,5`) are
/// refused rather than guessed at.
pub fn parse_figure_with(text: &str, mark: DecimalMark) -> Result<Figure, FigureError> {
    let trimmed = text.trim();
    // The common figure (`1979.5`): digits and at most one point, which
    // `ungrouped` would return as it is.
    let plain = !trimmed.is_empty()
        && trimmed.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && trimmed.bytes().filter(|&b| b == b'.').count() <= 1;
    if plain && mark == DecimalMark::Point {
        return match Decimal::from_str(trimmed) {
            Ok(value) => check_sign(value, trimmed),
            Err(_) => Err(FigureError::NotANumber(trimmed.to_string())),
        };
    }
    parse_any_figure(trimmed, mark)
}

/// [`parse_figure_with`] for any trimmed text: placeholders for infinity
/// refused, thousands groups checked and removed, scientific notation read.
fn parse_any_figure(trimmed: &str, mark: DecimalMark) -> Result<Figure, FigureError> {
    let lower = trimmed.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "nan" | "inf" | "+inf" | "-inf" | "infinity" | "-infinity"
    ) {
        return Err(FigureError::NotFinite(trimmed.to_string()));
    }
    let cleaned = ungrouped(trimmed, mark)?;
    let value = if cleaned.contains(['e', 'E']) {
        Decimal::from_scientific(&cleaned)
    } else {
        Decimal::from_str(&cleaned)
    }
    .map_err(|_| FigureError::NotANumber(trimmed.to_string()))?;
    check_sign(value, trimmed)
}

/// The figure with its thousands groups removed and a `.` decimal point,
/// or why its separators are not well formed.
fn ungrouped(text: &str, mark: DecimalMark) -> Result<String, FigureError> {
    let (decimal, group) = mark.chars();
    let malformed = || FigureError::Malformed {
        text: text.to_string(),
        mark,
    };
    let (int_part, frac_part) = match text.split_once(decimal) {
        Some((i, f)) => (i, Some(f)),
        None => (text, None),
    };
    if frac_part.is_some_and(|f| f.contains([decimal, group])) {
        return Err(malformed());
    }
    let mut out = String::with_capacity(text.len());
    if int_part.contains(group) {
        let digits = int_part.trim_start_matches(['+', '-']);
        let sign = &int_part[..int_part.len().saturating_sub(digits.len())];
        let mut groups = digits.split(group);
        let first = groups.next().unwrap_or_default();
        let well_formed = (1..=3).contains(&first.len())
            && first.bytes().all(|b| b.is_ascii_digit())
            && groups
                .clone()
                .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
        if !well_formed {
            return Err(malformed());
        }
        out.push_str(sign);
        out.push_str(first);
        groups.for_each(|g| out.push_str(g));
    } else {
        out.push_str(int_part);
    }
    if let Some(frac) = frac_part {
        out.push('.');
        out.push_str(frac);
    }
    Ok(out)
}

/// The largest figure accepted: 10^15 (a thousand times any chip's TOPS, die
/// area or bandwidth). Bounding inputs keeps every product and sum the engine
/// forms far inside `Decimal`'s range, so no arithmetic can overflow.
pub const MAX_FIGURE: Decimal = Decimal::from_parts(2_764_472_320, 232_830, 0, false, 0);

/// `value` as a figure: zero or more and at most [`MAX_FIGURE`]; `shown`
/// is how the input wrote it, for the message. Every figure read, from
/// text or from a number cell, passes here.
pub fn check_sign(value: Decimal, shown: &str) -> Result<Figure, FigureError> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(FigureError::Negative(shown.to_string()));
    }
    if value > MAX_FIGURE {
        return Err(FigureError::TooLarge(shown.to_string()));
    }
    if let Some(digits) = too_many_digits(value) {
        return Err(FigureError::TooPrecise {
            text: shown.to_string(),
            digits,
        });
    }
    Ok(Figure(value.normalize()))
}

impl<'de> Deserialize<'de> for Figure {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FigureVisitor;
        impl Visitor<'_> for FigureVisitor {
            type Value = Figure;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a non-negative number")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Figure, E> {
                check_sign(Decimal::from(v), &v.to_string()).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Figure, E> {
                check_sign(Decimal::from(v), &v.to_string()).map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Figure, E> {
                let d = decimal_from_f64(v).map_err(E::custom)?;
                check_sign(d, &v.to_string()).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(FigureVisitor)
    }
}

/// Formats a decimal for people: thousands grouped with commas, trailing
/// zeros dropped (`15831.20` -> `15,831.2`).
pub fn grouped(value: Decimal) -> String {
    let mut out = String::with_capacity(16);
    push_grouped(&mut out, value);
    out
}

/// [`grouped`], appended to `out`. Works on the mantissa's digits rather
/// than on `Decimal`'s `Display`, which explanations call for every figure
/// they print (it was a fifth of a row's cost in an audit).
pub fn push_grouped(out: &mut String, value: Decimal) {
    push_decimal(out, value, true);
}

/// A decimal as `Decimal`'s `Display` writes it normalised (`15831.2`),
/// without going through `Display` (machine output writes one per result).
pub fn plain(value: Decimal) -> String {
    let mut out = String::with_capacity(16);
    push_plain(&mut out, value);
    out
}

/// [`plain`], appended to `out`.
pub fn push_plain(out: &mut String, value: Decimal) {
    push_decimal(out, value, false);
}

/// The digits of `value` normalised, thousands grouped with commas when
/// `group`.
fn push_decimal(out: &mut String, value: Decimal, group: bool) {
    let normal = value.normalize();
    let mantissa = normal.mantissa();
    let scale = usize::try_from(normal.scale()).unwrap_or(usize::MAX);
    // u64's formatting is much faster than u128's; figures almost always fit.
    let digits = match u64::try_from(mantissa.unsigned_abs()) {
        Ok(small) => small.to_string(),
        Err(_) => mantissa.unsigned_abs().to_string(),
    };
    // Leading zeros so that a digit precedes the point (`0.05`).
    let pad = scale.saturating_add(1).saturating_sub(digits.len());
    let total = digits.len().saturating_add(pad);
    let int_len = total.saturating_sub(scale);
    if mantissa < 0 {
        out.push('-');
    }
    let all = std::iter::repeat_n('0', pad).chain(digits.chars());
    for (i, digit) in all.enumerate() {
        if i == int_len {
            out.push('.');
        } else if group && i > 0 && i < int_len && int_len.saturating_sub(i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
}

/// Rounds for display only (never for comparison).
pub fn rounded(value: Decimal, places: u32) -> Decimal {
    value
        .round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// `value` rounded to the fewest places (at least `min`) at which it still
/// compares with `threshold` as the exact figure does (`ordering`), so that a
/// printed comparison is true as printed; `None` if no rounding of `value`
/// does (it is itself a rounded quotient that lands on the wrong side).
pub fn rounded_keeping_order(
    value: Decimal,
    threshold: Decimal,
    ordering: std::cmp::Ordering,
    min: u32,
) -> Option<Decimal> {
    (min..=28)
        .map(|places| rounded(value, places))
        .find(|shown| shown.cmp(&threshold) == ordering)
}

/// `value` rounded for display, with `=` when that is exact and `≈` when
/// it is not (`= 5.92`, `≈ 5.92`).
pub fn equals_rounded(value: Decimal, places: u32) -> String {
    let shown = rounded(value, places);
    let sign = if shown == value.normalize() {
        '='
    } else {
        '≈'
    };
    format!("{sign} {}", grouped(shown))
}

/// A JSON-friendly float for machine output; comparisons never use it.
pub fn to_f64(value: Decimal) -> f64 {
    value.to_f64().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn a_figure_of_more_than_fifteen_significant_digits_is_refused() {
        // A float's rounding of 600: read exactly, TPP 4,799.99... < 4,800.
        for text in [
            "599.9999999999999",
            "4800.00000000000001",
            "0.1000000000000001",
        ] {
            assert!(
                matches!(parse_figure(text), Err(FigureError::TooPrecise { .. })),
                "{text}"
            );
        }
        // Trailing zeros are not digits a float wrote.
        for text in [
            "600.0000000000000000",
            "123456789012345",
            "1000000000000000",
        ] {
            assert!(parse_figure(text).is_ok(), "{text}");
        }
    }

    #[test]
    fn floats_convert_to_their_literal() {
        for lit in [
            "989.4", "1978.9", "0.585", "5.92", "3.2", "1.6", "494.7", "299.3", "0.1",
        ] {
            let f: f64 = lit.parse().unwrap();
            assert_eq!(decimal_from_f64(f).unwrap(), d(lit), "{lit}");
        }
    }

    #[test]
    fn rejects_non_finite() {
        assert!(decimal_from_f64(f64::NAN).is_err());
        // A negative number too small for a decimal is still negative.
        assert!(matches!(
            decimal_from_f64(-1e-300),
            Err(FigureError::Negative(_))
        ));
        assert!(is_ambiguous_grouping("+2.000", DecimalMark::Point));
        assert!(decimal_from_f64(f64::INFINITY).is_err());
        assert!(parse_figure("NaN").is_err());
        assert!(parse_figure("inf").is_err());
    }

    #[test]
    fn parses_text_exactly() {
        assert_eq!(parse_figure(" 1,978.9 ").unwrap().value(), d("1978.9"));
        assert_eq!(parse_figure("1,234,567").unwrap().value(), d("1234567"));
        assert_eq!(parse_figure("1e3").unwrap().value(), d("1000"));
        assert!(matches!(parse_figure("-1"), Err(FigureError::Negative(_))));
        assert!(matches!(
            parse_figure("abc"),
            Err(FigureError::NotANumber(_))
        ));
        assert!(matches!(parse_figure(""), Err(FigureError::NotANumber(_))));
        assert_eq!(parse_figure("-0").unwrap().value(), Decimal::ZERO);
    }

    #[test]
    fn separators_are_only_thousands_groups() {
        for bad in [
            "989,4", "1,97,9", "1.979,5", ",5", "1,", "1,0000", "1,000,00", "1.2.3", "1,a00",
        ] {
            assert!(
                matches!(parse_figure(bad), Err(FigureError::Malformed { .. })),
                "{bad}: {:?}",
                parse_figure(bad)
            );
        }
        let comma = |t: &str| parse_figure_with(t, DecimalMark::Comma);
        assert_eq!(comma("1.979,5").unwrap().value(), d("1979.5"));
        assert_eq!(comma("989,4").unwrap().value(), d("989.4"));
        assert_eq!(comma("1.979").unwrap().value(), d("1979"));
        assert_eq!(comma("12").unwrap().value(), d("12"));
        for bad in ["1,979.5", "1.97.9", "1,2,3", "1.5"] {
            assert!(comma(bad).is_err(), "{bad}");
        }
        let e = parse_figure("1.979,5").unwrap_err().to_string();
        assert!(e.contains("--decimal-comma"), "{e}");
    }

    #[test]
    fn figures_are_bounded() {
        assert_eq!(MAX_FIGURE, Decimal::from(1_000_000_000_000_000_u64));
        assert!(parse_figure("1000000000000000").is_ok());
        assert!(matches!(
            parse_figure("1000000000000001"),
            Err(FigureError::TooLarge(_))
        ));
        assert!(parse_figure("1e300").is_err());
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(grouped(d("15831.20")), "15,831.2");
        assert_eq!(grouped(d("4800")), "4,800");
        assert_eq!(grouped(d("999")), "999");
        assert_eq!(grouped(d("1234567.5")), "1,234,567.5");
        assert_eq!(grouped(d("-1000")), "-1,000");
    }

    /// The grouping of `Decimal`'s own text, as `grouped` once was: the
    /// reference the digit-based version must agree with.
    fn grouped_by_display(value: Decimal) -> String {
        let text = value.normalize().to_string();
        let (sign, digits) = match text.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", text.as_str()),
        };
        let (int_part, frac_part) = match digits.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (digits, None),
        };
        let mut out = sign.to_string();
        for (i, ch) in int_part.chars().enumerate() {
            if i > 0 && (int_part.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(ch);
        }
        if let Some(frac) = frac_part {
            out.push('.');
            out.push_str(frac);
        }
        out
    }

    #[test]
    fn grouped_edges() {
        for (text, want) in [
            ("0", "0"),
            ("-0", "0"),
            ("0.5", "0.5"),
            ("-0.05", "-0.05"),
            ("0.000", "0"),
            ("100", "100"),
            ("1000", "1,000"),
            ("123456", "123,456"),
            ("-1234567.890", "-1,234,567.89"),
            (
                "79228162514264337593543950335",
                "79,228,162,514,264,337,593,543,950,335",
            ),
            (
                "0.0000000000000000000000000001",
                "0.0000000000000000000000000001",
            ),
        ] {
            assert_eq!(grouped(d(text)), want, "{text}");
        }
    }

    proptest::proptest! {
        /// The fast path for plain figures reads them as the general path does.
        #[test]
        fn plain_figures_read_as_the_general_path_reads_them(text in "[ ]?[0-9.]{0,14}[ ]?") {
            let fast = format!("{:?}", super::parse_figure_with(&text, DecimalMark::Point));
            let general = format!("{:?}", super::parse_any_figure(text.trim(), DecimalMark::Point));
            proptest::prop_assert_eq!(fast, general);
        }

        #[test]
        fn grouped_agrees_with_the_display_reference(mantissa: i64, scale in 0u32..=28) {
            let value = Decimal::new(mantissa, scale.min(18));
            proptest::prop_assert_eq!(grouped(value), grouped_by_display(value));
        }

        #[test]
        fn plain_is_the_normalised_display(mantissa: i64, scale in 0u32..=18) {
            let value = Decimal::new(mantissa, scale);
            proptest::prop_assert_eq!(plain(value), value.normalize().to_string());
        }

        #[test]
        fn grouped_agrees_on_wide_mantissas(hi: i64, lo: u64, scale in 0u32..=28) {
            let mantissa = (i128::from(hi) << 32) ^ i128::from(lo);
            if let Ok(value) = Decimal::try_from_i128_with_scale(mantissa, scale) {
                proptest::prop_assert_eq!(grouped(value), grouped_by_display(value));
            }
        }
    }

    #[test]
    fn rounding_keeps_the_order_with_a_threshold() {
        use std::cmp::Ordering::*;
        let keep = |v: &str, t: &str, o| rounded_keeping_order(d(v), d(t), o, 4);
        assert_eq!(keep("5.91999", "5.92", Less), Some(d("5.91999")));
        assert_eq!(keep("5.9200001", "5.92", Greater), Some(d("5.9200001")));
        assert_eq!(keep("5.92", "5.92", Equal), Some(d("5.92")));
        assert_eq!(keep("6.4", "5.92", Greater), Some(d("6.4")));
        assert_eq!(keep("1.234567", "1.2", Greater), Some(d("1.2346")));
        // A quotient rounded onto the threshold although the exact one is below.
        assert_eq!(keep("5.92", "5.92", Less), None);
        assert_eq!(equals_rounded(d("5.92"), 4), "= 5.92");
        assert_eq!(equals_rounded(d("5.91999"), 4), "≈ 5.92");
    }

    #[test]
    fn decimal_sums_are_exact_where_floats_are_not() {
        // 0.1 + 0.2 == 0.3 only in exact arithmetic.
        assert_eq!(d("0.1") + d("0.2"), d("0.3"));
        assert_ne!(0.1_f64 + 0.2_f64, 0.3_f64);
    }
}
