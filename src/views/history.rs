//! Change over time: the dates on which an answer changed (`timeline`), and
//! the answers that differ between two dates (`diff`).

use crate::country::Country;
use crate::engine::{evaluate_all, Outcome, Subject};
use crate::rules::RuleSet;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeSet;

/// Where a timeline starts by default: the day before the first rule or
/// letter in the rule set takes effect, so it opens on "no control". Taken
/// from the rules, not fixed here, so an earlier action added as data moves it.
pub fn history_start(rules: &RuleSet) -> Option<Date> {
    rules.first_in_force().and_then(|d| d.yesterday().ok())
}

/// Something dated in the rule set, with what it touches: the rule or
/// letter (by id), or the country codes whose groups change.
#[derive(Debug, Clone)]
struct Point {
    date: Date,
    text: String,
    rule: Option<String>,
    codes: Vec<String>,
}

impl Point {
    /// Could this event have changed an answer that went from `before` to
    /// `after`? A rule or letter must be in either answer's basis; a
    /// country-group change must touch the destination or the end user's
    /// country (with no destination, a country whose place in the lists
    /// changed).
    fn moved(&self, before: &Outcome, after: &Outcome) -> bool {
        if let Some(id) = &self.rule {
            return before.basis.contains(id) || after.basis.contains(id);
        }
        let asked = |o: &Outcome| {
            let mut codes: Vec<String> = Vec::new();
            codes.extend(o.destination.clone());
            codes.extend(o.evaluated_as.clone());
            codes.extend(o.end_user_hq.clone());
            codes
        };
        let mut codes = asked(before);
        codes.extend(asked(after));
        if before.destination.is_none() {
            let listed = |o: &Outcome| {
                let mut all: Vec<String> = o.license_destinations.clone().unwrap_or_default();
                all.extend(o.indeterminate_destinations.clone().unwrap_or_default());
                all
            };
            let (b, a) = (listed(before), listed(after));
            codes.extend(b.iter().filter(|c| !a.contains(c)).cloned());
            codes.extend(a.iter().filter(|c| !b.contains(c)).cloned());
        }
        self.codes.iter().any(|c| codes.contains(c))
    }
}

fn points(rules: &RuleSet) -> Vec<Point> {
    let mut points = Vec::new();
    let mut push = |date: Date, text: String, rule: Option<String>, codes: Vec<String>| {
        points.push(Point {
            date,
            text,
            rule,
            codes,
        })
    };
    for v in rules.versions() {
        let kind = match v.kind {
            crate::rules::RuleKind::Regulation => "rule",
            crate::rules::RuleKind::Letter => "letter",
        };
        let id = Some(v.id.clone());
        if let Some(start) = v.in_force_known_before.and_then(|b| b.tomorrow().ok()) {
            push(
                start,
                format!(
                    "{kind} {} may have applied from here; no source gives the day it took effect ({})",
                    v.id, v.citation
                ),
                id.clone(),
                Vec::new(),
            );
        }
        push(
            v.in_force,
            format!("{kind} {} comes into force ({})", v.id, v.citation),
            id.clone(),
            Vec::new(),
        );
        if let Some(u) = v.until {
            push(u, format!("{kind} {} ends", v.id), id.clone(), Vec::new());
        }
        if let Some(n) = v.not_enforced_from {
            let why = v.not_enforced_citation.clone().unwrap_or_default();
            push(
                n,
                format!("{kind} {} is no longer enforced ({why})", v.id),
                id.clone(),
                Vec::new(),
            );
        }
    }
    for c in &rules.groups.changes {
        let mut what = Vec::new();
        if !c.add.is_empty() {
            what.push(format!("{} join {}", c.add.join(", "), c.group));
        }
        if !c.remove.is_empty() {
            what.push(format!("{} leave {}", c.remove.join(", "), c.group));
        }
        let codes: Vec<String> = c.add.iter().chain(&c.remove).cloned().collect();
        match c.known_before.and_then(|b| b.tomorrow().ok()) {
            Some(start) => {
                push(
                    start,
                    format!(
                        "{} may have happened from here; no source dates it ({})",
                        c.describe(),
                        c.citation
                    ),
                    None,
                    codes.clone(),
                );
                push(
                    c.effective,
                    format!(
                        "{} is known to have happened by this date ({})",
                        c.describe(),
                        c.citation
                    ),
                    None,
                    codes,
                );
            }
            None => push(
                c.effective,
                format!("{} ({})", what.join("; "), c.citation),
                None,
                codes,
            ),
        }
    }
    for t in &rules.groups.treated_as {
        push(
            t.since,
            format!("{} is treated as {} ({})", t.code, t.treated_as, t.citation),
            None,
            vec![t.code.clone(), t.treated_as.clone()],
        );
    }
    points.sort_by(|a, b| a.date.cmp(&b.date).then(a.text.cmp(&b.text)));
    points
}

