//! How the parties to a shipment change a result: each party screened once
//! (see [`crate::screening`]), then its list (Entity List, MEU, DPL, UVL,
//! SDN, other) or its doubt (possible match, stale list, affiliates rule)
//! applied to every result of the shipment, with the reason, and recorded
//! under `parties`.

use crate::engine::Outcome;
use crate::rules::parties::{AffiliatesRule, RuleStatus};
use crate::screening::normalise::party_name;
use crate::screening::{
    ListProvenance, Match, OwnershipCheck, Party, PartyFinding, Screener, Screening, Status,
};
use crate::verdict::Verdict;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The screener and what settles the affiliates rule, for one run.
pub struct PartyCheck {
    /// Behind a lock: an audit screens rows on several threads, and the
    /// screener remembers the names it has screened.
    screener: Mutex<Screener>,
    /// Whether the screener holds any list: asked for every subject, which
    /// with no party given need not take the lock the threads share.
    has_lists: bool,
    /// `--ownership-checked`: every party's owners were checked.
    ownership_checked: bool,
    ownership_checks: Vec<OwnershipCheck>,
    affiliates: Option<AffiliatesRule>,
}

impl PartyCheck {
    pub fn new(
        screener: Screener,
        ownership_checked: bool,
        ownership_checks: Vec<OwnershipCheck>,
        rules: &crate::rules::RuleSet,
    ) -> PartyCheck {
        PartyCheck {
            has_lists: !screener.lists().is_empty(),
            screener: Mutex::new(screener),
            ownership_checked,
            ownership_checks,
            affiliates: rules.parties.as_ref().map(|p| p.affiliates_rule.clone()),
        }
    }

    /// The screener; a thread that panicked holding it left it whole (a
    /// screen only adds to its cache), so a poisoned lock is still used.
    fn screener(&self) -> MutexGuard<'_, Screener> {
        self.screener.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The lists' provenance, for reports.
    pub fn lists(&self) -> Vec<ListProvenance> {
        self.screener()
            .lists()
            .iter()
            .map(ListProvenance::of)
            .collect()
    }

    /// Screens the parties and applies what they are to every result.
    pub fn apply(&self, parties: &[Party], outcomes: &mut [Outcome]) {
        if parties.is_empty() {
            if !self.has_lists {
                return;
            }
            for o in outcomes.iter_mut().filter(|o| o.verdict != Verdict::Error) {
                o.assumptions.push("no party was given (--end-user, --consignee, --purchaser, or the catalogue's end_user, consignee, purchaser columns): none was screened against the party lists".into());
            }
            return;
        }
        let screened: Vec<(Party, Screening)> = parties
            .iter()
            .map(|p| {
                let s = if p.known {
                    self.screener().screen(&p.name, None)
                } else {
                    not_known(p)
                };
                (p.clone(), s)
            })
            .collect();
        for o in outcomes.iter_mut().filter(|o| o.verdict != Verdict::Error) {
            for (party, s) in &screened {
                let finding = self.apply_one(o, party, s);
                o.parties.push(finding);
            }
        }
    }

