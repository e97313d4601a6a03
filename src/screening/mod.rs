//! Screening the parties to a shipment against the Consolidated Screening
//! List, offline: the list as the user downloaded it (see [`list`]), every
//! name and alias normalised once and indexed ([`index`]), and each query
//! answered `match`, `possible_match` or `no_match`, with the reason, or
//! `indeterminate` when the list is too old to clear anyone.
//!
//! A name screen can show that a name is listed; it cannot show that a party
//! is not restricted. So a `no_match` is only as good as the list's date,
//! and says so.

pub mod decision;
pub mod finding;
pub mod index;
pub mod list;
pub mod normalise;
pub mod score;

pub use decision::Decision;
pub use finding::{OwnershipCheck, Party, PartyFinding, PartyHit, Role};
pub use list::{DateSource, Entry, ListKind, ListProvenance, PartyList};

use index::Index;
use jiff::civil::Date;
use normalise::party_name;
use serde::Serialize;
use std::collections::HashMap;

/// The answer for one name.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize, PartialOrd, Ord, Hash,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Equal to a listed name or alias after normalisation.
    Match,
    /// Near a listed name or alias; a person must decide.
    PossibleMatch,
    /// The lists cannot clear it (too old, or none given).
    Indeterminate,
    NoMatch,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Match => "match",
            Status::PossibleMatch => "possible_match",
            Status::Indeterminate => "indeterminate",
            Status::NoMatch => "no_match",
        }
    }
}

/// How many entries a result lists; the count is always given.
pub const MAX_MATCHES: usize = 10;

/// Lists older than this (in days) at the date evaluated cannot clear a party.
pub const DEFAULT_MAX_AGE_DAYS: i64 = 30;

/// One listed entry a query matched or nearly matched.
#[derive(Clone, Debug, Serialize)]
pub struct Match {
    pub status: Status,
    pub listed_name: String,
    /// The alias that matched, when it was not the entry's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias_matched: Option<String>,
    /// The list's code (`EL`, `MEU`, `DPL`, `UVL`, `SDN`, `other`).
    pub list: ListKind,
    /// The `source` label as published.
    pub source: String,
    pub entry_id: String,
    /// What a screening decision must name to dismiss this entry.
    pub entry_fingerprint: String,
    pub score: f64,
    pub why: String,
    /// What the normaliser changed in the query or the listed name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub normalised: Vec<String>,
    pub addresses: Vec<String>,
    pub countries: Vec<String>,
    pub federal_register_notice: String,
    pub start_date: Option<String>,
    pub license_requirement: String,
    pub license_policy: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub programs: Vec<String>,
    /// The list file the entry is in.
    pub list_file: String,
    /// Something about the entry's dates or country worth knowing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The screening decision that dismissed it, when one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dismissed: Option<String>,
}

/// The result for one name.
#[derive(Clone, Debug, Serialize)]
pub struct Screening {
    pub query: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    pub status: Status,
    pub matches: Vec<Match>,
    /// Entries matched beyond [`MAX_MATCHES`].
    #[serde(skip_serializing_if = "is_zero")]
    pub more_matches: usize,
    pub notes: Vec<String>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Screening {
    /// The matches no decision dismissed.
    pub fn live(&self) -> impl Iterator<Item = &Match> {
        self.matches.iter().filter(|m| m.dismissed.is_none())
    }
}

/// A Latin letter (with accents, or full-width), as the lists write names.
fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c, '\u{00AA}' | '\u{00BA}' | '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}')
            && c != '\u{00D7}'
            && c != '\u{00F7}'
}

