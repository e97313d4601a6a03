//! What a catalogue header says: which chipcheck column it holds, and in
//! which unit. Spreadsheets write `FP16 TFLOPS`, `Die Area (mm²)`,
//! `NVLink (GB/s)` or `Memory Bandwidth (TB/s)`; each is read in its own
//! unit and converted exactly, or refused. A header that looks like a figure
//! but cannot be read safely is an error that says which mapping to give:
//! read wrongly, or left unread while the row is judged by a library part's
//! figures, it could clear a controlled chip.

use super::columns::Field;
use crate::precision::Precision;
use rust_decimal::Decimal;

/// A unit a header states, and the exact factor to chipcheck's unit
/// (TFLOPS or TOPS, mm², GB/s).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unit {
    pub name: &'static str,
    pub factor: Decimal,
}

/// What a header holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reading {
    /// A column chipcheck reads; `unit` is `None` when it is chipcheck's own.
    Column { field: Field, unit: Option<Unit> },
    /// A figure chipcheck cannot read safely from this header: why.
    Unreadable(String),
    /// What the run's flags say for every row (a destination, the end
    /// user's headquarters), given per row: passing it through would answer
    /// for a destination the row does not name.
    PerRun(&'static str),
    /// Not a column chipcheck reads: passed through.
    Other,
}

/// The kind of quantity a unit measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Quantity {
    Throughput,
    Area,
    Rate,
}

fn unit(name: &'static str, mantissa: i64, scale: u32) -> Unit {
    Unit {
        name,
        factor: Decimal::new(mantissa, scale),
    }
}

/// Throughput and area units, as whole header words (lower case, `²` as 2).
fn word_unit(word: &str) -> Option<(Quantity, Unit)> {
    let found = match word {
        "tflops" | "tops" | "teraflops" | "teraops" | "tflop" => {
            (Quantity::Throughput, unit("TFLOPS", 1, 0))
        }
        "pflops" | "pops" | "petaflops" | "petaops" => {
            (Quantity::Throughput, unit("PFLOPS", 1000, 0))
        }
        "gflops" | "gops" | "gigaflops" | "gigaops" => (Quantity::Throughput, unit("GFLOPS", 1, 3)),
        "mm2" => (Quantity::Area, unit("mm²", 1, 0)),
        "cm2" => (Quantity::Area, unit("cm²", 100, 0)),
        "um2" => (Quantity::Area, unit("µm²", 1, 6)),
        _ => return None,
    };
    Some(found)
}

/// Transfer-rate units, matched case-sensitively: `GB/s` is bytes and
/// `Gb/s` bits. Longest first, so `GB/sec` is not read as `GB/s` + `ec`.
const RATES: [(&str, &str, i64, u32); 18] = [
    ("TB/sec", "TB/s", 1000, 0),
    ("TB/s", "TB/s", 1000, 0),
    ("TBps", "TB/s", 1000, 0),
    ("GB/sec", "GB/s", 1, 0),
    ("GB/s", "GB/s", 1, 0),
    ("GBps", "GB/s", 1, 0),
    ("MB/sec", "MB/s", 1, 3),
    ("MB/s", "MB/s", 1, 3),
    ("MBps", "MB/s", 1, 3),
    ("Tbit/s", "Tb/s", 125, 0),
    ("Tb/s", "Tb/s", 125, 0),
    ("Tbps", "Tb/s", 125, 0),
    ("Gbit/s", "Gb/s", 125, 3),
    ("Gb/s", "Gb/s", 125, 3),
    ("Gbps", "Gb/s", 125, 3),
    ("Mbit/s", "Mb/s", 125, 6),
    ("Mb/s", "Mb/s", 125, 6),
    ("Mbps", "Mb/s", 125, 6),
];

/// Rates written so that bits and bytes cannot be told apart.
const AMBIGUOUS_RATES: [&str; 6] = ["tb/s", "tbps", "gb/s", "gbps", "mb/s", "mbps"];