    fn apply_one(&self, o: &mut Outcome, party: &Party, s: &Screening) -> PartyFinding {
        let mut finding = PartyFinding {
            role: party.role,
            name: party.name.clone(),
            status: s.status,
            matches: s.live().map(crate::screening::PartyHit::of).collect(),
            requires_licence: false,
            effect: String::new(),
        };
        let who = format!("{} `{}`", party.role.words(), party.name);
        o.assumptions
            .extend(s.notes.iter().map(|n| format!("{who}: {n}")));
        // A match a person dismissed is still said: "not on the lists"
        // alone would be false as printed.
        let dismissed: Vec<String> = s
            .matches
            .iter()
            .filter_map(|m| {
                m.dismissed.as_ref().map(|d| {
                    format!(
                        "{} entry {} ({}): {d}",
                        m.list.code(),
                        m.entry_id,
                        m.listed_name
                    )
                })
            })
            .collect();
        o.assumptions.extend(
            dismissed.iter().map(|d| {
                format!("{who}: a match was dismissed by a screening decision on file: {d}")
            }),
        );
        finding.effect = match s.status {
            Status::Match => {
                let mut effects = Vec::new();
                for m in s.live().filter(|m| m.status == Status::Match) {
                    let (effect, requires) = listed(o, party, &who, m);
                    finding.requires_licence |= requires;
                    effects.push(effect);
                }
                effects.join("; ")
            }
            Status::PossibleMatch => possible(o, party, &who, s),
            Status::Indeterminate => undecided(
                o,
                &format!("{who} cannot be cleared: {}", s.notes.join("; ")),
                &format!("screening:{}", party.role.key()),
            ),
            Status::NoMatch if !dismissed.is_empty() => format!(
                "{} dismissed by a screening decision on file; {}",
                if dismissed.len() == 1 {
                    "a match"
                } else {
                    "matches"
                },
                self.cleared(o, party, &who).replacen(
                    "not on the lists",
                    "on no list otherwise",
                    1
                )
            ),
            Status::NoMatch => self.cleared(o, party, &who),
        };
        finding
    }

    /// A party on no list: cleared by name, unless the affiliates rule may
    /// reach it and nobody checked its owners.
    fn cleared(&self, o: &mut Outcome, party: &Party, who: &str) -> String {
        let Ok(date) = o.date.parse::<jiff::civil::Date>() else {
            return "not on the lists".into();
        };
        let (status, evidence, title) = match &self.affiliates {
            Some(rule) => {
                let (s, e) = rule.status_on(date);
                (
                    s,
                    e.to_string(),
                    format!("{} [{}]", rule.title, rule.citation),
                )
            }
            None => (
                RuleStatus::Unknown,
                "the rule set has no parties.toml".to_string(),
                "the Entity List affiliates rule".to_string(),
            ),
        };
        let (checked, stale) = match self.ownership_check(&party.name, date) {
            Ok(how) => (Some(how), None),
            Err(stale) => (None, stale),
        };
        let stale = stale.map(|s| format!("; {s}")).unwrap_or_default();
        match (status, checked) {
            (RuleStatus::NotInForce, _) => "not on the lists".into(),
            (_, Some(how)) => {
                o.assumptions.push(format!("{who}: its owners were checked against the lists ({how})"));
                "not on the lists; ownership checked".into()
            }
            (RuleStatus::Suspended, None) => {
                o.assumptions.push(format!(
                    "{who} is not on the lists; {title} is suspended on {date} ({evidence}); its owners were not checked{stale}, and dealings with affiliates of listed parties remain a red flag"
                ));
                "not on the lists; affiliates rule suspended, ownership not checked".into()
            }
            (_, None) => undecided(
                o,
                &format!(
                    "{who} is not on the lists, but it may be owned by listed parties, and {title} is {} on {date} ({evidence}){stale}; record that its owners were checked (--ownership-checked, or [[ownership_check]] in chipcheck.toml)",
                    status.words()
                ),
                &format!("ownership_check:{}", party.role.key()),
            ),
        }
    }

    /// How the party's owners were checked, or why a check on file for
    /// it does not count: one older than a party list may be (the owners
    /// were compared with lists of then; a 2019 check had cleared a party
    /// under the 2025 affiliates rule).
    fn ownership_check(
        &self,
        name: &str,
        date: jiff::civil::Date,
    ) -> Result<String, Option<String>> {
        if self.ownership_checked {
            return Ok("--ownership-checked".into());
        }
        let key = party_name(name).key;
        let max_age = self.screener().settings().max_age_days;
        let mut stale = None;
        for c in self
            .ownership_checks
            .iter()
            .filter(|c| c.on <= date && party_name(&c.party).key == key)
        {
            // An age that cannot be worked out is no fresh check.
            let age =
                c.on.until(date)
                    .map_or(i64::MAX, |span| i64::from(span.get_days()));
            if age <= max_age {
                return Ok(format!("by {} on {}: {}", c.by, c.on, c.note));
            }
            stale = Some(format!(
                "the ownership check on file (by {} on {}) is {age} days old, and a check older than {max_age} days, the age a party list may have, does not count",
                c.by, c.on
            ));
        }
        Err(stale)
    }
}

