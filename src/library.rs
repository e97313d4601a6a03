//! The chip library compiled into the binary: one spec sheet per chip in
//! `examples/chips/`, found by name or alias.

use crate::diagnostic::Diagnostic;
use crate::spec::ChipSpec;
use std::sync::OnceLock;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_chips.rs"));
}

/// One library chip: its spec and the file it came from.
#[derive(Debug, Clone)]
pub struct LibraryChip {
    pub file: &'static str,
    pub spec: ChipSpec,
    /// Its name and aliases through [`normalise_name`], worked out once.
    pub names: Vec<ProductName>,
}

/// The compiled form of the library (see `compiled`).
const COMPILED: &str = include_str!("compiled/chips.json");

/// What the compiled form holds of one library chip.
#[derive(serde::Serialize, serde::Deserialize)]
struct ChipForm {
    file: String,
    spec: ChipSpec,
    names: Vec<ProductName>,
}

/// Every library chip. The library is checked by the test suite, so a
/// broken file cannot ship; at run time a file that fails to parse is an
/// error for whoever asks for it, never a silent gap.
pub fn chips() -> Result<&'static [LibraryChip], &'static Diagnostic> {
    static CELL: OnceLock<Result<Vec<LibraryChip>, Diagnostic>> = OnceLock::new();
    CELL.get_or_init(|| compiled_chips().map_or_else(chips_from_toml, Ok))
        .as_ref()
        .map(Vec::as_slice)
}

/// The library from its compiled form, when that is of the files built in.
fn compiled_chips() -> Option<Vec<LibraryChip>> {
    let forms: Vec<ChipForm> = crate::compiled::read(COMPILED, crate::compiled::FINGERPRINT)?;
    forms
        .into_iter()
        .map(|form| {
            // The file name as built in (a `&'static str`).
            let (file, _) = embedded::CHIP_FILES.iter().find(|(f, _)| *f == form.file)?;
            Some(LibraryChip {
                file,
                spec: form.spec,
                names: form.names,
            })
        })
        .collect()
}

/// The library parsed and checked from its TOML.
fn chips_from_toml() -> Result<Vec<LibraryChip>, Diagnostic> {
    embedded::CHIP_FILES
        .iter()
        .map(|(file, text)| {
            ChipSpec::from_embedded_toml(&format!("examples/chips/{file}"), text).map(|spec| {
                LibraryChip {
                    file,
                    names: chip_names(&spec),
                    spec,
                }
            })
        })
        .collect()
}

/// Folds a name for matching: case, spacing and punctuation ignored, and
/// compatibility forms read as the characters they stand for (full-width
/// `Ｈ２０` is `h20`, as Unicode's NFKC has it).
pub fn fold(name: &str) -> String {
    if name.is_ascii() {
        let mut folded = String::with_capacity(name.len());
        for b in name.bytes().filter(u8::is_ascii_alphanumeric) {
            folded.push(char::from(b.to_ascii_lowercase()));
        }
        return folded;
    }
    use unicode_normalization::UnicodeNormalization;
    let folded: String = name
        .nfkc()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    latin_look_alikes(&folded)
}

/// A name that mixes Latin letters with look-alikes from another script
/// (`nоrdіс` with a Cyrillic `о`, `і` and `с`, as a spoof or a slip of the
/// keyboard) read with the Latin letters they look like. A name in one
/// script (`москва`, `华为`) is left as it is.
fn latin_look_alikes(folded: &str) -> String {
    let latin = folded.chars().any(|c| c.is_ascii_alphabetic());
    let other = folded.chars().any(|c| !c.is_ascii() && c.is_alphabetic());
    if !(latin && other) {
        return folded.to_string();
    }
    folded
        .chars()
        .map(|c| {
            if c.is_ascii() {
                return c;
            }
            let mut buffer = [0; 4];
            let text: &str = c.encode_utf8(&mut buffer);
            let mut skeleton = unicode_security::skeleton(text).flat_map(char::to_lowercase);
            match (skeleton.next(), skeleton.next()) {
                (Some(l), None) if l.is_ascii_alphanumeric() => l,
                _ => c,
            }
        })
        .collect()
}

