//! `rules check`: what loading cannot catch on its own. Loading already
//! rejects unknown keys, metrics, groups, paragraph references and empty
//! citations; this adds the whole-set checks.

use super::set::RuleSet;
use super::version::{Evidence, ReviewPolicy, RuleKind, Test};
use crate::condition::{Condition, Literal, Op};
use crate::metrics::Metric;
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub file: String,
    pub message: String,
}

/// The checks a run makes before it answers from a rule set: any error
/// refuses the set (the same findings `rules check` lists); the warnings are
/// returned for the caller to show.
pub fn refuse_errors(rules: &RuleSet) -> Result<Vec<Finding>, super::set::RulesError> {
    let (errors, warnings): (Vec<Finding>, Vec<Finding>) = check(rules)
        .into_iter()
        .partition(|f| f.severity == Severity::Error);
    if errors.is_empty() {
        return Ok(warnings);
    }
    Err(super::set::RulesError::Check {
        origin: rules.origin.clone(),
        errors: errors.iter().map(Finding::describe).collect(),
    })
}

/// At most ten errors, one per line, then how many more `rules check` lists.
pub fn list_errors(errors: &[String]) -> String {
    const SHOWN: usize = 10;
    let mut lines: Vec<String> = errors
        .iter()
        .take(SHOWN)
        .map(|e| format!("  error: {e}"))
        .collect();
    if errors.len() > SHOWN {
        lines.push(format!(
            "  … and {} more: run `chipcheck rules check DIR` for all of them",
            errors.len().saturating_sub(SHOWN)
        ));
    }
    lines.join("\n")
}

impl Finding {
    /// The message with the file it is about, as `rules check` prints it.
    pub fn describe(&self) -> String {
        if self.file.is_empty() {
            self.message.clone()
        } else {
            format!("{} ({})", self.message, self.file)
        }
    }
}

