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
    config: &crate::config::Config,
    args: TimelineArgs,
    today: Date,
    out: &mut dyn Write,
) -> Result<i32, Error> {
    let (spec, input, file) = chip_or_spec(&args.chip)?;
    // The project file's defaults, as `classify` reads them: its end user's
    // headquarters (a timeline without it cleared what classify did not),
    // and its destination when it names one.
    let to = args.to.clone().or(match config.to.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    });
    let dest = parse_country("--to", to.as_deref())?;
    let hq_text = args
        .end_user_hq
        .clone()
        .or_else(|| config.end_user_hq.clone());
    let hq = parse_country("--end-user-hq", hq_text.as_deref())?;
    let from = match args.from.as_deref() {
        Some(text) => parse_date(Some(text), today)?,
        None => crate::views::history::history_start(rules).ok_or_else(|| {
            Error::Usage("the rule set has no versions to start a timeline from".into())
        })?,
    };
    let until = parse_date(args.until.as_deref(), today)?;
    if until < from {
        return Err(Error::Usage(format!(
            "--until {until} is before --from {from}"
        )));
    }
    let subject = Subject::new(&spec, input.clone(), resolve_contained(&spec)?);
    let entries = crate::views::history::timeline(rules, &subject, dest, hq, from, until);
    let asked = crate::views::timeline::Asked {
        name: &spec.name,
        chip: &spec.display_name(),
        destination: dest,
        hq,
        from,
        until,
    };
    let text = match args.format {
        Format::Json => {
            let versions = entries.iter().flat_map(|e| e.basis.iter().cloned());
            let dates = entries.iter().map(|e| e.date.clone());
            let provenance = super::provenance_of(
                rules,
                config,
                (versions.collect(), dates.collect()),
                file.into_iter().collect(),
            );
            crate::views::timeline::json(&provenance, &asked, &entries)
        }
        Format::Table => crate::views::timeline::text(&asked, &entries),
    };
    write_out(out, &text)?;
    Ok(0)
}
