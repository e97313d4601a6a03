//! A whole rule set: the country groups and every rule version, with a
//! content hash so that an answer can be reproduced.

use super::file::{RawGroups, RawVersion};
use super::groups::CountryGroups;
use super::parties::PartyRules;
use super::version::{RuleKind, RuleVersion, Window};
use crate::diagnostic::{from_toml_error, Diagnostic};
use jiff::civil::Date;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::OnceLock;

/// The file in a rule directory that holds the country groups.
pub const GROUPS_FILE: &str = "country-groups.toml";

/// The largest rule file chipcheck reads.
const MAX_RULE_BYTES: usize = 4 << 20;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));
}

/// The compiled form of the embedded rules (see `compiled`): a
/// [`RulesForm`] on the first line, then each version on a line of its own.
const COMPILED: &str = include_str!("../compiled/rules.jsonl");

/// What the first line of the compiled form of a rule set holds: all of it
/// but its origin, the lookups worked out at load and the versions, of
/// which only what [`Header`] says is read at load.
#[derive(serde::Serialize, serde::Deserialize)]
struct RulesForm {
    groups: CountryGroups,
    headers: Vec<Header>,
    parties: Option<PartyRules>,
    hash: String,
}

/// What a rule set must know of every version at load: enough to say which
/// versions apply on a date, so that only those are read (a one-shot
/// classify on a recent date reads five of the fourteen).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Header {
    id: String,
    kind: RuleKind,
    window: Window,
    supersedes: Vec<String>,
    reviewed: Date,
}

impl Header {
    fn of(version: &RuleVersion) -> Header {
        Header {
            id: version.id.clone(),
            kind: version.kind,
            window: version.window(),
            supersedes: version.supersedes.clone(),
            reviewed: version.reviewed,
        }
    }
}

/// A version of a rule set: loaded with the set (from TOML), or read from
/// its line of the compiled form when first asked for.
#[derive(Clone)]
struct Stored {
    header: Header,
    /// Its line of the compiled form, for a version not yet read.
    line: Option<&'static str>,
    version: OnceLock<RuleVersion>,
}

impl Stored {
    fn loaded(version: RuleVersion) -> Stored {
        Stored {
            header: Header::of(&version),
            line: None,
            version: OnceLock::from(version),
        }
    }

    fn get(&self) -> &RuleVersion {
        self.version.get_or_init(|| {
            // The fingerprint on the first line says the lines are of these
            // files, and the tests read every line and compare it with the
            // TOML; should one still not read, the TOML gives the version.
            self.line
                .and_then(|line| serde_json::from_str(line).ok())
                .or_else(|| {
                    let set = RuleSet::embedded_toml().ok()?;
                    set.get(&self.header.id).cloned()
                })
                .unwrap_or_else(|| unreadable(&self.header.id))
        })
    }
}

/// Neither form of the embedded rules gives version `id`, which the first
/// line of the compiled form names: this build of chipcheck is broken, and
/// no answer is better than one without the version.
#[allow(clippy::panic)]
#[cold]
fn unreadable(id: &str) -> RuleVersion {
    panic!("the embedded rule version {id} reads from neither its compiled form nor its TOML")
}

#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("cannot read rule directory {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(Box<Diagnostic>),
    /// The set loads but fails `rules check`: answers from it could be
    /// wrong (two regulations in force on one date, say), so it is refused.
    #[error(
        "the rules in {origin} fail `chipcheck rules check` ({count} error{s}); no answer is given from them:\n{list}",
        count = errors.len(),
        s = if errors.len() == 1 { "" } else { "s" },
        list = crate::rules::check::list_errors(errors)
    )]
    Check { origin: String, errors: Vec<String> },
}

impl From<Diagnostic> for RulesError {
    fn from(d: Diagnostic) -> Self {
        RulesError::Invalid(Box::new(d))
    }
}

/// The origin of the rules built into the binary.
const EMBEDDED: &str = "embedded";

#[derive(Clone)]
pub struct RuleSet {
    pub groups: CountryGroups,
    /// Every version, ordered by the date it came into force.
    versions: Vec<Stored>,
    /// The party rules (`parties.toml`); a rule directory without one leaves
    /// the affiliates rule's status unknown.
    pub parties: Option<super::parties::PartyRules>,
    /// `embedded` or the directory given with `--rules`.
    pub origin: String,
    /// SHA-256 over every file's name and bytes, in name order.
    pub hash: String,
    /// Which regulation is in force from each date a regulation starts or
    /// stops (ascending; an index into `versions`), worked out at load:
    /// the answer is asked for every result.
    regulation_from: Vec<(Date, Option<usize>)>,
}