/// The transfer-rate unit in a header, or why it cannot be told.
fn rate_unit(header: &str) -> Option<Result<Unit, String>> {
    if let Some((_, name, m, s)) = RATES.iter().find(|(p, ..)| header.contains(p)) {
        return Some(Ok(unit(name, *m, *s)));
    }
    let lower = header.to_lowercase();
    AMBIGUOUS_RATES
        .iter()
        .find(|p| lower.contains(*p))
        .map(|p| {
            Err(format!(
                "`{p}` does not say whether it is bytes (GB/s) or bits (Gb/s) per second"
            ))
        })
}

/// Header words: lower case, `²`/`^2` as 2, `µ` as u, split on anything
/// that is not a letter or digit (`sq mm` is `mm2`).
fn words(header: &str) -> Vec<String> {
    use unicode_normalization::UnicodeNormalization;
    // Compatibility forms first: a full-width `ｆｐ８` is `fp8`.
    let header: String = header.nfkc().collect();
    let text = header
        .to_lowercase()
        .replace('²', "2")
        .replace("^2", "2")
        .replace('µ', "u")
        .replace("sq mm", "mm2")
        .replace("sq. mm", "mm2");
    let split: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    // A precision written apart (`fp_8`, `F P 8`, `INT 8`) is one word: two
    // or three words that spell one are joined (an `fp_8` column was passed
    // through unread).
    let mut out: Vec<String> = Vec::with_capacity(split.len());
    let mut at = 0;
    while at < split.len() {
        let joined = (2..=3).rev().find_map(|n| {
            let run = split.get(at..at.saturating_add(n))?;
            let word = run.concat();
            Precision::from_name(&word).map(|_| (n, word))
        });
        match joined {
            Some((n, word)) => {
                out.push(word);
                at = at.saturating_add(n);
            }
            None => {
                out.push(split[at].clone());
                at = at.saturating_add(1);
            }
        }
    }
    out
}

/// Words that may stand beside a precision and its unit in a throughput
/// header without changing what it measures.
const THROUGHPUT_FILLER: [&str; 14] = [
    "tensor",
    "core",
    "cores",
    "dense",
    "peak",
    "performance",
    "perf",
    "compute",
    "throughput",
    "matrix",
    "ai",
    "theoretical",
    "max",
    "boost",
];

/// Reads one header. Exact chipcheck names are matched before this.
/// The figure a header holds, when it is one that bears on TPP: a precision
/// (`fp8`) or a stated TPP. Asked of a column mapped to `ignore`.
pub fn figure_it_holds(header: &str) -> Option<String> {
    let words = words(header);
    if let Some(p) = words.iter().find_map(|w| Precision::from_name(w)) {
        return Some(p.name().to_string());
    }
    let has = |w: &str| words.iter().any(|x| x == w);
    (words.iter().any(|w| w.contains("tpp"))
        || (has("total") && has("processing") && has("performance")))
    .then(|| "a stated TPP".to_string())
}

