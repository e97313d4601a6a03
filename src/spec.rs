//! The spec sheet: the public TOML format that describes one chip (or a
//! system that contains chips).
//!
//! Parsing is two steps: serde reads the raw shape (unknown keys and wrong
//! types are errors located by the TOML parser), then [`ChipSpec::from_raw`]
//! checks what serde cannot (a zero die area, a vendor TPP that disagrees
//! with the figures) and locates those errors too.

use crate::diagnostic::{from_toml_error, Diagnostic};
use crate::number::{grouped, Figure};
use crate::precision::Precision;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

/// The largest spec file chipcheck will read. A spec sheet is a few hundred
/// bytes; this bounds what one malicious input can cost.
pub const MAX_SPEC_BYTES: usize = 1 << 20;

/// How far a vendor-stated TPP may sit from the computed one before the two
/// are treated as contradicting each other (data sheets round their figures).
const TPP_TOLERANCE_PERCENT: u32 = 1;

/// What a spec describes. Stand-alone memory (an HBM stack) is judged by
/// memory bandwidth density (3A090.c), not by TPP.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    #[default]
    Accelerator,
    Memory,
}

/// A checked spec sheet. `Default` is the spec that knows nothing but what
/// is filled in (every figure unknown).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
// Deserialize reads back only what chipcheck wrote (the compiled library,
// checked field for field against the TOML): a field left out is its
// default, unknown. A user's spec is read by `from_toml`, never by this.
#[serde(default)]
pub struct ChipSpec {
    pub name: String,
    pub kind: ItemKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    pub datacenter: Option<bool>,
    /// Commercially available in the United States (91 FR 1684 asks it as
    /// of its publication, 2026-01-15); absent = unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub us_commercially_available: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub released: Option<u16>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jurisdiction_note: Option<String>,
    pub compute: Vec<ComputeUnit>,
    /// A TPP the vendor states, when given.
    pub stated_tpp: Option<Decimal>,
    pub die_area_mm2: Option<Decimal>,
    pub non_planar: Option<bool>,
    /// Package (or stack) area, for stand-alone memory.
    pub package_area_mm2: Option<Decimal>,
    pub interconnect_gbps: Option<Decimal>,
    pub memory_bandwidth_gbps: Option<Decimal>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Source>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contains: Vec<Contained>,
    /// Why `datacenter` is what it is, when a system containing the chip
    /// set it (a chip in a server marketed for datacenters is marketed for
    /// them too): said in the answer.
    #[serde(skip)]
    pub datacenter_from: Option<String>,
}

/// A chip as the system containing it is marketed: in a system marketed
/// for datacenters it is marketed for them too; in one that does not say,
/// a consumer chip's marketing is not known. The reason is kept for the
/// answer (`datacenter_from`).
pub fn marketed_within(system: &ChipSpec, chip: &mut ChipSpec) {
    match (system.datacenter, chip.datacenter) {
        (Some(true), Some(false) | None) => {
            chip.datacenter = Some(true);
            chip.datacenter_from = Some(format!(
                "{} is taken as marketed for datacenters: {} containing it is (datacenter = true)",
                chip.name, system.name
            ));
        }
        (None, Some(false)) => {
            chip.datacenter = None;
            chip.datacenter_from = Some(format!(
                "{} is a consumer chip, but {} containing it does not say whether it is marketed for datacenters (give its datacenter)",
                chip.name, system.name
            ));
        }
        _ => {}
    }
}

/// One processing unit's peak throughput by precision, as given (dense or
/// sparse; [`ComputeUnit::dense`] gives the dense figure).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ComputeUnit {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub sparse: bool,
    pub figures: BTreeMap<Precision, Decimal>,
    /// Precisions whose figure is not known: a catalogue's column for it
    /// left empty (or `N/A`) on this row. Any of them may give more than
    /// the figures known, so the TPP they give is a floor.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<Precision>,
    /// Figures a catalogue holds but chipcheck was told not to read (a
    /// column mapped to `ignore` that is a precision or a stated TPP): each
    /// may give more than the figures read, so the TPP is a floor.
    #[serde(skip)]
    pub not_read: Vec<String>,
}