/// Every version read, as a derived `Debug` would show them had they all
/// been read at load.
impl std::fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleSet")
            .field("groups", &self.groups)
            .field("versions", &self.versions().collect::<Vec<_>>())
            .field("parties", &self.parties)
            .field("origin", &self.origin)
            .field("hash", &self.hash)
            .field("regulation_from", &self.regulation_from)
            .finish()
    }
}

impl RuleSet {
    /// The rules compiled into this binary: their compiled form (see
    /// `compiled`), else, should it not be of these files, the TOML.
    pub fn embedded() -> Result<RuleSet, RulesError> {
        if let Some((form, lines)) =
            crate::compiled::read_with_parts::<RulesForm>(COMPILED, crate::compiled::FINGERPRINT)
        {
            if form.headers.len() == lines.len() {
                let versions = form
                    .headers
                    .into_iter()
                    .zip(lines)
                    .map(|(header, line)| Stored {
                        header,
                        line: Some(line),
                        version: OnceLock::new(),
                    })
                    .collect();
                return Ok(RuleSet::assemble(
                    EMBEDDED,
                    (form.groups, versions, form.parties),
                    form.hash,
                ));
            }
        }
        Self::embedded_toml()
    }

    /// The embedded rules loaded and checked from their TOML.
    fn embedded_toml() -> Result<RuleSet, RulesError> {
        Self::from_files(EMBEDDED, embedded_files())
    }

    /// A rule set of checked parts, with the lookups worked out at load.
    fn assemble(
        origin: &str,
        (groups, versions, parties): (CountryGroups, Vec<Stored>, Option<PartyRules>),
        hash: String,
    ) -> RuleSet {
        let headers: Vec<&Header> = versions.iter().map(|v| &v.header).collect();
        let regulation_from = regulation_timeline(&headers);
        RuleSet {
            groups,
            versions,
            parties,
            origin: origin.to_string(),
            hash,
            regulation_from,
        }
    }

    /// The directory the rules were read from (`--rules`), or None for
    /// the rules built in.
    pub fn directory(&self) -> Option<&Path> {
        (self.origin != EMBEDDED).then(|| Path::new(&self.origin))
    }

