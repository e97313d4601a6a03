//! One self-contained HTML page for people: a chart of the 3A090 plane (TPP
//! against performance density) drawn here as SVG, a summary, a table that
//! sorts and filters in the page, and the provenance. It loads nothing: the
//! styles, the script and the chart are inline, so it opens from disk.
//!
//! The regions, lines and windows on the chart come from the rule version in
//! force on the date evaluated (its paragraphs, exclusions and review
//! policies), never from figures written here.
//!
//! A page must open in a browser, so at most [`MAX_ROWS`] results are kept
//! (the most severe first, in input order) as table rows and chart points; a
//! line says how many more there are and where every result is.

use super::keep::{gate_severity, Keep};
use super::{Format, Item, Layout, Run, Summary};
use crate::condition::{Condition, Literal, Op};
use crate::metrics::Metric;
use crate::number::{grouped, rounded, to_f64};
use crate::rules::{Place, ReviewPolicy, RuleVersion, Test};
use crate::verdict::Verdict;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// Results kept as table rows and chart points: a page of this size still
/// opens and sorts quickly in a browser (a few MiB of HTML).
pub const MAX_ROWS: usize = 2_000;
/// Points labelled with their chip name on the chart; past this the labels
/// would cover the chart, so points keep only their tooltip.
const MAX_LABELS: usize = 80;

/// Verdicts, most severe first: the order of the summary and the legend.
const ORDER: [Verdict; 7] = [
    Verdict::Error,
    Verdict::Prohibited,
    Verdict::LicenseRequired,
    Verdict::LicenseException,
    Verdict::Indeterminate,
    Verdict::Licensed,
    Verdict::NoLicenseRequired,
];

fn rank(v: Verdict) -> usize {
    ORDER.iter().position(|o| *o == v).unwrap_or(ORDER.len())
}

fn colour(v: Verdict) -> &'static str {
    match v {
        Verdict::Error => "#6b21a8",
        Verdict::Prohibited => "#7f0000",
        Verdict::LicenseRequired => "#c62828",
        Verdict::LicenseException => "#e67e00",
        Verdict::Indeterminate => "#5f6b7a",
        Verdict::Licensed => "#1565c0",
        Verdict::NoLicenseRequired => "#2e7d32",
    }
}

fn words(v: Verdict) -> &'static str {
    match v {
        Verdict::Error => "Error (row not read)",
        Verdict::Prohibited => "Prohibited (listed party)",
        Verdict::LicenseRequired => "Licence required",
        Verdict::LicenseException => "Licence exception available",
        Verdict::Indeterminate => "Indeterminate",
        Verdict::Licensed => "Licensed (on file)",
        Verdict::NoLicenseRequired => "No licence required",
    }
}

/// HTML-escaped text (element content and quoted attributes alike), with
/// control characters shown as U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// What the chart needs of a kept result, and its table row.
struct Kept {
    chip: Box<str>,
    tpp: Option<Decimal>,
    pd: Option<Decimal>,
    verdict: Verdict,
    row: Box<str>,
}

pub struct Html {
    kept: Keep<Kept>,
    /// Every result counted, by destination then verdict (in [`ORDER`]).
    by_destination: BTreeMap<String, [u64; 7]>,
}

impl Default for Html {
    fn default() -> Self {
        Html::with_limit(MAX_ROWS)
    }
}

impl Html {
    fn with_limit(limit: usize) -> Self {
        Html {
            kept: Keep::new(limit),
            by_destination: BTreeMap::new(),
        }
    }
}

/// Where a result comes from: a catalogue position or a spec sheet.
fn location(run: &Run<'_>, item: &Item<'_>) -> String {
    match (run.layout, item.line.or(item.outcome.line)) {
        (Layout::Catalogue, Some(line)) => super::cells::position(run, line),
        _ => item.outcome.input.clone(),
    }
}

fn number_cell(value: Option<Decimal>, places: u32) -> (String, String) {
    match value {
        Some(v) => (
            rounded(v, places).normalize().to_string(),
            grouped(rounded(v, places)),
        ),
        None => ("-1".into(), "unknown".into()),
    }
}

fn list(title: &str, items: &[String], out: &mut String) {
    if items.is_empty() {
        return;
    }
    let _ = write!(out, "<h4>{}</h4><ul>", escape(title));
    for i in items {
        let _ = write!(out, "<li>{}</li>", escape(i));
    }
    out.push_str("</ul>");
}

fn row(run: &Run<'_>, item: &Item<'_>) -> String {
    let o = item.outcome;
    let mut r = String::with_capacity(1024);
    let sev = gate_severity(item);
    let (tpp_key, mut tpp_text) = number_cell(o.tpp, 0);
    if o.tpp_at_least {
        tpp_text = format!("at least {tpp_text}");
    }
    let (pd_key, mut pd_text) = number_cell(o.performance_density, 2);
    if o.tpp_at_least && o.performance_density.is_some() {
        pd_text = format!("at least {pd_text}");
    }
    let destination = o.destination.clone().unwrap_or_else(|| "all".into());
    let _ = write!(
        r,
        "<tr data-verdict=\"{v}\"><td data-k=\"{sev}\"><span class=\"badge\" style=\"background:{c}\">{w}</span>{fails}</td>",
        v = o.verdict.name(),
        c = colour(o.verdict),
        w = escape(words(o.verdict)),
        fails = if item.fails { "<span class=\"fails\">fails the gate</span>" } else { "" },
    );
    let _ = write!(
        r,
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\" data-k=\"{}\">{}</td><td class=\"n\" data-k=\"{}\">{}</td><td>{}</td>",
        escape(&o.chip),
        escape(&location(run, item)),
        escape(&destination),
        escape(&o.date),
        escape(o.rule.as_deref().unwrap_or("none")),
        escape(&o.paragraphs.join(", ")),
        tpp_key,
        tpp_text,
        pd_key,
        pd_text,
        escape(o.review_policy.map(|p| p.words()).unwrap_or("")),
    );
    r.push_str("<td><details><summary>why</summary>");
    if let Some(e) = item.error {
        let _ = write!(r, "<p class=\"err\">{}</p>", escape(e));
    }
    list("Explanation", &o.reasons, &mut r);
    let mut citations: Vec<String> = o.rule_citation.iter().cloned().collect();
    citations.extend(o.basis.iter().cloned());
    list("Rests on", &citations, &mut r);
    let exceptions: Vec<String> = o
        .exceptions
        .iter()
        .map(|e| serde_json::to_string(e).unwrap_or_default())
        .collect();
    list("Licence exceptions", &exceptions, &mut r);
    list("Assumptions", &o.assumptions, &mut r);
    list("Would be settled by", &o.settle_with, &mut r);
    if let Some(d) = &o.license_destinations {
        list("Destinations needing a licence", &[d.join(", ")], &mut r);
    }
    if let Some(d) = &o.indeterminate_destinations {
        list("Destinations undecided", &[d.join(", ")], &mut r);
    }
    r.push_str("</details></td></tr>\n");
    r
}

