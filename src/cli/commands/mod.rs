//! One file per subcommand: each takes resolved values and a writer, and
//! returns an exit status.

pub mod audit;
pub mod chips;
pub mod classify;
pub mod diff;
pub mod generate;
pub mod init;
pub mod rules;
pub mod screen;
pub mod timeline;

use crate::error::Error;
use crate::library;
use crate::spec::ChipSpec;
use std::path::Path;

/// A spec file if the path exists (or ends in .toml), else a library name;
/// with the file read, for the audit trail (a library chip is no file).
pub(crate) fn chip_or_spec(
    text: &str,
) -> Result<(ChipSpec, String, Option<crate::input::InputFile>), Error> {
    let path = Path::new(text);
    if path.exists() || text.ends_with(".toml") {
        let (spec, file) = crate::input::read_spec(path)?;
        Ok((spec, text.to_string(), Some(file)))
    } else {
        Ok((library::chip(text)?.clone(), "library".to_string(), None))
    }
}

/// The provenance of a timeline or diff: the rules, the rule versions the
/// answers rest on, the dates compared, the files read with the SHA-256 of
/// the bytes read, and the project file.
pub fn provenance_of(
    rules: &crate::rules::RuleSet,
    config: &crate::config::Config,
    (rule_versions, dates): (
        std::collections::BTreeSet<String>,
        std::collections::BTreeSet<String>,
    ),
    inputs: Vec<crate::input::InputFile>,
) -> crate::report::Provenance {
    crate::report::Provenance {
        project_file: config.input_file(),
        ..crate::report::Provenance::of(rules, rule_versions, dates, inputs)
    }
}

/// The files a run reads besides its specs or catalogue (the project file,
/// the party lists): a report is never written over them either (an
/// `--output csv=list.csv` replaced the party list with the report).
pub fn read_beside<'a>(
    config: &'a crate::config::Config,
    parties: &'a crate::cli::args::Parties,
) -> impl Iterator<Item = &'a Path> {
    config
        .path
        .iter()
        .chain(&parties.lists.party_lists)
        .chain(&config.party_lists)
        .map(std::path::PathBuf::as_path)
}