/// The characters a folded name holds, as bits (`a`-`z`, `0`-`9`, and one
/// bit for any other): a name whose bits miss one of another's cannot
/// hold that name's characters, which is asked of every catalogue row.
pub fn char_mask(folded: &str) -> u64 {
    folded.chars().fold(0u64, |mask, c| {
        let bit = match c {
            'a'..='z' => u32::from(c).saturating_sub(u32::from('a')),
            '0'..='9' => u32::from(c)
                .saturating_sub(u32::from('0'))
                .saturating_add(26),
            _ => 63,
        };
        mask | 1u64.checked_shl(bit).unwrap_or(1 << 63)
    })
}

/// A name as it looks: folded after each character is replaced by the one
/// it can be mistaken for (Unicode's confusable skeleton, UTS #39: Cyrillic
/// `М` as `M`, `0` as `O`). Two names that look alike have the same one;
/// used only to say a name *may* be another, never that it is.
pub fn look(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // Upper case first: the skeleton keeps case, and `i` and `I` differ there.
    let upper: String = name.nfkc().flat_map(char::to_uppercase).collect();
    fold(&unicode_security::skeleton(&upper).collect::<String>())
}

/// Vendor names as people write them, each with the vendor it means.
const VENDOR_WORDS: &[(&str, &str)] = &[
    ("nvidia", "nvidia"),
    ("nvidiacorporation", "nvidia"),
    ("amd", "amd"),
    ("advancedmicrodevices", "amd"),
    ("intel", "intel"),
    ("habana", "intel"),
    ("habanalabs", "intel"),
    ("google", "google"),
    ("aws", "aws"),
    ("amazon", "aws"),
    ("amazonwebservices", "aws"),
    ("groq", "groq"),
    ("huawei", "huawei"),
    ("hisilicon", "huawei"),
    // As the companies are written in Chinese and Japanese.
    ("英伟达", "nvidia"),
    ("輝達", "nvidia"),
    ("エヌビディア", "nvidia"),
    ("超威", "amd"),
    ("超威半导体", "amd"),
    ("超微", "amd"),
    ("超微半導體", "amd"),
    ("华为", "huawei"),
    ("華為", "huawei"),
];

/// Whether `key` is a vendor chipcheck knows by name (a [`vendor_key`] of
/// one of the vendor names it lists).
pub fn is_known_vendor(key: &str) -> bool {
    // The keys of `VENDOR_WORDS`, once each (a test keeps them so): asked
    // for every catalogue row of a vendor no letter names.
    const KEYS: [&str; 7] = ["nvidia", "amd", "intel", "google", "aws", "groq", "huawei"];
    KEYS.contains(&key)
}

/// Words for a company's legal form, which say nothing of which company
/// it is (`NVIDIA Corp.`, `Advanced Micro Devices, Inc.`, `NVIDIA GmbH`).
const LEGAL_FORMS: &[&str] = &[
    "ab",
    "ag",
    "bv",
    "co",
    "company",
    "corp",
    "corporation",
    "gmbh",
    "inc",
    "incorporated",
    "kk",
    "limited",
    "llc",
    "llp",
    "lp",
    "ltd",
    "nv",
    "oy",
    "plc",
    "pte",
    "pty",
    "sa",
    "sarl",
    "spa",
    "srl",
    "ulc",
];

/// What people write where they do not know a value (a vendor, a party, a
/// figure), folded as [`fold`] folds: `N/A`, `n.a.`, `#N/A`, `[TBD]`,
/// `t.b.d.`, `TBC`, `To be confirmed`, and one mark alone (`-`, `?`, `—`).
/// The one list: every reader of such a cell asks
/// [`is_placeholder`].
const PLACEHOLDERS: &[&str] = &[
    "",
    "na",
    "nk",
    "nil",
    "none",
    "notapplicable",
    "notavailable",
    "notgiven",
    "notknown",
    "null",
    "pending",
    "tba",
    "tbc",
    "tbd",
    "tobeadvised",
    "tobeannounced",
    "tobeconfirmed",
    "tobedetermined",
    "unk",
    "unknown",
    "unspecified",
    "various",
];