/// The query read again where a word of letters holds a digit or a mark
/// that stands for a letter (`N0rdic`, `Nord!c`, `Kronsht@dt`, `Su9on`,
/// full-width `N０rdic`), each read as the letter it looks like (`1` and `|`
/// once as `i`, once as `l`); and with a lone letter joined to the word
/// before it (`Nord c`, a mark read as a space). Empty when no word is
/// written so.
fn look_alike_readings(query: &str) -> Vec<String> {
    use unicode_normalization::UnicodeNormalization;
    let query: String = query.nfkc().collect();
    let stands_in = |c: char| c.is_ascii_digit() || "!@|$".contains(c);
    let mixes = |w: &str| w.chars().any(stands_in) && w.chars().any(char::is_alphabetic);
    let words: Vec<&str> = query.split_whitespace().collect();
    let mut out = Vec::new();
    if words.iter().any(|w| mixes(w)) {
        for one in ['i', 'l'] {
            let read: Vec<String> = words
                .iter()
                .map(|w| {
                    if !mixes(w) {
                        return w.to_string();
                    }
                    w.chars()
                        .map(|c| match c {
                            '0' => 'o',
                            '1' | '|' => one,
                            '!' => 'i',
                            '2' => 'z',
                            '3' => 'e',
                            '4' | '@' => 'a',
                            '5' | '$' => 's',
                            '6' | '9' => 'g',
                            '7' => 't',
                            '8' => 'b',
                            other => other,
                        })
                        .collect()
                })
                .collect();
            out.push(read.join(" "));
        }
    }
    let lone = |w: &str| w.chars().count() == 1 && w.chars().all(char::is_alphabetic);
    if words.len() > 2 && words.iter().skip(1).any(|w| lone(w)) {
        let mut joined: Vec<String> = Vec::new();
        for w in &words {
            match joined.last_mut() {
                Some(last) if lone(w) => last.push_str(w),
                _ => joined.push((*w).to_string()),
            }
        }
        out.push(joined.join(" "));
    }
    out.dedup();
    out.retain(|v| *v != query);
    out
}

/// What the screener is asked about: a date, and how old a list may be.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub date: Date,
    pub max_age_days: i64,
}

/// The lists, indexed, and every name screened so far.
pub struct Screener {
    lists: Vec<PartyList>,
    index: Index,
    decisions: Vec<Decision>,
    settings: Settings,
    cache: HashMap<(String, Option<String>), Screening>,
}

impl Screener {
    pub fn new(lists: Vec<PartyList>, decisions: Vec<Decision>, settings: Settings) -> Screener {
        let mut index = Index::default();
        for (l, list) in lists.iter().enumerate() {
            for (e, entry) in list.entries.iter().enumerate() {
                for (a, name) in entry.names().enumerate() {
                    index.add(l, e, a.checked_sub(1), name);
                }
            }
        }
        Screener {
            lists,
            index,
            decisions,
            settings,
            cache: HashMap::new(),
        }
    }

    pub fn lists(&self) -> &[PartyList] {
        &self.lists
    }

    pub fn settings(&self) -> Settings {
        self.settings
    }

    /// Screens one name (each distinct name and country once per run).
    pub fn screen(&mut self, query: &str, country: Option<&str>) -> Screening {
        let key = (query.trim().to_string(), country.map(str::to_string));
        if let Some(done) = self.cache.get(&key) {
            return done.clone();
        }
        let result = self.screen_afresh(query.trim(), country);
        self.cache.insert(key, result.clone());
        result
    }

