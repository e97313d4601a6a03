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
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use toml::Spanned;

pub const CONFIG_FILE: &str = "chipcheck.toml";

#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Where it was read from.
    pub path: Option<PathBuf>,
    /// SHA-256 of the bytes read, for every report's provenance.
    pub sha256: Option<String>,
    pub to: Vec<String>,
    pub date: Option<String>,
    pub end_user_hq: Option<String>,
    /// Relative to the config file's directory.
    pub rules: Option<PathBuf>,
    pub fail_on: Option<Vec<Verdict>>,
    pub licenses: Vec<License>,
    /// Restricted-party list files (relative to the config file's directory).
    pub party_lists: Vec<PathBuf>,
    /// How old (in days) a party list may be and still clear a party.
    pub party_list_max_age_days: Option<i64>,
    /// Reviewed possible matches: "not the same party".
    pub screening_decisions: Vec<crate::screening::Decision>,
    /// Parties whose owners someone has checked (the affiliates rule).
    pub ownership_checks: Vec<crate::screening::OwnershipCheck>,
    /// Which files are spec sheets: glob patterns (`specs/**/*.toml`),
    /// relative to the project file's directory once loaded.
    pub specs: Vec<String>,
    /// The project file's directory, which `specs` patterns are relative to.
    pub base: Option<PathBuf>,
    /// What the project file accepts but a careful reader should know (a
    /// licence whose start is unknown); the command line prints them.
    pub warnings: Vec<String>,
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
    /// The parties the licence names, when the entry records them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consignee: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_user: Option<String>,
    /// The date the licence takes effect; unknown for older entries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued: Option<String>,
    pub expires: String,
    pub justification: String,
    /// The TPP the licence was issued for (from the application), for a
    /// product chipcheck's library does not know: nothing else shows that
    /// a result's figures are the licensed product's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tpp: Option<Decimal>,
    /// The performance density the licence was issued for, likewise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub performance_density: Option<Decimal>,
    #[serde(skip)]
    issued_on: Option<Date>,
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
    #[serde(default)]
    screening_decision: Vec<Spanned<RawDecision>>,
    #[serde(default)]
    ownership_check: Vec<Spanned<RawOwnershipCheck>>,
}

/// `[[screening_decision]]`: a person's review of a possible match.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDecision {
    query: String,
    entry: String,
    entry_fingerprint: String,
    decision: String,
    by: String,
    on: toml::value::Datetime,
    why: String,
    expires: toml::value::Datetime,
}

/// `[[ownership_check]]`: someone checked who owns a party (the Entity List
/// affiliates rule reaches firms 50% or more owned by listed ones).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOwnershipCheck {
    party: String,
    by: String,
    on: toml::value::Datetime,
    note: String,
}

/// `[defaults] date`: `"today"`, `"2026-03-01"`, or a TOML date as every
/// other date in the file is written.
#[derive(Deserialize)]
#[serde(untagged)]
enum DefaultDate {
    Text(String),
    Date(toml::value::Datetime),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    #[serde(default)]
    to: Vec<Spanned<String>>,
    /// `"today"` (the default) or a fixed `YYYY-MM-DD`.
    date: Option<Spanned<DefaultDate>>,
    end_user_hq: Option<Spanned<String>>,
    rules: Option<String>,
    fail_on: Option<Spanned<Vec<FailOn>>>,
    #[serde(default)]
    party_lists: Vec<String>,
    party_list_max_age_days: Option<i64>,
    #[serde(default)]
    specs: Vec<Spanned<String>>,
}

#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
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
    consignee: Option<String>,
    end_user: Option<String>,
    issued: Option<toml::value::Datetime>,
    expires: Option<toml::value::Datetime>,
    justification: Option<String>,
    tpp: Option<crate::number::Figure>,
    performance_density: Option<crate::number::Figure>,
}

/// A TOML value that must be a plain date (`2027-06-30`).
fn plain_date(value: &toml::value::Datetime) -> Option<Date> {
    match (value.date, value.time) {
        (Some(d), None) => Date::new(
            i16::try_from(d.year).ok()?,
            i8::try_from(d.month).ok()?,
            i8::try_from(d.day).ok()?,
        )
        .ok(),
        _ => None,
    }
}

/// Are two paths the same directory (symlinks and `..` resolved)?
fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// The largest project file chipcheck will read.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

impl Config {
    /// `chipcheck.toml` in `start` or the nearest directory above it, up to
    /// and including the repository root (a directory holding `.git`) or
    /// `home`, whichever comes first: a file planted above the project
    /// (once two directories above a repository) must not change its answers.
    pub fn discover(start: &Path, home: Option<&Path>) -> Option<PathBuf> {
        let mut dir = Some(start);
        while let Some(d) = dir {
            let candidate = d.join(CONFIG_FILE);
            if candidate.is_file() {
                return Some(candidate);
            }
            if d.join(".git").exists() || home.is_some_and(|h| same_dir(h, d)) {
                return None;
            }
            dir = d.parent();
        }
        None
    }

