//! The query flags (`--to`, `--date`, `--end-user-hq`, `--fail-on`)
//! resolved into the values the library takes: dates and countries.

use super::args::Destinations;
use crate::country::{self, Country};
use crate::error::Error;
use jiff::civil::Date;

impl Destinations {
    /// Fills what the command line left out from the project file.
    pub fn with_defaults(mut self, config: &crate::config::Config) -> Self {
        if self.to.is_empty() {
            self.to = config.to.clone();
        }
        if self.date.is_none() {
            self.date = config.date.clone();
            // A gate pinned to a past date passes on old rules for ever:
            // said on every run that takes it.
            if let Some(date) = &self.date {
                eprintln!(
                    "warning: evaluating on {date}, the date {} pins ([defaults] date), not today; pass --date to answer for another",
                    config
                        .path
                        .as_ref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_else(|| crate::config::CONFIG_FILE.to_string())
                );
            }
        }
        if self.end_user_hq.is_none() {
            self.end_user_hq = config.end_user_hq.clone();
        }
        self
    }

    /// The verdicts that fail the gate: the flag, else the project file,
    /// else every restrictive or undecided verdict.
    pub fn fail_on(&self, config: &crate::config::Config) -> Vec<crate::verdict::Verdict> {
        if !self.fail_on.is_empty() {
            // `none` alone: nothing fails but unreadable input.
            return self
                .fail_on
                .iter()
                .filter_map(|f| f.fail_on())
                .map(crate::config::FailOn::verdict)
                .collect();
        }
        config
            .fail_on
            .clone()
            .unwrap_or_else(|| crate::verdict::DEFAULT_FAIL_ON.to_vec())
    }
}

/// A `--date`-style value, or `today` when it is absent.
pub fn parse_date(text: Option<&str>, today: Date) -> Result<Date, Error> {
    match text {
        None => Ok(today),
        Some(t) => {
            let bad = || {
                Error::Usage(format!(
                    "--date: `{t}` is not a date; write YYYY-MM-DD, e.g. 2024-01-15"
                ))
            };
            if t.len() != 10 {
                return Err(bad());
            }
            t.parse::<Date>().map_err(|_| bad())
        }
    }
}

/// `--to`: codes or names, each once, in the order given; `all` is every
/// country (to ask "where may this chip go?").
pub fn parse_destinations(list: &[String]) -> Result<Vec<&'static Country>, Error> {
    let mut out: Vec<&'static Country> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for item in list.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let found: Vec<&'static Country> = if item.eq_ignore_ascii_case("all") {
            country::all().collect()
        } else {
            vec![country::resolve(item).map_err(|e| Error::Usage(format!("--to: {e}")))?]
        };
        for c in found {
            if seen.insert(c.code) {
                out.push(c);
            }
        }
    }
    Ok(out)
}

pub fn parse_country(flag: &str, text: Option<&str>) -> Result<Option<&'static Country>, Error> {
    text.map(|t| country::resolve(t).map_err(|e| Error::Usage(format!("{flag}: {e}"))))
        .transpose()
}