/// Every finding for a loaded rule set, errors first.
pub fn check(rules: &RuleSet) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut push = |severity, file: &str, message: String| {
        findings.push(Finding {
            severity,
            file: file.to_string(),
            message,
        })
    };

    // Dates: exactly one regulation in force on any date once the first has
    // come into force, and supersession points backwards in time.
    let mut dates: BTreeSet<Date> = BTreeSet::new();
    for v in rules.versions() {
        dates.insert(v.in_force);
        dates.extend(v.until);
        dates.extend(v.not_enforced_from);
    }
    let first = rules
        .versions()
        .filter(|v| v.kind == RuleKind::Regulation)
        .map(|v| v.in_force)
        .min();
    for d in &dates {
        let live: Vec<_> = rules
            .versions()
            .filter(|v| v.kind == RuleKind::Regulation && v.in_force_on(*d))
            .collect();
        let heads: Vec<_> = live
            .iter()
            .filter(|v| !live.iter().any(|o| o.supersedes.contains(&v.id)))
            .collect();
        if heads.len() > 1 {
            let ids: Vec<&str> = heads.iter().map(|v| v.id.as_str()).collect();
            push(
                Severity::Error,
                &heads[0].path,
                format!(
                    "on {d} the regulations {} are all in force and none supersedes the others",
                    ids.join(", ")
                ),
            );
        }
        if heads.is_empty() && first.is_some_and(|f| *d > f) {
            push(
                Severity::Warning,
                "",
                format!("no regulation is in force on {d}, after the first came into force"),
            );
        }
    }
    for v in rules.versions() {
        for s in &v.supersedes {
            if let Some(old) = rules.get(s) {
                if old.in_force >= v.in_force {
                    push(
                        Severity::Error,
                        &v.path,
                        format!(
                            "{} supersedes {s}, which comes into force on {} (not earlier than {})",
                            v.id, old.in_force, v.in_force
                        ),
                    );
                }
            }
        }
        if v.reviewed < v.in_force && v.reviewed < v.published {
            push(
                Severity::Warning,
                &v.path,
                format!(
                    "{} was last reviewed on {}, before it was published",
                    v.id, v.reviewed
                ),
            );
        }
        // Paragraphs no chip can meet.
        for p in &v.paragraphs {
            if let Some(why) = unsatisfiable(&p.test) {
                push(
                    Severity::Error,
                    &v.path,
                    format!("paragraph {} of {} can never be met: {why}", p.id, v.id),
                );
            }
        }
        for e in &v.exclusions {
            if let Some(why) = unsatisfiable(&e.test) {
                push(
                    Severity::Warning,
                    &v.path,
                    format!("exclusion {} of {} can never apply: {why}", e.id, v.id),
                );
            }
        }
        for r in &v.requirements {
            let reached = r.paragraphs.iter().any(|p| {
                v.paragraphs.iter().any(|q| super::covers(p, &q.id))
                    || v.systems
                        .as_ref()
                        .is_some_and(|s| s.paragraph_map.iter().any(|(_, to)| super::covers(p, to)))
            });
            if !reached {
                push(
                    Severity::Error,
                    &v.path,
                    format!(
                        "licence requirement `{}` of {} names no paragraph of the rule",
                        r.id, v.id
                    ),
                );
            }
        }
        if v.kind == RuleKind::Regulation && v.requirements.is_empty() {
            push(
                Severity::Warning,
                &v.path,
                format!(
                    "{} has no licence requirement: nothing it classifies needs a licence",
                    v.id
                ),
            );
        }
        // Facts with no source: a policy asserted without one, or a date
        // no source gives.
        for p in &v.policies {
            let scope = policy_scope(p);
            match (p.policy, p.evidence) {
                (ReviewPolicy::Unknown, _) => {}
                (_, None) => push(
                    Severity::Warning,
                    &v.path,
                    format!(
                        "review policy {} of {} ({scope}) does not say how it is sourced (evidence = primary, secondary or none)",
                        p.policy.name(),
                        v.id
                    ),
                ),
                (_, Some(Evidence::None)) => push(
                    Severity::Warning,
                    &v.path,
                    format!(
                        "review policy {} of {} ({scope}) has no source: write policy = \"unknown\" with a note saying what is not known",
                        p.policy.name(),
                        v.id
                    ),
                ),
                _ => {}
            }
        }
        if v.in_force_evidence == Some(Evidence::None) {
            push(
                Severity::Warning,
                &v.path,
                format!(
                    "{} comes into force on {}, a date no source gives",
                    v.id, v.in_force
                ),
            );
        }
        if v.policies.is_empty() && !v.requirements.is_empty() {
            push(
                Severity::Warning,
                &v.path,
                format!("{} gives no review policy", v.id),
            );
        }
    }
    for c in &rules.groups.changes {
        let fact = c.describe();
        match (c.evidence.as_deref(), c.known_before) {
            (None, _) => push(
                Severity::Warning,
                super::GROUPS_FILE,
                format!(
                    "the change `{fact}` ({}) does not say how its date is sourced (evidence = primary, secondary or none)",
                    c.effective
                ),
            ),
            (Some("none"), None) => push(
                Severity::Warning,
                super::GROUPS_FILE,
                format!(
                    "the change `{fact}` is dated {}, a date no source gives: give its window instead (last_known_before, first_known_after)",
                    c.effective
                ),
            ),
            _ => {}
        }
    }
    findings.sort_by_key(|f| f.severity);
    findings
}

/// Where a review policy applies, for a message.
fn policy_scope(p: &super::Policy) -> String {
    let mut parts = Vec::new();
    if !p.destinations.is_empty() {
        parts.push(format!("destinations {}", places(&p.destinations)));
    }
    if !p.headquartered_in.is_empty() {
        parts.push(format!("headquartered in {}", places(&p.headquartered_in)));
    }
    if !p.test.all.is_empty() {
        let shown: Vec<String> = p.test.all.iter().map(|c| c.to_string()).collect();
        parts.push(shown.join(", "));
    }
    if parts.is_empty() {
        "everywhere else".to_string()
    } else {
        parts.join("; ")
    }
}