    pub fn load(path: &Path) -> Result<Config, Diagnostic> {
        let shown = path.display().to_string();
        // Bounded on the bytes read, so a pipe or device cannot fill memory.
        let bytes = crate::bounded::read_bounded(path, MAX_CONFIG_BYTES)
            .map_err(|e| Diagnostic::new(&shown, format!("cannot read the project file: {e}")))?
            .ok_or_else(|| {
                Diagnostic::new(
                    &shown,
                    format!(
                        "the project file is longer than the limit of {MAX_CONFIG_BYTES} bytes"
                    ),
                )
            })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            Diagnostic::new(
                &shown,
                format!(
                    "the project file is not UTF-8 text (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                ),
            )
        })?;
        let mut config = Self::parse(&shown, &text)?;
        config.path = Some(path.to_path_buf());
        config.sha256 = Some(crate::input::sha256(text.as_bytes()));
        let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        config.base = Some(base.clone());
        for list in &mut config.party_lists {
            if list.is_relative() {
                *list = base.join(&*list);
            }
        }
        if let Some(rules) = &config.rules {
            if rules.is_relative() {
                let base = path.parent().unwrap_or(Path::new("."));
                config.rules = Some(base.join(rules));
            }
        }
        Ok(config)
    }

    /// The `specs` patterns, anchored at the project file's directory.
    fn spec_patterns(&self) -> Vec<glob::Pattern> {
        let base = self
            .base
            .as_deref()
            .map(|b| std::path::absolute(b).unwrap_or_else(|_| b.to_path_buf()))
            .unwrap_or_default();
        let anchor = glob::Pattern::escape(&base.to_string_lossy());
        self.specs
            .iter()
            .filter_map(|p| {
                let full = if Path::new(p).is_absolute() || anchor.is_empty() {
                    p.clone()
                } else {
                    format!(
                        "{}/{}",
                        anchor.trim_end_matches('/'),
                        p.trim_start_matches("./")
                    )
                };
                glob::Pattern::new(&full).ok()
            })
            .collect()
    }

    /// Is `path` a spec sheet by the `specs` globs? (False when there are none.)
    pub fn is_spec(&self, path: &Path) -> bool {
        let Ok(full) = std::path::absolute(path) else {
            return false;
        };
        let options = glob::MatchOptions {
            require_literal_separator: true,
            ..glob::MatchOptions::new()
        };
        // `absolute` keeps `..`: `../specs/h100.toml` from a directory below
        // never matched `specs/**`, and the gate dropped the file unchecked.
        // The path is matched with `..` taken out, and as the file system
        // resolves it (through links).
        let mut forms = vec![without_dot_dot(&full)];
        forms.extend(std::fs::canonicalize(path).ok());
        self.spec_patterns()
            .iter()
            .any(|p| forms.iter().any(|f| p.matches_path_with(f, options)))
    }

    /// Every file the `specs` globs match (absolute paths), sorted, each once;
    /// an error when a glob matches none.
    pub fn spec_files(&self) -> Result<Vec<PathBuf>, Diagnostic> {
        let shown = self
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| CONFIG_FILE.to_string());
        let mut files = Vec::new();
        let mut unmatched = Vec::new();
        for (written, pattern) in self.specs.iter().zip(self.spec_patterns()) {
            let before = files.len();
            let options = glob::MatchOptions {
                require_literal_separator: true,
                ..glob::MatchOptions::new()
            };
            let found = glob::glob_with(pattern.as_str(), options).map_err(|e| {
                Diagnostic::new(&shown, format!("defaults.specs: {e}")).field("defaults.specs")
            })?;
            for entry in found {
                let path = entry.map_err(|e| {
                    Diagnostic::new(&shown, format!("defaults.specs: {e}")).field("defaults.specs")
                })?;
                if path.is_file() {
                    files.push(path);
                }
            }
            if files.len() == before {
                unmatched.push(format!("`{written}`"));
            }
        }
        // A misspelt or stale glob leaves its spec sheets unread, and a gate
        // that reads the others passes: each must match a file.
        if !unmatched.is_empty() {
            return Err(Diagnostic::new(
                &shown,
                format!(
                    "defaults.specs: {} {} no file; a glob that matches nothing would leave spec sheets unchecked: fix or remove it",
                    unmatched.join(", "),
                    if unmatched.len() == 1 { "matches" } else { "match" }
                ),
            )
            .field("defaults.specs"));
        }
        files.sort();
        files.dedup();
        Ok(files)
    }

    /// The file this was read from and its SHA-256, as reports record it.
    pub fn input_file(&self) -> Option<crate::input::InputFile> {
        Some(crate::input::InputFile {
            path: self.path.as_ref()?.display().to_string(),
            sha256: self.sha256.clone()?,
        })
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
            let date = d.date.map(|date| {
                let span = date.span();
                let text = match date.into_inner() {
                    DefaultDate::Text(t) => t,
                    DefaultDate::Date(d) => d.to_string(),
                };
                Spanned::new(span, text)
            });
            if let Some(date) = &date {
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
            config.date = date.map(Spanned::into_inner).filter(|d| d != "today");
            config.end_user_hq = d.end_user_hq.map(Spanned::into_inner);
            config.rules = d.rules.map(PathBuf::from);
            // An empty list would pass every verdict, silently: a gate that
            // stops nothing is asked for by name (`--fail-on none`).
            if let Some(f) = d.fail_on.as_ref().filter(|f| f.get_ref().is_empty()) {
                return Err(at(
                    f.span(),
                    "defaults.fail_on",
                    "defaults.fail_on is empty, which would let every verdict pass; list the verdicts that fail the gate, or pass --fail-on none for a run that only reports".into(),
                ));
            }
            config.fail_on = d
                .fail_on
                .map(|f| f.into_inner().into_iter().map(FailOn::verdict).collect());
            config.party_lists = d.party_lists.into_iter().map(PathBuf::from).collect();
            config.party_list_max_age_days = d.party_list_max_age_days;
            for pattern in &d.specs {
                glob::Pattern::new(pattern.get_ref()).map_err(|e| {
                    at(
                        pattern.span(),
                        "defaults.specs",
                        format!("defaults.specs: `{}` is not a glob: {e}", pattern.get_ref()),
                    )
                })?;
            }
            config.specs = d.specs.into_iter().map(Spanned::into_inner).collect();
        }
        for entry in raw.screening_decision {
            config
                .screening_decisions
                .push(decision(path, text, entry)?);
        }
        for entry in raw.ownership_check {
            let span = entry.span();
            let o = entry.into_inner();
            let on = plain_date(&o.on).ok_or_else(|| {
                Diagnostic::new(path, "an [[ownership_check]]'s `on` must be a plain date")
                    .at(text, Some(span.clone()))
            })?;
            // A placeholder (`TBD`, `N/A`) records no check that was made.
            if [&o.party, &o.by, &o.note].iter().any(|v| no_words(v)) {
                return Err(Diagnostic::new(
                    path,
                    "an [[ownership_check]] needs `party`, `by` and `note`, each said (not `TBD` or `N/A`)",
                )
                .at(text, Some(span)));
            }
            config
                .ownership_checks
                .push(crate::screening::OwnershipCheck {
                    party: o.party,
                    by: o.by,
                    on,
                    note: o.note,
                });
        }
        for entry in raw.license {
            let span = entry.span();
            let l = entry.into_inner();
            let err = |m: String| Diagnostic::new(path, m).at(text, Some(span.clone()));
            // A licence applied for but not issued (`number = "TBD"`) covers
            // nothing: a placeholder is refused like a missing value.
            let number = l.number.filter(|n| !no_value(n)).ok_or_else(|| {
                err("a [[license]] needs its `number` (not a placeholder such as `TBD`)".into())
            })?;
            if let Some(why) = not_a_licence_number(&number) {
                return Err(err(format!(
                    "licence `{number}`: {why}; a licence applied for but not issued covers nothing, so give the number BIS issued"
                )));
            }
            let justification = l
                .justification
                .filter(|j| !no_words(j))
                .ok_or_else(|| err(format!("licence {number} has no `justification` (a placeholder such as `N/A` is none): say why it covers these shipments")))?;
            let expires = l
                .expires
                .ok_or_else(|| err(format!("licence {number} has no `expires` date")))?;
            let expires_on = plain_date(&expires).ok_or_else(|| {
                err(format!(
                    "licence {number}: `expires` must be a plain date (2027-06-30)"
                ))
            })?;
            let issued_on = match &l.issued {
                Some(v) => Some(plain_date(v).ok_or_else(|| {
                    err(format!(
                        "licence {number}: `issued` must be a plain date (2025-07-01)"
                    ))
                })?),
                None => {
                    config.warnings.push(format!(
                        "licence {number} has no `issued` date: its start is unknown, so it is taken to cover every date up to its expiry; add `issued = YYYY-MM-DD`"
                    ));
                    None
                }
            };
            if let Some(i) = issued_on {
                if i > expires_on {
                    return Err(err(format!(
                        "licence {number}: `issued` ({i}) is after `expires` ({expires_on})"
                    )));
                }
            }
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
                consignee: l.consignee.filter(|c| !c.trim().is_empty()),
                end_user: l.end_user.filter(|c| !c.trim().is_empty()),
                issued: issued_on.map(|d| d.to_string()),
                expires: expires_on.to_string(),
                justification,
                tpp: l.tpp.map(|f| f.value()),
                performance_density: l.performance_density.map(|f| f.value()),
                issued_on,
                expires_on,
            });
        }
        Ok(config)
    }
}

