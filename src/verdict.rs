//! The answer for one chip and destination.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Controlled, and no encoded licence exception authorises the export.
    LicenseRequired,
    /// Controlled, but a licence exception (NAC, ACA) can authorise it,
    /// perhaps after notification.
    LicenseException,
    /// The answer depends on a figure the spec does not give.
    Indeterminate,
    NoLicenseRequired,
    /// Controlled, and covered by a licence (or NAC notification) on file in
    /// `chipcheck.toml`; does not fail the gate.
    Licensed,
    /// The input row could not be read (catalogue audits only).
    Error,
    /// A party is on a list that bars the export outright (Denied Persons,
    /// SDN): no licence on file may be assumed to cover it, and no
    /// `--fail-on` lets it pass.
    Prohibited,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::LicenseRequired => "license_required",
            Verdict::LicenseException => "license_exception",
            Verdict::Indeterminate => "indeterminate",
            Verdict::NoLicenseRequired => "no_license_required",
            Verdict::Licensed => "licensed",
            Verdict::Error => "error",
            Verdict::Prohibited => "prohibited",
        }
    }

    /// How restrictive, for picking the worst of several answers.
    pub fn severity(self) -> u8 {
        match self {
            Verdict::NoLicenseRequired => 0,
            Verdict::Licensed => 0,
            Verdict::Indeterminate => 1,
            Verdict::LicenseException => 2,
            Verdict::LicenseRequired => 3,
            Verdict::Prohibited => 4,
            Verdict::Error => 5,
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The documented exit statuses.
pub mod exit {
    /// Every result is `no_license_required` (or `licensed`).
    pub const CLEAR: i32 = 0;
    /// At least one `license_required` or `license_exception`.
    pub const RESTRICTED: i32 = 1;
    /// Usage error, unreadable or invalid input or rules.
    pub const ERROR: i32 = 2;
    /// At least one `indeterminate`, and nothing restricted.
    pub const INDETERMINATE: i32 = 3;
}

/// The verdicts that fail a gate unless `--fail-on` says otherwise.
pub const DEFAULT_FAIL_ON: [Verdict; 3] = [
    Verdict::LicenseRequired,
    Verdict::LicenseException,
    Verdict::Indeterminate,
];

/// The exit status for a set of verdicts (see [`exit`]), with every
/// verdict failing the gate.
pub fn exit_status<I: IntoIterator<Item = Verdict>>(verdicts: I) -> i32 {
    exit_status_failing_on(verdicts, &DEFAULT_FAIL_ON)
}

/// The exit status when only the verdicts in `fail_on` fail the gate. The
/// statuses keep their meaning: 1 restricted, 3 indeterminate, 2 error
/// (errors always fail).
pub fn exit_status_failing_on<I: IntoIterator<Item = Verdict>>(
    verdicts: I,
    fail_on: &[Verdict],
) -> i32 {
    let mut restricted = false;
    let mut indeterminate = false;
    let mut error = false;
    for v in verdicts {
        if !matches!(v, Verdict::Error | Verdict::Prohibited) && !fail_on.contains(&v) {
            continue;
        }
        match v {
            Verdict::LicenseRequired | Verdict::LicenseException | Verdict::Prohibited => {
                restricted = true
            }
            Verdict::Indeterminate => indeterminate = true,
            Verdict::Error => error = true,
            Verdict::NoLicenseRequired | Verdict::Licensed => {}
        }
    }
    if error {
        exit::ERROR
    } else if restricted {
        exit::RESTRICTED
    } else if indeterminate {
        exit::INDETERMINATE
    } else {
        exit::CLEAR
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_status_follows_the_documented_order() {
        use Verdict::*;
        assert_eq!(exit_status([]), 0);
        assert_eq!(exit_status([NoLicenseRequired]), 0);
        assert_eq!(exit_status([NoLicenseRequired, Indeterminate]), 3);
        assert_eq!(exit_status([Indeterminate, LicenseException]), 1);
        assert_eq!(exit_status([LicenseRequired, NoLicenseRequired]), 1);
        assert_eq!(exit_status([LicenseRequired, Error]), 2);
        assert_eq!(exit_status([Licensed]), 0);
        assert_eq!(
            exit_status_failing_on([LicenseException, Indeterminate], &[LicenseRequired]),
            0
        );
        assert_eq!(
            exit_status_failing_on([LicenseException, Indeterminate], &[Indeterminate]),
            3
        );
        assert_eq!(exit_status_failing_on([Error], &[]), 2);
        assert_eq!(exit_status_failing_on([Prohibited], &[]), 1);
    }
}