    /// Every `*.toml` in `dir` (not recursing), in the same format.
    pub fn from_dir(dir: &Path) -> Result<RuleSet, RulesError> {
        let shown = dir.display().to_string();
        let io = |source| RulesError::Io {
            path: shown.clone(),
            source,
        };
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let entry = entry.map_err(io)?;
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("toml") || !path.is_file() {
                continue;
            }
            let len = entry.metadata().map_err(io)?.len();
            let name = path.display().to_string();
            if len > MAX_RULE_BYTES as u64 {
                return Err(Diagnostic::new(
                    &name,
                    format!("rule file is {len} bytes; the limit is {MAX_RULE_BYTES}"),
                )
                .into());
            }
            let text = std::fs::read_to_string(&path).map_err(|source| RulesError::Io {
                path: name.clone(),
                source,
            })?;
            files.push((name, text));
        }
        Self::from_files(&shown, files)
    }

    /// Builds a rule set from (file name, contents) pairs.
    pub fn from_files(
        origin: &str,
        mut files: Vec<(String, String)>,
    ) -> Result<RuleSet, RulesError> {
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let mut hasher = Sha256::new();
        for (name, text) in &files {
            let base = Path::new(name)
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or(name);
            hasher.update(base.as_bytes());
            hasher.update([0]);
            hasher.update(text.as_bytes());
            hasher.update([0]);
        }
        let hash = format!("sha256:{:x}", hasher.finalize());

        let is_groups =
            |name: &str| Path::new(name).file_name().and_then(|n| n.to_str()) == Some(GROUPS_FILE);
        let (groups_name, groups_text) = files
            .iter()
            .find(|(name, _)| is_groups(name))
            .ok_or_else(|| {
                Diagnostic::new(origin, format!("the rule set has no {GROUPS_FILE}")).help(
                    "a rule directory holds country-groups.toml and one file per rule version",
                )
            })?;
        let raw: RawGroups = toml::from_str(groups_text)
            .map_err(|e| from_toml_error(groups_name, groups_text, &e))?;
        let groups = CountryGroups::from_raw(raw, groups_name, groups_text)?;

        let is_parties = |name: &str| {
            Path::new(name).file_name().and_then(|n| n.to_str())
                == Some(super::parties::PARTIES_FILE)
        };
        let parties = match files.iter().find(|(name, _)| is_parties(name)) {
            Some((name, text)) => Some(super::parties::PartyRules::parse(name, text)?),
            None => None,
        };
        let mut versions: Vec<RuleVersion> = Vec::new();
        for (name, text) in files
            .iter()
            .filter(|(name, _)| !is_groups(name) && !is_parties(name))
        {
            let raw: RawVersion =
                toml::from_str(text).map_err(|e| from_toml_error(name, text, &e))?;
            let span = raw.id.span();
            let version = RuleVersion::from_raw(raw, name, text, &groups)?;
            if let Some(other) = versions.iter().find(|v| v.id == version.id) {
                return Err(Diagnostic::new(
                    name,
                    format!("rule id `{}` is also used by {}", version.id, other.path),
                )
                .at(text, Some(span))
                .into());
            }
            versions.push(version);
        }
        if versions.is_empty() {
            return Err(Diagnostic::new(origin, "the rule set has no rule versions").into());
        }
        for v in &versions {
            for s in &v.supersedes {
                if !versions.iter().any(|o| &o.id == s) {
                    return Err(Diagnostic::new(
                        &v.path,
                        format!("`supersedes` names `{s}`, which is not in the rule set"),
                    )
                    .field("supersedes")
                    .into());
                }
            }
        }
        versions.sort_by(|a, b| a.in_force.cmp(&b.in_force).then(a.id.cmp(&b.id)));
        let versions = versions.into_iter().map(Stored::loaded).collect();
        Ok(RuleSet::assemble(origin, (groups, versions, parties), hash))
    }

    /// Every version, ordered by the date it came into force.
    pub fn versions(&self) -> impl ExactSizeIterator<Item = &RuleVersion> + Clone {
        self.versions.iter().map(Stored::get)
    }

    pub fn get(&self, id: &str) -> Option<&RuleVersion> {
        self.versions
            .iter()
            .find(|v| v.header.id == id)
            .map(Stored::get)
    }

    /// The date the first version came into force.
    pub fn first_in_force(&self) -> Option<Date> {
        self.versions.iter().map(|v| v.header.window.in_force).min()
    }

    /// The regulation in force on `date`: the latest to come into force on
    /// or before it that no other in-force regulation supersedes.
    pub fn regulation_on(&self, date: Date) -> Option<&RuleVersion> {
        let after = self
            .regulation_from
            .partition_point(|(from, _)| *from <= date);
        let (_, index) = self.regulation_from.get(after.checked_sub(1)?)?;
        self.versions.get((*index)?).map(Stored::get)
    }

    /// Company-specific letters in force on `date`.
    pub fn letters_on(&self, date: Date) -> impl Iterator<Item = &RuleVersion> {
        self.versions
            .iter()
            .filter(move |v| v.header.kind == RuleKind::Letter && v.header.window.in_force_on(date))
            .map(Stored::get)
    }

    /// Letters whose start no source dates, and which may have been in force
    /// on `date` (inside their window).
    pub fn letters_maybe_on(&self, date: Date) -> Vec<&RuleVersion> {
        self.versions
            .iter()
            .filter(|v| {
                v.header.kind == RuleKind::Letter && v.header.window.start_uncertain_on(date)
            })
            .map(Stored::get)
            .collect()
    }

    /// The latest `reviewed` date over the set: answers for later dates are
    /// flagged, not silently trusted.
    pub fn reviewed(&self) -> Option<Date> {
        self.versions.iter().map(|v| v.header.reviewed).max()
    }

    /// The status of a version on `date`, for listings.
    pub fn status_on(&self, version: &RuleVersion, date: Date) -> &'static str {
        if date < version.in_force {
            return "not yet in force";
        }
        if version.not_enforced_from.is_some_and(|n| date >= n) {
            return "not enforced";
        }
        if version.until.is_some_and(|u| date >= u) {
            return "expired";
        }
        match version.kind {
            RuleKind::Regulation => {
                if self.regulation_on(date).is_some_and(|r| r.id == version.id) {
                    "in force"
                } else {
                    "superseded"
                }
            }
            RuleKind::Letter => "in force",
        }
    }
}

/// The embedded rule files, as (file name, contents) pairs.
fn embedded_files() -> Vec<(String, String)> {
    embedded::RULE_FILES
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect()
}

/// The regulation in force on `date` by definition: of the regulations in
/// force, the latest to come into force that no other in force supersedes.
fn regulation_in_force(versions: &[&Header], date: Date) -> Option<usize> {
    let live = || {
        versions
            .iter()
            .enumerate()
            .filter(move |(_, v)| v.kind == RuleKind::Regulation && v.window.in_force_on(date))
    };
    live()
        .filter(|(_, v)| !live().any(|(_, o)| o.supersedes.contains(&v.id)))
        .max_by_key(|(_, v)| v.window.in_force)
        .map(|(i, _)| i)
}

