//! The rule engine: one spec, one rule set, one date and destination in;
//! one explained [`Outcome`] out.
//!
//! Everything is evaluated in three-valued logic. A paragraph is met, not
//! met, or undecided for want of a figure; a licence requirement follows
//! only from a met paragraph, and an undecided paragraph only matters when
//! no met paragraph already answers the question.

use crate::condition::{Condition, Tested};
use crate::country::{self, Country};
use crate::metrics::{Metric, Metrics};
use crate::number::{grouped, rounded, to_f64};
use crate::rules::{
    covers, CountryGroups, Exception, Place, ReviewPolicy, RuleKind, RuleSet, RuleVersion, Test,
};
use crate::spec::ChipSpec;
use crate::truth::Truth;
use crate::verdict::Verdict;
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::collections::BTreeSet;

/// Adds a reason to an outcome, formatted only when the outcome is
/// explained: verdict-only evaluation (for reports that print no reasons)
/// decides exactly the same way and writes no sentences.
macro_rules! say {
    ($outcome:expr, $($sentence:tt)*) => {
        if $outcome.explained {
            $outcome.reasons.push(sentence(format_args!($($sentence)*)));
        }
    };
}

/// Bytes a sentence's buffer starts with. `format!` starts one whose text
/// begins with an argument at zero bytes and grows it four or five times;
/// half the reasons are shorter than this, and most the size of one growth.
const SENTENCE_BYTES: usize = 128;

/// A sentence formatted into a buffer sized for one (see [`SENTENCE_BYTES`]).
fn sentence(args: std::fmt::Arguments<'_>) -> String {
    let mut text = String::with_capacity(SENTENCE_BYTES);
    if std::fmt::Write::write_fmt(&mut text, args).is_err() {
        // Only a `Display` impl can fail here: never keep the part of the
        // sentence written before it, but fail as `format!` does.
        return std::fmt::format(args);
    }
    text
}

/// What is asked: on which date, to where, for whom.
#[derive(Clone, Copy, Debug)]
pub struct Query {
    pub date: Date,
    pub destination: Option<&'static Country>,
    /// Where the end user (or its ultimate parent) is headquartered.
    pub end_user_hq: Option<&'static Country>,
}

/// A chip to classify: a spec, and for a system the resolved specs of what
/// it contains.
#[derive(Debug)]
pub struct Subject<'a> {
    pub spec: &'a ChipSpec,
    /// Where the spec came from (`h100.toml`, `library`), for reports.
    pub input: String,
    pub contained: Vec<(u32, ChipSpec)>,
    /// The spec's own figures, worked out once: every paragraph, letter
    /// and reading asks for them.
    own: std::cell::OnceCell<Metrics>,
}

/// A copy works its figures out again: its `spec` may then be replaced.
impl Clone for Subject<'_> {
    fn clone(&self) -> Self {
        Subject::new(self.spec, self.input.clone(), self.contained.clone())
    }
}

impl<'a> Subject<'a> {
    pub fn chip(spec: &'a ChipSpec, input: impl Into<String>) -> Self {
        Subject::new(spec, input, Vec::new())
    }

    /// A chip or, with `contained`, a system of the chips it holds.
    pub fn new(
        spec: &'a ChipSpec,
        input: impl Into<String>,
        contained: Vec<(u32, ChipSpec)>,
    ) -> Self {
        Subject {
            spec,
            input: input.into(),
            contained,
            own: std::cell::OnceCell::new(),
        }
    }

    /// The spec's own figures (for a system, the system's, not its chips').
    fn own_metrics(&self) -> &Metrics {
        self.own.get_or_init(|| Metrics::of(self.spec))
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExceptionUse {
    pub id: String,
    pub title: String,
    pub notification_required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notification_days: Option<u32>,
    pub citation: String,
}

/// One result: a chip, a destination, a date. It also reads back from
/// chipcheck's own JSON, so reports can be rendered from a saved run.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Outcome {
    /// The catalogue line a result comes from (audits only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    pub chip: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    pub input: String,
    pub destination: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_name: Option<String>,
    /// The code the destination is evaluated as, when not itself (HK -> CN).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluated_as: Option<String>,
    pub country_groups: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_user_hq: Option<String>,
    pub date: String,
    pub rule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_citation: Option<String>,
    #[serde(serialize_with = "decimal_number", deserialize_with = "number_decimal")]
    pub tpp: Option<Decimal>,
    /// `tpp` is a floor: a precision's figure is not given or not known,
    /// and it may give more (see `Metrics::tpp_at_least`); so then is
    /// `performance_density`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub tpp_at_least: bool,
    #[serde(serialize_with = "decimal_number", deserialize_with = "number_decimal")]
    pub performance_density: Option<Decimal>,
    pub paragraphs: Vec<String>,
    pub verdict: Verdict,
    pub review_policy: Option<ReviewPolicy>,
    pub exceptions: Vec<ExceptionUse>,
    pub reasons: Vec<String>,
    /// Spec fields that would settle an `indeterminate` answer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub settle_with: Vec<String>,
    /// The answer (verdict or review policy) would differ if TF32 were
    /// counted as 19 bits instead of 32; the reasons give both TPP figures.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub tf32_reading_matters: bool,
    /// Facts no source dates that this answer turns on (each with its
    /// window), when it turns on one: nothing in the spec settles them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uncertain_facts: Vec<String>,
    /// What was assumed because it was not asked (e.g. no headquarters given).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assumptions: Vec<String>,
    /// Every rule or letter the answer rests on.
    pub basis: Vec<String>,
    /// With no destination: every destination that needs a licence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license_destinations: Option<Vec<String>>,
    /// With no destination: destinations whose answer is undecided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indeterminate_destinations: Option<Vec<String>>,
    /// The parties screened, what each matched and what it did.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<crate::screening::PartyFinding>,
    /// Whether `reasons` are written: false for verdict-only evaluation,
    /// whose reports print no reasons (never part of a report).
    #[serde(skip, default = "explained")]
    pub explained: bool,
}

fn explained() -> bool {
    true
}

impl Outcome {
    /// An answer with nothing worked out but `verdict`: the chip (name,
    /// vendor, where it came from), the date and the headquarters asked.
    pub fn empty(
        verdict: Verdict,
        (chip, vendor, input): (String, Option<String>, String),
        date: Date,
        hq: Option<&'static Country>,
    ) -> Outcome {
        Outcome {
            line: None,
            chip,
            vendor,
            input,
            destination: None,
            destination_name: None,
            evaluated_as: None,
            country_groups: Vec::new(),
            end_user_hq: hq.map(|c| c.code.to_string()),
            date: date.to_string(),
            rule: None,
            rule_citation: None,
            tpp: None,
            tpp_at_least: false,
            performance_density: None,
            paragraphs: Vec::new(),
            verdict,
            review_policy: None,
            exceptions: Vec::new(),
            reasons: Vec::new(),
            settle_with: Vec::new(),
            tf32_reading_matters: false,
            uncertain_facts: Vec::new(),
            assumptions: Vec::new(),
            basis: Vec::new(),
            license_destinations: None,
            indeterminate_destinations: None,
            parties: Vec::new(),
            explained: true,
        }
    }
}

/// Reads back what [`decimal_number`] wrote (for display, not comparison).
fn number_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    let value: Option<f64> = Option::deserialize(d)?;
    Ok(value.and_then(|v| crate::number::decimal_from_f64(v).ok()))
}

fn decimal_number<S: Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(d) => s.serialize_f64(to_f64(*d)),
        None => s.serialize_none(),
    }
}

/// A paragraph's state for one chip.
#[derive(Clone, Debug)]
pub struct ParagraphState<'r> {
    /// Borrowed from the rule (a system's paragraphs are made up).
    pub id: Cow<'r, str>,
    pub summary: Cow<'r, str>,
    pub citation: Cow<'r, str>,
    pub truth: Truth,
    pub why: Why<'r>,
    pub unknown: BTreeSet<Metric>,
    /// Spec fields other than figures that would settle it (`name`, `vendor`).
    pub settle: BTreeSet<String>,
}

/// Why a paragraph stands as it does: the conditions tested, explained
/// only when the sentence is written (most paragraphs' never are), or a
/// sentence given outright; then whatever later steps add to it.
#[derive(Clone, Debug)]
pub struct Why<'r> {
    tested: Vec<Tested<'r>>,
    truth: Truth,
    /// A sentence in place of the conditions' explanation.
    text: Option<String>,
    /// Added by exclusions and `unless`, in order.
    added: Vec<String>,
}

impl<'r> Why<'r> {
    fn tested(truth: Truth, tested: Vec<Tested<'r>>) -> Self {
        Why {
            tested,
            truth,
            text: None,
            added: Vec::new(),
        }
    }

    fn text(text: String) -> Self {
        Why {
            tested: Vec::new(),
            truth: Truth::Unknown,
            text: Some(text),
            added: Vec::new(),
        }
    }

    fn add(&mut self, more: String) {
        self.added.push(more);
    }

    /// Whether the sentence would be empty (nothing tested, nothing said).
    fn is_empty(&self) -> bool {
        let base_empty = match &self.text {
            Some(t) => t.is_empty(),
            None => self.tested.is_empty(),
        };
        base_empty && self.added.iter().all(String::is_empty)
    }
}

impl std::fmt::Display for Why<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.text {
            Some(t) => f.write_str(t)?,
            None => f.write_str(&explain(self.truth, &self.tested))?,
        }
        self.added.iter().try_for_each(|a| f.write_str(a))
    }
}

/// Evaluates a test: all of `all`, and one of `any` when given.
fn eval_test<'c>(test: &'c Test, metrics: &Metrics) -> (Truth, Vec<Tested<'c>>) {
    eval_conditions((&test.all, &test.any), metrics)
}

/// Evaluates all of `all`, and one of `any` when given.
fn eval_conditions<'c>(
    (all_of, any_of): (&'c [Condition], &'c [Condition]),
    metrics: &Metrics,
) -> (Truth, Vec<Tested<'c>>) {
    let mut tested = Vec::with_capacity(all_of.len().saturating_add(any_of.len()));
    let mut all = Truth::True;
    for c in all_of {
        let t = c.test(metrics);
        all = all.and(t.truth);
        tested.push(t);
    }
    let any = if any_of.is_empty() {
        Truth::True
    } else {
        let mut any = Truth::False;
        for c in any_of {
            let t = c.test(metrics);
            any = any.or(t.truth);
            tested.push(t);
        }
        any
    };
    (all.and(any), tested)
}

/// The explanation of a test's outcome: for a pass the conditions that
/// held; otherwise those that failed (or could not be decided).
fn explain(truth: Truth, tested: &[Tested]) -> String {
    let any_picked = tested.iter().any(|t| t.truth == truth);
    let mut text = String::with_capacity(SENTENCE_BYTES);
    for (i, t) in tested
        .iter()
        .filter(|t| !any_picked || t.truth == truth)
        .enumerate()
    {
        if i > 0 {
            text.push_str("; ");
        }
        t.push_explanation(&mut text);
    }
    text
}

