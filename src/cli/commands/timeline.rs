//! `chipcheck timeline`: every date the answer for one chip changed.

use super::super::args::{Format, TimelineArgs};
use super::super::query::{parse_country, parse_date};
use super::super::write_out;
use super::chip_or_spec;
use crate::engine::Subject;
use crate::error::Error;
use crate::library::resolve_contained;
use crate::rules::RuleSet;
use jiff::civil::Date;
use std::io::Write;

pub fn run(
    rules: &RuleSet,
    args: TimelineArgs,
    today: Date,
    out: &mut dyn Write,
) -> Result<i32, Error> {
    let (spec, input) = chip_or_spec(&args.chip)?;
    let dest = parse_country("--to", args.to.as_deref())?;
    let hq = parse_country("--end-user-hq", args.end_user_hq.as_deref())?;
    let from = match args.from.as_deref() {
        Some(text) => parse_date(Some(text), today)?,
        None => crate::history::history_start(rules).ok_or_else(|| {
            Error::Usage("the rule set has no versions to start a timeline from".into())
        })?,
    };
    let until = parse_date(args.until.as_deref(), today)?;
    if until < from {
        return Err(Error::Usage(format!(
            "--until {until} is before --from {from}"
        )));
    }
    let subject = Subject {
        spec: &spec,
        input,
        contained: resolve_contained(&spec)?,
    };
    let entries = crate::history::timeline(rules, &subject, dest, hq, from, until);
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&serde_json::json!({
            "chip": spec.name,
            "destination": dest.map(|d| d.code),
            "end_user_hq": hq.map(|h| h.code),
            "from": from.to_string(),
            "until": until.to_string(),
            "timeline": entries,
            "provenance": crate::report::Provenance::new(rules, &[]),
        }))
        .unwrap_or_default(),
        Format::Table => {
            let mut s = format!(
                "{} -> {}, {from} to {until}\n\n",
                spec.display_name(),
                dest.map(|d| format!("{} ({})", d.code, d.name))
                    .unwrap_or_else(|| "every destination".into())
            );
            for e in &entries {
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
            // Names and notes come from inputs: nothing may reach the
            // terminal as an escape sequence.
            crate::report::cells::terminal_safe(&s).into_owned()
        }
    };
    write_out(out, &text)?;
    Ok(0)
}