    fn screen_afresh(&self, query: &str, country: Option<&str>) -> Screening {
        let name = party_name(query);
        let mut found = self.found(&name, country);
        // A digit or mark written for a letter (`N0rdic`, `Nord!c`) hides a
        // listed name from a word that must then match exactly: the name is
        // read again with them as the letters they look like, and what that
        // finds is at most a possible match.
        if !found.iter().any(|m| m.status == Status::Match) {
            for variant in look_alike_readings(query) {
                for mut m in self.found(&party_name(&variant), country) {
                    if found.iter().any(|f| f.entry_id == m.entry_id) {
                        continue;
                    }
                    m.status = m.status.max(Status::PossibleMatch);
                    m.why = format!(
                        "read with the characters that stand for letters as those letters (`{variant}`): {}",
                        m.why
                    );
                    found.push(m);
                }
            }
        }
        let more = found.len().saturating_sub(MAX_MATCHES);
        found.truncate(MAX_MATCHES);
        let mut notes = Vec::new();
        decision::apply(
            &self.decisions,
            query,
            self.settings.date,
            &mut found,
            &mut notes,
        );
        let mut result = Screening {
            query: query.to_string(),
            country: country.map(str::to_string),
            status: Status::NoMatch,
            matches: found,
            more_matches: more,
            notes,
        };
        result.status = result
            .live()
            .map(|m| m.status)
            .min()
            .unwrap_or(Status::NoMatch);
        // `TBC`, `N/A`, `[TBD]`: no name, so nothing to clear.
        if result.status == Status::NoMatch && crate::library::is_placeholder(query) {
            result.status = Status::Indeterminate;
            result.notes.push(
                "it says only that the party is not known: it cannot be cleared; give the party's name".into(),
            );
        }
        // The lists are written in Latin letters: a name (or a word of it)
        // in another script is compared with nothing, so it clears nothing
        // (`华为技术有限公司` is Huawei).
        if result.status == Status::NoMatch
            && query.chars().any(|c| c.is_alphabetic() && !is_latin(c))
        {
            result.status = Status::Indeterminate;
            result.notes.push(
                "the name is written (in whole or in part) in a script other than Latin letters, which the lists use: it cannot be cleared by name; give the name as registered in Latin letters".into(),
            );
        }
        if !name.is_distinctive() && result.status == Status::NoMatch {
            result.status = Status::Indeterminate;
            result.notes.push(
                "the name has no distinctive word (only common words, places and legal forms): it cannot be cleared by name; give the party's registered name".into(),
            );
        }
        self.date_notes(&mut result);
        result
    }

