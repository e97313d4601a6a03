//! The project file, `chipcheck.toml`: defaults for a repository's checks and
//! the licences (or NAC notifications) the company holds.
//!
//! Found from the working directory upward, or given with `--config`.
//! Unknown keys are errors; so is a licence without an expiry date or a
//! justification, because an unexplained waiver is how gates rot.

use crate::country;
use crate::diagnostic::{from_toml_error, Diagnostic};
use crate::engine::Outcome;
use crate::library::fold;
use crate::verdict::Verdict;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use toml::Spanned;

pub const CONFIG_FILE: &str = "chipcheck.toml";

#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Where it was read from.
    pub path: Option<PathBuf>,
    pub to: Vec<String>,
    pub date: Option<String>,
    pub end_user_hq: Option<String>,
    /// Relative to the config file's directory.
    pub rules: Option<PathBuf>,
    pub fail_on: Option<Vec<Verdict>>,
    pub licenses: Vec<License>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LicenseKind {
    /// A BIS licence.
    License,
    /// A NAC notification that BIS has not objected to.
    NacNotification,
}

#[derive(Debug, Clone, Serialize)]
pub struct License {
    pub number: String,
    pub kind: LicenseKind,
    pub chips: Vec<String>,
    pub destinations: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_user_hq: Option<String>,
    pub expires: String,
    pub justification: String,
    #[serde(skip)]
    expires_on: Date,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    defaults: Option<RawDefaults>,
    #[serde(default)]
    license: Vec<Spanned<RawLicense>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    #[serde(default)]
    to: Vec<Spanned<String>>,
    /// `"today"` (the default) or a fixed `YYYY-MM-DD`.
    date: Option<Spanned<String>>,
    end_user_hq: Option<Spanned<String>>,
    rules: Option<String>,
    fail_on: Option<Vec<FailOn>>,
}

#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum FailOn {
    LicenseRequired,
    LicenseException,
    Indeterminate,
}

impl FailOn {
    pub fn verdict(self) -> Verdict {
        match self {
            FailOn::LicenseRequired => Verdict::LicenseRequired,
            FailOn::LicenseException => Verdict::LicenseException,
            FailOn::Indeterminate => Verdict::Indeterminate,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLicense {
    number: Option<String>,
    kind: Option<LicenseKind>,
    chips: Vec<String>,
    destinations: Vec<String>,
    end_user_hq: Option<String>,
    expires: Option<toml::value::Datetime>,
    justification: Option<String>,
}

impl Config {
    /// `chipcheck.toml` in `start` or the nearest directory above it.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        let mut dir = Some(start);
        while let Some(d) = dir {
            let candidate = d.join(CONFIG_FILE);
            if candidate.is_file() {
                return Some(candidate);
            }
            dir = d.parent();
        }
        None
    }

    pub fn load(path: &Path) -> Result<Config, Diagnostic> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| Diagnostic::new(&shown, format!("cannot read the project file: {e}")))?;
        let mut config = Self::parse(&shown, &text)?;
        config.path = Some(path.to_path_buf());
        if let Some(rules) = &config.rules {
            if rules.is_relative() {
                let base = path.parent().unwrap_or(Path::new("."));
                config.rules = Some(base.join(rules));
            }
        }
        Ok(config)
    }

    pub fn parse(path: &str, text: &str) -> Result<Config, Diagnostic> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| from_toml_error(path, text, &e))?;
        let mut config = Config::default();
        if let Some(d) = raw.defaults {
            let at = |span: std::ops::Range<usize>, field: &str, message: String| {
                Diagnostic::new(path, message)
                    .at(text, Some(span))
                    .field(field)
            };
            for t in &d.to {
                country::resolve(t.get_ref())
                    .map_err(|e| at(t.span(), "defaults.to", format!("defaults.to: {e}")))?;
            }
            if let Some(h) = &d.end_user_hq {
                country::resolve(h.get_ref()).map_err(|e| {
                    at(
                        h.span(),
                        "defaults.end_user_hq",
                        format!("defaults.end_user_hq: {e}"),
                    )
                })?;
            }
            if let Some(date) = &d.date {
                let value = date.get_ref();
                if value != "today" && value.parse::<Date>().is_err() {
                    return Err(at(
                        date.span(),
                        "defaults.date",
                        format!(
                            "defaults.date: `{value}` is neither \"today\" nor a YYYY-MM-DD date"
                        ),
                    ));
                }
            }
            config.to = d.to.into_iter().map(Spanned::into_inner).collect();
            config.date = d.date.map(Spanned::into_inner).filter(|d| d != "today");
            config.end_user_hq = d.end_user_hq.map(Spanned::into_inner);
            config.rules = d.rules.map(PathBuf::from);
            config.fail_on = d
                .fail_on
                .map(|f| f.into_iter().map(FailOn::verdict).collect());
        }
        for entry in raw.license {
            let span = entry.span();
            let l = entry.into_inner();
            let err = |m: String| Diagnostic::new(path, m).at(text, Some(span.clone()));
            let number = l
                .number
                .filter(|n| !n.trim().is_empty())
                .ok_or_else(|| err("a [[license]] needs its `number`".into()))?;
            let justification = l
                .justification
                .filter(|j| !j.trim().is_empty())
                .ok_or_else(|| err(format!("licence {number} has no `justification`: say why it covers these shipments")))?;
            let expires = l
                .expires
                .ok_or_else(|| err(format!("licence {number} has no `expires` date")))?;
            let expires_on = match (expires.date, expires.time) {
                (Some(d), None) => Date::new(d.year as i16, d.month as i8, d.day as i8)
                    .map_err(|_| err(format!("licence {number}: bad expiry date")))?,
                _ => {
                    return Err(err(format!(
                        "licence {number}: `expires` must be a plain date (2027-06-30)"
                    )))
                }
            };
            if l.chips.is_empty() || l.destinations.is_empty() {
                return Err(err(format!(
                    "licence {number} must name at least one chip and one destination"
                )));
            }
            let mut destinations = Vec::new();
            for d in &l.destinations {
                let c = country::resolve(d).map_err(|e| err(format!("licence {number}: {e}")))?;
                destinations.push(c.code.to_string());
            }
            let end_user_hq = match &l.end_user_hq {
                Some(h) => Some(
                    country::resolve(h)
                        .map_err(|e| err(format!("licence {number}: {e}")))?
                        .code
                        .to_string(),
                ),
                None => None,
            };
            config.licenses.push(License {
                number,
                kind: l.kind.unwrap_or(LicenseKind::License),
                chips: l.chips,
                destinations,
                end_user_hq,
                expires: expires_on.to_string(),
                justification,
                expires_on,
            });
        }
        Ok(config)
    }
}