/// Whether a (non-empty) text only says that the value is not known: see
/// [`PLACEHOLDERS`]. An empty text is no value, not a placeholder.
pub fn is_placeholder(text: &str) -> bool {
    let text = text.trim();
    // A figure begins with a digit: the common case, asked for every cell.
    if text.is_empty() || text.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    match fold(text).as_str() {
        // One mark alone (`-`, `?`, `—`); a run of them (`--`) is a figure
        // written wrong, not a word for "unknown".
        "" => text.chars().count() == 1,
        key => PLACEHOLDERS.contains(&key),
    }
}

/// The vendor a vendor name means (`Advanced Micro Devices, Inc.` ->
/// `amd`), folded, its legal form left out; an unlisted vendor is its
/// folded name.
pub fn vendor_key(vendor: &str) -> String {
    let is_word = |c: char| c.is_alphanumeric();
    // Legal-form words at the end, while a word is left before them. Only
    // a short word is folded to be compared: this runs for every row.
    let mut kept = vendor.trim_end_matches(|c: char| !is_word(c));
    loop {
        let start = kept
            .char_indices()
            .rev()
            .find(|(_, c)| !is_word(*c))
            .map_or(0, |(i, c)| i.saturating_add(c.len_utf8()));
        let (before, word) = kept.split_at(start);
        if !before.chars().any(is_word)
            || word.len() > 16
            || !LEGAL_FORMS.contains(&fold(word).as_str())
        {
            break;
        }
        kept = before.trim_end_matches(|c: char| !is_word(c));
    }
    let folded = fold(kept);
    VENDOR_WORDS
        .iter()
        .find(|(word, _)| *word == folded)
        .map(|(_, key)| key.to_string())
        .unwrap_or(folded)
}

/// [`vendor_key`] of the vendor a spec gives, unless what it gives says
/// only that the vendor is not known (`N/A`, `unknown`, `-`).
pub fn given_vendor_key(vendor: Option<&str>) -> Option<String> {
    vendor
        .map(vendor_key)
        .filter(|key| !PLACEHOLDERS.contains(&key.as_str()))
}

/// Whether a vendor name that is not the vendor keyed `key` may still be
/// it: it names that vendor among other words (`NVIDIA Taiwan`), or it
/// looks like its name (`NVIDІA` with a Cyrillic `І`, `NV1DIA`).
pub fn vendor_may_be(vendor: &str, key: &str) -> bool {
    let words = || VENDOR_WORDS.iter().filter(|(_, k)| *k == key);
    // Its own words, or a run of them, spell the vendor (`NVIDIA Taiwan`,
    // `Advanced Micro Devices Shanghai`); a word that only begins alike
    // (`Amdocs`) does not.
    let own: Vec<String> = vendor
        .split(|c: char| !c.is_alphanumeric())
        .map(fold)
        .filter(|w| !w.is_empty())
        .collect();
    let spelt = |word: &str| {
        (0..own.len()).any(|start| {
            let mut run = String::new();
            own[start..].iter().any(|w| {
                run.push_str(w);
                run == word
            })
        })
    };
    if words().any(|(word, _)| spelt(word)) {
        return true;
    }
    // A name of plain ASCII letters is taken as written: the skeleton
    // (costly next to the rest of a catalogue row) is asked only of names
    // with other letters or with digits.
    if vendor.is_ascii() && !vendor.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    static WORD_LOOKS: OnceLock<Vec<(String, &str)>> = OnceLock::new();
    let looks = look(vendor);
    WORD_LOOKS
        .get_or_init(|| VENDOR_WORDS.iter().map(|(w, k)| (look(w), *k)).collect())
        .iter()
        .any(|(word, k)| *k == key && looks.contains(word.as_str()))
}