impl Format for Html {
    fn result(&mut self, run: &Run<'_>, item: &Item<'_>, _: &[u8], _out: &mut Vec<u8>) {
        let o = item.outcome;
        let destination = o.destination.clone().unwrap_or_else(|| "all".into());
        let counts = self.by_destination.entry(destination).or_default();
        if let Some(n) = counts.get_mut(rank(o.verdict)) {
            *n = n.saturating_add(1);
        }
        self.kept.offer(gate_severity(item), || Kept {
            chip: o.chip.as_str().into(),
            tpp: o.tpp,
            pd: o.performance_density,
            verdict: o.verdict,
            row: row(run, item).into(),
        });
    }

    fn finish(
        &mut self,
        run: &Run<'_>,
        summary: &Summary,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let mut kept = self.kept.take();
        let dropped = self.kept.dropped();
        let date = chart_date(run, summary);
        let rule = date.and_then(|d| run.rules.regulation_on(d));
        let mut page = String::with_capacity(64 << 10);
        let title = match run.catalogue {
            Some(c) => format!("chipcheck audit of {c}"),
            None => "chipcheck classification".to_string(),
        };
        let _ = write!(
            page,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\
             <title>{}</title><style>{STYLE}</style></head><body>\n<header><h1>{}</h1><p class=\"sub\">",
            escape(&title),
            escape(&title)
        );
        let _ = write!(
            page,
            "US export controls on advanced computing chips (ECCN 3A090 / 4A090) · {} result{} · evaluated on {}",
            summary.results,
            if summary.results == 1 { "" } else { "s" },
            escape(&summary.dates.iter().cloned().collect::<Vec<_>>().join(", "))
        );
        if !run.destinations.is_empty() {
            let codes: Vec<&str> = run.destinations.iter().map(|c| c.code).collect();
            let _ = write!(page, " · destinations {}", escape(&codes.join(", ")));
        }
        if let Some(hq) = run.hq {
            let _ = write!(page, " · end user headquartered in {}", escape(hq.code));
        }
        page.push_str("</p></header>\n<main>\n");
        verdict_cards(summary, &mut page);
        if dropped > 0 {
            let _ = write!(
                page,
                "<p class=\"note\"><strong>{dropped} more {} not in this page</strong> (it keeps at most {MAX_ROWS}, the most severe first); {}.</p>",
                if dropped == 1 { "result is" } else { "results are" },
                escape(&run.full_report_hint()),
            );
        }
        page.push_str("<section><h2>The 3A090 plane</h2>");
        match (date, rule) {
            (Some(d), Some(r)) => {
                let _ = write!(
                    page,
                    "<p class=\"caption\">Regions under <strong>{}</strong> ({}), the rule in force on {d}. Each point is a chip, coloured by its most severe result.</p>",
                    escape(&r.id),
                    escape(&r.citation)
                );
            }
            (Some(d), None) => {
                let _ = write!(page, "<p class=\"caption\">No 3A090 rule was in force on {d}: the plane has no regions.</p>");
            }
            _ => {}
        }
        chart(rule, &kept, &mut page);
        if let Some(d) = date {
            let letters: Vec<String> = run
                .rules
                .letters_on(d)
                .map(|l| format!("{} ({})", l.id, l.title))
                .collect();
            if !letters.is_empty() {
                let _ = write!(
                    page,
                    "<p class=\"caption\">Also in force, not drawn: {} (letters to named companies; the table says where they apply).</p>",
                    escape(&letters.join("; "))
                );
            }
        }
        page.push_str("</section>\n");
        destination_table(&self.by_destination, &mut page);
        kept.sort_by_key(|k| rank(k.verdict));
        let _ = write!(
            page,
            "<section><h2>Results</h2><div class=\"controls\"><input id=\"filter\" type=\"search\" placeholder=\"Filter: chip, destination, rule…\" aria-label=\"Filter results\">\
             <select id=\"verdict\" aria-label=\"Verdict\"><option value=\"\">every verdict</option>"
        );
        for v in ORDER {
            let _ = write!(
                page,
                "<option value=\"{}\">{}</option>",
                v.name(),
                escape(words(v))
            );
        }
        let _ = write!(
            page,
            "</select><span id=\"shown\"></span></div>\n<div class=\"wrap\"><table id=\"results\"><thead><tr>\
             <th data-t=\"n\">Verdict</th><th>Chip</th><th>From</th><th>To</th><th>Date</th><th>Rule</th><th>Paragraphs</th><th data-t=\"n\">TPP</th><th data-t=\"n\">Density</th><th>Review policy</th><th>Why</th></tr></thead><tbody>\n"
        );
        out.write_all(page.as_bytes())?;
        for k in &kept {
            out.write_all(k.row.as_bytes())?;
        }
        let mut foot = String::with_capacity(4096);
        foot.push_str("</tbody></table></div></section>\n");
        provenance(run, summary, &mut foot);
        let _ = writeln!(foot, "</main><script>{SCRIPT}</script></body></html>");
        out.write_all(foot.as_bytes())
    }
}

/// The date the chart shows: the run's, else the latest evaluated.
fn chart_date(run: &Run<'_>, summary: &Summary) -> Option<jiff::civil::Date> {
    run.date.or_else(|| {
        summary
            .dates
            .iter()
            .filter_map(|d| d.parse::<jiff::civil::Date>().ok())
            .max()
    })
}

