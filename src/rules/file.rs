//! The raw serde shape of rule files. Unknown keys are errors; everything
//! that needs checking beyond shape is done in [`super::version`].

use crate::diagnostic::Diagnostic;
use jiff::civil::Date;
use serde::Deserialize;
use toml::value::Datetime;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroups {
    pub schema: u32,
    pub title: String,
    pub citation: String,
    pub baseline: Spanned<Datetime>,
    /// For people reading the file; not used in evaluation.
    #[serde(default)]
    #[allow(dead_code)]
    pub notes: Vec<String>,
    pub group: Vec<RawGroup>,
    #[serde(default)]
    pub change: Vec<RawChange>,
    #[serde(default)]
    pub treated_as: Vec<RawTreatedAs>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    pub id: Spanned<String>,
    pub name: String,
    pub members: Vec<Spanned<String>>,
    /// For people reading the file; not used in evaluation.
    #[serde(default)]
    #[allow(dead_code)]
    pub note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChange {
    /// The date the change took effect, when a source gives it.
    #[serde(default)]
    pub effective: Option<Spanned<Datetime>>,
    /// When no source dates the change: the last date it is known not to
    /// have happened, and the first date it is known to have happened.
    #[serde(default)]
    pub last_known_before: Option<Spanned<Datetime>>,
    #[serde(default)]
    pub first_known_after: Option<Spanned<Datetime>>,
    /// How sure the date is: `primary`, `secondary` or `none`.
    #[serde(default)]
    pub evidence: Option<String>,
    pub group: Spanned<String>,
    #[serde(default)]
    pub add: Vec<Spanned<String>>,
    #[serde(default)]
    pub remove: Vec<Spanned<String>>,
    pub citation: String,
    /// For people reading the file; not used in evaluation.
    #[serde(default)]
    #[allow(dead_code)]
    pub note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTreatedAs {
    pub code: Spanned<String>,
    pub r#as: Spanned<String>,
    pub since: Spanned<Datetime>,
    pub citation: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawVersion {
    pub schema: u32,
    pub id: Spanned<String>,
    pub title: String,
    pub kind: RawKind,
    pub authority: String,
    pub citation: String,
    #[serde(default)]
    pub fr_doc: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    pub published: Spanned<Datetime>,
    pub in_force: Spanned<Datetime>,
    /// How sure `in_force` is: `primary`, `secondary` or `none`.
    #[serde(default)]
    pub in_force_evidence: Option<Spanned<String>>,
    /// When no source gives the day it took effect: the last date it is
    /// known not to have applied (`in_force` is then the first date known).
    #[serde(default)]
    pub in_force_known_before: Option<Spanned<Datetime>>,
    #[serde(default)]
    pub until: Option<Spanned<Datetime>>,
    #[serde(default)]
    pub not_enforced_from: Option<Spanned<Datetime>>,
    #[serde(default)]
    pub not_enforced_citation: Option<String>,
    #[serde(default)]
    pub supersedes: Vec<Spanned<String>>,
    pub reviewed: Spanned<Datetime>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub applies_to: Option<RawAppliesTo>,
    #[serde(default)]
    pub paragraph: Vec<RawParagraph>,
    #[serde(default)]
    pub exclusion: Vec<RawExclusion>,
    #[serde(default)]
    pub license_requirement: Vec<RawRequirement>,
    #[serde(default)]
    pub review_policy: Vec<RawPolicy>,
    #[serde(default)]
    pub exception: Vec<RawException>,
    #[serde(default)]
    pub systems: Option<RawSystems>,
    /// Where performance density can decide the answer (all must hold): a
    /// die whose planarity is not given is worked out both ways only there.
    #[serde(default)]
    pub density_decides: Vec<Spanned<String>>,
}

#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawKind {
    Regulation,
    Letter,
}

/// The products a company-specific letter names, and the figures that bring
/// other products under it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAppliesTo {
    pub vendor: String,
    #[serde(default)]
    pub products: Vec<String>,
    /// Other products of this vendor reaching these figures are covered too.
    #[serde(default)]
    pub reaching_all: Vec<Spanned<String>>,
    #[serde(default)]
    pub reaching_any: Vec<Spanned<String>>,
    /// Whether products of *any* vendor reaching the figures are covered.
    #[serde(default)]
    pub any_vendor: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParagraph {
    pub id: Spanned<String>,
    pub summary: String,
    #[serde(default)]
    pub all: Vec<Spanned<String>>,
    #[serde(default)]
    pub any: Vec<Spanned<String>>,
    #[serde(default)]
    pub unless: Vec<Spanned<String>>,
    pub citation: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExclusion {
    pub id: String,
    pub summary: String,
    #[serde(default)]
    pub all: Vec<Spanned<String>>,
    #[serde(default)]
    pub any: Vec<Spanned<String>>,
    pub paragraphs: Vec<Spanned<String>>,
    pub citation: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRequirement {
    pub id: String,
    pub summary: String,
    pub paragraphs: Vec<Spanned<String>>,
    #[serde(default)]
    pub destinations: Vec<Spanned<String>>,
    #[serde(default)]
    pub except: Vec<Spanned<String>>,
    #[serde(default)]
    pub headquartered_in: Vec<Spanned<String>>,
    pub citation: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    pub policy: Spanned<String>,
    #[serde(default)]
    pub destinations: Vec<Spanned<String>>,
    #[serde(default)]
    pub headquartered_in: Vec<Spanned<String>>,
    #[serde(default)]
    pub paragraphs: Vec<Spanned<String>>,
    #[serde(default)]
    pub all: Vec<Spanned<String>>,
    #[serde(default)]
    pub note: Option<String>,
    pub citation: String,
    /// How sure the policy is: `primary`, `secondary` or `none` (no source
    /// states it; then the policy must be `unknown`).
    #[serde(default)]
    pub evidence: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawException {
    pub id: String,
    pub title: String,
    pub citation: String,
    #[serde(default)]
    pub destinations: Vec<Spanned<String>>,
    #[serde(default)]
    pub except: Vec<Spanned<String>>,
    /// Also usable for end users headquartered here, wherever located.
    #[serde(default)]
    pub headquartered_in: Vec<Spanned<String>>,
    /// Not usable for end users headquartered here.
    #[serde(default)]
    pub except_headquartered_in: Vec<Spanned<String>>,
    pub eligible: Vec<RawEligible>,
    #[serde(default)]
    pub notification: Option<RawNotification>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEligible {
    pub paragraphs: Vec<Spanned<String>>,
    #[serde(default)]
    pub all: Vec<Spanned<String>>,
    #[serde(default)]
    pub any: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNotification {
    #[serde(default)]
    pub destinations: Vec<Spanned<String>>,
    #[serde(default)]
    pub headquartered_in: Vec<Spanned<String>>,
    #[serde(default)]
    pub days: Option<u32>,
    pub citation: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSystems {
    pub eccn: String,
    pub summary: String,
    /// `{ "3A090.a" = "4A090.a" }`: a system containing an IC that meets the
    /// key meets the value.
    pub paragraph_map: toml::Table,
    pub citation: String,
}

/// A TOML date (no time) as a civil date, with its location on error.
pub fn date_of(value: &Spanned<Datetime>, path: &str, source: &str) -> Result<Date, Diagnostic> {
    let dt = value.get_ref();
    let bad = || {
        Diagnostic::new(
            path,
            format!("`{dt}` is not a plain date (write 2023-11-17)"),
        )
        .at(source, Some(value.span()))
    };
    match (dt.date, dt.time) {
        (Some(d), None) => Date::new(d.year as i16, d.month as i8, d.day as i8).map_err(|_| bad()),
        _ => Err(bad()),
    }
}
