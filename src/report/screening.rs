//! The results of `chipcheck screen`: a text report for people and a JSON
//! document, each with the lists' provenance.

use crate::screening::{ListProvenance, Match, PartyList, Screening};
use jiff::civil::Date;
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Serialize)]
struct Document<'a> {
    results: &'a [Screening],
    provenance: ScreenProvenance,
}

#[derive(Serialize)]
struct ScreenProvenance {
    chipcheck_version: &'static str,
    date_evaluated: String,
    party_lists: Vec<ListProvenance>,
}

pub fn json(results: &[Screening], lists: &[PartyList], date: Date) -> String {
    let doc = Document {
        results,
        provenance: ScreenProvenance {
            chipcheck_version: crate::VERSION,
            date_evaluated: date.to_string(),
            party_lists: lists.iter().map(ListProvenance::of).collect(),
        },
    };
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

fn match_lines(m: &Match, out: &mut String) {
    let alias = m
        .alias_matched
        .as_deref()
        .map(|a| format!(" (as {a})"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "  {} {}: {}{alias}, score {:.2}",
        m.status.name(),
        m.list.code(),
        m.listed_name,
        m.score
    );
    let _ = writeln!(out, "    list: {}", m.source);
    let _ = writeln!(out, "    why: {}", m.why);
    for n in &m.normalised {
        let _ = writeln!(out, "    normalised: {n}");
    }
    let _ = writeln!(
        out,
        "    entry {} (fingerprint {}), listed from {}, FR {}",
        m.entry_id,
        m.entry_fingerprint,
        m.start_date.as_deref().unwrap_or("(no start date)"),
        if m.federal_register_notice.is_empty() {
            "-"
        } else {
            &m.federal_register_notice
        }
    );
    if !m.license_requirement.is_empty() {
        let _ = writeln!(out, "    licence requirement: {}", m.license_requirement);
    }
    if !m.license_policy.is_empty() {
        let _ = writeln!(out, "    review policy: {}", m.license_policy);
    }
    if !m.programs.is_empty() {
        let _ = writeln!(out, "    programs: {}", m.programs.join(", "));
    }
    for a in &m.addresses {
        let _ = writeln!(out, "    address: {a}");
    }
    for n in &m.notes {
        let _ = writeln!(out, "    note: {n}");
    }
    if let Some(d) = &m.dismissed {
        let _ = writeln!(out, "    dismissed: {d}");
    }
}

pub fn table(results: &[Screening], lists: &[PartyList], date: Date) -> String {
    let mut out = String::new();
    for r in results {
        let country = r
            .country
            .as_deref()
            .map(|c| format!(" [{c}]"))
            .unwrap_or_default();
        let _ = writeln!(out, "{}{country}: {}", r.query, r.status.name());
        for m in &r.matches {
            match_lines(m, &mut out);
        }
        if r.more_matches > 0 {
            let _ = writeln!(out, "  ... and {} more entries", r.more_matches);
        }
        for n in &r.notes {
            let _ = writeln!(out, "  note: {n}");
        }
        out.push('\n');
    }
    let _ = writeln!(out, "Screened on {date} against:");
    for l in lists {
        let _ = writeln!(out, "  {}", ListProvenance::of(l).line());
    }
    out
}
