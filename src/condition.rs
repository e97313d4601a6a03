//! Rule conditions: `"tpp >= 4800"`, `"performance_density < 5.92"`,
//! `"datacenter == false"`. A deliberately small language: one metric, one
//! comparison, one literal. Thresholds are exact decimals.

use crate::metrics::{Metric, MetricKind, Metrics, Value};
use crate::number::push_grouped;
use crate::truth::Truth;
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Op {
    Ge,
    Gt,
    Le,
    Lt,
    Eq,
    Ne,
}

impl Op {
    fn symbol(self) -> &'static str {
        match self {
            Op::Ge => ">=",
            Op::Gt => ">",
            Op::Le => "<=",
            Op::Lt => "<",
            Op::Eq => "==",
            Op::Ne => "!=",
        }
    }

    fn holds(self, ordering: Ordering) -> bool {
        match self {
            Op::Ge => ordering != Ordering::Less,
            Op::Gt => ordering == Ordering::Greater,
            Op::Le => ordering != Ordering::Greater,
            Op::Lt => ordering == Ordering::Less,
            Op::Eq => ordering == Ordering::Equal,
            Op::Ne => ordering != Ordering::Equal,
        }
    }

    fn negated(self) -> Op {
        match self {
            Op::Ge => Op::Lt,
            Op::Gt => Op::Le,
            Op::Le => Op::Gt,
            Op::Lt => Op::Ge,
            Op::Eq => Op::Ne,
            Op::Ne => Op::Eq,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Literal {
    Number(Decimal),
    Bool(bool),
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Condition {
    pub metric: Metric,
    pub op: Op,
    pub literal: Literal,
}

/// The result of testing one condition. The sentence saying why is written
/// only when asked for ([`Tested::explanation`]): most conditions tested
/// are never explained (a paragraph that is not met, when another is).
#[derive(Clone, Debug)]
pub struct Tested<'c> {
    pub truth: Truth,
    /// The metric, when the condition could not be decided for want of it.
    pub unknown: Option<Metric>,
    condition: &'c Condition,
    /// What was compared, or why the value is unknown.
    seen: Seen,
}

#[derive(Clone, Debug)]
enum Seen {
    Compared {
        value: Value,
        ordering: Option<Ordering>,
        holds: bool,
        /// The value is a floor (see `Metrics::tpp_at_least`) that settles
        /// the test.
        at_least: bool,
    },
    /// The metric is unknown; the reason it is, when one is known.
    Unknown(Option<&'static str>),
    /// The value is a floor that does not settle the test.
    Floor(Value),
}

impl Tested<'_> {
    /// The sentence: `TPP 4,800 >= 4,800`, `datacenter = false`, or why it
    /// could not be decided.
    pub fn explanation(&self) -> String {
        let mut text = String::with_capacity(64);
        self.push_explanation(&mut text);
        text
    }

    /// [`Tested::explanation`], appended to `out`: a paragraph's sentence
    /// is written from its conditions' without a string for each.
    pub fn push_explanation(&self, out: &mut String) {
        let c = self.condition;
        match &self.seen {
            Seen::Unknown(reason) => {
                out.push_str(c.metric.label());
                out.push_str(" is unknown");
                if let Some(r) = reason {
                    out.push_str(" (");
                    out.push_str(r);
                    out.push(')');
                }
                out.push_str(", so `");
                out.push_str(&c.to_string());
                out.push_str("` cannot be decided");
            }
            Seen::Compared {
                value: Value::Bool(b),
                ..
            } => {
                out.push_str(c.metric.name());
                out.push_str(" = ");
                out.push_str(if *b { "true" } else { "false" });
            }
            Seen::Floor(value) => {
                out.push_str(c.metric.label());
                out.push_str(" is at least ");
                push_value(out, *value, c.literal, None);
                // True of both reasons a TPP is a floor: only 32- and 64-bit
                // figures given, or a precision's figure not known.
                out.push_str(" (a precision the figures leave out may give more), so `");
                out.push_str(&c.to_string());
                out.push_str("` cannot be decided");
            }
            Seen::Compared {
                value,
                ordering,
                holds,
                at_least,
            } => {
                let shown_op = if *holds { c.op } else { c.op.negated() };
                out.push_str(c.metric.label());
                // A floor is shown exactly (a rounded one could overstate it).
                let (said, ordering) = if *at_least {
                    (" of at least ", None)
                } else {
                    (" ", *ordering)
                };
                out.push_str(said);
                push_value(out, *value, c.literal, ordering);
                out.push(' ');
                out.push_str(shown_op.symbol());
                out.push(' ');
                push_literal(out, c.literal);
            }
        }
    }
}

impl Condition {
    pub fn parse(text: &str) -> Result<Condition, String> {
        let text = text.trim();
        let ops = [
            (">=", Op::Ge),
            ("<=", Op::Le),
            ("==", Op::Eq),
            ("!=", Op::Ne),
            (">", Op::Gt),
            ("<", Op::Lt),
        ];
        let (position, symbol, op) = ops
            .iter()
            .filter_map(|(s, op)| text.find(s).map(|i| (i, *s, *op)))
            .min_by_key(|(i, s, _)| (*i, std::cmp::Reverse(s.len())))
            .ok_or_else(|| format!("`{text}` has no comparison; write it like `tpp >= 4800`"))?;
        let name = text.get(..position).unwrap_or("").trim();
        let literal_text = text
            .get(position.saturating_add(symbol.len())..)
            .unwrap_or("")
            .trim();
        let metric = Metric::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
            match crate::diagnostic::did_you_mean(name, names.iter().copied()) {
                Some(near) => format!("unknown metric `{name}`; did you mean `{near}`?"),
                None => format!("unknown metric `{name}`; metrics: {}", names.join(", ")),
            }
        })?;
        let literal = match metric.kind() {
            MetricKind::Bool => match literal_text {
                "true" => Literal::Bool(true),
                "false" => Literal::Bool(false),
                _ => return Err(format!("`{name}` is true or false, not `{literal_text}`")),
            },
            MetricKind::Number => Decimal::from_str(literal_text)
                .map(Literal::Number)
                .map_err(|_| format!("`{literal_text}` is not a number (in `{text}`)"))?,
        };
        if metric.kind() == MetricKind::Bool && !matches!(op, Op::Eq | Op::Ne) {
            return Err(format!("`{name}` can only be compared with == or !="));
        }
        Ok(Condition {
            metric,
            op,
            literal,
        })
    }

    pub fn test(&self, metrics: &Metrics) -> Tested<'_> {
        let Some(value) = metrics.get(self.metric) else {
            let reason = match (self.metric, &metrics.density_unknown_because) {
                (Metric::PerformanceDensity, Some(reason)) => Some(*reason),
                _ => None,
            };
            return Tested {
                truth: Truth::Unknown,
                unknown: Some(self.metric),
                condition: self,
                seen: Seen::Unknown(reason),
            };
        };
        // How the value compares with the literal, exactly; None for a
        // mismatch of kinds, which never holds.
        let ordering = match (value, self.literal) {
            (Value::Number(n), Literal::Number(t)) => Some(n.cmp(&t)),
            (
                Value::Ratio {
                    numerator,
                    denominator,
                },
                Literal::Number(t),
            ) => {
                // numerator / denominator  <op>  t   <=>   numerator <op> t x denominator
                // (denominator > 0), which is exact in decimal arithmetic.
                match t.checked_mul(denominator) {
                    Some(scaled) => Some(numerator.cmp(&scaled)),
                    None => Some(Ordering::Less),
                }
            }
            (Value::Bool(b), Literal::Bool(t)) => Some(b.cmp(&t)),
            _ => None,
        };
        let holds = ordering.is_some_and(|o| self.op.holds(o));
        let at_least =
            metrics.tpp_at_least && matches!(self.metric, Metric::Tpp | Metric::PerformanceDensity);
        // A floor settles what holds at it and above (`>=` met, `<` failed);
        // anything else waits for the figures that would raise it.
        let settled = match self.op {
            Op::Ge | Op::Gt => holds,
            Op::Le | Op::Lt => !holds,
            Op::Eq | Op::Ne => false,
        };
        if at_least && !settled {
            return Tested {
                truth: Truth::Unknown,
                unknown: Some(Metric::Tpp),
                condition: self,
                seen: Seen::Floor(value),
            };
        }
        Tested {
            truth: Truth::from_bool(holds),
            unknown: None,
            condition: self,
            seen: Seen::Compared {
                value,
                ordering,
                holds,
                at_least,
            },
        }
    }
}

