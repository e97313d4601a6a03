//! `chipcheck diff`: the chips whose answer differs between two dates.

use super::super::args::{DiffArgs, Format};
use super::super::query::{parse_country, parse_date, parse_destinations};
use super::super::write_out;
use crate::engine::Subject;
use crate::error::Error;
use crate::input::read_spec;
use crate::library::{self, chip as library_chip, resolve_contained};
use crate::rules::RuleSet;
use crate::spec::ChipSpec;
use jiff::civil::Date;
use std::io::Write;

pub fn run(
    rules: &RuleSet,
    config: &crate::config::Config,
    args: DiffArgs,
    today: Date,
    out: &mut dyn Write,
) -> Result<i32, Error> {
    let from = parse_date(Some(&args.from), today)?;
    let until = parse_date(args.until.as_deref(), today)?;
    if from > until {
        return Err(Error::Usage(format!(
            "--from {from} is after --until {until}; give the earlier date as --from"
        )));
    }
    // The project file's destinations and headquarters, as `classify`
    // reads them.
    let to = if args.to.is_empty() {
        config.to.clone()
    } else {
        args.to.clone()
    };
    let dests = parse_destinations(&to)?;
    let hq_text = args
        .end_user_hq
        .clone()
        .or_else(|| config.end_user_hq.clone());
    let hq = parse_country("--end-user-hq", hq_text.as_deref())?;
    let mut specs: Vec<(ChipSpec, String)> = Vec::new();
    let mut catalogues = Vec::new();
    // The files read, each hashed as it is read (for the provenance).
    let mut files: Vec<crate::input::InputFile> = Vec::new();
    for p in &args.specs {
        if p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        {
            catalogues.push(p.clone());
        } else {
            let (spec, file) = read_spec(p)?;
            files.push(file);
            specs.push((spec, p.display().to_string()));
        }
    }
    for name in &args.chips {
        specs.push((library_chip(name)?.clone(), "library".into()));
    }
    if args.library {
        for c in library::chips().map_err(|d| Error::Input(Box::new(d.clone())))? {
            specs.push((c.spec.clone(), "library".into()));
        }
    }
    if specs.is_empty() && catalogues.is_empty() {
        return Err(Error::Usage(
            "give spec sheets, a catalogue CSV, --chip NAME or --library".into(),
        ));
    }
    let mut entries = Vec::new();
    let mut compared = specs.len();
    let mut unread = false;
    for catalogue in &catalogues {
        let (found, file) = catalogue_changes(rules, catalogue, &dests, hq, from, until)?;
        files.push(file);
        compared = compared.saturating_add(found.compared);
        entries.extend(found.changed);
        let unreadable = found.unreadable;
        if !unreadable.is_empty() {
            unread = true;
            // Each row as `audit` names it: file, line and why, so the
            // catalogue can be mended without another run.
            for (line, why) in unreadable.iter().take(20) {
                eprintln!(
                    "error: {}:{line}: {}; the row is not compared",
                    catalogue.display(),
                    crate::report::cells::printable(why)
                );
            }
            if unreadable.len() > 20 {
                eprintln!(
                    "error: {}: {} more rows could not be read",
                    catalogue.display(),
                    unreadable.len().saturating_sub(20)
                );
            }
        }
    }
    for (spec, input) in &specs {
        let subject = Subject::new(spec, input.clone(), resolve_contained(spec)?);
        entries.extend(crate::views::history::diff(
            rules, &subject, &dests, hq, from, until,
        ));
    }
    let text = match args.format {
        Format::Json => {
            let versions = entries
                .iter()
                .flat_map(|e| e.from.basis.iter().chain(&e.until.basis).cloned());
            let dates = [from.to_string(), until.to_string()];
            let provenance = super::provenance_of(
                rules,
                config,
                (versions.collect(), dates.into_iter().collect()),
                files,
            );
            crate::views::diff::json(&provenance, from, until, &entries, compared)
        }
        Format::Table => crate::views::diff::text(from, until, &entries, compared),
    };
    write_out(out, &text)?;
    // Rows left uncompared: the diff is not whole, so it does not pass.
    Ok(if unread {
        crate::verdict::exit::ERROR
    } else {
        0
    })
}

/// The rows of one catalogue whose answer changed between the two dates,
/// and the number of results compared (one read, through the library),
/// with the SHA-256 of the bytes read.
fn catalogue_changes(
    rules: &RuleSet,
    catalogue: &std::path::Path,
    destinations: &[&'static crate::country::Country],
    hq: Option<&'static crate::country::Country>,
    from: Date,
    until: Date,
) -> Result<
    (
        crate::views::history::CatalogueDiff,
        crate::input::InputFile,
    ),
    Error,
> {
    let name = catalogue.display().to_string();
    let gate = crate::report::Gate::default();
    let request = crate::catalogue::Request {
        rules,
        date: from,
        destinations,
        hq,
        gate: &gate,
        mappings: &[],
        input: &Default::default(),
        name: &name,
        full_report: &[],
        party_check: None,
        parties: &[],
        party_lists: &[],
    };
    let input = std::fs::File::open(catalogue).map_err(|source| Error::Io {
        path: name.clone(),
        source,
    })?;
    let (input, hasher) = crate::report::provenance::HashingReader::new(input);
    let found = crate::views::history::diff_catalogue(&request, input, until)?;
    let file = crate::input::InputFile {
        path: name.clone(),
        sha256: hasher.digest(),
    };
    Ok((found, file))
}
