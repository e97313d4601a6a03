//! Where an answer came from: tool, rule set and its hash, the rule versions
//! the answers rest on, the inputs (with their SHA-256) and the dates
//! evaluated. One type, written by every format that records provenance.

use crate::engine::Outcome;
use crate::rules::RuleSet;
use serde::Serialize;
use std::collections::BTreeSet;

pub use crate::input::InputFile;

/// Fields in alphabetical order: the order every report has always written
/// them in (they were once a sorted JSON map), so scripts see one layout.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    pub chipcheck_version: &'static str,
    pub dates_evaluated: Vec<String>,
    pub inputs: Vec<InputFile>,
    /// The restricted-party lists the parties were screened against.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub party_lists: Vec<crate::screening::ListProvenance>,
    /// The project file whose defaults, licences and `fail_on` were used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project_file: Option<InputFile>,
    pub rule_versions: Vec<String>,
    pub rules_hash: String,
    pub rules_origin: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules_reviewed: Option<String>,
}

impl Provenance {
    /// The provenance of `outcomes`, with no inputs recorded.
    pub fn new(rules: &RuleSet, outcomes: &[Outcome]) -> Provenance {
        let basis = outcomes.iter().flat_map(|o| o.basis.iter().cloned());
        let dates = outcomes.iter().map(|o| o.date.clone());
        Provenance::of(rules, basis.collect(), dates.collect(), Vec::new())
    }

    pub fn of(
        rules: &RuleSet,
        rule_versions: BTreeSet<String>,
        dates: BTreeSet<String>,
        inputs: Vec<InputFile>,
    ) -> Provenance {
        Provenance {
            chipcheck_version: crate::VERSION,
            party_lists: Vec::new(),
            rules_origin: rules.origin.clone(),
            rules_hash: rules.hash.clone(),
            rule_versions: rule_versions.into_iter().collect(),
            rules_reviewed: rules.reviewed().map(|d| d.to_string()),
            inputs,
            project_file: None,
            dates_evaluated: dates.into_iter().collect(),
        }
    }
}

/// A reader that hashes what passes through it, so a catalogue read once
/// (a pipe, a FIFO) still gets its SHA-256 in the report. The [`Hasher`]
/// handle stays with the caller while the reader is handed on.
pub struct HashingReader<R> {
    inner: R,
    hasher: Hasher,
}

#[derive(Clone, Default)]
pub struct Hasher(std::sync::Arc<std::sync::Mutex<sha2::Sha256>>);

impl Hasher {
    /// The hash of every byte read so far, as `sha256:<hex>`.
    pub fn digest(&self) -> String {
        use sha2::Digest;
        // A poisoned lock means a read panicked, which ends the run before
        // any digest is asked for.
        let state = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        format!("sha256:{:x}", state.clone().finalize())
    }
}

impl<R: std::io::Read> HashingReader<R> {
    pub fn new(inner: R) -> (Self, Hasher) {
        let hasher = Hasher::default();
        let reader = HashingReader {
            inner,
            hasher: hasher.clone(),
        };
        (reader, hasher)
    }
}

impl<R: std::io::Read> std::io::Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use sha2::Digest;
        let n = self.inner.read(buf)?;
        // Locked once per read of the whole buffer: the audit reads on
        // another thread than the one that asks for the digest.
        self.hasher
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .update(buf.get(..n).unwrap_or_default());
        Ok(n)
    }
}