/// A product name as chipcheck compares it: the folded name without a
/// vendor prefix or memory size, the memory size apart, and the vendor the
/// prefix named.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProductName {
    /// Folded name less vendor prefix and memory size (`h100sxm5`).
    pub core: String,
    /// A memory size written in the name (`80GB` -> 80), in GB.
    pub memory_gb: Option<u32>,
    /// The vendor a prefix of the name gives (`AMD MI308` -> `amd`).
    pub vendor: Option<String>,
    /// Folded name less vendor prefix, memory size kept (`h100sxm580gb`):
    /// what a name written with no spaces at all can be compared by.
    pub folded: String,
}

impl ProductName {
    /// The same product: the same core, and the same memory size where
    /// both names give one (`H20` is `H20 96GB`; `A100 40GB` is not
    /// `A100 80GB`).
    pub fn same_product(&self, other: &ProductName) -> bool {
        (self.core == other.core
            && match (self.memory_gb, other.memory_gb) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            })
            || self.folded == other.folded
    }

    /// The name less a vendor written fused to it (`NVIDIAH100` for
    /// `vendor` NVIDIA), when it is.
    pub fn without_fused_vendor(&self, vendor: &str) -> Option<ProductName> {
        let v = fold(vendor);
        let core = self.core.strip_prefix(v.as_str())?;
        let folded = self.folded.strip_prefix(v.as_str())?;
        (!core.is_empty()).then(|| ProductName {
            core: core.to_string(),
            memory_gb: self.memory_gb,
            vendor: Some(vendor_key(vendor)),
            folded: folded.to_string(),
        })
    }

    /// Exactly the same name (core and memory size).
    pub fn same_name(&self, other: &ProductName) -> bool {
        self.core == other.core && self.memory_gb == other.memory_gb
    }
}

/// A memory size token (`80GB`, `96gb`, `1TB`) in GB.
fn memory_size(token: &str, unit: Option<&str>) -> Option<u32> {
    let lower = token.to_lowercase();
    let digits: String = lower.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    let rest = match unit {
        Some(u) if lower == digits => u.to_lowercase(),
        Some(_) => return None,
        None => lower[digits.len()..].to_string(),
    };
    let n: u32 = digits.parse().ok()?;
    match rest.as_str() {
        "gb" | "gib" | "g" => Some(n),
        "tb" | "tib" => n.checked_mul(1024),
        _ => None,
    }
}

/// The one product-name normaliser: case, spacing and punctuation ignored,
/// a vendor prefix (the given vendor's, or any vendor chipcheck knows)
/// dropped, and a memory size (`96GB`, `80 GB`) set apart. Letters, the
/// library and licences all compare names through it.
pub fn normalise_name(name: &str, vendor: Option<&str>) -> ProductName {
    let tokens: Vec<&str> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    let mut kept: Vec<String> = Vec::new();
    // Every token but the vendor's, memory sizes included.
    let mut all: Vec<String> = Vec::new();
    let mut memory_gb = None;
    let several = tokens.len() > 1;
    let mut rest = tokens.iter().copied().peekable();
    while let Some(token) = rest.next() {
        if several {
            if let Some(gb) = memory_size(token, None) {
                memory_gb = Some(gb);
                all.push(fold(token));
                continue;
            }
            let unit = rest.peek().copied();
            if let Some((gb, unit)) = unit.and_then(|u| Some((memory_size(token, Some(u))?, u))) {
                memory_gb = Some(gb);
                all.push(fold(token) + &fold(unit));
                rest.next();
                continue;
            }
        }
        kept.push(fold(token));
        all.push(fold(token));
    }
    // Vendor prefixes of one to three words (`Advanced Micro Devices`),
    // repeated or not (`AMD AMD MI308X`).
    let given = vendor.map(fold);
    let mut found_vendor = None;
    'prefix: loop {
        for words in (1..=3.min(kept.len().saturating_sub(1))).rev() {
            let prefix: String = kept[..words].concat();
            let known = VENDOR_WORDS.iter().any(|(w, _)| *w == prefix);
            if known || given.as_deref() == Some(prefix.as_str()) {
                found_vendor = Some(vendor_key(&prefix));
                kept.drain(..words);
                all.drain(..words);
                continue 'prefix;
            }
        }
        break;
    }
    if kept.is_empty() {
        // Nothing but a size: the size is the name.
        kept.push(fold(name));
        all = kept.clone();
        memory_gb = None;
    }
    ProductName {
        core: kept.concat(),
        memory_gb,
        vendor: found_vendor,
        folded: all.concat(),
    }
}