/// [`regulation_in_force`] on every date a regulation starts, ends or stops
/// being enforced: between two such dates the answer cannot change.
fn regulation_timeline(versions: &[&Header]) -> Vec<(Date, Option<usize>)> {
    let mut dates: Vec<Date> = versions
        .iter()
        .filter(|v| v.kind == RuleKind::Regulation)
        .flat_map(|v| {
            [
                Some(v.window.in_force),
                v.window.until,
                v.window.not_enforced_from,
            ]
        })
        .flatten()
        .collect();
    dates.sort();
    dates.dedup();
    dates
        .into_iter()
        .map(|d| (d, regulation_in_force(versions, d)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed compiled form is what the embedded TOML gives now.
    #[test]
    fn compiled_rules_are_current() {
        let set = RuleSet::embedded_toml().expect("embedded rules");
        let versions: Vec<&RuleVersion> = set.versions().collect();
        let form = RulesForm {
            groups: set.groups.clone(),
            headers: set.versions.iter().map(|v| v.header.clone()).collect(),
            parties: set.parties.clone(),
            hash: set.hash.clone(),
        };
        let rendered =
            crate::compiled::render_with_parts(crate::compiled::FINGERPRINT, &form, &versions);
        crate::compiled::check_current("src/compiled/rules.jsonl", COMPILED, &rendered);
    }

    /// The compiled form is read, and reads back as the TOML loads: every
    /// field of every version, group and party rule.
    #[test]
    fn compiled_rules_load_as_the_toml_does() {
        assert!(
            crate::compiled::read_with_parts::<RulesForm>(COMPILED, crate::compiled::FINGERPRINT)
                .is_some(),
            "the compiled rules are not read (stale? see compiled_rules_are_current)"
        );
        let compiled = RuleSet::embedded().expect("compiled rules");
        assert!(
            compiled.versions.iter().all(|v| v.version.get().is_none()),
            "the compiled rules' versions are read at load"
        );
        let toml = RuleSet::embedded_toml().expect("embedded rules");
        assert_eq!(format!("{compiled:#?}"), format!("{toml:#?}"));
        // Each line reads by itself: the fallback to the TOML in
        // `Stored::get` would hide one that does not.
        for stored in &compiled.versions {
            let line = stored.line.expect("a compiled line");
            let read: RuleVersion = serde_json::from_str(line).expect("the line reads");
            let id = &stored.header.id;
            let expected = toml.get(id).expect("the version is in the TOML");
            assert_eq!(format!("{read:?}"), format!("{expected:?}"), "{id}");
            assert_eq!(
                format!("{:?}", stored.header),
                format!("{:?}", Header::of(&read)),
                "{id}"
            );
        }
    }

    /// A compiled line that does not read gives the version from the TOML.
    #[test]
    fn a_compiled_version_that_does_not_read_comes_from_the_toml() {
        let toml = RuleSet::embedded_toml().expect("embedded rules");
        let version = toml.get("us-2023-11").expect("a version");
        let stored = Stored {
            header: Header::of(version),
            line: Some("{not json"),
            version: OnceLock::new(),
        };
        assert_eq!(format!("{:?}", stored.get()), format!("{version:?}"));
    }

    /// The timeline worked out at load answers as the definition does, on
    /// every day from before the first rule to after the last review, for
    /// the embedded rules and for every fixture rule set that loads.
    #[test]
    fn regulation_on_is_the_definition_on_every_day() {
        let mut sets = vec![RuleSet::embedded().expect("embedded rules")];
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        for entry in std::fs::read_dir(fixtures).expect("fixtures") {
            let path = entry.expect("entry").path();
            if !path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("rules-"))
            {
                continue;
            }
            // A fixture rule directory adds its versions to the embedded ones.
            let mut files = embedded_files();
            for file in std::fs::read_dir(&path).into_iter().flatten() {
                let file = file.expect("entry").path();
                if file.extension().is_some_and(|e| e == "toml") {
                    let text = std::fs::read_to_string(&file).expect("fixture");
                    files.push((file.display().to_string(), text));
                }
            }
            // Sets that fail to load are other tests' concern.
            sets.extend(RuleSet::from_files(&path.display().to_string(), files).ok());
        }
        assert!(sets.len() > 1, "no fixture rule set loaded");
        for set in &sets {
            let mut date = Date::constant(2021, 1, 1);
            while date < Date::constant(2029, 1, 1) {
                let timeline = set.regulation_on(date).map(|v| v.id.as_str());
                let headers: Vec<&Header> = set.versions.iter().map(|v| &v.header).collect();
                let defined = regulation_in_force(&headers, date).map(|i| headers[i].id.as_str());
                assert_eq!(timeline, defined, "{} on {date}", set.origin);
                date = date.tomorrow().expect("a later day");
            }
        }
    }
}
