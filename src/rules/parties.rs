//! `parties.toml`: how the restricted-party lists reach an export where that
//! is rule data, not list text. Today: the Entity List affiliates rule and
//! its status by date, which may be `unknown`.

use crate::diagnostic::{from_toml_error, Diagnostic};
use jiff::civil::Date;
use serde::Deserialize;

/// The file in a rule directory that holds the party rules.
pub const PARTIES_FILE: &str = "parties.toml";

/// Whether a rule binds on a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleStatus {
    InForce,
    Suspended,
    /// No source settles it: treated as possibly in force.
    Unknown,
    /// Before it, or where no status is recorded before the first.
    NotInForce,
}

impl RuleStatus {
    pub fn words(self) -> &'static str {
        match self {
            RuleStatus::InForce => "in force",
            RuleStatus::Suspended => "suspended",
            RuleStatus::Unknown => "of unknown status",
            RuleStatus::NotInForce => "not in force",
        }
    }
}

#[derive(Clone, Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct StatusPeriod {
    pub from: toml::value::Datetime,
    pub until: Option<toml::value::Datetime>,
    pub status: RuleStatus,
    pub evidence: String,
}

#[derive(Clone, Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct AffiliatesRule {
    pub title: String,
    pub citation: String,
    pub reviewed: toml::value::Datetime,
    pub status: Vec<StatusPeriod>,
}

#[derive(Clone, Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct PartyRules {
    pub affiliates_rule: AffiliatesRule,
}

fn date(v: &toml::value::Datetime) -> Option<Date> {
    let d = v.date?;
    Date::new(
        i16::try_from(d.year).ok()?,
        i8::try_from(d.month).ok()?,
        i8::try_from(d.day).ok()?,
    )
    .ok()
}

impl PartyRules {
    pub fn parse(name: &str, text: &str) -> Result<PartyRules, Diagnostic> {
        let rules: PartyRules =
            toml::from_str(text).map_err(|e| from_toml_error(name, text, &e))?;
        for p in &rules.affiliates_rule.status {
            if date(&p.from).is_none() || p.until.as_ref().is_some_and(|u| date(u).is_none()) {
                return Err(Diagnostic::new(
                    name,
                    "affiliates_rule.status: `from` and `until` must be plain dates",
                ));
            }
        }
        Ok(rules)
    }
}

impl AffiliatesRule {
    /// The rule's status on `date`, with the evidence for it. After the last
    /// recorded period: unknown.
    pub fn status_on(&self, on: Date) -> (RuleStatus, &str) {
        let mut last_end: Option<Date> = None;
        for p in &self.status {
            let (Some(from), until) = (date(&p.from), p.until.as_ref().and_then(date)) else {
                continue;
            };
            if on >= from && until.is_none_or(|u| on <= u) {
                return (p.status, &p.evidence);
            }
            last_end = last_end.max(until.or(Some(from)));
        }
        let first = self.status.iter().filter_map(|p| date(&p.from)).min();
        match (first, last_end) {
            (Some(f), _) if on < f => (RuleStatus::NotInForce, "before the rule took effect"),
            _ => (RuleStatus::Unknown, "no status recorded for this date"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_affiliates_rule_has_a_dated_status() {
        let text = std::fs::read_to_string("rules/parties.toml").unwrap_or_default();
        let rules = PartyRules::parse("parties.toml", &text).unwrap_or_else(|e| panic!("{e}"));
        let status = |d: &str| {
            rules
                .affiliates_rule
                .status_on(d.parse().unwrap_or_default())
                .0
        };
        assert_eq!(status("2025-09-01"), RuleStatus::NotInForce);
        assert_eq!(status("2025-10-01"), RuleStatus::InForce);
        assert_eq!(status("2026-06-01"), RuleStatus::Suspended);
        assert_eq!(status("2026-12-01"), RuleStatus::Unknown);
    }
}