fn places(places: &[super::Place]) -> String {
    places
        .iter()
        .map(|p| match p {
            super::Place::Everywhere => "anywhere".to_string(),
            super::Place::Group(g) | super::Place::Country(g) => g.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why the conjunction of `all` can never hold (numeric interval empty, or a
/// boolean asked to be both), if it cannot.
fn unsatisfiable(test: &Test) -> Option<String> {
    for metric in Metric::ALL {
        let conds: Vec<&Condition> = test.all.iter().filter(|c| c.metric == metric).collect();
        if conds.len() < 2 {
            continue;
        }
        // Interval [lo, hi] with open/closed ends; equality pins both.
        let mut lo: Option<(Decimal, bool)> = None; // (value, inclusive)
        let mut hi: Option<(Decimal, bool)> = None;
        let mut bools: BTreeSet<bool> = BTreeSet::new();
        for c in &conds {
            match (c.op, c.literal) {
                (Op::Ge, Literal::Number(n)) => lo = tighter_lo(lo, (n, true)),
                (Op::Gt, Literal::Number(n)) => lo = tighter_lo(lo, (n, false)),
                (Op::Le, Literal::Number(n)) => hi = tighter_hi(hi, (n, true)),
                (Op::Lt, Literal::Number(n)) => hi = tighter_hi(hi, (n, false)),
                (Op::Eq, Literal::Number(n)) => {
                    lo = tighter_lo(lo, (n, true));
                    hi = tighter_hi(hi, (n, true));
                }
                (Op::Eq, Literal::Bool(b)) => {
                    bools.insert(b);
                }
                (Op::Ne, Literal::Bool(b)) => {
                    bools.insert(!b);
                }
                _ => {}
            }
        }
        if bools.len() > 1 {
            return Some(format!("`{metric}` must be both true and false"));
        }
        if let (Some((l, li)), Some((h, hi_inc))) = (lo, hi) {
            if l > h || (l == h && !(li && hi_inc)) {
                let shown: Vec<String> = conds.iter().map(|c| c.to_string()).collect();
                return Some(format!(
                    "{} leave no value of `{metric}`",
                    shown.join(" and ")
                ));
            }
        }
        if metric != Metric::Datacenter
            && metric != Metric::NonPlanar
            && metric != Metric::MemoryStack
        {
            if let Some((h, inc)) = hi {
                if h < Decimal::ZERO || (h == Decimal::ZERO && !inc) {
                    return Some(format!("`{metric}` is never negative"));
                }
            }
        }
    }
    None
}

fn tighter_lo(current: Option<(Decimal, bool)>, new: (Decimal, bool)) -> Option<(Decimal, bool)> {
    match current {
        None => Some(new),
        Some(c) if new.0 > c.0 || (new.0 == c.0 && !new.1) => Some(new),
        keep => keep,
    }
}

fn tighter_hi(current: Option<(Decimal, bool)>, new: (Decimal, bool)) -> Option<(Decimal, bool)> {
    match current {
        None => Some(new),
        Some(c) if new.0 < c.0 || (new.0 == c.0 && !new.1) => Some(new),
        keep => keep,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test(all: &[&str]) -> Test {
        Test {
            all: all.iter().map(|c| Condition::parse(c).unwrap()).collect(),
            any: vec![],
        }
    }

    #[test]
    fn finds_empty_intervals() {
        assert!(unsatisfiable(&test(&["tpp >= 2400", "tpp < 4800"])).is_none());
        assert!(unsatisfiable(&test(&["tpp >= 4800", "tpp < 4800"])).is_some());
        assert!(unsatisfiable(&test(&["tpp >= 4800", "tpp <= 4800"])).is_none());
        assert!(unsatisfiable(&test(&["tpp > 4800", "tpp <= 4800"])).is_some());
        assert!(unsatisfiable(&test(&["datacenter == true", "datacenter == false"])).is_some());
        assert!(
            unsatisfiable(&test(&["tpp < 0"])).is_none(),
            "single conditions are not checked for sign here"
        );
    }

    #[test]
    fn embedded_rules_are_clean() {
        let rules = RuleSet::embedded().unwrap();
        let errors: Vec<_> = check(&rules)
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
}