/// The classification of one chip under one rule version: every
/// paragraph's state, with exclusions (Note 2) applied.
pub fn classify_chip<'r>(
    rule: &'r RuleVersion,
    metrics: &Metrics,
) -> (Vec<ParagraphState<'r>>, Vec<String>) {
    let mut states: Vec<ParagraphState> = Vec::new();
    for p in &rule.paragraphs {
        let (truth, tested) = eval_test(&p.test, metrics);
        let unknown = tested.iter().filter_map(|t| t.unknown).collect();
        states.push(ParagraphState {
            id: Cow::Borrowed(&p.id),
            summary: Cow::Borrowed(&p.summary),
            citation: Cow::Borrowed(&p.citation),
            truth,
            why: Why::tested(truth, tested),
            unknown,
            settle: BTreeSet::new(),
        });
    }
    // Exclusions (Note 2) first: a paragraph they remove is not met, so it
    // cannot then displace another through `unless`.
    let mut notes = Vec::new();
    for e in &rule.exclusions {
        let (truth, tested) = eval_test(&e.test, metrics);
        let affected: Vec<&mut ParagraphState> = states
            .iter_mut()
            .filter(|s| s.truth != Truth::False && e.paragraphs.iter().any(|p| covers(p, &s.id)))
            .collect();
        if affected.is_empty() || truth == Truth::False {
            continue;
        }
        let unknown: Vec<Metric> = tested.iter().filter_map(|t| t.unknown).collect();
        let why = explain(truth, &tested);
        for s in affected {
            s.truth = s.truth.and(truth.not());
            s.unknown.extend(unknown.iter().copied());
            match truth {
                Truth::True => s.why = Why::text(format!("removed by {}", e.id)),
                _ => s.why.add(format!("; unless {} applies ({why})", e.id)),
            }
        }
        notes.push(match truth {
            Truth::True => format!("{} applies ({}): {why} [{}]", e.id, e.summary, e.citation),
            _ => format!("{} may apply ({}): {why} [{}]", e.id, e.summary, e.citation),
        });
    }
    // `unless`: a paragraph gives way to the ones it names (rule loading
    // guarantees they come earlier in the file).
    for (i, p) in rule.paragraphs.iter().enumerate() {
        for u in &p.unless {
            let other = Truth::any(
                states
                    .iter()
                    .take(i)
                    .filter(|s| covers(u, &s.id))
                    .map(|s| s.truth),
            );
            if let Some(s) = states.get_mut(i) {
                if s.truth != Truth::False && other != Truth::False {
                    s.why.add(format!(
                        "; {} when {u} is met",
                        if other == Truth::True {
                            "given way"
                        } else {
                            "gives way"
                        }
                    ));
                }
                s.truth = s.truth.and(other.not());
            }
        }
    }
    (states, notes)
}

fn show_places(places: &[Place]) -> String {
    places
        .iter()
        .map(|p| match p {
            Place::Everywhere => "anywhere".to_string(),
            Place::Group(g) => g.clone(),
            Place::Country(c) => c.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Paragraph states for a subject: its own, or for a system those of the
/// chips it contains mapped to the system paragraphs (3A090.a -> 4A090.a).
fn subject_states<'r>(
    rule: &'r RuleVersion,
    subject: &Subject,
    reasons: &mut Vec<String>,
) -> Vec<ParagraphState<'r>> {
    if subject.contained.is_empty() {
        let (states, notes) = classify_chip(rule, subject.own_metrics());
        reasons.extend(notes);
        return states;
    }
    let Some(systems) = &rule.systems else {
        reasons.push(format!(
            "{} has no provision for systems; the contained chips are judged as chips",
            rule.id
        ));
        let mut out: Vec<ParagraphState> = Vec::new();
        for (_, chip) in &subject.contained {
            let (states, notes) =
                classify_chip(rule, &contained_metrics(subject.spec, chip, reasons));
            reasons.extend(notes);
            out.extend(states);
        }
        return out;
    };
    let mut out: Vec<ParagraphState> = Vec::new();
    for (from, to) in &systems.paragraph_map {
        out.push(ParagraphState {
            id: Cow::Borrowed(to),
            summary: Cow::Owned(format!("contains an IC meeting {from}")),
            citation: Cow::Borrowed(&systems.citation),
            truth: Truth::False,
            why: Why::text(String::new()),
            unknown: BTreeSet::new(),
            settle: BTreeSet::new(),
        });
    }
    for (count, chip) in &subject.contained {
        let metrics = contained_metrics(subject.spec, chip, reasons);
        let (states, notes) = classify_chip(rule, &metrics);
        reasons.extend(notes.into_iter().map(|n| format!("{}: {n}", chip.name)));
        for s in states {
            for (i, (from, _)) in systems.paragraph_map.iter().enumerate() {
                if covers(from, &s.id) && s.truth != Truth::False {
                    let target = &mut out[i];
                    let before = target.truth;
                    target.truth = target.truth.or(s.truth);
                    if target.truth != before || target.why.is_empty() {
                        target.why = Why::text(if s.truth == Truth::Unknown {
                            format!("{count} x {} may meet {}: {}", chip.name, s.id, s.why)
                        } else {
                            format!(
                                "{count} x {} meets {} ({}): {}",
                                chip.name, s.id, s.summary, s.why
                            )
                        });
                    }
                    target.unknown.extend(s.unknown.iter().copied());
                    target.settle.extend(s.settle.iter().cloned());
                }
            }
        }
    }
    out
}

/// A contained chip's figures as the system is marketed (see
/// `spec::marketed_within`; an 8-GPU server of consumer cards had been
/// cleared under Note 2 to 3A090), with the reason when that changed them.
fn contained_metrics(system: &ChipSpec, chip: &ChipSpec, reasons: &mut Vec<String>) -> Metrics {
    let mut seen = chip.clone();
    crate::spec::marketed_within(system, &mut seen);
    reasons.extend(seen.datacenter_from.clone());
    Metrics::of(&seen)
}

/// The metrics that exception and policy conditions test. For a system,
/// the most capable contained chip speaks for it (its TPP and bandwidth),
/// and the system's own `datacenter` flag wins over the chips'.
fn subject_metrics<'s>(subject: &'s Subject) -> Cow<'s, Metrics> {
    let own = subject.own_metrics();
    if subject.contained.is_empty() {
        return Cow::Borrowed(own);
    }
    let mut best: Option<Metrics> = None;
    for (_, chip) in &subject.contained {
        let m = Metrics::of(chip);
        let better = match &best {
            None => true,
            Some(b) => match (m.tpp, b.tpp) {
                (Some(x), Some(y)) => x > y,
                (None, _) => false,
                (Some(_), None) => true,
            },
        };
        if better {
            best = Some(m);
        }
    }
    let mut m = best.unwrap_or_default();
    if own.datacenter.is_some() {
        m.datacenter = own.datacenter;
    }
    if own.us_commercially_available.is_some() {
        m.us_commercially_available = own.us_commercially_available;
    }
    Cow::Owned(m)
}

/// Evaluates one subject for one destination (or none) on one date.
pub fn evaluate(rules: &RuleSet, subject: &Subject, query: &Query) -> Outcome {
    let asked = Asked {
        date: query.date,
        hq: query.end_user_hq,
        destinations: &[query.destination],
        explain: true,
        standings: None,
    };
    evaluate_many(rules, subject, &asked)
        .pop()
        .unwrap_or_else(|| unreachable_outcome(subject, query))
}

/// What is asked of one subject: one date and headquarters, and one answer
/// per destination (`None`: every destination, summarised).
#[derive(Clone, Copy, Debug)]
pub struct Asked<'a> {
    pub date: Date,
    pub hq: Option<&'static Country>,
    pub destinations: &'a [Option<&'static Country>],
    /// Write the reasons (false: verdict-only, for reports that print none).
    pub explain: bool,
    /// Where each destination stands, worked out once for a run that asks
    /// the same of many subjects (`None`: worked out for this subject).
    pub standings: Option<&'a Standings<'a>>,
}

impl Asked<'_> {
    fn query(&self, destination: Option<&'static Country>) -> Query {
        Query {
            date: self.date,
            destination,
            end_user_hq: self.hq,
        }
    }
}

/// Never returned: `evaluate_many` gives one outcome per destination asked.
fn unreachable_outcome(subject: &Subject, query: &Query) -> Outcome {
    let mut o = Prepared::blank(
        subject,
        &Metrics::default(),
        (query.date, query.end_user_hq, true),
    );
    o.verdict = Verdict::Error;
    o.reasons
        .push("internal error: no outcome was produced".into());
    o
}

/// Evaluates one subject for every destination asked, on one date: what is
/// the same for every destination (metrics, paragraph states, letters, the
/// alternative readings) is worked out once, and only the decision is made
/// per destination.
///
/// TF32 counts as 32 bits (see precision.rs). Where the other published
/// reading (19 bits) would change the verdict or the review policy, the
/// outcome says so: `tf32_reading_matters` and a reason with both TPPs.
pub fn evaluate_many(rules: &RuleSet, subject: &Subject, asked: &Asked) -> Vec<Outcome> {
    // The alternative readings below ask again: one working-out of where
    // each destination stands serves them all.
    let local;
    let asked = &match asked.standings {
        Some(_) => *asked,
        None => {
            local = Standings::new(rules, asked);
            Asked {
                standings: Some(&local),
                ..*asked
            }
        }
    };
    let mut outcomes = evaluate_letters(rules, subject, asked);
    planar_assumption(rules, subject, asked, &mut outcomes);
    below_the_named_product(rules, subject, asked, &mut outcomes);
    let alt_spec = subject.spec.with_tf32_at_19_bits();
    let alt_contained: Vec<(u32, ChipSpec)> = subject
        .contained
        .iter()
        .map(|(n, c)| (*n, c.with_tf32_at_19_bits().unwrap_or_else(|| c.clone())))
        .collect();
    let contained_changed = subject
        .contained
        .iter()
        .any(|(_, c)| c.with_tf32_at_19_bits().is_some());
    if alt_spec.is_none() && !contained_changed {
        return outcomes;
    }
    let alt_spec = alt_spec.unwrap_or_else(|| subject.spec.clone());
    let alt_subject = Subject::new(&alt_spec, subject.input.clone(), alt_contained);
    let tpp_32 = subject_metrics(subject).tpp;
    let tpp_19 = subject_metrics(&alt_subject).tpp;
    if tpp_32 == tpp_19 {
        return outcomes;
    }
    let alts = evaluate_letters(rules, &alt_subject, asked);
    let tpp = |t: Option<Decimal>| t.map(grouped).unwrap_or_else(|| "unknown".into());
    for (outcome, alt) in outcomes.iter_mut().zip(&alts) {
        if alt.verdict == outcome.verdict && alt.review_policy == outcome.review_policy {
            continue;
        }
        outcome.tf32_reading_matters = true;
        let reason = format!(
            "TF32 reading decides this answer: chipcheck counts TF32 as 32 bits (the reading that never understates TPP), giving TPP {} and {}; counted as 19 bits (another published reading) TPP would be {} and the answer {}",
            tpp(tpp_32),
            verdict_and_policy(outcome),
            tpp(tpp_19),
            verdict_and_policy(alt)
        );
        if outcome.explained {
            outcome.reasons.push(reason);
        }
    }
    outcomes
}

/// A verdict with its review policy, as a reason quotes an answer.
fn verdict_and_policy(o: &Outcome) -> String {
    format!(
        "{}{}",
        o.verdict.name(),
        o.review_policy
            .map(|p| format!(" ({})", p.name()))
            .unwrap_or_default()
    )
}

/// The answer with the letters whose start no source dates worked out both
/// ways when `query.date` is inside a window: the same either way stands
/// (said where the letter reaches the chip); otherwise `indeterminate` (or
/// the review policy `unknown`) with a reason naming the letter and window.
fn evaluate_letters(rules: &RuleSet, subject: &Subject, asked: &Asked) -> Vec<Outcome> {
    // A letter that does not reach the subject changes no answer: only the
    // ones that do are worked out both ways.
    let maybe: Vec<&RuleVersion> = rules
        .letters_maybe_on(asked.date)
        .into_iter()
        .filter(|letter| letter_states(letter, subject, false).is_some())
        .collect();
    let without = evaluate_read(rules, subject, asked, &[]);
    if maybe.is_empty() {
        return without;
    }
    let with = evaluate_read(rules, subject, asked, &maybe);
    without
        .into_iter()
        .zip(with)
        .map(|(without, with)| letters_either_way(&maybe, asked.date, without, with))
        .collect()
}