/// Every date on which something in the rule set takes or leaves effect,
/// with what it is.
pub fn change_points(rules: &RuleSet) -> Vec<(Date, String)> {
    points(rules)
        .into_iter()
        .map(|p| (p.date, p.text))
        .collect()
}

/// The part of an answer whose change is worth a line: the verdict, the
/// review policy, the exceptions that authorise it and (with no
/// destination) where a licence is needed. A new paragraph id for the same
/// answer (a.1 becoming a.1 and a.2) is not a change people act on.
fn signature(
    o: &Outcome,
) -> (
    String,
    Option<&'static str>,
    Vec<String>,
    Option<Vec<String>>,
) {
    (
        o.verdict.name().to_string(),
        o.review_policy.map(|p| p.name()),
        o.exceptions.iter().map(|e| e.id.clone()).collect(),
        o.license_destinations.clone(),
    )
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    pub date: String,
    pub verdict: crate::Verdict,
    pub review_policy: Option<crate::rules::ReviewPolicy>,
    pub paragraphs: Vec<String>,
    pub exceptions: Vec<String>,
    pub basis: Vec<String>,
    /// What took effect on this date.
    pub changes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license_destinations: Option<Vec<String>>,
}

/// Every date in `[from, until]` on which the answer for `subject` changed.
/// The first entry is the answer on `from`.
pub fn timeline(
    rules: &RuleSet,
    subject: &Subject,
    destination: Option<&'static Country>,
    hq: Option<&'static Country>,
    from: Date,
    until: Date,
) -> Vec<TimelineEntry> {
    let points = points(rules);
    let mut dates: BTreeSet<Date> = points
        .iter()
        .map(|p| p.date)
        .filter(|d| *d > from && *d <= until)
        .collect();
    dates.insert(from);
    let dests: Vec<&'static Country> = destination.into_iter().collect();
    let mut out: Vec<TimelineEntry> = Vec::new();
    let mut last: Option<Outcome> = None;
    for d in dates {
        let o = evaluate_all(rules, subject, d, &dests, hq).remove(0);
        let sig = signature(&o);
        if last.as_ref().map(signature) == Some(sig) {
            continue;
        }
        let changes = match &last {
            None => vec!["the answer on the first date".to_string()],
            Some(before) => {
                // Only the events of this date that moved this answer (an
                // NVIDIA letter ending is no cause for an AMD chip).
                let today: Vec<&Point> = points.iter().filter(|p| p.date == d).collect();
                let moved: Vec<String> = today
                    .iter()
                    .filter(|p| p.moved(before, &o))
                    .map(|p| p.text.clone())
                    .collect();
                if moved.is_empty() {
                    today.iter().map(|p| p.text.clone()).collect()
                } else {
                    moved
                }
            }
        };
        out.push(TimelineEntry {
            date: d.to_string(),
            verdict: o.verdict,
            review_policy: o.review_policy,
            paragraphs: o.paragraphs.clone(),
            exceptions: o.exceptions.iter().map(|e| e.id.clone()).collect(),
            basis: o.basis.clone(),
            changes,
            license_destinations: o.license_destinations.clone(),
        });
        last = Some(o);
    }
    out
}

