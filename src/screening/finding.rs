//! The parties to a shipment and what screening found for each, as a
//! result (`engine::Outcome`) records them.

use super::{Match, Status};
use serde::{Deserialize, Serialize};

/// A party's part in the shipment (15 CFR 748.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    EndUser,
    Consignee,
    Purchaser,
}

impl Role {
    pub fn words(self) -> &'static str {
        match self {
            Role::EndUser => "end user",
            Role::Consignee => "consignee",
            Role::Purchaser => "purchaser",
        }
    }

    /// As a column or flag names it (`end_user`).
    pub fn key(self) -> &'static str {
        match self {
            Role::EndUser => "end_user",
            Role::Consignee => "consignee",
            Role::Purchaser => "purchaser",
        }
    }
}

/// A party to a shipment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Party {
    pub role: Role,
    pub name: String,
    /// False when what was given says only that the party is not known (a
    /// catalogue cell of `TBD`, `N/A`, `?`): it cannot be screened, so it
    /// clears nothing.
    pub known: bool,
}

/// A listed entry a party matched, as a result records it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PartyHit {
    pub status: Status,
    pub list: String,
    pub listed_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias_matched: Option<String>,
    pub entry_id: String,
    pub entry_fingerprint: String,
    pub score: f64,
    pub why: String,
    pub federal_register_notice: String,
    pub start_date: Option<String>,
    pub license_requirement: String,
    pub license_policy: String,
}

/// What screening a party found, and what it did to the result.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PartyFinding {
    pub role: Role,
    pub name: String,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<PartyHit>,
    /// A listed party makes the licence requirement (Entity List, MEU): a
    /// licence on file covers the result only if it names this party.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub requires_licence: bool,
    pub effect: String,
}

impl PartyHit {
    /// A match as a result records it.
    pub fn of(m: &Match) -> PartyHit {
        PartyHit {
            status: m.status,
            list: m.list.code().to_string(),
            listed_name: m.listed_name.clone(),
            alias_matched: m.alias_matched.clone(),
            entry_id: m.entry_id.clone(),
            entry_fingerprint: m.entry_fingerprint.clone(),
            score: m.score,
            why: m.why.clone(),
            federal_register_notice: m.federal_register_notice.clone(),
            start_date: m.start_date.clone(),
            license_requirement: m.license_requirement.clone(),
            license_policy: m.license_policy.clone(),
        }
    }
}

/// A party whose owners were checked against the lists, as recorded in the
/// project file (the Entity List affiliates rule reaches firms 50% or more
/// owned by listed ones).
#[derive(Debug, Clone)]
pub struct OwnershipCheck {
    pub party: String,
    pub by: String,
    pub on: jiff::civil::Date,
    pub note: String,
}