/// One destination's answer without and with the letters no source dates.
fn letters_either_way(
    maybe: &[&RuleVersion],
    date: Date,
    mut without: Outcome,
    with: Outcome,
) -> Outcome {
    let reaching: Vec<&&RuleVersion> = maybe
        .iter()
        .filter(|l| with.basis.contains(&l.id))
        .collect();
    if reaching.is_empty() {
        return without;
    }
    let facts: Vec<String> = reaching
        .iter()
        .map(|l| {
            format!(
                "whether letter {} applied ({}; no source gives the day it took effect: not yet on {}, in force by {}) [{}]",
                l.id,
                l.title,
                l.in_force_known_before.map(|d| d.to_string()).unwrap_or_default(),
                l.in_force,
                l.citation
            )
        })
        .collect();
    let same_verdict = with.verdict == without.verdict
        && with
            .exceptions
            .iter()
            .map(|e| &e.id)
            .eq(without.exceptions.iter().map(|e| &e.id));
    let same_policy = with.review_policy == without.review_policy;
    if same_verdict && same_policy {
        say!(
            without,
            "not known on {}: {}; the answer is the same either way",
            date,
            facts.join("; ")
        );
        return without;
    }
    let shown = verdict_and_policy;
    let summary = format!(
        "if it applied: {}; if not: {}",
        shown(&with),
        shown(&without)
    );
    let mut merged = with;
    merged.uncertain_facts.extend(reaching.iter().map(|l| {
        format!(
            "letter {} in force (no source gives the day: after {}, by {})",
            l.id,
            l.in_force_known_before
                .map(|d| d.to_string())
                .unwrap_or_default(),
            l.in_force
        )
    }));
    undecided(&mut merged, same_verdict, &facts.join("; "), &summary);
    merged
}

/// An answer that differs with a fact chipcheck does not know: the review
/// policy is unknown when only it differs, else the verdict is
/// indeterminate; the reason names the facts and each way's answer.
fn undecided(merged: &mut Outcome, same_verdict: bool, facts: &str, answers: &str) {
    if same_verdict {
        merged.review_policy = Some(ReviewPolicy::Unknown);
        say!(
            merged,
            "licence review policy not known: it turns on {facts} ({answers})"
        );
    } else {
        merged.verdict = Verdict::Indeterminate;
        merged.review_policy = None;
        merged.exceptions.clear();
        say!(
            merged,
            "indeterminate: the answer turns on {facts} ({answers})"
        );
    }
}

/// A spec or row named as a library product whose own figures give a TPP
/// well below the library's (a sheet that left out the precision that
/// sets it: an RTX 4090 given as fp32 and bf16 only had been cleared) is
/// worked out as the library's product too; where the answers differ, it is
/// undecided, naming both TPPs. A product over the library's, or within
/// data-sheet rounding of it, stands on its own figures.
fn below_the_named_product(
    rules: &RuleSet,
    subject: &Subject,
    asked: &Asked,
    outcomes: &mut [Outcome],
) {
    let spec = subject.spec;
    if subject.input == "library" || !subject.contained.is_empty() {
        return;
    }
    let Some(own) = subject.own_metrics().tpp else {
        return;
    };
    let Some(product) = crate::library::exactly_named(&spec.name, spec.vendor.as_deref()) else {
        return;
    };
    // Another chip designer's part of the same name is not this product
    // (as for the letters); an unknown vendor (a reseller) may sell it.
    let key = |v: Option<&str>| crate::library::given_vendor_key(v);
    if let (Some(given), Some(maker)) = (
        key(spec.vendor.as_deref()),
        key(product.spec.vendor.as_deref()),
    ) {
        if given != maker && crate::library::is_known_vendor(&given) {
            return;
        }
    }
    let Some(listed) = Metrics::of(&product.spec).tpp else {
        return;
    };
    // Within a tenth of the library's figure is the same product's data
    // sheet, rounded; and a floor at or above it says nothing new.
    let near = listed
        .checked_mul(Decimal::new(9, 1))
        .is_some_and(|floor| own >= floor);
    if near {
        return;
    }
    let library = Subject::chip(&product.spec, subject.input.clone());
    let alts = evaluate_letters(rules, &library, asked);
    for (outcome, alt) in outcomes.iter_mut().zip(&alts) {
        if alt.verdict == outcome.verdict && alt.review_policy == outcome.review_policy {
            continue;
        }
        let same_verdict = alt.verdict == outcome.verdict
            && alt
                .exceptions
                .iter()
                .map(|e| &e.id)
                .eq(outcome.exceptions.iter().map(|e| &e.id));
        let facts = format!(
            "whether `{}` is {} as chipcheck's library has it: its own figures give TPP {}, the library's {}",
            spec.name,
            product.spec.name,
            grouped(own),
            grouped(listed)
        );
        let answers = format!(
            "as the library's: {}; as given: {}",
            verdict_and_policy(alt),
            verdict_and_policy(outcome)
        );
        undecided(outcome, same_verdict, &facts, &answers);
        if !outcome.settle_with.iter().any(|f| f == "compute") {
            outcome.settle_with.push("compute".to_string());
        }
    }
}

/// A die area with no `non_planar` is taken as the applicable (non-planar)
/// area, so performance density applies. Where a planar logic die (no
/// applicable area, density undefined) would change the verdict or review
/// policy, that is stated under `assumptions` and `die.non_planar` named.
fn planar_assumption(rules: &RuleSet, subject: &Subject, asked: &Asked, outcomes: &mut [Outcome]) {
    let spec = subject.spec;
    if !subject.contained.is_empty() || spec.die_area_mm2.is_none() || spec.non_planar.is_some() {
        return;
    }
    if !planarity_may_matter(rules, asked.date, subject) {
        return;
    }
    let mut planar = spec.clone();
    planar.non_planar = Some(false);
    let alts = evaluate_letters(rules, &Subject::chip(&planar, subject.input.clone()), asked);
    for (outcome, alt) in outcomes.iter_mut().zip(&alts) {
        if alt.verdict == outcome.verdict && alt.review_policy == outcome.review_policy {
            continue;
        }
        outcome.assumptions.push(format!(
            "die.non_planar is not given: the die area is taken as the applicable area of a non-planar (FinFET/GAA) logic die, so performance density applies; were the logic die planar the answer would be {}; give die.non_planar to settle it",
            alt.verdict.name()
        ));
        if !outcome.settle_with.iter().any(|f| f == "die.non_planar") {
            outcome.settle_with.push("die.non_planar".to_string());
        }
    }
}

/// Whether a planar die (density undefined) could change the answer on
/// `date`. The regulation says where density can decide (`density_decides`:
/// above TPP 4,800, 3A090.a.1 answers on TPP alone). Where it does not say,
/// and for the letters, wherever a test they make turns out otherwise.
fn planarity_may_matter(rules: &RuleSet, date: Date, subject: &Subject) -> bool {
    let own = subject.own_metrics();
    // The planar figures, worked out only for a version that does not say.
    let flat = std::cell::OnceCell::new();
    let flat = || flat.get_or_init(|| own.planar());
    let truth = |(all, any): (&[Condition], &[Condition]), m: &Metrics| {
        let any = if any.is_empty() {
            Truth::True
        } else {
            Truth::any(any.iter().map(|c| c.test(m).truth))
        };
        Truth::all(all.iter().map(|c| c.test(m).truth)).and(any)
    };
    // A test of no metric a planar die changes cannot turn.
    let may_turn = |(all, any): (&[Condition], &[Condition])| {
        all.iter()
            .chain(any)
            .any(|c| Metrics::turns_with_planarity(c.metric))
    };
    let turns = |v: &RuleVersion| match &v.density_decides {
        Some(band) => truth((band, &[]), own) != Truth::False,
        None => v
            .every_test()
            .any(|test| may_turn(test) && truth(test, own) != truth(test, flat())),
    };
    rules.regulation_on(date).is_some_and(turns)
        || rules.letters_on(date).any(turns)
        || rules.letters_maybe_on(date).into_iter().any(turns)
}

/// [`evaluate_many`] under one reading of the figures: prepared once, then
/// decided for each destination.
fn evaluate_read(
    rules: &RuleSet,
    subject: &Subject,
    asked: &Asked,
    maybe_letters: &[&RuleVersion],
) -> Vec<Outcome> {
    let (start, prepared) = Prepared::new(rules, subject, asked, maybe_letters);
    let Some((last, others)) = asked.destinations.split_last() else {
        return Vec::new();
    };
    let mut outcomes: Vec<Outcome> = others
        .iter()
        .map(|d| prepared.decide_for(rules, &asked.query(*d), asked.standings, start.clone()))
        .collect();
    // The last destination takes the answer so far rather than a copy.
    outcomes.push(prepared.decide_for(rules, &asked.query(*last), asked.standings, start));
    outcomes
}

/// Everything in an answer that does not depend on the destination: the
/// figures, the paragraph states of the regulation and the letters (and,
/// beside it, the answer so far, without a destination).
struct Prepared<'r, 's> {
    metrics: Cow<'s, Metrics>,
    layers: Vec<Layer<'r>>,
    /// Reasons that close every answer (the rules it rests on).
    closing: Vec<String>,
}