/// Does an entry's licence requirement reach every item subject to the EAR?
fn all_items(requirement: &str) -> bool {
    let r = requirement.to_lowercase();
    (r.contains("all items subject to the ear") || r.contains("any item subject to the ear"))
        && !r.contains("when used in")
        && !r.contains("supplement no. 2")
}

/// What a listed entry's text says, for reasons.
fn entry_text(m: &Match) -> String {
    let alias = m
        .alias_matched
        .as_deref()
        .map(|a| format!(" (as `{a}`)"))
        .unwrap_or_default();
    format!(
        "{}{alias}, entry {}, FR {}, listed from {}",
        m.listed_name,
        m.entry_id,
        if m.federal_register_notice.is_empty() {
            "-"
        } else {
            &m.federal_register_notice
        },
        m.start_date.as_deref().unwrap_or("(no start date)")
    )
}

/// A party that matched a listed entry; returns the effect and whether the
/// licence requirement comes from the party.
fn listed(o: &mut Outcome, party: &Party, who: &str, m: &Match) -> (String, bool) {
    let entry = entry_text(m);
    let later = m
        .start_date
        .as_deref()
        .and_then(|d| d.get(..10))
        .is_some_and(|d| d > o.date.as_str());
    if later {
        let why = format!("{who} matches {entry} on the {}, listed after the date evaluated; the list's start date can differ from the legal effective date: check the Federal Register notice", m.source);
        return (
            undecided(o, &why, &format!("listing_date:{}", party.role.key())),
            false,
        );
    }
    match m.list {
        crate::screening::ListKind::DeniedPersons => (prohibit(o, &format!(
            "prohibited: {who} is on the Denied Persons List as {entry}; any dealings that would violate its denial order are prohibited, and no licence may be assumed to cover this export"
        )), false),
        crate::screening::ListKind::Sdn => (prohibit(o, &format!(
            "prohibited: {who} is on OFAC's SDN list as {entry} (programs: {}); its property is blocked and U.S. persons may not deal with it, and no licence may be assumed to cover this export",
            if m.programs.is_empty() { "not given".to_string() } else { m.programs.join(", ") }
        )), false),
        crate::screening::ListKind::EntityList if all_items(&m.license_requirement) => (require(o, &format!(
            "licence required: {who} is on the Entity List as {entry}; licence requirement: {}; review policy: {}; no licence exception may be used [15 CFR 744.11]",
            m.license_requirement, m.license_policy
        )), true),
        crate::screening::ListKind::EntityList => (undecided(o, &format!(
            "{who} is on the Entity List as {entry}, with a licence requirement narrower than all items: `{}` (review policy: {}); whether it reaches this item is not encoded",
            m.license_requirement, m.license_policy
        ), &format!("entity_list_scope:{}", party.role.key())), true),
        crate::screening::ListKind::MilitaryEndUser => meu(o, party, who, m, &entry),
        crate::screening::ListKind::Unverified => (uvl(o, party, who, &entry), false),
        crate::screening::ListKind::Other => {
            let note = format!(
                "{who} is on the {} as {entry}: this list does not by itself require an EAR licence; review the dealing",
                m.source
            );
            o.reasons.push(note.clone());
            (note, false)
        }
    }
}

fn meu(o: &mut Outcome, party: &Party, who: &str, m: &Match, entry: &str) -> (String, bool) {
    let text = format!(
        "{who} is on the Military End User List as {entry}; licence requirement: {}; review policy: {}",
        m.license_requirement, m.license_policy
    );
    if o.verdict == Verdict::LicenseRequired {
        return (require(o, &format!("licence required: {text}")), true);
    }
    let why = format!("{text}; whether this item is listed in Supplement No. 2 to part 744 is not encoded in the rules");
    (
        undecided(o, &why, &format!("meu_scope:{}", party.role.key())),
        true,
    )
}