/// One `[[screening_decision]]`, checked: every field given, dates plain.
fn decision(
    path: &str,
    text: &str,
    entry: Spanned<RawDecision>,
) -> Result<crate::screening::Decision, Diagnostic> {
    let span = entry.span();
    let d = entry.into_inner();
    let err = |m: String| Diagnostic::new(path, m).at(text, Some(span.clone()));
    if d.decision != "not_the_same_party" {
        return Err(err(format!(
            "screening decision `{}`: the only decision is \"not_the_same_party\"",
            d.decision
        )));
    }
    let fields = [&d.query, &d.entry, &d.entry_fingerprint];
    // Who decided and why are what make it a decision: a placeholder
    // (`TBD`, `-`, `N/A`) is none (one had dismissed an Entity List match).
    if fields.iter().any(|f| f.trim().is_empty()) || no_words(&d.by) || no_words(&d.why) {
        return Err(err(
            "a [[screening_decision]] needs `query`, `entry`, `entry_fingerprint`, `by` and `why` (a placeholder such as `TBD` or `N/A` is none)"
                .into(),
        ));
    }
    let date = |v: &toml::value::Datetime, field: &str| {
        plain_date(v).ok_or_else(|| {
            err(format!(
                "screening decision: `{field}` must be a plain date"
            ))
        })
    };
    Ok(crate::screening::Decision {
        on: date(&d.on, "on")?,
        expires: date(&d.expires, "expires")?,
        query: d.query,
        entry: d.entry,
        entry_fingerprint: d.entry_fingerprint,
        decision: d.decision,
        by: d.by,
        why: d.why,
    })
}

/// What happened to a licence on file over a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LicenseStatus {
    /// It covered at least one result.
    Used,
    /// It covered nothing.
    Unused,
    /// It matched a result dated after its expiry, and covered nothing.
    Expired,
}

impl LicenseStatus {
    pub fn name(self) -> &'static str {
        match self {
            LicenseStatus::Used => "used",
            LicenseStatus::Unused => "unused",
            LicenseStatus::Expired => "expired",
        }
    }
}

impl std::fmt::Display for LicenseStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// How many covered results and near misses a report lists per licence; the
/// counts are always complete.
pub const LICENSE_EXAMPLES: usize = 20;

/// A result a licence covered, or nearly covered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenseMatch {
    pub chip: String,
    pub destination: String,
    pub date: String,
    /// Why it was not covered (near misses only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// What happened to each licence on file in a run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LicenseUse {
    pub number: String,
    pub status: LicenseStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<String>,
    pub expires: String,
    pub results: usize,
    /// Up to [`LICENSE_EXAMPLES`] distinct results it covered.
    #[serde(default)]
    pub covered: Vec<LicenseMatch>,
    /// Results it was near but did not cover (the product matched; the
    /// destination, date, end user or figures did not), with the reason.
    #[serde(default)]
    pub near_misses: Vec<LicenseMatch>,
    #[serde(default)]
    pub near_miss_count: usize,
}

impl LicenseUse {
    fn new(l: &License) -> Self {
        LicenseUse {
            number: l.number.clone(),
            status: LicenseStatus::Unused,
            issued: l.issued.clone(),
            expires: l.expires.clone(),
            results: 0,
            covered: Vec::new(),
            near_misses: Vec::new(),
            near_miss_count: 0,
        }
    }

    /// Adds another run's (or row's) use of the same licence.
    pub fn absorb(&mut self, other: &LicenseUse) {
        self.results = self.results.saturating_add(other.results);
        self.near_miss_count = self.near_miss_count.saturating_add(other.near_miss_count);
        self.status = match (self.status, other.status) {
            (LicenseStatus::Used, _) | (_, LicenseStatus::Used) => LicenseStatus::Used,
            (LicenseStatus::Expired, _) | (_, LicenseStatus::Expired) => LicenseStatus::Expired,
            _ => LicenseStatus::Unused,
        };
        for m in &other.covered {
            push_example(&mut self.covered, m);
        }
        for m in &other.near_misses {
            push_example(&mut self.near_misses, m);
        }
    }
}

