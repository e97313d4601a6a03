//! The named metrics that rule conditions speak of, and their values for a
//! spec, with the arithmetic that produced them.
//!
//! A metric is *unknown* (`None`) when the figures behind it are missing;
//! nothing here ever turns a missing figure into zero.

use crate::number::grouped;
use crate::precision::Precision;
use crate::spec::ChipSpec;
use rust_decimal::Decimal;
use serde::Serialize;
use std::fmt;

/// A quantity a rule condition may test. Adding a new kind of metric is the
/// one change to Rust that a new rule version may need.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    Tpp,
    PerformanceDensity,
    InterconnectGbps,
    MemoryBandwidthGbps,
    DieAreaMm2,
    Datacenter,
    NonPlanar,
    /// Memory bandwidth plus chip-to-chip I/O, GB/s (the 2025 letters'
    /// "combination" of the two).
    MemoryPlusInterconnectGbps,
    /// Is the item a stand-alone memory stack (HBM)?
    MemoryStack,
    /// Memory bandwidth / package area, GB/s per mm² (3A090.c).
    MemoryBandwidthDensity,
    /// Commercially available in the United States (91 FR 1684's condition).
    UsCommerciallyAvailable,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricKind {
    Number,
    Bool,
}

impl Metric {
    pub const ALL: [Metric; 11] = [
        Metric::Tpp,
        Metric::PerformanceDensity,
        Metric::InterconnectGbps,
        Metric::MemoryBandwidthGbps,
        Metric::DieAreaMm2,
        Metric::Datacenter,
        Metric::NonPlanar,
        Metric::MemoryPlusInterconnectGbps,
        Metric::MemoryStack,
        Metric::MemoryBandwidthDensity,
        Metric::UsCommerciallyAvailable,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Metric::Tpp => "tpp",
            Metric::PerformanceDensity => "performance_density",
            Metric::InterconnectGbps => "interconnect_gbps",
            Metric::MemoryBandwidthGbps => "memory_bandwidth_gbps",
            Metric::DieAreaMm2 => "die_area_mm2",
            Metric::Datacenter => "datacenter",
            Metric::NonPlanar => "non_planar",
            Metric::MemoryPlusInterconnectGbps => "memory_plus_interconnect_gbps",
            Metric::MemoryStack => "memory_stack",
            Metric::MemoryBandwidthDensity => "memory_bandwidth_density",
            Metric::UsCommerciallyAvailable => "us_commercially_available",
        }
    }

    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.name() == name)
    }

    pub fn kind(self) -> MetricKind {
        match self {
            Metric::Datacenter
            | Metric::NonPlanar
            | Metric::MemoryStack
            | Metric::UsCommerciallyAvailable => MetricKind::Bool,
            _ => MetricKind::Number,
        }
    }

    /// How the metric reads in an explanation.
    pub fn label(self) -> &'static str {
        match self {
            Metric::Tpp => "TPP",
            Metric::PerformanceDensity => "performance density",
            Metric::InterconnectGbps => "chip-to-chip I/O (GB/s)",
            Metric::MemoryBandwidthGbps => "memory bandwidth (GB/s)",
            Metric::DieAreaMm2 => "applicable die area (mm²)",
            Metric::Datacenter => "designed or marketed for datacenters",
            Metric::NonPlanar => "non-planar logic die",
            Metric::MemoryPlusInterconnectGbps => "memory bandwidth + chip-to-chip I/O (GB/s)",
            Metric::MemoryStack => "stand-alone memory stack",
            Metric::MemoryBandwidthDensity => "memory bandwidth density (GB/s/mm²)",
            Metric::UsCommerciallyAvailable => "commercially available in the United States",
        }
    }

    /// The spec-sheet fields that would settle this metric when unknown.
    pub fn settled_by(self) -> &'static [&'static str] {
        match self {
            Metric::Tpp => &["compute"],
            Metric::PerformanceDensity => &["compute", "die.area_mm2"],
            Metric::InterconnectGbps => &["io.interconnect_gbps"],
            Metric::MemoryBandwidthGbps => &["io.memory_bandwidth_gbps"],
            Metric::DieAreaMm2 => &["die.area_mm2"],
            Metric::Datacenter => &["datacenter"],
            Metric::NonPlanar => &["die.non_planar"],
            Metric::MemoryPlusInterconnectGbps => {
                &["io.memory_bandwidth_gbps", "io.interconnect_gbps"]
            }
            Metric::MemoryStack => &["kind"],
            Metric::MemoryBandwidthDensity => &["io.memory_bandwidth_gbps", "die.package_area_mm2"],
            Metric::UsCommerciallyAvailable => &["us_commercially_available"],
        }
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A known metric value. Performance density stays a ratio so that a
/// comparison with a threshold is exact (`tpp >= t x area`), with no
/// rounding from a division.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Number(Decimal),
    Ratio {
        numerator: Decimal,
        denominator: Decimal,
    },
    Bool(bool),
}