    /// Every entry matched or nearly matched, best first, one name per entry.
    fn found(&self, name: &normalise::PartyName, country: Option<&str>) -> Vec<Match> {
        let mut best: HashMap<(usize, usize), (Status, f64, Match)> = HashMap::new();
        let exact = self.index.exact(name);
        for &id in exact {
            let (status, but) = if name.can_match() {
                (Status::Match, "")
            } else {
                (
                    Status::PossibleMatch,
                    "; but it is one common word, which alone never makes a match",
                )
            };
            let why = format!("equal to the listed name after normalisation (case, punctuation, spacing, accents, legal forms){but}");
            self.keep(&mut best, id, status, 1.0, why, name, country);
        }
        for id in self.index.candidates(name) {
            if exact.contains(&id) {
                continue;
            }
            let Some(listed) = self.index.names.get(id as usize) else {
                continue;
            };
            let a = score::align(name, &listed.name);
            if a.is_near(&listed.name) {
                let why = if a.score < score::POSSIBLE_MATCH_THRESHOLD {
                    format!(
                        "holds the whole listed name, and more (words added do not clear a listed party): {}",
                        a.explain()
                    )
                } else {
                    format!("near the listed name: {}", a.explain())
                };
                self.keep(
                    &mut best,
                    id,
                    Status::PossibleMatch,
                    a.score,
                    why,
                    name,
                    country,
                );
            }
        }
        let mut out: Vec<(Status, f64, Match)> = best.into_values().collect();
        out.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(a.2.list.cmp(&b.2.list))
                .then(b.1.total_cmp(&a.1))
                .then(a.2.entry_id.cmp(&b.2.entry_id))
        });
        out.into_iter().map(|(_, _, m)| m).collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn keep(
        &self,
        best: &mut HashMap<(usize, usize), (Status, f64, Match)>,
        id: u32,
        status: Status,
        score: f64,
        why: String,
        query: &normalise::PartyName,
        country: Option<&str>,
    ) {
        let Some(listed) = self.index.names.get(id as usize) else {
            return;
        };
        let key = (listed.list, listed.entry);
        if best
            .get(&key)
            .is_some_and(|(s, sc, _)| (*s, -*sc) <= (status, -score))
        {
            return;
        }
        let Some(list) = self.lists.get(listed.list) else {
            return;
        };
        let Some(entry) = list.entries.get(listed.entry) else {
            return;
        };
        let mut normalised = query.normalised.clone();
        normalised.extend(
            listed
                .name
                .normalised
                .iter()
                .map(|n| format!("listed: {n}")),
        );
        let m = Match {
            status,
            listed_name: entry.name.clone(),
            alias_matched: listed.alias.map(|_| listed.written.clone()),
            list: entry.kind,
            source: entry.source.clone(),
            entry_id: entry.id.clone(),
            entry_fingerprint: entry.fingerprint.clone(),
            score: (score * 100.0).round() / 100.0,
            why,
            normalised,
            addresses: entry.addresses.clone(),
            countries: entry.countries(),
            federal_register_notice: entry.federal_register_notice.clone(),
            start_date: entry.start_date.clone(),
            license_requirement: entry.license_requirement.clone(),
            license_policy: entry.license_policy.clone(),
            programs: entry.programs.clone(),
            list_file: list.path.clone(),
            notes: self.entry_notes(entry, country),
            dismissed: None,
        };
        best.insert(key, (status, score, m));
    }

    fn entry_notes(&self, entry: &Entry, country: Option<&str>) -> Vec<String> {
        let mut notes = Vec::new();
        let start = entry
            .start_date
            .as_deref()
            .and_then(|d| d.get(..10)?.parse::<Date>().ok());
        match start {
            Some(s) if s > self.settings.date => notes.push(format!(
                "listed from {s} per the list, after the date evaluated ({}); the list's start date can differ from the legal effective date: check the Federal Register notice",
                self.settings.date
            )),
            None if entry.kind == ListKind::EntityList => notes.push(
                "the entry has no start date: when its listing took effect is not known".into(),
            ),
            _ => {}
        }
        let countries = entry.countries();
        if let Some(c) = country {
            if !countries.is_empty() && !countries.iter().any(|e| e.eq_ignore_ascii_case(c)) {
                notes.push(format!(
                    "its addresses are in {}, not {c}; a listed party can act through an address anywhere, so the country does not clear it",
                    countries.join(", ")
                ));
            }
        }
        notes
    }

    /// A list too old (or of unknown age) cannot clear a name; a past date
    /// cannot see entries removed since.
    fn date_notes(&self, result: &mut Screening) {
        let date = self.settings.date;
        if self.lists.is_empty() {
            result
                .notes
                .push("no party list was given: the name was not screened".into());
            if result.status == Status::NoMatch {
                result.status = Status::Indeterminate;
            }
            return;
        }
        for list in &self.lists {
            if let Some(why) = stale(list, date, self.settings.max_age_days) {
                result.notes.push(why);
                if result.status == Status::NoMatch {
                    result.status = Status::Indeterminate;
                }
            }
            if list.date().is_some_and(|d| date < d) {
                result.notes.push(format!(
                    "{} holds only the entries active on {}; a party listed on {date} and removed since would not show",
                    list.path,
                    list.date.as_deref().unwrap_or("its date")
                ));
            }
        }
    }
}

/// Why a list cannot clear a party on `date`, if it cannot.
pub fn stale(list: &PartyList, date: Date, max_age_days: i64) -> Option<String> {
    let Some(listed) = list.date() else {
        return Some(format!(
            "{} has no date (give --party-list-date): its age is unknown, so it cannot clear a party",
            list.path
        ));
    };
    let age = listed.until(date).ok()?.get_days();
    let from = match list.date_from {
        DateSource::Given => "as given",
        DateSource::SourcesUsed => "from its sources_used",
        DateSource::NewestStartDate => "from its newest start_date",
        DateSource::Unknown => "",
    };
    (i64::from(age) > max_age_days).then(|| {
        format!(
            "{} is dated {listed} ({from}), {age} days before {date}; a list more than {max_age_days} days old cannot clear a party",
            list.path
        )
    })
}