/// Every name a library chip answers to, normalised.
pub fn chip_names(spec: &ChipSpec) -> Vec<ProductName> {
    names_of(&spec.name, &spec.aliases, spec.vendor.as_deref())
}

/// A name and its aliases through the normaliser.
pub fn names_of(name: &str, aliases: &[String], vendor: Option<&str>) -> Vec<ProductName> {
    std::iter::once(name)
        .chain(aliases.iter().map(String::as_str))
        .map(|n| normalise_name(n, vendor))
        .collect()
}

/// Letters and digits people mistype for each other (`H1OO` for `H100`).
fn confusable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'o' => '0',
            'l' | 'i' => '1',
            's' => '5',
            other => other,
        })
        .collect()
}

/// The result of looking a name up.
#[derive(Debug)]
pub enum Lookup {
    Found(&'static LibraryChip),
    Ambiguous(Vec<&'static LibraryChip>),
    NotFound { suggestions: Vec<String> },
}

/// The one answer from a tier of matches, if the tier has any.
fn tier(matches: Vec<&'static LibraryChip>) -> Option<Lookup> {
    match matches.len() {
        0 => None,
        1 => Some(Lookup::Found(matches[0])),
        _ => Some(Lookup::Ambiguous(matches)),
    }
}

/// One name is the other plus more words (`mi308` and `mi308oam`), where
/// the shorter ends at a letter/digit boundary (`h20` does not begin
/// `h200`).
pub fn begins_alike(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() < 2 || short == long || !long.starts_with(short) {
        return false;
    }
    let last = short.chars().last();
    let next = long[short.len()..].chars().next();
    match (last, next) {
        (Some(l), Some(n)) => l.is_ascii_digit() != n.is_ascii_digit(),
        _ => false,
    }
}

/// Finds a chip by name or alias through [`normalise_name`]: case, spacing,
/// punctuation, a vendor prefix and a memory size are matched the way
/// people write them (`NVIDIA H100 SXM5 80GB`, `h100 sxm`, `mi250x`).
/// The library product a name (with its vendor, when the name alone is not
/// found) is, when it is exactly one.
pub fn product_named(name: &str, vendor: Option<&str>) -> Option<&'static LibraryChip> {
    // No product is named in a paragraph: a name of a million characters
    // (a malformed row) took the look-up minutes, for nothing.
    if name.len() > 256 {
        return None;
    }
    let found = |n: &str| match find(n) {
        Ok(Lookup::Found(c)) => Some(c),
        _ => None,
    };
    found(name).or_else(|| vendor.and_then(|v| found(&format!("{v} {name}"))))
}

/// The one library product a name and vendor name exactly, written as the
/// library writes one of its names (case, spacing and punctuation aside).
pub fn exactly_named(name: &str, vendor: Option<&str>) -> Option<&'static LibraryChip> {
    // Asked of every catalogue row: a name whose folded form is no library
    // name's is let go before the normaliser runs (it had been a fifth of
    // a distinct row's work). A name with more words than the library's
    // (`NVIDIA GeForce RTX 4090 24GB`) is let go too.
    if name.len() > 256 || !library_keys().contains(fold(name).as_str()) {
        return None;
    }
    let one = |found: Vec<&'static LibraryChip>| match found.as_slice() {
        [one] => Some(*one),
        _ => None,
    };
    // A vendor that designs no chip (a reseller, an OEM) may sell the
    // product under the maker's name: the name alone then.
    let reseller = vendor
        .and_then(|v| given_vendor_key(Some(v)))
        .is_some_and(|key| !is_known_vendor(&key));
    one(named(name, vendor).ok()?).or_else(|| {
        reseller
            .then(|| named(name, None).ok())
            .flatten()
            .and_then(one)
    })
}