impl ComputeUnit {
    /// The dense figure: sparse (2:4) figures count twice the work, so the
    /// rule's dense figure is half of them.
    pub fn dense(&self, precision: Precision) -> Option<Decimal> {
        let figure = *self.figures.get(&precision)?;
        if self.sparse {
            figure.checked_div(Decimal::TWO)
        } else {
            Some(figure)
        }
    }

    /// The unit's TPP from one precision: dense figure x bit length.
    pub fn tpp_at(&self, precision: Precision) -> Option<Decimal> {
        self.dense(precision)?
            .checked_mul(Decimal::from(precision.bits()))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub fields: Vec<String>,
    pub url: String,
    pub kind: SourceKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Datasheet,
    Derived,
    Secondary,
    Filing,
}

/// Accelerators inside a system (server, board): either a library chip by
/// name or an inline spec.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Contained {
    pub count: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<Box<ChipSpec>>,
}

// ----- raw serde shape --------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    name: Spanned<String>,
    kind: Option<ItemKind>,
    vendor: Option<String>,
    aliases: Option<Vec<String>>,
    datacenter: Option<bool>,
    us_commercially_available: Option<bool>,
    released: Option<u16>,
    notes: Option<Vec<String>>,
    jurisdiction_note: Option<String>,
    compute: Option<Spanned<RawCompute>>,
    die: Option<RawDie>,
    io: Option<RawIo>,
    source: Option<Vec<Source>>,
    contains: Option<Vec<Spanned<RawContained>>>,
}

/// The precision keys are spelled out (rather than a free map) so that an
/// unknown precision is an unknown-key error with a did-you-mean. The same
/// shape serves `[compute]` and each `[[compute.unit]]`; which keys may
/// appear where is checked after parsing.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCompute {
    name: Option<String>,
    sparse: Option<bool>,
    tpp: Option<Spanned<Figure>>,
    unit: Option<Vec<Spanned<RawCompute>>>,
    fp64: Option<Figure>,
    fp32: Option<Figure>,
    tf32: Option<Figure>,
    fp16: Option<Figure>,
    bf16: Option<Figure>,
    fp8: Option<Figure>,
    fp6: Option<Figure>,
    fp4: Option<Figure>,
    int32: Option<Figure>,
    int16: Option<Figure>,
    int8: Option<Figure>,
    int4: Option<Figure>,
}