fn push_example(list: &mut Vec<LicenseMatch>, m: &LicenseMatch) {
    if list.len() < LICENSE_EXAMPLES && !list.contains(m) {
        list.push(m.clone());
    }
}

/// The library chip a name stands for, if exactly one (vendor prefix,
/// case, spacing and punctuation ignored, as for every library look-up).
fn library_product(
    name: &str,
    vendor: Option<&str>,
) -> Option<&'static crate::library::LibraryChip> {
    crate::library::product_named(name, vendor)
}

/// Whether a licence's chip entry names the product of a result.
fn chip_matches(license_chip: &str, outcome: &Outcome) -> bool {
    if fold(license_chip) == fold(&outcome.chip) {
        return true;
    }
    match (
        library_product(license_chip, None),
        library_product(&outcome.chip, outcome.vendor.as_deref()),
    ) {
        (Some(a), Some(b)) => std::ptr::eq(a, b),
        _ => false,
    }
}

/// Where a result sits under the rules, for comparing a spec with the
/// product it claims to be.
fn placement(o: &Outcome) -> (Vec<String>, Verdict, Option<String>) {
    let mut paragraphs = o.paragraphs.clone();
    paragraphs.sort();
    (
        paragraphs,
        o.verdict,
        o.review_policy.map(|p| p.name().to_string()),
    )
}

/// A reason when a result's own figures put it somewhere else under the
/// rules than the library figures of the product the licence names.
fn contradicts_product(
    rules: &crate::rules::RuleSet,
    l: &License,
    license_chip: &str,
    outcome: &Outcome,
) -> Option<String> {
    if outcome.input == "library" {
        return None;
    }
    // A TPP that is only a floor cannot show which product this is (a
    // row with fp8 left empty had been covered as the licensed part).
    if outcome.tpp_at_least {
        return Some(
            "its TPP is only a floor (a precision's figure is not given or not known), so its figures cannot be shown to be the licensed product's; give every precision's figure (0 where the chip has none)".into(),
        );
    }
    let Some(product) = library_product(license_chip, None)
        .or_else(|| library_product(&outcome.chip, outcome.vendor.as_deref()))
    else {
        return unlike_licensed_figures(l, license_chip, outcome);
    };
    let date = outcome.date.parse::<Date>().ok()?;
    let destination = outcome
        .destination
        .as_deref()
        .and_then(|d| country::find(d));
    let hq = outcome
        .end_user_hq
        .as_deref()
        .and_then(|h| country::find(h));
    let subject = crate::engine::Subject::chip(&product.spec, "library");
    let expected = crate::engine::evaluate(
        rules,
        &subject,
        &crate::engine::Query {
            date,
            destination,
            end_user_hq: hq,
        },
    );
    if placement(&expected) == placement(outcome) {
        return figures_far_from(&expected, outcome).map(|what| {
            format!(
                "its own figures contradict the named product {}: {what}",
                product.spec.name
            )
        });
    }
    let show = |o: &Outcome| {
        let p = if o.paragraphs.is_empty() {
            "no paragraph".to_string()
        } else {
            o.paragraphs.join(", ")
        };
        match o.review_policy {
            Some(r) => format!("{p}, {}, {}", o.verdict.name(), r.words()),
            None => format!("{p}, {}", o.verdict.name()),
        }
    };
    Some(format!(
        "its own figures contradict the named product {}: they give {} where the library figures give {}",
        product.spec.name,
        show(outcome),
        show(&expected)
    ))
}

/// For a product the library does not know (a company's own chip), why the
/// result's figures are not shown to be the licensed product's: the entry
/// must record the figures the licence was issued for (a spec revised to
/// ten times the TPP under the same name had stayed `licensed`).
fn unlike_licensed_figures(l: &License, license_chip: &str, own: &Outcome) -> Option<String> {
    let Some(want) = l.tpp else {
        return Some(format!(
            "`{license_chip}` is not in chipcheck's library, so nothing shows this result's figures are those the licence was issued for: record them in the entry (`tpp`, and `performance_density` where the licence states it)"
        ));
    };
    let far = |what: &str, want: Decimal, got: Option<Decimal>| -> Option<String> {
        let Some(got) = got else {
            return Some(format!(
                "its {what} is unknown, so it cannot be shown to match the licence entry's {}",
                crate::number::grouped(want)
            ));
        };
        let slack = want.checked_mul(SAME_PRODUCT_TOLERANCE)?;
        let gap = got.checked_sub(want)?.abs();
        (gap > slack).then(|| {
            format!(
                "its {what} is {} where the licence entry records {}",
                crate::number::grouped(got),
                crate::number::grouped(want)
            )
        })
    };
    far("TPP", want, own.tpp).or_else(|| match (l.performance_density, own.performance_density) {
        (Some(pd), got) => far("performance density", pd, got),
        // Density decides paragraphs as TPP does: a revision at the same
        // TPP on a smaller die had been covered.
        (None, Some(_)) => Some(
            "the licence entry records no performance_density, and the result has one: record the density the licence was issued for".into(),
        ),
        (None, None) => None,
    })
}

/// How far (as a fraction) a result's TPP or density may lie from the named
/// product's library figure and still be taken for that product: data-sheet
/// rounding is well inside it, a cut-down or different part is not.
const SAME_PRODUCT_TOLERANCE: Decimal = Decimal::from_parts(1, 0, 0, false, 1);

