//! Rules as data: versioned TOML files under `rules/`, compiled into the
//! binary or loaded from a directory with `--rules`.

pub mod check;
mod file;
pub mod groups;
pub mod parties;
mod set;
pub mod version;

pub use groups::CountryGroups;
pub use set::{RuleSet, RulesError, GROUPS_FILE};
pub use version::{
    covers, AppliesTo, Eligible, Evidence, Exception, Exclusion, Notification, Paragraph, Place,
    Policy, Requirement, ReviewPolicy, RuleKind, RuleVersion, Systems, Test,
};