/// The value as printed in a comparison with `literal`: a ratio's decimal
/// has as many places as it takes for the printed figures to compare as the
/// exact ones do (`ordering`), so the sentence is true as printed.
fn push_value(out: &mut String, value: Value, literal: Literal, ordering: Option<Ordering>) {
    match value {
        Value::Number(n) => push_grouped(out, n),
        Value::Bool(b) => out.push_str(if b { "true" } else { "false" }),
        Value::Ratio {
            numerator,
            denominator,
        } => {
            let shown = match (value.approx(), literal, ordering) {
                (Some(approx), Literal::Number(t), Some(ordering)) => {
                    crate::number::rounded_keeping_order(approx, t, ordering, 4)
                }
                _ => None,
            };
            // With no decimal of 28 places that compares as the exact ratio
            // does, the fraction alone is shown: it is exact.
            if let Some(shown) = shown {
                push_grouped(out, shown);
                out.push(' ');
            }
            out.push('(');
            push_grouped(out, numerator);
            out.push_str(" / ");
            push_grouped(out, denominator);
            out.push_str(" mm²)");
        }
    }
}

fn push_literal(out: &mut String, literal: Literal) {
    match literal {
        Literal::Number(n) => push_grouped(out, n),
        Literal::Bool(b) => out.push_str(if b { "true" } else { "false" }),
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lit = match self.literal {
            Literal::Number(n) => n.to_string(),
            Literal::Bool(b) => b.to_string(),
        };
        write!(f, "{} {} {}", self.metric, self.op.symbol(), lit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::ChipSpec;

    fn metrics(src: &str) -> Metrics {
        Metrics::of(&ChipSpec::from_toml("t.toml", src).unwrap())
    }

    #[test]
    fn parses_and_displays() {
        let c = Condition::parse("tpp >= 4800").unwrap();
        assert_eq!(c.to_string(), "tpp >= 4800");
        assert_eq!(
            Condition::parse("performance_density<5.92").unwrap().op,
            Op::Lt
        );
        assert!(Condition::parse("datacenter == false").is_ok());
        assert!(Condition::parse("datacenter >= 1").is_err());
        assert!(Condition::parse("tpp 4800").is_err());
        assert!(Condition::parse("ttp >= 4800")
            .unwrap_err()
            .contains("did you mean `tpp`"));
        assert!(Condition::parse("tpp >= lots").is_err());
    }

    #[test]
    fn inclusive_and_exclusive_bounds_are_exact() {
        // TPP exactly 4800: fp16 = 300 -> 300 x 16 = 4800.
        let m =
            metrics("name = \"X\"\ncompute = { fp16 = 300 }\ndie = { area_mm2 = 810.810810 }\n");
        assert_eq!(
            Condition::parse("tpp >= 4800").unwrap().test(&m).truth,
            Truth::True
        );
        assert_eq!(
            Condition::parse("tpp < 4800").unwrap().test(&m).truth,
            Truth::False
        );
        // Density exactly 5.92 needs area = 4800 / 5.92 = 810.8108...; test the exact
        // ratio path with an area that makes PD exactly 6.
        let m = metrics("name = \"X\"\ncompute = { fp16 = 300 }\ndie = { area_mm2 = 800 }\n");
        assert_eq!(
            Condition::parse("performance_density >= 6")
                .unwrap()
                .test(&m)
                .truth,
            Truth::True
        );
        assert_eq!(
            Condition::parse("performance_density < 6")
                .unwrap()
                .test(&m)
                .truth,
            Truth::False
        );
    }

    #[test]
    fn unknown_metric_value_is_unknown() {
        let m = metrics("name = \"X\"\ncompute = { fp16 = 300 }\n");
        let density = Condition::parse("performance_density >= 5.92").unwrap();
        let t = density.test(&m);
        assert_eq!(t.truth, Truth::Unknown);
        assert_eq!(t.unknown, Some(Metric::PerformanceDensity));
        assert!(
            t.explanation().contains("cannot be decided"),
            "{}",
            t.explanation()
        );
        let datacenter = Condition::parse("datacenter == true").unwrap();
        assert_eq!(datacenter.test(&m).truth, Truth::Unknown);
    }
}
