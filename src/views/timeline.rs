//! One chip's answers over time, as JSON and as lines for people.

use super::history::TimelineEntry;
use crate::country::Country;
use crate::report::Provenance;
use jiff::civil::Date;

/// What a timeline was asked for.
pub struct Asked<'a> {
    /// The spec's name, as JSON gives it.
    pub name: &'a str,
    /// The name shown to people (with the vendor).
    pub chip: &'a str,
    pub destination: Option<&'static Country>,
    pub hq: Option<&'static Country>,
    pub from: Date,
    pub until: Date,
}

pub fn json(provenance: &Provenance, asked: &Asked<'_>, entries: &[TimelineEntry]) -> String {
    serde_json::to_string_pretty(&serde_json::json!({
        "chip": asked.name,
        "destination": asked.destination.map(|d| d.code),
        "end_user_hq": asked.hq.map(|h| h.code),
        "from": asked.from.to_string(),
        "until": asked.until.to_string(),
        "timeline": entries,
        "provenance": provenance,
    }))
    .unwrap_or_default()
}

/// A line per change, then what changed beneath it.
pub fn text(asked: &Asked<'_>, entries: &[TimelineEntry]) -> String {
    let mut s = format!(
        "{} -> {}, {} to {}\n\n",
        asked.chip,
        asked
            .destination
            .map(|d| format!("{} ({})", d.code, d.name))
            .unwrap_or_else(|| "every destination".into()),
        asked.from,
        asked.until
    );
    for e in entries {
        entry(&mut s, e);
    }
    // Names and notes come from inputs: nothing may reach the terminal as
    // an escape sequence.
    crate::report::cells::terminal_safe(&s).into_owned()
}

fn entry(s: &mut String, e: &TimelineEntry) {
    let policy = e
        .review_policy
        .map(|p| format!(", {}", p.words()))
        .unwrap_or_default();
    let exc = if e.exceptions.is_empty() {
        String::new()
    } else {
        format!(", License Exception {}", e.exceptions.join("/"))
    };
    let paras = if e.paragraphs.is_empty() {
        String::new()
    } else {
        format!(" [{}]", e.paragraphs.join(", "))
    };
    s.push_str(&format!("{}  {}{policy}{exc}{paras}\n", e.date, e.verdict));
    if let Some(d) = &e.license_destinations {
        s.push_str(&format!(
            "            licence destinations: {}\n",
            if d.is_empty() {
                "none".to_string()
            } else {
                d.join(" ")
            }
        ));
    }
    for c in &e.changes {
        s.push_str(&format!("            {c}\n"));
    }
}