/// A description of the first figure (TPP, then density) of `own` that lies
/// outside [`SAME_PRODUCT_TOLERANCE`] of the product's, if any.
fn figures_far_from(product: &Outcome, own: &Outcome) -> Option<String> {
    let far = |want: Option<Decimal>, got: Option<Decimal>| -> Option<(Decimal, Decimal)> {
        let (want, got) = (want?, got?);
        let slack = want.checked_mul(SAME_PRODUCT_TOLERANCE)?;
        let gap = got.checked_sub(want)?.abs();
        (gap > slack).then_some((want, got))
    };
    if let Some((want, got)) = far(product.tpp, own.tpp) {
        return Some(format!(
            "TPP {} where the product's library figures give {}",
            crate::number::grouped(got),
            crate::number::grouped(want)
        ));
    }
    far(product.performance_density, own.performance_density).map(|(want, got)| {
        format!(
            "performance density {} where the product's library figures give {}",
            got.round_dp(2),
            want.round_dp(2)
        )
    })
}

/// Why a licence that names this result's product does not cover it, or
/// `None` when it does.
fn not_covered(
    rules: &crate::rules::RuleSet,
    l: &License,
    license_chip: &str,
    o: &Outcome,
    dest: &str,
    date: Date,
) -> Option<String> {
    if !l.destinations.iter().any(|d| d == dest) {
        let as_named = o
            .evaluated_as
            .as_deref()
            .filter(|e| l.destinations.iter().any(|d| d == e));
        return Some(match as_named {
            Some(e) => format!(
                "it names {e}, not {dest}: a licence covers the country of ultimate destination it names, even where the rules treat {dest} as {e}"
            ),
            None => format!(
                "it names {} as destination, not {dest}",
                l.destinations.join(", ")
            ),
        });
    }
    if let Some(want) = &l.end_user_hq {
        if o.end_user_hq.as_deref() != Some(want.as_str()) {
            return Some(format!(
                "it is for an end user headquartered in {want}, and this result's headquarters is {}",
                o.end_user_hq.as_deref().unwrap_or("not given")
            ));
        }
    }
    // The headquarters rule reaches an end user wherever it is: a licence
    // for the destination that records no headquarters cannot show it was
    // for one headquartered where the rule names (an H100 to SA for a
    // China-headquartered end user was taken as licensed).
    if l.end_user_hq.is_none() {
        if let Some(hq) = o.end_user_hq.as_deref() {
            let at_home = o.evaluated_as.as_deref().unwrap_or(dest) == hq || dest == hq;
            if !at_home && headquarters_rule_names(rules, hq, date) {
                return Some(format!(
                    "the end user is headquartered in {hq}, which the headquarters rule names, and the licence records no end_user_hq: add it to the entry if the licence is for that end user"
                ));
            }
        }
    }
    if let Some(issued) = l.issued_on {
        if date < issued {
            return Some(format!(
                "the shipment date {date} is before the licence was issued ({issued})"
            ));
        }
    }
    if date > l.expires_on {
        return Some(format!("it expired on {}", l.expires));
    }
    if let Some(why) = other_parties(l, o) {
        return Some(why);
    }
    // A NAC notification is leave to use the exception, not a licence: it
    // covers only a result the exception is open to (an H100 for a data
    // centre, which NAC excludes, was taken as licensed).
    let exception_open = o.exceptions.iter().any(|e| e.id == "NAC" || e.id == "ACA");
    if l.kind == LicenseKind::NacNotification && !exception_open {
        return Some(format!(
            "it is a NAC notification, and License Exception NAC (or ACA) is not available for this result ({}): only a BIS licence covers it",
            o.verdict.name()
        ));
    }
    contradicts_product(rules, l, license_chip, o)
}

/// Whether a licence requirement in force on `date` reaches end users
/// headquartered in `hq` (the headquarters rule).
fn headquarters_rule_names(rules: &crate::rules::RuleSet, hq: &str, date: Date) -> bool {
    use crate::rules::Place;
    rules
        .regulation_on(date)
        .into_iter()
        .chain(rules.letters_on(date))
        .flat_map(|v| &v.requirements)
        .flat_map(|r| &r.headquartered_in)
        .any(|p| match p {
            Place::Everywhere => true,
            Place::Country(c) => c == hq,
            Place::Group(g) => rules.groups.is_member(g, hq, date),
        })
}

/// The parties a licence names, by role: `(role, name)`.
fn named_parties(l: &License) -> Vec<(crate::screening::Role, &str)> {
    use crate::screening::Role;
    [
        (Role::Consignee, &l.consignee),
        (Role::EndUser, &l.end_user),
    ]
    .into_iter()
    .filter_map(|(role, p)| p.as_deref().map(|p| (role, p)))
    .collect()
}

/// Why a licence does not cover a result's parties, once they are known: it
/// names another consignee or end user, or a listed party makes the licence
/// requirement and the licence does not name it.
fn other_parties(l: &License, o: &Outcome) -> Option<String> {
    let same = |a: &str, b: &str| {
        crate::screening::normalise::party_name(a).key
            == crate::screening::normalise::party_name(b).key
    };
    let named = named_parties(l);
    for (role, want) in &named {
        if let Some(p) = o.parties.iter().find(|p| p.role == *role) {
            if !same(want, &p.name) {
                return Some(format!(
                    "it names {} {want}, and this shipment's {} is {}",
                    role.words(),
                    role.words(),
                    p.name
                ));
            }
        }
    }
    o.parties
        .iter()
        .filter(|p| p.requires_licence)
        .find(|p| !named.iter().any(|(role, n)| *role == p.role && same(n, &p.name)))
        .map(|p| {
            format!(
                "the licence requirement comes from {} {}, a listed party, and the licence does not name it",
                p.role.words(),
                p.name
            )
        })
}

