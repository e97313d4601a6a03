//! Destinations: ISO 3166-1 alpha-2 and alpha-3 codes and English names.

use crate::diagnostic::did_you_mean;
// Names fold as every name chipcheck compares does.
use crate::library::fold;
use std::sync::OnceLock;

// `COUNTRIES` and `CODES`, written by build.rs from `countries.tsv`.
include!(concat!(env!("OUT_DIR"), "/countries.rs"));

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    pub code: &'static str,
    /// The ISO 3166-1 alpha-3 code (`CHN`), which trade systems often use.
    pub alpha3: &'static str,
    pub name: &'static str,
    names: &'static [&'static str],
}

/// Every spelling a country is found by (lower-case codes, folded names),
/// built once, so a look-up folds only its input: it runs once per result.
fn index() -> &'static std::collections::HashMap<String, &'static Country> {
    static CELL: OnceLock<std::collections::HashMap<String, &'static Country>> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut index = std::collections::HashMap::new();
        // Names first, then codes, so a code wins over a name that folds to it.
        for c in table() {
            for n in c.names {
                index.entry(fold(n)).or_insert(c);
            }
        }
        for c in table() {
            index.insert(c.alpha3.to_ascii_lowercase(), c);
        }
        for c in table() {
            index.insert(c.code.to_ascii_lowercase(), c);
        }
        index
    })
}

/// A country by its alpha-2 or alpha-3 code exactly (any case), from the
/// codes sorted at build time: what most look-ups are, found without
/// building the index of every spelling (which a one-shot run would pay
/// for). The index gives the same answer, since a code wins over any name
/// there.
fn by_code(text: &str) -> Option<&'static Country> {
    if !(2..=3).contains(&text.len()) || !text.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let mut upper = [0u8; 3];
    let upper = &mut upper[..text.len()];
    upper.copy_from_slice(text.as_bytes());
    upper.make_ascii_uppercase();
    let wanted = std::str::from_utf8(upper).ok()?;
    let i = CODES
        .binary_search_by(|(code, _)| (*code).cmp(wanted))
        .ok()?;
    let (_, country) = CODES.get(i)?;
    COUNTRIES.get(*country)
}

fn table() -> &'static [Country] {
    COUNTRIES
}

/// Looks a country up by its alpha-2 or alpha-3 code or one of its English
/// names, ignoring case, spacing and punctuation.
pub fn find(input: &str) -> Option<&'static Country> {
    if let Some(country) = by_code(input.trim()) {
        return Some(country);
    }
    if says_not_known(input) {
        return None;
    }
    let wanted = fold(input);
    if wanted.is_empty() {
        return None;
    }
    index().get(&wanted).copied()
}

/// Names people write for more than one country (folded), and the codes
/// they may mean: refused with both rather than read as one (`Congo` taken
/// as CG cleared an export to the DR Congo, which is in D:5).
const SHARED_NAMES: [(&str, [&str; 2]); 3] = [
    ("congo", ["CG", "CD"]),
    ("thecongo", ["CG", "CD"]),
    ("korea", ["KR", "KP"]),
];

/// A placeholder written with marks (`N/A`, `n.a.`): it says the country is
/// not known, and folded it would read as Namibia (`NA`, written as a code,
/// is Namibia).
fn says_not_known(input: &str) -> bool {
    input.trim().chars().any(|c| !c.is_alphanumeric()) && crate::library::is_placeholder(input)
}

/// Like [`find`], with an error that suggests the closest name.
pub fn resolve(input: &str) -> Result<&'static Country, String> {
    find(input).ok_or_else(|| {
        if says_not_known(input) {
            return format!(
                "`{}` says the country is not known: give it, or leave it out (an end user's headquarters left out is assumed and said so)",
                input.trim()
            );
        }
        let folded = fold(input);
        if let Some((_, codes)) = SHARED_NAMES.iter().find(|(name, _)| *name == folded) {
            let named: Vec<String> = codes
                .iter()
                .filter_map(|c| by_code(c))
                .map(|c| format!("{} ({})", c.code, c.name))
                .collect();
            return format!(
                "`{}` names more than one country: {}; give the code",
                input.trim(),
                named.join(" or ")
            );
        }
        let mut candidates: Vec<&str> = table().iter().map(|c| c.code).collect();
        candidates.extend(table().iter().map(|c| c.alpha3));
        candidates.extend(table().iter().flat_map(|c| c.names.iter().copied()));
        match did_you_mean(input.trim(), candidates) {
            Some(near) => {
                let code = find(&near).map(|c| c.code).unwrap_or("");
                format!(
                    "unknown country `{}`; did you mean {near} ({code})?",
                    input.trim()
                )
            }
            None => format!(
                "unknown country `{}`; use an ISO 3166-1 code such as CN (CHN), DE (DEU) or SA (SAU)",
                input.trim()
            ),
        }
    })
}