fn uvl(o: &mut Outcome, party: &Party, who: &str, entry: &str) -> String {
    let text = format!(
        "{who} is on the Unverified List as {entry}: no licence exception may be used, and a shipment that needs no licence needs a UVL statement from the party first [15 CFR 744.15]"
    );
    match o.verdict {
        Verdict::LicenseException => require(o, &format!("licence required: {text}")),
        Verdict::NoLicenseRequired => {
            undecided(o, &text, &format!("uvl_statement:{}", party.role.key()))
        }
        _ => {
            o.reasons.push(text.clone());
            text
        }
    }
}

fn possible(o: &mut Outcome, party: &Party, who: &str, s: &Screening) -> String {
    let near: Vec<String> = s
        .live()
        .take(3)
        .map(|m| {
            format!(
                "{} on the {} (score {:.2}: {}); if it is not the same party, record a [[screening_decision]] with query = \"{}\", entry = \"{}\", entry_fingerprint = \"{}\"",
                entry_text(m), m.list.code(), m.score, m.why, party.name, m.entry_id, m.entry_fingerprint
            )
        })
        .collect();
    undecided(
        o,
        &format!("{who} may be a listed party: {}", near.join("; ")),
        &format!("screening_decision:{}", party.role.key()),
    )
}

/// No export to this party under any licence or gate setting.
fn prohibit(o: &mut Outcome, why: &str) -> String {
    o.verdict = Verdict::Prohibited;
    o.exceptions.clear();
    o.reasons.push(why.to_string());
    why.to_string()
}

/// A licence is required whatever the item, and no exception may be used.
fn require(o: &mut Outcome, why: &str) -> String {
    o.reasons.push(why.to_string());
    if o.verdict == Verdict::Prohibited {
        return why.to_string();
    }
    if !o.exceptions.is_empty() {
        let ids: Vec<&str> = o.exceptions.iter().map(|e| e.id.as_str()).collect();
        o.reasons.push(format!(
            "License Exception {} not available: a listed party is a party to the transaction",
            ids.join(", ")
        ));
        o.exceptions.clear();
    }
    o.verdict = Verdict::LicenseRequired;
    why.to_string()
}

/// A party given only as not known (`TBD`): screened against nothing, and
/// so cleared by nothing.
fn not_known(party: &Party) -> Screening {
    Screening {
        query: party.name.clone(),
        country: None,
        status: Status::Indeterminate,
        matches: Vec::new(),
        more_matches: 0,
        notes: vec![format!(
            "`{}` says the {} is not known; give its name to screen it",
            party.name,
            party.role.words()
        )],
    }
}

/// The answer waits on what settles the party (`settle` names it).
fn undecided(o: &mut Outcome, why: &str, settle: &str) -> String {
    o.reasons.push(format!("indeterminate: {why}"));
    if matches!(
        o.verdict,
        Verdict::NoLicenseRequired | Verdict::LicenseException | Verdict::Indeterminate
    ) {
        if !o.exceptions.is_empty() {
            o.exceptions.clear();
            o.reasons
                .push("no licence exception is assumed while a party is unsettled".into());
        }
        o.verdict = Verdict::Indeterminate;
        if !o.settle_with.iter().any(|s| s == settle) {
            o.settle_with.push(settle.to_string());
        }
    }
    why.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirements_that_reach_every_item_are_recognised() {
        assert!(all_items(
            "For all items subject to the EAR.  (See §744.11 of the EAR)"
        ));
        assert!(all_items("For all items subject to the EAR, see §§ 736.2(b)(3)(vi), and 744.11 of the EAR, EXCEPT for technology"));
        assert!(!all_items(
            "For all items subject to the EAR when used in projects specified in §746.5"
        ));
        assert!(!all_items(
            "For any item subject to the EAR listed in supplement no. 2 to part 744."
        ));
        assert!(!all_items(""));
    }
}