impl<'r, 's> Prepared<'r, 's> {
    /// An outcome with the subject's figures and nothing decided yet.
    fn blank(
        subject: &Subject,
        metrics: &Metrics,
        (date, hq, explain): (Date, Option<&'static Country>, bool),
    ) -> Outcome {
        let spec = subject.spec;
        let name = (
            spec.name.clone(),
            spec.vendor.clone(),
            subject.input.clone(),
        );
        Outcome {
            tpp: metrics.tpp,
            tpp_at_least: metrics.tpp_at_least && metrics.tpp.is_some(),
            performance_density: metrics.performance_density().map(|d| rounded(d, 6)),
            explained: explain,
            ..Outcome::empty(Verdict::NoLicenseRequired, name, date, hq)
        }
    }

    fn new(
        rules: &'r RuleSet,
        subject: &'s Subject,
        asked: &Asked,
        maybe_letters: &[&'r RuleVersion],
    ) -> (Outcome, Prepared<'r, 's>) {
        let date = asked.date;
        let metrics = subject_metrics(subject);
        let mut outcome = Prepared::blank(subject, &metrics, (date, asked.hq, asked.explain));
        explain_figures(subject, &metrics, &mut outcome);
        let regulation = rules.regulation_on(date);
        let layers = layers_reaching(
            rules,
            regulation,
            subject,
            date,
            maybe_letters,
            &mut outcome,
        );
        if layers.is_empty() {
            no_control_in_force(rules, date, &mut outcome);
            let prepared = Prepared {
                metrics,
                layers,
                closing: Vec::new(),
            };
            return (outcome, prepared);
        }
        state_paragraphs(regulation, &layers, date, &mut outcome);
        let closing = if asked.explain {
            closing_reasons(rules, &layers, date)
        } else {
            Vec::new()
        };
        let prepared = Prepared {
            metrics,
            layers,
            closing,
        };
        (outcome, prepared)
    }

    /// The answer for one destination (or, with none, every destination
    /// summarised), from the answer so far.
    fn decide_for(
        &self,
        rules: &RuleSet,
        query: &Query,
        standings: Option<&Standings>,
        mut outcome: Outcome,
    ) -> Outcome {
        outcome.destination = query.destination.map(|c| c.code.to_string());
        outcome.destination_name = query.destination.map(|c| c.name.to_string());
        if self.layers.is_empty() {
            return outcome;
        }
        let (layers, metrics) = (&self.layers, &self.metrics);
        match query.destination {
            Some(dest) => {
                let known = standings
                    .and_then(|s| s.standing(&rules.groups, dest, query, outcome.explained));
                decide_uncertain(rules, layers, metrics, (dest, known), query, &mut outcome)
            }
            None => {
                summarise_all_destinations(rules, layers, metrics, query, standings, &mut outcome)
            }
        }
        if outcome.explained {
            outcome.reasons.extend(self.closing.iter().cloned());
        }
        outcome
    }
}

/// The figures and how they were worked out: TPP and density for a chip,
/// its chips' TPPs for a system (whose own figures are theirs).
fn explain_figures(subject: &Subject, metrics: &Metrics, outcome: &mut Outcome) {
    let spec = subject.spec;
    if !subject.contained.is_empty() {
        outcome.tpp = None;
        outcome.tpp_at_least = false;
        outcome.performance_density = None;
    }
    if !outcome.explained {
        // Verdict-only: figures and paragraph states, no sentences.
    } else if subject.contained.is_empty() {
        outcome.reasons.extend(Metrics::derivation(spec));
        let unknown = spec.unknown_precisions();
        let not_read: Vec<&str> = spec
            .compute
            .iter()
            .flat_map(|u| u.not_read.iter().map(String::as_str))
            .collect();
        let names: Vec<&str> = unknown.iter().map(|p| p.name()).collect();
        // What makes the TPP a floor, when a catalogue's cells do: columns
        // not read, else precisions not known.
        let floor = match (not_read.is_empty(), names.is_empty()) {
            (false, _) => Some((
                not_read,
                "not read (mapped to ignore), and may give more than the figures read; map",
                "to a column chipcheck reads",
            )),
            (true, false) => Some((
                names,
                "not known (left empty), and TPP is the highest over every precision; give",
                "(0 where the chip has none)",
            )),
            (true, true) => None,
        };
        if let (true, Some(tpp), Some((what, why, how))) =
            (metrics.tpp_at_least, metrics.tpp, &floor)
        {
            let one = what.len() == 1;
            say!(
                outcome,
                "TPP is at least {}: {} {} {why} {} {how} to settle it",
                grouped(tpp),
                what.join(", "),
                if one { "is" } else { "are" },
                if one { "it" } else { "them" }
            );
        } else if let (true, Some(tpp)) = (metrics.tpp_at_least, metrics.tpp) {
            say!(
                outcome,
                "TPP is at least {}: a compute unit gives only 32- and 64-bit figures, and TPP is the highest over every precision (a 16-bit or narrower figure for it, such as fp16, bf16, fp8 or int8, gives the rest; 0 where the chip has none)",
                grouped(tpp)
            );
        }
        match (
            metrics.performance_density(),
            &metrics.density_unknown_because,
        ) {
            // From a floor of TPP, a floor of density too.
            (Some(pd), None) if metrics.tpp_at_least => say!(
                outcome,
                "performance density is at least {} / {} mm² {}",
                grouped(metrics.tpp.unwrap_or_default()),
                grouped(metrics.die_area_mm2.unwrap_or_default()),
                crate::number::equals_rounded(pd, 4)
            ),
            (Some(pd), None) => say!(
                outcome,
                "performance density = {} / {} mm² {}",
                grouped(metrics.tpp.unwrap_or_default()),
                grouped(metrics.die_area_mm2.unwrap_or_default()),
                crate::number::equals_rounded(pd, 4)
            ),
            (_, Some(why)) => say!(outcome, "performance density unknown: {why}"),
            _ => {}
        }
    } else {
        let parts: Vec<String> = subject
            .contained
            .iter()
            .map(|(n, c)| {
                let m = Metrics::of(c);
                let tpp = match (m.tpp, m.tpp_at_least) {
                    (Some(t), true) => format!("at least {}", grouped(t)),
                    (Some(t), false) => grouped(t),
                    (None, _) => "unknown".into(),
                };
                format!("{n} x {} (TPP {tpp})", c.name)
            })
            .collect();
        say!(outcome, "system containing {}", parts.join(", "));
    }
    if let Some(note) = &spec.jurisdiction_note {
        say!(outcome, "jurisdiction: {note}");
    }
}

/// The regulation in force (its paragraph states) and each letter that
/// reaches the subject, in force or possibly in force (`maybe_letters`).
fn layers_reaching<'r>(
    rules: &'r RuleSet,
    regulation: Option<&'r RuleVersion>,
    subject: &Subject,
    date: Date,
    maybe_letters: &[&'r RuleVersion],
    outcome: &mut Outcome,
) -> Vec<Layer<'r>> {
    let mut layers: Vec<Layer> = Vec::new();
    if let Some(rule) = regulation {
        let mut chip_reasons = Vec::new();
        let states = subject_states(rule, subject, &mut chip_reasons);
        if outcome.explained {
            outcome.reasons.extend(chip_reasons);
        }
        layers.push(Layer { rule, states });
    }
    for letter in rules.letters_on(date).chain(maybe_letters.iter().copied()) {
        if let Some(states) = letter_states(letter, subject, outcome.explained) {
            layers.push(Layer {
                rule: letter,
                states,
            });
        }
    }
    layers
}

/// Why nothing applies: no control was in force on `date`. Written even
/// verdict-only, since the one-line reason quotes it.
fn no_control_in_force(rules: &RuleSet, date: Date, outcome: &mut Outcome) {
    let first = rules.first_in_force();
    outcome.reasons.push(match first {
        Some(d) if date < d => format!(
            "no advanced-computing control in the rule set was in force on {date}; the first took effect on {d}"
        ),
        _ => format!("no advanced-computing regulation in the rule set is in force on {date}"),
    });
}

/// The rule the answer rests on, the paragraphs met (and those that may
/// be), and, when none is, why not.
fn state_paragraphs(
    regulation: Option<&RuleVersion>,
    layers: &[Layer],
    date: Date,
    outcome: &mut Outcome,
) {
    if let Some(rule) = regulation {
        outcome.rule = Some(rule.id.clone());
        outcome.rule_citation = Some(rule.citation.clone());
    } else {
        outcome.reasons.push(format!(
            "no advanced-computing regulation was in force on {date}; only company-specific letters apply"
        ));
    }
    for layer in layers {
        outcome.basis.push(layer.rule.id.clone());
        for s in &layer.states {
            match s.truth {
                Truth::True => say!(
                    outcome,
                    "meets {} ({}): {} [{}]",
                    s.id,
                    s.summary,
                    s.why,
                    s.citation
                ),
                Truth::Unknown => {
                    say!(outcome, "may meet {} ({}): {}", s.id, s.summary, s.why)
                }
                Truth::False => {}
            }
        }
    }
    outcome.paragraphs = layers
        .iter()
        .flat_map(|l| l.states.iter())
        .filter(|s| s.truth.is_true())
        .map(|s| s.id.to_string())
        .collect();
    let (Some(rule), Some(first)) = (regulation, layers.first()) else {
        return;
    };
    // Verdict-only evaluation writes no sentences: nor does it explain
    // each miss (the decimals of every paragraph's test).
    if outcome.explained && first.states.iter().all(|s| s.truth == Truth::False) {
        let misses: Vec<String> = first
            .states
            .iter()
            .filter(|s| !s.why.is_empty())
            .map(|s| format!("{}: {}", s.id, s.why))
            .collect();
        // A system's own states say nothing (its chips' figures decide):
        // no empty parentheses then.
        if misses.is_empty() {
            say!(outcome, "meets no controlled paragraph of {}", rule.id);
        } else {
            say!(
                outcome,
                "meets no controlled paragraph of {} ({})",
                rule.id,
                misses.join("; ")
            );
        }
    }
}

/// The reasons that close every answer: each rule and letter it rests on,
/// and whether the date is later than the rules' last review.
fn closing_reasons(rules: &RuleSet, layers: &[Layer], date: Date) -> Vec<String> {
    let mut closing = Vec::new();
    for layer in layers {
        let r = layer.rule;
        let kind = if r.kind == RuleKind::Letter {
            "letter"
        } else {
            "rule"
        };
        closing.push(format!(
            "{kind} {}: {} ({}), in force from {}",
            r.id, r.title, r.citation, r.in_force
        ));
    }
    if let Some(reviewed) = rules.reviewed() {
        if date > reviewed {
            closing.push(format!(
                "rules last reviewed on {reviewed}; {date} is later, and a later change would not be reflected"
            ));
        }
    }
    closing
}

/// One rule (the regulation or a letter) with the paragraph states it gives.
struct Layer<'r> {
    rule: &'r RuleVersion,
    states: Vec<ParagraphState<'r>>,
}

/// Does a letter reach this subject? By name (vendor and product or alias)
/// or, where the letter says so, by reaching its figures. `None` when it
/// plainly does not.
fn letter_states<'r>(
    letter: &'r RuleVersion,
    subject: &Subject,
    explain: bool,
) -> Option<Vec<ParagraphState<'r>>> {
    let applies = letter.applies_to.as_ref()?;
    let mut chips: Vec<&ChipSpec> = vec![subject.spec];
    chips.extend(subject.contained.iter().map(|(_, c)| c));
    let mut truth = Truth::False;
    let mut why = String::new();
    let mut unknown = BTreeSet::new();
    let system = !subject.contained.is_empty();
    let mut settle = BTreeSet::new();
    for (i, chip) in chips.into_iter().enumerate() {
        let identity = chip_identity(chip);
        let vendor_truth = letter_vendor(applies, &identity);
        let vendor_ok = vendor_truth == Truth::True;
        // A chip of another vendor chipcheck knows (Intel's, Google's) is no
        // product the letter names: its names are not worked out. A vendor
        // it does not know (an OEM, a distributor, a name in another
        // script) may sell the named product under its own name.
        let another_designer = vendor_truth == Truth::False
            && identity
                .vendor_key
                .as_deref()
                .is_some_and(crate::library::is_known_vendor);
        let named = if another_designer {
            NameMatch::NotNamed
        } else {
            name_in_letter(applies, &identity, vendor_truth == Truth::False)
        };
        match named {
            NameMatch::Named(product) if vendor_truth != Truth::False => {
                // With no vendor given, the product name speaks for it:
                // the conservative reading.
                truth = Truth::True;
                why = if !explain {
                    String::new()
                } else if vendor_ok {
                    format!(
                        "{} {} is named in the letter (as {product})",
                        applies.vendor, chip.name
                    )
                } else {
                    format!(
                        "{} is named in the letter (as {product}); {}, so it is taken to be {}'s product",
                        chip.name,
                        vendor_doubt(&identity, applies),
                        applies.vendor
                    )
                };
                break;
            }
            NameMatch::Maybe(candidates) if vendor_truth != Truth::False => {
                truth = truth.or(Truth::Unknown);
                why = if !explain {
                    String::new()
                } else {
                    format!(
                    "`{}` may be {} named in the letter ({}); chipcheck cannot tell which product it is",
                    chip.name,
                    if candidates.len() == 1 { "a product" } else { "one of the products" },
                    candidates.join(", ")
                )
                };
                settle.insert("name".to_string());
                if !vendor_ok {
                    settle.insert("vendor".to_string());
                }
            }
            // Another company's product whose name begins like a named
            // one (`H20 96GB PCIe card` from an OEM): it may carry it.
            NameMatch::Maybe(candidates) => {
                truth = truth.or(Truth::Unknown);
                if explain {
                    why = format!(
                        "`{}` from `{}` may be {} named in the letter ({}) on another company's board; chipcheck cannot tell",
                        chip.name,
                        chip.vendor.as_deref().unwrap_or_default(),
                        if candidates.len() == 1 { "the product" } else { "one of the products" },
                        candidates.join(", ")
                    );
                }
                settle.insert("name".to_string());
                settle.insert("vendor".to_string());
            }
            NameMatch::Named(product) => {
                truth = truth.or(Truth::Unknown);
                why = if !explain {
                    String::new()
                } else {
                    format!(
                    "`{}` is a product the letter names (as {product}), but the spec's vendor `{}` is not {}: if it is {}'s {product} under another company's name, the letter applies; chipcheck cannot tell",
                    chip.name,
                    chip.vendor.as_deref().unwrap_or_default(),
                    applies.vendor,
                    applies.vendor
                )
                };
                settle.insert("vendor".to_string());
            }
            _ => {}
        }
        // A system is named like a chip, but only the chips it contains
        // have figures to reach.
        if (system && i == 0)
            || (applies.reaching_all.is_empty() && applies.reaching_any.is_empty())
        {
            continue;
        }
        // An unknown vendor could be the named one: fail closed.
        let vendor_truth = if applies.any_vendor {
            Truth::True
        } else {
            vendor_truth
        };
        if vendor_truth == Truth::False {
            continue;
        }
        let metrics = if i == 0 {
            Cow::Borrowed(subject.own_metrics())
        } else {
            Cow::Owned(Metrics::of(chip))
        };
        let (reach, tested) =
            eval_conditions((&applies.reaching_all, &applies.reaching_any), &metrics);
        let t = vendor_truth.and(reach);
        if t != Truth::False && truth != Truth::True {
            if explain {
                let mut reached = format!(
                    "{} reaches the letter's figures: {}",
                    chip.name,
                    self::explain(reach, &tested)
                );
                if vendor_truth == Truth::Unknown {
                    if identity.given_vendor().is_some() {
                        reached.push_str(&format!(" ({})", vendor_doubt(&identity, applies)));
                    } else {
                        reached.push_str(" (vendor not given, so it may be the named vendor)");
                    }
                }
                why = if t == Truth::True || why.is_empty() {
                    reached
                } else {
                    format!("{why}; {reached}")
                };
            }
            truth = truth.or(t);
            unknown.extend(tested.iter().filter_map(|x| x.unknown));
        }
    }
    if truth == Truth::False {
        return None;
    }
    let metrics = subject.own_metrics();
    Some(
        letter
            .paragraphs
            .iter()
            .map(|p| {
                let (t, _) = eval_test(&p.test, metrics);
                ParagraphState {
                    id: Cow::Borrowed(&p.id),
                    summary: Cow::Borrowed(&p.summary),
                    citation: Cow::Borrowed(&p.citation),
                    truth: truth.and(t),
                    why: Why::text(why.clone()),
                    unknown: unknown.clone(),
                    settle: settle.clone(),
                }
            })
            .collect(),
    )
}