/// Is `code` a known ISO 3166-1 alpha-2 code?
pub fn is_code(code: &str) -> bool {
    table().iter().any(|c| c.code == code)
}

/// Every country, in code order.
pub fn all() -> impl Iterator<Item = &'static Country> {
    table().iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code, in any case, is found as the index of every spelling
    /// finds it (the index is what `find` used alone before).
    #[test]
    fn a_placeholder_is_no_country_but_namibia_is() {
        for text in ["N/A", "n/a", "n.a.", "N.A.", "N/a"] {
            assert!(find(text).is_none(), "{text}");
            assert!(resolve(text).unwrap_err().contains("not known"), "{text}");
        }
        for text in ["NA", "na", "Namibia", "NAM"] {
            assert_eq!(find(text).map(|c| c.code), Some("NA"), "{text}");
        }
    }

    #[test]
    fn a_name_of_more_than_one_country_is_refused_with_each() {
        for name in ["Congo", "the Congo", "KOREA"] {
            let e = resolve(name).unwrap_err();
            assert!(e.contains("names more than one country"), "{name}: {e}");
        }
        assert!(resolve("Congo").unwrap_err().contains("CD (DR Congo)"));
        for (name, code) in [
            ("Republic of the Congo", "CG"),
            ("Congo-Kinshasa", "CD"),
            ("DR Congo", "CD"),
            ("Congo DR", "CD"),
            ("DRC", "CD"),
            ("Congo (Brazzaville)", "CG"),
            ("Republic of Korea", "KR"),
            ("South Korea", "KR"),
            ("North Korea", "KP"),
        ] {
            assert_eq!(resolve(name).map(|c| c.code), Ok(code), "{name}");
        }
    }

    #[test]
    fn codes_are_found_as_the_index_finds_them() {
        for c in table() {
            for code in [c.code, c.alpha3] {
                for text in [code.to_string(), code.to_ascii_lowercase()] {
                    assert_eq!(by_code(&text), index().get(&fold(&text)).copied(), "{text}");
                    assert_eq!(find(&text).map(|f| f.code), Some(c.code), "{text}");
                }
            }
        }
        assert_eq!(by_code("XX"), None);
        assert_eq!(by_code("C1"), None);
    }

    #[test]
    fn codes_and_names_resolve() {
        assert_eq!(find("cn").unwrap().code, "CN");
        assert_eq!(find("China").unwrap().code, "CN");
        assert_eq!(find("saudi arabia").unwrap().code, "SA");
        assert_eq!(find("Macao").unwrap().code, "MO");
        assert_eq!(find("Macau").unwrap().code, "MO");
        assert_eq!(find("hong-kong").unwrap().code, "HK");
        // Full-width letters, as an East Asian input method writes them.
        assert_eq!(find("Ｃｈｉｎａ").unwrap().code, "CN");
        assert_eq!(find("ＣＮ").unwrap().code, "CN");
        assert_eq!(find("Taiwan").unwrap().name, "Taiwan");
        assert!(find("").is_none());
        assert_eq!(table().len(), 249);
    }

    #[test]
    fn every_alpha3_code_resolves_to_its_country() {
        assert_eq!(find("CHN").unwrap().code, "CN");
        assert_eq!(find("are").unwrap().code, "AE");
        assert_eq!(find("SAU").unwrap().code, "SA");
        assert_eq!(find("CHE").unwrap().code, "CH");
        assert_eq!(resolve(" CHN ").unwrap().code, "CN");
        for c in all() {
            assert_eq!(c.alpha3.len(), 3, "{}", c.code);
            assert_eq!(find(c.alpha3).map(|f| f.code), Some(c.code));
        }
    }

    #[test]
    fn misses_suggest() {
        let e = resolve("Germnay").unwrap_err();
        assert!(e.contains("Germany"), "{e}");
        assert!(resolve("XX").is_err());
    }
}