pub fn find(name: &str) -> Result<Lookup, &'static Diagnostic> {
    let chips = chips()?;
    if let Some(found) = tier(named(name, None)?) {
        return Ok(found);
    }
    let wanted_name = normalise_name(name, None);
    let wanted = wanted_name.core;
    if wanted.is_empty() {
        return Ok(Lookup::NotFound {
            suggestions: Vec::new(),
        });
    }
    let keys =
        |c: &LibraryChip| -> Vec<String> { c.names.iter().map(|n| n.core.clone()).collect() };
    // A name that starts a chip's name (`h100 sxm` -> `H100 SXM5 80GB`).
    // One chip found only by stopping inside its number (`B20` starts the
    // B200's name, and was read as it) is suggested, not taken; several
    // are listed as ambiguous either way.
    let prefixed: Vec<(&LibraryChip, bool)> = chips
        .iter()
        .filter(|c| memory_agrees(c, wanted_name.memory_gb))
        .filter_map(|c| {
            let keys = keys(c);
            let at_word_end = keys
                .iter()
                .any(|k| *k == wanted || (k.len() > wanted.len() && begins_alike(&wanted, k)));
            keys.iter()
                .any(|k| k.starts_with(&wanted))
                .then_some((c, at_word_end))
        })
        .collect();
    if let [(chip, false)] = prefixed.as_slice() {
        return Ok(Lookup::NotFound {
            suggestions: vec![chip.spec.display_name()],
        });
    }
    if let Some(found) = tier(prefixed.into_iter().map(|(c, _)| c).collect()) {
        return Ok(found);
    }
    let mut scored: Vec<(f64, String)> = chips
        .iter()
        .map(|c| {
            let best = keys(c)
                .iter()
                .map(|k| {
                    // Short names (`h1oo` for `h100`) are judged by edit
                    // distance: one slip per three characters.
                    let close = strsim::levenshtein(&wanted, k) <= (k.chars().count() / 3).max(1)
                        || confusable(&wanted) == confusable(k);
                    strsim::jaro_winkler(&wanted, k).max(if close { 0.9 } else { 0.0 })
                })
                .fold(0.0, f64::max);
            (best, c.spec.display_name())
        })
        .filter(|(s, _)| *s >= 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    Ok(Lookup::NotFound {
        suggestions: scored.into_iter().take(5).map(|(_, n)| n).collect(),
    })
}

