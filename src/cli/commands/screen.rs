//! `chipcheck screen`: party names against the restricted-party lists the
//! user downloaded, one result per name. Also the list loading that
//! classify and audit share.

use super::super::args::{Format, Parties, PartyLists, ScreenArgs};
use super::super::query::{parse_country, parse_date};
use crate::config::Config;
use crate::error::Error;
use crate::parties::PartyCheck;
use crate::screening::{Party, Role};
use crate::screening::{PartyList, Screener, Settings, Status};
use jiff::civil::Date;
use std::io::Write;

/// Reads the lists given (else the project file's) into a screener for `date`.
pub fn screener(lists: &PartyLists, config: &Config, date: Date) -> Result<Screener, Error> {
    let files = if lists.party_lists.is_empty() {
        config.party_lists.clone()
    } else {
        lists.party_lists.clone()
    };
    let given = lists
        .party_list_date
        .as_deref()
        .map(|d| {
            parse_date(Some(d), date).map_err(|_| {
                Error::Usage(format!("--party-list-date: `{d}` is not a YYYY-MM-DD date"))
            })
        })
        .transpose()?;
    let mut read = Vec::new();
    for path in &files {
        let shown = path.display().to_string();
        let limit = crate::screening::list::MAX_LIST_BYTES;
        let bytes = crate::bounded::read_bounded(path, limit)
            .map_err(|source| Error::Io {
                path: shown.clone(),
                source,
            })?
            .ok_or_else(|| {
                crate::diagnostic::Diagnostic::new(
                    &shown,
                    format!("the party list is longer than the limit of {limit} bytes"),
                )
            })?;
        read.push(PartyList::parse(&shown, &bytes, given)?);
    }
    // A list missing a whole source (a truncated download, or one source
    // asked of the API) clears every name that source lists.
    if !read.is_empty() {
        let missing: Vec<&str> = crate::screening::list::SOURCES_REQUIRED
            .iter()
            .copied()
            .filter(|code| !read.iter().any(|l| l.per_list.contains_key(*code)))
            .collect();
        if !missing.is_empty() {
            return Err(crate::diagnostic::Diagnostic::new(
                &files.first().map(|p| p.display().to_string()).unwrap_or_default(),
                format!(
                    "the party list has no entries from {}: a partial list cannot clear a name",
                    missing.join(", ")
                ),
            )
            .help("download the whole Consolidated Screening List again (every source), or give the missing lists as further --party-list files")
            .into());
        }
    }
    let max_age_days = lists
        .party_list_max_age
        .or(config.party_list_max_age_days)
        .unwrap_or(crate::screening::DEFAULT_MAX_AGE_DAYS);
    if max_age_days < 0 {
        return Err(Error::Usage(
            "--party-list-max-age: give a number of days, 0 or more".into(),
        ));
    }
    Ok(Screener::new(
        read,
        config.screening_decisions.clone(),
        Settings { date, max_age_days },
    ))
}

/// The parties given on the command line, and the check that screens them
/// (and any a catalogue names) for classify and audit.
pub fn party_check(
    args: &Parties,
    config: &Config,
    rules: &crate::rules::RuleSet,
    date: Date,
) -> Result<(PartyCheck, Vec<Party>), Error> {
    let mut parties: Vec<Party> = Vec::new();
    for (role, flag, name) in [
        (Role::EndUser, "--end-user", &args.end_user),
        (Role::Consignee, "--consignee", &args.consignee),
        (Role::Purchaser, "--purchaser", &args.purchaser),
    ] {
        let Some(name) = name.as_deref() else {
            continue;
        };
        // An empty name (an unset shell variable) or a placeholder (`TBD`,
        // `N/A`) would screen no one and pass: refused, not taken as a party.
        if name.trim().is_empty() {
            return Err(Error::Usage(format!(
                "{flag} is empty; give the party's name, or leave the flag out if there is no such party"
            )));
        }
        if crate::catalogue::cells::is_placeholder(name) {
            return Err(Error::Usage(format!(
                "{flag} `{}` names no party; give the party's name once it is known",
                name.trim()
            )));
        }
        parties.push(Party {
            role,
            name: name.trim().to_string(),
            known: true,
        });
    }
    let screener = screener(&args.lists, config, date)?;
    let check = PartyCheck::new(
        screener,
        args.ownership_checked,
        config.ownership_checks.clone(),
        rules,
    );
    Ok((check, parties))
}

pub fn run(
    config: &Config,
    args: ScreenArgs,
    today: Date,
    out: &mut dyn Write,
) -> Result<i32, Error> {
    let date = parse_date(args.date.as_deref(), today)?;
    let country = parse_country("--country", args.country.as_deref())?.map(|c| c.code);
    let mut screener = screener(&args.lists, config, date)?;
    if screener.lists().is_empty() {
        return Err(Error::Usage(
            "give a restricted-party list with --party-list FILE (the Consolidated Screening List, CSV, TSV or JSON), or `party_lists` in chipcheck.toml".into(),
        ));
    }
    let results: Vec<_> = args
        .names
        .iter()
        .map(|n| screener.screen(n, country))
        .collect();
    let text = match args.format {
        Format::Table => crate::report::screening::table(&results, screener.lists(), date),
        Format::Json => crate::report::screening::json(&results, screener.lists(), date),
    };
    super::super::write_out(out, &text)?;
    Ok(exit_status(results.iter().map(|r| r.status)))
}

/// 1 for a match, 3 for a possible match or an undecided name, else 0.
fn exit_status(statuses: impl Iterator<Item = Status>) -> i32 {
    match statuses.min() {
        Some(Status::Match) => crate::verdict::exit::RESTRICTED,
        Some(Status::PossibleMatch | Status::Indeterminate) => crate::verdict::exit::INDETERMINATE,
        _ => crate::verdict::exit::CLEAR,
    }
}