/// What happened to each licence on file in a run.
#[derive(Debug, Clone, Serialize)]
pub struct LicenseUse {
    pub number: String,
    /// `used`, `unused`, or `expired` (matched a result after its expiry).
    pub status: &'static str,
    pub expires: String,
    pub results: usize,
}

fn chip_matches(license_chip: &str, outcome: &Outcome) -> bool {
    let want = fold(license_chip);
    if fold(&outcome.chip) == want {
        return true;
    }
    // A library name or alias on the licence matches the library chip.
    match crate::library::find(license_chip) {
        Ok(crate::library::Lookup::Found(c)) => fold(&c.spec.name) == fold(&outcome.chip),
        _ => false,
    }
}

/// Marks results covered by a valid licence as `licensed`, citing it, and
/// reports every licence's use.
pub fn apply_licenses(licenses: &[License], outcomes: &mut [Outcome]) -> Vec<LicenseUse> {
    let mut uses: Vec<LicenseUse> = licenses
        .iter()
        .map(|l| LicenseUse {
            number: l.number.clone(),
            status: "unused",
            expires: l.expires.clone(),
            results: 0,
        })
        .collect();
    for o in outcomes.iter_mut() {
        if !matches!(
            o.verdict,
            Verdict::LicenseRequired | Verdict::LicenseException
        ) {
            continue;
        }
        let Some(dest) = o.destination.clone() else {
            continue;
        };
        let Ok(date) = o.date.parse::<Date>() else {
            continue;
        };
        for (i, l) in licenses.iter().enumerate() {
            let dest_ok = l
                .destinations
                .iter()
                .any(|d| *d == dest || o.evaluated_as.as_deref() == Some(d));
            let hq_ok = l.end_user_hq.is_none() || l.end_user_hq == o.end_user_hq;
            if !(dest_ok && hq_ok && l.chips.iter().any(|c| chip_matches(c, o))) {
                continue;
            }
            if date > l.expires_on {
                uses[i].status = "expired";
                o.reasons.push(format!(
                    "licence {} on file expired on {}; it does not cover this shipment",
                    l.number, l.expires
                ));
                continue;
            }
            uses[i].status = "used";
            uses[i].results = uses[i].results.saturating_add(1);
            let was = o.verdict;
            o.verdict = Verdict::Licensed;
            o.reasons.push(format!(
                "{}: covered by {} {} (expires {}): {}",
                was.name(),
                match l.kind {
                    LicenseKind::License => "licence",
                    LicenseKind::NacNotification => "NAC notification",
                },
                l.number,
                l.expires,
                l.justification
            ));
            o.basis.push(format!("license:{}", l.number));
            break;
        }
    }
    uses
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licences_need_expiry_and_justification() {
        let ok = Config::parse("c.toml", "[[license]]\nnumber = \"D1\"\nchips = [\"H100\"]\ndestinations = [\"SA\"]\nexpires = 2027-06-30\njustification = \"BIS licence for a Riyadh datacenter\"\n").unwrap();
        assert_eq!(ok.licenses.len(), 1);
        let e = Config::parse("c.toml", "[[license]]\nnumber = \"D1\"\nchips = [\"H100\"]\ndestinations = [\"SA\"]\nexpires = 2027-06-30\n").unwrap_err();
        assert!(e.message.contains("justification"), "{e}");
        let e = Config::parse("c.toml", "[[license]]\nnumber = \"D1\"\nchips = [\"H100\"]\ndestinations = [\"SA\"]\njustification = \"x\"\n").unwrap_err();
        assert!(e.message.contains("expires"), "{e}");
        let e = Config::parse("c.toml", "[defaults]\nto = [\"CN\"]\ndestinaton = 1\n").unwrap_err();
        assert!(
            e.help.clone().unwrap_or_default().contains("did you mean")
                || e.message.contains("unknown field")
        );
    }

    #[test]
    fn default_errors_point_at_their_line() {
        let e = Config::parse("c.toml", "[defaults]\nto = [\"SA\", \"Atlantis\"]\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 13), "{e}");
        let e = Config::parse("c.toml", "[defaults]\n\ndate = \"tomorrow\"\n").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
    }

    #[test]
    fn fail_on_parses() {
        let c = Config::parse("c.toml", "[defaults]\nfail_on = [\"license_required\"]\n").unwrap();
        assert_eq!(c.fail_on, Some(vec![Verdict::LicenseRequired]));
    }
}