/// Whether a name or alias of the chip could be a product the letter names:
/// a named product's folded core is then among its folded characters, in
/// order (the normaliser only drops words). A quick no for most names.
fn may_name(applies: &crate::rules::AppliesTo, identity: &ChipIdentity) -> bool {
    let (written, mask) = identity.written();
    let within = |core: &str, text: &str| {
        let mut rest = text.chars();
        core.chars().all(|c| rest.any(|t| t == c))
    };
    applies
        .names
        .iter()
        .zip(&applies.core_masks)
        .filter(|(_, core_mask)| *core_mask & !mask == 0)
        .any(|((_, n), _)| written.iter().any(|w| within(&n.core, w)))
}

/// How a chip's name stands to the products a letter names.
enum NameMatch {
    /// One of its names is a named product (or an alias of one).
    Named(String),
    /// It is no library chip of its own, and its name begins like a named
    /// product's (or the other way round) at a word boundary.
    Maybe(Vec<String>),
    NotNamed,
}

/// Whether a chip is a product the letter names, through the library's
/// name normaliser.
fn name_in_letter(
    applies: &crate::rules::AppliesTo,
    identity: &ChipIdentity,
    other_vendor: bool,
) -> NameMatch {
    // Another vendor's name must hold a named product's characters, in
    // order (asked cheaply first: it is every row of another vendor's
    // catalogue); then it may be the product, named exactly or begun alike.
    if other_vendor && !may_name(applies, identity) {
        return NameMatch::NotNamed;
    }
    let mut names = identity.names().to_vec();
    let fused: Vec<_> = names
        .iter()
        .filter_map(|n| n.without_fused_vendor(&applies.vendor))
        .collect();
    names.extend(fused);
    if let Some((product, _)) = applies
        .names
        .iter()
        .find(|(_, n)| names.iter().any(|c| c.same_product(n)))
    {
        return NameMatch::Named(product.clone());
    }
    let mut candidates: Vec<String> = Vec::new();
    for (product, n) in &applies.names {
        // `Tesla A100`: a product line's word before a named product.
        let ends_alike = |c: &crate::library::ProductName| {
            n.core.len() >= 3 && c.core.len() > n.core.len() && c.core.ends_with(&n.core)
        };
        // `HGX H20 8-GPU board`: the named product as a word of the name.
        let a_word_of = |text: &String| {
            text.split(|c: char| !c.is_alphanumeric())
                .any(|w| !w.is_empty() && crate::library::fold(w) == n.core)
        };
        if (names
            .iter()
            .any(|c| crate::library::begins_alike(&c.core, &n.core) || ends_alike(c))
            || std::iter::once(&identity.name)
                .chain(&identity.aliases)
                .any(a_word_of))
            && !candidates.contains(product)
        {
            candidates.push(product.clone());
        }
    }
    // A name that only looks like a named product's (`MI3O8X` with a
    // letter O, `МI308X` with a Cyrillic М) may be that product. Not asked
    // of another vendor's names, which passed `may_name` as written.
    if !other_vendor {
        let looks = identity.looks();
        for ((product, _), look) in applies.names.iter().zip(&applies.looks) {
            if looks.contains(look) && !candidates.contains(product) {
                candidates.push(product.clone());
            }
        }
    }
    // A library chip is a product of its own (the L40 is not the L40S);
    // asked only here, since it means loading the library.
    if candidates.is_empty() || identity.known() {
        NameMatch::NotNamed
    } else {
        NameMatch::Maybe(candidates)
    }
}

/// A chip's names through the library's normaliser, and whether it is a
/// library chip: the same for every letter and every way an answer is
/// worked out (both readings of TF32, both sides of an uncertain date), so
/// the last chip's are kept rather than normalised again for each.
struct ChipIdentity {
    name: String,
    aliases: Vec<String>,
    vendor: Option<String>,
    /// Whether `vendor` names a vendor (not `N/A`, `unknown`, `-`).
    vendor_given: bool,
    /// Its vendor as the normaliser keys it: the spec's, else a vendor
    /// prefix of its name.
    vendor_key: Option<String>,
    /// Its names through the normaliser, once asked.
    names: std::cell::OnceCell<Vec<crate::library::ProductName>>,
    /// Whether it is a library chip, once asked.
    known: std::cell::OnceCell<bool>,
    /// Whether its vendor may be a letter's (by the letter's vendor key).
    may_be: std::cell::RefCell<Vec<(String, bool)>>,
    /// How its names look, once asked.
    looks: std::cell::OnceCell<Vec<String>>,
    /// Its names folded, with their characters, once asked.
    written: std::cell::OnceCell<(Vec<String>, u64)>,
}

impl ChipIdentity {
    fn names(&self) -> &[crate::library::ProductName] {
        self.names.get_or_init(|| {
            crate::library::names_of(&self.name, &self.aliases, self.given_vendor())
        })
    }

    /// The vendor the spec gives, unless it says the vendor is not known.
    fn given_vendor(&self) -> Option<&str> {
        self.vendor.as_deref().filter(|_| self.vendor_given)
    }

    /// Its name and aliases folded, and the characters they hold
    /// (`library::char_mask`), once asked.
    fn written(&self) -> &(Vec<String>, u64) {
        self.written.get_or_init(|| {
            let folded: Vec<String> = std::iter::once(&self.name)
                .chain(&self.aliases)
                .map(|n| crate::library::fold(n))
                .collect();
            let mask = folded
                .iter()
                .fold(0, |m, f| m | crate::library::char_mask(f));
            (folded, mask)
        })
    }

    /// How its names look (`library::look` of each core), once asked.
    fn looks(&self) -> &[String] {
        self.looks.get_or_init(|| {
            self.names()
                .iter()
                .map(|n| crate::library::look(&n.core))
                .collect()
        })
    }

    /// Whether its vendor, not plainly the vendor keyed `key`, may be it
    /// (see `library::vendor_may_be`): asked once per vendor.
    fn vendor_may_be(&self, key: &str) -> bool {
        let mut asked = self.may_be.borrow_mut();
        if let Some((_, answer)) = asked.iter().find(|(k, _)| k == key) {
            return *answer;
        }
        let answer = match (self.given_vendor(), &self.vendor_key) {
            (Some(v), Some(_)) => crate::library::vendor_may_be(v, key),
            _ => false,
        };
        asked.push((key.to_string(), answer));
        answer
    }

    /// Whether a word of its name or aliases is the vendor keyed `key`
    /// (`NVIDIA H20 96GB PCIe card` from vendor Inspur): a board or system
    /// built on that vendor's chip, whoever sells it.
    fn name_says_vendor(&self, key: &str) -> bool {
        std::iter::once(&self.name)
            .chain(&self.aliases)
            .any(|n| holds_word(n, key))
    }

    fn known(&self) -> bool {
        *self.known.get_or_init(|| {
            crate::library::named(&self.name, self.given_vendor())
                .map(|found| !found.is_empty())
                .unwrap_or(false)
        })
    }
}

/// Whether `text` holds `key` (lower-case ASCII) as a whole word, in any
/// case (asked for every row of a catalogue whose vendor is not a letter's:
/// no allocation).
fn holds_word(text: &str, key: &str) -> bool {
    let (text, key) = (text.as_bytes(), key.as_bytes());
    // A byte of a non-ASCII character counts as part of a word.
    let word_byte = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || !b.is_ascii());
    text.windows(key.len().max(1)).enumerate().any(|(at, w)| {
        w.eq_ignore_ascii_case(key)
            && !word_byte(at.checked_sub(1).and_then(|i| text.get(i)))
            && !word_byte(text.get(at.saturating_add(key.len())))
    }) && !key.is_empty()
}

fn chip_identity(chip: &ChipSpec) -> std::rc::Rc<ChipIdentity> {
    thread_local! {
        static LAST: std::cell::RefCell<Option<std::rc::Rc<ChipIdentity>>> =
            const { std::cell::RefCell::new(None) };
    }
    LAST.with(|last| {
        if let Some(id) = last.borrow().as_ref() {
            if id.name == chip.name && id.aliases == chip.aliases && id.vendor == chip.vendor {
                return id.clone();
            }
        }
        // A catalogue's rows mostly share a vendor: what was worked out of
        // the last one's vendor holds for this one's.
        let same_vendor = last
            .borrow()
            .as_ref()
            .filter(|id| id.vendor == chip.vendor && id.vendor_given)
            .map(|id| (id.vendor_key.clone(), id.may_be.borrow().clone()));
        let (given, may_be) = match same_vendor {
            Some((key, may_be)) => (key, may_be),
            None => (
                crate::library::given_vendor_key(chip.vendor.as_deref()),
                Vec::new(),
            ),
        };
        let id = std::rc::Rc::new(ChipIdentity {
            name: chip.name.clone(),
            aliases: chip.aliases.clone(),
            vendor: chip.vendor.clone(),
            vendor_given: given.is_some(),
            vendor_key: given.or_else(|| crate::library::normalise_name(&chip.name, None).vendor),
            names: std::cell::OnceCell::new(),
            known: std::cell::OnceCell::new(),
            may_be: std::cell::RefCell::new(may_be),
            looks: std::cell::OnceCell::new(),
            written: std::cell::OnceCell::new(),
        });
        *last.borrow_mut() = Some(id.clone());
        id
    })
}

/// Is the chip's vendor the letter's? From the spec's vendor, else a
/// vendor prefix of its name; unknown when neither gives one, when the
/// vendor given may be the letter's written otherwise (`NVIDIA Taiwan`,
/// or with a look-alike letter), or when another vendor sells a product
/// whose name says it is the letter vendor's (`NVIDIA H20 96GB PCIe card`
/// from Inspur had cleared).
fn letter_vendor(applies: &crate::rules::AppliesTo, identity: &ChipIdentity) -> Truth {
    match &identity.vendor_key {
        Some(v) if *v == applies.vendor_key => Truth::True,
        Some(_) if identity.vendor_may_be(&applies.vendor_key) => Truth::Unknown,
        Some(_) if identity.name_says_vendor(&applies.vendor_key) => Truth::Unknown,
        Some(_) => Truth::False,
        None => Truth::Unknown,
    }
}

/// Why a vendor that is not plainly the letter's may be: what the
/// explanation says of it.
fn vendor_doubt(identity: &ChipIdentity, applies: &crate::rules::AppliesTo) -> String {
    let letter_vendor = &applies.vendor;
    match identity.given_vendor() {
        Some(v) if identity.name_says_vendor(&applies.vendor_key) => format!(
            "its name says {letter_vendor} while the spec's vendor is `{v}`: it may be {letter_vendor}'s chip on another company's board"
        ),
        Some(v) => format!("the spec's vendor `{v}` may be {letter_vendor} written otherwise"),
        None => "the spec gives no vendor".to_string(),
    }
}