impl Value {
    /// The ratio as a decimal, for display only (28 significant digits).
    pub fn approx(self) -> Option<Decimal> {
        match self {
            Value::Number(n) => Some(n),
            Value::Ratio {
                numerator,
                denominator,
            } => numerator.checked_div(denominator),
            Value::Bool(_) => None,
        }
    }
}

/// Every metric of one chip (the arithmetic people read is
/// [`Metrics::derivation`], written only for an explanation).
#[derive(Clone, Debug, Default)]
pub struct Metrics {
    pub tpp: Option<Decimal>,
    pub die_area_mm2: Option<Decimal>,
    pub non_planar: Option<bool>,
    /// Why performance density is unknown, when it is.
    pub density_unknown_because: Option<&'static str>,
    pub interconnect_gbps: Option<Decimal>,
    pub memory_bandwidth_gbps: Option<Decimal>,
    pub datacenter: Option<bool>,
    pub memory_stack: bool,
    pub package_area_mm2: Option<Decimal>,
    pub us_commercially_available: Option<bool>,
    /// `tpp` is a floor: a compute unit gives only 32- and 64-bit figures
    /// (fp64, fp32, tf32, int32), and TPP is the highest over every precision,
    /// so a narrower one the data sheet left out (usually faster) may give
    /// more. A test the floor does not settle is then undecided.
    pub tpp_at_least: bool,
}

impl Metrics {
    pub fn of(spec: &ChipSpec) -> Metrics {
        let mut m = Metrics {
            die_area_mm2: spec.die_area_mm2,
            non_planar: spec.non_planar,
            interconnect_gbps: spec.interconnect_gbps,
            memory_bandwidth_gbps: spec.memory_bandwidth_gbps,
            datacenter: spec.datacenter,
            memory_stack: spec.kind == crate::spec::ItemKind::Memory,
            package_area_mm2: spec.package_area_mm2,
            us_commercially_available: spec.us_commercially_available,
            ..Metrics::default()
        };
        m.tpp = tpp_of(spec, None);
        m.tpp_at_least =
            m.tpp.is_some() && spec.stated_tpp.is_none() && spec.figures_give_a_floor();
        m.density_unknown_because = m.density_unknown();
        m
    }

    /// Whether a planar logic die (`die.non_planar = false`) can change
    /// this metric: [`Metrics::planar`] leaves every other one as it is.
    pub fn turns_with_planarity(metric: Metric) -> bool {
        matches!(metric, Metric::PerformanceDensity | Metric::NonPlanar)
    }

    /// The figures were the logic die planar (`die.non_planar = false`):
    /// what [`Metrics::of`] gives for the spec with that flag, without a
    /// copy of the spec.
    pub fn planar(&self) -> Metrics {
        let mut m = Metrics {
            non_planar: Some(false),
            ..self.clone()
        };
        m.density_unknown_because = m.density_unknown();
        m
    }