pub fn recognise(header: &str) -> Reading {
    let reading = recognise_words(header);
    // A footnote mark on a figure's header (`FP16 TFLOPS*`) points at a
    // note that may qualify it (with sparsity, per die, at boost clock),
    // which chipcheck cannot read.
    let marked = header
        .trim_end()
        .ends_with(['*', '†', '‡', '§', '¹', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹']);
    match reading {
        Reading::Column { field, .. } if marked && field.describes() && field != Field::Name => {
            Reading::Unreadable(
                "its header carries a footnote mark, and the note may qualify the figure (with sparsity, per die, at boost clock)".into(),
            )
        }
        other => other,
    }
}

fn recognise_words(header: &str) -> Reading {
    let words = words(header);
    let has = |w: &str| words.iter().any(|x| x == w);
    // Asked first: `Performance density (TPP per mm²)` names an area unit.
    if let Some(reading) = not_read(&words) {
        return reading;
    }
    let precisions: Vec<Precision> = words
        .iter()
        .filter_map(|w| Precision::from_name(w))
        .collect();
    if !precisions.is_empty() {
        return throughput(&words, &precisions);
    }
    if has("area") || (has("die") && has("size")) || area_unit(&words).is_some() {
        return area(&words);
    }
    let memory = ["memory", "mem", "hbm", "dram"].iter().any(|w| has(w));
    let bandwidth = has("bandwidth") || has("bw");
    if memory && bandwidth {
        return rate(header, Field::MemoryBandwidthGbps);
    }
    let interconnect = ["nvlink", "interconnect", "c2c", "xgmi", "ici", "io"]
        .iter()
        .any(|w| has(w))
        || (has("chip") && has("to"))
        || header.to_lowercase().contains("i/o")
        || (has("infinity") && has("fabric"));
    if interconnect {
        return rate(header, Field::InterconnectGbps);
    }
    if let Some(field) = flag(&words) {
        return Reading::Column { field, unit: None };
    }
    // `Sparsity: Yes` in a vendor's list says the chip supports structured
    // sparsity, not that the row's figures count it: read as the `sparse`
    // flag, it had halved an RTX 4090's dense figures and cleared it.
    if words
        .iter()
        .any(|w| matches!(w.as_str(), "sparse" | "sparsity"))
        && words.len() <= 3
        && precisions_in(&words).is_empty()
    {
        return Reading::Unreadable(
            "it may say the chip supports structured sparsity, not that the row's figures count it; if they do, map it with --column to `sparse` (figures are then halved for TPP)".into(),
        );
    }
    if bandwidth || rate_unit(header).is_some() {
        return Reading::Unreadable(
            "it is a transfer rate, but not said to be memory bandwidth or chip-to-chip I/O".into(),
        );
    }
    if words
        .iter()
        .any(|w| matches!(w.as_str(), "flops" | "tflops" | "tops" | "pflops"))
    {
        return Reading::Unreadable("it is a throughput, but names no precision".into());
    }
    Reading::Other
}

/// A column the answer would turn on that chipcheck never reads: a stated
/// TPP or performance density (worked out from the figures; one passed
/// through would look like the one the verdict used), or a destination or
/// headquarters country per row (the run's flags answer for every row).
/// Headers that only share a word (`Days to ship`, `Vendor HQ`, `HQ city`)
/// are not these.
fn not_read(words: &[String]) -> Option<Reading> {
    let has = |w: &str| words.iter().any(|x| x == w);
    let any = |ws: &[&str]| ws.iter().any(|w| has(w));
    let only = |ws: &[&str]| words.len() == ws.len() && ws.iter().all(|w| has(w));
    let performance = any(&["performance", "perf"]);
    let tpp = words.iter().any(|w| w.contains("tpp"))
        || only(&["t", "p", "p"])
        || only(&["pd"])
        || (has("total") && any(&["processing", "proc"]) && performance)
        || (performance && has("density"));
    if tpp {
        return Some(Reading::Unreadable(
            "it is TPP or performance density, which chipcheck works out from the precision and die area columns and does not take from a column".into(),
        ));
    }
    // Words that make a header about something else: when, or whose.
    let elsewhere = any(&[
        "days",
        "day",
        "weeks",
        "week",
        "time",
        "ready",
        "date",
        "city",
        "vendor",
        "manufacturer",
        "maker",
        "sales",
        "supplier",
        "of",
        "origin",
    ]) && !(has("country") && has("destination"))
        && !(has("end") && has("use"));
    // Where the item goes: `Ship to`, `Delivery country`, `Sold to`.
    let sent = any(&[
        "ship",
        "ships",
        "shipped",
        "shipping",
        "deliver",
        "delivery",
        "delivered",
        "sold",
        "export",
        "exported",
        "consign",
    ]);
    // In the languages export teams' systems write headers in: `Destino`,
    // `Bestimmungsland`, `Lieferland`, `目的地` (passed through, they had left
    // --to answering for rows bound elsewhere).
    let elsewhere_written = any(&[
        "destino",
        "destinazione",
        "destinacao",
        "destinação",
        "bestimmungsland",
        "bestimmungsort",
        "zielland",
        "lieferland",
        "empfangsland",
        "empfängerland",
    ]) || words.iter().any(|w| {
        ["目的地", "目的国", "仕向", "收货国", "收貨國"]
            .iter()
            .any(|k| w.contains(k))
    });
    let destination = has("destination")
        || elsewhere_written
        || (sent && (has("to") || any(&["country", "location", "address"])))
        || only(&["dest", "country"])
        || only(&["dest"])
        // `Country of end use`, `End use country`.
        || (has("end") && has("use") && any(&["country", "location"]));
    // Whose headquarters or country: `Customer HQ`, `Consignee country`,
    // `End customer HQ`, `Parent company HQ`.
    let party = any(&[
        "customer",
        "consignee",
        "buyer",
        "purchaser",
        "client",
        "importer",
        "recipient",
        "parent",
        "enduser",
        "ultimate",
    ]) || (has("end") && any(&["user", "customer"]));
    let place = any(&[
        "hq",
        "headquarters",
        "headquarter",
        "headquartered",
        "country",
        "nationality",
        "domicile",
        "location",
        "address",
    ]);
    let end_user = party && place;
    (!elsewhere && (destination || end_user)).then_some(Reading::PerRun(
        "a destination or an end user's headquarters country, which chipcheck takes for the whole run (--to, --end-user-hq)",
    ))
}

fn throughput(words: &[String], precisions: &[Precision]) -> Reading {
    let bits = precisions.first().map(|p| p.bits());
    if precisions.iter().any(|p| Some(p.bits()) != bits) {
        return Reading::Unreadable(format!(
            "it names precisions of different bit lengths ({})",
            precisions
                .iter()
                .map(|p| p.name())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let field = Field::Figure(precisions[0]);
    if words
        .iter()
        .any(|w| matches!(w.as_str(), "sparse" | "sparsity"))
    {
        return Reading::Unreadable(
            "its figures include sparsity; chipcheck needs dense figures (or a `sparse` column)"
                .into(),
        );
    }
    let units: Vec<Unit> = words
        .iter()
        .filter_map(|w| word_unit(w))
        .filter(|(q, _)| *q == Quantity::Throughput)
        .map(|(_, u)| u)
        .collect();
    let Some(unit) = units.first().copied() else {
        return Reading::Unreadable("it does not say its unit (TFLOPS, TOPS, PFLOPS)".into());
    };
    let stray: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| Precision::from_name(w).is_none() && word_unit(w).is_none())
        .filter(|w| !THROUGHPUT_FILLER.contains(w))
        .collect();
    if !stray.is_empty() {
        return Reading::Unreadable(format!(
            "`{}` may change what it measures (per watt? sparse? a vector unit?)",
            stray.join(" ")
        ));
    }
    Reading::Column {
        field,
        unit: Some(unit),
    }
}

fn area_unit(words: &[String]) -> Option<Unit> {
    words
        .iter()
        .filter_map(|w| word_unit(w))
        .find(|(q, _)| *q == Quantity::Area)
        .map(|(_, u)| u)
}

/// Words an area header may hold and still be the logic die's area. Any
/// other (`footprint`, `pkg`, `module`, `silicon`, `CoWoS`) may make it a
/// larger area, which would understate performance density: refused.
const DIE_AREA_WORDS: [&str; 15] = [
    "die",
    "dies",
    "area",
    "size",
    "mm2",
    "cm2",
    "um2",
    "logic",
    "applicable",
    "chip",
    "gpu",
    "compute",
    "total",
    "of",
    "the",
];

fn area(words: &[String]) -> Reading {
    let not_die = ["package", "interposer", "hbm", "board", "substrate"];
    if let Some(w) = words.iter().find(|w| not_die.contains(&w.as_str())) {
        return Reading::Unreadable(format!(
            "a {w} area is not the applicable die area chipcheck needs"
        ));
    }
    if let Some(w) = words.iter().find(|w| !DIE_AREA_WORDS.contains(&w.as_str())) {
        return Reading::Unreadable(format!(
            "`{w}` may make it another area than the logic die's (a package, module or footprint), which would understate performance density; give the applicable die area in a column of its own, or map this one with --column if it is that"
        ));
    }
    match area_unit(words) {
        Some(unit) => Reading::Column {
            field: Field::AreaMm2,
            unit: Some(unit),
        },
        None => Reading::Unreadable("it does not say its unit (mm², cm²)".into()),
    }
}

/// Words a rate header may hold and still give the chip's aggregate rate:
/// what it measures, its unit, and words that only say "the whole".
/// Any other word (`per direction`, `half-duplex`, `per stack`, `x8`,
/// `egress`) may make the figure a part of the rate, which read as the
/// aggregate would understate it: such a header is refused. Listing what
/// is read, not what is not, since a part can be said in many ways.
const RATE_WORDS: [&str; 44] = [
    // what is measured
    "memory",
    "mem",
    "dram",
    "bandwidth",
    "bw",
    "nvlink",
    "interconnect",
    "c2c",
    "xgmi",
    "ici",
    "io",
    "i",
    "o",
    "chip",
    "to",
    "infinity",
    "fabric",
    // units (as `words` splits them)
    "tb",
    "gb",
    "mb",
    "s",
    "sec",
    "tbps",
    "gbps",
    "mbps",
    "tbit",
    "gbit",
    "mbit",
    // the whole
    "total",
    "aggregate",
    "bidirectional",
    "bi",
    "directional",
    "both",
    "ways",
    "peak",
    "max",
    "maximum",
    "theoretical",
    "speed",
    "rate",
    "transfer",
    "per",
    "the",
];

/// What a rate may be `per` and still be the chip's whole rate: a second,
/// or the chip itself (and nothing after it: `per GPU die` is a part).
const PER_THE_WHOLE: [&str; 9] = [
    "s",
    "sec",
    "second",
    "gpu",
    "chip",
    "card",
    "device",
    "package",
    "accelerator",
];

/// Why a rate header may give only a part of the chip's rate, if it may.
fn part_of_a_rate(words: &[String]) -> Option<String> {
    let memory_kind = |w: &str| {
        ["hbm", "gddr", "lpddr", "ddr"]
            .iter()
            .any(|k| w.starts_with(k))
    };
    let mut after_per = false;
    for (i, word) in words.iter().enumerate() {
        let w = word.as_str();
        let whole = if after_per {
            PER_THE_WHOLE.contains(&w)
        } else if w == "per" {
            words
                .get(i.saturating_add(1))
                .is_some_and(|next| PER_THE_WHOLE.contains(&next.as_str()))
        } else {
            RATE_WORDS.contains(&w) || memory_kind(w)
        };
        after_per = w == "per";
        if !whole {
            return Some(format!(
                "`{w}` may make it a part of the chip's rate (one direction, link, lane or memory stack), and the rules test the chip's aggregate; give the aggregate in a column of its own, or map this one with --column if it is the aggregate"
            ));
        }
    }
    None
}

fn rate(header: &str, field: Field) -> Reading {
    if let Some(why) = part_of_a_rate(&words(header)) {
        return Reading::Unreadable(why);
    }
    match rate_unit(header) {
        Some(Ok(unit)) => Reading::Column {
            field,
            unit: Some(unit),
        },
        Some(Err(why)) => Reading::Unreadable(why),
        None => Reading::Unreadable("it does not say its unit (GB/s, TB/s)".into()),
    }
}

/// Yes/no columns: `Data Center?`, `Datacentre product`, `FinFET`, `Sparse`.
fn precisions_in(words: &[String]) -> Vec<Precision> {
    words
        .iter()
        .filter_map(|w| Precision::from_name(w))
        .collect()
}

fn flag(words: &[String]) -> Option<Field> {
    let filler = [
        "product", "use", "designed", "marketed", "for", "is", "chip", "part",
    ];
    let joined: String = words
        .iter()
        .map(String::as_str)
        .filter(|w| !filler.contains(w))
        .collect();
    match joined.as_str() {
        "datacenter" | "datacentre" | "dc" => Some(Field::Datacenter),
        "nonplanar" | "finfet" | "gaa" | "nonplanarprocess" => Some(Field::NonPlanar),
        "figuresaresparse" | "sparsefigures" => Some(Field::Sparse),
        _ => None,
    }
}

/// The unit of a column mapped explicitly (`--column`, `--columns`): the
/// mapping names the column, the header may still state a unit, which is
/// then converted. No unit in the header means chipcheck's own.
pub fn unit_of_mapped(header: &str, field: Field) -> Result<Option<Unit>, String> {
    let wanted = match field {
        Field::Figure(_) => Quantity::Throughput,
        Field::AreaMm2 => Quantity::Area,
        Field::InterconnectGbps | Field::MemoryBandwidthGbps => Quantity::Rate,
        _ => return Ok(None),
    };
    let words = words(header);
    let stated: Vec<(Quantity, Unit)> = words.iter().filter_map(|w| word_unit(w)).collect();
    let rate = rate_unit(header);
    match (wanted, rate) {
        (Quantity::Rate, Some(found)) => return found.map(Some),
        (_, Some(Ok(u))) => {
            return Err(format!(
                "the header states {}, which is not a unit of `{}`",
                u.name,
                field_name(field)
            ))
        }
        _ => {}
    }
    match stated.first() {
        Some((q, u)) if *q == wanted => Ok(Some(*u)),
        Some((_, u)) => Err(format!(
            "the header states {}, which is not a unit of `{}`",
            u.name,
            field_name(field)
        )),
        None => Ok(None),
    }
}

fn field_name(field: Field) -> &'static str {
    field.name()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(header: &str) -> (Field, &'static str, Decimal) {
        match recognise(header) {
            Reading::Column {
                field,
                unit: Some(u),
            } => (field, u.name, u.factor),
            Reading::Column { field, unit: None } => (field, "-", Decimal::ONE),
            other => panic!("{header}: {other:?}"),
        }
    }

    fn unreadable(header: &str) -> String {
        match recognise(header) {
            Reading::Unreadable(why) => why,
            other => panic!("{header}: {other:?}"),
        }
    }

    #[test]
    fn spreadsheet_spellings_are_read_in_their_units() {
        let fp16 = Field::Figure(Precision::Fp16);
        assert_eq!(column("FP16 TFLOPS"), (fp16, "TFLOPS", Decimal::ONE));
        assert_eq!(
            column("FP16 Tensor Core (TFLOPS)"),
            (fp16, "TFLOPS", Decimal::ONE)
        );
        assert_eq!(column("BF16 PFLOPS").2, Decimal::from(1000));
        assert_eq!(column("INT8 TOPS").0, Field::Figure(Precision::Int8));
        assert_eq!(column("FP16/BF16 TFLOPS").0, fp16);
        assert_eq!(
            column("Die Area (mm²)"),
            (Field::AreaMm2, "mm²", Decimal::ONE)
        );
        assert_eq!(column("Die area [cm^2]").2, Decimal::from(100));
        assert_eq!(
            column("NVLink (GB/s)"),
            (Field::InterconnectGbps, "GB/s", Decimal::ONE)
        );
        assert_eq!(column("Interconnect Gbps").2, Decimal::new(125, 3));
        assert_eq!(
            column("Memory Bandwidth (TB/s)"),
            (Field::MemoryBandwidthGbps, "TB/s", Decimal::from(1000))
        );
        assert_eq!(column("HBM BW (MB/s)").2, Decimal::new(1, 3));
        assert_eq!(column("Data Center?").0, Field::Datacenter);
        assert_eq!(column("FinFET").0, Field::NonPlanar);
    }

    #[test]
    fn figure_like_headers_that_cannot_be_read_safely_are_refused() {
        assert!(unreadable("FP16 TFLOPS (sparse)").contains("sparsity"));
        assert!(unreadable("FP16 TFLOPS per Watt").contains("per watt"));
        assert!(unreadable("FP16 Tensor").contains("unit"));
        assert!(unreadable("FP16/FP8 TFLOPS").contains("bit lengths"));
        assert!(unreadable("Die Area").contains("unit"));
        assert!(unreadable("Package area (mm2)").contains("package"));
        assert!(unreadable("nvlink gbps").contains("bits"));
        assert!(unreadable("Bandwidth (GB/s)").contains("transfer rate"));
        assert!(unreadable("Peak TFLOPS").contains("precision"));
    }

    #[test]
    fn a_rate_that_is_a_part_of_the_chips_total_is_refused() {
        // Read as the total, 300 GB/s per direction would clear a chip
        // whose aggregate bidirectional rate is 600.
        for header in [
            "NVLink per direction (GB/s)",
            "NVLink unidirectional GB/s",
            "Interconnect per link (GB/s)",
            "Memory bandwidth per stack (GB/s)",
            "HBM bandwidth each stack (TB/s)",
            "I/O one-way GB/s",
            "NVLink TX (GB/s)",
            "NVLink GB/s per GPU pair",
            "NVLink GB/s half-duplex",
            "NVLink GB/s/dir",
            "NVLink egress (GB/s)",
            "NVLink (in) GB/s",
            "Memory bandwidth (GB/s) per GPU die",
            "Memory bandwidth (GB/s/GCD)",
            "Memory bandwidth read (GB/s)",
            "Memory bandwidth x4 (GB/s)",
            "NVLink (bidirectional / 2) GB/s",
        ] {
            assert!(
                unreadable(header).contains("part of the chip's rate"),
                "{header}"
            );
        }
        for header in [
            "NVLink per GPU (GB/s)",
            "Memory bandwidth per card (TB/s)",
            "Interconnect bidirectional (GB/s)",
            "Aggregate NVLink (TB/s)",
        ] {
            assert!(
                matches!(recognise(header), Reading::Column { .. }),
                "{header}"
            );
        }
    }

    #[test]
    fn a_party_s_country_or_where_the_item_goes_is_a_per_run_column() {
        for header in [
            "Customer HQ",
            "Consignee country",
            "End customer HQ",
            "Parent company HQ",
            "Buyer HQ",
            "Delivery country",
            "Deliver to",
            "Sold to",
            "Ship to",
            "Destination",
            "End user HQ",
            "Dest",
            "Customer location",
            "Country of end use",
            "End use country",
            "End user location",
            "Delivery address",
            "Consignee address",
            // As other languages write them.
            "Destino",
            "País de destino",
            "Bestimmungsland",
            "Lieferland",
            "Pays de destination",
            "目的地",
            "目的国",
            "仕向地",
        ] {
            assert!(matches!(recognise(header), Reading::PerRun(_)), "{header}");
        }
        for header in [
            "Vendor HQ",
            "Country of origin",
            "Days to ship",
            "Customer",
            "Shipping weight (kg)",
            "HQ city",
            "Herkunftsland",
            "País de origen",
        ] {
            assert!(!matches!(recognise(header), Reading::PerRun(_)), "{header}");
        }
    }

    #[test]
    fn a_figure_header_with_a_footnote_mark_is_refused() {
        for header in [
            "FP16 TFLOPS*",
            "Die area (mm²)†",
            "NVLink (GB/s)¹",
            "FP8 TFLOPS *",
        ] {
            assert!(
                matches!(recognise(header), Reading::Unreadable(_)),
                "{header}"
            );
        }
        for header in ["FP16 TFLOPS", "Die area (mm²)", "Name*"] {
            assert!(
                !matches!(recognise(header), Reading::Unreadable(_)),
                "{header}"
            );
        }
    }

    #[test]
    fn an_area_that_may_not_be_the_die_s_is_refused() {
        for header in [
            "Footprint (mm²)",
            "Pkg area (mm²)",
            "Module area (mm2)",
            "OAM module (mm2)",
            "Total silicon area (mm2)",
            "BGA size (mm2)",
            "CoWoS area (mm2)",
        ] {
            assert!(
                matches!(recognise(header), Reading::Unreadable(_)),
                "{header}"
            );
        }
        for header in [
            "Die area (mm²)",
            "Die size (mm2)",
            "Total die area (mm2)",
            "Area (mm2)",
            "Logic die area [cm^2]",
        ] {
            assert_eq!(column(header).0, Field::AreaMm2, "{header}");
        }
    }

    #[test]
    fn other_columns_pass_through() {
        for header in [
            "Memory (GB)",
            "TDP (W)",
            "Price",
            "Process node (nm)",
            "Die count",
            "SKU",
        ] {
            assert_eq!(recognise(header), Reading::Other, "{header}");
        }
    }

    #[test]
    fn a_mapped_header_is_converted_from_the_unit_it_states() {
        assert_eq!(
            unit_of_mapped("Mem BW (TB/s)", Field::MemoryBandwidthGbps)
                .unwrap()
                .map(|u| u.factor),
            Some(Decimal::from(1000))
        );
        assert_eq!(
            unit_of_mapped("Product area", Field::AreaMm2).unwrap(),
            None
        );
        assert!(unit_of_mapped("Size (cm2)", Field::InterconnectGbps).is_err());
        assert!(unit_of_mapped("X (GB/s)", Field::AreaMm2).is_err());
    }
}