/// The spec fields that would settle an unknown metric: only those
/// actually missing (a known TPP needs no `compute`).
fn settle_fields(metric: Metric, metrics: &Metrics) -> Vec<String> {
    metric
        .settled_by()
        .iter()
        .filter(|f| match **f {
            "compute" => metrics.tpp.is_none() || metrics.tpp_at_least,
            "die.area_mm2" => metrics.die_area_mm2.is_none() || metrics.non_planar == Some(false),
            "io.memory_bandwidth_gbps" => metrics.memory_bandwidth_gbps.is_none(),
            "io.interconnect_gbps" => metrics.interconnect_gbps.is_none(),
            "die.package_area_mm2" => metrics.package_area_mm2.is_none(),
            _ => true,
        })
        .map(|f| f.to_string())
        .collect()
}

/// For a chip with no chip-to-chip link (a PCIe GPU without NVLink) the
/// figure that settles an I/O test is 0, which people leave out instead.
fn interconnect_hint(fields: &[String]) -> &'static str {
    if fields.iter().any(|f| f == "io.interconnect_gbps") {
        " (a chip with no chip-to-chip link, such as a GPU without NVLink, has io.interconnect_gbps = 0)"
    } else {
        ""
    }
}

/// `destinations` (empty: anywhere) less `except`.
/// The answer for one destination, three-valued over the facts no source
/// dates: when the destination's or the end user's country-group membership
/// changed on a date that is not known and `date` falls in that window, the
/// answer is worked out both ways. The same answer either way stands (with
/// a reason saying so); different answers make it `indeterminate` (or the
/// review policy `unknown`), with a reason naming the fact and the window.
fn decide_uncertain(
    rules: &RuleSet,
    layers: &[Layer],
    metrics: &Metrics,
    (dest, known): (&'static Country, Option<&Standing>),
    query: &Query,
    outcome: &mut Outcome,
) {
    let date = query.date;
    let groups = &rules.groups;
    let worked_out;
    let standing = match known {
        Some(s) => s,
        None => {
            worked_out = Standing::of(groups, dest, query, outcome.explained);
            &worked_out
        }
    };
    let open = &standing.open;
    if open.is_empty() {
        decide(layers, metrics, standing, outcome);
        return;
    }
    // Every combination of the open facts (in practice one fact, two ways);
    // the first world is "not yet", the reading the dated data gives.
    let mut worlds: Vec<(Vec<String>, CountryGroups)> = vec![(Vec::new(), groups.clone())];
    for &i in open {
        let change = &groups.changes[i];
        worlds = worlds
            .into_iter()
            .flat_map(|(labels, g)| {
                [false, true].map(|happened| {
                    let mut labels = labels.clone();
                    labels.push(change.stood(happened, date));
                    (labels, g.assuming(i, happened, date))
                })
            })
            .collect();
    }
    let answers: Vec<(String, Outcome)> = worlds
        .iter()
        .map(|(labels, g)| {
            let mut o = outcome.clone();
            let standing = Standing::of(g, dest, query, o.explained);
            decide(layers, metrics, &standing, &mut o);
            (labels.join(", "), o)
        })
        .collect();
    let facts: Vec<String> = open
        .iter()
        .map(|&i| {
            let c = &groups.changes[i];
            format!("{} ({}) [{}]", c.describe(), c.window(), c.citation)
        })
        .collect();
    let key = |o: &Outcome| {
        (
            o.verdict,
            o.exceptions
                .iter()
                .map(|e| e.id.clone())
                .collect::<Vec<_>>(),
        )
    };
    let first = &answers[0].1;
    let same_verdict = answers.iter().all(|(_, o)| key(o) == key(first));
    let same_policy = answers
        .iter()
        .all(|(_, o)| o.review_policy == first.review_policy);
    if same_verdict && same_policy {
        *outcome = first.clone();
        say!(
            outcome,
            "not known on {date}: {}; the answer is the same either way",
            facts.join("; ")
        );
        return;
    }
    // Reasons every world gives once, then what each world adds.
    let mut merged = first.clone();
    merged.reasons = first
        .reasons
        .iter()
        .filter(|r| answers.iter().all(|(_, o)| o.reasons.contains(r)))
        .cloned()
        .collect();
    let summary: Vec<String> = answers
        .iter()
        .map(|(label, o)| format!("if {label}: {}", verdict_and_policy(o)))
        .collect();
    merged.uncertain_facts.extend(open.iter().map(|&i| {
        let c = &groups.changes[i];
        format!(
            "{} (no source dates it: after {}, by {})",
            c.describe(),
            c.known_before.map(|d| d.to_string()).unwrap_or_default(),
            c.effective
        )
    }));
    undecided(
        &mut merged,
        same_verdict,
        &format!("a fact no source dates: {}", facts.join("; ")),
        &summary.join("; "),
    );
    for (label, o) in &answers {
        for r in &o.reasons {
            if !merged.reasons.contains(r) && !answers.iter().all(|(_, x)| x.reasons.contains(r)) {
                say!(merged, "if {label}: {r}");
            }
        }
        for a in &o.assumptions {
            if !merged.assumptions.contains(a) {
                merged.assumptions.push(a.clone());
            }
        }
    }
    *outcome = merged;
}

/// The answer for one destination.
fn decide(layers: &[Layer], metrics: &Metrics, standing: &Standing, outcome: &mut Outcome) {
    let dest = standing.dest;
    standing.describe(outcome);
    let (hq, hq_groups) = match &standing.hq {
        Some((h, g)) => (Some(*h), g.as_slice()),
        None => (None, [].as_slice()),
    };
    let place = Evaluated {
        code: standing.code,
        hq,
        explain: outcome.explained,
        dest_groups: &standing.dest_groups,
        hq_groups,
    };
    let reach = requirements_reaching(&place, layers);
    if reach.hq_assumed {
        outcome.assumptions.push(
            "the end user is not headquartered (nor is its ultimate parent) in a country the headquarters rule names; pass --end-user-hq to check".into(),
        );
    }
    if reach.met.is_empty() {
        no_requirement_met(layers, metrics, dest, &reach, outcome);
        return;
    }
    if outcome.explained {
        outcome.reasons.extend(reach.lines.iter().cloned());
    }
    outcome.paragraphs = reach.met.clone();
    // Exceptions come from the regulation; they do not lift a letter's
    // licence requirement.
    let possible = if reach.letter {
        Vec::new()
    } else {
        exceptions_available(&place, layers, metrics, &reach, outcome)
    };
    if !outcome.exceptions.is_empty() {
        outcome.verdict = Verdict::LicenseException;
        return;
    }
    outcome.verdict = Verdict::LicenseRequired;
    if !possible.is_empty() {
        exceptions_undecided(layers, metrics, &reach, &possible, outcome);
    }
    review_policy(&place, metrics, &reach, outcome);
}

/// Where an answer is evaluated: the destination as evaluated (Hong Kong as
/// China), the end user's headquarters, the date.
struct Evaluated<'a> {
    code: &'a str,
    hq: Option<&'a str>,
    /// Whether the answer's sentences are written.
    explain: bool,
    /// The groups the destination and the headquarters are in on `date`,
    /// worked out once: membership is asked for every requirement,
    /// exception and policy.
    dest_groups: &'a [&'a str],
    hq_groups: &'a [&'a str],
}

impl Evaluated<'_> {
    /// Whether `code` (whose groups are `in_groups`) is one of `places`:
    /// what `CountryGroups::is_member` answers, from the groups worked out.
    fn matches(&self, places: &[Place], code: &str, in_groups: &[&str]) -> bool {
        places.iter().any(|p| match p {
            Place::Everywhere => true,
            Place::Country(c) => c == code,
            // `in_groups` holds every group the rules define that `code` is
            // in; a scope names no other group (loading refuses one, and a
            // group the rules do not define has no members).
            Place::Group(g) => in_groups.contains(&g.as_str()),
        })
    }

    /// Is the destination one of `places`?
    fn dest_in(&self, places: &[Place]) -> bool {
        self.matches(places, self.code, self.dest_groups)
    }

    /// Is the end user headquartered in one of `places`? (False when no
    /// headquarters is given.)
    fn hq_in(&self, places: &[Place]) -> bool {
        self.hq
            .is_some_and(|h| self.matches(places, h, self.hq_groups))
    }

    /// Does a scope of `destinations` (all, when empty) less `except` take in
    /// the destination?
    fn dest_allowed(&self, destinations: &[Place], except: &[Place]) -> bool {
        (destinations.is_empty() || self.dest_in(destinations)) && !self.dest_in(except)
    }
}

/// The licence requirements that reach a destination and end user.
struct Reach<'l> {
    /// Paragraphs met that a requirement covers.
    met: Vec<String>,
    /// A letter (not only the regulation) requires the licence.
    letter: bool,
    /// Paragraphs a requirement covers that may be met.
    maybe: Vec<&'l ParagraphState<'l>>,
    /// One reason line per requirement met.
    lines: Vec<String>,
    /// The rule versions whose requirements are met, in layer order.
    layers: Vec<&'l Layer<'l>>,
    /// A headquarters requirement was passed over for want of `--end-user-hq`.
    hq_assumed: bool,
}

/// Where one destination stands on a date, for one end user: the code it
/// is evaluated as (Hong Kong as China), its country groups and the end
/// user's, the undated changes either may turn on, and the sentences that
/// say so. The same for every subject asked about that destination.
#[derive(Debug)]
struct Standing<'g> {
    dest: &'static Country,
    code: &'g str,
    /// Set when the destination is evaluated as another.
    evaluated_as: Option<String>,
    dest_groups: Vec<&'g str>,
    /// The end user's headquarters as evaluated, with its groups.
    hq: Option<(&'g str, Vec<&'g str>)>,
    /// The changes of `groups.changes` whose date no source gives and which
    /// may or may not have happened on the date asked.
    open: Vec<usize>,
    /// The reasons that describe the parties (empty unless explained).
    reasons: Vec<String>,
}

impl<'g> Standing<'g> {
    fn of(groups: &'g CountryGroups, dest: &'static Country, query: &Query, explain: bool) -> Self {
        let date = query.date;
        let mut reasons = Vec::new();
        let (code, treated) = groups.evaluated_as(dest.code, date);
        if let (Some(t), true) = (treated, explain) {
            reasons.push(format!(
                "{} ({}) is evaluated as {} since {} [{}]",
                dest.code, dest.name, t.treated_as, t.since, t.citation
            ));
        }
        let dest_groups = groups.group_ids_of(code, date);
        if explain {
            reasons.push(format!(
                "{} ({}) is {} on {date}",
                code,
                country::find(code).map(|c| c.name).unwrap_or(code),
                if dest_groups.is_empty() {
                    "in none of the country groups the rules use".to_string()
                } else {
                    format!("in Country Groups {}", dest_groups.join(", "))
                }
            ));
        }
        let hq = query.end_user_hq.map(|c| {
            let h = groups.evaluated_as(c.code, date).0;
            (h, groups.group_ids_of(h, date))
        });
        if let (Some((h, hq_groups)), true) = (&hq, explain) {
            reasons.push(format!(
                "end user headquartered in {h} ({})",
                if hq_groups.is_empty() {
                    "no listed country group".to_string()
                } else {
                    format!("Country Groups {}", hq_groups.join(", "))
                }
            ));
        }
        let mut codes = vec![code];
        codes.extend(hq.as_ref().map(|(h, _)| *h));
        Standing {
            dest,
            code,
            evaluated_as: treated.map(|_| code.to_string()),
            open: groups.uncertain_for(&codes, date),
            dest_groups,
            hq,
            reasons,
        }
    }

    /// The destination's and the end user's country groups, as the answer
    /// records them (and, explained, as reasons).
    fn describe(&self, outcome: &mut Outcome) {
        outcome.evaluated_as.clone_from(&self.evaluated_as);
        outcome.country_groups = self.dest_groups.iter().map(|g| g.to_string()).collect();
        if outcome.explained {
            outcome.reasons.extend(self.reasons.iter().cloned());
        }
    }
}

/// Where every destination a run asks about stands: what is asked (date,
/// end user, destinations) is the same for every subject of the run, so
/// it is worked out once, not once per result.
#[derive(Debug)]
pub struct Standings<'g> {
    /// The country groups they were worked out from: another rule set's
    /// answers are never taken from these.
    groups: &'g CountryGroups,
    date: Date,
    hq: Option<&'static Country>,
    /// Whether the standings carry their sentences.
    explain: bool,
    /// One per destination named.
    named: Vec<Standing<'g>>,
    /// With no destination named: every country, in `country::all()` order
    /// (each decided verdict-only for the summary). Worked out up front, as
    /// the summary did for every subject a rule reaches: a lazy cell would
    /// tie `Asked`'s lifetimes together (it is invariant).
    every: Vec<Standing<'g>>,
}

