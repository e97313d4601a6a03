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
}

/// Every library chip. The library is checked by the test suite, so a
/// broken file cannot ship; at run time a file that fails to parse is an
/// error for whoever asks for it, never a silent gap.
pub fn chips() -> Result<&'static [LibraryChip], &'static Diagnostic> {
    static CELL: OnceLock<Result<Vec<LibraryChip>, Diagnostic>> = OnceLock::new();
    CELL.get_or_init(|| {
        embedded::CHIP_FILES
            .iter()
            .map(|(file, text)| {
                ChipSpec::from_toml(&format!("examples/chips/{file}"), text)
                    .map(|spec| LibraryChip { file, spec })
            })
            .collect()
    })
    .as_ref()
    .map(Vec::as_slice)
}

/// Folds a name for matching: case, spacing and punctuation ignored.
pub fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
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

/// Finds a chip by name or alias, ignoring case, spacing, punctuation and a
/// vendor prefix (`NVIDIA H100 SXM5 80GB`, `h100 sxm`, `mi250x`).
pub fn find(name: &str) -> Result<Lookup, &'static Diagnostic> {
    let chips = chips()?;
    let wanted = fold(name);
    let keys = |c: &LibraryChip| -> Vec<String> {
        let mut keys = vec![fold(&c.spec.name)];
        keys.extend(c.spec.aliases.iter().map(|a| fold(a)));
        if let Some(v) = &c.spec.vendor {
            let v = fold(v);
            let with_vendor: Vec<String> = keys.iter().map(|k| format!("{v}{k}")).collect();
            keys.extend(with_vendor);
        }
        keys
    };
    let exact: Vec<&LibraryChip> = chips.iter().filter(|c| keys(c).contains(&wanted)).collect();
    match exact.len() {
        1 => return Ok(Lookup::Found(exact[0])),
        n if n > 1 => return Ok(Lookup::Ambiguous(exact)),
        _ => {}
    }
    if wanted.is_empty() {
        return Ok(Lookup::NotFound {
            suggestions: Vec::new(),
        });
    }
    // A name that starts a chip's name (`h100 sxm` -> `H100 SXM5 80GB`).
    let prefixed: Vec<&LibraryChip> = chips
        .iter()
        .filter(|c| keys(c).iter().any(|k| k.starts_with(&wanted)))
        .collect();
    match prefixed.len() {
        1 => return Ok(Lookup::Found(prefixed[0])),
        n if n > 1 => return Ok(Lookup::Ambiguous(prefixed)),
        _ => {}
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

/// The text of a library file, as compiled in.
pub fn file_text(file: &str) -> Option<&'static str> {
    embedded::CHIP_FILES
        .iter()
        .find(|(f, _)| *f == file)
        .map(|(_, t)| *t)
}

/// A library chip by name or alias, with the candidates or suggestions on a
/// miss worded for the user.
pub fn chip(name: &str) -> Result<&'static ChipSpec, crate::error::Error> {
    use crate::error::Error;
    match find(name).map_err(|d| Error::Input(Box::new(d.clone())))? {
        Lookup::Found(c) => Ok(&c.spec),
        Lookup::Ambiguous(cs) => Err(Error::Usage(format!(
            "chip name `{name}` is ambiguous; it matches: {}",
            cs.iter()
                .map(|c| c.spec.display_name())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
        Lookup::NotFound { suggestions } if suggestions.is_empty() => Err(Error::Usage(format!(
            "no chip named `{name}` in the library; `chipcheck chips` lists them"
        ))),
        Lookup::NotFound { suggestions } => Err(Error::Usage(format!(
            "no chip named `{name}` in the library; did you mean: {}?",
            suggestions.join(", ")
        ))),
    }
}

/// What a system contains, as (count, spec): library chips looked up by
/// name, inline specs as given.
pub fn resolve_contained(spec: &ChipSpec) -> Result<Vec<(u32, ChipSpec)>, crate::error::Error> {
    let mut out = Vec::new();
    for item in &spec.contains {
        let chip = match (&item.chip, &item.spec) {
            (Some(name), _) => chip(name)?.clone(),
            (None, Some(inner)) => (**inner).clone(),
            (None, None) => continue,
        };
        out.push((item.count, chip));
    }
    Ok(out)
}
