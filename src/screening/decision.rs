//! Screening decisions on file: a person reviewed a match and recorded in
//! `chipcheck.toml` that the party is not the listed one. Like a licence, a
//! decision says who, when, why and until when; it names the list entry by
//! id and fingerprint, and is void once the entry has changed.

use super::normalise::party_name;
use super::Match;
use jiff::civil::Date;

/// One `[[screening_decision]]` of the project file.
#[derive(Clone, Debug)]
pub struct Decision {
    /// The party name as screened.
    pub query: String,
    /// The list entry's id (`_id` / `id`).
    pub entry: String,
    /// The entry's fingerprint when the decision was taken (shown by
    /// `chipcheck screen`).
    pub entry_fingerprint: String,
    /// Always `not_the_same_party`.
    pub decision: String,
    pub by: String,
    pub on: Date,
    pub why: String,
    pub expires: Date,
}

impl Decision {
    fn about(&self, query: &str, m: &Match) -> bool {
        self.entry == m.entry_id && party_name(&self.query).key == party_name(query).key
    }
}

/// Dismisses the matches a valid decision covers; says why any decision
/// about them does not.
pub fn apply(
    decisions: &[Decision],
    query: &str,
    date: Date,
    matches: &mut [Match],
    notes: &mut Vec<String>,
) {
    for m in matches.iter_mut() {
        let about: Vec<&Decision> = decisions.iter().filter(|d| d.about(query, m)).collect();
        for d in about {
            let void = if d.entry_fingerprint != m.entry_fingerprint {
                Some(format!(
                    "the entry has changed since (fingerprint {} on file, {} now): review it again",
                    d.entry_fingerprint, m.entry_fingerprint
                ))
            } else if date > d.expires {
                Some(format!("it expired on {}", d.expires))
            } else if date < d.on {
                Some(format!(
                    "it was taken on {}, after the date evaluated",
                    d.on
                ))
            } else {
                None
            };
            match void {
                Some(why) => notes.push(format!(
                    "the screening decision by {} on {} that `{query}` is not entry {} does not apply: {why}",
                    d.by, d.on, d.entry
                )),
                None => {
                    m.dismissed = Some(format!(
                        "not the same party: decided by {} on {} (expires {}): {}",
                        d.by, d.on, d.expires, d.why
                    ));
                }
            }
        }
    }
}