    /// Why performance density is unknown, when it is.
    fn density_unknown(&self) -> Option<&'static str> {
        match (self.tpp, self.die_area_mm2, self.non_planar) {
            (_, _, Some(false)) => Some(
                "no logic die is on a non-planar process, so the applicable die area is empty and performance density is undefined",
            ),
            (None, _, _) => Some("TPP is unknown"),
            (_, None, _) => Some("the applicable die area (die.area_mm2) is not given"),
            _ => None,
        }
    }

    /// How TPP was worked out, line by line, for an explanation (the
    /// figures alone come from [`Metrics::of`], which writes none of this).
    pub fn derivation(spec: &ChipSpec) -> Vec<String> {
        let mut lines = Vec::new();
        tpp_of(spec, Some(&mut lines));
        lines
    }

    pub fn get(&self, metric: Metric) -> Option<Value> {
        match metric {
            Metric::Tpp => self.tpp.map(Value::Number),
            Metric::PerformanceDensity => {
                if self.density_unknown_because.is_some() {
                    return None;
                }
                match (self.tpp, self.die_area_mm2) {
                    (Some(t), Some(a)) if !a.is_zero() => Some(Value::Ratio {
                        numerator: t,
                        denominator: a,
                    }),
                    _ => None,
                }
            }
            Metric::InterconnectGbps => self.interconnect_gbps.map(Value::Number),
            Metric::MemoryBandwidthGbps => self.memory_bandwidth_gbps.map(Value::Number),
            Metric::DieAreaMm2 => self.die_area_mm2.map(Value::Number),
            Metric::Datacenter => self.datacenter.map(Value::Bool),
            Metric::NonPlanar => self.non_planar.map(Value::Bool),
            Metric::MemoryPlusInterconnectGbps => {
                match (self.memory_bandwidth_gbps, self.interconnect_gbps) {
                    (Some(a), Some(b)) => a.checked_add(b).map(Value::Number),
                    _ => None,
                }
            }
            Metric::MemoryStack => Some(Value::Bool(self.memory_stack)),
            Metric::UsCommerciallyAvailable => self.us_commercially_available.map(Value::Bool),
            Metric::MemoryBandwidthDensity => {
                match (self.memory_bandwidth_gbps, self.package_area_mm2) {
                    (Some(bw), Some(area)) if !area.is_zero() => Some(Value::Ratio {
                        numerator: bw,
                        denominator: area,
                    }),
                    _ => None,
                }
            }
        }
    }

    /// Performance density for display (rounded by the caller).
    pub fn performance_density(&self) -> Option<Decimal> {
        self.get(Metric::PerformanceDensity).and_then(Value::approx)
    }
}

/// Preference among precisions that give the same TPP (lower first).
fn tie_rank(p: Precision) -> u8 {
    match p {
        Precision::Fp8 => 0,
        Precision::Int8 => 1,
        Precision::Fp16 => 2,
        Precision::Bf16 => 3,
        Precision::Fp4 => 4,
        Precision::Int4 => 5,
        Precision::Fp6 => 6,
        Precision::Fp32 => 7,
        Precision::Int16 => 8,
        Precision::Int32 => 9,
        Precision::Fp64 => 10,
        Precision::Tf32 => 11,
    }
}

/// TPP: computed from the figures, or stated by the vendor, or (both given)
/// the higher; with the lines that say how, when `lines` is given.
fn tpp_of(spec: &ChipSpec, mut lines: Option<&mut Vec<String>>) -> Option<Decimal> {
    let computed = compute_tpp(spec, lines.as_deref_mut());
    match (computed, spec.stated_tpp) {
        (Some(c), Some(s)) => {
            // Fail closed: of two figures that agree within rounding, use
            // the higher.
            let used = c.max(s);
            if let Some(lines) = lines {
                lines.push(format!(
                    "vendor-stated TPP {} agrees with the computed {}; using the higher, {}",
                    grouped(s),
                    grouped(c),
                    grouped(used)
                ));
            }
            Some(used)
        }
        (Some(c), None) => Some(c),
        (None, Some(s)) => {
            if let Some(lines) = lines {
                lines.push(format!("TPP = {} (stated by the vendor)", grouped(s)));
            }
            Some(s)
        }
        (None, None) => None,
    }
}