impl<'g> Standings<'g> {
    /// Where each destination `asked` names stands under `rules`.
    pub fn new(rules: &'g RuleSet, asked: &Asked) -> Self {
        let groups = &rules.groups;
        let query = |d| Standings::query(asked.date, asked.hq, d);
        let named = asked
            .destinations
            .iter()
            .flatten()
            .map(|&d| Standing::of(groups, d, &query(d), asked.explain))
            .collect();
        let every = if asked.destinations.iter().any(Option::is_none) {
            country::all()
                .map(|c| Standing::of(groups, c, &query(c), false))
                .collect()
        } else {
            Vec::new()
        };
        Standings {
            groups,
            date: asked.date,
            hq: asked.hq,
            explain: asked.explain,
            named,
            every,
        }
    }

    fn query(date: Date, hq: Option<&'static Country>, dest: &'static Country) -> Query {
        Query {
            date,
            destination: Some(dest),
            end_user_hq: hq,
        }
    }

    /// Whether these answer for `query` under `groups`.
    fn answer_for(&self, groups: &CountryGroups, query: &Query) -> bool {
        std::ptr::eq(self.groups, groups) && query.date == self.date && query.end_user_hq == self.hq
    }

    /// Where `dest` stands, if worked out for this query under `groups`
    /// (and, for an explained answer, with its sentences).
    fn standing(
        &self,
        groups: &CountryGroups,
        dest: &Country,
        query: &Query,
        explained: bool,
    ) -> Option<&Standing<'g>> {
        if !self.answer_for(groups, query) || (explained && !self.explain) {
            return None;
        }
        self.named.iter().find(|s| s.dest.code == dest.code)
    }

    /// Where each of `country::all()` stands, verdict-only, in that order:
    /// empty when destinations were named, or for another date, end user or
    /// rule set.
    fn every(&self, groups: &CountryGroups, query: &Query) -> &[Standing<'g>] {
        if !self.answer_for(groups, query) {
            return &[];
        }
        &self.every
    }
}

/// Which licence requirements reach this destination and end user, and
/// which paragraphs they cover are met or may be.
fn requirements_reaching<'l>(place: &Evaluated<'_>, layers: &'l [Layer<'l>]) -> Reach<'l> {
    let mut reach = Reach {
        met: Vec::new(),
        letter: false,
        maybe: Vec::new(),
        lines: Vec::new(),
        layers: Vec::new(),
        hq_assumed: false,
    };
    for layer in layers {
        for r in &layer.rule.requirements {
            let dest_ok = place.dest_allowed(&r.destinations, &r.except);
            let hq_ok = if r.headquartered_in.is_empty() {
                true
            } else {
                match place.hq {
                    Some(_) => place.hq_in(&r.headquartered_in),
                    None => {
                        reach.hq_assumed = true;
                        false
                    }
                }
            };
            if !(dest_ok && hq_ok) {
                continue;
            }
            // Not collected: this runs for every requirement of every answer.
            let covered = || {
                layer
                    .states
                    .iter()
                    .filter(|s| r.paragraphs.iter().any(|p| covers(p, &s.id)))
            };
            let met = || covered().filter(|s| s.truth.is_true());
            if met().next().is_some() {
                if place.explain {
                    let scope = describe_scope(&r.destinations, &r.except, &r.headquartered_in);
                    reach.lines.push(format!(
                        "licence required: {} ({scope}) [{}]",
                        r.summary, r.citation
                    ));
                }
                if layer.rule.kind == RuleKind::Letter {
                    reach.letter = true;
                }
                if !reach.layers.iter().any(|l| l.rule.id == layer.rule.id) {
                    reach.layers.push(layer);
                }
                for s in met() {
                    if !reach.met.iter().any(|m| *m == s.id) {
                        reach.met.push(s.id.to_string());
                    }
                }
            }
            for s in covered().filter(|s| s.truth.is_unknown()) {
                if !reach.maybe.iter().any(|m| m.id == s.id) {
                    reach.maybe.push(s);
                }
            }
        }
    }
    reach
}

/// No requirement is met: no licence, or indeterminate with what would
/// settle it.
fn no_requirement_met(
    layers: &[Layer],
    metrics: &Metrics,
    dest: &'static Country,
    reach: &Reach<'_>,
    outcome: &mut Outcome,
) {
    if reach.maybe.is_empty() {
        outcome.verdict = Verdict::NoLicenseRequired;
        if layers
            .iter()
            .any(|l| l.states.iter().any(|s| s.truth != Truth::False))
        {
            say!(
                outcome,
                "no licence requirement in force reaches {} for this item",
                dest.code
            );
        }
        return;
    }
    outcome.verdict = Verdict::Indeterminate;
    let mut fields = BTreeSet::new();
    let mut beyond_figures = false;
    for s in &reach.maybe {
        for m in &s.unknown {
            fields.extend(settle_fields(*m, metrics));
        }
        beyond_figures |= !s.settle.is_empty();
        fields.extend(s.settle.iter().cloned());
    }
    if fields.is_empty() {
        fields.insert("vendor".to_string());
    }
    outcome.settle_with = fields.into_iter().collect();
    say!(outcome,
        "indeterminate: whether {} is met depends on {} the spec does not give; give {} to settle it{}",
        reach.maybe.iter().map(|s| s.id.as_ref()).collect::<Vec<_>>().join(", "),
        if beyond_figures { "what" } else { "figures" },
        outcome.settle_with.join(", "),
        interconnect_hint(&outcome.settle_with)
    );
}

/// The regulation's licence exceptions usable here: each available one is
/// recorded in `outcome`; returns those that may apply but turn on a
/// missing figure.
fn exceptions_available(
    place: &Evaluated<'_>,
    layers: &[Layer],
    metrics: &Metrics,
    reach: &Reach<'_>,
    outcome: &mut Outcome,
) -> Vec<String> {
    let mut possible = Vec::new();
    let Some(reg) = layers
        .first()
        .filter(|l| l.rule.kind == RuleKind::Regulation)
    else {
        return possible;
    };
    for e in &reg.rule.exceptions {
        if !exception_usable(place, e) {
            continue;
        }
        let (truth, why) = exception_truth(e, &reach.met, &reach.maybe, metrics, place.explain);
        match truth {
            Truth::True => {
                let notification = e
                    .notification
                    .as_ref()
                    .filter(|n| place.dest_in(&n.destinations) || place.hq_in(&n.headquartered_in));
                if outcome.explained {
                    let note = match notification {
                        Some(n) => format!(
                            "; prior notification to BIS required{} [{}]",
                            n.days
                                .map(|d| format!(" ({d} days before export)"))
                                .unwrap_or_default(),
                            n.citation
                        ),
                        None => String::new(),
                    };
                    say!(
                        outcome,
                        "License Exception {} ({}) is available: {why}{note} [{}]",
                        e.id,
                        e.title,
                        e.citation
                    );
                }
                outcome.exceptions.push(ExceptionUse {
                    id: e.id.clone(),
                    title: e.title.clone(),
                    notification_required: notification.is_some(),
                    notification_days: notification.and_then(|n| n.days),
                    citation: e.citation.clone(),
                });
            }
            Truth::Unknown => possible.push(e.id.clone()),
            Truth::False => say!(
                outcome,
                "License Exception {} is not available for {}",
                e.id,
                reach.met.join(", ")
            ),
        }
    }
    possible
}

/// A licence is required until the spec settles whether an exception
/// applies: say which fields would.
fn exceptions_undecided(
    layers: &[Layer],
    metrics: &Metrics,
    reach: &Reach<'_>,
    possible: &[String],
    outcome: &mut Outcome,
) {
    // Only what leaves the exception open: the paragraphs that may be met,
    // and the eligibility tests of the exceptions in question (not every
    // unknown of every paragraph: an HBM test is no hint for a GPU).
    let mut fields = BTreeSet::new();
    for s in &reach.maybe {
        for m in &s.unknown {
            fields.extend(settle_fields(*m, metrics));
        }
        fields.extend(s.settle.iter().cloned());
    }
    if let Some(reg) = layers.first() {
        for e in reg
            .rule
            .exceptions
            .iter()
            .filter(|e| possible.contains(&e.id))
        {
            for el in &e.eligible {
                let (_, tested) = eval_test(&el.test, metrics);
                for m in tested.iter().filter_map(|t| t.unknown) {
                    fields.extend(settle_fields(m, metrics));
                }
            }
        }
    }
    for f in fields {
        if !outcome.settle_with.contains(&f) {
            outcome.settle_with.push(f);
        }
    }
    say!(outcome,
        "License Exception {} might apply if the spec settled {}; until then a licence is required{}",
        possible.join(", "),
        outcome.settle_with.join(", "),
        interconnect_hint(&outcome.settle_with)
    );
}

/// Review policy: letters that require the licence speak first, then the
/// regulation; within each, the first entry that matches wins.
fn review_policy(
    place: &Evaluated<'_>,
    metrics: &Metrics,
    reach: &Reach<'_>,
    outcome: &mut Outcome,
) {
    let letters = reach
        .layers
        .iter()
        .filter(|l| l.rule.kind == RuleKind::Letter);
    let regulation = reach
        .layers
        .iter()
        .filter(|l| l.rule.kind == RuleKind::Regulation);
    for layer in letters.chain(regulation) {
        for p in &layer.rule.policies {
            // Both lists given: both must match (a destination *and* an end user).
            let dest_match = p.destinations.is_empty() || place.dest_in(&p.destinations);
            let hq_match = p.headquartered_in.is_empty() || place.hq_in(&p.headquartered_in);
            let para_ok = p.paragraphs.is_empty()
                || reach
                    .met
                    .iter()
                    .any(|id| p.paragraphs.iter().any(|pp| covers(pp, id)));
            if !(dest_match && hq_match && para_ok) {
                continue;
            }
            let (truth, tested) = eval_test(&p.test, metrics);
            if truth == Truth::False {
                continue;
            }
            let why = if outcome.explained {
                explain(truth, &tested)
            } else {
                String::new()
            };
            if truth == Truth::Unknown {
                policy_undecided(layer, p, metrics, &tested, &why, outcome);
            } else {
                policy_decided(layer, p, &why, outcome);
            }
            return;
        }
    }
}

/// The policy entry that would apply turns on a figure the spec does not
/// give: the policy is unknown, not the next entry's.
fn policy_undecided(
    layer: &Layer<'_>,
    p: &crate::rules::Policy,
    metrics: &Metrics,
    tested: &[Tested],
    why: &str,
    outcome: &mut Outcome,
) {
    let mut fields = BTreeSet::new();
    for m in tested.iter().filter_map(|t| t.unknown) {
        fields.extend(settle_fields(m, metrics));
    }
    for f in fields {
        if !outcome.settle_with.contains(&f) {
            outcome.settle_with.push(f);
        }
    }
    outcome.review_policy = Some(ReviewPolicy::Unknown);
    say!(outcome,
        "licence review policy ({}) not known: {} would apply if the spec settled {why}; give {} to settle it [{}]",
        layer.rule.id,
        p.policy.words(),
        outcome.settle_with.join(", "),
        p.citation
    );
}

/// The policy entry that applies, with why and its note.
fn policy_decided(layer: &Layer<'_>, p: &crate::rules::Policy, why: &str, outcome: &mut Outcome) {
    outcome.review_policy = Some(p.policy);
    if !outcome.explained {
        return;
    }
    let note = p
        .note
        .as_ref()
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    let when = if p.test.all.is_empty() {
        String::new()
    } else {
        format!(": {why}")
    };
    let words = if p.policy == ReviewPolicy::Unknown {
        "not known, no source states it"
    } else {
        p.policy.words()
    };
    say!(
        outcome,
        "licence review policy ({}): {words}{when}{note} [{}]",
        layer.rule.id,
        p.citation
    );
}