/// Every core and folded name of the library's chips: a name matches a chip
/// (by [`ProductName::same_name`] or [`ProductName::same_product`]) only if
/// its core or its folded name is one of these.
fn library_keys() -> &'static std::collections::HashSet<&'static str> {
    static KEYS: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    KEYS.get_or_init(|| {
        chips()
            .map(|chips| {
                chips
                    .iter()
                    .flat_map(|c| &c.names)
                    .flat_map(|n| [n.core.as_str(), n.folded.as_str()])
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// The library chips a name (with its vendor, when known) is: those it names
/// exactly, else those it names up to a memory size. No prefixes, no
/// guesses: what a letter or licence may rely on.
pub fn named(
    name: &str,
    vendor: Option<&str>,
) -> Result<Vec<&'static LibraryChip>, &'static Diagnostic> {
    let chips = chips()?;
    let mut wanted = normalise_name(name, vendor);
    if wanted.vendor.is_none() {
        wanted.vendor = vendor.map(vendor_key);
    }
    // Most names in a catalogue are no library chip's: two set lookups say
    // so without comparing against every name of every chip.
    if !library_keys().contains(wanted.core.as_str())
        && !library_keys().contains(wanted.folded.as_str())
    {
        return Ok(Vec::new());
    }
    let matching = |same: fn(&ProductName, &ProductName) -> bool| -> Vec<&'static LibraryChip> {
        chips
            .iter()
            .filter(|c| c.names.iter().any(|n| same(n, &wanted)))
            .filter(|c| vendor_agrees(&wanted, &c.spec))
            .collect()
    };
    let exact = matching(ProductName::same_name);
    if !exact.is_empty() {
        return Ok(exact);
    }
    Ok(matching(ProductName::same_product)
        .into_iter()
        .filter(|c| memory_agrees(c, wanted.memory_gb))
        .collect())
}

/// A name matched up to a memory size, but not to another one: a chip whose
/// names say it comes in 24 GB is not an `A10 80GB` (a slip for the A100
/// 80GB, read as the A10 and cleared). A chip whose names state no size
/// may come in any.
fn memory_agrees(chip: &LibraryChip, memory_gb: Option<u32>) -> bool {
    let Some(gb) = memory_gb else {
        return true;
    };
    let mut stated = chip.names.iter().filter_map(|n| n.memory_gb).peekable();
    stated.peek().is_none() || stated.any(|m| m == gb)
}

/// A vendor the name itself gives must be the chip's.
fn vendor_agrees(name: &ProductName, spec: &ChipSpec) -> bool {
    match (&name.vendor, &spec.vendor) {
        (Some(v), Some(c)) => *v == vendor_key(c),
        _ => true,
    }
}

/// The text of a library file, as compiled in.
pub fn file_text(file: &str) -> Option<&'static str> {
    embedded::CHIP_FILES
        .iter()
        .find(|(f, _)| *f == file)
        .map(|(_, t)| *t)
}

/// Why a chip could not be taken from the library.
#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    /// The embedded library itself did not load.
    #[error("{0}")]
    Library(Box<Diagnostic>),
    /// The name is unknown or ambiguous; the message says what it matches.
    #[error("{0}")]
    Name(String),
}

/// A library chip by name or alias, with the candidates or suggestions on a
/// miss worded for the user.
pub fn chip(name: &str) -> Result<&'static ChipSpec, LookupError> {
    use LookupError::Name;
    match find(name).map_err(|d| LookupError::Library(Box::new(d.clone())))? {
        Lookup::Found(c) => Ok(&c.spec),
        Lookup::Ambiguous(cs) => Err(Name(format!(
            "chip name `{name}` is ambiguous; it matches: {}",
            cs.iter()
                .map(|c| c.spec.display_name())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
        Lookup::NotFound { suggestions } if suggestions.is_empty() => Err(Name(format!(
            "no chip named `{name}` in the library; `chipcheck chips` lists them"
        ))),
        Lookup::NotFound { suggestions } => Err(Name(format!(
            "no chip named `{name}` in the library; did you mean: {}?",
            suggestions.join(", ")
        ))),
    }
}

/// What a system contains, as (count, spec): library chips looked up by
/// name, inline specs as given.
pub fn resolve_contained(spec: &ChipSpec) -> Result<Vec<(u32, ChipSpec)>, LookupError> {
    resolve_within(spec, 0)
}

/// Systems inside a system (a rack of servers of GPUs) are read down to
/// their chips, counts multiplied: a server has no figures of its own, so
/// a rack of them was undecided however plain its GPUs. Eight levels at
/// most; deeper, a system is left as it is (and is undecided).
fn resolve_within(spec: &ChipSpec, depth: u32) -> Result<Vec<(u32, ChipSpec)>, LookupError> {
    let mut out = Vec::new();
    for item in &spec.contains {
        let chip = match (&item.chip, &item.spec) {
            (Some(name), _) => chip(name)?.clone(),
            (None, Some(inner)) => (**inner).clone(),
            (None, None) => continue,
        };
        if chip.is_system() && depth < 8 {
            for (count, mut inner) in resolve_within(&chip, depth.saturating_add(1))? {
                // A system inside a system: how it is marketed holds for
                // its chips, whatever the outer one says (a datacenter
                // server in a rack that said `datacenter = false` had its
                // consumer GPUs cleared under Note 2).
                crate::spec::marketed_within(&chip, &mut inner);
                out.push((item.count.saturating_mul(count), inner));
            }
        } else {
            out.push((item.count, chip));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_read_however_they_are_written() {
        for text in [
            "N/A",
            "n.a.",
            "#N/A",
            "[TBD]",
            "t.b.d.",
            "TBD.",
            "TBC",
            "To be confirmed",
            "pending",
            "-",
            "?",
            "—",
            "−",
            "ＴＢＤ",
            "unknown",
        ] {
            assert!(is_placeholder(text), "{text}");
        }
        for text in [
            "",
            "0",
            "-5",
            "3M",
            "Acme",
            "Nan Ya",
            "NA Electronics",
            "1/2",
        ] {
            assert!(!is_placeholder(text), "{text}");
        }
    }

    #[test]
    fn the_known_vendors_are_the_keys_of_the_vendor_words() {
        for (_, key) in VENDOR_WORDS {
            assert!(is_known_vendor(key), "{key}");
        }
        assert!(!is_known_vendor("acme"));
    }

    fn forms(chips: &[LibraryChip]) -> Vec<ChipForm> {
        chips
            .iter()
            .map(|c| ChipForm {
                file: c.file.to_string(),
                spec: c.spec.clone(),
                names: c.names.clone(),
            })
            .collect()
    }

    /// The committed compiled form is what the embedded TOML gives now.
    #[test]
    fn compiled_chips_are_current() {
        let chips = chips_from_toml().expect("the library");
        let rendered = crate::compiled::render(crate::compiled::FINGERPRINT, &forms(&chips));
        crate::compiled::check_current("src/compiled/chips.json", COMPILED, &rendered);
    }

    /// The compiled form is read, and reads back as the TOML loads.
    #[test]
    fn compiled_chips_load_as_the_toml_does() {
        let compiled = compiled_chips()
            .expect("the compiled library is not read (stale? see compiled_chips_are_current)");
        let toml = chips_from_toml().expect("the library");
        assert_eq!(format!("{compiled:#?}"), format!("{toml:#?}"));
    }

    /// The library is read without the guard on every start; this is where
    /// the guard checks every embedded file (and the library loads whole).
    #[test]
    fn every_embedded_file_passes_the_guard() {
        assert!(!embedded::CHIP_FILES.is_empty());
        for (file, text) in embedded::CHIP_FILES {
            let path = format!("examples/chips/{file}");
            if let Err(e) = crate::guard::check_spec(&path, text) {
                panic!("{path}: {e}");
            }
        }
        assert_eq!(chips().unwrap().len(), embedded::CHIP_FILES.len());
    }

    #[test]
    fn normalises_the_names_people_write() {
        let n = normalise_name("AMD Instinct MI308X 192 GB", None);
        assert_eq!(
            (n.core.as_str(), n.memory_gb),
            ("instinctmi308x", Some(192))
        );
        assert_eq!(n.vendor.as_deref(), Some("amd"));
        let n = normalise_name("nvidia-h100-sxm5-80gb", None);
        assert_eq!((n.core.as_str(), n.memory_gb), ("h100sxm5", Some(80)));
        assert_eq!(
            normalise_name("Advanced Micro Devices MI250", None).core,
            "mi250"
        );
        // A vendor word inside a product name is not a prefix.
        assert_eq!(normalise_name("GroqChip", None).core, "groqchip");
        // A bare number is a model, not a memory size.
        assert_eq!(normalise_name("4090", None).core, "4090");
        assert!(normalise_name("H20", None).same_product(&normalise_name("H20 96GB", None)));
        assert!(!normalise_name("A100 40GB", None).same_product(&normalise_name("A100 80GB", None)));
        assert!(!normalise_name("H200", None).same_product(&normalise_name("H20", None)));
    }
}