fn verdict_cards(summary: &Summary, page: &mut String) {
    let c = &summary.counts;
    page.push_str("<section class=\"cards\">");
    for v in ORDER {
        let n = match v {
            Verdict::Error => c.error,
            Verdict::Prohibited => c.prohibited,
            Verdict::LicenseRequired => c.license_required,
            Verdict::LicenseException => c.license_exception,
            Verdict::Indeterminate => c.indeterminate,
            Verdict::Licensed => c.licensed,
            Verdict::NoLicenseRequired => c.no_license_required,
        };
        if n == 0 && matches!(v, Verdict::Error | Verdict::Prohibited) {
            continue;
        }
        let _ = write!(
            page,
            "<div class=\"card{}\" style=\"border-color:{}\"><div class=\"count\" style=\"color:{}\">{n}</div><div>{}</div></div>",
            if n == 0 { " zero" } else { "" },
            colour(v),
            colour(v),
            escape(words(v))
        );
    }
    page.push_str("</section>\n");
}

fn destination_table(by: &BTreeMap<String, [u64; 7]>, page: &mut String) {
    if by.is_empty() {
        return;
    }
    let mut rows: Vec<(&String, &[u64; 7])> = by.iter().collect();
    // The destinations with the most severe results first.
    rows.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    page.push_str(
        "<section><h2>By destination</h2><table class=\"counts\"><thead><tr><th>Destination</th>",
    );
    for v in ORDER {
        let _ = write!(page, "<th>{}</th>", escape(words(v)));
    }
    page.push_str("</tr></thead><tbody>");
    for (d, counts) in rows {
        let _ = write!(page, "<tr><td>{}</td>", escape(d));
        for (v, n) in ORDER.iter().zip(counts) {
            if *n == 0 {
                page.push_str("<td class=\"n zero\">0</td>");
            } else {
                let _ = write!(
                    page,
                    "<td class=\"n\" style=\"color:{}\"><strong>{n}</strong></td>",
                    colour(*v)
                );
            }
        }
        page.push_str("</tr>");
    }
    page.push_str("</tbody></table></section>\n");
}

fn provenance(run: &Run<'_>, summary: &Summary, page: &mut String) {
    let p = summary.provenance(run);
    page.push_str("<footer><h2>Provenance</h2><dl>");
    let mut item = |k: &str, v: String| {
        let _ = write!(page, "<dt>{}</dt><dd>{}</dd>", escape(k), escape(&v));
    };
    item("chipcheck", p.chipcheck_version.to_string());
    item("rules", format!("{} ({})", p.rules_origin, p.rules_hash));
    if let Some(r) = &p.rules_reviewed {
        item("rules reviewed", r.clone());
    }
    item("rule versions", p.rule_versions.join(", "));
    item("dates evaluated", p.dates_evaluated.join(", "));
    for i in &p.inputs {
        item("input", format!("{} ({})", i.path, i.sha256));
    }
    if let Some(f) = &p.project_file {
        item("project file", format!("{} ({})", f.path, f.sha256));
    }
    if let Some(facts) = &summary.input_facts {
        item("read", facts.describe());
    }
    for u in &summary.licenses {
        item(
            "licence",
            format!("{}: {} (expires {})", u.number, u.status, u.expires),
        );
    }
    page.push_str("</dl><p class=\"small\">chipcheck states what the rules it encodes say; it is not legal advice. Every result above explains itself and names what it rests on.</p></footer>\n");
}

// ---- The chart ----------------------------------------------------------

/// A half-open interval on one axis; None is unbounded.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Span {
    lo: Option<Decimal>,
    hi: Option<Decimal>,
}

/// The part of a rule's test on the plane, and what else it asks.
#[derive(Clone, Debug, Default)]
struct Shape {
    tpp: Span,
    pd: Span,
    other: Vec<String>,
}

impl Shape {
    fn of(test: &Test) -> Option<Shape> {
        // An `any` list is not a rectangle; such tests are not drawn.
        if !test.any.is_empty() {
            return None;
        }
        let mut s = Shape::default();
        for c in &test.all {
            let span = match c.metric {
                Metric::Tpp => &mut s.tpp,
                Metric::PerformanceDensity => &mut s.pd,
                _ => {
                    s.other.push(describe(c));
                    continue;
                }
            };
            let Literal::Number(n) = c.literal else {
                return None;
            };
            match c.op {
                Op::Ge | Op::Gt => span.lo = Some(span.lo.map_or(n, |l| l.max(n))),
                Op::Le | Op::Lt => span.hi = Some(span.hi.map_or(n, |h| h.min(n))),
                Op::Eq => {
                    span.lo = Some(n);
                    span.hi = Some(n);
                }
                Op::Ne => return None,
            }
        }
        let on_plane = s.tpp != Span::default() || s.pd != Span::default();
        on_plane.then_some(s)
    }
}

fn describe(c: &Condition) -> String {
    let op = match c.op {
        Op::Ge => "≥",
        Op::Gt => ">",
        Op::Le => "≤",
        Op::Lt => "<",
        Op::Eq => "=",
        Op::Ne => "≠",
    };
    match c.literal {
        Literal::Number(n) => format!("{} {op} {}", c.metric.label(), grouped(n)),
        Literal::Bool(true) => c.metric.label().to_string(),
        Literal::Bool(false) => format!("not {}", c.metric.label()),
    }
}