/// Marks results covered by a valid licence as `licensed`, citing it, and
/// reports every licence's use: what it covered, and what it was near but
/// did not cover, with the reason.
///
/// A licence covers a result only when it names the result's product (one
/// normaliser for names, as for library look-ups), the destination itself
/// (never a country the rules merely evaluate as one it names), the end
/// user's headquarters if it names one, a date from `issued` to `expires`,
/// and the result's own figures place it where the named product's do.
pub fn apply_licenses(
    rules: &crate::rules::RuleSet,
    licenses: &[License],
    outcomes: &mut [Outcome],
) -> Vec<LicenseUse> {
    let mut uses: Vec<LicenseUse> = licenses.iter().map(LicenseUse::new).collect();
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
            let Some(license_chip) = l.chips.iter().find(|c| chip_matches(c, o)) else {
                continue;
            };
            let example = |reason: Option<String>| LicenseMatch {
                chip: o.chip.clone(),
                destination: dest.clone(),
                date: o.date.clone(),
                reason,
            };
            if let Some(why) = not_covered(rules, l, license_chip, o, &dest, date) {
                if date > l.expires_on && uses[i].status == LicenseStatus::Unused {
                    uses[i].status = LicenseStatus::Expired;
                }
                uses[i].near_miss_count = uses[i].near_miss_count.saturating_add(1);
                push_example(&mut uses[i].near_misses, &example(Some(why.clone())));
                o.reasons.push(format!(
                    "licence {} on file does not cover this result: {why}",
                    l.number
                ));
                continue;
            }
            uses[i].status = LicenseStatus::Used;
            uses[i].results = uses[i].results.saturating_add(1);
            push_example(&mut uses[i].covered, &example(None));
            cover(o, l);
            break;
        }
    }
    uses
}

/// Turns a restricted result into `licensed`, saying by what and what the
/// licence does not settle (its start, the parties it names).
fn cover(o: &mut Outcome, l: &License) {
    let was = o.verdict;
    o.verdict = Verdict::Licensed;
    o.reasons.push(format!(
        "{}: covered by {} {} ({}expires {}): {}",
        was.name(),
        match l.kind {
            LicenseKind::License => "licence",
            LicenseKind::NacNotification => "NAC notification",
        },
        l.number,
        l.issued
            .as_deref()
            .map(|i| format!("issued {i}, "))
            .unwrap_or_default(),
        l.expires,
        l.justification
    ));
    if l.issued.is_none() {
        o.assumptions.push(format!(
            "licence {} has no issue date on file: it is assumed to have been in effect on {}",
            l.number, o.date
        ));
    }
    // Parties the result knows were checked in `not_covered`.
    let parties: Vec<String> = named_parties(l)
        .into_iter()
        .filter(|(role, _)| !o.parties.iter().any(|p| p.role == *role))
        .map(|(role, p)| format!("{} {p}", role.words()))
        .collect();
    if !parties.is_empty() {
        o.assumptions.push(format!(
            "licence {} names {}; it covers only shipments to those parties, which this check was not given",
            l.number,
            parties.join(" and ")
        ));
    }
    o.basis.push(format!("license:{}", l.number));
}

/// An absolute path with `.` and `..` taken out by their names.
fn without_dot_dot(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Why a licence number is no number an authority issued, if it is not: no
/// digit at all (`Pending BIS approval`, `XXXXXXX`, `D???????`), or a word
/// that says it is not known or not issued yet (`TBD (applied 2026-10-01)`).
fn not_a_licence_number(number: &str) -> Option<&'static str> {
    if !number.chars().any(|c| c.is_ascii_digit()) {
        return Some("it has no digit, so it is no number an authority issued");
    }
    const NOT_ISSUED: [&str; 9] = [
        "applied",
        "applying",
        "application",
        "pending",
        "awaiting",
        "requested",
        "follow",
        "draft",
        "expected",
    ];
    let says_not_issued = number
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .any(|w| {
            crate::library::is_placeholder(w) || NOT_ISSUED.contains(&w.to_lowercase().as_str())
        });
    says_not_issued.then_some("it says the licence is not known or not issued yet")
}

/// A value that says nothing: empty, or a placeholder (`TBD`, `N/A`).
fn no_value(text: &str) -> bool {
    text.trim().is_empty() || crate::library::is_placeholder(text)
}

/// [`no_value`] for a name or an explanation (who decided, why): also one
/// that says nothing (`TODO`, `x`, `--`).
fn no_words(text: &str) -> bool {
    no_value(text) || says_nothing(text)
}

/// Words that stand in for a value yet to be written (`TODO`, `TBD
/// later`, `N/A - to do`); a value of only these, marks and single
/// characters says nothing (each had passed as who decided or why).
const FILLER_WORDS: &[&str] = &[
    "tbd",
    "tba",
    "tbc",
    "todo",
    "fixme",
    "na",
    "nk",
    "none",
    "null",
    "nil",
    "pending",
    "unknown",
    "later",
    "to",
    "do",
    "be",
    "determined",
    "decided",
    "confirmed",
    "fill",
    "filled",
    "in",
    "placeholder",
    "dummy",
    "xx",
    "xxx",
    "xxxx",
    "etc",
];