/// Can an exception be used for this destination and end user at all?
/// `destinations` (empty: anywhere the licence is required) less `except`,
/// widened by `headquartered_in` and narrowed by `except_headquartered_in`.
fn exception_usable(place: &Evaluated<'_>, e: &Exception) -> bool {
    let by_hq = place.hq_in(&e.headquartered_in);
    let by_place = if e.destinations.is_empty() && !e.headquartered_in.is_empty() {
        false
    } else {
        place.dest_allowed(&e.destinations, &e.except)
    };
    let barred = place.hq_in(&e.except_headquartered_in);
    (by_place || by_hq) && !barred
}

/// Is an exception eligible for every paragraph met (and every one that may
/// be)? Unknown when that hangs on a missing figure.
fn exception_truth(
    e: &Exception,
    met: &[String],
    maybe: &[&ParagraphState],
    metrics: &Metrics,
    explain: bool,
) -> (Truth, String) {
    let mut truth = Truth::True;
    let mut why = Vec::new();
    for id in met {
        let mut best = Truth::False;
        for el in e
            .eligible
            .iter()
            .filter(|el| el.paragraphs.iter().any(|p| covers(p, id)))
        {
            let t = eligibility(el, metrics, id, explain);
            best = best.or(t.0);
            if explain && t.0 != Truth::False {
                why.push(t.1);
            }
        }
        truth = truth.and(best);
    }
    for s in maybe {
        let mut best = Truth::False;
        for el in e
            .eligible
            .iter()
            .filter(|el| el.paragraphs.iter().any(|p| covers(p, &s.id)))
        {
            best = best.or(eligibility(el, metrics, &s.id, false).0);
        }
        if best != Truth::True {
            truth = truth.and(Truth::Unknown);
        }
    }
    (truth, why.join("; "))
}

/// Whether a paragraph's items are eligible, and (when `explain`) why.
fn eligibility(
    el: &crate::rules::Eligible,
    metrics: &Metrics,
    id: &str,
    explain_it: bool,
) -> (Truth, String) {
    let (truth, tested) = eval_test(&el.test, metrics);
    if !explain_it {
        return (truth, String::new());
    }
    (truth, format!("{id}: {}", explain(truth, &tested)))
}

fn describe_scope(destinations: &[Place], except: &[Place], hq: &[Place]) -> String {
    let mut parts = Vec::new();
    if !destinations.is_empty() {
        let mut s = format!("destinations in {}", show_places(destinations));
        if !except.is_empty() {
            s.push_str(&format!(" less {}", show_places(except)));
        }
        parts.push(s);
    }
    if !hq.is_empty() {
        parts.push(format!(
            "end users headquartered in {}, wherever located",
            show_places(hq)
        ));
    }
    parts.join("; ")
}

/// With no destination: every destination that needs a licence, and the
/// worst answer over them.
fn summarise_all_destinations(
    rules: &RuleSet,
    layers: &[Layer],
    metrics: &Metrics,
    query: &Query,
    standings: Option<&Standings>,
    outcome: &mut Outcome,
) {
    let every = standings
        .map(|s| s.every(&rules.groups, query))
        .unwrap_or_default();
    let mut licensed = Vec::new();
    let mut undecided = Vec::new();
    let mut worst = Verdict::NoLicenseRequired;
    // Each destination is decided on a copy without the reasons, which
    // none of them keeps: 249 copies of those would cost more than deciding.
    let reasons = std::mem::take(&mut outcome.reasons);
    let assumptions = std::mem::take(&mut outcome.assumptions);
    let mut template = outcome.clone();
    // Only each destination's verdict, settling fields and assumptions are
    // kept: its reasons are not written.
    template.explained = false;
    outcome.reasons = reasons;
    outcome.assumptions = assumptions;
    for (i, c) in crate::country::all().enumerate() {
        let mut scratch = template.clone();
        // Each destination adds to the fields named so far, and the worst
        // answer's list (with those before it) is the one kept.
        scratch.settle_with.clone_from(&outcome.settle_with);
        decide_uncertain(
            rules,
            layers,
            metrics,
            // Checked, not assumed, to be this country's.
            (c, every.get(i).filter(|s| s.dest.code == c.code)),
            &Query {
                destination: Some(c),
                ..*query
            },
            &mut scratch,
        );
        match scratch.verdict {
            Verdict::LicenseRequired | Verdict::LicenseException => {
                licensed.push(c.code.to_string())
            }
            Verdict::Indeterminate => undecided.push(c.code.to_string()),
            _ => {}
        }
        if scratch.verdict.severity() > worst.severity() {
            worst = scratch.verdict;
            outcome.settle_with = scratch.settle_with.clone();
        }
        if outcome.assumptions.is_empty() {
            outcome.assumptions = scratch.assumptions.clone();
        }
    }
    outcome.verdict = worst;
    if !licensed.is_empty() {
        say!(
            outcome,
            "licence required (or a licence exception) for {} destinations: {}",
            licensed.len(),
            licensed.join(", ")
        );
    } else if undecided.is_empty() {
        say!(outcome, "no destination needs a licence for this item");
    }
    if !undecided.is_empty() {
        say!(
            outcome,
            "undecided for {} destinations: {}",
            undecided.len(),
            undecided.join(", ")
        );
    }
    outcome.license_destinations = Some(licensed);
    outcome.indeterminate_destinations = Some(undecided);
}

/// Destinations as the engine is asked them: each one named, or `None`
/// (every destination, summarised) when none is.
pub fn destinations_or_every(destinations: &[&'static Country]) -> Vec<Option<&'static Country>> {
    if destinations.is_empty() {
        vec![None]
    } else {
        destinations.iter().map(|d| Some(*d)).collect()
    }
}

/// Evaluates a subject for each destination (or once with none).
pub fn evaluate_all(
    rules: &RuleSet,
    subject: &Subject,
    date: Date,
    destinations: &[&'static Country],
    hq: Option<&'static Country>,
) -> Vec<Outcome> {
    let destinations = destinations_or_every(destinations);
    let asked = Asked {
        date,
        hq,
        destinations: &destinations,
        explain: true,
        standings: None,
    };
    evaluate_many(rules, subject, &asked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_is_found_whole_in_any_case() {
        assert!(holds_word("NVIDIA H20 96GB PCIe card", "nvidia"));
        assert!(holds_word("h20 (nvidia)", "nvidia"));
        assert!(holds_word("Board-Nvidia", "nvidia"));
        assert!(!holds_word("NVIDIAN H20", "nvidia"));
        assert!(!holds_word("Part 123", "nvidia"));
        assert!(!holds_word("Amdahl 7", "amd"));
        assert!(!holds_word("éamd x", "amd"));
        assert!(holds_word("x AMD", "amd"));
    }

    #[test]
    fn a_sentence_is_what_format_writes() {
        let long = "x".repeat(SENTENCE_BYTES * 3);
        for text in ["", "short", long.as_str()] {
            assert_eq!(
                sentence(format_args!("{text} ({}) on {}", 7, "2024-06-01")),
                format!("{text} ({}) on {}", 7, "2024-06-01")
            );
        }
    }

    /// Where each destination stands, worked out once for a run, answers
    /// exactly as working it out for every result does; and standings for
    /// another date or end user, or verdict-only ones for an explained
    /// answer, are not used (they would answer for something else).
    #[test]
    fn standings_worked_out_once_answer_as_worked_out_for_each_result() {
        let rules = RuleSet::embedded().expect("rules");
        let chips = crate::library::chips().expect("library");
        let code = |c: &str| country::find(c).expect(c);
        let destinations: Vec<Option<&'static Country>> = ["HK", "KH", "CY", "CN", "AE", "US"]
            .into_iter()
            .map(|c| Some(code(c)))
            .chain([None])
            .collect();
        let answers = |subject: &Subject, asked: &Asked, standings: &Standings| {
            let asked = Asked {
                standings: Some(standings),
                ..*asked
            };
            serde_json::to_string(&evaluate_many(&rules, subject, &asked)).expect("json")
        };
        // Cambodia's D:5 removal is undated on 2025-12-01; Cyprus's too.
        for (on, other) in [("2024-06-01", "2025-12-01"), ("2025-12-01", "2024-06-01")] {
            for hq in [None, Some(code("CY")), Some(code("MO"))] {
                let asked = Asked {
                    date: on.parse().expect("date"),
                    hq,
                    destinations: &destinations,
                    explain: true,
                    standings: None,
                };
                let once = Standings::new(&rules, &asked);
                let verdict_only = Standings::new(
                    &rules,
                    &Asked {
                        explain: false,
                        ..asked
                    },
                );
                // Each answers another query only in its date, or only in
                // its end user: neither may be used.
                let other_date = Standings::new(
                    &rules,
                    &Asked {
                        date: other.parse().expect("date"),
                        ..asked
                    },
                );
                let other_hq = Standings::new(
                    &rules,
                    &Asked {
                        hq: Some(code("CN")),
                        ..asked
                    },
                );
                // Never answers this query: every result works out its own.
                let elsewhere = Standings::new(
                    &rules,
                    &Asked {
                        date: other.parse().expect("date"),
                        hq: Some(code("CN")),
                        ..asked
                    },
                );
                for chip in chips.iter().step_by(5) {
                    let contained =
                        crate::library::resolve_contained(&chip.spec).expect("contained");
                    let subject = Subject::new(&chip.spec, "library", contained);
                    for explain in [true, false] {
                        let asked = Asked { explain, ..asked };
                        let each_result = answers(&subject, &asked, &elsewhere);
                        for standings in [&once, &verdict_only, &other_date, &other_hq] {
                            assert_eq!(
                                answers(&subject, &asked, standings),
                                each_result,
                                "{}",
                                chip.file
                            );
                        }
                    }
                }
            }
        }
    }

    /// Standings worked out under another rule set are not used, even for
    /// the same date and end user: its country groups may differ. Here the
    /// other set (the repository's rules, read from disk) puts the US in
    /// D:1, which would make the answers for the US differ.
    #[test]
    fn standings_of_another_rule_set_are_not_used() {
        let rules = RuleSet::embedded().expect("rules");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let files = std::fs::read_dir(&dir)
            .expect("rules/")
            .map(|entry| {
                let path = entry.expect("an entry").path();
                let mut text = std::fs::read_to_string(&path).expect("a rule file");
                if path.ends_with(crate::rules::GROUPS_FILE) {
                    let d1 = "members = [\"AM\", ";
                    assert!(text.contains(d1), "D:1 starts with AM");
                    text = text.replacen(d1, "members = [\"US\", \"AM\", ", 1);
                }
                (path.display().to_string(), text)
            })
            .collect();
        let other = RuleSet::from_files("rules/ with the US in D:1", files).expect("other rules");
        let us = country::find("US").expect("US");
        let destinations = [Some(us)];
        let asked = Asked {
            date: "2024-06-01".parse().expect("date"),
            hq: None,
            destinations: &destinations,
            explain: true,
            standings: None,
        };
        let others = Standings::new(&other, &asked);
        let spec = crate::library::chip("H100 SXM5 80GB").expect("H100");
        let subject = Subject::new(spec, "library", Vec::new());
        let json = |asked: &Asked| {
            serde_json::to_string(&evaluate_many(&rules, &subject, asked)).expect("json")
        };
        let with_others = json(&Asked {
            standings: Some(&others),
            ..asked
        });
        assert_eq!(with_others, json(&asked));
        // The other set would have answered otherwise: the test can fail.
        let under_other =
            serde_json::to_string(&evaluate_many(&other, &subject, &asked)).expect("json");
        assert_ne!(under_other, with_others);
    }

    /// A `Display` that fails part-way: the half-written sentence must not
    /// be kept as if it were the whole (`format!` panics on it too).
    #[test]
    #[should_panic]
    fn a_sentence_whose_display_fails_is_not_kept_in_part() {
        struct Fails;
        impl std::fmt::Display for Fails {
            fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                Err(std::fmt::Error)
            }
        }
        let _ = sentence(format_args!("TPP 4,800 >= 4,800 but {Fails}"));
    }
}