fn places(p: &[Place]) -> String {
    p.iter()
        .map(|p| match p {
            Place::Everywhere => "everywhere".to_string(),
            Place::Group(g) => g.clone(),
            Place::Country(c) => c.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The family a paragraph belongs to: `3A090.a.1` -> `3A090.a`.
fn family(id: &str) -> String {
    id.split('.').take(2).collect::<Vec<_>>().join(".")
}

fn region_colours(i: usize) -> (&'static str, &'static str) {
    // (fill, text): the first family (3A090.a) strongest.
    const C: [(&str, &str); 4] = [
        ("#f7c6c4", "#9b1c1c"),
        ("#fde3b5", "#9a5b00"),
        ("#d9e4f5", "#1f4e8c"),
        ("#e3d9f2", "#5b3b8c"),
    ];
    C.get(i.checked_rem(C.len()).unwrap_or(0))
        .copied()
        .unwrap_or(("#f7c6c4", "#9b1c1c"))
}

/// Log-scale axis from `lo` to `hi` (powers of ten) onto pixels.
struct Axis {
    lo: f64,
    hi: f64,
    from: f64,
    to: f64,
}

impl Axis {
    fn px(&self, v: f64) -> f64 {
        let v = v.clamp(self.lo, self.hi);
        let t = (v.log10() - self.lo.log10()) / (self.hi.log10() - self.lo.log10());
        self.from + t * (self.to - self.from)
    }
    /// The pixel of a bound, or the axis end when unbounded.
    fn bound(&self, d: Option<Decimal>, low_end: bool) -> f64 {
        match d {
            Some(d) => self.px(to_f64(d)),
            None if low_end => self.from,
            None => self.to,
        }
    }
}

/// Whole decades covering `values`, at least `min_lo..min_hi`.
fn decades(values: impl Iterator<Item = f64>, min_lo: f64, min_hi: f64) -> (f64, f64) {
    let (mut lo, mut hi) = (min_lo, min_hi);
    for v in values.filter(|v| v.is_finite() && *v > 0.0) {
        lo = lo.min(v / 1.5);
        hi = hi.max(v * 1.5);
    }
    (
        10f64.powf(lo.log10().floor()),
        10f64.powf(hi.log10().ceil()),
    )
}

fn tick_label(v: f64) -> String {
    if v >= 1.0 {
        grouped(Decimal::from(v.round() as i64))
    } else {
        format!("{v}")
    }
}

/// A chip on the chart: its most severe result.
struct Point<'a> {
    chip: &'a str,
    tpp: Option<Decimal>,
    pd: Option<Decimal>,
    verdict: Verdict,
    results: usize,
}

fn points(kept: &[Kept]) -> Vec<Point<'_>> {
    let mut index: HashMap<(&str, Option<Decimal>, Option<Decimal>), usize> = HashMap::new();
    let mut all: Vec<Point<'_>> = Vec::new();
    for k in kept {
        let key = (&*k.chip, k.tpp, k.pd);
        match index.get(&key).and_then(|i| all.get_mut(*i)) {
            Some(p) => {
                p.results = p.results.saturating_add(1);
                if rank(k.verdict) < rank(p.verdict) {
                    p.verdict = k.verdict;
                }
            }
            None => {
                index.insert(key, all.len());
                all.push(Point {
                    chip: &k.chip,
                    tpp: k.tpp,
                    pd: k.pd,
                    verdict: k.verdict,
                    results: 1,
                });
            }
        }
    }
    // Most severe drawn last, on top.
    all.sort_by_key(|p| std::cmp::Reverse(rank(p.verdict)));
    all
}

/// Places labels greedily where they overlap nothing placed before.
#[derive(Default)]
struct Labels {
    boxes: Vec<(f64, f64, f64, f64)>,
}

impl Labels {
    fn place(
        &mut self,
        x: f64,
        y: f64,
        text: &str,
        bounds: (f64, f64, f64, f64),
    ) -> Option<(f64, f64, &'static str)> {
        let w = 6.4 * text.chars().count() as f64 + 2.0;
        let h = 13.0;
        let candidates = [
            (x + 7.0, y + 4.0, "start"),
            (x - 7.0, y + 4.0, "end"),
            (x, y - 8.0, "middle"),
            (x, y + 16.0, "middle"),
        ];
        for (tx, ty, anchor) in candidates {
            let left = match anchor {
                "start" => tx,
                "end" => tx - w,
                _ => tx - w / 2.0,
            };
            let b = (left, ty - h + 3.0, left + w, ty + 3.0);
            let inside = b.0 >= bounds.0 && b.2 <= bounds.2 && b.1 >= bounds.1 && b.3 <= bounds.3;
            let clear = self
                .boxes
                .iter()
                .all(|o| b.2 < o.0 || b.0 > o.2 || b.3 < o.1 || b.1 > o.3);
            if inside && clear {
                self.boxes.push(b);
                return Some((tx, ty, anchor));
            }
        }
        None
    }
}

fn chart(rule: Option<&RuleVersion>, kept: &[Kept], page: &mut String) {
    const W: f64 = 1000.0;
    const LEFT: f64 = 78.0;
    const RIGHT: f64 = 46.0;
    const PLOT_H: f64 = 440.0;
    const STRIP_H: f64 = 46.0;
    let pts = points(kept);
    let regions: Vec<(String, String, Shape)> = rule
        .map(|r| {
            r.paragraphs
                .iter()
                .filter_map(|p| Shape::of(&p.test).map(|s| (family(&p.id), p.id.clone(), s)))
                .collect()
        })
        .unwrap_or_default();
    let exclusions: Vec<(String, String, Shape)> = rule
        .map(|r| {
            r.exclusions
                .iter()
                .filter_map(|e| Shape::of(&e.test).map(|s| (e.id.clone(), e.summary.clone(), s)))
                .collect()
        })
        .unwrap_or_default();
    let windows: Vec<(String, Shape, String)> = rule
        .map(|r| {
            r.policies
                .iter()
                .filter(|p| p.policy == ReviewPolicy::CaseByCase)
                .filter_map(|p| {
                    let s = Shape::of(&p.test)?;
                    (s.tpp != Span::default())
                        .then(|| (places(&p.destinations), s, p.citation.clone()))
                })
                .collect()
        })
        .unwrap_or_default();
    let thresholds = |f: fn(&Shape) -> Span| -> Vec<f64> {
        regions
            .iter()
            .map(|r| &r.2)
            .chain(exclusions.iter().map(|e| &e.2))
            .chain(windows.iter().map(|w| &w.1))
            .flat_map(|s| [f(s).lo, f(s).hi])
            .flatten()
            .map(to_f64)
            .collect()
    };
    let tpp_marks = thresholds(|s| s.tpp);
    let pd_marks = thresholds(|s| s.pd);
    let (x_lo, x_hi) = decades(
        pts.iter()
            .filter_map(|p| p.tpp.map(to_f64))
            .chain(tpp_marks.iter().copied()),
        100.0,
        10_000.0,
    );
    let (y_lo, y_hi) = decades(
        pts.iter()
            .filter_map(|p| p.pd.map(to_f64))
            .chain(pd_marks.iter().copied()),
        0.1,
        10.0,
    );
    // Room above the plot for one line per review-policy window.
    let top = 24.0 + 16.0 * windows.len() as f64;
    let x = Axis {
        lo: x_lo,
        hi: x_hi,
        from: LEFT,
        to: W - RIGHT,
    };
    let plot_bottom = top + PLOT_H;
    let y = Axis {
        lo: y_lo,
        hi: y_hi,
        from: plot_bottom,
        to: top,
    };
    let unknown_pd: Vec<&Point<'_>> = pts
        .iter()
        .filter(|p| p.tpp.is_some() && p.pd.is_none())
        .collect();
    let unknown_tpp: Vec<&Point<'_>> = pts.iter().filter(|p| p.tpp.is_none()).collect();
    let strip_top = plot_bottom + 48.0;
    let height = strip_top + STRIP_H + 54.0;
    let _ = write!(
        page,
        "<figure class=\"chart\"><svg id=\"plane\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {height}\" role=\"img\" aria-labelledby=\"plane-title\">\
         <title id=\"plane-title\">TPP against performance density, log scales, with the 3A090 regions</title>\
         <defs><pattern id=\"hatch\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"#6d8fb3\" stroke-width=\"2\" stroke-opacity=\"0.45\"/></pattern>\
         <clipPath id=\"plot\"><rect x=\"{LEFT}\" y=\"{top}\" width=\"{}\" height=\"{PLOT_H}\"/></clipPath></defs>\
         <rect x=\"{LEFT}\" y=\"{top}\" width=\"{}\" height=\"{PLOT_H}\" fill=\"#fbfcfd\" stroke=\"#c8ced6\"/>",
        W - LEFT - RIGHT,
        W - LEFT - RIGHT
    );
    // Regions: later families first, so 3A090.a (which 3A090.b yields to) is on top.
    let mut families: Vec<String> = regions.iter().map(|r| r.0.clone()).collect();
    families.sort();
    families.dedup();
    page.push_str("<g clip-path=\"url(#plot)\">");
    for (i, fam) in families.iter().enumerate().rev() {
        let (fill, _) = region_colours(i);
        for (_, id, s) in regions.iter().filter(|r| &r.0 == fam) {
            let (x0, x1) = (x.bound(s.tpp.lo, true), x.bound(s.tpp.hi, false));
            let (y0, y1) = (y.bound(s.pd.hi, false), y.bound(s.pd.lo, true));
            let _ = write!(
                page,
                "<rect class=\"region\" data-paragraph=\"{}\" x=\"{x0:.1}\" y=\"{y0:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\"/>",
                escape(id),
                (x1 - x0).max(0.0),
                (y1 - y0).max(0.0)
            );
        }
    }
    // Exclusions (Note 2): hatched over the regions they take items out of.
    for (id, _, s) in &exclusions {
        let (x0, x1) = (x.bound(s.tpp.lo, true), x.bound(s.tpp.hi, false));
        let (y0, y1) = (y.bound(s.pd.hi, false), y.bound(s.pd.lo, true));
        let _ = write!(
            page,
            "<rect class=\"exclusion\" data-exclusion=\"{}\" x=\"{x0:.1}\" y=\"{y0:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"url(#hatch)\"/>",
            escape(id),
            (x1 - x0).max(0.0),
            (y1 - y0).max(0.0)
        );
    }
    page.push_str("</g>");
    // Grid and axes.
    let mut grid = String::new();
    let mut decade = x_lo;
    while decade <= x_hi * 1.0001 {
        for m in [1.0, 2.0, 5.0] {
            let v = decade * m;
            if v > x_hi * 1.0001 {
                break;
            }
            let px = x.px(v);
            let major = m == 1.0;
            let _ = write!(grid, "<line x1=\"{px:.1}\" y1=\"{top}\" x2=\"{px:.1}\" y2=\"{plot_bottom}\" class=\"{}\"/>", if major { "grid" } else { "grid minor" });
            if major || (x_hi / x_lo) <= 1000.0 {
                let _ = write!(grid, "<text x=\"{px:.1}\" y=\"{:.1}\" class=\"tick\" text-anchor=\"middle\">{}</text>", plot_bottom + 16.0, tick_label(v));
            }
        }
        decade *= 10.0;
    }
    let mut decade = y_lo;
    while decade <= y_hi * 1.0001 {
        for m in [1.0, 2.0, 5.0] {
            let v = decade * m;
            if v > y_hi * 1.0001 {
                break;
            }
            let py = y.px(v);
            let major = m == 1.0;
            let _ = write!(
                grid,
                "<line x1=\"{LEFT}\" y1=\"{py:.1}\" x2=\"{}\" y2=\"{py:.1}\" class=\"{}\"/>",
                W - RIGHT,
                if major { "grid" } else { "grid minor" }
            );
            let _ = write!(
                grid,
                "<text x=\"{:.1}\" y=\"{:.1}\" class=\"tick\" text-anchor=\"end\">{}</text>",
                LEFT - 6.0,
                py + 4.0,
                tick_label(v)
            );
        }
        decade *= 10.0;
    }
    page.push_str(&grid);
    // Boundary lines and their figures, from the rule.
    let mut marked_x: Vec<Decimal> = Vec::new();
    let mut marked_y: Vec<Decimal> = Vec::new();
    for (i, fam) in families.iter().enumerate() {
        let (_, ink) = region_colours(i);
        for (_, _, s) in regions.iter().filter(|r| &r.0 == fam) {
            for v in [s.tpp.lo, s.tpp.hi].into_iter().flatten() {
                if !marked_x.contains(&v) {
                    marked_x.push(v);
                    let px = x.px(to_f64(v));
                    let _ = write!(page, "<line x1=\"{px:.1}\" y1=\"{top}\" x2=\"{px:.1}\" y2=\"{plot_bottom}\" class=\"edge\" stroke=\"{ink}\"/><text x=\"{px:.1}\" y=\"{:.1}\" class=\"mark\" fill=\"{ink}\" text-anchor=\"middle\">{}</text>", plot_bottom + 30.0, grouped(v));
                }
            }
            for v in [s.pd.lo, s.pd.hi].into_iter().flatten() {
                if !marked_y.contains(&v) {
                    marked_y.push(v);
                    let py = y.px(to_f64(v));
                    let _ = write!(page, "<line x1=\"{LEFT}\" y1=\"{py:.1}\" x2=\"{}\" y2=\"{py:.1}\" class=\"edge\" stroke=\"{ink}\"/><text x=\"{:.1}\" y=\"{:.1}\" class=\"mark\" fill=\"{ink}\" text-anchor=\"start\">{}</text>", W - RIGHT, W - RIGHT + 2.0, py + 4.0, grouped(v));
                }
            }
        }
    }
    // Region labels: in the largest visible rectangle of each family.
    let mut labels = Labels::default();
    let plot_box = (LEFT, top, W - RIGHT, plot_bottom);
    for (i, fam) in families.iter().enumerate() {
        let (_, ink) = region_colours(i);
        let best = regions.iter().filter(|r| &r.0 == fam).max_by(|a, b| {
            let area = |s: &Shape| {
                (x.bound(s.tpp.hi, false) - x.bound(s.tpp.lo, true))
                    * (y.bound(s.pd.lo, true) - y.bound(s.pd.hi, false))
            };
            area(&a.2).total_cmp(&area(&b.2))
        });
        if let Some((_, _, s)) = best {
            let lx = x.bound(s.tpp.lo, true) + 8.0;
            let ly = y.bound(s.pd.hi, false) + 20.0;
            let text = fam.clone();
            let others: Vec<String> = regions
                .iter()
                .filter(|r| &r.0 == fam)
                .flat_map(|r| r.2.other.iter().cloned())
                .collect();
            let mut sub = String::new();
            if !others.is_empty() {
                sub = format!("and {}", others.join(", "));
            }
            let _ = write!(
                page,
                "<text x=\"{lx:.1}\" y=\"{ly:.1}\" class=\"region-label\" fill=\"{ink}\">{}</text>",
                escape(&text)
            );
            labels.boxes.push((
                lx,
                ly - 14.0,
                lx + 7.5 * text.chars().count() as f64,
                ly + 3.0,
            ));
            if !sub.is_empty() {
                let _ = write!(
                    page,
                    "<text x=\"{lx:.1}\" y=\"{:.1}\" class=\"region-sub\" fill=\"{ink}\">{}</text>",
                    ly + 15.0,
                    escape(&sub)
                );
                labels.boxes.push((
                    lx,
                    ly + 2.0,
                    lx + 6.0 * sub.chars().count() as f64,
                    ly + 18.0,
                ));
            }
        }
    }
    for (id, _, s) in &exclusions {
        let lx = x.bound(s.tpp.lo, true) + 8.0;
        let ly = y.bound(s.pd.lo, true) - 10.0;
        let text = format!("{id}: excluded if {}", s.other.join(" and "));
        let _ = write!(
            page,
            "<text x=\"{lx:.1}\" y=\"{ly:.1}\" class=\"region-sub\" fill=\"#1f4e8c\">{}</text>",
            escape(&text)
        );
        labels.boxes.push((
            lx,
            ly - 12.0,
            lx + 6.0 * text.chars().count() as f64,
            ly + 3.0,
        ));
    }
    // Review-policy windows on TPP (the 2026 China case-by-case window).
    for (n, (to, s, citation)) in windows.iter().enumerate() {
        // A window without a lower bound starts where the paragraphs do.
        let start = s
            .tpp
            .lo
            .or_else(|| regions.iter().filter_map(|r| r.2.tpp.lo).min());
        let (x0, x1) = (x.bound(start, true), x.bound(s.tpp.hi, false));
        let by = 18.0 + 16.0 * n as f64;
        let mut text = format!("{to}: case-by-case review");
        if let Some(hi) = s.tpp.hi {
            text.push_str(&format!(" below TPP {}", grouped(hi)));
        }
        if !s.other.is_empty() {
            text.push_str(&format!(" (and {})", s.other.join(", ")));
        }
        // Over the bar, kept inside the chart (about 7 px a character).
        let width = 7.0 * text.chars().count() as f64;
        let tx = ((x0 + x1) / 2.0 - width / 2.0)
            .min(W - RIGHT - width)
            .max(LEFT - 60.0);
        let _ = write!(
            page,
            "<g class=\"window\"><title>{}</title><line x1=\"{x0:.1}\" y1=\"{by:.1}\" x2=\"{x1:.1}\" y2=\"{by:.1}\"/><line x1=\"{x1:.1}\" y1=\"{:.1}\" x2=\"{x1:.1}\" y2=\"{plot_bottom}\" stroke-dasharray=\"5 4\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text></g>",
            escape(citation),
            by - 5.0,
            tx,
            by - 4.0,
            escape(&text)
        );
    }
    // Axis titles.
    let _ = write!(
        page,
        "<text x=\"{:.1}\" y=\"{:.1}\" class=\"axis\" text-anchor=\"middle\">Total processing performance (TPP), log scale</text>\
         <text transform=\"translate(20 {:.1}) rotate(-90)\" class=\"axis\" text-anchor=\"middle\">Performance density (TPP / mm²), log scale</text>",
        (LEFT + W - RIGHT) / 2.0,
        plot_bottom + 44.0,
        (top + plot_bottom) / 2.0
    );
    // Points, most severe last (on top); labels where they fit.
    let labelled = pts.len() <= MAX_LABELS;
    let mut unlabelled = 0usize;
    let mut point = |p: &Point<'_>,
                     px: f64,
                     py: f64,
                     bounds: (f64, f64, f64, f64),
                     labels: &mut Labels,
                     page: &mut String| {
        let tip = format!(
            "{}: {} · TPP {} · density {}{}",
            p.chip,
            words(p.verdict),
            p.tpp
                .map(|t| grouped(rounded(t, 0)))
                .unwrap_or_else(|| "unknown".into()),
            p.pd.map(|d| grouped(rounded(d, 2)))
                .unwrap_or_else(|| "unknown".into()),
            if p.results > 1 {
                format!(" · {} results", p.results)
            } else {
                String::new()
            }
        );
        let _ = write!(
            page,
            "<g class=\"point\" data-verdict=\"{}\"><title>{}</title><circle cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"5.5\" fill=\"{}\"/>",
            p.verdict.name(),
            escape(&tip),
            colour(p.verdict)
        );
        let placed = if labelled {
            labels.place(px, py, p.chip, bounds)
        } else {
            None
        };
        match placed {
            Some((tx, ty, anchor)) => {
                let _ = write!(page, "<text x=\"{tx:.1}\" y=\"{ty:.1}\" text-anchor=\"{anchor}\" class=\"label\">{}</text>", escape(p.chip));
            }
            None => unlabelled = unlabelled.saturating_add(1),
        }
        page.push_str("</g>");
    };
    // Reserve every point's own disc first so labels avoid them.
    let strip_y = strip_top + STRIP_H / 2.0;
    for p in &pts {
        let at = match (p.tpp, p.pd) {
            (Some(t), Some(d)) => (x.px(to_f64(t)), y.px(to_f64(d))),
            (Some(t), None) => (x.px(to_f64(t)), strip_y),
            _ => continue,
        };
        labels
            .boxes
            .push((at.0 - 5.0, at.1 - 5.0, at.0 + 5.0, at.1 + 5.0));
    }
    for p in &pts {
        if let (Some(t), Some(d)) = (p.tpp, p.pd) {
            point(
                p,
                x.px(to_f64(t)),
                y.px(to_f64(d)),
                plot_box,
                &mut labels,
                page,
            );
        }
    }
    // The strip of chips whose density is unknown.
    let _ = write!(
        page,
        "<rect x=\"{LEFT}\" y=\"{strip_top}\" width=\"{}\" height=\"{STRIP_H}\" class=\"strip\"/><text x=\"{:.1}\" y=\"{:.1}\" class=\"tick\" text-anchor=\"end\">density</text><text x=\"{:.1}\" y=\"{:.1}\" class=\"tick\" text-anchor=\"end\">unknown</text>",
        W - LEFT - RIGHT,
        LEFT - 6.0,
        strip_top + 20.0,
        LEFT - 6.0,
        strip_top + 33.0
    );
    let strip_box = (LEFT, strip_top, W - RIGHT, strip_top + STRIP_H + 16.0);
    for p in &unknown_pd {
        if let Some(t) = p.tpp {
            point(p, x.px(to_f64(t)), strip_y, strip_box, &mut labels, page);
        }
    }
    if unknown_pd.is_empty() {
        let _ = write!(page, "<text x=\"{:.1}\" y=\"{:.1}\" class=\"tick\">none: every chip with a known TPP has a known density</text>", LEFT + 10.0, strip_top + STRIP_H / 2.0 + 4.0);
    }
    // Legend: the verdicts on the chart (all of them when it is empty).
    let mut lx = LEFT - 60.0;
    let ly = height - 12.0;
    let shown: Vec<Verdict> = ORDER
        .into_iter()
        .filter(|v| pts.is_empty() || pts.iter().any(|p| p.verdict == *v))
        .collect();
    for v in shown {
        let _ = write!(page, "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"5\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\" class=\"legend\">{}</text>", lx + 5.0, ly - 4.0, colour(v), lx + 14.0, ly, escape(words(v)));
        lx += 24.0 + 6.6 * words(v).chars().count() as f64;
    }
    page.push_str("</svg>");
    let mut notes = Vec::new();
    if !unknown_tpp.is_empty() {
        let names: Vec<&str> = unknown_tpp.iter().take(20).map(|p| p.chip).collect();
        let more = unknown_tpp.len().saturating_sub(names.len());
        notes.push(format!(
            "TPP unknown, so not on the chart: {}{}",
            names.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    if unlabelled > 0 {
        notes.push(format!(
            "{unlabelled} points are not labelled (they would overlap); hover a point for its chip"
        ));
    }
    if let Some(r) = rule {
        let off: Vec<String> = r
            .paragraphs
            .iter()
            .filter(|p| Shape::of(&p.test).is_none())
            .map(|p| format!("{} ({})", p.id, p.summary))
            .collect();
        if !off.is_empty() {
            notes.push(format!("Not on this plane: {}", off.join("; ")));
        }
    }
    page.push_str("<figcaption><ul class=\"key\">");
    for (i, fam) in families.iter().enumerate() {
        let (fill, ink) = region_colours(i);
        let parts: Vec<String> = rule
            .map(|r| {
                r.paragraphs
                    .iter()
                    .filter(|p| family(&p.id) == *fam && Shape::of(&p.test).is_some())
                    .map(|p| format!("{}: {}", p.id, p.summary))
                    .collect()
            })
            .unwrap_or_default();
        let _ = write!(
            page,
            "<li><span class=\"swatch\" style=\"background:{fill};border-color:{ink}\"></span><strong style=\"color:{ink}\">{}</strong> {}</li>",
            escape(fam),
            escape(&parts.join("; "))
        );
    }
    for (id, summary, _) in &exclusions {
        let _ = write!(
            page,
            "<li><span class=\"swatch hatch\"></span><strong>{}</strong> {}</li>",
            escape(id),
            escape(summary)
        );
    }
    for (to, s, citation) in &windows {
        let _ = write!(
            page,
            "<li><span class=\"swatch window\"></span><strong>Case-by-case window ({})</strong> TPP below {}{} ({})</li>",
            escape(to),
            s.tpp.hi.map(grouped).unwrap_or_else(|| "any".into()),
            escape(&s.other.iter().map(|o| format!(", {o}")).collect::<String>()),
            escape(citation)
        );
    }
    page.push_str("</ul>");
    for n in notes {
        let _ = write!(page, "<p class=\"caption\">{}.</p>", escape(&n));
    }
    page.push_str("</figcaption></figure>");
}

const STYLE: &str = r#"
:root{--ink:#1d2733;--muted:#5d6b7a;--line:#dde3ea;--bg:#f4f6f9}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
header{background:#14213d;color:#fff;padding:22px 32px 18px}
header h1{margin:0;font-size:22px;font-weight:600}
header .sub{margin:6px 0 0;color:#c9d3e0}
main{max-width:1120px;margin:0 auto;padding:18px 24px 40px}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:16px 0}
section.cards{display:flex;gap:12px;flex-wrap:wrap;background:none;border:0;padding:0}
.card{flex:1 1 140px;background:#fff;border:1px solid var(--line);border-top:4px solid;border-radius:8px;padding:10px 14px}
.card .count{font-size:28px;font-weight:700}
.card.zero{opacity:.55}
h2{font-size:16px;margin:0 0 10px}
h4{margin:8px 0 2px;font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.caption{color:var(--muted);margin:4px 0}
.note{background:#fff7e0;border:1px solid #f0d48a;border-radius:6px;padding:8px 12px}
figure{margin:0}
svg{width:100%;height:auto;font-family:inherit}
svg .grid{stroke:#e3e8ee;stroke-width:1}
svg .grid.minor{stroke:#f0f3f6}
svg .edge{stroke-width:1.2;stroke-dasharray:3 3;opacity:.8}
svg .tick{font-size:11px;fill:#6b7785}
svg .mark{font-size:11px;font-weight:600}
svg .axis{font-size:13px;fill:#3a4654}
svg .region-label{font-size:14px;font-weight:700}
svg .region-sub{font-size:11.5px}
svg .label{font-size:11px;fill:#1d2733;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
svg .point circle{stroke:#fff;stroke-width:1.5}
svg .strip{fill:#f6f7f9;stroke:#c8ced6;stroke-dasharray:4 3}
svg .legend{font-size:12px;fill:#3a4654}
svg .window line{stroke:#7a3db8;stroke-width:2}
svg .window text{font-size:12px;fill:#5b2a91;font-weight:600}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#f7f9fb;font-weight:600;position:sticky;top:0}
#results th{cursor:pointer;user-select:none;white-space:nowrap}
#results th.asc::after{content:" ▲"}#results th.desc::after{content:" ▼"}
td.n{text-align:right;font-variant-numeric:tabular-nums}
td.zero{color:#b7c0ca}
.badge{display:inline-block;color:#fff;border-radius:10px;padding:1px 9px;font-size:12px;white-space:nowrap}
.fails{display:block;font-size:11px;color:#c62828}
details summary{cursor:pointer;color:#1f4e8c}
details ul{margin:2px 0 6px 18px;padding:0}
.err{color:#6b21a8}
.controls{display:flex;gap:10px;align-items:center;margin-bottom:10px}
.controls input{flex:1;padding:6px 10px;border:1px solid #c8ced6;border-radius:6px;font:inherit}
.controls select{padding:6px;border:1px solid #c8ced6;border-radius:6px;font:inherit}
#shown{color:var(--muted);white-space:nowrap}
footer{margin-top:16px;color:var(--muted);font-size:12.5px}
footer dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0}
footer dt{font-weight:600}footer dd{margin:0;word-break:break-all}
.small{font-size:12px}
.key{list-style:none;padding:0;margin:6px 0 8px;display:grid;gap:4px}
.key li{font-size:13px}
.swatch{display:inline-block;width:14px;height:14px;border:1px solid #8a96a3;vertical-align:-2px;margin-right:6px}
.swatch.hatch{background:repeating-linear-gradient(45deg,#fff 0 3px,#9fb6cf 3px 5px)}
.swatch.window{border:0;border-top:3px solid #7a3db8;height:8px}
.wrap{overflow-x:auto}
#results{font-size:13px}
#results td:nth-child(5),#results td:nth-child(6){white-space:nowrap}
#results td:nth-child(3){overflow-wrap:anywhere;min-width:150px}
@media print{header{background:#fff;color:#000}section{break-inside:avoid}}
"#;

const SCRIPT: &str = r#"
(function(){
var table=document.getElementById('results');if(!table)return;
var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
var filter=document.getElementById('filter'),verdict=document.getElementById('verdict'),shown=document.getElementById('shown');
function apply(){var q=filter.value.toLowerCase(),v=verdict.value,n=0;
rows.forEach(function(r){var ok=(!v||r.getAttribute('data-verdict')===v)&&(!q||r.textContent.toLowerCase().indexOf(q)>=0);r.hidden=!ok;if(ok)n++;});
shown.textContent=n+' of '+rows.length+' shown';}
filter.addEventListener('input',apply);verdict.addEventListener('change',apply);
var heads=table.tHead.rows[0].cells;
Array.prototype.forEach.call(heads,function(th,i){th.addEventListener('click',function(){
var asc=!th.classList.contains('asc');Array.prototype.forEach.call(heads,function(h){h.classList.remove('asc','desc');});
th.classList.add(asc?'asc':'desc');var numeric=th.getAttribute('data-t')==='n';
function key(r){var c=r.cells[i];var k=c.getAttribute('data-k');return numeric?parseFloat(k!==null?k:c.textContent):c.textContent.toLowerCase();}
rows.sort(function(a,b){var x=key(a),y=key(b);var d=x<y?-1:x>y?1:0;return asc?d:-d;});
rows.forEach(function(r){body.appendChild(r);});});});
apply();
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Gate, Run};

    fn render(date: &str, chips: &[&str], limit: usize) -> String {
        let rules = crate::RuleSet::embedded().unwrap();
        let gate = Gate::default();
        let run = Run::results(&rules, &gate);
        let date = date.parse().unwrap();
        let mut html = Html::with_limit(limit);
        let mut tally_outcomes = Vec::new();
        for name in chips {
            let spec = crate::library::chip(name).unwrap();
            let subject = crate::Subject::chip(spec, "library");
            let cn = crate::country::find("CN").unwrap();
            tally_outcomes.extend(crate::evaluate_all(&rules, &subject, date, &[cn], None));
        }
        let mut summary = Summary::default();
        for o in &tally_outcomes {
            summary.dates.insert(o.date.clone());
            html.result(&run, &Item::of(o, &gate), &[], &mut Vec::new());
        }
        let mut out = Vec::new();
        html.finish(&run, &summary, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn regions_follow_the_rule_in_force() {
        let y2024 = render("2024-06-01", &["h100 sxm"], 10);
        assert!(y2024.contains("data-paragraph=\"3A090.a.2\""), "{y2024}");
        assert!(y2024.contains("data-paragraph=\"3A090.b.1\""));
        assert!(y2024.contains("data-exclusion=\"Note 2 to 3A090\""));
        assert!(!y2024.contains("class=\"window\""));
        let y2023 = render("2023-03-01", &["h100 sxm"], 10);
        assert!(y2023.contains("data-paragraph=\"3A090.a.1\""));
        assert!(!y2023.contains("data-paragraph=\"3A090.b.1\""));
        assert!(
            y2023.contains("chip-to-chip I/O"),
            "the 2022 line says what else it asks"
        );
        let y2026 = render("2026-03-01", &["h100 sxm"], 10);
        assert!(y2026.contains("class=\"window\""));
        assert!(y2026.contains("below TPP 21,000"));
    }

    #[test]
    fn text_is_escaped_and_rows_bounded() {
        let page = render("2024-06-01", &["h100 sxm", "a100 sxm", "rtx 4090"], 2);
        assert!(page.contains("1 more result is not in this page"), "{page}");
        assert_eq!(page.matches("<tr data-verdict").count(), 2);
        assert_eq!(escape("<b a='1'>&\""), "&lt;b a=&#39;1&#39;&gt;&amp;&quot;");
    }
}