impl RawCompute {
    fn figures(&self) -> BTreeMap<Precision, Decimal> {
        let pairs = [
            (Precision::Fp64, self.fp64),
            (Precision::Fp32, self.fp32),
            (Precision::Tf32, self.tf32),
            (Precision::Fp16, self.fp16),
            (Precision::Bf16, self.bf16),
            (Precision::Fp8, self.fp8),
            (Precision::Fp6, self.fp6),
            (Precision::Fp4, self.fp4),
            (Precision::Int32, self.int32),
            (Precision::Int16, self.int16),
            (Precision::Int8, self.int8),
            (Precision::Int4, self.int4),
        ];
        pairs
            .into_iter()
            .filter_map(|(p, f)| f.map(|f| (p, f.value())))
            .collect()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDie {
    area_mm2: Option<Spanned<Figure>>,
    non_planar: Option<bool>,
    package_area_mm2: Option<Spanned<Figure>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIo {
    interconnect_gbps: Option<Figure>,
    memory_bandwidth_gbps: Option<Figure>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContained {
    count: Spanned<u32>,
    chip: Option<String>,
    spec: Option<Box<RawSpec>>,
}

impl ChipSpec {
    /// Does the spec give nothing but a name (and perhaps a vendor or
    /// aliases)? Then it names a chip rather than describing one.
    pub fn is_name_only(&self) -> bool {
        self.kind == ItemKind::Accelerator
            && self.compute.is_empty()
            && self.stated_tpp.is_none()
            && self.die_area_mm2.is_none()
            && self.non_planar.is_none()
            && self.package_area_mm2.is_none()
            && self.interconnect_gbps.is_none()
            && self.memory_bandwidth_gbps.is_none()
            && self.datacenter.is_none()
            && self.us_commercially_available.is_none()
            && self.contains.is_empty()
    }

    /// The same chip with TF32 counted as 19 bits (the other published
    /// reading): each TF32 figure scaled by 19/32, so the TPP it gives is
    /// figure x 19. `None` when no unit (here or inside) quotes TF32.
    pub fn with_tf32_at_19_bits(&self) -> Option<ChipSpec> {
        // Most specs give no TF32 figure: nothing to copy.
        let has_tf32 = self
            .compute
            .iter()
            .any(|unit| unit.figures.contains_key(&Precision::Tf32));
        if !has_tf32 && self.contains.iter().all(|c| c.spec.is_none()) {
            return None;
        }
        let mut changed = false;
        let mut out = self.clone();
        for unit in &mut out.compute {
            if let Some(f) = unit.figures.get_mut(&Precision::Tf32) {
                *f = f
                    .checked_mul(Decimal::from(19))
                    .and_then(|x| x.checked_div(Decimal::from(32)))?;
                changed = true;
            }
        }
        for c in &mut out.contains {
            if let Some(inner) = c.spec.as_ref().and_then(|s| s.with_tf32_at_19_bits()) {
                c.spec = Some(Box::new(inner));
                changed = true;
            }
        }
        // A vendor-stated TPP cannot be re-read; leave it to speak.
        changed.then_some(out)
    }

    /// Parses and checks a spec sheet. `path` is only used in messages.
    pub fn from_toml(path: &str, source: &str) -> Result<ChipSpec, Diagnostic> {
        if source.len() > MAX_SPEC_BYTES {
            return Err(Diagnostic::new(
                path,
                format!(
                    "spec sheet is {} bytes; the limit is {} bytes",
                    source.len(),
                    MAX_SPEC_BYTES
                ),
            ));
        }
        // Parsed once: the guard reads the document, then serde does.
        let raw: RawSpec = match toml::de::DeTable::parse(source) {
            Ok(doc) => {
                crate::guard::check_document(path, source, &doc)?;
                RawSpec::deserialize(toml::de::Deserializer::from(doc))
            }
            // The parse error, as serde reports it.
            Err(_) => toml::from_str(source),
        }
        .map_err(|e| from_toml_error(path, source, &e))?;
        Self::from_raw(raw, path, source)
    }

    /// A spec compiled into the binary (the chip library). The guard's
    /// checks of the text (see `guard.rs`) are made by a test over every
    /// embedded file, not again on every start.
    pub(crate) fn from_embedded_toml(path: &str, source: &str) -> Result<ChipSpec, Diagnostic> {
        let raw: RawSpec = toml::from_str(source).map_err(|e| from_toml_error(path, source, &e))?;
        Self::from_raw(raw, path, source)
    }

    fn from_raw(raw: RawSpec, path: &str, source: &str) -> Result<ChipSpec, Diagnostic> {
        let err = |span: Range<usize>, field: &str, message: String| {
            Diagnostic::new(path, message)
                .at(source, Some(span))
                .field(field)
        };
        let name_span = raw.name.span();
        let name = raw.name.into_inner().trim().to_string();
        if name.is_empty() {
            return Err(err(name_span, "name", "`name` must not be empty".into()));
        }

        // Figures that would be read for nothing are refused rather than
        // dropped: a memory item is judged by its bandwidth density, and a
        // system by the chips it contains (its own TPP 16,000 beside a
        // contained chip of TPP 8 was cleared).
        let system = raw.contains.as_ref().is_some_and(|c| !c.is_empty());
        if let Some(c) = &raw.compute {
            if raw.kind == Some(ItemKind::Memory) {
                return Err(err(
                    c.span(),
                    "compute",
                    "a memory item (`kind = \"memory\"`) has no processing figures; a chip with compute figures is judged under 3A090.a and .b, so leave `kind` out (HBM packaged with a logic die is the logic IC)".into(),
                ));
            }
            if system {
                return Err(err(
                    c.span(),
                    "compute",
                    "a system (`contains`) is judged by the chips it contains, so its own [compute] would be read for nothing; give the processor as a `contains` entry with its own `spec`".into(),
                ));
            }
        }
        let die_area = raw
            .die
            .as_ref()
            .and_then(|d| d.area_mm2.as_ref().or(d.package_area_mm2.as_ref()));
        if let Some(area) = die_area.filter(|_| system) {
            return Err(err(
                area.span(),
                "die",
                "a system (`contains`) is judged by the chips it contains, so its own [die] would be read for nothing; give each die in its chip's `spec`".into(),
            ));
        }

        let mut compute = Vec::new();
        let mut stated_tpp = None;
        if let Some(raw_compute) = raw.compute {
            let span = raw_compute.span();
            let mut raw_compute = raw_compute.into_inner();
            let sparse = raw_compute.sparse.unwrap_or(false);
            if raw_compute.name.is_some() {
                return Err(err(
                    span.clone(),
                    "compute.name",
                    "`name` belongs to a [[compute.unit]], not to [compute]".into(),
                ));
            }
            let top = raw_compute.figures();
            let units = raw_compute.unit.take().unwrap_or_default();
            if !top.is_empty() && !units.is_empty() {
                return Err(err(
                    span,
                    "compute",
                    "give figures either directly in [compute] or per [[compute.unit]], not both"
                        .into(),
                ));
            }
            if !top.is_empty() {
                compute.push(ComputeUnit {
                    name: None,
                    sparse,
                    figures: top,
                    unknown: Vec::new(),
                    not_read: Vec::new(),
                });
            }
            for unit in units {
                let unit_span = unit.span();
                let unit = unit.into_inner();
                if unit.unit.is_some() || unit.tpp.is_some() {
                    return Err(err(
                        unit_span,
                        "compute.unit",
                        "a [[compute.unit]] holds precision figures, `name` and `sparse` only; `tpp` belongs to [compute]".into(),
                    ));
                }
                let figures = unit.figures();
                if figures.is_empty() {
                    return Err(err(
                        unit_span,
                        "compute.unit",
                        "a [[compute.unit]] needs at least one precision figure".into(),
                    )
                    .help(format!("precisions: {}", Precision::names().join(", "))));
                }
                compute.push(ComputeUnit {
                    name: unit.name,
                    sparse: unit.sparse.unwrap_or(sparse),
                    figures,
                    unknown: Vec::new(),
                    not_read: Vec::new(),
                });
            }
            if let Some(tpp) = raw_compute.tpp {
                stated_tpp = Some((tpp.get_ref().value(), tpp.span()));
            }
            if compute.is_empty() && stated_tpp.is_none() {
                return Err(err(
                    span,
                    "compute",
                    "[compute] has no figures: give at least one precision (fp16 = 989.4) or a vendor-stated tpp"
                        .into(),
                )
                .help(format!("precisions: {}", Precision::names().join(", "))));
            }
        }

        let (die_area_mm2, non_planar, package_area_mm2) = match raw.die {
            Some(die) => {
                let area = match die.area_mm2 {
                    Some(a) if a.get_ref().value().is_zero() => {
                        return Err(err(
                            a.span(),
                            "die.area_mm2",
                            "die area must be greater than zero".into(),
                        )
                        .help("leave `area_mm2` out if the area is unknown"))
                    }
                    Some(a) => Some(a.into_inner().value()),
                    None => None,
                };
                let package = match die.package_area_mm2 {
                    Some(a) if a.get_ref().value().is_zero() => {
                        return Err(err(
                            a.span(),
                            "die.package_area_mm2",
                            "package area must be greater than zero".into(),
                        ))
                    }
                    Some(a) => Some(a.into_inner().value()),
                    None => None,
                };
                (area, die.non_planar, package)
            }
            None => (None, None, None),
        };
        let (interconnect_gbps, memory_bandwidth_gbps) = match raw.io {
            Some(io) => (
                io.interconnect_gbps.map(Figure::value),
                io.memory_bandwidth_gbps.map(Figure::value),
            ),
            None => (None, None),
        };

        let mut contains = Vec::new();
        for item in raw.contains.unwrap_or_default() {
            let span = item.span();
            let item = item.into_inner();
            let count = *item.count.get_ref();
            if count == 0 {
                return Err(err(
                    item.count.span(),
                    "contains.count",
                    "count must be at least 1".into(),
                ));
            }
            let spec = match (item.chip.as_ref(), item.spec) {
                (Some(_), None) => None,
                (None, Some(inner)) => Some(Box::new(Self::from_raw(*inner, path, source)?)),
                _ => {
                    return Err(err(
                        span,
                        "contains",
                        "each `contains` entry needs exactly one of `chip` (a library name) or `spec` (an inline spec)".into(),
                    ))
                }
            };
            contains.push(Contained {
                count,
                chip: item.chip,
                spec,
            });
        }

        let mut spec = ChipSpec {
            name,
            kind: raw.kind.unwrap_or_default(),
            vendor: raw
                .vendor
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty()),
            aliases: raw.aliases.unwrap_or_default(),
            datacenter: raw.datacenter,
            us_commercially_available: raw.us_commercially_available,
            released: raw.released,
            notes: raw.notes.unwrap_or_default(),
            jurisdiction_note: raw.jurisdiction_note,
            compute,
            stated_tpp: None,
            die_area_mm2,
            non_planar,
            package_area_mm2,
            interconnect_gbps,
            memory_bandwidth_gbps,
            sources: raw.source.unwrap_or_default(),
            contains,
            datacenter_from: None,
        };
        if let Some((tpp, span)) = stated_tpp {
            if let Some(computed) = spec.computed_tpp() {
                // Above a floor is no disagreement: an RTX 4090's stated
                // 5,284.8 beside its FP32 figure (2,643.2) was refused.
                let above_floor = spec.figures_give_a_floor() && tpp > computed;
                if !within_tolerance(tpp, computed) && !above_floor {
                    return Err(err(
                        span,
                        "compute.tpp",
                        format!(
                            "the stated tpp {} disagrees with the {} computed from the figures by more than {}%",
                            grouped(tpp),
                            grouped(computed),
                            TPP_TOLERANCE_PERCENT
                        ),
                    )
                    .help("check that the figures are dense (set `sparse = true` if they include 2:4 sparsity) and per chip"));
                }
            }
            spec.stated_tpp = Some(tpp);
        }
        Ok(spec)
    }

    /// TPP from the throughput figures alone: each unit's highest dense
    /// figure x bit length, summed over units. `None` when no figure is given.
    pub fn computed_tpp(&self) -> Option<Decimal> {
        if self.compute.is_empty() {
            return None;
        }
        let mut total = Decimal::ZERO;
        for unit in &self.compute {
            let best = unit.figures.keys().filter_map(|p| unit.tpp_at(*p)).max()?;
            total = total.checked_add(best)?;
        }
        Some(total)
    }

    /// Whether the TPP a compute unit's figures give is a floor: it gives
    /// only 32- and 64-bit figures (a narrower precision the sheet left out
    /// usually runs faster), or a precision's figure is not known.
    pub fn figures_give_a_floor(&self) -> bool {
        self.compute.iter().any(|unit| {
            !unit.figures.is_empty()
                && (!unit.unknown.is_empty()
                    || !unit.not_read.is_empty()
                    || unit
                        .figures
                        .keys()
                        // TF32 too: sheets quote it at the FP32 rate as often
                        // as at the tensor rate.
                        .all(|p| p.bits() >= 32))
        })
    }

    /// The precisions whose figures are not known (catalogue cells left
    /// empty), each once.
    pub fn unknown_precisions(&self) -> Vec<Precision> {
        let mut all: Vec<Precision> = self
            .compute
            .iter()
            .flat_map(|u| u.unknown.iter().copied())
            .collect();
        all.sort();
        all.dedup();
        all
    }

    /// Is this a system (server, board) described by what it contains?
    pub fn is_system(&self) -> bool {
        !self.contains.is_empty()
    }

    /// The name with the vendor, for display (`NVIDIA H100 SXM5 80GB`).
    pub fn display_name(&self) -> String {
        match &self.vendor {
            Some(v) if !self.name.to_lowercase().starts_with(&v.to_lowercase()) => {
                format!("{v} {}", self.name)
            }
            _ => self.name.clone(),
        }
    }
}

fn within_tolerance(stated: Decimal, computed: Decimal) -> bool {
    let scaled_diff = stated
        .checked_sub(computed)
        .map(|d| d.abs())
        .and_then(|d| d.checked_mul(Decimal::from(100)));
    let allowed = computed.checked_mul(Decimal::from(TPP_TOLERANCE_PERCENT));
    matches!((scaled_diff, allowed), (Some(d), Some(a)) if d <= a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    const H100: &str = r#"
name = "H100 SXM5 80GB"          # required
vendor = "NVIDIA"                # optional
datacenter = true                # designed or marketed for datacenter use; absent = unknown

[compute]                        # peak throughput per precision, TOPS or TFLOPS, at least one
sparse = false                   # true: the figures include 2:4 sparsity and are halved (default false)
fp64 = 67
fp16 = 989.4
bf16 = 989.4
fp8 = 1978.9
int8 = 1978.9                    # also: tf32, fp32, fp6, fp4, int4, int16, int32 ...

[die]                            # absent = unknown
area_mm2 = 814                   # applicable die area: logic dies on a non-planar (FinFET/GAA) process
non_planar = true

[io]                             # absent keys = unknown
interconnect_gbps = 900          # aggregate bidirectional chip-to-chip transfer rate, GB/s
memory_bandwidth_gbps = 3350
"#;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn the_issue_example_loads() {
        let spec = ChipSpec::from_toml("h100.toml", H100).unwrap();
        assert_eq!(spec.name, "H100 SXM5 80GB");
        assert_eq!(spec.datacenter, Some(true));
        assert_eq!(spec.computed_tpp(), Some(d("15831.2")));
        assert_eq!(spec.die_area_mm2, Some(d("814")));
        assert_eq!(spec.interconnect_gbps, Some(d("900")));
    }

    /// Figures chipcheck would not read are refused, never dropped: a
    /// board's own TPP 16,000 beside a contained chip of TPP 8 was cleared,
    /// and so was a "memory" item with processor figures.
    #[test]
    fn figures_that_would_be_read_for_nothing_are_refused() {
        let system =
            "name = \"Board\"\n[compute]\nfp8 = 2000\n[[contains]]\ncount = 1\nchip = \"H100\"\n";
        let e = ChipSpec::from_toml("s.toml", system).unwrap_err();
        assert!(
            e.to_string().contains("judged by the chips it contains"),
            "{e}"
        );
        let die =
            "name = \"Board\"\n[die]\narea_mm2 = 800\n[[contains]]\ncount = 1\nchip = \"H100\"\n";
        let e = ChipSpec::from_toml("s.toml", die).unwrap_err();
        assert!(e.to_string().contains("own [die]"), "{e}");
        let memory = "name = \"M\"\nkind = \"memory\"\n[compute]\nfp8 = 2000\n";
        let e = ChipSpec::from_toml("m.toml", memory).unwrap_err();
        assert!(e.to_string().contains("memory item"), "{e}");
        // What each may give still loads.
        let ok = "name = \"Board\"\ndatacenter = true\n[[contains]]\ncount = 1\nchip = \"H100\"\n";
        assert!(ChipSpec::from_toml("s.toml", ok).is_ok());
        let hbm = "name = \"M\"\nkind = \"memory\"\n[die]\npackage_area_mm2 = 121\n[io]\nmemory_bandwidth_gbps = 1200\n";
        assert!(ChipSpec::from_toml("m.toml", hbm).is_ok());
    }

    #[test]
    fn a_stated_tpp_above_a_floor_is_no_disagreement() {
        let above = "name = \"G\"\n[compute]\nfp32 = 82.6\ntpp = 5284.8\n";
        let spec = ChipSpec::from_toml("g.toml", above).unwrap();
        assert_eq!(spec.stated_tpp, Some(d("5284.8")));
        // Below the floor the figures still disagree.
        let below = "name = \"G\"\n[compute]\nfp32 = 82.6\ntpp = 1000\n";
        assert!(ChipSpec::from_toml("g.toml", below).is_err());
        // A narrow figure gives the TPP itself: above it is a disagreement.
        let narrow = "name = \"G\"\n[compute]\nfp16 = 82.6\ntpp = 5284.8\n";
        assert!(ChipSpec::from_toml("g.toml", narrow).is_err());
    }

    #[test]
    fn inline_compute_table_works() {
        let spec = ChipSpec::from_toml(
            "a.toml",
            "name = \"A100\"\ncompute = { fp16 = 312, int8 = 624 }\n",
        )
        .unwrap();
        assert_eq!(spec.computed_tpp(), Some(d("4992")));
    }

    #[test]
    fn sparse_figures_are_halved() {
        let spec = ChipSpec::from_toml(
            "h20.toml",
            "name = \"H20\"\n[compute]\nsparse = true\nfp8 = 592\n",
        )
        .unwrap();
        assert_eq!(spec.computed_tpp(), Some(d("2368")));
    }

    #[test]
    fn units_add_up() {
        let spec = ChipSpec::from_toml(
            "u.toml",
            "name = \"U\"\n[[compute.unit]]\nname = \"a\"\nfp16 = 100\n[[compute.unit]]\nint8 = 300\nfp16 = 100\n",
        )
        .unwrap();
        assert_eq!(spec.computed_tpp(), Some(d("4000")));
    }

    #[test]
    fn unknown_key_suggests_the_near_miss() {
        let e = ChipSpec::from_toml("x.toml", "name = \"X\"\ndatacentre = true\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(e.help.as_deref(), Some("did you mean `datacenter`?"));
        let e = ChipSpec::from_toml("x.toml", "name = \"X\"\n[compute]\nfp17 = 1\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.help.clone().unwrap().contains("fp16"));
    }

    #[test]
    fn bad_figures_are_errors() {
        for (src, line) in [
            ("name = \"X\"\n[compute]\nfp16 = -1\n", 3),
            ("name = \"X\"\n[compute]\nfp16 = nan\n", 3),
            ("name = \"X\"\n[compute]\nfp16 = inf\n", 3),
            ("name = \"X\"\n[compute]\nfp16 = \"fast\"\n", 3),
            ("name = \"X\"\n[die]\narea_mm2 = 0\n", 3),
            ("name = \"X\"\n[compute]\n", 2),
            ("name = \"X\"\ndatacenter = \"yes\"\n", 2),
        ] {
            let e = ChipSpec::from_toml("x.toml", src).unwrap_err();
            assert_eq!(e.line, line, "{src}: {e}");
        }
        assert!(ChipSpec::from_toml("x.toml", "vendor = \"V\"\n").is_err());
    }

    #[test]
    fn stated_tpp_is_checked() {
        let ok = ChipSpec::from_toml(
            "x.toml",
            "name = \"X\"\n[compute]\nfp8 = 1978.9\ntpp = 15832\n",
        )
        .unwrap();
        assert_eq!(ok.stated_tpp, Some(d("15832")));
        let e = ChipSpec::from_toml(
            "x.toml",
            "name = \"X\"\n[compute]\nfp8 = 1978.9\ntpp = 31662\n",
        )
        .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("compute.tpp"));
    }
}