/// Whether a value holds no word of two or more letters or digits that is
/// not a filler word.
fn says_nothing(text: &str) -> bool {
    !text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .any(|w| !FILLER_WORDS.contains(&w.to_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_licence_or_ownership_check_of_placeholders_is_refused() {
        let licence = |number: &str, justification: &str| {
            Config::parse("c.toml", &format!("[[license]]\nnumber = \"{number}\"\nchips = [\"H100\"]\ndestinations = [\"SA\"]\nexpires = 2027-06-30\njustification = \"{justification}\"\n"))
        };
        assert!(licence("D1", "BIS licence").is_ok());
        for (number, justification) in [
            ("TBD", "BIS licence"),
            ("D1", "N/A"),
            ("pending", "BIS licence"),
        ] {
            let e = licence(number, justification).unwrap_err();
            assert!(
                e.message.contains("placeholder"),
                "{number} {justification}: {e}"
            );
        }
        // A number no authority issued, however it is written.
        for number in [
            "Pending BIS approval",
            "applied for",
            "TBD (applied 2026-10-01)",
            "XXXXXXX",
            "D???????",
            "to follow",
            "n/a - applied",
            "D123456 (pending)",
        ] {
            let e = licence(number, "BIS licence").unwrap_err();
            assert!(e.message.contains("not issued"), "{number}: {e}");
        }
        for number in ["D1234567", "D123456", "G-2026-0042", "EAR99-NLR-1"] {
            assert!(licence(number, "BIS licence").is_ok(), "{number}");
        }
        let check = |by: &str| {
            Config::parse("c.toml", &format!("[[ownership_check]]\nparty = \"Acme\"\nby = \"{by}\"\non = 2026-01-02\nnote = \"none over 50%\"\n"))
        };
        assert!(check("J. Smith").is_ok());
        assert!(check("J. Li").is_ok());
        assert!(check("TBD").unwrap_err().message.contains("TBD"));
        // Words that stand in for a name yet to be written say nothing.
        for by in [
            "TODO",
            "x",
            "--",
            "??",
            "...",
            "TBD later",
            "N/A - to do",
            "A. B.",
        ] {
            assert!(check(by).is_err(), "{by}");
            assert!(licence("D1", by).is_err(), "justification {by}");
        }
    }

    #[test]
    fn licences_need_expiry_and_justification() {
        let ok = Config::parse("c.toml", "[[license]]\nnumber = \"D1\"\nchips = [\"H100\"]\ndestinations = [\"SA\"]\nexpires = 2027-06-30\njustification = \"BIS licence for a Riyadh datacenter\"\n").unwrap();
        assert_eq!(ok.licenses.len(), 1);
        let e = Config::parse("c.toml", "[[license]]\nnumber = \"D1\"\nchips = [\"H100\"]\ndestinations = [\"SA\"]\nexpires = 2027-06-30\n").unwrap_err();
        assert!(e.message.contains("justification"), "{e}");
        let e = Config::parse("c.toml", "[[license]]\nnumber = \"D1\"\nchips = [\"H100\"]\ndestinations = [\"SA\"]\njustification = \"BIS licence\"\n").unwrap_err();
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
    fn an_empty_fail_on_is_refused() {
        let e = Config::parse("c.toml", "[defaults]\nfail_on = []\n").unwrap_err();
        assert!(e.to_string().contains("--fail-on none"), "{e}");
    }

    #[test]
    fn fail_on_parses() {
        let c = Config::parse("c.toml", "[defaults]\nfail_on = [\"license_required\"]\n").unwrap();
        assert_eq!(c.fail_on, Some(vec![Verdict::LicenseRequired]));
    }
    // ---- licence scope (issue 15) -------------------------------------------

    const H100: &str = "name = \"H100 SXM5 80GB\"\nvendor = \"NVIDIA\"\ndatacenter = true\n[compute]\nfp16 = 989.4\nfp8 = 1978.9\nint8 = 1978.9\n[die]\narea_mm2 = 814\nnon_planar = true\n[io]\ninterconnect_gbps = 900\nmemory_bandwidth_gbps = 3350\n";

    fn licence(extra: &str) -> Config {
        Config::parse(
            "c.toml",
            &format!("[[license]]\nnumber = \"D1\"\nchips = [\"H100 SXM5 80GB\"]\nexpires = 2027-06-30\njustification = \"BIS licence\"\n{extra}"),
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Applies `config`'s licences to one spec's results; returns the
    /// results and the licence uses.
    fn covered(
        config: &Config,
        spec_text: &str,
        to: &str,
        on: &str,
    ) -> (Vec<Outcome>, Vec<LicenseUse>) {
        let rules = crate::rules::RuleSet::embedded().unwrap_or_else(|e| panic!("{e}"));
        let spec =
            crate::spec::ChipSpec::from_toml("s.toml", spec_text).unwrap_or_else(|e| panic!("{e}"));
        let subject = crate::engine::Subject::chip(&spec, "s.toml");
        let dest = country::find(to).unwrap_or_else(|| panic!("{to}"));
        let date: Date = on.parse().unwrap_or_else(|e| panic!("{e}"));
        let mut outcomes = crate::engine::evaluate_all(&rules, &subject, date, &[dest], None);
        let uses = apply_licenses(&rules, &config.licenses, &mut outcomes);
        (outcomes, uses)
    }

    #[test]
    fn a_licence_covers_only_the_destination_it_names() {
        let config = licence("destinations = [\"CN\"]\nissued = 2024-01-01\n");
        let (cn, _) = covered(&config, H100, "CN", "2024-06-01");
        assert_eq!(cn[0].verdict, Verdict::Licensed);
        // Hong Kong is evaluated as China, but the licence names China only.
        let (hk, uses) = covered(&config, H100, "HK", "2024-06-01");
        assert_eq!(
            hk[0].verdict,
            Verdict::LicenseRequired,
            "{:?}",
            hk[0].reasons
        );
        assert!(
            hk[0]
                .reasons
                .iter()
                .any(|r| r.contains("it names CN, not HK")),
            "{:?}",
            hk[0].reasons
        );
        assert_eq!(uses[0].status, LicenseStatus::Unused);
        assert_eq!(uses[0].near_miss_count, 1);
        assert!(uses[0].near_misses[0]
            .reason
            .as_deref()
            .unwrap_or("")
            .contains("not HK"));
    }

    #[test]
    fn a_licence_does_not_cover_dates_before_it_was_issued() {
        let config = licence("destinations = [\"SA\"]\nissued = 2025-01-01\n");
        assert!(config.warnings.is_empty());
        let (before, uses) = covered(&config, H100, "SA", "2024-06-01");
        assert_eq!(before[0].verdict, Verdict::LicenseRequired);
        assert!(before[0]
            .reasons
            .iter()
            .any(|r| r.contains("before the licence was issued (2025-01-01)")));
        assert_eq!(uses[0].near_miss_count, 1);
        let (after, uses) = covered(&config, H100, "SA", "2025-06-01");
        assert_eq!(after[0].verdict, Verdict::Licensed);
        assert_eq!(uses[0].covered.len(), 1);
        let e = Config::parse("c.toml", "[[license]]\nnumber = \"D1\"\nchips = [\"H100\"]\ndestinations = [\"SA\"]\nissued = 2028-01-01\nexpires = 2027-06-30\njustification = \"BIS licence\"\n").unwrap_err();
        assert!(e.message.contains("after `expires`"), "{e}");
    }

    #[test]
    fn a_licence_without_an_issue_date_warns_and_says_what_it_assumes() {
        let config = licence("destinations = [\"SA\"]\n");
        assert!(
            config.warnings[0].contains("no `issued` date"),
            "{:?}",
            config.warnings
        );
        let (r, _) = covered(&config, H100, "SA", "2024-06-01");
        assert_eq!(r[0].verdict, Verdict::Licensed);
        assert!(r[0]
            .assumptions
            .iter()
            .any(|a| a.contains("no issue date on file")));
    }

    #[test]
    fn figures_that_contradict_the_licensed_product_are_not_covered() {
        let config = licence("destinations = [\"SA\"]\nissued = 2024-01-01\n");
        // Same name, ten times the H100's throughput: the figures give
        // another place under the rules than the library's H100 does.
        let big = H100
            .replace("fp8 = 1978.9", "fp8 = 19789")
            .replace("int8 = 1978.9", "int8 = 19789");
        let (r, uses) = covered(&config, &big, "SA", "2026-03-01");
        assert_ne!(r[0].verdict, Verdict::Licensed, "{:?}", r[0].reasons);
        assert!(
            r[0].reasons
                .iter()
                .any(|x| x.contains("contradict the named product")),
            "{:?}",
            r[0].reasons
        );
        assert_eq!(uses[0].near_miss_count, 1);
        // The real H100's figures are covered on the same date.
        let (r, _) = covered(&config, H100, "SA", "2026-03-01");
        assert_eq!(r[0].verdict, Verdict::Licensed, "{:?}", r[0].reasons);
    }

    #[test]
    fn a_product_the_library_does_not_know_is_covered_only_at_the_figures_on_file() {
        // A company's own chip: H100-class figures under its own name.
        let own = H100
            .replace("name = \"H100 SXM5 80GB\"", "name = \"Acme X1\"")
            .replace("vendor = \"NVIDIA\"", "vendor = \"Acme\"");
        let entry = |extra: &str| {
            Config::parse(
                "c.toml",
                &format!("[[license]]\nnumber = \"D1\"\nchips = [\"Acme X1\"]\ndestinations = [\"SA\"]\nissued = 2024-01-01\nexpires = 2027-06-30\njustification = \"BIS licence\"\n{extra}"),
            )
            .unwrap_or_else(|e| panic!("{e}"))
        };
        // No figures on file: nothing shows the result is the licensed part.
        let (r, uses) = covered(&entry(""), &own, "SA", "2026-03-01");
        assert_eq!(r[0].verdict, Verdict::LicenseRequired, "{:?}", r[0].reasons);
        assert!(
            r[0].reasons
                .iter()
                .any(|x| x.contains("record them in the entry")),
            "{:?}",
            r[0].reasons
        );
        assert_eq!(uses[0].near_miss_count, 1);
        // This spec's TPP is 15,831.2: on file within 10%, covered; a
        // tenth of it on file (the spec revised upward), not.
        let (r, _) = covered(
            &entry("tpp = 16000\nperformance_density = 19.5\n"),
            &own,
            "SA",
            "2026-03-01",
        );
        assert_eq!(r[0].verdict, Verdict::Licensed, "{:?}", r[0].reasons);
        // TPP alone does not show the density (a smaller die, other
        // paragraphs), nor does a TPP that is only a floor.
        let (r, _) = covered(&entry("tpp = 16000\n"), &own, "SA", "2026-03-01");
        assert_eq!(r[0].verdict, Verdict::LicenseRequired, "{:?}", r[0].reasons);
        let floor = own
            .replace("fp16 = 989.4\n", "")
            .replace("int8 = 1978.9\n", "fp64 = 67\n");
        let (r, _) = covered(
            &entry("tpp = 16000\nperformance_density = 19.5\n"),
            &floor.replace("fp8 = 1978.9\n", "fp32 = 500\n"),
            "SA",
            "2026-03-01",
        );
        assert!(r[0].tpp_at_least, "{:?}", r[0].reasons);
        assert_eq!(r[0].tpp, Some(Decimal::from(16000)));
        assert_ne!(r[0].verdict, Verdict::Licensed, "{:?}", r[0].reasons);
        assert!(
            r[0].reasons.iter().any(|x| x.contains("only a floor")),
            "{:?}",
            r[0].reasons
        );
        let (r, _) = covered(&entry("tpp = 1583\n"), &own, "SA", "2026-03-01");
        assert_eq!(r[0].verdict, Verdict::LicenseRequired, "{:?}", r[0].reasons);
        assert!(
            r[0].reasons
                .iter()
                .any(|x| x.contains("TPP is 15,831.2 where the licence entry records 1,583")),
            "{:?}",
            r[0].reasons
        );
        // Density on file is checked too.
        let (r, _) = covered(
            &entry("tpp = 15831.2\nperformance_density = 10\n"),
            &own,
            "SA",
            "2026-03-01",
        );
        assert_eq!(r[0].verdict, Verdict::LicenseRequired, "{:?}", r[0].reasons);
    }

    #[test]
    fn licence_names_match_through_the_library_normaliser() {
        let config = licence("destinations = [\"SA\"]\nissued = 2024-01-01\n");
        let vendor_named = H100.replace(
            "name = \"H100 SXM5 80GB\"",
            "name = \"NVIDIA H100 SXM5 80GB\"",
        );
        let (r, _) = covered(&config, &vendor_named, "SA", "2024-06-01");
        assert_eq!(r[0].verdict, Verdict::Licensed, "{:?}", r[0].reasons);
        let other = H100.replace("name = \"H100 SXM5 80GB\"", "name = \"H800 SXM5\"");
        let (r, _) = covered(&config, &other, "SA", "2024-06-01");
        assert_eq!(r[0].verdict, Verdict::LicenseRequired);
    }

    #[test]
    fn a_covered_result_says_which_parties_the_licence_names() {
        let config = licence("destinations = [\"SA\"]\nissued = 2024-01-01\nconsignee = \"Gulf Compute LLC\"\nend_user = \"Riyadh AI Lab\"\n");
        let (r, _) = covered(&config, H100, "SA", "2024-06-01");
        assert_eq!(r[0].verdict, Verdict::Licensed);
        assert!(
            r[0].assumptions
                .iter()
                .any(|a| a.contains("consignee Gulf Compute LLC and end user Riyadh AI Lab")),
            "{:?}",
            r[0].assumptions
        );
    }
}