#[derive(Debug, Clone, Serialize)]
pub struct DiffEntry {
    pub chip: String,
    pub input: String,
    pub destination: Option<String>,
    pub from: Outcome,
    pub until: Outcome,
    /// The dated changes between the two dates that moved this answer.
    pub why: Vec<String>,
}

/// The answer on `until` for every subject and destination whose answer on
/// `from` was different.
pub fn diff(
    rules: &RuleSet,
    subject: &Subject,
    destinations: &[&'static Country],
    hq: Option<&'static Country>,
    from: Date,
    until: Date,
) -> Vec<DiffEntry> {
    let before = evaluate_all(rules, subject, from, destinations, hq);
    let after = evaluate_all(rules, subject, until, destinations, hq);
    let mut out = Vec::new();
    for (b, a) in before.into_iter().zip(after) {
        if signature(&b) == signature(&a) {
            continue;
        }
        let dest = destinations
            .iter()
            .find(|d| Some(d.code.to_string()) == b.destination)
            .copied();
        let steps = timeline(rules, subject, dest, hq, from, until);
        let why = steps
            .iter()
            .skip(1)
            .flat_map(|s| s.changes.iter().map(move |c| format!("{}: {c}", s.date)))
            .collect();
        out.push(DiffEntry {
            chip: b.chip.clone(),
            input: b.input.clone(),
            destination: b.destination.clone(),
            from: b,
            until: a,
            why,
        });
    }
    out
}

/// [`diff`] over a catalogue: every row is evaluated at both dates in one
/// read, and only the results whose answer changed are kept, with their
/// line. Returns the changes and the number of results compared.
/// What a catalogue's diff found: the rows whose answer changed, the
/// results compared, and the rows that could not be read (line, why).
pub struct CatalogueDiff {
    pub changed: Vec<DiffEntry>,
    pub compared: usize,
    pub unreadable: Vec<(u64, String)>,
}

pub fn diff_catalogue(
    request: &crate::catalogue::Request<'_>,
    input: impl std::io::Read + 'static,
    until: Date,
) -> Result<CatalogueDiff, crate::report::Error> {
    let from = request.date;
    let points: Vec<Point> = points(request.rules)
        .into_iter()
        .filter(|p| p.date > from && p.date <= until)
        .collect();
    let mut out = Vec::new();
    let same = |b: &Outcome, a: &Outcome| signature(b) == signature(a);
    let mut steps: Vec<Date> = points.iter().map(|p| p.date).collect();
    steps.dedup();
    let mut changed = |line: u64, mut b: Outcome, mut a: Outcome, at: Vec<(Date, Outcome)>| {
        b.input = request.name.to_string();
        a.input = request.name.to_string();
        // The dates on which the row's answer moved, and what moved it
        // then: the rules in force at either end alone had named a rule
        // that changed nothing for the row, and missed the one that did.
        let mut why = Vec::new();
        let mut last = &b;
        for (date, o) in &at {
            if signature(last) != signature(o) {
                let today: Vec<&Point> = points.iter().filter(|p| p.date == *date).collect();
                let moved: Vec<&&Point> = today.iter().filter(|p| p.moved(last, o)).collect();
                if moved.is_empty() {
                    why.extend(today.iter().map(|p| format!("{}: {}", p.date, p.text)));
                } else {
                    why.extend(moved.iter().map(|p| format!("{}: {}", p.date, p.text)));
                }
            }
            last = o;
        }
        out.push(DiffEntry {
            chip: format!("{} (line {line})", b.chip),
            input: b.input.clone(),
            destination: b.destination.clone(),
            from: b,
            until: a,
            why,
        });
    };
    let (compared, unreadable) =
        crate::catalogue::diff(request, until, &steps, input, &same, &mut changed)?;
    Ok(CatalogueDiff {
        changed: out,
        compared: usize::try_from(compared).unwrap_or(usize::MAX),
        unreadable,
    })
}