/// TPP = sum over units of (highest dense figure x bit length), where a
/// data sheet's dense TFLOPS/TOPS figure is 2 x MacTOPS.
fn compute_tpp(spec: &ChipSpec, mut lines: Option<&mut Vec<String>>) -> Option<Decimal> {
    if spec.compute.is_empty() {
        return None;
    }
    let mut total = Decimal::ZERO;
    for unit in &spec.compute {
        let best = unit
            .figures
            .keys()
            .filter_map(|p| {
                let dense = unit.dense(*p)?;
                Some((unit.tpp_at(*p)?, *p, dense))
            })
            // On a tie, name the precision data sheets usually lead with.
            .max_by(|a, b| a.0.cmp(&b.0).then(tie_rank(b.1).cmp(&tie_rank(a.1))))?;
        let (tpp, precision, dense) = best;
        let mac = dense.checked_div(Decimal::TWO)?;
        if let Some(lines) = lines.as_deref_mut() {
            let prefix = match &unit.name {
                Some(n) => format!("{n}: "),
                None if spec.compute.len() > 1 => "unit: ".to_string(),
                None => String::new(),
            };
            let sparse_note = if unit.sparse {
                format!(", dense = sparse {} / 2", grouped(unit.figures[&precision]))
            } else {
                String::new()
            };
            lines.push(format!(
                "{prefix}TPP = 2 x {} MacTOPS x {} bits ({}: {} dense {}{}) = {}",
                grouped(mac),
                precision.bits(),
                precision,
                grouped(dense),
                precision.unit(),
                sparse_note,
                grouped(tpp)
            ));
            let next = unit
                .figures
                .keys()
                .filter(|p| **p != Precision::Tf32)
                .filter_map(|p| unit.tpp_at(*p))
                .max();
            if precision == Precision::Tf32 && next.is_none_or(|n| n < tpp) {
                // Say so whenever the TF32 reading decides the figure (see
                // precision.rs for why TF32 counts as 32 bits).
                lines.push(format!(
                    "TF32 is counted as 32 bits (its operands are 32-bit registers; chipcheck's reading, which never understates TPP); at 19 bits it would give {}{}",
                    grouped(dense.saturating_mul(Decimal::from(19))),
                    next.map(|n| format!(", and the next precision gives {}", grouped(n))).unwrap_or_default()
                ));
            }
        }
        total = total.checked_add(tpp)?;
    }
    if let Some(lines) = lines.filter(|_| spec.compute.len() > 1) {
        lines.push(format!(
            "TPP summed over {} processing units = {}",
            spec.compute.len(),
            grouped(total)
        ));
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;
    /// `planar` gives what `of` gives for the spec marked planar, for every
    /// library chip as it is, without a die area, and without TPP.
    #[test]
    fn planar_is_of_a_planar_spec() {
        let chips = crate::library::chips().expect("the library");
        for chip in chips {
            let mut spec = chip.spec.clone();
            for step in 0..3 {
                match step {
                    1 => spec.die_area_mm2 = None,
                    2 => spec.compute.clear(),
                    _ => {}
                }
                let planar = ChipSpec {
                    non_planar: Some(false),
                    ..spec.clone()
                };
                // The engine relies on this: no other metric turns.
                let own = Metrics::of(&spec);
                for metric in Metric::ALL {
                    if !Metrics::turns_with_planarity(metric) {
                        assert_eq!(own.get(metric), own.planar().get(metric), "{metric:?}");
                    }
                }
                assert_eq!(
                    format!("{:?}", Metrics::of(&spec).planar()),
                    format!("{:?}", Metrics::of(&planar)),
                    "{}",
                    spec.name
                );
            }
        }
    }

    fn spec(src: &str) -> ChipSpec {
        ChipSpec::from_toml("t.toml", src).unwrap()
    }

    #[test]
    fn explains_the_highest_precision() {
        let m = Metrics::of(&spec(
            "name = \"X\"\n[compute]\nfp16 = 989.4\nfp8 = 1978.9\nfp64 = 67\n",
        ));
        assert_eq!(m.tpp, Some(Decimal::from_str("15831.2").unwrap()));
        assert_eq!(
            Metrics::derivation(&spec(
                "name = \"X\"\n[compute]\nfp16 = 989.4\nfp8 = 1978.9\nfp64 = 67\n",
            )),
            vec!["TPP = 2 x 989.45 MacTOPS x 8 bits (fp8: 1,978.9 dense TFLOPS) = 15,831.2"]
        );
    }

    #[test]
    fn density_needs_area_and_non_planar() {
        let m = Metrics::of(&spec("name = \"X\"\ncompute = { fp16 = 300 }\n"));
        assert!(m.get(Metric::PerformanceDensity).is_none());
        let m = Metrics::of(&spec(
            "name = \"X\"\ncompute = { fp16 = 300 }\ndie = { area_mm2 = 800, non_planar = false }\n",
        ));
        assert!(m.get(Metric::PerformanceDensity).is_none());
        assert!(m.density_unknown_because.unwrap().contains("non-planar"));
        let m = Metrics::of(&spec(
            "name = \"X\"\ncompute = { fp16 = 300 }\ndie = { area_mm2 = 800 }\n",
        ));
        assert_eq!(m.performance_density(), Some(Decimal::from(6)));
    }

    #[test]
    fn missing_figures_stay_unknown() {
        let m = Metrics::of(&spec("name = \"X\"\n"));
        for metric in Metric::ALL {
            if metric == Metric::MemoryStack {
                // What the item is, not a figure: always known.
                continue;
            }
            assert!(m.get(metric).is_none(), "{metric} should be unknown");
        }
    }
}
